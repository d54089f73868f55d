/**
 * @fileoverview One Go source file: its text, syntax tree (every declaration and every
 * body, parsed by our own parser in `parser/`), syntax errors, comments and positions.
 *
 * Offsets in nodes are UTF-16 code units of `text`, so `text.slice(n.start, n.end)` is a
 * node's source; `byteOffset` converts to the UTF-8 byte offsets Go tools print.
 */
import type { Finding } from '../analysis/finding.js';
import { INPUT_RULE_ID, SYNTAX_RULE_ID } from '../analysis/finding.js';
import { lineIndex, lineStarts } from './parser/lines.js';
import { parseGo } from './parser/parser.js';
import { Scanner, decodeUtf8 } from './parser/scanner.js';
import { T } from './parser/token.js';
import type { CommentSpan, LineDirective } from './parser/scanner.js';
import { field, type Node } from './syntax.js';

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
  /** UTF-16 offsets of characters that stood for invalid UTF-8 bytes (see `decodeUtf8`): reported as Go does. */
  invalid?: readonly number[];
}

/** A parsed Go file. */
export class SourceFile {
  readonly path: string;
  readonly text: string;
  /** Offsets where each line starts (index 0 = line 1). */
  private lineStarts: number[] | undefined;
  /** Top-level declarations, package clause first, in file order (parent null). */
  readonly decls: Node[];
  /** Package clause name ('' when missing). */
  readonly packageName: string;
  /**
   * Syntax errors as the Go parser reports them: at most one per line, and at most
   * eleven per file (go/parser stops there); the declarations before and after an error
   * are parsed as far as recovery allows.
   */
  readonly syntaxErrors: Finding[];
  /** Every comment, in file order. */
  readonly comments: readonly CommentSpan[];
  /** `//line` directives, in file order (positions are still reported in the file itself). */
  readonly lineDirectives: readonly LineDirective[];

  constructor(path: string, text: string, opts: SourceFileOptions = {}) {
    this.path = path;
    this.text = text;
    const parsed = parseGo(text, { invalid: opts.invalid });
    this.decls = parsed.decls;
    this.packageName = parsed.packageName;
    this.comments = parsed.comments;
    this.lineDirectives = parsed.lineDirectives;
    this.syntaxErrors = parsed.errors.map((e) => {
      const at = this.position(e.offset);
      return { ruleId: SYNTAX_RULE_ID, severity: 'error', message: e.message, file: path, range: { start: at, end: at } };
    });
  }

  /** The source text of a node. */
  textOf(n: { start: number; end: number }): string {
    return this.text.slice(n.start, n.end);
  }

  /** 1-based line and column (UTF-16 units) of an offset. */
  position(offset: number): { line: number; column: number } {
    const ls = this.lines();
    const i = lineIndex(ls, offset);
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

  /** The UTF-8 byte offset of a (UTF-16) offset, as go/token reports it. */
  byteOffset(offset: number): number {
    const t = this.text;
    let b = 0;
    for (let i = 0; i < offset && i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x80) b++;
      else if (c < 0x800) b += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        b += 4;
        i++;
      } else b += 3;
    }
    return b;
  }

  private lines(): number[] {
    return (this.lineStarts ??= lineStarts(this.text));
  }

  /** The body block of a function or method declaration (undefined for a declaration without one). */
  body(decl: Node): Node | undefined {
    return field(decl, 'body');
  }

  /** Comments whose text starts with `prefix` (e.g. `//leakscope:`). */
  commentsStartingWith(prefix: string): Comment[] {
    const out: Comment[] = [];
    for (const c of this.comments) {
      if (!this.text.startsWith(prefix, c.start)) continue;
      const pos = this.position(c.start);
      const before = this.text.slice(this.lineStart(pos.line), c.start);
      out.push({ text: this.text.slice(c.start, c.end), line: pos.line, column: pos.column, endLine: this.position(c.end).line, ownLine: before.trim() === '' });
    }
    return out;
  }
}

/**
 * The text of a file's bytes, or why they cannot be analysed as Go (an empty file).
 * Bytes that are not valid UTF-8 become one U+FFFD each, listed in `invalid` (pass it to
 * `new SourceFile`), and a NUL stays a NUL: the scanner then reports them as go/scanner
 * does ("illegal UTF-8 encoding", "illegal character NUL", at their line and column) and
 * the rest of the file is parsed and analysed.
 */
export function decodeGoSource(path: string, bytes: Uint8Array): { text: string; invalid?: number[] } | { problem: Finding } {
  // The BOM is kept in the text (the scanner skips it), so offsets stay aligned with Go's.
  const { text, invalid } = decodeUtf8(bytes);
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    return {
      problem: { ruleId: INPUT_RULE_ID, severity: 'error', message: 'empty file: expected a package clause; skipped', file: path, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } },
    };
  }
  return invalid.length > 0 ? { text, invalid } : { text };
}

/**
 * The names through which a Go function can end without returning: the builtin `panic`, and
 * the members of the standard library in `NO_RETURN` (`os.Exit`, `log.Fatal*`/`Panic*`,
 * `runtime.Goexit`, the `Fatal*`/`FailNow`/`Skip*` methods of tests) and the self-signal of
 * `killsSelf`. A function body that names none of them can only fail to return through an
 * endless loop or a call of another function, which declaration-only packages do not follow.
 */
const NO_RETURN_ROOTS = new Set(['panic', 'Exit', 'Fatal', 'Fatalf', 'Fatalln', 'Panic', 'Panicf', 'Panicln', 'Goexit', 'FailNow', 'Skip', 'Skipf', 'SkipNow', 'Kill', 'Signal']);

/**
 * The declarations of a Go file without the statements of its function bodies: the text a
 * declaration-only package (another package of the module, see `World.imported`) is parsed
 * from. Only signatures, types, fields, constants and the types of variables matter there,
 * and bodies, tables and comments are most of a file, so dropping them before parsing makes
 * loading a package for its declarations several times cheaper than parsing it.
 *
 * The text is scanned with the Go scanner (strings, runes and comments cannot fool it). The
 * body of a function *declaration* is removed (`func f() int` is a declaration without body,
 * which Go allows: nobody can mistake it for a body that returns at once), unless it names
 * one of the ways a function ends without returning (`panic`, `os.Exit`, `t.Fatal`, ...):
 * those bodies are kept, so a caller in another package can ask whether the function ever
 * returns (`PackageFacts.noReturn`) — a `testutil.Fatalf` wrapper does not. The body of a
 * function literal and the elements of a composite literal in a package-level initialiser
 * become `{}`, so the initialiser keeps its type (`var h = func(x int) {}`, `var m =
 * map[string]int{}`); comments become a space or a newline (a newline ends a statement).
 */
export function declarationText(text: string): string {
  const sc = new Scanner(text, () => {});
  /** Ranges to drop: [start, end) replaced by `by`. */
  const cuts: Array<{ start: number; end: number; by: string }> = [];
  let inFunc = false;
  let isDecl = false;
  let depth = 0;
  let typeBrace = false;
  let prev = T.SEMICOLON;
  /** Whether the braces `skipBraces` last skipped name one of {@link NO_RETURN_ROOTS}. */
  let sawRoot = false;
  /** Skips from the `{` the scanner is on to its matching `}`; returns the `}`'s start (or the end of text). */
  const skipBraces = (): number => {
    let d = 0;
    sawRoot = false;
    for (; sc.tok !== T.EOF; sc.next()) {
      if (sc.tok === T.LBRACE) d++;
      else if (sc.tok === T.RBRACE && --d === 0) return sc.start;
      else if (sc.tok === T.IDENT && !sawRoot && sc.end - sc.start <= 7 && NO_RETURN_ROOTS.has(text.slice(sc.start, sc.end))) sawRoot = true;
    }
    return text.length;
  };
  /** Replaces the contents of the braces the scanner is on with nothing. */
  const emptyBraces = (): void => {
    const open = sc.start;
    const close = skipBraces();
    if (close > open + 1) cuts.push({ start: open + 1, end: close, by: '' });
  };
  for (sc.next(); sc.tok !== T.EOF; prev = sc.tok, sc.next()) {
    const tok = sc.tok;
    if (tok === T.STRUCT || tok === T.INTERFACE) {
      typeBrace = true;
      continue;
    }
    if (tok === T.LBRACE && typeBrace) {
      // The braces of a struct or interface type: their fields and methods are declarations.
      typeBrace = false;
      if (inFunc) depth++;
      continue;
    }
    if (!inFunc) {
      if (tok === T.FUNC) {
        inFunc = true;
        // A declaration starts a top-level statement (after a semicolon, or first in the file).
        isDecl = prev === T.SEMICOLON;
        depth = 0;
      } else if (tok === T.LBRACE) emptyBraces(); // a composite literal in an initialiser
      continue;
    }
    switch (tok) {
      case T.LPAREN:
      case T.LBRACK:
        depth++;
        break;
      case T.RPAREN:
      case T.RBRACK:
      case T.RBRACE:
        // Closing more than the signature opened: the func type was a parameter or a field of an
        // enclosing list or struct.
        if (--depth < 0) inFunc = false;
        break;
      case T.SEMICOLON:
      case T.COMMA:
        if (depth === 0) inFunc = false; // a function type without a body
        break;
      case T.LBRACE: {
        if (depth !== 0) {
          emptyBraces(); // a composite literal in an array length: nothing to declare
          break;
        }
        const open = sc.start;
        const close = skipBraces();
        if (isDecl && sawRoot) {
          // Kept: the body may never return (see NO_RETURN_ROOTS); its comments still go.
        } else if (isDecl) cuts.push({ start: open, end: Math.min(text.length, close + 1), by: '' });
        else if (close > open + 1) cuts.push({ start: open + 1, end: close, by: '' });
        inFunc = false;
        break;
      }
    }
  }
  // Comments outside the dropped ranges go too (cuts are in text order, comments as well).
  const out: string[] = [];
  let last = 0;
  let k = 0;
  const comments = sc.comments;
  const take = (upTo: number): void => {
    for (; k < comments.length && (comments[k] as CommentSpan).start < upTo; k++) {
      const c = comments[k] as CommentSpan;
      if (c.start < last) continue;
      out.push(text.slice(last, c.start), text.slice(c.start, c.end).includes('\n') ? '\n' : ' ');
      last = c.end;
    }
  };
  for (const cut of cuts) {
    take(cut.start);
    if (cut.start < last) continue;
    out.push(text.slice(last, cut.start), cut.by);
    last = cut.end;
  }
  take(text.length);
  if (last === 0) return text;
  out.push(text.slice(last));
  return out.join('');
}
