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
  const waits: Node[] = [];
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type !== 'call_expression') return;
    const f = field(n, 'function');
    const sel = f ? unparen(f) : undefined;
    if (sel?.type !== 'selector_expression' || fc.text(field(sel, 'field') ?? sel) !== 'Wait') return;
    const recv = field(sel, 'operand');
    if (unparen(recv ?? sel).type !== 'selector_expression') return; // locals: checkWaitBeforeDrain
    const c = fc.res.callee(n);
    if (c.kind === 'method' && c.method.pkg === 'sync' && c.method.recvType === 'WaitGroup') waits.push(n);
    return undefined;
  });
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
