/**
 * @fileoverview waitgroup-misuse: counting mistakes with a `sync.WaitGroup` that make
 * `Wait` return too early, panic, or block forever (seed §4.2).
 *
 * - `Done` on a local WaitGroup that is never `Add`ed: Wait returns at once and the
 *   first Done panics with "sync: negative WaitGroup counter".
 * - `Add` after the last `Wait` of the function: the goroutines it counts are never
 *   waited for (the sync.WaitGroup docs: Adds "must happen before a Wait").
 * - a parameter of type `sync.WaitGroup` (by value): the callee's Done decrements a
 *   copy, so the caller's Wait blocks forever ("A WaitGroup must not be copied after
 *   first use").
 * - a constant `Add(-n)` larger than all the constant Adds before it.
 * - a counted goroutine that can return without its Done, or that Waits on the
 *   WaitGroup counting it (`checkCountedGoroutines`).
 * - `Add(len(xs))` before a loop over xs that can skip starting its goroutine
 *   (`checkAddLenSkipped`).
 * - `Wait` before draining an unbuffered channel the counted goroutines send on
 *   (`checkWaitBeforeDrain`), and its field form: a WaitGroup and channels in struct
 *   fields, the goroutine blocked on a send or on a stop channel this function only
 *   serves after the Wait (`checkFieldWaitCycles`, waitcycle.ts).
 *
 * Only local WaitGroups whose every use is a method call are tracked (an `&wg` passed
 * elsewhere may be Added there). `Add` inside the goroutine is waitgroup-add-in-goroutine.
 */
import { cfgNodeOf, reachableBlocks, type Block } from '../../go/cfg.js';
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule, type Report } from '../../analysis/rule.js';
import { chanUses, localChan } from '../../analysis/chanfacts.js';
import { reachesAvoiding } from '../../analysis/syncfacts.js';
import { checkFieldWaitCycles, checkLockedWaits } from './waitcycle.js';
import type { LocalVar } from '../../go/resolve.js';
import { ancestor, contains, field, FUNC_TYPES, named, unparen, walk, type Node } from '../../go/syntax.js';
import { deref, isNamed, isNamedOrPtr } from '../../go/types.js';
import { failsTestAt } from '../../analysis/testfail.js';

interface WgUses {
  add: Node[];
  done: Node[];
  wait: Node[];
  go: Node[];
}

export default createRule({
  id: 'waitgroup-misuse',
  severity: 'warning',
  since: '0.2.0',
  category: 'deadlock',
  description: 'A sync.WaitGroup whose Adds and Dones do not match: Done without Add, Add after the last Wait, a WaitGroup passed by value, Add(-n) below zero, a counted goroutine that returns without Done or waits on its own WaitGroup, Add(len(xs)) before a loop that can skip its goroutine, Wait before draining an unbuffered channel its goroutines send on.',
  help:
    'Call wg.Add(n) before starting the goroutines and before wg.Wait(), call wg.Done() once per Add, and pass the WaitGroup by pointer (*sync.WaitGroup). On Go 1.25+, wg.Go(f) does the Add and the Done.',
  // Every shape reported involves a WaitGroup declared or named in the declaration.
  triggers: /\bWaitGroup\b/,
  run(pass) {
    for (const fc of pass.functions()) {
      const report = (r: Report): void => pass.report(r);
      checkByValueParams(fc, report);
      for (const [v, uses] of localWaitGroups(fc)) {
        checkDoneWithoutAdd(fc, v, uses, report);
        checkAddAfterWait(fc, v, uses, report);
        checkNegativeAdd(fc, v, uses, report);
        checkCountedGoroutines(fc, v, uses, report);
        checkAddLenSkipped(fc, v, uses, report);
        checkWaitBeforeDrain(fc, v, uses, report);
      }
    }
    // WaitGroups and channels in struct fields, through the program model (waitcycle.ts):
    // functions that start a goroutine and then Wait (their text need not name WaitGroup).
    for (const fc of pass.facts.functions(/\bgo\s[\s\S]*\.Wait\(\)/)) {
      checkFieldWaitCycles(pass, fc);
      checkLockedWaits(pass, fc);
    }
  },
});

/** Local WaitGroup variables (`var wg sync.WaitGroup`, `wg := new(sync.WaitGroup)`) whose every reference is a method call. */
function localWaitGroups(fc: FuncCtx): Map<LocalVar, WgUses> {
  const out = new Map<LocalVar, WgUses>();
  for (const [v, refs] of fc.res.refs) {
    if (v.kind !== 'var') continue;
    const t = fc.res.varType(v);
    if (!isNamedOrPtr(t, 'sync', 'WaitGroup')) continue;
    if (t.kind === 'pointer') {
      // Only a WaitGroup this function allocates: new(sync.WaitGroup) / &sync.WaitGroup{}.
      const init = v.init?.expr && unparen(v.init.expr);
      const txt = init ? fc.text(init).replace(/\s+/g, '') : '';
      if (!/^(?:new\((?:\w+\.)?WaitGroup\)|&(?:\w+\.)?WaitGroup\{\})$/.test(txt)) continue;
    } else if (v.rangeOf || (v.init && !/^(?:\w+\.)?WaitGroup\{\}$/.test(fc.text(unparen(v.init.expr)).replace(/\s+/g, '')))) continue; // a copy of another WaitGroup
    const uses: WgUses = { add: [], done: [], wait: [], go: [] };
    let ok = true;
    for (const r of refs) {
      const sel = r.parent;
      const call = sel?.parent;
      if (sel?.type !== 'selector_expression' || field(sel, 'operand') !== r || call?.type !== 'call_expression' || field(call, 'function') !== sel) {
        ok = false;
        break;
      }
      const name = fc.text(field(sel, 'field') ?? sel);
      if (name === 'Add') uses.add.push(call);
      else if (name === 'Done') uses.done.push(call);
      else if (name === 'Wait') uses.wait.push(call);
      else if (name === 'Go') uses.go.push(call);
      else {
        ok = false;
        break;
      }
    }
    if (ok) out.set(v, uses);
  }
  return out;
}

/** Done on a WaitGroup that nothing ever Adds to (seed §4.2). */
function checkDoneWithoutAdd(fc: FuncCtx, v: LocalVar, u: WgUses, report: (r: Report) => void): void {
  if (u.add.length > 0 || u.go.length > 0 || u.done.length === 0) return;
  const done = u.done[0] as Node;
  const goStmt = ancestor(done, 'go_statement');
  const where = goStmt ? ` in the goroutine started at line ${fc.file.line(goStmt.start)}` : '';
  const wait = u.wait[0];
  const waitNote = wait ? `; ${v.name}.Wait() at line ${fc.file.line(wait.start)} sees a zero counter and returns before the goroutines finish` : '';
  report({
    node: done,
    file: fc.file,
    message: `${fc.text(done)}${where} decrements WaitGroup "${v.name}", but ${v.name}.Add is never called in ${fc.name}: the counter goes negative and Done panics ("sync: negative WaitGroup counter")${waitNote}`,
    fixHint: `call ${v.name}.Add(1) before each go statement (or ${v.name}.Add(n) before the loop), or use ${v.name}.Go(f) on Go 1.25+`,
  });
}

/** An Add that runs after a Wait of the same function with no Wait after it. */
function checkAddAfterWait(fc: FuncCtx, v: LocalVar, u: WgUses, report: (r: Report) => void): void {
  if (u.wait.length === 0 || u.add.length === 0 || u.done.length === 0) return;
  // A deferred Wait runs at return, after every Add.
  if (u.wait.some((w) => w.parent?.type === 'defer_statement')) return;
  for (const add of u.add) {
    const fn = fc.res.enclosingFunc(add);
    if (u.wait.some((w) => fc.res.enclosingFunc(w) !== fn)) return; // waited elsewhere (a closer goroutine)
    const g = fc.cfg(fn);
    const addStmt = g && cfgNodeOf(g, add);
    if (!g || !addStmt) continue;
    let after: Node | undefined;
    for (const w of u.wait) {
      const ws = cfgNodeOf(g, w);
      if (ws && reachesAvoiding(g, ws, addStmt, () => false)) after = w;
    }
    if (!after) continue;
    const waitsLater = u.wait.some((w) => {
      const ws = cfgNodeOf(g, w);
      return ws !== undefined && (ws === addStmt || reachesAvoiding(g, addStmt, ws, () => false));
    });
    if (waitsLater) continue;
    report({
      node: add,
      file: fc.file,
      message: `${fc.text(add)} runs after ${v.name}.Wait() at line ${fc.file.line(after.start)} and no Wait follows it in ${fc.name}: the goroutines this Add counts are never waited for, and ${v.name} is reused without a Wait for the new count`,
      fixHint: `move ${fc.text(add)} (and the goroutine it counts) before ${v.name}.Wait(), or call ${v.name}.Wait() again after starting it`,
    });
  }
}

/**
 * Goroutines counted by `v` (a `go func() {...}()` whose literal calls `v.Done()`, with an
 * Add in the function and a Wait outside the goroutine):
 * - a path through the literal that returns normally without reaching a `v.Done()` (an
 *   early return on an error): the counter never reaches zero and every Wait blocks
 *   (not when a Done is inside a loop of the literal: then it counts work items);
 * - a `v.Wait()` inside the literal before its deferred `v.Done()`: the goroutine waits for
 *   a counter that includes itself.
 * Silent when a Done is deferred inside a closure or nested in another literal (we do not
 * follow it), and when the literal's CFG cannot be built.
 */
function checkCountedGoroutines(fc: FuncCtx, v: LocalVar, u: WgUses, report: (r: Report) => void): void {
  if (u.add.length === 0 || u.done.length === 0) return;
  const lits = new Set<Node>();
  for (const d of u.done) {
    const lit = fc.res.enclosingFunc(d);
    const go = lit?.parent?.parent;
    if (lit?.type === 'func_literal' && lit.parent?.type === 'call_expression' && go?.type === 'go_statement') lits.add(lit);
  }
  for (const lit of lits) {
    const inLit = (n: Node): boolean => fc.res.enclosingFunc(n) === lit;
    // A Done in a closure inside the goroutine (`defer func() { wg.Done() }()`): not followed.
    if (u.done.some((d) => !inLit(d) && contains(lit, d))) continue;
    // A Done inside a loop counts work items, not the goroutine (a worker pool with
    // Add(len(jobs))): the goroutine may end without a Done of its own.
    if (u.done.some((d) => inLit(d) && inLoop(d, lit))) continue;
    const outerWaits = u.wait.filter((w) => !contains(lit, w));
    if (outerWaits.length === 0) continue;
    const waitLine = fc.file.line((outerWaits[0] as Node).start);
    const goLine = fc.file.line((lit.parent?.parent as Node).start);
    const deferred = u.done.some((d) => inLit(d) && d.parent?.type === 'defer_statement');
    if (deferred) {
      for (const w of u.wait.filter(inLit)) {
        report({
          node: w,
          file: fc.file,
          message: `the goroutine started at line ${goLine} calls ${v.name}.Wait() while its own deferred ${v.name}.Done() has not run: Wait waits for a counter that includes this goroutine, so it and ${v.name}.Wait() at line ${waitLine} block forever`,
          fixHint: `do not wait on ${v.name} inside a goroutine it counts: use a second WaitGroup for the goroutine's own children, or wait in the spawner`,
        });
      }
      continue;
    }
    const g = fc.cfg(lit);
    if (!g) continue;
    const doneStmts = new Set(u.done.filter(inLit).map((d) => cfgNodeOf(g, d)).filter((n): n is Node => !!n));
    if (doneStmts.size === 0) continue;
    // Blocks that run a Done are not crossed: only paths that never call it are searched.
    // Nor are those that fail the test (`t.Errorf("unexpected error %v", err)` instead of
    // the Done): a Wait left hanging after the test has failed is not a leak a maintainer
    // fixes (see analysis/testfail.ts).
    const runsDone = (b: Block): boolean => b.nodes.some((n) => doneStmts.has(n) || failsTestAt(fc, n));
    const reached = reachableBlocks(g.entry, (from) => runsDone(from));
    if (!reached.has(g.exit) || runsDone(g.entry)) continue;
    const ret = [...reached].flatMap((b) => (b.succs.includes(g.exit) && !runsDone(b) ? b.nodes.filter((n) => n.type === 'return_statement') : []))[0];
    const where = ret ? `returns at line ${fc.file.line(ret.start)}` : 'can finish';
    report({
      node: ret ?? lit,
      file: fc.file,
      message: `the goroutine started at line ${goLine} ${where} without calling ${v.name}.Done(): the counter never reaches zero and ${v.name}.Wait() at line ${waitLine} blocks forever`,
      fixHint: `call ${v.name}.Done() on every path, most simply with "defer ${v.name}.Done()" as the goroutine's first statement`,
    });
  }
}

/**
 * `wg.Add(len(xs))` before `for ... range xs { ... go func() { ... wg.Done() ... }() }`
 * where an iteration can skip the go statement (a `continue` or `break` on some path)
 * without calling `wg.Done()` itself: fewer goroutines than counted are started, and the
 * Wait after the loop blocks forever.
 */
function checkAddLenSkipped(fc: FuncCtx, v: LocalVar, u: WgUses, report: (r: Report) => void): void {
  if (u.wait.length === 0) return;
  for (const add of u.add) {
    const arg = field(add, 'arguments')?.children.find((c) => c.named && c.type !== 'comment');
    const m = arg ? /^len\((.+)\)$/s.exec(fc.text(arg).trim()) : null;
    if (!m) continue;
    const counted = (m[1] as string).replace(/\s+/g, '');
    const fn = fc.res.enclosingFunc(add) ?? fc.decl;
    const g = fc.cfg(fn);
    if (!g) continue;
    walk(fn, (loop) => {
      if (loop !== fn && FUNC_TYPES.has(loop.type)) return false;
      if (loop.type !== 'for_statement' || loop.start < add.end) return;
      const clause = loop.children.find((c) => c.type === 'range_clause');
      const right = clause ? field(clause, 'right') : undefined;
      if (!right || fc.text(right).replace(/\s+/g, '') !== counted) return;
      // The goroutines the loop starts that Done on v, and the Dones the loop runs itself.
      const gos: Node[] = [];
      walk(loop, (n) => {
        if (n.type !== 'go_statement') return;
        const lit = unparen(field(named(n)[0] ?? n, 'function') ?? n);
        if (lit.type === 'func_literal' && u.done.some((d) => contains(lit, d))) gos.push(n);
        return false;
      });
      if (gos.length === 0) return false;
      const waitsAfter = u.wait.some((w) => w.start > loop.end && fc.res.enclosingFunc(w) === fc.res.enclosingFunc(add));
      if (!waitsAfter) return false;
      const head = g.loopHeads.get(loop);
      const bodyEntry = head?.succs[0];
      const done = head?.succs[1];
      if (!head || !bodyEntry) return false;
      const counting = new Set<Node>();
      for (const n of gos) {
        const st = cfgNodeOf(g, n);
        if (st) counting.add(st);
      }
      for (const d of u.done) {
        if (fc.res.enclosingFunc(d) !== fn || !contains(loop, d)) continue;
        const st = cfgNodeOf(g, d);
        if (st) counting.add(st);
      }
      const runs = (b: Block): boolean => b.nodes.some((n) => counting.has(n));
      const reached = reachableBlocks(bodyEntry, (from, to) => runs(from) || to === head || to === done);
      // Reaching the head again (continue, end of body) or leaving the loop (break)
      // without starting a counted goroutine: an element counted by Add gets no Done.
      const skips = [...reached].some((b) => !runs(b) && (b.succs.includes(head) || (!!done && b.succs.includes(done))));
      if (!skips || runs(bodyEntry)) return false;
      const goLine = fc.file.line((gos[0] as Node).start);
      report({
        node: add,
        file: fc.file,
        message: `${fc.text(add)} counts every element of ${m[1]}, but an iteration of the loop at line ${fc.file.line(loop.start)} can skip the go statement at line ${goLine} (continue or break) without calling ${v.name}.Done(): the counter never reaches zero and ${v.name}.Wait() blocks forever`,
        fixHint: `call ${v.name}.Add(1) just before the go statement instead of ${fc.text(add)} up front (or ${v.name}.Done() on the skipping path)`,
      });
      return false;
    });
  }
}

/**
 * `wg.Wait()` before the function receives from an unbuffered channel that the goroutines
 * counted by `wg` send on: every sender blocks on its send, never reaches its Done, and Wait
 * blocks forever (the receives after Wait never run).
 *
 * Only a channel made here with no buffer, every use of which is understood: sends (not in a
 * select) directly in goroutines counted by `wg` (`go func` literals that defer its Done, or
 * literals passed to `wg.Go`), and receives, ranges and closes in this function after a Wait
 * that is a top-level statement of the function, outside loops.
 */
function checkWaitBeforeDrain(fc: FuncCtx, v: LocalVar, u: WgUses, report: (r: Report) => void): void {
  for (const w of u.wait) {
    const fn = fc.res.enclosingFunc(w) ?? fc.decl;
    const stmt = w.parent?.type === 'expression_statement' ? w.parent : undefined;
    const body = fn === fc.decl ? fc.body : field(fn, 'body');
    const top = stmt?.parent?.type === 'statement_list' ? stmt.parent.parent : stmt?.parent;
    if (!stmt || !body || top !== body) continue;
    // The sender's Done must come after its send: deferred in the literal, or done by
    // wg.Go when the function returns. (A goroutine that calls Done and then sends lets
    // Wait return first: runtime's own tests do that.)
    const counted = (lit: Node): boolean => {
      const call = lit.parent?.type === 'argument_list' ? lit.parent.parent : lit.parent;
      if (call?.type !== 'call_expression') return false;
      if (field(call, 'function') === lit) {
        return call.parent?.type === 'go_statement' && u.done.some((d) => d.parent?.type === 'defer_statement' && fc.res.enclosingFunc(d) === lit);
      }
      return u.go.includes(call);
    };
    for (const [ident, lv] of fc.res.defs) {
      if (ident !== lv.ident || lv.func !== fn) continue;
      const lc = localChan(fc, lv);
      if (!lc || lc.capacity !== 0) continue;
      const uses = chanUses(fc, lv);
      const sends = uses.filter((x) => x.kind === 'send');
      const recvs = uses.filter((x) => x.kind === 'recv' || x.kind === 'range');
      if (sends.length === 0 || recvs.length === 0) continue;
      const understood = uses.every((x) => {
        if (x.kind === 'send') return x.func.type === 'func_literal' && counted(x.func);
        if (x.kind === 'recv' || x.kind === 'range' || x.kind === 'close') return x.func === fn && x.op.start > w.end;
        return x.kind === 'make' || x.kind === 'lencap';
      });
      if (!understood) continue;
      const send = sends[0] as (typeof sends)[number];
      const recv = recvs[0] as (typeof recvs)[number];
      report({
        node: w,
        file: fc.file,
        message: `${fc.text(w)} at line ${fc.file.line(w.start)} waits for goroutines that send on unbuffered "${lv.name}" (line ${fc.file.line(send.op.start)}), but "${lv.name}" is received only after Wait returns (line ${fc.file.line(recv.op.start)}): every sender blocks on its send, never reaches ${v.name}.Done(), and Wait blocks forever`,
        fixHint: `receive while the goroutines run: wait in a goroutine of its own (go func() { ${v.name}.Wait(); close(${lv.name}) }()) and range over ${lv.name}, or give ${lv.name} a buffer for every send`,
        related: [{ file: fc.file.path, range: fc.file.range(send.op), message: 'blocks here' }],
      });
    }
  }
}

/** A constant Add(-n) that takes the counter below zero. */
function checkNegativeAdd(fc: FuncCtx, v: LocalVar, u: WgUses, report: (r: Report) => void): void {
  let total = 0;
  const negatives: Array<{ call: Node; n: number }> = [];
  for (const add of u.add) {
    const arg = field(add, 'arguments');
    const a = arg?.children.find((c) => c.named && c.type !== 'comment');
    const n = a ? fc.res.constValue(a) : undefined;
    if (n === undefined) return; // a count we cannot see
    if (n > 0) {
      if (inLoop(add, fc.decl)) return;
      total += n;
    } else if (n < 0) negatives.push({ call: add, n: -n });
  }
  for (const { call, n } of negatives) {
    if (n <= total) continue;
    report({
      node: call,
      file: fc.file,
      message: `${fc.text(call)} subtracts ${n} from WaitGroup "${v.name}", but the Adds in ${fc.name} total only ${total}: the counter goes negative and Add panics ("sync: negative WaitGroup counter")`,
      fixHint: `subtract at most what was added (use ${v.name}.Done() once per counted goroutine)`,
    });
  }
}

/** True when `n` is inside a for statement below `top` (a declaration or literal). */
function inLoop(n: Node, top: Node): boolean {
  for (let p = n.parent; p && p !== top; p = p.parent) if (p.type === 'for_statement') return true;
  return false;
}

/** Parameters of type sync.WaitGroup (by value) in the declaration and its literals. */
function checkByValueParams(fc: FuncCtx, report: (r: Report) => void): void {
  walk(fc.decl, (n) => {
    if (n.type !== 'parameter_declaration') return;
    const te = field(n, 'type');
    if (!te) return;
    const t = fc.res.typeFromExpr(te);
    if (!isNamed(t, 'sync', 'WaitGroup') || deref(t) !== t) return;
    const nameNode = field(n, 'name') ?? te;
    const name = fc.text(nameNode);
    report({
      node: nameNode,
      file: fc.file,
      message: `parameter "${name}" has type sync.WaitGroup and is passed by value: Done and Add act on a copy, so the caller's Wait never sees them (it blocks forever or returns early)`,
      fixHint: `declare ${name} as *sync.WaitGroup and pass &wg`,
    });
  });
}
