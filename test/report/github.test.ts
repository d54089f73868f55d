import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { formatReport } from '../../src/report/index.js';
import { abs, finding, input, range } from './helpers.js';

const A = abs('pkg/a.go');

describe('github reporter', () => {
  it('emits one workflow command per finding with position properties and a title', () => {
    const out = formatReport('github', input([finding(A, range(4, 12, 4, 35))]));
    expect(out).toBe(
      '::error file=pkg/a.go,line=4,col=12,endLine=4,endColumn=35,title=leakscope (lost-cancel)::the cancel function is not called\n',
    );
  });

  it('maps severities to error, warning and notice', () => {
    const out = formatReport(
      'github',
      input([
        finding(A, range(1, 1, 1, 2), { severity: 'error' }),
        finding(A, range(2, 1, 2, 2), { severity: 'warning' }),
        finding(A, range(3, 1, 3, 2), { severity: 'info' }),
      ]),
    );
    const commands = out.trimEnd().split('\n').map((l) => l.slice(0, l.indexOf(' ')));
    expect(commands).toEqual(['::error', '::warning', '::notice']);
  });

  it('escapes %, CR and LF in the message', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    const out = formatReport('github', input([finding(A, range(1, 1, 1, 2), { message: 'a%b\nc: d, e' })]));
    // `:` and `,` are left alone in the message: only the first `::` separates it.
    expect(out).toContain('::a%25b%0Ac: d, e\n');
    expect(out.trimEnd().split('\n')).toHaveLength(1);
  });

  it('escapes : and , (and %, CR, LF) in property values', () => {
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    // `%` is escaped first, so a literal "%3A" survives a round trip instead of turning into ':'.
    expect(escapeProperty('%3A')).toBe('%253A');
    const out = formatReport('github', input([finding(abs('we,ird:dir/x.go'), range(1, 1, 1, 2))]));
    expect(out).toContain('file=we%2Cird%3Adir/x.go,line=1');
  });

  it('appends the fix hint and fix description on new lines', () => {
    const out = formatReport(
      'github',
      input([finding(A, range(1, 1, 1, 2), { fixHint: 'defer cancel()', fix: { description: 'Add it', edits: [] } })]),
    );
    expect(out).toContain('::the cancel function is not called%0AHint: defer cancel()%0ASuggested fix: Add it\n');
  });

  it('prints nothing for a clean run, and notices as ::notice', () => {
    expect(formatReport('github', input([]))).toBe('');
    expect(formatReport('github', input([], {}, { notices: ['no Go files\nhere'] }))).toBe(
      '::notice title=leakscope::no Go files%0Ahere\n',
    );
  });
});
