/**
 * @fileoverview The store contract shared by the embedded SQLite store and the PostgreSQL
 * fleet store. Everything the collector, the detectors, the alert evaluator, the HTTP API
 * and `leakscope query` need goes through this interface, so both back ends behave alike
 * and the server (issues 16 and 17: accounts, dashboard) can be built on it.
 *
 * Times are milliseconds since the epoch (integers) everywhere, in both databases.
 */
import type { Frame } from '../../profiles/model.js';
import type { AuthStore, QueryScope } from './auth.js';

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

/** A store error the caller may retry (database unavailable, disk full, busy). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** A fenced write was refused because the writer no longer holds the lease. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}

/** A query was refused (it writes, or it is not a single statement). */
export class QueryRefusedError extends Error {
  override readonly name = 'QueryRefusedError';
}

/** Lease bookkeeping of fleet mode. */
export interface LeaseState {
  /** target id -> epoch held by this collector */
  owned: Map<number, number>;
}

/** The store contract. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Human-readable location (path or URL without password). */
  readonly location: string;
  /** Users, sessions, tokens and the audit log (issue 16). */
  readonly auth: AuthStore;
  close(): Promise<void>;

  // --- collector identity -------------------------------------------------------------
  /** SQLite: take the single-collector lock (throws with a clear message if held). Postgres: register and heartbeat. */
  acquireCollector(id: string, host: string, pid: number): Promise<void>;
  heartbeat(id: string): Promise<void>;
  releaseCollector(id: string): Promise<void>;

  // --- targets and leases -------------------------------------------------------------
  upsertTargets(targets: readonly { key: string; job: string; instance: string; url: string; labels: Record<string, string>; source?: string }[], now: number): Promise<Map<string, number>>;
  /** Marks targets no longer configured (by key) as gone. */
  markGone(presentKeys: readonly string[], now: number): Promise<number[]>;
  listTargets(): Promise<TargetStatus[]>;
  getTarget(id: number): Promise<TargetStatus | undefined>;
  setSegment(targetId: number, segment: number, fence?: Fence): Promise<void>;
  /**
   * Fleet mode: renew held leases, release excess, claim free or expired ones. Returns the
   * leases held afterwards (target id -> epoch). SQLite: every target, epoch 0.
   */
  syncLeases(collectorId: string, leaseMs: number, held: ReadonlyMap<number, number>): Promise<Map<number, number>>;
  /** Fleet mode: try to be (or stay) the single alert evaluator; returns the epoch or null. */
  acquireEvaluator(collectorId: string, leaseMs: number): Promise<number | null>;

  // --- scrapes ------------------------------------------------------------------------
  writeScrape(rec: ScrapeRecord, fence?: Fence): Promise<number>;
  groupHistory(targetId: number, since: number): Promise<GroupHistory>;
  heapHistory(targetId: number, since: number): Promise<{ scrapes: { ts: number; total: number; segment: number }[]; sites: Map<string, { site: Frame; points: SeriesPoint[] }> }>;
  totals(targetId: number, profile: StoredProfile, from: number, to: number): Promise<SeriesPoint[]>;
  /**
   * {@link totals} of every target at once (the fleet page): two queries whatever the number of
   * targets, instead of two per target. Targets without points are absent from the map.
   */
  fleetTotals(profile: StoredProfile, from: number, to: number): Promise<Map<number, SeriesPoint[]>>;
  groupsAt(targetId: number, ts: number): Promise<{ scrapeTs: number; groups: GroupInfo[] } | undefined>;
  groupSeries(targetId: number, groupHash: string, from: number, to: number): Promise<SeriesPoint[]>;
  heapSitesAt(targetId: number, ts: number): Promise<{ scrapeTs: number; sites: HeapRow[] } | undefined>;
  /** The raw profile blob of the scrape nearest to `ts` (at or before when `before`). */
  rawProfile(targetId: number, profile: StoredProfile, ts: number, before: boolean): Promise<{ ts: number; data: Uint8Array } | undefined>;
  /** Timestamp of the newest stored raw blob for a target and profile (to space them out). */
  lastBlobTs(targetId: number, profile: StoredProfile): Promise<number | undefined>;

  // --- conditions, alerts, silences, evidence ----------------------------------------
  putConditions(targetId: number, conditions: readonly Condition[], now: number, fence?: Fence): Promise<void>;
  /** Ends every active condition of a target (restart, gone) with a reason. */
  endConditions(targetId: number, reason: string, now: number, fence?: Fence): Promise<void>;
  listConditions(activeOnly: boolean): Promise<Condition[]>;
  listAlerts(filter?: { state?: AlertState | 'active'; targetId?: number; limit?: number }): Promise<AlertRow[]>;
  getAlert(id: number): Promise<AlertRow | undefined>;
  insertAlert(a: Omit<AlertRow, 'id'>, evaluatorEpoch?: number): Promise<number>;
  updateAlert(id: number, patch: Partial<Omit<AlertRow, 'id' | 'fingerprint'>>, evaluatorEpoch?: number): Promise<void>;
  listSilences(includeExpired: boolean): Promise<SilenceRow[]>;
  addSilence(s: Omit<SilenceRow, 'id'>): Promise<number>;
  expireSilence(id: number, now: number): Promise<boolean>;
  saveEvidence(alertId: number, archive: Uint8Array, summary: string, now: number): Promise<void>;
  getEvidence(alertId: number): Promise<{ createdAt: number; summary: string; archive: Uint8Array } | undefined>;
  recordSignatureMatches(targetId: number, matches: readonly { signature: string; count: number }[], ts: number, fence?: Fence): Promise<void>;
  listSignatureMatches(): Promise<SignatureMatchRow[]>;

  // --- maintenance and hunting --------------------------------------------------------
  /** Down-samples and deletes old data; returns counts for logs. */
  applyRetention(now: number, r: { rawMs: number; downsampledMs: number; resolutionMs: number; profilesMs: number }): Promise<Record<string, number>>;
  /**
   * Runs one read-only statement (writes refused) over the documented views. The accounts
   * tables (`auth_*`) are refused in every scope; the `audit_log` view is readable in the
   * `local` scope (the default: whoever can read the data directory) and the `admin` scope.
   */
  query(sql: string, opts?: { maxRows?: number; timeoutMs?: number; scope?: QueryScope }): Promise<QueryResult>;
  /** Bytes used (database file(s) or relation sizes). */
  sizeBytes(): Promise<number>;
}
