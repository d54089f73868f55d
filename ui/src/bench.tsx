/**
 * In-browser part of the dashboard benchmark (bench/ui.ts builds this page separately; it is
 * not part of the shipped app): draws the target page's charts from synthetic series and
 * renders the goroutine list with 10,000 groups, and reports times measured with
 * `performance.now()` up to the next frame.
 */
import { render } from 'preact';
import { drawTargetCharts, type ChartData } from './charts';
import { VirtualList } from './pages/goroutines';
import { filterGroups, type MomentGroup } from './logic';
import './styles.css';

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

function series(points: number, groups: number): ChartData {
  const to = Date.UTC(2026, 0, 5, 12);
  const step = 30_000;
  const from = to - points * step;
  const mk = (k: number) => Array.from({ length: points }, (_, i) => [from + i * step, Math.round(50 + k * 10 + i * (k % 3) * 0.05 + Math.sin(i / 40 + k) * 8)] as [number, number]);
  return {
    from,
    to,
    goroutines: mk(0).map(([t, v]) => [t, v * groups, 0]),
    heap: mk(1).map(([t, v]) => [t, v * 1_000_000, 0]),
    groups: Array.from({ length: groups }, (_, k) => ({ label: `main.worker${k} main.go:${40 + k}`, points: mk(k + 2) })),
    restarts: [from + (points / 2) * step],
    alerts: [{ startedAt: from + points * step * 0.7, resolvedAt: null, state: 'firing', severity: 'warning' }],
  };
}

/** Milliseconds to draw the target page's charts (`points` per series, `groups` group series). */
async function benchTarget(points: number, groups: number): Promise<number> {
  const el = document.getElementById('charts')!;
  const d = series(points, groups);
  await frame();
  const t0 = performance.now();
  const dispose = drawTargetCharts(el, d, 1200);
  await frame();
  const ms = performance.now() - t0;
  dispose();
  return ms;
}

function groups(n: number): MomentGroup[] {
  return Array.from({ length: n }, (_, i) => {
    const site = { function: `example.com/svc/pkg${i % 50}.handler${i}`, file: `/src/svc/pkg${i % 50}/file${i % 7}.go`, line: 10 + (i % 300) };
    return {
      id: i,
      hash: i.toString(16).padStart(8, '0'),
      state: ['chan receive', 'chan send', 'select', 'IO wait'][i % 4]!,
      site,
      frames: [{ function: 'runtime.gopark', file: '/go/src/runtime/proc.go', line: 460 }, site, { function: 'main.main', file: '/src/main.go', line: 20 }],
      createdBy: null,
      count: 1 + ((i * 7919) % 5000),
      leaked: 0,
      maxWait: 0,
      labels: {},
      verdict: { suspect: i % 10 === 0, rule: 'x', reason: 'r' },
      condition: null,
    };
  });
}

/** Goroutine list with `n` groups: first render, a regex filter, and a scroll, in ms. */
async function benchGroups(n: number): Promise<{ render: number; filter: number; scroll: number; rows: number }> {
  const el = document.getElementById('groups')!;
  const all = groups(n).sort((a, b) => b.count - a.count);
  const row = (g: MomentGroup) => (
    <a class="grow" href={`#${g.hash}`}>
      <span class="cnt">{g.count}</span> <span class="st">{g.state}</span> <span class="fn">{g.site.function}</span>
    </a>
  );
  await frame();
  let t0 = performance.now();
  render(<VirtualList items={all} height={560} row={56} label="groups" render={row} />, el);
  await frame();
  const r = performance.now() - t0;
  t0 = performance.now();
  const shown = filterGroups(all, /handler1\d*$/, /pkg1/, '', false);
  render(<VirtualList items={shown} height={560} row={56} label="groups" render={row} />, el);
  await frame();
  const f = performance.now() - t0;
  render(<VirtualList items={all} height={560} row={56} label="groups" render={row} />, el);
  await frame();
  const list = el.querySelector('.vlist') as HTMLElement;
  t0 = performance.now();
  for (let k = 1; k <= 10; k++) {
    list.scrollTop = k * 20_000;
    list.dispatchEvent(new Event('scroll'));
    await frame();
  }
  const s = (performance.now() - t0) / 10;
  const rows = el.querySelectorAll('.vrow').length;
  render(null, el);
  return { render: r, filter: f, scroll: s, rows };
}

Object.assign(window, { benchTarget, benchGroups });
document.title = 'ready';
