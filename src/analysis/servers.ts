/**
 * @fileoverview Library semantics of stoppable servers (program/stdlib.ts,
 * STOPPABLE_SERVERS): a goroutine that runs `srv.ListenAndServe()` and sends its error
 * only when it is not `http.ErrServerClosed` sends nothing once the function that
 * started it has called `srv.Shutdown(ctx)` or `srv.Close()`: from then on the serving
 * call returns the sentinel. A receiver that stops the server before it returns leaves
 * no sender behind (ts#16 in the spot triage).
 */
import { field, named, unparen, walk, type Node } from '../go/syntax.js';
import { deref } from '../go/types.js';
import { STOPPABLE_SERVERS } from './program/stdlib.js';
import type { FuncCtx } from './pass.js';

/** `pkg.Type` of a stoppable server the method call `call` is made on, with the method name. */
function serverCall(fc: FuncCtx, call: Node): { key: string; method: string; recv: Node } | undefined {
  const f = field(call, 'function');
  const sel = f ? unparen(f) : undefined;
  if (sel?.type !== 'selector_expression') return undefined;
  const op = field(sel, 'operand');
  const fl = field(sel, 'field');
  if (!op || !fl) return undefined;
  const t = deref(fc.res.typeOf(op));
  const key = t.kind === 'named' ? `${t.pkg}.${t.name}` : declaredTypeName(fc, unparen(op));
  if (!key) return undefined;
  return STOPPABLE_SERVERS.has(key) ? { key, method: fc.text(fl), recv: unparen(op) } : undefined;
}

/** True when `e` denotes the sentinel `closedErr` (`http.ErrServerClosed`). */
function isSentinel(fc: FuncCtx, e: Node | undefined, closedErr: string): boolean {
  const u = e ? unparen(e) : undefined;
  if (u?.type !== 'selector_expression') return false;
  const op = field(u, 'operand');
  const fl = field(u, 'field');
  const ip = op ? fc.res.importOf(op) : undefined;
  return !!ip && !!fl && `${ip}.${fc.text(fl)}` === closedErr;
}

/** `err != S`, `!errors.Is(err, S)`, or a conjunction holding one of them. */
function excludesSentinel(fc: FuncCtx, cond: Node, closedErr: string): boolean {
  const c = unparen(cond);
  if (c.type === 'binary_expression') {
    const op = fc.text(field(c, 'operator') ?? c);
    const l = field(c, 'left');
    const r = field(c, 'right');
    if (op === '&&') return (!!l && excludesSentinel(fc, l, closedErr)) || (!!r && excludesSentinel(fc, r, closedErr));
    if (op === '!=') return isSentinel(fc, l, closedErr) || isSentinel(fc, r, closedErr);
    return false;
  }
  if (c.type === 'unary_expression' && fc.text(field(c, 'operator') ?? c) === '!') {
    const x = field(c, 'operand');
    const call = x ? unparen(x) : undefined;
    if (call?.type !== 'call_expression') return false;
    const fn = field(call, 'function');
    const fu = fn ? unparen(fn) : undefined;
    const op = fu?.type === 'selector_expression' ? field(fu, 'operand') : undefined;
    if (!op || fc.res.importOf(op) !== 'errors' || fc.text(field(fu as Node, 'field') ?? fu as Node) !== 'Is') return false;
    const args = named(field(call, 'arguments') ?? call);
    return isSentinel(fc, args[1], closedErr);
  }
  return false;
}

/**
 * When goroutine body `body` serves a stoppable server `srv` and each of `sends` sits in the
 * consequence of an `if` that excludes the server's closed sentinel, a predicate telling
 * whether statement `n` of the starting function `fn` stops that server (`srv.Shutdown(ctx)`,
 * `srv.Close()`, the same receiver text), or 'always' when `fn` defers the stop.
 * Undefined when the shape does not hold.
 */
export function serverStopped(fc: FuncCtx, fn: Node, body: { fc: FuncCtx; fn: Node }, sends: Node[]): ((n: Node) => boolean) | 'always' | undefined {
  if (sends.length === 0) return undefined;
  let served: { key: string; recv: string } | undefined;
  let other = false;
  walk(body.fn, (n) => {
    if (n.type !== 'call_expression') return;
    const s = serverCall(body.fc, n);
    if (!s || !STOPPABLE_SERVERS.get(s.key)?.serve.has(s.method)) return;
    const recv = body.fc.text(s.recv);
    if (served && served.recv !== recv) other = true;
    served = { key: s.key, recv };
  });
  if (!served || other) return undefined;
  const info = STOPPABLE_SERVERS.get(served.key);
  if (!info) return undefined;
  const filtered = (x: Node): boolean => {
    for (let p = x.parent, child: Node = x; p && p !== body.fn; child = p, p = p.parent) {
      if (p.type !== 'if_statement' || field(p, 'consequence') !== child) continue;
      const cond = field(p, 'condition');
      if (cond && excludesSentinel(body.fc, cond, info.closedErr)) return true;
    }
    return false;
  };
  if (!sends.every(filtered)) return undefined;
  const recvText = served.recv;
  const stops = (roots: Array<Node | undefined>): boolean => {
    let hit = false;
    for (const r of roots) {
      if (r) walk(r, (x) => {
        if (hit || x.type === 'func_literal') return false;
        if (x.type !== 'call_expression') return undefined;
        const s = serverCall(fc, x);
        if (s && info.stop.has(s.method) && fc.text(s.recv) === recvText) hit = true;
        return undefined;
      });
    }
    return hit;
  };
  // A `defer srv.Shutdown(ctx)` of the starting function stops it on every return.
  let deferred = false;
  walk(fn, (x) => {
    if (x !== fn && x.type === 'func_literal') return false;
    if (x.type === 'defer_statement' && stops([named(x)[0]])) deferred = true;
    return undefined;
  });
  if (deferred) return 'always';
  return (n: Node): boolean => {
    if (n.type === 'if_statement') return stops([field(n, 'initializer'), field(n, 'condition')]);
    return n.type === 'expression_statement' || n.type === 'assignment_statement' || n.type === 'short_var_declaration' ? stops([n]) : false;
  };
}

/**
 * `importpath.Name` of the type a local was declared or initialised with, read from its
 * syntax when the package holding the type is not loaded (`srv := &http.Server{...}`,
 * `var srv http.Server`, `srv := new(http.Server)`, a parameter `srv *http.Server`).
 */
function declaredTypeName(fc: FuncCtx, e: Node): string | undefined {
  if (e.type !== 'identifier') return undefined;
  const v = fc.res.localOf(e);
  if (!v) return undefined;
  if (v.typeExpr) return qualifiedName(fc, v.typeExpr);
  if (!v.init || v.init.count !== 1) return undefined;
  let x = unparen(v.init.expr);
  if (x.type === 'unary_expression' && fc.text(field(x, 'operator') ?? x) === '&') x = unparen(field(x, 'operand') ?? x);
  if (x.type === 'composite_literal') {
    const te = field(x, 'type');
    return te ? qualifiedName(fc, te) : undefined;
  }
  if (x.type === 'call_expression' && fc.text(field(x, 'function') ?? x) === 'new') {
    const a = named(field(x, 'arguments') ?? x)[0];
    return a ? qualifiedName(fc, a) : undefined;
  }
  return undefined;
}

/** `importpath.Name` of a type expression `pkg.Name` or `*pkg.Name`. */
function qualifiedName(fc: FuncCtx, te: Node): string | undefined {
  let t = unparen(te);
  if (t.type === 'pointer_type') t = named(t)[0] ?? t;
  const pk = t.type === 'qualified_type' ? field(t, 'package') : t.type === 'selector_expression' ? field(t, 'operand') : undefined;
  const nm = t.type === 'qualified_type' ? field(t, 'name') : t.type === 'selector_expression' ? field(t, 'field') : undefined;
  const ip = pk ? fc.facts.pkg.importPathOf(fc.file, fc.text(pk)) : undefined;
  return ip && nm ? `${ip}.${fc.text(nm)}` : undefined;
}
