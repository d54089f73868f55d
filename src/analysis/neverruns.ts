/**
 * @fileoverview "Can this function ever run?" for the declarations of a main package.
 *
 * A program's code runs from `main.main` and the `init` functions. In a main package no
 * other package can name a function or method, so a declaration runs only when this
 * package calls it, takes its value, or hands a value of its receiver type to code that
 * may call it through an interface (the standard library calls `Close`, `String`,
 * `ServeHTTP`... of what it is given) or by reflection. The test here is deliberately
 * simple and errs towards "may run":
 * - the declaration's name occurs nowhere else in the package's text (no call, no method
 *   value or expression, no interface of the package declaring it, no template or string
 *   naming it — comments count too);
 * - for a method, no value of its receiver type is ever converted to an interface: every
 *   expression of type `T` or `*T` is a selector operand (`t.f`, `t.m()`), a definition,
 *   the right side of an assignment to a `T`/`*T`, an argument of a same-package function
 *   whose parameter has that type, or a returned result of that type.
 * Used by lost-cancel: a cancel function called only in a method nothing runs is never
 * called (corpus case tracker-end-drops-cancel).
 */
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, type Type } from '../go/types.js';
import type { FuncCtx, PackageFacts } from './pass.js';

/**
 * True when the function or method declaration `decl` of a main package can never run
 * (see the file comment). False when the package is not `main`, for `main`/`init`, and
 * whenever the test cannot tell.
 */
export function neverRuns(facts: PackageFacts, decl: Node): boolean {
  const pkg = facts.pkg;
  if (pkg.name !== 'main') return false;
  if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') return false;
  const file = pkg.fileOf(decl);
  const nameNode = field(decl, 'name');
  if (!file || !nameNode) return false;
  const name = file.textOf(nameNode);
  if (name === 'main' || name === 'init' || name === '_') return false;
  const re = new RegExp(`\\b${name}\\b`, 'g');
  let count = 0;
  for (const f of pkg.files) count += (f.text.match(re) ?? []).length;
  if (count !== 1) return false;
  if (decl.type === 'function_declaration') return true;
  const recvType = receiverBase(decl, file.textOf.bind(file));
  return !!recvType && !facts.memo(`neverruns-iface:${recvType}`, () => mayBecomeInterface(facts, recvType));
}

/** The base type name of a method's receiver (`T` for `(t *T)` and `(T)`; undefined for generic receivers we do not read). */
function receiverBase(decl: Node, text: (n: Node) => string): string | undefined {
  const recv = field(decl, 'receiver');
  const p = recv ? named(recv).find((c) => c.type === 'parameter_declaration') : undefined;
  const t = p ? field(p, 'type') : undefined;
  if (!t) return undefined;
  const m = /^\*?\s*([A-Za-z_]\w*)$/.exec(text(t).trim());
  return m ? m[1] : undefined;
}

/** True when `t` is the package's named type `name` or a pointer to it. */
function isT(facts: PackageFacts, t: Type, name: string): boolean {
  const d = deref(t);
  return d.kind === 'named' && d.name === name && d.pkg === facts.pkg.importPath;
}

/** True when some expression of type T / *T (T = `name`) may be converted to an interface (see the file comment). */
function mayBecomeInterface(facts: PackageFacts, name: string): boolean {
  const pkg = facts.pkg;
  // A package-level var initialiser could hand a T to anything: do not look further.
  // Package-level vars: `var x = &T{...}` / `T{...}` / `new(T)` (no interface type
  // written) hands the value to nothing; any other initialiser mentioning T might.
  for (const { decl, file } of pkg.varDecls) {
    const text = file.text.slice(decl.start, decl.end);
    if (!new RegExp(`\\b${name}\\b`).test(text)) continue;
    if (/\bfunc\b/.test(text)) return true;
    let unsafe = false;
    walk(decl, (sp) => {
      if (sp.type !== 'var_spec') return undefined;
      const te = field(sp, 'type');
      if (te && !new RegExp(`^\\*?\\s*${name}$`).test(file.textOf(te).trim())) unsafe = unsafe || new RegExp(`\\b${name}\\b`).test(file.textOf(sp));
      for (const v of exprList(field(sp, 'value'))) {
        const vt = file.textOf(v);
        if (!new RegExp(`\\b${name}\\b`).test(vt)) continue;
        if (!new RegExp(`^(?:&\\s*)?${name}\\s*\\{|^new\\(\\s*${name}\\s*\\)$`).test(vt.trim())) unsafe = true;
        // Fields set in the literal may themselves hold a T: only plain literals of other values.
        else if (new RegExp(`\\b${name}\\b`).test(vt.trim().replace(new RegExp(`^(?:&\\s*)?${name}`), ''))) unsafe = true;
      }
      return false;
    });
    if (unsafe) return true;
  }
  for (const { decl, file } of pkg.funcDecls) {
    if (!new RegExp(`\\b${name}\\b`).test(file.text.slice(decl.start, decl.end))) continue;
    const fc = facts.funcCtx(decl, file);
    let unsafe = false;
    walk(decl, (n) => {
      if (unsafe) return false;
      if (n.type !== 'identifier' && n.type !== 'composite_literal' && n.type !== 'call_expression') return undefined;
      if (n.field === 'field' || n.field === 'name' || n.field === 'type' || n.field === 'label') return undefined;
      if (fc.res.defs.has(n)) return undefined;
      let t: Type;
      try {
        t = fc.res.typeOf(n);
      } catch {
        unsafe = true;
        return false;
      }
      if (t.kind === 'unknown' && n.type === 'identifier' && fc.text(n) === name) return undefined; // the type name itself
      if (!isT(facts, t, name)) return undefined;
      if (!safeUse(fc, n)) unsafe = true;
      return undefined;
    });
    if (unsafe) return true;
  }
  return false;
}

/** True when expression `e` of type T/*T is used where it stays a T/*T (see the file comment). */
function safeUse(fc: FuncCtx, e0: Node): boolean {
  let e = e0;
  // `&T{}`, `(t)`, `*p`: the enclosing expression carries the value on.
  while (e.parent && (e.parent.type === 'parenthesized_expression' || (e.parent.type === 'unary_expression' && /^[&*]/.test(fc.text(e.parent))))) e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'selector_expression' && e.field === 'operand') return true;
  if (p.type === 'expression_list') {
    const h = p.parent;
    if (!h) return false;
    if (h.type === 'short_var_declaration' && p.field === 'right') return true;
    if (h.type === 'var_spec' && !field(h, 'type')) return true;
    if ((h.type === 'assignment_statement' || h.type === 'var_spec') && p.field !== 'left') {
      const lhs = h.type === 'assignment_statement' ? exprList(field(h, 'left')) : h.children.filter((c) => c.field === 'name');
      const i = exprList(p).indexOf(e);
      const l = lhs[i];
      return !!l && isSame(fc, fc.res.typeOf(l), fc.res.typeOf(e));
    }
    if (p.field === 'left') return true;
    if (h.type === 'return_statement') {
      const fn = fc.res.enclosingFunc(h);
      const ft = fn.type === 'func_literal' ? fc.res.typeOf(fn) : undefined;
      const results = ft?.kind === 'func' ? ft.results : resultsOf(fc, fn);
      const r = results?.[exprList(p).indexOf(e)];
      return !!r && isSame(fc, r, fc.res.typeOf(e));
    }
    if (h.type === 'argument_list') return argSafe(fc, h, exprList(p).indexOf(e), e);
    return false;
  }
  if (p.type === 'argument_list') return argSafe(fc, p, named(p).filter((c) => c.type !== 'comment').indexOf(e), e);
  if (p.type === 'return_statement') {
    const fn = fc.res.enclosingFunc(p);
    const results = fn.type === 'func_literal' ? (fc.res.typeOf(fn) as Extract<Type, { kind: 'func' }>).results : resultsOf(fc, fn);
    const r = results?.[0];
    return !!r && isSame(fc, r, fc.res.typeOf(e));
  }
  if (p.type === 'expression_statement') return true;
  if (p.type === 'go_statement' || p.type === 'defer_statement') return true;
  return false;
}

function isSame(fc: FuncCtx, a: Type, b: Type): boolean {
  const da = deref(a);
  const db = deref(b);
  return da.kind === 'named' && db.kind === 'named' && da.name === db.name && da.pkg === db.pkg && (a.kind === 'pointer') === (b.kind === 'pointer') && !!fc;
}

/** Result types of a declared function or method. */
function resultsOf(fc: FuncCtx, fn: Node): Type[] | undefined {
  const nameNode = field(fn, 'name');
  if (!nameNode) return undefined;
  if (fn.type === 'function_declaration') {
    const o = fc.res.pkgObjOf(nameNode);
    const t = o ? o.pkg.objType(o) : undefined;
    return t?.kind === 'func' ? t.results : undefined;
  }
  return undefined;
}

/** An argument passed to a same-package function or method whose parameter has the argument's type. */
function argSafe(fc: FuncCtx, args: Node, i: number, e: Node): boolean {
  const call = args.parent;
  if (!call || call.type !== 'call_expression' || i < 0) return false;
  const callee = fc.res.callee(call);
  let sig: Extract<Type, { kind: 'func' }> | undefined;
  if (callee.kind === 'func' && callee.obj.pkg === fc.res.pkg) {
    const t = callee.obj.pkg.objType(callee.obj);
    if (t.kind === 'func') sig = t;
  } else if (callee.kind === 'method' && callee.method.pkg === fc.res.pkg.importPath) sig = callee.method.sig;
  else if (callee.kind === 'literal') {
    const t = fc.res.typeOf(callee.fn);
    if (t.kind === 'func') sig = t;
  }
  if (!sig || sig.variadic) return false;
  const pt = sig.params[i];
  return !!pt && isSame(fc, pt, fc.res.typeOf(unparen(e)));
}
