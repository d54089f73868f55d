/**
 * Issue 16's "done means", end to end on the real `leakscope monitor` (startMonitor: store,
 * collector, server): a new user starts the monitor, follows the console's set-up link,
 * creates the admin, enrols TOTP (codes computed with `otpauth`), signs out and back in with
 * password + code, invites a viewer, creates a token, uses and revokes it, and finds every
 * step in the audit log, through the API, `leakscope query` on the data directory and
 * `leakscope query --server`. Then the monitor restarts (sessions survive) and a locked-out
 * admin gets back in with `leakscope user`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createLogger, defaultConfig, startMonitor, type MonitorConfig, type MonitorHandle } from '../../src/monitor/index.js';
import { Browser, Clock, linkToken, PW } from './helpers.js';

/** A code the way an authenticator app computes it (RFC 6238 via otpauth), at the server's clock. */
function code(secret: string, clock: Clock): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.t });
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const c = await execute(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env: { USER: 'ops', ...env }, cwd: process.cwd() });
  return { code: c, out, err };
}

describe('done means: console link to admin, TOTP, viewer, token, audit (real monitor, SQLite)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-walk-'));
  const clock = new Clock();
  const announced: string[] = [];
  let mon: MonitorHandle;
  let cfg: MonitorConfig;
  const start = async () => {
    const log = createLogger('warn', 'json', new PassThrough().resume());
    return startMonitor(cfg, { log, clock: clock.now, announce: (t) => void announced.push(t), env: {} });
  };

  beforeAll(async () => {
    cfg = defaultConfig();
    cfg.dataDir = dir;
    cfg.listen = '127.0.0.1:0';
    mon = await start();
  });
  afterAll(async () => {
    await mon?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('walks through set-up, enrolment, sign-in, invitation, token and revocation, all audited', async () => {
    // 1. The console shows a one-time link; no account exists.
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatch(/within 15 minutes/);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/setup#token=[A-Za-z0-9_-]{43})/.exec(announced[0]!)![1]!;
    expect(link.startsWith(mon.url)).toBe(true);
    const b = new Browser(mon.url, '198.51.100.7');
    const st = await b.get('/api/v1/auth/session');
    expect(st.body).toMatchObject({ authenticated: false, setupRequired: true });
    expect((await b.get('/api/v1/targets')).status).toBe(401);

    // 2. Create the admin from the link.
    const setup = await b.post('/api/v1/auth/setup', { token: linkToken(link), username: 'ada', password: PW.admin });
    expect(setup.status).toBe(201);
    expect(setup.body).toMatchObject({ authenticated: false, state: 'enrol', user: { name: 'ada', role: 'admin', mfaEnrolled: false } });
    expect((await b.get('/api/v1/targets')).body.error.code).toBe('mfa_required');

    // 3. Enrol TOTP: QR code + secret, confirmed with a code; ten recovery codes.
    const enrol = await b.post('/api/v1/auth/mfa/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const secret = enrol.body.secret as string;
    const confirm = await b.post('/api/v1/auth/mfa/enrol/confirm', { code: code(secret, clock) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(confirm.body).toMatchObject({ authenticated: true, state: 'full' });
    expect((await b.get('/api/v1/targets')).status).toBe(200);
    clock.advance(30_000);

    // 4. Sign out; sign back in with password + code.
    expect((await b.post('/api/v1/auth/logout')).body.authenticated).toBe(false);
    expect((await b.get('/api/v1/targets')).status).toBe(401);
    await b.get('/api/v1/auth/session');
    expect((await b.post('/api/v1/auth/login', { username: 'ada', password: PW.admin })).body.state).toBe('mfa');
    expect((await b.post('/api/v1/auth/mfa', { code: code(secret, clock) })).body.authenticated).toBe(true);
    clock.advance(30_000);

    // 5. Invite a viewer, who sets a password and enrols.
    const inv = await b.post('/api/v1/users', { name: 'vera', role: 'viewer' });
    expect(inv.status).toBe(201);
    const v = new Browser(mon.url, '198.51.100.8');
    await v.get('/api/v1/auth/session');
    expect((await v.post('/api/v1/auth/invite/info', { token: linkToken(inv.body.invite.url) })).body).toMatchObject({ name: 'vera', role: 'viewer' });
    expect((await v.post('/api/v1/auth/invite/accept', { token: linkToken(inv.body.invite.url), password: PW.viewer })).body.state).toBe('enrol');
    const ve = await v.post('/api/v1/auth/mfa/enrol');
    expect((await v.post('/api/v1/auth/mfa/enrol/confirm', { code: code(ve.body.secret, clock) })).body.authenticated).toBe(true);
    expect((await v.get('/api/v1/users')).status).toBe(403);
    const users = (await b.get('/api/v1/users')).body.users as { name: string; role: string; status: string }[];
    expect(users.map((u) => [u.name, u.role, u.status])).toEqual([
      ['ada', 'admin', 'active'],
      ['vera', 'viewer', 'active'],
    ]);

    // 6. A token (after re-authentication), used from a script, then revoked.
    clock.advance(6 * 60_000);
    expect((await b.post('/api/v1/tokens', { name: 'ci' })).body.error.code).toBe('reauth_required');
    expect((await b.post('/api/v1/auth/reauth', { password: PW.admin, code: code(secret, clock) })).status).toBe(200);
    const tok = await b.post('/api/v1/tokens', { name: 'ci', role: 'viewer', expiresInDays: 30 });
    expect(tok.status).toBe(201);
    const bearer = { authorization: `Bearer ${tok.body.token}` };
    expect((await fetch(`${mon.url}/api/v1/targets`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${mon.url}/metrics`, { headers: bearer })).status).toBe(200);
    expect((await b.del(`/api/v1/tokens/${tok.body.info.id}`)).status).toBe(200);
    expect((await fetch(`${mon.url}/api/v1/targets`, { headers: bearer })).status).toBe(401);

    // 7. Every step is in the audit log, in order, with actor, address and agent.
    const events = ((await b.get('/api/v1/audit?limit=1000')).body.events as { type: string; outcome: string; actor: string; ip: string | null; userAgent: string | null; details: Record<string, unknown> }[]).reverse();
    const seq = events.map((e) => `${e.type}:${e.outcome}`);
    const expected = [
      'setup.link:info',
      'setup.complete:success',
      'mfa.enrol:success',
      'session.end:success',
      'auth.password:success',
      'auth.login:success',
      'user.invite:success',
      'user.accept:success',
      'mfa.enrol:success',
      'auth.reauth:success',
      'token.create:success',
      'token.new_ip:info',
      'token.revoke:success',
      'token.use:failure',
    ];
    let i = 0;
    for (const e of seq) if (e === expected[i]) i++;
    expect(i, `audit sequence ${seq.join(', ')}`).toBe(expected.length);
    const login = events.find((e) => e.type === 'auth.login')!;
    expect(login).toMatchObject({ actor: 'ada', ip: '127.0.0.1', userAgent: 'Mozilla/5.0 (test) leakscope-tests', details: { method: 'totp' } });

    // ...through leakscope query on the data directory, and against the server with a token.
    const local = await cli(['query', '--data-dir', dir, '--format', 'json', "SELECT type, actor FROM audit_log WHERE type LIKE 'token.%' ORDER BY id"]);
    expect(local.code).toBe(0);
    expect((JSON.parse(local.out) as { type: string }[]).map((r) => r.type)).toEqual(['token.create', 'token.new_ip', 'token.revoke', 'token.use']);
    expect((await cli(['query', '--data-dir', dir, 'SELECT * FROM auth_user'])).code).toBe(2);
    clock.advance(60_000);
    await b.post('/api/v1/auth/reauth', { password: PW.admin, code: code(secret, clock) });
    const admTok = (await b.post('/api/v1/tokens', { name: 'auditor', role: 'admin', expiresInDays: 1 })).body.token as string;
    const remote = await cli(['query', '--server', mon.url, '--format', 'csv', "SELECT type FROM audit_log WHERE type = 'setup.complete'"], { LEAKSCOPE_TOKEN: admTok });
    expect(remote).toMatchObject({ code: 0, out: 'type\nsetup.complete\n' });
    const noToken = await cli(['query', '--server', mon.url, 'SELECT 1']);
    expect(noToken.code).toBe(2);
    const badToken = await cli(['query', '--server', mon.url, 'SELECT 1'], { LEAKSCOPE_TOKEN: 'lks_' + 'x'.repeat(43) });
    expect(badToken.code).toBe(2);

    // 8. A restart keeps users and sessions (they live in the store) and prints no new link.
    await mon.stop();
    mon = await start();
    expect(announced).toHaveLength(1);
    const again = new Browser(mon.url, b.ip);
    for (const [k, val] of b.cookies) again.cookies.set(k, val);
    expect((await again.get('/api/v1/auth/session')).body).toMatchObject({ authenticated: true, user: { name: 'ada' } });
  });

  it('leakscope user lets a locked-out admin back in from the data directory', async () => {
    const list = await cli(['user', 'list', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/ada\tadmin\tactive/);
    expect(list.out).toMatch(/vera\tviewer\tactive/);

    // The admin lost the phone and the recovery codes: reset-mfa, then sign in and enrol again.
    const reset = await cli(['user', 'reset-mfa', 'ada', '--data-dir', dir]);
    expect(reset.code).toBe(0);
    const b = new Browser(mon.url);
    await b.get('/api/v1/auth/session');
    expect((await b.post('/api/v1/auth/login', { username: 'ada', password: PW.admin })).body.state).toBe('enrol');
    const e = await b.post('/api/v1/auth/mfa/enrol');
    expect((await b.post('/api/v1/auth/mfa/enrol/confirm', { code: code(e.body.secret, clock) })).body.authenticated).toBe(true);
    clock.advance(30_000);

    // add: a second admin through an invitation link; disable refuses the last active admin.
    const add = await cli(['user', 'add', 'root2', '--role', 'admin', '--data-dir', dir, '--url', 'https://leakscope.example.com']);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/https:\/\/leakscope\.example\.com\/invite#token=[A-Za-z0-9_-]{43}/);
    expect((await cli(['user', 'add', 'root2', '--data-dir', dir])).code).toBe(2);
    const last = await cli(['user', 'disable', 'ada', '--data-dir', dir]);
    expect(last.code).toBe(2);
    expect(last.err).toMatch(/last active admin/);
    expect((await cli(['user', 'disable', 'vera', '--data-dir', dir])).code).toBe(0);
    expect((await cli(['user', 'list', '--data-dir', dir])).out).toMatch(/vera\tviewer\tdisabled/);
    expect((await cli(['user', 'unlock', 'vera', '--data-dir', dir])).code).toBe(0);
    expect((await cli(['user', 'reset-mfa', 'nobody', '--data-dir', dir])).code).toBe(2);

    const audit = ((await b.get('/api/v1/audit?limit=1000')).body.events as { type: string; actor: string; subject: string }[]).filter((x) => x.actor === 'cli:ops');
    expect(audit.map((x) => `${x.type} ${x.subject}`).reverse()).toEqual(['mfa.reset ada', 'user.invite root2', 'user.disable vera', 'user.unlock vera']);
  });
});
