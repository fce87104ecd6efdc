// Worker entry for TypeScript modules. Node 20 does not apply `--import tsx` loader hooks to a
// worker's modules, so this plain module registers tsx itself, then imports the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
