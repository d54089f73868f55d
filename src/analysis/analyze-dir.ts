/**
 * @fileoverview Analyses one directory (all packages in it) with the enabled rules.
 * Pure with respect to its inputs: it runs on the main thread for small jobs and in
 * worker threads otherwise, and returns plain data.
 */
import fs from 'node:fs';
import type { DirSpec } from '../go/loader.js';
import { basename } from 'node:path';
import { isGenerated, matchFile, type BuildContext } from '../go/build.js';
import { Package, world } from '../go/package.js';
import { SourceFile, decodeGoSource } from '../go/source.js';
import { ALL_RULES } from '../rules/index.js';
import { compareFindings, INPUT_RULE_ID, SYNTAX_RULE_ID, type Finding, type Severity } from './finding.js';
import { PackageFacts, Pass } from './pass.js';
import { ENGINE_RULE_IDS } from './search/index.js';
import type { Rule } from './rule.js';
import { applySuppressions, NOLINT_AT, parseDirectives, parseForeignDirectives, type Directive } from './suppress.js';

/** Serializable options for one analysis run. */
export interface DirOptions {
  /** Enabled rule ids with their effective severity. */
  rules: Array<{ id: string; severity: Severity }>;
  reportUnusedIgnores: boolean;
  /** The build configuration files are selected for (tags as a list, to cross to workers). */
  build: Omit<BuildContext, 'tags'> & { tags: string[] };
  /** Report findings in generated files (`// Code generated ... DO NOT EDIT.`); default false. */
  includeGenerated?: boolean;
  /** The engine yields to disabled older rules too (default true; see AnalyzeOptions). */
  yieldToDisabled?: boolean;
}

/** Result of analysing one directory. */
export interface DirResult {
  findings: Finding[];
  files: number;
  lines: number;
  bytes: number;
  parsedFiles: number;
  packages: number;
  /** Milliseconds spent reading, decoding and parsing files (for the benchmark's parse/analysis split). */
  parseMs: number;
  /** Milliseconds spent in the rules and suppression (the rest of the directory's time). */
  analysisMs: number;
}

/**
 * Reads, groups and analyses the Go files of one directory.
 * Never throws for bad input: unreadable and empty files become `input` findings, NUL
 * bytes and invalid UTF-8 syntax errors at their line (as go/parser reports them).
 * `readFile` supplies file contents (the editor server passes the unsaved text of open files).
 */
export function analyzeDir(spec: DirSpec, opts: DirOptions, readFile: (path: string) => Uint8Array = fs.readFileSync): DirResult {
  const rules: Array<{ rule: Rule; severity: Severity }> = [];
  for (const r of opts.rules) {
    const rule = ALL_RULES.find((x) => x.meta.id === r.id);
    if (rule) rules.push({ rule, severity: r.severity });
  }
  const result: DirResult = { findings: [], files: 0, lines: 0, bytes: 0, parsedFiles: 0, packages: 0, parseMs: 0, analysisMs: 0 };
  const t0 = performance.now();
  const byPkg = new Map<string, SourceFile[]>();
  const modMinor = Number(/^1\.(\d+)/.exec(spec.module?.goVersion ?? '')?.[1] ?? 0);
  const build: BuildContext = { ...opts.build, tags: new Set(opts.build.tags), releaseMinor: Math.max(opts.build.releaseMinor, modMinor) };
  // Findings in generated files are dropped (the files are still analysed: other files use
  // their declarations); syntax and input problems are kept.
  const generated = new Set<string>();

  for (const path of spec.files) {
    let bytes: Uint8Array;
    try {
      bytes = readFile(path);
    } catch (e) {
      result.findings.push(inputProblem(path, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
      continue;
    }
    result.files++;
    result.bytes += bytes.length;
    const dec = decodeGoSource(path, bytes);
    if ('problem' in dec) {
      result.findings.push(dec.problem);
      continue;
    }
    const text = dec.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) result.lines++;
    if (!matchFile(basename(path), text, build)) continue;
    if (!opts.includeGenerated && isGenerated(text)) generated.add(path);
    // Every file is parsed in full, bodies included: syntax errors are reported wherever
    // they are, and the analysis sees the whole package.
    const sf = new SourceFile(path, text, { invalid: dec.invalid });
    result.parsedFiles++;
    result.findings.push(...sf.syntaxErrors);
    // A file without a package clause belongs to no package (its syntax error says why).
    if (!sf.packageName) continue;
    let list = byPkg.get(sf.packageName);
    if (!list) byPkg.set(sf.packageName, (list = []));
    list.push(sf);
  }

  const t1 = performance.now();
  result.parseMs = t1 - t0;
  const allowedIds = new Set(opts.rules.map((r) => r.id));
  for (const [name, files] of byPkg) {
    // Each package's trees become garbage once its rules have run (a directory's `_test`
    // package is analysed after the package it tests).
    byPkg.delete(name);
    result.packages++;
    const directives: Directive[] = [];
    for (const sf of files) {
      // Other linters' directives for the checks some rules repeat (staticcheck, golangci-lint).
      const { ours, theirs } = directiveKinds(sf);
      if (!ours && !theirs) continue;
      const lines = sf.text.split('\n');
      if (ours) {
        const { directives: ds, problems } = parseDirectives(sf.path, sf.commentsStartingWith('//leakscope:'), lines.length, lines);
        directives.push(...ds);
        result.findings.push(...problems);
      }
      if (theirs) {
        const comments = [...sf.commentsStartingWith(NOLINT_AT), ...sf.commentsStartingWith('//lint:')];
        directives.push(...parseForeignDirectives(sf.path, comments, lines.length, lines));
      }
    }
    // An external test package (`package x_test`) is a package of its own, whose import path
    // go list reports as `<path>_test`; it imports the package under test, which the world
    // then loads for its declarations like any other package of the module.
    const importPath = name.endsWith('_test') ? `${spec.importPath}_test` : spec.importPath;
    const w = world();
    w.setBuild(build);
    const pkg = new Package({ importPath, dir: spec.dir, files, module: spec.module, world: w });
    const facts = new PackageFacts(pkg);
    const found: Finding[] = [];
    for (const { rule, severity } of rules) {
      try {
        rule.run(new Pass(pkg, rule, facts, severity, (f) => found.push(f)));
      } catch (e) {
        // A rule bug must not take down the run: report it as an input problem on the package.
        found.push(inputProblem(files[0]?.path ?? spec.dir, `internal error in rule ${rule.meta.id}: ${(e as Error).message}; please report it`));
      }
    }
    // The older rules the user disabled still explain the lines they would report: the
    // engine does not re-report those under its own id (their findings are not shown).
    const shadow: Finding[] = [];
    if (opts.yieldToDisabled !== false && rules.some(({ rule }) => ENGINE_RULE_IDS_SET.has(rule.meta.id))) {
      for (const rule of shadowRules(allowedIds)) {
        try {
          rule.run(new Pass(pkg, rule, facts, rule.meta.severity, (f) => shadow.push(f)));
        } catch {
          // Only used to decide what the engine reports; its own run reports a rule bug.
        }
      }
    }
    const { kept, problems } = applySuppressions(dedupe(dropExplained(found, shadow)), directives, {
      reportUnused: opts.reportUnusedIgnores,
      knownRuleIds: new Set(ALL_RULES.map((r) => r.meta.id)),
      enabledRuleIds: allowedIds,
    });
    result.findings.push(...kept, ...problems);
  }
  if (generated.size > 0) result.findings = result.findings.filter((f) => !generated.has(f.file) || f.ruleId === SYNTAX_RULE_ID || f.ruleId === INPUT_RULE_ID);
  result.findings.sort(compareFindings);
  result.analysisMs = performance.now() - t1;
  return result;
}

/**
 * The blocking-state search reports each blocking operation once, and never a line a
 * per-rule check already reports (the older rule keeps its id where it explains the bug).
 */
function dropExplained(fs: Finding[], shadow: Finding[] = []): Finding[] {
  const engine = ENGINE_RULE_IDS_SET;
  const taken = new Set<string>();
  const older = [...fs.filter((f) => !engine.has(f.ruleId)), ...shadow];
  // The goroutine the engine found blocked at each line (the last step of its trace).
  const victimAt = new Map<string, string | undefined>();
  for (const f of fs) if (engine.has(f.ruleId)) victimAt.set(`${f.file}\0${f.range.start.line}`, f.trace?.at(-1)?.name);
  for (const f of older) {
    const own = `${f.file}\0${f.range.start.line}`;
    taken.add(own);
    // Its related locations are part of the same explanation (abandoned-sender reports a goroutine
    // once, at its first send, with its other sends as related locations, marked sameGoroutine) —
    // unless the engine found another goroutine blocked there than at the finding's own line
    // (waitgroup-misuse at Wait pointing at the senders it waits for): that one gets a finding of its own.
    for (const r of f.related ?? []) {
      const rk = `${r.file}\0${r.range.start.line}`;
      if (!r.sameGoroutine && victimAt.has(own) && victimAt.has(rk) && victimAt.get(own) !== victimAt.get(rk)) continue;
      taken.add(rk);
    }
  }
  // An older finding in the same file that names the engine's line ("Locks a.mu (line 19)",
  // "ranged over by server (main.go:14)") explains it too — unless the older finding itself
  // sits on a line where the engine found a goroutine blocked: then it explains that
  // blocking operation, and the other goroutines it mentions ("every sender blocks on its
  // send (line 15)") are blocking operations of their own, one finding each (issue 14).
  const engineLines = new Set(fs.filter((f) => engine.has(f.ruleId)).map((f) => `${f.file}\0${f.range.start.line}`));
  const names = (f: Finding): boolean => {
    const re = new RegExp(`(?:\\bline |\\b${escapeRe(basename(f.file))}:)${f.range.start.line}\\b`);
    return older.some((o) => o.file === f.file && !engineLines.has(`${o.file}\0${o.range.start.line}`) && re.test(o.message));
  };
  return fs.filter((f) => !engine.has(f.ruleId) || (!taken.has(`${f.file}\0${f.range.start.line}`) && !names(f)));
}

/**
 * Whether any comment of the file starts as one of ours (`//leakscope:`) or as another linter's
 * directive (`//nolint`, `//lint:`) does: only those comments are read as directives
 * (`commentsStartingWith`), so the file's comments are all that needs looking at, not its
 * whole text three times over.
 */
function directiveKinds(sf: SourceFile): { ours: boolean; theirs: boolean } {
  const text = sf.text;
  let ours = false;
  let theirs = false;
  for (const c of sf.comments) {
    // A directive is a line comment: `//` then `l` or `n` (golangci-lint also takes `// nolint`).
    if (text.charCodeAt(c.start + 1) !== 0x2f) continue;
    const k = text.charCodeAt(c.start + 2);
    if (k !== 0x6c && k !== 0x6e && k !== 0x20 && k !== 0x2f) continue;
    if (!ours && text.startsWith('//leakscope:', c.start)) ours = true;
    else if (!theirs && (text.startsWith('//lint:', c.start) || ((NOLINT_AT.lastIndex = c.start), NOLINT_AT.test(text)))) theirs = true;
    if (ours && theirs) break;
  }
  return { ours, theirs };
}

const ENGINE_RULE_IDS_SET = new Set<string>(ENGINE_RULE_IDS);
/** Categories of the rules whose findings explain a blocked goroutine. */
const BLOCKING_CATEGORIES = new Set(['goroutine-leak', 'deadlock', 'context-leak']);

/** The disabled rules (warning and above, of a blocking category) the engine still yields to. */
function shadowRules(enabled: Set<string>): Rule[] {
  return ALL_RULES.filter((r) => !enabled.has(r.meta.id) && !ENGINE_RULE_IDS_SET.has(r.meta.id) && r.meta.severity !== 'info' && BLOCKING_CATEGORIES.has(r.meta.category));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drops findings of different rules that point at the same line with the same rule... and exact duplicates. */
function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.ruleId}\0${f.file}\0${f.range.start.line}\0${f.range.start.column}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function inputProblem(file: string, message: string): Finding {
  return { ruleId: INPUT_RULE_ID, severity: 'error', message, file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
}
