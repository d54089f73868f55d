/**
 * @fileoverview The machine-readable JSON reporter (`--format json`).
 *
 * The shape is a stable contract (additive changes only; a breaking change bumps the
 * major version of leakscope):
 *
 * ```jsonc
 * {
 *   "version": "0.1.0",                 // leakscope version that produced the report
 *   "findings": [
 *     {
 *       "ruleId": "lost-cancel",
 *       "severity": "error",            // "error" | "warning" | "info"
 *       "message": "…",
 *       "file": "pkg/a.go",             // relative to the base directory, forward slashes
 *       "line": 12, "column": 3,        // 1-based; columns in UTF-16 code units
 *       "endLine": 12, "endColumn": 40, // exclusive end
 *       "fixHint": "…",                 // optional
 *       "fix": {                        // optional: a safe text edit
 *         "description": "…",
 *         "edits": [{ "line": 1, "column": 1, "endLine": 1, "endColumn": 1, "newText": "…" }]
 *       },
 *       "related": [                    // optional
 *         { "file": "pkg/a.go", "line": 14, "column": 2, "endLine": 14, "endColumn": 8, "message": "…" }
 *       ],
 *       "trace": [                      // optional: the engine's witness schedule, in order
 *         { "goroutine": 1, "name": "the goroutine started at line 9", "file": "pkg/a.go",
 *           "line": 10, "column": 3, "endLine": 10, "endColumn": 9, "message": "…" }
 *       ]
 *     }
 *   ],
 *   "summary": { "errors": 1, "warnings": 0, "infos": 0, "files": 10, "packages": 2 },
 *   "notices": ["no Go files found under ./x"]
 * }
 * ```
 *
 * `summary.files` / `summary.packages` (files and packages analysed) are present only
 * when the caller supplied `stats`. Optional finding fields are omitted, never `null`.
 * Fix edits use the finding's file.
 */
import type { Finding, Range } from '../analysis/finding.js';
import { relativePath } from './paths.js';
import { countFindings } from './summary.js';
import type { ReportInput } from './types.js';

/** A range flattened into the JSON report's four position fields. */
export interface JsonRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One edit of a suggested fix in the JSON report. */
export interface JsonEdit extends JsonRange {
  newText: string;
}

/** One related location in the JSON report. */
export interface JsonRelated extends JsonRange {
  file: string;
  message: string;
}

/** One step of a witness trace in the JSON report. */
export interface JsonTraceStep extends JsonRange {
  goroutine: number;
  name: string;
  file: string;
  message: string;
}

/** One finding in the JSON report. */
export interface JsonFinding extends JsonRange {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  file: string;
  fixHint?: string;
  fix?: { description: string; edits: JsonEdit[] };
  related?: JsonRelated[];
  trace?: JsonTraceStep[];
}

/** The whole JSON report (see the file overview for the documented shape). */
export interface JsonReport {
  version: string;
  findings: JsonFinding[];
  summary: { errors: number; warnings: number; infos: number; files?: number; packages?: number };
  notices: string[];
}

function flat(r: Range): JsonRange {
  return { line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column };
}

/** Builds the JSON report object (exported for tests and library users). */
export function buildJsonReport(input: ReportInput): JsonReport {
  const findings = input.findings.map((f): JsonFinding => {
    const out: JsonFinding = {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: relativePath(input.baseDir, f.file),
      ...flat(f.range),
    };
    if (f.fixHint !== undefined) out.fixHint = f.fixHint;
    if (f.fix) {
      out.fix = {
        description: f.fix.description,
        edits: f.fix.edits.map((e) => ({ ...flat(e.range), newText: e.newText })),
      };
    }
    if (f.related && f.related.length > 0) {
      out.related = f.related.map((r) => ({
        file: relativePath(input.baseDir, r.file),
        ...flat(r.range),
        message: r.message,
      }));
    }
    if (f.trace && f.trace.length > 0) {
      out.trace = f.trace.map((t) => ({ goroutine: t.goroutine, name: t.name, file: relativePath(input.baseDir, t.file), ...flat(t.range), message: t.message }));
    }
    return out;
  });
  const counts = countFindings(input.findings);
  const summary: JsonReport['summary'] = { errors: counts.errors, warnings: counts.warnings, infos: counts.infos };
  if (input.stats) {
    summary.files = input.stats.files;
    summary.packages = input.stats.packages;
  }
  return { version: input.toolVersion, findings, summary, notices: [...(input.notices ?? [])] };
}

/** Formats the JSON report, pretty-printed with a trailing newline. */
export function formatJson(input: ReportInput): string {
  return JSON.stringify(buildJsonReport(input), null, 2) + '\n';
}
