import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import { MemoryOwnership, ScmPerm, Vmid, vmBitmap } from '../../runtime/memory/ownership.ts';
import { DmaBufTable } from '../../runtime/memory/dmabuf.ts';
import { HeapRegistry, HeapId } from '../../runtime/memory/heaps.ts';
import { FastRpcChannel, RemoteMmapFlag, kernelErrorToAee, type KernelPersonality } from '../../runtime/memory/fastrpc-kernel.ts';
import { SimulatedDspMemory, DspCallError, DSP_EUNSUPPORTED } from '../../runtime/memory/dsp-memory.ts';
import { KernelError } from '../../runtime/memory/errno.ts';
import { Aee } from '../../runtime/wire/aee-codes.ts';

const M = 1 << 20;

function setup(personality: KernelPersonality, sessions?: number) {
  const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 32 * M });
  const ownership = new MemoryOwnership();
  const dsp = new SimulatedDspMemory();
  const channel = new FastRpcChannel({ personality, phys, ownership, dsp, ...(sessions ? { sessions } : {}) });
  const fds = new DmaBufTable();
  const heaps = new HeapRegistry(phys, ownership);
  const file = channel.open(fds);
  return { phys, ownership, dsp, channel, fds, heaps, file };
}

function errnoOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelError) return e.errno;
    throw e;
  }
  throw new Error('did not throw');
}

describe('FastRPC kernel mmap, upstream personality', () => {
  it('accepts only ADD_PAGES and REMOTE_HEAP with vaddrin 0', () => {
    const { file } = setup('upstream');
    for (const flags of [0, 4, 6, 0x3000, 0x10000]) expect(errnoOf(() => file.mmap({ fd: -1, flags, vaddrin: 0n, size: 4096n }))).toBe(-22);
    expect(errnoOf(() => file.mmap({ fd: -1, flags: 0x1000, vaddrin: 0x1000n, size: 4096n }))).toBe(-22);
  });

  it('ADD_PAGES: pages on the session context, sid in the device address, DSP sees APPS bytes', () => {
    const { file, dsp, phys } = setup('upstream');
    const raddr = file.mmap({ fd: -1, flags: RemoteMmapFlag.ADD_PAGES, vaddrin: 0n, size: 0x5000n });
    const m = file.maps[0]!;
    expect(m.deviceAddr >> 32n).toBe(BigInt(file.sid));
    expect(Number(m.deviceAddr & 0xffff_ffffn)).toBeGreaterThan(0xff00_0000); // top-down under 4 GiB
    expect(dsp.mappings()[0]!.deviceAddr).toBe(m.deviceAddr);
    file.dspWrite(raddr + 0x4ffen, new Uint8Array([0xaa, 0xbb]));
    const pa = file.session.iovaToPhys((m.deviceAddr & 0xffff_ffffn) + 0x4ffen);
    expect([...phys.read(pa, 2)]).toEqual([0xaa, 0xbb]);
  });

  it('REMOTE_HEAP: contiguous PA without sid, assigned to LPASS+ADSP_HEAP after the DSP accepted', () => {
    const { file, ownership } = setup('upstream');
    file.mmap({ fd: -1, flags: RemoteMmapFlag.REMOTE_HEAP_ADDR, vaddrin: 0n, size: 0x2000n });
    const m = file.maps[0]!;
    expect(m.kind).toBe('phys');
    expect(m.deviceAddr >> 32n).toBe(0n);
    expect(m.owners).toBe(vmBitmap(Vmid.LPASS, Vmid.ADSP_HEAP));
    expect(ownership.allows(Vmid.HLOS, m.deviceAddr, 1, ScmPerm.READ)).toBe(false);
    file.dspWrite(m.raddr, new Uint8Array([1]));
    expect(file.dspRead(m.raddr, 1)[0]).toBe(1);
  });

  it('assign failure undoes the DSP map and frees the memory', () => {
    const { file, ownership, dsp, phys } = setup('upstream');
    const free = phys.freeBytes;
    ownership.refuse = () => true;
    expect(errnoOf(() => file.mmap({ fd: -1, flags: 8, vaddrin: 0n, size: 4096n }))).toBe(-22);
    expect(dsp.mappings()).toHaveLength(0);
    expect(phys.freeBytes).toBe(free);
    expect(file.maps).toHaveLength(0);
  });

  it('DSP failure frees the buffer; MUNMAP needs exact address and size; DSP munmap failure keeps the map', () => {
    const { file, dsp, phys } = setup('upstream');
    const free = phys.freeBytes;
    dsp.failNext.push({ op: 'mmap', code: DSP_EUNSUPPORTED });
    expect(() => file.mmap({ fd: -1, flags: 0x1000, vaddrin: 0n, size: 4096n })).toThrow(DspCallError);
    expect(phys.freeBytes).toBe(free);
    expect(file.session.pt.leafCount()).toBe(0);
    const r = file.mmap({ fd: -1, flags: 0x1000, vaddrin: 0n, size: 0x3000n });
    expect(errnoOf(() => file.munmap({ vaddrout: r, size: 0x2000n }))).toBe(-22);
    dsp.failNext.push({ op: 'munmap', code: 0x8000040e });
    expect(() => file.munmap({ vaddrout: r, size: 0x3000n })).toThrow(DspCallError);
    expect(file.maps).toHaveLength(1);
    file.munmap({ vaddrout: r, size: 0x3000n });
    expect(file.maps).toHaveLength(0);
    expect(phys.freeBytes).toBe(free);
    expect(file.session.iova!.allocations()).toHaveLength(0);
  });

  it('sessions run out with -EBUSY; close frees maps without DSP calls', () => {
    const { channel, fds, file, dsp, phys } = setup('upstream', 2);
    channel.open(fds);
    expect(errnoOf(() => channel.open(fds))).toBe(-16);
    const free = phys.freeBytes;
    file.mmap({ fd: -1, flags: 0x1000, vaddrin: 0n, size: 4096n });
    const before = dsp.calls.munmap;
    file.close();
    expect(dsp.calls.munmap).toBe(before);
    expect(phys.freeBytes).toBe(free);
    expect(channel.open(fds).clientId).toBe(1);
  });
});

describe('FastRPC kernel mmap, downstream personality', () => {
  it('heap maps are global, survive close, and REMOTE_HEAP goes to ADSP_Q6', () => {
    const { file, channel, fds, ownership } = setup('downstream');
    const r4 = file.mmap({ fd: -1, flags: 4, vaddrin: 0n, size: 0x1000n });
    const r8 = file.mmap({ fd: -1, flags: 8, vaddrin: 0n, size: 0x1000n });
    expect(channel.globalMaps.map((m) => m.raddr)).toEqual([r4, r8]);
    expect(channel.globalMaps[1]!.owners).toBe(vmBitmap(Vmid.ADSP_Q6));
    file.close();
    const other = channel.open(fds);
    other.munmap({ vaddrout: r8, size: 0x1000n });
    expect(ownership.allows(Vmid.HLOS, channel.globalMaps[0]!.deviceAddr, 1, ScmPerm.RWX)).toBe(true);
    expect(errnoOf(() => other.munmap({ vaddrout: r8, size: 0x1000n }))).toBe(-25);
    channel.subsystemRestart();
    expect(channel.globalMaps).toHaveLength(0);
  });

  it('user fds are mapped on the SMMU; the same (fd, range, flags) is refcounted', () => {
    const { file, fds, heaps, dsp } = setup('downstream');
    const buf = fds.create(heaps.alloc(HeapId.SYSTEM, 1, 0x4000), (b) => heaps.free(b.buffer));
    const fd = fds.install(buf);
    buf.put();
    const a = file.mmap({ fd, flags: 0, vaddrin: 0x7000_0000n, size: 0x4000n });
    const b = file.mmap({ fd, flags: 0, vaddrin: 0x7000_0000n, size: 0x4000n });
    expect(b).toBe(a);
    expect(dsp.calls.mmap).toBe(1);
    expect(errnoOf(() => file.munmap({ vaddrout: a, size: 0x4000n }))).toBe(-25); // refcount 2
    expect(file.session.iovaToPhys(file.maps[0]!.deviceAddr)).toBe(buf.buffer.phys.chunks[0]!.pa);
  });
});

describe('kernelErrorToAee', () => {
  it('maps errno like the user library and passes DSP codes through', () => {
    expect(kernelErrorToAee(new KernelError(22))).toBe(Aee.EBADPARM);
    expect(kernelErrorToAee(new KernelError(12))).toBe(Aee.ENOMEMORY);
    expect(kernelErrorToAee(new KernelError(25))).toBe(Aee.ERPC);
    expect(kernelErrorToAee(new DspCallError(DSP_EUNSUPPORTED))).toBe(DSP_EUNSUPPORTED);
  });
});

describe('FastRPC kernel, more sessions', () => {
  it('a second process uses its own context bank for DSP accesses (downstream)', () => {
    const { channel, fds, phys } = setup('downstream');
    const second = channel.open(fds);
    const raddr = second.mmap({ fd: -1, flags: 0x1000, vaddrin: 0n, size: 0x1000n });
    second.dspWrite(raddr, new Uint8Array([0x77]));
    const m = second.maps[0]!;
    expect(channel.contexts[0]!.pt.leafCount()).toBe(0);
    expect(phys.read(second.session.iovaToPhys(m.deviceAddr), 1)[0]).toBe(0x77);
  });

  it('SDSP workaround: the window of context bank N starts at (N << 32) + start', () => {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 4 * M });
    const channel = new FastRpcChannel({ personality: 'downstream', phys, sdspWorkaround: true, domain: 'sdsp' });
    const file = channel.open(new DmaBufTable());
    const raddr = file.mmap({ fd: -1, flags: 0x1000, vaddrin: 0n, size: 0x1000n });
    expect(file.maps[0]!.deviceAddr >> 32n).toBe(1n);
    file.dspWrite(raddr, new Uint8Array([5]));
    expect(file.dspRead(raddr, 1)[0]).toBe(5);
  });
});
