/**
 * @fileoverview blocked-forever: the blocking-state search (src/analysis/search/) found a
 * schedule after which a goroutine waits on a channel, WaitGroup, Cond, Once or mutex
 * that no other goroutine can ever make ready — a partial deadlock, i.e. a goroutine
 * leak. Each finding carries the witness trace (text: numbered steps; SARIF: codeFlows).
 */
import { createRule } from '../../analysis/rule.js';
import { SEARCH_TRIGGERS } from '../../analysis/search/extract.js';
import { searchPackage } from '../../analysis/search/index.js';

export default createRule({
  id: 'blocked-forever',
  severity: 'warning',
  since: '0.3.0',
  category: 'goroutine-leak',
  description: 'Some schedule leaves a goroutine blocked on a channel, WaitGroup, Cond, Once or lock that nothing can ever make ready.',
  help:
    'The engine explored every interleaving of the goroutines this function starts (bounded) and found one after which a goroutine waits forever: nothing that is still running can send, receive, close, call Done, Signal or Unlock for it. Follow the trace, then buffer the channel, close it after the last send, select on a done channel or ctx.Done(), or call Done/Unlock on every path.',
  triggers: SEARCH_TRIGGERS,
  run(pass) {
    for (const f of searchPackage(pass.facts).findings) {
      if (f.rule !== 'blocked-forever') continue;
      pass.report({ node: f.site.node, file: f.site.file, message: f.message, fixHint: f.fixHint, related: f.related, trace: f.trace });
    }
  },
});
