/**
 * The trees the flame graphs draw, without the DOM (unit-tested in Node): pprof-style focus and
 * the A → B diff tree.
 */

/** A tree node (server's FlameNode), with `delta` in diffs. */
export interface FNode {
  name: string;
  value: number;
  children: FNode[];
  delta?: number;
}

/** Keeps only stacks through a frame whose name matches `re`; values are the matching subtrees' sums. */
export function focusTree(root: FNode, re: RegExp): FNode {
  const walk = (n: FNode): FNode | null => {
    if (re.test(n.name)) return n;
    const kids = n.children.map(walk).filter((x): x is FNode => x !== null);
    if (!kids.length) return null;
    return { name: n.name, value: kids.reduce((s, k) => s + k.value, 0), children: kids, ...(n.delta !== undefined ? { delta: kids.reduce((s, k) => s + (k.delta ?? 0), 0) } : {}) };
  };
  return walk(root) ?? { name: root.name, value: 0, children: [] };
}

/** Builds the diff tree of two weighted stack lists (frames innermost first). Width: max(A, B); `delta`: B − A (own, per node). */
export function diffTree(a: { frames: string[]; n: number }[], b: { frames: string[]; n: number }[]): FNode {
  type T = { name: string; a: number; b: number; kids: Map<string, T> };
  const root: T = { name: 'all', a: 0, b: 0, kids: new Map() };
  const add = (frames: string[], n: number, side: 'a' | 'b') => {
    let node = root;
    node[side] += n;
    for (let i = frames.length - 1; i >= 0; i--) {
      const name = frames[i]!;
      let c = node.kids.get(name);
      if (!c) node.kids.set(name, (c = { name, a: 0, b: 0, kids: new Map() }));
      c[side] += n;
      node = c;
    }
  };
  for (const s of a) add(s.frames, s.n, 'a');
  for (const s of b) add(s.frames, s.n, 'b');
  const conv = (t: T): FNode => {
    const children = [...t.kids.values()].map(conv);
    const sumA = [...t.kids.values()].reduce((s, k) => s + k.a, 0);
    const sumB = [...t.kids.values()].reduce((s, k) => s + k.b, 0);
    const childWidth = children.reduce((s, k) => s + k.value, 0);
    // Own delta (d3-flame-graph's computeDelta sums the children's back in).
    return { name: t.name, value: Math.max(Math.max(t.a, t.b), childWidth), children, delta: t.b - sumB - (t.a - sumA) };
  };
  return conv(root);
}

