/**
 * @fileoverview Worker-thread entry: analyses directories sent by the engine.
 * Each worker has its own tree-sitter parser and stub world (neither is shareable).
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
