// Worker threads do not inherit the TypeScript loader of the thread that spawned them, so a
// TypeScript worker entry is loaded through this plain-JS shim, which registers tsx first.
import { workerData } from 'node:worker_threads';

const entry = workerData?.tsWorkerEntry;
if (typeof entry !== 'string') throw new Error('ts-worker-bootstrap: workerData.tsWorkerEntry missing');
if (entry.endsWith('.ts') || entry.endsWith('.mts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
