import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import {
  alignListenerBuf,
  inStreamLength,
  layoutOutStream,
  outStreamLength,
  packInStream,
  unpackInStream,
  unpackOutStream,
} from '../../runtime/transport/listener-stream.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/[\s|]/g, ''), 'hex'));

function aeeCode(f: () => unknown): number {
  try {
    f();
  } catch (err) {
    if (err instanceof AeeError) return err.code;
    throw err;
  }
  throw new Error('expected an AeeError');
}

describe('in stream (DSP -> APPS)', () => {
  it('packs the apps_std fopen("/a","r") example of the spec byte for byte', () => {
    const sc = 0x00030100;
    const args = [bytes('03000000 02000000'), bytes('2f6100'), bytes('7200'), new Uint8Array(4)];
    const stream = packInStream(sc, args);
    // 0: len 8 | 4: pad | 8: primIn | 16: len 3 | 20: pad | 24: "/a\0" | 27: len 2 | 31: pad | 32: "r\0" | 34: out len 4
    expect(hex(stream)).toBe(
      ['08000000', '00000000', '0300000002000000', '03000000', '00000000', '2f6100', '02000000', '00', '7200', '04000000'].join(''),
    );
    expect(stream.length).toBe(38);
    expect(inStreamLength(sc, args)).toBe(38);
  });

  it('writes no padding and no data for zero-length buffers, and length words may be unaligned', () => {
    const sc = makeScalars(0, 3, 2);
    const args = [new Uint8Array(0), bytes('aa'), new Uint8Array(0), new Uint8Array(0), new Uint8Array(3)];
    const stream = packInStream(sc, args);
    // 0: len 0 | 4: len 1 | 8: aa | 9: len 0 (unaligned) | 13: out len 0 | 17: out len 3
    expect(hex(stream)).toBe('00000000' + '01000000' + 'aa' + '00000000' + '00000000' + '03000000');
    expect(stream.length).toBe(21);
  });

  it('pads odd-length data to 8 from the stream start, not from the previous buffer', () => {
    const sc = makeScalars(0, 3, 0);
    const args = [bytes('010203'), bytes('0405060708'), bytes('09')];
    // 0: len 3 | 8: 010203 | 11: len 5 | 15: pad 1 | 16: 0405060708 | 21: len 1 | 25: pad 7 | 32: 09
    const stream = packInStream(sc, args);
    expect(hex(stream)).toBe('03000000' + '00000000' + '010203' + '05000000' + '00' + '0405060708' + '01000000' + '00000000000000' + '09');
    const { inBufs, outLens } = unpackInStream(sc, stream);
    expect(inBufs.map(hex)).toEqual(['010203', '0405060708', '09']);
    expect(outLens).toEqual([]);
  });

  it('decodes in buffers as views into the stream (no copy)', () => {
    const sc = 0x00030100;
    const stream = packInStream(sc, [bytes('0300000002000000'), bytes('2f6100'), bytes('7200'), new Uint8Array(4)]);
    const { inBufs, outLens } = unpackInStream(sc, stream);
    expect(outLens).toEqual([4]);
    expect(inBufs[1]!.buffer).toBe(stream.buffer);
    expect(inBufs[1]!.byteOffset).toBe(24);
  });

  it('rejects a truncated or overrunning stream with AEE_EBADPARM', () => {
    const sc = 0x00030100;
    const stream = packInStream(sc, [bytes('0300000002000000'), bytes('2f6100'), bytes('7200'), new Uint8Array(4)]);
    for (const cut of [0, 3, 8, 20, 26, 33, 37]) {
      expect(aeeCode(() => unpackInStream(sc, stream.subarray(0, cut)))).toBe(Aee.EBADPARM);
    }
    const lying = stream.slice();
    new DataView(lying.buffer).setUint32(16, 0xfffffff0, true);
    expect(aeeCode(() => unpackInStream(sc, lying))).toBe(Aee.EBADPARM);
  });

  it('refuses handles on the reverse path (AEE_EBADPARM)', () => {
    expect(aeeCode(() => packInStream(makeScalars(0, 1, 0, 1, 0), [new Uint8Array(4), { fd: 3, offset: 0 }]))).toBe(Aee.EBADPARM);
    expect(aeeCode(() => unpackInStream(makeScalars(0, 0, 0, 0, 1), new Uint8Array(0)))).toBe(Aee.EBADPARM);
  });
});

describe('out stream (APPS -> DSP)', () => {
  it('lays out the fopen reply: u32 4 | pad | psout (12 bytes)', () => {
    const area = new Uint8Array(64).fill(0xee);
    const [psout] = layoutOutStream([4], area);
    psout!.set(bytes('2a000000'));
    expect(outStreamLength([4])).toBe(12);
    expect(hex(area.subarray(0, 12))).toBe('04000000' + '00000000' + '2a000000');
    const dst = new Uint8Array(4);
    expect(unpackOutStream(area.subarray(0, 12), [dst])).toBe(0);
    expect(hex(dst)).toBe('2a000000');
  });

  it('handles zero-length and odd-length out buffers', () => {
    // 0: len 0 | 4: len 3 | 8: data | 11: len 0 | 15: len 2 | 19: pad 5 | 24: data -> 26
    expect(outStreamLength([0, 3, 0, 2])).toBe(26);
    const area = new Uint8Array(26);
    const views = layoutOutStream([0, 3, 0, 2], area);
    views[1]!.set(bytes('abcdef'));
    views[3]!.set(bytes('0102'));
    expect(hex(area)).toBe('00000000' + '03000000' + 'abcdef' + '00000000' + '02000000' + '0000000000' + '0102');
    const outs = [new Uint8Array(0), new Uint8Array(3), new Uint8Array(0), new Uint8Array(2)];
    expect(unpackOutStream(area, outs)).toBe(0);
    expect(outs.map(hex)).toEqual(['', 'abcdef', '', '0102']);
  });

  it('accepts trailing bytes (quic sends the grown capacity) but fails (-1) on a length mismatch or short stream', () => {
    const area = new Uint8Array(4096);
    layoutOutStream([4], area);
    expect(unpackOutStream(area, [new Uint8Array(4)])).toBe(0);
    expect(unpackOutStream(area.subarray(0, 12), [new Uint8Array(8)])).toBe(Aee.EUNKNOWN);
    expect(unpackOutStream(area.subarray(0, 10), [new Uint8Array(4)])).toBe(Aee.EUNKNOWN);
    expect(unpackOutStream(new Uint8Array(0), [new Uint8Array(0)])).toBe(Aee.EUNKNOWN);
  });
});

describe('listener area sizing', () => {
  it('rounds to 4 KiB units, with 0 giving one unit', () => {
    expect([0, 1, 4096, 4097, 10000].map(alignListenerBuf)).toEqual([4096, 4096, 4096, 8192, 12288]);
  });
});

describe('round trip', () => {
  it('unpack(pack(x)) gives the in buffers and out lengths back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 0, maxLength: 8 }),
        fc.array(fc.nat(100), { maxLength: 8 }),
        (ins, outLens) => {
          const sc = makeScalars(0, ins.length, outLens.length);
          const stream = packInStream(sc, [...ins, ...outLens.map((n) => new Uint8Array(n))]);
          const { inBufs, outLens: lens } = unpackInStream(sc, stream);
          expect(inBufs.map(hex)).toEqual(ins.map(hex));
          expect(lens).toEqual(outLens);
          // Every non-empty data area starts at a multiple of 8 from the stream start.
          for (const b of inBufs) if (b.length > 0) expect((b.byteOffset - stream.byteOffset) % 8).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
