/**
 * Trend statistics and the detectors on synthetic series (the end-to-end tests run them on
 * real leaking Go services).
 */
import { describe, expect, it } from 'vitest';
import { bucketMedians, cusumUp, mannKendall, median, theilSen } from '../../src/monitor/stats.js';
import { AllowList, TargetDetector } from '../../src/monitor/detect.js';
import { defaultConfig, type DetectionConfig } from '../../src/monitor/config.js';
import type { GroupRow } from '../../src/monitor/store/types.js';

describe('Mann-Kendall', () => {
  it('matches hand-computed S, tie-corrected variance and Z', () => {
    // x = 1 2 2 3: pairs (1,2)+ (1,2)+ (1,3)+ (2,2)0 (2,3)+ (2,3)+ -> S = 5.
    // Var = [4*3*13 - 2*1*9] / 18 = (156 - 18) / 18 = 7.667; Z = (5 - 1) / sqrt(7.667) = 1.4446.
    const r = mannKendall([1, 2, 2, 3]);
    expect(r.s).toBe(5);
    expect(r.varS).toBeCloseTo(138 / 18, 10);
    expect(r.z).toBeCloseTo(4 / Math.sqrt(138 / 18), 10);
  });
  it('is 0 for a constant series (all ties) and negative for a decreasing one', () => {
    expect(mannKendall([5, 5, 5, 5, 5]).z).toBe(0);
    expect(mannKendall([9, 7, 8, 5, 3, 1]).z).toBeLessThan(-2);
  });
  it('a monotone series of 20 points is very significant; white noise is not', () => {
    expect(mannKendall(Array.from({ length: 20 }, (_, i) => i)).z).toBeGreaterThan(5);
    // A fixed pseudo-random sequence (LCG) around a constant.
    let x = 7;
    const noise = Array.from({ length: 30 }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31), 100 + (x % 21) - 10));
    expect(Math.abs(mannKendall(noise).z)).toBeLessThan(3);
  });
});

describe('Theil-Sen, medians, CUSUM', () => {
  it('Theil-Sen ignores an outlier that would pull least squares', () => {
    const pts = Array.from({ length: 11 }, (_, i) => ({ t: i * 1000, v: 2 * i + (i === 5 ? 500 : 0) }));
    expect(theilSen(pts).slope * 1000).toBeCloseTo(2, 6);
  });
  it('bucketMedians aligns buckets and takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const b = bucketMedians([{ t: 0, v: 1 }, { t: 10, v: 100 }, { t: 20, v: 3 }, { t: 60_000, v: 7 }], 60_000);
    expect(b).toEqual([{ t: 0, v: 3 }, { t: 60_000, v: 7 }]);
  });
  it('CUSUM alarms on a step, not on noise', () => {
    const flat = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10];
    expect(cusumUp(flat).alarmAt).toBe(-1);
    const step = [...flat, 60, 61, 59, 60, 62];
    const r = cusumUp(step);
    expect(r.alarmAt).toBe(10);
    expect(r.step).toBeGreaterThanOrEqual(45);
  });
});

const site = (line: number) => ({ function: 'main.handler.func1', file: '/app/main.go', line });
function row(hash: string, count: number, state = 'chan send', line = 42): GroupRow {
  return { hash, state, frames: [{ function: 'runtime.gopark', file: '/go/src/runtime/proc.go', line: 1 }, site(line)], site: site(line), count, leaked: 0, maxWait: 0 };
}

function cfg(over: Partial<DetectionConfig['growth']> = {}): DetectionConfig {
  const d = defaultConfig().detection;
  return { ...d, growth: { ...d.growth, ...over } };
}

describe('TargetDetector', () => {
  const MIN = 60_000;
  it('growth: a group growing 10/min for 30 minutes fires; a busy but stable group does not', () => {
    const det = new TargetDetector(cfg(), 'job', new AllowList([]));
    let x = 3;
    for (let i = 0; i <= 60; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const busy = 400 + (x % 101) - 50; // 350..450 in-flight requests, no trend
      det.observeGoroutine(i * 30_000, 1000, [row('leak', 100 + i * 5), row('busy', busy, 'select', 77)]);
    }
    const c = det.conditions(60 * 30_000);
    const growth = c.filter((x) => x.rule === 'goroutine-growth');
    expect(growth.map((g) => g.subject)).toEqual(['leak']);
    const st = growth[0]!.details.stats as { slopePerHour: number; z: number; growth: number };
    expect(st.slopePerHour).toBeCloseTo(600, 0);
    expect(st.z).toBeGreaterThan(3);
    expect(st.growth).toBeGreaterThanOrEqual(145);
  });
  it('growth floors: a slow or small group does not fire', () => {
    const det = new TargetDetector(cfg(), 'job', new AllowList([]));
    for (let i = 0; i <= 60; i++) det.observeGoroutine(i * 30_000, 100, [row('small', 10 + i), row('slow', 300 + Math.floor(i / 20))]);
    expect(det.conditions(60 * 30_000).filter((c) => c.rule === 'goroutine-growth')).toEqual([]);
  });
  it('a large drop of the total starts a new segment (restart), not a recovery', () => {
    const det = new TargetDetector(cfg(), 'job', new AllowList([]));
    for (let i = 0; i <= 60; i++) det.observeGoroutine(i * 30_000, 1000 + i * 10, [row('leak', 100 + i * 10)]);
    expect(det.conditions(60 * 30_000).some((c) => c.rule === 'goroutine-growth')).toBe(true);
    const r = det.observeGoroutine(61 * 30_000, 50, [row('leak', 0)]);
    expect(r.restarted).toBe(true);
    expect(det.segment).toBe(1);
    expect(det.conditions(61 * 30_000)).toEqual([]);
  });
  it('heap: a decreasing cumulative allocation total is a restart', () => {
    const det = new TargetDetector(cfg(), 'job', new AllowList([]));
    expect(det.observeHeap(0, [], 100, 5000).restarted).toBe(false);
    expect(det.observeHeap(1000, [], 100, 6000).restarted).toBe(false);
    expect(det.observeHeap(2000, [], 100, 10).restarted).toBe(true);
  });
  it('concentration (LeakProf): >= 1000 blocked at one user line, unless allow-listed', () => {
    const many = [row('a', 600, 'chan receive', 9), row('b', 500, 'chan receive', 9)];
    const det = new TargetDetector(cfg(), 'job', new AllowList([]));
    det.observeGoroutine(0, 1200, many);
    expect(det.conditions(0).map((c) => [c.rule, c.details.count])).toEqual([['goroutine-concentration', 1100]]);
    const allowed = new TargetDetector(cfg(), 'job', new AllowList([{ function: '^main\\.handler', reason: 'pool by design' }]));
    allowed.observeGoroutine(0, 1200, many);
    expect(allowed.conditions(0)).toEqual([]);
  });
  it('goroutineleak: reported only after N consecutive profiles show the site', () => {
    const det = new TargetDetector(cfg(), 'job', new AllowList([]));
    det.observeLeak(0, [row('x', 3)]);
    det.observeLeak(1, [row('x', 4)]);
    expect(det.conditions(1)).toEqual([]);
    det.observeLeak(2, [row('x', 5)]);
    expect(det.conditions(2).map((c) => [c.rule, c.severity, c.details.count])).toEqual([['goroutineleak', 'critical', 5]]);
    det.observeLeak(3, []);
    expect(det.conditions(3)).toEqual([]);
  });
  it('goroutineleak: a target that moves to another collector keeps its condition and run count', () => {
    const a = new TargetDetector(cfg(), 'job', new AllowList([]));
    for (let i = 0; i < 3; i++) a.observeLeak(i, [row('x', 3 + i)]);
    const held = a.conditions(2).map((c) => ({ ...c, targetId: 7 }));
    expect(held.map((c) => [c.rule, c.details.runs])).toEqual([['goroutineleak', 3]]);
    // The new owner rebuilds its series from the store, then sees a goroutine scrape first.
    const b = new TargetDetector(cfg(), 'job', new AllowList([]));
    b.restoreLeakRuns(held);
    b.observeGoroutine(10, 100, [row('y', 5)]);
    expect(b.conditions(10).filter((c) => c.rule === 'goroutineleak').map((c) => [c.subject, c.details.runs])).toEqual([[held[0]!.subject, 3]]);
    // Its own goroutineleak scrapes count on from there, or clear the site.
    b.observeLeak(11, [row('x', 9)]);
    expect(b.conditions(11).filter((c) => c.rule === 'goroutineleak').map((c) => c.details.runs)).toEqual([4]);
    b.observeLeak(12, []);
    expect(b.conditions(12).filter((c) => c.rule === 'goroutineleak')).toEqual([]);
    // A fresh detector without the carried runs would have ended it at once.
    const fresh = new TargetDetector(cfg(), 'job', new AllowList([]));
    fresh.observeGoroutine(10, 100, [row('y', 5)]);
    expect(fresh.conditions(10).filter((c) => c.rule === 'goroutineleak')).toEqual([]);
  });
  it('heap growth per site with slope and growth floors; a step change is caught by CUSUM', () => {
    const d = defaultConfig().detection;
    const det = new TargetDetector({ ...d, heap: { ...d.heap, windowMs: 60 * MIN } }, 'job', new AllowList([]));
    const MiB = 1 << 20;
    for (let i = 0; i <= 60; i++) {
      const grow = { site: site(7), inuseBytes: 10 * MiB + i * MiB, inuseObjects: i };
      const step = { site: site(8), inuseBytes: i < 40 ? 50 * MiB : 150 * MiB, inuseObjects: 1 };
      const flat = { site: site(9), inuseBytes: 80 * MiB + (i % 3) * MiB, inuseObjects: 1 };
      det.observeHeap(i * MIN, [grow, step, flat], 300 * MiB, 1e9 + i);
    }
    const c = det.conditions(60 * MIN);
    expect(c.map((x) => `${x.rule}@${(x.details.site as { line: number }).line}`).sort()).toEqual(['heap-growth@7', 'heap-step@8']);
  });
});
