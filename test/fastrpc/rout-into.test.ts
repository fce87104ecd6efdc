/**
 * `invokePlan(..., { routInto })`: a caller-supplied buffer receives a rout byte sequence.
 * The wire must be exactly what the capacity form sends, and the value must be that buffer.
 */
import { describe, expect, it } from 'vitest';
import { invokePlan } from '../../runtime/rpc/invoke.ts';
import type { RemoteArg } from '../../runtime/wire/remote-arg.ts';
import type { RemoteHandle, Transport } from '../../runtime/rpc/transport.ts';
import { planFor } from '../../runtime/wire/plan.ts';
import { createSeqsSkel, seqsDescriptor, type Seqs } from '../conformance/generated/qaic/seqs.ts';

const readDesc = seqsDescriptor.methods.find((m) => m.name === 'read')!;

function capturing(): { transport: Transport; sent: { sc: number; inBufs: string[]; outLens: number[] }[] } {
  const impl = {
    read: (fd: number, caps: { buf: number }) => ({
      buf: Uint8Array.from({ length: caps.buf }, (_, i) => (fd + i) & 0xff),
      got: caps.buf,
      eof: false,
    }),
  } as unknown as Seqs;
  const skel = createSeqsSkel(impl);
  const sent: { sc: number; inBufs: string[]; outLens: number[] }[] = [];
  const transport: Transport = {
    invoke(h: RemoteHandle, sc: number, args: RemoteArg[]) {
      const nIn = (sc >>> 16) & 0xff;
      const bufs = args.filter((a): a is Uint8Array => a instanceof Uint8Array);
      sent.push({
        sc,
        inBufs: bufs.slice(0, nIn).map((b) => Buffer.from(b).toString('hex')),
        outLens: bufs.slice(nIn).map((b) => b.length),
      });
      return skel(h, sc, args);
    },
  };
  return { transport, sent };
}

describe('invokePlan routInto', () => {
  it('sends the same bytes as a capacity and resolves to the caller buffer, filled in place', async () => {
    const { transport, sent } = capturing();
    const plan = planFor(readDesc);
    const viaCaps = (await invokePlan(transport, 7, plan, [3], { buf: 10 })) as { buf: Uint8Array; got: number };
    const mine = new Uint8Array(10);
    const viaInto = (await invokePlan(transport, 7, plan, [3], undefined, { routInto: { buf: mine } })) as { buf: Uint8Array; got: number };
    expect(sent[1]).toEqual(sent[0]);
    expect(viaInto.buf).toBe(mine);
    expect([...mine]).toEqual([...viaCaps.buf]);
    expect([...mine]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(viaInto.got).toBe(10);
  });

  it('takes the capacity from the buffer length', async () => {
    const { transport, sent } = capturing();
    await invokePlan(transport, 7, planFor(readDesc), [0], undefined, { routInto: { buf: new Uint8Array(4096) } });
    expect(sent[0]!.outLens).toContain(4096);
  });
});
