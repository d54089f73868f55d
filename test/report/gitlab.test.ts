/** GitLab Code Quality output (`--format gitlab`). */
import { describe, expect, it } from 'vitest';
import { buildCodeQuality, formatReport } from '../../src/report/index.js';
import { computeFingerprints } from '../../src/report/sarif.js';
import { abs, finding, input, MAIN_GO, range } from './helpers.js';

describe('gitlab code quality', () => {
  const A = abs('cmd/main.go');
  const findings = [
    finding(A, range(4, 2, 4, 30), { fixHint: 'call cancel' }),
    finding(A, range(4, 2, 4, 30), { ruleId: 'abandoned-sender', severity: 'warning', message: 'send is abandoned' }),
    finding(abs('x.go'), range(7, 1, 9, 2), { ruleId: 'waitgroup-add-in-goroutine', severity: 'info' }),
  ];

  it('is an array of issues with the fields GitLab requires', () => {
    const issues = buildCodeQuality(input(findings, { [A]: MAIN_GO }));
    expect(issues[0]).toEqual({
      type: 'issue',
      check_name: 'leakscope/lost-cancel',
      description: 'the cancel function is not called (hint: call cancel)',
      categories: ['Bug Risk'],
      severity: 'critical',
      fingerprint: computeFingerprints(input(findings, { [A]: MAIN_GO }))[0],
      location: { path: 'cmd/main.go', lines: { begin: 4, end: 4 } },
    });
    expect(issues.map((i) => i.severity)).toEqual(['critical', 'major', 'info']);
    expect(issues[2]!.location).toEqual({ path: 'x.go', lines: { begin: 7, end: 9 } });
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(3);
  });

  it('prints an empty array for a clean run', () => {
    expect(formatReport('gitlab', input([]))).toBe('[]\n');
  });
});
