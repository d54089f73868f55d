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
  /** Its description in state keys (computed on first use; a G is never changed once made, so it stays true). */
  d: string | undefined;
  /** What it waits on when blocked ({@link explore}'s `waitsOn`; null: nothing), computed on first use (it depends on the G only). */
  w: Waiting | null | undefined;
}

/** What a blocked goroutine waits for: the operation, its objects, where. */
interface Waiting {
  op: string;
  objs: number[];
  site: Site;
}

/** A goroutine state (every G is made here, so they all share one shape). */
function mkG(p: number, pc: number, st: number, c: number[], f: number[]): G {
  return { p, pc, st, c, f, d: undefined, w: undefined };
}

/** The state with goroutines `gs` (everything else as in `s`). */
function withGs(s: State, gs: G[]): State {
  return { gs, o: s.o, gf: s.gf, halted: s.halted, u: s.u, dk: s.dk };
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
   * The key text of `o` and `gf` (made on first use). Most steps move one goroutine and
   * share both arrays with the state before (arrays are never changed once in a state), so
   * the text is carried along instead of made again for every state.
   */
  dk: string | undefined;
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

interface Tr {
  g: number;
  /** A branch on data another goroutine writes, taken without knowing the data: a bug behind it is not proven. */
  unsure?: boolean;
  /** Receiver goroutine of a rendezvous. */
  h?: number;
  /** The goroutine only arrives at its blocking operation (see `arrival`): not progress, so not counted when deciding that everything is blocked. */
  arrive?: boolean;
  key: string;
  objs: number[];
  apply: (s: State) => State;
  step: (s: State) => TraceStep;
}

/** Objects (and flag pseudo-objects, offset by the object count) each instruction of each proc may touch from there on, spawned goroutines included. */
function futureSets(m: Model): Array<Array<Set<number>>> {
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
  const sets = m.procs.map((p) => p.code.map(() => new Set<number>()));
  let changed = true;
  while (changed) {
    changed = false;
    m.procs.forEach((p, pi) => {
      const ps = sets[pi] as Array<Set<number>>;
      for (let pc = p.code.length - 1; pc >= 0; pc--) {
        const i = p.code[pc] as Instr;
        const s = ps[pc] as Set<number>;
        const before = s.size;
        for (const o of direct(i, [])) s.add(o);
        for (const n of succ(i)) for (const o of ps[n] ?? []) s.add(o);
        if (i.k === 'go') for (const o of sets[i.proc]?.[0] ?? []) s.add(o);
        if (s.size !== before) changed = true;
      }
    });
  }
  return sets;
}

/** Explores a model within a budget. */
export function explore(m: Model, budget: Budget = DEFAULT_BUDGET): Exploration {
  const t0 = performance.now();
  const nObj = m.objs.length;
  const future = futureSets(m);
  const procs = m.procs;
  const res: Exploration = { model: m, complete: true, states: 0, transitions: 0, ms: 0, bounded: false, bugs: [] };
  const bugBySite = new Map<number, Bug>();

  const init: State = {
    gs: [mkG(0, 0, 0, new Array<number>(procs[0]?.ctrs ?? 0).fill(0), new Array<number>(procs[0]?.flags ?? 0).fill(0))],
    o: new Array<number>(nObj * 2).fill(0),
    gf: m.globals.map((g) => (g.fixed === undefined ? 0 : g.fixed + 1)),
    halted: false,
    u: false,
    dk: undefined,
  };

  /**
   * A goroutine's description in keys: a short decimal id interned from its full state
   * (template, pc, status, counters, flags). Equal ids mean equal goroutine states, so state
   * and transition keys compare exactly as the full text would, at a fraction of the length
   * (the keys are hashed and compared for every state and every sleeping transition).
   * Decimal, so a key still starts with a digit (after the optional taint mark `u`).
   */
  const gids = new Map<string, string>();
  const gdesc = (g: G): string => {
    if (g.d !== undefined) return g.d;
    const full = `${g.p}.${g.pc}.${g.st}.${g.c.join(',')}.${g.f.join(',')}`;
    let id = gids.get(full);
    if (id === undefined) gids.set(full, (id = String(gids.size)));
    return (g.d = id);
  };
  const keyOf = (s: State): string => {
    const gs = s.gs;
    // Ended goroutines take no part in what can happen next: they are left out of the key.
    const rest: string[] = [];
    for (let i = 1; i < gs.length; i++) {
      const g = gs[i] as G;
      if (g.st !== 3) rest.push(gdesc(g));
    }
    rest.sort();
    const dk = s.dk ?? (s.dk = `${s.o.join(',')}|${s.gf.join(',')}`);
    return `${s.u ? 'u' : ''}${gdesc(gs[0] as G)}|${rest.join('|')}|${dk}`;
  };
  const instr = (g: G): Instr => (procs[g.p] as Proc).code[g.pc] as Instr;
  const pname = (g: G): string => (procs[g.p] as Proc).name;
  const oname = (o: number): string => m.objs[o]?.name ?? '?';

  const withG = (s: State, gi: number, ng: Partial<G>): State => {
    const gs = s.gs.slice();
    const g0 = gs[gi] as G;
    // A goroutine that moves on is no longer waiting where it was.
    const st = ng.st ?? (g0.st === 4 && ng.pc !== undefined ? 0 : g0.st);
    gs[gi] = mkG(g0.p, ng.pc ?? g0.pc, st, ng.c ?? g0.c, ng.f ?? g0.f);
    return withGs(s, gs);
  };
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
  const waiting = (st: number): boolean => st === 0 || st === 4;
  const withO = (s: State, o: number, a: number, b: number): State => {
    const os = s.o.slice();
    os[o * 2] = a;
    os[o * 2 + 1] = b;
    return { gs: s.gs, o: os, gf: s.gf, halted: s.halted, u: s.u, dk: undefined };
  };
  const flagVal = (s: State, g: G, f: FlagRef): number => (f.global ? (s.gf[f.slot] ?? 0) : (g.f[f.slot] ?? 0));
  const setFlag = (s: State, gi: number, f: FlagRef, v: number): State => {
    if (f.global) {
      const gf = s.gf.slice();
      gf[f.slot] = v;
      return { gs: s.gs, o: s.o, gf, halted: s.halted, u: s.u, dk: undefined };
    }
    const g = s.gs[gi] as G;
    const fl = g.f.slice();
    fl[f.slot] = v;
    return withG(s, gi, { f: fl });
  };
  const chanState = (s: State, o: number): { n: number; closed: boolean } => ({ n: s.o[o * 2] ?? 0, closed: (s.o[o * 2 + 1] ?? 0) === 1 });
  const isCtx = (o: number): boolean => m.objs[o]?.kind === 'ctx';

  /** Rendezvous partners: goroutines (≠ gi) ready to receive on `o`, with the select case index (-1 for a plain receive). */
  const receivers = (s: State, gi: number, o: number): Array<{ h: number; ci: number }> => {
    const out: Array<{ h: number; ci: number }> = [];
    s.gs.forEach((h, hi) => {
      if (hi === gi || !waiting(h.st)) return;
      const hi2 = instr(h);
      if (hi2.k === 'recv' && hi2.obj === o) out.push({ h: hi, ci: -1 });
      else if (hi2.k === 'select') hi2.cases.forEach((c, ci) => c.dir === 'recv' && c.obj === o && out.push({ h: hi, ci }));
    });
    return out;
  };

  /** The state after goroutine `hi` receives a value on `o` (a rendezvous): it moves on to its receive's (or case's) next. */
  const recvDone = (s: State, hi: number, ci: number, tag = 0): State => {
    const h = s.gs[hi] as G;
    const i = instr(h);
    if (i.k === 'recv') {
      let s1 = withG(s, hi, { pc: i.next });
      if (i.nilf) s1 = setFlag(s1, hi, i.nilf, tag === 1 ? 2 : tag === 2 ? 1 : 0);
      return i.ok ? setFlag(s1, hi, i.ok, 2) : s1;
    }
    if (i.k === 'select') {
      const c = i.cases[ci];
      if (!c) return s;
      const s1 = withG(s, hi, { pc: c.next });
      return c.ok ? setFlag(s1, hi, c.ok, 2) : s1;
    }
    return s;
  };

  const halt = (s: State): State => ({ gs: s.gs, o: s.o, gf: s.gf, halted: true, u: s.u, dk: s.dk });

  /**
   * One transition per value of a symbolic count nobody has chosen yet: it is set to n, then
   * `then(s, n)`. A count of 0 (an empty collection) is a degenerate input the callers may
   * never pass: what blocks only then is not proven (unsure).
   */
  const assume = (gi: number, g: G, f: FlagRef, key: string, site: Site | undefined, then: (s0: State, n: number) => State, what: (n: number) => string): Tr[] => {
    const dom = f.global ? (m.globals[f.slot]?.domain ?? 2) : 2;
    const gtext = f.global ? (m.globals[f.slot]?.text ?? 'the count') : 'the count';
    return Array.from({ length: dom }, (_, n) => ({
      g: gi,
      key: `${key}#n${n}`,
      objs: f.global ? [nObj + f.slot] : [],
      apply: (s0: State) => then(setFlag(s0, gi, f, n + 1), n),
      unsure: n === 0,
      step: () => ({ g: gi, proc: pname(g), site, text: `assumes ${gtext} is ${n}; ${what(n)}` }),
    }));
  };

  /** Transitions for a send of goroutine gi on o, continuing at next. */
  const sendTrs = (s: State, gi: number, o: number, next: number, site: Site, tag: string): Tr[] => {
    const g = s.gs[gi] as G;
    const { n, closed } = chanState(s, o);
    const key = `${gdesc(g)}${tag}`;
    if (closed) return [{ g: gi, key, objs: [o], apply: halt, step: () => ({ g: gi, proc: pname(g), site, text: `sends on closed channel ${oname(o)} and panics` }) }];
    const sym = m.objs[o]?.capSym;
    let cap = m.objs[o]?.cap ?? 0;
    if (sym !== undefined) {
      const v = s.gf[sym] ?? 0;
      if (v === 0) {
        // The buffer's size is a count nobody has read yet: choose it (as a loop over the same count would).
        return assume(gi, g, { global: true, slot: sym }, `${key}#cap`, site, (s0) => s0, () => `the buffer of ${oname(o)}`);
      }
      cap = v - 1;
    }
    const out: Tr[] = [];
    if (n < cap)
      out.push({
        g: gi,
        key,
        objs: [o],
        apply: (s0) => withG(withO(s0, o, n + 1, 0), gi, { pc: next }),
        step: () => ({ g: gi, proc: pname(g), site, text: `sends on ${oname(o)} (buffered, ${n + 1}/${cap})` }),
      });
    else if (cap === 0) {
      // What the receiver learns about the value: nil or not (see Instr 'send').
      const si = instr(g);
      const vflag = si.k === 'send' ? si.vflag : undefined;
      const fv = vflag ? flagVal(s, g, vflag) : 0;
      const known = si.k === 'send' && si.vtag ? si.vtag : fv === 2 ? 1 : fv === 1 ? 2 : 0;
      for (const { h, ci } of receivers(s, gi, o)) {
        const hg = s.gs[h] as G;
        const hs = instr(hg);
        const hsite = hs.k === 'select' ? (hs.cases[ci]?.site ?? hs.site) : (hs as { site: Site }).site;
        // A receiver that tests the value it gets: an unknown value is chosen here, once, for both sides.
        const tags = known === 0 && hs.k === 'recv' && hs.nilf ? [1, 2] : [known];
        for (const tag of tags)
          out.push({
            g: gi,
            h,
            key: `${key}>${gdesc(hg)}/${ci}${tags.length > 1 ? `v${tag}` : ''}`,
            objs: [o],
            apply: (s0) => {
              let s1 = withG(s0, gi, { pc: next });
              if (vflag && fv === 0 && tag !== 0) s1 = setFlag(s1, gi, vflag, tag === 1 ? 2 : 1);
              return recvDone(s1, h, ci, tag);
            },
            step: () => ({ g: gi, proc: pname(g), site, text: `sends on ${oname(o)}${tags.length > 1 ? (tag === 1 ? ' (a nil value)' : ' (a non-nil value)') : ''}`, with: { g: h, proc: pname(hg), site: hsite } }),
          });
      }
    }
    return out;
  };

  /** Transitions for a receive of goroutine gi on o that does not need a sender to move at the same time. */
  const recvTrs = (s: State, gi: number, o: number, next: number, closedNext: number | undefined, ok: FlagRef | undefined, site: Site, tag: string, nilf?: FlagRef): Tr[] => {
    const g = s.gs[gi] as G;
    const { n, closed } = chanState(s, o);
    const key = `${gdesc(g)}${tag}`;
    if (n > 0)
      return [
        {
          g: gi,
          key,
          objs: [o],
          apply: (s0) => {
            let s1 = withG(withO(s0, o, n - 1, closed ? 1 : 0), gi, { pc: next });
            // From a buffer: the value is nil or not only when every send on the channel says so.
            if (nilf) s1 = setFlag(s1, gi, nilf, m.objs[o]?.vtag === 1 ? 2 : m.objs[o]?.vtag === 2 ? 1 : 0);
            return ok ? setFlag(s1, gi, ok, 2) : s1;
          },
          step: () => ({ g: gi, proc: pname(g), site, text: `receives from ${oname(o)} (buffered, ${n - 1}/${m.objs[o]?.capSym === undefined ? (m.objs[o]?.cap ?? 0) : (s.gf[m.objs[o]?.capSym ?? 0] ?? 1) - 1} left)` }),
        },
      ];
    if (closed)
      return [
        {
          g: gi,
          key,
          objs: [o],
          apply: (s0) => {
            let s1 = withG(s0, gi, { pc: closedNext ?? next });
            if (nilf) s1 = setFlag(s1, gi, nilf, 2); // the zero value
            return ok ? setFlag(s1, gi, ok, 1) : s1;
          },
          step: () => ({ g: gi, proc: pname(g), site, text: isCtx(o) ? `sees ${oname(o)} cancelled` : `receives from closed ${oname(o)}${closedNext !== undefined ? ' and leaves the loop' : ''}` }),
        },
      ];
    return [];
  };

  const lockStep = (gi: number, g: G, site: Site | undefined, text: string): (() => TraceStep) => () => ({ g: gi, proc: pname(g), site, text });

  /** Enabled transitions of goroutine gi (rendezvous listed under the sender). */
  const transitionsOf = (s: State, gi: number): Tr[] => {
    const out = opsOf(s, gi);
    const g = s.gs[gi] as G;
    if (g.st === 0) {
      const i = instr(g);
      const objs = waitsAt(i);
      if (objs.length > 0) out.push({ g: gi, key: `${gdesc(g)}@a`, objs, arrive: true, apply: (s0) => withG(s0, gi, { st: 4 }), step: () => ({ g: gi, proc: pname(g), site: (i as { site: Site }).site, text: `waits ${i.k === 'send' ? 'to send on' : i.k === 'recv' ? 'to receive from' : 'in a select on'} ${objs.map(oname).join(', ')}` }) });
    }
    return out;
  };

  const opsOf = (s: State, gi: number): Tr[] => {
    const g = s.gs[gi] as G;
    if (g.st === 3) return [];
    const i = instr(g);
    const key = gdesc(g);
    const local = (apply: (s0: State) => State, text: string, site?: Site, tag = '', unsure?: boolean, objs: number[] = []): Tr => ({ g: gi, unsure, key: key + tag, objs, apply, step: () => ({ g: gi, proc: pname(g), site, text }) });
    if (g.st === 1) return []; // waiting for a Signal
    if (g.st === 2) {
      // Signalled: re-acquire the Cond's lock, then continue after Wait.
      const l = i.k === 'cwait' ? m.objs[i.obj]?.lock : undefined;
      if (i.k !== 'cwait') return [];
      if (l === undefined) return [local((s0) => withG(s0, gi, { st: 0, pc: i.next }), 'wakes up from Wait', i.site)];
      if ((s.o[l * 2] ?? 0) !== 0 || (s.o[l * 2 + 1] ?? 0) !== 0) return [];
      return [{ g: gi, key, objs: [l, i.obj], apply: (s0) => withG(withO(s0, l, 1, 0), gi, { st: 0, pc: i.next }), step: lockStep(gi, g, i.site, `wakes up from Wait and locks ${oname(l)} again`) }];
    }
    switch (i.k) {
      case 'nop':
        return [local((s0) => withG(s0, gi, { pc: i.next }), i.label ?? 'continues', i.site)];
      case 'choice':
        return i.nexts.map((n, ci) => local((s0) => withG(s0, gi, { pc: n }), i.labels[ci] ?? `takes branch ${ci + 1}`, i.site, `#${ci}`, i.unsure || i.unsureAt?.[ci]));
      case 'setflag':
        return [{ g: gi, key, objs: i.flag.global ? [nObj + i.flag.slot] : [], apply: (s0) => withG(setFlag(s0, gi, i.flag, i.value ? 2 : 1), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `sets ${i.text} = ${i.value}`) }];
      case 'flag': {
        const v = flagVal(s, g, i.flag);
        if (v !== 0) {
          const truth = v === 2; // stored as value+1: 1 = false, 2 = true
          return [local((s0) => withG(s0, gi, { pc: truth ? i.then : i.else }), `finds ${i.text} ${truth !== !!i.negate ? 'true' : 'false'}`, i.site)];
        }
        const tr = (val: boolean): Tr => ({
          g: gi,
          key: `${key}#${val ? 't' : 'f'}`,
          objs: i.flag.global ? [nObj + i.flag.slot] : [],
          apply: (s0) => withG(setFlag(s0, gi, i.flag, val ? 2 : 1), gi, { pc: val ? i.then : i.else }),
          unsure: i.unsureVal === val || !!i.unsureUnset,
          step: () => ({ g: gi, proc: pname(g), site: i.site, text: `finds ${i.text} ${val !== !!i.negate ? 'true' : 'false'}` }),
        });
        return [tr(true), tr(false)];
      }
      case 'count': {
        const cur = Math.max(0, flagVal(s, g, i.flag) - 1);
        const v = Math.min(i.max, i.op === 'set' ? i.n : cur + i.n);
        const f = i.flag;
        return [local((s0) => withG(setFlag(s0, gi, f, v + 1), gi, { pc: i.next }), `sets ${i.text} to ${v === i.max ? `${v} or more` : v}`, i.site, '', undefined, f.global ? [nObj + f.slot] : [])];
      }
      case 'setctr': {
        const c = g.c.slice();
        c[i.ctr] = 0;
        return [local((s0) => withG(s0, gi, { pc: i.next, c }), 'continues')];
      }
      case 'cmp': {
        const holds = (n: number): boolean => {
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
        const v = flagVal(s, g, i.count);
        if (v !== 0) return [local((s0) => withG(s0, gi, { pc: holds(v - 1) ? i.then : i.else }), `finds ${i.text} ${holds(v - 1)}`, i.site)];
        return assume(gi, g, i.count, key, i.site, (s0, n) => withG(s0, gi, { pc: holds(n) ? i.then : i.else }), (n) => `finds ${i.text} ${holds(n)}`);
      }
      case 'loop': {
        const iter = g.c[i.ctr] ?? 0;
        const go = (s0: State, n: number): State => {
          const c = g.c.slice();
          if (iter < n) {
            c[i.ctr] = iter + 1;
            return withG(s0, gi, { pc: i.body, c });
          }
          c[i.ctr] = 0;
          return withG(s0, gi, { pc: i.exit, c });
        };
        const text = (n: number): string => (iter < n ? `runs iteration ${iter + 1} of ${n} of the loop` : `leaves the loop after ${n} iteration${n === 1 ? '' : 's'}`);
        if (typeof i.count === 'number') return [local((s0) => go(s0, i.count as number), text(i.count), i.site)];
        const f = i.count;
        const add = i.add ?? 0;
        const v = flagVal(s, g, f);
        if (v !== 0) return [local((s0) => go(s0, Math.max(0, v - 1 + add)), text(Math.max(0, v - 1 + add)), i.site)];
        return assume(gi, g, f, key, i.site, (s0, n) => go(s0, Math.max(0, n + add)), (n) => text(Math.max(0, n + add)));
      }
      case 'send':
        return sendTrs(s, gi, i.obj, i.next, i.site, '');
      case 'recv':
        return recvTrs(s, gi, i.obj, i.next, i.closed, i.ok, i.site, '', i.nilf);
      case 'close': {
        const { n, closed } = chanState(s, i.obj);
        if (closed && !isCtx(i.obj)) return [{ g: gi, key, objs: [i.obj], apply: halt, step: lockStep(gi, g, i.site, `closes ${oname(i.obj)} again and panics`) }];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, n, 1), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `closes ${oname(i.obj)}`) }];
      }
      case 'cancel': {
        const { n } = chanState(s, i.obj);
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, n, 1), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `cancels ${oname(i.obj)}`) }];
      }
      case 'select': {
        const out: Tr[] = [];
        i.cases.forEach((c, ci) => {
          if (c.obj < 0) return;
          if (c.dir === 'send') out.push(...sendTrs(s, gi, c.obj, c.next, c.site, `@${ci}`));
          else out.push(...recvTrs(s, gi, c.obj, c.next, undefined, c.ok, c.site, `@${ci}`));
        });
        // A case may also be ready because another goroutine can send to it right now (a
        // rendezvous listed under that sender); default runs only when no case is ready.
        // Only a partner already waiting (st 4) makes a case ready for the default's purpose.
        const recvReady = i.cases.some((c) => c.dir === 'recv' && c.obj >= 0 && s.gs.some((h, hi) => hi !== gi && h.st === 4 && sendsOn(instr(h), c.obj)));
        const ready = out.some((t) => t.h === undefined || (s.gs[t.h] as G).st === 4) || recvReady;
        i.cases.forEach((c, ci) => {
          // A timer fires after its duration: a case whose other side is already waiting wins over it.
          if (c.obj >= 0 || (c.timer && ready)) return;
          const text = caseText(c);
          // A timer made once that already fired delivers nothing more.
          if (c.once !== undefined && g.f[c.once] === 2) return;
          const f = c.fired;
          if (f === undefined) {
            out.push(local((s0) => withG(s0, gi, { pc: c.next }), text, c.site, `@${ci}`, c.unsure));
            return;
          }
          // A timeout that wins once is what timeouts are for; one that wins at every
          // iteration of a loop against a partner about to be ready is a guess about timing.
          const again = (g.f[f] ?? 0) !== 0;
          const fl = g.f.slice();
          fl[f] = 1;
          if (c.once !== undefined) fl[c.once] = 2;
          out.push(local((s0) => withG(s0, gi, { pc: c.next, f: fl }), text, c.site, `@${ci}`, again || c.unsure));
        });
        if (i.dflt !== undefined && !ready) {
          const d = i.dflt;
          out.push({ g: gi, key: `${key}@d`, objs: i.cases.filter((c) => c.obj >= 0).map((c) => c.obj), apply: (s0) => withG(s0, gi, { pc: d }), step: lockStep(gi, g, i.site, 'takes the select default (no case is ready)') });
        }
        return out;
      }
      case 'lock': {
        const w = s.o[i.obj * 2] ?? 0;
        const r = s.o[i.obj * 2 + 1] ?? 0;
        if (w !== 0 || r !== 0) return [];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, 1, 0), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `locks ${oname(i.obj)}`) }];
      }
      case 'rlock': {
        const w = s.o[i.obj * 2] ?? 0;
        const r = s.o[i.obj * 2 + 1] ?? 0;
        // sync.RWMutex: "if any goroutine calls Lock while the lock is already held by one
        // or more readers, concurrent calls to RLock will block until the writer has
        // acquired (and released) the lock".
        const writerQueued = r > 0 && s.gs.some((h, hi) => hi !== gi && waiting(h.st) && instr(h).k === 'lock' && (instr(h) as { obj: number }).obj === i.obj);
        if (w !== 0 || writerQueued) return [];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, 0, r + 1), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `read-locks ${oname(i.obj)}`) }];
      }
      case 'unlock': {
        const w = s.o[i.obj * 2] ?? 0;
        if (w === 0) return [{ g: gi, key, objs: [i.obj], apply: halt, step: lockStep(gi, g, i.site, `unlocks unlocked ${oname(i.obj)} (fatal error)`) }];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, 0, 0), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `unlocks ${oname(i.obj)}`) }];
      }
      case 'runlock': {
        const r = s.o[i.obj * 2 + 1] ?? 0;
        if (r === 0) return [{ g: gi, key, objs: [i.obj], apply: halt, step: lockStep(gi, g, i.site, `read-unlocks ${oname(i.obj)} not read-locked (fatal error)`) }];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, 0, r - 1), gi, { pc: i.next }), step: lockStep(gi, g, i.site, `read-unlocks ${oname(i.obj)}`) }];
      }
      case 'add': {
        const v = (s.o[i.obj * 2] ?? 0) + i.n;
        if (v < 0) return [{ g: gi, key, objs: [i.obj], apply: halt, step: lockStep(gi, g, i.site, `makes the counter of ${oname(i.obj)} negative and panics`) }];
        const what = i.n === -1 ? `calls ${oname(i.obj)}.Done (counter ${v})` : `adds ${i.n} to ${oname(i.obj)} (counter ${v})`;
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, v, 0), gi, { pc: i.next }), step: lockStep(gi, g, i.site, what) }];
      }
      case 'wait':
        if ((s.o[i.obj * 2] ?? 0) !== 0) return [];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(s0, gi, { pc: i.next }), step: lockStep(gi, g, i.site, `returns from ${oname(i.obj)}.Wait (counter 0)`) }];
      case 'cwait': {
        const l = m.objs[i.obj]?.lock;
        const objs = l === undefined ? [i.obj] : [i.obj, l];
        return [
          {
            g: gi,
            key,
            objs,
            apply: (s0) => {
              const s1 = l === undefined ? s0 : withO(s0, l, 0, 0);
              return withG(s1, gi, { st: 1 });
            },
            step: lockStep(gi, g, i.site, `calls ${oname(i.obj)}.Wait${l === undefined ? '' : ` (unlocks ${oname(l)})`} and waits for a signal`),
          },
        ];
      }
      case 'signal':
      case 'broadcast': {
        const waiters = s.gs.map((h, hi) => ({ h, hi })).filter(({ h }) => h.st === 1 && instr(h).k === 'cwait' && (instr(h) as { obj: number }).obj === i.obj);
        const verb = i.k === 'signal' ? 'Signal' : 'Broadcast';
        if (waiters.length === 0) return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(s0, gi, { pc: i.next }), step: lockStep(gi, g, i.site, `calls ${oname(i.obj)}.${verb} with no goroutine waiting (the signal is lost)`) }];
        if (i.k === 'broadcast')
          return [
            {
              g: gi,
              key,
              objs: [i.obj],
              apply: (s0) => {
                let s1 = withG(s0, gi, { pc: i.next });
                for (const { hi } of waiters) s1 = withG(s1, hi, { st: 2 });
                return s1;
              },
              step: lockStep(gi, g, i.site, `calls ${oname(i.obj)}.Broadcast (wakes ${waiters.map((w) => `#${w.hi}`).join(', ')})`),
            },
          ];
        return waiters.map(({ h, hi }) => ({
          g: gi,
          key: `${key}>${gdesc(h)}`,
          objs: [i.obj],
          apply: (s0: State) => withG(withG(s0, gi, { pc: i.next }), hi, { st: 2 }),
          step: lockStep(gi, g, i.site, `calls ${oname(i.obj)}.Signal (wakes #${hi})`),
        }));
      }
      case 'once': {
        const st = s.o[i.obj * 2] ?? 0;
        if (st === 1) return [];
        if (st === 2) return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(s0, gi, { pc: i.next }), step: lockStep(gi, g, i.site, `calls ${oname(i.obj)}.Do (already done)`) }];
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, 1, 0), gi, { pc: i.body }), step: lockStep(gi, g, i.site, `calls ${oname(i.obj)}.Do and runs the function`) }];
      }
      case 'oncedone':
        return [{ g: gi, key, objs: [i.obj], apply: (s0) => withG(withO(s0, i.obj, 2, 0), gi, { pc: i.next }), step: lockStep(gi, g, undefined, `returns from ${oname(i.obj)}.Do`) }];
      case 'go': {
        const p = procs[i.proc] as Proc;
        const alive = s.gs.filter((h) => h.st !== 3).length;
        if (alive >= budget.goroutines) {
          res.bounded = true;
          return [];
        }
        return [
          {
            g: gi,
            key,
            objs: [],
            apply: (s0) => {
              const s1 = withG(s0, gi, { pc: i.next });
              return withGs(s1, [...s1.gs, mkG(i.proc, 0, 0, new Array<number>(p.ctrs).fill(0), new Array<number>(p.flags).fill(0))]);
            },
            step: () => ({ g: gi, proc: pname(g), site: i.site, text: `starts goroutine #${s.gs.length} (${p.name})` }),
          },
        ];
      }
      case 'end':
        return [local((s0) => withG(s0, gi, { st: 3 }), gi === 0 && m.kind !== 'main' ? `returns from ${m.entry}` : gi === 0 ? 'returns from main (the program exits)' : 'ends', i.site)];
      case 'halt':
        return [local(halt, 'stops the program (panic or exit)', i.site)];
      case 'park':
        return [];
    }
  };

  /** The trace text of taking an untracked select case (made once per case: it is asked for in every state at that select). */
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
    if (i.k === 'select') return i.cases.some((c) => c.obj < 0 && !(c.once !== undefined && g.f[c.once] === 2)) || i.dflt !== undefined ? undefined : { op: 'select', objs: i.cases.filter((c) => c.obj >= 0).map((c) => c.obj), site: i.site };
    return BLOCKING_OPS.has(i.k) ? { op: i.k, objs: waitsOnAny(i, m), site: (i as { site: Site }).site } : undefined;
  };

  const visited = new Map<string, ReadonlySet<string>>();
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
    const trace = path.map((t, idx) => t.step(pathStates[idx] as State));
    const done = new Set<number>();
    for (const v of fresh) {
      const b = blocked.find((x) => x.g === v);
      // Several goroutines blocked at one line: the first (lowest number) speaks for them.
      if (!b || done.has(b.site.node.start)) continue;
      done.add(b.site.node.start);
      bugBySite.set(b.site.node.start, { victim: b, blocked, deadlock, entryReturned: (s.gs[0] as G).st === 3, unsure: s.u, trace });
    }
  };

  const check = (s: State, all: Tr[]): void => {
    if (s.halted) return;
    const entryDone = (s.gs[0] as G).st === 3;
    // main returning ends the program: goroutines still blocked then are not leaks.
    if (m.kind === 'main' && entryDone) return;
    // Arriving at an operation is no progress: a goroutine that can only arrive is blocked.
    let progress = 0;
    const gs = s.gs;
    const enabledG = new Uint8Array(gs.length);
    for (const t of all) {
      if (t.arrive) continue;
      progress++;
      enabledG[t.g] = 1;
      if (t.h !== undefined) enabledG[t.h] = 1;
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
    const stuck: number[] = [];
    gs.forEach((g, gi) => {
      if (g.st === 3 || enabledG[gi] === 1) return;
      const w = waitsOn(g);
      if (!w) return;
      const touched = gs.some((h, hi) => hi !== gi && h.st !== 3 && w.objs.some((o) => future[h.p]?.[h.pc]?.has(o)));
      if (!touched) stuck.push(gi);
    });
    if (stuck.length > 0) report(s, stuck, false);
  };

  const indep = (a: Tr, b: Tr): boolean => {
    if (a.g === b.g || a.g === b.h || (a.h !== undefined && (a.h === b.g || a.h === b.h))) return false;
    return !a.objs.some((o) => b.objs.includes(o));
  };

  const persistent = (s: State, all: Tr[]): Tr[] => {
    // A goroutine whose every enabled step touches nothing any other live goroutine can
    // touch (from where it is now, or in a goroutine it may start) runs alone.
    // `all` lists each goroutine's transitions together, in goroutine order (see enter).
    for (let from = 0; from < all.length; ) {
      const gi = (all[from] as Tr).g;
      let to = from;
      let rendezvous = false;
      for (; to < all.length && (all[to] as Tr).g === gi; to++) if ((all[to] as Tr).h !== undefined) rendezvous = true;
      const start = from;
      from = to;
      if (rendezvous) continue;
      const g = s.gs[gi] as G;
      const i = instr(g);
      // A select's default depends on whether others can make a case ready.
      if (i.k === 'select' && i.dflt !== undefined) continue;
      const objs: number[] = [];
      for (let k = start; k < to; k++) for (const o of (all[k] as Tr).objs) if (!objs.includes(o)) objs.push(o);
      for (const o of waitsOnAny(i, m)) if (!objs.includes(o)) objs.push(o);
      const shared = s.gs.some((h, hi) => hi !== gi && h.st !== 3 && objs.some((o) => future[h.p]?.[h.pc]?.has(o)));
      if (!shared) return all.slice(start, to);
    }
    return all;
  };

  const dfs = (s0: State): void => {
    type Frame = { s: State; todo: Tr[]; done: Tr[]; sleep: ReadonlyMap<string, Tr> };
    const enter = (s: State, sleep: ReadonlyMap<string, Tr>): Frame | undefined => {
      if (aborted) return undefined;
      const key = keyOf(s);
      const prev = visited.get(key);
      let restrict: Set<string> | undefined;
      if (prev) {
        // Revisited with a smaller sleep set: explore what slept before and does not now.
        const keep = new Set<string>();
        prev.forEach((k) => {
          if (sleep.has(k)) keep.add(k);
          else (restrict ??= new Set()).add(k);
        });
        if (!restrict) return undefined;
        visited.set(key, keep);
      } else {
        visited.set(key, sleep.size === 0 ? NO_KEYS : new Set(sleep.keys()));
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
      if (s.halted) return undefined;
      // Goroutine by goroutine, so each one's transitions are listed together (persistent relies on it).
      const all: Tr[] = [];
      for (let gi = 0; gi < s.gs.length; gi++) for (const t of transitionsOf(s, gi)) all.push(t);
      if (!prev) check(s, all);
      let todo = persistent(s, all).filter((t) => !sleep.has(t.key));
      if (restrict) {
        const r = restrict;
        todo = todo.filter((t) => r.has(t.key));
      }
      return { s, todo, done: [], sleep };
    };
    const stack: Frame[] = [];
    const f0 = enter(s0, NO_SLEEP);
    if (f0) stack.push(f0);
    while (stack.length > 0 && !aborted) {
      const f = stack[stack.length - 1] as Frame;
      const t = f.todo.shift();
      if (!t) {
        stack.pop();
        path.pop();
        pathStates.pop();
        continue;
      }
      res.transitions++;
      // A state reached through a branch the model does not know is tainted, and so is
      // everything after it: no bug found there is ever reported, so it is not explored.
      if (t.unsure) {
        f.done.push(t);
        continue;
      }
      const ns = t.apply(f.s);
      // Sleep set of the successor: what slept here or was explored before t, and commutes with t.
      // Made only when something sleeps (sleep sets are read, never changed, once made).
      let nsleep: Map<string, Tr> | undefined;
      f.sleep.forEach((u, k) => {
        if (indep(u, t)) (nsleep ??= new Map()).set(k, u);
      });
      for (const u of f.done) if (indep(u, t)) (nsleep ??= new Map()).set(u.key, u);
      f.done.push(t);
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

/** The empty sleep set (shared: sleep sets are never changed once made). */
const NO_SLEEP: ReadonlyMap<string, never> = new Map<string, never>();

/** The sleep set of a state first reached with nothing asleep (shared: visited sets are replaced, never changed). */
const NO_KEYS: ReadonlySet<string> = new Set();

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
