/**
 * @fileoverview End-to-end tests of `leakscope check` and `leakscope rules`: exit codes,
 * rule selection, severity threshold, `--tests`, configuration discovery and suppression,
 * run in-process through `execute` with a capturing io, plus one run of the compiled
 * `bin/leakscope.js` on the bundled examples (the README quick start).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/rules/index.js';
import { VERSION } from '../../src/version.js';
import {
  ABANDONED_SENDER,
  check,
  checkJson,
  CLEAN,
  DISCARDED_CANCEL,
  DISCARDED_CANCEL_LINE,
  GO_MOD,
  hasStackTrace,
  LOST_CANCEL,
  removeTempDirs,
  REPO_ROOT,
  run,
  tempTree,
  WG_ADD,
  where,
} from './helpers.js';

afterEach(removeTempDirs);

/** A tree with one finding per rule, in separate packages. */
function allRulesTree(): string {
  return tempTree({
    'go.mod': GO_MOD,
    'lc/lc.go': LOST_CANCEL,
    'as/as.go': ABANDONED_SENDER,
    'wg/wg.go': WG_ADD,
  });
}

const ALL_FINDINGS = ['as/as.go:8 abandoned-sender', 'lc/lc.go:6 lost-cancel', 'wg/wg.go:9 waitgroup-add-in-goroutine'];

describe('exit codes', () => {
  it('exits 0 on a clean package and says so', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'app.go': CLEAN });
    const r = await check(dir, [dir]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('No problems found.');
    expect(r.stdout).toMatch(/Checked 1 file in 1 package/);
    expect(r.code).toBe(0);
  });

  it('exits 1 with findings and prints rule id and file:line', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'app.go': LOST_CANCEL });
    const r = await check(dir, [dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^app\.go$/m);
    expect(r.stdout).toMatch(/^\s+6:7\s+warning\s+.*"cancel".*\[lost-cancel\]$/m);
    expect(r.stdout).toContain('1 problem (0 errors, 1 warning, 0 info) in 1 file');
  });

  it('finds each of the three rules in its own package', async () => {
    const dir = allRulesTree();
    const { code, report } = await checkJson(dir, [`${dir}/...`]);
    expect(where(report)).toEqual(ALL_FINDINGS);
    expect(code).toBe(1);
  });

  it('accepts a single .go file as the target', async () => {
    const dir = tempTree({ 'a.go': LOST_CANCEL, 'b.go': DISCARDED_CANCEL });
    const { code, report } = await checkJson(dir, [path.join(dir, 'b.go')]);
    expect(where(report)).toEqual([`b.go:${DISCARDED_CANCEL_LINE} lost-cancel`]);
    expect(code).toBe(1);
  });

  it('--help and check --help exit 0 and print usage on stdout', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: leakscope/);
    expect(top.stdout).toContain('check');
    expect(top.stdout).toContain('rules');
    const sub = await run(['check', '--help']);
    expect(sub.code).toBe(0);
    for (const flag of ['--format', '--rule', '--disable', '--severity', '--config', '--no-config', '--tests', '--report-unused-ignores', '--output']) {
      expect(sub.stdout).toContain(flag);
    }
  });

  it('--version and -v print the version and exit 0', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(VERSION);
    }
  });

  it('no arguments prints the help and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/Usage: leakscope/);
  });

  /** Usage errors: exit 2, a short message naming the problem, no stack trace. */
  const usageCases: Array<[string, (dir: string) => string[], RegExp]> = [
    ['unknown flag', (d) => ['check', '--bogus', d], /unknown option '--bogus'/],
    ['unknown format', (d) => ['check', '--format', 'xml', d], /xml/],
    ['unknown rule id in --rule', (d) => ['check', '--rule', 'lost-cancle', d], /unknown rule "lost-cancle"/],
    ['unknown rule id in --disable', (d) => ['check', '--disable', 'nope', d], /unknown rule "nope"/],
    ['missing path', (d) => ['check', path.join(d, 'does-not-exist')], /does-not-exist: no such file or directory/],
    ['bad --tests value', (d) => ['check', '--tests=maybe', d], /--tests expects true or false, got "maybe"/],
    ['bad --severity value', (d) => ['check', '--severity', 'fatal', d], /fatal/],
    ['unknown command', () => ['chek'], /unknown command 'chek'/],
    ['non-Go file target', (d) => ['check', path.join(d, 'notes.txt')], /notes\.txt: not a \.go file or directory/],
  ];
  for (const [name, argv, message] of usageCases) {
    it(`exits 2 on ${name} with a short message on stderr and no stack trace`, async () => {
      const dir = tempTree({ 'app.go': LOST_CANCEL, 'notes.txt': 'hello\n' });
      const r = await run(argv(dir), { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(message);
      // The message itself is one line; commander may add parenthesised hints after it
      // ("(Did you mean check?)", "(run "leakscope --help" for usage)").
      for (const hint of lines.slice(1)) expect(hint).toMatch(/^\(.*\)$/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    });
  }
});

describe('targets', () => {
  it('a directory with no Go files exits 0 and says so', async () => {
    const dir = tempTree({ 'docs/README.md': '# nothing here\n' });
    const r = await check(dir, [path.join(dir, 'docs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no Go files in .*docs/);
    const j = await checkJson(dir, [path.join(dir, 'docs')]);
    expect(j.code).toBe(0);
    expect(j.report.findings).toEqual([]);
    expect(j.report.notices.join('\n')).toMatch(/no Go files/);
    expect(j.stderr).toMatch(/no Go files/);
  });

  it('a directory without Go files of its own checks the tree below it', async () => {
    const dir = tempTree({ 'sub/pkg/app.go': LOST_CANCEL });
    const { code, report } = await checkJson(dir, [dir]);
    expect(where(report)).toEqual(['sub/pkg/app.go:6 lost-cancel']);
    expect(report.notices.join('\n')).toMatch(/has no Go files of its own/);
    expect(code).toBe(1);
  });

  it('dir/... skips vendor, testdata and dot/underscore directories', async () => {
    const dir = tempTree({
      'app.go': CLEAN,
      'vendor/x/x.go': LOST_CANCEL,
      'testdata/x.go': LOST_CANCEL,
      '.hidden/x.go': LOST_CANCEL,
      '_old/x.go': LOST_CANCEL,
      'real/x.go': LOST_CANCEL,
    });
    const { report } = await checkJson(dir, [`${dir}/...`]);
    expect(where(report)).toEqual(['real/x.go:6 lost-cancel']);
  });

  it('honours //go:build ignore', async () => {
    const dir = tempTree({ 'tool.go': `//go:build ignore\n\n${LOST_CANCEL}`, 'app.go': CLEAN });
    const { code, report } = await checkJson(dir, [dir]);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('rule selection and severity', () => {
  it('--rule restricts to the named rules (comma-separated and repeated)', async () => {
    const dir = allRulesTree();
    const one = await checkJson(dir, ['--rule', 'lost-cancel', `${dir}/...`]);
    expect(where(one.report)).toEqual(['lc/lc.go:6 lost-cancel']);
    expect(one.code).toBe(1);
    const two = await checkJson(dir, ['--rule', 'lost-cancel,abandoned-sender', `${dir}/...`]);
    expect(where(two.report)).toEqual(['as/as.go:8 abandoned-sender', 'lc/lc.go:6 lost-cancel']);
    const repeated = await checkJson(dir, ['--rule', 'waitgroup-add-in-goroutine', '--rule', 'abandoned-sender', `${dir}/...`]);
    expect(where(repeated.report)).toEqual(['as/as.go:8 abandoned-sender', 'wg/wg.go:9 waitgroup-add-in-goroutine']);
  });

  it('--rule on a rule with no findings exits 0', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const r = await checkJson(dir, ['--rule', 'abandoned-sender', dir]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('--disable removes a rule', async () => {
    const dir = allRulesTree();
    const r = await checkJson(dir, ['--disable', 'lost-cancel', `${dir}/...`]);
    expect(where(r.report)).toEqual(['as/as.go:8 abandoned-sender', 'wg/wg.go:9 waitgroup-add-in-goroutine']);
    // blocked-forever reports the abandoned sender itself when abandoned-sender is off.
    const all = await checkJson(dir, ['--disable', 'lost-cancel,abandoned-sender,blocked-forever', '--disable', 'waitgroup-add-in-goroutine', `${dir}/...`]);
    expect(all.report.findings).toEqual([]);
    expect(all.code).toBe(0);
  });

  it('--severity error hides warnings and then exits 0; --severity warning keeps them', async () => {
    const dir = allRulesTree();
    const err = await check(dir, ['--severity', 'error', `${dir}/...`]);
    expect(err.stdout).not.toMatch(/\[(lost-cancel|abandoned-sender|waitgroup-add-in-goroutine)\]/);
    expect(err.stdout).toContain('No problems found.');
    expect(err.code).toBe(0);
    const warn = await checkJson(dir, ['--severity', 'warning', `${dir}/...`]);
    expect(where(warn.report)).toEqual(ALL_FINDINGS);
    expect(warn.code).toBe(1);
  });

  it('--tests=false skips _test.go files; the default and --tests true include them', async () => {
    const dir = tempTree({ 'app.go': CLEAN, 'app_test.go': LOST_CANCEL });
    const dflt = await checkJson(dir, [dir]);
    expect(where(dflt.report)).toEqual(['app_test.go:6 lost-cancel']);
    expect(dflt.code).toBe(1);
    const on = await checkJson(dir, ['--tests', 'true', dir]);
    expect(on.code).toBe(1);
    const off = await checkJson(dir, ['--tests=false', dir]);
    expect(off.report.findings).toEqual([]);
    expect(off.code).toBe(0);
    const offSpaced = await checkJson(dir, ['--tests', 'false', dir]);
    expect(offSpaced.code).toBe(0);
  });
});

describe('configuration', () => {
  it('--config with an explicit file turns a rule off', async () => {
    const dir = allRulesTree();
    fs.writeFileSync(path.join(dir, 'custom.yaml'), 'rules:\n  lost-cancel: off\n');
    const r = await checkJson(dir, ['--config', path.join(dir, 'custom.yaml'), `${dir}/...`]);
    expect(where(r.report)).toEqual(['as/as.go:8 abandoned-sender', 'wg/wg.go:9 waitgroup-add-in-goroutine']);
  });

  it('finds .leakscope.yaml upward from the target (rule off)', async () => {
    const dir = allRulesTree();
    fs.writeFileSync(path.join(dir, '.leakscope.yaml'), 'rules:\n  lost-cancel: off\n');
    const r = await checkJson(dir, [path.join(dir, 'lc')]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
    const other = await checkJson(dir, [path.join(dir, 'wg')]);
    expect(where(other.report)).toEqual(['wg/wg.go:9 waitgroup-add-in-goroutine']);
  });

  it('a config severity change is applied and interacts with --severity', async () => {
    const dir = allRulesTree();
    fs.writeFileSync(path.join(dir, '.leakscope.yaml'), 'rules:\n  lost-cancel: error\n  abandoned-sender:\n    severity: info\n');
    const all = await checkJson(dir, [`${dir}/...`]);
    expect(all.report.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual([
      'abandoned-sender:info',
      'lost-cancel:error',
      'waitgroup-add-in-goroutine:warning',
    ]);
    const errorsOnly = await checkJson(dir, ['--severity', 'error', `${dir}/...`]);
    expect(where(errorsOnly.report)).toEqual(['lc/lc.go:6 lost-cancel']);
    expect(errorsOnly.code).toBe(1);
  });

  it('exclude globs in the config leave files and directories out', async () => {
    const dir = tempTree({
      '.leakscope.yaml': 'exclude:\n  - gen/\n  - "**/*_gen.go"\n',
      'app.go': CLEAN,
      'gen/x.go': LOST_CANCEL,
      'pkg/y_gen.go': LOST_CANCEL,
      'pkg/y.go': DISCARDED_CANCEL,
    });
    const r = await checkJson(dir, [`${dir}/...`]);
    expect(where(r.report)).toEqual([`pkg/y.go:${DISCARDED_CANCEL_LINE} lost-cancel`]);
  });

  // `tests: false` in .leakscope.yaml applies when --tests is not given.
  it('tests: false in the config skips _test.go files', async () => {
    const dir = tempTree({ '.leakscope.yaml': 'tests: false\n', 'app.go': CLEAN, 'app_test.go': LOST_CANCEL });
    const r = await checkJson(dir, [dir]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('--tests true includes _test.go files even with tests: false in the config', async () => {
    const dir = tempTree({ '.leakscope.yaml': 'tests: false\n', 'app.go': CLEAN, 'app_test.go': LOST_CANCEL });
    expect(where((await checkJson(dir, ['--tests', 'true', dir])).report)).toEqual(['app_test.go:6 lost-cancel']);
  });

  it('--no-config ignores the discovered config', async () => {
    const dir = allRulesTree();
    fs.writeFileSync(path.join(dir, '.leakscope.yaml'), 'rules:\n  lost-cancel: off\nexclude:\n  - wg\n');
    const withConfig = await checkJson(dir, [`${dir}/...`]);
    expect(where(withConfig.report)).toEqual(['as/as.go:8 abandoned-sender']);
    const r = await checkJson(dir, ['--no-config', `${dir}/...`]);
    expect(where(r.report)).toEqual(ALL_FINDINGS);
  });

  it('--rule wins over a config that turns the rule off', async () => {
    const dir = allRulesTree();
    fs.writeFileSync(path.join(dir, '.leakscope.yaml'), 'rules:\n  lost-cancel: off\n');
    const r = await checkJson(dir, ['--rule', 'lost-cancel', `${dir}/...`]);
    expect(where(r.report)).toEqual(['lc/lc.go:6 lost-cancel']);
  });

  const badConfigs: Array<[string, string, RegExp]> = [
    ['an unknown top-level key', 'rulez:\n  lost-cancel: off\n', /\.leakscope\.yaml:1:1: unknown key "rulez".*did you mean "rules"/],
    ['an unknown rule id', 'rules:\n  lost-cancle: off\n', /\.leakscope\.yaml:2:\d+: unknown rule "lost-cancle".*lost-cancel/],
    ['an invalid severity', 'rules:\n  lost-cancel:\n    severity: fatal\n', /\.leakscope\.yaml:3:\d+: .*severity/],
    ['malformed YAML', 'rules: [unclosed\n', /\.leakscope\.yaml/],
  ];
  for (const [name, yaml, message] of badConfigs) {
    it(`exits 2 on a config with ${name}, naming file:line, without a stack trace`, async () => {
      const dir = tempTree({ '.leakscope.yaml': yaml, 'app.go': LOST_CANCEL });
      const r = await check(dir, [dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(hasStackTrace(r.stderr)).toBe(false);
    });
  }

  it('an invalid config is ignored with --no-config', async () => {
    const dir = tempTree({ '.leakscope.yaml': 'rulez: 1\n', 'app.go': LOST_CANCEL });
    const r = await check(dir, ['--no-config', dir]);
    expect(r.code).toBe(1);
  });

  it('--config naming a missing file exits 2 with a one-line message', async () => {
    const dir = tempTree({ 'app.go': LOST_CANCEL });
    const r = await check(dir, ['--config', path.join(dir, 'missing.yaml'), dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leakscope: .*missing\.yaml: config file not found\n$/);
  });
});

describe('suppression', () => {
  /** LOST_CANCEL with `line` inserted before 1-based line `at` (or appended to it when `trailing`). */
  function withDirective(directive: string, at: number, trailing = false): string {
    const lines = LOST_CANCEL.split('\n');
    if (trailing) lines[at - 1] += ` ${directive}`;
    else lines.splice(at - 1, 0, directive);
    return lines.join('\n');
  }

  it('an ignore on the finding line suppresses it', async () => {
    const dir = tempTree({ 'app.go': withDirective('//leakscope:ignore lost-cancel the caller cancels the parent', 6, true) });
    const r = await checkJson(dir, [dir]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('an ignore on the line above suppresses it', async () => {
    const dir = tempTree({ 'app.go': withDirective('\t//leakscope:ignore lost-cancel the caller cancels the parent', 6) });
    const r = await checkJson(dir, [dir]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it("another linter's directive for the check a rule repeats suppresses it (go vet's lostcancel); one for another linter does not", async () => {
    const vet = tempTree({ 'app.go': withDirective('//nolint:govet // the caller cancels the parent', 6, true) });
    const r = await checkJson(vet, [vet]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
    const other = tempTree({ 'app.go': withDirective('//nolint:errcheck // not the same check', 6, true) });
    expect(where((await checkJson(other, [other, '--report-unused-ignores'])).report)).toEqual(['app.go:6 lost-cancel']);
    // golangci-lint also takes `// nolint` with a space (it trims leading `/` and spaces).
    const spaced = tempTree({ 'app.go': withDirective('// nolint: govet, errcheck // the caller cancels the parent', 6, true) });
    expect((await checkJson(spaced, [spaced])).report.findings).toEqual([]);
  });

  it('an ignore for another rule, or on an unrelated line, does not suppress', async () => {
    const other = tempTree({ 'app.go': withDirective('//leakscope:ignore abandoned-sender not this rule', 6, true) });
    expect(where((await checkJson(other, [other])).report)).toEqual(['app.go:6 lost-cancel']);
    const far = tempTree({ 'app.go': withDirective('\t//leakscope:ignore lost-cancel wrong line', 8) });
    // Inserted above line 8, the finding stays at line 6.
    expect(where((await checkJson(far, [far])).report)).toEqual(['app.go:6 lost-cancel']);
  });

  it('an ignore without a reason is reported as `suppression` and does not suppress', async () => {
    const dir = tempTree({ 'app.go': withDirective('//leakscope:ignore lost-cancel', 6, true) });
    const r = await checkJson(dir, [dir]);
    expect(where(r.report)).toEqual(['app.go:6 lost-cancel', 'app.go:6 suppression'].sort());
    const s = r.report.findings.find((f) => f.ruleId === 'suppression');
    expect(s?.message).toMatch(/missing a reason/);
    expect(r.code).toBe(1);
  });

  it('an ignore naming an unknown rule is reported with a suggestion', async () => {
    const dir = tempTree({ 'app.go': withDirective('//leakscope:ignore lost-cancle typo in the id', 6, true) });
    const r = await checkJson(dir, [dir]);
    const s = r.report.findings.find((f) => f.ruleId === 'suppression');
    expect(s?.message).toMatch(/unknown rule id "lost-cancle".*lost-cancel/);
    expect(r.report.findings.some((f) => f.ruleId === 'lost-cancel')).toBe(true);
  });

  it('--report-unused-ignores reports a directive that suppresses nothing, only when asked', async () => {
    const src = CLEAN.replace('func Fetch() int {', '//leakscope:ignore lost-cancel left over from an old version\nfunc Fetch() int {');
    const dir = tempTree({ 'app.go': src });
    const quiet = await checkJson(dir, [dir]);
    expect(quiet.report.findings).toEqual([]);
    expect(quiet.code).toBe(0);
    const loud = await checkJson(dir, ['--report-unused-ignores', dir]);
    expect(loud.report.findings).toHaveLength(1);
    expect(loud.report.findings[0]).toMatchObject({ ruleId: 'suppression', severity: 'info', line: 18 });
    expect(loud.report.findings[0]?.message).toMatch(/unused .*ignore/);
    expect(loud.code).toBe(1);
  });

  it('--report-unused-ignores does not report a directive that was used', async () => {
    const dir = tempTree({ 'app.go': withDirective('//leakscope:ignore lost-cancel the caller cancels the parent', 6, true) });
    const r = await checkJson(dir, ['--report-unused-ignores', dir]);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('//leakscope:file-ignore suppresses the rule in the whole file only', async () => {
    const dir = tempTree({
      'a.go': `//leakscope:file-ignore lost-cancel generated code\n${LOST_CANCEL}`,
      'b.go': DISCARDED_CANCEL,
    });
    const r = await checkJson(dir, [dir]);
    expect(where(r.report)).toEqual([`b.go:${DISCARDED_CANCEL_LINE} lost-cancel`]);
  });

  it('a file-ignore without a reason is reported and does not suppress', async () => {
    const dir = tempTree({ 'a.go': `//leakscope:file-ignore lost-cancel\n${LOST_CANCEL}` });
    const r = await checkJson(dir, [dir]);
    expect(where(r.report)).toEqual(['a.go:1 suppression', 'a.go:7 lost-cancel']);
  });
});

describe('leakscope rules', () => {
  const IDS = ALL_RULES.map((r) => r.meta.id).sort();

  it('lists every registered rule', async () => {
    const r = await run(['rules']);
    expect(r.code).toBe(0);
    const ids = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect([...ids].sort()).toEqual(IDS);
  });

  it('rules --json parses and carries id, severity, description and docs', async () => {
    const r = await run(['rules', '--json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; severity: string; description: string; docsUrl: string }>;
    expect(rules.map((x) => x.id).sort()).toEqual(IDS);
    for (const x of rules) {
      expect(['info', 'warning', 'error']).toContain(x.severity);
      expect(x.description.length).toBeGreaterThan(10);
      expect(x.docsUrl).toMatch(/^https?:\/\//);
    }
  });
});

describe('version', () => {
  it('VERSION in src/version.ts equals package.json version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('CliIO.cwd', () => {
  // Relative targets, --config and config discovery resolve against io.cwd.
  it('resolves relative targets against io.cwd', async () => {
    const dir = tempTree({ 'pkg/app.go': LOST_CANCEL });
    const r = await check(dir, ['--format', 'json', 'pkg']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });
});

describe('compiled CLI on the bundled examples (README quick start)', () => {
  const bin = path.join(REPO_ROOT, 'bin', 'leakscope.js');
  const distMain = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

  it('node bin/leakscope.js check examples prints the documented findings (examples/README.md) and exits 1', () => {
    expect(fs.existsSync(distMain), 'dist/ is missing: run `npm run build` first (npm test does)').toBe(true);
    const p = spawnSync(process.execPath, [bin, 'check', 'examples'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: Object.fromEntries([...Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR'), ['NO_COLOR', '1']]),
      timeout: 60_000,
    });
    expect(p.error).toBeUndefined();
    expect(p.stderr).toBe('');
    expect(p.status).toBe(1);
    // From examples/README.md.
    const found = [...p.stdout.matchAll(/^(\S+\.go)$|^\s+(\d+):\d+\s+\w+\s+.*\[([\w-]+)\]$/gm)];
    const list: string[] = [];
    let file = '';
    for (const m of found) {
      if (m[1]) file = m[1];
      else list.push(`${file}:${m[2]} ${m[3]}`);
    }
    expect(list).toEqual([
      'examples/abandonedsender/main.go:29 abandoned-sender',
      'examples/abandonedsender/main.go:50 abandoned-sender',
      'examples/blockedreceive/main.go:16 blocked-receive',
      'examples/doublelock/main.go:30 double-lock',
      'examples/forselect/main.go:19 select-without-exit',
      'examples/forselect/main.go:23 time-after-in-loop',
      'examples/leakydemo/main.go:43 global-registry-growth',
      'examples/leakydemo/main.go:62 abandoned-sender',
      'examples/lostcancel/main.go:18 lost-cancel',
      'examples/lostcancel/main.go:34 lost-cancel',
      'examples/rangeclose/main.go:25 range-never-closed',
      'examples/waitgroup/main.go:32 waitgroup-add-in-goroutine',
      'examples/waitgroup/main.go:53 waitgroup-add-in-goroutine',
    ]);
    expect(p.stdout).not.toMatch(/examples\/clean/);
    expect(p.stdout).toContain('13 problems');
  });
});

describe('which files are analysed: build constraints and generated code', () => {
  it('twins behind build tags are analysed for the default configuration only; --tags switches', async () => {
    const withTag = (tag: string, src: string): string => `//go:build ${tag}\n\n${src}`;
    const dir = tempTree({
      'go.mod': GO_MOD,
      'on.go': withTag('cluster_proxy', LOST_CANCEL),
      'off.go': withTag('!cluster_proxy', LOST_CANCEL.replace('func Run(', 'func Run(')),
      'win_windows.go': LOST_CANCEL.replace('func Run(', 'func RunWindows('),
    });
    const plain = await checkJson(dir, [dir, '--rule', 'lost-cancel']);
    expect(where(plain.report)).toEqual(['off.go:8 lost-cancel']);
    const tagged = await checkJson(dir, [dir, '--rule', 'lost-cancel', '--tags', 'cluster_proxy']);
    expect(where(tagged.report)).toEqual(['on.go:8 lost-cancel']);
    const windows = await run(['check', '-f', 'json', dir, '--rule', 'lost-cancel'], { cwd: dir, env: { GOOS: 'windows' } });
    expect((JSON.parse(windows.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file).sort()).toEqual(['off.go', 'win_windows.go']);
  });

  it('findings in generated files are not reported unless --include-generated', async () => {
    const dir = tempTree({ 'go.mod': GO_MOD, 'gen.go': `// Code generated by mockgen. DO NOT EDIT.\n\n${LOST_CANCEL}` });
    const r = await checkJson(dir, [dir, '--rule', 'lost-cancel']);
    expect(r.report.findings).toEqual([]);
    expect(r.code).toBe(0);
    const all = await checkJson(dir, [dir, '--rule', 'lost-cancel', '--include-generated']);
    expect(where(all.report)).toEqual(['gen.go:8 lost-cancel']);
  });
});
