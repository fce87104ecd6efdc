/**
 * Values that do not fit their IDL type never reach the wire: a client method rejects before
 * anything is sent, naming the method and the parameter; an implementation returning such a
 * value fails the call with AEE_EUNKNOWN and the skel's onError hears why. Every primitive kind,
 * strings, sequences, arrays, structs and dmahandles; the straight-line (all-primitive) plans and
 * the generic ones alike.
 */
import { describe, expect, it, vi } from 'vitest';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { t, type InterfaceDesc, type PrimCode, type TypeDesc } from '../../runtime/wire/desc.ts';
import { InvalidValueError } from '../../runtime/wire/value-check.ts';
import { invokeMethod } from '../../runtime/rpc/invoke.ts';
import { createSkel } from '../../runtime/rpc/skel.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';

const HANDLE = 1;

/** An interface `check` with one method `f(in T x, rout T y)` (plus a string so the generic plan runs when asked). */
function iface(type: TypeDesc, generic = false): InterfaceDesc {
  return {
    name: 'check',
    cName: 'check',
    handle64: false,
    methods: [
      {
        name: 'f',
        ts: 'f',
        index: 0,
        params: [
          { name: 'x', ts: 'x', mode: 'in', t: type },
          ...(generic ? [{ name: 's', ts: 's', mode: 'in' as const, t: t.string }] : []),
          { name: 'y', ts: 'y', mode: 'rout', t: type },
        ],
      },
    ],
  };
}

interface Rig {
  call(args: unknown[], caps?: Record<string, unknown>): Promise<Record<string, unknown>>;
  readonly invoke: ReturnType<typeof vi.spyOn>;
  readonly errors: unknown[];
}

/** A loopback skel whose implementation returns `answer(x)`, and a spy on what reaches the transport. */
function rig(desc: InterfaceDesc, answer: (x: unknown) => unknown): Rig {
  const errors: unknown[] = [];
  const transport = new LoopbackTransport().register(
    HANDLE,
    createSkel(desc, { f: (x: unknown) => answer(x) }, { onError: (e) => errors.push(e) }),
  );
  const invoke = vi.spyOn(transport, 'invoke');
  return { call: (args, caps) => invokeMethod(transport, HANDLE, desc.methods[0]!, args, caps), invoke, errors };
}

const PRIMS: Readonly<Record<PrimCode, { good: readonly unknown[]; bad: readonly [unknown, string][] }>> = {
  i8: {
    good: [-128, 0, 127],
    bad: [
      [128, '128'],
      [-129, '-129'],
      [1.5, '1.5'],
      ['1', '"1"'],
    ],
  },
  u8: {
    good: [0, 255],
    bad: [
      [-1, '-1'],
      [256, '256'],
      [Number.NaN, 'NaN'],
    ],
  },
  bool: {
    good: [true, false],
    bad: [
      [1, '1'],
      [undefined, 'undefined'],
      ['true', '"true"'],
    ],
  },
  i16: {
    good: [-32768, 32767],
    bad: [
      [32768, '32768'],
      [0.5, '0.5'],
    ],
  },
  u16: {
    good: [0, 65535],
    bad: [
      [65536, '65536'],
      [-1, '-1'],
    ],
  },
  i32: {
    good: [-(2 ** 31), 2 ** 31 - 1],
    bad: [
      [2 ** 31, '2147483648'],
      [1n, '1n'],
      [null, 'null'],
    ],
  },
  u32: {
    good: [0, 2 ** 32 - 1],
    bad: [
      [-1, '-1'],
      [2 ** 32 + 5, '4294967301'],
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      [undefined, 'undefined'],
    ],
  },
  f32: {
    good: [1.5, Number.NaN, -0],
    bad: [
      ['1.5', '"1.5"'],
      [1n, '1n'],
    ],
  },
  f64: { good: [Math.PI, Number.POSITIVE_INFINITY], bad: [[undefined, 'undefined']] },
  i64: {
    good: [-(2n ** 63n), 2n ** 63n - 1n, 42],
    bad: [
      [2n ** 63n, '9223372036854775808n'],
      [2 ** 53, '9007199254740992'],
      [0.5, '0.5'],
    ],
  },
  u64: {
    good: [0n, 2n ** 64n - 1n, 7],
    bad: [
      [-1n, '-1n'],
      [2n ** 64n, '18446744073709551616n'],
      [-1, '-1'],
    ],
  },
};

const NAME: Readonly<Record<PrimCode, string>> = {
  i8: 'int8',
  u8: 'uint8',
  bool: 'boolean',
  i16: 'int16',
  u16: 'uint16',
  i32: 'int32',
  u32: 'uint32',
  f32: 'float',
  f64: 'double',
  i64: 'int64',
  u64: 'uint64',
};

const norm = (p: PrimCode, v: unknown): unknown => ((p === 'i64' || p === 'u64') && typeof v === 'number' ? BigInt(v) : v);

describe.each(Object.keys(PRIMS) as PrimCode[])('%s values', (p) => {
  const { good, bad } = PRIMS[p];
  for (const generic of [false, true]) {
    const plan = generic ? 'generic plan' : 'straight-line plan';
    const args = (x: unknown): unknown[] => (generic ? [x, 'ok'] : [x]);

    it(`${plan}: values in range travel and come back`, async () => {
      const r = rig(iface(t[p], generic), (x) => ({ y: x }));
      for (const v of good) expect((await r.call(args(v))).y).toEqual(norm(p, v));
      expect(r.errors).toEqual([]);
    });

    it(`${plan}: a client value out of range or of the wrong type is refused before it is sent`, async () => {
      const r = rig(iface(t[p], generic), (x) => ({ y: x }));
      for (const [v, shown] of bad) {
        const err = await r.call(args(v)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidValueError);
        expect((err as Error).message).toBe(`check.f: x: invalid ${NAME[p]}: ${shown}`);
      }
      expect(r.invoke).not.toHaveBeenCalled();
    });

    it(`${plan}: an implementation returning such a value fails the call with AEE_EUNKNOWN and is reported`, async () => {
      for (const [v, shown] of bad) {
        const r = rig(iface(t[p], generic), () => ({ y: v }));
        const err = await r.call(args(good[0])).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AeeError);
        expect((err as AeeError).code).toBe(Aee.EUNKNOWN);
        const why = v === undefined ? 'missing (every rout value must be returned)' : `invalid ${NAME[p]}: ${shown}`;
        expect(r.errors.map((e) => (e as Error).message)).toEqual([`check.f: the implementation returned y: ${why}`]);
      }
    });
  }
});

describe('composite values', () => {
  const point = t.struct('Point', [
    ['x', 'x', t.i32],
    ['label', 'label', t.string],
  ]);

  it.each<[string, TypeDesc, unknown, string]>([
    ['a string given undefined', t.string, undefined, 'x: expected a string, got undefined'],
    ['a string given 42', t.string, 42, 'x: expected a string, got 42'],
    ['a sequence element', t.sequence(t.i32), [1, 2, 2 ** 31], 'x[2]: invalid int32: 2147483648'],
    ['a sequence given a string', t.sequence(t.u16), 'abc', 'x: expected an array, got "abc"'],
    ['a byte sequence element', t.sequence(t.u8), [1, 300], 'x[1]: invalid uint8: 300'],
    ['an array of the wrong length', t.array(t.i16, 3), [1, 2], 'x: expected an array of 3, got 2 elements'],
    ['a struct member', point, { x: 1.5, label: 'a' }, 'x.x: invalid int32: 1.5'],
    ['a missing struct member', point, { x: 1 }, 'x.label: expected a string, got undefined'],
    ['a struct given null', point, null, 'x: expected a Point object, got null'],
    [
      'a struct in a sequence',
      t.sequence(point),
      [
        { x: 1, label: 'a' },
        { x: 2, label: 7 },
      ],
      'x[1].label: expected a string, got 7',
    ],
    ['a dmahandle without len', t.dmahandle, { fd: 3, offset: 0 }, 'x.len: invalid uint32: undefined'],
  ])('%s is refused before it is sent, with its path', async (_what, type, value, detail) => {
    const desc = iface(type);
    const params = type.k === 'd' ? desc.methods[0]!.params.slice(0, 1) : desc.methods[0]!.params;
    const d: InterfaceDesc = { ...desc, methods: [{ ...desc.methods[0]!, params }] };
    const r = rig(d, (x) => ({ y: x }));
    const err = await r.call([value], { y: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidValueError);
    expect((err as InvalidValueError).detail).toBe(detail);
    expect(r.invoke).not.toHaveBeenCalled();
  });

  it('an implementation that returns undefined for a rout struct fails the call instead of sending zeros', async () => {
    const r = rig(iface(point), () => undefined);
    const err = await r.call([{ x: 1, label: 'a' }]).catch((e: unknown) => e);
    expect((err as AeeError).code).toBe(Aee.EUNKNOWN);
    expect((r.errors[0] as InvalidValueError).message).toBe(
      'check.f: the implementation returned y: missing (every rout value must be returned)',
    );
  });

  it('a missing inrout value keeps its input (documented), a missing rout value does not', async () => {
    const desc: InterfaceDesc = {
      ...iface(t.u32),
      methods: [
        {
          name: 'f',
          ts: 'f',
          index: 0,
          params: [
            { name: 'io', ts: 'io', mode: 'inrout', t: t.u32 },
            { name: 'y', ts: 'y', mode: 'rout', t: t.u32 },
          ],
        },
      ],
    };
    const kept = rig(desc, () => ({ y: 1 }));
    expect(await kept.call([7])).toEqual({ io: 7, y: 1 });
    const missing = rig(desc, () => ({ io: 8 }));
    await expect(missing.call([7])).rejects.toMatchObject({ code: Aee.EUNKNOWN });
  });

  it('an implementation that throws something other than AeeError is reported (AEE_EUNKNOWN to the caller)', async () => {
    const r = rig(iface(t.u32), () => {
      throw new TypeError('bug in the implementation');
    });
    await expect(r.call([1])).rejects.toMatchObject({ code: Aee.EUNKNOWN });
    expect((r.errors[0] as Error).message).toBe('bug in the implementation');
  });
});
