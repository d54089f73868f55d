/**
 * @fileoverview The options that let a team adopt leakscope in an existing codebase,
 * shared by `leakscope check` and `leakscope test`: `--baseline`, `--write-baseline`, and
 * (for check) `--new-from-rev` / `--new-from-merge-base`.
 *
 * Everything that can fail on bad input (an unreadable or foreign baseline, a revision git
 * does not know) is checked in {@link prepareAdoption}, before the analysis runs, so the
 * user does not wait for a run that ends in a usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Finding } from '../analysis/finding.js';
import {
  BaselineError,
  baselinePrints,
  buildBaseline,
  describeEntry,
  matchBaseline,
  readBaseline,
  writeBaseline,
  type Baseline,
  type BaselineKind,
} from '../baseline/baseline.js';
import { changedLinesSince, filterToChanged, GitDiffError, type ChangedLines } from '../baseline/gitdiff.js';
import { UsageError } from '../go/loader.js';
import type { CliIO } from './main.js';

/** The adoption options as commander parses them. */
export interface AdoptOptions {
  baseline?: string;
  writeBaseline?: string;
  newFromRev?: string;
  newFromMergeBase?: string;
}

/** Adds `--baseline` and `--write-baseline`, and for `check` the `--new-from-*` options. */
export function addAdoptionOptions(cmd: Command, kind: BaselineKind): Command {
  cmd
    .option('--baseline <file>', 'report only findings not recorded in this baseline file, and list recorded ones that are gone')
    .option('--write-baseline <file>', 'record the current findings in a baseline file (with --baseline: keep only entries still found)');
  if (kind === 'check') {
    cmd
      .option('--new-from-rev <rev>', 'report only findings on lines changed since this git revision (git diff, including uncommitted changes)')
      .option('--new-from-merge-base <branch>', 'report only findings on lines changed since the merge base of this branch and HEAD');
  }
  return cmd;
}

/** Validated adoption state, ready to filter findings. */
export interface Adoption {
  kind: BaselineKind;
  baseline?: { file: string; shown: string; data: Baseline };
  write?: { file: string; shown: string };
  changed?: { rev: string; shown: string; lines: ChangedLines };
}

/** Converts baseline and git problems into usage errors (exit 2) carrying their message. */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BaselineError || e instanceof GitDiffError) throw new UsageError(e.message);
    throw e;
  }
}

/** Checks the options and loads the baseline and the git diff (throws UsageError, exit 2). */
export function prepareAdoption(opts: AdoptOptions, io: CliIO, kind: BaselineKind): Adoption {
  const a: Adoption = { kind };
  if (opts.newFromRev !== undefined && opts.newFromMergeBase !== undefined) throw new UsageError('use either --new-from-rev or --new-from-merge-base, not both');
  if (opts.writeBaseline !== undefined && (opts.newFromRev !== undefined || opts.newFromMergeBase !== undefined)) {
    throw new UsageError('--write-baseline records every finding; it cannot be combined with --new-from-rev or --new-from-merge-base');
  }
  if (opts.baseline !== undefined) {
    const file = path.resolve(io.cwd, opts.baseline);
    a.baseline = { file, shown: opts.baseline, data: asUsage(() => readBaseline(file, kind, opts.baseline)) };
  }
  if (opts.writeBaseline !== undefined) {
    const file = path.resolve(io.cwd, opts.writeBaseline);
    // Checked now, not after a long analysis.
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`${opts.writeBaseline}: is a directory, not a baseline file`);
    const dir = path.dirname(file);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${opts.writeBaseline}: cannot write the baseline file: directory ${path.dirname(opts.writeBaseline)} does not exist`);
    a.write = { file, shown: opts.writeBaseline };
  }
  if (opts.newFromRev !== undefined || opts.newFromMergeBase !== undefined) {
    const r = asUsage(() => changedLinesSince(io.cwd, { rev: opts.newFromRev, mergeBase: opts.newFromMergeBase }));
    a.changed = { rev: r.rev, shown: (opts.newFromRev ?? opts.newFromMergeBase) as string, lines: r.changed };
  }
  return a;
}

/** What {@link applyAdoption} did, for the report. */
export interface AdoptionResult {
  /** Findings to report. */
  findings: Finding[];
  /** Indices (into the input) of the findings kept, in order. */
  keptIndices: number[];
  notices: string[];
  /** Set when a baseline file was written: the report is replaced by this summary. */
  wrote?: string;
}

/** Applies the baseline, the changed-lines filter and writes the baseline, in that order. */
export function applyAdoption(a: Adoption, findings: Finding[], readSource: (f: string) => string | undefined, io: CliIO): AdoptionResult {
  const notices: string[] = [];
  let kept = findings.map((_, i) => i);
  if (a.baseline) {
    const prints = baselinePrints(a.baseline.file, findings, readSource);
    const m = matchBaseline(findings, prints, a.baseline.data);
    const matched = new Set(m.matchedIndices);
    kept = kept.filter((i) => !matched.has(i));
    const accepted = m.matchedIndices.length;
    notices.push(`${a.baseline.shown}: ${accepted} known finding${accepted === 1 ? '' : 's'} not reported, ${kept.length} new`);
    if (m.gone.length > 0) {
      const n = m.gone.reduce((s, e) => s + (e.count ?? 1), 0);
      notices.push(
        `${a.baseline.shown}: ${n} baseline entr${n === 1 ? 'y is' : 'ies are'} no longer found (fixed or changed); run with --baseline ${a.baseline.shown} --write-baseline ${a.baseline.shown} to drop ${n === 1 ? 'it' : 'them'}:`,
      );
      for (const e of m.gone) notices.push(`  gone: ${describeEntry(e)}`);
    }
    if (a.write) {
      // Pruning: keep what is still found and accepted; never add new findings silently.
      const keep = m.matchedIndices;
      const data = buildBaseline(a.kind, keep.map((i) => findings[i] as Finding), keep.map((i) => prints[i]!));
      asUsage(() => writeBaseline(a.write!.file, data, a.write!.shown));
      notices.push(`${a.write.shown}: wrote ${data.entries.length} entr${data.entries.length === 1 ? 'y' : 'ies'} (${m.gone.length} gone removed; new findings are not added)`);
    }
  } else if (a.write) {
    const prints = baselinePrints(a.write.file, findings, readSource);
    const data = buildBaseline(a.kind, findings, prints);
    asUsage(() => writeBaseline(a.write!.file, data, a.write!.shown));
    const rules = new Set(findings.map((f) => f.ruleId)).size;
    return {
      findings: [],
      keptIndices: [],
      notices,
      wrote: `leakscope: wrote ${a.write.shown}: ${findings.length} finding${findings.length === 1 ? '' : 's'} of ${rules} rule${rules === 1 ? '' : 's'} recorded; check with --baseline ${a.write.shown}\n`,
    };
  }
  if (a.changed) {
    const before = kept.length;
    const subset = filterToChanged(kept.map((i) => findings[i] as Finding), a.changed.lines, io.cwd);
    const keepSet = new Set(subset);
    kept = kept.filter((i) => keepSet.has(findings[i] as Finding));
    notices.push(`only findings on lines changed since ${a.changed.shown} (${a.changed.rev.slice(0, 12)}): ${kept.length} of ${before}`);
  }
  return { findings: kept.map((i) => findings[i] as Finding), keptIndices: kept, notices };
}
