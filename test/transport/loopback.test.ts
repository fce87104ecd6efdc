/** LoopbackTransport: handles by value, whatever their JavaScript type. */
import { describe, expect, it } from 'vitest';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';

const answering =
  (value: number): SkelInvoke =>
  () =>
    value;

describe('LoopbackTransport handles', () => {
  it('a skel registered with a number answers a bigint handle of the same value, and the reverse', async () => {
    const t = new LoopbackTransport().register(0x42, answering(7)).register(0x43n, answering(8));
    expect(await t.invoke(0x42n, 0, [])).toBe(7);
    expect(await t.invoke(0x42, 0, [])).toBe(7);
    expect(await t.invoke(0x43, 0, [])).toBe(8);
  });

  it('64-bit handles beyond 2^53 stay distinct', async () => {
    const big = (1n << 63n) | 5n;
    const t = new LoopbackTransport().register(big, answering(1)).register(5, answering(2));
    expect(await t.invoke(big, 0, [])).toBe(1);
    expect(await t.invoke(5n, 0, [])).toBe(2);
    expect(await t.invoke(big + 1n, 0, [])).toBe(Aee.EINVHANDLE);
  });

  it('unregister by either type; an unknown or non-integer handle is AEE_EINVHANDLE', async () => {
    const t = new LoopbackTransport().register(9, answering(1));
    t.unregister(9n);
    expect(await t.invoke(9, 0, [])).toBe(Aee.EINVHANDLE);
    expect(await t.invoke(1.5, 0, [])).toBe(Aee.EINVHANDLE);
    expect(() => t.register(Number.NaN, answering(1))).toThrow(TypeError);
  });
});
