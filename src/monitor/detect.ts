/**
 * @fileoverview Per-target leak detection. A {@link TargetDetector} is fed every scrape of
 * one target and says, at any moment, which conditions hold:
 *
 * - `goroutine-growth`: a goroutine group (the `similar` grouping of `leakscope goroutines`)
 *   grows steadily: Mann–Kendall Z (tie-corrected) on per-bucket medians, a Theil–Sen slope,
 *   and floors on points, slope, growth over the window and current size, so a busy but
 *   stable service never alerts;
 * - `goroutine-concentration`: LeakProf's rule (Uber): very many goroutines blocked at one
 *   user-code location (channel operations, select, sync waits) in one instance;
 * - `goroutineleak`: goroutines the runtime itself proved leaked (Go 1.26+ `goroutineleak`
 *   profile) at the same site in N consecutive scrapes;
 * - `heap-growth` / `heap-step`: in-use bytes per allocation site growing over hours
 *   (Mann–Kendall + Theil–Sen, slope floor max(absolute, percent of the heap)), and step
 *   changes (one-sided CUSUM on first differences);
 * - `known-leak`: a catalog signature matched on the latest scrape.
 *
 * Restarts (a large drop of the goroutine total, or the heap's cumulative allocation total
 * going down, which only a new process can do) start a new segment: the series are cleared
 * and the collector ends the target's conditions with reason `restarted`, never
 * "recovered". State is rebuilt from the store after a collector restart or when a target
 * moves to another collector ({@link TargetDetector.load}).
 */
import { BLOCKING_STATES, isStdlib, matchIdler, type Frame } from '../profiles/index.js';
import type { AllowRule, DetectionConfig } from './config.js';
import { siteString } from './process.js';
import type { SignatureMatch } from './signatures.js';
import { bucketMedians, cusumUp, mannKendall, theilSen, type Point } from './stats.js';
import type { Condition, GroupHistory, GroupRow, HeapRow, SeriesPoint } from './store/types.js';

const HOUR = 3_600_000;

interface Series {
  /** Raw points inside the longest window (pruned as time passes). */
  points: Point[];
}

interface GroupState extends Series {
  state: string;
  site: Frame;
  frames: readonly Frame[];
  createdBy?: Frame;
  last: number;
}

/** Statistics of a trend evaluation, kept in condition details and evidence. */
export interface TrendStats {
  points: number;
  z: number;
  slopePerHour: number;
  growth: number;
  current: number;
  first: number;
  windowMs: number;
}

/** Evaluates a trend over bucket medians; undefined when there are too few points. */
export function trendOf(points: readonly Point[], bucketMs: number, windowMs: number, now: number): (TrendStats & { buckets: Point[] }) | undefined {
  const inWindow = points.filter((p) => p.t >= now - windowMs);
  const buckets = bucketMedians(inWindow, bucketMs);
  if (buckets.length < 2) return undefined;
  const mk = mannKendall(buckets.map((b) => b.v));
  const ts = theilSen(buckets);
  const first = buckets[0]!.v;
  const current = buckets[buckets.length - 1]!.v;
  return { points: buckets.length, z: mk.z, slopePerHour: ts.slope * HOUR, growth: current - first, current, first, windowMs, buckets };
}

/** Compiled allow-list. */
export class AllowList {
  private readonly rules: { fn?: RegExp; file?: RegExp; state?: string; job?: string; reason: string }[];
  constructor(rules: readonly AllowRule[]) {
    this.rules = rules.map((r) => ({
      ...(r.function ? { fn: new RegExp(r.function) } : {}),
      ...(r.file ? { file: new RegExp(r.file) } : {}),
      ...(r.state ? { state: r.state } : {}),
      ...(r.job ? { job: r.job } : {}),
      reason: r.reason ?? 'allow-listed',
    }));
  }

  /** The reason a group is allowed, or undefined. Built-in: goroutines parked in time.Sleep or on timers by design. */
  match(job: string, state: string, frames: readonly Frame[]): string | undefined {
    if (state === 'sleep' || frames.some((f) => f.function === 'time.Sleep')) return 'parked in time.Sleep by design';
    for (const r of this.rules) {
      if (r.job && r.job !== job) continue;
      if (r.state && r.state !== state) continue;
      if (r.fn && !frames.some((f) => r.fn!.test(f.function))) continue;
      if (r.file && !frames.some((f) => r.file!.test(`${f.file}:${f.line}`))) continue;
      return r.reason;
    }
    return undefined;
  }
}

/** What an observation changed. */
export interface ObserveResult {
  restarted: boolean;
  reason?: string;
}

/** Detection state of one target. */
export class TargetDetector {
  segment = 0;
  private groups = new Map<string, GroupState>();
  private totals: Point[] = [];
  private heapSites = new Map<string, Series & { site: Frame }>();
  private heapTotals: Point[] = [];
  private lastAlloc?: number;
  private leakRuns = new Map<string, { runs: number; count: number; site: Frame; frames: readonly Frame[]; state: string; lastTs: number }>();
  private signatureMatches: SignatureMatch[] = [];
  private since = new Map<string, number>();
  private lastGoroutineTs = 0;

  constructor(
    private readonly cfg: DetectionConfig,
    private readonly job: string,
    private readonly allow: AllowList,
  ) {}

  private get keepMs(): number {
    return Math.max(this.cfg.growth.windowMs, this.cfg.heap.windowMs) + this.cfg.bucketMs;
  }

  /** Clears the series and starts a new segment. */
  newSegment(): void {
    this.segment++;
    this.groups.clear();
    this.totals = [];
    this.heapSites.clear();
    this.heapTotals = [];
    this.lastAlloc = undefined;
    this.leakRuns.clear();
    this.signatureMatches = [];
    this.since.clear();
  }

  /** Feeds a goroutine scrape. Returns whether it looked like a restart (then the series were reset first). */
  observeGoroutine(ts: number, total: number, rows: readonly GroupRow[]): ObserveResult {
    let res: ObserveResult = { restarted: false };
    const recent = this.totals.slice(-3).map((p) => p.v);
    if (recent.length > 0) {
      const ref = Math.max(...recent);
      if (ref >= this.cfg.restart.minTotal && total < ref * (1 - this.cfg.restart.dropFraction)) {
        res = { restarted: true, reason: `goroutines dropped from ${ref} to ${total}` };
        this.newSegment();
      }
    }
    this.totals.push({ t: ts, v: total });
    this.replayGroups(ts, rows);
    this.prune(ts);
    return res;
  }

  /** Feeds a heap scrape; a decrease of the cumulative allocation total is a restart. */
  observeHeap(ts: number, sites: readonly HeapRow[], inuseBytes: number, allocBytes: number): ObserveResult {
    let res: ObserveResult = { restarted: false };
    if (this.lastAlloc !== undefined && allocBytes < this.lastAlloc * 0.999) {
      res = { restarted: true, reason: 'the cumulative allocation total went down (new process)' };
      this.newSegment();
    }
    this.lastAlloc = allocBytes;
    this.heapTotals.push({ t: ts, v: inuseBytes });
    const seen = new Set<string>();
    for (const s of sites) {
      const k = siteString(s.site);
      seen.add(k);
      let e = this.heapSites.get(k);
      if (!e) this.heapSites.set(k, (e = { site: s.site, points: [] }));
      e.points.push({ t: ts, v: s.inuseBytes });
    }
    for (const [k, e] of this.heapSites) if (!seen.has(k)) e.points.push({ t: ts, v: 0 });
    this.prune(ts);
    return res;
  }

  /** Feeds a goroutineleak scrape (groups the runtime proved leaked). */
  observeLeak(ts: number, rows: readonly GroupRow[]): void {
    const bySite = new Map<string, { count: number; row: GroupRow }>();
    for (const r of rows) {
      if (r.count === 0) continue;
      // `select {}` in main.main is reported by the runtime but is the "serve forever" idiom.
      if (r.state === 'select (no cases)' && r.site.function === 'main.main') continue;
      const k = siteString(r.site);
      const e = bySite.get(k);
      if (!e) bySite.set(k, { count: r.count, row: r });
      else {
        e.count += r.count;
        if (r.count > e.row.count) e.row = r;
      }
    }
    for (const k of [...this.leakRuns.keys()]) if (!bySite.has(k)) this.leakRuns.delete(k);
    for (const [k, { count, row }] of bySite) {
      const prev = this.leakRuns.get(k);
      this.leakRuns.set(k, { runs: (prev?.runs ?? 0) + 1, count, site: row.site, frames: row.frames, state: row.state, lastTs: ts });
    }
  }

  /** Records the signature matches of the latest scrape of their profile kind. */
  observeSignatures(kind: 'goroutine' | 'heap', matches: readonly SignatureMatch[]): void {
    this.signatureMatches = [...this.signatureMatches.filter((m) => m.signature.profile !== kind), ...matches];
  }

  private prune(now: number): void {
    const cut = now - this.keepMs;
    const trim = (pts: Point[]) => {
      let i = 0;
      while (i < pts.length && pts[i]!.t < cut) i++;
      if (i > 0) pts.splice(0, i);
    };
    trim(this.totals);
    trim(this.heapTotals);
    const gcut = now - this.cfg.growth.windowMs - this.cfg.bucketMs;
    for (const [h, g] of this.groups) {
      let i = 0;
      while (i < g.points.length && g.points[i]!.t < gcut) i++;
      if (i > 0) g.points.splice(0, i);
      if (g.points.length === 0 || (g.last === 0 && g.points.every((p) => p.v === 0))) this.groups.delete(h);
    }
    for (const [k, s] of this.heapSites) {
      trim(s.points);
      if (s.points.length === 0 || s.points.every((p) => p.v === 0)) this.heapSites.delete(k);
    }
  }

  private cond(now: number, rule: string, subject: string, severity: Condition['severity'], summary: string, details: Record<string, unknown>): Condition {
    const k = `${rule}\u0000${subject}`;
    let since = this.since.get(k);
    if (since === undefined) this.since.set(k, (since = now));
    return { targetId: 0, rule, subject, active: true, since, updatedAt: now, severity, summary, details, segment: this.segment };
  }

  /** The conditions holding now (all active). */
  conditions(now: number): Condition[] {
    const out: Condition[] = [];
    const c = this.cfg;
    // 1. Steady growth of a group.
    for (const [hash, g] of this.groups) {
      if (g.last < c.growth.minCount) continue;
      const t = trendOf(g.points, c.bucketMs, c.growth.windowMs, now);
      if (!t || t.points < c.growth.minPoints) continue;
      if (t.z < c.growth.minZ || t.slopePerHour < c.growth.minSlopePerHour || t.growth < c.growth.minGrowth) continue;
      const allowed = this.allow.match(this.job, g.state, g.frames);
      if (allowed) continue;
      out.push(
        this.cond(now, 'goroutine-growth', hash, 'warning', `${g.last} goroutines (${g.state}) at ${siteString(g.site)} grew by ${Math.round(t.growth)} in ${fmtDuration(t.windowMs)} (${Math.round(t.slopePerHour)}/h, Mann-Kendall Z ${t.z.toFixed(1)})`, {
          group: hash,
          state: g.state,
          site: g.site,
          frames: g.frames,
          createdBy: g.createdBy ?? null,
          count: g.last,
          stats: { points: t.points, z: t.z, slopePerHour: t.slopePerHour, growth: t.growth, first: t.first, current: t.current, windowMs: t.windowMs },
          series: t.buckets.map((b) => [b.t, b.v]),
        }),
      );
    }
    // 2. LeakProf: many goroutines blocked at one user-code location.
    const bySite = new Map<string, { count: number; g: GroupState; hashes: string[] }>();
    for (const [hash, g] of this.groups) {
      if (g.last === 0 || !BLOCKING_STATES.has(g.state) || isStdlib(g.site.function)) continue;
      if (matchIdler({ state: g.state, stack: g.frames as Frame[] })) continue;
      if (this.allow.match(this.job, g.state, g.frames)) continue;
      const k = siteString(g.site);
      const e = bySite.get(k);
      if (!e) bySite.set(k, { count: g.last, g, hashes: [hash] });
      else {
        e.count += g.last;
        e.hashes.push(hash);
        if (g.last > e.g.last) e.g = g;
      }
    }
    for (const [k, e] of bySite) {
      if (e.count < c.concentration.minCount) continue;
      out.push(
        this.cond(now, 'goroutine-concentration', k, 'warning', `${e.count} goroutines blocked (${e.g.state}) at one location: ${k}`, {
          site: e.g.site,
          state: e.g.state,
          frames: e.g.frames,
          count: e.count,
          groups: e.hashes,
        }),
      );
    }
    // 3. The runtime's own leak profile, in consecutive scrapes.
    for (const [k, r] of this.leakRuns) {
      if (r.runs < c.goroutineleak.consecutive) continue;
      out.push(
        this.cond(now, 'goroutineleak', k, 'critical', `the Go runtime reports ${r.count} leaked goroutines at ${k} in ${r.runs} consecutive goroutineleak profiles`, {
          site: r.site,
          state: r.state,
          frames: r.frames,
          count: r.count,
          runs: r.runs,
        }),
      );
    }
    // 4. Heap growth and steps per allocation site.
    const heapNow = this.heapTotals.length ? this.heapTotals[this.heapTotals.length - 1]!.v : 0;
    for (const [k, s] of this.heapSites) {
      // Sites below the growth floor cannot alert: skip the O(n²) statistics.
      const lastV = s.points[s.points.length - 1]?.v ?? 0;
      if (lastV < Math.min(c.heap.minGrowthBytes, c.heap.minStepBytes)) continue;
      const t = trendOf(s.points, c.bucketMs, c.heap.windowMs, now);
      if (!t) continue;
      const floor = Math.max(c.heap.minSlopeBytesPerHour, (heapNow * c.heap.minSlopePercentPerHour) / 100);
      if (t.points >= c.heap.minPoints && t.z >= c.heap.minZ && t.slopePerHour >= floor && t.growth >= c.heap.minGrowthBytes) {
        out.push(
          this.cond(now, 'heap-growth', k, 'warning', `in-use heap allocated at ${k} grew to ${fmtBytes(t.current)} (${fmtBytes(t.slopePerHour)}/h over ${fmtDuration(t.windowMs)}, Mann-Kendall Z ${t.z.toFixed(1)})`, {
            site: s.site,
            stats: { points: t.points, z: t.z, slopePerHour: t.slopePerHour, growth: t.growth, first: t.first, current: t.current, windowMs: t.windowMs },
            series: t.buckets.map((b) => [b.t, b.v]),
          }),
        );
      }
      if (t.points >= 4) {
        const cs = cusumUp(t.buckets.map((b) => b.v), c.heap.cusumK, c.heap.cusumH, 1024);
        if (cs.alarmAt >= 0 && cs.step >= c.heap.minStepBytes) {
          out.push(
            this.cond(now, 'heap-step', k, 'warning', `in-use heap allocated at ${k} stepped up by ${fmtBytes(cs.step)} (CUSUM)`, {
              site: s.site,
              stats: { step: cs.step, sigma: cs.sigma, at: t.buckets[cs.alarmAt]?.t ?? null },
              series: t.buckets.map((b) => [b.t, b.v]),
            }),
          );
        }
      }
    }
    // 5. Known-leak signatures.
    for (const m of this.signatureMatches) {
      const s = m.signature;
      const amount = s.profile === 'heap' ? fmtBytes(m.count) : `${m.count} goroutines`;
      out.push(
        this.cond(now, 'known-leak', s.id, 'warning', `known leak "${s.title}" (${amount}${m.site ? ` at ${siteString(m.site)}` : ''})`, {
          signature: s.id,
          title: s.title,
          fix: s.fix,
          affected: s.affected,
          references: s.references,
          count: m.count,
          site: m.site ?? null,
          frames: m.stack ?? [],
        }),
      );
    }
    const live = new Set(out.map((o) => `${o.rule}\u0000${o.subject}`));
    for (const k of [...this.since.keys()]) if (!live.has(k)) this.since.delete(k);
    return out;
  }

  /** Goroutine totals in the window (for evidence). */
  totalSeries(): Point[] {
    return [...this.totals];
  }

  /**
   * Rebuilds the goroutine and heap series from stored history of the current segment (a
   * collector restart, or a target that moved from another collector).
   */
  load(segment: number, gh: GroupHistory, heap: { scrapes: { ts: number; total: number; segment: number }[]; sites: Map<string, { site: Frame; points: SeriesPoint[] }> }): void {
    this.newSegment();
    this.segment = segment;
    const scrapes = gh.scrapes.filter((s) => s.segment === segment);
    const byTs = new Map<number, GroupRow[]>();
    for (const s of scrapes) byTs.set(s.ts, []);
    for (const [hash, g] of gh.groups) {
      for (const p of g.points) {
        const l = byTs.get(p.ts);
        if (!l) continue;
        const row: GroupRow = { hash, state: g.state, frames: g.frames, site: g.site, count: p.value, leaked: 0, maxWait: 0 };
        if (g.createdBy) row.createdBy = g.createdBy;
        l.push(row);
      }
    }
    for (const s of scrapes) {
      this.totals.push({ t: s.ts, v: s.total });
      this.replayGroups(s.ts, byTs.get(s.ts) ?? []);
    }
    const hs = heap.scrapes.filter((s) => s.segment === segment);
    const hts = new Set(hs.map((s) => s.ts));
    for (const s of hs) this.heapTotals.push({ t: s.ts, v: s.total });
    for (const [k, s] of heap.sites) {
      const pts = s.points.filter((p) => hts.has(p.ts)).map((p) => ({ t: p.ts, v: p.value }));
      if (pts.length) this.heapSites.set(k, { site: s.site, points: pts });
    }
  }

  /**
   * Carries over the goroutineleak runs behind a previous owner's active conditions. The
   * stored history rebuilds the goroutine and heap series, but not the consecutive-run count
   * of the runtime's leak profile; without this a target that moves to another collector
   * (fleet failover, a new collector joining) would end its goroutineleak condition on the
   * new owner's first goroutine scrape and flap its alert. The next goroutineleak scrape of
   * this collector confirms (and counts on) or clears each carried site.
   */
  restoreLeakRuns(conditions: readonly Condition[]): void {
    for (const c of conditions) {
      if (c.rule !== 'goroutineleak' || !c.active || c.segment !== this.segment || this.leakRuns.has(c.subject)) continue;
      const d = c.details as { site?: Frame; frames?: readonly Frame[]; state?: string; count?: number; runs?: number };
      if (!d.site || typeof d.runs !== 'number') continue;
      this.leakRuns.set(c.subject, { runs: d.runs, count: d.count ?? 0, site: d.site, frames: d.frames ?? [d.site], state: d.state ?? '', lastTs: c.updatedAt });
    }
  }

  private replayGroups(ts: number, rows: readonly GroupRow[]): void {
    const seen = new Set<string>();
    for (const r of rows) {
      seen.add(r.hash);
      let g = this.groups.get(r.hash);
      if (!g) {
        g = { state: r.state, site: r.site, frames: r.frames, points: [], last: r.count };
        if (r.createdBy) g.createdBy = r.createdBy;
        this.groups.set(r.hash, g);
        if (this.lastGoroutineTs > 0) g.points.push({ t: this.lastGoroutineTs, v: 0 });
      }
      g.points.push({ t: ts, v: r.count });
      g.last = r.count;
    }
    for (const [h, g] of this.groups) {
      if (!seen.has(h)) {
        g.points.push({ t: ts, v: 0 });
        g.last = 0;
      }
    }
    this.lastGoroutineTs = ts;
  }
}

/** `1.5 MiB`. */
export function fmtBytes(n: number): string {
  const a = Math.abs(n);
  if (a >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (a >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (a >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/** `30m`, `6h`, `45s`. */
export function fmtDuration(ms: number): string {
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10}s`;
  return `${ms}ms`;
}
