/**
 * apps_mem through the generated module: the layouts of spec C.8 method by method, and a
 * round trip client -> loopback -> skel -> implementation with the bytes on the wire.
 */
import { describe, expect, it } from 'vitest';
import { AppsMemClient, appsMemDescriptor, createAppsMemSkel, type AppsMem } from '../../generated/apps_mem.ts';
import { AeeError, Aee } from '../../runtime/wire/aee-codes.ts';
import type { RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import { layoutMethod } from '../../runtime/wire/method-layout.ts';
import { toHex } from '../../runtime/wire/hex.ts';

// [name, sc, primIn fields [param, offset], logical primIn, sent primIn, primROut fields, primROut size]
const C8: [string, number, [string, number][], number, number, [string, number][], number][] = [
  [
    'request_map',
    0x00010100,
    [
      ['heapid', 0],
      ['ion_flags', 4],
      ['rflags', 8],
      ['vin', 12],
      ['len', 16],
    ],
    20,
    20,
    [
      ['vapps', 0],
      ['vadsp', 4],
    ],
    8,
  ],
  [
    'request_unmap',
    0x01010000,
    [
      ['vadsp', 0],
      ['len', 4],
    ],
    8,
    8,
    [],
    0,
  ],
  [
    'request_map64',
    0x02010100,
    [
      ['heapid', 0],
      ['ion_flags', 4],
      ['rflags', 8],
      ['vin', 16],
      ['len', 24],
    ],
    32,
    32,
    [
      ['vapps', 0],
      ['vadsp', 8],
    ],
    16,
  ],
  [
    'request_unmap64',
    0x03010000,
    [
      ['vadsp', 0],
      ['len', 8],
    ],
    16,
    16,
    [],
    0,
  ],
  [
    'share_map',
    0x04010100,
    [
      ['fd', 0],
      ['size', 4],
    ],
    8,
    8,
    [
      ['vapps', 0],
      ['vadsp', 8],
    ],
    16,
  ],
  [
    'share_unmap',
    0x05010000,
    [
      ['vadsp', 0],
      ['size', 8],
    ],
    12,
    16,
    [],
    0,
  ],
  [
    'dma_handle_map',
    0x06010000,
    [
      ['fd', 0],
      ['offset', 4],
      ['size', 8],
    ],
    12,
    12,
    [],
    0,
  ],
  [
    'dma_handle_unmap',
    0x07010000,
    [
      ['fd', 0],
      ['size', 4],
    ],
    8,
    8,
    [],
    0,
  ],
];

describe('apps_mem layouts (spec C.8)', () => {
  it.each(C8)('%s', (name, sc, pin, piSize, piSent, prout, prSize) => {
    const desc = appsMemDescriptor.methods.find((m) => m.name === name)!;
    const l = layoutMethod(desc);
    expect(l.scalars).toBe(sc);
    expect(l.dynamic).toBe(false);
    expect(l.primIn.size).toBe(piSize);
    expect(l.primIn.sizeSent).toBe(piSent);
    expect(l.primROut.size).toBe(prSize);
    const off = (mode: 'primIn' | 'primROut'): [string, number][] =>
      l.params.flatMap((p) => (p[mode].length > 0 ? [[p.param.name, p[mode][0]!.offset] as [string, number]] : []));
    expect(off('primIn')).toEqual(pin);
    expect(off('primROut')).toEqual(prout);
  });
});

describe('apps_mem round trip', () => {
  const impl: AppsMem = {
    requestMap: () => ({ vapps: 0x1000, vadsp: 0x2000 }),
    requestUnmap: () => undefined,
    requestMap64: (heapid, _f, _r, vin, len) => {
      if (heapid < 0) throw new AeeError(Aee.EBADPARM);
      return { vapps: vin + 0x10000000n, vadsp: 0xc0000000n + len };
    },
    requestUnmap64: () => undefined,
    shareMap: async (fd, size) => ({ vapps: BigInt(fd), vadsp: BigInt(size) }),
    shareUnmap: () => undefined,
    dmaHandleMap: () => undefined,
    dmaHandleUnmap: () => undefined,
  };

  it('request_map64: bytes on the wire and decoded routs', async () => {
    const seen: { sc: number; args: string[] }[] = [];
    const loop = new LoopbackTransport().register(3, createAppsMemSkel(impl));
    const spy = {
      fds: loop.fds,
      invoke(h: number | bigint, sc: number, args: RemoteArg[]) {
        const r = loop.invoke(h, sc, args);
        seen.push({ sc, args: args.map((a) => toHex(a as Uint8Array)) });
        return r;
      },
    };
    const client = new AppsMemClient(spy, 3);
    const r = await client.requestMap64(25, 1, 0x1000, 0x7f00n, 0x100000n);
    expect(r).toEqual({ vapps: 0x10007f00n, vadsp: 0xc0100000n });
    expect(seen).toEqual([
      {
        sc: 0x02010100,
        args: ['19000000010000000010000000000000007f0000000000000000100000000000', '007f001000000000000010c000000000'],
      },
    ]);
  });

  it('a failing implementation rejects with its AEE code and a sync impl returns synchronously', async () => {
    const skel = createAppsMemSkel(impl);
    const client = new AppsMemClient(new LoopbackTransport().register(3, skel), 3);
    await expect(client.requestMap64(-1, 0, 0, 0n, 0n)).rejects.toMatchObject({ code: Aee.EBADPARM });
    const primIn = new Uint8Array(32);
    const primROut = new Uint8Array(16);
    expect(typeof skel(3, 0x02010100, [primIn, primROut])).toBe('number');
    expect(skel(4, 0x04010100, [new Uint8Array(8), new Uint8Array(16)])).toBeInstanceOf(Promise);
  });

  it('unknown handle and unknown method', async () => {
    const loop = new LoopbackTransport().register(3, createAppsMemSkel(impl));
    await expect(new AppsMemClient(loop, 9).requestUnmap(1, 2)).rejects.toMatchObject({ code: Aee.EINVHANDLE });
    expect(loop.invoke(3, 0x08000000, [])).toBe(Aee.EUNSUPPORTED);
  });
});
