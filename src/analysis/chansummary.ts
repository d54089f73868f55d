/**
 * @fileoverview The fate of a local channel: every place that sends on it, closes it or
 * receives from it — in the making function, in its closures and goroutines, and in the
 * same-package helpers it is passed to — and whether it escapes where we cannot follow.
 * Used by blocked-receive, range-never-closed and abandoned-sender.
 *
 * Precision first: a reference we do not understand (stored, returned, passed to another
 * package such as `signal.Notify(ch, ...)`, sent on another channel, address taken,
 * re-assigned) makes the channel `escapes`, and the rules stay silent about it.
 */
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, named, unparen, type Node } from '../go/syntax.js';
import { deref } from '../go/types.js';
import { callArgs, chanUses, paramSummary, paramVars, summarizeVar, type ChanUse, type ParamSummary } from './chanfacts.js';
import type { FuncCtx } from './pass.js';

/** Everything that can wake a receiver of a local channel, and what can consume it. */
export interface ChanFate {
  uses: ChanUse[];
  /** Plain and guarded sends written in this declaration (the function or its literals). */
  sends: ChanUse[];
  /** `close(ch)` calls written in this declaration. */
  closes: ChanUse[];
  /** Receives (`<-ch`, `v, ok := <-ch`, select cases) and `range ch` in this declaration. */
  receives: ChanUse[];
  /** Calls that pass the channel to a same-package function that sends on it. */
  helperSends: ChanUse[];
  /** Calls that pass the channel to a same-package function that closes it. */
  helperCloses: ChanUse[];
  /** Calls that pass the channel to a same-package function that receives from it. */
  helperReceives: ChanUse[];
  /** Some reference is not understood: the channel may be used where we cannot see. */
  escapes: boolean;
}

/** What a call that receives the channel as an argument does with it. */
export function argSummary(fc: FuncCtx, u: ChanUse): ParamSummary | undefined {
  const call = u.op;
  const args = callArgs(call);
  const idx = args.findIndex((a) => unparen(a) === u.ref);
  if (idx < 0) return undefined;
  // `f(xs...)`: a variadic spread is not a plain parameter position.
  const argList = field(call, 'arguments');
  if (argList && argList.children.some((c) => c.type === 'variadic_argument')) return undefined;
  const c = fc.res.callee(call);
  if (c.kind === 'literal') {
    const pv = paramVars(fc, c.fn)[idx];
    return pv ? summarizeVar(fc, pv, c.fn) : undefined;
  }
  const decl = c.kind === 'func' && c.obj.pkg === fc.facts.pkg && c.obj.kind === 'func' ? c.obj.node : c.kind === 'method' && c.method.pkg === fc.facts.pkg.importPath ? c.method.decl : undefined;
  if (!decl || (decl.type !== 'function_declaration' && decl.type !== 'method_declaration')) return undefined;
  // A variadic parameter receives a slice, not the channel.
  const pl = field(decl, 'parameters');
  if (pl && named(pl).some((p) => p.type === 'variadic_parameter_declaration')) return undefined;
  return paramSummary(fc.facts, decl, idx);
}

/** Collects the fate of local channel variable `v` (memoised per FuncCtx and variable). */
export function chanFate(fc: FuncCtx, v: LocalVar): ChanFate {
  return fc.facts.memo(`chan-fate:${fc.file.path}:${v.ident.start}`, () => computeFate(fc, v));
}

function computeFate(fc: FuncCtx, v: LocalVar): ChanFate {
  const f: ChanFate = { uses: [], sends: [], closes: [], receives: [], helperSends: [], helperCloses: [], helperReceives: [], escapes: false };
  f.uses = chanUses(fc, v);
  for (const u of f.uses) {
    switch (u.kind) {
      case 'send':
      case 'guarded-send':
        f.sends.push(u);
        break;
      case 'close':
        f.closes.push(u);
        break;
      case 'recv':
      case 'range':
        f.receives.push(u);
        break;
      case 'lencap':
      case 'make':
        break;
      case 'arg': {
        const s = argSummary(fc, u);
        if (!s || s.escapes) {
          f.escapes = true;
          break;
        }
        if (s.sends.length > 0 || (s.guardedSends ?? 0) > 0) f.helperSends.push(u);
        if (s.closes) f.helperCloses.push(u);
        if (s.receives) f.helperReceives.push(u);
        break;
      }
      default:
        f.escapes = true;
    }
  }
  return f;
}

/** True when nothing in the fate can ever wake a receiver: no send and no close anywhere. */
export function neverWoken(f: ChanFate): boolean {
  return !f.escapes && f.sends.length === 0 && f.closes.length === 0 && f.helperSends.length === 0 && f.helperCloses.length === 0;
}

/** True when nothing in the fate closes the channel (sends may exist). */
export function neverClosed(f: ChanFate): boolean {
  return !f.escapes && f.closes.length === 0 && f.helperCloses.length === 0;
}

/**
 * The select statement whose case communication is receive `op` (`case <-ch:`,
 * `case v, ok := <-ch:`), or undefined when the receive is not a select case.
 */
export function selectOfRecv(op: Node): Node | undefined {
  let p = op.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  if (p?.type !== 'receive_statement') return undefined;
  const cc = p.parent;
  if (cc?.type !== 'communication_case' || field(cc, 'communication') !== p) return undefined;
  return cc.parent?.type === 'select_statement' ? cc.parent : undefined;
}

/** The communication cases and default cases of a select statement. */
export function selectCases(sel: Node): Node[] {
  return sel.children.filter((c) => c.type === 'communication_case' || c.type === 'default_case');
}

/**
 * Function literals in `fn` that run as goroutines: `go func(){...}()` directly, or a
 * local closure variable used only as `go f(...)`. Maps literal → its go statements.
 */
export function goroutineClosures(fc: FuncCtx, fn: Node): Map<Node, Node[]> {
  return fc.facts.memo(`go-closures:${fc.file.path}:${fn.start}`, () => {
    const out = new Map<Node, Node[]>();
    for (const lit of fc.res.funcs) {
      if (lit === fn || lit.type !== 'func_literal') continue;
      const call = lit.parent;
      if (call?.type === 'call_expression' && field(call, 'function') === lit && call.parent?.type === 'go_statement') {
        if (fc.res.enclosingFunc(call) === fn) out.set(lit, [call.parent]);
        continue;
      }
      // searchReplica := func(i int) { c <- ... }; go searchReplica(i)
      const decl = lit.parent?.type === 'expression_list' ? lit.parent.parent : undefined;
      if (decl?.type !== 'short_var_declaration') continue;
      const left = named(field(decl, 'left') ?? decl);
      const right = named(field(decl, 'right') ?? decl);
      const idx = right.indexOf(lit);
      const id = left[idx];
      const cv = id ? fc.res.defs.get(id) : undefined;
      if (!cv || cv.func !== fn) continue;
      const gos: Node[] = [];
      let onlyGo = true;
      for (const ref of fc.res.refs.get(cv) ?? []) {
        const call2 = ref.parent;
        if (call2?.type === 'call_expression' && field(call2, 'function') === ref && call2.parent?.type === 'go_statement') gos.push(call2.parent);
        else onlyGo = false;
      }
      if (onlyGo && gos.length > 0) out.set(lit, gos);
    }
    return out;
  });
}

/** True when `n` is inside a `defer` statement (directly or in a deferred literal) below `fn`. */
export function inDefer(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'defer_statement') return true;
  return false;
}

/** The function a channel argument is passed to, and its parameter variable. */
export interface CalleeParam {
  /** FuncCtx holding the callee's body (the caller's own for a function literal). */
  fc: FuncCtx;
  /** The callee: a same-package declaration or a function literal. */
  fn: Node;
  param: LocalVar;
  /** For messages: `worker`, `T.method`, or `the function literal`. */
  name: string;
}

/**
 * For an `arg` use (`go worker(ch)`, `go func(c chan T){...}(ch)`), the same-package callee
 * and the parameter that receives the channel; undefined for other packages, variadic
 * calls and anything not resolved.
 */
export function calleeParam(fc: FuncCtx, u: ChanUse): CalleeParam | undefined {
  const call = u.op;
  const idx = callArgs(call).findIndex((a) => unparen(a) === u.ref);
  const argList = field(call, 'arguments');
  if (idx < 0 || (argList && argList.children.some((c) => c.type === 'variadic_argument'))) return undefined;
  const c = fc.res.callee(call);
  if (c.kind === 'literal') {
    const param = paramVars(fc, c.fn)[idx];
    return param ? { fc, fn: c.fn, param, name: 'the function literal' } : undefined;
  }
  const decl = c.kind === 'func' && c.obj.pkg === fc.facts.pkg && c.obj.kind === 'func' ? c.obj.node : c.kind === 'method' && c.method.pkg === fc.facts.pkg.importPath ? c.method.decl : undefined;
  if (!decl) return undefined;
  const hfc = fc.facts.funcCtxOfDecl(decl);
  const param = hfc ? paramVars(hfc, decl)[idx] : undefined;
  return hfc && param ? { fc: hfc, fn: decl, param, name: hfc.name } : undefined;
}

/** `T{f: make(chan ...)}` / `&T[X]{f: make(...)}` / `x.f = make(...)` with T a named type of this package. */
export function ownerOfMake(fc: FuncCtx, mk: Node): { type: string; field: string } | undefined {
  const lv = mk.parent;
  if (lv?.type === 'literal_element' && lv.field === 'value' && lv.parent?.type === 'keyed_element') {
    const key = field(lv.parent, 'key');
    const lit = lv.parent.parent?.type === 'literal_value' ? lv.parent.parent.parent : undefined;
    if (!key || lit?.type !== 'composite_literal') return undefined;
    const t = deref(fc.res.typeOf(lit));
    return t.kind === 'named' && t.pkg === fc.facts.pkg.importPath ? { type: t.name, field: fc.text(key) } : undefined;
  }
  if (lv?.type === 'expression_list' && lv.field === 'right' && lv.parent?.type === 'assignment_statement') {
    const rights = named(lv);
    const lefts = exprList(field(lv.parent, 'left'));
    const l = lefts[rights.indexOf(mk)];
    const sel = l ? unparen(l) : undefined;
    const operand = sel?.type === 'selector_expression' ? field(sel, 'operand') : undefined;
    if (!sel || !operand) return undefined;
    const t = deref(fc.res.typeOf(operand));
    return t.kind === 'named' && t.pkg === fc.facts.pkg.importPath ? { type: t.name, field: fc.text(field(sel, 'field') ?? sel) } : undefined;
  }
  return undefined;
}

/**
 * Text check over every file of the package: each `.f` is a send, a receive, a range, a
 * len/cap or an assignment of a new make; each `f:` key is given a make; no positional
 * literal of the owning type. Anything else (including `close(x.f)`) returns false.
 */
export function fieldOnlyUsedAsChannel(texts: string[], typeName: string, f: string): boolean {
  const sel = new RegExp(`\\.${f}\\b`, 'g');
  const key = new RegExp(`(?<![\\w.])${f}\\s*:(?!=)`, 'g');
  const lit = new RegExp(`\\b${typeName}(?:\\[[^\\]{}]*\\])?\\{`, 'g');
  for (const text of texts) {
    // A positional literal `T{make(chan int), f}` sets the field without naming it.
    for (const m of text.matchAll(lit)) {
      const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 80).trimStart();
      if (!rest.startsWith('}') && !/^\w+\s*:/.test(rest)) return false;
    }
    for (const m of text.matchAll(sel)) {
      const before = text.slice(Math.max(0, m.index - 80), m.index);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
      const ok =
        (/\brange\s+[\w.]*$/.test(before) && /^\s*\{/.test(after)) ||
        /^\s*<-/.test(after) ||
        // a unary receive (`v := <-x.f`, `case <-x.f:`), not `ch <- x.f` (sending the channel on)
        /(?:(?:^|[^\w)\]}\s])\s*|\bcase\s+)<-\s*[\w.]*$/.test(before) ||
        (/\b(?:len|cap)\(\s*[\w.]*$/.test(before) && /^\s*\)/.test(after)) ||
        /^\s*=\s*make\(\s*(?:<-\s*)?chan\b/.test(after);
      if (!ok) return false;
    }
    for (const m of text.matchAll(key)) {
      if (!/^\s*make\(\s*(?:<-\s*)?chan\b/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 40))) return false;
    }
  }
  return true;
}
