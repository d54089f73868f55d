/**
 * @fileoverview The field form of "Wait before the counted goroutines can finish"
 * (issue 13): `t.wg.Wait()` while a goroutine it counts (started from the same function,
 * `go t.render(f)`) can only reach its deferred `Done` after a channel operation whose only
 * counterpart in the program is later in this function, after the Wait:
 *
 * - the goroutine sends on an unbuffered channel (`t.results <- v`) that only this
 *   function receives from, after the Wait (a Wait inside the loop that Adds, with the
 *   receive loop after it);
 * - the goroutine loops `for { select { ...; case <-c.stop: return } }` and `c.stop` is
 *   closed (or sent on) only by this function, after the Wait.
 *
 * The program model (src/analysis/program/) says which channel each operation touches, that
 * it sees every use of it (`known`), every make of it is unbuffered, and where every
 * counterpart operation is; the CFG says that from the `go` statement every path to each
 * counterpart passes the Wait. Both the Wait and the goroutine's operation block forever.
 */
import { cfgNodeOf } from '../../go/cfg.js';
import { callArgs } from '../../analysis/chanfacts.js';
import { lockAnalysis, lockEscapes } from '../../analysis/locks.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { programModel, type FuncNode, type Op, type ProgramModel } from '../../analysis/program/index.js';
import { reachesAvoiding } from '../../analysis/syncfacts.js';
import { field, named, unparen, walk, type Node } from '../../go/syntax.js';

/** Reports each Wait on a WaitGroup field that waits for a goroutine blocked on this function's later channel operation. */
export function checkFieldWaitCycles(pass: Pass, fc: FuncCtx): void {
  const body = fc.body;
  if (!body) return;
  const text = fc.file.text.slice(body.start, body.end);
  if (!text.includes('go ') || !text.includes('.Wait()')) return;
  // Locals are checkWaitBeforeDrain's.
  const waits = waitGroupWaits(fc, body).filter((w) => unparen(w.recv).type === 'selector_expression').map((w) => w.call);
  if (waits.length === 0) return;
  const pm = programModel(pass.facts);
  const F = pm.funcOf(fc.decl);
  const g = fc.cfg(fc.decl);
  if (!F || !g) return;
  for (const w of waits) {
    const wgExpr = field(unparen(field(w, 'function') as Node), 'operand') as Node;
    const wg = pm.objectOf(fc, wgExpr);
    if (!wg || !pm.known(wg)) continue;
    const wNode = cfgNodeOf(g, w);
    if (!wNode) continue;
    for (const gr of pm.goroutines()) {
      if (gr.from !== F || gr.site.type !== 'go_statement' || !gr.complete || gr.targets.length !== 1) continue;
      const T = gr.targets[0] as FuncNode;
      const gNode = cfgNodeOf(g, gr.site);
      // The goroutine is started before this Wait can run (the Wait is reachable from the go).
      if (!gNode || !reachesAvoiding(g, gNode, wNode, () => false)) continue;
      if (!deferredDone(pm, T, wg.id)) continue;
      const block = blockingOp(pm, T);
      if (!block) continue;
      const ch = pm.info(block.op.cls);
      if (ch.kind !== 'chan' || !pm.known(ch) || ch.allocs.length === 0 || ch.std.size > 0) continue;
      if (!ch.allocs.every((a) => a.type === 'call_expression' && callArgs(a).length === 1)) continue; // unbuffered only
      const counter = pm.opsOn(ch, block.need).filter((op) => !pm.isDead(op.fn));
      if (counter.length === 0) continue;
      // Every counterpart is in this function, reachable from the go statement only through the Wait.
      const late = counter.every((op) => {
        if (op.fn !== F) return false;
        const n = cfgNodeOf(g, op.node);
        return !!n && n !== wNode && !reachesAvoiding(g, gNode, n, (x) => x === wNode);
      });
      if (!late) continue;
      const first = counter[0] as Op;
      const wgName = fc.text(wgExpr).replace(/\s+/g, '');
      const chName = fc.text(first.expr).replace(/\s+/g, '');
      const tName = T.fc.nameOf(T.node);
      const what = block.kind === 'send' ? `sends on unbuffered ${chName} before its deferred Done` : `returns (and calls its deferred Done) only when ${chName} is ${block.need.includes('close') ? 'closed' : 'ready'}`;
      const counterWhat = block.kind === 'send' ? `the only receive from ${chName} (line ${fc.file.line(first.node.start)})` : `the only ${first.kind === 'close' ? 'close' : 'send'} of ${chName} (line ${fc.file.line(first.node.start)})`;
      const sameFile = T.fc.file === fc.file;
      pass.report({
        node: w,
        file: fc.file,
        message: `${wgName}.Wait() waits for the goroutine started at line ${fc.file.line(gr.site.start)} (${tName}), which ${what}, but ${counterWhat} comes after this Wait: the goroutine and this Wait block each other forever`,
        fixHint: block.kind === 'send' ? `receive from ${chName} before waiting (or move the Wait after the receive loop)` : `close ${chName} before waiting for the goroutine that needs it (or do not count that goroutine in ${wgName})`,
        related: [{ file: T.fc.file.path, range: T.fc.file.range(block.op.node), message: `${tName} blocks here` }],
      });
      pass.report({
        node: block.report,
        file: T.fc.file,
        message: `${tName} (started at ${sameFile ? `line ${fc.file.line(gr.site.start)}` : `${fc.file.path.split('/').pop() ?? ''}:${fc.file.line(gr.site.start)}`}) blocks here forever: ${counterWhat.replace(/\(line (\d+)\)/, sameFile ? '(line $1)' : `(${fc.file.path.split('/').pop() ?? ''}:$1)`)} runs only after ${fc.nameOf(fc.decl)} returns from ${wgName}.Wait(), which waits for this goroutine's Done`,
        related: [{ file: fc.file.path, range: fc.file.range(w), message: `${wgName}.Wait() waits for this goroutine` }],
      });
    }
  }
}

/** `defer x.wg.Done()` directly in the goroutine's body, on the WaitGroup class `wg`. */
function deferredDone(pm: ProgramModel, T: FuncNode, wg: number): boolean {
  return pm.opsIn(T).some((op) => op.kind === 'done' && pm.info(op.cls).id === wg && op.node.parent?.type === 'defer_statement' && T.fc.res.enclosingFunc(op.node) === T.node);
}

/**
 * The channel operation the goroutine must complete before it returns: an unconditional
 * top-level send (no return before it), or the receive case of `for { select {...} }`
 * that holds every return of the function (no break out of the loop).
 */
function blockingOp(pm: ProgramModel, T: FuncNode): { kind: 'send' | 'recv'; op: Op; need: Array<'send' | 'recv' | 'range' | 'close'>; report: Node } | undefined {
  const body = field(T.node, 'body');
  const list = body ? named(body).find((c) => c.type === 'statement_list') : undefined;
  if (!body || !list) return undefined;
  const ops = pm.opsIn(T);
  const returns: Node[] = [];
  let jumps = false;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'return_statement') returns.push(n);
    if (n.type === 'goto_statement' || (n.type === 'break_statement' && named(n).length > 0)) jumps = true;
    return undefined;
  });
  if (jumps) return undefined;
  for (const st of named(list)) {
    if (st.type === 'send_statement') {
      const op = ops.find((o) => o.kind === 'send' && o.node === st && !o.guarded);
      if (!op || returns.some((r) => r.start < st.start)) return undefined;
      return { kind: 'send', op, need: ['recv', 'range'], report: st };
    }
    if (st.type === 'for_statement' && named(st).length === 1) {
      // `for { select { ... case <-c.stop: return } }`
      const inner = named(field(st, 'body') ?? st).find((c) => c.type === 'statement_list');
      const sel = inner && named(inner).length === 1 ? named(inner)[0] : undefined;
      if (sel?.type !== 'select_statement' || returns.length === 0) return undefined;
      // A break directly in the loop (not inside the select) would leave it.
      let leaves = false;
      walk(st, (n) => {
        if (n.type === 'func_literal' || n.type === 'select_statement' || n.type === 'switch_statement' || n.type === 'type_switch_statement' || (n.type === 'for_statement' && n !== st)) return n === sel ? undefined : false;
        if (n.type === 'break_statement') leaves = true;
        return undefined;
      });
      if (leaves) return undefined;
      let recv: Op | undefined;
      for (const r of returns) {
        const clause = ancestorOf(r, 'communication_case', sel);
        const op = clause ? ops.find((o) => o.kind === 'recv' && o.select === sel && o.node.start >= clause.start && o.node.end <= (field(clause, 'communication')?.end ?? clause.end)) : undefined;
        if (!op || (recv && pm.info(recv.cls).id !== pm.info(op.cls).id)) return undefined;
        recv = op;
      }
      return recv ? { kind: 'recv', op: recv, need: ['send', 'close'], report: sel } : undefined;
    }
    if (st.type !== 'defer_statement' && st.type !== 'expression_statement' && st.type !== 'short_var_declaration' && st.type !== 'assignment_statement') return undefined;
  }
  return undefined;
}

function ancestorOf(n: Node, type: string, stop: Node): Node | undefined {
  for (let p = n.parent; p && p !== stop; p = p.parent) if (p.type === type) return p;
  return undefined;
}

/**
 * `wg.Wait()` while this goroutine holds a lock that a goroutine counted by wg must take
 * before its deferred Done (issue 13, with the RWMutex writer preference): the goroutine's
 * Lock waits for this goroutine's Unlock, which comes after the Wait. Held locks come from
 * the lock analysis (`heldAt`, every explored path); the goroutine is a function literal
 * started by this function before the Wait, with `defer wg.Done()` on the same WaitGroup
 * expression, and its must-lock summary names the lock in this declaration's names. A held
 * RLock against the goroutine's RLock only deadlocks when a writer queues in between
 * (`mayWriteLock`): then the writer waits for this reader and blocks the goroutine's RLock.
 */
export function checkLockedWaits(pass: Pass, fc: FuncCtx): void {
  const body = fc.body;
  if (!body) return;
  const text = fc.file.text.slice(body.start, body.end);
  if (!text.includes('go func') || !text.includes('.Wait()') || !/\.R?Lock\(\)/.test(text)) return;
  const g = fc.cfg(fc.decl);
  if (!g) return;
  const la = lockAnalysis(pass.facts);
  const info = la.of(fc);
  if (!info) return;
  for (const { call: n, recv } of waitGroupWaits(fc, body)) {
    const wNode = cfgNodeOf(g, n);
    const held = wNode ? info.heldAt.get(wNode) : undefined;
    if (!wNode || !held || held.size === 0) continue;
    const wgText = fc.text(recv).replace(/\s+/g, '').replace(/^&/, '');
    walk(body, (st) => {
      if (st.type === 'func_literal') return false;
      if (st.type !== 'go_statement') return;
      const call = named(st).find((x) => x.type === 'call_expression');
      const lit = call ? unparen(field(call, 'function') ?? call) : undefined;
      if (lit?.type !== 'func_literal') return false;
      const gNode = cfgNodeOf(g, st);
      if (!gNode || !reachesAvoiding(g, gNode, wNode, () => false)) return false;
      if (!deferredDoneOn(fc, lit, wgText)) return false;
      const tInfo = la.of(fc, lit);
      for (const [k, inner] of tInfo?.summary.locks ?? []) {
        const h = held.get(k);
        if (!h || lockEscapes(la, info, k)) continue;
        if (h.mode === 'R' && inner.mode === 'R' && !la.mayWriteLock(fc, h.ref)) continue;
        const name = h.ref.text.replace(/^&/, '');
        const heldWhat = `${name}.${h.mode === 'R' ? 'RLock' : 'Lock'}() (line ${fc.file.line(h.site.node.start)})`;
        const innerWhat = `${inner.mode === 'R' ? 'RLock' : 'Lock'}s ${name}${inner.via.length ? ` through ${inner.via.join(' → ')}` : ''}`;
        const why =
          h.mode === 'R' && inner.mode === 'R'
            ? 'with a writer queued on it, that RLock waits behind the writer, which waits for this goroutine to RUnlock'
            : h.mode === 'R'
              ? 'its Lock waits for this goroutine to RUnlock'
              : 'it waits for this goroutine to Unlock';
        pass.report({
          node: n,
          file: fc.file,
          message: `${wgText}.Wait() waits for the goroutine started at line ${fc.file.line(st.start)}, which ${innerWhat} before its deferred Done while this goroutine holds ${heldWhat}: ${why}, after this Wait — both block forever`,
          fixHint: `release ${name} before ${wgText}.Wait() (or let the goroutines return their results and apply them after the Wait)`,
          related: [{ file: inner.site.file.path, range: inner.site.file.range(inner.site.node), message: `the goroutine blocks here` }],
        });
        pass.report({
          node: inner.site.node,
          file: inner.site.file,
          message: `this ${inner.mode === 'R' ? 'RLock' : 'Lock'} of ${name} blocks forever in the goroutine started at ${inner.site.file === fc.file ? `line ${fc.file.line(st.start)}` : `${fc.file.path.split('/').pop() ?? ''}:${fc.file.line(st.start)}`}: ${fc.nameOf(fc.decl)} holds ${heldWhat} and waits in ${wgText}.Wait() (line ${fc.file.line(n.start)}) for this goroutine's Done`,
          related: [{ file: fc.file.path, range: fc.file.range(n), message: `${wgText}.Wait() while holding ${name}` }],
        });
        return false;
      }
      return false;
    });
  }
}

/** The `WaitGroup.Wait()` calls of a body (not in nested function literals), with their receivers. */
function waitGroupWaits(fc: FuncCtx, body: Node): Array<{ call: Node; recv: Node }> {
  const out: Array<{ call: Node; recv: Node }> = [];
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type !== 'call_expression') return;
    const f = field(n, 'function');
    const sel = f ? unparen(f) : undefined;
    if (sel?.type !== 'selector_expression' || fc.text(field(sel, 'field') ?? sel) !== 'Wait') return;
    const c = fc.res.callee(n);
    if (c.kind === 'method' && c.method.pkg === 'sync' && c.method.recvType === 'WaitGroup') out.push({ call: n, recv: c.recv });
    return undefined;
  });
  return out;
}

/** `defer <wg>.Done()` directly in the literal's body, `<wg>` spelled as in the Wait. */
function deferredDoneOn(fc: FuncCtx, lit: Node, wgText: string): boolean {
  let found = false;
  walk(lit, (m) => {
    if (found || (m.type === 'func_literal' && m !== lit)) return false;
    if (m.type !== 'defer_statement') return;
    const call = named(m).find((x) => x.type === 'call_expression');
    if (call && fc.text(call).replace(/\s+/g, '') === `${wgText}.Done()`) found = true;
    return false;
  });
  return found;
}
