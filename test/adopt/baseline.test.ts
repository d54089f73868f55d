/**
 * Finding identities (report/fingerprint.ts) and baseline matching (baseline/baseline.ts):
 * what survives an edit, what does not, and that SARIF uses the same identity.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/finding.js';
import { buildBaseline, matchBaseline, serializeBaseline } from '../../src/baseline/baseline.js';
import { parseUnifiedDiff, unquoteGitPath } from '../../src/baseline/gitdiff.js';
import { fingerprintFindings, normaliseCode } from '../../src/report/fingerprint.js';
import { computeFingerprints } from '../../src/report/sarif.js';

const BASE = '/repo';
const FILE = path.join(BASE, 'pkg', 'a.go');

function finding(line: number, ruleId = 'abandoned-sender'): Finding {
  return { ruleId, severity: 'warning', message: `m at line ${line}`, file: FILE, range: { start: { line, column: 2 }, end: { line, column: 10 } } };
}

const SRC = `package p

type S struct{}

func (s *S) Run(ch chan int) {
	go send(ch) // first
	x := 1
	go send(ch)
	_ = x
}

func (s S) Value() { go send(nil) }

var v = func() { go send(nil) }
`;

function prints(src: string, lines: number[]) {
  return fingerprintFindings(lines.map((l) => finding(l)), BASE, () => src);
}

describe('fingerprints', () => {
  it('name the enclosing function with its receiver, and nothing at package level', () => {
    const p = prints(SRC, [6, 12, 14]);
    expect(p.map((x) => x.function)).toEqual(['(*S).Run', 'S.Value', '']);
    expect(p[0]).toMatchObject({ path: 'pkg/a.go', code: 'go send(ch) // first' });
  });

  it('ignore comments and white space in the operation, but not the code', () => {
    expect(normaliseCode('\tgo send(ch) // first')).toBe('gosend(ch)');
    expect(normaliseCode('x := "http://a b" /* c */ + y')).toBe('x:="http://a b"+y');
    expect(normaliseCode("r := '/' // x")).toBe("r:='/'");
    const [a, b] = prints(SRC, [6, 8]);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(a!.context).not.toBe(b!.context);
  });

  it('survive inserted lines above and a renamed neighbour, not a changed operation', () => {
    const moved = '// header\n\n' + SRC;
    expect(prints(moved, [8, 10])).toEqual(prints(SRC, [6, 8]));
    const [before] = prints(SRC, [6]);
    const [afterNeighbour] = prints(SRC.replace('x := 1', 'y := 1').replace('_ = x', '_ = y'), [6]);
    expect(afterNeighbour!.fingerprint).toBe(before!.fingerprint);
    expect(afterNeighbour!.context).not.toBe(before!.context);
    const [edited] = prints(SRC.replace('go send(ch) // first', 'go send(ch2)'), [6]);
    expect(edited!.fingerprint).not.toBe(before!.fingerprint);
  });

  it('are what SARIF puts in partialFingerprints (with an occurrence counter)', () => {
    const fs = [finding(6), finding(8)];
    const p = fingerprintFindings(fs, BASE, () => SRC);
    expect(computeFingerprints({ findings: fs, baseDir: BASE, readSource: () => SRC })).toEqual([`${p[0]!.fingerprint}:1`, `${p[1]!.fingerprint}:2`]);
  });
});

describe('baseline matching', () => {
  const fs6and8 = [finding(6), finding(8)];

  it('prefers the entry whose context agrees when two findings share a fingerprint', () => {
    // Only the second `go send(ch)` is accepted; the first is new.
    const base = buildBaseline('check', [fs6and8[1]!], prints(SRC, [8]));
    const m = matchBaseline(fs6and8, prints(SRC, [6, 8]), base);
    expect(m.fresh.map((f) => f.range.start.line)).toEqual([6]);
    expect(m.gone).toEqual([]);
  });

  it('falls back to the fingerprint alone when the neighbourhood changed', () => {
    const base = buildBaseline('check', [finding(6)], prints(SRC, [6]));
    const src2 = SRC.replace('x := 1', 'z := 2').replace('_ = x', '_ = z');
    const m = matchBaseline([finding(6)], prints(src2, [6]), base);
    expect(m.fresh).toEqual([]);
  });

  it('counts identical entries and reports the ones left as gone', () => {
    const dup = buildBaseline('check', fs6and8, [prints(SRC, [6])[0]!, prints(SRC, [6])[0]!]);
    expect(dup.entries).toHaveLength(1);
    expect(dup.entries[0]!.count).toBe(2);
    expect(serializeBaseline(dup)).toContain('"count": 2');
    const m = matchBaseline([finding(6)], prints(SRC, [6]), dup);
    expect(m.fresh).toEqual([]);
    expect(m.gone).toHaveLength(1);
    expect(m.gone[0]!.count).toBeUndefined();
  });

  it('does not match a finding of another rule with the same text', () => {
    const base = buildBaseline('check', [finding(6)], prints(SRC, [6]));
    const other = finding(6, 'blocked-receive');
    const m = matchBaseline([other], fingerprintFindings([other], BASE, () => SRC), base);
    expect(m.fresh).toEqual([other]);
    expect(m.gone).toHaveLength(1);
  });
});

describe('git diff parsing', () => {
  it('reads added lines, marks both sides of a deletion, and follows quoted paths', () => {
    const diff = [
      'diff --git a/a.go b/a.go',
      '--- a/a.go',
      '+++ b/a.go',
      '@@ -3,0 +4,2 @@ func f() {',
      '+x',
      '+y',
      '@@ -10 +12,0 @@',
      '-defer cancel()',
      '@@ -20 +21 @@',
      'diff --git "a/sp ace\\303\\251.go" "b/sp ace\\303\\251.go"',
      '+++ "b/sp ace\\303\\251.go"',
      '@@ -1 +1 @@',
      'diff --git a/gone.go b/gone.go',
      '+++ /dev/null',
      '@@ -1,3 +0,0 @@',
    ].join('\n');
    const m = parseUnifiedDiff(diff);
    expect([...m.get('a.go')!].sort((a, b) => a - b)).toEqual([4, 5, 12, 13, 21]);
    expect([...m.get('sp aceé.go')!]).toEqual([1]);
    expect(m.has('gone.go')).toBe(false);
    expect(unquoteGitPath('"a\\tb"')).toBe('a\tb');
  });
});
