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
import { findEscapingPath, reachableBlocks, type Block, type CFG } from '../go/cfg.js';
import { field, unparen, type Node } from '../go/syntax.js';
import { deref, type Type } from '../go/types.js';
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

/** True when CFG statement `n` (an expression statement, or a call) fails the test. */
export function failsTestAt(fc: FuncCtx, n: Node): boolean {
  const e = n.type === 'expression_statement' ? n.children.find((x) => x.named) : n;
  return !!e && e.type === 'call_expression' && failsTest(fc, e);
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
