// Worker entry: another processor takes the SMEM hardware lock and holds it until told to let go.
// flag: 1 = holding, 2 = asked to release (by the test), 3 = released (set just before unlock).
import { parentPort, workerData } from 'node:worker_threads';
import { HwSpinlockBank, type HwSpinlockBankShare } from '../../runtime/memory/smem/index.ts';

const { locks, index, owner, flag, holdMs } = workerData as {
  locks: HwSpinlockBankShare;
  index: number;
  owner: number;
  flag: Int32Array;
  holdMs: number;
};
const lock = HwSpinlockBank.fromShare(locks).lock(index);
if (!lock.tryLock(owner)) throw new Error('lock already taken');
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
Atomics.wait(flag, 0, 1);
// Give the test's allocation time to start waiting on the lock before it is released.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
Atomics.store(flag, 0, 3);
lock.unlock();
parentPort?.postMessage('released');
