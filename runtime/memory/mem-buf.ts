import { DmaBufTable, type DmaBuf } from './dmabuf.ts';
import { Errno, KernelError } from './errno.ts';
import type { HeapBuffer, HeapKind } from './heaps.ts';
import { MemoryOwnership, ScmPerm, Vmid, vmBitmap, type VmPerm } from './ownership.ts';
import type { PhysAllocation, PhysicalMemory } from './phys.ts';
import { physPieces } from './apps-vm.ts';
import type { ContextBank } from './smmu/context.ts';
import { IommuProt } from './smmu/formats.ts';

/** ioctl numbers (magic 'M'). */
export const MemBufIoctl = { ALLOC: 0, EXPORT: 1, IMPORT: 2 } as const;
export const MemBufMemType = { ION: 0, MAX: 1 } as const;
/** mem-buf VMIDs (not hypervisor VMIDs). */
export const MemBufVmid = { PRIMARY_VM: 0, TRUSTED_VM: 1 } as const;
/** mem-buf permission bits: READ bit0, WRITE bit1, EXEC bit2 (not the SCM order). */
export const MemBufPerm = { READ: 1, WRITE: 2, EXEC: 4 } as const;
const VALID_PERMS = 7;
export const MEM_BUF_MAX_ACL_ENTRIES = 16;
/** Memory-hotplug granule (1 << SUBSECTION_SHIFT on arm64). */
export const MEM_BUF_GRANULE = 2 << 20;
export const MEM_BUF_TIMEOUT_MS = 3500;

export type MemBufCapability = 'supplier' | 'consumer' | 'dual';
export type MemBufVmName = 'primary' | 'trusted';

export interface AclEntry {
  vmid: number;
  perms: number;
}

/** struct mem_buf_alloc_ioctl_arg; `aclList` null models a 0 pointer. Output: memBufFd. */
export interface MemBufAllocArg {
  size: bigint;
  aclList: AclEntry[] | null;
  nrAclEntries: number;
  srcMemType: number;
  srcData: { heapId: number } | null;
  dstMemType: number;
  dstData: { heapId: number } | null;
  memBufFd?: number;
  reserved0: bigint;
  reserved1: bigint;
  reserved2: bigint;
}

/** struct mem_buf_export_ioctl_arg. Outputs: exportFd, memparcelHdl. */
export interface MemBufExportArg {
  dmaBufFd: number;
  nrAclEntries: number;
  aclList: AclEntry[] | null;
  exportFd?: number;
  memparcelHdl?: number;
  reserved0: bigint;
  reserved1: bigint;
  reserved2: bigint;
}

/** struct mem_buf_import_ioctl_arg. Output: dmaBufImportFd. reserved3 is not checked. */
export interface MemBufImportArg {
  memparcelHdl: number;
  nrAclEntries: number;
  aclList: AclEntry[] | null;
  dmaBufImportFd?: number;
  reserved0: number;
  reserved1: bigint;
  reserved2: bigint;
  reserved3: bigint;
}

/** mem-buf permission bits -> SCM/hypervisor bits, bit by bit. */
export function memBufPermsToScm(perms: number): number {
  return (
    (perms & MemBufPerm.READ ? ScmPerm.READ : 0) |
    (perms & MemBufPerm.WRITE ? ScmPerm.WRITE : 0) |
    (perms & MemBufPerm.EXEC ? ScmPerm.EXEC : 0)
  );
}

/** Hypervisor VMID of a mem-buf VMID (through the resource manager). */
export function memBufVmidToHyp(vmid: number): number {
  if (vmid === MemBufVmid.PRIMARY_VM) return Vmid.HLOS;
  if (vmid === MemBufVmid.TRUSTED_VM) return Vmid.TVM;
  throw new KernelError(Errno.EINVAL, `mem-buf VMID ${vmid}`);
}

interface Memparcel {
  readonly handle: number;
  readonly chunks: readonly { pa: bigint; size: number }[];
  readonly acl: readonly VmPerm[];
  readonly supplier: MemBufVmName;
  readonly accepted: Set<number>;
  readonly transfer: 'share' | 'lend';
  /**
   * The owner asked for the memory back while another VM still had it accepted: the
   * resource manager refuses such a reclaim, so it runs when the last acceptor releases.
   */
  reclaim?: () => void;
}

/** Failure injection points, each consumed once. */
export type MemBufStep =
  'supplier-alloc' | 'assign' | 'accept' | 'hotplug' | 'heap-add' | 'heap-remove' | 'hot-remove' | 'release' | 'assign-back';

/**
 * The hypervisor resource manager both VMs talk to: memparcels (SG lists with an ACL),
 * their handles, acceptance, and the transaction ids of ALLOC requests.
 */
export class ResourceManager {
  readonly parcels = new Map<number, Memparcel>();
  private nextHandle = 1;
  private txn = 0;
  readonly failures: MemBufStep[] = [];
  messages = 0;

  constructor(
    readonly phys: PhysicalMemory,
    readonly ownership: MemoryOwnership,
  ) {}

  fail(step: MemBufStep): void {
    const i = this.failures.indexOf(step);
    if (i >= 0) {
      this.failures.splice(i, 1);
      throw new KernelError(step === 'assign' ? Errno.EADDRNOTAVAIL : Errno.EIO, `${step} failed`);
    }
  }

  nextTxn(): number {
    const t = this.txn;
    this.txn = (this.txn + 1) % 65536;
    return t;
  }

  register(chunks: readonly { pa: bigint; size: number }[], acl: readonly VmPerm[], supplier: MemBufVmName): number {
    let h = this.nextHandle;
    while (this.parcels.has(h) || h === 0) h = (h + 1) >>> 0;
    this.nextHandle = (h + 1) >>> 0;
    const transfer = acl.some((a) => a.vmid === Vmid.HLOS && a.perm !== 0) ? 'share' : 'lend';
    this.parcels.set(h, { handle: h, chunks, acl, supplier, accepted: new Set(), transfer });
    return h;
  }

  accept(handle: number, vmid: number, acl: readonly VmPerm[]): Memparcel {
    this.fail('accept');
    const p = this.parcels.get(handle);
    if (!p || p.reclaim) throw new KernelError(Errno.EINVAL, `memparcel ${handle} unknown`);
    if (p.accepted.has(vmid)) throw new KernelError(Errno.EINVAL, `memparcel ${handle} is already accepted by VM ${vmid}`);
    const same = acl.length === p.acl.length && acl.every((a) => p.acl.some((b) => b.vmid === a.vmid && b.perm === a.perm));
    if (!same || !p.acl.some((a) => a.vmid === vmid)) throw new KernelError(Errno.EINVAL, `ACL does not match memparcel ${handle}`);
    p.accepted.add(vmid);
    return p;
  }

  release(handle: number, vmid: number): void {
    this.fail('release');
    const p = this.parcels.get(handle);
    if (!p) return;
    p.accepted.delete(vmid);
    if (p.reclaim && p.accepted.size === 0) {
      const reclaim = p.reclaim;
      this.parcels.delete(handle);
      reclaim();
    }
  }

  /**
   * A supplier VM lends `chunks`, owned by `fromVmid` alone, to the VMs of `acl`: the memory is
   * assigned to them and registered as a memparcel. The assignment's refusal is thrown as is,
   * before anything is registered. Returns the handle and the new owners.
   */
  lend(
    chunks: readonly { pa: bigint; size: number }[],
    fromVmid: number,
    acl: readonly VmPerm[],
    supplier: MemBufVmName,
  ): { handle: number; owners: bigint } {
    const owners = this.ownership.assign(chunks, vmBitmap(fromVmid), acl);
    return { handle: this.register(chunks, acl, supplier), owners };
  }

  unregister(handle: number): void {
    this.parcels.delete(handle);
  }

  /**
   * The owner takes a memparcel back: now when no other VM has it accepted, else once the last
   * one releases it (the memory is never pulled from under a VM that mapped it).
   * Returns whether it ran now.
   */
  reclaim(handle: number, owner: number, done: () => void): boolean {
    const p = this.parcels.get(handle);
    const others = p ? [...p.accepted].filter((v) => v !== owner) : [];
    if (!p || others.length === 0) {
      this.parcels.delete(handle);
      done();
      return true;
    }
    p.reclaim = done;
    return false;
  }
}

interface Lent {
  readonly handle: number;
  readonly alloc: PhysAllocation;
  owners: bigint;
}

interface ExportRecord {
  readonly handle: number;
  readonly dmabuf: DmaBuf;
  owners: bigint;
}

/** What a consumer's ALLOC talks to: a supplier VM in this thread (MemBufDevice) or in a worker (WorkerSupplier). */
export interface AllocSupplier {
  readonly vm: MemBufVmName;
  /** The handle of the memparcel lent for `req`, undefined when no answer came in time; refusals throw KernelError. */
  receiveAlloc(req: AllocRequest): number | undefined;
  /** The consumer gave the memory of `handle` back. */
  relinquish(handle: number): void;
}

/** An ALLOC request message from a consumer VM to the supplier. */
export interface AllocRequest {
  readonly txn: number;
  readonly size: number;
  readonly heapId: number;
  readonly acl: readonly VmPerm[];
  readonly from: MemBufDevice;
}

/**
 * /dev/membuf of one VM. Arguments are checked before anything happens (count, pointer,
 * reserved fields, sizes, then the capability, then each ACL entry); on a failure
 * nothing changes. `ioctl` returns 0 or a negative errno and fills the outputs.
 */
export class MemBufDevice implements AllocSupplier {
  readonly fds = new DmaBufTable();
  readonly hypVmid: number;
  /** Supplier side: memory lent/shared to other VMs by handle. */
  readonly lent = new Map<number, Lent>();
  readonly exports = new Map<number, ExportRecord>();
  /** Memory that could not be given back (leaked on purpose). */
  readonly leaked: PhysAllocation[] = [];
  peer: AllocSupplier | undefined;
  private inode = 1;
  /**
   * A VM that is not running (paused, crashed, still booting): requests to it wait in its
   * message queue, unanswered, until `resume()`.
   */
  paused = false;
  /** Supplier side: ALLOC requests received while paused, in order. */
  private readonly inbox: AllocRequest[] = [];
  /** Consumer side: ALLOC transactions still waiting for their response. */
  private readonly openTxns = new Set<number>();
  /**
   * Consumer side: responses that arrived for a transaction no longer waiting (it timed out):
   * dropped, as mem_buf_process_alloc_resp drops them. The supplier's memory stays lent.
   */
  readonly droppedResponses: { readonly txn: number; readonly handle: number }[] = [];

  constructor(
    readonly vm: MemBufVmName,
    readonly capability: MemBufCapability,
    readonly rm: ResourceManager,
    /** Heaps this VM allocates from, by id (supplier side). */
    readonly heapKinds: ReadonlyMap<number, HeapKind> = new Map([
      [22, 'contiguous'],
      [25, 'system'],
      [9, 'secure'],
    ]),
  ) {
    this.hypVmid = vm === 'primary' ? Vmid.HLOS : Vmid.TVM;
  }

  ioctl(cmd: number, arg: MemBufAllocArg | MemBufExportArg | MemBufImportArg): number {
    try {
      if (cmd === MemBufIoctl.ALLOC) this.alloc(arg as MemBufAllocArg);
      else if (cmd === MemBufIoctl.EXPORT) this.export(arg as MemBufExportArg);
      else if (cmd === MemBufIoctl.IMPORT) this.import(arg as MemBufImportArg);
      else return -Errno.EINVAL; // the argument validator rejects unknown commands
      return 0;
    } catch (e) {
      if (e instanceof KernelError) return e.errno;
      throw e;
    }
  }

  /** Closes an fd this device returned (mem-buf, export or import fd). */
  close(fd: number): void {
    this.fds.close(fd);
  }

  /** CPU access of this VM to a buffer it holds an fd for; fails if the ACL denies it. */
  read(fd: number, offset: number, len: number): Uint8Array {
    const pieces = this.access(fd, offset, len, ScmPerm.READ);
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of pieces) {
      out.set(this.rm.phys.view(p.pa, p.size), o);
      o += p.size;
    }
    return out;
  }

  write(fd: number, offset: number, data: Uint8Array): void {
    let o = 0;
    for (const p of this.access(fd, offset, data.length, ScmPerm.WRITE)) {
      this.rm.phys.view(p.pa, p.size).set(data.subarray(o, o + p.size));
      o += p.size;
    }
  }

  /**
   * Attaches a buffer this VM holds an fd for to a device: maps it at `iova` in the device's
   * context bank with the rights this VM has on it (read-only when the ACL gave only read).
   * 0 or a negative errno: -EBADF unknown fd, -EACCES when this VM may not even read it, or the
   * SMMU's own error.
   */
  attach(fd: number, device: ContextBank, iova: bigint): number {
    const buf = this.fds.lookup(fd);
    if (!buf) return -Errno.EBADF;
    const { chunks } = buf.buffer.phys;
    const can = (perm: number): boolean => chunks.every((c) => this.rm.ownership.allows(this.hypVmid, c.pa, c.size, perm));
    if (!can(ScmPerm.READ)) return -Errno.EACCES;
    const prot = IommuProt.READ | (can(ScmPerm.WRITE) ? IommuProt.WRITE : 0);
    let at = iova;
    for (const c of chunks) {
      const r = device.map(at, c.pa, c.size, prot);
      if (r !== 0) {
        if (at > iova) device.unmap(iova, at - iova);
        return r;
      }
      at += BigInt(c.size);
    }
    return 0;
  }

  /** Detaches what attach() mapped at `iova`. */
  detach(fd: number, device: ContextBank, iova: bigint): number {
    const buf = this.fds.lookup(fd);
    if (!buf) return -Errno.EBADF;
    device.unmap(
      iova,
      buf.buffer.phys.chunks.reduce((n, c) => n + c.size, 0),
    );
    return 0;
  }

  /** Wraps memory this VM owns in a dma-buf fd (how tests and the demo make export sources). */
  adopt(alloc: PhysAllocation, opts: { cached?: boolean; secure?: boolean } = {}): number {
    const hb: HeapBuffer = {
      id: -1,
      heapId: 25,
      kind: 'system',
      requested: alloc.size,
      size: alloc.size,
      cached: opts.cached ?? true,
      secure: opts.secure ?? false,
      phys: alloc,
      owners: vmBitmap(this.hypVmid),
    };
    const buf = this.fds.create(hb, () => this.rm.phys.free(alloc.pa));
    const fd = this.fds.install(buf);
    buf.put();
    return fd;
  }

  private access(fd: number, offset: number, len: number, perm: number): { pa: bigint; size: number }[] {
    const buf = this.fds.lookup(fd);
    if (!buf) throw new KernelError(Errno.EBADF, `fd ${fd}`);
    if (offset < 0 || offset + len > buf.size) throw new KernelError(Errno.EINVAL, 'range outside the buffer');
    const pieces = physPieces(buf.buffer.phys.chunks, offset, len);
    const write = perm !== ScmPerm.READ;
    for (const p of pieces) {
      if (this.rm.ownership.check({ path: 'vm', vmid: this.hypVmid, pa: p.pa, len: p.size, write, by: `${this.vm} VM` })) {
        throw new KernelError(
          Errno.EFAULT,
          `${this.vm} VM has no ${perm === ScmPerm.READ ? 'read' : 'write'} access to 0x${p.pa.toString(16)}`,
        );
      }
    }
    return pieces;
  }

  private checkAcl(list: AclEntry[] | null, n: number): AclEntry[] {
    if (n === 0 || list === null || n > MEM_BUF_MAX_ACL_ENTRIES) throw new KernelError(Errno.EINVAL, 'bad ACL list');
    // copy_from_user of nr_acl_entries entries: a shorter list runs off the caller's memory.
    if (list.length < n) throw new KernelError(Errno.EFAULT, `nr_acl_entries ${n} but the list holds ${list.length}`);
    return list.slice(0, n);
  }

  private convertAcl(entries: AclEntry[]): VmPerm[] {
    if (entries.length === 0) throw new KernelError(Errno.EINVAL, 'ACL shorter than nr_acl_entries');
    return entries.map((e) => {
      if (e.perms & ~VALID_PERMS) throw new KernelError(Errno.EINVAL, `perms 0x${e.perms.toString(16)}`);
      return { vmid: memBufVmidToHyp(e.vmid), perm: memBufPermsToScm(e.perms) };
    });
  }

  private needs(cap: 'supplier' | 'consumer'): void {
    if (this.capability !== 'dual' && this.capability !== cap) throw new KernelError(Errno.ENOTSUPP, `${this.vm} VM is not a ${cap}`);
  }

  private alloc(a: MemBufAllocArg): void {
    const entries = this.checkAcl(a.aclList, a.nrAclEntries);
    if (a.reserved0 || a.reserved1 || a.reserved2) throw new KernelError(Errno.EINVAL, 'reserved field set');
    if (a.size === 0n || a.srcMemType >= MemBufMemType.MAX || a.dstMemType >= MemBufMemType.MAX || a.srcMemType < 0 || a.dstMemType < 0)
      throw new KernelError(Errno.EINVAL, 'size or memory type');
    this.needs('consumer');
    const acl = this.convertAcl(entries);
    const supplier = this.peer;
    if (!supplier) throw new KernelError(Errno.ETIMEDOUT, `no supplier answered within ${MEM_BUF_TIMEOUT_MS} ms`);
    const size = Math.ceil(Number(a.size) / MEM_BUF_GRANULE) * MEM_BUF_GRANULE;
    const txn = this.rm.nextTxn();
    this.openTxns.add(txn);
    this.rm.messages++;
    let handle: number | undefined;
    try {
      handle = supplier.receiveAlloc({ txn, size, heapId: a.srcData?.heapId ?? 22, acl, from: this }); // an error: thrown verbatim
    } finally {
      // mem_buf_txn_wait: answered, refused, or MEM_BUF_TIMEOUT_MS without an answer; the txn is destroyed either way.
      this.openTxns.delete(txn);
    }
    if (handle === undefined)
      throw new KernelError(Errno.ETIMEDOUT, `the ${supplier.vm} VM did not answer within ${MEM_BUF_TIMEOUT_MS} ms`);
    let parcel: Memparcel | undefined;
    try {
      parcel = this.rm.accept(handle, this.hypVmid, acl);
      this.rm.fail('hotplug');
      for (const c of parcel.chunks)
        if (Number(c.pa) % MEM_BUF_GRANULE !== 0 || c.size % MEM_BUF_GRANULE !== 0)
          throw new KernelError(Errno.EINVAL, 'memory not 2 MiB aligned for hotplug');
      this.rm.fail('heap-add');
    } catch (e) {
      if (parcel) this.rm.release(handle, this.hypVmid);
      this.rm.messages++;
      supplier.relinquish(handle);
      throw e;
    }
    a.memBufFd = this.installParcel(parcel, true);
  }

  /**
   * Supplier side of the ALLOC message: served at once while this VM runs (the handle is the
   * response), queued unanswered while it is paused (undefined: the requester times out).
   */
  receiveAlloc(req: AllocRequest): number | undefined {
    if (this.paused) {
      this.inbox.push(req);
      return undefined;
    }
    return this.serveAlloc(req.size, req.heapId, req.acl);
  }

  /**
   * The VM runs again and serves the requests that waited. Their requesters gave up long ago:
   * each response reaches a transaction that no longer exists and is dropped, while the memory
   * it lent stays lent (the real driver behaves so). Returns how many requests it served.
   */
  resume(): number {
    this.paused = false;
    let served = 0;
    for (const req of this.inbox.splice(0)) {
      let handle: number;
      try {
        handle = this.serveAlloc(req.size, req.heapId, req.acl);
      } catch {
        continue; // a failure response to a dead transaction: nothing to drop
      }
      served++;
      this.rm.messages++;
      req.from.receiveAllocResponse(req.txn, handle);
    }
    return served;
  }

  /** Consumer side: a response to an ALLOC request that had already timed out. */
  private receiveAllocResponse(txn: number, handle: number): void {
    if (!this.openTxns.has(txn)) this.droppedResponses.push({ txn, handle });
  }

  /** Supplier side of ALLOC: allocate, assign to the ACL, register, reply with the handle. */
  serveAlloc(size: number, heapId: number, acl: readonly VmPerm[]): number {
    this.rm.fail('supplier-alloc');
    const kind = this.heapKinds.get(heapId);
    if (!kind) throw new KernelError(Errno.ENODEV, `heap ${heapId}`);
    const alloc = kind === 'system' ? this.rm.phys.allocScattered(size) : this.rm.phys.allocContiguous(size, MEM_BUF_GRANULE);
    this.rm.phys.zero(alloc);
    let lent: { handle: number; owners: bigint };
    try {
      this.rm.fail('assign');
      lent = this.rm.lend(alloc.chunks, this.hypVmid, acl, this.vm);
    } catch (e) {
      this.rm.phys.free(alloc.pa);
      throw new KernelError(Errno.EINVAL, (e as Error).message);
    }
    this.lent.set(lent.handle, { handle: lent.handle, alloc, owners: lent.owners });
    return lent.handle;
  }

  /** Supplier: the consumer gave the memory back; unassign to self and free. */
  relinquish(handle: number): void {
    const l = this.lent.get(handle);
    if (!l) return;
    this.lent.delete(handle);
    this.rm.unregister(handle);
    try {
      this.rm.fail('assign-back');
      l.owners = this.rm.ownership.assign(l.alloc.chunks, l.owners, [{ vmid: this.hypVmid, perm: ScmPerm.RWX }]);
    } catch {
      this.leaked.push(l.alloc);
      return;
    }
    this.rm.phys.free(l.alloc.pa);
  }

  private installParcel(parcel: Memparcel, fromAlloc: boolean): number {
    const size = parcel.chunks.reduce((n, c) => n + c.size, 0);
    const phys: PhysAllocation = { pa: parcel.chunks[0]!.pa, size, chunks: parcel.chunks, contiguous: parcel.chunks.length === 1 };
    const hb: HeapBuffer = {
      id: -this.inode++,
      heapId: -1,
      kind: 'system',
      requested: size,
      size,
      cached: true,
      secure: false,
      phys,
      owners: 0n,
    };
    const buf = this.fds.create(hb, () => this.releaseParcel(parcel.handle, fromAlloc));
    const fd = this.fds.install(buf);
    buf.put();
    return fd;
  }

  /** close of an ALLOC/IMPORT fd: heap remove -> hot-remove -> release stage 2 -> relinquish. */
  private releaseParcel(handle: number, fromAlloc: boolean): void {
    try {
      if (fromAlloc) this.rm.fail('heap-remove');
      this.rm.fail('hot-remove');
      this.rm.release(handle, this.hypVmid);
    } catch {
      return; // later steps skipped: the memory stays with this VM
    }
    if (fromAlloc) {
      this.rm.messages++;
      this.peer?.relinquish(handle);
    }
  }

  private export(a: MemBufExportArg): void {
    const entries = this.checkAcl(a.aclList, a.nrAclEntries);
    if (a.reserved0 || a.reserved1 || a.reserved2) throw new KernelError(Errno.EINVAL, 'reserved field set');
    this.needs('supplier');
    const acl = this.convertAcl(entries);
    const buf = this.fds.lookup(a.dmaBufFd);
    if (!buf) throw new KernelError(Errno.EBADF, `fd ${a.dmaBufFd}`);
    if (!buf.buffer.cached || buf.buffer.secure) throw new KernelError(Errno.EINVAL, 'only cached, non-secure buffers can be exported');
    if (buf.mmapCount > 0) throw new KernelError(Errno.EINVAL, "the buffer was mmap'ed before export");
    const cur = vmBitmap(this.hypVmid);
    let owners: bigint;
    try {
      this.rm.fail('assign');
      owners = this.rm.ownership.assign(buf.buffer.phys.chunks, cur, acl);
    } catch {
      // memory in an unknown state: the dma-buf is never released
      buf.get();
      throw new KernelError(Errno.EADDRNOTAVAIL, 'hyp assign failed');
    }
    buf.get();
    const handle = this.rm.register(buf.buffer.phys.chunks, acl, this.vm);
    const rec: ExportRecord = { handle, dmabuf: buf, owners };
    this.exports.set(handle, rec);
    // the export fd: closing it gives the memory back and drops the reference
    const hb: HeapBuffer = { ...buf.buffer, id: -this.inode++ };
    const exp = this.fds.create(hb, () => this.unexport(rec));
    a.exportFd = this.fds.install(exp);
    exp.put();
    a.memparcelHdl = handle;
  }

  private unexport(rec: ExportRecord): void {
    this.exports.delete(rec.handle);
    this.rm.reclaim(rec.handle, this.hypVmid, () => this.takeBack(rec));
  }

  private takeBack(rec: ExportRecord): void {
    try {
      this.rm.fail('assign-back');
      rec.owners = this.rm.ownership.assign(rec.dmabuf.buffer.phys.chunks, rec.owners, [{ vmid: this.hypVmid, perm: ScmPerm.RWX }]);
    } catch {
      return; // leaked on purpose: the reference is never dropped
    }
    rec.dmabuf.put();
  }

  private import(a: MemBufImportArg): void {
    const entries = this.checkAcl(a.aclList, a.nrAclEntries);
    if (a.reserved0 || a.reserved1 || a.reserved2) throw new KernelError(Errno.EINVAL, 'reserved field set');
    this.needs('consumer');
    const acl = this.convertAcl(entries);
    const parcel = this.rm.accept(a.memparcelHdl, this.hypVmid, acl);
    try {
      this.rm.fail('hotplug');
    } catch (e) {
      this.rm.release(a.memparcelHdl, this.hypVmid);
      throw e;
    }
    a.dmaBufImportFd = this.installParcel(parcel, false);
  }
}

/** Two VMs (primary = supplier, trusted = consumer) over one machine. */
export function createMemBufPair(
  phys: PhysicalMemory,
  ownership: MemoryOwnership = new MemoryOwnership(),
): { rm: ResourceManager; primary: MemBufDevice; trusted: MemBufDevice } {
  const rm = new ResourceManager(phys, ownership);
  const primary = new MemBufDevice('primary', 'supplier', rm);
  const trusted = new MemBufDevice('trusted', 'consumer', rm);
  trusted.peer = primary;
  primary.peer = trusted;
  return { rm, primary, trusted };
}
