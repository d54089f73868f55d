/**
 * @fileoverview `npm run bench`: checks the Go standard library ($(go env GOROOT)/src)
 * with all rules and compares the wall time with `gofmt -l` over the same tree, measured
 * in the same run (median of several runs each, alternating so both see the same
 * machine state). Prints files/s, lines/s, peak RSS and the ratio. Figures, not
 * assertions: no test depends on wall-clock time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
  const child = path.join(here, 'check-child.js');
  const ours: Array<Record<string, number> & { byRule: Record<string, number> }> = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(fs.existsSync(gofmt) ? gofmt : 'gofmt', ['-l', src], { stdio: 'ignore' });
    base.push(performance.now() - t0);
    const t1 = performance.now();
    const r = spawnSync(process.execPath, [child, `${src}/...`], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wall = performance.now() - t1;
    if (r.status !== 0) throw new Error(`leakscope bench child failed: ${r.stderr}`);
    ours.push({ ...JSON.parse(r.stdout), wall });
  }
  const wall = median(ours.map((o) => o.wall as number));
  const gf = median(base);
  const last = ours[ours.length - 1] as (typeof ours)[number];
  const rss = Math.max(...ours.map((o) => o.maxRssKB as number)) / 1024;
  return [
    `stdlib (${src}, median of ${runs} runs each)`,
    `  files ${last.files}, lines ${last.lines}, packages ${last.packages}, parsed ${last.parsedFiles} files (the others hold nothing any rule looks at)`,
    `  leakscope check: ${(wall / 1000).toFixed(2)} s wall (process), ${((last.files as number) / (wall / 1000)).toFixed(0)} files/s, ${((last.lines as number) / (wall / 1000) / 1000).toFixed(0)}k lines/s, peak RSS ${rss.toFixed(0)} MB`,
    `  gofmt -l:        ${(gf / 1000).toFixed(2)} s wall`,
    `  ratio leakscope/gofmt: ${(wall / gf).toFixed(2)} (target <= 1.0)`,
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
] as const) {
  const p = path.join(here, file);
  if (!fs.existsSync(p)) continue;
  const mod = (await import(p)) as Record<string, (() => Promise<string[]>) | undefined>;
  const run = mod[fn];
  if (run) lines.push('', ...(await run()));
}
process.stdout.write(lines.join('\n') + '\n');
