/**
 * @fileoverview Helpers shared by the goroutine-lifecycle rules (select-without-exit,
 * unbounded-goroutines, time-after-in-loop, ticker-not-stopped): which function bodies
 * run as goroutines, whether a loop or a function can end, and the Go 1.23 timer gate.
 */
import { reachableBlocks, type CFG } from '../go/cfg.js';
import { compareGoVersions } from '../go/loader.js';
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { underlying } from '../go/types.js';
import type { FuncCtx, Pass } from './pass.js';
import { knownInt, runCount } from './values.js';

/** A function body that runs as a goroutine, and the `go` statement that starts it. */
export interface GoroutineBody {
  /** The FuncCtx that holds `fn`. */
  fc: FuncCtx;
  /** A func literal (`go func() {...}()`) or a same-package declaration (`go s.loop()`). */
  fn: Node;
  goStmt: Node;
  /** The FuncCtx holding the go statement. */
  spawner: FuncCtx;
}

/**
 * Goroutine bodies reachable from the given functions: `go func(){...}()` literals, and
 * same-package functions and methods that are started with `go` and never called
 * synchronously in the analysed functions (a function that is also called normally is
 * not only a goroutine body). Each body appears once. `wants` filters bodies by their
 * source text before any further work (a cheap pre-check such as "contains select").
 */
export function goroutineBodies(pass: Pass, fcs: FuncCtx[], wants: (fnText: string) => boolean = () => true): GoroutineBody[] {
  const out: GoroutineBody[] = [];
  const started = new Map<Node, { goStmt: Node; spawner: FuncCtx }>();
  const startedNames = new Set<string>();
  for (const fc of fcs) {
    walk(fc.decl, (n) => {
      if (n.type !== 'go_statement') return;
      const call = named(n)[0];
      const fn = call && unparen(field(call, 'function') ?? call);
      if (!call || !fn) return false;
      if (fn.type === 'func_literal') {
        if (wants(fc.text(fn))) out.push({ fc, fn, goStmt: n, spawner: fc });
        return; // go statements nested in the literal start goroutines too
      }
      const decl = calleeDecl(pass, fc, call);
      if (!decl || started.has(decl)) return false;
      const file = pass.pkg.fileOf(decl);
      if (!file || !wants(file.text.slice(decl.start, decl.end))) return false;
      started.set(decl, { goStmt: n, spawner: fc });
      startedNames.add(lastName(fc, fn));
      return false;
    });
  }
  if (started.size === 0) return out;
  // A function that is also called synchronously is not only a goroutine body. Only
  // calls spelled with one of the started names need resolving.
  const syncCalled = new Set<Node>();
  for (const fc of fcs) {
    walk(fc.decl, (n) => {
      if (n.type !== 'call_expression' || n.parent?.type === 'go_statement') return;
      const f = field(n, 'function');
      if (!f || !startedNames.has(lastName(fc, unparen(f)))) return;
      const decl = calleeDecl(pass, fc, n);
      if (decl) syncCalled.add(decl);
    });
  }
  for (const [decl, s] of started) {
    if (syncCalled.has(decl)) continue;
    const fc = pass.facts.funcCtxOfDecl(decl);
    if (fc) out.push({ fc, fn: decl, goStmt: s.goStmt, spawner: s.spawner });
  }
  return out;
}

/** The same-package function or method declaration a call calls, if any. */
function calleeDecl(pass: Pass, fc: FuncCtx, call: Node): Node | undefined {
  const c = fc.res.callee(call);
  if (c.kind === 'func') return c.obj.pkg === pass.pkg && c.obj.kind === 'func' ? c.obj.node : undefined;
  return c.kind === 'method' ? c.method.decl : undefined;
}

/** `f` → "f", `s.loop` → "loop", `f[T]` → "f". */
function lastName(fc: FuncCtx, f: Node): string {
  const x = f.type === 'index_expression' ? (field(f, 'operand') ?? f) : f;
  if (x.type === 'selector_expression') {
    const fl = field(x, 'field');
    return fl ? fc.text(fl) : '';
  }
  return fc.text(x);
}


/**
 * True when some path from the head of `loop` reaches the end of the function, normally
 * or by panicking / calling a function that never returns (`cfg.abort`): the goroutine
 * running it can end. A `for {}` whose only exits are missing cannot.
 */
export function loopCanEnd(cfg: CFG, loop: Node): boolean {
  const head = cfg.loopHeads.get(loop);
  if (!head) return true; // not modelled: assume it can end (precision first)
  const r = reachableBlocks(head);
  return r.has(cfg.exit) || r.has(cfg.abort);
}


/** The nearest `for` statement around `n` inside function `fn` (not crossing a func literal). */
export function loopAround(n: Node, fn: Node): Node | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement') return p;
    if (p.type === 'func_literal') return undefined;
  }
  return undefined;
}

/**
 * The Go 1.23 timer gate (Go 1.23 release notes, "Timer changes"; staticcheck SA1015):
 * from Go 1.23 on, timers and tickers that are no longer referenced are collected even
 * if they were not stopped, and a timer channel nobody receives from is not even in the
 * runtime's timer heap, so an unstopped ticker or a `time.After` in a loop is no longer
 * a leak. The new behaviour is chosen by the main module's `go` line, so only a go.mod
 * that says `go 1.23` or later counts; an unknown version (no go.mod) is treated as
 * older, like SA1015. `GODEBUG asynctimerchan=1` (a `godebug` line in go.mod or a
 * `//go:debug` directive in package main) brings the old timers back.
 */
export function timersCollected(pass: Pass): boolean {
  const v = pass.goVersion;
  return v !== '' && compareGoVersions(v, '1.23') >= 0 && pass.pkg.goDebug('asynctimerchan') !== '1';
}

/**
 * The largest value `tt.f` can have when `tt` is the value variable of a `for _, tt :=
 * range rows` over a table-driven test's rows: `rows` is a local slice or array literal
 * (or the literal itself) that nothing else touches, each row a struct literal (keyed or
 * positional, with its type elided or written), and field `f` of every row a known
 * integer (a missing key is the zero value). Neither `tt` nor `tt.f` is written, nor is
 * `tt`'s address taken or a method called on it. Undefined when any of that fails.
 */
export function tableFieldMax(fc: FuncCtx, e: Node): number | undefined {
  const u = unparen(e);
  if (u.type !== 'selector_expression') return undefined;
  const op = field(u, 'operand');
  const fl = field(u, 'field');
  const opu = op ? unparen(op) : undefined;
  const row = opu?.type === 'identifier' ? fc.res.localOf(opu) : undefined;
  if (!row?.rangeOf || row.rangeOf.pos !== 1 || !fl) return undefined;
  const name = fc.text(fl);
  let table = unparen(row.rangeOf.expr);
  if (table.type === 'identifier') {
    const tv = fc.res.localOf(table);
    const init = tv?.init && tv.init.count === 1 ? unparen(tv.init.expr) : undefined;
    if (!tv || !init || (fc.res.refs.get(tv) ?? []).some((r) => r !== tv.ident && r !== table)) return undefined;
    table = init;
  }
  if (table.type !== 'composite_literal') return undefined;
  const elem = underlying(fc.res.typeOf(table));
  const st = elem.kind === 'slice' || elem.kind === 'array' ? underlying(elem.elem) : undefined;
  if (st?.kind !== 'struct') return undefined;
  const pos = st.fields.findIndex((f) => f.name === name);
  const body = field(table, 'body');
  if (pos < 0 || !body) return undefined;
  const fieldNames = new Set(st.fields.map((f) => f.name));
  for (const r of fc.res.refs.get(row) ?? []) if (r !== row.ident && !rowReadOnly(fc, r, name, fieldNames)) return undefined;
  let max: number | undefined;
  for (const el of named(body)) {
    if (el.type === 'comment') continue;
    let lit = el.type === 'literal_element' ? named(el)[0] : el;
    if (lit?.type === 'composite_literal') lit = field(lit, 'body');
    if (lit?.type !== 'literal_value') return undefined;
    const items = named(lit).filter((x) => x.type !== 'comment');
    let value: Node | undefined;
    let zero = false;
    if (items.every((x) => x.type === 'keyed_element')) {
      const kv = items.find((x) => fc.text(named(x)[0] ?? x) === name);
      value = kv ? named(kv)[1] : undefined;
      zero = !kv;
    } else if (items.length === st.fields.length && items.every((x) => x.type !== 'keyed_element')) value = items[pos];
    else return undefined;
    if (value?.type === 'literal_element') value = named(value)[0];
    const n = zero ? 0 : value ? knownInt(fc, value) : undefined;
    if (n === undefined) return undefined;
    max = max === undefined ? n : Math.max(max, n);
  }
  return max;
}

/**
 * Reference `r` to a table row reads it: no write of it or of its field `name`, no `&`, no
 * method call (calling a func-typed field, `tt.check(t)`, cannot change the row).
 */
function rowReadOnly(fc: FuncCtx, r: Node, name: string, fieldNames: Set<string>): boolean {
  let e: Node = r;
  const p = e.parent;
  if (p?.type === 'selector_expression' && field(p, 'operand') === e) {
    const f = field(p, 'field');
    // A method call on the row may change it through a pointer receiver.
    if (p.parent?.type === 'call_expression' && field(p.parent, 'function') === p && !(f && fieldNames.has(fc.text(f)))) return false;
    if (!f || fc.text(f) !== name) return true;
    e = p;
  }
  const q = e.parent;
  if (!q) return false;
  if (q.type === 'inc_statement' || q.type === 'dec_statement') return false;
  if (q.type === 'unary_expression' && fc.text(q).trimStart().startsWith('&')) return false;
  if (q.type === 'expression_list' && q.field === 'left') return false;
  return true;
}

/**
 * True when the select case `timerCase` of `sel` (a `<-time.After(d)`) can lose to the
 * other cases only a known number of times in loop `loop` of `fn`: the loop counts them.
 * - `for i := a; i < B; i++` with `i` stepped only there, or
 * - a counter `c` (`var c int`, `c := 0`) changed only by `c++`, which every other case
 *   of `sel` runs first thing, with `for c < B { ... }` or, in `for { ... }`, each of
 *   those cases leaving the loop by `if c >= B { break L }` (`L` the loop's label) or a
 *   return right after the step;
 * with `B` a known integer or a table row's field ({@link tableFieldMax}), and the loops
 * around `loop` in `fn` of known trip counts. The timers that did not fire are then at
 * most B per run of the loop.
 */
export function timerLossesBounded(fc: FuncCtx, sel: Node, timerCase: Node, loop: Node, fn: Node): boolean {
  if (runCount(fc, loop, fn, fn) === Infinity) return false;
  const bound = (e: Node | undefined): boolean => !!e && (knownInt(fc, e) ?? tableFieldMax(fc, e)) !== undefined;
  const fcl = loop.children.find((c) => c.type === 'for_clause');
  if (loop.children.some((c) => c.type === 'range_clause')) return false;
  const body = field(loop, 'body');
  if (!body) return false;
  // Form A: `for i := a; i < B; i++`.
  if (fcl) {
    const init = field(fcl, 'initializer');
    const cond = field(fcl, 'condition');
    const upd = field(fcl, 'update');
    if (init?.type !== 'short_var_declaration' || cond?.type !== 'binary_expression' || !upd) return false;
    const iv = exprList(field(init, 'left'))[0];
    const start = exprList(field(init, 'right'))[0];
    const l = field(cond, 'left');
    const v = iv ? fc.res.defs.get(iv) : undefined;
    if (!v || !start || knownInt(fc, start) === undefined || !l || fc.text(l) !== fc.text(iv as Node) || fc.text(upd) !== `${v.name}++`) return false;
    if (!['<', '<='].includes(fc.text(field(cond, 'operator') ?? cond))) return false;
    if ((fc.res.refs.get(v) ?? []).some((r) => r.start >= body.start && r.end <= body.end && !readOnlyRef(fc, r))) return false;
    return bound(field(cond, 'right'));
  }
  // Form B: a counter stepped by every other case.
  const cond = named(loop).find((c) => c !== body && c.type !== 'comment');
  let counter: LocalVar | undefined;
  let limit: Node | undefined;
  if (cond) {
    const c = unparen(cond);
    if (c.type !== 'binary_expression' || fc.text(field(c, 'operator') ?? c) !== '<') return false;
    const l = field(c, 'left');
    counter = l && unparen(l).type === 'identifier' ? fc.res.localOf(unparen(l)) : undefined;
    limit = field(c, 'right');
    if (!bound(limit)) return false;
  }
  const label = loop.parent?.type === 'labeled_statement' ? fc.text(field(loop.parent, 'label') ?? loop.parent) : undefined;
  const others = sel.children.filter((x) => (x.type === 'communication_case' || x.type === 'default_case') && x !== timerCase);
  for (const o of others) {
    const stmts = o.children.filter((x) => x.type === 'statement_list').flatMap((x) => named(x)).filter((x) => x.type !== 'comment');
    const step = stmts[0];
    const id = step?.type === 'inc_statement' ? named(step)[0] : undefined;
    const v = id && unparen(id).type === 'identifier' ? fc.res.localOf(unparen(id)) : undefined;
    if (!v || (counter && v !== counter)) return false;
    counter = v;
    if (cond) continue;
    // `if c >= B { break L }` / `{ return }` right after the step.
    const guard = stmts[1];
    const gc = guard?.type === 'if_statement' && !field(guard, 'initializer') && !field(guard, 'alternative') ? field(guard, 'condition') : undefined;
    const g = gc ? unparen(gc) : undefined;
    if (g?.type !== 'binary_expression' || fc.text(field(g, 'operator') ?? g) !== '>=') return false;
    const gl = field(g, 'left');
    if (!gl || unparen(gl).type !== 'identifier' || fc.res.localOf(unparen(gl)) !== v || !bound(field(g, 'right'))) return false;
    const first = named(field(guard as Node, 'consequence') ?? (guard as Node)).flatMap((x) => (x.type === 'statement_list' ? named(x) : [x])).find((x) => x.type !== 'comment');
    const leaves = first?.type === 'return_statement' || (first?.type === 'break_statement' && label !== undefined && named(first).some((x) => fc.text(x) === label));
    if (!leaves) return false;
  }
  if (!counter || counter.kind !== 'var') return false;
  // The counter starts at zero and only ever goes up: `c++` statements are its only writes.
  const init = counter.init && counter.init.count === 1 ? knownInt(fc, counter.init.expr) : counter.init ? undefined : 0;
  if (init !== 0) return false;
  return (fc.res.refs.get(counter) ?? []).every((r) => r === counter?.ident || readOnlyRef(fc, r) || r.parent?.type === 'inc_statement');
}

/** A reference that reads a local: not assigned, stepped, or its address taken. */
function readOnlyRef(fc: FuncCtx, r: Node): boolean {
  let e = r;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return false;
  if (p.type === 'expression_list' && p.field === 'left') return false;
  if (p.type === 'unary_expression' && fc.text(p).trimStart().startsWith('&')) return false;
  return true;
}
