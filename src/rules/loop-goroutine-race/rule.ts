/**
 * @fileoverview loop-goroutine-race: the goroutines a loop starts write one variable
 * they all share, with nothing ordering the writes — a data race (The Go Memory Model:
 * "a data race is defined as a write to a memory location happening concurrently with
 * another read or write to that same location"). Two shapes:
 * - a variable declared outside the loop (a local of the spawning function, or a
 *   package-level variable) written in the goroutine — `n++`, `n += x`,
 *   `out = append(out, x)` — in a `go func() {...}()` literal, or in a function of the
 *   package the `go` statement calls directly (`go work(items)` with `processed++` in
 *   `work`), with no lock held and no channel operation, select, Wait or atomic before
 *   the write in the goroutine (for a called function: none anywhere in its body);
 * - with Go before 1.22 (module `go` line), a loop variable read by a goroutine started
 *   as the last statement of the loop body, as go vet's loopclosure reports: the loop
 *   writes the one variable all iterations share while the goroutines read it (Go 1.22
 *   release notes, "Changes to the language": each iteration has its own variable from
 *   1.22 on). An unknown version (no go.mod) is not reported.
 * The loop must be able to start the next goroutine without waiting for the previous
 * one (no channel operation, Wait or Lock on the way round). Map writes are
 * concurrent-map-write's.
 */
import { compareGoVersions } from '../../go/loader.js';
import { loopOf, loopsWithoutBarrier, orderedBefore, SYNC_TEXT } from '../../analysis/goloops.js';
import type { FuncCtx, Pass } from '../../analysis/pass.js';
import { createRule } from '../../analysis/rule.js';
import type { LocalVar } from '../../go/resolve.js';
import { exprList, field, named, unparen, walk, type Node } from '../../go/syntax.js';
import { underlying } from '../../go/types.js';
import { within } from '../../analysis/syncfacts.js';

export default createRule({
  id: 'loop-goroutine-race',
  severity: 'warning',
  since: '0.3.0',
  category: 'race',
  description: 'The goroutines started by a loop write (or, before Go 1.22, read the loop variable of) one shared variable with nothing ordering the accesses.',
  help:
    'Every goroutine the loop starts touches the same variable at the same time: a data race (lost updates, torn slices). Guard it with a sync.Mutex, use sync/atomic for counters, collect results over a channel, or give each goroutine its own variable (before Go 1.22: copy the loop variable, i := i, or pass it as an argument).',
  triggers: /\bgo\s+(?:func\b|[\w.]+\s*\()/,
  run(pass) {
    const old = pass.goVersion !== '' && compareGoVersions(pass.goVersion, '1.22') < 0;
    for (const fc of pass.functions()) {
      walk(fc.decl, (g) => {
        if (g.type !== 'go_statement') return undefined;
        const spawner = fc.res.enclosingFunc(g);
        const loop = loopOf(g, spawner);
        const call = named(g)[0];
        if (!loop || !call || call.type !== 'call_expression') return undefined;
        const fx = unparen(field(call, 'function') ?? call);
        let checked: boolean | undefined;
        const repeats = (): boolean => (checked ??= loopsWithoutBarrier(fc, g, spawner));
        if (fx.type === 'func_literal') {
          for (const w of sharedWrites(fc, fx, fx, loop)) {
            if (orderedBefore(fc, fx, w.node) || !repeats()) continue;
            pass.report({
              node: w.node,
              file: fc.file,
              message: `"${w.name}" is written at line ${fc.file.line(w.node.start)} by every goroutine started in the loop at line ${fc.file.line(loop.start)} (go at line ${fc.file.line(g.start)}), with no lock held and nothing ordering the writes: a data race (updates are lost${w.append ? ', appends overwrite each other' : ''})`,
              fixHint: w.append ? `guard the append with a sync.Mutex, or send the results over a channel and append in one goroutine` : `use sync/atomic (atomic.AddInt64 or an atomic.Int64) or guard "${w.name}" with a sync.Mutex`,
            });
          }
          if (old && isLastInBody(g, loop)) reportLoopVar(pass.report.bind(pass), fc, fx, g, loop, pass.goVersion);
          return undefined;
        }
        const c = fc.res.callee(call);
        if (c.kind !== 'func' || c.obj.pkg !== pass.pkg) return undefined;
        const ffc = pass.facts.funcCtxOfDecl(c.obj.node);
        const body = ffc ? field(ffc.decl, 'body') : undefined;
        if (!ffc || !body || SYNC_TEXT.test(ffc.text(body))) return undefined;
        for (const w of sharedWrites(ffc, ffc.decl, body, undefined)) {
          if (!w.global || !repeats()) continue;
          pass.report({
            node: w.node,
            file: ffc.file,
            message: `package-level "${w.name}" is written at line ${ffc.file.line(w.node.start)} by ${ffc.name}, which every goroutine started in the loop at ${ffc.file === fc.file ? `line ${fc.file.line(loop.start)}` : `${fc.file.path}:${fc.file.line(loop.start)}`} runs, with no lock and no atomic: a data race (updates are lost)`,
            fixHint: w.append ? `guard the append with a sync.Mutex` : `use sync/atomic (atomic.AddInt64(&${w.name}, 1) or an atomic.Int64) or a sync.Mutex`,
          });
        }
        return undefined;
      });
    }
  },
});

interface SharedWrite {
  node: Node;
  name: string;
  append: boolean;
  global: boolean;
}

/**
 * Writes in `fn` (not in nested literals) to an identifier declared outside `fn` and
 * outside `loop`: `x++`, `x--`, `x op= v`, `x = append(x, ...)`.
 */
function sharedWrites(fc: FuncCtx, fn: Node, body: Node, loop: Node | undefined): SharedWrite[] {
  const out: SharedWrite[] = [];
  walk(body, (n) => {
    if (n !== fn && n.type === 'func_literal') return false;
    let target: Node | undefined;
    let append = false;
    if (n.type === 'inc_statement' || n.type === 'dec_statement') target = named(n)[0];
    else if (n.type === 'assignment_statement') {
      const lefts = exprList(field(n, 'left'));
      const rights = exprList(field(n, 'right'));
      if (lefts.length !== 1 || rights.length !== 1) return undefined;
      const l = lefts[0] as Node;
      const r = unparen(rights[0] as Node);
      const op = fc.file.text.slice(l.end, r.start).trim();
      if (op !== '=' && /^[-+*/%&|^]=|^(?:<<|>>|&\^)=$/.test(op)) target = l;
      else if (op === '=' && r.type === 'call_expression' && fc.text(field(r, 'function') as Node) === 'append') {
        const a0 = field(r, 'arguments')?.children.find((c) => c.named && c.type !== 'comment');
        if (a0 && fc.text(unparen(a0)) === fc.text(unparen(l)) && fc.res.callee(r).kind === 'builtin') {
          target = l;
          append = true;
        }
      }
    }
    const id = target ? unparen(target) : undefined;
    if (!id || id.type !== 'identifier') return undefined;
    const v = fc.res.localOf(id);
    let global = false;
    if (v) {
      if (v.kind !== 'var' || within(fn, v.ident) || (loop && within(loop, v.ident))) return undefined;
    } else {
      const o = fc.res.pkgObjOf(id);
      if (!o || o.kind !== 'var' || o.pkg !== fc.res.pkg) return undefined;
      global = true;
    }
    const t = underlying(fc.res.typeOf(id));
    if (t.kind !== 'basic' && t.kind !== 'slice') return undefined;
    out.push({ node: n, name: fc.text(id), append, global });
    return undefined;
  });
  return out;
}

/** True when the go statement is the last statement of the loop's body (vet loopclosure's condition). */
function isLastInBody(g: Node, loop: Node): boolean {
  const body = field(loop, 'body');
  const stmts = body ? named(body).flatMap((c) => (c.type === 'statement_list' ? named(c) : [c])).filter((c) => c.type !== 'comment') : [];
  return stmts[stmts.length - 1] === g;
}

/** The variables a loop's clause declares (`for i := ...`, `for k, v := range ...`). */
function loopVars(fc: FuncCtx, loop: Node): LocalVar[] {
  const clause = loop.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
  const out: LocalVar[] = [];
  if (!clause) return out;
  const decl = clause.type === 'for_clause' ? field(clause, 'initializer') : clause;
  if (!decl) return out;
  walk(decl, (n) => {
    if (n.type === 'func_literal') return false;
    const v = n.type === 'identifier' ? fc.res.defs.get(n) : undefined;
    if (v && v.kind === 'var') out.push(v);
    return undefined;
  });
  return out;
}

function reportLoopVar(report: Pass['report'], fc: FuncCtx, lit: Node, g: Node, loop: Node, version: string): void {
  for (const v of loopVars(fc, loop)) {
    const ref = (fc.res.refs.get(v) ?? []).find((r) => r !== v.ident && within(lit, r));
    if (!ref) continue;
    report({
      node: ref,
      file: fc.file,
      message: `the goroutine started at line ${fc.file.line(g.start)} reads loop variable "${v.name}", which every iteration shares before Go 1.22 (module go ${version}): the loop writes it while the goroutines read it — a data race, and they see whatever value it has by then`,
      fixHint: `copy it per iteration (${v.name} := ${v.name}) before the go statement, or pass it as an argument`,
    });
  }
}
