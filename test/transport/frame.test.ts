import { describe, expect, it } from 'vitest';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import type { HandleSlot, RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { RemoteHandle, Transport } from '../../runtime/rpc/transport.ts';
import { readRequest, readResponse, requestLength, writeRequest, writeResponse } from '../../runtime/transport/frame.ts';
import { listenerCallsOver } from '../../runtime/transport/reverse-protocol.ts';
import { rawListenerCalls } from './raw-listener.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('invocation frames', () => {
  it('round-trips buffers and handle slots, out data only on success', () => {
    const sc = makeScalars(5, 2, 2, 1, 1);
    const inSlot: HandleSlot = { fd: 7, offset: 0x100, h64: 0x1122334455667788n };
    const outSlot: HandleSlot = { fd: -1, offset: 0 };
    const outA = new Uint8Array(3);
    const outB = new Uint8Array(0);
    const args: RemoteArg[] = [new Uint8Array([1, 2, 3, 4, 5]), new Uint8Array(0), outA, outB, inSlot, outSlot];
    const req = new Uint8Array(requestLength(sc, args));
    expect(writeRequest(req, 0x1234n, sc, args)).toBe(req.length);
    // Frames start 8-aligned: header 24, then the stream.
    expect(req.length % 8).toBe(0);

    const resp = new Uint8Array(256);
    const d = readRequest(req, resp);
    expect(d.handle).toBe(0x1234n);
    expect(d.sc).toBe(sc);
    expect(hex(d.args[0] as Uint8Array)).toBe('0102030405');
    expect((d.args[1] as Uint8Array).length).toBe(0);
    expect(d.args[4]).toEqual({ fd: 7, offset: 0x100, h64: 0x1122334455667788n });
    (d.args[2] as Uint8Array).set([9, 8, 7]);
    (d.args[5] as HandleSlot).fd = 42;
    (d.args[5] as HandleSlot).h64 = 99n;
    const len = writeResponse(resp, 0, d);
    expect(readResponse(resp.subarray(0, len), sc, args)).toBe(0);
    expect([...outA]).toEqual([9, 8, 7]);
    expect(outSlot).toMatchObject({ fd: 42, h64: 99n });

    const failed = writeResponse(resp, Aee.EBADITEM, d);
    outA.fill(0);
    expect(readResponse(resp.subarray(0, failed), sc, args)).toBe(Aee.EBADITEM);
    expect([...outA]).toEqual([0, 0, 0]);
  });

  it('keeps 32-bit handles as numbers and rejects frames that do not fit or are truncated', () => {
    const sc = makeScalars(0, 1, 1);
    const args: RemoteArg[] = [new Uint8Array(100), new Uint8Array(5000)];
    const req = new Uint8Array(requestLength(sc, args));
    writeRequest(req, 3, sc, args);
    expect(readRequest(req, new Uint8Array(8192)).handle).toBe(3);
    expect(() => readRequest(req, new Uint8Array(1024))).toThrow(AeeError);
    expect(() => readRequest(req.subarray(0, 20), new Uint8Array(8192))).toThrow(AeeError);
    expect(() => writeRequest(new Uint8Array(16), 3, sc, args)).toThrow(AeeError);
    expect(readResponse(new Uint8Array(4), sc, args)).toBe(Aee.EUNKNOWN);
  });
});

describe('generated adsp_listener stub', () => {
  it('puts the same bytes on the wire as the hand-marshalled layout of spec C.8', async () => {
    const seen: { h: RemoteHandle; sc: number; args: string[] }[] = [];
    const recorder: Transport = {
      invoke(h, sc, args) {
        seen.push({ h, sc, args: args.map((a) => (a instanceof Uint8Array ? `${a.length}:${hex(a)}` : JSON.stringify(a))) });
        return 0;
      },
    };
    const prev = new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    for (const calls of [listenerCallsOver(recorder), rawListenerCalls(recorder)]) {
      await calls.init2();
      await calls.next2(7, -1, prev, new Uint8Array(4096));
      await calls.getInBufs2(7, 4096, new Uint8Array(8192));
    }
    expect(seen.slice(0, 3)).toEqual(seen.slice(3));
    expect(seen.map((s) => [s.h, s.sc])).toEqual(
      [
        [3, 0x03000000],
        [3, 0x04020200],
        [3, 0x05010200],
      ].concat([
        [3, 0x03000000],
        [3, 0x04020200],
        [3, 0x05010200],
      ]),
    );
    // next2 primIn: prevCtx 7, prevResult -1, prevbufsLen 12, bufsCap 4096.
    expect(seen[1]!.args[0]).toBe('16:07000000ffffffff0c00000000100000');
  });
});
