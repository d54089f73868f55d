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

import type { StoredProfile, Fence, HeapRow, ScrapeRecord, TargetStatus, Condition, AlertState, AlertRow, SilenceRow, SeriesPoint, GroupHistory, GroupInfo, SignatureMatchRow, QueryResult } from './rows.js';

export type * from './rows.js';

/** A store error the caller may retry (database unavailable, disk full, busy). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** A fenced write was refused because the writer no longer holds the lease. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}

/**
 * Another collector holds the SQLite file. Here rather than in sqlite.ts so that the CLI can
 * recognise it without loading the SQLite driver (a native module) for every command.
 */
export class CollectorLockedError extends Error {
  override readonly name = 'CollectorLockedError';
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
