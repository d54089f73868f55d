/**
 * @fileoverview Integers and slice lengths a function fixes, and loop trip counts built
 * on them. Shared by the channel rules (capacity against sends, how many goroutines a
 * loop starts) and the timer rules (how many timers a loop makes).
 *
 * Beyond constants (`const n = 3`, `len("abc")` is not needed), a value is known when it
 * comes from a local that is assigned once and never written again (`workers := 100`), a
 * slice literal without indices (`[]string{"a", "b"}`), `make([]T, n)`, `len(x)` of any of
 * these, or a local slice built only by `xs = append(xs, v)` in statements whose run
 * count is known (`for i := 0; i < n; i++ { xs = append(xs, f(i)) }`) before the point
 * where its length is asked. Anything else — a write we do not follow, the address taken,
 * a method call on the variable, an append inside a closure — makes the value unknown.
 */
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, named, unparen, type Node } from '../go/syntax.js';
import { underlying } from '../go/types.js';
import type { FuncCtx } from './pass.js';

/** How one reference to a local variable touches it. */
type RefUse = 'read' | 'write' | 'append' | 'escape';

/** Classifies a reference `id` to a local variable. */
function refUse(fc: FuncCtx, id: Node): { use: RefUse; stmt?: Node } {
  let e = id;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return { use: 'escape' };
  if (p.type === 'expression_list' && p.field === 'left') {
    const st = p.parent;
    if (st?.type === 'assignment_statement') {
      const lefts = exprList(p);
      const rights = exprList(field(st, 'right'));
      const op = st.children.find((c) => !c.named && c.field === 'operator');
      const i = lefts.indexOf(e);
      const r = rights.length === lefts.length ? rights[i] : undefined;
      // xs = append(xs, a, b): a known number of elements added to the same slice.
      if (op && fc.text(op) === '=' && r) {
        const call = unparen(r);
        if (call.type === 'call_expression' && fc.text(field(call, 'function') ?? call) === 'append') {
          const argList = field(call, 'arguments');
          const args = named(argList ?? call).filter((a) => a.type !== 'comment');
          const first = args[0] ? unparen(args[0]) : undefined;
          if (first?.type === 'identifier' && fc.text(first) === fc.text(id) && !argList?.children.some((c) => c.type === 'variadic_argument' || (!c.named && fc.text(c) === '...'))) {
            return { use: 'append', stmt: st };
          }
        }
      }
      return { use: 'write', stmt: st };
    }
    return { use: 'write' }; // short var redeclaration, range and receive assignments
  }
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return { use: 'write' };
  if (p.type === 'unary_expression' && fc.text(p).trimStart().startsWith('&')) return { use: 'escape' };
  // A method call or field access on the variable may write through a pointer receiver.
  if (p.type === 'selector_expression' && field(p, 'operand') === e) return { use: 'escape' };
  if (p.type === 'range_clause' && field(p, 'left') === e) return { use: 'write' };
  return { use: 'read' };
}

/** A function-local `var` that no statement writes after its declaration. */
export function assignedOnce(fc: FuncCtx, v: LocalVar): boolean {
  if (v.kind !== 'var' || v.rangeOf || v.recvFrom) return false;
  return fc.facts.memo(`assigned-once:${fc.file.path}:${v.ident.start}`, () => (fc.res.refs.get(v) ?? []).every((r) => refUse(fc, r).use === 'read'));
}

/** The integer value of `e` when the function fixes it (see the file overview). */
export function knownInt(fc: FuncCtx, e: Node, depth = 0): number | undefined {
  if (depth > 12) return undefined;
  const x = unparen(e);
  const c = fc.res.constValue(x);
  if (c !== undefined) return c;
  switch (x.type) {
    case 'call_expression': {
      const callee = fc.res.callee(x);
      const args = named(field(x, 'arguments') ?? x).filter((a) => a.type !== 'comment');
      // int32(n): a conversion keeps the value (sync/atomic/atomic_test.go:2789).
      if (callee.kind === 'conversion') return args.length === 1 && args[0] ? knownInt(fc, args[0], depth + 1) : undefined;
      if (callee.kind === 'builtin' && callee.name === 'len' && args.length === 1 && args[0]) return knownLen(fc, args[0], x, depth + 1);
      return undefined;
    }
    case 'identifier': {
      const v = fc.res.localOf(x);
      if (!v || !v.init || v.init.count !== 1 || !assignedOnce(fc, v)) return undefined;
      return knownInt(fc, v.init.expr, depth + 1);
    }
    case 'binary_expression': {
      const l = field(x, 'left');
      const r = field(x, 'right');
      const tok = x.children.find((k) => !k.named);
      if (!l || !r || !tok) return undefined;
      const a = knownInt(fc, l, depth + 1);
      const b = a === undefined ? undefined : knownInt(fc, r, depth + 1);
      if (a === undefined || b === undefined) return undefined;
      const op = fc.text(tok);
      return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' && b !== 0 ? Math.trunc(a / b) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The length of slice or array expression `e` at node `at` (where the length is asked:
 * a `len` call, a range clause), when the function fixes it.
 */
export function knownLen(fc: FuncCtx, e: Node, at: Node, depth = 0): number | undefined {
  if (depth > 12) return undefined;
  const x = unparen(e);
  if (x.type === 'composite_literal') return literalLen(fc, x, depth);
  if (x.type === 'call_expression') {
    const callee = fc.res.callee(x);
    const args = named(field(x, 'arguments') ?? x).filter((a) => a.type !== 'comment');
    if (callee.kind !== 'builtin' || callee.name !== 'make' || args[0]?.type !== 'slice_type' || !args[1]) return undefined;
    return knownInt(fc, args[1], depth + 1);
  }
  if (x.type !== 'identifier') return undefined;
  const v = fc.res.localOf(x);
  if (!v || v.kind !== 'var' || v.rangeOf || v.recvFrom) return undefined;
  let base: number | undefined;
  if (v.init) base = v.init.count === 1 ? knownLen(fc, v.init.expr, at, depth + 1) : undefined;
  else if (v.typeExpr?.type === 'slice_type') base = 0; // `var xs []T`
  if (base === undefined) return undefined;
  let len = base;
  for (const r of fc.res.refs.get(v) ?? []) {
    const { use, stmt } = refUse(fc, r);
    if (use === 'read') continue;
    if (use !== 'append' || !stmt) return undefined;
    // The append must run before `at`, in the variable's own function, and not again
    // in a loop that also contains `at`.
    if (stmt.end > at.start || fc.res.enclosingFunc(stmt) !== v.func || fc.res.enclosingFunc(at) !== v.func) return undefined;
    for (let p = stmt.parent; p && p !== v.func; p = p.parent) if (p.type === 'for_statement' && at.start >= p.start && at.end <= p.end) return undefined;
    const runs = runCount(fc, stmt, v.func, v.ident);
    const rights = exprList(field(stmt, 'right'));
    const call = rights[0] ? unparen(rights[0]) : undefined;
    const added = call ? named(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment').length - 1 : 0;
    if (runs === Infinity) return undefined;
    len += runs * added;
  }
  return len;
}

/** Elements of a slice or array literal: `[]T{a, b}` → 2, `[4]T{}` → 4; undefined with indices. */
function literalLen(fc: FuncCtx, lit: Node, depth: number): number | undefined {
  const body = field(lit, 'body');
  const ty = field(lit, 'type');
  if (!body || !ty) return undefined;
  if (ty.type === 'array_type') {
    const n = field(ty, 'length');
    return n ? knownInt(fc, n, depth + 1) : undefined;
  }
  if (ty.type !== 'slice_type' && ty.type !== 'implicit_length_array_type') return undefined;
  // `[]T{5: x}` has a different length.
  const elems = named(body).filter((el) => el.type !== 'comment');
  return elems.some((el) => el.type === 'keyed_element') ? undefined : elems.length;
}

/**
 * How many times `n` runs per execution of `fn`, counting only loops between `n` and
 * `outer` (loops that also contain `outer`, e.g. the channel's make, run both together):
 * 1 outside loops, the trip count of loops the function fixes (`for i := 0; i < 4; i++`,
 * `for range n` with `n := 4`, `for _, x := range xs` with a known `len(xs)`), Infinity
 * otherwise.
 */
export function runCount(fc: FuncCtx, n: Node, fn: Node, outer: Node): number {
  let count = 1;
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'func_literal') break;
    if (p.type !== 'for_statement' || (outer.start >= p.start && outer.end <= p.end)) continue;
    const trips = tripCount(fc, p);
    count = trips === undefined ? Infinity : count * trips;
  }
  return count;
}

/** The number of iterations of a for statement, when the function fixes it. */
export function tripCount(fc: FuncCtx, loop: Node): number | undefined {
  const rc = loop.children.find((c) => c.type === 'range_clause');
  if (rc) {
    const right = field(rc, 'right');
    if (!right) return undefined;
    const t = fc.res.typeOf(right);
    // `range n` over an integer (Go 1.22) runs n times; over a slice or array, len times.
    if (underlying(t).kind === 'basic') return knownInt(fc, right);
    return knownLen(fc, right, rc);
  }
  const fcl = loop.children.find((c) => c.type === 'for_clause');
  if (!fcl) return undefined;
  const init = field(fcl, 'initializer');
  const cond = field(fcl, 'condition');
  const upd = field(fcl, 'update');
  if (!init || !cond || !upd || init.type !== 'short_var_declaration' || cond.type !== 'binary_expression') return undefined;
  const iv = exprList(field(init, 'left'))[0];
  const start = exprList(field(init, 'right'))[0];
  const l = field(cond, 'left');
  const r = field(cond, 'right');
  const op = cond.children.find((c) => !c.named);
  if (!iv || !start || !l || !r || !op || fc.text(l) !== fc.text(iv) || fc.text(upd) !== `${fc.text(iv)}++`) return undefined;
  // The counter must only be stepped by the update clause.
  const counter = fc.res.defs.get(iv);
  if (counter && (fc.res.refs.get(counter) ?? []).some((ref) => ref.start > (field(loop, 'body')?.start ?? loop.end) && refUse(fc, ref).use !== 'read')) return undefined;
  const a = knownInt(fc, start);
  const b = knownInt(fc, r);
  if (a === undefined || b === undefined) return undefined;
  const o = fc.text(op);
  const trips = o === '<' ? b - a : o === '<=' ? b - a + 1 : undefined;
  return trips === undefined ? undefined : Math.max(0, trips);
}
