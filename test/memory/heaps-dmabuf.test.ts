import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import { HeapFlag, HeapId, HeapRegistry } from '../../runtime/memory/heaps.ts';
import { DmaBufTable } from '../../runtime/memory/dmabuf.ts';
import { AppsAddressSpace, CpuAccessFault } from '../../runtime/memory/apps-vm.ts';
import { RpcMem } from '../../runtime/memory/rpcmem.ts';
import { MemoryOwnership, ScmPerm, Vmid, vmBitmap } from '../../runtime/memory/ownership.ts';
import { rpcmemModel } from './models/alloc-models.ts';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';

const MiB = 1 << 20;

function world() {
  const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 16 * MiB });
  const own = new MemoryOwnership();
  const heaps = new HeapRegistry(phys, own);
  const fds = new DmaBufTable();
  const vm = new AppsAddressSpace(phys, own);
  const rpcmem = new RpcMem(heaps, fds, vm);
  return { phys, own, heaps, fds, vm, rpcmem };
}

describe('heaps, dma-buf fds, rpcmem', () => {
  it('contiguous heap gives one chunk, system heap may scatter; cached flag honoured', () => {
    const { heaps } = world();
    const c = heaps.alloc(HeapId.CONTIG, HeapFlag.CACHED, 3 * MiB);
    expect(c.phys.chunks).toHaveLength(1);
    expect(c.cached).toBe(true);
    const s = heaps.alloc(HeapId.SYSTEM, HeapFlag.CACHED | HeapFlag.UNCACHED, 100);
    expect(s.cached).toBe(false);
    expect(s.size).toBe(4096);
    expect(() => heaps.alloc(77, 0, 4096)).toThrow(/ENODEV/);
  });

  it('secure heap memory is not HLOS-readable and is given back on free', () => {
    const { heaps, own, phys } = world();
    const before = phys.freeBytes;
    const b = heaps.alloc(HeapId.SECURE, 0, 8192);
    expect(own.allows(Vmid.HLOS, b.phys.pa, 1, ScmPerm.READ)).toBe(false);
    expect(own.allows(Vmid.CP_PIXEL, b.phys.pa, 8192, ScmPerm.RW)).toBe(true);
    heaps.free(b);
    expect(own.allows(Vmid.HLOS, b.phys.pa, 8192, ScmPerm.RWX)).toBe(true);
    expect(phys.freeBytes).toBe(before);
  });

  it('hyp assign needs the exact current owners and leaks on failed give-back', () => {
    const { heaps, own, phys } = world();
    const b = heaps.alloc(HeapId.CONTIG, 0, 4096);
    expect(() => own.assign(b.phys.chunks, vmBitmap(Vmid.LPASS), [{ vmid: Vmid.LPASS, perm: 7 }])).toThrow(/EINVAL/);
    b.owners = own.assign(b.phys.chunks, vmBitmap(Vmid.HLOS), [
      { vmid: Vmid.LPASS, perm: 7 },
      { vmid: Vmid.ADSP_HEAP, perm: 7 },
    ]);
    expect(b.owners).toBe(vmBitmap(Vmid.LPASS, Vmid.ADSP_HEAP));
    own.refuse = () => true;
    const free = phys.freeBytes;
    heaps.free(b);
    expect(heaps.leaked).toContain(b);
    expect(phys.freeBytes).toBe(free);
  });

  it('fds take the lowest free number; the buffer lives until the last reference', () => {
    const { heaps, fds, phys } = world();
    const before = phys.freeBytes;
    const buf = fds.create(heaps.alloc(HeapId.SYSTEM, 0, 4096), (b) => heaps.free(b.buffer));
    const a = fds.install(buf);
    const b = fds.install(buf);
    buf.put();
    expect([a, b]).toEqual([3, 4]);
    fds.close(a);
    expect(fds.dup(b)).toBe(3);
    fds.close(3);
    expect(buf.isReleased).toBe(false);
    fds.close(b);
    expect(buf.isReleased).toBe(true);
    expect(phys.freeBytes).toBe(before);
    expect(() => fds.close(b)).toThrow(/EBADF/);
  });

  it('rpcmem buffers are CPU-visible at their va and free everything', () => {
    const { rpcmem, vm, phys, fds } = world();
    const before = phys.freeBytes;
    const r = rpcmem.alloc(-1, HeapFlag.CACHED, 10_000)!;
    expect(r.fd).toBeGreaterThan(0);
    expect(rpcmem.toFd(r.va)).toBe(r.fd);
    vm.write(r.va + 4000n, new Uint8Array([5, 6, 7, 8, 9]));
    const chunk = r.buf.buffer.phys.chunks[0]!;
    expect(phys.read(chunk.pa + 4000n, 5)).toEqual(new Uint8Array([5, 6, 7, 8, 9]));
    expect(() => vm.read(r.va + 20_000n, 1)).toThrow(CpuAccessFault);
    rpcmem.free(r.va);
    expect(fds.openFds()).toEqual([]);
    expect(phys.freeBytes).toBe(before);
    expect(rpcmem.alloc(-1, 0, 64 * MiB)).toBeUndefined();
  });

  it(
    'model: random rpcmem alloc/free/dup/close sequences never leak pages or fds',
    () => {
      fc.assert(rpcmemModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
});
