import { Aee } from '../wire/aee-codes.ts';
import type { DmaBuf, DmaBufTable } from './dmabuf.ts';
import { SimulatedDspMemory, DspCallError, type DeviceAddressKind, type DspMemoryService } from './dsp-memory.ts';
import { Errno, KernelError } from './errno.ts';
import { MemoryOwnership, ScmPerm, Vmid, vmBitmap } from './ownership.ts';
import { PAGE_SIZE, type PhysAllocation, type PhysicalMemory } from './phys.ts';
import { ContextBank, SmmuFault } from './smmu/context.ts';
import { ARM_LPAE_4K, IommuProt } from './smmu/formats.ts';
import { DSP_IOVA_WINDOWS, type IovaAllocatorOptions } from './smmu/iova-allocator.ts';
import { physPieces } from './apps-vm.ts';

/** rflags of FASTRPC_IOCTL_MMAP. */
export const RemoteMmapFlag = {
  HEAP_ADDR: 4,
  DMA_BUFFER: 6,
  REMOTE_HEAP_ADDR: 8,
  ADD_PAGES: 0x1000,
  ADD_PAGES_LLC: 0x3000,
  PERSIST_HDR: 0x4000,
  /** userspace only: allocate an HLOS fd, no DSP map yet. */
  ALLOC_HLOS_FD: 0x10000,
} as const;

/** Map types of FASTRPC_IOCTL_MEM_MAP / fastrpc_mmap. */
export const FastRpcMapType = { STATIC: 0, RESERVED: 1, FD: 2, FD_DELAYED: 3, FD_NOMAP: 16, MAX: 17 } as const;

export type KernelPersonality = 'upstream' | 'downstream';

/** Client id the DSP files static-PD heap maps under (downstream global maps). */
export const STATIC_PD_CLIENT = 0;

export interface KernelMap {
  readonly id: number;
  readonly flags: number;
  readonly fd: number;
  /** Requested size (what MUNMAP must match on upstream). */
  readonly size: number;
  /** DSP virtual address returned to user space. */
  readonly raddr: bigint;
  /** Address sent to the DSP: IOVA | sid<<32, or a PA. */
  readonly deviceAddr: bigint;
  readonly kind: DeviceAddressKind;
  readonly global: boolean;
  readonly clientId: number;
  refs: number;
  /** Owner bitmap after a hyp assignment (HLOS-only otherwise). */
  owners: bigint;
  /** Pages the kernel allocated itself (undefined for user fds). */
  readonly own?: PhysAllocation;
  readonly dmabuf?: DmaBuf;
  /** IOVA range mapped on the session context, if any. */
  readonly iova?: { iova: bigint; size: number };
  /** For MEM_MAP maps: the map type. */
  readonly mapType?: number;
  readonly vaddrin: bigint;
}

export interface FastRpcChannelOptions {
  readonly personality: KernelPersonality;
  readonly phys: PhysicalMemory;
  readonly ownership?: MemoryOwnership;
  readonly dsp?: DspMemoryService;
  readonly domain?: string;
  /** Sessions (context banks): 14 upstream, 9 downstream by default. */
  readonly sessions?: number;
  /** IOVA window per session context bank. */
  readonly window?: IovaAllocatorOptions;
  /** VMIDs remote-heap memory is assigned to (upstream DT qcom,vmids). */
  readonly remoteHeapVmids?: readonly number[];
  /**
   * Upstream MUNMAP of a remote-heap buffer frees it without giving it back to HLOS in
   * the version read (the pages stay assigned to the DSP VMs). false models that leak;
   * true (default) gives the memory back first.
   */
  readonly giveBackRemoteHeap?: boolean;
  /**
   * Downstream SDSP workaround: each context bank's window starts at start + (cb << 32)
   * (34-bit DMA mask), so device addresses carry the context-bank number.
   */
  readonly sdspWorkaround?: boolean;
}

/**
 * One FastRPC channel (/dev/fastrpc-<domain>): its session context banks, the DSP, and
 * (downstream) the global list of heap maps that outlive processes.
 */
export class FastRpcChannel {
  readonly personality: KernelPersonality;
  readonly phys: PhysicalMemory;
  readonly ownership: MemoryOwnership;
  readonly dsp: DspMemoryService;
  readonly domain: string;
  readonly contexts: ContextBank[];
  readonly remoteHeapVmids: readonly number[];
  readonly giveBackRemoteHeap: boolean;
  /** Downstream HEAP_ADDR / REMOTE_HEAP maps, shared by every process. */
  readonly globalMaps: KernelMap[] = [];
  private readonly used: boolean[];
  private nextMapId = 1;

  constructor(opts: FastRpcChannelOptions) {
    this.personality = opts.personality;
    this.phys = opts.phys;
    this.ownership = opts.ownership ?? new MemoryOwnership();
    this.dsp = opts.dsp ?? new SimulatedDspMemory();
    this.domain = opts.domain ?? 'adsp';
    const n = opts.sessions ?? (opts.personality === 'upstream' ? 14 : 9);
    const window = opts.window ?? (opts.personality === 'upstream' ? DSP_IOVA_WINDOWS.upstream : DSP_IOVA_WINDOWS.downstream);
    this.contexts = Array.from({ length: n }, (_, i) => {
      const w = opts.sdspWorkaround ? { ...window, start: window.start + (i + 1) * 2 ** 32 } : window;
      return new ContextBank({
        name: `${this.domain}-cb${i + 1}`,
        index: i,
        sid: i + 1,
        format: ARM_LPAE_4K,
        window: w,
        phys: opts.phys,
        stall: false,
      });
    });
    this.used = new Array<boolean>(n).fill(false);
    this.remoteHeapVmids = opts.remoteHeapVmids ?? (opts.personality === 'upstream' ? [Vmid.LPASS, Vmid.ADSP_HEAP] : [Vmid.ADSP_Q6]);
    this.giveBackRemoteHeap = opts.giveBackRemoteHeap ?? true;
  }

  /** open(/dev/fastrpc-*): first free session; none -> -EBUSY. */
  open(fds: DmaBufTable): FastRpcFile {
    const i = this.used.indexOf(false);
    if (i < 0) throw new KernelError(Errno.EBUSY, `no free session on ${this.domain}`);
    this.used[i] = true;
    return new FastRpcFile(this, fds, i, this.contexts[i]!);
  }

  /** @internal */
  release(index: number): void {
    this.used[index] = false;
  }

  /** @internal */
  newMapId(): number {
    return this.nextMapId++;
  }

  /** Downstream subsystem restart: every global heap map is reclaimed. */
  subsystemRestart(): void {
    for (const m of this.globalMaps.splice(0)) this.releaseGlobal(m);
  }

  /** @internal frees a global (CMA) map's memory, giving it back to HLOS first. */
  releaseGlobal(m: KernelMap): void {
    if (!m.own) return;
    if (m.owners !== vmBitmap(Vmid.HLOS)) {
      try {
        m.owners = this.ownership.assign(m.own.chunks, m.owners, [{ vmid: Vmid.HLOS, perm: ScmPerm.RWX }]);
      } catch {
        return; // cannot give it back: leaked on purpose
      }
    }
    this.phys.free(m.own.pa);
  }

  /**
   * DSP-side access by device address: sid bits select the session context bank; a
   * physical address must be owned by one of the DSP's VMIDs (or HLOS for unprotected heaps).
   */
  deviceAccess(deviceAddr: bigint, kind: DeviceAddressKind, len: number, data?: Uint8Array, session?: ContextBank): Uint8Array {
    if (kind === 'iova') {
      const sid = Number(deviceAddr >> 32n);
      const ctx =
        this.personality === 'upstream' ? this.contexts.find((c) => c.sid === sid) : (session ?? this.contexts.find((c) => c.sid === sid));
      if (!ctx) throw new KernelError(Errno.EFAULT, `no context bank for device address 0x${deviceAddr.toString(16)}`);
      const iova = this.personality === 'upstream' ? deviceAddr & 0xffff_ffffn : deviceAddr;
      if (data) {
        ctx.write(iova, data);
        return data;
      }
      return ctx.read(iova, len);
    }
    // The DSP reaches physical memory as any of its VMs; the refusal goes through the one check.
    const vmids = [...this.remoteHeapVmids, Vmid.HLOS];
    const write = data !== undefined;
    const perm = write ? ScmPerm.WRITE : ScmPerm.READ;
    if (!vmids.some((v) => this.ownership.allows(v, deviceAddr, len, perm))) {
      this.ownership.check({ path: 'device', vmid: vmids[0]!, pa: deviceAddr, len, write, by: `${this.domain} DSP` });
      throw new KernelError(Errno.EFAULT, `DSP has no stage-2 access to PA 0x${deviceAddr.toString(16)}`);
    }
    if (data) {
      this.phys.write(deviceAddr, data);
      return data;
    }
    return this.phys.read(deviceAddr, len);
  }
}

/**
 * One open of /dev/fastrpc-<domain> by one process: its session, its mmap list, and the
 * MMAP / MUNMAP / MEM_MAP / MEM_UNMAP ioctls. Failures throw KernelError (negative errno)
 * or DspCallError (the DSP's code, passed through).
 */
export class FastRpcFile {
  readonly maps: KernelMap[] = [];
  readonly clientId: number;
  readonly sid: number;
  private closed = false;

  constructor(
    readonly channel: FastRpcChannel,
    readonly fds: DmaBufTable,
    readonly sessionIndex: number,
    readonly session: ContextBank,
  ) {
    this.clientId = sessionIndex + 1;
    this.sid = session.sid;
  }

  get personality(): KernelPersonality {
    return this.channel.personality;
  }

  /** FASTRPC_IOCTL_MMAP. */
  mmap(req: { fd: number; flags: number; vaddrin: bigint; size: bigint }): bigint {
    this.checkOpen();
    if (req.size <= 0n || req.size > 0x7fff_ffffn) throw new KernelError(Errno.EINVAL, `size ${req.size}`);
    const size = Number(req.size);
    return this.personality === 'upstream'
      ? this.mmapUpstream(req.fd, req.flags, req.vaddrin, size)
      : this.mmapDownstream(req.fd, req.flags, req.vaddrin, size);
  }

  /** FASTRPC_IOCTL_MUNMAP. */
  munmap(req: { vaddrout: bigint; size: bigint }): void {
    this.checkOpen();
    const size = Number(req.size);
    if (this.personality === 'upstream') {
      const i = this.maps.findIndex((m) => m.raddr === req.vaddrout && m.size === size && m.mapType === undefined);
      if (i < 0) throw new KernelError(Errno.EINVAL, `no mapping at 0x${req.vaddrout.toString(16)} of ${size} bytes`);
      const m = this.maps[i]!;
      this.channel.dsp.munmap(m.clientId, m.raddr, m.size); // DSP failure: the map stays
      this.maps.splice(i, 1);
      this.releaseMap(m, this.channel.giveBackRemoteHeap);
      return;
    }
    // downstream: exact (raddr, len), refcount 1, global list searched too
    const match = (m: KernelMap) => m.raddr === req.vaddrout && m.size === size && m.refs === 1 && m.mapType === undefined;
    let list = this.channel.globalMaps;
    let i = list.findIndex(match);
    if (i < 0) {
      list = this.maps;
      i = list.findIndex(match);
    }
    if (i < 0) throw new KernelError(Errno.ENOTTY, `no mapping at 0x${req.vaddrout.toString(16)} of ${size} bytes`);
    const [m] = list.splice(i, 1);
    try {
      this.channel.dsp.munmap(m!.clientId, m!.raddr, m!.size);
    } catch (e) {
      list.splice(i, 0, m!); // re-inserted on DSP failure
      throw e;
    }
    this.releaseMap(m!, true);
  }

  /** FASTRPC_IOCTL_MEM_MAP (fd-tagged map, fastrpc_mmap in user space). */
  memMap(req: { fd: number; offset: number; flags: number; attrs: number; vaddrin: bigint; length: number }): bigint {
    this.checkOpen();
    if (req.offset !== 0) throw new KernelError(Errno.EINVAL, 'offset must be 0');
    const buf = this.fds.lookup(req.fd);
    if (!buf) throw new KernelError(Errno.EBADF, `fd ${req.fd}`);
    if (req.length <= 0 || req.length > buf.size) throw new KernelError(Errno.EINVAL, `length ${req.length} of a ${buf.size}-byte buffer`);
    if (this.maps.some((m) => m.mapType !== undefined && m.fd === req.fd))
      throw new KernelError(Errno.EEXIST, `fd ${req.fd} already mapped`);
    buf.get();
    let iova: bigint;
    try {
      iova = this.session.mapChunks(physPieces(buf.buffer.phys.chunks, 0, pageUp(req.length)));
    } catch (e) {
      buf.put();
      throw e;
    }
    const deviceAddr = this.deviceAddress(iova);
    let raddr = 0n;
    // FD_DELAYED / FD_NOMAP: only the SMMU mapping now; the DSP maps it when it is used.
    if (req.flags !== FastRpcMapType.FD_DELAYED && req.flags !== FastRpcMapType.FD_NOMAP) {
      try {
        raddr = this.channel.dsp.mmap({
          clientId: this.clientId,
          flags: req.flags,
          vaddrin: req.vaddrin,
          deviceAddr,
          kind: 'iova',
          size: req.length,
        });
      } catch (e) {
        this.session.unmapChunks(iova, pageUp(req.length));
        buf.put();
        throw e;
      }
    }
    this.maps.push({
      id: this.channel.newMapId(),
      flags: 0,
      fd: req.fd,
      size: req.length,
      raddr,
      deviceAddr,
      kind: 'iova',
      global: false,
      clientId: this.clientId,
      refs: 1,
      owners: vmBitmap(Vmid.HLOS),
      dmabuf: buf,
      iova: { iova, size: pageUp(req.length) },
      mapType: req.flags,
      vaddrin: req.vaddrin,
    });
    return raddr;
  }

  /** FASTRPC_IOCTL_MEM_UNMAP: by fd; unknown -> -EINVAL. */
  memUnmap(req: { fd: number; vaddrout: bigint; length: number }): void {
    this.checkOpen();
    const i = this.maps.findIndex((m) => m.mapType !== undefined && m.fd === req.fd);
    if (i < 0) throw new KernelError(Errno.EINVAL, `fd ${req.fd} is not mapped`);
    const m = this.maps[i]!;
    if (m.raddr !== 0n) this.channel.dsp.munmap(this.clientId, m.raddr, m.size);
    this.maps.splice(i, 1);
    this.releaseMap(m, true);
  }

  /** DSP-visible address of an IOVA on this session. */
  deviceAddress(iova: bigint): bigint {
    return this.personality === 'upstream' ? iova + (BigInt(this.sid) << 32n) : iova;
  }

  /**
   * close(): upstream releases the DSP process, then frees every remaining map locally
   * with no per-map DSP call; downstream global heap maps survive.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.channel.dsp instanceof SimulatedDspMemory) this.channel.dsp.dropClient(this.clientId);
    for (const m of this.maps.splice(0)) this.releaseMap(m, true);
    this.session.reset();
    this.channel.release(this.sessionIndex);
  }

  /** A DSP load/store at a DSP virtual address this process mapped (faults included). */
  dspRead(vaddr: bigint, len: number): Uint8Array {
    const { addr, kind } = this.dspTranslate(vaddr);
    return this.channel.deviceAccess(addr, kind, len, undefined, this.session);
  }

  dspWrite(vaddr: bigint, data: Uint8Array): void {
    const { addr, kind } = this.dspTranslate(vaddr);
    this.channel.deviceAccess(addr, kind, data.length, data, this.session);
  }

  private dspTranslate(vaddr: bigint): { addr: bigint; kind: DeviceAddressKind } {
    const all = [...this.maps, ...this.channel.globalMaps];
    const m = all.find((x) => x.raddr !== 0n && vaddr >= x.raddr && vaddr < x.raddr + BigInt(x.size));
    if (!m)
      throw new SmmuFault({
        iova: vaddr,
        write: false,
        kind: 'unmapped',
        handlerResult: 0,
        outcome: 'terminate',
        context: `${this.channel.domain} PD ${this.clientId}`,
      });
    return { addr: m.deviceAddr + (vaddr - m.raddr), kind: m.kind };
  }

  private checkOpen(): void {
    if (this.closed) throw new KernelError(Errno.EBADF, 'fastrpc device closed');
  }

  private mmapUpstream(_fd: number, flags: number, vaddrin: bigint, size: number): bigint {
    if (flags !== RemoteMmapFlag.ADD_PAGES && flags !== RemoteMmapFlag.REMOTE_HEAP_ADDR)
      throw new KernelError(Errno.EINVAL, `flag 0x${flags.toString(16)} not supported`);
    if (vaddrin !== 0n) throw new KernelError(Errno.EINVAL, 'user-allocated pages are not supported');
    const remoteHeap = flags === RemoteMmapFlag.REMOTE_HEAP_ADDR;
    let own: PhysAllocation;
    let iova: { iova: bigint; size: number } | undefined;
    let deviceAddr: bigint;
    try {
      if (remoteHeap) {
        own = this.channel.phys.allocContiguous(size);
        deviceAddr = own.pa;
      } else {
        own = this.channel.phys.allocScattered(size);
        const io = this.mapOnSession(own);
        iova = { iova: io, size: own.size };
        deviceAddr = this.deviceAddress(io);
      }
    } catch (e) {
      throw e instanceof KernelError && e.errno === -Errno.ENOMEM ? e : new KernelError(Errno.ENOMEM, String(e));
    }
    this.channel.phys.zero(own);
    let raddr: bigint;
    try {
      raddr = this.channel.dsp.mmap({ clientId: this.clientId, flags, vaddrin, deviceAddr, kind: remoteHeap ? 'phys' : 'iova', size });
    } catch (e) {
      this.freeOwn(own, iova);
      throw e;
    }
    let owners = vmBitmap(Vmid.HLOS);
    if (remoteHeap && this.channel.remoteHeapVmids.length > 0) {
      try {
        owners = this.channel.ownership.assign(
          own.chunks,
          owners,
          this.channel.remoteHeapVmids.map((vmid) => ({ vmid, perm: ScmPerm.RWX })),
        );
      } catch (e) {
        try {
          this.channel.dsp.munmap(this.clientId, raddr, size);
        } catch {
          /* the assign error is what the caller sees */
        }
        this.freeOwn(own, iova);
        throw e;
      }
    }
    this.maps.push({
      id: this.channel.newMapId(),
      flags,
      fd: -1,
      size,
      raddr,
      deviceAddr,
      kind: remoteHeap ? 'phys' : 'iova',
      global: false,
      clientId: this.clientId,
      refs: 1,
      owners,
      own,
      ...(iova ? { iova } : {}),
      vaddrin,
    });
    return raddr;
  }

  private mmapDownstream(fd: number, flags: number, vaddrin: bigint, size: number): bigint {
    const heap = flags === RemoteMmapFlag.HEAP_ADDR || flags === RemoteMmapFlag.REMOTE_HEAP_ADDR;
    const kernelPages = heap || ((flags === RemoteMmapFlag.ADD_PAGES || flags === RemoteMmapFlag.ADD_PAGES_LLC) && fd <= 0);
    if (!kernelPages) {
      // Same (fd, range, flags) already mapped: one more reference, no DSP call.
      const dup = this.maps.find(
        (m) => m.fd === fd && m.vaddrin === vaddrin && m.size === size && m.flags === flags && m.mapType === undefined,
      );
      if (dup) {
        dup.refs++;
        return dup.raddr;
      }
    }
    let own: PhysAllocation | undefined;
    let dmabuf: DmaBuf | undefined;
    let iova: { iova: bigint; size: number } | undefined;
    let deviceAddr: bigint;
    let kind: DeviceAddressKind = 'iova';
    if (heap) {
      own = this.channel.phys.allocContiguous(size); // adsprpc-mem CMA
      this.channel.phys.zero(own);
      deviceAddr = own.pa;
      kind = 'phys';
    } else if (kernelPages) {
      own = this.channel.phys.allocScattered(size);
      this.channel.phys.zero(own);
      try {
        // LLC pages differ from ADD_PAGES only by the system-cache hint on their mapping; the
        // msm-4.19 driver checks no privilege for them.
        const io = this.mapOnSession(own, flags === RemoteMmapFlag.ADD_PAGES_LLC ? IommuProt.SYS_CACHE : 0);
        iova = { iova: io, size: own.size };
        deviceAddr = io;
      } catch (e) {
        this.channel.phys.free(own.pa);
        throw e;
      }
    } else {
      const b = this.fds.lookup(fd);
      if (!b) throw new KernelError(Errno.EBADF, `fd ${fd} is not a dma-buf`);
      if (size > b.size) throw new KernelError(Errno.EINVAL, `size ${size} beyond the ${b.size}-byte buffer`);
      dmabuf = b.get();
      try {
        const io = this.session.mapChunks(physPieces(b.buffer.phys.chunks, 0, pageUp(size)));
        iova = { iova: io, size: pageUp(size) };
        deviceAddr = io;
      } catch (e) {
        dmabuf.put();
        throw e;
      }
    }
    // Heap maps grow the static (audio) PD's heap, not this process.
    const owner = heap ? STATIC_PD_CLIENT : this.clientId;
    let raddr: bigint;
    try {
      raddr = this.channel.dsp.mmap({ clientId: owner, flags, vaddrin, deviceAddr, kind, size });
    } catch (e) {
      this.undo(own, iova, dmabuf);
      throw e;
    }
    let owners = vmBitmap(Vmid.HLOS);
    if (flags === RemoteMmapFlag.REMOTE_HEAP_ADDR) {
      try {
        owners = this.channel.ownership.assign(
          own!.chunks,
          owners,
          this.channel.remoteHeapVmids.map((vmid) => ({ vmid, perm: ScmPerm.RWX })),
        );
      } catch (e) {
        try {
          this.channel.dsp.munmap(owner, raddr, size);
        } catch {
          /* keep the assign error */
        }
        this.undo(own, iova, dmabuf);
        throw e;
      }
    }
    const m: KernelMap = {
      id: this.channel.newMapId(),
      flags,
      fd,
      size,
      raddr,
      deviceAddr,
      kind,
      global: heap,
      clientId: owner,
      refs: 1,
      owners,
      ...(own ? { own } : {}),
      ...(dmabuf ? { dmabuf } : {}),
      ...(iova ? { iova } : {}),
      vaddrin,
    };
    (heap ? this.channel.globalMaps : this.maps).push(m);
    return raddr;
  }

  private mapOnSession(own: PhysAllocation, extraProt = 0): bigint {
    return this.session.mapChunks(own.chunks, IommuProt.READ | IommuProt.WRITE | extraProt);
  }

  private undo(own: PhysAllocation | undefined, iova: { iova: bigint; size: number } | undefined, dmabuf: DmaBuf | undefined): void {
    if (iova) this.session.unmapChunks(iova.iova, iova.size);
    if (own) this.channel.phys.free(own.pa);
    dmabuf?.put();
  }

  private freeOwn(own: PhysAllocation, iova: { iova: bigint; size: number } | undefined): void {
    if (iova) this.session.unmapChunks(iova.iova, iova.size);
    this.channel.phys.free(own.pa);
  }

  private releaseMap(m: KernelMap, giveBack: boolean): void {
    if (m.iova) this.session.unmapChunks(m.iova.iova, m.iova.size);
    if (m.own) {
      if (m.owners !== vmBitmap(Vmid.HLOS)) {
        if (!giveBack) return; // freed while still assigned away: never reused here
        try {
          m.owners = this.channel.ownership.assign(m.own.chunks, m.owners, [{ vmid: Vmid.HLOS, perm: ScmPerm.RWX }]);
        } catch {
          return; // cannot give back: leak
        }
      }
      this.channel.phys.free(m.own.pa);
    }
    m.dmabuf?.put();
  }
}

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * User-space view of an ioctl failure (fastrpc's convert_kernel_to_user_error): an errno
 * becomes an AEE code; an error code from the DSP passes through unchanged.
 */
export function kernelErrorToAee(e: unknown): number {
  if (e instanceof DspCallError) return e.code;
  if (!(e instanceof KernelError)) throw e;
  switch (-e.errno) {
    case Errno.EIO:
    case Errno.EADDRNOTAVAIL:
    case Errno.ENOTTY:
      return Aee.ERPC;
    case Errno.EFAULT:
    case Errno.EINVAL:
    case Errno.EBADF:
    case Errno.EEXIST:
      return Aee.EBADPARM;
    case Errno.ENXIO:
    case Errno.ENODEV:
      return Aee.ENOSUCHDEVICE;
    case Errno.ENOMEM:
      return Aee.ENOMEMORY;
    case Errno.ETIMEDOUT:
      return Aee.EEXPIRED;
    case Errno.EPERM:
      return Aee.EBADPERMS;
    default:
      return Aee.ERPC;
  }
}
