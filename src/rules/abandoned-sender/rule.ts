/**
 * @fileoverview abandoned-sender: a goroutine sends on a channel made in the enclosing
 * function, and that function can stop receiving first — the timeout / ctx.Done()
 * select (seed §2.3) and the collector loop that returns on the first error. The
 * sender then blocks forever on an unbuffered (or too small) channel: a goroutine leak.
 *
 * The finding is placed on the send, which is where a goroutine profile shows the
 * leaked goroutine (`chan send`), so runtime and static findings meet on one line.
 * Silent when the channel escapes (returned, stored, passed to an unknown function,
 * captured by a closure that is not the goroutine), when its capacity is not a
 * constant (`make(chan T, len(xs))` is the usual fix), or when the sender selects.
 */
import { callArgs, chanUses, enclosingLoop, localChan, maxSendsBefore, maxSendsPerRun, nodeReaches, paramSummary, paramVars, runCount, sendRepeats, summarizeVar, type ChanUse } from '../../analysis/chanfacts.js';
import { gatedGoroutine, goroutineJoins, isNilAssign, oneReplyPending, reachesAvoiding, type Joins } from '../../analysis/joins.js';
import { chanFate, goroutineClosures, neverWoken } from '../../analysis/chansummary.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import type { FuncNode, Goroutine, ObjectInfo, Op, ProgramModel } from '../../analysis/program/index.js';
import { beyondOneFunction, chanModel, chanOps, describeObject, endsProcess, freshStructField } from '../../analysis/program/chans.js';
import { directCallers, droppedAtOffset, firstDropped, onlyFieldsOf, resultTypeName, singleResult } from '../../analysis/program/results.js';
import { createRule, siteRef, type Report } from '../../analysis/rule.js';
import { failingReturn, failsBeforeReturn, failsTestAt } from '../../analysis/testfail.js';
import { serverStopped } from '../../analysis/servers.js';
import { knownInt } from '../../analysis/values.js';
import { leavesEarly } from '../range-never-closed/rule.js';
import { cfgNodeOf, findEscapingPath, type Block, type CFG } from '../../go/cfg.js';
import type { LocalVar } from '../../go/resolve.js';
import type { SourceFile } from '../../go/source.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';

interface Sender {
  goStmt: Node;
  /** Every go statement that starts the same goroutine function (a closure variable started twice). */
  goStmts: Node[];
  sends: Array<{ node: Node; file: SourceFile; name: string }>;
  /** How many goroutines this go statement starts per channel (1, a constant, or Infinity). */
  spawns: number;
  /** Some send can run more than once in one goroutine. */
  repeats: boolean;
  /** The goroutine function and the most sends one run of it makes. */
  body: { fc: FuncCtx; fn: Node };
}

export default createRule({
  id: 'abandoned-sender',
  severity: 'warning',
  since: '0.1.0',
  category: 'goroutine-leak',
  description: 'A goroutine sends on a channel whose only receiver can return before receiving.',
  help:
    'When the function that made a channel stops receiving (a timeout or ctx.Done() case, an early return on the first error), goroutines still sending on it block forever. Give the channel a buffer for every possible send, or make the sender select on ctx.Done() or a done channel.',
  // Both a channel make and a go statement must appear in the declaration.
  triggers: /^(?=[\s\S]*?\bmake\(\s*chan\b)(?=[\s\S]*?\bgo\s+(?:func\b|[\w.]+\s*[([]))/,
  run(pass) {
    const reported = new Set<Node>();
    for (const fc of pass.functions()) {
      for (const fn of fc.res.funcs) {
        for (const [ident, v] of fc.res.defs) {
          if (v.func !== fn || ident !== v.ident) continue;
          const lc = localChan(fc, v);
          if (!lc || lc.capacity === undefined) continue;
          checkChannel(pass, fc, fn, v, lc.capacity, lc.make, (r) => {
            if (reported.has(r.node as Node)) return;
            reported.add(r.node as Node);
            pass.report(r);
          });
        }
      }
    }
    checkModelSenders(pass, reported);
    checkDroppedResults(pass, reported);
    checkLeakedPermits(pass, reported);
  },
});

function checkChannel(pass: Pass, fc: FuncCtx, fn: Node, v: LocalVar, capacity: number, make: Node, report: (r: Report) => void): void {
  // Returning from main.main ends the process, and every goroutine with it; so does
  // returning from a function main calls last (`if err := run(); err != nil { log.Fatal(err) }`).
  if (fn === fc.decl && endsProcess(pass, fn)) return;
  const senders = new Map<Node, Sender>();
  const receives: ChanUse[] = [];
  const closures = goroutineClosures(fc, fn);
  for (const u of chanUses(fc, v)) {
    if (u.func === fn) {
      if (u.kind === 'recv' || u.kind === 'range') receives.push(u);
      else if (u.kind === 'lencap' || u.kind === 'close') continue;
      else if (u.kind === 'arg' && u.op.parent?.type === 'go_statement') {
        const s = namedSender(fc, u, fn, make);
        if (!s) return;
        senders.set(s.goStmt, s);
      } else if (u.kind === 'escape' && isNilAssign(fc, u.ref)) continue; // `ch = nil` turns a select case off
      else return; // the function sends itself, or the channel escapes
      continue;
    }
    // A reference inside a nested function: only a goroutine body we understand.
    const goStmt = closures.get(u.func);
    if (!goStmt) return;
    // The sender closing the channel after its last send (`defer close(ch)`) does not
    // help it: a close wakes receivers, never a blocked sender.
    if (u.kind === 'lencap' || u.kind === 'guarded-send' || u.kind === 'close') continue;
    if (u.kind !== 'send') return;
    for (const g of goStmt) {
      let s = senders.get(g);
      if (!s) senders.set(g, (s = { goStmt: g, goStmts: goStmt, sends: [], spawns: runCount(fc, g, fn, make), repeats: false, body: { fc, fn: u.func } }));
      s.sends.push({ node: u.op, file: fc.file, name: v.name });
      if (sendRepeats(fc, u.func, u.op)) s.repeats = true;
    }
  }
  const live = [...senders.values()].filter((s) => s.sends.length > 0);
  if (live.length === 0) return;
  // A lone sender that stops once the buffer is full (`if len(ch) == cap(ch) { return }`
  // next to each send) never sends into a full buffer: it cannot block.
  if (capacity > 0 && live.length === 1 && live[0]?.spawns === 1 && live[0].goStmts.length === 1 && live[0].sends.every((x) => stopsWhenFull(live[0]!.body.fc, x.node, capacity))) return;
  const perRun = (s: Sender): number => (s.repeats ? Infinity : maxSendsPerRun(s.body.fc, s.body.fn, s.sends.map((x) => x.node)));
  const times = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a * b);
  const totalSends = live.reduce((n, s) => n + times(s.spawns, perRun(s)), 0);
  const many = totalSends > 1;
  const spawnedInLoop = live.some((s) => s.spawns > 1);
  if (capacity >= totalSends) return;
  const g = fc.cfg(fn);
  if (!g) return;
  // A send can block only when at least `capacity` sends can come before it (nothing
  // received): the first send of a lone goroutine always fits a buffer of one.
  // Sequential use of one channel: goroutine t sends at most once and the function
  // receives on every path from t's start to s's start, with no third sender started in
  // between: that receive took t's value (or the test failed waiting for it), so t's
  // slot is free again when s sends.
  const consumedBefore = (t: Sender, s: Sender): boolean => {
    if (t.spawns !== 1 || perRun(t) > 1 || t.goStmts.length !== 1 || s.goStmts.length !== 1) return false;
    const ts = cfgNodeOf(g, t.goStmt);
    const ss = cfgNodeOf(g, s.goStmt);
    if (!ts || !ss || ts === ss || !nodeReaches(g, ts, ss) || nodeReaches(g, ss, ts)) return false;
    if (reachesAvoiding(g, ts, (n) => n === ss, (n) => isRecv(n) || failsTestAt(fc, n))) return false;
    return !live.some((u) => {
      if (u === t || u === s) return false;
      const us = cfgNodeOf(g, u.goStmt);
      return !us || (nodeReaches(g, ts, us) && nodeReaches(g, us, ss));
    });
  };
  const canBlock = (s: Sender, x: Node): boolean => {
    if (capacity === 0) return true;
    const others = live.reduce((n, t) => (t === s || consumedBefore(t, s) ? n : n + times(t.spawns, perRun(t))), 0);
    const own = times(s.spawns - 1, perRun(s));
    return others + own + maxSendsBefore(s.body.fc, s.body.fn, s.sends.map((y) => y.node), x) >= capacity;
  };
  const capDesc = capacity === 0 ? 'unbuffered' : `buffer of ${capacity}`;
  const fnName = fn === fc.decl ? fc.name : `the function literal at line ${fc.file.line(fn.start)}`;
  const isRecv = (node: Node): boolean => receives.some((r) => r.op.start >= node.start && r.op.end <= node.end);
  // A receiving loop that ends normally (its condition or range is exhausted) received
  // what it meant to: only early exits (return, break) abandon senders.
  // The same holds for every loop around the receiving one (a constant outer loop's
  // zero-iteration exit does not exist: runtime/testdata/testsynctest/main.go:61).
  const recvLoopExits = new Map<Block, Block>(); // head → done
  for (const r of receives) {
    for (let loop = enclosingLoop(r.op, fn); loop; loop = enclosingLoop(loop, fn)) {
      const head = g.loopHeads.get(loop);
      const done = head?.succs[1];
      if (head && done) recvLoopExits.set(head, done);
    }
  }
  const normalLoopEnd = (to: Block, from: Block): boolean => recvLoopExits.get(from) === to || deadCase(fc, to);

  for (const s of live) {
    let reason: string | undefined;
    let at: Node | undefined;
    let related = 'the receiver returns here without receiving';
    // Where the function knows this goroutine has made its last send (wg.Wait, its
    // final signal, the !ok of a channel it closes last): no path through them abandons it.
    const started = { goStmts: s.goStmts, body: s.body, sends: s.sends.map((x) => x.node), spawns: s.spawns };
    // At most one reply pending (request/reply), or one goroutine ever sending (an
    // in-flight gate): a buffer that holds it abandons nothing.
    if (capacity >= 1 && oneReplyPending(fc, fn, v, started)) continue;
    if (live.length === 1 && capacity >= perRun(s) && gatedGoroutine(fc, fn, started)) continue;
    const joins = goroutineJoins(fc, fn, v, started);
    // A path on which the test has already failed (`t.Errorf("timed out"); return`) abandons
    // the goroutine only in a run `go test` reports as failed: not a leak to fix.
    // Stopping the server the goroutine serves, when it sends only errors other than the
    // server's closed sentinel: after `srv.Shutdown(ctx)` it has nothing left to send.
    const stopped = serverStopped(fc, fn, s.body, started.sends);
    if (stopped === 'always') continue;
    const barrier = (n: Node): boolean => isRecv(n) || joins.node(n) !== undefined || failsTestAt(fc, n) || !!stopped?.(n);
    const edgeBarrier = (to: Block, from: Block): boolean => normalLoopEnd(to, from) || joins.edge(from, to);
    const start = cfgNodeOf(g, s.goStmt);
    // Case A: a path from the go statement to a return that never receives.
    if (capacity === 0 || many) {
      // A return guarded by a counter the receiving loop steps (`lisSteps++ ... if lisSteps == 2 { return }`)
      // comes after the counted receives: not an escape.
      const counted = new Set<Node>();
      let path = start ? findEscapingPath(g, start, (n) => barrier(n) || counted.has(n), edgeBarrier) : null;
      // A return whose `false` / new error every caller asserts (`ok := collect(); require.True(t, ok)`)
      // gives up only in a run the test reports as failed.
      for (let i = 0; i < 8 && start && path?.last && (countedReturn(fc, fn, path.last, receives) || failingReturn(fc, fn, path.last)); i++) {
        counted.add(path.last);
        path = findEscapingPath(g, start, (n) => barrier(n) || counted.has(n), edgeBarrier);
      }
      if (path) {
        at = path.last;
        reason =
          receives.length === 0
            ? `nothing in ${fnName} receives from it`
            : `${fnName} can return ${at ? `at line ${fc.file.line(at.start)}${laterIteration(fc, fn, s.goStmt, at)}` : 'at its end'} without receiving from it`;
      } else if (start && capacity > 0 && s.sends.some((x) => endlessRepeat(s.body.fc, s.body.fn, x.node))) {
        // The function waits for the goroutine (wg.Wait) but receives nothing before,
        // while the goroutine sends in an endless loop until told to stop: once the
        // buffer is full, both block forever (unbuffered: waitgroup-misuse).
        const wait = hangingWait(g, start, joins, receives);
        if (wait) {
          at = wait;
          reason = `${fnName} receives nothing from it before waiting for the goroutine at line ${fc.file.line(wait.start)}, so once the buffer is full the goroutine blocks and the wait never returns`;
          related = 'waits here for the goroutine without receiving';
        }
      }
    }
    // Each goroutine a loop starts sends at most once and is received from before the
    // loop starts the next one or returns: no value is ever left behind.
    const balanced = start && s.spawns > 1 && perRun(s) <= 1 && !reachesAvoiding(g, start, (n) => n === start, barrier, { toExit: true, edgeBarrier });
    // Case B: several sends, but the receiver stops early.
    if (!reason && many && !balanced) {
      const loopRecvs = receives.filter((r) => enclosingLoop(r.op, fn));
      // Leaving after at least one receive strands the rest when they exceed the buffer.
      for (const r of capacity === 0 || totalSends - 1 > capacity ? loopRecvs : []) {
        // Receiving after the goroutine is known done (wg.Wait before the loop): nothing is left to send.
        const rs = cfgNodeOf(g, r.op);
        if (rs && joins.doneAt(rs)) continue;
        // A later `for range ch` drains what is left: the senders finish.
        const drain = (n: Node): boolean => receives.some((o) => o !== r && o.kind === 'range' && o.op === n) || joins.node(n) !== undefined || failsTestAt(fc, n);
        const exit = earlyExit(g, enclosingLoop(r.op, fn) as Node, r, drain, (to, from) => joins.edge(from, to));
        if (exit && !(exit.last && (countedExit(fc, exit.last, enclosingLoop(r.op, fn) as Node) || failingReturn(fc, fn, exit.last)))) {
          at = exit.last;
          const loop = enclosingLoop(r.op, fn) as Node;
          const others = live.length === 1 && s.spawns === 1 ? 'the sending goroutine still has values to send' : 'other goroutines still send';
          reason = `the receiving loop at line ${fc.file.line(loop.start)} can ${at ? `return at line ${fc.file.line(at.start)}` : 'stop'} while ${others}`;
          break;
        }
      }
      // Receives outside loops run at most once each: more goroutines that each send once
      // than receives plus buffer slots means some goroutines never complete their send
      // (a buffer of 1 for "the first error" of many goroutines). Sends repeated inside
      // one goroutine are data-dependent, so only goroutine counts are compared.
      // The count is the loop's goroutines' business: a goroutine started once, outside the
      // loop, is not the one left over (its send may be ordered before the loop starts).
      if (!reason && loopRecvs.length === 0 && spawnedInLoop && s.spawns > 1 && !live.some((x) => x.repeats)) {
        const goroutines = live.reduce((n, x) => n + times(x.spawns, perRun(x)), 0);
        if (goroutines > receives.length + capacity) {
          const first = receives[0];
          const buf = capacity > 0 ? ` and the buffer holds ${capacity}` : '';
          reason =
            goroutines === Infinity
              ? `goroutines are started in a loop but only ${receives.length === 1 ? 'one value is' : `${receives.length} values are`} received${first ? ` (line ${fc.file.line(first.op.start)})` : ''}${buf}`
              : `${goroutines} goroutines send but only ${receives.length} value(s) are received${buf}`;
        }
      }
    }
    if (!reason) continue;
    // One finding per goroutine: its first send that can block, the others as related locations.
    const blocking = s.sends.filter((x) => canBlock(s, x.node));
    for (const send of blocking.slice(0, 1)) {
      const more = blocking.slice(1).map((x) => ({ file: x.file.path, range: x.file.range(x.node), message: 'the same goroutine can block sending here too', sameGoroutine: true }));
      const canFix = !many && capacity === 0 && live.length === 1 && s.sends.length === 1 && send.file === fc.file && named(field(make, 'arguments') ?? make).length === 1;
      const args = field(make, 'arguments');
      report({
        node: send.node,
        file: send.file,
        message: `goroutine blocks forever sending on "${send.name}" (${capDesc}): ${reason} (goroutine started at line ${fc.file.line(s.goStmt.start)})`,
        fixHint: many
          ? `give the channel a buffer for every sender (make(chan T, n)), or select on ctx.Done()/a done channel around the send`
          : `make the channel buffered (make(chan T, 1)) so the send always completes, or select on ctx.Done()/a done channel around the send`,
        fix:
          canFix && args
            ? {
                description: 'Buffer the channel with capacity 1',
                edits: [{ range: { start: fc.file.position(args.end - 1), end: fc.file.position(args.end - 1) }, newText: ', 1' }],
              }
            : undefined,
        related: at || more.length > 0 ? [...(at ? [{ file: fc.file.path, range: fc.file.range(at), message: related }] : []), ...more] : undefined,
      });
    }
  }
}

/** `func main()` of package main: its return ends the process (Go spec, "Program execution"). */
function isMainMain(fc: FuncCtx): boolean {
  return fc.decl.type === 'function_declaration' && fc.facts.pkg.name === 'main' && fc.name === 'main';
}

/**
 * " in a later iteration of the loop at line L" when the return comes before the go
 * statement in a loop around both: it abandons the goroutines of earlier iterations.
 */
function laterIteration(fc: FuncCtx, fn: Node, goStmt: Node, ret: Node): string {
  if (ret.start > goStmt.start) return '';
  for (let p = goStmt.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement' && ret.start >= p.start && ret.end <= p.end) return ` (in a later iteration of the loop at line ${fc.file.line(p.start)})`;
  }
  return '';
}

/**
 * A `wg.Wait()` join reachable from the go statement with no receive of the channel on
 * any path between them.
 */
function hangingWait(g: CFG, start: Node, joins: Joins, receives: ChanUse[]): Node | undefined {
  const recvStmts = receives.map((r) => cfgNodeOf(g, r.op)).filter((x): x is Node => !!x);
  for (const b of g.blocks) {
    for (const n of b.nodes) {
      if (joins.node(n) !== 'wait' || !nodeReaches(g, start, n)) continue;
      if (recvStmts.some((r) => nodeReaches(g, start, r) && nodeReaches(g, r, n))) continue;
      return n;
    }
  }
  return undefined;
}

/**
 * A send that can repeat without bound in one run of the goroutine: every loop around it
 * is a `for {}` (no condition, no range), so only time decides how often it runs.
 */
function endlessRepeat(fc: FuncCtx, fn: Node, send: Node): boolean {
  if (!sendRepeats(fc, fn, send)) return false;
  let loops = 0;
  for (let p = send.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'func_literal') return false;
    if (p.type !== 'for_statement') continue;
    if (p.children.some((c) => c.type === 'for_clause' || c.type === 'range_clause' || c.field === 'condition')) return false;
    loops++;
  }
  return loops > 0;
}

/** A path from receive `r` inside `loop` to the function's exit that does not come back to the loop head nor pass a draining loop. */
function earlyExit(g: CFG, loop: Node, r: ChanUse, drain: (n: Node) => boolean, joinEdge: (to: Block, from: Block) => boolean): { last: Node | undefined } | null {
  const head = g.loopHeads.get(loop);
  if (!head) return null;
  let from = cfgNodeOf(g, r.op);
  // A `range ch` receive lives in the loop head: start from the loop body instead.
  if (r.kind === 'range' || (from && g.where.get(from)?.block === head)) {
    const body = head.succs[0] as Block | undefined;
    if (!body) return null;
    from = undefined;
    const first = body.nodes[0];
    if (first) return findEscapingPath(g, first, drain, (b, from) => b === head || joinEdge(b, from)) ?? (first.type === 'return_statement' ? { last: first } : null);
    // Empty first block: search from its successors.
    for (const s of body.succs) {
      if (s === g.exit) return { last: undefined };
      const n0 = s.nodes[0];
      if (n0) {
        if (n0.type === 'return_statement') return { last: n0 };
        const p = findEscapingPath(g, n0, drain, (b, from) => b === head || joinEdge(b, from));
        if (p) return p;
      }
    }
    return null;
  }
  return from ? findEscapingPath(g, from, drain, (b, prev) => b === head || joinEdge(b, prev)) : null;
}

/** `go worker(ch)` / `go s.load(k, ch)`: the sends the same-package callee makes on that parameter. */
function namedSender(fc: FuncCtx, u: ChanUse, fn: Node, make: Node): Sender | undefined {
  const call = u.op;
  const goStmt = call.parent as Node;
  const c = fc.res.callee(call);
  if (c.kind === 'literal') {
    // go func(out chan<- T) { out <- v }(ch)
    const idx = callArgs(call).findIndex((a) => unparen(a) === u.ref);
    const pv = paramVars(fc, c.fn)[idx];
    if (!pv) return undefined;
    const sum = summarizeVar(fc, pv, c.fn);
    if (sum.escapes || sum.receives || sum.sends.length === 0) return undefined;
    return { goStmt, goStmts: [goStmt], sends: sum.sends.map((s) => ({ node: s, file: fc.file, name: pv.name })), spawns: runCount(fc, goStmt, fn, make), repeats: sum.sendsInLoop, body: { fc, fn: c.fn } };
  }
  const decl = c.kind === 'func' && c.obj.pkg === fc.facts.pkg ? c.obj.node : c.kind === 'method' && c.method.pkg === fc.facts.pkg.importPath ? c.method.decl : undefined;
  if (!decl) return undefined;
  const idx = callArgs(call).findIndex((a) => unparen(a) === u.ref || (a.start <= u.ref.start && a.end >= u.ref.end && unparen(a).type === 'identifier'));
  if (idx < 0) return undefined;
  const sum = paramSummary(fc.facts, decl, idx);
  if (!sum || sum.escapes || sum.receives || sum.sends.length === 0) return undefined;
  const pname = (n: Node): string => {
    const ch = field(n, 'channel');
    return ch ? sum.fc.text(ch) : '?';
  };
  return { goStmt, goStmts: [goStmt], sends: sum.sends.map((s) => ({ node: s, file: sum.fc.file, name: pname(s) })), spawns: runCount(fc, goStmt, fn, make), repeats: sum.sendsInLoop, body: { fc: sum.fc, fn: decl } };
}

/**
 * A return guarded by a counter the loop steps (`active--; if active == 0 { return }`):
 * the loop counts its senders down, so the exit comes after the last one has sent.
 */
function countedExit(fc: FuncCtx, ret: Node, loop: Node): boolean {
  const stepped = new Set<string>();
  walk(loop, (n) => {
    if (n.type === 'inc_statement' || n.type === 'dec_statement') {
      const op = named(n)[0];
      if (op) stepped.add(fc.text(op));
    } else if (n.type === 'assignment_statement' && /^[-+]=$/.test(fc.text(n.children.find((c) => !c.named) ?? n))) {
      const l = exprList(field(n, 'left'))[0];
      if (l) stepped.add(fc.text(l));
    }
  });
  if (stepped.size === 0) return false;
  for (let p = ret.parent; p && p !== loop; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const cond = field(p, 'condition');
    let hit = false;
    if (cond) walk(cond, (n) => {
      if ((n.type === 'identifier' || n.type === 'selector_expression') && stepped.has(fc.text(n))) hit = true;
    });
    if (hit) return true;
  }
  return false;
}

/**
 * A select case block whose communication can never proceed: a send on a local channel
 * nothing ever receives from, or a receive from a local channel nothing ever sends on
 * or closes (neither escaping). A path through such a case does not exist
 * (runtime/race/testdata/chan_test.go:405: `case c3 <- 1:` with no receiver of c3).
 */
function deadCase(fc: FuncCtx, b: Block): boolean {
  if (b.kind !== 'select.case') return false;
  const comm = b.nodes[0];
  if (!comm) return false;
  let chExpr: Node | undefined;
  if (comm.type === 'send_statement') chExpr = field(comm, 'channel');
  else if (comm.type === 'receive_statement') {
    const r = field(comm, 'right');
    chExpr = r && unparen(r).type === 'unary_expression' ? field(unparen(r), 'operand') : undefined;
  }
  const id = chExpr ? unparen(chExpr) : undefined;
  const v = id?.type === 'identifier' ? fc.res.uses.get(id) : undefined;
  if (!v || !localChan(fc, v)) return false;
  const fate = chanFate(fc, v);
  if (fate.escapes) return false;
  return comm.type === 'send_statement' ? fate.receives.length === 0 && fate.helperReceives.length === 0 : neverWoken(fate);
}

/**
 * Channels beyond one function (a reply channel in a struct field, handed through a
 * method value, a pool's `Submit`, an interface — src/analysis/program): every channel
 * the field holds is an unbuffered `make(chan T)` of this package, goroutines send on it
 * with plain sends, and every receive is a case of a select, outside any loop, whose
 * other case is a timer or a context's Done. When that case wins, the receiver has
 * returned and the sender blocks forever.
 */
function checkModelSenders(pass: Pass, reported: Set<Node>): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const { obj, ops } of chanOps(m, ['send', 'recv', 'range', 'close'])) {
    if (!m.known(obj) || obj.allocs.length === 0 || obj.std.size > 0) continue;
    const sends = ops.filter((o) => o.kind === 'send');
    const recvs = ops.filter((o) => o.kind === 'recv' || o.kind === 'range');
    if (sends.length === 0) continue;
    if (!sends.some((o) => o.guarded) && beyondOneFunction(obj) && recvs.length > 0 && recvs.every((r) => r.kind === 'range')) {
      // A close wakes the range, never a blocked sender: closes do not matter here.
      checkQuittingRange(pass, m, obj, sends, recvs, reported);
      continue;
    }
    // A field of a struct each run of the receiving function makes itself (`s := sink{ch: make(chan T)}`) is as private as a local.
    const privateToRun = !beyondOneFunction(obj) || (!obj.keys.some((k) => k.startsWith('g:')) && recvs.length > 0 && recvs.every((r) => freshStructField(r.fn, r.expr)));
    if (privateToRun && checkOneShotReceiver(pass, m, obj, sends, recvs, reported)) continue;
    if (!obj.allocs.every((a) => a.type === 'call_expression' && callArgs(a).length === 1)) continue; // unbuffered makes only
    for (const snd of sends) {
      if (reported.has(snd.node) || !noReceiverYet(m, obj, snd, recvs)) continue;
      reported.add(snd.node);
      const fc = snd.fn.fc;
      pass.report({
        node: snd.node,
        file: fc.file,
        message: `send on unbuffered channel "${fc.text(snd.expr)}" at line ${fc.file.line(snd.node.start)} blocks forever: no goroutine that can receive from it is running yet — its receivers are in ${snd.fn.name} itself (which is the one blocked here) or in goroutines ${snd.fn.name} starts after this send`,
        fixHint: 'start the receiving goroutine before the first send, or give the channel a buffer large enough for the sends made before anything receives',
      });
    }
    if (ops.some((o) => o.kind === 'close')) continue;
    if (sends.some((o) => o.guarded)) continue;
    if (recvs.length === 0) {
      // Nothing in the package ever receives: every goroutine send blocks forever.
      for (const snd of sends) {
        const g = reported.has(snd.node) ? undefined : m.goroutines().find((gr) => m.goroutineFuncs(gr).has(snd.fn));
        if (!g) continue;
        reported.add(snd.node);
        const fc = snd.fn.fc;
        pass.report({
          node: snd.node,
          file: fc.file,
          message: `the goroutine running ${snd.fn.name} (started by ${g.starter === 'go' ? 'the go statement' : g.starter} at ${siteRef(g.from.fc.file, g.site.start, fc.file)}) sends on ${beyondOneFunction(obj) ? describeObject(obj) : `"${fc.text(snd.expr)}"`} at line ${fc.file.line(snd.node.start)}, but nothing in the package ever receives from that unbuffered channel: the send blocks forever`,
          fixHint: 'receive the value where it is needed, or give the channel a buffer for every send, or drop the send',
        });
      }
      continue;
    }
    if (!beyondOneFunction(obj)) continue;
    const exits = recvs.map((r) => timeoutCase(m, r));
    if (exits.some((x) => !x) || recvs.every((r) => endsProcess(pass, r.fn.node))) continue;
    const r0 = recvs[0] as Op;
    const x0 = exits[0] as Op;
    for (const snd of sends) {
      const g = reported.has(snd.node) ? undefined : m.goroutines().find((gr) => m.goroutineFuncs(gr).has(snd.fn));
      if (!g) continue;
      reported.add(snd.node);
      const fc = snd.fn.fc;
      const rf = r0.fn.fc.file;
      pass.report({
        node: snd.node,
        file: fc.file,
        message: `the goroutine running ${snd.fn.name} sends on ${describeObject(obj)} at line ${fc.file.line(snd.node.start)}, but its only receiver (the select at ${siteRef(rf, r0.select?.start ?? r0.node.start, fc.file)} in ${r0.fn.name}) can take the "${r0.fn.fc.text(x0.node)}" case and return first; the channel is unbuffered, so the send then blocks forever`,
        fixHint: 'give the channel a buffer of one (make(chan T, 1)) so the send always completes, or let the sender select on the same context/done channel',
      });
      stuckServer(pass, m, snd, g, reported);
    }
  }
}

/**
 * Goroutine `g` can block forever at `stuck`, inside its `for x := range c.reqs` loop:
 * when that range is the only receiver of `c.reqs` (a known channel with a constant
 * buffer, in a field or package variable) and `g` is the one goroutine of its start,
 * every plain send on `c.reqs` that can run many times blocks too once the buffer is
 * full — the callers of a request/reply server whose single server goroutine is stuck.
 */
function stuckServer(pass: Pass, m: ProgramModel, stuck: Op, g: Goroutine, reported: Set<Node>): void {
  if (g.multiplicity !== 'one') return;
  const loop = enclosingLoop(stuck.node, stuck.fn.node);
  const rng = loop ? m.opsIn(stuck.fn).find((o) => o.kind === 'range' && o.node.parent === loop) : undefined;
  if (!loop || !rng || stuck.node.start < loop.start || stuck.node.end > loop.end) return;
  const reqs = m.info(rng.cls);
  if (reqs.kind !== 'chan' || !m.known(reqs) || !beyondOneFunction(reqs) || reqs.std.size > 0 || constCapacity(m, reqs) === undefined) return;
  const ops = m.opsOn(reqs);
  if (ops.some((o) => (o.kind === 'recv' || o.kind === 'range') && o !== rng)) return;
  const sends = ops.filter((o) => o.kind === 'send');
  if (sends.some((o) => o.guarded) || !sends.some((o) => sendsMany(m, o))) return;
  const sf = stuck.fn.fc.file;
  for (const snd of sends) {
    if (reported.has(snd.node) || snd.fn === stuck.fn) continue;
    reported.add(snd.node);
    const fc = snd.fn.fc;
    pass.report({
      node: snd.node,
      file: fc.file,
      message: `send on ${describeObject(reqs)} at line ${fc.file.line(snd.node.start)} can block forever: its only receiver is the range loop of ${stuck.fn.name} (${siteRef(sf, loop.start, fc.file)}), whose goroutine can block forever sending at ${siteRef(sf, stuck.node.start, fc.file)}; after that nothing receives, and every later send blocks`,
      fixHint: 'make the blocked send in the receiving loop unable to block forever (a buffer of one for the reply, or a select on a done channel), or let senders select on a done channel',
      related: [{ file: sf.path, range: sf.range(stuck.node), message: 'the receiving goroutine can block here forever' }],
    });
  }
}

/**
 * For a receive that is a case of a select (outside any loop of its function), the
 * other case that can end the wait on its own: a receive from a timer channel
 * (`time.After`, `timer.C`) or a context's Done. Undefined otherwise.
 */
function timeoutCase(m: ProgramModel, r: Op): Op | undefined {
  if (!r.select || r.kind !== 'recv') return undefined;
  for (let p = r.select.parent; p && p !== r.fn.node; p = p.parent) if (p.type === 'for_statement' || p.type === 'func_literal') return undefined;
  const sel = r.select;
  const others = m.opsIn(r.fn).filter((o) => o.select === sel && o !== r);
  const g = r.fn.fc.cfg(r.fn.node);
  // A timeout case that fails the test (`case <-time.After(d): t.Fatal(...)`) ends the wait
  // only in a run already reported as failed.
  const failing = (o: Op): boolean => {
    const st = g ? cfgNodeOf(g, o.node) : undefined;
    return !!st && failsBeforeReturn(r.fn.fc, r.fn.node, st);
  };
  const ends = others.filter((o) => o.kind === 'recv' && [...m.info(o.cls).std].some((s) => s === 'timer' || s === 'context-done') && !failing(o));
  // Name the case that obviously ends the wait (`<-ctx.Done()`, `<-time.After(d)`) when there is one.
  return ends.find((o) => unparen(o.expr).type === 'call_expression') ?? ends[0];
}

/**
 * True when plain send `snd` on an unbuffered channel made in its own function F can
 * never find a receiver: the channel is made in F (per run of F, known to the model),
 * and every receive is in F itself (the goroutine blocked at the send) or in a function
 * only F runs, through calls or through `go` statements that cannot run before the send
 * (no CFG path from the go statement back to it).
 */
function noReceiverYet(m: ProgramModel, obj: ObjectInfo, snd: Op, recvs: Op[]): boolean {
  const F = snd.fn;
  // Only channels that move through parameters and results (never a field or package
  // variable): then every function that can touch one is a caller the model scanned.
  if (snd.guarded || beyondOneFunction(obj) || !obj.allocs.every((a) => enclosingFuncNode(a) === F.node)) return false;
  const g = F.fc.cfg(F.node);
  const sStmt = g ? cfgNodeOf(g, snd.node) : undefined;
  if (!g || !sStmt) return false;
  const before = (site: Node): boolean => {
    const st = cfgNodeOf(g, site);
    return !st || st === sStmt || nodeReaches(g, st, sStmt);
  };
  const onlyAfter = (fn: FuncNode, depth: number): boolean => {
    if (fn === F) return true;
    if (depth > 4) return false;
    const callers = m.callersOf(fn);
    if (callers.length === 0) return false;
    return callers.every((cs) => {
      if (cs.from !== F) return cs.mode !== 'go' && cs.mode !== 'callback-go' && cs.mode !== 'callback-later' && onlyAfter(cs.from, depth + 1);
      if (cs.mode === 'call' || cs.mode === 'defer') return true;
      return cs.mode === 'go' && !before(cs.call);
    });
  };
  return recvs.every((r) => onlyAfter(r.fn, 0));
}

function enclosingFuncNode(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return p;
  return undefined;
}

/**
 * A function that makes an unbuffered channel, starts a goroutine that sends on it, and
 * returns it (a future, `FetchAsync`) — or returns a struct of its own allocation that
 * holds it (`&Future[T]{ch: ch}`): a caller that drops the result (`c.FetchAsync(p)` as
 * a statement), or keeps it in a local but can return without touching that local again
 * (`name := lookupAsync(id); if err != nil { return err }`), leaves nobody to receive,
 * and that goroutine blocks forever. The channel must be known to the model, made only
 * in that function, and reachable only through its result (no other field or package
 * variable holds it); every send on it is the started goroutine's.
 */
function checkDroppedResults(pass: Pass, reported: Set<Node>): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const F of m.functions()) {
    if (F.node.type === 'func_literal') continue;
    const started = m.goroutines().filter((g) => g.from === F);
    if (started.length === 0) continue;
    for (const o of pendingResultChans(m, F, started)) {
      const sends = m.opsOn(o, ['send']);
      const dropped = firstDropped(directCallers(m, F));
      if (!dropped) continue;
      for (const snd of sends) {
        if (reported.has(snd.node)) continue;
        reported.add(snd.node);
        const fc = snd.fn.fc;
        const df = dropped.cs.from.fc.file;
        const what = m.resultOf(F, 0)?.id === o.id ? 'the unbuffered channel it returns' : `the unbuffered ${describeObject(o)} it returns`;
        pass.report({
          node: snd.node,
          file: fc.file,
          message: dropped.ret === undefined
            ? `the goroutine ${F.name} starts sends on ${what} (line ${fc.file.line(snd.node.start)}), but ${dropped.cs.from.name} drops that result (${siteRef(df, dropped.cs.call.start, fc.file)}): nothing can receive, so the goroutine blocks forever`
            : `the goroutine ${F.name} starts sends on ${what} (line ${fc.file.line(snd.node.start)}), but ${dropped.cs.from.name} can return (${siteRef(df, droppedAtOffset(dropped) as number, fc.file)}) without using the result it got at ${siteRef(df, dropped.cs.call.start, fc.file)}: nothing can receive, so the goroutine blocks forever`,
          fixHint: `receive from the channel ${F.name} returns on every path (or make it buffered, make(chan T, 1), so the goroutine can finish when nobody waits)`,
          related: dropped.ret?.type === 'return_statement' ? [{ file: df.path, range: df.range(dropped.ret), message: 'returns here without using the result' }] : undefined,
        });
      }
    }
  }
}

/**
 * The unbuffered channels `F` makes, hands only to the goroutines it starts (which send
 * on them with plain sends) and returns: as its result, or as a field of the struct type
 * its single result points to. Receives happen elsewhere (the caller, or a method of
 * the result's type such as `Await`).
 */
function pendingResultChans(m: ProgramModel, F: FuncNode, started: Goroutine[]): ObjectInfo[] {
  if (!singleResult(F)) return [];
  const direct = m.resultOf(F, 0);
  const resType = resultTypeName(F);
  const out: ObjectInfo[] = [];
  const seen = new Set<number>();
  const goFuncs = new Set(started.flatMap((g) => [...m.goroutineFuncs(g)]));
  for (const g of started) {
    for (const op of m.goroutineOps(g, ['send'])) {
      const o = m.info(op.cls);
      if (seen.has(o.id)) continue;
      seen.add(o.id);
      if (o.kind !== 'chan' || !m.known(o) || o.allocs.length === 0 || o.std.size > 0) continue;
      if (!o.allocs.every((a) => enclosingFuncNode(a) === F.node && a.type === 'call_expression' && callArgs(a).length === 1)) continue;
      if (o.keys.some((k) => k.startsWith('g:'))) continue;
      const viaResult = direct?.id === o.id ? !o.keys.some((k) => k.startsWith('f:')) : resType !== undefined && onlyFieldsOf(o.keys, resType);
      if (!viaResult) continue;
      const ops = m.opsOn(o);
      if (ops.some((x) => x.kind === 'send' && (x.guarded || !goFuncs.has(x.fn)))) continue;
      // F (or its goroutine) receiving or closing is the local analysis's business.
      if (ops.some((x) => x.kind !== 'send' && (x.fn === F || goFuncs.has(x.fn)))) continue;
      out.push(o);
    }
  }
  return out;
}

/**
 * The only receivers of a channel in a field are `for x := range s.ch` loops on
 * goroutines that can leave the loop early (return or break on an error) while senders
 * keep sending with plain sends, many times (in a loop, or from several goroutines):
 * once the receiver has left, the buffer fills and every later send blocks forever.
 */
function checkQuittingRange(pass: Pass, m: ProgramModel, obj: ObjectInfo, sends: Op[], recvs: Op[], reported: Set<Node>): void {
  const capacity = constCapacity(m, obj);
  if (capacity === undefined) return;
  for (const r of recvs) {
    const loop = r.node.parent;
    if (loop?.type !== 'for_statement' || !leavesEarly(r.fn.fc, r.fn.node, loop)) return;
    if (!m.goroutines().some((g) => m.goroutineFuncs(g).has(r.fn))) return;
  }
  if (!sends.some((s) => sendsMany(m, s))) return;
  const r0 = recvs[0] as Op;
  const closers = new Set(m.opsOn(obj, ['close']).map((c) => c.fn));
  for (const snd of sends) {
    if (reported.has(snd.node) || recvs.some((r) => r.fn === snd.fn)) continue;
    if ((capacity > 0 && firstSendAfterMake(m, obj, snd, sends)) || closedFlagGuard(m, snd, closers)) continue;
    reported.add(snd.node);
    const fc = snd.fn.fc;
    const rl = r0.node.parent as Node;
    pass.report({
      node: snd.node,
      file: fc.file,
      message: `send on ${describeObject(obj)} at line ${fc.file.line(snd.node.start)} can block forever: its only receiver, the range loop at ${siteRef(r0.fn.fc.file, rl.start, fc.file)} in ${r0.fn.name}, can leave early (return or break) while senders keep sending, and once the ${capacity === 0 ? 'unbuffered channel has no receiver' : `buffer of ${capacity} is full`} every later send blocks`,
      fixHint: 'keep draining the channel after an error (remember the error, continue the loop), or let senders select on a done channel that the receiver closes when it leaves',
    });
  }
}

/**
 * A channel made in F and held only by locals and parameters (the model follows it into
 * the goroutines F starts, through calls, stored closures and method values), received
 * only by F itself outside any loop — at most one value per receive — while a goroutine
 * F started sends on it with plain sends that can repeat (in a loop, or in a function
 * called from one): once F has taken its values and returned (the first finding, the
 * first error), the next send blocks forever. Corpus case scanner-emit-closure-fail-fast.
 */
function checkOneShotReceiver(pass: Pass, m: ProgramModel, obj: ObjectInfo, sends: Op[], recvs: Op[], reported: Set<Node>): boolean {
  const F = recvs[0]?.fn;
  if (!F || F.node.type === 'func_literal' || inMainMainFn(F) || endsProcess(pass, F.node) || !obj.allocs.every((a) => enclosingFuncNode(a) === F.node)) return false;
  if (recvs.some((r) => r.fn !== F || r.kind !== 'recv' || inLoop(r.node, F.node))) return false;
  const capacity = constCapacity(m, obj);
  if (capacity === undefined) return false;
  const started = m.goroutines().filter((g) => g.from === F);
  const owner = (s: Op): Goroutine | undefined => started.find((g) => m.goroutineFuncs(g).has(s.fn));
  // Sends written inside F (its goroutine literals) are the local analysis's, which counts them.
  if (sends.some((s) => s.guarded || !owner(s) || (s.node.start >= F.node.start && s.node.end <= F.node.end))) return false;
  const repeating = sends.filter((s) => repeatsInGoroutine(m, s, owner(s) as Goroutine));
  if (repeating.length === 0) return false;
  let any = false;
  for (const snd of repeating) {
    if (reported.has(snd.node)) continue;
    reported.add(snd.node);
    any = true;
    const fc = snd.fn.fc;
    const g = owner(snd) as Goroutine;
    const rf = F.fc.file;
    const buf = capacity > 0 ? ` and the buffer holds ${capacity}` : '';
    pass.report({
      node: snd.node,
      file: fc.file,
      message: `the goroutine started at ${siteRef(g.from.fc.file, g.site.start, fc.file)} sends on "${fc.text(snd.expr)}" at line ${fc.file.line(snd.node.start)}${snd.fn === g.targets[0] ? '' : ` (reached through ${snd.fn.name})`} and can send more than once, but ${F.name} receives at most ${recvs.length === 1 ? 'one value' : `${recvs.length} values`} (${siteRef(rf, recvs[0]?.node.start ?? F.node.start, fc.file)}) and returns${buf}: a later send blocks forever`,
      fixHint: 'give the channel a buffer for every possible send, or let the sender select on a done channel or ctx.Done() that the receiver closes or cancels when it returns',
      related: [{ file: rf.path, range: rf.range(recvs[0]?.node ?? F.node), message: 'receives once here, then returns' }],
    });
  }
  return any;
}

/** True when one goroutine `g` may run send `s` more than once: a loop around it in its function, or around a call of its function made on `g`. */
function repeatsInGoroutine(m: ProgramModel, s: Op, g: Goroutine): boolean {
  if (inLoop(s.node, s.fn.node)) return true;
  const funcs = m.goroutineFuncs(g);
  return m.callersOf(s.fn).some((cs) => cs.mode === 'call' && funcs.has(cs.from) && inLoop(cs.call, cs.from.node));
}

function inLoop(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'for_statement') return true;
  return false;
}

function inMainMainFn(F: FuncNode): boolean {
  const fc = F.fc;
  return F.node === fc.decl && isMainMain(fc);
}

/** The capacity every allocation of the object gives it, when they all agree on a constant (`make(chan T)`, `make(chan T, 4)`). */
function constCapacity(m: ProgramModel, obj: ObjectInfo, files: readonly SourceFile[] = []): number | undefined {
  let cap: number | undefined;
  for (const a of obj.allocs) {
    if (a.type !== 'call_expression') return undefined;
    const args = callArgs(a);
    const fnNode = enclosingFuncNode(a);
    const fn = fnNode ? m.funcOf(fnNode) : undefined;
    const n = args.length === 1 ? 0 : args.length === 2 ? (fn ? knownInt(fn.fc, args[1] as Node) : packageLevelInt(files, args[1] as Node)) : undefined;
    if (n === undefined || (cap !== undefined && cap !== n)) return undefined;
    cap = n;
  }
  return cap;
}

/** True when the send may run many times: in a loop of its function, or in a function run by several goroutines or called from a loop. */
function sendsMany(m: ProgramModel, s: Op): boolean {
  for (let p = s.node.parent; p && p !== s.fn.node; p = p.parent) if (p.type === 'for_statement') return true;
  if (m.goroutines().some((g) => g.multiplicity !== 'one' && m.goroutineFuncs(g).has(s.fn))) return true;
  return m.callersOf(s.fn).some((cs) => {
    for (let p = cs.call.parent; p && p !== cs.from.node; p = p.parent) if (p.type === 'for_statement') return true;
    return m.goroutines().some((g) => g.multiplicity !== 'one' && m.goroutineFuncs(g).has(cs.from));
  });
}

/**
 * A channel semaphore whose slot is not given back on every path: function F takes a
 * slot with a plain send on a buffered channel in a field or package variable
 * (`sem <- struct{}{}`) and gives it back with a plain receive later in F, but some path
 * from the send returns without that receive (`if err != nil { return err }`). Every
 * receive of the channel is in F itself (no deferred release, no goroutine or callee
 * that could give the slot back), F can run more often than the buffer holds, and the
 * channel is known to the model: once as many slots have leaked as the buffer holds,
 * every later send blocks forever.
 */
function checkLeakedPermits(pass: Pass, reported: Set<Node>): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const { obj, ops } of chanOps(m, ['send', 'recv', 'range'])) {
    if (!m.known(obj) || obj.std.size > 0 || !beyondOneFunction(obj)) continue;
    const capacity = constCapacity(m, obj, pass.pkg.files);
    if (capacity === undefined || capacity < 1) continue;
    const recvs = ops.filter((o) => o.kind !== 'send');
    const F = recvs[0]?.fn;
    if (!F || recvs.some((r) => r.fn !== F || r.kind !== 'recv' || r.guarded)) continue;
    const g = F.fc.cfg(F.node);
    if (!g) continue;
    const recvStmts = recvs.map((r) => cfgNodeOf(g, r.node)).filter((x): x is Node => !!x);
    if (recvStmts.length !== recvs.length) continue;
    for (const snd of ops) {
      if (snd.kind !== 'send' || snd.fn !== F || snd.guarded || reported.has(snd.node)) continue;
      const st = cfgNodeOf(g, snd.node);
      if (!st || !recvStmts.some((r) => nodeReaches(g, st, r)) || !sendsMany(m, snd)) continue;
      const path = findEscapingPath(g, st, (n) => recvStmts.includes(n));
      if (!path) continue;
      reported.add(snd.node);
      const fc = F.fc;
      const where = path.last ? `at line ${fc.file.line(path.last.start)}` : 'at its end';
      pass.report({
        node: snd.node,
        file: fc.file,
        message: `${F.name} takes a slot of the semaphore ${describeObject(obj)} (buffer of ${capacity}) here but can return ${where} without giving it back (the receive at line ${fc.file.line((recvs[0] as Op).node.start)}); after ${capacity === 1 ? 'one such return' : `${capacity} such returns`} every send blocks forever`,
        fixHint: 'give the slot back with a deferred receive right after taking it: sem <- struct{}{}; defer func() { <-sem }()',
        related: path.last ? [{ file: fc.file.path, range: fc.file.range(path.last), message: 'returns here still holding the slot' }] : undefined,
      });
    }
  }
}

/** A decimal integer literal of a package-level declaration (`var sem = make(chan struct{}, 2)`), found in `files`. */
function packageLevelInt(files: readonly SourceFile[], e: Node): number | undefined {
  const lit = unparen(e);
  if (lit.type !== 'int_literal') return undefined;
  let top = lit;
  while (top.parent) top = top.parent;
  const file = files.find((f) => f.decls.includes(top));
  const text = file?.textOf(lit);
  return text && /^(?:0|[1-9]\d*)$/.test(text) ? Number(text) : undefined;
}

/**
 * The send is the only send of its function, outside any loop, in the function that
 * makes the (buffered) channel: the first value into an empty buffer, which cannot block
 * (`w := &Wrapper{consumed: make(chan struct{}, 1)}; ...; w.consumed <- struct{}{}`).
 */
function firstSendAfterMake(m: ProgramModel, obj: ObjectInfo, snd: Op, sends: Op[]): boolean {
  if (inLoop(snd.node, snd.fn.node) || sends.some((o) => o !== snd && o.fn === snd.fn)) return false;
  if (!obj.allocs.some((a) => enclosingFuncNode(a) === snd.fn.node && a.start < snd.node.start)) return false;
  return !m.callersOf(snd.fn).some((cs) => inLoop(cs.call, cs.from.node));
}

/**
 * The send sits behind `if x.closed { return }` under a lock the function holds, and a
 * function that closes the channel sets that flag (`x.closed = true`): the send-after-close
 * guard of a channel shut down by Close, whose receiver leaves when the owner is closed.
 * Whether the receiver's early exit and the flag agree is beyond the model: silence.
 */
function closedFlagGuard(m: ProgramModel, snd: Op, closers: Set<FuncNode>): boolean {
  const fc = snd.fn.fc;
  const body = field(snd.fn.node, 'body');
  if (!body || closers.size === 0 || m.heldAt(snd.fn, snd.node).length === 0) return false;
  const flags: string[] = [];
  walk(body, (n) => {
    if (n.type === 'func_literal' || n.start > snd.node.start) return false;
    if (n.type !== 'if_statement' || n.end > snd.node.start) return undefined;
    const cond = field(n, 'condition');
    const c = cond ? unparen(cond) : undefined;
    const cons = field(n, 'consequence');
    const returns = cons ? named(cons).flatMap((x) => (x.type === 'statement_list' ? named(x) : [x])).some((x) => x.type === 'return_statement') : false;
    if (c?.type === 'selector_expression' && returns) flags.push(fc.text(field(c, 'field') ?? c));
    return undefined;
  });
  if (flags.length === 0) return false;
  for (const F of closers) {
    let sets = false;
    walk(F.node, (n) => {
      if (n.type !== 'assignment_statement') return undefined;
      const l = named(field(n, 'left') ?? n);
      const r = named(field(n, 'right') ?? n);
      if (l.length === 1 && r.length === 1 && l[0]?.type === 'selector_expression' && flags.includes(F.fc.text(field(l[0], 'field') ?? l[0])) && F.fc.text(r[0] as Node) === 'true') sets = true;
      return undefined;
    });
    if (sets) return true;
  }
  return false;
}

/** `ret` is a return inside a loop of `fn` that receives from the channel, guarded by a counter that loop steps (see countedExit). */
function countedReturn(fc: FuncCtx, fn: Node, ret: Node, receives: ChanUse[]): boolean {
  if (ret.type !== 'return_statement') return false;
  const loop = enclosingLoop(ret, fn);
  if (!loop || !receives.some((r) => r.op.start >= loop.start && r.op.end <= loop.end)) return false;
  return countedExit(fc, ret, loop);
}

/**
 * Send `send` sits in a statement list next to (right before or right after) an
 * `if len(ch) == C { return }` (or `>=`, `break`), with `ch` the channel it sends on and
 * `C` the buffer's capacity (`cap(ch)` or a constant equal to it): the sender checks that
 * the buffer is full around every send and stops there.
 */
function stopsWhenFull(fc: FuncCtx, send: Node, capacity: number): boolean {
  const list = send.parent;
  const ch = field(send, 'channel');
  if (!list || list.type !== 'statement_list' || !ch) return false;
  const chText = fc.text(unparen(ch));
  const stmts = named(list);
  const i = stmts.indexOf(send);
  const isLen = (e: Node | undefined): boolean => {
    const u = e ? unparen(e) : undefined;
    if (u?.type !== 'call_expression' || fc.text(field(u, 'function') ?? u) !== 'len') return false;
    const a = callArgs(u)[0];
    return !!a && fc.text(unparen(a)) === chText;
  };
  const isCap = (e: Node | undefined): boolean => {
    const u = e ? unparen(e) : undefined;
    if (!u) return false;
    if (u.type === 'call_expression' && fc.text(field(u, 'function') ?? u) === 'cap') {
      const a = callArgs(u)[0];
      return !!a && fc.text(unparen(a)) === chText;
    }
    return knownInt(fc, u) === capacity;
  };
  const guard = (st: Node | undefined): boolean => {
    if (st?.type !== 'if_statement' || field(st, 'initializer') || field(st, 'alternative')) return false;
    const c = field(st, 'condition');
    const u = c ? unparen(c) : undefined;
    if (u?.type !== 'binary_expression') return false;
    const op = fc.text(field(u, 'operator') ?? u);
    const l = field(u, 'left');
    const r = field(u, 'right');
    const full = (op === '==' && ((isLen(l) && isCap(r)) || (isCap(l) && isLen(r)))) || (op === '>=' && isLen(l) && isCap(r)) || (op === '<=' && isCap(l) && isLen(r));
    if (!full) return false;
    const body = field(st, 'consequence');
    const last = body ? named(named(body)[0] ?? body).at(-1) : undefined;
    // A plain break leaves the loop only when the list is the loop's own body (not a select or switch case).
    return last?.type === 'return_statement' || (last?.type === 'break_statement' && named(last).length === 0 && list.parent?.type === 'block' && list.parent.parent?.type === 'for_statement');
  };
  return guard(stmts[i + 1]) || guard(stmts[i - 1]);
}
