/**
 * The dashboard's only way to the server: same-origin `fetch` of the JSON API under `/api/v1`,
 * with the CSRF token of the current session on every state change (`x-csrf-token`, see
 * src/server/auth/http.ts) and one error type carrying the server's `{error: {code, message}}`.
 * A 401 on a data request means the session ended mid-page: the app goes to the sign-in page
 * and comes back to the same URL afterwards (`onSessionEnded`).
 */
import type { AlertRow, GroupInfo, SilenceRow, TargetStatus } from '../../src/monitor/store/rows.js';
import type { Frame as ProfileFrame } from '../../src/profiles/model.js';

/** An error answered by the server (or the network), with its code and a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What `GET /api/v1/auth/session` and every sign-in step answer. */
export interface SessionStatus {
  authenticated: boolean;
  state: 'password' | 'mfa' | 'enrol' | 'full' | null;
  user: { id: number; name: string; role: 'admin' | 'viewer'; mfaEnrolled: boolean; recoveryCodesLeft: number | null } | null;
  session: { id: number; expiresAt: number; idleTimeoutMs: number; reauthUntil: number | null } | null;
  setupRequired: boolean;
  csrfToken: string;
}

let csrfToken = '';
let sessionEnded: (() => void) | null = null;

/** Registers what happens when a request finds the session gone (401 session_expired/unauthenticated). */
export function onSessionEnded(f: () => void): void {
  sessionEnded = f;
}

/** Keeps the CSRF token of the latest auth answer. */
export function rememberCsrf(s: { csrfToken?: string }): void {
  if (typeof s.csrfToken === 'string') csrfToken = s.csrfToken;
}

async function request<T>(method: string, path: string, body?: unknown, opts: { raw?: boolean; auth?: boolean; retried?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'The leakscope server does not answer. Is `leakscope monitor` still running?');
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    const e = new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? `The server answered ${res.status} ${res.statusText}.`);
    // A token from before the session changed (signed out elsewhere, expired): fetch a fresh
    // one (GET /auth/session answers with it) and send the request once more.
    if (res.status === 403 && e.code === 'csrf_failed' && !opts.retried) {
      await request('GET', '/api/v1/auth/session', undefined, { auth: true, retried: true });
      return request<T>(method, path, body, { ...opts, retried: true });
    }
    if (res.status === 401 && !opts.auth && (e.code === 'session_expired' || e.code === 'unauthenticated' || e.code === 'mfa_required')) sessionEnded?.();
    throw e;
  }
  if (json && typeof json === 'object') rememberCsrf(json as { csrfToken?: string });
  return (opts.raw ? text : json) as T;
}

/** GET a JSON API path (`/api/v1/...`). */
export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
/** POST JSON. */
export const post = <T>(path: string, body: unknown = {}, auth = false): Promise<T> => request<T>('POST', path, body, { auth });
/** PUT JSON. */
export const put = <T>(path: string, body: unknown = {}): Promise<T> => request<T>('PUT', path, body);
/** DELETE. */
export const del = <T>(path: string): Promise<T> => request<T>('DELETE', path);
/** GET as text (Markdown summaries). */
export const getText = (path: string): Promise<string> => request<string>('GET', path, undefined, { raw: true });
/** The session status (never redirects). */
export const session = (): Promise<SessionStatus> => request<SessionStatus>('GET', '/api/v1/auth/session', undefined, { auth: true });

// ---- API shapes: the store's rows (src/monitor/store/rows.ts), as the server sends them -------

/** A stack frame (src/profiles/model.ts). */
export type Frame = Pick<ProfileFrame, 'function' | 'file' | 'line'>;
/** The status of the last scrape of one profile kind. */
export type LastScrape = NonNullable<TargetStatus['lastScrape']['goroutine']>;
/** A target with the status of its last scrapes (`GET /api/v1/targets`). */
export type Target = TargetStatus;
/** `[ts, value, segment]` */
export type Point = [number, number, number | null];
/** A goroutine group at one scrape (`/api/v1/targets/:id/goroutines`). */
export type Group = GroupInfo;
/** An alert with the silence that mutes it, if any (src/server/index.ts adds `silencedBy`). */
export type Alert = AlertRow & { silencedBy: number | null };
/** A silence (Alertmanager-style matchers). */
export type Silence = SilenceRow;
