/**
 * @fileoverview The program model: which channel, lock, WaitGroup, Cond, Once, context
 * and cancel function every operation of a package touches, across struct fields,
 * methods, interfaces, closures and goroutines — the layer the concurrency rules stand on
 * (issue 13). docs/analysis.md ("The program model") is the longer description.
 *
 * ## What is in it
 * - **Functions** ({@link FuncNode}): every declaration and function literal of the
 *   package, with a stable key (`pkg.Type.Method`, `pkg.f$lit@file.go:offset`).
 * - **Call graph** ({@link CallSite}): static calls, methods through receivers and
 *   embedding, calls through the package's interfaces resolved to its implementations
 *   (class-hierarchy analysis restricted to types that have every method of the
 *   interface), calls through function values — locals, struct fields, parameters,
 *   method values (`cb := s.onEvent`, `go s.run()`), closures — resolved by the points-to
 *   classes below, deferred calls, callbacks run by the standard library (`time.AfterFunc`,
 *   `sync.Once.Do`, `sort.Slice`, `http.HandleFunc`, `errgroup.Group.Go`...), and
 *   `fmt`/`log` calling `String()`/`Error()` of their operands. A site says whether its
 *   targets are complete; calls into other packages are not.
 * - **Points-to** ({@link ObjectInfo}): unification (Steensgaard-style, one class per set
 *   of locations that may share a value) over abstract locations: locals and parameters,
 *   function results, package variables, and struct fields **by declaring type**
 *   (`f:pkg.Server.done` — field-based: all instances of a type share the class of a
 *   field), with element classes for what a channel carries and what a slice or map holds
 *   (`s.subs[k].ch` is the class of field `sub.ch`). Allocation sites (`make(chan)`,
 *   `new`, composite literals, `context.WithCancel`, `time.NewTimer`) seed classes.
 *   Context-insensitive: a parameter is one location for all callers. Instances of one
 *   type are merged; where a rule must tell two instances apart inside one function
 *   (`a.mu` vs `b.mu`) it uses {@link accessPath} (k-limited access paths, k = 3, rooted
 *   at a local). The merge over-approximates who touches an object, so "is there any
 *   send / close / unlock / Done?" errs towards "yes" — towards silence.
 * - **Knowing what it does not know**: a class is `escaped` when a value of it goes
 *   where the model does not look (passed to another package's function, stored in an
 *   exported field of an exported type of a library package, returned by an exported
 *   function, converted to an interface), and has an `unknownSource` when a value of
 *   unknown origin may flow in (a parameter of an exported function, a result of
 *   unknown code). Rules asking "nothing ever sends" must require `known(obj)`.
 * - **Operations** ({@link Op}): send, receive, range, close, lock/unlock (R/W),
 *   Add/Done/Wait, Signal/Broadcast/Wait, Once.Do, cancel, timer Stop/Reset, each with
 *   its function, object class, and whether a select guards it.
 * - **Goroutines** ({@link Goroutine}): every `go` statement and standard-library starter
 *   with what it runs, where, and how many may run per run of the starting function.
 * - **Context tree** ({@link ContextEdge}): child contexts and their cancel functions.
 *
 * ## Per-package summaries
 * The model is built per package (what one worker analyses) and memoised in
 * {@link PackageFacts}. Its keys are global (import path + names), and
 * {@link ProgramModel.summary} exports the per-function effects on field and package-var
 * locations as plain data, so summaries of several packages can be combined the way
 * go/analysis combines facts. Today a call into another package of the module is
 * treated as unknown code (its objects escape).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cfgNodeOf, type Block } from '../../go/cfg.js';
import { unparen, type Node } from '../../go/syntax.js';
import type { SourceFile } from '../../go/source.js';
import type { FuncCtx, PackageFacts } from '../pass.js';
import { ModelData, type CallSite, type ContextEdge, type FuncNode, type Goroutine, type Op } from './model.js';
import type { ObjKind, OpKind, StdChanSource } from './stdlib.js';
import { modelSnapshot } from './snapshot.js';

export type { CallSite, ContextEdge, EdgeKind, FuncNode, Goroutine, Op } from './model.js';
export { declaringType, callArgsOf, paramVarsOf, stdName } from './model.js';
export type { ObjKind, OpKind, StdChanSource } from './stdlib.js';
export { objKindOf, carriesObjects, METHOD_OPS, CALLBACKS, CHAN_RESULTS, CONTEXT_CTORS, CALLS_STRINGER, CALLS_READ_WRITE } from './stdlib.js';

/** A concurrency object (a points-to class) as rules see it. */
export interface ObjectInfo {
  /** Class id (stable within one model). */
  id: number;
  kind?: ObjKind;
  /** The abstract locations in the class (`f:pkg.T.f`, `v:file:offset`, `g:pkg.x`, `r:func#0`, `a:file:offset`). */
  keys: string[];
  /** Allocation sites seen (make, new, literals, constructors). */
  allocs: Node[];
  /** Why the object may reach code the model does not see, if it may. */
  escape?: string;
  /** Why a value of unknown origin may be in the class, if it may. */
  unknownSource?: string;
  /** Runtime wake-ups of a channel (timer, context Done, signal.Notify). */
  std: Set<StdChanSource>;
  /** Some location of the class is assigned `nil`. */
  nilAssigned: boolean;
}

/** The model of one package, with the queries rules ask. Get it with {@link programModel}. */
export class ProgramModel {
  private readonly reach = new Map<FuncNode, Set<FuncNode>>();
  private readonly opsByClass = new Map<number, Op[]>();
  private readonly opsByFunc = new Map<FuncNode, Op[]>();

  constructor(private readonly d: ModelData) {
    for (const op of d.ops) {
      const c = d.u.find(op.cls);
      push(this.opsByClass, c, op);
      push(this.opsByFunc, op.fn, op);
    }
  }

  /** The package's function and method declarations with their files (scanned or not). */
  packageDecls(): ReadonlyArray<{ decl: Node; file: SourceFile }> {
    return this.d.facts.pkg.funcDecls;
  }

  /** Every function (declaration or literal) of the package. */
  functions(): FuncNode[] {
    return [...this.d.funcs.values()];
  }

  /** The function of a declaration or func_literal node. */
  funcOf(node: Node): FuncNode | undefined {
    return this.d.funcOfNode(node);
  }

  /** The call site of a call expression (undefined for calls the model did not scan). */
  callSite(call: Node): CallSite | undefined {
    return this.d.callAt.get(call) ?? this.d.calls.find((c) => c.call === call);
  }

  /** Call sites in `fn` (direct, deferred, go, callbacks, fmt Stringer calls). */
  callsFrom(fn: FuncNode): CallSite[] {
    return this.d.callsFrom.get(fn) ?? [];
  }

  /**
   * The functions `fn` may run on its own goroutine: itself, what it calls (including
   * deferred calls and synchronous callbacks), transitively; not the bodies of goroutines
   * it starts.
   */
  reachable(fn: FuncNode): Set<FuncNode> {
    const have = this.reach.get(fn);
    if (have) return have;
    const seen = new Set<FuncNode>([fn]);
    const stack = [fn];
    while (stack.length > 0) {
      const f = stack.pop() as FuncNode;
      // Indexed loops (here and in callersOf, isDead): for-of iterators were ~10 MB sampled on the stdlib.
      const css = this.callsFrom(f);
      for (let i = 0; i < css.length; i++) {
        const cs = css[i] as CallSite;
        if (cs.mode === 'go' || cs.mode === 'callback-go' || cs.mode === 'callback-later') continue;
        const ts = cs.targets;
        for (let j = 0; j < ts.length; j++) {
          const t = ts[j] as FuncNode;
          if (seen.has(t)) continue;
          seen.add(t);
          stack.push(t);
        }
      }
    }
    this.reach.set(fn, seen);
    return seen;
  }

  /** The object an expression denotes (a channel, lock, WaitGroup... expression of `fc`), if the model tracks it. */
  objectOf(fc: FuncCtx, expr: Node): ObjectInfo | undefined {
    const k = this.d.locOf(fc, unparen(expr));
    return k && this.d.u.has(k) ? this.info(this.d.u.id(k)) : undefined;
  }

  /** The object returned as result `i` of `fn` (undefined when the model did not track it). */
  resultOf(fn: FuncNode, i: number): ObjectInfo | undefined {
    const k = `r:${fn.key}#${i}`;
    return this.d.u.has(k) ? this.info(this.d.u.id(k)) : undefined;
  }

  /** The object of class `id`. */
  info(id: number): ObjectInfo {
    const c = this.d.u.find(id);
    const x = this.d.u.get(c);
    const o: ObjectInfo = { id: c, keys: x.keys, allocs: x.allocs, std: x.std, nilAssigned: x.nilAssigned };
    if (x.kind) o.kind = x.kind;
    if (x.escape) o.escape = x.escape;
    if (x.unknownSource) o.unknownSource = x.unknownSource;
    return o;
  }

  /**
   * True when the model sees every use of the object: it does not escape and nothing of
   * unknown origin flows in. Rules that conclude from an absence ("nothing sends") must
   * require it.
   */
  known(o: ObjectInfo): boolean {
    return !o.escape && !o.unknownSource;
  }

  /**
   * The collections (slices, maps, arrays, channels) whose elements may be the object:
   * `s.subs[id] = ch` makes the map class of field `subs` a container of the class of
   * `ch`. Built once, on first use.
   */
  containersOf(o: ObjectInfo): ObjectInfo[] {
    if (!this.containers) {
      this.containers = new Map();
      for (const c of this.d.u.classes()) {
        const e = this.d.u.get(c).elem;
        if (e !== undefined) push(this.containers, this.d.u.find(e), c);
      }
    }
    return (this.containers.get(this.d.u.find(o.id)) ?? []).map((c) => this.info(c));
  }

  private containers?: Map<number, number[]>;

  /** Operations on the object, optionally only of the given kinds. */
  opsOn(o: ObjectInfo | number, kinds?: OpKind[]): Op[] {
    const id = this.d.u.find(typeof o === 'number' ? o : o.id);
    const all = this.opsByClass.get(id) ?? [];
    return kinds ? all.filter((op) => kinds.includes(op.kind)) : all;
  }

  /** Operations written in function `fn` itself. */
  opsIn(fn: FuncNode): Op[] {
    return this.opsByFunc.get(fn) ?? [];
  }

  private callers: Map<FuncNode, CallSite[]> | undefined;

  /** The call sites (calls, go, defer, callbacks) that may run `fn`. */
  callersOf(fn: FuncNode): CallSite[] {
    if (!this.callers) {
      this.callers = new Map();
      const calls = this.d.calls;
      for (let i = 0; i < calls.length; i++) {
        const cs = calls[i] as CallSite;
        for (let j = 0; j < cs.targets.length; j++) push(this.callers, cs.targets[j] as FuncNode, cs);
      }
    }
    return this.callers.get(fn) ?? [];
  }

  private called: Set<FuncNode> | undefined;

  /**
   * True when `fn` can never run: a function literal whose value the model follows
   * completely (it does not escape, nothing of unknown origin is mixed in) and that no
   * call site, `go`, `defer` or library callback runs — e.g. a stop closure returned by
   * a constructor and dropped by every caller. Declarations are never dead here (other
   * packages, reflection and tests may call them).
   */
  isDead(fn: FuncNode): boolean {
    if (fn.node.type !== 'func_literal') return false;
    if (!this.called) {
      this.called = new Set();
      const calls = this.d.calls;
      for (let i = 0; i < calls.length; i++) {
        const ts = (calls[i] as CallSite).targets;
        for (let j = 0; j < ts.length; j++) this.called.add(ts[j] as FuncNode);
      }
    }
    if (this.called.has(fn)) return false;
    const fv = `fv:${fn.key}`;
    if (!this.d.u.has(fv)) return false; // never seen as a value: used where the model does not look
    const c = this.d.u.get(fv);
    return !c.escape && !c.unknownSource;
  }

  /**
   * "Can anything wake a receiver of this channel?": `true` when the program sends on or
   * closes it in code that may run (or the runtime does: timers, context Done,
   * signal.Notify), `false` when nothing does and the model sees every use, `undefined`
   * when it does not know. Operations in functions that can never run ({@link isDead})
   * do not count.
   */
  mayBeWoken(o: ObjectInfo): boolean | undefined {
    if (o.std.size > 0) return true;
    if (this.opsOn(o, ['send', 'close']).some((op) => !this.isDead(op.fn))) return true;
    return this.known(o) ? false : undefined;
  }

  /** "Is the channel ever closed (by code that may run)?": true / false (model sees every use) / undefined (does not know). */
  mayBeClosed(o: ObjectInfo): boolean | undefined {
    if (o.std.has('context-done')) return true;
    if (this.opsOn(o, ['close']).some((op) => !this.isDead(op.fn))) return true;
    return this.known(o) ? false : undefined;
  }

  /**
   * True when the object is a channel no code ever gives a value: no allocation, no value
   * of unknown origin, nothing assigned but `nil` — every operation on it blocks forever.
   */
  alwaysNil(o: ObjectInfo): boolean {
    return o.kind === 'chan' && o.allocs.length === 0 && o.std.size === 0 && this.known(o) && o.keys.some((k) => k.startsWith('f:') || k.startsWith('g:'));
  }

  /**
   * True when the function, used as a value (a method value, a function passed or
   * stored), may reach code the model does not see, which may then call it at any time.
   */
  valueEscapes(fn: FuncNode): boolean {
    const fv = `fv:${fn.key}`;
    return this.d.u.has(fv) && !!this.d.u.get(fv).escape;
  }

  /** Every goroutine start of the package. */
  goroutines(): Goroutine[] {
    return this.d.goroutines;
  }

  /** The goroutine started at a `go` statement or starter call. */
  goroutineAt(site: Node): Goroutine | undefined {
    return this.d.goroutines.find((g) => g.site === site);
  }

  /** The functions a goroutine may run (its targets and what they call on the same goroutine). */
  goroutineFuncs(g: Goroutine): Set<FuncNode> {
    const have = this.gFuncs.get(g);
    if (have) return have;
    const out = new Set<FuncNode>();
    for (const t of g.targets) for (const f of this.reachable(t)) out.add(f);
    this.gFuncs.set(g, out);
    return out;
  }

  private readonly gFuncs = new Map<Goroutine, Set<FuncNode>>();

  /** What a goroutine may do: the operations of every function it may run. */
  goroutineOps(g: Goroutine, kinds?: OpKind[]): Op[] {
    const out: Op[] = [];
    for (const f of this.goroutineFuncs(g)) for (const op of this.opsIn(f)) if (!kinds || kinds.includes(op.kind)) out.push(op);
    return out;
  }

  /** Goroutines that may do one of `kinds` on the object. */
  goroutinesDoing(o: ObjectInfo, kinds: OpKind[]): Goroutine[] {
    const id = this.d.u.find(o.id);
    return this.d.goroutines.filter((g) => this.goroutineOps(g, kinds).some((op) => this.d.u.find(op.cls) === id));
  }

  /**
   * Operations of `kinds` on the object that may run after `node` in `fn`: later in `fn`
   * itself (CFG order), in the functions called after it, and in any goroutine of the
   * package (which may run at any time). Answers "does anything unlock this lock / call
   * Done / Signal / cancel after this point?".
   */
  opsAfter(fn: FuncNode, node: Node, o: ObjectInfo, kinds: OpKind[]): Op[] {
    const id = this.d.u.find(o.id);
    const mine = (op: Op): boolean => this.d.u.find(op.cls) === id && kinds.includes(op.kind);
    const out: Op[] = [];
    const g = fn.fc.cfg(fn.node);
    const from = g ? cfgNodeOf(g, node) : undefined;
    const after = g && from ? blocksAfter(g.where, from) : undefined;
    const inAfter = (n: Node): boolean => {
      if (!g || !after) return true;
      const s = cfgNodeOf(g, n);
      const loc = s ? g.where.get(s) : undefined;
      if (!loc) return true;
      const fl = g.where.get(from as Node);
      if (fl && loc.block === fl.block) return loc.index > fl.index || after.blocks.has(loc.block);
      return after.blocks.has(loc.block);
    };
    for (const op of this.opsIn(fn)) if (mine(op) && op.node !== node && inAfter(op.node)) out.push(op);
    for (const cs of this.callsFrom(fn)) {
      if (!inAfter(cs.call) && cs.mode !== 'defer') continue;
      for (const t of cs.targets) for (const f of this.reachable(t)) for (const op of this.opsIn(f)) if (mine(op)) out.push(op);
    }
    for (const gr of this.d.goroutines) for (const op of this.goroutineOps(gr)) if (mine(op) && !out.includes(op)) out.push(op);
    return out;
  }

  /**
   * Locks `fn` may hold when it reaches `node`: lock operations in `fn` from which some
   * CFG path reaches `node` without an unlock of the same object. Deferred unlocks run at
   * return, so they do not release before `node`. Answers "what does this goroutine hold
   * when it blocks here?" for locks taken in the same function.
   */
  heldAt(fn: FuncNode, node: Node): Op[] {
    const g = fn.fc.cfg(fn.node);
    if (!g) return [];
    const target = cfgNodeOf(g, node);
    if (!target) return [];
    const ops = this.opsIn(fn);
    const out: Op[] = [];
    for (const l of ops) {
      if (l.kind !== 'lock' && l.kind !== 'rlock') continue;
      const rel = l.kind === 'lock' ? 'unlock' : 'runlock';
      const ls = cfgNodeOf(g, l.node);
      if (!ls || ls === target) continue;
      const cls = this.d.u.find(l.cls);
      const releases = new Set<Node>();
      for (const u of ops) {
        if (u.kind !== rel || this.d.u.find(u.cls) !== cls) continue;
        if (inDeferOrGo(u.node, fn.node)) continue;
        const s = cfgNodeOf(g, u.node);
        if (s) releases.add(s);
      }
      if (pathAvoiding(g.where, ls, target, releases)) out.push(l);
    }
    return out;
  }

  /**
   * Goroutines that may be alive while `g` runs: every other goroutine of the package,
   * and `g` itself when more than one may run. (No happens-before ordering yet: a
   * goroutine joined before `g` starts is still listed.)
   */
  aliveWith(g: Goroutine): Goroutine[] {
    return this.d.goroutines.filter((x) => x !== g || g.multiplicity !== 'one');
  }

  /** The context tree edges (child contexts made by context.WithCancel & co.). */
  contexts(): ContextEdge[] {
    return this.d.contexts;
  }

  /**
   * Per-function effects as plain data, keyed by function key: the operations on
   * locations visible outside one function (struct fields and package variables), the
   * functions it calls, and the goroutines it starts. The shape of a go/analysis fact,
   * for combining packages.
   */
  summary(): Record<string, { ops: Array<{ kind: OpKind; loc: string }>; calls: string[]; starts: string[] }> {
    const out: Record<string, { ops: Array<{ kind: OpKind; loc: string }>; calls: string[]; starts: string[] }> = {};
    for (const fn of this.d.funcs.values()) {
      const ops: Array<{ kind: OpKind; loc: string }> = [];
      for (const op of this.opsIn(fn)) {
        for (const k of this.info(op.cls).keys) if (k.startsWith('f:') || k.startsWith('g:')) ops.push({ kind: op.kind, loc: k });
      }
      const calls: string[] = [];
      const starts: string[] = [];
      for (const cs of this.callsFrom(fn)) for (const t of cs.targets) (cs.mode === 'go' || cs.mode === 'callback-go' ? starts : calls).push(t.key);
      out[fn.key] = { ops, calls, starts };
    }
    return out;
  }
}

/** Access path of an expression inside one function, k-limited (`s.a.b.c` → root `s`, fields `[a, b]` at k = 3). */
export interface AccessPath {
  /** The root local variable's declaring identifier, or the package variable's name. */
  root: Node | string;
  fields: string[];
  /** Some index expression was crossed (`s.subs[k].mu`): many instances. */
  indexed: boolean;
}

/**
 * The k-limited access path (k = 3) of `expr` in `fc`, for telling instances apart
 * inside one function (`a.mu` and `b.mu` are two mutexes when `a` and `b` are two
 * locals). Undefined for expressions not rooted at a variable.
 */
export function accessPath(fc: FuncCtx, expr: Node): AccessPath | undefined {
  const fields: string[] = [];
  let indexed = false;
  let e = unparen(expr);
  for (let i = 0; i < 8; i++) {
    if (e.type === 'selector_expression') {
      const fl = e.children.find((c) => c.field === 'field');
      const op = e.children.find((c) => c.field === 'operand');
      if (!fl || !op) return undefined;
      fields.unshift(fc.text(fl));
      e = unparen(op);
    } else if (e.type === 'index_expression') {
      indexed = true;
      const op = e.children.find((c) => c.field === 'operand');
      if (!op) return undefined;
      e = unparen(op);
    } else if (e.type === 'unary_expression' && (fc.text(e).startsWith('&') || fc.text(e).startsWith('*'))) {
      const op = e.children.find((c) => c.field === 'operand');
      if (!op) return undefined;
      e = unparen(op);
    } else break;
  }
  if (e.type !== 'identifier') return undefined;
  const v = fc.res.localOf(e);
  const root = v ? v.ident : fc.text(e);
  return { root, fields: fields.slice(0, 3), indexed };
}

/**
 * The program model of the package (built once per package, on first use).
 *
 * Debug aid: with `LEAKSCOPE_MODEL_SNAPSHOT_DIR` set, each package's {@link modelSnapshot}
 * is written to a file of its own in that directory (named after the import path), so two
 * builds of the model can be compared with `diff -r` (a change meant to make the model
 * cheaper must not change a line).
 */
export function programModel(facts: PackageFacts): ProgramModel {
  return facts.memo('program-model', () => {
    const d = new ModelData(facts);
    d.build();
    const m = new ProgramModel(d);
    const dir = process.env.LEAKSCOPE_MODEL_SNAPSHOT_DIR;
    if (dir) writeSnapshot(dir, facts.pkg.importPath, m);
    return m;
  });
}

function writeSnapshot(dir: string, importPath: string, m: ProgramModel): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${importPath.replace(/[^\w.-]/g, '_')}.txt`), modelSnapshot(m).join('\n') + '\n');
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function blocksAfter(where: Map<Node, { block: Block; index: number }>, from: Node): { blocks: Set<Block> } {
  const loc = where.get(from);
  const blocks = new Set<Block>();
  if (!loc) return { blocks };
  const stack = [...loc.block.succs];
  while (stack.length > 0) {
    const b = stack.pop() as Block;
    if (blocks.has(b)) continue;
    blocks.add(b);
    stack.push(...b.succs);
  }
  return { blocks };
}

function pathAvoiding(where: Map<Node, { block: Block; index: number }>, from: Node, to: Node, barrier: Set<Node>): boolean {
  const lf = where.get(from);
  const lt = where.get(to);
  if (!lf || !lt) return false;
  const scan = (b: Block, start: number): 'found' | 'blocked' | 'through' => {
    for (let i = start; i < b.nodes.length; i++) {
      const n = b.nodes[i] as Node;
      if (n === to) return 'found';
      if (barrier.has(n)) return 'blocked';
    }
    return 'through';
  };
  const first = scan(lf.block, lf.index + 1);
  if (first === 'found') return true;
  if (first === 'blocked') return false;
  const seen = new Set<Block>();
  const stack = [...lf.block.succs];
  while (stack.length > 0) {
    const b = stack.pop() as Block;
    if (seen.has(b)) continue;
    seen.add(b);
    const r = scan(b, 0);
    if (r === 'found') return true;
    if (r === 'through') stack.push(...b.succs);
  }
  return false;
}

function inDeferOrGo(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'defer_statement' || p.type === 'go_statement' || p.type === 'func_literal') return true;
  return false;
}
