/**
 * @fileoverview Explicit-state exploration of a {@link Model}: depth-first search with
 * state hashing (goroutines of the same template are interchangeable, so a state's key
 * sorts them: symmetric states are merged), persistent sets (a goroutine whose next step
 * touches nothing another goroutine can ever touch runs alone) and sleep sets
 * (Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems", 1996:
 * persistent and sleep sets together keep every deadlock reachable).
 *
 * A state is a bug for goroutine g when g is blocked and no continuation can wake it:
 * either no transition is enabled at all (every live goroutine is blocked: a deadlock,
 * total or partial), or no other live goroutine — nor one it may start — can ever touch
 * an object g waits on. Semantics follow the Go memory model and the sync package:
 * unbuffered channels rendezvous, buffered ones count, a closed channel wakes every
 * receiver (and `ok` is false), sending on or closing a closed channel panics, a queued
 * `Lock` blocks new `RLock`s (sync.RWMutex doc), a WaitGroup counter below zero panics,
 * `Cond.Wait` unlocks, waits for a Signal/Broadcast that happens after it (a Signal with
 * no waiter is lost) and locks again, `Once.Do` blocks callers until the first call returns.
 */
import type { FlagRef, Instr, Model, Proc, SelCase, Site } from './model.js';

/** Limits of one exploration. */
export interface Budget {
  /** Maximum distinct states per entry. */
  states: number;
  /** Maximum milliseconds per entry. */
  ms: number;
  /** Maximum goroutines alive at once (a `go` beyond it is not explored). */
  goroutines: number;
}

/**
 * The state budget is what bounds the work (deterministic); the time budget is a guard
 * against a slow machine, set high enough that a loaded machine does not change results.
 */
export const DEFAULT_BUDGET: Budget = { states: 5000, ms: 5000, goroutines: 10 };

interface G {
  p: number;
  pc: number;
  /** 0 running, 1 waiting in Cond.Wait for a signal, 2 signalled (re-acquiring the lock), 3 ended, 4 arrived at its channel operation and waiting there. */
  st: number;
  c: number[];
  f: number[];
  /** Its interned id (-1 until first asked; a G is never changed once made, so it stays true): equal ids iff equal goroutine states. */
  n: number;
  /** What it waits on when blocked ({@link explore}'s `waitsOn`; null: nothing), computed on first use (it depends on the G only). */
  w: Waiting | null | undefined;
  /**
   * Its transitions, when they depend on the G alone (a local step: see `ownSteps` in
   * {@link explore}), kept for the next states it is part of unchanged. A G sits at one
   * goroutine index only (it is made for it), so the index in the transitions stays true.
   */
  t: Tr[] | undefined;
}

/** What a blocked goroutine waits for: the operation, its objects, where. */
interface Waiting {
  op: string;
  objs: number[];
  site: Site;
}

/** A goroutine state (every G is made here, so they all share one shape). */
function mkG(p: number, pc: number, st: number, c: number[], f: number[]): G {
  return { p, pc, st, c, f, n: -1, w: undefined, t: undefined };
}

/** The state with goroutines `gs` (everything else as in `s`). */
function withGs(s: State, gs: G[]): State {
  return { gs, o: s.o, gf: s.gf, halted: s.halted, u: s.u, dh: s.dh };
}

interface State {
  gs: G[];
  /** Two numbers per object: chan (buffered count, closed), mutex (writer, readers), wg (counter, -), once (0 new / 1 running / 2 done, -), ctx (-, cancelled). */
  o: number[];
  /** Global flags: 0 not chosen yet, v+1 chosen value v. */
  gf: number[];
  halted: boolean;
  /** Tainted: the path here took a branch on data the model does not know (a bug found from here is not proven). */
  u: boolean;
  /**
   * A hash of `o` and `gf` (made on first use). Most steps move one goroutine and share
   * both arrays with the state before (arrays are never changed once in a state), so the
   * hash is carried along instead of computed again for every state.
   */
  dh: number | undefined;
}

/** One step of a witness trace. */
export interface TraceStep {
  /** Goroutine number (0 = the entry's own goroutine) and its name. */
  g: number;
  proc: string;
  site?: Site;
  /** What happened, e.g. `sends on ch (buffer 1/1)`, `takes the "else" branch`. */
  text: string;
  /** A second goroutine taking part (the receiver of a rendezvous). */
  with?: { g: number; proc: string; site: Site };
}

/** One goroutine left blocked in a bug state. */
export interface Blocked {
  g: number;
  proc: string;
  site: Site;
  /** What it waits for: `send` `recv` `select` `lock` `rlock` `wait` `cwait` `once`. */
  op: string;
  /** Objects it waits on. */
  objs: number[];
  /** Locks (object ids) it holds there, from the trace. */
  holds: number[];
}

/** A bug: a state where goroutine `victim` can never continue, with the trace to it. */
export interface Bug {
  victim: Blocked;
  /** Every goroutine blocked in that state (including the victim). */
  blocked: Blocked[];
  /** True when every live goroutine is blocked (no transition at all). */
  deadlock: boolean;
  /** True when the entry's own goroutine had returned. */
  entryReturned: boolean;
  /** The trace takes a branch on data another goroutine writes without knowing its value (not reported). */
  unsure: boolean;
  trace: TraceStep[];
}

/** Result of exploring one model. */
export interface Exploration {
  model: Model;
  complete: boolean;
  /** Why not complete: `states` `time`. */
  stop?: string;
  states: number;
  transitions: number;
  ms: number;
  /** Whether a `go` beyond the goroutine bound was cut (the exploration is bounded there). */
  bounded: boolean;
  /** One bug per blocking instruction (the shortest trace found). */
  bugs: Bug[];
}

/**
 * A transition key: equal keys iff equal transitions of equal goroutine states (what sleep
 * sets compare). A number packs the goroutine's id and the transition's tag (see `KEY_*`
 * in {@link explore}); a tuple out of the packing's range keeps a text key (a text never
 * equals a number).
 */
type Key = number | string;

/**
 * A transition, as plain data: what it does (`k`, one of the `T_*` kinds) and its operands
 * (`a`..`e`, `x`), applied by `applyTr` and told by `stepOf` (the trace text is made only
 * for a reported bug). Every transition is made by `mkTr`, so they all share one shape.
 */
interface Tr {
  g: number;
  /** Receiver goroutine of a rendezvous (-1: none). */
  h: number;
  /** A branch on data another goroutine writes, taken without knowing the data: a bug behind it is not proven. */
  unsure: boolean;
  /** The goroutine only arrives at its blocking operation (see `arrival`): not progress, so not counted when deciding that everything is blocked. */
  arrive: boolean;
  key: Key;
  /** Objects (and flag pseudo-objects) it touches; shared arrays, never changed. */
  objs: readonly number[];
  k: number;
  a: number;
  b: number;
  c: number;
  d: number;
  /** The select case of a channel step (-1: a plain send or receive). */
  e: number;
  x: FlagRef | undefined;
}

function mkTr(g: number, k: number, key: Key, objs: readonly number[], a: number, b: number, c: number, d: number, e: number, x: FlagRef | undefined, unsure: boolean, h: number, arrive: boolean): Tr {
  return { g, h, unsure, arrive, key, objs, k, a, b, c, d, e, x };
}

/*
 * Transition kinds. The operands of each (unused ones are 0, `e` -1, `x` undefined):
 * - T_MOVE: go to pc `a` (a nop, a choice `b`, a decided flag or comparison, Wait, a lost
 *   Signal, Once.Do done, an untracked select case `b`, or the select default when `b` is -1);
 * - T_HALT: the program stops (a panic, a fatal error, an exit);
 * - T_END: the goroutine ends; T_ARRIVE: it arrives at its channel operation (st 4);
 * - T_WAKE: signalled, back to running at pc `a`; T_WAKELOCK: the same, locking `b` again;
 * - T_OBJ: object `b` becomes (`c`, `d`), then pc `a` (a buffered send of case `e`, a
 *   lock operation, close, cancel, WaitGroup.Add, Once);
 * - T_FLAG: flag `x` becomes `b`, then pc `a` (setflag, a flag decided, a count, a comparison's count assumed);
 * - T_CAP: global flag `x` (a channel's symbolic capacity) becomes `b` (send of case `e`);
 * - T_LOOP: a loop step with `a` iterations, after setting flag `x` to `b` when `x` is set (assumed);
 * - T_SETCTR: a loop counter reset, then pc `a`;
 * - T_CASEF: an untracked timer case `b` fires (its fired flags set), then pc `a`;
 * - T_RDV: a rendezvous with receiver `h` (its case `b`, -1 for a receive): the sender goes
 *   to pc `a` (case `e`), its flag `x` set to `d` when `d` is not 0, the value's tag `c`;
 * - T_RECVBUF: receive from buffer `b` (count `c` after, closed `d`), then pc `a` (case `e`);
 * - T_RECVCLOSED: receive from closed `b`, then pc `a` (case `e`);
 * - T_CWAIT: Cond.Wait; T_BCAST: Broadcast waking every waiter, then pc `a`;
 * - T_SIGNAL: Signal waking goroutine `b`, then pc `a`; T_GO: start proc `b`, then pc `a`.
 */
const T_MOVE = 0;
const T_HALT = 1;
const T_END = 2;
const T_ARRIVE = 3;
const T_WAKE = 4;
const T_WAKELOCK = 5;
const T_OBJ = 6;
const T_FLAG = 7;
const T_CAP = 8;
const T_LOOP = 9;
const T_SETCTR = 10;
const T_CASEF = 11;
const T_RDV = 12;
const T_RECVBUF = 13;
const T_RECVCLOSED = 14;
const T_CWAIT = 15;
const T_BCAST = 16;
const T_SIGNAL = 17;
const T_GO = 18;

/**
 * Objects (and flag pseudo-objects, offset by the object count) each instruction of each
 * proc may touch from there on, spawned goroutines included: one byte per instruction and
 * object, `w` per instruction, proc p's first instruction at `at[p]` (asked for every live
 * goroutine of every state in `check` and `persistent`; Sets per instruction cost more,
 * to make and to ask).
 */
interface Future {
  bits: Uint8Array;
  w: number;
  at: number[];
}

function futureOf(m: Model): Future {
  const nObj = m.objs.length;
  /** A channel whose capacity is a symbolic count also reads (or chooses) that count. */
  const withCap = (o: number): number[] => {
    const c = m.objs[o]?.capSym;
    return c === undefined ? [o] : [o, nObj + c];
  };
  const direct = (i: Instr, own: number[]): number[] => {
    switch (i.k) {
      case 'send':
        return withCap(i.obj);
      case 'select':
        return i.cases.filter((c) => c.obj >= 0).flatMap((c) => withCap(c.obj));
      case 'recv':
      case 'close':
      case 'lock':
      case 'unlock':
      case 'rlock':
      case 'runlock':
      case 'add':
      case 'wait':
      case 'signal':
      case 'broadcast':
      case 'cancel':
      case 'once':
      case 'oncedone':
        return [i.obj];
      case 'cwait': {
        const l = m.objs[i.obj]?.lock;
        return l === undefined ? [i.obj] : [i.obj, l];
      }
      case 'flag':
      case 'setflag':
      case 'count':
        return i.flag.global ? [nObj + i.flag.slot] : own;
      case 'loop':
        return typeof i.count === 'number' || !i.count.global ? own : [nObj + i.count.slot];
      case 'cmp':
        return i.count.global ? [nObj + i.count.slot] : own;
      default:
        return own;
    }
  };
  const succ = (i: Instr): number[] => {
    switch (i.k) {
      case 'choice':
        return i.nexts;
      case 'flag':
      case 'cmp':
        return [i.then, i.else];
      case 'loop':
        return [i.body, i.exit];
      case 'recv':
        return i.closed === undefined ? [i.next] : [i.next, i.closed];
      case 'select':
        return [...i.cases.map((c) => c.next), ...(i.dflt === undefined ? [] : [i.dflt])];
      case 'once':
        return [i.body, i.next];
      case 'end':
      case 'halt':
      case 'park':
        return [];
      default:
        return [i.next];
    }
  };
  const dir = m.procs.map((p) => p.code.map((i) => direct(i, [])));
  let w = 0;
  for (const ps of dir) for (const os of ps) for (const o of os) if (o >= w) w = o + 1;
  const at: number[] = [];
  let nInstr = 0;
  for (const p of m.procs) {
    at.push(nInstr * w);
    nInstr += p.code.length;
  }
  const bits = new Uint8Array(nInstr * w);
  let changed = true;
  /** Adds the objects of the row at `from` to the row at `to`. */
  const merge = (to: number, from: number): void => {
    for (let k = 0; k < w; k++)
      if (bits[from + k] === 1 && bits[to + k] === 0) {
        bits[to + k] = 1;
        changed = true;
      }
  };
  while (changed) {
    changed = false;
    m.procs.forEach((p, pi) => {
      const base = at[pi] as number;
      const ds = dir[pi] as number[][];
      for (let pc = p.code.length - 1; pc >= 0; pc--) {
        const i = p.code[pc] as Instr;
        const row = base + pc * w;
        for (const o of ds[pc] as number[])
          if (bits[row + o] === 0) {
            bits[row + o] = 1;
            changed = true;
          }
        for (const n of succ(i)) if (n >= 0 && n < p.code.length) merge(row, base + n * w);
        if (i.k === 'go' && (m.procs[i.proc]?.code.length ?? 0) > 0) merge(row, at[i.proc] as number);
      }
    });
  }
  return { bits, w, at };
}

/** Explores a model within a budget. */
export function explore(m: Model, budget: Budget = DEFAULT_BUDGET): Exploration {
  const t0 = performance.now();
  const nObj = m.objs.length;
  const future = futureOf(m);
  const procs = m.procs;
  const res: Exploration = { model: m, complete: true, states: 0, transitions: 0, ms: 0, bounded: false, bugs: [] };
  const bugBySite = new Map<number, Bug>();

  const init: State = {
    gs: [mkG(0, 0, 0, new Array<number>(procs[0]?.ctrs ?? 0).fill(0), new Array<number>(procs[0]?.flags ?? 0).fill(0))],
    o: new Array<number>(nObj * 2).fill(0),
    gf: m.globals.map((g) => (g.fixed === undefined ? 0 : g.fixed + 1)),
    halted: false,
    u: false,
    dh: undefined,
  };

  /**
   * A goroutine's id, interned from its full state (template, pc, status, counters, flags):
   * equal ids mean equal goroutine states, so states and transitions compare by small
   * numbers instead of the full description.
   */
  /**
   * Interned by a hash of the full state, each bucket listing the first G of each id
   * (the text of the full state was made for every G before: 18 MB over the Go tree).
   */
  const gids = new Map<number, G[]>();
  let nGids = 0;
  const gnum = (g: G): number => {
    if (g.n >= 0) return g.n;
    let h = (Math.imul(g.p, 0x01000193) ^ g.pc) | 0;
    h = (Math.imul(h, 0x01000193) ^ g.st) | 0;
    for (const x of g.c) h = (Math.imul(h, 31) + x) | 0;
    h = (Math.imul(h, 0x01000193) ^ g.c.length) | 0;
    for (const x of g.f) h = (Math.imul(h, 31) + x) | 0;
    const list = gids.get(h);
    if (list === undefined) gids.set(h, [g]);
    else {
      for (const r of list) if (r.p === g.p && r.pc === g.pc && r.st === g.st && sameNums(r.c, g.c) && sameNums(r.f, g.f)) return (g.n = r.n);
      list.push(g);
    }
    return (g.n = nGids++);
  };

  /*
   * Transition keys. A key is the goroutine's id and a tag telling the transition apart
   * from the goroutine's others: '' | '#t' '#f' (a flag decided) | '@d' (select default) |
   * '@a' (arrival) | '#<branch>' (a choice) | '#n<n>' (a count assumed) | [case] '#cap#n<n>'
   * (a capacity assumed) | '@<case>' (a select case) | [case] '><receiver id>/<its case>'
   * ['v1' | 'v2'] (a rendezvous, with the value's nil-ness when chosen) | '><waiter id>'
   * (a Signal), where [case] is '@<case>' in a select. The tuple is packed in one number,
   * id + 2^20 * (kind + 8 * payload): below 2^53 (exact) while the id is below 2^20 and the
   * payload below 2^30; past that the key is that text (never equal to a number). The
   * first versions built the text for every transition of every state: 46 MB of the
   * search's allocation over the Go tree (enter and opsOf), with the closures below.
   */
  const KEY_ID = 1048576;
  const KEY_PAYLOAD = 1073741824;
  /** The packed key, or -1 when the tuple is out of the packing's range. */
  const packed = (g: G, kind: number, payload: number): number => {
    const id = gnum(g);
    return id < KEY_ID && payload < KEY_PAYLOAD ? id + KEY_ID * (kind + 8 * payload) : -1;
  };
  const SPECIAL = ['', '#t', '#f', '@d', '@a'];
  /** Kind 0: the tags without operand (0 '', 1 '#t', 2 '#f', 3 '@d', 4 '@a'). */
  const keyOf = (g: G, special: number): Key => {
    const k = packed(g, 0, special);
    return k >= 0 ? k : `${gnum(g)}${SPECIAL[special] ?? ''}`;
  };
  /** Kind 1: branch `ci` of a choice. */
  const keyChoice = (g: G, ci: number): Key => {
    const k = packed(g, 1, ci);
    return k >= 0 ? k : `${gnum(g)}#${ci}`;
  };
  /** Kind 2: a count assumed to be n. */
  const keyN = (g: G, n: number): Key => {
    const k = packed(g, 2, n);
    return k >= 0 ? k : `${gnum(g)}#n${n}`;
  };
  /** Kind 3: the capacity of the channel of select case `sel` (-1: a send) assumed to be n. */
  const keyCap = (g: G, sel: number, n: number): Key => {
    const k = sel + 1 < 16 ? packed(g, 3, sel + 1 + 16 * n) : -1;
    return k >= 0 ? k : `${gnum(g)}${sel < 0 ? '' : `@${sel}`}#cap#n${n}`;
  };
  /** Kind 4 (0 for a plain send or receive, `sel` -1): select case `sel` taken alone. */
  const keySel = (g: G, sel: number): Key => {
    if (sel < 0) return keyOf(g, 0);
    const k = packed(g, 4, sel);
    return k >= 0 ? k : `${gnum(g)}@${sel}`;
  };
  /** Kind 5: a rendezvous of send (or case `sel`) with receiver h (case `ci`), the value's tag v when chosen. */
  const keyRdv = (g: G, sel: number, h: G, ci: number, v: number): Key => {
    const hid = gnum(h);
    const k = sel + 1 < 16 && ci + 1 < 16 && hid < KEY_ID ? packed(g, 5, sel + 1 + 16 * (ci + 1 + 16 * (v + 3 * hid))) : -1;
    return k >= 0 ? k : `${gnum(g)}${sel < 0 ? '' : `@${sel}`}>${hid}/${ci}${v === 0 ? '' : `v${v}`}`;
  };
  /** Kind 6: a Signal waking h. */
  const keySignal = (g: G, h: G): Key => {
    const hid = gnum(h);
    const k = packed(g, 6, hid);
    return k >= 0 ? k : `${gnum(g)}>${hid}`;
  };

  /**
   * What identifies a state: the entry goroutine's id, then the ids of the other goroutines
   * still alive, sorted (goroutines of the same template are interchangeable: symmetric
   * states are merged; ended goroutines take no part in what can happen next), with the
   * objects, the global flags and the taint mark compared apart (see `sameState`).
   */
  /** Writes the state's ids in `ids` (a scratch array: copied for a state first visited) and returns their count. */
  const idsOf = (s: State): number => {
    const gs = s.gs;
    ids[0] = gnum(gs[0] as G);
    let n = 1;
    for (let i = 1; i < gs.length; i++) {
      const g = gs[i] as G;
      if (g.st !== 3) ids[n++] = gnum(g);
    }
    // Insertion sort of ids[1..]: a handful of goroutines (the budget allows 10 alive).
    for (let i = 2; i < n; i++) {
      const x = ids[i] as number;
      let j = i - 1;
      for (; j >= 1 && (ids[j] as number) > x; j--) ids[j + 1] = ids[j] as number;
      ids[j + 1] = x;
    }
    return n;
  };
  const ids: number[] = [];
  const dataHash = (s: State): number => {
    if (s.dh !== undefined) return s.dh;
    let h = 17;
    for (const x of s.o) h = (Math.imul(h, 31) + x) | 0;
    h = (Math.imul(h, 31) + 0x5bd1e995) | 0;
    for (const x of s.gf) h = (Math.imul(h, 31) + x) | 0;
    return (s.dh = h);
  };
  const hashOf = (s: State, n: number): number => {
    let h = (Math.imul(dataHash(s), 31) + (s.u ? 1 : 0)) | 0;
    for (let k = 0; k < n; k++) h = (Math.imul(h, 0x01000193) ^ (ids[k] as number)) | 0;
    return (Math.imul(h, 31) + n) | 0;
  };
  const instr = (g: G): Instr => (procs[g.p] as Proc).code[g.pc] as Instr;
  /** Per instruction, the objects it may wait on ({@link waitsOnAny}), made once: asked in every state. */
  const anyObjs = procs.map((p) => p.code.map((i) => waitsOnAny(i, m)));
  const waitObjs = (g: G): number[] => (anyObjs[g.p] as number[][])[g.pc] as number[];
  const pname = (g: G): string => (procs[g.p] as Proc).name;
  const oname = (o: number): string => m.objs[o]?.name ?? '?';
  /** The objects of a transition on one object or one global flag (shared, made once). */
  const objArr = m.objs.map((_, o): readonly number[] => [o]);
  const oneObj = (o: number): readonly number[] => objArr[o] ?? [o];
  const flagArr = m.globals.map((_, k): readonly number[] => [nObj + k]);
  const flagObjs = (f: FlagRef): readonly number[] => (f.global ? (flagArr[f.slot] ?? [nObj + f.slot]) : NO_OBJS);
  /** A global flag slot as a reference (the symbolic capacity of a channel), made once per slot. */
  const globalRefs = m.globals.map((_, slot): FlagRef => ({ global: true, slot }));

  /**
   * The state with goroutine gi changed: pc (-1: unchanged), status `st` (-1: unchanged,
   * except that a goroutine that moves on is no longer waiting where it was), counters and
   * flags (undefined: unchanged).
   */
  const withG = (s: State, gi: number, pc: number, st: number, c: number[] | undefined, f: number[] | undefined): State => {
    const gs = s.gs.slice();
    const g0 = gs[gi] as G;
    gs[gi] = mkG(g0.p, pc < 0 ? g0.pc : pc, st >= 0 ? st : g0.st === 4 && pc >= 0 ? 0 : g0.st, c ?? g0.c, f ?? g0.f);
    return withGs(s, gs);
  };
  /** The state after goroutine gi moves to pc. */
  const moveG = (s: State, gi: number, pc: number): State => withG(s, gi, pc, -1, undefined, undefined);
  /**
   * Objects some select with a `default` reads. Whether that default runs depends on
   * whether the other side is already *waiting* — not merely about to: a goroutine that
   * reaches `ch <- v` after the select ran finds nobody. So a goroutine at a channel
   * operation on such an object may first only arrive there (st 4): until then a
   * select's default can still run.
   */
  const arrival = new Set<number>();
  for (const p of procs) for (const i of p.code) if (i.k === 'select' && (i.dflt !== undefined || i.cases.some((c) => c.timer))) for (const c of i.cases) if (c.obj >= 0) arrival.add(c.obj);
  const waitsAt = (i: Instr): number[] => {
    if (arrival.size === 0) return [];
    if (i.k === 'send' || i.k === 'recv') return arrival.has(i.obj) ? [i.obj] : [];
    if (i.k === 'select' && i.dflt === undefined) return i.cases.filter((c) => c.obj >= 0 && arrival.has(c.obj)).map((c) => c.obj);
    return [];
  };
  /** Per instruction, the objects a goroutine may arrive at there (made once). */
  const arriveObjs = procs.map((p) => p.code.map(waitsAt));
  const waiting = (st: number): boolean => st === 0 || st === 4;
  const withO = (s: State, o: number, a: number, b: number): State => {
    const os = s.o.slice();
    os[o * 2] = a;
    os[o * 2 + 1] = b;
    return { gs: s.gs, o: os, gf: s.gf, halted: s.halted, u: s.u, dh: undefined };
  };
  const flagVal = (s: State, g: G, f: FlagRef): number => (f.global ? (s.gf[f.slot] ?? 0) : (g.f[f.slot] ?? 0));
  const setFlag = (s: State, gi: number, f: FlagRef, v: number): State => {
    if (f.global) {
      const gf = s.gf.slice();
      gf[f.slot] = v;
      return { gs: s.gs, o: s.o, gf, halted: s.halted, u: s.u, dh: undefined };
    }
    const g = s.gs[gi] as G;
    const fl = g.f.slice();
    fl[f.slot] = v;
    return withG(s, gi, -1, -1, undefined, fl);
  };
  const isCtx = (o: number): boolean => m.objs[o]?.kind === 'ctx';
  /** The description of a count for traces. */
  const countText = (f: FlagRef): string => (f.global ? (m.globals[f.slot]?.text ?? 'the count') : 'the count');

  /** The state after goroutine `hi` receives a value on `o` (a rendezvous): it moves on to its receive's (or case's) next. */
  const recvDone = (s: State, hi: number, ci: number, tag: number): State => {
    const h = s.gs[hi] as G;
    const i = instr(h);
    if (i.k === 'recv') {
      let s1 = moveG(s, hi, i.next);
      if (i.nilf) s1 = setFlag(s1, hi, i.nilf, tag === 1 ? 2 : tag === 2 ? 1 : 0);
      return i.ok ? setFlag(s1, hi, i.ok, 2) : s1;
    }
    if (i.k === 'select') {
      const c = i.cases[ci];
      if (!c) return s;
      const s1 = moveG(s, hi, c.next);
      return c.ok ? setFlag(s1, hi, c.ok, 2) : s1;
    }
    return s;
  };

  const halt = (s: State): State => ({ gs: s.gs, o: s.o, gf: s.gf, halted: true, u: s.u, dh: s.dh });

  /**
   * What the receiver of goroutine g's send learns about the value (see Instr 'send'): nil
   * (1), not nil (2), or unknown (0), from the send's tag or the sender's flag "x == nil".
   */
  const sentTag = (s: State, g: G): number => {
    const si = instr(g);
    if (si.k !== 'send') return 0;
    if (si.vtag) return si.vtag;
    const fv = si.vflag ? flagVal(s, g, si.vflag) : 0;
    return fv === 2 ? 1 : fv === 1 ? 2 : 0;
  };

  /**
   * One transition per value of a symbolic count nobody has chosen yet: it is set to n (`b`
   * n + 1), then what kind `k` does with pc `pcOf(n)` (or `loopN(n)` iterations). A count
   * of 0 (an empty collection) is a degenerate input the callers may never pass: what
   * blocks only then is not proven (unsure).
   */
  const assume = (gi: number, g: G, f: FlagRef, k: number, sel: number, arg: (n: number) => number): void => {
    const dom = f.global ? (m.globals[f.slot]?.domain ?? 2) : 2;
    const objs = flagObjs(f);
    for (let n = 0; n < dom; n++) emit(mkTr(gi, k, k === T_CAP ? keyCap(g, sel, n) : keyN(g, n), objs, arg(n), n + 1, 0, 0, sel, f, n === 0, -1, false));
  };

  /** Transitions for a send of goroutine gi on o (select case `sel`, -1 for a send), continuing at next. */
  const sendTrs = (s: State, gi: number, o: number, next: number, sel: number): void => {
    const g = s.gs[gi] as G;
    const n = s.o[o * 2] ?? 0;
    const closed = (s.o[o * 2 + 1] ?? 0) === 1;
    if (closed) {
      emit(mkTr(gi, T_HALT, keySel(g, sel), oneObj(o), 0, 0, 0, 0, sel, undefined, false, -1, false));
      return;
    }
    const sym = m.objs[o]?.capSym;
    let cap = m.objs[o]?.cap ?? 0;
    if (sym !== undefined) {
      const v = s.gf[sym] ?? 0;
      if (v === 0) {
        // The buffer's size is a count nobody has read yet: choose it (as a loop over the same count would).
        assume(gi, g, globalRefs[sym] ?? { global: true, slot: sym }, T_CAP, sel, () => 0);
        return;
      }
      cap = v - 1;
    }
    if (n < cap) emit(mkTr(gi, T_OBJ, keySel(g, sel), oneObj(o), next, o, n + 1, 0, sel, undefined, false, -1, false));
    else if (cap === 0) {
      // What the receiver learns about the value: nil or not (see Instr 'send').
      const si = instr(g);
      const vflag = si.k === 'send' ? si.vflag : undefined;
      const fv = vflag ? flagVal(s, g, vflag) : 0;
      const known = sentTag(s, g);
      // Rendezvous partners: goroutines (≠ gi) ready to receive on `o`, with the select case index (-1 for a plain receive).
      const gs = s.gs;
      for (let h = 0; h < gs.length; h++) {
        const hg = gs[h] as G;
        if (h === gi || !waiting(hg.st)) continue;
        const hs = instr(hg);
        if (hs.k === 'recv') {
          if (hs.obj !== o) continue;
          // A receiver that tests the value it gets: an unknown value is chosen here, once, for both sides.
          if (known === 0 && hs.nilf) {
            for (let tag = 1; tag <= 2; tag++) emit(mkTr(gi, T_RDV, keyRdv(g, sel, hg, -1, tag), oneObj(o), next, -1, tag, vflag && fv === 0 ? (tag === 1 ? 2 : 1) : 0, sel, vflag, false, h, false));
          } else emit(mkTr(gi, T_RDV, keyRdv(g, sel, hg, -1, 0), oneObj(o), next, -1, known, vflag && fv === 0 && known !== 0 ? (known === 1 ? 2 : 1) : 0, sel, vflag, false, h, false));
        } else if (hs.k === 'select') {
          const cases = hs.cases;
          for (let ci = 0; ci < cases.length; ci++) {
            const c = cases[ci] as SelCase;
            if (c.dir === 'recv' && c.obj === o) emit(mkTr(gi, T_RDV, keyRdv(g, sel, hg, ci, 0), oneObj(o), next, ci, known, vflag && fv === 0 && known !== 0 ? (known === 1 ? 2 : 1) : 0, sel, vflag, false, h, false));
          }
        }
      }
    }
  };

  /** Transitions for a receive of goroutine gi on o (select case `sel`, -1 for a receive) that does not need a sender to move at the same time. */
  const recvTrs = (s: State, gi: number, o: number, next: number, closedNext: number | undefined, sel: number): void => {
    const g = s.gs[gi] as G;
    const n = s.o[o * 2] ?? 0;
    const closed = (s.o[o * 2 + 1] ?? 0) === 1;
    if (n > 0) emit(mkTr(gi, T_RECVBUF, keySel(g, sel), oneObj(o), next, o, n - 1, closed ? 1 : 0, sel, undefined, false, -1, false));
    else if (closed) emit(mkTr(gi, T_RECVCLOSED, keySel(g, sel), oneObj(o), closedNext ?? next, o, 0, 0, sel, undefined, false, -1, false));
  };

  /**
   * True when goroutine g's transitions depend on g alone, not on objects, global flags or
   * other goroutines: a step on its own control flow, counters and local flags (or none).
   */
  const ownSteps = (g: G): boolean => {
    if (g.st === 3 || g.st === 1) return true;
    const i = instr(g);
    if (g.st === 2) return i.k !== 'cwait' || m.objs[i.obj]?.lock === undefined;
    switch (i.k) {
      case 'nop':
      case 'choice':
      case 'setflag':
      case 'setctr':
      case 'end':
      case 'halt':
      case 'park':
        return true;
      case 'flag':
      case 'count':
        return !i.flag.global;
      case 'cmp':
        return !i.count.global;
      case 'loop':
        return typeof i.count === 'number' || !i.count.global;
      default:
        return false;
    }
  };

  /**
   * The transitions of the state `enter` lists are all[0, allN) (a scratch array, written
   * over for each state: only a frame's `todo` is kept).
   */
  const all: Tr[] = [];
  let allN = 0;
  const emit = (t: Tr): void => {
    all[allN++] = t;
  };

  /** Lists the enabled transitions of goroutine gi (rendezvous listed under the sender) in `all`. */
  const transitionsOf = (s: State, gi: number): void => {
    const g = s.gs[gi] as G;
    const own = g.t;
    if (own !== undefined) {
      for (let k = 0; k < own.length; k++) emit(own[k] as Tr);
      return;
    }
    if (ownSteps(g)) {
      const start = allN;
      opsOf(s, gi);
      g.t = allN === start ? NO_TRS : all.slice(start, allN);
      return;
    }
    opsOf(s, gi);
    if (g.st === 0) {
      const objs = (arriveObjs[g.p] as number[][])[g.pc] as number[];
      if (objs.length > 0) emit(mkTr(gi, T_ARRIVE, keyOf(g, 4), objs, 0, 0, 0, 0, -1, undefined, false, -1, true));
    }
  };

  const cmpHolds = (i: Extract<Instr, { k: 'cmp' }>, n: number): boolean => {
    const x = n + i.add;
    switch (i.op) {
      case '<':
        return x < i.rhs;
      case '<=':
        return x <= i.rhs;
      case '>':
        return x > i.rhs;
      case '>=':
        return x >= i.rhs;
      case '==':
        return x === i.rhs;
      default:
        return x !== i.rhs;
    }
  };

  /** Lists the transitions of goroutine gi's operation in `all`. */
  /** Appends goroutine g's (index gi) transition of kind k with no operand but the pc (or none), of no object. */
  const plain = (gi: number, g: G, k: number, pc: number): void => {
    emit(mkTr(gi, k, keyOf(g, 0), NO_OBJS, pc, 0, 0, 0, -1, undefined, false, -1, false));
  };
  /** Appends goroutine g's (index gi) transition of kind k on objects `objs` with operands pc, b, c, d. */
  const onObj = (gi: number, g: G, k: number, objs: readonly number[], pc: number, b: number, c: number, d: number): void => {
    emit(mkTr(gi, k, keyOf(g, 0), objs, pc, b, c, d, -1, undefined, false, -1, false));
  };

  const opsOf = (s: State, gi: number): void => {
    const g = s.gs[gi] as G;
    if (g.st === 3) return;
    const i = instr(g);
    if (g.st === 1) return; // waiting for a Signal
    if (g.st === 2) {
      // Signalled: re-acquire the Cond's lock, then continue after Wait.
      if (i.k !== 'cwait') return;
      const l = m.objs[i.obj]?.lock;
      if (l === undefined) return plain(gi, g, T_WAKE, i.next);
      if ((s.o[l * 2] ?? 0) !== 0 || (s.o[l * 2 + 1] ?? 0) !== 0) return;
      // The objects it waits on (the Cond and its lock), shared: no array per state.
      return onObj(gi, g, T_WAKELOCK, waitObjs(g), i.next, l, 0, 0);
    }
    switch (i.k) {
      case 'nop':
        return plain(gi, g, T_MOVE, i.next);
      case 'choice':
        for (let ci = 0; ci < i.nexts.length; ci++) emit(mkTr(gi, T_MOVE, keyChoice(g, ci), NO_OBJS, i.nexts[ci] as number, ci, 0, 0, -1, undefined, !!(i.unsure || i.unsureAt?.[ci]), -1, false));
        return;
      case 'setflag':
        emit(mkTr(gi, T_FLAG, keyOf(g, 0), flagObjs(i.flag), i.next, i.value ? 2 : 1, 0, 0, -1, i.flag, false, -1, false));
        return;
      case 'flag': {
        const v = flagVal(s, g, i.flag);
        if (v !== 0) return plain(gi, g, T_MOVE, v === 2 ? i.then : i.else); // stored as value+1: 1 = false, 2 = true
        const objs = flagObjs(i.flag);
        emit(mkTr(gi, T_FLAG, keyOf(g, 1), objs, i.then, 2, 0, 0, -1, i.flag, i.unsureVal === true || !!i.unsureUnset, -1, false));
        emit(mkTr(gi, T_FLAG, keyOf(g, 2), objs, i.else, 1, 0, 0, -1, i.flag, i.unsureVal === false || !!i.unsureUnset, -1, false));
        return;
      }
      case 'count': {
        const cur = Math.max(0, flagVal(s, g, i.flag) - 1);
        const v = Math.min(i.max, i.op === 'set' ? i.n : cur + i.n);
        emit(mkTr(gi, T_FLAG, keyOf(g, 0), flagObjs(i.flag), i.next, v + 1, 0, 0, -1, i.flag, false, -1, false));
        return;
      }
      case 'setctr':
        return plain(gi, g, T_SETCTR, i.next);
      case 'cmp': {
        const v = flagVal(s, g, i.count);
        if (v !== 0) return plain(gi, g, T_MOVE, cmpHolds(i, v - 1) ? i.then : i.else);
        return assume(gi, g, i.count, T_FLAG, -1, (n) => (cmpHolds(i, n) ? i.then : i.else));
      }
      case 'loop': {
        if (typeof i.count === 'number') return plain(gi, g, T_LOOP, i.count);
        const f = i.count;
        const add = i.add ?? 0;
        const v = flagVal(s, g, f);
        if (v !== 0) return plain(gi, g, T_LOOP, Math.max(0, v - 1 + add));
        return assume(gi, g, f, T_LOOP, -1, (n) => Math.max(0, n + add));
      }
      case 'send':
        return sendTrs(s, gi, i.obj, i.next, -1);
      case 'recv':
        return recvTrs(s, gi, i.obj, i.next, i.closed, -1);
      case 'close': {
        const n = s.o[i.obj * 2] ?? 0;
        const closed = (s.o[i.obj * 2 + 1] ?? 0) === 1;
        if (closed && !isCtx(i.obj)) return onObj(gi, g, T_HALT, oneObj(i.obj), 0, 0, 0, 0);
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, n, 1);
      }
      case 'cancel':
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, s.o[i.obj * 2] ?? 0, 1);
      case 'select': {
        const start = allN;
        const cases = i.cases;
        for (let ci = 0; ci < cases.length; ci++) {
          const c = cases[ci] as SelCase;
          if (c.obj < 0) continue;
          if (c.dir === 'send') sendTrs(s, gi, c.obj, c.next, ci);
          else recvTrs(s, gi, c.obj, c.next, undefined, ci);
        }
        // A case may also be ready because another goroutine can send to it right now (a
        // rendezvous listed under that sender); default runs only when no case is ready.
        // Only a partner already waiting (st 4) makes a case ready for the default's purpose.
        let ready = false;
        for (let k = start; k < allN && !ready; k++) {
          const t = all[k] as Tr;
          if (t.h < 0 || (s.gs[t.h] as G).st === 4) ready = true;
        }
        if (!ready) ready = cases.some((c) => c.dir === 'recv' && c.obj >= 0 && s.gs.some((h, hi) => hi !== gi && h.st === 4 && sendsOn(instr(h), c.obj)));
        for (let ci = 0; ci < cases.length; ci++) {
          const c = cases[ci] as SelCase;
          // A timer fires after its duration: a case whose other side is already waiting wins over it.
          if (c.obj >= 0 || (c.timer && ready)) continue;
          // A timer made once that already fired delivers nothing more.
          if (c.once !== undefined && g.f[c.once] === 2) continue;
          const f = c.fired;
          if (f === undefined) {
            emit(mkTr(gi, T_MOVE, keySel(g, ci), NO_OBJS, c.next, ci, 0, 0, -1, undefined, !!c.unsure, -1, false));
            continue;
          }
          // A timeout that wins once is what timeouts are for; one that wins at every
          // iteration of a loop against a partner about to be ready is a guess about timing.
          const again = (g.f[f] ?? 0) !== 0;
          emit(mkTr(gi, T_CASEF, keySel(g, ci), NO_OBJS, c.next, ci, 0, 0, -1, undefined, again || !!c.unsure, -1, false));
        }
        if (i.dflt !== undefined && !ready) emit(mkTr(gi, T_MOVE, keyOf(g, 3), waitObjs(g), i.dflt, -1, 0, 0, -1, undefined, false, -1, false));
        return;
      }
      case 'lock': {
        const w = s.o[i.obj * 2] ?? 0;
        const r = s.o[i.obj * 2 + 1] ?? 0;
        if (w !== 0 || r !== 0) return;
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, 1, 0);
      }
      case 'rlock': {
        const w = s.o[i.obj * 2] ?? 0;
        const r = s.o[i.obj * 2 + 1] ?? 0;
        // sync.RWMutex: "if any goroutine calls Lock while the lock is already held by one
        // or more readers, concurrent calls to RLock will block until the writer has
        // acquired (and released) the lock".
        const writerQueued = r > 0 && s.gs.some((h, hi) => hi !== gi && waiting(h.st) && instr(h).k === 'lock' && (instr(h) as { obj: number }).obj === i.obj);
        if (w !== 0 || writerQueued) return;
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, 0, r + 1);
      }
      case 'unlock': {
        const w = s.o[i.obj * 2] ?? 0;
        if (w === 0) return onObj(gi, g, T_HALT, oneObj(i.obj), 0, 0, 0, 0);
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, 0, 0);
      }
      case 'runlock': {
        const r = s.o[i.obj * 2 + 1] ?? 0;
        if (r === 0) return onObj(gi, g, T_HALT, oneObj(i.obj), 0, 0, 0, 0);
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, 0, r - 1);
      }
      case 'add': {
        const v = (s.o[i.obj * 2] ?? 0) + i.n;
        if (v < 0) return onObj(gi, g, T_HALT, oneObj(i.obj), 0, 0, 0, 0);
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, v, 0);
      }
      case 'wait':
        if ((s.o[i.obj * 2] ?? 0) !== 0) return;
        return onObj(gi, g, T_MOVE, oneObj(i.obj), i.next, 0, 0, 0);
      case 'cwait':
        return onObj(gi, g, T_CWAIT, waitObjs(g), 0, 0, 0, 0);
      case 'signal':
      case 'broadcast': {
        let waiters = 0;
        for (let hi = 0; hi < s.gs.length; hi++) if (isWaiter(s.gs[hi] as G, i.obj)) waiters++;
        if (waiters === 0) return onObj(gi, g, T_MOVE, oneObj(i.obj), i.next, 0, 0, 0);
        if (i.k === 'broadcast') return onObj(gi, g, T_BCAST, oneObj(i.obj), i.next, 0, 0, 0);
        s.gs.forEach((h, hi) => {
          if (isWaiter(h, i.obj)) emit(mkTr(gi, T_SIGNAL, keySignal(g, h), oneObj(i.obj), i.next, hi, 0, 0, -1, undefined, false, -1, false));
        });
        return;
      }
      case 'once': {
        const st = s.o[i.obj * 2] ?? 0;
        if (st === 1) return;
        if (st === 2) return onObj(gi, g, T_MOVE, oneObj(i.obj), i.next, 0, 0, 0);
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.body, i.obj, 1, 0);
      }
      case 'oncedone':
        return onObj(gi, g, T_OBJ, oneObj(i.obj), i.next, i.obj, 2, 0);
      case 'go': {
        let alive = 0;
        for (let hi = 0; hi < s.gs.length; hi++) if ((s.gs[hi] as G).st !== 3) alive++;
        if (alive >= budget.goroutines) {
          res.bounded = true;
          return;
        }
        return onObj(gi, g, T_GO, NO_OBJS, i.next, i.proc, 0, 0);
      }
      case 'end':
        return plain(gi, g, T_END, 0);
      case 'halt':
        return plain(gi, g, T_HALT, 0);
      case 'park':
        return;
    }
  };

  /** A goroutine waiting in Cond.Wait on `o` for a signal. */
  const isWaiter = (h: G, o: number): boolean => {
    if (h.st !== 1) return false;
    const hi = instr(h);
    return hi.k === 'cwait' && hi.obj === o;
  };

  /** The state after transition t from s (s is the state t was listed in, or one where its goroutine is the same G). */
  const applyTr = (s0: State, t: Tr): State => {
    const gi = t.g;
    switch (t.k) {
      case T_MOVE:
        return moveG(s0, gi, t.a);
      case T_HALT:
        return halt(s0);
      case T_END:
        return withG(s0, gi, -1, 3, undefined, undefined);
      case T_ARRIVE:
        return withG(s0, gi, -1, 4, undefined, undefined);
      case T_WAKE:
        return withG(s0, gi, t.a, 0, undefined, undefined);
      case T_WAKELOCK:
        return withG(withO(s0, t.b, 1, 0), gi, t.a, 0, undefined, undefined);
      case T_OBJ:
        return moveG(withO(s0, t.b, t.c, t.d), gi, t.a);
      case T_FLAG:
        return moveG(setFlag(s0, gi, t.x as FlagRef, t.b), gi, t.a);
      case T_CAP:
        return setFlag(s0, gi, t.x as FlagRef, t.b);
      case T_LOOP: {
        const g = s0.gs[gi] as G;
        const i = instr(g) as Extract<Instr, { k: 'loop' }>;
        const iter = g.c[i.ctr] ?? 0;
        const s1 = t.x ? setFlag(s0, gi, t.x, t.b) : s0;
        const c = g.c.slice();
        if (iter < t.a) {
          c[i.ctr] = iter + 1;
          return withG(s1, gi, i.body, -1, c, undefined);
        }
        c[i.ctr] = 0;
        return withG(s1, gi, i.exit, -1, c, undefined);
      }
      case T_SETCTR: {
        const g = s0.gs[gi] as G;
        const c = g.c.slice();
        c[(instr(g) as Extract<Instr, { k: 'setctr' }>).ctr] = 0;
        return withG(s0, gi, t.a, -1, c, undefined);
      }
      case T_CASEF: {
        const g = s0.gs[gi] as G;
        const c = (instr(g) as Extract<Instr, { k: 'select' }>).cases[t.b] as SelCase;
        const fl = g.f.slice();
        fl[c.fired as number] = 1;
        if (c.once !== undefined) fl[c.once] = 2;
        return withG(s0, gi, t.a, -1, undefined, fl);
      }
      case T_RDV: {
        let s1 = moveG(s0, gi, t.a);
        if (t.d !== 0) s1 = setFlag(s1, gi, t.x as FlagRef, t.d);
        return recvDone(s1, t.h, t.b, t.c);
      }
      case T_RECVBUF: {
        const i = instr(s0.gs[gi] as G);
        const c = i.k === 'select' ? i.cases[t.e] : undefined;
        const ok = c ? c.ok : i.k === 'recv' ? i.ok : undefined;
        const nilf = i.k === 'recv' ? i.nilf : undefined;
        let s1 = moveG(withO(s0, t.b, t.c, t.d), gi, t.a);
        // From a buffer: the value is nil or not only when every send on the channel says so.
        if (nilf) s1 = setFlag(s1, gi, nilf, m.objs[t.b]?.vtag === 1 ? 2 : m.objs[t.b]?.vtag === 2 ? 1 : 0);
        return ok ? setFlag(s1, gi, ok, 2) : s1;
      }
      case T_RECVCLOSED: {
        const i = instr(s0.gs[gi] as G);
        const c = i.k === 'select' ? i.cases[t.e] : undefined;
        const ok = c ? c.ok : i.k === 'recv' ? i.ok : undefined;
        const nilf = i.k === 'recv' ? i.nilf : undefined;
        let s1 = moveG(s0, gi, t.a);
        if (nilf) s1 = setFlag(s1, gi, nilf, 2); // the zero value
        return ok ? setFlag(s1, gi, ok, 1) : s1;
      }
      case T_CWAIT: {
        const l = m.objs[(instr(s0.gs[gi] as G) as { obj: number }).obj]?.lock;
        const s1 = l === undefined ? s0 : withO(s0, l, 0, 0);
        return withG(s1, gi, -1, 1, undefined, undefined);
      }
      case T_BCAST: {
        const o = (instr(s0.gs[gi] as G) as { obj: number }).obj;
        let s1 = moveG(s0, gi, t.a);
        s0.gs.forEach((h, hi) => {
          if (isWaiter(h, o)) s1 = withG(s1, hi, -1, 2, undefined, undefined);
        });
        return s1;
      }
      case T_SIGNAL:
        return withG(moveG(s0, gi, t.a), t.b, -1, 2, undefined, undefined);
      case T_GO: {
        const p = procs[t.b] as Proc;
        const g0 = s0.gs[gi] as G;
        const gs = s0.gs.slice();
        gs[gi] = mkG(g0.p, t.a, g0.st === 4 ? 0 : g0.st, g0.c, g0.f);
        gs.push(mkG(t.b, 0, 0, new Array<number>(p.ctrs).fill(0), new Array<number>(p.flags).fill(0)));
        return withGs(s0, gs);
      }
      default:
        throw new Error(`explore: unknown transition kind ${t.k}`);
    }
  };

  /** The trace text of taking an untracked select case (made once per case). */
  const caseTexts = new Map<SelCase, string>();
  const caseText = (c: SelCase): string => {
    let text = caseTexts.get(c);
    if (text === undefined) {
      const txt = c.site.file.textOf(c.site.node).replace(/\s+/g, ' ');
      text = `takes "case ${txt.length > 40 ? `${txt.slice(0, 37)}...` : txt}" (${c.once !== undefined ? 'the timer fires' : 'a channel the model does not track: it may be ready at any time'})`;
      caseTexts.set(c, text);
    }
    return text;
  };

  /** The trace step of transition t taken in state s (made only for a reported bug). */
  const stepOf = (s: State, t: Tr): TraceStep => {
    const gi = t.g;
    const g = s.gs[gi] as G;
    const i = instr(g);
    const proc = pname(g);
    const at = (site: Site | undefined, text: string): TraceStep => ({ g: gi, proc, site, text });
    // A channel step's object and site: of select case `e`, or of the send or receive itself.
    const cs = t.e >= 0 && i.k === 'select' ? i.cases[t.e] : undefined;
    const chan = cs ? cs.obj : 'obj' in i ? i.obj : -1;
    const chanSite = cs ? cs.site : 'site' in i ? i.site : undefined;
    const obj = oname(chan);
    switch (t.k) {
      case T_MOVE:
        switch (i.k) {
          case 'nop':
            return at(i.site, i.label ?? 'continues');
          case 'choice':
            return at(i.site, i.labels[t.b] ?? `takes branch ${t.b + 1}`);
          case 'flag':
            return at(i.site, `finds ${i.text} ${(flagVal(s, g, i.flag) === 2) !== !!i.negate ? 'true' : 'false'}`);
          case 'cmp':
            return at(i.site, `finds ${i.text} ${cmpHolds(i, flagVal(s, g, i.count) - 1)}`);
          case 'wait':
            return at(i.site, `returns from ${obj}.Wait (counter 0)`);
          case 'signal':
          case 'broadcast':
            return at(i.site, `calls ${obj}.${i.k === 'signal' ? 'Signal' : 'Broadcast'} with no goroutine waiting (the signal is lost)`);
          case 'once':
            return at(i.site, `calls ${obj}.Do (already done)`);
          case 'select': {
            const c = i.cases[t.b];
            return c ? at(c.site, caseText(c)) : at(i.site, 'takes the select default (no case is ready)');
          }
        }
        break;
      case T_HALT:
        switch (i.k) {
          case 'send':
          case 'select':
            return at(chanSite, `sends on closed channel ${obj} and panics`);
          case 'close':
            return at(i.site, `closes ${obj} again and panics`);
          case 'unlock':
            return at(i.site, `unlocks unlocked ${obj} (fatal error)`);
          case 'runlock':
            return at(i.site, `read-unlocks ${obj} not read-locked (fatal error)`);
          case 'add':
            return at(i.site, `makes the counter of ${obj} negative and panics`);
          case 'halt':
            return at(i.site, 'stops the program (panic or exit)');
        }
        break;
      case T_END:
        return at(chanSite, gi === 0 && m.kind !== 'main' ? `returns from ${m.entry}` : gi === 0 ? 'returns from main (the program exits)' : 'ends');
      case T_ARRIVE:
        return at(chanSite, `waits ${i.k === 'send' ? 'to send on' : i.k === 'recv' ? 'to receive from' : 'in a select on'} ${t.objs.map(oname).join(', ')}`);
      case T_WAKE:
        return at(chanSite, 'wakes up from Wait');
      case T_WAKELOCK:
        return at(chanSite, `wakes up from Wait and locks ${oname(t.b)} again`);
      case T_OBJ:
        switch (i.k) {
          case 'send':
          case 'select': {
            const sym = m.objs[chan]?.capSym;
            return at(chanSite, `sends on ${obj} (buffered, ${t.c}/${sym === undefined ? (m.objs[chan]?.cap ?? 0) : (s.gf[sym] ?? 0) - 1})`);
          }
          case 'close':
            return at(i.site, `closes ${obj}`);
          case 'cancel':
            return at(i.site, `cancels ${obj}`);
          case 'lock':
            return at(i.site, `locks ${obj}`);
          case 'rlock':
            return at(i.site, `read-locks ${obj}`);
          case 'unlock':
            return at(i.site, `unlocks ${obj}`);
          case 'runlock':
            return at(i.site, `read-unlocks ${obj}`);
          case 'add':
            return at(i.site, i.n === -1 ? `calls ${obj}.Done (counter ${t.c})` : `adds ${i.n} to ${obj} (counter ${t.c})`);
          case 'once':
            return at(i.site, `calls ${obj}.Do and runs the function`);
          case 'oncedone':
            return at(undefined, `returns from ${obj}.Do`);
        }
        break;
      case T_FLAG:
        switch (i.k) {
          case 'setflag':
            return at(i.site, `sets ${i.text} = ${i.value}`);
          case 'flag':
            return at(i.site, `finds ${i.text} ${(t.b === 2) !== !!i.negate ? 'true' : 'false'}`);
          case 'count': {
            const v = t.b - 1;
            return at(i.site, `sets ${i.text} to ${v === i.max ? `${v} or more` : v}`);
          }
          case 'cmp':
            return at(i.site, `assumes ${countText(i.count)} is ${t.b - 1}; finds ${i.text} ${cmpHolds(i, t.b - 1)}`);
        }
        break;
      case T_CAP:
        return at(chanSite, `assumes ${countText(t.x as FlagRef)} is ${t.b - 1}; the buffer of ${obj}`);
      case T_LOOP: {
        if (i.k !== 'loop') break;
        const iter = g.c[i.ctr] ?? 0;
        const n = t.a;
        const text = iter < n ? `runs iteration ${iter + 1} of ${n} of the loop` : `leaves the loop after ${n} iteration${n === 1 ? '' : 's'}`;
        return at(i.site, t.x ? `assumes ${countText(t.x)} is ${t.b - 1}; ${text}` : text);
      }
      case T_SETCTR:
        return at(undefined, 'continues');
      case T_CASEF: {
        const c = i.k === 'select' ? i.cases[t.b] : undefined;
        if (!c) break;
        return at(c.site, caseText(c));
      }
      case T_RDV: {
        const hg = s.gs[t.h] as G;
        const hs = instr(hg);
        const hsite = hs.k === 'select' ? (hs.cases[t.b]?.site ?? hs.site) : (hs as { site: Site }).site;
        const chosen = sentTag(s, g) === 0 && hs.k === 'recv' && !!hs.nilf;
        return { g: gi, proc, site: chanSite, text: `sends on ${obj}${chosen ? (t.c === 1 ? ' (a nil value)' : ' (a non-nil value)') : ''}`, with: { g: t.h, proc: pname(hg), site: hsite } };
      }
      case T_RECVBUF: {
        const sym = m.objs[chan]?.capSym;
        return at(chanSite, `receives from ${obj} (buffered, ${t.c}/${sym === undefined ? (m.objs[chan]?.cap ?? 0) : (s.gf[sym] ?? 1) - 1} left)`);
      }
      case T_RECVCLOSED:
        return at(chanSite, isCtx(chan) ? `sees ${obj} cancelled` : `receives from closed ${obj}${i.k === 'recv' && i.closed !== undefined ? ' and leaves the loop' : ''}`);
      case T_CWAIT: {
        const l = m.objs[chan]?.lock;
        return at(chanSite, `calls ${obj}.Wait${l === undefined ? '' : ` (unlocks ${oname(l)})`} and waits for a signal`);
      }
      case T_BCAST: {
        const woken: string[] = [];
        s.gs.forEach((h, hi) => {
          if (isWaiter(h, chan)) woken.push(`#${hi}`);
        });
        return at(chanSite, `calls ${obj}.Broadcast (wakes ${woken.join(', ')})`);
      }
      case T_SIGNAL:
        return at(chanSite, `calls ${obj}.Signal (wakes #${t.b})`);
      case T_GO:
        return at(chanSite, `starts goroutine #${s.gs.length} (${(procs[t.b] as Proc).name})`);
    }
    throw new Error(`explore: no trace text for transition kind ${t.k} at ${i.k}`);
  };

  const sendsOn = (i: Instr, o: number): boolean => (i.k === 'send' && i.obj === o) || (i.k === 'select' && i.cases.some((c) => c.dir === 'send' && c.obj === o));

  /** Objects a blocked goroutine waits on (asked for every goroutine of most states: kept on the G, which never changes). */
  const waitsOn = (g: G): Waiting | undefined => {
    if (g.w === undefined) g.w = waitsOnOf(g) ?? null;
    return g.w ?? undefined;
  };
  const waitsOnOf = (g: G): Waiting | undefined => {
    const i = instr(g);
    if (g.st === 1 && i.k === 'cwait') return { op: 'cwait', objs: [i.obj], site: i.site };
    if (g.st === 2 && i.k === 'cwait') {
      const l = m.objs[i.obj]?.lock;
      return { op: 'lock', objs: l === undefined ? [] : [l], site: i.site };
    }
    // An untracked case may be ready at any time, except a timer made once that already fired.
    if (i.k === 'select') return i.cases.some((c) => c.obj < 0 && !(c.once !== undefined && g.f[c.once] === 2)) || i.dflt !== undefined ? undefined : { op: 'select', objs: waitObjs(g), site: i.site };
    return BLOCKING_OPS.has(i.k) ? { op: i.k, objs: waitObjs(g), site: (i as { site: Site }).site } : undefined;
  };

  /**
   * Visited states, each with the transitions asleep when it was last entered: a hash
   * table of 2^k buckets, the states of a bucket chained through `next`, doubled when the
   * states outnumber the buckets; their ids are kept in one pool (`idPool`). A Map by hash
   * and an array of ids per state cost more (allocation, growth).
   */
  let buckets: Array<Seen | undefined> = new Array<Seen | undefined>(64).fill(undefined);
  let nSeen = 0;
  let idPool = new Int32Array(1024);
  let idTop = 0;
  const seenOf = (s: State, n: number, h: number): Seen | undefined => {
    for (let e = buckets[h & (buckets.length - 1)]; e !== undefined; e = e.next) if (e.h === h && e.u === s.u && sameIds(e, n) && sameNums(e.o, s.o) && sameNums(e.gf, s.gf)) return e;
    return undefined;
  };
  /** True when the ids of e equal ids[0, n). */
  const sameIds = (e: Seen, n: number): boolean => {
    if (e.ni !== n) return false;
    for (let k = 0; k < n; k++) if (idPool[e.ia + k] !== ids[k]) return false;
    return true;
  };
  /** Records a state first visited: its hash h, ids[0, n) and its sleep set. */
  const addSeen = (s: State, n: number, h: number, sleep: readonly Tr[]): void => {
    if (idTop + n > idPool.length) {
      const p = new Int32Array(Math.max(idPool.length * 2, idTop + n));
      p.set(idPool);
      idPool = p;
    }
    for (let k = 0; k < n; k++) idPool[idTop + k] = ids[k] as number;
    if (++nSeen > buckets.length) {
      const old = buckets;
      buckets = new Array<Seen | undefined>(old.length * 2).fill(undefined);
      for (let e of old)
        while (e !== undefined) {
          const next: Seen | undefined = e.next;
          const b = e.h & (buckets.length - 1);
          e.next = buckets[b];
          buckets[b] = e;
          e = next;
        }
    }
    const b = h & (buckets.length - 1);
    buckets[b] = { h, u: s.u, ia: idTop, ni: n, o: s.o, gf: s.gf, sleep, next: buckets[b] };
    idTop += n;
  };
  const path: Tr[] = [];
  const pathStates: State[] = [];
  let aborted = false;

  const report = (s: State, victims: number[], deadlock: boolean): void => {
    // Most states that show a stuck goroutine repeat a bug already recorded with a shorter trace: decide that first.
    const fresh = victims.filter((v) => {
      const g = s.gs[v] as G;
      const w = waitsOn(g);
      if (!w) return false;
      const prev = bugBySite.get(w.site.node.start);
      return !prev || (prev.unsure ? !s.u || prev.trace.length > path.length : !s.u && prev.trace.length > path.length);
    });
    if (fresh.length === 0) return;
    const blocked: Blocked[] = [];
    const held = heldLocks(pathStates, path, m);
    s.gs.forEach((g, gi) => {
      if (g.st === 3) return;
      const w = waitsOn(g);
      if (!w) return;
      blocked.push({ g: gi, proc: pname(g), site: w.site, op: w.op, objs: w.objs, holds: held.get(gi) ?? [] });
    });
    const trace = path.map((t, idx) => stepOf(pathStates[idx] as State, t));
    const done = new Set<number>();
    for (const v of fresh) {
      const b = blocked.find((x) => x.g === v);
      // Several goroutines blocked at one line: the first (lowest number) speaks for them.
      if (!b || done.has(b.site.node.start)) continue;
      done.add(b.site.node.start);
      bugBySite.set(b.site.node.start, { victim: b, blocked, deadlock, entryReturned: (s.gs[0] as G).st === 3, unsure: s.u, trace });
    }
  };

  const check = (s: State): void => {
    if (s.halted) return;
    const entryDone = (s.gs[0] as G).st === 3;
    // main returning ends the program: goroutines still blocked then are not leaks.
    if (m.kind === 'main' && entryDone) return;
    // Arriving at an operation is no progress: a goroutine that can only arrive is blocked.
    let progress = 0;
    const gs = s.gs;
    if (enabledG.length < gs.length) enabledG = new Uint8Array(gs.length * 2);
    else enabledG.fill(0, 0, gs.length);
    for (let k = 0; k < allN; k++) {
      const t = all[k] as Tr;
      if (t.arrive) continue;
      progress++;
      enabledG[t.g] = 1;
      if (t.h >= 0) enabledG[t.h] = 1;
    }
    let live = 0;
    for (const g of gs) {
      if (g.st === 3) continue;
      live++;
      // A goroutine about to panic or exit ends the program (or fails the test) first.
      if (g.st === 0 && instr(g).k === 'halt') return;
    }
    if (live === 0) return;
    if (progress === 0) {
      const victims: number[] = [];
      let rest = 0;
      let restParked = true;
      gs.forEach((g, gi) => {
        if (g.st === 3) return;
        if (waitsOn(g)) victims.push(gi);
        else {
          rest++;
          if (!(g.st === 0 && instr(g).k === 'park')) restParked = false;
        }
      });
      if (victims.length > 0 && restParked) report(s, victims, rest === 0);
      return;
    }
    let stuck: number[] | undefined;
    for (let gi = 0; gi < gs.length; gi++) {
      const g = gs[gi] as G;
      if (g.st === 3 || enabledG[gi] === 1) continue;
      const w = waitsOn(g);
      if (w && !touchedByOthers(gs, gi, w.objs, w.objs.length)) (stuck ??= []).push(gi);
    }
    if (stuck) report(s, stuck, false);
  };
  /** Scratch for `check`: the goroutines with a transition that is progress. */
  let enabledG = new Uint8Array(16);

  const futureBits = future.bits;
  const futureW = future.w;
  const futureAt = future.at;
  /** True when a live goroutine other than gi may touch one of `objs` from where it is now (or in a goroutine it may start). */
  const touchedByOthers = (gs: G[], gi: number, objs: readonly number[], n: number): boolean => {
    for (let hi = 0; hi < gs.length; hi++) {
      const h = gs[hi] as G;
      if (hi === gi || h.st === 3) continue;
      const at = (futureAt[h.p] as number) + h.pc * futureW;
      for (let k = 0; k < n; k++) {
        const o = objs[k] as number;
        if (o < futureW && futureBits[at + o] === 1) return true;
      }
    }
    return false;
  };

  const indep = (a: Tr, b: Tr): boolean => {
    if (a.g === b.g || a.g === b.h || (a.h >= 0 && (a.h === b.g || a.h === b.h))) return false;
    for (const o of a.objs) if (b.objs.includes(o)) return false;
    return true;
  };

  /** The end of the persistent set `persistent` returns the start of. */
  let persistentEnd = 0;
  /** Objects of one goroutine's transitions in `persistent` (scratch, never shortened: setting an array's length to 0 drops its storage). */
  const pObjs: number[] = [];
  /** Adds o to pObjs[0, n) unless there, and returns the new count. */
  const addObj = (n: number, o: number): number => {
    for (let k = 0; k < n; k++) if (pObjs[k] === o) return n;
    pObjs[n] = o;
    return n + 1;
  };
  /** The persistent set of the transitions of s (`all`), as all[start, persistentEnd): its start is returned. */
  const persistent = (s: State): number => {
    // A goroutine whose every enabled step touches nothing any other live goroutine can
    // touch (from where it is now, or in a goroutine it may start) runs alone.
    // `all` lists each goroutine's transitions together, in goroutine order (see enter).
    for (let from = 0; from < allN; ) {
      const gi = (all[from] as Tr).g;
      let to = from;
      let rendezvous = false;
      for (; to < allN && (all[to] as Tr).g === gi; to++) if ((all[to] as Tr).h >= 0) rendezvous = true;
      const start = from;
      from = to;
      if (rendezvous) continue;
      const g = s.gs[gi] as G;
      const i = instr(g);
      // A select's default depends on whether others can make a case ready.
      if (i.k === 'select' && i.dflt !== undefined) continue;
      // The objects its steps touch or it waits on (a scratch array: pObjs[0, n)).
      let n = 0;
      for (let k = start; k < to; k++) for (const o of (all[k] as Tr).objs) n = addObj(n, o);
      for (const o of waitObjs(g)) n = addObj(n, o);
      if (!touchedByOthers(s.gs, gi, pObjs, n)) {
        persistentEnd = to;
        return start;
      }
    }
    persistentEnd = allN;
    return 0;
  };

  const dfs = (s0: State): void => {
    /** `next`: index of the next transition of `todo` to take (the ones before it are done). */
    type Frame = { s: State; todo: Tr[]; next: number; sleep: readonly Tr[] };
    const enter = (s: State, sleep: readonly Tr[]): Frame | undefined => {
      // A halted state keeps its parent's goroutines and objects (see halt), so it would match
      // the parent's visited entry and narrow that entry's sleep set as if explored: it ends
      // here, before the visited states are consulted.
      if (aborted || s.halted) return undefined;
      const nIds = idsOf(s);
      const h = hashOf(s, nIds);
      const seen = seenOf(s, nIds, h);
      let restrict: Tr[] | undefined;
      if (seen) {
        // Revisited with a smaller sleep set: explore what slept before and does not now.
        const keep: Tr[] = [];
        for (const u of seen.sleep) {
          if (asleep(sleep, u.key)) keep.push(u);
          else (restrict ??= []).push(u);
        }
        if (!restrict) return undefined;
        seen.sleep = keep;
      } else {
        // The sleep set itself is kept (sleep sets are never changed once made).
        addSeen(s, nIds, h, sleep);
        res.states++;
        if (res.states > budget.states) {
          res.complete = false;
          res.stop = 'states';
          aborted = true;
          return undefined;
        }
        if ((res.states & 127) === 0 && performance.now() - t0 > budget.ms) {
          res.complete = false;
          res.stop = 'time';
          aborted = true;
          return undefined;
        }
      }
      // Goroutine by goroutine, so each one's transitions are listed together (persistent relies on it).
      allN = 0;
      for (let gi = 0; gi < s.gs.length; gi++) transitionsOf(s, gi);
      if (!seen) check(s);
      const todo: Tr[] = [];
      const from = persistent(s);
      const end = persistentEnd;
      for (let k = from; k < end; k++) {
        const t = all[k] as Tr;
        if (!asleep(sleep, t.key) && (restrict === undefined || asleep(restrict, t.key))) todo.push(t);
      }
      return { s, todo, next: 0, sleep };
    };
    const stack: Frame[] = [];
    const f0 = enter(s0, NO_SLEEP);
    if (f0) stack.push(f0);
    while (stack.length > 0 && !aborted) {
      const f = stack[stack.length - 1] as Frame;
      const t = f.next < f.todo.length ? f.todo[f.next++] : undefined;
      if (!t) {
        stack.pop();
        path.pop();
        pathStates.pop();
        continue;
      }
      res.transitions++;
      // A state reached through a branch the model does not know is tainted, and so is
      // everything after it: no bug found there is ever reported, so it is not explored.
      if (t.unsure) continue;
      const ns = applyTr(f.s, t);
      // Sleep set of the successor: what slept here or was explored before t, and commutes with t.
      // Made only when something sleeps (sleep sets are read, never changed, once made).
      let nsleep: Tr[] | undefined;
      for (const u of f.sleep) if (indep(u, t)) nsleep = addAsleep(nsleep, u);
      for (let k = 0; k < f.next - 1; k++) {
        const u = f.todo[k] as Tr;
        if (indep(u, t)) nsleep = addAsleep(nsleep, u);
      }
      path.push(t);
      pathStates.push(f.s);
      const nf = enter(ns, nsleep ?? NO_SLEEP);
      if (nf) stack.push(nf);
      else {
        path.pop();
        pathStates.pop();
      }
    }
  };

  // The root frame pushes nothing onto `path`; the pops at its exit are harmless on empty arrays.
  dfs(init);
  res.ms = performance.now() - t0;
  res.bugs = [...bugBySite.values()].filter((b) => !b.unsure);
  if (!res.complete) res.bugs = [];
  return res;
}

/** A visited state (see `idsOf` in {@link explore}) and the transitions asleep when it was last entered. */
interface Seen {
  /** Its hash. */
  h: number;
  u: boolean;
  /** Its ids: idPool[ia, ia + ni). */
  ia: number;
  ni: number;
  o: number[];
  gf: number[];
  sleep: readonly Tr[];
  /** The next visited state in the same bucket. */
  next: Seen | undefined;
}

function sameNums(a: number[], b: number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Sleep sets are arrays of transitions with distinct keys (a handful: a Map or Set per
 * state and transition cost more than scanning them); a transition added with the key of
 * one already there takes its place, as a Map's `set` would.
 */
const NO_SLEEP: readonly Tr[] = [];

/** True when a transition of `sleep` has key k. */
function asleep(sleep: readonly Tr[], k: Key): boolean {
  for (const u of sleep) if (u.key === k) return true;
  return false;
}

/** Adds u to the sleep set being made (made on first use), in the place of the one with its key. */
function addAsleep(sleep: Tr[] | undefined, u: Tr): Tr[] {
  if (sleep === undefined) return [u];
  for (let k = 0; k < sleep.length; k++)
    if ((sleep[k] as Tr).key === u.key) {
      sleep[k] = u;
      return sleep;
    }
  sleep.push(u);
  return sleep;
}

/** No objects (shared: transition objects are never changed). */
const NO_OBJS: readonly number[] = [];

/** No transitions (shared by the goroutines that have none of their own). */
const NO_TRS: Tr[] = [];

/** Object ids an instruction may wait on (for persistent sets: enabledness depends on them). */
/** Instructions that may block on their one object (a select and Cond.Wait are handled apart). */
const BLOCKING_OPS = new Set<Instr['k']>(['send', 'recv', 'lock', 'rlock', 'wait', 'once']);

function waitsOnAny(i: Instr, m: Model): number[] {
  if (i.k === 'select') return i.cases.filter((c) => c.obj >= 0).map((c) => c.obj);
  if (i.k === 'cwait') {
    const l = m.objs[i.obj]?.lock;
    return l === undefined ? [i.obj] : [i.obj, l];
  }
  return 'obj' in i ? [i.obj] : [];
}

/** Locks each goroutine holds at the end of a trace (replayed from the trace's states). */
function heldLocks(states: State[], path: Tr[], m: Model): Map<number, number[]> {
  const held = new Map<number, number[]>();
  path.forEach((t, idx) => {
    const s = states[idx] as State;
    const g = s.gs[t.g];
    if (!g) return;
    const i = m.procs[g.p]?.code[g.pc];
    if (!i) return;
    const list = held.get(t.g) ?? [];
    if (g.st === 2 && i.k === 'cwait') {
      const l = m.objs[i.obj]?.lock;
      if (l !== undefined) list.push(l);
    } else if (i.k === 'lock' || i.k === 'rlock') list.push(i.obj);
    else if (i.k === 'unlock' || i.k === 'runlock') {
      const at = list.lastIndexOf(i.obj);
      if (at >= 0) list.splice(at, 1);
    } else if (i.k === 'cwait' && g.st === 0) {
      const l = m.objs[i.obj]?.lock;
      const at = l === undefined ? -1 : list.lastIndexOf(l);
      if (at >= 0) list.splice(at, 1);
    }
    held.set(t.g, list);
  });
  return held;
}
