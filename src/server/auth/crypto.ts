/**
 * @fileoverview Secrets for the accounts of the leakscope server (issue 16): random
 * identifiers, SHA-256 fingerprints, constant-time comparison, and the server's secret key.
 *
 * The secret key (32 random bytes) is kept **outside the database**: in
 * `<data-dir>/secret.key` (created with mode 0600; refused when group or others can read
 * it) or in the environment variable `LEAKSCOPE_SECRET_KEY` (base64 or hex). Sub-keys are
 * derived with HKDF-SHA256 (RFC 5869), one per purpose. With it the store holds nothing a
 * reader of the database could use:
 *
 * - TOTP secrets and Argon2id password hashes are sealed with AES-256-GCM (NIST SP 800-38D,
 *   96-bit random IV), the row they belong to bound as additional data, so a sealed value
 *   copied to another row does not open (OWASP Password Storage cheat sheet, "peppering").
 * - session ids, API tokens, set-up and invitation tokens and recovery codes have at least
 *   120 bits of entropy and are stored as SHA-256 (a password hash adds nothing at that
 *   entropy; OWASP ASVS 5.0 6.5.2 asks for one only below 112 bits).
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `n` random bytes as base64url (no padding). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a string as lowercase hex. */
export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The secret key is unusable (bad permissions, bad format, does not match the store). */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** File name of the key in the data directory. */
export const KEY_FILE = 'secret.key';
/** Environment variable that holds the key instead of the file. */
export const KEY_ENV = 'LEAKSCOPE_SECRET_KEY';

function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) throw new SecretKeyError(`${where} must hold 32 bytes as base64 or hex (e.g. the output of "openssl rand -base64 32"), got ${buf.length} bytes`);
  return buf;
}

/** The server's secret key and what is derived from it. */
export class SecretKey {
  private readonly sub = new Map<string, Buffer>();

  /** @param key 32 bytes. */
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretKeyError('the secret key must be 32 bytes');
  }

  /**
   * Loads the key from `LEAKSCOPE_SECRET_KEY`, else from `<dataDir>/secret.key`, creating
   * the file (mode 0600, exclusively) when `create` and it does not exist.
   */
  static load(dataDir: string, env: Record<string, string | undefined>, create: boolean): { key: SecretKey; source: string; created: boolean } {
    const fromEnv = env[KEY_ENV];
    if (fromEnv !== undefined && fromEnv !== '') return { key: new SecretKey(decodeKey(fromEnv, KEY_ENV)), source: `$${KEY_ENV}`, created: false };
    const file = path.join(dataDir, KEY_FILE);
    let created = false;
    if (!fs.existsSync(file)) {
      if (!create) throw new SecretKeyError(`no secret key: neither ${KEY_ENV} is set nor ${file} exists`);
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      try {
        fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
        created = true;
      } catch (e) {
        // Another instance created it first: read theirs.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new SecretKeyError(`cannot create ${file}: ${(e as Error).message}`);
      }
    }
    const st = fs.statSync(file);
    if ((st.mode & 0o077) !== 0) {
      throw new SecretKeyError(`${file} is readable by other users (mode ${(st.mode & 0o777).toString(8)}); run "chmod 600 ${file}"`);
    }
    return { key: new SecretKey(decodeKey(fs.readFileSync(file, 'utf8'), file)), source: file, created };
  }

  /** A 32-byte sub-key for one purpose (HKDF-SHA256, RFC 5869). */
  derive(purpose: string): Buffer {
    let k = this.sub.get(purpose);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `leakscope/${purpose}`, 32));
      this.sub.set(purpose, k);
    }
    return k;
  }

  /** AES-256-GCM seal of `plain`, bound to `aad`: `v1.<base64url(iv | tag | ciphertext)>`. */
  seal(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.derive('seal'), iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return 'v1.' + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url');
  }

  /** Opens a {@link seal}ed value; throws {@link SecretKeyError} when the key or `aad` differ. */
  open(sealed: string, aad: string): string {
    if (!sealed.startsWith('v1.')) throw new SecretKeyError('unknown sealed value format');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    if (raw.length < 28) throw new SecretKeyError('sealed value is truncated');
    const d = createDecipheriv('aes-256-gcm', this.derive('seal'), raw.subarray(0, 12));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError('a sealed value does not open with this secret key');
    }
  }
}
