/**
 * @fileoverview once-reentry: `sync.Once.Do(f)` where f — directly, through calls,
 * interface calls and callbacks bound to the same object — calls `Do` on the same Once, or
 * starts a goroutine that must get past such a `Do` before f can return.
 *
 * Do holds the Once's internal mutex while f runs (sync/once.go, doSlow), and the sync
 * docs say: "Because no call to Do returns until the one call to f returns, if f causes Do
 * to be called, it will deadlock." The analysis is in src/analysis/oncereentry.ts.
 */
import { onceReentry } from '../../analysis/oncereentry.js';
import { createRule, siteRef } from '../../analysis/rule.js';

export default createRule({
  id: 'once-reentry',
  severity: 'error',
  since: '0.5.0',
  category: 'deadlock',
  description: 'The function given to sync.Once.Do calls Do on the same Once again (directly, through calls, interfaces or callbacks), or waits for a goroutine that does: it deadlocks.',
  help:
    'Do holds the Once locked while f runs, so a Do on the same Once from inside f (or from a goroutine f waits for) blocks forever. Initialise without going back through the Once: have f use the fields directly, or split the lazy accessor into an unguarded internal variant that f calls.',
  triggers: /\.Do\(/,
  run(pass) {
    if (!pass.facts.pkg.files.some((f) => f.text.includes('.Do('))) return;
    for (const r of onceReentry(pass.facts).reentries()) {
      const fc = r.fc;
      if (r.inner) {
        const chain = r.inner.via.join(' → ');
        pass.report({
          node: r.call,
          file: fc.file,
          message: `${r.text}.Do re-enters itself: the function it runs calls ${chain}, which calls ${r.inner.text || r.text}.Do (${siteRef(r.inner.site.file, r.inner.site.node.start, fc.file)}) on the same Once while this Do still holds it; Do does not return until f returns, so this goroutine blocks forever (sync.Once docs: "if f causes Do to be called, it will deadlock")`,
          fixHint: `do not go back through ${r.text}.Do from the initialisation: use the fields directly in it, or call an unguarded variant of ${r.inner.via[r.inner.via.length - 1] ?? 'the callee'}`,
          related: [{ file: r.inner.site.file.path, range: r.inner.site.file.range(r.inner.site.node), message: `the inner ${r.text}.Do` }],
        });
      } else if (r.viaGoroutine) {
        const g = r.viaGoroutine;
        const chain = g.inner.via.length > 0 ? ` (through ${g.inner.via.join(' → ')})` : '';
        const gl = siteRef(fc.file, g.go.start, fc.file);
        pass.report({
          node: r.call,
          file: fc.file,
          message: `${r.text}.Do deadlocks with the goroutine its function starts (${gl}): ${g.name} calls ${r.text}.Do${chain} before it ${g.what === 'sending on' ? 'receives from' : 'sends on'} the channel the function waits on (${siteRef(g.waitFc.file, g.wait.start, fc.file)}); that Do blocks until the function returns, and the function waits for the goroutine`,
          fixHint: `do not call ${r.text}.Do from the goroutine before it has woken the initialisation, or do not wait for it inside Do`,
          related: [
            { file: g.inner.site.file.path, range: g.inner.site.file.range(g.inner.site.node), message: `${g.name} blocks in ${r.text}.Do here` },
            { file: g.waitFc.file.path, range: g.waitFc.file.range(g.wait), message: 'the function given to Do waits here' },
          ],
        });
        pass.report({
          node: g.wait,
          file: g.waitFc.file,
          message: `blocks forever ${g.what} this channel: the only goroutine that wakes it, ${g.name} (${gl}), first calls ${r.text}.Do${chain}, which waits for this function to return (it runs inside ${r.text}.Do at ${siteRef(fc.file, r.call.start, g.waitFc.file)})`,
          fixHint: `wake this wait before ${g.name} goes through ${r.text}.Do, or do not wait for the goroutine inside Do`,
          related: [{ file: fc.file.path, range: fc.file.range(r.call), message: `the ${r.text}.Do this function runs in` }],
        });
      }
    }
  },
});
