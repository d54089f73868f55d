/**
 * @fileoverview `npm run realcode` (issue 11): runs `leakscope check` on the pinned real-code
 * corpus of `bench/realcode/modules.txt` and compares every finding with the hand triage in
 * `bench/triage/realcode.md`.
 *
 * For each module it downloads the pinned version with `go mod download -json` into a cache
 * outside the repository (`LEAKSCOPE_REALCODE_CACHE`, default `~/.cache/leakscope-realcode`,
 * used as GOMODCACHE), checks that the go.sum hash is the recorded one, and runs the built CLI
 * (`dist/`) on `<module dir>/...` with no configuration, from the cache root, so finding paths
 * read `github.com/x/y@v1.2.3/dir/file.go` and are stable across machines.
 *
 * Then it prints findings per rule and module, and checks the triage:
 * - every warning/error finding must have a row with a verdict (TP, FP, unsure); untriaged
 *   ones are listed (a change that adds findings is triaged before it lands);
 * - every TP row must still be reported (a lost true positive is a regression);
 * - FP/unsure rows no longer reported are counted as fixed;
 * - precision at warning and above, TP / (TP + FP + unsure), overall and per rule, is compared
 *   with the bars of issue 11 (90 % overall, 80 % per rule).
 *
 * Last it prints the blocking-state search totals over the modules (issue 14): entry points
 * modelled, fully explored, over their budget, unmodelled; states, transitions and search CPU
 * time. They come from a second run of only the engine's rules on one thread per module
 * (`search-child.js stats`), as `npm run bench` reads them for the standard library.
 *
 * Options: `--module <substring>` (only matching modules), `--json <file>` (write all findings),
 * `--list-info` (print every info finding), `--no-fail` (exit 0 even when checks fail),
 * `--no-search-stats` (skip the search totals run).
 * Exit status: 0 all checks pass, 1 a check failed, 2 infrastructure error (Go missing, a
 * download or hash mismatch, a crash of the CLI).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULES_FILE = path.join(ROOT, 'bench', 'realcode', 'modules.txt');
const TRIAGE_FILE = path.join(ROOT, 'bench', 'triage', 'realcode.md');
const CLI = path.join(ROOT, 'bin', 'leakscope.js');

/** The bars of issue 11. */
const MIN_PRECISION = 0.9;
const MIN_RULE_PRECISION = 0.8;

/** One pinned module. */
export interface RealModule {
  path: string;
  version: string;
  sum: string;
}

/** A finding as the JSON report prints it. */
interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
}

/** A verdict of the triage file. */
export type Verdict = 'TP' | 'FP' | 'unsure';

/** One row of the triage table. */
export interface TriageRow {
  verdict: Verdict | '?';
  rule: string;
  /** `path:line`, the path relative to the module cache root. */
  location: string;
  reason: string;
  /** Line in realcode.md, for messages. */
  mdLine: number;
}

/** Reads `modules.txt` (`module version h1:hash` per line, `#` comments). */
export function readModules(text: string): RealModule[] {
  const out: RealModule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [p, version, sum] = line.split(/\s+/);
    if (!p || !version || !sum?.startsWith('h1:')) throw new Error(`${MODULES_FILE}: bad line "${raw}" (want: module version h1:hash)`);
    out.push({ path: p, version, sum });
  }
  return out;
}

/**
 * Reads the triage tables of realcode.md: every Markdown table row whose first cell is a
 * verdict (`TP`, `FP`, `unsure`, or `?` for not yet triaged) and whose third cell is a
 * `path:line` location in backticks or plain. Rows under a heading containing "info" are
 * the info sample and are returned with `info: true`.
 */
export function readTriage(text: string): { rows: TriageRow[]; info: TriageRow[] } {
  const rows: TriageRow[] = [];
  const info: TriageRow[] = [];
  let inInfo = false;
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    if (/^#{1,6}\s/.test(raw)) inInfo = /\binfo\b/i.test(raw);
    const m = /^\|\s*(TP|FP|unsure|\?)\s*\|\s*([\w-]+)\s*\|\s*`?([^|`]+:\d+)`?\s*\|(.*)\|\s*$/.exec(raw);
    if (!m) continue;
    const row: TriageRow = { verdict: m[1] as TriageRow['verdict'], rule: m[2] as string, location: (m[3] as string).trim(), reason: (m[4] as string).trim(), mdLine: i + 1 };
    (inInfo ? info : rows).push(row);
  }
  return { rows, info };
}

/** The module cache the corpus is downloaded into (GOMODCACHE). */
export function cacheDir(): string {
  return process.env.LEAKSCOPE_REALCODE_CACHE ?? path.join(os.homedir(), '.cache', 'leakscope-realcode');
}

/** Downloads one module into the cache and returns its directory (throws on a hash mismatch). */
export function download(m: RealModule, cache: string): string {
  const r = spawnSync('go', ['mod', 'download', '-json', `${m.path}@${m.version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOMODCACHE: cache, GOFLAGS: '-mod=mod', GOWORK: 'off' },
    cwd: os.tmpdir(),
    maxBuffer: 16 * 1024 * 1024,
  });
  let info: { Dir?: string; Sum?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout) as typeof info;
  } catch {
    throw new Error(`go mod download ${m.path}@${m.version} failed: ${r.stderr || r.error?.message || 'no output'}`);
  }
  if (info.Error || !info.Dir) throw new Error(`go mod download ${m.path}@${m.version}: ${info.Error ?? 'no directory'}`);
  if (info.Sum !== m.sum) throw new Error(`${m.path}@${m.version}: go.sum hash ${info.Sum} differs from the recorded ${m.sum}`);
  return info.Dir;
}

/** Runs the CLI on one module and returns its findings (paths relative to the cache root). */
function checkModule(dir: string, cache: string): { findings: JsonFinding[]; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'check', '--no-config', '-f', 'json', `${path.relative(cache, dir)}/...`], {
    cwd: cache,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`leakscope check ${dir} exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
  return { findings: report.findings, seconds: (performance.now() - t0) / 1000 };
}

/** The search totals of `src/analysis/search/index.ts` (`searchTotals`). */
type SearchTotals = Record<'entries' | 'complete' | 'overStates' | 'overTime' | 'bounded' | 'unmodelled' | 'states' | 'transitions' | 'ms' | 'extractMs', number>;

/** Runs only the engine's rules on one module, on one thread, and returns the search totals and the CPU time. */
function searchStats(dir: string, cache: string): { totals: SearchTotals; cpuMs: number } {
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'search-child.js');
  const r = spawnSync(process.execPath, [child, 'stats', `${path.relative(cache, dir)}/...`], { cwd: cache, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`search stats on ${dir} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { totals: SearchTotals; cpuMs: number };
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

async function main(argv: string[]): Promise<number> {
  const only = argv.includes('--module') ? argv[argv.indexOf('--module') + 1] : undefined;
  const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
  const listInfo = argv.includes('--list-info');
  const noFail = argv.includes('--no-fail');
  const withSearch = !argv.includes('--no-search-stats');
  if (spawnSync('go', ['version']).status !== 0) {
    console.error('realcode: Go is needed to download the corpus (go mod download)');
    return 2;
  }
  const modules = readModules(fs.readFileSync(MODULES_FILE, 'utf8')).filter((m) => !only || m.path.includes(only));
  const cache = cacheDir();
  fs.mkdirSync(cache, { recursive: true });
  const triage = readTriage(fs.existsSync(TRIAGE_FILE) ? fs.readFileSync(TRIAGE_FILE, 'utf8') : '');

  const all: JsonFinding[] = [];
  const perModule: Array<{ m: RealModule; counts: Map<string, number>; seconds: number }> = [];
  const search: SearchTotals = { entries: 0, complete: 0, overStates: 0, overTime: 0, bounded: 0, unmodelled: 0, states: 0, transitions: 0, ms: 0, extractMs: 0 };
  let searchCpuMs = 0;
  for (const m of modules) {
    let dir: string;
    try {
      dir = download(m, cache);
    } catch (e) {
      console.error(`realcode: ${(e as Error).message}`);
      return 2;
    }
    const { findings, seconds } = checkModule(dir, cache);
    const counts = new Map<string, number>();
    for (const f of findings) {
      const k = `${f.severity} ${f.ruleId}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    perModule.push({ m, counts, seconds });
    all.push(...findings);
    console.log(`${m.path}@${m.version}: ${findings.length} findings in ${seconds.toFixed(1)} s`);
    if (withSearch) {
      const st = searchStats(dir, cache);
      for (const k of Object.keys(search) as Array<keyof SearchTotals>) search[k] += st.totals[k] ?? 0;
      searchCpuMs += st.cpuMs;
    }
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(all, null, 1));

  // Findings per rule and module.
  const rules = [...new Set(all.map((f) => `${f.severity} ${f.ruleId}`))].sort();
  console.log('\nfindings per rule (columns: modules in modules.txt order)');
  console.log(['rule'.padEnd(38), ...perModule.map((_, i) => `m${i + 1}`.padStart(4)), ' total'].join(''));
  for (const r of rules) {
    const cells = perModule.map((p) => String(p.counts.get(r) ?? 0).padStart(4));
    console.log([r.padEnd(38), ...cells, String(all.filter((f) => `${f.severity} ${f.ruleId}` === r).length).padStart(6)].join(''));
  }
  for (const [i, p] of perModule.entries()) console.log(`  m${i + 1} = ${p.m.path}`);

  // Triage.
  const selected = (loc: string): boolean => modules.some((m) => loc.startsWith(`${m.path}@${m.version}/`));
  const key = (rule: string, loc: string): string => `${rule} ${loc}`;
  const rowByKey = new Map(triage.rows.map((r) => [key(r.rule, r.location), r]));
  const warn = all.filter((f) => f.severity !== 'info' && f.ruleId !== 'syntax' && f.ruleId !== 'input');
  const problems = all.filter((f) => f.ruleId === 'syntax' || f.ruleId === 'input');
  const untriaged = warn.filter((f) => (rowByKey.get(key(f.ruleId, `${f.file}:${f.line}`))?.verdict ?? '?') === '?');
  const reported = new Set(warn.map((f) => key(f.ruleId, `${f.file}:${f.line}`)));
  const lostTP = triage.rows.filter((r) => r.verdict === 'TP' && selected(r.location) && !reported.has(key(r.rule, r.location)));
  const fixed = triage.rows.filter((r) => r.verdict !== 'TP' && r.verdict !== '?' && selected(r.location) && !reported.has(key(r.rule, r.location)));

  const byRule = new Map<string, { tp: number; fp: number; unsure: number; open: number }>();
  for (const f of warn) {
    const v = rowByKey.get(key(f.ruleId, `${f.file}:${f.line}`))?.verdict ?? '?';
    let s = byRule.get(f.ruleId);
    if (!s) byRule.set(f.ruleId, (s = { tp: 0, fp: 0, unsure: 0, open: 0 }));
    if (v === 'TP') s.tp++;
    else if (v === 'FP') s.fp++;
    else if (v === 'unsure') s.unsure++;
    else s.open++;
  }
  console.log('\nprecision at warning and above (unsure counted as false)');
  console.log(`${'rule'.padEnd(28)}${'TP'.padStart(5)}${'FP'.padStart(5)}${'uns.'.padStart(6)}${'open'.padStart(6)}  precision`);
  let tp = 0;
  let bad = 0;
  const lowRules: string[] = [];
  for (const [rule, s] of [...byRule].sort()) {
    tp += s.tp;
    bad += s.fp + s.unsure;
    const p = s.tp / Math.max(1, s.tp + s.fp + s.unsure);
    if (s.tp + s.fp + s.unsure > 0 && p < MIN_RULE_PRECISION) lowRules.push(rule);
    console.log(`${rule.padEnd(28)}${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.unsure).padStart(6)}${String(s.open).padStart(6)}  ${pct(s.tp, s.tp + s.fp + s.unsure)}`);
  }
  console.log(`${'all'.padEnd(28)}${String(tp).padStart(5)}${String(bad).padStart(11)}${String(untriaged.length).padStart(6)}  ${pct(tp, tp + bad)}`);
  console.log(`\ntriaged false positives no longer reported: ${fixed.length}`);
  if (withSearch) {
    console.log(`\nblocking-state search over the ${modules.length} modules (engine rules only, one thread)`);
    console.log(
      `  entries modelled ${search.entries}, fully explored ${search.complete} (${pct(search.complete, search.entries)}), over the state budget ${search.overStates}, over the time budget ${search.overTime}, bounded (goroutine cap) ${search.bounded}; unmodelled ${search.unmodelled}`,
    );
    console.log(
      `  states ${search.states}, transitions ${search.transitions}; search ${(search.ms / 1000).toFixed(2)} s, extraction ${(search.extractMs / 1000).toFixed(2)} s (CPU of the whole engine-only run: ${(searchCpuMs / 1000).toFixed(2)} s)`,
    );
  }

  let failed = false;
  if (problems.length > 0) {
    console.log(`\nsyntax/input problems reported (${problems.length}; real code should parse):`);
    for (const f of problems.slice(0, 20)) console.log(`  ${f.file}:${f.line} ${f.ruleId}: ${f.message}`);
  }
  if (untriaged.length > 0) {
    failed = true;
    console.log(`\nUNTRIAGED warning/error findings (${untriaged.length}): add a row to bench/triage/realcode.md`);
    for (const f of untriaged) console.log(`| ? | ${f.ruleId} | \`${f.file}:${f.line}\` | ${f.message.replace(/\|/g, '\\|')} |`);
  }
  if (lostTP.length > 0) {
    failed = true;
    console.log(`\nLOST true positives (${lostTP.length}): triaged TP no longer reported`);
    for (const r of lostTP) console.log(`  ${r.rule} ${r.location} (realcode.md:${r.mdLine}) ${r.reason}`);
  }
  const precision = tp / Math.max(1, tp + bad);
  if (!only && tp + bad > 0 && precision < MIN_PRECISION) {
    failed = true;
    console.log(`\nprecision ${pct(tp, tp + bad)} is below ${MIN_PRECISION * 100} %`);
  }
  if (!only && lowRules.length > 0) {
    failed = true;
    console.log(`\nrules below ${MIN_RULE_PRECISION * 100} % precision at their default severity: ${lowRules.join(', ')}`);
  }
  if (listInfo) {
    console.log('\ninfo findings:');
    for (const f of all.filter((x) => x.severity === 'info')) console.log(`  ${f.ruleId} ${f.file}:${f.line} ${f.message}`);
  }
  console.log(failed ? '\nrealcode: checks FAILED' : '\nrealcode: all checks pass');
  return failed && !noFail ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`realcode: ${(e as Error).stack ?? String(e)}`);
      process.exit(2);
    },
  );
}
