import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread whose entry is a TypeScript module (works under vitest, tsx and plain
 * node). `workerData` reaches the entry unchanged; the entry's URL travels beside it.
 */
export function spawnTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const data: unknown = options.workerData ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError('spawnTsWorker: workerData must be a plain object');
  }
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), {
    ...options,
    workerData: { ...data, tsWorkerEntry: entry.href },
  });
}
