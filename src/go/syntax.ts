/**
 * @fileoverview Syntax nodes and helpers to read them.
 *
 * Nodes use tree-sitter-go's vocabulary (node types such as `call_expression`,
 * `short_var_declaration`, `selector_expression`, and field names such as `function`,
 * `left`, `operand`), which the analysis and every rule are written against; our own
 * parser (`parser/parser.ts`) builds them directly as plain objects, every body included.
 * Operators and keywords are anonymous children (`named: false`, type = the token:
 * `:=`, `<-`, `*`, `go`, `range`); punctuation (brackets, commas, dots, semicolons) and
 * comments are not nodes. Offsets are UTF-16 code units of the file's text, so
 * `text.slice(start, end)` is a node's source.
 */

/** A syntax node: tree-sitter-go's node type, field name and children, with parent links. */
export interface Node {
  type: string;
  /** False for anonymous tokens (`:=`, `<-`, `*`, keywords); punctuation is not a node. */
  named: boolean;
  /** Field name in the parent (`left`, `body`, `function`...), or null. */
  field: string | null;
  start: number;
  end: number;
  children: Node[];
  parent: Node | null;
  /** Set on the zero-width placeholder the parser puts where a required name was missing. */
  missing?: boolean;
}

/** The first child with the given field name. */
export function field(n: Node, name: string): Node | undefined {
  // Indexed rather than for-of: called millions of times per package, often from code V8
  // has not optimised, where each for-of step allocates an iterator result.
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if ((kids[i] as Node).field === name) return kids[i];
  return undefined;
}

/** All children with the given field name. */
export function fields(n: Node, name: string): Node[] {
  const out: Node[] = [];
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) {
    const ch = kids[i] as Node;
    if (ch.field === name) out.push(ch);
  }
  return out;
}

/**
 * Named children (skips keywords and operators; punctuation and comments are not nodes).
 * When every child is named (most nodes), this is the node's own `children` array, not a copy,
 * hence the `readonly` type: a caller that wants to change the list copies it. (Copying it took
 * 13 MB of short-lived slices and the walk of an `expression_list` in `exprList` 30 MB over the stdlib.)
 */
export function named(n: Node): readonly Node[] {
  const kids = n.children;
  let i = 0;
  while (i < kids.length && (kids[i] as Node).named) i++;
  if (i === kids.length) return kids;
  const out = kids.slice(0, i);
  for (i++; i < kids.length; i++) {
    const ch = kids[i] as Node;
    if (ch.named) out.push(ch);
  }
  return out;
}

/** The first named child, without copying the list as `named(n)[0]` does. */
export function firstNamed(n: Node): Node | undefined {
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if ((kids[i] as Node).named) return kids[i];
  return undefined;
}

/** The first named child of the given type. */
export function childOfType(n: Node, type: string): Node | undefined {
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if ((kids[i] as Node).type === type) return kids[i];
  return undefined;
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(n: Node): Node {
  while (n.type === 'parenthesized_expression') {
    const inner = firstNamed(n);
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** Pre-order walk; return false from `visit` to skip a node's children. */
export function walk(n: Node, visit: (n: Node) => boolean | void): void {
  // An explicit stack pointer rather than push/pop: the array only grows, and a walk over a
  // stdlib package is about 10 % faster (walks are a few percent of a check's CPU).
  const stack: Node[] = [n];
  let sp = 1;
  while (sp > 0) {
    const cur = stack[--sp] as Node;
    if (visit(cur) === false) continue;
    const kids = cur.children;
    for (let i = kids.length - 1; i >= 0; i--) stack[sp++] = kids[i] as Node;
  }
}

/** True when `inner` is `outer` or lies inside it. */
export function contains(outer: Node, inner: Node): boolean {
  return inner.start >= outer.start && inner.end <= outer.end && (inner.start !== outer.start || inner.end !== outer.end || inner === outer || isAncestor(outer, inner));
}

function isAncestor(a: Node, b: Node): boolean {
  for (let p: Node | null = b; p; p = p.parent) if (p === a) return true;
  return false;
}

/** The nearest ancestor (not the node itself) whose type is in `types`. */
export function ancestor(n: Node, ...types: string[]): Node | undefined {
  if (types.length === 1) {
    const t = types[0];
    for (let p = n.parent; p; p = p.parent) if (p.type === t) return p;
    return undefined;
  }
  for (let p = n.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return undefined;
}

/** Node types that start a new function (body with its own control flow). */
export const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** The innermost function (declaration, method or literal) containing `n`. */
export function enclosingFunc(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (FUNC_TYPES.has(p.type)) return p;
  return undefined;
}

/** Elements of an expression_list (or the node itself when it is a single expression); read-only, like `named`'s. */
export function exprList(n: Node | undefined): readonly Node[] {
  if (!n) return [];
  if (n.type === 'expression_list') return named(n);
  return [n];
}
