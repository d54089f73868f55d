/**
 * The engine's thread pool (src/analysis/engine.ts, schedule.ts): the calling thread and
 * the workers share one queue of directories; whatever thread analyses a directory, the
 * findings are those of the single-threaded run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/engine.js';
import { createQueue, takeNext } from '../src/analysis/schedule.js';

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

  it('hands every directory out once: each thread its own run from the front, then the rest of the fullest run from the back', () => {
    // Weights (files per directory): 3 threads, total 30, runs of about 10 files each.
    const weights = [4, 4, 2, 1, 1, 1, 1, 6, 5, 1, 1, 3];
    const q = createQueue(weights, 3);
    expect(takeNext(q, 0)).toBe(0);
    expect(takeNext(q, 0)).toBe(1);
    expect(takeNext(q, 0)).toBe(2);
    expect(takeNext(q, 1)).toBe(3); // thread 1's run starts where thread 0's ends (4 + 4 + 2 = 10 files)
    expect(takeNext(q, 2)).toBe(8); // 1 + 1 + 1 + 1 + 6 = 10 more for thread 1: thread 2 starts at 8
    // Thread 0's run is used up: it takes from the back of the run with the most left (thread 1's: 4..7).
    expect(takeNext(q, 0)).toBe(7);
    const taken = [0, 1, 2, 3, 8, 7];
    for (let t = 0, k = takeNext(q, t); k >= 0; t = (t + 1) % 3, k = takeNext(q, t)) taken.push(k);
    expect(taken.sort((a, b) => a - b)).toEqual(weights.map((_, i) => i));
    expect(takeNext(q, 1)).toBe(-1);
  });
});
