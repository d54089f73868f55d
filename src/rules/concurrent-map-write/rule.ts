/**
 * @fileoverview concurrent-map-write: a Go map written by a goroutine while other
 * goroutines (or the function that started it) read or write the same map, with no
 * mutex held and no synchronisation in between (seed §4.4). Go maps are not safe for
 * concurrent use (Go FAQ, "Why are map operations not defined to be atomic?"); the
 * runtime detects many such races and stops the program with "fatal error: concurrent
 * map writes" / "concurrent map read and map write", which cannot be recovered.
 *
 * Scope (precision first): goroutines started with `go func() { ... }()` in one
 * function, on a map the literal captures (a local of the enclosing function, a
 * package-level variable or a field path rooted in one). Reported when
 * - the go statement is in a loop that does not also declare the map, and the loop
 *   can start the next goroutine without a synchronising operation in between: every
 *   goroutine of the loop writes the same map; or
 * - another go literal of the same function, or the spawning function itself after
 *   the go statement, accesses the map, and no channel operation, select, `Wait` or
 *   `Lock` lies between the go statement and that access.
 * A write preceded in its goroutine by a Lock/RLock (or any channel operation, select
 * or Wait, which may order it) is not reported.
 */
import { cfgNodeOf } from '../../go/cfg.js';
import { SYNC_TEXT, loopOf, loopsWithoutBarrier, orderedBefore } from '../../analysis/goloops.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import type { LocalVar } from '../../go/resolve.js';
import { createRule } from '../../analysis/rule.js';
import { lockHeldAt, objKey, reachesAvoiding, rootIdent, within } from '../../analysis/syncfacts.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { underlying } from '../../go/types.js';

interface Access {
  node: Node;
  key: string;
  write: boolean;
  /** The go literal the access runs in, or undefined for the spawning function itself. */
  lit: Node | undefined;
  /** The function (declaration or literal) whose body directly holds the access. */
  fn: Node;
  name: string;
}

export default createRule({
  id: 'concurrent-map-write',
  severity: 'warning',
  since: '0.2.0',
  category: 'race',
  description: 'A map written by a goroutine while another goroutine or its creator accesses it, with no mutex and no synchronisation.',
  help:
    'Go maps are not safe for concurrent use: concurrent writes (or a write and a read) crash the program with "fatal error: concurrent map writes". Guard every access with a sync.Mutex/RWMutex, use sync.Map, or give each goroutine its own map and merge the results over a channel.',
  triggers: /\bgo\s+func\b/,
  run(pass) {
    for (const fc of pass.functions()) {
      const gos: Array<{ stmt: Node; lit: Node }> = [];
      walk(fc.decl, (n) => {
        if (n.type !== 'go_statement') return;
        const call = named(n)[0];
        const fn = call && unparen(field(call, 'function') ?? call);
        if (fn?.type === 'func_literal') gos.push({ stmt: n, lit: fn });
      });
      if (gos.length === 0) continue;
      const accesses = mapAccesses(fc, gos.map((g) => g.lit));
      const reported = new Set<Node>();
      checkMethodWrites(pass, fc, gos, reported);
      for (const g of gos) {
        const spawner = fc.res.enclosingFunc(g.stmt);
        const loop = loopOf(g.stmt, spawner);
        for (const w of accesses) {
          if (!w.write || w.lit !== g.lit || w.fn !== g.lit || reported.has(w.node)) continue;
          if (orderedBefore(fc, g.lit, w.node)) continue;
          const line = fc.file.line(g.stmt.start);
          // (A) several goroutines of one loop write the same map.
          if (loop && !declaredWithin(fc, w, loop) && loopsWithoutBarrier(fc, g.stmt, spawner)) {
            reported.add(w.node);
            pass.report({
              node: w.node,
              file: fc.file,
              message: `map "${w.name}" is written at line ${fc.file.line(w.node.start)} by every goroutine started in the loop at line ${fc.file.line(loop.start)} (go at line ${line}) with no mutex held: concurrent map writes crash the program ("fatal error: concurrent map writes")`,
              fixHint: `guard the write with a sync.Mutex held around every access to ${w.name}, or send the results over a channel and write the map in one goroutine`,
            });
            continue;
          }
          // (B) another goroutine, or the spawner after the go statement, accesses it.
          const other = accesses.find((r) => r.key === w.key && r.node !== w.node && r.lit !== g.lit && concurrent(fc, g, r, gos, spawner));
          if (!other) continue;
          reported.add(w.node);
          reported.add(other.node); // one finding per racing pair
          const who = other.lit ? `the goroutine started at line ${fc.file.line((other.lit.parent?.parent ?? other.lit).start)}` : fc.name;
          pass.report({
            node: w.node,
            file: fc.file,
            message: `map "${w.name}" is written at line ${fc.file.line(w.node.start)} by the goroutine started at line ${line} while ${who} ${other.write ? 'writes' : 'reads'} it at line ${fc.file.line(other.node.start)}, with no mutex held and no synchronisation between them: a data race that crashes the program ("fatal error: concurrent map writes" / "concurrent map read and map write")`,
            fixHint: `guard both accesses to ${w.name} with one sync.Mutex (or sync.RWMutex), or wait for the goroutine (WaitGroup.Wait, a channel receive) before line ${fc.file.line(other.node.start)}`,
            related: [{ file: fc.file.path, range: fc.file.range(other.node), message: `${other.write ? 'written' : 'read'} here concurrently` }],
          });
        }
      }
    }
  },
});

/** Map reads and writes on maps declared outside the go literals. */
function mapAccesses(fc: FuncCtx, lits: Node[]): Access[] {
  const out: Access[] = [];
  // Names written inside the goroutines (syntactic, cheap): only maps rooted at one of
  // them can be reported, so only those are typed.
  const names = new Set<string>();
  for (const lit of lits) {
    walk(lit, (n) => {
      if (n.type === 'assignment_statement' || n.type === 'inc_statement' || n.type === 'dec_statement') {
        const lefts = n.type === 'assignment_statement' ? exprList(field(n, 'left')) : named(n).slice(0, 1);
        for (const l of lefts) {
          const u = unparen(l);
          const id = u.type === 'index_expression' ? rootIdent(u) : undefined;
          if (id) names.add(fc.text(id));
        }
      } else if (n.type === 'call_expression') {
        const f = unparen(field(n, 'function') ?? n);
        const a0 = field(n, 'arguments')?.children.find((c) => c.named && c.type !== 'comment');
        const id = a0 && (fc.text(f) === 'delete' || fc.text(f) === 'clear') ? rootIdent(a0) : undefined;
        if (id) names.add(fc.text(id));
      }
    });
  }
  if (names.size === 0) return out;
  const add = (node: Node, mapExpr: Node, write: boolean): void => {
    const rid = rootIdent(mapExpr);
    if (!rid || !names.has(fc.text(rid))) return;
    const t = underlying(fc.res.typeOf(mapExpr));
    if (t.kind !== 'map') return;
    const key = objKey(fc, mapExpr);
    if (!key) return;
    const fn = fc.res.enclosingFunc(node);
    const lit = lits.find((l) => within(l, node));
    // The map must be visible from outside the literal: declared before it.
    const root = rootIdent(mapExpr);
    const v = root ? fc.res.localOf(root) : undefined;
    if (lit && v && within(lit, v.ident)) return;
    out.push({ node, key, write, lit, fn, name: fc.text(unparen(mapExpr)) });
  };
  walk(fc.decl, (n) => {
    if (n.type === 'assignment_statement' || n.type === 'inc_statement' || n.type === 'dec_statement') {
      const lefts = n.type === 'assignment_statement' ? exprList(field(n, 'left')) : named(n).slice(0, 1);
      for (const l of lefts) {
        const u = unparen(l);
        const op = u.type === 'index_expression' ? field(u, 'operand') : undefined;
        if (op) add(u, op, true);
      }
    } else if (n.type === 'call_expression') {
      const f = unparen(field(n, 'function') ?? n);
      const name = f.type === 'identifier' ? fc.text(f) : '';
      if (name === 'delete' || name === 'clear' || name === 'len') {
        const c = fc.res.callee(n);
        const a0 = field(n, 'arguments')?.children.find((c2) => c2.named && c2.type !== 'comment');
        if (c.kind === 'builtin' && a0) add(n, a0, name !== 'len');
      }
    } else if (n.type === 'index_expression') {
      const op = field(n, 'operand');
      const p = n.parent;
      const isLeft = p?.type === 'expression_list' && p.field === 'left';
      if (op && !isLeft && p?.type !== 'inc_statement' && p?.type !== 'dec_statement') add(n, op, false);
    } else if (n.type === 'range_clause') {
      const r = field(n, 'right');
      if (r) add(n, r, false);
    }
  });
  return out;
}

/** The map's root variable is declared inside `loop` (one map per iteration). */
function declaredWithin(fc: FuncCtx, a: Access, loop: Node): boolean {
  const root = rootIdent(a.node.type === 'index_expression' ? (field(a.node, 'operand') ?? a.node) : a.node);
  const v = root ? fc.res.localOf(root) : undefined;
  return !!v && within(loop, v.ident);
}

/** Whether access `r` can run concurrently with the goroutine `g`. */
function concurrent(fc: FuncCtx, g: { stmt: Node; lit: Node }, r: Access, gos: Array<{ stmt: Node; lit: Node }>, spawner: Node): boolean {
  const cfg = fc.cfg(spawner);
  if (!cfg) return false;
  const from = cfgNodeOf(cfg, g.stmt);
  if (!from) return false;
  const barrier = (n: Node): boolean => SYNC_TEXT.test(fc.text(n));
  if (r.lit) {
    if (r.fn !== r.lit || orderedBefore(fc, r.lit, r.node)) return false;
    const g2 = gos.find((x) => x.lit === r.lit);
    if (!g2 || fc.res.enclosingFunc(g2.stmt) !== spawner) return false;
    const to = cfgNodeOf(cfg, g2.stmt);
    if (!to) return false;
    return reachesAvoiding(cfg, from, to, barrier) || reachesAvoiding(cfg, to, from, barrier);
  }
  if (r.fn !== spawner || lockHeldAt(fc, spawner, r.node)) return false;
  const to = cfgNodeOf(cfg, r.node);
  if (!to || to === from) return false;
  return reachesAvoiding(cfg, from, to, barrier);
}

/**
 * (C) Every goroutine of a loop calls a method of the package on one value captured from
 * outside the loop (`go func() { s.record(p) }()` with `s` declared before the loop), and
 * that method writes a map field of its receiver (`s.hits[p]++`) with no lock, channel
 * operation, Wait or atomic anywhere in its body: the goroutines write the same map
 * concurrently (corpus case concurrent-map-write-handlers). Reported at the write in the
 * method.
 */
function checkMethodWrites(pass: Pass, fc: FuncCtx, gos: Array<{ stmt: Node; lit: Node }>, reported: Set<Node>): void {
  for (const g of gos) {
    const spawner = fc.res.enclosingFunc(g.stmt);
    const loop = loopOf(g.stmt, spawner);
    if (!loop) continue;
    let checkedLoop: boolean | undefined;
    walk(g.lit, (n) => {
      if (n !== g.lit && n.type === 'func_literal') return false;
      if (n.type !== 'call_expression') return undefined;
      const c = fc.res.callee(n);
      if (c.kind !== 'method' || !c.method.decl || c.method.pkg !== pass.pkg.importPath) return undefined;
      const recv = unparen(c.recv);
      if (recv.type !== 'identifier') return undefined;
      const v = fc.res.localOf(recv);
      if (v ? within(loop, v.ident) || within(g.lit, v.ident) : fc.res.pkgObjOf(recv)?.kind !== 'var') return undefined;
      if (orderedBefore(fc, g.lit, n)) return undefined;
      const mfc = pass.facts.funcCtxOfDecl(c.method.decl);
      if (!mfc) return undefined;
      const body = field(mfc.decl, 'body');
      if (!body || SYNC_TEXT.test(mfc.text(body)) || /\bgo\s/.test(mfc.text(body))) return undefined;
      const rp = paramOfReceiver(mfc);
      if (!rp) return undefined;
      for (const w of receiverMapWrites(mfc, rp)) {
        if (reported.has(w)) continue;
        checkedLoop ??= loopsWithoutBarrier(fc, g.stmt, spawner);
        if (!checkedLoop) return false;
        reported.add(w);
        pass.report({
          node: w,
          file: mfc.file,
          message: `map "${mfc.text(field(w, 'operand') as Node)}" is written at line ${mfc.file.line(w.start)} by ${mfc.name}, which every goroutine started in the loop at ${fc.file === mfc.file ? `line ${fc.file.line(loop.start)}` : `${fc.file.path}:${fc.file.line(loop.start)}`} calls on the same ${fc.text(recv)} with no mutex held: concurrent map writes crash the program ("fatal error: concurrent map writes")`,
          fixHint: `guard the map with a sync.Mutex in ${mfc.name} (lock around every access)`,
        });
      }
      return undefined;
    });
  }
}

/** The receiver variable of a method declaration. */
function paramOfReceiver(mfc: FuncCtx): LocalVar | undefined {
  const r = field(mfc.decl, 'receiver');
  const p = r ? named(r).find((c) => c.type === 'parameter_declaration') : undefined;
  const nm = p ? field(p, 'name') : undefined;
  return nm ? mfc.res.defs.get(nm) : undefined;
}

/** Index expressions `recv.f[k]` written (assigned, ++/--, op=) in the method, on map-typed fields of its receiver. */
function receiverMapWrites(mfc: FuncCtx, recv: LocalVar): Node[] {
  const out: Node[] = [];
  walk(field(mfc.decl, 'body') as Node, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type !== 'assignment_statement' && n.type !== 'inc_statement' && n.type !== 'dec_statement') return undefined;
    const lefts = n.type === 'assignment_statement' ? exprList(field(n, 'left')) : named(n).slice(0, 1);
    for (const l of lefts) {
      const u = unparen(l);
      const op = u.type === 'index_expression' ? field(u, 'operand') : undefined;
      const sel = op ? unparen(op) : undefined;
      if (sel?.type !== 'selector_expression') continue;
      const base = field(sel, 'operand');
      if (!base || unparen(base).type !== 'identifier' || mfc.res.localOf(unparen(base)) !== recv) continue;
      if (underlying(mfc.res.typeOf(sel)).kind !== 'map') continue;
      out.push(u);
    }
    return undefined;
  });
  return out;
}
