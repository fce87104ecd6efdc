import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import { KernelError } from '../../runtime/memory/errno.ts';
import {
  BlockPoolAllocator,
  MsmSmmuDriver,
  VCM_PHYS_CONTIGUOUS,
  VcmAssocAttr,
  VcmAttr,
  VcmManager,
  VcmPhysAttr,
  VcmPrebuilt,
  VCM_CPU,
  vcmAlignAttr,
} from '../../runtime/memory/vcm/index.ts';
import { IommuProt } from '../../runtime/memory/smmu/index.ts';
import { SmmuFault } from '../../runtime/memory/smmu/index.ts';
import { blockPoolModel, vcmModel } from './models/alloc-models.ts';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';

const K = 1024;
const M = 1024 * K;

function world() {
  const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 48 * M });
  const vcm = new VcmManager(phys);
  const smmu = MsmSmmuDriver.fromTree({ smmu0: ['ctx0', 'ctx1', 'ctx2'], smmu1: ['ctx3'] }, phys);
  return { phys, vcm, smmu };
}

describe('VCM block pools', () => {
  it('max munch without splitting, shortfall flows down, tail needs two free 4K blocks', () => {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 40 * M });
    const pool = new BlockPoolAllocator(phys);
    expect(pool.base).toBe(0x8000_0000n);
    const a = pool.alloc(2 * M + 68 * K)!;
    expect(a.map((b) => b.size)).toEqual([M, M, 64 * K, 4 * K]);
    const rest = pool.alloc(13 * M)!;
    expect(rest.every((b) => b.size === M)).toBe(true);
    const b = pool.alloc(2 * M)!; // only 1 x 1M left
    expect(b.filter((x) => x.size === M)).toHaveLength(1);
    expect(b.filter((x) => x.size === 64 * K)).toHaveLength(16);
    pool.free(a);
    pool.free(b);
    pool.free(rest);
    expect(pool.freeCounts()).toEqual(pool.initialCounts());

    const tiny = new BlockPoolAllocator(new PhysicalMemory({ base: 0n, size: 2 * M }), { pools: [{ size: 4 * K, count: 2 }] });
    const one = tiny.alloc(4 * K)!;
    expect(tiny.alloc(100)).toBeUndefined(); // exactly one 4K free: the tail fails
    tiny.free(one);
    expect(tiny.alloc(100)).toHaveLength(1);
  });

  it(
    'model: per pool free + held == initial; sizes cover len rounded to 4K; failures take nothing',
    () => {
      fc.assert(blockPoolModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );

  it(
    'model: VCM lifecycle keeps reservations disjoint and back/deassoc/free rules',
    () => {
      fc.assert(vcmModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
});

describe('VCM lifecycle', () => {
  it('create -> assoc -> activate -> reserve -> phys_alloc -> back; device sees the bytes; teardown in reverse', () => {
    const { vcm, smmu, phys } = world();
    const ctx = smmu.lookup('ctx0')!;
    const v = vcm.create(0x1000_0000, 16 * M)!;
    expect(v.type).toBe('device');
    const av = vcm.assoc(v, ctx)!;
    const res = vcm.reserve(v, 2 * M + 4 * K)!;
    // start is 1M aligned, so a whole 1M unit is skipped
    expect(vcm.getDevAddr(res)).toBe(0x1010_0000);
    const pm = vcm.physAlloc(0, 2 * M + 4 * K)!;
    expect(vcm.back(res, pm)).toBe(-11); // association not active
    expect(vcm.activate(av)).toBe(0);
    expect(vcm.activate(av)).toBe(-16);
    expect(vcm.back(res, vcm.physAlloc(0, 4 * K)!)).toBe(-22); // length mismatch
    expect(vcm.back(res, pm)).toBe(0);
    expect(ctx.pt.leafCounts()).toEqual([1, 0, 2, 0]);
    ctx.write(0x1010_0000n + BigInt(2 * M), new Uint8Array([0xee]));
    expect(phys.read(pm.blocks[2]!.pa, 1)[0]).toBe(0xee);
    expect(vcm.free(v)).toBe(-22);
    expect(vcm.deassoc(av)).toBe(-16);
    expect(vcm.unback(res)).toBe(0);
    expect(() => ctx.read(0x1010_0000n, 1)).toThrow(SmmuFault);
    expect(vcm.physFree(pm)).toBe(0);
    expect(vcm.physFree(pm)).toBe(-22);
    expect(vcm.unreserve(res)).toBe(0);
    expect(vcm.deactivate(av)).toBe(0);
    expect(vcm.deactivate(av)).toBe(-2);
    expect(vcm.deassoc(av)).toBe(0);
    expect(vcm.free(v)).toBe(0);
    expect(v.pool!.availableBytes()).toBe(16 * M);
  });

  it('reservation alignment by size class, one-to-one VCM returns the PA, prebuilt ids', () => {
    const { vcm } = world();
    const v = vcm.create(0x2000_1000, 4 * M)!;
    const r64 = vcm.reserve(v, 64 * K)!;
    expect(r64.devAddr % (64 * K)).toBe(0);
    expect(r64.devAddr).toBeGreaterThan(0x2000_1000);
    const r4 = vcm.reserve(v, 100)!;
    expect(r4.poolSize).toBe(4 * K + 100);
    expect(vcm.reserve(v, 0)).toBeNull();
    expect(vcm.reserve(v, 8 * M)).toBeNull();
    const one = vcm.create(Number(vcm.contigBase), vcm.contigSize)!;
    expect(one.type).toBe('one-to-one');
    const pm = vcm.physAlloc(0, 2 * M + 4 * K, VCM_PHYS_CONTIGUOUS)!;
    const res = vcm.reserve(one, 2 * M + 4 * K)!;
    expect(vcm.back(res, pm)).toBe(-22); // no association
    const dummy = world().smmu.lookup('ctx3')!;
    vcm.activate(vcm.assoc(one, dummy)!);
    expect(vcm.back(res, pm)).toBe(0);
    expect(vcm.getDevAddr(res)).toBe(Number(pm.blocks[0]!.pa));
    expect(vcm.getDevAddr(null)).toBe(1);
    expect(vcm.createFromPrebuilt(VcmPrebuilt.KERNEL)!.type).toBe('ext-kernel');
    expect(vcm.createFromPrebuilt(9)).toBeNull();
    const ek = vcm.createFromPrebuilt(VcmPrebuilt.KERNEL)!;
    expect(vcm.assoc(ek, dummy)).not.toBeNull();
    expect(vcm.assoc(ek, dummy)).toBeNull();
  });

  it('activation programs the context: before vcm_activate and after vcm_deactivate every transaction faults', () => {
    const { vcm, smmu } = world();
    const ctx = smmu.lookup('ctx2')!;
    const v = vcm.create(0x2000_0000, 4 * M)!;
    const av = vcm.assoc(v, ctx)!;
    expect(ctx.enabled).toBe(false);
    expect(vcm.activate(av)).toBe(0);
    const res = vcm.reserve(v, 64 * K)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    expect(vcm.back(res, pm)).toBe(0);
    ctx.write(BigInt(res.devAddr), new Uint8Array([1, 2]));
    expect(vcm.deactivate(av)).toBe(0);
    // The mapping is still in the table, but the context no longer translates.
    expect(ctx.iovaToPhys(BigInt(res.devAddr))).toBe(pm.blocks[0]!.pa);
    expect(() => ctx.read(BigInt(res.devAddr), 2)).toThrow(SmmuFault);
    expect(ctx.faults.at(-1)?.kind).toBe('disabled');
    expect(vcm.activate(av)).toBe(0);
    expect([...ctx.read(BigInt(res.devAddr), 2)]).toEqual([1, 2]);
  });

  it('teardown out of order (unreserve or phys_free while backed) is allowed, as the implementation allows it, and leaves a warning', () => {
    const { vcm, smmu } = world();
    const ctx = smmu.lookup('ctx0')!;
    const v = vcm.create(0x1000_0000, 4 * M)!;
    expect(vcm.activate(vcm.assoc(v, ctx)!)).toBe(0);
    const res = vcm.reserve(v, 64 * K)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    expect(vcm.back(res, pm)).toBe(0);
    expect(vcm.physFree(pm)).toBe(0);
    expect(vcm.unreserve(res)).toBe(0);
    expect(vcm.warnings).toHaveLength(2);
    expect(vcm.warnings[0]).toMatch(/vcm_phys_free of memory still backing/);
    expect(vcm.warnings[1]).toMatch(/vcm_unreserve of a reservation still backed/);
    // What the warning is about: the device mapping outlived both, so the next reservation at
    // that address cannot be backed.
    const res2 = vcm.reserve(v, 64 * K)!;
    expect(res2.devAddr).toBe(res.devAddr);
    expect(vcm.back(res2, vcm.physAlloc(0, 64 * K)!)).toBe(-17);
  });

  it('teardown in order leaves no warning', () => {
    const { vcm, smmu } = world();
    const v = vcm.create(0x1000_0000, 4 * M)!;
    expect(vcm.activate(vcm.assoc(v, smmu.lookup('ctx0')!)!)).toBe(0);
    const res = vcm.reserve(v, 64 * K)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    expect(vcm.back(res, pm)).toBe(0);
    expect(vcm.unback(res)).toBe(0);
    expect(vcm.physFree(pm)).toBe(0);
    expect(vcm.unreserve(res)).toBe(0);
    expect(vcm.warnings).toEqual([]);
  });

  it('the hook handler gets the data pointer given to vcm_hook', () => {
    const { vcm, smmu } = world();
    const ctx = smmu.lookup('ctx3')!;
    const v = vcm.create(0x3000_0000, 4 * M)!;
    expect(vcm.activate(vcm.assoc(v, ctx)!)).toBe(0);
    const seen: unknown[] = [];
    const token = { driver: 'camera' };
    expect(vcm.hook(ctx, (_f, data) => (seen.push(data), 0), token)).toBe(0);
    expect(() => ctx.read(0x3000_0000n, 1)).toThrow(SmmuFault);
    expect(seen).toEqual([token]);
  });

  it('back maps on every associated context; hardware busy and failure codes; fault hook 1/0', () => {
    const { vcm, smmu } = world();
    const c0 = smmu.lookup('ctx0')!;
    const c1 = smmu.lookup('ctx1')!;
    const v = vcm.create(0x4000_0000, 8 * M)!;
    const w = vcm.create(0x5000_0000, 8 * M)!;
    const a0 = vcm.assoc(v, c0)!;
    const a1 = vcm.assoc(v, c1)!;
    const other = vcm.assoc(w, c0)!;
    expect(vcm.activate(a0)).toBe(0);
    expect(vcm.activate(other)).toBe(-16); // hardware already active
    vcm.failHw = 1;
    expect(vcm.activate(a1)).toBe(-1);
    expect(vcm.activate(a1)).toBe(0);
    const res = vcm.reserve(v, 64 * K)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    expect(vcm.back(res, pm)).toBe(0);
    expect(c0.iovaToPhys(BigInt(res.devAddr))).toBe(pm.blocks[0]!.pa);
    expect(c1.iovaToPhys(BigInt(res.devAddr))).toBe(pm.blocks[0]!.pa);
    let calls = 0;
    expect(
      vcm.hook(c0, () => {
        calls++;
        return calls === 1 ? 1 : 0;
      }),
    ).toBe(0);
    expect(() => c0.read(0x4700_0000n, 4)).toThrow(SmmuFault);
    expect(calls).toBe(2);
    expect(c0.faults.map((f) => f.outcome)).toEqual(['retry', 'terminate']);
  });

  it('legacy SMMU driver: only 4K/64K/1M/16M aligned maps', () => {
    const { smmu } = world();
    const c = smmu.lookup('ctx2')!;
    expect(smmu.map(c, 0x8100_0000n, 0x100_0000n, 16 * M)).toBe(0);
    expect(c.pt.leafCounts()).toEqual([0, 0, 0, 1]);
    expect(smmu.map(c, 0x8000_0000n, 0x2000_1000n, 64 * K)).toBe(-22);
    expect(smmu.map(c, 0x8000_0000n, 0x2000_0000n, 8 * K)).toBe(-22);
    expect(smmu.translate(c, 0x100_0010n)).toBe(0x8100_0010n);
    expect(smmu.unmap(c, 0x100_0000n, 16 * M)).toBe(0);
    expect(smmu.translate(c, 0x100_0010n)).toBe(0n);
  });
});

describe('VCM attributes', () => {
  function backed(attr: number) {
    const { vcm, smmu } = world();
    const ctx = smmu.lookup('ctx0')!;
    const v = vcm.create(0x1000_0000, 16 * M)!;
    vcm.activate(vcm.assoc(v, ctx)!);
    const res = vcm.reserve(v, 64 * K, attr)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    return { vcm, ctx, res, pm, status: vcm.back(res, pm) };
  }

  it('the cache policy of a reservation reaches its SMMU leaves; a policy the SMMU does not know makes vcm_back -EINVAL', () => {
    const cached = backed(VcmAttr.READ | VcmAttr.WRITE | VcmAttr.WB_WA);
    expect(cached.status).toBe(0);
    expect(cached.ctx.pt.find(cached.res.devAddr)!.prot & IommuProt.CACHE).toBe(IommuProt.CACHE);
    const uncached = backed(VcmAttr.READ | VcmAttr.WRITE | VcmAttr.NOTCACHED);
    expect(uncached.ctx.pt.find(uncached.res.devAddr)!.prot & IommuProt.CACHE).toBe(0);
    for (const policy of [VcmAttr.WB_NWA, VcmAttr.WT]) expect(backed(policy).status).toBe(0);
    const bad = backed(VcmAttr.READ | 4);
    expect(bad.status).toBe(-22);
    expect(bad.ctx.pt.find(bad.res.devAddr)).toBeUndefined();
    expect(bad.res.backing).toBeUndefined();
  });

  it('access bits are kept but, as in the implementation, do not narrow the device mapping', () => {
    const readOnly = backed(VcmAttr.READ);
    expect(readOnly.status).toBe(0);
    expect(readOnly.res.attr).toBe(VcmAttr.READ);
    // smmu_map received the cache attribute only: the device may still write.
    readOnly.ctx.write(BigInt(readOnly.res.devAddr), new Uint8Array([7]));
    expect(readOnly.ctx.read(BigInt(readOnly.res.devAddr), 1)[0]).toBe(7);
  });

  it('VCM_ALIGN_ATTR(order) aligns a reservation to 2^order instead of its size class', () => {
    const { vcm } = world();
    const v = vcm.create(0x2000_0000, 16 * M)!;
    const small = vcm.reserve(v, 4 * K, vcmAlignAttr(20))!;
    expect(small.devAddr % M).toBe(0);
    expect(small.poolSize).toBe(M + 4 * K);
    const byClass = vcm.reserve(v, 4 * K)!;
    expect(byClass.poolSize).toBe(8 * K);
  });

  it('memory targets were never implemented: vcm_reserve_at gives NULL and every reservation reports VCM_INVALID', () => {
    const { vcm } = world();
    const v = vcm.create(0x3000_0000, 16 * M)!;
    expect(vcm.reserveAt(1, v, 64 * K)).toBeNull();
    expect(vcm.getMemtypeOfRes(vcm.reserve(v, 64 * K)!)).toBe(0);
  });

  it('phys_alloc acts on PHYS_CONT only; association attributes are kept, as vcm_set_assoc_attr was a stub', () => {
    const { vcm, smmu } = world();
    const cont = vcm.physAlloc(0, 64 * K, VcmPhysAttr.PHYS_CONT)!;
    expect(cont.contiguous).toBe(true);
    expect(VCM_PHYS_CONTIGUOUS).toBe(VcmPhysAttr.PHYS_CONT);
    // COHERENT is bit 0: it is not a request for contiguous memory.
    const coherent = vcm.physAlloc(0, 64 * K, VcmPhysAttr.COHERENT | VcmPhysAttr.SZ_4KB)!;
    expect(coherent.contiguous).toBe(false);
    const v = vcm.create(0x3000_0000, 16 * M)!;
    const a = vcm.assoc(v, smmu.lookup('ctx1')!, VcmAssocAttr.SPLIT | VcmAssocAttr.USE_HIGH_BASE)!;
    expect(a.attr).toBe(VcmAssocAttr.SPLIT | VcmAssocAttr.USE_HIGH_BASE);
  });
});

describe('VMM reservations (stage 2 of the walk-through)', () => {
  it('the kernel reads and writes the memory a device maps, through a VMM reservation backed by the same physmem', () => {
    const { vcm, smmu } = world();
    const ctx = smmu.lookup('ctx0')!;
    const dev = vcm.create(0x1000_0000, 16 * M)!;
    vcm.activate(vcm.assoc(dev, ctx)!);
    const res = vcm.reserve(dev, 64 * K)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    expect(vcm.back(res, pm)).toBe(0);

    const vmm = vcm.createFromPrebuilt(VcmPrebuilt.KERNEL)!;
    expect(vcm.assoc(dev, VCM_CPU)).toBeNull(); // a device VCM takes an SMMU context
    const avmm = vcm.assoc(vmm, VCM_CPU)!;
    expect(vcm.activate(avmm)).toBe(0);
    const resVmm = vcm.reserve(vmm, 64 * K)!;
    expect(() => vcm.vmmRead(resVmm.devAddr, 4)).toThrow(KernelError); // reserved, not backed
    expect(vcm.back(resVmm, pm)).toBe(0);
    ctx.write(BigInt(res.devAddr) + 0x1234n, new Uint8Array([1, 2, 3]));
    expect([...vcm.vmmRead(resVmm.devAddr + 0x1234, 3)]).toEqual([1, 2, 3]);
    vcm.vmmWrite(resVmm.devAddr + 64 * K - 2, new Uint8Array([9, 8]));
    expect([...ctx.read(BigInt(res.devAddr) + BigInt(64 * K - 2), 2)]).toEqual([9, 8]);
    expect(() => vcm.vmmRead(resVmm.devAddr + 64 * K - 1, 2)).toThrow(/not mapped/);

    // The implementation refuses to unreserve a VMM reservation that is still mapped.
    expect(vcm.unreserve(resVmm)).toBe(-22);
    expect(vcm.unback(resVmm)).toBe(0);
    expect(vcm.unback(resVmm)).toBe(-22);
    expect(() => vcm.vmmRead(resVmm.devAddr, 1)).toThrow(KernelError);
    expect(vcm.unreserve(resVmm)).toBe(0);
    expect(vcm.warnings).toEqual([]);
  });

  it('a user VMM VCM cannot be backed, as vcm_back has no case for it', () => {
    const { vcm } = world();
    const user = vcm.createFromPrebuilt(VcmPrebuilt.USER)!;
    vcm.activate(vcm.assoc(user, VCM_CPU)!);
    const res = vcm.reserve(user, 4 * K)!;
    expect(vcm.back(res, vcm.physAlloc(0, 4 * K)!)).toBe(-22);
    expect(res.backing).toBeUndefined();
  });
});

describe('MSM SMMU driver calls and /dev nodes', () => {
  it('drvdata_init, ctx_init, ctx_bind and ctx_deinit build and take down contexts at run time', () => {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * M });
    const smmu = new MsmSmmuDriver(phys);
    expect(smmu.drvdataInit('smmu0', 0x0430_0000n, 42)).toBe(0);
    expect(smmu.drvdataInit('smmu0', 0x0430_0000n, 42)).toBe(-16);
    expect(smmu.drvdataInit('smmu1', 0n, 42)).toBe(-22);
    const ctx = smmu.ctxInit('vcodec_a_mm1')!;
    expect(smmu.ctxInit('vcodec_a_mm1')).toBeNull();
    expect(smmu.lookup('vcodec_a_mm1')).toBeUndefined(); // not bound yet
    expect(smmu.ctxBind(ctx, 'smmu9')).toBe(-19);
    expect(smmu.ctxBind(ctx, 'smmu0')).toBe(0);
    expect(smmu.ctxBind(ctx, 'smmu0')).toBe(-16);
    const dev = smmu.lookup('vcodec_a_mm1')!;
    expect(smmu.baseAddr(dev)).toBe(0x0430_0000n);
    expect(smmu.devNodes()).toEqual(['/dev/vcodec_a_mm1']);
    expect(smmu.activate(dev)).toBe(0);
    expect(smmu.ctxDeinit(ctx)).toBe(-16); // active
    expect(smmu.deactivate(dev)).toBe(0);
    expect(smmu.ctxDeinit(ctx)).toBe(0);
    expect(smmu.lookup('vcodec_a_mm1')).toBeUndefined();
    expect(smmu.devNodes()).toEqual([]);
  });

  it('/dev/<ctx>: open, mmap a backed reservation and see the bytes the device sees; unmapped ranges and closed nodes are refused', () => {
    const { vcm, smmu, phys } = world();
    const ctx = smmu.lookup('ctx1')!;
    const v = vcm.create(0x2000_0000, 4 * M)!;
    expect(vcm.activate(vcm.assoc(v, ctx)!)).toBe(0);
    const res = vcm.reserve(v, 64 * K)!;
    const pm = vcm.physAlloc(0, 64 * K)!;
    expect(vcm.back(res, pm)).toBe(0);
    const node = smmu.open('/dev/ctx1');
    const m = node.mmap(BigInt(res.devAddr), 64 * K);
    m.write(4 * K - 2, new Uint8Array([1, 2, 3, 4])); // across a page boundary
    expect([...ctx.read(BigInt(res.devAddr + 4 * K - 2), 4)]).toEqual([1, 2, 3, 4]);
    ctx.write(BigInt(res.devAddr + 100), new Uint8Array([9]));
    expect(m.read(100, 1)[0]).toBe(9);
    expect(phys.read(pm.blocks[0]!.pa + 100n, 1)[0]).toBe(9);
    expect(() => m.read(64 * K - 1, 2)).toThrow(KernelError);
    expect(() => node.mmap(BigInt(res.devAddr + 64 * K), 4 * K)).toThrow(/not mapped/);
    expect(() => smmu.open('/dev/nope')).toThrow(/no such device/);
    node.close();
    expect(() => node.mmap(BigInt(res.devAddr), 4 * K)).toThrow(/closed/);
  });
});
