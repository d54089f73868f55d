/**
 * @fileoverview A recursive-descent parser for Go 1.26, a function-by-function port of
 * go/parser (parser.go): the same grammar decisions (the `[` ambiguities of type
 * parameters, array lengths, index expressions and instantiations; composite literals
 * versus blocks in control clauses; parameter lists with and without names), the same
 * error recovery and the same error positions.
 *
 * It builds the node vocabulary the analyser has always used (tree-sitter-go's node
 * types and field names, see `../syntax.ts`), so nothing downstream changes:
 * `call_expression` with `function` and `arguments`, `short_var_declaration` with
 * `left` and `right`, identifiers retagged by role (`type_identifier`,
 * `field_identifier`, `package_identifier`, `label_name`). Where go/parser cannot tell
 * apart what tree-sitter-go guessed at (`a[i](x)` is an index or an instantiation), the
 * node says what the syntax says: `call_expression` of an `index_expression`.
 * Differences from tree-sitter-go's trees, all deliberate: punctuation and comments are
 * not nodes (comments are in `ParsedFile.comments`), string literals are leaves, and
 * `new`/`make` take any expression (Go 1.26 `new(expr)`).
 */
import type { Node } from '../syntax.js';
import { Scanner, type CommentSpan, type LineDirective, type SyntaxError } from './scanner.js';
import { lineIndex, lineStarts } from './lines.js';
import { isAssignOp, precedence, T, TOKEN_STRING } from './token.js';
import { WARMUP_SOURCE } from './warmup.js';

/**
 * Times the warm-up file is parsed before this thread's first real parse (see
 * `./warmup.ts`); zero once done. Three, measured: parse-everything over the standard
 * library on two threads 2.76 -> 2.48 CPU-s (median of 5 alternating runs).
 */
let warmups = 3;

/** The result of parsing one file. */
export interface ParsedFile {
  /** Top-level declarations (package clause first), parent null. */
  decls: Node[];
  /** The package clause's name ('' when missing). */
  packageName: string;
  /** Syntax errors, sorted by offset: at most one per line and eleven in all, as go/parser reports them. */
  errors: SyntaxError[];
  comments: CommentSpan[];
  lineDirectives: LineDirective[];
  /** Tokens the scanner produced, rescans included (bounded by a small multiple of the file's tokens). */
  tokens: number;
}

/** Options of `parseGo`. */
export interface ParseOptions {
  /** UTF-16 offsets of characters that stand for bytes that were not valid UTF-8 (see `decodeUtf8`). */
  invalid?: readonly number[];
  /**
   * Skip the statements of function bodies (declarations, methods and function literals):
   * each body becomes an empty `block` node spanning its braces, found by matching braces
   * over the tokens (strings, runes and comments cannot fool it) without building nodes.
   * For reading a package's declarations only (signatures, types, constants, variables):
   * offsets stay those of the file, and syntax errors inside bodies (other than lexical
   * ones) are not reported, since the bodies are not parsed.
   */
  skipBodies?: boolean;
}

/** Parses a Go source file. Never throws on bad input: errors are returned. */
export function parseGo(text: string, opts: ParseOptions = {}): ParsedFile {
  if (warmups > 0) warmUp();
  const p = new Parser(text, opts.invalid, opts.skipBodies === true);
  const decls = p.parseFile();
  p.errors.sort((a, b) => a.offset - b.offset);
  return { decls, packageName: p.packageName, errors: p.errors, comments: p.sc.comments, lineDirectives: p.sc.lineDirectives, tokens: p.sc.count };
}

/**
 * Parses the warm-up file (every construct of the grammar) a few times, so that V8 has
 * type feedback for every path of the parser before it optimises any of it: fewer
 * deoptimisations and recompilations per thread (on the standard library about 60 -> 30,
 * and TurboFan's compile time per thread about 370 -> 300 ms CPU). Its trees are dropped.
 */
function warmUp(): void {
  const k = warmups;
  warmups = 0;
  for (let i = 0; i < k; i++) warmTrees.push(new Parser(WARMUP_SOURCE, undefined, false).parseFile());
}

/**
 * The warm-up's trees, kept for the life of the thread (a few hundred KB): V8 decides
 * whether an allocation site is pretenured from how much of what it allocated survives
 * scavenges while the code is not yet optimised, that is during the warm-up, and a site
 * found to allocate short-lived objects is never pretenured after. Real trees survive
 * their package's analysis; dropped warm-up trees would make the node sites look short-lived.
 */
const warmTrees: Node[][] = [];

const NO_CHILDREN = Object.freeze([]) as unknown as Node[];

/*
 * Nodes are object literals of one shape (made by `mk` and `leaf` only), not instances
 * of classes: V8 pretenures what an object or array literal site allocates once most of
 * it survives (allocation-site pretenuring; objects made by `new` are always allocated
 * young), and syntax trees are most of what a package's analysis keeps alive. Allocated
 * young, every node was copied by a scavenge into to-space and again into the old
 * generation; allocated old, it is never copied.
 */

/**
 * A node with children (their parent links set), or a leaf when there are none.
 * `children` is kept as given: callers pass array literals, which V8 allocates at exactly
 * their length (see `mkList` for lists built with push).
 */
function mk(type: string, start: number, end: number, children: Node[]): Node {
  if (children.length === 0) return leaf(type, true, start, end);
  const n: Node = { type, named: true, field: null, start, end, children, parent: null };
  for (let i = 0; i < children.length; i++) (children[i] as Node).parent = n;
  return n;
}

/**
 * A node whose children were collected with push: they are copied into an array of
 * exactly their number, since arrays grown by push have room for 16 or more and syntax
 * trees are most of what the analysis keeps alive (13 % of their memory, measured).
 */
function mkList(type: string, start: number, end: number, children: Node[]): Node {
  return mk(type, start, end, children.length > 0 ? children.slice() : NO_CHILDREN);
}

function leaf(type: string, named: boolean, start: number, end: number): Node {
  return { type, named, field: null, start, end, children: NO_CHILDREN, parent: null };
}

function fld(name: string, n: Node): Node {
  n.field = name;
  return n;
}

/** Tokens by kind, for `advance`. */
function tokenSet(...ts: T[]): Uint8Array {
  const s = new Uint8Array(TOKEN_STRING.length);
  for (const t of ts) s[t] = 1;
  return s;
}

const STMT_START = tokenSet(T.BREAK, T.CONST, T.CONTINUE, T.DEFER, T.FALLTHROUGH, T.FOR, T.GO, T.GOTO, T.IF, T.RETURN, T.SELECT, T.SWITCH, T.TYPE, T.VAR);
const DECL_START = tokenSet(T.IMPORT, T.CONST, T.TYPE, T.VAR);
const EXPR_END = tokenSet(T.COMMA, T.COLON, T.SEMICOLON, T.RPAREN, T.RBRACK, T.RBRACE);

/** Node types of types that can only be types (never values) in expression position. */
const TYPE_LITERALS = new Set([
  'slice_type', 'array_type', 'implicit_length_array_type', 'map_type', 'channel_type', 'function_type', 'struct_type',
  'interface_type', 'pointer_type', 'parenthesized_type', 'negated_type',
]);

/** Operand identifiers tree-sitter-go gives their own node type. */
const SPECIAL_IDENTS: ReadonlyMap<string, string> = new Map([
  ['nil', 'nil'],
  ['true', 'true'],
  ['false', 'false'],
  ['iota', 'iota'],
]);

/** Nesting depth at which parsing gives up (go/parser: 1e5; the JS stack is smaller). */
const MAX_NEST = 1000;

/**
 * The first offset in [from, to) where a line starts with a declaration keyword followed
 * by a space or `(` (a top-level declaration in gofmt'd code), or -1.
 */
function findDeclLine(src: string, from: number, to: number): number {
  for (let i = src.indexOf('\n', from); i !== -1 && i + 1 < to; i = src.indexOf('\n', i + 1)) {
    const k = i + 1;
    for (const kw of ['func', 'type', 'var', 'const']) {
      if (src.startsWith(kw, k)) {
        const c = src.charCodeAt(k + kw.length);
        if (c === 32 || c === 40 || c === 9) return k;
      }
    }
  }
  return -1;
}

/**
 * Drops the parts of a subtree at or after `cut` (node ends are clamped to the cut). A
 * child in a field (`consequence`, `body`, `operand`...) is replaced by an empty node of
 * the same type at the cut, so every node keeps the fields its type always has.
 */
function prune(n: Node, cut: number): void {
  if (n.end > cut) n.end = Math.max(n.start, cut);
  const kids = n.children;
  if (kids.length === 0) return;
  let k = 0;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i] as Node;
    if (c.start < cut) {
      prune(c, cut);
      kids[k++] = c;
    } else if (c.field !== null) {
      const stub = leaf(c.type, c.named, cut, cut);
      stub.field = c.field;
      stub.parent = n;
      kids[k++] = stub;
    }
  }
  kids.length = k;
}

/** The `type` child of a parameter declaration: for a type parameter, its constraint (a type_constraint). */
function paramType(t: Node, tparams: boolean): Node {
  if (!tparams) return fld('type', t);
  const c = t.type === 'type_elem' && t.field === null ? t : mk('type_elem', t.start, t.end, [t]);
  c.type = 'type_constraint';
  return fld('type', c);
}

class Bailout {}
const BAILOUT = new Bailout();

/** A parameter as parseParamDecl returns it, before names and types are sorted out. */
interface Par {
  name: Node | null;
  typ: Node | null;
  /** The `...` token of a variadic parameter. */
  dots: Node | null;
}

class Parser {
  readonly sc: Scanner;
  private readonly src: string;
  private tk: T = T.ILLEGAL;
  pos = 0;
  private tend = 0;
  /** Whether the current SEMICOLON was inserted at a newline or EOF. */
  private nl = false;
  /** End of the last consumed token (inserted semicolons excluded). */
  private lastEnd = 0;
  private exprLev = 0;
  private inRhs = false;
  private nest = 0;
  private syncPos = -1;
  private syncCnt = 0;
  readonly errors: SyntaxError[] = [];
  private lastErrLine = -1;
  private lineStarts: Uint32Array | undefined;
  packageName = '';
  /** Characters scanned a second time by `resync`. */
  private rescanned = 0;
  /** Function bodies being parsed (for messages: statements versus top-level declarations). */
  private funcDepth = 0;
  /**
   * One stack for the lists being built (statements, arguments, elements): nested lists
   * finish before the list around them, so each takes its slice off the top. A list then
   * costs one array of exactly its length instead of a growing one and a trimmed copy.
   */
  private readonly scratch: Node[] = [];
  private sp = 0;

  /** See `ParseOptions.skipBodies`. */
  private readonly skipBodies: boolean;

  constructor(src: string, invalid?: readonly number[], skipBodies = false) {
    this.src = src;
    this.skipBodies = skipBodies;
    this.sc = new Scanner(src, (o, m) => this.scanError(o, m), invalid);
    this.next();
  }

  private push(n: Node): void {
    if (this.sp === this.scratch.length) this.scratch.push(n);
    else this.scratch[this.sp] = n;
    this.sp++;
  }

  /**
   * The nodes pushed since `base`, as a new array; they leave the stack. Short lists (most
   * are) are array literals: the same packed arrays as `slice` makes, without the call of
   * the generic builtin (which was a tenth of the parser's own time).
   */
  private popFrom(base: number): Node[] {
    const k = this.sp - base;
    const st = this.scratch;
    this.sp = base;
    switch (k) {
      case 0:
        return NO_CHILDREN;
      case 1:
        return [st[base] as Node];
      case 2:
        return [st[base] as Node, st[base + 1] as Node];
      case 3:
        return [st[base] as Node, st[base + 1] as Node, st[base + 2] as Node];
      case 4:
        return [st[base] as Node, st[base + 1] as Node, st[base + 2] as Node, st[base + 3] as Node];
      default:
        return st.slice(base, base + k);
    }
  }

  /**
   * A node whose children are the nodes pushed since `base` (a leaf when there are none);
   * they leave the stack. Nodes with a variable number of children are built this way: one
   * array of exactly their length, no growing array to copy from.
   */
  private node(type: string, start: number, end: number, base: number): Node {
    return mk(type, start, end, this.popFrom(base));
  }

  /** The end of the node on top of the stack. */
  private topEnd(): number {
    return (this.scratch[this.sp - 1] as Node).end;
  }

  // ---------------------------------------------------------------------------
  // Tokens and errors

  /** The current token (a method, so that TypeScript does not narrow it across calls that advance). */
  private tok(): T {
    return this.tk;
  }

  private next(): void {
    if (this.tok() !== T.SEMICOLON || !this.nl) this.lastEnd = this.tend;
    const sc = this.sc;
    sc.next();
    this.tk = sc.tok;
    this.pos = sc.start;
    this.tend = sc.end;
    this.nl = sc.newline;
  }

  private lineOf(offset: number): number {
    this.lineStarts ??= lineStarts(this.src);
    return lineIndex(this.lineStarts, offset);
  }

  private scanError(offset: number, message: string): void {
    this.errors.push({ offset, message });
    this.lastErrLine = this.lineOf(offset);
  }

  /** go/parser error: one per line, and a bailout past ten. */
  private error(offset: number, message: string): void {
    const line = this.lineOf(offset);
    const n = this.errors.length;
    if (n > 0 && this.lastErrLine === line) return;
    if (n > 10) throw BAILOUT;
    this.errors.push({ offset, message: `syntax error: ${message}` });
    this.lastErrLine = line;
  }

  /** The current token as the compiler names it in messages ("name x", "newline", "keyword func"). */
  private describe(): string {
    switch (this.tok()) {
      case T.SEMICOLON:
        return this.nl ? (this.pos >= this.src.length ? 'EOF' : 'newline') : 'semicolon';
      case T.EOF:
        return 'EOF';
      case T.IDENT:
        return `name ${this.src.slice(this.pos, this.tend)}`;
      case T.INT:
      case T.FLOAT:
      case T.IMAG:
      case T.CHAR:
      case T.STRING:
        return `literal ${this.src.slice(this.pos, Math.min(this.tend, this.pos + 40))}`;
      case T.ILLEGAL:
        return `character ${this.src.slice(this.pos, this.tend)}`;
      default:
        return this.tok() >= T.BREAK ? `keyword ${TOKEN_STRING[this.tok()]}` : (TOKEN_STRING[this.tok()] as string);
    }
  }

  private errorExpected(offset: number, what: string): void {
    if (offset === this.pos) this.error(offset, `unexpected ${this.describe()}, expected ${what}`);
    else this.error(offset, `expected ${what}`);
  }

  /** Consumes `tok` (complaining if it is something else) and returns the offset after it. */
  private expect(tok: T): number {
    const ok = this.tok() === tok;
    if (!ok) this.errorExpected(this.pos, TOKEN_STRING[tok] as string);
    const end = ok ? this.tend : this.lastEnd;
    this.next();
    return end;
  }

  /** Like expect, for the closing token of a list where a newline probably stands for a missing comma. */
  private expectClosing(tok: T, context: string): number {
    if (this.tok() !== tok && this.tok() === T.SEMICOLON && this.nl) {
      this.error(this.pos, `unexpected newline in ${context}; possibly missing comma or ${TOKEN_STRING[tok]}`);
      this.next();
    }
    return this.expect(tok);
  }

  private expectSemi(context = 'at end of statement'): void {
    switch (this.tok()) {
      case T.RPAREN:
      case T.RBRACE:
        return;
      case T.COMMA:
        this.error(this.pos, `unexpected comma ${context}`);
        this.next();
        return;
      case T.SEMICOLON:
        this.next();
        return;
      default:
        this.error(this.pos, `unexpected ${this.describe()} ${context}`);
        this.advance(STMT_START);
    }
  }

  private atComma(context: string, follow: T): boolean {
    if (this.tok() === T.COMMA) return true;
    if (this.tok() !== follow) {
      const nl = this.tok() === T.SEMICOLON && this.nl;
      this.error(this.pos, nl ? `unexpected newline in ${context}; possibly missing comma or ${TOKEN_STRING[follow]}` : `unexpected ${this.describe()} in ${context}; possibly missing comma or ${TOKEN_STRING[follow]}`);
      return true;
    }
    return false;
  }

  /**
   * Skips to a token in `to` (go/parser advance, with its guard against not moving).
   * Skipping to the next statement also stops at the end of the line and at a `}` (as
   * cmd/compile's parser does), where go/parser would skip to the next statement keyword:
   * the statements after a broken one are then parsed and analysed. Only what follows an
   * error changes; the first error is go/parser's.
   */
  private advance(to: Uint8Array): void {
    const stmt = to === STMT_START;
    for (; this.tok() !== T.EOF; this.next()) {
      const t = this.tok();
      if (to[t] || (stmt && ((t === T.SEMICOLON && this.nl) || t === T.RBRACE))) {
        if (this.pos === this.syncPos && this.syncCnt < 10) {
          this.syncCnt++;
          return;
        }
        if (this.pos > this.syncPos) {
          this.syncPos = this.pos;
          this.syncCnt = 0;
          return;
        }
      }
    }
  }

  private enter(): void {
    if (++this.nest > MAX_NEST) {
      this.error(this.pos, 'exceeded max nesting depth');
      throw BAILOUT;
    }
  }

  /** An anonymous node for the current token, consumed. */
  private tokNode(): Node {
    const n = leaf(TOKEN_STRING[this.tok()] as string, false, this.pos, this.tend);
    this.next();
    return n;
  }

  private bad(start: number, end: number): Node {
    return leaf('ERROR', true, start, Math.max(start, end));
  }

  // ---------------------------------------------------------------------------
  // Identifiers

  private parseIdent(type = 'identifier'): Node {
    if (this.tok() === T.IDENT) {
      const n = leaf(type, true, this.pos, this.tend);
      this.next();
      return n;
    }
    const n = leaf(type, true, this.pos, this.pos);
    n.missing = true;
    this.expect(T.IDENT);
    return n;
  }

  /** A comma-separated expression list, as an array of exactly its length. */
  private parseExprList(): Node[] {
    const first = this.parseExpr();
    if (this.tok() !== T.COMMA) return [first];
    const base = this.sp;
    this.push(first);
    while (this.tok() === T.COMMA) {
      this.next();
      this.push(this.parseExpr());
    }
    return this.popFrom(base);
  }

  private parseList(inRhs: boolean): Node[] {
    const old = this.inRhs;
    this.inRhs = inRhs;
    const list = this.parseExprList();
    this.inRhs = old;
    return list;
  }

  /** An expression_list of a list from `parseList` (already exactly its length: used as the children). */
  private exprListNode(list: Node[]): Node {
    return mk('expression_list', (list[0] as Node).start, (list[list.length - 1] as Node).end, list);
  }

  // ---------------------------------------------------------------------------
  // Types

  private parseType(): Node {
    const t = this.tryIdentOrType();
    if (t) return t;
    const pos = this.pos;
    this.errorExpected(pos, 'type');
    this.advance(EXPR_END);
    return this.bad(pos, this.pos);
  }

  /** A type name (`T` or `pkg.T`), possibly instantiated. */
  private parseQualifiedIdent(ident?: Node): Node {
    let t = this.parseTypeName(ident);
    if (this.tok() === T.LBRACK) t = this.parseTypeInstance(t);
    return t;
  }

  private parseTypeName(ident?: Node): Node {
    const id = ident ?? this.parseIdent();
    if (this.tok() === T.PERIOD) {
      this.next();
      const sel = this.parseIdent('type_identifier');
      id.type = 'package_identifier';
      return mk('qualified_type', id.start, sel.end, [fld('package', id), fld('name', sel)]);
    }
    id.type = 'type_identifier';
    return id;
  }

  /** After `[` (at lbrack): `[]T`, `[N]T`, `[...]T`. `len` is an already parsed length. */
  private parseArrayType(lbrack: number, len: Node | null): Node {
    let dots: Node | null = null;
    if (!len) {
      this.exprLev++;
      if (this.tok() === T.ELLIPSIS) dots = this.tokNode();
      else if (this.tok() !== T.RBRACK) len = this.parseRhs();
      this.exprLev--;
    }
    if (this.tok() === T.COMMA) {
      this.error(this.pos, 'unexpected comma; expecting ]');
      this.next();
    }
    this.expect(T.RBRACK);
    const elt = fld('element', this.parseType());
    if (dots) return mk('implicit_length_array_type', lbrack, elt.end, [dots, elt]);
    if (len) return mk('array_type', lbrack, elt.end, [fld('length', len), elt]);
    return mk('slice_type', lbrack, elt.end, [elt]);
  }

  /** `x [P]E` (a field of array type) or `x[P]` (an embedded instantiated type). Returns the name when it was a field name. */
  private parseArrayFieldOrTypeInstance(x: Node): { name: Node | null; typ: Node } {
    const lbrack = this.pos;
    this.expect(T.LBRACK);
    let trailingComma = -1;
    const args: Node[] = [];
    if (this.tok() !== T.RBRACK) {
      this.exprLev++;
      args.push(this.parseRhs());
      while (this.tok() === T.COMMA) {
        const comma = this.pos;
        this.next();
        if (this.tok() === T.RBRACK) {
          trailingComma = comma;
          break;
        }
        args.push(this.parseRhs());
      }
      this.exprLev--;
    }
    const rbrack = this.expect(T.RBRACK);
    if (args.length === 0) {
      const elt = fld('element', this.parseType());
      return { name: x, typ: mk('slice_type', lbrack, elt.end, [elt]) };
    }
    if (args.length === 1) {
      const elt = this.tryIdentOrType();
      if (elt) {
        if (trailingComma >= 0) this.error(trailingComma, 'unexpected comma; expecting ]');
        return { name: x, typ: mk('array_type', lbrack, elt.end, [fld('length', args[0] as Node), fld('element', elt)]) };
      }
    }
    x.type = 'type_identifier';
    return { name: null, typ: this.genericType(x, lbrack, args, rbrack) };
  }

  /** `T[A, B]` as a generic_type (each argument in a type_elem). */
  private genericType(t: Node, lbrack: number, args: Node[], end: number): Node {
    const elems = args.map((a) => this.typeElem(this.toType(a)));
    const targs = mkList('type_arguments', lbrack, end, elems);
    return mk('generic_type', t.start, end, [fld('type', t), fld('type_arguments', targs)]);
  }

  /** Wraps a type (or a `|` union already flattened into a type_elem) in a type_elem. */
  private typeElem(t: Node): Node {
    if (t.type === 'type_elem' && t.field === null) return t;
    return mk('type_elem', t.start, t.end, [t]);
  }

  private parseFieldDecl(): Node {
    const base = this.sp;
    const start = this.pos;
    switch (this.tok()) {
      case T.IDENT: {
        const name = this.parseIdent();
        if (this.tok() === T.PERIOD || this.tok() === T.STRING || this.tok() === T.SEMICOLON || this.tok() === T.RBRACE) {
          // embedded type
          this.push(fld('type', this.tok() === T.PERIOD ? this.parseQualifiedIdent(name) : this.parseTypeName(name)));
        } else if (this.tok() === T.LBRACK) {
          // One name and `[`: `a [N]T` or an embedded `a[T]`.
          const r = this.parseArrayFieldOrTypeInstance(name);
          if (r.name) {
            r.name.type = 'field_identifier';
            this.push(fld('name', r.name));
          }
          this.push(fld('type', r.typ));
        } else {
          name.type = 'field_identifier';
          this.push(fld('name', name));
          while (this.tok() === T.COMMA) {
            this.next();
            const nm = this.parseIdent('field_identifier');
            this.push(fld('name', nm));
          }
          this.push(fld('type', this.parseType()));
        }
        break;
      }
      case T.MUL: {
        this.push(this.tokNode());
        if (this.tok() === T.LPAREN) {
          this.error(this.pos, 'cannot parenthesize embedded type');
          this.next();
          this.push(fld('type', this.parseQualifiedIdent()));
          if (this.tok() === T.RPAREN) this.next();
        } else this.push(fld('type', this.parseQualifiedIdent()));
        break;
      }
      case T.LPAREN: {
        this.error(this.pos, 'cannot parenthesize embedded type');
        this.next();
        if (this.tok() === T.MUL) this.push(this.tokNode());
        this.push(fld('type', this.parseQualifiedIdent()));
        if (this.tok() === T.RPAREN) this.next();
        break;
      }
      default: {
        const pos = this.pos;
        this.errorExpected(pos, 'field name or embedded type');
        this.advance(EXPR_END);
        this.push(fld('type', this.bad(pos, this.pos)));
      }
    }
    if (this.tok() === T.STRING) this.push(fld('tag', this.literal()));
    const end = this.topEnd();
    this.expectSemi('in struct type; possibly missing semicolon or newline or }');
    return this.node('field_declaration', start, end, base);
  }

  private parseStructType(): Node {
    const kw = this.tokNode();
    const lbrace = this.pos;
    this.expect(T.LBRACE);
    const base = this.sp;
    while (this.tok() === T.IDENT || this.tok() === T.MUL || this.tok() === T.LPAREN) this.push(this.parseFieldDecl());
    const rbrace = this.expect(T.RBRACE);
    return mk('struct_type', kw.start, rbrace, [kw, this.node('field_declaration_list', lbrace, rbrace, base)]);
  }

  private parsePointerType(): Node {
    const star = this.tokNode();
    const base = this.parseType();
    return mk('pointer_type', star.start, base.end, [star, base]);
  }

  /** go/parser parseParamDecl. */
  private parseParamDecl(name: Node | null, typeSetsOK: boolean): Par {
    const f: Par = { name: null, typ: null, dots: null };
    let tok = this.tok();
    if (name) tok = T.IDENT;
    else if (typeSetsOK && this.tok() === T.TILDE) {
      f.typ = this.embeddedElem(null);
      return f;
    }
    switch (tok) {
      case T.IDENT:
        f.name = name ?? this.parseIdent();
        switch (this.tok()) {
          case T.IDENT:
          case T.MUL:
          case T.ARROW:
          case T.FUNC:
          case T.CHAN:
          case T.MAP:
          case T.STRUCT:
          case T.INTERFACE:
          case T.LPAREN:
            f.typ = this.parseType();
            break;
          case T.LBRACK: {
            const r = this.parseArrayFieldOrTypeInstance(f.name);
            f.name = r.name;
            f.typ = r.typ;
            break;
          }
          case T.ELLIPSIS:
            f.dots = this.tokNode();
            f.typ = this.parseType();
            return f;
          case T.PERIOD:
            f.typ = this.parseQualifiedIdent(f.name);
            f.name = null;
            break;
          case T.TILDE:
            if (typeSetsOK) {
              f.typ = this.embeddedElem(null);
              return f;
            }
            break;
          case T.OR:
            if (typeSetsOK) {
              f.name.type = 'type_identifier';
              f.typ = this.embeddedElem(f.name);
              f.name = null;
              return f;
            }
            break;
          default:
        }
        break;
      case T.MUL:
      case T.ARROW:
      case T.FUNC:
      case T.LBRACK:
      case T.CHAN:
      case T.MAP:
      case T.STRUCT:
      case T.INTERFACE:
      case T.LPAREN:
        f.typ = this.parseType();
        break;
      case T.ELLIPSIS:
        f.dots = this.tokNode();
        f.typ = this.parseType();
        return f;
      default:
        this.errorExpected(this.pos, ')');
        this.advance(EXPR_END);
    }
    if (typeSetsOK && this.tok() === T.OR && f.typ) f.typ = this.embeddedElem(f.typ);
    return f;
  }

  /**
   * go/parser parseParameterList: the parameters (or type parameters, closed by `]`) up
   * to the closing token, grouped as tree-sitter-go does (`a, b int` is one declaration),
   * pushed onto the stack.
   */
  private parseParameterList(name0: Node | null, typ0: Node | null, closing: T, dddok: boolean): void {
    const tparams = closing === T.RBRACK;
    const pos0 = name0 ? name0.start : typ0 ? typ0.start : this.pos;
    const list: Par[] = [];
    let named = 0;
    let typed = 0;
    while (name0 || (this.tok() !== closing && this.tok() !== T.EOF)) {
      let par: Par;
      if (typ0) {
        if (tparams) typ0 = this.embeddedElem(typ0);
        par = { name: name0, typ: typ0, dots: null };
      } else par = this.parseParamDecl(name0, tparams);
      name0 = null;
      typ0 = null;
      if (par.name || par.typ) {
        list.push(par);
        if (par.name && par.typ) named++;
        if (par.typ) typed++;
      }
      if (!this.atComma('parameter list', closing)) break;
      this.next();
    }
    if (list.length === 0) return;
    if (named === 0) {
      // All unnamed: the names found are type names.
      for (const par of list) {
        if (par.name) {
          par.typ = this.toType(par.name);
          par.name = null;
        }
      }
      if (tparams) {
        if (named === typed) this.error(this.pos, 'missing type constraint');
        else this.error(pos0, list.length === 1 ? 'missing type parameter name or invalid array length' : 'missing type parameter name');
      }
    } else if (named !== list.length) {
      let errPos = -1;
      let typ: Node | null = null;
      let dots: Node | null = null;
      for (let i = list.length - 1; i >= 0; i--) {
        const par = list[i] as Par;
        if (par.typ) {
          typ = par.typ;
          dots = par.dots;
          if (!par.name) {
            errPos = typ.start;
            par.name = leaf('identifier', true, errPos, errPos);
            par.name.missing = true;
          }
        } else if (typ) {
          par.typ = typ;
          par.dots = dots;
        } else {
          errPos = (par.name as Node).start;
          par.typ = this.bad(errPos, this.pos);
        }
      }
      if (errPos >= 0) {
        let msg: string;
        if (named === typed) {
          errPos = this.pos;
          msg = tparams ? 'missing type constraint' : 'missing parameter type';
        } else if (tparams) msg = list.length === 1 ? 'missing type parameter name or invalid array length' : 'missing type parameter name';
        else msg = 'missing parameter name';
        this.error(errPos, msg);
      }
    }
    // `...` only on the final parameter (the first misplaced one is reported).
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as Par;
      if (f.dots && (!dddok || i + 1 < list.length)) {
        this.error(f.dots.start, dddok ? 'can only use ... with final parameter' : 'invalid use of ...');
        break;
      }
    }
    // (Loops and methods rather than closures: a parameter list is parsed for every
    // signature, and each closure was an allocation.)
    if (named === 0) {
      for (let i = 0; i < list.length; i++) {
        const par = list[i] as Par;
        const t = par.typ as Node;
        if (par.dots) this.push(mk('variadic_parameter_declaration', par.dots.start, t.end, [par.dots, fld('type', t)]));
        else this.push(mk(tparams ? 'type_parameter_declaration' : 'parameter_declaration', t.start, t.end, [paramType(t, tparams)]));
      }
      return;
    }
    // Consecutive names sharing one type make one declaration: list[from, to) share list[from].typ.
    let from = 0;
    for (let k = 1; k < list.length; k++) {
      if ((list[k] as Par).typ !== (list[from] as Par).typ) {
        this.paramDecl(list, from, k, tparams);
        from = k;
      }
    }
    this.paramDecl(list, from, list.length, tparams);
  }

  /** Pushes the declaration of the named parameters list[from, to), which share list[from]'s type. */
  private paramDecl(list: Par[], from: number, to: number, tparams: boolean): void {
    const first = list[from] as Par;
    const t = first.typ as Node;
    const base = this.sp;
    for (let k = from; k < to; k++) this.push(fld('name', (list[k] as Par).name as Node));
    if (first.dots) {
      this.push(first.dots);
      this.push(fld('type', t));
      this.push(this.node('variadic_parameter_declaration', (first.name as Node).start, t.end, base));
    } else {
      this.push(paramType(t, tparams));
      this.push(this.node(tparams ? 'type_parameter_declaration' : 'parameter_declaration', (first.name as Node).start, t.end, base));
    }
  }

  private parseTypeParameters(): Node {
    const lbrack = this.pos;
    this.expect(T.LBRACK);
    const base = this.sp;
    if (this.tok() !== T.RBRACK) this.parseParameterList(null, null, T.RBRACK, false);
    const rpos = this.pos;
    const rbrack = this.expect(T.RBRACK);
    if (this.sp === base) this.error(rpos, 'empty type parameter list');
    return this.node('type_parameter_list', lbrack, rbrack, base);
  }

  /** Parameters `(...)`, or for results also a single unparenthesized type (returned as is), or null. */
  private parseParameters(result: boolean): Node | null {
    if (!result || this.tok() === T.LPAREN) {
      const lparen = this.pos;
      this.expect(T.LPAREN);
      const base = this.sp;
      if (this.tok() !== T.RPAREN) this.parseParameterList(null, null, T.RPAREN, !result);
      const rparen = this.expect(T.RPAREN);
      return this.node('parameter_list', lparen, rparen, base);
    }
    return this.tryIdentOrType();
  }

  /** `func` signature: pushes parameters and result onto the stack. */
  private parseSignature(): void {
    this.push(fld('parameters', this.parseParameters(false) as Node));
    const r = this.parseParameters(true);
    if (r) this.push(fld('result', r));
  }

  /** A function type, or with `lit` a function literal when a body follows. */
  private parseFuncType(lit = false): Node {
    const kw = this.tokNode();
    if (this.tok() === T.LBRACK) {
      const tp = this.parseTypeParameters();
      this.error(tp.start, 'function type must have no type parameters');
    }
    const base = this.sp;
    this.push(kw);
    this.parseSignature();
    if (!lit || this.tok() !== T.LBRACE) return this.node('function_type', kw.start, this.topEnd(), base);
    this.exprLev++;
    const body = fld('body', this.funcBody());
    this.exprLev--;
    this.push(body);
    return this.node('func_literal', kw.start, body.end, base);
  }

  private parseMethodSpec(): Node {
    const start = this.pos;
    const x = this.parseTypeName();
    if (x.type === 'type_identifier') {
      if (this.tok() === T.LBRACK) {
        const lbrack = this.pos;
        this.next();
        this.exprLev++;
        const e = this.parseExpr();
        this.exprLev--;
        if (e.type === 'identifier' && this.tok() !== T.COMMA && this.tok() !== T.RBRACK) {
          // generic method m[T any]: not allowed, parsed for recovery
          const b = this.sp;
          this.parseParameterList(e, null, T.RBRACK, false);
          this.sp = b;
          this.expect(T.RBRACK);
          this.error(lbrack, 'interface method must have no type parameters');
          x.type = 'field_identifier';
          const base = this.sp;
          this.push(fld('name', x));
          this.parseSignature();
          return this.node('method_elem', start, this.topEnd(), base);
        }
        const list = [e];
        if (this.atComma('type argument list', T.RBRACK)) {
          this.exprLev++;
          this.next();
          this.typeList(list);
          this.exprLev--;
        }
        const rbrack = this.expectClosing(T.RBRACK, 'type argument list');
        return this.genericType(x, lbrack, list, rbrack);
      }
      if (this.tok() === T.LPAREN) {
        x.type = 'field_identifier';
        const base = this.sp;
        this.push(fld('name', x));
        this.parseSignature();
        return this.node('method_elem', start, this.topEnd(), base);
      }
      return x;
    }
    if (this.tok() === T.LBRACK) return this.parseTypeInstance(x);
    return x;
  }

  /** A union of terms `A | ~B | C`, as a type_elem of the terms (with `|` tokens between). */
  private embeddedElem(x: Node | null): Node {
    const first = x ?? this.embeddedTerm();
    if (this.tok() !== T.OR) return first;
    const base = this.sp;
    this.push(first);
    while (this.tok() === T.OR) {
      this.push(this.tokNode());
      this.push(this.embeddedTerm());
    }
    return this.node('type_elem', first.start, this.topEnd(), base);
  }

  private embeddedTerm(): Node {
    if (this.tok() === T.TILDE) {
      const op = this.tokNode();
      const t = this.parseType();
      return mk('negated_type', op.start, t.end, [op, t]);
    }
    const t = this.tryIdentOrType();
    if (t) return t;
    const pos = this.pos;
    this.errorExpected(pos, '~ term or type');
    this.advance(EXPR_END);
    return this.bad(pos, this.pos);
  }

  private parseInterfaceType(): Node {
    const kw = this.tokNode();
    this.expect(T.LBRACE);
    const base = this.sp;
    this.push(kw);
    for (;;) {
      if (this.tok() === T.IDENT) {
        let f = this.parseMethodSpec();
        if (f.type !== 'method_elem') f = this.typeElem(this.embeddedElem(f));
        this.push(f);
        this.expectSemi('in interface type; possibly missing semicolon or newline or }');
      } else if (this.tok() === T.TILDE) {
        this.push(this.typeElem(this.embeddedElem(null)));
        this.expectSemi('in interface type; possibly missing semicolon or newline or }');
      } else {
        const t = this.tryIdentOrType();
        if (!t) break;
        this.push(this.typeElem(this.embeddedElem(t)));
        this.expectSemi('in interface type; possibly missing semicolon or newline or }');
      }
    }
    const rbrace = this.expect(T.RBRACE);
    return this.node('interface_type', kw.start, rbrace, base);
  }

  private parseMapType(): Node {
    const kw = this.tokNode();
    this.expect(T.LBRACK);
    const key = fld('key', this.parseType());
    this.expect(T.RBRACK);
    const value = fld('value', this.parseType());
    return mk('map_type', kw.start, value.end, [kw, key, value]);
  }

  private parseChanType(): Node {
    const base = this.sp;
    const start = this.pos;
    if (this.tok() === T.CHAN) {
      this.push(this.tokNode());
      if (this.tok() === T.ARROW) this.push(this.tokNode());
    } else {
      if (this.tok() === T.ARROW) this.push(this.tokNode());
      else this.expect(T.ARROW);
      if (this.tok() === T.CHAN) this.push(this.tokNode());
      else this.expect(T.CHAN);
    }
    const value = fld('value', this.parseType());
    this.push(value);
    return this.node('channel_type', start, value.end, base);
  }

  /** Types separated by commas up to `]` (a type argument list), pushed onto `list`. */
  private typeList(list: Node[]): Node[] {
    while (this.tok() !== T.RBRACK && this.tok() !== T.EOF) {
      list.push(this.parseType());
      if (!this.atComma('type argument list', T.RBRACK)) break;
      this.next();
    }
    return list;
  }

  private parseTypeInstance(typ: Node): Node {
    const opening = this.pos;
    this.expect(T.LBRACK);
    this.exprLev++;
    const list = this.typeList([]);
    this.exprLev--;
    const cpos = this.pos;
    const closing = this.expectClosing(T.RBRACK, 'type argument list');
    if (list.length === 0) {
      this.errorExpected(cpos, 'type argument list');
      return this.genericType(typ, opening, [this.bad(opening + 1, cpos)], closing);
    }
    return this.genericType(typ, opening, list, closing);
  }

  private tryIdentOrType(): Node | null {
    this.enter();
    try {
      switch (this.tok()) {
        case T.IDENT: {
          const t = this.parseTypeName();
          return this.tok() === T.LBRACK ? this.parseTypeInstance(t) : t;
        }
        case T.LBRACK: {
          const lbrack = this.pos;
          this.next();
          return this.parseArrayType(lbrack, null);
        }
        case T.STRUCT:
          return this.parseStructType();
        case T.MUL:
          return this.parsePointerType();
        case T.FUNC:
          return this.parseFuncType();
        case T.INTERFACE:
          return this.parseInterfaceType();
        case T.MAP:
          return this.parseMapType();
        case T.CHAN:
        case T.ARROW:
          return this.parseChanType();
        case T.LPAREN: {
          const lparen = this.pos;
          this.next();
          const t = this.parseType();
          const rparen = this.expect(T.RPAREN);
          return mk('parenthesized_type', lparen, rparen, [t]);
        }
        default:
          return null;
      }
    } finally {
      this.nest--;
    }
  }

  // ---------------------------------------------------------------------------
  // Blocks

  /** Statements up to `case`, `default` or `}`: a statement_list, or null when there are none. */
  private parseStmtList(): Node | null {
    const base = this.sp;
    while (this.tok() !== T.CASE && this.tok() !== T.DEFAULT && this.tok() !== T.RBRACE && this.tok() !== T.EOF) {
      const s = this.parseStmt();
      if (s) this.push(s);
    }
    if (this.sp === base) return null;
    const list = this.popFrom(base);
    return mk('statement_list', (list[0] as Node).start, (list[list.length - 1] as Node).end, list);
  }

  private parseBlockStmt(): Node {
    const lbrace = this.pos;
    this.expect(T.LBRACE);
    const list = this.parseStmtList();
    const ok = this.tok() === T.RBRACE;
    if (!ok) this.errorExpected(this.pos, '}');
    const rbrace = ok ? this.tend : this.lastEnd;
    this.next();
    return mk('block', lbrace, rbrace, list ? [list] : []);
  }

  // ---------------------------------------------------------------------------
  // Expressions

  private parseFuncTypeOrLit(): Node {
    return this.parseFuncType(true);
  }

  private literal(): Node {
    let type: string;
    switch (this.tok()) {
      case T.INT:
        type = 'int_literal';
        break;
      case T.FLOAT:
        type = 'float_literal';
        break;
      case T.IMAG:
        type = 'imaginary_literal';
        break;
      case T.CHAR:
        type = 'rune_literal';
        break;
      default:
        type = this.src.charCodeAt(this.pos) === 96 ? 'raw_string_literal' : 'interpreted_string_literal';
    }
    const n = leaf(type, true, this.pos, this.tend);
    this.next();
    return n;
  }

  private parseOperand(): Node {
    switch (this.tok()) {
      case T.IDENT: {
        const x = this.parseIdent();
        const len = x.end - x.start;
        if (len >= 3 && len <= 5) {
          // nil, true, false, iota: compared in place, without making a string.
          const c = this.src.charCodeAt(x.start);
          const special = c === 110 ? 'nil' : c === 116 ? 'true' : c === 102 ? 'false' : c === 105 ? 'iota' : '';
          if (special.length === len && this.src.startsWith(special, x.start)) x.type = special;
        }
        return x;
      }
      case T.INT:
      case T.FLOAT:
      case T.IMAG:
      case T.CHAR:
      case T.STRING:
        return this.literal();
      case T.LPAREN: {
        const lparen = this.pos;
        this.next();
        this.exprLev++;
        const x = this.parseRhs();
        this.exprLev--;
        const rparen = this.expect(T.RPAREN);
        return mk(TYPE_LITERALS.has(x.type) ? 'parenthesized_type' : 'parenthesized_expression', lparen, rparen, [x]);
      }
      case T.FUNC:
        return this.parseFuncTypeOrLit();
      default:
    }
    const t = this.tryIdentOrType();
    if (t) return t;
    const pos = this.pos;
    this.errorExpected(pos, 'expression');
    this.advance(STMT_START);
    return this.bad(pos, this.pos);
  }

  private parseTypeAssertion(x: Node): Node {
    this.expect(T.LPAREN);
    let typ: Node;
    if (this.tok() === T.TYPE) {
      // type switch guard `x.(type)`: marked by the keyword, no type field
      typ = this.tokNode();
    } else typ = fld('type', this.parseType());
    const rparen = this.expect(T.RPAREN);
    return mk('type_assertion_expression', x.start, rparen, [fld('operand', x), typ]);
  }

  private parseIndexOrSliceOrInstance(x: Node): Node {
    this.expect(T.LBRACK);
    if (this.tok() === T.RBRACK) {
      this.errorExpected(this.pos, 'operand');
      const rb = this.pos;
      this.next();
      return mk('index_expression', x.start, rb + 1, [fld('operand', x), fld('index', this.bad(rb, rb))]);
    }
    this.exprLev++;
    // The indices and colons of a slice expression, or the arguments of an instantiation
    // (on the stack, after the operand): no arrays for the common `a[i]`.
    let i0: Node | null = null;
    let i1: Node | null = null;
    let i2: Node | null = null;
    let c0: Node | null = null;
    let c1: Node | null = null;
    const base = this.sp;
    if (this.tok() !== T.COLON) i0 = this.parseRhs();
    if (this.tok() === T.COLON) {
      c0 = this.tokNode();
      if (this.tok() !== T.COLON && this.tok() !== T.RBRACK && this.tok() !== T.EOF) i1 = this.parseRhs();
      if (this.tok() === T.COLON) {
        c1 = this.tokNode();
        if (this.tok() !== T.COLON && this.tok() !== T.RBRACK && this.tok() !== T.EOF) i2 = this.parseRhs();
      }
    } else if (this.tok() === T.COMMA) {
      this.push(fld('type', x));
      this.push(i0 as Node);
      while (this.tok() === T.COMMA) {
        this.next();
        if (this.tok() !== T.RBRACK && this.tok() !== T.EOF) this.push(this.toType(this.parseType()));
      }
    }
    this.exprLev--;
    const rbrack = this.expect(T.RBRACK);
    if (c0) {
      this.push(fld('operand', x));
      if (i0) this.push(fld('start', i0));
      this.push(c0);
      if (i1) this.push(fld('end', i1));
      if (c1) {
        if (!i1) this.error(c0.start, 'middle index required in 3-index slice');
        if (!i2) this.error(c1.start, 'final index required in 3-index slice');
        this.push(c1);
        if (i2) this.push(fld('capacity', i2));
      }
      return this.node('slice_expression', x.start, rbrack, base);
    }
    if (this.sp === base) {
      return mk('index_expression', x.start, rbrack, [fld('operand', x), fld('index', i0 as Node)]);
    }
    this.scratch[base + 1] = this.toType(i0 as Node);
    return this.node('type_instantiation_expression', x.start, rbrack, base);
  }

  private parseCallOrConversion(fun: Node): Node {
    const lparen = this.pos;
    this.expect(T.LPAREN);
    this.exprLev++;
    const base = this.sp;
    let ellipsis = false;
    while (this.tok() !== T.RPAREN && this.tok() !== T.EOF && !ellipsis) {
      let a = this.parseRhs();
      if (this.tok() === T.ELLIPSIS) {
        const dots = this.tokNode();
        a = mk('variadic_argument', a.start, dots.end, [a, dots]);
        ellipsis = true;
      }
      this.push(a);
      if (!this.atComma('argument list', T.RPAREN)) break;
      this.next();
    }
    const list = this.popFrom(base);
    this.exprLev--;
    const rparen = this.expectClosing(T.RPAREN, 'argument list');
    let f = fun;
    // `(*[4]byte)(p)`, `(*func())(p)`: a parenthesized pointer to a type literal is a type.
    if (f.type === 'parenthesized_expression' && this.isTypeExpr(f)) f = this.toType(f);
    // (Most calls are of a name or a selector: compared first, without a Set lookup.)
    if (f.type !== 'identifier' && f.type !== 'selector_expression' && TYPE_LITERALS.has(f.type) && list.length === 1 && !ellipsis) {
      return mk('type_conversion_expression', f.start, rparen, [fld('type', f), fld('operand', list[0] as Node)]);
    }
    // `new(T)`, `make(T, n)`: tree-sitter-go reads the first argument as a type.
    if (f.type === 'identifier' && list.length > 0) {
      const len = f.end - f.start;
      // Exactly `new` or `make` (not `newm(fn, ...)`, whose argument is a value).
      if (((len === 3 && this.src.startsWith('new', f.start)) || (len === 4 && this.src.startsWith('make', f.start))) && this.typeLike(list[0] as Node)) list[0] = this.toType(list[0] as Node);
    }
    f = fld('function', f);
    return mk('call_expression', f.start, rparen, [f, fld('arguments', mk('argument_list', lparen, rparen, list))]);
  }

  /** The offset of the `[` that follows `from` past white space and comments, or -1. */
  private openBracketAfter(from: number): number {
    const s = this.src;
    for (let i = from; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (c === 91) return i;
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else if (c === 47 && s.charCodeAt(i + 1) === 47) i = s.indexOf('\n', i) < 0 ? s.length : s.indexOf('\n', i);
      else if (c === 47 && s.charCodeAt(i + 1) === 42) {
        const e = s.indexOf('*/', i + 2);
        if (e < 0) return -1;
        i = e + 2;
      } else return -1;
    }
    return -1;
  }

  /** Whether an expression can only be a type: a type literal, or `*` or parentheses around one. */
  private isTypeExpr(n: Node): boolean {
    if (TYPE_LITERALS.has(n.type)) return true;
    if (n.type === 'parenthesized_expression') return this.isTypeExpr(n.children[0] as Node);
    if (n.type === 'unary_expression') return (n.children[0] as Node).type === '*' && this.isTypeExpr(n.children[1] as Node);
    return false;
  }

  /** Whether an expression is spelled like a type (names, selectors of names, `*`, instantiations, type literals). */
  private typeLike(n: Node): boolean {
    switch (n.type) {
      case 'identifier':
        return true;
      case 'selector_expression': {
        const op = n.children[0] as Node;
        return op.type === 'identifier';
      }
      case 'unary_expression':
        return this.src.charCodeAt(n.start) === 42 && this.typeLike(n.children[1] as Node);
      case 'parenthesized_expression':
        return this.typeLike(n.children[0] as Node);
      case 'index_expression':
      case 'type_instantiation_expression':
        return this.typeLike(n.children[0] as Node);
      default:
        return TYPE_LITERALS.has(n.type);
    }
  }

  /** Rewrites an expression parsed in value position as the type it denotes (in place where possible). */
  private toType(n: Node): Node {
    switch (n.type) {
      case 'identifier':
      case 'nil':
      case 'true':
      case 'false':
      case 'iota':
        n.type = 'type_identifier';
        return n;
      case 'selector_expression': {
        const op = n.children[0] as Node;
        const sel = n.children[1] as Node;
        if (op.type !== 'identifier' && !SPECIAL_IDENTS.has(op.type)) return n;
        n.type = 'qualified_type';
        op.type = 'package_identifier';
        op.field = 'package';
        sel.type = 'type_identifier';
        sel.field = 'name';
        return n;
      }
      case 'index_expression':
      case 'type_instantiation_expression': {
        const kids = n.children;
        const lb = this.openBracketAfter((kids[0] as Node).end);
        if (lb < 0) return n;
        const t = this.toType(kids[0] as Node);
        t.field = null;
        const args = kids.slice(1).map((a) => {
          a.field = null;
          return a;
        });
        const g = this.genericType(t, lb, args, n.end);
        g.field = n.field;
        return g;
      }
      case 'unary_expression': {
        const op = n.children[0] as Node;
        const x = n.children[1] as Node;
        if (op.type === '*' || op.type === '~') {
          op.field = null;
          x.field = null;
          const t = this.toType(x);
          const r = mk(op.type === '*' ? 'pointer_type' : 'negated_type', n.start, n.end, [op, t]);
          r.field = n.field;
          return r;
        }
        return n;
      }
      case 'parenthesized_expression': {
        const inner = this.toType(n.children[0] as Node);
        n.children[0] = inner;
        inner.parent = n;
        n.type = 'parenthesized_type';
        return n;
      }
      case 'binary_expression': {
        // A union in a constraint or type argument: flatten into a type_elem.
        const op = n.children[1] as Node;
        if (op.type !== '|') return n;
        const terms: Node[] = [];
        const flat = (x: Node): void => {
          if (x.type === 'binary_expression' && (x.children[1] as Node).type === '|') {
            flat(x.children[0] as Node);
            const o = x.children[1] as Node;
            o.field = null;
            terms.push(o);
            flat(x.children[2] as Node);
          } else {
            x.field = null;
            terms.push(this.toType(x));
          }
        };
        flat(n);
        const r = mkList('type_elem', n.start, n.end, terms);
        r.field = n.field;
        return r;
      }
      default:
        return n;
    }
  }

  private parseLiteralValue(typ: Node | null): Node {
    this.enter();
    try {
      const lbrace = this.pos;
      this.expect(T.LBRACE);
      const base = this.sp;
      this.exprLev++;
      if (this.tok() !== T.RBRACE) {
        while (this.tok() !== T.RBRACE && this.tok() !== T.EOF) {
          this.push(this.parseElement());
          if (!this.atComma('composite literal', T.RBRACE)) break;
          this.next();
        }
      }
      const elts = this.popFrom(base);
      this.exprLev--;
      const rbrace = this.expectClosing(T.RBRACE, 'composite literal');
      const body = mk('literal_value', lbrace, rbrace, elts);
      if (!typ) return body;
      const t = fld('type', typ);
      return mk('composite_literal', t.start, rbrace, [t, fld('body', body)]);
    } finally {
      this.nest--;
    }
  }

  private parseValue(): Node {
    const v = this.tok() === T.LBRACE ? this.parseLiteralValue(null) : this.parseExpr();
    return mk('literal_element', v.start, v.end, [v]);
  }

  private parseElement(): Node {
    const x = this.parseValue();
    if (this.tok() !== T.COLON) return x;
    const colon = this.tokNode();
    const v = this.parseValue();
    return mk('keyed_element', x.start, v.end, [fld('key', x), colon, fld('value', v)]);
  }

  private parsePrimaryExpr(x0: Node | null): Node {
    let x = x0 ?? this.parseOperand();
    for (;;) {
      switch (this.tok()) {
        case T.PERIOD: {
          this.next();
          if (this.tok() === T.IDENT) {
            const sel = fld('field', this.parseIdent('field_identifier'));
            x = mk('selector_expression', x.start, sel.end, [fld('operand', x), sel]);
          } else if (this.tok() === T.LPAREN) {
            x = this.parseTypeAssertion(x);
          } else {
            const pos = this.pos;
            this.errorExpected(pos, 'name or (');
            if (this.tok() !== T.RBRACE) this.next();
            const sel = leaf('field_identifier', true, pos, pos);
            sel.missing = true;
            x = mk('selector_expression', x.start, x.end, [fld('operand', x), fld('field', sel)]);
          }
          break;
        }
        case T.LBRACK:
          x = this.parseIndexOrSliceOrInstance(x);
          break;
        case T.LPAREN:
          x = this.parseCallOrConversion(x);
          break;
        case T.LBRACE: {
          // A composite literal, or the `{` of a block after a control clause.
          let t = x;
          while (t.type === 'parenthesized_expression' || t.type === 'parenthesized_type') t = t.children[0] as Node;
          switch (t.type) {
            case 'ERROR':
            case 'identifier':
            case 'selector_expression':
            case 'index_expression':
            case 'type_instantiation_expression':
            case 'nil':
            case 'true':
            case 'false':
            case 'iota':
              if (this.exprLev < 0) return x;
              break;
            case 'slice_type':
            case 'array_type':
            case 'implicit_length_array_type':
            case 'struct_type':
            case 'map_type':
              break;
            default:
              return x;
          }
          if (t !== x) this.error(t.start, 'cannot parenthesize type in composite literal');
          x = this.parseLiteralValue(this.toType(x));
          break;
        }
        default:
          return x;
      }
    }
  }

  private parseUnaryExpr(): Node {
    this.enter();
    try {
      switch (this.tok()) {
        case T.ADD:
        case T.SUB:
        case T.NOT:
        case T.XOR:
        case T.AND:
        case T.TILDE:
        case T.MUL: {
          const op = fld('operator', this.tokNode());
          const x = fld('operand', this.parseUnaryExpr());
          return mk('unary_expression', op.start, x.end, [op, x]);
        }
        case T.ARROW: {
          const arrow = this.tokNode();
          const x = this.parseUnaryExpr();
          if (x.type === 'channel_type') {
            // `<-chan T`: the arrow belongs to the channel type.
            const first = x.children[0] as Node;
            if (first.type === '<-') {
              this.errorExpected(first.start, 'chan');
            } else if (x.children.length > 2 && (x.children[1] as Node).type === '<-') {
              // <-chan<- T: `(<-chan (<-T))` is not what was meant
              this.errorExpected(arrow.start, 'channel type');
            }
            x.children.unshift(arrow);
            arrow.parent = x;
            x.start = arrow.start;
            return x;
          }
          const op = fld('operator', arrow);
          const operand = fld('operand', x);
          return mk('unary_expression', op.start, operand.end, [op, operand]);
        }
        default:
          return this.parsePrimaryExpr(null);
      }
    } finally {
      this.nest--;
    }
  }

  private parseBinaryExpr(x0: Node | null, prec1: number): Node {
    let x = x0 ?? this.parseUnaryExpr();
    for (;;) {
      let op = this.tok();
      if (this.inRhs && op === T.ASSIGN) op = T.EQL;
      const oprec = precedence(op);
      if (oprec < prec1) return x;
      let opNode: Node;
      if (this.tok() !== op) {
        // `=` in an expression: go/parser reports it as a missing `==`.
        this.errorExpected(this.pos, '==');
        opNode = leaf('==', false, this.pos, this.tend);
        this.next();
      } else opNode = this.tokNode();
      const y = this.parseBinaryExpr(null, oprec + 1);
      x = mk('binary_expression', x.start, y.end, [fld('left', x), fld('operator', opNode), fld('right', y)]);
    }
  }

  private parseExpr(): Node {
    return this.parseBinaryExpr(null, 1);
  }

  private parseRhs(): Node {
    const old = this.inRhs;
    this.inRhs = true;
    const x = this.parseExpr();
    this.inRhs = old;
    return x;
  }

  // ---------------------------------------------------------------------------
  // Statements

  /**
   * go/parser parseSimpleStmt. `mode` 1 allows a label, 2 a range clause (returned as a
   * range_clause node).
   */
  private parseSimpleStmt(mode: 0 | 1 | 2): Node {
    // The left-hand list (parseList(false)), as an array only when there is more than one
    // expression or an assignment needs it: most simple statements are one call.
    const oldRhs = this.inRhs;
    this.inRhs = false;
    const x0 = this.parseExpr();
    let more = false;
    const base = this.sp;
    if (this.tok() === T.COMMA) {
      more = true;
      this.push(x0);
      while (this.tok() === T.COMMA) {
        this.next();
        this.push(this.parseExpr());
      }
    }
    this.inRhs = oldRhs;
    if (isAssignOp(this.tok())) {
      const x = more ? this.popFrom(base) : [x0];
      const tokKind = this.tok();
      const op = this.tokNode();
      const left = fld('left', this.exprListNode(x));
      if (mode === 2 && this.tok() === T.RANGE && (tokKind === T.DEFINE || tokKind === T.ASSIGN)) {
        const kw = this.tokNode();
        const right = fld('right', this.parseRhs());
        return mk('range_clause', left.start, right.end, [left, op, kw, right]);
      }
      const y = this.parseList(true);
      const right = fld('right', this.exprListNode(y));
      if (tokKind === T.DEFINE) return mk('short_var_declaration', left.start, right.end, [left, op, right]);
      op.field = 'operator';
      return mk('assignment_statement', left.start, right.end, [left, op, right]);
    }
    if (more) {
      this.sp = base;
      this.errorExpected(x0.start, '1 expression');
    }
    switch (this.tok()) {
      case T.COLON: {
        const colonPos = this.pos;
        const colon = this.tokNode();
        if (mode === 1 && x0.type === 'identifier') {
          x0.type = 'label_name';
          const label = fld('label', x0);
          const s = this.parseStmt();
          return s ? mk('labeled_statement', label.start, s.end, [label, colon, s]) : mk('labeled_statement', label.start, colon.end, [label, colon]);
        }
        this.error(colonPos, 'illegal label declaration');
        return this.bad(x0.start, colonPos + 1);
      }
      case T.ARROW: {
        const arrow = this.tokNode();
        const y = fld('value', this.parseRhs());
        return mk('send_statement', x0.start, y.end, [fld('channel', x0), arrow, y]);
      }
      case T.INC:
      case T.DEC: {
        const t = this.tokNode();
        return mk(t.type === '++' ? 'inc_statement' : 'dec_statement', x0.start, t.end, [x0, t]);
      }
      default:
        return mk('expression_statement', x0.start, x0.end, [x0]);
    }
  }

  /** The call of a `go` or `defer` statement. */
  private parseCallExpr(callType: string): Node {
    const x = this.parseRhs();
    let t = x;
    while (t.type === 'parenthesized_expression') t = t.children[0] as Node;
    if (t !== x) this.error(x.start, `expression in ${callType} must not be parenthesized`);
    if (t.type !== 'call_expression' && t.type !== 'type_conversion_expression' && t.type !== 'ERROR') this.error(x.end, `expression in ${callType} must be function call`);
    return x;
  }

  /** An expression from a simple statement that must be one (a condition, a switch tag). */
  private makeExpr(s: Node | null, want: string): Node | null {
    if (!s) return null;
    if (s.type === 'expression_statement') {
      const x = s.children[0] as Node;
      x.parent = null;
      return x;
    }
    const found = s.type === 'assignment_statement' || s.type === 'short_var_declaration' ? 'assignment' : 'simple statement';
    this.error(s.start, `cannot use ${found} as ${want} (missing parentheses around composite literal?)`);
    return this.bad(s.start, s.end);
  }

  /** The initializer (if any) and condition of an if statement, pushed onto the stack. */
  private parseIfHeader(): void {
    if (this.tok() === T.LBRACE) {
      this.error(this.pos, 'missing condition in if statement');
      this.push(fld('condition', this.bad(this.pos, this.pos)));
      return;
    }
    const prevLev = this.exprLev;
    this.exprLev = -1;
    let init: Node | null = null;
    if (this.tok() !== T.SEMICOLON) {
      if (this.tok() === T.VAR) {
        this.next();
        this.error(this.pos, 'var declaration not allowed in if initializer');
      }
      init = this.parseSimpleStmt(0);
    }
    let condStmt: Node | null = null;
    let semiPos = -1;
    let semiNl = false;
    if (this.tok() !== T.LBRACE) {
      if (this.tok() === T.SEMICOLON) {
        semiPos = this.pos;
        semiNl = this.nl;
        this.next();
      } else this.expect(T.SEMICOLON);
      if (this.tok() !== T.LBRACE) condStmt = this.parseSimpleStmt(0);
    } else {
      condStmt = init;
      init = null;
    }
    let cond: Node | null = null;
    if (condStmt) cond = this.makeExpr(condStmt, 'value');
    else if (semiPos >= 0) this.error(semiPos, semiNl ? 'unexpected newline, expected { after if clause' : 'missing condition in if statement');
    cond ??= this.bad(this.pos, this.pos);
    this.exprLev = prevLev;
    if (init) this.push(fld('initializer', init));
    this.push(fld('condition', cond));
  }

  private parseIfStmt(): Node {
    this.enter();
    try {
      const kw = this.tokNode();
      const base = this.sp;
      this.push(kw);
      this.parseIfHeader();
      this.push(fld('consequence', this.parseBlockStmt()));
      if (this.tok() === T.ELSE) {
        this.push(this.tokNode());
        if (this.tok() === T.IF) this.push(fld('alternative', this.parseIfStmt()));
        else if (this.tok() === T.LBRACE) {
          this.push(fld('alternative', this.parseBlockStmt()));
          this.expectSemi();
        } else {
          this.error(this.pos, 'else must be followed by if or statement block');
          this.push(fld('alternative', this.bad(this.pos, this.pos)));
        }
      } else this.expectSemi();
      return this.node('if_statement', kw.start, this.topEnd(), base);
    } finally {
      this.nest--;
    }
  }

  private parseCaseClause(typeSwitch: boolean): Node {
    const kw = this.tokNode();
    const base = this.sp;
    this.push(kw);
    let type = 'default_case';
    if (kw.type === 'case') {
      const list = this.parseList(true);
      if (typeSwitch) {
        type = 'type_case';
        for (let i = 0; i < list.length; i++) this.push(fld('type', this.toType(list[i] as Node)));
      } else {
        type = 'expression_case';
        this.push(fld('value', this.exprListNode(list)));
      }
    }
    const end = this.clauseBody();
    return this.node(type, kw.start, end, base);
  }

  /** The `:` and statements of a case clause, pushed onto the stack; returns the clause's end. */
  private clauseBody(): number {
    let end: number;
    if (this.tok() === T.COLON) {
      const colon = this.tokNode();
      this.push(colon);
      end = colon.end;
    } else {
      this.errorExpected(this.pos, ':');
      this.next();
      end = this.topEnd();
    }
    const body = this.parseStmtList();
    if (body) {
      this.push(body);
      end = body.end;
    }
    return end;
  }

  /** Whether `s` is a type switch guard `x.(type)` or `v := x.(type)`. */
  private isTypeSwitchGuard(s: Node | null): boolean {
    if (!s) return false;
    const isGuard = (x: Node): boolean => x.type === 'type_assertion_expression' && (x.children[1] as Node).type === 'type';
    if (s.type === 'expression_statement') return isGuard(s.children[0] as Node);
    if (s.type === 'short_var_declaration' || s.type === 'assignment_statement') {
      const l = s.children[0] as Node;
      const r = s.children[2] as Node;
      if (l.children.length === 1 && r.children.length === 1 && isGuard(r.children[0] as Node)) {
        if (s.type === 'assignment_statement') {
          if ((s.children[1] as Node).type !== '=') return false;
          this.error((s.children[1] as Node).start, "unexpected =, expected :=");
        }
        return true;
      }
    }
    return false;
  }

  private parseSwitchStmt(): Node {
    const kw = this.tokNode();
    let s1: Node | null = null;
    let s2: Node | null = null;
    if (this.tok() !== T.LBRACE) {
      const prevLev = this.exprLev;
      this.exprLev = -1;
      if (this.tok() !== T.SEMICOLON) s2 = this.parseSimpleStmt(0);
      if (this.tok() === T.SEMICOLON) {
        this.next();
        s1 = s2;
        s2 = null;
        if (this.tok() !== T.LBRACE) s2 = this.parseSimpleStmt(0);
      }
      this.exprLev = prevLev;
    }
    const typeSwitch = this.isTypeSwitchGuard(s2);
    const base = this.sp;
    this.push(kw);
    if (s1) this.push(fld('initializer', s1));
    if (typeSwitch && s2) {
      let guard: Node;
      if (s2.type === 'expression_statement') guard = s2.children[0] as Node;
      else {
        this.push(fld('alias', s2.children[0] as Node));
        this.push(s2.children[1] as Node);
        guard = (s2.children[2] as Node).children[0] as Node;
      }
      this.push(fld('value', guard.children[0] as Node));
      this.push(guard.children[1] as Node);
    } else {
      const tag = this.makeExpr(s2, 'value');
      if (tag) this.push(fld('value', tag));
    }
    this.expect(T.LBRACE);
    while (this.tok() === T.CASE || this.tok() === T.DEFAULT) this.push(this.parseCaseClause(typeSwitch));
    const rbrace = this.expect(T.RBRACE);
    this.expectSemi();
    return this.node(typeSwitch ? 'type_switch_statement' : 'expression_switch_statement', kw.start, rbrace, base);
  }

  private parseCommClause(): Node {
    const kw = this.tokNode();
    const base = this.sp;
    this.push(kw);
    if (kw.type === 'case') {
      const lhs = this.parseList(false);
      const l0 = lhs[0] as Node;
      if (this.tok() === T.ARROW) {
        if (lhs.length > 1) this.errorExpected(l0.start, '1 expression');
        const arrow = this.tokNode();
        const rhs = fld('value', this.parseRhs());
        this.push(fld('communication', mk('send_statement', l0.start, rhs.end, [fld('channel', l0), arrow, rhs])));
      } else if (this.tok() === T.ASSIGN || this.tok() === T.DEFINE) {
        if (lhs.length > 2) {
          this.errorExpected(l0.start, '1 or 2 expressions');
          lhs.length = 2;
        }
        const left = fld('left', this.exprListNode(lhs));
        const op = this.tokNode();
        const rhs = fld('right', this.parseRhs());
        this.push(fld('communication', mk('receive_statement', left.start, rhs.end, [left, op, rhs])));
      } else {
        if (lhs.length > 1) this.errorExpected(l0.start, '1 expression');
        this.push(fld('communication', mk('receive_statement', l0.start, l0.end, [fld('right', l0)])));
      }
    }
    const end = this.clauseBody();
    return this.node(kw.type === 'case' ? 'communication_case' : 'default_case', kw.start, end, base);
  }

  private parseSelectStmt(): Node {
    const kw = this.tokNode();
    this.expect(T.LBRACE);
    const base = this.sp;
    this.push(kw);
    while (this.tok() === T.CASE || this.tok() === T.DEFAULT) this.push(this.parseCommClause());
    const rbrace = this.expect(T.RBRACE);
    this.expectSemi();
    return this.node('select_statement', kw.start, rbrace, base);
  }

  private parseForStmt(): Node {
    const kw = this.tokNode();
    let s1: Node | null = null;
    let s2: Node | null = null;
    let s3: Node | null = null;
    let isRange = false;
    let clause = false;
    let semi1 = -1;
    let semi2 = -1;
    if (this.tok() !== T.LBRACE) {
      const prevLev = this.exprLev;
      this.exprLev = -1;
      if (this.tok() !== T.SEMICOLON) {
        if (this.tok() === T.RANGE) {
          const r = this.tokNode();
          const x = fld('right', this.parseRhs());
          s2 = mk('range_clause', r.start, x.end, [r, x]);
          isRange = true;
        } else {
          s2 = this.parseSimpleStmt(2);
          isRange = s2.type === 'range_clause';
        }
      }
      if (!isRange && this.tok() === T.SEMICOLON) {
        clause = true;
        semi1 = this.pos;
        this.next();
        s1 = s2;
        s2 = null;
        if (this.tok() !== T.SEMICOLON) s2 = this.parseSimpleStmt(0);
        if (this.tok() === T.SEMICOLON) semi2 = this.pos;
        if (this.tok() !== T.LBRACE) {
          this.expectSemi();
          if (this.tok() !== T.LBRACE) s3 = this.parseSimpleStmt(0);
        } else this.expectSemi();
      }
      this.exprLev = prevLev;
    }
    const base = this.sp;
    this.push(kw);
    if (isRange && s2) {
      const left = s2.children[0] as Node;
      if (left.field === 'left' && left.children.length > 2) this.errorExpected((left.children[left.children.length - 1] as Node).start, 'at most 2 expressions');
      this.push(s2);
    } else if (clause) {
      const cb = this.sp;
      if (s1) this.push(fld('initializer', s1));
      const cond = this.makeExpr(s2, 'for loop condition');
      if (cond) this.push(fld('condition', cond));
      if (s3) this.push(fld('update', s3));
      // The clause spans its semicolons too (`for ; i < n; {`).
      const start = s1 ? s1.start : semi1;
      const end = s3 ? s3.end : semi2 >= 0 ? semi2 + 1 : this.sp > cb ? this.topEnd() : semi1 + 1;
      this.push(this.node('for_clause', start, end, cb));
    } else if (s2) {
      const cond = this.makeExpr(s2, 'for loop condition');
      if (cond) this.push(cond);
    }
    const body = fld('body', this.parseBlockStmt());
    this.push(body);
    this.expectSemi();
    return this.node('for_statement', kw.start, body.end, base);
  }

  /** One statement, or null for an empty one (a lone `;` or nothing before `}`). */
  private parseStmt(): Node | null {
    this.enter();
    try {
      switch (this.tok()) {
        case T.CONST:
        case T.TYPE:
        case T.VAR:
          return this.parseDecl(STMT_START);
        case T.IDENT:
        case T.INT:
        case T.FLOAT:
        case T.IMAG:
        case T.CHAR:
        case T.STRING:
        case T.FUNC:
        case T.LPAREN:
        case T.LBRACK:
        case T.STRUCT:
        case T.MAP:
        case T.CHAN:
        case T.INTERFACE:
        case T.ADD:
        case T.SUB:
        case T.MUL:
        case T.AND:
        case T.XOR:
        case T.ARROW:
        case T.NOT: {
          const s = this.parseSimpleStmt(1);
          if (s.type !== 'labeled_statement') this.expectSemi();
          return s;
        }
        case T.GO:
        case T.DEFER: {
          const kw = this.tokNode();
          const call = this.parseCallExpr(kw.type);
          this.expectSemi();
          return mk(kw.type === 'go' ? 'go_statement' : 'defer_statement', kw.start, call.end, [kw, call]);
        }
        case T.RETURN: {
          const kw = this.tokNode();
          if (this.tok() === T.SEMICOLON || this.tok() === T.RBRACE) {
            this.expectSemi();
            return mk('return_statement', kw.start, kw.end, [kw]);
          }
          const list = this.exprListNode(this.parseList(true));
          this.expectSemi();
          return mk('return_statement', kw.start, list.end, [kw, list]);
        }
        case T.BREAK:
        case T.CONTINUE:
        case T.GOTO:
        case T.FALLTHROUGH: {
          const t = this.tok();
          const kw = this.tokNode();
          if (t === T.FALLTHROUGH) {
            this.expectSemi();
            return mk('fallthrough_statement', kw.start, kw.end, [kw]);
          }
          const label = t === T.GOTO || this.tok() === T.IDENT ? this.parseIdent('label_name') : null;
          this.expectSemi();
          const type = t === T.BREAK ? 'break_statement' : t === T.CONTINUE ? 'continue_statement' : 'goto_statement';
          return label ? mk(type, kw.start, label.end, [kw, label]) : mk(type, kw.start, kw.end, [kw]);
        }
        case T.LBRACE: {
          const b = this.parseBlockStmt();
          this.expectSemi();
          return b;
        }
        case T.IF:
          return this.parseIfStmt();
        case T.SWITCH:
          return this.parseSwitchStmt();
        case T.SELECT:
          return this.parseSelectStmt();
        case T.FOR:
          return this.parseForStmt();
        case T.SEMICOLON: {
          const explicit = !this.nl;
          const n = leaf('empty_statement', true, this.pos, this.tend);
          this.next();
          return explicit ? n : null;
        }
        case T.RBRACE:
          return null;
        default: {
          const pos = this.pos;
          this.errorExpected(pos, 'statement');
          this.advance(STMT_START);
          return this.bad(pos, this.pos);
        }
      }
    } finally {
      this.nest--;
    }
  }

  // ---------------------------------------------------------------------------
  // Declarations

  private parseImportSpec(): Node {
    const base = this.sp;
    const start = this.pos;
    if (this.tok() === T.IDENT) {
      const id = this.parseIdent('package_identifier');
      if (id.end - id.start === 1 && this.src.charCodeAt(id.start) === 95) id.type = 'blank_identifier';
      this.push(fld('name', id));
    } else if (this.tok() === T.PERIOD) {
      this.push(fld('name', leaf('dot', true, this.pos, this.tend)));
      this.next();
    }
    if (this.tok() === T.STRING) this.push(fld('path', this.literal()));
    else if (this.tok() >= T.INT && this.tok() <= T.STRING) {
      this.error(this.pos, 'import path must be a string');
      this.push(fld('path', this.literal()));
    } else {
      this.error(this.pos, 'missing import path');
      this.advance(EXPR_END);
    }
    const end = this.sp > base ? this.topEnd() : start;
    this.expectSemi('after import spec');
    return this.node('import_spec', start, end, base);
  }

  private parseValueSpec(keyword: T): Node {
    const start = this.pos;
    const base = this.sp;
    this.push(fld('name', this.parseIdent()));
    while (this.tok() === T.COMMA) {
      this.next();
      this.push(fld('name', this.parseIdent()));
    }
    if (keyword === T.CONST) {
      if (this.tok() !== T.EOF && this.tok() !== T.SEMICOLON && this.tok() !== T.RPAREN) {
        const t = this.tryIdentOrType();
        if (t) this.push(fld('type', t));
        if (this.tok() === T.ASSIGN) {
          this.push(this.tokNode());
          this.push(fld('value', this.exprListNode(this.parseList(true))));
        }
      }
    } else {
      if (this.tok() !== T.ASSIGN) this.push(fld('type', this.parseType()));
      if (this.tok() === T.ASSIGN) {
        this.push(this.tokNode());
        this.push(fld('value', this.exprListNode(this.parseList(true))));
      }
    }
    const end = this.topEnd();
    this.expectSemi(this.declContext());
    return this.node(keyword === T.CONST ? 'const_spec' : 'var_spec', start, end, base);
  }

  private parseTypeSpec(): Node {
    const name = fld('name', this.parseIdent('type_identifier'));
    const base = this.sp;
    this.push(name);
    let alias = false;
    if (this.tok() === T.LBRACK) {
      const lbrack = this.pos;
      this.next();
      if (this.tok() === T.IDENT) {
        // An array type `[N]E` or a type parameter list `[P C]`: parse an expression and look.
        let x = this.parseIdent();
        if (this.tok() !== T.LBRACK) {
          this.exprLev++;
          const lhs = this.parsePrimaryExpr(x);
          x = this.parseBinaryExpr(lhs, 1);
          this.exprLev--;
        }
        const { pname, ptype } = this.extractName(x, this.tok() === T.COMMA);
        if (pname && (ptype || this.tok() !== T.RBRACK)) {
          // type parameter list
          const b = this.sp;
          this.parseParameterList(pname, ptype, T.RBRACK, false);
          const rbrack = this.expect(T.RBRACK);
          this.push(fld('type_parameters', this.node('type_parameter_list', lbrack, rbrack, b)));
          if (this.tok() === T.ASSIGN) {
            alias = true;
            this.push(this.tokNode());
          }
          this.push(fld('type', this.parseType()));
        } else {
          this.push(fld('type', this.parseArrayType(lbrack, x)));
        }
      } else {
        this.push(fld('type', this.parseArrayType(lbrack, null)));
      }
    } else {
      if (this.tok() === T.ASSIGN) {
        alias = true;
        this.push(this.tokNode());
      }
      this.push(fld('type', this.parseType()));
    }
    const end = this.topEnd();
    this.expectSemi(this.declContext());
    return this.node(alias ? 'type_alias' : 'type_spec', name.start, end, base);
  }

  /** go/parser extractName: splits `P C` parsed as an expression into a name and a constraint. */
  private extractName(x: Node, force: boolean): { pname: Node | null; ptype: Node | null } {
    switch (x.type) {
      case 'identifier':
        return { pname: x, ptype: null };
      case 'binary_expression': {
        const l = x.children[0] as Node;
        const op = x.children[1] as Node;
        const r = x.children[2] as Node;
        if (op.type === '*') {
          if (l.type === 'identifier' && (force || this.isTypeElem(r))) {
            op.field = null;
            r.field = null;
            l.field = null;
            const t = this.toType(r);
            return { pname: l, ptype: mk('pointer_type', op.start, t.end, [op, t]) };
          }
        } else if (op.type === '|') {
          const inner = this.extractName(l, force || this.isTypeElem(r));
          if (inner.pname && inner.ptype) {
            // name lhs|rhs: rebuild the union with the split-off left side.
            const lhs = inner.ptype;
            lhs.field = null;
            op.field = null;
            r.field = null;
            const terms: Node[] = lhs.type === 'type_elem' ? [...lhs.children] : [lhs];
            terms.push(op);
            const rt = this.toType(r);
            if (rt.type === 'type_elem') terms.push(...rt.children);
            else terms.push(rt);
            return { pname: inner.pname, ptype: mkList('type_elem', lhs.start, r.end, terms) };
          }
        }
        break;
      }
      case 'call_expression': {
        const f = x.children[0] as Node;
        const args = (x.children[1] as Node).children;
        if (f.type === 'identifier' && args.length === 1 && (args[0] as Node).type !== 'variadic_argument' && (force || this.isTypeElem(args[0] as Node))) {
          const a = args[0] as Node;
          a.field = null;
          const al = x.children[1] as Node;
          f.field = null;
          return { pname: f, ptype: mk('parenthesized_type', al.start, al.end, [this.toType(a)]) };
        }
        break;
      }
      case 'type_conversion_expression':
        break;
      default:
    }
    return { pname: null, ptype: x };
  }

  /** go/parser isTypeElem: whether x is certainly a type element (not a value expression). */
  private isTypeElem(x: Node): boolean {
    switch (x.type) {
      case 'slice_type':
      case 'array_type':
      case 'implicit_length_array_type':
      case 'struct_type':
      case 'function_type':
      case 'interface_type':
      case 'map_type':
      case 'channel_type':
        return true;
      case 'binary_expression':
        return this.isTypeElem(x.children[0] as Node) || this.isTypeElem(x.children[2] as Node);
      case 'unary_expression':
        return (x.children[0] as Node).type === '~';
      case 'parenthesized_expression':
      case 'parenthesized_type':
        return this.isTypeElem(x.children[0] as Node);
      default:
        return false;
    }
  }

  private parseGenDecl(keyword: T): Node {
    const kw = this.tokNode();
    const base = this.sp;
    this.push(kw);
    let end: number;
    if (this.tok() === T.LPAREN) {
      const lparen = this.pos;
      this.next();
      const b = this.sp;
      while (this.tok() !== T.RPAREN && this.tok() !== T.EOF) this.push(this.parseSpec(keyword));
      end = this.expect(T.RPAREN);
      this.expectSemi(this.declContext());
      if (keyword === T.IMPORT) this.push(this.node('import_spec_list', lparen, end, b));
      else if (keyword === T.VAR) this.push(this.node('var_spec_list', lparen, end, b));
    } else {
      const s = this.parseSpec(keyword);
      this.push(s);
      end = s.end;
    }
    const type = keyword === T.IMPORT ? 'import_declaration' : keyword === T.VAR ? 'var_declaration' : keyword === T.CONST ? 'const_declaration' : 'type_declaration';
    return this.node(type, kw.start, end, base);
  }

  private parseSpec(keyword: T): Node {
    return keyword === T.IMPORT ? this.parseImportSpec() : keyword === T.TYPE ? this.parseTypeSpec() : this.parseValueSpec(keyword);
  }

  private parseFuncDecl(): Node {
    const kw = this.tokNode();
    const base = this.sp;
    this.push(kw);
    let recv: Node | null = null;
    if (this.tok() === T.LPAREN) {
      recv = fld('receiver', this.parseParameters(false) as Node);
      this.push(recv);
    }
    const ident = fld('name', this.parseIdent(recv ? 'field_identifier' : 'identifier'));
    this.push(ident);
    if (this.tok() === T.LBRACK) {
      const tp = this.parseTypeParameters();
      if (recv) this.error(tp.start, 'method must have no type parameters');
      else this.push(fld('type_parameters', tp));
    }
    this.parseSignature();
    switch (this.tok()) {
      case T.LBRACE:
        this.push(fld('body', this.funcBody()));
        this.expectSemi('after top level declaration');
        break;
      case T.SEMICOLON:
        this.next();
        if (this.tok() === T.LBRACE) {
          this.error(this.pos, 'unexpected semicolon or newline before {');
          this.push(fld('body', this.funcBody()));
          this.expectSemi('after top level declaration');
        }
        break;
      default:
        this.expectSemi('after top level declaration');
    }
    return this.node(recv ? 'method_declaration' : 'function_declaration', kw.start, this.topEnd(), base);
  }

  private funcBody(): Node {
    if (this.skipBodies) return this.skipBlock();
    this.funcDepth++;
    const b = this.parseBlockStmt();
    this.funcDepth--;
    return b;
  }

  /**
   * With `skipBodies`: the block at `{` as an empty `block` node, its end at the matching
   * `}` (or at the end of the text when there is none: "expected }" is reported there).
   */
  private skipBlock(): Node {
    const lbrace = this.pos;
    let depth = 0;
    for (; this.tok() !== T.EOF; this.next()) {
      if (this.tok() === T.LBRACE) depth++;
      else if (this.tok() === T.RBRACE && --depth === 0) {
        const rbrace = this.tend;
        this.next();
        return mk('block', lbrace, rbrace, NO_CHILDREN);
      }
    }
    this.errorExpected(this.pos, '}');
    return mk('block', lbrace, this.lastEnd, NO_CHILDREN);
  }

  private declContext(): string {
    return this.funcDepth > 0 ? 'at end of statement' : 'after top level declaration';
  }

  private parseDecl(sync: Uint8Array): Node {
    switch (this.tok()) {
      case T.IMPORT:
      case T.CONST:
      case T.VAR:
      case T.TYPE:
        return this.parseGenDecl(this.tok());
      case T.FUNC:
        return this.parseFuncDecl();
      default: {
        const pos = this.pos;
        this.error(pos, `non-declaration statement outside function body`);
        this.advance(sync);
        return this.bad(pos, this.pos);
      }
    }
  }

  /**
   * Recovery past go/parser's: when the declaration that began at `start` had errors
   * (from index `before` on), and a later line of its text starts with a declaration
   * keyword (`func`, `type`, `var`, `const`; gofmt puts nothing else at column 1), that
   * declaration is cut off there and parsing starts again from that line. One broken
   * statement then costs its function, not the rest of the file. The first error is
   * always go/parser's; errors past the cut are dropped and found again by the re-parse.
   * Returns whether it restarted.
   */
  private resync(before: number, start: number, decl: Node | undefined): boolean {
    if (this.errors.length <= before) return false;
    const first = (this.errors[before] as SyntaxError).offset;
    const limit = this.tk === T.EOF ? this.src.length : this.pos;
    const cut = findDeclLine(this.src, Math.max(first, start + 1), limit);
    // Text is scanned again from the cut: at most once more in all, so parsing stays linear.
    if (cut < 0 || this.rescanned + (limit - cut) > this.src.length) return false;
    this.rescanned += limit - cut;
    if (decl) prune(decl, cut);
    // Errors past the cut belong to text that is parsed again.
    let k = this.errors.length;
    while (k > before && (this.errors[k - 1] as SyntaxError).offset >= cut) k--;
    this.errors.length = Math.max(k, before + 1);
    const last = this.errors[this.errors.length - 1];
    this.lastErrLine = last ? this.lineOf(last.offset) : -1;
    this.syncPos = -1;
    this.syncCnt = 0;
    this.nest = 0;
    this.exprLev = 0;
    this.inRhs = false;
    this.funcDepth = 0;
    this.sc.restartAt(cut);
    this.tk = T.ILLEGAL;
    this.next();
    return true;
  }

  parseFile(): Node[] {
    const decls: Node[] = [];
    try {
      // A file whose first token is already broken is likely not Go at all.
      if (this.errors.length !== 0) return decls;
      if (this.tok() !== T.PACKAGE) {
        this.error(this.pos, 'package statement must be first');
        return decls;
      }
      const kw = this.tokNode();
      const name = this.parseIdent('package_identifier');
      decls.push(mk('package_clause', kw.start, Math.max(kw.end, name.end), [kw, name]));
      this.packageName = this.src.slice(name.start, name.end);
      this.expectSemi('after package clause');
      if (this.errors.length !== 0) return decls;
      while (this.tok() === T.IMPORT) decls.push(this.parseGenDecl(T.IMPORT));
      let prev = T.IMPORT;
      while (this.tok() !== T.EOF) {
        if (this.tok() === T.IMPORT && prev !== T.IMPORT) this.error(this.pos, 'imports must appear before other declarations');
        prev = this.tok();
        const before = this.errors.length;
        const start = this.pos;
        let d: Node | undefined;
        // A bailout may have left a list on the stack; nothing is on it between declarations.
        this.sp = 0;
        try {
          d = this.parseDecl(DECL_START);
        } catch (e) {
          if (!(e instanceof Bailout) || !this.resync(before, start, undefined)) throw e;
          continue;
        }
        decls.push(d);
        if (this.errors.length > before) this.resync(before, start, d);
      }
    } catch (e) {
      if (e instanceof Bailout) return decls;
      if (e instanceof RangeError) {
        // The JS stack ran out before the nesting limit: stop here, as go/parser does past its limit.
        this.errors.push({ offset: this.pos, message: 'syntax error: exceeded max nesting depth' });
        return decls;
      }
      throw e;
    }
    return decls;
  }
}
