import { describe, expect, it } from 'vitest';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createChannelBuffer } from '../../runtime/transport/shared-channel.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { createReverseTable, runInProcess, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { AEE_ECONNRESET } from '../../runtime/transport/status.ts';
import xorProgram from './fixtures/xor-program.ts';
import { xorSkel } from './xor-skel.ts';

const program = new URL('./fixtures/xor-program.ts', import.meta.url);

describe('reverse path through the generated adsp_listener / apps_remotectl', () => {
  it('in process: opens by name, serves calls, closes', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const { value, exit } = await runInProcess(xorProgram, table, { args: { count: 50 } });
    expect(value).toMatchObject({ ok: 50, bad: 0 });
    expect((value as { dlerror: string }).dlerror).toContain('libxor_skel_system.so');
    expect(exit.reason).toBe('stopped');
    // open + 50 calls + close
    expect(exit.calls).toBe(52);
    expect(table.openModules()).toEqual([]);
  });

  it('in process: an unknown module name fails the DSP program with AEE_EINVHANDLE and the loader text', async () => {
    const table = createReverseTable();
    await expect(runInProcess(xorProgram, table, { args: { count: 1 } })).rejects.toMatchObject({
      code: Aee.EINVHANDLE,
      message: expect.stringContaining('libxor_skel_system.so'),
    });
  });
});

describe('worker-thread DSP over the SharedArrayBuffer channel', () => {
  it('serves a DSP program in a worker and shuts down cleanly', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const dsp = new DspWorker({ program, args: { count: 300 } });
    const exit = await serveReverse(dsp.transport, table);
    expect(exit.reason).toBe('stopped');
    expect(exit.calls).toBe(302);
    expect(await dsp.outcome).toMatchObject({ ok: true, value: { ok: 300, bad: 0 } });
    expect(await dsp.close()).toBe(0);
  });

  it('killing the worker in the middle of a reverse call ends the listener with AEE_ECONNRESET, no hang', async () => {
    const table = createReverseTable();
    const dsp = new DspWorker({ program, args: { count: 1000 } });
    let served = 0;
    table.register('xor', (h, sc, args) => {
      served++;
      // The DSP is blocked waiting for this reply when it dies.
      if (served === 20) void dsp.kill();
      return xorSkel(h, sc, args);
    });
    const exit = await serveReverse(dsp.transport, table);
    expect(exit).toMatchObject({ reason: 'failed', code: AEE_ECONNRESET });
    expect(await dsp.outcome).toMatchObject({ ok: false });
    expect(dsp.transport.failure).toBe(AEE_ECONNRESET);
    expect(dsp.transport.failureReason).toMatch(/DSP worker exited/);
    // Later calls fail at once.
    expect(await dsp.transport.invoke(3, 0x03000000, [])).toBe(AEE_ECONNRESET);
  });

  it('killing the worker while next2 waits inside the DSP wakes the APPS side', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const dsp = new DspWorker({ program, args: { count: 1, sleepMs: 60_000 } });
    let next2Sent = 0;
    const listening = serveReverse(
      { invoke: (h, sc, args) => (sc === 0x04020200 && next2Sent++, dsp.transport.invoke(h, sc, args)) },
      table,
    );
    await dsp.ready;
    while (next2Sent === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    await dsp.kill();
    const exit = await listening;
    expect(exit).toMatchObject({ reason: 'failed', code: AEE_ECONNRESET, calls: 0 });
  });

  it('a call too large for the channel fails alone (AEE_ENORPCMEMORY); the listener keeps serving', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const dsp = new DspWorker({
      program: new URL('./fixtures/oversized-program.ts', import.meta.url),
      args: { bytes: 3 << 20 },
      areaBytes: 1 << 20,
    });
    const exit = await serveReverse(dsp.transport, table);
    expect(exit.reason).toBe('stopped');
    expect(await dsp.outcome).toEqual({ ok: true, value: { big: Aee.ENORPCMEMORY, small: 0 } });
    await dsp.close();
  });

  it('times out a DSP that makes no call within the idle timeout', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const dsp = new DspWorker({ program, args: { count: 1, sleepMs: 60_000 }, idleTimeoutMs: 1000 });
    const exit = await serveReverse(dsp.transport, table);
    expect(exit).toMatchObject({ reason: 'failed', code: Aee.EEXPIRED });
    expect(dsp.transport.failureReason).toMatch(/no answer within 1000 ms/);
    await dsp.kill();
  });
});

describe('a channel with several slots', () => {
  /** An APPS module that answers after a turn of the event loop, counting the calls it holds at once. */
  function slowModule() {
    const state = { inFlight: 0, maxInFlight: 0, served: 0 };
    const skel: SkelInvoke = async (_h, _sc, args) => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise((r) => setTimeout(r, 2));
      (args[1] as Uint8Array).set(args[0] as Uint8Array);
      state.inFlight--;
      state.served++;
      return 0;
    };
    return { skel, state };
  }
  const concurrent = new URL('./fixtures/concurrent-program.ts', import.meta.url);

  it('two APPS listener loops on a two-slot channel serve concurrent DSP calls at the same time, each reply to its caller', async () => {
    const { skel, state } = slowModule();
    const table = createReverseTable().register('slow', skel);
    const dsp = new DspWorker({ program: concurrent, args: { tasks: 4, calls: 25 }, slots: 2 });
    expect(dsp.channel.slotCount).toBe(2);
    const exits = await Promise.all([serveReverse(dsp.transport, table), serveReverse(dsp.transport, table)]);
    expect(await dsp.outcome).toEqual({ ok: true, value: 100 });
    expect(exits.map((e) => e.reason)).toEqual(['stopped', 'stopped']);
    // Both listeners served calls, and APPS held two calls at once.
    expect(exits.every((e) => e.calls > 0)).toBe(true);
    expect(exits[0]!.calls + exits[1]!.calls).toBe(102);
    expect(state.maxInFlight).toBe(2);
    await dsp.close();
  });

  it('with one slot the same program is served one call at a time', async () => {
    const { skel, state } = slowModule();
    const table = createReverseTable().register('slow', skel);
    const dsp = new DspWorker({ program: concurrent, args: { tasks: 4, calls: 5 } });
    const exit = await serveReverse(dsp.transport, table);
    expect(await dsp.outcome).toEqual({ ok: true, value: 20 });
    expect(exit.calls).toBe(22);
    expect(state.maxInFlight).toBe(1);
    await dsp.close();
  });

  it('createChannelBuffer refuses a slot count outside 1..64', () => {
    expect(() => createChannelBuffer(4096, 0)).toThrow(RangeError);
    expect(() => createChannelBuffer(4096, 65)).toThrow(RangeError);
  });
});
