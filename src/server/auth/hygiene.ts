/**
 * @fileoverview Request hygiene of the leakscope server (issue 16 §7): the `Host` check
 * against DNS rebinding, the same-origin check of state-changing requests, and the security
 * headers (via `@fastify/helmet`).
 *
 * - **Host**: a page on an attacker's domain that re-resolves to 127.0.0.1 (DNS rebinding)
 *   reaches a loopback server with its own name in `Host`. A server bound to loopback answers
 *   only `localhost`, `127.0.0.0/8`, `[::1]` and the names in `server.allowed-hosts`; any
 *   server with `allowed-hosts` set answers only those (plus loopback literals).
 * - **Origin**: a POST/PUT/PATCH/DELETE that does not carry an API token must come from the
 *   server's own origin: `Origin` equal to `<scheme>://<host>` as the server sees them (behind
 *   a proxy: `X-Forwarded-Proto`/`-Host` from `server.trust-proxy` addresses), or, without
 *   `Origin`, `Sec-Fetch-Site: same-origin`. A request with neither is refused: browsers send
 *   at least one on every such request, scripts use tokens. (OWASP CSRF cheat sheet, "Verifying
 *   origin with standard headers" and "Fetch Metadata"; ASVS 5.0 3.5.1.) The CSRF token check
 *   comes on top (`http.ts`).
 */
import net from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';

/** Methods that never change state. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host name of a `Host` header value (without port, brackets kept off), lower-cased. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const i = h.lastIndexOf(':');
  return i > 0 && h.indexOf(':') === i ? h.slice(0, i) : h;
}

function loopbackName(name: string): boolean {
  if (name === 'localhost') return true;
  if (net.isIPv4(name)) return name.startsWith('127.');
  return name === '::1';
}

/** True when the `Host` header names this server. */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (!host) return false;
  const name = hostName(host);
  return loopbackName(name) || allowed.some((a) => a.toLowerCase() === name);
}

/**
 * Why a state-changing request is not same-origin, or null when it is. `req.protocol` and
 * `req.host` honour `trustProxy`.
 */
export function crossOriginReason(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const expected = `${req.protocol}://${req.host}`.toLowerCase();
    return origin.toLowerCase() === expected ? null : 'origin_mismatch';
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' ? null : 'cross_site';
  return 'no_origin';
}

/** Security headers: CSP `default-src 'self'`, no framing, no sniffing, no referrer, HSTS under TLS. */
export async function registerSecurityHeaders(app: FastifyInstance, tls: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The TOTP enrolment QR code may be shown as a data: URL.
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
}
