/**
 * @fileoverview `npm run bench`: checks the Go standard library ($(go env GOROOT)/src)
 * with all rules, and parses every file of it (single thread, and one worker per core),
 * and compares the wall times with `gofmt -l` over the same tree, measured in the same
 * run (median of several runs each, alternating so all see the same machine state).
 * Prints parser MB/s, files/s, lines/s, peak RSS and the ratios. Figures, not
 * assertions: no test depends on wall-clock time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function goroot(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function benchStdlib(): Promise<string[]> {
  const root = goroot();
  if (!root) return ['stdlib: skipped (go not found on PATH; the benchmark needs $(go env GOROOT)/src and gofmt)'];
  const src = path.join(root, 'src');
  const gofmt = path.join(root, 'bin', 'gofmt');
  const checkChild = path.join(here, 'check-child.js');
  const parseChild = path.join(here, 'parse-child.js');
  const workers = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const run = (args: string[]): { wall: number; out: Record<string, number> & { byRule?: Record<string, number> } } => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`leakscope bench child ${args.join(' ')} failed: ${r.stderr}`);
    return { wall, out: JSON.parse(r.stdout) as Record<string, number> };
  };
  const ours: Array<ReturnType<typeof run>> = [];
  const parseAll: Array<ReturnType<typeof run>> = [];
  const parseOne: Array<ReturnType<typeof run>> = [];
  const base: number[] = [];
  // Alternating, so that each sees the same machine state.
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(fs.existsSync(gofmt) ? gofmt : 'gofmt', ['-l', src], { stdio: 'ignore' });
    base.push(performance.now() - t0);
    ours.push(run([checkChild, `${src}/...`]));
    parseAll.push(run([parseChild, String(workers), `${src}/...`]));
    parseOne.push(run([parseChild, '0', `${src}/...`]));
  }
  const gf = median(base);
  const wall = median(ours.map((o) => o.wall));
  const last = (ours[ours.length - 1] as (typeof ours)[number]).out;
  const rss = Math.max(...ours.map((o) => o.out.maxRssKB as number)) / 1024;
  const p = (parseAll[0] as (typeof parseAll)[number]).out;
  const mb = (p.bytes as number) / 1e6;
  const pAllWall = median(parseAll.map((o) => o.wall));
  const pAllIn = median(parseAll.map((o) => o.out.ms as number));
  const pOneIn = median(parseOne.map((o) => o.out.ms as number));
  const pRss = Math.max(...parseAll.map((o) => o.out.maxRssKB as number)) / 1024;
  return [
    `stdlib (${src}, median of ${runs} alternating runs each; ${workers} worker threads)`,
    `  files ${last.files}, lines ${last.lines}, packages ${last.packages}; every file and body parsed (${last.parsedFiles} files)`,
    `  parser, single thread: ${(mb / (pOneIn / 1000)).toFixed(1)} MB/s (${mb.toFixed(1)} MB read, decoded and parsed in ${(pOneIn / 1000).toFixed(2)} s)`,
    `  parser, ${workers} workers: ${(mb / (pAllIn / 1000)).toFixed(1)} MB/s; process ${(pAllWall / 1000).toFixed(2)} s wall, peak RSS ${pRss.toFixed(0)} MB`,
    `  leakscope check: ${(wall / 1000).toFixed(2)} s wall (process), ${((last.files as number) / (wall / 1000)).toFixed(0)} files/s, ${((last.lines as number) / (wall / 1000) / 1000).toFixed(0)}k lines/s, peak RSS ${rss.toFixed(0)} MB (target < 1024)`,
    `  gofmt -l:        ${(gf / 1000).toFixed(2)} s wall`,
    `  ratio parse-everything/gofmt: ${(pAllWall / gf).toFixed(2)} (target < 0.25)`,
    `  ratio leakscope check/gofmt: ${(wall / gf).toFixed(2)} (target <= 0.6)`,
    `  findings by rule: ${JSON.stringify(last.byRule)}`,
  ];
}

const lines = await benchStdlib();
// Other benchmarks live in bench/<name>.ts and export bench<Name>(): string[] lines.
for (const [file, fn] of [
  ['profiles.js', 'benchProfiles'],
  ['testrun.js', 'benchTestrun'],
  ['testrun.js', 'benchShake'],
  ['monitor.js', 'benchMonitor'],
  ['program.js', 'benchProgram'],
] as const) {
  const p = path.join(here, file);
  if (!fs.existsSync(p)) continue;
  const mod = (await import(p)) as Record<string, (() => Promise<string[]>) | undefined>;
  const run = mod[fn];
  if (run) lines.push('', ...(await run()));
}
process.stdout.write(lines.join('\n') + '\n');
