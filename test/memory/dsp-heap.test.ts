/**
 * The DSP heap on apps_mem: growth below the threshold, one growth at a time under its lock,
 * refused growths, and chunks given back. The last test runs it in a worker DSP against the
 * APPS memory system through the generated apps_mem skel.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';
import { createAppsMemSkel, appsMemDescriptor } from '../../runtime/interfaces/apps_mem.ts';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { DspHeap, type AppsMemCalls } from '../../runtime/memory/dsp-heap.ts';
import { createMemorySystem } from '../../runtime/memory/system.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { traceImpl, type TracedCall } from '../../runtime/transport/trace.ts';

const K = 1024;

/** apps_mem as the heap sees it, answering after a turn of the event loop; `refuse` fails maps. */
function fakeAppsMem(refuse = 0) {
  const calls: string[] = [];
  let next = 0x4000_0000n;
  const mem: AppsMemCalls = {
    async requestMap64(heapid, ionFlags, rflags, vin, len) {
      calls.push(`map ${heapid} ${ionFlags} 0x${rflags.toString(16)} ${vin} ${len}`);
      await new Promise((r) => setTimeout(r, 1));
      if (refuse !== 0) throw new AeeError(refuse);
      const vadsp = next;
      next += len;
      return { vapps: 0n, vadsp };
    },
    async requestUnmap64(vadsp, len) {
      calls.push(`unmap 0x${vadsp.toString(16)} ${len}`);
    },
  };
  return { mem, calls };
}

const options = { initial: { base: 0x1000_0000n, size: 512 * K }, lowThreshold: 256 * K, growBytes: 1024 * K };

describe('DSP heap', () => {
  it('asks APPS for ADD_PAGES memory once free space would fall below the threshold', async () => {
    const { mem, calls } = fakeAppsMem();
    const heap = new DspHeap(mem, options);
    expect(await heap.malloc(100 * K)).toBe(0x1000_0000n);
    expect(await heap.malloc(100 * K)).toBe(0x1000_0000n + BigInt(100 * K));
    expect(calls).toEqual([]);
    // 312 KiB free; this one would leave 212 KiB.
    await heap.malloc(100 * K);
    expect(calls).toEqual([`map -1 0 0x1000 0 ${1024 * K}`]);
    expect(heap.totalBytes).toBe(1536 * K);
  });

  it('allocations racing a growth wait for it: eight concurrent ones below the threshold cause one request', async () => {
    const { mem, calls } = fakeAppsMem();
    const heap = new DspHeap(mem, options);
    await heap.malloc(300 * K);
    const got = await Promise.all(Array.from({ length: 8 }, () => heap.malloc(16 * K)));
    expect(calls).toHaveLength(1);
    expect(new Set(got).size).toBe(8);
    expect(got.every((a) => a !== undefined)).toBe(true);
  });

  it('a refused growth is not fatal: what fits is still allocated, what does not is NULL', async () => {
    const { mem } = fakeAppsMem(Aee.ENORPCMEMORY);
    const heap = new DspHeap(mem, options);
    expect(await heap.malloc(400 * K)).toBe(0x1000_0000n);
    expect(heap.failedGrowths).toEqual([{ size: 1024 * K, code: Aee.ENORPCMEMORY }]);
    expect(await heap.malloc(200 * K)).toBeUndefined();
    expect(await heap.malloc(0)).toBeUndefined();
  });

  it('grows when the free bytes suffice but no free range holds the allocation (fragmentation)', async () => {
    const { mem, calls } = fakeAppsMem();
    const heap = new DspHeap(mem, options);
    // Leaves two free ranges of 286,304 bytes, one per region: 572,608 free, well above the threshold.
    for (const size of [16001, 113113, 395161, 108849, 367097]) expect(await heap.malloc(size)).toBeDefined();
    expect(calls).toHaveLength(1);
    expect(heap.freeBytes).toBe(572_608);
    expect(await heap.malloc(286_305)).toBe(0x4000_0000n + BigInt(1024 * K));
    expect(calls).toHaveLength(2);
  });

  it('free merges ranges; trim gives back the grown chunks nothing uses, and only those', async () => {
    const { mem, calls } = fakeAppsMem();
    const heap = new DspHeap(mem, options);
    const a = (await heap.malloc(300 * K))!;
    const b = (await heap.malloc(300 * K))!; // in the grown chunk
    expect(await heap.trim()).toBe(0);
    heap.free(b);
    expect(() => heap.free(b)).toThrow(RangeError);
    expect(await heap.trim()).toBe(1);
    expect(calls.at(-1)).toBe(`unmap 0x40000000 ${1024 * K}`);
    expect(heap.totalBytes).toBe(512 * K);
    heap.free(a);
    expect(heap.freeBytes).toBe(512 * K);
    expect(await heap.malloc(512 * K)).toBe(0x1000_0000n);
  });

  it('in a worker DSP, through the reverse path to the APPS apps_mem: concurrent tasks, one growth, all given back', async () => {
    const sys = createMemorySystem();
    const calls: TracedCall[] = [];
    const table = createReverseTable().register(
      'apps_mem',
      createAppsMemSkel(traceImpl(appsMemDescriptor, sys.appsMem, (c) => calls.push(c))),
    );
    const dsp = new DspWorker({ program: new URL('./dsp-heap-program.ts', import.meta.url), args: { tasks: 6, perTask: 4, size: 16 * K } });
    try {
      await serveReverse(dsp.transport, table);
      const outcome = await dsp.outcome;
      expect(outcome).toMatchObject({ ok: true, value: { growths: 1, trimmed: 1, total: 1536 * K, addresses: 24 } });
      expect(calls.map((c) => `${c.method}:${c.result}`)).toEqual(['requestMap64:0', 'requestUnmap64:0']);
      expect(calls[0]!.args).toContainEqual(['rflags', 0x1000]);
      expect(sys.appsMem.list()).toEqual([]);
    } finally {
      await dsp.close();
    }
  });
});

describe('DSP heap model', () => {
  type Op = { kind: 'malloc'; size: number } | { kind: 'free'; pick: number } | { kind: 'trim' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 400 * K }).map((size) => ({ kind: 'malloc' as const, size })) },
    { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: 'free' as const, pick })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'trim' as const }) },
  );

  it(
    'random malloc/free/trim: blocks never overlap and stay inside the heap, byte counts add up, trim returns only empty chunks',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.boolean(), async (ops, refuse) => {
          const { mem, calls } = fakeAppsMem(refuse ? Aee.ENORPCMEMORY : 0);
          const heap = new DspHeap(mem, options);
          const live: { addr: bigint; size: number }[] = [];
          for (const o of ops) {
            if (o.kind === 'malloc') {
              const a = await heap.malloc(o.size);
              // With APPS answering, a growth always covers the request: only a refused one leaves NULL.
              if (a === undefined) {
                expect(refuse).toBe(true);
                continue;
              }
              if (refuse) expect(heap.totalBytes).toBe(512 * K);
              const size = Math.ceil(o.size / 8) * 8;
              for (const b of live) expect(a + BigInt(size) <= b.addr || b.addr + BigInt(b.size) <= a).toBe(true);
              live.push({ addr: a, size });
            } else if (o.kind === 'free' && live.length > 0) {
              const [b] = live.splice(o.pick % live.length, 1);
              heap.free(b!.addr);
            } else if (o.kind === 'trim') {
              const total = heap.totalBytes;
              const released = await heap.trim();
              expect(total - heap.totalBytes).toBe(released * 1024 * K);
            }
            const used = live.reduce((n, b) => n + b.size, 0);
            expect(heap.freeBytes + used).toBe(heap.totalBytes);
          }
          // Every growth was an ADD_PAGES request; unmaps only for chunks given back.
          expect(calls.every((c) => c.startsWith('map -1 0 0x1000') || c.startsWith('unmap '))).toBe(true);
        }),
        { numRuns: Math.min(MODEL_RUNS, 150) },
      );
    },
    MODEL_TIMEOUT_MS,
  );
});
