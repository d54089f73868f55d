/**
 * @fileoverview A small code-frame renderer for the text reporter:
 *
 * ```
 *    9 |     ctx := context.Background()
 * > 10 |     ctx, _ = context.WithCancel(ctx)
 *      |              ^^^^^^^^^^^^^^^^^^^^^^^
 *   11 |     return ctx
 * ```
 *
 * Written here rather than pulled in as a dependency because the contract is specific:
 * finding columns are 1-based UTF-16 code units (see `finding.ts`), Go source is
 * indented with tabs, and the underline must sit under the right *display* cells. So
 * each line is laid out once into display cells (tabs expanded to the next tab stop,
 * East Asian wide characters and emoji two cells, combining marks zero cells, control
 * characters replaced by U+FFFD) and the underline is computed from the same layout.
 */
import pc from 'picocolors';
import type { Range } from '../analysis/finding.js';

/** Options for {@link codeFrame}. */
export interface CodeFrameOptions {
  /** Lines of context shown above the range start and below the range end (default 1). */
  contextLines?: number;
  /** Tab stop width used to expand tabs in both the source and the underline (default 4). */
  tabWidth?: number;
  /** Emit ANSI colour (default false). */
  color?: boolean;
  /**
   * Ranges spanning more lines than this are elided in the middle (the first three and
   * the last two lines stay) so one finding cannot flood the terminal (default 6).
   */
  maxRangeLines?: number;
}

/** A line laid out into display cells. */
interface LaidOutLine {
  /** The text as it is printed (tabs expanded, control characters replaced). */
  display: string;
  /** `cells[i]` = display column (0-based) where UTF-16 index `i` starts; length = text length + 1. */
  cells: number[];
}

/**
 * Ranges of code points that terminals draw two cells wide (East Asian Wide/Fullwidth
 * and the common emoji blocks; Unicode UAX #11). Not exhaustive, but it covers CJK,
 * Hangul, fullwidth forms and emoji, which is what appears in Go string literals and
 * comments.
 */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /^[\u0000-\u0008\u000a-\u001f\u007f-\u009f]$/;

/** Display width of one code point (tabs are handled by the caller). */
export function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  const cp = ch.codePointAt(0) ?? 0;
  for (const [lo, hi] of WIDE_RANGES) {
    if (cp >= lo && cp <= hi) return 2;
  }
  return 1;
}

/** Lays out one source line (without its line terminator) into display cells. */
export function layoutLine(text: string, tabWidth: number): LaidOutLine {
  const cells: number[] = new Array<number>(text.length + 1);
  let display = '';
  let col = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    cells[i] = col;
    if (ch.length === 2) cells[i + 1] = col; // a column pointing into a surrogate pair maps to its start
    if (ch === '\t') {
      const w = tabWidth - (col % tabWidth);
      display += ' '.repeat(w);
      col += w;
    } else if (CONTROL.test(ch)) {
      display += '\ufffd';
      col += 1;
    } else {
      display += ch;
      col += charWidth(ch);
    }
    i += ch.length;
  }
  cells[text.length] = col;
  return { display, cells };
}

/** Splits source into lines the way Go counts them (`\n`), dropping a trailing `\r`. */
export function splitLines(source: string): string[] {
  return source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/**
 * Renders a code frame for `range` in `source`, or `undefined` when the range starts
 * past the end of the source (e.g. the file changed since it was analysed).
 *
 * The range end is exclusive, as in SARIF 2.1.0 §3.30.8 (`endColumn` is the column
 * "following the end of the region"); an empty range gets a single caret. Lines inside
 * the range are marked with `>` in the gutter. On lines after the first, the underline
 * starts at the first non-blank character so indentation is not underlined.
 */
export function codeFrame(source: string, range: Range, options: CodeFrameOptions = {}): string | undefined {
  const context = options.contextLines ?? 1;
  const tabWidth = Math.max(1, options.tabWidth ?? 4);
  const maxRangeLines = Math.max(2, options.maxRangeLines ?? 6);
  const c = pc.createColors(options.color ?? false);

  const lines = splitLines(source);
  // A file ending in '\n' has an empty last "line"; a finding may still point at it (EOF).
  const startLine = range.start.line;
  if (startLine < 1 || startLine > lines.length) return undefined;
  const endLine = clamp(Math.max(range.end.line, startLine), startLine, lines.length);

  // The empty "line" after a final newline is only shown when the range points at it.
  const realLines = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const first = Math.max(1, startLine - context);
  const last = Math.min(Math.max(realLines, endLine), endLine + context);

  // Which lines to show; `null` marks the elision row.
  const shown: (number | null)[] = [];
  for (let n = first; n <= last; n++) {
    const inRange = n >= startLine && n <= endLine;
    const rangeCount = endLine - startLine + 1;
    if (inRange && rangeCount > maxRangeLines && n > startLine + 2 && n < endLine - 1) {
      if (shown[shown.length - 1] !== null) shown.push(null);
      continue;
    }
    shown.push(n);
  }

  const gutterWidth = String(last).length;
  const out: string[] = [];
  for (const n of shown) {
    if (n === null) {
      out.push(`  ${' '.repeat(gutterWidth)} ${c.dim('⋮')}`);
      continue;
    }
    const text = lines[n - 1] ?? '';
    const inRange = n >= startLine && n <= endLine;
    const laid = layoutLine(text, tabWidth);
    const marker = inRange ? c.red(c.bold('>')) : ' ';
    const gutter = c.dim(`${String(n).padStart(gutterWidth)} |`);
    out.push(`${marker} ${gutter}${laid.display === '' ? '' : ' ' + laid.display}`.trimEnd());
    if (!inRange) continue;

    let s: number;
    if (n === startLine) {
      s = clamp(range.start.column - 1, 0, text.length);
    } else {
      s = text.length - text.trimStart().length;
    }
    const e = n === endLine && range.end.line <= endLine ? clamp(range.end.column - 1, s, text.length) : text.length;
    if (n !== startLine && s >= text.length) continue; // blank line inside a multi-line range
    if (n === endLine && n !== startLine && e <= s) continue; // range ends at column 1 of this line
    const ds = laid.cells[s] ?? 0;
    const de = laid.cells[e] ?? ds;
    const width = Math.max(1, de - ds);
    out.push(`  ${c.dim(`${' '.repeat(gutterWidth)} |`)} ${' '.repeat(ds)}${c.red(c.bold('^'.repeat(width)))}`);
  }
  return out.join('\n');
}
