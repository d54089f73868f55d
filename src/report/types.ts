/**
 * @fileoverview Input shared by every reporter. Kept in its own module so the format
 * modules and the dispatcher in `index.ts` do not import each other.
 */
import type { Finding } from '../analysis/finding.js';
import type { RuleMeta } from '../analysis/meta.js';

/** The output formats `leakscope check --format` accepts. */
export type OutputFormat = 'text' | 'json' | 'sarif' | 'github' | 'gitlab';

/** Every supported format, in the order the CLI help lists them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github', 'gitlab'];

/** Counts describing what was analysed (not what was found). */
export interface ReportStats {
  files: number;
  packages: number;
  durationMs?: number;
}

/** Everything a reporter needs; reporters never touch the file system themselves. */
export interface ReportInput {
  /** Already filtered and sorted by the engine (see `compareFindings`). */
  findings: Finding[];
  /** All rules known to the tool; SARIF lists them in `tool.driver.rules`. */
  rules: RuleMeta[];
  /** Absolute; file paths in output are made relative to it (forward slashes). */
  baseDir: string;
  /** File text for code frames and fingerprints (undefined if unreadable). */
  readSource: (file: string) => string | undefined;
  /** ANSI colour; the CLI decides from TTY / NO_COLOR / FORCE_COLOR. */
  color: boolean;
  toolVersion: string;
  /** Informational messages such as "no Go files found under ./x". */
  notices?: string[];
  stats?: ReportStats;
}
