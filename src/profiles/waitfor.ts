/**
 * @fileoverview The wait-for graph of a goroutine dump: which goroutines wait on the same
 * mutex, wait group, condition or channel, which goroutine holds the mutex each one
 * waits for, and the cycles of that graph, which are deadlocks.
 *
 * What the dump says: a goroutine blocked in `sync.Mutex.Lock` has the frame
 * `internal/sync.(*Mutex).lockSlow(0xc000123450)` (`sync.(*Mutex).lockSlow` before Go
 * 1.24), whose argument word is the mutex's address (debug=2 prints the argument words
 * of each frame, runtime/traceback.go printArgs; words the compiler did not keep are
 * printed with a `?` and are not used). Likewise `sync.(*WaitGroup).Wait(0x...)`,
 * `sync.runtime_notifyListWait(0x...)` (the condition's notify list) and, in crash dumps
 * with `GOTRACEBACK=system`, `runtime.chansend1(0x...)` / `runtime.chanrecv1(0x...)`.
 * A dump does not say who holds a mutex (sync.Mutex has no owner).
 *
 * What the source says (a {@link LockModel}, from the static lock-state analysis, see
 * src/analysis/lockquery.ts): the locks each frame's function holds at its line, named
 * from the function's roots (`recv.mu`, `p1.mu`, `g:mu`), and the lock the waiting
 * frame's `Lock` call takes. A root becomes a value through the frame's argument words;
 * the waiting frames tie names to addresses (`to.mu` of `transfer(a, b)` is the mutex at
 * 0xc0000a0010) and give each field's offset in its type (address minus receiver), so a
 * holder frame `transfer(b, a)` holding `from.mu` is known to hold 0xc0000a0010 too.
 * Edges go from each waiter to each goroutine holding the mutex it waits for; a strongly
 * connected component with more than one goroutine, or a goroutine waiting for a lock it
 * holds itself, is a deadlock.
 */
import { blockingSite, userFrames } from './group.js';
import type { Frame, Goroutine, GoroutineProfile } from './model.js';

/** A lock as the static analysis names it from a frame (see src/analysis/lockquery.ts FrameLock). */
export interface LockFact {
  key: string;
  tkey?: string;
  text: string;
  mode: 'W' | 'R';
  /** `recv`, `p<N>`, `g:<name>` (the whole key) or a local (`l<offset>`, never resolved). */
  root: string;
  path: string;
  /** Line where the frame's function took the lock, when known. */
  lockedAt?: number;
}

/** The static facts of one frame. */
export interface FrameLockFacts {
  held: LockFact[];
  acquiring?: LockFact;
  /** The frame's function is a method (its first argument word is the receiver). */
  method: boolean;
}

/** Static lock facts by frame; undefined when the source does not say. */
export type LockModel = (frame: Frame) => FrameLockFacts | undefined;

/** What a goroutine waits on, read from its runtime frames. */
export interface WaitTarget {
  kind: 'mutex' | 'rwmutex' | 'waitgroup' | 'cond' | 'chan';
  /** Address of the primitive (for `cond`, of its notify list). */
  address: string;
  /** The lock's source text when the waiting frame says (`to.mu`). */
  text?: string;
  mode?: 'W' | 'R';
}

/** One edge: `waiter` waits for a lock `holder` holds. */
export interface WaitEdge {
  waiter: number;
  holder: number;
  /** Address of the mutex. */
  address: string;
  /** The lock as the holder's source names it (`from.mu`). */
  lock: string;
  /** The lock as the waiter's source names it (`to.mu`), when known. */
  waiterLock?: string;
  /** Line where the holder's frame took the lock, when known. */
  lockedAt?: number;
  /** The holder's frame that holds it. */
  heldAt: Frame;
  /** The waiter's frame that waits (its innermost frame in user code). */
  waitAt: Frame;
}

/** A set of goroutines that wait for each other: a deadlock. */
export interface LockCycle {
  /** Goroutine ids in the cycle. */
  goroutines: number[];
  /** The edges between them. */
  edges: WaitEdge[];
  /** Goroutines outside the cycle that wait (directly or not) for a lock held in it. */
  behind: number[];
}

/** The graph of one dump. */
export interface WaitGraph {
  waits: Map<number, WaitTarget>;
  /** Waiters per primitive (`kind@address`), only primitives with two or more waiters. */
  shared: Map<string, number[]>;
  edges: WaitEdge[];
  cycles: LockCycle[];
}

const WAIT_FRAMES: ReadonlyArray<[string, WaitTarget['kind'], WaitTarget['mode']?]> = [
  ['internal/sync.(*Mutex).lockSlow', 'mutex', 'W'],
  ['sync.(*Mutex).lockSlow', 'mutex', 'W'],
  ['sync.(*RWMutex).Lock', 'rwmutex', 'W'],
  ['sync.(*RWMutex).RLock', 'rwmutex', 'R'],
  ['sync.(*WaitGroup).Wait', 'waitgroup'],
  ['sync.runtime_notifyListWait', 'cond'],
  ['runtime.chansend1', 'chan'],
  ['runtime.chansend', 'chan'],
  ['runtime.chanrecv1', 'chan'],
  ['runtime.chanrecv2', 'chan'],
  ['runtime.chanrecv', 'chan'],
];

/** Splits printed argument words at top-level commas (`{0x1, 0x2}` is one aggregate). */
export function argWords(args: string | undefined): string[] {
  if (!args) return [];
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of args) {
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** A word the runtime vouches for: a plain hex value (no `?`, not elided, not an aggregate). */
function reliable(word: string | undefined): bigint | undefined {
  return word !== undefined && /^0x[0-9a-f]+$/.test(word) ? BigInt(word) : undefined;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** What a goroutine waits on, from its runtime and sync frames; undefined when the dump does not say. */
export function waitTarget(g: Goroutine): WaitTarget | undefined {
  for (const f of g.frames.slice(0, 8)) {
    const w = WAIT_FRAMES.find(([fn]) => fn === f.function);
    if (!w) continue;
    const v = reliable(argWords(f.args)[0]);
    if (v === undefined || v === 0n) return undefined;
    const t: WaitTarget = { kind: w[1], address: hex(v) };
    if (w[2]) t.mode = g.state === 'sync.RWMutex.RLock' ? 'R' : w[2];
    return t;
  }
  return undefined;
}

/** The argument word that holds a root's value in a frame, or undefined. */
function rootValue(frame: Frame, facts: FrameLockFacts, root: string): bigint | undefined {
  const words = argWords(frame.args);
  if (root === 'recv') return facts.method ? reliable(words[0]) : undefined;
  const m = /^p(\d+)$/.exec(root);
  if (!m) return undefined;
  // Each parameter of pointer type is one word; the index is right while every earlier
  // argument is one word too (a string or a slice prints as an aggregate `{...}`, still
  // one top-level item).
  return reliable(words[Number(m[1]) + (facts.method ? 1 : 0)]);
}


/**
 * Builds the wait-for graph of a profile. Without a model, only the waiters per
 * primitive are known (who waits with whom); with one, also who holds what, and the
 * cycles.
 */
export function waitGraph(profile: GoroutineProfile, model?: LockModel): WaitGraph {
  const waits = new Map<number, WaitTarget>();
  const byId = new Map<number, Goroutine>();
  for (const g of profile.goroutines) {
    if (g.id === undefined) continue;
    byId.set(g.id, g);
    const t = waitTarget(g);
    if (t) waits.set(g.id, t);
  }
  const sharedAll = new Map<string, number[]>();
  for (const [id, t] of waits) {
    const k = `${t.kind}@${t.address}`;
    let l = sharedAll.get(k);
    if (!l) sharedAll.set(k, (l = []));
    l.push(id);
  }
  const shared = new Map([...sharedAll].filter(([, ids]) => ids.length > 1));
  const graph: WaitGraph = { waits, shared, edges: [], cycles: [] };
  if (!model) return graph;

  // Names → addresses, from the waiting frames.
  const alias = new Map<string, string>();
  const offsets = new Map<string, bigint>();
  const symbolic = (frame: Frame, facts: FrameLockFacts, l: LockFact): string | undefined => {
    if (l.root.startsWith('g:')) return l.root;
    const v = rootValue(frame, facts, l.root);
    return v === undefined ? undefined : `${hex(v)}${l.path}`;
  };
  for (const [id, t] of waits) {
    if (t.kind !== 'mutex' && t.kind !== 'rwmutex') continue;
    const w = blockingSite(byId.get(id)!.frames);
    const facts = model(w);
    if (!facts?.acquiring) continue;
    t.text = facts.acquiring.text;
    const s = symbolic(w, facts, facts.acquiring);
    if (s) alias.set(s, t.address);
    const v = facts.acquiring.root.startsWith('g:') ? undefined : rootValue(w, facts, facts.acquiring.root);
    if (v !== undefined && facts.acquiring.tkey && /^\.\w+$/.test(facts.acquiring.path)) {
      const off = BigInt(t.address) - v;
      if (off >= 0n && off < 65536n) offsets.set(facts.acquiring.tkey, off);
    }
  }
  const addressOf = (frame: Frame, facts: FrameLockFacts, l: LockFact): string | undefined => {
    const s = symbolic(frame, facts, l);
    if (s === undefined) return undefined;
    const a = alias.get(s);
    if (a) return a;
    if (l.root.startsWith('g:')) return undefined;
    const off = l.tkey ? offsets.get(l.tkey) : undefined;
    const v = rootValue(frame, facts, l.root);
    return off !== undefined && v !== undefined && /^\.\w+$/.test(l.path) ? hex(v + off) : undefined;
  };
  // Holders: every frame of every goroutine, with what it holds.
  const holders = new Map<string, { id: number; frame: Frame; lock: LockFact }[]>();
  for (const g of profile.goroutines) {
    if (g.id === undefined) continue;
    const seen = new Set<string>();
    for (const f of userFrames(g.frames)) {
      const facts = model(f);
      if (!facts) continue;
      for (const l of facts.held) {
        const a = addressOf(f, facts, l);
        if (!a || seen.has(a)) continue;
        seen.add(a);
        let list = holders.get(a);
        if (!list) holders.set(a, (list = []));
        list.push({ id: g.id, frame: f, lock: l });
      }
    }
  }
  for (const [id, t] of waits) {
    if (t.kind !== 'mutex' && t.kind !== 'rwmutex') continue;
    for (const h of holders.get(t.address) ?? []) {
      // A reader does not wait for other readers (only for a writer, held or pending).
      if (t.mode === 'R' && h.lock.mode === 'R') continue;
      const e: WaitEdge = { waiter: id, holder: h.id, address: t.address, lock: h.lock.text, heldAt: h.frame, waitAt: blockingSite(byId.get(id)!.frames) };
      if (t.text) e.waiterLock = t.text;
      if (h.lock.lockedAt !== undefined) e.lockedAt = h.lock.lockedAt;
      graph.edges.push(e);
    }
  }
  graph.cycles = cyclesOf(graph.edges);
  return graph;
}

/** Strongly connected components (Tarjan) that are cycles, with the goroutines waiting into them. */
function cyclesOf(edges: readonly WaitEdge[]): LockCycle[] {
  const succ = new Map<number, number[]>();
  for (const e of edges) {
    let l = succ.get(e.waiter);
    if (!l) succ.set(e.waiter, (l = []));
    if (!l.includes(e.holder)) l.push(e.holder);
  }
  const nodes = [...new Set(edges.flatMap((e) => [e.waiter, e.holder]))].sort((a, b) => a - b);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const comps: number[][] = [];
  let next = 0;
  // Iterative Tarjan, so a long chain of waiters cannot overflow the JS stack.
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { v: number; i: number }[] = [{ v: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const ws = succ.get(top.v) ?? [];
      if (top.i < ws.length) {
        const w = ws[top.i++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.v);
        comps.push(comp.sort((a, b) => a - b));
      }
    }
  }
  const cycles: LockCycle[] = [];
  for (const comp of comps) {
    const inComp = new Set(comp);
    const own = edges.filter((e) => inComp.has(e.waiter) && inComp.has(e.holder));
    if (comp.length === 1 && !own.some((e) => e.waiter === e.holder)) continue;
    // Everyone who waits, directly or through others, for a goroutine of the cycle.
    const behind = new Set<number>();
    let frontier = [...comp];
    while (frontier.length > 0) {
      const nextFrontier: number[] = [];
      for (const e of edges) {
        if (frontier.includes(e.holder) && !inComp.has(e.waiter) && !behind.has(e.waiter)) {
          behind.add(e.waiter);
          nextFrontier.push(e.waiter);
        }
      }
      frontier = nextFrontier;
    }
    cycles.push({ goroutines: comp, edges: own, behind: [...behind].sort((a, b) => a - b) });
  }
  return cycles.sort((a, b) => a.goroutines[0]! - b.goroutines[0]!);
}

/**
 * The cycle in words, one clause per edge: `goroutine 7 waits at bank.go:15 for to.mu
 * (mutex 0xc000012010), which goroutine 8 holds as from.mu (locked at bank.go:13)`.
 */
export function describeCycle(c: LockCycle, base: (file: string) => string = (f) => f): string[] {
  return c.edges
    .map((e) => {
      const name = e.waiterLock ?? e.lock;
      const held = `${e.lock === name ? '' : ` as ${e.lock}`}${e.lockedAt !== undefined ? ` (locked at ${base(e.heldAt.file)}:${e.lockedAt})` : ` (frame ${base(e.heldAt.file)}:${e.heldAt.line})`}`;
      return e.holder === e.waiter
        ? `goroutine ${e.waiter} waits at ${base(e.waitAt.file)}:${e.waitAt.line} for ${name} (mutex ${e.address}), which it holds itself${held}`
        : `goroutine ${e.waiter} waits at ${base(e.waitAt.file)}:${e.waitAt.line} for ${name} (mutex ${e.address}), which goroutine ${e.holder} holds${held}`;
    });
}
