/**
 * Property: for every method of the generated conformance interfaces, random in/inrout
 * values reach the implementation unchanged through client -> loopback -> skel, and random
 * rout values (with capacities that fit them) come back unchanged to the client.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import { isByteSeq, typeViews, type TypeDesc } from '../../runtime/wire/desc.ts';
import { planFor } from '../../runtime/wire/plan.ts';

const genDir = new URL('../conformance/generated/qaic/', import.meta.url);
const ifaces: GeneratedInterface[] = [];
for (const f of readdirSync(genDir)
  .filter((n) => n.endsWith('.ts'))
  .sort()) {
  const mod = (await import(new URL(f, genDir).href)) as { interfaces?: readonly GeneratedInterface[] };
  ifaces.push(...(mod.interfaces ?? []));
}

const noNul = (s: string): boolean => !s.includes('\0');
const INT: Record<string, [number, number]> = {
  i8: [-128, 127],
  u8: [0, 255],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
};

function arb(t: TypeDesc): fc.Arbitrary<unknown> {
  switch (t.k) {
    case 'p': {
      if (t.p === 'bool') return fc.boolean();
      if (t.p === 'i64') return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
      if (t.p === 'u64') return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
      if (t.p === 'f32') return fc.float({ noNaN: true });
      if (t.p === 'f64') return fc.double({ noNaN: true });
      const [min, max] = INT[t.p]!;
      return fc.integer({ min, max });
    }
    case 's':
      return (t.w ? fc.string({ unit: 'binary', maxLength: 12 }) : fc.string({ unit: 'grapheme', maxLength: 12 })).filter(noNul);
    case 'q':
      return isByteSeq(t) ? fc.uint8Array({ maxLength: 16 }) : fc.array(arb(t.e), { maxLength: 4 });
    case 'a':
      return fc.array(arb(t.e), { minLength: t.n, maxLength: t.n });
    case 'r':
      return fc.record(Object.fromEntries(t.f.map(([, ts, mt]) => [ts, arb(mt)])));
    case 'd':
      // One fd has one registered length, so the length is a function of the fd.
      return fc
        .record({ fd: fc.integer({ min: 3, max: 1000 }), offset: fc.integer({ min: 0, max: 4096 }) })
        .map((h) => ({ ...h, len: h.fd * 4096 }));
    case 'h':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  }
}

/** Capacities that hold `v` exactly (strings: characters incl. the terminator). */
function capsOf(t: TypeDesc, v: unknown): unknown {
  if (t.k === 's') return t.w ? (v as string).length + 1 : new TextEncoder().encode(v as string).length + 1;
  if (t.k === 'q')
    return typeViews(t.e).complex
      ? (v as unknown[]).map((e) => capsOf(t.e, e))
      : isByteSeq(t)
        ? (v as Uint8Array).length
        : (v as unknown[]).length;
  if (t.k === 'r') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(t.f.filter(([, , mt]) => typeViews(mt).complex && mt.k !== 'd').map(([, ts, mt]) => [ts, capsOf(mt, o[ts])]));
  }
  return undefined;
}

const hasDmaInStruct = (t: TypeDesc): boolean =>
  t.k === 'r' ? t.f.some(([, , mt]) => mt.k === 'd' || hasDmaInStruct(mt)) : t.k === 'q' || t.k === 'a' ? hasDmaInStruct(t.e) : false;

describe('client -> loopback -> skel round trip', () => {
  for (const gi of ifaces) {
    const methods = gi.desc.methods.filter((m) => !(gi.desc.handle64 && m.index <= 1) && !m.params.some((p) => hasDmaInStruct(p.t)));
    it.each(methods.map((m) => [m.name, m] as const))(`${gi.name}.%s`, async (_n, m) => {
      const plan = planFor(m);
      const argArb = fc.tuple(...plan.argParams.map((p) => arb(p.t)));
      const routParams = m.params.filter((p) => p.mode !== 'in' && p.t.k !== 'd');
      const routArb = fc.tuple(...routParams.map((p) => arb(p.t)));
      await fc.assert(
        fc.asyncProperty(argArb, routArb, async (args, routVals) => {
          const routs = Object.fromEntries(routParams.map((p, i) => [p.ts, routVals[i]]));
          // Capacities come from the rout values; an inrout sequence's capacity is its input length.
          const inrout = new Map(plan.argParams.map((p, i) => [p.ts, args[i]]));
          for (const p of routParams) if (p.mode === 'inrout' && p.t.k === 'q') routs[p.ts] = inrout.get(p.ts);
          const caps: Record<string, unknown> = {};
          for (const p of plan.capParams) {
            const c = capsOf(p.t, routs[p.ts]);
            caps[p.ts] = p.mode === 'inrout' && p.t.k === 's' ? Math.max(c as number, capsOf(p.t, inrout.get(p.ts)) as number) : c;
          }
          let seen: unknown[] | undefined;
          const impl = new Proxy(
            {},
            {
              get:
                () =>
                (...a: unknown[]) => ((seen = a), routs),
            },
          );
          const handle = gi.desc.handle64 ? 7n : 7;
          const loop = new LoopbackTransport().register(handle, gi.createSkel(impl as never));
          const client = new gi.Client(loop, handle as never) as Record<string, (...a: unknown[]) => Promise<Record<string, unknown>>>;
          const call = plan.capParams.length > 0 ? [...args, caps] : args;
          const got = await client[m.ts]!(...call);
          expect(seen?.slice(0, args.length)).toEqual(args);
          expect(got).toEqual(routs);
        }),
        { numRuns: 15 },
      );
    });
  }
});
