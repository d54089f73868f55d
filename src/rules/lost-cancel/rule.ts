/**
 * @fileoverview lost-cancel: the cancel function of context.WithCancel/WithTimeout/
 * WithDeadline (and their Cause forms) is discarded or not used on every path to a
 * return. Semantics follow go vet's lostcancel (golang.org/x/tools/go/analysis/passes/
 * lostcancel): any reference to the cancel variable counts as a use (a call, defer,
 * passing it on, returning or storing it, capturing it in a closure); paths that end in
 * panic or a call that never returns do not count; cancel variables declared outside
 * the function, struct fields and package-level variables are not checked.
 */
import { cfgNodeOf, findEscapingPath, type CFG } from '../../go/cfg.js';
import { nodeReaches } from '../../analysis/chanfacts.js';
import type { LocalVar } from '../../go/resolve.js';
import { enclosingFunc, exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { deref, isNamed } from '../../go/types.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { callArgsOf, paramVarsOf, programModel, type FuncNode, type ProgramModel } from '../../analysis/program/index.js';
import { directCallers, droppedAtOffset, droppedResult, onlyFieldsOf, resultTypeName } from '../../analysis/program/results.js';
import { exitsOnlyThrough } from '../../analysis/program/chans.js';
import { neverRuns } from '../../analysis/neverruns.js';
import { breaksOutOf } from '../../analysis/goloops.js';
import { createRule, siteRef, type Report } from '../../analysis/rule.js';

const CONSTRUCTORS = new Set(['WithCancel', 'WithTimeout', 'WithDeadline', 'WithCancelCause', 'WithTimeoutCause', 'WithDeadlineCause']);

export default createRule({
  id: 'lost-cancel',
  severity: 'warning',
  since: '0.1.0',
  category: 'context-leak',
  description: 'The cancel function returned by context.WithCancel/WithTimeout/WithDeadline must be called on every path.',
  help:
    'A context created by context.WithCancel, WithTimeout or WithDeadline holds resources (a timer, a goroutine link to its parent) until its cancel function is called or the parent is done. Call cancel on every path, usually with `defer cancel()` right after the call.',
  triggers: /\bWith(?:Cancel|Timeout|Deadline)\w*\s*\(/,
  run(pass) {
    const info = pass.withDefaultSeverity('info');
    for (const fc of pass.functions()) {
      // Like vet: returning from main.main ends the process, so nothing leaks there.
      const isMain = pass.pkg.name === 'main' && fc.decl.type === 'function_declaration' && fc.name === 'main';
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        const callee = fc.res.callee(n);
        if (callee.kind !== 'func' || callee.obj.pkg.importPath !== 'context' || !CONSTRUCTORS.has(callee.obj.name)) return;
        if (isMain && (enclosingFunc(n) ?? fc.decl) === fc.decl) return;
        // WithCancel of a parent that is never done: a missed cancel leaks nothing by itself (see harmlessIfUnused).
        const harmless = (callee.obj.name === 'WithCancel' || callee.obj.name === 'WithCancelCause') && parentNeverDone(fc, n);
        check(fc, n, `context.${callee.obj.name}`, 1, pass.report.bind(pass), harmless ? info.report.bind(info) : undefined);
        checkUnusedDerived(fc, n, pass.report.bind(pass));
      });
    }
    checkWrapperCalls(pass);
    checkDeferInEndlessLoop(pass);
    checkIgnoredContextParam(pass);
    // A dropped result is the more precise explanation (it names the caller); the
    // uncalled-cancel check covers the contexts it leaves.
    checkUncalledCancels(pass, checkReturnedCancels(pass));
    checkOverwrittenCancels(pass);
  },
});

/** A goroutine start somewhere in the package: without one, no goroutine waits on a context the model could follow. */
const GO_TEXT = /\bgo\s+(?:func\b|[\w.]+\s*[([])/;

/**
 * The model checks below need a goroutine, a wait on a Done channel and a cancel function
 * kept in a typed place (`cancel context.CancelFunc`); packages without all three are not
 * worth building the model for (a cancel kept in a plain `func()` field is not looked at).
 */
function mayKeepCancel(pass: Pass): boolean {
  return pass.facts.memo('lost-cancel-model-text', () => {
    const files = pass.pkg.files;
    return files.some((f) => /\bCancel(?:Cause)?Func\b/.test(f.text)) && files.some((f) => /\.Done\(\)/.test(f.text)) && files.some((f) => GO_TEXT.test(f.text));
  });
}

/**
 * A constructor that derives a context, starts a goroutine that runs until that context
 * is done, and keeps the cancel function only in a field of the struct it returns
 * (`w := &Watcher{cancel: cancel}; go w.loop(); return w`): the goroutine stops only when
 * a method of the struct (`Close`) cancels. A caller that can return without using the
 * struct again (an early error return right after `w := Watch(...)`) never can, and the
 * goroutine stays for good. Only when the parent context is never done
 * (`context.Background()` / `TODO()`, here or at the caller), the cancel function is
 * known to the model (no escape) and nothing in the constructor or the goroutine
 * cancels.
 */
function checkReturnedCancels(pass: Pass): Set<Node> {
  const reported = new Set<Node>();
  if (!mayKeepCancel(pass)) return reported;
  const m = programModel(pass.facts);
  for (const e of m.contexts()) {
    if (e.cancel === undefined || e.fn.node.type === 'func_literal' || e.fn.node !== e.fn.fc.decl) continue;
    const F = e.fn;
    const T = resultTypeName(F);
    if (!T) continue;
    const K = m.info(e.cancel);
    if (!m.known(K) || !onlyFieldsOf(K.keys, T)) continue;
    const started = m.goroutines().filter((g) => g.from === F && g.complete && g.targets.length === 1);
    const waiter = started.find((g) => waitsOnlyFor(m, g.targets[0] as FuncNode, m.info(e.ctx).id));
    if (!waiter) continue;
    const own = new Set([F, ...started.flatMap((g) => [...m.goroutineFuncs(g)])]);
    const cancels = m.opsOn(K, ['cancel']);
    if (cancels.some((c) => own.has(c.fn))) continue;
    const parentArg = callArgsOf(e.call)[0];
    if (!parentArg) continue;
    const parentIdx = isBackground(F.fc, parentArg) ? -1 : paramIndex(F, parentArg);
    if (parentIdx === undefined) continue;
    for (const cs of directCallers(m, F)) {
      if (parentIdx >= 0) {
        const a = callArgsOf(cs.call)[parentIdx];
        if (!a || !isBackground(cs.from.fc, a)) continue;
      }
      const d = droppedResult(cs);
      if (!d) continue;
      const fc = cs.from.fc;
      const at = droppedAtOffset(d);
      const closer = cancels[0];
      const wf = waiter.targets[0] as FuncNode;
      pass.report({
        node: cs.call,
        file: fc.file,
        message: `${F.name} starts ${wf.node.type === 'func_literal' ? 'a goroutine' : wf.name} (${siteRef(wf.fc.file, waiter.site.start, fc.file)}), which runs until its context is cancelled, and keeps the cancel function only in the ${T} it returns${closer ? ` (called by ${closer.fn.name})` : ''}; ${cs.from.name} ${at === undefined ? 'drops that result' : `can return (${siteRef(fc.file, at, fc.file)}) without using it`}, so nothing can cancel and the goroutine leaks`,
        fixHint: closer ? `call ${closer.fn.name.slice(closer.fn.name.lastIndexOf('.') + 1)}() on every path (defer it right after this line)` : 'keep the result and cancel its context on every path',
        related: d.ret?.type === 'return_statement' ? [{ file: fc.file.path, range: fc.file.range(d.ret), message: 'returns here without using the result' }] : undefined,
      });
      reported.add(e.call);
      break;
    }
  }
  return reported;
}

/**
 * A context derived from a never-done parent whose cancel function is kept in a struct
 * field or a collection (`c.cancel = cancel`, `t.active[id] = cancel`) and that a
 * goroutine waits for (`<-ctx.Done()`, or the only way out of its `for { select }`), when
 * no code that can run ever calls that cancel function: the model sees every use of it
 * (no escape), and every call of it sits in a function that never runs (a method of a
 * main package nothing calls, see {@link neverRuns}) — corpus cases
 * client-close-forgets-cancel (Close does not cancel) and tracker-end-drops-cancel (End
 * deletes the entry; only the uncalled CancelAll cancels). Deadline contexts are left out
 * (their Done closes at the deadline). Contexts in `done` (already reported at a caller
 * that drops the constructor's result) are skipped.
 */
function checkUncalledCancels(pass: Pass, done: Set<Node>): void {
  if (!mayKeepCancel(pass)) return;
  const m = programModel(pass.facts);
  const never = (f: FuncNode): boolean => m.isDead(f) || neverRuns(pass.facts, f.fc.decl);
  for (const e of m.contexts()) {
    if (e.cancel === undefined || e.deadline || done.has(e.call)) continue;
    const K = m.info(e.cancel);
    if (!m.known(K) || K.keys.some((k) => k.startsWith('g:'))) continue;
    const kept = keptIn(m, K);
    if (!kept) continue;
    const F = e.fn;
    if (never(F)) continue;
    const cancels = m.opsOn(K, ['cancel']);
    if (cancels.some((c) => !never(c.fn))) continue;
    if (!neverDoneParent(m, F, e.call)) continue;
    const calls = valueCalls(pass, m, K, never);
    if (calls === undefined || calls.live) continue;
    const ctxId = m.info(e.ctx).id;
    const waiter = m.goroutines().find((g) => g.complete && g.targets.length === 1 && !never(g.from) && waitsOnlyFor(m, g.targets[0] as FuncNode, ctxId));
    if (!waiter) continue;
    const wf = waiter.targets[0] as FuncNode;
    const callers = [...new Set([...cancels.map((c) => c.fn.name), ...calls.dead])];
    pass.report({
      node: e.call,
      file: F.fc.file,
      message: `the cancel function of this context is kept in ${kept} and ${callers.length === 0 ? 'nothing ever calls it' : `only ${callers.join(', ')} call${callers.length === 1 ? 's' : ''} it, which nothing in the program runs`}; ${wf.node.type === 'func_literal' ? 'the goroutine' : wf.name} started at ${siteRef(waiter.from.fc.file, waiter.site.start, F.fc.file)} runs until this context is done and its parent never is, so it leaks`,
      fixHint: `call the stored cancel function where the value is closed or the entry removed`,
    });
  }
}

/**
 * Calls of cancel class `K` that the typed ops miss: a cancel function kept in a field of
 * plain type `func()` (`m.cancel()`), called in any function of the package — scanned by
 * the model (the callee expression's class is K) or not (the callee is a selector of a
 * field holding K). `live` when one of them is in code that may run; undefined when a
 * function the model did not scan mentions such a field in another way (it may call it
 * later: we do not know).
 */
function valueCalls(pass: Pass, m: ProgramModel, K: ReturnType<ProgramModel['info']>, never: (f: FuncNode) => boolean): { live: boolean; dead: string[] } | undefined {
  const fieldKeys = [...K.keys, ...m.containersOf(K).flatMap((c) => c.keys)].filter((k) => k.startsWith('f:'));
  const names = [...new Set(fieldKeys.map((k) => k.slice(k.lastIndexOf('.') + 1)))];
  if (names.length === 0) return { live: false, dead: [] };
  const re = new RegExp(`\\.(?:${names.join('|')})\\b`);
  const dead: string[] = [];
  let live = false;
  let unknown = false;
  for (const { decl, file } of [...pass.pkg.funcDecls, ...pass.pkg.varDecls]) {
    if (live || unknown) break;
    if (!re.test(file.text.slice(decl.start, decl.end))) continue;
    const fc = pass.facts.funcCtx(decl, file);
    const top = m.funcOf(decl);
    walk(decl, (n) => {
      if (live || unknown) return false;
      if (n.type === 'call_expression') {
        const fx = field(n, 'function');
        if (!fx) return undefined;
        const o = m.objectOf(fc, fx);
        const byField = unparen(fx).type === 'selector_expression' && names.includes(fc.text(field(unparen(fx), 'field') as Node));
        if (o?.id === K.id || (byField && (!top || top.opaque))) {
          const encl = enclosingFunc(n) ?? decl;
          const fn = m.funcOf(encl) ?? top;
          if (fn && never(fn)) dead.push(fn.name);
          else live = true;
        }
        return undefined;
      }
      // A function the model did not scan that reads such a field some other way.
      if ((!top || top.opaque) && n.type === 'selector_expression' && names.includes(fc.text(field(n, 'field') as Node))) {
        const p = n.parent;
        const stored = p?.type === 'expression_list' && p.field === 'left';
        const called = p?.type === 'call_expression' && field(p, 'function') === n;
        const deleted = p?.type === 'argument_list' && /^delete\s*\(/.test(fc.text(p.parent as Node));
        if (!stored && !called && !deleted) unknown = true;
      }
      return undefined;
    });
  }
  return unknown ? undefined : { live, dead: [...new Set(dead)] };
}

/** Where a cancel class lives on: a struct field (`client.cancel`) or the elements of one (`Tracker.active`); undefined when only in locals. */
function keptIn(m: ProgramModel, K: ReturnType<ProgramModel['info']>): string | undefined {
  const short = (k: string): string => k.slice(k.lastIndexOf('/') + 1).replace(/^[^.]*\./, '');
  const f = K.keys.find((k) => k.startsWith('f:'));
  if (f) return short(f.slice(2));
  if (!K.keys.some((k) => k.startsWith('elem:'))) return undefined;
  for (const c of m.containersOf(K)) {
    const cf = c.keys.find((k) => k.startsWith('f:'));
    if (cf) return `the elements of ${short(cf.slice(2))}`;
  }
  return undefined;
}

/** The parent of a context constructor call is never done: Background/TODO here, or a parameter every direct caller passes Background/TODO. */
function neverDoneParent(m: ProgramModel, F: FuncNode, call: Node): boolean {
  const parentArg = callArgsOf(call)[0];
  if (!parentArg) return false;
  if (isBackground(F.fc, parentArg)) return true;
  const idx = paramIndex(F, parentArg);
  if (idx === undefined || F.node !== F.fc.decl) return false;
  const cs = m.callersOf(F);
  return cs.length > 0 && cs.every((c) => c.kind === 'static' || c.kind === 'method') && cs.every((c) => {
    const a = callArgsOf(c.call)[idx];
    return !!a && isBackground(c.from.fc, a);
  });
}

/**
 * A method that derives a context from a never-done parent, starts a goroutine that runs
 * until that context is cancelled, and stores the new cancel function in a field of its
 * receiver without first cancelling the one already there (`p.cancel = cancel` in
 * `Start`). A caller that runs the method twice on the same receiver, with no call of a
 * method that cancels in between (`p.Start(); p.Start(); p.Stop()`), overwrites the first
 * cancel function: nothing can stop the first goroutine any more (corpus case
 * poller-restart-overwrites-cancel).
 */
function checkOverwrittenCancels(pass: Pass): void {
  if (!mayKeepCancel(pass)) return;
  const m = programModel(pass.facts);
  for (const e of m.contexts()) {
    const F = e.fn;
    if (e.cancel === undefined || F.node.type !== 'method_declaration' || F.node !== F.fc.decl) continue;
    const K = m.info(e.cancel);
    const fieldKey = K.keys.find((k) => k.startsWith('f:'));
    if (!m.known(K) || !fieldKey || K.keys.some((k) => k.startsWith('g:'))) continue;
    const recvParam = named(field(F.node, 'receiver') ?? F.node)[0];
    const recvName = recvParam ? recvParam.children.find((c) => c.field === 'name') : undefined;
    if (!recvName) continue;
    const fieldName = fieldKey.slice(fieldKey.lastIndexOf('.') + 1);
    const target = `${F.fc.text(recvName)}.${fieldName}`;
    const recvVar = F.fc.res.localOf(recvName);
    // The receiver's own field, resolved (a local shadowing the receiver's name is not it).
    const isTarget = (n: Node): boolean => {
      const x = unparen(n);
      if (x.type !== 'selector_expression') return false;
      const op = field(x, 'operand');
      const fl = field(x, 'field');
      return !!op && !!fl && !!recvVar && F.fc.text(fl) === fieldName && F.fc.res.varOf(op) === recvVar && m.objectOf(F.fc, x)?.id === K.id;
    };
    let store: Node | undefined;
    walk(F.node, (n) => {
      if (store || n.type === 'func_literal') return false;
      if (n.type === 'assignment_statement' && exprList(field(n, 'left')).some(isTarget)) store = n;
      return undefined;
    });
    if (!store) continue;
    const st = store;
    // Cancelling (or reading) the field before overwriting it is the fix.
    if (m.opsIn(F).some((o) => o.kind === 'cancel' && o.cls === K.id && o.node.start < st.start)) continue;
    let readsFirst = false;
    walk(F.node, (n) => {
      if (n.start >= st.start) return false;
      if (n.type === 'selector_expression' && isTarget(n)) readsFirst = true;
      return undefined;
    });
    if (readsFirst) continue;
    const parentArg = callArgsOf(e.call)[0];
    if (!parentArg || !isBackground(F.fc, parentArg)) continue;
    const waiter = m.goroutines().find((g) => g.from === F && g.complete && g.targets.length === 1 && waitsOnlyFor(m, g.targets[0] as FuncNode, m.info(e.ctx).id));
    if (!waiter) continue;
    const cancellers = new Set(m.opsOn(K, ['cancel']).map((o) => o.fn));
    const twice = twiceOnOneReceiver(m, F, cancellers);
    if (!twice) continue;
    const cf = twice.from.fc.file;
    pass.report({
      node: st,
      file: F.fc.file,
      message: `${F.name} stores a new cancel function in "${target}" without cancelling the one already there, and ${twice.from.name} calls ${F.name} twice on the same value (${siteRef(cf, twice.first.start, F.fc.file)} and ${siteRef(cf, twice.second.start, F.fc.file)}) with nothing cancelling in between: the goroutine the first call started (${siteRef(waiter.from.fc.file, waiter.site.start, F.fc.file)}) runs until its context is cancelled, and nothing can cancel it any more`,
      fixHint: `call the previous cancel function before storing the new one (if ${target} != nil { ${target}() })`,
      related: [{ file: cf.path, range: cf.range(twice.second), message: 'second call: overwrites the first cancel function' }],
    });
  }
}

/**
 * Two calls of method `F` in one function on the same receiver variable, the second
 * reachable from the first, with no call of a function in `cancellers` (nor a
 * re-assignment of the receiver) textually between them.
 */
function twiceOnOneReceiver(m: ProgramModel, F: FuncNode, cancellers: Set<FuncNode>): { from: FuncNode; first: Node; second: Node } | undefined {
  const byFrom = new Map<FuncNode, Node[]>();
  for (const cs of directCallers(m, F)) {
    const l = byFrom.get(cs.from) ?? [];
    l.push(cs.call);
    byFrom.set(cs.from, l);
  }
  for (const [from, calls] of byFrom) {
    if (calls.length < 2) continue;
    calls.sort((a, b) => a.start - b.start);
    const fc = from.fc;
    const recvOf = (c: Node): string | undefined => {
      const fx = field(c, 'function');
      const op = fx?.type === 'selector_expression' ? field(fx, 'operand') : undefined;
      return op && unparen(op).type === 'identifier' ? fc.text(op) : undefined;
    };
    const g = fc.cfg(from.node);
    for (let i = 0; i + 1 < calls.length; i++) {
      const a = calls[i] as Node;
      const b = calls[i + 1] as Node;
      const r = recvOf(a);
      if (!r || r !== recvOf(b) || !g) continue;
      const sa = cfgNodeOf(g, a);
      const sb = cfgNodeOf(g, b);
      if (!sa || !sb || sa === sb || !g.where.has(sa) || !nodeReaches(g, sa, sb)) continue;
      let between = false;
      walk(from.node, (n) => {
        if (between || n.end <= a.end || n.start >= b.start) return n.start < b.start && n.end > a.end ? undefined : false;
        if (n.type === 'call_expression') {
          const c = fc.res.callee(n);
          const decl = c.kind === 'func' ? c.obj.node : c.kind === 'method' ? c.method.decl : undefined;
          const fn = decl ? m.funcOf(decl) : undefined;
          if (!fn || cancellers.has(fn) || m.callSite(n)?.targets.some((t) => cancellers.has(t))) between = true;
          if (!fn && c.kind !== 'func' && c.kind !== 'method') between = true;
        }
        if (n.type === 'assignment_statement' && exprList(field(n, 'left')).some((l) => fc.text(l) === r)) between = true;
        return undefined;
      });
      if (!between) return { from, first: a, second: b };
    }
  }
  return undefined;
}

/** `context.Background()` / `context.TODO()`: a context that is never done. */
function isBackground(fc: FuncCtx, e: Node): boolean {
  const c = unparen(e);
  if (c.type !== 'call_expression') return false;
  const callee = fc.res.callee(c);
  return callee.kind === 'func' && callee.obj.pkg.importPath === 'context' && (callee.obj.name === 'Background' || callee.obj.name === 'TODO');
}

/** The index of the parameter of `F` that `e` names, undefined when it names none. */
function paramIndex(F: FuncNode, e: Node): number | undefined {
  const id = unparen(e);
  if (id.type !== 'identifier') return undefined;
  const v = F.fc.res.uses.get(id);
  if (!v || v.kind !== 'param') return undefined;
  const i = paramVarsOf(F.fc, F.node).indexOf(v);
  return i >= 0 ? i : undefined;
}

/** True when `G` can only return once context class `ctx` is done (a plain `<-ctx.Done()`, or the only way out of an endless `for { select }`). */
function waitsOnlyFor(m: ProgramModel, G: FuncNode, ctx: number): boolean {
  return !!exitsOnlyThrough(m, G, (o) => {
    const c = unparen(o.expr);
    const fnx = c.type === 'call_expression' ? field(c, 'function') : undefined;
    const recv = fnx?.type === 'selector_expression' && G.fc.text(field(fnx, 'field') as Node) === 'Done' ? field(fnx, 'operand') : undefined;
    return !!recv && m.objectOf(G.fc, recv)?.id === ctx;
  });
}

type ReportFn = (r: Report) => void;

const CTX_TEXT = /\bcontext\.(?:Background|TODO)\(\)/;

/**
 * A function that is handed a context (a named `context.Context` parameter it never
 * uses) and instead waits on `x.f.Done()` where every value the package ever stores in
 * field `f` is `context.Background()` / `TODO()` — a context that is never done, whose
 * Done channel is nil: that wait never fires, and cancelling the context the caller
 * passed cannot stop the function — corpus case stored-background-context (each fetcher
 * selects on the Fetcher's Background context instead of the request's, and blocks
 * sending after the first answer won). The field must be one only this package can set
 * (unexported, or in a main package), and every store must be visible: keyed composite
 * literals and plain assignments; a positional literal or the field's address taken
 * means we do not know. Reported at the select (or receive) waiting on the field.
 */
function checkIgnoredContextParam(pass: Pass): void {
  if (!pass.pkg.files.some((f) => CTX_TEXT.test(f.text))) return;
  for (const fc of pass.facts.functions(/\.Done\(\)/)) {
    walk(fc.decl, (n) => {
      if (n.type !== 'unary_expression' || n.children[0]?.type !== '<-') return undefined;
      const c = field(n, 'operand');
      const call = c ? unparen(c) : undefined;
      const fx = call?.type === 'call_expression' ? field(call, 'function') : undefined;
      const recv = fx?.type === 'selector_expression' && fc.text(field(fx, 'field') as Node) === 'Done' ? field(fx, 'operand') : undefined;
      const sel = recv ? unparen(recv) : undefined;
      if (sel?.type !== 'selector_expression') return undefined;
      const owner = deref(fc.res.typeOf(field(sel, 'operand') as Node));
      const fname = fc.text(field(sel, 'field') as Node);
      if (owner.kind !== 'named' || owner.pkg !== pass.pkg.importPath || !isNamed(fc.res.typeOf(sel), 'context', 'Context')) return undefined;
      if (pass.pkg.name !== 'main' && /^[A-Z]/.test(fname)) return undefined;
      const fn = enclosingFunc(n) ?? fc.decl;
      const unused = paramVarsOf(fc, fn).find((v) => v && v.name !== '_' && isNamed(fc.res.varType(v), 'context', 'Context') && (fc.res.refs.get(v) ?? []).every((r) => r === v.ident));
      if (!unused) return undefined;
      if (!onlyNeverDoneStores(pass, owner.name, fname)) return undefined;
      let at: Node = n;
      for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'select_statement') { at = p; break; }
      pass.report({
        node: at,
        file: fc.file,
        message: `this waits on ${fc.text(sel)}.Done(), but the package only ever stores context.Background()/TODO() in ${owner.name}.${fname} — a context that is never done, so this never fires — while the context parameter "${unused.name}" the caller passes (and cancels) is not used: cancelling it cannot stop this`,
        fixHint: `wait on ${unused.name}.Done()`,
      });
      return undefined;
    });
  }
}

/** True when every store into field `fname` of the package's struct type `T` is context.Background()/TODO() (and there is one). */
function onlyNeverDoneStores(pass: Pass, T: string, fname: string): boolean {
  return pass.facts.memo(`lost-cancel-bgfield:${T}.${fname}`, () => {
    let stores = 0;
    let unknown = false;
    const re = new RegExp(`\\b${fname}\\b`);
    const isT = (t: ReturnType<FuncCtx['res']['typeOf']>): boolean => {
      const d = deref(t);
      return d.kind === 'named' && d.name === T && d.pkg === pass.pkg.importPath;
    };
    const bg = (fc: FuncCtx, e: Node | undefined): boolean => !!e && isBackground(fc, e);
    const decls = [...pass.pkg.funcDecls, ...pass.pkg.varDecls];
    for (const { decl, file } of decls) {
      if (unknown) break;
      if (!re.test(file.text.slice(decl.start, decl.end)) && !new RegExp(`\\b${T}\\b`).test(file.text.slice(decl.start, decl.end))) continue;
      const fc = pass.facts.funcCtx(decl, file);
      walk(decl, (n) => {
        if (unknown) return false;
        if (n.type === 'composite_literal' && isT(fc.res.typeOf(n))) {
          const body = field(n, 'body');
          for (const el of body ? named(body) : []) {
            if (el.type === 'comment') continue;
            if (el.type !== 'keyed_element') { unknown = true; return false; }
            const k = field(el, 'key');
            if (!k || fc.text(k) !== fname) continue;
            const v0 = field(el, 'value');
            const v = v0?.type === 'literal_element' ? named(v0)[0] : v0;
            stores++;
            if (!bg(fc, v)) unknown = true;
          }
        }
        if (n.type === 'selector_expression' && fc.text(field(n, 'field') as Node) === fname && isT(fc.res.typeOf(field(n, 'operand') as Node))) {
          const list = n.parent?.type === 'expression_list' ? n.parent : undefined;
          const st = list?.parent;
          if (list?.field === 'left' && st?.type === 'assignment_statement') {
            const i = exprList(list).indexOf(n);
            const rhs = exprList(field(st, 'right'));
            stores++;
            if (rhs.length !== exprList(list).length || !bg(fc, rhs[i])) unknown = true;
          } else if (n.parent?.type === 'unary_expression' && fc.text(n.parent).startsWith('&')) unknown = true;
        }
        return undefined;
      });
    }
    return !unknown && stores > 0;
  });
}

/**
 * A derived context nothing uses (`ctx, cancel := context.WithCancel(parent); _ = ctx`)
 * while the same function waits on the *parent's* Done channel (`<-parent.Done()` in a
 * goroutine it starts) and hands the cancel function on (returns or stores it): calling
 * that cancel function cancels a context nobody watches, so it stops nothing — corpus case
 * stream-selects-parent-context (the producer selects on `parent.Done()`; the consumer's
 * `cancel()` cannot stop it). Reported at the wait on the parent.
 */
function checkUnusedDerived(fc: FuncCtx, call: Node, report: ReportFn): void {
  const holder = call.parent?.type === 'expression_list' ? call.parent.parent : undefined;
  if (holder?.type !== 'short_var_declaration' || exprList(field(holder, 'right')).length !== 1) return;
  const [ctxId, cancelId] = exprList(field(holder, 'left'));
  const parentArg = callArgsOf(call)[0];
  if (!ctxId || !cancelId || ctxId.type !== 'identifier' || cancelId.type !== 'identifier' || !parentArg || unparen(parentArg).type !== 'identifier') return;
  const ctxVar = fc.res.localOf(ctxId);
  const cancelVar = fc.res.localOf(cancelId);
  const parentVar = fc.res.localOf(unparen(parentArg));
  if (!ctxVar || !cancelVar || !parentVar) return;
  // Every use of the derived context is `_ = ctx`.
  for (const r of fc.res.refs.get(ctxVar) ?? []) {
    if (r === ctxId) continue;
    const st = r.parent?.type === 'expression_list' ? r.parent.parent : undefined;
    const left = st?.type === 'assignment_statement' ? exprList(field(st, 'left')) : [];
    if (!(left.length === 1 && fc.text(left[0] as Node) === '_' && r.parent?.field === 'right')) return;
  }
  // The cancel function goes to the caller or somewhere that outlives the function.
  const handedOn = (fc.res.refs.get(cancelVar) ?? []).some((r) => {
    if (r === cancelId) return false;
    const p = r.parent?.type === 'expression_list' ? r.parent.parent : r.parent;
    return p?.type === 'return_statement' || (p?.type === 'assignment_statement' && r.parent?.field === 'right');
  });
  if (!handedOn) return;
  const fn = enclosingFunc(call) ?? fc.decl;
  let wait: Node | undefined;
  walk(fn, (n) => {
    if (wait) return false;
    if (n.type !== 'go_statement') return undefined;
    walk(n, (x) => {
      if (wait || x.type !== 'unary_expression' || x.children[0]?.type !== '<-') return undefined;
      const c = field(x, 'operand');
      const fx = c && unparen(c).type === 'call_expression' ? field(unparen(c), 'function') : undefined;
      const recv = fx?.type === 'selector_expression' && fc.text(field(fx, 'field') as Node) === 'Done' ? field(fx, 'operand') : undefined;
      if (recv && unparen(recv).type === 'identifier' && fc.res.localOf(unparen(recv)) === parentVar) wait = x;
      return undefined;
    });
    return false;
  });
  if (!wait) return;
  let at: Node = wait;
  for (let p = wait.parent; p && p !== fn; p = p.parent) if (p.type === 'select_statement') { at = p; break; }
  const pname = fc.text(unparen(parentArg));
  report({
    node: at,
    file: fc.file,
    message: `this waits on ${pname}.Done(), not on the context derived from ${pname} at line ${fc.file.line(call.start)}, which nothing uses: the cancel function "${fc.text(cancelId)}" handed to the caller cancels a context nobody watches, so calling it stops nothing here`,
    fixHint: `wait on ${fc.text(ctxId)}.Done() instead of ${pname}.Done()`,
  });
}

/**
 * `defer cancel()` inside a loop that never ends: deferred calls run when the function
 * returns, and this one cannot return while the loop runs — a `for { }` nothing breaks
 * out of or returns from, or a `for x := range ch` over a channel the model knows is never
 * closed (and no break or return inside). Every iteration's context stays uncancelled
 * (and its defer record stays on the stack) for as long as the process lives — corpus
 * case defer-cancel-in-server-loop. A loop that can end is left alone (the cancels run,
 * late, when the function returns).
 */
function checkDeferInEndlessLoop(pass: Pass): void {
  for (const fc of pass.functions()) {
    walk(fc.decl, (n) => {
      if (n.type !== 'defer_statement') return undefined;
      const call = named(n).find((c) => c.type === 'call_expression');
      const fx = call ? field(call, 'function') : undefined;
      if (!call || !fx || fx.type !== 'identifier' || callArgsOf(call).length > 0) return false;
      const v = fc.res.localOf(fx);
      const def = v?.ident;
      const holder = def?.parent?.type === 'expression_list' ? def.parent.parent : undefined;
      if (!v || v.init?.index !== 1 || !holder || (holder.type !== 'short_var_declaration' && holder.type !== 'assignment_statement')) return false;
      const ctorCall = unparen(v.init.expr);
      const callee = ctorCall.type === 'call_expression' ? fc.res.callee(ctorCall) : undefined;
      if (callee?.kind !== 'func' || callee.obj.pkg.importPath !== 'context' || !CONSTRUCTORS.has(callee.obj.name)) return false;
      const fn = enclosingFunc(n) ?? fc.decl;
      let loop: Node | undefined;
      for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'for_statement') loop = loop ?? p;
      if (!loop || !(holder.start > loop.start && holder.end < loop.end)) return false;
      const why = endlessLoop(pass, fc, loop);
      if (!why) return false;
      const name = fc.text(fx);
      pass.report({
        node: n,
        file: fc.file,
        message: `"defer ${name}()" inside ${why}: deferred calls run only when the function returns, which it cannot do while this loop runs, so the context of every iteration (context.${callee.obj.name}) is never cancelled (context leak)`,
        fixHint: `call ${name}() at the end of each iteration (or move the body into a function that defers it)`,
      });
      return false;
    });
  }
}

/** Why `loop` never ends ("a for loop with no way out", "the range over reqs, which nothing closes"); undefined when it may end. */
function endlessLoop(pass: Pass, fc: FuncCtx, loop: Node): string | undefined {
  let exit = false;
  walk(loop, (n) => {
    if (exit || n.type === 'func_literal') return false;
    if (n.type === 'return_statement' || n.type === 'goto_statement' || n.type === 'labeled_statement') exit = true;
    if (n.type === 'break_statement' && breaksOutOf(n, loop)) exit = true;
    if (n.type === 'call_expression') {
      const c = fc.res.callee(n);
      if (c.kind === 'func' && ((c.obj.pkg.importPath === 'os' && c.obj.name === 'Exit') || (c.obj.pkg.importPath === 'runtime' && c.obj.name === 'Goexit'))) exit = true;
    }
    return undefined;
  });
  if (exit) return undefined;
  const clause = loop.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause' || c.field === 'condition');
  if (!clause) return 'a for loop with no way out';
  if (clause.type !== 'range_clause') return undefined;
  const over = field(clause, 'right');
  if (!over) return undefined;
  const m = programModel(pass.facts);
  const o = m.objectOf(fc, over);
  if (!o || o.kind !== 'chan' || m.mayBeClosed(o) !== false) return undefined;
  return `the range over ${fc.text(over)}, which nothing closes`;
}

/**
 * A function of the package that hands its caller a fresh cancel function the way
 * context.WithCancel does: it derives a context with a constructor and returns the cancel
 * variable as result `index` on every return, using it for nothing else (no call, no
 * store, no capture) — so the caller owns it and must call it, exactly as after
 * context.WithCancel (corpus case cancel-returned-but-ignored).
 */
interface CancelWrapper {
  index: number;
  /** The constructor call inside the wrapper. */
  ctorCall: Node;
  ctor: string;
}

/** The wrapper facts of a declaration (undefined when it is not one). */
function cancelWrapper(fc: FuncCtx): CancelWrapper | undefined {
  const body = field(fc.decl, 'body');
  if (!body) return undefined;
  let ctorCall: Node | undefined;
  let ctor = '';
  let cancelVar: LocalVar | undefined;
  let def: Node | undefined;
  let several = false;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type !== 'call_expression') return undefined;
    const callee = fc.res.callee(n);
    if (callee.kind !== 'func' || callee.obj.pkg.importPath !== 'context' || !CONSTRUCTORS.has(callee.obj.name)) return undefined;
    const holder = n.parent?.type === 'expression_list' ? n.parent.parent : n.parent;
    if (holder?.type !== 'short_var_declaration' || exprList(field(holder, 'right')).length !== 1) return undefined;
    const c = exprList(field(holder, 'left'))[1];
    const v = c?.type === 'identifier' ? fc.res.localOf(c) : undefined;
    if (ctorCall || !v) several = true;
    ctorCall = n;
    ctor = callee.obj.name;
    cancelVar = v;
    def = c;
    return undefined;
  });
  if (several || !ctorCall || !cancelVar || !def) return undefined;
  const refs = (fc.res.refs.get(cancelVar) ?? []).filter((r) => r !== def);
  let index: number | undefined;
  for (const r of refs) {
    const list = r.parent;
    const ret = list?.type === 'expression_list' ? list.parent : undefined;
    if (ret?.type !== 'return_statement' || enclosingFunc(ret) !== fc.decl) return undefined;
    const i = exprList(list as Node).indexOf(r);
    if (index !== undefined && index !== i) return undefined;
    index = i;
  }
  if (index === undefined || index < 0) return undefined;
  // Every return hands the cancel function out (no naked return, no other value at that index).
  let allReturn = true;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'return_statement') {
      const list = named(n).find((c) => c.type === 'expression_list');
      const e = list ? exprList(list)[index as number] : undefined;
      if (!e || !refs.includes(e)) allReturn = false;
    }
    return undefined;
  });
  return allReturn ? { index, ctorCall, ctor } : undefined;
}

/** Calls of the package's cancel wrappers ({@link cancelWrapper}) checked like calls of context.WithCancel. */
function checkWrapperCalls(pass: Pass): void {
  const wrappers = new Map<Node, { w: CancelWrapper; fc: FuncCtx }>();
  for (const fc of pass.functions()) {
    if (fc.decl.type !== 'function_declaration' && fc.decl.type !== 'method_declaration') continue;
    const w = cancelWrapper(fc);
    if (w) wrappers.set(fc.decl, { w, fc });
  }
  if (wrappers.size === 0) return;
  const names = [...wrappers.values()].map(({ fc }) => fc.text(field(fc.decl, 'name') as Node));
  const re = new RegExp(`\\b(?:${names.join('|')})\\s*\\(`);
  for (const fc of pass.facts.functions(re)) {
    const isMain = pass.pkg.name === 'main' && fc.decl.type === 'function_declaration' && fc.name === 'main';
    walk(fc.decl, (n) => {
      if (n.type !== 'call_expression') return;
      const callee = fc.res.callee(n);
      const decl = callee.kind === 'func' ? callee.obj.node : callee.kind === 'method' ? callee.method.decl : undefined;
      const hit = decl ? wrappers.get(decl) : undefined;
      if (!hit) return;
      if (isMain && (enclosingFunc(n) ?? fc.decl) === fc.decl) return;
      const wname = hit.fc.text(field(hit.fc.decl, 'name') as Node);
      check(fc, n, `${wname} (context.${hit.w.ctor} at ${siteRef(hit.fc.file, hit.w.ctorCall.start, fc.file)})`, hit.w.index, pass.report.bind(pass));
    });
  }
}

/**
 * `check` for a constructor call; `harmless` (when given) reports a missed cancel of a
 * context whose derived value nothing uses on the way to the return: see
 * {@link unusedBefore}.
 */
function check(fc: FuncCtx, call: Node, ctor: string, index: number, report: ReportFn, harmless?: ReportFn): void {
  // The call must be the sole right-hand side of a 2-value assignment or declaration.
  const holder = call.parent?.type === 'expression_list' ? call.parent.parent : call.parent;
  if (!holder) return;
  let lhs: readonly Node[] = [];
  if (holder.type === 'short_var_declaration' || holder.type === 'assignment_statement') {
    if (exprList(field(holder, 'right')).length !== 1) return;
    lhs = exprList(field(holder, 'left'));
  } else if (holder.type === 'var_spec') {
    lhs = holder.children.filter((c) => c.field === 'name');
  } else return;
  const cancelExpr = lhs[index];
  if (!cancelExpr || lhs.length < 2) return;
  const name = fc.text(cancelExpr);
  if (cancelExpr.type === 'identifier' && name === '_') {
    report({
      node: cancelExpr,
      file: fc.file,
      // WithTimeout/WithDeadline contexts are also cancelled by their own timer (context.go:
      // WithDeadlineCause arms time.AfterFunc), so what leaks is bounded by the deadline.
      message: /WithTimeout|WithDeadline/.test(ctor)
        ? `the cancel function returned by ${ctor} is discarded; the context, its timer and anything derived from it stay alive until the deadline passes or the parent is done (possible context leak)`
        : `the cancel function returned by ${ctor} is discarded; the context and its resources leak until the parent is done (possible context leak)`,
      fixHint: `assign it (ctx, cancel := ${ctor.replace(/ \(.*$/, '')}(...)) and call it on every path, usually with "defer cancel()"`,
    });
    return;
  }
  if (cancelExpr.type !== 'identifier') return; // stored in a field, map or slice: a use
  const v = fc.res.localOf(cancelExpr);
  if (!v) return; // package-level variable
  const fn = enclosingFunc(call) ?? fc.decl;
  if (v.func !== fn) return; // declared in an outer function: we cannot know when this one runs
  const g = fc.cfg(fn);
  if (!g) return;
  const stmt = cfgNodeOf(g, holder);
  if (!stmt) return;
  const refs = uses(fc, v, cancelExpr);
  // A naked return hands a named result to the caller: that is a use.
  const nakedIsUse = v.kind === 'result';
  const path = findEscapingPath(
    g,
    stmt,
    (node) => refs.some((r) => r.start >= node.start && r.end <= node.end) || (nakedIsUse && node.type === 'return_statement' && node.children.every((c) => !c.named || c.type === 'comment')),
  );
  if (!path) return;
  const where = path.last ? `the return at line ${fc.file.line(path.last.start)}` : 'the end of the function';
  const endPos = path.last ?? { start: Math.max(0, (field(fn, 'body')?.end ?? fn.end) - 1), end: field(fn, 'body')?.end ?? fn.end };
  const canFix = holder.type === 'short_var_declaration' && (holder.parent?.type === 'statement_list' || holder.parent?.type === 'block');
  const line = fc.file.line(holder.start);
  const indent = /^\s*/.exec(fc.file.lineText(line))?.[0] ?? '';
  const lineEnd = fc.file.lineStart(line + 1);
  const quiet = harmless && unusedBefore(fc, g, stmt, lhs[0], path.last) ? harmless : undefined;
  const why = quiet
    ? `; the parent is never done (context.Background()/TODO()), so the context registers with no parent and starts no goroutine or timer, and nothing used it on that path: nothing leaks, the garbage collector frees it (go vet's lostcancel still reports it)`
    : ' (possible context leak)';
  (quiet ?? report)({
    node: cancelExpr,
    file: fc.file,
    message: `the cancel function "${name}" from ${ctor} is not called on every path: ${where} is reached without calling it${why}`,
    fixHint: `call ${name}() on every path; the usual fix is "defer ${name}()" right after this line`,
    fix: canFix
      ? {
          description: `Insert "defer ${name}()" after line ${line}`,
          edits: [{ range: { start: fc.file.position(lineEnd), end: fc.file.position(lineEnd) }, newText: `${indent}defer ${name}()\n` }],
        }
      : undefined,
    related: [{ file: fc.file.path, range: fc.file.range(endPos), message: `leaves here without calling ${name}` }],
  });
}


/**
 * True when the parent argument of constructor call `call` is a context that is never
 * done: `context.Background()` or `context.TODO()`, directly or through a local that
 * holds it when the call runs (initialised with it, assigned nowhere before the call, its
 * address not taken, and the call in no loop that the variable outlives). Their `Done`
 * returns nil (context.go, `emptyCtx.Done`), so `propagateCancel` returns at once (`done
 * := parent.Done(); if done == nil { return // parent is never canceled }`): the new
 * cancelCtx is not added to any parent's children and no goroutine is started to watch
 * the parent.
 */
function parentNeverDone(fc: FuncCtx, call: Node): boolean {
  const arg = named(field(call, 'arguments') ?? call)[0];
  if (!arg) return false;
  const a = unparen(arg);
  if (isEmptyCtx(fc, a)) return true;
  const v = a.type === 'identifier' ? fc.res.localOf(a) : undefined;
  if (!v || v.kind !== 'var' || !v.init || v.init.count !== 1 || !isEmptyCtx(fc, unparen(v.init.expr))) return false;
  for (const r of fc.res.refs.get(v) ?? []) {
    if (r === v.ident) continue;
    if (r.parent?.type === 'unary_expression' && fc.text(r.parent).trimStart().startsWith('&')) return false;
    const list = r.parent;
    const assigned = list?.type === 'expression_list' && list.field === 'left' && (list.parent?.type === 'assignment_statement' || list.parent?.type === 'short_var_declaration');
    // Assigned before the call (the call's own statement, `ctx, cancel := context.WithCancel(ctx)`, assigns after it).
    if (assigned && r.start < call.start && !(list.parent && call.start >= list.parent.start && call.end <= list.parent.end)) return false;
  }
  // A later iteration sees the value the call's own statement assigned.
  for (let p = call.parent; p && p !== v.func; p = p.parent) {
    if (p.type === 'func_literal') return false;
    if (p.type === 'for_statement' && !(v.ident.start >= p.start && v.ident.end <= p.end)) return false;
  }
  return true;
}

/** `context.Background()` or `context.TODO()`. */
function isEmptyCtx(fc: FuncCtx, e: Node): boolean {
  if (e.type !== 'call_expression') return false;
  const c = fc.res.callee(e);
  return c.kind === 'func' && c.obj.pkg.importPath === 'context' && (c.obj.name === 'Background' || c.obj.name === 'TODO');
}

/**
 * True when derived context `ctxExpr` (the constructor's first result) is not used on the
 * way to `ret` (undefined: the end of the function): it is `_`, or a local none of whose
 * references (a wait on its Done, a goroutine or call given it, a store) can run before
 * that exit. Then nobody can be waiting for its Done channel there.
 */
function unusedBefore(fc: FuncCtx, g: CFG, stmt: Node, ctxExpr: Node | undefined, ret: Node | undefined): boolean {
  if (!ctxExpr || ctxExpr.type !== 'identifier') return false;
  if (fc.text(ctxExpr) === '_') return true;
  const v = fc.res.localOf(ctxExpr);
  if (!v) return false;
  for (const r of fc.res.refs.get(v) ?? []) {
    // The constructor's own statement reads the parent (`ctx, cancel := context.WithCancel(ctx)`).
    if (r.start >= stmt.start && r.end <= stmt.end) continue;
    const at = cfgNodeOf(g, r);
    if (!at) return false;
    // A use that can run after the constructor and before the exit.
    if (at === ret) return false;
    if (nodeReaches(g, stmt, at) && (ret ? nodeReaches(g, at, ret) : findEscapingPath(g, at, (m) => m.type === 'return_statement') !== null)) return false;
  }
  return true;
}

/** References to `v` that count as uses: everything except the definition and plain re-assignment targets. */
function uses(fc: FuncCtx, v: LocalVar, def: Node): Node[] {
  return (fc.res.refs.get(v) ?? []).filter((r) => {
    if (r === def) return false;
    const list = r.parent;
    return !(list?.type === 'expression_list' && list.field === 'left' && list.parent?.type === 'assignment_statement');
  });
}
