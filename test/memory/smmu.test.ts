import { describe, expect, it } from 'vitest';
import {
  ARM_LPAE_4K,
  ARM_V7S,
  ContextBank,
  DSP_IOVA_WINDOWS,
  IommuProt,
  IovaAllocator,
  SmmuFault,
  SmmuInstance,
  formatIovaMap,
  formatIovaMapSvg,
} from '../../runtime/memory/smmu/index.ts';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import { Errno } from '../../runtime/memory/errno.ts';

const K = 1024;
const M = 1024 * K;
const G = 1024 * M;
const RW = IommuProt.READ | IommuProt.WRITE;

const lpae = () => new ContextBank({ name: 'cb', format: ARM_LPAE_4K });
const v7s = () => new ContextBank({ name: 'cb', format: ARM_V7S });

describe('SMMU map: greedy splitting', () => {
  it('spec examples (4K/2M/1G)', () => {
    let c = lpae();
    expect(c.map(0x1000_0000n, 0x8000_0000n, 2 * M, RW)).toBe(0);
    expect(c.pt.leafCounts()).toEqual([0, 1, 0]);
    c = lpae();
    c.map(0x1000_4000n, 0x8000_4000n, 2 * M, RW);
    expect(c.pt.leafCounts()).toEqual([512, 0, 0]);
    c = lpae();
    c.map(0x1000_0000n, 0x8000_1000n, 4 * M, RW);
    expect(c.pt.leafCounts()).toEqual([1024, 0, 0]);
    c = lpae();
    c.map(0x001f_f000n, 0x801f_f000n, 2 * M + 8 * K, RW);
    expect(c.pt.entries().map((l) => l.size)).toEqual([4 * K, 2 * M, 4 * K]);
    c = lpae();
    c.map(0x001f_f000n, 0x801f_f000n, 2 * M + 4 * K, RW);
    expect(c.pt.entries().map((l) => l.size)).toEqual([4 * K, 2 * M]);
  });

  it('old MSM format: 1M + 4K from a 1M-aligned base is one section and one page', () => {
    const c = v7s();
    expect(c.map(0x0010_0000n, 0x0030_0000n, M + 4 * K, RW)).toBe(0);
    expect(c.pt.entries().map((l) => l.size)).toEqual([M, 4 * K]);
  });

  it.each([
    ['1G co-aligned', 0x4000_0000n, 0x8000_0000n, [0, 0, 1]],
    ['+4K offset, co-aligned mod 2M', 0x4000_1000n, 0x8000_1000n, [512, 511, 0]],
    ['+4K offset, co-aligned mod 2M only', 0x4000_1000n, 0x8020_1000n, [512, 511, 0]],
    ['+2M offset', 0x4020_0000n, 0xc020_0000n, [0, 512, 0]],
    ['PA not co-aligned with IOVA', 0x4000_0000n, 0x8000_1000n, [262144, 0, 0]],
  ] as const)('1 GiB map at mixed alignments (%s) gives the greedy-optimal PTE count', (_n, iova, pa, counts) => {
    const c = lpae();
    expect(c.map(iova, pa, G, RW)).toBe(0);
    expect(c.pt.leafCounts()).toEqual(counts);
    // sampled translation over the whole range
    for (let k = 0; k < G; k += 7 * M + 4 * K + 3) expect(c.iovaToPhys(iova + BigInt(k))).toBe(pa + BigInt(k));
    expect(c.unmap(iova, G)).toBe(G);
    expect(c.pt.leafCount()).toBe(0);
  });

  it('1 GiB on the old MSM format uses 4K/64K/1M/16M greedily (descriptors replicated x16)', () => {
    const c = v7s();
    expect(c.map(0x1000n, 0x0100_1000n, G, RW)).toBe(0);
    expect(c.pt.leafCounts()).toEqual([16, 15, 15, 63]);
    expect(c.pt.descriptorCount()).toBe(16 + 15 * 16 + 15 + 63 * 16);
  });

  it('errors: misaligned -EINVAL, out of range -ERANGE, no access -EINVAL, overlap -EEXIST (all-or-nothing)', () => {
    const c = lpae();
    expect(c.map(0x1000_0800n, 0x8000_0000n, 4 * K, RW)).toBe(-Errno.EINVAL);
    expect(c.map(0x1000_0000n, 0x8000_0000n, 4 * K + 1, RW)).toBe(-Errno.EINVAL);
    expect(c.map(2n ** 48n - 4096n, 0x8000_0000n, 8 * K, RW)).toBe(-Errno.ERANGE);
    expect(c.map(0x1000_0000n, 0x8000_0000n, 4 * K, IommuProt.CACHE)).toBe(-Errno.EINVAL);
    expect(new ContextBank({ name: 'old', pageTable: { noAccessMap: 'noop' } }).map(0n, 0n, 4096, 0)).toBe(0);
    expect(c.map(0x1020_0000n, 0x9000_0000n, 4 * K, RW)).toBe(0);
    // a 4 MiB map whose second 2M chunk hits the existing page: nothing of it stays
    expect(c.map(0x1000_0000n, 0x8000_0000n, 4 * M, RW)).toBe(-Errno.EEXIST);
    expect(c.pt.leafCount()).toBe(1);
    expect(c.iovaToPhys(0x1000_0000n)).toBe(0n);
    // a page inside an existing block
    c.map(0x4000_0000n, 0x4000_0000n, 2 * M, RW);
    expect(c.map(0x4000_1000n, 0x1000n, 4 * K, RW)).toBe(-Errno.EEXIST);
  });

  it('block over a table of live pages: refused by default, replaced in io-pgtable mode', () => {
    const strict = lpae();
    strict.map(0x20_1000n, 0x1000n, 4 * K, RW);
    expect(strict.map(0x20_0000n, 0x40_0000n, 2 * M, RW)).toBe(-Errno.EEXIST);
    const kernel = new ContextBank({ name: 'k', pageTable: { blockOverTable: 'replace' } });
    kernel.map(0x20_1000n, 0x1000n, 4 * K, RW);
    expect(kernel.map(0x20_0000n, 0x40_0000n, 2 * M, RW)).toBe(0);
    expect(kernel.iovaToPhys(0x20_1000n)).toBe(0x40_1000n);
    expect(kernel.pt.leafCounts()).toEqual([0, 1, 0]);
  });
});

describe('SMMU unmap', () => {
  it('returns bytes, stops at the first hole, 0 for misaligned or unmapped', () => {
    const c = lpae();
    c.map(0x1000_0000n, 0x8000_0000n, 16 * K, RW);
    c.map(0x1000_8000n, 0x9000_0000n, 8 * K, RW);
    expect(c.unmap(0x1000_0800n, 4 * K)).toBe(0);
    expect(c.unmap(0x2000_0000n, 4 * K)).toBe(0);
    expect(c.unmap(0x1000_0000n, 64 * K)).toBe(16 * K);
    expect(c.iovaToPhys(0x1000_8000n)).toBe(0x9000_0000n);
  });

  it('partial unmap of a block: whole block and its size (modern) or split (old)', () => {
    const modern = lpae();
    modern.map(0x20_0000n, 0x8020_0000n, 2 * M, RW);
    expect(modern.unmap(0x20_1000n, 4 * K)).toBe(2 * M);
    expect(modern.pt.leafCount()).toBe(0);
    const old = new ContextBank({ name: 'old', pageTable: { partialUnmap: 'split' } });
    old.map(0x20_0000n, 0x8020_0000n, 2 * M, RW);
    expect(old.unmap(0x20_1000n, 4 * K)).toBe(4 * K);
    expect(old.iovaToPhys(0x20_1000n)).toBe(0n);
    expect(old.iovaToPhys(0x20_2000n)).toBe(0x8020_2000n);
    expect(old.iovaToPhys(0x3f_ffffn)).toBe(0x803f_ffffn);
    expect(old.pt.leafCounts()).toEqual([511, 0, 0]);
  });

  it('a 2M-aligned unmap over a table removes the whole table', () => {
    const c = lpae();
    c.map(0x20_0000n, 0x8000_1000n, 8 * K, RW); // 4K pages (PA not 2M-congruent)
    c.map(0x30_0000n, 0x8001_0000n, 4 * K, RW);
    expect(c.unmap(0x20_0000n, 2 * M)).toBe(2 * M);
    expect(c.pt.leafCount()).toBe(0);
  });
});

describe('SMMU TLB, faults, DSP access', () => {
  function withMemory(opts: Partial<ConstructorParameters<typeof ContextBank>[0]> = {}) {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 4 * M });
    const ctx = new ContextBank({ name: 'adsprpc-smmu', phys, window: DSP_IOVA_WINDOWS.downstream, ...opts });
    return { phys, ctx };
  }

  it('DSP writes through the SMMU land in the bytes APPS sees, scattered chunks included', () => {
    const { phys, ctx } = withMemory();
    const a = phys.allocContiguous(8 * K);
    const b = phys.allocContiguous(4 * K, 64 * K);
    const iova = ctx.mapChunks([...a.chunks, ...b.chunks]);
    ctx.write(iova + 8n * 1024n - 2n, new Uint8Array([1, 2, 3, 4]));
    expect([...phys.read(a.pa + 8190n, 2)]).toEqual([1, 2]);
    expect([...phys.read(b.pa, 2)]).toEqual([3, 4]);
    phys.write(a.pa, new Uint8Array([42]));
    expect(ctx.read(iova, 1)[0]).toBe(42);
  });

  it('unmap invalidates the TLB: the next access faults instead of hitting a stale entry', () => {
    const { phys, ctx } = withMemory();
    const a = phys.allocContiguous(4 * K);
    const iova = ctx.mapChunks(a.chunks);
    ctx.read(iova, 4);
    expect(ctx.tlb.size).toBe(1);
    ctx.unmapChunks(iova, 4 * K);
    expect(ctx.tlb.size).toBe(0);
    expect(() => ctx.read(iova, 4)).toThrow(SmmuFault);
    expect(ctx.faults.at(-1)).toMatchObject({ kind: 'unmapped', handlerResult: -Errno.ENOSYS, outcome: 'terminate' });
  });

  it('legacy MSM: a shared TLB keeps stale entries until update_done invalidates the context', () => {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: M });
    const smmu = new SmmuInstance('smmu0', { sharedTlb: true });
    const c0 = smmu.addContext({ name: 'ctx0', format: ARM_V7S, phys, faultConvention: 'msm', tlbMaintenance: 'update-done' });
    const c1 = smmu.addContext({ name: 'ctx1', format: ARM_V7S, phys, faultConvention: 'msm', tlbMaintenance: 'update-done' });
    expect(c0.tlb).toBe(c1.tlb);
    c0.map(0x1000n, 0x8000_0000n, 4 * K, RW);
    c1.map(0x1000n, 0x8000_1000n, 4 * K, RW);
    c0.read(0x1000n, 1);
    c1.read(0x1000n, 1);
    c0.unmap(0x1000n, 4 * K); // no bracket: the stale entry survives
    expect(c0.translate(0x1000n, false)).toBe(0x8000_0000n);
    c0.updateStart();
    c0.updateDone();
    expect(() => c0.translate(0x1000n, false)).toThrow(SmmuFault);
    expect(c1.translate(0x1000n, false)).toBe(0x8000_1000n);
  });

  it('upstream handler: -EAGAIN retries (stall mode) after fixing the mapping; other values terminate', () => {
    const { phys, ctx } = withMemory({ stall: true });
    const a = phys.allocContiguous(4 * K);
    ctx.setFaultHandler((f) => (f.context.map(f.iova & ~0xfffn, a.pa, 4 * K, RW) === 0 ? -Errno.EAGAIN : 0));
    phys.write(a.pa + 5n, new Uint8Array([7]));
    expect(ctx.read(0x9000_0005n, 1)[0]).toBe(7);
    expect(ctx.faults).toHaveLength(1);
    expect(ctx.faults[0]).toMatchObject({ outcome: 'retry', handlerResult: -Errno.EAGAIN });
    ctx.setFaultHandler(() => -Errno.EBUSY);
    expect(() => ctx.read(0x9100_0000n, 1)).toThrow(SmmuFault);
    ctx.setFaultHandler(() => -Errno.EAGAIN);
    expect(() => ctx.read(0x9100_0000n, 1)).toThrow(SmmuFault); // retries bounded
  });

  it('without stall mode a retry is impossible; VCM convention retries on 1 and stops on 0', () => {
    const { ctx } = withMemory();
    ctx.setFaultHandler(() => -Errno.EAGAIN);
    expect(() => ctx.read(0x9000_0000n, 1)).toThrow(SmmuFault);
    expect(ctx.faults[0]!.outcome).toBe('terminate');
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: M });
    const msm = new ContextBank({ name: 'vcodec', format: ARM_V7S, phys, faultConvention: 'msm', stall: true });
    let calls = 0;
    msm.setFaultHandler((f) => {
      calls++;
      msm.map(f.iova, 0x8000_0000n, 4 * K, IommuProt.READ);
      return 1;
    });
    expect(msm.read(0x4000n, 1)).toHaveLength(1);
    msm.setFaultHandler(() => 0);
    expect(() => msm.write(0x4000n, new Uint8Array(1))).toThrow(/permission fault/);
    expect(calls).toBe(1);
  });
});

describe('IOVA allocator', () => {
  it('top-down, size aligned inside the DSP window; same address after free', () => {
    const a = new IovaAllocator(DSP_IOVA_WINDOWS.downstream);
    const x = a.alloc(4 * K)!;
    expect(x).toBe(0xf7ff_f000);
    const y = a.alloc(3 * M)!; // rounded to... aligned to 4M
    expect(y % (4 * M)).toBe(0);
    expect(y + 3 * M).toBeLessThanOrEqual(x);
    const z = a.alloc(12 * K)!; // 3 pages -> 4 pages, 16K aligned
    expect(a.find(z)!.size).toBe(16 * K);
    expect(z % (16 * K)).toBe(0);
    a.free(y);
    expect(a.alloc(3 * M)).toBe(y);
  });

  it('fails fast after a failure until something is freed; best-fit and first-fit differ', () => {
    const a = new IovaAllocator({ start: 0x1000_0000, size: 8 * M });
    const big = a.alloc(8 * M)!;
    expect(a.alloc(4 * M)).toBeUndefined();
    a.free(big);
    expect(a.alloc(4 * M)).toBe(0x1040_0000);
    const ff = new IovaAllocator({ start: 0x1000, size: 64 * K, mode: 'first-fit' });
    expect(ff.alloc(4 * K)).toBe(0x1000);
    const bf = new IovaAllocator({ start: 0, size: 64 * K, mode: 'best-fit' });
    const p = bf.alloc(16 * K)!;
    bf.alloc(16 * K);
    bf.free(p);
    bf.alloc(32 * K);
    expect(bf.alloc(16 * K)).toBe(p);
  });
});

describe('formatIovaMap', () => {
  it('prints runs with their leaf mix and the free gaps of the window', () => {
    const ctx = new ContextBank({ name: 'adsprpc-smmu', sid: 3, window: { start: 0x8000_0000, size: 0x1000_0000 } });
    ctx.map(0x8000_1000n, 0x9000_1000n, 4 * M, RW);
    const text = formatIovaMap(ctx);
    expect(text).toContain('IOVA map of adsprpc-smmu (arm-lpae-4k, pages 4K/2M/1G, sid 3');
    expect(text).toContain('0x080001000-0x080400fff');
    expect(text).toContain('[1x2M + 512x4K]');
    expect(text).toMatch(/0x080000000-0x080000fff {2}free/);
    expect(formatIovaMapSvg(ctx)).toContain('<svg');
  });
});
