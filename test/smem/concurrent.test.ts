import { describe, expect, it } from 'vitest';
import {
  Header,
  HwSpinlockBank,
  SMEM_ITEM_COUNT,
  QCOM_SMEM_HOST_ANY,
  Smem,
  createSmemRegion,
  formatSmem,
  type SmemShare,
} from '../../runtime/memory/smem/index.ts';
import { spawnTsWorker } from '../../runtime/qmi/messaging/ts-worker.ts';
import { itemSize, ownItem, sharedItem, stamp, type WorkerReport } from './plan.ts';

const WORKERS = 4;
const PER_WORKER = 10_000;
const SHARED_ITEMS = 64;

function runWorker(
  share: SmemShare,
  worker: number,
  start: Int32Array,
  perWorker: number,
  race?: readonly number[],
): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const w = spawnTsWorker(new URL('./alloc-worker.ts', import.meta.url), {
      workerData: {
        share,
        worker,
        workers: WORKERS,
        perWorker,
        sharedItems: SHARED_ITEMS,
        start,
        mode: race ? 'race' : 'own',
        raceItems: race,
      },
    });
    w.once('message', (m: WorkerReport) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${worker} exited with ${code}`));
    });
  });
}

describe('SMEM under concurrent allocation from 4 workers', () => {
  it('10,000 items each: no overlap, no torn entry, every shared item won once', async () => {
    const total = SHARED_ITEMS + WORKERS * PER_WORKER;
    const region = createSmemRegion(8 * 1024 * 1024);
    // The legacy TOC holds 512 items; 40k items need the global partition and its SIII item count.
    formatSmem(region, { version: 12, globalPartitionSize: 4 * 1024 * 1024, itemCount: 8 + total + 16 });
    const smem = new Smem({ region, hwlocks: new HwSpinlockBank() });
    smem.probe();
    const freeBefore = smem.getFreeSpace(QCOM_SMEM_HOST_ANY);
    const start = new Int32Array(new SharedArrayBuffer(4));

    const reports = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(smem.share(), w, start, PER_WORKER)));

    for (const r of reports) {
      expect(r.errors).toEqual([]);
      expect(r.torn).toEqual([]);
      expect(r.allocated).toBe(PER_WORKER);
      expect(r.peeks).toBeGreaterThan(0);
    }
    const winners = reports.flatMap((r) => r.sharedWon);
    expect(new Set(winners).size).toBe(winners.length);

    // Every allocated item: right size, inside the partition, disjoint from all others, and
    // still holding the bytes its owner wrote (nobody else wrote into it).
    const spans: Array<[number, number, number]> = [];
    let used = 0;
    const items = [...winners];
    for (let w = 0; w < WORKERS; w++) for (let i = 0; i < PER_WORKER; i++) items.push(ownItem(SHARED_ITEMS, WORKERS, w, i));
    for (const item of items) {
      const got = smem.get(QCOM_SMEM_HOST_ANY, item);
      expect(got.size).toBe(itemSize(item));
      spans.push([got.offset - 16, got.offset + Math.ceil(got.size / 8) * 8, item]);
      used += 16 + Math.ceil(got.size / 8) * 8;
    }
    spans.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < spans.length; k++) {
      const prev = spans[k - 1]!;
      const cur = spans[k]!;
      if (cur[0] < prev[1]) throw new Error(`items ${prev[2]} and ${cur[2]} overlap`);
    }
    for (let w = 0; w < WORKERS; w++) {
      for (let i = 0; i < PER_WORKER; i++) {
        const item = ownItem(SHARED_ITEMS, WORKERS, w, i);
        const bytes = smem.get(QCOM_SMEM_HOST_ANY, item).bytes;
        if (!bytes.every((b) => b === stamp(item))) throw new Error(`item ${item} was overwritten`);
      }
    }
    expect(smem.getFreeSpace(QCOM_SMEM_HOST_ANY)).toBe(freeBefore - used);
    for (let k = 0; k < SHARED_ITEMS; k++) {
      if (!winners.includes(sharedItem(k))) expect(() => smem.get(QCOM_SMEM_HOST_ANY, sharedItem(k))).toThrow(/ENOENT/);
    }
  });

  it('legacy heap: workers racing for the same 504 items each win distinct ones, laid out without gaps', async () => {
    const region = createSmemRegion(64 * 1024);
    formatSmem(region, { version: 11 });
    const smem = new Smem({ region, hwlocks: new HwSpinlockBank() });
    smem.probe();
    const dv = new DataView(region.buffer);
    const total = dv.getUint32(Header.freeOffset, true) + dv.getUint32(Header.available, true);
    const items = Array.from({ length: SMEM_ITEM_COUNT - 8 }, (_, k) => 8 + k);
    const start = new Int32Array(new SharedArrayBuffer(4));
    const reports = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(smem.share(), w, start, 0, items)));
    for (const r of reports) {
      expect(r.errors).toEqual([]);
      expect(r.torn).toEqual([]);
    }
    const won = reports.flatMap((r) => r.sharedWon).sort((a, b) => a - b);
    expect(won).toEqual(items);
    const spans = items.map((item) => smem.get(QCOM_SMEM_HOST_ANY, item)).sort((a, b) => a.offset - b.offset);
    let expectedOffset = Header.size;
    for (const s of spans) {
      expect(s.offset).toBe(expectedOffset);
      expect(s.bytes.every((b) => b === s.bytes[0])).toBe(true);
      expectedOffset += s.size;
    }
    expect(dv.getUint32(Header.freeOffset, true)).toBe(expectedOffset);
    expect(dv.getUint32(Header.freeOffset, true) + dv.getUint32(Header.available, true)).toBe(total);
  });

  it('an allocation waiting on the lock another processor holds wakes when it is released', async () => {
    const region = createSmemRegion(64 * 1024);
    formatSmem(region);
    const hwlocks = new HwSpinlockBank();
    const patient = new Smem({ region, hwlocks, lockTimeoutMs: 120_000 });
    const hasty = new Smem({ region, hwlocks, lockTimeoutMs: 30 });
    patient.probe();
    hasty.probe();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const holder = spawnTsWorker(new URL('./lock-holder.ts', import.meta.url), {
      workerData: { locks: hwlocks.share(), index: 3, owner: 2, flag, holdMs: 100 },
    });
    const released = new Promise((resolve) => holder.once('message', resolve));
    try {
      // Wait (blocking this thread, not the worker) until the modem holds the lock; the
      // bound only keeps a crashed worker from hanging the run.
      if (Atomics.wait(flag, 0, 0, 120_000) === 'timed-out') throw new Error('lock holder never started');
      // The holder keeps the lock until told to let go, so the short timeout always expires.
      expect(() => hasty.alloc(QCOM_SMEM_HOST_ANY, 9, 8)).toThrow(/ETIMEDOUT/);
      Atomics.store(flag, 0, 2);
      Atomics.notify(flag, 0);
      patient.alloc(QCOM_SMEM_HOST_ANY, 9, 8);
      // The allocation got the lock only once the modem had released it.
      expect(Atomics.load(flag, 0)).toBe(3);
      expect(patient.get(QCOM_SMEM_HOST_ANY, 9).size).toBe(8);
      await released;
    } finally {
      await holder.terminate();
    }
  });
});
