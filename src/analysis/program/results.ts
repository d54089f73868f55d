/**
 * @fileoverview Results that carry an obligation: a function that starts a goroutine and
 * returns the only handle that can ever release it (the channel it sends on, a struct
 * whose field holds that channel or the cancel function of the context it waits on).
 * Rules find such functions on the model; this module answers the caller side — does
 * some caller lose the handle on a path (drops the result, or keeps it in a local that a
 * path to a return never mentions again)?
 */
import { cfgNodeOf, findEscapingPath } from '../../go/cfg.js';
import { field, named, walk, type Node } from '../../go/syntax.js';
import type { FuncCtx } from '../pass.js';
import type { SourceFile } from '../../go/source.js';
import type { CallSite, FuncNode, ProgramModel } from './index.js';

/** Where a caller loses a call's result: the call site, and the return (or the body, for falling off the end) of the path; `ret` is undefined when the result is dropped as a statement. */
export interface DroppedResult {
  cs: CallSite;
  ret?: Node;
}

/**
 * Where caller `cs` loses the result of its call: dropped as a statement (`ret`
 * undefined), or assigned to a local (`x := F()`, `var x = F()`, `x = F()`) that some
 * path from the call to a return never mentions again — any later mention (a receive, a
 * method call, passing or storing it, a deferred closure using it) counts as keeping it.
 * Returning from `main.main` ends the process and loses nothing.
 */
export function droppedResult(cs: CallSite): DroppedResult | undefined {
  if (cs.mode !== 'call') return undefined;
  const parent = cs.call.parent;
  if (parent?.type === 'expression_statement') return { cs };
  const fc = cs.from.fc;
  if (cs.from.node === fc.decl && fc.facts.pkg.name === 'main' && fc.name === 'main' && fc.decl.type === 'function_declaration') return undefined;
  const stmt = parent?.type === 'expression_list' ? parent.parent : undefined;
  if (!stmt || named(parent as Node).length !== 1) return undefined;
  let ids: readonly Node[] = [];
  if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') {
    const lhs = field(stmt, 'left');
    ids = lhs ? (lhs.type === 'expression_list' ? named(lhs) : [lhs]) : [];
  } else if (stmt.type === 'var_spec') ids = stmt.children.filter((c) => c.field === 'name');
  const id = ids.length === 1 ? ids[0] : undefined;
  if (!id || id.type !== 'identifier') return undefined;
  const v = fc.res.defs.get(id) ?? fc.res.uses.get(id);
  if (!v || v.kind !== 'var' || v.name === '_') return undefined;
  const refs = (fc.res.refs.get(v) ?? []).filter((r) => r !== id);
  const g = fc.cfg(cs.from.node);
  const at = g ? cfgNodeOf(g, cs.call) : undefined;
  if (!g || !at) return undefined;
  const path = findEscapingPath(g, at, (n) => refs.some((r) => r.start >= n.start && r.end <= n.end));
  return path ? { cs, ret: path.last ?? field(cs.from.node, 'body') ?? cs.from.node } : undefined;
}

/** `line N` of where a dropped result's path leaves its function: the return, or the closing brace. */
export function droppedAtOffset(d: DroppedResult): number | undefined {
  if (!d.ret) return undefined;
  return d.ret.type === 'return_statement' ? d.ret.start : d.ret.end - 1;
}

/**
 * The name of the package type `F`'s single result is or points to (`*Future[T]`,
 * `Watcher`); undefined when `F` has several results or another result type.
 */
export function resultTypeName(F: FuncNode): string | undefined {
  const res = field(F.node, 'result');
  if (!res || (res.type === 'parameter_list' && named(res).length !== 1)) return undefined;
  return typeNameOf(F.fc, res.type === 'parameter_list' ? field(named(res)[0] as Node, 'type') : res);
}

/** True when `F` declares exactly one result. */
export function singleResult(F: FuncNode): boolean {
  const res = field(F.node, 'result');
  return !!res && (res.type !== 'parameter_list' || (named(res).length === 1 && named(named(res)[0] as Node).filter((c) => c.field === 'name').length <= 1));
}

function typeNameOf(fc: FuncCtx, t: Node | undefined): string | undefined {
  if (t?.type === 'pointer_type') t = named(t)[0];
  if (t?.type === 'generic_type') t = field(t, 'type') ?? named(t)[0];
  return t?.type === 'type_identifier' ? fc.text(t) : undefined;
}

/** The type name of a field key `f:pkg/path.Type.field`. */
export function fieldOwner(key: string): string {
  const k = key.slice(0, key.lastIndexOf('.'));
  return k.slice(k.lastIndexOf('.') + 1);
}

/** True when every struct-field location of the class belongs to type `T`, and no package variable holds it: the only way to it from outside is a value of `T`. */
export function onlyFieldsOf(keys: string[], T: string): boolean {
  const fieldKeys = keys.filter((k) => k.startsWith('f:'));
  return fieldKeys.length > 0 && fieldKeys.every((k) => fieldOwner(k) === T) && !keys.some((k) => k.startsWith('g:'));
}

/** The first of `callers` (the model's call sites of one function) that loses the result, if any. */
export function firstDropped(callers: CallSite[]): DroppedResult | undefined {
  for (const cs of callers) {
    const d = droppedResult(cs);
    if (d) return d;
  }
  return undefined;
}

/**
 * The direct calls of `F` in the package: the model's call sites, plus those in
 * functions the model did not scan (opaque: nothing in their text touches a concurrency
 * object, but they may still call `F` and drop what it returns). The opaque ones are
 * found by name in their text and confirmed by resolving the call.
 */
export function directCallers(m: ProgramModel, F: FuncNode, withDefers = false): CallSite[] {
  const out = m.callersOf(F).filter((cs) => cs.mode === 'call' || (withDefers && cs.mode === 'defer'));
  const known = new Set(out.map((cs) => cs.call));
  const bare = F.name.slice(F.name.lastIndexOf('.') + 1);
  for (const { fn } of opaqueCallersByName(m).get(bare) ?? []) {
    walk(fn.node, (n) => {
      if (n.type !== 'call_expression') return;
      const c = fn.fc.res.callee(n);
      const decl = c.kind === 'func' ? c.obj.node : c.kind === 'method' ? c.method.decl : undefined;
      if (decl !== F.node || known.has(n)) return;
      const from = m.funcOf(enclosingFuncNode(n) ?? fn.node) ?? fn;
      const deferred = n.parent?.type === 'defer_statement';
      if (deferred && !withDefers) return;
      out.push({ call: n, from, kind: 'static', targets: [F], complete: true, mode: deferred ? 'defer' : 'call' });
    });
  }
  return out;
}

/** Per model: the names each unscanned (opaque) declaration calls (`name(` or `name[`), read once from the source text. */
const opaqueIndex = new WeakMap<ProgramModel, Map<string, Array<{ fn: FuncNode; file: SourceFile }>>>();

function opaqueCallersByName(m: ProgramModel): Map<string, Array<{ fn: FuncNode; file: SourceFile }>> {
  let idx = opaqueIndex.get(m);
  if (idx) return idx;
  idx = new Map();
  for (const { decl, file } of m.packageDecls()) {
    const fn = m.funcOf(decl);
    if (!fn?.opaque) continue;
    const seen = new Set<string>();
    for (const x of file.text.slice(decl.start, decl.end).matchAll(/\b([A-Za-z_]\w*)\s*[([]/g)) {
      const w = x[1] as string;
      if (seen.has(w)) continue;
      seen.add(w);
      const l = idx.get(w) ?? [];
      l.push({ fn, file });
      idx.set(w, l);
    }
  }
  opaqueIndex.set(m, idx);
  return idx;
}

function enclosingFuncNode(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return p;
  return undefined;
}
