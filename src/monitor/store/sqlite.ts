/**
 * @fileoverview The embedded store: one SQLite file (`<data-dir>/leakscope.db`) through
 * better-sqlite3 12.x, in WAL mode.
 *
 * - Frames, stacks and goroutine groups are interned once; a goroutine scrape writes one
 *   `(scrape_id, group_id, count, ...)` row per group (WITHOUT ROWID), a heap scrape one row
 *   per allocation site. Raw profiles are kept as gzip blobs, content-addressed, at most
 *   one per `retention.profile-every` per target and profile.
 * - Durability: WAL with `synchronous=NORMAL` keeps every committed transaction across a
 *   process crash (`kill -9`; the WAL is in the OS page cache and replayed on open); only
 *   an OS crash or power loss can lose the last transactions (sqlite.org/wal.html §1,
 *   pragma.html#pragma_synchronous).
 * - One collector per file: a `collector_lock` row with host, pid and a heartbeat, taken in
 *   a `BEGIN IMMEDIATE` transaction. A second collector refuses to start while the holder's
 *   process is alive (same host) or its heartbeat is fresh.
 * - `leakscope query` opens the file with a second, read-only connection and runs only
 *   statements SQLite itself reports as read-only (`sqlite3_stmt_readonly`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Frame } from '../../profiles/model.js';
import {
  ALERT_COLUMNS,
  alertFromRow,
  alertPatchColumns,
  alertValues,
  checkReadOnlySql,
  frameKey,
  json,
  labelsJson,
  medianInt,
  mergeFleetTotals,
  silenceFromRow,
  stackHash,
  stackText,
  targetFromRow,
} from './common.js';
import { AUTH_AUDIT_TABLE, type AuthStore, type QueryScope } from './auth.js';
import { SQLITE_AUTH_MIGRATION, SqlAuthStore } from './auth-sql.js';
import {
  CollectorLockedError,
  QueryRefusedError,
  StoreUnavailableError,
  type AlertRow,
  type AlertState,
  type Condition,
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

/** File name of the database inside the data directory. */
export const SQLITE_FILE = 'leakscope.db';

const ISO = (col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${col} / 1000.0, 'unixepoch')`;

/** Schema migrations, applied in order; the index + 1 is the schema version. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE collector_lock(id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL);
  CREATE TABLE target(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, job TEXT NOT NULL, instance TEXT NOT NULL, url TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '{}', source TEXT, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, gone_at INTEGER, segment INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE frame(id INTEGER PRIMARY KEY, function TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, UNIQUE(function, file, line));
  CREATE TABLE stack(id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, frame_ids TEXT NOT NULL, text TEXT NOT NULL);
  CREATE TABLE goroutine_group(id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, state TEXT NOT NULL, stack_id INTEGER NOT NULL REFERENCES stack(id), site_frame_id INTEGER NOT NULL REFERENCES frame(id), created_by_frame_id INTEGER REFERENCES frame(id));
  CREATE TABLE blob(id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, bytes INTEGER NOT NULL, data BLOB NOT NULL);
  CREATE TABLE scrape(id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL REFERENCES target(id), profile TEXT NOT NULL, ts INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT, duration_ms REAL NOT NULL, total INTEGER, segment INTEGER NOT NULL, bytes INTEGER NOT NULL, blob_id INTEGER REFERENCES blob(id));
  CREATE INDEX scrape_target_ts ON scrape(target_id, profile, ts);
  CREATE INDEX scrape_ts ON scrape(ts);
  CREATE TABLE group_sample(scrape_id INTEGER NOT NULL, group_id INTEGER NOT NULL, count INTEGER NOT NULL, leaked INTEGER NOT NULL DEFAULT 0, max_wait INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(scrape_id, group_id)) WITHOUT ROWID;
  CREATE TABLE heap_sample(scrape_id INTEGER NOT NULL, frame_id INTEGER NOT NULL, inuse_bytes INTEGER NOT NULL, inuse_objects INTEGER NOT NULL, PRIMARY KEY(scrape_id, frame_id)) WITHOUT ROWID;
  CREATE TABLE group_rollup(target_id INTEGER NOT NULL, ts INTEGER NOT NULL, group_id INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(target_id, ts, group_id)) WITHOUT ROWID;
  CREATE TABLE heap_rollup(target_id INTEGER NOT NULL, ts INTEGER NOT NULL, frame_id INTEGER NOT NULL, inuse_bytes INTEGER NOT NULL, inuse_objects INTEGER NOT NULL, PRIMARY KEY(target_id, ts, frame_id)) WITHOUT ROWID;
  CREATE TABLE total_rollup(target_id INTEGER NOT NULL, profile TEXT NOT NULL, ts INTEGER NOT NULL, total INTEGER NOT NULL, PRIMARY KEY(target_id, profile, ts)) WITHOUT ROWID;
  CREATE TABLE condition(target_id INTEGER NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL, active INTEGER NOT NULL, since INTEGER NOT NULL, updated_at INTEGER NOT NULL, severity TEXT NOT NULL, summary TEXT NOT NULL, details TEXT NOT NULL, ended_reason TEXT, segment INTEGER NOT NULL, PRIMARY KEY(target_id, rule, subject));
  CREATE TABLE alert(id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, rule TEXT NOT NULL, target_id INTEGER NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL, summary TEXT NOT NULL, labels TEXT NOT NULL, annotations TEXT NOT NULL, details TEXT NOT NULL, pending_count INTEGER NOT NULL, started_at INTEGER NOT NULL, fired_at INTEGER, resolved_at INTEGER, reason TEXT, last_eval_at INTEGER NOT NULL, last_sent_at INTEGER, notified TEXT NOT NULL DEFAULT '[]', evidence_state TEXT NOT NULL DEFAULT 'none');
  CREATE UNIQUE INDEX alert_active ON alert(fingerprint) WHERE state IN ('pending', 'firing');
  CREATE INDEX alert_target ON alert(target_id, state);
  CREATE TABLE silence(id INTEGER PRIMARY KEY, matchers TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, created_by TEXT NOT NULL, comment TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE evidence(alert_id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, summary TEXT NOT NULL, bytes INTEGER NOT NULL, archive BLOB NOT NULL);
  CREATE TABLE signature_match(target_id INTEGER NOT NULL, signature TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, max_count INTEGER NOT NULL, last_count INTEGER NOT NULL, PRIMARY KEY(target_id, signature));
  `,
  // Documented views for `leakscope query` (docs/monitor.md "Hunting with SQL"); the same
  // names and columns exist in PostgreSQL.
  `
  CREATE VIEW clock AS SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now_ms;
  CREATE VIEW targets AS SELECT t.id, t.job, t.instance, t.url, t.labels, t.source, t.first_seen, t.last_seen, t.gone_at, t.segment,
    (SELECT s.ok FROM scrape s WHERE s.target_id = t.id AND s.profile = 'goroutine' ORDER BY s.ts DESC LIMIT 1) AS up
    FROM target t;
  CREATE VIEW scrapes AS SELECT s.id, s.target_id, t.job, t.instance, s.profile, s.ts, ${ISO('s.ts')} AS time, s.ok, s.error, s.duration_ms, s.total, s.segment, s.bytes
    FROM scrape s JOIN target t ON t.id = s.target_id;
  CREATE VIEW goroutine_groups AS SELECT g.id, g.hash, g.state, f.function, f.file, f.line, cb.function AS created_by, st.text AS stack
    FROM goroutine_group g JOIN frame f ON f.id = g.site_frame_id JOIN stack st ON st.id = g.stack_id LEFT JOIN frame cb ON cb.id = g.created_by_frame_id;
  CREATE VIEW group_samples AS
    SELECT s.target_id, t.job, t.instance, s.ts, ${ISO('s.ts')} AS time, gs.group_id, gs.count, gs.leaked, gs.max_wait, 'raw' AS resolution
      FROM group_sample gs JOIN scrape s ON s.id = gs.scrape_id JOIN target t ON t.id = s.target_id
    UNION ALL
    SELECT r.target_id, t.job, t.instance, r.ts, ${ISO('r.ts')}, r.group_id, r.count, 0, 0, 'rollup'
      FROM group_rollup r JOIN target t ON t.id = r.target_id;
  CREATE VIEW heap_sites AS
    SELECT s.target_id, t.job, t.instance, s.ts, ${ISO('s.ts')} AS time, f.function, f.file, f.line, h.inuse_bytes, h.inuse_objects, 'raw' AS resolution
      FROM heap_sample h JOIN scrape s ON s.id = h.scrape_id JOIN target t ON t.id = s.target_id JOIN frame f ON f.id = h.frame_id
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
  SQLITE_AUTH_MIGRATION,
  // pprof labels shared by a group's members, per scrape (JSON object; NULL when none).
  `ALTER TABLE group_sample ADD COLUMN labels TEXT;`,
  // group_samples gains the labels column (appended last so `SELECT *` users keep their column order;
  // rollups do not keep labels, so NULL there).
  `
  DROP VIEW group_samples;
  CREATE VIEW group_samples AS
    SELECT s.target_id, t.job, t.instance, s.ts, ${ISO('s.ts')} AS time, gs.group_id, gs.count, gs.leaked, gs.max_wait, 'raw' AS resolution, gs.labels
      FROM group_sample gs JOIN scrape s ON s.id = gs.scrape_id JOIN target t ON t.id = s.target_id
    UNION ALL
    SELECT r.target_id, t.job, t.instance, r.ts, ${ISO('r.ts')}, r.group_id, r.count, 0, 0, 'rollup', NULL
      FROM group_rollup r JOIN target t ON t.id = r.target_id;
  `,
];

/** Current schema version. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

function transient(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|READONLY|NOMEM|PROTOCOL)/.test(code);
}

/** Options for {@link SqliteStore.open}. */
export interface SqliteOptions {
  readonly?: boolean;
  /** Milliseconds a collector heartbeat stays fresh (default 30 s). */
  staleMs?: number;
}

/** The SQLite store. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private frameIds = new Map<string, number>();
  private groupIds = new Map<string, number>();
  private stackIds = new Map<string, number>();
  private readonly st: Record<string, Database.Statement>;
  readonly auth: AuthStore;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly opts: SqliteOptions,
  ) {
    this.st = opts.readonly ? {} : this.prepareAll();
    const stmts = new Map<string, Database.Statement>();
    const prep = (sql: string) => stmts.get(sql) ?? stmts.set(sql, db.prepare(sql)).get(sql)!;
    this.auth = new SqlAuthStore({
      all: (sql, args = []) => this.guard(() => prep(sql).all(...args) as Record<string, unknown>[]),
      run: (sql, args = []) => this.guard(() => prep(sql).run(...args).changes),
      isUniqueViolation: (e) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test((e as { code?: string }).code ?? ''),
    });
  }

  /**
   * Opens (creating when needed) `<dataDir>/leakscope.db`, applies migrations and sets WAL.
   * Read-only opens require the file to exist and never migrate.
   */
  static open(dataDir: string, opts: SqliteOptions = {}): SqliteStore {
    const file = path.resolve(dataDir, SQLITE_FILE);
    if (opts.readonly) {
      if (!fs.existsSync(file)) throw new StoreUnavailableError(`no leakscope database at ${file} (start "leakscope monitor --data-dir ${dataDir}" first)`);
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      db.pragma('query_only = ON');
      return new SqliteStore(db, file, opts);
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new StoreUnavailableError(`cannot create the data directory ${path.dirname(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = OFF');
      const integrity = db.pragma('quick_check', { simple: true });
      if (integrity !== 'ok') throw new StoreUnavailableError(`${file} failed SQLite's quick_check: ${String(integrity)}`);
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      throw new StoreUnavailableError(`cannot open ${file}: ${(e as Error).message}`);
    }
    SqliteStore.migrate(db, file);
    return new SqliteStore(db, file, opts);
  }

  private static migrate(db: Database.Database, file: string): void {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const cur = (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
    if (cur > MIGRATIONS.length) {
      throw new StoreUnavailableError(`${file} has schema version ${cur}, newer than this leakscope (${MIGRATIONS.length}); upgrade leakscope`);
    }
    for (let v = cur + 1; v <= MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v - 1]!);
        db.prepare('INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)').run(v, Date.now());
      })();
    }
  }

  private prepareAll(): Record<string, Database.Statement> {
    const p = (s: string) => this.db.prepare(s);
    return {
      frameGet: p('SELECT id FROM frame WHERE function = ? AND file = ? AND line = ?'),
      frameIns: p('INSERT INTO frame(function, file, line) VALUES (?, ?, ?)'),
      stackGet: p('SELECT id FROM stack WHERE hash = ?'),
      stackIns: p('INSERT INTO stack(hash, frame_ids, text) VALUES (?, ?, ?)'),
      groupGet: p('SELECT id FROM goroutine_group WHERE hash = ?'),
      groupIns: p('INSERT INTO goroutine_group(hash, state, stack_id, site_frame_id, created_by_frame_id) VALUES (?, ?, ?, ?, ?)'),
      blobGet: p('SELECT id FROM blob WHERE sha256 = ?'),
      blobIns: p('INSERT INTO blob(sha256, created_at, bytes, data) VALUES (?, ?, ?, ?)'),
      scrapeIns: p('INSERT INTO scrape(target_id, profile, ts, ok, error, duration_ms, total, segment, bytes, blob_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      gsIns: p('INSERT OR REPLACE INTO group_sample(scrape_id, group_id, count, leaked, max_wait, labels) VALUES (?, ?, ?, ?, ?, ?)'),
      hsIns: p('INSERT OR REPLACE INTO heap_sample(scrape_id, frame_id, inuse_bytes, inuse_objects) VALUES (?, ?, ?, ?)'),
    };
  }

  private guard<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      if (transient(e)) return Promise.reject(new StoreUnavailableError(`${this.location}: ${(e as Error).message}`));
      return Promise.reject(e);
    }
  }

  async close(): Promise<void> {
    if (this.db.open) {
      if (!this.opts.readonly) {
        try {
          this.db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // best effort
        }
      }
      this.db.close();
    }
  }

  // --- collector lock -----------------------------------------------------------------

  acquireCollector(id: string, host: string, pid: number): Promise<void> {
    return this.guard(() => {
      const stale = this.opts.staleMs ?? 30_000;
      this.db.transaction(() => {
        const cur = this.db.prepare('SELECT owner, host, pid, heartbeat_at FROM collector_lock WHERE id = 1').get() as
          | { owner: string; host: string; pid: number; heartbeat_at: number }
          | undefined;
        if (cur && cur.owner !== id) {
          const fresh = Date.now() - cur.heartbeat_at < stale;
          const alive = cur.host === host ? pidAlive(cur.pid) : fresh;
          if (alive) {
            throw new CollectorLockedError(
              `${this.location} is in use by another leakscope collector (pid ${cur.pid} on ${cur.host}, last heartbeat ${Math.round((Date.now() - cur.heartbeat_at) / 1000)}s ago); ` +
                'two collectors cannot share one SQLite file: give this one another --data-dir, or use --store postgres://... for a fleet',
            );
          }
        }
        this.db
          .prepare('INSERT INTO collector_lock(id, owner, host, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at')
          .run(id, host, pid, Date.now(), Date.now());
      }).immediate();
    });
  }

  heartbeat(id: string): Promise<void> {
    return this.guard(() => {
      const r = this.db.prepare('UPDATE collector_lock SET heartbeat_at = ? WHERE id = 1 AND owner = ?').run(Date.now(), id);
      if (r.changes === 0) throw new CollectorLockedError(`${this.location}: the collector lock was taken over by another process`);
    });
  }

  releaseCollector(id: string): Promise<void> {
    return this.guard(() => void this.db.prepare('DELETE FROM collector_lock WHERE id = 1 AND owner = ?').run(id));
  }

  // --- targets ------------------------------------------------------------------------

  upsertTargets(
    targets: readonly { key: string; job: string; instance: string; url: string; labels: Record<string, string>; source?: string }[],
    now: number,
  ): Promise<Map<string, number>> {
    return this.guard(() => {
      const out = new Map<string, number>();
      const up = this.db.prepare(
        `INSERT INTO target(key, job, instance, url, labels, source, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET url = excluded.url, labels = excluded.labels, source = excluded.source, last_seen = excluded.last_seen, gone_at = NULL
         RETURNING id`,
      );
      this.db.transaction(() => {
        for (const t of targets) {
          const r = up.get(t.key, t.job, t.instance, t.url, JSON.stringify(t.labels), t.source ?? null, now, now) as { id: number };
          out.set(t.key, r.id);
        }
      })();
      return out;
    });
  }

  markGone(presentKeys: readonly string[], now: number): Promise<number[]> {
    return this.guard(() => {
      const present = new Set(presentKeys);
      const gone: number[] = [];
      const rows = this.db.prepare('SELECT id, key FROM target WHERE gone_at IS NULL').all() as { id: number; key: string }[];
      const upd = this.db.prepare('UPDATE target SET gone_at = ? WHERE id = ?');
      this.db.transaction(() => {
        for (const r of rows) {
          if (!present.has(r.key)) {
            upd.run(now, r.id);
            gone.push(r.id);
          }
        }
      })();
      return gone;
    });
  }

  private targetRows(where = '', ...args: unknown[]): TargetStatus[] {
    const rows = this.db.prepare(`SELECT * FROM target ${where} ORDER BY job, instance`).all(...args) as Record<string, unknown>[];
    const last = this.db.prepare(
      `SELECT profile, ts, ok, error, total, duration_ms FROM scrape WHERE id IN (SELECT MAX(id) FROM scrape WHERE target_id = ? GROUP BY profile)`,
    );
    return rows.map((r) => targetFromRow(r, last.all(Number(r.id)) as Record<string, unknown>[]));
  }

  listTargets(): Promise<TargetStatus[]> {
    return this.guard(() => this.targetRows());
  }

  getTarget(id: number): Promise<TargetStatus | undefined> {
    return this.guard(() => this.targetRows('WHERE id = ?', id)[0]);
  }

  setSegment(targetId: number, segment: number): Promise<void> {
    return this.guard(() => void this.db.prepare('UPDATE target SET segment = ? WHERE id = ?').run(segment, targetId));
  }

  syncLeases(): Promise<Map<number, number>> {
    return this.guard(() => {
      const rows = this.db.prepare('SELECT id FROM target WHERE gone_at IS NULL').all() as { id: number }[];
      return new Map(rows.map((r) => [r.id, 0]));
    });
  }

  acquireEvaluator(): Promise<number | null> {
    return Promise.resolve(0);
  }

  // --- scrapes ------------------------------------------------------------------------

  private frameId(f: Frame): number {
    const k = frameKey(f);
    let id = this.frameIds.get(k);
    if (id !== undefined) return id;
    const r = this.st.frameGet!.get(f.function, f.file, f.line) as { id: number } | undefined;
    id = r ? r.id : Number(this.st.frameIns!.run(f.function, f.file, f.line).lastInsertRowid);
    if (this.frameIds.size > 500_000) this.frameIds.clear();
    this.frameIds.set(k, id);
    return id;
  }

  private stackId(frames: readonly Frame[]): number {
    const hash = stackHash(frames);
    let id = this.stackIds.get(hash);
    if (id !== undefined) return id;
    const r = this.st.stackGet!.get(hash) as { id: number } | undefined;
    if (r) id = r.id;
    else {
      const ids = frames.map((f) => this.frameId(f)).join(',');
      id = Number(this.st.stackIns!.run(hash, ids, stackText(frames)).lastInsertRowid);
    }
    if (this.stackIds.size > 200_000) this.stackIds.clear();
    this.stackIds.set(hash, id);
    return id;
  }

  private groupId(g: { hash: string; state: string; frames: readonly Frame[]; site: Frame; createdBy?: Frame }): number {
    let id = this.groupIds.get(g.hash);
    if (id !== undefined) return id;
    const r = this.st.groupGet!.get(g.hash) as { id: number } | undefined;
    if (r) id = r.id;
    else {
      const stack = this.stackId(g.frames);
      id = Number(this.st.groupIns!.run(g.hash, g.state, stack, this.frameId(g.site), g.createdBy ? this.frameId(g.createdBy) : null).lastInsertRowid);
    }
    if (this.groupIds.size > 200_000) this.groupIds.clear();
    this.groupIds.set(g.hash, id);
    return id;
  }

  private blobId(data: Uint8Array, now: number): number {
    const sha = sha256(data);
    const r = this.st.blobGet!.get(sha) as { id: number } | undefined;
    if (r) return r.id;
    return Number(this.st.blobIns!.run(sha, now, data.length, Buffer.from(data.buffer, data.byteOffset, data.byteLength)).lastInsertRowid);
  }

  writeScrape(rec: ScrapeRecord): Promise<number> {
    return this.guard(() => {
      try {
        return this.db.transaction(() => {
          const blob = rec.blob ? this.blobId(rec.blob, rec.ts) : null;
          const id = Number(
            this.st.scrapeIns!.run(rec.targetId, rec.profile, rec.ts, rec.ok ? 1 : 0, rec.error ?? null, rec.durationMs, rec.total ?? null, rec.segment, rec.bytes, blob).lastInsertRowid,
          );
          for (const g of rec.groups ?? []) this.st.gsIns!.run(id, this.groupId(g), g.count, g.leaked, g.maxWait, labelsJson(g.labels));
          for (const h of rec.heap ?? []) this.st.hsIns!.run(id, this.frameId(h.site), h.inuseBytes, h.inuseObjects);
          return id;
        })();
      } catch (e) {
        // A rolled-back transaction may have cached ids of rows that no longer exist.
        this.frameIds.clear();
        this.stackIds.clear();
        this.groupIds.clear();
        throw e;
      }
    });
  }

  private frames(ids: string): Frame[] {
    if (!ids) return [];
    const get = this.db.prepare('SELECT function, file, line FROM frame WHERE id = ?');
    return ids.split(',').map((id) => get.get(Number(id)) as Frame);
  }

  groupHistory(targetId: number, since: number): Promise<GroupHistory> {
    return this.guard(() => {
      const scrapes = (
        this.db.prepare("SELECT id, ts, total, segment FROM scrape WHERE target_id = ? AND profile = 'goroutine' AND ok = 1 AND ts >= ? ORDER BY ts").all(targetId, since) as {
          id: number;
          ts: number;
          total: number;
          segment: number;
        }[]
      ).map((s) => ({ ...s, total: Number(s.total ?? 0) }));
      const groups: GroupHistory['groups'] = new Map();
      if (scrapes.length === 0) return { scrapes: [], groups };
      const rows = this.db
        .prepare(
          `SELECT s.ts, s.segment, g.hash, g.state, g.stack_id, g.site_frame_id, g.created_by_frame_id, gs.count FROM group_sample gs
           JOIN scrape s ON s.id = gs.scrape_id JOIN goroutine_group g ON g.id = gs.group_id
           WHERE s.target_id = ? AND s.profile = 'goroutine' AND s.ts >= ? ORDER BY s.ts`,
        )
        .all(targetId, since) as Record<string, number | string>[];
      const stackGet = this.db.prepare('SELECT frame_ids FROM stack WHERE id = ?');
      const frameGet = this.db.prepare('SELECT function, file, line FROM frame WHERE id = ?');
      for (const r of rows) {
        const hash = String(r.hash);
        let g = groups.get(hash);
        if (!g) {
          const frames = this.frames((stackGet.get(r.stack_id) as { frame_ids: string }).frame_ids);
          g = { state: String(r.state), site: frameGet.get(r.site_frame_id) as Frame, frames, points: [] };
          if (r.created_by_frame_id !== null) g.createdBy = frameGet.get(r.created_by_frame_id) as Frame;
          groups.set(hash, g);
        }
        g.points.push({ ts: Number(r.ts), value: Number(r.count), segment: Number(r.segment) });
      }
      return { scrapes: scrapes.map(({ ts, total, segment }) => ({ ts, total, segment })), groups };
    });
  }

  heapHistory(targetId: number, since: number): ReturnType<Store['heapHistory']> {
    return this.guard(() => {
      const scrapes = this.db
        .prepare("SELECT ts, total, segment FROM scrape WHERE target_id = ? AND profile = 'heap' AND ok = 1 AND ts >= ? ORDER BY ts")
        .all(targetId, since) as { ts: number; total: number; segment: number }[];
      const rows = this.db
        .prepare(
          `SELECT s.ts, s.segment, f.function, f.file, f.line, h.inuse_bytes FROM heap_sample h JOIN scrape s ON s.id = h.scrape_id JOIN frame f ON f.id = h.frame_id
           WHERE s.target_id = ? AND s.profile = 'heap' AND s.ts >= ? ORDER BY s.ts`,
        )
        .all(targetId, since) as Record<string, unknown>[];
      const sites = new Map<string, { site: Frame; points: SeriesPoint[] }>();
      for (const r of rows) {
        const k = `${String(r.function)} ${String(r.file)}:${Number(r.line)}`;
        let s = sites.get(k);
        if (!s) sites.set(k, (s = { site: { function: String(r.function), file: String(r.file), line: Number(r.line) }, points: [] }));
        s.points.push({ ts: Number(r.ts), value: Number(r.inuse_bytes), segment: Number(r.segment) });
      }
      return { scrapes: scrapes.map((s) => ({ ...s, total: Number(s.total ?? 0) })), sites };
    });
  }

  totals(targetId: number, profile: StoredProfile, from: number, to: number): Promise<SeriesPoint[]> {
    return this.guard(() => {
      const raw = this.db
        .prepare('SELECT ts, total, segment FROM scrape WHERE target_id = ? AND profile = ? AND ok = 1 AND ts >= ? AND ts <= ? ORDER BY ts')
        .all(targetId, profile, from, to) as { ts: number; total: number; segment: number }[];
      const roll = this.db
        .prepare('SELECT ts, total FROM total_rollup WHERE target_id = ? AND profile = ? AND ts >= ? AND ts <= ? ORDER BY ts')
        .all(targetId, profile, from, to) as { ts: number; total: number }[];
      return [...roll.map((r) => ({ ts: r.ts, value: r.total })), ...raw.map((r) => ({ ts: r.ts, value: Number(r.total ?? 0), segment: r.segment }))];
    });
  }

  fleetTotals(profile: StoredProfile, from: number, to: number): Promise<Map<number, SeriesPoint[]>> {
    return this.guard(() => {
      const roll = this.db
        .prepare('SELECT target_id, ts, total FROM total_rollup WHERE profile = ? AND ts >= ? AND ts <= ? ORDER BY target_id, ts')
        .all(profile, from, to) as { target_id: number; ts: number; total: number }[];
      const raw = this.db
        .prepare('SELECT target_id, ts, total, segment FROM scrape WHERE profile = ? AND ok = 1 AND ts >= ? AND ts <= ? ORDER BY target_id, ts')
        .all(profile, from, to) as { target_id: number; ts: number; total: number; segment: number }[];
      return mergeFleetTotals(roll, raw);
    });
  }

  groupsAt(targetId: number, ts: number): Promise<{ scrapeTs: number; groups: GroupInfo[] } | undefined> {
    return this.guard(() => {
      const s = this.db
        .prepare("SELECT id, ts FROM scrape WHERE target_id = ? AND profile = 'goroutine' AND ok = 1 AND ts <= ? ORDER BY ts DESC LIMIT 1")
        .get(targetId, ts) as { id: number; ts: number } | undefined;
      if (!s) return undefined;
      const rows = this.db
        .prepare(
          `SELECT g.id, g.hash, g.state, st.frame_ids, g.site_frame_id, g.created_by_frame_id, gs.count, gs.leaked, gs.max_wait, gs.labels FROM group_sample gs
           JOIN goroutine_group g ON g.id = gs.group_id JOIN stack st ON st.id = g.stack_id WHERE gs.scrape_id = ? ORDER BY gs.count DESC`,
        )
        .all(s.id) as Record<string, unknown>[];
      const fget = this.db.prepare('SELECT function, file, line FROM frame WHERE id = ?');
      return {
        scrapeTs: s.ts,
        groups: rows.map((r) => ({
          id: Number(r.id),
          hash: String(r.hash),
          state: String(r.state),
          site: fget.get(r.site_frame_id) as Frame,
          frames: this.frames(String(r.frame_ids)),
          createdBy: r.created_by_frame_id === null ? null : (fget.get(r.created_by_frame_id) as Frame),
          count: Number(r.count),
          leaked: Number(r.leaked),
          maxWait: Number(r.max_wait),
          labels: json<Record<string, string>>(r.labels, {}),
        })),
      };
    });
  }

  groupSeries(targetId: number, groupHash: string, from: number, to: number): Promise<SeriesPoint[]> {
    return this.guard(() => {
      const g = this.db.prepare('SELECT id FROM goroutine_group WHERE hash = ?').get(groupHash) as { id: number } | undefined;
      if (!g) return [];
      const raw = this.db
        .prepare(
          `SELECT s.ts, s.segment, COALESCE(gs.count, 0) AS count FROM scrape s LEFT JOIN group_sample gs ON gs.scrape_id = s.id AND gs.group_id = ?
           WHERE s.target_id = ? AND s.profile = 'goroutine' AND s.ok = 1 AND s.ts >= ? AND s.ts <= ? ORDER BY s.ts`,
        )
        .all(g.id, targetId, from, to) as { ts: number; segment: number; count: number }[];
      const roll = this.db
        .prepare('SELECT ts, count FROM group_rollup WHERE target_id = ? AND group_id = ? AND ts >= ? AND ts <= ? ORDER BY ts')
        .all(targetId, g.id, from, to) as { ts: number; count: number }[];
      return [...roll.map((r) => ({ ts: r.ts, value: r.count })), ...raw.map((r) => ({ ts: r.ts, value: r.count, segment: r.segment }))];
    });
  }

  heapSitesAt(targetId: number, ts: number): Promise<{ scrapeTs: number; sites: HeapRow[] } | undefined> {
    return this.guard(() => {
      const s = this.db
        .prepare("SELECT id, ts FROM scrape WHERE target_id = ? AND profile = 'heap' AND ok = 1 AND ts <= ? ORDER BY ts DESC LIMIT 1")
        .get(targetId, ts) as { id: number; ts: number } | undefined;
      if (!s) return undefined;
      const rows = this.db
        .prepare('SELECT f.function, f.file, f.line, h.inuse_bytes, h.inuse_objects FROM heap_sample h JOIN frame f ON f.id = h.frame_id WHERE h.scrape_id = ? ORDER BY h.inuse_bytes DESC')
        .all(s.id) as Record<string, unknown>[];
      return {
        scrapeTs: s.ts,
        sites: rows.map((r) => ({ site: { function: String(r.function), file: String(r.file), line: Number(r.line) }, inuseBytes: Number(r.inuse_bytes), inuseObjects: Number(r.inuse_objects) })),
      };
    });
  }

  rawProfile(targetId: number, profile: StoredProfile, ts: number, before: boolean): Promise<{ ts: number; data: Uint8Array } | undefined> {
    return this.guard(() => {
      const sql = before
        ? 'SELECT s.ts, b.data FROM scrape s JOIN blob b ON b.id = s.blob_id WHERE s.target_id = ? AND s.profile = ? AND s.ts <= ? ORDER BY s.ts DESC LIMIT 1'
        : 'SELECT s.ts, b.data FROM scrape s JOIN blob b ON b.id = s.blob_id WHERE s.target_id = ? AND s.profile = ? AND s.ts >= ? ORDER BY s.ts ASC LIMIT 1';
      const r = this.db.prepare(sql).get(targetId, profile, ts) as { ts: number; data: Buffer } | undefined;
      return r ? { ts: r.ts, data: new Uint8Array(r.data) } : undefined;
    });
  }

  lastBlobTs(targetId: number, profile: StoredProfile): Promise<number | undefined> {
    return this.guard(() => {
      const r = this.db.prepare('SELECT MAX(ts) AS ts FROM scrape WHERE target_id = ? AND profile = ? AND blob_id IS NOT NULL').get(targetId, profile) as { ts: number | null };
      return r.ts ?? undefined;
    });
  }

  // --- conditions, alerts -------------------------------------------------------------

  putConditions(targetId: number, conditions: readonly Condition[], now: number): Promise<void> {
    return this.guard(() => {
      const up = this.db.prepare(
        `INSERT INTO condition(target_id, rule, subject, active, since, updated_at, severity, summary, details, ended_reason, segment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(target_id, rule, subject) DO UPDATE SET active = excluded.active, since = CASE WHEN condition.active = 1 AND excluded.active = 1 THEN condition.since ELSE excluded.since END,
         updated_at = excluded.updated_at, severity = excluded.severity, summary = excluded.summary, details = excluded.details, ended_reason = excluded.ended_reason, segment = excluded.segment`,
      );
      this.db.transaction(() => {
        const keep = new Set<string>();
        for (const c of conditions) {
          keep.add(`${c.rule}\u0000${c.subject}`);
          up.run(targetId, c.rule, c.subject, c.active ? 1 : 0, c.since, now, c.severity, c.summary, JSON.stringify(c.details), c.endedReason ?? null, c.segment);
        }
        const act = this.db.prepare('SELECT rule, subject FROM condition WHERE target_id = ? AND active = 1').all(targetId) as { rule: string; subject: string }[];
        const end = this.db.prepare("UPDATE condition SET active = 0, updated_at = ?, ended_reason = 'recovered' WHERE target_id = ? AND rule = ? AND subject = ?");
        for (const a of act) if (!keep.has(`${a.rule}\u0000${a.subject}`)) end.run(now, targetId, a.rule, a.subject);
      })();
    });
  }

  endConditions(targetId: number, reason: string, now: number): Promise<void> {
    return this.guard(() => void this.db.prepare('UPDATE condition SET active = 0, updated_at = ?, ended_reason = ? WHERE target_id = ? AND active = 1').run(now, reason, targetId));
  }

  listConditions(activeOnly: boolean): Promise<Condition[]> {
    return this.guard(() =>
      (this.db.prepare(`SELECT * FROM condition ${activeOnly ? 'WHERE active = 1' : ''}`).all() as Record<string, unknown>[]).map(conditionFromRow),
    );
  }

  listAlerts(filter: { state?: AlertState | 'active'; targetId?: number; limit?: number } = {}): Promise<AlertRow[]> {
    return this.guard(() => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (filter.state === 'active') where.push("state IN ('pending', 'firing')");
      else if (filter.state) {
        where.push('state = ?');
        args.push(filter.state);
      }
      if (filter.targetId !== undefined) {
        where.push('target_id = ?');
        args.push(filter.targetId);
      }
      const sql = `SELECT * FROM alert ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${Math.max(1, Math.min(filter.limit ?? 1000, 10000))}`;
      return (this.db.prepare(sql).all(...args) as Record<string, unknown>[]).map(alertFromRow);
    });
  }

  getAlert(id: number): Promise<AlertRow | undefined> {
    return this.guard(() => {
      const r = this.db.prepare('SELECT * FROM alert WHERE id = ?').get(id) as Record<string, unknown> | undefined;
      return r ? alertFromRow(r) : undefined;
    });
  }

  insertAlert(a: Omit<AlertRow, 'id'>): Promise<number> {
    return this.guard(() => {
      const sql = `INSERT INTO alert(${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map(() => '?').join(', ')})`;
      return Number(this.db.prepare(sql).run(...alertValues(a)).lastInsertRowid);
    });
  }

  updateAlert(id: number, patch: Partial<AlertRow>): Promise<void> {
    return this.guard(() => {
      const cols = alertPatchColumns(patch);
      if (cols.length === 0) return;
      this.db.prepare(`UPDATE alert SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...cols.map(([, v]) => v), id);
    });
  }

  listSilences(includeExpired: boolean): Promise<SilenceRow[]> {
    return this.guard(() =>
      (this.db.prepare(`SELECT * FROM silence ${includeExpired ? '' : 'WHERE ends_at > ?'} ORDER BY id`).all(...(includeExpired ? [] : [Date.now()])) as Record<string, unknown>[]).map(
        silenceFromRow,
      ),
    );
  }

  addSilence(s: Omit<SilenceRow, 'id'>): Promise<number> {
    return this.guard(() =>
      Number(
        this.db
          .prepare('INSERT INTO silence(matchers, starts_at, ends_at, created_by, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.createdBy, s.comment, s.createdAt).lastInsertRowid,
      ),
    );
  }

  expireSilence(id: number, now: number): Promise<boolean> {
    return this.guard(() => this.db.prepare('UPDATE silence SET ends_at = ? WHERE id = ? AND ends_at > ?').run(now, id, now).changes > 0);
  }

  saveEvidence(alertId: number, archive: Uint8Array, summary: string, now: number): Promise<void> {
    return this.guard(
      () =>
        void this.db
          .prepare('INSERT OR REPLACE INTO evidence(alert_id, created_at, summary, bytes, archive) VALUES (?, ?, ?, ?, ?)')
          .run(alertId, now, summary, archive.length, Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength)),
    );
  }

  getEvidence(alertId: number): Promise<{ createdAt: number; summary: string; archive: Uint8Array } | undefined> {
    return this.guard(() => {
      const r = this.db.prepare('SELECT created_at, summary, archive FROM evidence WHERE alert_id = ?').get(alertId) as { created_at: number; summary: string; archive: Buffer } | undefined;
      return r ? { createdAt: r.created_at, summary: r.summary, archive: new Uint8Array(r.archive) } : undefined;
    });
  }

  recordSignatureMatches(targetId: number, matches: readonly { signature: string; count: number }[], ts: number): Promise<void> {
    return this.guard(() => {
      const up = this.db.prepare(
        `INSERT INTO signature_match(target_id, signature, first_seen, last_seen, max_count, last_count) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(target_id, signature) DO UPDATE SET last_seen = excluded.last_seen, max_count = MAX(signature_match.max_count, excluded.max_count), last_count = excluded.last_count`,
      );
      this.db.transaction(() => {
        for (const m of matches) up.run(targetId, m.signature, ts, ts, m.count, m.count);
      })();
    });
  }

  listSignatureMatches(): Promise<SignatureMatchRow[]> {
    return this.guard(() =>
      (this.db.prepare('SELECT m.*, t.job, t.instance FROM signature_match m JOIN target t ON t.id = m.target_id ORDER BY m.last_seen DESC').all() as Record<string, unknown>[]).map((r) => ({
        targetId: Number(r.target_id),
        job: String(r.job),
        instance: String(r.instance),
        signature: String(r.signature),
        firstSeen: Number(r.first_seen),
        lastSeen: Number(r.last_seen),
        maxCount: Number(r.max_count),
        lastCount: Number(r.last_count),
      })),
    );
  }

  // --- maintenance --------------------------------------------------------------------

  applyRetention(now: number, r: { rawMs: number; downsampledMs: number; resolutionMs: number; profilesMs: number }): Promise<Record<string, number>> {
    return this.guard(() => {
      const cutoff = now - r.rawMs;
      const res = r.resolutionMs;
      const counts: Record<string, number> = { rolledUp: 0, deletedScrapes: 0, deletedBlobs: 0, deletedRollups: 0 };
      // Down-sample in slices so one run never holds the write lock for long.
      const old = this.db.prepare('SELECT id, target_id, profile, ts, total FROM scrape WHERE ts < ? ORDER BY ts LIMIT 20000').all(cutoff) as {
        id: number;
        target_id: number;
        profile: string;
        ts: number;
        total: number | null;
      }[];
      if (old.length > 0) {
        const gsel = this.db.prepare('SELECT group_id, count FROM group_sample WHERE scrape_id = ?');
        const hsel = this.db.prepare('SELECT frame_id, inuse_bytes, inuse_objects FROM heap_sample WHERE scrape_id = ?');
        const groups = new Map<string, number[]>();
        const heaps = new Map<string, { b: number[]; o: number[] }>();
        const totals = new Map<string, number[]>();
        for (const s of old) {
          const bucket = Math.floor(s.ts / res) * res;
          if (s.total !== null) {
            const k = `${s.target_id}|${s.profile}|${bucket}`;
            (totals.get(k) ?? totals.set(k, []).get(k)!).push(s.total);
          }
          if (s.profile === 'goroutine') {
            for (const g of gsel.all(s.id) as { group_id: number; count: number }[]) {
              const k = `${s.target_id}|${bucket}|${g.group_id}`;
              (groups.get(k) ?? groups.set(k, []).get(k)!).push(g.count);
            }
          } else if (s.profile === 'heap') {
            for (const h of hsel.all(s.id) as { frame_id: number; inuse_bytes: number; inuse_objects: number }[]) {
              const k = `${s.target_id}|${bucket}|${h.frame_id}`;
              const e = heaps.get(k) ?? heaps.set(k, { b: [], o: [] }).get(k)!;
              e.b.push(h.inuse_bytes);
              e.o.push(h.inuse_objects);
            }
          }
        }
        this.db.transaction(() => {
          const gi = this.db.prepare('INSERT OR REPLACE INTO group_rollup(target_id, ts, group_id, count) VALUES (?, ?, ?, ?)');
          for (const [k, v] of groups) {
            const [t, b, g] = k.split('|').map(Number);
            gi.run(t, b, g, medianInt(v));
          }
          const hi = this.db.prepare('INSERT OR REPLACE INTO heap_rollup(target_id, ts, frame_id, inuse_bytes, inuse_objects) VALUES (?, ?, ?, ?, ?)');
          for (const [k, v] of heaps) {
            const [t, b, f] = k.split('|').map(Number);
            hi.run(t, b, f, medianInt(v.b), medianInt(v.o));
          }
          const ti = this.db.prepare('INSERT OR REPLACE INTO total_rollup(target_id, profile, ts, total) VALUES (?, ?, ?, ?)');
          for (const [k, v] of totals) {
            const [t, p, b] = k.split('|');
            ti.run(Number(t), p, Number(b), medianInt(v));
          }
          const dg = this.db.prepare('DELETE FROM group_sample WHERE scrape_id = ?');
          const dh = this.db.prepare('DELETE FROM heap_sample WHERE scrape_id = ?');
          const ds = this.db.prepare('DELETE FROM scrape WHERE id = ?');
          for (const s of old) {
            dg.run(s.id);
            dh.run(s.id);
            ds.run(s.id);
          }
        })();
        counts.rolledUp = groups.size + heaps.size;
        counts.deletedScrapes = old.length;
      }
      // Raw blobs: drop the reference after the profile window, then unreferenced blobs.
      this.db.prepare('UPDATE scrape SET blob_id = NULL WHERE blob_id IS NOT NULL AND ts < ?').run(now - r.profilesMs);
      counts.deletedBlobs = this.db.prepare('DELETE FROM blob WHERE created_at < ? AND id NOT IN (SELECT blob_id FROM scrape WHERE blob_id IS NOT NULL)').run(now - Math.min(r.profilesMs, 3_600_000)).changes;
      const rc = now - r.downsampledMs;
      counts.deletedRollups =
        this.db.prepare('DELETE FROM group_rollup WHERE ts < ?').run(rc).changes +
        this.db.prepare('DELETE FROM heap_rollup WHERE ts < ?').run(rc).changes +
        this.db.prepare('DELETE FROM total_rollup WHERE ts < ?').run(rc).changes;
      this.db.prepare('DELETE FROM alert WHERE state = ? AND resolved_at < ?').run('resolved', rc);
      this.db.prepare('DELETE FROM evidence WHERE alert_id NOT IN (SELECT id FROM alert)').run();
      return counts;
    });
  }

  query(sql: string, opts: { maxRows?: number; scope?: QueryScope } = {}): Promise<QueryResult> {
    return this.guard(() => {
      const text = checkReadOnlySql(sql);
      if (/^\s*(attach|detach|pragma|vacuum)\b/i.test(text)) throw new QueryRefusedError('ATTACH, DETACH, PRAGMA and VACUUM are refused');
      let stmt: Database.Statement;
      try {
        stmt = this.db.prepare(text);
      } catch (e) {
        throw new QueryRefusedError((e as Error).message);
      }
      if (!stmt.readonly) throw new QueryRefusedError('the statement would write to the database; only read-only queries are allowed');
      this.checkAuthTables(text, opts.scope ?? 'local');
      if (!stmt.reader) return { columns: [], rows: [] };
      stmt.raw(true);
      const columns = stmt.columns().map((c) => c.name);
      const rows: unknown[][] = [];
      const max = opts.maxRows ?? 100_000;
      try {
        for (const r of stmt.iterate() as Iterable<unknown[]>) {
          rows.push(r.map((v) => (Buffer.isBuffer(v) ? `<${v.length} bytes>` : typeof v === 'bigint' ? Number(v) : v)));
          if (rows.length >= max) break;
        }
      } catch (e) {
        throw new QueryRefusedError((e as Error).message);
      }
      return { columns, rows };
    });
  }

  /**
   * Refuses a statement that reads an accounts table. SQLite's own compiled program is
   * inspected (`EXPLAIN`: every `OpenRead` names the root page of a table or index it reads),
   * so quoting, aliases, views and sub-queries cannot hide a table.
   */
  private checkAuthTables(text: string, scope: QueryScope): void {
    if (/^explain\b/i.test(text)) return; // EXPLAIN compiles but never reads rows
    const roots = new Map<number, string>();
    for (const r of this.db.prepare("SELECT rootpage, tbl_name FROM sqlite_master WHERE tbl_name LIKE 'auth\\_%' ESCAPE '\\' AND rootpage > 0").all() as { rootpage: number; tbl_name: string }[]) {
      if (r.tbl_name === AUTH_AUDIT_TABLE && scope !== 'viewer') continue;
      roots.set(r.rootpage, r.tbl_name);
    }
    if (roots.size === 0) return;
    const program = this.db.prepare('EXPLAIN ' + text).raw(true).all() as unknown[][];
    for (const op of program) {
      if ((op[1] === 'OpenRead' || op[1] === 'ReopenIdx') && op[4] === 0 && roots.has(Number(op[3]))) {
        const table = roots.get(Number(op[3]))!;
        throw new QueryRefusedError(
          table === AUTH_AUDIT_TABLE ? 'the audit log (audit_log) is readable by admins only' : `the accounts table ${table} cannot be queried (credentials stay out of SQL)`,
        );
      }
    }
  }

  sizeBytes(): Promise<number> {
    return this.guard(() => {
      let n = 0;
      for (const suffix of ['', '-wal', '-shm']) {
        try {
          n += fs.statSync(this.location + suffix).size;
        } catch {
          // absent
        }
      }
      return n;
    });
  }

  /** Bytes of table and index pages (dbstat is not compiled into better-sqlite3, so pages × page size). */
  pageBytes(): number {
    const pc = this.db.pragma('page_count', { simple: true }) as number;
    const fl = this.db.pragma('freelist_count', { simple: true }) as number;
    const ps = this.db.pragma('page_size', { simple: true }) as number;
    return (pc - fl) * ps;
  }

  /**
   * Caps the database at its current size (`max_page_count`), so the next growth fails with
   * SQLITE_FULL exactly as a full disk does; `undefined` lifts the cap. For fault tests.
   */
  limitSize(capped: boolean): void {
    const n = capped ? (this.db.pragma('page_count', { simple: true }) as number) : 1073741823;
    this.db.pragma(`max_page_count = ${n}`);
  }

  /** Forces a WAL checkpoint (tests and benchmarks). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

// Defined with the other store errors (types.ts loads no driver), re-exported for the store's users.
export { CollectorLockedError } from './types.js';

function conditionFromRow(r: Record<string, unknown>): Condition {
  return {
    targetId: Number(r.target_id),
    rule: String(r.rule),
    subject: String(r.subject),
    active: !!Number(r.active),
    since: Number(r.since),
    updatedAt: Number(r.updated_at),
    severity: r.severity as Condition['severity'],
    summary: String(r.summary),
    details: json(r.details, {}),
    endedReason: (r.ended_reason as string | null) ?? null,
    segment: Number(r.segment),
  };
}

export { conditionFromRow };

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** True when a process with this pid exists (signal 0). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Host name used in the collector lock. */
export function hostName(): string {
  return os.hostname();
}
