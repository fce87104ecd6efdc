import { Worker, type WorkerOptions } from 'node:worker_threads';
import { moduleLoadingFor } from './module-loading.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Starts a worker thread on `entry`, able to load `programs` too (module URLs or paths the entry
 * will import). `workerData` must be a plain object; the bootstrap's own data travels beside it.
 */
export function startWorker(entry: URL, programs: readonly string[], options: WorkerOptions = {}): Worker {
  const data: unknown = options.workerData ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new TypeError('startWorker: workerData must be a plain object');
  const loading = moduleLoadingFor([entry.href, ...programs]);
  return new Worker(BOOTSTRAP, {
    ...options,
    execArgv: [...loading.execArgv, ...(options.execArgv ?? [])],
    workerData: { ...data, dspidlBoot: { entry: entry.href, tsxApi: loading.tsxApi } },
  });
}
