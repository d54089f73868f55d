/**
 * The "done means" on a fixture repository with real git history: a baseline is
 * written, a leak added in a later commit is reported alone, a fixed one is listed as
 * gone, and `--new-from-rev` limits the report to the change. Also the bad-input cases:
 * foreign, newer, corrupt baselines and git problems end with exit 2 and a message naming
 * the file or revision.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, checkJson, GO_MOD, removeTempDirs, tempTree, WG_ADD, where } from '../cli/helpers.js';
import { commit, git, gitInit } from '../support/git.js';

/** v1: lost-cancel in Run (line 6), abandoned-sender in Fetch (line 17). */
const V1 = `package app

import "context"

func Run(x bool) error {
	ctx, cancel := context.WithCancel(context.Background())
	if x {
		return nil
	}
	defer cancel()
	return use(ctx)
}

func Fetch(slow func() int) int {
	ch := make(chan int)
	go func() {
		ch <- slow()
	}()
	select {
	case v := <-ch:
		return v
	case <-make(chan struct{}):
		return 0
	}
}

func use(ctx context.Context) error { return ctx.Err() }
`;

/**
 * v2: lines inserted above everything (Run moves down by 6), Fetch fixed with a buffered
 * channel, and a new leak in All (waitgroup-add-in-goroutine).
 */
const V2 = V1.replace('import "context"\n', 'import (\n\t"context"\n\t"sync"\n)\n\n// Version is the release.\nconst Version = "2"\n')
  .replace('ch := make(chan int)', 'ch := make(chan int, 1)')
  .concat('\n', WG_ADD.slice(WG_ADD.indexOf('func All')));

let repo: string;
let c1: string;

beforeAll(() => {
  repo = tempTree();
  gitInit(repo);
  c1 = commit(repo, 'v1', { 'go.mod': GO_MOD, 'app/app.go': V1 });
});
afterAll(removeTempDirs);

describe('a baseline on a repository with history', () => {
  it('records today\'s findings in a stable, sorted, line-free file (exit 0)', async () => {
    const r = await check(repo, ['--write-baseline', 'leakscope-baseline.json', './...']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote leakscope-baseline.json: 2 findings of 2 rules recorded');
    const text = fs.readFileSync(path.join(repo, 'leakscope-baseline.json'), 'utf8');
    const doc = JSON.parse(text) as { leakscope: string; format: number; kind: string; findings: Array<Record<string, unknown>> };
    expect(doc).toMatchObject({ leakscope: 'baseline', format: 1, kind: 'check' });
    expect(doc.findings.map((e) => `${e.file} ${e.function} ${e.rule}`)).toEqual(['app/app.go Fetch abandoned-sender', 'app/app.go Run lost-cancel']);
    expect(doc.findings[1]).toMatchObject({ code: 'ctx, cancel := context.WithCancel(context.Background())' });
    expect(text).not.toMatch(/"line"/);
    // Writing again gives the same bytes.
    await check(repo, ['--write-baseline', 'leakscope-baseline.json', './...']);
    expect(fs.readFileSync(path.join(repo, 'leakscope-baseline.json'), 'utf8')).toBe(text);
    git(repo, 'add', 'leakscope-baseline.json');
    git(repo, 'commit', '-q', '-m', 'baseline');
  });

  it('with nothing changed reports nothing (exit 0)', async () => {
    const r = await checkJson(repo, ['--baseline', 'leakscope-baseline.json', './...']);
    expect(r.code).toBe(0);
    expect(r.report.findings).toEqual([]);
    expect(r.report.notices).toContain('leakscope-baseline.json: 2 known findings not reported, 0 new');
  });

  it('after a later commit reports the new leak alone and lists the fixed one as gone', async () => {
    commit(repo, 'v2: fix Fetch, add All', { 'app/app.go': V2 });
    const all = await checkJson(repo, ['./...']);
    expect(where(all.report)).toEqual(['app/app.go:12 lost-cancel', 'app/app.go:39 waitgroup-add-in-goroutine']);
    const r = await checkJson(repo, ['--baseline', 'leakscope-baseline.json', './...']);
    expect(r.code).toBe(1);
    expect(where(r.report)).toEqual(['app/app.go:39 waitgroup-add-in-goroutine']);
    expect(r.report.notices).toContain('leakscope-baseline.json: 1 known finding not reported, 1 new');
    expect(r.report.notices.some((n) => n.includes('1 baseline entry is no longer found'))).toBe(true);
    expect(r.report.notices).toContain('  gone: abandoned-sender at app/app.go in Fetch: ch <- slow()');
    // The text report says the same.
    const t = await check(repo, ['--baseline', 'leakscope-baseline.json', './...']);
    expect(t.stdout).toContain('waitgroup-add-in-goroutine');
    expect(t.stdout).not.toContain('[lost-cancel]');
    expect(t.stdout).toContain('gone: abandoned-sender at app/app.go in Fetch');
  });

  it('--baseline with --write-baseline drops the gone entry and never adds the new finding', async () => {
    const r = await checkJson(repo, ['--baseline', 'leakscope-baseline.json', '--write-baseline', 'leakscope-baseline.json', './...']);
    expect(r.code).toBe(1);
    expect(where(r.report)).toEqual(['app/app.go:39 waitgroup-add-in-goroutine']);
    const doc = JSON.parse(fs.readFileSync(path.join(repo, 'leakscope-baseline.json'), 'utf8')) as { findings: Array<{ rule: string }> };
    expect(doc.findings.map((e) => e.rule)).toEqual(['lost-cancel']);
    git(repo, 'checkout', '-q', 'leakscope-baseline.json');
  });

  it('--new-from-rev reports only findings on lines changed since the revision', async () => {
    const r = await checkJson(repo, ['--new-from-rev', c1, './...']);
    expect(r.code).toBe(1);
    expect(where(r.report)).toEqual(['app/app.go:39 waitgroup-add-in-goroutine']);
    expect(r.report.notices.some((n) => n.startsWith(`only findings on lines changed since ${c1}`))).toBe(true);
    // Since HEAD nothing changed; an uncommitted edit that removes `defer cancel()` counts.
    expect((await checkJson(repo, ['--new-from-rev', 'HEAD', './...'])).report.findings).toEqual([]);
    const p = path.join(repo, 'app', 'app.go');
    // Deleting `defer cancel()` changes no remaining line of the finding, but its trace
    // (the returns that leave without calling cancel) is next to the deletion.
    fs.writeFileSync(p, V2.replace('\tdefer cancel()\n\treturn use(ctx)', '\treturn use(ctx)'));
    const dirty = await checkJson(repo, ['--new-from-rev', 'HEAD', './...']);
    expect(where(dirty.report)).toEqual(['app/app.go:12 lost-cancel']);
    git(repo, 'checkout', '-q', 'app/app.go');
  });

  it('--new-from-merge-base compares with the fork point of a branch', async () => {
    git(repo, 'checkout', '-q', '-b', 'feature');
    commit(repo, 'feature: new leak', { 'app/extra.go': 'package app\n\nimport "context"\n\nfunc Extra() error {\n\tctx, _ := context.WithCancel(context.Background())\n\treturn ctx.Err()\n}\n' });
    git(repo, 'checkout', '-q', 'main');
    commit(repo, 'main moves on', { 'README.md': 'hello\n' });
    git(repo, 'checkout', '-q', 'feature');
    const r = await checkJson(repo, ['--new-from-merge-base', 'main', './...']);
    expect(where(r.report)).toEqual(['app/extra.go:6 lost-cancel']);
    // Untracked files are new in full.
    fs.writeFileSync(path.join(repo, 'app', 'untracked.go'), 'package app\n\nimport "context"\n\nfunc U() error {\n\tctx, _ := context.WithCancel(context.Background())\n\treturn ctx.Err()\n}\n');
    const u = await checkJson(repo, ['--new-from-rev', 'HEAD', './...']);
    expect(where(u.report)).toEqual(['app/untracked.go:6 lost-cancel']);
    fs.rmSync(path.join(repo, 'app', 'untracked.go'));
    git(repo, 'checkout', '-q', 'main');
  });
});

describe('bad baselines and bad revisions: exit 2 with a message naming the file', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['corrupt JSON', '{"leakscope": "baseline", "format": 1,', /^leakscope: bad\.json: not a leakscope baseline: the file is not valid JSON/],
    ['a foreign JSON file', '{"version": "2.1.0", "runs": []}', /^leakscope: bad\.json: not a leakscope baseline \(expected an object with "leakscope": "baseline"/],
    ['a newer format', '{"leakscope": "baseline", "format": 7, "kind": "check", "findings": []}', /^leakscope: bad\.json: written by a newer leakscope \(baseline format 7; this version reads format 1\): upgrade leakscope/],
    ['a test baseline', '{"leakscope": "baseline", "format": 1, "kind": "test", "findings": []}', /^leakscope: bad\.json: this baseline is for "leakscope test", not "leakscope check"/],
    ['a malformed entry', '{"leakscope": "baseline", "format": 1, "kind": "check", "findings": [{"rule": "x"}]}', /^leakscope: bad\.json: corrupt leakscope baseline: findings\[0\]: "file" must be a string/],
    ['a binary file', '\u0000\u0001\u0002PK', /^leakscope: bad\.json: not a leakscope baseline: the file is not valid JSON/],
  ];
  it.each(cases)('%s', async (_name, content, message) => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'a.go': V1, 'bad.json': content });
    const r = await check(dir, ['--baseline', 'bad.json', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(path.join(dir, 'bad.json'), 'utf8')).toBe(content);
  });

  it('a missing baseline file', async () => {
    const dir = tempTree({ 'a.go': V1 });
    const r = await check(dir, ['--baseline', 'nope.json', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('leakscope: nope.json: baseline file not found (create it with --write-baseline nope.json)\n');
  });

  it('--new-from-rev outside a git repository', async () => {
    const dir = tempTree({ 'a.go': V1 });
    const r = await check(dir, ['--new-from-rev', 'HEAD~1', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`leakscope: --new-from-rev needs a git repository, and ${dir} is not inside one\n`);
  });

  it('--new-from-rev with an unknown revision, and --new-from-merge-base with an unknown branch', async () => {
    const r = await check(repo, ['--new-from-rev', 'no-such-rev', './...']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`leakscope: --new-from-rev: unknown revision "no-such-rev" in ${fs.realpathSync(repo)}\n`);
    const m = await check(repo, ['--new-from-merge-base', 'no-such-branch', './...']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--new-from-merge-base: unknown branch or revision "no-such-branch"');
    const opt = await check(repo, ['--new-from-rev', '--output=x', './...']);
    expect(opt.code).toBe(2);
  });

  it('an unwritable --write-baseline path is refused before the analysis', async () => {
    const r = await check(repo, ['--write-baseline', 'no/such/dir/b.json', './...']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('leakscope: no/such/dir/b.json: cannot write the baseline file: directory no/such/dir does not exist\n');
    const d = await check(repo, ['--write-baseline', 'app', './...']);
    expect(d.stderr).toBe('leakscope: app: is a directory, not a baseline file\n');
  });

  it('conflicting options are usage errors', async () => {
    expect((await check(repo, ['--new-from-rev', 'HEAD', '--new-from-merge-base', 'main'])).stderr).toContain('either --new-from-rev or --new-from-merge-base');
    expect((await check(repo, ['--new-from-rev', 'HEAD', '--write-baseline', 'x.json'])).code).toBe(2);
  });
});
