/**
 * @fileoverview cond-wait-no-loop: `sync.Cond.Wait` that is not inside a `for` loop
 * re-checking the condition. The sync docs: "Because c.L is not locked while Wait is
 * waiting, the caller typically cannot assume that the condition is true when Wait
 * returns. Instead, the caller should Wait in a loop". Without the loop, a Wait entered
 * after the Signal/Broadcast it needs has already happened blocks forever (the
 * goroutine leaks), and a Wait woken by a Broadcast meant for another condition goes on
 * with a false condition.
 */
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import { FUNC_TYPES, field, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'cond-wait-no-loop',
  severity: 'warning',
  since: '0.2.0',
  category: 'goroutine-leak',
  description: 'sync.Cond.Wait is called outside a for loop that re-checks the condition it waits for.',
  help:
    'Wait only returns after a Signal or Broadcast that happens while it waits. Checked once with an if (or not at all), a Wait that starts after the condition became true waits forever, and one woken for another reason continues with the condition false. Write "for !condition { c.Wait() }" with c.L held.',
  triggers: /\.Wait\(\)/,
  run(pass) {
    for (const fc of pass.functions()) {
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        // Cheap syntactic filter before resolving (resolution may parse other files).
        const fnNode = field(n, 'function');
        const sel = fnNode && fnNode.type === 'selector_expression' ? field(fnNode, 'field') : undefined;
        if (!sel || fc.text(sel) !== 'Wait') return;
        const c = fc.res.callee(n);
        if (c.kind !== 'method' || c.method.pkg !== 'sync' || c.method.recvType !== 'Cond' || c.method.name !== 'Wait') return;
        if (insideRecheckingLoop(n)) return;
        const inIf = enclosingCheck(n);
        // A bare Wait, with no condition checked at all, may be a one-shot handshake
        // ("hold c.L, let the signaller start, Wait"), correct when the waiter holds c.L
        // from before the signaller can run: stay silent when the same declaration
        // signals itself, or when a goroutine start or channel operation comes before the
        // Wait in its function. Otherwise (a method that just waits) it is reported.
        if (!inIf && !insideRangeLoop(n) && handshake(fc, n)) return;
        const cond = fc.text(c.recv);
        const line = fc.file.line(n.start);
        pass.report({
          node: n,
          file: fc.file,
          message: `${cond}.Wait() at line ${line} is not inside a for loop that re-checks its condition${inIf ? ` (the ${inIf.type === 'if_statement' ? 'if' : 'switch'} at line ${fc.file.line(inIf.start)} checks it only once)` : insideRangeLoop(n) ? ' (a range loop does not re-check it)' : ' (no condition is checked before it)'}: if the Signal or Broadcast came before this Wait, nothing wakes it and the goroutine blocks forever; if it is woken for another reason it goes on with the condition false`,
          fixHint: inIf
            ? `replace the ${inIf.type === 'if_statement' ? 'if' : 'switch'} at line ${fc.file.line(inIf.start)} with a for loop: "for <condition> { ${cond}.Wait() }"`
            : `wait in a loop with the lock held: "for !<condition> { ${cond}.Wait() }"`,
        });
      });
    }
  },
});

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
