/**
 * @fileoverview Child process for the parser benchmark: reads, decodes and parses every
 * Go file `leakscope check <target>` would analyse (same file selection), on this thread
 * (`--workers 0`) or split over worker threads the way the engine splits packages (each
 * worker reads and parses its own files, nothing but counts crosses threads). Prints
 * bytes, files, syntax errors, wall time and peak RSS as JSON.
 *
 * Usage: node parse-child.js <workers> <target>
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { expandTargets } from '../src/go/loader.js';
import { decodeGoSource, SourceFile } from '../src/go/source.js';

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

if (!isMainThread) {
  parentPort?.postMessage(parseAll(workerData as string[]));
} else {
  const workers = Number(process.argv[2] ?? 0);
  const target = process.argv[3] ?? '.';
  const files = expandTargets([target], { tests: true }).dirs.flatMap((d) => d.files);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let total: Counts;
  if (workers <= 0) total = parseAll(files);
  else {
    // Largest files first, dealt round-robin: shares of about equal bytes.
    const sized = files.map((f) => ({ f, size: fs.statSync(f).size })).sort((a, b) => b.size - a.size);
    const shares: string[][] = Array.from({ length: workers }, () => []);
    sized.forEach(({ f }, i) => (shares[i % workers] as string[]).push(f));
    const me = fileURLToPath(import.meta.url);
    const parts = await Promise.all(
      shares.map(
        (share) =>
          new Promise<Counts>((resolve, reject) => {
            const w = new Worker(me, { workerData: share, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
            w.once('message', (m: Counts) => resolve(m));
            w.once('error', reject);
          }),
      ),
    );
    total = parts.reduce((a, b) => ({ files: a.files + b.files, bytes: a.bytes + b.bytes, errors: a.errors + b.errors }), { files: 0, bytes: 0, errors: 0 });
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ ...total, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS }) + '\n');
}
