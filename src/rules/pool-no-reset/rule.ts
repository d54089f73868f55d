/**
 * @fileoverview pool-no-reset: a value taken from a sync.Pool is used before it is
 * reset, while the pool's Puts return values without resetting them (seed §4.3: "b.Reset()
 * 必须重置,否则内容累积"). The user then sees the previous user's bytes (wrong output,
 * data leaking between requests) and appends to them, so pooled buffers keep growing.
 *
 * Model: a pool is clean when every `Put(x)` in the package resets `x` before putting
 * it back (`x.Reset()`, `x = x[:0]`, `Put(x[:0])`), or when every Get side resets before
 * the first use. A Get is reported when its value's first use (a method call other than
 * Reset/Truncate, an append, or passing it to another package's function such as
 * fmt.Fprintf or json.NewEncoder) comes before any reset and the pool has at least one
 * Put that does not reset. Only `*bytes.Buffer`, `*strings.Builder`, `[]T` and `*[]T`
 * values are followed; when the first use is anything else (returned, passed to a
 * same-package helper, used in a condition) the rule stays silent.
 */
import type { FuncCtx } from '../../analysis/pass.js';
import { poolCalls, poolFunctions, type PoolCall } from '../../analysis/poolfacts.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { field, unparen, walk, type Node } from '../../go/syntax.js';
import { deref, isNamed, underlying, type Type } from '../../go/types.js';

interface PutSite {
  fc: FuncCtx;
  pc: PoolCall;
}

export default createRule({
  id: 'pool-no-reset',
  severity: 'warning',
  since: '0.2.0',
  category: 'memory',
  description: 'A sync.Pool value is used without being reset, and the pool gets values back without a reset either.',
  help:
    'Reset pooled values on one side consistently: call b.Reset() (or s = s[:0]) right after Get, or before every Put. Otherwise each user appends to the previous user\'s data: wrong output, data leaking between requests, and buffers that keep growing.',
  // A Get whose value is asserted (`p.Get().(T)`) or a Put.
  triggers: /\.Get\(\)\.\(|\.Put\(|\bsync\.Pool\b/,
  run(pass) {
    const fcs = poolFunctions(pass);
    const calls = new Map<FuncCtx, PoolCall[]>();
    const dirtyPuts = new Map<string, PutSite[]>();
    for (const fc of fcs) {
      const pcs = poolCalls(fc);
      calls.set(fc, pcs);
      for (const pc of pcs) {
        if (pc.kind !== 'Put' || !pc.key || !pc.arg) continue;
        if (resetBeforePut(fc, pc) || returnsHeaderAsTaken(fc, pc, pcs)) continue;
        const l = dirtyPuts.get(pc.key) ?? [];
        l.push({ fc, pc });
        dirtyPuts.set(pc.key, l);
      }
    }
    for (const fc of fcs) {
      for (const pc of calls.get(fc) ?? []) {
        if (pc.kind !== 'Get' || !pc.key || !pc.target) continue;
        const dirty = dirtyPuts.get(pc.key)?.[0];
        if (!dirty) continue;
        const x = pc.target;
        const kind = resettable(fc.res.varType(x));
        if (!kind) continue;
        const use = firstUse(fc, pc.call, x, kind);
        if (!use) continue;
        const putLine = dirty.fc.file.line(dirty.pc.call.start);
        const putWhere = dirty.fc.file === fc.file ? `line ${putLine}` : `${dirty.fc.file.path.split('/').pop() ?? ''}:${putLine}`;
        const resetCall = kind === 'slice' ? `${x.name} = ${x.name}[:0]` : `${x.name}.Reset()`;
        pass.report({
          node: use,
          file: fc.file,
          message: `"${x.name}" from ${fc.text(pc.pool)}.Get() at line ${fc.file.line(pc.call.start)} is used at line ${fc.file.line(use.start)} before ${resetCall}, and ${fc.text(dirty.pc.call)} at ${putWhere} puts values back without resetting them: ${x.name} still holds the previous user's data, which this use ${kind === 'slice' ? 'appends to' : 'writes after or reads'} (and keeps growing)`,
          fixHint: `call ${resetCall} right after the Get at line ${fc.file.line(pc.call.start)} (or reset before every Put)`,
          related: [{ file: dirty.fc.file.path, range: dirty.fc.file.range(dirty.pc.call), message: 'Put without a reset' }],
        });
      }
    }
  },
});

/** 'buffer' (*bytes.Buffer, *strings.Builder) or 'slice' ([]T, *[]T). */
function resettable(t: Type): 'buffer' | 'slice' | undefined {
  if (t.kind === 'pointer' && (isNamed(t.elem, 'bytes', 'Buffer') || isNamed(t.elem, 'strings', 'Builder'))) return 'buffer';
  return underlying(deref(t)).kind === 'slice' ? 'slice' : undefined;
}

/** True when the Put's argument is reset in its function before the Put (or truncated in the call). */
function resetBeforePut(fc: FuncCtx, pc: PoolCall): boolean {
  const arg = unparen(pc.arg as Node);
  const argText = fc.text(arg).replace(/\s+/g, '');
  if (/\[:0\]\)?$/.test(argText)) return true;
  const name = argText.replace(/^[&*]/, '');
  if (!/^[\w.]+$/.test(name)) return true; // cannot tell: assume clean (precision first)
  const q = name.replace(/\./g, '\\.');
  const fn = fc.res.enclosingFunc(pc.call);
  const before = fc.file.text.slice(fn.start, pc.call.start);
  return new RegExp(`\\b${q}\\.(?:Reset|Truncate)\\(|\\(?\\*?${q}\\)?\\s*=[^=][^\\n]*\\[:0\\]`).test(before);
}

/**
 * True when the Put gives back a pointer to a slice (`*[]T`) that this function took from
 * the same pool and never wrote the slice header through: every other mention of the
 * pointer reads `*p` (`b := append(*p, ...)`, `len(*p)`), none assigns `*p` or `p`, takes
 * its address or hands `p` to anything but the pool's Put. Appending to the copy `b` may
 * write into the shared array but leaves `*p`'s length as it was, so such a Put returns
 * exactly the header its Get returned and makes no pooled value longer: it is not a Put
 * without a reset (the pooled headers stay as `New` made them unless another Put writes them).
 */
function returnsHeaderAsTaken(fc: FuncCtx, put: PoolCall, pcs: PoolCall[]): boolean {
  const arg = unparen(put.arg as Node);
  if (arg.type !== 'identifier') return false;
  const v = fc.res.uses.get(arg);
  if (!v) return false;
  const t = fc.res.varType(v);
  if (t.kind !== 'pointer' || underlying(t.elem).kind !== 'slice') return false;
  if (!pcs.some((g) => g.kind === 'Get' && g.key === put.key && g.target === v)) return false;
  const putArgs = new Set(pcs.filter((c) => c.kind === 'Put' && c.key === put.key && c.arg).map((c) => unparen(c.arg as Node)));
  for (const r of fc.res.refs.get(v) ?? []) {
    if (r === v.ident || putArgs.has(r)) continue;
    // A read of the header: `*p` that is neither assigned nor has its address taken.
    let u: Node = r;
    while (u.parent?.type === 'parenthesized_expression') u = u.parent;
    const star = u.parent;
    if (star?.type !== 'unary_expression' || fc.text(field(star, 'operator') ?? star) !== '*') return false;
    let e: Node = star;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    const above = e.parent;
    if (above?.type === 'unary_expression' && fc.text(field(above, 'operator') ?? above) === '&') return false;
    for (let a: Node | null | undefined = e; a; a = a.parent) {
      const p: Node | null | undefined = a.parent;
      if (!p) break;
      // `*p = ...`, `(*p)[i] = ...` (the assigned expressions are under the statement's left list).
      if (p.type === 'assignment_statement' && field(p, 'left') === a) return false;
      if (p.type === 'block' || p.type === 'statement_list') break;
    }
  }
  return true;
}

/**
 * The first statement after the Get that uses `x` before resetting it, or undefined
 * when the first statement mentioning `x` resets it, or is something we cannot judge.
 */
function firstUse(fc: FuncCtx, get: Node, x: LocalVar, kind: 'buffer' | 'slice'): Node | undefined {
  let stmt: Node | undefined = get;
  while (stmt && stmt.parent && stmt.parent.type !== 'statement_list') stmt = stmt.parent;
  const list = stmt?.parent;
  if (!stmt || !list) return undefined;
  const refs = fc.res.refs.get(x) ?? [];
  const idx = list.children.indexOf(stmt);
  for (const s of list.children.slice(idx + 1)) {
    if (!s.named || s.type === 'comment') continue;
    const mine = refs.filter((r) => r.start >= s.start && r.end <= s.end);
    if (mine.length === 0) continue;
    const text = fc.text(s).replace(/\s+/g, ' ');
    if (s.type === 'defer_statement' && /\.Put\(/.test(text)) continue; // the deferred Put runs at return
    const q = x.name;
    // Resets and reassignments.
    if (new RegExp(`^${q}\\.(?:Reset|Truncate)\\(`).test(text)) return undefined;
    if (s.type === 'assignment_statement' || s.type === 'short_var_declaration') {
      if (/\[:0\]/.test(text)) return undefined;
      const left = field(s, 'left');
      const assignsX = left && mine.some((r) => r.start >= left.start && r.end <= left.end);
      if (assignsX && !new RegExp(`\\bappend\\(\\s*\\(?\\*?${q}\\b`).test(text)) return undefined;
    }
    if (s.type !== 'expression_statement' && s.type !== 'assignment_statement' && s.type !== 'short_var_declaration') return undefined;
    return isUse(fc, s, mine, kind) ? s : undefined;
  }
  return undefined;
}

/** Whether a simple statement reads or writes the pooled value through `refs`. */
function isUse(fc: FuncCtx, s: Node, refs: Node[], kind: 'buffer' | 'slice'): boolean {
  let use = false;
  walk(s, (n) => {
    if (use || n.type === 'func_literal') return false;
    if (n.type !== 'call_expression') return;
    const f = unparen(field(n, 'function') ?? n);
    const args = field(n, 'arguments')?.children.filter((c) => c.named && c.type !== 'comment') ?? [];
    const argIsX = (a: Node | undefined): boolean => {
      if (!a) return false;
      const u = unparen(a.type === 'unary_expression' ? (field(a, 'operand') ?? a) : a);
      return refs.includes(unparen(u));
    };
    if (kind === 'buffer' && f.type === 'selector_expression') {
      const op = field(f, 'operand');
      const name = fc.text(field(f, 'field') ?? f);
      if (op && refs.includes(unparen(op)) && name !== 'Reset' && name !== 'Truncate') use = true;
      // Passed to another package's function (fmt.Fprintf(b, ...), json.NewEncoder(b)).
      else if (op && fc.res.importOf(op) && args.some(argIsX)) use = true;
    }
    if (kind === 'slice' && f.type === 'identifier' && fc.text(f) === 'append' && argIsX(args[0])) use = true;
  });
  return use;
}
