/**
 * @fileoverview Profile-reader benchmark (issue 5): builds and runs
 * test/profiles/go/many (100,000 parked goroutines, 10,000 of them at distinct
 * stacks, and a heap profile with ~100,000 distinct allocation stacks at
 * MemProfileRate=1), fetches its real profiles over HTTP and measures:
 *
 * - debug=2 parse throughput, both materialising every goroutine and streaming
 *   (`onGoroutine`, chunks read from a file) where memory stays flat;
 * - debug=1 parse throughput;
 * - heap protobuf decode: leakscope's decoder vs plain `pprof-format` in the
 *   same run, and leakscope's decoder plus a full top-sites pass (which
 *   materialises every lazily decoded stack);
 * - peak RSS (VmHWM on Linux) after each phase, measured in a
 *   child process (when compiled) so other benchmarks in `npm run bench` do not
 *   inflate it.
 *
 * Throughput is the best of a few runs (the machine is shared). Returns report
 * lines; returns a single notice line when Go is missing.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { decodeProfile } from '../src/profiles/proto.js';
import { parseGoroutineDump, parseGoroutineDumpStream } from '../src/profiles/debug2.js';
import { parseGoroutineText } from '../src/profiles/debug1.js';
import { topAllocationSites } from '../src/profiles/heap.js';
import { toHeapProfile } from '../src/profiles/pprof.js';

/** Finds test/profiles/go/many from either bench/ or dist/bench/. */
function programDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'test/profiles/go/many');
    if (existsSync(join(candidate, 'main.go'))) return candidate;
    dir = resolve(dir, '..');
  }
  return null;
}

function hasGo(): boolean {
  try {
    execFileSync('go', ['env', 'GOVERSION'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mb = (bytes: number) => bytes / 1e6;
/**
 * Peak resident set size in MiB. Linux VmHWM is per address space; getrusage's
 * maxRSS (process.resourceUsage) survives fork+exec and would report the
 * parent's peak in the measuring child.
 */
function rssMiB(): string {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return (Number(m[1]) / 1024).toFixed(0);
  } catch {
    // not Linux
  }
  return (process.resourceUsage().maxRSS / 1024).toFixed(0);
}

/** Best-of-n wall time in ms. */
function best(n: number, f: () => void): number {
  let b = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

async function bestAsync(n: number, f: () => Promise<void>): Promise<number> {
  let b = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

async function fetchBytes(url: string): Promise<Buffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return Buffer.from(await r.arrayBuffer());
}

/**
 * Parses the captured files in `dir` and returns report lines. Runs in a
 * child process when possible so peak RSS is this work's alone.
 */
async function measure(dir: string): Promise<string[]> {
  const out: string[] = [];
  const dumpFile = join(dir, 'debug2.txt');
  const dumpSize = statSync(dumpFile).size;
  out.push(`profiles: peak RSS at start ${rssMiB()} MiB`);

  // 1. Streaming from a file before anything is loaded, keeping nothing:
  // peak RSS must stay near the start value, whatever the dump size.
  let streamed = 0;
  const tStream = await bestAsync(3, async () => {
    streamed = 0;
    await parseGoroutineDumpStream(createReadStream(dumpFile, { highWaterMark: 1 << 16 }), dumpFile, { onGoroutine: () => streamed++ });
  });
  out.push(`profiles: debug=2 streaming (file, onGoroutine) ${(mb(dumpSize) / (tStream / 1000)).toFixed(0)} MB/s, ${streamed} goroutines, peak RSS ${rssMiB()} MiB`);

  const debug2 = readFileSync(dumpFile);
  const debug1 = readFileSync(join(dir, 'debug1.txt'));
  const heap = readFileSync(join(dir, 'heap.pb'));
  out.push(`profiles: peak RSS with the inputs loaded ${rssMiB()} MiB`);

  // 2. In memory, materialising every goroutine.
  let total = 0;
  const tFull = best(3, () => {
    total = parseGoroutineDump(debug2, 'debug2').goroutines.length;
  });
  out.push(`profiles: debug=2 full parse ${(mb(debug2.length) / (tFull / 1000)).toFixed(0)} MB/s (${total} goroutines), peak RSS ${rssMiB()} MiB`);
  const tLean = best(3, () => {
    parseGoroutineDump(debug2, 'debug2', { keepArgs: false });
  });
  out.push(`profiles: debug=2 full parse without argument words ${(mb(debug2.length) / (tLean / 1000)).toFixed(0)} MB/s`);

  // 3. debug=1.
  let records = 0;
  const t1 = best(5, () => {
    records = parseGoroutineText(debug1, 'debug1').goroutines.length;
  });
  out.push(`profiles: debug=1 parse ${(mb(debug1.length) / (t1 / 1000)).toFixed(0)} MB/s (${records} records)`);

  // 4. Heap protobuf: ours vs pprof-format, same bytes, same run.
  let samples = 0;
  const tOurs = best(5, () => {
    samples = decodeProfile(heap).samples.length;
  });
  const tRef = best(3, () => {
    Profile.decode(heap);
  });
  const tOursTop = best(3, () => {
    const p = toHeapProfile(decodeProfile(heap), 'heap');
    for (const t of ['inuse_space', 'alloc_space']) topAllocationSites(p, { sampleType: t, limit: 10 });
    for (const s of p.samples) void s.stack.length;
  });
  const ours = mb(heap.length) / (tOurs / 1000);
  const ref = mb(heap.length) / (tRef / 1000);
  out.push(`profiles: heap protobuf decode ${ours.toFixed(0)} MB/s vs pprof-format ${ref.toFixed(0)} MB/s (${(ours / ref).toFixed(1)}x, ${samples} samples, stacks lazy)`);
  out.push(`profiles: heap protobuf decode + every stack + top sites ${(mb(heap.length) / (tOursTop / 1000)).toFixed(0)} MB/s (${(tRef / tOursTop).toFixed(1)}x pprof-format decode alone)`);
  out.push(`profiles: peak RSS ${rssMiB()} MiB`);
  return out;
}

/** Runs the benchmark and returns the report lines. */
export async function benchProfiles(): Promise<string[]> {
  const src = programDir();
  if (!hasGo() || !src) return ['profiles: skipped - Go toolchain (or test/profiles/go/many) not found'];
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-bench-'));
  let kill = () => {};
  try {
    const bin = join(dir, 'many');
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: src, stdio: 'pipe' });
    const child = spawn(bin, ['-n', '100000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    kill = () => void child.kill('SIGKILL');
    const base = await new Promise<string>((res, rej) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /port=(\d+)/.exec(buf);
        if (m) res(`http://127.0.0.1:${m[1]}`);
      });
      child.on('exit', (c) => rej(new Error(`many exited with ${c}`)));
    });
    // Wait until every goroutine exists (debug=1 total is cheap to poll).
    for (let i = 0; i < 100; i++) {
      const head = (await fetchBytes(`${base}/debug/pprof/goroutine?debug=1`)).toString('utf8', 0, 64);
      if (Number(/total (\d+)/.exec(head)?.[1] ?? 0) >= 100_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const debug2 = await fetchBytes(`${base}/debug/pprof/goroutine?debug=2`);
    const debug1 = await fetchBytes(`${base}/debug/pprof/goroutine?debug=1`);
    const heapGz = await fetchBytes(`${base}/debug/pprof/heap`);
    kill();
    const heap = gunzipSync(heapGz);
    writeFileSync(join(dir, 'debug2.txt'), debug2);
    writeFileSync(join(dir, 'debug1.txt'), debug1);
    writeFileSync(join(dir, 'heap.pb'), heap);
    const lines = [
      `profiles: go/many with 100,000 goroutines: debug=2 ${mb(debug2.length).toFixed(1)} MB, debug=1 ${mb(debug1.length).toFixed(1)} MB, heap.pb ${mb(heap.length).toFixed(1)} MB (${mb(heapGz.length).toFixed(2)} MB gzipped)`,
    ];
    const self = fileURLToPath(import.meta.url);
    if (self.endsWith('.js')) {
      // Separate process: peak RSS then covers only the parsing.
      const r = spawnSync(process.execPath, [self, '--measure', dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`profiles bench child failed: ${r.stderr}`);
      return lines.concat(r.stdout.trim().split('\n'));
    }
    return lines.concat(await measure(dir));
  } finally {
    kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node dist/bench/profiles.js` runs the whole benchmark; `--measure <dir>` is
// the child-process half used by benchProfiles.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const i = process.argv.indexOf('--measure');
  (i > 0 ? measure(process.argv[i + 1]!) : benchProfiles()).then(
    (lines) => console.log(lines.join('\n')),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
