/**
 * @fileoverview The accounts part of the store (issue 16): users, invitations, sessions,
 * API tokens, recovery codes, sign-in throttling and the append-only audit log. Both back
 * ends implement {@link AuthStore} over their own connection; the tables are created by the
 * third migration of each (`auth_*`, plus the `audit_log` view for `leakscope query`).
 *
 * Secrets never reach these tables in the clear: passwords (Argon2id) and TOTP secrets are
 * sealed with the server key (outside the database), session ids, tokens and codes are
 * SHA-256 fingerprints. `leakscope query` refuses every `auth_*` table; `audit_log` is
 * readable locally and by admins.
 */
import { optNum as n } from './common.js';

/** Roles: `viewer` reads everything, `admin` also changes silences, users and tokens. */
export type Role = 'viewer' | 'admin';

/** A user as stored. */
export interface UserRow {
  id: number;
  name: string;
  role: Role;
  /** Sealed Argon2id PHC string; null until an invitation is accepted. */
  password: string | null;
  passwordChangedAt: number | null;
  /** Sealed base32 TOTP secret; null until enrolled. */
  totpSecret: string | null;
  /** Sealed secret of an enrolment in progress, and when it started. */
  totpPending: string | null;
  totpPendingAt: number | null;
  /** Last accepted TOTP step (single use). */
  totpLastStep: number | null;
  mfaEnrolledAt: number | null;
  disabledAt: number | null;
  createdAt: number;
  createdBy: string;
}

/** A one-time link: the first admin's set-up, or an invitation. */
export interface InviteRow {
  id: number;
  kind: 'setup' | 'invite';
  userId: number | null;
  createdAt: number;
  expiresAt: number;
  createdBy: string;
  usedAt: number | null;
}

/** Session states: password seen and code awaited, TOTP enrolment required, signed in. */
export type SessionState = 'mfa' | 'enrol' | 'full';

/** A server-side session. */
export interface SessionRow {
  id: number;
  hash: string;
  userId: number;
  state: SessionState;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  /** When the user last proved password + code in this session (sign-in or re-auth). */
  authAt: number | null;
  ip: string;
  userAgent: string;
}

/** An API token as stored (the secret only as SHA-256). */
export interface TokenRow {
  id: number;
  hash: string;
  /** First characters of the token, shown in lists (`lks_AbCd`). */
  prefix: string;
  name: string;
  userId: number;
  role: Role;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
}

/** Throttle state of one (user name, address) pair. */
export interface ThrottleRow {
  lockLevel: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** One security event. */
export interface AuditEvent {
  ts: number;
  /** `auth.login`, `auth.mfa`, `auth.lockout`, `session.end`, `token.create`, ... */
  type: string;
  outcome: 'success' | 'failure' | 'info';
  /** Who acted: a user name, `cli:<os user>`, `token:<id>` or `anonymous`. */
  actor: string;
  actorId: number | null;
  ip: string | null;
  userAgent: string | null;
  /** What it was about (a user name, token id, session id, silence id). */
  subject: string | null;
  details: Record<string, unknown>;
}

/** A stored security event. */
export interface AuditRow extends AuditEvent {
  id: number;
}

/** Filter of {@link AuthStore.listAudit}. */
export interface AuditFilter {
  from?: number;
  to?: number;
  type?: string;
  actor?: string;
  /** Return events with an id below this (paging backwards). */
  before?: number;
  limit?: number;
}

/** Accounts storage. Times are epoch milliseconds. */
export interface AuthStore {
  getMeta(key: string): Promise<string | undefined>;
  /** Sets `key` only when it is absent; returns the value now stored. */
  initMeta(key: string, value: string): Promise<string>;

  countUsers(): Promise<number>;
  /** Creates a user; with `onlyIfNoUsers` it fails (returns undefined) when any user exists. */
  createUser(u: { name: string; role: Role; createdAt: number; createdBy: string }, onlyIfNoUsers?: boolean): Promise<number | undefined>;
  getUser(id: number): Promise<UserRow | undefined>;
  getUserByName(name: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  /** Updates columns of a user. */
  updateUser(id: number, patch: Partial<Omit<UserRow, 'id' | 'name' | 'createdAt' | 'createdBy'>>): Promise<void>;
  /** Records an accepted TOTP step only when it is later than the stored one (atomic). */
  useTotpStep(userId: number, step: number): Promise<boolean>;
  /** Admins who can sign in (not disabled, invitation accepted). */
  countActiveAdmins(): Promise<number>;

  createInvite(i: { hash: string; kind: 'setup' | 'invite'; userId: number | null; createdAt: number; expiresAt: number; createdBy: string }): Promise<number>;
  /** Marks an unexpired, unused invitation used and returns it (atomic: only one caller wins). */
  consumeInvite(hash: string, now: number): Promise<InviteRow | undefined>;
  /** An unexpired, unused invitation (without using it). */
  peekInvite(hash: string, now: number): Promise<InviteRow | undefined>;
  /** Voids the unused invitations of a user. */
  voidInvites(userId: number, now: number): Promise<void>;

  createSession(s: Omit<SessionRow, 'id'>): Promise<number>;
  getSession(hash: string): Promise<SessionRow | undefined>;
  touchSession(id: number, now: number, patch?: { authAt?: number }): Promise<void>;
  deleteSession(id: number): Promise<boolean>;
  /** Ends every session of a user except `keepId`; returns how many ended. */
  deleteUserSessions(userId: number, keepId?: number): Promise<number>;
  listSessions(userId?: number): Promise<SessionRow[]>;
  /** Deletes sessions past their absolute or idle end; returns how many. */
  purgeSessions(now: number, idleMs: number): Promise<number>;

  createToken(t: Omit<TokenRow, 'id' | 'lastUsedAt' | 'lastUsedIp' | 'revokedAt'>): Promise<number>;
  getTokenByHash(hash: string): Promise<TokenRow | undefined>;
  getToken(id: number): Promise<TokenRow | undefined>;
  listTokens(userId?: number): Promise<TokenRow[]>;
  touchToken(id: number, now: number, ip: string): Promise<void>;
  revokeToken(id: number, now: number): Promise<boolean>;

  /** Replaces a user's recovery codes (the old set is void). */
  replaceRecoveryCodes(userId: number, hashes: readonly string[], now: number): Promise<void>;
  /** Uses one unused recovery code of the user (atomic); false when none matches. */
  useRecoveryCode(userId: number, hash: string, now: number): Promise<boolean>;
  countRecoveryCodes(userId: number): Promise<number>;

  getThrottle(nameKey: string, ip: string): Promise<ThrottleRow | undefined>;
  putThrottle(nameKey: string, ip: string, t: ThrottleRow): Promise<void>;
  /** Records a failure and returns the failures of (name, ip) since `since15` and of the name since `since60`. */
  addFailure(nameKey: string, ip: string, now: number, since15: number, since60: number): Promise<{ pair: number; name: number }>;
  /** Failures of the name since `since`, and the oldest of them. */
  nameFailures(nameKey: string, since: number): Promise<{ count: number; oldest: number | null }>;
  /** Forgets the failures and lock of (name, ip), or of every address when `ip` is omitted. */
  clearFailures(nameKey: string, ip?: string): Promise<void>;
  /** Remembers that `ip` signed in as the user (exempt from the hourly cap). */
  rememberSource(userId: number, ip: string, now: number): Promise<void>;
  isKnownSource(userId: number, ip: string, since: number): Promise<boolean>;
  /** Deletes failure rows older than `before`. */
  purgeFailures(before: number): Promise<void>;

  appendAudit(e: AuditEvent): Promise<number>;
  listAudit(f?: AuditFilter): Promise<AuditRow[]>;
}

/** Decodes a user row (snake_case columns of either database). */
export function userFromRow(r: Record<string, unknown>): UserRow {
  return {
    id: Number(r.id),
    name: String(r.name),
    role: r.role === 'admin' ? 'admin' : 'viewer',
    password: (r.password as string | null) ?? null,
    passwordChangedAt: n(r.password_changed_at),
    totpSecret: (r.totp_secret as string | null) ?? null,
    totpPending: (r.totp_pending as string | null) ?? null,
    totpPendingAt: n(r.totp_pending_at),
    totpLastStep: n(r.totp_last_step),
    mfaEnrolledAt: n(r.mfa_enrolled_at),
    disabledAt: n(r.disabled_at),
    createdAt: Number(r.created_at),
    createdBy: String(r.created_by),
  };
}

/** Decodes an invitation row. */
export function inviteFromRow(r: Record<string, unknown>): InviteRow {
  return {
    id: Number(r.id),
    kind: r.kind === 'setup' ? 'setup' : 'invite',
    userId: n(r.user_id),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    createdBy: String(r.created_by),
    usedAt: n(r.used_at),
  };
}

/** Decodes a session row. */
export function sessionFromRow(r: Record<string, unknown>): SessionRow {
  return {
    id: Number(r.id),
    hash: String(r.hash),
    userId: Number(r.user_id),
    state: r.state as SessionState,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    authAt: n(r.auth_at),
    ip: String(r.ip ?? ''),
    userAgent: String(r.user_agent ?? ''),
  };
}

/** Decodes a token row. */
export function tokenFromRow(r: Record<string, unknown>): TokenRow {
  return {
    id: Number(r.id),
    hash: String(r.hash),
    prefix: String(r.prefix),
    name: String(r.name),
    userId: Number(r.user_id),
    role: r.role === 'admin' ? 'admin' : 'viewer',
    createdAt: Number(r.created_at),
    expiresAt: n(r.expires_at),
    lastUsedAt: n(r.last_used_at),
    lastUsedIp: (r.last_used_ip as string | null) ?? null,
    revokedAt: n(r.revoked_at),
  };
}

/** Decodes an audit row. */
export function auditFromRow(r: Record<string, unknown>): AuditRow {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(String(r.details ?? '{}')) as Record<string, unknown>;
  } catch {
    // keep {}
  }
  return {
    id: Number(r.id),
    ts: Number(r.ts),
    type: String(r.type),
    outcome: r.outcome as AuditEvent['outcome'],
    actor: String(r.actor),
    actorId: n(r.actor_id),
    ip: (r.ip as string | null) ?? null,
    userAgent: (r.user_agent as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    details,
  };
}

/** Column name for a camelCase user field. */
export function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** User columns that {@link AuthStore.updateUser} may set. */
export const USER_PATCH_COLUMNS = new Set(['role', 'password', 'password_changed_at', 'totp_secret', 'totp_pending', 'totp_pending_at', 'totp_last_step', 'mfa_enrolled_at', 'disabled_at']);

/** Tables that `leakscope query` refuses (the audit log is read through its view). */
export const AUTH_SECRET_TABLES = ['auth_meta', 'auth_user', 'auth_invite', 'auth_session', 'auth_token', 'auth_recovery', 'auth_throttle', 'auth_failure', 'auth_source'] as const;
/** The audit table (readable through `audit_log` locally and by admins). */
export const AUTH_AUDIT_TABLE = 'auth_audit';

/** Who runs a `leakscope query` statement: decides whether the audit log is readable. */
export type QueryScope = 'local' | 'admin' | 'viewer';

/** A user with this name exists already. */
export class DuplicateNameError extends Error {
  override readonly name = 'DuplicateNameError';
}
