/**
 * @fileoverview GitHub Actions workflow-command reporter (`--format github`).
 *
 * Each finding becomes one annotation line
 * `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=leakscope (rule-id)::message`
 * (`::warning` / `::notice` for the other severities), as documented in "Workflow
 * commands for GitHub Actions" (docs.github.com/actions/reference/workflow-commands-for-github-actions,
 * sections "Setting an error/warning/notice message"). Paths are relative to the base
 * directory, which the CLI sets to the checkout root so annotations land on the diff.
 *
 * Escaping follows the reference implementation in `@actions/core` (`command.ts`:
 * `escapeData` / `escapeProperty`): in the message `%`, `\r`, `\n` are percent-encoded;
 * in property values additionally `:` and `,`, which would otherwise end the value.
 */
import type { Finding, Severity } from '../analysis/finding.js';
import { relativePath } from './paths.js';
import type { ReportInput } from './types.js';

/** Escapes a workflow-command message (`%` first so the other escapes survive). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The workflow command for a severity: GitHub has error, warning and notice. */
export function githubCommand(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'notice';
}

/** Formats one finding as a workflow command line. */
export function formatGithubAnnotation(f: Finding, baseDir: string): string {
  const props: [string, string | number][] = [
    ['file', relativePath(baseDir, f.file)],
    ['line', f.range.start.line],
    ['col', f.range.start.column],
    ['endLine', f.range.end.line],
    ['endColumn', f.range.end.column],
    ['title', `leakscope (${f.ruleId})`],
  ];
  const propText = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  let message = f.message;
  if (f.fixHint) message += `\nHint: ${f.fixHint}`;
  if (f.fix) message += `\nSuggested fix: ${f.fix.description}`;
  return `::${githubCommand(f.severity)} ${propText}::${escapeData(message)}`;
}

/** Formats all findings (and notices, as `::notice` without a location) as workflow commands. */
export function formatGithub(input: ReportInput): string {
  const lines = input.findings.map((f) => formatGithubAnnotation(f, input.baseDir));
  for (const n of input.notices ?? []) lines.push(`::notice title=leakscope::${escapeData(n)}`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
