/**
 * @fileoverview lock-channel-cycle: the blocking-state search found a schedule in which a
 * goroutine blocks on a channel (or WaitGroup, or Cond) while holding a mutex that the
 * goroutine which should complete that operation needs first — a wait cycle through a
 * lock and a channel, which neither lock-order (locks only) nor the channel rules see.
 */
import { createRule } from '../../analysis/rule.js';
import { SEARCH_TRIGGERS } from '../../analysis/search/extract.js';
import { searchPackage } from '../../analysis/search/index.js';

export default createRule({
  id: 'lock-channel-cycle',
  severity: 'error',
  since: '0.3.0',
  category: 'deadlock',
  description: 'A goroutine blocks on a channel while holding a mutex that the goroutine it waits for needs first.',
  help:
    'A goroutine holds a mutex and blocks sending, receiving or waiting; the only goroutine that could complete that operation first tries to take the same mutex. Neither can move. Release the lock before the channel operation (copy what you need under the lock), or make the channel operation non-blocking.',
  triggers: SEARCH_TRIGGERS,
  run(pass) {
    for (const f of searchPackage(pass.facts).findings) {
      if (f.rule !== 'lock-channel-cycle') continue;
      pass.report({ node: f.site.node, file: f.site.file, message: f.message, fixHint: f.fixHint, related: f.related, trace: f.trace });
    }
  },
});
