/**
 * @fileoverview Child process for the benchmark: runs `analyze` once over the given
 * targets and prints timing (wall, and CPU time of all threads), the time the workers spent
 * parsing versus analysing, counts and this process's peak RSS (which includes the worker
 * threads) as JSON on stdout.
 */
import { analyze } from '../src/analysis/engine.js';

const targets = process.argv.slice(2);
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await analyze(targets, { noConfig: true });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const byRule: Record<string, number> = {};
for (const f of r.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
process.stdout.write(
  JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, parseMs: r.stats.parseMs, analysisMs: r.stats.analysisMs, maxRssKB: process.resourceUsage().maxRSS, files: r.stats.files, lines: r.stats.lines, bytes: r.stats.bytes, parsedFiles: r.stats.parsedFiles, packages: r.stats.packages, byRule }) + '\n',
);
