/**
 * @fileoverview Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second
 * steps) with the `otpauth` library, recovery codes, and the enrolment QR code.
 *
 * - A code is accepted for the current step and one step either side (RFC 6238 §6 allows a
 *   small window for clock drift and network delay), so a code lives at most ~90 s.
 * - Every accepted code is single use: the store keeps the last accepted step per user and
 *   accepts only a later one (ASVS 5.0 6.5.1; a replay is rejected and audited, 2.8.5).
 * - The QR code is drawn on the server as SVG (`uqr`), so the secret never leaves the origin
 *   (no chart service, no CDN).
 * - Recovery codes: 24 characters of RFC 4648 base32 (120 bits), shown as six groups of
 *   four; typing is forgiving (case, spaces, dashes, 0/O, 1/I, 8/B).
 */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { renderSVG } from 'uqr';

/** Seconds per TOTP step. */
export const TOTP_PERIOD = 30;
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;
/** Number of recovery codes per set. */
export const RECOVERY_CODES = 10;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A fresh 20-byte (160-bit, RFC 4226 §4 R6) TOTP secret in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretB32: string, account: string, issuer: string): TOTP {
  return new TOTP({ issuer, label: account, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, secret: Secret.fromBase32(secretB32) });
}

/** The `otpauth://totp/...` URI authenticator apps import. */
export function totpUri(secretB32: string, account: string, issuer = 'leakscope'): string {
  return totp(secretB32, account, issuer).toString();
}

/** The step (RFC 6238 T) at `nowMs`. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD);
}

/** The code for `nowMs` (tests and the CLI's self-check). */
export function totpCode(secretB32: string, nowMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretB32), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, timestamp: nowMs });
}

/** Digits of a typed code, or null when it is not six digits (spaces are ignored). */
export function normalizeCode(code: unknown): string | null {
  if (typeof code !== 'string') return null;
  const c = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(c) ? c : null;
}

/**
 * Checks a code. Returns the step it belongs to, or null when it matches no step in the
 * window. The caller enforces single use (step must be greater than the last accepted).
 */
export function matchTotp(secretB32: string, code: string, nowMs: number): number | null {
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(secretB32), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : totpStep(nowMs) + delta;
}

/** SVG markup of a QR code for `text`. */
export function qrSvg(text: string): string {
  return renderSVG(text, { ecc: 'M', border: 2 });
}

/** A new recovery code, formatted `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`. */
export function newRecoveryCode(): string {
  const b = randomBytes(24);
  let s = '';
  for (let i = 0; i < 24; i++) s += B32[b[i]! & 31];
  return s.match(/.{4}/g)!.join('-');
}

/** Canonical form of a typed recovery code, or null when it cannot be one. */
export function normalizeRecoveryCode(code: unknown): string | null {
  if (typeof code !== 'string' || code.length > 64) return null;
  const c = code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/0/g, 'O')
    .replace(/1/g, 'I')
    .replace(/8/g, 'B');
  return /^[A-Z2-7]{24}$/.test(c) ? c : null;
}
