/**
 * @fileoverview Child process for the blocking-state search benchmark. Modes:
 * - `with <targets...>`: `analyze` with every default rule (the engine included);
 * - `without <targets...>`: the same with `blocked-forever` and `lock-channel-cycle` disabled;
 * - `stats <targets...>`: only the engine's rules, on this thread, so the search totals
 *   (entries, fully explored, states, time) can be read.
 * Prints JSON: wall and CPU milliseconds, peak RSS, and the totals in `stats` mode.
 */
import { analyze } from '../src/analysis/engine.js';
import { ENGINE_RULE_IDS, searchTotals } from '../src/analysis/search/index.js';

const [mode, ...targets] = process.argv.slice(2);
const t0 = performance.now();
const c0 = process.cpuUsage();
const opts =
  mode === 'stats' ? { noConfig: true, workers: 0, only: [...ENGINE_RULE_IDS], yieldToDisabled: false } : mode === 'without' ? { noConfig: true, disable: [...ENGINE_RULE_IDS] } : { noConfig: true };
const r = await analyze(targets, opts);
const cpu = process.cpuUsage(c0);
process.stdout.write(
  JSON.stringify({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS, findings: r.findings.filter((f) => (ENGINE_RULE_IDS as readonly string[]).includes(f.ruleId)).length, ...(mode === 'stats' ? { totals: searchTotals } : {}) }) + '\n',
);
