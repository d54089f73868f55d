/**
 * Bad input and faults: targets that are dead, slow, serve HTML, truncated or gzip-bomb
 * profiles or a 100 MB body; a full disk and a database that goes away (writes buffered and
 * stored when it returns); `kill -9` of the collector (no committed scrape lost, nothing
 * corrupted); two collectors on one SQLite file (the second refuses).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/monitor/collector.js';
import { parseMonitorConfig } from '../../src/monitor/config.js';
import { createLogger } from '../../src/monitor/index.js';
import { MonitorMetrics } from '../../src/monitor/metrics.js';
import { SqliteStore } from '../../src/monitor/store/sqlite.js';
import { PostgresStore } from '../../src/monitor/store/postgres.js';
import { requireGo } from '../support/go.js';
import { requirePostgres, startPostgres } from '../support/postgres.js';
import { REPO, fastConfig, killAll, killChild, startDemo, waitFor, type Demo } from './helpers.js';

const hasGo = requireGo('the monitor fault tests');

function logSink(lines: string[]) {
  const out = new PassThrough();
  out.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  return createLogger('debug', 'json', out);
}

describe.skipIf(!hasGo)('faults', () => {
  let demo: Demo;
  let bad: http.Server;
  let badUrl = '';
  const open = new Set<http.ServerResponse>();
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-faults-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    demo = await startDemo(['-leak-rate', '5']);
    const real = Buffer.from(await (await fetch(`${demo.url}/debug/pprof/goroutine?debug=0`)).arrayBuffer());
    const bomb = gzipSync(Buffer.alloc(200 << 20));
    bad = http.createServer((req, res) => {
      const kind = (req.url ?? '').split('/')[1];
      if (kind === 'slow') {
        open.add(res);
        return; // never answers
      }
      if (kind === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please sign in</body></html>');
      if (kind === 'trunc') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(real.subarray(0, Math.floor(real.length / 2)));
      if (kind === 'bomb') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bomb);
      if (kind === 'huge') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(1 << 20, 0x41);
        let sent = 0;
        const pump = () => {
          while (sent < 100 && res.write(chunk)) sent++;
          if (sent >= 100) res.end();
          else res.once('drain', pump);
        };
        res.on('close', () => (sent = 100));
        return pump();
      }
      res.writeHead(404).end('404 page not found');
    });
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', () => r()));
    badUrl = `http://127.0.0.1:${(bad.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    for (const r of open) r.destroy();
    await new Promise<void>((r) => bad.close(() => r()));
    bad.closeAllConnections?.();
    await killAll();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('records each bad target as a failed scrape with its reason, backs off, and keeps scraping the good one', async () => {
    const dir = tmp();
    const targets = [{ url: demo.url, instance: 'good' }, ...['slow', 'html', 'trunc', 'bomb', 'huge'].map((k) => ({ url: `${badUrl}/${k}/debug/pprof`, instance: k })), { url: 'http://127.0.0.1:1', instance: 'dead' }];
    const cfg = parseMonitorConfig(fastConfig(targets).replace('  intervals:', '  max-bytes: 8MiB\n  max-backoff: 3s\n  intervals:'), path.join(dir, 'm.yaml'));
    cfg.dataDir = dir;
    const store = SqliteStore.open(dir);
    const lines: string[] = [];
    const c = new Collector({ cfg, store, log: logSink(lines), metrics: new MonitorMetrics(false) });
    const rss0 = process.memoryUsage().rss;
    await c.start();
    try {
      await waitFor('failures recorded for every bad target', async () => {
        const r = await store.query("SELECT instance, COUNT(*) FROM scrapes WHERE ok = 0 AND profile = 'goroutine' GROUP BY instance");
        return r.rows.length === 6;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 4000));
    } finally {
      await c.stop();
    }
    const errs = new Map(
      (await store.query("SELECT instance, error FROM scrapes WHERE ok = 0 AND profile = 'goroutine' GROUP BY instance")).rows.map((r) => [String(r[0]), String(r[1])]),
    );
    expect(errs.get('slow')).toMatch(/^timeout: timed out after \d+ms/);
    expect(errs.get('html')).toMatch(/^not-a-profile: .*HTML page/);
    expect(errs.get('trunc')).toMatch(/^parse: /);
    expect(errs.get('bomb')).toMatch(/gzip bomb|expands beyond/);
    expect(errs.get('huge')).toMatch(/^too-large: |^timeout: /);
    // Every scrape of the oversized target stops at the size limit, or (on a loaded machine,
    // before 8 MiB arrived) at the 320 ms timeout; the limit is reached at least once.
    const huge = (await store.query("SELECT error FROM scrapes WHERE ok = 0 AND profile = 'goroutine' AND instance = 'huge'")).rows.map((r) => String(r[0]));
    expect(huge.every((e) => /^(too-large|timeout): /.test(e)), huge.join('; ')).toBe(true);
    expect(huge.find((e) => e.startsWith('too-large'))).toMatch(/^too-large: .*8388608-byte limit/);
    expect(errs.get('dead')).toBe('down: connection refused');
    const counts = new Map((await store.query("SELECT instance, COUNT(*) FROM scrapes WHERE profile = 'goroutine' GROUP BY instance")).rows.map((r) => [String(r[0]), Number(r[1])]));
    const good = (await store.query("SELECT COUNT(*) FROM scrapes WHERE instance = 'good' AND ok = 1 AND profile = 'goroutine'")).rows[0]![0] as number;
    expect(good).toBeGreaterThan(10);
    // Back-off: every failing target was asked far less often than the healthy one.
    for (const k of ['html', 'trunc', 'bomb', 'huge', 'dead']) expect(counts.get(k)!, k).toBeLessThan(good / 2);
    // Memory stayed bounded: the 100 MB body and the 200 MB bomb were never held.
    expect(process.memoryUsage().rss - rss0).toBeLessThan(150 << 20);
    expect(lines.some((l) => l.includes('scrape of demo/dead goroutine failed: connection refused'))).toBe(true);
    await store.close();
  });

  it('disk full: scrapes are buffered in memory, logged, and written when space returns', async () => {
    const dir = tmp();
    const cfg = parseMonitorConfig(fastConfig([{ url: demo.url }]), path.join(dir, 'm.yaml'));
    cfg.dataDir = dir;
    const store = SqliteStore.open(dir);
    const lines: string[] = [];
    const metrics = new MonitorMetrics(false);
    const c = new Collector({ cfg, store, log: logSink(lines), metrics });
    await c.start();
    try {
      await waitFor('some scrapes', async () => Number((await store.query('SELECT COUNT(*) FROM scrape')).rows[0]![0]) > 5);
      store.checkpoint();
      store.limitSize(true);
      const full = Date.now();
      await waitFor('the store to be reported unavailable', () => c.storeDown && lines.some((l) => /store unavailable: .*(full|FULL)/.test(l)));
      await waitFor('writes buffered', () => c.bufferedWrites > 5);
      store.limitSize(false);
      await waitFor('the buffer to drain', () => !c.storeDown && c.bufferedWrites === 0, 60_000);
      const during = Number((await store.query(`SELECT COUNT(*) FROM scrape WHERE ts > ${full}`)).rows[0]![0]);
      expect(during).toBeGreaterThan(5);
      expect(lines.some((l) => l.includes('store available again'))).toBe(true);
    } finally {
      await c.stop();
      await store.close();
    }
  });

  it('kill -9 loses no committed scrape and corrupts nothing; a second collector on the same file is refused', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'm.yaml'), fastConfig([{ url: demo.url }]).replace('log: { level: info }', 'log: { level: debug }'));
    const child = spawn(process.execPath, [path.join(REPO, 'bin/leakscope.js'), 'monitor', '--config', path.join(dir, 'm.yaml'), '--data-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const committed: number[] = [];
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.includes('"msg":"scrape committed"')) committed.push((JSON.parse(line) as { scrape: number }).scrape);
      }
    });
    await waitFor('30 committed scrapes', () => committed.length >= 30, 60_000);
    // A second collector on the same data directory refuses with a clear message.
    const second = spawn(process.execPath, [path.join(REPO, 'bin/leakscope.js'), 'monitor', demo.url, '--data-dir', dir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err2 = '';
    second.stderr!.on('data', (d: Buffer) => (err2 += d.toString()));
    const code2 = await new Promise<number | null>((r) => second.on('exit', r));
    expect(code2).toBe(2);
    expect(err2).toMatch(/in use by another leakscope collector \(pid \d+/);
    await killChild(child, 'SIGKILL');
    const db = new Database(path.join(dir, 'leakscope.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set((db.prepare('SELECT id FROM scrape').all() as { id: number }[]).map((r) => r.id));
      const missing = committed.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
    // The dead collector's lock does not block a new one (its pid is gone).
    const s = SqliteStore.open(dir);
    await s.acquireCollector('next', os.hostname(), process.pid);
    await s.close();
  });

  const hasPg = requirePostgres('the database-outage test');
  it.skipIf(!hasPg)('PostgreSQL goes away: scrapes are buffered and written when it returns', async () => {
    const pg = await startPostgres();
    const dir = tmp();
    const cfg = parseMonitorConfig(fastConfig([{ url: demo.url }]), path.join(dir, 'm.yaml'));
    cfg.store = pg.url;
    const store = await PostgresStore.open(pg.url);
    const lines: string[] = [];
    const c = new Collector({ cfg, store, log: logSink(lines), metrics: new MonitorMetrics(false) });
    try {
      await c.start();
      await waitFor('some scrapes', async () => Number((await store.query('SELECT COUNT(*) FROM scrapes')).rows[0]![0]) > 5);
      pg.pause();
      const down = Date.now();
      await waitFor('the outage to be noticed', () => c.storeDown, 30_000);
      await waitFor('writes buffered', () => c.bufferedWrites > 5);
      pg.resume();
      await waitFor('the buffer to drain', () => !c.storeDown && c.bufferedWrites === 0, 60_000);
      const during = Number((await store.query(`SELECT COUNT(*) FROM scrapes WHERE ts > ${down}`)).rows[0]![0]);
      expect(during).toBeGreaterThan(5);
      expect(lines.some((l) => /store unavailable/.test(l))).toBe(true);
    } finally {
      await c.stop();
      await store.close();
      pg.stop();
    }
  });
});
