/**
 * @fileoverview Whether the two sides of a lock-order inversion can run at the same time.
 *
 * An AB-BA inversion deadlocks only when one goroutine holds A and waits for B while
 * another holds B and waits for A. The edges lock-order compares (locks.ts `OrderEdge`)
 * say in which order a function takes two locks, not which goroutine runs it. Three
 * things make the two sides exclusive, each proven from the program model
 * (src/analysis/program) and the lock analysis:
 *
 * 1. **One goroutine.** Both functions run only on the goroutine of one `go` statement
 *    started once per run of its starter (`go c.run()` in a constructor), through calls of
 *    the package that nobody outside it can make (unexported functions, not used as values
 *    that escape). One goroutine cannot deadlock with itself on a pair it does not nest;
 *    two such goroutines (two connections) lock two objects. Locks in package variables
 *    are shared by every instance, so they never count as confined.
 * 2. **Joined before.** One side runs only on such a goroutine G; the other side takes its
 *    first lock after a receive from a channel that only G closes, with a deferred close
 *    in G's own function, and that nothing sends on (`<-s.recvDone` after `go s.recvLoop()`
 *    with `defer close(s.recvDone)`): G has ended, so its locks are free for good.
 * 3. **A common gate.** Both functions hold, at the inversion, the same third lock of the
 *    same object, for writing on at least one side: only one of them can be between its two
 *    acquisitions at a time.
 *
 * Anything the model cannot see (an exported function, a function value that escapes, a
 * caller chain too long, an unknown goroutine) counts as "may run at any time", so the
 * inversion stays reported.
 */
import { field, named, walk, type Node } from '../go/syntax.js';
import type { OrderEdge } from './locks.js';
import type { FuncCtx, PackageFacts } from './pass.js';
import { programModel, type FuncNode, type Goroutine, type ProgramModel } from './program/index.js';

/** One side of an inversion: the edge and the function (declaration or literal) it is in. */
export interface Side {
  e: OrderEdge;
  fc: FuncCtx;
  fn: Node;
}

/** Most functions visited upwards from one side before giving up (the side then runs anywhere). */
const MAX_CALLERS = 256;

/** The goroutines a function can run on (it is only ever called from them), or 'open'. */
type Roots = Set<Goroutine> | 'open';

/** Answers "can these two sides overlap?" for one package (memoised per package). */
export class LockOverlap {
  private readonly pm: ProgramModel;
  private readonly roots = new Map<FuncNode, Roots>();

  constructor(readonly facts: PackageFacts) {
    this.pm = programModel(facts);
  }

  /** False when the two sides provably never run at the same time (see the file comment). */
  mayOverlap(x: Side, y: Side): boolean {
    const rx = this.rootsOfNode(x.fn);
    const ry = this.rootsOfNode(y.fn);
    const global = (s: Side): boolean => !!(s.e.outer.ref.tkey?.startsWith('g:') || s.e.inner.ref.tkey?.startsWith('g:'));
    if (rx !== 'open' && ry !== 'open' && !global(x) && !global(y)) {
      const all = new Set([...rx, ...ry]);
      const [g] = all;
      if (all.size === 1 && g && g.multiplicity === 'one' && g.complete) return false;
    }
    if (ry !== 'open' && this.joinedBefore(x, ry)) return false;
    if (rx !== 'open' && this.joinedBefore(y, rx)) return false;
    return !commonGate(x, y);
  }

  private rootsOfNode(fn: Node): Roots {
    const f = this.pm.funcOf(fn);
    return f ? this.rootsOf(f) : 'open';
  }

  /** The goroutines `fn` runs on: callers upwards until a `go` site, or 'open'. */
  private rootsOf(fn0: FuncNode): Roots {
    const have = this.roots.get(fn0);
    if (have) return have;
    const out = new Set<Goroutine>();
    const seen = new Set<FuncNode>([fn0]);
    const stack = [fn0];
    let result: Roots = out;
    while (stack.length > 0) {
      const f = stack.pop() as FuncNode;
      if (seen.size > MAX_CALLERS || this.callableFromOutside(f)) {
        result = 'open';
        break;
      }
      const callers: Array<{ call: Node; from: FuncNode | undefined; mode: string }> = [...this.pm.callersOf(f)];
      const known = new Set(callers.map((c) => c.call));
      for (const c of this.staticCallers(f)) if (!known.has(c.call)) callers.push(c);
      if (callers.length === 0) {
        result = 'open';
        break;
      }
      for (const cs of callers) {
        if (cs.mode === 'go' || cs.mode === 'callback-go') {
          const g = this.pm.goroutineAt(cs.call) ?? (cs.call.parent ? this.pm.goroutineAt(cs.call.parent) : undefined);
          if (!g) result = 'open';
          else out.add(g);
        } else if (cs.mode === 'callback-later' || !cs.from) result = 'open';
        else if (!seen.has(cs.from)) {
          seen.add(cs.from);
          stack.push(cs.from);
        }
        if (result === 'open') break;
      }
      if (result === 'open') break;
    }
    this.roots.set(fn0, result);
    return result;
  }

  /**
   * The static calls of declaration `f` in the package, also from declarations the model
   * did not scan (found by the called name in their text, confirmed by resolving the
   * call), with the function each call is written in and whether it starts a goroutine.
   */
  private staticCallers(f: FuncNode): Array<{ call: Node; from: FuncNode | undefined; mode: string }> {
    if (f.node.type === 'func_literal') return [];
    const nameNode = field(f.node, 'name');
    const name = nameNode ? f.fc.text(nameNode) : '';
    if (!name) return [];
    const word = new RegExp(`\\b${name}\\s*\\(`);
    const out: Array<{ call: Node; from: FuncNode | undefined; mode: string }> = [];
    for (const { decl, file } of this.facts.pkg.funcDecls) {
      if (!word.test(file.text.slice(decl.start, decl.end))) continue;
      const fc = this.facts.funcCtx(decl, file);
      walk(decl, (n) => {
        if (n.type !== 'call_expression') return;
        const c = fc.res.callee(n);
        if (!((c.kind === 'method' && c.method.decl === f.node) || (c.kind === 'func' && c.obj.kind === 'func' && c.obj.node === f.node))) return;
        let holder: Node | undefined;
        for (let p = n.parent; p; p = p.parent) {
          if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') {
            holder = p;
            break;
          }
        }
        const mode = n.parent?.type === 'go_statement' ? 'go' : n.parent?.type === 'defer_statement' ? 'defer' : 'call';
        out.push({ call: n, from: holder ? this.pm.funcOf(holder) : undefined, mode });
      });
    }
    return out;
  }

  /**
   * True when code outside what the model sees may call `f`: an exported function or
   * method (other packages, tests), `main`/`init`, or a function value that escapes.
   */
  private callableFromOutside(f: FuncNode): boolean {
    if (this.pm.valueEscapes(f)) return true;
    if (f.node.type === 'func_literal') return false;
    const nameNode = field(f.node, 'name');
    const name = nameNode ? f.fc.text(nameNode) : '';
    return name === '' || name === 'main' || name === 'init' || /^[A-Z]/.test(name);
  }

  /**
   * True when side `s` takes its first lock after a receive that waits for the end of the
   * only goroutine `other` runs on (see the file comment, case 2).
   */
  private joinedBefore(s: Side, other: Set<Goroutine>): boolean {
    if (other.size !== 1) return false;
    const [g] = other;
    if (!g || g.multiplicity !== 'one' || !g.complete) return false;
    const body = field(s.fn, 'body');
    const stmts = body ? (named(body).find((c) => c.type === 'statement_list') ?? body) : undefined;
    const lockAt = s.e.outer.site.node.start;
    if (s.e.outer.site.file !== s.fc.file || !body || lockAt < body.start || lockAt > body.end) return false;
    for (const st of stmts ? named(stmts) : []) {
      if (st.end > lockAt) break;
      const recv = plainReceive(s.fc, st);
      if (recv && this.closedAtEndOf(s.fc, recv, g)) return true;
    }
    return false;
  }

  /** True when the channel `expr` is only ever closed by a deferred close in `g`'s own function, and never sent on. */
  private closedAtEndOf(fc: FuncCtx, expr: Node, g: Goroutine): boolean {
    const o = this.pm.objectOf(fc, expr);
    if (!o || o.kind !== 'chan' || !this.pm.known(o)) return false;
    if (this.pm.opsOn(o, ['send']).length > 0) return false;
    const closes = this.pm.opsOn(o, ['close']);
    return closes.length > 0 && closes.every((op) => g.targets.includes(op.fn) && op.node.parent?.type === 'defer_statement');
  }
}

/** The operand of a statement that is a bare receive (`<-ch`), not in a select. */
function plainReceive(fc: FuncCtx, st: Node): Node | undefined {
  if (st.type !== 'expression_statement') return undefined;
  const e = named(st)[0];
  if (e?.type !== 'unary_expression' || !fc.text(e).trimStart().startsWith('<-')) return undefined;
  return field(e, 'operand');
}

/**
 * True when both sides hold, at their inversion, a third lock of the object that owns
 * both locks of the pair (`recv.gate` with `recv.a` and `recv.b`; the pair's instances
 * are the same, lock-order checked that), with the same type key, and one of them holds
 * it for writing.
 */
function commonGate(x: Side, y: Side): boolean {
  const rootOf = (k: string): string => (k.startsWith('g:') ? k : (k.split('.')[0] as string));
  const gates = (s: Side): Map<string, 'W' | 'R'> => {
    const out = new Map<string, 'W' | 'R'>();
    const owner = rootOf(s.e.outer.ref.key);
    if (owner.startsWith('g:') || rootOf(s.e.inner.ref.key) !== owner) return out;
    for (const h of s.e.held) {
      if (h.ref.key === s.e.outer.ref.key || !h.ref.tkey) continue;
      if (h.ref.tkey.startsWith('g:') || rootOf(h.ref.key) === owner) out.set(`${h.ref.tkey}|${h.ref.key.slice(rootOf(h.ref.key).length)}`, h.mode);
    }
    return out;
  };
  const gx = gates(x);
  if (gx.size === 0) return false;
  for (const [p, m] of gates(y)) {
    const mx = gx.get(p);
    if (mx && (mx === 'W' || m === 'W')) return true;
  }
  return false;
}

/** The overlap oracle of the package (memoised in its facts). */
export function lockOverlap(facts: PackageFacts): LockOverlap {
  return facts.memo('lock-overlap', () => new LockOverlap(facts));
}
