import { describe, expect, it } from 'vitest';
import { IommuProt } from '../../runtime/memory/smmu/index.ts';
import { createMemorySystem, type MemorySystemOptions } from '../../runtime/memory/system.ts';
import { AppsMem } from '../../runtime/memory/apps-mem.ts';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { FastRpcMapType } from '../../runtime/memory/fastrpc-kernel.ts';
import { FASTRPC_ATTR_NOMAP } from '../../runtime/memory/fastrpc-user-mem.ts';
import { ScmPerm, Vmid } from '../../runtime/memory/ownership.ts';
import { HeapId } from '../../runtime/memory/heaps.ts';
import { DSP_EUNSUPPORTED } from '../../runtime/memory/dsp-memory.ts';

function aee(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof AeeError) return e.code;
    throw e;
  }
  return Aee.SUCCESS;
}

function sys(opts: MemorySystemOptions = {}) {
  const s = createMemorySystem({ banks: [{ base: 0x8000_0000n, size: 16 << 20 }], ...opts });
  const snapshot = () => ({
    records: s.appsMem.list().length,
    rpcmem: s.rpcmem.liveCount(),
    fds: s.fds.openFds().length,
    free: s.phys.freeBytes,
    kmaps: s.file.maps.length + s.channel.globalMaps.length,
    leaves: s.file.session.pt.leafCount(),
    dsp: s.dsp.mappings().length,
  });
  return { ...s, snapshot };
}

const SYSTEM = HeapId.SYSTEM;

describe('apps_mem request_map64 / request_unmap64', () => {
  it('a domain without its table fails every record call with AEE_ERESOURCENOTFOUND', () => {
    const s = sys();
    const m = new AppsMem({ domain: 0, kernel: s.file, rpcmem: s.rpcmem, vm: s.vm, fds: s.fds, userMem: s.userMem, initialized: false });
    expect(aee(() => m.requestMap64(SYSTEM, 0, 0x1000, 0n, 4096n))).toBe(Aee.ERESOURCENOTFOUND);
    expect(aee(() => m.requestUnmap64(0n, 4096n))).toBe(Aee.ERESOURCENOTFOUND);
    expect(aee(() => m.shareMap(3, 4096))).toBe(Aee.ERESOURCENOTFOUND);
    expect(aee(() => m.requestMap(SYSTEM, 0, 0x1000, 0, 4096))).toBe(Aee.ERESOURCENOTFOUND);
    // dma_handle_* do not consult the table
    expect(aee(() => m.dmaHandleUnmap(5, 4096))).toBe(Aee.ENOSUCHMAP);
    m.init();
    expect(aee(() => m.requestMap64(SYSTEM, 0, 0x1000, 0n, 4096n))).toBe(Aee.SUCCESS);
  });

  it('len < 0 and record allocation failure change nothing', () => {
    const s = sys();
    const before = s.snapshot();
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0x1000, 0n, -1n))).toBe(Aee.EBADPARM);
    s.appsMem.failRecordAlloc = 1;
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0, 0n, 4096n))).toBe(Aee.ENOMEMORY);
    expect(s.snapshot()).toEqual(before);
  });

  it.each([4, 8])('rflags %i: the kernel allocates, vapps 0, unmap by vadsp (downstream)', (rflags) => {
    const s = sys();
    const before = s.snapshot();
    const r = s.appsMem.requestMap64(SYSTEM, 0, rflags, 0xdead_0000n, 0x3000n);
    expect(r.vapps).toBe(0n);
    expect(r.vadsp).not.toBe(0n);
    expect(s.appsMem.list()).toEqual([{ vapps: 0n, vadsp: r.vadsp, size: 0x3000, mapped: false, rflags }]);
    expect(s.channel.globalMaps).toHaveLength(1);
    expect(s.rpcmem.liveCount()).toBe(0);
    s.appsMem.requestUnmap64(r.vadsp, 0x3000n);
    expect(s.snapshot()).toEqual(before);
  });

  it('rflags 8: remote-heap memory is not readable from APPS after the assignment, but the DSP reaches it', () => {
    for (const personality of ['upstream', 'downstream'] as const) {
      const s = sys({ personality });
      const r = s.appsMem.requestMap64(SYSTEM, 0, 8, 0n, 0x2000n);
      const km = [...s.file.maps, ...s.channel.globalMaps][0]!;
      expect(s.ownership.allows(Vmid.HLOS, km.deviceAddr, 1, ScmPerm.READ)).toBe(false);
      s.file.dspWrite(r.vadsp + 0x1000n, new Uint8Array([0x5a]));
      expect(s.file.dspRead(r.vadsp + 0x1000n, 1)[0]).toBe(0x5a);
      s.appsMem.requestUnmap64(r.vadsp, 0x2000n);
      expect(s.ownership.allows(Vmid.HLOS, km.deviceAddr, 0x2000, ScmPerm.RWX)).toBe(true);
    }
  });

  it('rflags 4, 0x3000 and "other" values are rejected by an upstream kernel with nothing left behind', () => {
    const s = sys({ personality: 'upstream', pd: { unsigned: true, userspaceAllocSupported: true } });
    const before = s.snapshot();
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 4, 0n, 4096n))).toBe(Aee.EBADPARM);
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0x3000, 0n, 4096n))).toBe(Aee.EBADPARM);
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0, 0n, 4096n))).toBe(Aee.EBADPARM);
    // unsigned PD with user-space allocation: vaddrin != 0 is refused upstream
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0x1000, 0n, 4096n))).toBe(Aee.EBADPARM);
    expect(s.snapshot()).toEqual(before);
  });

  it('rflags 0x1000: signed PD -> kernel pages (vapps 0); unsigned PD -> rpcmem buffer the DSP shares with APPS', () => {
    const signed = sys({ personality: 'upstream' });
    const a = signed.appsMem.requestMap64(SYSTEM, 0, 0x1000, 0n, 0x4000n);
    expect(a.vapps).toBe(0n);
    expect(signed.rpcmem.liveCount()).toBe(0);
    expect(signed.file.maps[0]!.deviceAddr >> 32n).toBe(BigInt(signed.file.sid));

    const uns = sys({ pd: { unsigned: true, userspaceAllocSupported: true } });
    const b = uns.appsMem.requestMap64(SYSTEM, 1, 0x1000, 0n, 0x4000n);
    expect(b.vapps).not.toBe(0n);
    expect(uns.rpcmem.lookup(b.vapps)).toBeDefined();
    uns.file.dspWrite(b.vadsp + 0x3ffcn, new Uint8Array([1, 2, 3, 4]));
    expect([...uns.vm.read(b.vapps + 0x3ffcn, 4)]).toEqual([1, 2, 3, 4]);
    uns.vm.write(b.vapps, new Uint8Array([9]));
    expect(uns.file.dspRead(b.vadsp, 1)[0]).toBe(9);
    uns.appsMem.requestUnmap64(b.vadsp, 0x4000n);
    expect(uns.rpcmem.liveCount()).toBe(0);
    expect(uns.file.session.pt.leafCount()).toBe(0);

    // unsigned without user-space allocation support: kernel path
    const noUalloc = sys({ pd: { unsigned: true } });
    expect(noUalloc.appsMem.requestMap64(SYSTEM, 0, 0x3000, 0n, 0x1000n).vapps).toBe(0n);
  });

  it('rflags 0x3000 (LLC) on the downstream kernel: kernel pages mapped with the system-cache hint, for any PD', () => {
    for (const pd of [{}, { unsigned: true }]) {
      const s = sys({ pd });
      const llc = s.appsMem.requestMap64(SYSTEM, 0, 0x3000, 0n, 0x2000n);
      const plain = s.appsMem.requestMap64(SYSTEM, 0, 0x1000, 0n, 0x2000n);
      const leafOf = (vadsp: bigint) => {
        const m = s.file.maps.find((x) => x.raddr === vadsp)!;
        return s.file.session.pt.find(Number(m.deviceAddr & 0xffff_ffffn))!;
      };
      expect(leafOf(llc.vadsp).prot & IommuProt.SYS_CACHE).toBe(IommuProt.SYS_CACHE);
      expect(leafOf(plain.vadsp).prot & IommuProt.SYS_CACHE).toBe(0);
      s.appsMem.requestUnmap64(llc.vadsp, 0x2000n);
      s.appsMem.requestUnmap64(plain.vadsp, 0x2000n);
    }
  });

  it('other rflags: APPS always allocates and passes the fd (downstream)', () => {
    const s = sys();
    const r = s.appsMem.requestMap64(SYSTEM, 0, 0, 0n, 0x2000n);
    expect(r.vapps).not.toBe(0n);
    const km = s.file.maps[0]!;
    expect(km.fd).toBe(s.rpcmem.lookup(r.vapps)!.fd);
    expect(km.vaddrin).toBe(r.vapps);
    expect(s.fds.lookup(km.fd)!.name).toBe('dsp');
  });

  it('rflags 0x10000: vadsp is the fd, FD_DELAYED map; unmap goes through fastrpc_munmap', () => {
    const s = sys({ personality: 'upstream' });
    const before = s.snapshot();
    const r = s.appsMem.requestMap64(SYSTEM, 0, 0x10000, 0n, 0x1000n);
    const fd = s.rpcmem.lookup(r.vapps)!.fd;
    expect(r.vadsp).toBe(BigInt(fd));
    expect(s.userMem.mapped(0)).toMatchObject([{ fd, flags: FastRpcMapType.FD_DELAYED }]);
    expect(s.dsp.mappings()).toHaveLength(0); // the DSP maps it later
    expect(s.file.session.pt.leafCount()).toBe(1);
    s.appsMem.requestUnmap64(r.vadsp, 0x1000n);
    expect(s.snapshot()).toEqual(before);
    expect(aee(() => s.appsMem.requestUnmap64(r.vadsp, 0x1000n))).toBe(Aee.ENOSUCHMAP);
  });

  it('rpcmem failure -> AEE_ENORPCMEMORY; kernel errors propagate as AEE codes; nothing left behind', () => {
    const s = sys();
    const before = s.snapshot();
    s.rpcmem.failNext = 1;
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0x10000, 0n, 4096n))).toBe(Aee.ENORPCMEMORY);
    s.rpcmem.failNext = 1;
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 6, 0n, 4096n))).toBe(Aee.ENORPCMEMORY);
    expect(aee(() => s.appsMem.requestMap64(77, 0, 6, 0n, 4096n))).toBe(Aee.ENORPCMEMORY);
    s.dsp.failNext.push({ op: 'mmap', code: DSP_EUNSUPPORTED });
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 0, 0n, 4096n))).toBe(DSP_EUNSUPPORTED);
    expect(aee(() => s.appsMem.requestMap64(SYSTEM, 0, 4, 0n, 64n << 20n))).toBe(Aee.ENOMEMORY);
    expect(s.snapshot()).toEqual(before);
  });

  it('unmap: lookup by vadsp only, failed kernel unmap keeps the record, audio PD unmaps without a record', () => {
    const s = sys({ personality: 'upstream' });
    const r = s.appsMem.requestMap64(SYSTEM, 0, 0x1000, 0n, 0x2000n);
    // wrong len: found locally, the kernel refuses (upstream needs the exact size)
    expect(aee(() => s.appsMem.requestUnmap64(r.vadsp, 0x1000n))).toBe(Aee.EBADPARM);
    s.dsp.failNext.push({ op: 'munmap', code: 0x8000_0401 });
    expect(aee(() => s.appsMem.requestUnmap64(r.vadsp, 0x2000n))).toBe(0x8000_0401);
    expect(s.appsMem.list()).toHaveLength(1);
    s.appsMem.requestUnmap64(r.vadsp, 0x2000n);
    expect(s.appsMem.list()).toHaveLength(0);
    expect(aee(() => s.appsMem.requestUnmap64(r.vadsp, 0x2000n))).toBe(Aee.ENOSUCHMAP);

    const audio = sys({ pd: { audioStaticPd: true } });
    const h = audio.appsMem.requestMap64(SYSTEM, 0, 8, 0n, 0x1000n);
    // daemon restart: a fresh apps_mem without records, the kernel's global map is still there
    const fresh = new AppsMem({
      domain: 0,
      kernel: audio.file,
      rpcmem: audio.rpcmem,
      vm: audio.vm,
      fds: audio.fds,
      userMem: audio.userMem,
      pd: { audioStaticPd: true },
    });
    fresh.requestUnmap64(h.vadsp, 0x1000n);
    expect(audio.channel.globalMaps).toHaveLength(0);
    expect(aee(() => fresh.requestUnmap64(h.vadsp, 0x1000n))).toBe(Aee.ERPC); // kernel -ENOTTY
  });

  it('32-bit variants widen inputs and truncate outputs', () => {
    const s = sys();
    const r = s.appsMem.requestMap(SYSTEM, 0, 0, 0xffff_ffff, 0x1000);
    expect(r.vapps).toBe(Number(s.appsMem.list()[0]!.vapps & 0xffff_ffffn));
    expect(typeof r.vadsp).toBe('number');
    expect(aee(() => s.appsMem.requestMap(SYSTEM, 0, 0, 0, -1))).toBe(Aee.EBADPARM);
    s.appsMem.requestUnmap(r.vadsp, 0x1000);
    expect(s.appsMem.list()).toHaveLength(0);
  });
});

describe('apps_mem share_map / dma_handle_map', () => {
  function withFd(s: ReturnType<typeof sys>, size: number) {
    const buf = s.fds.create(s.heaps.alloc(SYSTEM, 1, size), (b) => s.heaps.free(b.buffer));
    const fd = s.fds.install(buf);
    buf.put();
    return fd;
  }

  it('share_map maps the caller fd for APPS and DSP; share_unmap undoes both', () => {
    const s = sys();
    const fd = withFd(s, 0x3000);
    expect(aee(() => s.appsMem.shareMap(0, 0x1000))).toBe(Aee.EBADPARM);
    expect(aee(() => s.appsMem.shareMap(99, 0x1000))).toBe(Aee.ERPC);
    expect(aee(() => s.appsMem.shareMap(fd, 0x4000))).toBe(Aee.ERPC);
    const vms = s.vm.mappingCount();
    const r = s.appsMem.shareMap(fd, 0x3000);
    expect(s.appsMem.list()[0]).toMatchObject({ mapped: true, size: 0x3000 });
    s.file.dspWrite(r.vadsp + 0x2000n, new Uint8Array([7, 7]));
    expect([...s.vm.read(r.vapps + 0x2000n, 2)]).toEqual([7, 7]);
    s.appsMem.shareUnmap(r.vadsp, 0x3000);
    expect(s.vm.mappingCount()).toBe(vms);
    expect(s.fds.lookup(fd)!.refCount).toBe(1);
  });

  it('share_map against an upstream kernel fails (flags 0) and unmaps the APPS side', () => {
    const s = sys({ personality: 'upstream' });
    const fd = withFd(s, 0x1000);
    const vms = s.vm.mappingCount();
    expect(aee(() => s.appsMem.shareMap(fd, 0x1000))).toBe(Aee.EBADPARM);
    expect(s.vm.mappingCount()).toBe(vms);
    expect(s.appsMem.list()).toHaveLength(0);
  });

  it('dma_handle_map: argument checks, offset must be 0, EALREADY, NOMAP registration', () => {
    const s = sys({ personality: 'upstream' });
    const fd = withFd(s, 0x2000);
    expect(aee(() => s.appsMem.dmaHandleMap(0, 0, 0x1000))).toBe(Aee.EBADPARM);
    expect(aee(() => s.appsMem.dmaHandleMap(fd, 0, 0))).toBe(Aee.EBADPARM);
    expect(aee(() => s.appsMem.dmaHandleMap(fd, 0x1000, 0x1000))).toBe(Aee.EBADPARM);
    s.appsMem.dmaHandleMap(fd, 0, 0x2000);
    expect(s.userMem.mapped(0)[0]).toMatchObject({ fd, flags: FastRpcMapType.FD_DELAYED });
    expect(aee(() => s.appsMem.dmaHandleMap(fd, 0, 0x2000))).toBe(Aee.EALREADY);
    s.appsMem.dmaHandleUnmap(fd, 0x2000);
    expect(aee(() => s.appsMem.dmaHandleUnmap(fd, 0x2000))).toBe(Aee.ENOSUCHMAP);

    s.userMem.registerDmaHandle(fd, 0x1000, FASTRPC_ATTR_NOMAP);
    expect(aee(() => s.appsMem.dmaHandleMap(fd, 0, 0x2000))).toBe(Aee.EBADPARM);
    s.userMem.registerDmaHandle(fd, 0x1000, FASTRPC_ATTR_NOMAP);
    s.appsMem.dmaHandleMap(fd, 0, 0x1000);
    expect(s.userMem.mapped(0)[0]).toMatchObject({ fd, flags: FastRpcMapType.FD_NOMAP });
    expect(s.file.session.pt.leafCount()).toBe(1);
  });

  it('the DMA handle registry holds 256 fds', () => {
    const s = sys();
    for (let fd = 1; fd <= 256; fd++) s.userMem.registerDmaHandle(fd, 4096);
    expect(aee(() => s.userMem.registerDmaHandle(300, 4096))).toBe(Aee.EINVHANDLE);
    s.userMem.registerDmaHandle(5, 4096); // known fd: one more use
    expect(aee(() => s.userMem.registerDmaHandle(6, 4096, 2))).toBe(Aee.EBADPARM);
  });
});
