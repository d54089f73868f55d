/**
 * The CLI against a real leaking Go program: test/profiles/go/leaky (each
 * leaking statement carries a `LEAK:<name>` marker, the healthy controls a
 * `HEALTHY:<name>` marker) is built, run with 6 rounds of every leak, and
 * `leakscope goroutines | heap | diff | trend` are run through `execute` on its
 * live net/http/pprof endpoints. Skipped (with a notice) without Go; fails
 * under CI=true without Go.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { requireGo } from '../support/go.js';

const LEAKY_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../profiles/go/leaky');
const MAIN_GO = path.join(LEAKY_SRC, 'main.go');
const GOROUTINE_LEAKS = ['abandoned-sender', 'receive-no-sender', 'range-never-closed', 'for-select', 'double-lock', 'waitgroup', 'nil-chan', 'select-no-cases'];

function markers(kind: 'LEAK' | 'HEALTHY'): Map<string, number> {
  const out = new Map<string, number>();
  fs.readFileSync(MAIN_GO, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = new RegExp(`// ${kind}:([\\w-]+)`).exec(l);
      if (m) out.set(m[1]!, i + 1);
    });
  return out;
}

async function ls(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await execute(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd });
  return { code, stdout, stderr };
}

async function get(url: string): Promise<Buffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return Buffer.from(await r.arrayBuffer());
}

interface Group {
  count: number;
  state: string;
  suspect: boolean;
  rule: string;
  location: { function: string; file: string; line: number };
  labels: Record<string, string>;
  sourceLine: string | null;
  static: { ruleId: string; line: number; message: string; fixHint?: string }[];
}

const hasGo = requireGo('the live CLI profile tests (test/cli/profiles-live.test.ts)');

describe.skipIf(!hasGo)('leakscope goroutines | heap | diff | trend on a live leaking Go program', () => {
  const leaks = markers('LEAK');
  const healthy = markers('HEALTHY');
  const leakLines = GOROUTINE_LEAKS.map((n) => leaks.get(n)!).sort((a, b) => a - b);
  let dir = '';
  let proc: ChildProcess | undefined;
  let base = '';

  /** Waits until no goroutine of the program is still asleep or runnable (abandoned senders sleep 5 ms first). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const text = (await get(`${base}/debug/pprof/goroutine?debug=2`)).toString('utf8');
      const busy = text.split('\n\n').some((g) => /\[(sleep|runnable|running)\b/.test(g) && /\nmain\./.test(g) && !g.includes('net/http'));
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('leaky did not settle');
  }

  async function drive(n: number): Promise<void> {
    await get(`${base}/drive?n=${n}`);
    await settle();
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-cli-live-'));
    execFileSync('go', ['build', '-o', path.join(dir, 'leaky'), '.'], { cwd: LEAKY_SRC, stdio: 'pipe' });
    const p = spawn(path.join(dir, 'leaky'), ['6'], { env: { ...process.env, LEAKY_MEMPROFILERATE: '1', GODEBUG: 'tracebacklabels=1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      p.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port=(\d+)/.exec(out);
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      });
      p.on('exit', (code) => reject(new Error(`leaky exited with ${code}`)));
    });
    await settle();
  }, 120_000);

  afterAll(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('goroutines URL?debug=2 --format json: exactly the leaking sites are suspect, at the marked lines, with the static finding on the abandoned sender', async () => {
    const url = `${base}/debug/pprof/goroutine?debug=2`;
    const r = await ls(['goroutines', url, '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { source: string; total: number; groups: Group[] };
    expect(doc.source).toBe(url);
    const suspect = doc.groups.filter((g) => g.suspect);
    expect(suspect.map((g) => g.location.line).sort((a, b) => a - b)).toEqual(leakLines);
    for (const g of suspect) {
      expect(path.resolve(g.location.file)).toBe(MAIN_GO);
      expect(g.count).toBe(6);
      expect(g.sourceLine).toMatch(/\/\/ LEAK:/);
    }
    const sender = suspect.find((g) => g.location.line === leaks.get('abandoned-sender'))!;
    expect(sender.state).toBe('chan send');
    expect(sender.static.map((s) => [s.ruleId, s.line])).toContainEqual(['abandoned-sender', leaks.get('abandoned-sender')]);
    expect(sender.static.find((s) => s.ruleId === 'abandoned-sender')!.fixHint).toMatch(/buffered/);
    const worker = doc.groups.find((g) => g.location.line === healthy.get('worker'))!;
    expect(worker).toMatchObject({ suspect: false, labels: { role: 'worker' } });
    expect(doc.groups.find((g) => g.rule === 'idler:http-accept')).toBeDefined();

    // The text view shows the code line of each suspect and the static fix.
    const t = await ls(['goroutines', url], dir);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(new RegExp(`^\\s+>\\s*${leaks.get('abandoned-sender')} \\|\\s+ch <- 42 // LEAK:abandoned-sender$`, 'm'));
    expect(t.stdout).toMatch(/static warning \[abandoned-sender\]/);
  });

  it('heap URL: the map that only grows is the top inuse_space site, with its source line', async () => {
    const r = await ls(['heap', `${base}/debug/pprof/heap?gc=1`, '--top', '3'], dir);
    expect(r.code, r.stderr).toBe(0);
    const first = r.stdout.split('\n').find((l) => /%\s+main\./.test(l)) ?? '';
    expect(first).toContain(`main.grow`);
    expect(first).toContain(`main.go:${leaks.get('heap-map')}`);
    expect(r.stdout).toContain('| cache[len(cache)] = make([]byte, 64<<10) // LEAK:heap-map');
  });

  it('diff of two snapshots taken a few seconds apart shows the growth at each leak site (exit 1)', async () => {
    const before = path.join(dir, 'before.pb.gz');
    fs.writeFileSync(before, await get(`${base}/debug/pprof/goroutine`));
    await new Promise((r) => setTimeout(r, 1000));
    await drive(2);
    const r = await ls(['diff', before, `${base}/debug/pprof/goroutine`, '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const d = JSON.parse(r.stdout) as { kind: string; changes: { location: string; delta: number }[] };
    expect(d.kind).toBe('goroutine');
    const grown = d.changes.filter((c) => c.delta > 0 && c.location.includes('/leaky/main.go:'));
    expect(grown.map((c) => Number(/:(\d+)$/.exec(c.location)![1])).sort((a, b) => a - b)).toEqual(leakLines);
    for (const c of grown) expect(c.delta).toBe(2);
    // sorted by growth
    expect(d.changes.map((c) => c.delta)).toEqual([...d.changes.map((c) => c.delta)].sort((a, b) => b - a));
    const within = await ls(['diff', before, `${base}/debug/pprof/goroutine`, '--threshold', '100'], dir);
    expect(within.code).toBe(0);
  });

  it('diff of two heap snapshots: the growing map is the largest growth, by exactly what was added', async () => {
    const before = path.join(dir, 'heap-before.pb.gz');
    fs.writeFileSync(before, await get(`${base}/debug/pprof/heap?gc=1`));
    await drive(10);
    const r = await ls(['diff', before, `${base}/debug/pprof/heap?gc=1`, '--format', 'json', '--threshold', '512KiB'], dir);
    expect(r.code, r.stderr).toBe(1);
    const d = JSON.parse(r.stdout) as { kind: string; sampleType: string; changes: { location: string; delta: number }[] };
    expect(d).toMatchObject({ kind: 'heap', sampleType: 'inuse_space' });
    expect(d.changes[0]!.location).toMatch(new RegExp(`^main\\.grow .*/leaky/main\\.go:${leaks.get('heap-map')}$`));
    // 10 more map entries of 64 KiB each (MemProfileRate=1: no sampling error),
    // plus whatever the map itself reallocated on that line when it grew.
    expect(d.changes[0]!.delta).toBeGreaterThanOrEqual(10 * 64 * 1024);
    expect(d.changes[0]!.delta).toBeLessThan(11 * 64 * 1024);
    expect(d.changes.filter((c) => c.delta > 512 * 1024)).toHaveLength(1);
  });

  it('trend --every 1s --samples 3 samples the URL over time and flags the sites that grow while traffic flows', async () => {
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        await get(`${base}/drive?n=2`);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const t0 = Date.now();
    const r = await ls(['trend', `${base}/debug/pprof/goroutine?debug=1`, '--every', '1s', '--samples', '3', '--format', 'json'], dir);
    stop = true;
    await traffic;
    await settle();
    expect(r.code, r.stderr).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    const t = JSON.parse(r.stdout) as { kind: string; times: number[]; series: { location: string; values: number[]; verdict: string; slopePerHour: number }[] };
    expect(t.kind).toBe('goroutine');
    expect(t.times).toHaveLength(3);
    expect(t.times[2]! - t.times[0]!).toBeGreaterThanOrEqual(1900);
    const at = (line: number) => t.series.find((s) => s.location.endsWith(`/leaky/main.go:${line}`));
    // Sites that are not leaks never show sustained growth.
    const growing = t.series.filter((s) => s.verdict === 'sustained-growth').map((s) => Number(/main\.go:(\d+)$/.exec(s.location)?.[1] ?? -1));
    for (const line of growing) expect([...leakLines, leaks.get('abandoned-sender')! - 1]).toContain(line);
    // The leaks that block immediately grow at every sample.
    for (const name of ['receive-no-sender', 'nil-chan', 'select-no-cases', 'waitgroup']) {
      const s = at(leaks.get(name)!)!;
      expect(s.values[2]!, name).toBeGreaterThan(s.values[0]!);
      expect(s.verdict, name).toBe('sustained-growth');
    }
    expect(at(healthy.get('worker')!)?.verdict).toBe('stable');
  }, 30_000);

  it('bad sources: unreachable port, HTML login page, 404 — one line, exit 2', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const dead = `http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2`;
    const login = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>Login</title></head><body><form method="post">user <input name="u"></form></body></html>');
    });
    await new Promise<void>((r) => login.listen(0, '127.0.0.1', () => r()));
    const loginUrl = `http://127.0.0.1:${(login.address() as net.AddressInfo).port}/debug/pprof/goroutine?debug=2`;
    try {
      const cases: [string, RegExp][] = [
        [dead, /connection refused/],
        [loginUrl, /HTML page/],
        [`${base}/debug/pprof/nosuchprofile?debug=2`, /HTTP 404 Not Found: Unknown profile/],
      ];
      for (const [url, re] of cases) {
        const r = await ls(['goroutines', url, '-f', 'json', '-o', 'out.json'], dir);
        expect(r.code, url).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr).toContain(url);
        expect(r.stderr).toMatch(re);
        expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
      }
    } finally {
      login.closeAllConnections();
      login.close();
    }
  });
});
