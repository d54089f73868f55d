/**
 * The target page's synced time-series charts (uPlot): goroutines (total and the top groups)
 * and heap in use, sharing one cursor and one x range, with restarts marked as dashed lines,
 * alerts drawn as bands and points A and B as labelled lines. Kept free of Preact so the
 * benchmark (bench/ui) can time the drawing alone.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Data of {@link drawTargetCharts}; times in ms. */
export interface ChartData {
  from: number;
  to: number;
  goroutines: [number, number, number | null][];
  heap: [number, number, number | null][];
  groups: { label: string; points: [number, number][] }[];
  restarts: number[];
  alerts: { startedAt: number; resolvedAt: number | null; state: string; severity: string }[];
  a?: number | undefined;
  b?: number | undefined;
}

/** Okabe–Ito palette (colour-blind safe) for the group series. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** Aligns series on the union of their timestamps (uPlot's data layout), in seconds. */
export function align(series: [number, number][][]): uPlot.AlignedData {
  const ts = new Set<number>();
  for (const s of series) for (const p of s) ts.add(p[0]);
  const xs = [...ts].sort((a, b) => a - b);
  const idx = new Map(xs.map((x, i) => [x, i]));
  const out: (number | null)[][] = series.map(() => new Array<number | null>(xs.length).fill(null));
  series.forEach((s, k) => {
    for (const p of s) out[k]![idx.get(p[0])!] = p[1];
  });
  return [xs.map((x) => x / 1000), ...out] as uPlot.AlignedData;
}

function overlays(d: ChartData) {
  return (u: uPlot) => {
    const ctx = u.ctx;
    const top = u.bbox.top;
    const height = u.bbox.height;
    const px = (ms: number) => u.valToPos(ms / 1000, 'x', true);
    ctx.save();
    for (const a of d.alerts) {
      const x0 = Math.max(px(a.startedAt), u.bbox.left);
      const x1 = Math.min(px(a.resolvedAt ?? d.to), u.bbox.left + u.bbox.width);
      if (x1 <= x0) continue;
      ctx.fillStyle = a.state === 'firing' ? 'rgba(213,94,0,0.16)' : a.state === 'pending' ? 'rgba(230,159,0,0.14)' : 'rgba(120,120,120,0.12)';
      ctx.fillRect(x0, top, x1 - x0, height);
    }
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = '#555';
    ctx.lineWidth = 1.5;
    for (const r of d.restarts) {
      const x = px(r);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.font = 'bold 12px sans-serif';
    for (const [name, t] of [['A', d.a], ['B', d.b]] as const) {
      if (t === undefined) continue;
      const x = px(t);
      ctx.strokeStyle = ctx.fillStyle = name === 'A' ? '#0072B2' : '#D55E00';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillText(name, x + 4, top + 14);
    }
    ctx.restore();
  };
}

/** Draws the charts into `el` (emptied first); `onPick(ms, shift)` on a click. Returns a disposer. */
export function drawTargetCharts(el: HTMLElement, d: ChartData, width: number, onPick?: (ms: number, shift: boolean) => void): () => void {
  el.textContent = '';
  const sync = uPlot.sync('target-' + Math.random().toString(36).slice(2));
  const cursor: uPlot.Cursor = { sync: { key: sync.key, setSeries: false }, drag: { x: true, y: false, setScale: false } };
  // UTC clock times on the x axis (the server's logs and the URL are in UTC).
  const xFmt = (_u: uPlot, vs: number[]) => vs.map((v) => new Date(v * 1000).toISOString().slice(d.to - d.from > 86_400_000 ? 5 : 11, d.to - d.from > 86_400_000 ? 16 : 19).replace('T', ' '));
  const axes: uPlot.Axis[] = [{ space: 90, values: xFmt }, { size: 60 }];
  const hooks: uPlot.Hooks.Arrays = { draw: [overlays(d)] };
  const mk = (title: string, data: uPlot.AlignedData, series: uPlot.Series[], fmt?: (v: number) => string) => {
    const box = document.createElement('figure');
    box.className = 'chart';
    const cap = document.createElement('figcaption');
    cap.textContent = title;
    box.append(cap);
    el.append(box);
    const u = new uPlot(
      {
        width,
        height: 220,
        cursor,
        // From the first point when the data starts inside the range (a new target): the
        // charts use their width for data, and clicks land on scrapes.
        scales: { x: { time: true, range: [Math.max(d.from, d.goroutines[0]?.[0] ?? d.from) / 1000, d.to / 1000] } },
        axes: fmt ? [axes[0]!, { ...axes[1]!, values: (_u, vs) => vs.map((v) => fmt(v)) }] : axes,
        series: [{ value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(11, 19) + 'Z') }, ...series],
        hooks,
        legend: { live: true },
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      },
      data,
      box,
    );
    if (onPick) {
      u.over.addEventListener('click', (e) => {
        const left = u.cursor.left;
        if (left === undefined || left < 0) return;
        onPick(Math.round(u.posToVal(left, 'x') * 1000), e.shiftKey);
      });
    }
    return u;
  };
  const gData = align([d.goroutines.map((p) => [p[0], p[1]] as [number, number]), ...d.groups.map((g) => g.points)]);
  const charts = [
    mk('Goroutines: total and top groups', gData, [
      { label: 'total', stroke: '#222', width: 2 },
      ...d.groups.map((g, i) => ({ label: g.label, stroke: PALETTE[i % PALETTE.length]!, width: 1.5, dash: i >= PALETTE.length ? [4, 3] : undefined })),
    ]),
    mk('Heap in use', align([d.heap.map((p) => [p[0], p[1]] as [number, number])]), [{ label: 'heap in use', stroke: '#009E73', width: 2, fill: 'rgba(0,158,115,0.08)', value: (_u, v) => (v === null ? '—' : bytes(v)) }], bytes),
  ];
  return () => {
    for (const c of charts) c.destroy();
  };
}

function bytes(n: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${+n.toFixed(1)} ${u[i]}`;
}
