/**
 * @fileoverview The `leakscope test` driver: lists the packages (`go list -json`),
 * injects the leak check through `go test -overlay`, runs `go test -json` once for all
 * packages (so the go command's build and module caches and its package parallelism are
 * used as usual), reads the test2json events (cmd/test2json: `start`, `run`, `output`,
 * `pass`, `fail`, `skip`, and since Go 1.24 `build-output` / `build-fail`), the dumps the
 * check wrote, and the dumps in the output of timed-out or deadlocked test binaries.
 * With `isolate`, packages with leaks are re-run one top-level test at a time
 * (`-run '^TestX$'`) so each leak is attributed by construction.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deadlockFromOutput, leaksFromCheck, type GoroutineSite } from './dump.js';
import { DUMP_DIR_ENV, injectPackage, type IgnoreOptions, type Injection, type ListedPackage, type Uncovered } from './inject.js';

/** The `go` command is missing or the packages cannot be listed or built (exit code 2). */
export class GoToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoToolError';
  }
}

/** Options of {@link runTests}. */
export interface TestRunOptions {
  cwd: string;
  /** Package patterns (default `./...`). */
  packages: string[];
  /** Extra `go test` flags, passed after leakscope's own. */
  goFlags: string[];
  /** `-count` (default 1, which also disables the test cache so the check always runs). */
  count: number;
  /** `-timeout` value (default `60s`). */
  timeout: string;
  isolate: boolean;
  ignore: IgnoreOptions;
  env?: Record<string, string | undefined>;
  /** The go binary (default `go`). */
  goBin?: string;
}

/** A test that failed for a reason other than a leak or a deadlock. */
export interface FailedTest {
  importPath: string;
  test: string;
  output: string;
}

/** A package whose test binary timed out or deadlocked. */
export interface CrashedPackage {
  importPath: string;
  reason: string;
  runningTests: string[];
  /** The tests' output before the panic or fatal error (the dump itself is not kept). */
  output: string;
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
  /** Packages whose tests ran. */
  packagesRun: number;
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
  failed: string[];
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

async function goTest(bin: string, args: string[], cwd: string, env: Record<string, string | undefined>): Promise<GoTestRun> {
  const packages = new Map<string, PkgState>();
  const buildOutput = new Map<string, string[]>();
  const buildFailed = new Set<string>();
  const state = (p: string): PkgState => {
    let s = packages.get(p);
    if (!s) packages.set(p, (s = { output: [], testOutput: new Map(), running: new Set(), failed: [], ran: false }));
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
      if (!s.runningAtCrash && /^(panic|fatal error): /.test(ev.Output ?? '')) s.runningAtCrash = [...s.running];
      if (ev.Test) {
        let l = s.testOutput.get(ev.Test);
        if (!l) s.testOutput.set(ev.Test, (l = []));
        l.push(ev.Output ?? '');
      }
    } else if (ev.Action === 'run' && ev.Test) {
      s.ran = true;
      s.running.add(ev.Test);
    } else if ((ev.Action === 'pass' || ev.Action === 'fail' || ev.Action === 'skip') && ev.Test) {
      s.running.delete(ev.Test);
      if (ev.Action === 'fail') s.failed.push(ev.Test);
    } else if (ev.Action === 'pass' || ev.Action === 'fail' || ev.Action === 'skip') {
      s.result = ev.Action;
      if (ev.FailedBuild) s.failedBuild = ev.FailedBuild;
    }
  });
  return { packages, buildOutput, buildFailed, code: res.code, stderr: res.stderr };
}

/** Lists the packages matching the patterns; throws GoToolError when go cannot list them. */
async function listPackages(bin: string, patterns: string[], cwd: string, env: Record<string, string | undefined>, goFlags: string[]): Promise<ListedPackage[]> {
  // Build tags decide which test files exist, so go list must see them too.
  const tags: string[] = [];
  goFlags.forEach((f, i) => {
    if (/^--?tags=/.test(f)) tags.push(f);
    else if (/^--?tags$/.test(f) && goFlags[i + 1] !== undefined) tags.push(f, goFlags[i + 1]!);
  });
  const res = await run(bin, ['list', '-e', '-json=ImportPath,Name,Dir,TestGoFiles,XTestGoFiles,Error', ...tags, ...patterns], cwd, env);
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

async function runAndCollect(
  bin: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  dumpDir: string,
  injections: Map<string, Injection>,
  ignore: IgnoreOptions,
  result: TestRunResult,
  isolatedTest?: string,
): Promise<void> {
  fs.rmSync(dumpDir, { recursive: true, force: true });
  fs.mkdirSync(dumpDir, { recursive: true });
  const r = await goTest(bin, args, cwd, { ...env, [DUMP_DIR_ENV]: dumpDir });
  const buildMsg = buildFailureMessage(r);
  if (buildMsg !== undefined) throw new GoToolError(buildMsg);
  if (r.packages.size === 0 && r.code !== 0) throw new GoToolError(r.stderr.trim() || `go test exited with code ${r.code}`);
  for (const [ip, s] of r.packages) {
    if (s.ran && !isolatedTest) result.packagesRun++;
    const inj = injections.get(ip);
    const output = s.output.join('');
    const crash = deadlockFromOutput(output, ip, ignore, s.runningAtCrash ?? [...s.running]);
    if (crash) {
      result.crashed.push({ importPath: ip, reason: crash.reason, runningTests: crash.runningTests, output: crash.output });
      for (const site of crash.sites) {
        if (isolatedTest && site.tests.length === 0) {
          site.tests = [isolatedTest];
          site.attribution = 'isolated';
        }
        result.sites.push(site);
      }
      // Tests that failed before the crash are still reported; the running ones are the deadlock.
      if (!isolatedTest) {
        for (const t of s.failed) {
          if (crash.runningTests.includes(t.split('/', 1)[0]!) || s.failed.some((o) => o.startsWith(t + '/'))) continue;
          result.failedTests.push({ importPath: ip, test: t, output: (s.testOutput.get(t) ?? []).join('') });
        }
      }
      continue;
    }
    if (inj) {
      const file = path.join(dumpDir, inj.dumpName);
      if (fs.existsSync(file)) {
        result.sites.push(...leaksFromCheck(fs.readFileSync(file, 'utf8'), ip, ignore, isolatedTest));
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
      result.failedTests.push({ importPath: ip, test: t, output: (s.testOutput.get(t) ?? []).join('') });
    }
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

/** Runs the tests with the leak check and returns what was found. */
export async function runTests(opts: TestRunOptions): Promise<TestRunResult> {
  const t0 = performance.now();
  const bin = opts.goBin ?? 'go';
  const baseEnv = opts.env ?? process.env;
  const godebug = [baseEnv.GODEBUG, 'tracebackancestors=10'].filter(Boolean).join(',');
  const env: Record<string, string | undefined> = { ...baseEnv, GODEBUG: godebug };
  const result: TestRunResult = { sites: [], crashed: [], failedTests: [], failedPackages: [], uncovered: [], notices: [], packagesRun: 0, durationMs: 0 };
  const patterns = opts.packages.length > 0 ? opts.packages : ['./...'];
  const pkgs = await listPackages(bin, patterns, opts.cwd, env, opts.goFlags);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-test-'));
  try {
    const injections = new Map<string, Injection>();
    const replace: Record<string, string> = {};
    pkgs.forEach((p, i) => {
      if (p.Error || !p.Dir) return;
      const { injection, uncovered } = injectPackage(p, i, tmp, opts.ignore);
      if (uncovered) result.uncovered.push(uncovered);
      if (injection) {
        injections.set(p.ImportPath, injection);
        Object.assign(replace, injection.replace);
      }
    });
    const overlay = path.join(tmp, 'overlay.json');
    fs.writeFileSync(overlay, JSON.stringify({ Replace: replace }));
    const common = ['-overlay', overlay, `-count=${opts.count}`, `-timeout=${opts.timeout}`];
    await runAndCollect(bin, ['test', '-json', ...common, ...patterns, ...opts.goFlags], opts.cwd, env, path.join(tmp, 'dumps'), injections, opts.ignore, result);

    if (opts.isolate) {
      const leaky = [...new Set(result.sites.filter((s) => s.kind === 'leak').map((s) => s.importPath))];
      // The user's -run selects which tests are isolated; ours must be the only -run.
      const { flags: isoFlags, run: userRun } = extractRun(opts.goFlags);
      for (const ip of leaky) {
        const tests = await listTests(bin, ip, overlay, userRun ?? '.', opts.cwd, env);
        const isolated: TestRunResult = { ...result, sites: [], crashed: [], notices: [] };
        // The runs are mostly waiting (the settle period), so two or more at a time pay off
        // even on a small machine; each run gets its own dump directory.
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < tests.length) {
            const i = next++;
            const t = tests[i]!;
            const args = ['test', '-json', ...common, ...isoFlags, '-run', `^${t}$`, ip];
            await runAndCollect(bin, args, opts.cwd, env, path.join(tmp, `dumps-${i}`), injections, opts.ignore, isolated, t);
          }
        };
        await Promise.all(Array.from({ length: Math.min(tests.length, Math.max(2, os.availableParallelism())) }, worker));
        // Isolated results replace the package's leak sites; sites seen only together
        // (an interaction between tests) keep their chain attribution.
        const isoKeys = new Set(isolated.sites.filter((s) => s.kind === 'leak').map((s) => `${s.state}\n${s.site.file}:${s.site.line}`));
        const merged = mergeIsolated(isolated.sites.filter((s) => s.kind === 'leak'));
        result.sites = [
          ...result.sites.filter((s) => s.importPath !== ip || s.kind !== 'leak' || !isoKeys.has(`${s.state}\n${s.site.file}:${s.site.line}`)),
          ...merged,
        ];
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  result.sites.sort((a, b) => a.site.file.localeCompare(b.site.file) || a.site.line - b.site.line || a.kind.localeCompare(b.kind));
  result.durationMs = performance.now() - t0;
  return result;
}

/** Merges the per-test isolated sites of one package: one site per line and state, all tests listed. */
function mergeIsolated(sites: GoroutineSite[]): GoroutineSite[] {
  const byKey = new Map<string, GoroutineSite>();
  for (const s of sites) {
    const k = `${s.state}\n${s.site.file}:${s.site.line}`;
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, { ...s, tests: [...s.tests], goroutineIds: [...s.goroutineIds] });
      continue;
    }
    prev.count += s.count;
    for (const t of s.tests) if (!prev.tests.includes(t)) prev.tests.push(t);
    prev.tests.sort();
  }
  return [...byKey.values()];
}
