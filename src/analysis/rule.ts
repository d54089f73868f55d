/**
 * @fileoverview The rule API: a rule is typed metadata plus `run(pass)`, in the shape
 * of golang.org/x/tools/go/analysis (`Analyzer{Name, Doc, Run}`) and typescript-eslint
 * (`createRule({meta, create})`). One rule per folder under `src/rules/<id>/`.
 */
import type { Finding, RelatedLocation, Severity, SuggestedFix, TraceLocation } from './finding.js';
import { docsUrl, type RuleMeta } from './meta.js';
import type { Pass } from './pass.js';
import type { SourceFile } from '../go/source.js';

/** What a rule reports; position comes from a syntax node of the pass's package. */
export interface Report {
  /** The node the finding points at (its range becomes the finding's range). */
  node: { start: number; end: number };
  file: SourceFile;
  message: string;
  fixHint?: string;
  fix?: SuggestedFix;
  related?: RelatedLocation[];
  /** Witness trace (engine rules). */
  trace?: TraceLocation[];
}

/** A rule: metadata, a cheap text trigger, and the analysis. */
export interface Rule {
  meta: RuleMeta;
  /**
   * A function body whose text does not match `triggers` cannot produce a finding of
   * this rule; such bodies are not resolved or analysed for it (`Pass.functions`). This
   * is a performance contract: a rule must list every token its analysis starts from.
   */
  triggers: RegExp;
  run(pass: Pass): void;
}

/** The definition a rule module passes to `createRule`. */
export interface RuleDefinition {
  id: string;
  severity: Severity;
  since: string;
  description: string;
  help: string;
  category: string;
  enabledByDefault?: boolean;
  triggers: RegExp;
  run(pass: Pass): void;
}

/** Builds a Rule, filling in the docs URL and defaults. */
export function createRule(def: RuleDefinition): Rule {
  return {
    meta: {
      id: def.id,
      severity: def.severity,
      since: def.since,
      description: def.description,
      help: def.help,
      docsUrl: docsUrl(def.id),
      enabledByDefault: def.enabledByDefault ?? true,
      category: def.category,
    },
    triggers: def.triggers,
    run: def.run,
  };
}

export type { Finding };

/**
 * `file.go:12` for a site in another file of the package (a file name is a complete,
 * relative reference: a package is one directory), `line 12` for one in `from`'s file.
 * Messages never carry absolute paths.
 */
export function siteRef(file: { path: string; line(offset: number): number }, offset: number, from?: { path: string }): string {
  const line = file.line(offset);
  if (from && from.path === file.path) return `line ${line}`;
  return `${file.path.slice(Math.max(file.path.lastIndexOf('/'), file.path.lastIndexOf('\\')) + 1)}:${line}`;
}
