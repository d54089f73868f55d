/**
 * @fileoverview {@link AuthStore} over SQL, shared by the SQLite and PostgreSQL stores, and
 * the migration that creates its tables in each.
 *
 * Every operation that must be atomic is one statement (both databases make a single
 * statement atomic), so no transaction spans an `await`: consuming an invitation
 * (`UPDATE ... WHERE used_at IS NULL RETURNING`), accepting a TOTP step (`... WHERE
 * totp_last_step < ?`), using a recovery code, creating the first admin (`INSERT ... SELECT
 * ... WHERE NOT EXISTS`, with a unique `setup_marker` so two concurrent set-ups in a fleet
 * cannot both win). Recovery code sets carry a generation; only the newest one is valid, so
 * regenerating voids the old set in the same statement that inserts the new one (the
 * generation is the creation time).
 *
 * The audit table is append-only in the database too: triggers refuse UPDATE and DELETE.
 */
import {
  auditFromRow,
  DuplicateNameError,
  inviteFromRow,
  sessionFromRow,
  snake,
  tokenFromRow,
  USER_PATCH_COLUMNS,
  userFromRow,
  type AuditEvent,
  type AuditFilter,
  type AuditRow,
  type AuthStore,
  type InviteRow,
  type Role,
  type SessionRow,
  type ThrottleRow,
  type TokenRow,
  type UserRow,
} from './auth.js';

/** What {@link SqlAuthStore} needs from a connection; `?` placeholders in both back ends. */
export interface SqlRunner {
  all(sql: string, args?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a statement; returns the number of changed rows. */
  run(sql: string, args?: unknown[]): Promise<number>;
  isUniqueViolation(e: unknown): boolean;
}

const AUTH_TABLES = (t: { id: string; int: string; iso: (c: string) => string }) => `
  CREATE TABLE auth_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE auth_user(id ${t.id}, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
    password TEXT, password_changed_at ${t.int}, totp_secret TEXT, totp_pending TEXT, totp_pending_at ${t.int}, totp_last_step ${t.int},
    mfa_enrolled_at ${t.int}, disabled_at ${t.int}, created_at ${t.int} NOT NULL, created_by TEXT NOT NULL, setup_marker INTEGER UNIQUE);
  CREATE TABLE auth_invite(id ${t.id}, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, user_id ${t.int}, created_at ${t.int} NOT NULL, expires_at ${t.int} NOT NULL, created_by TEXT NOT NULL, used_at ${t.int});
  CREATE TABLE auth_session(id ${t.id}, hash TEXT NOT NULL UNIQUE, user_id ${t.int} NOT NULL, state TEXT NOT NULL, created_at ${t.int} NOT NULL, last_seen_at ${t.int} NOT NULL,
    expires_at ${t.int} NOT NULL, auth_at ${t.int}, ip TEXT NOT NULL, user_agent TEXT NOT NULL);
  CREATE INDEX auth_session_user ON auth_session(user_id);
  CREATE TABLE auth_token(id ${t.id}, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, name TEXT NOT NULL, user_id ${t.int} NOT NULL, role TEXT NOT NULL,
    created_at ${t.int} NOT NULL, expires_at ${t.int}, last_used_at ${t.int}, last_used_ip TEXT, revoked_at ${t.int});
  CREATE TABLE auth_recovery(id ${t.id}, user_id ${t.int} NOT NULL, gen ${t.int} NOT NULL, hash TEXT NOT NULL, created_at ${t.int} NOT NULL, used_at ${t.int});
  CREATE INDEX auth_recovery_user ON auth_recovery(user_id, gen);
  CREATE TABLE auth_throttle(name_key TEXT NOT NULL, ip TEXT NOT NULL, lock_level INTEGER NOT NULL, locked_until ${t.int} NOT NULL, last_failure_at ${t.int} NOT NULL, PRIMARY KEY(name_key, ip));
  CREATE TABLE auth_failure(id ${t.id}, name_key TEXT NOT NULL, ip TEXT NOT NULL, ts ${t.int} NOT NULL);
  CREATE INDEX auth_failure_name ON auth_failure(name_key, ts);
  CREATE TABLE auth_source(user_id ${t.int} NOT NULL, ip TEXT NOT NULL, last_at ${t.int} NOT NULL, PRIMARY KEY(user_id, ip));
  CREATE TABLE auth_audit(id ${t.id}, ts ${t.int} NOT NULL, type TEXT NOT NULL, outcome TEXT NOT NULL, actor TEXT NOT NULL, actor_id ${t.int}, ip TEXT, user_agent TEXT, subject TEXT, details TEXT NOT NULL DEFAULT '{}');
  CREATE INDEX auth_audit_ts ON auth_audit(ts);
  CREATE VIEW audit_log AS SELECT id, ts, ${t.iso('ts')} AS time, type, outcome, actor, ip, user_agent, subject, details FROM auth_audit;
`;

/** SQLite migration: the accounts tables, append-only triggers and the `audit_log` view. */
export const SQLITE_AUTH_MIGRATION =
  AUTH_TABLES({ id: 'INTEGER PRIMARY KEY', int: 'INTEGER', iso: (c) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${c} / 1000.0, 'unixepoch')` }) +
  `
  CREATE TRIGGER auth_audit_no_update BEFORE UPDATE ON auth_audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER auth_audit_no_delete BEFORE DELETE ON auth_audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/** PostgreSQL migration: the same tables, triggers and view. */
export const POSTGRES_AUTH_MIGRATION =
  AUTH_TABLES({ id: 'BIGSERIAL PRIMARY KEY', int: 'BIGINT', iso: (c) => `to_char(to_timestamp(${c} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` }) +
  `
  CREATE FUNCTION auth_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER auth_audit_no_change BEFORE UPDATE OR DELETE ON auth_audit FOR EACH ROW EXECUTE FUNCTION auth_audit_append_only();
  CREATE TRIGGER auth_audit_no_truncate BEFORE TRUNCATE ON auth_audit FOR EACH STATEMENT EXECUTE FUNCTION auth_audit_append_only();
`;

/** Lower-cased key a user name is unique by. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** The accounts store over a {@link SqlRunner}. */
export class SqlAuthStore implements AuthStore {
  constructor(private readonly db: SqlRunner) {}

  private async one(sql: string, args: unknown[] = []): Promise<Record<string, unknown> | undefined> {
    return (await this.db.all(sql, args))[0];
  }

  async getMeta(key: string): Promise<string | undefined> {
    const r = await this.one('SELECT value FROM auth_meta WHERE key = ?', [key]);
    return r ? String(r.value) : undefined;
  }

  async initMeta(key: string, value: string): Promise<string> {
    await this.db.run('INSERT INTO auth_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING', [key, value]);
    return (await this.getMeta(key))!;
  }

  async countUsers(): Promise<number> {
    return Number((await this.one('SELECT COUNT(*) AS n FROM auth_user'))!.n);
  }

  async createUser(u: { name: string; role: Role; createdAt: number; createdBy: string }, onlyIfNoUsers = false): Promise<number | undefined> {
    try {
      const rows = onlyIfNoUsers
        ? await this.db.all(
            'INSERT INTO auth_user(name, name_key, role, created_at, created_by, setup_marker) SELECT ?, ?, ?, ?, ?, 1 WHERE NOT EXISTS (SELECT 1 FROM auth_user) RETURNING id',
            [u.name, nameKey(u.name), u.role, u.createdAt, u.createdBy],
          )
        : await this.db.all('INSERT INTO auth_user(name, name_key, role, created_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id', [u.name, nameKey(u.name), u.role, u.createdAt, u.createdBy]);
      return rows[0] ? Number(rows[0].id) : undefined;
    } catch (e) {
      if (!this.db.isUniqueViolation(e)) throw e;
      if (onlyIfNoUsers) return undefined;
      throw new DuplicateNameError(`a user named "${u.name}" exists already`);
    }
  }

  async getUser(id: number): Promise<UserRow | undefined> {
    const r = await this.one('SELECT * FROM auth_user WHERE id = ?', [id]);
    return r ? userFromRow(r) : undefined;
  }

  async getUserByName(name: string): Promise<UserRow | undefined> {
    const r = await this.one('SELECT * FROM auth_user WHERE name_key = ?', [nameKey(name)]);
    return r ? userFromRow(r) : undefined;
  }

  async listUsers(): Promise<UserRow[]> {
    return (await this.db.all('SELECT * FROM auth_user ORDER BY id')).map(userFromRow);
  }

  async updateUser(id: number, patch: Partial<UserRow>): Promise<void> {
    const cols = Object.entries(patch)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [snake(k), v] as const);
    for (const [c] of cols) if (!USER_PATCH_COLUMNS.has(c)) throw new Error(`updateUser: column ${c} cannot be changed`);
    if (cols.length === 0) return;
    await this.db.run(`UPDATE auth_user SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, [...cols.map(([, v]) => v), id]);
  }

  async useTotpStep(userId: number, step: number): Promise<boolean> {
    return (await this.db.run('UPDATE auth_user SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)', [step, userId, step])) > 0;
  }

  async countActiveAdmins(): Promise<number> {
    return Number((await this.one("SELECT COUNT(*) AS n FROM auth_user WHERE role = 'admin' AND disabled_at IS NULL AND password IS NOT NULL"))!.n);
  }

  async createInvite(i: { hash: string; kind: 'setup' | 'invite'; userId: number | null; createdAt: number; expiresAt: number; createdBy: string }): Promise<number> {
    const r = await this.db.all('INSERT INTO auth_invite(hash, kind, user_id, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', [
      i.hash,
      i.kind,
      i.userId,
      i.createdAt,
      i.expiresAt,
      i.createdBy,
    ]);
    return Number(r[0]!.id);
  }

  async consumeInvite(hash: string, now: number): Promise<InviteRow | undefined> {
    const r = await this.one('UPDATE auth_invite SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *', [now, hash, now]);
    return r ? inviteFromRow(r) : undefined;
  }

  async peekInvite(hash: string, now: number): Promise<InviteRow | undefined> {
    const r = await this.one('SELECT * FROM auth_invite WHERE hash = ? AND used_at IS NULL AND expires_at > ?', [hash, now]);
    return r ? inviteFromRow(r) : undefined;
  }

  async voidInvites(userId: number, now: number): Promise<void> {
    await this.db.run('UPDATE auth_invite SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [now, userId]);
  }

  async createSession(s: Omit<SessionRow, 'id'>): Promise<number> {
    const r = await this.db.all(
      'INSERT INTO auth_session(hash, user_id, state, created_at, last_seen_at, expires_at, auth_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [s.hash, s.userId, s.state, s.createdAt, s.lastSeenAt, s.expiresAt, s.authAt, s.ip, s.userAgent],
    );
    return Number(r[0]!.id);
  }

  async getSession(hash: string): Promise<SessionRow | undefined> {
    const r = await this.one('SELECT * FROM auth_session WHERE hash = ?', [hash]);
    return r ? sessionFromRow(r) : undefined;
  }

  async touchSession(id: number, now: number, patch: { authAt?: number } = {}): Promise<void> {
    if (patch.authAt !== undefined) await this.db.run('UPDATE auth_session SET last_seen_at = ?, auth_at = ? WHERE id = ?', [now, patch.authAt, id]);
    else await this.db.run('UPDATE auth_session SET last_seen_at = ? WHERE id = ?', [now, id]);
  }

  async deleteSession(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM auth_session WHERE id = ?', [id])) > 0;
  }

  async deleteUserSessions(userId: number, keepId?: number): Promise<number> {
    return this.db.run('DELETE FROM auth_session WHERE user_id = ? AND id <> ?', [userId, keepId ?? -1]);
  }

  async listSessions(userId?: number): Promise<SessionRow[]> {
    const rows = userId === undefined ? await this.db.all('SELECT * FROM auth_session ORDER BY id') : await this.db.all('SELECT * FROM auth_session WHERE user_id = ? ORDER BY id', [userId]);
    return rows.map(sessionFromRow);
  }

  async purgeSessions(now: number, idleMs: number): Promise<number> {
    return this.db.run('DELETE FROM auth_session WHERE expires_at <= ? OR last_seen_at <= ?', [now, now - idleMs]);
  }

  async createToken(t: Omit<TokenRow, 'id' | 'lastUsedAt' | 'lastUsedIp' | 'revokedAt'>): Promise<number> {
    const r = await this.db.all('INSERT INTO auth_token(hash, prefix, name, user_id, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id', [
      t.hash,
      t.prefix,
      t.name,
      t.userId,
      t.role,
      t.createdAt,
      t.expiresAt,
    ]);
    return Number(r[0]!.id);
  }

  async getTokenByHash(hash: string): Promise<TokenRow | undefined> {
    const r = await this.one('SELECT * FROM auth_token WHERE hash = ?', [hash]);
    return r ? tokenFromRow(r) : undefined;
  }

  async getToken(id: number): Promise<TokenRow | undefined> {
    const r = await this.one('SELECT * FROM auth_token WHERE id = ?', [id]);
    return r ? tokenFromRow(r) : undefined;
  }

  async listTokens(userId?: number): Promise<TokenRow[]> {
    const rows = userId === undefined ? await this.db.all('SELECT * FROM auth_token ORDER BY id') : await this.db.all('SELECT * FROM auth_token WHERE user_id = ? ORDER BY id', [userId]);
    return rows.map(tokenFromRow);
  }

  async touchToken(id: number, now: number, ip: string): Promise<void> {
    await this.db.run('UPDATE auth_token SET last_used_at = ?, last_used_ip = ? WHERE id = ?', [now, ip, id]);
  }

  async revokeToken(id: number, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE auth_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])) > 0;
  }

  async replaceRecoveryCodes(userId: number, hashes: readonly string[], now: number): Promise<void> {
    if (hashes.length === 0) {
      await this.db.run('UPDATE auth_recovery SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [now, userId]);
      return;
    }
    // One statement inserts the whole set; its generation (the time) is the newest, which
    // voids every older code at once.
    const values = hashes.map(() => '(?, ?, ?, ?)').join(', ');
    await this.db.run(`INSERT INTO auth_recovery(user_id, gen, hash, created_at) VALUES ${values}`, hashes.flatMap((h) => [userId, now, h, now]));
    await this.db.run('DELETE FROM auth_recovery WHERE user_id = ? AND gen < (SELECT MAX(gen) FROM auth_recovery WHERE user_id = ?)', [userId, userId]);
  }

  async useRecoveryCode(userId: number, hash: string, now: number): Promise<boolean> {
    return (
      (await this.db.run(
        'UPDATE auth_recovery SET used_at = ? WHERE user_id = ? AND hash = ? AND used_at IS NULL AND gen = (SELECT MAX(gen) FROM auth_recovery WHERE user_id = ?)',
        [now, userId, hash, userId],
      )) > 0
    );
  }

  async countRecoveryCodes(userId: number): Promise<number> {
    return Number(
      (await this.one('SELECT COUNT(*) AS n FROM auth_recovery WHERE user_id = ? AND used_at IS NULL AND gen = (SELECT MAX(gen) FROM auth_recovery WHERE user_id = ?)', [userId, userId]))!.n,
    );
  }

  async getThrottle(key: string, ip: string): Promise<ThrottleRow | undefined> {
    const r = await this.one('SELECT * FROM auth_throttle WHERE name_key = ? AND ip = ?', [key, ip]);
    return r ? { lockLevel: Number(r.lock_level), lockedUntil: Number(r.locked_until), lastFailureAt: Number(r.last_failure_at) } : undefined;
  }

  async putThrottle(key: string, ip: string, t: ThrottleRow): Promise<void> {
    await this.db.run(
      `INSERT INTO auth_throttle(name_key, ip, lock_level, locked_until, last_failure_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name_key, ip) DO UPDATE SET lock_level = excluded.lock_level, locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at`,
      [key, ip, t.lockLevel, t.lockedUntil, t.lastFailureAt],
    );
  }

  async addFailure(key: string, ip: string, now: number, since15: number, since60: number): Promise<{ pair: number; name: number }> {
    await this.db.run('INSERT INTO auth_failure(name_key, ip, ts) VALUES (?, ?, ?)', [key, ip, now]);
    const r = (await this.one(
      'SELECT SUM(CASE WHEN ip = ? AND ts > ? THEN 1 ELSE 0 END) AS pair, COUNT(*) AS name FROM auth_failure WHERE name_key = ? AND ts > ?',
      [ip, since15, key, since60],
    ))!;
    return { pair: Number(r.pair ?? 0), name: Number(r.name ?? 0) };
  }

  async nameFailures(key: string, since: number): Promise<{ count: number; oldest: number | null }> {
    const r = (await this.one('SELECT COUNT(*) AS n, MIN(ts) AS oldest FROM auth_failure WHERE name_key = ? AND ts > ?', [key, since]))!;
    return { count: Number(r.n), oldest: r.oldest === null || r.oldest === undefined ? null : Number(r.oldest) };
  }

  async clearFailures(key: string, ip?: string): Promise<void> {
    if (ip === undefined) {
      await this.db.run('DELETE FROM auth_failure WHERE name_key = ?', [key]);
      await this.db.run('DELETE FROM auth_throttle WHERE name_key = ?', [key]);
    } else {
      await this.db.run('DELETE FROM auth_failure WHERE name_key = ? AND ip = ?', [key, ip]);
      await this.db.run('DELETE FROM auth_throttle WHERE name_key = ? AND ip = ?', [key, ip]);
    }
  }

  async rememberSource(userId: number, ip: string, now: number): Promise<void> {
    await this.db.run('INSERT INTO auth_source(user_id, ip, last_at) VALUES (?, ?, ?) ON CONFLICT(user_id, ip) DO UPDATE SET last_at = excluded.last_at', [userId, ip, now]);
  }

  async isKnownSource(userId: number, ip: string, since: number): Promise<boolean> {
    return !!(await this.one('SELECT 1 AS ok FROM auth_source WHERE user_id = ? AND ip = ? AND last_at > ?', [userId, ip, since]));
  }

  async purgeFailures(before: number): Promise<void> {
    await this.db.run('DELETE FROM auth_failure WHERE ts < ?', [before]);
    await this.db.run('DELETE FROM auth_throttle WHERE last_failure_at < ? AND locked_until < ?', [before, before]);
  }

  async appendAudit(e: AuditEvent): Promise<number> {
    const r = await this.db.all(
      'INSERT INTO auth_audit(ts, type, outcome, actor, actor_id, ip, user_agent, subject, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [e.ts, e.type, e.outcome, e.actor, e.actorId, e.ip, e.userAgent, e.subject, JSON.stringify(e.details)],
    );
    return Number(r[0]!.id);
  }

  async listAudit(f: AuditFilter = {}): Promise<AuditRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      where.push(cond);
      args.push(v);
    };
    if (f.from !== undefined) add('ts >= ?', f.from);
    if (f.to !== undefined) add('ts <= ?', f.to);
    if (f.type !== undefined) add('type = ?', f.type);
    if (f.actor !== undefined) add('actor = ?', f.actor);
    if (f.before !== undefined) add('id < ?', f.before);
    const limit = Math.max(1, Math.min(f.limit ?? 1000, 100_000));
    const rows = await this.db.all(`SELECT * FROM auth_audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${limit}`, args);
    return rows.map(auditFromRow);
  }
}
