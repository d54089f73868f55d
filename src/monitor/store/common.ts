/**
 * @fileoverview Pieces shared by the SQLite and PostgreSQL stores: stack interning keys,
 * row decoding, the read-only query guard and down-sampling helpers.
 */
import { createHash } from 'node:crypto';
import type { Frame } from '../../profiles/model.js';
import { QueryRefusedError, type AlertRow, type SeriesPoint, type SilenceRow, type StoredProfile, type TargetStatus } from './types.js';

/** `function file:line`, one per line: the text form of a stack kept for SQL hunting. */
export function stackText(frames: readonly Frame[]): string {
  return frames.map((f) => `${f.function} ${f.file}:${f.line}`).join('\n');
}

/** Hash of a frame list (the stack identity). */
export function stackHash(frames: readonly Frame[]): string {
  return createHash('sha1').update(stackText(frames)).digest('hex').slice(0, 32);
}

/** Key of a frame for interning caches. */
export function frameKey(f: Frame): string {
  return `${f.function}\u0000${f.file}\u0000${f.line}`;
}

/**
 * Statements `leakscope query` accepts: a single SELECT / WITH / VALUES / EXPLAIN / TABLE.
 * The store also runs them on a read-only connection or in a READ ONLY transaction, so this
 * is the first of two locks, the one that gives the clear message.
 */
export function checkReadOnlySql(sql: string): string {
  const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim().replace(/;\s*$/, '');
  if (stripped === '') throw new QueryRefusedError('empty query');
  const first = /^[a-z]+/i.exec(stripped)?.[0]?.toLowerCase() ?? '';
  if (!['select', 'with', 'values', 'explain', 'table'].includes(first)) {
    throw new QueryRefusedError(`only read-only queries are allowed (SELECT, WITH, VALUES, EXPLAIN); "${first.toUpperCase() || stripped.slice(0, 20)}" is refused`);
  }
  if (/;\s*\S/.test(stripCompositeStrings(stripped))) throw new QueryRefusedError('only a single statement is allowed');
  return stripped;
}

/** Removes quoted strings and identifiers so a `;` inside them does not count. */
function stripCompositeStrings(s: string): string {
  return s.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, "''");
}

/** JSON.parse with a fallback for NULL columns. */
export function json<T>(s: unknown, fallback: T): T {
  if (s === null || s === undefined || s === '') return fallback;
  try {
    return JSON.parse(String(s)) as T;
  } catch {
    return fallback;
  }
}

/** A nullable numeric column as a number or null. */
export function optNum(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** Decodes an alert row from either database (snake_case columns). */
export function alertFromRow(r: Record<string, unknown>): AlertRow {
  const n = optNum;
  return {
    id: Number(r.id),
    fingerprint: String(r.fingerprint),
    rule: String(r.rule),
    targetId: Number(r.target_id),
    subject: String(r.subject),
    state: r.state as AlertRow['state'],
    severity: String(r.severity),
    summary: String(r.summary),
    labels: json(r.labels, {}),
    annotations: json(r.annotations, {}),
    details: json(r.details, {}),
    pendingCount: Number(r.pending_count),
    startedAt: Number(r.started_at),
    firedAt: n(r.fired_at),
    resolvedAt: n(r.resolved_at),
    reason: (r.reason as string | null) ?? null,
    lastEvalAt: Number(r.last_eval_at),
    lastSentAt: n(r.last_sent_at),
    notified: json(r.notified, [] as string[]),
    evidenceState: String(r.evidence_state ?? 'none'),
  };
}

/** Decodes a silence row. */
export function silenceFromRow(r: Record<string, unknown>): SilenceRow {
  return {
    id: Number(r.id),
    matchers: json(r.matchers, []),
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    createdBy: String(r.created_by ?? ''),
    comment: String(r.comment ?? ''),
    createdAt: Number(r.created_at),
  };
}

/** Column name -> SQL value for an alert patch (camelCase -> snake_case, JSON for objects). */
export function alertPatchColumns(patch: Partial<AlertRow>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const col = k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    out.push([col, typeof v === 'object' && v !== null ? JSON.stringify(v) : v]);
  }
  return out;
}

/** The columns of the alert table, in insert order. */
export const ALERT_COLUMNS = [
  'fingerprint', 'rule', 'target_id', 'subject', 'state', 'severity', 'summary', 'labels', 'annotations', 'details',
  'pending_count', 'started_at', 'fired_at', 'resolved_at', 'reason', 'last_eval_at', 'last_sent_at', 'notified', 'evidence_state',
] as const;

/** Values of an alert for {@link ALERT_COLUMNS}. */
export function alertValues(a: Omit<AlertRow, 'id'>): unknown[] {
  return [
    a.fingerprint, a.rule, a.targetId, a.subject, a.state, a.severity, a.summary, JSON.stringify(a.labels), JSON.stringify(a.annotations),
    JSON.stringify(a.details), a.pendingCount, a.startedAt, a.firedAt, a.resolvedAt, a.reason, a.lastEvalAt, a.lastSentAt,
    JSON.stringify(a.notified), a.evidenceState,
  ];
}

/** Median of integers, rounded (down-sampled counts stay integers). */
export function medianInt(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

/** Redacts the password of a postgres URL for logs. */
export function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return u.replace(/:[^:@/]+@/, ':***@');
  }
}

/** Decodes a target row and its latest scrapes (rows of `profile, ts, ok, error, total, duration_ms`). */
export function targetFromRow(r: Record<string, unknown>, last: readonly Record<string, unknown>[]): TargetStatus {
  const t: TargetStatus = {
    id: Number(r.id),
    key: String(r.key),
    job: String(r.job),
    instance: String(r.instance),
    url: String(r.url),
    labels: json(r.labels, {}),
    source: (r.source as string | null) ?? null,
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
    goneAt: r.gone_at === null || r.gone_at === undefined ? null : Number(r.gone_at),
    segment: Number(r.segment),
    lastScrape: {},
  };
  if ('owner' in r) t.owner = (r.owner as string | null) ?? null;
  for (const s of last) {
    t.lastScrape[s.profile as StoredProfile] = {
      ts: Number(s.ts),
      ok: !!Number(s.ok),
      error: (s.error as string | null) ?? null,
      total: s.total === null ? null : Number(s.total),
      durationMs: Number(s.duration_ms),
    };
  }
  return t;
}

/**
 * Per-target total series from the rollup rows and the raw scrape rows of many targets (each
 * ordered by target, then time), in the shape of `Store.totals`: rolled-up medians first (they
 * are older than any raw row left), then the raw points with their segment.
 */
export function mergeFleetTotals(
  roll: readonly { target_id: number | string; ts: number | string; total: number | string }[],
  raw: readonly { target_id: number | string; ts: number | string; total: number | string | null; segment: number | string }[],
): Map<number, SeriesPoint[]> {
  const out = new Map<number, SeriesPoint[]>();
  const series = (id: number | string) => {
    const k = Number(id);
    let s = out.get(k);
    if (!s) out.set(k, (s = []));
    return s;
  };
  for (const r of roll) series(r.target_id).push({ ts: Number(r.ts), value: Number(r.total) });
  for (const r of raw) series(r.target_id).push({ ts: Number(r.ts), value: Number(r.total ?? 0), segment: Number(r.segment) });
  return out;
}

/** A group's labels as stored: a JSON object, or null when there are none (most groups). */
export function labelsJson(labels: Readonly<Record<string, string>> | undefined): string | null {
  return labels && Object.keys(labels).length > 0 ? JSON.stringify(labels) : null;
}
