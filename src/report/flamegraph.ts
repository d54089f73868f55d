/**
 * @fileoverview A flame graph (icicle layout: root on top, callees below) as a
 * self-contained SVG string, for the HTML profile reports. No script is
 * needed to read it: every box has a `<title>` tooltip with the full frame,
 * its value and its share, and boxes too narrow for text are left unlabelled.
 *
 * Layout follows Brendan Gregg's flame graphs (flamegraph.pl): each node's
 * width is proportional to the total weight of the stacks passing through it,
 * children are sorted by name so two graphs of the same program line up.
 */

/** One weighted stack, innermost frame first (the order of profile stacks). */
export interface WeightedStack {
  frames: readonly string[];
  weight: number;
  /** Marks the stack (e.g. a suspected leak): boxes it passes through are tinted. */
  hot?: boolean;
}

/** Options for {@link flameGraphSvg}. */
export interface FlameGraphOptions {
  /** SVG width in px (default 1200). */
  width?: number;
  /** Box height in px (default 17). */
  rowHeight?: number;
  /** Formats a value for tooltips (default: the number). */
  format?: (v: number) => string;
  /** Title drawn above the graph. */
  title?: string;
  /** Maximum depth drawn (default 64); deeper frames are folded into their parent. */
  maxDepth?: number;
}

interface Node {
  name: string;
  value: number;
  hot: number;
  children: Map<string, Node>;
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '"' ? '&quot;' : '&#39;'));
}

/** Builds the call tree (root-first) from innermost-first stacks. */
function buildTree(stacks: readonly WeightedStack[], maxDepth: number): Node {
  const root: Node = { name: 'all', value: 0, hot: 0, children: new Map() };
  for (const s of stacks) {
    if (s.weight <= 0) continue;
    root.value += s.weight;
    if (s.hot) root.hot += s.weight;
    let node = root;
    let depth = 0;
    for (let i = s.frames.length - 1; i >= 0 && depth < maxDepth; i--, depth++) {
      const name = s.frames[i]!;
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { name, value: 0, hot: 0, children: new Map() }));
      child.value += s.weight;
      if (s.hot) child.hot += s.weight;
      node = child;
    }
  }
  return root;
}

/** Deterministic colour per frame: warm hues for user code, cool for the runtime, grey-blue for the standard library. */
function colour(name: string, hotShare: number): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const v = h % 20;
  if (hotShare > 0) return `hsl(${0 + (v % 8)}, ${60 + Math.round(30 * hotShare)}%, ${62 - Math.round(10 * hotShare)}%)`;
  const pkg = name.slice(0, Math.max(0, name.indexOf('.', name.lastIndexOf('/') + 1)));
  if (pkg === 'runtime' || pkg.startsWith('internal/') || pkg.startsWith('runtime/')) return `hsl(${200 + v}, 30%, 72%)`;
  const first = pkg.split('/', 1)[0] ?? '';
  if (pkg !== 'main' && !first.includes('.') && name !== 'all') return `hsl(${170 + v}, 25%, 70%)`;
  return `hsl(${30 + v}, 85%, 62%)`;
}

/**
 * Renders an icicle flame graph as an `<svg>` element. Returns a short
 * `<p>` note instead when there is nothing to draw.
 */
export function flameGraphSvg(stacks: readonly WeightedStack[], options: FlameGraphOptions = {}): string {
  const width = options.width ?? 1200;
  const rowH = options.rowHeight ?? 17;
  const fmt = options.format ?? ((v: number) => String(v));
  const root = buildTree(stacks, options.maxDepth ?? 64);
  if (root.value <= 0) return '<p class="empty">No samples to draw.</p>';
  const top = options.title ? 24 : 4;
  const boxes: string[] = [];
  let maxDepth = 0;
  const minW = 0.5;
  const walk = (n: Node, x: number, depth: number, w: number): void => {
    if (w < minW) return;
    maxDepth = Math.max(maxDepth, depth);
    const y = top + depth * rowH;
    const share = ((100 * n.value) / root.value).toFixed(2);
    const hotShare = n.value > 0 ? n.hot / n.value : 0;
    const label = w > 40 ? fitText(n.name, w) : '';
    boxes.push(
      `<g class="f"><title>${escapeXml(n.name)}\n${escapeXml(fmt(n.value))} (${share}%)${n.hot > 0 ? `\n${escapeXml(fmt(n.hot))} in suspected leaks` : ''}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(0, w - 0.5).toFixed(2)}" height="${rowH - 1}" rx="2" fill="${colour(n.name, hotShare)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(2)}" y="${y + rowH - 5}">${escapeXml(label)}</text>` : '') +
        '</g>',
    );
    let cx = x;
    const kids = [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const k of kids) {
      const kw = (w * k.value) / n.value;
      walk(k, cx, depth + 1, kw);
      cx += kw;
    }
  };
  walk(root, 0, 0, width);
  const height = top + (maxDepth + 1) * rowH + 4;
  const title = options.title ? `<text class="t" x="${width / 2}" y="16" text-anchor="middle">${escapeXml(options.title)}</text>` : '';
  return (
    `<svg class="flame" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(options.title ?? 'flame graph')}">` +
    '<style>.flame text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#222;pointer-events:none}.flame .t{font-size:13px;font-weight:600}.flame g.f:hover rect{stroke:#000;stroke-width:.8}</style>' +
    title +
    boxes.join('') +
    '</svg>'
  );
}

/** Truncates a label to fit `w` px at ~6.6 px per character. */
function fitText(s: string, w: number): string {
  const max = Math.floor((w - 6) / 6.6);
  if (s.length <= max) return s;
  return max > 2 ? s.slice(0, max - 1) + '…' : '';
}
