/**
 * The GitHub Action: action.yml is consistent with its script, and the script
 * (action/run.mjs), run locally as the composite action's step runs it, checks a fixture
 * repository with real git history: annotations, SARIF for code scanning, the step
 * outputs and summary, a baseline, new-from-rev, a working directory, and a clear error
 * for an unknown revision. leakscope itself is the built CLI (`LEAKSCOPE_BIN`), as
 * `npx leakscope` would run it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GO_MOD, LOST_CANCEL, REPO_ROOT, removeTempDirs, tempTree, WG_ADD } from '../cli/helpers.js';
import { commit, git, gitInit } from '../support/git.js';
import { GIT_ENV } from '../support/git.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionYml {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
const BIN = path.join(REPO_ROOT, 'bin', 'leakscope.js');

describe('action.yml', () => {
  it('is a composite action that sets up Node and runs the script with every input', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0]!.uses).toMatch(/^actions\/setup-node@v\d+$/);
    const check = action.runs.steps.find((s) => s.id === 'check')!;
    expect(check.run).toBe('node "$GITHUB_ACTION_PATH/action/run.mjs"');
    expect(fs.existsSync(path.join(REPO_ROOT, 'action', 'run.mjs'))).toBe(true);
    // Every INPUT_X the step sets is an input; every input is used somewhere.
    const text = fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
    for (const [k, v] of Object.entries(check.env ?? {})) {
      const name = k.replace(/^INPUT_/, '').toLowerCase().replace(/_/g, '-');
      expect(v).toBe(`\${{ inputs.${name} }}`);
      expect(action.inputs[name], name).toBeDefined();
    }
    for (const name of Object.keys(action.inputs)) expect(text, name).toContain(`inputs.${name}`);
    const script = fs.readFileSync(path.join(REPO_ROOT, 'action', 'run.mjs'), 'utf8');
    for (const k of Object.keys(check.env ?? {})) expect(script, k).toContain(`input('${k.replace(/^INPUT_/, '').toLowerCase().replace(/_/g, '-')}'`);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with?.sarif_file).toBe('${{ steps.check.outputs.sarif-file }}');
    for (const o of Object.values(action.outputs)) expect(o.value).toMatch(/^\$\{\{ steps\.check\.outputs\.[a-z-]+ \}\}$/);
  });
});

interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

function runAction(workspace: string, inputs: Record<string, string>): ActionRun {
  const out = tempTree();
  const outFile = path.join(out, 'output');
  const summaryFile = path.join(out, 'summary');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...GIT_ENV, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summaryFile, LEAKSCOPE_BIN: BIN };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'action', 'run.mjs')], { cwd: workspace, env, encoding: 'utf8' });
  const outputs: Record<string, string> = {};
  if (fs.existsSync(outFile)) {
    for (const line of fs.readFileSync(outFile, 'utf8').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs, summary: fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : '' };
}

const annotations = (s: string): string[] => s.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l)).map((l) => /file=([^,]+),line=(\d+)/.exec(l)!.slice(1, 3).join(':'));

describe('the action script on a repository with history', () => {
  let repo: string;
  let first: string;
  beforeAll(() => {
    repo = tempTree();
    gitInit(repo);
    first = commit(repo, 'service with a lost cancel', { 'svc/go.mod': GO_MOD, 'svc/app/run.go': LOST_CANCEL });
  });
  afterAll(removeTempDirs);

  it('annotates and writes SARIF for the findings, with outputs and a summary', () => {
    const r = runAction(repo, { 'working-directory': 'svc', format: 'github,sarif' });
    expect(r.status).toBe(0); // the action's last step fails the job, not the script
    expect(annotations(r.stdout)).toEqual(['svc/app/run.go:6']);
    expect(r.outputs).toMatchObject({ 'exit-code': '1', findings: '1', 'sarif-file': path.join(repo, 'leakscope.sarif') });
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'leakscope.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.runs[0]!.results.map((x) => `${x.ruleId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}`)).toEqual(['lost-cancel svc/app/run.go']);
    expect(r.summary).toContain('1 finding.');
  });

  it('with a baseline and new-from-rev reports only the leak added later', () => {
    // Accept today's finding in a baseline committed with the service.
    const w = spawnSync(process.execPath, [BIN, 'check', '--write-baseline', 'svc/leakscope-baseline.json', './svc/...'], { cwd: repo, encoding: 'utf8' });
    expect(w.status).toBe(0);
    commit(repo, 'baseline', {});
    commit(repo, 'new leak', { 'svc/app/all.go': WG_ADD });
    const withBaseline = runAction(repo, { 'working-directory': 'svc', baseline: 'leakscope-baseline.json' });
    expect(annotations(withBaseline.stdout)).toEqual(['svc/app/all.go:9']);
    expect(withBaseline.outputs).toMatchObject({ 'exit-code': '1', findings: '1', 'sarif-file': '' });
    expect(withBaseline.summary).toContain('not in the baseline `leakscope-baseline.json`');

    const sinceFirst = runAction(repo, { 'working-directory': 'svc', 'new-from-rev': first });
    expect(annotations(sinceFirst.stdout)).toEqual(['svc/app/all.go:9']);
    const sinceHead = runAction(repo, { 'working-directory': 'svc', 'new-from-rev': git(repo, 'rev-parse', 'HEAD') });
    expect(sinceHead.outputs).toMatchObject({ 'exit-code': '0', findings: '0' });
    expect(annotations(sinceHead.stdout)).toEqual([]);
  });

  it('turns an unknown revision or format into an ::error and exit-code 2', () => {
    const r = runAction(repo, { 'working-directory': 'svc', 'new-from-rev': 'no-such-rev' });
    expect(r.stdout).toMatch(/^::error title=leakscope::--new-from-rev: unknown revision "no-such-rev"/m);
    expect(r.outputs['exit-code']).toBe('2');
    const f = runAction(repo, { format: 'xml' });
    expect(f.stdout).toContain('::error title=leakscope::unknown format "xml"');
    expect(f.outputs['exit-code']).toBe('2');
  });
});
