/**
 * @fileoverview Child process for the parser benchmark: reads, decodes and parses every
 * Go file `leakscope check <target>` would analyse (same file selection), on this thread
 * (`--workers 0`) or split over worker threads the way the engine splits packages (a
 * queue of directories in the engine's order, each worker taking the next one when it is
 * done; each worker reads and parses its own files, nothing but counts crosses threads).
 * Prints bytes, files, syntax errors, wall time and peak RSS as JSON.
 *
 * Usage: node parse-child.js <workers> <target>
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { expandTargets } from '../src/go/loader.js';
import { decodeGoSource, SourceFile } from '../src/go/source.js';
import { engineOrder, WORKER_RESOURCE_LIMITS } from '../src/analysis/schedule.js';

interface Counts {
  files: number;
  bytes: number;
  errors: number;
}

function parseAll(files: string[]): Counts {
  const c: Counts = { files: 0, bytes: 0, errors: 0 };
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    const dec = decodeGoSource(f, bytes);
    if ('problem' in dec) continue;
    const sf = new SourceFile(f, dec.text, { invalid: dec.invalid });
    c.files++;
    c.bytes += bytes.length;
    c.errors += sf.syntaxErrors.length;
  }
  return c;
}

const add = (a: Counts, b: Counts): Counts => ({ files: a.files + b.files, bytes: a.bytes + b.bytes, errors: a.errors + b.errors });

if (!isMainThread) {
  parentPort?.on('message', (files: string[]) => parentPort?.postMessage(parseAll(files)));
} else {
  const workers = Number(process.argv[2] ?? 0);
  const target = process.argv[3] ?? '.';
  const dirs = expandTargets([target], { tests: true }).dirs;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let total: Counts = { files: 0, bytes: 0, errors: 0 };
  if (workers <= 0) total = parseAll(dirs.flatMap((d) => d.files));
  else {
    const order = engineOrder(dirs);
    let next = 0;
    const me = fileURLToPath(import.meta.url);
    const pool = Array.from({ length: workers }, () => new Worker(me, { resourceLimits: WORKER_RESOURCE_LIMITS }));
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              const d = order[next++];
              if (d === undefined) return resolve();
              w.postMessage((dirs[d] as (typeof dirs)[number]).files);
            };
            w.on('message', (m: Counts) => {
              total = add(total, m);
              send();
            });
            w.on('error', reject);
            send();
          }),
      ),
    );
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ ...total, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS }) + '\n');
}
