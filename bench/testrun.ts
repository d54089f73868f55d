/**
 * @fileoverview Overhead of `leakscope test` against plain `go test` on the same
 * packages (test/testrun/testdata), measured in the same run with a warm build cache:
 * each package is first run once both ways (so compilation of the test binaries, with
 * and without the overlay, is cached), then timed alternately, median of BENCH_RUNS
 * (default 3). Both sides use `-count=1` (leakscope always does, so the check runs).
 *
 * Packages with leaks pay the injected check's settle period (up to 1 s, like
 * goleak's retries) by design; clean packages show the fixed cost (go list, the overlay,
 * -json, the dump before and after the tests). Figures, not assertions.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '../src/testrun/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Cases that build and finish quickly (the deadlock and broken cases are left out). */
const CASES = ['clean', 'failing', 'leaky', 'parallel', 'testmain', 'testmainmethod'];
const CLEAN = new Set(['clean', 'failing']);

function testdataDir(): string | undefined {
  // Works from bench/ (vitest, tsx) and from dist/bench/ (npm run bench).
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const cand = path.join(dir, 'test', 'testrun', 'testdata');
    if (fs.existsSync(cand)) return cand;
    dir = path.dirname(dir);
  }
  const fromCwd = path.join(process.cwd(), 'test', 'testrun', 'testdata');
  return fs.existsSync(fromCwd) ? fromCwd : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function plain(dir: string): number {
  const t0 = performance.now();
  spawnSync('go', ['test', '-count=1', './...'], { cwd: dir, stdio: 'ignore' });
  return performance.now() - t0;
}

async function ours(dir: string): Promise<number> {
  const t0 = performance.now();
  await runTests({ cwd: dir, packages: [], goFlags: [], count: 1, timeout: '60s', isolate: false, ignore: { ignoreTop: [], ignoreCreatedBy: [] } });
  return performance.now() - t0;
}

/** Runs the benchmark and returns the lines to print. */
export async function benchTestrun(): Promise<string[]> {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return ['leakscope test: skipped (go not found on PATH)'];
  const root = testdataDir();
  if (!root) return ['leakscope test: skipped (test/testrun/testdata not found)'];
  const lines = [`leakscope test vs go test (-count=1, warm cache, median of ${RUNS}):`];
  let totalPlain = 0;
  let totalOurs = 0;
  let cleanPlain = 0;
  let cleanOurs = 0;
  for (const c of CASES) {
    const dir = path.join(root, c);
    plain(dir);
    await ours(dir);
    const p: number[] = [];
    const o: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      p.push(plain(dir));
      o.push(await ours(dir));
    }
    const mp = median(p);
    const mo = median(o);
    totalPlain += mp;
    totalOurs += mo;
    if (CLEAN.has(c)) {
      cleanPlain += mp;
      cleanOurs += mo;
    }
    lines.push(`  ${c.padEnd(16)} go test ${mp.toFixed(0).padStart(6)} ms   leakscope test ${mo.toFixed(0).padStart(6)} ms   x${(mo / mp).toFixed(2)}`);
  }
  lines.push(`  all packages     x${(totalOurs / totalPlain).toFixed(2)} (leaking packages include the up-to-1 s settle period)`);
  lines.push(`  clean packages   x${(cleanOurs / cleanPlain).toFixed(2)} (fixed overhead)`);
  return lines;
}

/** Clean packages with concurrency in their tests, for the --shake overhead. */
const SHAKE_CASES: [string, string][] = [
  ['clean', '.'],
  ['rare', './fixed'],
  ['multi', './b'],
];
const SHAKE_COUNT = 20;

/**
 * Overhead of `leakscope test --shake` over plain `go test` running the same tests the
 * same number of times: `--count 20 --cpu 1,2,4 --all-runs` (every round runs: no early
 * stop on a clean package anyway) against `go test -count=20 -cpu=1,2,4`, warm cache,
 * alternately, median of BENCH_RUNS. The shaken side pays the rewrite, the perturbations
 * (a Gosched or a sleep of up to 1 ms at half of the concurrency operations) and a leak
 * check after each round.
 */
export async function benchShake(): Promise<string[]> {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return ['leakscope test --shake: skipped (go not found on PATH)'];
  const root = testdataDir();
  if (!root) return ['leakscope test --shake: skipped (test/testrun/testdata not found)'];
  const lines = [`leakscope test --shake vs go test (-count ${SHAKE_COUNT} -cpu 1,2,4 both, warm cache, median of ${RUNS}):`];
  let totalPlain = 0;
  let totalOurs = 0;
  for (const [c, pkg] of SHAKE_CASES) {
    const dir = path.join(root, c);
    const plainRun = (): number => {
      const t0 = performance.now();
      spawnSync('go', ['test', `-count=${SHAKE_COUNT}`, '-cpu=1,2,4', pkg], { cwd: dir, stdio: 'ignore' });
      return performance.now() - t0;
    };
    const shaken = async (): Promise<number> => {
      const t0 = performance.now();
      await runTests({ cwd: dir, packages: [pkg], goFlags: [], count: SHAKE_COUNT, timeout: '120s', isolate: false, ignore: { ignoreTop: [], ignoreCreatedBy: [] }, shake: { seed: '1', cpu: '1,2,4', allRuns: true } });
      return performance.now() - t0;
    };
    plainRun();
    await shaken();
    const p: number[] = [];
    const o: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      p.push(plainRun());
      o.push(await shaken());
    }
    const mp = median(p);
    const mo = median(o);
    totalPlain += mp;
    totalOurs += mo;
    lines.push(`  ${`${c}/${pkg.replace(/^\.\/?/, '') || '.'}`.padEnd(16)} go test ${mp.toFixed(0).padStart(6)} ms   leakscope test --shake ${mo.toFixed(0).padStart(6)} ms   x${(mo / mp).toFixed(2)}`);
  }
  lines.push(`  all              x${(totalOurs / totalPlain).toFixed(2)} (--shake over plain go test, same tests, same number of runs)`);
  return lines;
}
