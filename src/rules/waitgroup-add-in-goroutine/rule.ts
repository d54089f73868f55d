/**
 * @fileoverview waitgroup-add-in-goroutine: `wg.Add` called inside the goroutine it
 * counts. The Add races with `wg.Wait()` in the spawner: Wait can see a zero counter
 * and return before the goroutine has even started (sync.WaitGroup docs: "calls with a
 * positive delta that occur when the counter is zero must happen before a Wait").
 *
 * Wider than go vet's waitgroup and staticcheck SA2000 (which only look at the first
 * statement of a `go func` literal): any Add on a WaitGroup declared outside the
 * goroutine, through fields and embedding, and in named functions that are only ever
 * started with `go`. A goroutine that Waits on the same WaitGroup itself is counting
 * its own children and is not reported.
 */
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule, type Report } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { enclosingFunc, field, named, unparen, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'waitgroup-add-in-goroutine',
  severity: 'warning',
  since: '0.1.0',
  category: 'race',
  description: 'sync.WaitGroup.Add must be called before the goroutine it counts is started, not inside it.',
  help:
    'When Add runs inside the new goroutine, the spawner can reach wg.Wait() first, see a zero counter and return while the goroutine still runs (a leak and a race). Call wg.Add(n) before the go statement, or use wg.Go(f) (Go 1.25+).',
  // Functions with go statements; named functions they start are looked up on demand.
  triggers: /\bgo\s+(?:func\b|[\w.]+\s*[([])/,
  run(pass) {
    const fcs = pass.functions();
    // Named functions started with `go` and those called synchronously.
    const goStarted = new Map<Node, Node>();
    const syncCalled = new Set<Node>();
    for (const fc of fcs) {
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        const c = fc.res.callee(n);
        const decl = c.kind === 'func' ? (c.obj.pkg === pass.pkg ? c.obj.node : undefined) : c.kind === 'method' ? c.method.decl : undefined;
        if (!decl) return;
        if (n.parent?.type === 'go_statement') goStarted.set(decl, n.parent);
        else syncCalled.add(decl);
      });
    }
    for (const fc of fcs) {
      walk(fc.decl, (n) => {
        if (n.type !== 'go_statement') return;
        const call = named(n)[0];
        const fn = call && unparen(field(call, 'function') ?? call);
        if (fn?.type === 'func_literal') checkBody(fc, fn, n, (r) => pass.report(r));
      });
    }
    for (const [decl, goStmt] of goStarted) {
      if (syncCalled.has(decl)) continue;
      const fc = pass.facts.funcCtxOfDecl(decl);
      if (fc) checkBody(fc, decl, goStmt, (r) => pass.report(r));
    }
  },
});

/** Reports Add calls in the goroutine body `fn` on WaitGroups declared outside it. */
function checkBody(fc: FuncCtx, fn: Node, goStmt: Node, report: (r: Report) => void): void {
  const body = fn === fc.decl ? fc.body : field(fn, 'body');
  if (!body) return;
  const adds: Array<{ call: Node; recv: Node }> = [];
  const waits = new Set<string>();
  const deferredDone: Array<{ key: string; at: number }> = [];
  walk(body, (n) => {
    if (n.type === 'func_literal') return false; // runs at an unknown time
    if (n.type !== 'call_expression') return;
    const c = fc.res.callee(n);
    if (c.kind !== 'method' || c.method.pkg !== 'sync' || c.method.recvType !== 'WaitGroup') return;
    const key = waitGroupKey(fc, c.recv);
    if (c.method.name === 'Wait') waits.add(key);
    if (c.method.name === 'Done' && n.parent?.type === 'defer_statement') deferredDone.push({ key, at: n.start });
    if (c.method.name === 'Add') adds.push({ call: n, recv: c.recv });
  });
  for (const { call, recv } of adds) {
    const key = waitGroupKey(fc, recv);
    if (waits.has(key)) continue; // counts its own children
    // `defer wg.Done()` before the Add: this goroutine was counted by its spawner and still
    // holds that count, so Wait cannot return while it Adds for its own children.
    if (deferredDone.some((d) => d.key === key && d.at < call.start)) continue;
    const root = rootVar(fc, recv);
    if (root && root.func !== fc.decl && isInside(root.func, fn)) continue; // declared in the goroutine
    if (root && fn === fc.decl && root.kind !== 'param' && root.kind !== 'recv') continue; // a local WaitGroup of the named function
    const addText = fc.text(call);
    const goLine = fc.file.line(goStmt.start);
    const stmt = call.parent?.type === 'expression_statement' ? call.parent : undefined;
    const first = stmt && body.children.find((c) => c.type === 'statement_list')?.children.find((c) => c.named && c.type !== 'comment') === stmt;
    const movable = fn !== fc.decl && first && (goStmt.parent?.type === 'statement_list' || goStmt.parent?.type === 'block');
    const addLine = fc.file.line(call.start);
    const goIndent = /^\s*/.exec(fc.file.lineText(goLine))?.[0] ?? '';
    report({
      node: call,
      file: fc.file,
      message: `${addText} is called inside the goroutine it counts (started at line ${goLine}): it can run after Wait has returned, so Wait may not wait for this goroutine`,
      fixHint: `call ${addText} before the go statement at line ${goLine} (or use ${fc.text(recv)}.Go with Go 1.25+)`,
      fix: movable
        ? {
            description: `Move ${addText} before the go statement`,
            edits: [
              { range: { start: fc.file.position(fc.file.lineStart(goLine)), end: fc.file.position(fc.file.lineStart(goLine)) }, newText: `${goIndent}${addText}\n` },
              { range: { start: fc.file.position(fc.file.lineStart(addLine)), end: fc.file.position(fc.file.lineStart(addLine + 1)) }, newText: '' },
            ],
          }
        : undefined,
    });
  }
}

/** A key identifying the WaitGroup expression (its text with locals resolved). */
function waitGroupKey(fc: FuncCtx, recv: Node): string {
  const root = rootVar(fc, recv);
  return `${root ? root.ident.start : 'pkg'}:${fc.text(recv).replace(/^&/, '').replace(/\s+/g, '')}`;
}

/** The local variable at the root of `a.b.c` / `&a` / `(*a).b`. */
function rootVar(fc: FuncCtx, e: Node): LocalVar | undefined {
  let n = unparen(e);
  for (;;) {
    if (n.type === 'selector_expression') n = unparen(field(n, 'operand') ?? n);
    else if (n.type === 'unary_expression' || n.type === 'index_expression') n = unparen(field(n, 'operand') ?? n);
    else break;
    if (n.type === 'identifier') break;
  }
  return n.type === 'identifier' ? fc.res.localOf(n) : undefined;
}

function isInside(inner: Node, outer: Node): boolean {
  for (let p: Node | null | undefined = inner; p; p = p.parent ?? enclosingFunc(p)) if (p === outer) return true;
  return false;
}
