/**
 * @fileoverview Fleet mode: several collectors share one PostgreSQL database (the `pg`
 * driver) and split the targets between them.
 *
 * - **Collectors** register in `collector` and heartbeat (`heartbeat_at`, database time).
 * - **Leases**: `target_lease(target_id, owner, epoch, lease_until)`. Each heartbeat a
 *   collector renews what it holds, releases what exceeds its fair share
 *   (ceil(targets / live collectors)), and claims free or expired leases with
 *   `FOR UPDATE SKIP LOCKED` (two collectors claiming at once never block or double-claim).
 *   A claim increments `epoch`: the **fencing token**. Every write for a target runs in a
 *   transaction that first reads its lease `FOR SHARE` and refuses (FencedError) unless
 *   owner and epoch are still the writer's, so a collector that lost its lease (paused,
 *   partitioned) cannot write; a concurrent claim waits for that transaction.
 * - **One evaluator**: the `leader` row `evaluator` is a lease with its own epoch; alert
 *   writes are fenced by it the same way.
 * - **Partitions**: `scrape`, `group_sample` and `heap_sample` are partitioned by day
 *   (range on `ts`, epoch ms); partitions are created ahead under an advisory lock, and
 *   retention rolls whole days up into 5-minute medians and drops them.
 * - Times in columns are epoch milliseconds (BIGINT) as in SQLite; lease deadlines use the
 *   database clock (`now()`), so collector clock skew does not matter.
 *
 * The documented views for `leakscope query` have the same names and columns as in SQLite.
 */
import pg from 'pg';
import type { Frame } from '../../profiles/model.js';
import { ALERT_COLUMNS, alertFromRow, alertPatchColumns, alertValues, checkReadOnlySql, frameKey, json, labelsJson, mergeFleetTotals, redactUrl, silenceFromRow, stackHash, stackText, targetFromRow } from './common.js';
import { conditionFromRow } from './sqlite.js';
import { AUTH_AUDIT_TABLE, type AuthStore, type QueryScope } from './auth.js';
import { POSTGRES_AUTH_MIGRATION, SqlAuthStore } from './auth-sql.js';
import {
  FencedError,
  QueryRefusedError,
  StoreUnavailableError,
  type AlertRow,
  type AlertState,
  type Condition,
  type Fence,
  type GroupHistory,
  type GroupInfo,
  type HeapRow,
  type QueryResult,
  type ScrapeRecord,
  type SeriesPoint,
  type SignatureMatchRow,
  type SilenceRow,
  type Store,
  type StoredProfile,
  type TargetStatus,
} from './types.js';
import { createHash } from 'node:crypto';
import { isConnectionError } from '../queue.js';

const DAY = 86_400_000;
const ISO = (col: string) => `to_char(to_timestamp(${col} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const MIGRATIONS: string[] = [
  `
  CREATE TABLE collector(id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at BIGINT NOT NULL, heartbeat_at TIMESTAMPTZ NOT NULL);
  CREATE TABLE leader(role TEXT PRIMARY KEY, owner TEXT, epoch BIGINT NOT NULL, lease_until TIMESTAMPTZ NOT NULL);
  CREATE TABLE target(id SERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, job TEXT NOT NULL, instance TEXT NOT NULL, url TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '{}', source TEXT, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, gone_at BIGINT, segment INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE target_lease(target_id INTEGER PRIMARY KEY REFERENCES target(id), owner TEXT, epoch BIGINT NOT NULL DEFAULT 0, lease_until TIMESTAMPTZ NOT NULL DEFAULT 'epoch');
  CREATE TABLE frame(id SERIAL PRIMARY KEY, function TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, UNIQUE(function, file, line));
  CREATE TABLE stack(id SERIAL PRIMARY KEY, hash TEXT NOT NULL UNIQUE, frame_ids TEXT NOT NULL, text TEXT NOT NULL);
  CREATE TABLE goroutine_group(id SERIAL PRIMARY KEY, hash TEXT NOT NULL UNIQUE, state TEXT NOT NULL, stack_id INTEGER NOT NULL REFERENCES stack(id), site_frame_id INTEGER NOT NULL REFERENCES frame(id), created_by_frame_id INTEGER REFERENCES frame(id));
  CREATE TABLE blob(id BIGSERIAL PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, bytes INTEGER NOT NULL, data BYTEA NOT NULL);
  CREATE TABLE scrape(id BIGSERIAL, target_id INTEGER NOT NULL, profile TEXT NOT NULL, ts BIGINT NOT NULL, ok SMALLINT NOT NULL, error TEXT, duration_ms DOUBLE PRECISION NOT NULL, total BIGINT, segment INTEGER NOT NULL, bytes INTEGER NOT NULL, blob_id BIGINT, PRIMARY KEY (id, ts)) PARTITION BY RANGE (ts);
  CREATE INDEX scrape_target_ts ON scrape(target_id, profile, ts);
  CREATE TABLE group_sample(ts BIGINT NOT NULL, scrape_id BIGINT NOT NULL, group_id INTEGER NOT NULL, count INTEGER NOT NULL, leaked INTEGER NOT NULL DEFAULT 0, max_wait INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (scrape_id, group_id, ts)) PARTITION BY RANGE (ts);
  CREATE TABLE heap_sample(ts BIGINT NOT NULL, scrape_id BIGINT NOT NULL, frame_id INTEGER NOT NULL, inuse_bytes BIGINT NOT NULL, inuse_objects BIGINT NOT NULL, PRIMARY KEY (scrape_id, frame_id, ts)) PARTITION BY RANGE (ts);
  CREATE TABLE group_rollup(target_id INTEGER NOT NULL, ts BIGINT NOT NULL, group_id INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(target_id, ts, group_id));
  CREATE TABLE heap_rollup(target_id INTEGER NOT NULL, ts BIGINT NOT NULL, frame_id INTEGER NOT NULL, inuse_bytes BIGINT NOT NULL, inuse_objects BIGINT NOT NULL, PRIMARY KEY(target_id, ts, frame_id));
  CREATE TABLE total_rollup(target_id INTEGER NOT NULL, profile TEXT NOT NULL, ts BIGINT NOT NULL, total BIGINT NOT NULL, PRIMARY KEY(target_id, profile, ts));
  CREATE TABLE condition(target_id INTEGER NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL, active SMALLINT NOT NULL, since BIGINT NOT NULL, updated_at BIGINT NOT NULL, severity TEXT NOT NULL, summary TEXT NOT NULL, details TEXT NOT NULL, ended_reason TEXT, segment INTEGER NOT NULL, PRIMARY KEY(target_id, rule, subject));
  CREATE TABLE alert(id BIGSERIAL PRIMARY KEY, fingerprint TEXT NOT NULL, rule TEXT NOT NULL, target_id INTEGER NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL, summary TEXT NOT NULL, labels TEXT NOT NULL, annotations TEXT NOT NULL, details TEXT NOT NULL, pending_count INTEGER NOT NULL, started_at BIGINT NOT NULL, fired_at BIGINT, resolved_at BIGINT, reason TEXT, last_eval_at BIGINT NOT NULL, last_sent_at BIGINT, notified TEXT NOT NULL DEFAULT '[]', evidence_state TEXT NOT NULL DEFAULT 'none');
  CREATE UNIQUE INDEX alert_active ON alert(fingerprint) WHERE state IN ('pending', 'firing');
  CREATE INDEX alert_target ON alert(target_id, state);
  CREATE TABLE silence(id BIGSERIAL PRIMARY KEY, matchers TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, created_by TEXT NOT NULL, comment TEXT NOT NULL, created_at BIGINT NOT NULL);
  CREATE TABLE evidence(alert_id BIGINT PRIMARY KEY, created_at BIGINT NOT NULL, summary TEXT NOT NULL, bytes INTEGER NOT NULL, archive BYTEA NOT NULL);
  CREATE TABLE signature_match(target_id INTEGER NOT NULL, signature TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, max_count BIGINT NOT NULL, last_count BIGINT NOT NULL, PRIMARY KEY(target_id, signature));
  `,
  `
  CREATE VIEW clock AS SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS now_ms;
  CREATE VIEW targets AS SELECT t.id, t.job, t.instance, t.url, t.labels, t.source, t.first_seen, t.last_seen, t.gone_at, t.segment,
    (SELECT s.ok FROM scrape s WHERE s.target_id = t.id AND s.profile = 'goroutine' ORDER BY s.ts DESC LIMIT 1) AS up
    FROM target t;
  CREATE VIEW scrapes AS SELECT s.id, s.target_id, t.job, t.instance, s.profile, s.ts, ${ISO('s.ts')} AS time, s.ok, s.error, s.duration_ms, s.total, s.segment, s.bytes
    FROM scrape s JOIN target t ON t.id = s.target_id;
  CREATE VIEW goroutine_groups AS SELECT g.id, g.hash, g.state, f.function, f.file, f.line, cb.function AS created_by, st.text AS stack
    FROM goroutine_group g JOIN frame f ON f.id = g.site_frame_id JOIN stack st ON st.id = g.stack_id LEFT JOIN frame cb ON cb.id = g.created_by_frame_id;
  CREATE VIEW group_samples AS
    SELECT s.target_id, t.job, t.instance, s.ts, ${ISO('s.ts')} AS time, gs.group_id, gs.count, gs.leaked, gs.max_wait, 'raw' AS resolution
      FROM group_sample gs JOIN scrape s ON s.id = gs.scrape_id AND s.ts = gs.ts JOIN target t ON t.id = s.target_id
    UNION ALL
    SELECT r.target_id, t.job, t.instance, r.ts, ${ISO('r.ts')}, r.group_id, r.count, 0, 0, 'rollup'
      FROM group_rollup r JOIN target t ON t.id = r.target_id;
  CREATE VIEW heap_sites AS
    SELECT s.target_id, t.job, t.instance, s.ts, ${ISO('s.ts')} AS time, f.function, f.file, f.line, h.inuse_bytes, h.inuse_objects, 'raw' AS resolution
      FROM heap_sample h JOIN scrape s ON s.id = h.scrape_id AND s.ts = h.ts JOIN target t ON t.id = s.target_id JOIN frame f ON f.id = h.frame_id
    UNION ALL
    SELECT r.target_id, t.job, t.instance, r.ts, ${ISO('r.ts')}, f.function, f.file, f.line, r.inuse_bytes, r.inuse_objects, 'rollup'
      FROM heap_rollup r JOIN target t ON t.id = r.target_id JOIN frame f ON f.id = r.frame_id;
  CREATE VIEW alerts AS SELECT a.id, a.fingerprint, a.rule, t.job, t.instance, a.target_id, a.subject, a.state, a.severity, a.summary,
    a.started_at, ${ISO('a.started_at')} AS started, a.fired_at, a.resolved_at, a.reason, a.evidence_state
    FROM alert a JOIN target t ON t.id = a.target_id;
  CREATE VIEW signature_matches AS SELECT m.target_id, t.job, t.instance, m.signature, m.first_seen, m.last_seen, ${ISO('m.last_seen')} AS last_seen_time, m.max_count, m.last_count
    FROM signature_match m JOIN target t ON t.id = m.target_id;
  `,
  // Accounts, sessions, tokens and the append-only audit log (issue 16).
  POSTGRES_AUTH_MIGRATION,
  // pprof labels shared by a group's members, per scrape (JSON object; NULL when none).
  `ALTER TABLE group_sample ADD COLUMN labels TEXT;`,
  // group_samples gains the labels column (appended last so `SELECT *` users keep their column order;
  // rollups do not keep labels, so NULL there).
  `
  DROP VIEW group_samples;
  CREATE VIEW group_samples AS
    SELECT s.target_id, t.job, t.instance, s.ts, ${ISO('s.ts')} AS time, gs.group_id, gs.count, gs.leaked, gs.max_wait, 'raw' AS resolution, gs.labels
      FROM group_sample gs JOIN scrape s ON s.id = gs.scrape_id AND s.ts = gs.ts JOIN target t ON t.id = s.target_id
    UNION ALL
    SELECT r.target_id, t.job, t.instance, r.ts, ${ISO('r.ts')}, r.group_id, r.count, 0, 0, 'rollup', NULL
      FROM group_rollup r JOIN target t ON t.id = r.target_id;
  `,
];

/**
 * Functions that run SQL given as text or read the server's files: they would reach tables
 * the plan does not show, so `leakscope query` refuses them outside the local scope.
 */
const HIDDEN_READS = /\b(?:query|table|cursor|schema|database)_to_xml\w*|\bts_stat\b|\bset_config\b|\bpg_read_(?:binary_)?file\b|\bpg_ls_\w+|\bpg_stat_file\b|\blo_(?:get|export|open|import)\b|\bdblink\w*/i;

/** Current schema version. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** int8 and numeric as JS numbers (epoch ms and counts fit in 2^53). */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function dayStart(ts: number): number {
  return Math.floor(ts / DAY) * DAY;
}

function dayName(ts: number): string {
  return new Date(dayStart(ts)).toISOString().slice(0, 10).replace(/-/g, '');
}

function ignoreClientError(): void {
  // The failed connection surfaces as the rejection of the next query on the client.
}

/** The PostgreSQL store. */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private collectorId = '';
  readonly auth: AuthStore;
  private frameIds = new Map<string, number>();
  private stackIds = new Map<string, number>();
  private groupIds = new Map<string, number>();
  private partitionDays = new Set<number>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly readonly: boolean,
  ) {
    const numbered = (sql: string) => {
      let i = 0;
      return sql.replace(/\?/g, () => `$${++i}`);
    };
    this.auth = new SqlAuthStore({
      all: (sql, args = []) => this.q(numbered(sql), args),
      run: async (sql, args = []) => {
        try {
          return (await this.pool.query(numbered(sql), args)).rowCount ?? 0;
        } catch (e) {
          if (isConnectionError(e)) throw new StoreUnavailableError(`${this.location}: ${(e as Error).message}`);
          throw e;
        }
      },
      isUniqueViolation: (e) => (e as { code?: string }).code === '23505',
    });
  }

  /** Connects, migrates (unless read-only) and creates the partitions around now. */
  static async open(url: string, opts: { readonly?: boolean; max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 6, types, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, application_name: 'leakscope' });
    pool.on('error', () => undefined); // idle client errors surface on the next query
    const s = new PostgresStore(pool, redactUrl(url), !!opts.readonly);
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new StoreUnavailableError(`cannot connect to ${s.location}: ${(e as Error).message}`);
    }
    if (!opts.readonly) {
      await s.migrate();
      await s.ensurePartitions(Date.now());
    }
    return s;
  }

  /**
   * Checks out a client. pg's pool listens for errors of idle clients only: a connection that
   * dies while a client is checked out but between queries (a server restart in the middle of a
   * transaction) emits 'error' with no listener, an uncaught exception. The listener here
   * keeps it to the rejected query that follows; {@link release} removes it.
   */
  private async checkout(): Promise<pg.PoolClient> {
    const c = await this.pool.connect();
    c.on('error', ignoreClientError);
    return c;
  }

  private release(c: pg.PoolClient): void {
    c.off('error', ignoreClientError);
    c.release();
  }

  private async migrate(): Promise<void> {
    const c = await this.checkout();
    try {
      await c.query('BEGIN');
      await c.query("SELECT pg_advisory_xact_lock(hashtext('leakscope-migrate'))");
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const cur = Number((await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
      if (cur > MIGRATIONS.length) throw new StoreUnavailableError(`${this.location} has schema version ${cur}, newer than this leakscope (${MIGRATIONS.length}); upgrade leakscope`);
      for (let v = cur + 1; v <= MIGRATIONS.length; v++) {
        await c.query(MIGRATIONS[v - 1]!);
        await c.query('INSERT INTO schema_migrations(version, applied_at) VALUES ($1, $2)', [v, Date.now()]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.release(c);
    }
  }

  /** Creates the daily partitions from yesterday to two days ahead of `ts`. */
  async ensurePartitions(ts: number): Promise<void> {
    const days: number[] = [];
    for (let d = dayStart(ts) - DAY; d <= dayStart(ts) + 2 * DAY; d += DAY) if (!this.partitionDays.has(d)) days.push(d);
    if (days.length === 0) return;
    await this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('leakscope-partitions'))");
      for (const d of days) {
        for (const t of ['scrape', 'group_sample', 'heap_sample']) {
          await c.query(`CREATE TABLE IF NOT EXISTS ${t}_p${dayName(d)} PARTITION OF ${t} FOR VALUES FROM (${d}) TO (${d + DAY})`);
        }
      }
    });
    for (const d of days) this.partitionDays.add(d);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let c: pg.PoolClient;
    try {
      c = await this.checkout();
    } catch (e) {
      throw new StoreUnavailableError(`${this.location}: ${(e as Error).message}`);
    }
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      if (isConnectionError(e)) throw new StoreUnavailableError(`${this.location}: ${(e as Error).message}`);
      throw e;
    } finally {
      this.release(c);
    }
  }

  private async q<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, args: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, args)).rows;
    } catch (e) {
      if (isConnectionError(e)) throw new StoreUnavailableError(`${this.location}: ${(e as Error).message}`);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  // --- collectors, leases, leader -----------------------------------------------------

  async acquireCollector(id: string, host: string, pid: number): Promise<void> {
    this.collectorId = id;
    await this.q(
      `INSERT INTO collector(id, host, pid, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at, heartbeat_at = now()`,
      [id, host, pid, Date.now()],
    );
  }

  async heartbeat(id: string): Promise<void> {
    await this.q('UPDATE collector SET heartbeat_at = now() WHERE id = $1', [id]);
  }

  async releaseCollector(id: string): Promise<void> {
    await this.q("UPDATE target_lease SET owner = NULL, lease_until = now() WHERE owner = $1", [id]);
    await this.q("UPDATE leader SET owner = NULL, lease_until = now() WHERE owner = $1", [id]);
    await this.q('DELETE FROM collector WHERE id = $1', [id]);
  }

  async syncLeases(me: string, ttlMs: number, held: ReadonlyMap<number, number>): Promise<Map<number, number>> {
    await this.ensurePartitions(Date.now());
    const out = new Map<number, number>();
    const ids = [...held.keys()];
    const eps = ids.map((i) => held.get(i)!);
    const interval = `${Math.max(1, Math.round(ttlMs))} milliseconds`;
    if (ids.length) {
      const renewed = await this.q<{ target_id: number; epoch: number }>(
        `UPDATE target_lease l SET lease_until = now() + $3::interval FROM unnest($1::int[], $2::bigint[]) AS h(tid, ep)
         WHERE l.target_id = h.tid AND l.epoch = h.ep AND l.owner = $4 RETURNING l.target_id, l.epoch`,
        [ids, eps, interval, me],
      );
      for (const r of renewed) out.set(r.target_id, r.epoch);
    }
    // Fair share: ceil(live targets / live collectors).
    const live = (await this.q<{ live: number }>('SELECT count(*)::int AS live FROM collector WHERE heartbeat_at > now() - $1::interval', [`${Math.round(ttlMs)} milliseconds`]))[0]?.live ?? 1;
    const total = (await this.q<{ total: number }>('SELECT count(*)::int AS total FROM target WHERE gone_at IS NULL'))[0]?.total ?? 0;
    const fair = Math.ceil(total / Math.max(1, live));
    if (out.size > fair) {
      const excess = [...out.keys()].sort((a, b) => b - a).slice(0, out.size - fair);
      await this.q('UPDATE target_lease SET owner = NULL, lease_until = now() WHERE owner = $1 AND target_id = ANY($2::int[])', [me, excess]);
      for (const t of excess) out.delete(t);
    }
    // Leases of gone targets are released.
    await this.q('UPDATE target_lease l SET owner = NULL FROM target t WHERE t.id = l.target_id AND t.gone_at IS NOT NULL AND l.owner = $1', [me]);
    const need = fair - out.size;
    if (need > 0) {
      const claimed = await this.q<{ target_id: number; epoch: number }>(
        `WITH c AS (
           SELECT l.target_id FROM target_lease l JOIN target t ON t.id = l.target_id
           WHERE t.gone_at IS NULL AND (l.owner IS NULL OR l.lease_until < now())
           ORDER BY l.target_id LIMIT $1 FOR UPDATE OF l SKIP LOCKED)
         UPDATE target_lease l SET owner = $2, epoch = l.epoch + 1, lease_until = now() + $3::interval FROM c
         WHERE l.target_id = c.target_id RETURNING l.target_id, l.epoch`,
        [need, me, interval],
      );
      for (const r of claimed) out.set(r.target_id, r.epoch);
    }
    return out;
  }

  async acquireEvaluator(me: string, ttlMs: number): Promise<number | null> {
    const rows = await this.q<{ epoch: number }>(
      `INSERT INTO leader(role, owner, epoch, lease_until) VALUES ('evaluator', $1, 1, now() + $2::interval)
       ON CONFLICT (role) DO UPDATE SET owner = $1, lease_until = now() + $2::interval,
         epoch = CASE WHEN leader.owner = $1 THEN leader.epoch ELSE leader.epoch + 1 END
       WHERE leader.owner = $1 OR leader.owner IS NULL OR leader.lease_until < now()
       RETURNING epoch`,
      [me, `${Math.max(1, Math.round(ttlMs))} milliseconds`],
    );
    return rows[0]?.epoch ?? null;
  }

  private async checkFence(c: pg.PoolClient, targetId: number, fence: Fence | undefined): Promise<void> {
    if (!fence) return;
    const r = await c.query<{ owner: string | null; epoch: number }>('SELECT owner, epoch FROM target_lease WHERE target_id = $1 FOR SHARE', [targetId]);
    const l = r.rows[0];
    if (!l || l.owner !== fence.owner || l.epoch !== fence.epoch) {
      throw new FencedError(`target ${targetId}: lease is now ${l ? `epoch ${l.epoch} of ${l.owner ?? 'nobody'}` : 'missing'}, this write carries epoch ${fence.epoch} of ${fence.owner}`);
    }
  }

  private async checkEvaluator(c: pg.PoolClient, epoch: number | undefined): Promise<void> {
    if (epoch === undefined) return;
    const r = await c.query<{ owner: string | null; epoch: number }>("SELECT owner, epoch FROM leader WHERE role = 'evaluator' FOR SHARE");
    const l = r.rows[0];
    if (!l || l.owner !== this.collectorId || l.epoch !== epoch) throw new FencedError(`evaluator lease is now epoch ${l?.epoch ?? '-'} of ${l?.owner ?? 'nobody'}; this evaluation carries epoch ${epoch}`);
  }

  // --- targets ------------------------------------------------------------------------

  async upsertTargets(targets: readonly { key: string; job: string; instance: string; url: string; labels: Record<string, string>; source?: string }[], now: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (targets.length === 0) return out;
    await this.tx(async (c) => {
      for (const t of targets) {
        const r = await c.query<{ id: number }>(
          `INSERT INTO target(key, job, instance, url, labels, source, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (key) DO UPDATE SET url = excluded.url, labels = excluded.labels, source = excluded.source, last_seen = excluded.last_seen, gone_at = NULL RETURNING id`,
          [t.key, t.job, t.instance, t.url, JSON.stringify(t.labels), t.source ?? null, now],
        );
        out.set(t.key, r.rows[0]!.id);
      }
      await c.query('INSERT INTO target_lease(target_id) SELECT unnest($1::int[]) ON CONFLICT DO NOTHING', [[...out.values()]]);
    });
    return out;
  }

  async markGone(presentKeys: readonly string[], now: number): Promise<number[]> {
    const r = await this.q<{ id: number }>('UPDATE target SET gone_at = $2 WHERE gone_at IS NULL AND NOT (key = ANY($1::text[])) RETURNING id', [presentKeys, now]);
    return r.map((x) => x.id);
  }

  private async targetRows(where = '', args: unknown[] = []): Promise<TargetStatus[]> {
    const rows = await this.q(`SELECT t.*, l.owner FROM target t LEFT JOIN target_lease l ON l.target_id = t.id ${where} ORDER BY job, instance`, args);
    if (rows.length === 0) return [];
    const last = await this.q(
      `SELECT t.id AS target_id, p.profile, s.ts, s.ok, s.error, s.total, s.duration_ms
       FROM unnest($1::int[]) AS t(id) CROSS JOIN (VALUES ('goroutine'), ('heap'), ('goroutineleak')) AS p(profile)
       CROSS JOIN LATERAL (SELECT ts, ok, error, total, duration_ms FROM scrape WHERE target_id = t.id AND profile = p.profile ORDER BY ts DESC LIMIT 1) s`,
      [rows.map((r) => r.id)],
    );
    const byT = new Map<number, Record<string, unknown>[]>();
    for (const s of last) {
      const k = Number(s.target_id);
      (byT.get(k) ?? byT.set(k, []).get(k)!).push(s);
    }
    return rows.map((r) => targetFromRow(r, byT.get(Number(r.id)) ?? []));
  }

  listTargets(): Promise<TargetStatus[]> {
    return this.targetRows();
  }

  async getTarget(id: number): Promise<TargetStatus | undefined> {
    return (await this.targetRows('WHERE t.id = $1', [id]))[0];
  }

  async setSegment(targetId: number, segment: number, fence?: Fence): Promise<void> {
    await this.tx(async (c) => {
      await this.checkFence(c, targetId, fence);
      await c.query('UPDATE target SET segment = $2 WHERE id = $1', [targetId, segment]);
    });
  }

  // --- scrapes ------------------------------------------------------------------------

  private async frameId(c: pg.PoolClient, f: Frame): Promise<number> {
    const k = frameKey(f);
    const cached = this.frameIds.get(k);
    if (cached !== undefined) return cached;
    const r = await c.query<{ id: number }>(
      `WITH i AS (INSERT INTO frame(function, file, line) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id)
       SELECT id FROM i UNION ALL SELECT id FROM frame WHERE function = $1 AND file = $2 AND line = $3 LIMIT 1`,
      [f.function, f.file, f.line],
    );
    const id = r.rows[0]!.id;
    this.frameIds.set(k, id);
    return id;
  }

  private async groupId(c: pg.PoolClient, g: { hash: string; state: string; frames: readonly Frame[]; site: Frame; createdBy?: Frame }): Promise<number> {
    const cached = this.groupIds.get(g.hash);
    if (cached !== undefined) return cached;
    const found = await c.query<{ id: number }>('SELECT id FROM goroutine_group WHERE hash = $1', [g.hash]);
    if (found.rows[0]) {
      this.groupIds.set(g.hash, found.rows[0].id);
      return found.rows[0].id;
    }
    const sh = stackHash(g.frames);
    let stack = this.stackIds.get(sh);
    if (stack === undefined) {
      const ids: number[] = [];
      for (const f of g.frames) ids.push(await this.frameId(c, f));
      const r = await c.query<{ id: number }>(
        `WITH i AS (INSERT INTO stack(hash, frame_ids, text) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id)
         SELECT id FROM i UNION ALL SELECT id FROM stack WHERE hash = $1 LIMIT 1`,
        [sh, ids.join(','), stackText(g.frames)],
      );
      stack = r.rows[0]!.id;
      this.stackIds.set(sh, stack);
    }
    const site = await this.frameId(c, g.site);
    const cb = g.createdBy ? await this.frameId(c, g.createdBy) : null;
    const r = await c.query<{ id: number }>(
      `WITH i AS (INSERT INTO goroutine_group(hash, state, stack_id, site_frame_id, created_by_frame_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id)
       SELECT id FROM i UNION ALL SELECT id FROM goroutine_group WHERE hash = $1 LIMIT 1`,
      [g.hash, g.state, stack, site, cb],
    );
    const id = r.rows[0]!.id;
    this.groupIds.set(g.hash, id);
    return id;
  }

  async writeScrape(rec: ScrapeRecord, fence?: Fence): Promise<number> {
    await this.ensurePartitions(rec.ts);
    try {
      return await this.tx(async (c) => {
        await this.checkFence(c, rec.targetId, fence);
        let blobId: number | null = null;
        if (rec.blob) {
          const sha = createHash('sha256').update(rec.blob).digest('hex');
          const r = await c.query<{ id: number }>(
            `WITH i AS (INSERT INTO blob(sha256, created_at, bytes, data) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id)
             SELECT id FROM i UNION ALL SELECT id FROM blob WHERE sha256 = $1 LIMIT 1`,
            [sha, rec.ts, rec.blob.length, Buffer.from(rec.blob.buffer, rec.blob.byteOffset, rec.blob.byteLength)],
          );
          blobId = r.rows[0]!.id;
        }
        const s = await c.query<{ id: number }>(
          'INSERT INTO scrape(target_id, profile, ts, ok, error, duration_ms, total, segment, bytes, blob_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id',
          [rec.targetId, rec.profile, rec.ts, rec.ok ? 1 : 0, rec.error ?? null, rec.durationMs, rec.total ?? null, rec.segment, rec.bytes, blobId],
        );
        const id = s.rows[0]!.id;
        if (rec.groups?.length) {
          const gids: number[] = [];
          for (const g of rec.groups) gids.push(await this.groupId(c, g));
          await c.query(
            `INSERT INTO group_sample(ts, scrape_id, group_id, count, leaked, max_wait, labels)
             SELECT $1, $2, g, n, l, w, lb FROM unnest($3::int[], $4::int[], $5::int[], $6::int[], $7::text[]) AS x(g, n, l, w, lb) ON CONFLICT DO NOTHING`,
            [rec.ts, id, gids, rec.groups.map((g) => g.count), rec.groups.map((g) => g.leaked), rec.groups.map((g) => g.maxWait), rec.groups.map((g) => labelsJson(g.labels))],
          );
        }
        if (rec.heap?.length) {
          const fids: number[] = [];
          for (const h of rec.heap) fids.push(await this.frameId(c, h.site));
          await c.query(
            `INSERT INTO heap_sample(ts, scrape_id, frame_id, inuse_bytes, inuse_objects)
             SELECT $1, $2, f, b, o FROM unnest($3::int[], $4::bigint[], $5::bigint[]) AS x(f, b, o) ON CONFLICT DO NOTHING`,
            [rec.ts, id, fids, rec.heap.map((h) => h.inuseBytes), rec.heap.map((h) => h.inuseObjects)],
          );
        }
        return id;
      });
    } catch (e) {
      this.frameIds.clear();
      this.stackIds.clear();
      this.groupIds.clear();
      throw e;
    }
  }

  private async framesOf(ids: string): Promise<Frame[]> {
    if (!ids) return [];
    const list = ids.split(',').map(Number);
    const rows = await this.q<{ id: number; function: string; file: string; line: number }>('SELECT id, function, file, line FROM frame WHERE id = ANY($1::int[])', [list]);
    const by = new Map(rows.map((r) => [r.id, { function: r.function, file: r.file, line: r.line }]));
    return list.map((i) => by.get(i)!).filter(Boolean);
  }

  async groupHistory(targetId: number, since: number): Promise<GroupHistory> {
    const scrapes = await this.q<{ ts: number; total: number; segment: number }>(
      "SELECT ts, COALESCE(total, 0) AS total, segment FROM scrape WHERE target_id = $1 AND profile = 'goroutine' AND ok = 1 AND ts >= $2 ORDER BY ts",
      [targetId, since],
    );
    const groups: GroupHistory['groups'] = new Map();
    if (scrapes.length === 0) return { scrapes: [], groups };
    const rows = await this.q(
      `SELECT s.ts, s.segment, g.hash, g.state, st.frame_ids, sf.function AS sfn, sf.file AS sfile, sf.line AS sline, cb.function AS cfn, cb.file AS cfile, cb.line AS cline, gs.count
       FROM group_sample gs JOIN scrape s ON s.id = gs.scrape_id AND s.ts = gs.ts JOIN goroutine_group g ON g.id = gs.group_id JOIN stack st ON st.id = g.stack_id
       JOIN frame sf ON sf.id = g.site_frame_id LEFT JOIN frame cb ON cb.id = g.created_by_frame_id
       WHERE s.target_id = $1 AND s.profile = 'goroutine' AND s.ts >= $2 AND gs.ts >= $2 ORDER BY s.ts`,
      [targetId, since],
    );
    for (const r of rows) {
      const hash = String(r.hash);
      let g = groups.get(hash);
      if (!g) {
        g = { state: String(r.state), site: { function: String(r.sfn), file: String(r.sfile), line: Number(r.sline) }, frames: await this.framesOf(String(r.frame_ids)), points: [] };
        if (r.cfn !== null) g.createdBy = { function: String(r.cfn), file: String(r.cfile), line: Number(r.cline) };
        groups.set(hash, g);
      }
      g.points.push({ ts: Number(r.ts), value: Number(r.count), segment: Number(r.segment) });
    }
    return { scrapes, groups };
  }

  async heapHistory(targetId: number, since: number): ReturnType<Store['heapHistory']> {
    const scrapes = await this.q<{ ts: number; total: number; segment: number }>(
      "SELECT ts, COALESCE(total, 0) AS total, segment FROM scrape WHERE target_id = $1 AND profile = 'heap' AND ok = 1 AND ts >= $2 ORDER BY ts",
      [targetId, since],
    );
    const rows = await this.q(
      `SELECT s.ts, s.segment, f.function, f.file, f.line, h.inuse_bytes FROM heap_sample h JOIN scrape s ON s.id = h.scrape_id AND s.ts = h.ts JOIN frame f ON f.id = h.frame_id
       WHERE s.target_id = $1 AND s.profile = 'heap' AND s.ts >= $2 AND h.ts >= $2 ORDER BY s.ts`,
      [targetId, since],
    );
    const sites = new Map<string, { site: Frame; points: SeriesPoint[] }>();
    for (const r of rows) {
      const k = `${String(r.function)} ${String(r.file)}:${Number(r.line)}`;
      let s = sites.get(k);
      if (!s) sites.set(k, (s = { site: { function: String(r.function), file: String(r.file), line: Number(r.line) }, points: [] }));
      s.points.push({ ts: Number(r.ts), value: Number(r.inuse_bytes), segment: Number(r.segment) });
    }
    return { scrapes, sites };
  }

  async totals(targetId: number, profile: StoredProfile, from: number, to: number): Promise<SeriesPoint[]> {
    const roll = await this.q<{ ts: number; total: number }>('SELECT ts, total FROM total_rollup WHERE target_id = $1 AND profile = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts', [targetId, profile, from, to]);
    const raw = await this.q<{ ts: number; total: number; segment: number }>(
      'SELECT ts, COALESCE(total, 0) AS total, segment FROM scrape WHERE target_id = $1 AND profile = $2 AND ok = 1 AND ts >= $3 AND ts <= $4 ORDER BY ts',
      [targetId, profile, from, to],
    );
    return [...roll.map((r) => ({ ts: r.ts, value: r.total })), ...raw.map((r) => ({ ts: r.ts, value: r.total, segment: r.segment }))];
  }

  async fleetTotals(profile: StoredProfile, from: number, to: number): Promise<Map<number, SeriesPoint[]>> {
    const roll = await this.q<{ target_id: number; ts: number; total: number }>('SELECT target_id, ts, total FROM total_rollup WHERE profile = $1 AND ts >= $2 AND ts <= $3 ORDER BY target_id, ts', [profile, from, to]);
    const raw = await this.q<{ target_id: number; ts: number; total: number; segment: number }>(
      'SELECT target_id, ts, COALESCE(total, 0) AS total, segment FROM scrape WHERE profile = $1 AND ok = 1 AND ts >= $2 AND ts <= $3 ORDER BY target_id, ts',
      [profile, from, to],
    );
    return mergeFleetTotals(roll, raw);
  }

  async groupsAt(targetId: number, ts: number): Promise<{ scrapeTs: number; groups: GroupInfo[] } | undefined> {
    const s = (await this.q<{ id: number; ts: number }>("SELECT id, ts FROM scrape WHERE target_id = $1 AND profile = 'goroutine' AND ok = 1 AND ts <= $2 ORDER BY ts DESC LIMIT 1", [targetId, ts]))[0];
    if (!s) return undefined;
    const rows = await this.q(
      `SELECT g.id, g.hash, g.state, st.frame_ids, sf.function AS sfn, sf.file AS sfile, sf.line AS sline, cb.function AS cfn, cb.file AS cfile, cb.line AS cline, gs.count, gs.leaked, gs.max_wait, gs.labels
       FROM group_sample gs JOIN goroutine_group g ON g.id = gs.group_id JOIN stack st ON st.id = g.stack_id JOIN frame sf ON sf.id = g.site_frame_id LEFT JOIN frame cb ON cb.id = g.created_by_frame_id
       WHERE gs.scrape_id = $1 AND gs.ts = $2 ORDER BY gs.count DESC`,
      [s.id, s.ts],
    );
    const groups: GroupInfo[] = [];
    for (const r of rows) {
      groups.push({
        id: Number(r.id),
        hash: String(r.hash),
        state: String(r.state),
        site: { function: String(r.sfn), file: String(r.sfile), line: Number(r.sline) },
        frames: await this.framesOf(String(r.frame_ids)),
        createdBy: r.cfn === null ? null : { function: String(r.cfn), file: String(r.cfile), line: Number(r.cline) },
        count: Number(r.count),
        leaked: Number(r.leaked),
        maxWait: Number(r.max_wait),
        labels: json<Record<string, string>>(r.labels, {}),
      });
    }
    return { scrapeTs: s.ts, groups };
  }

  async groupSeries(targetId: number, groupHash: string, from: number, to: number): Promise<SeriesPoint[]> {
    const g = (await this.q<{ id: number }>('SELECT id FROM goroutine_group WHERE hash = $1', [groupHash]))[0];
    if (!g) return [];
    const roll = await this.q<{ ts: number; count: number }>('SELECT ts, count FROM group_rollup WHERE target_id = $1 AND group_id = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts', [targetId, g.id, from, to]);
    const raw = await this.q<{ ts: number; segment: number; count: number }>(
      `SELECT s.ts, s.segment, COALESCE(gs.count, 0) AS count FROM scrape s LEFT JOIN group_sample gs ON gs.scrape_id = s.id AND gs.ts = s.ts AND gs.group_id = $1
       WHERE s.target_id = $2 AND s.profile = 'goroutine' AND s.ok = 1 AND s.ts >= $3 AND s.ts <= $4 ORDER BY s.ts`,
      [g.id, targetId, from, to],
    );
    return [...roll.map((r) => ({ ts: r.ts, value: r.count })), ...raw.map((r) => ({ ts: r.ts, value: r.count, segment: r.segment }))];
  }

  async heapSitesAt(targetId: number, ts: number): Promise<{ scrapeTs: number; sites: HeapRow[] } | undefined> {
    const s = (await this.q<{ id: number; ts: number }>("SELECT id, ts FROM scrape WHERE target_id = $1 AND profile = 'heap' AND ok = 1 AND ts <= $2 ORDER BY ts DESC LIMIT 1", [targetId, ts]))[0];
    if (!s) return undefined;
    const rows = await this.q(
      'SELECT f.function, f.file, f.line, h.inuse_bytes, h.inuse_objects FROM heap_sample h JOIN frame f ON f.id = h.frame_id WHERE h.scrape_id = $1 AND h.ts = $2 ORDER BY h.inuse_bytes DESC',
      [s.id, s.ts],
    );
    return { scrapeTs: s.ts, sites: rows.map((r) => ({ site: { function: String(r.function), file: String(r.file), line: Number(r.line) }, inuseBytes: Number(r.inuse_bytes), inuseObjects: Number(r.inuse_objects) })) };
  }

  async rawProfile(targetId: number, profile: StoredProfile, ts: number, before: boolean): Promise<{ ts: number; data: Uint8Array } | undefined> {
    const sql = before
      ? 'SELECT s.ts, b.data FROM scrape s JOIN blob b ON b.id = s.blob_id WHERE s.target_id = $1 AND s.profile = $2 AND s.ts <= $3 ORDER BY s.ts DESC LIMIT 1'
      : 'SELECT s.ts, b.data FROM scrape s JOIN blob b ON b.id = s.blob_id WHERE s.target_id = $1 AND s.profile = $2 AND s.ts >= $3 ORDER BY s.ts ASC LIMIT 1';
    const r = (await this.q<{ ts: number; data: Buffer }>(sql, [targetId, profile, ts]))[0];
    return r ? { ts: r.ts, data: new Uint8Array(r.data) } : undefined;
  }

  async lastBlobTs(targetId: number, profile: StoredProfile): Promise<number | undefined> {
    const r = await this.q<{ ts: number | null }>('SELECT MAX(ts) AS ts FROM scrape WHERE target_id = $1 AND profile = $2 AND blob_id IS NOT NULL', [targetId, profile]);
    return r[0]?.ts ?? undefined;
  }

  // --- conditions, alerts -------------------------------------------------------------

  async putConditions(targetId: number, conditions: readonly Condition[], now: number, fence?: Fence): Promise<void> {
    await this.tx(async (c) => {
      await this.checkFence(c, targetId, fence);
      for (const x of conditions) {
        await c.query(
          `INSERT INTO condition(target_id, rule, subject, active, since, updated_at, severity, summary, details, ended_reason, segment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (target_id, rule, subject) DO UPDATE SET active = excluded.active,
             since = CASE WHEN condition.active = 1 AND excluded.active = 1 THEN condition.since ELSE excluded.since END,
             updated_at = excluded.updated_at, severity = excluded.severity, summary = excluded.summary, details = excluded.details, ended_reason = excluded.ended_reason, segment = excluded.segment`,
          [targetId, x.rule, x.subject, x.active ? 1 : 0, x.since, now, x.severity, x.summary, JSON.stringify(x.details), x.endedReason ?? null, x.segment],
        );
      }
      await c.query(
        `UPDATE condition SET active = 0, updated_at = $2, ended_reason = 'recovered' WHERE target_id = $1 AND active = 1
         AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS k(r, s) WHERE k.r = condition.rule AND k.s = condition.subject)`,
        [targetId, now, conditions.map((x) => x.rule), conditions.map((x) => x.subject)],
      );
    });
  }

  async endConditions(targetId: number, reason: string, now: number, fence?: Fence): Promise<void> {
    await this.tx(async (c) => {
      await this.checkFence(c, targetId, fence);
      await c.query('UPDATE condition SET active = 0, updated_at = $2, ended_reason = $3 WHERE target_id = $1 AND active = 1', [targetId, now, reason]);
    });
  }

  async listConditions(activeOnly: boolean): Promise<Condition[]> {
    return (await this.q(`SELECT * FROM condition ${activeOnly ? 'WHERE active = 1' : ''}`)).map(conditionFromRow);
  }

  async listAlerts(filter: { state?: AlertState | 'active'; targetId?: number; limit?: number } = {}): Promise<AlertRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state === 'active') where.push("state IN ('pending', 'firing')");
    else if (filter.state) {
      args.push(filter.state);
      where.push(`state = $${args.length}`);
    }
    if (filter.targetId !== undefined) {
      args.push(filter.targetId);
      where.push(`target_id = $${args.length}`);
    }
    const limit = Math.max(1, Math.min(filter.limit ?? 1000, 10000));
    return (await this.q(`SELECT * FROM alert ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${limit}`, args)).map(alertFromRow);
  }

  async getAlert(id: number): Promise<AlertRow | undefined> {
    const r = (await this.q('SELECT * FROM alert WHERE id = $1', [id]))[0];
    return r ? alertFromRow(r) : undefined;
  }

  async insertAlert(a: Omit<AlertRow, 'id'>, epoch?: number): Promise<number> {
    return this.tx(async (c) => {
      await this.checkEvaluator(c, epoch);
      const r = await c.query<{ id: number }>(`INSERT INTO alert(${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, alertValues(a));
      return r.rows[0]!.id;
    });
  }

  async updateAlert(id: number, patch: Partial<AlertRow>, epoch?: number): Promise<void> {
    const cols = alertPatchColumns(patch);
    if (cols.length === 0) return;
    await this.tx(async (c) => {
      await this.checkEvaluator(c, epoch);
      await c.query(`UPDATE alert SET ${cols.map(([k], i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...cols.map(([, v]) => v)]);
    });
  }

  async listSilences(includeExpired: boolean): Promise<SilenceRow[]> {
    return (await this.q(`SELECT * FROM silence ${includeExpired ? '' : 'WHERE ends_at > $1'} ORDER BY id`, includeExpired ? [] : [Date.now()])).map(silenceFromRow);
  }

  async addSilence(s: Omit<SilenceRow, 'id'>): Promise<number> {
    const r = await this.q<{ id: number }>('INSERT INTO silence(matchers, starts_at, ends_at, created_by, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
      JSON.stringify(s.matchers),
      s.startsAt,
      s.endsAt,
      s.createdBy,
      s.comment,
      s.createdAt,
    ]);
    return r[0]!.id;
  }

  async expireSilence(id: number, now: number): Promise<boolean> {
    return (await this.q('UPDATE silence SET ends_at = $2 WHERE id = $1 AND ends_at > $2 RETURNING id', [id, now])).length > 0;
  }

  async saveEvidence(alertId: number, archive: Uint8Array, summary: string, now: number): Promise<void> {
    await this.q(
      `INSERT INTO evidence(alert_id, created_at, summary, bytes, archive) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (alert_id) DO UPDATE SET created_at = excluded.created_at, summary = excluded.summary, bytes = excluded.bytes, archive = excluded.archive`,
      [alertId, now, summary, archive.length, Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength)],
    );
  }

  async getEvidence(alertId: number): Promise<{ createdAt: number; summary: string; archive: Uint8Array } | undefined> {
    const r = (await this.q<{ created_at: number; summary: string; archive: Buffer }>('SELECT created_at, summary, archive FROM evidence WHERE alert_id = $1', [alertId]))[0];
    return r ? { createdAt: r.created_at, summary: r.summary, archive: new Uint8Array(r.archive) } : undefined;
  }

  async recordSignatureMatches(targetId: number, matches: readonly { signature: string; count: number }[], ts: number, fence?: Fence): Promise<void> {
    if (matches.length === 0) return;
    await this.tx(async (c) => {
      await this.checkFence(c, targetId, fence);
      for (const m of matches) {
        await c.query(
          `INSERT INTO signature_match(target_id, signature, first_seen, last_seen, max_count, last_count) VALUES ($1, $2, $3, $3, $4, $4)
           ON CONFLICT (target_id, signature) DO UPDATE SET last_seen = excluded.last_seen, max_count = GREATEST(signature_match.max_count, excluded.max_count), last_count = excluded.last_count`,
          [targetId, m.signature, ts, m.count],
        );
      }
    });
  }

  async listSignatureMatches(): Promise<SignatureMatchRow[]> {
    return (await this.q('SELECT m.*, t.job, t.instance FROM signature_match m JOIN target t ON t.id = m.target_id ORDER BY m.last_seen DESC')).map((r) => ({
      targetId: Number(r.target_id),
      job: String(r.job),
      instance: String(r.instance),
      signature: String(r.signature),
      firstSeen: Number(r.first_seen),
      lastSeen: Number(r.last_seen),
      maxCount: Number(r.max_count),
      lastCount: Number(r.last_count),
    }));
  }

  // --- maintenance --------------------------------------------------------------------

  async applyRetention(now: number, r: { rawMs: number; downsampledMs: number; resolutionMs: number; profilesMs: number }): Promise<Record<string, number>> {
    const counts: Record<string, number> = { droppedPartitions: 0, deletedBlobs: 0, deletedRollups: 0 };
    const cutoff = now - r.rawMs;
    const res = r.resolutionMs;
    const parts = await this.q<{ name: string }>("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'scrape'");
    for (const { name } of parts) {
      const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!m) continue;
      const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (start + DAY > cutoff) continue;
      const day = name.slice(name.indexOf('_p') + 2);
      await this.tx(async (c) => {
        await c.query(
          `INSERT INTO group_rollup(target_id, ts, group_id, count)
           SELECT s.target_id, (s.ts / $1) * $1, gs.group_id, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY gs.count))::int
           FROM group_sample_p${day} gs JOIN scrape_p${day} s ON s.id = gs.scrape_id GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING`,
          [res],
        );
        await c.query(
          `INSERT INTO heap_rollup(target_id, ts, frame_id, inuse_bytes, inuse_objects)
           SELECT s.target_id, (s.ts / $1) * $1, h.frame_id, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.inuse_bytes))::bigint, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.inuse_objects))::bigint
           FROM heap_sample_p${day} h JOIN scrape_p${day} s ON s.id = h.scrape_id GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING`,
          [res],
        );
        await c.query(
          `INSERT INTO total_rollup(target_id, profile, ts, total)
           SELECT target_id, profile, (ts / $1) * $1, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY total))::bigint FROM scrape_p${day} WHERE ok = 1 AND total IS NOT NULL GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING`,
          [res],
        );
        for (const t of ['group_sample', 'heap_sample', 'scrape']) await c.query(`DROP TABLE IF EXISTS ${t}_p${day}`);
      });
      this.partitionDays.delete(start);
      counts.droppedPartitions!++;
    }
    await this.q('UPDATE scrape SET blob_id = NULL WHERE blob_id IS NOT NULL AND ts < $1', [now - r.profilesMs]);
    counts.deletedBlobs = (await this.q('DELETE FROM blob b WHERE b.created_at < $1 AND NOT EXISTS (SELECT 1 FROM scrape s WHERE s.blob_id = b.id) RETURNING id', [now - Math.min(r.profilesMs, 3_600_000)])).length;
    const rc = now - r.downsampledMs;
    for (const t of ['group_rollup', 'heap_rollup', 'total_rollup']) counts.deletedRollups! += (await this.q(`DELETE FROM ${t} WHERE ts < $1 RETURNING 1`, [rc])).length;
    await this.q("DELETE FROM alert WHERE state = 'resolved' AND resolved_at < $1", [rc]);
    await this.q('DELETE FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM alert a WHERE a.id = e.alert_id)');
    return counts;
  }

  async query(sql: string, opts: { maxRows?: number; timeoutMs?: number; scope?: QueryScope } = {}): Promise<QueryResult> {
    const text = checkReadOnlySql(sql);
    const scope = opts.scope ?? 'local';
    if (scope !== 'local' && /^explain\b/i.test(text)) throw new QueryRefusedError('EXPLAIN is available to local queries only (leakscope query --data-dir/--store)');
    let c: pg.PoolClient;
    try {
      c = await this.checkout();
    } catch (e) {
      throw new StoreUnavailableError(`${this.location}: ${(e as Error).message}`);
    }
    try {
      await c.query('BEGIN READ ONLY');
      await c.query(`SET LOCAL statement_timeout = ${Math.max(100, Math.round(opts.timeoutMs ?? 30_000))}`);
      if (scope !== 'local') await this.checkPlan(c, text, scope);
      // The extended protocol accepts exactly one statement; READ ONLY refuses writes.
      const r = await c.query({ text, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
      const max = opts.maxRows ?? 100_000;
      return {
        columns: r.fields.map((f) => f.name),
        rows: (r.rows as unknown[][]).slice(0, max).map((row) => row.map((v) => (Buffer.isBuffer(v) ? `<${v.length} bytes>` : v))),
      };
    } catch (e) {
      if (isConnectionError(e)) throw new StoreUnavailableError(`${this.location}: ${(e as Error).message}`);
      const code = (e as { code?: string }).code;
      if (code === '25006') throw new QueryRefusedError('the statement would write to the database; only read-only queries are allowed');
      throw new QueryRefusedError((e as Error).message);
    } finally {
      await c.query('ROLLBACK').catch(() => undefined);
      this.release(c);
    }
  }

  /**
   * Refuses a statement whose plan reads an accounts table (or the planner statistics, which
   * hold sample values of every column), or calls a function that runs SQL from text. The
   * plan (`EXPLAIN (VERBOSE, FORMAT JSON)`) names every relation after views are expanded.
   */
  private async checkPlan(c: pg.PoolClient, text: string, scope: QueryScope): Promise<void> {
    const r = await c.query({ text: `EXPLAIN (VERBOSE, FORMAT JSON) ${text}`, queryMode: 'extended' } as pg.QueryConfig);
    const plan: unknown = r.rows[0]?.['QUERY PLAN'];
    const json = JSON.stringify(plan);
    const hidden = HIDDEN_READS.exec(json);
    if (hidden) throw new QueryRefusedError(`${hidden[0]}() is refused in queries over the API`);
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      const rel = (n as Record<string, unknown>)['Relation Name'];
      if (typeof rel === 'string') {
        if (rel === AUTH_AUDIT_TABLE) {
          if (scope === 'viewer') throw new QueryRefusedError('the audit log (audit_log) is readable by admins only');
        } else if (rel.startsWith('auth_')) throw new QueryRefusedError(`the accounts table ${rel} cannot be queried (credentials stay out of SQL)`);
        else if (rel.startsWith('pg_statistic')) throw new QueryRefusedError('planner statistics cannot be queried over the API');
      }
      for (const v of Object.values(n)) walk(v);
    };
    walk(plan);
  }

  async sizeBytes(): Promise<number> {
    const r = await this.q<{ n: number }>('SELECT pg_database_size(current_database())::bigint AS n');
    return r[0]!.n;
  }
}
