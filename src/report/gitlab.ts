/**
 * @fileoverview GitLab Code Quality reporter (`--format gitlab`), for a CI job's
 * `artifacts:reports:codequality`.
 *
 * The format is GitLab's subset of the Code Climate engine specification ("Code Quality
 * report format" in GitLab's CI documentation; Code Climate `spec/analyzers/SPEC.md`): a
 * JSON array of issues, each with `description`, `check_name`, `fingerprint`, `severity`
 * (`info`, `minor`, `major`, `critical` or `blocker`) and `location.path` +
 * `location.lines.begin`. GitLab compares fingerprints between the merge request's base
 * and head to show which issues are new and which are resolved, so the fingerprint is the
 * same line-free identity SARIF and baselines use (`fingerprint.ts`), with an occurrence
 * counter that keeps it unique in the report. Paths are relative to the base directory
 * (the CLI's working directory: run it from the repository root).
 */
import type { Severity } from '../analysis/finding.js';
import { relativePath } from './paths.js';
import { computeFingerprints } from './sarif.js';
import type { ReportInput } from './types.js';

/** One Code Quality issue. */
export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: string[];
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  fingerprint: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/** GitLab severity for a leakscope severity. */
export function codeQualitySeverity(s: Severity): CodeQualityIssue['severity'] {
  return s === 'error' ? 'critical' : s === 'warning' ? 'major' : 'info';
}

/** Builds the Code Quality issues (exported for tests and library users). */
export function buildCodeQuality(input: ReportInput): CodeQualityIssue[] {
  const fps = computeFingerprints(input);
  return input.findings.map((f, i) => ({
    type: 'issue',
    check_name: `leakscope/${f.ruleId}`,
    description: f.fixHint ? `${f.message} (hint: ${f.fixHint})` : f.message,
    // Code Climate categories: every leak or deadlock is a "Bug Risk".
    categories: ['Bug Risk'],
    severity: codeQualitySeverity(f.severity),
    fingerprint: fps[i] ?? '',
    location: { path: relativePath(input.baseDir, f.file), lines: { begin: f.range.start.line, end: Math.max(f.range.start.line, f.range.end.line) } },
  }));
}

/** Formats the Code Quality report, pretty-printed with a trailing newline. */
export function formatGitlab(input: ReportInput): string {
  return JSON.stringify(buildCodeQuality(input), null, 2) + '\n';
}
