import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report/index.js';
import { abs, finding, input, MAIN_GO, range } from './helpers.js';

const A = abs('cmd/app/main.go');
const B = abs('internal/pool/pool.go');
const POOL_GO = ['package pool', '', 'func run() {', '\tgo send(ch)', '}', ''].join('\n');

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

describe('text reporter', () => {
  it('groups findings by relative file, with position, severity, message, rule id and a code frame', () => {
    const out = formatReport(
      'text',
      input(
        [
          finding(A, range(4, 12, 4, 35), { fixHint: 'call cancel on every path, e.g. defer cancel()' }),
          finding(A, range(5, 2, 5, 3), { ruleId: 'abandoned-sender', severity: 'warning', message: 'send may block forever' }),
          finding(B, range(4, 2, 4, 13), {
            ruleId: 'abandoned-sender',
            severity: 'info',
            message: 'goroutine may leak',
            fix: { description: 'Buffer the channel', edits: [] },
            related: [{ file: A, range: range(5, 2, 5, 3), message: 'the receiver returns here' }],
          }),
        ],
        { [A]: MAIN_GO, [B]: POOL_GO },
      ),
    );
    expect(out).toBe(
      [
        'cmd/app/main.go',
        '  4:12  error  the cancel function is not called  [lost-cancel]',
        '      3 | func f(ctx context.Context) {',
        '    > 4 |     ctx, _ := context.WithCancel(ctx)',
        '        |               ^^^^^^^^^^^^^^^^^^^^^^^',
        '      5 |     _ = ctx',
        '    hint: call cancel on every path, e.g. defer cancel()',
        '  5:2  warning  send may block forever  [abandoned-sender]',
        '      4 |     ctx, _ := context.WithCancel(ctx)',
        '    > 5 |     _ = ctx',
        '        |     ^',
        '      6 | }',
        '',
        'internal/pool/pool.go',
        '  4:2  info  goroutine may leak  [abandoned-sender]',
        '      3 | func run() {',
        '    > 4 |     go send(ch)',
        '        |     ^^^^^^^^^^^',
        '      5 | }',
        '    suggested fix: Buffer the channel',
        '    see cmd/app/main.go:5: the receiver returns here',
        '',
        '3 problems (1 error, 1 warning, 1 info) in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('uses singular forms for one problem in one file', () => {
    const out = formatReport('text', input([finding(A, range(4, 12, 4, 35))], { [A]: MAIN_GO }));
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 problem (1 error, 0 warnings, 0 info) in 1 file');
  });

  it('says "No problems found." when there is nothing to report, after any notices', () => {
    const out = formatReport('text', input([], {}, { notices: ['no Go files found under ./x'] }));
    expect(out).toBe('note: no Go files found under ./x\nNo problems found.\n');
  });

  it('prints analysis stats when given', () => {
    const out = formatReport('text', input([], {}, { stats: { files: 12, packages: 1, durationMs: 40.4 } }));
    expect(out).toContain('Checked 12 files in 1 package in 40 ms.');
  });

  it('still reports a finding when the source cannot be read or throws', () => {
    const f = finding(A, range(4, 12, 4, 35));
    const missing = formatReport('text', input([f], {}));
    expect(missing).toContain('  4:12  error  the cancel function is not called  [lost-cancel]\n\n');
    expect(missing).not.toContain('|');
    const throwing = formatReport(
      'text',
      input([f], {}, {
        readSource: () => {
          throw new Error('EACCES');
        },
      }),
    );
    expect(throwing).toContain('[lost-cancel]');
  });

  it('reads each file once even with several findings in it', () => {
    let reads = 0;
    formatReport(
      'text',
      input([finding(A, range(4, 12, 4, 35)), finding(A, range(5, 2, 5, 3))], {}, {
        readSource: () => {
          reads++;
          return MAIN_GO;
        },
      }),
    );
    expect(reads).toBe(1);
  });

  it('colours output only when color is true, and colour does not change the text', () => {
    const findings = [finding(A, range(4, 12, 4, 35), { fixHint: 'h' })];
    const plain = formatReport('text', input(findings, { [A]: MAIN_GO }, { color: false }));
    const coloured = formatReport('text', input(findings, { [A]: MAIN_GO }, { color: true }));
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\x1b[31merror\x1b[39m'); // severity in red
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('makes paths relative with forward slashes and keeps ../ for files outside the base', () => {
    const outside = abs('../elsewhere/x.go');
    const out = formatReport('text', input([finding(outside, range(1, 1, 1, 2))]));
    expect(out.split('\n')[0]).toBe('../elsewhere/x.go');
  });
});
