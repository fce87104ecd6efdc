import { describe, expect, it } from 'vitest';
import { appsMemDescriptor, createAppsMemSkel, type AppsMem as AppsMemImpl } from '../../generated/apps_mem.ts';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import { createMemorySystem } from '../../runtime/memory/system.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, runInProcess, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { AEE_ECONNRESET } from '../../runtime/transport/status.ts';
import { traceImpl } from '../../runtime/transport/trace.ts';
import type { TracedCall } from '../../runtime/transport/trace.ts';
import growHeap from '../../demo/dsp/grow-heap.ts';
import mapHlosFd from '../../demo/dsp/map-hlos-fd.ts';
import misbehave from '../../demo/dsp/misbehave.ts';
import type { Attempt } from '../../demo/dsp/misbehave.ts';
import type { StressResult } from '../../demo/dsp/stress.ts';
import type { TourResult } from '../../demo/dsp/tour.ts';

const dspProgram = (name: string) => new URL(`../../demo/dsp/${name}.ts`, import.meta.url);

function appsSide() {
  const sys = createMemorySystem();
  const calls: TracedCall[] = [];
  const table = createReverseTable().register(
    'apps_mem',
    createAppsMemSkel(traceImpl(appsMemDescriptor, sys.appsMem, (c) => calls.push(c))),
  );
  return { sys, table, calls };
}

const expectedAttempts: [string, number][] = [
  ['unmap an unknown vadsp', Aee.ENOSUCHMAP],
  ['map a negative length', Aee.EBADPARM],
  ['share_map fd 0', Aee.EBADPARM],
  ['share_map an fd APPS never opened', Aee.ERPC],
  ['dma_handle_map with size 0', Aee.EBADPARM],
  ['unmap with the wrong size', Aee.ERPC],
  ['unmap with the right size (record kept after the failure)', 0],
  ['unmap the same vadsp twice', Aee.ENOSUCHMAP],
  ['32-bit unmap of an unknown vadsp', Aee.ENOSUCHMAP],
];

describe('DSP programs calling apps_mem through the generated stub (in process)', () => {
  it('grows the heap with ADD_PAGES and releases it', async () => {
    const { sys, table, calls } = appsSide();
    const { value } = await runInProcess(growHeap, table);
    expect((value as { added: string[] }).added).toHaveLength(3);
    expect(calls.map((c) => `${c.method}:${c.result}`)).toEqual([
      'requestMap64:0',
      'requestMap64:0',
      'requestMap64:0',
      'requestUnmap64:0',
      'requestUnmap64:0',
      'requestUnmap64:0',
    ]);
    expect(calls[0]!.args).toEqual([
      ['heapid', -1],
      ['ionFlags', 0],
      ['rflags', 0x1000],
      ['vin', 0n],
      ['len', 0x100000n],
    ]);
    expect(sys.appsMem.list()).toEqual([]);
  });

  it('maps an HLOS fd (vadsp = fd), shares it, unmaps both', async () => {
    const { sys, table, calls } = appsSide();
    const { value } = await runInProcess(mapHlosFd, table);
    const fd = (value as { fd: number }).fd;
    expect(fd).toBeGreaterThan(0);
    expect(calls.map((c) => c.method)).toEqual(['requestMap64', 'shareMap', 'shareUnmap', 'requestUnmap64']);
    expect(calls[1]!.args[0]).toEqual(['fd', fd]);
    expect(sys.appsMem.list()).toEqual([]);
  });

  it('misbehaves and gets the AEE code of each error path', async () => {
    const { sys, table } = appsSide();
    const { value } = await runInProcess(misbehave, table);
    expect((value as Attempt[]).map((a) => [a.what, a.code])).toEqual(expectedAttempts);
    expect((value as Attempt[]).every((a) => a.code === a.expected)).toBe(true);
    expect(sys.appsMem.list()).toEqual([]);
  });
});

describe('worker-thread DSP calling apps_mem', () => {
  it('serves >= 10,000 mixed apps_mem calls with correct results', async () => {
    const { sys, table } = appsSide();
    const dsp = new DspWorker({ program: dspProgram('stress'), args: { calls: 10_000, seed: 7 } });
    const exit = await serveReverse(dsp.transport, table);
    const outcome = await dsp.outcome;
    await dsp.close();
    expect(outcome.ok).toBe(true);
    const r = (outcome as { value: StressResult }).value;
    expect(r.mismatches).toEqual([]);
    expect(r.calls).toBeGreaterThanOrEqual(10_000);
    expect(r.succeeded + r.failedAsExpected).toBe(r.calls);
    expect(r.failedAsExpected).toBeGreaterThan(1000);
    expect(exit).toMatchObject({ reason: 'stopped', calls: r.calls + 2 });
    expect(sys.appsMem.list()).toEqual([]);
  }, 120_000);

  it('runs the demo tour: heap pages stay mapped, error paths answer their codes', async () => {
    const { sys, table } = appsSide();
    const dsp = new DspWorker({ program: dspProgram('tour') });
    await serveReverse(dsp.transport, table);
    const outcome = await dsp.outcome;
    await dsp.close();
    const r = (outcome as { ok: true; value: TourResult }).value;
    expect(r.attempts.map((a) => [a.what, a.code])).toEqual(expectedAttempts);
    expect(sys.appsMem.list().map((m) => `0x${m.vadsp.toString(16)}`)).toEqual(r.heap);
  });

  it('killing the worker during an apps_mem call gives AEE_ECONNRESET on APPS, no hang', async () => {
    const { table } = appsSide();
    const dsp = new DspWorker({ program: dspProgram('stress'), args: { calls: 100_000 } });
    let n = 0;
    const sys = createMemorySystem();
    const impl = traceImpl(appsMemDescriptor, sys.appsMem, () => {
      if (++n === 50) void dsp.kill();
    });
    table.register('apps_mem', createAppsMemSkel(impl));
    const exit = await serveReverse(dsp.transport, table);
    expect(exit).toMatchObject({ reason: 'failed', code: AEE_ECONNRESET });
    expect(exit.calls).toBeGreaterThanOrEqual(50);
    expect(await dsp.outcome).toMatchObject({ ok: false });
  });
});

describe('apps_mem under concurrent DSP threads and two APPS listener threads', () => {
  it('serves calls from four DSP tasks on two listeners at once; each call runs whole, as under the apps_mem mutex', async () => {
    const sys = createMemorySystem();
    let inFlight = 0;
    let maxInFlight = 0;
    let liveRecords = 0;
    let maxRecords = 0;
    const impl = sys.appsMem;
    /** Each call waits a turn of the event loop on APPS first (as a listener thread would block in the kernel). */
    const arrive = async (): Promise<void> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    };
    // Two calls are then in progress at once; the table itself changes in one step.
    const slow: AppsMemImpl = {
      requestMap: (...a) => impl.requestMap(...a),
      requestUnmap: (...a) => impl.requestUnmap(...a),
      requestMap64: async (...a) => {
        await arrive();
        const r = impl.requestMap64(...a);
        maxRecords = Math.max(maxRecords, ++liveRecords);
        expect(impl.list()).toHaveLength(liveRecords);
        return r;
      },
      requestUnmap64: async (...a) => {
        await arrive();
        impl.requestUnmap64(...a);
        liveRecords--;
        expect(impl.list()).toHaveLength(liveRecords);
      },
      shareMap: (...a) => impl.shareMap(...a),
      shareUnmap: (...a) => impl.shareUnmap(...a),
      dmaHandleMap: (...a) => impl.dmaHandleMap(...a),
      dmaHandleUnmap: (...a) => impl.dmaHandleUnmap(...a),
    };
    const table = createReverseTable().register('apps_mem', createAppsMemSkel(slow));
    const dsp = new DspWorker({
      program: new URL('./concurrent-apps-mem-program.ts', import.meta.url),
      args: { tasks: 4, rounds: 10 },
      slots: 2,
    });
    try {
      const exits = await Promise.all([serveReverse(dsp.transport, table), serveReverse(dsp.transport, table)]);
      const outcome = await dsp.outcome;
      expect(outcome.ok).toBe(true);
      const given = (outcome as { value: string[][] }).value;
      expect(given.flat()).toHaveLength(40);
      expect(exits.every((e) => e.reason === 'stopped' && e.calls > 0)).toBe(true);
      expect(maxInFlight).toBe(2);
      expect(maxRecords).toBeGreaterThanOrEqual(2);
      expect(sys.appsMem.list()).toEqual([]);
    } finally {
      await dsp.close();
    }
  });
});
