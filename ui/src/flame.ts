/**
 * Flame graphs with d3-flame-graph: one profile, or the diff of two moments (A → B) coloured
 * with a diverging blue/red palette (ColorBrewer RdBu, safe for the common colour-vision
 * deficiencies; the tooltip also says "grew"/"shrank" in words), plus pprof-style focus.
 */
import flamegraph from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { FNode } from './flame-tree';

export { diffTree, focusTree, type FNode } from './flame-tree';

/** Diverging palette ends (RdBu): grew, shrank, unchanged. */
export const DIFF_COLORS = { grew: '#d6604d', shrank: '#4393c3', same: '#e8e8e8' };

function mix(c1: string, c2: string, t: number): string {
  const p = (c: string, i: number) => parseInt(c.slice(1 + 2 * i, 3 + 2 * i), 16);
  return '#' + [0, 1, 2].map((i) => Math.round(p(c1, i) + (p(c2, i) - p(c1, i)) * t).toString(16).padStart(2, '0')).join('');
}

/** Sequential colour of a plain flame graph by package (stable hash, light enough for black text). */
function hashColor(name: string): string {
  const pkg = name.split(' ')[0]!.replace(/\.[^.]*$/, '').replace(/\(.*$/, '');
  let h = 0;
  for (const ch of pkg) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  if (/^runtime|^internal\/|^sync|^net|^time|^os|^syscall/.test(pkg)) return `hsl(${200 + (h % 30)}, 30%, 78%)`;
  return `hsl(${20 + (h % 40)}, 80%, ${68 + (h % 10)}%)`;
}

/** Draws a flame graph into `el`. `onPick(name)` on a click. */
export function drawFlame(el: HTMLElement, root: FNode, o: { width: number; diff?: boolean; search?: string; unit?: string; onPick?: (name: string) => void }): () => void {
  el.textContent = '';
  let maxAbs = 1;
  if (o.diff) {
    const walk = (n: FNode): number => {
      const d = (n.delta ?? 0) + n.children.reduce((s, k) => s + walk(k), 0);
      if (n !== root) maxAbs = Math.max(maxAbs, Math.abs(d));
      return d;
    };
    walk(root);
  }
  const unit = o.unit ?? 'goroutines';
  const chart = flamegraph()
    .width(o.width)
    .cellHeight(20)
    .transitionDuration(0)
    .minFrameSize(2)
    .selfValue(false)
    .computeDelta(!!o.diff)
    .setColorMapper((d: { highlight?: boolean; delta?: number; data: FNode }) => {
      if (d.highlight) return '#f0e442';
      if (!o.diff) return hashColor(d.data.name);
      const delta = d.delta ?? 0;
      if (delta === 0) return DIFF_COLORS.same;
      return mix(DIFF_COLORS.same, delta > 0 ? DIFF_COLORS.grew : DIFF_COLORS.shrank, Math.min(1, 0.35 + (0.65 * Math.abs(delta)) / maxAbs));
    })
    .setLabelHandler((d: { delta?: number; value: number; data: FNode; x0: number; x1: number }) => {
      const pct = ((d.x1 - d.x0) * 100).toFixed(1);
      if (!o.diff) return `${d.data.name}: ${d.value.toLocaleString('en-US')} ${unit} (${pct}%)`;
      const dl = d.delta ?? 0;
      return `${d.data.name}: ${dl > 0 ? 'grew by ' + dl : dl < 0 ? 'shrank by ' + -dl : 'unchanged'} (width ${d.value} ${unit})`;
    });
  if (o.onPick) chart.onClick((d: { data: FNode }) => o.onPick!(d.data.name));
  select(el).datum(structuredClone(root)).call(chart);
  if (o.search) chart.search(o.search);
  const svg = el.querySelector('svg');
  svg?.setAttribute('role', 'img');
  svg?.setAttribute('aria-label', o.diff ? 'Diff flame graph: red grew, blue shrank' : 'Flame graph');
  return () => chart.destroy();
}
