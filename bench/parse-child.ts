/**
 * @fileoverview Child process for the parser benchmark: reads, decodes and parses every
 * Go file `leakscope check <target>` would analyse (same file selection), on this thread
 * (`<workers>` 0 or 1) or split over threads the way the engine splits packages (this
 * thread and `<workers> - 1` worker threads share a queue of directories in the engine's
 * order, each taking the next one itself; each thread reads and parses its own files,
 * nothing but counts crosses threads).
 * Prints bytes, files, syntax errors, wall time and peak RSS as JSON. With `skip-bodies`
 * (single thread only), files are parsed with `skipBodies` (declarations only, as for the
 * packages a check loads for their declarations).
 *
 * Usage: node parse-child.js <workers> <target> [skip-bodies]
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { expandTargets } from '../src/go/loader.js';
import { parseGo } from '../src/go/parser/parser.js';
import { decodeGoSource, SourceFile } from '../src/go/source.js';
import { engineOrder, limitHeapGrowth, tuneCompiler, WORKER_RESOURCE_LIMITS } from '../src/analysis/schedule.js';

interface Counts {
  files: number;
  bytes: number;
  errors: number;
}

function parseAll(files: string[], skipBodies = false): Counts {
  const c: Counts = { files: 0, bytes: 0, errors: 0 };
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    const dec = decodeGoSource(f, bytes);
    if ('problem' in dec) continue;
    c.files++;
    c.bytes += bytes.length;
    if (skipBodies) c.errors += parseGo(dec.text, { invalid: dec.invalid, skipBodies }).errors.length;
    else c.errors += new SourceFile(f, dec.text, { invalid: dec.invalid }).syntaxErrors.length;
  }
  return c;
}

const add = (a: Counts, b: Counts): Counts => ({ files: a.files + b.files, bytes: a.bytes + b.bytes, errors: a.errors + b.errors });

interface Job {
  dirs: string[][];
  order: number[];
  counter: Int32Array;
}

/** Parses the directories of the shared queue until none is left (see WorkerJob in src/analysis/schedule.ts). */
function takeAll(job: Job): Counts {
  let c: Counts = { files: 0, bytes: 0, errors: 0 };
  for (let k = Atomics.add(job.counter, 0, 1); k < job.order.length; k = Atomics.add(job.counter, 0, 1)) c = add(c, parseAll(job.dirs[job.order[k] as number] as string[]));
  return c;
}

if (!isMainThread) {
  parentPort?.once('message', (job: Job) => parentPort?.postMessage(takeAll(job)));
} else {
  // As the engine does before it starts its threads (the heap growth bound too: without it
  // this benchmark's peak RSS was about a quarter higher than with it, at the same CPU).
  limitHeapGrowth();
  tuneCompiler();
  const workers = Number(process.argv[2] ?? 0);
  const target = process.argv[3] ?? '.';
  const dirs = expandTargets([target], { tests: true }).dirs;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let total: Counts;
  if (workers <= 1) total = parseAll(dirs.flatMap((d) => d.files), process.argv[4] === 'skip-bodies');
  else {
    // As the engine does: this thread and workers - 1 worker threads share one queue.
    const job: Job = { dirs: dirs.map((d) => d.files), order: engineOrder(dirs), counter: new Int32Array(new SharedArrayBuffer(4)) };
    const me = fileURLToPath(import.meta.url);
    const pool = Array.from({ length: workers - 1 }, () => new Worker(me, { resourceLimits: WORKER_RESOURCE_LIMITS }));
    const parts = pool.map(
      (w) =>
        new Promise<Counts>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.postMessage(job);
        }),
    );
    total = takeAll(job);
    for (const part of await Promise.all(parts)) total = add(total, part);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ ...total, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS }) + '\n');
}
