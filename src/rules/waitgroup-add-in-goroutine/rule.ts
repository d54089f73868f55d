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
import { chanUses, localChan, nodeReaches } from '../../analysis/chanfacts.js';
import { reachesAvoiding } from '../../analysis/syncfacts.js';
import { failsTestAt } from '../../analysis/testfail.js';
import { cfgNodeOf } from '../../go/cfg.js';
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
    // The go statements are gathered in the same walk (one walk of each function instead of two)
    // and checked afterwards, in the order a second walk met them.
    const goStmts: Array<{ fc: FuncCtx; n: Node }> = [];
    for (const fc of fcs) {
      walk(fc.decl, (n) => {
        if (n.type === 'go_statement') {
          goStmts.push({ fc, n });
          return;
        }
        if (n.type !== 'call_expression') return;
        const c = fc.res.callee(n);
        const decl = c.kind === 'func' ? (c.obj.pkg === pass.pkg ? c.obj.node : undefined) : c.kind === 'method' ? c.method.decl : undefined;
        if (!decl) return;
        if (n.parent?.type === 'go_statement') goStarted.set(decl, n.parent);
        else syncCalled.add(decl);
      });
    }
    for (const { fc, n } of goStmts) {
      const call = named(n)[0];
      const fn = call && unparen(field(call, 'function') ?? call);
      if (fn?.type === 'func_literal') checkBody(fc, fn, n, (r) => pass.report(r));
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
  const dones: Array<{ key: string; at: number; deferred: boolean }> = [];
  const visit = (n: Node, deferred: boolean): void => {
    if (n.type === 'func_literal') {
      // A deferred closure (`defer func() { ...; wg.Done() }()`) runs at return like
      // `defer wg.Done()`; any other literal runs at an unknown time.
      const p = n.parent;
      if (p?.type === 'call_expression' && field(p, 'function') === n && p.parent?.type === 'defer_statement') for (const c of n.children) visit(c, true);
      return;
    }
    if (n.type === 'call_expression') {
      const c = fc.res.callee(n);
      if (c.kind === 'method' && c.method.pkg === 'sync' && c.method.recvType === 'WaitGroup') {
        const key = waitGroupKey(fc, c.recv);
        if (c.method.name === 'Wait') waits.add(key);
        if (c.method.name === 'Done') dones.push({ key, at: n.start, deferred: deferred || n.parent?.type === 'defer_statement' });
        if (c.method.name === 'Add' && !deferred) adds.push({ call: n, recv: c.recv });
      }
    }
    for (const c of n.children) visit(c, deferred);
  };
  visit(body, false);
  for (const { call, recv } of adds) {
    const key = waitGroupKey(fc, recv);
    if (waits.has(key)) continue; // counts its own children
    const child = childAfter(call);
    // An Add for a child (`wg.Add(1); go serve(c)`) in a goroutine its spawner counted,
    // which calls Done after the Add (deferred, in a deferred closure, or later in its
    // body): it holds that count while it Adds, so Wait cannot return before the Add (the
    // Add happens before the child starts and before this goroutine's Done).
    if (child && dones.some((d) => d.key === key && (d.deferred || d.at > call.start))) continue;
    // An Add for its own work after a deferred Done (`defer wg.Done()` or a deferred
    // closure first): the spawner's count is still held, the Add pairs with a later Done.
    if (!child && dones.some((d) => d.key === key && d.deferred && d.at < call.start)) continue;
    const root = rootVar(fc, recv);
    if (root && root.func !== fc.decl && isInside(root.func, fn)) continue; // declared in the goroutine
    // The spawner waits only after a hand-off the goroutine makes after its Adds.
    if (fn !== fc.decl && handedOffBeforeWait(fc, fn, goStmt, call, key)) continue;
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
      message: child
        ? `${addText} counts the goroutine started at line ${fc.file.line(child.start)}, but it runs inside the goroutine started at line ${goLine}, which this WaitGroup does not count (no ${fc.text(recv)}.Done in it): Wait can return before this Add runs, so Wait may not wait for the child`
        : `${addText} is called inside the goroutine it counts (started at line ${goLine}): it can run after Wait has returned, so Wait may not wait for this goroutine`,
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

/**
 * True when every Wait of the WaitGroup (`key`) in the function that runs `goStmt` comes
 * after a hand-off from the goroutine literal `lit` that follows its Add `add`: a channel
 * `c`, made by that function and handed nowhere else, that only `lit` sends on or closes,
 * where no send or close of `c` in `lit` can be followed by the Add, and every path of the
 * spawner from the go statement to a Wait receives from `c` (or fails the test first). A
 * receive completes only after its send, so the Adds happen before the Wait
 * (the Go memory model: "A send on a channel is synchronized before the completion of the
 * corresponding receive"), as when the Add precedes the go statement.
 */
function handedOffBeforeWait(fc: FuncCtx, lit: Node, goStmt: Node, add: Node, key: string): boolean {
  const T = enclosingFunc(goStmt);
  const gT = T ? fc.cfg(T) : undefined;
  const gL = fc.cfg(lit);
  const goAt = gT ? cfgNodeOf(gT, goStmt) : undefined;
  const addAt = gL ? cfgNodeOf(gL, add) : undefined;
  if (!T || !gT || !gL || !goAt || !addAt) return false;
  // The Waits of the WaitGroup in T (not in literals).
  const waits: Node[] = [];
  walk(T, (n) => {
    if (n !== T && n.type === 'func_literal') return false;
    if (n.type !== 'call_expression') return;
    const c = fc.res.callee(n);
    if (c.kind === 'method' && c.method.pkg === 'sync' && c.method.recvType === 'WaitGroup' && c.method.name === 'Wait' && waitGroupKey(fc, c.recv) === key) waits.push(n);
  });
  if (waits.length === 0) return false;
  // Channels T made that lit mentions.
  const candidates = new Set<LocalVar>();
  walk(lit, (n) => {
    if (n !== lit && n.type === 'func_literal') return false;
    const v = n.type === 'identifier' ? fc.res.localOf(n) : undefined;
    if (v && v.func === T) candidates.add(v);
  });
  for (const c of candidates) {
    if (!localChan(fc, c)) continue;
    const uses = chanUses(fc, c);
    // Only lit sends on or closes c (c is not handed anywhere else), and no Add follows a
    // send or close (a deferred one runs at lit's end, after every Add anyway).
    if (uses.some((u) => u.kind === 'arg' || u.kind === 'escape')) continue;
    const deliveries = uses.filter((u) => u.kind === 'send' || u.kind === 'guarded-send' || u.kind === 'close');
    if (deliveries.length === 0 || deliveries.some((u) => u.func !== lit)) continue;
    const at = deliveries.map((u) => cfgNodeOf(gL, u.op));
    if (at.some((x) => !x || x === addAt || nodeReaches(gL, x, addAt))) continue;
    // The statements of T that receive from c.
    const recvAt = new Set(uses.filter((u) => u.kind === 'recv' || u.kind === 'range').map((u) => cfgNodeOf(gT, u.op)));
    const ordered = waits.every((w) => {
      const wAt = cfgNodeOf(gT, w);
      return !!wAt && !reachesAvoiding(gT, goAt, wAt, (n) => recvAt.has(n) || failsTestAt(fc, n));
    });
    if (ordered) return true;
  }
  return false;
}

/** The `go` statement that follows the Add in its statement list (the Add counts that child), if any. */
function childAfter(add: Node): Node | undefined {
  const stmt = add.parent?.type === 'expression_statement' ? add.parent : undefined;
  const list = stmt?.parent;
  if (!stmt || !list) return undefined;
  const sibs = list.children.filter((c) => c.named && c.type !== 'comment');
  for (const s of sibs.slice(sibs.indexOf(stmt) + 1)) {
    if (s.type === 'go_statement') return s;
    if (s.type === 'return_statement') return undefined;
  }
  return undefined;
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
