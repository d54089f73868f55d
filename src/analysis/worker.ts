/**
 * @fileoverview Worker-thread entry: analyses directories sent by the engine.
 * Each worker reads, parses and analyses whole directories, so syntax trees never cross
 * threads; only findings come back. Each worker has its own stub world.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeDir, type DirOptions } from './analyze-dir.js';
import type { DirSpec } from '../go/loader.js';

parentPort?.on('message', (msg: { id: number; spec: DirSpec; opts: DirOptions }) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: analyzeDir(msg.spec, msg.opts) });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: (e as Error).stack ?? String(e) });
  }
});
