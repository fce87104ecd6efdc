import type { AppsMem as GeneratedAppsMem } from '../interfaces/apps_mem.ts';
import { Aee, AeeError } from '../wire/aee-codes.ts';
import type { AppsAddressSpace } from './apps-vm.ts';
import type { DmaBufTable } from './dmabuf.ts';
import { KernelError } from './errno.ts';
import { DspCallError } from './dsp-memory.ts';
import { FastRpcMapType, RemoteMmapFlag, kernelErrorToAee, type FastRpcFile } from './fastrpc-kernel.ts';
import { FASTRPC_ATTR_NOMAP, type FastRpcUserMem } from './fastrpc-user-mem.ts';
import type { RpcMem } from './rpcmem.ts';

/**
 * The synchronous shape of the interface generated from idl/apps_mem.idl (module apps,
 * interface mem); the class below implements both.
 */
export interface AppsMemInterface {
  requestMap(heapid: number, ionFlags: number, rflags: number, vin: number, len: number): { vapps: number; vadsp: number };
  requestUnmap(vadsp: number, len: number): void;
  requestMap64(heapid: number, ionFlags: number, rflags: number, vin: bigint, len: bigint): { vapps: bigint; vadsp: bigint };
  requestUnmap64(vadsp: bigint, len: bigint): void;
  shareMap(fd: number, size: number): { vapps: bigint; vadsp: bigint };
  shareUnmap(vadsp: bigint, size: number): void;
  dmaHandleMap(fd: number, offset: number, size: number): void;
  dmaHandleUnmap(fd: number, size: number): void;
}

/** One tracked mapping (apps_mem's mem_info). */
export interface AppsMemRecord {
  readonly vapps: bigint;
  readonly vadsp: bigint;
  /** Stored as a 32-bit int, as the C record does. */
  readonly size: number;
  /** true for share_map records (APPS side is an mmap of the caller's fd). */
  readonly mapped: boolean;
  readonly rflags: number;
}

/** The protection domain on the DSP the calls come from. */
export interface AppsMemPd {
  /** Unsigned (user) PD: ADD_PAGES memory is allocated in user space if supported. */
  readonly unsigned?: boolean;
  readonly userspaceAllocSupported?: boolean;
  /** Audio static PD: unmaps with no record still reach the kernel. */
  readonly audioStaticPd?: boolean;
}

export interface AppsMemOptions {
  readonly domain: number;
  /** The domain's open FastRPC device (session). */
  readonly kernel: FastRpcFile;
  readonly rpcmem: RpcMem;
  readonly vm: AppsAddressSpace;
  readonly fds: DmaBufTable;
  readonly userMem: FastRpcUserMem;
  readonly pd?: AppsMemPd;
  /** apps_mem_init ran for this domain (false: every table call fails). */
  readonly initialized?: boolean;
}

function aeeFromKernel(e: unknown): AeeError {
  if (e instanceof AeeError) return e;
  if (e instanceof KernelError || e instanceof DspCallError) return new AeeError(kernelErrorToAee(e), e.message);
  throw e;
}

/**
 * apps_mem on the application processor for one DSP domain: allocates with rpcmem or
 * has the kernel allocate, asks the kernel to map for the DSP, and keeps the per-domain
 * record list that unmaps look up by DSP address. Failures throw AeeError with the code
 * the C implementation returns; a failed map leaves nothing behind and a failed unmap
 * keeps its record.
 */
export class AppsMem implements AppsMemInterface, GeneratedAppsMem {
  readonly domain: number;
  private readonly kernel: FastRpcFile;
  private readonly rpcmem: RpcMem;
  private readonly vm: AppsAddressSpace;
  private readonly fds: DmaBufTable;
  private readonly userMem: FastRpcUserMem;
  private readonly pd: Required<AppsMemPd>;
  private records: AppsMemRecord[] | undefined;
  /** Test hook: the next record allocations fail (AEE_ENOMEMORY) while > 0. */
  failRecordAlloc = 0;

  constructor(opts: AppsMemOptions) {
    this.domain = opts.domain;
    this.kernel = opts.kernel;
    this.rpcmem = opts.rpcmem;
    this.vm = opts.vm;
    this.fds = opts.fds;
    this.userMem = opts.userMem;
    this.pd = { unsigned: false, userspaceAllocSupported: false, audioStaticPd: false, ...opts.pd };
    this.records = opts.initialized === false ? undefined : [];
  }

  /** apps_mem_init / apps_mem_deinit for this domain. */
  init(): void {
    this.records ??= [];
  }

  deinit(): void {
    for (const r of this.records ?? []) this.releaseAppsSide(r);
    this.records = undefined;
  }

  /** The per-domain record list (read-only view). */
  list(): readonly AppsMemRecord[] {
    return this.records ?? [];
  }

  requestMap64(heapid: number, ionFlags: number, rflags: number, _vin: bigint, len: bigint): { vapps: bigint; vadsp: bigint } {
    const records = this.table();
    if (len < 0n) throw new AeeError(Aee.EBADPARM, `len ${len}`);
    this.allocRecord();
    let buf: { va: bigint; fd: number } | undefined;
    try {
      let vapps = 0n;
      let vadsp = 0n;
      if (rflags === RemoteMmapFlag.HEAP_ADDR || rflags === RemoteMmapFlag.REMOTE_HEAP_ADDR) {
        vadsp = this.kernelMmap(-1, rflags, 0n, len);
      } else if (rflags === RemoteMmapFlag.ALLOC_HLOS_FD) {
        buf = this.rpcAlloc(heapid, ionFlags, len);
        if (!(buf.fd > 0)) throw new AeeError(Aee.EBADFD);
        const dmabuf = this.fds.lookup(buf.fd);
        if (dmabuf) dmabuf.name = 'dsp';
        this.userMem.mmap(this.domain, buf.fd, buf.va, 0, Number(len), FastRpcMapType.FD_DELAYED);
        vapps = buf.va;
        vadsp = BigInt(buf.fd);
      } else {
        const addPages = rflags === RemoteMmapFlag.ADD_PAGES || rflags === RemoteMmapFlag.ADD_PAGES_LLC;
        let fd = -1;
        if (!addPages || (this.pd.unsigned && this.pd.userspaceAllocSupported)) {
          buf = this.rpcAlloc(heapid, ionFlags, len);
          fd = buf.fd;
          if (!(fd > 0)) throw new AeeError(Aee.EBADPARM);
          const dmabuf = this.fds.lookup(fd);
          if (dmabuf) dmabuf.name = 'dsp';
        }
        vadsp = this.kernelMmap(fd, rflags, buf?.va ?? 0n, len);
        vapps = buf?.va ?? 0n;
      }
      records.push({ vapps, vadsp, size: Number(BigInt.asIntN(32, len)), mapped: false, rflags });
      return { vapps, vadsp };
    } catch (e) {
      if (buf) this.rpcmem.free(buf.va);
      throw aeeFromKernel(e);
    }
  }

  requestMap(heapid: number, ionFlags: number, rflags: number, vin: number, len: number): { vapps: number; vadsp: number } {
    const r = this.requestMap64(heapid, ionFlags, rflags, BigInt(vin >>> 0), BigInt(len | 0));
    return { vapps: Number(BigInt.asUintN(32, r.vapps)), vadsp: Number(BigInt.asUintN(32, r.vadsp)) };
  }

  requestUnmap64(vadsp: bigint, len: bigint): void {
    const records = this.table();
    const rec = records.find((r) => r.vadsp === vadsp);
    try {
      if (rec && rec.rflags === RemoteMmapFlag.ALLOC_HLOS_FD) {
        this.userMem.munmap(this.domain, Number(BigInt.asIntN(32, vadsp)), 0n, Number(len));
      } else if (rec || this.pd.audioStaticPd) {
        this.kernel.munmap({ vaddrout: vadsp, size: len });
        if (!rec) return;
      }
    } catch (e) {
      throw aeeFromKernel(e);
    }
    if (!rec) throw new AeeError(Aee.ENOSUCHMAP, `no mapping at DSP address 0x${vadsp.toString(16)}`);
    records.splice(records.indexOf(rec), 1);
    this.releaseAppsSide(rec);
  }

  requestUnmap(vadsp: number, len: number): void {
    this.requestUnmap64(BigInt(vadsp >>> 0), BigInt(len | 0));
  }

  shareMap(fd: number, size: number): { vapps: bigint; vadsp: bigint } {
    const records = this.table();
    if (!(fd > 0)) throw new AeeError(Aee.EBADPARM, `fd ${fd}`);
    this.allocRecord();
    const dmabuf = this.fds.lookup(fd);
    let va: bigint;
    try {
      if (!dmabuf) throw new KernelError(9);
      va = this.vm.mmap(dmabuf, size);
    } catch {
      throw new AeeError(Aee.ERPC, `mmap of fd ${fd} (${size} bytes) failed`);
    }
    try {
      const vadsp = this.kernelMmap(fd, 0, va, BigInt(size));
      records.push({ vapps: va, vadsp, size, mapped: true, rflags: 0 });
      return { vapps: va, vadsp };
    } catch (e) {
      this.vm.munmap(va);
      throw aeeFromKernel(e);
    }
  }

  shareUnmap(vadsp: bigint, size: number): void {
    this.requestUnmap64(vadsp, BigInt(size));
  }

  dmaHandleMap(fd: number, offset: number, size: number): void {
    if (!(fd > 0 && size > 0)) throw new AeeError(Aee.EBADPARM, `fd ${fd}, size ${size}`);
    const { len, attr } = this.userMem.unregisterDmaHandle(fd);
    let flags: number = FastRpcMapType.FD_DELAYED;
    if (attr === FASTRPC_ATTR_NOMAP) {
      if (!(size <= len)) throw new AeeError(Aee.EBADPARM, `size ${size} beyond registered ${len}`);
      flags = FastRpcMapType.FD_NOMAP;
    }
    this.userMem.mmap(this.domain, fd, 0n, offset, size, flags);
  }

  dmaHandleUnmap(fd: number, size: number): void {
    if (!(fd > 0 && size > 0)) throw new AeeError(Aee.EBADPARM, `fd ${fd}, size ${size}`);
    this.userMem.munmap(this.domain, fd, 0n, size);
  }

  private table(): AppsMemRecord[] {
    if (!this.records) throw new AeeError(Aee.ERESOURCENOTFOUND, `apps_mem not initialised for domain ${this.domain}`);
    return this.records;
  }

  private allocRecord(): void {
    if (this.failRecordAlloc > 0) {
      this.failRecordAlloc--;
      throw new AeeError(Aee.ENOMEMORY);
    }
  }

  private rpcAlloc(heapid: number, flags: number, len: bigint): { va: bigint; fd: number } {
    const r = len > 0n && len <= 0x7fff_ffffn ? this.rpcmem.alloc(heapid, flags, Number(len)) : undefined;
    if (!r) throw new AeeError(Aee.ENORPCMEMORY, `rpcmem_alloc(${heapid}, 0x${(flags >>> 0).toString(16)}, ${len}) failed`);
    return r;
  }

  private kernelMmap(fd: number, flags: number, vaddrin: bigint, size: bigint): bigint {
    return this.kernel.mmap({ fd, flags, vaddrin, size });
  }

  private releaseAppsSide(r: AppsMemRecord): void {
    if (r.vapps === 0n) return;
    if (r.mapped) this.vm.munmap(r.vapps);
    else this.rpcmem.free(r.vapps);
  }
}
