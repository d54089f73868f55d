/**
 * @fileoverview cond-wait-no-loop: `sync.Cond.Wait` that is not inside a `for` loop
 * re-checking the condition. The sync docs: "Because c.L is not locked while Wait is
 * waiting, the caller typically cannot assume that the condition is true when Wait
 * returns. Instead, the caller should Wait in a loop".
 *
 * Go's Wait has no spurious wake-ups, so a missing loop is a bug only when something can
 * make the condition false between the Signal and the waiter taking the lock back, or
 * when a signal announces a state the waiter never checks (issue 11, family 11):
 * - under an `if`/`switch`: reported unless the condition reads only shared state
 *   (fields, package variables) that exactly one function changes, and that function is
 *   the only one that signals;
 * - with no condition (or in a range loop): a "wait for the next event" barrier, silent
 *   unless a signaller sets a flag (`d.open = true`) before signalling that the waiting
 *   function never reads — then a Wait that starts after that signal blocks forever.
 */
import type { FuncCtx, PackageFacts } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import { condIdentity, forEachCondWait, signallersOf, type Signaller } from '../../analysis/lockconds.js';
import { stateName, stateOf, stateRead, stateWriters, type StateKey } from '../../analysis/statewrites.js';
import { FUNC_TYPES, exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'cond-wait-no-loop',
  severity: 'warning',
  since: '0.2.0',
  category: 'goroutine-leak',
  description: 'sync.Cond.Wait is called outside a for loop that re-checks the condition it waits for.',
  help:
    'Wait returns after a Signal or Broadcast, but the condition may be false again by the time the waiter holds c.L (another goroutine changed it), and a signaller that sets a flag before broadcasting is missed by a waiter that never checks it. Write "for !condition { c.Wait() }" with c.L held.',
  triggers: /\.Wait\(\)/,
  run(pass) {
    forEachCondWait(pass, (fc, n, recv) => {
      if (insideRecheckingLoop(n)) return;
      if (loopInCallers(pass.facts, fc, n)) return;
      const cond = fc.text(recv);
      const line = fc.file.line(n.start);
      const id = condIdentity(fc, recv);
      const signallers = id ? signallersOf(pass.facts, fc, id) : undefined;
      const inIf = enclosingCheck(n);
      if (!inIf) {
        // No condition checked (or a range loop counting wake-ups): the broadcast itself
        // is the event ("wait for the next tick"), and Go's Wait has no spurious
        // wake-ups. Only a signaller that sets a predicate this waiter never checks
        // makes it a bug: a Wait that starts after that signal waits forever.
        if (!insideRangeLoop(n) && handshake(fc, n)) return;
        const ignored = signallers ? ignoredPredicate(fc, n, signallers) : undefined;
        if (!ignored) return;
        pass.report({
          node: n,
          file: fc.file,
          message: `${cond}.Wait() at line ${line} is not inside a for loop that re-checks its condition (${insideRangeLoop(n) ? 'a range loop does not re-check it' : 'no condition is checked before it'}): ${ignored.by} sets ${ignored.state} before it signals, but this goroutine never checks ${ignored.state}, so a Wait that starts after that signal blocks forever`,
          fixHint: `wait in a loop with the lock held: "for !${ignored.state} { ${cond}.Wait() }"`,
        });
        return;
      }
      const why = recheckNeeded(pass.facts, fc, inIf, signallers);
      if (!why) return;
      const what = inIf.type === 'if_statement' ? 'if' : 'switch';
      pass.report({
        node: n,
        file: fc.file,
        message: `${cond}.Wait() at line ${line} is not inside a for loop that re-checks its condition (the ${what} at line ${fc.file.line(inIf.start)} checks it only once): ${why}`,
        fixHint: `replace the ${what} at line ${fc.file.line(inIf.start)} with a for loop: "for <condition> { ${cond}.Wait() }"`,
      });
    });
  },
});

/**
 * The re-check loop is in the callers (spot ts#20–23): the function returns right after
 * the Wait (every path from it reaches the return without another call), it cannot be
 * called from another package (unexported, or a `main` package), and each of its call
 * sites in the package sits inside a `for` loop of the caller (`for n == 0 { n, err =
 * p.readOrBlock(b) }`), which evaluates its condition again after the call returns.
 */
function loopInCallers(facts: PackageFacts, fc: FuncCtx, wait: Node): boolean {
  const decl = fc.decl;
  if (fc.res.enclosingFunc(wait) !== decl) return false;
  const nameNode = field(decl, 'name');
  const name = nameNode ? fc.text(nameNode) : '';
  if (!name || (/^[A-Z]/.test(name) && facts.pkg.name !== 'main')) return false;
  const g = fc.cfg();
  const at = g ? ((): Node | undefined => {
    for (let cur: Node | null = wait; cur; cur = cur.parent) if (g.where.has(cur)) return cur;
    return undefined;
  })() : undefined;
  if (!g || !at) return false;
  // Every path from the Wait to the exit passes only call-free statements.
  const start = g.where.get(at);
  if (!start) return false;
  const seen = new Set<number>();
  const stack: Array<{ b: typeof start.block; i: number }> = [{ b: start.block, i: start.index + 1 }];
  while (stack.length > 0) {
    const { b, i } = stack.pop() as { b: typeof start.block; i: number };
    if (b === g.abort) continue;
    if (b === g.exit) continue;
    for (let k = i; k < b.nodes.length; k++) {
      let call = false;
      walk(b.nodes[k] as Node, (m) => {
        if (call) return false;
        if (m.type === 'call_expression') call = true;
        return undefined;
      });
      if (call) return false;
    }
    for (const s2 of b.succs) {
      if (seen.has(s2.id)) continue;
      seen.add(s2.id);
      stack.push({ b: s2, i: 0 });
    }
  }
  // Every call site is inside a for loop of its caller.
  const word = new RegExp(`\\b${name}\\s*\\(`);
  let sites = 0;
  let ok = true;
  for (const { decl: d, file } of facts.pkg.funcDecls) {
    if (!ok) break;
    const text = file.text.slice(d.start, d.end);
    if (!text.includes(name)) continue;
    const cfc = facts.funcCtx(d, file);
    walk(d, (m) => {
      if (!ok) return false;
      // A method value or function value (`f := p.readOrBlock`): called where we do not look.
      if (m.type === 'identifier' && cfc.text(m) === name && m !== nameNode && m.parent?.type === 'selector_expression' && !(m.parent.parent?.type === 'call_expression' && field(m.parent.parent, 'function') === m.parent)) ok = false;
      if (m.type !== 'call_expression' || !word.test(cfc.text(m))) return;
      const c = cfc.res.callee(m);
      if (!((c.kind === 'method' && c.method.decl === decl) || (c.kind === 'func' && c.obj.kind === 'func' && c.obj.node === decl))) return;
      sites++;
      let inFor = false;
      for (let p = m.parent; p && !FUNC_TYPES.has(p.type); p = p.parent) if (p.type === 'for_statement') inFor = true;
      if (!inFor) ok = false;
    });
  }
  return ok && sites > 0;
}

/** `Type.Method`, `name`, or "the function literal at file:line" for messages. */
function funcName(s: { fn: Node; fc: FuncCtx }): string {
  return s.fn === s.fc.decl ? s.fc.name : `the function literal at ${s.fc.file.path.split('/').pop() ?? ''}:${s.fc.file.line(s.fn.start)}`;
}

/**
 * A flag a signaller sets (`d.open = true`) before its Signal/Broadcast that the waiting
 * function never reads: the signal announces a state this waiter ignores.
 */
function ignoredPredicate(fc: FuncCtx, wait: Node, signallers: Signaller[]): { by: string; state: string } | undefined {
  const waitFn = fc.res.enclosingFunc(wait);
  const reads = (k: StateKey): boolean => {
    let hit = false;
    walk(waitFn, (m) => {
      if (hit) return false;
      if (m.type !== 'selector_expression' && m.type !== 'identifier') return;
      const s = stateOf(fc, m);
      if (s && stateName(s) === stateName(k)) hit = true;
    });
    return hit;
  };
  for (const s of signallers) {
    const first = Math.min(...s.calls.map((c) => c.start));
    let found: StateKey | undefined;
    walk(s.fn, (m) => {
      if (found || (m.type === 'func_literal' && m !== s.fn)) return false;
      if (m.type !== 'assignment_statement' || m.start > first) return;
      const l = named(field(m, 'left') ?? m)[0];
      const r = named(field(m, 'right') ?? m)[0];
      if (!l || !r || !/^(?:true|false)$/.test(s.fc.text(unparen(r)))) return;
      const k = stateOf(s.fc, l);
      if (k && !reads(k)) found = k;
    });
    if (found) return { by: funcName(s), state: stateName(found) };
  }
  return undefined;
}

/**
 * Why the condition checked once by `check` (an if or switch) may be false when Wait
 * returns, or undefined when it cannot be: it reads only shared state, that state is
 * changed by exactly one function, and that function is the only one that signals
 * (what it signals is what it just wrote, and nothing else can undo it before the
 * waiter holds the lock again). Go's Cond.Wait has no spurious wake-ups.
 */
function recheckNeeded(facts: PackageFacts, fc: FuncCtx, check: Node, signallers: Signaller[] | undefined): string | undefined {
  const generic = 'when it wakes, the condition may be false again (another goroutine can change it between the Signal and this goroutine taking the lock back), and nothing checks it again';
  const exprs: Node[] = [];
  const init = field(check, 'initializer');
  if (check.type === 'if_statement') {
    const cond = field(check, 'condition');
    if (cond) exprs.push(cond);
  } else {
    const value = field(check, 'value');
    if (value) exprs.push(value);
    for (const cc of check.children) if (cc.type === 'expression_case') exprs.push(...exprList(field(cc, 'value')));
  }
  if (init) exprs.push(...exprList(field(init, 'right')));
  const keys: StateKey[] = [];
  for (const e of exprs) {
    const ks = stateRead(fc, e);
    if (!ks) return generic;
    keys.push(...ks);
  }
  if (keys.length === 0 || !signallers || signallers.length === 0) return generic;
  const writers = new Set<Node>();
  for (const k of keys) {
    const w = stateWriters(facts, k);
    if (!w) return generic;
    for (const f of w) writers.add(f);
  }
  if (writers.size === 1 && signallers.every((s) => writers.has(s.fn))) return undefined;
  const names = [...new Set(keys.map(stateName))].join(', ');
  if (writers.size === 0) return `nothing in the package changes ${names}, so ${signallers.length === 1 ? funcName(signallers[0] as Signaller) : 'the signallers'} cannot make it true`;
  const by = [...writers].map((w) => {
    const f = facts.pkg.fileOf(w);
    return f && w.type !== 'func_literal' ? facts.funcCtx(w, f).name : 'a function literal';
  });
  const list = [...new Set(by)].sort();
  const who = list.length <= 3 ? list.join(' and ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
  return `${names} is changed by ${who}${signallers.some((s) => !writers.has(s.fn)) ? ', and signalled from elsewhere' : ''}, so when this goroutine wakes it may already be false again, and nothing checks it again`;
}

/**
 * True when `n` is in the body of a `for` loop of its own function that evaluates a
 * condition each iteration (`for cond {}`, `for init; cond; post {}`) or loops until a
 * break/return (`for {}`). A `for range` loop does not re-check a condition.
 */
function insideRecheckingLoop(n: Node): boolean {
  for (let p = n.parent; p && !FUNC_TYPES.has(p.type); p = p.parent) {
    if (p.type !== 'for_statement') continue;
    const clause = p.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
    if (clause?.type === 'range_clause') continue;
    if (clause?.type === 'for_clause' && !field(clause, 'condition')) return true;
    if (clause?.type === 'for_clause') return true;
    return true; // `for cond {}` or `for {}`
  }
  return false;
}

/** A bare Wait that looks like a coordinated handshake (see the caller). */
function handshake(fc: FuncCtx, wait: Node): boolean {
  if (/\.(?:Signal|Broadcast)\(\)/.test(fc.text(fc.decl)) || /\.(?:Signal|Broadcast)\(\)/.test(fc.body ? fc.text(fc.body) : '')) return true;
  let fn: Node | undefined = wait.parent ?? undefined;
  while (fn && !FUNC_TYPES.has(fn.type)) fn = fn.parent ?? undefined;
  const body = fn === fc.decl ? fc.body : fn ? field(fn, 'body') : undefined;
  let found = false;
  if (body)
    walk(body, (m) => {
      if (found || m.start >= wait.start) return false;
      if (m.type === 'func_literal') return m.parent?.type === 'call_expression' && m.parent.parent?.type === 'go_statement' ? ((found = true), false) : false;
      if (m.type === 'go_statement' || m.type === 'send_statement' || (m.type === 'unary_expression' && fc.text(m).trimStart().startsWith('<-'))) found = true;
      return !found;
    });
  return found;
}

/** The if or switch (checking a condition once) that the Wait is under, in its own function. */
function enclosingCheck(n: Node): Node | undefined {
  for (let p = n.parent; p && !FUNC_TYPES.has(p.type); p = p.parent) {
    if (p.type === 'for_statement') return undefined;
    if (p.type === 'if_statement' || p.type === 'expression_switch_statement') return p;
  }
  return undefined;
}

function insideRangeLoop(n: Node): boolean {
  for (let p = n.parent; p && !FUNC_TYPES.has(p.type); p = p.parent) if (p.type === 'for_statement') return true;
  return false;
}
