/**
 * @fileoverview double-lock: a mutex locked again on a path where it is already held by
 * the same goroutine, directly or through calls to same-package functions and methods.
 * sync.Mutex is not reentrant ("A locked Mutex is not associated with a particular
 * goroutine"), so the second Lock blocks forever. For sync.RWMutex, Lock while holding
 * RLock (or RLock while holding Lock) deadlocks the same way, and a recursive RLock
 * deadlocks as soon as a writer is waiting: the sync docs say "a blocked Lock call
 * excludes new readers from acquiring the lock" and prohibit recursive read locking.
 */
import { lockAnalysis, lockEscapes, type DoubleLock, type LockAnalysis, type LockMode } from '../../analysis/locks.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { createRule, siteRef } from '../../analysis/rule.js';
import type { Node } from '../../go/syntax.js';

const lockName = (m: LockMode): string => (m === 'R' ? 'RLock' : 'Lock');

export default createRule({
  id: 'double-lock',
  severity: 'error',
  since: '0.2.0',
  category: 'deadlock',
  description: 'A sync.Mutex or sync.RWMutex is locked again by the goroutine that already holds it, directly or through a same-package call.',
  help:
    'Go mutexes are not reentrant: a goroutine that calls Lock on a mutex it already holds blocks forever, and so does Lock while holding RLock of the same RWMutex (or the reverse). A recursive RLock deadlocks as soon as a writer is waiting. Unlock before locking again, or split the callee into a variant that expects the lock to be held (a "...Locked" method).',
  // Only functions that take a lock can hold one when they lock again (callees are followed through summaries).
  triggers: /\.R?Lock\(\)/,
  run(pass) {
    const la = lockAnalysis(pass.facts);
    const seen = new Set<Node>();
    const visited = new Set<Node>();
    const check = (fc: FuncCtx, callbacksOnly: boolean): void => {
      visited.add(fc.decl);
      for (const fn of fc.res.funcs) {
        const info = la.of(fc, fn);
        if (!info) continue;
        for (const d of info.doubles) {
          if (seen.has(d.node) || (callbacksOnly && !d.holder) || lockEscapes(la, info, d.ref.key)) continue;
          // A recursive RLock with no writer anywhere cannot deadlock.
          if (d.mode === 'R' && d.held.mode === 'R' && !la.mayWriteLock(fc, d.ref)) continue;
          if (d.may) {
            const at = d.inner?.site.node;
            if (!at || seen.has(at)) continue;
            seen.add(at);
            reportMay(pass, fc, d);
            if (d.mode === 'R' && d.held.mode === 'R') reportWriters(pass, la, fc, d, seen);
            continue;
          }
          seen.add(d.node);
          report(pass, fc, d);
          if (d.mode === 'R' && d.held.mode === 'R') reportWriters(pass, la, fc, d, seen);
        }
      }
    };
    for (const fc of pass.functions()) check(fc, false);
    // A function that locks nothing itself can hand a locking callback to a callee that
    // runs it under the callee's lock (LockSummary.heldCalls): its callers that pass a
    // func literal or closure are visited too, for those findings only.
    const names = [...la.heldCallNames()];
    if (names.length === 0) return;
    const calls = new RegExp(`\\b(?:${names.join('|')})\\s*\\(`);
    for (const fc of pass.facts.functions(calls)) {
      if (visited.has(fc.decl) || !/\bfunc\(/.test(fc.file.text.slice(fc.decl.start, fc.decl.end))) continue;
      check(fc, true);
    }
  },
});

function report(pass: Pass, fc: FuncCtx, d: DoubleLock): void {
  const heldLine = d.held.site.file.line(d.held.site.node.start);
  const heldWhere =
    d.held.site.node === d.node ? `line ${heldLine} on the previous loop iteration` : siteRef(d.held.site.file, d.held.site.node.start, fc.file);
  const name = d.ref.text.replace(/^&/, '');
  const why =
    d.held.mode === 'W' && d.mode === 'W'
      ? 'sync.Mutex is not reentrant, so this goroutine blocks forever waiting for itself'
      : d.held.mode === 'R' && d.mode === 'W'
        ? 'Lock waits for every reader to RUnlock, including this goroutine, so it blocks forever'
        : d.held.mode === 'W' && d.mode === 'R'
          ? 'RLock waits for the writer to Unlock, and the writer is this goroutine, so it blocks forever'
          : 'a recursive RLock deadlocks as soon as another goroutine calls Lock between the two RLocks (the waiting writer blocks new readers, sync.RWMutex docs)';
  const related = [{ file: d.held.site.file.path, range: d.held.site.file.range(d.held.site.node), message: `${name} ${d.held.mode === 'R' ? 'read-' : ''}locked here` }];
  let what: string;
  if (d.inner) {
    const chain = d.inner.via.join(' → ');
    what = `calling ${chain} ${lockName(d.mode)}s ${name} (${siteRef(d.inner.site.file, d.inner.site.node.start, fc.file)}) while this goroutine already holds it (${lockName(d.held.mode)} at ${heldWhere}, no unlock in between)`;
    related.push({ file: d.inner.site.file.path, range: d.inner.site.file.range(d.inner.site.node), message: `${chain} ${lockName(d.mode)}s ${name} here` });
  } else {
    what = `${name}.${lockName(d.mode)}() is called while ${name} is already held (${lockName(d.held.mode)} at ${heldWhere}, no unlock in between)`;
  }
  pass.report({
    node: d.node,
    file: fc.file,
    message: `${what}: ${why}`,
    fixHint: d.inner
      ? `unlock ${name} before the call, or call a variant of ${d.inner.via[d.inner.via.length - 1] ?? 'the callee'} that expects the lock to be held (a "...Locked" method)`
      : `unlock ${name} before locking it again (or remove one of the two locks)`,
    related,
  });
}

/**
 * A lock the callee takes on some of its paths (a self-bound field's method that locks
 * only for some inputs): reported at that Lock, where the goroutine blocks, naming the
 * caller that holds it and the call.
 */
function reportMay(pass: Pass, fc: FuncCtx, d: DoubleLock): void {
  const inner = d.inner;
  if (!inner) return;
  const name = d.ref.text.replace(/^&/, '');
  const chain = inner.via.join(' → ');
  const holder = d.holder ?? fc.nameOf(fc.decl);
  const heldAt = siteRef(d.held.site.file, d.held.site.node.start, inner.site.file);
  const callAt = d.holderCall ? siteRef(d.holderCall.file, d.holderCall.node.start, inner.site.file) : siteRef(fc.file, d.node.start, inner.site.file);
  const why =
    d.held.mode === 'R' && d.mode === 'R'
      ? 'a recursive RLock deadlocks as soon as another goroutine calls Lock between the two RLocks (the waiting writer blocks new readers, sync.RWMutex docs)'
      : d.held.mode === 'R'
        ? 'Lock waits for every reader to RUnlock, including this goroutine, so it blocks forever'
        : 'sync.Mutex is not reentrant, so this goroutine blocks forever waiting for itself';
  pass.report({
    node: inner.site.node,
    file: inner.site.file,
    message: `this ${lockName(d.mode)} of ${name} can run while the same goroutine already holds it: ${holder} ${lockName(d.held.mode)}s ${name} (${heldAt}) and calls ${chain} (${callAt}), which reaches this ${lockName(d.mode)} on some of its paths: ${why}`,
    fixHint: `release ${name} in ${holder} before the call at ${callAt}, or give ${chain} a variant that expects the lock to be held`,
    related: [
      d.holderCall
        ? { file: d.holderCall.file.path, range: d.holderCall.file.range(d.holderCall.node), message: `${holder} calls ${chain} while holding ${name}` }
        : { file: fc.file.path, range: fc.file.range(d.node), message: `${holder} calls ${chain} while holding ${name}` },
      ...(d.holderCall ? [{ file: fc.file.path, range: fc.file.range(d.node), message: `the callback is passed to ${holder} here` }] : []),
      { file: d.held.site.file.path, range: d.held.site.file.range(d.held.site.node), message: `${name} ${d.held.mode === 'R' ? 'read-' : ''}locked here` },
    ],
  });
}

/** Most write-Lock sites reported for one recursive RLock (the writer that queues is one of them). */
const MAX_WRITERS = 2;

/**
 * The writer of a recursive RLock: the Lock that queues between the two RLocks blocks
 * forever too (it waits for the first reader, which waits for the second RLock, which
 * waits behind the writer). Reported at each write-Lock site of the mutex's field when
 * there are at most MAX_WRITERS (a field locked for writing in many places would add a
 * finding per site for one bug).
 */
function reportWriters(pass: Pass, la: LockAnalysis, fc: FuncCtx, d: DoubleLock, seen: Set<Node>): void {
  const tk = d.inner?.ref.tkey ?? d.ref.tkey;
  if (!tk) return;
  const sites = la.writeLockSites(tk, MAX_WRITERS);
  if (sites.length === 0 || sites.length > MAX_WRITERS) return;
  const name = d.ref.text.replace(/^&/, '');
  const where = siteRef(fc.file, d.node.start, fc.file);
  for (const s of sites) {
    // A writer in the reading function itself runs on this goroutine, after or before the
    // two RLocks, never between them.
    if (seen.has(s.node) || (s.node.start >= fc.decl.start && s.node.end <= fc.decl.end && s.file === fc.file)) continue;
    seen.add(s.node);
    pass.report({
      node: s.node,
      file: s.file,
      message: `this Lock can block forever: ${fc.nameOf(fc.decl)} read-locks ${name} again while it already holds a read lock of it (${siteRef(fc.file, d.node.start, s.file)}); a Lock queued between the two RLocks waits for the first reader, and the second RLock waits behind this Lock (sync.RWMutex docs: a blocked Lock call excludes new readers)`,
      fixHint: `remove the recursive RLock at ${where} (call a variant that expects the read lock to be held)`,
      related: [{ file: fc.file.path, range: fc.file.range(d.node), message: 'the recursive RLock' }],
    });
  }
}
