import { describe, expect, it } from 'vitest';
import { Aee, AeeError, DSP_AEE_EOFFSET } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { SkelInvoke, Transport } from '../../runtime/rpc/transport.ts';
import { ReverseCallQueue, runListener } from '../../runtime/transport/listener.ts';
import type { ListenerCalls, Next2Result } from '../../runtime/transport/listener.ts';
import { packInStream } from '../../runtime/transport/listener-stream.ts';
import { ModTable } from '../../runtime/transport/mod-table.ts';
import { AEE_ECONNRESET } from '../../runtime/transport/status.ts';
import { ADSP_LISTENER_HANDLE, rawListenerCalls, rawListenerSkel } from './raw-listener.ts';
import { xorSkel } from './xor-skel.ts';

function direct(skel: SkelInvoke): Transport {
  return { invoke: (h, sc, args) => (h === ADSP_LISTENER_HANDLE ? skel(h, sc, args) : Aee.ENOSUCHMOD) };
}

async function setup() {
  const table = new ModTable().register('xor', xorSkel);
  const queue = new ReverseCallQueue();
  const done = runListener(rawListenerCalls(direct(rawListenerSkel(queue))), table);
  const opened = await table.openByName('xor');
  return { table, queue, done, handle: opened.handle };
}

describe('reverse listener over a direct transport', () => {
  it('serves calls of every size, growing and shrinking its areas, and stops on DSP EBADSTATE', async () => {
    const { queue, done, handle } = await setup();
    for (const size of [0, 1, 7, 100, 4096, 5000, 3, 70_000, 10, 9000]) {
      const input = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
      const out = new Uint8Array(size);
      const r = await queue.transport.invoke(handle, makeScalars(0, 1, 1), [input, out]);
      expect(r).toBe(0);
      expect(out.every((b, i) => b === (input[i]! ^ 0x5a))).toBe(true);
    }
    queue.close();
    const exit = await done;
    expect(exit.reason).toBe('stopped');
    expect(exit.code >>> 0).toBe((DSP_AEE_EOFFSET + Aee.EBADSTATE) >>> 0);
    expect(exit.calls).toBe(10);
  });

  it('returns the implementation error and leaves out buffers untouched', async () => {
    const { queue, done, handle } = await setup();
    const out = new Uint8Array(4).fill(0xcc);
    expect(await queue.transport.invoke(handle, makeScalars(1, 1, 1), [new Uint8Array(4), out])).toBe(Aee.EBADPARM);
    expect([...out]).toEqual([0xcc, 0xcc, 0xcc, 0xcc]);
    expect(await queue.transport.invoke(0x1234, makeScalars(0, 1, 1), [new Uint8Array(4), out])).toBe(Aee.ENOSUCHMOD);
    queue.close();
    await done;
  });

  it('serialises many concurrent DSP calls and answers each one correctly', async () => {
    const { queue, done, handle } = await setup();
    const calls = Array.from({ length: 200 }, (_, k) => {
      const input = Uint8Array.from({ length: (k * 37) % 300 }, (_, i) => (i + k) & 0xff);
      const out = new Uint8Array(input.length);
      return queue.transport.invoke(handle, makeScalars(0, 1, 1), [input, out]) as Promise<number>;
    });
    expect(await Promise.all(calls)).toEqual(calls.map(() => 0));
    queue.close();
    expect((await done).calls).toBe(200);
  });

  it('refuses handle slots and 64-bit handles that do not hold a 32-bit reverse handle', async () => {
    const q = new ReverseCallQueue();
    expect(q.invoke(5, makeScalars(0, 0, 0, 1, 0), [{ fd: 1, offset: 0 }])).toBe(Aee.EBADPARM);
    expect(q.invoke(0x1_0000_0000n, makeScalars(0, 0, 0), [])).toBe(Aee.EINVHANDLE);
    expect(q.invoke(-1n, makeScalars(0, 0, 0), [])).toBe(Aee.EINVHANDLE);
  });

  it("carries a remote_handle64 client's handle as the 32-bit reverse handle it holds", async () => {
    const { queue, done, handle } = await setup();
    const input = Uint8Array.of(1, 2, 3);
    const out = new Uint8Array(3);
    expect(await queue.transport.invoke(BigInt(handle), makeScalars(0, 1, 1), [input, out])).toBe(0);
    expect([...out]).toEqual([1 ^ 0x5a, 2 ^ 0x5a, 3 ^ 0x5a]);
    queue.close();
    expect((await done).calls).toBe(1);
  });

  it('completes unanswered calls with the close code', async () => {
    const q = new ReverseCallQueue();
    const p = q.invoke(9, makeScalars(0, 0, 0), []);
    q.close(AEE_ECONNRESET);
    expect(await p).toBe(AEE_ECONNRESET);
    expect(q.invoke(9, makeScalars(0, 0, 0), [])).toBe(AEE_ECONNRESET);
  });
});

/** Replays scripted next2 replies and records what the listener sent. */
class ScriptedCalls implements ListenerCalls {
  readonly sent: { prevCtx: number; prevResult: number; prevbufs: string; cap: number }[] = [];
  readonly fetches: { ctx: number; offset: number; cap: number }[] = [];
  constructor(private readonly script: { reply: Next2Result; stream: Uint8Array }[]) {}
  async init2(): Promise<void> {}
  async next2(prevCtx: number, prevResult: number, prevbufs: Uint8Array, bufs: Uint8Array): Promise<Next2Result> {
    this.sent.push({ prevCtx, prevResult, prevbufs: Buffer.from(prevbufs).toString('hex'), cap: bufs.length });
    const step = this.script.shift();
    if (!step) throw new AeeError(DSP_AEE_EOFFSET + Aee.EBADSTATE);
    this.current = step.stream;
    bufs.set(step.stream.subarray(0, bufs.length));
    return step.reply;
  }
  private current: Uint8Array = new Uint8Array(0);
  async getInBufs2(ctx: number, offset: number, bufs: Uint8Array): Promise<number> {
    this.fetches.push({ ctx, offset, cap: bufs.length });
    bufs.set(this.current.subarray(offset, offset + bufs.length));
    return this.current.length;
  }
}

describe('listener loop rules (F.2)', () => {
  const sc = makeScalars(0, 1, 1);
  const call = (ctx: number, inLen: number, outLen: number, handle: number) => {
    const stream = packInStream(sc, [new Uint8Array(inLen).fill(1), new Uint8Array(outLen)]);
    return { reply: { ctx, handle, sc, bufsLenReq: stream.length }, stream };
  };

  it('grows in 4 KiB units, fetches the rest at the old capacity, shrinks when 2x fits, sends no out data on error', async () => {
    const table = new ModTable().register('xor', xorSkel);
    const { handle } = await table.openByName('xor');
    const script = [call(1, 5000, 4, handle), call(2, 10, 4, handle), call(3, 10, 4, 0xdead), call(4, 20_000, 0, handle)];
    const calls = new ScriptedCalls(script);
    const exit = await runListener(calls, table);
    expect(exit.reason).toBe('stopped');
    // 1st next2: nothing before, capacity 0; the 5016-byte stream needs 8192 and get_in_bufs2(1, 0, 8192).
    expect(calls.sent[0]).toEqual({ prevCtx: 0, prevResult: -1, prevbufs: '', cap: 0 });
    expect(calls.fetches[0]).toEqual({ ctx: 1, offset: 0, cap: 8192 });
    // 2nd: result 0 with the 12-byte out stream, grown to 4096 on first use (quic sends the capacity).
    expect(calls.sent[1]!.prevCtx).toBe(1);
    expect(calls.sent[1]!.prevResult).toBe(0);
    expect(calls.sent[1]!.prevbufs.length).toBe(4096 * 2);
    expect(calls.sent[1]!.prevbufs.slice(0, 24)).toBe('04000000' + '00000000' + '5b5b5b5b');
    expect(calls.sent[1]!.cap).toBe(8192);
    // 3rd: the previous 22-byte request shrank the in area to roundup(2*26) = 4096; exact out stream now.
    expect(calls.sent[2]).toEqual({ prevCtx: 2, prevResult: 0, prevbufs: '04000000000000005b5b5b5b', cap: 4096 });
    // 4th: the unknown handle failed: ENOSUCHMOD and no out data.
    expect(calls.sent[3]).toEqual({ prevCtx: 3, prevResult: Aee.ENOSUCHMOD, prevbufs: '', cap: 4096 });
    // 20_012 bytes from a 4096 area: fetch the rest from offset 4096 into a 20480 area.
    expect(calls.fetches[1]).toEqual({ ctx: 4, offset: 4096, cap: 20480 - 4096 });
    expect(calls.sent[4]!.prevResult).toBe(0);
  });

  it('answers a malformed stream with EBADPARM, a negative or huge length with EBADSIZE, handles with EBADPARM', async () => {
    const table = new ModTable().register('xor', xorSkel);
    const { handle } = await table.openByName('xor');
    const bad = call(1, 16, 4, handle);
    new DataView(bad.stream.buffer).setUint32(0, 1000, true);
    const script = [
      bad,
      { reply: { ctx: 2, handle, sc, bufsLenReq: -8 }, stream: new Uint8Array(0) },
      { reply: { ctx: 3, handle, sc, bufsLenReq: 0x40000000 }, stream: new Uint8Array(0) },
      { reply: { ctx: 4, handle, sc: makeScalars(0, 0, 0, 1, 0), bufsLenReq: 0 }, stream: new Uint8Array(0) },
      { reply: { ctx: 5, handle, sc, bufsLenReq: 300 * 1024 * 1024 }, stream: new Uint8Array(0) },
    ];
    const calls = new ScriptedCalls(script);
    await runListener(calls, table, { maxArea: 1 << 20 });
    expect(calls.sent.slice(1).map((s) => s.prevResult)).toEqual([
      Aee.EBADPARM,
      Aee.EBADSIZE,
      Aee.EBADSIZE,
      Aee.EBADPARM,
      Aee.ENORPCMEMORY,
    ]);
  });

  it('retries once after a next2 error with that error as prevResult, then gives up', async () => {
    let n = 0;
    const seen: number[] = [];
    const calls: ListenerCalls = {
      init2: async () => {},
      next2: async (_c, prevResult) => {
        seen.push(prevResult);
        n++;
        throw new AeeError(n === 1 ? Aee.EINTERRUPTED : AEE_ECONNRESET);
      },
      getInBufs2: async () => 0,
    };
    const exit = await runListener(calls, new ModTable());
    expect(exit).toEqual({ reason: 'failed', code: AEE_ECONNRESET, calls: 0 });
    // EINTERRUPTED resets to ctx 0 / result -1; the other error is retried once with itself as result.
    expect(seen).toEqual([-1, -1, AEE_ECONNRESET]);
  });
});

describe('DSP-side reverse queue memory', () => {
  it('a completed call gives its stream buffer to the next call: same memory, exact bytes, zero padding', async () => {
    const queue = new ReverseCallQueue({ timeoutMs: Infinity });
    const big = new Uint8Array(64).fill(0xaa);
    const small = new Uint8Array([1, 2, 3]);
    const sc = makeScalars(0, 1, 0);
    const first = queue.invoke(9, sc, [big]);
    const v1 = await queue.next2View(0, 0, new Uint8Array(0), 4096);
    expect(v1.bufs).toEqual(packInStream(sc, [big]));
    // The next next2 completes the first call and waits; the second call then packs into the
    // first call's memory.
    const waiting = queue.next2View(v1.ctx, 0, new Uint8Array(0), 4096);
    expect(await first).toBe(0);
    const second = queue.invoke(9, sc, [small]);
    const v2 = await waiting;
    expect(v2.bufs.buffer).toBe(v1.bufs.buffer);
    expect(v2.bufs).toEqual(packInStream(sc, [small]));
    const last = Promise.resolve(queue.next2View(v2.ctx, 0, new Uint8Array(0), 4096)).catch(() => undefined);
    expect(await second).toBe(0);
    queue.close();
    await last;
  });
});
