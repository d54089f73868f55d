/**
 * @fileoverview copied-lock: a value holding a sync.Mutex, RWMutex, WaitGroup, Cond or
 * Once is copied (value receiver, by-value parameter, range value, assignment, channel
 * send) and the copy's lock is then used. The sync docs: "A Mutex must not be copied
 * after first use" (likewise WaitGroup, Cond, Once). Locking the copy excludes nobody,
 * Done on a copied WaitGroup never reaches the original (its Wait blocks forever), and
 * Wait on a copied Cond never gets the original's Signal.
 *
 * go vet's copylocks reports every copy; this rule reports the copies whose lock is used
 * in the same function (where the copy changes behaviour), and also channel sends of
 * such values, which copylocks does not check.
 */
import type { FuncCtx } from '../../analysis/pass.js';
import { containsLock } from '../../analysis/locks.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { isNamed, typeString, type Type } from '../../go/types.js';

const SYNC_TYPES = new Set(['Mutex', 'RWMutex', 'WaitGroup', 'Cond', 'Once']);
const SYNC_METHODS = new Set(['Lock', 'RLock', 'Unlock', 'RUnlock', 'TryLock', 'TryRLock', 'Wait', 'Add', 'Done', 'Go', 'Do', 'Signal', 'Broadcast']);

export default createRule({
  id: 'copied-lock',
  severity: 'warning',
  since: '0.2.0',
  category: 'deadlock',
  description: 'A value containing a sync.Mutex, RWMutex, WaitGroup, Cond or Once is copied and the copy is then locked, waited on or counted.',
  help:
    'sync types must not be copied after first use. A method with a value receiver, a by-value parameter, a range value or an assignment gets a copy: locking it does not exclude other goroutines, Done on a copied WaitGroup never releases the original Wait (which blocks forever). Use a pointer (*T) for receivers, parameters and range values (iterate by index).',
  // Functions that use a lock (the copies this rule reports are the ones whose lock is
  // used); channel sends and returns are checked in those functions too. `.Do(` is not a
  // trigger (http.Client.Do and friends would make the rule parse many more files): a
  // copied Once is found when the function also locks, waits or signals.
  triggers: /\.(?:R?Lock|Wait|Done|Signal|Broadcast)\(\)/,
  run(pass) {
    for (const { decl, file } of pass.pkg.funcDecls) {
      // Resolving a function is the expensive part: first check syntactically that some
      // variable that may hold a copy (by-value receiver or parameter, range value, `:=`
      // from an existing value) is used with a sync method, or that there is a send.
      const text = file.text.slice(decl.start, decl.end);
      if (!pass.rule.triggers.test(text) || !mayCopyText(text) || !mayCopy(decl, file.body(decl), (n) => file.textOf(n))) continue;
      const fc = pass.facts.funcCtx(decl, file);
      const uses = lockUses(fc);
      const report = (node: Node, v: LocalVar | undefined, type: () => Type, what: string, fixHint: string): void => {
        // Only variables whose lock is used are candidates: check that before resolving types.
        if (v && !uses.has(v)) return;
        const t = type();
        const inner = containsLock(t);
        if (!inner) return;
        const use = v ? uses.get(v) : undefined;
        if (v && !use) return;
        const isReturn = what.startsWith('the return');
        const used = !use
          ? ''
          : isReturn
            ? `, made in a function that uses the original's lock (${fc.text(use)} at line ${fc.file.line(use.start)})`
            : `, so ${fc.text(use)} at line ${fc.file.line(use.start)} works on the copy`;
        const effect = isReturn
          ? "a copy taken while the lock is held carries a locked mutex that nothing will unlock, and the copy's first Lock blocks forever"
          : /WaitGroup/.test(inner)
          ? 'a Wait on the original never sees the copy\'s Done and blocks forever'
          : /Cond/.test(inner)
            ? 'a Wait on the copy never gets the original\'s Signal and blocks forever'
            : 'it does not exclude goroutines using the original';
        pass.report({ node, file: fc.file, message: `${what} copies a value of type ${typeString(t)}, which contains a ${inner}${used}: ${effect}`, fixHint });
      };
      // Receiver and parameters by value.
      for (const fn of fc.res.funcs) {
        const params: Node[] = [];
        const recv = fn.type === 'method_declaration' ? field(fn, 'receiver') : undefined;
        if (recv) params.push(...named(recv));
        const ps = field(fn, 'parameters');
        if (ps) params.push(...named(ps));
        for (const pd of params) {
          const te = field(pd, 'type');
          if (!te || te.type === 'pointer_type') continue;
          for (const id of pd.children.filter((c) => c.field === 'name')) {
            const v = fc.res.defs.get(id);
            if (!v) continue;
            if (!uses.has(v)) continue;
            const t = fc.res.varType(v);
            // A parameter of type sync.WaitGroup itself is waitgroup-misuse's finding.
            if (isNamed(t, 'sync', 'WaitGroup')) continue;
            const isRecv = pd.parent === recv;
            report(
              id,
              v,
              () => t,
              `${isRecv ? 'the value receiver' : 'the by-value parameter'} ${v.name} of ${fc.name}`,
              isRecv ? `use a pointer receiver: (${v.name} *${fc.text(te)})` : `pass a pointer: ${v.name} *${fc.text(te)}`,
            );
          }
        }
      }
      walk(fc.decl, (n) => {
        if (n.type === 'range_clause') {
          const left = exprList(field(n, 'left'));
          const right = field(n, 'right');
          if (!right || !fc.text(n).includes(':=')) return;
          const valueId = left.length === 2 ? left[1] : undefined;
          const v = valueId ? fc.res.defs.get(valueId) : undefined;
          if (!valueId || !v || v.name === '_') return;
          report(valueId, v, () => fc.res.varType(v), `the range value ${v.name}`, `iterate by index and take a pointer: for i := range ${fc.text(right)} { ${v.name} := &${fc.text(right)}[i] ... }`);
        } else if (n.type === 'short_var_declaration') {
          const lhs = exprList(field(n, 'left'));
          const rhs = exprList(field(n, 'right'));
          if (lhs.length !== rhs.length) return;
          lhs.forEach((l, i) => {
            const r = unparen(rhs[i] as Node);
            if (!isCopySource(fc, r)) return;
            const v = fc.res.defs.get(l);
            if (v) report(r, v, () => fc.res.typeOf(r), `the assignment to ${v.name}`, `take a pointer instead: ${v.name} := &${fc.text(r).replace(/^\*/, '')}`);
          });
        } else if (n.type === 'return_statement') {
          // `return *s` while s's lock is used here (often held: a snapshot taken under
          // the lock returns a copy whose mutex is locked forever).
          for (const e of exprList(named(n)[0])) {
            const r = unparen(e);
            if (!isCopySource(fc, r)) continue;
            const v = rootLocal(fc, r);
            if (v) report(r, v, () => fc.res.typeOf(r), `the return of ${fc.text(r)}`, `return a pointer, or copy the fields without the lock into a new value`);
          }
        } else if (n.type === 'send_statement') {
          const val = field(n, 'value');
          if (!val) return;
          const r = unparen(val);
          if (!isCopySource(fc, r)) return;
          report(r, undefined, () => fc.res.typeOf(r), `the send on ${fc.text(field(n, 'channel') ?? n)}`, 'send a pointer to the value instead');
        }
      });
    }
  },
});

/**
 * Text pre-check (a superset of mayCopy, without materialising the body): a variable
 * used with a sync method that also appears declared by value (`x T`, `x :=`, `, x :=`),
 * or a send statement.
 */
function mayCopyText(text: string): boolean {
  if (/^\s*[\w.[\]()*]+\s*<-/m.test(text)) return true;
  const roots = new Set<string>();
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)(?:\.\w+)*\.(?:R?Lock|R?Unlock|Wait|Done|Do|Signal|Broadcast|Add|Go)\(/g)) roots.add(m[1] as string);
  for (const x of roots) {
    if (new RegExp(`\\b${x}\\s+(?!:?=)[A-Za-z_[]|\\b${x}\\s*:=|,\\s*${x}\\s*:=|\\b${x}\\s*,[\\w\\s,]*:=|\\breturn\\s+\\*?${x}\\b`).test(text)) return true;
  }
  return false;
}

/** Syntactic pre-check: a sync method called on a variable that may be a copy, or a send. */
function mayCopy(decl: Node, body: Node | undefined, text: (n: Node) => string): boolean {
  const roots = new Set<string>();
  const candidates = new Set<string>();
  let sends = false;
  const visit = (n: Node): void => {
    switch (n.type) {
      case 'send_statement':
        sends = true;
        return;
      case 'call_expression': {
        const f = field(n, 'function');
        const sel = f?.type === 'selector_expression' ? field(f, 'field') : undefined;
        if (!f || !sel || !SYNC_METHODS.has(text(sel))) return;
        let e = unparen(field(f, 'operand') ?? f);
        while (e.type === 'selector_expression') e = unparen(field(e, 'operand') ?? e);
        if (e.type === 'identifier') roots.add(text(e));
        return;
      }
      case 'parameter_declaration': {
        const t = field(n, 'type');
        if (t && t.type !== 'pointer_type') for (const c of n.children) if (c.field === 'name') candidates.add(text(c));
        return;
      }
      case 'range_clause': {
        const left = exprList(field(n, 'left'));
        if (left[1]) candidates.add(text(left[1]));
        return;
      }
      case 'short_var_declaration':
        for (const l of exprList(field(n, 'left'))) candidates.add(text(l));
        return;
      case 'return_statement':
        for (const e of exprList(named(n)[0])) {
          let x = unparen(e);
          while (x.type === 'selector_expression' || x.type === 'unary_expression') x = unparen(field(x, 'operand') ?? x);
          if (x.type === 'identifier') candidates.add(text(x));
        }
        return;
    }
  };
  // The declaration node may come without its body (bodies are materialised on demand).
  walk(decl, visit);
  if (body) walk(body, visit);
  return sends || [...roots].some((r) => candidates.has(r));
}

/** A copy of an existing value: a variable, a field, an element or a dereference (not a fresh composite literal or call result). */
function isCopySource(fc: FuncCtx, r: Node): boolean {
  if (r.type === 'identifier' || r.type === 'selector_expression' || r.type === 'index_expression') return true;
  return r.type === 'unary_expression' && fc.text(r).trimStart().startsWith('*');
}

/** The local at the root of `x`, `*x`, `x.f.g`. */
function rootLocal(fc: FuncCtx, e: Node): LocalVar | undefined {
  let x = unparen(e);
  for (;;) {
    if (x.type === 'selector_expression') x = unparen(field(x, 'operand') ?? x);
    else if (x.type === 'unary_expression') x = unparen(field(x, 'operand') ?? x);
    else break;
  }
  return x.type === 'identifier' ? fc.res.localOf(x) : undefined;
}

/** For each local, the first call on a sync lock reached from it (`v.mu.Lock()`, `v.wg.Done()`, `v.Lock()`). */
function lockUses(fc: FuncCtx): Map<LocalVar, Node> {
  // Add, Go and Unlock are not triggers: a copy used only through them also calls
  // Lock, Wait or Done (a WaitGroup copy that only Adds is reported by waitgroup-misuse).
  const out = new Map<LocalVar, Node>();
  walk(fc.decl, (n) => {
    if (n.type !== 'call_expression') return;
    const fnNode = field(n, 'function');
    const sel = fnNode && fnNode.type === 'selector_expression' ? field(fnNode, 'field') : undefined;
    if (!sel || !SYNC_METHODS.has(fc.text(sel))) return; // before resolving (which may parse files)
    const c = fc.res.callee(n);
    if (c.kind !== 'method' || c.method.pkg !== 'sync' || !SYNC_TYPES.has(c.method.recvType)) return;
    let e = unparen(c.recv);
    while (e.type === 'selector_expression') e = unparen(field(e, 'operand') ?? e);
    if (e.type !== 'identifier') return;
    const v = fc.res.localOf(e);
    if (v && !out.has(v)) out.set(v, n);
  });
  return out;
}
