// Worker entry for concurrent.test.ts: one simulated processor thread hammering SMEM.
import { parentPort, workerData } from 'node:worker_threads';
import { Errno, KernelError, QCOM_SMEM_HOST_ANY, Smem, type SmemShare } from '../../runtime/memory/smem/index.ts';
import { itemSize, ownItem, sharedItem, stamp, type WorkerReport } from './plan.ts';

interface Job {
  readonly share: SmemShare;
  readonly worker: number;
  readonly workers: number;
  readonly perWorker: number;
  readonly sharedItems: number;
  readonly start: Int32Array;
  /** 'own': each worker allocates its own items; 'race': all workers race for the same items. */
  readonly mode: 'own' | 'race';
  readonly raceItems?: readonly number[];
}

const job = workerData as Job;
const smem = Smem.attach(job.share);
const report: WorkerReport = { worker: job.worker, allocated: 0, sharedWon: [], torn: [], errors: [], peeks: 0 };

// Start together so the allocations really interleave.
Atomics.add(job.start, 0, 1);
while (Atomics.load(job.start, 0) < job.workers) Atomics.wait(job.start, 0, Atomics.load(job.start, 0), 5);

let seed = 0x9e3779b9 ^ job.worker;
const rand = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};

function peek(item: number): void {
  try {
    const got = smem.get(QCOM_SMEM_HOST_ANY, item);
    report.peeks++;
    // The legacy heap (race mode) reports the 8-aligned size, partitions the requested one.
    const expected = job.mode === 'race' ? Math.ceil(itemSize(item) / 8) * 8 : itemSize(item);
    if (got.size !== expected || got.offset % 8 !== 0 || got.bytes.length !== got.size) {
      report.torn.push(`item ${item}: offset ${got.offset} size ${got.size}`);
    }
  } catch (err) {
    const absent = err instanceof KernelError && (err.errno === -Errno.ENOENT || err.errno === -Errno.ENXIO);
    if (!absent) report.errors.push(`get ${item}: ${String(err)}`);
  }
}

function race(items: readonly number[]): void {
  // Every worker walks the same items from a different starting point.
  const n = items.length;
  for (let k = 0; k < n; k++) {
    const item = items[(k + Math.floor((job.worker * n) / job.workers)) % n]!;
    try {
      smem.alloc(QCOM_SMEM_HOST_ANY, item, itemSize(item));
      smem.get(QCOM_SMEM_HOST_ANY, item).bytes.fill(stamp(item));
      report.sharedWon.push(item);
    } catch (err) {
      if (!(err instanceof KernelError && err.errno === -Errno.EEXIST)) report.errors.push(`alloc ${item}: ${String(err)}`);
    }
    peek(items[rand(n)]!);
  }
}

function ownItems(): void {
  for (let i = 0; i < job.perWorker; i++) {
    const item = ownItem(job.sharedItems, job.workers, job.worker, i);
    try {
      smem.alloc(QCOM_SMEM_HOST_ANY, item, itemSize(item));
      const got = smem.get(QCOM_SMEM_HOST_ANY, item);
      got.bytes.fill(stamp(item));
      report.allocated++;
    } catch (err) {
      report.errors.push(`alloc ${item}: ${String(err)}`);
    }
    // Look at items other workers are allocating right now, without the lock.
    const other = (job.worker + 1 + rand(job.workers - 1)) % job.workers;
    peek(ownItem(job.sharedItems, job.workers, other, Math.min(job.perWorker - 1, i + rand(4))));
    if (i % 97 === 0) {
      const s = sharedItem(rand(job.sharedItems));
      try {
        smem.alloc(QCOM_SMEM_HOST_ANY, s, itemSize(s));
        report.sharedWon.push(s);
      } catch (err) {
        if (!(err instanceof KernelError && err.errno === -Errno.EEXIST)) report.errors.push(`alloc shared ${s}: ${String(err)}`);
      }
    }
  }
}

if (job.mode === 'race') race(job.raceItems ?? []);
else ownItems();
parentPort?.postMessage(report);
