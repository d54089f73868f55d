/**
 * @fileoverview The shake comparison of `npm run accuracy` (issue 18): for each case,
 * the buggy program runs 20 times as it is and 20 times built with the `--shake`
 * perturbations (src/testrun/shake.ts, seeds 1..20), and the fixed twin 20 times shaken.
 * A run detects the case when the runtime analyzer (the same `classifyGroups` as the
 * single-run table, on the goroutine dump or the goroutineleak profile) flags a group at
 * one of its leak sites. A fixed twin must stay clean under shaking: any suspect group,
 * or any goroutine left blocked in its code, counts against it (perturbations must not
 * invent leaks).
 *
 * By default (and in CI) only the cases marked `schedule: rare` in case.yaml run this
 * comparison (the leaks that need one particular interleaving, which the single-run table
 * cannot measure); `npm run accuracy -- --shake` runs it on the whole corpus (about
 * 7 minutes on 2 cores: 60 runs per case).
 */
import fs from 'node:fs';
import path from 'node:path';
import { blockingSite, classifyGroups, groupGoroutines, type GoroutineProfile, type GroupEvidence } from '../src/profiles/index.js';
import { shakeHelperSource, shakeImportPath, shakePackage, shakeRuntimeSource, SHAKE_PKG_DIR, SHAKE_SEED_ENV } from '../src/testrun/shake.js';
import type { CaseSpec, Env, RunCapture } from './accuracy.js';

/** Runs per variant (plain, shaken, fixed shaken). */
export const SHAKE_RUNS = Number(process.env.ACCURACY_SHAKE_RUNS ?? 20);

/** Outcome of the comparison for one case. */
export interface ShakeCaseResult {
  spec: CaseSpec;
  runs: number;
  /** Runs in which the analyzer flagged a leak site. */
  plainHits: number;
  shakenHits: number;
  /** Runs in which a goroutine was blocked at a leak site (the ground truth, whoever finds it). */
  plainShown: number;
  shakenShown: number;
  /** Runs of the fixed twin under shaking with a suspect group or a goroutine blocked in its code, with what was wrong. */
  fixedFindings: string[];
  /** Runs that captured nothing usable (crashed before the capture, timed out). */
  errors: string[];
  /** Perturbation points in the buggy program. */
  sites: number;
}

function sameFile(frameFile: string, dir: string, rel: string): boolean {
  return path.resolve(frameFile) === path.resolve(dir, rel);
}

function suspectAt(p: GoroutineProfile | undefined, dir: string, spec: CaseSpec, ev?: ReadonlyMap<string, GroupEvidence>): boolean {
  if (!p) return false;
  return classifyGroups(groupGoroutines(p), {}, p, ev).some((g) => g.suspect && spec.leaks.some((l) => g.location.line === l.line && sameFile(g.location.file, dir, l.file)));
}

const NOT_BLOCKED = new Set(['running', 'runnable', 'syscall', 'sleep', 'IO wait']);

function shownAt(p: GoroutineProfile | undefined, dir: string, spec: CaseSpec): boolean {
  return (p?.goroutines ?? []).some((g) => {
    if (NOT_BLOCKED.has(g.state) || g.frames.some((f) => f.function === 'main.main')) return false;
    const top = blockingSite(g.frames);
    return spec.leaks.some((l) => top.line === l.line && sameFile(top.file, dir, l.file) && (!l.state || g.state.startsWith(l.state)));
  });
}

/** What is wrong with a fixed twin's run: suspect groups, or goroutines blocked in its code. */
function fixedProblems(cap: RunCapture, dir: string, spec: CaseSpec): string[] {
  const out: string[] = [];
  for (const [p, ev] of [[cap.dump, cap.dumpEvidence], [cap.leakProfile, cap.leakEvidence]] as const) {
    if (!p) continue;
    for (const g of classifyGroups(groupGoroutines(p), {}, p, ev)) if (g.suspect) out.push(`${g.rule} at ${path.basename(g.location.file)}:${g.location.line}`);
  }
  const root = path.resolve(dir) + path.sep;
  for (const g of cap.dump?.goroutines ?? []) {
    if (NOT_BLOCKED.has(g.state) || g.frames.some((f) => f.function === 'main.main')) continue;
    const s = blockingSite(g.frames);
    if (!path.resolve(s.file).startsWith(root) || (spec.fixedIdle?.includes(s.line) && sameFile(s.file, dir, 'main.go'))) continue;
    out.push(`blocked in "${g.state}" at ${path.basename(s.file)}:${s.line}`);
  }
  return [...new Set(out)];
}

/** Overlay entries that build `dir` with the perturbations: shaken copies, the helper, the shared package. */
export function shakeOverlay(dir: string, outDir: string, name: string): { replace: Record<string, string>; sites: number } {
  const mod = /^module\s+(\S+)/m.exec(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'))?.[1];
  if (!mod) throw new Error(`${dir}/go.mod: no module line`);
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.go') && !f.endsWith('_test.go')) files.set(path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8'));
  const res = shakePackage({ files, importPath: mod, root: dir });
  const replace: Record<string, string> = {};
  const write = (file: string, text: string): string => {
    const p = path.join(outDir, `${name}.${file}`);
    fs.writeFileSync(p, text);
    return p;
  };
  for (const [abs, text] of res.rewritten) replace[abs] = write(path.basename(abs), text);
  replace[path.join(dir, 'zz_leakscope_shake.go')] = write('zz_leakscope_shake.go', shakeHelperSource('main', shakeImportPath(mod), res.sites.length));
  replace[path.join(dir, SHAKE_PKG_DIR, 'shake.go')] = write('shake.go', shakeRuntimeSource());
  return { replace, sites: res.sites.length };
}

/** The functions of the corpus runner the comparison uses (passed in to keep the modules acyclic). */
export interface Runner {
  build(env: Env, dir: string, name: string, race: boolean, extra?: Record<string, string>): Promise<string>;
  run(env: Env, bin: string, dir: string, tag: string, settleMs: number, race: boolean, extraEnv?: Record<string, string>): Promise<RunCapture>;
  /** Adds the source's evidence to a capture (see bench/accuracy.ts evidenceReader). */
  evidence(cap: RunCapture, dir: string): Promise<void>;
}

/** Runs the comparison for one case. */
export async function shakeCase(env: Env, runner: Runner, spec: CaseSpec, caseDir: string, settleMs: number): Promise<ShakeCaseResult> {
  const buggyDir = path.join(caseDir, 'buggy');
  const fixedDir = path.join(caseDir, 'fixed');
  const race = spec.category === 'race';
  const bo = shakeOverlay(buggyDir, env.tmp, `${spec.id}-buggy-shaken`);
  const fo = shakeOverlay(fixedDir, env.tmp, `${spec.id}-fixed-shaken`);
  const [plainBin, shakenBin, fixedBin] = await Promise.all([
    runner.build(env, buggyDir, `${spec.id}-buggy-plain`, race),
    runner.build(env, buggyDir, `${spec.id}-buggy-shaken`, race, bo.replace),
    runner.build(env, fixedDir, `${spec.id}-fixed-shaken`, race, fo.replace),
  ]);
  const r: ShakeCaseResult = { spec, runs: SHAKE_RUNS, plainHits: 0, shakenHits: 0, plainShown: 0, shakenShown: 0, fixedFindings: [], errors: [], sites: bo.sites };
  await Promise.all(
    Array.from({ length: SHAKE_RUNS }, async (_, i) => {
      const seed = { [SHAKE_SEED_ENV]: String(i + 1) };
      const [plain, shaken, fixed] = await Promise.all([
        runner.run(env, plainBin, buggyDir, `.${i}`, settleMs, race),
        runner.run(env, shakenBin, buggyDir, `.${i}`, settleMs, race, seed),
        runner.run(env, fixedBin, fixedDir, `.${i}`, settleMs, race, seed),
      ]);
      for (const [what, cap] of [['plain', plain], ['shaken', shaken], ['fixed', fixed]] as const) if (cap.error) r.errors.push(`${what} run ${i + 1}: ${cap.error}`);
      await runner.evidence(plain, buggyDir);
      await runner.evidence(shaken, buggyDir);
      await runner.evidence(fixed, fixedDir);
      if (suspectAt(plain.dump, buggyDir, spec, plain.dumpEvidence) || suspectAt(plain.leakProfile, buggyDir, spec, plain.leakEvidence)) r.plainHits++;
      if (suspectAt(shaken.dump, buggyDir, spec, shaken.dumpEvidence) || suspectAt(shaken.leakProfile, buggyDir, spec, shaken.leakEvidence)) r.shakenHits++;
      if (shownAt(plain.dump, buggyDir, spec)) r.plainShown++;
      if (shownAt(shaken.dump, buggyDir, spec)) r.shakenShown++;
      const bad = fixedProblems(fixed, fixedDir, spec);
      if (bad.length > 0) r.fixedFindings.push(`run ${i + 1} (seed ${i + 1}): ${bad.join(', ')}`);
    }),
  );
  return r;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Headline figures of the comparison. */
export interface ShakeSummary {
  cases: number;
  /** Cases whose leak showed in at least one run (plain or shaken): the ones scored. */
  reproduced: number;
  plainDetected: number;
  shakenDetected: number;
  plainRate: number;
  shakenRate: number;
  fixedFindings: number;
}

/** Summary over the cases whose leak showed at all. */
export function summarizeShake(results: readonly ShakeCaseResult[]): ShakeSummary {
  const rep = results.filter((r) => r.plainShown + r.shakenShown > 0);
  const runs = rep.reduce((n, r) => n + r.runs, 0);
  return {
    cases: results.length,
    reproduced: rep.length,
    plainDetected: rep.filter((r) => r.plainHits > 0).length,
    shakenDetected: rep.filter((r) => r.shakenHits > 0).length,
    plainRate: runs === 0 ? 0 : rep.reduce((n, r) => n + r.plainHits, 0) / runs,
    shakenRate: runs === 0 ? 0 : rep.reduce((n, r) => n + r.shakenHits, 0) / runs,
    fixedFindings: results.reduce((n, r) => n + r.fixedFindings.length, 0),
  };
}

/** The Markdown section appended to the accuracy report. */
export function renderShakeSection(results: readonly ShakeCaseResult[], full: boolean): string {
  const s = summarizeShake(results);
  const L: string[] = [];
  L.push(`## Rare schedules: ${SHAKE_RUNS} plain runs vs ${SHAKE_RUNS} shaken runs`);
  L.push('');
  L.push(
    `${full ? 'Every case of the corpus' : 'The cases marked `schedule: rare` (leaks that need one interleaving; `npm run accuracy -- --shake` runs every case)'}: the buggy program runs ${SHAKE_RUNS} times as built and ${SHAKE_RUNS} times built with the \`leakscope test --shake\` perturbations (seeds 1..${SHAKE_RUNS}); the fixed twin runs ${SHAKE_RUNS} times shaken. A run detects the case when the runtime analyzer flags a leak site (goroutine dump or goroutineleak profile). "Shown" counts runs in which a goroutine was blocked at a leak site at all. Fixed twins: runs with a suspect group or a goroutine left blocked in their code (must be 0).`,
  );
  L.push('');
  L.push(
    `Cases whose leak showed: ${s.reproduced}/${s.cases}. Detected within ${SHAKE_RUNS} plain runs: **${s.plainDetected}/${s.reproduced}**; within ${SHAKE_RUNS} shaken runs: **${s.shakenDetected}/${s.reproduced}**. Detection per run: plain ${pct(s.plainRate)}, shaken ${pct(s.shakenRate)}. Findings on fixed twins under shaking: **${s.fixedFindings}**.`,
  );
  L.push('');
  L.push(`| Case | Category | Perturbation points | Plain: detected (shown) /${SHAKE_RUNS} | Shaken: detected (shown) /${SHAKE_RUNS} | Fixed twin under shaking |`);
  L.push('|---|---|---:|---:|---:|---|');
  for (const r of [...results].sort((a, b) => a.spec.id.localeCompare(b.spec.id))) {
    L.push(
      `| ${r.spec.id} | ${r.spec.category} | ${r.sites} | ${r.plainHits} (${r.plainShown}) | ${r.shakenHits} (${r.shakenShown}) | ${r.fixedFindings.length === 0 ? 'clean' : `**${r.fixedFindings.length} run(s)**: ${[...r.fixedFindings].sort().slice(0, 2).join('; ').replace(/\|/g, '\\|')}${r.fixedFindings.length > 2 ? '; ...' : ''}`} |`,
    );
  }
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.spec.id}: ${e}`));
  if (errors.length > 0) {
    L.push('');
    L.push('Runs that captured nothing:');
    L.push('');
    for (const e of errors.slice(0, 50)) L.push(`- ${e}`);
  }
  L.push('');
  return L.join('\n');
}

/** Thresholds of the comparison (`shake` in bench/accuracy-thresholds.json). */
export interface ShakeThresholds {
  /** Minimum number of cases detected within the shaken runs. */
  minShakenDetected?: number;
  /** Maximum findings on fixed twins under shaking. */
  maxFixedFindings?: number;
}

/** Messages for the figures that are worse than the thresholds; shaking must also detect at least as many cases as plain runs. */
export function checkShakeThresholds(s: ShakeSummary, t: ShakeThresholds): string[] {
  const out: string[] = [];
  if (t.minShakenDetected !== undefined && s.shakenDetected < t.minShakenDetected) out.push(`shaken detections ${s.shakenDetected} are below the threshold ${t.minShakenDetected}`);
  if (t.maxFixedFindings !== undefined && s.fixedFindings > t.maxFixedFindings) out.push(`findings on fixed twins under shaking ${s.fixedFindings} are above the threshold ${t.maxFixedFindings}`);
  if (s.shakenDetected < s.plainDetected) out.push(`shaken runs detect fewer cases (${s.shakenDetected}) than plain runs (${s.plainDetected})`);
  return out;
}
