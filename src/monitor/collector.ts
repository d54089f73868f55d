/**
 * @fileoverview The collector: schedules scrapes of the targets it owns, turns each profile
 * into store rows, feeds the per-target detectors, publishes their conditions, builds
 * evidence for firing alerts, and (when it holds the evaluator role) runs the alert
 * evaluator and retention.
 *
 * Scheduling: per target and profile kind, a phase offset derived from a hash of the target
 * key spreads scrapes over the interval (like Prometheus' scrape offsets); a binary heap of
 * due times drives one timer; at most `scrape.concurrency` scrapes run at once; a failing
 * target backs off exponentially (interval × 2^failures, capped at `scrape.max-backoff`)
 * without affecting the others; `goroutineleak` is asked for only while the target serves it
 * (a 404 stops it for an hour, then it is probed again). `debug=2` is never scheduled.
 *
 * Fleet mode (PostgreSQL): every `fleet.heartbeat` the collector renews its leases and
 * claims free ones (`FOR UPDATE SKIP LOCKED`); writes for a target carry the lease epoch as
 * a fencing token; a target gained from another collector has its detector state rebuilt
 * from the store before its first scrape.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { isProfileError, readProfile, type GoroutineProfile, type HeapProfile } from '../profiles/index.js';
import { AlertEvaluator } from './alerts.js';
import { expandFileSd, readFileSd, timeoutFor, PROFILE_KINDS, type MonitorConfig, type ProfileKind, type TargetSpec } from './config.js';
import { AllowList, TargetDetector } from './detect.js';
import { buildEvidence } from './evidence.js';
import { fetchProfile, releaseAgent, ScrapeError } from './fetch.js';
import type { MonitorMetrics } from './metrics.js';
import { goroutineRows, heapRows } from './process.js';
import { WriteQueue } from './queue.js';
import { loadSignatures, matchGoroutineSignatures, matchHeapSignatures, type Signature } from './signatures.js';
import type { Fence, ScrapeRecord, Store } from './store/types.js';
import { gzipSync } from 'node:zlib';
import fs from 'node:fs';

const HOUR = 3_600_000;

/** Runtime state of one target. */
export interface RuntimeTarget {
  spec: TargetSpec;
  id: number;
  /** Lease epoch in fleet mode (0 for SQLite); undefined when not owned. */
  epoch?: number;
  detector: TargetDetector;
  loaded: boolean;
  failures: Record<ProfileKind, number>;
  lastOk: number;
  /** `unknown` until the first goroutineleak answer, `absent` after a 404. */
  leakProfile: 'unknown' | 'served' | 'absent';
  lastBlob: Partial<Record<ProfileKind, number>>;
  inFlight: number;
  goneReported: boolean;
}

interface Due {
  at: number;
  key: string;
  kind: ProfileKind;
  gen: number;
}

/** Min-heap of due scrapes. */
class DueHeap {
  private h: Due[] = [];
  get size(): number {
    return this.h.length;
  }
  peek(): Due | undefined {
    return this.h[0];
  }
  push(d: Due): void {
    const h = this.h;
    h.push(d);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): Due | undefined {
    const h = this.h;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** Phase offset in [0, interval) from a hash of the target key and profile kind. */
export function phaseOffset(key: string, kind: string, interval: number): number {
  const h = createHash('sha1').update(`${key}\u0000${kind}`).digest();
  return h.readUInt32BE(0) % Math.max(1, Math.floor(interval));
}

/** Dependencies of a collector. */
export interface CollectorDeps {
  cfg: MonitorConfig;
  store: Store;
  log: Logger;
  metrics: MonitorMetrics;
  collectorId?: string;
  env?: Record<string, string | undefined>;
  /** Called after each committed scrape (tests and the kill -9 check read the log instead). */
  onCommit?: (rec: ScrapeRecord, id: number) => void;
  externalUrl?: string;
  /** Called when a scrape starts, with how late it is against its schedule (benchmarks). */
  onLateness?: (ms: number) => void;
}

/** A running collector. */
export class Collector {
  readonly id: string;
  private readonly targets = new Map<string, RuntimeTarget>();
  private specs = new Map<string, TargetSpec>();
  private readonly heap = new DueHeap();
  private gen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private waiting: Due[] = [];
  private stopped = true;
  private readonly queue: WriteQueue;
  private readonly sigs: Signature[];
  private readonly allow: AllowList;
  private evaluator: AlertEvaluator;
  private evaluatorEpoch: number | null = null;
  private housekeeping: NodeJS.Timeout[] = [];
  private watchers: fs.FSWatcher[] = [];
  private lastDump = new Map<number, number>();
  private evidenceBusy = new Set<number>();
  private evalRunning = false;
  private lastRetention = 0;
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly d: CollectorDeps) {
    this.id = d.collectorId ?? d.cfg.fleet.collectorId ?? `${os.hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.queue = new WriteQueue({ maxItems: 20_000, maxBytes: 64 << 20, log: d.log, metrics: d.metrics });
    this.sigs = loadSignatures(d.cfg.signatures.files, d.cfg.signatures.disable);
    this.allow = new AllowList(d.cfg.detection.allow);
    this.evaluator = new AlertEvaluator({
      store: d.store,
      cfg: d.cfg.alerts,
      log: d.log,
      metrics: d.metrics,
      externalUrl: d.externalUrl ?? d.cfg.alerts.externalUrl ?? `http://${d.cfg.listen}`,
      ...(d.env ? { env: d.env } : {}),
    });
  }

  /** Signatures in use. */
  get signatures(): readonly Signature[] {
    return this.sigs;
  }

  /** True while this collector runs the alert evaluator. */
  get isEvaluator(): boolean {
    return this.evaluatorEpoch !== null;
  }

  /** Owned targets. */
  ownedTargets(): RuntimeTarget[] {
    return [...this.targets.values()].filter((t) => t.epoch !== undefined);
  }

  /** Write buffer size (for /healthz). */
  get bufferedWrites(): number {
    return this.queue.size;
  }

  get storeDown(): boolean {
    return this.queue.storeDown;
  }

  /** Desired targets: static plus file_sd. Invalid file_sd files are logged and keep their previous targets. */
  private desiredTargets(previous: Map<string, TargetSpec>): Map<string, TargetSpec> {
    const out = new Map<string, TargetSpec>();
    for (const t of this.d.cfg.targets) out.set(t.key, t);
    for (const sd of this.d.cfg.fileSd) {
      for (const f of expandFileSd(sd)) {
        try {
          for (const t of readFileSd(f, sd)) if (!out.has(t.key)) out.set(t.key, t);
        } catch (e) {
          this.d.log.error({ file: f }, `file_sd: ${(e as Error).message}; keeping the targets it had`);
          for (const t of previous.values()) if (t.origin.startsWith(f)) out.set(t.key, t);
        }
      }
    }
    return out;
  }

  /** Starts collecting. Throws when the store refuses this collector (SQLite file in use). */
  async start(): Promise<void> {
    const d = this.d;
    await d.store.acquireCollector(this.id, os.hostname(), process.pid);
    this.stopped = false;
    await this.refreshTargets();
    await this.syncLeases();
    this.housekeeping.push(setInterval(() => void this.tick('heartbeat', () => this.heartbeat()), d.cfg.fleet.heartbeatMs));
    this.housekeeping.push(setInterval(() => void this.tick('evaluate', () => this.evaluateIfLeader()), d.cfg.alerts.evaluationIntervalMs));
    for (const sd of d.cfg.fileSd) {
      this.housekeeping.push(setInterval(() => void this.tick('file_sd', () => this.refreshTargets()), sd.refreshMs));
      for (const pat of sd.files) {
        try {
          const w = fs.watch(pat.replace(/\/[^/]*[*?][^/]*$/, '') || '.', () => void this.tick('file_sd', () => this.refreshTargets()));
          w.unref();
          this.watchers.push(w);
        } catch {
          // the directory may not exist yet: the periodic re-read covers it
        }
      }
    }
    for (const h of this.housekeeping) h.unref?.();
    d.log.info({ collector: this.id, store: d.store.location, targets: this.targets.size }, `collector ${this.id} started`);
    this.arm();
  }

  private async tick(what: string, fn: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    const p = fn().catch((e) => this.d.log.error({ task: what, err: (e as Error).message }, `${what} failed: ${(e as Error).message}`));
    this.inFlight.add(p);
    await p;
    this.inFlight.delete(p);
  }

  /** Re-reads file_sd and reconciles targets with the store. */
  async refreshTargets(): Promise<void> {
    const desired = this.desiredTargets(this.specs);
    const now = Date.now();
    const ids = await this.d.store.upsertTargets(
      [...desired.values()].map((t) => ({ key: t.key, job: t.job, instance: t.instance, url: t.url, labels: t.labels, ...(t.source ? { source: t.source } : {}) })),
      now,
    );
    const gone = await this.d.store.markGone([...desired.keys()], now);
    for (const [key, rt] of this.targets) {
      if (!desired.has(key)) {
        this.d.log.info({ target: key }, `target ${key} removed from the configuration`);
        this.dropTarget(key, rt);
      }
    }
    for (const id of gone) this.queue.push({ label: 'end-conditions', bytes: 100, run: () => this.d.store.endConditions(id, 'target-gone', now) });
    for (const [key, spec] of desired) {
      const id = ids.get(key)!;
      const rt = this.targets.get(key);
      if (rt) {
        rt.spec = spec;
        continue;
      }
      this.targets.set(key, {
        spec,
        id,
        detector: new TargetDetector(this.d.cfg.detection, spec.job, this.allow),
        loaded: false,
        failures: { goroutine: 0, heap: 0, goroutineleak: 0 },
        lastOk: now,
        leakProfile: 'unknown',
        lastBlob: {},
        inFlight: 0,
        goneReported: false,
      });
    }
    this.specs = desired;
    if (!this.stopped) await this.syncLeases();
  }

  private dropTarget(key: string, rt: RuntimeTarget): void {
    this.targets.delete(key);
    this.gen.set(key, (this.gen.get(key) ?? 0) + 1);
    releaseAgent(rt.spec);
    this.d.metrics.forgetTarget(rt.spec.job, rt.spec.instance);
  }

  private async heartbeat(): Promise<void> {
    await this.d.store.heartbeat(this.id);
    await this.syncLeases();
  }

  /** Renews and claims leases, schedules newly owned targets and unschedules lost ones. */
  private async syncLeases(): Promise<void> {
    const held = new Map<number, number>();
    for (const t of this.targets.values()) if (t.epoch !== undefined) held.set(t.id, t.epoch);
    const now = Date.now();
    // Leases are granted for (lease - heartbeat): a collector that dies loses them at most that
    // long after its last renewal, and a survivor claims them at its next heartbeat, so
    // targets move within one lease period.
    const ttl = this.d.cfg.fleet.leaseMs - this.d.cfg.fleet.heartbeatMs;
    const leases = await this.d.store.syncLeases(this.id, ttl, held);
    for (const [key, t] of this.targets) {
      const ep = leases.get(t.id);
      if (ep === undefined && t.epoch !== undefined) {
        this.d.log.info({ target: key }, `lease of ${key} lost to another collector; no longer scraping it`);
        t.epoch = undefined;
        t.loaded = false;
        this.gen.set(key, (this.gen.get(key) ?? 0) + 1);
        this.d.metrics.forgetTarget(t.spec.job, t.spec.instance);
      } else if (ep !== undefined && (t.epoch === undefined || ep !== t.epoch)) {
        const gained = t.epoch === undefined;
        t.epoch = ep;
        if (gained) {
          if (this.d.store.kind === 'postgres') this.d.log.info({ target: key, epoch: ep }, `claimed ${key} (epoch ${ep})`);
          this.schedule(key, now);
        }
      }
    }
    this.d.metrics.ownedTargets.set(this.ownedTargets().length);
    this.evaluatorEpoch = await this.d.store.acquireEvaluator(this.id, ttl);
    this.d.metrics.evaluator.set(this.evaluatorEpoch === null ? 0 : 1);
  }

  private schedule(key: string, now: number): void {
    const t = this.targets.get(key);
    if (!t) return;
    const g = (this.gen.get(key) ?? 0) + 1;
    this.gen.set(key, g);
    for (const kind of PROFILE_KINDS) {
      if (t.spec.enabled[kind] === false) continue;
      const iv = t.spec.intervals[kind];
      this.heap.push({ at: now + phaseOffset(key, kind, Math.min(iv, t.spec.intervals.goroutine)), key, kind, gen: g });
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.heap.peek();
    if (!next) return;
    const wait = Math.max(0, Math.min(next.at - Date.now(), 1000));
    this.timer = setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = Date.now();
    while (this.heap.size > 0 && this.heap.peek()!.at <= now) {
      const due = this.heap.pop()!;
      if (this.gen.get(due.key) !== due.gen) continue;
      this.waiting.push(due);
    }
    this.pump();
    this.arm();
  }

  private pump(): void {
    while (this.running < this.d.cfg.scrape.concurrency && this.waiting.length > 0) {
      const due = this.waiting.shift()!;
      const t = this.targets.get(due.key);
      if (!t || t.epoch === undefined || this.gen.get(due.key) !== due.gen) continue;
      this.running++;
      const p = this.run(t, due).finally(() => {
        this.running--;
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
  }

  private async run(t: RuntimeTarget, due: Due): Promise<void> {
    const start = Date.now();
    this.d.metrics.scrapeLateness.observe(Math.max(0, start - due.at) / 1000);
    this.d.onLateness?.(Math.max(0, start - due.at));
    let nextAt = due.at + t.spec.intervals[due.kind];
    try {
      if (!t.loaded) await this.loadHistory(t);
      const ok = await this.scrape(t, due.kind, start);
      if (due.kind === 'goroutineleak' && t.leakProfile === 'absent') nextAt = start + HOUR;
      if (!ok) {
        const f = t.failures[due.kind];
        const back = Math.min(t.spec.intervals[due.kind] * 2 ** Math.min(f, 16), this.d.cfg.scrape.maxBackoffMs);
        if (due.kind !== 'goroutineleak' || t.leakProfile !== 'absent') nextAt = Math.max(nextAt, start + back);
      }
    } catch (e) {
      this.d.log.error({ target: t.spec.key, profile: due.kind, err: (e as Error).stack }, `internal error scraping ${t.spec.key}: ${(e as Error).message}`);
    }
    // Skip missed slots rather than bursting after a stall.
    const iv = t.spec.intervals[due.kind];
    while (nextAt <= Date.now()) nextAt += iv;
    if (!this.stopped && this.gen.get(due.key) === due.gen) {
      this.heap.push({ ...due, at: nextAt });
      this.arm();
    }
  }

  private fence(t: RuntimeTarget): Fence | undefined {
    return t.epoch !== undefined && this.d.store.kind === 'postgres' ? { owner: this.id, epoch: t.epoch } : undefined;
  }

  private async loadHistory(t: RuntimeTarget): Promise<void> {
    const c = this.d.cfg.detection;
    const since = Date.now() - Math.max(c.growth.windowMs, c.heap.windowMs) - c.bucketMs;
    try {
      const [row, gh, hh, conds] = await Promise.all([
        this.d.store.getTarget(t.id),
        this.d.store.groupHistory(t.id, since),
        this.d.store.heapHistory(t.id, since),
        this.d.store.listConditions(true),
      ]);
      t.detector.load(row?.segment ?? 0, gh, hh);
      t.detector.restoreLeakRuns(conds.filter((c) => c.targetId === t.id));
      t.loaded = true;
      if (gh.scrapes.length > 0) this.d.log.info({ target: t.spec.key, scrapes: gh.scrapes.length }, `rebuilt detector state of ${t.spec.key} from ${gh.scrapes.length} stored scrapes`);
    } catch (e) {
      // The store being down must not stop scraping: start from an empty state.
      this.d.log.warn({ target: t.spec.key }, `cannot load history of ${t.spec.key}: ${(e as Error).message}`);
      t.loaded = true;
    }
  }

  /** Fetches, parses, records and analyses one profile. Returns false on failure. */
  private async scrape(t: RuntimeTarget, kind: ProfileKind, now: number): Promise<boolean> {
    const d = this.d;
    const path = kind === 'heap' ? '/heap' : kind === 'goroutine' ? '/goroutine?debug=0' : '/goroutineleak?debug=0';
    const t0 = performance.now();
    let profile: GoroutineProfile | HeapProfile;
    let raw: Buffer;
    try {
      const f = await fetchProfile(t.spec, path, timeoutFor(t.spec, kind), d.cfg.scrape.maxBytes, d.env);
      raw = f.body;
      let p;
      try {
        p = readProfile(f.body, `${t.spec.url}${t.spec.pathPrefix}${path}`, { maxDecompressedBytes: d.cfg.scrape.maxBytes });
      } catch (e) {
        if (isProfileError(e)) throw new ScrapeError(/HTML|JSON|not a Go/.test((e as Error).message) ? 'not-a-profile' : 'parse', (e as Error).message.replace(/^\S+: /, ''));
        throw e;
      }
      if ((kind === 'heap') !== (p.kind === 'heap') || p.kind === 'race') throw new ScrapeError('not-a-profile', `expected a ${kind} profile, got a ${p.kind} profile`);
      profile = p as GoroutineProfile | HeapProfile;
    } catch (e) {
      const err = e instanceof ScrapeError ? e : new ScrapeError('parse', (e as Error).message);
      if (kind === 'goroutineleak' && err.kind === 'not-found') {
        if (t.leakProfile !== 'absent') d.log.info({ target: t.spec.key }, `${t.spec.key} does not serve /goroutineleak (Go < 1.26 or built without GOEXPERIMENT=goroutineleakprofile); probing again in 1h`);
        t.leakProfile = 'absent';
        d.metrics.scrapes.inc({ profile: kind, result: 'absent' });
        return true;
      }
      t.failures[kind]++;
      d.metrics.scrapes.inc({ profile: kind, result: err.kind });
      if (kind === 'goroutine') d.metrics.targetUp.set({ job: t.spec.job, instance: t.spec.instance }, 0);
      if (t.failures[kind] === 1 || t.failures[kind] % 20 === 0) d.log.warn({ target: t.spec.key, profile: kind, failures: t.failures[kind], reason: err.kind }, `scrape of ${t.spec.key} ${kind} failed: ${err.message}`);
      this.enqueueScrape(t, { targetId: t.id, profile: kind, ts: now, ok: false, error: `${err.kind}: ${err.message}`, durationMs: performance.now() - t0, segment: t.detector.segment, bytes: 0 });
      this.checkGone(t, now);
      return false;
    }
    const durationMs = performance.now() - t0;
    d.metrics.scrapeDuration.observe({ profile: kind }, durationMs / 1000);
    d.metrics.scrapes.inc({ profile: kind, result: 'ok' });
    if (t.failures[kind] > 0) d.log.info({ target: t.spec.key, profile: kind }, `${t.spec.key} ${kind} scrapes succeed again after ${t.failures[kind]} failures`);
    t.failures[kind] = 0;
    t.lastOk = now;
    t.goneReported = false;
    const blob = this.blobFor(t, kind, raw, now);
    const rec: ScrapeRecord = { targetId: t.id, profile: kind, ts: now, ok: true, durationMs, segment: t.detector.segment, bytes: raw.length };
    if (blob) rec.blob = blob;
    let restart: { restarted: boolean; reason?: string } = { restarted: false };
    if (kind === 'goroutine' && profile.kind === 'goroutine') {
      const rows = goroutineRows(profile);
      restart = t.detector.observeGoroutine(now, profile.total, rows);
      rec.total = profile.total;
      rec.groups = rows;
      t.detector.observeSignatures('goroutine', matchGoroutineSignatures(this.sigs, rows.map((r) => ({ count: r.count, state: r.state, stack: r.frames as GoroutineProfile['goroutines'][number]['frames'], location: r.site }))));
      d.metrics.targetUp.set({ job: t.spec.job, instance: t.spec.instance }, 1);
      d.metrics.goroutines.set({ job: t.spec.job, instance: t.spec.instance }, profile.total);
    } else if (kind === 'goroutineleak' && profile.kind === 'goroutine') {
      t.leakProfile = 'served';
      const rows = goroutineRows(profile).map((r) => ({ ...r, leaked: r.count }));
      t.detector.observeLeak(now, rows);
      rec.total = profile.total;
      rec.groups = rows;
      d.metrics.leaked.set({ job: t.spec.job, instance: t.spec.instance }, profile.total);
    } else if (kind === 'heap' && profile.kind === 'heap') {
      let summary;
      try {
        summary = heapRows(profile);
      } catch (e) {
        d.metrics.scrapes.inc({ profile: kind, result: 'parse' });
        this.enqueueScrape(t, { ...rec, ok: false, error: `parse: ${(e as Error).message}`, bytes: raw.length });
        return false;
      }
      restart = t.detector.observeHeap(now, summary.sites, summary.inuseBytes, summary.allocBytes);
      rec.total = summary.inuseBytes;
      rec.heap = summary.sites.slice(0, 200);
      t.detector.observeSignatures('heap', matchHeapSignatures(this.sigs, profile));
      d.metrics.heapInuse.set({ job: t.spec.job, instance: t.spec.instance }, summary.inuseBytes);
    }
    const fence = this.fence(t);
    if (restart.restarted) {
      d.log.info({ target: t.spec.key, segment: t.detector.segment }, `${t.spec.key} restarted (${restart.reason}); starting series segment ${t.detector.segment}`);
      rec.segment = t.detector.segment;
      const seg = t.detector.segment;
      this.queue.push({ label: 'restart', bytes: 100, run: async () => {
        await d.store.setSegment(t.id, seg, fence);
        await d.store.endConditions(t.id, 'restarted', now, fence);
      }, onFenced: () => this.onFenced(t) });
    }
    this.enqueueScrape(t, rec);
    const conds = t.detector.conditions(now).map((c) => ({ ...c, targetId: t.id }));
    this.queue.push({ label: 'conditions', coalesce: `conditions:${t.id}`, bytes: 2000, run: () => d.store.putConditions(t.id, conds, now, fence), onFenced: () => this.onFenced(t) });
    const sm = conds.filter((c) => c.rule === 'known-leak').map((c) => ({ signature: c.subject, count: Number(c.details.count ?? 0) }));
    if (sm.length) this.queue.push({ label: 'signatures', bytes: 200, run: () => d.store.recordSignatureMatches(t.id, sm, now, fence) });
    return true;
  }

  /** Raw blobs at most once per `retention.profile-every` per target and kind (the first one always). */
  private blobFor(t: RuntimeTarget, kind: ProfileKind, raw: Buffer, now: number): Uint8Array | undefined {
    const last = t.lastBlob[kind];
    if (last !== undefined && now - last < this.d.cfg.retention.profileEveryMs) return undefined;
    t.lastBlob[kind] = now;
    return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? raw : gzipSync(raw);
  }

  private enqueueScrape(t: RuntimeTarget, rec: ScrapeRecord): void {
    const fence = this.fence(t);
    const bytes = 300 + (rec.blob?.length ?? 0) + (rec.groups?.length ?? 0) * 200 + (rec.heap?.length ?? 0) * 150;
    this.queue.push({
      label: 'scrape',
      bytes,
      run: () => this.d.store.writeScrape(rec, fence),
      onCommit: (id) => {
        this.d.log.debug({ target: t.spec.key, scrape: id, profile: rec.profile, ts: rec.ts, ok: rec.ok }, 'scrape committed');
        this.d.onCommit?.(rec, id as number);
      },
      onFenced: () => this.onFenced(t),
    });
  }

  private onFenced(t: RuntimeTarget): void {
    if (t.epoch === undefined) return;
    this.d.log.warn({ target: t.spec.key }, `lost the lease of ${t.spec.key} (a newer epoch exists); stopping`);
    t.epoch = undefined;
    t.loaded = false;
    this.gen.set(t.spec.key, (this.gen.get(t.spec.key) ?? 0) + 1);
  }

  private checkGone(t: RuntimeTarget, now: number): void {
    if (t.goneReported || now - t.lastOk < this.d.cfg.alerts.goneAfterMs) return;
    t.goneReported = true;
    this.d.log.warn({ target: t.spec.key }, `${t.spec.key} has not answered for ${Math.round((now - t.lastOk) / 60000)} min: treating it as gone`);
    const fence = this.fence(t);
    this.queue.push({ label: 'end-conditions', bytes: 100, run: () => this.d.store.endConditions(t.id, 'target-gone', now, fence) });
  }

  /** Evaluates alerts when this collector holds the evaluator role; then builds requested evidence. */
  private async evaluateIfLeader(): Promise<void> {
    if (this.evalRunning) return;
    this.evalRunning = true;
    try {
      const now = Date.now();
      if (this.evaluatorEpoch !== null) {
        const r = await this.evaluator.evaluate(now, this.d.store.kind === 'postgres' ? this.evaluatorEpoch : undefined);
        for (const _ of r.fired) this.d.metrics.alertsFired.inc({ rule: 'any' });
        if (now - this.lastRetention >= Math.min(10 * 60_000, this.d.cfg.retention.rawMs / 4)) {
          this.lastRetention = now;
          const c = await this.d.store.applyRetention(now, this.d.cfg.retention);
          if (c.deletedScrapes || c.deletedRollups) this.d.log.info(c, 'retention applied');
        }
      }
      await this.buildRequestedEvidence(now);
    } finally {
      this.evalRunning = false;
    }
  }

  /** Evaluate now (tests and shutdown). */
  async evaluateNow(): Promise<void> {
    await this.queue.flush(10_000);
    await this.evaluateIfLeader();
  }

  private async buildRequestedEvidence(now: number): Promise<void> {
    const firing = await this.d.store.listAlerts({ state: 'firing' });
    for (const a of firing) {
      if (a.evidenceState !== 'requested' || this.evidenceBusy.has(a.id)) continue;
      const t = [...this.targets.values()].find((x) => x.id === a.targetId && x.epoch !== undefined);
      if (!t) continue;
      this.evidenceBusy.add(a.id);
      try {
        const { summary, archive } = await buildEvidence(this.d.store, this.d.cfg, t.spec, a, now, this.lastDump);
        await this.d.store.saveEvidence(a.id, archive, summary, now);
        const ann: Record<string, string> = { ...a.annotations };
        const line = /\*\*leaking line: `([^`]+)`\*\*/.exec(summary)?.[1];
        if (line) ann.leaking_line = line;
        const sf = /## Static findings[^\n]*\n\n- `([^`]+)` \([^)]*\) ([^\n]+)/.exec(summary);
        if (sf) ann.static_finding = `${sf[1]}: ${sf[2]}`;
        await this.d.store.updateAlert(a.id, { evidenceState: 'ready', annotations: ann });
        this.d.log.info({ alert: a.id, bytes: archive.length }, `evidence bundle for alert ${a.id} written (${archive.length} bytes)`);
      } catch (e) {
        this.d.log.error({ alert: a.id }, `evidence for alert ${a.id} failed: ${(e as Error).message}`);
        await this.d.store.updateAlert(a.id, { evidenceState: `failed: ${(e as Error).message.slice(0, 200)}` }).catch(() => undefined);
      } finally {
        this.evidenceBusy.delete(a.id);
      }
    }
  }

  /**
   * Graceful stop: no new scrapes, in-flight scrapes and their writes finish (bounded by
   * `timeoutMs`), leases and the collector lock are released so others take over at once.
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const h of this.housekeeping) clearInterval(h);
    for (const w of this.watchers) w.close();
    this.waiting = [];
    const deadline = Date.now() + timeoutMs;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    const flushed = await this.queue.flush(Math.max(100, deadline - Date.now()));
    if (!flushed) this.d.log.error({ buffered: this.queue.size }, `shutting down with ${this.queue.size} writes not stored (store unavailable)`);
    this.queue.close();
    for (const t of this.targets.values()) releaseAgent(t.spec);
    try {
      await this.d.store.releaseCollector(this.id);
    } catch (e) {
      this.d.log.warn(`could not release the collector lock: ${(e as Error).message}`);
    }
    this.d.log.info({ collector: this.id }, 'collector stopped');
  }
}
