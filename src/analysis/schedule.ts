/**
 * @fileoverview How the engine spreads directories over worker threads: the order they
 * are taken in and each worker's heap limits. Shared with the parser benchmark
 * (bench/parse-child.ts), which splits the work the same way.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { DirSpec } from '../go/loader.js';
import type { DirOptions, DirResult } from './analyze-dir.js';

/**
 * Heap limits of each worker thread: a larger young generation (V8's semi-spaces are a
 * third of it), since a package's syntax trees live until its analysis ends and with
 * V8's default (16 MB semi-spaces) scavenges copy them over and over.
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 96 };

/**
 * The order in which workers take directories: the order of the targets (path order),
 * not largest first. V8 tunes a heap to what survives its first collections (allocation
 * sites that "survive" get allocated in the old generation, the young generation
 * grows): a thread that starts with the biggest packages, all of whose trees survive,
 * keeps paying for that on every later package. Measured on the standard library
 * (parsing every file on one thread): largest files first costs about 50 % more CPU than
 * path order, and still about 35 % more with V8's pretenuring switched off; the check's
 * peak RSS falls from about 1 GB to 0.7 GB in path order.
 */
export function engineOrder(dirs: DirSpec[]): number[] {
  return dirs.map((_, i) => i);
}

/**
 * What the engine sends each worker once: every directory, the order to take them in, the
 * queue shared by all threads (see `createQueue`) and the worker's thread number in it.
 */
export interface WorkerJob {
  dirs: DirSpec[];
  order: number[];
  opts: DirOptions;
  queue: Int32Array;
  thread: number;
}

/**
 * The queue the analysing threads share: `order` (whose directories weigh `weights`, their
 * files) cut into one contiguous run of about equal weight per thread, kept as three Int32s
 * per run in shared memory (a lock, the next position from the front, the end).
 * Each thread takes its own run from the front, then helps the others from the back of the
 * run with the most left. Contiguous runs rather than one shared counter: each thread keeps
 * a world of the module's packages it has loaded for their declarations (see
 * `World.imported`), and neighbouring directories import the same packages. Measured over
 * the standard library with two threads: the threads loaded 2109 files for declarations
 * between them (2730 with one shared counter; 1685 on one thread), and the check's CPU
 * fell from 35.2 to 34.0 s (median of 3 alternating runs on a loaded machine).
 */
export function createQueue(weights: number[], threads: number): Int32Array {
  const q = new Int32Array(new SharedArrayBuffer(12 * threads));
  // Runs of about equal weight (files), so that little is left to take from another's run.
  const total = weights.reduce((a, b) => a + b, 0);
  let pos = 0;
  let acc = 0;
  for (let t = 0; t < threads; t++) {
    q[3 * t + 1] = pos;
    const upTo = (total * (t + 1)) / threads;
    while (pos < weights.length && (t === threads - 1 || acc + (weights[pos] as number) / 2 <= upTo)) acc += weights[pos++] as number;
    q[3 * t + 2] = pos;
  }
  return q;
}

/** The next position in `order` for thread `thread` to analyse, or -1 when every directory is taken. */
export function takeNext(q: Int32Array, thread: number): number {
  const own = takeFrom(q, thread, true);
  if (own >= 0) return own;
  for (;;) {
    let best = -1;
    let most = 0;
    for (let t = 0; 3 * t < q.length; t++) {
      const left = Atomics.load(q, 3 * t + 2) - Atomics.load(q, 3 * t + 1);
      if (left > most) {
        most = left;
        best = t;
      }
    }
    if (best < 0) return -1;
    const k = takeFrom(q, best, false);
    if (k >= 0) return k;
  }
}

/** Takes a position from the front or the back of run `t`, under its lock (held for a few instructions, so a spin). */
function takeFrom(q: Int32Array, t: number, front: boolean): number {
  const lock = 3 * t;
  while (Atomics.compareExchange(q, lock, 0, 1) !== 0);
  const f = Atomics.load(q, lock + 1);
  const b = Atomics.load(q, lock + 2);
  let k = -1;
  if (f < b) {
    if (front) Atomics.store(q, lock + 1, (k = f) + 1);
    else Atomics.store(q, lock + 2, (k = b - 1));
  }
  Atomics.store(q, lock, 0);
  return k;
}

/** A worker's message: one directory's result (or the error it failed with), or `done` when the queue is empty. */
export interface WorkerMessage {
  id: number;
  result?: DirResult;
  error?: string;
  done?: boolean;
}

/**
 * Heap in use (live or not yet collected) above which a thread collects garbage after a
 * directory: a safety valve only, since `limitHeapGrowth` keeps the heap near what is live.
 * A forced full collection between directories, when nothing of the analysis is alive,
 * costs far more than it looks: V8 then drops the optimised code of most of the parser and
 * of the analysis ("weak objects" deoptimisations: about 900 over the standard library on
 * one thread, with 10 such collections at the former 256 MB threshold), and compiles it
 * all again on the next directory — about 15 % of a check's CPU time.
 */
const RELEASE_AT_BYTES = 768 * 1024 * 1024;

/**
 * How much V8 lets a heap grow past what its last full collection kept (percent): 50 rather
 * than V8's dynamic 1.1x–4x, so that after the largest directories
 * (cmd/compile/internal/ssa keeps about 280 MB alive) garbage does not pile up to several
 * times that over the following directories, which is where a thread's peak RSS came from.
 */
const HEAP_GROWING_PERCENT = 50;

/** The V8 flags set so far by {@link setFlagOnce}. */
const flagsSet = new Set<string>();

/**
 * Sets V8 flag `flag` once per process (V8's flags are process-wide: worker threads share
 * them). An embedder that forbids changing flags keeps V8's default.
 */
function setFlagOnce(flag: string): void {
  if (flagsSet.has(flag)) return;
  flagsSet.add(flag);
  try {
    v8.setFlagsFromString(flag);
  } catch {
    // Flags fixed by the embedder: V8's default then.
  }
}

/**
 * Called by the engine before it analyses a tree of packages (once per process: V8's flags
 * are process-wide, so the worker threads share it): bounds heap growth as
 * HEAP_GROWING_PERCENT says. Measured over the standard library with two threads: peak
 * RSS about 780 MB, as with the former forced collections, at about 10 % less CPU; without
 * either, 1.4 GB.
 */
export function limitHeapGrowth(): void {
  setFlagOnce(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * TurboFan's budget for inlining into one optimised function, in bytes of bytecode (V8's
 * default is 920). Each thread compiles the parser and the analysis afresh, and with the
 * default budget the recursive-descent parser's mutually recursive functions inline one
 * another over and over: compiling them is a large part of a thread's first seconds. 300
 * keeps the small helpers inlined and compiles far less; warm code runs as fast (measured
 * on the standard library, see the commit).
 */
const INLINING_BUDGET = 300;

/**
 * Called before the threads start (V8's flags are process-wide, and the compiler reads
 * this one at each compilation): sets the inlining budget INLINING_BUDGET.
 */
export function tuneCompiler(): void {
  setFlagOnce(`--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`);
}

let collect: (() => void) | null | undefined;

/**
 * Called by each analysing thread after a directory: when the thread's heap holds more
 * than RELEASE_AT_BYTES, runs a full garbage collection, so V8 sizes the heap to what
 * the thread still holds (the stub world, a few MB) instead of the last large directory.
 * The collector is reached as Jest does for `--logHeapUsage` (V8's `--expose-gc` set at
 * run time makes `gc` available in new contexts); where that is not possible, nothing
 * happens.
 */
export function releaseMemory(): void {
  if (v8.getHeapStatistics().used_heap_size < RELEASE_AT_BYTES) return;
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
