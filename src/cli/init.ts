/**
 * @fileoverview `leakscope init`: sets a repository up for leakscope in one step. It writes
 * a commented `.leakscope.yaml` (every setting at its default, every rule listed), with
 * `--baseline` a baseline of today's findings, and the CI job for the platform it detects
 * (GitHub Actions: `.github/` or a github.com remote; GitLab CI: `.gitlab-ci.yml` or a
 * gitlab remote), or the one named by `--ci`.
 *
 * It never changes a file the user has: an existing file is left as it is and reported
 * (`--force` replaces files leakscope would write, never `.gitlab-ci.yml`, to which it
 * only suggests an `include`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { analyze } from '../analysis/engine.js';
import { UsageError } from '../go/loader.js';
import { ALL_RULES } from '../rules/index.js';
import { VERSION } from '../version.js';
import { applyAdoption } from './adopt.js';
import type { CliIO } from './main.js';
import { cachedSourceReader } from './output.js';

/** CI platforms `init` writes a job for. */
export type CiPlatform = 'github' | 'gitlab' | 'none';

/** The commented configuration file `init` writes. */
export function configTemplate(): string {
  const width = Math.max(...ALL_RULES.map((r) => r.meta.id.length)) + 2;
  const rules = ALL_RULES.map((r) => {
    const setting = r.meta.enabledByDefault ? r.meta.severity : 'off';
    return `  # ${`${r.meta.id}:`.padEnd(width)} ${setting.padEnd(8)} # ${r.meta.description}`;
  });
  return [
    '# leakscope configuration, written by `leakscope init`. Every setting is optional;',
    '# the commented values are the defaults. Documentation: README.md ("Configuration").',
    '',
    '# Rules: off | on | info | warning | error, or a mapping { enabled: true, severity: warning }.',
    '# Uncomment a line to change a rule; `leakscope rules` lists them with their defaults.',
    'rules:',
    ...rules,
    '',
    '# Files and directories to skip: globs relative to this file.',
    '# exclude:',
    '#   - "**/*.pb.go"',
    '#   - internal/generated/',
    '',
    '# Analyse _test.go files.',
    '# tests: true',
    '',
    '# Extra build tags, as `go build -tags` (GOOS/GOARCH come from the environment).',
    '# build-tags: [integration]',
    '',
    '# Report findings in generated files (// Code generated ... DO NOT EDIT.).',
    '# generated: false',
    '',
    '# leakscope test: goroutines to ignore, by the function on top of their stack or that created them.',
    '# ignore-top:',
    '#   - go.opencensus.io/stats/view.(*worker).start',
    '# ignore-created-by: []',
    '',
  ].join('\n');
}

/** The GitHub Actions workflow `init` writes. */
export function githubWorkflow(baseline: string | undefined): string {
  const lines = [
    '# leakscope: goroutine leaks and deadlocks, written by `leakscope init`.',
    '# Pull requests get annotations on the lines they change; pushes to the default',
    '# branch upload SARIF to code scanning (Security tab). See docs/ci.md of leakscope.',
    'name: leakscope',
    'on:',
    '  pull_request:',
    '  push:',
    '    branches: [main, master]',
    'permissions:',
    '  contents: read',
    '  security-events: write',
    'jobs:',
    '  leakscope:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          fetch-depth: 0 # new-from-rev needs the history',
    `      - uses: leakscope/leakscope@v${VERSION}`,
    '        with:',
    '          paths: ./...',
    "          format: ${{ github.event_name == 'pull_request' && 'github' || 'github,sarif' }}",
    '          new-from-rev: ${{ github.event.pull_request.base.sha }}',
  ];
  if (baseline) lines.push(`          baseline: ${baseline}`);
  return lines.join('\n') + '\n';
}

/** The GitLab CI job `init` writes (a whole `.gitlab-ci.yml`, or a file to include). */
export function gitlabJob(baseline: string | undefined): string {
  const args = ['check', '--format', 'gitlab', '-o', 'gl-code-quality-report.json'];
  if (baseline) args.push('--baseline', baseline);
  return [
    '# leakscope: goroutine leaks and deadlocks, written by `leakscope init`.',
    '# Merge requests show new and fixed findings in the Code Quality widget; see docs/ci.md of leakscope.',
    'leakscope:',
    '  image: node:20',
    '  stage: test',
    '  script:',
    `    - npx --yes leakscope@${VERSION} ${args.join(' ')} ./...`,
    '  artifacts:',
    '    when: always',
    '    reports:',
    '      codequality: gl-code-quality-report.json',
    '',
  ].join('\n');
}

/** Detects the CI platform from the repository's files and its `origin` remote. */
export function detectPlatform(dir: string): CiPlatform {
  if (fs.existsSync(path.join(dir, '.github'))) return 'github';
  if (fs.existsSync(path.join(dir, '.gitlab-ci.yml'))) return 'gitlab';
  const r = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd: dir, encoding: 'utf8' });
  const url = r.status === 0 ? r.stdout.trim() : '';
  if (/github\.com[:/]/i.test(url)) return 'github';
  if (/gitlab/i.test(url)) return 'gitlab';
  return 'none';
}

interface InitOptions {
  ci: 'auto' | CiPlatform;
  baseline?: string | boolean;
  force?: boolean;
}

/** Registers `leakscope init` on `program`; `setCode` receives the exit code. */
export function registerInitCommand(program: Command, io: CliIO, setCode: (code: number) => void): void {
  program
    .command('init')
    .description('set a repository up: a commented .leakscope.yaml, optionally a baseline of today\'s findings, and the CI job')
    .addOption(new Option('--ci <platform>', 'CI job to write (auto: detected from .github/, .gitlab-ci.yml or the origin remote)').choices(['auto', 'github', 'gitlab', 'none']).default('auto'))
    .option('--baseline [file]', 'also record today\'s findings in a baseline (default leakscope-baseline.json) that CI then uses')
    .option('--force', 'replace files leakscope init wrote before')
    .action(async (opts: InitOptions) => {
      setCode(await runInit(opts, io));
    });
}

async function runInit(opts: InitOptions, io: CliIO): Promise<number> {
  const root = io.cwd;
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root}: not a directory`);
  const say = (s: string): void => io.stdout(`${s}\n`);
  const write = (rel: string, text: string): boolean => {
    const abs = path.join(root, rel);
    if (fs.existsSync(abs) && !opts.force) {
      say(`  kept     ${rel} (exists; --force replaces it)`);
      return false;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    say(`  wrote    ${rel}`);
    return true;
  };

  say('leakscope init:');
  write('.leakscope.yaml', configTemplate());

  let baseline: string | undefined;
  if (opts.baseline !== undefined && opts.baseline !== false) {
    baseline = typeof opts.baseline === 'string' ? opts.baseline : 'leakscope-baseline.json';
    const abs = path.resolve(root, baseline);
    if (fs.existsSync(abs) && !opts.force) say(`  kept     ${baseline} (exists; --force replaces it)`);
    else {
      const result = await analyze(['./...'], { cwd: root, env: io.env });
      applyAdoption({ kind: 'check', write: { file: abs, shown: baseline } }, result.findings, cachedSourceReader(), io);
      say(`  wrote    ${baseline} (${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} recorded)`);
    }
  }

  const platform = opts.ci === 'auto' ? detectPlatform(root) : opts.ci;
  if (platform === 'github') {
    write('.github/workflows/leakscope.yml', githubWorkflow(baseline));
  } else if (platform === 'gitlab') {
    if (!fs.existsSync(path.join(root, '.gitlab-ci.yml'))) write('.gitlab-ci.yml', gitlabJob(baseline));
    else {
      write('.gitlab/leakscope.gitlab-ci.yml', gitlabJob(baseline));
      say('  next     add to .gitlab-ci.yml:  include: [{ local: .gitlab/leakscope.gitlab-ci.yml }]');
    }
  } else {
    say('  no CI    no GitHub or GitLab repository detected; use --ci github|gitlab, or see docs/ci.md');
  }
  say(baseline ? `Run "leakscope check --baseline ${baseline}" to see new findings only.` : 'Run "leakscope check" to see the findings.');
  return 0;
}
