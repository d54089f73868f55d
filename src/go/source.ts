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
import { decodeUtf8 } from './parser/scanner.js';
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
  private lineStarts: Uint32Array | undefined;
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

  private lines(): Uint32Array {
    return (this.lineStarts ??= lineStarts(this.text));
  }

  /** The body block of a function or method declaration (undefined for a declaration without one). */
  body(decl: Node): Node | undefined {
    return field(decl, 'body');
  }

  /**
   * Comments whose text starts with `prefix` (e.g. `//leakscope:`), or that a sticky
   * (`y`) regular expression matches at their start.
   */
  commentsStartingWith(prefix: string | RegExp): Comment[] {
    const out: Comment[] = [];
    for (const c of this.comments) {
      if (typeof prefix === 'string') {
        if (!this.text.startsWith(prefix, c.start)) continue;
      } else {
        prefix.lastIndex = c.start;
        if (!prefix.test(this.text)) continue;
      }
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
 * The text is read by a small Go lexer (comments, strings, runes, raw strings, brackets, and
 * the semicolons Go inserts at newlines: strings, runes and comments cannot fool it), not by
 * the parser's scanner: it runs over every byte of the module's imported packages, so it
 * makes no token objects. The body of a function *declaration* is removed (`func f() int` is
 * a declaration without body, which Go allows: nobody can mistake it for a body that returns
 * at once), unless its last statement (or the last before a final `return`, which a function
 * with results needs after `t.Fatal(...)`) names one of the ways a function ends without
 * returning (`panic`, `os.Exit`, `t.Fatal`, ...): those bodies are kept, so a caller in
 * another package can ask whether the function ever returns (`PackageFacts.noReturn`) — a
 * `testutil.Fatalf` wrapper does not. A body whose end is reachable cannot be such a function,
 * and its end is reachable unless its last statement ends without returning (Go spec,
 * "Terminating statements"; short of an endless loop or a call of another function, which
 * declaration-only packages do not follow). The body of a function literal and the elements
 * of a composite literal in a package-level initialiser become `{}`, so the initialiser keeps
 * its type (`var h = func(x int) {}`, `var m = map[string]int{}`); comments become a space or
 * a newline (a newline ends a statement).
 */
export function declarationText(text: string): string {
  return new DeclarationScan(text).run();
}

/**
 * The lexer and state machine of {@link declarationText}. Its state lives in fields of one
 * object (not in variables shared with closures), which keeps the per-character loop as fast
 * as the parser's scanner.
 */
class DeclarationScan {
  private readonly n: number;
  /** Ranges to drop, in text order: [start, end) replaced by `by`. */
  private readonly cuts: Array<{ start: number; end: number; by: string }> = [];
  // The function type being read: its signature's nesting depth, whether it is a declaration.
  private inFunc = false;
  private isDecl = false;
  private depth = 0;
  /** `struct` or `interface` came: the next `{` opens their fields or methods. */
  private typeBrace = false;
  /**
   * A semicolon (written, or inserted at a newline after a token that ends a statement: Go
   * spec, "Semicolons") came since the last token; true at the start of the file.
   */
  private semi = true;
  /** The last token ends a statement if a newline follows it. */
  private endsStmt = false;
  // Skipped braces: their nesting, where they opened, whether they are the body of a
  // declaration, and the first cut made inside them.
  private skip = 0;
  private skipOpen = 0;
  private skipDecl = false;
  private skipCuts = 0;
  // The statements at the top level of a skipped body: its parentheses and brackets, where
  // the current statement started (-1: between statements) and where its first brace opens,
  // the range of the last statement and the start and first brace (else end) of the one before.
  private skipParen = 0;
  private stmtStart = -1;
  private stmtBrace = -1;
  private lastStart = -1;
  private lastEnd = -1;
  private lastBrace = -1;
  private prevStart = -1;
  private prevEnd = -1;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  run(): string {
    const text = this.text;
    const n = this.n;
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (i < n) {
      if (this.skip > 1 || (this.skip === 1 && this.skipParen > 0)) {
        // Inside a nested block or brackets of a skipped body only brackets, strings and
        // comments matter: statements are tracked at the body's top level only, and the
        // bracket that gets back there sets `endsStmt` itself. Jump to the next one.
        NESTED.lastIndex = i;
        if (!NESTED.test(text)) {
          i = n;
          break;
        }
        i = NESTED.lastIndex - 1;
      }
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (this.endsStmt) this.newline(i);
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        i++;
        continue;
      }
      const start = i;
      if (this.skip > 0 && (c >= 128 || STRUCTURAL[c] === 0)) {
        // Inside skipped braces identifiers, numbers and operators matter only at the end of a
        // line (does it end a statement?): a run of them is skipped at once.
        i = this.skipRun(i);
        continue;
      }
      if (c === 47 /* / */) {
        const d = text.charCodeAt(i + 1);
        if (d === 47) {
          // A line comment: the newline that ends it stays.
          const e = text.indexOf('\n', i);
          i = e < 0 ? n : e;
          if (this.skip === 0 || this.skipDecl) this.cuts.push({ start, end: i, by: ' ' });
          continue;
        }
        if (d === 42 /* * */) {
          // A general comment: one spanning lines acts like a newline (Go spec, "Comments").
          const e = text.indexOf('*/', i + 2);
          i = e < 0 ? n : e + 2;
          const lf = text.indexOf('\n', start);
          const nl = lf >= 0 && lf < i;
          if (this.skip === 0 || this.skipDecl) this.cuts.push({ start, end: i, by: nl ? '\n' : ' ' });
          if (nl && this.endsStmt) this.newline(start);
          continue;
        }
      }
      if (c === 34 /* " */ || c === 39 /* ' */) {
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 92 /* \ */) i++;
          else if (d === c || d === 10) break;
        }
        if (text.charCodeAt(i) === c) i++; // (an unterminated one ends at the newline, which stays)
        this.operand(start);
        continue;
      }
      if (c === 96 /* ` */) {
        const e = text.indexOf('`', i + 1);
        i = e < 0 ? n : e + 1;
        this.operand(start);
        continue;
      }
      if (isIdentStart(c)) {
        for (i++; i < n && isIdentPart(text.charCodeAt(i)); i++);
        this.word(c, start, i - start);
        continue;
      }
      if (c >= 48 && c <= 57) {
        // A number (an exponent's sign, read as an operator here, changes nothing below).
        for (i++; i < n && (isIdentPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46); i++);
        this.operand(start);
        continue;
      }
      i++;
      if (this.skip > 0) {
        this.skipped(c, start);
        continue;
      }
      this.token(c, start);
      // `)`, `]` and `}` end a statement (so do `++` and `--`, which only bodies hold).
      this.endsStmt = c === 41 || c === 93 || c === 125;
      if (c === 59) this.semi = true;
    }
    if (this.skip > 0) this.endSkip(n); // unterminated: the rest of the file
    const cuts = this.cuts;
    if (cuts.length === 0) return text;
    const out: string[] = [];
    let last = 0;
    for (const cut of cuts) {
      out.push(text.slice(last, cut.start), cut.by);
      last = cut.end;
    }
    out.push(text.slice(last));
    return out.join('');
  }

  /** A newline at `at` after a token that ends a statement: a semicolon. */
  private newline(at: number): void {
    this.endsStmt = false;
    if (this.skip === 0) {
      this.semi = true;
      if (this.inFunc && this.depth === 0) this.inFunc = false; // it ends a function type without body
    } else if (this.skip === 1 && this.skipParen === 0) this.endStmt(at);
  }

  /** A string, rune or number at `start`. */
  private operand(start: number): void {
    if (this.skip === 0) this.token(0, 0);
    else this.bodyToken(start);
    this.endsStmt = true;
  }

  /**
   * Skips the identifiers, numbers and operators from `i` (inside skipped braces) up to the
   * next newline, bracket, string, comment or semicolon; returns where they end. Whether a
   * newline after them ends a statement is read from their last token.
   */
  private skipRun(i: number): number {
    const text = this.text;
    BORING.lastIndex = i;
    BORING.test(text);
    const j = BORING.lastIndex;
    this.bodyToken(i);
    let k = j - 1;
    let ch = text.charCodeAt(k);
    while (k > i && (ch === 32 || ch === 9 || ch === 13)) ch = text.charCodeAt(--k);
    if (isIdentPart(ch)) {
      // An identifier (or a number) ends a statement, and so do the keywords break, continue,
      // fallthrough, return.
      let w = k;
      while (w > i && isIdentPart(text.charCodeAt(w - 1))) w--;
      const f = text.charCodeAt(w);
      const len = k + 1 - w;
      this.endsStmt = (f >= 48 && f <= 57) || !(len <= 9 && f >= 99 && f <= 118 && nonEndingKeyword(text, w, len));
    } else this.endsStmt = (ch === 43 || ch === 45) && k > i && text.charCodeAt(k - 1) === ch; // ++ and --
    return j;
  }

  /** An identifier or keyword of `len` characters at `start`, starting with `c`. */
  private word(c: number, start: number, len: number): void {
    const text = this.text;
    let kw = 0;
    if (len === 4 && text.startsWith('func', start)) kw = K_FUNC;
    else if (len === 6 && text.startsWith('struct', start)) kw = K_STRUCT;
    else if (len === 9 && text.startsWith('interface', start)) kw = K_INTERFACE;
    this.token(kw, start); // (inside skipped braces words are read by skipRun)
    // Identifiers end a statement, and so do the keywords break, continue, fallthrough, return.
    this.endsStmt = kw === 0 && !(len <= 9 && c >= 99 && c <= 118 && nonEndingKeyword(text, start, len));
  }

  /** Inside skipped braces, a token at `at`: it starts a statement if none is going on. */
  private bodyToken(at: number): void {
    if (this.stmtStart < 0) this.stmtStart = at;
  }

  /** A statement at the top level of skipped braces ends at `at`. */
  private endStmt(at: number): void {
    if (this.stmtStart < 0) return;
    this.prevStart = this.lastStart;
    this.prevEnd = this.lastBrace >= 0 ? this.lastBrace : this.lastEnd;
    this.lastStart = this.stmtStart;
    this.lastEnd = at;
    this.lastBrace = this.stmtBrace;
    this.stmtStart = this.stmtBrace = -1;
  }

  /** A bracket, semicolon or operator `c` at `start` inside skipped braces. */
  private skipped(c: number, start: number): void {
    if (c === 125 && this.skip === 1) {
      this.skip = 0;
      this.endSkip(start);
      this.endsStmt = true;
      return;
    }
    if (c === 59 && this.skip === 1 && this.skipParen === 0) this.endStmt(start);
    else this.bodyToken(start);
    if (c === 123) {
      if (this.skip++ === 1 && this.stmtBrace < 0) this.stmtBrace = start;
    } else if (c === 125) this.skip--;
    else if (c === 40 || c === 91) this.skipParen++;
    else if (c === 41 || c === 93) this.skipParen--;
    this.endsStmt = c === 125 || c === 41 || c === 93;
  }

  private startSkip(open: number, decl: boolean): void {
    this.skip = 1;
    this.skipOpen = open;
    this.skipDecl = decl;
    this.skipCuts = this.cuts.length;
    this.skipParen = 0;
    this.stmtStart = this.stmtBrace = this.lastStart = this.lastEnd = this.lastBrace = this.prevStart = this.prevEnd = -1;
  }

  /**
   * Whether the skipped body may end without returning: its last statement names one of
   * NO_RETURN_ROOTS, or it is a `return` after a statement that does before any brace, and is
   * not an if, for, switch, select, go or defer (`t.Fatal(...); return nil`: a function with
   * results needs the return, which cannot be reached). Strings and comments count as names: keeping a body costs
   * only its parsing, the control flow graph then decides.
   */
  private mayNotReturn(): boolean {
    if (this.lastStart < 0) return false;
    const last = this.text.slice(this.lastStart, this.lastEnd);
    if (ROOTS.test(last)) return true;
    if (this.prevStart < 0 || !RETURN.test(last)) return false;
    const prev = this.text.slice(this.prevStart, this.prevEnd);
    return !NESTING.test(prev) && ROOTS.test(prev);
  }

  /** The skipped braces close at `close` (the `}`, or the end of the text). */
  private endSkip(close: number): void {
    if (this.skipDecl) {
      // A body whose last statement names a way to end without returning is kept (its
      // comments still go): only such a body can end every path without returning, short of
      // an endless loop or a call of another function.
      this.endStmt(close);
      if (this.mayNotReturn()) return;
      this.cuts.length = this.skipCuts; // its comments go with it
      this.cuts.push({ start: this.skipOpen, end: Math.min(this.n, close + 1), by: '' });
    } else if (close > this.skipOpen + 1) this.cuts.push({ start: this.skipOpen + 1, end: close, by: '' });
  }

  /** One token outside skipped braces: `c` is the character of an operator, a K_ keyword, or 0. */
  private token(c: number, start: number): void {
    const after = this.semi;
    this.semi = false;
    if (c === K_STRUCT || c === K_INTERFACE) {
      this.typeBrace = true;
      return;
    }
    if (c === 123 /* { */ && this.typeBrace) {
      // The braces of a struct or interface type: their fields and methods are declarations.
      this.typeBrace = false;
      if (this.inFunc) this.depth++;
      return;
    }
    if (!this.inFunc) {
      if (c === K_FUNC) {
        this.inFunc = true;
        this.isDecl = after; // a declaration starts a top-level statement
        this.depth = 0;
      } else if (c === 123) this.startSkip(start, false); // a composite literal in an initialiser
      return;
    }
    switch (c) {
      case 40: // (
      case 91: // [
        this.depth++;
        break;
      case 41: // )
      case 93: // ]
      case 125: // }
        // Closing more than the signature opened: the func type was a parameter or a field of
        // an enclosing list or struct.
        if (--this.depth < 0) this.inFunc = false;
        break;
      case 59: // ;
      case 44: // ,
        if (this.depth === 0) this.inFunc = false; // a function type without a body
        break;
      case 123: // {
        // At depth 0 the body; deeper, a composite literal in an array length.
        this.startSkip(start, this.depth === 0 && this.isDecl);
        if (this.depth === 0) this.inFunc = false;
        break;
    }
  }
}

const K_FUNC = -1;
const ROOTS = new RegExp(`\\b(?:${[...NO_RETURN_ROOTS].join('|')})\\b`);
const RETURN = /^return\b/;
const NESTING = /^(?:if|for|switch|select|go|defer)\b/;
/** The characters that matter inside a nested block or brackets of a skipped body. */
const NESTED = /[{}()[\]"'`/]/g;
/** A run of characters that are not a newline, a bracket, a quote, a slash or a semicolon. */
const BORING = /[^\n{}()[\]"'`/;]+/y;
/** The ASCII characters a run of BORING ends at (1), and the others (0). */
const STRUCTURAL = new Uint8Array(128);
for (const ch of '\n{}()[]"\'`/;') STRUCTURAL[ch.charCodeAt(0)] = 1;
// (Spaces and tabs are skipped before a run starts.)
STRUCTURAL[32] = STRUCTURAL[9] = STRUCTURAL[13] = 1;
const K_STRUCT = -2;
const K_INTERFACE = -3;

/**
 * Whether the identifier at `start` is a keyword after which a newline inserts no semicolon:
 * all but break, continue, fallthrough and return (Go spec, "Semicolons"). Compared in place:
 * it is asked of every identifier of every file a module imports.
 */
function nonEndingKeyword(text: string, start: number, len: number): boolean {
  const at = (w: string): boolean => len === w.length && text.startsWith(w, start);
  switch (text.charCodeAt(start)) {
    case 99: // c
      return at('case') || at('chan') || at('const');
    case 100: // d
      return at('default') || at('defer');
    case 101: // e
      return at('else');
    case 102: // f
      return at('for') || at('func');
    case 103: // g
      return at('go') || at('goto');
    case 105: // i
      return at('if') || at('import') || at('interface');
    case 109: // m
      return at('map');
    case 112: // p
      return at('package');
    case 114: // r
      return at('range');
    case 115: // s
      return at('select') || at('struct') || at('switch');
    case 116: // t
      return at('type');
    case 118: // v
      return at('var');
    default:
      return false;
  }
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
