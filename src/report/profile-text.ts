/**
 * @fileoverview Text output of `leakscope goroutines | heap | diff | trend`.
 *
 * The goroutine view is ordered for someone debugging a leak: suspect groups
 * first (largest first), each with why it is suspect, where it blocks (with a
 * code frame when the source file exists on this machine), who started it,
 * and the static finding of leakscope's rules in that function with its fix;
 * then the healthy groups summarised on one line each (`--all` prints them in
 * full). Paths inside the base directory are shown relative to it, others
 * (GOROOT, module cache) as printed by the runtime.
 */
import pc from 'picocolors';
import type { DiffChange, GoroutineReport, GoroutineReportGroup, HeapTop, JsonFrame, ProfileDiff, TrendResult } from '../profiles/index.js';
import { layoutLine, splitLines } from './codeframe.js';
import { isOutside, relativePath } from './paths.js';

/** A static finding attached to a goroutine group (from `explainFrames`). */
export interface StaticNote {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  fixHint?: string;
  /** Description of the suggested fix, when the rule has a safe edit. */
  fix?: string;
  /** The stack frame the finding belongs to, when it is not the blocking frame. */
  frame?: JsonFrame;
}

/** A deadlock found in the dump (a wait-for cycle, or a goroutine waiting for a lock it holds). */
export interface DeadlockNote {
  goroutines: number[];
  behind: number[];
  description: string;
  /** The description, one clause per goroutine or edge. */
  parts: string[];
  edges: { waiter: number; holder: number; address: string; lock: string; waiterLock?: string; lockedAt?: number; heldAt: JsonFrame; waitAt: JsonFrame }[];
  finding?: { ruleId: string; message: string; file: string; line: number };
}

/** A report group with the source line and the static findings of its blocking function. */
export type AnnotatedGroup = GoroutineReportGroup & {
  /** The blocking line (trimmed), when the file exists locally; null otherwise or with `--no-source`. */
  sourceLine: string | null;
  /** Static findings in the functions of the group's frames, the blocking line's first. */
  static: StaticNote[];
  /** The primitive the group waits on (from the dump's frames) and how many goroutines wait on it. */
  waitsOn: { kind: string; address: string; name?: string; waiters: number } | null;
};

/** `goroutineReport` output with annotated groups and the deadlocks of the dump. */
export type AnnotatedReport = Omit<GoroutineReport, 'groups'> & { groups: AnnotatedGroup[]; deadlocks: DeadlockNote[] };

/** Options shared by the profile renderers. */
export interface ProfileTextOptions {
  /** Paths under this directory are printed relative to it. */
  baseDir: string;
  /** Reads a local source file for code frames; omit to print no code. */
  readSource?: (file: string) => string | undefined;
  color?: boolean;
  /** Print healthy goroutine groups in full (default: one line each). */
  all?: boolean;
  /** Healthy groups summarised without `all` (default 30, largest first). */
  healthyLimit?: number;
  /** Frames of each stack to print (default 12). */
  stackDepth?: number;
}

/** Displays a runtime path relative to the base directory when it lies inside it. */
export function displayPath(baseDir: string, file: string): string {
  if (!file || !file.startsWith('/')) return file;
  const rel = relativePath(baseDir, file);
  return isOutside(rel) ? file : rel;
}

function where(f: JsonFrame, base: string): string {
  return f.file ? `${displayPath(base, f.file)}:${f.line}` : '?';
}

/** `<1 min`, `3 min`, `2-14 min`, or '' when the format records no wait times. */
export function formatWait(w: { min: number; max: number } | null): string {
  if (!w) return '';
  if (w.max === 0) return '<1 min';
  if (w.min === w.max) return `${w.max} min`;
  return `${w.min === 0 ? '<1' : w.min}-${w.max} min`;
}

function labelsText(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Renders the goroutine report as text. */
export function renderGoroutinesText(report: AnnotatedReport, opts: ProfileTextOptions): string {
  const c = pc.createColors(opts.color ?? false);
  const base = opts.baseDir;
  const depth = opts.stackDepth ?? 12;
  const out: string[] = [];
  const suspects = report.groups.filter((g) => g.suspect);
  const healthy = report.groups.filter((g) => !g.suspect);
  out.push(
    `${c.bold(report.source)}: ${report.total} goroutine${report.total === 1 ? '' : 's'} (${report.format}${report.leakProfile ? ', runtime leak profile' : ''}) in ${report.groups.length} group${report.groups.length === 1 ? '' : 's'}; ` +
      (suspects.length === 0
        ? c.green('no suspected leaks')
        : c.red(`${report.suspectCount} suspected leaked goroutine${report.suspectCount === 1 ? '' : 's'} in ${suspects.length} group${suspects.length === 1 ? '' : 's'}`)),
  );
  if (report.truncated) out.push(c.yellow('warning: the dump was truncated (64 MiB cap or cut input); the last incomplete goroutine was dropped'));
  for (const d of report.deadlocks ?? []) {
    out.push('');
    const n = d.goroutines.length;
    out.push(
      `${c.red(c.bold('DEADLOCK'))} ${n === 1 ? `goroutine ${d.goroutines[0]} waits for itself` : `goroutines ${d.goroutines.join(', ')} wait for each other`}${d.behind.length > 0 ? `; ${d.behind.length} more wait behind them (${d.behind.slice(0, 10).join(', ')}${d.behind.length > 10 ? ', …' : ''})` : ''}`,
    );
    for (const part of d.parts) out.push(`  ${part}`);
  }
  const full = (g: AnnotatedGroup, tag: string) => {
    out.push('');
    const wait = formatWait(g.waitMinutes);
    out.push(`${tag} ${c.bold(`${g.count} goroutine${g.count === 1 ? '' : 's'}`)} [${g.state}${wait ? `, ${wait}` : ''}]${g.leaked > 0 ? c.red(` (${g.leaked} leaked per runtime)`) : ''}`);
    out.push(`  at ${c.bold(g.location.function)} ${c.cyan(where(g.location, base))}`);
    out.push(`  why: ${g.reason} ${c.dim(`[${g.rule}]`)}`);
    if (g.createdBy) {
      out.push(`  created by ${g.createdBy.function} at ${where(g.createdBy, base)}${g.createdBy.goroutineId !== undefined ? ` in goroutine ${g.createdBy.goroutineId}` : ''}`);
    }
    const labels = labelsText(g.labels);
    if (labels) out.push(`  labels: ${labels}`);
    if (g.ids.length > 0) out.push(`  goroutines: ${g.ids.slice(0, 10).join(' ')}${g.ids.length > 10 ? ` … (+${g.ids.length - 10})` : ''}`);
    if (g.waitsOn) {
      const others = g.waitsOn.waiters - g.count;
      out.push(`  waits on ${g.waitsOn.kind} ${g.waitsOn.address}${g.waitsOn.name ? ` (${g.waitsOn.name})` : ''}${others > 0 ? `, with ${others} other goroutine${others === 1 ? '' : 's'}` : ''}`);
    }
    const src = opts.readSource && g.location.file && g.location.line > 0 ? opts.readSource(g.location.file) : undefined;
    if (src !== undefined) {
      const frame = lineFrame(src, g.location.line, 2, c);
      if (frame) for (const l of frame) out.push(`    ${l}`);
    } else if (g.sourceLine) out.push(`    ${c.dim('|')} ${g.sourceLine}`);
    for (const s of g.static) {
      const fr = s.frame ? ` ${c.dim(`(frame ${s.frame.function})`)}` : '';
      out.push(`  ${c.yellow('static')} ${s.severity} ${c.dim(`[${s.ruleId}]`)} ${where({ function: '', file: s.file, line: s.line }, base)}${fr}: ${s.message}`);
      if (s.fixHint) out.push(`    fix: ${s.fixHint}`);
      if (s.fix) out.push(`    suggested fix: ${s.fix}`);
    }
    out.push('  stack:');
    for (const f of g.stack.slice(0, depth)) out.push(`    ${f.function} ${c.dim(where(f, base))}`);
    if (g.stack.length > depth) out.push(c.dim(`    … ${g.stack.length - depth} more frames`));
  };
  for (const g of suspects) full(g, c.red(c.bold('SUSPECT')));
  if (healthy.length > 0) {
    const n = healthy.reduce((a, g) => a + g.count, 0);
    out.push('');
    out.push(c.bold(`Not suspect: ${n} goroutine${n === 1 ? '' : 's'} in ${healthy.length} group${healthy.length === 1 ? '' : 's'}`) + (opts.all ? '' : c.dim(' (--all for details)')));
    if (opts.all) for (const g of healthy) full(g, c.green('ok'));
    else {
      // A big server has thousands of idle groups; the largest are what matter.
      const limit = opts.healthyLimit ?? 30;
      for (const g of healthy.slice(0, limit)) {
        const wait = formatWait(g.waitMinutes);
        out.push(`  ${String(g.count).padStart(5)}  ${`[${g.state}${wait ? `, ${wait}` : ''}]`.padEnd(24)} ${g.location.function} ${c.dim(where(g.location, base))}  ${c.dim(g.rule)}`);
      }
      if (healthy.length > limit) out.push(c.dim(`  … ${healthy.length - limit} more groups (${healthy.slice(limit).reduce((a, g) => a + g.count, 0)} goroutines); --all shows every group`));
    }
  }
  return out.join('\n') + '\n';
}

/**
 * A code frame around one line (`> 49 |     ch <- v`), tabs expanded like the
 * check reporter's code frames; undefined when the line is past the end of
 * the file (the source changed since the profile was taken).
 */
export function lineFrame(source: string, line: number, context: number, c: ReturnType<typeof pc.createColors>): string[] | undefined {
  const lines = splitLines(source);
  if (line < 1 || line > lines.length) return undefined;
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const w = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = layoutLine(lines[n - 1] ?? '', 4).display;
    out.push(`${n === line ? c.red(c.bold('>')) : ' '} ${c.dim(`${String(n).padStart(w)} |`)}${text ? ' ' + text : ''}`.trimEnd());
  }
  return out;
}

/** Formats a sample value: bytes as B/KiB/MiB/GiB, counts as integers. */
export function formatValue(v: number, unit: string): string {
  if (unit !== 'bytes') return String(Math.round(v));
  const a = Math.abs(v);
  if (a < 1024) return `${v} B`;
  if (a < 1 << 20) return `${(v / 1024).toFixed(1)} KiB`;
  if (a < 1 << 30) return `${(v / (1 << 20)).toFixed(1)} MiB`;
  return `${(v / (1 << 30)).toFixed(2)} GiB`;
}

function pct(v: number, total: number): string {
  return total === 0 ? '   -  ' : `${((100 * v) / total).toFixed(1).padStart(5)}%`;
}

/** Renders top allocation sites as a table, with the source line of each site when available. */
export function renderHeapText(source: string, top: HeapTop, opts: ProfileTextOptions & { lines?: Map<string, string> }): string {
  const c = pc.createColors(opts.color ?? false);
  const out = [`${c.bold(source)}: ${top.sampleType} total ${formatValue(top.total, top.unit)} (${top.sites.length} site${top.sites.length === 1 ? '' : 's'} shown)`, ''];
  out.push(c.dim(`${'flat'.padStart(11)} ${'flat%'.padStart(6)} ${'cum'.padStart(11)} ${'cum%'.padStart(6)}  site`));
  for (const s of top.sites) {
    out.push(`${formatValue(s.flat, top.unit).padStart(11)} ${pct(s.flat, top.total)} ${formatValue(s.cum, top.unit).padStart(11)} ${pct(s.cum, top.total)}  ${s.function} ${c.cyan(where(s, opts.baseDir))}`);
    const line = opts.lines?.get(`${s.file}:${s.line}`);
    if (line) out.push(`${' '.repeat(40)}${c.dim('|')} ${line}`);
  }
  return out.join('\n') + '\n';
}

/** Renders a diff: growth first, then a count of what shrank. */
export function renderDiffText(d: ProfileDiff & { threshold: number; unit: string; exceeded: DiffChange[] }, before: string, after: string, opts: ProfileTextOptions): string {
  const c = pc.createColors(opts.color ?? false);
  const what = d.kind === 'goroutine' ? 'goroutines' : (d.sampleType ?? 'heap');
  const out = [
    `${c.bold(before)} -> ${c.bold(after)}: ${what} ${formatValue(d.totalBefore, d.unit)} -> ${formatValue(d.totalAfter, d.unit)} (${signed(d.totalAfter - d.totalBefore, d.unit)})`,
  ];
  const grew = d.changes.filter((x) => x.delta > 0);
  const shrank = d.changes.filter((x) => x.delta < 0);
  if (grew.length === 0) out.push(c.green('nothing grew'));
  else {
    out.push('', c.dim(`${'delta'.padStart(12)} ${'before'.padStart(11)} ${'after'.padStart(11)}  location`));
    for (const x of grew) {
      const mark = x.delta > d.threshold ? c.red('!') : ' ';
      out.push(`${mark}${signed(x.delta, d.unit).padStart(11)} ${formatValue(x.before, d.unit).padStart(11)} ${formatValue(x.after, d.unit).padStart(11)}  ${shortLocation(x.location, opts.baseDir)}`);
    }
  }
  if (shrank.length > 0) out.push('', c.dim(`${shrank.length} location${shrank.length === 1 ? '' : 's'} shrank (${signed(shrank.reduce((a, x) => a + x.delta, 0), d.unit)})`));
  out.push(
    '',
    d.exceeded.length > 0
      ? c.red(`${d.exceeded.length} location${d.exceeded.length === 1 ? '' : 's'} grew by more than the threshold (${formatValue(d.threshold, d.unit)})`)
      : `no location grew by more than the threshold (${formatValue(d.threshold, d.unit)})`,
  );
  return out.join('\n') + '\n';
}

function signed(v: number, unit: string): string {
  return (v > 0 ? '+' : v < 0 ? '-' : '±') + formatValue(Math.abs(v), unit);
}

/** A diff/trend location (`[state @ ]function file:line`) with its path shortened. */
export function shortLocation(loc: string, base: string): string {
  const m = /^(.*\s)(\/\S+):(\d+)$/.exec(loc);
  return m ? `${m[1]}${displayPath(base, m[2]!)}:${m[3]}` : loc;
}

/** Renders a trend: sustained growth first with slope, fit and projection. */
export function renderTrendText(t: TrendResult & { unit: string; sources: string[] }, opts: ProfileTextOptions): string {
  const c = pc.createColors(opts.color ?? false);
  const span = (t.times[t.times.length - 1]! - t.times[0]!) / 1000;
  const out = [`${c.bold(`${t.kind} trend`)} over ${t.times.length} snapshots spanning ${span < 120 ? `${span.toFixed(1)} s` : `${(span / 60).toFixed(1)} min`}`];
  const growing = t.series.filter((s) => s.verdict === 'sustained-growth');
  out.push(growing.length > 0 ? c.red(`${growing.length} location${growing.length === 1 ? '' : 's'} growing steadily`) : c.green('no sustained growth'));
  const shown = t.series.filter((s) => s.verdict !== 'stable');
  if (shown.length > 0) {
    out.push('', c.dim(`${'verdict'.padEnd(17)} ${'per hour'.padStart(12)} ${'R²'.padStart(5)}  values  location`));
    for (const s of shown) {
      const v = s.verdict === 'sustained-growth' ? c.red(s.verdict.padEnd(17)) : s.verdict.padEnd(17);
      out.push(`${v} ${signed(Math.round(s.slopePerHour), t.unit).padStart(12)} ${s.r2.toFixed(2).padStart(5)}  ${s.values.map((x) => formatValue(x, t.unit)).join(' → ')}  ${shortLocation(s.location, opts.baseDir)}`);
    }
  }
  const stable = t.series.length - shown.length;
  if (stable > 0) out.push('', c.dim(`${stable} location${stable === 1 ? '' : 's'} stable`));
  return out.join('\n') + '\n';
}
