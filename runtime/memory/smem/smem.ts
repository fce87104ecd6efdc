import { Errno, KernelError } from '../errno.ts';
import { HwSpinlockBank, type HwSpinlockBankShare, type HwSpinlock } from './hwspinlock.ts';
import {
  AUX_BASE_MASK,
  HWSPINLOCK_TIMEOUT_MS,
  Header,
  INFO_MAGIC,
  Info,
  PARTITION_MAGIC,
  PTABLE_BYTES,
  PTABLE_MAGIC,
  PartitionHeader,
  PrivateEntry,
  Ptable,
  PtableEntry,
  SMEM_GLOBAL_HEAP_VERSION,
  SMEM_GLOBAL_HOST,
  SMEM_GLOBAL_PART_VERSION,
  SMEM_HOST_COUNT,
  SMEM_ITEM_COUNT,
  SMEM_ITEM_LAST_FIXED,
  SMEM_MASTER_SBL_VERSION_INDEX,
  SMEM_PRIVATE_CANARY,
  SmemHost,
  TocEntry,
  align8,
  alignUp,
} from './layout.ts';
import { assertLittleEndianHost, type SmemRegion } from './region.ts';

/** A resolved item: where it is and a view of its bytes (never a copy). */
export interface SmemItem {
  /** Offset of the item's data from the start of the SMEM region that holds it. */
  readonly offset: number;
  /** Legacy heap: the 8-aligned size; partitions: the size originally requested. */
  readonly size: number;
  readonly phys: bigint;
  readonly bytes: Uint8Array;
}

export interface SmemOptions {
  readonly region: SmemRegion;
  /**
   * Further SMEM regions (the device tree's other memory ranges). A legacy item whose TOC entry
   * names a region's base in aux_base lives in that region.
   */
  readonly auxRegions?: readonly SmemRegion[];
  /**
   * The TCSR mutex bank. Without it (its driver has not probed yet) probe() fails with
   * -EPROBE_DEFER, as qcom_smem does, until provideHwlocks() brings it.
   */
  readonly hwlocks?: HwSpinlockBank;
  /** Index of the TCSR mutex SMEM uses (`hwlocks = <&tcsr_mutex 3>`). */
  readonly hwlockId?: number;
  /** The processor this instance runs on; selects which partitions are private to it. */
  readonly localHost?: number;
  readonly lockTimeoutMs?: number;
}

/** Everything another worker needs to attach to the same SMEM (post it with postMessage). */
export interface SmemShare {
  readonly region: SmemRegion;
  readonly hwlocks: HwSpinlockBankShare;
  readonly hwlockId: number;
  readonly lockTimeoutMs: number;
}

interface Partition {
  readonly offset: number;
  readonly size: number;
  readonly cacheline: number;
  /** item -> entry header offset, for entries already walked (entries never move). */
  readonly index: Map<number, number>;
  /** Offset (region-relative) up to which the uncached list has been walked. */
  walked: number;
}

/**
 * The SMEM item heap as one processor sees it. Allocation takes the hardware spinlock;
 * lookups are lock-free: a writer fills an entry completely before it publishes it (the
 * legacy `allocated` flag, or the partition's free-uncached offset) with a sequentially
 * consistent store, and a reader only trusts entries it reached through such a load.
 */
export class Smem {
  private readonly region: SmemRegion;
  private readonly u32: Uint32Array;
  private readonly u16: Uint16Array;
  private readonly bytes: Uint8Array;
  private hwlock: HwSpinlock | undefined;
  private readonly hwlockId: number;
  private hwlocks: HwSpinlockBank | undefined;
  private readonly auxRegions: readonly SmemRegion[];
  private readonly localHost: number;
  private readonly lockOwner: number;
  private readonly lockTimeoutMs: number;
  private probed = false;
  private version = 0;
  private itemCount = SMEM_ITEM_COUNT;
  private readonly partitions = new Map<number, Partition>();
  private globalPartition: Partition | undefined;

  constructor(options: SmemOptions) {
    assertLittleEndianHost();
    const { region } = options;
    if (region.byteOffset % 4 !== 0 || region.byteLength % 8 !== 0) {
      throw new RangeError('SMEM region must be 4-byte aligned and a multiple of 8 bytes long');
    }
    this.region = region;
    this.u32 = new Uint32Array(region.buffer, region.byteOffset, region.byteLength / 4);
    this.u16 = new Uint16Array(region.buffer, region.byteOffset, region.byteLength / 2);
    this.bytes = new Uint8Array(region.buffer, region.byteOffset, region.byteLength);
    this.hwlocks = options.hwlocks;
    this.hwlockId = options.hwlockId ?? 3;
    this.auxRegions = options.auxRegions ?? [];
    this.localHost = options.localHost ?? SmemHost.APPS;
    this.lockOwner = this.localHost + 1;
    this.lockTimeoutMs = options.lockTimeoutMs ?? HWSPINLOCK_TIMEOUT_MS;
  }

  /** Attaches to a region another worker shared, as processor `localHost`, and probes it. */
  static attach(share: SmemShare, localHost: number = SmemHost.APPS): Smem {
    const smem = new Smem({
      region: share.region,
      hwlocks: HwSpinlockBank.fromShare(share.hwlocks),
      hwlockId: share.hwlockId,
      localHost,
      lockTimeoutMs: share.lockTimeoutMs,
    });
    smem.probe();
    return smem;
  }

  share(): SmemShare {
    if (!this.hwlocks) throw new KernelError(Errno.EPROBE_DEFER, 'the SMEM hwspinlock is not available yet');
    return { region: this.region, hwlocks: this.hwlocks.share(), hwlockId: this.hwlockId, lockTimeoutMs: this.lockTimeoutMs };
  }

  get isProbed(): boolean {
    return this.probed;
  }

  get sblVersion(): number {
    return this.version;
  }

  get items(): number {
    return this.itemCount;
  }

  /** The TCSR mutex driver probed: a deferred probe() can now succeed. */
  provideHwlocks(bank: HwSpinlockBank): void {
    this.hwlocks ??= bank;
  }

  /**
   * Validates what the boot loader left and discovers the partitions; throws EINVAL, or
   * EPROBE_DEFER while the hwspinlock is missing (the driver core retries later).
   */
  probe(): void {
    if (this.probed) return;
    if (!this.hwlocks) throw new KernelError(Errno.EPROBE_DEFER, 'the SMEM hwspinlock is not available yet');
    this.hwlock ??= this.hwlocks.lock(this.hwlockId);
    if (this.load32(Header.initialized) !== 1 || this.load32(Header.reserved) !== 0) {
      throw new KernelError(Errno.EINVAL, 'SMEM is not initialized by SBL');
    }
    const version = this.load32(Header.version + SMEM_MASTER_SBL_VERSION_INDEX * 4) >>> 16;
    if (version !== SMEM_GLOBAL_HEAP_VERSION && version !== SMEM_GLOBAL_PART_VERSION) {
      throw new KernelError(Errno.EINVAL, `Unsupported SMEM version 0x${version.toString(16)}`);
    }
    const table = this.region.byteLength - PTABLE_BYTES;
    const hasTable = table > Header.size && this.load32(table + Ptable.magic) === PTABLE_MAGIC;
    if (hasTable && this.load32(table + Ptable.version) !== 1) {
      throw new KernelError(Errno.EINVAL, 'Unsupported partition header version');
    }
    const partitions = new Map<number, Partition>();
    let global: Partition | undefined;
    let itemCount = SMEM_ITEM_COUNT;
    if (version === SMEM_GLOBAL_PART_VERSION) {
      if (!hasTable) throw new KernelError(Errno.EINVAL, 'Missing partition table');
      global = this.findGlobalPartition(table);
      itemCount = this.readItemCount(table);
    }
    if (hasTable) this.enumeratePartitions(table, partitions);
    this.version = version;
    this.itemCount = itemCount;
    this.globalPartition = global;
    for (const [host, p] of partitions) this.partitions.set(host, p);
    this.probed = true;
  }

  /** Allocates `size` bytes for `item`, shared with `host` (or QCOM_SMEM_HOST_ANY). */
  alloc(host: number, item: number, size: number): void {
    this.requireProbed();
    if (!Number.isInteger(item) || item < SMEM_ITEM_LAST_FIXED) {
      throw new KernelError(Errno.EINVAL, `item ${item} is reserved for the boot loader`);
    }
    if (item >= this.itemCount) throw new KernelError(Errno.EINVAL, `item ${item} >= ${this.itemCount}`);
    if (!Number.isInteger(size) || size < 0 || size > 0xffff_fff8) throw new KernelError(Errno.EINVAL, `bad size ${size}`);
    const hwlock = this.hwlock!; // set by probe(), which requireProbed() checked
    hwlock.lockTimeout(this.lockOwner, this.lockTimeoutMs);
    try {
      const part = this.partitionFor(host);
      if (part) this.allocPrivate(part, item, size);
      else this.allocGlobal(item, size);
    } finally {
      hwlock.unlock();
    }
  }

  /** Looks an item up without taking the lock. */
  get(host: number, item: number): SmemItem {
    this.requireProbed();
    if (!Number.isInteger(item) || item < 0 || item >= this.itemCount) {
      throw new KernelError(Errno.EINVAL, `item ${item} out of range`);
    }
    const part = this.partitionFor(host);
    return part ? this.getPrivate(part, item) : this.getGlobal(item);
  }

  getFreeSpace(host: number): number {
    this.requireProbed();
    const part = this.partitionFor(host);
    if (part) {
      const free =
        this.load32(part.offset + PartitionHeader.offsetFreeCached) - this.load32(part.offset + PartitionHeader.offsetFreeUncached);
      if (free < 0 || free > part.size) throw new KernelError(Errno.EINVAL, 'corrupt partition header');
      return free;
    }
    const available = this.load32(Header.available);
    if (available > this.region.byteLength) throw new KernelError(Errno.EINVAL, 'corrupt heap header');
    return available;
  }

  /** Physical address of a region offset, or 0n when it lies outside SMEM. */
  virtToPhys(offset: number): bigint {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.region.byteLength) return 0n;
    return this.region.physBase + BigInt(offset);
  }

  /**
   * Frees the SMEM hardware lock if the crashed processor `host` died holding it
   * (`qcom_smem_bust_hwspin_lock_by_host`). Returns whether the lock was released.
   */
  bustHwspinLockByHost(host: number): boolean {
    if (!Number.isInteger(host) || host === SmemHost.APPS || host < 0 || host >= SMEM_HOST_COUNT) {
      throw new KernelError(Errno.EINVAL, `cannot bust the lock for host ${host}`);
    }
    this.requireProbed();
    return this.hwlock!.bust(host + 1);
  }

  /** Whether a private partition with `host` exists for this processor. */
  hasPartition(host: number): boolean {
    return this.partitions.has(host);
  }

  private requireProbed(): void {
    if (!this.probed) throw new KernelError(Errno.EPROBE_DEFER, 'SMEM not probed yet');
  }

  private partitionFor(host: number): Partition | undefined {
    if (host >= 0 && host < SMEM_HOST_COUNT) {
      const p = this.partitions.get(host);
      if (p) return p;
    }
    return this.globalPartition;
  }

  private allocGlobal(item: number, size: number): void {
    const entry = Header.toc + item * TocEntry.size_;
    if (this.load32(entry + TocEntry.allocated) !== 0) throw new KernelError(Errno.EEXIST, `item ${item} already allocated`);
    const aligned = align8(size);
    const available = this.load32(Header.available);
    if (aligned > available) throw new KernelError(Errno.ENOMEM, `item ${item}: ${aligned} > ${available} bytes available`);
    const offset = this.load32(Header.freeOffset);
    this.store32(entry + TocEntry.offset, offset);
    this.store32(entry + TocEntry.size, aligned);
    // Publish last: a lock-free reader that sees allocated = 1 also sees offset and size.
    this.store32(entry + TocEntry.allocated, 1);
    this.store32(Header.freeOffset, offset + aligned);
    this.store32(Header.available, available - aligned);
  }

  private getGlobal(item: number): SmemItem {
    const entry = Header.toc + item * TocEntry.size_;
    if (this.load32(entry + TocEntry.allocated) === 0) throw new KernelError(Errno.ENXIO, `item ${item} not allocated`);
    const offset = this.load32(entry + TocEntry.offset);
    const size = this.load32(entry + TocEntry.size);
    const auxBase = (this.load32(entry + TocEntry.auxBase) & AUX_BASE_MASK) >>> 0;
    const aux = (r: SmemRegion): number => Number(r.physBase & 0xffffffffn);
    if (auxBase === 0 || auxBase === aux(this.region)) {
      if (offset + size > this.region.byteLength) throw new KernelError(Errno.EINVAL, `item ${item} runs past the region`);
      return this.item(offset, size);
    }
    const region = this.auxRegions.find((r) => aux(r) === auxBase);
    if (!region) throw new KernelError(Errno.ENOENT, `item ${item} lives in region 0x${auxBase.toString(16)}, which is not mapped`);
    if (offset + size > region.byteLength) throw new KernelError(Errno.EINVAL, `item ${item} runs past region 0x${auxBase.toString(16)}`);
    return { offset, size, phys: region.physBase + BigInt(offset), bytes: new Uint8Array(region.buffer, region.byteOffset + offset, size) };
  }

  private allocPrivate(part: Partition, item: number, size: number): void {
    this.walkUncached(part);
    if (part.index.has(item)) throw new KernelError(Errno.EEXIST, `item ${item} already allocated`);
    const freeUncached = this.load32(part.offset + PartitionHeader.offsetFreeUncached);
    const freeCached = this.load32(part.offset + PartitionHeader.offsetFreeCached);
    const aligned = align8(size);
    const needed = PrivateEntry.bytes + aligned;
    if (freeUncached + needed > freeCached) throw new KernelError(Errno.ENOSPC, `item ${item}: partition full`);
    const e = part.offset + freeUncached;
    this.store16(e + PrivateEntry.canary, SMEM_PRIVATE_CANARY);
    this.store16(e + PrivateEntry.item, item);
    this.store32(e + PrivateEntry.size, aligned);
    this.store16(e + PrivateEntry.paddingData, aligned - size);
    this.store16(e + PrivateEntry.paddingHdr, 0);
    // Publish by moving the free offset past the finished entry.
    this.store32(part.offset + PartitionHeader.offsetFreeUncached, freeUncached + needed);
  }

  private getPrivate(part: Partition, item: number): SmemItem {
    this.walkUncached(part);
    const e = part.index.get(item);
    if (e !== undefined) {
      const stored = this.load32(e + PrivateEntry.size);
      const size = stored - this.load16(e + PrivateEntry.paddingData);
      const data = e + PrivateEntry.bytes + this.load16(e + PrivateEntry.paddingHdr);
      if (size < 0 || data + size > part.offset + part.size) throw new KernelError(Errno.EINVAL, `item ${item} entry is corrupt`);
      return this.item(data, size);
    }
    return this.getCached(part, item);
  }

  /** Cached entries grow down from the partition end (data below header); Linux only reads them. */
  private getCached(part: Partition, item: number): SmemItem {
    const end = part.offset + this.load32(part.offset + PartitionHeader.offsetFreeCached);
    const hdrStride = alignUp(PrivateEntry.bytes, part.cacheline);
    let e = part.offset + part.size - hdrStride;
    while (e > end) {
      if (this.load16(e + PrivateEntry.canary) !== SMEM_PRIVATE_CANARY) throw new KernelError(Errno.EINVAL, 'bad canary in cached list');
      const stored = this.load32(e + PrivateEntry.size);
      if (this.load16(e + PrivateEntry.item) === item) {
        const size = stored - this.load16(e + PrivateEntry.paddingData);
        return this.item(e - stored, size);
      }
      e = e - stored - hdrStride;
    }
    throw new KernelError(Errno.ENOENT, `item ${item} not found`);
  }

  /** Indexes entries published since the last walk; entries are append-only and never move. */
  private walkUncached(part: Partition): void {
    const end = part.offset + this.load32(part.offset + PartitionHeader.offsetFreeUncached);
    let e = part.walked;
    while (e < end) {
      if (this.load16(e + PrivateEntry.canary) !== SMEM_PRIVATE_CANARY) {
        throw new KernelError(Errno.EINVAL, `bad canary at 0x${e.toString(16)}`);
      }
      const item = this.load16(e + PrivateEntry.item);
      if (!part.index.has(item)) part.index.set(item, e);
      e += PrivateEntry.bytes + this.load16(e + PrivateEntry.paddingHdr) + this.load32(e + PrivateEntry.size);
    }
    if (e > end) throw new KernelError(Errno.EINVAL, 'uncached list runs past the free offset');
    part.walked = e;
  }

  private findGlobalPartition(table: number): Partition {
    const n = this.load32(table + Ptable.numEntries);
    for (let i = 0; i < n; i++) {
      const e = table + Ptable.header + i * Ptable.entry;
      if (this.load16(e + PtableEntry.host0) === SMEM_GLOBAL_HOST && this.load16(e + PtableEntry.host1) === SMEM_GLOBAL_HOST) {
        return this.validatePartition(e, SMEM_GLOBAL_HOST, SMEM_GLOBAL_HOST);
      }
    }
    throw new KernelError(Errno.EINVAL, 'Missing entry for global partition');
  }

  private enumeratePartitions(table: number, into: Map<number, Partition>): void {
    const n = this.load32(table + Ptable.numEntries);
    for (let i = 0; i < n; i++) {
      const e = table + Ptable.header + i * Ptable.entry;
      if (this.load32(e + PtableEntry.offset) === 0 || this.load32(e + PtableEntry.size) === 0) continue;
      const host0 = this.load16(e + PtableEntry.host0);
      const host1 = this.load16(e + PtableEntry.host1);
      let remote: number;
      if (host0 === this.localHost) remote = host1;
      else if (host1 === this.localHost) remote = host0;
      else continue;
      if (remote >= SMEM_HOST_COUNT) throw new KernelError(Errno.EINVAL, `bad host ${remote}`);
      if (into.has(remote)) throw new KernelError(Errno.EINVAL, `duplicate host ${remote}`);
      into.set(remote, this.validatePartition(e, host0, host1));
    }
  }

  private validatePartition(entry: number, host0: number, host1: number): Partition {
    const offset = this.load32(entry + PtableEntry.offset);
    const size = this.load32(entry + PtableEntry.size);
    const cacheline = this.load32(entry + PtableEntry.cacheline) || 8;
    if (offset % 8 !== 0 || offset + size > this.region.byteLength - PTABLE_BYTES || size < PartitionHeader.bytes) {
      throw new KernelError(Errno.EINVAL, 'partition outside the region');
    }
    if (
      this.load32(offset + PartitionHeader.magic) !== PARTITION_MAGIC ||
      this.load16(offset + PartitionHeader.host0) !== host0 ||
      this.load16(offset + PartitionHeader.host1) !== host1 ||
      this.load32(offset + PartitionHeader.size) !== size ||
      this.load32(offset + PartitionHeader.offsetFreeUncached) > size
    ) {
      throw new KernelError(Errno.EINVAL, `bad partition header at 0x${offset.toString(16)}`);
    }
    return { offset, size, cacheline, index: new Map(), walked: offset + PartitionHeader.bytes };
  }

  private readItemCount(table: number): number {
    const n = this.load32(table + Ptable.numEntries);
    const info = table + Ptable.header + n * Ptable.entry;
    if (info + Info.numItems + 2 > this.region.byteLength || this.load32(info + Info.magic) !== INFO_MAGIC) return SMEM_ITEM_COUNT;
    return this.load16(info + Info.numItems);
  }

  private item(offset: number, size: number): SmemItem {
    return {
      offset,
      size,
      phys: this.region.physBase + BigInt(offset),
      bytes: this.bytes.subarray(offset, offset + size),
    };
  }

  private load32(offset: number): number {
    return Atomics.load(this.u32, offset >>> 2);
  }

  private store32(offset: number, value: number): void {
    Atomics.store(this.u32, offset >>> 2, value);
  }

  private load16(offset: number): number {
    return Atomics.load(this.u16, offset >>> 1);
  }

  private store16(offset: number, value: number): void {
    Atomics.store(this.u16, offset >>> 1, value);
  }
}
