/**
 * @fileoverview lock-channel-cycle: a goroutine blocks on a channel (or WaitGroup, or
 * Cond) while holding a mutex that the goroutine which should complete that operation
 * needs first — a wait cycle through a lock and a channel, which neither lock-order
 * (locks only) nor the channel rules see. Two sources: the blocking-state search
 * (src/analysis/search/, objects made in one function, with the explored schedule) and
 * the lock-plus-wait detector on the program model (src/analysis/heldwait.ts: channels
 * and WaitGroups in struct fields, locks taken by callers, wakers' locks inside callees).
 * Where both report a line, the program model's finding is kept for objects in struct
 * fields and package variables (it names the functions and the wakers), the search's for
 * objects held only in locals (it owns them and explored the schedule).
 */
import { heldWaitFindings } from '../../analysis/heldwait.js';
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
    const taken = new Set<string>();
    const lineKey = (file: { path: string; line(o: number): number }, node: { start: number }): string => `${file.path}:${file.line(node.start)}`;
    const engine = searchPackage(pass.facts).findings;
    const engineLines = new Set(engine.map((f) => lineKey(f.site.file, f.site.node)));
    const model = heldWaitFindings(pass.facts);
    const report = (f: (typeof model)[number]): void => {
      taken.add(lineKey(f.file, f.node));
      pass.report({ node: f.node, file: f.file, message: f.message, fixHint: f.fixHint, related: f.related, trace: f.trace });
    };
    // Objects in struct fields or package variables: the program model's finding first
    // (its message names the functions and the wakers). Objects held only in locals: the
    // search owns them and its explored schedule is kept.
    // (A line blocked-forever reports stays blocked-forever's: one finding per line.)
    const bf = new Set(engine.filter((f) => f.rule === 'blocked-forever').map((f) => lineKey(f.site.file, f.site.node)));
    for (const f of model) if (!f.local && !taken.has(lineKey(f.file, f.node)) && !bf.has(lineKey(f.file, f.node))) report(f);
    for (const f of engine) {
      if (f.rule !== 'lock-channel-cycle') continue;
      const k = lineKey(f.site.file, f.site.node);
      if (taken.has(k)) continue;
      taken.add(k);
      pass.report({ node: f.site.node, file: f.site.file, message: f.message, fixHint: f.fixHint, related: f.related, trace: f.trace });
    }
    for (const f of model) if (f.local && !taken.has(lineKey(f.file, f.node)) && !engineLines.has(lineKey(f.file, f.node))) report(f);
  },
});
