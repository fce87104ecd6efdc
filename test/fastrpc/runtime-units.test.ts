/** Units of the FastRPC runtime: byte access, the IDL_VERSION rule, skel error mapping. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { createSkel, idlVersionAccepted } from '../../runtime/rpc/skel.ts';
import { rF32, rF64, rI16, rI32, rI64, rU32, rU64, w16, w32, wF32, wF64, wI64, wU64 } from '../../runtime/wire/bytes.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import { fromHex, toHex } from '../../runtime/wire/hex.ts';

describe('little-endian byte access', () => {
  it('matches DataView for every width', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double(),
        fc.integer({ min: 0, max: 8 }),
        (i, b, d, off) => {
          const u = new Uint8Array(24);
          const dv = new DataView(u.buffer);
          w32(u, off, i);
          expect(rI32(u, off)).toBe(dv.getInt32(off, true));
          expect(rU32(u, off)).toBe(i >>> 0);
          w16(u, off, i);
          expect(rI16(u, off)).toBe(dv.getInt16(off, true));
          wI64(u, off, b);
          expect(rI64(u, off)).toBe(b);
          expect(dv.getBigInt64(off, true)).toBe(b);
          wU64(u, off, BigInt.asUintN(64, b));
          expect(rU64(u, off)).toBe(BigInt.asUintN(64, b));
          wF64(u, off, d);
          expect(Object.is(rF64(u, off), d)).toBe(true);
          wF32(u, off, d);
          expect(Object.is(rF32(u, off), Math.fround(d))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('reads past the end raise RangeError', () => {
    const u = new Uint8Array(6);
    expect(() => rU32(u, 3)).toThrow(RangeError);
    expect(() => rI64(u, 0)).toThrow(RangeError);
    expect(() => rI16(u, -1)).toThrow(RangeError);
  });
  it('hex round trip and rejection', () => {
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(() => fromHex('abc')).toThrow();
    expect(() => fromHex('zz')).toThrow();
  });
});

describe('IDL_VERSION check (spec B.6)', () => {
  const uri = (v: string): string => `file:///libx_skel.so?x_skel_handle_invoke&_modver=1.0&_idlver=${v}&_dom=adsp`;
  it.each([
    ['1.2.3', true],
    ['1.2.2', true],
    ['1.1.9', true],
    ['0.999.999', true],
    ['1.2', true],
    ['', true],
    ['01.02.03', true],
    ['1.2.4', false],
    ['1.3.0', false],
    ['2.0.0', false],
    ['1.2.3.4', false],
    ['1.2.3.', false],
    ['1.2.x', false],
    ['1000.0.0', false],
  ])('%s -> %s', (v, ok) => {
    expect(idlVersionAccepted(uri(v), '1.2.3')).toBe(ok);
  });
  it('a URI without _idlver is refused', () => {
    expect(idlVersionAccepted('file:///libx_skel.so?x&_modver=1.0', '1.0.0')).toBe(false);
  });
});

describe('generic skel', () => {
  const desc: InterfaceDesc = {
    name: 't',
    cName: 't',
    handle64: false,
    methods: [
      {
        name: 'f',
        ts: 'f',
        index: 0,
        params: [
          { name: 'a', ts: 'a', mode: 'in', t: { k: 'p', p: 'i32' } },
          { name: 'b', ts: 'b', mode: 'rout', t: { k: 'p', p: 'i32' } },
        ],
      },
    ],
  };
  const args = (): [Uint8Array, Uint8Array] => [fromHex('05000000'), new Uint8Array(4)];
  it('sync implementations complete without a Promise; async ones with one', async () => {
    const a = args();
    expect(createSkel(desc, { f: (x: number) => ({ b: x * 2 }) })(0, 0x00010100, a)).toBe(0);
    expect(toHex(a[1])).toBe('0a000000');
    const b = args();
    const r = createSkel(desc, { f: async (x: number) => ({ b: x + 1 }) })(0, 0x00010100, b);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toBe(0);
    expect(toHex(b[1])).toBe('06000000');
  });
  it('maps failures: AeeError code, other exceptions to AEE_EUNKNOWN, no rout data on failure', async () => {
    const a = args();
    expect(
      createSkel(desc, {
        f: () => {
          throw new AeeError(Aee.ENOMEMORY);
        },
      })(0, 0x00010100, a),
    ).toBe(Aee.ENOMEMORY);
    expect(toHex(a[1])).toBe('00000000');
    expect(
      createSkel(desc, {
        f: () => {
          throw new Error('boom');
        },
      })(0, 0x00010100, args()),
    ).toBe(Aee.EUNKNOWN);
    expect(await createSkel(desc, { f: () => Promise.reject(new AeeError(Aee.EBADSTATE)) })(0, 0x00010100, args())).toBe(Aee.EBADSTATE);
  });
  it('a missing implementation method is AEE_EUNSUPPORTED', () => {
    expect(createSkel(desc, {})(0, 0x00010100, args())).toBe(Aee.EUNSUPPORTED);
  });
  it('onReject hears why a request was refused before the implementation', () => {
    const seen: [string, number, string][] = [];
    const skel = createSkel(desc, { f: (x: number) => ({ b: x }) }, { onReject: (m, code, why) => seen.push([m, code, why]) });
    expect(skel(0, 0x00010000, [fromHex('05000000')])).toBe(Aee.EBADPARM); // no primROut buffer
    expect(skel(0, 0x00010100, [fromHex('0500'), new Uint8Array(4)])).toBe(Aee.EBADPARM); // primIn too short
    expect(skel(0, 0x00010100, args())).toBe(0);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(['f', Aee.EBADPARM, expect.stringMatching(/scalars word/)]);
    expect(seen[1]![2].length).toBeGreaterThan(0);
  });
  it('method index 31 (escaped) is AEE_EUNSUPPORTED when the interface has no escaped methods, whatever the index word says', () => {
    const f = (x: number) => ({ b: x });
    // A well-formed escaped request for index 0: qaic's skel has no `case 31` for a 1-method interface.
    expect(createSkel(desc, { f })(0, (31 << 24) | 0x00010100, [fromHex('00000000'), new Uint8Array(4)])).toBe(Aee.EUNSUPPORTED);
    expect(createSkel(desc, { f })(0, (31 << 24) | 0x00000000, [])).toBe(Aee.EUNSUPPORTED);
  });
});
