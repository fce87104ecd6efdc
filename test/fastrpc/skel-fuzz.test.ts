/**
 * Robustness: random remote_arg sets (counts, lengths, words, handles) fed to every
 * generated conformance skel only ever produce a status code, never an exception or hang.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import { MapFdRegistry, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { layoutMethod } from '../../runtime/wire/method-layout.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';

const genDir = new URL('../conformance/generated/qaic/', import.meta.url);
const ifaces: GeneratedInterface[] = [];
for (const f of readdirSync(genDir)
  .filter((n) => n.endsWith('.ts'))
  .sort()) {
  const mod = (await import(new URL(f, genDir).href)) as { interfaces?: readonly GeneratedInterface[] };
  ifaces.push(...(mod.interfaces ?? []));
}
const targets = ifaces.flatMap((gi) => gi.desc.methods.map((m) => ({ gi, m, l: layoutMethod(m) })));

// Buffers biased towards small lengths and small/huge 32-bit words so checks are reached.
const word = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
const buffer = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc.array(word, { maxLength: 12 }).map((ws) => {
    const b = new Uint8Array(ws.length * 4);
    ws.forEach((w, i) => new DataView(b.buffer).setUint32(i * 4, w, true));
    return b;
  }),
);

it('skels answer malformed invocations with a status code', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: targets.length - 1 }),
      fc.array(buffer, { maxLength: 8 }),
      fc.array(fc.nat(64), { maxLength: 6 }),
      fc.array(fc.record({ fd: fc.integer({ min: -1, max: 8 }), offset: fc.nat(100) }), { maxLength: 4 }),
      fc.array(fc.record({ fd: fc.integer({ min: -1, max: 8 }), offset: fc.nat(100) }), { maxLength: 4 }),
      fc.integer({ min: -2, max: 2 }),
      async (ti, inBufs, outLens, inH, outH, skew) => {
        const { gi, l } = targets[ti]!;
        // Start from the real primIn of the method so the parameter checks are exercised.
        const primIn = new Uint8Array(l.primIn.sizeSent);
        if (l.escaped) new DataView(primIn.buffer).setUint32(0, l.index, true);
        const ins = l.primIn.size > 0 ? [primIn.map((_, i) => inBufs[0]?.[i] ?? 0), ...inBufs.slice(1)] : inBufs;
        if (l.escaped) new DataView(ins[0]!.buffer).setUint32(0, l.index, true);
        const nIn = Math.max(0, ins.length + (skew === -1 ? -1 : 0));
        const pra: RemoteArg[] = [...ins.slice(0, nIn), ...outLens.map((n) => new Uint8Array(n)), ...inH, ...outH];
        const fds = new MapFdRegistry();
        fds.register(3, 4096);
        const sc = makeScalars(l.methodField, nIn, outLens.length, inH.length, outH.length);
        const skel = gi.createSkel(new Proxy({}, { get: () => () => undefined }) as never);
        const code = await skel(gi.desc.handle64 ? 1n : 1, skew === 2 ? (sc ^ 0x00010000) >>> 0 : sc, pra, { fds });
        expect(typeof code).toBe('number');
      },
    ),
    { numRuns: 3000 },
  );
});
