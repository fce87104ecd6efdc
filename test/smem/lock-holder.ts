// Worker entry: another processor takes the SMEM hardware lock, holds it a while, then lets go.
import { parentPort, workerData } from 'node:worker_threads';
import { HwSpinlockBank, type HwSpinlockBankShare } from '../../runtime/memory/smem/index.ts';

const { locks, index, owner, flag, holdMs } = workerData as { locks: HwSpinlockBankShare; index: number; owner: number; flag: Int32Array; holdMs: number };
const lock = HwSpinlockBank.fromShare(locks).lock(index);
if (!lock.tryLock(owner)) throw new Error('lock already taken');
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
lock.unlock();
parentPort?.postMessage('released');
