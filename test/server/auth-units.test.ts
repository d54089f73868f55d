/**
 * The pieces under the accounts: the secret key (file mode, environment, a fleet member with
 * another key), sealing, the password policy, equal work for unknown users (the timing side of
 * "no enumeration", checked by counting Argon2id verifications, not by a clock), the hashing
 * queue, TOTP windows and recovery-code typing, and HSTS under TLS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/monitor/index.js';
import { MonitorMetrics } from '../../src/monitor/metrics.js';
import { SqliteStore } from '../../src/monitor/store/sqlite.js';
import { SecretKey, SecretKeyError } from '../../src/server/auth/crypto.js';
import { HasherBusyError, PasswordHasher, passwordProblem } from '../../src/server/auth/passwords.js';
import { AuthError, AuthService } from '../../src/server/auth/service.js';
import { matchTotp, newRecoveryCode, newTotpSecret, normalizeRecoveryCode, totpCode, totpStep } from '../../src/server/auth/totp.js';
import { createServer } from '../../src/server/index.js';
import { PW } from './helpers.js';

const quiet = () => createLogger('error', 'json', new Writable({ write: (_c, _e, cb) => cb() }));
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-units-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('secret key', () => {
  it('is created 0600, refused when others can read it, or taken from LEAKSCOPE_SECRET_KEY', () => {
    const d = tmp();
    const a = SecretKey.load(d, {}, true);
    expect(a.created).toBe(true);
    expect(fs.statSync(path.join(d, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(SecretKey.load(d, {}, true).created).toBe(false);
    const sealed = a.key.seal('hello', 'aad:1');
    expect(SecretKey.load(d, {}, false).key.open(sealed, 'aad:1')).toBe('hello');
    expect(() => a.key.open(sealed, 'aad:2')).toThrow(SecretKeyError);
    fs.chmodSync(path.join(d, 'secret.key'), 0o644);
    expect(() => SecretKey.load(d, {}, true)).toThrow(/readable by other users .*chmod 600/);
    expect(() => SecretKey.load(tmp(), {}, false)).toThrow(/no secret key/);
    const hex = 'ab'.repeat(32);
    expect(SecretKey.load(tmp(), { LEAKSCOPE_SECRET_KEY: hex }, true).source).toBe('$LEAKSCOPE_SECRET_KEY');
    expect(() => SecretKey.load(tmp(), { LEAKSCOPE_SECRET_KEY: 'c2hvcnQ=' }, true)).toThrow(/32 bytes/);
  });

  it('an instance with another key refuses to start on the same store', async () => {
    const d = tmp();
    const store = SqliteStore.open(d);
    try {
      await new AuthService({ store: store.auth, key: SecretKey.load(d, {}, true).key, log: quiet() }).init();
      const other = new AuthService({ store: store.auth, key: SecretKey.load(tmp(), {}, true).key, log: quiet() });
      await expect(other.init()).rejects.toThrow(/every instance of a fleet needs the same key/);
    } finally {
      await store.close();
    }
  });
});

describe('passwords', () => {
  it('policy: 15-128 characters after NFKC, not common, not the name or "leakscope"', () => {
    expect(passwordProblem(PW.admin, 'ada')).toBeNull();
    expect(passwordProblem('ｆｕｌｌｗｉｄｔｈ ｐａｓｓ ｐｈｒａｓｅ', 'ada')).toBeNull();
    expect(passwordProblem('fourteen chars', 'ada')).toMatch(/at least 15/);
    expect(passwordProblem('é'.repeat(128) + 'x', 'ada')).toMatch(/at most 128/);
    expect(passwordProblem('1qaz2wsx3edc4rfv', 'ada')).toMatch(/commonly used/);
    expect(passwordProblem('QWERTYUIOP12345', 'ada')).toMatch(/commonly used/);
    expect(passwordProblem('margaret-the-great-1999', 'margaret')).toMatch(/user name/);
    expect(passwordProblem(undefined, 'ada')).toMatch(/required/);
  });

  it('unknown, invited and known users cost the same Argon2id verification', async () => {
    class Counting extends PasswordHasher {
      verifies = 0;
      override verify(phc: string, pw: string): Promise<boolean> {
        this.verifies++;
        return super.verify(phc, pw);
      }
    }
    const d = tmp();
    const store = SqliteStore.open(d);
    const hasher = new Counting();
    const svc = new AuthService({ store: store.auth, key: SecretKey.load(d, {}, true).key, log: quiet(), hasher });
    try {
      await svc.init();
      await svc.inviteUser('test', 'invited', 'viewer', 'http://x');
      const link = await svc.createSetupLink('http://x');
      await svc.completeSetup(new URL(link.url).hash.slice(7), 'ada', PW.admin, { ip: '127.0.0.1', userAgent: 't' }).catch(() => undefined);
      const ctx = { ip: '127.0.0.2', userAgent: 't' };
      const costs: Record<string, number> = {};
      for (const name of ['nobody', 'invited', 'ada']) {
        const before = hasher.verifies;
        const e = await svc.login(name, 'a wrong password here', ctx).catch((x: AuthError) => x);
        expect(e).toBeInstanceOf(AuthError);
        expect((e as AuthError).message).toBe('Incorrect user name or password.');
        costs[name] = hasher.verifies - before;
      }
      expect(costs).toEqual({ nobody: 1, invited: 1, ada: 1 });
    } finally {
      svc.audit.close();
      await store.close();
    }
  });

  it('the hashing queue is bounded: beyond it callers get "busy", not an unbounded wait', async () => {
    const h = new PasswordHasher(1, 1);
    const first = h.hash(PW.admin);
    const second = h.hash(PW.admin);
    await expect(h.hash(PW.admin)).rejects.toBeInstanceOf(HasherBusyError);
    expect(await h.verify(await first, PW.admin)).toBe(true);
    expect(await h.verify(await second, PW.viewer)).toBe(false);
  });
});

describe('TOTP and recovery codes', () => {
  it('accepts the current step and one either side, nothing further', () => {
    const secret = newTotpSecret();
    const t = Date.UTC(2026, 0, 5, 9, 0, 10);
    const step = totpStep(t);
    expect(matchTotp(secret, totpCode(secret, t), t)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, t - 30_000), t)).toBe(step - 1);
    expect(matchTotp(secret, totpCode(secret, t + 30_000), t)).toBe(step + 1);
    expect(matchTotp(secret, totpCode(secret, t - 60_000), t)).toBeNull();
    expect(matchTotp(secret, totpCode(secret, t + 60_000), t)).toBeNull();
  });

  it('recovery codes carry 120 bits and are forgiving to type', () => {
    const c = newRecoveryCode();
    expect(c).toMatch(/^([A-Z2-7]{4}-){5}[A-Z2-7]{4}$/);
    expect(normalizeRecoveryCode(c.toLowerCase().replace(/-/g, ' '))).toBe(c.replace(/-/g, ''));
    expect(normalizeRecoveryCode('OIBA-AAAA-AAAA-AAAA-AAAA-AAAA')).toBe(normalizeRecoveryCode('01 8A AAAA AAAA AAAA AAAA AAAA'));
    expect(normalizeRecoveryCode('too-short')).toBeNull();
    expect(new Set(Array.from({ length: 200 }, newRecoveryCode)).size).toBe(200);
  });
});

describe('TLS', () => {
  const hasOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasOpenssl)('serves HSTS and the security headers under TLS', async () => {
    const d = tmp();
    const key = path.join(d, 'tls.key');
    const cert = path.join(d, 'tls.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const store = SqliteStore.open(d);
    const app = await createServer({ store, metrics: new MonitorMetrics(), log: quiet(), tls: { certFile: cert, keyFile: key }, allowedHosts: [] });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(url.startsWith('https://')).toBe(true);
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        https.get(`${url}/healthz`, { rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.headers);
        }).on('error', reject);
      });
      expect(headers['strict-transport-security']).toBe('max-age=31536000');
      expect(String(headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
