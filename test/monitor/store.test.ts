/**
 * The store contract, run against the embedded SQLite store and a real PostgreSQL cluster
 * started by the test (test/support/postgres.ts): interning, series, views, read-only
 * queries, retention with down-sampling, alerts' uniqueness, leases with fencing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore, CollectorLockedError } from '../../src/monitor/store/sqlite.js';
import { PostgresStore } from '../../src/monitor/store/postgres.js';
import { FencedError, QueryRefusedError, type AlertRow, type GroupRow, type Store } from '../../src/monitor/store/types.js';
import { DOCUMENTED_QUERIES } from '../../src/monitor/queries.js';
import { requirePostgres, startPostgres, type PgCluster } from '../support/postgres.js';

const frame = (fn: string, line: number) => ({ function: fn, file: '/src/app/main.go', line });

function group(hash: string, count: number, line = 10): GroupRow {
  const site = frame('main.worker', line);
  return { hash, state: 'chan send', frames: [frame('runtime.gopark', 1), site, frame('main.main', 99)], site, count, leaked: 0, maxWait: 0 };
}

function alertRow(fp: string, targetId: number): Omit<AlertRow, 'id'> {
  return {
    fingerprint: fp,
    rule: 'goroutine-growth',
    targetId,
    subject: 's',
    state: 'pending',
    severity: 'warning',
    summary: 'x',
    labels: { alertname: 'A' },
    annotations: {},
    details: {},
    pendingCount: 1,
    startedAt: 1,
    firedAt: null,
    resolvedAt: null,
    reason: null,
    lastEvalAt: 1,
    lastSentAt: null,
    notified: [],
    evidenceState: 'none',
  };
}

function contract(name: string, open: () => Promise<Store>, reopen?: () => Promise<Store>) {
  describe(name, () => {
    let store: Store;
    let tid = 0;
    let held = new Map<number, number>();
    /** The fencing token of the test's target (fleet mode); SQLite ignores it. */
    const fenceFor = async () => {
      held = await store.syncLeases('c1', 10_000, held);
      return store.kind === 'postgres' ? { owner: 'c1', epoch: held.get(tid)! } : undefined;
    };
    const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
    beforeAll(async () => {
      store = await open();
      await store.acquireCollector('c1', os.hostname(), process.pid);
      const ids = await store.upsertTargets([{ key: 'app/a:1', job: 'app', instance: 'a:1', url: 'http://a:1', labels: { team: 'x' } }], T0);
      tid = ids.get('app/a:1')!;
    });
    afterAll(async () => {
      await store?.close();
    });

    it('writes scrapes with interned groups and reads series back', async () => {
      const fence = await fenceFor();
      for (let i = 0; i < 10; i++) {
        await store.writeScrape({ targetId: tid, profile: 'goroutine', ts: T0 + i * 1000, ok: true, durationMs: 3, total: 100 + i * 5, segment: 0, bytes: 10, groups: [group('aa11', 10 + i * 5), group('bb22', 90, 20)], ...(i === 0 ? { blob: new Uint8Array([0x1f, 0x8b, 1, 2, 3]) } : {}) }, fence);
      }
      await store.writeScrape({ targetId: tid, profile: 'goroutine', ts: T0 + 10_500, ok: false, error: 'down: connection refused', durationMs: 1, segment: 0, bytes: 0 }, fence);
      const h = await store.groupHistory(tid, T0);
      expect(h.scrapes).toHaveLength(10);
      expect(h.groups.get('aa11')!.points.map((p) => p.value)).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
      expect(h.groups.get('aa11')!.site).toEqual(frame('main.worker', 10));
      expect(h.groups.get('aa11')!.frames).toHaveLength(3);
      const at = await store.groupsAt(tid, T0 + 5500);
      expect(at!.scrapeTs).toBe(T0 + 5000);
      expect(at!.groups.map((g) => [g.hash, g.count])).toEqual([
        ['bb22', 90],
        ['aa11', 35],
      ]);
      expect((await store.groupSeries(tid, 'aa11', T0, T0 + 3000)).map((p) => p.value)).toEqual([10, 15, 20, 25]);
      const raw = await store.rawProfile(tid, 'goroutine', T0 + 9000, true);
      expect(raw?.ts).toBe(T0);
      const targets = await store.listTargets();
      expect(targets[0]!.lastScrape.goroutine).toMatchObject({ ok: false, error: 'down: connection refused' });
      expect(targets[0]!.labels).toEqual({ team: 'x' });
    });

    it("keeps the pprof labels a group's members share, per scrape", async () => {
      const ids = await store.upsertTargets([{ key: 'app/c:3', job: 'app', instance: 'c:3', url: 'http://c:3', labels: {} }], T0);
      const other = ids.get('app/c:3')!;
      held = await store.syncLeases('c1', 10_000, held);
      const fence = store.kind === 'postgres' ? { owner: 'c1', epoch: held.get(other)! } : undefined;
      await store.writeScrape({ targetId: other, profile: 'goroutine', ts: T0 + 500, ok: true, durationMs: 3, total: 5, segment: 0, bytes: 10, groups: [{ ...group('cc33', 3), labels: { tenant: 'acme "q"', role: 'worker' } }, group('dd44', 2, 11)] }, fence);
      const at = await store.groupsAt(other, T0 + 500);
      expect(at!.groups.map((g) => [g.hash, g.labels])).toEqual([
        ['cc33', { tenant: 'acme "q"', role: 'worker' }],
        ['dd44', {}],
      ]);
      const q = await store.query(`SELECT g.hash, s.labels FROM group_samples s JOIN goroutine_groups g ON g.id = s.group_id WHERE s.target_id = ${other} ORDER BY g.hash`);
      expect(q.columns).toEqual(['hash', 'labels']);
      expect(q.rows.map(([h, l]) => [h, l === null ? null : JSON.parse(String(l))])).toEqual([
        ['cc33', { tenant: 'acme "q"', role: 'worker' }],
        ['dd44', null],
      ]);
    });

    it('fleetTotals answers totals() of every target at once', async () => {
      const ids = await store.upsertTargets([{ key: 'app/b:2', job: 'app', instance: 'b:2', url: 'http://b:2', labels: {} }], T0);
      const other = ids.get('app/b:2')!;
      held = await store.syncLeases('c1', 10_000, held);
      const fence = store.kind === 'postgres' ? { owner: 'c1', epoch: held.get(other)! } : undefined;
      await store.writeScrape({ targetId: other, profile: 'goroutine', ts: T0 + 2000, ok: true, durationMs: 1, total: 7, segment: 1, bytes: 1, groups: [] }, fence);
      const all = await store.fleetTotals('goroutine', T0, T0 + 20_000);
      expect(all.get(tid)).toEqual(await store.totals(tid, 'goroutine', T0, T0 + 20_000));
      expect(all.get(tid)!.map((p) => p.value)).toEqual([100, 105, 110, 115, 120, 125, 130, 135, 140, 145]);
      expect(all.get(other)).toEqual([{ ts: T0 + 2000, value: 7, segment: 1 }]);
      expect((await store.fleetTotals('goroutine', T0 + 3000, T0 + 4000)).get(tid)!.map((p) => p.ts)).toEqual([T0 + 3000, T0 + 4000]);
      expect((await store.fleetTotals('heap', T0, T0 + 20_000)).size).toBe(0);
    });

    it('answers the documented views with the same columns, and every documented query runs', async () => {
      const r = await store.query("SELECT job, instance, count, time FROM group_samples JOIN goroutine_groups g ON g.id = group_samples.group_id WHERE g.hash = 'aa11' ORDER BY ts");
      expect(r.columns).toEqual(['job', 'instance', 'count', 'time']);
      expect(r.rows).toHaveLength(10);
      expect(r.rows[0]).toEqual(['app', 'a:1', 10, '2026-06-01T12:00:00.000Z']);
      for (const q of DOCUMENTED_QUERIES) {
        const res = await store.query(q.sql);
        expect(res.columns.length, q.title).toBeGreaterThan(0);
      }
      const now = await store.query('SELECT now_ms FROM clock');
      expect(Math.abs(Number(now.rows[0]![0]) - Date.now())).toBeLessThan(60_000);
    });

    it('refuses statements that write, several statements and non-SELECTs', async () => {
      for (const bad of ['DELETE FROM scrape', 'UPDATE target SET job = 1', 'DROP TABLE alert', "SELECT 1; DELETE FROM scrape", 'CREATE TABLE x(a int)', 'WITH x AS (SELECT 1) DELETE FROM scrape', "ATTACH DATABASE '/tmp/x' AS x", 'PRAGMA writable_schema = 1']) {
        await expect(store.query(bad), bad).rejects.toBeInstanceOf(QueryRefusedError);
      }
      const h = await store.groupHistory(tid, T0);
      expect(h.scrapes).toHaveLength(10);
    });

    it('keeps at most one active alert per fingerprint', async () => {
      const id = await store.insertAlert(alertRow('fp1', tid));
      await expect(store.insertAlert(alertRow('fp1', tid))).rejects.toThrow(/unique|constraint/i);
      await store.updateAlert(id, { state: 'resolved', resolvedAt: 5, reason: 'recovered' });
      const id2 = await store.insertAlert(alertRow('fp1', tid));
      expect(id2).not.toBe(id);
      const a = await store.getAlert(id);
      expect(a).toMatchObject({ state: 'resolved', reason: 'recovered', labels: { alertname: 'A' } });
    });

    it('conditions: putConditions ends the ones not given, keeps `since` while active', async () => {
      const c = { targetId: tid, rule: 'r', subject: 's', active: true, since: 100, updatedAt: 100, severity: 'warning' as const, summary: 'x', details: { a: 1 }, segment: 0 };
      const fence = await fenceFor();
      await store.putConditions(tid, [c, { ...c, subject: 't' }], 100, fence);
      await store.putConditions(tid, [{ ...c, since: 200 }], 200, fence);
      const all = await store.listConditions(false);
      expect(all.find((x) => x.subject === 's')).toMatchObject({ active: true, since: 100 });
      expect(all.find((x) => x.subject === 't')).toMatchObject({ active: false, endedReason: 'recovered' });
      await store.endConditions(tid, 'restarted', 300, fence);
      expect((await store.listConditions(true)).filter((x) => x.targetId === tid)).toHaveLength(0);
    });

    it('down-samples old raw data into medians and deletes it', async () => {
      const base = Date.UTC(2026, 0, 1);
      const fence = await fenceFor();
      if (store instanceof PostgresStore) await store.ensurePartitions(base);
      for (let i = 0; i < 6; i++) {
        await store.writeScrape({ targetId: tid, profile: 'goroutine', ts: base + i * 60_000, ok: true, durationMs: 1, total: 10 + i, segment: 0, bytes: 1, groups: [group('cc33', [5, 7, 6, 100, 8, 9][i]!)] }, fence);
      }
      const c = await store.applyRetention(base + 10 * 86_400_000, { rawMs: 86_400_000, downsampledMs: 30 * 86_400_000, resolutionMs: 300_000, profilesMs: 86_400_000 });
      expect(c).toBeDefined();
      const pts = await store.groupSeries(tid, 'cc33', base, base + 3_600_000);
      // First 5 minutes (5, 7, 6, 100, 8) -> median 7; the last sample alone -> 9.
      expect(pts.map((p) => [p.ts - base, p.value])).toEqual([
        [0, 7],
        [300_000, 9],
      ]);
      const r = await store.query(`SELECT resolution, count FROM group_samples WHERE ts < ${base + 3_600_000} ORDER BY ts`);
      expect(r.rows).toEqual([
        ['rollup', 7],
        ['rollup', 9],
      ]);
    });

    if (reopen) {
      it('a second collector on the same SQLite file is refused while the first is alive', async () => {
        const other = await reopen();
        try {
          // Same host, and the holder's pid (this process) is alive.
          await expect(other.acquireCollector('c2', os.hostname(), process.pid + 1)).rejects.toBeInstanceOf(CollectorLockedError);
          await expect(other.acquireCollector('c2', os.hostname(), process.pid + 1)).rejects.toThrow(/in use by another leakscope collector/);
        } finally {
          await other.close();
        }
      });
    }
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
contract('SQLite store', async () => SqliteStore.open(dir), async () => SqliteStore.open(dir));

const hasPg = requirePostgres('the PostgreSQL store tests');
describe.skipIf(!hasPg)('PostgreSQL', () => {
  let pg: PgCluster;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  contract('PostgreSQL store', async () => PostgresStore.open(pg.url));

  it('leases: fair shares, SKIP LOCKED claims, epochs fence stale writers, failover after expiry', async () => {
    const a = await PostgresStore.open(pg.url);
    const b = await PostgresStore.open(pg.url);
    try {
      await a.releaseCollector('c1');
      await a.acquireCollector('A', 'h', 1);
      const keys = Array.from({ length: 6 }, (_, i) => ({ key: `fleet/t${i}`, job: 'fleet', instance: `t${i}`, url: `http://t${i}`, labels: {} }));
      const ids = await a.upsertTargets(keys, Date.now());
      // Only the 6 fleet targets are live for this test.
      await a.markGone(keys.map((k) => k.key), Date.now());
      let la = await a.syncLeases('A', 2000, new Map());
      expect(la.size).toBe(6);
      await b.acquireCollector('B', 'h', 2);
      // A releases its excess on its next sync, B claims it.
      la = await a.syncLeases('A', 2000, la);
      const lb = await b.syncLeases('B', 2000, new Map());
      expect(la.size).toBe(3);
      expect(lb.size).toBe(3);
      expect([...la.keys(), ...lb.keys()].sort()).toEqual([...ids.values()].sort());
      // A stale epoch (the lease moved) cannot write.
      const moved = [...lb.keys()][0]!;
      const old = { owner: 'A', epoch: 1 };
      await expect(a.writeScrape({ targetId: moved, profile: 'goroutine', ts: Date.now(), ok: true, durationMs: 1, segment: 0, bytes: 0 }, old)).rejects.toBeInstanceOf(FencedError);
      await b.writeScrape({ targetId: moved, profile: 'goroutine', ts: Date.now(), ok: true, durationMs: 1, segment: 0, bytes: 0 }, { owner: 'B', epoch: lb.get(moved)! });
      // A stops heartbeating: after its leases expire, B takes everything with new epochs.
      await new Promise((r) => setTimeout(r, 2300));
      const lb2 = await b.syncLeases('B', 2000, lb);
      expect(lb2.size).toBe(6);
      for (const [t, ep] of la) expect(lb2.get(t)).toBe(ep + 1);
      // The evaluator role: one holder at a time, epoch bumps on takeover.
      const e1 = await a.acquireEvaluator('A', 500);
      expect(await b.acquireEvaluator('B', 500)).toBeNull();
      await new Promise((r) => setTimeout(r, 700));
      const e2 = await b.acquireEvaluator('B', 500);
      expect(e2).toBe(e1! + 1);
      await expect(a.insertAlert(alertRow('fpx', moved), e1!)).rejects.toBeInstanceOf(FencedError);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
