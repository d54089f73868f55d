/**
 * @fileoverview `leakscope goroutines` on live Go services (issue 18, parts 2 and 3),
 * their dumps fetched from net/http/pprof while they run:
 *
 * - test/profiles/go/deadlocks: a method holding c.mu calls a method that locks it again
 *   (self-deadlock), and two transfers lock two accounts in opposite orders (AB-BA) with
 *   an audit waiting behind them. A single dump must report both deadlocks with every
 *   goroutine in them, the static double-lock finding attached to the frame that holds
 *   the lock, and the audit as stuck behind the cycle.
 * - test/profiles/go/pools: a healthy service with a 20-worker range pool and a 6-worker
 *   select pool, idle and during a burst of short-lived goroutines, must have no suspect;
 *   the same service with -leak (an 8-worker pool and lookups that abandon their result
 *   senders) must have the abandoned senders as its only suspect.
 *
 * Lines come from `// DEADLOCK:<name>`, `// POOL:<name>` and `// LEAK:<name>` markers.
 * The services are killed after the tests; no wall-clock assertion.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { requireGo } from '../support/go.js';

const GO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../profiles/go');

function marker(dir: string, name: string): number {
  const lines = fs.readFileSync(path.join(GO, dir, 'main.go'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`// ${name}`));
  if (i < 0) throw new Error(`no marker ${name} in ${dir}`);
  return i + 1;
}

async function ls(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await execute(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd });
  return { code, stdout, stderr };
}

const procs: ChildProcess[] = [];

function start(bin: string, args: string[]): Promise<string> {
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port=(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    proc.on('exit', (code) => reject(new Error(`${bin} exited with ${code}: ${err}`)));
  });
}

async function get(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

/** Waits until the dump shows `n` goroutines in `state` at `file:line`. */
async function waitFor(base: string, state: string, line: number, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const dump = await get(`${base}/debug/pprof/goroutine?debug=2`);
    const count = dump.split('\n\n').filter((g) => g.includes(`[${state}`) && new RegExp(`main\\.go:${line} `).test(g)).length;
    if (count >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${base}: no ${n} goroutines in ${state} at main.go:${line}`);
}

interface Doc {
  groups: { count: number; state: string; suspect: boolean; rule: string; reason: string; location: { line: number }; ids: number[]; static: { ruleId: string; line: number; frame?: { function: string } }[]; waitsOn: { kind: string; address: string; waiters: number } | null }[];
  deadlocks: { goroutines: number[]; behind: number[]; parts: string[]; edges: { waiter: number; holder: number; waitAt: { line: number }; lockedAt?: number }[]; finding?: { ruleId: string; line: number } }[];
}

const hasGo = requireGo('the live deadlock and pool tests (test/cli/deadlocks-pools-live.test.ts)');

describe.skipIf(!hasGo)('live services: deadlocks and idle pools from a single dump', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-live-dl-'));
    for (const p of ['deadlocks', 'pools']) execFileSync('go', ['build', '-o', path.join(dir, p), '.'], { cwd: path.join(GO, p), stdio: 'pipe', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  }, 180_000);
  afterAll(() => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the self-deadlock and the AB-BA cycle with every goroutine in them, the static finding attached, and the goroutine stuck behind', async () => {
    const base = await start(path.join(dir, 'deadlocks'), []);
    await get(`${base}/selflock`);
    await get(`${base}/abba`);
    await waitFor(base, 'sync.Mutex.Lock', marker('deadlocks', 'DEADLOCK:self-wait'), 1);
    await waitFor(base, 'sync.Mutex.Lock', marker('deadlocks', 'DEADLOCK:abba-wait'), 2);
    await waitFor(base, 'sync.Mutex.Lock', marker('deadlocks', 'DEADLOCK:behind'), 1);
    const url = `${base}/debug/pprof/goroutine?debug=2`;
    const r = await ls(['goroutines', url, '-f', 'json'], path.join(GO, 'deadlocks'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    const group = (line: number): Doc['groups'] => doc.groups.filter((g) => g.location.line === line);
    const self = group(marker('deadlocks', 'DEADLOCK:self-wait'));
    const abba = group(marker('deadlocks', 'DEADLOCK:abba-wait'));
    const behind = group(marker('deadlocks', 'DEADLOCK:behind'));
    expect(self).toHaveLength(1);
    expect(abba.reduce((n, g) => n + g.count, 0)).toBe(2);
    const abbaIds = abba.flatMap((g) => g.ids).sort((a, b) => a - b);
    expect(doc.deadlocks).toHaveLength(2);
    const selfDl = doc.deadlocks.find((d) => d.goroutines.length === 1)!;
    const cycle = doc.deadlocks.find((d) => d.goroutines.length === 2)!;
    expect(selfDl.goroutines).toEqual(self[0]!.ids);
    expect(selfDl.finding).toMatchObject({ ruleId: 'double-lock', line: marker('deadlocks', 'DEADLOCK:self-call') });
    expect(cycle.goroutines).toEqual(abbaIds);
    expect(cycle.behind).toEqual(behind[0]!.ids);
    // Each transfer waits at its second Lock for the mutex the other took at its first.
    expect(cycle.edges.map((e) => [e.waitAt.line, e.lockedAt])).toEqual([
      [marker('deadlocks', 'DEADLOCK:abba-wait'), marker('deadlocks', 'DEADLOCK:abba-first')],
      [marker('deadlocks', 'DEADLOCK:abba-wait'), marker('deadlocks', 'DEADLOCK:abba-first')],
    ]);
    expect(cycle.edges.map((e) => `${e.waiter}->${e.holder}`).sort()).toEqual([`${abbaIds[0]}->${abbaIds[1]}`, `${abbaIds[1]}->${abbaIds[0]}`].sort());
    expect(self[0]).toMatchObject({ suspect: true, rule: 'self-deadlock' });
    for (const g of abba) expect(g).toMatchObject({ suspect: true, rule: 'lock-cycle' });
    expect(behind[0]).toMatchObject({ suspect: true, rule: 'behind-deadlock' });
    // The static double-lock finding is attached to the frame that holds the lock (the caller), not only the blocking one.
    expect(self[0]!.static.find((s) => s.ruleId === 'double-lock')).toMatchObject({ line: marker('deadlocks', 'DEADLOCK:self-call'), frame: { function: 'main.(*Cache).Get' } });
    expect(self[0]!.waitsOn).toMatchObject({ kind: 'mutex', waiters: 1 });
    // The audit waits on the same mutex as one of the transfers.
    expect(behind[0]!.waitsOn?.waiters).toBe(2);
    // Nothing else is suspect: the HTTP server's goroutines are idlers.
    expect(doc.groups.filter((g) => g.suspect).map((g) => g.rule).sort()).toEqual(['behind-deadlock', 'lock-cycle', 'lock-cycle', 'self-deadlock']);
    const text = await ls(['goroutines', url], path.join(GO, 'deadlocks'));
    expect(text.stdout).toMatch(new RegExp(`DEADLOCK goroutine ${self[0]!.ids[0]} waits for itself`));
    expect(text.stdout).toMatch(new RegExp(`DEADLOCK goroutines ${abbaIds.join(', ')} wait for each other; 1 more wait behind them \\(${behind[0]!.ids[0]}\\)`));
    expect(text.stdout).toMatch(/goroutine \d+ waits at main\.go:\d+ for to\.mu \(mutex 0x[0-9a-f]+\), which goroutine \d+ holds as from\.mu \(locked at main\.go:\d+\)/);
    const html = await ls(['goroutines', url, '-f', 'html'], path.join(GO, 'deadlocks'));
    expect(html.stdout).toContain('<h2>Deadlocks</h2>');
    expect(html.stdout).toContain(`goroutines ${abbaIds.join(', ')} wait for each other`);
  }, 60_000);

  it('a healthy service with idle pools and a burst has no suspect: the pools are idle, the burst is not blocked', async () => {
    const base = await start(path.join(dir, 'pools'), []);
    await get(`${base}/work`);
    await get(`${base}/burst?n=40`);
    const burst = marker('pools', 'POOL:burst');
    await waitFor(base, 'sleep', burst, 40);
    for (let snapshot = 0; snapshot < 2; snapshot++) {
      const r = await ls(['goroutines', `${base}/debug/pprof/goroutine?debug=2`, '-f', 'json'], path.join(GO, 'pools'));
      expect(r.code, r.stdout).toBe(0);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.groups.filter((g) => g.suspect)).toEqual([]);
      const range = doc.groups.find((g) => g.location.line === marker('pools', 'POOL:range-worker'))!;
      const sel = doc.groups.find((g) => g.location.line === marker('pools', 'POOL:select-worker'))!;
      expect(range).toMatchObject({ count: 20, rule: 'idle-pool' });
      expect(range.reason).toMatch(/Pool\.Submit \(main\.go:\d+\) sends on p\.jobs, and a goroutine serving requests \(net\/http\.\S+\) can call it/);
      expect(sel).toMatchObject({ count: 6, rule: 'idle-pool' });
      // Without the source, the counting rule still sees 20 receivers: that is what the evidence changes.
      const bare = await ls(['goroutines', `${base}/debug/pprof/goroutine?debug=2`, '-f', 'json', '--no-source'], path.join(GO, 'pools'));
      expect((JSON.parse(bare.stdout) as Doc).groups.find((g) => g.location.line === marker('pools', 'POOL:range-worker'))?.suspect).toBe(true);
      await get(`${base}/work`);
    }
  }, 60_000);

  it('a leaking service: only the abandoned senders are suspect, its healthy 8-worker pool is not', async () => {
    const base = await start(path.join(dir, 'pools'), ['-leak']);
    await get(`${base}/leak?n=10`);
    await get(`${base}/work`);
    const leak = marker('pools', 'LEAK:abandoned-result');
    await waitFor(base, 'chan send', leak, 10);
    const r = await ls(['goroutines', `${base}/debug/pprof/goroutine?debug=2`, '-f', 'json'], path.join(GO, 'pools'));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.groups.filter((g) => g.suspect).map((g) => [g.location.line, g.count, g.rule])).toEqual([[leak, 10, 'blocked-large-group']]);
    expect(doc.groups.find((g) => g.location.line === marker('pools', 'POOL:range-worker'))).toMatchObject({ count: 8, suspect: false, rule: 'idle-pool' });
  }, 60_000);
});
