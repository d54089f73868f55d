/**
 * @fileoverview Reporter entry point: one function that turns findings into the text the
 * CLI prints for `--format text|json|sarif|github|gitlab`.
 */
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import { OUTPUT_FORMATS, type OutputFormat, type ReportInput } from './types.js';

export type { OutputFormat, ReportInput, ReportStats } from './types.js';
export { OUTPUT_FORMATS } from './types.js';
export { codeFrame } from './codeframe.js';
export type { CodeFrameOptions } from './codeframe.js';
export { buildJsonReport } from './json.js';
export type { JsonReport, JsonFinding } from './json.js';
export { buildSarif } from './sarif.js';
export { buildCodeQuality } from './gitlab.js';
export type { CodeQualityIssue } from './gitlab.js';

/** True when `s` names a supported output format (for CLI option validation). */
export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Formats `input` in `format`. The result ends with a newline unless it is empty. */
export function formatReport(format: OutputFormat, input: ReportInput): string {
  switch (format) {
    case 'text':
      return formatText(input);
    case 'json':
      return formatJson(input);
    case 'sarif':
      return formatSarif(input);
    case 'github':
      return formatGithub(input);
    case 'gitlab':
      return formatGitlab(input);
    default: {
      const never: never = format;
      throw new Error(`unknown output format: ${String(never)}`);
    }
  }
}
