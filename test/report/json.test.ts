import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/index.js';
import { formatReport } from '../../src/report/index.js';
import { abs, finding, input, range } from './helpers.js';

const A = abs('pkg/a.go');
const B = abs('pkg/sub dir/b.go');

function parse(out: string): JsonReport {
  return JSON.parse(out) as JsonReport;
}

describe('json reporter', () => {
  it('produces the documented shape with relative paths and flattened positions', () => {
    const out = formatReport(
      'json',
      input(
        [
          finding(A, range(4, 12, 4, 35), {
            fixHint: 'defer cancel()',
            fix: { description: 'Add defer cancel()', edits: [{ range: range(5, 1, 5, 1), newText: '\tdefer cancel()\n' }] },
            related: [{ file: B, range: range(7, 2, 7, 8), message: 'returns here' }],
          }),
          finding(B, range(1, 1, 2, 3), { ruleId: 'abandoned-sender', severity: 'info', message: 'm' }),
        ],
        {},
        { notices: ['note 1'], stats: { files: 3, packages: 2, durationMs: 5 } },
      ),
    );
    expect(out.endsWith('}\n')).toBe(true);
    expect(parse(out)).toEqual({
      version: '1.2.3',
      findings: [
        {
          ruleId: 'lost-cancel',
          severity: 'error',
          message: 'the cancel function is not called',
          file: 'pkg/a.go',
          line: 4,
          column: 12,
          endLine: 4,
          endColumn: 35,
          fixHint: 'defer cancel()',
          fix: {
            description: 'Add defer cancel()',
            edits: [{ line: 5, column: 1, endLine: 5, endColumn: 1, newText: '\tdefer cancel()\n' }],
          },
          related: [{ file: 'pkg/sub dir/b.go', line: 7, column: 2, endLine: 7, endColumn: 8, message: 'returns here' }],
        },
        {
          ruleId: 'abandoned-sender',
          severity: 'info',
          message: 'm',
          file: 'pkg/sub dir/b.go',
          line: 1,
          column: 1,
          endLine: 2,
          endColumn: 3,
        },
      ],
      summary: { errors: 1, warnings: 0, infos: 1, files: 3, packages: 2 },
      notices: ['note 1'],
    });
  });

  it('omits optional fields rather than emitting null, and always has notices', () => {
    const report = parse(formatReport('json', input([finding(A, range(1, 1, 1, 2))])));
    const f = report.findings[0]!;
    expect(Object.keys(f).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'ruleId', 'severity']);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, infos: 0 });
    expect(report.notices).toEqual([]);
  });

  it('reports an empty run', () => {
    expect(parse(formatReport('json', input([])))).toEqual({
      version: '1.2.3',
      findings: [],
      summary: { errors: 0, warnings: 0, infos: 0 },
      notices: [],
    });
  });

  it('never reads sources and never colours', () => {
    const out = formatReport(
      'json',
      input([finding(A, range(1, 1, 1, 2))], {}, {
        color: true,
        readSource: () => {
          throw new Error('must not be called');
        },
      }),
    );
    expect(out).not.toContain('\x1b');
  });
});
