/**
 * @fileoverview `.leakscope.yaml` discovery, parsing and strict validation.
 *
 * ```yaml
 * rules:
 *   lost-cancel: error              # off | on | info | warning | error (or true/false)
 *   abandoned-sender:
 *     enabled: true
 *     severity: warning
 * exclude:                          # globs relative to this file's directory
 *   - vendor
 *   - "**\/*.pb.go"
 *   - internal/generated/
 * tests: true                       # analyse _test.go files (default true)
 * build-tags: [cluster_proxy]       # extra build tags, as `go build -tags` (GOOS/GOARCH from the environment)
 * generated: false                  # report findings in generated files (`// Code generated ... DO NOT EDIT.`)
 * ignore-top:                       # goleak IgnoreTopFunction equivalents (leakscope test)
 *   - go.opencensus.io/stats/view.(*worker).start
 * ignore-created-by: []             # goleak IgnoreAnyFunction-by-creator equivalents
 * ```
 *
 * Validation is strict on purpose: a misspelt key silently ignored would make a user
 * believe a rule is disabled when it is not. Every error names the file, line and column
 * (from `yaml`'s `LineCounter`) and, for unknown names, suggests the closest known one.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Node, Pair, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Severity } from './finding.js';
import { SEVERITIES } from './finding.js';
import type { CompiledGlob } from './glob.js';
import { compileGlob, globMatches, globProblem } from './glob.js';

/** Config file names, in the order they are looked for in each directory. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.leakscope.yaml', '.leakscope.yml'];

/** Per-rule setting. Unset fields mean "the rule's default". */
export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
}

/** The validated configuration. */
export interface LeakscopeConfig {
  /** Absolute path the config was loaded from; undefined for {@link emptyConfig}. */
  file?: string;
  /** Rule settings by rule id. */
  rules: Record<string, RuleSetting>;
  /** Glob patterns relative to the config file's directory (see `glob.ts` for semantics). */
  exclude: string[];
  /** Include `_test.go` files; undefined means the default (true). */
  tests?: boolean;
  /** Extra build tags (`go build -tags`). */
  buildTags: string[];
  /** Report findings in generated files; undefined means the default (false). */
  generated?: boolean;
  /** goleak-style `IgnoreTopFunction` names, used by `leakscope test`. */
  ignoreTop: string[];
  /** goleak-style "ignore goroutines created by" function names, used by `leakscope test`. */
  ignoreCreatedBy: string[];
}

/** A configuration problem; `message` already starts with `file:line:column:`. */
export class ConfigError extends Error {
  /** The config file the problem is in. */
  file: string;
  /** 1-based line of the offending node, when known. */
  line?: number;
  /** 1-based column of the offending node, when known. */
  column?: number;

  constructor(file: string, detail: string, line?: number, column?: number) {
    const where = line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
    super(`${where}: ${detail}`);
    this.name = 'ConfigError';
    this.file = file;
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
  }
}

/** A configuration with every setting at its default. */
export function emptyConfig(): LeakscopeConfig {
  return { rules: {}, exclude: [], buildTags: [], ignoreTop: [], ignoreCreatedBy: [] };
}

/**
 * Looks for `.leakscope.yaml` then `.leakscope.yml` in `startDir` and each parent up to
 * the filesystem root. `startDir` may also be a file, in which case its directory is the
 * start. Returns the absolute path of the first regular file found.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  try {
    if (fs.statSync(dir).isFile()) dir = path.dirname(dir);
  } catch {
    // a path that does not exist: still search from it upwards (the CLI reports the bad path)
  }
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      try {
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not there (or unreadable directory): keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions), so
 * `lost-cancle` is one edit away from `lost-cancel`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    d.push(row);
  }
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word` (case-insensitive), or undefined when none is close
 * enough to be a plausible typo: the shortest candidate that `word` (3+ characters) is a
 * prefix of, else the nearest by {@link editDistance} if that distance is at most
 * max(2, a third of the word's length).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const list = [...candidates];
  // An abbreviation (`warn`, `ignore`) is a likelier intent than an edit-distance neighbour.
  if (w.length >= 3) {
    const prefixed = list.filter((c) => c.toLowerCase().startsWith(w) && c.toLowerCase() !== w).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    if (prefixed[0] !== undefined) return prefixed[0];
  }
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of list) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestDist || (dist === bestDist && best !== undefined && c < best)) {
      best = c;
      bestDist = dist;
    }
  }
  if (best === undefined) return undefined;
  return bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** `; did you mean "x"?` or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const m = closestMatch(word, candidates);
  return m === undefined ? '' : `; did you mean "${m}"?`;
}

const TOP_LEVEL_KEYS = ['rules', 'exclude', 'tests', 'build-tags', 'generated', 'ignore-top', 'ignore-created-by'] as const;
const RULE_SETTING_KEYS = ['enabled', 'severity'] as const;
const RULE_SHORTHANDS = ['off', 'on', ...SEVERITIES] as const;

/** Describes a YAML node's type for error messages. */
export function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'an empty value';
    if (typeof v === 'string') return `the string "${v}"`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias or unsupported node';
}

/** Loads and validates a config file. Throws {@link ConfigError} on any problem. */
export function loadConfig(file: string, knownRuleIds: ReadonlySet<string>): LeakscopeConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(abs, `cannot read config file${code ? ` (${code})` : ''}`);
  }
  return parseConfig(text, abs, knownRuleIds);
}

/**
 * Parses and validates config text. `file` is used for error messages, as
 * `LeakscopeConfig.file`, and as the base of `exclude` patterns.
 */
export function parseConfig(text: string, file: string, knownRuleIds: ReadonlySet<string>): LeakscopeConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });

  const fail = (node: Node | Pair | null | undefined, detail: string): never => {
    const range = node && 'range' in node ? node.range : node && 'key' in node && isScalar(node.key) ? node.key.range : undefined;
    if (range) {
      const pos = lineCounter.linePos(range[0]);
      throw new ConfigError(file, detail, pos.line, pos.col);
    }
    throw new ConfigError(file, detail);
  };

  const firstError = doc.errors[0];
  if (firstError) {
    // yaml's pretty message repeats the position and a source excerpt; keep the first clause.
    const detail =
      firstError.code === 'MULTIPLE_DOCS'
        ? 'a config file must contain a single YAML document (found a second "---")'
        : firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const pos = firstError.linePos?.[0];
    throw new ConfigError(file, `invalid YAML: ${detail}`, pos?.line, pos?.col);
  }

  const config: LeakscopeConfig = { ...emptyConfig(), file };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return config; // empty file
  if (!isMap(root)) return fail(root, `expected a mapping of settings at the top level, found ${describe(root)}`);

  for (const pair of root.items) {
    const key = keyName(pair, fail);
    const value = pair.value as Node | null;
    switch (key) {
      case 'rules':
        config.rules = parseRules(value, pair, knownRuleIds, fail);
        break;
      case 'exclude':
        config.exclude = stringList(value, pair, 'exclude', fail);
        for (const [i, p] of config.exclude.entries()) {
          const problem = globProblem(p);
          if (problem) fail(isSeq(value) ? (value.items[i] as Node) : value, `exclude: ${problem}: "${p}"`);
        }
        break;
      case 'tests':
        if (!isScalar(value) || typeof value.value !== 'boolean') {
          fail(value ?? pair, `"tests" must be true or false, found ${describe(value)}`);
        } else {
          config.tests = value.value;
        }
        break;
      case 'build-tags':
        config.buildTags = stringList(value, pair, 'build-tags', fail);
        for (const [i, t] of config.buildTags.entries()) {
          if (!/^[\w.]+$/.test(t)) fail(isSeq(value) ? (value.items[i] as Node) : value, `build-tags: "${t}" is not a build tag (letters, digits, _ and . only)`);
        }
        break;
      case 'generated':
        if (!isScalar(value) || typeof value.value !== 'boolean') {
          fail(value ?? pair, `"generated" must be true or false, found ${describe(value)}`);
        } else {
          config.generated = value.value;
        }
        break;
      case 'ignore-top':
        config.ignoreTop = stringList(value, pair, 'ignore-top', fail);
        break;
      case 'ignore-created-by':
        config.ignoreCreatedBy = stringList(value, pair, 'ignore-created-by', fail);
        break;
      default:
        fail(pair.key as Node, `unknown key "${key}"${didYouMean(key, TOP_LEVEL_KEYS)} (known keys: ${TOP_LEVEL_KEYS.join(', ')})`);
    }
  }
  return config;
}

type Fail = (node: Node | Pair | null | undefined, detail: string) => never;

function keyName(pair: Pair, fail: Fail): string {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
    return fail(pair.key as Node, `keys must be plain names, found ${describe(pair.key)}`);
  }
  return pair.key.value;
}

function stringList(value: Node | null, pair: Pair, key: string, fail: Fail): string[] {
  if (value === null || (isScalar(value) && value.value === null)) return [];
  if (!isSeq(value)) return fail(value, `"${key}" must be a list of strings, found ${describe(value)}`);
  return value.items.map((item) => {
    if (!isScalar(item) || typeof item.value !== 'string') {
      return fail((item as Node) ?? pair, `"${key}" entries must be strings, found ${describe(item)}`);
    }
    return item.value;
  });
}

function parseRules(value: Node | null, pair: Pair, known: ReadonlySet<string>, fail: Fail): Record<string, RuleSetting> {
  if (value === null || (isScalar(value) && value.value === null)) return {};
  if (!isMap(value)) return fail(value ?? pair, `"rules" must be a mapping of rule id to setting, found ${describe(value)}`);
  const rules: Record<string, RuleSetting> = {};
  for (const rulePair of (value as YAMLMap).items) {
    const id = keyName(rulePair, fail);
    if (!known.has(id)) fail(rulePair.key as Node, `unknown rule "${id}"${didYouMean(id, known)}`);
    rules[id] = parseRuleSetting(id, rulePair.value as Node | null, rulePair, fail);
  }
  return rules;
}

function parseRuleSetting(id: string, node: Node | null, pair: Pair, fail: Fail): RuleSetting {
  const expected = `expected one of ${RULE_SHORTHANDS.join(', ')} or a mapping with "enabled" and/or "severity"`;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'boolean') return { enabled: v };
    if (typeof v === 'string') {
      // A severity shorthand also enables the rule (like ESLint's "warn"): writing
      // `rule: error` for an opt-in rule clearly means "turn it on as an error".
      if (v === 'off') return { enabled: false };
      if (v === 'on') return { enabled: true };
      if ((SEVERITIES as readonly string[]).includes(v)) return { enabled: true, severity: v as Severity };
      return fail(node, `invalid setting "${v}" for rule "${id}"; ${expected}${didYouMean(v, RULE_SHORTHANDS)}`);
    }
    return fail(node ?? pair, `invalid setting ${describe(node)} for rule "${id}"; ${expected}`);
  }
  if (isMap(node)) {
    const setting: RuleSetting = {};
    for (const p of node.items) {
      const k = keyName(p, fail);
      const v = p.value as Node | null;
      if (k === 'enabled') {
        if (!isScalar(v) || typeof v.value !== 'boolean') fail(v ?? p, `"enabled" of rule "${id}" must be true or false, found ${describe(v)}`);
        else setting.enabled = v.value;
      } else if (k === 'severity') {
        if (!isScalar(v) || typeof v.value !== 'string' || !(SEVERITIES as readonly string[]).includes(v.value)) {
          const s = isScalar(v) && typeof v.value === 'string' ? didYouMean(v.value, SEVERITIES) : '';
          fail(v ?? p, `"severity" of rule "${id}" must be one of ${SEVERITIES.join(', ')}, found ${describe(v)}${s}`);
        } else {
          setting.severity = v.value as Severity;
        }
      } else {
        fail(p.key as Node, `unknown key "${k}" in settings of rule "${id}"${didYouMean(k, RULE_SETTING_KEYS)} (known keys: ${RULE_SETTING_KEYS.join(', ')})`);
      }
    }
    return setting;
  }
  return fail(node ?? pair, `invalid setting ${describe(node)} for rule "${id}"; ${expected}`);
}

// Keyed by the pattern list's content (not identity) so mutating `exclude` cannot serve stale globs.
const compiledCache = new Map<string, CompiledGlob[]>();

/**
 * True when `absPath` (a file or directory) is excluded by the config: its path relative
 * to the config file's directory (the working directory for a config without a file),
 * or one of its ancestor directories, matches an `exclude` pattern. Paths outside that
 * directory are never excluded.
 */
export function isExcluded(config: LeakscopeConfig, absPath: string): boolean {
  if (config.exclude.length === 0) return false;
  const base = config.file ? path.dirname(path.resolve(config.file)) : process.cwd();
  const rel = path.relative(base, path.resolve(absPath)).split(path.sep).join('/');
  if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return false;
  const key = config.exclude.join('\0');
  let globs = compiledCache.get(key);
  if (!globs) {
    globs = config.exclude.map(compileGlob);
    compiledCache.set(key, globs);
  }
  return globs.some((g) => globMatches(g, rel));
}
