/**
 * @fileoverview lock-order: two mutexes acquired in opposite orders on two paths of the
 * same package (A then B here, B then A there). Two goroutines running those paths can
 * each take their first lock and then wait forever for the other's: the classic AB-BA
 * deadlock (no Go runtime detection unless every goroutine is blocked).
 *
 * Locks are compared by type and field (`Server.mu`, `Conn.mu`, package variables), so
 * the orders of different functions and methods can be matched; acquisitions through
 * same-package calls count (method A holds `s.mu` and calls `c.close()`, which locks
 * `c.mu`). Two locks of the same field (`a.mu`, `b.mu` of one type) are not ordered by
 * this rule: their order depends on the instances.
 */
import { LockInstances, lockInstances } from '../../analysis/lockinstances.js';
import { lockAnalysis, lockRef, type OrderEdge } from '../../analysis/locks.js';
import { lockOverlap } from '../../analysis/lockoverlap.js';
import { callArgs } from '../../analysis/chanfacts.js';
import type { FuncCtx, PackageFacts } from '../../analysis/pass.js';
import type { SourceFile } from '../../go/source.js';
import { createRule, siteRef } from '../../analysis/rule.js';
import { field, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'lock-order',
  severity: 'warning',
  since: '0.2.0',
  category: 'deadlock',
  description: 'Two mutexes are acquired in opposite orders on two paths of the package (AB-BA lock-order inversion).',
  help:
    'If one goroutine holds A and waits for B while another holds B and waits for A, both block forever. Pick one global order for the two locks (document it next to the fields) and acquire them in that order everywhere, or avoid holding one lock while taking the other.',
  triggers: /\.R?Lock\(\)/,
  run(pass) {
    const la = lockAnalysis(pass.facts);
    const edges = new Map<string, Edge[]>();
    for (const fc of pass.functions()) {
      for (const fn of fc.res.funcs) {
        for (const e of la.of(fc, fn)?.edges ?? []) {
          const k = `${e.outer.ref.tkey ?? ''}\u0000${e.inner.ref.tkey ?? ''}`;
          const l = edges.get(k);
          if (l) l.push({ e, fc, fn });
          else edges.set(k, [{ e, fc, fn }]);
        }
      }
    }
    const done = new Set<string>();
    const reported = new Set<Node>();
    const info = pass.withDefaultSeverity('info');
    for (const [k, fwd] of edges) {
      const [a, b] = k.split('\u0000') as [string, string];
      const rev = edges.get(`${b}\u0000${a}`);
      const pair = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
      if (!rev || done.has(pair)) continue;
      done.add(pair);
      // Only pairs whose locks can be the same objects close a cycle: the A of one edge
      // and the A of the other, and likewise B (lockinstances.ts: allocation sites,
      // discriminant fields, containers).
      const li = lockInstances(pass.facts);
      // And only pairs whose two sides can run at the same time (lockoverlap.ts: not both
      // confined to one goroutine, not joined before, not under a common gate lock).
      const ov = lockOverlap(pass.facts);
      const cyc = cycles(li, fwd, rev).filter(([x, y]) => ov.mayOverlap(x, y));
      if (cyc.length === 0) continue;
      // Both orders in code that can run at any time (production code, test helpers), or
      // both in one test: a deadlock of the program or of that test. One order only in a
      // test function that reaches into the package's locks (usually while the system is
      // quiet), or the two orders in two different tests, is a weaker claim: info.
      const same = pick(cyc);
      const [x, y] = same ?? (cyc[0] as [Edge, Edge]);
      // One finding per blocking operation: each of the two goroutines waits forever at
      // the Lock of its inner lock (in a callee when taken through a call), which is where
      // a goroutine dump shows it. Reported in the package's file order.
      const [first, second] = order(x, y);
      const caveat = same ? '' : weaker(first, second);
      for (const [me, other] of [
        [first, second],
        [second, first],
      ] as Array<[Edge, Edge]>) {
        const f = me.e;
        const s = other.e;
        const where = f.inner.site;
        if (reported.has(where.node)) continue;
        reported.add(where.node);
        const A = f.outer.ref.text.replace(/^&/, '');
        const B = f.inner.ref.text.replace(/^&/, '');
        const A2 = s.inner.ref.text.replace(/^&/, '');
        const B2 = s.outer.ref.text.replace(/^&/, '');
        const loc = (z: { node: { start: number }; file: { path: string; line(o: number): number } }): string => siteRef(z.file, z.node.start, where.file);
        const direct = where.node === f.at.node;
        const via = f.inner.via.length ? ` (through ${f.inner.via.join(' → ')})` : '';
        (same ? pass : info).report({
          node: where.node,
          file: where.file,
          message: `lock order inversion: ${me.fc.nameOf(me.fn)} acquires ${B}${via} here while holding ${A} (locked at ${loc(f.outer.site)}${direct ? '' : `, call at ${loc(f.at)}`}), but ${other.fc.nameOf(other.fn)} acquires ${A2} while holding ${B2} (${loc(s.at)}): two goroutines taking these paths can each hold one lock and wait forever for the other${caveat}`,
          fixHint: `acquire ${f.outer.ref.tkey ?? A} and ${f.inner.ref.tkey ?? B} in the same order everywhere (or release ${A} before taking ${B})`,
          related: [
            ...(direct ? [] : [{ file: f.at.file.path, range: f.at.file.range(f.at.node), message: `${me.fc.nameOf(me.fn)} calls into the Lock here while holding ${A}` }]),
            { file: s.at.file.path, range: s.at.file.range(s.at.node), message: `${other.fc.nameOf(other.fn)} acquires ${A2} while holding ${B2}` },
            { file: f.outer.site.file.path, range: f.outer.site.file.range(f.outer.site.node), message: `${A} locked here` },
          ],
        });
      }
    }
    for (const fc of pass.functions()) {
      const info = la.of(fc);
      for (const pp of info?.paramPairs ?? []) {
        if (reported.has(pp.inner.site.node)) continue;
        const sw = swappedCalls(pass.facts, fc.decl, pp.i, pp.j);
        if (!sw) continue;
        reported.add(pp.inner.site.node);
        const A = pp.outer.ref.text.replace(/^&/, '');
        const B = pp.inner.ref.text.replace(/^&/, '');
        const name = fc.nameOf(fc.decl);
        const l1 = siteRef(sw.file, sw.a.start, fc.file);
        const l2 = siteRef(sw.file, sw.b.start, fc.file);
        pass.report({
          node: pp.inner.site.node,
          file: fc.file,
          message: `lock order inversion: ${name} locks ${B} while holding ${A} (locked at ${siteRef(pp.outer.site.file, pp.outer.site.node.start, fc.file)}), and ${sw.caller} runs it with the two arguments swapped at the same time (${sw.text1} at ${l1}, ${sw.text2} at ${l2}): each goroutine can hold its first object's lock and wait forever for the other's`,
          fixHint: `lock the two objects in one global order inside ${name} (for example by an id), whatever the argument order`,
          related: [
            { file: pp.outer.site.file.path, range: pp.outer.site.file.range(pp.outer.site.node), message: `${A} locked here` },
            { file: sw.file.path, range: sw.file.range(sw.a), message: sw.text1 },
            { file: sw.file.path, range: sw.file.range(sw.b), message: sw.text2 },
          ],
        });
      }
    }
  },
});

/**
 * Two calls of `decl` in one function, at least one started with `go`, whose arguments
 * `i` and `j` name the same two objects in opposite order (`go transfer(a, b)`, `go
 * transfer(b, a)`): the two runs lock the pair in opposite orders at the same time.
 */
function swappedCalls(facts: PackageFacts, decl: Node, i: number, j: number): { caller: string; file: SourceFile; a: Node; b: Node; text1: string; text2: string } | undefined {
  const nameNode = field(decl, 'name');
  const dfile = facts.pkg.funcDecls.find((d) => d.decl === decl)?.file;
  if (!nameNode || !dfile) return undefined;
  const word = new RegExp(`\\b${dfile.textOf(nameNode)}\\s*\\(`);
  for (const { decl: d, file } of facts.pkg.funcDecls) {
    if (!word.test(file.text.slice(d.start, d.end))) continue;
    const fc = facts.funcCtx(d, file);
    const calls: Array<{ call: Node; x: string; y: string; go: boolean }> = [];
    walk(d, (n) => {
      if (n.type !== 'call_expression') return;
      const c = fc.res.callee(n);
      if (!((c.kind === 'method' && c.method.decl === decl) || (c.kind === 'func' && c.obj.kind === 'func' && c.obj.node === decl))) return;
      const args = callArgs(n);
      const ai = args[i];
      const aj = args[j];
      const x = ai ? lockRef(fc, ai) : undefined;
      const y = aj ? lockRef(fc, aj) : undefined;
      // The same variable in one function: a loop variable or a reassigned one may name two objects.
      if (!x || !y || x.key === y.key || !/^l\d+$/.test(x.key) || !/^l\d+$/.test(y.key)) return;
      calls.push({ call: n, x: x.key, y: y.key, go: n.parent?.type === 'go_statement' });
    });
    for (const a of calls) {
      for (const b of calls) {
        if (a === b || a.call.start > b.call.start || !(a.go || b.go) || a.x !== b.y || a.y !== b.x) continue;
        if (reassignedIn(fc, a.x) || reassignedIn(fc, a.y)) continue;
        return { caller: fc.nameOf(d), file, a: a.call, b: b.call, text1: fc.text(a.call), text2: fc.text(b.call) };
      }
    }
  }
  return undefined;
}

/** True when the local declared at offset `key` (`l<offset>`) is assigned after its declaration. */
function reassignedIn(fc: FuncCtx, key: string): boolean {
  const off = Number(key.slice(1));
  for (const [v, refs] of fc.res.refs) {
    if (v.ident.start !== off) continue;
    if (v.rangeOf) return true;
    for (const r of refs) {
      const p = r.parent;
      if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.children[0] === p) return true;
    }
  }
  return false;
}

type Edge = { e: OrderEdge; fc: FuncCtx; fn: Node };

/** `test:<name>` for an edge in a test, benchmark, fuzz or example function; `any` for code that may run at any time. */
function runsIn(x: Edge): string {
  const nameNode = field(x.fc.decl, 'name');
  const name = nameNode ? x.fc.text(nameNode) : '';
  return x.e.at.file.path.endsWith('_test.go') && /^(?:Test|Benchmark|Fuzz|Example)/.test(name) ? `test:${x.fc.name}` : 'any';
}

/** Why an inversion whose two orders never run in the same test or in production is reported at info. */
function weaker(a: Edge, b: Edge): string {
  const ta = runsIn(a);
  const tb = runsIn(b);
  if (ta !== 'any' && tb !== 'any') return `; the two orders are in two tests (${a.fc.name}, ${b.fc.name}), which only run at the same time if both call t.Parallel`;
  const t = ta !== 'any' ? a : b;
  return `; only the test ${t.fc.name} takes one of the two orders, so the deadlock needs the other path to run while that test holds its lock`;
}

/** A forward and a reverse edge that can run at the same time: both in code that runs any time, or both in one test. */
function pick(pairs: Array<[Edge, Edge]>): [Edge, Edge] | undefined {
  return pairs.find(([x, y]) => runsIn(x) === 'any' && runsIn(y) === 'any') ?? pairs.find(([x, y]) => runsIn(x) === runsIn(y));
}

/** Most edge pairs compared per lock pair (the rest are assumed to alias). */
const MAX_PAIRS = 64;

/**
 * The (forward, reverse) edge pairs that can form a cycle on the same objects: the outer
 * lock of one may be the inner lock of the other, both ways.
 */
function cycles(li: LockInstances, fwd: Edge[], rev: Edge[]): Array<[Edge, Edge]> {
  const origins = new Map<string, ReturnType<LockInstances['ownerOrigins']>>();
  const of = (x: Edge, which: 'outer' | 'inner') => {
    const ref = which === 'outer' ? x.e.outer.ref : x.e.inner.ref;
    const at = which === 'outer' ? x.e.outer.site.node : x.e.at.node;
    const k = `${which}:${x.fn.start}:${x.e.at.node.start}:${x.fc.file.path}`;
    let o = origins.get(k);
    if (!o) origins.set(k, (o = li.ownerOrigins(x.fc, ref.key, at)));
    return o;
  };
  const out: Array<[Edge, Edge]> = [];
  let n = 0;
  for (const x of fwd) {
    for (const y of rev) {
      if (n++ >= MAX_PAIRS) {
        out.push([x, y]);
        continue;
      }
      if (LockInstances.mayAlias(of(x, 'outer'), of(y, 'inner')) && LockInstances.mayAlias(of(x, 'inner'), of(y, 'outer'))) out.push([x, y]);
    }
  }
  return out;
}

function order<T extends Edge>(x: T, y: T): [T, T] {
  const kx = `${x.e.at.file.path}\u0000${String(x.e.at.node.start).padStart(10, '0')}`;
  const ky = `${y.e.at.file.path}\u0000${String(y.e.at.node.start).padStart(10, '0')}`;
  return kx <= ky ? [x, y] : [y, x];
}
