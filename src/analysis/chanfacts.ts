/**
 * @fileoverview Channel facts shared by the channel rules: where a local channel is
 * made and with what capacity, how each of its references uses it (send, receive,
 * range, close, len/cap, or an escape), and per-function summaries of what a
 * same-package function does with a channel parameter.
 *
 * Precision first: any use we do not understand is an escape, and rules stay silent
 * about escaped channels.
 */
import { cfgNodeOf, reaches, type Block, type CFG } from '../go/cfg.js';
import type { LocalVar } from '../go/resolve.js';
import { enclosingFunc, exprList, field, named, unparen, type Node } from '../go/syntax.js';
import { chanOf } from '../go/types.js';
import type { FuncCtx, PackageFacts } from './pass.js';
import { knownInt } from './values.js';

export { runCount } from './values.js';

/** How one reference to a channel variable uses it. */
export type ChanUseKind = 'send' | 'guarded-send' | 'recv' | 'range' | 'close' | 'lencap' | 'make' | 'arg' | 'escape';

export interface ChanUse {
  kind: ChanUseKind;
  /** The identifier. */
  ref: Node;
  /** The send statement, receive expression, range clause, call... */
  op: Node;
  /** Function (declaration or literal) the reference is in. */
  func: Node;
}

/** A channel made by `make(chan T[, n])` and assigned to a local variable. */
export interface LocalChan {
  v: LocalVar;
  make: Node;
  /** Capacity when the function fixes it (a constant, a local assigned once, a known len); undefined otherwise. */
  capacity: number | undefined;
}

/** If `v` is a local channel initialised with make (and never re-assigned), describes it. */
export function localChan(fc: FuncCtx, v: LocalVar): LocalChan | undefined {
  if (v.kind !== 'var' || !v.init || v.init.count !== 1) return undefined;
  const e = unparen(v.init.expr);
  if (e.type !== 'call_expression') return undefined;
  const c = fc.res.callee(e);
  if (c.kind !== 'builtin' || c.name !== 'make') return undefined;
  const args = named(field(e, 'arguments') ?? e);
  const t = args[0] ? fc.res.typeFromExpr(args[0]) : undefined;
  if (!t || !chanOf(t)) return undefined;
  // `make(chan T, n)` with `n := 4`, `len(xs)` of a literal...: see values.ts.
  const capacity = args[1] ? knownInt(fc, args[1]) : 0;
  return { v, make: e, capacity };
}

/** Classifies every reference to `v` (except its declaration). */
export function chanUses(fc: FuncCtx, v: LocalVar): ChanUse[] {
  const out: ChanUse[] = [];
  for (const ref of fc.res.refs.get(v) ?? []) out.push(classify(fc, ref));
  return out;
}

function classify(fc: FuncCtx, ref: Node): ChanUse {
  const func = enclosingFunc(ref) ?? fc.decl;
  const mk = (kind: ChanUseKind, op: Node): ChanUse => ({ kind, ref, op, func });
  let p = ref.parent;
  let child = ref;
  while (p && p.type === 'parenthesized_expression') {
    child = p;
    p = p.parent;
  }
  if (!p) return mk('escape', ref);
  if (p.type === 'send_statement' && field(p, 'channel') === child) {
    return mk(isGuardedSend(p) ? 'guarded-send' : 'send', p);
  }
  if (p.type === 'unary_expression' && fc.text(p).startsWith('<-')) return mk('recv', p);
  if (p.type === 'range_clause' && field(p, 'right') === child) return mk('range', p);
  if (p.type === 'argument_list' && p.parent?.type === 'call_expression') {
    const call = p.parent;
    const c = fc.res.callee(call);
    if (c.kind === 'builtin') {
      if (c.name === 'close') return mk('close', call);
      if (c.name === 'len' || c.name === 'cap') return mk('lencap', call);
    }
    return mk('arg', call);
  }
  // Assignment to the variable itself (`ch = nil`) is an escape of the made channel.
  return mk('escape', p);
}

/**
 * A send in a select that has another case or a default can always leave; a send as the
 * only case of a select blocks like a plain send.
 */
export function isGuardedSend(send: Node): boolean {
  const cc = send.parent;
  if (cc?.type !== 'communication_case' || field(cc, 'communication') !== send) return false;
  const sel = cc.parent;
  if (!sel) return false;
  return sel.children.filter((c) => c.type === 'communication_case' || c.type === 'default_case').length > 1;
}

/** What a same-package function does with one of its channel parameters. */
export interface ParamSummary {
  /** Unguarded sends on the parameter in the function's own body. */
  sends: Node[];
  /** True when some send is inside a loop (many sends). */
  sendsInLoop: boolean;
  receives: boolean;
  closes: boolean;
  /** Sends in a select with another case or a default (they may or may not happen). */
  guardedSends?: number;
  /** Passed on, stored, captured or otherwise used in a way we do not follow. */
  escapes: boolean;
  fc: FuncCtx;
}

/**
 * Summary of parameter `index` of a same-package function declaration (memoised per
 * package). Undefined when the declaration has no such parameter.
 */
export function paramSummary(facts: PackageFacts, decl: Node, index: number): ParamSummary | undefined {
  return facts.memo(`chan-param:${decl.start}:${facts.pkg.fileOf(decl)?.path}:${index}`, () => {
    const fc = facts.funcCtxOfDecl(decl);
    if (!fc) return undefined;
    const params = paramVars(fc, decl);
    const v = params[index];
    if (!v) return undefined;
    return summarizeVar(fc, v, decl);
  });
}

/** The parameter variables of a function (in order, one per name). */
export function paramVars(fc: FuncCtx, fn: Node): LocalVar[] {
  const out: LocalVar[] = [];
  const pl = field(fn, 'parameters');
  if (!pl) return out;
  for (const p of named(pl)) {
    const names = p.children.filter((c) => c.field === 'name');
    if (names.length === 0) out.push(undefined as unknown as LocalVar);
    for (const n of names) out.push(fc.res.defs.get(n) as LocalVar);
  }
  return out;
}

/** Summarises how the body of `fn` uses channel variable `v`. */
export function summarizeVar(fc: FuncCtx, v: LocalVar, fn: Node): ParamSummary {
  const s: ParamSummary = { sends: [], sendsInLoop: false, receives: false, closes: false, guardedSends: 0, escapes: false, fc };
  for (const u of chanUses(fc, v)) {
    if (u.func !== fn) {
      s.escapes = true;
      continue;
    }
    switch (u.kind) {
      case 'send':
        s.sends.push(u.op);
        if (sendRepeats(fc, fn, u.op)) s.sendsInLoop = true;
        break;
      case 'guarded-send':
        s.guardedSends = (s.guardedSends ?? 0) + 1;
        break;
      case 'lencap':
        break;
      case 'recv':
      case 'range':
        s.receives = true;
        break;
      case 'close':
        s.closes = true;
        break;
      default:
        s.escapes = true;
    }
  }
  return s;
}

/**
 * True when a send inside a loop of `fn` can run again: some path leads from it back to
 * the loop's head (a send followed by `return` or `break` runs at most once).
 */
export function sendRepeats(fc: FuncCtx, fn: Node, send: Node): boolean {
  const loop = enclosingLoop(send, fn);
  if (!loop) return false;
  const g = fc.cfg(fn);
  const head = g?.loopHeads.get(loop);
  if (!g || !head) return true;
  const stmt = cfgNodeOf(g, send);
  return stmt ? reaches(g, stmt, head) : true;
}

/**
 * The largest number of the given send statements that one run of `fn` can execute
 * when none of them repeats (sends on exclusive branches count once). Back edges are
 * ignored, which is exact for sends that are not in a repeating loop.
 */
export function maxSendsPerRun(fc: FuncCtx, fn: Node, sends: Node[]): number {
  const g = fc.cfg(fn);
  if (!g) return sends.length;
  const inBlock = new Map<Block, number>();
  for (const snd of sends) {
    const stmt = cfgNodeOf(g, snd);
    const loc = stmt ? g.where.get(stmt) : undefined;
    if (!loc) return sends.length;
    inBlock.set(loc.block, (inBlock.get(loc.block) ?? 0) + 1);
  }
  const memo = new Map<Block, number>();
  const onStack = new Set<Block>();
  const best = (b: Block): number => {
    const m = memo.get(b);
    if (m !== undefined) return m;
    onStack.add(b);
    let max = 0;
    for (const sb of b.succs) if (!onStack.has(sb)) max = Math.max(max, best(sb));
    onStack.delete(b);
    const v = (inBlock.get(b) ?? 0) + max;
    memo.set(b, v);
    return v;
  };
  return best(g.entry);
}

/** True when some path of `g` leads from just after statement `a` to statement `b`. */
export function nodeReaches(g: CFG, a: Node, b: Node): boolean {
  const la = g.where.get(a);
  const lb = g.where.get(b);
  if (!la || !lb) return true;
  if (la.block === lb.block && la.index < lb.index) return true;
  return reaches(g, a, lb.block);
}

/**
 * The most of the given send statements that one run of `fn` can execute before it
 * reaches `x` (itself one of them): Infinity when `x` or a send that can lead to it runs
 * again in a loop; otherwise the longest path from the entry ignoring back edges. A send
 * on a buffered channel with fewer sends before it than the capacity cannot block.
 */
export function maxSendsBefore(fc: FuncCtx, fn: Node, sends: Node[], x: Node): number {
  const g = fc.cfg(fn);
  const xs = g ? cfgNodeOf(g, x) : undefined;
  const xl = g && xs ? g.where.get(xs) : undefined;
  if (!g || !xs || !xl) return Infinity;
  if (sendRepeats(fc, fn, x)) return Infinity;
  const inBlock = new Map<Block, Node[]>();
  for (const snd of sends) {
    if (snd === x) continue;
    const st = cfgNodeOf(g, snd);
    const loc = st ? g.where.get(st) : undefined;
    if (!st || !loc) return Infinity;
    if (sendRepeats(fc, fn, snd) && nodeReaches(g, st, xs)) return Infinity;
    const l = inBlock.get(loc.block) ?? [];
    l.push(st);
    inBlock.set(loc.block, l);
  }
  const preds = new Map<Block, Block[]>();
  for (const b of g.blocks) for (const s of b.succs) preds.set(s, [...(preds.get(s) ?? []), b]);
  const memo = new Map<Block, number>();
  const onStack = new Set<Block>();
  // Sends on a path from the entry to the end of block b.
  const upTo = (b: Block): number => {
    const m = memo.get(b);
    if (m !== undefined) return m;
    onStack.add(b);
    let max = 0;
    for (const p of preds.get(b) ?? []) if (!onStack.has(p)) max = Math.max(max, upTo(p));
    onStack.delete(b);
    const v = max + (inBlock.get(b)?.length ?? 0);
    memo.set(b, v);
    return v;
  };
  let before = 0;
  for (const p of preds.get(xl.block) ?? []) before = Math.max(before, upTo(p));
  onStack.clear();
  const sameBlock = (inBlock.get(xl.block) ?? []).filter((s) => (g.where.get(s)?.index ?? 0) < xl.index).length;
  return before + sameBlock;
}

/** True when `n` is inside a for statement within function `fn`. */
export function inLoop(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement') return true;
    if (p.type === 'func_literal') return false;
  }
  return false;
}

/** The nearest for statement containing `n` within `fn`. */
export function enclosingLoop(n: Node, fn: Node): Node | undefined {
  let child = n;
  for (let p = n.parent; p && p !== fn; child = p, p = p.parent) {
    // `for x := range <-ch` evaluates its range expression once, before the loop.
    if (p.type === 'for_statement' && !(child.type === 'range_clause' && n !== child && isRangeOperand(child, n))) return p;
    if (p.type === 'func_literal') return undefined;
  }
  return undefined;
}

function isRangeOperand(rc: Node, n: Node): boolean {
  const right = field(rc, 'right');
  return !!right && n.start >= right.start && n.end <= right.end;
}

/** Arguments of a call expression. */
export function callArgs(call: Node): Node[] {
  return exprList(field(call, 'arguments')).flatMap((a) => (a.type === 'argument_list' ? named(a) : [a]));
}
