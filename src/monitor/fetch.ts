/**
 * @fileoverview Fetching one profile from a target's net/http/pprof endpoint for the
 * monitor. Unlike `profiles/fetch.ts` (one-shot CLI reads) this keeps connections alive
 * across scrapes (one agent per target), supports per-target TLS and credentials, and
 * returns the body *as served* (net/http/pprof gzips `debug=0` protobufs, see
 * runtime/pprof/proto.go), so the store can keep it compressed without re-encoding.
 *
 * Bounded by construction: one deadline covers connect, headers and body; the body is cut
 * at `maxBytes` (after any Content-Encoding is decoded); the readers then cap gzip
 * expansion. A failure is a {@link ScrapeError} with a one-line reason that never contains
 * a credential.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { resolveCredential, type TargetSpec } from './config.js';

/** Why a scrape failed: `down`, `timeout`, `http`, `not-found`, `too-large`, `not-a-profile`, `parse`, `credential`. */
export type ScrapeErrorKind = 'down' | 'timeout' | 'http' | 'not-found' | 'too-large' | 'not-a-profile' | 'parse' | 'credential';

/** A failed scrape with its reason. */
export class ScrapeError extends Error {
  override readonly name = 'ScrapeError';
  constructor(
    readonly kind: ScrapeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A fetched body. */
export interface Fetched {
  body: Buffer;
  /** Bytes received on the wire. */
  wireBytes: number;
  contentType: string;
}

const agents = new WeakMap<TargetSpec, http.Agent>();

function agentFor(t: TargetSpec): http.Agent {
  let a = agents.get(t);
  if (a) return a;
  if (t.url.startsWith('https:')) {
    const tls = t.tls ?? {};
    a = new https.Agent({
      keepAlive: true,
      maxSockets: 2,
      ...(tls.caFile ? { ca: fs.readFileSync(tls.caFile) } : {}),
      ...(tls.certFile ? { cert: fs.readFileSync(tls.certFile) } : {}),
      ...(tls.keyFile ? { key: fs.readFileSync(tls.keyFile) } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      rejectUnauthorized: !tls.insecureSkipVerify,
    });
  } else a = new http.Agent({ keepAlive: true, maxSockets: 2 });
  agents.set(t, a);
  return a;
}

/** Closes the keep-alive connections of a target (when it is removed). */
export function releaseAgent(t: TargetSpec): void {
  agents.get(t)?.destroy();
  agents.delete(t);
}

/** Builds request headers, resolving credentials now (never stored resolved). */
function headersFor(t: TargetSpec, env: Record<string, string | undefined>): Record<string, string> {
  const h: Record<string, string> = { 'user-agent': 'leakscope-monitor', 'accept-encoding': 'gzip' };
  try {
    for (const [k, v] of Object.entries(t.headers)) h[k] = resolveCredential(v, env);
    if (t.bearerToken) h.authorization = `Bearer ${resolveCredential(t.bearerToken, env)}`;
    if (t.basicAuth) h.authorization = `Basic ${Buffer.from(`${t.basicAuth.username}:${resolveCredential(t.basicAuth.password, env)}`).toString('base64')}`;
  } catch (e) {
    throw new ScrapeError('credential', `credential unavailable: ${(e as Error).message}`);
  }
  return h;
}

function netReason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the target';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve host';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return e.code ? `request failed (${e.code})` : `request failed: ${e.message.split('\n')[0]}`;
  }
}

/**
 * GETs `t.url + t.pathPrefix + path` (path like `/goroutine?debug=0`). Resolves with the
 * body as served; rejects with {@link ScrapeError}.
 */
export function fetchProfile(t: TargetSpec, path: string, timeoutMs: number, maxBytes: number, env: Record<string, string | undefined> = process.env): Promise<Fetched> {
  const url = new URL(t.url + (t.pathPrefix === '/' ? '' : t.pathPrefix) + path);
  const headers = headersFor(t, env);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<Fetched>((resolve, reject) => {
    let done = false;
    const finish = (e: ScrapeError | null, v?: Fetched) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (e) {
        req.destroy();
        reject(e);
      } else resolve(v!);
    };
    const timer = setTimeout(() => finish(new ScrapeError('timeout', `timed out after ${timeoutMs}ms`)), timeoutMs);
    const req = mod.get(url, { headers, agent: agentFor(t) }, (res) => {
      const status = res.statusCode ?? 0;
      const type = String(res.headers['content-type'] ?? '');
      if (status === 404) {
        res.resume();
        return finish(new ScrapeError('not-found', `HTTP 404 for ${url.pathname}`));
      }
      if (status < 200 || status >= 300) {
        res.resume();
        const hint = status === 401 || status === 403 ? ' (check the target\'s credentials)' : '';
        return finish(new ScrapeError('http', `HTTP ${status}${res.statusMessage ? ' ' + res.statusMessage : ''}${hint}`));
      }
      if (/text\/html/i.test(type)) {
        res.resume();
        return finish(new ScrapeError('not-a-profile', 'the target answered with an HTML page, not a profile (wrong path prefix, or a login page?)'));
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.resume();
        return finish(new ScrapeError('too-large', `response of ${declared} bytes exceeds the ${maxBytes}-byte limit`));
      }
      const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
      let body: NodeJS.ReadableStream = res;
      let wire = 0;
      res.on('data', (c: Buffer) => (wire += c.length));
      if (enc === 'gzip' || enc === 'x-gzip') body = res.pipe(zlib.createGunzip());
      else if (enc === 'deflate') body = res.pipe(zlib.createInflate());
      const parts: Buffer[] = [];
      let n = 0;
      body.on('data', (c: Buffer) => {
        n += c.length;
        if (n > maxBytes) {
          finish(new ScrapeError('too-large', `response larger than the ${maxBytes}-byte limit`));
          res.destroy();
          return;
        }
        parts.push(c);
      });
      body.on('error', (e: Error) => finish(new ScrapeError('parse', `corrupt ${enc} encoding: ${e.message}`)));
      res.on('error', (e: NodeJS.ErrnoException) => finish(new ScrapeError('down', netReason(e))));
      body.on('end', () => {
        if (!res.complete) return finish(new ScrapeError('down', 'connection closed before the response was complete'));
        finish(null, { body: Buffer.concat(parts), wireBytes: wire, contentType: type });
      });
      res.on('aborted', () => finish(new ScrapeError('down', 'connection closed before the response was complete')));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(new ScrapeError('down', netReason(e))));
  });
}
