/**
 * The dashboard's data logic, free of the DOM and of Preact so it is unit-tested in Node
 * (test/ui/logic.test.ts): fleet label filters, goroutine group filters, the A → B change
 * classification and which query results can be charted.
 */
import type { Group, Target } from './api.js';

/** A group with its verdict (GET /targets/:id/moment). */
export interface MomentGroup extends Group {
  verdict: { suspect: boolean; rule: string; reason: string };
  condition: { rule: string; severity: string; summary: string; since: number } | null;
}

/**
 * Fleet filter: space-separated terms, each `label=value`, `label!=value`, `label=~regex`
 * (anchored, as Prometheus) or free text matched against job, instance, URL and label values.
 */
export function matchesFilter(t: Pick<Target, 'job' | 'instance' | 'url' | 'labels'>, f: string): boolean {
  if (!f.trim()) return true;
  const labels: Record<string, string> = { job: t.job, instance: t.instance, ...t.labels };
  return f
    .trim()
    .split(/\s+/)
    .every((term) => {
      const m = /^([\w.-]+)(=~|!=|=)(.*)$/.exec(term);
      if (!m) return `${t.job} ${t.instance} ${t.url} ${Object.values(t.labels).join(' ')}`.toLowerCase().includes(term.toLowerCase());
      const v = labels[m[1]!] ?? '';
      if (m[2] === '=') return v === m[3];
      if (m[2] === '!=') return v !== m[3];
      try {
        return new RegExp(`^(?:${m[3]})$`).test(v);
      } catch {
        return false;
      }
    });
}

/** Filters groups by regexes on any frame's function and file, by state, and to suspects. */
export function filterGroups(groups: MomentGroup[], f: RegExp | null, file: RegExp | null, state: string, suspectOnly: boolean): MomentGroup[] {
  return groups.filter(
    (g) =>
      (!f || g.frames.some((x) => f.test(x.function)) || f.test(g.site.function)) &&
      (!file || g.frames.some((x) => file.test(x.file))) &&
      (!state || g.state === state) &&
      (!suspectOnly || g.verdict.suspect || !!g.condition),
  );
}

/** A row of the new/grown/shrunk/gone table. */
export interface Change {
  hash: string;
  kind: 'new' | 'grown' | 'shrunk' | 'gone';
  a: number;
  b: number;
  g: MomentGroup;
}

/** Classifies the groups of two moments by identity (hash), largest change first. */
export function changes(a: MomentGroup[], b: MomentGroup[]): Change[] {
  const ma = new Map(a.map((g) => [g.hash, g]));
  const mb = new Map(b.map((g) => [g.hash, g]));
  const out: Change[] = [];
  for (const g of b) {
    const o = ma.get(g.hash);
    if (!o) out.push({ hash: g.hash, kind: 'new', a: 0, b: g.count, g });
    else if (g.count > o.count) out.push({ hash: g.hash, kind: 'grown', a: o.count, b: g.count, g });
    else if (g.count < o.count) out.push({ hash: g.hash, kind: 'shrunk', a: o.count, b: g.count, g });
  }
  for (const g of a) if (!mb.has(g.hash)) out.push({ hash: g.hash, kind: 'gone', a: g.count, b: 0, g });
  return out.sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
}

/** A query result. */
export interface Result {
  columns: string[];
  rows: unknown[][];
}

const TIME_COL = /^(ts|time|hour|day|minute|bucket|.*_at|.*_time|started|first_seen|last_seen)$/i;

/**
 * The time column and series of a result that can be charted, or null: a column named like a
 * time whose values are all epoch milliseconds or ISO dates, the first all-numeric other column
 * as the value, one series per combination of the all-text columns (at most 12).
 */
export function chartable(r: Result): { x: number; series: { label: string; points: [number, number][] }[] } | null {
  if (r.rows.length < 2) return null;
  const asTime = (v: unknown): number | null => (typeof v === 'number' && v > 946684800000 ? v : typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : null);
  const x = r.columns.findIndex((c, i) => TIME_COL.test(c) && r.rows.every((row) => asTime(row[i]) !== null));
  if (x < 0) return null;
  const num = r.columns.findIndex((_c, i) => i !== x && r.rows.every((row) => typeof row[i] === 'number'));
  if (num < 0) return null;
  const keys = r.columns.map((_c, i) => i).filter((i) => i !== x && i !== num && r.rows.every((row) => typeof row[i] === 'string'));
  const by = new Map<string, [number, number][]>();
  for (const row of r.rows) {
    const k = keys.map((i) => row[i]).join('/') || r.columns[num]!;
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push([asTime(row[x])!, row[num] as number]);
  }
  return { x, series: [...by.entries()].slice(0, 12).map(([label, points]) => ({ label, points: points.sort((a, b) => a[0] - b[0]) })) };
}
