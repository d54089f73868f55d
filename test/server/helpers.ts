/**
 * Helpers for the accounts tests: a real leakscope HTTP server over a real store (SQLite in a
 * temporary data directory, or a throw-away PostgreSQL cluster), a movable clock, and an HTTP
 * client that keeps cookies and the CSRF token the way a browser page would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../src/monitor/index.js';
import { MonitorMetrics } from '../../src/monitor/metrics.js';
import { PostgresStore } from '../../src/monitor/store/postgres.js';
import { SqliteStore } from '../../src/monitor/store/sqlite.js';
import type { Store } from '../../src/monitor/store/types.js';
import type { AuthStore } from '../../src/monitor/store/auth.js';
import { randomToken, SecretKey, sha256Hex } from '../../src/server/auth/crypto.js';
import { AuthService } from '../../src/server/auth/service.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { createServer } from '../../src/server/index.js';

/** A clock tests move by hand (sessions, locks and TOTP steps follow it). */
export class Clock {
  constructor(public t = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A running server over a real store. */
export interface TestServer {
  url: string;
  store: Store;
  auth: AuthService;
  clock: Clock;
  dataDir: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with accounts, over SQLite (default) or PostgreSQL. */
export async function startServer(opts: { pgUrl?: string; allowedHosts?: string[]; trustProxy?: string[] } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-auth-'));
  const store: Store = opts.pgUrl ? await PostgresStore.open(opts.pgUrl) : SqliteStore.open(dataDir);
  const log = createLogger('warn', 'json', new Writable({ write: (_c, _e, cb) => cb() }));
  const clock = new Clock();
  const { key } = SecretKey.load(dataDir, {}, true);
  const auth = new AuthService({ store: store.auth, key, log, auditDir: dataDir, clock: clock.now });
  await auth.init();
  let url = '';
  const app = await createServer({
    store,
    metrics: new MonitorMetrics(),
    log,
    auth: { service: auth, publicUrl: () => url },
    allowedHosts: opts.allowedHosts ?? [],
    trustProxy: opts.trustProxy ?? ['127.0.0.1'],
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    store,
    auth,
    clock,
    dataDir,
    app,
    async close() {
      await app.close();
      auth.audit.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A response. */
export interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  headers: Headers;
}

/** Request options of {@link Browser.req}. */
export interface ReqOpts {
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** Send the CSRF token (default true); a string sends that token instead. */
  csrf?: boolean | string;
  /** Origin header: default the server's origin; false omits it; a string sends that. */
  origin?: boolean | string;
  /** Send cookies (default true). */
  cookies?: boolean;
}

let ipSeq = 0;
/**
 * A fresh client address (TEST-NET-3, RFC 5737), sent as X-Forwarded-For to a server that
 * trusts 127.0.0.1 as its proxy: each test signs in from its own address, so the per-address
 * limits of one test do not leak into the next. No traffic goes to these addresses.
 */
export function nextIp(): string {
  ipSeq++;
  return `203.0.${113 + Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}`;
}

/** An HTTP client that behaves like the dashboard in a browser: cookies, Origin, CSRF token. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly base: string,
    /** Client address sent as X-Forwarded-For (the test server trusts 127.0.0.1). */
    readonly ip: string = nextIp(),
    readonly userAgent = 'Mozilla/5.0 (test) leakscope-tests',
  ) {}

  async req(method: string, p: string, o: ReqOpts = {}): Promise<Res> {
    const h: Record<string, string> = { 'user-agent': this.userAgent, 'x-forwarded-for': this.ip, ...(o.headers ?? {}) };
    if (o.json !== undefined) h['content-type'] = 'application/json';
    if (o.origin !== false) h.origin = typeof o.origin === 'string' ? o.origin : new URL(this.base).origin;
    if (o.csrf !== false && method !== 'GET' && (typeof o.csrf === 'string' || this.csrf)) h['x-csrf-token'] = typeof o.csrf === 'string' ? o.csrf : this.csrf;
    if (o.cookies !== false && this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await fetch(this.base + p, { method, headers: h, body: o.json !== undefined ? JSON.stringify(o.json) : o.body, redirect: 'manual' });
    for (const c of r.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await r.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    if (body && typeof body === 'object' && typeof (body as { csrfToken?: unknown }).csrfToken === 'string') this.csrf = (body as { csrfToken: string }).csrfToken;
    return { status: r.status, body, text, headers: r.headers };
  }

  get(p: string, o: ReqOpts = {}): Promise<Res> {
    return this.req('GET', p, o);
  }
  post(p: string, json: unknown = {}, o: ReqOpts = {}): Promise<Res> {
    return this.req('POST', p, { json, ...o });
  }
  put(p: string, json: unknown = {}, o: ReqOpts = {}): Promise<Res> {
    return this.req('PUT', p, { json, ...o });
  }
  del(p: string, o: ReqOpts = {}): Promise<Res> {
    return this.req('DELETE', p, o);
  }
}

/** Strong passwords that pass the policy. */
export const PW = {
  admin: 'correct horse battery staple 42',
  viewer: 'purple elephants dance at midnight',
  other: 'seventeen quiet lanterns over water',
};

/** The TOTP secret in an enrolment response, and a code for the server's clock. */
export function codeFor(secret: string, clock: Clock, offsetMs = 0): string {
  return totpCode(secret, clock.t + offsetMs);
}

/** The token in a set-up or invitation URL (`...#token=...`). */
export function linkToken(url: string): string {
  return new URL(url).hash.replace(/^#token=/, '');
}

/**
 * Runs set-up and enrolment through the API: returns the signed-in admin's browser and TOTP
 * secret. Steps the clock past the enrolment code's step.
 */
export async function setupAdmin(s: TestServer, name = 'alice'): Promise<{ b: Browser; secret: string; recoveryCodes: string[] }> {
  const link = await s.auth.createSetupLink(s.url);
  const b = new Browser(s.url);
  await b.get('/api/v1/auth/session');
  const r = await b.post('/api/v1/auth/setup', { token: linkToken(link.url), username: name, password: PW.admin });
  if (r.status !== 201) throw new Error(`set-up failed: ${r.status} ${r.text}`);
  const e = await b.post('/api/v1/auth/mfa/enrol');
  const c = await b.post('/api/v1/auth/mfa/enrol/confirm', { code: codeFor(e.body.secret, s.clock) });
  if (c.status !== 200) throw new Error(`enrolment failed: ${c.status} ${c.text}`);
  s.clock.advance(30_000);
  return { b, secret: e.body.secret as string, recoveryCodes: c.body.recoveryCodes as string[] };
}

/** Invites `name` as `role` and completes the invitation and enrolment in a new browser. */
export async function addUser(s: TestServer, admin: Browser, name: string, role: 'viewer' | 'admin', password = PW.viewer): Promise<{ b: Browser; secret: string; id: number }> {
  const inv = await admin.post('/api/v1/users', { name, role });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${inv.text}`);
  const b = new Browser(s.url);
  await b.get('/api/v1/auth/session');
  const a = await b.post('/api/v1/auth/invite/accept', { token: linkToken(inv.body.invite.url), password });
  if (a.status !== 200) throw new Error(`accept failed: ${a.status} ${a.text}`);
  const e = await b.post('/api/v1/auth/mfa/enrol');
  const c = await b.post('/api/v1/auth/mfa/enrol/confirm', { code: codeFor(e.body.secret, s.clock) });
  if (c.status !== 200) throw new Error(`enrolment failed: ${c.status} ${c.text}`);
  s.clock.advance(30_000);
  return { b, secret: e.body.secret as string, id: inv.body.user.id as number };
}

/** Signs in with password and code in a fresh browser. */
export async function signIn(s: TestServer, name: string, password: string, secret: string, ip?: string): Promise<Browser> {
  const b = new Browser(s.url, ip);
  await b.get('/api/v1/auth/session');
  const r = await b.post('/api/v1/auth/login', { username: name, password });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  const m = await b.post('/api/v1/auth/mfa', { code: codeFor(secret, s.clock) });
  if (m.status !== 200) throw new Error(`mfa failed: ${m.status} ${m.text}`);
  s.clock.advance(30_000);
  return b;
}

/** Rows of a table straight from the store (for "nothing was written" checks). */
export async function count(s: TestServer, table: string): Promise<number> {
  const sql = `SELECT COUNT(*) AS n FROM ${table}`;
  if (s.store.kind === 'sqlite') {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return Number(((s.store as any).db.prepare(sql).get() as { n: number }).n);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return Number((await (s.store as any).pool.query(sql)).rows[0].n);
}

/**
 * A user and an API token written straight into the store (for tests of other parts that
 * only need to get past authentication).
 */
export async function issueToken(auth: AuthStore, role: 'viewer' | 'admin' = 'viewer', name = `bot-${role}`): Promise<string> {
  const id = (await auth.createUser({ name, role, createdAt: Date.now(), createdBy: 'test' }))!;
  const token = 'lks_' + randomToken(32);
  await auth.createToken({ hash: sha256Hex(token), prefix: token.slice(0, 8), name: 'test', userId: id, role, createdAt: Date.now(), expiresAt: Date.now() + 86_400_000 });
  return token;
}
