/**
 * @fileoverview Which objects a lock can belong to: instance origins for the lock rules
 * (issue 13). The lock analysis (locks.ts) names a lock by an access path in one function
 * (`recv.mu`, `p0.gw.RWMutex`, `l123.mu`) and orders locks by type and field (`conn.mu`);
 * two acquisitions of `conn.mu` in two functions only close a lock-order cycle when they
 * can lock the same `conn`. This module answers "which `conn`s can this be?" on demand.
 *
 * An **origin** is one of:
 * - an allocation site (`&conn{...}`, `conn{...}`, `new(conn)`), with the constant values of
 *   the fields its literal sets (`kind: kindLeaf`);
 * - a discriminant constraint: the object satisfies `x.f == C`, where field `f` is never
 *   written after construction (only set in composite literals), established by an `if`
 *   or `switch x.f { case C: }` that dominates the point where the object is handed on;
 * - a package-level variable (one object);
 * - TOP: not known (another package, an exported function's parameter, a value reached
 *   through code this module does not follow, a budget exceeded).
 *
 * Origins are found by tracing values backwards through the package, flow-insensitively
 * and field-based (one origin set per field of a named type, as in the program model of
 * issue 13, but with allocation sites kept apart): locals (every assignment), parameters
 * (every call site of an unexported function; calls through interfaces or method values
 * make it TOP), results (every return), struct fields (every store and literal), and map,
 * slice and array elements (index stores, `append`, literals). A field held by value
 * (`s.gw` of type `gateway`) is part of its owner, so its origin is the owner's plus the
 * path.
 *
 * Two origin sets may alias unless every pair is disjoint: two different allocation
 * sites; two constraints on the same field with different constants; an allocation whose
 * literal sets the field to another constant than a constraint requires. Precision, not
 * soundness, is the goal, but an unknown is TOP so that the rule keeps its finding.
 */
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import type { LocalVar } from '../go/resolve.js';
import { deref, lookupField, lookupMethod, underlying, type Type } from '../go/types.js';
import { callArgs } from './chanfacts.js';
import { firstChar } from './lockalias.js';
import { localOfLockKey } from './locks.js';
import type { FuncCtx, PackageFacts } from './pass.js';

/** One possible origin of an object; see the file overview. */
export type Origin =
  | { t: 'alloc'; site: Node; consts: Map<string, string>; path: string }
  | { t: 'where'; type: string; field: string; value: string; path: string }
  | { t: 'global'; name: string; path: string }
  | { t: 'top' };

const TOP: Origin = { t: 'top' };
/** Largest origin set kept; larger sets are TOP (they would not tell instances apart). */
const MAX_ORIGINS = 24;
/** Expansions per top-level query. */
const BUDGET = 600;

/** The instance analysis of the package (memoised in the package facts). */
export function lockInstances(facts: PackageFacts): LockInstances {
  return facts.memo('lockinstances', () => new LockInstances(facts));
}

/** Answers which objects a lock path can denote; one per package. */
export class LockInstances {
  private params = new Map<string, Origin[]>();
  private fieldMemo = new Map<string, Origin[]>();
  private elemMemo = new Map<string, Origin[]>();
  private resultMemo = new Map<string, Origin[]>();
  private discriminants = new Map<string, boolean>();
  private ownerMemo = new Map<string, Origin[]>();
  private inProgress = new Set<string>();
  /** Times a recursive query met itself: results computed meanwhile may be partial and are not memoised. */
  private cycles = 0;
  private budget = 0;

  constructor(readonly facts: PackageFacts) {}

  /**
   * Origins of the object that owns lock `key` (a key of locks.ts, in the names of `fc`'s
   * declaration), seen at `at` (a node of `fc`, for the conditions that dominate it).
   */
  ownerOrigins(fc: FuncCtx, key: string, at: Node | undefined): Origin[] {
    const mk = `${fc.decl.start}:${fc.file.path}:${key}:${at?.start ?? ''}`;
    const have = this.ownerMemo.get(mk);
    if (have) return have;
    this.budget = BUDGET;
    let out: Origin[];
    try {
      out = this.ownerOf(fc, key, at);
    } catch (e) {
      if (!(e instanceof Budget)) throw e;
      out = [TOP];
    }
    if (out.length === 0) out = [TOP];
    this.ownerMemo.set(mk, out);
    return out;
  }

  /** True when two origin sets may share an object (see the file overview). */
  static mayAlias(a: Origin[], b: Origin[]): boolean {
    if (a.some((o) => o.t === 'top') || b.some((o) => o.t === 'top')) return true;
    for (const x of a) for (const y of b) if (!disjoint(x, y)) return true;
    return false;
  }

  private ownerOf(fc: FuncCtx, key: string, at: Node | undefined): Origin[] {
    if (key.includes('(') || key.includes('[')) return [TOP];
    const parts = key.split('.');
    const root = parts[0] as string;
    // The last component is the mutex field (or the promoted Mutex/RWMutex of an embedded
    // one): the owner is the path before it. A bare key is a *sync.Mutex itself.
    const path = parts.length > 1 ? parts.slice(1, -1) : [];
    if (parts.length === 1) return [TOP];
    if (root.startsWith('g:')) {
      // A package variable of this package: one object (`g:mu`, `g:reg.mu`).
      if (root.slice(2).includes('/')) return [TOP];
      return path.length === 0 ? [{ t: 'global', name: root.slice(2), path: '' }] : this.alongPath(fc, [{ t: 'global', name: root.slice(2), path: '' }], this.globalType(root.slice(2)), path);
    }
    const v = this.rootVar(fc, root);
    if (!v) return [TOP];
    let base: Origin[] | undefined;
    // A condition on the root variable that dominates the lock (`if c.kind == kindLeaf {
    // c.mu.Lock() }`) constrains it directly.
    if (at && path.length === 0) base = this.discriminantAt(fc, at, v);
    base ??= this.varOrigins(fc, v, 0);
    return path.length === 0 ? base : this.alongPath(fc, base, fc.res.varType(v), path);
  }

  private globalType(name: string): Type {
    const o = this.facts.pkg.lookup(name);
    return o ? this.facts.pkg.objType(o) : { kind: 'unknown' };
  }

  /** Follows fields from objects `base` of type `t`: pointer fields are field-based, value fields extend the path. */
  private alongPath(fc: FuncCtx, base: Origin[], t0: Type, path: string[]): Origin[] {
    let cur = base;
    let t = t0;
    for (const f of path) {
      const owner = deref(t);
      const fl = lookupField(owner, f);
      if (!fl || owner.kind !== 'named') return [TOP];
      if (fl.type.kind === 'pointer' || underlying(fl.type).kind === 'interface') cur = this.fieldOrigins(owner.name, f, 0);
      else if (underlying(fl.type).kind === 'struct') cur = cur.map((o) => (o.t === 'top' ? o : { ...o, path: `${o.path}.${f}` }));
      else return [TOP];
      t = fl.type;
      void fc;
    }
    return cur;
  }

  private rootVar(fc: FuncCtx, root: string): LocalVar | undefined {
    if (root === 'recv' || /^p\d+$/.test(root)) {
      const want = root === 'recv' ? -1 : Number(root.slice(1));
      return this.paramVars(fc)[want + 1];
    }
    return /^l\d+$/.test(root) ? localOfLockKey(fc, root) : undefined;
  }

  /** Receiver (index 0, undefined when none) then parameters, as locks.ts numbers them. */
  private paramVars(fc: FuncCtx): Array<LocalVar | undefined> {
    const out: Array<LocalVar | undefined> = [];
    const recvList = field(fc.decl, 'receiver');
    let recv: LocalVar | undefined;
    for (const pd of recvList ? named(recvList) : []) for (const c of pd.children) if (c.field === 'name') recv = fc.res.defs.get(c);
    out.push(recv);
    const params = field(fc.decl, 'parameters');
    for (const pd of params ? named(params) : []) {
      const names = pd.children.filter((c) => c.field === 'name');
      if (names.length === 0) out.push(undefined);
      for (const c of names) out.push(fc.res.defs.get(c));
    }
    return out;
  }

  private spend(): void {
    if (--this.budget < 0) throw new Budget();
  }

  /** Origins of local variable `v` of `fc` (every definition and assignment). */
  private varOrigins(fc: FuncCtx, v: LocalVar, depth: number): Origin[] {
    this.spend();
    if (depth > 60) return [TOP];
    if (v.kind === 'recv' || v.kind === 'param') {
      if (v.func !== fc.decl) return [TOP];
      const idx = this.paramVars(fc).indexOf(v) - 1;
      return this.paramOrigins(fc, idx, depth + 1);
    }
    if (v.kind !== 'var') return [TOP];
    const out: Origin[] = [];
    if (v.rangeOf) {
      if (v.rangeOf.pos !== 1) return [TOP];
      out.push(...this.elemOrigins(fc, v.rangeOf.expr, depth + 1));
    } else if (v.init) {
      if (v.init.count !== 1) out.push(...this.resultOf(fc, v.init.expr, v.init.index, depth + 1));
      else out.push(...this.exprOrigins(fc, v.init.expr, depth + 1));
    } else if (v.recvFrom || v.caseTypes || v.switchValue) return [TOP];
    for (const id of fc.res.refs.get(v) ?? []) {
      const p = id.parent;
      // `&v` handed out: it may be written anywhere.
      if (p?.type === 'unary_expression' && firstChar(fc, p) === '&') return [TOP];
      if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) {
        const lhs = exprList(p);
        const rhs = exprList(field(p.parent, 'right'));
        const i = lhs.indexOf(id);
        if (rhs.length === lhs.length) out.push(...this.exprOrigins(fc, rhs[i] as Node, depth + 1));
        else if (rhs.length === 1) out.push(...this.resultOf(fc, rhs[0] as Node, i, depth + 1));
        else return [TOP];
      }
    }
    return cap(out);
  }

  /** Origins of the value of expression `e` of `fc`. */
  private exprOrigins(fc: FuncCtx, e0: Node, depth: number): Origin[] {
    this.spend();
    if (depth > 60) return [TOP];
    const e = unparen(e0);
    switch (e.type) {
      case 'unary_expression': {
        const op = field(e, 'operand');
        if (!op || firstChar(fc, e) !== '&') return [TOP];
        const u = unparen(op);
        return u.type === 'composite_literal' ? [this.alloc(fc, u)] : [TOP];
      }
      case 'composite_literal':
        return [this.alloc(fc, e)];
      case 'nil':
        return [];
      case 'identifier': {
        if (fc.text(e) === 'nil') return [];
        const v = fc.res.localOf(e);
        return v ? this.varOrigins(fc, v, depth + 1) : [TOP];
      }
      case 'selector_expression': {
        const op = field(e, 'operand');
        const fl = field(e, 'field');
        if (!op || !fl || fc.res.importOf(op)) return [TOP];
        const t = deref(fc.res.typeOf(op));
        if (t.kind !== 'named' || t.pkg !== this.facts.pkg.importPath) return [TOP];
        const f = lookupField(t, fc.text(fl));
        if (!f) return [TOP];
        if (underlying(f.type).kind === 'struct') return [TOP]; // a copy
        return this.fieldOrigins(t.name, fc.text(fl), depth + 1);
      }
      case 'index_expression': {
        const op = field(e, 'operand');
        return op ? this.elemOrigins(fc, op, depth + 1) : [TOP];
      }
      case 'call_expression': {
        const fn = field(e, 'function');
        if (fn && fc.text(fn) === 'new') return [this.alloc(fc, e)];
        return this.resultOf(fc, e, 0, depth + 1);
      }
      default:
        return [TOP];
    }
  }

  private alloc(fc: FuncCtx, lit: Node): Origin {
    const consts = new Map<string, string>();
    const body = lit.type === 'composite_literal' ? field(lit, 'body') : undefined;
    for (const el of body ? named(body) : []) {
      if (el.type !== 'keyed_element') continue;
      const k = field(el, 'key');
      const v = field(el, 'value');
      const val = v ? (named(v)[0] ?? v) : undefined;
      const c = val ? constOf(fc, val) : undefined;
      if (k && c !== undefined) consts.set(fc.text(k).trim(), c);
    }
    // Fields set right after the allocation, before any other use, are part of it.
    for (const w of fieldWritesOf(fc, lit)) {
      const c = w.ctor ? constOf(fc, w.value) : undefined;
      if (c === undefined) consts.delete(w.field);
      else consts.set(w.field, c);
    }
    return { t: 'alloc', site: lit, consts, path: '' };
  }

  /** Origins of result `index` of a call to a same-package function or method. */
  private resultOf(fc: FuncCtx, call0: Node, index: number, depth: number): Origin[] {
    const call = unparen(call0);
    if (call.type !== 'call_expression') return [TOP];
    // A same-package function or method, or a local closure (`newClient := func(kind int) *client {...}`).
    const c = fc.res.callee(call);
    const lit = c.kind === 'local' ? localFuncLit(fc, c.v) : c.kind === 'literal' ? c.fn : undefined;
    const decl = lit ?? this.calleeDecl(fc, call);
    if (!decl) return [TOP];
    const cfc = lit ? fc : this.facts.funcCtxOfDecl(decl);
    const body = cfc && (lit ? field(lit, 'body') : cfc.body);
    if (!cfc || !body) return [TOP];
    const key = `${decl.start}:${cfc.file.path}:${index}`;
    let r = this.resultMemo.get(key);
    if (!r) {
      if (this.inProgress.has(`r${key}`)) {
        this.cycles++;
        return [];
      }
      const cycles0 = this.cycles;
      this.inProgress.add(`r${key}`);
      const out: Origin[] = [];
      try {
        walk(body, (n) => {
          if (n.type === 'func_literal') return false;
          if (n.type !== 'return_statement') return;
          const rs = exprList(named(n).find((x) => x.type === 'expression_list') ?? named(n)[0]);
          if (rs.length === 0) out.push(TOP); // named results
          else if (rs.length === 1 && index > 0) out.push(...this.resultOf(cfc, rs[0] as Node, index, depth + 1));
          else if (rs[index]) out.push(...this.exprOrigins(cfc, rs[index] as Node, depth + 1));
          return false;
        });
      } finally {
        this.inProgress.delete(`r${key}`);
      }
      r = cap(out);
      if (this.cycles === cycles0) this.resultMemo.set(key, r);
    }
    return this.withArgConsts(fc, call, cfc, decl, r);
  }

  /**
   * One level of call-site sensitivity for constructors: a literal field set from a
   * parameter of the function that allocates it (`&client{kind: kind}`) takes the constant
   * the call passes (`newClient(LEAF, ...)`), so two values of one constructor called
   * with different kinds are told apart.
   */
  private withArgConsts(fc: FuncCtx, call: Node, cfc: FuncCtx, fn: Node, r: Origin[]): Origin[] {
    const params = field(fn, 'parameters');
    if (!params) return r;
    const names: Node[] = [];
    for (const pd of named(params)) names.push(...pd.children.filter((x) => x.field === 'name'));
    const args = callArgs(call);
    if (names.length !== args.length) return r;
    return r.map((o) => {
      if (o.t !== 'alloc' || o.site.type !== 'composite_literal') return o;
      const litBody = field(o.site, 'body');
      let consts: Map<string, string> | undefined;
      for (const el of litBody ? named(litBody) : []) {
        if (el.type !== 'keyed_element') continue;
        const k = field(el, 'key');
        const v = field(el, 'value');
        const val = v ? unparen(named(v)[0] ?? v) : undefined;
        if (!k || val?.type !== 'identifier') continue;
        const pv = cfc.res.localOf(val);
        const i = pv && pv.kind === 'param' && pv.func === fn ? names.indexOf(pv.ident) : -1;
        const cv = i >= 0 ? constOf(fc, args[i] as Node) : undefined;
        if (cv === undefined) continue;
        consts ??= new Map(o.consts);
        consts.set(fc.text(k).trim(), cv);
      }
      return consts ? { ...o, consts } : o;
    });
  }

  private calleeDecl(fc: FuncCtx, call: Node): Node | undefined {
    const c = fc.res.callee(call);
    if (c.kind === 'func' && c.obj.pkg === this.facts.pkg && c.obj.node.type === 'function_declaration') return c.obj.node;
    if (c.kind === 'method' && c.method.pkg === this.facts.pkg.importPath && c.method.decl) return c.method.decl;
    return undefined;
  }

  /**
   * Origins of parameter `idx` (-1: the receiver) of `fc`'s declaration: the arguments of
   * every call in the package. An exported function (outside package main), a function
   * used as a value, or a method called through an interface has callers we do not see.
   */
  private paramOrigins(fc: FuncCtx, idx: number, depth: number): Origin[] {
    const decl = fc.decl;
    const key = `${decl.start}:${fc.file.path}:${idx}`;
    const have = this.params.get(key);
    if (have) return have;
    if (this.inProgress.has(`p${key}`)) {
      this.cycles++;
      return [];
    }
    const cycles0 = this.cycles;
    const nameNode = field(decl, 'name');
    const name = nameNode ? fc.text(nameNode) : '';
    if (!name || decl.type === 'func_literal' || (/^[A-Z]/.test(name) && this.facts.pkg.name !== 'main') || name === 'init' || name === 'main') return [TOP];
    this.inProgress.add(`p${key}`);
    const out: Origin[] = [];
    try {
      const pkg = this.facts.pkg;
      for (const { decl: d, file } of pkg.funcDecls) {
        const text = file.text.slice(d.start, d.end);
        if (!text.includes(name)) continue;
        const cfc = this.facts.funcCtx(d, file);
        walk(d, (n) => {
          if ((n.type !== 'identifier' && n.type !== 'field_identifier') || cfc.text(n) !== name || n === nameNode) return;
          const sel = n.parent?.type === 'selector_expression' && field(n.parent, 'field') === n ? n.parent : undefined;
          const fnExpr = sel ?? n;
          const call = fnExpr.parent?.type === 'call_expression' && field(fnExpr.parent, 'function') === fnExpr ? fnExpr.parent : undefined;
          if (!call) {
            // A reference that is not a call: a method value or function value of this
            // function makes its callers unknown; a field or other name does not.
            if (sel) {
              const op = field(sel, 'operand');
              const m = op ? lookupMethod(cfc.res.typeOf(op), name) : undefined;
              if (m?.decl === decl || (!m && op && fc.res.importOf(op) === undefined && deref(cfc.res.typeOf(op)).kind === 'unknown')) out.push(TOP);
            } else if (n.type === 'identifier' && !cfc.res.localOf(n) && cfc.res.pkgObjOf(n)?.node === decl) out.push(TOP);
            return;
          }
          const c = cfc.res.callee(call);
          let target: Node | undefined;
          if (c.kind === 'func' && c.obj.pkg === pkg) target = c.obj.node;
          else if (c.kind === 'method') target = c.method.decl;
          else if (c.kind === 'unknown') {
            out.push(TOP); // an interface call, or one we cannot resolve
            return;
          }
          if (target !== decl) return;
          const arg = idx < 0 ? (c.kind === 'method' ? c.recv : undefined) : callArgs(call)[idx];
          if (!arg || (idx >= 0 && callArgs(call).length !== this.paramVars(fc).length - 1)) {
            out.push(TOP);
            return;
          }
          out.push(...this.argOrigins(cfc, arg, call, depth + 1));
        });
        if (out.some((o) => o.t === 'top')) break;
      }
    } finally {
      this.inProgress.delete(`p${key}`);
    }
    const r = cap(out);
    if (this.cycles === cycles0) this.params.set(key, r.length === 0 ? [TOP] : r);
    return r;
  }

  /** An argument's origins: a discriminant test dominating the call constrains a variable argument. */
  private argOrigins(fc: FuncCtx, arg0: Node, call: Node, depth: number): Origin[] {
    const arg = unparen(arg0);
    if (arg.type === 'identifier') {
      const v = fc.res.localOf(arg);
      if (v) {
        const w = this.discriminantAt(fc, call, v);
        if (w) return w;
      }
    }
    return this.exprOrigins(fc, arg, depth);
  }

  /**
   * The constraints `v.f == C` that hold at `at`: an enclosing `if` whose condition is (a
   * conjunction containing) such a test, with `at` in its consequence, or a `switch v.f`
   * case listing constants. Only fields never assigned outside composite literals count.
   */
  private discriminantAt(fc: FuncCtx, at: Node, v: LocalVar): Origin[] | undefined {
    const t = deref(fc.res.varType(v));
    if (t.kind !== 'named' || t.pkg !== this.facts.pkg.importPath) return undefined;
    const isV = (x: Node | undefined): boolean => !!x && unparen(x).type === 'identifier' && fc.res.localOf(unparen(x)) === v;
    // `v.f`, or a local copy of it (`kind := c.kind; switch kind {...}`) never reassigned.
    const fieldOfV = (x0: Node | undefined): string | undefined => {
      let x = x0 ? unparen(x0) : undefined;
      if (x?.type === 'identifier') {
        const l = fc.res.localOf(x);
        if (l?.kind !== 'var' || !l.init || l.init.count !== 1 || l.rangeOf || reassigned(fc, l)) return undefined;
        x = unparen(l.init.expr);
      }
      if (x?.type !== 'selector_expression' || !isV(field(x, 'operand'))) return undefined;
      const fl = field(x, 'field');
      return fl ? fc.text(fl) : undefined;
    };
    for (let n: Node | null | undefined = at, p = at.parent; p; n = p, p = p.parent) {
      if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') break;
      if (p.type === 'if_statement' && field(p, 'consequence') === n) {
        for (const c of conjuncts(field(p, 'condition'))) {
          if (c.type !== 'binary_expression' || fc.text(field(c, 'operator') ?? c) !== '==') continue;
          for (const [l, r] of [
            [field(c, 'left'), field(c, 'right')],
            [field(c, 'right'), field(c, 'left')],
          ] as Array<[Node | undefined, Node | undefined]>) {
            const f = fieldOfV(l);
            if (!f || !r) continue;
            const val = constOf(fc, r);
            if (val !== undefined && this.isDiscriminant(t.name, f)) return [{ t: 'where', type: t.name, field: f, value: val, path: '' }];
          }
        }
      }
      if (p.type === 'expression_case' && n.type === 'statement_list') {
        const sw = p.parent;
        const sv = sw?.type === 'expression_switch_statement' ? field(sw, 'value') : undefined;
        const f = fieldOfV(sv);
        if (!f) continue;
        const vals = exprList(field(p, 'value')).map((x) => constOf(fc, x));
        if (vals.length === 0 || vals.some((x) => x === undefined) || !this.isDiscriminant(t.name, f)) continue;
        return vals.map((value) => ({ t: 'where', type: t.name, field: f, value: value as string, path: '' }));
      }
    }
    return undefined;
  }

  /** True when field `f` of type `tn` is only set in composite literals (never `x.f = ...`, `x.f++`, `&x.f`). */
  private isDiscriminant(tn: string, f: string): boolean {
    const key = `${tn}.${f}`;
    const have = this.discriminants.get(key);
    if (have !== undefined) return have;
    let ok = true;
    this.forEachFieldWrite(tn, f, (kind) => {
      if (kind !== 'literal') ok = false;
    });
    this.discriminants.set(key, ok);
    return ok;
  }

  /**
   * Visits every write of field `f` of named type `tn` in the package: `x.f = e` (with e),
   * literals `tn{f: e}`, and writes whose value is unknown (`x.f++`, `&x.f`, multi-value).
   */
  private forEachFieldWrite(tn: string, f: string, visit: (kind: 'assign' | 'literal' | 'other', fc: FuncCtx, value: Node | undefined) => void): void {
    const pkg = this.facts.pkg;
    const isT = (fc: FuncCtx, x: Node): boolean => {
      const t = deref(fc.res.typeOf(x));
      return t.kind === 'named' && t.name === tn && t.pkg === pkg.importPath;
    };
    const decls = [...pkg.funcDecls, ...pkg.varDecls];
    for (const { decl, file } of decls) {
      const text = file.text.slice(decl.start, decl.end);
      if (!text.includes(f)) continue;
      const fc = this.facts.funcCtx(decl, file);
      walk(decl, (n) => {
        if (n.type === 'selector_expression') {
          const fl = field(n, 'field');
          const op = field(n, 'operand');
          if (!fl || !op || fc.text(fl) !== f || !isT(fc, op)) return;
          const p = n.parent;
          if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) {
            const lhs = exprList(p);
            const rhs = exprList(field(p.parent, 'right'));
            const op2 = fc.text(field(p.parent, 'operator') ?? p.parent).trim();
            // Set while the object is still being built (`c := &T{}; c.f = x` before any
            // other use of c): part of its construction, like a literal field.
            const ctor = rhs.length === lhs.length && op2 === '=' && (constructionWrite(fc, n) || this.testFakeWrite(fc, n));
            if (rhs.length === lhs.length && op2 === '=') visit(ctor ? 'literal' : 'assign', fc, rhs[lhs.indexOf(n)]);
            else visit('other', fc, undefined);
          } else if (p?.type === 'inc_statement' || p?.type === 'dec_statement' || (p?.type === 'unary_expression' && firstChar(fc, p) === '&')) visit('other', fc, undefined);
          return;
        }
        if (n.type === 'composite_literal' && isT(fc, n)) {
          const body = field(n, 'body');
          const u = underlying(deref(fc.res.typeOf(n)));
          named(body ?? n).forEach((el, i) => {
            if (!body) return;
            if (el.type === 'keyed_element') {
              const k = field(el, 'key');
              const v = field(el, 'value');
              if (k && fc.text(k).trim() === f) visit('literal', fc, v ? (named(v)[0] ?? v) : undefined);
            } else if (u.kind === 'struct' && u.fields[i]?.name === f) visit('literal', fc, named(el)[0] ?? el);
          });
        }
      });
    }
  }

  /**
   * True when `sel` (`x.f = e`) is in a test file: tests reuse hand-built fakes in several
   * roles (`c := dummyClient(); c.kind = LEAF`, `subs[0].client.kind = LEAF`), production
   * code does not. Such writes do not make `f` mutable for the discriminant check; a
   * documented approximation (docs/analysis.md): it errs towards silence for lock-order
   * cycles that need a test's fake to change role while another goroutine holds it.
   */
  private testFakeWrite(fc: FuncCtx, sel: Node): boolean {
    void sel;
    return fc.file.path.endsWith('_test.go');
  }

  /** Origins of what field `f` of named type `tn` holds: every store in the package. */
  private fieldOrigins(tn: string, f: string, depth: number): Origin[] {
    const key = `${tn}.${f}`;
    const have = this.fieldMemo.get(key);
    if (have) return have;
    if (this.inProgress.has(`f${key}`)) {
      this.cycles++;
      return [];
    }
    const cycles0 = this.cycles;
    if (/^[A-Z]/.test(tn) && /^[A-Z]/.test(f) && this.facts.pkg.name !== 'main') return [TOP];
    this.inProgress.add(`f${key}`);
    const out: Origin[] = [];
    try {
      this.forEachFieldWrite(tn, f, (kind, fc, value) => {
        if (kind === 'other' || !value) out.push(TOP);
        else out.push(...this.exprOrigins(fc, value, depth + 1));
      });
    } finally {
      this.inProgress.delete(`f${key}`);
    }
    const r = cap(out);
    if (this.cycles === cycles0) this.fieldMemo.set(key, r);
    return r;
  }

  /** Origins of the elements of a container expression (`s.conns`, `gw.out`). */
  private elemOrigins(fc: FuncCtx, c0: Node, depth: number): Origin[] {
    const c = unparen(c0);
    if (c.type !== 'selector_expression') return [TOP];
    const op = field(c, 'operand');
    const fl = field(c, 'field');
    if (!op || !fl || fc.res.importOf(op)) return [TOP];
    const t = deref(fc.res.typeOf(op));
    if (t.kind !== 'named' || t.pkg !== this.facts.pkg.importPath) return [TOP];
    const f = fc.text(fl);
    const ft = lookupField(t, f);
    const u = ft ? underlying(ft.type) : undefined;
    if (!u || (u.kind !== 'map' && u.kind !== 'slice' && u.kind !== 'array')) return [TOP];
    const key = `${t.name}.${f}`;
    const have = this.elemMemo.get(key);
    if (have) return have;
    if (this.inProgress.has(`e${key}`)) {
      this.cycles++;
      return [];
    }
    const cycles0 = this.cycles;
    if (/^[A-Z]/.test(t.name) && /^[A-Z]/.test(f) && this.facts.pkg.name !== 'main') return [TOP];
    this.inProgress.add(`e${key}`);
    const out: Origin[] = [];
    try {
      const tn = t.name;
      const pkg = this.facts.pkg;
      const isField = (xfc: FuncCtx, x0: Node): boolean => {
        const x = unparen(x0);
        if (x.type !== 'selector_expression') return false;
        const xo = field(x, 'operand');
        const xf = field(x, 'field');
        if (!xo || !xf || xfc.text(xf) !== f) return false;
        const xt = deref(xfc.res.typeOf(xo));
        return xt.kind === 'named' && xt.name === tn && xt.pkg === pkg.importPath;
      };
      // Whole-container writes: `x.f = make(...)`, `x.f = append(x.f, e...)`, literals.
      this.forEachFieldWrite(tn, f, (kind, wfc, value) => {
        if (kind === 'other' || !value) return void out.push(TOP);
        const v = unparen(value);
        if (v.type === 'call_expression') {
          const fn = field(v, 'function');
          const fname = fn ? wfc.text(fn) : '';
          if (fname === 'make') return;
          const args = callArgs(v);
          if (fname === 'append' && args[0] && isField(wfc, args[0])) {
            if (wfc.text(v).includes('...')) return void out.push(TOP);
            for (const a of args.slice(1)) out.push(...this.exprOrigins(wfc, a, depth + 1));
            return;
          }
          return void out.push(TOP);
        }
        if (v.type === 'composite_literal') {
          const body = field(v, 'body');
          for (const el of body ? named(body) : []) {
            const x = el.type === 'keyed_element' ? field(el, 'value') : el;
            const val = x ? (named(x)[0] ?? x) : undefined;
            if (val) out.push(...this.exprOrigins(wfc, val, depth + 1));
          }
          return;
        }
        if (v.type === 'identifier' && wfc.text(v) === 'nil') return;
        out.push(TOP);
      });
      // Element writes: `x.f[k] = e`.
      for (const { decl, file } of pkg.funcDecls) {
        const text = file.text.slice(decl.start, decl.end);
        if (!text.includes(f)) continue;
        const wfc = this.facts.funcCtx(decl, file);
        walk(decl, (n) => {
          if (n.type !== 'index_expression') return;
          const o = field(n, 'operand');
          if (!o || !isField(wfc, o)) return;
          const p = n.parent;
          if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) {
            const lhs = exprList(p);
            const rhs = exprList(field(p.parent, 'right'));
            if (rhs.length === lhs.length) out.push(...this.exprOrigins(wfc, rhs[lhs.indexOf(n)] as Node, depth + 1));
            else out.push(TOP);
          } else if (p?.type === 'unary_expression' && firstChar(wfc, p) === '&') out.push(TOP);
        });
      }
    } finally {
      this.inProgress.delete(`e${key}`);
    }
    const r = cap(out);
    if (this.cycles === cycles0) this.elemMemo.set(key, r);
    return r;
  }
}

class Budget extends Error {}

/** The func literal a local holds (`f := func() {...}`), if it is never reassigned. */
function localFuncLit(fc: FuncCtx, v: LocalVar): Node | undefined {
  if (v.kind !== 'var' || !v.init || v.init.count !== 1 || reassigned(fc, v)) return undefined;
  const e = unparen(v.init.expr);
  return e.type === 'func_literal' ? e : undefined;
}

function reassigned(fc: FuncCtx, v: LocalVar): boolean {
  return (fc.res.refs.get(v) ?? []).some((id) => {
    const p = id.parent;
    if (p?.type === 'unary_expression' && firstChar(fc, p) === '&') return true;
    return (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) || p?.type === 'inc_statement' || p?.type === 'dec_statement';
  });
}

/** The local variable `lit` (a composite literal, `&T{}` or `new(T)`) initialises, if any. */
function allocVar(fc: FuncCtx, lit: Node): LocalVar | undefined {
  let e = lit;
  if (e.parent?.type === 'unary_expression') e = e.parent;
  const list = e.parent;
  const decl = list?.parent;
  if (list?.type !== 'expression_list' || decl?.type !== 'short_var_declaration' || field(decl, 'right') !== list) return undefined;
  const rhs = exprList(list);
  const lhs = exprList(field(decl, 'left'));
  const id = lhs[rhs.indexOf(e)];
  return id ? fc.res.defs.get(id) : undefined;
}

/**
 * True when selector `sel` (`v.f` on the left of `=`) writes a field of an object still
 * under construction: v is a local initialised by an allocation, and every earlier
 * reference to v is itself the target of such a field write.
 */
function constructionWrite(fc: FuncCtx, sel: Node): boolean {
  const op = field(sel, 'operand');
  const v = op && unparen(op).type === 'identifier' ? fc.res.localOf(unparen(op)) : undefined;
  if (!v || v.kind !== 'var' || !v.init || v.init.count !== 1) return false;
  let init = unparen(v.init.expr);
  if (init.type === 'unary_expression') init = unparen(field(init, 'operand') ?? init);
  const isAlloc = init.type === 'composite_literal' || (init.type === 'call_expression' && fc.text(field(init, 'function') ?? init) === 'new');
  if (!isAlloc) return false;
  return (fc.res.refs.get(v) ?? []).every((id) => id.start >= sel.start || isFieldWriteTarget(id));
}

function isFieldWriteTarget(id: Node): boolean {
  const sel = id.parent;
  if (sel?.type !== 'selector_expression' || field(sel, 'operand') !== id) return false;
  const list = sel.parent;
  return list?.type === 'expression_list' && list.parent?.type === 'assignment_statement' && list.parent.children[0] === list;
}

/** The field writes `v.f = e` of the local `v` the allocation `lit` initialises, and whether each is part of its construction. */
function fieldWritesOf(fc: FuncCtx, lit: Node): Array<{ field: string; value: Node; ctor: boolean }> {
  const v = allocVar(fc, lit);
  if (!v) return [];
  const out: Array<{ field: string; value: Node; ctor: boolean }> = [];
  for (const id of fc.res.refs.get(v) ?? []) {
    if (!isFieldWriteTarget(id)) continue;
    const sel = id.parent as Node;
    const list = sel.parent as Node;
    const lhs = exprList(list);
    const rhs = exprList(field(list.parent as Node, 'right'));
    const value = rhs.length === lhs.length ? rhs[lhs.indexOf(sel)] : undefined;
    const fl = field(sel, 'field');
    if (value && fl) out.push({ field: fc.text(fl), value, ctor: constructionWrite(fc, sel) });
  }
  return out;
}




function cap(out: Origin[]): Origin[] {
  if (out.some((o) => o.t === 'top')) return [TOP];
  const seen = new Set<string>();
  const r: Origin[] = [];
  for (const o of out) {
    const k = o.t === 'alloc' ? `a${o.site.start}:${o.path}:${[...o.consts].join(',')}` : o.t === 'where' ? `w${o.type}.${o.field}=${o.value}:${o.path}` : o.t === 'global' ? `g${o.name}:${o.path}` : 't';
    if (seen.has(k)) continue;
    seen.add(k);
    r.push(o);
  }
  return r.length > MAX_ORIGINS ? [TOP] : r;
}

function conjuncts(c: Node | undefined): Node[] {
  if (!c) return [];
  const u = unparen(c);
  if (u.type === 'binary_expression' && u.children.some((x) => x.field === 'operator' && x.type === '&&')) return [...conjuncts(field(u, 'left')), ...conjuncts(field(u, 'right'))];
  return [u];
}

/** A constant's value as text (integer constants evaluated, string literals as written). */
function constOf(fc: FuncCtx, e0: Node): string | undefined {
  const e = unparen(e0);
  const n = fc.res.constValue(e);
  if (n !== undefined) return String(n);
  // `const ( a = iota; b; c )`: b and c repeat the spec of a (Go spec, "Iota").
  const o = e.type === 'identifier' && !fc.res.localOf(e) ? fc.res.pkgObjOf(e) : undefined;
  if (o?.kind === 'const' && o.implicitFrom && o.iota !== undefined) {
    const ve = exprList(field(o.implicitFrom, 'value'))[o.index];
    if (ve && o.file.textOf(ve) === 'iota') return String(o.iota);
  }
  if (e.type === 'interpreted_string_literal' || e.type === 'raw_string_literal') return fc.text(e);
  if (e.type === 'true' || e.type === 'false') return e.type;
  return undefined;
}

function disjoint(a: Origin, b: Origin): boolean {
  if (a.t === 'top' || b.t === 'top') return false;
  if (a.path !== b.path) return true;
  if (a.t === 'global' || b.t === 'global') return !(a.t === 'global' && b.t === 'global' && a.name === b.name);
  if (a.t === 'alloc' && b.t === 'alloc') return a.site !== b.site;
  if (a.t === 'where' && b.t === 'where') return a.type === b.type && a.field === b.field && a.value !== b.value;
  const al = (a.t === 'alloc' ? a : b) as Extract<Origin, { t: 'alloc' }>;
  const w = (a.t === 'where' ? a : b) as Extract<Origin, { t: 'where' }>;
  const c = al.consts.get(w.field);
  return c !== undefined && c !== w.value;
}
