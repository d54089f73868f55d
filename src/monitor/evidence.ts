/**
 * @fileoverview Evidence bundles: when an alert fires, the collector that owns the target
 * writes one `.tar.gz` archive an on-call engineer can open without leakscope:
 *
 * - `summary.md` — what leaks, where (the line, its source and the static finding with its
 *   fix when a source directory is configured), the statistics and how to reproduce;
 * - `alert.json` — the alert (labels, annotations, detector statistics);
 * - `series.json` — the goroutine total and the leaking group's (or site's) series;
 * - `profile-start.pb.gz`, `profile-end.pb.gz` — the stored raw profiles nearest to the
 *   window's start and end;
 * - `diff.json` — groups new, grown, shrunk and gone between the two;
 * - `goroutines-debug2.txt` (one `debug=2` dump, capped) or `goroutineleak.pb.gz`;
 * - `source.json` — source lines around the site and the static findings of its function.
 *
 * `debug=2` stops the world while it is written (golang/go#33250), so it is fetched only
 * here, at most once per `evidence.min-interval` per target, and capped in size.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { explainFrames } from '../analysis/attach.js';
import type { Frame } from '../profiles/index.js';
import { timeoutFor, type MonitorConfig, type TargetSpec } from './config.js';
import { fetchProfile } from './fetch.js';
import { fmtBytes, fmtDuration } from './detect.js';
import type { AlertRow, GroupInfo, Store } from './store/types.js';
import type { StaticNote } from '../report/profile-text.js';

/** Maps a file path from a profile to a readable local file under `sourceDir`. */
export function mapSourcePath(file: string, sourceDir: string | undefined): string | undefined {
  if (!file.endsWith('.go')) return undefined;
  if (sourceDir) {
    const parts = file.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const cand = path.join(sourceDir, ...parts.slice(i));
      if (fs.existsSync(cand)) return cand;
    }
    return undefined;
  }
  return fs.existsSync(file) ? file : undefined;
}


/** Source context of a site. */
export interface SourceContext {
  file: string;
  localFile: string;
  line: number;
  lines: { n: number; text: string }[];
  findings: StaticNote[];
}

/** Reads the source lines around a frame and the static findings of its function. */
export async function sourceContext(site: Frame, sourceDir: string | undefined): Promise<SourceContext | undefined> {
  const local = mapSourcePath(site.file, sourceDir);
  if (!local) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(local, 'utf8');
  } catch {
    return undefined;
  }
  const all = text.split('\n');
  const lines: { n: number; text: string }[] = [];
  for (let n = Math.max(1, site.line - 3); n <= Math.min(all.length, site.line + 3); n++) lines.push({ n, text: all[n - 1]! });
  let findings: StaticNote[] = [];
  try {
    const ex = await explainFrames([{ function: site.function, file: local, line: site.line }]);
    const x = ex.get(`${local}:${site.line}`);
    findings = (x?.findings ?? []).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.range.start.line,
      column: f.range.start.column,
      ...(f.fixHint ? { fixHint: f.fixHint } : {}),
      ...(f.fix ? { fix: f.fix.description } : {}),
    }));
  } catch {
    findings = [];
  }
  return { file: site.file, localFile: local, line: site.line, lines, findings };
}

interface Entry {
  name: string;
  data: Buffer | string;
}

/** Packs entries into a gzip'd tar archive. */
export async function packArchive(entries: readonly Entry[], mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const gz = zlib.createGzip();
  const done = new Promise<Buffer>((resolve, reject) => {
    gz.on('data', (c: Buffer) => chunks.push(c));
    gz.on('end', () => resolve(Buffer.concat(chunks)));
    gz.on('error', reject);
    pack.on('error', reject);
  });
  pack.pipe(gz);
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
    await new Promise<void>((resolve, reject) => pack.entry({ name: e.name, size: data.length, mtime, mode: 0o644 }, data, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  return done;
}

/** Lists the names of the entries of a bundle (tests, `leakscope evidence --list`). */
export async function listArchive(archive: Uint8Array): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: unknown) => parts.push(c as Buffer));
      stream.on('end', () => {
        out.set(h.name, Buffer.concat(parts));
        next();
      });
      stream.resume();
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
  });
  extract.end(zlib.gunzipSync(archive));
  await done;
  return out;
}

function diffGroups(a: GroupInfo[] | undefined, b: GroupInfo[] | undefined) {
  const before = new Map((a ?? []).map((g) => [g.hash, g]));
  const after = new Map((b ?? []).map((g) => [g.hash, g]));
  const out: { change: 'new' | 'grown' | 'shrunk' | 'gone'; state: string; site: string; before: number; after: number; delta: number; group: string }[] = [];
  for (const [h, g] of after) {
    const p = before.get(h);
    const d = g.count - (p?.count ?? 0);
    if (!p) out.push({ change: 'new', state: g.state, site: `${g.site.function} ${g.site.file}:${g.site.line}`, before: 0, after: g.count, delta: d, group: h });
    else if (d !== 0) out.push({ change: d > 0 ? 'grown' : 'shrunk', state: g.state, site: `${g.site.function} ${g.site.file}:${g.site.line}`, before: p.count, after: g.count, delta: d, group: h });
  }
  for (const [h, g] of before) if (!after.has(h)) out.push({ change: 'gone', state: g.state, site: `${g.site.function} ${g.site.file}:${g.site.line}`, before: g.count, after: 0, delta: -g.count, group: h });
  return out.sort((x, y) => y.delta - x.delta);
}

/** Builds and stores the evidence bundle of a firing alert; returns the Markdown summary. */
export async function buildEvidence(store: Store, cfg: MonitorConfig, target: TargetSpec, alert: AlertRow, now: number, lastDump: Map<number, number>): Promise<{ summary: string; archive: Buffer }> {
  const details = alert.details;
  const site = (details.site as Frame | null | undefined) ?? undefined;
  const frames = (details.frames as Frame[] | undefined) ?? [];
  const stats = details.stats as Record<string, number> | undefined;
  const isHeap = alert.rule.startsWith('heap');
  const windowMs = stats?.windowMs ?? (isHeap ? cfg.detection.heap.windowMs : cfg.detection.growth.windowMs);
  const start = now - windowMs;
  const profile = isHeap ? 'heap' : 'goroutine';
  const entries: Entry[] = [];
  const [pStart, pEnd] = await Promise.all([store.rawProfile(alert.targetId, profile, start, false), store.rawProfile(alert.targetId, profile, now, true)]);
  if (pStart) entries.push({ name: `profile-start.pb.gz`, data: Buffer.from(pStart.data) });
  if (pEnd && pEnd.ts !== pStart?.ts) entries.push({ name: `profile-end.pb.gz`, data: Buffer.from(pEnd.data) });
  const [gStart, gEnd] = await Promise.all([store.groupsAt(alert.targetId, start + cfg.detection.bucketMs), store.groupsAt(alert.targetId, now)]);
  const diff = diffGroups(gStart?.groups, gEnd?.groups);
  entries.push({ name: 'diff.json', data: JSON.stringify({ from: gStart?.scrapeTs ?? null, to: gEnd?.scrapeTs ?? null, changes: diff }, null, 2) });
  const totals = await store.totals(alert.targetId, 'goroutine', start, now);
  const series: Record<string, unknown> = { goroutines: totals.map((p) => [p.ts, p.value]) };
  if (alert.rule === 'goroutine-growth') series.group = (await store.groupSeries(alert.targetId, alert.subject, start, now)).map((p) => [p.ts, p.value]);
  if (details.series) series.detector = details.series;
  entries.push({ name: 'series.json', data: JSON.stringify(series, null, 2) });
  // One dump, capped: the runtime's leak profile when the rule came from it, else debug=2.
  let dumpNote = 'no dump taken';
  const last = lastDump.get(alert.targetId) ?? 0;
  if (now - last >= cfg.evidence.minIntervalMs || last === 0) {
    lastDump.set(alert.targetId, now);
    const leak = alert.rule === 'goroutineleak';
    try {
      const f = await fetchProfile(target, leak ? '/goroutineleak?debug=0' : '/goroutine?debug=2', timeoutFor(target, 'debug2'), cfg.evidence.debug2MaxBytes);
      entries.push({ name: leak ? 'goroutineleak.pb.gz' : 'goroutines-debug2.txt', data: f.body });
      dumpNote = leak ? 'goroutineleak.pb.gz (the runtime\'s leak profile)' : `goroutines-debug2.txt (${fmtBytes(f.body.length)})`;
    } catch (e) {
      dumpNote = `dump not taken: ${(e as Error).message}`;
    }
  } else dumpNote = `dump skipped: one was taken ${fmtDuration(now - last)} ago (evidence.min-interval ${fmtDuration(cfg.evidence.minIntervalMs)})`;
  const src = site ? await sourceContext(site, target.source) : undefined;
  if (src) entries.push({ name: 'source.json', data: JSON.stringify(src, null, 2) });
  if (gEnd) entries.push({ name: 'groups.json', data: JSON.stringify(gEnd.groups.slice(0, 50), null, 2) });
  const summary = summaryMarkdown(alert, target, { site, frames, stats, diff, src, dumpNote, windowMs, now, totals: totals.map((p) => p.value) });
  entries.unshift({ name: 'alert.json', data: JSON.stringify(alert, null, 2) });
  entries.unshift({ name: 'summary.md', data: summary });
  const archive = await packArchive(entries.map((e) => ({ ...e, name: `leakscope-alert-${alert.id}/${e.name}` })), new Date(now));
  return { summary, archive };
}

function summaryMarkdown(
  a: AlertRow,
  t: TargetSpec,
  x: { site?: Frame; frames: Frame[]; stats?: Record<string, number>; diff: ReturnType<typeof diffGroups>; src?: SourceContext; dumpNote: string; windowMs: number; now: number; totals: number[] },
): string {
  const L: string[] = [];
  L.push(`# ${a.labels.alertname ?? a.rule}: ${t.job}/${t.instance}`, '');
  L.push(a.summary, '');
  L.push(`- alert: #${a.id} (${a.state}), fingerprint \`${a.fingerprint}\`, rule \`${a.rule}\`, severity ${a.severity}`);
  L.push(`- target: ${t.url}${t.pathPrefix} (job \`${t.job}\`, instance \`${t.instance}\`)`);
  L.push(`- condition since ${new Date(a.startedAt).toISOString()}, firing since ${a.firedAt ? new Date(a.firedAt).toISOString() : '-'}`);
  if (x.site) L.push(`- **leaking line: \`${x.site.file}:${x.site.line}\`** in \`${x.site.function}\``);
  if (x.stats) {
    const s = x.stats;
    const unit = a.rule.startsWith('heap') ? (v: number) => fmtBytes(v) : (v: number) => String(Math.round(v));
    if (s.z !== undefined) L.push(`- trend over ${fmtDuration(x.windowMs)}: ${unit(s.first ?? 0)} -> ${unit(s.current ?? 0)} (growth ${unit(s.growth ?? 0)}, Theil-Sen ${unit(s.slopePerHour ?? 0)}/h, Mann-Kendall Z ${Number(s.z).toFixed(2)} on ${s.points} points)`);
  }
  if (x.totals.length) L.push(`- goroutines in the window: ${x.totals[0]} -> ${x.totals[x.totals.length - 1]}`);
  if (typeof a.details.fix === 'string') L.push('', '## Known leak', '', String(a.details.title ?? a.subject), '', `Fix: ${a.details.fix}`);
  if (x.src) {
    L.push('', '## Source', '', '```go');
    for (const l of x.src.lines) L.push(`${l.n === x.src.line ? '>' : ' '} ${String(l.n).padStart(5)} | ${l.text}`);
    L.push('```');
    if (x.src.findings.length) {
      L.push('', '## Static findings (leakscope check)', '');
      for (const f of x.src.findings) L.push(`- \`${f.ruleId}\` (${f.severity}) ${path.basename(f.file)}:${f.line}: ${f.message}${f.fixHint ? `\n  - fix: ${f.fixHint}` : ''}`);
    }
  } else if (x.site) L.push('', `(No source: configure \`source:\` for ${t.job} or run with --source to see the line and the static findings.)`);
  if (x.frames.length) {
    L.push('', '## Stack', '', '```');
    for (const f of x.frames.slice(0, 30)) L.push(`${f.function}\n\t${f.file}:${f.line}`);
    L.push('```');
  }
  const top = x.diff.filter((d) => d.change === 'new' || d.change === 'grown').slice(0, 10);
  if (top.length) {
    L.push('', '## What grew in the window', '', '| change | before | after | state | site |', '|---|---|---|---|---|');
    for (const d of top) L.push(`| ${d.change} | ${d.before} | ${d.after} | ${d.state} | \`${d.site}\` |`);
  }
  L.push('', '## Files', '', `- ${x.dumpNote}`, '- profile-start.pb.gz / profile-end.pb.gz: open with `go tool pprof` or `leakscope diff`', '- series.json, diff.json, groups.json, alert.json', '');
  return L.join('\n');
}
