/**
 * `leakscope init`: the commented configuration loads and changes nothing, the baseline
 * records today's findings, the CI job matches the detected platform, and files the user
 * has are never changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/analysis/config.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { VERSION } from '../../src/version.js';
import { check, GO_MOD, LOST_CANCEL, removeTempDirs, run, tempTree } from '../cli/helpers.js';
import { git, gitInit } from '../support/git.js';

afterAll(removeTempDirs);

describe('leakscope init', () => {
  it('writes a commented config that loads and keeps every default, a baseline, and a GitHub workflow', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'app/app.go': LOST_CANCEL, '.github/CODEOWNERS': '* @me\n' });
    const r = await run(['init', '--baseline'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote    .leakscope.yaml');
    expect(r.stdout).toContain('wrote    leakscope-baseline.json (1 finding recorded)');
    expect(r.stdout).toContain('wrote    .github/workflows/leakscope.yml');

    const cfg = loadConfig(path.join(dir, '.leakscope.yaml'), new Set(ALL_RULES.map((x) => x.meta.id)));
    expect(cfg.rules).toEqual({});
    expect(cfg.exclude).toEqual([]);
    const text = fs.readFileSync(path.join(dir, '.leakscope.yaml'), 'utf8');
    for (const rule of ALL_RULES) expect(text).toContain(`# ${rule.meta.id}:`);
    // Uncommenting a rule line gives a valid setting.
    const edited = text.replace('  # chan-direction: ', '  chan-direction: ').replace(/(chan-direction: +)off/, '$1warning');
    fs.writeFileSync(path.join(dir, '.leakscope.yaml'), edited);
    expect(loadConfig(path.join(dir, '.leakscope.yaml'), new Set(ALL_RULES.map((x) => x.meta.id))).rules['chan-direction']).toEqual({ enabled: true, severity: 'warning' });

    const wf = parse(fs.readFileSync(path.join(dir, '.github/workflows/leakscope.yml'), 'utf8')) as { jobs: { leakscope: { steps: Array<{ uses: string; with?: Record<string, string | number> }> } } };
    const steps = wf.jobs.leakscope.steps;
    expect(steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(steps[1]!.uses).toBe(`leakscope/leakscope@v${VERSION}`);
    expect(steps[1]!.with).toMatchObject({ baseline: 'leakscope-baseline.json', 'new-from-rev': '${{ github.event.pull_request.base.sha }}' });

    // The baseline written by init is the one check uses.
    expect((await check(dir, ['--baseline', 'leakscope-baseline.json', './...'])).code).toBe(0);
  });

  it('never changes existing files unless --force, and writes a GitLab job to include', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'app/app.go': LOST_CANCEL, '.leakscope.yaml': 'tests: false\n', '.gitlab-ci.yml': 'stages: [test]\n' });
    const r = await run(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kept     .leakscope.yaml (exists; --force replaces it)');
    expect(r.stdout).toContain('wrote    .gitlab/leakscope.gitlab-ci.yml');
    expect(r.stdout).toContain('include: [{ local: .gitlab/leakscope.gitlab-ci.yml }]');
    expect(fs.readFileSync(path.join(dir, '.leakscope.yaml'), 'utf8')).toBe('tests: false\n');
    expect(fs.readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8')).toBe('stages: [test]\n');
    const job = parse(fs.readFileSync(path.join(dir, '.gitlab/leakscope.gitlab-ci.yml'), 'utf8')) as { leakscope: { script: string[]; artifacts: { reports: { codequality: string } } } };
    expect(job.leakscope.script[0]).toContain('check --format gitlab -o gl-code-quality-report.json');
    expect(job.leakscope.artifacts.reports.codequality).toBe('gl-code-quality-report.json');

    const f = await run(['init', '--force'], { cwd: dir });
    expect(f.stdout).toContain('wrote    .leakscope.yaml');
    expect(fs.readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8')).toBe('stages: [test]\n');
  });

  it('detects the platform from the origin remote, or writes no CI job', async () => {
    const gl = tempTree({ 'go.mod': GO_MOD });
    gitInit(gl);
    git(gl, 'remote', 'add', 'origin', 'git@gitlab.example.com:team/svc.git');
    expect((await run(['init'], { cwd: gl })).stdout).toContain('wrote    .gitlab-ci.yml');
    const none = tempTree({ 'go.mod': GO_MOD });
    const r = await run(['init'], { cwd: none });
    expect(r.stdout).toContain('no CI    no GitHub or GitLab repository detected');
    expect(fs.readdirSync(none).sort()).toEqual(['.leakscope.yaml', 'go.mod']);
    const gh = await run(['init', '--ci', 'github'], { cwd: none });
    expect(gh.stdout).toContain('wrote    .github/workflows/leakscope.yml');
    expect((await run(['init', '--ci', 'bitbucket'], { cwd: none })).code).toBe(2);
  });
});
