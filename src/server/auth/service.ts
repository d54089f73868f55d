/**
 * @fileoverview Accounts, multi-factor sign-in, sessions, API tokens and the audit trail of
 * the leakscope server (issue 16), independent of HTTP: `http.ts` maps routes onto it and the
 * `leakscope user` commands call it directly.
 *
 * Flows (every step audited):
 * - **Set-up**: no user exists and no default account; {@link AuthService.createSetupLink}
 *   makes a one-time link (15 min) printed on the console. Completing it creates the first
 *   admin and a session in state `enrol`.
 * - **Invitation**: an admin names a user and a role and gets a one-time link (72 h); the
 *   invitee sets a password and lands in `enrol`.
 * - **Sign-in**: password (state `mfa`, 5 min) then a TOTP or recovery code (state `full`);
 *   a user without TOTP goes to `enrol` and cannot do anything else until enrolled. The
 *   session id is replaced at each step.
 * - **Enrolment**: a pending secret (15 min) with QR code; a valid code makes it the user's
 *   secret and returns ten recovery codes, shown once.
 *
 * Limits: see {@link LIMITS} and docs/security.md.
 */
import type { Logger } from 'pino';
import { DuplicateNameError, type AuditFilter, type AuthStore, type Role, type SessionRow, type TokenRow, type UserRow } from '../../monitor/store/auth.js';
import { nameKey } from '../../monitor/store/auth-sql.js';
import { AuditLog, type AuditInput } from './audit.js';
import type { SecretKey} from './crypto.js';
import { randomToken, safeEqual, SecretKeyError, sha256Hex } from './crypto.js';
import { HasherBusyError, PasswordHasher, passwordProblem } from './passwords.js';
import { matchTotp, newRecoveryCode, newTotpSecret, normalizeCode, normalizeRecoveryCode, qrSvg, RECOVERY_CODES, totpUri } from './totp.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Every limit and lifetime (docs/security.md lists them). */
export const LIMITS = {
  setupLinkMs: 15 * MIN,
  inviteMs: 72 * HOUR,
  /** A session that has seen the password and waits for the code. */
  mfaStepMs: 5 * MIN,
  /** A session that must enrol TOTP before anything else. */
  enrolMs: 15 * MIN,
  /** A pending enrolment secret. */
  enrolSecretMs: 15 * MIN,
  idleMs: 30 * MIN,
  absoluteMs: 12 * HOUR,
  /** Password + code proven this recently allow MFA changes, token creation, new recovery codes. */
  reauthMs: 5 * MIN,
  /** Session and token last-use times are written at most this often. */
  touchEveryMs: MIN,
  /** Failures of one (user name, address) pair counted over this window... */
  failWindowMs: 15 * MIN,
  /** ...lock the pair once they reach this many, */
  failsToLock: 5,
  /** for this long, doubling with each further lock, */
  lockBaseMs: MIN,
  /** up to this. */
  lockMaxMs: 30 * MIN,
  /** At most this many failures per user name per hour, from all addresses together. */
  hourlyFailureCap: 100,
  /** Addresses the user signed in from within this period are exempt from the hourly cap. */
  knownSourceMs: 30 * 24 * HOUR,
  /** Sign-in attempts per address per minute (enforced by the HTTP layer). */
  perIpPerMinute: 10,
  tokenDefaultDays: 90,
  tokenMaxDays: 365,
} as const;

/** A refusal with an HTTP status, a stable code and a message for the user. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

/** Where a request comes from. */
export interface Ctx {
  ip: string;
  userAgent: string;
}

/** A resolved session with its user. */
export interface SessionAuth {
  kind: 'session';
  session: SessionRow;
  user: UserRow;
  role: Role;
}

/** A resolved API token with its user; `role` is the lesser of the token's and the user's. */
export interface TokenAuth {
  kind: 'token';
  token: TokenRow;
  user: UserRow;
  role: Role;
}

/** Who is calling. */
export type Principal = SessionAuth | TokenAuth;

/** A new session: the raw id goes into the cookie, only its hash is stored. */
export interface NewSession {
  id: string;
  row: SessionRow;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TOKEN_FORMAT = /^lks_[A-Za-z0-9_-]{43}$/;
const BAD_LINK = 'This link is invalid, has expired or was already used. Ask an admin for a new invitation (or, for the first admin, restart the server or run "leakscope user add").';
const BAD_LOGIN = 'Incorrect user name or password.';
const BAD_CODE = 'That code is not valid. Enter the current 6-digit code from your authenticator app (check that the device clock is right), or a recovery code.';

/** Public shape of a user. */
export function userJson(u: UserRow) {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    status: u.disabledAt !== null ? 'disabled' : u.password === null ? 'invited' : u.totpSecret === null ? 'enrolling' : 'active',
    mfaEnrolled: u.totpSecret !== null,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt,
    createdBy: u.createdBy,
  };
}

/** Public shape of a session (never its id or hash). */
export function sessionJson(s: SessionRow, currentId?: number) {
  return { id: s.id, userId: s.userId, state: s.state, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent, current: s.id === currentId };
}

/** Public shape of a token (never the secret or its hash). */
export function tokenJson(t: TokenRow) {
  return { id: t.id, name: t.name, prefix: t.prefix, userId: t.userId, role: t.role, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, lastUsedIp: t.lastUsedIp, revokedAt: t.revokedAt };
}

/** Options of {@link AuthService}. */
export interface AuthServiceOptions {
  store: AuthStore;
  key: SecretKey;
  log: Logger;
  /** Directory for `audit.jsonl` (the data directory). */
  auditDir?: string;
  clock?: () => number;
  hasher?: PasswordHasher;
}

/** The accounts service. */
export class AuthService {
  readonly store: AuthStore;
  readonly audit: AuditLog;
  readonly clock: () => number;
  private readonly key: SecretKey;
  private readonly hasher: PasswordHasher;
  private readonly log: Logger;

  constructor(o: AuthServiceOptions) {
    this.store = o.store;
    this.key = o.key;
    this.log = o.log;
    this.clock = o.clock ?? Date.now;
    this.hasher = o.hasher ?? new PasswordHasher();
    this.audit = new AuditLog(o.store, o.log, this.clock, o.auditDir);
  }

  /**
   * Checks that the key opens what the store holds (a sealed check value written on first
   * use), so a fleet instance with another key refuses to start instead of failing sign-ins.
   */
  async init(): Promise<void> {
    const stored = await this.store.initMeta('key_check', this.key.seal('leakscope-key-check', 'key-check'));
    try {
      this.key.open(stored, 'key-check');
    } catch {
      throw new SecretKeyError(
        'the secret key (LEAKSCOPE_SECRET_KEY or <data-dir>/secret.key) is not the one the accounts in this store were created with; ' +
          'every instance of a fleet needs the same key. If the key is lost, run "leakscope user invite <name>" for each user to set new credentials.',
      );
    }
  }

  /** The CSRF HMAC key (derived from the secret key). */
  csrfKey(): Buffer {
    return this.key.derive('csrf');
  }

  private now(): number {
    return this.clock();
  }

  private ev(e: AuditInput, ctx?: Ctx): Promise<void> {
    return this.audit.record({ ...(ctx ? { ip: ctx.ip, userAgent: ctx.userAgent } : {}), ...e });
  }

  // --- set-up and invitations ---------------------------------------------------------

  /** True while no user exists. */
  async setupRequired(): Promise<boolean> {
    return (await this.store.countUsers()) === 0;
  }

  /** A one-time set-up link for the first admin (valid {@link LIMITS.setupLinkMs}). */
  async createSetupLink(baseUrl: string, by = 'console'): Promise<{ url: string; expiresAt: number }> {
    const token = randomToken(32);
    const now = this.now();
    const expiresAt = now + LIMITS.setupLinkMs;
    await this.store.createInvite({ hash: sha256Hex(token), kind: 'setup', userId: null, createdAt: now, expiresAt, createdBy: by });
    await this.ev({ type: 'setup.link', outcome: 'info', actor: by, details: { expiresAt } });
    return { url: `${baseUrl.replace(/\/$/, '')}/setup#token=${token}`, expiresAt };
  }

  private checkName(name: unknown): string {
    if (typeof name !== 'string' || !USERNAME.test(name)) {
      throw new AuthError(400, 'invalid_name', 'User names are 1 to 64 characters: letters, digits and . _ @ - (starting with a letter or digit).');
    }
    return name;
  }

  private checkPassword(password: unknown, name: string): string {
    const problem = passwordProblem(password, name);
    if (problem) throw new AuthError(400, 'weak_password', problem);
    return password as string;
  }

  private async setPassword(userId: number, password: string): Promise<void> {
    const phc = await this.hashing(() => this.hasher.hash(password));
    await this.store.updateUser(userId, { password: this.key.seal(phc, `pw:${userId}`), passwordChangedAt: this.now() });
  }

  private async hashing<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof HasherBusyError) throw new AuthError(503, 'busy', 'The server is busy checking other sign-ins. Try again in a few seconds.', 5);
      throw e;
    }
  }

  /** Completes the set-up: creates the first admin and a session that must enrol TOTP. */
  async completeSetup(token: unknown, name: unknown, password: unknown, ctx: Ctx): Promise<NewSession> {
    const n = this.checkName(name);
    const pw = this.checkPassword(password, n);
    const now = this.now();
    const hash = typeof token === 'string' && token.length <= 128 ? sha256Hex(token) : '';
    const inv = hash ? await this.store.peekInvite(hash, now) : undefined;
    if (!inv || inv.kind !== 'setup') {
      await this.ev({ type: 'setup.complete', outcome: 'failure', details: { reason: 'bad_link' } }, ctx);
      throw new AuthError(400, 'invalid_link', BAD_LINK);
    }
    if (!(await this.setupRequired())) throw new AuthError(409, 'setup_done', 'Set-up is already complete. Sign in instead.');
    if (!(await this.store.consumeInvite(hash, now))) throw new AuthError(400, 'invalid_link', BAD_LINK);
    const id = await this.store.createUser({ name: n, role: 'admin', createdAt: now, createdBy: 'setup' }, true);
    if (id === undefined) throw new AuthError(409, 'setup_done', 'Set-up is already complete. Sign in instead.');
    await this.setPassword(id, pw);
    await this.ev({ type: 'setup.complete', outcome: 'success', actor: n, actorId: id, subject: n, details: { role: 'admin' } }, ctx);
    return this.newSession(id, 'enrol', ctx);
  }

  /** Invites a user (admin): reserves the name and returns a one-time link. */
  async inviteUser(actor: UserRow | string, name: unknown, role: unknown, baseUrl: string, ctx?: Ctx): Promise<{ user: ReturnType<typeof userJson>; url: string; expiresAt: number }> {
    const n = this.checkName(name);
    if (role !== 'viewer' && role !== 'admin') throw new AuthError(400, 'invalid_role', 'role must be "viewer" or "admin".');
    const by = typeof actor === 'string' ? actor : actor.name;
    let id: number;
    try {
      id = (await this.store.createUser({ name: n, role, createdAt: this.now(), createdBy: by }))!;
    } catch (e) {
      if (e instanceof DuplicateNameError) throw new AuthError(409, 'name_taken', `A user named "${n}" exists already.`);
      throw e;
    }
    const link = await this.issueInvite(id, by, baseUrl);
    await this.ev({ type: 'user.invite', outcome: 'success', actor: by, actorId: typeof actor === 'string' ? null : actor.id, subject: n, details: { role, expiresAt: link.expiresAt } }, ctx);
    return { user: userJson((await this.store.getUser(id))!), ...link };
  }

  private async issueInvite(userId: number, by: string, baseUrl: string): Promise<{ url: string; expiresAt: number }> {
    const token = randomToken(32);
    const now = this.now();
    await this.store.voidInvites(userId, now);
    const expiresAt = now + LIMITS.inviteMs;
    await this.store.createInvite({ hash: sha256Hex(token), kind: 'invite', userId, createdAt: now, expiresAt, createdBy: by });
    return { url: `${baseUrl.replace(/\/$/, '')}/invite#token=${token}`, expiresAt };
  }

  /**
   * Resets a user's credentials (password, TOTP, recovery codes, sessions) and issues a new
   * invitation: how an admin recovers someone who lost both factors.
   */
  async reinvite(actor: UserRow | string, userId: number, baseUrl: string, ctx?: Ctx): Promise<{ url: string; expiresAt: number }> {
    const u = await this.store.getUser(userId);
    if (!u) throw new AuthError(404, 'not_found', `No user ${userId}.`);
    const by = typeof actor === 'string' ? actor : actor.name;
    await this.store.updateUser(u.id, { password: null, totpSecret: null, totpPending: null, totpPendingAt: null, mfaEnrolledAt: null });
    await this.store.replaceRecoveryCodes(u.id, [], this.now());
    const ended = await this.store.deleteUserSessions(u.id);
    const link = await this.issueInvite(u.id, by, baseUrl);
    await this.ev({ type: 'user.reset', outcome: 'success', actor: by, actorId: typeof actor === 'string' ? null : actor.id, subject: u.name, details: { sessionsEnded: ended } }, ctx);
    return link;
  }

  private async inviteFor(token: unknown): Promise<{ hash: string; user: UserRow } | undefined> {
    if (typeof token !== 'string' || token.length > 128) return undefined;
    const hash = sha256Hex(token);
    const inv = await this.store.peekInvite(hash, this.now());
    if (!inv || inv.kind !== 'invite' || inv.userId === null) return undefined;
    const user = await this.store.getUser(inv.userId);
    return user && user.disabledAt === null ? { hash, user } : undefined;
  }

  /** Who an invitation is for (so the page can show the name). */
  async inviteInfo(token: unknown): Promise<{ name: string; role: Role; expiresAt: number }> {
    const inv = await this.inviteFor(token);
    if (!inv) throw new AuthError(400, 'invalid_link', BAD_LINK);
    const row = await this.store.peekInvite(inv.hash, this.now());
    return { name: inv.user.name, role: inv.user.role, expiresAt: row!.expiresAt };
  }

  /** Accepts an invitation: sets the password; the session must enrol TOTP next. */
  async acceptInvite(token: unknown, password: unknown, ctx: Ctx): Promise<NewSession> {
    const inv = await this.inviteFor(token);
    if (!inv) {
      await this.ev({ type: 'user.accept', outcome: 'failure', details: { reason: 'bad_link' } }, ctx);
      throw new AuthError(400, 'invalid_link', BAD_LINK);
    }
    const pw = this.checkPassword(password, inv.user.name);
    if (!(await this.store.consumeInvite(inv.hash, this.now()))) throw new AuthError(400, 'invalid_link', BAD_LINK);
    await this.setPassword(inv.user.id, pw);
    await this.store.updateUser(inv.user.id, { totpSecret: null, totpPending: null, mfaEnrolledAt: null });
    await this.store.deleteUserSessions(inv.user.id);
    await this.ev({ type: 'user.accept', outcome: 'success', actor: inv.user.name, actorId: inv.user.id, subject: inv.user.name }, ctx);
    return this.newSession(inv.user.id, 'enrol', ctx);
  }

  // --- sessions -----------------------------------------------------------------------

  private async newSession(userId: number, state: SessionRow['state'], ctx: Ctx, authAt: number | null = null): Promise<NewSession> {
    const id = randomToken(32);
    const now = this.now();
    const life = state === 'mfa' ? LIMITS.mfaStepMs : state === 'enrol' ? LIMITS.enrolMs : LIMITS.absoluteMs;
    const row: Omit<SessionRow, 'id'> = {
      hash: sha256Hex(id),
      userId,
      state,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + life,
      authAt,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 256),
    };
    return { id, row: { ...row, id: await this.store.createSession(row) } };
  }

  /**
   * Resolves a session cookie. Expired sessions (idle or absolute) are deleted and audited;
   * sessions of disabled users end. `lastSeenAt` is written at most once a minute.
   */
  async sessionFor(cookie: string | undefined, ctx: Ctx): Promise<{ auth?: SessionAuth; expired?: boolean }> {
    if (!cookie || cookie.length > 128) return {};
    const s = await this.store.getSession(sha256Hex(cookie));
    if (!s) return {};
    const now = this.now();
    const user = await this.store.getUser(s.userId);
    const idleOut = s.state === 'full' && now - s.lastSeenAt > LIMITS.idleMs;
    if (now >= s.expiresAt || idleOut || !user || user.disabledAt !== null) {
      await this.store.deleteSession(s.id);
      await this.ev({ type: 'session.end', outcome: 'info', actor: user?.name ?? 'unknown', actorId: s.userId, subject: `session:${s.id}`, details: { reason: !user || user.disabledAt !== null ? 'user_disabled' : idleOut ? 'idle' : 'expired' } }, ctx);
      return { expired: true };
    }
    if (now - s.lastSeenAt >= LIMITS.touchEveryMs) {
      await this.store.touchSession(s.id, now);
      s.lastSeenAt = now;
    }
    return { auth: { kind: 'session', session: s, user, role: user.role } };
  }

  /** Ends the caller's session. */
  async logout(a: SessionAuth, ctx: Ctx): Promise<void> {
    await this.store.deleteSession(a.session.id);
    await this.ev({ type: 'session.end', outcome: 'success', actor: a.user.name, actorId: a.user.id, subject: `session:${a.session.id}`, details: { reason: 'sign_out' } }, ctx);
  }

  /** Sessions of a user (own) or of everyone (admins, `all`). */
  async listSessions(a: SessionAuth, userId?: number): Promise<ReturnType<typeof sessionJson>[]> {
    if (userId !== undefined && userId !== a.user.id && a.role !== 'admin') throw new AuthError(403, 'forbidden', 'Only admins can see other users\' sessions.');
    const rows = await this.store.listSessions(userId ?? (a.role === 'admin' ? undefined : a.user.id));
    return rows.map((s) => sessionJson(s, a.session.id));
  }

  /** Ends one session: the caller's own, or anyone's for an admin. */
  async endSession(a: SessionAuth, sessionId: number, ctx: Ctx): Promise<void> {
    const rows = await this.store.listSessions(a.role === 'admin' ? undefined : a.user.id);
    const s = rows.find((r) => r.id === sessionId);
    if (!s) throw new AuthError(404, 'not_found', `No session ${sessionId}${a.role === 'admin' ? '' : ' of yours'}.`);
    await this.store.deleteSession(s.id);
    await this.ev({ type: 'session.end', outcome: 'success', actor: a.user.name, actorId: a.user.id, subject: `session:${s.id}`, details: { reason: 'revoked', owner: s.userId } }, ctx);
  }

  /** Ends the caller's other sessions; returns how many. */
  async endOtherSessions(a: SessionAuth, ctx: Ctx): Promise<number> {
    const n = await this.store.deleteUserSessions(a.user.id, a.session.id);
    await this.ev({ type: 'session.end', outcome: 'success', actor: a.user.name, actorId: a.user.id, subject: a.user.name, details: { reason: 'end_others', count: n } }, ctx);
    return n;
  }

  // --- throttling ---------------------------------------------------------------------

  /** Refuses while (name, address) is locked or the name is over its hourly cap. */
  private async checkThrottle(name: string, ctx: Ctx, userId?: number): Promise<void> {
    const key = nameKey(name);
    const now = this.now();
    const t = await this.store.getThrottle(key, ctx.ip);
    if (t && t.lockedUntil > now) {
      throw new AuthError(429, 'locked', `Too many failed attempts. Try again in ${fmtWait(t.lockedUntil - now)}.`, Math.ceil((t.lockedUntil - now) / 1000));
    }
    const f = await this.store.nameFailures(key, now - HOUR);
    if (f.count >= LIMITS.hourlyFailureCap) {
      const known = userId !== undefined && (await this.store.isKnownSource(userId, ctx.ip, now - LIMITS.knownSourceMs));
      if (!known) {
        const wait = (f.oldest ?? now) + HOUR - now;
        throw new AuthError(429, 'locked', `Too many failed attempts for this account. Try again in ${fmtWait(wait)}, or from a device you signed in from before.`, Math.ceil(wait / 1000));
      }
    }
  }

  /** Counts a failure; locks the (name, address) pair when it reaches the limit. */
  private async fail(name: string, ctx: Ctx, userId: number | null): Promise<void> {
    const key = nameKey(name);
    const now = this.now();
    const counts = await this.store.addFailure(key, ctx.ip, now, now - LIMITS.failWindowMs, now - HOUR);
    const t = (await this.store.getThrottle(key, ctx.ip)) ?? { lockLevel: 0, lockedUntil: 0, lastFailureAt: 0 };
    // A quarter of an hour without failures forgets earlier locks.
    if (now - t.lastFailureAt > LIMITS.failWindowMs) t.lockLevel = 0;
    t.lastFailureAt = now;
    if (counts.pair >= LIMITS.failsToLock) {
      const ms = Math.min(LIMITS.lockMaxMs, LIMITS.lockBaseMs * 2 ** t.lockLevel);
      t.lockLevel++;
      t.lockedUntil = now + ms;
      await this.ev({ type: 'auth.lockout', outcome: 'info', actor: 'system', subject: name.slice(0, 64), details: { scope: 'address', lockMs: ms, level: t.lockLevel, failures15m: counts.pair, userExists: userId !== null } }, ctx);
    }
    await this.store.putThrottle(key, ctx.ip, t);
    if (counts.name === LIMITS.hourlyFailureCap) {
      await this.ev({ type: 'auth.lockout', outcome: 'info', actor: 'system', subject: name.slice(0, 64), details: { scope: 'account', failures1h: counts.name, userExists: userId !== null } }, ctx);
    }
  }

  /** Unlocks a user name for every address (CLI, admins). */
  async unlock(name: string, by: string): Promise<void> {
    await this.store.clearFailures(nameKey(name));
    await this.ev({ type: 'user.unlock', outcome: 'success', actor: by, subject: name });
  }

  // --- sign-in ------------------------------------------------------------------------

  private async checkUserPassword(u: UserRow | undefined, password: string): Promise<boolean> {
    if (!u || u.password === null) return this.hashing(() => this.hasher.dummyVerify(password));
    let phc: string;
    try {
      phc = this.key.open(u.password, `pw:${u.id}`);
    } catch (e) {
      this.log.error({ user: u.id, err: (e as Error).message }, 'a stored password does not open with this key');
      return this.hashing(() => this.hasher.dummyVerify(password));
    }
    const ok = await this.hashing(() => this.hasher.verify(phc, password));
    return ok && u.disabledAt === null;
  }

  /** Step 1: user name and password. Same answer and work whether or not the user exists. */
  async login(name: unknown, password: unknown, ctx: Ctx, previous?: SessionAuth | number): Promise<NewSession> {
    if (typeof name !== 'string' || typeof password !== 'string' || name === '' || password === '') {
      throw new AuthError(400, 'bad_request', 'Enter your user name and password.');
    }
    if (name.length > 256 || password.length > 1024) throw new AuthError(401, 'bad_credentials', BAD_LOGIN);
    const user = USERNAME.test(name) ? await this.store.getUserByName(name) : undefined;
    await this.checkThrottle(name, ctx, user?.id);
    const ok = await this.checkUserPassword(user, password);
    if (!ok || !user) {
      await this.fail(name, ctx, user?.id ?? null);
      await this.ev({ type: 'auth.login', outcome: 'failure', actor: name.slice(0, 64), actorId: user?.id ?? null, details: { step: 'password', reason: !user ? 'unknown_user' : user.disabledAt !== null ? 'disabled' : user.password === null ? 'invited' : 'bad_password' } }, ctx);
      throw new AuthError(401, 'bad_credentials', BAD_LOGIN);
    }
    if (previous !== undefined) await this.store.deleteSession(typeof previous === 'number' ? previous : previous.session.id);
    const state = user.totpSecret === null ? 'enrol' : 'mfa';
    await this.ev({ type: 'auth.password', outcome: 'success', actor: user.name, actorId: user.id, details: { next: state } }, ctx);
    return this.newSession(user.id, state, ctx);
  }

  /** Verifies a TOTP code (single use) for a user; false on a wrong code, 'reused' on a replay. */
  private async checkCode(u: UserRow, code: string): Promise<true | false | 'reused'> {
    if (u.totpSecret === null) return false;
    const secret = this.key.open(u.totpSecret, `totp:${u.id}`);
    const step = matchTotp(secret, code, this.now());
    if (step === null) return false;
    return (await this.store.useTotpStep(u.id, step)) ? true : 'reused';
  }

  /** Step 2: a TOTP code or a recovery code. Replaces the session with a full one. */
  async verifyMfa(a: SessionAuth, body: { code?: unknown; recoveryCode?: unknown }, ctx: Ctx): Promise<NewSession> {
    if (a.session.state !== 'mfa') throw new AuthError(409, 'wrong_state', a.session.state === 'enrol' ? 'Set up your authenticator app first.' : 'You are signed in already.');
    const u = a.user;
    await this.checkThrottle(u.name, ctx, u.id);
    let method: 'totp' | 'recovery';
    let result: true | false | 'reused';
    if (body.recoveryCode !== undefined && body.recoveryCode !== '') {
      method = 'recovery';
      const rc = normalizeRecoveryCode(body.recoveryCode);
      result = rc !== null && (await this.store.useRecoveryCode(u.id, sha256Hex(rc), this.now()));
    } else {
      method = 'totp';
      const code = normalizeCode(body.code);
      if (code === null) throw new AuthError(400, 'bad_request', 'Enter the 6-digit code from your authenticator app, or a recovery code.');
      result = await this.checkCode(u, code);
    }
    if (result !== true) {
      await this.fail(u.name, ctx, u.id);
      await this.ev({ type: 'auth.mfa', outcome: 'failure', actor: u.name, actorId: u.id, details: { method, reason: result === 'reused' ? 'reused' : 'invalid' } }, ctx);
      if (result === 'reused') throw new AuthError(401, 'code_reused', 'That code was used already. Wait for the next code from your authenticator app.');
      throw new AuthError(401, 'bad_code', BAD_CODE);
    }
    await this.store.deleteSession(a.session.id);
    await this.store.clearFailures(nameKey(u.name), ctx.ip);
    await this.store.rememberSource(u.id, ctx.ip, this.now());
    const details: Record<string, unknown> = { method };
    if (method === 'recovery') details.recoveryCodesLeft = await this.store.countRecoveryCodes(u.id);
    await this.ev({ type: 'auth.login', outcome: 'success', actor: u.name, actorId: u.id, details }, ctx);
    return this.newSession(u.id, 'full', ctx, this.now());
  }

  /** Re-authentication (password + code) before sensitive changes. */
  async reauth(a: SessionAuth, password: unknown, code: unknown, ctx: Ctx): Promise<void> {
    this.requireFull(a);
    if (typeof password !== 'string' || password === '' || password.length > 1024) throw new AuthError(400, 'bad_request', 'Enter your password and the current code.');
    const c = normalizeCode(code);
    if (c === null) throw new AuthError(400, 'bad_request', 'Enter your password and the current 6-digit code.');
    await this.checkThrottle(a.user.name, ctx, a.user.id);
    const ok = (await this.checkUserPassword(a.user, password)) && (await this.checkCode(a.user, c)) === true;
    if (!ok) {
      await this.fail(a.user.name, ctx, a.user.id);
      await this.ev({ type: 'auth.reauth', outcome: 'failure', actor: a.user.name, actorId: a.user.id }, ctx);
      throw new AuthError(401, 'bad_credentials', 'The password or the code is not correct.');
    }
    await this.store.touchSession(a.session.id, this.now(), { authAt: this.now() });
    a.session.authAt = this.now();
    await this.ev({ type: 'auth.reauth', outcome: 'success', actor: a.user.name, actorId: a.user.id }, ctx);
  }

  private requireFull(a: SessionAuth): void {
    if (a.session.state !== 'full') throw new AuthError(401, 'unauthenticated', 'Finish signing in first.');
  }

  private requireFresh(a: SessionAuth): void {
    this.requireFull(a);
    if (a.session.authAt === null || this.now() - a.session.authAt > LIMITS.reauthMs) {
      throw new AuthError(403, 'reauth_required', 'Confirm your password and a current code first (POST /api/v1/auth/reauth); the confirmation is valid for 5 minutes.');
    }
  }

  // --- TOTP enrolment, recovery codes, password ---------------------------------------

  /**
   * Starts an enrolment: a new pending secret, its `otpauth://` URI and QR code. Allowed in
   * state `enrol`, or in a full session after re-authentication (replacing the device).
   */
  async startEnrol(a: SessionAuth): Promise<{ secret: string; uri: string; qrSvg: string; qrDataUrl: string; expiresAt: number }> {
    if (a.session.state !== 'enrol') this.requireFresh(a);
    const secret = newTotpSecret();
    const now = this.now();
    await this.store.updateUser(a.user.id, { totpPending: this.key.seal(secret, `totp-pending:${a.user.id}`), totpPendingAt: now });
    const uri = totpUri(secret, a.user.name);
    const svg = qrSvg(uri);
    return { secret, uri, qrSvg: svg, qrDataUrl: 'data:image/svg+xml;base64,' + Buffer.from(svg).toString('base64'), expiresAt: now + LIMITS.enrolSecretMs };
  }

  /**
   * Confirms an enrolment with a code from the new device. Returns ten recovery codes (shown
   * once) and a new session (the id is replaced).
   */
  async confirmEnrol(a: SessionAuth, code: unknown, endOthers: boolean, ctx: Ctx): Promise<{ session: NewSession; recoveryCodes: string[]; endedSessions: number }> {
    if (a.session.state !== 'enrol') this.requireFresh(a);
    const u = (await this.store.getUser(a.user.id))!;
    const now = this.now();
    if (u.totpPending === null || u.totpPendingAt === null || now - u.totpPendingAt > LIMITS.enrolSecretMs) {
      throw new AuthError(409, 'no_enrolment', 'Start the set-up of your authenticator app again (the QR code expired).');
    }
    const c = normalizeCode(code);
    if (c === null) throw new AuthError(400, 'bad_request', 'Enter the 6-digit code your authenticator app shows for leakscope.');
    const secret = this.key.open(u.totpPending, `totp-pending:${u.id}`);
    const step = matchTotp(secret, c, now);
    if (step === null) {
      await this.ev({ type: 'mfa.enrol', outcome: 'failure', actor: u.name, actorId: u.id, details: { reason: 'invalid_code' } }, ctx);
      throw new AuthError(400, 'bad_code', 'That code does not match. Scan the QR code again and enter the code shown now (check the device clock).');
    }
    const replacing = u.totpSecret !== null;
    await this.store.updateUser(u.id, { totpSecret: this.key.seal(secret, `totp:${u.id}`), totpPending: null, totpPendingAt: null, totpLastStep: step, mfaEnrolledAt: now });
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.store.replaceRecoveryCodes(u.id, codes.map((x) => sha256Hex(normalizeRecoveryCode(x)!)), now);
    await this.store.deleteSession(a.session.id);
    const endedSessions = endOthers ? await this.store.deleteUserSessions(u.id) : 0;
    await this.ev({ type: 'mfa.enrol', outcome: 'success', actor: u.name, actorId: u.id, details: { replaced: replacing, endedSessions } }, ctx);
    const session = await this.newSession(u.id, 'full', ctx, now);
    await this.store.rememberSource(u.id, ctx.ip, now);
    return { session, recoveryCodes: codes, endedSessions };
  }

  /** Replaces the recovery codes (after re-authentication). */
  async regenerateRecoveryCodes(a: SessionAuth, ctx: Ctx): Promise<string[]> {
    this.requireFresh(a);
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.store.replaceRecoveryCodes(a.user.id, codes.map((x) => sha256Hex(normalizeRecoveryCode(x)!)), this.now());
    await this.ev({ type: 'mfa.recovery_codes', outcome: 'success', actor: a.user.name, actorId: a.user.id, details: { count: codes.length } }, ctx);
    return codes;
  }

  /** Recovery codes left. */
  recoveryCodesLeft(userId: number): Promise<number> {
    return this.store.countRecoveryCodes(userId);
  }

  /** Changes the caller's password (current password required); optionally ends other sessions. */
  async changePassword(a: SessionAuth, current: unknown, next: unknown, endOthers: boolean, ctx: Ctx): Promise<number> {
    this.requireFull(a);
    if (typeof current !== 'string' || current === '' || current.length > 1024) throw new AuthError(400, 'bad_request', 'Enter your current password.');
    await this.checkThrottle(a.user.name, ctx, a.user.id);
    if (!(await this.checkUserPassword(a.user, current))) {
      await this.fail(a.user.name, ctx, a.user.id);
      await this.ev({ type: 'password.change', outcome: 'failure', actor: a.user.name, actorId: a.user.id, details: { reason: 'bad_password' } }, ctx);
      throw new AuthError(401, 'bad_credentials', 'The current password is not correct.');
    }
    const pw = this.checkPassword(next, a.user.name);
    if (safeEqual(pw.normalize('NFKC'), current.normalize('NFKC'))) throw new AuthError(400, 'weak_password', 'The new password must differ from the current one.');
    await this.setPassword(a.user.id, pw);
    const ended = endOthers ? await this.store.deleteUserSessions(a.user.id, a.session.id) : 0;
    await this.ev({ type: 'password.change', outcome: 'success', actor: a.user.name, actorId: a.user.id, details: { endedSessions: ended } }, ctx);
    return ended;
  }

  // --- API tokens ---------------------------------------------------------------------

  /** Creates an API token for the caller (after re-authentication). The secret is returned once. */
  async createToken(a: SessionAuth, body: { name?: unknown; role?: unknown; expiresInDays?: unknown }, ctx: Ctx): Promise<{ token: string; info: ReturnType<typeof tokenJson> }> {
    this.requireFresh(a);
    const name = body.name;
    if (typeof name !== 'string' || !/^[\p{L}\p{N} ._:/@-]{1,64}$/u.test(name)) throw new AuthError(400, 'bad_request', 'Give the token a name of 1 to 64 letters, digits, spaces or . _ : / @ -');
    const role = body.role ?? a.role;
    if (role !== 'viewer' && role !== 'admin') throw new AuthError(400, 'invalid_role', 'role must be "viewer" or "admin".');
    if (role === 'admin' && a.role !== 'admin') throw new AuthError(403, 'forbidden', 'A token cannot have more rights than its user: viewers create viewer tokens.');
    const days = body.expiresInDays ?? LIMITS.tokenDefaultDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > LIMITS.tokenMaxDays) throw new AuthError(400, 'bad_request', `expiresInDays must be a whole number from 1 to ${LIMITS.tokenMaxDays}.`);
    const token = 'lks_' + randomToken(32);
    const now = this.now();
    const id = await this.store.createToken({ hash: sha256Hex(token), prefix: token.slice(0, 8), name, userId: a.user.id, role, createdAt: now, expiresAt: now + days * 24 * HOUR });
    await this.ev({ type: 'token.create', outcome: 'success', actor: a.user.name, actorId: a.user.id, subject: `token:${id}`, details: { name, role, expiresInDays: days } }, ctx);
    return { token, info: tokenJson((await this.store.getToken(id))!) };
  }

  /** Resolves a Bearer token. Known but unusable tokens are audited. */
  async tokenFor(bearer: string, ctx: Ctx): Promise<TokenAuth | undefined> {
    if (!TOKEN_FORMAT.test(bearer)) return undefined;
    const t = await this.store.getTokenByHash(sha256Hex(bearer));
    if (!t) return undefined;
    const now = this.now();
    const user = await this.store.getUser(t.userId);
    const why = t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && now >= t.expiresAt ? 'expired' : !user || user.disabledAt !== null ? 'user_disabled' : null;
    if (why || !user) {
      await this.ev({ type: 'token.use', outcome: 'failure', actor: `token:${t.id}`, actorId: t.userId, subject: `token:${t.id}`, details: { reason: why } }, ctx);
      return undefined;
    }
    if (t.lastUsedIp !== ctx.ip) {
      await this.ev({ type: 'token.new_ip', outcome: 'info', actor: `token:${t.id}`, actorId: t.userId, subject: `token:${t.id}`, details: { previousIp: t.lastUsedIp, name: t.name } }, ctx);
      await this.store.touchToken(t.id, now, ctx.ip);
    } else if (t.lastUsedAt === null || now - t.lastUsedAt >= LIMITS.touchEveryMs) {
      await this.store.touchToken(t.id, now, ctx.ip);
    }
    return { kind: 'token', token: t, user, role: t.role === 'admin' && user.role === 'admin' ? 'admin' : 'viewer' };
  }

  /** Tokens of the caller, or of everyone for an admin (`all`). */
  async listTokens(a: SessionAuth, all: boolean): Promise<ReturnType<typeof tokenJson>[]> {
    if (all && a.role !== 'admin') throw new AuthError(403, 'forbidden', 'Only admins can list every token.');
    return (await this.store.listTokens(all ? undefined : a.user.id)).map(tokenJson);
  }

  /** Revokes a token: the caller's own, or any for an admin. */
  async revokeToken(a: SessionAuth, id: number, ctx: Ctx): Promise<void> {
    const t = await this.store.getToken(id);
    if (!t || (t.userId !== a.user.id && a.role !== 'admin')) throw new AuthError(404, 'not_found', `No token ${id}${a.role === 'admin' ? '' : ' of yours'}.`);
    if (!(await this.store.revokeToken(id, this.now()))) throw new AuthError(409, 'already_revoked', `Token ${id} is revoked already.`);
    await this.ev({ type: 'token.revoke', outcome: 'success', actor: a.user.name, actorId: a.user.id, subject: `token:${id}`, details: { name: t.name, owner: t.userId } }, ctx);
  }

  // --- users (admins) -----------------------------------------------------------------

  /** Every user. */
  async listUsers(): Promise<ReturnType<typeof userJson>[]> {
    return (await this.store.listUsers()).map(userJson);
  }

  /**
   * Changes a user's role or disables/enables them. The last active admin can be neither
   * demoted nor disabled (that would lock everyone out of administration).
   */
  async updateUser(actor: UserRow | string, id: number, patch: { role?: unknown; disabled?: unknown }, ctx?: Ctx): Promise<ReturnType<typeof userJson>> {
    const u = await this.store.getUser(id);
    if (!u) throw new AuthError(404, 'not_found', `No user ${id}.`);
    const by = typeof actor === 'string' ? actor : actor.name;
    const actorId = typeof actor === 'string' ? null : actor.id;
    if (patch.role !== undefined && patch.role !== 'viewer' && patch.role !== 'admin') throw new AuthError(400, 'invalid_role', 'role must be "viewer" or "admin".');
    if (patch.disabled !== undefined && typeof patch.disabled !== 'boolean') throw new AuthError(400, 'bad_request', 'disabled must be true or false.');
    const demote = patch.role === 'viewer' && u.role === 'admin';
    const disable = patch.disabled === true && u.disabledAt === null;
    if ((demote || disable) && u.role === 'admin' && u.disabledAt === null && (await this.store.countActiveAdmins()) <= 1) {
      throw new AuthError(409, 'last_admin', 'This is the last active admin; make another user admin first.');
    }
    if (patch.role !== undefined && patch.role !== u.role) {
      await this.store.updateUser(id, { role: patch.role as Role });
      await this.ev({ type: 'user.role', outcome: 'success', actor: by, actorId, subject: u.name, details: { from: u.role, to: patch.role } }, ctx);
    }
    if (disable) {
      await this.store.updateUser(id, { disabledAt: this.now() });
      const ended = await this.store.deleteUserSessions(id);
      await this.ev({ type: 'user.disable', outcome: 'success', actor: by, actorId, subject: u.name, details: { endedSessions: ended } }, ctx);
    } else if (patch.disabled === false && u.disabledAt !== null) {
      await this.store.updateUser(id, { disabledAt: null });
      await this.ev({ type: 'user.enable', outcome: 'success', actor: by, actorId, subject: u.name }, ctx);
    }
    return userJson((await this.store.getUser(id))!);
  }

  /** Ends every session of a user (admins). */
  async endUserSessions(actor: SessionAuth, id: number, ctx: Ctx): Promise<number> {
    const u = await this.store.getUser(id);
    if (!u) throw new AuthError(404, 'not_found', `No user ${id}.`);
    const n = await this.store.deleteUserSessions(id, actor.user.id === id ? actor.session.id : undefined);
    await this.ev({ type: 'session.end', outcome: 'success', actor: actor.user.name, actorId: actor.user.id, subject: u.name, details: { reason: 'admin', count: n } }, ctx);
    return n;
  }

  /**
   * Clears a user's TOTP and recovery codes and ends their sessions: at the next sign-in
   * (password) they must enrol again. Command line only (`leakscope user reset-mfa`).
   */
  async resetMfa(by: string, name: string): Promise<void> {
    const u = await this.store.getUserByName(name);
    if (!u) throw new AuthError(404, 'not_found', `No user named "${name}".`);
    await this.store.updateUser(u.id, { totpSecret: null, totpPending: null, totpPendingAt: null, mfaEnrolledAt: null });
    await this.store.replaceRecoveryCodes(u.id, [], this.now());
    const ended = await this.store.deleteUserSessions(u.id);
    await this.ev({ type: 'mfa.reset', outcome: 'success', actor: by, subject: u.name, details: { endedSessions: ended } });
  }

  /** Audit events, newest first. */
  listAudit(f: AuditFilter): ReturnType<AuthStore['listAudit']> {
    return this.store.listAudit(f);
  }

  /** Housekeeping: expired sessions and old failure records. */
  async purge(): Promise<void> {
    const now = this.now();
    await this.store.purgeSessions(now, LIMITS.idleMs);
    await this.store.purgeFailures(now - 2 * HOUR);
  }
}

function fmtWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
}
