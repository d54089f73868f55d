/**
 * @fileoverview Suppression directives, modelled on staticcheck's `//lint:ignore` and
 * `//lint:file-ignore` (staticcheck.dev/docs/configuration/#ignoring-problems):
 *
 * ```go
 * ctx, _ := context.WithCancel(ctx) //leakscope:ignore lost-cancel cancelled by the pool
 *
 * //leakscope:ignore abandoned-sender,lost-cancel the channel is drained in Close
 * go produce(ch)
 *
 * //leakscope:file-ignore waitgroup-add-in-goroutine generated code
 * ```
 *
 * - Like Go's own `//go:` directives there is no space after `//`; `// leakscope:ignore`
 *   is an ordinary comment, so prose that mentions the syntax never suppresses anything.
 * - A trailing `ignore` applies to its own line; one on a line of its own applies to the
 *   next line that is neither blank nor a comment (so it may sit above a doc comment's
 *   neighbour or be separated by a blank line).
 * - `file-ignore` applies to the whole file wherever it appears.
 * - The reason is mandatory (staticcheck requires it too): a suppression without a
 *   reason is reported under the pseudo rule `suppression` and does not suppress, so the
 *   "why" is always written down next to the code.
 * - Unknown rule ids are reported with the closest known id.
 * - With `reportUnused`, a directive that suppressed nothing is reported as `info`, but
 *   only when every rule it names is enabled (staticcheck's `couldHaveMatched`), so that
 *   turning a rule off in the config does not make all of its directives noisy.
 * - Syntax errors (`syntax`) are never suppressed: a file that does not parse is not
 *   analysed in full, so hiding that would hide missing analysis.
 */
import path from 'node:path';
import type { Finding } from './finding.js';
import { compareFindings, SUPPRESSION_RULE_ID, SYNTAX_RULE_ID } from './finding.js';
import { closestMatch, didYouMean } from './config.js';

/** A source comment as the Go front end reports it. */
export interface SourceComment {
  /** Raw comment text including `//` (or `/* ... *\/`). */
  text: string;
  /** 1-based line of the comment's start. */
  line: number;
  /** 1-based UTF-16 column of the comment's start. */
  column: number;
  /** 1-based line of the comment's end (differs from `line` for block comments). */
  endLine: number;
  /** True when only whitespace precedes the comment on its line. */
  ownLine: boolean;
}

/** A parsed, well-formed suppression directive. */
export interface Directive {
  kind: 'ignore' | 'file-ignore';
  /** Rule ids named by the directive (comma-separated in the source). */
  ruleIds: string[];
  /** The mandatory free-text reason. */
  reason: string;
  file: string;
  /** Position of the directive comment. */
  line: number;
  column: number;
  /** End column (exclusive) of the directive comment; used to underline it in reports. */
  endColumn?: number;
  /** For `ignore`: the line it applies to; undefined for `file-ignore` or when no line follows. */
  appliesToLine?: number;
  /** Set by {@link applySuppressions} when the directive suppressed at least one finding. */
  used: boolean;
  /**
   * For a directive of another linter (see {@link parseForeignDirectives}): its text as
   * written. Such directives are never reported as unused or unknown: they are not ours.
   */
  foreign?: string;
}

/** Comment prefix that marks a directive. */
export const DIRECTIVE_PREFIX = '//leakscope:';
const DIRECTIVE_KINDS = ['ignore', 'file-ignore'] as const;

function problem(file: string, line: number, column: number, endColumn: number, severity: Finding['severity'], message: string): Finding {
  return {
    ruleId: SUPPRESSION_RULE_ID,
    severity,
    message,
    file,
    range: { start: { line, column }, end: { line, column: Math.max(endColumn, column) } },
  };
}

/**
 * Extracts directives from a file's comments.
 *
 * `lines` (the file's text split on `\n`) lets an own-line `ignore` skip blank lines;
 * without it only comment lines are skipped. `lineCount` bounds the search so a directive
 * on the last line gets no target (it can then only be reported as unused).
 *
 * Malformed directives (unknown directive name, missing rule id, missing reason) are
 * returned as `suppression` warnings in `problems` and produce no directive.
 */
export function parseDirectives(
  file: string,
  comments: SourceComment[],
  lineCount?: number,
  lines?: string[],
): { directives: Directive[]; problems: Finding[] } {
  const directives: Directive[] = [];
  const problems: Finding[] = [];

  const commentLines = new Set<number>();
  for (const c of comments) {
    if (!c.ownLine) continue;
    for (let l = c.line; l <= Math.max(c.line, c.endLine); l++) commentLines.add(l);
  }
  const maxLine = lineCount ?? lines?.length ?? Infinity;
  const skippable = (l: number): boolean => {
    if (commentLines.has(l)) return true;
    if (!lines) return false;
    const t = (lines[l - 1] ?? '').trim();
    return t === '' || t.startsWith('//');
  };
  const nextCodeLine = (after: number): number | undefined => {
    let t = after + 1;
    while (t <= maxLine && skippable(t)) t++;
    return t <= maxLine ? t : undefined;
  };

  for (const c of comments) {
    if (!c.text.startsWith(DIRECTIVE_PREFIX)) continue;
    const text = c.text.replace(/\s+$/, '');
    const end = c.column + text.length;
    const body = text.slice(DIRECTIVE_PREFIX.length);
    const m = /^(\S*)\s*(.*)$/s.exec(body);
    const name = m?.[1] ?? '';
    const args = (m?.[2] ?? '').trim();
    if (name !== 'ignore' && name !== 'file-ignore') {
      const s = closestMatch(name, DIRECTIVE_KINDS);
      problems.push(
        problem(file, c.line, c.column, end, 'warning',
          `unknown directive "${DIRECTIVE_PREFIX}${name}"${s ? `; did you mean "${DIRECTIVE_PREFIX}${s}"?` : ''} (known: ${DIRECTIVE_KINDS.map((k) => DIRECTIVE_PREFIX + k).join(', ')})`),
      );
      continue;
    }
    const usage = `${DIRECTIVE_PREFIX}${name} <rule-id>[,<rule-id>...] <reason>`;
    const am = /^(\S+)\s*(.*)$/s.exec(args);
    const ruleIds = (am?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const reason = (am?.[2] ?? '').trim();
    if (ruleIds.length === 0) {
      problems.push(problem(file, c.line, c.column, end, 'warning', `${DIRECTIVE_PREFIX}${name} directive names no rule; write ${usage}`));
      continue;
    }
    if (reason === '') {
      problems.push(
        problem(file, c.line, c.column, end, 'warning',
          `${DIRECTIVE_PREFIX}${name} ${ruleIds.join(',')} is missing a reason; a reason is required so the suppression explains itself: ${usage}`),
      );
      continue;
    }
    const d: Directive = { kind: name, ruleIds, reason, file, line: c.line, column: c.column, endColumn: end, used: false };
    if (name === 'ignore') {
      const target = c.ownLine ? nextCodeLine(Math.max(c.line, c.endLine)) : c.line;
      if (target !== undefined) d.appliesToLine = target;
    }
    directives.push(d);
  }
  return { directives, problems };
}

/**
 * Checks of other linters that report the same problem as a leakscope rule, as
 * `linter:check`. A line the maintainer has already silenced for that check is not
 * reported again: they have read the warning and decided, and a second tool repeating
 * it is the noise that gets linters switched off.
 * - staticcheck SA6002 "Storing non-pointer values in sync.Pool allocates memory",
 *   SA1015 "Using time.Tick in a way that will leak", SA2000 "sync.WaitGroup.Add called
 *   inside the goroutine" (staticcheck.dev/docs/checks);
 * - go vet's lostcancel, copylocks and (Go 1.25) waitgroup analyzers
 *   (golang.org/x/tools/go/analysis/passes).
 */
export const FOREIGN_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = {
  'pool-put-non-pointer': ['staticcheck:SA6002'],
  'ticker-not-stopped': ['staticcheck:SA1015'],
  'waitgroup-add-in-goroutine': ['staticcheck:SA2000', 'govet:waitgroup'],
  'lost-cancel': ['govet:lostcancel'],
  'copied-lock': ['govet:copylocks'],
};

/** Foreign directive prefixes: staticcheck's own syntax (no space after `//`). */
const FOREIGN_PREFIXES = ['//lint:ignore', '//lint:file-ignore'] as const;

/**
 * Sticky: matches at `lastIndex` when a line comment starting there is a golangci-lint
 * `nolint` directive ({@link nolintBody}); `m` so `$` is the end of the comment's line.
 */
export const NOLINT_AT = /\/\/[/ ]*nolint(?: |:|$)/my;

/**
 * golangci-lint's `nolint` directive after its own normalisation
 * (pkg/result/processors/nolint.go): the comment text has every leading `/` and space
 * trimmed (`strings.TrimLeft(text, "/ ")`) and must then match `^nolint( |:|$)`. So
 * `// nolint:staticcheck` is a directive too (nolintlint reports the space as style only).
 */
function nolintBody(text: string): string | undefined {
  NOLINT_AT.lastIndex = 0;
  if (!NOLINT_AT.test(text)) return undefined;
  return text.replace(/^[/ ]+/, '');
}

/** True when a comment may be a foreign directive (cheap pre-filter for the front end). */
export function isForeignDirective(text: string): boolean {
  return FOREIGN_PREFIXES.some((p) => text.startsWith(p)) || nolintBody(text) !== undefined;
}

/**
 * The leakscope rules a foreign directive silences, or undefined when it names none of
 * the equivalent checks.
 * - staticcheck (staticcheck.dev/docs/configuration/#ignoring-problems):
 *   `//lint:ignore SA6002,SA1015 reason` and `//lint:file-ignore SA6002 reason`; check
 *   names may be globs like `SA6*` there, which we match as prefixes.
 * - golangci-lint (golangci-lint.run/docs/linters/false-positives/#nolint-directive):
 *   `//nolint`, `//nolint:all` and `//nolint:staticcheck,govet // reason`. Like
 *   golangci-lint we accept leading spaces (`// nolint:staticcheck`), cut the list at a
 *   following `//` and trim spaces around each name (`nolint:staticcheck, govet`). A bare
 *   `//nolint` (or one followed by a space and prose) silences every linter on the line,
 *   so it silences the rules that repeat a linter's check, and no others.
 */
function foreignRuleIds(text: string): { kind: Directive['kind']; ruleIds: string[] } | undefined {
  const matching = (pred: (linter: string, check: string) => boolean): string[] =>
    Object.entries(FOREIGN_EQUIVALENTS)
      .filter(([, eqs]) => eqs.some((e) => pred(e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1))))
      .map(([id]) => id);
  const sc = /^\/\/lint:(ignore|file-ignore)\s+(\S+)\s+\S/.exec(text);
  if (sc) {
    const checks = sc[2]!.split(',').map((c) => c.trim()).filter((c) => c !== '');
    const ids = matching((linter, check) => linter === 'staticcheck' && checks.some((c) => c === check || (c.endsWith('*') && check.startsWith(c.slice(0, -1)))));
    return ids.length > 0 ? { kind: sc[1] === 'ignore' ? 'ignore' : 'file-ignore', ruleIds: ids } : undefined;
  }
  const nl = nolintBody(text);
  if (nl === undefined) return undefined;
  // golangci-lint: anything but `nolint:` (a bare `nolint`, `nolint reason`) means all linters;
  // otherwise the list runs to a following `//` and each comma-separated name is trimmed.
  const linters = nl.startsWith('nolint:')
    ? (nl.slice('nolint:'.length).split('//')[0] ?? '').split(',').map((l) => l.trim().toLowerCase())
    : ['all'];
  const ids = matching((linter) => linters.includes('all') || linters.includes(linter));
  return ids.length > 0 ? { kind: 'ignore', ruleIds: ids } : undefined;
}

/**
 * Directives of other linters (staticcheck, golangci-lint) that silence a check a
 * leakscope rule repeats ({@link FOREIGN_EQUIVALENTS}). Placement follows ours: at the end
 * of a line it applies to that line, on a line of its own to the next code line.
 * golangci-lint also lets an own-line `//nolint` cover a whole declaration that follows;
 * we only take the next line, so a finding deeper in that declaration is still shown.
 * Directives that name no equivalent check are ignored; none is ever a problem.
 */
export function parseForeignDirectives(file: string, comments: SourceComment[], lineCount?: number, lines?: string[]): Directive[] {
  const out: Directive[] = [];
  const commentLines = new Set<number>();
  for (const c of comments) if (c.ownLine) for (let l = c.line; l <= Math.max(c.line, c.endLine); l++) commentLines.add(l);
  const maxLine = lineCount ?? lines?.length ?? Infinity;
  for (const c of comments) {
    if (!isForeignDirective(c.text)) continue;
    const text = c.text.replace(/\s+$/, '');
    const found = foreignRuleIds(text);
    if (!found) continue;
    const d: Directive = { kind: found.kind, ruleIds: found.ruleIds, reason: text, file, line: c.line, column: c.column, endColumn: c.column + text.length, used: false, foreign: text };
    if (found.kind === 'ignore') {
      let t = c.ownLine ? Math.max(c.line, c.endLine) + 1 : c.line;
      if (c.ownLine) while (t <= maxLine && (commentLines.has(t) || (lines !== undefined && /^\s*(?:\/\/.*)?$/.test(lines[t - 1] ?? '')))) t++;
      if (t <= maxLine) d.appliesToLine = t;
    }
    out.push(d);
  }
  return out;
}

/**
 * Splits `findings` into kept and suppressed ones and reports directive problems:
 * unknown rule ids (always) and, with `reportUnused`, directives that suppressed nothing
 * although all their rules were enabled.
 *
 * A finding is suppressed when a directive in the same file (paths compared after
 * `path.resolve`) lists its rule id and is a `file-ignore` or an `ignore` whose target
 * line equals the finding's start line. `Directive.used` is set on every directive that
 * matched; it is never cleared, so pass fresh directives per run.
 */
export function applySuppressions(
  findings: Finding[],
  directives: Directive[],
  opts: { reportUnused: boolean; knownRuleIds: ReadonlySet<string>; enabledRuleIds: ReadonlySet<string> },
): { kept: Finding[]; suppressed: Finding[]; problems: Finding[] } {
  const byFile = new Map<string, Directive[]>();
  for (const d of directives) {
    const key = path.resolve(d.file);
    const list = byFile.get(key);
    if (list) list.push(d);
    else byFile.set(key, [d]);
  }

  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    if (f.ruleId === SYNTAX_RULE_ID) {
      kept.push(f);
      continue;
    }
    const candidates = byFile.get(path.resolve(f.file)) ?? [];
    let matched = false;
    for (const d of candidates) {
      if (!d.ruleIds.includes(f.ruleId)) continue;
      if (d.kind === 'file-ignore' || d.appliesToLine === f.range.start.line) {
        d.used = true; // mark every matching directive so none of them is reported unused
        matched = true;
      }
    }
    (matched ? suppressed : kept).push(f);
  }

  const problems: Finding[] = [];
  for (const d of directives) {
    if (d.foreign !== undefined) continue;
    const end = d.endColumn ?? d.column;
    const where = `${DIRECTIVE_PREFIX}${d.kind}`;
    let allKnown = true;
    for (const id of d.ruleIds) {
      if (id === SYNTAX_RULE_ID) {
        allKnown = false;
        problems.push(problem(d.file, d.line, d.column, end, 'warning', `syntax errors cannot be suppressed; remove "${id}" from the ${where} directive`));
      } else if (!opts.knownRuleIds.has(id)) {
        allKnown = false;
        problems.push(problem(d.file, d.line, d.column, end, 'warning', `unknown rule id "${id}" in ${where} directive${didYouMean(id, opts.knownRuleIds)}`));
      }
    }
    if (!opts.reportUnused || d.used || !allKnown) continue;
    // staticcheck's couldHaveMatched: only a directive whose rules all ran can be known unused.
    if (!d.ruleIds.every((id) => opts.enabledRuleIds.has(id))) continue;
    const scope = d.kind === 'file-ignore' ? 'in this file' : d.appliesToLine === undefined ? '(no line follows the directive)' : `on line ${d.appliesToLine}`;
    problems.push(problem(d.file, d.line, d.column, end, 'info', `unused ${where} directive: no ${d.ruleIds.join(' or ')} finding ${scope}; remove it`));
  }
  problems.sort(compareFindings);
  return { kept, suppressed, problems };
}
