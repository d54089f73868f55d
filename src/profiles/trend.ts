/**
 * @fileoverview Detects sustained growth across three or more snapshots: an
 * ordinary least-squares line per goroutine group or heap site, its R^2, and
 * the projected growth per hour. A leak grows roughly linearly with traffic,
 * so a good linear fit with a positive slope and a real absolute increase is
 * "sustained growth"; a poor fit or a tiny increase is "noise".
 */
import { goroutineCounts, heapCounts, sameEncoding } from './diff.js';
import type { Similarity } from './group.js';
import type { GoroutineProfile, HeapProfile } from './model.js';

/** One snapshot: a profile and when it was taken. */
export interface Snapshot<P extends GoroutineProfile | HeapProfile = GoroutineProfile | HeapProfile> {
  /** Milliseconds since the epoch (or a Date). */
  time: number | Date;
  profile: P;
}

/** Verdict for one series. */
export type TrendVerdict = 'sustained-growth' | 'shrinking' | 'stable' | 'noise';

/** Trend of one group or site. */
export interface TrendSeries {
  location: string;
  values: number[];
  /** Least-squares slope, units per hour. */
  slopePerHour: number;
  /** Coefficient of determination of the fit, 0..1 (1 for a constant series). */
  r2: number;
  /** slopePerHour, i.e. expected growth over the next hour if the trend holds. */
  projectedGrowthPerHour: number;
  verdict: TrendVerdict;
}

/** Result of {@link trendProfiles}. */
export interface TrendResult {
  kind: 'goroutine' | 'heap';
  times: number[];
  /** Sorted: sustained growth first, then by slope. */
  series: TrendSeries[];
}

/** Options for {@link trendProfiles}. */
export interface TrendOptions {
  /** Minimum R^2 for a trend to count as sustained (default 0.8). */
  minR2?: number;
  /** Minimum absolute increase first-to-last fitted value (default: 3 goroutines, or 1 MiB for heap). */
  minIncrease?: number;
  similarity?: Similarity;
  sampleType?: string;
}

/** Ordinary least squares of y on x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = syy === 0 ? 1 : sxx === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

/**
 * Fits a trend per group (goroutine profiles, keyed as in diff.ts) or per
 * allocation site (heap). Needs at least three snapshots of the same kind.
 */
export function trendProfiles(snapshots: readonly Snapshot[], options: TrendOptions = {}): TrendResult {
  if (snapshots.length < 3) throw new Error(`trend needs at least 3 snapshots, got ${snapshots.length}`);
  const kind = snapshots[0]!.profile.kind;
  if (snapshots.some((s) => s.profile.kind !== kind)) throw new Error('trend: all snapshots must be the same kind of profile');
  const sorted = [...snapshots].map((s) => ({ t: typeof s.time === 'number' ? s.time : s.time.getTime(), p: s.profile })).sort((a, b) => a.t - b.t);
  const times = sorted.map((s) => s.t);
  if (times[times.length - 1] === times[0]) throw new Error('trend: snapshots need distinct timestamps');
  const withState = kind !== 'goroutine' || sameEncoding(sorted.map((s) => s.p as GoroutineProfile));
  const maps = sorted.map((s) =>
    s.p.kind === 'goroutine' ? goroutineCounts(s.p, options.similarity ?? 'site', withState) : heapCounts(s.p, options.sampleType ?? 'inuse_space'),
  );
  const keys = new Set<string>();
  for (const m of maps) for (const k of m.keys()) keys.add(k);
  const minR2 = options.minR2 ?? 0.8;
  const minInc = options.minIncrease ?? (kind === 'goroutine' ? 3 : 1 << 20);
  const hours = times.map((t) => (t - times[0]!) / 3_600_000);
  const series: TrendSeries[] = [];
  for (const k of keys) {
    const values = maps.map((m) => m.get(k) ?? 0);
    const { slope, r2 } = linearFit(hours, values);
    const span = hours[hours.length - 1]!;
    const fittedIncrease = slope * span;
    let verdict: TrendVerdict;
    if (values.every((v) => v === values[0])) verdict = 'stable';
    else if (r2 >= minR2 && fittedIncrease >= minInc) verdict = 'sustained-growth';
    else if (r2 >= minR2 && -fittedIncrease >= minInc) verdict = 'shrinking';
    else verdict = 'noise';
    series.push({ location: k, values, slopePerHour: slope, r2, projectedGrowthPerHour: slope, verdict });
  }
  const rank = (v: TrendVerdict) => (v === 'sustained-growth' ? 0 : v === 'noise' ? 1 : v === 'shrinking' ? 2 : 3);
  series.sort((a, b) => rank(a.verdict) - rank(b.verdict) || b.slopePerHour - a.slopePerHour || a.location.localeCompare(b.location));
  return { kind, times, series };
}
