/**
 * @fileoverview Join points: where the function that started a goroutine knows the
 * goroutine has made its last send on a channel. A receiver that can only leave after
 * such a point abandons nothing, whatever happens to the channel afterwards
 * (issue 11, families 1 and "the return at line N that can only run after the sender
 * exited").
 *
 * What proves it (the goroutine is "done" below):
 * - `wg.Wait()` on a WaitGroup whose every `Done` in the goroutine comes after its last
 *   send (`defer wg.Done()`, or a Done no send follows);
 * - a receive from another local channel E that only this goroutine sends on or closes,
 *   each time as its last act on the watched channel (`errc <- err; return`, `defer
 *   close(E)`): receiving anything from E, value or close, means the goroutine got there;
 * - a branch that can only be taken once such a channel (or the watched channel itself)
 *   is closed: the `!ok` of `v, ok := <-E`, the end of `for range E`;
 * - a branch on a local that is only ever set where the goroutine is known to be done:
 *   a flag (`aDone = true` in the `!ok` branch, then `if aDone && bDone { return }`), or
 *   a channel variable set to nil there (`if a == nil && b == nil`).
 * The last kind is found with a forward must-analysis over the starting function's CFG
 * ("done on every path here"), iterated until the set of such locals is stable.
 *
 * Precision first: anything not understood (a channel that escapes, a Done before a
 * send, a flag written in a closure or from a non-constant) proves nothing.
 */
import { cfgNodeOf, reachableBlocks, type Block, type CFG } from '../go/cfg.js';
import type { LocalVar } from '../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../go/syntax.js';
import { callArgs, chanUses, localChan, maxSendsPerRun, nodeReaches, paramVars } from './chanfacts.js';
import { inDefer } from './chansummary.js';
import type { FuncCtx } from './pass.js';

/** A goroutine started by the analysed function, as the join analysis needs it. */
export interface StartedGoroutine {
  /** The go statements (in the starting function) that start it. */
  goStmts: Node[];
  /** Its function: a func literal of the starting declaration, or a same-package declaration. */
  body: { fc: FuncCtx; fn: Node };
  /** Its statements that send on the watched channel. */
  sends: Node[];
  /** How many instances one run of the starting function starts (1, n, Infinity). */
  spawns: number;
}

/** How a join proves the goroutine done. */
export type JoinKind = 'wait' | 'signal';

/** Where, in the starting function, the goroutine is known to have made its last send. */
export interface Joins {
  /** A CFG node after which it is done (`wg.Wait()`, a receive from its signal channel). */
  node(n: Node): JoinKind | undefined;
  /** A CFG edge that can only be taken once it is done. */
  edge(from: Block, to: Block): boolean;
  /** True when the goroutine is done on every path that reaches CFG statement `n`. */
  doneAt(n: Node): boolean;
}

const NONE: Joins = { node: () => undefined, edge: () => false, doneAt: () => false };

/**
 * The join points of goroutine `gr`, started in function `fn` of `fc`, for its sends on
 * channel variable `watched` (a local of `fc`).
 */
export function goroutineJoins(fc: FuncCtx, fn: Node, watched: LocalVar, gr: StartedGoroutine): Joins {
  const g = fc.cfg(fn);
  const bg = gr.body.fc.cfg(gr.body.fn);
  if (!g || !bg || gr.goStmts.length === 0) return NONE;
  const ctx = new JoinContext(fc, fn, g, watched, gr, bg);
  return ctx.compute();
}

class JoinContext {
  private readonly nodeJoins = new Map<Node, JoinKind>();
  /** Channels whose close proves the goroutine done (their `!ok` and range end). */
  private readonly closedProves = new Set<LocalVar>();
  /** Locals whose "true" (flags) or "nil" (channels) proves it done. */
  private readonly provingFlags = new Set<LocalVar>();
  private readonly provingNils = new Set<LocalVar>();

  constructor(
    private readonly fc: FuncCtx,
    private readonly fn: Node,
    private readonly g: CFG,
    private readonly watched: LocalVar,
    private readonly gr: StartedGoroutine,
    private readonly bg: CFG,
  ) {}

  compute(): Joins {
    this.findWaitJoins();
    this.findChannelJoins();
    if (this.nodeJoins.size === 0 && this.closedProves.size === 0) return NONE;
    this.findProvingLocals();
    let done: Set<Node> | undefined;
    return {
      node: (n) => this.nodeJoins.get(n),
      edge: (from, to) => this.edgeProves(from, to),
      doneAt: (n) => (done ??= this.mustDone()).has(n),
    };
  }

  /** True when body node `n` comes after every send on the watched channel in the goroutine. */
  private final(n: Node): boolean {
    const { fn } = this.gr.body;
    if (inDefer(n, fn)) return this.gr.body.fc.res.enclosingFunc(n) === fn || deferredLiteral(n, fn);
    if (this.gr.body.fc.res.enclosingFunc(n) !== fn) return false;
    const st = cfgNodeOf(this.bg, n);
    if (!st) return false;
    for (const s of this.gr.sends) {
      const ss = cfgNodeOf(this.bg, s);
      if (!ss || ss === st || nodeReaches(this.bg, st, ss)) return false;
    }
    return true;
  }

  private outer(v: LocalVar): LocalVar | undefined {
    return outerVar(this.fc, this.gr, v);
  }

  /** `wg.Wait()` where every Done of wg in the goroutine follows its last send. */
  private findWaitJoins(): void {
    const { fc: bfc, fn: bfn } = this.gr.body;
    const dones = new Map<LocalVar, boolean>();
    walk(bfn, (n) => {
      if (n.type !== 'call_expression') return;
      const c = bfc.res.callee(n);
      if (c.kind !== 'method' || c.fullName !== 'sync.WaitGroup.Done') return;
      const v = rootVar(bfc, c.recv);
      const o = v ? this.outer(v) : undefined;
      if (!o) return;
      dones.set(o, (dones.get(o) ?? true) && this.final(n));
    });
    if (![...dones.values()].some(Boolean)) return;
    this.eachNode((stmt, n) => {
      if (n.type !== 'call_expression') return;
      const c = this.fc.res.callee(n);
      if (c.kind !== 'method' || c.fullName !== 'sync.WaitGroup.Wait') return;
      const v = rootVar(this.fc, c.recv);
      if (v && dones.get(v)) this.nodeJoins.set(stmt, 'wait');
    });
  }

  /** Receives from channels only this goroutine sends on or closes, as its last act. */
  private findChannelJoins(): void {
    const candidates = new Set<LocalVar>();
    this.eachNode((_, n) => {
      const e = recvOperand(this.fc, n);
      const v = e ? this.fc.res.uses.get(e) : undefined;
      if (v) candidates.add(v);
    });
    for (const e of candidates) {
      const acts = this.goroutineActs(e);
      if (!acts) continue;
      // Receiving a value from E proves the goroutine sent it: only with one instance.
      if (e !== this.watched && acts.sendsFinal && acts.closesFinal && this.gr.spawns === 1 && this.gr.goStmts.length === 1) {
        this.eachNode((stmt, n) => {
          const x = recvOperand(this.fc, n);
          if (x && this.fc.res.uses.get(x) === e && !this.nodeJoins.has(stmt)) this.nodeJoins.set(stmt, 'signal');
        });
      }
      if (acts.closes > 0 && acts.closesFinal && this.gr.goStmts.length === 1 && this.gr.spawns === 1) this.closedProves.add(e);
    }
  }

  /**
   * How the goroutine acts on channel `e` (a local of the starting function): undefined
   * when anything else can send on or close it, or it escapes.
   */
  private goroutineActs(e: LocalVar): { sendsFinal: boolean; closesFinal: boolean; closes: number } | undefined {
    if (!localChan(this.fc, e)) return undefined;
    const { fc: bfc, fn: bfn } = this.gr.body;
    let sendsFinal = true;
    let closesFinal = true;
    let closes = 0;
    const inBody = (u: { func: Node }): boolean => u.func === bfn || (bfc === this.fc && contains(bfn, u.func));
    const bodyUse = (kind: string, op: Node): boolean => {
      if (kind === 'send' || kind === 'guarded-send') sendsFinal &&= kind === 'send' && this.final(op);
      else if (kind === 'close') {
        closes++;
        closesFinal &&= this.final(op);
      } else if (kind !== 'recv' && kind !== 'range' && kind !== 'lencap') return false;
      return true;
    };
    for (const u of chanUses(this.fc, e)) {
      if (bfc === this.fc && inBody(u)) {
        if (!bodyUse(u.kind, u.op)) return undefined;
        continue;
      }
      if (u.func !== this.fn) return undefined; // another closure or goroutine uses it
      if (u.kind === 'recv' || u.kind === 'range' || u.kind === 'lencap') continue;
      if (u.kind === 'arg' && this.gr.goStmts.includes(u.op.parent as Node)) {
        // go worker(..., e) / go func(c chan T) {...}(e): the goroutine's parameter.
        const idx = callArgs(u.op).findIndex((a) => unparen(a) === u.ref);
        const pv = paramVars(bfc, bfn)[idx];
        if (!pv) return undefined;
        for (const pu of chanUses(bfc, pv)) {
          if (pu.func !== bfn && !(contains(bfn, pu.func) && inDefer(pu.op, bfn))) return undefined;
          if (!bodyUse(pu.kind, pu.op)) return undefined;
        }
        continue;
      }
      if (isNilAssign(this.fc, u.ref)) continue;
      return undefined;
    }
    return { sendsFinal, closesFinal, closes };
  }

  /**
   * Flags and channel variables whose value proves the goroutine done: every assignment
   * that makes them so (`f = true`, `c = nil`) is where the goroutine is done on every
   * path, and their initial value does not (false, a made channel).
   */
  private findProvingLocals(): void {
    const flags = new Map<LocalVar, Node[]>();
    const nils = new Map<LocalVar, Node[]>();
    for (const [v, refs] of this.fc.res.refs) {
      if (v.kind !== 'var' || v.func !== this.fn || refs.length === 0) continue;
      const isFlag = v.init ? v.init.count === 1 && this.fc.text(unparen(v.init.expr)) === 'false' : v.typeExpr !== undefined && this.fc.text(v.typeExpr) === 'bool';
      const isChan = !isFlag && localChan(this.fc, v) !== undefined;
      if (!isFlag && !isChan) continue;
      const sets: Node[] = [];
      let ok = true;
      for (const r of refs) {
        const a = assignmentOf(this.fc, r);
        if (!a) {
          if (isRead(r)) continue;
          ok = false;
          break;
        }
        if (this.fc.res.enclosingFunc(a.stmt) !== this.fn) {
          ok = false;
          break;
        }
        const val = this.fc.text(unparen(a.value));
        if (isFlag ? val === 'true' : val === 'nil') sets.push(a.stmt);
        else if (!(isFlag && val === 'false')) {
          ok = false;
          break;
        }
      }
      if (!ok || sets.length === 0) continue;
      (isFlag ? flags : nils).set(v, sets);
    }
    if (flags.size === 0 && nils.size === 0) return;
    for (let round = 0; round < 4; round++) {
      const done = this.mustDone();
      let grew = false;
      for (const [m, set] of [
        [flags, this.provingFlags],
        [nils, this.provingNils],
      ] as const) {
        for (const [v, sets] of m) {
          if (set.has(v) || !sets.every((s) => done.has(s))) continue;
          set.add(v);
          grew = true;
        }
      }
      if (!grew) break;
    }
  }

  /** The CFG statements before which the goroutine is done on every path (must-analysis). */
  private mustDone(): Set<Node> {
    const g = this.g;
    const starts = new Set(this.gr.goStmts.map((s) => cfgNodeOf(g, s)).filter((s): s is Node => !!s));
    const inState = new Map<Block, boolean>();
    // Blocks no path reaches (after a return) do not weaken what their successors know.
    const live = reachableBlocks(g.entry);
    const preds = new Map<Block, Block[]>();
    for (const b of live) for (const s of b.succs) preds.set(s, [...(preds.get(s) ?? []), b]);
    const out = (b: Block): boolean => {
      let d = inState.get(b) ?? false;
      for (const n of b.nodes) {
        if (starts.has(n)) d = false;
        if (this.nodeJoins.has(n)) d = true;
      }
      return d;
    };
    // Optimistic start (every block done) except the entry; iterate down to the fixpoint.
    for (const b of g.blocks) inState.set(b, b !== g.entry);
    let changed = true;
    while (changed) {
      changed = false;
      for (const b of g.blocks) {
        if (b === g.entry) continue;
        const ps = preds.get(b) ?? [];
        const v = ps.length > 0 && ps.every((p) => out(p) || this.edgeProves(p, b));
        if (v !== inState.get(b)) {
          inState.set(b, v);
          changed = true;
        }
      }
    }
    const res = new Set<Node>();
    for (const b of g.blocks) {
      let d = inState.get(b) ?? false;
      for (const n of b.nodes) {
        if (d) res.add(n);
        if (starts.has(n)) d = false;
        if (this.nodeJoins.has(n)) d = true;
      }
    }
    return res;
  }

  /** True when the edge from → to is a branch that can only be taken once the goroutine is done. */
  private edgeProves(from: Block, to: Block): boolean {
    const last = from.nodes[from.nodes.length - 1];
    if (!last) return false;
    const i = from.succs.indexOf(to);
    if (i < 0) return false;
    // `for x := range E`: leaving the loop means E is closed.
    if (last.type === 'range_clause' && i === 1) {
      const r = field(last, 'right');
      const v = r && unparen(r).type === 'identifier' ? this.fc.res.uses.get(unparen(r)) : undefined;
      return !!v && this.closedProves.has(v);
    }
    // An if or for condition: succs[0] is taken when it is true, succs[1] when false.
    const parent = last.parent;
    const isCond = last.field === 'condition' && (parent?.type === 'if_statement' || parent?.type === 'for_clause' || parent?.type === 'for_statement');
    if (!isCond || from.succs.length !== 2) return false;
    return this.implies(last, i === 0);
  }

  /** True when condition `c` having truth value `when` proves the goroutine done. */
  private implies(c: Node, when: boolean): boolean {
    const e = unparen(c);
    if (e.type === 'unary_expression' && this.fc.text(e).trimStart().startsWith('!')) {
      const op = field(e, 'operand');
      return !!op && this.implies(op, !when);
    }
    if (e.type === 'binary_expression') {
      const l = field(e, 'left');
      const r = field(e, 'right');
      const tok = e.children.find((k) => !k.named);
      const op = tok ? this.fc.text(tok) : '';
      if (!l || !r) return false;
      if (op === '&&') return when ? this.implies(l, true) || this.implies(r, true) : this.implies(l, false) && this.implies(r, false);
      if (op === '||') return when ? this.implies(l, true) && this.implies(r, true) : this.implies(l, false) || this.implies(r, false);
      if (op === '==' || op === '!=') {
        const [x, y] = unparen(r).type === 'nil' ? [unparen(l), r] : [unparen(r), l];
        if (unparen(y).type !== 'nil' || x.type !== 'identifier') return false;
        const v = this.fc.res.uses.get(x);
        return !!v && (op === '==') === when && this.provingNils.has(v);
      }
      return false;
    }
    if (e.type !== 'identifier') return false;
    const v = this.fc.res.uses.get(e);
    if (!v) return false;
    if (when) return this.provingFlags.has(v);
    // `v, ok := <-E` with ok false: E is closed.
    if (v.recvFrom?.index === 1) {
      const r = unparen(v.recvFrom.expr);
      const op = r.type === 'unary_expression' ? field(r, 'operand') : undefined;
      const ch = op && unparen(op).type === 'identifier' ? this.fc.res.uses.get(unparen(op)) : undefined;
      return !!ch && this.closedProves.has(ch) && (this.fc.res.refs.get(v) ?? []).every(isRead);
    }
    return false;
  }

  /** Calls `visit(stmt, n)` for every node `n` of every CFG statement of the starting function (not inside nested literals). */
  private eachNode(visit: (stmt: Node, n: Node) => void): void {
    for (const b of this.g.blocks) {
      for (const stmt of b.nodes) {
        walk(stmt, (n) => {
          if (n.type === 'func_literal') return false;
          visit(stmt, n);
        });
      }
    }
  }
}

/** The starting function's variable that goroutine-body variable `v` stands for (captured, or the argument of a parameter). */
function outerVar(fc: FuncCtx, gr: StartedGoroutine, v: LocalVar): LocalVar | undefined {
  const { fc: bfc, fn: bfn } = gr.body;
  if (bfc === fc && v.func !== bfn) return v; // captured by the literal
  if (v.kind !== 'param' || v.func !== bfn || gr.goStmts.length !== 1) return undefined;
  const idx = paramVars(bfc, bfn).indexOf(v);
  const call = named(gr.goStmts[0] as Node)[0];
  const arg = idx >= 0 && call ? callArgs(call)[idx] : undefined;
  if (!arg) return undefined;
  let a = unparen(arg);
  if (a.type === 'unary_expression' && fc.text(a).startsWith('&')) a = unparen(field(a, 'operand') ?? a);
  return a.type === 'identifier' ? fc.res.uses.get(a) : undefined;
}

/** `<-E` (a receive expression): the operand identifier E. */
function recvOperand(fc: FuncCtx, n: Node): Node | undefined {
  if (n.type === 'unary_expression' && fc.text(n).trimStart().startsWith('<-')) {
    const op = field(n, 'operand');
    return op && unparen(op).type === 'identifier' ? unparen(op) : undefined;
  }
  if (n.type === 'range_clause') {
    const r = field(n, 'right');
    return r && unparen(r).type === 'identifier' ? unparen(r) : undefined;
  }
  return undefined;
}

/** The local variable at the root of `wg`, `&wg`, `*wg`. */
function rootVar(fc: FuncCtx, e: Node): LocalVar | undefined {
  let x = unparen(e);
  while (x.type === 'unary_expression') x = unparen(field(x, 'operand') ?? x);
  return x.type === 'identifier' ? fc.res.uses.get(x) : undefined;
}

/** `ch = nil`: the reference is the whole left side of a plain assignment of nil. */
export function isNilAssign(fc: FuncCtx, ref: Node): boolean {
  const a = assignmentOf(fc, ref);
  return !!a && unparen(a.value).type === 'nil';
}

/** The plain assignment `ref = value` whose left side is exactly `ref`. */
function assignmentOf(fc: FuncCtx, ref: Node): { stmt: Node; value: Node } | undefined {
  const list = ref.parent;
  if (list?.type !== 'expression_list' || list.field !== 'left') return undefined;
  const st = list.parent;
  if (st?.type !== 'assignment_statement') return undefined;
  const op = st.children.find((c) => !c.named && c.field === 'operator');
  if (!op || fc.text(op) !== '=') return undefined;
  const lefts = exprList(list);
  const rights = exprList(field(st, 'right'));
  const i = lefts.indexOf(ref);
  const value = rights.length === lefts.length ? rights[i] : undefined;
  return value ? { stmt: st, value } : undefined;
}

/** A reference that only reads the variable (not assigned, not address-taken, not redeclared). */
function isRead(ref: Node): boolean {
  let e = ref;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'expression_list' && p.field === 'left') return false;
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return false;
  if (p.type === 'unary_expression' && p.children.some((c) => !c.named && c.type === '&')) return false;
  return true;
}

/** `defer func() { ... n ... }()` directly in `fn`. */
function deferredLiteral(n: Node, fn: Node): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'func_literal') return p.parent?.type === 'call_expression' && p.parent.parent?.type === 'defer_statement';
  }
  return false;
}

function contains(outer: Node, inner: Node): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** The channel variable a send statement sends on, in `fc`. */
function sendChannel(fc: FuncCtx, send: Node): LocalVar | undefined {
  const ch = field(send, 'channel');
  return ch && unparen(ch).type === 'identifier' ? fc.res.uses.get(unparen(ch)) : undefined;
}

/**
 * Request/reply: the goroutine sends on the watched channel only inside a
 * `for req := range R` loop, with at most one reply per request over all the channels it
 * replies on (which nothing else sends on), and the starting function sends each request
 * on R only after it received a reply to the previous one. Then at most one reply is
 * ever pending, and a buffer of one holds it whenever the starting function leaves
 * (a line reader that answers each prompt on a line or an error channel).
 */
export function oneReplyPending(fc: FuncCtx, fn: Node, watched: LocalVar, gr: StartedGoroutine): boolean {
  const { fc: bfc, fn: bfn } = gr.body;
  const bg = bfc.cfg(bfn);
  const g = fc.cfg(fn);
  if (!bg || !g || gr.spawns !== 1 || gr.goStmts.length !== 1 || gr.sends.length === 0) return false;
  // The request loop: `for x := range R` around every send on the watched channel.
  const loop = enclosingFor(gr.sends[0] as Node, bfn);
  const rc = loop?.children.find((c) => c.type === 'range_clause');
  const rr = rc ? field(rc, 'right') : undefined;
  const rb = rr && unparen(rr).type === 'identifier' ? bfc.res.uses.get(unparen(rr)) : undefined;
  const req = rb ? outerVar(fc, gr, rb) : undefined;
  if (!loop || !req || req === watched) return false;
  // Every send in the loop body replies (once per request) on a channel only it sends on.
  const replySends: Node[] = [];
  let ok = true;
  walk(field(loop, 'body') ?? loop, (n) => {
    if (!ok || n.type === 'func_literal') return false;
    if (n.type !== 'send_statement') return;
    const bv = sendChannel(bfc, n);
    if (!bv || enclosingFor(n, bfn) !== loop || !outerVar(fc, gr, bv)) ok = false;
    replySends.push(n);
  });
  if (!ok || replySends.length === 0 || !gr.sends.every((x) => replySends.includes(x))) return false;
  if (maxSendsPerRun(bfc, bfn, replySends) > 1) return false;
  const replyOuter = new Set(replySends.map((n) => outerVar(fc, gr, sendChannel(bfc, n) as LocalVar) as LocalVar));
  for (const e of replyOuter) {
    // Nothing but this goroutine sends on a reply channel.
    for (const u of chanUses(fc, e)) {
      if (u.func === fn ? !['recv', 'range', 'lencap'].includes(u.kind) && !(u.kind === 'arg' && gr.goStmts.includes(u.op.parent as Node)) : !(u.func === bfn && u.kind === 'send' && replySends.includes(u.op))) return false;
    }
    for (const n of replySends) if (!contains(loop, n)) return false;
  }
  // Requests: sent only by the starting function, each after a reply was received.
  const reqSends: Node[] = [];
  for (const u of chanUses(fc, req)) {
    if (u.func !== fn) {
      if (!(u.func === bfn && u.kind === 'range')) return false;
      continue;
    }
    if (u.kind === 'send') {
      const st = cfgNodeOf(g, u.op);
      if (!st) return false;
      reqSends.push(st);
    } else if (u.kind === 'guarded-send' || u.kind === 'escape') return false;
  }
  if (reqSends.length === 0) return false;
  const repliedTo = (n: Node): boolean => {
    let hit = false;
    walk(n, (x) => {
      if (hit || x.type === 'func_literal') return false;
      const op = recvOperand(fc, x);
      const v = op ? fc.res.uses.get(op) : undefined;
      if (v && replyOuter.has(v)) hit = true;
    });
    return hit;
  };
  return reqSends.every((st) => !reachesAvoiding(g, st, (n) => reqSends.includes(n), repliedTo));
}

/**
 * An in-flight gate: the goroutine is started only under `if G == nil`, right after
 * `G = make(chan ...)`; G is set back to nil only in a `case <-G:`; the goroutine closes G
 * only on paths that do not send on the watched channel. So one goroutine runs at a
 * time, the next starts only after the previous closed G, and after one that sends no
 * other ever starts: the function's whole life sees the sends of one run at most.
 */
export function gatedGoroutine(fc: FuncCtx, fn: Node, gr: StartedGoroutine): boolean {
  const { fc: bfc, fn: bfn } = gr.body;
  const bg = bfc.cfg(bfn);
  const goStmt = gr.goStmts[0];
  if (!bg || bfc !== fc || gr.goStmts.length !== 1 || !goStmt) return false;
  // `G = make(...)` before the go statement, in the same block.
  const block = goStmt.parent;
  const prev = block?.children.filter((c) => c.named && c.end <= goStmt.start && c.type === 'assignment_statement') ?? [];
  let gate: LocalVar | undefined;
  for (const a of prev) {
    const l = exprList(field(a, 'left'));
    const r = exprList(field(a, 'right'));
    const lv = l.length === 1 && l[0] && unparen(l[0]).type === 'identifier' ? fc.res.uses.get(unparen(l[0])) : undefined;
    const call = r[0] ? unparen(r[0]) : undefined;
    if (lv && call?.type === 'call_expression' && fc.text(field(call, 'function') ?? call) === 'make') gate = lv;
  }
  if (!gate || gate.func !== fn) return false;
  // ... inside `if G == nil ...`.
  let guarded = false;
  for (let p = goStmt.parent; p && p !== fn; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const cond = field(p, 'condition');
    const cons = field(p, 'consequence');
    if (cond && cons && contains(cons, goStmt) && impliesNil(fc, cond, gate)) guarded = true;
  }
  if (!guarded) return false;
  // Every other use: a receive, `G = nil` in a `case <-G:`, the one make, a close in the goroutine.
  const closes: Node[] = [];
  for (const ref of fc.res.refs.get(gate) ?? []) {
    const a = assignmentOf(fc, ref);
    if (a) {
      const v = unparen(a.value);
      if (v.type === 'nil') {
        const cc = a.stmt.parent?.parent;
        const comm = cc?.type === 'communication_case' ? field(cc, 'communication') : undefined;
        const op = comm ? recvOperand(fc, unparen(field(comm, 'right') ?? comm)) : undefined;
        if (!op || fc.res.uses.get(op) !== gate) return false;
      } else if (!prev.includes(a.stmt)) return false;
      continue;
    }
    let e = ref;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    const p = e.parent;
    if (p?.type === 'unary_expression' && fc.text(p).startsWith('<-')) continue;
    if (p?.type === 'binary_expression') continue; // G == nil
    const call = p?.type === 'argument_list' ? p.parent : undefined;
    if (call && fc.res.callee(call).kind === 'builtin' && fc.text(field(call, 'function') ?? call) === 'close' && fc.res.enclosingFunc(call) === bfn && !inDefer(call, bfn)) {
      closes.push(call);
      continue;
    }
    return false;
  }
  if (closes.length === 0) return false;
  // A goroutine that sends never closes the gate (in either order).
  for (const c of closes) {
    const cs = cfgNodeOf(bg, c);
    if (!cs) return false;
    for (const x of gr.sends) {
      const xs = cfgNodeOf(bg, x);
      if (!xs || nodeReaches(bg, cs, xs) || nodeReaches(bg, xs, cs)) return false;
    }
  }
  return true;
}

/** True when condition `c` being true implies `v == nil` (`v == nil`, `v == nil && ...`). */
function impliesNil(fc: FuncCtx, c: Node, v: LocalVar): boolean {
  const e = unparen(c);
  if (e.type !== 'binary_expression') return false;
  const l = field(e, 'left');
  const r = field(e, 'right');
  const op = fc.text(e.children.find((k) => !k.named) ?? e);
  if (!l || !r) return false;
  if (op === '&&') return impliesNil(fc, l, v) || impliesNil(fc, r, v);
  if (op !== '==') return false;
  const [x, y] = unparen(r).type === 'nil' ? [unparen(l), unparen(r)] : [unparen(r), unparen(l)];
  return y.type === 'nil' && x.type === 'identifier' && fc.res.uses.get(x) === v;
}

/** The nearest for statement around `n` inside `fn` (not crossing a func literal). */
function enclosingFor(n: Node, fn: Node): Node | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'for_statement') return p;
    if (p.type === 'func_literal') return undefined;
  }
  return undefined;
}

/**
 * True when a path leads from just after statement `from` to a statement `target`
 * accepts (or, with `toExit`, to the function's exit) without passing a `barrier`
 * statement or an edge `edgeBarrier` refuses.
 */
export function reachesAvoiding(
  g: CFG,
  from: Node,
  target: (n: Node) => boolean,
  barrier: (n: Node) => boolean,
  opts: { toExit?: boolean; edgeBarrier?: (to: Block, from: Block) => boolean } = {},
): boolean {
  const loc = g.where.get(from);
  if (!loc) return true;
  const seen = new Set<Block>();
  const stack: Array<{ block: Block; index: number }> = [{ block: loc.block, index: loc.index + 1 }];
  while (stack.length > 0) {
    const { block, index } = stack.pop() as { block: Block; index: number };
    let blocked = false;
    for (let i = index; i < block.nodes.length; i++) {
      const n = block.nodes[i] as Node;
      if (target(n)) return true;
      if (barrier(n)) {
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    for (const s of block.succs) {
      if (s === g.exit && opts.toExit) return true;
      if (seen.has(s) || opts.edgeBarrier?.(s, block)) continue;
      seen.add(s);
      stack.push({ block: s, index: 0 });
    }
  }
  return false;
}
