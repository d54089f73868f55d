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
 * Paths also carry the outcome of side-effect-free conditions (conds.ts): the same `if`
 * condition, boolean flags set next to a lock, the comma-ok result of the same type
 * assertion and loop conditions, so `if b == 10 { mu.Lock() } ... if b == 10 {
 * mu.Unlock() }` is two paths, not four. An assignment to a variable drops the locks
 * named through it (another instance) and the recorded conditions that mention it.
 *
 * The state a function is entered with: a function that unlocks what it did not lock
 * was entered with it held; taking it again before returning restores that state
 * (`m.mu.Unlock(); rpc(); m.mu.Lock()`) and is neither a leak nor, for callers, a release.
 *
 * Hand-over: a lock can leave a function held without leaking, when it goes to a
 * goroutine that unlocks it (directly or in a same-package callee: then this goroutine no
 * longer holds it), or to an object returned or stored in a field whose method releases
 * it (`return &txn{s}` with `(*txn).End` unlocking `t.s.mu`). Paths keep aliases (`t.s`
 * names `s` after `t := &txn{s: s}` or after a call whose summary hands `s` over in its
 * result), and calls through interfaces are resolved to the package's implementations
 * (ifaces.ts) for what they release.
 *
 * A `sync.Locker` is followed when its mutex is known (lockalias.ts: a Cond's `L`, a Locker
 * field that only ever holds a fresh `*sync.Mutex`).
 * Anything else the analysis cannot name (index expressions, other Lockers, locks from
 * calls) is not tracked, and a lock handed to code it does not follow (a goroutine, a
 * stored closure, another package) is marked as escaped, so the rules stay silent.
 * For speed, callees are followed only when they lock or unlock, or call such a
 * function within RELEVANT_DEPTH levels (matched by name, from the package's text).
 */
import type { CFG, Block } from '../go/cfg.js';
import type { Callee, LocalVar } from '../go/resolve.js';
import type { SourceFile } from '../go/source.js';
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, lookupMethod, underlying, type MethodInfo, type Type } from '../go/types.js';
import { callArgs } from './chanfacts.js';
import { implementations, interfaceCallees, interfaceMethodNames } from './ifaces.js';
import { assumeCond, branchCondition, evalCond, flagsSetBy, forgetMentioning, isPure } from './conds.js';
import { importedCallName, type FuncCtx, type PackageFacts } from './pass.js';
import { CALLBACKS } from './program/stdlib.js';
import { declWords, firstChar, isSpaceCode, isSyncType, lockAliases, selfCallee, type DeclWords } from './lockalias.js';
import { programModel } from './program/index.js';
import { isWordCode } from './words.js';

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
  /** Where the summarised function takes it: its Lock call or the call that leads there. */
  at?: Node;
}

/** The effect of calling a function, in its own root names. */
export interface LockSummary {
  acquires: Map<string, { ref: LockRef; mode: LockMode; site: Site }>;
  releases: Map<string, { ref: LockRef; mode: LockMode }>;
  locks: Map<string, InnerLock>;
  /**
   * Objects handed to the caller with a lock they release: result `result` reaches, at
   * field path `path` (`.s`, or '' for the result itself), the object named `of` here
   * (`recv`, `p0.conn`...), whose lock it returns held (`return &txn{s}` after
   * `s.mu.RLock()`, with `(*txn).End` unlocking `t.s.mu`).
   */
  handed: Array<{ result: number; path: string; of: string }>;
  /**
   * Results that are functions releasing locks when called (`return func() {
   * once.Do(l.Unlock) }`, `return s.mu.Unlock`): result index and the locks, in this
   * function's names. A caller that binds the result to a local releases them where it
   * calls (or defers) that local.
   */
  releasers?: Array<{ result: number; releases: Array<{ ref: LockRef; mode: LockMode }> }>;
  /**
   * Locks taken from their entry state on some normal exit path but not on all (`if
   * strings.HasPrefix(v, "${") { v.store.Get(ref) }`), also through callees, except those
   * guarded by a boolean parameter (`if !locked { t.mu.Lock() }`: the caller decides).
   * Applied only where the callee is known from the call graph and a double lock there is a
   * reachable deadlock (see DoubleLock.may).
   */
  mayLocks?: Map<string, InnerLock>;
  /**
   * Calls of a function-typed parameter made while locks are held (`func (r *registry)
   * Each(visit func(k string)) { r.mu.RLock(); ...; visit(k) }`): the parameter index, the
   * locks held there (in this function's names) and the call. A caller passing a func
   * literal that takes one of them deadlocks (see LockAnalysis.apply, `call`).
   */
  heldCalls?: Array<{ param: number; held: Array<{ ref: LockRef; mode: LockMode; site: Site }>; call: Site; name: string }>;
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
  /** The callee takes the lock only on some of its paths (LockSummary.mayLocks): the path goes on. */
  may?: boolean;
  /** The function that holds the lock when it is not the reporting one (a callee running a callback). */
  holder?: string;
  /** Where the holder calls the callback (with `holder`). */
  holderCall?: Site;
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
  /** Every lock this function holds there (A among them), with its mode. */
  held: Array<{ ref: LockRef; mode: LockMode }>;
}

/** Everything the lock rules need about one function node. */
export interface FuncLocks {
  fc: FuncCtx;
  fn: Node;
  summary: LockSummary;
  doubles: DoubleLock[];
  /** Normal exits with a lock of this function still held. */
  heldAtExit: HeldAtExit[];
  /**
   * `panic(...)` calls reached with a lock of this function held and no deferred unlock:
   * if a caller recovers, the lock stays locked (a panic runs only deferred calls).
   */
  heldAtPanic: Array<{ ref: LockRef; mode: LockMode; site: Site; panic: Node }>;
  /** Number of normal exit paths explored (distinct states; 0 for a silent declaration, see LockAnalysis.silent). */
  exits: number;
  /** Keys of locks held at each explored exit (to tell "all exits" from "some"). */
  exitKeys: Array<Set<string>>;
  /**
   * Keys (or key prefixes) whose unlock is handed to code the analysis does not follow, or whose variable is reassigned or aliased
   * (not collected for a silent declaration: read only for a function that holds a lock or encloses one).
   */
  escaped: Set<string>;
  /** Keys this function unlocks (directly or through a callee), also as `key#W` / `key#R` by mode. */
  unlocks: Set<string>;
  edges: OrderEdge[];
  /**
   * Two locks of the same field reached through two different parameters, taken one
   * while holding the other (`from.mu` then `to.mu`): their order is the caller's
   * argument order (lock-order compares call sites).
   */
  paramPairs: Array<{ outer: { ref: LockRef; site: Site }; inner: { ref: LockRef; site: Site }; i: number; j: number }>;
  /** True when the function is a func literal applied in place, deferred or called through a local. */
  inlined: boolean;
  /**
   * Locks held on every explored path when each statement starts (what a stack frame at that statement holds; see lockquery.ts).
   * A statement without an entry holds nothing (so has every statement of a silent declaration).
   */
  heldAt: Map<Node, ReadonlyMap<string, { ref: LockRef; mode: LockMode; site: Site }>>;
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
  entryReleased: KeySet;
  /** Keys whose unlock is deferred (even when not held yet). */
  deferred: KeySet;
  /** Roots (variables) assigned since entry: locks under them are other instances. */
  rebound: KeySet;
  /** Keys locked from their entry state on this path (for the must-lock summary). */
  lockedEver: KeySet;
  /** Outcomes of side-effect-free if conditions taken on this path (text → branch). */
  conds: CondMap;
  /**
   * Key prefixes that name the same object as another on this path: `l12.s` → `recv` after
   * `t := &txn{s: s}` (or `t := s.Read()` whose summary hands `s` over in field `s`).
   */
  aliases: Map<string, string>;
  /** Keys unlocked on this path while held (a later deferred unlock of them does not mean they were held at entry). */
  unlockedHeld: KeySet;
  /**
   * Held keys whose mutex was handed to code not followed (`unlock := lockutil.Once(&s.mu)`):
   * a later call through a function value nothing is known about may release them.
   */
  loose: KeySet;
  last: Node | undefined;
  dead: boolean;
}

type Event =
  /** `site`: where the lock is taken, made at the first path that takes it (every path shares it). */
  | { t: 'lock'; ref: LockRef; mode: LockMode; node: Node; site?: Site }
  /** `modeKey`: `<key>#<mode>` of `ref` (unlocks records both), made at the first path that unlocks it under its own name. */
  | { t: 'unlock'; ref: LockRef; mode: LockMode; node: Node; modeKey?: string }
  | { t: 'defer'; key: string; ref?: LockRef; mode?: LockMode }
  /** `defer f()` with f a function value nothing is known about: may release the loose locks at return. */
  | { t: 'deferValue' }
  /** `inside`: the callee is a func literal of this declaration run by a library call (`sort.Slice`): its locks are taken at its own call sites. */
  | { t: 'call'; node: Node; name: string; summary: LockSummary; map: (key: string) => LockRef | undefined; inside?: boolean; may?: boolean }
  | { t: 'deferCall'; summary: LockSummary; map: (key: string) => LockRef | undefined }
  | { t: 'escape'; key: string }
  /** A call through a function value (`cb(job)`, `s.onEvent()`): resolved by the program model only when a lock is held. */
  | { t: 'valueCall'; node: Node }
  /** A call through a func-typed selector the resolver cannot name (`h.release()`, not a method): may run a releaser of a held lock (see releasableByValue). */
  | { t: 'selectorCall'; node: Node }
  /** Handed to another goroutine (`go` statement that unlocks it): no longer held here. */
  | { t: 'handoff'; key: string }
  | { t: 'flag'; cond: Node; value: boolean }
  /** `from` (a key prefix) names the object `to` names (composite literal field, handed-over result). */
  | { t: 'alias'; from: string; to: () => LockRef | undefined }
  /** `v := &T{f: e}`: `v.f` names what e names (fields read when a lock is held, see apply; `named`: those that name a lock, read once). */
  | { t: 'aliasFields'; base: string; lit: Node; named?: Array<{ from: string; to: string }> }
  /** `x.f = e`: e (and the locks it carries) is stored where it outlives the function. */
  | { t: 'store'; expr: Node }
  | { t: 'rebind'; root: string; name: string }
  | { t: 'assign'; name: string }
  | { t: 'mark'; root: string }
  /** `ref`: the lock `expr` names (null: none), named at the first path that holds a lock there. */
  | { t: 'maybeEscape'; expr: Node; owner: boolean; ref?: LockRef | null };

/** Per-run bookkeeping of one function's walk. */
interface RunCtx {
  info: FuncLocks;
  seenDouble: Set<Node>;
  seenEdge: Set<string>;
  candidates: Map<string, InnerLock>;
  /** Whether branch conditions and flags are tracked (a lock or unlock sits under an if). */
  trackConds: boolean;
  /** The lock each deferred unlock key names (for the summary's releases). */
  deferredRefs: Map<string, { ref: LockRef; mode: LockMode }>;
  /** May-locks of callees (LockSummary.mayLocks), in this function's names. */
  mayCandidates: Map<string, InnerLock>;
  /** Keys locked under a condition on a boolean parameter on some path. */
  paramGuarded: Set<string>;
  /** The function's boolean parameters as whole words (conditions on them are the caller's choice). */
  boolParamWords: RegExp[];
}

const MAX_STATES_PER_BLOCK = 24;
const EMPTY: LockSummary = { acquires: new Map(), releases: new Map(), locks: new Map(), handed: [] };

/** The lock analysis of the package (memoised in the package facts). */
export function lockAnalysis(facts: PackageFacts): LockAnalysis {
  return facts.memo('locks', () => new LockAnalysis(facts));
}

/** Lock operation of a call: `mu.Lock()`, `s.RUnlock()`... */
export function lockCallOf(fc: FuncCtx, call: Node, callee?: Callee): { op: 'lock' | 'unlock' | 'try'; mode: LockMode; ref: LockRef | undefined; recv: Node } | undefined {
  // Every lock operation is spelled `x.Lock()` (`(*sync.Mutex).Lock(&mu)` too): the callee
  // of any other call is not resolved here (resolving can load other packages).
  const fnNode = field(call, 'function');
  const sel = fnNode ? unparen(fnNode) : undefined;
  const fl = sel?.type === 'selector_expression' ? field(sel, 'field') : undefined;
  if (!fl || !LOCK_METHODS.has(fc.text(fl))) return undefined;
  const c = callee ?? fc.res.callee(call);
  if (c.kind !== 'method') return lockerCallOf(fc, call);
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

/**
 * `l.Lock()` / `l.Unlock()` on a `sync.Locker` whose mutex is known (lockalias.ts): a
 * Cond's `L` (`b.avail.L` is `b.mu` after `b.avail = sync.NewCond(&b.mu)`), or a Locker
 * field every write of which stores a fresh `*sync.Mutex` (or the address of a mutex of
 * the same object). Any other Locker may be anything (a no-op, a reentrant lock): none.
 */
function lockerCallOf(fc: FuncCtx, call: Node): { op: 'lock' | 'unlock'; mode: LockMode; ref: LockRef | undefined; recv: Node } | undefined {
  const fnNode = field(call, 'function');
  const sel = fnNode ? unparen(fnNode) : undefined;
  if (sel?.type !== 'selector_expression') return undefined;
  const fl = field(sel, 'field');
  const name = fl ? fc.text(fl) : '';
  if (name !== 'Lock' && name !== 'Unlock') return undefined;
  const recv = field(sel, 'operand');
  if (!recv || !isSyncType(fc.res.typeOf(recv), 'Locker')) return undefined;
  const ref = lockerRef(fc, recv) ?? lockerParamRef(fc, recv);
  return ref ? { op: name === 'Lock' ? 'lock' : 'unlock', mode: 'W', ref, recv } : undefined;
}

/**
 * A `sync.Locker` parameter (or receiver) itself: whatever the caller passes. Its
 * operations are named by the parameter's root (`p0`), which a call renames to the
 * argument's lock (`&s.mu` → `recv.mu`); an argument that is no tracked mutex maps to a
 * lock nobody else holds, so nothing is claimed about it.
 */
function lockerParamRef(fc: FuncCtx, recv: Node): LockRef | undefined {
  const u = unparen(recv);
  if (u.type !== 'identifier') return undefined;
  const r = lockRef(fc, u);
  return r && (r.key === 'recv' || /^p\d+$/.test(r.key)) ? r : undefined;
}

/**
 * The lock operation a method value denotes (`mu.Unlock`, `l.Unlock` of a Locker, as in
 * `once.Do(l.Unlock)` or `return s.mu.Unlock`), when its lock can be named.
 */
export function lockMethodValue(fc: FuncCtx, sel0: Node): { op: 'lock' | 'unlock'; mode: LockMode; ref: LockRef } | undefined {
  const sel = unparen(sel0);
  if (sel.type !== 'selector_expression') return undefined;
  const op = field(sel, 'operand');
  const fl = field(sel, 'field');
  const name = fl ? fc.text(fl) : '';
  if (!op || !['Lock', 'Unlock', 'RLock', 'RUnlock'].includes(name)) return undefined;
  const t = fc.res.typeOf(op);
  const rw = isSyncType(t, 'RWMutex');
  let ref: LockRef | undefined;
  if (isSyncType(t, 'Mutex') || rw) ref = lockRef(fc, op);
  else if (isSyncType(t, 'Locker')) {
    if (name !== 'Lock' && name !== 'Unlock') return undefined;
    ref = lockerRef(fc, op) ?? lockerParamRef(fc, op);
  }
  if (!ref) return undefined;
  const mode: LockMode = rw && (name === 'RLock' || name === 'RUnlock') ? 'R' : 'W';
  return { op: name.endsWith('Unlock') ? 'unlock' : 'lock', mode, ref };
}

/** The mutex a `sync.Locker` expression denotes, when every write of it is known (see lockerCallOf). */
function lockerRef(fc: FuncCtx, e0: Node, depth = 0): LockRef | undefined {
  const e = unparen(e0);
  if (e.type !== 'selector_expression' || depth > 4) return undefined;
  const op = field(e, 'operand');
  const fl = field(e, 'field');
  if (!op || !fl || fc.res.importOf(op)) return undefined;
  const name = fc.text(fl);
  const text = fc.text(e).replace(/\s+/g, '');
  // `c.L` of a Cond: the lock given to sync.NewCond.
  if (name === 'L' && isSyncType(fc.res.typeOf(op), 'Cond')) {
    const c = unparen(op);
    if (c.type === 'identifier') {
      const v = fc.res.localOf(c);
      const init = v?.kind === 'var' && v.init?.count === 1 && !v.rangeOf && !isReassigned(fc, v) ? unparen(v.init.expr) : undefined;
      const arg = init?.type === 'call_expression' && fc.text(field(init, 'function') ?? init).replace(/\s+/g, '').endsWith('NewCond') ? argsOf(init)[0] : undefined;
      const a = arg ? unparen(arg) : undefined;
      const inner = a?.type === 'unary_expression' && firstChar(fc, a) === '&' ? field(a, 'operand') : undefined;
      const r = inner && (isSyncType(fc.res.typeOf(inner), 'Mutex') || isSyncType(fc.res.typeOf(inner), 'RWMutex')) ? lockRef(fc, inner) : undefined;
      return r ? { ...r, text } : undefined;
    }
    if (c.type !== 'selector_expression') return undefined;
    const owner = field(c, 'operand');
    const cf = field(c, 'field');
    const fact = owner && cf ? lockAliases(fc.facts).factOf(fc, owner, fc.text(cf)) : undefined;
    return fact?.t === 'cond' && owner ? relRef(fc, owner, fact.path, text) : undefined;
  }
  const fact = lockAliases(fc.facts).factOf(fc, op, name);
  if (fact?.t === 'mutex') {
    // A Locker field holding its own fresh mutex: the field names it.
    const base = lockRef(fc, op);
    const tn = namedName(fc.res.typeOf(op));
    return base ? { key: `${base.key}.${name}`, tkey: tn ? `${tn}.${name}` : undefined, text } : undefined;
  }
  if (fact?.t === 'alias') return relRef(fc, op, fact.path, text);
  return undefined;
}

/** The lock at `owner<path>` (path `.mu` or `.a.mu`), named like lockRef names `owner.mu`. */
function relRef(fc: FuncCtx, owner: Node, path: string, text: string): LockRef | undefined {
  const base = lockRef(fc, owner);
  if (!base) return undefined;
  const tn = namedName(fc.res.typeOf(owner));
  const one = /^\.\w+$/.test(path);
  return { key: `${base.key}${path}`, tkey: tn && one ? `${tn}${path}` : undefined, text };
}

function namedName(t: Type): string | undefined {
  const d = deref(t);
  return d.kind === 'named' ? d.name : undefined;
}

/** Names the lock denoted by `e`, or undefined when it cannot be named soundly. */
export function lockRef(fc: FuncCtx, e0: Node, depth = 0): LockRef | undefined {
  if (depth > 8) return undefined;
  const e = unparen(e0);
  // The text (for messages) is made only for a lock that is named.
  const text = (): string => fc.text(e).replace(/\s+/g, '');
  if (e.type === 'unary_expression') {
    const op = field(e, 'operand');
    const o = firstChar(fc, e);
    if (!op || (o !== '&' && o !== '*')) return undefined;
    return lockRef(fc, op, depth + 1);
  }
  if (e.type === 'identifier') {
    const v = fc.res.localOf(e);
    if (v) {
      if (v.func === fc.decl && (v.kind === 'recv' || v.kind === 'param')) {
        const root = v.kind === 'recv' ? 'recv' : `p${paramIndex(fc.decl, v)}`;
        return { key: root, tkey: undefined, text: text() };
      }
      if (v.kind === 'type' || v.kind === 'const') return undefined;
      // `mu := &s.mu`: an alias of the field's lock.
      if (v.kind === 'var' && v.init && v.init.count === 1 && !v.rangeOf) {
        const init = unparen(v.init.expr);
        if (init.type === 'unary_expression' && firstChar(fc, init) === '&' && !isReassigned(fc, v)) {
          const inner = field(init, 'operand');
          const r = inner ? lockRef(fc, inner, depth + 1) : undefined;
          if (r) return { ...r, text: text() };
        }
      }
      // `first := from` (a pointer copied once, never reassigned): the same object.
      if (v.kind === 'var' && v.init && v.init.count === 1 && !v.rangeOf && fc.res.typeOf(e).kind === 'pointer') {
        const init = unparen(v.init.expr);
        if (init.type === 'identifier' && !isReassigned(fc, v)) {
          const r = lockRef(fc, init, depth + 1);
          if (r && !r.key.startsWith('l')) return { ...r, text: text() };
        }
      }
      // `fs, ok := s.store.(*fileStore)`: the asserted value of a side-effect-free
      // operand, so two such variables (two `if fs, ok := ...; ok` on the same store)
      // name the same lock, as the conditions they guard agree (conds.ts).
      if (v.kind === 'var' && v.init && v.init.index === 0 && !v.rangeOf && !isReassigned(fc, v)) {
        const init = unparen(v.init.expr);
        const operand = init.type === 'type_assertion_expression' ? field(init, 'operand') : undefined;
        const te = field(init, 'type');
        if (operand && te && isPure(fc, init)) {
          const r = lockRef(fc, operand, depth + 1);
          if (r) return { key: `${r.key}.(${fc.text(te).replace(/\s+/g, '')})`, tkey: undefined, text: text() };
        }
      }
      return { key: `l${v.ident.start}`, tkey: undefined, text: text() };
    }
    const o = fc.res.pkgObjOf(e);
    if (o?.kind === 'var') return { key: `g:${o.name}`, tkey: `g:${o.name}`, text: text() };
    return undefined;
  }
  if (e.type === 'selector_expression') {
    const op = field(e, 'operand');
    const fl = field(e, 'field');
    if (!op || !fl) return undefined;
    const name = fc.text(fl);
    const ip = fc.res.importOf(op);
    if (ip) return { key: `g:${ip}.${name}`, tkey: `g:${ip}.${name}`, text: text() };
    const base = lockRef(fc, op, depth + 1);
    if (!base) return undefined;
    const tn = namedName(fc.res.typeOf(op));
    return { key: `${base.key}.${name}`, tkey: tn ? `${tn}.${name}` : undefined, text: text() };
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

/**
 * `callArgs(call)` (chanfacts.ts) without its flatMap in the usual case: the arguments of a
 * call are an argument_list node, whose named children they are.
 */
function argsOf(call: Node): readonly Node[] {
  const a = field(call, 'arguments');
  if (!a) return [];
  return a.type === 'argument_list' ? named(a) : callArgs(call);
}

/** paramIndex by variable (every caller passes the variable's own function, `v.func`). */
const PARAM_INDEX = new WeakMap<LocalVar, number>();

function paramIndex(decl: Node, v: LocalVar): number {
  let i = PARAM_INDEX.get(v);
  if (i === undefined) PARAM_INDEX.set(v, (i = computeParamIndex(decl, v)));
  return i;
}

function computeParamIndex(decl: Node, v: LocalVar): number {
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
/** A Lock/Unlock call, or an Unlock method value handed on (`once.Do(l.Unlock)`, `return s.mu.Unlock`). */
const LOCK_TEXT = /\.R?(?:Lock\(\)|Unlock(?:\(\)|[),;\s}]))/;
/** The callee text of a call that may lock or unlock: a lock method, or a helper whose name says lock/unlock. */
const LOCK_CALL_TEXT = /(?:^|\.)(?:R?Lock|R?Unlock)$|[lL]ock/;
/**
 * fmt and log functions that format their operands, with the index of the format string
 * (none: Print-style, every operand formatted as %v). They call `Error()`/`String()` on
 * operands that implement error/fmt.Stringer (fmt/print.go, handleMethods).
 */
const FMT_FORMAT_ARG = new Map<string, number>([
  ['fmt.Printf', 0],
  ['fmt.Sprintf', 0],
  ['fmt.Errorf', 0],
  ['fmt.Fprintf', 1],
  ['fmt.Appendf', 1],
  ['log.Printf', 0],
  ['log.Fatalf', 0],
  ['log.Panicf', 0],
]);
/** fmt and log functions that format their operands (calling `String()`/`Error()` on them). */
export const FMT_FUNCS = new Set([...FMT_FORMAT_ARG.keys(), 'fmt.Print', 'fmt.Println', 'fmt.Sprint', 'fmt.Sprintln', 'fmt.Fprint', 'fmt.Fprintln', 'log.Print', 'log.Println', 'log.Fatal', 'log.Fatalln', 'log.Panic', 'log.Panicln']);
const FMT_NAMES = new Set([...FMT_FUNCS].map((n) => n.slice(n.indexOf('.') + 1)));

/**
 * The verb of each operand of a Printf format (`%-5v` → `v`, `%#v` → `#v`), in order, or
 * undefined when the format uses explicit argument indexes or `*` widths (not followed).
 */
export function formatVerbs(lit: string): string[] | undefined {
  const s = lit.slice(1, -1);
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') continue;
    let j = i + 1;
    let sharp = false;
    while (j < s.length && '+-# 0'.includes(s[j] as string)) {
      if (s[j] === '#') sharp = true;
      j++;
    }
    while (j < s.length && /[0-9.]/.test(s[j] as string)) j++;
    if (s[j] === '[' || s[j] === '*') return undefined;
    const v = s[j];
    if (v === undefined) break;
    i = j;
    if (v === '%') continue;
    out.push(sharp ? `#${v}` : v);
  }
  return out;
}

/** How many call levels above a Lock/Unlock the summaries follow (issue 13: deep helper chains; 6 adds no realcode finding and is measured in bench). */
const RELEVANT_DEPTH = 6;

/** Computes and caches per-function lock facts (one instance per package, see lockAnalysis). */
export class LockAnalysis {
  private relevant: { names: Set<string>; decls: Set<Node> } | undefined;
  private infos = new Map<Node, FuncLocks>();
  private inProgress = new Set<Node>();
  /** Numbers for the parts of state signatures (see signature). */
  private ids = new Interner();

  constructor(readonly facts: PackageFacts) {}

  /** The lock facts of `fn` (a declaration or a func literal inside `fc`). */
  of(fc: FuncCtx, fn: Node = fc.decl): FuncLocks | undefined {
    const have = this.infos.get(fn);
    if (have) return have;
    if (this.inProgress.has(fn)) {
      this.recursionHits++;
      return undefined; // recursion: no summary
    }
    if (fn === fc.decl && fc.body && this.silent(fc)) {
      const quiet = silentInfo(fc);
      this.infos.set(fn, quiet);
      return quiet;
    }
    const g = fc.cfg(fn);
    if (!g) return undefined;
    this.inProgress.add(fn);
    const info = this.run(fc, fn, g);
    this.inProgress.delete(fn);
    this.infos.set(fn, info);
    return info;
  }

  /** Declarations decided by `silent`: true when no run of them can meet a lock. */
  private silentDecls = new Map<Node, boolean>();
  /** Per declaration: whether its text spells a lock operation, and the declarations a run of it may take a summary from. */
  private lockEdges = new Map<Node, { direct: boolean; callees: Node[] }>();

  /**
   * Whether a run of declaration `decl` can meet no lock: its text spells no `Lock` or
   * `Unlock` (every lock, unlock, Locker call and lock method value does), and every
   * declaration a run of it may take a summary from (`lockEdgesOf`: callees, methods run by
   * fmt or by a library callback, self-bound fields, interface implementations) is silent
   * too (a cycle with no lock text is silent). Such a run holds nothing on any path and
   * summarises to nothing, whatever order the package's functions are analysed in; `of`
   * answers it without building its CFG or walking its paths (`silentInfo`).
   *
   * Deciding it resolves only the calls a run resolves (the same `mayMatter` gate, and every
   * deferred call) and asks for no summary, so the runs that do happen are made in the same
   * order as without this shortcut. The closure of `decl` is explored once and every
   * declaration in it is decided with it.
   */
  private silent(fc: FuncCtx): boolean {
    const decl = fc.decl;
    const have = this.silentDecls.get(decl);
    if (have !== undefined) return have;
    if (LOCK_WORD.test(fc.file.text.slice(decl.start, decl.end))) {
      this.silentDecls.set(decl, false);
      return false;
    }
    // The undecided closure of decl, then loudness propagated back along the edges.
    const closure: Node[] = [decl];
    const inClosure = new Set<Node>(closure);
    const callers = new Map<Node, Node[]>();
    const loud: Node[] = [];
    for (let i = 0; i < closure.length; i++) {
      const d = closure[i] as Node;
      const e = this.lockEdgesOf(d);
      if (e.direct) loud.push(d);
      for (const c of e.callees) {
        const known = this.silentDecls.get(c);
        if (known === false) {
          loud.push(d);
          continue;
        }
        if (known === true) continue;
        const l = callers.get(c);
        if (l) l.push(d);
        else callers.set(c, [d]);
        if (!inClosure.has(c)) {
          inClosure.add(c);
          closure.push(c);
        }
      }
    }
    const isLoud = new Set<Node>();
    while (loud.length > 0) {
      const d = loud.pop() as Node;
      if (isLoud.has(d)) continue;
      isLoud.add(d);
      for (const c of callers.get(d) ?? []) loud.push(c);
    }
    for (const d of closure) this.silentDecls.set(d, !isLoud.has(d));
    return !isLoud.has(decl);
  }

  /**
   * What a run of `decl` may take a summary from, without taking any: for every call in it
   * (func literals included) that `call`, `go`, `handOver`, `recordReleasers` or
   * `releaserCall` would follow (mayMatter) and every deferred call, the declarations of
   * `callTarget` (a same-package function or method in relevantSets, the method of a
   * self-bound field, the package's implementations of an interface method), of
   * `syncCallback` (a method value run by the standard library) and of `stringerCalls`.
   * Func literals and local closures are part of `decl` itself. A declaration without a
   * FuncCtx here, or without a body, is never run: no edge.
   */
  private lockEdgesOf(decl: Node): { direct: boolean; callees: Node[] } {
    const have = this.lockEdges.get(decl);
    if (have) return have;
    const fc = this.facts.funcCtxOfDecl(decl);
    const text = fc ? fc.file.text.slice(decl.start, decl.end) : '';
    const out = { direct: LOCK_WORD.test(text), callees: [] as Node[] };
    this.lockEdges.set(decl, out);
    if (!fc || out.direct) return out;
    const rel = this.relevantSets().decls;
    const pkgPath = this.facts.pkg.importPath;
    const add = (d: Node | undefined): void => {
      if (!d || out.callees.includes(d)) return;
      const cfc = this.facts.funcCtxOfDecl(d);
      if (cfc?.body) out.callees.push(d);
    };
    walk(decl, (m) => {
      if (m.type !== 'call_expression') return;
      if (m.parent?.type !== 'defer_statement' && !this.mayMatter(fc, m)) return;
      const c = fc.res.callee(m);
      const idx = syncCallbackIndex(fc, m, c);
      const arg = idx !== undefined ? argsOf(m)[idx] : undefined;
      const u = arg ? unparen(arg) : undefined;
      if (u?.type === 'selector_expression') {
        const op = field(u, 'operand');
        const fl = field(u, 'field');
        if (op && fl && !fc.res.importOf(op)) {
          const meth = lookupMethod(fc.res.typeOf(op), fc.text(fl));
          if (meth?.decl && meth.pkg === pkgPath && rel.has(meth.decl)) add(meth.decl);
        }
      }
      const fmtName = c.kind !== 'method' && c.kind !== 'local' ? importedCallName(fc, m) : undefined;
      if (fmtName && FMT_FUNCS.has(fmtName)) for (const s of this.stringerMethods(fc, m, fmtName)) add(s.m.decl);
      if (c.kind === 'func' && c.obj.pkg === this.facts.pkg && c.obj.kind === 'func' && c.obj.node.type === 'function_declaration') {
        if (rel.has(c.obj.node)) add(c.obj.node);
      } else if (c.kind === 'method' && c.method.pkg === pkgPath && c.method.decl) {
        if (rel.has(c.method.decl)) add(c.method.decl);
      } else if (c.kind === 'unknown') {
        const fnExpr = field(m, 'function');
        const self = fnExpr ? this.selfCalleeOf(fc, unparen(fnExpr)) : undefined;
        if (self && rel.has(self.decl)) add(self.decl);
        for (const im of this.interfaceCalleesOf(fc, m)?.methods ?? []) add(im.decl);
      }
    });
    return out;
  }

  private releasable: { out: Set<string>; pending: Set<number>; words: Set<string> } | undefined;

  /**
   * Whether the package can put the release of the lock with type key `tk` in a function
   * value: an Unlock method value (`once.Do(s.mu.Unlock)`, `return s.mu.RUnlock`), the
   * mutex itself handed on (`unlockOnce(&s.mu)`, `var l sync.Locker = &s.mu`), a method
   * value of a same-package method that unlocks it (`once.Do(s.unlock)`), or a func literal
   * that unlocks it and is used as a value (not applied in place, not only called locally).
   * A call through a function value the analysis cannot resolve may release such a lock; no
   * function value can release any other lock of the package (its unlocks are all in code
   * that is followed).
   *
   * The declarations that spell `Unlock` or a method value of an unlocker are searched on
   * the first question. The others can only add a key by `&x`, whose operand spells the
   * key's last name (`&s.mu`, `&mu` after `mu := &s.mu` in the same declaration, `&g`):
   * they are searched when a key with that name is asked about, so the answer is the one
   * a search of every declaration gives.
   */
  releasableByValue(tk: string): boolean {
    const r = this.releasable ?? this.releasableIndex();
    const word = tk.slice(tk.lastIndexOf('.') + 1).replace(/^g:/, '');
    if (!r.words.has(word) && r.pending.size > 0) {
      r.words.add(word);
      // Not `\b`: it is ASCII-only, and a name may end in a non-ASCII letter.
      const re = new RegExp(`(?<![A-Za-z0-9_])${word}(?![A-Za-z0-9_])`);
      const dw = declWords(this.facts);
      // An ASCII name spelled as a whole word is in the index; any other is searched for in every waiting declaration.
      for (const i of dw.candidates(word) ?? [...r.pending]) {
        const d = dw.decls[i] as DeclWords['decls'][number];
        if (!r.pending.has(i) || !re.test(d.text)) continue;
        r.pending.delete(i);
        this.releasableIn(d.decl, d.file, r.out, true);
      }
    }
    return r.out.has(tk);
  }

  /** The search of releasableByValue over the declarations that spell an unlock; the others wait for a word. */
  private releasableIndex(): NonNullable<LockAnalysis['releasable']> {
    const r: NonNullable<LockAnalysis['releasable']> = { out: new Set(), pending: new Set(), words: new Set() };
    this.releasable = r;
    // Names of the package's declarations that can unlock (their text spells `Unlock`, as
    // every unlock call and Unlock method value does): a method value of any other method
    // has nothing in unlockTkeys (a method declared elsewhere has no FuncCtx here either).
    const unlockers = new Set<string>();
    for (const { decl, file, text } of declWords(this.facts).decls) {
      const n = field(decl, 'name');
      if (n && text.includes('Unlock')) unlockers.add(file.textOf(n));
    }
    this.unlockers = unlockers;
    // A method value of an unlocker is spelled `.name` (white space or comments may follow
    // the dot) not followed by `(` on its line. The declarations that may spell one come from
    // the package's identifier index, and each is checked for its candidate names only: one
    // regular expression alternating every unlocker's name, tried at every dot of every
    // declaration, cost minutes on a package with thousands of such methods (nats-server).
    const dw = declWords(this.facts);
    const valueOf = new Map<number, string[]>();
    let unindexed: string[] | undefined;
    for (const name of unlockers) {
      const cands = dw.candidates(name);
      if (!cands) (unindexed ??= []).push(name);
      else for (const i of cands) {
        const l = valueOf.get(i);
        if (l) l.push(name);
        else valueOf.set(i, [name]);
      }
    }
    dw.decls.forEach(({ decl, file, text }, i) => {
      // Only `&x`, an unlock (call or method value) or a method value of an unlocker can add a key.
      const names = valueOf.get(i);
      const spellsValue = (names !== undefined && names.some((n) => spellsMethodValue(text, n))) || (unindexed !== undefined && unindexed.some((n) => spellsMethodValue(text, n)));
      if (text.includes('Unlock') || spellsValue) this.releasableIn(decl, file, r.out, false);
      else if (text.includes('&')) r.pending.add(i);
    });
    return r;
  }

  private unlockers = new Set<string>();
  private unlocksIn = new Map<Node, string[]>();

  /** Type keys of the locks a declaration unlocks (for method values of unlockers). */
  private unlockTkeys(decl: Node): string[] {
    let l = this.unlocksIn.get(decl);
    if (l) return l;
    this.unlocksIn.set(decl, (l = []));
    const cfc = this.facts.funcCtxOfDecl(decl);
    if (!cfc) return l;
    const list = l;
    walk(decl, (m) => {
      if (m.type !== 'call_expression') return;
      const lc = lockCallOf(cfc, m);
      if (lc?.op === 'unlock' && lc.ref?.tkey) list.push(lc.ref.tkey);
    });
    return l;
  }

  /**
   * Adds the type keys `decl` makes releasable by value (see releasableByValue); `addrOnly`
   * for a declaration that spells no unlock: only its `&x` can add one.
   */
  private releasableIn(decl: Node, file: SourceFile, out: Set<string>, addrOnly: boolean): void {
    const isMutex = (t: Type): boolean => isSyncType(deref(t), 'Mutex') || isSyncType(deref(t), 'RWMutex');
    const fc = this.facts.funcCtx(decl, file);
    const unlockers = this.unlockers;
    walk(decl, (m) => {
      if (m.type === 'unary_expression' && firstChar(fc, m) === '&') {
        const op = field(m, 'operand');
        if (op && isMutex(fc.res.typeOf(op))) {
          const r = lockRef(fc, op);
          if (r?.tkey) out.add(r.tkey);
        }
        return;
      }
      if (addrOnly) return;
      if (m.type === 'selector_expression' && !(m.parent?.type === 'call_expression' && field(m.parent, 'function') === m)) {
        const mv = lockMethodValue(fc, m);
        if (mv) {
          if (mv.op === 'unlock' && mv.ref.tkey) out.add(mv.ref.tkey);
          return;
        }
        const op = field(m, 'operand');
        const fl = field(m, 'field');
        if (!op || !fl || !unlockers.has(fc.text(fl)) || fc.res.importOf(op) || fc.res.typeOf(m).kind !== 'func') return;
        const meth = lookupMethod(fc.res.typeOf(op), fc.text(fl));
        if (meth?.decl && meth.pkg === this.facts.pkg.importPath) for (const tk of this.unlockTkeys(meth.decl)) out.add(tk);
        return;
      }
      if (m.type === 'call_expression') {
        const lc = lockCallOf(fc, m);
        if (lc?.op !== 'unlock' || !lc.ref?.tkey) return;
        for (let p: Node | null | undefined = m.parent; p && p !== decl; p = p.parent) {
          // A literal applied in place (also by `go` or `defer`) is no value anyone calls.
          const applied = p.parent?.type === 'call_expression' && field(p.parent, 'function') === p;
          if (p.type === 'func_literal' && !applied && !isInlinedLiteral(fc, p)) {
            out.add(lc.ref.tkey);
            break;
          }
        }
      }
    });
  }

  /**
   * The names of the declarations analysed so far that call a function parameter while
   * holding a lock (LockSummary.heldCalls). A caller that passes them a callback may hold
   * no lock itself, so rules that only visit locking functions also visit its callers.
   */
  heldCallNames(): Set<string> {
    const out = new Set<string>();
    for (const [fn, info] of this.infos) {
      if (fn !== info.fc.decl || !info.summary.heldCalls?.length) continue;
      const n = field(fn, 'name');
      if (n) out.add(info.fc.text(n));
    }
    return out;
  }

  /**
   * Whether some goroutine may write-lock (Lock) the RWMutex `ref` taken in `fc`: a
   * recursive RLock only deadlocks when a writer queues between the two RLocks (sync
   * docs: "a blocked Lock call excludes new readers"). A local that never leaves its
   * declaration is looked up there; a field or package variable of this package in
   * every file that mentions it (a field of a named type, also under a local); anything
   * else (parameters, other packages' locks) may.
   */
  mayWriteLock(fc: FuncCtx, ref: LockRef): boolean {
    const tk = ref.tkey;
    if (ref.key.startsWith('l') && !tk) {
      const root = /^l\d+/.exec(ref.key)?.[0] as string;
      let found = false;
      walk(fc.decl, (m) => {
        if (found) return false;
        if (m.type === 'call_expression') {
          const lc = lockCallOf(fc, m);
          if (lc?.op !== 'unlock' && lc?.mode === 'W' && lc.ref?.key === ref.key) found = true;
          // Passed on (`go writer(&mu)`, `f(mu)`): someone else may write-lock it.
          else for (const a of argsOf(m)) if (lockRef(fc, a)?.key.startsWith(root)) found = true;
        }
        return !found;
      });
      return found;
    }
    // Unnamed, or another package's variable (`g:net/http.X`): its writers are not here.
    if (!tk || (tk.startsWith('g:') && tk.slice(2).includes('.'))) return true;
    return this.writeLocked(tk);
  }

  private wlocked = new Map<string, boolean>();

  /**
   * Whether some function of the package write-locks the lock with type key `tk`. Only the
   * files that mention its field (or, for an embedded mutex, its type; for a package
   * variable, its name) are parsed and searched.
   */
  private writeLocked(tk: string): boolean {
    const have = this.wlocked.get(tk);
    if (have !== undefined) return have;
    const parts = tk.replace(/^g:/, '').split('.');
    const last = parts[parts.length - 1] as string;
    // A type declared in a function is named `T·<offset>`: its source spells `T`.
    const word = (tk.startsWith('g:') ? last : last === 'Mutex' || last === 'RWMutex' ? (parts[0] as string) : last).replace(/·\d+$/, '');
    const pkg = this.facts.pkg;
    let found = false;
    for (const { decl, file } of pkg.funcDecls) {
      const text = file.text.slice(decl.start, decl.end);
      if (!text.includes('Lock()') || !text.includes(word)) continue;
      const fc = this.facts.funcCtx(decl, file);
      walk(decl, (m) => {
        if (found) return false;
        if (m.type !== 'call_expression') return;
        const lc = lockCallOf(fc, m);
        if ((lc?.op === 'lock' || lc?.op === 'try') && lc.mode === 'W' && lc.ref?.tkey === tk) found = true;
      });
      if (found) break;
    }
    this.wlocked.set(tk, found);
    return found;
  }

  /**
   * Every write-lock call (`Lock`, not TryLock) of the lock with type key `tk` in the
   * package, up to `max + 1` of them (the caller only wants to know whether there are few).
   */
  writeLockSites(tk: string, max: number): Site[] {
    const parts = tk.replace(/^g:/, '').split('.');
    const last = parts[parts.length - 1] as string;
    const word = (tk.startsWith('g:') ? last : last === 'Mutex' || last === 'RWMutex' ? (parts[0] as string) : last).replace(/·\d+$/, '');
    const out: Site[] = [];
    for (const { decl, file } of this.facts.pkg.funcDecls) {
      const text = file.text.slice(decl.start, decl.end);
      if (!text.includes('Lock()') || !text.includes(word)) continue;
      const fc = this.facts.funcCtx(decl, file);
      walk(decl, (m) => {
        if (out.length > max) return false;
        if (m.type !== 'call_expression') return;
        const lc = lockCallOf(fc, m);
        if (lc?.op === 'lock' && lc.mode === 'W' && lc.ref?.tkey === tk) out.push({ node: m, file });
      });
      if (out.length > max) break;
    }
    return out;
  }

  /** The summary of a same-package callee declaration. */
  summaryOfDecl(decl: Node): LockSummary | undefined {
    const fc = this.facts.funcCtxOfDecl(decl);
    return fc ? this.of(fc)?.summary : undefined;
  }

  private run(fc: FuncCtx, fn: Node, g: CFG): FuncLocks {
    const info = noLocks(fc, fn, fn !== fc.decl && isInlinedLiteral(fc, fn));
    // Per block (by id) and statement (by index), its events, made when a path first reaches it.
    const events: Array<Array<Event[] | undefined> | undefined> = new Array<Array<Event[] | undefined> | undefined>(g.blocks.length);
    // Correlated conditions only matter when a lock or unlock is itself under an if.
    const deferredRefs = new Map<string, { ref: LockRef; mode: LockMode }>();
    const ctx: RunCtx = { info, seenDouble: new Set(), seenEdge: new Set(), candidates: new Map(), trackConds: lockUnderIf(fc, fn), deferredRefs, mayCandidates: new Map(), paramGuarded: new Set(), boolParamWords: boolParamNames(fc, fn).map((p) => new RegExp(`\\b${p}\\b`)) };
    const { candidates, trackConds } = ctx;
    const exitStates: State[] = [];
    // Per block (by id), the signatures (plus exit statement and branch) of the states pushed to it, VISIT_PARTS numbers each.
    const visited: Array<number[] | undefined> = new Array<number[] | undefined>(g.blocks.length);
    // Per block (by id), its branch condition when tracked (null: none), asked once rather than on every path.
    const conds: Array<Node | null | undefined> = new Array<Node | null | undefined>(g.blocks.length);
    const key: number[] = new Array<number>(VISIT_PARTS).fill(0);
    const none = KeySet.empty();
    const condIds = new CondFamily();
    const stack: Array<{ block: Block; st: State }> = [{ block: g.entry, st: { held: NO_HELD, entryReleased: none, deferred: none, rebound: none, lockedEver: none, conds: new CondMap(), aliases: NO_ALIASES, unlockedHeld: none, loose: none, last: undefined, dead: false } }];
    let budget = 20000;
    while (stack.length > 0 && budget-- > 0) {
      const { block, st } = stack.pop() as { block: Block; st: State };
      if (block === g.exit) {
        exitStates.push(st);
        continue;
      }
      if (block === g.abort) {
        const p = st.last && isPanicStatement(fc, st.last) ? st.last : undefined;
        for (const [k, h] of p ? st.held : []) {
          if (h.deferred || h.marked || st.deferred.has(k) || st.entryReleased.has(k) || !p) continue;
          if (!info.heldAtPanic.some((x) => x.site.node === h.site.node && x.panic === p)) info.heldAtPanic.push({ ref: h.ref, mode: h.mode, site: h.site, panic: p });
        }
        continue;
      }
      const nodes = block.nodes;
      let evs = events[block.id];
      if (!evs) events[block.id] = evs = new Array<Event[] | undefined>(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i] as Node;
        st.last = n;
        recordHeld(info.heldAt, n, st);
        let ne = evs[i];
        if (!ne) evs[i] = ne = this.eventsOf(fc, n);
        for (let j = 0; j < ne.length; j++) this.apply(fc, st, ne[j] as Event, ctx);
        if (st.dead) break;
      }
      if (st.dead) continue;
      // Correlated branches (`if b == 10 { mu.Lock() } ... if b == 10 { mu.Unlock() }`,
      // flags, comma-ok assertions, loop conditions; see conds.ts): the same
      // side-effect-free condition, with no assignment in between, takes the same branch.
      let cond: Node | undefined;
      if (trackConds) {
        let c = conds[block.id];
        if (c === undefined) conds[block.id] = c = branchCondition(fc, block) ?? null;
        cond = c ?? undefined;
      }
      const known = cond ? evalCond(fc, st.conds, cond) : undefined;
      signature(st, this.ids, condIds, key);
      const succs = block.succs;
      // The state goes on to the last successor pushed as it is (nothing reads it after this
      // loop): one clone fewer per block. A successor's push waits until the next one is
      // known to be pushed too (then it gets a clone, taken before `st` changes).
      let pending: Block | undefined;
      let pendingI = -1;
      for (let i = 0; i < succs.length; i++) {
        const s = succs[i] as Block;
        if (known !== undefined && i < 2 && known !== (i === 0)) continue;
        key[SIG_PARTS] = s === g.exit ? (st.last?.start ?? -1) : -1;
        key[SIG_PARTS + 1] = cond !== undefined && i < 2 ? i : -1;
        let v = visited[s.id];
        if (!v) visited[s.id] = v = [];
        if (v.length >= MAX_STATES_PER_BLOCK * VISIT_PARTS || hasVisit(v, key)) continue;
        for (let j = 0; j < VISIT_PARTS; j++) v.push(key[j] as number);
        if (pending) {
          const assumes = cond !== undefined && pendingI < 2 && known === undefined;
          const next = cloneState(st, assumes);
          if (assumes) assumeCond(fc, next.conds, cond as Node, pendingI === 0);
          stack.push({ block: pending, st: next });
        }
        pending = s;
        pendingI = i;
      }
      if (pending) {
        if (cond && pendingI < 2 && known === undefined) assumeCond(fc, st.conds, cond, pendingI === 0);
        stack.push({ block: pending, st });
      }
    }
    // Must-lock: a callee lock only counts when every normal exit path took it (a lock
    // under a condition, such as a `locked bool` parameter, depends on the caller).
    for (const [k, l] of candidates) if (exitStates.length > 0 && exitStates.every((st) => st.lockedEver.has(k))) info.summary.locks.set(k, l);
    // May-lock: some exit path took it (its condition is not known false there).
    const may = new Map<string, InnerLock>();
    for (const [k, l] of candidates) if (!info.summary.locks.has(k) && !ctx.paramGuarded.has(k) && exitStates.some((st) => st.lockedEver.has(k))) may.set(k, l);
    for (const [k, l] of ctx.mayCandidates) if (!info.summary.locks.has(k) && !may.has(k)) may.set(k, l);
    if (may.size > 0) info.summary.mayLocks = may;
    // Summary and exits.
    let first = true;
    for (const st of exitStates) {
      const ret = st.last?.type === 'return_statement' ? st.last : undefined;
      info.exits++;
      if (ret) this.recordReleasers(fc, ret, info.summary);
      const keys = new Set<string>();
      for (const k of st.deferred) {
        // Unlocked on this path already (`release()` then the deferred `release()` of a
        // Once-guarded releaser): not a lock the function was entered with.
        if (st.held.has(k) || st.unlockedHeld.has(k)) continue;
        st.entryReleased = st.entryReleased.with(k);
        // `defer w.mu.Unlock()` of a lock the caller holds (`func (w *ctx) Unlock(err
        // error) { defer w.mu.Unlock(); ... }`): the function releases it.
        const d = deferredRefs.get(k);
        if (d && !info.summary.releases.has(k)) info.summary.releases.set(k, d);
      }
      for (const [k, h] of st.held) {
        if (h.deferred || st.deferred.has(k)) continue;
        keys.add(k);
        if (h.marked) continue;
        // Released from the entry state and taken again (`m.mu.Unlock(); rpc(); m.mu.Lock()`):
        // the function was entered with it held (it could not unlock it otherwise) and
        // returns it held, which is its caller's contract, not a leak.
        if (st.entryReleased.has(k)) continue;
        // Returned inside an object whose method releases it (`return &txn{s}` with
        // `(*txn).End` unlocking `t.s.mu`): handed to the caller, who gets it held.
        if (this.handedByReturn(fc, st, ret, k, info.summary)) continue;
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
    // A lock entered held and never left released at an exit (released and re-taken on
    // some paths, untouched on the others) is no net effect for callers: they still hold it.
    for (const k of exitStates.length > 0 ? [...info.summary.releases.keys()] : []) {
      if (exitStates.some((st) => st.entryReleased.has(k) && !st.held.has(k))) continue;
      info.summary.releases.delete(k);
      info.summary.acquires.delete(k);
    }
    return info;
  }

  /** Takes lock `ref` on the path (a double lock ends it); records candidates and order edges. */
  private acquire(fc: FuncCtx, st: State, ctx: RunCtx, ref: LockRef, mode: LockMode, node: Node, inner: InnerLock | undefined): void {
    const { info, seenDouble, seenEdge, candidates } = ctx;
    const h = st.held.get(ref.key);
    if (h) {
      if (!seenDouble.has(node)) {
        seenDouble.add(node);
        info.doubles.push({ node, ref, mode, held: { mode: h.mode, site: h.site }, inner });
      }
      st.dead = true; // the goroutine blocks here (or may, for RLock): the path ends
      return;
    }
    let fresh = !st.entryReleased.has(ref.key);
    if (fresh) for (const r of st.rebound) if (under(ref.key, r)) fresh = false;
    if (fresh) st.lockedEver = st.lockedEver.with(ref.key);
    if (fresh && ctx.boolParamWords.length > 0 && [...st.conds.keys()].some((c) => ctx.boolParamWords.some((re) => re.test(c)))) ctx.paramGuarded.add(ref.key);
    if (fresh && !candidates.has(ref.key)) {
      candidates.set(ref.key, inner ? { ...inner, ref: { ...inner.ref, key: ref.key }, at: node } : { ref, mode, site: siteOf(fc, node), via: [], at: node });
    }
    for (const o of st.held.values()) {
      const innerRef = inner?.ref ?? ref;
      if (o.ref.tkey && o.ref.tkey === innerRef.tkey && !inner) {
        const a = /^p(\d+)(\..+)$/.exec(o.ref.key);
        const b = /^p(\d+)(\..+)$/.exec(ref.key);
        if (a && b && a[1] !== b[1] && a[2] === b[2] && !info.paramPairs.some((x) => x.inner.site.node === node)) {
          info.paramPairs.push({ outer: { ref: o.ref, site: o.site }, inner: { ref, site: siteOf(fc, node) }, i: Number(a[1]), j: Number(b[1]) });
        }
      }
      if (!o.ref.tkey || !innerRef.tkey || o.ref.tkey === innerRef.tkey) continue;
      if (loopCarried(o, ref.key, node)) continue;
      const k = `${o.ref.tkey}>${innerRef.tkey}@${node.start}`;
      if (seenEdge.has(k)) continue;
      seenEdge.add(k);
      info.edges.push({ outer: { ref: o.ref, site: o.site }, inner: { ref: innerRef, site: inner?.site ?? siteOf(fc, node), via: inner?.via ?? [] }, at: siteOf(fc, node), held: [...st.held.values()].map((h) => ({ ref: h.ref, mode: h.mode })) });
    }
  }

  private apply(fc: FuncCtx, st: State, ev: Event, ctx: RunCtx): void {
    const { info, seenDouble } = ctx;
    switch (ev.t) {
      case 'lock': {
        const ref = canonRef(st, ev.ref);
        this.acquire(fc, st, ctx, ref, ev.mode, ev.node, undefined);
        if (!st.dead) heldOf(st).set(ref.key, { ref, mode: ev.mode, site: (ev.site ??= siteOf(fc, ev.node)), deferred: st.deferred.has(ref.key) });
        return;
      }
      case 'unlock': {
        const ref = canonRef(st, ev.ref);
        info.unlocks.add(ref.key);
        info.unlocks.add(ref === ev.ref ? (ev.modeKey ??= `${ref.key}#${ev.mode}`) : `${ref.key}#${ev.mode}`);
        if (st.held.has(ref.key)) {
          st.held.delete(ref.key);
          st.unlockedHeld = st.unlockedHeld.with(ref.key);
        } else {
          st.entryReleased = st.entryReleased.with(ref.key);
          if (!info.summary.releases.has(ref.key)) info.summary.releases.set(ref.key, { ref, mode: ev.mode });
        }
        return;
      }
      case 'defer': {
        const key = canon(st, ev.key);
        st.deferred = st.deferred.with(key);
        if (ev.ref && !ctx.deferredRefs.has(key)) ctx.deferredRefs.set(key, { ref: { ...ev.ref, key }, mode: ev.mode ?? 'W' });
        const h = st.held.get(key);
        if (h) h.deferred = true;
        return;
      }
      case 'escape':
        info.escaped.add(canon(st, ev.key));
        return;
      case 'handoff': {
        // The goroutine that unlocks it owns it now: this one neither holds it (no lock
        // order through it, no double lock) nor has to unlock it.
        const key = canon(st, ev.key);
        info.escaped.add(key);
        st.held.delete(key);
        return;
      }
      case 'alias': {
        const to = ev.to();
        if (to && to.key !== ev.from) aliasesOf(st).set(ev.from, canon(st, to.key));
        return;
      }
      case 'aliasFields':
        // Only a held lock can be handed over: typing the literal is not worth it otherwise.
        if (st.held.size === 0) return;
        if (!ev.named) {
          ev.named = [];
          for (const f of literalFields(fc, ev.lit)) {
            const to = lockRef(fc, f.value);
            if (to) ev.named.push({ from: `${ev.base}.${f.name}`, to: to.key });
          }
        }
        for (const a of ev.named) aliasesOf(st).set(a.from, canon(st, a.to));
        return;
      case 'store':
        // Stored where it outlives this function together with the locks it carries, in an
        // object whose method releases them: the lock is handed over, not leaked.
        for (const [k, h] of st.held) if (!h.deferred && this.carriedAway(fc, st, ev.expr, k)) h.marked = true;
        return;
      case 'flag':
        if (ctx.trackConds) assumeCond(fc, st.conds, ev.cond, ev.value);
        return;
      case 'maybeEscape': {
        // Only a held lock can escape; naming the expression is deferred to here.
        if (st.held.size === 0) return;
        if (ev.ref === undefined) ev.ref = lockRef(fc, ev.expr) ?? null;
        const r = ev.ref;
        // A mutex passed to code we do not follow may be unlocked there; an owner
        // assigned to another variable (`y = l`) makes l's lock reachable as y's.
        if (r && heldUnder(st, r.key, ev.owner)) {
          info.escaped.add(r.key);
          if (!ev.owner && st.held.has(r.key)) st.loose = st.loose.with(r.key);
        }
        return;
      }
      case 'assign':
        forgetMentioning(st.conds, ev.name);
        return;
      case 'mark':
        for (const [k, h] of st.held) if (k.startsWith(`${ev.root}.`)) h.marked = true;
        return;
      case 'rebind':
        forgetMentioning(st.conds, ev.name);
        st.rebound = st.rebound.with(ev.root);
        // (Most paths have no alias and hold nothing: no copy of either to iterate.)
        if (st.aliases.size > 0) for (const [a, c] of [...st.aliases]) if (under(a, ev.root) || under(c, ev.root)) st.aliases.delete(a);
        if (st.held.size > 0) for (const k of [...st.held.keys()]) {
          if (k !== ev.root && !k.startsWith(`${ev.root}.`)) continue;
          st.held.delete(k);
          info.escaped.add(k);
        }
        return;
      case 'deferCall': {
        const map = canonMap(st, ev.map);
        for (const [k, rel] of ev.summary.releases) {
          const r = map(k);
          if (r) {
            info.unlocks.add(r.key);
            info.unlocks.add(`${r.key}#${rel.mode}`);
            st.deferred = st.deferred.with(r.key);
            const h = st.held.get(r.key);
            if (h) h.deferred = true;
          }
        }
        return;
      }
      case 'valueCall': {
        if (st.held.size === 0) return;
        this.recordHeldCall(fc, st, ev.node, info);
        const vc = this.valueCallTarget(ev.node);
        if (vc) this.apply(fc, st, { t: 'call', node: ev.node, name: vc.name, summary: vc.summary, map: vc.map }, ctx);
        // A function value nothing is known about may be the releaser of a lock handed to
        // code not followed (`unlock := lockutil.Once(&s.mu); ...; unlock()`), or of a lock
        // whose release this package puts in function values elsewhere: the lock is no
        // longer claimed held.
        else for (const k of this.valueReleasable(st)) st.held.delete(k);
        return;
      }
      case 'selectorCall': {
        // `h.release()` with `release` a func field (the event is made for such calls only):
        // may run any releaser the package makes (see releasableByValue), so those locks are
        // no longer claimed held.
        if (st.held.size === 0) return;
        for (const k of this.valueReleasable(st)) st.held.delete(k);
        return;
      }
      case 'deferValue':
        for (const k of this.valueReleasable(st)) {
          st.deferred = st.deferred.with(k);
          const h = st.held.get(k);
          if (h) h.deferred = true;
        }
        return;
      case 'call': {
        const s = ev.summary;
        const map = canonMap(st, ev.map);
        for (const [k, l] of s.locks) {
          const r = map(k);
          if (!r) continue;
          const inner: InnerLock = { ref: { ...l.ref, key: r.key }, mode: l.mode, site: l.site, via: ev.inside && l.at && l.at !== l.site.node ? l.via : [ev.name, ...l.via] };
          inner.ref.text = r.text || l.ref.text;
          // A Lock written in the literal itself is a direct acquisition there.
          const direct = ev.inside && l.at !== undefined && l.at === l.site.node;
          this.acquire(fc, st, ctx, { ...r, text: r.text || l.ref.text, tkey: l.ref.tkey }, l.mode, ev.inside && l.at ? l.at : ev.node, direct ? undefined : inner);
          if (st.dead) return;
        }
        for (const hc of s.heldCalls ?? []) this.callbackUnderLock(fc, ev.node, ev.name, hc, map, ctx);
        for (const [k, l] of s.mayLocks ?? []) {
          const r = map(k);
          if (!r || st.entryReleased.has(r.key)) continue;
          const inner: InnerLock = { ref: { ...l.ref, key: r.key, text: r.text || l.ref.text }, mode: l.mode, site: l.site, via: ev.inside && l.at && l.at !== l.site.node ? l.via : [ev.name, ...l.via] };
          const h = st.held.get(r.key);
          // Only where the callee is known (ev.may) is a lock it takes on some path a
          // deadlock of this path; elsewhere it is carried up as a may-lock.
          if (h && ev.may) {
            if (!seenDouble.has(inner.site.node)) {
              seenDouble.add(inner.site.node);
              info.doubles.push({ node: ev.node, ref: { ...r, text: r.text || l.ref.text, tkey: l.ref.tkey }, mode: l.mode, held: { mode: h.mode, site: h.site }, inner, may: true });
            }
          } else if (!h && !ctx.mayCandidates.has(r.key)) ctx.mayCandidates.set(r.key, { ...inner, at: ev.node });
        }
        for (const k of s.releases.keys()) {
          const r = map(k);
          if (!r) continue;
          info.unlocks.add(r.key);
          info.unlocks.add(`${r.key}#${s.releases.get(k)?.mode ?? 'W'}`);
          if (st.held.has(r.key)) {
            st.held.delete(r.key);
            st.unlockedHeld = st.unlockedHeld.with(r.key);
          } else {
            st.entryReleased = st.entryReleased.with(r.key);
            const rel = s.releases.get(k);
            if (!info.summary.releases.has(r.key)) info.summary.releases.set(r.key, { ref: { ...r, text: r.text || (rel?.ref.text ?? '') }, mode: rel?.mode ?? 'W' });
          }
        }
        for (const [k, a] of s.acquires) {
          const r = map(k);
          if (!r) continue;
          const ref = { ...r, text: r.text || a.ref.text, tkey: a.ref.tkey };
          if (!s.locks.has(k)) this.acquire(fc, st, ctx, ref, a.mode, ev.node, undefined);
          if (st.dead) return;
          heldOf(st).set(r.key, { ref, mode: a.mode, site: siteOf(fc, ev.node), deferred: st.deferred.has(r.key) });
        }
        return;
      }
    }
  }

  /** The held locks a call through an unresolved function value may release (see releasableByValue). */
  private valueReleasable(st: State): string[] {
    const out = [...st.loose];
    for (const [k, h] of st.held) if (!st.loose.has(k) && h.ref.tkey && this.releasableByValue(h.ref.tkey)) out.push(k);
    return out;
  }

  /** Records a call of a function-typed parameter of the declaration made while locks are held (LockSummary.heldCalls). */
  private recordHeldCall(fc: FuncCtx, st: State, call: Node, info: FuncLocks): void {
    if (info.fn !== fc.decl) return;
    const fnNode = field(call, 'function');
    const u = fnNode ? unparen(fnNode) : undefined;
    const v = u?.type === 'identifier' ? fc.res.localOf(u) : undefined;
    if (v?.kind !== 'param' || v.func !== fc.decl) return;
    const param = paramIndex(fc.decl, v);
    const list = (info.summary.heldCalls ??= []);
    if (param < 0 || list.some((h) => h.call.node === call)) return;
    list.push({ param, held: [...st.held.values()].map((h) => ({ ref: h.ref, mode: h.mode, site: h.site })), call: { node: call, file: fc.file }, name: v.name });
  }

  /**
   * A callee that runs its function parameter while holding locks (LockSummary.heldCalls),
   * called here with a func literal (or a local closure) that takes one of those locks on
   * some path: the literal runs on this goroutine under the callee's lock.
   */
  private callbackUnderLock(fc: FuncCtx, call: Node, calleeName: string, hc: NonNullable<LockSummary['heldCalls']>[number], map: (k: string) => LockRef | undefined, ctx: RunCtx): void {
    const arg = argsOf(call)[hc.param];
    let a = arg ? unparen(arg) : undefined;
    if (a?.type === 'identifier') {
      const v = fc.res.localOf(a);
      a = v ? localClosure(fc, v) : undefined;
    }
    if (a?.type !== 'func_literal') return;
    const sum = this.of(fc, a)?.summary;
    if (!sum) return;
    const litName = `the function literal at line ${fc.file.line(a.start)}`;
    for (const h of hc.held) {
      const r = map(h.ref.key);
      if (!r) continue;
      for (const [k, l] of [...sum.locks, ...(sum.mayLocks ?? [])]) {
        if (k !== r.key || ctx.seenDouble.has(l.site.node)) continue;
        ctx.seenDouble.add(l.site.node);
        const ref = { ...r, text: r.text || l.ref.text, tkey: l.ref.tkey };
        const inner: InnerLock = { ref, mode: l.mode, site: l.site, via: [`${hc.name} (${litName})`, ...l.via] };
        ctx.info.doubles.push({ node: call, ref, mode: l.mode, held: { mode: h.mode, site: h.site }, inner, may: true, holder: calleeName, holderCall: hc.call });
      }
    }
  }

  /** The lock events of one CFG node, in evaluation order. */
  private eventsOf(fc: FuncCtx, n: Node): Event[] {
    const out: Event[] = [];
    const visit = (x: Node): void => {
      if (x.type === 'go_statement') {
        // Runs in another goroutine: an unlock there, directly, in a same-package callee
        // (`go ac.resetTransportAndUnlock()`) or in one the goroutine literal calls (its
        // summary's releases), hands the lock over to it.
        const started = named(x).find((c) => c.type === 'call_expression');
        const fnNode = started ? field(started, 'function') : undefined;
        const lit = fnNode && unparen(fnNode).type === 'func_literal' ? unparen(fnNode) : undefined;
        if (lit) {
          for (const k of this.of(fc, lit)?.summary.releases.keys() ?? []) out.push({ t: 'handoff', key: k });
        } else if (started && this.mayMatter(fc, started)) {
          const target = this.callTarget(fc, started);
          for (const k of target?.summary.releases.keys() ?? []) {
            const r = target?.map(k);
            if (r) out.push({ t: 'handoff', key: r.key });
          }
        }
        walk(x, (m) => {
          if (m.type !== 'call_expression') return;
          const lc = lockCallOf(fc, m);
          if (lc) {
            if (lc.op === 'unlock' && lc.ref) out.push({ t: 'handoff', key: lc.ref.key });
            return;
          }
          // `go worker(&mu)`: the goroutine may unlock it.
          for (const a of argsOf(m)) {
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
          // `lock = &c.rlock`: the mutex itself is handed on (a `*sync.Mutex` result the caller unlocks).
          else if (u.type === 'unary_expression' && firstChar(fc, u) === '&') out.push({ t: 'maybeEscape', expr: u, owner: false });
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
        if (x.type !== 'range_clause') {
          for (const f of flagsSetBy(fc, x)) out.push({ t: 'flag', cond: f.cond, value: f.value });
          this.handOver(fc, lefts, exprList(right), out);
        }
        return;
      }
      if (x.type === 'inc_statement' || x.type === 'dec_statement') {
        for (const c of x.children) visit(c);
        let root = named(x)[0];
        while (root && root.type !== 'identifier' && named(root)[0]) root = named(root)[0] as Node;
        if (root?.type === 'identifier') out.push({ t: 'assign', name: fc.text(root) });
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
        const kids = x.children;
        for (let i = 0; i < kids.length; i++) {
          const c = kids[i] as Node;
          if (c !== fnNode || unparen(c).type !== 'func_literal') visit(c);
        }
        this.call(fc, x, out);
        return;
      }
      // Indexed: for-of allocates an iterator result per step where V8 has not optimised.
      const kids = x.children;
      for (let i = 0; i < kids.length; i++) visit(kids[i] as Node);
    };
    visit(n);
    return out;
  }

  /**
   * Hand-over through values: `t := &txn{s: s}` makes `t.s` another name of `s`; `t :=
   * s.Read()` does the same when Read's summary hands `s` over in its result; `x.f = e`
   * stores e, with the locks it carries, where it outlives the function.
   */
  private handOver(fc: FuncCtx, lefts: readonly Node[], rights: readonly Node[], out: Event[]): void {
    lefts.forEach((l, i) => {
      const u = unparen(l);
      const val = rights.length === lefts.length ? rights[i] : undefined;
      if (u.type !== 'identifier') {
        if (val) out.push({ t: 'store', expr: val });
        return;
      }
      const lk = fc.text(u) === '_' ? undefined : lockRef(fc, u)?.key;
      if (!lk) return;
      if (val) out.push({ t: 'aliasFields', base: lk, lit: val });
      const call = val ? unparen(val) : rights.length === 1 ? unparen(rights[0] as Node) : undefined;
      if (call?.type !== 'call_expression' || !this.mayMatter(fc, call)) return;
      const target = this.callTarget(fc, call);
      const idx = val ? 0 : i;
      for (const h of target?.summary.handed ?? []) if (h.result === idx) out.push({ t: 'alias', from: `${lk}${h.path}`, to: () => target?.map(h.of) });
    });
  }

  /**
   * A func literal used as a value: an unlock inside it is handed to code we do not follow.
   * So is an unlock in a local closure it calls (`release := func() { defer mu.RUnlock() };
   * cb := func() { release() }; commit(cb)`): whoever runs the literal may run that unlock.
   */
  private literalValue(fc: FuncCtx, lit: Node, out: Event[]): void {
    const p = lit.parent;
    if (p?.type === 'call_expression' && field(p, 'function') === lit) return; // applied in place: handled by call()
    if (isInlinedLiteral(fc, lit)) return;
    const seen = new Set<Node>([lit]);
    const scan = (body: Node): void =>
      walk(body, (m) => {
        if (m.type !== 'call_expression') return;
        const lc = lockCallOf(fc, m);
        if (lc) {
          if (lc.op === 'unlock' && lc.ref) out.push({ t: 'escape', key: lc.ref.key });
          return;
        }
        const fnNode = field(m, 'function');
        const u = fnNode ? unparen(fnNode) : undefined;
        const v = u?.type === 'identifier' ? fc.res.localOf(u) : undefined;
        const inner = v ? localClosure(fc, v) : undefined;
        if (inner && !seen.has(inner)) {
          seen.add(inner);
          scan(inner);
        }
      });
    scan(lit);
  }

  private deferred(fc: FuncCtx, call: Node, out: Event[]): void {
    const lc = lockCallOf(fc, call);
    if (lc) {
      if (lc.op === 'unlock' && lc.ref) out.push({ t: 'defer', key: lc.ref.key, ref: lc.ref, mode: lc.mode });
      return;
    }
    const rel = this.releaserCall(fc, call);
    if (rel) {
      for (const r of rel) out.push({ t: 'defer', key: r.ref.key, ref: r.ref, mode: r.mode });
      return;
    }
    const target = this.callTarget(fc, call);
    if (target) out.push({ t: 'deferCall', summary: target.summary, map: target.map });
    else if (isFuncValueCall(fc, call)) out.push({ t: 'deferValue' });
    for (const k of target?.mayRelease ?? []) {
      const r = target?.map(k);
      if (r) out.push({ t: 'escape', key: r.key });
    }
  }

  private call(fc: FuncCtx, call: Node, out: Event[]): void {
    // Resolving a callee can parse other files of the package; only calls that can
    // matter are resolved: lock methods, functions whose name is lock-relevant, literals
    // and local closures.
    if (!this.mayMatter(fc, call)) {
      for (const a of argsOf(call)) out.push({ t: 'maybeEscape', expr: a, owner: false });
      // Only a call through a func-typed selector the resolver cannot name (`h.release()`) can
      // run a releaser (see 'selectorCall'): asked once per call here rather than on every path
      // holding a lock. Both answers are the resolver's memoised ones: mayMatter asked the
      // selector's type, and the callee when that type is a func.
      const fn = field(call, 'function');
      if (fn && unparen(fn).type === 'selector_expression' && fc.res.typeOf(fn).kind === 'func' && fc.res.callee(call).kind === 'unknown') out.push({ t: 'selectorCall', node: call });
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
    // `sort.Slice(xs, func(i, j int) bool {...})`, `once.Do(f)`: the standard library
    // runs the function argument before it returns (program/stdlib.ts, CALLBACKS), on this
    // goroutine and with this goroutine's locks held.
    const cb = this.syncCallback(fc, call, c);
    if (cb) {
      out.push(cb);
      return;
    }
    // `fmt.Sprintf("%v", s)` calls `s.String()` (or `Error()`): a String that locks
    // s.mu deadlocks a caller holding it (fmt/print.go, handleMethods).
    const fmtName = c.kind !== 'method' && c.kind !== 'local' ? importedCallName(fc, call) : undefined;
    if (fmtName && FMT_FUNCS.has(fmtName)) {
      for (const st of this.stringerCalls(fc, call, fmtName)) out.push(st);
      return;
    }
    const rel = c.kind === 'local' ? this.releaserCall(fc, call) : undefined;
    if (rel) {
      for (const r of rel) out.push({ t: 'unlock', ref: r.ref, mode: r.mode, node: call });
      return;
    }
    const target = this.callTarget(fc, call, c);
    if (target) {
      out.push({ t: 'call', node: call, name: target.name, summary: target.summary, map: target.map, may: target.may });
      for (const k of target.mayRelease ?? []) {
        const r = target.map(k);
        if (r) out.push({ t: 'escape', key: r.key });
      }
      return;
    }
    // A function value (a local or parameter that is not a known closure, a func field,
    // a map element): what it runs is asked of the program model when a lock is held.
    // A lock passed to code we do not follow (another package, an interface): it may be
    // unlocked there (arguments are handed over before the call runs).
    if (!(c.kind === 'method' && c.method.pkg === 'sync')) for (const a of argsOf(call)) out.push({ t: 'maybeEscape', expr: a, owner: false });
    if ((c.kind === 'local' || c.kind === 'unknown') && fc.res.typeOf(field(call, 'function') ?? call).kind === 'func') out.push({ t: 'valueCall', node: call });
  }

  private valueCalls = new Map<Node, CallTarget | undefined>();

  /**
   * The locks a call through a function value takes, from the program model's targets
   * (closures and method values stored in fields, maps, locals; `callSite.complete`, at
   * most MAX_VALUE_TARGETS). Which instance a stored method value or closure locks is not
   * known here: its locks get a name of their own (`(fv@offset).mu`, never the caller's
   * `recv.mu`) and keep their type key, so they order against other locks (lock-order)
   * but never make a double lock; a package variable is the same lock everywhere and is
   * kept when every target takes it.
   */
  private valueCallTarget(call: Node): CallTarget | undefined {
    if (this.valueCalls.has(call)) return this.valueCalls.get(call);
    this.valueCalls.set(call, undefined);
    const cs = programModel(this.facts).callSite(call);
    if (!cs?.complete || cs.targets.length === 0 || cs.targets.length > MAX_VALUE_TARGETS) return undefined;
    const sums: LockSummary[] = [];
    for (const t of cs.targets) {
      const sum = this.of(t.fc, t.node)?.summary;
      if (!sum) return undefined;
      sums.push(sum);
    }
    const locks = new Map<string, InnerLock>();
    const prefix = `(fv@${call.start})`;
    for (const sum of sums) {
      for (const [k, l] of sum.locks) {
        const global = k.startsWith('g:');
        if (global && !sums.every((x) => x.locks.has(k))) continue;
        const key = global ? k : `${prefix}.${k}`;
        if (!locks.has(key)) locks.set(key, l);
      }
    }
    if (locks.size === 0) return undefined;
    const names = cs.targets.map((t) => t.fc.nameOf(t.node));
    const target: CallTarget = {
      summary: { acquires: new Map(), releases: new Map(), locks, handed: [] },
      map: (k) => (k.startsWith('g:') ? { key: k, tkey: k, text: k.slice(2) } : { key: k, tkey: undefined, text: '' }),
      name: names.length === 1 ? `the function value (${names[0] ?? ''})` : `the function value (${names.join(' or ')})`,
    };
    this.valueCalls.set(call, target);
    return target;
  }

  /**
   * The call event of a function argument the standard library runs synchronously
   * (`sort.Slice`'s less, `sync.Once.Do`'s f, `filepath.Walk`'s walk function...): a func
   * literal (its keys are already this declaration's), a local closure, or a method value
   * of this package (`s.once.Do(s.connect)`: the receiver is `s`).
   */
  private syncCallback(fc: FuncCtx, call: Node, c: Callee): Event | undefined {
    const idx = syncCallbackIndex(fc, call, c);
    if (idx === undefined) return undefined;
    const arg = argsOf(call)[idx];
    const u = arg ? unparen(arg) : undefined;
    if (!u) return undefined;
    const fname = c.kind === 'method' ? `${c.method.recvType}.${c.method.name}` : (importedCallName(fc, call) ?? '').replace(/^.*\//, '');
    if (u.type === 'func_literal') {
      const s = this.of(fc, u)?.summary ?? EMPTY;
      return { t: 'call', node: call, name: `${fname} → the function literal`, summary: s, map: (k) => sameFuncRef(fc, k), inside: true };
    }
    if (u.type === 'identifier') {
      const v = fc.res.localOf(u);
      const lit = v ? localClosure(fc, v) : undefined;
      if (!lit || !v) return undefined;
      return { t: 'call', node: call, name: `${fname} → ${v.name}`, summary: this.of(fc, lit)?.summary ?? EMPTY, map: (k) => sameFuncRef(fc, k) };
    }
    if (u.type === 'selector_expression') {
      // `once.Do(l.Unlock)`: the lock operation itself runs now.
      const mv = lockMethodValue(fc, u);
      if (mv) return { t: mv.op, ref: mv.ref, mode: mv.mode, node: call };
      const op = field(u, 'operand');
      const fl = field(u, 'field');
      if (!op || !fl || fc.res.importOf(op)) return undefined;
      const t = fc.res.typeOf(op);
      const m = lookupMethod(t, fc.text(fl));
      const rt = deref(t);
      if (!m?.decl || m.pkg !== this.facts.pkg.importPath || !this.relevantSets().decls.has(m.decl)) return undefined;
      const cfc = this.facts.funcCtxOfDecl(m.decl);
      const s = cfc ? this.of(cfc)?.summary : undefined;
      if (!s) return undefined;
      // The method value binds its receiver when evaluated (Go spec, "Method values"): a
      // pointer receiver shares the operand's locks, a value receiver gets a copy.
      const recv = m.pointerRecv && rt.kind === 'named' && rt.name === m.recvType ? op : undefined;
      return { t: 'call', node: call, name: `${fname} → ${m.recvType}.${m.name}`, summary: s, map: rootMap(fc, recv, []) };
    }
    return undefined;
  }

  /**
   * The `String()` / `Error()` calls a fmt or log formatting call makes on its operands
   * (as call events on the operand): an operand whose static type is a named type of this
   * package with such a method (a pointer method only for a pointer operand), formatted
   * by a verb that uses it (`%v %s %q %x %X`, and `%w` in Errorf; not `%#v`, `%d`, `%p`,
   * `%T`), or by a Print/Println-style function (every operand is `%v`). A format that is
   * not a constant string is not followed. fmt prefers `Error` over `String`.
   */
  private stringerCalls(fc: FuncCtx, call: Node, fname: string): Event[] {
    const out: Event[] = [];
    for (const { arg, m } of this.stringerMethods(fc, call, fname)) {
      const cfc = this.facts.funcCtxOfDecl(m.decl as Node);
      const s = cfc ? this.of(cfc)?.summary : undefined;
      if (!s) continue;
      // The method runs on the operand (a copy for a value receiver, whose locks are copies too).
      const recv = m.pointerRecv ? arg : undefined;
      out.push({ t: 'call', node: call, name: `${fname.replace(/^.*\//, '')} → ${m.recvType}.${m.name}`, summary: s, map: rootMap(fc, recv, []) });
    }
    return out;
  }

  /** The operands of a fmt or log call whose lock-relevant `Error` or `String` method it runs (see stringerCalls), with the method. */
  private stringerMethods(fc: FuncCtx, call: Node, fname: string): Array<{ arg: Node; m: MethodInfo }> {
    const args = argsOf(call);
    const fmtIdx = FMT_FORMAT_ARG.get(fname);
    let operands: Array<{ arg: Node; verb: string }>;
    if (fmtIdx === undefined) operands = args.slice(fname.startsWith('fmt.Fprint') ? 1 : 0).map((arg) => ({ arg, verb: 'v' }));
    else {
      const f = args[fmtIdx];
      const lit = f ? unparen(f) : undefined;
      if (lit?.type !== 'interpreted_string_literal' && lit?.type !== 'raw_string_literal') return [];
      const verbs = formatVerbs(fc.text(lit));
      if (!verbs) return [];
      operands = [];
      verbs.forEach((verb, i) => {
        const arg = args[fmtIdx + 1 + i];
        if (arg) operands.push({ arg, verb });
      });
    }
    const out: Array<{ arg: Node; m: MethodInfo }> = [];
    for (const { arg, verb } of operands) {
      if (!'vsqxXw'.includes(verb)) continue;
      if (unparen(arg).type === 'call_expression') continue;
      const t = fc.res.typeOf(arg);
      const named0 = deref(t);
      if (named0.kind !== 'named' || named0.pkg !== this.facts.pkg.importPath || underlying(named0).kind === 'interface') continue;
      const m = lookupMethod(t, 'Error') ?? lookupMethod(t, 'String');
      // A value operand has only the value methods in its method set (Go spec, "Method sets").
      if (!m?.decl || (m.pointerRecv && t.kind !== 'pointer') || m.sig.params.length !== 0) continue;
      if (!this.relevantSets().decls.has(m.decl)) continue;
      out.push({ arg, m });
    }
    return out;
  }

  /** Same-package functions and methods that lock or unlock, directly or through calls (matched by name). */
  private relevantSets(): { names: Set<string>; decls: Set<Node> } {
    if (this.relevant) return this.relevant;
    const dw = declWords(this.facts);
    const decls = dw.decls;
    // Names are read only for the declarations the search reaches (each once: a declaration enters one level).
    const nameOf = (i: number): string => {
      const { decl, file } = decls[i] as (typeof decls)[number];
      const n = field(decl, 'name');
      return n ? file.textOf(n) : '';
    };
    // Reverse call graph by name (`name(`), from the package's identifier index: the
    // declarations where `text.matchAll(/\b(\w+)\s*\(/g)` lists `name` (ASCII only, as `\w`).
    const callersOf = (name: string): number[] => dw.callers(name, (i) => callsByName((decls[i] as (typeof decls)[number]).text, name));
    const names = new Set<string>();
    const rel = new Set<Node>();
    // Breadth-first from the functions that lock or unlock, up to RELEVANT_DEPTH callers
    // up: a name-based closure without a bound spreads through common method names
    // (Close, String) to most of a large package.
    // A declaration LOCK_TEXT matches spells `Lock`, `RLock`, `Unlock` or `RUnlock` as a
    // whole word (after the dot): only those the index lists for one of them are tested.
    const spellers = new Set<number>();
    for (const w of ['Lock', 'RLock', 'Unlock', 'RUnlock']) for (const i of dw.candidates(w) ?? []) spellers.add(i);
    let level = [...spellers].sort((a, b) => a - b).filter((i) => LOCK_TEXT.test((decls[i] as (typeof decls)[number]).text));
    for (const i of level) rel.add((decls[i] as (typeof decls)[number]).decl);
    for (let depth = 0; depth < RELEVANT_DEPTH && level.length > 0; depth++) {
      const next: number[] = [];
      for (const i of level) {
        const name = nameOf(i);
        if (names.has(name)) continue;
        names.add(name);
        for (const j of callersOf(name)) {
          const c = decls[j] as (typeof decls)[number];
          if (rel.has(c.decl)) continue;
          rel.add(c.decl);
          next.push(j);
        }
      }
      level = next;
    }
    for (const i of level) names.add(nameOf(i));
    this.relevant = { names, decls: rel };
    return this.relevant;
  }

  /** selfCallee's and interfaceCallees' answers by node (each depends on the node alone; several steps ask for the same call). */
  private selfCallees = new Map<Node, ReturnType<typeof selfCallee>>();
  private ifaceCallees = new Map<Node, ReturnType<typeof interfaceCallees>>();

  private selfCalleeOf(fc: FuncCtx, fnExpr: Node): ReturnType<typeof selfCallee> {
    if (this.selfCallees.has(fnExpr)) return this.selfCallees.get(fnExpr);
    const r = selfCallee(fc, fnExpr);
    this.selfCallees.set(fnExpr, r);
    return r;
  }

  private interfaceCalleesOf(fc: FuncCtx, call: Node): ReturnType<typeof interfaceCallees> {
    if (this.ifaceCallees.has(call)) return this.ifaceCallees.get(call);
    const r = interfaceCallees(fc, call);
    this.ifaceCallees.set(call, r);
    return r;
  }

  /** mayMatter's answers by call node (they depend on the node alone: its FuncCtx is its declaration's). */
  private mattering = new Map<Node, boolean>();

  private mayMatter(fc: FuncCtx, call: Node): boolean {
    let m = this.mattering.get(call);
    if (m === undefined) this.mattering.set(call, (m = this.computeMayMatter(fc, call)));
    return m;
  }

  private computeMayMatter(fc: FuncCtx, call: Node): boolean {
    const fn = field(call, 'function');
    if (!fn) return false;
    const u = unparen(fn);
    if (u.type === 'func_literal') return true;
    const nameNode = u.type === 'selector_expression' ? field(u, 'field') : u.type === 'identifier' ? u : undefined;
    if (!nameNode) return false;
    const name = fc.text(nameNode);
    if (LOCK_METHODS.has(name) || this.relevantSets().names.has(name)) return true;
    // A func field bound to a method of its own object (`c.onEvict(k)`, see selfTarget).
    if (u.type === 'selector_expression' && fc.res.typeOf(u).kind === 'func' && fc.res.callee(call).kind === 'unknown' && this.selfCalleeOf(fc, u)) return true;
    if (SYNC_CALLBACK_NAMES.has(name) && syncCallbackIndex(fc, call, fc.res.callee(call)) !== undefined) return true;
    if (u.type === 'selector_expression' && FMT_NAMES.has(name) && (this.relevantSets().names.has('String') || this.relevantSets().names.has('Error'))) return true;
    return u.type === 'identifier' && fc.res.localOf(u) !== undefined; // a local closure
  }

  /** The summary of a call's target and how to rename its roots into this function's names. */
  /** callTarget's answers by call node, kept when no summary it asked for was missing for recursion. */
  private targets = new Map<Node, CallTarget | undefined>();
  /** How many times `of` answered nothing for a function whose run was in progress (see callTarget). */
  private recursionHits = 0;

  /**
   * The target of a call, asked several times per call node (the call itself, the value it
   * binds, a return of it, a releaser bound from it, on every path that reaches it). The
   * answer depends on the node and on the summaries it reads, which do not change once made;
   * only one asked for while its function's run is in progress (recursion: `of` gives none)
   * may differ later, so such an answer is not kept.
   */
  private callTarget(fc: FuncCtx, call: Node, c?: Callee): CallTarget | undefined {
    const have = this.targets.get(call);
    if (have !== undefined || this.targets.has(call)) return have;
    const hits = this.recursionHits;
    const t = this.computeCallTarget(fc, call, c ?? fc.res.callee(call));
    if (this.recursionHits === hits) this.targets.set(call, t);
    return t;
  }

  private computeCallTarget(fc: FuncCtx, call: Node, c: Callee): CallTarget | undefined {
    const args = argsOf(call);
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
    if (c.kind === 'unknown') return this.selfTarget(fc, call) ?? this.interfaceTarget(fc, call);
    if (!decl || !this.relevantSets().decls.has(decl)) return undefined;
    const cfc = this.facts.funcCtxOfDecl(decl);
    if (!cfc) return undefined;
    const s = this.of(cfc)?.summary;
    if (!s) return undefined;
    return { summary: s, map: rootMap(fc, recv, args), name };
  }

  /**
   * A call through a field whose every write binds it to its own object (lockalias.ts
   * `selfCallee`): `c.onEvict(k)` after `c.onEvict = c.recordEviction`, `h.notifier.Notify()`
   * after `h.notifier = h`, `s.validator.Validate()` after `s.validator = refValidator{store:
   * s}`. The method and the instance it runs on are known, so its whole summary applies
   * (the locks it takes included), renamed to the caller's object.
   */
  private selfTarget(fc: FuncCtx, call: Node): CallTarget | undefined {
    const fnExpr = field(call, 'function');
    const self = fnExpr ? this.selfCalleeOf(fc, unparen(fnExpr)) : undefined;
    if (!self || !this.relevantSets().decls.has(self.decl)) return undefined;
    const cfc = this.facts.funcCtxOfDecl(self.decl);
    const s = cfc ? this.of(cfc)?.summary : undefined;
    if (!s) return undefined;
    return { summary: s, map: rootMap(fc, self.pointer ? self.recv : undefined, argsOf(call), self.strip), name: self.name, may: true };
  }

  /**
   * A call through an interface (`t.End()` with `t Txn`), as the package's implementations
   * (ifaces.ts). Only releases are taken from them: a lock every implementation releases
   * is released, one only some release may be (`mayRelease`, treated as handed to code we
   * do not follow). Locks they take are not: a type of another package may implement the
   * interface too (a constructor returning `&sync.RWMutex{}` or a logging wrapper), so
   * what they acquire is not known to happen.
   */
  private interfaceTarget(fc: FuncCtx, call: Node): CallTarget | undefined {
    const ic = this.interfaceCalleesOf(fc, call);
    if (!ic || ic.methods.length === 0) return undefined;
    const sums: LockSummary[] = [];
    for (const m of ic.methods) {
      const cfc = m.decl ? this.facts.funcCtxOfDecl(m.decl) : undefined;
      const s = cfc ? this.of(cfc)?.summary : undefined;
      if (!s) return undefined;
      sums.push(s);
    }
    const all = <V>(pick: (s: LockSummary) => Map<string, V>): Map<string, V> => {
      const first = pick(sums[0] as LockSummary);
      return new Map([...first].filter(([k]) => sums.every((s) => pick(s).has(k))));
    };
    const summary: LockSummary = { acquires: new Map(), releases: all((s) => s.releases), locks: new Map(), handed: [] };
    const mayRelease = [...new Set(sums.flatMap((s) => [...s.releases.keys()]))].filter((k) => !summary.releases.has(k));
    const m0 = ic.methods[0] as MethodInfo;
    return { summary, map: rootMap(fc, ic.recv, argsOf(call)), name: ic.methods.length === 1 ? `${m0.recvType}.${m0.name}` : `${fc.text(ic.recv)}.${m0.name}`, mayRelease };
  }

  /**
   * Records the results of `ret` that are functions releasing locks of the receiver,
   * parameters or package variables (`return func() { once.Do(l.Unlock) }`, `return
   * s.mu.Unlock`, `return unlockOnce(&s.mu)`): see LockSummary.releasers.
   */
  private recordReleasers(fc: FuncCtx, ret: Node, summary: LockSummary): void {
    const results = exprList(named(ret).find((c) => c.type === 'expression_list') ?? named(ret)[0]);
    results.forEach((e0, i) => {
      const e = unparen(e0);
      let rel: Array<{ ref: LockRef; mode: LockMode }> = [];
      if (e.type === 'func_literal') rel = [...(this.of(fc, e)?.summary.releases.values() ?? [])];
      else if (e.type === 'selector_expression') {
        const mv = lockMethodValue(fc, e);
        if (mv?.op === 'unlock') rel = [{ ref: mv.ref, mode: mv.mode }];
      } else if (e.type === 'identifier') {
        const v = fc.res.localOf(e);
        const lit = v ? localClosure(fc, v) : undefined;
        if (lit) rel = [...(this.of(fc, lit)?.summary.releases.values() ?? [])];
      } else if (e.type === 'call_expression' && results.length === 1 && this.mayMatter(fc, e)) {
        const target = this.callTarget(fc, e);
        for (const r of target?.summary.releasers ?? []) {
          if (r.result !== 0) continue;
          for (const x of r.releases) {
            const m = target?.map(x.ref.key);
            if (m) rel.push({ ref: { ...m, text: m.text || x.ref.text }, mode: x.mode });
          }
        }
      }
      rel = rel.filter((r) => !r.ref.key.startsWith('l') && !r.ref.key.startsWith('('));
      if (rel.length === 0) return;
      const have = (summary.releasers ??= []).find((r) => r.result === i);
      if (!have) summary.releasers.push({ result: i, releases: rel });
      else for (const r of rel) if (!have.releases.some((x) => x.ref.key === r.ref.key)) have.releases.push(r);
    });
  }

  /**
   * The locks a call of a local function value releases, when the local holds a releaser
   * returned by a call this analysis follows (`release := releaseOnce(&g.lock)`, `done :=
   * g.acquire()`; see LockSummary.releasers), in this function's names.
   */
  private releaserCall(fc: FuncCtx, call: Node): Array<{ ref: LockRef; mode: LockMode }> | undefined {
    const fnNode = field(call, 'function');
    const u = fnNode ? unparen(fnNode) : undefined;
    if (u?.type !== 'identifier') return undefined;
    const v = fc.res.localOf(u);
    if (v?.kind !== 'var' || !v.init || v.rangeOf || isReassigned(fc, v)) return undefined;
    const init = unparen(v.init.expr);
    if (init.type !== 'call_expression' || !this.mayMatter(fc, init)) return undefined;
    const target = this.callTarget(fc, init);
    const r = target?.summary.releasers?.find((x) => x.result === v.init?.index);
    if (!r || !target) return undefined;
    const out: Array<{ ref: LockRef; mode: LockMode }> = [];
    for (const x of r.releases) {
      const m = target.map(x.ref.key);
      if (m) out.push({ ref: { ...m, text: m.text || x.ref.text, tkey: m.tkey ?? x.ref.tkey }, mode: x.mode });
    }
    return out.length > 0 ? out : undefined;
  }

  /** True when a result of `ret` carries lock `key` to the caller (recorded in `summary.handed`). */
  private handedByReturn(fc: FuncCtx, st: State, ret: Node | undefined, key: string, summary: LockSummary): boolean {
    const results = ret ? exprList(named(ret).find((c) => c.type === 'expression_list') ?? named(ret)[0]) : [];
    for (const [i, e] of results.entries()) {
      const c = this.carrierOf(fc, st, e, key);
      if (!c) continue;
      if (!c.of.startsWith('l') && !summary.handed.some((h) => h.result === i && h.path === c.path && h.of === c.of)) summary.handed.push({ result: i, path: c.path, of: c.of });
      return true;
    }
    return false;
  }

  /** Carrier types and key relations memoised by `releasesThrough`. */
  private releasing = new Map<string, boolean>();

  /**
   * Whether some method of `t` (for an interface: of the package's implementations of its
   * methods) releases the lock at `recv<rel>` (`rel` = `.s.mu` for a `txn` whose `s` field
   * holds the store). A `*sync.Mutex` itself is released by its own Unlock.
   */
  releasesThrough(t0: Type, rel: string): boolean {
    const t = deref(t0);
    if (t.kind !== 'named') return false;
    if (t.pkg === 'sync') return rel === '' && (t.name === 'Mutex' || t.name === 'RWMutex' || t.name === 'Locker');
    const key = `${t.pkg}.${t.name}|${rel}`;
    const have = this.releasing.get(key);
    if (have !== undefined) return have;
    this.releasing.set(key, false); // recursion guard
    const pkg = this.facts.pkg;
    let methods: MethodInfo[] = [];
    if (underlying(t).kind === 'interface') {
      for (const n of interfaceMethodNames(pkg, t) ?? []) methods.push(...implementations(pkg, t, n));
    } else if (t.pkg === pkg.importPath) {
      methods = [...pkg.methodNamesOf(t.name)].flatMap((n) => pkg.method(t.name, n) ?? []);
    }
    // Only methods that lock or unlock (or call such code) can release: the others are not summarised.
    const relevant = this.relevantSets().decls;
    const found = methods.some((m) => !!m.decl && relevant.has(m.decl) && !!this.summaryOfDecl(m.decl)?.releases.has(`recv${rel}`));
    this.releasing.set(key, found);
    return found;
  }

  /**
   * The objects expression `e` hands on, with the key each is named by here: a composite
   * literal's fields (`&txn{s: s}` → `s` at `.s`), or the value itself and what its
   * aliases name (`t` with `l12.s` → `recv`).
   */
  private carriers(fc: FuncCtx, st: State, e0: Node): Array<{ type: Type; path: string; of: string }> {
    const out: Array<{ type: Type; path: string; of: string }> = [];
    let e = unparen(e0);
    if (e.type === 'unary_expression' && firstChar(fc, e) === '&') e = unparen(field(e, 'operand') ?? e);
    if (e.type === 'composite_literal') {
      const t = fc.res.typeOf(e);
      for (const f of literalFields(fc, e)) {
        const r = lockRef(fc, f.value);
        if (r) out.push({ type: t, path: `.${f.name}`, of: canon(st, r.key) });
      }
      return out;
    }
    const r = lockRef(fc, e);
    if (!r) return out;
    const t = fc.res.typeOf(e);
    out.push({ type: t, path: '', of: canon(st, r.key) });
    for (const [a, c] of st.aliases) if (a.startsWith(`${r.key}.`)) out.push({ type: t, path: a.slice(r.key.length), of: c });
    return out;
  }

  /** The carrier of lock `key` in `e` whose type has a method that releases it, if any. */
  private carrierOf(fc: FuncCtx, st: State, e: Node, key: string): { path: string; of: string } | undefined {
    for (const c of this.carriers(fc, st, e)) {
      if (!under(key, c.of)) continue;
      if (this.releasesThrough(c.type, c.path + key.slice(c.of.length))) return c;
    }
    return undefined;
  }

  private carriedAway(fc: FuncCtx, st: State, e: Node, key: string): boolean {
    return this.carrierOf(fc, st, e, key) !== undefined;
  }
}

/** What a call does to locks, in the callee's root names, and how to rename them here. */
interface CallTarget {
  summary: LockSummary;
  map: (k: string) => LockRef | undefined;
  name: string;
  /** Locks some but not all possible callees release (interface calls). */
  mayRelease?: string[];
  /** The callee is known from the call graph (a self-bound field): its may-locks count (LockSummary.mayLocks). */
  may?: boolean;
}

/** Renames a callee's roots: `recv` to the receiver expression, `pN` to argument N, `g:` kept. */
export function rootMap(fc: FuncCtx, recv: Node | undefined, args: readonly Node[], strip = ''): (k: string) => LockRef | undefined {
  // A target's renaming is asked for the same keys on every path through its call: each key
  // is renamed once (the LockRefs are never changed, only copied).
  const named = new Map<string, LockRef | undefined>();
  return (k) => {
    if (named.has(k)) return named.get(k);
    const r = renameRoot(fc, recv, args, strip, k);
    named.set(k, r);
    return r;
  };
}

/** rootMap's renaming of key `k`. */
function renameRoot(fc: FuncCtx, recv: Node | undefined, args: readonly Node[], strip: string, k: string): LockRef | undefined {
  const m = /^(recv|p(\d+))((?:\.\w+)*)$/.exec(k);
  if (!m) return k.startsWith('g:') ? { key: k, tkey: k, text: k.slice(2) } : undefined;
  const rootExpr = m[1] === 'recv' ? recv : args[Number(m[2])];
  if (!rootExpr) return undefined;
  let rest = m[3] ?? '';
  // The callee's receiver reaches the caller's object through a back-pointer (`v.store` is `s`).
  if (m[1] === 'recv' && strip) {
    if (rest !== strip && !rest.startsWith(`${strip}.`)) return undefined;
    rest = rest.slice(strip.length);
  }
  const r = lockRef(fc, rootExpr);
  if (!r) return undefined;
  return { key: r.key + rest, tkey: undefined, text: r.text.replace(/^&/, '') + rest };
}

/**
 * The local variable a lock key is rooted at (`l123.mu`: the local declared at offset 123 of
 * `fc`'s file, the encoding `lockRef` uses), or undefined for other roots.
 */
export function localOfLockKey(fc: FuncCtx, key: string): LocalVar | undefined {
  const m = /^l(\d+)(?:\.|$)/.exec(key);
  if (!m) return undefined;
  const off = Number(m[1]);
  for (const [id, v] of fc.res.defs) if (id.start === off) return v;
  return undefined;
}

/**
 * True when `outer` is still held from a previous iteration of a loop around `at` and
 * both it and the lock `innerKey` taken at `at` are named through variables declared
 * in that loop (`for _, s := range servers { s.mu.RLock(); q := s.q; ...; q.Lock();
 * defer q.Unlock() }`): the two locks belong to different elements of the iteration, so
 * their order depends on the instances, as for two locks of the same field.
 */
function loopCarried(outer: Held, innerKey: string, at: Node): boolean {
  const o = /^l(\d+)/.exec(outer.ref.key);
  const i = /^l(\d+)/.exec(innerKey);
  if (!o || !i) return false;
  const site = outer.site.node.start;
  if (site < at.start) return false;
  for (let p = at.parent; p; p = p.parent) {
    if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') return false;
    if (p.type !== 'for_statement') continue;
    const inLoop = (off: number): boolean => off >= (p as Node).start && off < (p as Node).end;
    if (inLoop(Number(o[1])) && inLoop(Number(i[1])) && inLoop(site)) return true;
  }
  return false;
}

/** Most targets a function-value call may have for its locks to count (a registry of many handlers says little). */
const MAX_VALUE_TARGETS = 4;

/** Last names of the standard-library functions and methods that run a function argument before returning. */
const SYNC_CALLBACK_NAMES = new Set([...CALLBACKS].filter(([, m]) => m.when === 'sync').map(([k]) => k.slice(k.lastIndexOf('.') + 1)));

/**
 * The index of the function argument a standard-library call runs synchronously
 * (`sort.Slice` → 1, `sync.Once.Do` → 0), from the program model's library table.
 */
export function syncCallbackIndex(fc: FuncCtx, call: Node, c: Callee = fc.res.callee(call)): number | undefined {
  let name: string | undefined;
  if (c.kind === 'method') {
    if (c.method.pkg.includes('.')) return undefined;
    name = `${c.method.pkg}.${c.method.recvType}.${c.method.name}`;
  } else name = importedCallName(fc, call);
  const m = name ? CALLBACKS.get(name) : undefined;
  return m?.when === 'sync' && m.arg >= 0 ? m.arg : undefined;
}

/** The names of `fn`'s parameters of type bool. */
function boolParamNames(fc: FuncCtx, fn: Node): string[] {
  const params = field(fn, 'parameters');
  const out: string[] = [];
  for (const pd of params ? named(params) : []) {
    const t = field(pd, 'type');
    if (!t || fc.text(t) !== 'bool') continue;
    for (const c of pd.children) if (c.field === 'name') out.push(fc.text(c));
  }
  return out;
}

/** A call through a function value: a local that holds no known closure, or a func-typed field or element. */
function isFuncValueCall(fc: FuncCtx, call: Node): boolean {
  const c = fc.res.callee(call);
  return (c.kind === 'local' || c.kind === 'unknown') && fc.res.typeOf(field(call, 'function') ?? call).kind === 'func';
}

/** Keys of a literal's summary are already in the enclosing declaration's names. */
function sameFuncRef(_fc: FuncCtx, k: string): LockRef {
  return { key: k, tkey: undefined, text: '' };
}

/** The func literal a local variable holds (`unlock := func() {...}`), if never reassigned. */
export function localClosure(fc: FuncCtx, v: LocalVar): Node | undefined {
  if (v.kind !== 'var' || !v.init || v.init.count !== 1) return undefined;
  const e = unparen(v.init.expr);
  if (e.type !== 'func_literal' || isReassigned(fc, v)) return undefined;
  return e;
}

/** A literal that runs synchronously in its enclosing function: applied, deferred, or held in a local that is only called. */
function isInlinedLiteral(fc: FuncCtx, lit: Node): boolean {
  const p = lit.parent;
  if (p?.type === 'call_expression' && field(p, 'function') === lit) return p.parent?.type !== 'go_statement';
  // The function argument of `sort.Slice`, `once.Do`...: run before the call returns.
  if (p?.type === 'argument_list' && p.parent?.type === 'call_expression' && p.parent.parent?.type !== 'go_statement' && p.parent.parent?.type !== 'defer_statement') {
    const idx = syncCallbackIndex(fc, p.parent);
    if (idx !== undefined && argsOf(p.parent)[idx] === lit) return true;
  }
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

/**
 * Whether `text.matchAll(/\b(\w+)\s*\(/g)` lists `name`: an occurrence with no word
 * character on either side, followed by `(` after white space. The characters are tested by
 * their codes (`\w` and `\s` as JavaScript defines them) rather than by a regular expression
 * on a one-character string each.
 */
function callsByName(text: string, name: string): boolean {
  for (let p = text.indexOf(name); p >= 0; p = text.indexOf(name, p + 1)) {
    let end = p + name.length;
    if ((p > 0 && isWordCode(text.charCodeAt(p - 1))) || (end < text.length && isWordCode(text.charCodeAt(end)))) continue;
    while (end < text.length && isSpaceCode(text.charCodeAt(end))) end++;
    if (text.charCodeAt(end) === 40) return true; // `(`
  }
  return false;
}

/** True when a Lock/Unlock-like call (or a call to a lock-relevant name) is nested in an if of `fn`. */
function lockUnderIf(fc: FuncCtx, fn: Node): boolean {
  const body = fn === fc.decl ? fc.body : field(fn, 'body');
  // Every callee text LOCK_CALL_TEXT matches spells `lock` or `Lock`: a body that does not is not walked.
  if (!body || !/[lL]ock/.test(fc.file.text.slice(body.start, body.end))) return false;
  let found = false;
  const visit = (n: Node, inIf: boolean): void => {
    if (found) return;
    if (n.type === 'func_literal' && n !== fn) return;
    if (inIf && n.type === 'call_expression' && LOCK_CALL_TEXT.test(fc.text(field(n, 'function') ?? n))) {
      found = true;
      return;
    }
    const kids = n.children;
    const under = inIf || n.type === 'if_statement';
    for (let i = 0; i < kids.length; i++) visit(kids[i] as Node, under);
  };
  visit(body, false);
  return found;
}

/** The fields a struct composite literal (`T{a: x}`, `&T{x, y}`) sets, with their values. */
function literalFields(fc: FuncCtx, e0: Node): Array<{ name: string; value: Node }> {
  let e = unparen(e0);
  if (e.type === 'unary_expression' && firstChar(fc, e) === '&') e = unparen(field(e, 'operand') ?? e);
  const body = e.type === 'composite_literal' ? field(e, 'body') : undefined;
  const u = body ? underlying(deref(fc.res.typeOf(e))) : undefined;
  if (!body || u?.kind !== 'struct') return [];
  const out: Array<{ name: string; value: Node }> = [];
  named(body).forEach((el, i) => {
    if (el.type === 'keyed_element') {
      const k = field(el, 'key');
      const v = field(el, 'value');
      const value = v ? (named(v)[0] ?? v) : undefined;
      if (k && value) out.push({ name: fc.text(k).trim(), value });
    } else {
      const name = u.fields[i]?.name;
      if (name) out.push({ name, value: named(el)[0] ?? el });
    }
  });
  return out;
}

/** `panic(v)` as a statement (the builtin, not a shadowing function). */
function isPanicStatement(fc: FuncCtx, n: Node): boolean {
  if (n.type !== 'expression_statement') return false;
  const call = named(n)[0];
  if (call?.type !== 'call_expression') return false;
  const f = field(call, 'function');
  return !!f && fc.text(f) === 'panic' && fc.res.callee(call).kind === 'builtin';
}

/** True when key `k` is `root` or lies under it (`root.f...`). */
function under(k: string, root: string): boolean {
  // No `${root}.` string per question: asked for every held lock at every event.
  return k === root || (k.length > root.length && k.startsWith(root) && k.charCodeAt(root.length) === 46);
}

/** Where `node` of `fc`'s file is. */
function siteOf(fc: FuncCtx, node: Node): Site {
  return { node, file: fc.file };
}

/** A lock named through an alias (`t.s.mu` after `t := &txn{s: s}`) is the aliased lock. */
function canonRef(st: State, r: LockRef): LockRef {
  const k = canon(st, r.key);
  return k === r.key ? r : { ...r, key: k };
}

/** A callee's renaming followed by canonRef. */
function canonMap(st: State, map: (k: string) => LockRef | undefined): (k: string) => LockRef | undefined {
  // canonRef names nothing differently on a path without aliases.
  if (st.aliases.size === 0) return map;
  return (k) => {
    const r = map(k);
    return r && canonRef(st, r);
  };
}

/** The key under its aliases' targets (`l12.s.mu` → `recv.mu` with `l12.s` → `recv`). */
function canon(st: State, key: string): string {
  if (st.aliases.size === 0) return key;
  for (const [a, c] of st.aliases) if (under(key, a)) return c + key.slice(a.length);
  return key;
}

/** Whether the state holds lock `key`, or (`owner`) a lock under it (`key.f...`). */
function heldUnder(st: State, key: string, owner: boolean): boolean {
  for (const k of st.held.keys()) if (owner ? under(k, key) : k === key) return true;
  return false;
}

/** Keeps, per statement, the locks held on every path reaching it (intersection over visits). */
function recordHeld(heldAt: FuncLocks['heldAt'], n: Node, st: State): void {
  const prev = heldAt.get(n);
  if (!prev) {
    // Most statements hold nothing: they share one empty map (an intersection never adds).
    if (st.held.size === 0) {
      heldAt.set(n, NOTHING_HELD);
      return;
    }
    const m = new Map<string, { ref: LockRef; mode: LockMode; site: Site }>();
    for (const [k, h] of st.held) m.set(k, { ref: h.ref, mode: h.mode, site: h.site });
    heldAt.set(n, m);
    return;
  }
  if (prev.size === 0) return;
  for (const k of [...prev.keys()]) if (!st.held.has(k)) (prev as Map<string, unknown>).delete(k);
}

/** Text that every lock operation, Locker call and lock method value spells (see LOCK_METHODS). */
const LOCK_WORD = /Lock|Unlock/;

/**
 * The facts of a silent declaration (LockAnalysis.silent): an empty summary, nothing held
 * anywhere (no heldAt entry, which every reader takes as nothing held), no exit with a lock,
 * no double lock, no order edge, nothing unlocked. Its escapes are not collected: they are
 * read (lockEscapes) only for a function that holds a lock, or one enclosing it.
 */
function silentInfo(fc: FuncCtx): FuncLocks {
  return noLocks(fc, fc.decl, false);
}

/** A FuncLocks with nothing in it yet (what `run` fills in). */
function noLocks(fc: FuncCtx, fn: Node, inlined: boolean): FuncLocks {
  return {
    fc,
    fn,
    summary: { acquires: new Map(), releases: new Map(), locks: new Map(), handed: [] },
    doubles: [],
    heldAtExit: [],
    heldAtPanic: [],
    exits: 0,
    exitKeys: [],
    escaped: new Set(),
    unlocks: new Set(),
    edges: [],
    paramPairs: [],
    inlined,
    heldAt: new Map(),
  };
}

/** The heldAt entry of a statement no explored path reaches holding a lock (shared, never changed). */
const NOTHING_HELD: ReadonlyMap<string, { ref: LockRef; mode: LockMode; site: Site }> = new Map();

/**
 * A copy of state `s` for another path. Its conditions are shared with `s` until either
 * changes, unless `assumes` (the copy records a branch condition next). Most states hold no
 * lock and have no alias: they share one empty map of each (NO_HELD, NO_ALIASES), replaced by
 * a map of their own where one is added (see heldOf, aliasesOf).
 */
function cloneState(s: State, assumes: boolean): State {
  let held = NO_HELD;
  if (s.held.size > 0) {
    held = new Map<string, Held>();
    for (const [k, h] of s.held) held.set(k, { ...h });
  }
  return { held, entryReleased: s.entryReleased, deferred: s.deferred, rebound: s.rebound, lockedEver: s.lockedEver, conds: s.conds.copy(!assumes), aliases: s.aliases.size === 0 ? NO_ALIASES : new Map(s.aliases), unlockedHeld: s.unlockedHeld, loose: s.loose, last: s.last, dead: false };
}

/** The empty held map states share (never changed: a lock is added to the state's own map, see heldOf). */
const NO_HELD: Map<string, Held> = new Map();
/** The empty alias map states share (never changed, see aliasesOf). */
const NO_ALIASES: Map<string, string> = new Map();

/** The state's held map, ready for a lock to be added. */
function heldOf(st: State): Map<string, Held> {
  if (st.held === NO_HELD) st.held = new Map();
  return st.held;
}

/** The state's alias map, ready for an alias to be added. */
function aliasesOf(st: State): Map<string, string> {
  if (st.aliases === NO_ALIASES) st.aliases = new Map();
  return st.aliases;
}

/**
 * An immutable set of lock keys (with its elements in insertion order, as a Set's, which the
 * exit summary reads), made by adding to another (no key is ever taken out of a state's sets).
 * A state's sets change at a few statements (`rebound`, the roots assigned since entry, at
 * every local assigned), while a state is cloned at every branch and its signature taken at
 * the end of every block: sharing them costs nothing per clone, and each set's signature part
 * (a number for its elements, see `id`) is made once per set rather than after every change
 * of a copy. A set remembers the sets its additions made, so the paths of a function that
 * assign the same variables in the same order share one set per step instead of copying their
 * own. One family per run (`KeySet.empty`): equal elements get equal numbers within it,
 * whatever order they were added in.
 *
 * The elements are bits over the family's keys (numbered in order of first use, KEY_BITS to
 * a number) and a chain of additions back to the empty set (for the order): adding copies a
 * few numbers, where copying a Set of a dozen keys (`rebound` grows with every local) cost
 * about 1.6 KB of garbage each, a fifth of the lock analysis's allocation.
 */
class KeySet implements Iterable<string> {
  /** Bit `i % KEY_BITS` of word `i / KEY_BITS`: the family's key `i` is in the set. Never changed once the KeySet is made. */
  private readonly bits: number[];
  /** The set this one added `key` to (undefined for the empty set). */
  private readonly parent: KeySet | undefined;
  private readonly key: string;
  readonly size: number;
  /** The sets `with(k)` made, by k. */
  private added: Map<string, KeySet> | undefined;
  /** The family's numbering of keys and contents (shared by every set made from one `empty`). */
  private readonly fam: KeyFamily;
  /** The family's number for the elements (see `id`). */
  private idv: number | undefined;
  /** The elements in insertion order, listed on the first iteration. */
  private list: string[] | undefined;

  private constructor(bits: number[], parent: KeySet | undefined, key: string, size: number, fam: KeyFamily) {
    this.bits = bits;
    this.parent = parent;
    this.key = key;
    this.size = size;
    this.fam = fam;
  }

  /** The empty set of a new family. */
  static empty(): KeySet {
    return new KeySet([], undefined, '', 0, new KeyFamily());
  }

  has(k: string): boolean {
    if (this.size === 0) return false;
    const i = this.fam.keys.get(k);
    if (i === undefined) return false;
    const w = this.bits[(i / KEY_BITS) | 0];
    return w !== undefined && (w & (1 << i % KEY_BITS)) !== 0;
  }

  /** This set with `k` added (last, when new). */
  with(k: string): KeySet {
    let n = this.added?.get(k);
    if (n) return n;
    if (this.has(k)) return this;
    const i = this.fam.indexOf(k);
    const at = (i / KEY_BITS) | 0;
    const bits = this.bits.slice();
    while (bits.length <= at) bits.push(0);
    bits[at] = (bits[at] as number) | (1 << i % KEY_BITS);
    n = new KeySet(bits, this, k, this.size + 1, this.fam);
    (this.added ??= new Map()).set(k, n);
    return n;
  }

  [Symbol.iterator](): Iterator<string> {
    if (!this.list) {
      const l = new Array<string>(this.size);
      if (this.size > 0) {
        let j = this.size - 1;
        l[j] = this.key;
        for (let s = this.parent; s && s.size > 0; s = s.parent) l[--j] = s.key;
      }
      this.list = l;
    }
    return this.list[Symbol.iterator]();
  }

  /**
   * A number for the elements, the same for every set of the family with the same elements
   * (whatever order they were added in) and different for different ones: what
   * `ids.id([...set].sort().join(','))` gave, without sorting and joining the keys. Sets are
   * found by a hash of their bits and compared bit by bit (trailing zero words aside).
   */
  id(): number {
    if (this.idv !== undefined) return this.idv;
    const bits = this.bits;
    let len = bits.length;
    while (len > 0 && bits[len - 1] === 0) len--;
    let h = len;
    for (let j = 0; j < len; j++) h = (Math.imul(h, 0x9e3779b1) + (bits[j] as number)) | 0;
    const fam = this.fam;
    const same = fam.byHash.get(h);
    if (same) {
      for (const o of same) {
        if (o.size !== this.size) continue;
        let j = 0;
        while (j < len && o.bits[j] === bits[j]) j++;
        if (j === len) return (this.idv = o.idv as number);
      }
      same.push(this);
    } else fam.byHash.set(h, [this]);
    return (this.idv = fam.next++);
  }
}

/** Bits per number of a KeySet's bits (the numbers stay small integers). */
const KEY_BITS = 30;

/** The numbering of one KeySet family: its keys in order of first use, and the sets numbered so far by a hash of their bits. */
class KeyFamily {
  readonly keys = new Map<string, number>();
  readonly byHash = new Map<number, KeySet[]>();
  next = 0;

  indexOf(k: string): number {
    let i = this.keys.get(k);
    if (i === undefined) this.keys.set(k, (i = this.keys.size));
    return i;
  }
}

/**
 * The outcomes of conditions on a path (conds.ts), keeping their signature part like KeySet.
 * A copy shares its entries with the map it was copied from until one of them changes (most
 * paths record no condition, or none between two branches): then the one changing takes a
 * copy of its own first.
 */
class CondMap implements Map<string, boolean> {
  private m: Map<string, boolean>;
  /** Whether `m` is this CondMap's alone (otherwise it is copied before a change). */
  private own: boolean;
  private idv: number | undefined;

  constructor(m: Map<string, boolean> = new Map(), own = true) {
    this.m = m;
    this.own = own;
  }

  /** `m`, copied first when it is shared, and the signature parts dropped (it is about to change). */
  private changing(): Map<string, boolean> {
    if (!this.own) {
      this.m = new Map(this.m);
      this.own = true;
    }
    this.idv = undefined;
    return this.m;
  }

  get size(): number {
    return this.m.size;
  }

  get(k: string): boolean | undefined {
    return this.m.get(k);
  }

  has(k: string): boolean {
    return this.m.has(k);
  }

  set(k: string, v: boolean): this {
    if (this.m.get(k) !== v) this.changing().set(k, v);
    return this;
  }

  delete(k: string): boolean {
    if (!this.m.has(k)) return false;
    return this.changing().delete(k);
  }

  clear(): void {
    this.changing().clear();
  }

  forEach(f: (value: boolean, key: string, map: Map<string, boolean>) => void, thisArg?: unknown): void {
    this.m.forEach((v, k) => f.call(thisArg, v, k, this));
  }

  keys(): ReturnType<Map<string, boolean>['keys']> {
    return this.m.keys();
  }

  values(): ReturnType<Map<string, boolean>['values']> {
    return this.m.values();
  }

  entries(): ReturnType<Map<string, boolean>['entries']> {
    return this.m.entries();
  }

  [Symbol.iterator](): ReturnType<Map<string, boolean>['entries']> {
    return this.m.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'CondMap';
  }

  /** The number `fam` gives the entries (the same for the same entries, see CondFamily). */
  id(fam: CondFamily): number {
    return (this.idv ??= fam.id(this.m));
  }

  /**
   * A map with the same entries: sharing them (`share`; both copy before changing) or with a
   * copy of its own (for a path about to record a condition: the original keeps its entries
   * for its own next change).
   */
  copy(share: boolean): CondMap {
    let c: CondMap;
    if (share) {
      this.own = false;
      c = new CondMap(this.m, false);
    } else c = new CondMap(this.m.size === 0 ? new Map() : new Map(this.m));
    c.idv = this.idv;
    return c;
  }
}

/**
 * Numbers for the entries of a run's condition maps: the same number for the same entries (in
 * any order), different ones for different entries, as the interned text of the sorted
 * `cond=value` entries gave, without making that text (a condition's text can be long). An
 * entry is a number (its condition's index in order of first use, times two, plus its value);
 * a map's entries are sorted, hashed and compared with those numbered before.
 */
class CondFamily {
  private keys = new Map<string, number>();
  private byHash = new Map<number, Array<{ entries: number[]; id: number }>>();
  private next = 0;

  id(m: ReadonlyMap<string, boolean>): number {
    const e: number[] = [];
    for (const [k, v] of m) {
      let i = this.keys.get(k);
      if (i === undefined) this.keys.set(k, (i = this.keys.size));
      e.push(i * 2 + (v ? 1 : 0));
    }
    e.sort((a, b) => a - b);
    let h = e.length;
    for (let j = 0; j < e.length; j++) h = (Math.imul(h, 0x9e3779b1) + (e[j] as number)) | 0;
    const same = this.byHash.get(h);
    if (same) {
      for (const o of same) {
        if (o.entries.length !== e.length) continue;
        let j = 0;
        while (j < e.length && o.entries[j] === e[j]) j++;
        if (j === e.length) return o.id;
      }
      same.push({ entries: e, id: this.next });
    } else this.byHash.set(h, [{ entries: e, id: this.next }]);
    return this.next++;
  }
}

/**
 * Numbers for strings, one per distinct string (per package: the signatures of one run's
 * states are only compared with each other).
 */
class Interner {
  private ids = new Map<string, number>();

  id(s: string): number {
    let v = this.ids.get(s);
    if (v === undefined) this.ids.set(s, (v = this.ids.size));
    return v;
  }
}

/** Numbers in a state's signature, and in an entry of a block's visited list (the signature, then the exit's last statement and the branch taken, -1 for none). */
const SIG_PARTS = 9;
const VISIT_PARTS = SIG_PARTS + 2;

/** Whether the flat list `v` of VISIT_PARTS-number entries has one equal to `key`. */
function hasVisit(v: number[], key: number[]): boolean {
  for (let i = 0; i < v.length; i += VISIT_PARTS) {
    let j = 0;
    while (j < VISIT_PARTS && v[i + j] === key[j]) j++;
    if (j === VISIT_PARTS) return true;
  }
  return false;
}

/**
 * The identity of a state for the per-block visited lists, written to `out[0..SIG_PARTS)`:
 * two states with the same signature continue the same way. Each part is a number for its
 * contents: the key sets and conditions keep theirs until they change (KeySet, CondMap, by
 * their families' numbering); only the held locks (whose `deferred` flags change in place)
 * and aliases are written each time, as text numbered by `ids`. Equal parts give equal signatures and different parts different
 * ones, so a block's visited states are compared as short runs of numbers (at most
 * MAX_STATES_PER_BLOCK of them), with no text made or hashed per visit.
 */
function signature(s: State, ids: Interner, conds: CondFamily, out: number[]): void {
  let held = '';
  if (s.held.size === 1) {
    for (const [k, h] of s.held) held = `${k}:${h.mode}:${h.site.node.start}:${h.deferred ? 1 : 0}`;
  } else if (s.held.size > 1) {
    const parts: string[] = [];
    for (const [k, h] of s.held) parts.push(`${k}:${h.mode}:${h.site.node.start}:${h.deferred ? 1 : 0}`);
    held = parts.sort().join(',');
  }
  let aliases = -1;
  if (s.aliases.size > 0) {
    const parts: string[] = [];
    for (const [a, b] of s.aliases) parts.push(`${a}=${b}`);
    aliases = ids.id(parts.join(','));
  }
  out[0] = ids.id(held);
  out[1] = s.entryReleased.id();
  out[2] = s.deferred.id();
  out[3] = s.rebound.id();
  out[4] = s.lockedEver.id();
  out[5] = s.conds.id(conds);
  out[6] = aliases;
  out[7] = s.unlockedHeld.id();
  out[8] = s.loose.id();
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

/**
 * Whether `text` may spell a method value `.name`: `name` after a dot (white space and
 * comments may come between) and not followed by `(` on its line. A superset is fine (the
 * caller only searches more): `.nameX` counts, and a line comment is assumed wherever the
 * line before holds `//`.
 */
export function spellsMethodValue(text: string, name: string): boolean {
  for (let p = text.indexOf(name); p !== -1; p = text.indexOf(name, p + 1)) {
    let a = p + name.length;
    while (a < text.length && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
    if (text.charCodeAt(a) === 40) continue; // a call
    if (dotBefore(text, p - 1, new Set())) return true;
  }
  return false;
}

/** Whether the text ending at `q` ends in a dot followed by white space and comments only (a superset, see spellsMethodValue). */
function dotBefore(text: string, q: number, tried: Set<number>): boolean {
  // Each end position is tried once (comments give several ways back: any `/*` before a `*/`,
  // any `//` on the line before a break).
  if (tried.has(q)) return false;
  tried.add(q);
  for (;;) {
    let newline = false;
    for (let c = text.charCodeAt(q); q >= 0 && (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12); c = text.charCodeAt(--q)) {
      if (c === 10) newline = true;
    }
    if (q < 0) return false;
    const c = text.charCodeAt(q);
    if (c === 46) return true; // the dot
    if (c === 47 && q > 0 && text.charCodeAt(q - 1) === 42) {
      // The end of a block comment: go on before any `/*` that may start it.
      for (let open = text.lastIndexOf('/*', q - 2); open >= 0; open = open > 0 ? text.lastIndexOf('/*', open - 1) : -1) {
        if (dotBefore(text, open - 1, tried)) return true;
      }
      return false;
    }
    if (!newline) return false;
    // The line before the break may end in a line comment: any `//` on it may start it.
    const lineStart = text.lastIndexOf('\n', q) + 1;
    for (let k = text.indexOf('//', lineStart); k !== -1 && k < q; k = text.indexOf('//', k + 1)) {
      if (dotBefore(text, k - 1, tried)) return true;
    }
    return false;
  }
}
