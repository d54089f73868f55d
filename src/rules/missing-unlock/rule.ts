/**
 * @fileoverview missing-unlock: a path from Lock (or RLock) to a normal return on which
 * the mutex is neither unlocked nor released by a deferred Unlock. After that return the
 * mutex stays locked and every later Lock of it, in any goroutine, blocks forever (a
 * sync.Mutex has no owner that could release it on exit; see the sync package docs).
 *
 * Contract functions are not reported: a function whose name ends in "Locked" (the
 * stdlib convention for "called with the lock held"), a function that returns with the
 * lock held on every path (a lock helper: its callers get the lock through its summary
 * and are checked instead), a function returning bool (the "try to acquire" shape), and
 * locks whose unlock is handed over (to a goroutine, a returned closure, another package).
 */
import { FMT_FUNCS, localOfLockKey, lockAnalysis, lockCallOf, lockEscapes, lockRef, type HeldAtExit, type LockAnalysis } from '../../analysis/locks.js';
import { exhaustiveEnumSwitch, infeasibleSwitchEdge } from '../../analysis/conds.js';
import { reachesAvoiding } from '../../analysis/joins.js';
import { createRule } from '../../analysis/rule.js';
import { importedCallName, type FuncCtx, type PackageFacts } from '../../analysis/pass.js';
import { cfgNodeOf, type Block } from '../../go/cfg.js';
import type { SourceFile } from '../../go/source.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { funcOf, lookupMethod } from '../../go/types.js';
import { receiverTypeName } from '../../go/package.js';

export default createRule({
  id: 'missing-unlock',
  severity: 'warning',
  since: '0.2.0',
  category: 'deadlock',
  description: 'A mutex locked in a function is still held on some path that returns normally.',
  help:
    'When a function returns while still holding a mutex it locked, the next Lock of that mutex blocks forever, in every goroutine. Use "defer mu.Unlock()" right after Lock, or unlock before every early return.',
  // A Lock, or an Unlock after a lock taken through a helper.
  triggers: /\.R?(?:Lock|Unlock)\(\)/,
  run(pass) {
    const la = lockAnalysis(pass.facts);
    const seen = new Set<Node>();
    for (const fc of pass.functions()) {
      if (/Locked$/.test(fc.name)) continue;
      const doubles = new Set<Node>();
      const infos = fc.res.funcs.map((fn) => la.of(fc, fn));
      for (const i of infos) for (const d of i?.doubles ?? []) doubles.add(d.node);
      for (const info of infos) {
        if (!info || info.inlined) continue;
        // `func (s *S) tryLock() bool` and `func grab() (*conn, releaseFunc, error)`:
        // the caller learns whether it holds the lock, or gets the function that releases it.
        if (returnsBool(info.fn, fc.text.bind(fc)) || returnsFunc(fc, info.fn)) continue;
        const bySite = new Map<Node, HeldAtExit[]>();
        for (const h of info.heldAtExit) {
          if (h.site.file !== fc.file) continue;
          const l = bySite.get(h.site.node) ?? [];
          l.push(h);
          bySite.set(h.site.node, l);
        }
        for (const [site, all] of bySite) {
          // Exits reached only through a switch's impossible default are not exits.
          const hs = feasibleExits(fc, info.fn, site, all);
          const h = hs[0];
          if (!h) continue;
          const key = h.ref.key;
          if (seen.has(site) || doubles.has(site) || lockEscapes(la, info, key)) continue;
          const everyExit = info.exitKeys.every((ks) => ks.has(key));
          // A lock helper: it returns holding a lock of its receiver, parameters or
          // package on every path; callers see that through its summary.
          // A goroutine body is never a lock helper: nobody runs after it to unlock.
          const goBody = info.fn.parent?.type === 'call_expression' && info.fn.parent.parent?.type === 'go_statement';
          if (everyExit && !key.startsWith('l') && !goBody) continue;
          // The acquire half of a lock API on a wrapper type (`func (l *KeyLock) Lock(key)`
          // returning holding the per-key mutex that `(*KeyLock).Unlock(key)` releases).
          if (everyExit && !goBody && releasedBySibling(la, fc, info.fn, h)) continue;
          // A conditional lock helper (syscall.acquireForkLock: locks a package-level
          // lock only when a counter is zero) never unlocks it itself; a function that
          // forgot an Unlock on one path unlocks on the others.
          if (!key.startsWith('l') && !info.unlocks.has(`${key}#${h.mode}`) && !goBody) continue;
          // A fresh local object whose only Lock is this one: nobody ever waits for it.
          if (onlyLockOfLocal(la, fc, key, site)) continue;
          seen.add(site);
          const name = h.ref.text.replace(/^&/, '');
          const rets = hs.map((x) => x.ret).filter((r): r is Node => r !== undefined).sort((a, b) => a.start - b.start);
          const ret = rets[0];
          const siteLine = fc.file.line(site.start);
          // The function that holds it: a goroutine or function literal, not the declaration around it.
          const holder = fc.nameOf(info.fn);
          const retDesc = ret ? `the return at line ${fc.file.line(ret.start)}${info.fn === fc.decl ? '' : ` of ${holder}`}` : `the end of ${holder}`;
          const unlock = h.mode === 'R' ? 'RUnlock' : 'Unlock';
          const acquired = site.type === 'call_expression' && /\.R?Lock$/.test(fc.text(field(site, 'function') ?? site)) ? `${name} is locked here` : `${name} is acquired through this call`;
          pass.report({
            node: site,
            file: fc.file,
            message: `${acquired} and is still held at ${retDesc} (no ${unlock} on that path and no deferred ${unlock}): after the function returns nothing unlocks ${name}, so the next Lock of it blocks forever`,
            fixHint: `add "defer ${name}.${unlock}()" right after line ${siteLine}, or call ${name}.${unlock}() before ${retDesc}`,
            related: ret ? [{ file: fc.file.path, range: fc.file.range(ret), message: `returns with ${name} still locked` }] : undefined,
          });
        }
        // A panic with the lock held, recovered by a caller on this goroutine.
        for (const h of info.fn === fc.decl ? info.heldAtPanic : []) {
          if (seen.has(h.site.node) || h.site.file !== fc.file || doubles.has(h.site.node) || lockEscapes(la, info, h.ref.key) || h.ref.key.startsWith('l')) continue;
          const rec = recoveringCaller(pass.facts, fc.decl);
          if (!rec) continue;
          seen.add(h.site.node);
          const name = h.ref.text.replace(/^&/, '');
          const unlock = h.mode === 'R' ? 'RUnlock' : 'Unlock';
          pass.report({
            node: h.site.node,
            file: fc.file,
            message: `${name} is locked here and still held at the panic at line ${fc.file.line(h.panic.start)} (no deferred ${unlock}); ${rec.name} recovers that panic (line ${rec.file.line(rec.recover.start)}) and goes on, so ${name} stays locked and the next Lock of it blocks forever`,
            fixHint: `add "defer ${name}.${unlock}()" right after line ${fc.file.line(h.site.node.start)} (a panic runs only deferred calls)`,
            related: [
              { file: fc.file.path, range: fc.file.range(h.panic), message: `panics with ${name} locked` },
              { file: rec.file.path, range: rec.file.range(rec.recover), message: 'recovers the panic' },
            ],
          });
        }
      }
    }
  },
});

/**
 * The held exits of one lock site that a feasible path reaches. When `fn` switches over a
 * closed enum with a case for every member ({@link exhaustiveEnumSwitch}: `switch t { case
 * A: ...; case B: ...; case C: ...; default: }` over `type readType int` with an `iota`
 * block of A, B, C), its default clause (or the way out past every case) never runs; an
 * exit that no path from the lock reaches without taking such an edge or passing an
 * Unlock of the same lock in `fn` itself is dropped. Without such a switch the exits are
 * returned as they are (this search does not follow the lock analysis's correlated
 * conditions or helper unlocks, so it only ever removes exits that need the impossible
 * edge).
 */
function feasibleExits(fc: FuncCtx, fn: Node, site: Node, hs: HeldAtExit[]): HeldAtExit[] {
  let any = false;
  walk(fn, (n) => {
    if (any || (n !== fn && n.type === 'func_literal')) return false;
    if (n.type === 'expression_switch_statement' && exhaustiveEnumSwitch(fc, n)) any = true;
    return any ? false : undefined;
  });
  if (!any) return hs;
  const g = fc.cfg(fn);
  const from = g ? cfgNodeOf(g, site) : undefined;
  if (!g || !from) return hs;
  return hs.filter((h) => {
    const unlocks: Node[] = [];
    walk(fn, (n) => {
      if (n !== fn && n.type === 'func_literal') return false;
      if (n.type !== 'call_expression') return undefined;
      const lc = lockCallOf(fc, n);
      if (lc?.op === 'unlock' && lc.mode === h.mode && lc.ref?.key === h.ref.key) unlocks.push(n);
      return undefined;
    });
    const unlocked = (n: Node): boolean => unlocks.some((u) => u.start >= n.start && u.end <= n.end);
    const edgeBarrier = (to: Block, b: Block): boolean => infeasibleSwitchEdge(fc, b, to);
    const ret = h.ret;
    if (ret) return reachesAvoiding(g, from, (n) => n === ret, unlocked, { edgeBarrier });
    return reachesAvoiding(g, from, () => false, (n) => unlocked(n) || n.type === 'return_statement', { toExit: true, edgeBarrier });
  });
}

/**
 * True when method `fn` (which returns holding `h` on every path) is the acquire half of a
 * lock API: another method of the same receiver type unlocks a mutex of the same
 * type-level identity (`countedLock.mu`, found through the receiver's map in both) in the
 * same mode without having locked it itself on every path before (the lock analysis's
 * `heldAt` does not hold it there), so that method is entered with it held and releases
 * it. Callers pair the two methods, as they pair `mu.Lock()` and `mu.Unlock()`; a caller
 * that forgets the release is the caller's bug. Package-level mutexes are left to the
 * lock-helper rule above.
 */
function releasedBySibling(la: LockAnalysis, fc: FuncCtx, fn: Node, h: HeldAtExit): boolean {
  const tkey = h.ref.tkey;
  if (fn !== fc.decl || fn.type !== 'method_declaration' || !tkey || tkey.startsWith('g:')) return false;
  const recvType = receiverTypeName(fn, fc.file);
  if (!recvType) return false;
  // Also the methods of the type that owns the mutex, when this method hands the locked
  // object to its caller (`e.el.Lock(); return e` as an `Unlocker` whose `Unlock` releases
  // `e.el`): the caller holds the object and releases it through it.
  const owner = handsOutOwner(fc, fn, h) ? tkey.slice(0, tkey.indexOf('.')) : undefined;
  for (const { decl, file } of la.facts.pkg.funcDecls) {
    if (decl === fn || decl.type !== 'method_declaration' || !file.textOf(decl).includes('Unlock()')) continue;
    const rt = receiverTypeName(decl, file);
    if (rt !== recvType && (owner === undefined || rt !== owner)) continue;
    const fc2 = la.facts.funcCtx(decl, file);
    const g = fc2.cfg(decl);
    const info2 = g ? la.of(fc2, decl) : undefined;
    if (!g || !info2) continue;
    let releases = false;
    walk(decl, (n) => {
      if (releases || n.type === 'func_literal') return false;
      if (n.type !== 'call_expression') return undefined;
      const lc = lockCallOf(fc2, n);
      if (lc?.op !== 'unlock' || lc.mode !== h.mode || lc.ref?.tkey !== tkey) return undefined;
      const at = cfgNodeOf(g, n);
      const held = at ? info2.heldAt.get(at) : undefined;
      if (held && !held.has(lc.ref.key)) releases = true;
      return undefined;
    });
    if (releases) return true;
  }
  return false;
}

/**
 * True when every return statement of `fn` returns the object whose mutex `h` holds (the
 * held lock `x.mu`'s owner `x`, named as the lock analysis names it), and there is one.
 */
function handsOutOwner(fc: FuncCtx, fn: Node, h: HeldAtExit): boolean {
  const dot = h.ref.key.lastIndexOf('.');
  if (dot <= 0) return false;
  const ownerKey = h.ref.key.slice(0, dot);
  const body = field(fn, 'body');
  if (!body) return false;
  let rets = 0;
  let all = true;
  walk(body, (n) => {
    if (!all || n.type === 'func_literal') return false;
    if (n.type !== 'return_statement') return undefined;
    rets++;
    if (!exprList(named(n)[0]).some((r) => lockRef(fc, r)?.key === ownerKey)) all = false;
    return false;
  });
  return all && rets > 0;
}

/**
 * True when `key` is a mutex of a local variable initialised with a fresh object (`de :=
 * new(endpoint)`, `&endpoint{}`), never reassigned, and used only through field reads and
 * writes of plain values and lock calls on its mutexes, with `site` the only Lock of
 * `key`, run at most once per object (not in a loop or a closure that can run again). A
 * lock left held on it blocks nobody: no other code can reach that object's mutex (a
 * race test that locks an object it then abandons).
 */
function onlyLockOfLocal(la: LockAnalysis, fc: FuncCtx, key: string, site: Node): boolean {
  const m = /^l\d+\./.exec(key);
  if (!m || !site.parent || site.type !== 'call_expression') return false;
  const v = localOfLockKey(fc, key);
  if (!v || v.kind !== 'var' || !v.init || v.init.count !== 1 || v.rangeOf) return false;
  const init = unparen(v.init.expr);
  const fresh =
    (init.type === 'call_expression' && fc.res.callee(init).kind === 'builtin' && fc.text(field(init, 'function') ?? init) === 'new') ||
    (init.type === 'unary_expression' && unparen(field(init, 'operand') ?? init).type === 'composite_literal');
  if (!fresh) return false;
  for (const r of fc.res.refs.get(v) ?? []) {
    if (r === v.ident) continue;
    let top: Node = r;
    while (top.parent?.type === 'selector_expression' && field(top.parent, 'operand') === top) top = top.parent;
    if (top === r) {
      // Formatted by fmt (`fmt.Fprintf(w, "%v", p)`): only its String/Error methods run on it.
      if (formattedWithoutLock(la, fc, r, key.slice(m[0].length - 1))) continue;
      return false; // the object itself handed on, compared, reassigned
    }
    const call = top.parent?.type === 'call_expression' && field(top.parent, 'function') === top ? top.parent : undefined;
    if (call) {
      const lc = lockCallOf(fc, call);
      if (!lc) return false; // a method that may lock it
      if (lc.op !== 'unlock' && call !== site) return false;
      continue;
    }
    if (top.parent?.type === 'unary_expression') return false; // `&de.mu`, `&de.n`
    if (fc.res.typeOf(top).kind !== 'basic') return false;
  }
  // The Lock runs once per object: no loop or re-runnable closure between it and the variable.
  for (let p: Node | null | undefined = site.parent; p && p !== v.func; p = p.parent) {
    if (p.type === 'for_statement') return false;
    if (p.type === 'func_literal' && !(p.parent?.type === 'call_expression' && field(p.parent, 'function') === p)) return false;
  }
  return true;
}

/**
 * True when `obj` is an operand of a fmt/log formatting call and none of the methods fmt
 * calls on it (`String`, `Error`, `GoString`, `Format`; fmt/print.go, handleMethods) takes
 * the lock at `path` under it: without them fmt reads the fields by reflection, locking
 * nothing.
 */
function formattedWithoutLock(la: LockAnalysis, fc: FuncCtx, obj: Node, path: string): boolean {
  const call = obj.parent?.type === 'argument_list' ? obj.parent.parent : undefined;
  const name = call?.type === 'call_expression' ? importedCallName(fc, call) : undefined;
  if (!name || !FMT_FUNCS.has(name)) return false;
  const t = fc.res.typeOf(obj);
  for (const mname of ['String', 'Error', 'GoString', 'Format']) {
    const meth = lookupMethod(t, mname);
    if (!meth) continue;
    if (!meth.decl || meth.pkg !== la.facts.pkg.importPath) return false;
    const sum = la.summaryOfDecl(meth.decl);
    if (!sum) return false;
    const keys = [...sum.locks.keys(), ...(sum.mayLocks?.keys() ?? []), ...sum.acquires.keys()];
    if (keys.some((k) => k === `recv${path}` || k.startsWith(`recv${path}.`))) return false;
  }
  return true;
}

/** Most call levels searched above a panicking function for a deferred recover. */
const RECOVER_DEPTH = 3;

/**
 * A function that calls `decl` (directly or up to RECOVER_DEPTH calls up, on the same
 * goroutine: not through a `go` statement) and defers a function that calls `recover()`
 * directly (Go spec, "Handling panics": recover stops the panic only when called by a
 * deferred function). Callers are found by the called name in the package's text and
 * confirmed by resolving the call. A recover only counts when the panic really ends
 * there and the program goes on:
 * - the `defer` statement runs before the call (a deferred function is registered when
 *   the defer statement executes, so it cannot catch a panic of an earlier call);
 * - the deferred function does not panic again (`if r := recover(); r != nil { cleanup();
 *   panic(r) }` only cleans up on the way out: the panic goes on to the next frame);
 * - it is not in a test file: a test that recovers checks that the panic happens (an API
 *   assertion) and drops the object, it does not go on using it.
 */
function recoveringCaller(facts: PackageFacts, decl: Node): { name: string; file: SourceFile; recover: Node } | undefined {
  let level: Node[] = [decl];
  const seen = new Set<Node>(level);
  for (let depth = 0; depth < RECOVER_DEPTH && level.length > 0; depth++) {
    const next: Node[] = [];
    for (const callee of level) {
      const nameNode = field(callee, 'name');
      if (!nameNode) continue;
      const cfile = facts.pkg.funcDecls.find((d) => d.decl === callee)?.file;
      const cname = cfile ? cfile.textOf(nameNode) : '';
      if (!cname) continue;
      const word = new RegExp(`\\b${cname}\\s*\\(`);
      for (const { decl: d, file } of facts.pkg.funcDecls) {
        if (seen.has(d) || !word.test(file.text.slice(d.start, d.end))) continue;
        const fc = facts.funcCtx(d, file);
        const calls: Node[] = [];
        walk(d, (n) => {
          if (n.type === 'go_statement' || n.type === 'func_literal') return false;
          if (n.type !== 'call_expression') return undefined;
          const c = fc.res.callee(n);
          if ((c.kind === 'method' && c.method.decl === callee) || (c.kind === 'func' && c.obj.kind === 'func' && c.obj.node === callee)) calls.push(n);
          return undefined;
        });
        if (calls.length === 0) continue;
        seen.add(d);
        const r = file.path.endsWith('_test.go') ? undefined : deferredRecover(fc, d);
        if (r && calls.some((c) => c.start >= r.defer.end)) return { name: fc.nameOf(d), file, recover: r.recover };
        next.push(d);
      }
    }
    level = next;
  }
  return undefined;
}

/**
 * The `recover()` call of a `defer func() { ... recover() ... }()` that is a statement of
 * `decl`'s body itself (registered on every path that goes on past it), with its defer
 * statement; none when that function panics again.
 */
function deferredRecover(fc: FuncCtx, decl: Node): { recover: Node; defer: Node } | undefined {
  const body = field(decl, 'body');
  const stmts = body ? (named(body).find((c) => c.type === 'statement_list') ?? body) : undefined;
  for (const n of stmts ? named(stmts) : []) {
    if (n.type !== 'defer_statement') continue;
    const call = named(n).find((c) => c.type === 'call_expression');
    const lit = call ? field(call, 'function') : undefined;
    if (lit?.type !== 'func_literal') continue;
    let rec: Node | undefined;
    let repanics = false;
    walk(lit, (m) => {
      if (m !== lit && m.type === 'func_literal') return false;
      if (m.type !== 'call_expression' || fc.res.callee(m).kind !== 'builtin') return undefined;
      const name = fc.text(field(m, 'function') ?? m);
      if (name === 'recover') rec ??= m;
      else if (name === 'panic') repanics = true;
      return undefined;
    });
    if (rec && !repanics) return { recover: rec, defer: n };
  }
  return undefined;
}

/** True when a result of the function is a func type (a release function handed to the caller). */
function returnsFunc(fc: FuncCtx, fn: Node): boolean {
  const res = field(fn, 'result');
  if (!res) return false;
  const types = res.type === 'parameter_list' ? named(res).map((p) => field(p, 'type') ?? p) : [res];
  return types.some((t) => t.type === 'function_type' || funcOf(fc.res.typeFromExpr(t)) !== undefined);
}

/** True when the function has a bool result (a conditional acquire: `func (s *S) tryLock() bool`). */
function returnsBool(fn: Node, text: (n: Node) => string): boolean {
  const res = field(fn, 'result');
  if (!res) return false;
  let found = false;
  walk(res, (n) => {
    if (n.type === 'type_identifier' && text(n) === 'bool') found = true;
  });
  return found;
}
