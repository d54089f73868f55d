/**
 * @fileoverview Where profile bytes come from for `leakscope goroutines | heap |
 * diff | trend`: a file path, `-` for standard input, or an `http(s)://` URL
 * (normally a `net/http/pprof` endpoint such as
 * `http://127.0.0.1:6060/debug/pprof/goroutine?debug=2`).
 *
 * This is the only part of the profile layer that touches the filesystem, the
 * process or the network; the readers in this directory stay pure. Every
 * failure is a {@link SourceError} whose message is one line that names the
 * source, so the CLI can print it and exit 2.
 *
 * HTTP details:
 * - URLs are fetched as given (`?debug=N`, `?seconds=N`, `?gc=1` are passed
 *   through untouched); redirects are followed (at most 5).
 * - `--timeout` bounds the whole exchange (connect, headers and body), not
 *   just idle time: a `debug=2` dump of a big program takes a while to write,
 *   so the default is 30 s.
 * - The body is capped at `maxBytes` after any `Content-Encoding` is decoded
 *   (gzip/deflate/br via node:zlib); gzip inside the body itself (what
 *   net/http/pprof serves for `debug=0`, see runtime/pprof/proto.go) is left to
 *   the readers, which detect it by its magic number and cap it too.
 * - A non-2xx status is an error with the status line (and the first line of
 *   a short text body, e.g. net/http/pprof's "Unknown profile").
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** A source that cannot be read: the message is one line starting with the source name. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

/** Options for {@link openSource} and {@link readSource}. */
export interface FetchOptions {
  /** Deadline for the whole HTTP exchange in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Maximum body size in bytes for any source (default 1 GiB). */
  maxBytes?: number;
  /** Directory relative file paths are resolved against (default `process.cwd()`). */
  cwd?: string;
  /** Standard input for `-` (default `process.stdin`). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Extra request headers (e.g. an `Authorization` header taken from the environment). */
  headers?: Record<string, string>;
}

/** Default deadline for URL sources. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default body cap: 1 GiB (a debug=2 dump is at most 64 MiB, see runtime/pprof DEBUG2 cap). */
export const DEFAULT_MAX_BYTES = 1 << 30;

const MAX_REDIRECTS = 5;

/** True when `src` is an `http://` or `https://` URL. */
export function isUrl(src: string): boolean {
  return /^https?:\/\//i.test(src);
}

/** Display name of a source: the URL as given, `<stdin>` for `-`, else the path as given. */
export function sourceName(src: string): string {
  return src === '-' ? '<stdin>' : src;
}

/** An opened source: its display name and its bytes as a stream of chunks. */
export interface OpenedSource {
  name: string;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Opens a source for streaming. For URLs the request is made and its status
 * checked before this resolves, so HTTP errors surface here; body errors
 * (timeout, size cap, reset) surface while iterating `chunks`.
 */
export async function openSource(src: string, options: FetchOptions = {}): Promise<OpenedSource> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const name = sourceName(src);
  if (src === '-') {
    const input = options.stdin ?? (process.stdin as AsyncIterable<Uint8Array | string>);
    return { name, chunks: capped(input, name, maxBytes) };
  }
  if (isUrl(src)) return openUrl(src, options);
  const file = path.resolve(options.cwd ?? process.cwd(), src);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new SourceError(name, fsReason(e));
  }
  if (st.isDirectory()) throw new SourceError(name, 'is a directory, not a profile file');
  // Open now so a permission error is reported before any output is produced.
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new SourceError(name, fsReason(e));
  }
  const stream = fs.createReadStream('', { fd, highWaterMark: 1 << 20 });
  return { name, chunks: capped(wrapStream(stream, name), name, maxBytes) };
}

/** Reads a whole source into memory (under the same caps as {@link openSource}). */
export async function readSource(src: string, options: FetchOptions = {}): Promise<{ name: string; bytes: Uint8Array }> {
  const { name, chunks } = await openSource(src, options);
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return { name, bytes: Buffer.concat(parts) };
}

function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a profile file';
  return `cannot read: ${code ?? (e as Error).message}`;
}

/** Human-readable reason for a network error code. */
function netReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { hostname?: string };
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the program running and serving net/http/pprof on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host${err.hostname ? ` "${err.hostname}"` : ''}`;
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'TLS handshake failed (does the server speak plain HTTP? then use http://)';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate error (${err.code})`;
    default:
      return `request failed: ${oneLine(err.code ?? err.message)}`;
  }
}

function oneLine(s: string, max = 120): string {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > max ? l.slice(0, max - 1) + '…' : l;
}

async function* wrapStream(stream: Readable, name: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of stream) yield typeof c === 'string' ? Buffer.from(c) : (c as Uint8Array);
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(name, fsReason(e));
  }
}

async function* capped(input: AsyncIterable<Uint8Array | string>, name: string, max: number): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const c of input) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    n += b.length;
    if (n > max) throw new SourceError(name, `input larger than ${max} bytes (raise --max-bytes if this is really a profile)`);
    yield b;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Makes the request (following redirects) and resolves with the response once
 * its status is known to be 2xx. One deadline covers the whole exchange.
 */
async function openUrl(src: string, options: FetchOptions): Promise<OpenedSource> {
  const name = src;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new SourceError(name, 'invalid URL');
  }
  let timedOut = false;
  let current: http.ClientRequest | undefined;
  let currentRes: http.IncomingMessage | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    current?.destroy();
    currentRes?.destroy();
  }, timeoutMs);
  timer.unref();
  const timeoutError = () => new SourceError(name, `timed out after ${formatMs(timeoutMs)} (raise --timeout; debug=2 dumps of big programs take a while)`);

  const request = (u: URL): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const mod = u.protocol === 'https:' ? https : http;
      const req = mod.get(u, { headers: { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'leakscope', ...options.headers } }, resolve);
      current = req;
      req.on('error', (e) => reject(timedOut ? timeoutError() : new SourceError(name, netReason(e))));
    });

  let res: http.IncomingMessage;
  try {
    let u = url;
    for (let hop = 0; ; hop++) {
      res = await request(u);
      currentRes = res;
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop >= MAX_REDIRECTS) throw new SourceError(name, `too many redirects (last to ${res.headers.location})`);
        u = new URL(res.headers.location, u);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourceError(name, `redirect to unsupported URL ${u.href}`);
        continue;
      }
      if (status < 200 || status >= 300) {
        const detail = await shortBody(res);
        throw new SourceError(name, `HTTP ${status}${res.statusMessage ? ' ' + res.statusMessage : ''}${detail ? `: ${detail}` : ''}`);
      }
      break;
    }
  } catch (e) {
    clearTimeout(timer);
    if (timedOut) throw timeoutError();
    throw e;
  }

  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase().trim();
  let body: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') body = res.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') body = res.pipe(zlib.createInflate());
  else if (encoding === 'br') body = res.pipe(zlib.createBrotliDecompress());
  if (body !== res) res.on('error', (e) => body.destroy(e));

  async function* chunks(): AsyncGenerator<Uint8Array> {
    let n = 0;
    try {
      for await (const c of body) {
        const b = c as Uint8Array;
        n += b.length;
        if (n > maxBytes) throw new SourceError(name, `response body larger than ${maxBytes} bytes (raise --max-bytes if this is really a profile)`);
        yield b;
      }
      if (timedOut) throw timeoutError();
      if (!res.complete) throw new SourceError(name, 'connection closed before the response was complete');
    } catch (e) {
      if (timedOut) throw timeoutError();
      if (e instanceof SourceError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code?.startsWith('Z_')) throw new SourceError(name, `corrupt ${encoding} Content-Encoding: ${oneLine((e as Error).message)}`);
      throw new SourceError(name, netReason(e));
    } finally {
      clearTimeout(timer);
      res.destroy();
    }
  }
  return { name, chunks: chunks() };
}

/** First line of a short text error body (at most 4 KiB read), or ''. */
async function shortBody(res: http.IncomingMessage): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (/html/i.test(type)) {
    res.destroy();
    return 'an HTML page';
  }
  let got = '';
  try {
    for await (const c of res) {
      got += Buffer.from(c as Uint8Array).toString('utf8');
      if (got.length >= 4096) break;
    }
  } catch {
    // the status is what matters
  }
  res.destroy();
  if (/^\s*</.test(got)) return 'an HTML page';
  const first = got.split('\n').find((l) => l.trim() !== '') ?? '';
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008]/.test(first) ? '' : oneLine(first, 100);
}
