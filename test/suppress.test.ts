import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/analysis/finding.js';
import type { SourceComment } from '../src/analysis/suppress.js';
import { applySuppressions, parseDirectives, parseForeignDirectives } from '../src/analysis/suppress.js';

const FILE = path.resolve('/nonexistent/pkg/a.go');
const OTHER = path.resolve('/nonexistent/pkg/b.go');
const KNOWN = new Set(['lost-cancel', 'abandoned-sender', 'waitgroup-add-in-goroutine']);

/**
 * Extracts `//` and single-line `/* *\/` comments from Go-ish source the way the front end
 * would (good enough for test sources: no comment markers inside strings).
 */
function commentsOf(src: string): SourceComment[] {
  const out: SourceComment[] = [];
  src.split('\n').forEach((text, i) => {
    const m = /\/\/.*$|\/\*.*?\*\//.exec(text);
    if (!m) return;
    out.push({ text: m[0], line: i + 1, column: m.index + 1, endLine: i + 1, ownLine: text.slice(0, m.index).trim() === '' });
  });
  return out;
}

function parse(src: string, file = FILE, withLines = true) {
  const lines = src.split('\n');
  return parseDirectives(file, commentsOf(src), lines.length, withLines ? lines : undefined);
}

function f(line: number, ruleId = 'lost-cancel', file = FILE): Finding {
  return { ruleId, severity: 'error', message: `${ruleId} at ${line}`, file, range: { start: { line, column: 2 }, end: { line, column: 9 } } };
}

const ALL = { reportUnused: true, knownRuleIds: KNOWN, enabledRuleIds: KNOWN };

describe('parseDirectives', () => {
  it('a trailing ignore applies to its own line', () => {
    const src = ['package p', 'func f() {', '\tctx, _ := context.WithCancel(ctx) //leakscope:ignore lost-cancel cancelled by caller', '}'].join('\n');
    const { directives, problems } = parse(src);
    expect(problems).toEqual([]);
    expect(directives).toEqual([
      {
        kind: 'ignore',
        ruleIds: ['lost-cancel'],
        reason: 'cancelled by caller',
        file: FILE,
        line: 3,
        column: 36,
        endColumn: 36 + '//leakscope:ignore lost-cancel cancelled by caller'.length,
        appliesToLine: 3,
        used: false,
      },
    ]);
  });

  it('an own-line ignore applies to the next line that is neither blank nor a comment', () => {
    const src = [
      'package p', //                                                     1
      '//leakscope:ignore abandoned-sender drained by Close', //           2
      '', //                                                              3
      '// an ordinary comment in between', //                             4
      '/* and a block comment */', //                                     5
      '   ', //                                                           6
      'go produce(ch)', //                                                7
    ].join('\n');
    const { directives } = parse(src);
    expect(directives[0]!.appliesToLine).toBe(7);
  });

  it('without the file lines it still skips comment lines', () => {
    const src = ['//leakscope:ignore lost-cancel reason', '// comment', 'x()'].join('\n');
    expect(parse(src, FILE, false).directives[0]!.appliesToLine).toBe(3);
  });

  it('a directive on the last line has no target line', () => {
    const src = ['x()', '//leakscope:ignore lost-cancel nothing follows', ''].join('\n');
    const { directives } = parse(src);
    expect(directives[0]!.appliesToLine).toBeUndefined();
  });

  it('accepts several comma-separated rule ids and keeps the reason verbatim', () => {
    const src = '//leakscope:ignore lost-cancel, abandoned-sender  the  reason: spans words\nx()';
    // A space after the comma makes the second id part of the reason; only the first token lists ids.
    expect(parse(src).directives[0]!.ruleIds).toEqual(['lost-cancel']);
    const src2 = '//leakscope:ignore lost-cancel,abandoned-sender,  the  reason: spans words\nx()';
    const d = parse(src2).directives[0]!;
    expect(d.ruleIds).toEqual(['lost-cancel', 'abandoned-sender']);
    expect(d.reason).toBe('the  reason: spans words');
  });

  it('parses file-ignore without a target line', () => {
    const d = parse('package p\n\n//leakscope:file-ignore waitgroup-add-in-goroutine generated code\n').directives[0]!;
    expect(d).toMatchObject({ kind: 'file-ignore', ruleIds: ['waitgroup-add-in-goroutine'], reason: 'generated code', line: 3 });
    expect(d.appliesToLine).toBeUndefined();
  });

  it('treats "// leakscope:ignore" (with a space) and block comments as ordinary comments', () => {
    const src = ['// leakscope:ignore lost-cancel not a directive', '/*leakscope:ignore lost-cancel nor this*/', 'x()'].join('\n');
    expect(parse(src)).toEqual({ directives: [], problems: [] });
  });

  it('reports a missing reason as a suppression warning and creates no directive', () => {
    const src = 'x() //leakscope:ignore lost-cancel\n';
    const { directives, problems } = parse(src);
    expect(directives).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      ruleId: 'suppression',
      severity: 'warning',
      file: FILE,
      range: { start: { line: 1, column: 5 }, end: { line: 1, column: 5 + '//leakscope:ignore lost-cancel'.length } },
    });
    expect(problems[0]!.message).toMatch(/reason is required/);
    expect(problems[0]!.message).toContain('//leakscope:ignore <rule-id>[,<rule-id>...] <reason>');
  });

  it('reports a missing rule id and an unknown directive name (with a suggestion)', () => {
    const { directives, problems } = parse('//leakscope:ignore\n//leakscope:ignroe lost-cancel reason\n//leakscope:fileignore lost-cancel r\nx()');
    expect(directives).toEqual([]);
    expect(problems.map((p) => [p.range.start.line, p.severity])).toEqual([
      [1, 'warning'],
      [2, 'warning'],
      [3, 'warning'],
    ]);
    expect(problems[0]!.message).toContain('names no rule');
    expect(problems[1]!.message).toContain('did you mean "//leakscope:ignore"?');
    expect(problems[2]!.message).toContain('did you mean "//leakscope:file-ignore"?');
  });
});

describe('applySuppressions', () => {
  it('suppresses a finding on the trailing directive line only', () => {
    const { directives } = parse('a() //leakscope:ignore lost-cancel ok\nb()\n');
    const r = applySuppressions([f(1), f(2)], directives, ALL);
    expect(r.suppressed).toEqual([f(1)]);
    expect(r.kept).toEqual([f(2)]);
    expect(r.problems).toEqual([]);
    expect(directives[0]!.used).toBe(true);
  });

  it('suppresses the next code line for an own-line directive, but not the directive line or later lines', () => {
    const { directives } = parse(['//leakscope:ignore lost-cancel ok', '', 'a()', 'b()'].join('\n'));
    const r = applySuppressions([f(1), f(2), f(3), f(4)], directives, ALL);
    expect(r.suppressed.map((x) => x.range.start.line)).toEqual([3]);
    expect(r.kept.map((x) => x.range.start.line)).toEqual([1, 2, 4]);
  });

  it('only suppresses the listed rule ids', () => {
    const { directives } = parse('a() //leakscope:ignore lost-cancel,abandoned-sender ok\n');
    const r = applySuppressions([f(1, 'lost-cancel'), f(1, 'abandoned-sender'), f(1, 'waitgroup-add-in-goroutine')], directives, ALL);
    expect(r.suppressed.map((x) => x.ruleId)).toEqual(['lost-cancel', 'abandoned-sender']);
    expect(r.kept.map((x) => x.ruleId)).toEqual(['waitgroup-add-in-goroutine']);
  });

  it('file-ignore suppresses the rule on every line of that file only', () => {
    const { directives } = parse('package p\n//leakscope:file-ignore lost-cancel generated\n');
    const r = applySuppressions([f(1), f(50), f(900, 'abandoned-sender'), f(3, 'lost-cancel', OTHER)], directives, ALL);
    expect(r.suppressed).toEqual([f(1), f(50)]);
    expect(r.kept).toEqual([f(900, 'abandoned-sender'), f(3, 'lost-cancel', OTHER)]);
  });

  it('matches files after path resolution', () => {
    const rel = path.relative(process.cwd(), FILE);
    const { directives } = parse('a() //leakscope:ignore lost-cancel ok\n', rel);
    expect(applySuppressions([f(1)], directives, ALL).suppressed).toHaveLength(1);
  });

  it('a directive without a reason does not suppress', () => {
    const { directives, problems } = parse('a() //leakscope:ignore lost-cancel\n');
    const r = applySuppressions([f(1)], directives, ALL);
    expect(r.kept).toEqual([f(1)]);
    expect(problems).toHaveLength(1);
  });

  it('never suppresses syntax errors, and says so when a directive names syntax', () => {
    const { directives } = parse('//leakscope:file-ignore syntax,lost-cancel broken on purpose\na() //leakscope:ignore syntax x\n');
    const syntax: Finding = { ...f(2, 'syntax'), severity: 'error' };
    const r = applySuppressions([syntax, f(2)], directives, ALL);
    expect(r.kept).toEqual([syntax]);
    expect(r.suppressed).toEqual([f(2)]);
    expect(r.problems.map((p) => p.message)).toEqual([
      'syntax errors cannot be suppressed; remove "syntax" from the //leakscope:file-ignore directive',
      'syntax errors cannot be suppressed; remove "syntax" from the //leakscope:ignore directive',
    ]);
  });

  it('reports unknown rule ids with the closest known id, while known ids still work', () => {
    const { directives } = parse('a() //leakscope:ignore lost-cancle,abandoned-sender reason\n');
    const r = applySuppressions([f(1, 'abandoned-sender')], directives, { ...ALL, reportUnused: false });
    expect(r.suppressed).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ ruleId: 'suppression', severity: 'warning', range: { start: { line: 1, column: 5 } } });
    expect(r.problems[0]!.message).toBe('unknown rule id "lost-cancle" in //leakscope:ignore directive; did you mean "lost-cancel"?');
  });

  it('reports unused directives as info only with reportUnused', () => {
    const src = ['a() //leakscope:ignore lost-cancel ok', '//leakscope:file-ignore abandoned-sender gen', 'b()'].join('\n');
    const quiet = applySuppressions([], parse(src).directives, { ...ALL, reportUnused: false });
    expect(quiet.problems).toEqual([]);
    const loud = applySuppressions([], parse(src).directives, ALL);
    expect(loud.problems.map((p) => [p.range.start.line, p.severity, p.ruleId])).toEqual([
      [1, 'info', 'suppression'],
      [2, 'info', 'suppression'],
    ]);
    expect(loud.problems[0]!.message).toBe('unused //leakscope:ignore directive: no lost-cancel finding on line 1; remove it');
    expect(loud.problems[1]!.message).toBe('unused //leakscope:file-ignore directive: no abandoned-sender finding in this file; remove it');
  });

  it('does not report a used directive as unused, nor one whose finding is on another line', () => {
    const { directives } = parse('a() //leakscope:ignore lost-cancel ok\nb() //leakscope:ignore lost-cancel ok\n');
    const r = applySuppressions([f(2)], directives, ALL);
    expect(r.problems.map((p) => p.range.start.line)).toEqual([1]);
  });

  it('does not report a directive unused when one of its rules is disabled (couldHaveMatched)', () => {
    const { directives } = parse('a() //leakscope:ignore lost-cancel,abandoned-sender ok\n');
    const r = applySuppressions([], directives, { ...ALL, enabledRuleIds: new Set(['lost-cancel']) });
    expect(r.problems).toEqual([]);
    const r2 = applySuppressions([], parse('a() //leakscope:ignore lost-cancel,abandoned-sender ok\n').directives, ALL);
    expect(r2.problems).toHaveLength(1);
    expect(r2.problems[0]!.message).toContain('no lost-cancel or abandoned-sender finding');
  });

  it('does not additionally report an unknown-id directive as unused', () => {
    const { directives } = parse('a() //leakscope:ignore nope-rule ok\n');
    const r = applySuppressions([], directives, ALL);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toContain('unknown rule id "nope-rule"');
  });

  it('returns problems sorted by position', () => {
    const src = ['x() //leakscope:ignore zzz-unknown ok', 'y()', 'z() //leakscope:ignore lost-cancel ok'].join('\n');
    const dirs = parse(src).directives.reverse();
    const r = applySuppressions([], dirs, ALL);
    expect(r.problems.map((p) => p.range.start.line)).toEqual([1, 3]);
  });
});

describe('directives of other linters (staticcheck, golangci-lint)', () => {
  const foreign = (src: string) => {
    const lines = src.split('\n');
    return parseForeignDirectives(FILE, commentsOf(src), lines.length, lines);
  };

  it('a trailing //nolint:staticcheck silences the rules that repeat a staticcheck check on that line, and no others', () => {
    const src = ['package p', 'func f() {', '\tpool.Put(buf) //nolint:staticcheck // the Pool interface fixes []byte', '}'].join('\n');
    const ds = foreign(src);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.appliesToLine).toBe(3);
    expect(ds[0]!.ruleIds).toContain('pool-put-non-pointer');
    expect(ds[0]!.ruleIds).not.toContain('lost-cancel'); // lostcancel is go vet's, not staticcheck's
    const r = applySuppressions([f(3, 'pool-put-non-pointer'), f(3, 'abandoned-sender'), f(4, 'pool-put-non-pointer')], ds, ALL);
    expect(r.suppressed.map((x) => `${x.ruleId}:${x.range.start.line}`)).toEqual(['pool-put-non-pointer:3']);
    expect(r.kept.map((x) => `${x.ruleId}:${x.range.start.line}`)).toEqual(['abandoned-sender:3', 'pool-put-non-pointer:4']);
    expect(r.problems).toEqual([]);
  });

  it('//lint:ignore with a staticcheck check id or glob applies to the next code line; other check ids silence nothing', () => {
    const src = ['//lint:ignore SA6002 the header is tiny', '', 'pool.Put(buf)', '//lint:ignore SA1019 deprecated on purpose', 'pool.Put(buf)', '//lint:ignore SA6* all of them', 'pool.Put(b2)'].join('\n');
    const ds = foreign(src);
    expect(ds.map((d) => d.appliesToLine)).toEqual([3, 7]);
    const r = applySuppressions([f(3, 'pool-put-non-pointer'), f(5, 'pool-put-non-pointer'), f(7, 'pool-put-non-pointer')], ds, ALL);
    expect(r.kept.map((x) => x.range.start.line)).toEqual([5]);
  });

  it('a bare //nolint or //nolint:all silences every rule with an equivalent check; //nolint:govet only go vet equivalents', () => {
    const bare = foreign('ctx, _ := context.WithCancel(p) //nolint\n');
    expect(bare[0]!.ruleIds).toEqual(expect.arrayContaining(['lost-cancel', 'pool-put-non-pointer', 'copied-lock']));
    expect(bare[0]!.ruleIds).not.toContain('abandoned-sender');
    expect(foreign('x //nolint:all // generated\n')[0]!.ruleIds).toEqual(bare[0]!.ruleIds);
    expect(foreign('x //nolint:govet\n')[0]!.ruleIds.sort()).toEqual(['copied-lock', 'lost-cancel', 'waitgroup-add-in-goroutine']);
    expect(foreign('x //nolint:errcheck,gosec\n')).toEqual([]);
    // `//nolintfoo` is not a directive, nor is `nolint` further into the comment.
    expect(foreign('x //nolintfoo\n')).toEqual([]);
    expect(foreign('x // see nolint:staticcheck\n')).toEqual([]);
  });

  it('golangci-lint trims leading slashes and spaces (`// nolint:staticcheck`) and spaces around the names of the list', () => {
    const spaced = foreign('pool.Put(b) // nolint:staticcheck\n');
    expect(spaced).toHaveLength(1);
    expect(spaced[0]!.ruleIds).toContain('pool-put-non-pointer');
    expect(spaced[0]!.ruleIds).not.toContain('lost-cancel');
    expect(foreign('x ///  nolint:staticcheck\n')[0]!.ruleIds).toEqual(spaced[0]!.ruleIds);
    // `// nolint` (bare, or followed by prose) is all linters, as `//nolint` is.
    expect(foreign('x // nolint\n')[0]!.ruleIds).toEqual(foreign('x //nolint\n')[0]!.ruleIds);
    expect(foreign('x // nolint because generated\n')[0]!.ruleIds).toEqual(foreign('x //nolint\n')[0]!.ruleIds);
    // Spaces around commas, a trailing `// reason`, names in any case.
    expect(foreign('x //nolint:errcheck, govet , Staticcheck // reason\n')[0]!.ruleIds.sort()).toEqual(
      ['copied-lock', 'lost-cancel', 'pool-put-non-pointer', 'ticker-not-stopped', 'waitgroup-add-in-goroutine'],
    );
    // A name followed by prose without `//` is a different (unknown) linter name to golangci-lint.
    expect(foreign('x //nolint:staticcheck the header is small\n')).toEqual([]);
    // An own-line `// nolint:govet` applies to the next code line.
    expect(foreign('\t// nolint:govet\n\tctx, _ := context.WithCancel(p)\n')[0]!.appliesToLine).toBe(2);
  });

  it('//lint:file-ignore covers the file, and foreign directives are never reported as unused or unknown', () => {
    const ds = foreign('//lint:file-ignore SA2000 legacy tests\npackage p\n');
    expect(ds[0]!.kind).toBe('file-ignore');
    const r = applySuppressions([f(40, 'waitgroup-add-in-goroutine')], ds, ALL);
    expect(r.kept).toEqual([]);
    const unused = applySuppressions([], foreign('a() //nolint:staticcheck\nb() //lint:ignore SA6002 why\n'), ALL);
    expect(unused.problems).toEqual([]);
  });
});
