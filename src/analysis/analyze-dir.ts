/**
 * @fileoverview Analyses one directory (all packages in it) with the enabled rules.
 * Pure with respect to its inputs: it runs on the main thread for small jobs and in
 * worker threads otherwise, and returns plain data.
 */
import fs from 'node:fs';
import type { DirSpec } from '../go/loader.js';
import { basename } from 'node:path';
import { isGenerated, matchFile, type BuildContext } from '../go/build.js';
import { Package, world, type PendingFile } from '../go/package.js';
import { SourceFile, decodeGoSource } from '../go/source.js';
import { ALL_RULES } from '../rules/index.js';
import { compareFindings, INPUT_RULE_ID, SYNTAX_RULE_ID, type Finding, type Severity } from './finding.js';
import { PackageFacts, Pass } from './pass.js';
import { anyTrigger, type Rule } from './rule.js';
import { applySuppressions, parseDirectives, type Directive } from './suppress.js';

/** Serializable options for one analysis run. */
export interface DirOptions {
  /** Enabled rule ids with their effective severity. */
  rules: Array<{ id: string; severity: Severity }>;
  reportUnusedIgnores: boolean;
  /** Parse only files that some enabled rule may care about (others on demand). */
  lazy: boolean;
  /** The build configuration files are selected for (tags as a list, to cross to workers). */
  build: Omit<BuildContext, 'tags'> & { tags: string[] };
  /** Report findings in generated files (`// Code generated ... DO NOT EDIT.`); default false. */
  includeGenerated?: boolean;
}

/** Result of analysing one directory. */
export interface DirResult {
  findings: Finding[];
  files: number;
  lines: number;
  bytes: number;
  parsedFiles: number;
  packages: number;
}

const PKG_CLAUSE = /^\s*package\s+([\p{L}_][\p{L}\p{N}_]*)/mu;

/**
 * Reads, groups and analyses the Go files of one directory.
 * Never throws for bad input: unreadable, binary or non-UTF-8 files become `input` findings.
 * `readFile` supplies file contents (the editor server passes the unsaved text of open files).
 */
export function analyzeDir(spec: DirSpec, opts: DirOptions, readFile: (path: string) => Uint8Array = fs.readFileSync): DirResult {
  const rules: Array<{ rule: Rule; severity: Severity }> = [];
  for (const r of opts.rules) {
    const rule = ALL_RULES.find((x) => x.meta.id === r.id);
    if (rule) rules.push({ rule, severity: r.severity });
  }
  const triggered = anyTrigger(rules.map((r) => r.rule.triggers));
  const result: DirResult = { findings: [], files: 0, lines: 0, bytes: 0, parsedFiles: 0, packages: 0 };
  const byPkg = new Map<string, Array<{ path: string; text: string }>>();
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
    // go/build reads the package clause with a scanner before parsing; so do we, so that
    // files can be grouped (and lazily parsed) without a full parse.
    const m = PKG_CLAUSE.exec(stripLeadingComments(text));
    if (!m) {
      // tree-sitter-go accepts a file without a package clause; Go does not.
      result.findings.push({ ...inputProblem(path, "syntax error: expected 'package' clause at the start of the file; file skipped"), ruleId: SYNTAX_RULE_ID });
      continue;
    }
    const pkgName = m[1] as string;
    let list = byPkg.get(pkgName);
    if (!list) byPkg.set(pkgName, (list = []));
    list.push({ path, text });
  }

  const allowedIds = new Set(opts.rules.map((r) => r.id));
  for (const [, files] of byPkg) {
    result.packages++;
    const parsed: SourceFile[] = [];
    const pending: PendingFile[] = [];
    const directives: Directive[] = [];
    // Function bodies, package-level literal contents and comments are left out of the
    // parse (SourceFile `partial`): a body is parsed on its own when an analysis first asks
    // for it, and most are never asked for. Files with suppression comments are parsed
    // whole, so that every directive is seen.
    const parse = (f: { path: string; text: string; hasDirectives: boolean }, scan?: PendingFile['scan']): SourceFile => {
      const { hasDirectives } = f;
      const sf = new SourceFile(f.path, f.text, { partial: opts.lazy && !hasDirectives, scan });
      result.parsedFiles++;
      if (hasDirectives) {
        const lines = f.text.split('\n');
        const { directives: ds, problems } = parseDirectives(f.path, sf.commentsStartingWith('//leakscope:'), lines.length, lines);
        directives.push(...ds);
        result.findings.push(...problems);
      }
      return sf;
    };
    for (const file of files) {
      const f = { ...file, hasDirectives: file.text.includes('//leakscope:') };
      if (!opts.lazy || f.hasDirectives || triggered(f.text)) parsed.push(parse(f));
      else {
        // A pending file is usually scanned before it is parsed (to see what it declares).
        const pf: PendingFile = { text: f.text, load: () => parse(f, pf.scan) };
        pending.push(pf);
      }
    }
    if (parsed.length === 0) continue;
    const pkg = new Package({ importPath: spec.importPath, dir: spec.dir, files: parsed, pending, module: spec.module, world: world() });
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
    const { kept, problems } = applySuppressions(dedupe(found), directives, {
      reportUnused: opts.reportUnusedIgnores,
      knownRuleIds: new Set(ALL_RULES.map((r) => r.meta.id)),
      enabledRuleIds: allowedIds,
    });
    result.findings.push(...kept, ...problems);
    // Syntax errors last: bodies parsed on demand during the analysis add theirs.
    for (const f of pkg.files) result.findings.push(...f.syntaxErrors);
  }
  if (generated.size > 0) result.findings = result.findings.filter((f) => !generated.has(f.file) || f.ruleId === SYNTAX_RULE_ID || f.ruleId === INPUT_RULE_ID);
  result.findings.sort(compareFindings);
  return result;
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

/** Removes comments before the package clause so PKG_CLAUSE finds it. */
function stripLeadingComments(text: string): string {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text.startsWith('//', i)) {
      const e = text.indexOf('\n', i);
      if (e === -1) return '';
      i = e + 1;
    } else if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      if (e === -1) return '';
      i = e + 2;
    } else return text.slice(i, i + 4096);
  }
}
