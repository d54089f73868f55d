/**
 * @fileoverview Control-flow graphs for Go function bodies, in the spirit of
 * golang.org/x/tools/go/cfg: basic blocks hold statements (and the condition or
 * communication of branching statements); edges follow if/else, switch and type switch
 * (with fallthrough), select (one successor per case), for/range loops with labelled
 * break/continue, goto, return and calls that never return (panic, os.Exit,
 * log.Fatal*, t.Fatal*...), which lead to the `abort` block instead of `exit`.
 *
 * Function literals are not expanded: a literal is part of the statement that holds it
 * and gets its own CFG when a rule asks for one.
 */
import { exprList, field, firstNamed, named, unparen, type Node } from './syntax.js';

export interface Block {
  id: number;
  /** Statements, branch conditions, case values and select communications, in order. */
  nodes: Node[];
  succs: Block[];
  /** Debug label: 'entry', 'if.then', 'for.body', 'select.case'... */
  kind: string;
}

export interface CFG {
  entry: Block;
  /** Normal return (explicit `return` or falling off the end). */
  exit: Block;
  /** Paths that panic or never return. */
  abort: Block;
  blocks: Block[];
  /** Where each statement node lives. */
  where: Map<Node, { block: Block; index: number }>;
  /** The head block of each for statement (where its condition is tested). */
  loopHeads: Map<Node, Block>;
}

/** Decides whether a call expression never returns (panic, os.Exit, log.Fatal...). */
export type NoReturnOracle = (call: Node) => boolean;

/** The value of an `if` condition known at compile time (`if false {`, `const debug = false`), else undefined. */
export type ConstCondOracle = (cond: Node) => boolean | undefined;

interface Targets {
  brk?: Block;
  cont?: Block;
  label?: string;
}

/** Builds the CFG of a function body block. `text` maps a node to its source. */
export function buildCFG(body: Node, text: (n: Node) => string, noReturn: NoReturnOracle, constCond?: ConstCondOracle): CFG {
  const blocks: Block[] = [];
  const newBlock = (kind: string): Block => {
    const b: Block = { id: blocks.length, nodes: [], succs: [], kind };
    blocks.push(b);
    return b;
  };
  const entry = newBlock('entry');
  const exit = newBlock('exit');
  const abort = newBlock('abort');
  const where = new Map<Node, { block: Block; index: number }>();
  const loopHeads = new Map<Node, Block>();
  const labels = new Map<string, Block>();
  const labelBlock = (name: string): Block => {
    let b = labels.get(name);
    if (!b) labels.set(name, (b = newBlock(`label.${name}`)));
    return b;
  };
  const targets: Targets[] = [];
  let cur = entry;

  const add = (n: Node): void => {
    where.set(n, { block: cur, index: cur.nodes.length });
    cur.nodes.push(n);
  };
  const jump = (to: Block): void => {
    if (!cur.succs.includes(to)) cur.succs.push(to);
  };
  const unreachable = (): void => {
    cur = newBlock('unreachable');
  };

  const stmtList = (n: Node | undefined): readonly Node[] => {
    if (!n) return [];
    if (n.type === 'block') {
      // The parser's blocks hold one statement_list (or nothing): no per-child arrays then.
      const kids = n.children;
      if (kids.length === 0) return [];
      if (kids.length === 1 && (kids[0] as Node).type === 'statement_list') return named(kids[0] as Node);
    }
    if (n.type === 'block') return n.children.flatMap((c) => (c.type === 'statement_list' ? named(c) : c.named && c.type !== 'comment' ? [c] : []));
    if (n.type === 'statement_list') return named(n);
    return named(n).filter((c) => c.type.endsWith('_statement') || c.type.endsWith('_declaration') || c.type === 'block' || c.type === 'statement_list');
  };

  const isNoReturnStmt = (s: Node): boolean => {
    if (s.type !== 'expression_statement') return false;
    const e = unparen(firstNamed(s) ?? s);
    return e.type === 'call_expression' && noReturn(e);
  };

  const stmt = (s: Node, label?: string): void => {
    switch (s.type) {
      case 'block':
      case 'statement_list':
        for (const c of stmtList(s)) stmt(c);
        return;
      case 'return_statement':
        add(s);
        jump(exit);
        unreachable();
        return;
      case 'expression_statement':
        add(s);
        if (isNoReturnStmt(s)) {
          jump(abort);
          unreachable();
        }
        return;
      case 'labeled_statement': {
        const ln = field(s, 'label');
        const name = ln ? text(ln) : '';
        const lb = labelBlock(name);
        jump(lb);
        cur = lb;
        const inner = named(s).find((c) => c !== ln);
        if (inner) stmt(inner, name);
        return;
      }
      case 'goto_statement': {
        add(s);
        const ln = firstNamed(s);
        if (ln) jump(labelBlock(text(ln)));
        unreachable();
        return;
      }
      case 'break_statement':
      case 'continue_statement': {
        add(s);
        const ln = firstNamed(s);
        const name = ln ? text(ln) : undefined;
        for (let i = targets.length - 1; i >= 0; i--) {
          const t = targets[i] as Targets;
          if (name !== undefined && t.label !== name) continue;
          const to = s.type === 'break_statement' ? t.brk : t.cont;
          if (!to) continue;
          jump(to);
          break;
        }
        unreachable();
        return;
      }
      case 'if_statement': {
        const init = field(s, 'initializer');
        if (init) stmt(init);
        const cond = field(s, 'condition');
        if (cond) add(cond);
        // A constant condition (`if false { return }`) leaves the other branch unreachable.
        const known = cond && constCond ? constCond(cond) : undefined;
        const before = cur;
        const done = newBlock('if.done');
        const then = newBlock('if.then');
        if (known !== false) before.succs.push(then);
        cur = then;
        stmt(field(s, 'consequence') as Node);
        jump(done);
        const alt = field(s, 'alternative');
        if (alt) {
          const els = newBlock('if.else');
          if (known !== true) before.succs.push(els);
          cur = els;
          stmt(alt);
          jump(done);
        } else if (known !== true) before.succs.push(done);
        cur = done;
        return;
      }
      case 'for_statement': {
        const clause = s.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
        const cond = clause ? (clause.type === 'for_clause' ? field(clause, 'condition') : clause) : named(s).find((c) => c.field === 'condition' || (c.type !== 'block' && c.field !== 'body'));
        if (clause?.type === 'for_clause') {
          const init = field(clause, 'initializer');
          if (init) stmt(init);
        }
        const head = newBlock('for.head');
        loopHeads.set(s, head);
        const done = newBlock('for.done');
        const post = newBlock('for.post');
        const body = newBlock('for.body');
        jump(head);
        cur = head;
        if (cond) add(cond);
        head.succs.push(body);
        // `for {}` (no condition, no range) only leaves through break/return/goto.
        if (cond) head.succs.push(done);
        cur = body;
        targets.push({ brk: done, cont: post, label });
        stmt(field(s, 'body') as Node);
        targets.pop();
        jump(post);
        cur = post;
        const upd = clause?.type === 'for_clause' ? field(clause, 'update') : undefined;
        if (upd) stmt(upd);
        jump(head);
        cur = done;
        return;
      }
      case 'expression_switch_statement':
      case 'type_switch_statement': {
        const init = field(s, 'initializer');
        if (init) stmt(init);
        const value = field(s, 'value');
        if (value) add(value);
        const dispatch = cur;
        const done = newBlock('switch.done');
        const cases = s.children.filter((c) => c.type === 'expression_case' || c.type === 'type_case' || c.type === 'default_case');
        const bodies = cases.map((c) => newBlock(c.type === 'default_case' ? 'switch.default' : 'switch.case'));
        let hasDefault = false;
        targets.push({ brk: done, label });
        cases.forEach((c, i) => {
          const b = bodies[i] as Block;
          dispatch.succs.push(b);
          if (c.type === 'default_case') hasDefault = true;
          cur = b;
          for (const v of exprList(field(c, 'value'))) add(v);
          const body = c.children.filter((x) => x.type === 'statement_list');
          let falls = false;
          for (const sl of body) {
            const list = named(sl);
            const last = list[list.length - 1];
            if (last?.type === 'fallthrough_statement') falls = true;
            stmt(sl);
          }
          if (falls && bodies[i + 1]) jump(bodies[i + 1] as Block);
          else jump(done);
        });
        targets.pop();
        if (!hasDefault) dispatch.succs.push(done);
        cur = done;
        return;
      }
      case 'select_statement': {
        // The select itself is not a node (a node stands for what it contains, and the
        // case bodies belong to the case blocks); each communication starts its case block.
        const dispatch = cur;
        const done = newBlock('select.done');
        const cases = s.children.filter((c) => c.type === 'communication_case' || c.type === 'default_case');
        targets.push({ brk: done, label });
        for (const c of cases) {
          const b = newBlock(c.type === 'default_case' ? 'select.default' : 'select.case');
          dispatch.succs.push(b);
          cur = b;
          const comm = field(c, 'communication');
          if (comm) add(comm);
          for (const sl of c.children.filter((x) => x.type === 'statement_list')) stmt(sl);
          jump(done);
        }
        targets.pop();
        // `select {}` blocks forever: nothing follows it.
        if (cases.length === 0) dispatch.succs.push(abort);
        cur = done;
        return;
      }
      case 'fallthrough_statement':
        add(s);
        return;
      default:
        add(s);
    }
  };

  stmt(body);
  jump(exit);
  return { entry, exit, abort, blocks, where, loopHeads };
}

/**
 * Searches forward from just after `from` for a path to the function's normal exit that
 * does not pass a node for which `barrier` is true. Returns the node that ends that path
 * (the `return` statement, or undefined for falling off the end) wrapped in an object,
 * or null when every path is blocked.
 */
export function findEscapingPath(cfg: CFG, from: Node, barrier: (n: Node) => boolean, blockBarrier?: (to: Block, from: Block) => boolean): { last: Node | undefined } | null {
  const loc = cfg.where.get(from);
  if (!loc) return null;
  const seen = new Set<Block>();
  const stack: Array<{ block: Block; index: number; last: Node | undefined }> = [{ block: loc.block, index: loc.index + 1, last: undefined }];
  while (stack.length > 0) {
    const { block, index, last } = stack.pop() as { block: Block; index: number; last: Node | undefined };
    let lastNode = last;
    let blocked = false;
    for (let i = index; i < block.nodes.length; i++) {
      const n = block.nodes[i] as Node;
      if (barrier(n)) {
        blocked = true;
        break;
      }
      lastNode = n;
    }
    if (blocked) continue;
    for (const s of block.succs) {
      if (s === cfg.exit) return { last: lastNode?.type === 'return_statement' ? lastNode : undefined };
      if (seen.has(s) || blockBarrier?.(s, block)) continue;
      seen.add(s);
      stack.push({ block: s, index: 0, last: lastNode });
    }
  }
  return null;
}

/** True when some path leads from just after node `from` to block `target`. */
export function reaches(cfg: CFG, from: Node, target: Block): boolean {
  const loc = cfg.where.get(from);
  if (!loc) return false;
  const seen = new Set<Block>();
  const stack = [...loc.block.succs];
  while (stack.length > 0) {
    const b = stack.pop() as Block;
    if (b === target) return true;
    if (seen.has(b)) continue;
    seen.add(b);
    stack.push(...b.succs);
  }
  return false;
}

/** The statement node of the CFG that holds `n` (`n` itself or its nearest ancestor in `where`). */
export function cfgNodeOf(cfg: CFG, n: Node): Node | undefined {
  for (let p: Node | null = n; p; p = p.parent) if (cfg.where.has(p)) return p;
  return undefined;
}

/**
 * The blocks reachable from `from` (including it), optionally not following the edges
 * for which `skipEdge(from, to)` is true.
 */
export function reachableBlocks(from: Block, skipEdge?: (from: Block, to: Block) => boolean): Set<Block> {
  const seen = new Set<Block>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const b = stack.pop() as Block;
    for (const s of b.succs) {
      if (seen.has(s) || skipEdge?.(b, s)) continue;
      seen.add(s);
      stack.push(s);
    }
  }
  return seen;
}

/** True when some path from the entry of `g` reaches node `to` without passing a barrier node first. */
export function reachesFromEntry(g: CFG, to: Node, barrier: (n: Node) => boolean): boolean {
  const seen = new Set<number>([g.entry.id]);
  const stack: Block[] = [g.entry];
  while (stack.length > 0) {
    const b = stack.pop() as Block;
    let blocked = false;
    for (const n of b.nodes) {
      if (n === to) return true;
      if (barrier(n)) {
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    for (const s of b.succs) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      stack.push(s);
    }
  }
  return false;
}
