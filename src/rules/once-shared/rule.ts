/**
 * @fileoverview once-shared: one `sync.Once` given two different functions, where the
 * function of one `Do` is the only code that wakes something a goroutine waits for.
 *
 * "Do calls the function f if and only if Do is being called for the first time for this
 * instance of Once. In other words, given `var once Once`, if once.Do(f) is called multiple
 * times, only the first call will invoke f, even if f has a different value in each
 * invocation" (sync docs). A type that guards both `Start` and `Stop` with one Once never
 * runs Stop's function once Start has run: the `close(a.stop)` in it never happens and the
 * loop waiting on `a.stop` leaks.
 *
 * On the program model: Do operations on the same Once (a field of a type, a package
 * variable), the functions each one runs (the callback targets), and, in what one of them
 * runs, a close/send/cancel/Done/Signal/Broadcast/Unlock on an object that nothing else in
 * the package does and that some code waits on (receive, range, select, Wait, Lock). When
 * another Do of the same Once runs a different function that does not do it, the Do is
 * reported: whichever runs first, the other's function is skipped.
 */
import { programModel, type FuncNode, type Op, type OpKind, type ProgramModel } from '../../analysis/program/index.js';
import { createRule } from '../../analysis/rule.js';

/** Wake-ups and the waits they end. */
const WAKES: Array<{ kinds: OpKind[]; waits: OpKind[]; what: string }> = [
  { kinds: ['close'], waits: ['recv', 'range'], what: 'close of' },
  { kinds: ['done'], waits: ['wait'], what: 'Done on' },
  { kinds: ['broadcast', 'signal'], waits: ['wait'], what: 'wake-up of' },
];

export default createRule({
  id: 'once-shared',
  severity: 'warning',
  since: '0.4.0',
  category: 'goroutine-leak',
  description: 'One sync.Once runs two different functions (say Start and Stop): only the first Do runs its function, so the wake-up in the other never happens.',
  help:
    'A sync.Once runs exactly one function, the one passed to the first Do. Give each action its own Once (startOnce, stopOnce), or use a state field under a mutex.',
  triggers: /\.Do\(/,
  run(pass) {
    const text = pass.facts.pkg.files.map((f) => f.text);
    if (!text.some((t) => t.includes('.Do('))) return;
    const pm = programModel(pass.facts);
    const byOnce = new Map<number, Op[]>();
    for (const fn of pm.functions()) {
      for (const op of pm.opsIn(fn)) {
        if (op.kind !== 'do') continue;
        const o = pm.info(op.cls);
        if (o.kind !== 'once' || o.unknownSource) continue;
        const l = byOnce.get(o.id);
        if (l) l.push(op);
        else byOnce.set(o.id, [op]);
      }
    }
    for (const dos of byOnce.values()) {
      if (dos.length < 2) continue;
      const runs = dos.map((d) => ({ d, fns: runsOf(pm, d) }));
      if (runs.some((r) => !r.fns)) continue;
      for (const r of runs) {
        const others = runs.filter((x) => x !== r && !sameSet(x.fns as Set<FuncNode>, r.fns as Set<FuncNode>));
        if (others.length === 0) continue;
        const w = soleWakeup(pm, r.fns as Set<FuncNode>);
        if (!w) continue;
        // The other Do's function does the same wake-up: skipping this one loses nothing.
        if (others.some((x) => pm.opsOn(w.op.cls, w.kinds).some((op) => (x.fns as Set<FuncNode>).has(op.fn)))) continue;
        const other = others[0] as (typeof others)[number];
        const fc = r.d.fn.fc;
        const ofc = other.d.fn.fc;
        const once = fc.text(r.d.expr).replace(/\s+/g, '');
        const obj = w.op.fn.fc.text(w.op.expr).replace(/\s+/g, '');
        const where = (f: typeof fc, n: { start: number }): string => (f.file === fc.file ? `line ${f.file.line(n.start)}` : `${f.file.path.split('/').pop() ?? ''}:${f.file.line(n.start)}`);
        pass.report({
          node: r.d.node,
          file: fc.file,
          message: `${once}.Do here runs its function only if no other Do of ${once} ran first, but ${ofc.nameOf(other.d.fn.node)} calls ${once}.Do with another function (${where(ofc, other.d.node)}): after that, the ${w.what} ${obj} (${where(w.op.fn.fc, w.op.node)}) never happens and the goroutine waiting on it (${where(w.wait.fn.fc, w.wait.node)}) blocks forever`,
          fixHint: `give this action its own sync.Once (a separate field), so both functions run once each`,
          related: [
            { file: ofc.file.path, range: ofc.file.range(other.d.node), message: `the other Do of ${once}` },
            { file: w.wait.fn.fc.file.path, range: w.wait.fn.fc.file.range(w.wait.node), message: `waits on ${obj}` },
          ],
        });
      }
    }
  },
});

/** The functions a Do runs on its goroutine (its callback and what it calls), or undefined when unknown. */
function runsOf(pm: ProgramModel, d: Op): Set<FuncNode> | undefined {
  // The callback edge of the Do call (the call expression also has its own method-call site).
  const cs = pm.callsFrom(d.fn).filter((c) => c.call === d.node && c.targets.length > 0);
  if (cs.length === 0 || cs.some((c) => !c.complete)) return undefined;
  const out = new Set<FuncNode>();
  for (const c of cs) for (const t of c.targets) for (const f of pm.reachable(t)) out.add(f);
  return out;
}

function sameSet<T>(a: Set<T>, b: Set<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** A wake-up done only by these functions, on a known object some code waits on. */
function soleWakeup(pm: ProgramModel, fns: Set<FuncNode>): { op: Op; kinds: OpKind[]; what: string; wait: Op } | undefined {
  for (const f of fns) {
    for (const op of pm.opsIn(f)) {
      const w = WAKES.find((x) => x.kinds.includes(op.kind));
      if (!w) continue;
      const o = pm.info(op.cls);
      if (!pm.known(o)) continue;
      if (!pm.opsOn(o, w.kinds).every((x) => fns.has(x.fn))) continue;
      const wait = pm.opsOn(o, w.waits).find((x) => !fns.has(x.fn) && !pm.isDead(x.fn));
      if (wait) return { op, kinds: w.kinds, what: w.what, wait };
    }
  }
  return undefined;
}
