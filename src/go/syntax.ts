/**
 * @fileoverview A plain-JavaScript copy of (parts of) a tree-sitter syntax tree.
 *
 * Why copy: every property access on a native tree-sitter `SyntaxNode` crosses the
 * N-API boundary (measured here: ~2.6 µs per node for a recursive `namedChildren`
 * walk, ~0.7 µs per node for a cursor copy). Rules look at the same nodes many times,
 * so we copy a subtree once with a `TreeCursor` and then work on ordinary objects.
 * We copy lazily: package-level declarations always (parameter lists and literal
 * elements on first read, see `LazyNode`), function bodies only when a rule asks for
 * them (`SourceFile.body`). Punctuation tokens (brackets, commas, dots, semicolons) are
 * not copied. Offsets are UTF-16 code units, which is what node-tree-sitter reports for
 * string input, so `text.slice(start, end)` is the node's source.
 */
import type { TreeCursor } from 'tree-sitter';

/** A syntax node: tree-sitter's node type, field name and children, with parent links. */
export interface Node {
  type: string;
  /** False for anonymous tokens (`:=`, `<-`, `*`, keywords; punctuation is not copied). */
  named: boolean;
  /** Field name in the parent (`left`, `body`, `function`...), or null. */
  field: string | null;
  start: number;
  end: number;
  children: Node[];
  parent: Node | null;
  /** Set for ERROR and MISSING nodes. */
  missing?: boolean;
}

/**
 * A node whose children are copied on first access (`load`). Used for subtrees that are
 * large and rarely looked at: the parameter lists of every function signature and the
 * element lists of package-level composite literals (test tables). The accessor lives on
 * the prototype, so these nodes keep one shape and property access stays fast.
 */
export class LazyNode implements Node {
  missing?: boolean;
  private kids: Node[] | undefined;
  constructor(
    readonly type: string,
    readonly named: boolean,
    public field: string | null,
    readonly start: number,
    readonly end: number,
    public parent: Node | null,
    private load: ((n: LazyNode) => Node[]) | undefined,
  ) {}

  get children(): Node[] {
    if (!this.kids) {
      const load = this.load;
      this.load = undefined;
      this.kids = load ? load(this) : [];
    }
    return this.kids;
  }

  set children(v: Node[]) {
    this.kids = v;
    this.load = undefined;
  }
}

/** Which nodes `copySubtree` leaves lazy, and how their children are loaded. */
export interface LazyPolicy {
  /** Whether the node about to be copied (of `type`, starting at `start`) should be lazy. */
  lazy(type: string, start: number): boolean;
  load(n: LazyNode): Node[];
}

/**
 * Copies the subtree at the cursor's current node (the cursor is left where it started).
 * Iterative, so deeply nested expressions cannot overflow the JS stack. With a `policy`,
 * the nodes it picks are copied without children, which are loaded on first access.
 */
export function copySubtree(c: TreeCursor, parent: Node | null, policy?: LazyPolicy): Node {
  const root = nodeAt(c, parent);
  if (lastWasLeaf) return root;
  const kids = copyChildren(c, root, policy);
  if (kids.length > 0) root.children = kids;
  return root;
}

/**
 * Copies the children of the cursor's current node, with `parent` as their parent, and
 * returns them (the cursor is left where it started; `parent.children` is not touched,
 * so a LazyNode can load its own). Punctuation is left out.
 */
export function copyChildren(c: TreeCursor, parent: Node, policy?: LazyPolicy): Node[] {
  const out: Node[] = [];
  if (!c.gotoFirstChild()) return out;
  let cur = parent;
  for (;;) {
    const n = nodeAt(c, cur, policy, true);
    if (n !== PUNCTUATION) {
      if (cur === parent) out.push(n);
      else cur.children.push(n);
      // Tokens have no children: one native call saved per token.
      if (!(n instanceof LazyNode) && !lastWasLeaf && c.gotoFirstChild()) {
        n.children = [];
        cur = n;
        continue;
      }
    }
    while (!c.gotoNextSibling()) {
      c.gotoParent();
      if (cur === parent) return out;
      cur = cur.parent as Node;
    }
  }
}

/**
 * Node type name and named-ness by grammar symbol id, and field names by field id,
 * learnt on first sight. A symbol's name and named-ness never change within a grammar,
 * and reading two numbers crosses the N-API boundary more cheaply than creating the two
 * strings (`nodeType`, `currentFieldName`) and a boolean for every node copied.
 */
const symbols: Array<Sym | undefined> = [];
/** Whether the node `nodeAt` last looked at is a token (saves asking the cursor for children). */
let lastWasLeaf = false;

interface Sym {
  type: string;
  named: boolean;
  /** Punctuation left out of copies. */
  skip: boolean;
  /** Never has children: anonymous nodes (tree-sitter-go aliases only to named symbols) and the grammar's named tokens. */
  leaf: boolean;
}

/** Named symbols of tree-sitter-go 0.25 that are tokens (grammar.js: token rules and their aliases). */
export const NAMED_TOKENS: ReadonlySet<string> = new Set([
  'identifier', 'type_identifier', 'field_identifier', 'package_identifier', 'label_name', 'int_literal', 'float_literal',
  'imaginary_literal', 'rune_literal', 'comment', 'escape_sequence', 'raw_string_literal_content',
  'interpreted_string_literal_content', 'true', 'false', 'nil', 'iota', 'blank_identifier',
]);

/**
 * Anonymous punctuation tokens are not copied below the root (about a third of a Go
 * tree's nodes): nothing reads brackets, commas or dots as nodes; operators, keywords
 * and `:=`/`<-`/`*`/`...` are kept. `nodeAt` returns this marker for them.
 */
const SKIPPED_PUNCTUATION = new Set(['(', ')', '{', '}', '[', ']', ',', '.', ';']);
const PUNCTUATION: Node = Object.freeze({ type: '', named: false, field: null, start: 0, end: 0, children: [], parent: null }) as Node;
const fieldNames: Array<string | undefined> = [];

/**
 * The children of every copied leaf: one shared, frozen empty array. About half the
 * nodes of a Go tree are leaves; not allocating an array for each cuts garbage
 * collection noticeably. (Frozen, so a push onto a leaf fails loudly.)
 */
const NO_CHILDREN = Object.freeze([]) as unknown as Node[];

function newSymbol(c: TreeCursor): Sym {
  const type = c.nodeType;
  const named = c.nodeIsNamed;
  return { type, named, skip: !named && SKIPPED_PUNCTUATION.has(type), leaf: !named || NAMED_TOKENS.has(type) };
}

/** A childless copy of the cursor's current node (a LazyNode when `policy` picks it). */
function nodeAt(c: TreeCursor, parent: Node | null, policy?: LazyPolicy, skipPunctuation = false): Node {
  const id = c.nodeTypeId;
  const sym = (symbols[id] ??= newSymbol(c));
  lastWasLeaf = sym.leaf;
  if (sym.skip && skipPunctuation && !c.nodeIsMissing) return PUNCTUATION;
  const fid = c.currentFieldId;
  const start = c.startIndex;
  const end = c.endIndex;
  const field = fid === undefined ? null : (fieldNames[fid] ??= c.currentFieldName);
  if (policy?.lazy(sym.type, start)) return new LazyNode(sym.type, sym.named, field, start, end, parent, policy.load);
  const n: Node = {
    type: sym.type,
    named: sym.named,
    field,
    start,
    end,
    children: NO_CHILDREN,
    parent,
  };
  // MISSING nodes are zero-width: only those need asking.
  if (start === end && c.nodeIsMissing) n.missing = true;
  return n;
}

/** The first child with the given field name. */
export function field(n: Node, name: string): Node | undefined {
  for (const ch of n.children) if (ch.field === name) return ch;
  return undefined;
}

/** All children with the given field name. */
export function fields(n: Node, name: string): Node[] {
  return n.children.filter((ch) => ch.field === name);
}

/** Named children (skips punctuation, keywords and comments). */
export function named(n: Node): Node[] {
  return n.children.filter((ch) => ch.named && ch.type !== 'comment');
}

/** The first named child of the given type. */
export function childOfType(n: Node, type: string): Node | undefined {
  for (const ch of n.children) if (ch.type === type) return ch;
  return undefined;
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(n: Node): Node {
  while (n.type === 'parenthesized_expression') {
    const inner = named(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** Pre-order walk; return false from `visit` to skip a node's children. */
export function walk(n: Node, visit: (n: Node) => boolean | void): void {
  const stack: Node[] = [n];
  while (stack.length > 0) {
    const cur = stack.pop() as Node;
    if (visit(cur) === false) continue;
    for (let i = cur.children.length - 1; i >= 0; i--) stack.push(cur.children[i] as Node);
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

/** Elements of an expression_list (or the node itself when it is a single expression). */
export function exprList(n: Node | undefined): Node[] {
  if (!n) return [];
  if (n.type === 'expression_list') return named(n);
  return [n];
}
