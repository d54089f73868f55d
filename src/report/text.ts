/**
 * @fileoverview The default human-readable reporter.
 *
 * ```
 * internal/fetch/fetch.go
 *   12:3  error  the cancel function returned by context.WithTimeout is not used on all paths  [lost-cancel]
 *       11 |   ctx := r.Context()
 *     > 12 |   ctx, _ = context.WithTimeout(ctx, time.Second)
 *          |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 *       13 |   return get(ctx)
 *     hint: call the cancel function, e.g. defer cancel()
 *     see internal/fetch/fetch.go:14: the function returns here
 *
 * 1 problem (1 error, 0 warnings, 0 info) in 1 file
 * ```
 *
 * Findings are grouped by file in the order the engine sorted them (`compareFindings`),
 * so the output is deterministic. Colour is applied only when `input.color` is true;
 * otherwise the output is plain ASCII apart from the source text itself.
 */
import pc from 'picocolors';
import type { Finding, Severity } from '../analysis/finding.js';
import { codeFrame } from './codeframe.js';
import { relativePath } from './paths.js';
import { countFindings, plural } from './summary.js';
import type { ReportInput } from './types.js';

const INDENT = '  ';

/** Indents every line of `block` by `prefix`. */
function indent(block: string, prefix: string): string {
  return block
    .split('\n')
    .map((l) => (l === '' ? l : prefix + l))
    .join('\n');
}

/** Formats findings as grouped, human-readable text with code frames. */
export function formatText(input: ReportInput): string {
  const c = pc.createColors(input.color);
  const sev = (s: Severity): string => {
    if (s === 'error') return c.red('error');
    if (s === 'warning') return c.yellow('warning');
    return c.blue('info');
  };

  const groups = new Map<string, Finding[]>();
  for (const f of input.findings) {
    const list = groups.get(f.file);
    if (list) list.push(f);
    else groups.set(f.file, [f]);
  }

  // Cache sources: several findings usually share a file.
  const sources = new Map<string, string | undefined>();
  const source = (file: string): string | undefined => {
    if (!sources.has(file)) {
      let text: string | undefined;
      try {
        text = input.readSource(file);
      } catch {
        text = undefined; // an unreadable file only loses its code frame
      }
      sources.set(file, text);
    }
    return sources.get(file);
  };

  const out: string[] = [];
  for (const [file, findings] of groups) {
    out.push(c.underline(relativePath(input.baseDir, file)));
    for (const f of findings) {
      const pos = `${f.range.start.line}:${f.range.start.column}`;
      out.push(`${INDENT}${c.dim(pos)}  ${sev(f.severity)}  ${f.message}  ${c.dim(`[${f.ruleId}]`)}`);
      const text = source(f.file);
      const frame = text === undefined ? undefined : codeFrame(text, f.range, { color: input.color });
      if (frame !== undefined) out.push(indent(frame, INDENT + INDENT));
      if (f.fixHint) out.push(`${INDENT}${INDENT}${c.cyan('hint:')} ${f.fixHint}`);
      if (f.fix) out.push(`${INDENT}${INDENT}${c.cyan('suggested fix:')} ${f.fix.description}`);
      for (const r of f.related ?? []) {
        out.push(`${INDENT}${INDENT}see ${relativePath(input.baseDir, r.file)}:${r.range.start.line}: ${r.message}`);
      }
      if (f.trace && f.trace.length > 0) {
        // The engine's witness schedule as a numbered story (file named only when it changes).
        out.push(`${INDENT}${INDENT}${c.cyan('trace:')}`);
        let lastFile = f.file;
        f.trace.forEach((t, i) => {
          const where = t.file === lastFile ? `line ${t.range.start.line}` : `${relativePath(input.baseDir, t.file)}:${t.range.start.line}`;
          lastFile = t.file;
          out.push(`${INDENT}${INDENT}${INDENT}${String(i + 1).padStart(2)}. ${c.dim(where)}  ${t.message}`);
        });
      }
    }
    out.push('');
  }

  for (const n of input.notices ?? []) out.push(`${c.cyan('note:')} ${n}`);

  const counts = countFindings(input.findings);
  const total = input.findings.length;
  let summary: string;
  if (total === 0) {
    summary = c.green('No problems found.');
  } else {
    const detail = `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${counts.infos} info`;
    const line = `${plural(total, 'problem')} (${detail}) in ${plural(counts.filesWithFindings, 'file')}`;
    summary = counts.errors > 0 ? c.red(c.bold(line)) : c.yellow(c.bold(line));
  }
  out.push(summary);
  if (input.stats) {
    const { files, packages, durationMs } = input.stats;
    const time = durationMs === undefined ? '' : ` in ${Math.round(durationMs)} ms`;
    out.push(c.dim(`Checked ${plural(files, 'file')} in ${plural(packages, 'package')}${time}.`));
  }
  return out.join('\n') + '\n';
}
