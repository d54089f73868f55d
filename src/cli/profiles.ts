/**
 * @fileoverview The runtime half of the CLI (issue 5): `leakscope goroutines`,
 * `heap`, `diff` and `trend`, over the profile library in `src/profiles/`.
 *
 * Each command reads its sources (file, `-` for stdin, or an `http(s)://`
 * net/http/pprof URL, see `profiles/fetch.ts`), runs the library, and prints
 * text, JSON or a self-contained HTML report. Exit codes:
 * - `goroutines`: 0 no suspect group, 1 suspects;
 * - `heap`: 0 (it ranks, it does not judge);
 * - `diff`: 1 when some group or site grew by more than `--threshold`;
 * - `trend`: 1 when some group or site shows sustained growth;
 * - 2 on any input error (unreachable URL, HTTP error, timeout, HTML or other
 *   non-profile body, gzip bomb, corrupt protobuf): one line naming the
 *   source, and nothing written to `-o` (reports are written atomically).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { explainFrames } from '../analysis/attach.js';
import { dumpEvidence, type DumpEvidence } from '../analysis/evidence.js';
import { UsageError } from '../go/loader.js';
import { openSource, isUrl, SourceError, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, type FetchOptions } from '../profiles/fetch.js';
import {
  diffProfiles,
  goroutineReport,
  isProfileError,
  isStdlib,
  userFrames,
  readProfileStream,
  sampleIndex,
  topAllocationSites,
  trendProfiles,
  classifyGroup,
  groupGoroutines,
  groupKey,
  type AnyProfile,
  type GoroutineProfile,
  type HeapProfile,
  type Similarity,
  type Snapshot,
} from '../profiles/index.js';
import { goroutineStacks, heapStacks, renderDiffHtml, renderGoroutinesHtml, renderHeapHtml, renderTrendHtml } from '../report/profile-html.js';
import {
  renderDiffText,
  renderGoroutinesText,
  renderHeapText,
  renderTrendText,
  type AnnotatedGroup,
  type AnnotatedReport,
  type StaticNote,
} from '../report/profile-text.js';
import type { WeightedStack } from '../report/flamegraph.js';
import type { CliIO } from './main.js';
import { resolveOutputPath, sourceText, useColor, writeOutput } from './output.js';

/** The CLI streams plus an optional stdin for `-` (tests inject one; default `process.stdin`). */
export interface ProfileIO extends CliIO {
  stdin?: AsyncIterable<Uint8Array | string>;
}

/** An input problem reported as one line with exit code 2. */
class ProfileInputError extends Error {}

const FORMATS = ['text', 'json', 'html'] as const;
const SAMPLE_TYPES = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'] as const;
const SIMILARITIES = ['exact', 'similar', 'site'] as const;

interface CommonOptions {
  format: (typeof FORMATS)[number];
  output?: string;
  timeout: number;
  maxBytes: number;
  color?: boolean;
  mapPath?: string[];
}

/**
 * Parses a duration: `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds.
 * Returns milliseconds.
 */
export function parseDuration(v: string, flag = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new UsageError(`--${flag} expects a duration like 500ms, 30s or 2m, got "${v}"`);
  const n = Number(m[1]);
  const ms = n * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : 1000);
  if (!(ms > 0)) throw new UsageError(`--${flag} must be positive, got "${v}"`);
  return ms;
}

/** Parses a size: a bare number, or with a `k|KiB|M|MiB|G|GiB` suffix (powers of 1024). */
export function parseSize(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|kib|m|mb|mib|g|gb|gib|b)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`--${flag} expects a number with an optional KiB/MiB/GiB suffix, got "${v}"`);
  const u = (m[2] ?? '').toLowerCase()[0];
  return Math.round(Number(m[1]) * (u === 'k' ? 1024 : u === 'm' ? 1 << 20 : u === 'g' ? 1 << 30 : 1));
}

function intOption(flag: string, min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} expects an integer >= ${min}, got "${v}"`);
    return n;
  };
}

function numberOption(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} expects a non-negative number, got "${v}"`);
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function addCommon(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .addOption(
      new Option('--timeout <duration>', 'deadline for fetching a URL (e.g. 30s, 2m)').argParser((v) => parseDuration(v, 'timeout')).default(DEFAULT_TIMEOUT_MS, '30s'),
    )
    .addOption(
      new Option('--max-bytes <size>', 'largest accepted input, also the gzip decompression cap (e.g. 256MiB)')
        .argParser((v) => parseSize(v, 'max-bytes'))
        .default(DEFAULT_MAX_BYTES, '1GiB'),
    )
    .option('--map-path <from=to>', 'map a path prefix in the profile to a local directory (repeatable)', collect)
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output');
}

/**
 * Registers `goroutines`, `heap`, `diff` and `trend` on the program.
 * `setCode` receives the exit code of the command that ran.
 */
export function registerProfileCommands(program: Command, io: CliIO, setCode: (code: number) => void): void {
  const pio = io as ProfileIO;
  const guard =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      try {
        setCode(await fn(...args));
      } catch (e) {
        if (e instanceof SourceError || e instanceof ProfileInputError || isProfileError(e)) {
          io.stderr(`leakscope: ${oneLine((e as Error).message)}\n`);
          setCode(2);
          return;
        }
        throw e;
      }
    };

  addCommon(
    program
      .command('goroutines')
      .description('find leaked goroutines in a goroutine profile or dump (file, - for stdin, or a /debug/pprof URL)')
      .argument('<source>', 'profile file, - for stdin, or http(s)://host:port/debug/pprof/goroutine?debug=2'),
  )
    .addOption(new Option('--similarity <level>', 'how goroutines are grouped').choices([...SIMILARITIES]).default('similar'))
    .option('--min-group <n>', 'a blocked group this large is suspect', intOption('min-group', 1), 5)
    .option('--long-wait <minutes>', 'a group blocked this many minutes is suspect', numberOption('long-wait'), 10)
    .option('--all', 'show healthy groups in full')
    .option('--no-source', 'do not read local source files (no code lines, no static findings)')
    .action(
      guard(async (src: string, opts: GoroutineOptions) => {
        const out = resolveOutputPath(io, opts.output);
        const profile = expectGoroutine(await load(src, opts, pio));
        const evidence = opts.source ? await evidenceOf(profile, opts, io) : undefined;
        const report = await annotate(
          goroutineReport(profile, { similarity: opts.similarity, minGroupSize: opts.minGroup, longWaitMinutes: opts.longWait, ...(evidence ? { evidence: evidence.groups } : {}) }),
          opts,
          io,
          evidence,
        );
        let text: string;
        if (opts.format === 'json') text = JSON.stringify(report, null, 2) + '\n';
        else if (opts.format === 'html') {
          const suspectKeys = suspectGroupKeys(profile, opts, evidence);
          text = renderGoroutinesHtml(report, goroutineStacks(profile, (g) => suspectKeys.has(groupKey(g, opts.similarity))), io.cwd, opts.all ? { healthyLimit: Infinity } : {});
        } else {
          text = renderGoroutinesText(report, {
            baseDir: io.cwd,
            color: useColor(io, opts),
            all: opts.all,
            readSource: opts.source ? sourceReader(opts) : undefined,
          });
        }
        writeOutput(io, out, opts.output, text);
        return report.groups.some((g) => g.suspect) ? 1 : 0;
      }),
    );

  addCommon(
    program
      .command('heap')
      .description('top allocation sites of a heap or allocs profile')
      .argument('<source>', 'profile file, - for stdin, or http(s)://host:port/debug/pprof/heap'),
  )
    .addOption(new Option('--sample <type>', 'sample type').choices([...SAMPLE_TYPES]).default('inuse_space'))
    .option('--top <n>', 'number of sites', intOption('top', 1), 20)
    .addOption(new Option('--sort <by>', 'order sites by flat or cumulative value').choices(['flat', 'cum']).default('flat'))
    .option('--no-source', 'do not read local source files')
    .action(
      guard(async (src: string, opts: HeapOptions) => {
        const out = resolveOutputPath(io, opts.output);
        const profile = expectHeap(await load(src, opts, pio));
        const top = heapTop(profile, opts);
        const lines = opts.source ? siteLines(top.sites, opts) : undefined;
        let text: string;
        if (opts.format === 'json') {
          text = JSON.stringify({ source: profile.source, sampleType: top.sampleType, unit: top.unit, total: top.total, sites: top.sites }, null, 2) + '\n';
        } else if (opts.format === 'html') {
          text = renderHeapHtml(profile.source, top, heapStacks(profile, sampleIndex(profile, top.sampleType)), io.cwd, lines);
        } else {
          text = renderHeapText(profile.source, top, { baseDir: io.cwd, color: useColor(io, opts), lines });
        }
        writeOutput(io, out, opts.output, text);
        return 0;
      }),
    );

  addCommon(
    program
      .command('diff')
      .description('what grew between two goroutine or heap snapshots (exit 1 when something grew beyond --threshold)')
      .argument('<before>', 'earlier snapshot (file, - or URL)')
      .argument('<after>', 'later snapshot (file, - or URL)'),
  )
    .option('--threshold <n>', 'exit 1 when a group/site grew by more than this (goroutines, or bytes/objects for heap; KiB/MiB suffixes allowed)', (v) => parseSize(v, 'threshold'), 0)
    .addOption(new Option('--sample <type>', 'heap sample type').choices([...SAMPLE_TYPES]).default('inuse_space'))
    .addOption(new Option('--similarity <level>', 'how goroutines are matched across snapshots').choices([...SIMILARITIES]).default('site'))
    .action(
      guard(async (a: string, b: string, opts: DiffOptions) => {
        const out = resolveOutputPath(io, opts.output);
        if (a === '-' && b === '-') throw new ProfileInputError('diff: only one of the two snapshots can be read from stdin');
        const before = expectDiffable(await load(a, opts, pio));
        const after = expectDiffable(await load(b, opts, pio));
        if (before.kind !== after.kind) throw new ProfileInputError(`cannot diff a ${before.kind} profile (${before.source}) with a ${after.kind} profile (${after.source})`);
        if (before.kind === 'heap') heapTop(before, opts);
        if (after.kind === 'heap') heapTop(after, opts);
        const d = diffProfiles(before, after, { sampleType: opts.sample, similarity: opts.similarity });
        const unit = after.kind === 'heap' ? (after.sampleTypes[sampleIndex(after, opts.sample)]?.unit ?? 'count') : 'count';
        const exceeded = d.changes.filter((c) => c.delta > opts.threshold);
        const full = { ...d, unit, threshold: opts.threshold, exceeded };
        let text: string;
        if (opts.format === 'json') {
          const { exceeded: _x, ...rest } = full;
          text = JSON.stringify({ ...rest, before: before.source, after: after.source, grewBeyondThreshold: exceeded.length }, null, 2) + '\n';
        } else if (opts.format === 'html') {
          text = renderDiffHtml(full, before.source, after.source, stacksOf(after, opts), io.cwd);
        } else text = renderDiffText(full, before.source, after.source, { baseDir: io.cwd, color: useColor(io, opts) });
        writeOutput(io, out, opts.output, text);
        return exceeded.length > 0 ? 1 : 0;
      }),
    );

  addCommon(
    program
      .command('trend')
      .description('sustained growth across 3+ snapshots, or one URL sampled with --every/--samples (exit 1 on sustained growth)')
      .argument('<sources...>', 'snapshots (files or URLs), oldest first, or one URL with --every'),
  )
    .option('--every <duration>', 'sample one URL at this interval (e.g. 10s)', (v) => parseDuration(v, 'every'))
    .option('--samples <n>', 'number of samples with --every', intOption('samples', 3), 6)
    .option('--interval <duration>', 'time between the given snapshot files (default: their protobuf timestamps, else file modification times)', (v) => parseDuration(v, 'interval'))
    .option('--min-r2 <r>', 'minimum fit (R²) for sustained growth', numberOption('min-r2'), 0.8)
    .option('--min-increase <n>', 'minimum fitted increase over the window (default 3 goroutines or 1MiB)', (v) => parseSize(v, 'min-increase'))
    .addOption(new Option('--sample <type>', 'heap sample type').choices([...SAMPLE_TYPES]).default('inuse_space'))
    .addOption(new Option('--similarity <level>', 'how goroutines are matched across snapshots').choices([...SIMILARITIES]).default('site'))
    .action(
      guard(async (sources: string[], opts: TrendOptions) => {
        const out = resolveOutputPath(io, opts.output);
        const snaps = await collectSnapshots(sources, opts, pio);
        for (const s of snaps) if (s.profile.kind === 'heap') heapTop(s.profile, opts);
        let t;
        try {
          t = trendProfiles(snaps, {
            minR2: opts.minR2,
            ...(opts.minIncrease !== undefined ? { minIncrease: opts.minIncrease } : {}),
            sampleType: opts.sample,
            similarity: opts.similarity,
          });
        } catch (e) {
          throw new ProfileInputError((e as Error).message);
        }
        const last = snaps[snaps.length - 1]!.profile;
        const unit = last.kind === 'heap' ? (last.sampleTypes[sampleIndex(last, opts.sample)]?.unit ?? 'count') : 'count';
        const full = { ...t, unit, sampleType: last.kind === 'heap' ? opts.sample : undefined, sources: snaps.map((s) => s.profile.source) };
        let text: string;
        if (opts.format === 'json') text = JSON.stringify(full, null, 2) + '\n';
        else if (opts.format === 'html') text = renderTrendHtml(full, stacksOf(last, opts), io.cwd);
        else text = renderTrendText(full, { baseDir: io.cwd, color: useColor(io, opts) });
        writeOutput(io, out, opts.output, text);
        return t.series.some((s) => s.verdict === 'sustained-growth') ? 1 : 0;
      }),
    );
}

interface GoroutineOptions extends CommonOptions {
  similarity: Similarity;
  minGroup: number;
  longWait: number;
  all?: boolean;
  source: boolean;
}

interface HeapOptions extends CommonOptions {
  sample: string;
  top: number;
  sort: 'flat' | 'cum';
  source: boolean;
}

interface DiffOptions extends CommonOptions {
  threshold: number;
  sample: string;
  similarity: Similarity;
}

interface TrendOptions extends CommonOptions {
  every?: number;
  samples: number;
  interval?: number;
  minR2: number;
  minIncrease?: number;
  sample: string;
  similarity: Similarity;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function fetchOptions(opts: CommonOptions, io: ProfileIO): FetchOptions {
  return { timeoutMs: opts.timeout, maxBytes: opts.maxBytes, cwd: io.cwd, ...(io.stdin ? { stdin: io.stdin } : {}) };
}

/** Fetches and parses one source (streaming: a large debug=2 dump is parsed as it arrives). */
async function load(src: string, opts: CommonOptions, io: ProfileIO): Promise<AnyProfile> {
  const opened = await openSource(src, fetchOptions(opts, io));
  return readProfileStream(opened.chunks, opened.name, { maxDecompressedBytes: opts.maxBytes });
}

function expectGoroutine(p: AnyProfile): GoroutineProfile {
  if (p.kind === 'goroutine') return p;
  const hint = p.kind === 'heap' ? ' (use "leakscope heap")' : ' (data race reports are not goroutine profiles)';
  throw new ProfileInputError(`${p.source}: expected a goroutine profile, got a ${p.kind === 'race' ? 'data race report' : 'heap profile'}${hint}`);
}

function expectHeap(p: AnyProfile): HeapProfile {
  if (p.kind === 'heap') return p;
  const hint = p.kind === 'goroutine' ? ' (use "leakscope goroutines")' : '';
  throw new ProfileInputError(`${p.source}: expected a heap or allocs profile, got a ${p.kind === 'race' ? 'data race report' : 'goroutine profile'}${hint}`);
}

function expectDiffable(p: AnyProfile): GoroutineProfile | HeapProfile {
  if (p.kind === 'race') throw new ProfileInputError(`${p.source}: data race reports cannot be compared; give goroutine or heap profiles`);
  return p;
}

/** Top sites, turning "no such sample type" (debug=1 heap text has all four, but other pprof types may not) into an input error. */
function heapTop(p: HeapProfile, opts: { sample: string; top?: number; sort?: 'flat' | 'cum' }) {
  try {
    return topAllocationSites(p, { sampleType: opts.sample, ...(opts.top !== undefined ? { limit: opts.top } : {}), sortBy: opts.sort ?? 'flat' });
  } catch (e) {
    throw new ProfileInputError((e as Error).message);
  }
}

function stacksOf(p: GoroutineProfile | HeapProfile, opts: { sample: string; similarity: Similarity }): WeightedStack[] {
  if (p.kind === 'heap') return heapStacks(p, sampleIndex(p, opts.sample));
  const keys = suspectGroupKeys(p, { similarity: 'similar' });
  return goroutineStacks(p, (g) => keys.has(groupKey(g, 'similar')));
}

/**
 * What the local source says about the dump (static findings of every user frame, the
 * wait-for graph and its deadlocks, idle pools); undefined when nothing could be read.
 */
async function evidenceOf(profile: GoroutineProfile, opts: GoroutineOptions, io: CliIO): Promise<DumpEvidence | undefined> {
  const mapPath = pathMapper(opts);
  try {
    return await dumpEvidence(profile, groupGoroutines(profile, { similarity: opts.similarity }), mapPath ? { mapPath } : {});
  } catch (e) {
    io.stderr(`leakscope: warning: reading the source of the dump failed: ${oneLine((e as Error).message)}\n`);
    return undefined;
  }
}

function suspectGroupKeys(p: GoroutineProfile, opts: { similarity: Similarity; minGroup?: number; longWait?: number }, evidence?: DumpEvidence): Set<string> {
  const keys = new Set<string>();
  for (const g of groupGoroutines(p, { similarity: opts.similarity })) {
    if (classifyGroup(g, { minGroupSize: opts.minGroup, longWaitMinutes: opts.longWait }, p, evidence?.groups.get(g.key)).suspect) keys.add(g.key);
  }
  return keys;
}

/** `--map-path from=to` as a prefix rewrite; the first matching prefix wins. */
function pathMapper(opts: CommonOptions): ((file: string) => string) | undefined {
  if (!opts.mapPath || opts.mapPath.length === 0) return undefined;
  const pairs = opts.mapPath.map((m) => {
    const i = m.indexOf('=');
    if (i <= 0) throw new UsageError(`--map-path expects from=to, got "${m}"`);
    return [m.slice(0, i), m.slice(i + 1)] as const;
  });
  return (file) => {
    for (const [from, to] of pairs) if (file.startsWith(from)) return to + file.slice(from.length);
    return file;
  };
}

function sourceReader(opts: CommonOptions): (file: string) => string | undefined {
  const map = pathMapper(opts);
  const cache = new Map<string, string | undefined>();
  return (file) => {
    const p = map ? map(file) : file;
    if (!cache.has(p)) {
      let text: string | undefined;
      try {
        text = p.endsWith('.go') ? sourceText(fs.readFileSync(p)) : undefined;
      } catch {
        text = undefined;
      }
      cache.set(p, text);
    }
    return cache.get(p);
  };
}

function siteLines(sites: readonly { file: string; line: number }[], opts: CommonOptions): Map<string, string> {
  const read = sourceReader(opts);
  const out = new Map<string, string>();
  for (const s of sites) {
    const text = s.file && s.line > 0 ? read(s.file) : undefined;
    const line = text?.split('\n')[s.line - 1]?.trim();
    if (line) out.set(`${s.file}:${s.line}`, line);
  }
  return out;
}

/**
 * Adds the blocking source line and the static findings to each group whose blocking site
 * is in user code that exists on this machine (suspect groups, and all groups with
 * `--all`): the findings of every user frame of the group's stack when the dump's
 * evidence was read (a double lock through a method call is reported at the caller's
 * frame), else of the blocking function. Standard-library sites are not analysed: the
 * rules target application code and GOROOT is large. Also the deadlocks and, per group,
 * the primitive its goroutines wait on.
 */
async function annotate(report: ReturnType<typeof goroutineReport>, opts: GoroutineOptions, io: CliIO, evidence?: DumpEvidence): Promise<AnnotatedReport> {
  const groups: AnnotatedGroup[] = report.groups.map((g) => ({ ...g, sourceLine: null, static: [], waitsOn: null }));
  const out: AnnotatedReport = { ...report, groups, deadlocks: [] };
  if (evidence) {
    out.deadlocks = evidence.deadlocks.map((d) => ({
      goroutines: d.goroutines,
      behind: d.behind,
      description: d.description,
      parts: d.parts,
      edges: d.edges.map((e) => ({ waiter: e.waiter, holder: e.holder, address: e.address, lock: e.lock, ...(e.waiterLock ? { waiterLock: e.waiterLock } : {}), ...(e.lockedAt !== undefined ? { lockedAt: e.lockedAt } : {}), heldAt: { function: e.heldAt.function, file: e.heldAt.file, line: e.heldAt.line }, waitAt: { function: e.waitAt.function, file: e.waitAt.file, line: e.waitAt.line } })),
      ...(d.finding ? { finding: d.finding } : {}),
    }));
    for (const g of groups) {
      const id = g.ids[0];
      const t = id !== undefined ? evidence.graph.waits.get(id) : undefined;
      if (!t) continue;
      const all = [...evidence.graph.waits].filter(([, w]) => w.kind === t.kind && w.address === t.address).map(([i]) => i);
      g.waitsOn = { kind: t.kind, address: t.address, ...(t.text ? { name: t.text } : {}), waiters: all.length };
    }
  }
  if (!opts.source) return out;
  const wanted = groups.filter((g) => (g.suspect || opts.all) && g.location.file.endsWith('.go') && !isStdlib(g.location.function));
  if (wanted.length === 0) return out;
  const mapPath = pathMapper(opts);
  let ex: Awaited<ReturnType<typeof explainFrames>>;
  if (evidence) ex = evidence.frames;
  else {
    try {
      ex = await explainFrames(
        wanted.map((g) => g.location),
        mapPath ? { mapPath } : {},
      );
    } catch (e) {
      io.stderr(`leakscope: warning: static analysis of the blocking sites failed: ${oneLine((e as Error).message)}\n`);
      return out;
    }
  }
  for (const g of wanted) {
    const x = ex.get(`${g.location.file}:${g.location.line}`);
    g.sourceLine = x?.sourceLine ?? null;
    const seen = new Set<string>();
    const frames = evidence ? userFrames(g.stack) : [g.location];
    for (const fr of frames) {
      for (const f of ex.get(`${fr.file}:${fr.line}`)?.findings ?? []) {
        const k = `${f.ruleId}\0${f.file}\0${f.range.start.line}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const note: StaticNote = { ruleId: f.ruleId, severity: f.severity, message: f.message, file: path.resolve(f.file), line: f.range.start.line, column: f.range.start.column };
        if (f.fixHint) note.fixHint = f.fixHint;
        if (f.fix) note.fix = f.fix.description;
        if (fr.file !== g.location.file || fr.line !== g.location.line) note.frame = { function: fr.function, file: fr.file, line: fr.line };
        g.static.push(note);
      }
    }
  }
  return out;
}

/** Gathers the snapshots for `trend`: one URL sampled over time, or the given sources. */
async function collectSnapshots(sources: string[], opts: TrendOptions, io: ProfileIO): Promise<Snapshot[]> {
  if (opts.every !== undefined) {
    if (sources.length !== 1 || !isUrl(sources[0]!)) throw new UsageError('--every samples one URL: give exactly one http(s):// source');
    const src = sources[0]!;
    const snaps: Snapshot[] = [];
    io.stderr(`leakscope: sampling ${src} ${opts.samples} times, every ${opts.every / 1000}s\n`);
    for (let i = 0; i < opts.samples; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, opts.every));
      const time = Date.now();
      const p = expectDiffable(await load(src, opts, io));
      snaps.push({ time, profile: p });
    }
    return snaps;
  }
  if (sources.length < 3) {
    throw new UsageError(
      `trend needs at least 3 snapshots (got ${sources.length}); for a live program give one URL with --every 10s --samples 6, or use "leakscope diff" for two`,
    );
  }
  if (sources.filter((s) => s === '-').length > 1) throw new UsageError('trend: only one snapshot can be read from stdin');
  const snaps: Snapshot[] = [];
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i]!;
    const fetchedAt = Date.now();
    const p = expectDiffable(await load(src, opts, io));
    let time: number;
    if (opts.interval !== undefined) time = i * opts.interval;
    else if (p.kind === 'heap' && p.timeNanos) time = p.timeNanos / 1e6;
    else if (src !== '-' && !isUrl(src)) time = fs.statSync(path.resolve(io.cwd, src)).mtimeMs;
    else time = fetchedAt;
    snaps.push({ time, profile: p });
  }
  const times = snaps.map((s) => (typeof s.time === 'number' ? s.time : s.time.getTime()));
  if (new Set(times).size !== times.length) {
    throw new ProfileInputError('trend: the snapshots have no distinct timestamps (files with the same modification time?); give --interval, e.g. --interval 10s');
  }
  return snaps;
}



