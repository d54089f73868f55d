/**
 * @fileoverview Shared state a condition reads, and the functions that can change it:
 * fields of the package's named types and package-level variables, each written
 * (assigned, stepped, deleted from) somewhere in the package. Used by cond-wait-no-loop
 * to decide whether a condition checked once before `Cond.Wait` can be false again when
 * the waiter wakes: not when the only code that changes it is the code that signals.
 *
 * Precision first: a use we cannot follow (the address taken, a pointer dereference, a
 * call that may change the state, a local that is written) makes the answer unknown.
 */
import type { PkgObj } from '../go/package.js';
import { field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, underlying } from '../go/types.js';
import type { FuncCtx, PackageFacts } from './pass.js';
import { assignedOnce } from './values.js';

/** A piece of shared state: field `field` of named type `type` of the package, or a package-level variable. */
export type StateKey = { kind: 'field'; type: string; field: string } | { kind: 'global'; obj: PkgObj };

/** A readable name for messages: `T.f` or the variable's name. */
export function stateName(k: StateKey): string {
  return k.kind === 'field' ? `${k.type}.${k.field}` : k.obj.name;
}

function sameKey(a: StateKey, b: StateKey): boolean {
  return a.kind === 'field' ? b.kind === 'field' && a.type === b.type && a.field === b.field : b.kind === 'global' && a.obj === b.obj;
}

/** The field or global a selector or identifier denotes, if it is shared state of this package. */
export function stateOf(fc: FuncCtx, e: Node): StateKey | undefined {
  const x = unparen(e);
  if (x.type === 'selector_expression') {
    const op = field(x, 'operand');
    const f = field(x, 'field');
    if (!op || !f) return undefined;
    const t = deref(fc.res.typeOf(op));
    if (t.kind !== 'named' || t.pkg !== fc.facts.pkg.importPath) return undefined;
    const u = underlying(t);
    const name = fc.text(f);
    if (u.kind !== 'struct' || !u.fields.some((fl) => fl.name === name)) return undefined;
    return { kind: 'field', type: t.name, field: name };
  }
  if (x.type === 'identifier' && !fc.res.localOf(x)) {
    const o = fc.res.pkgObjOf(x);
    return o?.kind === 'var' && o.pkg === fc.facts.pkg ? { kind: 'global', obj: o } : undefined;
  }
  return undefined;
}

/**
 * The shared state expression `e` reads, or undefined when it reads anything else that
 * can change: a local or parameter (a value of this goroutine, not shared state), a
 * pointer dereference, a call other than len/cap/a conversion, a receive. The operands
 * that lead to a field (`q` in `q.items`) are not state themselves.
 */
export function stateRead(fc: FuncCtx, e: Node): StateKey[] | undefined {
  const out: StateKey[] = [];
  let ok = true;
  const visit = (n: Node): void => {
    if (!ok) return;
    const x = unparen(n);
    switch (x.type) {
      case 'selector_expression': {
        const k = stateOf(fc, x);
        if (!k) {
          // A package-qualified constant (`math.MaxInt`) reads nothing that changes.
          const op = field(x, 'operand');
          if (!(op?.type === 'identifier' && !fc.res.localOf(op) && !fc.res.pkgObjOf(op))) ok = false;
          return;
        }
        out.push(k);
        // `a.b.f`: a.b is read too when it is shared state itself.
        const op = field(x, 'operand');
        if (op && unparen(op).type === 'selector_expression') visit(op);
        return;
      }
      case 'identifier': {
        const v = fc.res.localOf(x);
        if (v) {
          // A local that leads to a field (`q` in `q.items`) is not state itself; one set
          // once from shared state (`if n := len(q.items); n == 0`) reads that state;
          // any other local is this goroutine's own value.
          if (x.parent?.type === 'selector_expression' && field(x.parent, 'operand') === x) return;
          if (v.init && v.init.count === 1 && assignedOnce(fc, v)) visit(v.init.expr);
          else ok = false;
          return;
        }
        const k = stateOf(fc, x);
        if (k) out.push(k);
        else if (fc.res.pkgObjOf(x)?.kind === 'var') ok = false;
        return;
      }
      case 'call_expression': {
        const c = fc.res.callee(x);
        if (!(c.kind === 'builtin' && (c.name === 'len' || c.name === 'cap')) && c.kind !== 'conversion') {
          ok = false;
          return;
        }
        for (const a of named(field(x, 'arguments') ?? x)) visit(a);
        return;
      }
      case 'unary_expression': {
        const t = fc.text(x).trimStart();
        if (t.startsWith('*') || t.startsWith('<-') || t.startsWith('&')) {
          ok = false;
          return;
        }
        const op = field(x, 'operand');
        if (op) visit(op);
        return;
      }
      case 'binary_expression':
      case 'index_expression':
        for (const c of x.children) if (c.named) visit(c);
        return;
      case 'int_literal':
      case 'float_literal':
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'rune_literal':
      case 'nil':
      case 'true':
      case 'false':
      case 'iota':
        return;
      default:
        ok = false;
    }
  };
  visit(e);
  return ok ? out : undefined;
}

/**
 * The functions (declarations or literals) that write state `k` anywhere in the package,
 * or undefined when some use may change it in a way not followed. Composite literal keys
 * (`T{f: v}`) build a new value and are not writes.
 */
export function stateWriters(facts: PackageFacts, k: StateKey): Set<Node> | undefined {
  const name = k.kind === 'field' ? k.field : k.obj.name;
  const writers = new Set<Node>();
  const re = new RegExp(`\\b${name}\\b`);
  let ok = true;
  for (const { decl, file } of [...facts.pkg.funcDecls, ...facts.pkg.varDecls]) {
    if (!ok) break;
    if (!re.test(file.text.slice(decl.start, decl.end))) continue;
    const fc = facts.funcCtx(decl, file);
    walk(decl, (n) => {
      if (!ok) return false;
      const hit = (n.type === 'selector_expression' && fc.text(field(n, 'field') ?? n) === name) || (n.type === 'identifier' && fc.text(n) === name && n.parent?.type !== 'selector_expression');
      if (!hit) return;
      const s = stateOf(fc, n);
      if (!s || !sameKey(s, k)) return;
      const use = writeUse(fc, n);
      if (use === 'unknown') ok = false;
      else if (use === 'write') writers.add(fc.res.enclosingFunc(n));
    });
  }
  return ok ? writers : undefined;
}

/** How a reference to shared state uses it. */
function writeUse(fc: FuncCtx, ref: Node): 'read' | 'write' | 'unknown' {
  let e = ref;
  // Climb through element and sub-field accesses: `x.f[i] = v`, `x.f.g++` change x.f.
  for (;;) {
    const p = e.parent;
    if (!p) return 'read';
    if (p.type === 'parenthesized_expression' || ((p.type === 'index_expression' || p.type === 'selector_expression') && field(p, 'operand') === e)) {
      if (p.type === 'selector_expression' && p.parent?.type === 'call_expression' && field(p.parent, 'function') === p) {
        // A method call on the state: a pointer receiver may change a value field.
        const c = fc.res.callee(p.parent);
        const t = fc.res.typeOf(e);
        return c.kind === 'method' && c.method.pointerRecv && t.kind !== 'pointer' ? 'unknown' : 'read';
      }
      e = p;
      continue;
    }
    if (p.type === 'expression_list' && p.field === 'left') {
      const st = p.parent;
      return st?.type === 'assignment_statement' || st?.type === 'short_var_declaration' ? 'write' : 'read';
    }
    if (p.type === 'inc_statement' || p.type === 'dec_statement') return 'write';
    if (p.type === 'unary_expression' && fc.text(p).trimStart().startsWith('&')) return 'unknown';
    if (p.type === 'range_clause' && field(p, 'left') === e) return 'write';
    if (p.type === 'argument_list') {
      const call = p.parent;
      const c = call ? fc.res.callee(call) : undefined;
      if (c?.kind === 'builtin') return c.name === 'delete' || c.name === 'clear' || (c.name === 'copy' && named(p)[0] === e) ? 'write' : 'read';
      // Another function can change a map's or a slice's contents through it.
      const u = underlying(fc.res.typeOf(e)).kind;
      return u === 'map' || u === 'slice' ? 'unknown' : 'read';
    }
    return 'read';
  }
}
