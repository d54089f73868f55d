/**
 * @fileoverview lost-cancel: the cancel function of context.WithCancel/WithTimeout/
 * WithDeadline (and their Cause forms) is discarded or not used on every path to a
 * return. Semantics follow go vet's lostcancel (golang.org/x/tools/go/analysis/passes/
 * lostcancel): any reference to the cancel variable counts as a use (a call, defer,
 * passing it on, returning or storing it, capturing it in a closure); paths that end in
 * panic or a call that never returns do not count; cancel variables declared outside
 * the function, struct fields and package-level variables are not checked.
 */
import { cfgNodeOf, findEscapingPath } from '../../go/cfg.js';
import type { LocalVar } from '../../go/resolve.js';
import { enclosingFunc, exprList, field, walk, type Node } from '../../go/syntax.js';
import type { FuncCtx } from '../../analysis/pass.js';
import { createRule, type Report } from '../../analysis/rule.js';

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
    for (const fc of pass.functions()) {
      // Like vet: returning from main.main ends the process, so nothing leaks there.
      const isMain = pass.pkg.name === 'main' && fc.decl.type === 'function_declaration' && fc.name === 'main';
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        const callee = fc.res.callee(n);
        if (callee.kind !== 'func' || callee.obj.pkg.importPath !== 'context' || !CONSTRUCTORS.has(callee.obj.name)) return;
        if (isMain && (enclosingFunc(n) ?? fc.decl) === fc.decl) return;
        check(fc, n, callee.obj.name, pass.report.bind(pass));
      });
    }
  },
});

type ReportFn = (r: Report) => void;

function check(fc: FuncCtx, call: Node, ctor: string, report: ReportFn): void {
  // The call must be the sole right-hand side of a 2-value assignment or declaration.
  const holder = call.parent?.type === 'expression_list' ? call.parent.parent : call.parent;
  if (!holder) return;
  let lhs: Node[] = [];
  if (holder.type === 'short_var_declaration' || holder.type === 'assignment_statement') {
    if (exprList(field(holder, 'right')).length !== 1) return;
    lhs = exprList(field(holder, 'left'));
  } else if (holder.type === 'var_spec') {
    lhs = holder.children.filter((c) => c.field === 'name');
  } else return;
  const cancelExpr = lhs[1];
  if (!cancelExpr) return;
  const name = fc.text(cancelExpr);
  if (cancelExpr.type === 'identifier' && name === '_') {
    report({
      node: cancelExpr,
      file: fc.file,
      message: `the cancel function returned by context.${ctor} is discarded; the context and its resources leak until the parent is done (possible context leak)`,
      fixHint: `assign it (ctx, cancel := context.${ctor}(...)) and call it on every path, usually with "defer cancel()"`,
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
  report({
    node: cancelExpr,
    file: fc.file,
    message: `the cancel function "${name}" from context.${ctor} is not called on every path: ${where} is reached without calling it (possible context leak)`,
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


/** References to `v` that count as uses: everything except the definition and plain re-assignment targets. */
function uses(fc: FuncCtx, v: LocalVar, def: Node): Node[] {
  return (fc.res.refs.get(v) ?? []).filter((r) => {
    if (r === def) return false;
    const list = r.parent;
    return !(list?.type === 'expression_list' && list.field === 'left' && list.parent?.type === 'assignment_statement');
  });
}
