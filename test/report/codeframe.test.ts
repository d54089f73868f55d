import { describe, expect, it } from 'vitest';
import { charWidth, codeFrame, layoutLine, splitLines } from '../../src/report/codeframe.js';
import { MAIN_GO, range } from './helpers.js';

/**
 * For a frame with exactly one underline row, returns the display text above the carets:
 * this checks alignment independently of the exact gutter layout.
 */
function underlined(frame: string): string {
  const rows = frame.split('\n');
  const caretRow = rows.findIndex((r) => /^\s+\|\s*\^/.test(r));
  expect(caretRow).toBeGreaterThan(0);
  const carets = rows[caretRow]!;
  const source = rows[caretRow - 1]!;
  const start = carets.indexOf('^');
  const end = carets.lastIndexOf('^') + 1;
  return source.slice(start, end);
}

describe('codeFrame', () => {
  it('renders one line of context above and below with a gutter and a caret under the range', () => {
    const frame = codeFrame(MAIN_GO, range(4, 12, 4, 35));
    expect(frame).toBe(
      [
        '  3 | func f(ctx context.Context) {',
        '> 4 |     ctx, _ := context.WithCancel(ctx)',
        '    |               ^^^^^^^^^^^^^^^^^^^^^^^',
        '  5 |     _ = ctx',
      ].join('\n'),
    );
  });

  it('expands tabs to tab stops in both the source and the underline so the caret lines up', () => {
    const src = 'x\t\ty := 1\n\tz\t:= 2\n';
    // column 4 is `y` (x=1, tab=2, tab=3, y=4); with tab width 4 it is displayed at cell 8.
    const frame = codeFrame(src, range(1, 4, 1, 5))!;
    expect(frame.split('\n')[0]).toBe('> 1 | x       y := 1');
    expect(underlined(frame)).toBe('y');
    // `:=` on line 2 follows a tab that is not at the line start: cell 1 + tab → 4.
    const frame2 = codeFrame(src, range(2, 4, 2, 6))!;
    expect(underlined(frame2)).toBe(':=');
    // A different tab width is honoured consistently.
    const frame8 = codeFrame(src, range(1, 4, 1, 5), { tabWidth: 8 })!;
    expect(frame8.split('\n')[0]).toBe('> 1 | x               y := 1');
    expect(underlined(frame8)).toBe('y');
  });

  it('aligns carets after wide CJK characters (2 cells, 1 UTF-16 unit each)', () => {
    const src = 's := "日本語" + x\n';
    // x is UTF-16 column 14; displayed at cell 6 + 3*2 + 4 = 16.
    const frame = codeFrame(src, range(1, 14, 1, 15))!;
    const rows = frame.split('\n');
    expect(rows[1]).toBe('    | ' + ' '.repeat(16) + '^');
    // Underlining the wide characters themselves takes two cells each.
    const frame2 = codeFrame(src, range(1, 7, 1, 10))!;
    expect(frame2.split('\n')[1]).toBe('    | ' + ' '.repeat(6) + '^'.repeat(6));
  });

  it('aligns carets after astral characters (emoji: 2 UTF-16 units, 2 cells)', () => {
    const src = 'a\tb😀c\n';
    // UTF-16 columns: a=1 tab=2 b=3 😀=4,5 c=6. Cells: a=0 tab→4 b=4 😀=5,6 c=7.
    const frame = codeFrame(src, range(1, 6, 1, 7))!;
    expect(frame.split('\n')[1]).toBe('    | ' + ' '.repeat(7) + '^');
    const emoji = codeFrame(src, range(1, 4, 1, 6))!;
    expect(emoji.split('\n')[1]).toBe('    | ' + ' '.repeat(5) + '^^');
  });

  it('treats combining marks as zero width', () => {
    const src = 'e\u0301x := 1\n'; // é as e + combining acute; x is column 3
    const frame = codeFrame(src, range(1, 3, 1, 4))!;
    expect(frame.split('\n')[1]).toBe('    | ' + ' ' + '^');
  });

  it('marks every line of a multi-line range and underlines from the first non-blank character', () => {
    const frame = codeFrame(MAIN_GO, range(3, 1, 6, 2))!;
    expect(frame).toBe(
      [
        '  2 |',
        '> 3 | func f(ctx context.Context) {',
        '    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '> 4 |     ctx, _ := context.WithCancel(ctx)',
        '    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '> 5 |     _ = ctx',
        '    |     ^^^^^^^',
        '> 6 | }',
        '    | ^',
      ].join('\n'),
    );
  });

  it('does not underline a multi-line range past its end column', () => {
    const src = 'go func() {\n\tch <- 1\n}()\n';
    const frame = codeFrame(src, range(1, 4, 2, 4))!;
    const rows = frame.split('\n');
    expect(rows).toContain('    |    ^^^^^^^^');
    // line 2: tab (cells 0-3) then `ch`; the range ends before column 4 (`c`=2,`h`=3 → end 4 excl.)
    expect(rows).toContain('    |     ^^');
  });

  it('elides the middle of very long ranges', () => {
    const src = Array.from({ length: 20 }, (_, i) => `line${i + 1}`).join('\n');
    const frame = codeFrame(src, range(2, 1, 15, 7))!;
    expect(frame).toContain('⋮');
    expect(frame).toContain('>  2 | line2');
    expect(frame).toContain('>  4 | line4');
    expect(frame).not.toContain('line5\n');
    expect(frame).not.toContain('line10');
    expect(frame).toContain('> 14 | line14');
    expect(frame).toContain('> 15 | line15');
    expect(frame).toContain('  16 | line16');
    expect(frame.match(/⋮/g)).toHaveLength(1);
  });

  it('draws one caret for an empty range and clamps columns past the end of the line', () => {
    expect(codeFrame('abc\n', range(1, 2, 1, 2))!.split('\n')[1]).toBe('    |  ^');
    expect(codeFrame('abc\n', range(1, 3, 1, 99))!.split('\n')[1]).toBe('    |   ^');
  });

  it('returns undefined when the range starts beyond the source', () => {
    expect(codeFrame('a\nb\n', range(9, 1, 9, 2))).toBeUndefined();
    expect(codeFrame('a\n', range(0, 1, 0, 2))).toBeUndefined();
  });

  it('does not show the empty pseudo-line after the final newline as context', () => {
    const frame = codeFrame('a\nb\n', range(2, 1, 2, 2))!;
    expect(frame).toBe(['  1 | a', '> 2 | b', '    | ^'].join('\n'));
  });

  it('widens the gutter for multi-digit line numbers', () => {
    const src = Array.from({ length: 10 }, (_, i) => `l${i + 1}`).join('\n');
    const frame = codeFrame(src, range(9, 1, 9, 3))!;
    expect(frame).toBe(['   8 | l8', '>  9 | l9', '     | ^^', '  10 | l10'].join('\n'));
  });

  it('handles CRLF line endings and replaces control characters so they cannot move the caret', () => {
    const frame = codeFrame('a := 1\r\nb\u0007 := 2\r\n', range(2, 4, 2, 6))!;
    expect(frame).not.toContain('\r');
    expect(frame).toContain('> 2 | b\ufffd := 2');
    expect(underlined(frame)).toBe(':=');
  });

  it('emits ANSI colour only when asked', () => {
    const plain = codeFrame(MAIN_GO, range(4, 12, 4, 35))!;
    const coloured = codeFrame(MAIN_GO, range(4, 12, 4, 35), { color: true })!;
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('can show more context', () => {
    const frame = codeFrame(MAIN_GO, range(4, 2, 4, 5), { contextLines: 2 })!;
    expect(frame.split('\n')[0]).toBe('  2 |');
    expect(frame.split('\n').at(-1)).toBe('  6 | }');
  });
});

describe('layout helpers', () => {
  it('maps every UTF-16 index to a display cell', () => {
    const l = layoutLine('\ta😀', 4);
    expect(l.display).toBe('    a😀');
    expect(l.cells).toEqual([0, 4, 5, 5, 7]);
  });

  it('measures character widths', () => {
    expect(charWidth('a')).toBe(1);
    expect(charWidth('語')).toBe(2);
    expect(charWidth('😀')).toBe(2);
    expect(charWidth('\u0301')).toBe(0);
  });

  it('splits lines like Go counts them', () => {
    expect(splitLines('a\r\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(splitLines('a\n')).toEqual(['a', '']);
  });
});
