/**
 * @fileoverview unbounded-goroutines: a `go` statement that runs once per element of
 * unbounded input: a loop over a slice, map or channel the function received as a
 * parameter (or a field of one), or an accept loop (`for { conn, err := ln.Accept(); go handle(conn) }`),
 * with nothing in the loop that bounds how many goroutines run at once (a semaphore
 * channel send or receive, `semaphore.Weighted.Acquire`, a `WaitGroup.Wait` batch). The
 * input's size decides the number of goroutines, and with it the memory (each
 * goroutine starts with a stack of at least 2 KiB and holds whatever it references).
 *
 * Severity info: fan-out over a caller's slice is often fine when the caller bounds it;
 * golang/go#36484 ("looped goroutines should raise a warning") was rejected for that
 * reason. Fixed worker pools (`for i := 0; i < N; i++` with a constant or
 * runtime.NumCPU()) are not unbounded input and are never reported.
 */
import { loopAround } from '../../analysis/loops.js';
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { isNamed, underlying } from '../../go/types.js';

export default createRule({
  id: 'unbounded-goroutines',
  severity: 'info',
  since: '0.2.0',
  category: 'goroutine-leak',
  description: 'A go statement runs once per element of unbounded input with no limit on how many goroutines run at once.',
  help:
    'Bound the concurrency: acquire a semaphore channel before go (sem <- struct{}{}; defer func() { <-sem }() in the goroutine), use errgroup.Group with SetLimit, semaphore.Weighted.Acquire, or a fixed pool of N workers reading from a channel.',
  triggers: /\bgo\s+(?:func\b|[\w.]+\s*[([])/,
  run(pass) {
    for (const fc of pass.functions()) {
      walk(fc.decl, (n) => {
        if (n.type !== 'go_statement') return;
        const fn = fc.res.enclosingFunc(n);
        const loop = loopAround(n, fn);
        if (!loop) return;
        const input = unboundedInput(fc, loop, n);
        if (!input) return;
        if (bounded(fc, loop, n)) return;
        const line = fc.file.line(n.start);
        const loopLine = fc.file.line(loop.start);
        pass.report({
          node: n,
          file: fc.file,
          message: `go statement at line ${line} starts one goroutine per ${input} in the loop at line ${loopLine}, and nothing in the loop bounds how many run at once (no semaphore, errgroup SetLimit or worker pool): a large input starts that many goroutines`,
          fixHint: 'acquire a semaphore before the go statement (sem <- struct{}{} with a buffered sem, released with defer func() { <-sem }() in the goroutine), use errgroup.Group with SetLimit(n), or a fixed pool of workers reading from a channel',
        });
      });
    }
  },
});

/** Describes the unbounded input the loop iterates over, or undefined when it is bounded. */
function unboundedInput(fc: FuncCtx, loop: Node, goStmt: Node): string | undefined {
  const rc = loop.children.find((c) => c.type === 'range_clause');
  if (rc) {
    const right = field(rc, 'right');
    if (!right) return undefined;
    const t = underlying(fc.res.typeOf(right));
    const kind = t.kind === 'slice' ? 'element' : t.kind === 'map' ? 'map entry' : t.kind === 'chan' ? 'value received' : undefined;
    if (!kind) return undefined;
    const v = rootParam(fc, right);
    return v ? `${kind} of "${fc.text(right)}" (from parameter "${v.name}")` : undefined;
  }
  const fcl = loop.children.find((c) => c.type === 'for_clause');
  if (fcl) {
    // for i := 0; i < len(xs); i++ over a parameter slice.
    const cond = field(fcl, 'condition');
    const r = cond?.type === 'binary_expression' ? field(cond, 'right') : undefined;
    const call = r && unparen(r);
    if (call?.type !== 'call_expression' || fc.text(field(call, 'function') ?? call) !== 'len') return undefined;
    const arg = named(field(call, 'arguments') ?? call)[0];
    if (!arg || underlying(fc.res.typeOf(arg)).kind !== 'slice') return undefined;
    const v = rootParam(fc, arg);
    return v ? `element of "${fc.text(arg)}" (from parameter "${v.name}")` : undefined;
  }
  if (loop.children.some((c) => c.field === 'condition')) return undefined;
  // for { conn, err := ln.Accept(); ...; go handle(conn) }
  if (!fc.text(loop).includes('Accept')) return undefined;
  let accept: Node | undefined;
  walk(field(loop, 'body') ?? loop, (x) => {
    if (accept || x.type === 'func_literal') return false;
    if (x.type !== 'call_expression' || x.start > goStmt.start) return;
    const c = fc.res.callee(x);
    if (c.kind === 'method' && c.method.pkg === 'net' && /^Accept/.test(c.method.name)) accept = x;
    // Interface method calls (net.Listener.Accept) have no declaration to resolve to.
    const f = unparen(field(x, 'function') ?? x);
    const op = f.type === 'selector_expression' ? field(f, 'operand') : undefined;
    const name = f.type === 'selector_expression' ? field(f, 'field') : undefined;
    if (op && name && fc.text(name) === 'Accept' && isNamed(fc.res.typeOf(op), 'net', 'Listener')) accept = x;
  });
  return accept ? `connection accepted at line ${fc.file.line(accept.start)}` : undefined;
}

/** The parameter at the root of `x`, `x.f`, `*x`, `x[i]`. */
function rootParam(fc: FuncCtx, e: Node): LocalVar | undefined {
  let n = unparen(e);
  while (n.type === 'selector_expression' || n.type === 'unary_expression' || n.type === 'index_expression') {
    const op = field(n, 'operand');
    if (!op) return undefined;
    n = unparen(op);
  }
  const v = n.type === 'identifier' ? fc.res.localOf(n) : undefined;
  // Only parameters: a receiver's own collections (hooks, connections, the few copy
  // goroutines of an exec.Cmd) are bounded by the type itself far more often than not
  // (stdlib triage: net/http Server.onShutdown, httptest Server.conns, os/exec Cmd).
  return v && v.kind === 'param' ? v : undefined;
}

/**
 * True when the loop body (outside goroutines) does something that limits how many
 * goroutines run at once: a channel send or receive (a semaphore or token channel), a
 * semaphore Acquire, or a WaitGroup.Wait (batches).
 */
function bounded(fc: FuncCtx, loop: Node, goStmt: Node): boolean {
  let found = false;
  walk(field(loop, 'body') ?? loop, (x) => {
    if (found || x === goStmt || x.type === 'func_literal') return false;
    if (x.type === 'send_statement') found = true;
    else if (x.type === 'unary_expression' && fc.text(x).startsWith('<-')) found = true;
    else if (x.type === 'call_expression') {
      const c = fc.res.callee(x);
      if (c.kind !== 'method') return;
      if (/^(?:Try)?Acquire$/.test(c.method.name) && c.method.pkg.endsWith('semaphore')) found = true;
      if (c.fullName === 'sync.WaitGroup.Wait') found = true;
    }
    return !found;
  });
  return found;
}
