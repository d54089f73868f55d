/**
 * @fileoverview Baseline files: the findings a team has accepted for now, so that only new
 * ones are reported (`leakscope check|test --baseline FILE`, written with
 * `--write-baseline FILE`).
 *
 * The file is JSON meant to be committed and reviewed in a diff: one entry per finding,
 * sorted by file, function, rule and fingerprint, with a fixed key order and no line
 * numbers, so re-writing it after unrelated edits changes nothing:
 *
 * ```json
 * {
 *   "leakscope": "baseline",
 *   "format": 1,
 *   "kind": "check",
 *   "findings": [
 *     {
 *       "rule": "lost-cancel",
 *       "file": "internal/probe/probe.go",
 *       "function": "(*Prober).status",
 *       "code": "ctx, cancel := context.WithTimeout(parent, 2*time.Second)",
 *       "fingerprint": "4f1c0a9e2b7d3c11",
 *       "context": "9a0b1c2d"
 *     }
 *   ]
 * }
 * ```
 *
 * Paths are relative to the baseline file's directory, so the file works from any working
 * directory. `count` appears when several identical findings share one entry. `code` is
 * for the reader; matching uses `fingerprint` and `context` (see `report/fingerprint.ts`):
 * first entries whose fingerprint and context both agree, then the fingerprint alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../analysis/finding.js';
import { fingerprintFindings, type FindingPrint } from '../report/fingerprint.js';

/** The baseline format this version reads and writes. */
export const BASELINE_FORMAT = 1;

/** Which command a baseline belongs to: static findings and test leaks are not interchangeable. */
export type BaselineKind = 'check' | 'test';

/** One accepted finding. */
export interface BaselineEntry {
  rule: string;
  file: string;
  function: string;
  code: string;
  fingerprint: string;
  context: string;
  /** Number of identical findings (omitted when 1). */
  count?: number;
}

/** A parsed baseline file. */
export interface Baseline {
  kind: BaselineKind;
  entries: BaselineEntry[];
}

/** A baseline file that cannot be used; the message names the file. The CLI exits 2. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

const KEYS: ReadonlyArray<keyof BaselineEntry> = ['rule', 'file', 'function', 'code', 'fingerprint', 'context'];

/**
 * Reads and validates a baseline. Throws {@link BaselineError} naming `shown` (the path as
 * the user gave it) when the file is missing, not JSON, not a leakscope baseline, from a
 * newer leakscope, for the other command, or has a malformed entry.
 */
export function readBaseline(file: string, kind: BaselineKind, shown = file): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BaselineError(`${shown}: baseline file not found (create it with --write-baseline ${shown})`);
    if (code === 'EISDIR') throw new BaselineError(`${shown}: is a directory, not a baseline file`);
    throw new BaselineError(`${shown}: cannot read the baseline file (${code ?? (e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${shown}: not a leakscope baseline: the file is not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (doc as Record<string, unknown>).leakscope !== 'baseline') {
    throw new BaselineError(`${shown}: not a leakscope baseline (expected an object with "leakscope": "baseline"; write one with --write-baseline)`);
  }
  const d = doc as Record<string, unknown>;
  if (typeof d.format !== 'number' || !Number.isInteger(d.format) || d.format < 1) {
    throw new BaselineError(`${shown}: corrupt leakscope baseline: "format" must be a positive integer`);
  }
  if (d.format > BASELINE_FORMAT) {
    throw new BaselineError(`${shown}: written by a newer leakscope (baseline format ${d.format}; this version reads format ${BASELINE_FORMAT}): upgrade leakscope`);
  }
  if (d.kind !== 'check' && d.kind !== 'test') throw new BaselineError(`${shown}: corrupt leakscope baseline: "kind" must be "check" or "test"`);
  if (d.kind !== kind) {
    throw new BaselineError(`${shown}: this baseline is for "leakscope ${d.kind}", not "leakscope ${kind}"`);
  }
  if (!Array.isArray(d.findings)) throw new BaselineError(`${shown}: corrupt leakscope baseline: "findings" must be an array`);
  const entries: BaselineEntry[] = d.findings.map((raw: unknown, i: number): BaselineEntry => {
    const where = `${shown}: corrupt leakscope baseline: findings[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BaselineError(`${where} is not an object`);
    const r = raw as Record<string, unknown>;
    for (const k of KEYS) if (typeof r[k] !== 'string') throw new BaselineError(`${where}: "${k}" must be a string`);
    if (!/^[0-9a-f]{16}$/.test(r.fingerprint as string)) throw new BaselineError(`${where}: "fingerprint" must be 16 hex digits`);
    if (!/^[0-9a-f]{8}$/.test(r.context as string)) throw new BaselineError(`${where}: "context" must be 8 hex digits`);
    if (r.count !== undefined && (typeof r.count !== 'number' || !Number.isInteger(r.count) || r.count < 1)) {
      throw new BaselineError(`${where}: "count" must be a positive integer`);
    }
    const e: BaselineEntry = {
      rule: r.rule as string,
      file: r.file as string,
      function: r.function as string,
      code: r.code as string,
      fingerprint: r.fingerprint as string,
      context: r.context as string,
    };
    if (typeof r.count === 'number' && r.count > 1) e.count = r.count;
    return e;
  });
  return { kind, entries };
}

function entryOf(f: Finding, p: FindingPrint): BaselineEntry {
  return { rule: f.ruleId, file: p.path, function: p.function, code: p.code, fingerprint: p.fingerprint, context: p.context };
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  for (const k of ['file', 'function', 'rule', 'fingerprint', 'context', 'code'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

/** Builds a baseline from findings and their prints (same order), merging identical entries. */
export function buildBaseline(kind: BaselineKind, findings: readonly Finding[], prints: readonly FindingPrint[]): Baseline {
  const byKey = new Map<string, BaselineEntry>();
  findings.forEach((f, i) => {
    const e = entryOf(f, prints[i] as FindingPrint);
    const key = `${e.fingerprint}\0${e.context}`;
    const have = byKey.get(key);
    if (have) have.count = (have.count ?? 1) + 1;
    else byKey.set(key, e);
  });
  return { kind, entries: [...byKey.values()].sort(compareEntries) };
}

/** The file text: fixed key order, sorted entries, two-space indent, trailing newline. */
export function serializeBaseline(b: Baseline): string {
  const findings = [...b.entries].sort(compareEntries).map((e) => {
    const o: Record<string, unknown> = {};
    for (const k of KEYS) o[k] = e[k];
    if (e.count !== undefined && e.count > 1) o.count = e.count;
    return o;
  });
  return JSON.stringify({ leakscope: 'baseline', format: BASELINE_FORMAT, kind: b.kind, findings }, null, 2) + '\n';
}

/** Writes a baseline atomically (temporary file and rename); errors name `shown`. */
export function writeBaseline(file: string, b: Baseline, shown = file): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, serializeBaseline(b));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new BaselineError(`${shown}: cannot write the baseline file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The outcome of comparing findings with a baseline. */
export interface BaselineMatch {
  /** Findings not in the baseline (in their original order). */
  fresh: Finding[];
  /** Indices (into the findings given) of the findings the baseline accounts for. */
  matchedIndices: number[];
  /** Baseline entries no finding matched any more (fixed, or their code changed), `count` = how many. */
  gone: BaselineEntry[];
}

/**
 * Splits findings into new ones and ones the baseline accepts. Entries are a multiset:
 * an entry with `count: 2` accepts two identical findings. Findings whose fingerprint and
 * context agree with an entry are matched first, then findings whose fingerprint alone
 * does, so an edit next to an accepted finding does not make it new.
 */
export function matchBaseline(findings: readonly Finding[], prints: readonly FindingPrint[], baseline: Baseline): BaselineMatch {
  const left = baseline.entries.map((e) => ({ e, n: e.count ?? 1 }));
  const exact = new Map<string, typeof left>();
  const loose = new Map<string, typeof left>();
  for (const x of left) {
    const k1 = `${x.e.rule}\0${x.e.fingerprint}\0${x.e.context}`;
    const k2 = `${x.e.rule}\0${x.e.fingerprint}`;
    exact.set(k1, [...(exact.get(k1) ?? []), x]);
    loose.set(k2, [...(loose.get(k2) ?? []), x]);
  }
  const take = (list: typeof left | undefined): boolean => {
    const x = list?.find((y) => y.n > 0);
    if (!x) return false;
    x.n--;
    return true;
  };
  const matched = new Array<boolean>(findings.length).fill(false);
  findings.forEach((f, i) => {
    const p = prints[i] as FindingPrint;
    matched[i] = take(exact.get(`${f.ruleId}\0${p.fingerprint}\0${p.context}`));
  });
  findings.forEach((f, i) => {
    if (matched[i]) return;
    const p = prints[i] as FindingPrint;
    matched[i] = take(loose.get(`${f.ruleId}\0${p.fingerprint}`));
  });
  const gone: BaselineEntry[] = [];
  for (const x of left) {
    if (x.n <= 0) continue;
    const e: BaselineEntry = { ...x.e };
    delete e.count;
    if (x.n > 1) e.count = x.n;
    gone.push(e);
  }
  return {
    fresh: findings.filter((_, i) => !matched[i]),
    matchedIndices: matched.flatMap((m, i) => (m ? [i] : [])),
    gone: gone.sort(compareEntries),
  };
}

/** Prints of `findings` with paths relative to the baseline file's directory. */
export function baselinePrints(file: string, findings: readonly Finding[], readSource: (f: string) => string | undefined): FindingPrint[] {
  return fingerprintFindings(findings, path.dirname(path.resolve(file)), readSource);
}

/** One line describing a gone entry, for notices. */
export function describeEntry(e: BaselineEntry): string {
  const where = e.function ? `${e.file} in ${e.function}` : e.file;
  return `${e.rule} at ${where}${e.code ? `: ${e.code}` : ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`;
}
