import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/finding.js';
import { buildSarif, formatReport } from '../../src/report/index.js';
import { computeFingerprints, encodeRelativeUri, pascalCase } from '../../src/report/sarif.js';
import { abs, BASE, finding, input, MAIN_GO, range, RULES } from './helpers.js';

const A = abs('cmd/app/main.go');

function build(findings: Finding[], sources: Record<string, string> = { [A]: MAIN_GO }): Sarif.Log {
  // Round-trip through the formatter so we test the emitted JSON, typed as a SARIF Log.
  return JSON.parse(formatReport('sarif', input(findings, sources))) as Sarif.Log;
}

function only<T>(xs: T[] | undefined): T {
  expect(xs).toBeDefined();
  expect(xs).toHaveLength(1);
  return xs![0]!;
}

describe('sarif reporter: properties GitHub code scanning requires', () => {
  const log = build([
    finding(A, range(4, 12, 4, 35)),
    finding(A, range(5, 2, 5, 3), { ruleId: 'abandoned-sender', severity: 'warning' }),
    finding(A, range(1, 1, 1, 8), { ruleId: 'waitgroup-add-in-goroutine', severity: 'info' }),
  ]);
  const run = only(log.runs);
  const driver = run.tool.driver;

  it('has $schema and version 2.1.0 with exactly one run (SARIF §3.13)', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
  });

  it('describes the tool (§3.18, §3.19)', () => {
    expect(driver.name).toBe('leakscope');
    expect(driver.semanticVersion).toBe('1.2.3');
    expect(driver.version).toBe('1.2.3');
    expect(driver.informationUri).toMatch(/^https:\/\//);
  });

  it('lists every known rule with GitHub-read metadata (§3.49)', () => {
    expect(driver.rules?.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const [i, rule] of (driver.rules ?? []).entries()) {
      const meta = RULES[i]!;
      expect(rule.name).toBe(pascalCase(meta.id));
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(rule.shortDescription?.text).toBe(meta.description);
      expect(rule.fullDescription?.text).toBe(meta.help);
      expect(rule.help?.text).toContain(meta.help);
      expect(rule.help?.markdown).toContain(`(${meta.docsUrl})`);
      expect(rule.helpUri).toBe(meta.docsUrl);
      expect(rule.defaultConfiguration?.level).toBe(meta.severity === 'warning' ? 'warning' : 'error');
      const props = rule.properties as Record<string, unknown>;
      expect(props.tags).toEqual(['go', 'concurrency', 'goroutine-leak']);
      expect(['very-high', 'high', 'medium', 'low']).toContain(props.precision);
      expect(props['problem.severity']).toBe(meta.severity);
    }
    expect(pascalCase('waitgroup-add-in-goroutine')).toBe('WaitgroupAddInGoroutine');
  });

  it('gives every result ruleId, a ruleIndex that points at that rule, a level and message.text (§3.27)', () => {
    const results = run.results ?? [];
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(typeof r.ruleId).toBe('string');
      expect(driver.rules?.[r.ruleIndex!]?.id).toBe(r.ruleId);
      expect(typeof r.message.text).toBe('string');
      expect(r.message.text!.length).toBeGreaterThan(0);
    }
    expect(results.map((r) => r.level)).toEqual(['error', 'warning', 'note']);
  });

  it('locates results with a relative URI, a uriBaseId and a 1-based region (§3.4, §3.30)', () => {
    const r = run.results![0]!;
    const loc = only(r.locations).physicalLocation!;
    expect(loc.artifactLocation).toEqual({ uri: 'cmd/app/main.go', uriBaseId: '%SRCROOT%' });
    expect(loc.region).toEqual({ startLine: 4, startColumn: 12, endLine: 4, endColumn: 35 });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: pathToFileURL(BASE).href + '/' } });
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toMatch(/^file:\/\/\/.*\/$/);
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('gives every result a primaryLocationLineHash partial fingerprint (§3.27.17)', () => {
    for (const r of run.results ?? []) {
      expect(r.partialFingerprints?.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
    }
  });

  it('is assignable to the @types/sarif Log type', () => {
    const typed: Sarif.Log = buildSarif(input([finding(A, range(4, 12, 4, 35))]));
    expect(typed.runs).toHaveLength(1);
  });

  it('always has a results array, also for a clean run', () => {
    const clean = build([]);
    expect(only(clean.runs).results).toEqual([]);
  });
});

describe('sarif reporter: details', () => {
  it('percent-encodes artifact URIs segment by segment', () => {
    expect(encodeRelativeUri('dir with space/ä#1.go')).toBe('dir%20with%20space/%C3%A4%231.go');
    const file = abs('dir with space/ä.go');
    const log = build([finding(file, range(1, 1, 1, 2))], {});
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('dir%20with%20space/%C3%A4.go');
  });

  it('uses an absolute file URI without uriBaseId for files outside the base directory', () => {
    const outside = abs('../other/x.go');
    const log = build([finding(outside, range(1, 1, 1, 2))], {});
    const al = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!;
    expect(al.uri).toBe(pathToFileURL(outside).href);
    expect(al.uriBaseId).toBeUndefined();
  });

  it('adds descriptors for pseudo rules (syntax, suppression) so ruleIndex stays valid', () => {
    const log = build([
      finding(A, range(1, 1, 1, 2), { ruleId: 'syntax', message: 'expected ;' }),
      finding(A, range(2, 1, 2, 2), { ruleId: 'suppression', severity: 'warning', message: 'reason required' }),
    ]);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.rules?.map((r) => r.id)).toEqual([...RULES.map((r) => r.id), 'syntax', 'suppression']);
    for (const r of log.runs[0]!.results!) expect(driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(driver.rules!.at(-1)!.name).toBe('Suppression');
  });

  it('widens an empty result region to one character but keeps empty fix regions as insertion points', () => {
    const log = build([
      finding(A, range(5, 2, 5, 2), {
        fix: { description: 'Add defer cancel()', edits: [{ range: range(5, 1, 5, 1), newText: '\tdefer cancel()\n' }] },
      }),
    ]);
    const r = log.runs[0]!.results![0]!;
    expect(r.locations![0]!.physicalLocation!.region).toEqual({ startLine: 5, startColumn: 2, endLine: 5, endColumn: 3 });
    expect(r.fixes).toEqual([
      {
        description: { text: 'Add defer cancel()' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'cmd/app/main.go', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 1 },
                insertedContent: { text: '\tdefer cancel()\n' },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('emits related locations with ids and messages (§3.27.22)', () => {
    const log = build([
      finding(A, range(4, 12, 4, 35), {
        related: [
          { file: A, range: range(5, 2, 5, 9), message: 'returns without cancel' },
          { file: abs('b.go'), range: range(1, 1, 1, 2), message: 'second' },
        ],
      }),
    ]);
    expect(log.runs[0]!.results![0]!.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'cmd/app/main.go', uriBaseId: '%SRCROOT%' },
          region: { startLine: 5, startColumn: 2, endLine: 5, endColumn: 9 },
        },
        message: { text: 'returns without cancel' },
      },
      {
        id: 2,
        physicalLocation: {
          artifactLocation: { uri: 'b.go', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
        },
        message: { text: 'second' },
      },
    ]);
  });

  it('reports notices as tool execution notifications', () => {
    const log = JSON.parse(formatReport('sarif', input([], {}, { notices: ['no Go files'] }))) as Sarif.Log;
    expect(log.runs[0]!.invocations).toEqual([
      { executionSuccessful: true, toolExecutionNotifications: [{ level: 'note', message: { text: 'no Go files' } }] },
    ]);
  });
});

describe('sarif fingerprints', () => {
  const V1 = ['package p', '', 'func f() {', '\tgo work(ch)', '\tgo work(ch)', '\tgo other()', '}', ''].join('\n');
  // Three unrelated lines inserted above, and the function re-indented with spaces.
  const V2 = ['package p', '', 'import "fmt"', '', 'var _ = fmt.Sprint', 'func f() {', '    go work(ch)', '    go work(ch)', '\tgo other()', '}', ''].join('\n');

  const fp = (findings: Finding[], src: string): string[] =>
    computeFingerprints({ findings, baseDir: BASE, readSource: (f) => (f === A ? src : undefined) });

  it('are unchanged when lines are inserted above the findings and whitespace changes', () => {
    const before = fp(
      [finding(A, range(4, 2, 4, 13)), finding(A, range(5, 2, 5, 13)), finding(A, range(6, 2, 6, 12))],
      V1,
    );
    const after = fp(
      [finding(A, range(7, 5, 7, 16)), finding(A, range(8, 5, 8, 16)), finding(A, range(9, 2, 9, 12))],
      V2,
    );
    expect(after).toEqual(before);
    // and through the full reporter
    const log1 = build([finding(A, range(4, 2, 4, 13))], { [A]: V1 });
    const log2 = build([finding(A, range(7, 5, 7, 16))], { [A]: V2 });
    expect(log2.runs[0]!.results![0]!.partialFingerprints).toEqual(log1.runs[0]!.results![0]!.partialFingerprints);
  });

  it('distinguish identical lines with an occurrence counter', () => {
    const [a, b, c] = fp([finding(A, range(4, 2, 4, 13)), finding(A, range(5, 2, 5, 13)), finding(A, range(6, 2, 6, 12))], V1);
    expect(a!.split(':')[0]).toBe(b!.split(':')[0]);
    expect(a!.endsWith(':1')).toBe(true);
    expect(b!.endsWith(':2')).toBe(true);
    expect(c!.endsWith(':1')).toBe(true);
    expect(c!.split(':')[0]).not.toBe(a!.split(':')[0]);
  });

  it('change when the flagged line, the rule or the file changes', () => {
    const base = fp([finding(A, range(4, 2, 4, 13))], V1)[0];
    const edited = fp([finding(A, range(4, 2, 4, 13))], V1.replace('\tgo work(ch)', '\tgo work(ch2)'))[0];
    const otherRule = fp([finding(A, range(4, 2, 4, 13), { ruleId: 'abandoned-sender' })], V1)[0];
    const otherFile = computeFingerprints({
      findings: [finding(abs('other.go'), range(4, 2, 4, 13))],
      baseDir: BASE,
      readSource: () => V1,
    })[0];
    expect(new Set([base, edited, otherRule, otherFile]).size).toBe(4);
  });

  it('are independent of the message wording and of the line number when the source is readable', () => {
    const a = fp([finding(A, range(4, 2, 4, 13), { message: 'one' })], V1);
    const b = fp([finding(A, range(4, 2, 4, 13), { message: 'two' })], V1);
    expect(a).toEqual(b);
  });

  it('fall back to the message when the source cannot be read, still ignoring the line number', () => {
    const a = fp([finding(abs('gone.go'), range(4, 2, 4, 13))], V1);
    const b = fp([finding(abs('gone.go'), range(40, 2, 40, 13))], V1);
    const c = fp([finding(abs('gone.go'), range(4, 2, 4, 13), { message: 'different' })], V1);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
