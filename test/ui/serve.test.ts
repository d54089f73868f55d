/**
 * The dashboard on the real server (issue 17): the built app under `/` with the strict CSP and
 * no external resources, deep links answered with the app, and the endpoints the pages use
 * (overview, moment with verdicts, flame graphs, example queries) over a real SQLite store,
 * including their bad-input answers (no data, unparsable profile, bad range).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupRow } from '../../src/monitor/store/types.js';
import { uiDir } from '../../src/server/ui.js';
import { issueToken, startServer, type TestServer } from '../server/helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const J = (r: Response): Promise<any> => r.json();

const frames = (fn: string, line: number) => [
  { function: 'runtime.gopark', file: '/usr/local/go/src/runtime/proc.go', line: 460 },
  { function: 'runtime.chansend1', file: '/usr/local/go/src/runtime/chan.go', line: 161 },
  { function: fn, file: '/src/app/main.go', line },
  { function: 'main.main.gowrap1', file: '/src/app/main.go', line: 20 },
];
function group(hash: string, fn: string, line: number, count: number): GroupRow {
  const f = frames(fn, line);
  return { hash, state: 'chan send', frames: f, site: f[2]!, count, leaked: 0, maxWait: 0 };
}

describe('dashboard serving and UI endpoints (real server, SQLite)', () => {
  let s: TestServer;
  let auth: Record<string, string>;
  let tid: number;
  let empty: number;
  const t0 = Date.UTC(2026, 0, 5, 8, 0, 0);
  beforeAll(async () => {
    s = await startServer();
    auth = { authorization: `Bearer ${await issueToken(s.store.auth)}` };
    const ids = await s.store.upsertTargets(
      [
        { key: 'demo', job: 'demo', instance: 'a:6060', url: 'http://a:6060/debug/pprof', labels: { team: 'x' } },
        { key: 'never', job: 'demo', instance: 'b:6060', url: 'http://b:6060/debug/pprof', labels: {} },
      ],
      t0,
    );
    tid = ids.get('demo')!;
    empty = ids.get('never')!;
    const good = fs.readFileSync('src/profiles/testdata/debug0-leaky.pb.gz');
    for (let i = 0; i < 10; i++) {
      const seg = i < 6 ? 0 : 1;
      await s.store.writeScrape({
        targetId: tid,
        profile: 'goroutine',
        ts: t0 + i * 30_000,
        ok: true,
        durationMs: 3,
        total: 10 + i * 5,
        segment: seg,
        bytes: good.length,
        ...(i === 3 ? { blob: good } : {}),
        ...(i === 9 ? { blob: new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5]) } : {}),
        groups: [group('aa11bb22', 'main.leak', 42, 5 + i * 5), group('cc33dd44', 'main.idle', 50, 5)],
      });
    }
  });
  afterAll(async () => s?.close());

  it('serves the built app with the CSP at / and at deep links; assets are immutable and local', async () => {
    expect(uiDir(), 'run `npm run build` first: dist/ui is missing').toBeDefined();
    for (const p of ['/', '/targets/1?range=6h&a=1&b=2', '/login', '/admin/audit']) {
      const r = await fetch(s.url + p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await r.text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      expect(html).not.toMatch(/<script>|<style|style=/);
    }
    const html = await (await fetch(s.url + '/')).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(2);
    for (const a of assets) {
      const r = await fetch(s.url + a);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toContain('immutable');
      const body = await r.text();
      // No request leaves the origin: no fonts, stylesheets or scripts from elsewhere.
      expect(body).not.toMatch(/@import|url\(\s*['"]?https?:|fonts\.googleapis|cdn\.|unpkg|jsdelivr/);
    }
    // The API and other files keep their JSON 404s.
    expect((await fetch(s.url + '/api/v1/nothing', { headers: auth })).status).toBe(404);
    expect((await fetch(s.url + '/assets/missing.js')).status).toBe(404);
    const files = fs.readdirSync(path.join(uiDir()!, 'assets'));
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('the UI endpoints need authentication', async () => {
    for (const p of [`/api/v1/targets/${tid}/overview`, `/api/v1/targets/${tid}/moment`, `/api/v1/targets/${tid}/flame`, '/api/v1/queries/examples']) {
      expect((await fetch(s.url + p)).status, p).toBe(401);
    }
  });

  it('overview: series, top groups, restarts; bad ranges and unknown targets are clear errors', async () => {
    const r = await fetch(`${s.url}/api/v1/targets/${tid}/overview?from=${t0 - 1}&to=${t0 + 600_000}&top=1`, { headers: auth });
    expect(r.status).toBe(200);
    const o = await J(r);
    expect(o.goroutines).toHaveLength(10);
    expect(o.groups).toHaveLength(1);
    expect(o.groups[0]).toMatchObject({ hash: 'aa11bb22', label: 'main.leak main.go:42' });
    expect(o.groups[0].points).toHaveLength(10);
    expect(o.restarts).toEqual([t0 + 6 * 30_000]);
    const bad = await fetch(`${s.url}/api/v1/targets/${tid}/overview?from=${t0}&to=${t0 - 5}`, { headers: auth });
    expect(bad.status).toBe(400);
    expect((await J(bad)).error.message).toMatch(/from < to/);
    expect((await fetch(`${s.url}/api/v1/targets/999/overview`, { headers: auth })).status).toBe(404);
    const garbage = await fetch(`${s.url}/api/v1/targets/${tid}/overview?from=yesterday`, { headers: auth });
    expect(garbage.status).toBe(400);
  });

  it('moment: groups with the verdict of leakscope goroutines; a target with no data says so', async () => {
    const r = await fetch(`${s.url}/api/v1/targets/${tid}/moment?at=${t0 + 600_000}`, { headers: auth });
    const m = await J(r);
    expect(m.at).toBe(t0 + 9 * 30_000);
    const leak = m.groups.find((g: { hash: string }) => g.hash === 'aa11bb22');
    expect(leak.count).toBe(50);
    expect(leak.verdict).toMatchObject({ suspect: true });
    expect(leak.verdict.reason).toMatch(/main\.leak/);
    const none = await fetch(`${s.url}/api/v1/targets/${empty}/moment`, { headers: auth });
    expect(none.status).toBe(404);
    expect((await J(none)).error).toMatchObject({ code: 'no_data', message: expect.stringMatching(/has not answered a goroutine scrape/) });
  });

  it('flame: a stored profile as a tree; an unparsable one is a 422 with the reason', async () => {
    const r = await fetch(`${s.url}/api/v1/targets/${tid}/flame?kind=goroutine&at=${t0 + 3 * 30_000}`, { headers: auth });
    expect(r.status).toBe(200);
    const f = await J(r);
    expect(f.at).toBe(t0 + 3 * 30_000);
    expect(f.root.name).toBe('all');
    expect(f.root.value).toBeGreaterThan(0);
    const sum = f.root.children.reduce((a: number, c: { value: number }) => a + c.value, 0);
    expect(sum).toBe(f.root.value);
    const bad = await fetch(`${s.url}/api/v1/targets/${tid}/flame?kind=goroutine&at=${t0 + 600_000}`, { headers: auth });
    expect(bad.status).toBe(422);
    expect((await J(bad)).error).toMatchObject({ code: 'unparsable_profile', message: expect.stringMatching(/could not be read/) });
    const heap = await fetch(`${s.url}/api/v1/targets/${tid}/flame?kind=heap`, { headers: auth });
    expect(heap.status).toBe(404);
    expect((await fetch(`${s.url}/api/v1/targets/${tid}/flame?kind=cpu`, { headers: auth })).status).toBe(400);
  });

  it('fleet: every target with its sparkline series and growth in one answer', async () => {
    const f = await J(await fetch(`${s.url}/api/v1/fleet?from=${t0 - 1}`, { headers: auth }));
    expect(f.targets.map((x: { target: { job: string; instance: string } }) => x.target.instance).sort()).toEqual(['a:6060', 'b:6060']);
    const demo = f.targets.find((x: { target: { id: number } }) => x.target.id === tid);
    expect(demo.goroutines).toHaveLength(10);
    expect(demo.growth).toBe(45);
    expect(f.targets.find((x: { target: { id: number } }) => x.target.id === empty).goroutines).toEqual([]);
    expect((await fetch(`${s.url}/api/v1/fleet`)).status).toBe(401);
  });

  it('example queries are the documented ones and run', async () => {
    const { queries } = await J(await fetch(`${s.url}/api/v1/queries/examples`, { headers: auth }));
    expect(queries.length).toBe(10);
    const r = await fetch(`${s.url}/api/v1/query`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ sql: queries[5].sql }) });
    expect(r.status).toBe(200);
  });
});
