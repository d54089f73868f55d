/** Formatting helpers shared by the pages (all times in UTC, as the server logs them). */

/** `2026-01-05 09:00:00Z` */
export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `3m 20s ago` */
export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (!ms) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** `12.3 MiB` */
export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${u[i]}`;
}

/** `1,234` */
export function fmtNum(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** `main.worker main.go:42` */
export function frameLabel(f: { function: string; file: string; line: number } | null | undefined): string {
  if (!f) return '—';
  const base = f.file.split('/').pop() ?? f.file;
  return f.line ? `${f.function} ${base}:${f.line}` : f.function;
}

/** Parses a time from the URL (epoch ms), or undefined. */
export function qTime(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Compiles a user's regex; returns an error message instead of throwing. */
export function safeRegex(src: string): RegExp | string | null {
  if (!src) return null;
  try {
    return new RegExp(src, 'i');
  } catch (e) {
    return `Not a valid regular expression: ${(e as Error).message}`;
  }
}
