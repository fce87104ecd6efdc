import { describe, expect, it } from 'vitest';
import { AppsMemClient, createAppsMemSkel } from '../../generated/apps_mem.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import { createMemorySystem, type MemorySystemOptions } from '../../runtime/memory/system.ts';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { formatIovaMap } from '../../runtime/memory/smmu/index.ts';

const HANDLE = 0x4d0;

function setup(opts: MemorySystemOptions = {}) {
  const sys = createMemorySystem({ banks: [{ base: 0x8000_0000n, size: 16 << 20 }], ...opts });
  const transport = new LoopbackTransport().register(HANDLE, createAppsMemSkel(sys.appsMem));
  return { sys, transport, mem: new AppsMemClient(transport, HANDLE) };
}

async function code(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return Aee.SUCCESS;
  } catch (e) {
    if (e instanceof AeeError) return e.code;
    throw e;
  }
}

describe('apps_mem through the generated skel (loopback)', () => {
  it('every rflags path maps and unmaps with the results of a direct call (downstream kernel)', async () => {
    const { sys, mem } = setup({ pd: { unsigned: true, userspaceAllocSupported: true } });
    const results = [];
    for (const rflags of [4, 8, 0x1000, 0x3000, 0x10000, 0, 6])
      results.push({ rflags, ...(await mem.requestMap64(25, 1, rflags, 0n, 0x3000n)) });
    expect(sys.appsMem.list().map((r) => [r.rflags, r.vapps === 0n])).toEqual([
      [4, true],
      [8, true],
      [0x1000, false],
      [0x3000, false],
      [0x10000, false],
      [0, false],
      [6, false],
    ]);
    const hlos = results.find((r) => r.rflags === 0x10000)!;
    expect(hlos.vadsp).toBe(BigInt(sys.rpcmem.lookup(hlos.vapps)!.fd));
    expect(formatIovaMap(sys.file.session)).toMatch(/IOVA map of adsp-cb1/);
    for (const r of results) await mem.requestUnmap64(r.vadsp, 0x3000n);
    expect(sys.appsMem.list()).toHaveLength(0);
    expect(sys.rpcmem.liveCount()).toBe(0);
    expect(sys.file.session.pt.leafCount()).toBe(0);
  });

  it('AEE codes arrive at the client; 32-bit variants round-trip', async () => {
    const { sys, mem } = setup({ personality: 'upstream' });
    expect(await code(mem.requestMap64(25, 1, 4, 0n, 4096n))).toBe(Aee.EBADPARM);
    expect(await code(mem.requestMap64(25, 1, 0x1000, 0n, -5n))).toBe(Aee.EBADPARM);
    expect(await code(mem.requestUnmap64(0x1234n, 4096n))).toBe(Aee.ENOSUCHMAP);
    expect(await code(mem.shareMap(0, 4096))).toBe(Aee.EBADPARM);
    expect(await code(mem.dmaHandleUnmap(7, 4096))).toBe(Aee.ENOSUCHMAP);
    const r = await mem.requestMap(25, 1, 0x1000, 0, 0x2000);
    expect(r.vapps).toBe(0);
    expect(r.vadsp).toBe(Number(sys.appsMem.list()[0]!.vadsp & 0xffff_ffffn));
    await mem.requestUnmap(r.vadsp, 0x2000);
    expect(sys.appsMem.list()).toHaveLength(0);
  });

  it('argument-shape errors stop in the skel: AEE_EBADPARM / AEE_EUNSUPPORTED and no state change', async () => {
    const { sys, transport } = setup();
    const before = JSON.stringify({ n: sys.appsMem.list().length, free: sys.phys.freeBytes });
    // request_map: 1 in (20 bytes) + 1 out (8 bytes); here the input is short
    expect(await transport.invoke(HANDLE, 0x0001_0100, [new Uint8Array(19), new Uint8Array(8)])).toBe(Aee.EBADPARM);
    // two input buffers where one is expected
    expect(await transport.invoke(HANDLE, 0x0002_0100, [new Uint8Array(20), new Uint8Array(4), new Uint8Array(8)])).toBe(Aee.EBADPARM);
    // output buffer too short
    expect(await transport.invoke(HANDLE, 0x0201_0100, [new Uint8Array(32), new Uint8Array(15)])).toBe(Aee.EBADPARM);
    // unknown method id
    expect(await transport.invoke(HANDLE, 0x0901_0000, [new Uint8Array(8)])).toBe(Aee.EUNSUPPORTED);
    expect(JSON.stringify({ n: sys.appsMem.list().length, free: sys.phys.freeBytes })).toBe(before);
  });
});
