/**
 * End to end on the embedded store: the real leaking demo service (examples/leakydemo) is
 * scraped by `leakscope monitor` at accelerated intervals. An alert must name the leaking
 * line with its evidence bundle (source, static finding, profiles, dump), reach a webhook in
 * Alertmanager's v4 shape and an Alertmanager's /api/v2/alerts, and the demo's healthy
 * endpoints and background goroutines must raise nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseMonitorConfig, startMonitor, type MonitorHandle } from '../../src/monitor/index.js';
import { listArchive } from '../../src/monitor/evidence.js';
import { execute } from '../../src/cli/main.js';
import { requireGo } from '../support/go.js';
import { demoLines, fastConfig, killAll, startDemo, startReceiver, waitFor, type Demo, type Receiver } from './helpers.js';
import type { AlertRow } from '../../src/monitor/store/types.js';
import { issueToken } from '../server/helpers.js';

const hasGo = requireGo('the monitor end-to-end tests');

describe.skipIf(!hasGo)('leakscope monitor on SQLite against the leaking demo service', () => {
  let demo: Demo;
  let mon: MonitorHandle;
  let hook: Receiver;
  let am: Receiver;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-e2e-'));
  const logs: string[] = [];
  const L = demoLines();
  let token = '';
  /** fetch with the API token (the server requires authentication, issue 16). */
  const fetch = (url: string, init: RequestInit = {}) => globalThis.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    demo = await startDemo(['-leak-rate', '20']);
    hook = await startReceiver();
    am = await startReceiver();
    const yaml = fastConfig([{ url: demo.url }]).replace('alerts:\n', `alerts:\n  webhooks: [{ url: "${hook.url}/hook" }]\n  alertmanagers: [{ url: "${am.url}" }]\n`);
    const cfg = parseMonitorConfig(yaml, path.join(dir, 'monitor.yaml'));
    cfg.dataDir = dir;
    const out = new PassThrough();
    out.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
    mon = await startMonitor(cfg, { log: createLogger('debug', 'json', out), announce: () => undefined });
    token = await issueToken(mon.store.auth);
  });

  afterAll(async () => {
    await mon?.stop();
    await hook?.close();
    await am?.close();
    await killAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires an alert naming the leaking line, with an evidence bundle', async () => {
    const alert = await waitFor('a firing goroutine alert with evidence at the leaking send', async () => {
      const r = (await (await fetch(`${mon.url}/api/v1/alerts?state=firing`)).json()) as { alerts: AlertRow[] };
      return r.alerts.find((a) => a.rule === 'goroutine-growth' && a.evidenceState === 'ready' && a.labels.site === `main.handleReport.func1 leakydemo/main.go:${L.send}`);
    });
    expect(alert.labels).toMatchObject({ alertname: 'GoroutineGroupGrowing', job: 'demo', severity: 'warning' });
    expect(alert.annotations.leaking_line).toBe(`${path.join(process.cwd(), 'examples/leakydemo/main.go')}:${L.send}`);
    expect(alert.annotations.static_finding).toMatch(/^abandoned-sender: .*goroutine blocks forever sending on "result"/);
    const res = await fetch(`${mon.url}/api/v1/alerts/${alert.id}/evidence`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    const files = await listArchive(new Uint8Array(await res.arrayBuffer()));
    const names = [...files.keys()].map((n) => n.replace(/^leakscope-alert-\d+\//, '')).sort();
    expect(names).toEqual(expect.arrayContaining(['summary.md', 'alert.json', 'series.json', 'diff.json', 'profile-start.pb.gz', 'profile-end.pb.gz', 'goroutines-debug2.txt', 'source.json', 'groups.json']));
    const summary = files.get(`leakscope-alert-${alert.id}/summary.md`)!.toString();
    expect(summary).toContain(`**leaking line: \`${path.join(process.cwd(), 'examples/leakydemo/main.go')}:${L.send}\`**`);
    expect(summary).toMatch(/> +\d+ \|\s+result <- buildReport\(id\)/);
    expect(summary).toContain('abandoned-sender');
    const dump = files.get(`leakscope-alert-${alert.id}/goroutines-debug2.txt`)!.toString();
    expect(dump).toMatch(/goroutine \d+ \[chan send/);
    const diff = JSON.parse(files.get(`leakscope-alert-${alert.id}/diff.json`)!.toString()) as { changes: { change: string; site: string; delta: number }[] };
    expect(diff.changes[0]!.site).toContain(`main.go:${L.send}`);
    expect(diff.changes[0]!.delta).toBeGreaterThan(0);
  });

  it('the runtime leak profile confirms it (critical), and notifications went out in Alertmanager shapes', async () => {
    const leak = await waitFor('a goroutineleak alert', async () => {
      const r = (await (await fetch(`${mon.url}/api/v1/alerts?state=firing`)).json()) as { alerts: AlertRow[] };
      return r.alerts.find((a) => a.rule === 'goroutineleak');
    });
    expect(leak.severity).toBe('critical');
    expect(leak.labels.site).toBe(`main.handleReport.func1 leakydemo/main.go:${L.send}`);
    await waitFor('webhook posts', () => hook.posts.length >= 2);
    const body = hook.posts[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ version: '4', status: 'firing', receiver: 'leakscope' });
    expect(Object.keys(body).sort()).toEqual(['alerts', 'commonAnnotations', 'commonLabels', 'externalURL', 'groupKey', 'groupLabels', 'receiver', 'status', 'truncatedAlerts', 'version']);
    const a0 = (body.alerts as Record<string, unknown>[])[0]!;
    expect(Object.keys(a0).sort()).toEqual(['annotations', 'endsAt', 'fingerprint', 'generatorURL', 'labels', 'startsAt', 'status']);
    await waitFor('alertmanager posts', () => am.posts.length >= 1);
    expect(am.posts[0]!.path).toBe('/api/v2/alerts');
    const amAlerts = am.posts[0]!.body as { labels: Record<string, string>; endsAt: string }[];
    expect(Array.isArray(amAlerts)).toBe(true);
    expect(Date.parse(amAlerts[0]!.endsAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('healthy endpoints and background goroutines raise nothing', async () => {
    // Let the detectors see the healthy groups for longer than a growth window.
    await new Promise((r) => setTimeout(r, 6000));
    const r = (await (await fetch(`${mon.url}/api/v1/alerts`)).json()) as { alerts: AlertRow[] };
    expect(r.alerts.length).toBeGreaterThan(0);
    const leakLines = new Set([L.send, L.cache, L.goStmt]);
    for (const a of r.alerts) {
      const site = a.details.site as { file: string; line: number } | undefined;
      expect(site, `alert ${a.rule} ${a.summary}`).toBeDefined();
      expect(leakLines.has(site!.line) && site!.file.endsWith('leakydemo/main.go'), `unexpected alert: ${a.summary}`).toBe(true);
    }
    // The worker pool (8 goroutines parked in select), the refresher, the fan-out: seen, not alerted.
    const groups = (await (await fetch(`${mon.url}/api/v1/targets/1/groups`)).json()) as { groups: { site: { function: string }; count: number }[] };
    expect(groups.groups.some((g) => g.site.function === 'main.workerPool.func1' && g.count === 8)).toBe(true);
  });

  it('serves /metrics, /healthz, the JSON API and read-only SQL', async () => {
    expect((await globalThis.fetch(`${mon.url}/metrics`)).status).toBe(401);
    expect((await globalThis.fetch(`${mon.url}/api/v1/targets`)).status).toBe(401);
    const m = await (await fetch(`${mon.url}/metrics`)).text();
    for (const name of ['leakscope_scrapes_total', 'leakscope_scrape_duration_seconds', 'leakscope_target_up', 'leakscope_target_goroutines', 'leakscope_leaked_goroutines', 'leakscope_heap_inuse_bytes', 'leakscope_alerts']) expect(m).toContain(name);
    expect(m).toMatch(/leakscope_target_up\{job="demo",instance="127\.0\.0\.1:\d+"\} 1/);
    const h = await fetch(`${mon.url}/healthz`);
    expect(h.status).toBe(200);
    expect(((await h.json()) as { status: string }).status).toBe('ok');
    const t = (await (await fetch(`${mon.url}/api/v1/targets`)).json()) as { targets: { id: number; lastScrape: { goroutine: { ok: boolean } } }[] };
    expect(t.targets[0]!.lastScrape.goroutine.ok).toBe(true);
    const s = (await (await fetch(`${mon.url}/api/v1/targets/${t.targets[0]!.id}/series?from=now-5m`)).json()) as { points: number[][] };
    expect(s.points.length).toBeGreaterThan(5);
    expect((await fetch(`${mon.url}/api/v1/targets/abc`)).status).toBe(400);
    expect((await fetch(`${mon.url}/api/v1/alerts/99999`)).status).toBe(404);
    const q = await fetch(`${mon.url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: "SELECT rule, state FROM alerts WHERE rule = 'goroutineleak'" }) });
    expect(((await q.json()) as { rows: unknown[][] }).rows[0]).toEqual(['goroutineleak', 'firing']);
    const bad = await fetch(`${mon.url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'DELETE FROM alert' }) });
    expect(bad.status).toBe(400);
    expect(logs.some((l) => l.includes('"msg":"scrape committed"'))).toBe(true);
  });

  it('leakscope query reads the same store from another connection, as table, CSV and JSON; writes are refused', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), isTTY: false, env: {}, cwd: process.cwd() };
    expect(await execute(['query', '--data-dir', dir, '-f', 'json', "SELECT rule, state FROM alerts WHERE rule = 'goroutineleak'"], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual([{ rule: 'goroutineleak', state: 'firing' }]);
    out.length = 0;
    expect(await execute(['query', '--data-dir', dir, '-f', 'csv', "SELECT job, 'a,b' AS x FROM targets"], io)).toBe(0);
    expect(out.join('')).toBe('job,x\ndemo,"a,b"\n');
    out.length = 0;
    expect(await execute(['query', '--data-dir', dir, 'SELECT job FROM targets'], io)).toBe(0);
    expect(out.join('')).toBe('job\n----\ndemo\n(1 row)\n');
    expect(await execute(['query', '--data-dir', dir, 'DELETE FROM alert'], io)).toBe(2);
    expect(err.join('')).toMatch(/only read-only queries are allowed/);
  });
});
