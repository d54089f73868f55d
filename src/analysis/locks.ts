/**
 * @fileoverview Path-sensitive lock-state analysis for sync.Mutex and sync.RWMutex,
 * shared by the double-lock, missing-unlock and lock-order rules.
 *
 * A lock is named by a path from a root: the receiver (`recv.mu`), a parameter
 * (`p0.state.mu`), a package-level variable (`g:mu`) or a local (`l<offset>.mu`).
 * Receiver and parameter roots are what make summaries composable: when method A on
 * `*T` calls `s.B()`, B's `recv.mu` is renamed to A's path of `s` (`recv.mu`), so A
 * holding `s.mu` and B locking `s.mu` is the same lock.
 *
 * Each function (declaration or func literal) is walked over its CFG with a set of
 * lock states per block (path-sensitive: states are not merged, only deduplicated).
 * Calls to same-package functions, methods, func literals called in place and local
 * closures apply the callee's summary:
 * - `acquires`: locks held at every normal return (a "lock helper");
 * - `releases`: locks unlocked that the callee did not lock (it requires them held);
 * - `locks`: locks taken while in their entry state (a caller holding one of them
 *   deadlocks: sync.Mutex is not reentrant, see the sync package docs "A locked Mutex
 *   is not associated with a particular goroutine").
 * `defer mu.Unlock()` (also through a deferred helper or closure) releases at return.
 *
 * Paths also carry the outcome of side-effect-free `if` conditions, so
 * `if b == 10 { mu.Lock() } ... if b == 10 { mu.Unlock() }` is two paths, not four.
 * An assignment to a variable drops the locks named through it (another instance) and
 * the recorded conditions that mention it.
 *
 * Anything the analysis cannot name (index expressions, interface Lockers, locks from
 * calls) is not tracked, and a lock handed to code it does not follow (a goroutine, a
 * stored closure, another package) is marked as escaped, so the rules stay silent.
 * For speed, callees are followed only when they lock or unlock, or call such a
 * function within RELEVANT_DEPTH levels (matched by name, from the package's text).
 */
import type { CFG, Block } from '../go/cfg.js';
import type { Callee, LocalVar } from '../go/resolve.js';
import type { SourceFile } from '../go/source.js';
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, underlying, type Type } from '../go/types.js';
import { callArgs } from './chanfacts.js';
import type { FuncCtx, PackageFacts } from './pass.js';

/** `W` for Lock/Unlock, `R` for RLock/RUnlock (sync.RWMutex). */
export type LockMode = 'W' | 'R';

/** A named lock: instance key (for same-goroutine identity) and type key (for ordering). */
export interface LockRef {
  /** Instance path, e.g. `recv.mu`, `p0.Mutex`, `g:mu`, `l123.mu`. */
  key: string;
  /** Type-level name, e.g. `Server.mu` or `g:mu`; undefined for locals. */
  tkey: string | undefined;
  /** Source text of the mutex expression, for messages. */
  text: string;
}

/** Where a lock was taken: the Lock call (or the call to a helper that takes it). */
export interface Site {
  node: Node;
  file: SourceFile;
}

/** A lock taken inside a function, in its entry state. */
export interface InnerLock {
  ref: LockRef;
  mode: LockMode;
  /** The Lock call itself (possibly in a deeper callee). */
  site: Site;
  /** Call chain from the summarised function down to the Lock, for messages. */
  via: string[];
}

/** The effect of calling a function, in its own root names. */
export interface LockSummary {
  acquires: Map<string, { ref: LockRef; mode: LockMode; site: Site }>;
  releases: Map<string, { ref: LockRef; mode: LockMode }>;
  locks: Map<string, InnerLock>;
}

/** A second acquisition of a lock that is already held on the path. */
export interface DoubleLock {
  /** The Lock call, or the call to the function that locks. */
  node: Node;
  ref: LockRef;
  mode: LockMode;
  held: { mode: LockMode; site: Site };
  /** When through a call: the Lock inside the callee and the chain. */
  inner?: InnerLock;
}

/** A normal return reached while a lock taken in this function is still held. */
export interface HeldAtExit {
  ref: LockRef;
  mode: LockMode;
  site: Site;
  /** The return statement (undefined: falling off the end of the body). */
  ret: Node | undefined;
}

/** Lock B acquired while holding lock A (both with type keys). */
export interface OrderEdge {
  outer: { ref: LockRef; site: Site };
  inner: { ref: LockRef; site: Site; via: string[] };
  /** The statement in this function where B is acquired (Lock call or call expression). */
  at: Site;
}

/** Everything the lock rules need about one function node. */
export interface FuncLocks {
  fc: FuncCtx;
  fn: Node;
  summary: LockSummary;
  doubles: DoubleLock[];
  /** Normal exits with a lock of this function still held. */
  heldAtExit: HeldAtExit[];
  /** Number of normal exit paths explored (distinct states). */
  exits: number;
  /** Keys of locks held at each explored exit (to tell "all exits" from "some"). */
  exitKeys: Array<Set<string>>;
  /** Keys (or key prefixes) whose unlock is handed to code the analysis does not follow, or whose variable is reassigned or aliased. */
  escaped: Set<string>;
  /** Keys this function unlocks (directly or through a callee), also as `key#W` / `key#R` by mode. */
  unlocks: Set<string>;
  edges: OrderEdge[];
  /** True when the function is a func literal applied in place, deferred or called through a local. */
  inlined: boolean;
  /** Locks held on every explored path when each statement starts (what a stack frame at that statement holds; see lockquery.ts). */
  heldAt: Map<Node, Map<string, { ref: LockRef; mode: LockMode; site: Site }>>;
}

interface Held {
  ref: LockRef;
  mode: LockMode;
  site: Site;
  deferred: boolean;
  /** The owner was marked as holding it (`rs.closemuScanHold = true`): released elsewhere by design. */
  marked?: boolean;
}

interface State {
  held: Map<string, Held>;
  /** Keys released that were held at entry (the function requires them). */
  entryReleased: Set<string>;
  /** Keys whose unlock is deferred (even when not held yet). */
  deferred: Set<string>;
  /** Roots (variables) assigned since entry: locks under them are other instances. */
  rebound: Set<string>;
  /** Keys locked from their entry state on this path (for the must-lock summary). */
  lockedEver: Set<string>;
  /** Outcomes of side-effect-free if conditions taken on this path (text → branch). */
  conds: Map<string, boolean>;
  last: Node | undefined;
  dead: boolean;
}

type Event =
  | { t: 'lock'; ref: LockRef; mode: LockMode; node: Node }
  | { t: 'unlock'; ref: LockRef; mode: LockMode; node: Node }
  | { t: 'defer'; key: string }
  | { t: 'call'; node: Node; name: string; summary: LockSummary; map: (key: string) => LockRef | undefined }
  | { t: 'deferCall'; summary: LockSummary; map: (key: string) => LockRef | undefined }
  | { t: 'escape'; key: string }
  | { t: 'rebind'; root: string; name: string }
  | { t: 'assign'; name: string }
  | { t: 'mark'; root: string }
  | { t: 'maybeEscape'; expr: Node; owner: boolean };

const MAX_STATES_PER_BLOCK = 24;
const EMPTY: LockSummary = { acquires: new Map(), releases: new Map(), locks: new Map() };

/** The lock analysis of the package (memoised in the package facts). */
export function lockAnalysis(facts: PackageFacts): LockAnalysis {
  return facts.memo('locks', () => new LockAnalysis(facts));
}

/** Lock operation of a call: `mu.Lock()`, `s.RUnlock()`... */
export function lockCallOf(fc: FuncCtx, call: Node, c: Callee = fc.res.callee(call)): { op: 'lock' | 'unlock' | 'try'; mode: LockMode; ref: LockRef | undefined; recv: Node } | undefined {
  if (c.kind !== 'method' || c.method.pkg !== 'sync' || (c.method.recvType !== 'Mutex' && c.method.recvType !== 'RWMutex')) return undefined;
  const name = c.method.name;
  const op = name === 'Lock' || name === 'RLock' ? 'lock' : name === 'Unlock' || name === 'RUnlock' ? 'unlock' : name === 'TryLock' || name === 'TryRLock' ? 'try' : undefined;
  if (!op) return undefined;
  const mode: LockMode = name.includes('R') && c.method.recvType === 'RWMutex' && name !== 'TryLock' ? 'R' : 'W';
  const t = deref(c.recvType);
  let ref = lockRef(fc, c.recv);
  // An embedded mutex (`s.Lock()` with `type S struct{ sync.Mutex }`): the lock is the
  // promoted field `s.Mutex` (Go spec, "Selectors": x.f denotes the field or method at the shallowest depth).
  if (ref && !(t.kind === 'named' && t.pkg === 'sync')) {
    const tk = namedName(t);
    ref = { key: `${ref.key}.${c.method.recvType}`, tkey: tk ? `${tk}.${c.method.recvType}` : undefined, text: `${ref.text}.${c.method.recvType}` };
  }
  return { op, mode, ref, recv: c.recv };
}

function namedName(t: Type): string | undefined {
  const d = deref(t);
  return d.kind === 'named' ? d.name : undefined;
}

/** Names the lock denoted by `e`, or undefined when it cannot be named soundly. */
export function lockRef(fc: FuncCtx, e0: Node, depth = 0): LockRef | undefined {
  if (depth > 8) return undefined;
  const e = unparen(e0);
  const text = fc.text(e).replace(/\s+/g, '');
  if (e.type === 'unary_expression') {
    const op = field(e, 'operand');
    const o = fc.text(e).trimStart()[0];
    if (!op || (o !== '&' && o !== '*')) return undefined;
    return lockRef(fc, op, depth + 1);
  }
  if (e.type === 'identifier') {
    const v = fc.res.localOf(e);
    if (v) {
      if (v.func === fc.decl && (v.kind === 'recv' || v.kind === 'param')) {
        const root = v.kind === 'recv' ? 'recv' : `p${paramIndex(fc.decl, v)}`;
        return { key: root, tkey: undefined, text };
      }
      if (v.kind === 'type' || v.kind === 'const') return undefined;
      // `mu := &s.mu`: an alias of the field's lock.
      if (v.kind === 'var' && v.init && v.init.count === 1 && !v.rangeOf) {
        const init = unparen(v.init.expr);
        if (init.type === 'unary_expression' && fc.text(init).trimStart().startsWith('&') && !isReassigned(fc, v)) {
          const inner = field(init, 'operand');
          const r = inner ? lockRef(fc, inner, depth + 1) : undefined;
          if (r) return { ...r, text };
        }
      }
      return { key: `l${v.ident.start}`, tkey: undefined, text };
    }
    const o = fc.res.pkgObjOf(e);
    if (o?.kind === 'var') return { key: `g:${o.name}`, tkey: `g:${o.name}`, text };
    return undefined;
  }
  if (e.type === 'selector_expression') {
    const op = field(e, 'operand');
    const fl = field(e, 'field');
    if (!op || !fl) return undefined;
    const name = fc.text(fl);
    const ip = fc.res.importOf(op);
    if (ip) return { key: `g:${ip}.${name}`, tkey: `g:${ip}.${name}`, text };
    const base = lockRef(fc, op, depth + 1);
    if (!base) return undefined;
    const tn = namedName(fc.res.typeOf(op));
    return { key: `${base.key}.${name}`, tkey: tn ? `${tn}.${name}` : undefined, text };
  }
  return undefined;
}

function isReassigned(fc: FuncCtx, v: LocalVar): boolean {
  for (const id of fc.res.refs.get(v) ?? []) {
    const p = id.parent;
    if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) return true;
  }
  return false;
}

function paramIndex(decl: Node, v: LocalVar): number {
  const params = field(decl, 'parameters');
  let i = 0;
  for (const pd of params ? named(params) : []) {
    for (const c of pd.children) {
      if (c.field !== 'name') continue;
      if (c === v.ident) return i;
      i++;
    }
    if (!pd.children.some((c) => c.field === 'name')) i++;
  }
  return -1;
}

/** Method names of sync.Mutex / sync.RWMutex that lock or unlock. */
const LOCK_METHODS = new Set(['Lock', 'Unlock', 'RLock', 'RUnlock', 'TryLock', 'TryRLock']);
const LOCK_TEXT = /\.R?(?:Lock|Unlock)\(\)/;
/** The callee text of a call that may lock or unlock: a lock method, or a helper whose name says lock/unlock. */
const LOCK_CALL_TEXT = /(?:^|\.)(?:R?Lock|R?Unlock)$|[lL]ock/;
/** How many call levels above a Lock/Unlock the summaries follow. */
const RELEVANT_DEPTH = 2;

/** Computes and caches per-function lock facts (one instance per package, see lockAnalysis). */
export class LockAnalysis {
  private relevant: { names: Set<string>; decls: Set<Node> } | undefined;
  /** Identifiers of each tracked if condition. */
  private condIds = new Map<string, Set<string>>();
  private infos = new Map<Node, FuncLocks>();
  private inProgress = new Set<Node>();

  constructor(readonly facts: PackageFacts) {}

  /** The lock facts of `fn` (a declaration or a func literal inside `fc`). */
  of(fc: FuncCtx, fn: Node = fc.decl): FuncLocks | undefined {
    const have = this.infos.get(fn);
    if (have) return have;
    if (this.inProgress.has(fn)) return undefined; // recursion: no summary
    const g = fc.cfg(fn);
    if (!g) return undefined;
    this.inProgress.add(fn);
    const info = this.run(fc, fn, g);
    this.inProgress.delete(fn);
    this.infos.set(fn, info);
    return info;
  }

  /** Forgets the recorded outcomes of conditions that mention `name` (it was assigned). */
  private forgetConds(st: State, name: string): void {
    if (st.conds.size === 0) return;
    for (const c of [...st.conds.keys()]) if (this.condIds.get(c)?.has(name) !== false) st.conds.delete(c);
  }

  /** The summary of a same-package callee declaration. */
  summaryOfDecl(decl: Node): LockSummary | undefined {
    const fc = this.facts.funcCtxOfDecl(decl);
    return fc ? this.of(fc)?.summary : undefined;
  }

  private run(fc: FuncCtx, fn: Node, g: CFG): FuncLocks {
    const info: FuncLocks = {
      fc,
      fn,
      summary: { acquires: new Map(), releases: new Map(), locks: new Map() },
      doubles: [],
      heldAtExit: [],
      exits: 0,
      exitKeys: [],
      escaped: new Set(),
      unlocks: new Set(),
      edges: [],
      inlined: fn !== fc.decl && isInlinedLiteral(fc, fn),
      heldAt: new Map(),
    };
    const events = new Map<Node, Event[]>();
    const evOf = (n: Node): Event[] => {
      let e = events.get(n);
      if (!e) events.set(n, (e = this.eventsOf(fc, n)));
      return e;
    };
    const seenDouble = new Set<Node>();
    const seenEdge = new Set<string>();
    const candidates = new Map<string, InnerLock>();
    const exitStates: State[] = [];
    const visited = new Map<Block, Set<string>>();
    const stack: Array<{ block: Block; st: State }> = [{ block: g.entry, st: { held: new Map(), entryReleased: new Set(), deferred: new Set(), rebound: new Set(), lockedEver: new Set(), conds: new Map(), last: undefined, dead: false } }];
    let budget = 20000;
    // Correlated conditions only matter when a lock or unlock is itself under an if.
    const trackConds = lockUnderIf(fc, fn);
    while (stack.length > 0 && budget-- > 0) {
      const { block, st } = stack.pop() as { block: Block; st: State };
      if (block === g.exit) {
        exitStates.push(st);
        continue;
      }
      if (block === g.abort) continue;
      for (const n of block.nodes) {
        st.last = n;
        recordHeld(info.heldAt, n, st);
        for (const ev of evOf(n)) this.apply(fc, st, ev, info, seenDouble, seenEdge, candidates);
        if (st.dead) break;
      }
      if (st.dead) continue;
      // Correlated branches (`if b == 10 { mu.Lock() } ... if b == 10 { mu.Unlock() }`):
      // the same side-effect-free condition, with no assignment in between, takes the
      // same branch again.
      const cond = trackConds ? ifCondition(fc, block) : undefined;
      const base = signature(st, undefined);
      const succs = block.succs.map((b, i) => ({ b, i }));
      for (const { b: s, i } of succs) {
        if (cond !== undefined && i < 2) {
          const prev = st.conds.get(cond);
          if (prev !== undefined && prev !== (i === 0)) continue;
        }
        const sig = `${base}|${s === g.exit ? (st.last?.start ?? '') : ''}${cond !== undefined && i < 2 ? `|${i}` : ''}`;
        let v = visited.get(s);
        if (!v) visited.set(s, (v = new Set()));
        if (v.has(sig) || v.size >= MAX_STATES_PER_BLOCK) continue;
        v.add(sig);
        const next = cloneState(st);
        if (cond !== undefined && i < 2) {
          next.conds.set(cond, i === 0);
          if (!this.condIds.has(cond)) this.condIds.set(cond, new Set(cond.match(/\b[A-Za-z_]\w*\b/g) ?? []));
        }
        stack.push({ block: s, st: next });
      }
    }
    // Must-lock: a callee lock only counts when every normal exit path took it (a lock
    // under a condition, such as a `locked bool` parameter, depends on the caller).
    for (const [k, l] of candidates) if (exitStates.length > 0 && exitStates.every((st) => st.lockedEver.has(k))) info.summary.locks.set(k, l);
    // Summary and exits.
    let first = true;
    for (const st of exitStates) {
      const ret = st.last?.type === 'return_statement' ? st.last : undefined;
      info.exits++;
      const keys = new Set<string>();
      for (const k of st.deferred) {
        if (!st.held.has(k)) st.entryReleased.add(k);
      }
      for (const [k, h] of st.held) {
        if (h.deferred || st.deferred.has(k)) continue;
        keys.add(k);
        if (h.marked) continue;
        info.heldAtExit.push({ ref: h.ref, mode: h.mode, site: h.site, ret });
      }
      info.exitKeys.push(keys);
      // acquires = intersection over exits.
      if (first) {
        for (const k of keys) {
          const h = st.held.get(k) as Held;
          info.summary.acquires.set(k, { ref: h.ref, mode: h.mode, site: h.site });
        }
        first = false;
      } else for (const k of [...info.summary.acquires.keys()]) if (!keys.has(k)) info.summary.acquires.delete(k);
    }
    return info;
  }

  private apply(fc: FuncCtx, st: State, ev: Event, info: FuncLocks, seenDouble: Set<Node>, seenEdge: Set<string>, candidates: Map<string, InnerLock>): void {
    const site = (node: Node): Site => ({ node, file: fc.file });
    const acquire = (ref: LockRef, mode: LockMode, node: Node, inner: InnerLock | undefined): void => {
      const h = st.held.get(ref.key);
      if (h) {
        if (!seenDouble.has(node)) {
          seenDouble.add(node);
          info.doubles.push({ node, ref, mode, held: { mode: h.mode, site: h.site }, inner });
        }
        st.dead = true; // the goroutine blocks here (or may, for RLock): the path ends
        return;
      }
      const fresh = !st.entryReleased.has(ref.key) && ![...st.rebound].some((r) => ref.key === r || ref.key.startsWith(`${r}.`));
      if (fresh) st.lockedEver.add(ref.key);
      if (fresh && !candidates.has(ref.key)) {
        candidates.set(ref.key, inner ? { ...inner, ref: { ...inner.ref, key: ref.key } } : { ref, mode, site: site(node), via: [] });
      }
      for (const o of st.held.values()) {
        const innerRef = inner?.ref ?? ref;
        if (!o.ref.tkey || !innerRef.tkey || o.ref.tkey === innerRef.tkey) continue;
        const k = `${o.ref.tkey}>${innerRef.tkey}@${node.start}`;
        if (seenEdge.has(k)) continue;
        seenEdge.add(k);
        info.edges.push({ outer: { ref: o.ref, site: o.site }, inner: { ref: innerRef, site: inner?.site ?? site(node), via: inner?.via ?? [] }, at: site(node) });
      }
    };
    switch (ev.t) {
      case 'lock':
        acquire(ev.ref, ev.mode, ev.node, undefined);
        if (!st.dead) st.held.set(ev.ref.key, { ref: ev.ref, mode: ev.mode, site: site(ev.node), deferred: st.deferred.has(ev.ref.key) });
        return;
      case 'unlock':
        info.unlocks.add(ev.ref.key);
        info.unlocks.add(`${ev.ref.key}#${ev.mode}`);
        if (st.held.has(ev.ref.key)) st.held.delete(ev.ref.key);
        else {
          st.entryReleased.add(ev.ref.key);
          if (!info.summary.releases.has(ev.ref.key)) info.summary.releases.set(ev.ref.key, { ref: ev.ref, mode: ev.mode });
        }
        return;
      case 'defer': {
        st.deferred.add(ev.key);
        const h = st.held.get(ev.key);
        if (h) h.deferred = true;
        return;
      }
      case 'escape':
        info.escaped.add(ev.key);
        return;
      case 'maybeEscape': {
        // Only a held lock can escape; naming the expression is deferred to here.
        if (st.held.size === 0) return;
        const r = lockRef(fc, ev.expr);
        // A mutex passed to code we do not follow may be unlocked there; an owner
        // assigned to another variable (`y = l`) makes l's lock reachable as y's.
        if (r && [...st.held.keys()].some((k) => k === r.key || (ev.owner && k.startsWith(`${r.key}.`)))) info.escaped.add(r.key);
        return;
      }
      case 'assign':
        this.forgetConds(st, ev.name);
        return;
      case 'mark':
        for (const [k, h] of st.held) if (k.startsWith(`${ev.root}.`)) h.marked = true;
        return;
      case 'rebind':
        this.forgetConds(st, ev.name);
        st.rebound.add(ev.root);
        for (const k of [...st.held.keys()]) {
          if (k !== ev.root && !k.startsWith(`${ev.root}.`)) continue;
          st.held.delete(k);
          info.escaped.add(k);
        }
        return;
      case 'deferCall':
        for (const [k, rel] of ev.summary.releases) {
          const r = ev.map(k);
          if (r) {
            info.unlocks.add(r.key);
            info.unlocks.add(`${r.key}#${rel.mode}`);
            st.deferred.add(r.key);
            const h = st.held.get(r.key);
            if (h) h.deferred = true;
          }
        }
        return;
      case 'call': {
        const s = ev.summary;
        for (const [k, l] of s.locks) {
          const r = ev.map(k);
          if (!r) continue;
          const inner: InnerLock = { ref: { ...l.ref, key: r.key }, mode: l.mode, site: l.site, via: [ev.name, ...l.via] };
          inner.ref.text = r.text || l.ref.text;
          acquire({ ...r, text: r.text || l.ref.text, tkey: l.ref.tkey }, l.mode, ev.node, inner);
          if (st.dead) return;
        }
        for (const k of s.releases.keys()) {
          const r = ev.map(k);
          if (!r) continue;
          info.unlocks.add(r.key);
          info.unlocks.add(`${r.key}#${s.releases.get(k)?.mode ?? 'W'}`);
          if (st.held.has(r.key)) st.held.delete(r.key);
          else {
            st.entryReleased.add(r.key);
            const rel = s.releases.get(k);
            if (!info.summary.releases.has(r.key)) info.summary.releases.set(r.key, { ref: { ...r, text: r.text || (rel?.ref.text ?? '') }, mode: rel?.mode ?? 'W' });
          }
        }
        for (const [k, a] of s.acquires) {
          const r = ev.map(k);
          if (!r) continue;
          const ref = { ...r, text: r.text || a.ref.text, tkey: a.ref.tkey };
          if (!s.locks.has(k)) acquire(ref, a.mode, ev.node, undefined);
          if (st.dead) return;
          st.held.set(r.key, { ref, mode: a.mode, site: site(ev.node), deferred: st.deferred.has(r.key) });
        }
        return;
      }
    }
  }

  /** The lock events of one CFG node, in evaluation order. */
  private eventsOf(fc: FuncCtx, n: Node): Event[] {
    const out: Event[] = [];
    const visit = (x: Node): void => {
      if (x.type === 'go_statement') {
        // Runs in another goroutine: an unlock there hands the lock over.
        walk(x, (m) => {
          if (m.type !== 'call_expression') return;
          const lc = lockCallOf(fc, m);
          if (lc?.op === 'unlock' && lc.ref) out.push({ t: 'escape', key: lc.ref.key });
          // `go worker(&mu)`: the goroutine may unlock it.
          for (const a of callArgs(m)) {
            const r = lockRef(fc, a);
            if (r) out.push({ t: 'escape', key: r.key });
          }
        });
        return;
      }
      if (x.type === 'func_literal') {
        this.literalValue(fc, x, out);
        return;
      }
      if (x.type === 'defer_statement') {
        const call = named(x).find((c) => c.type === 'call_expression');
        if (call) this.deferred(fc, call, out);
        return;
      }
      if (x.type === 'short_var_declaration' || x.type === 'assignment_statement' || x.type === 'var_spec' || x.type === 'range_clause') {
        // Evaluate the right side first, then (re)bind the variables on the left.
        const right = x.type === 'var_spec' ? field(x, 'value') : field(x, 'right');
        if (right) visit(right);
        for (const e of exprList(right)) {
          // `y = l`: the lock under l is now also reachable as y.
          const u = unparen(e);
          if (u.type === 'identifier' || u.type === 'selector_expression') out.push({ t: 'maybeEscape', expr: u, owner: true });
        }
        const lefts = x.type === 'var_spec' ? x.children.filter((c) => c.field === 'name') : exprList(field(x, 'left'));
        for (const l of lefts) {
          const u = unparen(l);
          if (u.type !== 'identifier') {
            visit(u);
            let root = u;
            while (named(root)[0] && root.type !== 'identifier') root = named(root)[0] as Node;
            if (root.type === 'identifier') out.push({ t: 'assign', name: fc.text(root) });
            // `x.holding = true` while x's lock is held: the function records in the
            // lock's owner that it returns with the lock held (database/sql Rows.Scan).
            const rhs = exprList(right);
            const val = rhs.length === lefts.length ? rhs[lefts.indexOf(l)] : undefined;
            const op = u.type === 'selector_expression' ? field(u, 'operand') : undefined;
            const ref = op ? lockRef(fc, op) : undefined;
            if (val && ref && fc.text(val) === 'true') out.push({ t: 'mark', root: ref.key });
            continue;
          }
          const v = fc.res.defs.get(u) ?? fc.res.localOf(u);
          if (!v) continue;
          const r = v.func === fc.decl && (v.kind === 'recv' || v.kind === 'param') ? (v.kind === 'recv' ? 'recv' : `p${paramIndex(fc.decl, v)}`) : `l${v.ident.start}`;
          out.push({ t: 'rebind', root: r, name: v.name });
        }
        return;
      }
      if (x.type === 'selector_expression' && x.parent?.type !== 'call_expression') {
        // A method value `mu.Unlock` handed out (returned, stored, passed).
        const fl = field(x, 'field');
        const name = fl ? fc.text(fl) : '';
        if (name === 'Unlock' || name === 'RUnlock') {
          const op = field(x, 'operand');
          const r = op ? lockRef(fc, op) : undefined;
          if (r) out.push({ t: 'escape', key: r.key });
        }
      }
      if (x.type === 'call_expression') {
        const fnNode = field(x, 'function');
        // Arguments (and the receiver) are evaluated before the call.
        for (const c of x.children) if (c !== fnNode || unparen(c).type !== 'func_literal') visit(c);
        this.call(fc, x, out);
        return;
      }
      for (const c of x.children) visit(c);
    };
    visit(n);
    return out;
  }

  /** A func literal used as a value: an unlock inside it is handed to code we do not follow. */
  private literalValue(fc: FuncCtx, lit: Node, out: Event[]): void {
    const p = lit.parent;
    if (p?.type === 'call_expression' && field(p, 'function') === lit) return; // applied in place: handled by call()
    if (isInlinedLiteral(fc, lit)) return;
    walk(lit, (m) => {
      if (m.type !== 'call_expression') return;
      const lc = lockCallOf(fc, m);
      if (lc?.op === 'unlock' && lc.ref) out.push({ t: 'escape', key: lc.ref.key });
    });
  }

  private deferred(fc: FuncCtx, call: Node, out: Event[]): void {
    const lc = lockCallOf(fc, call);
    if (lc) {
      if (lc.op === 'unlock' && lc.ref) out.push({ t: 'defer', key: lc.ref.key });
      return;
    }
    const target = this.callTarget(fc, call);
    if (target) out.push({ t: 'deferCall', summary: target.summary, map: target.map });
  }

  private call(fc: FuncCtx, call: Node, out: Event[]): void {
    // Resolving a callee can parse other files of the package; only calls that can
    // matter are resolved: lock methods, functions whose name is lock-relevant, literals
    // and local closures.
    if (!this.mayMatter(fc, call)) {
      for (const a of callArgs(call)) out.push({ t: 'maybeEscape', expr: a, owner: false });
      return;
    }
    const c = fc.res.callee(call);
    const lc = lockCallOf(fc, call, c);
    if (lc) {
      if (!lc.ref) return;
      if (lc.op === 'lock') out.push({ t: 'lock', ref: lc.ref, mode: lc.mode, node: call });
      else if (lc.op === 'unlock') out.push({ t: 'unlock', ref: lc.ref, mode: lc.mode, node: call });
      else out.push({ t: 'escape', key: lc.ref.key }); // TryLock: held or not depending on the result
      return;
    }
    const target = this.callTarget(fc, call, c);
    if (target) {
      out.push({ t: 'call', node: call, name: target.name, summary: target.summary, map: target.map });
      return;
    }
    // A lock passed to code we do not follow (another package, an interface): it may be
    // unlocked there.
    if (c.kind === 'method' && c.method.pkg === 'sync') return;
    for (const a of callArgs(call)) out.push({ t: 'maybeEscape', expr: a, owner: false });
  }

  /** Same-package functions and methods that lock or unlock, directly or through calls (matched by name). */
  private relevantSets(): { names: Set<string>; decls: Set<Node> } {
    if (this.relevant) return this.relevant;
    const decls = this.facts.pkg.funcDecls.map(({ decl, file }) => {
      const nameNode = field(decl, 'name');
      return { decl, name: nameNode ? file.textOf(nameNode) : '', text: file.text.slice(decl.start, decl.end) };
    });
    // Reverse call graph by name (`name(`), computed once from the declarations' text.
    const callers = new Map<string, number[]>();
    decls.forEach((d, i) => {
      for (const m of d.text.matchAll(/\b(\w+)\s*\(/g)) {
        const n = m[1] as string;
        const l = callers.get(n);
        if (!l) callers.set(n, [i]);
        else if (l[l.length - 1] !== i) l.push(i);
      }
    });
    const names = new Set<string>();
    const rel = new Set<Node>();
    // Breadth-first from the functions that lock or unlock, up to RELEVANT_DEPTH callers
    // up: a name-based closure without a bound spreads through common method names
    // (Close, String) to most of a large package.
    let level = decls.map((d, i) => (LOCK_TEXT.test(d.text) ? i : -1)).filter((i) => i >= 0);
    for (const i of level) rel.add((decls[i] as (typeof decls)[number]).decl);
    for (let depth = 0; depth < RELEVANT_DEPTH && level.length > 0; depth++) {
      const next: number[] = [];
      for (const i of level) {
        const d = decls[i] as (typeof decls)[number];
        if (names.has(d.name)) continue;
        names.add(d.name);
        for (const j of callers.get(d.name) ?? []) {
          const c = decls[j] as (typeof decls)[number];
          if (rel.has(c.decl)) continue;
          rel.add(c.decl);
          next.push(j);
        }
      }
      level = next;
    }
    for (const i of level) names.add((decls[i] as (typeof decls)[number]).name);
    this.relevant = { names, decls: rel };
    return this.relevant;
  }

  private mayMatter(fc: FuncCtx, call: Node): boolean {
    const fn = field(call, 'function');
    if (!fn) return false;
    const u = unparen(fn);
    if (u.type === 'func_literal') return true;
    const nameNode = u.type === 'selector_expression' ? field(u, 'field') : u.type === 'identifier' ? u : undefined;
    if (!nameNode) return false;
    const name = fc.text(nameNode);
    if (LOCK_METHODS.has(name) || this.relevantSets().names.has(name)) return true;
    return u.type === 'identifier' && fc.res.localOf(u) !== undefined; // a local closure
  }

  /** The summary of a call's target and how to rename its roots into this function's names. */
  private callTarget(fc: FuncCtx, call: Node, c: Callee = fc.res.callee(call)): { summary: LockSummary; map: (k: string) => LockRef | undefined; name: string } | undefined {
    const args = callArgs(call);
    if (c.kind === 'literal') {
      const s = this.of(fc, c.fn)?.summary ?? EMPTY;
      return { summary: s, map: (k) => sameFuncRef(fc, k), name: 'the function literal' };
    }
    if (c.kind === 'local') {
      const lit = localClosure(fc, c.v);
      if (!lit) return undefined;
      const s = this.of(fc, lit)?.summary ?? EMPTY;
      return { summary: s, map: (k) => sameFuncRef(fc, k), name: c.v.name };
    }
    let decl: Node | undefined;
    let recv: Node | undefined;
    let name = '';
    if (c.kind === 'func' && c.obj.pkg === this.facts.pkg && c.obj.kind === 'func' && c.obj.node.type === 'function_declaration') {
      decl = c.obj.node;
      name = c.obj.name;
    } else if (c.kind === 'method' && c.method.pkg === this.facts.pkg.importPath && c.method.decl) {
      decl = c.method.decl;
      name = `${c.method.recvType}.${c.method.name}`;
      const rt = deref(c.recvType);
      // Only a direct (not promoted) pointer-receiver call shares the receiver's locks.
      if (c.method.pointerRecv && rt.kind === 'named' && rt.name === c.method.recvType) recv = c.recv;
    }
    if (!decl || !this.relevantSets().decls.has(decl)) return undefined;
    const cfc = this.facts.funcCtxOfDecl(decl);
    if (!cfc) return undefined;
    const s = this.of(cfc)?.summary;
    if (!s) return undefined;
    const map = (k: string): LockRef | undefined => {
      const m = /^(recv|p(\d+))((?:\.\w+)*)$/.exec(k);
      if (!m) return k.startsWith('g:') ? { key: k, tkey: k, text: k.slice(2) } : undefined;
      const rootExpr = m[1] === 'recv' ? recv : args[Number(m[2])];
      if (!rootExpr) return undefined;
      const r = lockRef(fc, rootExpr);
      if (!r) return undefined;
      const rest = m[3] ?? '';
      return { key: r.key + rest, tkey: undefined, text: r.text.replace(/^&/, '') + rest };
    };
    return { summary: s, map, name };
  }
}

/**
 * The text of the if condition ending `block` when the condition has no side effects
 * (no calls, receives or assignments), so evaluating it twice gives the same result as
 * long as no variable is assigned in between.
 */
function ifCondition(fc: FuncCtx, block: Block): string | undefined {
  const n = block.nodes[block.nodes.length - 1];
  if (!n || n.parent?.type !== 'if_statement' || field(n.parent, 'condition') !== n || block.succs.length !== 2) return undefined;
  let pure = true;
  walk(n, (m) => {
    if (m.type === 'call_expression' || (m.type === 'unary_expression' && fc.text(m).trimStart().startsWith('<-'))) pure = false;
    return pure;
  });
  return pure ? fc.text(n).replace(/\s+/g, ' ') : undefined;
}

/** Keys of a literal's summary are already in the enclosing declaration's names. */
function sameFuncRef(_fc: FuncCtx, k: string): LockRef {
  return { key: k, tkey: undefined, text: '' };
}

/** The func literal a local variable holds (`unlock := func() {...}`), if never reassigned. */
function localClosure(fc: FuncCtx, v: LocalVar): Node | undefined {
  if (v.kind !== 'var' || !v.init || v.init.count !== 1) return undefined;
  const e = unparen(v.init.expr);
  if (e.type !== 'func_literal' || isReassigned(fc, v)) return undefined;
  return e;
}

/** A literal that runs synchronously in its enclosing function: applied, deferred, or held in a local that is only called. */
function isInlinedLiteral(fc: FuncCtx, lit: Node): boolean {
  const p = lit.parent;
  if (p?.type === 'call_expression' && field(p, 'function') === lit) return p.parent?.type !== 'go_statement';
  // `f := func() {...}` where every use of f is a call.
  let id: Node | undefined;
  if (p?.type === 'expression_list' && p.parent?.type === 'short_var_declaration') {
    const rhs = exprList(field(p.parent, 'right'));
    const lhs = exprList(field(p.parent, 'left'));
    const i = rhs.indexOf(lit);
    if (i >= 0 && rhs.length === lhs.length) id = lhs[i];
  }
  if (!id) return false;
  const v = fc.res.defs.get(id);
  if (!v) return false;
  const refs = fc.res.refs.get(v) ?? [];
  return refs.length > 0 && refs.every((r) => r.parent?.type === 'call_expression' && field(r.parent, 'function') === r && r.parent.parent?.type !== 'go_statement');
}

/** True when a Lock/Unlock-like call (or a call to a lock-relevant name) is nested in an if of `fn`. */
function lockUnderIf(fc: FuncCtx, fn: Node): boolean {
  const body = fn === fc.decl ? fc.body : field(fn, 'body');
  let found = false;
  const visit = (n: Node, inIf: boolean): void => {
    if (found) return;
    if (n.type === 'func_literal' && n !== fn) return;
    if (inIf && n.type === 'call_expression' && LOCK_CALL_TEXT.test(fc.text(field(n, 'function') ?? n))) {
      found = true;
      return;
    }
    for (const c of n.children) visit(c, inIf || n.type === 'if_statement');
  };
  if (body) visit(body, false);
  return found;
}

/** Keeps, per statement, the locks held on every path reaching it (intersection over visits). */
function recordHeld(heldAt: FuncLocks['heldAt'], n: Node, st: State): void {
  const prev = heldAt.get(n);
  if (!prev) {
    const m = new Map<string, { ref: LockRef; mode: LockMode; site: Site }>();
    for (const [k, h] of st.held) m.set(k, { ref: h.ref, mode: h.mode, site: h.site });
    heldAt.set(n, m);
    return;
  }
  for (const k of [...prev.keys()]) if (!st.held.has(k)) prev.delete(k);
}

function cloneState(s: State): State {
  const held = new Map<string, Held>();
  for (const [k, h] of s.held) held.set(k, { ...h });
  return { held, entryReleased: new Set(s.entryReleased), deferred: new Set(s.deferred), rebound: new Set(s.rebound), lockedEver: new Set(s.lockedEver), conds: new Map(s.conds), last: s.last, dead: false };
}

function signature(s: State, last: Node | undefined): string {
  const parts: string[] = [];
  for (const [k, h] of s.held) parts.push(`${k}:${h.mode}:${h.site.node.start}:${h.deferred ? 1 : 0}`);
  parts.sort();
  return `${parts.join(',')}|${[...s.entryReleased].sort().join(',')}|${[...s.deferred].sort().join(',')}|${[...s.rebound].sort().join(',')}|${[...s.lockedEver].sort().join(',')}|${[...s.conds].map(([c, v]) => `${c}=${v}`).sort().join(',')}|${last?.start ?? ''}`;
}

/** True when `t` is, or contains by value (fields, arrays, embedding), a sync lock type. */
export function containsLock(t: Type, depth = 0, seen = new Set<Type>()): string | undefined {
  if (depth > 6 || seen.has(t)) return undefined;
  seen.add(t);
  if (t.kind === 'named' && t.pkg === 'sync' && ['Mutex', 'RWMutex', 'WaitGroup', 'Cond', 'Once'].includes(t.name)) return `sync.${t.name}`;
  if (t.kind === 'named' && t.pkg === 'sync') return undefined;
  const u = underlying(t);
  if (u.kind === 'array') return containsLock(u.elem, depth + 1, seen);
  if (u.kind === 'struct') {
    for (const f of u.fields) {
      const r = containsLock(f.type, depth + 1, seen);
      if (r) return r;
    }
  }
  return undefined;
}

/**
 * True when the lock `key` is handed to code this analysis does not see from `info`'s
 * function: its unlock escapes (a goroutine, a stored closure, another package), its
 * variable is reassigned or aliased, or another function of the same declaration (the
 * enclosing function of a literal, a sibling goroutine) unlocks it.
 */
export function lockEscapes(la: LockAnalysis, info: FuncLocks, key: string): boolean {
  const related = (k: string): boolean => k === key || key.startsWith(`${k}.`) || k.startsWith(`${key}.`);
  for (const fn of info.fc.res.funcs) {
    const other = fn === info.fn ? info : la.of(info.fc, fn);
    if (!other) continue;
    if (isWithin(fn, info.fn)) {
      for (const k of other.escaped) if (related(k)) return true;
    } else if (!other.inlined && other.unlocks.has(key)) return true;
  }
  return false;
}

function isWithin(inner: Node, outer: Node): boolean {
  for (let p: Node | null | undefined = inner; p; p = p.parent) if (p === outer) return true;
  return false;
}
