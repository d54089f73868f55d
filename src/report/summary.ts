/**
 * @fileoverview Counting helpers shared by the text and JSON reporters, so both always
 * agree on the numbers.
 */
import type { Finding } from '../analysis/finding.js';

/** Finding counts per severity plus the number of distinct files with findings. */
export interface FindingCounts {
  errors: number;
  warnings: number;
  infos: number;
  /** Distinct `finding.file` values. */
  filesWithFindings: number;
}

/** Counts findings by severity and distinct file. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  const files = new Set<string>();
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
    files.add(f.file);
  }
  return { errors, warnings, infos, filesWithFindings: files.size };
}

/** `1 error`, `2 errors`; used for English summary lines. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
