/**
 * @fileoverview The monitor benchmark (`npm run bench`): 1,000 simulated targets serving
 * real captured profiles (from the demo service, drifting counts; bench/fleet-child.ts, in
 * another process) scraped at the default intervals (goroutine 30 s, heap 60 s) into the
 * SQLite store. Reports the monitor process's CPU share, peak RSS, scrape lateness (p50,
 * p99, max) and bytes stored per target per day. Figures, not assertions.
 *
 * Bytes per day: table/index pages (rows) are extrapolated from the run; raw blobs are
 * kept once per `retention.profile-every` (10 min) per target and kind, so their share is
 * the average blob size times 144 per kind per day.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Collector } from '../src/monitor/collector.js';
import { defaultConfig, makeTarget } from '../src/monitor/config.js';
import { MonitorMetrics } from '../src/monitor/metrics.js';
import { SqliteStore } from '../src/monitor/store/sqlite.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

async function capture(dir: string): Promise<{ g: string; h: string } | undefined> {
  try {
    execFileSync('go', ['build', '-o', path.join(dir, 'demo'), './leakydemo'], { cwd: path.join(repo, 'examples'), stdio: 'pipe' });
  } catch {
    return undefined;
  }
  const p = spawn(path.join(dir, 'demo'), ['-addr', '127.0.0.1:0', '-leak-rate', '50'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((r) => p.stdout!.on('data', (d: Buffer) => { const m = /port=(\d+)/.exec(d.toString()); if (m) r(Number(m[1])); }));
  await new Promise((r) => setTimeout(r, 4000));
  const get = async (u: string) => Buffer.from(await (await fetch(`http://127.0.0.1:${port}${u}`)).arrayBuffer());
  fs.writeFileSync(path.join(dir, 'g.pb.gz'), await get('/debug/pprof/goroutine?debug=0'));
  fs.writeFileSync(path.join(dir, 'h.pb.gz'), await get('/debug/pprof/heap'));
  p.kill('SIGKILL');
  return { g: path.join(dir, 'g.pb.gz'), h: path.join(dir, 'h.pb.gz') };
}

function pct(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export async function benchMonitor(): Promise<string[]> {
  const targets = Number(process.env.BENCH_MONITOR_TARGETS ?? 1000);
  const seconds = Number(process.env.BENCH_MONITOR_SECONDS ?? 150);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-bench-monitor-'));
  try {
    const prof = await capture(dir);
    if (!prof) return ['monitor: skipped (go not found; the fake fleet serves profiles captured from the Go demo service)'];
    const fleet = spawn(process.execPath, [path.join(here, 'fleet-child.js'), prof.g, prof.h], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((r) => fleet.stdout!.on('data', (d: Buffer) => { const m = /port=(\d+)/.exec(d.toString()); if (m) r(Number(m[1])); }));
    const cfg = defaultConfig();
    cfg.dataDir = path.join(dir, 'data');
    for (let i = 0; i < targets; i++) cfg.targets.push(makeTarget(`http://127.0.0.1:${port}/t/${i}/debug/pprof`, cfg.defaults, 'bench', `t${i}`, {}, 'bench'));
    const store = SqliteStore.open(cfg.dataDir);
    const base = store.pageBytes();
    const lateness: number[] = [];
    const c = new Collector({ cfg, store, log: pino({ level: 'warn' }), metrics: new MonitorMetrics(false), onLateness: (ms) => lateness.push(ms) });
    let peak = process.memoryUsage().rss;
    const rssTimer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 500);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.start();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await c.stop();
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(rssTimer);
    fleet.kill('SIGTERM');
    store.checkpoint();
    const scrapes = Number((await store.query('SELECT COUNT(*) FROM scrape')).rows[0]![0]);
    const ok = Number((await store.query('SELECT COUNT(*) FROM scrape WHERE ok = 1')).rows[0]![0]);
    // The fake fleet serves 24 variants, so blobs are shared (content-addressed): count each once.
    const blobs = await store.query('SELECT profile, AVG(bytes), SUM(bytes) FROM (SELECT DISTINCT b.id, s.profile, b.bytes FROM blob b JOIN scrape s ON s.blob_id = b.id) x GROUP BY profile');
    const blobSum = blobs.rows.reduce((a, r) => a + Number(r[2]), 0);
    const rowBytes = store.pageBytes() - base - blobSum;
    const perDayRows = (rowBytes / targets) * (86_400 / wall);
    const perDayBlobs = blobs.rows.reduce((a, r) => a + Number(r[1]) * (86_400_000 / cfg.retention.profileEveryMs), 0);
    await store.close();
    const cores = (cpu.user + cpu.system) / 1e6 / wall;
    return [
      `monitor: ${targets} simulated targets (real profiles from the demo service, drifting), default intervals (goroutine 30s, heap 60s), ${wall.toFixed(0)} s, SQLite store`,
      `  scrapes: ${scrapes} (${ok} ok), ${(scrapes / wall).toFixed(1)}/s`,
      `  CPU: ${cores.toFixed(3)} cores (target < 1), peak RSS ${(peak / 1048576).toFixed(0)} MB`,
      `  lateness: p50 ${pct(lateness, 0.5).toFixed(0)} ms, p99 ${pct(lateness, 0.99).toFixed(0)} ms, max ${Math.max(...lateness).toFixed(0)} ms (target p99 < 1000 ms)`,
      `  stored per target per day: ${((perDayRows + perDayBlobs) / 1048576).toFixed(2)} MB = rows ${(perDayRows / 1048576).toFixed(2)} MB + raw profiles ${(perDayBlobs / 1048576).toFixed(2)} MB (one per 10 min per kind) (target < 5 MB)`,
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write((await benchMonitor()).join('\n') + '\n');
}
