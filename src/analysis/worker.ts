/**
 * @fileoverview Worker-thread entry: analyses directories of the queue the engine shares
 * with it (see `WorkerJob`), taking the next one itself until none is left.
 * Each worker reads, parses and analyses whole directories, so syntax trees never cross
 * threads; only findings come back. Each worker has its own stub world.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeDir } from './analyze-dir.js';
import { releaseMemory, takeNext, type WorkerJob, type WorkerMessage } from './schedule.js';

parentPort?.once('message', (job: WorkerJob) => {
  const post = (m: WorkerMessage): void => parentPort?.postMessage(m);
  for (let k = takeNext(job.queue, job.thread); k >= 0; k = takeNext(job.queue, job.thread)) {
    const id = job.order[k] as number;
    try {
      post({ id, result: analyzeDir(job.dirs[id] as WorkerJob['dirs'][number], job.opts) });
      releaseMemory();
    } catch (e) {
      post({ id, error: (e as Error).stack ?? String(e) });
      return;
    }
  }
  post({ id: -1, done: true });
});
