/**
 * @fileoverview Name resolution and expression typing inside one top-level function
 * (and the function literals nested in it).
 *
 * Scopes follow the Go spec ("Declarations and scope"): each block, each if/for/switch
 * statement and each case clause opens a scope; `:=` declares the names on its left that
 * are new in the current scope and reuses the others. Identifiers that are not bound
 * locally are looked up lazily at package level, so an unrelated call does not force
 * the package's other files to be parsed.
 */
import type { Package, PkgObj } from './package.js';
import type { SourceFile } from './source.js';
import { exprList, field, fields, named, unparen, type Node } from './syntax.js';
import {
  BOOL,
  INT,
  STRING,
  UNKNOWN,
  callResult,
  chanOf,
  deref,
  lookupField,
  lookupMethod,
  underlying,
  type MethodInfo,
  type Type,
} from './types.js';

/** A variable, constant, type or parameter declared inside a function. */
export interface LocalVar {
  kind: 'var' | 'const' | 'type' | 'param' | 'result' | 'recv' | 'typeparam';
  name: string;
  /** The declaring identifier. */
  ident: Node;
  /** The function (declaration or literal) whose body or signature declares it. */
  func: Node;
  typeExpr?: Node;
  /** `a, b := f()` → expr f(), index 1 of 2 names; `a, b := x, y` → expr y, index 0 of 1. */
  init?: { expr: Node; index: number; count: number };
  rangeOf?: { expr: Node; pos: number };
  /** Type switch symbol: the case's types (one type → that type). */
  caseTypes?: Node[];
  switchValue?: Node;
  /** `case v := <-ch` / `v, ok := <-ch` in a select. */
  recvFrom?: { expr: Node; index: number };
  /** For consts: the group's iota. */
  iota?: number;
}

/**
 * A local as the resolver keeps it: every field of `LocalVar` set in one constructor (one
 * shape for all, where the object literals of each declaring form had one each), with its
 * referring identifiers and the type memos on the object rather than in maps keyed by it:
 * the resolver's maps were about a quarter of its allocation over the stdlib (Map.set in
 * `use` 33 MB, `define` 22 + 12 MB, the maps themselves 22 MB), and they live as long as the
 * package's FuncCtxs, so every scavenge copied them.
 */
class Local implements LocalVar {
  kind: LocalVar['kind'];
  name: string;
  ident: Node;
  func: Node;
  typeExpr: Node | undefined;
  init: LocalVar['init'];
  rangeOf: LocalVar['rangeOf'];
  caseTypes: Node[] | undefined;
  switchValue: Node | undefined;
  recvFrom: LocalVar['recvFrom'];
  iota: number | undefined;
  /** The resolution that declared it (its `refs` and memos answer for that resolution only). */
  readonly owner: FuncResolution;
  /** True when an earlier local has the same declaring identifier (a type switch's symbol in a later clause). */
  redeclares = false;
  /** Referring identifiers, in the order the resolver met them (made on the first, or when asked: many locals have none). */
  refs: Node[] | undefined = undefined;
  /** `varType`'s answer (UNKNOWN while it is being computed: a cycle yields unknown). */
  type: Type | undefined = undefined;
  constructor(owner: FuncResolution, d: LocalVar) {
    this.owner = owner;
    this.kind = d.kind;
    this.name = d.name;
    this.ident = d.ident;
    this.func = d.func;
    this.typeExpr = d.typeExpr;
    this.init = d.init;
    this.rangeOf = d.rangeOf;
    this.caseTypes = d.caseTypes;
    this.switchValue = d.switchValue;
    this.recvFrom = d.recvFrom;
    this.iota = d.iota;
  }
}

/** What `defs`, `uses` and `refs` offer: the read side of a Map. */
export interface ReadonlyLookup<K, V> extends Iterable<[K, V]> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  entries(): IterableIterator<[K, V]>;
}

/**
 * A 5-bit digest of a name (its length, first and last character), for `Scope.mask`; taken
 * from the file's text or from the name, it is the same for the same name.
 */
function nameBit(text: string, start: number, end: number): number {
  return 1 << (((end - start) * 7 + text.charCodeAt(start) * 3 + text.charCodeAt(end - 1)) & 31);
}

class Scope {
  /** Created on the first declaration: most blocks, cases and clauses declare nothing. */
  vars: Map<string, Local> | undefined;
  /**
   * The `nameBit`s of the names declared here and in the enclosing scopes (as they were when
   * this scope opened; a scope is visited to its end before its parent declares more): an
   * identifier whose bit is not set is declared nowhere in the chain, so resolving it needs
   * no slice of the text (most identifiers are package-level names, fields or imports).
   */
  mask: number;
  constructor(readonly parent: Scope | undefined) {
    this.mask = parent ? parent.mask : 0;
  }
  declare(name: string, v: Local): void {
    (this.vars ??= new Map()).set(name, v);
    this.mask |= nameBit(name, 0, name.length);
  }
  own(name: string): Local | undefined {
    return this.vars?.get(name);
  }
  lookup(name: string): Local | undefined {
    const v = this.vars?.get(name);
    if (v) return v;
    for (let s = this.parent; s; s = s.parent) {
      const w = s.vars?.get(name);
      if (w) return w;
    }
    return undefined;
  }
}

/** What a call expression calls. */
export type Callee =
  | { kind: 'builtin'; name: string }
  | { kind: 'func'; obj: PkgObj; fullName: string }
  | { kind: 'method'; method: MethodInfo; recv: Node; recvType: Type; fullName: string }
  | { kind: 'conversion'; type: Type }
  | { kind: 'local'; v: LocalVar }
  | { kind: 'literal'; fn: Node }
  | { kind: 'unknown' };

/** `defs` (declaring identifiers) or `uses` (the others) of a resolution's identifier map. */
class IdentView implements ReadonlyLookup<Node, LocalVar> {
  constructor(
    private readonly idents: Map<Node, Local>,
    private readonly declaring: boolean,
    private readonly locals: Local[],
  ) {}
  get(id: Node): LocalVar | undefined {
    const v = this.idents.get(id);
    return v !== undefined && (v.ident === id) === this.declaring ? v : undefined;
  }
  has(id: Node): boolean {
    return this.get(id) !== undefined;
  }
  *entries(): IterableIterator<[Node, LocalVar]> {
    if (this.declaring) {
      // From the locals, without a pass over the referring identifiers: each declaring
      // identifier where it was first declared, with its last local (a map's order and value).
      for (const v of this.locals) if (!v.redeclares) yield [v.ident, this.idents.get(v.ident) as Local];
      return;
    }
    for (const e of this.idents) if (e[1].ident !== e[0]) yield e;
  }
  *keys(): IterableIterator<Node> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<LocalVar> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[Node, LocalVar]> {
    return this.entries();
  }
}

/** `refs`: each local of the resolution → its referring identifiers. */
class RefsView implements ReadonlyLookup<LocalVar, Node[]> {
  constructor(
    private readonly owner: FuncResolution,
    private readonly locals: Local[],
  ) {}
  get(v: LocalVar): Node[] | undefined {
    return v instanceof Local && v.owner === this.owner ? (v.refs ??= []) : undefined;
  }
  has(v: LocalVar): boolean {
    return this.get(v) !== undefined;
  }
  *entries(): IterableIterator<[LocalVar, Node[]]> {
    for (const v of this.locals) yield [v, (v.refs ??= [])];
  }
  *keys(): IterableIterator<LocalVar> {
    yield* this.locals;
  }
  *values(): IterableIterator<Node[]> {
    for (const v of this.locals) yield (v.refs ??= []);
  }
  [Symbol.iterator](): IterableIterator<[LocalVar, Node[]]> {
    return this.entries();
  }
}

/** Node types that declare names, open scopes or resolve only some of their children (see `visit`). */
const SCOPED = new Set([
  'block',
  'func_literal',
  'short_var_declaration',
  'var_declaration',
  'const_declaration',
  'type_declaration',
  'if_statement',
  'expression_switch_statement',
  'expression_case',
  'default_case',
  'communication_case',
  'receive_statement',
  'for_statement',
  'type_switch_statement',
  'selector_expression',
  'keyed_element',
]);

const BUILTINS = new Set(['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']);

/** Resolution and typing for one top-level function declaration. */
export class FuncResolution {
  readonly pkg: Package;
  readonly file: SourceFile;
  readonly decl: Node;
  /**
   * Declaring and referring identifier → local, in one map: no identifier is both (checked
   * over the stdlib), and a declaring one is its local's `ident` (a type switch's symbol,
   * declared once per clause, maps to the last clause's local, as a map set per clause did).
   */
  private readonly idents = new Map<Node, Local>();
  /** Every local, in the order they were declared. */
  private readonly locals: Local[] = [];
  /** Declaring identifier → local (in the order the identifiers were first declared). */
  readonly defs: ReadonlyLookup<Node, LocalVar> = new IdentView(this.idents, true, this.locals);
  /** Referring identifier → local. */
  readonly uses: ReadonlyLookup<Node, LocalVar> = new IdentView(this.idents, false, this.locals);
  /** Local → all referring identifiers (every local declared here, in declaration order; none for another resolution's). */
  readonly refs: ReadonlyLookup<LocalVar, Node[]> = new RefsView(this, this.locals);
  /** Every function node in this declaration (the declaration and nested literals). */
  readonly funcs: Node[] = [];
  private typeMemo = new Map<Node, Type>();
  /** `varType` of locals of other resolutions (the program model asks about a few thousand over the stdlib). */
  private foreignVarTypes: Map<LocalVar, Type> | undefined;
  /** `callee` by call node: rules and the program model ask about the same calls (about twice each over the stdlib). */
  private calleeMemo = new Map<Node, Callee>();
  /**
   * The `nameBit`s of every local's name: an identifier whose bit is not set is no local's
   * declaring or referring identifier (each of those has its local's name as its text), so
   * `localOf` answers most identifiers, which name package-level objects, imports and
   * predeclared names, without looking in `uses` and `defs`.
   */
  private localNames = 0;

  constructor(pkg: Package, file: SourceFile, decl: Node, body: Node | undefined) {
    this.pkg = pkg;
    this.file = file;
    this.decl = decl;
    const scope = new Scope(undefined);
    this.funcs.push(decl);
    if (decl.type === 'var_declaration') {
      // Package-level `var h = func(...) {...}`: resolve the initialisers only (the names
      // themselves are package-level objects, not locals).
      const specs: Node[] = [];
      const gather = (x: Node): void => {
        for (const c of x.children) if (c.type === 'var_spec') specs.push(c);
        else if (c.type === 'var_spec_list') gather(c);
      };
      gather(decl);
      for (const sp of specs) for (const v of exprList(field(sp, 'value'))) this.visit(v, scope);
      return;
    }
    this.declareSignature(decl, scope);
    // Parameters, results and the body's top-level declarations share one block (Go spec,
    // "Blocks": each function has a function block), so `x, err := f()` in the body
    // reuses a parameter or named result called err.
    if (body) this.visitAll(body.children, scope);
  }

  private text(n: Node): string {
    return this.file.textOf(n);
  }

  private define(scope: Scope, d: LocalVar): void {
    const v = new Local(this, d);
    if (this.idents.has(v.ident)) v.redeclares = true;
    this.idents.set(v.ident, v);
    this.locals.push(v);
    this.localNames |= nameBit(v.name, 0, v.name.length);
    if (v.name !== '_') scope.declare(v.name, v);
  }

  private use(id: Node, v: Local): void {
    this.idents.set(id, v);
    (v.refs ??= []).push(id);
  }

  private declareSignature(fn: Node, scope: Scope): void {
    const tpl = field(fn, 'type_parameters');
    if (tpl) for (const tp of named(tpl)) for (const n of fields(tp, 'name')) this.define(scope, { kind: 'typeparam', name: this.text(n), ident: n, func: fn });
    const recv = field(fn, 'receiver');
    if (recv) {
      for (const p of named(recv)) {
        const te = field(p, 'type');
        // Receiver type parameters: func (l *List[T]) ...
        const gen = te ? findType(te, 'generic_type') : undefined;
        const targs = gen ? field(gen, 'type_arguments') : undefined;
        if (targs) for (const ta of named(targs)) for (const id of allOfType(ta, 'type_identifier')) this.define(scope, { kind: 'typeparam', name: this.text(id), ident: id, func: fn });
        for (const n of fields(p, 'name')) this.define(scope, { kind: 'recv', name: this.text(n), ident: n, func: fn, typeExpr: te });
      }
    }
    for (const [list, kind] of [
      [field(fn, 'parameters'), 'param'],
      [field(fn, 'result'), 'result'],
    ] as const) {
      if (!list || list.type !== 'parameter_list') continue;
      for (const p of named(list)) {
        const te = field(p, 'type');
        if (te) this.visitType(te, scope);
        for (const n of fields(p, 'name')) {
          const v: LocalVar = { kind, name: this.text(n), ident: n, func: fn, typeExpr: te };
          if (p.type === 'variadic_parameter_declaration') v.typeExpr = p; // marker: slice of te
          this.define(scope, v);
        }
      }
    }
  }

  /** The local an identifier names in `scope`, reading its text only when `Scope.mask` says it may be declared. */
  private lookupIdent(n: Node, scope: Scope): Local | undefined {
    if (n.end > n.start && (scope.mask & nameBit(this.file.text, n.start, n.end)) === 0) return undefined;
    return scope.lookup(this.text(n));
  }

  private visitType(n: Node, scope: Scope): void {
    if (n.type === 'type_identifier') {
      const v = this.lookupIdent(n, scope);
      if (v && (v.kind === 'type' || v.kind === 'typeparam')) this.use(n, v);
      return;
    }
    if (n.type === 'identifier') {
      const v = this.lookupIdent(n, scope);
      if (v) this.use(n, v);
      return;
    }
    const kids = n.children;
    for (let i = 0; i < kids.length; i++) if ((kids[i] as Node).named) this.visitType(kids[i] as Node, scope);
  }

  private visitAll(ns: readonly Node[], scope: Scope): void {
    for (let i = 0; i < ns.length; i++) this.visit(ns[i] as Node, scope);
  }

  /**
   * Resolves the identifiers under `n`. The common nodes (identifiers, leaves, expressions)
   * are handled here and the statements that declare or open scopes in methods of their own:
   * this function runs once per syntax node of every function a rule looks at, and kept small
   * V8 compiles it quickly and keeps it optimised (the single large switch it was took
   * 0.1-0.2 s to compile, was deoptimised about a dozen times per run, and compared the node's
   * type against every case for the most common inner nodes).
   */
  private visit(n: Node, scope: Scope): void {
    const t = n.type;
    if (t === 'identifier') {
      const v = this.lookupIdent(n, scope);
      if (v) this.use(n, v);
      return;
    }
    if (t === 'type_identifier') {
      this.visitType(n, scope);
      return;
    }
    const kids = n.children;
    // Leaves: field, package and label names, literals, comments, empty blocks.
    if (kids.length === 0) return;
    if (!SCOPED.has(t)) {
      for (let i = 0; i < kids.length; i++) if ((kids[i] as Node).named) this.visit(kids[i] as Node, scope);
      return;
    }
    switch (t) {
      case 'block':
        this.visitAll(kids, new Scope(scope));
        return;
      case 'func_literal':
        this.visitFuncLit(n, scope);
        return;
      case 'short_var_declaration':
        this.visitShortVar(n, scope);
        return;
      case 'var_declaration':
      case 'const_declaration':
        this.visitVarConst(n, scope);
        return;
      case 'type_declaration':
        this.visitTypeDecl(n, scope);
        return;
      case 'if_statement':
      case 'expression_switch_statement':
        this.visitIfSwitch(n, scope);
        return;
      case 'expression_case':
      case 'default_case':
      case 'communication_case':
        this.visitAll(kids, new Scope(scope));
        return;
      case 'receive_statement':
        this.visitReceive(n, scope);
        return;
      case 'for_statement':
        this.visitFor(n, scope);
        return;
      case 'type_switch_statement':
        this.visitTypeSwitch(n, scope);
        return;
      case 'selector_expression': {
        const op = field(n, 'operand');
        if (op) this.visit(op, scope);
        return;
      }
      case 'keyed_element':
        this.visitKeyed(n, scope);
        return;
    }
  }

  private visitFuncLit(n: Node, scope: Scope): void {
    this.funcs.push(n);
    const s = new Scope(scope);
    this.declareSignature(n, s);
    const body = field(n, 'body');
    if (body) this.visitAll(body.children, s);
  }

  private visitShortVar(n: Node, scope: Scope): void {
    const left = exprList(field(n, 'left'));
    const right = exprList(field(n, 'right'));
    this.visitAll(right, scope);
    for (let i = 0; i < left.length; i++) {
      const id = left[i] as Node;
      if (id.type !== 'identifier') {
        this.visit(id, scope);
        continue;
      }
      const name = this.text(id);
      const existing = scope.own(name);
      if (existing && name !== '_') {
        this.use(id, existing);
        continue;
      }
      const init = right.length === left.length ? { expr: right[i] as Node, index: 0, count: 1 } : right[0] ? { expr: right[0], index: i, count: left.length } : undefined;
      const v: LocalVar = { kind: 'var', name, ident: id, func: this.enclosingFunc(n), init };
      const r0 = right[0] ? unparen(right[0]) : undefined;
      if (right.length === 1 && r0 && r0.type === 'unary_expression' && this.text(r0).startsWith('<-')) v.recvFrom = { expr: r0, index: i };
      this.define(scope, v);
    }
  }

  private visitVarConst(n: Node, scope: Scope): void {
    let iota = 0;
    let prevValues: Node | undefined;
    let prevType: Node | undefined;
    const specs: Node[] = [];
    const gather = (x: Node): void => {
      for (const c of x.children) {
        if (c.type === 'var_spec' || c.type === 'const_spec') specs.push(c);
        else if (c.type === 'var_spec_list') gather(c);
      }
    };
    gather(n);
    for (const spec of specs) {
      const te = field(spec, 'type');
      const values = field(spec, 'value');
      if (te) this.visitType(te, scope);
      if (values) this.visitAll(exprList(values), scope);
      if (n.type === 'const_declaration' && values) {
        prevValues = values;
        prevType = te;
      }
      const vals = exprList(values ?? (n.type === 'const_declaration' ? prevValues : undefined));
      const names = fields(spec, 'name');
      names.forEach((id, i) => {
        const init = vals.length === names.length ? { expr: vals[i] as Node, index: 0, count: 1 } : vals[0] ? { expr: vals[0], index: i, count: names.length } : undefined;
        this.define(scope, {
          kind: n.type === 'const_declaration' ? 'const' : 'var',
          name: this.text(id),
          ident: id,
          func: this.enclosingFunc(n),
          typeExpr: te ?? (n.type === 'const_declaration' ? prevType : undefined),
          init,
          iota,
        });
      });
      iota++;
    }
  }

  private visitTypeDecl(n: Node, scope: Scope): void {
    for (const spec of n.children) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
      const nm = field(spec, 'name');
      const te = field(spec, 'type');
      if (nm) this.define(scope, { kind: 'type', name: this.text(nm), ident: nm, func: this.enclosingFunc(n), typeExpr: te });
      if (te) this.visitType(te, scope);
    }
  }

  private visitIfSwitch(n: Node, scope: Scope): void {
    const s = new Scope(scope);
    for (const c of n.children) {
      if (c.type === 'expression_case' || c.type === 'default_case') this.visit(c, new Scope(s));
      else this.visit(c, s);
    }
  }

  private visitReceive(n: Node, scope: Scope): void {
    // Only inside `case` of select: `case v, ok := <-ch:` declares v, ok.
    const left = exprList(field(n, 'left'));
    const right = field(n, 'right');
    if (right) this.visit(right, scope);
    const declares = n.children.some((c) => !c.named && this.text(c) === ':=');
    left.forEach((id, i) => {
      if (declares && id.type === 'identifier' && right) {
        this.define(scope, { kind: 'var', name: this.text(id), ident: id, func: this.enclosingFunc(n), recvFrom: { expr: right, index: i } });
      } else this.visit(id, scope);
    });
  }

  private visitFor(n: Node, scope: Scope): void {
    const s = new Scope(scope);
    for (const c of n.children) {
      if (c.type === 'range_clause') {
        const right = field(c, 'right');
        if (right) this.visit(right, s);
        const declares = c.children.some((x) => !x.named && this.text(x) === ':=');
        exprList(field(c, 'left')).forEach((id, i) => {
          if (declares && id.type === 'identifier' && right) this.define(s, { kind: 'var', name: this.text(id), ident: id, func: this.enclosingFunc(n), rangeOf: { expr: right, pos: i } });
          else this.visit(id, s);
        });
      } else this.visit(c, s);
    }
  }

  private visitTypeSwitch(n: Node, scope: Scope): void {
    const s = new Scope(scope);
    const init = field(n, 'initializer');
    if (init) this.visit(init, s);
    const value = field(n, 'value');
    if (value) this.visit(value, s);
    const alias = exprList(field(n, 'alias'))[0];
    for (const c of n.children) {
      if (c.type !== 'type_case' && c.type !== 'default_case') continue;
      const cs = new Scope(s);
      const types = fields(c, 'type');
      for (const t of types) this.visitType(t, cs);
      if (alias && value) this.define(cs, { kind: 'var', name: this.text(alias), ident: alias, func: this.enclosingFunc(n), caseTypes: types, switchValue: value });
      for (const ch of c.children) if (ch.field !== 'type') this.visit(ch, cs);
    }
  }

  private visitKeyed(n: Node, scope: Scope): void {
    const key = field(n, 'key');
    const value = field(n, 'value');
    // A bare identifier key names a field in a struct literal and is an expression in
    // a map, slice or array literal. When the literal's type cannot be told, recording
    // a use errs on the safe side: an extra use makes rules stay silent.
    const bare = key !== undefined && onlyNamedIsIdentifier(key);
    if (key && !(bare && this.keysAreFields(n, scope))) this.visit(key, scope);
    if (value) this.visit(value, scope);
  }

  /** True when the keyed element `kv` belongs to a struct literal (its keys are field names). */
  private keysAreFields(kv: Node, scope: Scope): boolean {
    const lit = kv.parent?.type === 'literal_value' ? kv.parent.parent : undefined;
    if (lit?.type !== 'composite_literal') return false; // elided type in a nested literal
    let te = field(lit, 'type');
    for (let depth = 0; te && depth < 8; depth++) {
      if (te.type === 'struct_type') return true;
      if (te.type === 'map_type' || te.type === 'slice_type' || te.type === 'array_type' || te.type === 'implicit_length_array_type') return false;
      if (te.type === 'generic_type') {
        te = field(te, 'type');
        continue;
      }
      if (te.type === 'type_identifier') {
        const lv = scope.lookup(this.text(te));
        if (lv) {
          te = lv.kind === 'type' ? lv.typeExpr : undefined;
          continue;
        }
      }
      return underlying(this.pkg.typeFromExpr(te, this.file)).kind === 'struct';
    }
    return false;
  }

  /** The innermost function node (declaration or literal) that contains `n`. */
  enclosingFunc(n: Node): Node {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'func_literal' || p === this.decl) return p;
    return this.decl;
  }

  /** The local a (referring or declaring) identifier stands for. */
  localOf(id: Node): LocalVar | undefined {
    if (id.end > id.start && (this.localNames & nameBit(this.file.text, id.start, id.end)) === 0) return undefined;
    return this.idents.get(id);
  }

  /** The local variable an expression denotes (`x`, `(x)`), if it is one. */
  varOf(expr: Node): LocalVar | undefined {
    const e = unparen(expr);
    return e.type === 'identifier' ? this.localOf(e) : undefined;
  }

  /** Package-level object an identifier refers to (not shadowed by a local). */
  pkgObjOf(id: Node): PkgObj | undefined {
    if (id.type !== 'identifier' && id.type !== 'type_identifier') return undefined;
    if (this.localOf(id)) return undefined;
    return this.pkgObjNamed(this.text(id));
  }

  /** The package-level object (or dot-imported member) `name` names in this file, for an identifier known not to be a local. */
  private pkgObjNamed(name: string): PkgObj | undefined {
    // An import name cannot also be declared at package level (Go spec, "Declarations
    // and scope"), so no lookup is needed for it.
    if (this.pkg.importPathOf(this.file, name)) return undefined;
    const o = this.pkg.lookup(name);
    if (o) return o;
    for (const dp of this.pkg.dotImportsOf(this.file)) {
      const so = this.pkg.world.imported(dp, this.pkg)?.lookup(name);
      if (so) return so;
    }
    return undefined;
  }

  /** For `pkg.Name` where `pkg` is an import of this file: the import path. */
  importOf(expr: Node): string | undefined {
    const e = unparen(expr);
    if (e.type !== 'identifier' || this.localOf(e)) return undefined;
    return this.pkg.importPathOf(this.file, this.text(e));
  }

  /** Type of a local (memoised; a cycle yields unknown). */
  varType(v: LocalVar): Type {
    const own = v instanceof Local && v.owner === this ? v : undefined;
    const c = own ? own.type : this.foreignVarTypes?.get(v);
    if (c) return c;
    if (own) own.type = UNKNOWN;
    else (this.foreignVarTypes ??= new Map()).set(v, UNKNOWN);
    let t: Type = UNKNOWN;
    if (v.kind === 'type' || v.kind === 'typeparam') t = this.localNamed(v);
    else if (v.typeExpr) {
      if (v.typeExpr.type === 'variadic_parameter_declaration') {
        const te = field(v.typeExpr, 'type');
        t = { kind: 'slice', elem: te ? this.typeFromExpr(te) : UNKNOWN };
      } else t = this.typeFromExpr(v.typeExpr);
    } else if (v.recvFrom) {
      const ch = chanOf(this.typeOf(field(v.recvFrom.expr, 'operand') ?? v.recvFrom.expr));
      t = v.recvFrom.index === 1 ? BOOL : ch ? ch.elem : UNKNOWN;
    } else if (v.init) {
      const e = unparen(v.init.expr);
      if (v.init.count === 1) t = this.typeOf(e);
      else if (v.init.count === 2 && v.init.index === 1 && (e.type === 'index_expression' || e.type === 'type_assertion_expression' || e.type === 'unary_expression')) t = BOOL;
      else if (v.init.count === 2 && v.init.index === 0 && (e.type === 'index_expression' || e.type === 'type_assertion_expression')) t = this.typeOf(e);
      else {
        const tt = this.typeOf(e);
        t = tt.kind === 'tuple' ? (tt.types[v.init.index] ?? UNKNOWN) : UNKNOWN;
      }
    } else if (v.rangeOf) {
      const rt = underlying(deref(this.typeOf(v.rangeOf.expr)));
      const i = v.rangeOf.pos;
      if (rt.kind === 'slice' || rt.kind === 'array') t = i === 0 ? INT : rt.elem;
      else if (rt.kind === 'map') t = i === 0 ? rt.key : rt.value;
      else if (rt.kind === 'chan') t = i === 0 ? rt.elem : UNKNOWN;
      else if (rt.kind === 'basic' && rt.name === 'string') t = i === 0 ? INT : { kind: 'basic', name: 'int32' };
      else if (rt.kind === 'basic' && rt.name.startsWith('int')) t = rt;
    } else if (v.caseTypes) {
      t = v.caseTypes.length === 1 && v.caseTypes[0] ? (this.text(v.caseTypes[0]) === 'nil' ? this.typeOf(v.switchValue as Node) : this.typeFromExpr(v.caseTypes[0])) : v.switchValue ? this.typeOf(v.switchValue) : UNKNOWN;
    }
    if (own) own.type = t;
    else this.foreignVarTypes?.set(v, t);
    return t;
  }

  /** The type a local type declaration or type parameter names (called once per local and resolution: `varType` keeps it). */
  private localNamed(v: LocalVar): Type {
    if (v.kind === 'typeparam') return { kind: 'typeparam', name: v.name };
    let under: Type | undefined;
    const t: Type = {
      kind: 'named',
      pkg: this.pkg.importPath,
      name: `${v.name}·${v.ident.start}`,
      ref: {
        decl: v.ident.parent ?? undefined,
        underlying: () => {
          if (under === undefined) {
            under = UNKNOWN;
            under = v.typeExpr ? underlying(this.typeFromExpr(v.typeExpr)) : UNKNOWN;
          }
          return under;
        },
        method: () => undefined,
      },
    };
    return t;
  }

  /** Converts a type expression, seeing local types and type parameters. */
  typeFromExpr(n: Node): Type {
    return this.pkg.typeFromExpr(n, this.file, (name, at) => {
      const v = this.localOf(at);
      if (v && (v.kind === 'type' || v.kind === 'typeparam')) return this.varType(v);
      void name;
      return undefined;
    });
  }

  /** The type of an expression, or unknown. */
  typeOf(expr: Node): Type {
    // Literals whose type is a constant, and the expressions `computeType` does not type, are
    // answered without the memo: the same constant it would hold.
    switch (expr.type) {
      case 'int_literal':
        return INT;
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return STRING;
      case 'true':
      case 'false':
        return BOOL;
    }
    if (!TYPED.has(expr.type)) return UNKNOWN;
    const c = this.typeMemo.get(expr);
    if (c) return c;
    if (expr.type === 'identifier') {
      // Identifiers were 43 % of the memo's entries over the stdlib (256k of 590k). A known
      // type of one is the memoised answer of `varType` or the package's `objType`, which any
      // later call returns again (identical object), so only an unknown answer (possibly met
      // while that local or object was being typed) is kept, as is an answer for an
      // identifier met again while it was being typed (where the memo held unknown).
      const t = this.computeType(expr);
      if (t.kind === 'unknown' || this.typeMemo.has(expr)) this.typeMemo.set(expr, t);
      return t;
    }
    this.typeMemo.set(expr, UNKNOWN);
    const t = this.computeType(expr);
    this.typeMemo.set(expr, t);
    return t;
  }

  private computeType(n: Node): Type {
    switch (n.type) {
      case 'parenthesized_expression': {
        const e = named(n)[0];
        return e ? this.typeOf(e) : UNKNOWN;
      }
      case 'identifier': {
        const v = this.localOf(n);
        if (v) return this.varType(v);
        // Not a local: its name is read once for the package-level lookup and the constants.
        const name = this.text(n);
        const o = this.pkgObjNamed(name);
        if (o) return o.pkg.objType(o);
        if (name === 'true' || name === 'false') return BOOL;
        return UNKNOWN;
      }
      case 'int_literal':
        return INT;
      case 'float_literal':
        return { kind: 'basic', name: 'float64' };
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return STRING;
      case 'rune_literal':
        return { kind: 'basic', name: 'int32' };
      case 'true':
      case 'false':
        return BOOL;
      case 'func_literal':
        return this.pkg.funcSignature(n, this.file, (_name, at) => {
          const v = this.localOf(at);
          return v && (v.kind === 'type' || v.kind === 'typeparam') ? this.varType(v) : undefined;
        });
      case 'composite_literal': {
        const te = field(n, 'type');
        return te ? this.typeFromExpr(te) : UNKNOWN;
      }
      case 'type_conversion_expression': {
        const te = field(n, 'type');
        return te ? this.typeFromExpr(te) : UNKNOWN;
      }
      case 'type_assertion_expression': {
        const te = field(n, 'type');
        return te ? this.typeFromExpr(te) : UNKNOWN;
      }
      case 'unary_expression': {
        const op = field(n, 'operand');
        if (!op) return UNKNOWN;
        const tok = firstAnonymous(n);
        const o = tok ? this.text(tok) : '';
        const ot = this.typeOf(op);
        if (o === '&') return { kind: 'pointer', elem: ot };
        if (o === '*') return ot.kind === 'pointer' ? ot.elem : UNKNOWN;
        if (o === '<-') return chanOf(ot)?.elem ?? UNKNOWN;
        if (o === '!') return BOOL;
        return ot;
      }
      case 'binary_expression': {
        const tok = operatorToken(n);
        const o = tok ? this.text(tok) : '';
        if (BOOL_OPERATORS.has(o)) return BOOL;
        const l = field(n, 'left');
        const r = field(n, 'right');
        if (o === '<<' || o === '>>') return l ? this.typeOf(l) : UNKNOWN;
        // An untyped literal takes the other operand's type; otherwise both operands have
        // the same type, so an unknown left operand leaves the result unknown.
        if (l && unparen(l).type.includes('literal')) return r ? this.typeOf(r) : UNKNOWN;
        return l ? this.typeOf(l) : UNKNOWN;
      }
      case 'index_expression': {
        const op = field(n, 'operand');
        const ot = op ? underlying(deref(this.typeOf(op))) : UNKNOWN;
        if (ot.kind === 'map') return ot.value;
        if (ot.kind === 'slice' || ot.kind === 'array') return ot.elem;
        if (ot.kind === 'basic' && ot.name === 'string') return { kind: 'basic', name: 'uint8' };
        if (ot.kind === 'func') return ot; // generic function instantiation
        return UNKNOWN;
      }
      case 'slice_expression': {
        const op = field(n, 'operand');
        const ot = op ? this.typeOf(op) : UNKNOWN;
        const u = underlying(deref(ot));
        return u.kind === 'array' ? { kind: 'slice', elem: u.elem } : ot;
      }
      case 'selector_expression':
        return this.selectorType(n);
      case 'call_expression':
        return this.callType(n);
      default:
        return UNKNOWN;
    }
  }

  private selectorType(n: Node): Type {
    const op = field(n, 'operand');
    const fl = field(n, 'field');
    if (!op || !fl) return UNKNOWN;
    const name = this.text(fl);
    const ipath = this.importOf(op);
    if (ipath) {
      const o = this.pkg.world.imported(ipath, this.pkg)?.lookup(name);
      return o ? o.pkg.objType(o) : UNKNOWN;
    }
    const xt = this.typeOf(op);
    if (xt.kind === 'unknown') return UNKNOWN;
    const f = lookupField(xt, name);
    if (f) return f.type;
    const m = lookupMethod(xt, name);
    if (m) return m.sig;
    return UNKNOWN;
  }

  private callType(n: Node): Type {
    const fn = field(n, 'function');
    if (!fn) return UNKNOWN;
    const callee = this.callee(n);
    if (callee.kind === 'builtin') {
      const args = named(field(n, 'arguments') ?? n).filter((a) => a.type !== 'comment');
      switch (callee.name) {
        case 'make':
          return args[0] ? this.typeFromExpr(args[0]) : UNKNOWN;
        case 'new': {
          const a = args[0];
          if (!a) return UNKNOWN;
          // Go 1.26 new(expr): the parser reads a type-shaped argument (`new(T)`) as a type, so try that first.
          const t = this.typeFromExpr(a);
          return { kind: 'pointer', elem: t.kind === 'unknown' ? this.typeOf(a) : t };
        }
        case 'len':
        case 'cap':
        case 'copy':
          return INT;
        case 'append':
        case 'min':
        case 'max':
          return args[0] ? this.typeOf(args[0]) : UNKNOWN;
        case 'recover':
          return { kind: 'interface' };
        default:
          return { kind: 'tuple', types: [] };
      }
    }
    if (callee.kind === 'conversion') return callee.type;
    if (callee.kind === 'method') return callResult(callee.method.sig);
    return callResult(this.typeOf(fn));
  }

  /** Classifies the function a call expression calls (the same object for the same call: do not modify it). */
  callee(call: Node): Callee {
    let c = this.calleeMemo.get(call);
    if (c === undefined) this.calleeMemo.set(call, (c = this.computeCallee(call)));
    return c;
  }

  private computeCallee(call: Node): Callee {
    const fn0 = field(call, 'function');
    if (!fn0) return { kind: 'unknown' };
    let fn = unparen(fn0);
    if (fn.type === 'index_expression' || fn.type === 'generic_type' || fn.type === 'type_instantiation_expression') fn = field(fn, 'operand') ?? field(fn, 'type') ?? fn; // f[T](x), f[K, V](x)
    if (fn.type === 'func_literal') return { kind: 'literal', fn };
    if (fn.type === 'unary_expression' && this.text(fn).startsWith('*')) {
      // (*T)(p): a conversion when T names a type.
      const op = field(fn, 'operand');
      const t = op ? this.typeFromExpr(op) : undefined;
      if (t && t.kind !== 'unknown') return { kind: 'conversion', type: { kind: 'pointer', elem: t } };
      return { kind: 'unknown' };
    }
    if (fn.type === 'identifier') {
      const v = this.localOf(fn);
      if (v) return v.kind === 'type' ? { kind: 'conversion', type: this.varType(v) } : { kind: 'local', v };
      const name = this.text(fn);
      const o = this.pkgObjNamed(name);
      if (o) {
        if (o.kind === 'type') return { kind: 'conversion', type: o.pkg.objType(o) };
        if (o.kind === 'func') return { kind: 'func', obj: o, fullName: `${o.pkg.importPath}.${o.name}` };
        return { kind: 'unknown' };
      }
      if (BUILTINS.has(name)) return { kind: 'builtin', name };
      const bt = this.pkg.typeByName(name, this.file);
      if (bt.kind !== 'unknown') return { kind: 'conversion', type: bt };
      return { kind: 'unknown' };
    }
    if (fn.type === 'selector_expression') {
      const op = field(fn, 'operand');
      const fl = field(fn, 'field');
      if (!op || !fl) return { kind: 'unknown' };
      const name = this.text(fl);
      const ipath = this.importOf(op);
      if (ipath) {
        const o = this.pkg.world.imported(ipath, this.pkg)?.lookup(name);
        if (o?.kind === 'func') return { kind: 'func', obj: o, fullName: `${ipath}.${name}` };
        if (o?.kind === 'type') return { kind: 'conversion', type: o.pkg.objType(o) };
        return { kind: 'unknown' };
      }
      const xt = this.typeOf(op);
      if (xt.kind === 'unknown') return { kind: 'unknown' };
      if (lookupField(xt, name)) return { kind: 'unknown' }; // a func-typed field
      const m = lookupMethod(xt, name);
      if (m) return { kind: 'method', method: m, recv: op, recvType: xt, fullName: `${m.pkg}.${m.recvType}.${name}` };
      return { kind: 'unknown' };
    }
    if (fn.type === 'parenthesized_type' || fn.type === 'pointer_type' || fn.type.endsWith('_type')) return { kind: 'conversion', type: this.typeFromExpr(fn) };
    return { kind: 'unknown' };
  }

  /** The constant integer value of an expression, when it is one we can evaluate. */
  constValue(expr: Node, depth = 0): number | undefined {
    if (depth > 16) return undefined;
    const e = unparen(expr);
    switch (e.type) {
      case 'int_literal': {
        const s = this.text(e).replace(/_/g, '');
        const v = /^0[0-7]+$/.test(s) ? parseInt(s, 8) : Number(s.replace(/^0o/i, '0o'));
        return Number.isFinite(v) ? v : undefined;
      }
      case 'identifier': {
        const v = this.localOf(e);
        if (v) {
          if (v.kind !== 'const' || !v.init) return undefined;
          if (this.text(v.init.expr) === 'iota') return v.iota;
          return this.constValue(v.init.expr, depth + 1);
        }
        const o = this.pkgObjOf(e);
        if (o && o.kind === 'const' && o.pkg !== this.pkg) return constOf(o, depth);
        // Implicit repetition of `iota` in a const group (`A = iota; B; C`): the spec's own iota (Go spec, "Iota").
        if (o && o.kind === 'const' && o.pkg === this.pkg && o.implicitFrom && o.iota !== undefined) {
          const ve = exprList(field(o.implicitFrom, 'value'))[o.index];
          return ve && o.file.textOf(ve) === 'iota' ? o.iota : undefined;
        }
        if (o && o.kind === 'const' && o.pkg === this.pkg && !o.implicitFrom) {
          const vals = exprList(field(o.node, 'value'));
          const ve = vals[o.index];
          if (!ve) return undefined;
          if (o.file.textOf(ve) === 'iota') return o.iota;
          if (o.file !== this.file) return this.pkg.packageLevel(o.file).constValue(ve, depth + 1);
          return this.constValue(ve, depth + 1);
        }
        return undefined;
      }
      case 'selector_expression': {
        // `pkg.Const` of an imported package (a stub or another package of the module).
        const op = field(e, 'operand');
        const fl = field(e, 'field');
        const ipath = op ? this.importOf(op) : undefined;
        const o = ipath && fl ? this.pkg.world.imported(ipath, this.pkg)?.lookup(this.text(fl)) : undefined;
        return o?.kind === 'const' ? constOf(o, depth) : undefined;
      }
      case 'binary_expression': {
        const l = field(e, 'left');
        const r = field(e, 'right');
        const tok = e.children.find((c) => !c.named);
        if (!l || !r || !tok) return undefined;
        const a = this.constValue(l, depth + 1);
        const b = this.constValue(r, depth + 1);
        if (a === undefined || b === undefined) return undefined;
        switch (this.text(tok)) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return b === 0 ? undefined : Math.trunc(a / b);
          case '<<':
            return a * 2 ** b;
          default:
            return undefined;
        }
      }
      case 'unary_expression': {
        const op = field(e, 'operand');
        const tok = e.children.find((c) => !c.named);
        if (!op || !tok) return undefined;
        const v = this.constValue(op, depth + 1);
        return v === undefined ? undefined : this.text(tok) === '-' ? -v : this.text(tok) === '+' ? v : undefined;
      }
      default:
        return undefined;
    }
  }
}

/**
 * The value of a package-level constant of another package, evaluated in its own package (its
 * initialiser names that package's constants), `iota` included.
 */
function constOf(o: PkgObj, depth: number): number | undefined {
  const spec = o.implicitFrom ?? o.node;
  const ve = exprList(field(spec, 'value'))[o.index];
  if (!ve) return undefined;
  if (o.file.textOf(ve) === 'iota') return o.iota;
  // An implicitly repeated expression other than a bare iota (`A = 1 << iota; B`) depends on the
  // repeating spec's iota, which the package-level evaluator does not rebind.
  if (o.implicitFrom) return undefined;
  return o.pkg.packageLevel(o.file).constValue(ve, depth + 1);
}

/** The node types `computeType` has a case for (typeOf answers unknown for the others, as its default case did). */
const TYPED = new Set([
  'parenthesized_expression',
  'identifier',
  'int_literal',
  'float_literal',
  'interpreted_string_literal',
  'raw_string_literal',
  'rune_literal',
  'true',
  'false',
  'func_literal',
  'composite_literal',
  'type_conversion_expression',
  'type_assertion_expression',
  'unary_expression',
  'binary_expression',
  'index_expression',
  'slice_expression',
  'selector_expression',
  'call_expression',
]);

/** Comparison and logical operators: their result is a boolean (Go spec, "Comparison operators"). */
const BOOL_OPERATORS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** The first anonymous child (an operator or keyword token). */
function firstAnonymous(n: Node): Node | undefined {
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if (!(kids[i] as Node).named) return kids[i];
  return undefined;
}

/** A binary expression's operator: the anonymous child in the `operator` field, else the first anonymous child. */
function operatorToken(n: Node): Node | undefined {
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i] as Node;
    if (!c.named && c.field === 'operator') return c;
  }
  return firstAnonymous(n);
}

/** True when `n` has exactly one named child and it is an identifier (`named(n)` without the copy). */
function onlyNamedIsIdentifier(n: Node): boolean {
  let only: Node | undefined;
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i] as Node;
    if (!c.named) continue;
    if (only) return false;
    only = c;
  }
  return only?.type === 'identifier';
}

function findType(n: Node, type: string): Node | undefined {
  if (n.type === type) return n;
  for (const c of n.children) {
    const f = findType(c, type);
    if (f) return f;
  }
  return undefined;
}

function allOfType(n: Node, type: string): Node[] {
  const out: Node[] = [];
  const rec = (x: Node): void => {
    if (x.type === type) out.push(x);
    for (const c of x.children) rec(c);
  };
  rec(n);
  return out;
}
