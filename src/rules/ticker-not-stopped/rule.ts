/**
 * @fileoverview ticker-not-stopped: a `time.NewTicker` that is never stopped, or a
 * `time.Tick`, in a function that can return. Before Go 1.23 a ticker is referenced by
 * the runtime timer heap until it is stopped, so once the function has returned it keeps
 * firing and can never be collected (time.Tick docs before Go 1.23: "the underlying
 * Ticker cannot be recovered by the garbage collector; it 'leaks'"). From Go 1.23 on
 * unreferenced tickers are collected (Go 1.23 release notes, "Timer changes") and nothing
 * is reported (issue 11), unless GODEBUG asynctimerchan=1 brings the old timers back.
 * Modelled on staticcheck SA1015, which is also
 * version-gated, but it also covers NewTicker without Stop.
 */
import { timersCollected } from '../../analysis/loops.js';
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { cfgNodeOf, reachableBlocks, type Block } from '../../go/cfg.js';
import { deref, isNamed, isNamedOrPtr, underlying } from '../../go/types.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import type { Pass } from '../../analysis/pass.js';
import { paramVarsOf, programModel, type FuncNode, type Goroutine, type ProgramModel } from '../../analysis/program/index.js';
import { directCallers } from '../../analysis/program/results.js';
import { endsProcess } from '../../analysis/program/chans.js';
import { breaksOutOf } from '../../analysis/goloops.js';
import { siteRef } from '../../analysis/rule.js';

export default createRule({
  id: 'ticker-not-stopped',
  severity: 'warning',
  since: '0.2.0',
  category: 'memory-leak',
  description: 'A time.NewTicker that is never stopped, or time.Tick, in a function that can return: before Go 1.23 the ticker is never collected.',
  help:
    'Call defer t.Stop() right after t := time.NewTicker(d); replace time.Tick with a NewTicker you stop. Before Go 1.23 an unstopped ticker keeps firing and is never garbage-collected.',
  triggers: /\btime\.(?:NewTicker|Tick)\s*\(/,
  run(pass) {
    checkEndlessTickerGoroutines(pass);
    // Go 1.23+: an unreferenced ticker is collected, and one nobody receives from is not
    // in the timer heap at all: nothing left to report (issue 11, family 8).
    if (timersCollected(pass)) return;
    const gate =
      pass.pkg.goDebug('asynctimerchan') === '1' && pass.goVersion
        ? `GODEBUG asynctimerchan=1 brings back the timers of Go before 1.23 (module go ${pass.goVersion}): the runtime keeps it alive and firing forever`
        : `before Go 1.23${pass.goVersion ? ` (module go ${pass.goVersion})` : ' (no go.mod: assuming Go < 1.23)'} the runtime keeps it alive and firing forever`;
    for (const fc of pass.functions()) {
      // main.main returning ends the process: nothing outlives it; nor does a function or
      // method whose return ends the process ({@link endsProcess}).
      if (pass.pkg.name === 'main' && fc.decl.type === 'function_declaration' && fc.name === 'main') continue;
      const owns = endsProcess(pass, fc.decl);
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        const fnExpr = field(n, 'function');
        const t = fnExpr ? fc.text(fnExpr).replace(/\s+/g, '') : '';
        if (t !== 'time.NewTicker' && t !== 'time.Tick') return;
        const c = fc.res.callee(n);
        if (c.kind !== 'func' || (c.fullName !== 'time.NewTicker' && c.fullName !== 'time.Tick')) return;
        const fn = fc.res.enclosingFunc(n);
        if (owns && fn === fc.decl) return;
        const line = fc.file.line(n.start);
        if (c.fullName === 'time.Tick' || isDotC(n)) {
          const what = c.fullName === 'time.Tick' ? 'time.Tick' : 'time.NewTicker(...).C';
          const user = tickChannelUse(fc, n);
          if (!user) return;
          const ret = returnAfter(fc, fn, user);
          if (ret === undefined) return;
          pass.report({
            node: n,
            file: fc.file,
            message: `${what} at line ${line} makes a ticker that can never be stopped, and ${funcLabel(fc, fn)} returns (${ret}): ${gate}`,
            fixHint: 'use t := time.NewTicker(d) with defer t.Stop() (time.Tick is only for tickers that live as long as the program)',
          });
          return;
        }
        const v = boundVar(fc, n);
        if (!v || v.kind !== 'var') return;
        const uses = tickerUses(fc, v);
        if (!uses || uses.stopped) return;
        const ret = returnAfter(fc, fn, n);
        if (ret === undefined) return;
        const stmt = n.parent?.parent;
        const fixable =
          !uses.inClosure &&
          stmt?.type === 'short_var_declaration' &&
          stmt.parent?.type === 'statement_list' &&
          exprList(field(stmt, 'left')).length === 1 &&
          !inLoop(stmt, fn);
        let loopAround: Node | undefined;
        for (let p = n.parent; p && p !== fn && !loopAround; p = p.parent) if (p.type === 'for_statement') loopAround = p;
        const indent = /^\s*/.exec(fc.file.lineText(line))?.[0] ?? '';
        const after = stmt ? fc.file.line(stmt.end) : line; // the statement may span lines
        pass.report({
          node: n,
          file: fc.file,
          message: loopAround
            ? `ticker "${v.name}" from time.NewTicker at line ${line} is created on every iteration of the loop at line ${fc.file.line(loopAround.start)} and never stopped: each iteration leaves one more ticker running (${funcLabel(fc, fn)} also returns, ${ret}); ${gate}`
            : `ticker "${v.name}" from time.NewTicker at line ${line} is never stopped, and ${funcLabel(fc, fn)} returns (${ret}): ${gate}`,
          fixHint: loopAround ? `create the ticker once before the loop at line ${fc.file.line(loopAround.start)} (with defer ${v.name}.Stop()), or stop it at the end of each iteration` : `call defer ${v.name}.Stop() right after line ${after}`,
          fix: fixable
            ? {
                description: `Insert "defer ${v.name}.Stop()" after line ${after}`,
                edits: [{ range: { start: fc.file.position(fc.file.lineStart(after + 1)), end: fc.file.position(fc.file.lineStart(after + 1)) }, newText: `${indent}defer ${v.name}.Stop()\n` }],
              }
            : undefined,
        });
      });
    }
  },
});

function isDotC(call: Node): boolean {
  const p = call.parent;
  return p?.type === 'selector_expression' && field(p, 'operand') === call;
}

/** The local a `x := time.NewTicker(d)` / `var x = ...` / `x = ...` binds the ticker to. */
function boundVar(fc: FuncCtx, call: Node): LocalVar | undefined {
  const list = call.parent;
  if (list?.type !== 'expression_list') return undefined;
  const stmt = list.parent;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement' && stmt.type !== 'var_spec')) return undefined;
  const i = exprList(list).indexOf(call);
  const lhs = stmt.type === 'var_spec' ? named(stmt).filter((x) => x.field === 'name') : exprList(field(stmt, 'left'));
  const id = lhs[i];
  if (!id || id.type !== 'identifier' || (stmt.type === 'assignment_statement' && fc.text(stmt).match(/^[^=]*[+\-*/%&|^<>]=/))) return undefined;
  return fc.res.localOf(id);
}

/**
 * How a ticker variable is used: stopped somewhere (any `t.Stop()`, deferred or not, in
 * the function or a closure), or undefined when it escapes (returned, stored, passed,
 * re-assigned, used by a goroutine), in which case someone else may stop it.
 */
function tickerUses(fc: FuncCtx, v: LocalVar): { stopped: boolean; inClosure: boolean } | undefined {
  let stopped = false;
  let inClosure = false;
  for (const ref of fc.res.refs.get(v) ?? []) {
    if (fc.res.enclosingFunc(ref) !== v.func) inClosure = true;
    // A goroutine that uses the ticker keeps it (and its purpose) alive after this
    // function returns; stopping it is that goroutine's business (stdlib triage:
    // os/exec's test helper hands a probe ticker to a goroutine).
    if (inGoroutine(ref, v.func)) return undefined;
    const p = ref.parent;
    if (p?.type !== 'selector_expression' || field(p, 'operand') !== ref) return undefined;
    const f = field(p, 'field');
    const name = f ? fc.text(f) : '';
    if (name === 'Stop' && p.parent?.type === 'call_expression') stopped = true;
    else if (name !== 'C' && name !== 'Reset') return undefined;
    // `x := t.C` hands the channel on: fine, the ticker itself is still only ours.
  }
  return { stopped, inClosure };
}

/**
 * The node that consumes a `time.Tick(d)` / `NewTicker(d).C` channel when the channel
 * stays in this function (a receive, a range, a select case, a local only received
 * from); undefined when it escapes (returned, stored, passed on).
 */
function tickChannelUse(fc: FuncCtx, call: Node): Node | undefined {
  let e: Node = isDotC(call) ? (call.parent as Node) : call;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return undefined;
  if (p.type === 'unary_expression') return p;
  if (p.type === 'range_clause' && field(p, 'right') === e) return p;
  if (p.type === 'expression_list') {
    const stmt = p.parent;
    if (stmt?.type !== 'short_var_declaration' && stmt?.type !== 'var_spec') return undefined;
    const i = exprList(p).indexOf(e);
    const lhs = stmt.type === 'var_spec' ? named(stmt).filter((x) => x.field === 'name') : exprList(field(stmt, 'left'));
    const id = lhs[i];
    const v = id?.type === 'identifier' ? fc.res.localOf(id) : undefined;
    if (!v || v.kind !== 'var') return undefined;
    for (const ref of fc.res.refs.get(v) ?? []) {
      let r: Node = ref;
      while (r.parent?.type === 'parenthesized_expression') r = r.parent;
      const rp = r.parent;
      const ok = (rp?.type === 'unary_expression' && fc.text(rp).startsWith('<-')) || (rp?.type === 'range_clause' && field(rp, 'right') === r);
      if (!ok) return undefined;
    }
    return stmt;
  }
  return undefined;
}

/**
 * Where the function holding `n` can return after `n` ("the return at line N" or "at
 * its end"), or undefined when no normal return is reachable (an endless loop).
 */
function returnAfter(fc: FuncCtx, fn: Node, n: Node): string | undefined {
  const g = fc.cfg(fn);
  if (!g) return undefined;
  const s = cfgNodeOf(g, n);
  const loc = s ? g.where.get(s) : undefined;
  if (!loc) return undefined;
  // A range over a ticker's channel never ends: Stop does not close the channel (time
  // docs, Ticker.Stop), so the loop's exit edge is not a real path.
  const skip = new Map<Block, Block>();
  walk(fn, (x) => {
    if (x !== fn && x.type === 'func_literal') return false;
    if (x.type !== 'for_statement') return;
    const rc = x.children.find((c) => c.type === 'range_clause');
    const right = rc ? field(rc, 'right') : undefined;
    const head = g.loopHeads.get(x);
    const done = head?.succs[1];
    if (right && head && done && isTickerChan(fc, right)) skip.set(head, done);
  });
  const r = reachableBlocks(loc.block, (a, b) => skip.get(a) === b);
  if (!r.has(g.exit)) return undefined;
  // Prefer naming an explicit return statement on a reachable path.
  for (const b of r) {
    for (const x of b.nodes) if (x.type === 'return_statement' && b.succs.includes(g.exit) && (b !== loc.block || x.start > n.start)) return `the return at line ${fc.file.line(x.start)}`;
  }
  return 'at its end';
}

/** `t.C` of a *time.Ticker, `time.Tick(d)`, or a local initialised with either. */
function isTickerChan(fc: FuncCtx, e: Node): boolean {
  const x = unparen(e);
  if (x.type === 'selector_expression') {
    const op = field(x, 'operand');
    const f = field(x, 'field');
    return !!op && !!f && fc.text(f) === 'C' && isNamedOrPtr(fc.res.typeOf(op), 'time', 'Ticker');
  }
  if (x.type === 'call_expression') {
    const c = fc.res.callee(x);
    return c.kind === 'func' && c.fullName === 'time.Tick';
  }
  const v = fc.res.varOf(x);
  return !!v && v.kind === 'var' && !!v.init && v.init.count === 1 && isTickerChan(fc, v.init.expr);
}

/** True when `n` is inside a `go func() {...}()` literal nested in `outer`. */
function inGoroutine(n: Node, outer: Node): boolean {
  for (let p = n.parent; p && p !== outer; p = p.parent) {
    if (p.type === 'func_literal' && p.parent?.type === 'call_expression' && p.parent.parent?.type === 'go_statement') return true;
  }
  return false;
}

function funcLabel(fc: FuncCtx, fn: Node): string {
  return fn === fc.decl ? `${fc.name}` : `the function literal at line ${fc.file.line(fn.start)}`;
}

function inLoop(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement') return true;
    if (p.type === 'func_literal') return false;
  }
  return false;
}

/**
 * A goroutine whose body is a loop on a ticker (`for range time.Tick(d)`, `for { <-t.C }`,
 * a `for { select }` whose cases include the ticker) with no way out — no return, no
 * break out of the loop, no goto, no os.Exit/runtime.Goexit/panic/log.Fatal —, started
 * again and again: by a `go` in a loop, or by a function called in a loop. The ticker
 * channel is never closed (Stop does not close it, time.Tick cannot be stopped), so each
 * start adds a goroutine and a ticker that live as long as the process, whatever the Go
 * version — corpus cases time-tick-per-session and ticker-loop-without-exit. A single
 * background ticker loop (started once, from main or init) is by design and not reported.
 */
function checkEndlessTickerGoroutines(pass: Pass): void {
  const cands: Array<{ fc: FuncCtx; fn: Node; wait: Node }> = [];
  for (const fc of pass.functions()) {
    const fns: Node[] = [fc.decl];
    walk(fc.decl, (n) => {
      if (n.type === 'func_literal') fns.push(n);
    });
    for (const fn of fns) {
      const body = field(fn, 'body');
      const stmts = body ? named(body).flatMap((c) => (c.type === 'statement_list' ? named(c) : [c])) : [];
      for (const loop of stmts.filter((st) => st.type === 'for_statement')) {
        const wait = endlessTickerWait(fc, loop);
        if (wait) cands.push({ fc, fn, wait });
      }
    }
  }
  if (cands.length === 0) return;
  const m = programModel(pass.facts);
  for (const { fc, fn, wait } of cands) {
    const F = m.funcOf(fn);
    if (!F) continue;
    const g = m.goroutines().find((x) => x.complete && x.targets.length === 1 && x.targets[0] === F);
    if (!g) continue;
    const why = startedRepeatedly(m, g);
    if (!why) continue;
    // A fixed number of ticker loops started once by main or init is a program-lifetime
    // design, unless the goroutine ignores a stop signal it was given.
    const startup = g.from.node === g.from.fc.decl && g.from.fc.decl.type === 'function_declaration' && pass.pkg.name === 'main' && (g.from.fc.name === 'main' || g.from.fc.name === 'init');
    if (startup && g.multiplicity !== 'many' && !ignoresStop(m, g, F)) continue;
    pass.report({
      node: wait,
      file: fc.file,
      message: `${fn.type === 'func_literal' ? 'this goroutine' : `${F.name} (a goroutine)`} loops on a ticker with no way out, and it is started ${why} (${siteRef(g.from.fc.file, g.site.start, fc.file)}): every start adds a goroutine and a ticker that run until the process exits`,
      fixHint: 'give the loop a way out (select on a done channel or ctx.Done() next to the ticker) and stop the ticker (t := time.NewTicker(d); defer t.Stop())',
    });
  }
}

/** The ticker wait (range clause, receive) of a `for` loop that never ends, or undefined. */
function endlessTickerWait(fc: FuncCtx, loop: Node): Node | undefined {
  const clause = loop.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause' || c.field === 'condition');
  let wait: Node | undefined;
  if (clause?.type === 'range_clause') {
    const over = field(clause, 'right');
    if (!over || !isTickerChan(fc, over)) return undefined;
    wait = clause;
  } else if (clause) return undefined;
  let exit = false;
  walk(field(loop, 'body') ?? loop, (n) => {
    if (exit || n.type === 'func_literal') return false;
    if (n.type === 'return_statement' || n.type === 'goto_statement' || n.type === 'labeled_statement') exit = true;
    else if (n.type === 'break_statement' && breaksOutOf(n, loop)) exit = true;
    else if (n.type === 'call_expression') {
      const c = fc.res.callee(n);
      if (c.kind === 'builtin' && c.name === 'panic') exit = true;
      if (c.kind === 'func' && /^(?:os\.Exit|runtime\.Goexit|log\.(?:Fatal|Panic)\w*)$/.test(c.fullName)) exit = true;
      if (c.kind === 'method' && /^(?:Fatal|Panic|Goexit|FailNow|Exit)/.test(c.method.name)) exit = true;
    } else if (!wait && n.type === 'unary_expression' && n.children[0]?.type === '<-') {
      const ch = field(n, 'operand');
      if (ch && isTickerChan(fc, ch)) {
        wait = n;
        for (let p = n.parent; p && p !== loop; p = p.parent) if (p.type === 'select_statement') wait = p;
      }
    }
    return undefined;
  });
  return exit ? undefined : wait;
}

/** How a goroutine start repeats ("in a loop", "by session, which main calls in a loop"), or undefined when it runs once per program. */
function startedRepeatedly(m: ProgramModel, g: Goroutine): string | undefined {
  if (g.multiplicity !== 'one') return 'in a loop';
  const F: FuncNode = g.from;
  if (F.node.type === 'func_literal' || F.node !== F.fc.decl) return undefined;
  for (const cs of directCallers(m, F)) {
    for (let p = cs.call.parent; p && p !== cs.from.node; p = p.parent) {
      if (p.type === 'func_literal') break;
      if (p.type === 'for_statement') return `by ${F.name}, which ${cs.from.name} calls in a loop`;
    }
  }
  return undefined;
}

/**
 * True when the goroutine was handed a stop signal it never looks at: a channel or
 * context parameter of its function it never uses, or a channel field of its receiver's
 * type that the program closes while the goroutine never receives from it.
 */
function ignoresStop(m: ProgramModel, g: Goroutine, F: FuncNode): boolean {
  const fc = F.fc;
  for (const v of paramVarsOf(fc, F.node)) {
    if (!v || v.name === '_' || (fc.res.refs.get(v) ?? []).some((r) => r !== v.ident)) continue;
    const t = fc.res.varType(v);
    if (underlying(t).kind === 'chan' || isNamed(t, 'context', 'Context')) return true;
  }
  if (F.node.type !== 'method_declaration') return false;
  const recv = receiverType(fc, F.node);
  if (!recv) return false;
  const prefix = `f:${recv}.`;
  const received = new Set(m.goroutineOps(g, ['recv', 'range']).map((o) => o.cls));
  return m.functions().some((f) => m.opsIn(f).some((o) => o.kind === 'close' && !received.has(m.info(o.cls).id) && m.info(o.cls).keys.some((k) => k.startsWith(prefix))));
}

/** `pkg.T` for a method with receiver `(x T)` / `(x *T)`. */
function receiverType(fc: FuncCtx, decl: Node): string | undefined {
  const r = field(decl, 'receiver');
  const p = r ? named(r).find((c) => c.type === 'parameter_declaration') : undefined;
  const t = p ? field(p, 'type') : undefined;
  const d = t ? deref(fc.res.typeFromExpr(t)) : undefined;
  return d?.kind === 'named' ? `${d.pkg}.${d.name}` : undefined;
}
