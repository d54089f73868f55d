/**
 * @fileoverview The monitor's HTTP server (fastify 5): `/healthz`, `/metrics` and a JSON API
 * under `/api/v1` over the {@link Store}, with the accounts of issue 16 (`./auth/`); the
 * dashboard (issue 17) builds on it.
 *
 * - every API route is registered inside one encapsulated plugin scope (`apiRoutes`, prefix
 *   `/api/v1`); the accounts' `authenticate` (or `ServerOptions.authenticate`) is that scope's
 *   `onRequest` hook, so authentication covers the whole API and `/metrics` and nothing has to
 *   be repeated per route; routes state `config: {role: 'admin'}` or `{sessionOnly: true}`.
 *   `/healthz` stays open (load balancers, no data).
 * - every POST/PUT/DELETE without an API token passes the same-origin and CSRF checks of the
 *   accounts (a root `preHandler`), so state-changing routes are protected by default.
 * - handlers go through the store interface, so SQLite and PostgreSQL serve the same API.
 * - responses carry helmet's security headers (CSP, no framing, nosniff, no referrer, HSTS
 *   under TLS) and `cache-control: no-store`; errors are `{error: {code, message}}` with the
 *   right status.
 *
 * Security baseline: listens on 127.0.0.1 by default and refuses a non-loopback address unless
 * TLS is configured or `--insecure-listen` is given ({@link checkListen}); a `Host` check
 * against DNS rebinding; target credentials never reach the API or the logs (the store has
 * none). docs/security.md has the whole picture.
 */
import fs from 'node:fs';
import net from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Collector } from '../monitor/collector.js';
import type { MonitorMetrics } from '../monitor/metrics.js';
import type { Signature } from '../monitor/signatures.js';
import { parseMatcher, silencedBy } from '../monitor/alerts.js';
import { parseDurationMs } from '../monitor/yamlspec.js';
import { QueryRefusedError, type AlertRow, type Store } from '../monitor/store/types.js';
import { VERSION } from '../version.js';
import { installAuth, type AuthHttp, type AuthHttpOptions } from './auth/http.js';
import { hostAllowed, registerSecurityHeaders } from './auth/hygiene.js';
import { registerUi, uiApiRoutes } from './ui.js';
import { ListenError } from './errors.js';

/** Options of {@link createServer}. */
export interface ServerOptions {
  store: Store;
  metrics: MonitorMetrics;
  log: Logger;
  collector?: Collector;
  signatures?: readonly Signature[];
  tls?: { certFile: string; keyFile: string };
  /**
   * Accounts (issue 16): sessions, tokens, CSRF, the `/api/v1/auth` endpoints and account
   * management. Without it the API is open (library use and tests of the monitor alone);
   * `leakscope monitor` always installs it.
   */
  auth?: AuthHttpOptions;
  /** Auth hook for `/api/v1/*` and `/metrics` instead of the accounts' own. Throw or reply to reject. */
  authenticate?: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /**
   * Host names the server answers besides loopback names (DNS rebinding); `undefined`
   * disables the check (it is on whenever the server listens on loopback or names are set).
   */
  allowedHosts?: readonly string[];
  /** Proxy addresses whose X-Forwarded-For/-Proto/-Host are believed (fastify `trustProxy`). */
  trustProxy?: readonly string[];
  /** Largest accepted request body (default 64 KiB: the API takes only small JSON). */
  bodyLimit?: number;
}

// Defined in errors.ts (no server stack loaded), re-exported for the server's users.
export { ListenError } from './errors.js';

/** Splits `host:port` (`[::1]:7070`, `127.0.0.1:7070`, `:7070`). */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  if (!m) throw new ListenError(`--listen expects host:port (e.g. 127.0.0.1:7070), got "${listen}"`);
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port > 65535) throw new ListenError(`--listen port must be at most 65535, got ${port}`);
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Refuses a non-loopback listen address without TLS unless `insecure` (profiles reveal code
 * paths, request data and sometimes credentials; the article's baseline hardening).
 */
export function checkListen(listen: string, tls: boolean, insecure: boolean): { host: string; port: number } {
  const l = parseListen(listen);
  if (!isLoopback(l.host) && !tls && !insecure) {
    throw new ListenError(
      `refusing to listen on ${listen}: it is not a loopback address and no TLS is configured. Profiles can contain secrets; ` +
        'configure tls (cert-file, key-file), listen on 127.0.0.1 behind a TLS proxy, or pass --insecure-listen if you really mean it',
    );
  }
  return l;
}

function int(v: unknown, name: string, dflt?: number): number {
  if (v === undefined || v === '') {
    if (dflt === undefined) throw httpError(400, 'bad_request', `missing parameter "${name}"`);
    return dflt;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw httpError(400, 'bad_request', `parameter "${name}" must be a number, got "${String(v)}"`);
  return Math.trunc(n);
}

/** Time parameter: milliseconds since the epoch, an ISO date, or `now-15m`-style relative. */
function time(v: unknown, name: string, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const s = String(v);
  const rel = /^now(?:-(\d+)(ms|s|m|h|d))?$/.exec(s);
  if (rel) {
    if (!rel[1]) return Date.now();
    const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'ms'];
    return Date.now() - Number(rel[1]) * mult;
  }
  if (/^\d+$/.test(s)) return Number(s);
  const d = Date.parse(s);
  if (Number.isNaN(d)) throw httpError(400, 'bad_request', `parameter "${name}" must be epoch milliseconds, an ISO date or now-<duration>, got "${s}"`);
  return d;
}

interface HttpError extends Error {
  statusCode: number;
  code: string;
}

function httpError(status: number, code: string, message: string): HttpError {
  return Object.assign(new Error(message), { statusCode: status, code });
}

function alertJson(a: AlertRow, silences: Awaited<ReturnType<Store['listSilences']>>, now: number) {
  const s = silencedBy(a, silences, now);
  return { ...a, silencedBy: s ? s.id : null };
}

/** Builds (but does not start) the server. */
export async function createServer(o: ServerOptions): Promise<FastifyInstance> {
  const https = o.tls ? { key: fs.readFileSync(o.tls.keyFile), cert: fs.readFileSync(o.tls.certFile) } : null;
  const app = (Fastify as unknown as (opts: Record<string, unknown>) => FastifyInstance)({
    loggerInstance: o.log.child({ component: 'http' }),
    bodyLimit: o.bodyLimit ?? 64 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    ...(https ? { https } : {}),
    ...(o.trustProxy && o.trustProxy.length ? { trustProxy: [...o.trustProxy] } : {}),
  });
  await registerSecurityHeaders(app, !!o.tls);
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  if (o.allowedHosts) {
    const allowed = o.allowedHosts;
    app.addHook('onRequest', async (req, reply) => {
      if (hostAllowed(req.headers.host, allowed)) return;
      return reply.status(421).send({ error: { code: 'unknown_host', message: `This server does not answer to the host name "${String(req.headers.host ?? '').slice(0, 100)}". If you reach it through a proxy or DNS name, add that name to server.allowed-hosts.` } });
    });
  }
  let auth: AuthHttp | undefined;
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    const mapped = auth?.mapError(err, req, reply);
    if (mapped) return void reply.status(mapped.status).send({ error: { code: mapped.code, message: mapped.message } });
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err: err.message, url: req.url }, 'request failed');
    void reply.status(status).send({ error: { code: status >= 500 ? 'internal' : (err.code ?? 'bad_request'), message: status >= 500 ? 'internal error (see the server log)' : err.message } });
  });
  if (o.auth) auth = await installAuth(app, o.auth);
  const uiFallback = await registerUi(app);
  app.setNotFoundHandler((req, reply) => {
    if (uiFallback(req, reply)) return;
    void reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  app.get('/healthz', async (_req, reply) => {
    const c = o.collector;
    const body = {
      status: c?.storeDown ? 'degraded' : 'ok',
      version: VERSION,
      store: { kind: o.store.kind, available: !c?.storeDown, bufferedWrites: c?.bufferedWrites ?? 0 },
      collector: c ? { id: c.id, evaluator: c.isEvaluator, targets: c.ownedTargets().length } : null,
    };
    return reply.status(c?.storeDown ? 503 : 200).send(body);
  });

  await app.register(
    async (scope) => {
      const hook = o.authenticate ?? auth?.authenticate;
      if (hook) scope.addHook('onRequest', hook);
      scope.get('/metrics', async (_req, reply) => {
        reply.header('content-type', o.metrics.registry.contentType);
        return reply.send(await o.metrics.registry.metrics());
      });
      await scope.register(apiRoutes(o, auth), { prefix: '/api/v1' });
    },
  );
  return app;
}

/** The read-only JSON API (mounted at `/api/v1`). */
function apiRoutes(o: ServerOptions, auth: AuthHttp | undefined) {
  return async (api: FastifyInstance) => {
    if (auth) await auth.protectedRoutes(api);
    const { store } = o;
    const target = async (id: unknown) => {
      const t = await store.getTarget(int(id, 'id'));
      if (!t) throw httpError(404, 'not_found', `no target ${String(id)}`);
      return t;
    };
    api.get('/status', async () => ({
      version: VERSION,
      store: { kind: store.kind, location: store.kind === 'sqlite' ? store.location : undefined },
      collector: o.collector ? { id: o.collector.id, evaluator: o.collector.isEvaluator, ownedTargets: o.collector.ownedTargets().map((t) => t.id) } : null,
    }));
    await uiApiRoutes(api, store);
    api.get('/targets', async () => ({ targets: await store.listTargets() }));
    api.get<{ Params: { id: string } }>('/targets/:id', async (req) => ({ target: await target(req.params.id) }));
    api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/series', async (req) => {
      const t = await target(req.params.id);
      const q = req.query;
      const profile = q.profile ?? 'goroutine';
      if (!['goroutine', 'heap', 'goroutineleak'].includes(profile)) throw httpError(400, 'bad_request', `profile must be goroutine, heap or goroutineleak, got "${profile}"`);
      const to = time(q.to, 'to', Date.now());
      const from = time(q.from, 'from', to - 3_600_000);
      return { target: t.id, profile, from, to, points: (await store.totals(t.id, profile as 'goroutine', from, to)).map((p) => [p.ts, p.value, p.segment ?? null]) };
    });
    api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/groups', async (req) => {
      const t = await target(req.params.id);
      const at = time(req.query.at, 'at', Date.now());
      const r = await store.groupsAt(t.id, at);
      if (!r) throw httpError(404, 'not_found', `no goroutine profile of target ${t.id} at or before ${new Date(at).toISOString()}`);
      return { target: t.id, at: r.scrapeTs, groups: r.groups };
    });
    api.get<{ Params: { id: string; hash: string }; Querystring: Record<string, string> }>('/targets/:id/groups/:hash/series', async (req) => {
      const t = await target(req.params.id);
      if (!/^[0-9a-f]{8,64}$/.test(req.params.hash)) throw httpError(400, 'bad_request', 'group hash must be hexadecimal');
      const to = time(req.query.to, 'to', Date.now());
      const from = time(req.query.from, 'from', to - 3_600_000);
      return { target: t.id, group: req.params.hash, from, to, points: (await store.groupSeries(t.id, req.params.hash, from, to)).map((p) => [p.ts, p.value, p.segment ?? null]) };
    });
    api.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/targets/:id/heap', async (req) => {
      const t = await target(req.params.id);
      const at = time(req.query.at, 'at', Date.now());
      const r = await store.heapSitesAt(t.id, at);
      if (!r) throw httpError(404, 'not_found', `no heap profile of target ${t.id} at or before ${new Date(at).toISOString()}`);
      return { target: t.id, at: r.scrapeTs, sites: r.sites };
    });
    api.get<{ Querystring: Record<string, string> }>('/alerts', async (req) => {
      const q = req.query;
      const state = q.state;
      if (state !== undefined && !['pending', 'firing', 'resolved', 'active'].includes(state)) throw httpError(400, 'bad_request', `state must be pending, firing, resolved or active, got "${state}"`);
      const filter: Parameters<Store['listAlerts']>[0] = { limit: int(q.limit, 'limit', 500) };
      if (state) filter.state = state as 'active';
      if (q.target !== undefined) filter.targetId = int(q.target, 'target');
      const [alerts, silences] = await Promise.all([store.listAlerts(filter), store.listSilences(false)]);
      const now = Date.now();
      return { alerts: alerts.map((a) => alertJson(a, silences, now)) };
    });
    api.get<{ Params: { id: string } }>('/alerts/:id', async (req) => {
      const a = await store.getAlert(int(req.params.id, 'id'));
      if (!a) throw httpError(404, 'not_found', `no alert ${req.params.id}`);
      const ev = await store.getEvidence(a.id);
      return { alert: alertJson(a, await store.listSilences(false), Date.now()), evidence: ev ? { createdAt: ev.createdAt, bytes: ev.archive.length, summary: ev.summary } : null };
    });
    api.get<{ Params: { id: string } }>('/alerts/:id/evidence', async (req, reply) => {
      const id = int(req.params.id, 'id');
      const ev = await store.getEvidence(id);
      if (!ev) throw httpError(404, 'not_found', `no evidence bundle for alert ${id} (yet: it is written when the alert fires)`);
      reply.header('content-type', 'application/gzip');
      reply.header('content-disposition', `attachment; filename="leakscope-alert-${id}.tar.gz"`);
      return reply.send(Buffer.from(ev.archive));
    });
    api.get<{ Params: { id: string } }>('/alerts/:id/evidence/summary', async (req, reply) => {
      const id = int(req.params.id, 'id');
      const ev = await store.getEvidence(id);
      if (!ev) throw httpError(404, 'not_found', `no evidence bundle for alert ${id}`);
      reply.header('content-type', 'text/markdown; charset=utf-8');
      return reply.send(ev.summary);
    });
    api.get<{ Querystring: Record<string, string> }>('/silences', async (req) => ({ silences: await store.listSilences(req.query.expired === 'true') }));
    if (auth) {
      // Changing silences: admins only, same origin + CSRF token (or an admin API token), audited.
      api.post<{ Body: { matchers?: unknown; duration?: unknown; comment?: unknown } }>('/silences', { config: { role: 'admin' } }, async (req, reply) => {
        const b = req.body ?? {};
        if (!Array.isArray(b.matchers) || b.matchers.length === 0 || b.matchers.length > 20 || !b.matchers.every((m) => typeof m === 'string' && m.length <= 512)) {
          throw httpError(400, 'bad_request', 'matchers must be a list of 1 to 20 strings like "job=api" or "instance=~web-.*"');
        }
        let matchers;
        try {
          matchers = (b.matchers as string[]).map(parseMatcher);
        } catch (e) {
          throw httpError(400, 'bad_request', (e as Error).message);
        }
        const ms = typeof b.duration === 'string' ? parseDurationMs(b.duration) : undefined;
        if (!ms || ms > 90 * 86_400_000) throw httpError(400, 'bad_request', 'duration must be like "2h" or "1d" (at most 90d)');
        const comment = typeof b.comment === 'string' ? b.comment.slice(0, 1000) : '';
        const p = req.principal!;
        const by = p.kind === 'token' ? `${p.user.name} (token ${p.token.id})` : p.user.name;
        const now = Date.now();
        const id = await store.addSilence({ matchers, startsAt: now, endsAt: now + ms, createdBy: by, comment, createdAt: now });
        await auth.record(req, 'silence.create', `silence:${id}`, { matchers: b.matchers, endsAt: now + ms, comment });
        return reply.status(201).send({ silence: (await store.listSilences(false)).find((s) => s.id === id) ?? { id } });
      });
      api.delete<{ Params: { id: string } }>('/silences/:id', { config: { role: 'admin' } }, async (req) => {
        const id = int(req.params.id, 'id');
        if (!(await store.expireSilence(id, Date.now()))) throw httpError(404, 'not_found', `no active silence ${id}`);
        await auth.record(req, 'silence.expire', `silence:${id}`, {});
        return { ok: true };
      });
    }
    api.get('/signatures', async () => ({
      signatures: (o.signatures ?? []).map((s) => ({ id: s.id, title: s.title, description: s.description, profile: s.profile, affected: s.affected, fix: s.fix, references: s.references, catalogVersion: s.catalogVersion })),
    }));
    api.get('/signatures/matches', async () => ({ matches: await store.listSignatureMatches() }));
    api.post<{ Body: { sql?: unknown; maxRows?: unknown } }>('/query', async (req) => {
      const body = req.body;
      if (!body || typeof body.sql !== 'string') throw httpError(400, 'bad_request', 'body must be JSON {"sql": "SELECT ..."}');
      try {
        const scope = req.principal?.role === 'admin' ? 'admin' : 'viewer';
        return await store.query(body.sql, { maxRows: Math.min(int(body.maxRows, 'maxRows', 10_000), 100_000), timeoutMs: 10_000, scope });
      } catch (e) {
        if (e instanceof QueryRefusedError) throw httpError(400, 'query_refused', e.message);
        throw e;
      }
    });
  };
}
