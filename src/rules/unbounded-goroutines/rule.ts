/**
 * @fileoverview unbounded-goroutines: a `go` statement that runs once per element of
 * unbounded input: a loop over a slice, map or channel the function received as a
 * parameter (or a field of one), with nothing that bounds how many goroutines run at once
 * (a semaphore channel send or receive or `semaphore.Weighted.Acquire` in the loop or at
 * the start of the goroutine, a `WaitGroup.Wait` batch). Accept loops, one goroutine per
 * connection, are how Go servers work and are not reported (issue 11, family 8). The
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
import { underlying } from '../../go/types.js';

export default createRule({
  id: 'unbounded-goroutines',
  severity: 'info',
  // Opt-in: fan-out over a caller's slice is usually bounded by the caller, and on the
  // accuracy corpus this rule's findings were all but one on fixed programs (15 of 16).
  enabledByDefault: false,
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
        const input = unboundedInput(fc, loop);
        if (!input) return;
        if (bounded(fc, loop, n) || semaphoreInside(fc, n)) return;
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
function unboundedInput(fc: FuncCtx, loop: Node): string | undefined {
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
  // An accept loop (`for { c, _ := ln.Accept(); go serve(c) }`) is how every Go server
  // handles connections; its bound is the listener's and the peers', not this loop's
  // (issue 11, family 8).
  return undefined;
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
 * True when the goroutine itself acquires a slot of a shared semaphore before its work:
 * a send on a channel from outside it released by a deferred receive
 * (`sem <- struct{}{}; defer func() { <-sem }()`), a token taken from a shared channel and
 * given back by a deferred send, or semaphore.Weighted.Acquire. The
 * goroutines still start, but only so many do the work at once: the usual design.
 */
function semaphoreInside(fc: FuncCtx, goStmt: Node): boolean {
  const call = named(goStmt)[0];
  const f = call ? unparen(field(call, 'function') ?? call) : undefined;
  let bfc: FuncCtx | undefined = fc;
  let body: Node | undefined;
  if (f?.type === 'func_literal') body = f;
  else if (call) {
    const c = fc.res.callee(call);
    const decl = c.kind === 'func' && c.obj.pkg === fc.facts.pkg && c.obj.kind === 'func' ? c.obj.node : c.kind === 'method' ? c.method.decl : undefined;
    bfc = decl ? fc.facts.funcCtxOfDecl(decl) : undefined;
    body = decl;
  }
  if (!body || !bfc) return false;
  const g = bfc;
  // Channel operations on channels from outside the goroutine, by whether they are deferred.
  const ops = { send: new Set<string>(), recv: new Set<string>(), deferredSend: new Set<string>(), deferredRecv: new Set<string>() };
  let acquire = false;
  walk(body, (x) => {
    if (x !== body && x.type === 'func_literal' && !deferred(x)) return false;
    const later = insideDefer(x, body);
    if (x.type === 'send_statement') {
      const ch = field(x, 'channel');
      if (ch && !declaredIn(g, ch, body)) (later ? ops.deferredSend : ops.send).add(g.text(ch));
    } else if (x.type === 'unary_expression' && g.text(x).startsWith('<-')) {
      const op = field(x, 'operand');
      if (op && !declaredIn(g, op, body)) (later ? ops.deferredRecv : ops.recv).add(g.text(op));
    } else if (x.type === 'call_expression') {
      const c = g.res.callee(x);
      if (c.kind === 'method' && /^(?:Try)?Acquire$/.test(c.method.name) && c.method.pkg.endsWith('semaphore')) acquire = true;
    }
  });
  // `sem <- x; defer func() { <-sem }()`, or a token channel: `<-tokens; defer func() { tokens <- x }()`.
  return acquire || [...ops.send].some((c) => ops.deferredRecv.has(c)) || [...ops.recv].some((c) => ops.deferredSend.has(c));
}

function deferred(lit: Node): boolean {
  return lit.parent?.type === 'call_expression' && lit.parent.parent?.type === 'defer_statement';
}

function insideDefer(n: Node, body: Node): boolean {
  for (let p = n.parent; p && p !== body; p = p.parent) if (p.type === 'defer_statement') return true;
  return false;
}

/** True when the root variable of `e` is declared inside `body` (a channel of the goroutine's own). */
function declaredIn(fc: FuncCtx, e: Node, body: Node): boolean {
  let x = unparen(e);
  while (x.type === 'selector_expression') x = unparen(field(x, 'operand') ?? x);
  const v = x.type === 'identifier' ? fc.res.localOf(x) : undefined;
  return !!v && v.kind !== 'param' && v.ident.start >= body.start && v.ident.end <= body.end;
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
