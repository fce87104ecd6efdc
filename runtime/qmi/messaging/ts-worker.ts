import type { Worker, WorkerOptions } from 'node:worker_threads';
import { startWorker } from '../../transport/start-worker.ts';

/**
 * Starts a worker thread on `entry` (TypeScript or JavaScript; see transport/module-loading.ts).
 * `workerData` reaches the entry unchanged.
 */
export function spawnTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  return startWorker(entry, [], options);
}
