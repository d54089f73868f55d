/**
 * @fileoverview End-to-end tests of the output formats of `leakscope check`: json, sarif
 * (the shape GitHub code scanning reads), github workflow annotations, `-o`, and colour.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { VERSION } from '../../src/version.js';
import {
  ABANDONED_SENDER,
  ANSI,
  check,
  checkJson,
  CLEAN,
  GO_MOD,
  LOST_CANCEL,
  removeTempDirs,
  stripAnsi,
  tempTree,
  WG_ADD,
} from './helpers.js';

afterEach(removeTempDirs);

/** One finding per rule plus a syntax error, in a module with a nested directory. */
function mixedTree(): string {
  return tempTree({
    'go.mod': GO_MOD,
    'lc/lc.go': LOST_CANCEL,
    'as/as.go': ABANDONED_SENDER,
    'wg/wg.go': WG_ADD,
    // A syntax error on line 6; the correct cancel use after it must not be reported.
    'odd dir/broken.go':
      'package odd\n\nimport "context"\n\nfunc F() {\n\tx := := 1\n\tctx, cancel := context.WithCancel(context.Background())\n\tdefer cancel()\n\t_ = ctx\n}\n',
    'clean/clean.go': CLEAN,
  });
}

async function sarifOf(dir: string, args: string[] = []): Promise<{ code: number; log: Sarif.Log; stderr: string }> {
  const r = await check(dir, ['--format', 'sarif', ...args, `${dir}/...`]);
  return { code: r.code, log: JSON.parse(r.stdout) as Sarif.Log, stderr: r.stderr };
}

describe('--format json', () => {
  it('parses and carries ruleId, severity, message, file and the full range of each finding', async () => {
    const dir = mixedTree();
    const { code, report } = await checkJson(dir, [`${dir}/...`]);
    expect(code).toBe(1);
    expect(report.version).toBe(VERSION);
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`)).toEqual([
      'as/as.go:8:3 abandoned-sender',
      'lc/lc.go:6:7 lost-cancel',
      expect.stringMatching(/^odd dir\/broken\.go:6:\d+ syntax$/),
      'wg/wg.go:9:4 waitgroup-add-in-goroutine',
    ]);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn']));
      for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) expect(Number.isInteger(f[k]) && f[k] >= 1).toBe(true);
      expect(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column)).toBe(true);
      expect(f.message.length).toBeGreaterThan(10);
      expect(path.isAbsolute(f.file)).toBe(false);
    }
    const lc = report.findings.find((f) => f.ruleId === 'lost-cancel');
    // `cancel` on line 6 spans columns 7..13 (exclusive end).
    expect(lc).toMatchObject({ severity: 'warning', line: 6, column: 7, endLine: 6, endColumn: 13 });
    expect(lc?.related?.[0]).toMatchObject({ file: 'lc/lc.go', line: 8 });
    // The suggested fix inserts `defer cancel()` after line 6.
    expect(lc?.fix).toEqual({
      description: expect.stringMatching(/defer cancel\(\)/),
      edits: [{ line: 7, column: 1, endLine: 7, endColumn: 1, newText: '\tdefer cancel()\n' }],
    });
    expect(report.summary).toMatchObject({ errors: 1, warnings: 3, infos: 0, files: 5, packages: 5 });
  });

  it('prints only JSON on stdout; notices go to stderr and into "notices"', async () => {
    const dir = tempTree({ 'sub/app.go': LOST_CANCEL });
    const r = await check(dir, ['--format', 'json', dir]);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    expect(r.stdout.trimStart().startsWith('{')).toBe(true);
    expect((JSON.parse(r.stdout) as { notices: string[] }).notices.join()).toMatch(/no Go files of its own/);
    expect(r.stderr).toMatch(/^leakscope: .*no Go files of its own/);
  });

  it('a clean run is valid JSON with no findings and exit 0', async () => {
    const dir = tempTree({ 'app.go': CLEAN });
    const { code, report } = await checkJson(dir, [dir]);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, infos: 0 });
    expect(code).toBe(0);
  });
});

describe('--format sarif', () => {
  it('is SARIF 2.1.0 with one run, the leakscope driver and the results', async () => {
    const dir = mixedTree();
    const { code, log } = await sarifOf(dir);
    expect(code).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('leakscope');
    expect(run.tool.driver.semanticVersion).toBe(VERSION);
    expect(run.results?.map((r) => r.ruleId)).toEqual(['abandoned-sender', 'lost-cancel', 'syntax', 'waitgroup-add-in-goroutine']);
  });

  it('declares every rule id used, with help text and a help URI, and ruleIndex points at it', async () => {
    const dir = mixedTree();
    const { log } = await sarifOf(dir);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules ?? [];
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['lost-cancel', 'abandoned-sender', 'waitgroup-add-in-goroutine']) expect(ids).toContain(id);
    for (const res of run.results ?? []) {
      const idx = res.ruleIndex!;
      expect(rules[idx]?.id, `ruleIndex of ${res.ruleId}`).toBe(res.ruleId);
      const rule = rules[idx]!;
      expect(rule.help?.text?.length).toBeGreaterThan(20);
      expect(rule.help?.markdown?.length).toBeGreaterThan(20);
      expect(rule.shortDescription?.text?.length).toBeGreaterThan(5);
      expect(rule.helpUri ?? '').toMatch(/^https?:\/\//);
      expect(['error', 'warning', 'note']).toContain(res.level);
    }
  });

  it('results have partialFingerprints, relative URIs with uriBaseId and 1-based regions', async () => {
    const dir = mixedTree();
    const { log } = await sarifOf(dir);
    const run = log.runs[0]!;
    const base = run.originalUriBaseIds?.['%SRCROOT%']?.uri;
    expect(base).toBe(`file://${dir}/`);
    const fps = new Set<string>();
    for (const res of run.results ?? []) {
      const fp = res.partialFingerprints?.primaryLocationLineHash;
      expect(fp).toMatch(/^[0-9a-f]{16}:\d+$/);
      fps.add(fp!);
      const loc = res.locations?.[0]?.physicalLocation;
      expect(loc?.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
      const uri = loc?.artifactLocation?.uri ?? '';
      expect(uri).not.toMatch(/^(file:|\/)/);
      expect(fs.existsSync(path.join(dir, decodeURIComponent(uri)))).toBe(true);
      expect(loc?.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(loc?.region?.startColumn).toBeGreaterThanOrEqual(1);
      expect(res.message.text?.length).toBeGreaterThan(10);
    }
    expect(fps.size).toBe(run.results?.length);
    // A space in a directory name is percent-encoded.
    expect(run.results?.find((r) => r.ruleId === 'syntax')?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('odd%20dir/broken.go');
  });

  it('a file outside the working directory gets an absolute file: URI and no uriBaseId', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const elsewhere = tempTree();
    const r = await check(elsewhere, ['--format', 'sarif', dir]);
    const loc = (JSON.parse(r.stdout) as Sarif.Log).runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    expect(loc).toEqual({ uri: `file://${dir}/app.go` });
  });

  it('fingerprints survive inserting lines above a finding', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const fp = async (): Promise<{ fp?: string; line?: number }> => {
      const { log } = await sarifOf(dir);
      const res = log.runs[0]?.results?.[0];
      return { fp: res?.partialFingerprints?.primaryLocationLineHash, line: res?.locations?.[0]?.physicalLocation?.region?.startLine };
    };
    const a = await fp();
    fs.writeFileSync(path.join(dir, 'app.go'), LOST_CANCEL.replace('import "context"\n', '// Package app does things.\n\nimport "context"\n'));
    const b = await fp();
    expect(a.line).toBe(6);
    expect(b.line).toBe(8);
    expect(b.fp).toBe(a.fp);
  });

  it('a clean run is still a complete SARIF log with the rules and no results', async () => {
    const dir = tempTree({ 'app.go': CLEAN });
    const { code, log } = await sarifOf(dir);
    expect(code).toBe(0);
    expect(log.runs[0]?.results).toEqual([]);
    expect(log.runs[0]?.tool.driver.rules?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('--format github', () => {
  it('prints one workflow annotation per finding, with relative file and position', async () => {
    const dir = mixedTree();
    const r = await check(dir, ['--format', 'github', `${dir}/...`]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(/^::(warning|error) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=leakscope \([\w-]+\)::\S/);
    expect(lines.filter((l) => l.startsWith('::warning file='))).toHaveLength(3);
    expect(lines).toContainEqual(expect.stringMatching(/^::warning file=lc\/lc\.go,line=6,col=7,endLine=6,endColumn=13,title=leakscope \(lost-cancel\)::/));
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=odd dir\/broken\.go,line=6,.*title=leakscope \(syntax\)::/));
    // Messages are single-line: newlines are %0A-escaped.
    for (const l of lines) expect(l).not.toMatch(/\r/);
  });

  it('prints nothing for a clean run', async () => {
    const dir = tempTree({ 'app.go': CLEAN });
    const r = await check(dir, ['--format', 'github', dir]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('-o / --output', () => {
  for (const format of ['text', 'json', 'sarif', 'github', 'gitlab']) {
    it(`writes the ${format} report to the file and nothing to stdout`, async () => {
      const dir = tempTree({ 'src/app.go': LOST_CANCEL });
      const out = tempTree();
      const file = path.join(out, `report.${format}`);
      const direct = await check(dir, ['--format', format, `${dir}/src`]);
      const r = await check(dir, ['--format', format, '-o', file, `${dir}/src`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const written = fs.readFileSync(file, 'utf8');
      expect(written).toMatch(/lost-cancel/);
      expect(fs.readdirSync(out)).toEqual([`report.${format}`]); // no temporary file left
      if (format === 'json' || format === 'sarif' || format === 'gitlab') {
        // Same content as stdout (the text report differs only in its timing line).
        const strip = (s: string): unknown => JSON.parse(s) as unknown;
        expect(strip(written)).toEqual(strip(direct.stdout));
      }
    });
  }

  it('resolves a relative -o path against the working directory and replaces an existing file', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const out = tempTree({ 'r.json': 'old content that is longer than nothing\n' });
    const r = await check(out, ['--format', 'json', '--output', 'r.json', dir]);
    expect(r.code).toBe(1);
    const rep = JSON.parse(fs.readFileSync(path.join(out, 'r.json'), 'utf8')) as { findings: unknown[] };
    expect(rep.findings).toHaveLength(1);
  });

  it('a text report written to a file has no colour even when colour is forced', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const out = tempTree();
    const r = await check(dir, ['-o', path.join(out, 'r.txt'), dir], { isTTY: true, env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    const txt = fs.readFileSync(path.join(out, 'r.txt'), 'utf8');
    expect(txt).toMatch(/\[lost-cancel\]/);
    expect(txt).not.toMatch(ANSI);
  });
});

describe('colour', () => {
  it('text output without a TTY has no ANSI escapes', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const r = await check(dir, [dir], { isTTY: false });
    expect(r.stdout).toMatch(/\[lost-cancel\]/);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toMatch(/^\s+6:7\s+warning\s/m);
  });

  it('FORCE_COLOR=1 without a TTY adds ANSI escapes', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const r = await check(dir, [dir], { isTTY: false, env: { FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(ANSI);
    expect(stripAnsi(r.stdout)).toMatch(/^\s+6:7\s+warning\s+.*\[lost-cancel\]$/m);
  });

  it('a TTY gets colour, unless NO_COLOR is set or --no-color is given; FORCE_COLOR=0 forces nothing', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    expect((await check(dir, [dir], { isTTY: true })).stdout).toMatch(ANSI);
    expect((await check(dir, [dir], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await check(dir, ['--no-color', dir], { isTTY: true })).stdout).not.toMatch(ANSI);
    expect((await check(dir, ['--no-color', dir], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await check(dir, [dir], { env: { FORCE_COLOR: '0' } })).stdout).not.toMatch(ANSI);
    expect((await check(dir, ['--color', dir], { isTTY: false })).stdout).toMatch(ANSI);
  });

  it('machine formats never contain ANSI escapes, even with FORCE_COLOR', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    for (const format of ['json', 'sarif', 'github', 'gitlab']) {
      const r = await check(dir, ['--format', format, dir], { isTTY: true, env: { FORCE_COLOR: '1' } });
      expect(r.stdout, format).not.toMatch(ANSI);
    }
  });
});
