/**
 * @fileoverview Password policy and hashing (issue 16, OWASP ASVS 5.0 §6.2, OWASP Password
 * Storage cheat sheet).
 *
 * - Argon2id, m = 19456 KiB, t = 2, p = 1, 16-byte random salt (the cheat sheet's first
 *   configuration) through `@node-rs/argon2` (prebuilt, no install script). Each hash costs
 *   ~20 MiB and ~80 ms of a libuv worker; at most {@link HASH_CONCURRENCY} run at once and
 *   at most {@link HASH_QUEUE} wait, beyond that the server answers 503 instead of queueing
 *   without bound (a flood of sign-ins cannot exhaust memory).
 * - Length 15 to 128 characters after Unicode NFKC normalisation (ASVS 6.2.1, 6.2.9; NIST SP
 *   800-63B §5.1.1.2), no composition rules (6.2.5), refused when it is on the bundled list
 *   of common passwords (6.2.4) or contains the user name or "leakscope" (6.2.11).
 * - Unknown users cost a verification against a dummy hash, so the time of a sign-in does
 *   not tell whether the name exists (6.3.8).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { hash as argonHash, verify as argonVerify, type Algorithm } from '@node-rs/argon2';

/** Shortest accepted password (characters). */
export const PASSWORD_MIN = 15;
/** Longest accepted password (characters). */
export const PASSWORD_MAX = 128;
/** Argon2id hashes computed at once. */
export const HASH_CONCURRENCY = 2;
/** Hash requests that may wait for a slot. */
export const HASH_QUEUE = 64;

const ARGON2 = { algorithm: 2 as Algorithm /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** The hashing queue is full. */
export class HasherBusyError extends Error {
  override readonly name = 'HasherBusyError';
}

let common: Set<string> | undefined;

/** The bundled common-password list (lower-cased), loaded once. */
export function commonPasswords(): Set<string> {
  if (common) return common;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'common-passwords.txt'), path.join(here, '..', '..', '..', '..', 'src', 'server', 'auth', 'common-passwords.txt')];
  const file = candidates.find((p) => fs.existsSync(p));
  if (!file) throw new Error(`the bundled common-password list is missing (looked in ${candidates.join(', ')})`);
  common = new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('# ')),
  );
  return common;
}

/** NFKC form of a password (what is checked and hashed). */
export function normalizePassword(pw: string): string {
  return pw.normalize('NFKC');
}

/**
 * Checks a new password against the policy. Returns a message for the user, or null when
 * it is acceptable. The message never repeats the password.
 */
export function passwordProblem(password: unknown, username: string): string | null {
  if (typeof password !== 'string') return 'A password is required.';
  const pw = normalizePassword(password);
  const len = [...pw].length;
  if (len < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters (a few unrelated words make a strong, memorable password).`;
  if (len > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = pw.toLowerCase();
  if (new Set(lower).size <= 2) return 'That password repeats the same characters; choose a less predictable one.';
  if (commonPasswords().has(lower)) return 'That password is on a list of commonly used passwords; choose another.';
  const name = username.toLowerCase();
  if ((name.length >= 4 && lower.includes(name)) || lower.includes('leakscope')) return 'The password must not contain your user name or "leakscope".';
  return null;
}

/** Argon2id hashing with a concurrency cap. */
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummy: Promise<string> | undefined;

  constructor(
    private readonly concurrency = HASH_CONCURRENCY,
    private readonly queue = HASH_QUEUE,
  ) {}

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new HasherBusyError('too many password checks in progress');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** PHC string of an Argon2id hash of the normalised password. */
  hash(password: string): Promise<string> {
    return this.slot(() => argonHash(normalizePassword(password), { ...ARGON2, salt: randomBytes(16) }));
  }

  /** True when `password` matches the PHC string. */
  verify(phc: string, password: string): Promise<boolean> {
    return this.slot(async () => {
      try {
        return await argonVerify(phc, normalizePassword(password));
      } catch {
        return false;
      }
    });
  }

  /** Spends the same work as {@link verify} and returns false (unknown or disabled users). */
  async dummyVerify(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64'));
    await this.verify(await this.dummy, password);
    return false;
  }
}
