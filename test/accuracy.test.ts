/**
 * Scoring logic of the accuracy runner (bench/accuracy.ts) on tiny synthetic cases:
 * ground truth from debug=2 dumps, "near" matching of static findings, runtime
 * suspects, false positives on fixed twins, per-rule figures and thresholds. The
 * corpus itself runs with `npm run accuracy`, not here.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/analysis/finding.js';
import { parseRaceReports, readProfile, type GoroutineProfile } from '../src/profiles/index.js';
import {
  BASELINE_GROUP,
  checkGroupThresholds,
  checkThresholds,
  groupOf,
  groupsOf,
  parseCase,
  renderReport,
  parseVet,
  precision,
  recall,
  ruleScores,
  scoreCase,
  summarizeGroup,
  summarizeResults,
  withoutCapture,
  type CaseResult,
  type RunCapture,
} from '../bench/accuracy.js';
import { checkShakeThresholds, renderShakeSection, summarizeShake } from '../bench/accuracy-shake.js';

const B = '/corpus/c/buggy';
const F = '/corpus/c/fixed';

/** A debug=2 dump with `n` goroutines blocked in `state` at `dir/main.go:line`, started at `goLine`. */
function dump(dir: string, blocked: Array<{ n: number; state: string; line: number; goLine: number; leaked?: boolean }>): GoroutineProfile {
  const parts = [
    `goroutine 1 [select (no cases)]:\nmain.main()\n\t${dir}/main.go:40 +0x1\n`,
    `goroutine 2 [running]:\nmain.zzLeakscopeCapture()\n\t${dir}/zz_leakscope_capture.go:30 +0x1\ncreated by main.init.0 in goroutine 1\n\t${dir}/zz_leakscope_capture.go:15 +0x1\n`,
  ];
  let id = 10;
  for (const b of blocked) {
    for (let i = 0; i < b.n; i++) {
      parts.push(
        `goroutine ${id++} [${b.state}${b.leaked ? ' (leaked)' : ''}]:\nmain.work.func1()\n\t${dir}/main.go:${b.line} +0x1\ncreated by main.work in goroutine 1\n\t${dir}/main.go:${b.goLine} +0x1\n`,
      );
    }
  }
  const p = readProfile(Buffer.from(parts.join('\n')), 'test');
  if (p.kind !== 'goroutine') throw new Error('not a goroutine profile');
  return withoutCapture(p);
}

function finding(ruleId: string, file: string, line: number): Finding {
  return { ruleId, severity: 'warning', message: 'm', file, range: { start: { line, column: 1 }, end: { line, column: 2 } } } as Finding;
}

const spec = parseCase(
  `id: c\ndescription: d\ncategory: goroutine-leak\nrules: [abandoned-sender]\nleaks:\n  - file: main.go\n    line: 12\n    state: chan send\n`,
  'case.yaml',
);

function run(buggy: RunCapture, fixed: RunCapture, buggyFindings: Finding[], fixedFindings: Finding[] = []): CaseResult {
  return scoreCase({ spec, buggyDir: B, fixedDir: F, buggy, fixed, buggyFindings, fixedFindings });
}

describe('accuracy scoring', () => {
  it('parses case.yaml and rejects malformed ones', () => {
    expect(spec.leaks).toEqual([{ file: 'main.go', line: 12, state: 'chan send' }]);
    expect(() => parseCase('id: x\ndescription: d\ncategory: nope\nleaks: []\n', 'x.yaml')).toThrow(/unknown category/);
    expect(() => parseCase('id: x\ndescription: d\ncategory: deadlock\nleaks: []\n', 'x.yaml')).toThrow(/at least one/);
    expect(parseCase('id: x\ndescription: d\ncategory: deadlock\nschedule: rare\nleaks:\n  - file: main.go\n    line: 3\n', 'x.yaml').schedule).toBe('rare');
    expect(() => parseCase('id: x\ndescription: d\ncategory: deadlock\nschedule: often\nleaks:\n  - file: main.go\n    line: 3\n', 'x.yaml')).toThrow(/"schedule" can only be "rare"/);
  });

  it('sums up the shake comparison over the cases whose leak showed, and checks its thresholds', () => {
    const base = { spec, runs: 20, plainShown: 0, shakenShown: 0, fixedFindings: [] as string[], errors: [], sites: 5 };
    const results = [
      { ...base, plainHits: 0, shakenHits: 8, shakenShown: 8 },
      { ...base, plainHits: 2, plainShown: 2, shakenHits: 12, shakenShown: 12 },
      { ...base, plainHits: 0, shakenHits: 0 }, // never showed: not scored
    ];
    const s = summarizeShake(results);
    expect(s).toEqual({ cases: 3, reproduced: 2, plainDetected: 1, shakenDetected: 2, plainRate: 2 / 40, shakenRate: 20 / 40, fixedFindings: 0 });
    expect(checkShakeThresholds(s, { minShakenDetected: 2, maxFixedFindings: 0 })).toEqual([]);
    const worse = summarizeShake([{ ...base, plainHits: 3, plainShown: 3, shakenHits: 0, fixedFindings: ['run 1 (seed 1): blocked in "chan send" at main.go:9'] }]);
    expect(checkShakeThresholds(worse, { minShakenDetected: 1, maxFixedFindings: 0 })).toEqual([
      'shaken detections 0 are below the threshold 1',
      'findings on fixed twins under shaking 1 are above the threshold 0',
      'shaken runs detect fewer cases (0) than plain runs (1)',
    ]);
    expect(renderShakeSection(results, false)).toContain('Detected within 20 plain runs: **1/2**; within 20 shaken runs: **2/2**. Detection per run: plain 5.0%, shaken 50.0%. Findings on fixed twins under shaking: **0**.');
  });

  it('counts a reproduced leak found by an expected rule at the go statement and by the runtime', () => {
    const r = run({ dump: dump(B, [{ n: 6, state: 'chan send', line: 12, goLine: 11 }]) }, { dump: dump(F, []) }, [finding('abandoned-sender', `${B}/main.go`, 11)]);
    expect(r.reproduced).toBe(true);
    expect(r.leaks[0]).toMatchObject({ staticRules: ['abandoned-sender'], staticExpected: true, runtimeDump: true, nearLines: [11, 12] });
    const s = summarizeResults([r]);
    expect(s.static).toEqual({ tp: 1, fn: 0, fp: 0 });
    expect(s.runtime).toEqual({ tp: 1, fn: 0, fp: 0 });
  });

  it('misses a small group in the dump but finds it in the leak profile; findings elsewhere and on the fixed twin', () => {
    const r = run(
      { dump: dump(B, [{ n: 1, state: 'chan send', line: 12, goLine: 11 }]), leakProfile: dump(B, [{ n: 1, state: 'chan send', line: 12, goLine: 11, leaked: true }]) },
      { dump: dump(F, []) },
      [finding('other-rule', `${B}/main.go`, 30)],
      [finding('abandoned-sender', `${F}/main.go`, 11)],
    );
    expect(r.reproduced).toBe(true);
    expect(r.leaks[0]).toMatchObject({ staticRules: [], runtimeDump: false, runtimeLeakProfile: true });
    expect(r.staticUnmatched).toHaveLength(1);
    const s = summarizeResults([r]);
    expect(s.static).toEqual({ tp: 0, fn: 1, fp: 1 });
    expect(s.runtimeDump).toEqual({ tp: 0, fn: 1, fp: 0 });
    expect(s.combined).toEqual({ tp: 1, fn: 0, fp: 1 });
    expect(precision(s.static)).toBe(0);
    expect(recall(s.combined)).toBe(1);
    const rules = ruleScores([r], new Set(['abandoned-sender']));
    expect(rules.find((x) => x.rule === 'abandoned-sender')).toMatchObject({ tp: 0, fn: 1, fp: 1, expectedIn: 1 });
    expect(checkThresholds(s, { staticRecall: 0.5, combinedRecall: 1, maxStaticFalsePositives: 0 })).toEqual([
      'static recall 0 is below the threshold 0.5',
      'static false positives 1 is above the threshold 0',
    ]);
  });

  it('scores the go vet baseline with the same near rule', () => {
    const vet = parseVet('# example.com/corpus/c\n./main.go:11:7: the cancel function is not used\nvet: other noise\n');
    expect(vet).toEqual([{ file: 'main.go', line: 11, message: 'the cancel function is not used' }]);
    const r = scoreCase({
      spec,
      buggyDir: B,
      fixedDir: F,
      buggy: { dump: dump(B, [{ n: 6, state: 'chan send', line: 12, goLine: 11 }]) },
      fixed: { dump: dump(F, []) },
      buggyFindings: [],
      fixedFindings: [],
      buggyVet: vet,
      fixedVet: [],
    });
    expect(summarizeResults([r]).vet).toEqual({ tp: 1, fn: 0, fp: 0 });
  });

  it('proves race sites from race reports and counts the go statement as near', () => {
    const race = `==================
WARNING: DATA RACE
Write at 0x00c000102a50 by goroutine 9:
  runtime.mapassign_fast64()
      /usr/local/go/src/internal/runtime/maps/runtime_fast64.go:196 +0x0
  main.main.func1()
      ${B}/main.go:15 +0x92

Previous write at 0x00c000102a50 by goroutine 7:
  runtime.mapassign_fast64()
      /usr/local/go/src/internal/runtime/maps/runtime_fast64.go:196 +0x0
  main.main.func1()
      ${B}/main.go:15 +0x92

Goroutine 9 (running) created at:
  main.main()
      ${B}/main.go:13 +0x7b

Goroutine 7 (finished) created at:
  main.main()
      ${B}/main.go:13 +0x7b
==================
`;
    const raceSpec = parseCase('id: r\ndescription: d\ncategory: race\nrules: [concurrent-map-write]\nleaks:\n  - file: main.go\n    line: 15\n', 'r.yaml');
    const r = scoreCase({
      spec: raceSpec,
      buggyDir: B,
      fixedDir: F,
      buggy: { dump: dump(B, []), race: parseRaceReports(race, 'stderr') },
      fixed: { dump: dump(F, []), race: { kind: 'race', source: 'stderr', races: [] } },
      buggyFindings: [finding('concurrent-map-write', `${B}/main.go`, 13)],
      fixedFindings: [],
    });
    expect(r.reproduced).toBe(true);
    expect(r.leaks[0]).toMatchObject({ nearLines: [13, 15], staticExpected: true, runtimeDump: true, runtimeVerdicts: ['race report'] });
  });

  it('flags a case whose ground truth does not reproduce and does not count it', () => {
    const r = run(
      { dump: dump(B, [{ n: 6, state: 'chan receive', line: 12, goLine: 11 }]) },
      { dump: dump(F, [{ n: 1, state: 'chan send', line: 12, goLine: 11 }]) },
      [],
    );
    expect(r.reproduced).toBe(false);
    expect(r.problems.join('\n')).toMatch(/no goroutine blocked at main.go:12 in "chan send"[\s\S]*fixed: goroutine 10 blocked in "chan send" at main.go:12/);
    expect(summarizeResults([r])).toMatchObject({ cases: 1, reproduced: 0, static: { tp: 0, fn: 0, fp: 0 } });
  });

  it('reads the issue group of a case and rejects a malformed one', () => {
    const head = 'id: x\ndescription: d\ncategory: deadlock\nleaks:\n  - file: main.go\n    line: 3\n';
    expect(groupOf(parseCase(head, 'x.yaml'))).toBe(BASELINE_GROUP);
    expect(parseCase(`${head}issue: 13\n`, 'x.yaml').issue).toBe('13');
    expect(groupOf(parseCase(`${head}issue: "14"\n`, 'x.yaml'))).toBe('14');
    expect(() => parseCase(`${head}issue: [13]\n`, 'x.yaml')).toThrow(/x.yaml: "issue" must be an issue number/);
    expect(() => parseCase(`${head}issue: -2\n`, 'x.yaml')).toThrow(/"issue" must be an issue number/);
    expect(() => parseCase(`${head}issue: baseline\n`, 'x.yaml')).toThrow(/cannot be "baseline"/);
  });

  it('scores and thresholds each group on its own cases: top-level figures for the baseline, issues.<N> for the others', () => {
    const found = run({ dump: dump(B, [{ n: 6, state: 'chan send', line: 12, goLine: 11 }]) }, { dump: dump(F, []) }, [finding('abandoned-sender', `${B}/main.go`, 11)]);
    const issueSpec = (n: string): CaseResult['spec'] => ({ ...spec, id: `c${n}`, issue: n });
    const missed13 = { ...run({ dump: dump(B, [{ n: 6, state: 'chan send', line: 12, goLine: 11 }]) }, { dump: dump(F, []) }, []), spec: issueSpec('13') };
    const fp14 = {
      ...run({ dump: dump(B, [{ n: 6, state: 'chan send', line: 12, goLine: 11 }]) }, { dump: dump(F, []) }, [finding('abandoned-sender', `${B}/main.go`, 12)], [finding('lock-order', `${F}/main.go`, 3)]),
      spec: issueSpec('14'),
    };
    const results = [fp14, missed13, found];
    expect(groupsOf(results)).toEqual([BASELINE_GROUP, '13', '14']);
    expect(summarizeGroup(results, BASELINE_GROUP).static).toEqual({ tp: 1, fn: 0, fp: 0 });
    expect(summarizeGroup(results, '13').static).toEqual({ tp: 0, fn: 1, fp: 0 });
    expect(summarizeGroup(results, '14').static).toEqual({ tp: 1, fn: 0, fp: 1 });
    expect(summarizeGroup(results, '13').runtime).toEqual({ tp: 1, fn: 0, fp: 0 });
    // The baseline keeps its strict top-level thresholds; the issue groups have their own.
    const t = { staticRecall: 1, maxStaticFalsePositives: 0, issues: { '13': { staticRecall: 0, runtimeRecall: 1 }, '14': { staticRecall: 1, maxStaticFalsePositives: 0 } } };
    expect(checkGroupThresholds(results, t)).toEqual(['issue 14: static false positives 1 is above the threshold 0']);
    expect(checkGroupThresholds(results, { ...t, issues: { ...t.issues, '13': { staticRecall: 0.5 }, '15': { minReproduced: 2 } } })).toEqual([
      'issue 13: static recall 0 is below the threshold 0.5',
      'issue 14: static false positives 1 is above the threshold 0',
      'issue 15: reproduced cases 0 is below the threshold 2',
    ]);
    // The whole corpus: 2 of 3 sites found statically, 1 false positive.
    expect(checkGroupThresholds(results, { overall: { staticRecall: 0.6667, maxStaticFalsePositives: 1 } })).toEqual([]);
    expect(checkGroupThresholds(results, { overall: { staticRecall: 0.9, maxStaticFalsePositives: 0 } })).toEqual([
      'overall: static recall 0.6667 is below the threshold 0.9',
      'overall: static false positives 1 is above the threshold 0',
    ]);
    // Without issue groups in the thresholds only the baseline is checked, on its own cases.
    expect(checkGroupThresholds(results, { staticRecall: 1, maxStaticFalsePositives: 0 })).toEqual([]);
    const report = renderReport(results, new Set(['abandoned-sender', 'lock-order']), { date: '2026-01-01', goVersion: 'go1.26', leakProfile: true, seconds: 1, vet: false });
    expect(report).toContain('| baseline | 1 (1) | 1 | 1/0/0 | 100.0% | 100.0% | 1/0/0 | 100.0% | 100.0% |');
    expect(report).toContain('| issue 13 | 1 (1) | 1 | 0/1/0 | 0.0% | 0.0% | 1/0/0 | 100.0% | 100.0% |');
    expect(report).toContain('| issue 14 | 1 (1) | 1 | 1/0/1 | 100.0% | 100.0% | 1/0/0 | 100.0% | 100.0% |');
    expect(report).toMatch(/\| c13 \| 13 \| goroutine-leak \| yes \|/);
    expect(report).toContain('race 0; baseline 1, issue 13 1, issue 14 1), ground truth reproduced: 3');
  });
});
