/**
 * The pre-commit hook definitions (.pre-commit-hooks.yaml): run as pre-commit runs them
 * (entry + args, no file names, in the repository root) on a repository with a staged
 * change, they report only the findings on the lines being committed, including in a
 * repository that has no commit yet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DISCARDED_CANCEL, GO_MOD, LOST_CANCEL, REPO_ROOT, removeTempDirs, run, tempTree } from '../cli/helpers.js';
import { commit, git, gitInit } from '../support/git.js';

interface Hook {
  id: string;
  entry: string;
  args?: string[];
  language: string;
  types?: string[];
  pass_filenames?: boolean;
}

const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

afterAll(removeTempDirs);

/** Runs a hook's command line in `dir` through the CLI (the entry's first word is leakscope). */
async function runHook(hook: Hook, dir: string): Promise<{ code: number; stdout: string }> {
  const [bin, ...rest] = hook.entry.split(/\s+/);
  expect(bin).toBe('leakscope');
  const r = await run([...rest, '--format', 'json', ...(hook.args ?? [])], { cwd: dir });
  return { code: r.code, stdout: r.stdout };
}

const found = (stdout: string): string[] => (JSON.parse(stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> }).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

describe('.pre-commit-hooks.yaml', () => {
  it('defines the node hook and the system hook for Go files, without file names', () => {
    expect(hooks.map((h) => [h.id, h.language])).toEqual([
      ['leakscope', 'node'],
      ['leakscope-system', 'system'],
    ]);
    for (const h of hooks) {
      expect(h.types).toEqual(['go']);
      expect(h.pass_filenames).toBe(false);
    }
    // language: node installs this repository's package: its bin must be leakscope.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain('leakscope');
  });

  it.each(hooks.map((h) => [h.id, h] as const))('%s reports only the staged change', async (_id, hook) => {
    const dir = tempTree();
    gitInit(dir);
    commit(dir, 'old leak', { 'go.mod': GO_MOD, 'app/run.go': LOST_CANCEL });
    fs.writeFileSync(path.join(dir, 'app', 'poll.go'), DISCARDED_CANCEL);
    git(dir, 'add', 'app/poll.go');
    const r = await runHook(hook, dir);
    expect(r.code).toBe(1);
    expect(found(r.stdout)).toEqual(['app/poll.go:9 lost-cancel']);
  });

  it('works before the first commit (everything staged is new)', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'app/run.go': LOST_CANCEL });
    gitInit(dir);
    git(dir, 'add', '-A');
    const r = await runHook(hooks[0]!, dir);
    expect(found(r.stdout)).toEqual(['app/run.go:6 lost-cancel']);
  });
});
