/**
 * @fileoverview cond-wait-unsignalled: `sync.Cond.Wait` on a Cond that nothing in the
 * program can Signal or Broadcast. Wait "atomically unlocks c.L and suspends execution of
 * the calling goroutine ... Wait cannot return unless awoken by Broadcast or Signal" (sync
 * docs), and Go's Wait has no spurious wake-ups: with no signaller the goroutine blocks
 * forever, with c.L's owner state and everything it references.
 *
 * The Cond is identified as cond-wait-no-loop does (a field of a package type, a package
 * variable, a local; lockconds.ts). The rule is silent whenever code it does not see may
 * signal: an exported field or variable of a library package, a Cond embedded in a type,
 * or any use other than calling Wait/Signal/Broadcast, reading `L` or assigning it (passed
 * to a function, stored elsewhere, a method value such as `time.AfterFunc(d, c.Broadcast)`).
 */
import { condEscapes, condIdentity, forEachCondWait, signallersOf } from '../../analysis/lockconds.js';
import { createRule } from '../../analysis/rule.js';

export default createRule({
  id: 'cond-wait-unsignalled',
  severity: 'warning',
  since: '0.3.0',
  category: 'goroutine-leak',
  description: 'sync.Cond.Wait on a Cond that nothing in the program signals or broadcasts: the waiting goroutine blocks forever.',
  help:
    'Cond.Wait returns only after a Signal or Broadcast on the same Cond (Go has no spurious wake-ups). Call Broadcast (or Signal) where the state the waiter checks changes, with c.L held, or replace the Cond with a channel that is closed when the event happens.',
  triggers: /\.Wait\(\)/,
  run(pass) {
    forEachCondWait(pass, (fc, n, recv) => {
      const id = condIdentity(fc, recv);
      if (!id) return;
      const signallers = signallersOf(pass.facts, fc, id);
      if (!signallers || signallers.length > 0) return;
      if (condEscapes(pass.facts, fc, id)) return;
      const cond = fc.text(recv).replace(/\s+/g, '');
      const scope = id.kind === 'local' ? `${fc.name}` : 'the package';
      pass.report({
        node: n,
        file: fc.file,
        message: `${cond}.Wait() blocks until ${cond} is signalled, but nothing in ${scope} calls ${cond}.Signal() or ${cond}.Broadcast() (and ${cond} is not handed to other code): this goroutine waits forever`,
        fixHint: `call ${cond}.Broadcast() (with ${cond}.L held) where the condition this goroutine waits for becomes true`,
      });
    });
  },
});
