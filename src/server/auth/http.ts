/**
 * @fileoverview The HTTP face of {@link AuthService}: cookies, CSRF tokens, per-address rate
 * limits, the JSON endpoints a single-page app uses to set up, sign in, enrol and manage
 * accounts, and the `authenticate` hook that guards `/api/v1` and `/metrics`.
 *
 * - Session cookie `__Host-leakscope_sid` (`Path=/; Secure; HttpOnly; SameSite=Strict`, no
 *   `Domain`, no `Max-Age`): 256 random bits; the store keeps only its SHA-256.
 * - CSRF: `@fastify/csrf-protection` with its secret in the cookie `__Host-leakscope_csrf`
 *   and tokens HMAC-bound to the session (so a token from another session does not verify).
 *   Every POST/PUT/PATCH/DELETE without an API token must pass the same-origin check
 *   (`hygiene.ts`) and carry the token in `x-csrf-token` (or `_csrf` in the body).
 *   `GET /api/v1/auth/session` and every sign-in step return the current token.
 * - Rate limit: 10 sign-in attempts per address per minute across the sign-in endpoints
 *   (`@fastify/rate-limit`, one group).
 * - API tokens: `Authorization: Bearer lks_...` only (never a query parameter or cookie);
 *   they read the API, `/metrics` and `POST /query`, and, with the admin role, change
 *   silences; they cannot manage users, tokens or sessions.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { Role } from '../../monitor/store/auth.js';
import { AuthError, LIMITS, userJson, type AuthService, type Ctx, type NewSession, type Principal, type SessionAuth } from './service.js';
import { crossOriginReason, SAFE_METHODS } from './hygiene.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = '__Host-leakscope_sid';
/** Name of the cookie holding the CSRF secret. */
export const CSRF_COOKIE = '__Host-leakscope_csrf';

const COOKIE_OPTS = { path: '/', secure: true, httpOnly: true, sameSite: 'strict' as const };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling (session or token), resolved for every request. */
    principal: Principal | null;
    /** Why no principal: a bad token or an expired session (for a precise 401). */
    authProblem: 'bad_token' | 'bad_header' | 'expired' | null;
  }
  interface FastifyContextConfig {
    /** Least role a route needs (default viewer). */
    role?: Role;
    /** The route needs a signed-in session (API tokens are refused). */
    sessionOnly?: boolean;
  }
}

/** Options of {@link installAuth}. */
export interface AuthHttpOptions {
  service: AuthService;
  /** Base URL for set-up and invitation links (`https://leakscope.example.com`). */
  publicUrl: () => string;
}

/** What {@link installAuth} hands back to `createServer`. */
export interface AuthHttp {
  service: AuthService;
  /** onRequest hook of the protected scope (`/api/v1/*`, `/metrics`). */
  authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Registers the account-management routes in the protected `/api/v1` scope. */
  protectedRoutes: (api: FastifyInstance) => Promise<void>;
  /** Maps auth and CSRF errors to a response (status, code, message), auditing CSRF refusals. */
  mapError: (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => { status: number; code: string; message: string } | undefined;
  /** Audits a change made through the API (silences). */
  record: (req: FastifyRequest, type: string, subject: string, details: Record<string, unknown>) => Promise<void>;
}

function ctxOf(req: FastifyRequest): Ctx {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '').slice(0, 256) };
}

const str = { type: 'string', maxLength: 1024 } as const;
const bool = { type: 'boolean' } as const;
function body(props: Record<string, object>, required: string[] = []) {
  return { body: { type: 'object', properties: props, required, additionalProperties: false } };
}

/** Installs cookies, CSRF, rate limits, principal resolution and the `/api/v1/auth` routes. */
export async function installAuth(app: FastifyInstance, o: AuthHttpOptions): Promise<AuthHttp> {
  const svc = o.service;
  await app.register(cookie);
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: COOKIE_OPTS,
    getUserInfo: (req: FastifyRequest) => binding(req.principal),
    csrfOpts: { hmacKey: svc.csrfKey(), userInfo: true },
  });
  await app.register(rateLimit, { global: false });

  app.decorateRequest('principal', null);
  app.decorateRequest('authProblem', null);

  // Who is calling: a Bearer token (and then nothing else), or the session cookie.
  app.addHook('onRequest', async (req, reply) => {
    req.principal = null;
    req.authProblem = null;
    const authz = req.headers.authorization;
    if (authz !== undefined) {
      const m = /^Bearer +(\S+)$/.exec(authz);
      if (!m) req.authProblem = 'bad_header';
      else {
        req.principal = (await svc.tokenFor(m[1]!, ctxOf(req))) ?? null;
        if (!req.principal) req.authProblem = 'bad_token';
      }
      return;
    }
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) {
      const r = await svc.sessionFor(sid, ctxOf(req));
      req.principal = r.auth ?? null;
      if (!r.auth) {
        req.authProblem = 'expired';
        reply.clearCookie(SESSION_COOKIE, COOKIE_OPTS);
      }
    }
  });

  // State changes: same origin and a CSRF token, unless an API token is used.
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method) || req.principal?.kind === 'token') return done();
    const why = crossOriginReason(req);
    if (why) {
      done(new AuthError(403, 'cross_origin', 'Cross-site request refused: state changes must come from the leakscope pages of this server (scripts use an API token).'));
      return;
    }
    app.csrfProtection(req, reply, done);
  });

  const setSession = (reply: FastifyReply, s: NewSession) => reply.setCookie(SESSION_COOKIE, s.id, COOKIE_OPTS);

  /** The session status every auth endpoint answers with. */
  const status = async (req: FastifyRequest, reply: FastifyReply, p: Principal | null) => {
    const s = p?.kind === 'session' ? p : null;
    return {
      authenticated: s?.session.state === 'full',
      state: s?.session.state ?? null,
      user: s ? { ...userJson(s.user), recoveryCodesLeft: s.session.state === 'full' ? await svc.recoveryCodesLeft(s.user.id) : null } : null,
      session: s ? { id: s.session.id, expiresAt: s.session.expiresAt, idleTimeoutMs: LIMITS.idleMs, reauthUntil: s.session.authAt === null ? null : s.session.authAt + LIMITS.reauthMs } : null,
      setupRequired: s ? false : await svc.setupRequired(),
      csrfToken: reply.generateCsrf({ userInfo: binding(p) }),
    };
  };

  /** Swaps in a new session (rotation): the request now acts as it for the response's CSRF token. */
  const adopt = async (req: FastifyRequest, reply: FastifyReply, s: NewSession) => {
    setSession(reply, s);
    const user = (await svc.store.getUser(s.row.userId))!;
    const p: SessionAuth = { kind: 'session', session: s.row, user, role: user.role };
    req.principal = p;
    return p;
  };

  const sessionOf = (req: FastifyRequest): SessionAuth => {
    const p = req.principal;
    if (!p || p.kind !== 'session') throw unauthenticated(req);
    return p;
  };

  const limited = { rateLimit: { max: LIMITS.perIpPerMinute, timeWindow: 60_000, groupId: 'sign-in', keyGenerator: (req: FastifyRequest) => req.ip } };
  const small = { bodyLimit: 16 * 1024 };

  await app.register(
    async (r) => {
      r.get('/session', async (req, reply) => status(req, reply, req.principal));

      r.post<{ Body: { token: string; username: string; password: string } }>(
        '/setup',
        { config: limited, ...small, schema: body({ token: str, username: str, password: str }, ['token', 'username', 'password']) },
        async (req, reply) => {
          const s = await svc.completeSetup(req.body.token, req.body.username, req.body.password, ctxOf(req));
          if (req.principal?.kind === 'session') await svc.store.deleteSession(req.principal.session.id);
          return reply.status(201).send(await status(req, reply, await adopt(req, reply, s)));
        },
      );

      r.post<{ Body: { token: string } }>('/invite/info', { config: limited, ...small, schema: body({ token: str }, ['token']) }, async (req) => svc.inviteInfo(req.body.token));

      r.post<{ Body: { token: string; password: string } }>(
        '/invite/accept',
        { config: limited, ...small, schema: body({ token: str, password: str }, ['token', 'password']) },
        async (req, reply) => {
          const s = await svc.acceptInvite(req.body.token, req.body.password, ctxOf(req));
          if (req.principal?.kind === 'session') await svc.store.deleteSession(req.principal.session.id);
          return status(req, reply, await adopt(req, reply, s));
        },
      );

      r.post<{ Body: { username: string; password: string } }>(
        '/login',
        { config: limited, ...small, schema: body({ username: str, password: str }, ['username', 'password']) },
        async (req, reply) => {
          const prev = req.principal?.kind === 'session' ? req.principal : undefined;
          const s = await svc.login(req.body.username, req.body.password, ctxOf(req), prev);
          return status(req, reply, await adopt(req, reply, s));
        },
      );

      r.post<{ Body: { code?: string; recoveryCode?: string } }>(
        '/mfa',
        { config: limited, ...small, schema: body({ code: str, recoveryCode: str }) },
        async (req, reply) => {
          const s = await svc.verifyMfa(sessionOf(req), req.body, ctxOf(req));
          return status(req, reply, await adopt(req, reply, s));
        },
      );

      r.post('/logout', async (req, reply) => {
        const p = req.principal;
        if (p?.kind === 'session') await svc.logout(p, ctxOf(req));
        reply.clearCookie(SESSION_COOKIE, COOKIE_OPTS);
        req.principal = null;
        return status(req, reply, null);
      });

      r.post<{ Body: { password: string; code: string } }>(
        '/reauth',
        { config: limited, ...small, schema: body({ password: str, code: str }, ['password', 'code']) },
        async (req, reply) => {
          const p = sessionOf(req);
          await svc.reauth(p, req.body.password, req.body.code, ctxOf(req));
          return status(req, reply, p);
        },
      );

      r.post('/mfa/enrol', { ...small }, async (req) => svc.startEnrol(sessionOf(req)));

      r.post<{ Body: { code: string; endOtherSessions?: boolean } }>(
        '/mfa/enrol/confirm',
        { config: limited, ...small, schema: body({ code: str, endOtherSessions: bool }, ['code']) },
        async (req, reply) => {
          const res = await svc.confirmEnrol(sessionOf(req), req.body.code, req.body.endOtherSessions === true, ctxOf(req));
          const st = await status(req, reply, await adopt(req, reply, res.session));
          return { ...st, recoveryCodes: res.recoveryCodes, endedSessions: res.endedSessions };
        },
      );

      r.post('/recovery-codes', { ...small }, async (req) => ({ recoveryCodes: await svc.regenerateRecoveryCodes(sessionOf(req), ctxOf(req)) }));

      r.post<{ Body: { currentPassword: string; newPassword: string; endOtherSessions?: boolean } }>(
        '/password',
        { config: limited, ...small, schema: body({ currentPassword: str, newPassword: str, endOtherSessions: bool }, ['currentPassword', 'newPassword']) },
        async (req) => ({ endedSessions: await svc.changePassword(sessionOf(req), req.body.currentPassword, req.body.newPassword, req.body.endOtherSessions === true, ctxOf(req)) }),
      );
    },
    { prefix: '/api/v1/auth' },
  );

  const authenticate = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = req.principal;
    if (!p) {
      if (req.headers.authorization !== undefined) reply.header('www-authenticate', 'Bearer realm="leakscope", error="invalid_token"');
      throw unauthenticated(req);
    }
    if (p.kind === 'session' && p.session.state !== 'full') {
      throw new AuthError(401, 'mfa_required', p.session.state === 'mfa' ? 'Finish signing in: enter the code from your authenticator app.' : 'Set up your authenticator app first.');
    }
    const cfg = req.routeOptions.config;
    if (cfg.sessionOnly && p.kind !== 'session') throw new AuthError(403, 'session_required', 'API tokens cannot manage accounts, tokens or sessions; sign in to do this.');
    if (cfg.role === 'admin' && p.role !== 'admin') throw new AuthError(403, 'forbidden', 'This needs the admin role.');
  };

  const protectedRoutes = async (api: FastifyInstance) => {
    const admin = { config: { role: 'admin' as const, sessionOnly: true } };
    const own = { config: { sessionOnly: true } };
    const id = (v: string) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 1) throw new AuthError(400, 'bad_request', `id must be a positive integer, got "${v.slice(0, 20)}"`);
      return n;
    };
    const s = (req: FastifyRequest) => req.principal as SessionAuth;

    api.get('/users', admin, async () => ({ users: await svc.listUsers() }));
    api.post<{ Body: { name: string; role: string } }>('/users', { ...admin, ...small, schema: body({ name: str, role: str }, ['name', 'role']) }, async (req, reply) => {
      const r = await svc.inviteUser(s(req).user, req.body.name, req.body.role, o.publicUrl(), ctxOf(req));
      return reply.status(201).send({ user: r.user, invite: { url: r.url, expiresAt: r.expiresAt } });
    });
    api.put<{ Params: { id: string }; Body: { role?: string; disabled?: boolean } }>(
      '/users/:id',
      { ...admin, ...small, schema: body({ role: str, disabled: bool }) },
      async (req) => ({ user: await svc.updateUser(s(req).user, id(req.params.id), req.body, ctxOf(req)) }),
    );
    api.post<{ Params: { id: string } }>('/users/:id/invite', { ...admin, ...small }, async (req) => ({ invite: await svc.reinvite(s(req).user, id(req.params.id), o.publicUrl(), ctxOf(req)) }));
    api.delete<{ Params: { id: string } }>('/users/:id/sessions', admin, async (req) => ({ endedSessions: await svc.endUserSessions(s(req), id(req.params.id), ctxOf(req)) }));

    api.get<{ Querystring: { user?: string; all?: string } }>('/sessions', own, async (req) => ({
      sessions: await svc.listSessions(s(req), req.query.user !== undefined ? id(req.query.user) : req.query.all === 'true' ? undefined : s(req).user.id),
    }));
    api.delete<{ Params: { id: string } }>('/sessions/:id', own, async (req) => {
      await svc.endSession(s(req), id(req.params.id), ctxOf(req));
      return { ok: true };
    });
    api.post('/sessions/end-others', { ...own, ...small }, async (req) => ({ endedSessions: await svc.endOtherSessions(s(req), ctxOf(req)) }));

    api.get<{ Querystring: { all?: string } }>('/tokens', own, async (req) => ({ tokens: await svc.listTokens(s(req), req.query.all === 'true') }));
    api.post<{ Body: { name: string; role?: string; expiresInDays?: number } }>(
      '/tokens',
      { ...own, ...small, schema: body({ name: str, role: str, expiresInDays: { type: 'integer' } }, ['name']) },
      async (req, reply) => {
        const r = await svc.createToken(s(req), req.body, ctxOf(req));
        return reply.status(201).send({ token: r.token, info: r.info });
      },
    );
    api.delete<{ Params: { id: string } }>('/tokens/:id', own, async (req) => {
      await svc.revokeToken(s(req), id(req.params.id), ctxOf(req));
      return { ok: true };
    });

    api.get<{ Querystring: Record<string, string> }>('/audit', { config: { role: 'admin' } }, async (req, reply) => {
      const q = req.query;
      const num = (v: string | undefined, name: string) => {
        if (v === undefined || v === '') return undefined;
        const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
        if (!Number.isFinite(n)) throw new AuthError(400, 'bad_request', `${name} must be epoch milliseconds or an ISO date`);
        return n;
      };
      const f = { from: num(q.from, 'from'), to: num(q.to, 'to'), before: num(q.before, 'before'), limit: num(q.limit, 'limit') ?? 500, type: q.type || undefined, actor: q.actor || undefined };
      const rows = await svc.listAudit(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
      if (q.format === 'jsonl') {
        reply.header('content-type', 'application/x-ndjson; charset=utf-8');
        reply.header('content-disposition', 'attachment; filename="leakscope-audit.jsonl"');
        return reply.send(rows.map((e) => JSON.stringify({ time: new Date(e.ts).toISOString(), ...e })).join('\n') + (rows.length ? '\n' : ''));
      }
      return { events: rows };
    });
  };

  const mapError: AuthHttp['mapError'] = (err, req, reply) => {
    if (err instanceof AuthError) {
      if (err.retryAfterSec !== undefined) reply.header('retry-after', String(err.retryAfterSec));
      if (err.code === 'cross_origin') void audited(req, 'request.refused', { reason: crossOriginReason(req), method: req.method, url: req.url.split('?')[0] });
      return { status: err.statusCode, code: err.code, message: err.message };
    }
    const code = (err as FastifyError).code;
    if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
      void audited(req, 'request.refused', { reason: code === 'FST_CSRF_MISSING_SECRET' ? 'csrf_missing_secret' : 'csrf_invalid', method: req.method, url: req.url.split('?')[0] });
      return { status: 403, code: 'csrf_failed', message: 'The security token of this page is missing or stale. Reload the page (GET /api/v1/auth/session gives a fresh token) and try again.' };
    }
    if ((err as FastifyError).statusCode === 429) {
      return { status: 429, code: 'rate_limited', message: `Too many sign-in attempts from your address. Wait a minute and try again.` };
    }
    return undefined;
  };

  const audited = (req: FastifyRequest, type: string, details: Record<string, unknown>, outcome: 'success' | 'failure' = 'failure', subject: string | null = null) => {
    const p = req.principal;
    return svc.audit.record({
      type,
      outcome,
      actor: p ? (p.kind === 'token' ? `token:${p.token.id}` : p.user.name) : 'anonymous',
      actorId: p?.user.id ?? null,
      ip: req.ip,
      userAgent: String(req.headers['user-agent'] ?? ''),
      subject,
      details,
    });
  };

  return {
    service: svc,
    authenticate,
    protectedRoutes,
    mapError,
    record: (req, type, subject, details) => audited(req, type, details, 'success', subject),
  };
}

/** The CSRF binding of a principal: the session row, or nothing for anonymous callers. */
function binding(p: Principal | null): string {
  return p?.kind === 'session' ? `session:${p.session.id}` : 'anonymous';
}

function unauthenticated(req: FastifyRequest): AuthError {
  switch (req.authProblem) {
    case 'bad_token':
      return new AuthError(401, 'invalid_token', 'The API token is not valid: it may be mistyped, expired or revoked, or its user disabled. Create a new one in your account.');
    case 'bad_header':
      return new AuthError(401, 'invalid_token', 'Send API tokens as "Authorization: Bearer lks_...".');
    case 'expired':
      return new AuthError(401, 'session_expired', 'Your session has ended (signed out, timed out or revoked). Sign in again.');
    default:
      return new AuthError(401, 'unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer lks_...".');
  }
}
