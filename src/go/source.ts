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
    // The BOM is kept in the text (the scanner skips it), so offsets stay aligned with Go's.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Find the first invalid byte for the message: decode progressively larger prefixes is
    // quadratic, so scan for the UTF-8 structure by hand.
    const { offset, line } = firstInvalidUtf8(bytes);
    return at(`invalid UTF-8 encoding at byte offset ${offset} (Go source must be UTF-8); skipped`, line);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') return at('empty file: expected a package clause; skipped');
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
