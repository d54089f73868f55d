/**
 * @fileoverview Rule metadata, kept apart from the rule API so reporters (SARIF needs
 * each rule's help) depend on data only, not on the analyser.
 */
import type { Severity } from './finding.js';

/** Where the rule docs live; `docsUrl(id)` appends the rule's README path. */
export const DOCS_BASE = 'https://github.com/leakscope/leakscope/blob/main/src/rules';

/** The README URL of rule `id`. */
export function docsUrl(id: string): string {
  return `${DOCS_BASE}/${id}/README.md`;
}

/** Static description of a rule (what `leakscope rules` and SARIF `tool.driver.rules` show). */
export interface RuleMeta {
  /** kebab-case id; equals the rule's folder name under `src/rules/`. */
  id: string;
  /** Default severity (a config file may change it). */
  severity: Severity;
  /** The leakscope version that introduced the rule. */
  since: string;
  /** One sentence: what the rule reports. */
  description: string;
  /** A paragraph: why it matters and how to fix it (SARIF `help.text`). */
  help: string;
  /** Link to the rule's README. */
  docsUrl: string;
  /** False for opt-in rules. */
  enabledByDefault: boolean;
  /** Category used by the accuracy corpus and SARIF tags (e.g. `goroutine-leak`, `deadlock`). */
  category: string;
}
