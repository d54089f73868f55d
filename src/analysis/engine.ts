/**
 * @fileoverview The analysis entry point: expands targets, loads configuration, fans
 * directories out to worker threads (one per core), and merges the findings.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defaultBuildContext } from '../go/build.js';
import { expandTargets, type DirSpec } from '../go/loader.js';
import { ALL_RULES } from '../rules/index.js';
import { analyzeDir, type DirOptions, type DirResult } from './analyze-dir.js';
import { createQueue, engineOrder, limitHeapGrowth, tuneCompiler, releaseMemory, takeNext, WORKER_RESOURCE_LIMITS, type WorkerJob, type WorkerMessage } from './schedule.js';
import { emptyConfig, findConfigFile, isExcluded, loadConfig, type LeakscopeConfig } from './config.js';
import { compareFindings, severityRank, type Finding, type Severity } from './finding.js';
import type { RuleMeta } from './meta.js';

/** Options of `analyze` (the library form of `leakscope check`). */
export interface AnalyzeOptions {
  /** Include `_test.go` files (default: config `tests`, else true). */
  tests?: boolean;
  /** Only these rules (ids); overrides enabled-by-default and config enablement. */
  only?: string[];
  /** Rules to disable. */
  disable?: string[];
  /** Minimum severity to report (default info). */
  minSeverity?: Severity;
  /** Explicit config file; otherwise `.leakscope.yaml` is searched upward from the first target. */
  configFile?: string;
  /** Skip config discovery. */
  noConfig?: boolean;
  reportUnusedIgnores?: boolean;
  /**
   * The blocking-state search yields to the older rules' explanations even of rules not
   * enabled (default true); false shows the rules' own findings in isolation (the
   * `// want` fixture harness).
   */
  yieldToDisabled?: boolean;
  /** Worker threads (default: number of CPUs; 0 = analyse on the calling thread). */
  workers?: number;
  /**
   * Ignored: every file and body is always parsed (this chose partial parsing before
   * leakscope had its own parser).
   * @deprecated no-op, to be removed
   */
  lazy?: boolean;
  /** Directory relative targets and config paths are resolved against (default process.cwd()). */
  cwd?: string;
  /** Extra build tags, added to config `build-tags` (GOOS, GOARCH and CGO_ENABLED come from the environment). */
  tags?: string[];
  /** Report findings in generated files (default: config `generated`, else false). */
  includeGenerated?: boolean;
  /** Environment for GOOS/GOARCH/CGO_ENABLED (default process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Reads a file's contents (default: from disk). The editor server passes the unsaved
   * text of open documents; the analysis then runs on the calling thread.
   */
  readFile?: (path: string) => Uint8Array;
}

/** Result of `analyze`. */
export interface AnalysisResult {
  findings: Finding[];
  notices: string[];
  rules: RuleMeta[];
  enabledRules: string[];
  config?: LeakscopeConfig;
  stats: { files: number; lines: number; bytes: number; parsedFiles: number; packages: number; durationMs: number; parseMs: number; analysisMs: number };
}

/** Thrown for configuration problems and unknown rule ids (the CLI exits 2). */
export class AnalysisSetupError extends Error {}

/** Analyses Go targets (directories, files, `./...` patterns) with the enabled rules. */
export async function analyze(targets: string[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const t0 = performance.now();
  const known = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const id of [...(options.only ?? []), ...(options.disable ?? [])]) {
    if (!known.has(id)) throw new AnalysisSetupError(`unknown rule "${id}" (known: ${[...known].join(', ')})`);
  }
  const cwd = options.cwd ?? process.cwd();
  let config = emptyConfig();
  if (!options.noConfig) {
    const first = targets[0] ?? '.';
    const start = path.resolve(cwd, first.replace(/\/?\.\.\.$/, '') || '.');
    const startDir = fs.existsSync(start) && fs.statSync(start).isFile() ? path.dirname(start) : start;
    const file = options.configFile ? path.resolve(cwd, options.configFile) : findConfigFile(startDir);
    if (options.configFile && !fs.existsSync(file as string)) throw new AnalysisSetupError(`${options.configFile}: config file not found`);
    if (file) config = loadConfig(file, known);
  }
  const minRank = severityRank(options.minSeverity ?? 'info');
  const rules: DirOptions['rules'] = [];
  for (const r of ALL_RULES) {
    const setting = config.rules[r.meta.id];
    let enabled = setting?.enabled ?? r.meta.enabledByDefault;
    if (options.only?.length) enabled = options.only.includes(r.meta.id);
    if (options.disable?.includes(r.meta.id)) enabled = false;
    const severity = setting?.severity ?? r.meta.severity;
    if (enabled) rules.push({ id: r.meta.id, severity });
  }
  const tests = options.tests ?? config.tests ?? true;
  const exp = expandTargets(targets, { cwd, tests, isExcluded: config.file ? (p) => isExcluded(config, p) : undefined });
  const ctx = defaultBuildContext({ tags: [...config.buildTags, ...(options.tags ?? [])], env: options.env });
  const dirOpts: DirOptions = {
    rules,
    reportUnusedIgnores: options.reportUnusedIgnores ?? false,
    build: { ...ctx, tags: [...ctx.tags] },
    includeGenerated: options.includeGenerated ?? config.generated ?? false,
  };
  if (options.yieldToDisabled === false) dirOpts.yieldToDisabled = false;
  const results = options.readFile ? exp.dirs.map((d) => analyzeDir(d, dirOpts, options.readFile)) : await runAll(exp.dirs, dirOpts, options.workers);
  const stats = { files: 0, lines: 0, bytes: 0, parsedFiles: 0, packages: 0, durationMs: 0, parseMs: 0, analysisMs: 0 };
  let findings: Finding[] = [];
  for (const r of results) {
    stats.files += r.files;
    stats.lines += r.lines;
    stats.bytes += r.bytes;
    stats.parsedFiles += r.parsedFiles;
    stats.packages += r.packages;
    stats.parseMs += r.parseMs;
    stats.analysisMs += r.analysisMs;
    findings.push(...r.findings);
  }
  findings = findings.filter((f) => severityRank(f.severity) >= minRank || f.ruleId === 'syntax' || f.ruleId === 'input');
  findings.sort(compareFindings);
  const notices = [...exp.notices];
  if (stats.files === 0 && notices.length === 0) notices.push('no Go files found');
  stats.durationMs = Math.round(performance.now() - t0);
  return { findings, notices, rules: ALL_RULES.map((r) => r.meta), enabledRules: rules.map((r) => r.id), config: config.file ? config : undefined, stats };
}

/** Where the compiled worker lives (tests run from TypeScript sources, so fall back to dist/). */
function workerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return new URL('./worker.js', import.meta.url);
  const root = path.resolve(path.dirname(here), '..', '..');
  return new URL(`file://${path.join(root, 'dist', 'src', 'analysis', 'worker.js')}`);
}

async function runAll(dirs: DirSpec[], opts: DirOptions, workers?: number): Promise<DirResult[]> {
  const totalFiles = dirs.reduce((n, d) => n + d.files.length, 0);
  let n = workers ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  // Starting a worker (loading the analyser's modules) costs tens of milliseconds: not worth it for small trees.
  if (totalFiles < 40) n = 0;
  n = Math.min(n, dirs.length);
  limitHeapGrowth();
  tuneCompiler();
  if (n <= 1 || !fs.existsSync(fileURLToPath(workerUrl()))) return dirs.map((d) => analyzeAndRelease(d, opts));

  // The calling thread is one of the n analysers: each extra thread is a V8 isolate that
  // loads, compiles and warms up the whole analyser again (about half a second of CPU
  // for the parser alone), so n - 1 workers and this thread share one queue. Each thread
  // takes its next directory itself from the shared queue (see createQueue), so a worker
  // never waits for this thread (busy with its own directory) to hand it work.
  const order = engineOrder(dirs);
  const queue = createQueue(
    order.map((i) => (dirs[i] as DirSpec).files.length),
    n,
  );
  const results: DirResult[] = new Array(dirs.length);
  const pool = Array.from({ length: n - 1 }, () => new Worker(workerUrl(), { resourceLimits: WORKER_RESOURCE_LIMITS }));
  try {
    const done = pool.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          w.on('message', (m: WorkerMessage) => {
            if (m.error !== undefined) return reject(new Error(`analysis worker failed on ${dirs[m.id]?.dir}: ${m.error}`));
            if (m.result) results[m.id] = m.result;
            if (m.done) resolve();
          });
          w.on('error', reject);
          const job: WorkerJob = { dirs, order, opts, queue, thread: i + 1 };
          w.postMessage(job);
        }),
    );
    for (let k = takeNext(queue, 0); k >= 0; k = takeNext(queue, 0)) {
      const i = order[k] as number;
      results[i] = analyzeAndRelease(dirs[i] as DirSpec, opts);
    }
    await Promise.all(done);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/** Analyses a directory, then lets go of the heap its trees took (see releaseMemory). */
function analyzeAndRelease(d: DirSpec, opts: DirOptions): DirResult {
  const r = analyzeDir(d, opts);
  releaseMemory();
  return r;
}
