/**
 * @fileoverview Branch-condition correlation for path-sensitive analyses (the lock-state
 * analysis uses it; any walker that keeps one state per path can).
 *
 * A path records the outcome of the side-effect-free conditions it took, keyed by their
 * normalised text, so that the same condition tested again with no assignment in
 * between takes the same branch:
 *
 * - `if len(t.changes) != 0 { mu.Lock() } ... if len(t.changes) != 0 { mu.Unlock() }`
 *   is two paths, not four (`!=` is recorded as the negation of `==`, `!x` as `x`, and
 *   `a && b` taken as true records both `a` and `b`);
 * - boolean flags set next to a lock are facts of the path: `held = true`, `held :=
 *   false`, `var held bool` (its zero value), so `if !held { mu.Lock(); held = true }` in
 *   a loop locks once;
 * - the comma-ok result of a type assertion stands for the assertion itself:
 *   `if fs, ok := s.store.(*fileStore); ok` twice on the same `s.store` agrees even
 *   though each `ok` is a new variable;
 * - loop conditions (`for popped := false; !popped;`) take part when every variable
 *   they read is a local that only this function assigns directly (never through a
 *   pointer or a closure), so a loop is only left when its condition can be false.
 *
 * A condition with a call or a receive is never recorded (evaluating it twice may give
 * two answers). Callers forget the recorded outcomes that mention a variable when it is
 * assigned ({@link forgetMentioning}).
 */
import type { Block } from '../go/cfg.js';
import type { FuncResolution, LocalVar } from '../go/resolve.js';
import { exprList, field, fields, named, unparen, walk, type Node } from '../go/syntax.js';
import { underlying, type Type } from '../go/types.js';
import type { FuncCtx, PackageFacts } from './pass.js';

/** Outcomes of conditions on one path: normalised condition text → value. */
export type CondFacts = Map<string, boolean>;

const IDENT = /\b[A-Za-z_]\w*\b/g;
const idsCache = new Map<string, Set<string>>();

/** The identifiers a recorded key mentions (its text's words). */
function idsOf(key: string): Set<string> {
  let s = idsCache.get(key);
  if (!s) {
    s = new Set(key.match(IDENT) ?? []);
    if (idsCache.size > 50000) idsCache.clear();
    idsCache.set(key, s);
  }
  return s;
}

/** Forgets the outcomes that mention variable `name` (it was just assigned). */
export function forgetMentioning(facts: CondFacts, name: string): void {
  if (facts.size === 0) return;
  for (const k of [...facts.keys()]) if (idsOf(k).has(name)) facts.delete(k);
}

/** True when evaluating `n` has no side effects and gives the same value until a variable it reads is assigned. */
export function isPure(fc: FuncCtx, n: Node): boolean {
  let pure = true;
  walk(n, (m) => {
    if (m.type === 'call_expression' || m.type === 'func_literal' || (m.type === 'unary_expression' && fc.text(m).trimStart().startsWith('<-'))) pure = false;
    return pure;
  });
  return pure;
}

/**
 * The condition that decides the two successors of `block` (an `if` condition, or a
 * `for` loop's condition at its head), when it is side-effect free. Loop conditions
 * also need every variable they read to be a stable local (see the file overview).
 */
export function branchCondition(fc: FuncCtx, block: Block): Node | undefined {
  const n = block.nodes[block.nodes.length - 1];
  if (!n || block.succs.length !== 2) return undefined;
  const p = n.parent;
  if (p?.type === 'if_statement' && field(p, 'condition') === n) return isPure(fc, n) ? n : undefined;
  const isLoopCond = (p?.type === 'for_clause' && field(p, 'condition') === n) || (p?.type === 'for_statement' && n.type !== 'block' && n.type !== 'for_clause' && n.type !== 'range_clause');
  if (!isLoopCond || !isPure(fc, n)) return undefined;
  let stable = true;
  walk(n, (m) => {
    if (!stable) return false;
    if (m.type === 'selector_expression' || m.type === 'index_expression') stable = false;
    if (m.type === 'identifier') {
      const v = fc.res.localOf(m);
      if (v && !(v.kind === 'const' || isStableLocal(fc, v))) stable = false;
    }
    return stable;
  });
  return stable ? n : undefined;
}

/** A local whose value changes only through direct assignments in its own function (no `&v`, no writes from closures). */
export function isStableLocal(fc: FuncCtx, v: LocalVar): boolean {
  if (v.kind !== 'var' && v.kind !== 'param' && v.kind !== 'result') return false;
  for (const id of fc.res.refs.get(v) ?? []) {
    const p = id.parent;
    if (p?.type === 'unary_expression' && fc.text(p).trimStart().startsWith('&')) return false;
    const written =
      (p?.type === 'expression_list' && (p.parent?.type === 'assignment_statement' || p.parent?.type === 'short_var_declaration') && p.field === 'left') ||
      p?.type === 'inc_statement' ||
      p?.type === 'dec_statement';
    if (written && fc.res.enclosingFunc(id) !== v.func) return false;
  }
  return true;
}

/** The key of an atomic condition: its normalised text, or for a comma-ok `ok` the assertion it reports on. */
function atomKey(fc: FuncCtx, n: Node): string {
  if (n.type === 'identifier') {
    const a = assertionOf(fc, n);
    if (a) return norm(fc, a);
  }
  return norm(fc, n);
}

function norm(fc: FuncCtx, n: Node): string {
  return fc.text(n).replace(/\s+/g, ' ');
}

/**
 * For `ok` in `v, ok := E.(T)` (an if initializer or any single definition never
 * reassigned), the pure type assertion `E.(T)` whose success `ok` reports.
 */
function assertionOf(fc: FuncCtx, id: Node): Node | undefined {
  const v = fc.res.localOf(id);
  if (!v || v.kind !== 'var') return undefined;
  const decl = v.ident.parent?.parent;
  if (decl?.type !== 'short_var_declaration' && decl?.type !== 'assignment_statement') return undefined;
  const lefts = exprList(field(decl, 'left'));
  const rights = exprList(field(decl, 'right'));
  if (lefts.length !== 2 || lefts[1] !== v.ident || rights.length !== 1) return undefined;
  const r = unparen(rights[0] as Node);
  if (r.type !== 'type_assertion_expression' || !isPure(fc, r)) return undefined;
  // Reassigned elsewhere: `ok` no longer tells about this assertion.
  for (const ref of fc.res.refs.get(v) ?? []) {
    const p = ref.parent;
    if (ref !== v.ident && p?.type === 'expression_list' && p.field === 'left') return undefined;
  }
  return r;
}

/** `a op b` parts of a binary expression. */
function binary(fc: FuncCtx, n: Node): { l: Node; op: string; r: Node } | undefined {
  if (n.type !== 'binary_expression') return undefined;
  const l = field(n, 'left');
  const r = field(n, 'right');
  const tok = n.children.find((c) => !c.named);
  return l && r && tok ? { l, op: fc.text(tok), r } : undefined;
}

function negation(fc: FuncCtx, n: Node): Node | undefined {
  if (n.type !== 'unary_expression' || !fc.text(n).trimStart().startsWith('!')) return undefined;
  return field(n, 'operand') ?? named(n)[0];
}

/** The key of `a != b` is that of `a == b`, negated. */
function comparisonKey(fc: FuncCtx, n: Node): { key: string; neg: boolean } | undefined {
  const b = binary(fc, n);
  if (!b || (b.op !== '==' && b.op !== '!=')) return undefined;
  return { key: `${norm(fc, b.l)} == ${norm(fc, b.r)}`, neg: b.op === '!=' };
}

/** The value of condition `n` on a path with facts `facts`, when they decide it. */
export function evalCond(fc: FuncCtx, facts: CondFacts, n0: Node): boolean | undefined {
  const n = unparen(n0);
  if (facts.size === 0) return undefined;
  const whole = facts.get(atomKey(fc, n));
  if (whole !== undefined) return whole;
  const neg = negation(fc, n);
  if (neg) {
    const v = evalCond(fc, facts, neg);
    return v === undefined ? undefined : !v;
  }
  const cmp = comparisonKey(fc, n);
  if (cmp) {
    const v = facts.get(cmp.key);
    return v === undefined ? undefined : v !== cmp.neg;
  }
  const b = binary(fc, n);
  if (b && (b.op === '&&' || b.op === '||')) {
    const l = evalCond(fc, facts, b.l);
    const r = evalCond(fc, facts, b.r);
    if (b.op === '&&') return l === false || r === false ? false : l === true && r === true ? true : undefined;
    return l === true || r === true ? true : l === false && r === false ? false : undefined;
  }
  return undefined;
}

/** Records on a path that condition `n` evaluated to `value`. */
export function assumeCond(fc: FuncCtx, facts: CondFacts, n0: Node, value: boolean): void {
  const n = unparen(n0);
  const neg = negation(fc, n);
  if (neg) {
    assumeCond(fc, facts, neg, !value);
    return;
  }
  const cmp = comparisonKey(fc, n);
  if (cmp) {
    facts.set(cmp.key, value !== cmp.neg);
    return;
  }
  facts.set(atomKey(fc, n), value);
  const b = binary(fc, n);
  if (b && ((b.op === '&&' && value) || (b.op === '||' && !value))) {
    assumeCond(fc, facts, b.l, value);
    assumeCond(fc, facts, b.r, value);
  }
}

/** `true` / `false` when `n` is the predeclared constant (not shadowed). */
export function boolLiteral(fc: FuncCtx, n: Node): boolean | undefined {
  const u = unparen(n);
  if (u.type === 'true' || u.type === 'false') return u.type === 'true';
  if (u.type !== 'identifier') return undefined;
  const t = fc.text(u);
  if ((t !== 'true' && t !== 'false') || fc.res.localOf(u) || fc.res.pkgObjOf(u)) return undefined;
  return t === 'true';
}

/**
 * The value of a constant boolean condition: `true`, `false`, a bool constant declared
 * with one of them (`const debug = false`) locally or at the top of the same file, or
 * their negation. Undefined otherwise. Constants of other files are not looked up: that
 * would parse them for every condition naming a package-level identifier.
 */
export function constBool(fc: FuncCtx, n0: Node, depth = 0): boolean | undefined {
  const n = unparen(n0);
  if (depth > 8) return undefined;
  const lit = boolLiteral(fc, n);
  if (lit !== undefined) return lit;
  const neg = negation(fc, n);
  if (neg) {
    const v = constBool(fc, neg, depth + 1);
    return v === undefined ? undefined : !v;
  }
  if (n.type !== 'identifier') return undefined;
  const v = fc.res.localOf(n);
  if (v) return v.kind === 'const' && v.init ? constBool(fc, v.init.expr, depth + 1) : undefined;
  const name = fc.text(n);
  for (const d of fc.file.decls) {
    if (d.type !== 'const_declaration') continue;
    for (const spec of d.children) {
      if (spec.type !== 'const_spec') continue;
      const names = spec.children.filter((c) => c.field === 'name');
      const i = names.findIndex((c) => fc.text(c) === name);
      if (i < 0) continue;
      // Shadowed by a package-level declaration elsewhere would not compile; a local was checked above.
      const val = exprList(field(spec, 'value'))[i];
      const t = val ? fc.text(unparen(val)) : '';
      return t === 'true' ? true : t === 'false' ? false : undefined;
    }
  }
  return undefined;
}

/**
 * Boolean flags set by statement `n`: `x = true`, `x, y := false, true`, `var x bool`
 * (the zero value), `var x = true`. Returns the condition each sets and its value; the
 * caller applies them after forgetting what the assignment invalidates.
 */
export function flagsSetBy(fc: FuncCtx, n: Node): Array<{ cond: Node; value: boolean }> {
  const out: Array<{ cond: Node; value: boolean }> = [];
  if (n.type === 'var_spec') {
    const names = n.children.filter((c) => c.field === 'name');
    const vals = exprList(field(n, 'value'));
    const te = field(n, 'type');
    if (vals.length === 0 && te && fc.text(te) === 'bool') for (const nm of names) out.push({ cond: nm, value: false });
    else if (vals.length === names.length) names.forEach((nm, i) => {
      const b = boolLiteral(fc, vals[i] as Node);
      if (b !== undefined) out.push({ cond: nm, value: b });
    });
    return out;
  }
  if (n.type !== 'assignment_statement' && n.type !== 'short_var_declaration') return out;
  if (n.type === 'assignment_statement' && !n.children.some((c) => !c.named && fc.text(c) === '=')) return out;
  const lefts = exprList(field(n, 'left'));
  const rights = exprList(field(n, 'right'));
  if (lefts.length !== rights.length) return out;
  lefts.forEach((l, i) => {
    const u = unparen(l);
    if (u.type !== 'identifier' && u.type !== 'selector_expression') return;
    if (u.type === 'identifier' && fc.text(u) === '_') return;
    const b = boolLiteral(fc, rights[i] as Node);
    if (b !== undefined && isPure(fc, u)) out.push({ cond: u, value: b });
  });
  return out;
}

/** Integer kinds a closed enum may have as its underlying type (Go spec, "Numeric types"). */
const INTEGER_KINDS = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune']);
/** Operators that compute a new value of their operand's type (which may lie outside an enum). */
const ARITH_OPS = new Set(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&^']);
const ARITH_ASSIGN = new Set(['+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=', '&^=']);

/**
 * The values of a closed enum: an unexported named integer type `T` declared in this
 * package whose values can only be its constants. Undefined when `t` is not one.
 *
 * A package-level `const` of type T (`A T = iota; B; C`, or `D = T(3)`) is a member; the
 * enum is closed when every member's value is known, the zero value (what `var x T` and
 * an unset field hold) is a member, and nothing in the package (function bodies and
 * package-level initialisers, test files included) makes another value of T:
 * - a conversion `T(x)` whose operand is not a constant with a member's value;
 * - arithmetic that yields a T (`x + 1`, `-x`, `x++`, `x |= f`);
 * - a constant of type T declared inside a function.
 * Other packages cannot name T (it is unexported). What the analysis does not see is
 * accepted: an untyped constant passed where a T is expected (`read(7)`), and values
 * written by reflection or unsafe (Go spec, "Assignability": an untyped constant is
 * assignable to T when representable). Memoised per package and type.
 */
export function closedEnumValues(facts: PackageFacts, t: Type): ReadonlySet<number> | undefined {
  const pkg = facts.pkg;
  if (t.kind !== 'named' || t.pkg !== pkg.importPath || !/^[a-z_]/.test(t.name)) return undefined;
  const u = underlying(t);
  if (u.kind !== 'basic' || !INTEGER_KINDS.has(u.name)) return undefined;
  const name = t.name;
  return facts.memo(`conds:enum:${name}`, () => computeClosedEnum(facts, t, name));
}

function isType(t: Type, pkg: string, name: string): boolean {
  return t.kind === 'named' && t.pkg === pkg && t.name === name;
}

function computeClosedEnum(facts: PackageFacts, t: Type, name: string): ReadonlySet<number> | undefined {
  const pkg = facts.pkg;
  if (pkg.lookup(name)?.kind !== 'type') return undefined;
  const values = new Set<number>();
  for (const f of pkg.files) {
    for (const d of f.decls) {
      if (d.type !== 'const_declaration') continue;
      for (const spec of d.children) {
        if (spec.type !== 'const_spec') continue;
        for (const nm of fields(spec, 'name')) {
          const o = pkg.lookup(f.textOf(nm));
          if (!o || o.kind !== 'const' || o.nameNode !== nm || !isType(pkg.objType(o), pkg.importPath, name)) continue;
          const v = pkg.packageLevel(f).constValue(nm);
          if (v === undefined) return undefined;
          values.add(v);
        }
      }
    }
  }
  if (!values.has(0)) return undefined;
  // Every place that could make another value of T.
  const opens = (res: FuncResolution, text: (n: Node) => string, root: Node): boolean => {
    let open = false;
    walk(root, (n) => {
      if (open) return false;
      switch (n.type) {
        case 'call_expression': {
          // A conversion to T spells T (resolving every callee could load other packages).
          const fn = field(n, 'function');
          if (!fn || text(unparen(fn)) !== name) break;
          const c = res.callee(n);
          if (c.kind !== 'conversion' || !isType(c.type, pkg.importPath, name)) break;
          const arg = named(field(n, 'arguments') ?? n)[0];
          const v = arg ? res.constValue(arg) : undefined;
          if (v === undefined || !values.has(v)) open = true;
          break;
        }
        case 'binary_expression': {
          const op = field(n, 'operator');
          if (op && ARITH_OPS.has(text(op)) && isType(res.typeOf(n), pkg.importPath, name)) open = true;
          break;
        }
        case 'unary_expression': {
          const op = text(n).trimStart()[0];
          if ((op === '-' || op === '^' || op === '+') && isType(res.typeOf(n), pkg.importPath, name)) open = true;
          break;
        }
        case 'inc_statement':
        case 'dec_statement': {
          const x = named(n)[0];
          if (x && isType(res.typeOf(x), pkg.importPath, name)) open = true;
          break;
        }
        case 'assignment_statement': {
          const op = n.children.find((c) => !c.named && ARITH_ASSIGN.has(text(c)));
          const l = exprList(field(n, 'left'))[0];
          if (op && l && isType(res.typeOf(l), pkg.importPath, name)) open = true;
          break;
        }
        case 'const_spec': {
          const te = field(n, 'type');
          if (te && isType(res.typeFromExpr(te), pkg.importPath, name)) open = true;
          break;
        }
      }
      return open ? false : undefined;
    });
    return open;
  };
  for (const { decl, file } of pkg.funcDecls) {
    const fc = facts.funcCtx(decl, file);
    if (fc.body && opens(fc.res, (n) => fc.text(n), fc.body)) return undefined;
  }
  for (const { decl, file } of pkg.varDecls) if (opens(pkg.packageLevel(file), (n) => file.textOf(n), decl)) return undefined;
  return values;
}

/**
 * True when the expression switch `sw` (`switch x { ... }`) tests a value of a closed enum
 * ({@link closedEnumValues}) and its cases name every member: then no value reaches its
 * `default` clause, nor (without one) the way out past every case.
 */
export function exhaustiveEnumSwitch(fc: FuncCtx, sw: Node): boolean {
  if (sw.type !== 'expression_switch_statement') return false;
  const tag = field(sw, 'value');
  if (!tag) return false;
  const members = closedEnumValues(fc.facts, fc.res.typeOf(tag));
  if (!members) return false;
  const covered = new Set<number>();
  for (const c of sw.children) {
    if (c.type !== 'expression_case') continue;
    for (const v of exprList(field(c, 'value'))) {
      const x = fc.res.constValue(v);
      if (x !== undefined) covered.add(x);
    }
  }
  for (const m of members) if (!covered.has(m)) return false;
  return true;
}

/**
 * True when the CFG edge `from` → `to` cannot be taken: `from` dispatches an exhaustive
 * switch over a closed enum ({@link exhaustiveEnumSwitch}) and `to` is not one of its
 * case bodies (it is the `default` clause, or the way out when there is no default).
 * Path searches pass it as an edge barrier.
 */
export function infeasibleSwitchEdge(fc: FuncCtx, from: Block, to: Block): boolean {
  if (to.kind === 'switch.case') return false;
  const last = from.nodes[from.nodes.length - 1];
  const sw = last?.parent;
  if (!last || sw?.type !== 'expression_switch_statement' || field(sw, 'value') !== last) return false;
  return exhaustiveEnumSwitch(fc, sw);
}
