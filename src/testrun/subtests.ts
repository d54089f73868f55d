/**
 * @fileoverview Names the test (down to the subtest) that started a goroutine, from the
 * goroutine's traceback: its own frames, its `created by` line and, under
 * `GODEBUG=tracebackancestors=N`, the stacks of its ancestors at the moment each created
 * the next one (runtime/traceback.go printAncestorTraceback: `[originating from goroutine
 * N]:`).
 *
 * A test runs in its own goroutine, whose stack ends in `testing.tRunner`. The goroutine
 * that created it was, at that moment, inside `testing.(*T).Run`, called from the parent
 * test's code: the frame under `testing.(*T).Run` is the `t.Run(name, f)` line, and the
 * subtest's name is that call's first argument. When it is a string literal, the name is
 * known exactly, after the rewrite the testing package applies (testing/match.go
 * `rewrite`: spaces become underscores, unprintable runes are escaped). A top-level test
 * is the function called by `tRunner` (`pkg.TestPool`). The names run by the package (the
 * `-json` events) confirm what the source says; a name the source cannot give (a
 * table-driven `t.Run(tc.name, ...)`) is taken from them when only one subtest of that
 * parent ran, and otherwise written `TestX/*` (one of the subtests of TestX).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SourceFile } from '../go/source.js';
import { field, walk, type Node } from '../go/syntax.js';

/** One goroutine of a traceback chain: the goroutine itself, then its ancestors. */
export interface ChainSegment {
  id?: number;
  /** Frames, innermost first (function name without arguments). */
  frames: { function: string; file: string; line: number }[];
  createdBy?: { function: string; file: string; line: number };
}

/** Parses one goroutine's text block (header included) into itself and its ancestors. */
export function parseChain(block: string): ChainSegment[] {
  const lines = block.split('\n');
  const head = /^goroutine (\d+)/.exec(lines[0] ?? '');
  const segs: ChainSegment[] = [{ frames: [], ...(head ? { id: Number(head[1]) } : {}) }];
  let cur = segs[0]!;
  let pending: { function: string; file: string; line: number } | undefined;
  for (const raw of lines.slice(1)) {
    if (raw === '' || raw.startsWith('...')) continue;
    const anc = /^\[originating from goroutine (\d+)\]:/.exec(raw);
    if (anc) {
      cur = { id: Number(anc[1]), frames: [] };
      segs.push(cur);
      pending = undefined;
      continue;
    }
    if (raw.startsWith('\t')) {
      const m = /^\t(.*):(\d+)(?: \+0x[0-9a-f]+)?/.exec(raw);
      if (m && pending) {
        pending.file = m[1]!;
        pending.line = Number(m[2]);
      }
      pending = undefined;
      continue;
    }
    if (raw.startsWith('created by ')) {
      let fn = raw.slice(11);
      const inG = fn.indexOf(' in goroutine ');
      if (inG >= 0) fn = fn.slice(0, inG);
      cur.createdBy = { function: fn, file: '', line: 0 };
      pending = cur.createdBy;
      continue;
    }
    let fn = raw;
    const paren = fn.lastIndexOf('(');
    if (paren > 0 && fn.endsWith(')')) fn = fn.slice(0, paren);
    const f = { function: fn, file: '', line: 0 };
    cur.frames.push(f);
    pending = f;
  }
  return segs;
}

/** Function name without package path: `example.com/a.TestX.func1` → `TestX.func1`. */
function localName(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(dot + 1);
}

/**
 * The top-level test a function belongs to: `pkg.TestX`, `pkg.TestX.func1.2` → `TestX`.
 * go test runs `TestXxx` where Xxx does not start with a lower-case letter, and examples
 * (`ExampleXxx`); `TestMain` is not a test (cmd/go "Testing functions").
 */
export function testOfFunction(fn: string): string | undefined {
  const name = localName(fn).split('.', 1)[0] ?? '';
  if (/^Example(?![a-z])/.test(name)) return name;
  if (!/^Test(?![a-z])/.test(name) || name === 'TestMain') return undefined;
  return name;
}

/** The rewrite testing applies to subtest names (testing/match.go `rewrite`). */
export function rewriteSubtestName(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^\s$/u.test(ch)) out += '_';
    else if (/^[\p{Cc}\p{Cf}\p{Co}\p{Cn}]$/u.test(ch)) out += JSON.stringify(ch).slice(1, -1);
    else out += ch;
  }
  return out;
}

/** The names of nested `t.Run` literals, read from the source (null: the name is not a string literal). */
export interface SubtestNamer {
  /**
   * The subtest path below the top-level test of a test function that is a closure
   * (`pkg.TestPool.func2.1` with a line inside it): the `t.Run(name, func...)` literals
   * enclosing that line, outermost first; [] for the top-level test function itself;
   * undefined when the source does not say.
   */
  literalPath(fn: string, file: string, line: number): (string | null)[] | undefined;
  /** The name of the `t.Run` call at (or, see callSiteName, just before) `line`. */
  callSite(file: string, line: number): string | null | undefined;
}

/** Go string literal text → value (interpreted literals through JSON, which shares the common escapes). */
function stringValue(type: string, text: string): string | null {
  if (type === 'raw_string_literal') return text.slice(1, -1);
  if (type === 'interpreted_string_literal') {
    try {
      return JSON.parse(text) as string;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * A namer that reads the Go files on this machine (each parsed once).
 *
 * Closure names say how deep the test function is nested: the compiler names the n-th
 * function literal of `F` `F.funcN` and literals inside it `F.funcN.M`
 * (cmd/compile/internal/ir closureName), so `TestPool.func2.1` is the literal at depth 2
 * of `TestPool` that encloses its line. Lines from ancestor stacks are those of the
 * return address, which may be the next statement's (printAncestorTracebackFuncInfo does
 * not step back one instruction as the regular traceback does), but stay inside the
 * literal (at worst its closing brace), so the literal is found all the same.
 */
export function sourceSubtestNamer(): SubtestNamer {
  const cache = new Map<string, SourceFile | null>();
  const load = (file: string): SourceFile | undefined => {
    if (!file.endsWith('.go')) return undefined;
    let sf = cache.get(file);
    if (sf === undefined) {
      try {
        sf = new SourceFile(file, fs.readFileSync(path.resolve(file), 'utf8'));
      } catch {
        sf = null;
      }
      cache.set(file, sf);
    }
    return sf ?? undefined;
  };
  /** The `X.Run(name, lit)` call that has `lit` as its second argument, and its name. */
  const runName = (sf: SourceFile, lit: Node): string | null | undefined => {
    const args = lit.parent;
    const call = args?.parent;
    if (args?.type !== 'argument_list' || call?.type !== 'call_expression') return undefined;
    const fn = field(call, 'function');
    const sel = fn?.type === 'selector_expression' ? field(fn, 'field') : undefined;
    if (!sel || sf.textOf(sel) !== 'Run') return undefined;
    const named = args.children.filter((c) => c.named);
    if (named[1] !== lit || !named[0]) return undefined;
    return stringValue(named[0].type, sf.textOf(named[0]));
  };
  return {
    literalPath(fn, file, line) {
      const parts = localName(fn).split('.');
      const top = parts[0] ?? '';
      const rest = parts.slice(1);
      if (!rest.every((p) => /^(?:func)?\d+$/.test(p))) return undefined;
      if (rest.length === 0) return [];
      const sf = load(file);
      if (!sf) return undefined;
      const decl = sf.decls.find((d) => d.type === 'function_declaration' && sf.textOf(field(d, 'name') ?? d) === top && sf.line(d.start) <= line && sf.line(d.end) >= line);
      const body = decl ? sf.body(decl) : undefined;
      if (!body) return undefined;
      const chain: Node[] = [];
      walk(body, (n) => {
        if (sf.line(n.start) > line || sf.line(n.end) < line) return false;
        if (n.type === 'func_literal') chain.push(n);
        return undefined;
      });
      if (chain.length < rest.length) return undefined;
      const names: (string | null)[] = [];
      for (const lit of chain.slice(0, rest.length)) {
        const n = runName(sf, lit);
        if (n !== undefined) names.push(n);
      }
      // The test function itself must be a t.Run literal.
      if (runName(sf, chain[rest.length - 1]!) === undefined) return undefined;
      return names;
    },
    callSite(file, line) {
      const sf = load(file);
      if (!sf) return undefined;
      // Ancestor lines are those of the return address: for a t.Run statement, the next
      // statement (or the closing brace). So: a Run call on the line whose result is used
      // (`if !t.Run(...)`), else the last Run call that ends before the line starts.
      const lineStart = sf.text.split('\n', line - 1).join('\n').length;
      let best: { end: number; name: string | null } | undefined;
      for (const d of sf.decls) {
        if (sf.line(d.start) > line || sf.line(d.end) < line) continue;
        const body = d.type === 'function_declaration' || d.type === 'method_declaration' ? sf.body(d) : d;
        if (!body) continue;
        walk(body, (n) => {
          if (sf.line(n.start) > line) return false;
          if (n.type !== 'call_expression') return undefined;
          const f = field(n, 'function');
          const sel = f?.type === 'selector_expression' ? field(f, 'field') : undefined;
          if (!sel || sf.textOf(sel) !== 'Run') return undefined;
          const arg = field(n, 'arguments')?.children.find((c) => c.named);
          if (!arg) return undefined;
          const name = stringValue(arg.type, sf.textOf(arg));
          if (sf.line(n.start) <= line && sf.line(n.end) >= line && n.parent?.type !== 'expression_statement') best = { end: Infinity, name };
          else if (n.end <= lineStart && (!best || n.end > best.end)) best = { end: n.end, name };
          return undefined;
        });
      }
      return best?.name;
    },
  };
}

/** How the test that started a goroutine was found. */
export interface ChainAttribution {
  /** Full test name (`TestPool/panics_on_configuration/before_wait`), or the top-level test when that is all that is known. */
  test: string;
  /** The name is the top-level test only, although the goroutine came from a subtest that could not be named. */
  partial?: boolean;
}

const isRunner = (fn: string): boolean => fn === 'testing.tRunner';

/**
 * The test (subtest when possible) that started the goroutine whose block is given.
 * `known` holds the test names the package ran (test2json events), used to confirm
 * names and to name table-driven subtests when only one ran.
 */
export function attributeChain(block: string, namer?: SubtestNamer, known?: ReadonlySet<string>): ChainAttribution | undefined {
  const segs = parseChain(block);
  const first = segs.findIndex((s) => s.frames.some((f) => isRunner(f.function)));
  if (first >= 0) {
    // Names of the levels below, found from the parents' t.Run call sites (innermost last).
    const below: (string | null | { file: string; line: number })[] = [];
    for (let j = first; j < segs.length; j++) {
      const s = segs[j]!;
      const k = s.frames.findIndex((f) => isRunner(f.function));
      if (k <= 0) break;
      // The test function: the outermost frame (nearest tRunner) of a TestXxx or one of its
      // closures. Not simply the frame above tRunner: ancestor stacks list inlined frames
      // in their own order.
      let testFrame = s.frames[k - 1]!;
      for (let i = k - 1; i >= 0; i--) {
        if (testOfFunction(s.frames[i]!.function)) {
          testFrame = s.frames[i]!;
          break;
        }
      }
      const top = testOfFunction(testFrame.function);
      if (top) {
        const lits = namer?.literalPath(testFrame.function, testFrame.file, testFrame.line);
        if (lits !== undefined) return resolveNames(top, [...lits, ...below], known);
        if (localName(testFrame.function) === top) return resolveNames(top, below, known);
      }
      // A test function that is not a closure of a TestXxx (t.Run("x", testX)): its name is
      // at the parent's t.Run call.
      const parent = segs[j + 1];
      const runAt = parent ? parent.frames.findIndex((f) => f.function === 'testing.(*T).Run') : -1;
      const caller = runAt >= 0 ? parent!.frames[runAt + 1] : undefined;
      if (!caller || caller.function.startsWith('testing.')) break;
      const n = namer?.callSite(caller.file, caller.line);
      below.unshift(n === undefined ? { file: caller.file, line: caller.line } : n);
    }
  }
  // The chain is cut (a deeper chain than tracebackancestors keeps) or has no test
  // goroutine: the first test function anywhere in the block names the top-level test.
  for (const s of segs) {
    for (const f of [...s.frames, ...(s.createdBy ? [s.createdBy] : [])]) {
      const t = testOfFunction(f.function);
      if (t) return { test: t, ...(first >= 0 ? { partial: true } : {}) };
    }
  }
  return undefined;
}

function resolveNames(top: string, names: readonly (string | null | { file: string; line: number })[], known?: ReadonlySet<string>): ChainAttribution {
  let full = top;
  const childrenOf = (prefix: string): string[] => (known ? [...known].filter((k) => k.startsWith(`${prefix}/`) && !k.slice(prefix.length + 1).includes('/')) : []);
  for (const n of names) {
    if (typeof n === 'string') {
      const cand = `${full}/${rewriteSubtestName(n)}`;
      if (!known || known.size === 0 || known.has(cand)) {
        full = cand;
        continue;
      }
      // Duplicate names get #01, #02... (testing/match.go uniqueName): the base name stands for them.
      if (childrenOf(full).some((k) => k.startsWith(`${cand}#`))) {
        full = cand;
        continue;
      }
      return { test: full, partial: true };
    }
    const children = childrenOf(full);
    if (children.length === 1) {
      full = children[0]!;
      continue;
    }
    // A name computed at run time (t.Run(tc.name, ...)) among several subtests: one of them.
    return { test: children.length > 1 ? `${full}/*` : full, partial: true };
  }
  return { test: full };
}
