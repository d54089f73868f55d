/**
 * @fileoverview The rows the store reads and writes, as plain types with no runtime dependency:
 * the store contract (types.ts) uses them, and the dashboard (ui/src/api.ts) imports them as the
 * shapes of the HTTP API, so the two cannot drift apart.
 *
 * Times are milliseconds since the epoch (integers) everywhere, in both databases.
 */
import type { Frame } from '../../profiles/model.js';

/** A profile kind as stored in `scrapes.profile`. */
export type StoredProfile = 'goroutine' | 'heap' | 'goroutineleak' | 'debug2';

/** Fencing token for writes on behalf of a leased target (fleet mode); ignored by SQLite. */
export interface Fence {
  owner: string;
  epoch: number;
}

/** A goroutine group observed in one scrape. */
export interface GroupRow {
  /** Hash of the grouping key (state, frames, creator): the group's identity across scrapes. */
  hash: string;
  state: string;
  frames: readonly Frame[];
  site: Frame;
  createdBy?: Frame;
  count: number;
  leaked: number;
  /** Longest wait in minutes (debug=2 only), else 0. */
  maxWait: number;
  /** pprof labels every member of the group carries (`pprof.Do`, `SetGoroutineLabels`); absent when none. */
  labels?: Readonly<Record<string, string>>;
}

/** A heap allocation site observed in one scrape. */
export interface HeapRow {
  site: Frame;
  inuseBytes: number;
  inuseObjects: number;
}

/** One scrape, successful or not, with what it produced. */
export interface ScrapeRecord {
  targetId: number;
  profile: StoredProfile;
  ts: number;
  ok: boolean;
  error?: string;
  durationMs: number;
  /** Goroutines (goroutine profiles), leaked goroutines (goroutineleak), in-use bytes (heap). */
  total?: number;
  segment: number;
  bytes: number;
  /** Raw profile as fetched (gzip when the target served gzip; otherwise gzipped by the collector). */
  blob?: Uint8Array;
  groups?: GroupRow[];
  heap?: HeapRow[];
}

/** A target as stored. */
export interface TargetRow {
  id: number;
  key: string;
  job: string;
  instance: string;
  url: string;
  labels: Record<string, string>;
  source: string | null;
  firstSeen: number;
  lastSeen: number;
  goneAt: number | null;
  segment: number;
}

/** Latest scrape facts per target and profile, for the API and `/metrics`. */
export interface TargetStatus extends TargetRow {
  lastScrape: Partial<Record<StoredProfile, { ts: number; ok: boolean; error: string | null; total: number | null; durationMs: number }>>;
  owner?: string | null;
}

/** A detector's finding for one target, kept current by the collector that owns the target. */
export interface Condition {
  targetId: number;
  /** `goroutine-growth`, `goroutine-concentration`, `goroutineleak`, `heap-growth`, `heap-step`, `known-leak`. */
  rule: string;
  /** What the condition is about: a group hash, a site `function file:line`, a signature id. */
  subject: string;
  active: boolean;
  since: number;
  updatedAt: number;
  severity: 'warning' | 'critical';
  summary: string;
  /** Detector statistics and the group/site description (JSON-serialisable). */
  details: Record<string, unknown>;
  /** Why an inactive condition ended: `recovered`, `restarted`. */
  endedReason?: string | null;
  segment: number;
}

/** Alert lifecycle states. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** An alert instance (a fingerprint may have several over time, one active at most). */
export interface AlertRow {
  id: number;
  fingerprint: string;
  rule: string;
  targetId: number;
  subject: string;
  state: AlertState;
  severity: string;
  summary: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  details: Record<string, unknown>;
  pendingCount: number;
  startedAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  reason: string | null;
  lastEvalAt: number;
  lastSentAt: number | null;
  /** Which notifications went out: `firing`, `resolved`. */
  notified: string[];
  /** `none`, `requested`, `ready`, `failed: <why>`. */
  evidenceState: string;
}

/** A silence: alerts whose labels match every matcher are not notified until `endsAt`. */
export interface SilenceRow {
  id: number;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  createdAt: number;
}

/** A point of a stored series. */
export interface SeriesPoint {
  ts: number;
  value: number;
  segment?: number;
}

/** Group samples of a target over a window: what the detectors rebuild their state from. */
export interface GroupHistory {
  scrapes: { ts: number; total: number; segment: number }[];
  /** group hash -> points */
  groups: Map<string, { state: string; site: Frame; frames: Frame[]; createdBy?: Frame; points: SeriesPoint[] }>;
}

/** A group as the API returns it. */
export interface GroupInfo {
  id: number;
  hash: string;
  state: string;
  site: Frame;
  frames: Frame[];
  createdBy: Frame | null;
  count: number;
  leaked: number;
  maxWait: number;
  /** pprof labels shared by every member in that scrape ({} when none). */
  labels: Record<string, string>;
}

/** Signature match bookkeeping. */
export interface SignatureMatchRow {
  targetId: number;
  job: string;
  instance: string;
  signature: string;
  firstSeen: number;
  lastSeen: number;
  maxCount: number;
  lastCount: number;
}

/** Result of a read-only query. */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}
