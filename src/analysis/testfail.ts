/**
 * @fileoverview Paths on which the running test has already failed.
 *
 * A goroutine left blocked after `t.Errorf("timed out"); return` or in the
 * `case <-time.After(d): t.Fatalf(...)` arm of the standard receive-with-timeout is not a
 * leak a maintainer fixes: the test reported its failure, and `go test` prints it. Rules
 * that look for a path on which a receiver gives up ask these questions and skip the
 * paths that run one of these calls before they return.
 *
 * What fails the test (unconditionally, whatever the arguments):
 * - `Error`, `Errorf`, `Fail`, `FailNow`, `Fatal`, `Fatalf` of `testing.T`, `B`, `F`,
 *   `TB` and of a project's own copy of the `testing.TB` interface (pkg/testing/testing.go:
 *   `Error` is `Log` + `Fail`, `Fatal` is `Log` + `FailNow`). `Skip*` is not a failure.
 * - testify's `assert.Fail`, `assert.Failf`, `assert.FailNow`, `assert.FailNowf` and the
 *   same four of `require` (require's call `t.FailNow()`; assert's `Fail` calls
 *   `t.Errorf`), as package functions or methods of their `Assertions` types.
 * - a call of a same-package function every path of which runs one of the above (a
 *   project's own `fatalf(t, ...)` helper).
 * Conditional assertions (`require.NoError(t, err)`) fail only on one outcome and are not
 * counted.
 */
import { cfgNodeOf, findEscapingPath, reachableBlocks, reachesFromEntry, type Block, type CFG } from '../go/cfg.js';
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref, type Type } from '../go/types.js';
import { chanUses, localChan, nodeReaches } from './chanfacts.js';
import { mirrorsTestingTB, type FuncCtx } from './pass.js';

const TB_FAILS = new Set(['Error', 'Errorf', 'Fail', 'FailNow', 'Fatal', 'Fatalf']);
const TESTING_TYPES = new Set(['T', 'B', 'F', 'TB', 'common']);
const TESTIFY = new Set(['github.com/stretchr/testify/assert', 'github.com/stretchr/testify/require']);
const TESTIFY_FAILS = new Set(['Fail', 'Failf', 'FailNow', 'FailNowf']);
const FAILING_NAME = /\.(?:Errorf?|Fail(?:Now)?f?|Fatalf?)\(/;

/** True when call expression `call` marks the running test failed, whatever its arguments. */
export function failsTest(fc: FuncCtx, call: Node): boolean {
  const c = unparen(call);
  if (c.type !== 'call_expression') return false;
  const fn = field(c, 'function');
  const f = fn ? unparen(fn) : undefined;
  if (f?.type === 'selector_expression') {
    const op = field(f, 'operand');
    const fl = field(f, 'field');
    if (!op || !fl) return false;
    const name = fc.text(fl);
    const imp = fc.res.importOf(op);
    if (imp !== undefined) return TESTIFY.has(imp) && TESTIFY_FAILS.has(name);
    if (!TB_FAILS.has(name) && !TESTIFY_FAILS.has(name)) return sameFuncFails(fc, c);
    const t: Type = deref(fc.res.typeOf(op));
    if (t.kind !== 'named') return false;
    if (TB_FAILS.has(name) && ((t.pkg === 'testing' && TESTING_TYPES.has(t.name)) || mirrorsTestingTB(t))) return true;
    if (TESTIFY_FAILS.has(name) && TESTIFY.has(t.pkg) && t.name === 'Assertions') return true;
    return sameFuncFails(fc, c);
  }
  return sameFuncFails(fc, c);
}

/**
 * True when CFG statement `n` (an expression statement, or a call) fails the test, or
 * runs only after a testify assertion has reported a failure ({@link inFailedBranch}).
 */
export function failsTestAt(fc: FuncCtx, n: Node): boolean {
  const e = n.type === 'expression_statement' ? n.children.find((x) => x.named) : n;
  return (!!e && e.type === 'call_expression' && failsTest(fc, e)) || inFailedBranch(fc, n) || sendsFailure(fc, n);
}

/**
 * True when statement `n` sends on a failure channel: a channel the function makes
 * (`errs := make(chan error, 3)`) whose every receive is a select case that fails the test
 * (`case err := <-errs: t.Fatalf("...: %v", err)`), and that is used for nothing else. Its
 * goroutines report a failure by sending on it, the way the `t.Fatal` they may not call
 * themselves would (testing: FailNow must be called from the test's goroutine).
 */
function sendsFailure(fc: FuncCtx, n: Node): boolean {
  if (n.type !== 'send_statement') return false;
  const ch = field(n, 'channel');
  const u = ch ? unparen(ch) : undefined;
  const v = u?.type === 'identifier' ? fc.res.localOf(u) : undefined;
  if (!v || v.kind !== 'var') return false;
  const memo = fc.facts.memo('testfail.failureChannels', () => new Map<LocalVar, boolean>());
  let r = memo.get(v);
  if (r === undefined) memo.set(v, (r = failureChannel(fc, v)));
  return r;
}

function failureChannel(fc: FuncCtx, v: LocalVar): boolean {
  if (!localChan(fc, v)) return false;
  let receives = 0;
  for (const u of chanUses(fc, v)) {
    if (u.kind === 'send' || u.kind === 'guarded-send') continue;
    const cc = u.kind === 'recv' ? u.op.parent?.parent : undefined;
    if (cc?.type === 'communication_case' && recvChannel(cc) === u.ref && blockFails(fc, cc)) {
      receives++;
      continue;
    }
    return false;
  }
  return receives > 0;
}

/**
 * True when statement `n` lies in a branch of its function entered only after a testify
 * assertion reported a failure: the body of `if !assert.NoError(t, err) { ... }`, the
 * `else` of `if assert.True(t, ok) { ... }`, and combinations with `&&`, `||` and `!`.
 * Every function of testify's `assert` package (and method of `assert.Assertions`) that
 * takes the test first returns `ok bool`, false exactly when it called `t.Errorf` through
 * `Fail` (assert/assertions.go: `return Fail(t, ...)`), so in that branch the test has
 * already failed. A Go block is entered only through its `if` (a goto cannot jump into a
 * block: spec "Goto statements"), so every statement inside is on a failed run.
 */
export function inFailedBranch(fc: FuncCtx, n: Node): boolean {
  const testify = importsAssert(fc);
  const helpers = mayFail(fc);
  if (!testify && !helpers) return false;
  for (let c: Node = n, p = n.parent; p; c = p, p = p.parent) {
    if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') return false;
    if (p.type !== 'if_statement') continue;
    const cond = field(p, 'condition');
    if (!cond) continue;
    const arm = c === field(p, 'consequence') ? true : c === field(p, 'alternative') ? false : undefined;
    if (arm === undefined) continue;
    if (testify && !field(p, 'initializer') && failedWhen(fc, cond, arm)) return true;
    if (helpers && failedErrorCheck(fc, cond, arm)) return true;
  }
  return false;
}

/** Which arm of if statement `s` runs only after the test has failed ({@link inFailedBranch}'s conditions), if one does. */
export function failedArm(fc: FuncCtx, s: Node): 'consequence' | 'alternative' | undefined {
  const cond = field(s, 'condition');
  if (!cond || s.type !== 'if_statement') return undefined;
  const testify = !field(s, 'initializer') && importsAssert(fc);
  for (const arm of [true, false]) {
    if ((testify && failedWhen(fc, cond, arm)) || (mayFail(fc) && failedErrorCheck(fc, cond, arm))) return arm ? 'consequence' : 'alternative';
  }
  return undefined;
}

/** Files that import testify's assert package (asked for every CFG statement a barrier tests: one text search per file). */
const assertFiles = new WeakMap<object, boolean>();

function importsAssert(fc: FuncCtx): boolean {
  let v = assertFiles.get(fc.file);
  if (v === undefined) assertFiles.set(fc.file, (v = fc.file.text.includes('github.com/stretchr/testify/assert')));
  return v;
}

/** Whether `fc`'s file names a failing method at all (`.Error(`, `.Fatalf(`...): helpers that fail the test can only be there or in the package. */
function mayFail(fc: FuncCtx): boolean {
  return fc.facts.memo('testfail.mayFail', () => fc.facts.pkg.files.some((f) => FAILING_NAME.test(f.text)));
}

/**
 * `err != nil` (`value` true) or `err == nil` (`value` false) where `err` is the error a
 * same-package helper returned, never assigned again, and the helper returns a non-nil
 * error only after failing the test (`accept(t, ln)` that calls `t.Error(err)` and then
 * returns it): the arm runs only in a failed test.
 */
function failedErrorCheck(fc: FuncCtx, cond: Node, value: boolean): boolean {
  const u = unparen(cond);
  if (u.type !== 'binary_expression') return false;
  const op = fc.text(u.children.find((x) => !x.named) ?? u);
  if ((op !== '!=' && op !== '==') || (op === '!=') !== value) return false;
  const l = field(u, 'left');
  const r = field(u, 'right');
  const isNil = (e: Node | undefined): boolean => !!e && (unparen(e).type === 'nil' || (unparen(e).type === 'identifier' && fc.text(unparen(e)) === 'nil' && !fc.res.localOf(unparen(e))));
  const x = isNil(r) ? l : isNil(l) ? r : undefined;
  const xu = x ? unparen(x) : undefined;
  const v = xu?.type === 'identifier' ? fc.res.localOf(xu) : undefined;
  if (!v || v.kind !== 'var' || !v.init) return false;
  const call = unparen(v.init.expr);
  if (call.type !== 'call_expression') return false;
  if ((fc.res.refs.get(v) ?? []).some((id) => id !== v.ident && isAssigned(id))) return false;
  return errorOnlyAfterFailure(fc, call, v.init.index, v.init.count);
}

/** Whether result `i` of `n` of the same-package function `call` calls is non-nil only on paths that have failed the test. */
function errorOnlyAfterFailure(fc: FuncCtx, call: Node, i: number, n: number): boolean {
  const callee = fc.res.callee(call);
  const decl = callee.kind === 'func' && callee.obj.pkg === fc.facts.pkg && callee.obj.kind === 'func' ? callee.obj.node : callee.kind === 'method' && callee.method.pkg === fc.facts.pkg.importPath ? callee.method.decl : undefined;
  const body = decl ? field(decl, 'body') : undefined;
  if (!decl || !body) return false;
  // By declaration node, then result position (an offset alone is not unique across files).
  const memos = fc.facts.memo('testfail.errAfterFailure', () => new Map<Node, Map<string, boolean>>());
  let memo = memos.get(decl);
  if (!memo) memos.set(decl, (memo = new Map()));
  const key = `${i}/${n}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  memo.set(key, false); // recursion guard
  const dfc = fc.facts.funcCtxOfDecl(decl);
  const g = dfc?.cfg();
  let ok = !!dfc && !!g;
  // At least one return hands back an error (after failing the test): a function that never
  // does is not a failing helper, and a branch on its error is another question.
  let fails = 0;
  if (dfc && g) {
    walk(body, (x) => {
      if (!ok || x.type === 'func_literal') return false;
      if (x.type !== 'return_statement') return undefined;
      const results = exprList(named(x)[0]);
      // A bare return of named results: the value is not read here.
      if (results.length !== n) ok = false;
      else {
        const rv = unparen(results[i] as Node);
        const nil = rv.type === 'nil' || (rv.type === 'identifier' && dfc.text(rv) === 'nil' && !dfc.res.localOf(rv));
        if (!nil && reachesFromEntry(g, x, (y) => failsTestAt(dfc, y))) ok = false;
        else if (!nil) fails++;
      }
      return false;
    });
  }
  ok &&= fails > 0;
  memo.set(key, ok);
  return ok;
}

/** True when condition `e` having the value `value` means a testify assertion in it failed. */
function failedWhen(fc: FuncCtx, e: Node, value: boolean): boolean {
  const u = unparen(e);
  if (u.type === 'unary_expression' && fc.text(field(u, 'operator') ?? u) === '!') {
    const o = field(u, 'operand');
    return !!o && failedWhen(fc, o, !value);
  }
  if (u.type === 'binary_expression') {
    const op = fc.text(field(u, 'operator') ?? u);
    const l = field(u, 'left');
    const r = field(u, 'right');
    if (!l || !r || (op !== '&&' && op !== '||')) return false;
    // `a && b` true: both true; false: one of them false (which one is unknown). Dually for `||`.
    const both = (op === '&&') === value;
    return both ? failedWhen(fc, l, value) || failedWhen(fc, r, value) : failedWhen(fc, l, value) && failedWhen(fc, r, value);
  }
  return !value && u.type === 'call_expression' && isBoolAssertion(fc, u);
}

/** `assert.X(t, ...)` with a testing value first, or `a.X(...)` on an `*assert.Assertions`. */
function isBoolAssertion(fc: FuncCtx, call: Node): boolean {
  const fn = field(call, 'function');
  const f = fn ? unparen(fn) : undefined;
  if (f?.type !== 'selector_expression') return false;
  const op = field(f, 'operand');
  if (!op) return false;
  const imp = fc.res.importOf(op);
  if (imp !== undefined) {
    if (imp !== 'github.com/stretchr/testify/assert') return false;
    // The package's helpers without a test argument (`ObjectsAreEqual`, `CallerInfo`) fail nothing.
    const first = callArgsOf(call)[0];
    const t = first ? deref(fc.res.typeOf(first)) : undefined;
    return !!t && t.kind === 'named' && ((t.pkg === 'testing' && TESTING_TYPES.has(t.name)) || mirrorsTestingTB(t));
  }
  const t = deref(fc.res.typeOf(op));
  if (t.kind === 'named') return t.pkg === 'github.com/stretchr/testify/assert' && t.name === 'Assertions';
  // Without testify's source at hand, a local declared `a := assert.New(t)` has the type
  // New returns, `*assert.Assertions` (a later assignment cannot change a variable's type).
  const v = unparen(op).type === 'identifier' ? fc.res.localOf(unparen(op)) : undefined;
  const init = v?.init && v.init.count === 1 && !v.typeExpr ? unparen(v.init.expr) : undefined;
  const newFn = init?.type === 'call_expression' ? field(init, 'function') : undefined;
  const sel = newFn ? unparen(newFn) : undefined;
  if (sel?.type !== 'selector_expression') return false;
  const pkgOp = field(sel, 'operand');
  return !!pkgOp && fc.res.importOf(pkgOp) === 'github.com/stretchr/testify/assert' && fc.text(field(sel, 'field') ?? sel) === 'New';
}

/**
 * True when every path from CFG statement `from` (exclusive) to the end of its function
 * `fn` runs a call that fails the test (or never returns: a `t.Fatal` or panic ends the
 * path at the CFG's abort block, which is no return).
 */
export function failsBeforeReturn(fc: FuncCtx, fn: Node, from: Node): boolean {
  const g = fc.cfg(fn);
  if (!g || !g.where.has(from)) return false;
  return findEscapingPath(g, from, (n) => failsTestAt(fc, n)) === null;
}

/** A same-package function or method whose every path to a normal return fails the test. */
function sameFuncFails(fc: FuncCtx, call: Node): boolean {
  const callee = fc.res.callee(call);
  const decl = callee.kind === 'func' && callee.obj.pkg === fc.facts.pkg && callee.obj.kind === 'func' ? callee.obj.node : callee.kind === 'method' && callee.method.pkg === fc.facts.pkg.importPath ? callee.method.decl : undefined;
  if (!decl) return false;
  const file = fc.facts.pkg.fileOf(decl);
  // Only a function that names a failing method can fail the test by itself.
  if (!file || !FAILING_NAME.test(file.text.slice(decl.start, decl.end))) return false;
  const memo = fc.facts.memo('testfail.funcs', () => new Map<Node, boolean>());
  const known = memo.get(decl);
  if (known !== undefined) return known;
  memo.set(decl, false); // recursion guard
  const dfc = fc.facts.funcCtxOfDecl(decl);
  const g = dfc?.cfg();
  const fails = !!dfc && !!g && alwaysFails(dfc, g);
  memo.set(decl, fails);
  return fails;
}

/** Every path from the entry of `g` to its exit passes a failing call (and some path does reach the exit). */
function alwaysFails(fc: FuncCtx, g: CFG): boolean {
  if (!reachableBlocks(g.entry).has(g.exit)) return false; // never returns: noReturn's business
  const seen = new Set<Block>([g.entry]);
  const stack: Block[] = [g.entry];
  while (stack.length > 0) {
    const b = stack.pop() as Block;
    if (b === g.exit) return false;
    if (b.nodes.some((n) => failsTestAt(fc, n))) continue;
    for (const s of b.succs) {
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(s);
    }
  }
  return true;
}

const TRUE_ASSERTS = new Set(['True', 'Truef']);
const NO_ERROR_ASSERTS = new Set(['NoError', 'NoErrorf', 'Nil', 'Nilf']);

/**
 * True when return statement `ret` of function declaration `decl` makes every caller in
 * the package fail the test: it returns `false` (or a new non-nil error) as a result that
 * each caller asserts right away — `ok := wait(...); require.True(t, ok)`, `if !wait() {
 * t.Fatal(...) }`, `err := run(); require.NoError(t, err)`, `if err != nil { t.Fatal(err) }`.
 * The helper that gives up ("timed out, return false") abandons its goroutine only in a
 * run the test reports as failed. False when the function has no caller in the package
 * (an exported helper other packages may call without asserting).
 */
export function failingReturn(fc: FuncCtx, decl: Node, ret: Node): boolean {
  if (ret.type !== 'return_statement' || decl !== fc.decl) return false;
  const results = exprList(named(ret)[0]);
  const failing: Array<{ i: number; kind: 'false' | 'error' }> = [];
  results.forEach((r, i) => {
    const u = unparen(r);
    if (u.type === 'false' || (u.type === 'identifier' && fc.text(u) === 'false' && !fc.res.localOf(u))) failing.push({ i, kind: 'false' });
    else if (u.type === 'call_expression' && /^(?:errors\.New|fmt\.Errorf)$/.test(importedName(fc, u) ?? '')) failing.push({ i, kind: 'error' });
  });
  if (failing.length === 0) return false;
  const calls = callersInPackage(fc, decl);
  if (calls.length === 0) return false;
  return calls.every(({ fc: cfc, call }) => failing.some((f) => assertsResult(cfc, call, f.i, results.length, f.kind)));
}

function importedName(fc: FuncCtx, call: Node): string | undefined {
  const f = field(call, 'function');
  const u = f ? unparen(f) : undefined;
  if (u?.type !== 'selector_expression') return undefined;
  const op = field(u, 'operand');
  const fl = field(u, 'field');
  const ip = op ? fc.res.importOf(op) : undefined;
  return ip && fl ? `${ip}.${fc.text(fl)}` : undefined;
}

/** Every call of `decl` in the package's function declarations (memoised per declaration). */
function callersInPackage(fc: FuncCtx, decl: Node): Array<{ fc: FuncCtx; call: Node }> {
  const memo = fc.facts.memo('testfail.callers', () => new Map<Node, Array<{ fc: FuncCtx; call: Node }>>());
  const known = memo.get(decl);
  if (known) return known;
  const nameNode = field(decl, 'name');
  const name = nameNode ? fc.text(nameNode) : undefined;
  const out: Array<{ fc: FuncCtx; call: Node }> = [];
  if (name) {
    const re = new RegExp(`\\b${name}\\b`);
    for (const { decl: d, file } of fc.facts.pkg.funcDecls) {
      if (!re.test(file.text.slice(d.start, d.end))) continue;
      const cfc = fc.facts.funcCtx(d, file);
      walk(d, (n) => {
        if (n.type !== 'call_expression') return;
        const c = cfc.res.callee(n);
        const target = c.kind === 'func' && c.obj.pkg === fc.facts.pkg ? c.obj.node : c.kind === 'method' && c.method.pkg === fc.facts.pkg.importPath ? c.method.decl : undefined;
        if (target === decl) out.push({ fc: cfc, call: n });
      });
    }
  }
  memo.set(decl, out);
  return out;
}

/**
 * True when the caller fails the test whenever result `i` of `call` is false (`kind`
 * 'false') or a non-nil error ('error'): the call is the asserted expression itself, or
 * the result is assigned to a local that the next statements assert before anything
 * returns.
 */
function assertsResult(fc: FuncCtx, call: Node, i: number, n: number, kind: 'false' | 'error'): boolean {
  const p = call.parent;
  if (n === 1 && p && assertsValue(fc, p, call, kind)) return true;
  // `ok := wait()`, `_, ok := collect()`, `err = run()`
  const list = p?.type === 'expression_list' ? p : undefined;
  const asg = list?.parent;
  if (!asg || (asg.type !== 'short_var_declaration' && asg.type !== 'assignment_statement') || list?.field !== 'right' || exprList(list).length !== 1) return false;
  const left = exprList(field(asg, 'left'))[i];
  const v = left && unparen(left).type === 'identifier' ? fc.res.localOf(unparen(left)) : undefined;
  if (!v) return false;
  // The statements after the assignment in its block, up to the first that returns.
  const block = asg.parent;
  if (!block) return false;
  const stmts = named(block);
  for (let k = stmts.indexOf(asg) + 1; k < stmts.length; k++) {
    const st = stmts[k] as Node;
    if (assertsStmt(fc, st, v, kind)) return true;
    let stops = false;
    walk(st, (x) => {
      if (x.type === 'func_literal') return false;
      if (x.type === 'return_statement' || x.type === 'go_statement') stops = true;
      // A later assignment of the variable makes the assertion about another value.
      if (x.type === 'identifier' && fc.res.localOf(x) === v && isAssigned(x)) stops = true;
      return undefined;
    });
    if (stops) return false;
  }
  return false;
}

function isAssigned(id: Node): boolean {
  const l = id.parent?.type === 'expression_list' ? id.parent : undefined;
  return !!l && l.field === 'left';
}

/** Statement `st` fails the test when local `v` is false / a non-nil error. */
function assertsStmt(fc: FuncCtx, st: Node, v: LocalVar, kind: 'false' | 'error'): boolean {
  const isV = (e: Node | undefined): boolean => !!e && unparen(e).type === 'identifier' && fc.res.localOf(unparen(e)) === v;
  if (st.type === 'expression_statement') {
    const c = named(st)[0];
    if (c?.type !== 'call_expression') return false;
    const args = callArgsOf(c);
    return testifyAssert(fc, c, kind) && isV(args[1]);
  }
  if (st.type === 'if_statement') {
    if (field(st, 'initializer')) return false;
    const cond = field(st, 'condition');
    const cons = field(st, 'consequence');
    if (!cond || !cons || !blockFails(fc, cons)) return false;
    const c = unparen(cond);
    if (kind === 'false') return c.type === 'unary_expression' && fc.text(field(c, 'operator') ?? c) === '!' && isV(field(c, 'operand'));
    return c.type === 'binary_expression' && fc.text(field(c, 'operator') ?? c) === '!=' && isV(field(c, 'left')) && fc.text(field(c, 'right') ?? c) === 'nil';
  }
  return false;
}

/** The call `c` is the asserted expression: `require.True(t, wait())`, `if !wait() { t.Fatal() }`. */
function assertsValue(fc: FuncCtx, p: Node, c: Node, kind: 'false' | 'error'): boolean {
  if (kind === 'false' && p.type === 'argument_list' && named(p)[1] === c) {
    const outer = p.parent;
    return !!outer && outer.type === 'call_expression' && testifyAssert(fc, outer, kind) && outer.parent?.type === 'expression_statement';
  }
  if (kind === 'false' && p.type === 'unary_expression' && fc.text(field(p, 'operator') ?? p) === '!') {
    const ifs = p.parent;
    const cons = ifs?.type === 'if_statement' && field(ifs, 'condition') === p ? field(ifs, 'consequence') : undefined;
    return !!cons && blockFails(fc, cons);
  }
  return false;
}

function testifyAssert(fc: FuncCtx, c: Node, kind: 'false' | 'error'): boolean {
  const n = importedName(fc, c);
  if (!n) return false;
  const dot = n.lastIndexOf('.');
  return TESTIFY.has(n.slice(0, dot)) && (kind === 'false' ? TRUE_ASSERTS : NO_ERROR_ASSERTS).has(n.slice(dot + 1));
}

/** A block whose every path fails the test (or never returns: t.Fatal, panic). */
function blockFails(fc: FuncCtx, block: Node): boolean {
  let fails = false;
  let exits = false;
  for (const st of named(block)) {
    const s = st.type === 'statement_list' ? named(st) : [st];
    for (const x of s) {
      if (fails) break;
      if (x.type === 'expression_statement') {
        const c = named(x)[0];
        if (c?.type === 'call_expression' && (failsTest(fc, c) || fc.facts.noReturn(fc, c))) fails = true;
      } else if (x.type === 'return_statement' || x.type === 'break_statement' || x.type === 'continue_statement' || x.type === 'goto_statement') exits = true;
    }
    if (fails || exits) break;
  }
  return fails;
}

function callArgsOf(c: Node): readonly Node[] {
  const a = field(c, 'arguments');
  return a ? named(a) : [];
}

/**
 * True when goroutine literal `lit` returning at `ret` makes the function that started it
 * fail the test: the waiter's only way on is a value on a channel this goroutine alone
 * delivers, and every other way fails.
 *
 * The shape (`go func() { ...; if err != nil { return }; ...; end <- err }()` then
 * `select { case err := <-end: ...; case <-time.After(d): t.Fatal("timeout") }`):
 * - `lit` is started by a `go` statement outside any loop of its enclosing function T;
 * - a channel `c`, a local of T, is used only by sends and closes inside `lit` (none
 *   deferred) and by one receive, a case of a select S in T with no `default`; every other
 *   case of S fails the test ({@link blockFails}) and one of them waits for a timer
 *   (`time.After(d)`, directly or through a local), so S cannot wait forever;
 * - every path of T from the go statement to a return passes S or fails the test;
 * - no send or close of `c` in `lit` can run before `ret` (no CFG path from one to `ret`).
 * Then on that return nothing is ever delivered on `c`, S takes a failing case, and the
 * run is one `go test` reports as failed.
 */
export function goroutineReturnFailsTest(fc: FuncCtx, lit: Node, ret: Node): boolean {
  if (lit.type !== 'func_literal') return false;
  const goStmt = lit.parent?.type === 'call_expression' && lit.field === 'function' ? lit.parent.parent : undefined;
  if (goStmt?.type !== 'go_statement') return false;
  let T: Node | undefined;
  for (let p = goStmt.parent; p; p = p.parent) {
    if (p.type === 'for_statement') return false;
    if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') {
      T = p;
      break;
    }
  }
  const tBody = T ? field(T, 'body') : undefined;
  if (!T || !tBody) return false;
  const memo = fc.facts.memo('testfail.goroutineWaits', () => new Map<Node, { sel: Node; sends: Node[] } | null>());
  let w = memo.get(lit);
  if (w === undefined) {
    w = failingWait(fc, T, tBody, goStmt, lit) ?? null;
    memo.set(lit, w);
  }
  if (!w) return false;
  const g = fc.cfg(lit);
  if (!g || !g.where.has(ret)) return false;
  return w.sends.every((s) => {
    const at = cfgNodeOf(g, s);
    return !!at && at !== ret && !nodeReaches(g, at, ret);
  });
}

/** The select of T that only a delivery from `lit` lets pass without failing, and lit's deliveries. */
function failingWait(fc: FuncCtx, T: Node, tBody: Node, goStmt: Node, lit: Node): { sel: Node; sends: Node[] } | undefined {
  // Candidate selects of T (not of nested literals) with a failing timer case.
  const sels: Node[] = [];
  walk(tBody, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'select_statement') sels.push(n);
    return undefined;
  });
  const gT = fc.cfg(T);
  const goAt = gT ? cfgNodeOf(gT, goStmt) : undefined;
  if (!gT || !goAt) return undefined;
  for (const sel of sels) {
    const cases = sel.children.filter((c) => c.type === 'communication_case' || c.type === 'default_case');
    if (cases.some((c) => c.type === 'default_case')) continue;
    let chan: LocalVar | undefined;
    let timer = false;
    let ok = true;
    for (const cc of cases) {
      const ch = recvChannel(cc);
      const v = ch?.type === 'identifier' ? fc.res.localOf(ch) : undefined;
      if (v && v.func === T && !chan && !blockFails(fc, cc) && isMadeChan(fc, v)) {
        chan = v;
        continue;
      }
      if (!blockFails(fc, cc)) {
        ok = false;
        break;
      }
      if (ch && isTimerChan(fc, ch)) timer = true;
    }
    if (!ok || !chan || !timer) continue;
    // Every use of the channel: its declaration, the one receive in `sel`, and sends/closes in `lit`.
    const sends: Node[] = [];
    let clean = true;
    const v = chan;
    walk(T, (n) => {
      if (!clean || n.type !== 'identifier' || fc.res.localOf(n) !== v || n === v.ident) return undefined;
      const p = n.parent;
      const inLit = n.start >= lit.start && n.end <= lit.end;
      const d = inLit ? deliveryOf(fc, n, lit) : undefined;
      if (d) sends.push(d);
      else if (!(p?.type === 'unary_expression' && n.start >= sel.start && n.end <= sel.end && recvChannel(p.parent?.parent ?? p) === n)) clean = false;
      return undefined;
    });
    if (!clean || sends.length === 0) continue;
    const comms = new Set(cases.map((c) => field(c, 'communication')).filter((x): x is Node => !!x));
    if (findEscapingPath(gT, goAt, (n) => comms.has(n) || failsTestAt(fc, n)) !== null) continue;
    return { sel, sends };
  }
  return undefined;
}

/** The channel expression a select case receives from (`case <-c:`, `case v := <-c:`). */
function recvChannel(cc: Node): Node | undefined {
  const comm = cc.type === 'communication_case' ? field(cc, 'communication') : undefined;
  if (comm?.type !== 'receive_statement') return undefined;
  const r = field(comm, 'right');
  const u = r ? unparen(r) : undefined;
  if (u?.type !== 'unary_expression') return undefined;
  const op = field(u, 'operand');
  return op ? unparen(op) : undefined;
}

/** `v := make(chan T[, n])`: a channel made by the function itself. */
function isMadeChan(fc: FuncCtx, v: LocalVar): boolean {
  const init = v.init && v.init.count === 1 ? unparen(v.init.expr) : undefined;
  const f = init?.type === 'call_expression' ? field(init, 'function') : undefined;
  return !!f && fc.text(f) === 'make' && !fc.res.localOf(f);
}

/** `time.After(d)`, or a local set once from it (`timeout := time.After(d)`). */
function isTimerChan(fc: FuncCtx, ch: Node): boolean {
  const u = unparen(ch);
  const isAfter = (e: Node): boolean => e.type === 'call_expression' && importedName(fc, e) === 'time.After';
  if (isAfter(u)) return true;
  const v = u.type === 'identifier' ? fc.res.localOf(u) : undefined;
  const init = v?.init && v.init.count === 1 ? unparen(v.init.expr) : undefined;
  return !!init && isAfter(init);
}

/**
 * The CFG-level statement of `lit` that delivers on the channel at identifier `id` (a send
 * `c <- x` or `close(c)` directly in `lit`, not deferred), or undefined for any other use.
 */
function deliveryOf(fc: FuncCtx, id: Node, lit: Node): Node | undefined {
  const p = id.parent;
  let stmt: Node | undefined;
  if (p?.type === 'send_statement' && field(p, 'channel') === id) stmt = p;
  else if (p?.type === 'argument_list' && p.parent?.type === 'call_expression') {
    const f = field(p.parent, 'function');
    if (f && fc.text(f) === 'close' && !fc.res.localOf(f)) stmt = p.parent;
  }
  if (!stmt) return undefined;
  for (let q = stmt.parent; q && q !== lit; q = q.parent) if (q.type === 'defer_statement' || q.type === 'func_literal' || q.type === 'go_statement') return undefined;
  return stmt;
}

/** How many failed-test returns {@link escapingPathPastFailedTests} steps past before it gives up. */
const MAX_FAILED_RETURNS = 8;

/**
 * A path of `fn` from CFG node `start` to its exit that passes no node for which `stop`
 * holds and does not end in a return of a run that has already failed the test
 * ({@link goroutineReturnFailsTest}): the search is repeated with each such return added
 * to the barriers (kept in `failing`, which a caller may share across start points), at
 * most {@link MAX_FAILED_RETURNS} searches in all. Undefined when there is no such path
 * or when the searches run out (precision first: the analysis does not know, it stays
 * silent). The returned `last` is the final `return` statement of the path, if any.
 */
export function escapingPathPastFailedTests(
  fc: FuncCtx,
  fn: Node,
  g: CFG,
  start: Node,
  stop: (n: Node) => boolean,
  failing: Set<Node> = new Set(),
): { last: Node | undefined } | undefined {
  const barrier = (n: Node): boolean => failing.has(n) || stop(n);
  for (let i = 0; i < MAX_FAILED_RETURNS; i++) {
    const path = findEscapingPath(g, start, barrier);
    if (!path) return undefined;
    const last = path.last;
    if (last?.type !== 'return_statement' || !goroutineReturnFailsTest(fc, fn, last)) return path;
    failing.add(last);
  }
  return undefined;
}
