// Entry of every worker dspidl starts. Worker threads do not inherit the TypeScript loader of
// the thread that started them, so when the entry or the program it runs is TypeScript this
// plain module registers tsx (found by module-loading.ts) before importing the real entry.
import { workerData } from 'node:worker_threads';

const boot = workerData?.dspidlBoot;
if (typeof boot?.entry !== 'string') throw new Error('dspidl worker bootstrap: workerData.dspidlBoot.entry missing');
if (typeof boot.tsxApi === 'string') {
  const { register } = await import(boot.tsxApi);
  register();
}
await import(boot.entry);
