/**
 * Helpers for the monitor's end-to-end tests: build and run the real demo service
 * (examples/leakydemo, a Go program serving net/http/pprof), receivers that record webhook
 * and Alertmanager posts, and polling (tests wait for conditions; they never assert times).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_SRC = path.join(REPO, 'examples', 'leakydemo');

/** Line numbers of the demo's leaks, found by their text so edits do not break tests. */
export function demoLines(): { send: number; cache: number; goStmt: number } {
  const lines = fs.readFileSync(path.join(DEMO_SRC, 'main.go'), 'utf8').split('\n');
  const find = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
  return { send: find('result <- buildReport(id)'), cache: find('cache[id] = make('), goStmt: find('result := make(chan report)') + 1 };
}

let built: string | undefined;
/** Builds the demo once per test file (with the Go 1.26 leak profile enabled). */
export function buildDemo(): string {
  if (built) return built;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-demo-')), 'leakydemo');
  execFileSync('go', ['build', '-o', out, './leakydemo'], { cwd: path.join(REPO, 'examples'), env: { ...process.env, GOEXPERIMENT: 'goroutineleakprofile', GOFLAGS: '-mod=mod' }, stdio: 'pipe' });
  built = out;
  return out;
}

const children = new Set<ChildProcess>();

/** A running demo: its base URL and process. */
export interface Demo {
  url: string;
  port: number;
  proc: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the demo on a free loopback port (`env` adds to the environment, e.g. GOGC). */
export function startDemo(args: string[] = [], env: Record<string, string> = {}): Promise<Demo> {
  const bin = buildDemo();
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port=(\d+)/.exec(out);
      if (m) {
        const port = Number(m[1]);
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          proc,
          kill: (signal = 'SIGKILL') => killChild(proc, signal),
        });
      }
    });
    proc.on('exit', (code) => reject(new Error(`leakydemo exited with ${code}`)));
  });
}

/** Kills a child and waits for it to exit. */
export function killChild(proc: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      children.delete(proc);
      return resolve();
    }
    proc.once('exit', () => {
      children.delete(proc);
      resolve();
    });
    proc.kill(signal);
  });
}

/** Kills every child started by these helpers and removes the demo build (afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => killChild(c)));
  if (built) fs.rmSync(path.dirname(built), { recursive: true, force: true });
  built = undefined;
}

/** Records every POST it receives. */
export interface Receiver {
  url: string;
  posts: { path: string; body: unknown; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export function startReceiver(): Promise<Receiver> {
  const posts: Receiver['posts'] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        posts.push({ path: req.url ?? '', body: JSON.parse(body), headers: req.headers });
      } catch {
        posts.push({ path: req.url ?? '', body, headers: req.headers });
      }
      res.writeHead(200).end('{}');
    });
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      resolve({ url: `http://127.0.0.1:${port}`, posts, close: () => new Promise<void>((r) => srv.close(() => r())) });
    });
  });
}

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 90_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Accelerated monitor configuration (YAML) for one or more targets. */
export function fastConfig(targets: { url: string; job?: string; instance?: string }[], extra = ''): string {
  const t = targets.map((x) => `  - url: ${x.url}\n    job: ${x.job ?? 'demo'}\n${x.instance ? `    instance: ${x.instance}\n` : ''}    source: ${DEMO_SRC}`).join('\n');
  return `listen: 127.0.0.1:0
scrape:
  intervals: { goroutine: 400ms, heap: 800ms, goroutineleak: 800ms }
targets:
${t}
detection:
  bucket: 800ms
  growth: { window: 12s, min-points: 8, min-z: 3, min-slope-per-hour: 3600, min-growth: 40, min-count: 50 }
  heap: { window: 20s, min-points: 10, min-slope-per-hour: 20MiB, min-growth: 2MiB, min-step: 64MiB }
alerts:
  evaluation-interval: 500ms
  for: 2
  resolve-after: 3s
retention:
  profile-every: 2s
evidence:
  min-interval: 1s
fleet: { heartbeat: 500ms, lease: 2s }
log: { level: info }
${extra}`;
}
