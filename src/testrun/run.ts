/**
 * @fileoverview The `leakscope test` driver: lists the packages (`go list -json`),
 * injects the leak check through `go test -overlay`, runs `go test -json` once for all
 * packages (so the go command's build and module caches and its package parallelism are
 * used as usual), reads the test2json events (cmd/test2json: `start`, `run`, `output`,
 * `pass`, `fail`, `skip`, and since Go 1.24 `build-output` / `build-fail`), the dumps the
 * check wrote, and the dumps in the output of timed-out, deadlocked or crashed test
 * binaries.
 *
 * - With `isolate`, packages with leaks are re-run one top-level test at a time
 *   (`-run '^TestX$'`) so each leak is attributed by construction.
 * - A test that fails under the injection is re-run without it; when it then passes it
 *   depends on its own call stack (the injected `TestMain` adds frames), which is a note,
 *   not a failure, and its leaks are not reported.
 * - With `shake`, copies of the module's sources carry seeded scheduling perturbations
 *   (shake.ts), and each package's binary runs its tests for `count` rounds across the
 *   `-cpu` variants, stopping at the first round that leaves goroutines behind.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareSites, crashFromOutput, mergeSites, readCheckFile, siteKey, topLevel, type GoroutineSite } from './dump.js';
import { ALL_RUNS_ENV, DUMP_DIR_ENV, injectPackage, ROUNDS_ENV, type IgnoreOptions, type Injection, type ListedPackage, type Uncovered } from './inject.js';
import { shakeHelperSource, shakeImportPath, shakePackage, shakeRuntimeSource, SHAKE_PKG_DIR, SHAKE_SEED_ENV } from './shake.js';
import { sourceSubtestNamer, type SubtestNamer } from './subtests.js';

/** The `go` command is missing or the packages cannot be listed or built (exit code 2). */
export class GoToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoToolError';
  }
}

/** `--shake` settings. */
export interface ShakeOptions {
  /** Seed of the first round (decimal, < 2^64); round r uses seed + r. */
  seed: string;
  /** `go test -cpu` list, e.g. `1,2,4`. */
  cpu: string;
  /** Keep running rounds after a package's leak showed. */
  allRuns: boolean;
}

/** Options of {@link runTests}. */
export interface TestRunOptions {
  cwd: string;
  /** Package patterns (default `./...`). */
  packages: string[];
  /** Extra `go test` flags, passed after leakscope's own. */
  goFlags: string[];
  /** `-count` (default 1, which also disables the test cache so the check always runs); with `shake`, the number of rounds. */
  count: number;
  /** `-timeout` value (default `60s`). */
  timeout: string;
  isolate: boolean;
  ignore: IgnoreOptions;
  env?: Record<string, string | undefined>;
  /** The go binary (default `go`). */
  goBin?: string;
  shake?: ShakeOptions;
  /** Re-run tests that fail under the injection without it (default true). */
  rerunFailed?: boolean;
}

/** A test that failed for a reason other than a leak or a deadlock. */
export interface FailedTest {
  importPath: string;
  test: string;
  output: string;
  /** `--shake`: it failed in the round with this seed (and passes without leakscope). */
  shakeSeed?: string;
}

/** A package whose test binary timed out, deadlocked or crashed. */
export interface CrashedPackage {
  importPath: string;
  reason: string;
  /** `deadlock`: -timeout or all goroutines asleep; `crash`: a panic, fatal error or fatal signal. */
  kind: 'deadlock' | 'crash';
  runningTests: string[];
  /** The tests' output before the panic or fatal error (the dump itself is not kept). */
  output: string;
  /** `--shake`: the round and seed that were running. */
  shake?: { round: number; seed: string };
}

/** A test that failed only under the injection and passed without it. */
export interface StackDependentTest {
  importPath: string;
  test: string;
}

/** What ran: the summary printed after every run. */
export interface TestSummary {
  /** Packages whose tests ran. */
  packages: number;
  /** Test results (every -count run and round counts; subtests included). */
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Of `tests`, the subtests. */
  subtests: number;
  /** Goroutines the tests started (runtime/metrics, Go 1.26+), summed over the packages that report it. */
  goroutines?: number;
  /** Packages whose check reported the goroutine count. */
  goroutinePackages: number;
  durationMs: number;
}

/** What `--shake` did. */
export interface ShakeReport {
  seed: string;
  cpu: string;
  rounds: number;
  allRuns: boolean;
  /** Perturbation points inserted, and the files they are in. */
  sites: number;
  files: number;
  /** Per package: rounds run, rounds that left goroutines behind, and the first round that showed a leak, a crash or a failure. */
  packages: { importPath: string; rounds: number; leakRounds: number; stoppedAt?: { round: number; seed: string } }[];
}

/** Everything `leakscope test` found. */
export interface TestRunResult {
  sites: GoroutineSite[];
  crashed: CrashedPackage[];
  failedTests: FailedTest[];
  /** Packages failing without a failed test (e.g. a panic in TestMain), with their output. */
  failedPackages: { importPath: string; output: string }[];
  uncovered: Uncovered[];
  notices: string[];
  /** Tests that fail under the injection only (they compare their own call stack). */
  stackDependent: StackDependentTest[];
  /** Packages whose tests ran. */
  packagesRun: number;
  summary: TestSummary;
  shake?: ShakeReport;
  durationMs: number;
}

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], cwd: string, env: Record<string, string | undefined>, onLine?: (l: string) => void): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let partial = '';
    child.stdout.on('data', (b: Buffer) => {
      if (!onLine) {
        out.push(b);
        return;
      }
      partial += b.toString('utf8');
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        onLine(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new GoToolError(`the go command was not found ("${bin}"): install Go or put it on PATH`));
      else reject(e);
    });
    child.on('close', (code) => {
      if (onLine && partial) onLine(partial);
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Splits the concatenated JSON objects `go list -json` prints. */
export function splitJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as unknown);
  }
  return out;
}

/** One test2json event (cmd/test2json). */
interface TestEvent {
  Action: string;
  Package?: string;
  ImportPath?: string;
  Test?: string;
  Output?: string;
  FailedBuild?: string;
}

/** Per-package state collected from the event stream. */
interface PkgState {
  output: string[];
  testOutput: Map<string, string[]>;
  running: Set<string>;
  /** Tests running when the binary printed `panic:` / `fatal error:` (test2json later fails them all). */
  runningAtCrash?: string[];
  /** Tests with a result before the crash. */
  finishedAtCrash?: Set<string>;
  finished: Set<string>;
  /** Every test name that ran. */
  known: Set<string>;
  failed: string[];
  counts: { passed: number; failed: number; skipped: number; subtests: number };
  ran: boolean;
  result?: 'pass' | 'fail' | 'skip';
  failedBuild?: string;
}

interface GoTestRun {
  packages: Map<string, PkgState>;
  buildOutput: Map<string, string[]>;
  buildFailed: Set<string>;
  code: number;
  stderr: string;
}

/** Counts a test that was running when its binary died as failed, once. */
function countCrashed(s: PkgState, test: string): void {
  if (s.finished.has(test)) return;
  s.finished.add(test);
  s.counts.failed++;
  if (test.includes('/')) s.counts.subtests++;
}

async function goTest(bin: string, args: string[], cwd: string, env: Record<string, string | undefined>): Promise<GoTestRun> {
  const packages = new Map<string, PkgState>();
  const buildOutput = new Map<string, string[]>();
  const buildFailed = new Set<string>();
  const state = (p: string): PkgState => {
    let s = packages.get(p);
    if (!s) {
      s = { output: [], testOutput: new Map(), running: new Set(), finished: new Set(), known: new Set(), failed: [], counts: { passed: 0, failed: 0, skipped: 0, subtests: 0 }, ran: false };
      packages.set(p, s);
    }
    return s;
  };
  const res = await run(bin, args, cwd, env, (line) => {
    if (!line.startsWith('{')) return;
    let ev: TestEvent;
    try {
      ev = JSON.parse(line) as TestEvent;
    } catch {
      return;
    }
    if (ev.Action === 'build-output' && ev.ImportPath) {
      let l = buildOutput.get(ev.ImportPath);
      if (!l) buildOutput.set(ev.ImportPath, (l = []));
      l.push(ev.Output ?? '');
      return;
    }
    if (ev.Action === 'build-fail' && ev.ImportPath) {
      buildFailed.add(ev.ImportPath);
      return;
    }
    if (!ev.Package) return;
    const s = state(ev.Package);
    if (ev.Action === 'output') {
      s.output.push(ev.Output ?? '');
      if (!s.runningAtCrash && /^(panic|fatal error): /.test(ev.Output ?? '')) {
        s.runningAtCrash = [...s.running];
        s.finishedAtCrash = new Set(s.finished);
      }
      if (ev.Test) {
        let l = s.testOutput.get(ev.Test);
        if (!l) s.testOutput.set(ev.Test, (l = []));
        l.push(ev.Output ?? '');
      }
    } else if (ev.Action === 'run' && ev.Test) {
      s.ran = true;
      s.running.add(ev.Test);
      s.known.add(ev.Test);
    } else if ((ev.Action === 'pass' || ev.Action === 'fail' || ev.Action === 'skip') && ev.Test) {
      s.running.delete(ev.Test);
      s.known.add(ev.Test);
      // test2json fails every running test when the binary dies: they count as failed,
      // and the crash (not a test failure) says why.
      if (s.runningAtCrash && ev.Action === 'fail' && s.runningAtCrash.includes(ev.Test)) {
        countCrashed(s, ev.Test);
        return;
      }
      s.finished.add(ev.Test);
      if (ev.Test.includes('/')) s.counts.subtests++;
      if (ev.Action === 'pass') s.counts.passed++;
      else if (ev.Action === 'skip') s.counts.skipped++;
      else {
        s.counts.failed++;
        if (!s.failed.includes(ev.Test)) s.failed.push(ev.Test);
      }
    } else if (ev.Action === 'pass' || ev.Action === 'fail' || ev.Action === 'skip') {
      // Depending on how the binary died, test2json may not fail the running tests itself.
      for (const t of s.runningAtCrash ?? []) countCrashed(s, t);
      s.result = ev.Action;
      if (ev.FailedBuild) s.failedBuild = ev.FailedBuild;
    }
  });
  return { packages, buildOutput, buildFailed, code: res.code, stderr: res.stderr };
}

/** Build tags in go test flags (go list must see them too: they decide which files exist). */
function tagFlags(goFlags: string[]): string[] {
  const tags: string[] = [];
  goFlags.forEach((f, i) => {
    if (/^--?tags=/.test(f)) tags.push(f);
    else if (/^--?tags$/.test(f) && goFlags[i + 1] !== undefined) tags.push(f, goFlags[i + 1]!);
  });
  return tags;
}

/** Lists the packages matching the patterns; throws GoToolError when go cannot list them. */
async function listPackages(bin: string, patterns: string[], cwd: string, env: Record<string, string | undefined>, goFlags: string[], extra: string[] = []): Promise<ListedPackage[]> {
  const res = await run(bin, ['list', '-e', ...extra, '-json=ImportPath,Name,Dir,GoFiles,TestGoFiles,XTestGoFiles,Module,ForTest,Standard,Error', ...tagFlags(goFlags), ...patterns], cwd, env);
  const pkgs = splitJsonStream(res.stdout) as ListedPackage[];
  if (res.code !== 0 || pkgs.length === 0) {
    const msg = res.stderr.trim() || `go list ${patterns.join(' ')} found no packages`;
    throw new GoToolError(msg);
  }
  return pkgs;
}

function buildFailureMessage(r: GoTestRun): string | undefined {
  const failed = [...r.buildFailed];
  for (const s of r.packages.values()) if (s.failedBuild && !failed.includes(s.failedBuild)) failed.push(s.failedBuild);
  if (failed.length === 0) return undefined;
  const parts: string[] = [];
  for (const ip of failed) {
    const out = (r.buildOutput.get(ip) ?? []).join('');
    parts.push(out.trim() === '' ? `# ${ip}\nbuild failed` : out.trimEnd());
  }
  return parts.join('\n');
}

/** Reads the `.round` file the shaken check writes at the start of each round. */
function roundOf(dumpDir: string, inj: Injection | undefined): { round: number; seed: string } | undefined {
  if (!inj) return undefined;
  try {
    const [r, seed] = fs.readFileSync(path.join(dumpDir, `${inj.dumpName}.round`), 'utf8').trim().split(/\s+/);
    return r !== undefined && seed !== undefined ? { round: Number(r), seed } : undefined;
  } catch {
    return undefined;
  }
}

interface Collect {
  bin: string;
  cwd: string;
  env: Record<string, string | undefined>;
  injections: Map<string, Injection>;
  ignore: IgnoreOptions;
  namer: SubtestNamer;
  /** Set for a `--shake` run. */
  shake?: ShakeReport;
}

async function runAndCollect(c: Collect, args: string[], dumpDir: string, result: TestRunResult, isolatedTest?: string): Promise<void> {
  fs.rmSync(dumpDir, { recursive: true, force: true });
  fs.mkdirSync(dumpDir, { recursive: true });
  const r = await goTest(c.bin, args, c.cwd, { ...c.env, [DUMP_DIR_ENV]: dumpDir });
  const buildMsg = buildFailureMessage(r);
  if (buildMsg !== undefined) throw new GoToolError(buildMsg);
  if (r.packages.size === 0 && r.code !== 0) throw new GoToolError(r.stderr.trim() || `go test exited with code ${r.code}`);
  for (const [ip, s] of r.packages) {
    if (!isolatedTest) {
      if (s.ran) result.packagesRun++;
      result.summary.passed += s.counts.passed;
      result.summary.failed += s.counts.failed;
      result.summary.skipped += s.counts.skipped;
      result.summary.subtests += s.counts.subtests;
      result.summary.tests += s.counts.passed + s.counts.failed + s.counts.skipped;
    }
    const inj = c.injections.get(ip);
    const output = s.output.join('');
    const ctx = { namer: c.namer, known: s.known };
    const round = c.shake ? roundOf(dumpDir, inj) : undefined;
    const shakePkg = c.shake && !isolatedTest ? { importPath: ip, rounds: round ? round.round + 1 : 0, leakRounds: 0 } : undefined;
    const crash = crashFromOutput(output, ip, c.ignore, { ...ctx, running: s.runningAtCrash ?? [...s.running], ...(s.finishedAtCrash ? { finished: s.finishedAtCrash } : {}) });
    if (crash) {
      result.crashed.push({ importPath: ip, reason: crash.reason, kind: crash.kind, runningTests: crash.runningTests, output: crash.output, ...(round ? { shake: round } : {}) });
      for (const site of crash.sites) {
        if (isolatedTest && site.tests.length === 0) {
          site.tests = [isolatedTest];
          site.attribution = 'isolated';
        }
        if (round) site.shake = round;
        result.sites.push(site);
      }
      if (shakePkg) c.shake!.packages.push({ ...shakePkg, ...(round ? { stoppedAt: round } : {}) });
      // Tests that failed before the crash are still reported; the running ones are the crash.
      if (!isolatedTest) {
        for (const t of s.failed) {
          if (crash.runningTests.includes(topLevel(t)) || s.failed.some((o) => o.startsWith(t + '/'))) continue;
          result.failedTests.push({ importPath: ip, test: t, output: (s.testOutput.get(t) ?? []).join('') });
        }
      }
      continue;
    }
    let stoppedAt: { round: number; seed: string } | undefined;
    if (inj) {
      const file = path.join(dumpDir, inj.dumpName);
      if (fs.existsSync(file)) {
        const check = readCheckFile(fs.readFileSync(file, 'utf8'), ip, c.ignore, isolatedTest, ctx);
        result.sites.push(...check.sites);
        if (!isolatedTest && check.created !== undefined) {
          result.summary.goroutines = (result.summary.goroutines ?? 0) + check.created;
          result.summary.goroutinePackages++;
        }
        if (shakePkg) {
          shakePkg.rounds = check.rounds;
          shakePkg.leakRounds = check.leakRounds;
        }
        const first = check.sites.find((x) => x.shake)?.shake;
        if (first) stoppedAt = first;
      } else if (s.ran) {
        result.notices.push(
          `${ip}: the leak check did not run after the tests (a test or TestMain exited the process before m.Run returned, or the test binary crashed)`,
        );
      }
    }
    for (const t of s.failed) {
      if (isolatedTest) continue;
      // Parent tests fail when a subtest fails; report the innermost ones only.
      if (s.failed.some((o) => o.startsWith(t + '/'))) continue;
      const ft: FailedTest = { importPath: ip, test: t, output: (s.testOutput.get(t) ?? []).join('') };
      if (round) {
        ft.shakeSeed = round.seed;
        stoppedAt ??= round;
      }
      result.failedTests.push(ft);
    }
    if (shakePkg) c.shake!.packages.push({ ...shakePkg, ...(stoppedAt ? { stoppedAt } : {}) });
    if (!isolatedTest && s.result === 'fail' && s.failed.length === 0) result.failedPackages.push({ importPath: ip, output });
  }
}

/** Top-level test names of a package matching `pattern` (`go test -list`). */
async function listTests(bin: string, ip: string, overlay: string, pattern: string, cwd: string, env: Record<string, string | undefined>): Promise<string[]> {
  const res = await run(bin, ['test', '-overlay', overlay, '-list', pattern, ip], cwd, env);
  return res.stdout.split('\n').filter((l) => /^Test/.test(l) && !/\s/.test(l));
}

/** Removes `-run X` / `-run=X` from go test flags; returns the flags and the last pattern. */
export function extractRun(goFlags: string[]): { flags: string[]; run?: string } {
  const flags: string[] = [];
  let runPattern: string | undefined;
  for (let i = 0; i < goFlags.length; i++) {
    const f = goFlags[i]!;
    const m = /^--?(?:test\.)?run(?:=(.*))?$/.exec(f);
    if (!m) {
      flags.push(f);
      continue;
    }
    if (m[1] !== undefined) runPattern = m[1];
    else runPattern = goFlags[++i];
  }
  return runPattern === undefined ? { flags } : { flags, run: runPattern };
}

/**
 * The `-run` pattern that selects exactly one (sub)test: each level anchored and with
 * its regexp metacharacters escaped (testing splits the pattern at unbracketed slashes,
 * testing/match.go splitRegexp).
 */
export function exactRunPattern(test: string): string {
  return test
    .split('/')
    .map((p) => `^${p.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`)
    .join('/');
}

/** The shaken sources: overlay entries, shaken test files (for the TestMain rewrite) and counts. */
interface PreparedShake {
  replace: Record<string, string>;
  /** Shaken text of test files, for injectPackage. */
  shakenTests: Map<string, string>;
  /** Shared package import path by module directory. */
  importByModule: Map<string, string>;
  sites: number;
  files: number;
}

/**
 * Rewrites every package of the main module(s) that the tests build (`go list -deps
 * -test`): non-test files of all of them, test files of the packages under test.
 */
async function prepareShake(bin: string, patterns: string[], cwd: string, env: Record<string, string | undefined>, goFlags: string[], tested: ListedPackage[], tmp: string): Promise<PreparedShake> {
  const deps = await listPackages(bin, patterns, cwd, env, goFlags, ['-deps', '-test']);
  const out: PreparedShake = { replace: {}, shakenTests: new Map(), importByModule: new Map(), sites: 0, files: 0 };
  const testedPaths = new Set(tested.map((p) => p.ImportPath));
  const seen = new Set<string>();
  const dir = path.join(tmp, 'shake');
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  const write = (name: string, text: string): string => {
    const p = path.join(dir, `${n++}_${name}`);
    fs.writeFileSync(p, text);
    return p;
  };
  for (const p of deps) {
    if (p.Error || !p.Dir || !p.Module?.Main || !p.Module.Dir || p.Standard || p.ForTest || p.ImportPath.includes(' ') || p.ImportPath.endsWith('.test') || seen.has(p.ImportPath)) continue;
    seen.add(p.ImportPath);
    const modDir = p.Module.Dir;
    let shared = out.importByModule.get(modDir);
    if (!shared) {
      shared = shakeImportPath(p.Module.Path);
      out.importByModule.set(modDir, shared);
      out.replace[path.join(modDir, SHAKE_PKG_DIR, 'shake.go')] = write('shake.go', shakeRuntimeSource());
    }
    const read = (files: string[] | undefined): Map<string, string> => {
      const m = new Map<string, string>();
      for (const f of files ?? []) {
        const abs = path.join(p.Dir, f);
        try {
          m.set(abs, fs.readFileSync(abs, 'utf8'));
        } catch {
          // unreadable: left alone (go test reports it)
        }
      }
      return m;
    };
    const isTested = testedPaths.has(p.ImportPath);
    const groups: { files: Map<string, string>; pkgName: string; helper: string }[] = [
      { files: read([...(p.GoFiles ?? []), ...(isTested ? (p.TestGoFiles ?? []) : [])]), pkgName: p.Name, helper: 'zz_leakscope_shake.go' },
    ];
    if (isTested && (p.XTestGoFiles?.length ?? 0) > 0) groups.push({ files: read(p.XTestGoFiles), pkgName: `${p.Name}_test`, helper: 'zz_leakscope_shake_x_test.go' });
    for (const g of groups) {
      const res = shakePackage({ files: g.files, importPath: p.ImportPath, root: modDir });
      if (res.rewritten.size === 0) continue;
      for (const [abs, text] of res.rewritten) {
        out.replace[abs] = write(path.basename(abs), text);
        if (abs.endsWith('_test.go')) out.shakenTests.set(abs, text);
      }
      let helperPath = path.join(p.Dir, g.helper);
      for (let i = 1; fs.existsSync(helperPath); i++) helperPath = path.join(p.Dir, g.helper.replace(/(_test)?\.go$/, `${i}$1.go`));
      out.replace[helperPath] = write(g.helper, shakeHelperSource(g.pkgName, shared, res.sites.length));
      out.sites += res.sites.length;
      out.files += res.rewritten.size;
    }
  }
  return out;
}

function emptyResult(): TestRunResult {
  return {
    sites: [],
    crashed: [],
    failedTests: [],
    failedPackages: [],
    uncovered: [],
    notices: [],
    stackDependent: [],
    packagesRun: 0,
    summary: { packages: 0, tests: 0, passed: 0, failed: 0, skipped: 0, subtests: 0, goroutinePackages: 0, durationMs: 0 },
    durationMs: 0,
  };
}

/** A seed for `--shake` when none is given: random, printed with the results so the run can be repeated. */
export function randomSeed(): string {
  return String(randomInt(1, 2 ** 47));
}

/** Runs the tests with the leak check and returns what was found. */
export async function runTests(opts: TestRunOptions): Promise<TestRunResult> {
  const t0 = performance.now();
  const bin = opts.goBin ?? 'go';
  const baseEnv = opts.env ?? process.env;
  const godebug = [baseEnv.GODEBUG, 'tracebackancestors=10'].filter(Boolean).join(',');
  // A panic prints every goroutine (default: only the panicking one), so the other
  // blocked goroutines of a crash can be read.
  const env: Record<string, string | undefined> = { ...baseEnv, GODEBUG: godebug, GOTRACEBACK: baseEnv.GOTRACEBACK || 'all' };
  const result = emptyResult();
  const patterns = opts.packages.length > 0 ? opts.packages : ['./...'];
  const pkgs = await listPackages(bin, patterns, opts.cwd, env, opts.goFlags);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-test-'));
  const namer = sourceSubtestNamer();
  try {
    let shaken: PreparedShake | undefined;
    if (opts.shake) {
      shaken = await prepareShake(bin, patterns, opts.cwd, env, opts.goFlags, pkgs, tmp);
      result.shake = { seed: opts.shake.seed, cpu: opts.shake.cpu, rounds: opts.count, allRuns: opts.shake.allRuns, sites: shaken.sites, files: shaken.files, packages: [] };
    }
    const injections = new Map<string, Injection>();
    const replace: Record<string, string> = { ...(shaken?.replace ?? {}) };
    pkgs.forEach((p, i) => {
      if (p.Error || !p.Dir) return;
      const shared = shaken && p.Module?.Dir ? shaken.importByModule.get(p.Module.Dir) : undefined;
      const { injection, uncovered } = injectPackage(p, i, tmp, opts.ignore, shaken && shared ? { shaken: shaken.shakenTests, importPath: shared } : undefined);
      if (uncovered) result.uncovered.push(uncovered);
      if (injection) {
        injections.set(p.ImportPath, injection);
        Object.assign(replace, injection.replace);
      }
    });
    const overlay = path.join(tmp, 'overlay.json');
    fs.writeFileSync(overlay, JSON.stringify({ Replace: replace }));
    const runEnv: Record<string, string | undefined> = { ...env };
    let common = ['-overlay', overlay, `-count=${opts.count}`, `-timeout=${opts.timeout}`];
    if (opts.shake) {
      runEnv[SHAKE_SEED_ENV] = opts.shake.seed;
      runEnv[ROUNDS_ENV] = String(opts.count);
      runEnv[ALL_RUNS_ENV] = opts.shake.allRuns ? '1' : '0';
      // The shared package exists only in the overlay, and vet runs in each dependency's
      // directory: vet cannot see it (run go vet on its own).
      common = ['-overlay', overlay, '-count=1', `-cpu=${opts.shake.cpu}`, `-timeout=${opts.timeout}`, ...(opts.goFlags.some((f) => /^--?vet(=|$)/.test(f)) ? [] : ['-vet=off'])];
    }
    const collect: Collect = { bin, cwd: opts.cwd, env: runEnv, injections, ignore: opts.ignore, namer, ...(result.shake ? { shake: result.shake } : {}) };
    await runAndCollect(collect, ['test', '-json', ...common, ...patterns, ...opts.goFlags], path.join(tmp, 'dumps'), result);

    if (opts.rerunFailed !== false && result.failedTests.length > 0) {
      await rerunWithoutInjection(opts, env, result, pkgs, tmp);
    }

    if (opts.isolate) {
      const leaky = [...new Set(result.sites.filter((s) => s.kind === 'leak').map((s) => s.importPath))];
      // The user's -run selects which tests are isolated; ours must be the only -run.
      const { flags: isoFlags, run: userRun } = extractRun(opts.goFlags);
      for (const ip of leaky) {
        const tests = await listTests(bin, ip, overlay, userRun ?? '.', opts.cwd, runEnv);
        const isolated = emptyResult();
        // The runs are mostly waiting (the settle period), so two or more at a time pay off
        // even on a small machine; each run gets its own dump directory.
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < tests.length) {
            const i = next++;
            const t = tests[i]!;
            const args = ['test', '-json', ...common, ...isoFlags, '-run', `^${t}$`, ip];
            await runAndCollect({ ...collect, shake: undefined }, args, path.join(tmp, `dumps-${i}`), isolated, t);
          }
        };
        await Promise.all(Array.from({ length: Math.min(tests.length, Math.max(2, os.availableParallelism())) }, worker));
        // Isolated results replace the package's leak sites; sites seen only together
        // (an interaction between tests) keep their chain attribution.
        const iso = isolated.sites.filter((s) => s.kind === 'leak');
        const isoKeys = new Set(iso.map((s) => siteKey(s)));
        result.sites = [...result.sites.filter((s) => s.importPath !== ip || s.kind !== 'leak' || !isoKeys.has(siteKey(s))), ...mergeSites(iso)];
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  result.sites.sort(compareSites);
  result.durationMs = performance.now() - t0;
  result.summary.packages = result.packagesRun;
  result.summary.durationMs = result.durationMs;
  return result;
}

/**
 * Re-runs each failed test without any injection (no overlay: the user's own files). A
 * test that passes then failed because of leakscope: the injected `TestMain` adds frames
 * to every test's call stack, which a test comparing its own stack notices (with
 * `--shake`, also the perturbations). It is reported as a note; its leaks are not
 * reported, since the check did not apply to it as written.
 */
async function rerunWithoutInjection(opts: TestRunOptions, env: Record<string, string | undefined>, result: TestRunResult, pkgs: ListedPackage[], tmp: string): Promise<void> {
  const bin = opts.goBin ?? 'go';
  const { flags } = extractRun(opts.goFlags);
  const passes = async (ip: string, test: string, overlay?: string): Promise<boolean> => {
    const args = ['test', '-json', '-count=1', `-timeout=${opts.timeout}`, ...(overlay ? ['-overlay', overlay] : []), ...flags, '-run', exactRunPattern(test), ip];
    const r = await goTest(bin, args, opts.cwd, env);
    const s = r.packages.get(ip);
    return !!s && s.known.has(test) && s.failed.length === 0 && s.result === 'pass';
  };
  let plainOverlay: string | undefined;
  const keep: FailedTest[] = [];
  for (const ft of result.failedTests) {
    if (!(await passes(ft.importPath, ft.test))) {
      keep.push(ft);
      continue;
    }
    if (ft.shakeSeed !== undefined) {
      // Under --shake: does it also fail with the plain check (its stack), or only when shaken (its timing)?
      if (plainOverlay === undefined) {
        const replace: Record<string, string> = {};
        const dir = path.join(tmp, 'plain');
        pkgs.forEach((p, i) => {
          if (p.Error || !p.Dir) return;
          const { injection } = injectPackage(p, i, dir, opts.ignore);
          if (injection) Object.assign(replace, injection.replace);
        });
        plainOverlay = path.join(tmp, 'plain-overlay.json');
        fs.writeFileSync(plainOverlay, JSON.stringify({ Replace: replace }));
      }
      if (await passes(ft.importPath, ft.test, plainOverlay)) {
        keep.push(ft);
        continue;
      }
    }
    result.stackDependent.push({ importPath: ft.importPath, test: ft.test });
  }
  result.failedTests = keep;
  const dependent = new Set(result.stackDependent.map((t) => `${t.importPath}\n${t.test}`));
  result.sites = result.sites
    .map((s) => ({ ...s, tests: s.tests.filter((t) => !dependent.has(`${s.importPath}\n${t}`)) }))
    .filter((s, i) => s.tests.length > 0 || result.sites[i]!.tests.length === 0);
}
