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
import { lockAnalysis, lockEscapes, type HeldAtExit } from '../../analysis/locks.js';
import { createRule } from '../../analysis/rule.js';
import type { FuncCtx } from '../../analysis/pass.js';
import { field, named, walk, type Node } from '../../go/syntax.js';
import { funcOf } from '../../go/types.js';

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
        for (const [site, hs] of bySite) {
          const h = hs[0] as HeldAtExit;
          const key = h.ref.key;
          if (seen.has(site) || doubles.has(site) || lockEscapes(la, info, key)) continue;
          const everyExit = info.exitKeys.every((ks) => ks.has(key));
          // A lock helper: it returns holding a lock of its receiver, parameters or
          // package on every path; callers see that through its summary.
          // A goroutine body is never a lock helper: nobody runs after it to unlock.
          const goBody = info.fn.parent?.type === 'call_expression' && info.fn.parent.parent?.type === 'go_statement';
          if (everyExit && !key.startsWith('l') && !goBody) continue;
          // A conditional lock helper (syscall.acquireForkLock: locks a package-level
          // lock only when a counter is zero) never unlocks it itself; a function that
          // forgot an Unlock on one path unlocks on the others.
          if (!key.startsWith('l') && !info.unlocks.has(`${key}#${h.mode}`) && !goBody) continue;
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
      }
    }
  },
});

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
