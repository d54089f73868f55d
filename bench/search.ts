/**
 * @fileoverview `npm run bench`: the blocking-state search (issue 14) on the standard
 * library. CPU time of `leakscope check` with and without the engine's rules against
 * `gofmt -l` in the same run (alternating, medians), and the search totals: entry points
 * modelled, fully explored, unmodelled, states, transitions and search time.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function cpuOf(cmd: string, args: string[]): { wall: number; cpu: number; stdout: string } {
  // bash's `time`: user + system time of the child and its threads (stdout kept apart from the timing on stderr).
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S"; { time "$@" 2>/dev/null ; } 2>&1 1>&3 3>&-', 'bench', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const wall = performance.now() - t0;
  const timing = (r.output[1] ?? '').toString();
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(timing);
  const cpu = m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
  return { wall, cpu, stdout: (r.output[3] ?? '').toString() };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The engine's benchmark lines. */
export async function benchSearch(): Promise<string[]> {
  const go = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  const root = go.status === 0 ? go.stdout.trim() : '';
  if (!root) return ['search: skipped (go not found on PATH)'];
  const src = path.join(root, 'src');
  const gofmt = path.join(root, 'bin', 'gofmt');
  const child = path.join(here, 'search-child.js');
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const g: number[] = [];
  const w: number[] = [];
  const wo: number[] = [];
  for (let i = 0; i < runs; i++) {
    g.push(cpuOf(fs.existsSync(gofmt) ? gofmt : 'gofmt', ['-l', src]).cpu);
    w.push(cpuOf(process.execPath, [child, 'with', `${src}/...`]).cpu);
    wo.push(cpuOf(process.execPath, [child, 'without', `${src}/...`]).cpu);
  }
  const stats = JSON.parse(cpuOf(process.execPath, [child, 'stats', `${src}/...`]).stdout) as { totals: Record<string, number>; findings: number };
  const t = stats.totals;
  const [gf, a, b] = [median(g), median(w), median(wo)];
  return [
    `blocking-state search on the standard library (${src}; CPU medians of ${runs} alternating runs)`,
    `  leakscope check with the engine: ${(a / 1000).toFixed(2)} s CPU; without it: ${(b / 1000).toFixed(2)} s CPU; gofmt -l: ${(gf / 1000).toFixed(2)} s CPU`,
    `  ratio check/gofmt: ${(a / gf).toFixed(2)} with the engine, ${(b / gf).toFixed(2)} without (target 0.5); the engine adds ${(((a - b) / b) * 100).toFixed(1)} % CPU (limit ~10 %)`,
    `  entries modelled ${t.entries}, fully explored ${t.complete} (${((100 * (t.complete ?? 0)) / Math.max(1, t.entries ?? 0)).toFixed(1)} %), unmodelled ${t.unmodelled}; states ${t.states}, transitions ${t.transitions}, search time ${((t.ms ?? 0) / 1000).toFixed(2)} s, extraction ${((t.extractMs ?? 0) / 1000).toFixed(2)} s; engine findings ${stats.findings}`,
  ];
}
