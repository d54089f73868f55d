/**
 * @fileoverview Lock-plus-wait cycles on the program model (issue 14): a goroutine holds
 * a mutex (or a read lock) and blocks on a channel operation or `WaitGroup.Wait`, while
 * every operation that could complete it is, on every path of its goroutine, preceded by
 * an acquisition of the same mutex — so the waker waits for the lock, and the holder
 * waits for the waker.
 *
 * The blocking-state search (search/) proves such cycles for objects made in one
 * function; this detector covers what the search does not own: channels and WaitGroups in
 * struct fields, reached through methods, with the lock taken by a caller and the waker's
 * acquisition inside a callee (`e.flush()` locking `e.mu`). It asks the program model
 * (program/): `heldAt` for what the blocking goroutine holds (and its callers at the call
 * sites), the points-to classes for which operations can wake it, the call graph for
 * which paths lead to those operations, and CFGs for the order of operations on a path.
 *
 * ## What is proved before a report
 * For a blocking operation B reached while lock L is held:
 * - B really blocks: a send on an unbuffered channel; a send on a channel whose every
 *   `make` has a constant buffer, when B can run again and again (a loop, several callers,
 *   an exported API, several goroutines) so the buffer fills; a receive from an
 *   unbuffered channel, or from a buffered one made under L (nobody could fill it before);
 *   `WaitGroup.Wait` when something calls Add. B is not a select case with other cases.
 * - The object is known: it does not escape, nothing of unknown origin flows in, the
 *   runtime does not wake it (timers, contexts), and at least one operation can wake it.
 * - Every waker W (a receive for a send; a send or close for a receive; a Done for a
 *   Wait) is *gated* by L: on every path of W's goroutine to W there is an acquisition of
 *   L (Lock, or RLock when L is held for writing) with no synchronising operation between
 *   that acquisition and W (a channel operation or a WaitGroup/Cond/Once call in between
 *   could be what orders the waker's acquisition before the holder's, so it breaks the
 *   gate). Paths are followed through calls (function summaries), deferred calls run at
 *   return, and callers when W's function does not gate on its own; a goroutine's start,
 *   a function no code of the package calls and an exported function of a library start
 *   ungated.
 * - Or every waker is gated *after its first run*: W sits in a loop of its goroutine and
 *   every path from one W to the next passes an acquisition of L (the consumer that takes
 *   a value and then locks to record it). Then the first value may get through, so B must
 *   be able to run again.
 *
 * When the model does not know (escaping objects, unknown callees' effects, buffers of
 * unknown size, select with other cases or default) the detector is silent.
 *
 * ## Instances
 * Points-to is field-based: `s.mu` of two values of one type is one class. The detector
 * treats the class as the lock, which is right when the holder and the waker reach the
 * lock and the channel through the same value (the usual shape: both are methods of one
 * struct); see docs/analysis.md for the blind spot.
 */
import { cfgNodeOf, type Block, type CFG } from '../go/cfg.js';
import type { SourceFile } from '../go/source.js';
import { field, type Node } from '../go/syntax.js';
import { deref, typeString } from '../go/types.js';
import type { RelatedLocation, TraceLocation } from './finding.js';
import type { PackageFacts } from './pass.js';
import { runCount } from './values.js';
import { callArgsOf, programModel, type CallSite, type FuncNode, type ObjectInfo, type Op, type ProgramModel } from './program/index.js';

/** One lock-plus-wait finding: a site (the blocking operation, or the waker's lock), with message, hint and trace. */
export interface HeldWaitFinding {
  node: Node;
  file: SourceFile;
  message: string;
  fixHint: string;
  related: RelatedLocation[];
  trace: TraceLocation[];
  /**
   * The blocked operation's object lives only in locals (no field or package variable
   * among its locations): the blocking-state search owns such objects and explores the
   * schedule, so its finding is preferred on the same line.
   */
  local: boolean;
}

/** A text cheap test: a package that never locks, never starts a goroutine, or has nothing to wait on has no such cycle. */
const LOCK_TEXT = /\.(?:R?Lock)\(\)/;
const GO_TEXT = /\bgo\s+(?:func\b|[\w.]+\s*[([])|\bAfterFunc\(|\.Go\(|\bHandleFunc\(/;
const WAIT_TEXT = /<-|\.Wait\(\)/;
const CHAN_TEXT = /\bchan\b/;
const WG_WAIT_TEXT = /\.Wait\(\)/;

/** Totals over the packages checked in this thread (for benchmarks; `LEAKSCOPE_HELDWAIT_DEBUG=1` prints each package's time). */
export const heldWaitTotals = { packages: 0, ms: 0, findings: 0 };

/** The lock-plus-wait findings of a package (computed once per package). */
export function heldWaitFindings(facts: PackageFacts): HeldWaitFinding[] {
  return facts.memo('heldwait', () => {
    const files = facts.pkg.files;
    if (!files.some((f) => LOCK_TEXT.test(f.text)) || !files.some((f) => GO_TEXT.test(f.text)) || !files.some((f) => WAIT_TEXT.test(f.text))) return [];
    // Without channels only a WaitGroup.Wait can block: building the model is worth it
    // only when some function both locks and waits (a lock taken by a caller of a
    // function that waits, in a package without channels, is not looked for).
    if (!files.some((f) => CHAN_TEXT.test(f.text)) && !facts.pkg.funcDecls.some(({ decl, file }) => {
      const t = file.text.slice(decl.start, decl.end);
      return LOCK_TEXT.test(t) && WG_WAIT_TEXT.test(t);
    })) return [];
    const t0 = performance.now();
    const pm = programModel(facts);
    const t1 = performance.now();
    const out = new HeldWait(facts, pm).run();
    const ms = performance.now() - t1;
    heldWaitTotals.packages++;
    heldWaitTotals.ms += ms;
    heldWaitTotals.findings += out.length;
    if (process.env.LEAKSCOPE_HELDWAIT_DEBUG) process.stderr.write(`heldwait: ${facts.pkg.importPath} ${ms.toFixed(1)} ms (program model: ${(t1 - t0).toFixed(1)} ms, built here or before), ${out.length} findings\n`);
    return out;
  });
}

// ---------------------------------------------------------------------------
// The gate lattice: F (not gated) < ID (as at the function's entry) < T (gated)
// ---------------------------------------------------------------------------

const F = 0;
const ID = 1;
const T = 2;
type Level = 0 | 1 | 2;

/** A state: the level, and for T the acquisition that gates (for the trace). */
interface St {
  v: Level;
  gate?: Op;
}

const BOT: St = { v: F };
const IDS: St = { v: ID };

/** The meet (AND over paths); the gate witness is kept from either side (for a state resolved from a loop's back edge). */
function meet(a: St | undefined, b: St): St {
  if (!a) return b;
  const v = Math.min(a.v, b.v) as Level;
  const lo = a.v <= b.v ? a : b;
  const hi = lo === a ? b : a;
  const gate = lo.gate ?? hi.gate;
  return gate ? { v, gate } : { v };
}

/** Applies a summary `s` (exit state relative to entry) to state `x`. */
function compose(x: St, s: St): St {
  return s.v === ID ? x : s;
}

/** One effect of a CFG statement on the gate state. */
type Effect = { k: 'gate'; op: Op; at: Node } | { k: 'reset'; at: Node } | { k: 'call'; cs: CallSite; at: Node };

/** Per-function dataflow for one lock class. */
interface FlowResult {
  cfg: CFG;
  /** State at block entry (undefined: unreachable). */
  in: Map<Block, St>;
  effects: Map<Node, Effect[]>;
  deferred: Effect[];
  exit: St;
}

/** Operations that never synchronise with another goroutine in a way that orders acquisitions (locks of other mutexes, timer calls). */
const NEUTRAL = new Set(['lock', 'unlock', 'rlock', 'runlock', 'stop', 'reset']);

/** The gate analysis of one lock class: which operations are reached only after acquiring it. */
class Gates {
  private readonly flows = new Map<FuncNode, FlowResult | null>();
  private readonly summaries = new Map<FuncNode, St>();
  private readonly entries = new Map<string, St>();

  constructor(
    private readonly pm: ProgramModel,
    private readonly lockCls: number,
    /** The holder holds it for writing (then RLock gates too). */
    private readonly write: boolean,
    private readonly isTry: (op: Op) => boolean,
    private readonly canon: (cls: number) => number,
  ) {}

  private isGate(op: Op): boolean {
    if (this.canon(op.cls) !== this.lockCls || this.isTry(op)) return false;
    return op.kind === 'lock' || (this.write && op.kind === 'rlock');
  }

  private effectsOf(fn: FuncNode, cfg: CFG): { effects: Map<Node, Effect[]>; deferred: Effect[] } {
    const effects = new Map<Node, Effect[]>();
    const deferred: Effect[] = [];
    const put = (at: Node, e: Effect): void => {
      const s = cfgNodeOf(cfg, at);
      if (!s) return;
      if (s.type === 'defer_statement') {
        deferred.push(e);
        return;
      }
      const l = effects.get(s);
      if (l) l.push(e);
      else effects.set(s, [e]);
    };
    for (const op of this.pm.opsIn(fn)) {
      if (this.isGate(op)) put(op.node, { k: 'gate', op, at: op.node });
      else if (!NEUTRAL.has(op.kind)) put(op.node, { k: 'reset', at: op.node });
    }
    for (const cs of this.pm.callsFrom(fn)) {
      if (cs.from !== fn || (cs.mode !== 'call' && cs.mode !== 'defer') || cs.targets.length === 0) continue;
      put(cs.call, { k: 'call', cs, at: cs.call });
    }
    for (const l of effects.values()) l.sort((a, b) => a.at.end - b.at.end || b.at.start - a.at.start);
    // Deferred calls run last-in first-out at return.
    deferred.sort((a, b) => b.at.start - a.at.start);
    return { effects, deferred };
  }

  private apply(x: St, e: Effect): St {
    if (e.k === 'gate') return { v: T, gate: e.op };
    if (e.k === 'reset') return BOT;
    let s: St | undefined;
    for (const t of e.cs.targets) s = meet(s, this.summary(t));
    if (!e.cs.complete) s = meet(s, IDS);
    return s ? compose(x, s) : x;
  }

  /** The dataflow of `fn` (null when it has no CFG). */
  private flow(fn: FuncNode): FlowResult | null {
    if (this.flows.has(fn)) return this.flows.get(fn) as FlowResult | null;
    this.flows.set(fn, null); // recursion: a call back into fn counts as neutral (below)
    const cfg = fn.opaque ? undefined : fn.fc.cfg(fn.node);
    if (!cfg) return null;
    const { effects, deferred } = this.effectsOf(fn, cfg);
    const inS = new Map<Block, St>();
    inS.set(cfg.entry, IDS);
    const work: Block[] = [cfg.entry];
    let steps = 0;
    while (work.length > 0 && steps++ < 20000) {
      const b = work.pop() as Block;
      let x = inS.get(b) as St;
      for (const n of b.nodes) for (const e of effects.get(n) ?? []) x = this.apply(x, e);
      for (const s of b.succs) {
        const old = inS.get(s);
        const nw = meet(old, x);
        if (!old || nw.v !== old.v || (!old.gate && nw.gate)) {
          inS.set(s, nw);
          work.push(s);
        }
      }
    }
    let exit = inS.get(cfg.exit) ?? { v: T };
    for (const e of deferred) exit = this.apply(exit, e);
    const r: FlowResult = { cfg, in: inS, effects, deferred, exit };
    this.flows.set(fn, r);
    return r;
  }

  /** The state at `fn`'s normal return relative to its entry (deferred calls included). */
  summary(fn: FuncNode): St {
    const have = this.summaries.get(fn);
    if (have) return have;
    if (this.flows.has(fn) && this.flows.get(fn) === null) return IDS; // in progress (recursion) or no body
    this.summaries.set(fn, IDS);
    const r = this.flow(fn);
    const s = r ? r.exit : IDS;
    this.summaries.set(fn, s);
    return s;
  }

  /** The state just before `target` (an op or call node of `fn`) relative to `fn`'s entry; undefined when unreachable. */
  relAt(fn: FuncNode, target: Node): St | undefined {
    const r = this.flow(fn);
    if (!r) return undefined;
    const s = cfgNodeOf(r.cfg, target);
    if (!s) return undefined;
    if (s.type === 'defer_statement') {
      let x = r.exit;
      // r.exit already ran every deferred effect; recompute up to the target.
      x = this.exitBeforeDefers(r);
      for (const e of r.deferred) {
        if (e.at === target) return x;
        x = this.apply(x, e);
      }
      return x;
    }
    const loc = r.cfg.where.get(s);
    if (!loc) return undefined;
    let x = r.in.get(loc.block);
    if (!x) return undefined;
    for (let i = 0; i < loc.index; i++) for (const e of r.effects.get(loc.block.nodes[i] as Node) ?? []) x = this.apply(x, e);
    for (const e of r.effects.get(s) ?? []) {
      if (e.at === target) return x;
      if (e.at.end > target.end || (e.at.end === target.end && e.at.start <= target.start)) break;
      x = this.apply(x, e);
    }
    return x;
  }

  private exitBeforeDefers(r: FlowResult): St {
    return r.in.get(r.cfg.exit) ?? { v: T };
  }

  /**
   * The absolute state at the entry of `fn`: F at a goroutine's start, for a function no
   * code of the package calls, or one other packages may call; otherwise the meet of the
   * states at its call sites. `weak`: a goroutine's start counts as gated (the first
   * arrival is free).
   */
  entry(fn: FuncNode, weak: boolean, depth = 0): St {
    const key = `${fn.key}\0${weak}`;
    const have = this.entries.get(key);
    if (have) return have;
    const root: St = weak ? { v: T } : BOT;
    if (depth > 4) return BOT;
    this.entries.set(key, BOT); // recursion through callers: not gated
    let x: St | undefined;
    const callers = this.pm.callersOf(fn);
    if (callers.length === 0 || openToOthers(this.pm, fn)) x = root;
    for (const cs of callers) {
      if (cs.mode === 'go' || cs.mode === 'callback-go' || cs.mode === 'callback-later') {
        x = meet(x, root);
        continue;
      }
      const rel = this.relAt(cs.from, cs.call);
      if (!rel) continue; // unreachable call
      if (rel.v !== ID) x = meet(x, rel);
      else {
        const e = this.entry(cs.from, weak, depth + 1);
        const gate = e.gate ?? rel.gate;
        x = meet(x, gate ? { v: e.v, gate } : { v: e.v });
      }
    }
    const out = x ?? { v: T };
    this.entries.set(key, out);
    return out;
  }

  /** Absolute state just before op `w` runs (undefined: unreachable). */
  at(w: Op, weak: boolean): St | undefined {
    const rel = this.relAt(w.fn, w.node);
    if (!rel) return undefined;
    if (rel.v !== ID) return rel;
    const e = this.entry(w.fn, weak);
    const gate = e.gate ?? rel.gate;
    return gate ? { v: e.v, gate } : { v: e.v };
  }
}

/** True when code outside the package may call `fn` (an exported declaration of a library, or a literal whose value escapes). */
function openToOthers(pm: ProgramModel, fn: FuncNode): boolean {
  if (fn.node.type === 'func_literal') {
    const o = pm.objectOf(fn.fc, fn.node);
    return !o || !!o.escape || !!o.unknownSource;
  }
  if (fn.fc.facts.pkg.name === 'main') return false;
  const n = field(fn.node, 'name');
  return !!n && /^[A-Z]/.test(fn.fc.text(n));
}

/** True when `node` sits in a loop of `fn` (or is a range over a channel). */
function inLoop(fn: FuncNode, node: Node): boolean {
  if (node.type === 'range_clause') return true;
  for (let p = node.parent; p && p !== fn.node; p = p.parent) {
    if (p.type === 'for_statement') return true;
    if (p.type === 'func_literal') return false;
  }
  return false;
}

interface Held {
  /** The Lock/RLock operation. */
  lock: Op;
  /** Calls from the lock's function down to the blocking operation's function. */
  chain: CallSite[];
}

interface Waker {
  op: Op;
  gate: Op;
  /** Gated only after its first run (a loop). */
  weak: boolean;
}

const WAKERS: Record<string, Op['kind'][]> = {
  send: ['recv', 'range'],
  recv: ['send', 'close'],
  range: ['send', 'close'],
  wait: ['done'],
};

class HeldWait {
  private readonly fileOf = new Map<Node, SourceFile>();
  private readonly gates = new Map<string, Gates>();
  private readonly out: HeldWaitFinding[] = [];
  private readonly reported = new Set<Node>();

  constructor(
    private readonly facts: PackageFacts,
    private readonly pm: ProgramModel,
  ) {
    for (const { decl, file } of facts.pkg.funcDecls) this.fileOf.set(decl, file);
    for (const { decl, file } of facts.pkg.varDecls) this.fileOf.set(decl, file);
  }

  private readonly canonCache = new Map<number, number>();

  /** The class representative of a raw class id (memoised: `info` builds an object). */
  private canon = (cls: number): number => {
    let c = this.canonCache.get(cls);
    if (c === undefined) this.canonCache.set(cls, (c = this.pm.info(cls).id));
    return c;
  };

  private isTry = (op: Op): boolean => /\.TryR?Lock$/.test(this.calleeText(op));

  private calleeText(op: Op): string {
    if (op.node.type !== 'call_expression') return '';
    const f = field(op.node, 'function');
    return f ? op.fn.fc.text(f) : '';
  }

  run(): HeldWaitFinding[] {
    // Only functions that lock, or that such functions call (three calls deep), can
    // block with a lock held: the rest is not looked at.
    const locking: FuncNode[] = [];
    for (const fn of this.pm.functions()) if (this.pm.opsIn(fn).some((op) => op.kind === 'lock' || op.kind === 'rlock')) locking.push(fn);
    if (locking.length === 0) return this.out;
    this.locking = new Set(locking);
    const under = new Set<FuncNode>(locking);
    let frontier = locking;
    for (let d = 0; d < 3 && frontier.length > 0; d++) {
      const next: FuncNode[] = [];
      for (const f of frontier) {
        for (const cs of this.pm.callsFrom(f)) {
          if (cs.mode !== 'call') continue;
          for (const t of cs.targets) {
            if (under.has(t)) continue;
            under.add(t);
            next.push(t);
          }
        }
      }
      frontier = next;
    }
    const cands = new Map<string, { o: ObjectInfo; wakers: Op[] } | null>();
    for (const fn of under) {
      for (const b of this.pm.opsIn(fn)) {
        const wk = WAKERS[b.kind];
        if (!wk || b.guarded) continue;
        // Cheap object checks first (once per class): known, not woken by the runtime, of
        // the right kind, and something can wake it.
        const key = `${b.cls}:${wk[0] as string}`;
        let c = cands.get(key);
        if (c === undefined) {
          const o = this.pm.info(b.cls);
          const kindOk = b.kind === 'wait' ? o.kind === 'waitgroup' : o.kind === 'chan';
          const wakers = kindOk && this.pm.known(o) && o.std.size === 0 ? this.pm.opsOn(o, wk).filter((w) => !this.pm.isDead(w.fn)) : [];
          c = wakers.length > 0 ? { o, wakers } : null;
          cands.set(key, c);
        }
        if (!c) continue;
        const held = this.heldAt(b);
        if (held.length === 0) continue;
        this.check(b, held, c.o, c.wakers);
      }
    }
    return this.out;
  }

  /** Functions with a Lock/RLock of their own (set by run). */
  private locking = new Set<FuncNode>();
  private readonly viaCallers = new Map<FuncNode, Held[]>();

  /** Locks held when `b` runs: in its own function, or by a caller (up to three calls up) when nothing on the way releases them. */
  private heldAt(b: Op): Held[] {
    const out: Held[] = [];
    const seen = new Set<number>();
    const add = (h: Held): void => {
      const c = this.canon(h.lock.cls);
      if (this.isTry(h.lock) || seen.has(c)) return;
      seen.add(c);
      out.push(h);
    };
    if (this.locking.has(b.fn)) for (const l of this.pm.heldAt(b.fn, b.node)) add({ lock: l, chain: [] });
    for (const h of this.heldByCallers(b.fn)) add(h);
    return out;
  }

  /** Locks the callers of `fn` hold at their calls (memoised per function). */
  private heldByCallers(fn: FuncNode): Held[] {
    const have = this.viaCallers.get(fn);
    if (have) return have;
    const out: Held[] = [];
    const up = (f: FuncNode, chain: CallSite[], depth: number, seen: Set<FuncNode>): void => {
      if (depth > 3 || seen.has(f)) return;
      seen.add(f);
      for (const cs of this.pm.callersOf(f)) {
        if (cs.mode !== 'call' || cs.from === f) continue;
        const c2 = [cs, ...chain];
        // Only a function that locks can hold a lock at its call (heldAt is per function).
        if (this.locking.has(cs.from)) for (const l of this.pm.heldAt(cs.from, cs.call)) if (!this.releasedOnTheWay(l.cls, c2)) out.push({ lock: l, chain: c2 });
        up(cs.from, c2, depth + 1, seen);
      }
    };
    up(fn, [], 1, new Set());
    this.viaCallers.set(fn, out);
    return out;
  }

  private releasedOnTheWay(cls: number, chain: CallSite[]): boolean {
    for (const cs of chain) {
      for (const t of cs.targets) {
        for (const f of this.pm.reachable(t)) for (const op of this.pm.opsIn(f)) if ((op.kind === 'unlock' || op.kind === 'runlock') && this.canon(op.cls) === this.canon(cls)) return true;
      }
    }
    return false;
  }

  /**
   * True when, in one function, the lock is a field of one value and the channel a field
   * of another value of the same struct type (`n.mu` held, `n.parent.in <- v`): points-to
   * is field-based and would take the parent's lock for the child's, so nothing is proved.
   */
  private otherValueOfLockType(b: Op, h: Held): boolean {
    if (h.chain.length > 0 || h.lock.fn !== b.fn) return false;
    const fc = b.fn.fc;
    const owner = (e: Node): Node | undefined => (e.type === 'selector_expression' ? field(e, 'operand') : undefined);
    const lo = owner(h.lock.expr);
    const co = owner(b.expr);
    if (!lo || !co) return false;
    const lt = typeString(deref(fc.res.typeOf(lo)));
    return lt === typeString(deref(fc.res.typeOf(co))) && fc.text(lo) !== fc.text(co);
  }

  private readonly foreign = new Map<number, boolean>();

  /**
   * True when some unlock of the lock's class runs in a function that does not hold it
   * there (a lock handed over and released by another goroutine, an unlock helper): the
   * holder may be released on its behalf, so nothing is proved.
   */
  private releasedElsewhere(lock: Op): boolean {
    const cls = this.canon(lock.cls);
    const have = this.foreign.get(cls);
    if (have !== undefined) return have;
    let out = false;
    for (const u of this.pm.opsOn(cls, ['unlock', 'runlock'])) {
      const paired = (u.kind === 'unlock' ? ['lock'] : ['rlock']) as Op['kind'][];
      const mine = (l: Op): boolean => paired.includes(l.kind) && this.canon(l.cls) === cls;
      if (this.pm.heldAt(u.fn, u.node).some(mine)) continue;
      if (inDefer(u) && this.pm.opsIn(u.fn).some(mine)) continue;
      out = true;
      break;
    }
    this.foreign.set(cls, out);
    return out;
  }

  private gatesFor(lock: Op): Gates {
    const write = lock.kind === 'lock';
    const cls = this.canon(lock.cls);
    const k = `${cls}:${write}`;
    let g = this.gates.get(k);
    if (!g) this.gates.set(k, (g = new Gates(this.pm, cls, write, this.isTry, this.canon)));
    return g;
  }

  private check(b: Op, held: Held[], o: ObjectInfo, wakers: Op[]): void {
    for (const h of held) {
      if (this.releasedElsewhere(h.lock)) continue;
      if (this.otherValueOfLockType(b, h)) continue;
      const blocks = this.blocks(b, o, h);
      if (blocks === 'no') continue;
      const gates = this.gatesFor(h.lock);
      const ws: Waker[] = [];
      let ok = true;
      for (const w of wakers) {
        // A waker that makes the object itself (and then publishes it, e.g. in a map under
        // the lock) acquires the lock before the holder can even see the object: no cycle.
        if (o.allocs.some((a) => this.pm.funcOf(enclosingFuncNode(a) ?? a) === w.fn)) {
          ok = false;
          break;
        }
        const strong = gates.at(w, false);
        if (!strong) continue; // unreachable: it wakes nobody
        if (strong.v === T && strong.gate) {
          ws.push({ op: w, gate: strong.gate, weak: false });
          continue;
        }
        const weak = inLoop(w.fn, w.node) ? gates.at(w, true) : undefined;
        if (weak?.v === T && weak.gate) {
          ws.push({ op: w, gate: weak.gate, weak: true });
          continue;
        }
        ok = false;
        break;
      }
      if (!ok || ws.length === 0) continue;
      // Runs of b needed: one per value a waker takes before its gate, the buffer's
      // worth, and the one that blocks.
      const needed = (ws.some((w) => w.weak) ? 1 : 0) + (blocks === 'yes' ? 0 : cap(blocks)) + 1;
      if (needed > 1 && this.runs(b, o) < needed) continue;
      // A holder that also receives from its buffered channel (a drain before the send)
      // keeps room in the buffer itself.
      if (blocks !== 'yes') {
        const holderFns = new Set<FuncNode>([b.fn, ...h.chain.map((cs) => cs.from)]);
        if (wakers.some((w) => holderFns.has(w.fn))) continue;
      }
      this.report(b, h, ws, blocks);
      return;
    }
  }

  /**
   * Whether `b` can block while `h` is held: 'yes' (unbuffered, or a buffer nobody could
   * fill before), `{cap}` (a constant buffer that fills when `b` runs often enough),
   * 'no' (unknown buffer, a Wait with nothing to wait for, a WaitGroup.Go).
   */
  private blocks(b: Op, o: ObjectInfo, h: Held): 'yes' | { cap: number } | 'no' {
    if (b.kind === 'wait') {
      const adds = this.pm.opsOn(o, ['add']);
      if (adds.length === 0 || adds.some((a) => /\.Go$/.test(this.calleeText(a)))) return 'no';
      return 'yes';
    }
    if (o.allocs.length === 0) return 'no';
    let cap = 0;
    for (const a of o.allocs) {
      const c = this.capOf(a);
      if (c === undefined) return 'no';
      cap = Math.max(cap, c);
    }
    if (cap === 0) return 'yes';
    // A send on a buffered channel kept in a slice, map or channel (`waiters =
    // append(waiters, make(chan bool, 1))`, then `for _, ch := range waiters { ch <- true
    // }`): the class merges the elements, each its own buffer — repeated sends fill none.
    if (b.kind === 'send') return this.pm.containersOf(o).length > 0 ? 'no' : { cap };
    // A receive from a buffered channel: only when every make runs under the held lock in
    // the holder's function (nobody could have filled it before the lock was taken).
    const holderFn = h.lock.fn;
    for (const a of o.allocs) {
      if (this.pm.funcOf(enclosingFuncNode(a) ?? a) !== holderFn) return 'no';
      if (!this.pm.heldAt(holderFn, a).some((l) => l === h.lock)) return 'no';
    }
    return 'yes';
  }

  /** The constant buffer size of `make(chan T[, n])`, or undefined. */
  private capOf(a: Node): number | undefined {
    if (a.type !== 'call_expression') return undefined;
    const f = field(a, 'function');
    const file = this.fileOfNode(a);
    if (!f || !file || file.textOf(f) !== 'make') return undefined;
    const args = callArgsOf(a);
    if (args.length < 2) return 0;
    const n = args[1] as Node;
    if (n.type !== 'int_literal') return undefined;
    const v = Number(file.textOf(n).replace(/_/g, ''));
    return Number.isInteger(v) ? v : undefined;
  }

  private fileOfNode(n: Node): SourceFile | undefined {
    for (let p: Node | null = n; p; p = p.parent) {
      const f = this.fileOf.get(p);
      if (f) return f;
    }
    return undefined;
  }

  /**
   * How many times `b` may run per run of the program (Infinity when unbounded or
   * unknown): the trip counts of the loops around it times the runs of its callers, a
   * goroutine's multiplicity, unbounded for a function other packages may call.
   */
  private runs(b: Op, o: ObjectInfo): number {
    // A channel made in b's own function is a new object per call: count b's runs per object.
    const local = o.allocs.filter((a) => this.pm.funcOf(enclosingFuncNode(a) ?? a) === b.fn);
    if (local.length > 0 && local.length === o.allocs.length) return Math.max(...local.map((a) => runCount(b.fn.fc, b.node, b.fn.node, a)));
    const seen = new Set<FuncNode>();
    const total = (fn: FuncNode, depth: number): number => {
      if (seen.has(fn) || depth > 4) return Infinity;
      if (openToOthers(this.pm, fn)) return Infinity;
      const callers = this.pm.callersOf(fn);
      if (callers.length === 0) return 1;
      seen.add(fn);
      let sum = 0;
      for (const cs of callers) {
        let per = runCount(cs.from.fc, cs.call, cs.from.node, cs.from.node);
        if (cs.mode === 'go' || cs.mode === 'callback-go' || cs.mode === 'callback-later') {
          const g = this.pm.goroutines().find((x) => x.site === cs.call.parent || x.site === cs.call);
          per = !g || g.multiplicity === 'many' ? Infinity : g.multiplicity === 'bounded' ? (g.count ?? Infinity) : 1;
        }
        sum += per * total(cs.from, depth + 1);
        if (!Number.isFinite(sum)) break;
      }
      seen.delete(fn);
      return sum;
    };
    return runCount(b.fn.fc, b.node, b.fn.node, b.fn.node) * total(b.fn, 0);
  }

  private report(b: Op, h: Held, ws: Waker[], blocks: 'yes' | { cap: number }): void {
    const fb = this.fileOfNode(b.node);
    if (!fb) return;
    const text = (op: Op): string => op.fn.fc.text(op.expr);
    const line = (op: Op): number => (this.fileOfNode(op.node) as SourceFile).line(op.node.start);
    const lockName = text(h.lock);
    const holder = (h.chain[0]?.from ?? b.fn).name;
    const what = describe(b, text(b));
    const verb = b.kind === 'send' ? 'receive from' : b.kind === 'wait' ? `call ${text(b)}.Done` : 'send on or close';
    const rlock = h.lock.kind === 'rlock';
    const loc = (op: Op | Node, msg: string, g: number, name: string): TraceLocation => {
      const n = 'cls' in op ? op.node : op;
      const f = this.fileOfNode(n) as SourceFile;
      return { file: f.path, range: f.range(n), message: msg, goroutine: g, name };
    };
    const wakerNames = [...new Set(ws.map((w) => w.op.fn.name))];
    const weakW = ws.find((w) => w.weak);
    const steps: TraceLocation[] = [];
    const g1 = `#0 ${holder}`;
    if (weakW) {
      const wn = weakW.op.fn.name;
      steps.push(loc(weakW.op, `#1 ${wn}: ${weakW.op.kind === 'range' || weakW.op.kind === 'recv' ? 'receives a first value' : weakW.op.kind === 'done' ? 'calls Done' : 'sends a first value'} at line ${line(weakW.op)}, then goes on to lock "${text(weakW.gate)}" again before its next turn`, 1, wn));
    }
    steps.push(loc(h.lock, `${g1}: ${rlock ? 'read-locks' : 'locks'} "${lockName}"`, 0, holder));
    for (const cs of h.chain) steps.push(loc(cs.call, `${g1}: calls ${cs.targets.map((t) => t.name).join(' or ')} while holding "${lockName}"`, 0, holder));
    if (blocks !== 'yes') steps.push(loc(b, `${g1}: sends again under "${lockName}" until the buffer of "${text(b)}" is full`, 0, holder));
    steps.push(loc(b, `${g1}: blocks ${what} while holding "${lockName}"`, 0, holder));
    ws.forEach((w, i) => {
      const wakeVerb = w.op.kind === 'close' ? `close "${text(w.op)}"` : w.op.kind === 'send' ? 'send' : w.op.kind === 'done' ? 'call Done' : 'receive';
      const wn = w.op.fn.name;
      const inFn = w.gate.fn !== w.op.fn ? ` in ${w.gate.fn.name}` : '';
      steps.push(loc(w.gate, `#${i + 1} ${wn}: blocks ${w.gate.kind === 'rlock' ? 'read-locking' : 'locking'} "${text(w.gate)}"${inFn} (held by #0 ${holder}) before it can ${wakeVerb}${w.weak ? ' again' : ''} at line ${line(w.op)}`, i + 1, wn));
    });
    const n = steps.length;
    const why = `every goroutine that could ${verb}${b.kind === 'wait' ? '' : ` "${text(b)}"`} must first lock "${lockName}" (${wakerNames.map((nm) => nm).join(', ')}: line ${ws.map((w) => line(w.gate)).filter((x, i, a) => a.indexOf(x) === i).join(', ')})${weakW ? ' after the first value' : ''}`;
    const lockedWhere = h.chain.length > 0 ? ` (locked at line ${line(h.lock)} in ${h.lock.fn.name})` : '';
    const message = `${b.fn.name} blocks forever ${what} at line ${line(b)} while holding "${lockName}"${lockedWhere}: ${why} (trace: ${n} steps)`;
    const fixHint =
      b.kind === 'wait'
        ? `release "${lockName}" before ${text(b)}.Wait() (set what you need under the lock, unlock, then wait), or let the goroutines finish without "${lockName}"`
        : `release "${lockName}" before the channel operation (copy what you need under the lock, unlock, then ${b.kind === 'send' ? 'send' : 'receive'}), or make it unable to block while the lock is held (a select with a done case)`;
    const related: RelatedLocation[] = [];
    const lf = this.fileOfNode(h.lock.node) as SourceFile;
    related.push({ file: lf.path, range: lf.range(h.lock.node), message: `"${lockName}" is locked here` });
    for (const w of ws) {
      const gf = this.fileOfNode(w.gate.node) as SourceFile;
      related.push({ file: gf.path, range: gf.range(w.gate.node), message: `${w.gate.fn.name} needs "${text(w.gate)}" here before it can ${b.kind === 'send' ? 'receive' : b.kind === 'wait' ? 'call Done' : 'send'} at line ${line(w.op)}` });
    }
    const local = !this.pm.info(b.cls).keys.some((k) => k.startsWith('f:') || k.startsWith('g:'));
    this.emit(b.node, fb, message, fixHint, related, steps, local);
    for (const w of ws) {
      const gf = this.fileOfNode(w.gate.node) as SourceFile;
      const who = w.gate.fn !== w.op.fn ? `${w.gate.fn.name} (run by ${w.op.fn.name})` : w.gate.fn.name;
      const msg = `${who} blocks forever ${w.gate.kind === 'rlock' ? 'read-locking' : 'locking'} "${text(w.gate)}" at line ${line(w.gate)}: ${holder} holds it and is itself blocked ${what} at line ${line(b)}, which only ${wakerNames.join(' or ')} could complete (trace: ${n} steps)`;
      this.emit(w.gate.node, gf, msg, fixHint, [{ file: fb.path, range: fb.range(b.node), message: `${holder} is blocked here holding "${lockName}"` }], steps, local);
    }
  }

  private emit(node: Node, file: SourceFile, message: string, fixHint: string, related: RelatedLocation[], trace: TraceLocation[], local: boolean): void {
    if (this.reported.has(node)) return;
    this.reported.add(node);
    this.out.push({ node, file, message, fixHint, related, trace, local });
  }
}

function cap(b: { cap: number }): number {
  return b.cap;
}

function describe(b: Op, name: string): string {
  switch (b.kind) {
    case 'send':
      return `sending on "${name}"`;
    case 'wait':
      return `in ${name}.Wait()`;
    default:
      return `receiving from "${name}"`;
  }
}

function inDefer(op: Op): boolean {
  for (let p = op.node.parent; p && p !== op.fn.node; p = p.parent) if (p.type === 'defer_statement') return true;
  return false;
}

function enclosingFuncNode(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') return p;
  return undefined;
}
