/**
 * @fileoverview `npm run bench`: checks the Go standard library ($(go env GOROOT)/src)
 * with all rules, and parses every file of it (single thread, and one thread per core),
 * and compares wall and CPU times with `gofmt -l` over the same tree, measured in the same
 * run (median of several runs each, alternating so all see the same machine state; on a
 * shared machine the CPU ratios are the steadier figures). Threads: as the engine, the
 * calling thread and one worker per further core. Prints parser MB/s, files/s,
 * lines/s, peak RSS, the parse/analysis split of the check and the ratios. Figures, not
 * assertions: no test depends on wall-clock time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);
/** BENCH_ONLY=stdlib skips the other benchmarks (profiles, test runs, monitor). */
const only = process.env.BENCH_ONLY;

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

/** A process's wall time and CPU time (user + system of it and its threads, from the shell's `times`). */
interface Timed {
  wall: number;
  cpu: number;
  stdout: string;
  status: number | null;
  stderr: string;
}

/** Runs a command under `sh`, whose `times` reports the CPU time of the finished child. */
function timed(cmd: string, args: string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', '"$0" "$@"; s=$?; times >&2; exit $s', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = performance.now() - t0;
  const lines = r.stderr.trimEnd().split('\n');
  // `times` prints the shell's user/system time, then its children's: "0m11.36s 0m0.71s".
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1] ?? '');
  const cpu = m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000 : NaN;
  return { wall, cpu, stdout: r.stdout, status: r.status, stderr: lines.slice(0, -2).join('\n') };
}

async function benchStdlib(): Promise<string[]> {
  const root = goroot();
  if (!root) return ['stdlib: skipped (go not found on PATH; the benchmark needs $(go env GOROOT)/src and gofmt)'];
  const src = path.join(root, 'src');
  const gofmt = path.join(root, 'bin', 'gofmt');
  const checkChild = path.join(here, 'check-child.js');
  const parseChild = path.join(here, 'parse-child.js');
  const workers = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  type Out = Record<string, number> & { byRule?: Record<string, number> };
  const run = (args: string[]): Timed & { out: Out } => {
    const r = timed(process.execPath, args);
    if (r.status !== 0) throw new Error(`leakscope bench child ${args.join(' ')} failed: ${r.stderr}`);
    return { ...r, out: JSON.parse(r.stdout) as Out };
  };
  const ours: Array<ReturnType<typeof run>> = [];
  const parseAll: Array<ReturnType<typeof run>> = [];
  const parseOne: Array<ReturnType<typeof run>> = [];
  const parseDecl: Array<ReturnType<typeof run>> = [];
  const base: Timed[] = [];
  // Alternating, so that each sees the same machine state.
  for (let i = 0; i < runs; i++) {
    base.push(timed(fs.existsSync(gofmt) ? gofmt : 'gofmt', ['-l', src]));
    ours.push(run([checkChild, `${src}/...`]));
    parseAll.push(run([parseChild, String(workers), `${src}/...`]));
    parseOne.push(run([parseChild, '0', `${src}/...`]));
    parseDecl.push(run([parseChild, '0', `${src}/...`, 'skip-bodies']));
  }
  const gfWall = median(base.map((b) => b.wall));
  const gfCpu = median(base.map((b) => b.cpu));
  const wall = median(ours.map((o) => o.wall));
  const cpu = median(ours.map((o) => o.cpu));
  const last = (ours[ours.length - 1] as (typeof ours)[number]).out;
  const rss = Math.max(...ours.map((o) => o.out.maxRssKB as number)) / 1024;
  const p = (parseAll[0] as (typeof parseAll)[number]).out;
  const mb = (p.bytes as number) / 1e6;
  const pAllWall = median(parseAll.map((o) => o.wall));
  const pAllCpu = median(parseAll.map((o) => o.cpu));
  const pAllIn = median(parseAll.map((o) => o.out.ms as number));
  const pOneIn = median(parseOne.map((o) => o.out.cpuMs as number));
  const pDeclIn = median(parseDecl.map((o) => o.out.cpuMs as number));
  const pRss = Math.max(...parseAll.map((o) => o.out.maxRssKB as number)) / 1024;
  // Worker time split: reading and parsing files versus the rules (medians of the shares).
  const parseShare = median(ours.map((o) => (o.out.parseMs as number) / ((o.out.parseMs as number) + (o.out.analysisMs as number))));
  const x = (a: number, b: number): string => (a / b).toFixed(2);
  return [
    `stdlib (${src}, median of ${runs} alternating runs each; ${workers} threads: the calling thread and ${workers - 1} worker(s); CPU = user + system time of the whole process)`,
    `  files ${last.files}, lines ${last.lines}, packages ${last.packages}; every file and body parsed (${last.parsedFiles} files)`,
    `  parser, single thread: ${(mb / (pOneIn / 1000)).toFixed(1)} MB/s of CPU time (${mb.toFixed(1)} MB read, decoded and parsed in ${(pOneIn / 1000).toFixed(2)} s CPU)`,
    `  parser, single thread, function bodies skipped (declarations only): ${(mb / (pDeclIn / 1000)).toFixed(1)} MB/s of CPU time`,
    `  parser, ${workers} threads: ${(mb / (pAllIn / 1000)).toFixed(1)} MB/s wall; process ${(pAllWall / 1000).toFixed(2)} s wall, ${(pAllCpu / 1000).toFixed(2)} s CPU, peak RSS ${pRss.toFixed(0)} MB`,
    `  leakscope check: ${(wall / 1000).toFixed(2)} s wall, ${(cpu / 1000).toFixed(2)} s CPU (process), ${((last.files as number) / (wall / 1000)).toFixed(0)} files/s, ${((last.lines as number) / (wall / 1000) / 1000).toFixed(0)}k lines/s, peak RSS ${rss.toFixed(0)} MB (target < 1024)`,
    `  leakscope check, worker time: parse ${(100 * parseShare).toFixed(0)} %, analysis ${(100 - 100 * parseShare).toFixed(0)} %`,
    `  gofmt -l:        ${(gfWall / 1000).toFixed(2)} s wall, ${(gfCpu / 1000).toFixed(2)} s CPU`,
    `  ratio parse-everything/gofmt: ${x(pAllWall, gfWall)} wall, ${x(pAllCpu, gfCpu)} CPU (target < 0.25)`,
    `  ratio leakscope check/gofmt: ${x(wall, gfWall)} wall, ${x(cpu, gfCpu)} CPU (target <= 0.6)`,
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
  ['ui.js', 'benchUi'],
  ['search.js', 'benchSearch'],
] as const) {
  const p = path.join(here, file);
  if (only === 'stdlib' || !fs.existsSync(p)) continue;
  const mod = (await import(p)) as Record<string, (() => Promise<string[]>) | undefined>;
  const run = mod[fn];
  if (run) lines.push('', ...(await run()));
}
process.stdout.write(lines.join('\n') + '\n');
