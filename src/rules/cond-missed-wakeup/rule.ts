/**
 * @fileoverview cond-missed-wakeup: a change of the state a `sync.Cond` waiter loops on
 * that releases every waiter, followed by one `Signal` or by no wake-up at all.
 *
 * `Signal` "wakes one goroutine waiting on c, if there is any"; `Broadcast` wakes all (sync
 * docs). A waiter `for len(q.items) == 0 && !q.closed { q.cond.Wait() }` leaves its loop
 * once `q.closed` is true; a `Close` that sets it and then calls `Signal` wakes one waiter,
 * and the others sleep forever, since Go's Wait has no spurious wake-ups. The same holds
 * for a `Close` that sets the flag and wakes nobody, and for a producer that appends
 * several items at once (`append(q.items, batch...)`) and signals once.
 *
 * What counts (lockconds.ts names the Cond: a field of a package type):
 * - the waiter: `cond.Wait()` inside `for C { ... }`, where a conjunct of C is a bool field
 *   (`!q.closed` / `q.paused`) or `len(q.items) == 0`;
 * - the release: an assignment that makes that conjunct false (`q.closed = true`;
 *   `q.items = append(q.items, xs...)` for the length), in another function;
 * - its wake-ups: Signal/Broadcast on the same Cond after it in that function (or deferred
 *   there, or in a same-package function it calls afterwards).
 * Only when two or more goroutines of the package may run the waiter (program model).
 * Silent when a Broadcast follows; when the waiter passes the wake-up on (it signals the
 * Cond itself after its loop); for the no-wake-up case, when a caller of the releasing
 * function signals the Cond, or when code the analysis does not see may (condEscapes).
 */
import { condEscapes, condIdentity, forEachCondWait, signallersOf, type CondId, type Signaller } from '../../analysis/lockconds.js';
import { callArgs } from '../../analysis/chanfacts.js';
import { programModel } from '../../analysis/program/index.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import { stateName, stateOf, type StateKey } from '../../analysis/statewrites.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';

/** A conjunct of the wait loop's condition and the write that makes it false. */
interface Release {
  key: StateKey;
  /** `flag`: `x.f = value`; `batch`: `x.f = append(x.f, xs...)`. */
  kind: 'flag' | 'batch';
  value?: boolean;
}

export default createRule({
  id: 'cond-missed-wakeup',
  severity: 'warning',
  since: '0.4.0',
  category: 'goroutine-leak',
  description: 'A state change that releases every waiter of a sync.Cond is followed by a single Signal, or by no wake-up at all: the other waiters block forever.',
  help:
    'Signal wakes one waiting goroutine and Broadcast wakes all of them; a Wait loop only re-checks its condition when woken. After a change that every waiter must see (closing, shutting down, adding several items), call Broadcast with the lock held, or wake the next waiter from each waiter that leaves its loop.',
  triggers: /\.Wait\(\)/,
  run(pass) {
    const reported = new Set<Node>();
    forEachCondWait(pass, (fc, wait, recv) => {
      const id = condIdentity(fc, recv);
      if (id?.kind !== 'state') return;
      const cond = loopCondition(wait);
      if (!cond) return;
      const releases = conjuncts(cond).flatMap((c) => releaseOf(fc, c) ?? []);
      if (releases.length === 0) return;
      const signallers = signallersOf(pass.facts, fc, id);
      if (!signallers) return;
      const waiterFn = fc.res.enclosingFunc(wait);
      // The waiter wakes the next one when it leaves (`...; c.Signal()` after the loop).
      if (signallers.some((s) => s.fn === waiterFn && s.calls.some((c) => c.start > wait.start))) return;
      if (condEscapes(pass.facts, fc, id)) return;
      // Signal is right when only one goroutine can ever wait (an iterator's Next called
      // by one reader): require two or more goroutines that may run the waiter.
      if (!severalWaiters(pass, waiterFn)) return;
      const name = fc.text(recv).replace(/\s+/g, '');
      for (const rel of releases) {
        const writes = writesOf(pass, rel, true);
        // A waiter that writes the flag itself consumes it (`for t.taken { Wait }; t.taken =
        // true`): one waiter goes on per change, which is what Signal is for.
        if (rel.kind === 'flag' && writes.some((w) => w.fn === waiterFn)) continue;
        for (const w of writes.filter((x) => x.release)) {
          if (w.fn === waiterFn) continue;
          const wakes = wakeupsAfter(pass, signallers, w);
          if (wakes.broadcast) continue;
          const what = rel.kind === 'flag' ? `sets ${fc.text(w.node).replace(/\s+/g, ' ')}` : `adds several items to ${stateName(rel.key)} (${w.fc.text(w.node).replace(/\s+/g, ' ')})`;
          const fname = w.fc.nameOf(w.fn);
          const waitAt = `${fc.nameOf(waiterFn)} waits at ${w.fc.file === fc.file ? `line ${fc.file.line(wait.start)}` : `${fc.file.path.split('/').pop() ?? ''}:${fc.file.line(wait.start)}`}`;
          if (wakes.signal) {
            if (reported.has(wakes.signal)) continue;
            reported.add(wakes.signal);
            pass.report({
              node: wakes.signal,
              file: w.fc.file,
              message: `${fname} ${what}, which releases every goroutine waiting on ${name} (${waitAt} while ${fc.text(cond).replace(/\s+/g, ' ')}), but Signal wakes only one of them: the others wait forever`,
              fixHint: `call ${name}.Broadcast() instead of Signal() after this change`,
              related: [{ file: w.fc.file.path, range: w.fc.file.range(w.node), message: 'the change every waiter must see' }],
            });
            continue;
          }
          if (rel.kind !== 'flag' || reported.has(wait) || callerWakes(pass, fc, id, w)) continue;
          reported.add(wait);
          pass.report({
            node: wait,
            file: fc.file,
            message: `${name}.Wait() is never woken by ${fname}, which ${what} (${w.fc.file === fc.file ? `line ${fc.file.line(w.node.start)}` : `${w.fc.file.path.split('/').pop() ?? ''}:${w.fc.file.line(w.node.start)}`}) to end this wait but neither signals nor broadcasts ${name} afterwards: goroutines waiting here when it runs block forever`,
            fixHint: `call ${name}.Broadcast() in ${fname} after the change (with ${name}.L held)`,
            related: [{ file: w.fc.file.path, range: w.fc.file.range(w.node), message: 'the change that should wake the waiters' }],
          });
        }
      }
    });
  },
});

/** The condition of the innermost `for C { ... }` around the Wait, in the same function. */
function loopCondition(wait: Node): Node | undefined {
  for (let p = wait.parent; p; p = p.parent) {
    if (p.type === 'func_literal' || p.type === 'function_declaration' || p.type === 'method_declaration') return undefined;
    if (p.type !== 'for_statement') continue;
    const clause = p.children.find((c) => c.type === 'for_clause');
    if (clause) return field(clause, 'condition');
    return named(p).find((c) => c.field !== 'body' && c.type !== 'range_clause');
  }
  return undefined;
}

function conjuncts(c0: Node): Node[] {
  const c = unparen(c0);
  if (c.type === 'binary_expression' && c.children.some((x) => x.type === '&&')) {
    const [l, r] = named(c);
    return l && r ? [...conjuncts(l), ...conjuncts(r)] : [c];
  }
  return [c];
}

/** What makes a conjunct of the wait condition false. */
function releaseOf(fc: FuncCtx, c: Node): Release | undefined {
  const op = c.children[0]?.type;
  if (c.type === 'unary_expression' && op === '!') {
    const x = named(c)[0];
    const k = x ? boolField(fc, x) : undefined;
    return k ? { key: k, kind: 'flag', value: true } : undefined;
  }
  const k = boolField(fc, c);
  if (k) return { key: k, kind: 'flag', value: false };
  // `len(x.f) == 0`
  if (c.type === 'binary_expression' && c.children.some((x) => x.type === '==')) {
    const [l, r] = named(c);
    if (!l || !r || fc.text(r) !== '0' || unparen(l).type !== 'call_expression') return undefined;
    const f = field(unparen(l), 'function');
    const arg = f && fc.text(f) === 'len' ? callArgs(unparen(l))[0] : undefined;
    const key = arg ? stateOf(fc, arg) : undefined;
    return key?.kind === 'field' ? { key, kind: 'batch' } : undefined;
  }
  return undefined;
}

function boolField(fc: FuncCtx, x: Node): StateKey | undefined {
  const u = unparen(x);
  if (u.type !== 'selector_expression') return undefined;
  const t = fc.res.typeOf(u);
  if (t.kind !== 'basic' || t.name !== 'bool') return undefined;
  const k = stateOf(fc, u);
  return k?.kind === 'field' ? k : undefined;
}

interface Write {
  fc: FuncCtx;
  fn: Node;
  /** The assignment statement. */
  node: Node;
}

/** Assignments in the package that make the conjunct false (`release`), and with `all`, every other assignment of the field. */
function writesOf(pass: Pass, rel: Release, all = false): Array<Write & { release: boolean }> {
  const k = rel.key;
  if (k.kind !== 'field') return [];
  const out: Array<Write & { release: boolean }> = [];
  const word = `.${k.field}`;
  for (const { decl, file } of pass.facts.pkg.funcDecls) {
    if (!file.text.slice(decl.start, decl.end).includes(word)) continue;
    const fc = pass.facts.funcCtx(decl, file);
    walk(decl, (n) => {
      if (n.type !== 'assignment_statement') return;
      const lefts = exprList(field(n, 'left'));
      const rights = exprList(field(n, 'right'));
      if (lefts.length !== 1 || rights.length !== 1) return;
      const l = lefts[0] as Node;
      const sk = stateOf(fc, l);
      if (sk?.kind !== 'field' || sk.type !== k.type || sk.field !== k.field) return;
      if (!fc.text(n).replace(/\s+/g, '').includes(`${fc.text(l).replace(/\s+/g, '')}=`)) return;
      const r = unparen(rights[0] as Node);
      let release: boolean;
      if (rel.kind === 'flag') release = fc.text(r) === String(rel.value);
      else {
        // `x.f = append(x.f, xs...)`: several items at once.
        const args = r.type === 'call_expression' && fc.text(field(r, 'function') ?? r) === 'append' ? callArgs(r) : [];
        const first = args[0] ? stateOf(fc, args[0]) : undefined;
        release = first?.kind === 'field' && first.field === k.field && args[args.length - 1]?.type === 'variadic_argument';
      }
      if (release || all) out.push({ fc, fn: fc.res.enclosingFunc(n), node: n, release });
    });
  }
  return out;
}

/** Signal/Broadcast on the Cond after the write in its function: directly, deferred, or in a same-package function called after it. */
function wakeupsAfter(pass: Pass, signallers: Signaller[], w: Write): { broadcast: boolean; signal?: Node } {
  let broadcast = false;
  let signal: Node | undefined;
  const kind = (s: Signaller, c: Node): string => s.fc.text(field(field(c, 'function') ?? c, 'field') ?? c);
  for (const s of signallers) {
    if (s.fn !== w.fn) continue;
    for (const c of s.calls) {
      const deferred = hasAncestor(c, 'defer_statement', w.fn);
      if (c.start < w.node.end && !deferred) continue;
      if (kind(s, c) === 'Broadcast') broadcast = true;
      else if (!signal) signal = c;
    }
  }
  // A helper that signals, called after the write (`q.closed = true; q.wakeAll()`).
  const names = new Map<string, boolean>();
  for (const s of signallers) {
    const n = s.fn.type === 'method_declaration' || s.fn.type === 'function_declaration' ? field(s.fn, 'name') : undefined;
    if (n) names.set(s.fc.text(n), (names.get(s.fc.text(n)) ?? false) || s.calls.some((c) => kind(s, c) === 'Broadcast'));
  }
  walk(w.fn, (n) => {
    if (n.type !== 'call_expression' || n.start < w.node.end) return;
    const f = field(n, 'function');
    const u = f ? unparen(f) : undefined;
    const nm = u?.type === 'selector_expression' ? field(u, 'field') : u?.type === 'identifier' ? u : undefined;
    const b = nm ? names.get(w.fc.text(nm)) : undefined;
    if (b === undefined) return;
    // Unknown which of its Signal/Broadcast runs: treat as a wake-up of everyone.
    broadcast = true;
  });
  return !broadcast && signal ? { broadcast, signal } : { broadcast };
}

function hasAncestor(n: Node, type: string, stop: Node): boolean {
  for (let p = n.parent; p && p !== stop; p = p.parent) if (p.type === type) return true;
  return false;
}

/** Some function that calls the releasing one also signals or broadcasts the Cond (it may wake the waiters for it). */
function callerWakes(pass: Pass, fc: FuncCtx, id: CondId, w: Write): boolean {
  const n = w.fn.type === 'method_declaration' || w.fn.type === 'function_declaration' ? field(w.fn, 'name') : undefined;
  if (!n) return true; // a literal: its callers are not looked up
  const name = w.fc.text(n);
  const callRe = new RegExp(`\\b${name}\\s*\\(`);
  for (const s of signallersOf(pass.facts, fc, id) ?? []) {
    if (s.fn === w.fn) continue;
    if (callRe.test(s.fc.text(s.fn))) return true;
  }
  return false;
}

/**
 * Two or more goroutines of the package may run the waiting function (program model: a
 * goroutine started in a loop, or several starts). Unknown callers (another package, an
 * interface the model does not resolve) do not count: then the rule stays silent.
 */
function severalWaiters(pass: Pass, waiter: Node): boolean {
  const pm = programModel(pass.facts);
  const wf = pm.funcOf(waiter);
  if (!wf) return false;
  let n = 0;
  for (const g of pm.goroutines()) {
    if (!pm.goroutineFuncs(g).has(wf)) continue;
    n += g.multiplicity === 'one' ? 1 : g.multiplicity === 'bounded' ? (g.count ?? 2) : 2;
    if (n >= 2) return true;
  }
  return false;
}
