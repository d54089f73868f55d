/**
 * The engine's thread pool (src/analysis/engine.ts, schedule.ts): the calling thread and
 * the workers share one queue of directories; whatever thread analyses a directory, the
 * findings are those of the single-threaded run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';

const RULES = path.resolve(__dirname, '../src/rules');
// Every rule's fixtures: over 40 files in many directories, so the engine uses its workers.
const dirs = fs
  .readdirSync(RULES)
  .map((r) => path.join(RULES, r, 'testdata'))
  .filter((d) => fs.existsSync(d));

describe('engine threads', () => {
  it('reports with workers exactly what one thread reports', async () => {
    const worker = path.resolve(__dirname, '../dist/src/analysis/worker.js');
    if (!fs.existsSync(worker)) throw new Error(`${worker} is missing: run npm run build first (the engine's workers run the compiled analyser)`);
    const one = await analyze(dirs, { noConfig: true, workers: 0 });
    const three = await analyze(dirs, { noConfig: true, workers: 3 });
    expect(one.stats.files).toBeGreaterThanOrEqual(40);
    expect(one.findings.length).toBeGreaterThan(20);
    expect(three.findings).toEqual(one.findings);
    expect(three.stats.files).toBe(one.stats.files);
    expect(three.stats.packages).toBe(one.stats.packages);
  }, 120_000);

});
