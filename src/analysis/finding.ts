/**
 * @fileoverview The finding model shared by the analyser, the reporters and the CLI.
 *
 * Positions are 1-based lines and 1-based columns counted in UTF-16 code units of
 * the source line, which is what editors, SARIF (`region.startColumn`) and GitHub
 * annotations expect.
 */

/** Severity levels, ordered from least to most severe. */
export type Severity = 'info' | 'warning' | 'error';

/** All severities, least severe first; the index is the rank. */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** Returns a number that orders severities (`info` < `warning` < `error`). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** A 1-based source position. */
export interface Position {
  line: number;
  column: number;
}

/** A source range inside one file. */
export interface Range {
  start: Position;
  end: Position;
}

/** One replacement in a suggested fix. `range` is replaced by `newText` (empty range = insert). */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A suggested fix: a description and the edits that apply it, all in the finding's file. */
export interface SuggestedFix {
  description: string;
  edits: TextEdit[];
}

/** A secondary location that explains a finding (e.g. the return that keeps a lock). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
  /**
   * Another blocking operation of the goroutine the finding reports (a goroutine is reported
   * once): the finding explains this line too, so the blocking-state search does not re-report it.
   */
  sameGoroutine?: boolean;
}

/**
 * One step of a witness trace (the blocking-state search): where a goroutine was and what
 * it did. Reported as SARIF `codeFlows[].threadFlows[]` (one thread flow per goroutine).
 */
export interface TraceLocation {
  file: string;
  range: Range;
  message: string;
  /** Goroutine number in the trace (0 = the entry point's own goroutine). */
  goroutine: number;
  /** The goroutine's name (`main`, `the goroutine started at line 12`). */
  name: string;
}

/**
 * One diagnostic. `file` is the path as given to the analyser (absolute or relative to
 * the working directory); reporters make it relative to a base directory.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** Human-readable advice on how to fix it, when there is no safe automatic edit. */
  fixHint?: string;
  fix?: SuggestedFix;
  related?: RelatedLocation[];
  /** The schedule that leads to the bug, step by step (engine rules only). */
  trace?: TraceLocation[];
}

/**
 * Diagnostics that are not rule findings: syntax errors, unreadable files and the like.
 * They are reported with the pseudo rule id `syntax` or `input`.
 */
export const SYNTAX_RULE_ID = 'syntax';
export const INPUT_RULE_ID = 'input';
export const SUPPRESSION_RULE_ID = 'suppression';

/** Sorts findings by file, line, column, rule id (stable order for every reporter). */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.column !== b.range.start.column) return a.range.start.column - b.range.start.column;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
