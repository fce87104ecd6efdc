import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import type { RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { readRequest, readResponse, writeRequest, writeResponse } from '../../runtime/transport/frame.ts';
import { SharedMappings, SharedRpcMem } from '../../runtime/transport/shared-rpcmem.ts';
import { HEAD, SERVED_HANDLE } from './fixtures/serve-program.ts';
import { SEQS_HANDLE } from './fixtures/seqs-program.ts';
import { SeqsClient, seqsDescriptor } from '../conformance/generated/qaic/seqs.ts';
import { invokePlan } from '../../runtime/rpc/invoke.ts';
import { planFor } from '../../runtime/wire/plan.ts';

/** The byte length of the memory the DSP saw the in buffer in, and its byte sum. */
const seen = (out: Uint8Array): { memory: number; sum: number } => ({
  memory: new DataView(out.buffer, out.byteOffset).getUint32(0, true),
  sum: out[4]!,
});

const program = new URL('./fixtures/serve-program.ts', import.meta.url);
const SC = makeScalars(0, 1, 1);
const hexOf = (a: RemoteArg): string => Buffer.from(a as Uint8Array).toString('hex');
const MiB = 1024 * 1024;

function fillPattern(b: Uint8Array): void {
  for (let i = 0; i < b.length; i++) b[i] = (i * 7 + 3) & 0xff;
}

describe('shared rpcmem over the worker channel', () => {
  let dsp: DspWorker | undefined;
  afterEach(async () => {
    await dsp?.close();
    dsp = undefined;
  });

  async function started(areaBytes = 64 * 1024): Promise<DspWorker> {
    dsp = new DspWorker({ program, areaBytes });
    expect(await dsp.outcome).toMatchObject({ ok: true, value: 'serving' });
    return dsp;
  }

  it('an rpcmem buffer reaches the DSP skel as a view of the same memory, larger than the channel area', async () => {
    const d = await started();
    const input = d.rpcmem.alloc(4 * MiB);
    fillPattern(input);
    const out = d.rpcmem.alloc(64);
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [input, out])).toBe(0);
    let sum = 0;
    for (const b of input) sum += b;
    expect(seen(out)).toEqual({ memory: 4 * MiB, sum: sum & 0xff });
    for (let i = HEAD; i < 64; i++) expect(out[i]).toBe(input[i - HEAD]! ^ 0x5a);
    // Both sides work on the same memory: change it and call again.
    input[0] = 0xff;
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [input, out])).toBe(0);
    expect(out[HEAD]).toBe(0xff ^ 0x5a);
  });

  it('a part of an rpcmem buffer travels as fd, offset and length', async () => {
    const d = await started();
    const mem = d.rpcmem.alloc(8192);
    fillPattern(mem);
    const input = mem.subarray(1000, 1100);
    const out = mem.subarray(5000, 5010);
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [input, out])).toBe(0);
    expect(seen(out).memory).toBe(8192);
    expect(out[HEAD]).toBe(mem[1000]! ^ 0x5a);
    expect(mem[5010]).toBe((5010 * 7 + 3) & 0xff);
  });

  it('ordinary buffers are still copied, and mixing both in one call works', async () => {
    const d = await started();
    const input = new Uint8Array(100);
    fillPattern(input);
    const out = d.rpcmem.alloc(16);
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [input, out])).toBe(0);
    // Copied: the DSP saw it inside the channel's memory.
    expect(seen(out).memory).toBe(d.channel.buffer.byteLength);
    expect(out[HEAD]).toBe(input[0]! ^ 0x5a);
    const shared = d.rpcmem.alloc(100);
    const plainOut = new Uint8Array(16);
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [shared, plainOut])).toBe(0);
    expect(seen(plainOut).memory).toBe(100);
  });

  it('a freed buffer no longer travels by reference: too big for the channel area, it is refused with AEE_EBADSIZE', async () => {
    const d = await started();
    const big = d.rpcmem.alloc(MiB);
    const out = new Uint8Array(8);
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [big, out])).toBe(0);
    d.rpcmem.free(big);
    expect(d.rpcmem.toFd(big)).toBe(-1);
    expect(d.rpcmem.allocatedBytes).toBe(0);
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [big, out])).toBe(Aee.EBADSIZE);
    // The channel still works.
    expect(await d.transport.invoke(SERVED_HANDLE, SC, [new Uint8Array(4), out])).toBe(0);
  });

  it('allocation refuses bad sizes and sizes beyond the limit', () => {
    const mem = new SharedRpcMem(undefined, 1000);
    expect(() => mem.alloc(0)).toThrow(expect.objectContaining({ code: Aee.EBADPARM }));
    expect(() => mem.alloc(1.5)).toThrow(AeeError);
    const a = mem.alloc(600);
    expect(() => mem.alloc(600)).toThrow(expect.objectContaining({ code: Aee.ENOMEMORY }));
    mem.free(a);
    expect(mem.alloc(600).length).toBe(600);
  });
});

describe('frames with buffer references', () => {
  function framed(mem: SharedRpcMem, args: RemoteArg[]): Uint8Array {
    const req = new Uint8Array(4096);
    return req.subarray(0, writeRequest(req, 5, SC, args, mem));
  }

  it('round-trip through the mapping port: the stream carries nothing for the referenced buffers', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const mem = new SharedRpcMem(port1);
      const input = mem.alloc(3000);
      const out = mem.alloc(100);
      const frame = framed(mem, [input, out]);
      // Header, two empty length words (in, out), the reference table.
      expect(frame.length).toBe(24 + 8 + 2 * 16);
      const mapped = new SharedMappings(port2);
      const resp = new Uint8Array(256);
      const req = readRequest(frame, resp, mapped);
      expect(mapped.size).toBe(1 + 1);
      (req.args[1] as Uint8Array).set([9, 8, 7]);
      expect(out.subarray(0, 3)).toEqual(new Uint8Array([9, 8, 7]));
      const len = writeResponse(resp, 0, req);
      expect(readResponse(resp.subarray(0, len), SC, [input, out], mem)).toBe(0);
      // Without the references the reply does not match the caller's out buffer.
      expect(readResponse(resp.subarray(0, len), SC, [input, out])).toBe(Aee.EUNKNOWN);
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('buffers of up to 64 bytes are copied even in rpcmem: the frame carries no references', () => {
    const mem = new SharedRpcMem();
    const small = mem.alloc(64);
    small.fill(3);
    const frame = framed(mem, [small, new Uint8Array(4)]);
    expect(frame[0]! & 2).toBe(0);
    expect(hexOf(readRequest(frame, new Uint8Array(256)).args[0]!)).toBe('03'.repeat(64));
  });

  it('a reference to memory the callee has not mapped, or beyond it, is AEE_EBADPARM', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const mem = new SharedRpcMem(port1);
      const input = mem.alloc(100);
      const frame = framed(mem, [input, new Uint8Array(4)]);
      const resp = new Uint8Array(256);
      expect(() => readRequest(frame, resp)).toThrow(expect.objectContaining({ code: Aee.EBADPARM }));
      expect(() => readRequest(frame, resp, new SharedMappings())).toThrow(/not mapped memory/);
      const mapped = new SharedMappings(port2);
      expect(readRequest(frame, resp, mapped).args[0]).toHaveLength(100);
      // Length beyond the buffer.
      const forged = frame.slice();
      new DataView(forged.buffer).setUint32(frame.length - 32 + 8, 101, true);
      expect(() => readRequest(forged, resp, mapped)).toThrow(/not mapped memory/);
      // The reference table cut off.
      expect(() => readRequest(frame.subarray(0, frame.length - 8), resp, mapped)).toThrow(/truncated/);
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('a buffer both in the stream and referenced is AEE_EBADPARM', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const mem = new SharedRpcMem(port1);
      const input = mem.alloc(100);
      const frame = framed(mem, [input, new Uint8Array(4)]);
      // Claim a 1-byte in buffer in the stream while its reference stays.
      const forged = new Uint8Array(frame.length + 8);
      forged.set(frame.subarray(0, 24));
      const w = new DataView(forged.buffer);
      // Stream: u32 1, pad to 8, one byte, then the out length word (unaligned).
      w.setUint32(16, 13, true);
      w.setUint32(24, 1, true);
      forged[32] = 0xaa;
      w.setUint32(33, 4, true);
      forged.set(frame.subarray(32), 40);
      expect(() => readRequest(forged, new Uint8Array(256), new SharedMappings(port2))).toThrow(/both in the stream and by reference/);
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('generated stubs and skels on shared rpcmem', () => {
  const seqsProgram = new URL('./fixtures/seqs-program.ts', import.meta.url);
  let dsp: DspWorker | undefined;
  afterEach(async () => {
    await dsp?.close();
    dsp = undefined;
  });

  it('an in sequence<octet> in rpcmem reaches the DSP skel as a view of it; a rout one is written in place', async () => {
    // A 64 KiB channel cannot carry a 1 MiB buffer: only a reference can.
    dsp = new DspWorker({ program: seqsProgram, areaBytes: 64 * 1024 });
    expect(await dsp.outcome).toMatchObject({ ok: true });
    const client = new SeqsClient(dsp.transport, SEQS_HANDLE);
    const buf = dsp.rpcmem.alloc(MiB);
    for (let i = 0; i < buf.length; i++) buf[i] = (i + 9) & 0xff;
    expect(await client.write(9, buf)).toEqual({ written: MiB });
    // The same bytes in ordinary memory are copied, and do not fit.
    await expect(client.write(9, buf.slice())).rejects.toMatchObject({ code: Aee.EBADSIZE });

    const into = dsp.rpcmem.alloc(MiB);
    const read = planFor(seqsDescriptor.methods.find((m) => m.name === 'read')!);
    const r = (await invokePlan(dsp.transport, SEQS_HANDLE, read, [5], undefined, { routInto: { buf: into } })) as { buf: Uint8Array };
    expect(r.buf).toBe(into);
    expect(into[0]).toBe(5);
    expect(into[MiB - 1]).toBe((MiB - 1 + 5) & 0xff);
  });
});
