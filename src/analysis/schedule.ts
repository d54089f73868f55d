/**
 * @fileoverview How the engine spreads directories over worker threads: the order they
 * are taken in and each worker's heap limits. Shared with the parser benchmark
 * (bench/parse-child.ts), which splits the work the same way.
 */
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
 * What the engine sends each worker once: every directory, the order to take them in, and
 * a counter shared by all threads (the next index into `order`), which each thread
 * advances with `Atomics.add` to take its next directory.
 */
export interface WorkerJob {
  dirs: DirSpec[];
  order: number[];
  opts: DirOptions;
  counter: Int32Array;
}

/** A worker's message: one directory's result (or the error it failed with), or `done` when the queue is empty. */
export interface WorkerMessage {
  id: number;
  result?: DirResult;
  error?: string;
  done?: boolean;
}
