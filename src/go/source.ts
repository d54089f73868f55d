/**
 * @fileoverview One Go source file: its text, tree-sitter tree, syntax errors,
 * positions, and the lazily copied top-level declarations.
 *
 * Parsing uses the native tree-sitter binding with the tree-sitter-go grammar
 * (`tree-sitter@0.25.1` ships linux/darwin/win32 prebuilds; the WASM build was
 * measured slower for the same trees, and parse time dominates the stdlib benchmark).
 */
import Parser from 'tree-sitter';
import Go from 'tree-sitter-go';
import type { Finding } from '../analysis/finding.js';
import { INPUT_RULE_ID, SYNTAX_RULE_ID } from '../analysis/finding.js';
import { scanFile, type FileScan } from './declscan.js';
import { copyChildren, copySubtree, LazyNode, type LazyPolicy, type Node } from './syntax.js';

let parser: Parser | undefined;

/** One parser per thread: tree-sitter parsers are not shareable across threads. */
function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Go as unknown as Parser.Language);
  }
  return parser;
}

/** A comment as the suppression machinery wants it. */
export interface Comment {
  text: string;
  line: number;
  column: number;
  endLine: number;
  ownLine: boolean;
}

/** Options of `new SourceFile`. */
export interface SourceFileOptions {
  /**
   * Parse only what is outside function bodies, package-level composite and function
   * literals (`var tests = []T{...}`) and line comments. A body is then parsed on its
   * own when `body()` first needs it, a literal's contents when first read, the whole
   * file when `tree` is asked for. Default: parse everything.
   */
  partial?: boolean;
  /** The file's declaration scan when the caller has it already (`null`: the scanner gave up). */
  scan?: FileScan | null;
}

/** A parsed Go file. */
export class SourceFile {
  readonly path: string;
  readonly text: string;
  private current: Parser.Tree;
  /** Offsets of the `{` of bodies left out of `current` (empty once the whole file is parsed). */
  private skipped = new Set<number>();
  /** Package-level literal brace groups left out of `current`, as [open, close] offsets in file order. */
  private skippedLiterals: Array<[number, number]> = [];
  /** Trees of single top-level declarations parsed to fill in left-out literals, by declaration start. */
  private declTrees = new Map<number, Parser.Tree>();
  /** Offsets where each line starts (index 0 = line 1). */
  private lineStarts: number[] | undefined;
  /** Top-level declarations; function bodies are left uncopied until `body()` asks. */
  readonly decls: Node[] = [];
  /** Package clause name ('' when missing). */
  readonly packageName: string;
  /**
   * Syntax errors found in the tree (ERROR and MISSING nodes), capped per file: in what
   * was parsed at construction, and in each body left out then, once `body()` parses it.
   */
  readonly syntaxErrors: Finding[] = [];
  private bodies = new Map<Node, Node>();

  constructor(path: string, text: string, opts: SourceFileOptions = {}) {
    this.path = path;
    this.text = text;
    this.current = parseWithNewExprWorkaround(text, opts.partial ? this.includedRanges(opts.scan) : undefined);
    const c = this.current.walk();
    let pkg = '';
    if (c.gotoFirstChild()) {
      do {
        if (!c.nodeIsNamed || c.nodeType === 'comment') continue;
        const type = c.nodeType;
        const n =
          type === 'function_declaration' || type === 'method_declaration'
            ? this.copyDeclWithoutBody(c)
            : copySubtree(c, null, type === 'var_declaration' ? this.lazyLiterals : undefined);
        if (n.type === 'package_clause') {
          const id = n.children.find((x) => x.type === 'package_identifier');
          if (id) pkg = this.text.slice(id.start, id.end);
        }
        this.decls.push(n);
      } while (c.gotoNextSibling());
    }
    this.packageName = pkg;
    if (this.current.rootNode.hasError) this.collectSyntaxErrors(this.current);
    // tree-sitter-go accepts a file without a package clause; Go does not.
    if (!pkg && this.syntaxErrors.length === 0) {
      this.syntaxErrors.push({
        ruleId: SYNTAX_RULE_ID,
        severity: 'error',
        message: "syntax error: expected 'package' clause at the start of the file",
        file: this.path,
        range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
      });
    }
  }

  /**
   * The native tree of the whole file. When parts were left out at construction, the
   * file is parsed again in full on first use.
   */
  get tree(): Parser.Tree {
    // Comments are left out only together with a body or a literal, so these two say
    // whether `current` is partial.
    if (this.skipped.size > 0 || this.skippedLiterals.length > 0) {
      this.current = parseWithNewExprWorkaround(this.text);
      this.skipped.clear();
      this.skippedLiterals = [];
    }
    return this.current;
  }

  /**
   * Ranges for tree-sitter's `includedRanges` that leave out the inside of function
   * bodies and of package-level literals (the braces stay, so the parser sees
   * `func f() {}` and `T{}`), recording them in `skipped` and `skippedLiterals`, and line
   * comments outside those. Undefined (parse everything) when no body or literal is left
   * out or the file cannot be scanned with certainty. Parsing signatures, types and
   * package-level variables costs a fraction of parsing bodies (about 1/6 on the Go
   * standard library).
   */
  private includedRanges(known: FileScan | null | undefined): Parser.Range[] | undefined {
    const scan = known === undefined ? scanFile(this.text) : known;
    if (!scan) return undefined;
    // Gaps: [from, to) left out. A body or literal keeps its braces (the parser sees `{}`).
    const gaps: Array<[number, number]> = [];
    for (const b of scan.bodies) {
      if (b.close - b.open < 2) continue;
      gaps.push([b.open + 1, b.close]);
      this.skipped.add(b.open);
    }
    for (const l of scan.literals) {
      if (l.close - l.open < 2) continue;
      gaps.push([l.open + 1, l.close]);
      this.skippedLiterals.push([l.open, l.close]);
    }
    if (gaps.length === 0) return undefined;
    // Line comments go too (over 40% of what is left of the standard library's files);
    // the newline after each run stays, so statements end where they did.
    gaps.push(...scan.comments);
    gaps.sort((a, b) => a[0] - b[0]);
    const spans: Array<[number, number]> = [];
    let at = 0;
    for (const [from, to] of gaps) {
      if (from > at) spans.push([at, from]);
      at = Math.max(at, to);
    }
    if (at < this.text.length) spans.push([at, this.text.length]);
    // Indices are UTF-16 code units for string input, like every offset in this file;
    // positions only label nodes, which we locate by index.
    return spans.map(([s, e]) => this.parserRange(s, e));
  }

  /** A tree-sitter range from `start` to `end`. */
  private parserRange(start: number, end: number): Parser.Range {
    return { startIndex: start, endIndex: end, startPosition: this.point(start), endPosition: this.point(end) };
  }

  private point(offset: number): Parser.Point {
    const p = this.position(offset);
    return { row: p.line - 1, column: p.column - 1 };
  }

  /**
   * Copies a function/method declaration but leaves its body block empty (a placeholder,
   * see `body()`) and its parameter and result lists lazy: most signatures in a file are
   * never looked at.
   */
  private copyDeclWithoutBody(c: Parser.TreeCursor): Node {
    const decl: Node = { type: c.nodeType, named: true, field: null, start: c.startIndex, end: c.endIndex, children: [], parent: null };
    if (c.gotoFirstChild()) {
      do {
        const f = c.currentFieldName;
        if (f === 'body') {
          decl.children.push({ type: c.nodeType, named: true, field: 'body', start: c.startIndex, end: c.endIndex, children: [], parent: decl });
        } else if ((f === 'parameters' || f === 'result') && c.nodeType === 'parameter_list') {
          decl.children.push(new LazyNode(c.nodeType, true, f, c.startIndex, c.endIndex, decl, this.loadChildren));
        } else {
          decl.children.push(copySubtree(c, decl));
        }
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return decl;
  }

  /** Package-level composite literals' element lists (`var tests = []T{...}`) are copied when first read. */
  private readonly lazyLiterals: LazyPolicy = {
    // A left-out literal shows as an empty `{}` (literal_value, or block for a function
    // literal) at its opening brace.
    lazy: (type, start) => type === 'literal_value' || (type === 'block' && this.skippedLiterals.length > 0 && this.inSkippedLiteral(start, start + 1)),
    load: (n) => this.loadChildren(n),
  };

  /** Whether [start, end) lies in a package-level literal left out of `current` (its braces included). */
  private inSkippedLiteral(start: number, end: number): boolean {
    const ls = this.skippedLiterals;
    const l = ls[lastAtOrBefore(ls.length, (i) => (ls[i] as [number, number])[0], start)];
    return !!l && l[0] <= start && end <= l[1] + 1;
  }

  /**
   * The native tree holding `n`: `current`, or, for nodes in a left-out literal, a parse of
   * the top-level declaration around it alone (kept, and its syntax errors collected).
   */
  private treeFor(n: Node): Parser.Tree {
    if (this.skippedLiterals.length === 0 || !this.inSkippedLiteral(n.start, n.end)) return this.current;
    let top = n;
    while (top.parent) top = top.parent;
    let t = this.declTrees.get(top.start);
    if (!t) {
      t = parseWithNewExprWorkaround(this.text, [this.parserRange(top.start, top.end)]);
      this.declTrees.set(top.start, t);
      if (t.rootNode.hasError) this.collectSyntaxErrors(t);
    }
    return t;
  }

  /** Copies the children of a lazy node from the native tree. */
  private readonly loadChildren = (n: LazyNode): Node[] => {
    const c = cursorAt(this.treeFor(n), n.start, n.end, n.type);
    return c ? copyChildren(c, n, this.lazyLiterals) : [];
  };

  /** The source text of a node. */
  textOf(n: Node): string {
    return this.text.slice(n.start, n.end);
  }

  /** 1-based line and column (UTF-16 units) of an offset. */
  position(offset: number): { line: number; column: number } {
    const ls = this.lines();
    const i = lastAtOrBefore(ls.length, (k) => ls[k] as number, offset);
    return { line: i + 1, column: offset - (ls[i] as number) + 1 };
  }

  /** The 1-based line of an offset. */
  line(offset: number): number {
    return this.position(offset).line;
  }

  /** Range of a node in 1-based positions. */
  range(n: { start: number; end: number }): { start: { line: number; column: number }; end: { line: number; column: number } } {
    return { start: this.position(n.start), end: this.position(n.end) };
  }

  /** Offset of the first character of 1-based line `line`. */
  lineStart(line: number): number {
    return this.lines()[line - 1] ?? this.text.length;
  }

  /** The text of 1-based line `line`, without its newline. */
  lineText(line: number): string {
    const ls = this.lines();
    const s = ls[line - 1];
    if (s === undefined) return '';
    const e = ls[line] ?? this.text.length + 1;
    return this.text.slice(s, e - 1).replace(/\r$/, '');
  }

  private lines(): number[] {
    if (!this.lineStarts) {
      const ls = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) ls.push(i + 1);
      this.lineStarts = ls;
    }
    return this.lineStarts;
  }

  /**
   * The full body of a function or method declaration (copied on first use).
   * Declarations from `decls` have an empty placeholder `body`; this returns the real one.
   */
  body(decl: Node): Node | undefined {
    const placeholder = decl.children.find((ch) => ch.field === 'body');
    if (!placeholder) return undefined;
    if (placeholder.children.length > 0 || placeholder.end - placeholder.start <= 2) return placeholder;
    const cached = this.bodies.get(decl);
    if (cached) return cached;
    // A body left out at construction: parse this declaration alone (a fraction of the
    // file) rather than the whole file again.
    let tree = this.current;
    if (this.skipped.has(placeholder.start)) {
      tree = parseWithNewExprWorkaround(this.text, [this.parserRange(decl.start, decl.end)]);
      if (tree.rootNode.hasError) this.collectSyntaxErrors(tree);
    }
    const target = cursorAt(tree, placeholder.start, placeholder.end, 'block');
    if (!target) return undefined;
    const full = copySubtree(target, decl);
    full.field = 'body';
    // Swap the placeholder for the full copy so parent links and field lookups agree.
    const idx = decl.children.indexOf(placeholder);
    decl.children[idx] = full;
    this.bodies.set(decl, full);
    return full;
  }

  /** Comments whose text starts with `prefix` (e.g. `//leakscope:`), found by text search and confirmed in the tree. */
  commentsStartingWith(prefix: string): Comment[] {
    const out: Comment[] = [];
    for (let i = this.text.indexOf(prefix); i !== -1; i = this.text.indexOf(prefix, i + prefix.length)) {
      const n = this.tree.rootNode.descendantForIndex(i, i + prefix.length);
      if (n.type !== 'comment' || n.startIndex !== i) continue;
      const pos = this.position(i);
      const before = this.text.slice(this.lineStart(pos.line), i);
      out.push({
        text: this.text.slice(n.startIndex, n.endIndex),
        line: pos.line,
        column: pos.column,
        endLine: this.position(n.endIndex).line,
        ownLine: before.trim() === '',
      });
    }
    return out;
  }

  private collectSyntaxErrors(tree: Parser.Tree): void {
    const c = tree.walk();
    let ok = true;
    while (ok && this.syntaxErrors.length < 10) {
      const isErr = c.nodeType === 'ERROR';
      if (isErr || c.nodeIsMissing) {
        const start = this.position(c.startIndex);
        const end = this.position(c.endIndex);
        const snippet = this.text.slice(c.startIndex, Math.min(c.endIndex, c.startIndex + 30)).split('\n')[0] ?? '';
        this.syntaxErrors.push({
          ruleId: SYNTAX_RULE_ID,
          severity: 'error',
          message: isErr
            ? `syntax error: unexpected ${snippet.trim() ? JSON.stringify(snippet.trim()) : 'input'}; the rest of the file is analysed where the tree allows`
            : `syntax error: missing ${JSON.stringify(c.nodeType)}`,
          file: this.path,
          range: { start, end: isErr ? end : start },
        });
        // Do not descend into an ERROR node: one report per broken region.
        if (isErr) {
          while (!c.gotoNextSibling()) if (!c.gotoParent()) { ok = false; break; }
          continue;
        }
      }
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) { ok = false; break; }
    }
  }
}


/**
 * A cursor on the node of `type` spanning exactly [start, end), found by descending from
 * the root into the child that holds `start` (a few native calls per level; going through
 * SyntaxNode objects costs several times more).
 */
function cursorAt(tree: Parser.Tree, start: number, end: number, type: string): Parser.TreeCursor | undefined {
  const c = tree.walk();
  for (;;) {
    const s = c.startIndex;
    const e = c.endIndex;
    if (s > start || e < end) return undefined;
    if (s === start && e === end && c.nodeType === type) return c;
    // The first child that extends past `start`: the only one that can hold the range.
    // (The binding returns the child's index, or null, not the boolean its types say.)
    if ((c.gotoFirstChildForIndex(start) as unknown as number | null) === null) return undefined;
  }
}

/**
 * In a list of `n` items sorted by `keyAt`, the index of the last one whose key is at most
 * `x` (0 when none is, or the list is empty).
 */
function lastAtOrBefore(n: number, keyAt: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (keyAt(mid) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Why a file's bytes cannot be analysed as Go text, or undefined when they can. */
export function decodeGoSource(path: string, bytes: Uint8Array): { text: string } | { problem: Finding } {
  const at = (msg: string, line = 1): { problem: Finding } => ({
    problem: { ruleId: INPUT_RULE_ID, severity: 'error', message: msg, file: path, range: { start: { line, column: 1 }, end: { line, column: 1 } } },
  });
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 10) line++;
    return at(`not a Go source file: binary content (NUL byte at offset ${nul}); skipped`, line);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Find the first invalid byte for the message: decode progressively larger prefixes is
    // quadratic, so scan for the UTF-8 structure by hand.
    const { offset, line } = firstInvalidUtf8(bytes);
    return at(`invalid UTF-8 encoding at byte offset ${offset} (Go source must be UTF-8); skipped`, line);
  }
  if (text.trim() === '') return at('empty file: expected a package clause; skipped');
  return { text };
}

function firstInvalidUtf8(b: Uint8Array): { offset: number; line: number } {
  let line = 1;
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    if (c === 10) line++;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return { offset: i, line };
    // The second byte's range excludes overlong forms, surrogates and code points past
    // U+10FFFF (Unicode Table 3-7, "Well-Formed UTF-8 Byte Sequences").
    const b1 = b[i + 1] ?? 0;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (need > 0 && (b1 < lo || b1 > hi)) return { offset: i, line };
    for (let k = 2; k <= need; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return { offset: i, line };
    i += need + 1;
  }
  return { offset: b.length, line };
}

function parseText(text: string, includedRanges?: Parser.Range[]): Parser.Tree {
  // bufferSize: the binding's default 32 KiB buffer makes it call back per chunk;
  // handing it the whole string at once avoids the callback overhead.
  if (!includedRanges) return getParser().parse(text, undefined, { bufferSize: text.length * 2 + 16 });
  // With ranges the parser jumps, and at each jump the binding asks for the text from the
  // new offset and copies as much as the buffer holds: handing it the whole rest of the
  // file would copy it once per range. Hand it the rest of the current range only, into
  // a buffer sized for the longest range.
  const rs = includedRanges;
  let longest = 0;
  for (const r of rs) longest = Math.max(longest, r.endIndex - r.startIndex);
  const input = (offset: number): string => {
    const r = rs[lastAtOrBefore(rs.length, (i) => (rs[i] as Parser.Range).startIndex, offset)] as Parser.Range;
    return offset >= r.startIndex && offset < r.endIndex ? text.slice(offset, r.endIndex) : '';
  };
  return getParser().parse(input, undefined, { bufferSize: longest + 16, includedRanges });
}

/** Offsets of ERROR and MISSING nodes (at most `limit`). */
function errorOffsets(tree: Parser.Tree, limit = 1000): number[] {
  const out: number[] = [];
  if (!tree.rootNode.hasError) return out;
  const c = tree.walk();
  for (;;) {
    if (c.nodeType === 'ERROR' || c.nodeIsMissing) {
      out.push(c.startIndex);
      if (out.length >= limit) return out;
    }
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
  }
}

/**
 * Go 1.26 allows `new(expr)` (e.g. `new(int64(300))`), and any program may shadow `make`
 * with its own function, but tree-sitter-go 0.25 hard-codes `new` and `make` to take a
 * type and produces ERROR nodes. When a parse has errors inside such a call, re-parse
 * with those calls spelled `nev(` / `mave(` (same length, so offsets are unchanged and the
 * node's text, read from the original source, is still `new`/`make`); the second tree
 * is kept when it has fewer errors.
 */
function parseWithNewExprWorkaround(text: string, includedRanges?: Parser.Range[]): Parser.Tree {
  const tree = parseText(text, includedRanges);
  if (!tree.rootNode.hasError || !/\b(?:new|make)\s*\(/.test(text)) return tree;
  const errs = errorOffsets(tree);
  let alt = text;
  for (const m of text.matchAll(/\b(new|make)(\s*)\(/g)) {
    const word = m[1] as string;
    const open = (m.index as number) + word.length + (m[2] as string).length;
    let depth = 0;
    let end = open;
    for (; end < text.length; end++) {
      const ch = text[end];
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
      else if (ch === '\n' && depth === 0) break;
    }
    if (errs.some((e) => e >= (m.index as number) && e <= end + 1)) alt = alt.slice(0, m.index) + (word === 'new' ? 'nev' : 'mave') + alt.slice((m.index as number) + word.length);
  }
  if (alt === text) return tree;
  const second = parseText(alt, includedRanges);
  return errorOffsets(second).length < errs.length ? second : tree;
}
