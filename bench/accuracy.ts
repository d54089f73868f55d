/**
 * @fileoverview `npm run accuracy` (issue 7): measures leakscope's static rules and its
 * runtime analyzer on the corpus of real, running leaks in `corpus/`.
 *
 * For every case it builds the buggy and the fixed program (parallel, one `go build`
 * per core, shared Go build cache), injects a capture file with `go build -overlay`
 * (see {@link CAPTURE_SOURCE} and corpus/README.md), runs each program, and reads the
 * goroutine profile (debug=2), the Go 1.26 `goroutineleak` profile (when the toolchain
 * supports `GOEXPERIMENT=goroutineleakprofile`) and a heap profile written after the
 * scenario. The buggy program must leave goroutines blocked at the lines recorded in
 * `case.yaml`, the fixed twin must leave none in user code: a case whose ground truth
 * does not reproduce is flagged and not counted.
 *
 * Then it runs `analyze()` on every buggy and fixed directory with every registered
 * rule, and the runtime analyzer (`groupGoroutines` + `classifyGroups`) on the captured
 * profiles, scores both, prints the table, writes `bench/accuracy.md`, and compares the
 * figures with `bench/accuracy-thresholds.json`.
 *
 * Exit status: 0 when every figure meets its threshold, 1 when one is worse (a drop in
 * recall or a new false positive), 2 on infrastructure errors (no corpus, a build that
 * fails, Go missing under `CI=true`).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { analyze } from '../src/analysis/engine.js';
import type { Finding } from '../src/analysis/finding.js';
import { ALL_RULES } from '../src/rules/index.js';
import { VERSION } from '../src/version.js';
import { checkShakeThresholds, renderShakeSection, shakeCase, summarizeShake, SHAKE_RUNS, type ShakeThresholds } from './accuracy-shake.js';
import {
  blockingSite,
  classifyGroups,
  groupGoroutines,
  isStdlib,
  readProfile,
  type Frame,
  type Goroutine,
  type GoroutineProfile,
  type HeapProfile,
  type RaceProfile,
  type GroupEvidence,
  parseRaceReports,
} from '../src/profiles/index.js';
import { dumpEvidence } from '../src/analysis/evidence.js';
import { PackageCache } from '../src/analysis/lockquery.js';

// ---------------------------------------------------------------------------
// Case model
// ---------------------------------------------------------------------------

/** Categories of the corpus (issue 7). */
export const CATEGORIES = ['goroutine-leak', 'deadlock', 'context-leak', 'memory-growth', 'race'] as const;
/** One corpus category. */
export type Category = (typeof CATEGORIES)[number];

/** A place where goroutines of the buggy program stay blocked (the ground truth). */
export interface LeakSite {
  /** File relative to the case's `buggy/` directory, e.g. `main.go`. */
  file: string;
  /** 1-based line of the blocking operation (the innermost user frame of the blocked goroutine). */
  line: number;
  /** Expected wait state prefix (`chan send`, `sync.Mutex.Lock`...), checked when present. */
  state?: string;
  /** Other lines a static finding may point at for this leak (e.g. the `make` of the channel). */
  near?: number[];
}

/** The allocation site that grows in a memory-growth case. */
export interface GrowthSite {
  file: string;
  line: number;
  /** In-use bytes the buggy program must hold there after the scenario (default 1 MiB). */
  minBytes?: number;
  /** Other lines a static finding may point at (e.g. the declaration of the registry that grows). */
  near?: number[];
}

/** A parsed `case.yaml`. */
export interface CaseSpec {
  id: string;
  description: string;
  category: Category;
  /** Static rule ids expected to report it (they may not be registered yet). */
  rules: string[];
  leaks: LeakSite[];
  growth?: GrowthSite;
  /** Settle delay before the capture, in milliseconds (default {@link DEFAULT_SETTLE_MS}). */
  settleMs?: number;
  /**
   * Lines of the fixed twin's `main.go` where a goroutine may legitimately stay blocked
   * (a long-lived server loop waiting for the next request); excluded from the check
   * that the fixed twin leaves nothing blocked, not from the runtime false positives.
   */
  fixedIdle?: number[];
  /**
   * `rare`: the leak needs an interleaving a plain run almost never takes. Such cases are
   * left out of the single-run table and measured by the shake comparison (20 plain runs
   * vs 20 runs under `--shake` perturbations, see bench/accuracy-shake.ts), where their
   * ground truth is the leak showing in at least one run and the fixed twin staying clean
   * in every shaken run.
   */
  schedule?: 'rare';
  /**
   * The group the case belongs to: the number of the issue whose work it measures
   * (`issue: 13` in case.yaml). Cases without one form the baseline group
   * ({@link BASELINE_GROUP}); recall is reported and thresholded per group.
   */
  issue?: string;
}

/** Group of the cases whose case.yaml has no `issue` (the original corpus). */
export const BASELINE_GROUP = 'baseline';

/** The group of a case: its `issue`, or {@link BASELINE_GROUP}. */
export function groupOf(spec: CaseSpec): string {
  return spec.issue ?? BASELINE_GROUP;
}

/** Default delay between program start and the capture. */
export const DEFAULT_SETTLE_MS = 400;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and validates a `case.yaml`; throws with the case name on malformed input. */
export function parseCase(text: string, where: string): CaseSpec {
  const raw: unknown = parseYaml(text);
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!isRecord(raw)) return fail('not a mapping');
  const str = (k: string): string => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : fail(`"${k}" must be a non-empty string`));
  const category = str('category');
  if (!(CATEGORIES as readonly string[]).includes(category)) fail(`unknown category "${category}" (one of ${CATEGORIES.join(', ')})`);
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules) || !rules.every((r) => typeof r === 'string')) fail('"rules" must be a list of rule ids');
  const leaksRaw = raw.leaks ?? [];
  if (!Array.isArray(leaksRaw)) return fail('"leaks" must be a list');
  const leaks: LeakSite[] = leaksRaw.map((l: unknown, i: number) => {
    if (!isRecord(l) || typeof l.file !== 'string' || typeof l.line !== 'number') return fail(`leaks[${i}] needs file and line`);
    const site: LeakSite = { file: l.file, line: l.line };
    if (typeof l.state === 'string') site.state = l.state;
    if (Array.isArray(l.near)) site.near = l.near.filter((n): n is number => typeof n === 'number');
    return site;
  });
  const spec: CaseSpec = { id: str('id'), description: str('description'), category: category as Category, rules: rules as string[], leaks };
  if (raw.growth !== undefined) {
    const g = raw.growth;
    if (!isRecord(g) || typeof g.file !== 'string' || typeof g.line !== 'number') fail('"growth" needs file and line');
    const gr = g as Record<string, unknown>;
    spec.growth = { file: gr.file as string, line: gr.line as number };
    if (typeof gr.minBytes === 'number') spec.growth.minBytes = gr.minBytes;
    if (Array.isArray(gr.near)) spec.growth.near = gr.near.filter((n): n is number => typeof n === 'number');
  }
  if (typeof raw.settleMs === 'number') spec.settleMs = raw.settleMs;
  if (Array.isArray(raw.fixedIdle)) spec.fixedIdle = raw.fixedIdle.filter((n): n is number => typeof n === 'number');
  if (raw.schedule !== undefined) {
    if (raw.schedule !== 'rare') fail('"schedule" can only be "rare"');
    spec.schedule = 'rare';
  }
  if (raw.issue !== undefined) {
    const issue = raw.issue;
    if (!((typeof issue === 'number' && Number.isInteger(issue) && issue > 0) || (typeof issue === 'string' && /^[\w.-]+$/.test(issue)))) fail('"issue" must be an issue number or a group name');
    if (String(issue) === BASELINE_GROUP) fail(`"issue" cannot be "${BASELINE_GROUP}" (leave it out for the baseline group)`);
    spec.issue = String(issue);
  }
  if (spec.leaks.length === 0 && !spec.growth) fail('a case needs at least one leak site or a growth site');
  return spec;
}

// ---------------------------------------------------------------------------
// Ground truth
// ---------------------------------------------------------------------------

/** Function name of the injected capture goroutine (excluded from every profile). */
export const CAPTURE_FUNC = 'main.zzLeakscopeCapture';

/**
 * The file injected into every program with `go build -overlay`. Its `init` starts a
 * goroutine that waits the settle delay, writes the profiles to the paths in the
 * environment, and exits the process; so `main()` only has to run the scenario and
 * then block (corpus/README.md). `MemProfileRate = 1` records every allocation, so the
 * heap profile's in-use bytes are exact for the growth check.
 */
export const CAPTURE_SOURCE = `// Code generated by bench/accuracy.ts; injected with go build -overlay. DO NOT EDIT.

package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"
)

func init() {
	runtime.MemProfileRate = 1
	go zzLeakscopeCapture()
}

func zzLeakscopeWrite(env, name string, debug int) {
	path := os.Getenv(env)
	p := pprof.Lookup(name)
	if path == "" || p == nil {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		os.Exit(3)
	}
	_ = p.WriteTo(f, debug)
	_ = f.Close()
}

func zzLeakscopeCapture() {
	ms, _ := strconv.Atoi(os.Getenv("LEAKSCOPE_SETTLE_MS"))
	if ms <= 0 {
		ms = 400
	}
	time.Sleep(time.Duration(ms) * time.Millisecond)
	zzLeakscopeWrite("LEAKSCOPE_GOROUTINE_PROFILE", "goroutine", 2)
	zzLeakscopeWrite("LEAKSCOPE_LEAK_PROFILE", "goroutineleak", 2)
	runtime.GC()
	runtime.GC()
	zzLeakscopeWrite("LEAKSCOPE_HEAP_PROFILE", "heap", 0)
	os.Exit(0)
}
`;

/** Wait states in which a goroutine is not blocked (it makes progress or sleeps on a timer). */
const NOT_BLOCKED = new Set(['running', 'runnable', 'syscall', 'sleep', 'IO wait']);

/**
 * Drops the harness goroutines from a profile: the capture goroutine and `main` parked
 * in `select {}` after the scenario (the corpus convention). The goroutineleak profile
 * marks that `main` as `(leaked)` (nothing can wake it), which is true but is an artefact
 * of the harness, not of the case.
 */
export function withoutCapture(p: GoroutineProfile): GoroutineProfile {
  const goroutines = p.goroutines.filter((g) => !g.frames.some((f) => f.function === CAPTURE_FUNC) && !isMainIdle(g));
  return { ...p, goroutines, total: goroutines.reduce((n, g) => n + g.count, 0) };
}

function sameFile(frameFile: string, dir: string, rel: string): boolean {
  return path.resolve(frameFile) === path.resolve(dir, rel);
}

/** `main` parked in `select {}` after the scenario (the corpus convention), or sleeping. */
function isMainIdle(g: Goroutine): boolean {
  return g.frames.some((f) => f.function === 'main.main') && (g.state === 'select (no cases)' || g.state === 'sleep');
}

/** Goroutines of a dump blocked at a leak site (innermost user frame at that line). */
export function blockedAt(goroutines: readonly Goroutine[], dir: string, site: LeakSite): Goroutine[] {
  return goroutines.filter((g) => {
    if (NOT_BLOCKED.has(g.state) || isMainIdle(g)) return false;
    if (site.state && !g.state.startsWith(site.state)) return false;
    const top = blockingSite(g.frames);
    return top.line === site.line && sameFile(top.file, dir, site.file);
  });
}

/** Goroutines blocked anywhere in the program's own code (what a fixed twin must not have). */
export function blockedInUserCode(goroutines: readonly Goroutine[], dir: string): Goroutine[] {
  const root = path.resolve(dir) + path.sep;
  return goroutines.filter((g) => {
    if (NOT_BLOCKED.has(g.state) || isMainIdle(g)) return false;
    return path.resolve(blockingSite(g.frames).file).startsWith(root);
  });
}

/** In-use bytes of a heap profile per innermost user frame (`file:line`). */
export function inuseByUserSite(heap: HeapProfile, dir: string): Map<string, number> {
  const idx = heap.sampleTypes.findIndex((t) => t.type === 'inuse_space');
  const out = new Map<string, number>();
  if (idx < 0) return out;
  const root = path.resolve(dir) + path.sep;
  for (const s of heap.samples) {
    const f = s.stack.find((fr) => !isStdlib(fr.function));
    if (!f || !path.resolve(f.file).startsWith(root)) continue;
    const key = `${path.relative(dir, f.file)}:${f.line}`;
    out.set(key, (out.get(key) ?? 0) + (s.values[idx] ?? 0));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/** What one program run produced. */
export interface RunCapture {
  /** The goroutine dump (plain debug=2), capture goroutine removed. */
  dump?: GoroutineProfile;
  /** The Go 1.26 goroutineleak profile (debug=2, `(leaked)` marks), when available. */
  leakProfile?: GoroutineProfile;
  heap?: HeapProfile;
  /** Race reports from stderr (race cases are built with `-race`). */
  race?: RaceProfile;
  /** Why nothing usable was captured. */
  error?: string;
  /** What the program's source says about the dump's groups (src/analysis/evidence.ts), by group key. */
  dumpEvidence?: ReadonlyMap<string, GroupEvidence>;
  /** The same for the goroutineleak profile. */
  leakEvidence?: ReadonlyMap<string, GroupEvidence>;
}

/** Per-leak outcome of one case. */
export interface LeakOutcome {
  site: LeakSite;
  /** Lines a static finding may point at: the site, `near`, and the `go` statements of the blocked goroutines. */
  nearLines: number[];
  /** Rules (any) with a finding near the site. */
  staticRules: string[];
  /** Found by an expected rule. */
  staticExpected: boolean;
  runtimeDump: boolean;
  runtimeLeakProfile: boolean;
  /** Runtime verdicts that found the site, e.g. `goroutine dump: blocked-large-group`. */
  runtimeVerdicts: string[];
  /** Found by `go vet` (the peer baseline, same "near" rule). */
  vet: boolean;
}

/** A `go vet` diagnostic (file relative to the program directory). */
export interface VetDiagnostic {
  file: string;
  line: number;
  message: string;
}

/** Parses `go vet` output (`./main.go:10:2: message` lines on stderr). */
export function parseVet(text: string): VetDiagnostic[] {
  const out: VetDiagnostic[] = [];
  for (const m of text.matchAll(/^(?:\.\/)?([^\s:#][^:]*\.go):(\d+):(?:\d+:)? (.*)$/gm)) {
    out.push({ file: m[1] as string, line: Number(m[2]), message: m[3] as string });
  }
  return out;
}

/** Scored result of one case. */
export interface CaseResult {
  spec: CaseSpec;
  /** Ground truth reproduced (buggy blocked at every site / growth shown, fixed clean). */
  reproduced: boolean;
  /** Why it did not reproduce. */
  problems: string[];
  leaks: LeakOutcome[];
  /** Growth outcome for memory-growth cases. */
  growth?: { staticRules: string[]; staticExpected: boolean; runtimeHeap: boolean; vet: boolean };
  /** `go vet` diagnostics on the fixed twin (false positives of the baseline). */
  vetFP: VetDiagnostic[];
  /** Findings on the fixed twin (every one is a false positive). */
  staticFP: Finding[];
  /** Findings on the buggy program near no recorded site (reported, not scored). */
  staticUnmatched: Finding[];
  /** Suspect groups in the fixed twin's dump / leak profile. */
  runtimeFP: { dump: string[]; leakProfile: string[]; heap: string[]; race: string[] };
}

/** Inputs of {@link scoreCase}. */
export interface ScoreInput {
  spec: CaseSpec;
  buggyDir: string;
  fixedDir: string;
  buggy: RunCapture;
  fixed: RunCapture;
  buggyFindings: Finding[];
  fixedFindings: Finding[];
  /** `go vet` diagnostics, when the baseline was run. */
  buggyVet?: VetDiagnostic[];
  fixedVet?: VetDiagnostic[];
}

function suspectSites(p: GoroutineProfile | undefined, evidence?: ReadonlyMap<string, GroupEvidence>): Array<{ frame: Frame; reason: string; rule: string }> {
  if (!p) return [];
  return classifyGroups(groupGoroutines(p), {}, p, evidence)
    .filter((g) => g.suspect)
    .map((g) => ({ frame: g.location, reason: `${g.rule}: ${g.reason}`, rule: g.rule }));
}

/**
 * Top in-use allocation site of the heap profile, each sample attributed to its
 * innermost frame in the program's own code (the allocating call in user code: the
 * `make`, `time.NewTicker` or `time.After` line), which is how the heap view of the
 * runtime analysis points at a growing site. `topAllocationSites` ranks by the
 * innermost frame, which for these sites is the standard library's allocator.
 */
function topUserSite(heap: HeapProfile | undefined, dir: string): { site: string; bytes: number } | undefined {
  if (!heap) return undefined;
  let best: { site: string; bytes: number } | undefined;
  for (const [site, bytes] of inuseByUserSite(heap, dir)) if (!best || bytes > best.bytes) best = { site, bytes };
  return best;
}

const MIB = 1 << 20;

/** Innermost program frames of every access of every race report, and the `created at` lines. */
function raceLines(race: RaceProfile | undefined, dir: string, file: string): { access: Set<number>; created: Set<number> } {
  const access = new Set<number>();
  const created = new Set<number>();
  for (const r of race?.races ?? []) {
    for (const a of r.accesses) {
      const f = a.stack.find((fr) => !isStdlib(fr.function));
      if (f && sameFile(f.file, dir, file)) access.add(f.line);
    }
    for (const g of r.goroutines) {
      const f = g.createdAt.find((fr) => !isStdlib(fr.function));
      if (f && sameFile(f.file, dir, file)) created.add(f.line);
    }
  }
  return { access, created };
}

/**
 * Scores one case. "Near" for static findings: the finding starts on the leak line, on
 * a line listed in `near`, or on the `go` statement that started a goroutine blocked
 * there (the `created by` frame of the buggy dump; for race sites the `created at`
 * frames of the race report), in the same file. `go vet` diagnostics use the same rule.
 */
export function scoreCase(input: ScoreInput): CaseResult {
  const { spec, buggyDir, fixedDir, buggy, fixed } = input;
  const problems: string[] = [];
  if (buggy.error) problems.push(`buggy: ${buggy.error}`);
  if (fixed.error) problems.push(`fixed: ${fixed.error}`);
  const buggyG = buggy.dump?.goroutines ?? [];
  const expected = new Set(spec.rules);
  const matched = new Set<Finding>();
  const isRace = spec.category === 'race';
  const leaks: LeakOutcome[] = spec.leaks.map((site) => {
    const near = new Set<number>([site.line, ...(site.near ?? [])]);
    let raced = false;
    if (isRace) {
      // A race site is a racing access: proven by a race report of the -race build.
      const lines = raceLines(buggy.race, buggyDir, site.file);
      raced = lines.access.has(site.line);
      if (!raced && !buggy.error) problems.push(`buggy: no race report with an access at ${site.file}:${site.line}`);
      if (raced) for (const l of lines.created) near.add(l);
    } else {
      const blocked = blockedAt(buggyG, buggyDir, site);
      if (buggy.dump && blocked.length === 0) problems.push(`buggy: no goroutine blocked at ${site.file}:${site.line}${site.state ? ` in "${site.state}"` : ''}`);
      for (const g of blocked) if (g.createdBy && sameFile(g.createdBy.file, buggyDir, site.file)) near.add(g.createdBy.line);
    }
    const hits = input.buggyFindings.filter((f) => sameFile(f.file, buggyDir, site.file) && near.has(f.range.start.line));
    for (const h of hits) matched.add(h);
    const staticRules = [...new Set(hits.map((h) => h.ruleId))].sort();
    const verdicts: string[] = [];
    const at = (p: GoroutineProfile | undefined, source: string, ev?: ReadonlyMap<string, GroupEvidence>): boolean => {
      const hit = suspectSites(p, ev).filter((s) => s.frame.line === site.line && sameFile(s.frame.file, buggyDir, site.file));
      for (const h of hit) verdicts.push(`${source}: ${h.rule}`);
      return hit.length > 0;
    };
    const runtimeDump = isRace ? raced : at(buggy.dump, 'goroutine dump', buggy.dumpEvidence);
    const runtimeLeakProfile = isRace ? raced : at(buggy.leakProfile, 'goroutineleak profile', buggy.leakEvidence);
    if (raced) verdicts.push('race report');
    return {
      site,
      nearLines: [...near].sort((a, b) => a - b),
      staticRules,
      staticExpected: staticRules.some((r) => expected.has(r)),
      runtimeDump,
      runtimeLeakProfile,
      runtimeVerdicts: [...new Set(verdicts)],
      vet: (input.buggyVet ?? []).some((d) => d.file === site.file && near.has(d.line)),
    };
  });
  let growth: CaseResult['growth'];
  const runtimeFP: CaseResult['runtimeFP'] = {
    dump: suspectSites(fixed.dump, fixed.dumpEvidence).map((s) => s.reason),
    leakProfile: suspectSites(fixed.leakProfile, fixed.leakEvidence).map((s) => s.reason),
    heap: [],
    race: (fixed.race?.races ?? []).map((r) => `data race reported at line ${r.sourceLine} of stderr`),
  };
  if (isRace && fixed.race && fixed.race.races.length > 0) problems.push(`fixed: ${fixed.race.races.length} data race report(s)`);
  if (spec.growth) {
    const g = spec.growth;
    const min = g.minBytes ?? MIB;
    if (buggy.heap) {
      const held = inuseByUserSite(buggy.heap, buggyDir).get(`${g.file}:${g.line}`) ?? 0;
      if (held < min) problems.push(`buggy: ${held} bytes in use at ${g.file}:${g.line}, expected >= ${min}`);
    } else if (!buggy.error) problems.push('buggy: no heap profile');
    if (fixed.heap) {
      for (const [site, bytes] of inuseByUserSite(fixed.heap, fixedDir)) if (bytes >= min) problems.push(`fixed: ${bytes} bytes still in use at ${site}`);
      const topFixed = topUserSite(fixed.heap, fixedDir);
      if (topFixed && topFixed.bytes >= min) runtimeFP.heap.push(`top in-use site ${topFixed.site} holds ${topFixed.bytes} bytes`);
    }
    const near = new Set([g.line, ...(g.near ?? [])]);
    const hits = input.buggyFindings.filter((f) => sameFile(f.file, buggyDir, g.file) && near.has(f.range.start.line));
    for (const h of hits) matched.add(h);
    const staticRules = [...new Set(hits.map((h) => h.ruleId))].sort();
    const top = topUserSite(buggy.heap, buggyDir);
    growth = {
      staticRules,
      staticExpected: staticRules.some((r) => expected.has(r)),
      runtimeHeap: !!top && top.site === `${g.file}:${g.line}` && top.bytes >= min,
      vet: (input.buggyVet ?? []).some((d) => d.file === g.file && near.has(d.line)),
    };
  }
  if (fixed.dump) {
    for (const g of blockedInUserCode(fixed.dump.goroutines, fixedDir)) {
      const s = blockingSite(g.frames);
      if (spec.fixedIdle?.includes(s.line) && sameFile(s.file, fixedDir, 'main.go')) continue;
      problems.push(`fixed: goroutine ${g.id ?? '?'} blocked in "${g.state}" at ${path.relative(fixedDir, s.file)}:${s.line}`);
    }
  }
  return {
    spec,
    reproduced: problems.length === 0,
    problems,
    leaks,
    ...(growth ? { growth } : {}),
    staticFP: input.fixedFindings,
    staticUnmatched: input.buggyFindings.filter((f) => !matched.has(f)),
    vetFP: input.fixedVet ?? [],
    runtimeFP,
  };
}

// ---------------------------------------------------------------------------
// Aggregation
// ---------------------------------------------------------------------------

/** TP / FN / FP with derived precision and recall (NaN when undefined). */
export interface Score {
  tp: number;
  fn: number;
  fp: number;
}

/** Recall `tp / (tp + fn)`; 1 when there is nothing to find. */
export function recall(s: Score): number {
  return s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
}

/** Precision `tp / (tp + fp)`; 1 when nothing was reported. */
export function precision(s: Score): number {
  return s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
}

/** The headline figures compared with the thresholds. */
export interface Summary {
  cases: number;
  reproduced: number;
  /** Static, any rule near the site. */
  static: Score;
  /** Static, only the rules `case.yaml` expects. */
  staticExpected: Score;
  /** Runtime: the plain goroutine dump or the goroutineleak profile (or the heap top site). */
  runtime: Score;
  runtimeDump: Score;
  runtimeLeakProfile: Score;
  /** Found by static or runtime; FP is the sum. */
  combined: Score;
  /** `go vet` on the same programs (peer baseline). */
  vet: Score;
}

/** One unit to find: a leak site or a growth site of a reproduced case. */
interface Unit {
  category: Category;
  expectedRules: string[];
  staticRules: string[];
  runtimeDump: boolean;
  runtimeLeakProfile: boolean;
  runtimeHeap: boolean;
  vet: boolean;
}

function units(results: readonly CaseResult[]): Unit[] {
  const out: Unit[] = [];
  for (const r of results) {
    if (!r.reproduced) continue;
    for (const l of r.leaks) {
      out.push({ category: r.spec.category, expectedRules: r.spec.rules, staticRules: l.staticRules, runtimeDump: l.runtimeDump, runtimeLeakProfile: l.runtimeLeakProfile, runtimeHeap: false, vet: l.vet });
    }
    if (r.growth) {
      out.push({ category: r.spec.category, expectedRules: r.spec.rules, staticRules: r.growth.staticRules, runtimeDump: false, runtimeLeakProfile: false, runtimeHeap: r.growth.runtimeHeap, vet: r.growth.vet });
    }
  }
  return out;
}

function tally(us: readonly Unit[], found: (u: Unit) => boolean, fp: number): Score {
  const tp = us.filter(found).length;
  return { tp, fn: us.length - tp, fp };
}

function fpCounts(results: readonly CaseResult[], filter: (r: CaseResult) => boolean = () => true): { static: number; staticByRule: Map<string, number>; dump: number; leak: number; heap: number; vet: number } {
  const byRule = new Map<string, number>();
  let st = 0;
  let dump = 0;
  let leak = 0;
  let heap = 0;
  let vet = 0;
  for (const r of results) {
    if (!r.reproduced || !filter(r)) continue;
    vet += r.vetFP.length;
    heap += r.runtimeFP.race.length;
    st += r.staticFP.length;
    for (const f of r.staticFP) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    dump += r.runtimeFP.dump.length;
    leak += r.runtimeFP.leakProfile.length;
    heap += r.runtimeFP.heap.length;
  }
  return { static: st, staticByRule: byRule, dump, leak, heap, vet };
}

const anyStatic = (u: Unit): boolean => u.staticRules.length > 0;
const expStatic = (u: Unit): boolean => u.staticRules.some((r) => u.expectedRules.includes(r));
const anyRuntime = (u: Unit): boolean => u.runtimeDump || u.runtimeLeakProfile || u.runtimeHeap;

function summarize(results: readonly CaseResult[], filter: (r: CaseResult) => boolean = () => true): Summary {
  const sel = results.filter(filter);
  const us = units(sel);
  const fp = fpCounts(sel);
  return {
    cases: sel.length,
    reproduced: sel.filter((r) => r.reproduced).length,
    static: tally(us, anyStatic, fp.static),
    staticExpected: tally(us, expStatic, fp.static),
    runtime: tally(us, anyRuntime, fp.dump + fp.leak + fp.heap),
    runtimeDump: tally(us, (u) => u.runtimeDump || u.runtimeHeap, fp.dump + fp.heap),
    runtimeLeakProfile: tally(us, (u) => u.runtimeLeakProfile || u.runtimeHeap, fp.leak + fp.heap),
    combined: tally(us, (u) => anyStatic(u) || anyRuntime(u), fp.static + fp.dump + fp.leak + fp.heap),
    vet: tally(us, (u) => u.vet, fp.vet),
  };
}

/** Aggregates case results into the headline summary. */
export function summarizeResults(results: readonly CaseResult[]): Summary {
  return summarize(results);
}

/** The summary of one group's cases (see {@link groupOf}). */
export function summarizeGroup(results: readonly CaseResult[], group: string): Summary {
  return summarize(results, (r) => groupOf(r.spec) === group);
}

/** The groups present in the results: the baseline first, then the issues in numeric order. */
export function groupsOf(results: readonly CaseResult[]): string[] {
  const gs = [...new Set(results.map((r) => groupOf(r.spec)))];
  const key = (g: string): number => (g === BASELINE_GROUP ? -1 : Number.isFinite(Number(g)) ? Number(g) : Number.MAX_SAFE_INTEGER);
  return gs.sort((a, b) => key(a) - key(b) || a.localeCompare(b));
}

/** Per-rule static figures (see {@link ruleScores}). */
export interface RuleScore extends Score {
  rule: string;
  registered: boolean;
  /** Sites of cases whose `rules` name this rule. */
  expectedIn: number;
  /** Sites the rule found in cases that do not name it (true positives, not counted in recall). */
  elsewhere: number;
}

/**
 * Per-rule static score: TP = expected sites the rule found, FN = expected sites it
 * missed (recall = TP / expected), `elsewhere` = sites of other cases it found, FP = its
 * findings on fixed twins (precision = (TP + elsewhere) / (TP + elsewhere + FP)).
 */
export function ruleScores(results: readonly CaseResult[], registered: ReadonlySet<string>): RuleScore[] {
  const us = units(results);
  const fp = fpCounts(results);
  const ids = new Set<string>([...registered]);
  for (const u of us) for (const r of [...u.expectedRules, ...u.staticRules]) ids.add(r);
  return [...ids].sort().map((rule) => {
    const exp = us.filter((u) => u.expectedRules.includes(rule));
    const tp = exp.filter((u) => u.staticRules.includes(rule)).length;
    const elsewhere = us.filter((u) => !u.expectedRules.includes(rule) && u.staticRules.includes(rule)).length;
    return { rule, registered: registered.has(rule), expectedIn: exp.length, tp, fn: exp.length - tp, fp: fp.staticByRule.get(rule) ?? 0, elsewhere };
  });
}

// ---------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------

/** Minimum recalls (0..1) and maximum false positives of one group of cases. */
export interface GroupThresholds {
  minReproduced?: number;
  staticRecall?: number;
  runtimeRecall?: number;
  combinedRecall?: number;
  maxStaticFalsePositives?: number;
  maxRuntimeFalsePositives?: number;
}

/**
 * `bench/accuracy-thresholds.json`: the top-level figures apply to the baseline group
 * (cases without `issue`), `issues` holds the figures of each issue's group.
 */
export interface Thresholds extends GroupThresholds {
  /** Per-group thresholds, keyed by the `issue` of case.yaml (e.g. `"13"`). */
  issues?: Record<string, GroupThresholds>;
  /**
   * Thresholds on all cases together (issue 14 sets its recall target on the whole corpus,
   * not on its own group). Messages are prefixed `overall:`.
   */
  overall?: GroupThresholds;
  /** The shake comparison (bench/accuracy-shake.ts). */
  shake?: ShakeThresholds;
}

/**
 * Checks every group against its thresholds: the baseline group against the top-level
 * figures, each group named in `issues` against its own (a group with thresholds but
 * no case fails on `minReproduced`), and all cases together against `overall`. Messages of
 * issue groups are prefixed `issue N:`, those of the whole corpus `overall:`.
 */
export function checkGroupThresholds(results: readonly CaseResult[], t: Thresholds): string[] {
  const out = checkThresholds(summarizeGroup(results, BASELINE_GROUP), t);
  for (const [group, gt] of Object.entries(t.issues ?? {})) {
    for (const m of checkThresholds(summarizeGroup(results, group), gt)) out.push(`issue ${group}: ${m}`);
  }
  if (t.overall) for (const m of checkThresholds(summarizeResults(results), t.overall)) out.push(`overall: ${m}`);
  return out;
}

/** Compares a summary with the thresholds; returns one message per figure that is worse. */
export function checkThresholds(s: Summary, t: GroupThresholds): string[] {
  const out: string[] = [];
  // Recall is compared with 4 decimals so a threshold written from a printed figure matches.
  const r4 = (x: number): number => Math.round(x * 10000) / 10000;
  const low = (name: string, got: number, min: number | undefined): void => {
    if (min !== undefined && r4(got) < min) out.push(`${name} ${r4(got)} is below the threshold ${min}`);
  };
  const high = (name: string, got: number, max: number | undefined): void => {
    if (max !== undefined && got > max) out.push(`${name} ${got} is above the threshold ${max}`);
  };
  if (t.minReproduced !== undefined && s.reproduced < t.minReproduced) out.push(`reproduced cases ${s.reproduced} is below the threshold ${t.minReproduced}`);
  low('static recall', recall(s.static), t.staticRecall);
  low('runtime recall', recall(s.runtime), t.runtimeRecall);
  low('combined recall', recall(s.combined), t.combinedRecall);
  high('static false positives', s.static.fp, t.maxStaticFalsePositives);
  high('runtime false positives', s.runtime.fp, t.maxRuntimeFalsePositives);
  return out;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function row(name: string, s: Score, extra = ''): string {
  return `| ${name} | ${s.tp} | ${s.fn} | ${s.fp} | ${pct(precision(s))} | ${pct(recall(s))} |${extra}`;
}

/** Metadata printed at the top of the report. */
export interface ReportMeta {
  date: string;
  goVersion: string;
  leakProfile: boolean;
  seconds: number;
  /** `go vet` baseline was run. */
  vet: boolean;
}

/** Renders the Markdown report (also printed to stdout). */
export function renderReport(results: readonly CaseResult[], registered: ReadonlySet<string>, meta: ReportMeta): string {
  const s = summarizeResults(results);
  const L: string[] = [];
  L.push('# leakscope accuracy on the corpus');
  L.push('');
  L.push(`Generated by \`npm run accuracy\` (bench/accuracy.ts) on ${meta.date} with ${meta.goVersion}, leakscope ${VERSION}, ${registered.size} registered rules; ${meta.seconds.toFixed(1)} s on ${os.availableParallelism?.() ?? os.cpus().length} cores.`);
  L.push(`goroutineleak profile (GOEXPERIMENT=goroutineleakprofile): ${meta.leakProfile ? 'used' : 'not available with this toolchain'}.`);
  L.push('');
  const byCat = CATEGORIES.map((c) => `${c} ${results.filter((r) => r.spec.category === c).length}`).join(', ');
  const byGroup = groupsOf(results)
    .map((g) => `${g === BASELINE_GROUP ? g : `issue ${g}`} ${results.filter((r) => groupOf(r.spec) === g).length}`)
    .join(', ');
  L.push(`Cases: ${s.cases} (${byCat}; ${byGroup}), ground truth reproduced: ${s.reproduced} (unreproduced cases are flagged below and not counted).`);
  L.push('');
  L.push('Units are leak sites (a line where goroutines of the buggy program stay blocked) and growth sites. TP: found; FN: missed; FP: reports on the fixed twins. Static "near" = the finding starts on the site line, on a `near` line of case.yaml, or on the `go` statement of a goroutine blocked there. Runtime = the runtime analyzer (`groupGoroutines` + `classifyGroups`, default thresholds, with the evidence the program\'s source gives as `leakscope goroutines` reads it when the source is at hand: static findings on every frame, wait-for cycles, idle pools) on the goroutine dump (debug=2) or the goroutineleak profile; for growth sites the top in-use user allocation site of the heap profile; for race sites the race reports of the `-race` build (`parseRaceReports`). Recall is per site; precision = TP sites / (TP sites + false-positive findings or suspect groups on the fixed twins). Case format and ground truth: corpus/README.md.');
  L.push('');
  L.push('## Summary');
  L.push('');
  L.push('All groups together (held to `overall` in the thresholds); each group also has its own (next section).');
  L.push('');
  L.push('| Analysis | TP | FN | FP (fixed twins) | Precision | Recall |');
  L.push('|---|---:|---:|---:|---:|---:|');
  L.push(row('static (any rule)', s.static));
  L.push(row('static (expected rules)', s.staticExpected));
  L.push(row('runtime (dump or leak profile)', s.runtime));
  L.push(row('runtime: goroutine dump only', s.runtimeDump));
  L.push(row('runtime: goroutineleak profile only', s.runtimeLeakProfile));
  L.push(row('combined (static or runtime)', s.combined));
  if (meta.vet) L.push(row('peer baseline: `go vet` (default analyzers)', s.vet));
  L.push('');
  L.push('## Per group');
  L.push('');
  L.push(`Each case belongs to a group: the issue whose work it measures (\`issue\` in case.yaml), or \`${BASELINE_GROUP}\` (the original corpus). Thresholds apply per group: the top-level figures of bench/accuracy-thresholds.json to the baseline, \`issues.<N>\` to each issue's group.`);
  L.push('');
  L.push('| Group | Cases (reproduced) | Sites | Static TP/FN/FP | Static R | Static R (expected rules) | Runtime TP/FN/FP | Runtime R | Combined R |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const g of groupsOf(results)) {
    const gs = summarizeGroup(results, g);
    L.push(
      `| ${g === BASELINE_GROUP ? g : `issue ${g}`} | ${gs.cases} (${gs.reproduced}) | ${gs.static.tp + gs.static.fn} | ${gs.static.tp}/${gs.static.fn}/${gs.static.fp} | ${pct(recall(gs.static))} | ${pct(recall(gs.staticExpected))} | ${gs.runtime.tp}/${gs.runtime.fn}/${gs.runtime.fp} | ${pct(recall(gs.runtime))} | ${pct(recall(gs.combined))} |`,
    );
  }
  L.push('');
  L.push('## Per category');
  L.push('');
  L.push('| Category | Cases (reproduced) | Static TP/FN/FP | Static P | Static R | Runtime TP/FN/FP | Runtime P | Runtime R | Combined R |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of CATEGORIES) {
    const cs = summarize(results, (r) => r.spec.category === c);
    if (cs.cases === 0) continue;
    L.push(
      `| ${c} | ${cs.cases} (${cs.reproduced}) | ${cs.static.tp}/${cs.static.fn}/${cs.static.fp} | ${pct(precision(cs.static))} | ${pct(recall(cs.static))} | ${cs.runtime.tp}/${cs.runtime.fn}/${cs.runtime.fp} | ${pct(precision(cs.runtime))} | ${pct(recall(cs.runtime))} | ${pct(recall(cs.combined))} |`,
    );
  }
  L.push('');
  L.push('## Per rule (static)');
  L.push('');
  L.push('Expected sites: sites of cases whose `rules` name the rule. TP / FN: expected sites it found / missed (recall = TP / expected). Elsewhere: sites of other cases it found. FP: its findings on fixed twins (precision = (TP + elsewhere) / (TP + elsewhere + FP)). A rule named in case.yaml but not registered yet counts all its sites as FN.');
  L.push('');
  L.push('| Rule | Registered | Expected sites | TP | FN | Elsewhere | FP | Precision | Recall |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of ruleScores(results, registered)) {
    const found = r.tp + r.elsewhere;
    L.push(
      `| ${r.rule} | ${r.registered ? 'yes' : '**no (not yet)**'} | ${r.expectedIn} | ${r.tp} | ${r.fn} | ${r.elsewhere} | ${r.fp} | ${found + r.fp ? pct(precision({ tp: found, fn: 0, fp: r.fp })) : '-'} | ${r.expectedIn ? pct(recall(r)) : '-'} |`,
    );
  }
  L.push('');
  L.push('## Runtime verdicts that found sites');
  L.push('');
  L.push('| Source: classify rule | Sites |');
  L.push('|---|---:|');
  const verdictCounts = new Map<string, number>();
  for (const r of results) {
    if (!r.reproduced) continue;
    for (const l of r.leaks) for (const v of l.runtimeVerdicts) verdictCounts.set(v, (verdictCounts.get(v) ?? 0) + 1);
    if (r.growth?.runtimeHeap) verdictCounts.set('heap profile: top in-use site', (verdictCounts.get('heap profile: top in-use site') ?? 0) + 1);
  }
  for (const [v, n] of [...verdictCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) L.push(`| ${v} | ${n} |`);
  const rfp = results.filter((r) => r.reproduced).flatMap((r) => [...r.runtimeFP.dump, ...r.runtimeFP.leakProfile, ...r.runtimeFP.heap, ...r.runtimeFP.race].map((x) => `${r.spec.id}/fixed: ${x}`));
  if (rfp.length) {
    L.push('');
    L.push('Runtime false positives on fixed twins:');
    L.push('');
    for (const x of rfp) L.push(`- ${x}`);
  }
  L.push('');
  L.push('## Cases');
  L.push('');
  L.push('| Case | Group | Category | Reproduced | Sites | Static | Static (rules near sites) | Static missed | Runtime dump | Leak profile | go vet | FP on fixed |');
  L.push('|---|---|---|---|---:|---|---|---|---|---|---|---|');
  for (const r of [...results].sort((a, b) => a.spec.id.localeCompare(b.spec.id))) {
    const sites = r.leaks.length + (r.growth ? 1 : 0);
    const st = [...new Set([...r.leaks.flatMap((l) => l.staticRules), ...(r.growth?.staticRules ?? [])])];
    const found = (f: (l: LeakOutcome) => boolean, heap: boolean): string => `${r.leaks.filter(f).length + (heap ? 1 : 0)}/${sites}`;
    const heap = r.growth?.runtimeHeap ?? false;
    const missed = [...r.leaks.filter((l) => l.staticRules.length === 0).map((l) => `${l.site.file}:${l.site.line}`), ...(r.growth && r.growth.staticRules.length === 0 ? ['growth'] : [])];
    const fps = [...r.staticFP.map((f) => `${f.ruleId}@${f.range.start.line}`), ...r.runtimeFP.dump.map(() => 'runtime'), ...r.runtimeFP.leakProfile.map(() => 'leak-profile'), ...r.runtimeFP.heap.map(() => 'heap'), ...r.runtimeFP.race.map(() => 'race'), ...r.vetFP.map((d) => `vet@${d.line}`)];
    L.push(
      `| ${r.spec.id} | ${groupOf(r.spec)} | ${r.spec.category} | ${r.reproduced ? 'yes' : `**no**: ${r.problems.join('; ').replace(/\|/g, '\\|')}`} | ${sites} | ${found((l) => l.staticRules.length > 0, (r.growth?.staticRules.length ?? 0) > 0)} | ${st.join(', ') || '-'} | ${missed.join(', ') || '-'} | ${found((l) => l.runtimeDump, heap)} | ${found((l) => l.runtimeLeakProfile, heap)} | ${meta.vet ? `${r.leaks.filter((l) => l.vet).length + (r.growth?.vet ? 1 : 0)}/${sites}` : '-'} | ${fps.join(', ') || '-'} |`,
    );
  }
  const unmatched = results.flatMap((r) => r.staticUnmatched.map((f) => `${r.spec.id}/buggy ${path.basename(f.file)}:${f.range.start.line} ${f.ruleId}`));
  if (unmatched.length) {
    L.push('');
    L.push('## Findings on buggy programs near no recorded site (not scored)');
    L.push('');
    for (const u of unmatched) L.push(`- ${u}`);
  }
  L.push('');
  return L.join('\n');
}

// ---------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------

interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function exec(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1 << 20) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8 << 20) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(e), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A counting semaphore for the build and run pools. */
export class Pool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}
  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await f();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Infrastructure failure (exit 2). */
export class InfraError extends Error {}

/** The build and run environment of the corpus runner. */
export interface Env {
  tmp: string;
  capture: string;
  goEnv: NodeJS.ProcessEnv;
  leakProfile: boolean;
  builds: Pool;
  runs: Pool;
}

function readGoroutines(file: string): GoroutineProfile | undefined {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return undefined;
  const p = readProfile(fs.readFileSync(file), file);
  return p.kind === 'goroutine' ? withoutCapture(p) : undefined;
}

/** Runs `go vet` on one program (the peer baseline); diagnostics relative to the directory. */
async function vetDir(env: Env, dir: string): Promise<VetDiagnostic[]> {
  const r = await env.builds.run(() => exec('go', ['vet', '.'], { cwd: dir, env: env.goEnv, timeoutMs: 180_000 }));
  return parseVet(r.stderr);
}

/**
 * Builds one program with the capture file (and `extra` overlay entries: the shaken
 * sources) into `env.tmp/name`; returns the binary.
 */
export async function buildProgram(env: Env, dir: string, name: string, race: boolean, extra: Record<string, string> = {}): Promise<string> {
  const bin = path.join(env.tmp, name);
  const overlay = path.join(env.tmp, `${name}.overlay.json`);
  fs.writeFileSync(overlay, JSON.stringify({ Replace: { [path.join(dir, 'zz_leakscope_capture.go')]: env.capture, ...extra } }));
  const args = ['build', ...(race ? ['-race'] : []), '-overlay', overlay, '-o', bin, '.'];
  const b = await env.builds.run(() => exec('go', args, { cwd: dir, env: env.goEnv, timeoutMs: 180_000 }));
  if (b.code !== 0) throw new InfraError(`${path.relative(process.cwd(), dir)}: go build failed${b.timedOut ? ' (timeout)' : ''}:\n${b.stderr.trim()}`);
  return bin;
}

/** Runs a built program once (`tag` names this run's profile files) and reads what it captured. */
export async function runProgram(env: Env, bin: string, dir: string, tag: string, settleMs: number, race: boolean, extraEnv: Record<string, string> = {}): Promise<RunCapture> {
  const name = path.basename(bin) + tag;
  const base = path.join(env.tmp, name);
  const files = { g: `${base}.goroutine.txt`, l: `${base}.leak.txt`, h: `${base}.heap.pb.gz` };
  const r = await env.runs.run(() =>
    exec(bin, [], {
      cwd: dir,
      timeoutMs: settleMs + 15_000,
      env: {
        ...process.env,
        LEAKSCOPE_SETTLE_MS: String(settleMs),
        LEAKSCOPE_GOROUTINE_PROFILE: files.g,
        LEAKSCOPE_LEAK_PROFILE: files.l,
        LEAKSCOPE_HEAP_PROFILE: files.h,
        GOTRACEBACK: 'all',
        GORACE: 'halt_on_error=0',
        ...extraEnv,
      },
    }),
  );
  const out: RunCapture = {};
  if (race) {
    out.race = r.stderr.includes('WARNING: DATA RACE') ? parseRaceReports(r.stderr, `${name} stderr`) : { kind: 'race', source: `${name} stderr`, races: [] };
  }
  try {
    out.dump = readGoroutines(files.g);
    out.leakProfile = readGoroutines(files.l);
    if (fs.existsSync(files.h)) {
      const h = readProfile(fs.readFileSync(files.h), files.h);
      if (h.kind === 'heap') out.heap = h;
    }
  } catch (e) {
    out.error = `unreadable profile: ${(e as Error).message}`;
  }
  if (!out.dump) {
    // A deadlock that crashes ("all goroutines are asleep") prints its dump on stderr.
    if (/fatal error: all goroutines are asleep|goroutine \d+ \[/.test(r.stderr)) {
      try {
        const p = readProfile(Buffer.from(r.stderr), `${name} stderr`);
        if (p.kind === 'goroutine') out.dump = withoutCapture(p);
      } catch {
        // fall through to the error below
      }
    }
    if (!out.dump) out.error = r.timedOut ? 'timed out before the capture' : `exited (${r.code}) before the capture: ${r.stderr.trim().split('\n').slice(0, 3).join(' / ')}`;
  }
  for (const f of Object.values(files)) fs.rmSync(f, { force: true });
  return out;
}

/** Builds and runs one program, returning what it captured. */
async function buildAndRun(env: Env, dir: string, name: string, settleMs: number, race: boolean): Promise<RunCapture> {
  const bin = await buildProgram(env, dir, name, race);
  return runProgram(env, bin, dir, '', settleMs, race);
}

/**
 * Adds the source's evidence to a capture (dump and goroutineleak profile), from the
 * static findings already computed for its directory.
 */
function evidenceReader(root: string, byDir: ReadonlyMap<string, Finding[]>): (cap: RunCapture, dir: string) => Promise<void> {
  const caches = new Map<string, PackageCache>();
  return async (cap, dir) => {
    const findings = (byDir.get(dir) ?? []).map((f) => ({ ...f, file: path.resolve(root, f.file) }));
    let cache = caches.get(dir);
    if (!cache) caches.set(dir, (cache = new PackageCache()));
    for (const which of ['dump', 'leakProfile'] as const) {
      const p = cap[which];
      if (!p) continue;
      const ev = await dumpEvidence(p, groupGoroutines(p), { findings, cache });
      if (which === 'dump') cap.dumpEvidence = ev.groups;
      else cap.leakEvidence = ev.groups;
    }
  };
}

function goInfo(): { version: string; leakProfile: boolean } | undefined {
  const v = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return undefined;
  const exp = spawnSync('go', ['env', 'GOEXPERIMENT'], { encoding: 'utf8', env: { ...process.env, GOEXPERIMENT: 'goroutineleakprofile' } });
  return { version: v.stdout.trim(), leakProfile: exp.status === 0 };
}

/** Finds the repository root (the directory with package.json above this file). */
function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(d, 'package.json'))) {
    const up = path.dirname(d);
    if (up === d) return process.cwd();
    d = up;
  }
  return d;
}

/** Loads every `corpus/<id>/case.yaml`. */
export function loadCorpus(corpusDir: string): Array<{ spec: CaseSpec; dir: string }> {
  if (!fs.existsSync(corpusDir)) throw new InfraError(`${corpusDir}: no corpus directory`);
  const out: Array<{ spec: CaseSpec; dir: string }> = [];
  for (const name of fs.readdirSync(corpusDir).sort()) {
    const dir = path.join(corpusDir, name);
    const file = path.join(dir, 'case.yaml');
    if (!fs.existsSync(file)) continue;
    const spec = parseCase(fs.readFileSync(file, 'utf8'), file);
    if (spec.id !== name) throw new InfraError(`${file}: id "${spec.id}" does not match the directory name`);
    for (const v of ['buggy', 'fixed']) if (!fs.existsSync(path.join(dir, v, 'go.mod'))) throw new InfraError(`${dir}/${v}: missing go.mod`);
    out.push({ spec, dir: fs.realpathSync(dir) });
  }
  if (out.length === 0) throw new InfraError(`${corpusDir}: no cases`);
  return out;
}

async function main(): Promise<number> {
  const t0 = performance.now();
  const root = repoRoot();
  const go = goInfo();
  if (!go) {
    const msg = 'accuracy: the Go toolchain ("go" on PATH) is required to build and run the corpus.';
    if (process.env.CI === 'true') {
      console.error(`${msg} Failing because CI=true.`);
      return 2;
    }
    console.error(`${msg} Skipped (set up Go, or CI=true makes this a failure).`);
    return 0;
  }
  const only = process.env.ACCURACY_CASES?.split(',').filter(Boolean);
  // ACCURACY_VET=0 skips the go vet baseline (it adds one vet run per program).
  const vet = process.env.ACCURACY_VET !== '0';
  const all = loadCorpus(path.join(root, 'corpus'));
  const unknown = (only ?? []).filter((id) => !all.some((c) => c.spec.id === id));
  if (unknown.length) throw new InfraError(`ACCURACY_CASES: no such case(s): ${unknown.join(', ')}`);
  const selected = all.filter((c) => !only || only.includes(c.spec.id));
  // `npm run accuracy -- --shake`: the shake comparison on every case (default: the rare-schedule cases).
  const fullShake = process.argv.includes('--shake');
  const corpus = selected.filter((c) => c.spec.schedule !== 'rare');
  const shakeCorpus = fullShake ? selected : selected.filter((c) => c.spec.schedule === 'rare');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-accuracy-'));
  const capture = path.join(tmp, 'capture.go');
  fs.writeFileSync(capture, CAPTURE_SOURCE);
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const goEnv: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off', GOTOOLCHAIN: 'local' };
  if (go.leakProfile) goEnv.GOEXPERIMENT = [process.env.GOEXPERIMENT, 'goroutineleakprofile'].filter(Boolean).join(',');
  const env: Env = { tmp, capture, goEnv, leakProfile: go.leakProfile, builds: new Pool(cores), runs: new Pool(cores * 4) };
  try {
    console.error(`accuracy: ${corpus.length} cases, ${go.version}, ${cores} cores${go.leakProfile ? ', goroutineleak profile on' : ''}`);
    const registered = new Set(ALL_RULES.map((r) => r.meta.id));
    // The rules `leakscope check` runs without a configuration: opt-in rules
    // (`enabledByDefault: false`) are not what a user gets, so they are not measured.
    const byDefault = ALL_RULES.filter((r) => r.meta.enabledByDefault).map((r) => r.meta.id);
    const staticRun = analyze(
      corpus.flatMap((c) => [path.join(c.dir, 'buggy'), path.join(c.dir, 'fixed')]),
      { noConfig: true, tests: true, only: byDefault, workers: cores },
    );
    // Mark the static run as handled now; its error (if any) is rethrown by the await below.
    staticRun.catch(() => undefined);
    // allSettled: on a build failure, let every other build and run finish before the
    // temporary directory is removed, then report the first failure.
    const settled = await Promise.allSettled(
      corpus.map(async (c) => {
        const settle = c.spec.settleMs ?? DEFAULT_SETTLE_MS;
        const race = c.spec.category === 'race';
        const parts = await Promise.allSettled([
          vet ? vetDir(env, path.join(c.dir, 'buggy')) : Promise.resolve(undefined),
          vet ? vetDir(env, path.join(c.dir, 'fixed')) : Promise.resolve(undefined),
          buildAndRun(env, path.join(c.dir, 'buggy'), `${c.spec.id}-buggy`, settle, race),
          buildAndRun(env, path.join(c.dir, 'fixed'), `${c.spec.id}-fixed`, settle, race),
        ]);
        const failed = parts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
        if (failed) throw failed.reason;
        const [buggyVet, fixedVet, buggy, fixed] = parts.map((p) => (p as PromiseFulfilledResult<unknown>).value) as [
          VetDiagnostic[] | undefined,
          VetDiagnostic[] | undefined,
          RunCapture,
          RunCapture,
        ];
        return { buggy, fixed, buggyVet, fixedVet };
      }),
    );
    const failed = settled.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
    const captures = settled.map((p) => (p as PromiseFulfilledResult<{ buggy: RunCapture; fixed: RunCapture; buggyVet?: VetDiagnostic[]; fixedVet?: VetDiagnostic[] }>).value);
    const analysis = await staticRun;
    const byDir = new Map<string, Finding[]>();
    for (const f of analysis.findings) {
      const d = path.dirname(path.resolve(root, f.file));
      byDir.set(d, [...(byDir.get(d) ?? []), f]);
    }
    // The runtime analyzer reads the programs' source, as `leakscope goroutines` does when
    // the source is at hand: static findings on the frames, wait-for cycles, idle pools.
    const evidence = evidenceReader(root, byDir);
    for (const [i, c] of corpus.entries()) {
      const cap = captures[i] as { buggy: RunCapture; fixed: RunCapture };
      await evidence(cap.buggy, path.join(c.dir, 'buggy'));
      await evidence(cap.fixed, path.join(c.dir, 'fixed'));
    }
    const results = corpus.map((c, i) => {
      const cap = captures[i] as { buggy: RunCapture; fixed: RunCapture; buggyVet?: VetDiagnostic[]; fixedVet?: VetDiagnostic[] };
      const buggyDir = path.join(c.dir, 'buggy');
      const fixedDir = path.join(c.dir, 'fixed');
      return scoreCase({
        spec: c.spec,
        buggyDir,
        fixedDir,
        buggy: cap.buggy,
        fixed: cap.fixed,
        buggyFindings: byDir.get(buggyDir) ?? [],
        fixedFindings: byDir.get(fixedDir) ?? [],
        ...(cap.buggyVet ? { buggyVet: cap.buggyVet } : {}),
        ...(cap.fixedVet ? { fixedVet: cap.fixedVet } : {}),
      });
    });
    console.error(`accuracy: shake comparison on ${shakeCorpus.length} case(s), ${SHAKE_RUNS} plain + ${SHAKE_RUNS} shaken + ${SHAKE_RUNS} fixed shaken runs each`);
    const shakeStatic = shakeCorpus.length > 0 ? await analyze(shakeCorpus.flatMap((c) => [path.join(c.dir, 'buggy'), path.join(c.dir, 'fixed')]), { noConfig: true, tests: true, only: byDefault, workers: cores }) : undefined;
    for (const f of shakeStatic?.findings ?? []) {
      const d = path.dirname(path.resolve(root, f.file));
      byDir.set(d, [...(byDir.get(d) ?? []).filter((x) => x !== f), f]);
    }
    const shakeEvidence = evidenceReader(root, byDir);
    const shaken = await Promise.all(shakeCorpus.map((c) => shakeCase(env, { build: buildProgram, run: runProgram, evidence: shakeEvidence }, c.spec, c.dir, c.spec.settleMs ?? DEFAULT_SETTLE_MS)));
    const seconds = (performance.now() - t0) / 1000;
    let report = renderReport(results, registered, { date: new Date().toISOString().slice(0, 10), goVersion: go.version, leakProfile: go.leakProfile, seconds, vet });
    if (shaken.length > 0) report += '\n' + renderShakeSection(shaken, fullShake);
    console.log(report);
    if (!only) fs.writeFileSync(path.join(root, 'bench', 'accuracy.md'), report);
    const thresholdsFile = path.join(root, 'bench', 'accuracy-thresholds.json');
    const thresholds = fs.existsSync(thresholdsFile) ? (JSON.parse(fs.readFileSync(thresholdsFile, 'utf8')) as Thresholds) : {};
    for (const g of groupsOf(results)) {
      const s = summarizeGroup(results, g);
      console.log(
        `${g === BASELINE_GROUP ? g : `issue ${g}`}: static recall ${pct(recall(s.static))} precision ${pct(precision(s.static))} · runtime recall ${pct(recall(s.runtime))} precision ${pct(precision(s.runtime))} · combined recall ${pct(recall(s.combined))} · ${s.reproduced}/${s.cases} reproduced`,
      );
    }
    console.log(`accuracy: ${seconds.toFixed(1)} s`);
    const sh = summarizeShake(shaken);
    if (shaken.length > 0) {
      console.log(
        `shake: detected within ${SHAKE_RUNS} runs plain ${sh.plainDetected}/${sh.reproduced}, shaken ${sh.shakenDetected}/${sh.reproduced} · per run plain ${pct(sh.plainRate)}, shaken ${pct(sh.shakenRate)} · fixed twins under shaking: ${sh.fixedFindings} finding(s)`,
      );
    }
    const failures = only ? [] : [...checkGroupThresholds(results, thresholds), ...(shaken.length > 0 ? checkShakeThresholds(sh, fullShake ? { maxFixedFindings: thresholds.shake?.maxFixedFindings ?? 0 } : (thresholds.shake ?? {})) : [])];
    for (const f of failures) console.error(`accuracy: FAIL ${f} (${path.relative(root, thresholdsFile)})`);
    return failures.length ? 1 : 0;
  } finally {
    if (!process.env.ACCURACY_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`accuracy: ${e instanceof InfraError ? e.message : (e as Error).stack ?? String(e)}`);
      process.exitCode = 2;
    },
  );
}
