/**
 * The dashboard's data logic (ui/src/logic.ts, ui/src/flame.ts tree functions): fleet label
 * filters, group filters, the A → B change table, chartable query results, and the diff and
 * focus trees the flame graphs draw.
 */
import { describe, expect, it } from 'vitest';
import { chartable, changes, filterGroups, matchesFilter, type MomentGroup } from '../../ui/src/logic.js';
import { diffTree, focusTree, type FNode } from '../../ui/src/flame-tree.js';

const t = { job: 'api', instance: 'web-1:6060', url: 'http://web-1:6060/debug/pprof', labels: { team: 'payments', env: 'prod' } };

function g(hash: string, count: number, fn = 'main.work', file = '/src/app/work.go', state = 'chan send', suspect = false): MomentGroup {
  const site = { function: fn, file, line: 10 };
  return { id: 1, hash, state, site, frames: [{ function: 'runtime.gopark', file: '/go/src/runtime/proc.go', line: 1 }, site], createdBy: null, count, leaked: 0, maxWait: 0, labels: {}, verdict: { suspect, rule: 'x', reason: 'r' }, condition: null };
}

describe('fleet label filter', () => {
  it('matches =, !=, =~ (anchored) and free text; a bad regex matches nothing', () => {
    expect(matchesFilter(t, '')).toBe(true);
    expect(matchesFilter(t, 'job=api')).toBe(true);
    expect(matchesFilter(t, 'job=ap')).toBe(false);
    expect(matchesFilter(t, 'team=~pay.*')).toBe(true);
    expect(matchesFilter(t, 'team=~pay')).toBe(false);
    expect(matchesFilter(t, 'env!=prod')).toBe(false);
    expect(matchesFilter(t, 'job=api env!=dev')).toBe(true);
    expect(matchesFilter(t, 'WEB-1')).toBe(true);
    expect(matchesFilter(t, 'instance=~(')).toBe(false);
  });
});

describe('group filters', () => {
  const gs = [g('a', 5, 'main.leak', '/src/app/leak.go'), g('b', 1, 'main.idle', '/src/app/idle.go', 'select', true), g('c', 2, 'net/http.serve', '/go/src/net/http/server.go', 'IO wait')];
  it('regexes on any frame function and file, state, and suspects', () => {
    expect(filterGroups(gs, /leak/, null, '', false).map((x) => x.hash)).toEqual(['a']);
    expect(filterGroups(gs, /gopark/, null, '', false)).toHaveLength(3);
    expect(filterGroups(gs, null, /server\.go$/, '', false).map((x) => x.hash)).toEqual(['c']);
    expect(filterGroups(gs, null, null, 'select', false).map((x) => x.hash)).toEqual(['b']);
    expect(filterGroups(gs, null, null, '', true).map((x) => x.hash)).toEqual(['b']);
  });
});

describe('A → B changes', () => {
  it('new, grown, shrunk and gone by group identity, largest change first; unchanged groups are left out', () => {
    const a = [g('x', 10), g('y', 5), g('z', 3), g('same', 7)];
    const b = [g('x', 100), g('y', 2), g('n', 1), g('same', 7)];
    expect(changes(a, b).map((c) => [c.hash, c.kind, c.a, c.b])).toEqual([
      ['x', 'grown', 10, 100],
      ['y', 'shrunk', 5, 2],
      ['z', 'gone', 3, 0],
      ['n', 'new', 0, 1],
    ]);
  });
});

describe('chartable query results', () => {
  it('a time column and a number give one series per text value', () => {
    const r = { columns: ['job', 'hour', 'max_goroutines'], rows: [['api', 1767600000000, 5], ['web', 1767600000000, 7], ['api', 1767603600000, 9]] };
    const c = chartable(r)!;
    expect(c.x).toBe(1);
    expect(c.series).toEqual([
      { label: 'api', points: [[1767600000000, 5], [1767603600000, 9]] },
      { label: 'web', points: [[1767600000000, 7]] },
    ]);
  });
  it('no time column, or no numbers, or one row: a table only', () => {
    expect(chartable({ columns: ['job', 'n'], rows: [['a', 1], ['b', 2]] })).toBeNull();
    expect(chartable({ columns: ['ts', 'job'], rows: [[1767600000000, 'a'], [1767600001000, 'b']] })).toBeNull();
    expect(chartable({ columns: ['ts', 'n'], rows: [[1767600000000, 1]] })).toBeNull();
    expect(chartable({ columns: ['time', 'n'], rows: [['2026-01-05T09:00:00Z', 1], ['2026-01-05T10:00:00Z', 2]] })!.series[0]!.points[1]).toEqual([Date.parse('2026-01-05T10:00:00Z'), 2]);
  });
});

describe('flame trees', () => {
  // Stacks innermost frame first, as Go prints them.
  const A = [
    { frames: ['gopark', 'leak', 'main'], n: 10 },
    { frames: ['gopark', 'idle', 'main'], n: 4 },
  ];
  const B = [
    { frames: ['gopark', 'leak', 'main'], n: 50 },
    { frames: ['sleep', 'fresh', 'main'], n: 2 },
  ];
  const find = (n: FNode, path: string[]): FNode => path.reduce((x, name) => x.children.find((c) => c.name === name)!, n);
  it('diff: widths are the larger side, own deltas sum to B − A along each path', () => {
    const d = diffTree(A, B);
    // Every stack at its larger side: 50 (leak, B) + 4 (idle, A) + 2 (fresh, B).
    expect(d.value).toBe(56);
    expect(find(d, ['main', 'leak', 'gopark'])).toMatchObject({ value: 50, delta: 40 });
    expect(find(d, ['main', 'idle', 'gopark'])).toMatchObject({ value: 4, delta: -4 });
    expect(find(d, ['main', 'fresh', 'sleep'])).toMatchObject({ value: 2, delta: 2 });
    // Inner nodes carry no own change: the frames above them account for it.
    expect(find(d, ['main']).delta).toBe(0);
    const sum = (n: FNode): number => (n.delta ?? 0) + n.children.reduce((s, c) => s + sum(c), 0);
    expect(sum(d)).toBe(52 - 14);
  });
  it('focus keeps only the stacks through a matching frame, with their values', () => {
    const d = diffTree(A, B);
    const f = focusTree(d, /^leak$/);
    expect(f.children.map((c) => c.name)).toEqual(['main']);
    expect(f.value).toBe(50);
    expect(focusTree(d, /nothing/).value).toBe(0);
  });
});
