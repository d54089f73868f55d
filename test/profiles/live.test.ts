/**
 * End-to-end tests against real Go programs: test/profiles/go/leaky leaks
 * goroutines in each way the seed describes (each leaking statement carries a
 * `LEAK:<name>` marker, each healthy control a `HEALTHY:<name>` marker), is
 * built into a temp dir, run, and its profiles are fetched over HTTP from
 * net/http/pprof and parsed. The classifier must flag exactly the leaking
 * sites, at the marked lines, in every encoding.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireGo } from '../support/go.js';
import {
  diffProfiles,
  goroutineReport,
  readProfile,
  topAllocationSites,
  trendProfiles,
  type GoroutineProfile,
  type GoroutineReport,
  type HeapProfile,
} from '../../src/profiles/index.js';
import { GO_PROGRAMS } from './helpers.js';

const LEAKY_SRC = join(GO_PROGRAMS, 'leaky');
const MAIN_GO = join(LEAKY_SRC, 'main.go');

/** marker name -> line number in leaky/main.go */
function markers(kind: 'LEAK' | 'HEALTHY'): Map<string, number> {
  const out = new Map<string, number>();
  readFileSync(MAIN_GO, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = new RegExp(`// ${kind}:([\\w-]+)`).exec(l);
      if (m) out.set(m[1]!, i + 1);
    });
  return out;
}

const GOROUTINE_LEAKS = ['abandoned-sender', 'receive-no-sender', 'range-never-closed', 'for-select', 'double-lock', 'waitgroup', 'nil-chan', 'select-no-cases'];

interface Running {
  proc: ChildProcess;
  base: string;
}

const running: ChildProcess[] = [];

function start(bin: string, args: string[], env: Record<string, string> = {}): Promise<Running> {
  const proc = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port=(\d+)/.exec(out);
      if (m) resolve({ proc, base: `http://127.0.0.1:${m[1]}` });
    });
    proc.on('exit', (code) => reject(new Error(`${bin} exited with ${code}: ${err}`)));
  });
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function goroutines(base: string, path: string): Promise<GoroutineProfile> {
  const url = `${base}${path}`;
  const p = readProfile(await fetchBytes(url), url);
  if (p.kind !== 'goroutine') throw new Error(`${url}: expected goroutine profile, got ${p.kind}`);
  return p;
}

/**
 * Waits until every goroutine of the program has reached its blocking point
 * (abandoned senders sleep briefly before sending; on a loaded machine they
 * may still be asleep or runnable when the HTTP handler returns).
 */
async function settle(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const p = await goroutines(base, '/debug/pprof/goroutine?debug=2');
    const busy = p.goroutines.some(
      (g) => g.frames.some((f) => f.function.startsWith('main.')) && ['sleep', 'runnable', 'running'].includes(g.state) && !g.frames.some((f) => f.function.startsWith('net/http')),
    );
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${base}: goroutines did not settle`);
}

/** Drives n more leak rounds and waits for them to block. */
async function drive(base: string, n: number): Promise<void> {
  await fetchBytes(`${base}/drive?n=${n}`);
  await settle(base);
}

const suspectLines = (r: GoroutineReport) =>
  r.groups
    .filter((g) => g.suspect)
    .map((g) => `${g.location.file.endsWith('/leaky/main.go') ? 'main.go' : g.location.file}:${g.location.line}`)
    .sort();

const hasGo = requireGo('the live profile tests (test/profiles/live.test.ts)');

describe.skipIf(!hasGo)('live Go programs leaking in every seed pattern', () => {
  let dir = '';
  let leaky: Running;
  const leaks = markers('LEAK');
  const healthy = markers('HEALTHY');
  const expectedLeakLines = GOROUTINE_LEAKS.map((n) => `main.go:${leaks.get(n)}`).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leakscope-live-'));
    execFileSync('go', ['build', '-o', join(dir, 'leaky'), '.'], { cwd: LEAKY_SRC, stdio: 'pipe' });
    // 6 rounds: every leak group has 6 goroutines (above the default group
    // threshold of 5) while the healthy worker is alone.
    // GODEBUG=tracebacklabels=1 (Go 1.26) prints pprof labels in debug=2 headers.
    leaky = await start(join(dir, 'leaky'), ['6'], { LEAKY_MEMPROFILERATE: '1', GODEBUG: 'tracebacklabels=1' });
    await settle(leaky.base);
  });

  afterAll(() => {
    for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('markers are present in the Go source', () => {
    for (const n of GOROUTINE_LEAKS) expect(leaks.has(n), n).toBe(true);
    expect(leaks.has('heap-map')).toBe(true);
    expect(healthy.has('worker')).toBe(true);
  });

  it.each(['debug=2', 'debug=1', 'debug=0'])('goroutine?%s: flags exactly the leaking sites', async (q) => {
    const p = await goroutines(leaky.base, `/debug/pprof/goroutine?${q}`);
    const report = goroutineReport(p);
    expect(suspectLines(report)).toEqual(expectedLeakLines);
    // Every leak group has all 6 goroutines.
    for (const g of report.groups.filter((x) => x.suspect)) expect(g.count, JSON.stringify(g.location)).toBe(6);
    // The controls are present and not suspect.
    const worker = report.groups.find((g) => g.location.line === healthy.get('worker') && g.location.file.endsWith('main.go'))!;
    expect(worker).toBeDefined();
    expect(worker.suspect).toBe(false);
    expect(worker.labels).toEqual({ role: 'worker' });
    const accept = report.groups.find((g) => g.stack.some((f) => f.function === 'net/http.(*Server).Serve'));
    expect(accept?.suspect).toBe(false);
    const signal = report.groups.find((g) => g.stack.some((f) => f.function === 'os/signal.signal_recv'));
    expect(signal?.suspect).toBe(false);
  });

  it('debug=2 reasons name the blocking operation and creators point at the go statements', async () => {
    const report = goroutineReport(await goroutines(leaky.base, '/debug/pprof/goroutine?debug=2'));
    const at = (name: string) => report.groups.find((g) => g.location.line === leaks.get(name) && g.suspect)!;
    expect(at('abandoned-sender').state).toBe('chan send');
    expect(at('receive-no-sender').state).toBe('chan receive');
    expect(at('range-never-closed').state).toBe('chan receive');
    expect(at('for-select').state).toBe('select');
    expect(at('double-lock').state).toBe('sync.Mutex.Lock');
    expect(at('waitgroup').state).toBe('sync.WaitGroup.Wait');
    expect(at('nil-chan')).toMatchObject({ state: 'chan receive (nil chan)', rule: 'never-wakes' });
    expect(at('select-no-cases')).toMatchObject({ state: 'select (no cases)', rule: 'never-wakes' });
    expect(at('abandoned-sender').reason).toMatch(/6 identical goroutines blocked sending on a channel at main\.abandonedSender\.func1 .*main\.go:\d+/);
    expect(at('abandoned-sender').createdBy).toMatchObject({ function: 'main.abandonedSender', goroutineId: 1 });
    expect(at('abandoned-sender').ids).toHaveLength(6);
  });

  it('diff and trend: leak sites grow with traffic, the worker does not', async () => {
    const snaps: GoroutineProfile[] = [await goroutines(leaky.base, '/debug/pprof/goroutine?debug=0')];
    for (let i = 0; i < 3; i++) {
      await drive(leaky.base, 2);
      snaps.push(await goroutines(leaky.base, '/debug/pprof/goroutine?debug=0'));
    }
    const d = diffProfiles(snaps[0]!, snaps[3]!);
    expect(d.kind).toBe('goroutine');
    // Transient runtime goroutines (e.g. one exiting, with an empty stack) may
    // come and go between snapshots; only the program's own sites are compared.
    const grown = d.changes.filter((c) => c.delta > 0 && c.location.includes('/leaky/main.go:'));
    const grownLines = grown.map((c) => /main\.go:(\d+)$/.exec(c.location)?.[1]).filter(Boolean).map(Number).sort((a, b) => a - b);
    expect(grownLines).toEqual(GOROUTINE_LEAKS.map((n) => leaks.get(n)!).sort((a, b) => a - b));
    expect(grown.map((c) => [c.location, c.delta])).toEqual(grown.map((c) => [c.location, 6]));
    // Synthetic, evenly spaced timestamps: the test controls the work between snapshots.
    const t = trendProfiles(snaps.map((profile, i) => ({ time: i * 60_000, profile })));
    const growing = t.series.filter((s) => s.verdict === 'sustained-growth');
    expect(growing).toHaveLength(GOROUTINE_LEAKS.length);
    for (const s of growing) {
      expect(s.slopePerHour).toBeCloseTo(120, 5); // 2 goroutines per minute
      expect(s.r2).toBeCloseTo(1, 10);
    }
    expect(t.series.find((s) => s.location.endsWith(`main.go:${healthy.get('worker')}`))?.verdict).toBe('stable');
  });

  it('heap: the global map that only grows is the top inuse_space site in protobuf and debug=1', async () => {
    await drive(leaky.base, 20);
    // gc=1: inuse figures are as of the last completed GC (runtime/mprof.go).
    for (const q of ['?gc=1', '?gc=1&debug=1']) {
      const url = `${leaky.base}/debug/pprof/heap${q}`;
      const p = readProfile(await fetchBytes(url), url) as HeapProfile;
      expect(p.kind).toBe('heap');
      const top = topAllocationSites(p, { limit: 3 });
      expect(top.sampleType).toBe('inuse_space');
      expect(top.sites[0]).toMatchObject({ function: 'main.grow', line: leaks.get('heap-map') });
      expect(top.sites[0]!.file).toMatch(/leaky\/main\.go$/);
      // 64 KiB per entry and at least 6 + 6 + 20 entries (MemProfileRate=1, so no sampling error).
      expect(top.sites[0]!.flat).toBeGreaterThanOrEqual(32 * 64 * 1024);
      const objects = topAllocationSites(p, { sampleType: 'inuse_objects', limit: 50 });
      expect(objects.sites.find((s) => s.function === 'main.grow')!.flat).toBeGreaterThanOrEqual(32);
    }
    const before = readProfile(await fetchBytes(`${leaky.base}/debug/pprof/heap?gc=1`), 'before') as HeapProfile;
    await drive(leaky.base, 10);
    const after = readProfile(await fetchBytes(`${leaky.base}/debug/pprof/heap?gc=1`), 'after') as HeapProfile;
    const d = diffProfiles(before, after);
    expect(d.kind).toBe('heap');
    expect(d.changes[0]!.location).toMatch(new RegExp(`^main\\.grow .*main\\.go:${leaks.get('heap-map')}$`));
    expect(d.changes[0]!.delta).toBe(10 * 64 * 1024);
  });
});

describe.skipIf(!hasGo)('GOEXPERIMENT=goroutineleakprofile (Go 1.26)', () => {
  let dir = '';
  let proc: Running;
  const leaks = markers('LEAK');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leakscope-gl-'));
    execFileSync('go', ['build', '-o', join(dir, 'leaky-gl'), '.'], {
      cwd: LEAKY_SRC,
      stdio: 'pipe',
      env: { ...process.env, GOEXPERIMENT: 'goroutineleakprofile' },
    });
    proc = await start(join(dir, 'leaky-gl'), ['6']);
    await settle(proc.base);
  });

  afterAll(() => {
    if (proc?.proc.exitCode === null) proc.proc.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the goroutineleak profile in all three encodings', async () => {
    for (const q of ['debug=0', 'debug=1', 'debug=2']) {
      const p = await goroutines(proc.base, `/debug/pprof/goroutineleak?${q}`);
      expect(p.leakProfile, q).toBe(true);
      expect(p.goroutines.some((g) => g.leaked), q).toBe(true);
    }
  });

  it("leakscope's verdicts agree with the runtime's: every runtime-proved leak is flagged, no healthy goroutine is", async () => {
    // debug=2 of the leak profile is the full dump with (leaked) marks.
    const dump = await goroutines(proc.base, '/debug/pprof/goroutineleak?debug=2');
    const withRuntime = goroutineReport(dump);
    // Same dump with the runtime's marks removed: leakscope's own heuristics.
    const own = goroutineReport({ ...dump, leakProfile: false, goroutines: dump.goroutines.map((g) => ({ ...g, leaked: false })) });
    const runtimeLeaked = new Set(withRuntime.groups.filter((g) => g.leaked > 0).map((g) => g.location.line));
    const ownSuspect = new Set(own.groups.filter((g) => g.suspect).map((g) => g.location.line));
    expect(runtimeLeaked.size).toBeGreaterThan(0);
    for (const line of runtimeLeaked) expect(ownSuspect.has(line), `runtime-leaked line ${line}`).toBe(true);
    // The runtime proves leaks only for primitives unreachable from live
    // goroutines; the seed patterns here are all of that kind.
    const expected = new Set(GOROUTINE_LEAKS.map((n) => leaks.get(n)!));
    for (const line of runtimeLeaked) expect(expected.has(line), `line ${line}`).toBe(true);
    expect([...ownSuspect].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    // With the runtime's marks, reasons cite the runtime.
    expect(withRuntime.groups.filter((g) => g.leaked > 0).every((g) => g.suspect && g.rule === 'runtime-leaked')).toBe(true);
  });
});
