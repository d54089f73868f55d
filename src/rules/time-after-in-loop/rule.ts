/**
 * @fileoverview time-after-in-loop: `case <-time.After(d):` in a `select` that runs in
 * a loop. Every iteration calls time.After, which creates a new Timer; until Go 1.23 a
 * timer is not garbage-collected before it fires ("The underlying Timer is not
 * recovered by the garbage collector until the timer fires", time.After docs before Go
 * 1.23), so a loop whose other cases keep winning piles up one timer per iteration for
 * the whole duration `d`. From Go 1.23 on unreferenced timers are collected and nothing
 * is reported (issue 11), unless GODEBUG asynctimerchan=1 brings the old timers back.
 */
import { loopAround, timerLossesBounded, timersCollected } from '../../analysis/loops.js';
import { runCount } from '../../analysis/chanfacts.js';
import { createRule } from '../../analysis/rule.js';
import { cfgNodeOf, reaches } from '../../go/cfg.js';
import { field, walk, type Node } from '../../go/syntax.js';

export default createRule({
  id: 'time-after-in-loop',
  severity: 'warning',
  since: '0.2.0',
  category: 'memory-leak',
  description: 'time.After as a select case inside a loop allocates a timer per iteration that (before Go 1.23) lives until it fires.',
  help:
    'Create one timer before the loop (t := time.NewTimer(d); defer t.Stop()) and Reset it when needed, or use a context with a deadline. Before Go 1.23 each time.After timer stays in memory until it fires.',
  triggers: /\btime\.After\s*\(/,
  run(pass) {
    // Go 1.23+: unfired timers are collected, so a timer per iteration is an allocation,
    // not a leak: nothing left to report (issue 11, family 8).
    if (timersCollected(pass)) return;
    const asyncTimers = pass.pkg.goDebug('asynctimerchan') === '1' && pass.goVersion !== '';
    for (const fc of pass.functions()) {
      // A cost rule, like pool-unbounded-object: timers held until they fire matter where
      // code runs for long. A test binary runs fixed inputs once and exits; the loops of tests
      // (quiet periods while reading a test's output, watchdogs over table rows) make a
      // bounded number of short timers, and no reviewer took one as a finding (spot8 2,
      // spot10 4 and the 7 Dec reviews 6 such loops, all false).
      if (fc.file.path.endsWith('_test.go')) continue;
      walk(fc.decl, (n) => {
        if (n.type !== 'call_expression') return;
        const fnExpr = field(n, 'function');
        if (!fnExpr || fc.text(fnExpr).replace(/\s+/g, '') !== 'time.After') return;
        const c = fc.res.callee(n);
        if (c.kind !== 'func' || c.fullName !== 'time.After') return;
        // `case <-time.After(d):` / `case v := <-time.After(d):`
        const un = n.parent;
        if (un?.type !== 'unary_expression' || field(un, 'operand') !== n) return;
        let comm: Node | null = un.parent;
        while (comm && comm.type === 'parenthesized_expression') comm = comm.parent;
        if (comm?.type !== 'receive_statement') return;
        const cc = comm.parent;
        if (cc?.type !== 'communication_case' || field(cc, 'communication') !== comm) return;
        const sel = cc.parent;
        if (!sel) return;
        const fn = fc.res.enclosingFunc(sel);
        const loop = loopAround(sel, fn);
        if (!loop) return;
        const g = fc.cfg(fn);
        const head = g?.loopHeads.get(loop);
        if (!g || !head) return;
        // Timers pile up only when another case (or default) can win and the loop goes
        // round again: a select whose other cases all leave the loop runs once.
        const others = sel.children.filter((x) => (x.type === 'communication_case' || x.type === 'default_case') && x !== cc);
        const repeats = others.some((o) => {
          const first = o.type === 'communication_case' ? field(o, 'communication') : o.children.find((x) => x.type === 'statement_list')?.children.find((x) => x.named && x.type !== 'comment');
          if (!first) return o.type === 'default_case'; // an empty default spins round the loop
          const s = cfgNodeOf(g, first);
          return s ? reaches(g, s, head) : false;
        });
        if (!repeats) return;
        // A loop with a constant trip count (`for i := 0; i < 4; i++`, `for range 4`)
        // makes at most that many timers, all freed once they fire: bounded, not a
        // leak (stdlib triage: test watchdogs such as crypto/tls's CloseWrite test).
        if (runCount(fc, sel, fn, fn) !== Infinity) return;
        // A loop that counts the wins of the other cases up to a known bound (`for n < tt.runs
        // { select { case <-done: n++ ... } }`, the bound a row field of a table-driven test)
        // leaves at most that many unfired timers: bounded too.
        if (timerLossesBounded(fc, sel, cc, loop, fn)) return;
        const line = fc.file.line(n.start);
        const loopLine = fc.file.line(loop.start);
        const dur = fc.text(n).replace(/^time\.After/, '').replace(/\s+/g, ' ');
        pass.report({
          node: n,
          file: fc.file,
          message: `time.After${dur} at line ${line} creates a new timer on every iteration of the loop at line ${loopLine}, and each one stays in memory until it fires${asyncTimers ? ` (GODEBUG asynctimerchan=1 keeps the timers of Go before 1.23, module go ${pass.goVersion})` : pass.goVersion ? ` (module go ${pass.goVersion} < 1.23)` : ' (no go.mod: assuming Go < 1.23)'}: when other cases win faster than the timeout, timers pile up`,
          fixHint: `create the timer once before the loop (t := time.NewTimer(d); defer t.Stop()) and Reset it each iteration, or use a context deadline; ${asyncTimers ? 'dropping asynctimerchan=1 lets unfired timers be collected' : 'upgrading the module to go 1.23+ lets unfired timers be collected'}`,
        });
      });
    }
  },
});
