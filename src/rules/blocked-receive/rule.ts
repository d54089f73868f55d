/**
 * @fileoverview blocked-receive: a goroutine receives from a channel made in the
 * enclosing function, and on some path nothing ever sends on it or closes it before
 * that function returns and drops its last reference. A receive from a channel that no
 * one can send on or close blocks forever (Go spec, "Receive operator": "The expression
 * blocks until a value is available"), so the goroutine leaks — the seed's
 * `leakyGoroutine()` / `leak()` examples (§1, §2.1).
 *
 * Two shapes are reported:
 * - never woken: nothing in the declaration (the function, its closures, goroutines and
 *   the same-package helpers the channel is passed to) sends on or closes the channel;
 * - abandoned on a path: every send/close is a plain statement of the making function
 *   after the `go` statement, and some path from the `go` statement to a `return`
 *   passes none of them.
 * A `select` in a goroutine is reported when it has no default and every case receives
 * from a never-woken local channel.
 *
 * Silent (precision first) when the channel escapes (returned, stored, sent, passed to
 * another package such as `signal.Notify`, re-assigned), when the receive is one case of
 * a select with another live case (`ctx.Done()`, a done channel, `time.After`), and for
 * channels the function did not make (parameters, fields, `time.After`, `ticker.C`).
 */
import { chanUses, enclosingLoop, localChan, type ChanUse } from '../../analysis/chanfacts.js';
import { calleeParam, chanFate, goroutineClosures, inDefer, neverWoken, selectCases, selectOfRecv, type ChanFate } from '../../analysis/chansummary.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { programModel, type FuncNode, type ObjectInfo, type Op, type ProgramModel } from '../../analysis/program/index.js';
import { beyondOneFunction, chanModel, chanOps, describeObject, inMainMain } from '../../analysis/program/chans.js';
import { directCallers } from '../../analysis/program/results.js';
import { reachesAvoiding } from '../../analysis/joins.js';
import { createRule, siteRef } from '../../analysis/rule.js';
import { escapingPathPastFailedTests, failsTestAt } from '../../analysis/testfail.js';
import { cfgNodeOf } from '../../go/cfg.js';
import type { LocalVar } from '../../go/resolve.js';
import type { SourceFile } from '../../go/source.js';
import { enclosingFunc, exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'blocked-receive',
  severity: 'warning',
  since: '0.2.0',
  category: 'goroutine-leak',
  description: 'A goroutine receives from a channel that, on some path, nothing sends on or closes.',
  help:
    'A receive blocks until a value is sent or the channel is closed. If the function that made the channel can return without doing either (and nothing else holds the channel), the receiving goroutine blocks forever. Send or close on every path (often "defer close(ch)"), or let the goroutine also select on ctx.Done() or a done channel.',
  // A channel make and a go statement must both appear in the declaration (the receive
  // may be in a same-package helper started with go). Same trigger as abandoned-sender,
  // so both rules share the resolved functions.
  triggers: /^(?=[\s\S]*?\bmake\(\s*chan\b)(?=[\s\S]*?\bgo\s+(?:func\b|[\w.]+\s*[([]))/,
  run(pass) {
    // Nodes already reported, so the model's skipped-close check (last) adds no duplicate.
    const seen = new Set<Node>();
    const report = pass.report.bind(pass);
    pass.report = (r) => {
      seen.add(r.node as Node);
      report(r);
    };
    checkModelRecvs(pass);
    checkTimerDrains(pass);
    checkReceiveOnlyFresh(pass);
    checkOnlyFreshClosed(pass);
    for (const fc of pass.functions()) {
      // Local channels grouped by the function that makes them (one pass over the defs).
      const byFn = new Map<Node, LocalVar[]>();
      for (const [ident, v] of fc.res.defs) {
        if (ident !== v.ident || !localChan(fc, v)) continue;
        const list = byFn.get(v.func);
        if (list) list.push(v);
        else byFn.set(v.func, [v]);
      }
      for (const [fn, vars] of byFn) {
        const closures = goroutineClosures(fc, fn);
        const emit: Emit = (node, message, fixHint) => pass.report({ node, file: fc.file, message, fixHint });
        const dead = new Map<LocalVar, ChanFate>();
        for (const v of vars) {
          const fate = chanFate(fc, v);
          if (fate.escapes) continue;
          if (neverWoken(fate)) dead.set(v, fate);
          checkChannel(fc, fn, v, fate, closures, neverWoken(fate), emit);
        }
        if (dead.size > 0) checkSelects(fc, fn, closures, dead, emit);
      }
    }
    checkSkippedClose(pass, seen);
  },
});

type Emit = (node: Node, message: string, fixHint: string) => void;

/** A receive that blocks until this channel is ready: not a case of a select with other cases. */
function blockingRecv(u: ChanUse): boolean {
  if (u.kind !== 'recv') return false;
  const sel = selectOfRecv(u.op);
  return !sel || selectCases(sel).length === 1;
}

function checkChannel(fc: FuncCtx, fn: Node, v: LocalVar, fate: ChanFate, closures: Map<Node, Node[]>, dead: boolean, emit: Emit): void {
  // A goroutine literal that makes the channel and then waits on it itself
  // (`go func() { c := make(chan T); <-c }()`) is reported when nothing wakes it.
  const selfGo = dead && fn.type === 'func_literal' && fn.parent?.type === 'call_expression' && fn.parent.parent?.type === 'go_statement';
  const goRecvs = fate.receives.filter((u) => (closures.has(u.func) || (selfGo && u.func === fn)) && blockingRecv(u));
  if (dead) for (const u of fate.helperReceives) helperRecv(fc, v, u, emit);
  if (goRecvs.length === 0) return;
  const fnName = fn === fc.decl ? fc.name : 'the enclosing function';
  const started = (u: ChanUse): string => {
    const gs = u.func === fn && fn.parent?.parent?.type === 'go_statement' ? [fn.parent.parent] : (closures.get(u.func) ?? []);
    return gs.length === 1 && gs[0] ? ` (goroutine started at line ${fc.file.line(gs[0].start)})` : '';
  };
  if (dead) {
    for (const u of goRecvs) {
      emit(
        u.op,
        `goroutine blocks forever receiving from "${v.name}" at line ${fc.file.line(u.op.start)}: nothing sends on or closes "${v.name}", and it never leaves ${fnName}${started(u)}`,
        `send the value the goroutine waits for, or close "${v.name}" when there is nothing to send (e.g. "defer close(${v.name})"); if the goroutine only waits for cancellation, select on ctx.Done() instead`,
      );
    }
    return;
  }
  // Abandoned on a path: one receive in one goroutine started once, every wake-up a
  // plain statement of fn after the go statement, and fn does not receive itself.
  if (goRecvs.length !== 1 || fate.receives.length !== 1 || fate.helperReceives.length > 0) return;
  const u = goRecvs[0] as ChanUse;
  const gos = closures.get(u.func) ?? [];
  const goStmt = gos[0];
  if (gos.length !== 1 || !goStmt || enclosingLoop(goStmt, fn) || enclosingLoop(u.op, u.func)) return;
  const wakers = [...fate.sends, ...fate.closes, ...fate.helperSends, ...fate.helperCloses];
  for (const w of wakers) {
    if (w.func !== fn || w.kind === 'guarded-send' || inDefer(w.op, fn) || w.op.start < goStmt.end) return;
    // A wake-up inside a loop (often a select case that fires once other events have
    // happened) depends on the order of events, which a CFG path does not capture: a
    // path that leaves the loop early is not evidence (net/http/serve_test.go:3636).
    if (enclosingLoop(w.op, fn)) return;
  }
  const g = fc.cfg(fn);
  const start = g ? cfgNodeOf(g, goStmt) : undefined;
  if (!g || !start) return;
  // A path that has failed the test (`t.Errorf(...); return`, the branch of a failed testify
  // assertion) or a goroutine's return that leaves its starter only a failing timeout case
  // abandons the receiver in a run `go test` reports as failed: not evidence.
  const wakes = (n: Node): boolean => wakers.some((w) => w.op.start >= n.start && w.op.end <= n.end) || failsTestAt(fc, n);
  const path = escapingPathPastFailedTests(fc, fn, g, start, wakes);
  if (!path) return;
  const at = path.last ? `at line ${fc.file.line(path.last.start)}` : 'at its end';
  emit(
    u.op,
    `goroutine blocks forever receiving from "${v.name}" at line ${fc.file.line(u.op.start)}: ${fnName} can return ${at} without sending on or closing "${v.name}", and nothing else holds it${started(u)}`,
    `close "${v.name}" on every path (e.g. "defer close(${v.name})" right after the make) or send on it before each return; alternatively let the goroutine select on ctx.Done()`,
  );
}

/** `select { case <-a: case <-b: }` in a goroutine where every case is a never-woken local channel. */
function checkSelects(fc: FuncCtx, fn: Node, closures: Map<Node, Node[]>, dead: Map<LocalVar, ChanFate>, emit: Emit): void {
  const seen = new Set<Node>();
  for (const [, fate] of dead) {
    for (const u of fate.receives) {
      const sel = u.kind === 'recv' && closures.has(u.func) ? selectOfRecv(u.op) : undefined;
      if (!sel || seen.has(sel)) continue;
      seen.add(sel);
      const cases = selectCases(sel);
      if (cases.length < 2) continue; // a single-case select is reported as a plain receive
      const names: string[] = [];
      let allDead = true;
      for (const c of cases) {
        const comm = c.type === 'communication_case' ? field(c, 'communication') : undefined;
        const recv = comm?.type === 'receive_statement' ? field(comm, 'right') : undefined;
        const operand = recv && unparen(recv).type === 'unary_expression' ? field(unparen(recv), 'operand') : undefined;
        const cv = operand && unparen(operand).type === 'identifier' ? fc.res.uses.get(unparen(operand)) : undefined;
        if (!cv || !dead.has(cv)) {
          allDead = false;
          break;
        }
        if (!names.includes(cv.name)) names.push(cv.name);
      }
      if (!allDead) continue;
      const gs = closures.get(u.func) ?? [];
      const started = gs.length === 1 && gs[0] ? ` (goroutine started at line ${fc.file.line(gs[0].start)})` : '';
      emit(
        sel,
        `goroutine blocks forever in the select at line ${fc.file.line(sel.start)}: none of its channels (${names.map((n) => `"${n}"`).join(', ')}) is ever sent on or closed, and none leaves ${fn === fc.decl ? fc.name : 'the enclosing function'}${started}`,
        'add a case that can fire (ctx.Done(), a done channel that is closed on shutdown), or send on / close one of the channels',
      );
    }
  }
}

/**
 * `go worker(ch)` where the same-package worker receives from that parameter (outside a
 * select with other cases) and nothing sends on or closes the channel: reported at the
 * argument, naming the helper's receive, so a helper used correctly elsewhere is not blamed.
 */
function helperRecv(fc: FuncCtx, v: LocalVar, u: ChanUse, emit: Emit): void {
  const call = u.op;
  if (call.parent?.type !== 'go_statement') return;
  const cp = calleeParam(fc, u);
  if (!cp) return;
  const r = chanUses(cp.fc, cp.param).find((hu) => hu.func === cp.fn && blockingRecv(hu));
  if (!r) return;
  const where = cp.fc === fc ? `line ${fc.file.line(r.op.start)}` : `${cp.fc.file.path.split('/').pop() ?? ''}:${cp.fc.file.line(r.op.start)}`;
  emit(
    u.ref,
    `${cp.fn.type === 'func_literal' ? 'the goroutine' : `goroutine ${cp.name}`} blocks forever receiving from "${v.name}" (${where}): nothing sends on or closes "${v.name}" (goroutine started at line ${fc.file.line(call.start)})`,
    `send the value ${cp.name} waits for, or close "${v.name}" when there is nothing to send; if it only waits for cancellation, pass a context and select on ctx.Done()`,
  );
}

/**
 * Channels that live beyond one function (struct fields, package variables, and the
 * locals, parameters and results that share them — see src/analysis/program) that the
 * program model sees completely and that nothing in the package sends on or closes:
 * every blocking receive from them blocks forever (a "ready" signal whose close was
 * forgotten), and so does a select whose every case receives from such channels.
 * Receives in main.main are left alone (blocking there is how a program parks).
 */
/**
 * Receivers wait for a close that the only code closing the channel can skip: one
 * function P closes it (directly, or by calling the one function that does), P feeds
 * the channel (makes it, or sends on it directly or through a same-package call), and P
 * has a path from making or feeding it to an explicit `return` that passes no close (an
 * early error return before `close(ch)` / `q.Close()`, no `defer`). Receivers that wait
 * with plain receives or a range then wait forever (corpus cases
 * generic-queue-producer-returns-early, inflight-load-error-keeps-entry).
 */
function checkSkippedClose(pass: Pass, seen: Set<Node>): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const { obj, ops } of chanOps(m, ['send', 'recv', 'range', 'close'])) {
    if (!m.known(obj) || obj.std.size > 0 || obj.allocs.length === 0) continue;
    const closes = ops.filter((o) => o.kind === 'close');
    // A plain receive needs one value, not the close: when code that may run sends on the
    // channel, whether a receiver is left waiting is a matter of counts (N senders for N
    // receivers needs no close), which this check does not weigh. A range, and a receive
    // that asks whether the channel is closed (`v, ok := <-ch`), wait for the close.
    const sends = ops.some((o) => o.kind === 'send' && !m.isDead(o.fn));
    let waiters = ops.filter((o) => (o.kind === 'range' || (o.kind === 'recv' && (!sends || commaOk(o.node)))) && !o.guarded && !o.select);
    if (closes.length === 0 || waiters.length === 0) continue;
    const C = closes[0]?.fn as FuncNode;
    if (closes.some((c) => c.fn !== C)) continue;
    const madeIn = (F: FuncNode): Node | undefined => obj.allocs.find((a) => a.start >= F.node.start && a.end <= F.node.end && enclosingFunc(a) === F.node);
    let P: FuncNode | undefined;
    let points: Node[] = [];
    if (madeIn(C)) {
      P = C;
      points = closes.map((c) => c.node);
    } else {
      if (C.node.type === 'func_literal') continue;
      const callers = directCallers(m, C, true);
      const from = new Set(callers.map((cs) => cs.from));
      if (callers.length === 0 || from.size !== 1 || callers.some((cs) => cs.mode !== 'call' && cs.mode !== 'defer')) continue;
      P = callers[0]?.from as FuncNode;
      points = callers.map((cs) => cs.call);
    }
    if (!P || inMainMain({ fn: P } as Op)) continue;
    // Handed on (sent on a channel, or returned by P): whoever gets it may close it.
    if (m.containersOf(obj).some((c) => c.kind === 'chan') || m.resultOf(P, 0)?.id === obj.id || m.resultOf(P, 1)?.id === obj.id) continue;
    // A deferred close runs at every return after it.
    if (points.some((p) => p.parent?.type === 'defer_statement' || p.parent?.parent?.type === 'defer_statement')) continue;
    const made = madeIn(P);
    // Where P feeds the channel: its make, its sends, its calls of a function that sends.
    const feeds: Node[] = made ? [made] : [];
    for (const snd of ops.filter((o) => o.kind === 'send')) {
      if (snd.fn === P) feeds.push(snd.node);
      else if (snd.fn.node.type !== 'func_literal') for (const cs of directCallers(m, snd.fn)) if (cs.from === P) feeds.push(cs.call);
    }
    if (feeds.length === 0) continue;
    const g = P.fc.cfg(P.node);
    if (!g) continue;
    // P's own receives from the channel it made in this run stop waiting when P returns;
    // receives from a channel found elsewhere (another run's, through a map) do not.
    const PP = P;
    // P's own: in P, or in a literal of P that P runs on its own goroutine (an
    // immediately called `func() error { for err := range errc {...} }()`).
    const own = (F: FuncNode): boolean => F === PP || (F.node.type === 'func_literal' && F.node.start >= PP.node.start && F.node.end <= PP.node.end && m.reachable(PP).has(F));
    waiters = waiters.filter((w) => !(own(w.fn) && made && sameRunLocal(PP.fc, w.expr, made)));
    if (waiters.length === 0) continue;
    // Waiters on goroutines P starts wait only once started: paths begin at those go statements.
    const starts = m.goroutines().filter((gr) => gr.from === PP && waiters.some((w) => m.goroutineFuncs(gr).has(w.fn)));
    const barrier = (n: Node): boolean => points.some((p) => p.start >= n.start && p.end <= n.end);
    let fromNodes = feeds;
    if (waiters.every((w) => starts.some((gr) => m.goroutineFuncs(gr).has(w.fn)))) {
      // The go statements reached from a feed with no close between.
      const sites = starts.map((gr) => cfgNodeOf(g, gr.site)).filter((x): x is Node => !!x);
      fromNodes = sites.filter((site) => feeds.some((f) => {
        const at = cfgNodeOf(g, f);
        return !!at && !barrier(at) && (at === site || reachesAvoiding(g, at, (n) => n === site, barrier));
      }));
    }
    let ret: Node | undefined;
    // A path that has failed the test (`t.Error(err); return`, the branch of a failed testify
    // assertion), and returns of a goroutine that leave its starter's select no way on but a
    // failing case (`case <-timeout: t.Fatal("timeout")`), end a failed run that `go test`
    // reports: not evidence, the search goes past them (as checkChannel's does).
    const failing = new Set<Node>();
    const stop = (n: Node): boolean => barrier(n) || failsTestAt(PP.fc, n);
    for (const f of fromNodes) {
      const at = cfgNodeOf(g, f);
      if (!at || barrier(at)) continue;
      const last = escapingPathPastFailedTests(P.fc, P.node, g, at, stop, failing)?.last;
      // A close inside a loop around the return may have run in an earlier iteration.
      if (last?.type === 'return_statement' && !points.some((p) => loopAround(p, P.node, last))) {
        ret = last;
        break;
      }
    }
    if (!ret) continue;
    const pf = P.fc.file;
    for (const w of waiters) {
      if (seen.has(w.node)) continue;
      const fc = w.fn.fc;
      pass.report({
        node: w.node,
        file: fc.file,
        message: `${w.kind === 'range' ? 'the range over' : 'the receive from'} "${fc.text(w.expr)}" waits for a close that can be skipped: only ${P.name} closes ${describeObject(obj) === 'the channel' ? 'the channel' : describeObject(obj)} (${siteRef(pf, (points[0] as Node).start, fc.file)}), and it can return at ${siteRef(pf, ret.start, fc.file)} after ${made ? 'making' : 'sending on'} it without closing it, so the receiver waits forever`,
        fixHint: `close the channel on every path of ${P.name} (defer the close right after making or first using it)`,
        related: [{ file: pf.path, range: pf.range(ret), message: 'returns here without closing the channel' }],
      });
    }
  }
}

/** True when some loop of `fn` around `n` also contains `other`. */
function loopAround(n: Node, fn: Node, other: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'for_statement' && other.start >= p.start && other.end <= p.end) return true;
  return false;
}

/** True when `e` is a local of `fc` whose value is the channel made by `make` (`ch := make(chan T)`). */
function sameRunLocal(fc: FuncCtx, e: Node, make: Node): boolean {
  const id = unparen(e);
  const v = id.type === 'identifier' ? fc.res.uses.get(id) : undefined;
  return !!v?.init && unparen(v.init.expr) === make;
}

/** A timer drained after a failed Stop somewhere in the package: only then is the check worth the model. */
const DRAIN_TEXT = /!\s*[\w.]+\.Stop\(\)/;

/**
 * The drain idiom `if !t.Stop() { <-t.C }` on a timer whose channel is also received
 * somewhere else (the timer's own select case in a run loop). When that other receive
 * has already taken the value, Stop reports false (the timer expired) and nothing is
 * left in the channel: the plain drain blocks forever. The time package documents the
 * idiom as unsafe "concurrent to other receives from the Timer's channel" (time.Timer.Stop,
 * Go ≤ 1.22); from Go 1.23 the channel holds no stale value at all, so the drain blocks
 * whenever Stop returns false. Only plain receives (not a select with default) are drains.
 */
function checkTimerDrains(pass: Pass): void {
  if (!pass.pkg.files.some((f) => DRAIN_TEXT.test(f.text) && /\bNewTimer\b|\bAfterFunc\b|\.Reset\(/.test(f.text))) return;
  const m = programModel(pass.facts);
  const timerRecvs: Array<{ op: Op; timer: number }> = [];
  for (const fn of m.functions()) {
    for (const op of m.opsIn(fn)) {
      if (op.kind !== 'recv' || !m.info(op.cls).keys.includes('f:time.Timer.C')) continue;
      const e = unparen(op.expr);
      const x = e.type === 'selector_expression' ? field(e, 'operand') : undefined;
      const t = x ? m.objectOf(fn.fc, x) : undefined;
      if (t?.kind === 'timer') timerRecvs.push({ op, timer: t.id });
    }
  }
  for (const { op, timer } of timerRecvs) {
    if (op.select || op.guarded || !drainAfterStop(m, op, timer)) continue;
    // Both under one lock: the code serialises them by a protocol the model does not
    // follow (the receiver removing the timer's owner under the lock): stay silent.
    const held = new Set(m.heldAt(op.fn, op.node).map((l) => m.info(l.cls).id));
    const other = timerRecvs.find(
      (r) => r.timer === timer && r.op !== op && !drainAfterStop(m, r.op, timer) && !rearms(m, r.op, timer) && mayPrecede(m, r.op, op, timer) && !m.heldAt(r.op.fn, r.op.node).some((l) => held.has(m.info(l.cls).id)),
    );
    if (!other) continue;
    const fc = op.fn.fc;
    const of = other.op.fn.fc.file;
    pass.report({
      node: op.node,
      file: fc.file,
      message: `the drain "${fc.text(op.node)}" after Stop returned false can block forever: the timer's value is also received at ${siteRef(of, other.op.node.start, fc.file)} (in ${other.op.fn.name}); once that receive has taken it, Stop reports false (the timer expired) and nothing is left in the channel`,
      fixHint: 'drain without blocking (select { case <-t.C: default: }), or, on Go 1.23 and later, call Reset without draining',
      related: [{ file: of.path, range: of.range(other.op.node), message: 'the other receive of the timer channel' }],
    });
  }
}

/**
 * True when receive `other` can take the timer's value before drain `drain` runs on the
 * same timer: in one function, a CFG path leads from `other` to `drain` without making
 * the timer anew or resetting it (the two cases of one select exclude each other); in
 * different functions, the draining function is not the one that makes the timer (a
 * constructor's initial drain runs before anything else can receive).
 */
function mayPrecede(m: ProgramModel, other: Op, drain: Op, timer: number): boolean {
  const allocs = m.info(timer).allocs;
  const within = (n: Node, fn: FuncNode): boolean => n.start >= fn.node.start && n.end <= fn.node.end;
  if (other.fn !== drain.fn) return !allocs.some((a) => within(a, drain.fn));
  const g = drain.fn.fc.cfg(drain.fn.node);
  const from = g ? cfgNodeOf(g, other.node) : undefined;
  const to = g ? cfgNodeOf(g, drain.node) : undefined;
  if (!g || !from || !to) return false;
  const resets = m.opsIn(drain.fn).filter((o) => o.kind === 'reset' && m.info(o.cls).id === timer);
  const barrier = (n: Node): boolean => allocs.some((a) => a.start >= n.start && a.end <= n.end) || resets.some((r) => r.node.start >= n.start && r.node.end <= n.end);
  return reachesAvoiding(g, from, (n) => n === to, barrier);
}

/**
 * True when the code after receive `op` (its select case, or the rest of its function)
 * resets the same timer: then the timer runs again before anything can drain it, and a
 * failed Stop means its new value is waiting in the channel. The reset may be direct or
 * in a function that code calls (`case <-t.C: f.schedule(t)`, or a local closure
 * `rearm := func() { t.Reset(d) }` called there), including what that function calls in
 * turn on the same goroutine; a callee that resets the timer on some of its paths counts
 * (its conditions are the program's invariants, which the analysis does not know, so it
 * stays silent).
 */
function rearms(m: ProgramModel, op: Op, timer: number): boolean {
  let scope: Node = op.fn.node;
  if (op.select) for (let p = op.node.parent; p && p !== op.select; p = p.parent) if (p.type === 'communication_case') scope = p;
  const after = (n: Node): boolean => n.start > op.node.end && n.end <= scope.end;
  const resets = (f: FuncNode): boolean => m.opsIn(f).some((o) => o.kind === 'reset' && m.info(o.cls).id === timer);
  if (m.opsIn(op.fn).some((o) => o.kind === 'reset' && m.info(o.cls).id === timer && after(o.node))) return true;
  // Plain calls only: a deferred call runs when op.fn returns, after the loop has gone
  // back to the select, and a go statement's body runs on another goroutine.
  return m.callsFrom(op.fn).some((cs) => cs.mode === 'call' && after(cs.call) && cs.targets.some((t) => [...m.reachable(t)].some(resets)));
}

/** True when receive `op` is the drain of `if !t.Stop() { <-t.C }` for timer class `timer`. */
function drainAfterStop(m: ProgramModel, op: Op, timer: number): boolean {
  for (let p = op.node.parent; p && p !== op.fn.node; p = p.parent) {
    if (p.type === 'func_literal') return false;
    if (p.type !== 'if_statement') continue;
    const cons = field(p, 'consequence');
    if (!cons || op.node.start < cons.start || op.node.end > cons.end) continue;
    const cond = field(p, 'condition');
    const c = cond ? unparen(cond) : undefined;
    if (c?.type !== 'unary_expression' || op.fn.fc.text(c).trimStart()[0] !== '!') return false;
    const call = unparen(named(c)[named(c).length - 1] as Node);
    const fnx = call.type === 'call_expression' ? field(call, 'function') : undefined;
    if (fnx?.type !== 'selector_expression' || op.fn.fc.text(field(fnx, 'field') as Node) !== 'Stop') return false;
    const recv = field(fnx, 'operand');
    return !!recv && m.objectOf(op.fn.fc, recv)?.id === timer;
  }
  return false;
}

function checkModelRecvs(pass: Pass): void {
  const m = chanModel(pass);
  if (!m) return;
  const dead = (o: ObjectInfo): boolean => o.allocs.length > 0 && !m.alwaysNil(o) && m.mayBeWoken(o) === false;
  const selects = new Map<Node, Op[]>();
  for (const { obj, ops } of chanOps(m, ['recv'])) {
    for (const op of ops) {
      if (op.select && op.guarded) {
        const l = selects.get(op.select);
        if (l) l.push(op);
        else selects.set(op.select, [op]);
      }
    }
    if (!beyondOneFunction(obj) || !dead(obj)) continue;
    for (const op of ops) {
      if (op.guarded || inMainMain(op) || runsOnlyWhenBuffered(m, op)) continue;
      const file = op.fn.fc.file;
      pass.report({
        node: op.node,
        file,
        message: `receive from ${describeObject(obj)} at line ${file.line(op.node.start)} blocks forever: the ${obj.keys.some((k) => k.startsWith('f:')) ? 'field' : 'variable'} only ever holds a channel made in this package, and nothing in the package sends on it or closes it`,
        fixHint: `close the channel (once) when the event it signals has happened, e.g. "close(${op.fn.fc.text(op.expr)})" at the end of the goroutine that does the work`,
      });
    }
  }
  for (const [sel, ops] of selects) {
    const cases = selectCases(sel);
    if (cases.some((c) => c.type === 'default_case') || ops.length !== cases.length) continue;
    const objs = ops.map((op) => m.info(op.cls));
    if (!objs.every(dead) || !objs.some(beyondOneFunction) || ops.some(inMainMain)) continue;
    const fc = (ops[0] as Op).fn.fc;
    const names = [...new Set(ops.map((op) => `"${fc.text(op.expr)}"`))];
    pass.report({
      node: sel,
      file: fc.file,
      message: `the select at line ${fc.file.line(sel.start)} blocks forever: none of its channels (${names.join(', ')}) is ever sent on or closed anywhere in the package`,
      fixHint: 'add a case that can fire (ctx.Done(), a done channel that is closed on shutdown), or send on / close one of the channels where the event happens',
    });
  }
}

/** The plain receive or range ops (not a case of a select with other cases) in `fn` whose channel expression is `e`. */
function blockingOpsOn(m: ProgramModel, fn: FuncNode, e: Node): Op[] {
  return m.opsIn(fn).filter((o) => (o.kind === 'recv' || o.kind === 'range') && !o.guarded && unparen(o.expr) === e);
}

/**
 * A function whose result is receive-only (`func (c *Conn) Done() <-chan struct{}`) and
 * that returns, on some path, a channel it has just made (`return make(chan struct{})`):
 * nobody holds that channel as a bidirectional value, so nothing can ever send on it or
 * close it (Go spec, "Channel types": a receive-only channel cannot be sent on or
 * closed). A caller that waits on the result with a plain receive or range —
 * `<-c.Done()`, or `done := c.Done()` ... `<-done` — blocks forever whenever the
 * function takes that path (it made the channel instead of storing it).
 */
function checkReceiveOnlyFresh(pass: Pass): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const F of m.functions()) {
    if (F.node.type === 'func_literal') continue;
    const res = field(F.node, 'result');
    if (!res || res.type === 'parameter_list') continue;
    // The result's text is read from the declaration's file: F.fc would resolve every
    // function of the package (an opaque one's FuncCtx is made on first access).
    if (!/^<-\s*chan\b/.test((pass.pkg.fileOf(F.node) ?? F.fc.file).textOf(res))) continue;
    const fc = F.fc;
    const body = field(F.node, 'body');
    if (!body) continue;
    let fresh: Node | undefined;
    walk(body, (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type === 'return_statement' && !fresh) {
        const r = named(n).flatMap((c) => (c.type === 'expression_list' ? named(c) : [c]))[0];
        const e = r ? unparen(r) : undefined;
        if (e?.type === 'call_expression' && /^make\s*\(\s*chan\b/.test(fc.text(e))) fresh = n;
      }
      return undefined;
    });
    if (!fresh) continue;
    const ret = fresh;
    for (const cs of m.callersOf(F)) {
      if (cs.mode !== 'call') continue;
      const cf = cs.from.fc;
      const waits: Op[] = [];
      const p = cs.call.parent;
      if (p?.type === 'unary_expression') waits.push(...blockingOpsOn(m, cs.from, cs.call));
      else {
        // `done := c.Done()`: a local holding only this call's result.
        const lhs = p?.type === 'expression_list' && p.parent?.type === 'short_var_declaration' && field(p.parent, 'right') === p ? field(p.parent, 'left') : undefined;
        const names = lhs ? named(lhs) : [];
        const v = names.length === 1 && named(p as Node).length === 1 ? cf.res.defs.get(names[0] as Node) : undefined;
        if (v && v.kind === 'var') {
          const refs = cf.res.refs.get(v) ?? [];
          // Rebound later (`done = other`): which channel a receive sees is not this call's alone.
          const rebound = refs.some((r) => {
            const a = r.parent?.type === 'expression_list' ? r.parent.parent : undefined;
            return (a?.type === 'assignment_statement' || a?.type === 'short_var_declaration') && field(a, 'left') === r.parent;
          });
          if (!rebound) for (const r of refs) waits.push(...blockingOpsOn(m, cs.from, r));
        }
      }
      for (const w of waits) {
        if (inMainMain(w)) continue;
        const file = cf.file;
        pass.report({
          node: w.node,
          file,
          message: `${w.kind === 'range' ? 'range over' : 'receive from'} "${cf.text(w.expr)}" at line ${file.line(w.node.start)} blocks forever when ${F.name} returns the channel it makes at ${siteRef(fc.file, ret.start, file)}: its result is receive-only and that channel is kept nowhere else, so nothing can ever send on it or close it`,
          fixHint: `store the channel ${F.name} makes (for example in the field the other paths return) so the code that closes it later closes this one too`,
          related: [{ file: fc.file.path, range: fc.file.range(ret), message: 'returns a new channel that nothing can close' }],
        });
      }
    }
  }
}

/**
 * A channel in a field or package variable whose every close closes a channel made on
 * the line before (`s.done = make(chan struct{}); close(s.done)`): the close releases
 * only waiters that take the new channel later, never a goroutine already waiting on the
 * value the assignment replaced. When the class also holds channels made elsewhere
 * (`&service{done: make(chan struct{})}`) and nothing sends on it, a plain receive on a
 * channel made elsewhere blocks forever.
 */
function checkOnlyFreshClosed(pass: Pass): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const { obj, ops } of chanOps(m, ['recv', 'range', 'close', 'send'])) {
    if (!beyondOneFunction(obj) || !m.known(obj) || obj.std.size > 0 || m.mayBeClosed(obj) !== true) continue;
    if (ops.some((o) => o.kind === 'send')) continue;
    const closes = ops.filter((o) => o.kind === 'close');
    const made = closes.map((c) => madeJustBefore(c));
    if (made.some((x) => !x)) continue;
    const others = obj.allocs.filter((a) => !made.includes(a));
    if (others.length === 0) continue;
    const c0 = closes[0] as Op;
    const cfile = c0.fn.fc.file;
    const ofile = enclosingFileOf(m, others[0] as Node);
    const where = ofile ? `at ${siteRef(ofile, (others[0] as Node).start, cfile)}` : 'elsewhere';
    for (const op of ops) {
      if ((op.kind !== 'recv' && op.kind !== 'range') || op.guarded || inMainMain(op)) continue;
      const file = op.fn.fc.file;
      pass.report({
        node: op.node,
        file,
        message: `receive from ${describeObject(obj)} at line ${file.line(op.node.start)} can block forever: the only close (${siteRef(cfile, c0.node.start, file)} in ${c0.fn.name}) closes a channel made on the line before it, replacing the one waiters already hold, and nothing closes the channel made ${where}`,
        fixHint: 'close the current channel before replacing it: close(s.done); s.done = make(chan struct{})',
        related: [{ file: cfile.path, range: cfile.range(c0.node), message: 'closes only the channel made just before' }],
      });
    }
  }
}

/** The `make(chan ...)` assigned to the close's operand by the statement just before it (`x.ch = make(chan T); close(x.ch)`). */
function madeJustBefore(c: Op): Node | undefined {
  const fc = c.fn.fc;
  const stmt = c.node.parent;
  if (stmt?.type !== 'expression_statement') return undefined;
  const list = stmt.parent;
  if (!list) return undefined;
  const sibs = named(list).filter((x) => x.type !== 'comment');
  const prev = sibs[sibs.indexOf(stmt) - 1];
  if (prev?.type !== 'assignment_statement') return undefined;
  const l = named(field(prev, 'left') ?? prev);
  const r = named(field(prev, 'right') ?? prev);
  if (l.length !== 1 || r.length !== 1 || fc.text(l[0] as Node) !== fc.text(c.expr)) return undefined;
  const mk = unparen(r[0] as Node);
  return mk.type === 'call_expression' && /^make\s*\(\s*chan\b/.test(fc.text(mk)) ? mk : undefined;
}

/** The file of the function holding `n` (undefined at package level). */
function enclosingFileOf(m: ProgramModel, n: Node): SourceFile | undefined {
  const f = enclosingFunc(n);
  return f ? m.funcOf(f)?.fc.file : undefined;
}

/** True when the receive expression is the two-value form `v, ok := <-ch` / `v, ok = <-ch`. */
function commaOk(recv: Node): boolean {
  let n = recv;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const list = n.parent;
  if (list?.type !== 'expression_list' || list.field !== 'right' || named(list).length !== 1) return false;
  const stmt = list.parent;
  if (stmt?.type !== 'short_var_declaration' && stmt?.type !== 'assignment_statement') return false;
  return exprList(field(stmt, 'left')).length === 2;
}

/**
 * True when the receive runs only while the channel holds values: it is in the body of a
 * loop bounded by the channel's own length (`for range len(ch)`, `n := len(ch); for range n`,
 * `for i := 0; i < len(ch); i++`) or of an `if len(ch) > 0` / `!= 0`. When nothing ever
 * sends, len(ch) is always 0 and the receive never runs (the spec's len of a channel is
 * "the number of elements queued in the buffer").
 */
function runsOnlyWhenBuffered(m: ProgramModel, op: Op): boolean {
  const fc = op.fn.fc;
  const id = op.cls;
  const lenOfCh = (e: Node | undefined, depth = 0): boolean => {
    if (!e) return false;
    const x = unparen(e);
    if (x.type === 'identifier' && depth === 0) {
      const v = fc.res.localOf(x);
      return !!v?.init && v.init.count === 1 && (fc.res.refs.get(v) ?? []).length <= 2 && lenOfCh(v.init.expr, 1);
    }
    if (x.type !== 'call_expression' || fc.text(field(x, 'function') ?? x) !== 'len' || fc.res.callee(x).kind !== 'builtin') return false;
    const a = named(field(x, 'arguments') ?? x)[0];
    return !!a && m.objectOf(fc, a)?.id === m.info(id).id;
  };
  for (let p = op.node.parent; p && p !== op.fn.node; p = p.parent) {
    const body = field(p, 'body') ?? field(p, 'consequence');
    if (!body || op.node.start < body.start || op.node.end > body.end) continue;
    if (p.type === 'for_statement') {
      const rc = p.children.find((c) => c.type === 'range_clause');
      if (rc && lenOfCh(field(rc, 'right'))) return true;
      const fcl = p.children.find((c) => c.type === 'for_clause');
      const cond = fcl ? field(fcl, 'condition') : undefined;
      if (cond?.type === 'binary_expression' && fc.text(field(cond, 'operator') ?? cond) === '<' && lenOfCh(field(cond, 'right'))) return true;
    } else if (p.type === 'if_statement') {
      const c = field(p, 'condition');
      if (c?.type !== 'binary_expression') continue;
      const o = fc.text(field(c, 'operator') ?? c);
      const l = field(c, 'left');
      const r = field(c, 'right');
      const zero = (n: Node | undefined): boolean => !!n && fc.text(unparen(n)) === '0';
      if ((o === '>' || o === '!=') && lenOfCh(l) && zero(r)) return true;
      if ((o === '<' || o === '!=') && zero(l) && lenOfCh(r)) return true;
    }
  }
  return false;
}
