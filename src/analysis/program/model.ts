/**
 * @fileoverview Builds the program model of one package: its functions (declarations and
 * literals), the call graph, the points-to classes of its concurrency objects and
 * function values, every operation on them, and its goroutines. See index.ts for the
 * overview and the query API.
 */
import type { LocalVar } from '../../go/resolve.js';
import type { SourceFile } from '../../go/source.js';
import { childOfType, exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { deref, funcOf, lookupField, underlying, type MethodInfo, type Type } from '../../go/types.js';
import { implementations } from '../ifaces.js';
import type { FuncCtx, PackageFacts } from '../pass.js';
import { runCount } from '../values.js';
import { WordIndex } from '../words.js';
import {
  CALLBACKS,
  CALLS_STRINGER,
  CHAN_ARG_HARMLESS,
  CHAN_ARG_SENDERS,
  CHAN_RESULTS,
  CONTEXT_CTORS,
  METHOD_OPS,
  TIMER_CTORS,
  carriesObjects,
  objKindOf,
  type CallbackModel,
  type ObjKind,
  type OpKind,
} from './stdlib.js';
import { Unifier } from './unify.js';

/** A function of the package: a declaration, or a function literal inside one. */
export interface FuncNode {
  /** Stable key: `pkg.Name`, `pkg.Type.Method`, or `pkg.Outer$lit@file:offset` for a literal. */
  key: string;
  /** The FuncCtx of the enclosing top-level declaration (resolution, CFGs). */
  fc: FuncCtx;
  /** function_declaration, method_declaration or func_literal (or var_declaration for package-level literals' holder). */
  node: Node;
  /** Name for messages (`worker`, `T.run`, `the function literal at line 12 in f`). */
  name: string;
  /**
   * True for a declaration the model did not scan because nothing in it touches a
   * concurrency object, a function value or a function that does (its calls have no
   * effect the model tracks). Its `fc` is created on first access.
   */
  opaque?: boolean;
}

/** How a call edge was found. */
export type EdgeKind = 'static' | 'method' | 'interface' | 'value' | 'literal' | 'callback' | 'stringer';

/** One call site and the functions of the package it may run. */
export interface CallSite {
  /** The call expression. */
  call: Node;
  /** The calling function. */
  from: FuncNode;
  kind: EdgeKind;
  targets: FuncNode[];
  /**
   * True when `targets` are all the call may run. False for calls through interfaces
   * (other packages may implement them), through function values of unknown origin, and
   * for calls into other packages.
   */
  complete: boolean;
  /** `go` or `defer` when the call is the operand of one; `callback-go` / `callback-later` for library functions that run it on another goroutine or later. */
  mode: 'call' | 'go' | 'defer' | 'callback-go' | 'callback-later';
  /** Full name of a standard-library callee (`time.AfterFunc`), if any. */
  stdName?: string;
}

/** One operation on a concurrency object. */
export interface Op {
  kind: OpKind;
  /** Send statement, receive expression, range clause, call expression. */
  node: Node;
  /** The expression denoting the object (`s.done`, `ch`, `mu`). */
  expr: Node;
  fn: FuncNode;
  /** Class id of the object. */
  cls: number;
  /** For channel ops: in a select that has another case or a default (it may not happen). */
  guarded: boolean;
  /** The select statement, when the op is a select case's communication. */
  select?: Node;
}

/** A goroutine start: a `go` statement or a standard-library starter (`time.AfterFunc`, `errgroup.Go`, an http handler). */
export interface Goroutine {
  /** The go statement, or the starter's call expression. */
  site: Node;
  /** The function holding the start. */
  from: FuncNode;
  /** What it runs (empty when unknown). */
  targets: FuncNode[];
  /** True when `targets` is all it may run. */
  complete: boolean;
  /** How many may run per run of `from`: one, a known number (a loop with a known trip count), or many. */
  multiplicity: 'one' | 'bounded' | 'many';
  /** For `bounded`: how many. */
  count?: number;
  /** `go`, or the standard-library starter's name. */
  starter: string;
}

/** The context tree: a child made by context.WithCancel & co. from a parent. */
export interface ContextEdge {
  call: Node;
  fn: FuncNode;
  /** Class of the child context. */
  ctx: number;
  /** Class of the parent context (undefined when not a tracked expression). */
  parent?: number;
  /** Class of the cancel function, when the constructor returns one. */
  cancel?: number;
  /** Done is also closed at a deadline. */
  deadline: boolean;
}

/**
 * The target list of a call site with no target (most calls: into other packages), shared;
 * frozen so that a push into it fails loudly rather than adding a target to every such site.
 */
const NO_TARGETS = Object.freeze([]) as unknown as FuncNode[];

const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** A scanned function; its name (line numbers, the declaration's name) is only read for messages, so it is made on first read. */
class ScannedFunc implements FuncNode {
  private nm: string | undefined;
  constructor(
    readonly key: string,
    readonly fc: FuncCtx,
    readonly node: Node,
  ) {}
  get name(): string {
    return (this.nm ??= this.fc.nameOf(this.node));
  }
}

/**
 * A declaration the model does not scan; its FuncCtx is made on first access. A class
 * rather than an object literal with a `get fc()`: the literal made a getter closure and
 * its context per declaration (registerOpaque was 13 MB sampled on the standard library).
 */
class OpaqueFunc implements FuncNode {
  readonly opaque = true;
  private ctx: FuncCtx | undefined;
  constructor(
    readonly key: string,
    readonly node: Node,
    readonly name: string,
    private readonly facts: PackageFacts,
    private readonly file: SourceFile,
  ) {}
  get fc(): FuncCtx {
    return (this.ctx ??= this.facts.funcCtx(this.node, this.file));
  }
}

/** The builder and holder of one package's model (use {@link programModel} in index.ts). */
export class ModelData {
  readonly u = new Unifier();
  readonly funcs = new Map<Node, FuncNode>();
  /** The functions of {@link funcs} that are scanned (not opaque), in the order of `funcs`. */
  private readonly scanned: FuncNode[] = [];
  readonly byKey = new Map<string, FuncNode>();
  readonly calls: CallSite[] = [];
  readonly callsFrom = new Map<FuncNode, CallSite[]>();
  readonly callAt = new Map<Node, CallSite>();
  readonly ops: Op[] = [];
  readonly goroutines: Goroutine[] = [];
  readonly contexts: ContextEdge[] = [];
  /** Method values and function references not called where they appear (`go s.run`, `cb := s.onEvent`). */
  readonly funcRefs = new Map<Node, FuncNode>();
  private opLocs: Array<{ op: Omit<Op, 'cls'>; key: string }> = [];
  private pendingValueCalls: Array<{ call: Node; from: FuncNode; key: string; mode: CallSite['mode'] }> = [];
  private fresh = 0;
  readonly isMain: boolean;
  readonly pkgPath: string;
  /**
   * Declarations the model does not scan (nothing in their text touches a concurrency
   * object or a function that does, see {@link relevantDecls}): calls to them are calls
   * of unknown code — arguments escape, results are of unknown origin.
   */
  readonly opaque = new Set<Node>();

  constructor(readonly facts: PackageFacts) {
    this.pkgPath = facts.pkg.importPath;
    this.isMain = facts.pkg.name === 'main';
  }

  /** Builds everything (called once per package). */
  build(): void {
    const fcs: FuncCtx[] = [];
    const relevant = relevantDecls(this.facts.pkg);
    for (const { decl, file } of this.facts.pkg.funcDecls) {
      if (!decl.children.some((c) => c.field === 'body')) continue;
      if (!relevant.has(decl)) {
        this.opaque.add(decl);
        this.registerOpaque(decl, file);
        continue;
      }
      fcs.push(this.facts.funcCtx(decl, file));
    }
    for (const { decl, file } of this.facts.pkg.varDecls) if (relevant.has(decl)) fcs.push(this.facts.funcCtx(decl, file));
    for (const fc of fcs) this.registerFuncs(fc);
    for (const fc of fcs) this.scan(fc);
    this.scanStack.length = 0;
    this.resolveValueCalls();
    this.markUncalledParams();
    this.markUnresolvedFieldOps();
    for (const { op, key } of this.opLocs) {
      // Field order as `{ ...op, cls }` had it (one shape per variant).
      const cls = this.u.id(key);
      this.ops.push(op.select ? { kind: op.kind, node: op.node, expr: op.expr, fn: op.fn, guarded: op.guarded, select: op.select, cls } : { kind: op.kind, node: op.node, expr: op.expr, fn: op.fn, guarded: op.guarded, cls });
    }
    this.opLocs = [];
  }

  private registerFuncs(fc: FuncCtx): void {
    const declKey = fc.decl.type === 'var_declaration' ? `${this.pkgPath}.var@${fc.file.path}:${fc.decl.start}` : `${this.pkgPath}.${fc.name}`;
    for (const fn of fc.res.funcs) {
      if (fc.decl.type === 'var_declaration' && fn === fc.decl) continue;
      const key = fn === fc.decl ? declKey : `${declKey}$lit@${baseName(fc.file)}:${fn.start}`;
      const node = new ScannedFunc(key, fc, fn);
      this.funcs.set(fn, node);
      this.scanned.push(node);
      this.byKey.set(key, node);
    }
  }

  private registerOpaque(decl: Node, file: SourceFile): void {
    const name = declName(decl, file);
    const key = `${this.pkgPath}.${name}`;
    const node = new OpaqueFunc(key, decl, name, this.facts, file);
    this.funcs.set(decl, node);
    this.byKey.set(key, node);
  }

  /** The FuncNode of a declaration or literal node. */
  funcOfNode(n: Node): FuncNode | undefined {
    return this.funcs.get(n);
  }

  private enclosing(fc: FuncCtx, n: Node): FuncNode | undefined {
    for (let p: Node | null = n.parent; p; p = p.parent) {
      const t = p.type; // FUNC_TYPES, spelt out: asked for every call, operation and return
      if (t === 'func_literal' || t === 'function_declaration' || t === 'method_declaration') return this.funcs.get(p);
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------
  // Locations
  // ---------------------------------------------------------------------------

  /** Location key of a local variable. */
  localKey(fc: FuncCtx, v: LocalVar): string {
    // One string per variable (a local belongs to one file, so the variable object alone
    // identifies the key): asked for every flow through it.
    let k = this.localKeys.get(v);
    if (k === undefined) this.localKeys.set(v, (k = `v:${fc.file.path}:${v.ident.start}`));
    return k;
  }

  private readonly localKeys = new Map<LocalVar, string>();

  /** `funcSignature` of a function node of `fc`'s declaration, once per node (every return statement asks). */
  private signature(fc: FuncCtx, fn: Node): Type {
    let t = this.signatures.get(fn);
    if (!t) this.signatures.set(fn, (t = fc.facts.pkg.funcSignature(fn, fc.file)));
    return t;
  }

  private readonly signatures = new Map<Node, Type>();

  /** Whether each local's type is tracked (see {@link tracked}): asked at every use of the variable. */
  private readonly trackedVars = new Map<LocalVar, boolean>();

  /** {@link paramVarsOf}, once per function node (asked at each call site bound to it). */
  private params(fc: FuncCtx, fn: Node): Array<LocalVar | undefined> {
    let ps = this.paramsOf.get(fn);
    if (!ps) this.paramsOf.set(fn, (ps = paramVarsOf(fc, fn)));
    return ps;
  }

  private readonly paramsOf = new Map<Node, Array<LocalVar | undefined>>();

  private freshKey(why: string): string {
    return `x:${why}:${this.fresh++}`;
  }

  /**
   * The field key of selector `x.f` when `f` is a struct field: `f:pkg.T.f` with T the
   * named type that declares it (through embedded fields), or undefined.
   */
  fieldKey(fc: FuncCtx, sel: Node): string | undefined {
    // Memoised by node: it depends on the selector's operand type only (itself memoised by
    // the resolver), and locOf asks for the same selector several times per flow.
    const have = this.fieldKeys.get(sel);
    if (have !== undefined) return have === null ? undefined : have;
    const k = this.computeFieldKey(fc, sel);
    this.fieldKeys.set(sel, k ?? null);
    return k;
  }

  private readonly fieldKeys = new Map<Node, string | null>();

  private computeFieldKey(fc: FuncCtx, sel: Node): string | undefined {
    const op = field(sel, 'operand');
    const fl = field(sel, 'field');
    if (!op || !fl) return undefined;
    if (fc.res.importOf(op)) return undefined;
    const name = fc.text(fl);
    const owner = declaringType(fc.res.typeOf(op), name);
    return owner ? `f:${owner}.${name}` : undefined;
  }

  /**
   * The location of expression `e` when it denotes a place or value the model tracks;
   * undefined when it does not (then flows into tracked places count as unknown).
   */
  locOf(fc: FuncCtx, e0: Node, from?: FuncNode): string | undefined {
    const e = unparen(e0);
    switch (e.type) {
      case 'identifier': {
        const v = fc.res.localOf(e);
        if (v) return this.localKey(fc, v);
        const o = fc.res.pkgObjOf(e);
        if (o?.kind === 'var' && o.pkg === this.facts.pkg) {
          // One string per package variable (asked at each use, then hashed by the Unifier).
          let k = this.pkgVarKeys.get(o);
          if (k === undefined) this.pkgVarKeys.set(o, (k = `g:${this.pkgPath}.${o.name}`));
          if (!this.u.has(k) && !this.isMain && /^[A-Z]/.test(o.name)) {
            const d = this.u.get(k);
            d.escape = d.unknownSource = 'an exported package variable';
          }
          return k;
        }
        if (o?.kind === 'func' && o.pkg === this.facts.pkg) {
          const fnode = this.funcs.get(o.node);
          if (fnode) return this.funcValue(fnode, e);
        }
        return undefined;
      }
      case 'selector_expression': {
        const fk = this.fieldKey(fc, e);
        if (fk) {
          this.noteField(fc, e, fk);
          return fk;
        }
        // A method value `s.run` (not called here).
        const m = this.methodValue(fc, e);
        if (m) return this.funcValue(m, e);
        const op = field(e, 'operand');
        const fl = field(e, 'field');
        const ip = op ? fc.res.importOf(op) : undefined;
        if (ip && fl) {
          const k = `g:${ip}.${fc.text(fl)}`;
          if (!this.u.has(k)) {
            const d = this.u.get(k);
            d.escape = d.unknownSource = 'a variable of another package';
          }
          return k;
        }
        return undefined;
      }
      case 'index_expression': {
        const op = field(e, 'operand');
        const base = op ? this.locOf(fc, op, from) : undefined;
        if (!base) return undefined;
        return this.elemKey(base);
      }
      case 'unary_expression': {
        const opr = field(e, 'operator');
        const x = field(e, 'operand');
        if (!opr || !x) return undefined;
        const o = fc.text(opr);
        if (o === '&' || o === '*') return this.locOf(fc, x, from);
        if (o === '<-') {
          const c = this.locOf(fc, x, from);
          return c ? this.elemKey(c) : undefined;
        }
        return undefined;
      }
      case 'func_literal': {
        const fnode = this.funcs.get(e);
        return fnode ? this.funcValue(fnode, e) : undefined;
      }
      case 'call_expression':
        return this.callResultKey(fc, e, 0);
      case 'composite_literal':
        return this.compositeKey(fc, e);
      case 'type_assertion_expression':
        return undefined;
      default:
        return undefined;
    }
  }

  private readonly pkgVarKeys = new Map<object, string>();

  private elemKey(base: string): string {
    const e = this.u.elem(this.u.id(base));
    return this.u.get(e).keys[0] as string;
  }

  private funcValue(fnode: FuncNode, at: Node): string {
    let k = this.funcValueKeys.get(fnode);
    if (k === undefined) this.funcValueKeys.set(fnode, (k = `fv:${fnode.key}`));
    this.u.get(k).funcs.add(fnode.key);
    this.funcRefs.set(at, fnode);
    return k;
  }

  private readonly funcValueKeys = new Map<FuncNode, string>();

  private methodValue(fc: FuncCtx, sel: Node): FuncNode | undefined {
    const op = field(sel, 'operand');
    const fl = field(sel, 'field');
    if (!op || !fl) return undefined;
    const t = fc.res.typeOf(op);
    const m = this.methodDecl(t, fc.text(fl));
    return m;
  }

  private methodDecl(t: Type, name: string): FuncNode | undefined {
    const d = deref(t);
    if (d.kind !== 'named' || d.pkg !== this.pkgPath) return undefined;
    const m = d.ref?.method(name);
    return m?.decl ? this.funcs.get(m.decl) : undefined;
  }

  private exportedField(key: string): boolean {
    // f:pkg.T.f — exported type and exported field are reachable from other packages.
    const rest = key.slice(2 + this.pkgPath.length + 1);
    const [t, f] = rest.split('.');
    return !!t && !!f && /^[A-Z]/.test(t) && /^[A-Z]/.test(f);
  }

  private noteField(_fc: FuncCtx, _sel: Node, key: string): void {
    if (this.u.has(key)) return;
    const d = this.u.get(key);
    if (!key.startsWith(`f:${this.pkgPath}.`)) {
      // A field of another package's type: its package uses it where the model does not
      // look — except the channel of a time.Timer / time.Ticker, which the runtime sends on.
      if (key === 'f:time.Timer.C' || key === 'f:time.Ticker.C') d.std.add('timer');
      else if (key === 'f:sync.Cond.L') {
        // Set by sync.NewCond(l) (see callResultKey); the Locker is the program's own.
      } else {
        d.escape ??= 'a field of another package';
        d.unknownSource ??= 'a field of another package';
      }
      return;
    }
    if (!this.isMain && this.exportedField(key)) {
      d.escape ??= 'an exported field of an exported type';
      d.unknownSource ??= 'an exported field of an exported type';
    }
  }

  private compositeKey(fc: FuncCtx, lit: Node): string | undefined {
    const t = fc.res.typeOf(lit);
    if (!carriesObjects(t)) return undefined;
    const k = `a:${fc.file.path}:${lit.start}`;
    const d = this.u.get(k);
    if (d.allocs.length === 0) d.allocs.push(lit);
    return k;
  }

  // ---------------------------------------------------------------------------
  // Flows
  // ---------------------------------------------------------------------------

  /** `dst = src`: unify when both are tracked; an untracked source makes the destination's origin unknown, an untracked destination makes the source escape. */
  private flow(fc: FuncCtx, dst: string | undefined, src: Node | undefined, srcKey?: string, why = 'assigned to a place the model does not follow', srcTracked?: boolean): void {
    // A source whose static type the model does not track (unknown: a result of another
    // package's code) had its definition skipped: its origin is unknown.
    // `srcTracked`: the caller's own `tracked(fc, src)`, when it asked already (saves asking
    // the type of the same expression two or three times per flow).
    const sk = srcKey ?? (src && (srcTracked ?? this.tracked(fc, src)) ? this.locOf(fc, src) : undefined);
    const sn = src ? unparen(src) : undefined;
    const isNil = !!sn && (sn.type === 'nil' || (sn.type === 'identifier' && textIs(fc, sn, 'nil') && !fc.res.localOf(sn)));
    if (dst && isNil) {
      this.u.get(dst).nilAssigned = true;
      return;
    }
    if (dst && sk) {
      this.u.union(this.u.id(dst), this.u.id(sk));
      return;
    }
    if (dst && !sk) {
      // A value the model cannot place (a result of another package's code whose type is
      // not even known, a type assertion...): of unknown origin.
      this.u.get(dst).unknownSource ??= src ? `a value of ${fc.text(src).slice(0, 40)}` : 'a result of code the model does not see';
      return;
    }
    if (!dst && sk) this.u.get(sk).escape ??= why;
  }

  private tracked(fc: FuncCtx, e: Node): boolean {
    if (untrackedSyntax(e)) return false;
    if (e.type === 'identifier') {
      // A local's type is its variable's (the resolver's typeOf of the identifier is
      // varType of its local): decided once per variable, not once per use.
      const v = fc.res.localOf(e);
      if (v) return this.trackedVar(fc, v);
    }
    return trackedType(fc.res.typeOf(e));
  }

  /** {@link trackedType} of local `v` of `fc` (its resolver's varType), once per variable. */
  private trackedVar(fc: FuncCtx, v: LocalVar): boolean {
    let b = this.trackedVars.get(v);
    if (b === undefined) this.trackedVars.set(v, (b = trackedType(fc.res.varType(v))));
    return b;
  }

  /**
   * A tracked value stored where the static type does not carry objects (an interface
   * such as `any`, an unknown type): the model stops following it, so it escapes.
   */
  private escapeInto(fc: FuncCtx, dstType: Type, src: Node, why: string, srcTracked?: boolean): boolean {
    if (carriesObjects(dstType) || funcOf(dstType)) return false;
    if (!(srcTracked ?? this.tracked(fc, src))) return false;
    const k = this.locOf(fc, src);
    if (k) this.u.get(k).escape ??= why;
    return true;
  }

  // ---------------------------------------------------------------------------
  // Scanning
  // ---------------------------------------------------------------------------

  private readonly scanStack: Node[] = [];

  private scan(fc: FuncCtx): void {
    const root = fc.decl;
    const top = this.funcs.get(root);
    // Parameters of exported functions of library packages take values from other packages.
    if (top && !this.isMain && isExportedFunc(fc)) {
      for (const p of this.params(fc, root)) {
        if (!p) continue;
        const t = fc.res.varType(p);
        if (carriesObjects(t) || funcOf(t)) this.u.get(this.localKey(fc, p)).unknownSource ??= 'a parameter of an exported function';
      }
    }
    // Pre-order, as syntax.walk, but leaves are not visited: no node the switch below acts
    // on is a leaf except a bare `return`, which flows nothing; identifiers, literals and
    // tokens are about half of all nodes.
    // One stack for every declaration of the package (scan is not re-entered): a new
    // array per declaration, grown as deep as its body, was 19 MB sampled on the stdlib.
    const stack = this.scanStack;
    stack[0] = root;
    let sp = 1;
    while (sp > 0) {
      const n = stack[--sp] as Node;
      const kids = n.children;
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i] as Node;
        if (k.children.length > 0) stack[sp++] = k;
      }
      switch (n.type) {
        case 'call_expression':
          this.scanCall(fc, n);
          break;
        case 'send_statement':
          this.scanSend(fc, n);
          break;
        case 'unary_expression':
          if (n.children[0]?.type === '<-') this.scanRecv(fc, n);
          break;
        case 'range_clause':
          this.scanRange(fc, n);
          break;
        case 'assignment_statement':
        case 'short_var_declaration':
          this.scanAssign(fc, n, field(n, 'left'), field(n, 'right'));
          break;
        case 'receive_statement':
          // `case v := <-ch:` / `case v, ok = <-ch:` in a select defines or assigns like `v := <-ch`.
          if (field(n, 'left')) this.scanAssign(fc, n, field(n, 'left'), field(n, 'right'));
          break;
        case 'var_spec':
          this.scanVarSpec(fc, n);
          break;
        case 'composite_literal':
          this.scanComposite(fc, n);
          break;
        case 'return_statement':
          this.scanReturn(fc, n);
          break;
        case 'selector_expression':
          // Method values used as values are found by locOf when they flow; a bare
          // `go s.run()` is a call. Nothing to do here.
          break;
        default:
          break;
      }
    }
  }

  /**
   * For a promoted method of an embedded sync value (`s.Lock()` with `sync.Mutex` embedded
   * in S), the key of the embedded field (`f:pkg.S.Mutex`); undefined otherwise.
   */
  private embeddedKey(fc: FuncCtx, recv: Node, pkg: string, typ: string): string | undefined {
    const t = deref(fc.res.typeOf(recv));
    if (t.kind === 'named' && t.pkg === pkg && t.name === typ) return undefined;
    const owner = declaringType(t, typ);
    return owner ? `f:${owner}.${typ}` : undefined;
  }

  private addOp(fc: FuncCtx, kind: OpKind, node: Node, expr: Node, keyOverride?: string, objKind?: ObjKind): void {
    const fn = this.enclosing(fc, node) ?? this.funcs.get(fc.decl);
    if (!fn) return;
    let key = keyOverride ?? this.locOf(fc, expr, fn);
    if (kind === 'send' || kind === 'close' || kind === 'recv' || kind === 'range') this.noteUnresolvedField(fc, expr, 'op');
    if (!key) {
      // An object the model cannot place (a result of unknown code...): its own class, of unknown origin.
      key = this.freshKey('op');
      this.u.get(key).unknownSource = `the value of ${fc.text(expr).slice(0, 40)}`;
    }
    const sel = selectOf(node);
    const guarded = !!sel && sel.children.filter((c) => c.type === 'communication_case' || c.type === 'default_case').length > 1;
    const op: Omit<Op, 'cls'> = { kind, node, expr, fn, guarded };
    if (sel) op.select = sel;
    this.opLocs.push({ op, key });
    const k = objKind ?? objKindOfExpr(fc, expr);
    if (k) this.u.get(key).kind ??= k;
  }

  /**
   * Field names of channel operations (send, receive, range, close: `op`) on, and stores
   * into (`store`), a selector
   * `x.f` whose operand's type the resolver does not know (e.g. a range variable over the
   * result of a generic function of another package,
   * `for _, c := range slices.Clone(w.conns) { close(c.cmdCh) }`).
   */
  private readonly unresolvedFields = { op: new Set<string>(), store: new Set<string>() };

  private noteUnresolvedField(fc: FuncCtx, expr: Node, what: 'op' | 'store'): void {
    const e = unparen(expr);
    if (e.type !== 'selector_expression') return;
    const op = field(e, 'operand');
    const fl = field(e, 'field');
    if (!op || !fl || fc.res.importOf(op)) return;
    const t = deref(fc.res.typeOf(op));
    if (t.kind === 'unknown' || t.kind === 'typeparam') this.unresolvedFields[what].add(fc.text(fl));
  }

  /**
   * A channel operation or store on `x.f` with `x` of a type the resolver does not know
   * may be on field `f` of any struct type of the package: the classes of this package's
   * fields of that name escape (an operation the model did not place) or get a value of
   * unknown origin (a store), so "nothing ever sends / receives / closes / assigns it"
   * is not concluded for them. (Only a field of that name can be what the selector denotes; the
   * name narrows the candidates, it never makes a finding.)
   */
  private markUnresolvedFieldOps(): void {
    const { op, store } = this.unresolvedFields;
    if (op.size === 0 && store.size === 0) return;
    const prefix = `f:${this.pkgPath}.`;
    for (const c of this.u.classes()) {
      const d = this.u.get(c);
      for (const k of d.keys) {
        if (!k.startsWith(prefix)) continue;
        const name = k.slice(k.lastIndexOf('.') + 1);
        if (op.has(name)) d.escape ??= `used as ".${name}" of a value whose type the analysis does not know`;
        if (store.has(name)) d.unknownSource ??= `assigned as ".${name}" of a value whose type the analysis does not know`;
      }
    }
  }

  private scanSend(fc: FuncCtx, n: Node): void {
    const ch = field(n, 'channel');
    const v = field(n, 'value');
    if (!ch) return;
    this.addOp(fc, 'send', n, ch);
    const ct = underlying(deref(fc.res.typeOf(ch)));
    const vt = !!v && this.tracked(fc, v); // asked once, for escapeInto and flow too
    if (v && ct.kind === 'chan' && this.escapeInto(fc, ct.elem, v, 'sent as an interface value', vt)) return;
    if (v && vt) {
      const ck = this.locOf(fc, ch);
      this.flow(fc, ck ? this.elemKey(ck) : undefined, v, undefined, 'sent on a channel the model does not follow', true);
    }
  }

  private scanRecv(fc: FuncCtx, n: Node): void {
    const x = field(n, 'operand');
    if (!x) return;
    this.addOp(fc, 'recv', n, x);
  }

  private scanRange(fc: FuncCtx, rc: Node): void {
    const right = field(rc, 'right');
    if (!right) return;
    const t = fc.res.typeOf(right);
    const u = underlying(deref(t));
    const left = exprList(field(rc, 'left'));
    if (u.kind === 'chan') {
      this.addOp(fc, 'range', rc, right);
      const ck = this.locOf(fc, right);
      if (left[0] && ck && this.tracked(fc, left[0])) this.u.union(this.u.id(this.locOf(fc, left[0]) ?? this.freshKey('rv')), this.u.elem(this.u.id(ck)));
      return;
    }
    const valueVar = u.kind === 'slice' || u.kind === 'array' || u.kind === 'map' ? left[1] : undefined;
    if (valueVar && this.tracked(fc, valueVar)) {
      const base = this.locOf(fc, right);
      const vk = this.locOf(fc, valueVar);
      if (base && vk) this.u.union(this.u.id(vk), this.u.elem(this.u.id(base)));
      else if (vk) this.u.get(vk).unknownSource ??= 'an element of an untracked collection';
    }
  }

  private scanAssign(fc: FuncCtx, n: Node, left: Node | undefined, right: Node | undefined): void {
    // Views of the lists and indexed loops: exprList copied both lists and forEach made two
    // closures per assignment.
    const ls = listView(left);
    const rs = listView(right);
    if (ls.length === 0 || rs.length === 0) return;
    const op = firstAnonymous(n)?.type;
    if (op && op !== '=' && op !== ':=') return; // `+=` and friends never move objects
    if (ls.length === rs.length) {
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i] as Node;
        const r = rs[i] as Node;
        // A literal or an operator's result is never a tracked value, and a tracked place
        // never takes one (Go's assignability): nothing moves, and neither side needs typing.
        if (untrackedSyntax(r)) continue;
        if (textIs(fc, l, '_')) {
          if (this.tracked(fc, r)) this.locOf(fc, r);
          continue;
        }
        // tracked(r) is asked once here for escapeInto and flow, which asked it again.
        const rt = this.tracked(fc, r);
        if (!rt && !this.tracked(fc, l)) continue;
        this.noteUnresolvedField(fc, l, 'store');
        if (this.escapeInto(fc, fc.res.typeOf(l), r, 'stored as an interface value', rt)) continue;
        this.flow(fc, this.locOf(fc, l), r, undefined, undefined, rt);
      }
      return;
    }
    // `a, b := f()` / `v, ok := <-ch` / `v, ok := m[k]`.
    const r = unparen(rs[0] as Node);
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i] as Node;
      this.noteUnresolvedField(fc, l, 'store');
      if (textIs(fc, l, '_') || !this.tracked(fc, l)) continue;
      const dst = this.locOf(fc, l);
      if (r.type === 'call_expression') this.flow(fc, dst, undefined, this.callResultKey(fc, r, i));
      else if (i === 0) this.flow(fc, dst, r);
    }
  }

  private scanVarSpec(fc: FuncCtx, n: Node): void {
    const names = n.children.filter((c) => c.field === 'name');
    const value = field(n, 'value');
    if (!value) return;
    // Package-level `var x = ...` names are package objects; local ones are locals.
    this.scanAssign(fc, n, { type: 'expression_list', named: true, field: 'left', start: n.start, end: n.end, children: names, parent: n }, value);
  }

  private scanComposite(fc: FuncCtx, lit: Node): void {
    const t = fc.res.typeOf(lit);
    const body = field(lit, 'body');
    if (!body) return;
    const u = underlying(deref(t));
    const elems = named(body);
    if (u.kind === 'struct') {
      const owner = deref(t);
      const ownerName = owner.kind === 'named' && owner.pkg === this.pkgPath ? `${this.pkgPath}.${owner.name}` : undefined;
      elems.forEach((el, i) => {
        let fname: string | undefined;
        let val: Node | undefined;
        if (el.type === 'keyed_element') {
          const k = field(el, 'key');
          fname = k ? fc.text(k) : undefined;
          val = field(el, 'value');
        } else {
          fname = u.fields[i]?.name;
          val = el;
        }
        const v = val?.type === 'literal_element' ? named(val)[0] : val;
        if (!fname || !v || v.type === 'literal_value') return;
        const f = u.fields.find((x) => x.name === fname);
        if (!f) return;
        if (this.escapeInto(fc, f.type, v, 'stored in a field of interface type')) return;
        if (!(carriesObjects(f.type) || funcOf(f.type))) return;
        const key = ownerName ? `f:${ownerName}.${fname}` : undefined;
        if (key) this.noteField(fc, lit, key);
        this.flow(fc, key, v);
      });
      return;
    }
    if (u.kind !== 'slice' && u.kind !== 'array' && u.kind !== 'map') {
      // A literal of a type the model cannot see (another package's type it has not loaded):
      // a tracked value stored in it goes where the model does not look.
      if (u.kind === 'unknown') {
        for (const el of elems) {
          const val = el.type === 'keyed_element' ? field(el, 'value') : el;
          const v = val?.type === 'literal_element' ? named(val)[0] : val;
          if (v && v.type !== 'literal_value' && this.tracked(fc, v)) this.flow(fc, undefined, v, undefined, 'stored in a value of a type the model does not see', true);
        }
      }
      return;
    }
    const et = u.kind === 'map' ? u.value : u.elem;
    if (carriesObjects(et) || funcOf(et)) {
      const k = this.compositeKey(fc, lit);
      if (!k) return;
      for (const el of elems) {
        const val = el.type === 'keyed_element' ? field(el, 'value') : el;
        const v = val?.type === 'literal_element' ? named(val)[0] : val;
        if (v && v.type !== 'literal_value') this.flow(fc, this.elemKey(k), v);
      }
    }
  }

  private scanReturn(fc: FuncCtx, n: Node): void {
    const fn = this.enclosing(fc, n);
    if (!fn) return;
    const rs = listView(childOfType(n, 'expression_list') ?? n.children[1]);
    if (rs.length === 1 && rs[0] && unparen(rs[0]).type === 'call_expression' && resultCount(fc, fn.node) > 1) {
      // `return f()` forwarding several results.
      const call = unparen(rs[0]);
      for (let i = 0; i < resultCount(fc, fn.node); i++) this.flow(fc, this.resultKey(fn, i), undefined, this.callResultKey(fc, call, i));
      return;
    }
    // The signature is made only when some result is tracked (most returns move none).
    let sig: Type | undefined;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i] as Node;
      if (!this.tracked(fc, r)) continue;
      sig ??= this.signature(fc, fn.node);
      const rt = sig.kind === 'func' ? sig.results[i] : undefined;
      if (rt && this.escapeInto(fc, rt, r, 'returned as an interface value', true)) continue;
      this.flow(fc, this.resultKey(fn, i), r, undefined, undefined, true);
    }
  }

  /** Location of result `i` of function `fn`. Results of exported functions of library packages escape. */
  resultKey(fn: FuncNode, i: number): string {
    // One string per function and result (asked at each return and each call bound to it).
    let ks = this.resultKeys.get(fn);
    if (!ks) this.resultKeys.set(fn, (ks = []));
    let k = ks[i];
    if (k === undefined) ks[i] = k = `r:${fn.key}#${i}`;
    if (!this.u.has(k) && !this.isMain && fn.node === fn.fc.decl && isExportedFunc(fn.fc)) this.u.get(k).escape = 'returned by an exported function';
    return k;
  }

  private readonly resultKeys = new Map<FuncNode, string[]>();

  // ---------------------------------------------------------------------------
  // Calls
  // ---------------------------------------------------------------------------

  private callKeys = new Map<Node, string[]>();

  /** Location of result `i` of call `call` (memoised per call). */
  callResultKey(fc: FuncCtx, call: Node, i: number): string | undefined {
    const have = this.callKeys.get(call);
    if (have) return have[i];
    const keys: string[] = [];
    this.callKeys.set(call, keys);
    const c = fc.res.callee(call);
    const std = this.stdNameOf(fc, call, c);
    if (c.kind === 'builtin') {
      const args = argsView(call);
      if (c.name === 'make' || c.name === 'new') {
        const t = args[0] ? fc.res.typeFromExpr(args[0]) : undefined;
        if (t && (carriesObjects(t) || isStructCarrying(t))) {
          const k = `a:${fc.file.path}:${call.start}`;
          const d = this.u.get(k);
          if (d.allocs.length === 0) d.allocs.push(call);
          d.kind ??= objKindOf(t);
          keys[0] = k;
        }
      } else if (c.name === 'append' && args[0]) {
        const base = this.locOf(fc, args[0]);
        if (base) {
          for (let j = 1; j < args.length; j++) {
            const a = args[j] as Node;
            if (this.tracked(fc, a)) this.flow(fc, this.elemKey(base), a, undefined, undefined, true);
          }
          keys[0] = base;
        }
      }
      return keys[i];
    }
    if (std) {
      const src = CHAN_RESULTS.get(std);
      if (src) {
        const k = `a:${fc.file.path}:${call.start}`;
        this.u.get(k).std.add(src);
        this.u.get(k).kind ??= 'chan';
        keys[0] = k;
        return keys[i];
      }
      const ctor = CONTEXT_CTORS.get(std);
      // The enclosing function is only wanted for a context edge: not looked up for every call.
      const fn = ctor ? this.enclosing(fc, call) : undefined;
      if (ctor && fn) {
        const ck = `a:${fc.file.path}:${call.start}#ctx`;
        this.u.get(ck).kind = 'context';
        this.u.get(ck).allocs.push(call);
        keys[ctor.ctx] = ck;
        const edge: ContextEdge = { call, fn, ctx: this.u.id(ck), deadline: ctor.deadline };
        const parentArg = argsView(call)[0];
        const pk = parentArg ? this.locOf(fc, parentArg) : undefined;
        if (pk) edge.parent = this.u.id(pk);
        if (ctor.cancel !== undefined) {
          const kk = `a:${fc.file.path}:${call.start}#cancel`;
          this.u.get(kk).kind = 'cancel';
          this.u.get(kk).allocs.push(call);
          keys[ctor.cancel] = kk;
          edge.cancel = this.u.id(kk);
        }
        this.contexts.push(edge);
        return keys[i];
      }
      if (std === 'sync.NewCond') {
        // sync.NewCond(l): the Cond's L is l (sync/cond.go). Field-based: every Cond's L is one class.
        const k = `a:${fc.file.path}:${call.start}`;
        this.u.get(k).kind = 'cond';
        this.u.get(k).allocs.push(call);
        const l = argsView(call)[0];
        const lk = l ? this.locOf(fc, l) : undefined;
        this.noteField(fc, call, 'f:sync.Cond.L');
        if (lk) this.u.union(this.u.id('f:sync.Cond.L'), this.u.id(lk));
        else this.u.get('f:sync.Cond.L').unknownSource ??= 'a Locker the model cannot place';
        keys[0] = k;
        return keys[i];
      }
      if (TIMER_CTORS.has(std)) {
        const k = `a:${fc.file.path}:${call.start}`;
        this.u.get(k).kind = std === 'time.NewTimer' ? 'timer' : 'ticker';
        this.u.get(k).allocs.push(call);
        keys[0] = k;
        return keys[i];
      }
    }
    const site = this.callAt.get(call) ?? this.scanCall(fc, call);
    const crt = fc.res.typeOf(call);
    const anyTracked = (crt.kind === 'tuple' ? crt.types : [crt]).some((t) => carriesObjects(t) || !!funcOf(t) || t.kind === 'unknown');
    if (!anyTracked) return keys[i];
    if (site && site.targets.length > 0) {
      const n = resultCount(fc, site.targets[0]?.node as Node);
      for (let j = 0; j < Math.max(n, i + 1); j++) {
        const k = this.freshKey('call');
        for (const t of site.targets) this.u.union(this.u.id(k), this.u.id(this.resultKey(t, j)));
        if (!site.complete) this.u.get(k).unknownSource ??= 'a result of a call the model cannot resolve completely';
        keys[j] = k;
      }
      return keys[i];
    }
    // Unknown code: a fresh class of unknown origin, when the result is a tracked type.
    const rt = fc.res.typeOf(call);
    const ts = rt.kind === 'tuple' ? rt.types : [rt];
    ts.forEach((t, j) => {
      if (!carriesObjects(t) && !funcOf(t) && !isStructCarrying(t)) return;
      const k = this.freshKey('unknown');
      this.u.get(k).unknownSource = `a result of ${std ?? fc.text(field(call, 'function') ?? call).slice(0, 40)}`;
      const kind = objKindOf(t);
      if (kind) this.u.get(k).kind = kind;
      keys[j] = k;
    });
    return keys[i];
  }

  /** Records the call site of `call` (once) with its targets, and its argument flows and operations. */
  private scanCall(fc: FuncCtx, call: Node): CallSite | undefined {
    const have = this.callAt.get(call);
    if (have) return have;
    const from = this.enclosing(fc, call);
    if (!from) return undefined;
    const parent = call.parent;
    const mode: CallSite['mode'] = parent?.type === 'go_statement' ? 'go' : parent?.type === 'defer_statement' ? 'defer' : 'call';
    const c = fc.res.callee(call);
    const args = argsView(call);
    const std = this.stdNameOf(fc, call, c);
    // Made with its final shape (stdName in the literal rather than added, which grew a
    // property store), and with the shared empty target list until a target is found (an
    // array grown by push has room for 16): scanCall's own allocation was 48 MB sampled on
    // the standard library.
    const site: CallSite = std ? { call, from, kind: 'static', targets: NO_TARGETS, complete: true, mode, stdName: std } : { call, from, kind: 'static', targets: NO_TARGETS, complete: true, mode };
    this.callAt.set(call, site);
    const fnExpr = field(call, 'function');
    switch (c.kind) {
      case 'builtin':
        if (c.name === 'close' && args[0]) this.addOp(fc, 'close', call, args[0]);
        site.complete = true;
        break;
      case 'literal': {
        const t = this.funcs.get(c.fn);
        if (t) site.targets = [t];
        site.kind = 'literal';
        break;
      }
      case 'func': {
        if (c.obj.pkg === this.facts.pkg && c.obj.kind === 'func') {
          const t = this.funcs.get(c.obj.node);
          if (t) site.targets = [t];
          else site.complete = false;
        } else site.complete = false;
        break;
      }
      case 'method': {
        site.kind = 'method';
        const opk = METHOD_OPS.get(c.fullName);
        if (opk) this.addOp(fc, opk, call, c.recv, this.embeddedKey(fc, c.recv, c.method.pkg, c.method.recvType), objKindOf({ kind: 'named', pkg: c.method.pkg, name: c.method.recvType }));
        if (c.method.pkg === this.pkgPath && c.method.decl) {
          const t = this.funcs.get(c.method.decl);
          if (t) {
            site.targets = [t];
            const rp = t.opaque ? undefined : recvVarOf(t);
            if (rp && this.tracked(fc, c.recv)) this.flow(fc, this.localKey(t.fc, rp), c.recv, undefined, undefined, true);
          } else site.complete = false;
        } else if (underlying(deref(c.recvType)).kind === 'interface') {
          site.complete = false;
        } else site.complete = false;
        break;
      }
      case 'local':
      case 'unknown': {
        // Through an interface of this package, a function value, or a func-typed field.
        const sel = fnExpr ? unparen(fnExpr) : undefined;
        const op = sel?.type === 'selector_expression' ? field(sel, 'operand') : undefined;
        const fl = sel?.type === 'selector_expression' ? field(sel, 'field') : undefined;
        if (op && fl && !fc.res.importOf(op)) {
          const t = fc.res.typeOf(op);
          if (underlying(t).kind === 'interface') {
            site.kind = 'interface';
            site.complete = false;
            const name = fc.text(fl);
            const ifaceOp = t.kind === 'named' ? METHOD_OPS.get(`${t.pkg}.${t.name}.${name}`) : undefined;
            if (ifaceOp) this.addOp(fc, ifaceOp, call, op);
            if (t.kind === 'named' && t.pkg === this.pkgPath) {
              let opaqueImpl = false;
              const ts: FuncNode[] = [];
              for (const m of this.implementationsOf(t, name)) {
                const tn = m.decl ? this.funcs.get(m.decl) : undefined;
                if (tn) ts.push(tn);
                else opaqueImpl = true;
              }
              if (ts.length > 0) site.targets = ts;
              // Only this package can implement an unexported interface (or any interface of a main package).
              site.complete = !opaqueImpl && site.targets.length > 0 && (this.isMain || /^[a-z_]/.test(t.name));
            }
            if (!site.complete) this.escapeArgs(fc, call, undefined);
            break;
          }
        }
        if (fnExpr && !(op && fc.res.importOf(op))) {
          const k = this.locOf(fc, fnExpr);
          if (k) {
            site.kind = 'value';
            this.pendingValueCalls.push({ call, from, key: k, mode });
            // cancel() on a context.CancelFunc is an operation on that cancel.
            if (objKindOfExpr(fc, fnExpr) === 'cancel') this.addOp(fc, 'cancel', call, fnExpr);
          } else site.complete = false;
        } else site.complete = false;
        break;
      }
      case 'conversion':
        break;
    }
    // Arguments flow into the parameters of the targets.
    const ts = site.targets;
    for (let i = 0; i < ts.length; i++) this.bindArgs(fc, call, ts[i] as FuncNode);
    if (site.targets.length === 0 && c.kind !== 'builtin' && c.kind !== 'conversion' && site.kind !== 'value') this.escapeArgs(fc, call, std);
    // Library functions that run a function argument.
    if (std) this.stdCallbacks(fc, call, site, std, args);
    if (mode === 'go' || (mode === 'defer' && site.targets.length === 0)) this.noteGoroutine(fc, site, mode === 'go' ? 'go' : '');
    this.calls.push(site);
    let l = this.callsFrom.get(from);
    if (!l) this.callsFrom.set(from, (l = []));
    l.push(site);
    return site;
  }

  private bindArgs(fc: FuncCtx, call: Node, target: FuncNode): void {
    // An opaque function has no parameter of a tracked type (its text would mention it).
    if (target.opaque) return;
    const args = argsView(call);
    const params = this.params(target.fc, target.node);
    const variadic = isVariadic(target.node);
    const spread = !!field(call, 'arguments')?.children.some((c) => c.type === 'variadic_argument');
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      const isVar = variadic && i >= params.length - 1;
      const p = params[Math.min(i, params.length - 1)];
      if (!this.tracked(fc, a)) {
        // An argument of unknown type bound to a tracked parameter: a value of unknown origin.
        if (p && this.trackedVar(target.fc, p) && fc.text(unparen(a)) !== 'nil') this.u.get(this.localKey(target.fc, p)).unknownSource ??= `an argument of unknown type (${fc.text(a).slice(0, 40)})`;
        continue;
      }
      if (!p) {
        const k = this.locOf(fc, a);
        if (k) this.u.get(k).escape ??= 'passed to a parameter the model does not follow';
        continue;
      }
      // `a` is tracked (asked above): escapeInto and flow need not ask again.
      if (!isVar && this.escapeInto(fc, target.fc.res.varType(p), a, 'passed as an interface value', true)) continue;
      const pk = this.localKey(target.fc, p);
      if (isVar && !spread) this.flow(fc, this.elemKey(pk), a, undefined, undefined, true);
      else this.flow(fc, pk, a, undefined, undefined, true);
    }
  }

  private escapeArgs(fc: FuncCtx, call: Node, std: string | undefined): void {
    const senders = std ? CHAN_ARG_SENDERS.get(std) : undefined;
    // Arguments the model follows itself: NewCond's Locker, the parent of a context constructor.
    if (std && (std === 'sync.NewCond' || CONTEXT_CTORS.has(std))) return;
    const harmless = (std && CHAN_ARG_HARMLESS.has(std)) || (std && CALLS_STRINGER.has(std));
    const args = argsView(call);
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      // An argument the model cannot place (a slice or a type assertion: see locOf) needs no typing.
      if (!mayHaveLoc(a) || !this.tracked(fc, a)) continue;
      const k = this.locOf(fc, a);
      if (!k) continue;
      if (senders && senders.arg === i) {
        this.u.get(k).std.add(senders.source);
        continue;
      }
      if (harmless && objKindOfExpr(fc, a) === 'chan') continue;
      // A func value handed to a library that only calls it is not an escape of an object.
      if (std && CALLBACKS.get(std)?.arg === i) continue;
      this.u.get(k).escape ??= `passed to ${std ?? fc.text(field(call, 'function') ?? call).slice(0, 40)}`;
    }
  }

  private stdCallbacks(fc: FuncCtx, call: Node, site: CallSite, std: string, args: readonly Node[]): void {
    const cb: CallbackModel | undefined = CALLBACKS.get(std);
    if (cb) {
      const a = cb.arg >= 0 ? args[cb.arg] : undefined;
      const k = a ? this.locOf(fc, a) : undefined;
      if (k) {
        const cs: CallSite = { call, from: site.from, kind: 'callback', targets: [], complete: true, mode: cb.when === 'go' ? 'callback-go' : cb.when === 'later' ? 'callback-later' : 'call', stdName: std };
        this.pendingValueCalls.push({ call, from: site.from, key: k, mode: cs.mode });
        this.callbackSites.set(call, cs);
      }
    }
    if (CALLS_STRINGER.has(std)) {
      // fmt calls String()/Error() of operands whose type has them.
      for (const a of args) {
        if (BASIC_LITERALS.has(a.type)) continue; // a basic type has no methods
        const t = fc.res.typeOf(a);
        for (const name of STRINGER_METHODS) {
          const m = this.methodDecl(t, name);
          if (m) {
            const cs: CallSite = { call, from: site.from, kind: 'stringer', targets: [m], complete: true, mode: 'call', stdName: std };
            this.calls.push(cs);
            let l = this.callsFrom.get(site.from);
            if (!l) this.callsFrom.set(site.from, (l = []));
            l.push(cs);
          }
        }
      }
    }
  }

  private callbackSites = new Map<Node, CallSite>();


  /**
   * {@link stdName} of a call, once per call (its site and its results ask): `c` is the
   * resolver's memoised callee of `call` and `fc` the declaration holding it, so the answer
   * is a function of the node.
   */
  private stdNameOf(fc: FuncCtx, call: Node, c: ReturnType<FuncCtx['res']['callee']>): string | undefined {
    // The common kinds answer from fields of the callee (as stdName does), without the memo.
    switch (c.kind) {
      case 'func':
        return c.obj.pkg !== fc.facts.pkg ? c.fullName : undefined;
      case 'method':
        return c.method.pkg !== fc.facts.pkg.importPath ? c.fullName : undefined;
      case 'builtin':
      case 'literal':
      case 'local':
        return undefined;
      default:
        break;
    }
    const have = this.stdNames.get(call);
    if (have !== undefined) return have === null ? undefined : have;
    const n = stdName(fc, call, c);
    this.stdNames.set(call, n ?? null);
    return n;
  }

  private readonly stdNames = new Map<Node, string | null>();

  /**
   * {@link implementations} of method `name` of this package's interface `t`, once per
   * interface declaration and name (every call through the interface asks): the answer
   * reads only the declaration's method set and the package's methods.
   */
  private implementationsOf(t: Type, name: string): MethodInfo[] {
    const decl = t.kind === 'named' ? t.ref?.decl : undefined;
    if (!decl) return implementations(this.facts.pkg, t, name);
    let byName = this.impls.get(decl);
    if (!byName) this.impls.set(decl, (byName = new Map()));
    let ms = byName.get(name);
    if (!ms) byName.set(name, (ms = implementations(this.facts.pkg, t, name)));
    return ms;
  }

  private readonly impls = new Map<Node, Map<string, MethodInfo[]>>();

  private resolveValueCalls(): void {
    // Two rounds: binding arguments of resolved value calls can reveal more function values.
    for (let round = 0; round < 2; round++) {
      for (const p of this.pendingValueCalls) {
        const d = this.u.get(p.key);
        // A loop rather than spread/map/filter, and the old target list searched rather than
        // copied into a Set (target lists are short): 11 MB sampled on the standard library.
        const targets: FuncNode[] = [];
        for (const k of d.funcs) {
          const x = this.byKey.get(k);
          if (x) targets.push(x);
        }
        const cb = this.callbackSites.get(p.call);
        const site = cb ?? this.callAt.get(p.call);
        if (!site) continue;
        const before = site.targets;
        site.targets = targets;
        site.complete = !d.unknownSource && !d.escape && targets.length > 0;
        if (!cb) for (let i = 0; i < targets.length; i++) if (!before.includes(targets[i] as FuncNode)) this.bindArgs(site.from.fc, p.call, targets[i] as FuncNode);
      }
    }
    // Arguments of value calls that may run unknown code escape.
    for (const p of this.pendingValueCalls) {
      const site = this.callAt.get(p.call);
      if (!this.callbackSites.has(p.call) && site && !site.complete) this.escapeArgs(site.from.fc, p.call, undefined);
    }
    for (const p of this.pendingValueCalls) {
      const cb = this.callbackSites.get(p.call);
      if (!cb) {
        const site = this.callAt.get(p.call);
        if (site?.mode === 'go') this.noteGoroutine(site.from.fc, site, 'go', true);
        continue;
      }
      this.calls.push(cb);
      let l = this.callsFrom.get(cb.from);
      if (!l) this.callsFrom.set(cb.from, (l = []));
      l.push(cb);
      if (cb.mode === 'callback-go') this.noteGoroutine(cb.from.fc, cb, cb.stdName ?? 'callback');
    }
  }

  /**
   * Parameters of functions no call site of the package binds (never called here, called
   * only by library code as a callback, or whose value escapes) take values from code the
   * model does not see.
   */
  private markUncalledParams(): void {
    // Indexed loops over arrays: the for-of iterators here were 14 MB sampled on the standard library.
    const bound = new Set<FuncNode>();
    const calls = this.calls;
    for (let i = 0; i < calls.length; i++) {
      const cs = calls[i] as CallSite;
      if (cs.kind === 'callback') continue;
      const ts = cs.targets;
      for (let j = 0; j < ts.length; j++) bound.add(ts[j] as FuncNode);
    }
    const fns = this.scanned;
    for (let i = 0; i < fns.length; i++) {
      const fn = fns[i] as FuncNode;
      // Only funcValue makes `fv:` classes, and it records their keys.
      const fv = this.funcValueKeys.get(fn);
      const escapes = fv !== undefined && this.u.has(fv) && !!this.u.get(fv).escape;
      if (bound.has(fn) && !escapes) continue;
      // Code the model does not see may call it: what it returns reaches that code.
      if (escapes) for (let i = 0; i < resultCount(fn.fc, fn.node); i++) this.u.get(this.resultKey(fn, i)).escape ??= 'returned by a function value that escapes';
      const ps = this.params(fn.fc, fn.node);
      for (let j = 0; j < ps.length; j++) {
        const p = ps[j];
        if (!p) continue;
        const t = fn.fc.res.varType(p);
        if (carriesObjects(t) || funcOf(t)) this.u.get(this.localKey(fn.fc, p)).unknownSource ??= bound.has(fn) ? 'a parameter of a function value that escapes' : 'a parameter of a function no code of the package calls';
      }
    }
  }

  private goSeen = new Map<Node, Goroutine>();

  private noteGoroutine(fc: FuncCtx, site: CallSite, starter: string, update = false): void {
    if (!starter) return;
    const at = site.mode === 'go' ? (site.call.parent as Node) : site.call;
    const have = this.goSeen.get(at);
    if (have) {
      if (update) {
        have.targets = site.targets;
        have.complete = site.complete;
      }
      return;
    }
    const cb = site.stdName ? CALLBACKS.get(site.stdName) : undefined;
    const runs = runCount(fc, at, site.from.node, site.from.node);
    const g: Goroutine = {
      site: at,
      from: site.from,
      targets: site.targets,
      complete: site.complete,
      multiplicity: cb?.multiplicity === 'many' ? 'many' : runs === 1 ? 'one' : Number.isFinite(runs) ? 'bounded' : 'many',
      starter,
    };
    if (g.multiplicity === 'bounded') g.count = runs;
    this.goSeen.set(at, g);
    this.goroutines.push(g);
  }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function baseName(f: SourceFile): string {
  return f.path.slice(Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\')) + 1);
}

/** `pkg.T` of the named type that declares field `name` of `t` (through embedding), or undefined. */
export function declaringType(t: Type, name: string, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const d = deref(t);
  const u = underlying(d);
  if (u.kind !== 'struct') return undefined;
  if (u.fields.some((f) => f.name === name)) return d.kind === 'named' ? `${d.pkg}.${d.name}` : undefined;
  for (const f of u.fields) {
    if (!f.embedded) continue;
    const r = declaringType(f.type, name, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/** Basic literals: the resolver types them as basic types (or unknown), never tracked ones. */
const BASIC_LITERALS = new Set(['int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal', 'raw_string_literal', 'true', 'false']);

/**
 * True when `e`'s syntax alone says its type is not one the model tracks, so it need not be
 * typed: a basic literal, a comparison or logical operation (bool), an arithmetic, bitwise
 * or shift operation, or a unary `!`, `-`, `+`, `^` (the Go spec defines those only on
 * numbers, strings and booleans, never on channels, functions, sync or context values).
 */
function untrackedSyntax(e: Node): boolean {
  const t = e.type;
  if (BASIC_LITERALS.has(t) || t === 'binary_expression') return true;
  if (t === 'unary_expression') {
    const o = e.children[0]?.type;
    return o === '!' || o === '-' || o === '+' || o === '^';
  }
  return false;
}

/**
 * False when {@link ModelData.locOf} gives `e` no location without looking at anything
 * (so asking whether it is tracked first is wasted): slices, type assertions, conversions
 * and the untracked forms of {@link untrackedSyntax}.
 */
function mayHaveLoc(e: Node): boolean {
  const u = unparen(e);
  const t = u.type;
  return t !== 'slice_expression' && t !== 'type_assertion_expression' && t !== 'type_conversion_expression' && !untrackedSyntax(u);
}

/** A type whose values the model follows: one that carries concurrency objects, or a function. */
function trackedType(t: Type): boolean {
  return carriesObjects(t) || !!funcOf(t) || isStructCarrying(t);
}

/** `fc.text(n) === s` without slicing the text (asked for `_` and `nil` at most assignments). */
function textIs(fc: FuncCtx, n: Node, s: string): boolean {
  return n.end - n.start === s.length && fc.file.text.startsWith(s, n.start);
}

function isStructCarrying(t: Type): boolean {
  // Struct values are tracked through their fields (field-based keys), not as values.
  void t;
  return false;
}

function objKindOfExpr(fc: FuncCtx, e: Node): ObjKind | undefined {
  return objKindOf(fc.res.typeOf(e));
}

/** The select statement whose communication is (or contains) `n`. */
function selectOf(n: Node): Node | undefined {
  let p: Node | null = n;
  for (let i = 0; i < 4 && p; i++, p = p.parent) {
    if (p.type === 'communication_case') return p.parent?.type === 'select_statement' ? p.parent : undefined;
    if (p.type === 'block' || FUNC_TYPES.has(p.type)) return undefined;
  }
  return undefined;
}

const NO_NODES: readonly Node[] = Object.freeze([]);

/**
 * {@link exprList} for reading only: an expression_list's own children array when they all
 * are named (as the parser builds them), without the copy exprList makes.
 */
function listView(n: Node | undefined): readonly Node[] {
  if (!n) return NO_NODES;
  if (n.type !== 'expression_list') return [n];
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if (!(kids[i] as Node).named) return exprList(n);
  return kids;
}

/** The first anonymous child (an operator or keyword token), as `n.children.find((c) => !c.named)` without the closure. */
function firstAnonymous(n: Node): Node | undefined {
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if (!(kids[i] as Node).named) return kids[i];
  return undefined;
}

/** Arguments of a call expression. */
export function callArgsOf(call: Node): Node[] {
  // exprList(arguments), argument lists flattened to their named children, comments dropped.
  // Indexed loops and no closure: asked for most calls of the package by rules.
  const out: Node[] = [];
  const al = field(call, 'arguments');
  if (!al) return out;
  if (al.type === 'expression_list') {
    const kids = al.children;
    for (let i = 0; i < kids.length; i++) {
      const x = kids[i] as Node;
      if (x.named) pushArg(out, x);
    }
  } else pushArg(out, al);
  return out;
}

function pushArg(out: Node[], a: Node): void {
  if (a.type === 'argument_list') {
    const kids = a.children;
    for (let i = 0; i < kids.length; i++) {
      const x = kids[i] as Node;
      if (x.named && x.type !== 'comment') out.push(x);
    }
  } else if (a.type !== 'comment') out.push(a);
}

/**
 * {@link callArgsOf} for the model's own reading, which never changes the list: the
 * argument_list's own children array when they already are the arguments (all named, no
 * comment — what the parser builds), else a copy. The model asked callArgsOf up to three
 * times per call (scanCall, bindArgs, escapeArgs), the largest allocation site of the
 * model (~136 MB sampled over the standard library).
 */
function argsView(call: Node): readonly Node[] {
  const al = field(call, 'arguments');
  if (!al || al.type !== 'argument_list') return callArgsOf(call);
  const kids = al.children;
  for (let i = 0; i < kids.length; i++) {
    const x = kids[i] as Node;
    if (!x.named || x.type === 'comment') return callArgsOf(call);
  }
  return kids;
}

/** Parameter variables of `fn` in order (undefined for unnamed parameters). */
export function paramVarsOf(fc: FuncCtx, fn: Node): Array<LocalVar | undefined> {
  const out: Array<LocalVar | undefined> = [];
  const pl = field(fn, 'parameters');
  if (!pl) return out;
  for (const p of named(pl)) {
    if (p.type === 'comment') continue;
    const names = p.children.filter((c) => c.field === 'name');
    if (names.length === 0) out.push(undefined);
    for (const n of names) out.push(fc.res.defs.get(n));
  }
  return out;
}

function recvVarOf(t: FuncNode): LocalVar | undefined {
  if (t.node.type !== 'method_declaration') return undefined;
  const r = field(t.node, 'receiver');
  const p = r ? named(r)[0] : undefined;
  const n = p?.children.find((c) => c.field === 'name');
  return n ? t.fc.res.defs.get(n) : undefined;
}

/** True when `fn` has a `...T` parameter (without copying the parameter list). */
function isVariadic(fn: Node): boolean {
  const pl = field(fn, 'parameters');
  if (!pl) return false;
  const kids = pl.children; // indexed: for-of allocated an iterator result per parameter (5 MB sampled)
  for (let i = 0; i < kids.length; i++) {
    const p = kids[i] as Node;
    if (p.named && p.type === 'variadic_parameter_declaration') return true;
  }
  return false;
}

const STRINGER_METHODS = ['String', 'Error'];

/**
 * How many results `fn` declares: what `funcSignature(fn).results.length` counts (one per
 * name of each result declaration, one for an unnamed one, one for a bare result type),
 * read from the syntax alone since only the count is wanted (no types are made).
 */
function resultCount(_fc: FuncCtx, fn: Node): number {
  const r = field(fn, 'result');
  if (!r) return 0;
  if (r.type !== 'parameter_list') return 1;
  let n = 0;
  for (const p of r.children) {
    if (!p.named) continue;
    let names = 0;
    for (const c of p.children) if (c.field === 'name') names++;
    n += Math.max(1, names);
  }
  return n;
}

function isExportedFunc(fc: FuncCtx): boolean {
  const n = field(fc.decl, 'name');
  if (!n || n.end <= n.start) return false;
  const c = fc.file.text.charCodeAt(n.start); // /^[A-Z]/ without slicing the name
  return c >= 65 && c <= 90;
}

/** `importpath.Name` / `importpath.Type.Method` of a standard-library (non-package) callee. */
export function stdName(fc: FuncCtx, call: Node, c: ReturnType<FuncCtx['res']['callee']>): string | undefined {
  if (c.kind === 'func' && c.obj.pkg !== fc.facts.pkg) return c.fullName;
  if (c.kind === 'method' && c.method.pkg !== fc.facts.pkg.importPath) return c.fullName;
  if (c.kind === 'conversion') {
    const t = c.type;
    if (t.kind === 'named' && t.pkg !== fc.facts.pkg.importPath) return `${t.pkg}.${t.name}`;
  }
  if (c.kind === 'unknown') {
    // A method of an interface of another package (ctx.Done()), or a function of a package we have no model of.
    const fn = field(call, 'function');
    const sel = fn ? unparen(fn) : undefined;
    if (sel?.type !== 'selector_expression') return undefined;
    const op = field(sel, 'operand');
    const fl = field(sel, 'field');
    if (!op || !fl) return undefined;
    const ip = fc.res.importOf(op);
    if (ip) return `${ip}.${fc.text(fl)}`;
    const t = fc.res.typeOf(op);
    if (t.kind === 'named' && t.pkg !== fc.facts.pkg.importPath && t.pkg !== '') return `${t.pkg}.${t.name}.${fc.text(fl)}`;
  }
  return undefined;
}

/** Field `name` of `t` when it is a direct field (helper for tests and rules). */
export function directField(t: Type, name: string): boolean {
  return !!lookupField(t, name);
}

/** Tokens of code that touches concurrency objects or function values the model follows. */
const BASE_TOKENS = String.raw`\bchan\b|<-|\bgo\b|\bselect\b|\bsync\.|\bcontext\.|\bclose\(|Lock\(|Unlock\(|AfterFunc|\.Go\(|\bcancel|\bNewTimer\b|\bNewTicker\b`;

/**
 * The declarations (functions, methods, package-level vars) whose text can touch a
 * concurrency object: they mention a channel, a sync or context value, a function value,
 * or — transitively, by name — a field, variable, type or function that does. The rest
 * are not scanned (see {@link ModelData.opaque}); a call into them is unknown code, so
 * the selection only costs recall, never precision.
 */
export function relevantDecls(pkg: ModelData['facts']['pkg']): Set<Node> {
  const names = new Set<string>();
  const base = new RegExp(BASE_TOKENS);
  const typeDecls: Array<{ d: Node; f: SourceFile }> = [];
  for (const f of pkg.files) for (const d of f.decls) if (d.type === 'type_declaration') typeDecls.push({ d, f });
  // Named channel, func, sync or context types (`type Events chan int`); struct types are
  // followed through their fields' names instead.
  for (const { d, f } of typeDecls) {
    walk(d, (x) => {
      if (x.type !== 'type_spec' && x.type !== 'type_alias') return true;
      const nm = field(x, 'name');
      const ty = field(x, 'type');
      if (nm && ty && ty.type !== 'struct_type' && ty.type !== 'interface_type' && (base.test(f.textOf(ty)) || /\bfunc\b/.test(f.textOf(ty)))) names.add(f.textOf(nm));
      return false;
    });
  }
  // Struct fields whose type is one of those or mentions a channel, sync, context, func or timer type.
  const namedRe = names.size > 0 ? new RegExp(`\\b(?:${[...names].map(escapeRe).join('|')})\\b`) : undefined;
  const fieldType = /\bchan\b|\bsync\.|\bcontext\.|\bfunc\b|\btime\.(?:Timer|Ticker)\b/;
  for (const { d, f } of typeDecls) {
    walk(d, (x) => {
      if (x.type !== 'field_declaration') return true;
      const ty = field(x, 'type');
      const tt = ty ? f.textOf(ty) : '';
      if (fieldType.test(tt) || namedRe?.test(tt)) for (const c of x.children) if (c.field === 'name') names.add(f.textOf(c));
      return true;
    });
  }
  // Methods of the package's interfaces: a relevant method of that name may run behind
  // any call of it through the interface (`s.Put(v)` with `Put` sending on a field), so
  // its name makes callers relevant like the name of a function that moves values.
  const ifaceMethods = new Set<string>();
  for (const { d, f } of typeDecls) {
    walk(d, (x) => {
      if (x.type === 'method_elem') {
        const nm = field(x, 'name');
        if (nm) ifaceMethods.add(f.textOf(nm));
        return false;
      }
      return true;
    });
  }
  // Each declaration's text is read for identifiers once, keeping only those that can
  // ever be relevant names: the names known now and the names of declarations whose
  // signatures move values (the only names the closure below adds). The words are the
  // ASCII identifier runs `[A-Za-z_]\w*` of the text.
  const decls: Array<{ decl: Node; base: boolean; text: string; words: string[]; name?: string; movesValues?: boolean }> = [];
  for (const { decl, file } of pkg.funcDecls) {
    if (!decl.children.some((c) => c.field === 'body')) continue;
    const n = decl.children.find((c) => c.field === 'name');
    // From the parameters on: a method's receiver `func (s *T)` is not a function value.
    const from = decl.children.find((c) => c.field === 'parameters')?.start ?? decl.start;
    const text = file.text.slice(from, decl.end);
    // Only a function whose signature carries tracked values (a channel, func, sync or
    // context parameter or result) can move objects through its callers: only its name
    // makes its callers relevant. Operations inside a body are the body's own.
    const body = field(decl, 'body');
    const sig = file.text.slice(from, body ? body.start : decl.end);
    const movesValues = fieldType.test(sig) || !!namedRe?.test(sig);
    const name = n ? file.textOf(n) : undefined;
    const viaIface = decl.type === 'method_declaration' && name !== undefined && ifaceMethods.has(name);
    decls.push({ decl, base: movesValues || base.test(text), text, words: [], name, movesValues: movesValues || viaIface });
  }
  for (const { decl, file } of pkg.varDecls) {
    const text = file.text.slice(decl.start, decl.end);
    const isBase = base.test(text);
    decls.push({ decl, base: isBase, text, words: [] });
    if (isBase) for (const m of text.matchAll(/^\s*(?:var\s+)?(\w+)/gm)) if (m[1] !== 'var') names.add(m[1] as string);
  }
  const candidates = new Set(names);
  for (const d of decls) if (d.name && d.movesValues) candidates.add(d.name);
  const index = new WordIndex(candidates);
  for (const d of decls) if (!d.base) d.words = index.wordsIn(d.text);
  // Close over names: a declaration mentioning a relevant name is relevant, and its own
  // name becomes relevant (each declaration's identifiers are read once).
  const out = new Set<Node>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of decls) {
      if (out.has(d.decl)) continue;
      let hit = d.base;
      if (!hit) for (const w of d.words) if (names.has(w)) { hit = true; break; }
      if (!hit) continue;
      out.add(d.decl);
      if (d.name && d.movesValues && !names.has(d.name)) {
        names.add(d.name);
        grew = true;
      }
    }
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `name` or `Type.name` of a function or method declaration (as FuncCtx.name, without resolving it). */
function declName(decl: Node, file: SourceFile): string {
  const n = field(decl, 'name');
  const base = n ? file.textOf(n) : '?';
  if (decl.type !== 'method_declaration') return base;
  const recv = field(decl, 'receiver');
  const p = recv ? named(recv)[0] : undefined;
  const t = p ? field(p, 'type') : undefined;
  return t ? `${file.textOf(t).replace(/^\*/, '').replace(/\[.*$/, '')}.${base}` : base;
}
