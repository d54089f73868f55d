/**
 * @fileoverview Trend statistics for the monitor's detectors, written in-house (no
 * maintained npm package implements Mann–Kendall or CUSUM):
 *
 * - {@link bucketMedians}: raw scrapes reduced to one median per time bucket (default one
 *   minute). Down-sampling to medians removes scrape jitter and limits the false
 *   significance that autocorrelated 30-second samples give a rank test.
 * - {@link mannKendall}: the Mann–Kendall trend test with the tie correction of the
 *   variance (Kendall 1975; Hirsch & Slack 1984): S = Σ sign(x_j − x_i),
 *   Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, Z = (S − sign(S)) / √Var(S).
 *   Goroutine counts are integers and plateau often, so ties are the rule, not the
 *   exception: without the correction Z is understated.
 * - {@link theilSen}: the median of all pairwise slopes (Theil 1950, Sen 1968), robust to
 *   the outliers (a burst of requests) that pull an ordinary least-squares line.
 * - {@link cusumUp}: a one-sided tabular CUSUM on first differences (Page 1954), for step
 *   changes: S_t = max(0, S_{t−1} + d_t − μ − k), alarm when S_t > h, with k and h in
 *   units of a robust σ (MAD of the differences).
 */

/** A point of a series: time in milliseconds and a value. */
export interface Point {
  t: number;
  v: number;
}

/** Median of a list (NaN for an empty list). Does not modify the input. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Groups points into buckets of `bucketMs` (aligned to the epoch) and returns one point
 * per non-empty bucket: the bucket start and the median of its values, oldest first.
 */
export function bucketMedians(points: readonly Point[], bucketMs: number): Point[] {
  const byBucket = new Map<number, number[]>();
  for (const p of points) {
    const b = Math.floor(p.t / bucketMs) * bucketMs;
    let l = byBucket.get(b);
    if (!l) byBucket.set(b, (l = []));
    l.push(p.v);
  }
  return [...byBucket.entries()].sort((a, b) => a[0] - b[0]).map(([t, vs]) => ({ t, v: median(vs) }));
}

/** Result of {@link mannKendall}. */
export interface MannKendall {
  n: number;
  /** Kendall's S statistic. */
  s: number;
  /** Variance of S with the tie correction. */
  varS: number;
  /** Standardised statistic with continuity correction; 0 when the variance is 0. */
  z: number;
}

/**
 * Mann–Kendall trend test with tie correction. O(n²) in pairs, which is fine for the
 * windows used here (30 one-minute medians, 360 for six hours of heap: 65k pairs).
 */
export function mannKendall(values: readonly number[]): MannKendall {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const vi = values[i]!;
    for (let j = i + 1; j < n; j++) {
      const d = values[j]! - vi;
      if (d > 0) s++;
      else if (d < 0) s--;
    }
  }
  const ties = new Map<number, number>();
  for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) if (t > 1) tieTerm += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  let z = 0;
  if (varS > 0) {
    if (s > 0) z = (s - 1) / Math.sqrt(varS);
    else if (s < 0) z = (s + 1) / Math.sqrt(varS);
  }
  return { n, s, varS, z };
}

/** Result of {@link theilSen}: slope per millisecond and the median intercept. */
export interface TheilSen {
  slope: number;
  intercept: number;
}

/** Theil–Sen estimator over (t, v) points; slope in value units per millisecond. */
export function theilSen(points: readonly Point[]): TheilSen {
  const n = points.length;
  if (n < 2) return { slope: 0, intercept: n === 1 ? points[0]!.v : 0 };
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = points[j]!.t - points[i]!.t;
      if (dt !== 0) slopes.push((points[j]!.v - points[i]!.v) / dt);
    }
  }
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = median(points.map((p) => p.v - slope * p.t));
  return { slope, intercept };
}

/** Result of {@link cusumUp}. */
export interface Cusum {
  /** Index (into the input values) of the first alarm, or -1. */
  alarmAt: number;
  /** Largest value the statistic reached. */
  max: number;
  /** Robust σ of the first differences used for k and h. */
  sigma: number;
  /** Sum of the differences from the last reset to the alarm: the size of the step. */
  step: number;
}

/**
 * One-sided upper CUSUM on first differences of `values`. The reference mean μ and σ come
 * from the differences themselves (median and 1.4826 × MAD, so the step being detected
 * does not inflate them); `k` and `h` are multiples of σ (defaults 0.5 and 5). A series
 * whose differences have no spread at all gets σ = `minSigma` so one jump still alarms.
 */
export function cusumUp(values: readonly number[], k = 0.5, h = 5, minSigma = 1): Cusum {
  const d: number[] = [];
  for (let i = 1; i < values.length; i++) d.push(values[i]! - values[i - 1]!);
  if (d.length === 0) return { alarmAt: -1, max: 0, sigma: 0, step: 0 };
  const mu = median(d);
  const mad = median(d.map((x) => Math.abs(x - mu)));
  const sigma = Math.max(1.4826 * mad, minSigma);
  let sPos = 0;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    const next = sPos + d[i]! - mu - k * sigma;
    if (next <= 0) {
      sPos = 0;
      sum = 0;
    } else {
      sPos = next;
      sum += d[i]!;
    }
    if (sPos > max) max = sPos;
    if (sPos > h * sigma) return { alarmAt: i + 1, max, sigma, step: sum };
  }
  return { alarmAt: -1, max, sigma, step: 0 };
}
