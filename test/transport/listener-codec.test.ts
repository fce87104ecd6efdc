/**
 * The straight-line next2 / get_in_bufs2 codecs against the generated adsp_listener stub and
 * skel: the same remote_args on the wire, the same results, the same refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import type { RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { RemoteHandle, Transport } from '../../runtime/rpc/transport.ts';
import { ReverseCallQueue } from '../../runtime/transport/listener.ts';
import type { ListenerCalls } from '../../runtime/transport/listener.ts';
import {
  GET_IN_BUFS2_SCALARS,
  NEXT2_SCALARS,
  createFastListenerSkel,
  fastListenerCalls,
  readNext2Reply,
  serveNext2Frame,
  writeNext2Frame,
} from '../../runtime/transport/listener-codec.ts';
import { ADSP_LISTENER_HANDLE, createListenerSkel, listenerCallsOver } from '../../runtime/transport/reverse-protocol.ts';
import { readRequest, readResponse, writeRequest, writeResponse } from '../../runtime/transport/frame.ts';

const hex = (b: RemoteArg): string => (b instanceof Uint8Array ? Buffer.from(b).toString('hex') : JSON.stringify(b));

interface Sent {
  readonly sc: number;
  readonly args: string[];
}

/** A transport that records each request and answers with `status`, primROut `pr` and in-stream bytes `fill`. */
function answering(status: number, pr: Uint8Array, fill: number): { transport: Transport; sent: Sent[] } {
  const sent: Sent[] = [];
  const transport: Transport = {
    invoke(_h: RemoteHandle, sc: number, args: RemoteArg[]) {
      sent.push({ sc, args: args.map(hex) });
      if (status !== 0) return status;
      const nIn = (sc >>> 16) & 0xff;
      (args[nIn] as Uint8Array).set(pr.subarray(0, (args[nIn] as Uint8Array).length));
      (args[nIn + 1] as Uint8Array).fill(fill);
      return 0;
    },
  };
  return { transport, sent };
}

async function outcome<T>(f: () => T | Promise<T>): Promise<{ ok: T } | { code: number }> {
  try {
    return { ok: await f() };
  } catch (e) {
    if (e instanceof AeeError) return { code: e.code };
    throw e;
  }
}

describe('APPS side: fastListenerCalls', () => {
  it('sends what the generated stub sends and returns what it returns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 0, max: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.constantFrom(0, 0x4e, -1),
        async (prevCtx, prevResult, prevbufs, cap, pr, status) => {
          const calls = (make: (t: Transport) => ListenerCalls) => {
            const { transport, sent } = answering(status, pr, 0x77);
            return { calls: make(transport), sent };
          };
          const fast = calls(fastListenerCalls);
          const generic = calls(listenerCallsOver);
          const bufsA = new Uint8Array(cap);
          const bufsB = new Uint8Array(cap);
          // The generated stub's result also carries the rout buffer (`bufs`, which is the caller's); the listener reads the rest.
          const fields = async (f: () => ReturnType<ListenerCalls['next2']>) => {
            const o = await outcome(f);
            if (!('ok' in o)) return o;
            const { ctx, handle, sc, bufsLenReq } = o.ok;
            return { ok: { ctx, handle, sc, bufsLenReq } };
          };
          const a = await fields(() => fast.calls.next2(prevCtx, prevResult, prevbufs, bufsA));
          const b = await fields(() => generic.calls.next2(prevCtx, prevResult, prevbufs, bufsB));
          expect(a).toEqual(b);
          expect(fast.sent).toEqual(generic.sent);
          expect(fast.sent[0]!.sc).toBe(NEXT2_SCALARS);
          expect(bufsA).toEqual(bufsB);
          const c = await outcome(() => fast.calls.getInBufs2(prevCtx, prevResult, bufsA));
          const d = await outcome(() => generic.calls.getInBufs2(prevCtx, prevResult, bufsB));
          expect(c).toEqual(d);
          expect(fast.sent).toEqual(generic.sent);
          expect(fast.sent[1]!.sc).toBe(GET_IN_BUFS2_SCALARS);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Two queues in the same state, each with one queued reverse call carrying `payload`. */
function twinQueues(payload: Uint8Array): { queues: ReverseCallQueue[]; done: Promise<number>[]; outs: Uint8Array[] } {
  const queues = [new ReverseCallQueue(), new ReverseCallQueue()];
  const outs = [new Uint8Array(8), new Uint8Array(8)];
  const done = queues.map((q, i) => Promise.resolve(q.invoke(7, makeScalars(2, 1, 1), [payload, outs[i]!])));
  return { queues, done, outs };
}

/** Ends both queues: the reverse call each held completes with the same status and out bytes. */
async function expectSameEnd(twin: ReturnType<typeof twinQueues>): Promise<void> {
  for (const q of twin.queues) q.close();
  expect(await twin.done[0]).toBe(await twin.done[1]);
  expect(twin.outs[0]).toEqual(twin.outs[1]);
}

/** A next2 / get_in_bufs2 request: primIn, in buffer, primROut, out buffer (mostly well formed, sometimes not). */
const request = fc
  .record({
    sc: fc.constantFrom(NEXT2_SCALARS, NEXT2_SCALARS, GET_IN_BUFS2_SCALARS, makeScalars(4, 2, 1), makeScalars(3, 0, 0)),
    ctx: fc.constantFrom(0, 1, 2, 0xffffffff),
    result: fc.constantFrom(0, 0, -1, 0x4e),
    prev: fc.uint8Array({ maxLength: 24 }),
    prevLenExtra: fc.constantFrom(0, 0, 0, 1, 1000),
    outLen: fc.integer({ min: 0, max: 80 }),
    capExtra: fc.constantFrom(0, 0, 0, 1, 9),
    capLess: fc.integer({ min: 0, max: 80 }),
    piLen: fc.constantFrom(16, 16, 16, 12, 15, 20),
    prLen: fc.constantFrom(16, 16, 16, 4, 15, 20),
  })
  .map((r) => {
    const pi = new Uint8Array(r.piLen);
    const put = (o: number, v: number): void => {
      if (o + 4 <= pi.length) new DataView(pi.buffer).setUint32(o, v >>> 0, true);
    };
    const cap = Math.max(0, r.outLen - r.capLess) + r.capExtra;
    put(0, r.ctx);
    if (r.sc === GET_IN_BUFS2_SCALARS) {
      put(4, r.result & 0x3f);
      put(8, cap);
    } else {
      put(4, r.result);
      put(8, r.prev.length + r.prevLenExtra);
      put(12, cap);
    }
    return { sc: r.sc, pi, prev: r.prev, prLen: r.prLen, outLen: r.outLen };
  });

describe('DSP side: createFastListenerSkel', () => {
  it('answers every request as the generated skel does, from the same queue state', async () => {
    let served = 0;
    await fc.assert(
      fc.asyncProperty(request, fc.uint8Array({ maxLength: 40 }), fc.boolean(), async (r, payload, started) => {
        const { queues, done, outs } = twinQueues(payload);
        const skels = [createFastListenerSkel(queues[0]!), createListenerSkel(queues[1]!)];
        // Optionally take the queued call first, so the request completes it (prevCtx 1).
        if (started) for (const q of queues) await q.next2View(0, 0, new Uint8Array(0), 0);
        const views = skels.map(() => {
          const args: RemoteArg[] = [r.pi.slice()];
          if (r.sc === NEXT2_SCALARS || r.sc === makeScalars(4, 2, 1)) args.push(r.prev.slice());
          args.push(new Uint8Array(r.prLen), new Uint8Array(r.outLen));
          return args;
        });
        const results = await Promise.all(
          skels.map(async (skel, i) => {
            const res = skel(3, r.sc, views[i]!);
            // A next2 that waits for a call that never comes: close the queue to end it.
            const settled = await Promise.race([Promise.resolve(res), new Promise((ok) => setTimeout(() => ok('waiting'), 5))]);
            if (settled === 'waiting') {
              queues[i]!.close();
              return `waiting then ${String(await res)}`;
            }
            return settled;
          }),
        );
        expect(results[0]).toEqual(results[1]);
        if (results[0] === 0) served++;
        expect(views[0]!.map(hex)).toEqual(views[1]!.map(hex));
        await expectSameEnd({ queues, done, outs });
      }),
      { numRuns: 300 },
    );
    // Most requests are well formed: the fast path answered them, not only the fallback.
    expect(served).toBeGreaterThan(50);
  });
});

describe('next2 as whole channel frames', () => {
  it('writeNext2Frame writes the frame writeRequest makes of the generated stub arguments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 0, max: 5000 }),
        (prevCtx, prevResult, prevbufs, cap) => {
          const { transport, sent } = answering(0, new Uint8Array(16), 0);
          const args: RemoteArg[][] = [];
          const capture: Transport = {
            invoke: (h, sc, a) => {
              args.push(a.map((x) => (x instanceof Uint8Array ? x.slice() : x)));
              return transport.invoke(h, sc, a);
            },
          };
          void fastListenerCalls({ invoke: capture.invoke }).next2(prevCtx, prevResult, prevbufs, new Uint8Array(cap));
          expect(sent[0]!.sc).toBe(NEXT2_SCALARS);
          const generic = new Uint8Array(8192);
          const len = writeRequest(generic, ADSP_LISTENER_HANDLE, NEXT2_SCALARS, args[0]!);
          const fast = new Uint8Array(8192);
          expect(writeNext2Frame(fast, prevCtx, prevResult, prevbufs, cap)).toBe(len);
          expect(hex(fast.subarray(0, len))).toBe(hex(generic.subarray(0, len)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('serveNext2Frame replies as readRequest + the generated skel + writeResponse do, and readNext2Reply reads it as readResponse', async () => {
    let served = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1, 7),
        fc.constantFrom(0, -1, 0x4e),
        fc.uint8Array({ maxLength: 24 }),
        fc.integer({ min: 0, max: 300 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        async (prevCtx, prevResult, prevbufs, cap, payload, started) => {
          const { queues, done, outs } = twinQueues(payload);
          if (started) for (const q of queues) await q.next2View(0, 0, new Uint8Array(0), 0);
          const request = new Uint8Array(4096);
          const len = writeNext2Frame(request, prevCtx, prevResult, prevbufs, cap);
          const frame = request.subarray(0, len);
          const replies = [new Uint8Array(4096), new Uint8Array(4096)];
          const skel = createListenerSkel(queues[1]!);
          const req = readRequest(frame, replies[1]!);
          const pending = [
            Promise.resolve(serveNext2Frame(queues[0]!, frame, replies[0]!)),
            Promise.resolve(skel(3, req.sc, req.args)).then((r) => writeResponse(replies[1]!, r, req)),
          ];
          // A next2 that waits for a call that never comes ends when the queue closes.
          const quick = await Promise.race([Promise.all(pending), new Promise((ok) => setTimeout(() => ok(undefined), 5))]);
          if (quick === undefined) for (const q of queues) q.close();
          const [fastLen, genericLen] = (await Promise.all(pending)) as [number, number];
          expect(fastLen).toBe(genericLen);
          expect(hex(replies[0]!.subarray(0, genericLen))).toBe(hex(replies[1]!.subarray(0, genericLen)));
          // The listener's view of the reply: the same rout values and in stream.
          const bufsA = new Uint8Array(cap);
          const result = { ctx: 0, handle: 0, sc: 0, bufsLenReq: 0 };
          const statusA = readNext2Reply(replies[0]!.subarray(0, genericLen), bufsA, result);
          const routs = [new Uint8Array(16), new Uint8Array(cap)];
          const statusB = readResponse(replies[1]!.subarray(0, genericLen), NEXT2_SCALARS, [new Uint8Array(16), prevbufs, ...routs]);
          expect(statusA).toBe(statusB);
          if (statusA === 0) {
            served++;
            const d = new DataView(routs[0]!.buffer);
            expect(result).toEqual({
              ctx: d.getUint32(0, true),
              handle: d.getUint32(4, true),
              sc: d.getUint32(8, true),
              bufsLenReq: d.getInt32(12, true),
            });
            const used = Math.min(cap, result.bufsLenReq);
            expect(hex(bufsA.subarray(0, used))).toBe(hex(routs[1]!.subarray(0, used)));
          }
          await expectSameEnd({ queues, done, outs });
        },
      ),
      { numRuns: 200 },
    );
    expect(served).toBeGreaterThan(50);
  });

  it('a frame that is not a plain next2 is left to the general path', () => {
    const queue = new ReverseCallQueue();
    const request = new Uint8Array(256);
    const len = writeNext2Frame(request, 0, 0, new Uint8Array(0), 16);
    const other = request.slice(0, len);
    other[4] = 0x01; // another scalars word
    expect(serveNext2Frame(queue, other, new Uint8Array(256))).toBeUndefined();
    const short = request.slice(0, 40);
    expect(serveNext2Frame(queue, short, new Uint8Array(256))).toBeUndefined();
    const h64 = request.slice(0, len);
    h64[0] = 1; // a 64-bit handle
    expect(serveNext2Frame(queue, h64, new Uint8Array(256))).toBeUndefined();
    queue.close();
  });
});
