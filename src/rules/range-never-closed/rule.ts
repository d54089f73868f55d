/**
 * @fileoverview range-never-closed: `for v := range ch` over a channel made in the
 * function when nothing ever closes it. A range over a channel only ends when the
 * channel is closed (Go spec, "For statements with range clause": "For channels, the
 * iteration values produced are the successive values sent on the channel until the
 * channel is closed"), so after the last value the loop — and its goroutine — blocks
 * forever.
 *
 * Closes are looked for everywhere the channel can be reached: the making function and
 * its deferred calls, its closures and goroutines, and the same-package helpers it is
 * passed to (summarised per package). A `go worker(jobs)` whose same-package worker
 * ranges over its parameter is reported at the argument. Silent when the channel
 * escapes (returned, stored in a field, passed to another package), and when the loop
 * body can leave the loop itself (break, return, goto, panic): then the loop need not
 * wait for a close.
 */
import { chanUses, localChan, type ChanUse } from '../../analysis/chanfacts.js';
import { argSummary, calleeParam, chanFate, neverClosed } from '../../analysis/chansummary.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { beyondOneFunction, beyondOneFunctionHeld, builtOncePerProcess, chanModel, chanOps, describeObject, inMainMain } from '../../analysis/program/chans.js';
import { createRule, siteRef } from '../../analysis/rule.js';
import { paramVarsOf, programModel, stdName, type FuncNode, type ProgramModel } from '../../analysis/program/index.js';
import { reachableBlocks } from '../../go/cfg.js';
import type { LocalVar } from '../../go/resolve.js';
import type { Package } from '../../go/package.js';
import { enclosingFunc, exprList, field, fields, named, unparen, walk, type Node } from '../../go/syntax.js';
import { underlying } from '../../go/types.js';

/** A make(chan) and a range or go statement in the same declaration. */
const MAKES_AND_USES = /^(?=[\s\S]*?\bmake\(\s*chan\b)(?=[\s\S]*?(?:\brange\s+[\w(]|\bgo\s+[\w.]+\s*[([]))/;
/** A range over the result of an unqualified call. */
const RANGE_CALL = /\brange\s+\w+\(/;
const RANGE_CALLS = /\brange\s+(\w+)\(/g;

/**
 * Whether `name` may be a same-package function returning a channel, from its declared
 * result alone: the only results a range can iterate as a channel are a channel type, a
 * named type whose underlying type is a channel, or a type parameter (unknown here).
 */
function mayReturnChan(pkg: Package, name: string): boolean {
  const o = pkg.lookup(name);
  if (o?.kind !== 'func') return false;
  let res = field(o.node, 'result');
  if (res?.type === 'parameter_list') {
    const ps = named(res);
    if (ps.length !== 1 || fields(ps[0] as Node, 'name').length > 1) return false;
    res = field(ps[0] as Node, 'type');
  }
  while (res?.type === 'parenthesized_type') res = named(res)[0];
  if (!res) return false;
  if (res.type === 'channel_type') return true;
  if (res.type !== 'type_identifier' && res.type !== 'qualified_type' && res.type !== 'generic_type') return false;
  const u = underlying(pkg.typeFromExpr(res, o.file));
  return u.kind === 'chan' || u.kind === 'unknown';
}

export default createRule({
  id: 'range-never-closed',
  severity: 'warning',
  since: '0.2.0',
  category: 'goroutine-leak',
  description: 'A for-range loop over a channel that nothing ever closes.',
  help:
    'A range over a channel ends only when the channel is closed. If no path closes it, the loop blocks forever after the last value and its goroutine leaks. Close the channel once the last send is done (the sender side owns the close), e.g. with "defer close(ch)" in the producer or close(ch) after wg.Wait().',
  // A local make(chan) that is ranged over or handed to a goroutine, or a range over the
  // result of an unqualified (same-package) call: `for v := range numbers(4)`.
  triggers: new RegExp(`${MAKES_AND_USES.source}|${RANGE_CALL.source}`),
  run(pass) {
    checkModelRanges(pass);
    checkStoppedTickerRanges(pass);
    checkSkippedElements(pass);
    checkPipeReaders(pass);
    const report = (fc: FuncCtx) => (node: Node, message: string, fixHint: string) => pass.report({ node, file: fc.file, message, fixHint });
    // Declarations that only range over a call can only hold the generator shape: look at
    // them when a callee may return a channel (most `range f()` are slices or iterators).
    for (const { decl, file } of pass.pkg.funcDecls) {
      const text = file.text.slice(decl.start, decl.end);
      // `range f(` first: most declarations have none, and the lookaheads of MAKES_AND_USES scan the whole text.
      if (!RANGE_CALL.test(text) || MAKES_AND_USES.test(text)) continue;
      if (![...text.matchAll(RANGE_CALLS)].some((m) => mayReturnChan(pass.pkg, m[1] as string))) continue;
      const fc = pass.facts.funcCtx(decl, file);
      if (fc.body) checkGeneratorRanges(fc, report(fc));
    }
    for (const fc of pass.facts.functions(MAKES_AND_USES)) {
      if (fc.body) checkGeneratorRanges(fc, report(fc));
      for (const [ident, v] of fc.res.defs) {
        if (ident !== v.ident || !localChan(fc, v)) continue;
        const fate = chanFate(fc, v);
        if (!neverClosed(fate)) continue;
        // A pool the package builds once per process runs until exit by design.
        if (builtOncePerProcess(pass, fc.decl, v.ident)) continue;
        const fn = v.func;
        const fnName = fn === fc.decl ? fc.name : 'the enclosing function';
        for (const u of fate.receives) {
          if (u.kind !== 'range') continue;
          const loop = u.op.parent;
          if (loop?.type !== 'for_statement' || leavesEarly(fc, u.func, loop)) continue;
          const where = u.func === fn ? `${fnName} itself` : 'this goroutine';
          pass.report({
            node: loop,
            file: fc.file,
            message: `range over "${v.name}" at line ${fc.file.line(loop.start)} never ends: nothing closes "${v.name}" (no close in ${fnName}, its deferred calls, goroutines or the helpers it is passed to), so ${where} blocks forever after the last value`,
            fixHint: `close "${v.name}" after the last send — "defer close(${v.name})" in the single producer, or close(${v.name}) after wg.Wait() when several goroutines send`,
          });
        }
        for (const u of fate.helperReceives) {
          const r = helperRange(fc, u);
          if (!r) continue;
          pass.report({
            node: u.ref,
            file: fc.file,
            message: `"${v.name}" is ranged over by ${r.name} (${r.fc === fc ? `line ${fc.file.line(r.loop.start)}` : `${r.fc.file.path.split('/').pop() ?? ''}:${r.fc.file.line(r.loop.start)}`}) but nothing closes "${v.name}": that loop never ends and its goroutine blocks forever after the last value`,
            fixHint: `close "${v.name}" in ${fnName} after the last send (e.g. after wg.Wait()), or "defer close(${v.name})" in the producer`,
          });
        }
      }
    }
  },
});

/**
 * True when the body of range loop `loop` in function `fn` can leave the loop without
 * the range ending: a path from the body reaches the function's exit or abort block
 * without passing the loop head (break, return, goto, panic, os.Exit...).
 */
/**
 * True when every goroutine that runs `fn` is started once per process: by `main.main`
 * or an `init` function, outside any loop (a daemon meant to live as long as the
 * process, like select-without-exit's exception). False when no goroutine runs it.
 */
function daemonOnly(m: ProgramModel, fn: FuncNode): boolean {
  const gs = m.goroutines().filter((g) => m.goroutineFuncs(g).has(fn));
  return gs.length > 0 && gs.every((g) => {
    const from = g.from;
    const top = from.node === from.fc.decl && from.fc.decl.type === 'function_declaration';
    return g.multiplicity === 'one' && top && ((from.fc.facts.pkg.name === 'main' && from.fc.name === 'main') || from.fc.name === 'init');
  });
}

/** A range over a `.C` field somewhere, and a Stop call: only then can a stopped ticker's range exist. */
const TICKER_RANGE = /\brange\s+[\w.]+\.C\b/;

/**
 * `for range t.C` on a goroutine, over a ticker (or timer) that other code stops:
 * Stop does not close the channel ("Stop turns off a ticker ... Stop does not close the
 * channel, to prevent a concurrent goroutine reading from the channel from seeing an
 * erroneous tick", time.Ticker.Stop), so once stopped the loop waits forever. The Stop
 * says the code expects the loop to end; a ticker nobody stops runs for the process's
 * life, which is not reported. Silent when the loop body can leave the loop itself.
 * Corpus case ticker-field-stopped-loop-waits.
 */
function checkStoppedTickerRanges(pass: Pass): void {
  if (!pass.pkg.files.some((f) => TICKER_RANGE.test(f.text) && /\.Stop\(\)/.test(f.text))) return;
  const m = programModel(pass.facts);
  for (const fn of m.functions()) {
    for (const op of m.opsIn(fn)) {
      if (op.kind !== 'range') continue;
      const keys = m.info(op.cls).keys;
      if (!keys.includes('f:time.Ticker.C') && !keys.includes('f:time.Timer.C')) continue;
      const e = unparen(op.expr);
      const x = e.type === 'selector_expression' ? field(e, 'operand') : undefined;
      const t = x ? m.objectOf(fn.fc, x) : undefined;
      if (!t || (t.kind !== 'ticker' && t.kind !== 'timer')) continue;
      const loop = op.node.parent;
      if (loop?.type !== 'for_statement' || leavesEarly(fn.fc, fn.node, loop)) continue;
      if (!m.goroutines().some((g) => m.goroutineFuncs(g).has(fn))) continue;
      const stop = m.opsOn(t, ['stop']).find((s) => s.fn !== fn && !(s.node.start >= loop.start && s.node.end <= loop.end));
      if (!stop) continue;
      const sf = stop.fn.fc.file;
      pass.report({
        node: loop,
        file: fn.fc.file,
        message: `the range over "${fn.fc.text(op.expr)}" never ends once the ${t.kind} is stopped (${siteRef(sf, stop.node.start, fn.fc.file)} in ${stop.fn.name}): Stop does not close the ${t.kind}'s channel, so the goroutine waits forever`,
        fixHint: 'select on a done channel (closed where the ticker is stopped) next to the ticker case, and return when it is closed',
        related: [{ file: sf.path, range: sf.range(stop.node), message: `stops the ${t.kind} without closing its channel` }],
      });
    }
  }
}

export function leavesEarly(fc: FuncCtx, fn: Node, loop: Node): boolean {
  const g = fc.cfg(fn);
  const head = g?.loopHeads.get(loop);
  const body = head?.succs[0];
  if (!g || !head || !body) return true;
  const r = reachableBlocks(body, (_from, to) => to === head);
  return r.has(g.exit) || r.has(g.abort);
}

/** `go worker(ch)` / `consume(ch)` / `go func(c chan T){...}(ch)` where the same-package callee ranges over that parameter without leaving early. */
function helperRange(fc: FuncCtx, u: ChanUse): { fc: FuncCtx; loop: Node; name: string } | undefined {
  const cp = calleeParam(fc, u);
  if (!cp) return undefined;
  for (const hu of chanUses(cp.fc, cp.param)) {
    if (hu.kind !== 'range' || hu.func !== cp.fn) continue;
    const loop = hu.op.parent;
    if (loop?.type === 'for_statement' && !leavesEarly(cp.fc, cp.fn, loop)) return { fc: cp.fc, loop, name: cp.name };
  }
  return undefined;
}

/**
 * `for v := range gen(...)` where `gen` is a same-package function that returns a channel
 * it makes and never closes (no close in it, its goroutines or helpers; the return is its
 * only escape). The caller holds the only other reference and ranges over the call
 * directly, so nobody can close it: the loop never ends (the seed's "generator" shape).
 */
function checkGeneratorRanges(fc: FuncCtx, emit: (node: Node, message: string, fixHint: string) => void): void {
  walk(fc.body as Node, (n) => {
    if (n.type !== 'range_clause') return;
    const right = field(n, 'right');
    const call = right ? unparen(right) : undefined;
    const loop = n.parent;
    if (call?.type !== 'call_expression' || loop?.type !== 'for_statement') return;
    const c = fc.res.callee(call);
    if (c.kind !== 'func' || c.obj.pkg !== fc.facts.pkg || c.obj.kind !== 'func') return;
    const gen = generatorNeverCloses(fc, c.obj.node);
    const fn = fc.res.enclosingFunc(loop) ?? fc.decl;
    if (!gen || leavesEarly(fc, fn, loop)) return;
    const name = fc.text(field(call, 'function') ?? call);
    emit(
      loop,
      `range over the channel returned by ${name}() at line ${fc.file.line(loop.start)} never ends: ${name} (${gen.file}:${gen.line}) makes "${gen.chan}" and returns it without ever closing it, and nothing else can close it`,
      `close "${gen.chan}" in ${name} after its last send (e.g. "defer close(${gen.chan})" at the top of its producer goroutine)`,
    );
  });
}

/** Whether same-package function `decl` returns a channel it makes and never closes. */
function generatorNeverCloses(fc: FuncCtx, decl: Node): { chan: string; file: string; line: number } | undefined {
  return fc.facts.memo(`chan-generator:${fc.facts.pkg.fileOf(decl)?.path}:${decl.start}`, () => {
    const gfc = fc.facts.funcCtxOfDecl(decl);
    if (!gfc?.body) return undefined;
    const results = field(decl, 'result');
    // Exactly one result: a channel type.
    if (!results || (results.type === 'parameter_list' && named(results).length !== 1)) return undefined;
    let found: LocalVar | undefined;
    let ok = true;
    walk(gfc.body, (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type !== 'return_statement') return;
      const vals = exprList(named(n)[0]);
      const e = vals.length === 1 && vals[0] ? unparen(vals[0]) : undefined;
      const v = e?.type === 'identifier' ? gfc.res.uses.get(e) : undefined;
      if (!v || v.func !== decl || !localChan(gfc, v) || (found && found !== v)) ok = false;
      else found = v;
    });
    if (!ok || !found) return undefined;
    const v = found;
    // Every reference is understood; the only escapes are the return statements.
    for (const u of chanUses(gfc, v)) {
      if (u.kind === 'close') return undefined;
      const ret = u.op.type === 'return_statement' ? u.op : u.op.type === 'expression_list' && u.op.parent?.type === 'return_statement' ? u.op.parent : undefined;
      if (u.kind === 'escape' && !(ret && gfc.res.enclosingFunc(ret) === decl)) return undefined;
      if (u.kind === 'arg') {
        const s = argSummary(gfc, u);
        if (!s || s.escapes || s.closes) return undefined;
      }
    }
    return { chan: v.name, file: gfc.file.path.split('/').pop() ?? '', line: gfc.file.line(v.ident.start) };
  });
}

/** True when `n` is in `main.main` of a main package, outside any loop or function literal: it runs once per process. */
function inMainOnce(pass: Pass, n: Node): boolean {
  const d = topDecl(n);
  if (pass.pkg.name !== 'main' || d.type !== 'function_declaration') return false;
  const name = field(d, 'name');
  if (!name || pass.pkg.fileOf(d)?.textOf(name) !== 'main') return false;
  for (let p = n.parent; p && p !== d; p = p.parent) if (p.type === 'for_statement' || p.type === 'func_literal') return false;
  return true;
}

/** The top-level declaration holding `n`. */
function topDecl(n: Node): Node {
  let d = n;
  while (d.parent && d.parent.type !== 'source_file') d = d.parent;
  return d;
}

/**
 * Channels that live beyond one function (struct fields, package variables and what
 * shares them — src/analysis/program): the program model sees every location holding
 * them, each holds only channels made in this package, and nothing in the package closes
 * them (no `Close`/`Stop` method does, nothing else). A `for x := range p.tasks` loop that
 * cannot leave on its own never ends. Silent when every make runs once per process (init,
 * a package-level initialiser, sync.OnceValue: a process-lifetime worker pool whose loops
 * are meant to run until exit), for runtime channels (ticker.C), and in main.main.
 */
function checkModelRanges(pass: Pass): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const { obj, ops } of chanOps(m, ['range'])) {
    if (!beyondOneFunctionHeld(m, obj) || obj.allocs.length === 0 || obj.std.size > 0 || m.alwaysNil(obj) || m.mayBeClosed(obj) !== false) continue;
    if (obj.allocs.every((a) => builtOncePerProcess(pass, topDecl(a), a) || inMainOnce(pass, a))) continue;
    // A channel kept as an element of a field's map or slice is named after that field.
    const holder = beyondOneFunction(obj) ? obj : (m.containersOf(obj).find(beyondOneFunction) as typeof obj);
    const f = holder.keys.find((k) => k.startsWith('f:'));
    const owner = f ? f.slice(2, f.lastIndexOf('.')).replace(/^.*\./, '') : undefined;
    const what = holder === obj ? describeObject(obj) : `a channel kept in ${describeObject(holder)}`;
    for (const op of ops) {
      const loop = op.node.parent;
      const fc = op.fn.fc;
      if (loop?.type !== 'for_statement' || inMainMain(op) || leavesEarly(fc, op.fn.node, loop) || daemonOnly(m, op.fn)) continue;
      pass.report({
        node: loop,
        file: fc.file,
        message: `range over ${what} at line ${fc.file.line(loop.start)} never ends: the ${owner ? 'field' : 'variable'} only ever holds a channel made in this package and nothing in the package closes it${owner ? ` (no close in any method of ${owner}, e.g. a Close or Stop method)` : ''}, so this goroutine blocks forever after the last value`,
        fixHint: owner
          ? `close ${owner}.${f?.slice(f.lastIndexOf('.') + 1) ?? ''} when the owner shuts down (a Close/Stop method calling close(x.${f?.slice(f.lastIndexOf('.') + 1) ?? ''}) once), and make sure it is called`
          : `close the channel once the last value has been sent`,
      });
    }
  }
}

/**
 * Channels kept one per element of a slice (`ix.shards[i].in`) whose only closes are in
 * one counting loop over that slice that starts past the first element
 * (`for i := 1; i < len(ix.shards); i++ { close(ix.shards[i].in) }`): the channels of the
 * elements before the start are never closed. When a goroutine started for each element
 * (in a loop from the first) ranges over its channel, the goroutines of those elements
 * range forever. The channel must be known to the model, kept in a field, and ranged
 * over by a loop that cannot leave on its own.
 */
function checkSkippedElements(pass: Pass): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const { obj, ops } of chanOps(m, ['range', 'close'])) {
    if (!beyondOneFunction(obj) || !m.known(obj) || obj.allocs.length === 0 || obj.std.size > 0) continue;
    const closes = ops.filter((o) => o.kind === 'close');
    const ranges = ops.filter((o) => o.kind === 'range');
    if (closes.length === 0 || ranges.length === 0) continue;
    const skips = closes.map((c) => skippedPrefix(c.fn.fc, c.fn.node, c.expr));
    const first = skips[0];
    if (!first || skips.some((k) => !k || k.loop !== first.loop)) continue;
    for (const op of ranges) {
      const loop = op.node.parent;
      const fc = op.fn.fc;
      if (loop?.type !== 'for_statement' || inMainMain(op) || leavesEarly(fc, op.fn.node, loop)) continue;
      // A goroutine per element, started in a loop that begins at the first element.
      const starts = m.goroutines().filter((g) => m.goroutineFuncs(g).has(op.fn));
      if (starts.length === 0 || !starts.every((g) => g.multiplicity !== 'one' && startsFromFirst(g.from.fc, g.site, g.from.node))) continue;
      const cf = closes[0]?.fn.fc as FuncCtx;
      pass.report({
        node: loop,
        file: fc.file,
        message: `range over ${describeObject(obj)} at line ${fc.file.line(loop.start)} never ends for the first ${first.start === 1 ? 'element' : `${first.start} elements`} of "${cf.text(first.slice)}": the only close of the channel is in the loop at ${siteRef(cf.file, first.loop.start, fc.file)}, which starts at index ${first.start}, so ${first.start === 1 ? 'that element\'s goroutine ranges' : 'their goroutines range'} forever`,
        fixHint: `start the closing loop at index 0 (or range over the slice: for _, x := range ${cf.text(first.slice)} { close(...) })`,
        related: [{ file: cf.file.path, range: cf.file.range(first.loop), message: `closes from index ${first.start} on` }],
      });
    }
  }
}

/**
 * For a close operand `xs[i].f` (or `xs[i]`) inside `for i := K; i < len(xs); i++` with a
 * constant K > 0: the loop, K and `xs`. Undefined for any other shape.
 */
function skippedPrefix(fc: FuncCtx, fn: Node, expr: Node): { loop: Node; start: number; slice: Node } | undefined {
  let e = unparen(expr);
  if (e.type === 'selector_expression') e = unparen(field(e, 'operand') ?? e);
  if (e.type !== 'index_expression') return undefined;
  const idx = field(e, 'index');
  const slice = field(e, 'operand');
  const iv = idx && unparen(idx).type === 'identifier' ? fc.res.localOf(unparen(idx)) : undefined;
  if (!iv || !slice) return undefined;
  let loop: Node | undefined;
  for (let p = expr.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'func_literal') return undefined;
    if (p.type === 'for_statement') {
      loop = p;
      break;
    }
  }
  const clause = loop?.children.find((c) => c.type === 'for_clause');
  if (!loop || !clause) return undefined;
  const init = field(clause, 'initializer');
  const cond = field(clause, 'condition');
  const upd = field(clause, 'update');
  if (init?.type !== 'short_var_declaration' || cond?.type !== 'binary_expression' || upd?.type !== 'inc_statement') return undefined;
  const l = named(field(init, 'left') ?? init);
  const r = named(field(init, 'right') ?? init);
  if (l.length !== 1 || r.length !== 1 || fc.res.defs.get(l[0] as Node) !== iv) return undefined;
  const k = unparen(r[0] as Node);
  const start = k.type === 'int_literal' && /^[1-9]\d*$/.test(fc.text(k)) ? Number(fc.text(k)) : undefined;
  if (start === undefined) return undefined;
  if (fc.res.localOf(unparen(named(upd)[0] ?? upd)) !== iv) return undefined;
  // `i < len(xs)` over the same slice expression as the close.
  const [cl, cr] = named(cond);
  if (!cl || !cr || fc.text(cond).replace(/\s+/g, '') !== `${fc.text(cl)}<${fc.text(cr)}`.replace(/\s+/g, '') || fc.res.localOf(unparen(cl)) !== iv) return undefined;
  const len = unparen(cr);
  if (len.type !== 'call_expression' || fc.text(field(len, 'function') ?? len) !== 'len') return undefined;
  const arg = named(field(len, 'arguments') ?? len)[0];
  if (!arg || fc.text(arg) !== fc.text(slice)) return undefined;
  // The loop variable is not stepped elsewhere in the body.
  let stepped = false;
  walk(field(loop, 'body') ?? loop, (n) => {
    if (n.type === 'assignment_statement' || n.type === 'inc_statement' || n.type === 'dec_statement') {
      const left = field(n, 'left') ?? named(n)[0];
      if (left) walk(left, (x) => {
        if (x.type === 'identifier' && fc.res.localOf(x) === iv) stepped = true;
      });
    }
  });
  return stepped ? undefined : { loop, start, slice };
}

/** True when the go statement (or starter call) `site` is in a loop of `fn` that begins at the first element: a range loop, or a counting loop from 0. */
function startsFromFirst(fc: FuncCtx, site: Node, fn: Node): boolean {
  for (let p = site.parent; p && p !== fn; p = p.parent) {
    if (p.type !== 'for_statement') continue;
    if (p.children.some((c) => c.type === 'range_clause')) return true;
    const clause = p.children.find((c) => c.type === 'for_clause');
    const init = clause ? field(clause, 'initializer') : undefined;
    const r = init?.type === 'short_var_declaration' ? named(field(init, 'right') ?? init) : [];
    return r.length === 1 && fc.text(r[0] as Node).trim() === '0';
  }
  return false;
}

const PIPE_CALL = /\b(?:io|net)\.Pipe\(\s*\)/;
/** Writers that only call Write on their first argument (fmt.Fprint*: fmt/print.go; io.WriteString; io.Copy's dst). */
const WRITES_ARG0 = new Set(['fmt.Fprint', 'fmt.Fprintf', 'fmt.Fprintln', 'io.WriteString', 'io.Copy', 'io.CopyN', 'io.CopyBuffer']);
/** Readers that read their argument until EOF or an error (io.Copy's src is argument 1). */
const READS_TO_EOF = new Map([['io.Copy', 1], ['io.CopyBuffer', 1], ['io.ReadAll', 0]]);

/**
 * A synchronous in-memory pipe (`io.Pipe`, `net.Pipe`) whose reading end is handed to a
 * goroutine that reads until the end of the stream — `io.Copy(dst, pr)`, `io.ReadAll`,
 * or an endless loop around `Read` left only when it returns an error — while the
 * making function only writes to the other end and never closes it. A pipe's Read
 * returns EOF or an error only when an end is closed (io.PipeReader.Read: "until the
 * write end is closed"; net.Pipe: "Reads on one end are matched with writes on the
 * other"), so the reader blocks forever once the writes stop. Silent when either end is
 * used in any other way (closed, passed on, captured, given a deadline).
 */
function checkPipeReaders(pass: Pass): void {
  // Every match spells `.Pipe(`: the substring search rules out most files without the pattern.
  const files = new Set(pass.pkg.files.filter((f) => f.text.includes('.Pipe(') && PIPE_CALL.test(f.text)));
  if (files.size === 0) return;
  for (const { decl, file } of pass.pkg.funcDecls) {
    if (!files.has(file) || !PIPE_CALL.test(file.text.slice(decl.start, decl.end))) continue;
    const fc = pass.facts.funcCtx(decl, file);
    walk(decl, (n) => {
      if (n.type !== 'call_expression') return undefined;
      const std = stdName(fc, n, fc.res.callee(n));
      if (std !== 'io.Pipe' && std !== 'net.Pipe') return undefined;
      const list = n.parent;
      const decl2 = list?.parent;
      if (list?.type !== 'expression_list' || decl2?.type !== 'short_var_declaration' || field(decl2, 'right') !== list || named(list).length !== 1) return undefined;
      const ends = named(field(decl2, 'left') ?? decl2).map((id) => fc.res.defs.get(id));
      if (ends.length !== 2 || ends.some((v) => !v || v.name === '_')) return undefined;
      const F = enclosingFunc(n);
      if (!F) return undefined;
      // io.Pipe: the reader is the first result; net.Pipe: either end may be the reader.
      const orders = std === 'io.Pipe' ? [[0, 1]] : [[0, 1], [1, 0]];
      for (const [ri, wi] of orders) {
        const reader = ends[ri as number] as LocalVar;
        const writer = ends[wi as number] as LocalVar;
        if (!onlyWritten(fc, writer, F)) continue;
        const wait = readerGoroutine(pass, fc, reader, F);
        if (!wait) continue;
        pass.report({
          node: wait.node,
          file: wait.fc.file,
          message: `${wait.what} at line ${wait.fc.file.line(wait.node.start)} blocks forever: it reads "${reader.name}" from ${std} (${siteRef(fc.file, n.start, wait.fc.file)}) until the stream ends, but ${fc.name} only writes to the other end "${writer.name}" and never closes it, so the read never sees EOF once the writes stop`,
          fixHint: `close the writing end when the last write is done (defer ${writer.name}.Close(), or ${writer.name}.CloseWithError(err) for io.Pipe)`,
          related: [{ file: fc.file.path, range: fc.file.range(decl2), message: 'the pipe is made here; nothing closes its writing end' }],
        });
        break;
      }
      return undefined;
    });
  }
}

/** Every reference of `v` is in `F` itself and only writes to it: `v.Write(...)`, or the first argument of fmt.Fprint*, io.WriteString, io.Copy. */
function onlyWritten(fc: FuncCtx, v: LocalVar, F: Node): boolean {
  const refs = fc.res.refs.get(v) ?? [];
  return refs.length > 0 && refs.every((r) => {
    if (enclosingFunc(r) !== F) return false;
    const p = r.parent;
    if (p?.type === 'selector_expression' && field(p, 'operand') === r) {
      return fc.text(field(p, 'field') ?? p) === 'Write' && p.parent?.type === 'call_expression' && field(p.parent, 'function') === p;
    }
    const call = p?.type === 'argument_list' ? p.parent : undefined;
    if (call?.type !== 'call_expression' || named(p as Node)[0] !== r) return false;
    const std = stdName(fc, call, fc.res.callee(call));
    return !!std && WRITES_ARG0.has(std);
  });
}

interface PipeWait {
  fc: FuncCtx;
  node: Node;
  what: string;
}

/** The reading end `v` of a pipe made in `F` is used only by one goroutine (a literal, or a same-package function given it as an argument) that reads it to the end. */
function readerGoroutine(pass: Pass, fc: FuncCtx, v: LocalVar, F: Node): PipeWait | undefined {
  const refs = fc.res.refs.get(v) ?? [];
  if (refs.length === 0) return undefined;
  const r0 = refs[0] as Node;
  const lit = enclosingFunc(r0);
  if (lit && lit !== F) {
    // go func() { io.Copy(dst, pr) }()
    if (lit.type !== 'func_literal' || lit.parent?.type !== 'call_expression' || lit.parent.parent?.type !== 'go_statement' || enclosingFunc(lit) !== F) return undefined;
    if (refs.some((r) => enclosingFunc(r) !== lit)) return undefined;
    return readsToEnd(fc, lit, refs);
  }
  // go handle(server)
  if (refs.length !== 1) return undefined;
  const args = r0.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  if (call?.type !== 'call_expression' || call.parent?.type !== 'go_statement') return undefined;
  const c = fc.res.callee(call);
  if (c.kind !== 'func' || c.obj.pkg !== fc.facts.pkg) return undefined;
  const target = pass.pkg.funcDecls.find((d) => d.decl === c.obj.node);
  if (!target) return undefined;
  const idx = named(args as Node).indexOf(r0);
  const tfc = pass.facts.funcCtx(target.decl, target.file);
  const pv = paramVarsOf(tfc, target.decl)[idx];
  if (!pv) return undefined;
  const prefs = tfc.res.refs.get(pv) ?? [];
  if (prefs.some((r) => enclosingFunc(r) !== target.decl)) return undefined;
  return readsToEnd(tfc, target.decl, prefs);
}

/** Every reference reads to the end (io.Copy's source, io.ReadAll, an err-only `Read` loop) or is a deferred Close; the first such read. */
function readsToEnd(fc: FuncCtx, fn: Node, refs: Node[]): PipeWait | undefined {
  let wait: PipeWait | undefined;
  for (const r of refs) {
    const p = r.parent;
    if (p?.type === 'selector_expression' && field(p, 'operand') === r && p.parent?.type === 'call_expression' && field(p.parent, 'function') === p) {
      const m = fc.text(field(p, 'field') ?? p);
      if (m === 'Close' && p.parent.parent?.type === 'defer_statement') continue;
      if (m === 'Read' && readLoopEndsOnErrorOnly(fc, fn, p.parent)) {
        wait ??= { fc, node: p.parent, what: 'the read loop' };
        continue;
      }
      return undefined;
    }
    const call = p?.type === 'argument_list' ? p.parent : undefined;
    if (call?.type !== 'call_expression') return undefined;
    const std = stdName(fc, call, fc.res.callee(call));
    const at = std ? READS_TO_EOF.get(std) : undefined;
    if (at === undefined || named(p as Node)[at] !== r) return undefined;
    wait ??= { fc, node: call, what: std as string };
  }
  return wait;
}

/**
 * `n, err := c.Read(buf)` as a statement of an endless `for {}` whose every way out
 * (return, break of the loop, goto) is inside an `if` testing that `err`.
 */
function readLoopEndsOnErrorOnly(fc: FuncCtx, fn: Node, read: Node): boolean {
  const list = read.parent;
  const sv = list?.parent;
  if (list?.type !== 'expression_list' || sv?.type !== 'short_var_declaration' || named(list).length !== 1) return false;
  const lhs = named(field(sv, 'left') ?? sv);
  const errVar = lhs.length === 2 ? fc.res.defs.get(lhs[1] as Node) : undefined;
  if (!errVar) return false;
  let loop: Node | undefined;
  for (let p = sv.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'func_literal') return false;
    if (p.type === 'for_statement') {
      loop = p;
      break;
    }
  }
  if (!loop || loop.children.some((c) => c.type === 'for_clause' || c.type === 'range_clause' || c.field === 'condition')) return false;
  const lp = loop;
  const testsErr = (x: Node): boolean => {
    for (let q = x.parent; q && q !== lp; q = q.parent) {
      if (q.type !== 'if_statement') continue;
      // Exactly `err != nil` or `err == io.EOF`: a condition that can hold without an error is another way out.
      const cond = field(q, 'condition');
      const c = cond ? unparen(cond) : undefined;
      const [l, r] = c?.type === 'binary_expression' ? named(c) : [];
      if (!c || !l || !r || unparen(l).type !== 'identifier' || fc.res.localOf(unparen(l)) !== errVar) continue;
      const op = fc.text(c).slice(l.end - c.start, r.start - c.start).trim();
      if ((op === '!=' && fc.text(r) === 'nil') || (op === '==' && fc.text(r) === 'io.EOF')) return true;
    }
    return false;
  };
  let ok = true;
  walk(field(lp, 'body') ?? lp, (x) => {
    if (x.type === 'func_literal') return false;
    if (x.type === 'goto_statement' || x.type === 'return_statement' || (x.type === 'break_statement' && breaksOut(x, lp))) if (!testsErr(x)) ok = false;
    return undefined;
  });
  return ok;
}

/** True when `brk` leaves `loop` (labelled, or no select/switch/for in between). */
function breaksOut(brk: Node, loop: Node): boolean {
  if (named(brk).length > 0) return true;
  for (let p = brk.parent; p && p !== loop; p = p.parent) {
    if (p.type === 'select_statement' || p.type === 'for_statement' || p.type === 'expression_switch_statement' || p.type === 'type_switch_statement') return false;
  }
  return true;
}
