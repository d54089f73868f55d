/**
 * @fileoverview select-without-exit: a goroutine whose `for { select { ... } }` loop has
 * no way out. No case returns or breaks out of the loop (no `case <-ctx.Done(): return`,
 * no done channel, no closed-channel `v, ok := <-ch` check), nothing panics or calls a
 * function that never returns, so the goroutine can never end and everything it
 * references stays reachable. A receive from a closed channel succeeds at once with the
 * zero value (Go spec, "Receive operator"), so such a loop may even spin.
 *
 * Goroutines started once per process (from `init`, `main.main` or a `sync.Once`) are
 * daemons by design and not reported; a loop that is not `for {}` (a range over a
 * channel, a condition) can end and is not this rule's concern.
 */
import { goroutineBodies, loopCanEnd } from '../../analysis/loops.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { chanModel, exitsOnlyThrough } from '../../analysis/program/chans.js';
import type { FuncNode } from '../../analysis/program/index.js';
import { reachableBlocks, type CFG } from '../../go/cfg.js';
import { createRule, siteRef } from '../../analysis/rule.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'select-without-exit',
  severity: 'warning',
  since: '0.2.0',
  category: 'goroutine-leak',
  description: 'A goroutine loops over a select with no case that can end it, so it never exits.',
  help:
    'Give the loop an exit: a case <-ctx.Done(): return (or a done/quit channel that is closed on shutdown), and check ok on receives from channels that can be closed (v, ok := <-ch; if !ok { return }).',
  triggers: /\bgo\s+(?:func\b|[\w.]+\s*[([])/,
  run(pass) {
    const seen = new Set<Node>();
    for (const g of goroutineBodies(pass, pass.functions(), (t) => /\bselect\s*\{/.test(t) && /\bfor\s*\{/.test(t))) {
      if (startedOnce(g.spawner, g.goStmt)) continue;
      const cfg = g.fc.cfg(g.fn);
      if (!cfg) continue;
      walk(g.fn, (n) => {
        if (n !== g.fn && n.type === 'func_literal') return false;
        if (n.type !== 'for_statement' || seen.has(n)) return;
        // Only `for { ... }`: no condition, no clause.
        if (n.children.some((c) => c.type === 'for_clause' || c.type === 'range_clause' || c.field === 'condition')) return;
        const body = field(n, 'body');
        const sel = body ? stmts(body).find((s) => s.type === 'select_statement') : undefined;
        if (!sel) return;
        const fc = g.fc;
        if (loopCanEnd(cfg, n)) {
          const dead = deadExits(pass, fc, cfg, n, sel);
          if (dead) {
            seen.add(n);
            const goLine = g.spawner.file.line(g.goStmt.start);
            pass.report({
              node: n.children[0] ?? n,
              file: fc.file,
              message: `the for/select loop at line ${fc.file.line(n.start)} in the goroutine started at ${g.spawner.file === fc.file ? '' : `${g.spawner.file.path}:`}line ${goLine} never ends: its only way out is receiving from ${dead.map((d) => `"${fc.text(d)}"`).join(', ')}, and nothing that can run ever sends on or closes ${dead.length === 1 ? 'it' : 'them'} (a close in a function nobody calls, such as a stop closure that is dropped, does not count), so the goroutine and everything it references are never freed`,
              fixHint: 'call the function that closes the channel (keep and call the returned stop/cancel function, e.g. "defer stop()"), or give the loop a case that can fire, such as ctx.Done()',
              related: [{ file: g.spawner.file.path, range: g.spawner.file.range(g.goStmt), message: 'goroutine started here' }],
            });
          }
          return;
        }
        if (servesGlobals(fc, sel)) return;
        seen.add(n);
        const line = fc.file.line(n.start);
        const goLine = g.spawner.file.line(g.goStmt.start);
        const cases = sel.children.filter((c) => c.type === 'communication_case').length;
        const forTok = n.children[0] ?? n;
        pass.report({
          node: forTok,
          file: fc.file,
          message: `the for/select loop at line ${line} in the goroutine started at ${g.spawner.file === fc.file ? '' : `${g.spawner.file.path}:`}line ${goLine} never ends: none of the ${cases} case(s) of the select at line ${fc.file.line(sel.start)} returns or breaks out of the loop (no ctx.Done(), done channel or closed-channel ok check), so the goroutine and everything it references are never freed`,
          fixHint: 'add a case <-ctx.Done(): return (or a done channel closed on shutdown) to the select, and return when a receive reports !ok',
          related: [{ file: g.spawner.file.path, range: g.spawner.file.range(g.goStmt), message: 'goroutine started here' }],
        });
      });
    }
    checkValueReceiverQuit(pass, seen);
  },
});

/**
 * A method with a value receiver stores a fresh channel in a field of its receiver — a
 * copy of the caller's value, so the caller never sees it — and starts a goroutine on
 * that copy whose loop can only end by receiving from that field (`func (s Server)
 * Start() { s.quit = make(chan struct{}); go s.loop() }`). The copy is a separate
 * instance: only the goroutine itself and the method could close its channel, and
 * neither does, so a Stop that closes the field of the caller's value (nil there)
 * never reaches the loop. Corpus case value-receiver-start-loses-quit.
 */
function checkValueReceiverQuit(pass: Pass, seen: Set<Node>): void {
  const m = chanModel(pass);
  if (!m) return;
  for (const g of m.goroutines()) {
    const F = g.from;
    if (F.node.type !== 'method_declaration' || g.targets.length !== 1 || !g.complete) continue;
    const recvParam = named(field(F.node, 'receiver') ?? F.node)[0];
    const rtype = recvParam ? field(recvParam, 'type') : undefined;
    const rname = recvParam?.children.find((c) => c.field === 'name');
    if (!rtype || rtype.type === 'pointer_type' || !rname) continue;
    const fc = F.fc;
    const r = fc.text(rname);
    // `go r.m()` on the copy.
    const call = g.site.type === 'call_expression' ? g.site : (field(g.site, 'expression') ?? named(g.site)[0]);
    const fnx = call?.type === 'call_expression' ? field(call, 'function') : undefined;
    const op = fnx?.type === 'selector_expression' ? field(fnx, 'operand') : undefined;
    const v = fc.res.defs.get(rname);
    if (!op || !v || fc.res.varOf(op) !== v) continue;
    // Fields of the copy assigned a fresh channel; every other use of the copy is a field read or the go statement.
    const fresh = new Set<string>();
    let escapes = false;
    for (const ref of (v && fc.res.refs.get(v)) ?? []) {
      const sel = ref.parent;
      if (sel?.type !== 'selector_expression' || field(sel, 'operand') !== ref) {
        escapes = true;
        break;
      }
      const list = sel.parent;
      const asg = list?.type === 'expression_list' ? list.parent : undefined;
      if (asg?.type === 'assignment_statement' && list?.field === 'left') {
        const rhs = exprList(field(asg, 'right'));
        const val = rhs[exprList(list).indexOf(sel)];
        const mk = val ? unparen(val) : undefined;
        if (mk?.type === 'call_expression' && fc.text(field(mk, 'function') as Node) === 'make') fresh.add(fc.text(field(sel, 'field') as Node));
      }
    }
    if (escapes || fresh.size === 0) continue;
    const G = g.targets[0] as FuncNode;
    const exit = exitsOnlyThrough(m, G, (o) => {
      const e = unparen(o.expr);
      // A field of the goroutine's own receiver (the copy), not of some other value.
      return e.type === 'selector_expression' && fresh.has(G.fc.text(field(e, 'field') as Node)) && G.fc.res.varOf(field(e, 'operand') as Node)?.kind === 'recv';
    });
    if (!exit?.select || seen.has(exit.select)) continue;
    // Only code holding the copy can close its channel: the goroutine and the method.
    const own = new Set([F, ...m.goroutineFuncs(g)]);
    if (m.opsOn(exit.cls, ['close', 'send']).some((o) => own.has(o.fn))) continue;
    seen.add(exit.select);
    const gf = G.fc.file;
    pass.report({
      node: exit.select,
      file: gf,
      message: `${G.name} (started at ${siteRef(fc.file, g.site.start, gf)} on the receiver of ${F.name}) can only leave this loop through "${G.fc.text(exit.expr)}", but ${F.name} has a value receiver: the channel it stored in "${r}.${G.fc.text(field(unparen(exit.expr), 'field') as Node)}" lives in a copy the caller never sees, and neither ${F.name} nor the goroutine closes it, so nothing can end the loop`,
      fixHint: `give ${F.name} a pointer receiver (func (${r} *${fc.text(rtype)}) ...) so the channel is stored in the caller's value`,
      related: [{ file: fc.file.path, range: fc.file.range(F.node.children.find((c) => c.field === 'receiver') ?? F.node), message: 'value receiver: a copy' }],
    });
  }
}

/**
 * True when every channel the select waits on is a package-level variable: the goroutine
 * is a process-wide service (anyone can still send to it), not one that an abandoned
 * caller leaves behind (runtime/signal_unix.go's signal-mask thread is one).
 */
function servesGlobals(fc: FuncCtx, sel: Node): boolean {
  const chans: Node[] = [];
  for (const cc of sel.children) {
    if (cc.type !== 'communication_case') continue;
    const comm = field(cc, 'communication');
    if (!comm) continue;
    const ch = comm.type === 'send_statement' ? field(comm, 'channel') : comm.type === 'receive_statement' ? field(unparen(field(comm, 'right') ?? comm), 'operand') : undefined;
    if (!ch) return false;
    chans.push(unparen(ch));
  }
  return chans.length > 0 && chans.every((c) => c.type === 'identifier' && fc.res.pkgObjOf(c)?.kind === 'var');
}

function stmts(block: Node): Node[] {
  return block.children.flatMap((c) => (c.type === 'statement_list' ? named(c) : []));
}

/**
 * True when the go statement runs at most once per process: in `init`, in `main.main`,
 * or inside a function literal passed to `sync.Once.Do` (a daemon started lazily).
 */
function startedOnce(fc: FuncCtx, goStmt: Node): boolean {
  for (let p = goStmt.parent; p; p = p.parent) {
    if (p.type === 'func_literal' && p.parent?.type === 'argument_list') {
      const call = p.parent.parent;
      if (call?.type === 'call_expression') {
        const c = fc.res.callee(call);
        if (c.kind === 'method' && c.fullName === 'sync.Once.Do') return true;
      }
    }
  }
  if (fc.decl.type !== 'function_declaration') return false;
  const n = field(fc.decl, 'name');
  const name = n ? fc.text(n) : '';
  if (name === 'init' || (name === 'main' && fc.res.pkg.name === 'main')) {
    // Only when the go statement is not inside a loop of it (a loop starts many).
    for (let p = goStmt.parent; p && p !== fc.decl; p = p.parent) if (p.type === 'for_statement') return false;
    return true;
  }
  return false;
}

/**
 * When every way out of `loop` goes through select cases receiving from channels that
 * nothing that can run sends on or closes (program model: known channels whose only
 * closes are in dead code, e.g. a dropped stop closure), the channel expressions of
 * those cases; undefined when some exit can be taken.
 */
function deadExits(pass: Pass, fc: FuncCtx, cfg: CFG, loop: Node, sel: Node): Node[] | undefined {
  const m = chanModel(pass);
  const head = cfg.loopHeads.get(loop);
  if (!m || !head) return undefined;
  const deadComms = new Set<Node>();
  const chans: Node[] = [];
  for (const cc of sel.children) {
    if (cc.type !== 'communication_case') continue;
    const comm = field(cc, 'communication');
    const right = comm?.type === 'receive_statement' ? field(comm, 'right') : undefined;
    const u = right ? unparen(right) : undefined;
    const x = u?.type === 'unary_expression' ? field(u, 'operand') : undefined;
    if (!comm || !x) continue;
    const o = m.objectOf(fc, x);
    if (!o || o.kind !== 'chan' || o.allocs.length === 0 || m.mayBeWoken(o) !== false) continue;
    deadComms.add(comm);
    chans.push(x);
  }
  if (deadComms.size === 0) return undefined;
  const r = reachableBlocks(head, (_from, to) => to.nodes.some((x) => deadComms.has(x)));
  return r.has(cfg.exit) || r.has(cfg.abort) ? undefined : chans;
}
