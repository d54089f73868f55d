/**
 * The accounts tests, run against the real server over HTTP on each store back end
 * (`accounts-sqlite.test.ts`, `accounts-postgres.test.ts`). Issue 16's "Bad input and
 * attacks" list: each case checks the status, that the message helps the user without
 * telling an attacker anything new, and that nothing was written that should not be.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/server/auth/service.js';
import { Browser, codeFor, count, addUser, nextIp, PW, setupAdmin, signIn, type TestServer } from './helpers.js';

type Ev = { type: string; outcome: string; actor: string; ip: string | null; subject: string | null; details: Record<string, unknown> };

/** Registers the suite for one back end. */
export function accountsSuite(label: string, start: () => Promise<TestServer | undefined>): void {
  describe(`accounts over HTTP (${label})`, () => {
    let s: TestServer;
    let admin: Browser;
    let adminSecret: string;
    let recovery: string[];
    let viewer: { b: Browser; secret: string; id: number };

    const audit = async (type?: string): Promise<Ev[]> => (await s.store.auth.listAudit(type ? { type } : {})) as Ev[];

    beforeAll(async () => {
      const started = await start();
      if (!started) return;
      s = started;
      ({ b: admin, secret: adminSecret, recoveryCodes: recovery } = await setupAdmin(s, 'alice'));
      viewer = await addUser(s, admin, 'bob', 'viewer');
    });
    afterAll(async () => s?.close());
    // Tests move the clock by hours (idle and absolute timeouts, locks): each starts with
    // freshly signed-in admin and viewer browsers.
    beforeEach(async () => {
      admin = await signIn(s, 'alice', PW.admin, adminSecret);
      viewer.b = await signIn(s, 'bob', PW.viewer, viewer.secret);
    });

    it('has no default account: without a user, the API and /metrics refuse and set-up is required', async () => {
      // (the suite's set-up above went through the one-time link; a fresh browser is anonymous)
      const b = new Browser(s.url);
      const st = await b.get('/api/v1/auth/session');
      expect(st.status).toBe(200);
      expect(st.body).toMatchObject({ authenticated: false, state: null, user: null, setupRequired: false });
      expect(typeof st.body.csrfToken).toBe('string');
      expect((await b.get('/api/v1/targets')).status).toBe(401);
      expect((await b.get('/metrics')).status).toBe(401);
      expect((await b.get('/healthz')).status).toBe(200);
      // A used set-up link does not work twice.
      const used = (await audit('setup.complete')).length;
      const r = await b.post('/api/v1/auth/setup', { token: 'x'.repeat(43), username: 'mallory', password: PW.other });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_link');
      expect(await count(s, 'auth_user')).toBe(2);
      expect((await audit('setup.complete')).length).toBe(used + 1);
    });

    it('wrong password and unknown user get the same answer, no session, and are audited', async () => {
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      const sessions = await count(s, 'auth_session');
      const wrong = await b.post('/api/v1/auth/login', { username: 'alice', password: 'not the right password at all' });
      const unknown = await b.post('/api/v1/auth/login', { username: 'nobody-here', password: 'not the right password at all' });
      for (const r of [wrong, unknown]) {
        expect(r.status).toBe(401);
        expect(r.body.error).toEqual({ code: 'bad_credentials', message: 'Incorrect user name or password.' });
        expect(r.headers.getSetCookie().some((c) => c.startsWith('__Host-leakscope_sid=') && !c.startsWith('__Host-leakscope_sid=;'))).toBe(false);
      }
      expect(await count(s, 'auth_session')).toBe(sessions);
      const fails = (await audit('auth.login')).filter((e) => e.outcome === 'failure' && e.ip === b.ip);
      expect(fails.map((e) => e.details.reason).sort()).toEqual(['bad_password', 'unknown_user']);
    });

    it('a wrong code keeps the session at the MFA step; nothing is reachable until a right code', async () => {
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      const r = await b.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ authenticated: false, state: 'mfa' });
      expect((await b.get('/api/v1/targets')).body.error.code).toBe('mfa_required');
      const good = codeFor(adminSecret, s.clock);
      const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
      const m = await b.post('/api/v1/auth/mfa', { code: bad });
      expect(m.status).toBe(401);
      expect(m.body.error.code).toBe('bad_code');
      expect(m.body.error.message).toMatch(/current 6-digit code/);
      expect((await b.post('/api/v1/auth/mfa', { code: 'abc' })).status).toBe(400);
      const ok = await b.post('/api/v1/auth/mfa', { code: good });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ authenticated: true, state: 'full', user: { name: 'alice', role: 'admin', mfaEnrolled: true } });
      expect((await b.get('/api/v1/targets')).status).toBe(200);
      s.clock.advance(30_000);
    });

    it('a replayed code is refused and the reuse audited', async () => {
      const code = codeFor(adminSecret, s.clock);
      const first = new Browser(s.url);
      await first.get('/api/v1/auth/session');
      await first.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      expect((await first.post('/api/v1/auth/mfa', { code })).status).toBe(200);
      const second = new Browser(s.url);
      await second.get('/api/v1/auth/session');
      await second.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      const r = await second.post('/api/v1/auth/mfa', { code });
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({ code: 'code_reused', message: 'That code was used already. Wait for the next code from your authenticator app.' });
      expect((await audit('auth.mfa')).some((e) => e.outcome === 'failure' && e.details.reason === 'reused' && e.ip === second.ip)).toBe(true);
      // An earlier step of the window is refused too once a later one was accepted.
      s.clock.advance(30_000);
      const third = new Browser(s.url);
      await third.get('/api/v1/auth/session');
      await third.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      expect((await third.post('/api/v1/auth/mfa', { code: codeFor(adminSecret, s.clock, -30_000) })).body.error.code).toBe('code_reused');
      expect((await third.post('/api/v1/auth/mfa', { code: codeFor(adminSecret, s.clock) })).status).toBe(200);
      s.clock.advance(30_000);
    });

    it('an expired code and a code of another account are refused', async () => {
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      await b.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      const expired = await b.post('/api/v1/auth/mfa', { code: codeFor(adminSecret, s.clock, -90_000) });
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe('bad_code');
      const other = await b.post('/api/v1/auth/mfa', { code: codeFor(viewer.secret, s.clock) });
      expect(other.status).toBe(401);
      expect(other.body.error.code).toBe('bad_code');
      expect((await b.get('/api/v1/users')).status).toBe(401);
    });

    it('a recovery code signs in once; the next use of the same code fails', async () => {
      const use = async () => {
        const b = new Browser(s.url);
        await b.get('/api/v1/auth/session');
        await b.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
        return b.post('/api/v1/auth/mfa', { recoveryCode: recovery[0]!.toLowerCase().replace(/-/g, ' ') });
      };
      const ok = await use();
      expect(ok.status).toBe(200);
      expect(ok.body.user.recoveryCodesLeft).toBe(9);
      const again = await use();
      expect(again.status).toBe(401);
      expect(again.body.error.code).toBe('bad_code');
    });

    it('brute force across many accounts from one address: 10 attempts a minute, then 429', async () => {
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await b.post('/api/v1/auth/login', { username: `user${i}`, password: 'some wrong password here' })).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      const r = await b.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another address is not affected.
      expect((await signIn(s, 'alice', PW.admin, adminSecret)).cookies.has('__Host-leakscope_sid')).toBe(true);
    });

    it('one account from one address: locked after 5 failures, doubling; other addresses still sign in; every lock audited', async () => {
      const attacker = new Browser(s.url);
      await attacker.get('/api/v1/auth/session');
      const bad = () => attacker.post('/api/v1/auth/login', { username: 'bob', password: 'guess guess guess guess' });
      for (let i = 0; i < 5; i++) expect((await bad()).status).toBe(401);
      const locked = await attacker.post('/api/v1/auth/login', { username: 'bob', password: PW.viewer });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('locked');
      expect(Number(locked.headers.get('retry-after'))).toBe(60);
      // The right password from the locked address is not even checked; from elsewhere it works.
      expect((await signIn(s, 'bob', PW.viewer, viewer.secret)).cookies.has('__Host-leakscope_sid')).toBe(true);
      s.clock.advance(61_000);
      expect((await bad()).status).toBe(401);
      const again = await bad();
      expect(again.status).toBe(429);
      expect(Number(again.headers.get('retry-after'))).toBe(120);
      const locks = (await audit('auth.lockout')).filter((e) => e.ip === attacker.ip && e.subject === 'bob');
      expect(locks.map((e) => e.details.lockMs)).toEqual([120_000, 60_000]);
      // An unknown name locks the same way (no enumeration through lock behaviour).
      const ghost = new Browser(s.url);
      await ghost.get('/api/v1/auth/session');
      for (let i = 0; i < 5; i++) await ghost.post('/api/v1/auth/login', { username: 'ghost', password: 'guess guess guess guess' });
      expect((await ghost.post('/api/v1/auth/login', { username: 'ghost', password: 'x' })).body.error.code).toBe('locked');
      s.clock.advance(LIMITS.lockMaxMs);
    });

    it('one account from many addresses: capped at 100 failures an hour; known addresses still get in', async () => {
      // bob signs in from a home address first (known source).
      const home = nextIp();
      await signIn(s, 'bob', PW.viewer, viewer.secret, home);
      let lastStatus = 0;
      for (let i = 0; i < 25 && lastStatus !== 429; i++) {
        const b = new Browser(s.url);
        await b.get('/api/v1/auth/session');
        for (let j = 0; j < 4; j++) {
          lastStatus = (await b.post('/api/v1/auth/login', { username: 'bob', password: `wrong guess number ${i}-${j}` })).status;
          if (lastStatus === 429) break;
        }
      }
      const fresh = new Browser(s.url);
      await fresh.get('/api/v1/auth/session');
      const r = await fresh.post('/api/v1/auth/login', { username: 'bob', password: PW.viewer });
      expect(r.status).toBe(429);
      expect(r.body.error.message).toMatch(/from a device you signed in from before/);
      expect((await audit('auth.lockout')).some((e) => e.subject === 'bob' && e.details.scope === 'account')).toBe(true);
      // The legitimate user at a known address is not locked out.
      const b = await signIn(s, 'bob', PW.viewer, viewer.secret, home);
      expect((await b.get('/api/v1/targets')).status).toBe(200);
      s.clock.advance(61 * 60_000);
    });

    it('missing, forged or another session\'s CSRF token: 403, nothing written, audited', async () => {
      await admin.post('/api/v1/auth/reauth', { password: PW.admin, code: codeFor(adminSecret, s.clock) });
      s.clock.advance(30_000);
      const users = await count(s, 'auth_user');
      const missing = await admin.post('/api/v1/users', { name: 'carol', role: 'viewer' }, { csrf: false });
      expect(missing.status).toBe(403);
      expect(missing.body.error.code).toBe('csrf_failed');
      expect(missing.body.error.message).toMatch(/Reload the page/);
      const forged = await admin.post('/api/v1/users', { name: 'carol', role: 'viewer' }, { csrf: 'forged-token-value' });
      expect(forged.status).toBe(403);
      // The viewer's (valid) token belongs to the viewer's session, not the admin's.
      const other = await admin.post('/api/v1/users', { name: 'carol', role: 'viewer' }, { csrf: viewer.b.csrf });
      expect(other.status).toBe(403);
      expect(await count(s, 'auth_user')).toBe(users);
      expect((await audit('request.refused')).filter((e) => e.actor === 'alice').length).toBeGreaterThanOrEqual(3);
      // And with the right token it works (the check is not simply refusing everything).
      const ok = await admin.post('/api/v1/users', { name: 'carol', role: 'viewer' });
      expect(ok.status).toBe(201);
      expect(ok.body.invite.url).toMatch(new RegExp(`^${s.url}/invite#token=`));
    });

    it('cross-origin POSTs are refused (Origin, Sec-Fetch-Site, neither)', async () => {
      const silences = await count(s, 'silence');
      const body = { matchers: ['job=demo'], duration: '1h' };
      const evil = await admin.post('/api/v1/silences', body, { origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      expect(evil.body.error.code).toBe('cross_origin');
      const site = await admin.post('/api/v1/silences', body, { origin: false, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(site.status).toBe(403);
      const none = await admin.post('/api/v1/silences', body, { origin: false });
      expect(none.status).toBe(403);
      expect(await count(s, 'silence')).toBe(silences);
      const same = await admin.post('/api/v1/silences', body, { origin: false, headers: { 'sec-fetch-site': 'same-origin' } });
      expect(same.status).toBe(201);
      expect((await audit('silence.create'))[0]).toMatchObject({ actor: 'alice', outcome: 'success' });
      // Viewers cannot change silences.
      expect((await viewer.b.post('/api/v1/silences', body)).status).toBe(403);
    });

    it('a cookie of another (older) session does not work: rotated at sign-in and MFA, ended at sign-out', async () => {
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      await b.post('/api/v1/auth/login', { username: 'bob', password: PW.viewer });
      const mfaCookie = b.cookies.get('__Host-leakscope_sid')!;
      await b.post('/api/v1/auth/mfa', { code: codeFor(viewer.secret, s.clock) });
      s.clock.advance(30_000);
      const fullCookie = b.cookies.get('__Host-leakscope_sid')!;
      expect(fullCookie).not.toBe(mfaCookie);
      const fixated = new Browser(s.url);
      fixated.cookies.set('__Host-leakscope_sid', mfaCookie);
      expect((await fixated.get('/api/v1/targets')).status).toBe(401);
      expect((await b.get('/api/v1/targets')).status).toBe(200);
      await b.post('/api/v1/auth/logout');
      const replay = new Browser(s.url);
      replay.cookies.set('__Host-leakscope_sid', fullCookie);
      const r = await replay.get('/api/v1/targets');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('session_expired');
      const made = new Browser(s.url);
      made.cookies.set('__Host-leakscope_sid', 'A'.repeat(43));
      expect((await made.get('/api/v1/targets')).status).toBe(401);
    });

    it('sessions end after 30 idle minutes and 12 hours in all; users list and revoke theirs; admins end anyone\'s', async () => {
      const idle = await signIn(s, 'bob', PW.viewer, viewer.secret);
      s.clock.advance(31 * 60_000);
      const r = await idle.get('/api/v1/targets');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('session_expired');
      const busy = await signIn(s, 'bob', PW.viewer, viewer.secret);
      for (let t = 0; t < 11.5 * 60; t += 20) {
        s.clock.advance(20 * 60_000);
        if (t < 11 * 60) expect((await busy.get('/api/v1/targets')).status).toBe(200);
      }
      expect((await busy.get('/api/v1/targets')).status).toBe(401);
      // list and revoke own sessions
      const b1 = await signIn(s, 'bob', PW.viewer, viewer.secret);
      const b2 = await signIn(s, 'bob', PW.viewer, viewer.secret);
      const list = await b1.get('/api/v1/sessions');
      expect(list.status).toBe(200);
      const mine = list.body.sessions as { id: number; current: boolean; ip: string }[];
      expect(mine.filter((x) => x.current).length).toBe(1);
      expect(JSON.stringify(list.body)).not.toMatch(/hash|[0-9a-f]{64}/);
      const other = mine.find((x) => x.ip === b2.ip)!;
      expect((await b1.del(`/api/v1/sessions/${other.id}`)).status).toBe(200);
      expect((await b2.get('/api/v1/targets')).status).toBe(401);
      // a viewer cannot end the admin's session; the admin can end the viewer's
      admin = await signIn(s, 'alice', PW.admin, adminSecret);
      const adminSessions = (await admin.get('/api/v1/sessions')).body.sessions as { id: number }[];
      expect((await b1.del(`/api/v1/sessions/${adminSessions[0]!.id}`)).status).toBe(404);
      const bobId = viewer.id;
      expect((await admin.del(`/api/v1/users/${bobId}/sessions`)).body.endedSessions).toBeGreaterThan(0);
      expect((await b1.get('/api/v1/targets')).status).toBe(401);
    });

    it('API tokens: re-auth first, shown once, Bearer only, role-scoped, last use, revocable; disabled users\' and expired tokens fail', async () => {
      // Signing in counts as authentication for 5 minutes; later, re-authentication is needed.
      s.clock.advance(LIMITS.reauthMs + 1000);
      const stale = await viewer.b.post('/api/v1/tokens', { name: 'ci' });
      expect(stale.body.error.code).toBe('reauth_required');
      expect((await viewer.b.post('/api/v1/auth/reauth', { password: 'wrong password entirely', code: codeFor(viewer.secret, s.clock) })).status).toBe(401);
      s.clock.advance(30_000);
      expect((await viewer.b.post('/api/v1/auth/reauth', { password: PW.viewer, code: codeFor(viewer.secret, s.clock) })).status).toBe(200);
      s.clock.advance(30_000);
      expect((await viewer.b.post('/api/v1/tokens', { name: 'ci', role: 'admin' })).status).toBe(403);
      const made = await viewer.b.post('/api/v1/tokens', { name: 'ci', expiresInDays: 1 });
      expect(made.status).toBe(201);
      const token = made.body.token as string;
      expect(token).toMatch(/^lks_[A-Za-z0-9_-]{43}$/);
      const listed = await viewer.b.get('/api/v1/tokens');
      expect(JSON.stringify(listed.body)).not.toContain(token);
      expect(listed.body.tokens[0]).toMatchObject({ name: 'ci', role: 'viewer', prefix: token.slice(0, 8), lastUsedAt: null });
      const bearer = { authorization: `Bearer ${token}` };
      const api = (p: string, init: RequestInit = {}) => fetch(s.url + p, { ...init, headers: { ...bearer, ...(init.headers as Record<string, string>) } });
      expect((await api('/api/v1/targets')).status).toBe(200);
      expect((await api('/metrics')).status).toBe(200);
      expect((await viewer.b.get('/api/v1/tokens')).body.tokens[0].lastUsedAt).not.toBeNull();
      // only as Bearer: not as a cookie, not in the query string, not as Basic
      expect((await fetch(`${s.url}/api/v1/targets?access_token=${token}`)).status).toBe(401);
      expect((await fetch(`${s.url}/api/v1/targets`, { headers: { authorization: `Basic ${Buffer.from('x:' + token).toString('base64')}` } })).status).toBe(401);
      // tokens cannot manage accounts, and a viewer token cannot change silences
      expect((await api('/api/v1/tokens')).status).toBe(403);
      expect((await api('/api/v1/silences', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ matchers: ['a=b'], duration: '1h' }) })).status).toBe(403);
      // disabled user: the token stops working
      const dis = await admin.put(`/api/v1/users/${viewer.id}`, { disabled: true });
      expect(dis.status).toBe(200);
      expect(dis.body.user.status).toBe('disabled');
      const r = await api('/api/v1/targets');
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
      expect((await audit('token.use')).some((e) => e.details.reason === 'user_disabled')).toBe(true);
      expect((await viewer.b.get('/api/v1/targets')).status).toBe(401);
      const login = new Browser(s.url);
      await login.get('/api/v1/auth/session');
      expect((await login.post('/api/v1/auth/login', { username: 'bob', password: PW.viewer })).body.error.code).toBe('bad_credentials');
      await admin.put(`/api/v1/users/${viewer.id}`, { disabled: false });
      expect((await api('/api/v1/targets')).status).toBe(200);
      // expired
      s.clock.advance(24 * 3_600_000 + 1000);
      expect((await api('/api/v1/targets')).status).toBe(401);
      expect((await audit('token.use')).some((e) => e.details.reason === 'expired')).toBe(true);
    });

    it('revoked tokens fail; admin tokens read the audit log and SQL cannot reach credentials', async () => {
      await admin.post('/api/v1/auth/reauth', { password: PW.admin, code: codeFor(adminSecret, s.clock) });
      s.clock.advance(30_000);
      const t = (await admin.post('/api/v1/tokens', { name: 'siem', role: 'admin', expiresInDays: 30 })).body as { token: string; info: { id: number } };
      const q = (sql: string, token = t.token) =>
        fetch(`${s.url}/api/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
      const a = await q("SELECT type, outcome FROM audit_log WHERE type = 'token.create'");
      expect(a.status).toBe(200);
      expect(((await a.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
      const exported = await fetch(`${s.url}/api/v1/audit?format=jsonl&limit=5`, { headers: { authorization: `Bearer ${t.token}` } });
      expect(exported.headers.get('content-type')).toMatch(/ndjson/);
      const lines = (await exported.text()).trim().split('\n');
      expect(lines.length).toBe(5);
      for (const l of lines) expect(JSON.parse(l)).toHaveProperty('type');
      for (const sql of ['SELECT * FROM auth_user', 'SELECT * FROM "auth_session"', 'SELECT (SELECT hash FROM auth_token LIMIT 1) AS x', 'WITH u AS (SELECT * FROM auth_recovery) SELECT * FROM u']) {
        const r = await q(sql);
        expect(r.status, sql).toBe(400);
        expect(((await r.json()) as { error: { code: string; message: string } }).error.message).toMatch(/cannot be queried/);
      }
      // Functions that run SQL from text (PostgreSQL) or do not exist (SQLite): refused either way.
      const xml = await q("SELECT query_to_xml('SELECT * FROM auth_user', true, false, '') AS x");
      expect(xml.status).toBe(400);
      expect(JSON.stringify(await xml.json())).not.toContain('alice');
      // A viewer's token may not read the audit log.
      await viewer.b.post('/api/v1/auth/reauth', { password: PW.viewer, code: codeFor(viewer.secret, s.clock) });
      s.clock.advance(30_000);
      const vt = (await viewer.b.post('/api/v1/tokens', { name: 'viewer-bot' })).body.token as string;
      const va = await q('SELECT * FROM audit_log', vt);
      expect(va.status).toBe(400);
      expect(((await va.json()) as { error: { message: string } }).error.message).toMatch(/admins only/);
      expect((await fetch(`${s.url}/api/v1/audit`, { headers: { authorization: `Bearer ${vt}` } })).status).toBe(403);
      // revoke
      expect((await admin.del(`/api/v1/tokens/${t.info.id}`)).status).toBe(200);
      expect((await q('SELECT 1')).status).toBe(401);
      expect((await admin.del(`/api/v1/tokens/${t.info.id}`)).status).toBe(409);
      expect((await audit('token.use')).some((e) => e.details.reason === 'revoked')).toBe(true);
    });

    it('oversized bodies are refused before anything is parsed or written', async () => {
      const users = await count(s, 'auth_user');
      const big = await admin.post('/api/v1/users', { name: 'dave', role: 'viewer', pad: 'x'.repeat(40_000) });
      expect(big.status).toBe(413);
      const login = new Browser(s.url);
      await login.get('/api/v1/auth/session');
      expect((await login.post('/api/v1/auth/login', { username: 'alice', password: 'p'.repeat(100_000) })).status).toBe(413);
      const huge = await admin.post('/api/v1/query', { sql: 'SELECT 1 -- ' + 'x'.repeat(200_000) });
      expect(huge.status).toBe(413);
      expect(await count(s, 'auth_user')).toBe(users);
    });

    it('a Host header that is not ours gets 421 (DNS rebinding)', async () => {
      const u = new URL(s.url);
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const r = http.request({ host: u.hostname, port: u.port, path: '/api/v1/auth/session', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          r.on('error', reject);
          r.end();
        });
      expect(await status('attacker.example:' + u.port)).toBe(421);
      expect(await status('localhost:' + u.port)).toBe(200);
      expect(await status(`127.0.0.1:${u.port}`)).toBe(200);
    });

    it('SQL metacharacters in every field are data, never SQL', async () => {
      const evil = "x' OR '1'='1'; DROP TABLE auth_user; --";
      const users = await count(s, 'auth_user');
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      expect((await b.post('/api/v1/auth/login', { username: evil, password: evil })).status).toBe(401);
      expect((await b.post('/api/v1/auth/login', { username: 'alice', password: evil })).status).toBe(401);
      expect((await b.post('/api/v1/auth/setup', { token: evil, username: evil, password: evil })).status).toBe(400);
      expect((await b.post('/api/v1/auth/invite/accept', { token: evil, password: evil + evil })).status).toBe(400);
      expect((await b.post('/api/v1/auth/invite/info', { token: evil })).status).toBe(400);
      expect((await admin.post('/api/v1/users', { name: evil, role: 'viewer' })).body.error.code).toBe('invalid_name');
      expect((await admin.post('/api/v1/users', { name: 'erin', role: evil })).body.error.code).toBe('invalid_role');
      expect((await admin.put(`/api/v1/users/1`, { role: evil })).status).toBe(400);
      expect((await admin.del(`/api/v1/tokens/${encodeURIComponent(evil)}`)).status).toBe(400);
      expect((await admin.get(`/api/v1/audit?type=${encodeURIComponent(evil)}`)).body.events).toEqual([]);
      await admin.post('/api/v1/auth/reauth', { password: PW.admin, code: codeFor(adminSecret, s.clock) });
      s.clock.advance(30_000);
      expect((await admin.post('/api/v1/tokens', { name: evil })).status).toBe(400);
      const sil = await admin.post('/api/v1/silences', { matchers: [`job=${evil}`], duration: '1h', comment: evil });
      expect(sil.status).toBe(201);
      expect(sil.body.silence.comment).toBe(evil);
      expect((await admin.get('/api/v1/silences')).body.silences.some((x: { comment: string }) => x.comment === evil)).toBe(true);
      expect(await count(s, 'auth_user')).toBe(users);
      expect((await admin.get('/api/v1/users')).status).toBe(200);
    });

    it('passwords: 15 to 128 characters, no common or context words; change needs the current one and offers to end other sessions', async () => {
      const b = await signIn(s, 'bob', PW.viewer, viewer.secret);
      const other = await signIn(s, 'bob', PW.viewer, viewer.secret);
      const tries: [string, RegExp][] = [
        ['short pass', /at least 15/],
        ['x'.repeat(129) + 'abcdefghij', /at most 128/],
        ['123456789012345', /commonly used/],
        ['aaaaaaaaaaaaaaaaaaaa', /repeats/],
        ['my leakscope password!', /user name or "leakscope"/],
      ];
      for (const [pw, msg] of tries) {
        const r = await b.post('/api/v1/auth/password', { currentPassword: PW.viewer, newPassword: pw });
        expect(r.status, pw).toBe(400);
        expect(r.body.error.message).toMatch(msg);
      }
      expect((await b.post('/api/v1/auth/password', { currentPassword: 'wrong current password', newPassword: PW.other })).status).toBe(401);
      const ok = await b.post('/api/v1/auth/password', { currentPassword: PW.viewer, newPassword: PW.other, endOtherSessions: true });
      expect(ok.status).toBe(200);
      expect(ok.body.endedSessions).toBeGreaterThanOrEqual(1);
      expect((await other.get('/api/v1/targets')).status).toBe(401);
      expect((await b.get('/api/v1/targets')).status).toBe(200);
      expect((await audit('password.change'))[0]).toMatchObject({ outcome: 'success', actor: 'bob' });
      await b.post('/api/v1/auth/password', { currentPassword: PW.other, newPassword: PW.viewer });
    });

    it('MFA: re-auth before replacing the device; new recovery codes void the old set; the last admin cannot be disabled or demoted', async () => {
      s.clock.advance(LIMITS.reauthMs + 1000);
      expect((await viewer.b.post('/api/v1/auth/mfa/enrol')).status).toBe(403);
      await viewer.b.post('/api/v1/auth/reauth', { password: PW.viewer, code: codeFor(viewer.secret, s.clock) });
      s.clock.advance(30_000);
      const e = await viewer.b.post('/api/v1/auth/mfa/enrol');
      expect(e.status).toBe(200);
      expect(e.body.qrSvg).toMatch(/^<svg/);
      expect(e.body.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(e.body.uri).toMatch(/^otpauth:\/\/totp\/leakscope:bob\?/);
      const c = await viewer.b.post('/api/v1/auth/mfa/enrol/confirm', { code: codeFor(e.body.secret, s.clock), endOtherSessions: true });
      expect(c.status).toBe(200);
      expect(c.body.recoveryCodes).toHaveLength(10);
      viewer.secret = e.body.secret;
      s.clock.advance(30_000);
      const regen = await viewer.b.post('/api/v1/auth/recovery-codes');
      expect(regen.status).toBe(200);
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      await b.post('/api/v1/auth/login', { username: 'bob', password: PW.viewer });
      expect((await b.post('/api/v1/auth/mfa', { recoveryCode: c.body.recoveryCodes[0] })).status).toBe(401);
      expect((await b.post('/api/v1/auth/mfa', { recoveryCode: regen.body.recoveryCodes[0] })).status).toBe(200);
      // last admin
      const me = (await admin.get('/api/v1/auth/session')).body.user.id as number;
      const dis = await admin.put(`/api/v1/users/${me}`, { disabled: true });
      expect(dis.status).toBe(409);
      expect(dis.body.error.code).toBe('last_admin');
      expect((await admin.put(`/api/v1/users/${me}`, { role: 'viewer' })).status).toBe(409);
      expect((await viewer.b.get('/api/v1/users')).status).toBe(403);
    });

    it('secrets never rest in the clear: not in the database files, not in the audit file', async () => {
      const b = new Browser(s.url);
      await b.get('/api/v1/auth/session');
      await b.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      const sid = b.cookies.get('__Host-leakscope_sid')!;
      await admin.post('/api/v1/auth/reauth', { password: PW.admin, code: codeFor(adminSecret, s.clock) });
      s.clock.advance(30_000);
      const token = (await admin.post('/api/v1/tokens', { name: 'probe' })).body.token as string;
      const secrets = [PW.admin, PW.viewer, adminSecret, viewer.secret, sid, token, ...recovery, ...recovery.map((r) => r.replace(/-/g, ''))];
      const auditText = fs.readFileSync(path.join(s.dataDir, 'audit.jsonl'), 'utf8');
      for (const x of secrets) expect(auditText.includes(x), `audit.jsonl contains a secret`).toBe(false);
      expect(auditText.split('\n').filter(Boolean).every((l) => typeof JSON.parse(l).type === 'string')).toBe(true);
      if (s.store.kind === 'sqlite') {
        const files = fs.readdirSync(s.dataDir).filter((f) => f.startsWith('leakscope.db'));
        const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(s.dataDir, f)))).toString('latin1');
        expect(bytes).toContain('alice');
        for (const x of secrets) expect(bytes.includes(x), 'the database contains a secret').toBe(false);
      }
      const key = fs.statSync(path.join(s.dataDir, 'secret.key'));
      expect(key.mode & 0o777).toBe(0o600);
      const audit = fs.statSync(path.join(s.dataDir, 'audit.jsonl'));
      expect(audit.mode & 0o777).toBe(0o600);
    });

    it('the audit log is append-only in the store', async () => {
      const n = await count(s, 'auth_audit');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const raw = s.store as any;
      const tryRun = async (sql: string) => {
        try {
          if (s.store.kind === 'sqlite') raw.db.prepare(sql).run();
          else await raw.pool.query(sql);
          return 'ran';
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(await tryRun('DELETE FROM auth_audit')).toMatch(/append-only/);
      expect(await tryRun("UPDATE auth_audit SET actor = 'nobody'")).toMatch(/append-only/);
      expect(await count(s, 'auth_audit')).toBe(n);
    });

    it('security headers are set on every response', async () => {
      const r = await admin.get('/api/v1/targets');
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('strict-transport-security')).toBeNull(); // no TLS here
      expect(r.headers.get('cache-control')).toBe('no-store');
      const login = new Browser(s.url);
      await login.get('/api/v1/auth/session');
      await login.post('/api/v1/auth/login', { username: 'alice', password: PW.admin });
      const set = (await login.post('/api/v1/auth/mfa', { code: codeFor(adminSecret, s.clock) })).headers.getSetCookie();
      s.clock.advance(30_000);
      const sid = set.find((c) => c.startsWith('__Host-leakscope_sid='))!;
      expect(sid).toMatch(/; Path=\//);
      expect(sid).toMatch(/; HttpOnly/);
      expect(sid).toMatch(/; Secure/);
      expect(sid).toMatch(/; SameSite=Strict/);
      expect(sid).not.toMatch(/Domain=/i);
      expect(sid.split(';')[0]!.split('=')[1]!.length).toBe(43);
    });
  });
}
