/**
 * @fileoverview Which `sync.Cond` an expression denotes and who signals it, shared by
 * cond-wait-no-loop and cond-wait-unsignalled. A Cond is named by the shared state that
 * holds it (a field of a package type, a package variable), by a local variable, or by
 * the type that embeds it (`b.Wait()` on a type embedding `*sync.Cond`).
 */
import type { FuncCtx, PackageFacts, Pass } from './pass.js';
import { stateName, stateOf, type StateKey } from './statewrites.js';
import type { LocalVar } from '../go/resolve.js';
import { field, unparen, walk, type Node } from '../go/syntax.js';
import { deref } from '../go/types.js';

/**
 * Calls `fn` for each `sync.Cond.Wait()` call in the package's functions, with the Cond
 * expression it is called on. The selector name is checked before the callee is resolved,
 * because resolving may parse other files.
 */
export function forEachCondWait(pass: Pass, fn: (fc: FuncCtx, call: Node, cond: Node) => void): void {
  // Three rules ask (cond-wait-no-loop, cond-wait-unsignalled, cond-missed-wakeup), with the
  // same package and triggers: the list is found once per package and trigger set.
  const waits = pass.facts.memo(`cond-waits:${String(pass.rule.triggers)}`, () => {
    const out: Array<{ fc: FuncCtx; call: Node; cond: Node }> = [];
    for (const fc of pass.functions()) {
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        const fnNode = field(n, 'function');
        const sel = fnNode && fnNode.type === 'selector_expression' ? field(fnNode, 'field') : undefined;
        if (!sel || fc.text(sel) !== 'Wait') return;
        const c = fc.res.callee(n);
        if (c.kind !== 'method' || c.method.pkg !== 'sync' || c.method.recvType !== 'Cond' || c.method.name !== 'Wait') return;
        out.push({ fc, call: n, cond: c.recv });
      });
    }
    return out;
  });
  for (const w of waits) fn(w.fc, w.call, w.cond);
}

/** Which sync.Cond a receiver expression denotes: shared state, a local variable, or the Cond embedded in a type. */
export type CondId = { kind: 'state'; key: StateKey } | { kind: 'local'; v: LocalVar } | { kind: 'embedded'; type: string };

export function condIdentity(fc: FuncCtx, recv: Node): CondId | undefined {
  const k = stateOf(fc, recv);
  if (k) return { kind: 'state', key: k };
  const t = deref(fc.res.typeOf(recv));
  // b.Wait() on a type embedding *sync.Cond.
  if (t.kind === 'named' && !(t.pkg === 'sync' && t.name === 'Cond')) return t.pkg === fc.facts.pkg.importPath ? { kind: 'embedded', type: t.name } : undefined;
  const x = unparen(recv);
  const v = x.type === 'identifier' ? fc.res.uses.get(x) : undefined;
  return v ? { kind: 'local', v } : undefined;
}

export function sameCond(a: CondId, b: CondId): boolean {
  // `w.Broadcast()` through a promoted method is a call on the embedded field `w.Cond`
  // (Go spec, "Selectors": the shallowest field or method).
  if (a.kind === 'embedded' && b.kind === 'state') return b.key.kind === 'field' && b.key.type === a.type && b.key.field === 'Cond';
  if (b.kind === 'embedded' && a.kind === 'state') return sameCond(b, a);
  if (a.kind === 'state') return b.kind === 'state' && stateName(a.key) === stateName(b.key) && (a.key.kind !== 'global' || (b.key.kind === 'global' && a.key.obj === b.key.obj));
  if (a.kind === 'local') return b.kind === 'local' && a.v === b.v;
  return b.kind === 'embedded' && a.type === b.type;
}

/** A function that signals the Cond: the function node, its FuncCtx and the Signal/Broadcast calls in it. */
export interface Signaller {
  fn: Node;
  fc: FuncCtx;
  calls: Node[];
}

/** Every function of the package (or, for a local Cond, of the declaration) that calls Signal or Broadcast on the same Cond. */
export function signallersOf(facts: PackageFacts, fc: FuncCtx, id: CondId): Signaller[] | undefined {
  const out = new Map<Node, Signaller>();
  const decls = id.kind === 'local' ? [{ decl: fc.decl, file: fc.file }] : [...facts.pkg.funcDecls, ...facts.pkg.varDecls];
  for (const { decl, file } of decls) {
    if (!/\.(?:Signal|Broadcast)\(\)/.test(file.text.slice(decl.start, decl.end))) continue;
    const sfc = facts.funcCtx(decl, file);
    walk(decl, (m) => {
      if (m.type !== 'call_expression') return;
      const f = field(m, 'function');
      const name = f?.type === 'selector_expression' ? sfc.text(field(f, 'field') ?? f) : '';
      if (name !== 'Signal' && name !== 'Broadcast') return;
      const c = sfc.res.callee(m);
      if (c.kind !== 'method' || c.method.pkg !== 'sync' || c.method.recvType !== 'Cond') return;
      const sid = condIdentity(sfc, c.recv);
      if (!sid || !sameCond(id, sid)) return;
      const fn = sfc.res.enclosingFunc(m);
      const s = out.get(fn) ?? { fn, fc: sfc, calls: [] };
      s.calls.push(m);
      out.set(fn, s);
    });
  }
  return [...out.values()];
}


const COND_METHODS = new Set(['Wait', 'Signal', 'Broadcast']);

/**
 * Why code this analysis does not see may signal the Cond `id` (or undefined when every
 * use is visible): an exported field or variable of a library package, a Cond embedded in
 * a type, or a use other than calling Wait/Signal/Broadcast on it, reading its `L`, or
 * assigning it (`s.cond = sync.NewCond(&s.mu)`): passed to a function, stored elsewhere,
 * a method value (`time.AfterFunc(d, c.Broadcast)`).
 */
export function condEscapes(facts: PackageFacts, fc: FuncCtx, id: CondId): string | undefined {
  if (id.kind === 'embedded') return 'it is embedded in a type';
  // The embedded field itself (`w.Cond.Wait()`): its methods are promoted to the type, so
  // any use of a value of the type may reach it.
  if (id.kind === 'state' && id.key.kind === 'field' && id.key.field === 'Cond') return 'it is embedded in a type';
  const lib = facts.pkg.name !== 'main';
  if (id.kind === 'state') {
    const k = id.key;
    if (lib && k.kind === 'field' && /^[A-Z]/.test(k.type) && /^[A-Z]/.test(k.field)) return `${stateName(k)} is exported`;
    if (lib && k.kind === 'global' && /^[A-Z]/.test(k.obj.name)) return `${k.obj.name} is exported`;
  }
  const word = id.kind === 'state' ? (id.key.kind === 'field' ? id.key.field : id.key.obj.name) : id.v.name;
  const decls = id.kind === 'local' ? [{ decl: fc.decl, file: fc.file }] : [...facts.pkg.funcDecls, ...facts.pkg.varDecls];
  let why: string | undefined;
  for (const { decl, file } of decls) {
    if (why) break;
    if (!file.text.slice(decl.start, decl.end).includes(word)) continue;
    const ufc = facts.funcCtx(decl, file);
    walk(decl, (m) => {
      if (why) return false;
      if (m.type !== 'selector_expression' && m.type !== 'identifier') return;
      if (m.type === 'identifier' && m.parent?.type === 'selector_expression' && field(m.parent, 'field') === m) return;
      if (ufc.text(m).replace(/\s+/g, '').split('.').pop() !== word) return;
      const mid = m.type === 'identifier' && id.kind === 'local' ? (ufc.res.uses.get(m) === id.v ? id : undefined) : condIdentity(ufc, m);
      if (!mid || !sameCond(id, mid)) return;
      if (!condUseVisible(ufc, m)) why = `it is used at ${file.path.split('/').pop() ?? ''}:${file.line(m.start)} in a way the analysis does not follow`;
      return false;
    });
  }
  return why;
}

/** A use of a Cond expression that cannot signal it out of sight: a Wait/Signal/Broadcast call on it, its L, its assignment or declaration. */
function condUseVisible(fc: FuncCtx, e: Node): boolean {
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'selector_expression' && field(p, 'operand') === e) {
    const name = fc.text(field(p, 'field') ?? p);
    if (name === 'L') return true;
    return COND_METHODS.has(name) && p.parent?.type === 'call_expression' && field(p.parent, 'function') === p;
  }
  // The left side of an assignment or declaration.
  if (p.type === 'expression_list' && (p.parent?.type === 'assignment_statement' || p.parent?.type === 'short_var_declaration') && p.parent.children[0] === p) return true;
  if (p.type === 'var_spec') return true;
  return false;
}
