/**
 * @fileoverview Stable identities for findings, shared by baselines (`--baseline`) and the
 * SARIF `partialFingerprints` GitHub code scanning tracks alerts by.
 *
 * A finding is identified without its line number, so that inserting or deleting lines
 * elsewhere, re-indenting (gofmt) or rewording a message keeps its identity:
 *
 * - `fingerprint` = the first 16 hex digits of
 *   `sha256("v1" NUL ruleId NUL path NUL function NUL operation)`, where `path` is the file
 *   relative to the base directory (forward slashes), `function` the enclosing top-level
 *   function (`Name`, `(*T).Method` or `T.Method`; `""` at package level; a function
 *   literal belongs to the declaration it is written in), and `operation` the text of the
 *   finding's start line with comments and all white space removed. When the file cannot
 *   be read, the message with digits blanked out stands in for the operation (prefixed, so
 *   the two never collide).
 * - `context` = 8 hex digits of the same normalisation applied to the nearest code lines
 *   before and after the operation inside the same function (blank and comment-only lines
 *   skipped). It tells apart identical operations in one function: matching prefers an
 *   entry whose context agrees, and falls back to the fingerprint alone, so editing a
 *   neighbouring line does not make an old finding new.
 *
 * The enclosing function is found with the Go parser (`SourceFile`, package-level
 * declarations only, which is cheap: bodies are not parsed).
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../analysis/finding.js';
import { SourceFile } from '../go/source.js';
import { field } from '../go/syntax.js';
import { receiverTypeName } from '../go/package.js';
import { splitLines } from './codeframe.js';
import { relativePath } from './paths.js';

/** The identity of one finding. */
export interface FindingPrint {
  /** File relative to the base directory, forward slashes. */
  path: string;
  /** Enclosing top-level function (`""` at package level). */
  function: string;
  /** The start line of the finding, trimmed (for people reading a baseline; not hashed as is). */
  code: string;
  /** 16 hex digits: rule, path, function and the normalised operation. */
  fingerprint: string;
  /** 8 hex digits: the normalised neighbouring code lines. */
  context: string;
}

/**
 * Removes a `//` or `/*` comment that starts on the line and all white space. String,
 * rune and raw string literals are respected on the line (`"http://x"` keeps its slashes).
 */
export function normaliseCode(line: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      out += c;
      if (c === '\\' && quote !== '`' && i + 1 < line.length) out += line[++i];
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) {
      if (line[i + 1] === '/') break;
      const end = line.indexOf('*/', i + 2);
      if (end === -1) break;
      i = end + 1;
      continue;
    } else if (/\s/.test(c)) continue;
    out += c;
  }
  return out;
}

function hex(s: string, n: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

/** Top-level function spans of one file: [start line, end line, name], in file order. */
type FuncSpan = [number, number, string];

function functionSpans(file: string, text: string): FuncSpan[] {
  let sf: SourceFile;
  try {
    sf = new SourceFile(file, text);
  } catch {
    return [];
  }
  const spans: FuncSpan[] = [];
  for (const d of sf.decls) {
    if (d.type !== 'function_declaration' && d.type !== 'method_declaration') continue;
    const nameNode = field(d, 'name');
    if (!nameNode) continue;
    let name = sf.textOf(nameNode);
    if (d.type === 'method_declaration') {
      const recv = receiverTypeName(d, sf);
      const rtext = sf.textOf(field(d, 'receiver') ?? nameNode);
      const ptr = /^\(\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+)?\*/u.test(rtext);
      if (recv) name = ptr ? `(*${recv}).${name}` : `${recv}.${name}`;
    }
    spans.push([sf.line(d.start), sf.line(d.end), name]);
  }
  return spans;
}

/** Whether a line holds code (not blank, not only a comment). */
function isCode(line: string): boolean {
  return normaliseCode(line) !== '';
}

/**
 * Computes the identity of each finding (same order). `readSource` gives file text;
 * each file is read and parsed at most once.
 */
export function fingerprintFindings(findings: readonly Finding[], baseDir: string, readSource: (file: string) => string | undefined): FindingPrint[] {
  const files = new Map<string, { lines: string[]; spans: FuncSpan[] } | undefined>();
  const load = (file: string): { lines: string[]; spans: FuncSpan[] } | undefined => {
    if (!files.has(file)) {
      let text: string | undefined;
      try {
        text = readSource(file);
      } catch {
        text = undefined;
      }
      files.set(file, text === undefined ? undefined : { lines: splitLines(text), spans: file.endsWith('.go') ? functionSpans(file, text) : [] });
    }
    return files.get(file);
  };
  return findings.map((f) => {
    const path = relativePath(baseDir, f.file);
    const src = load(f.file);
    const lineNo = f.range.start.line;
    const line = src?.lines[lineNo - 1];
    if (!src || line === undefined) {
      const op = `message:${normaliseCode(f.message.replace(/\d+/g, '#'))}`;
      return { path, function: '', code: '', fingerprint: hex(`v1\0${f.ruleId}\0${path}\0\0${op}`, 16), context: hex('', 8) };
    }
    // Innermost wins when declarations nest (they do not at top level, but be safe).
    let fn = '';
    let lo = 1;
    let hi = src.lines.length;
    for (const [s, e, name] of src.spans) {
      if (s <= lineNo && lineNo <= e) {
        fn = name;
        lo = s;
        hi = e;
      }
    }
    const op = `line:${normaliseCode(line)}`;
    let before = '';
    for (let i = lineNo - 1; i >= lo; i--) {
      const l = src.lines[i - 1] as string;
      if (isCode(l)) {
        before = normaliseCode(l);
        break;
      }
    }
    let after = '';
    for (let i = lineNo + 1; i <= hi; i++) {
      const l = src.lines[i - 1] as string;
      if (isCode(l)) {
        after = normaliseCode(l);
        break;
      }
    }
    return {
      path,
      function: fn,
      code: line.trim(),
      fingerprint: hex(`v1\0${f.ruleId}\0${path}\0${fn}\0${op}`, 16),
      context: hex(`${before}\0${after}`, 8),
    };
  });
}
