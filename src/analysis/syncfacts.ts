/**
 * @fileoverview Small shared facts for the sync rules (waitgroup-misuse, the sync.Pool
 * rules, concurrent-map-write, global-registry-growth): classifying calls to `sync`
 * methods by resolved receiver type (never by name), keys that identify "the same
 * object" inside one declaration, and a syntactic "is a lock held here" check.
 */
import type { FuncCtx } from './pass.js';
import type { CFG } from '../go/cfg.js';
import type { LocalVar } from '../go/resolve.js';
import { field, named, unparen, walk, type Node } from '../go/syntax.js';

/** A call to a method of a `sync` type (resolved through the receiver's type). */
export interface SyncCall {
  /** Receiver base type: 'WaitGroup', 'Pool', 'Mutex', 'RWMutex', ... */
  type: string;
  /** Method name: 'Add', 'Done', 'Wait', 'Get', 'Put', 'Lock', ... */
  name: string;
  /** The receiver expression. */
  recv: Node;
  call: Node;
}

/** Classifies `call` as a method of a sync type, or undefined. */
export function syncCall(fc: FuncCtx, call: Node): SyncCall | undefined {
  if (call.type !== 'call_expression') return undefined;
  const c = fc.res.callee(call);
  if (c.kind !== 'method' || c.method.pkg !== 'sync') return undefined;
  return { type: c.method.recvType, name: c.method.name, recv: c.recv, call };
}

/** The local variable at the root of `a.b.c`, `&a`, `*a`, `a[i]`, if any. */
export function rootLocal(fc: FuncCtx, e: Node): LocalVar | undefined {
  const id = rootIdent(e);
  return id ? fc.res.localOf(id) : undefined;
}

/** The identifier at the root of a selector / unary / index chain. */
export function rootIdent(e: Node): Node | undefined {
  let n = unparen(e);
  for (let i = 0; i < 32; i++) {
    if (n.type === 'identifier') return n;
    if (n.type === 'selector_expression' || n.type === 'unary_expression' || n.type === 'index_expression' || n.type === 'slice_expression') {
      const op = field(n, 'operand');
      if (!op) return undefined;
      n = unparen(op);
    } else return undefined;
  }
  return undefined;
}

/**
 * A key for "the same object" within one declaration: the root local's declaration
 * offset (or the package-level name) plus the normalised text (`&wg`, `(wg)` → `wg`).
 * Undefined when the root is neither a local nor a package-level variable.
 */
export function objKey(fc: FuncCtx, e: Node): string | undefined {
  const id = rootIdent(e);
  if (!id) return undefined;
  const text = fc.text(e).replace(/\s+/g, '').replace(/^&/, '').replace(/^\((.*)\)$/, '$1');
  const v = fc.res.localOf(id);
  if (v) return `L${v.ident.start}:${text}`;
  const o = fc.res.pkgObjOf(id);
  if (o?.kind === 'var') return `P${o.pkg.importPath}:${text}`;
  return undefined;
}


/**
 * True when some path of `g` leads from just after statement `from` to statement `to`
 * without passing a node for which `barrier` holds (the `to` node itself is not tested).
 */
export function reachesAvoiding(g: CFG, from: Node, to: Node, barrier: (n: Node) => boolean): boolean {
  const a = g.where.get(from);
  const b = g.where.get(to);
  if (!a || !b) return false;
  const seen = new Set<number>();
  const stack: Array<{ block: typeof a.block; index: number }> = [{ block: a.block, index: a.index + 1 }];
  while (stack.length > 0) {
    const cur = stack.pop() as { block: typeof a.block; index: number };
    let blocked = false;
    for (let i = cur.index; i < cur.block.nodes.length; i++) {
      const n = cur.block.nodes[i] as Node;
      if (n === to) return true;
      if (barrier(n)) {
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    for (const s of cur.block.succs) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      stack.push({ block: s, index: 0 });
    }
  }
  return false;
}

/**
 * True when a `Lock`/`RLock` on a `sync.Mutex`/`sync.RWMutex` (or an unresolved
 * `.Lock()` call: unknown means "maybe held", precision first) is called before `n`
 * in one of the statement lists enclosing `n`, up to the function `fn`, with no
 * non-deferred `Unlock` of the same receiver text after it. Syntactic and
 * flow-insensitive on purpose: a lock taken on one branch counts as held.
 */
export function lockHeldAt(fc: FuncCtx, fn: Node, n: Node): boolean {
  for (let cur: Node = n; cur.parent && cur !== fn; cur = cur.parent) {
    const list = cur.parent;
    if (list.type !== 'statement_list' && list.type !== 'block') continue;
    const held = new Map<string, boolean>();
    for (const s of list.children) {
      if (s === cur) break;
      walk(s, (x) => {
        if (x.type === 'func_literal') return false;
        // An Unlock in a branch that then leaves (`if done { mu.Unlock(); break }`) does not
        // release the lock on the path that goes on to `n`.
        if (x.type === 'block' && x !== s && leavesBlock(x)) return false;
        if (x.type !== 'call_expression') return;
        const f = unparen(field(x, 'function') ?? x);
        if (f.type !== 'selector_expression') return;
        const name = fc.text(field(f, 'field') ?? f);
        const recv = field(f, 'operand');
        if (!recv) return;
        const key = fc.text(recv).replace(/\s+/g, '');
        const deferred = x.parent?.type === 'defer_statement';
        if (name === 'Lock' || name === 'RLock') held.set(key, true);
        else if ((name === 'Unlock' || name === 'RUnlock') && !deferred) held.set(key, false);
      });
    }
    if ([...held.values()].some((h) => h)) return true;
  }
  return false;
}

/** The block's last statement leaves it for good: return, break, continue or goto. */
function leavesBlock(b: Node): boolean {
  const stmts = named(b).flatMap((c) => (c.type === 'statement_list' ? named(c) : [c])).filter((c) => c.type !== 'comment');
  const last = stmts[stmts.length - 1];
  return !!last && (last.type === 'return_statement' || last.type === 'break_statement' || last.type === 'continue_statement' || last.type === 'goto_statement');
}

/** True when `inner` lies inside `outer` (through nested func literals too). */
export function within(outer: Node, inner: Node): boolean {
  for (let p: Node | null = inner; p; p = p.parent) if (p === outer) return true;
  return false;
}
