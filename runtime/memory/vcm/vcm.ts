import { Errno, KernelError } from '../errno.ts';
import type { PhysicalMemory } from '../phys.ts';
import type { ContextBank, FaultInfo } from '../smmu/context.ts';
import { IommuProt } from '../smmu/formats.ts';
import { BlockPoolAllocator, VCM_DEFAULT_POOLS, type Block, type BlockPoolConfig } from './block-pool.ts';
import { GenPool } from './genpool.ts';

const K = 1024;
const M = 1024 * K;
const VMM_PAGE = 4 * K;

export type VcmType = 'device' | 'one-to-one' | 'ext-kernel' | 'ext-user';
/** vcm_create_from_prebuilt ids. */
export const VcmPrebuilt = { KERNEL: 1, USER: 2 } as const;
/**
 * Reservation attributes (vcm_types.h of the MSM implementation): access bits, and the cache
 * policy in bits 3:0. The implementation hands only the cache policy to smmu_map; a policy other
 * than the four below makes vcm_back fail. The access bits are kept with the reservation.
 */
export const VcmAttr = {
  READ: 1 << 9,
  WRITE: 1 << 8,
  EXECUTE: 1 << 7,
  USER: 1 << 6,
  SUPERVISOR: 1 << 5,
  SECURE: 1 << 4,
  CACHE_POLICY: 0xf,
  NOTCACHED: 0,
  WB_WA: 1,
  WB_NWA: 2,
  WT: 3,
} as const;

/** VCM_ALIGN_ATTR(order): a reservation aligned to 2^order bytes instead of by its size class. */
export const vcmAlignAttr = (order: number): number => (order & 0x1f) << 10;

/** enum memtype_t's VCM_INVALID: the only memory type the implementation reports. */
export const VCM_MEMTYPE_INVALID = 0;

/** vcm_phys_alloc attributes. The implementation acts on PHYS_CONT only; the others are kept. */
export const VcmPhysAttr = { COHERENT: 1 << 0, PHYS_CONT: 1 << 1, ALL: 1 << 2, SZ_1MB: 1 << 3, SZ_64KB: 1 << 4, SZ_4KB: 1 << 5 } as const;

/** vcm_phys_alloc attribute: physically contiguous (the one-to-one region). */
export const VCM_PHYS_CONTIGUOUS = VcmPhysAttr.PHYS_CONT;

/** Association attributes (split, use-high, use-low). vcm_set_assoc_attr was a stub: they are kept, not applied. */
export const VcmAssocAttr = { USE_HIGH_BASE: 1 << 1, USE_LOW_BASE: 1 << 2, SPLIT: 1 << 3 } as const;

/** The SMMU leaf protection vcm_back maps a reservation with, or undefined for a bad cache policy. */
export function leafProtOf(attr: number): number | undefined {
  const policy = attr & VcmAttr.CACHE_POLICY;
  if (policy > VcmAttr.WT) return undefined;
  // Device access is not narrowed by the reservation's access bits: smmu_map got the cache attribute only.
  return IommuProt.READ | IommuProt.WRITE | (policy === VcmAttr.NOTCACHED ? 0 : IommuProt.CACHE);
}

export interface Vcm {
  readonly id: number;
  readonly type: VcmType;
  readonly start: number;
  readonly len: number;
  readonly pool: GenPool | undefined;
  readonly reservations: Set<Reservation>;
  readonly assocs: Set<Avcm>;
}

export interface Reservation {
  readonly vcm: Vcm;
  readonly len: number;
  readonly attr: number;
  /** A VMM reservation is mapped into the kernel's address space (vcm_back on a VCM_EXT_KERNEL). */
  vmmMapped?: boolean;
  /** Pool range (start, size) including the alignment slack; undefined for one-to-one. */
  readonly poolStart: number;
  readonly poolSize: number;
  devAddr: number;
  backing: PhysMem | undefined;
  /** A back() that failed half way left maps behind. */
  undefinedState: boolean;
}

/** The CPU as a device (the walk-through's `dev_cpu`): what a VMM VCM is associated with. */
export const VCM_CPU = Object.freeze({ cpu: true as const });
export type VcmCpu = typeof VCM_CPU;

export interface Avcm {
  readonly vcm: Vcm;
  /** An SMMU context for device VCMs; the CPU or a context for the others. */
  readonly dev: ContextBank | VcmCpu;
  readonly attr: number;
  active: boolean;
}

/** The SMMU context of an association of a device VCM (assoc only links device VCMs to contexts). */
function contextOf(a: Avcm): ContextBank {
  if (a.dev === VCM_CPU) throw new Error('a device VCM is associated with an SMMU context, not the CPU');
  return a.dev as ContextBank;
}

export interface PhysMem {
  readonly len: number;
  readonly blocks: readonly Block[];
  readonly contiguous: boolean;
}

/** vcm_handler: gets the fault and the `data` given to vcm_hook; 1 = retry, 0 = terminate. */
export type VcmHandler = (fault: FaultInfo, data: unknown) => number;

export interface VcmOptions {
  readonly pools?: BlockPoolConfig;
  /** Size of the boot-time contiguous region (one-to-one VCMs, CONTIGUOUS physmems). */
  readonly contiguousSize?: number;
}

/**
 * The VCM API (2010 RFC) over the SMMU and physical models. Return conventions follow
 * the C: constructors return null on failure, int functions 0 or a negative errno (-1 for
 * a hardware failure), vcm_get_dev_addr 1 on error.
 */
export class VcmManager {
  readonly blocks: BlockPoolAllocator;
  readonly contigBase: bigint;
  readonly contigSize: number;
  private readonly contigPool: GenPool;
  private readonly activeHw = new Set<ContextBank>();
  private readonly physmems = new Set<PhysMem>();
  private nextId = 1;
  private readonly extPool = new GenPool(0xc000_0000, 0x1000_0000);
  /** Hardware failure injection for activate/deactivate, consumed once. */
  failHw = 0;
  /**
   * Teardown in the wrong order, which the implementation allowed and which leaves device
   * mappings to memory that is no longer reserved or allocated: one line per occurrence.
   */
  readonly warnings: string[] = [];
  private readonly backed = new Set<Reservation>();
  /** The kernel's page mappings of VMM reservations: page address -> physical page. */
  private readonly vmmPages = new Map<number, bigint>();

  constructor(
    readonly phys: PhysicalMemory,
    opts: VcmOptions = {},
  ) {
    this.blocks = new BlockPoolAllocator(phys, opts.pools ?? VCM_DEFAULT_POOLS);
    this.contigSize = opts.contiguousSize ?? 8 * M;
    this.contigBase = phys.allocContiguous(this.contigSize, M).pa;
    this.contigPool = new GenPool(Number(this.contigBase), this.contigSize);
  }

  create(startAddr: number, len: number): Vcm | null {
    if (!(len > 0)) return null;
    const oneToOne = startAddr === Number(this.contigBase) && len === this.contigSize;
    return this.newVcm(oneToOne ? 'one-to-one' : 'device', startAddr, len, oneToOne ? undefined : new GenPool(startAddr, len));
  }

  createFromPrebuilt(extId: number): Vcm | null {
    if (extId === VcmPrebuilt.KERNEL) return this.newVcm('ext-kernel', 0, 0, undefined);
    if (extId === VcmPrebuilt.USER) return this.newVcm('ext-user', 0, 0, undefined);
    return null;
  }

  /** Refused (-EINVAL, the header's -EBUSY folded) while reservations or associations exist. */
  free(vcm: Vcm): number {
    if (vcm.reservations.size > 0 || vcm.assocs.size > 0) return -Errno.EINVAL;
    return 0;
  }

  reserve(vcm: Vcm, len: number, attr = 0): Reservation | null {
    if (!(len > 0)) return null;
    let poolStart = 0;
    let poolSize = 0;
    let devAddr = 0;
    if (vcm.type === 'device') {
      const order = (attr >> 10) & 0x1f;
      const align = order !== 0 ? 2 ** order : len >= M ? M : len >= 64 * K ? 64 * K : 4 * K;
      poolSize = align + len;
      poolStart = vcm.pool!.alloc(poolSize);
      if (poolStart === 0) return null;
      // rounded up past the start: an aligned start skips a whole alignment unit
      devAddr = Math.floor(poolStart / align) * align + align;
    } else if (vcm.type !== 'one-to-one') {
      poolSize = len;
      poolStart = this.extPool.alloc(len);
      if (poolStart === 0) return null;
      devAddr = poolStart;
    }
    const res: Reservation = { vcm, len, attr, poolStart, poolSize, devAddr, backing: undefined, undefinedState: false };
    vcm.reservations.add(res);
    return res;
  }

  /**
   * vcm_reserve_at: a reservation from a memory target. The implementation never had memory
   * targets: it returns NULL, and so does this.
   */
  reserveAt(_memtarget: number, _vcm: Vcm, _len: number, _attr = 0): Reservation | null {
    return null;
  }

  /** vcm_get_memtype_of_res: VCM_INVALID (0) for every reservation, as in the implementation. */
  getMemtypeOfRes(_res: Reservation): number {
    return VCM_MEMTYPE_INVALID;
  }

  /**
   * Frees the range. Like the implementation it does not refuse a reservation that is still
   * backed, but it records a warning: the device keeps mappings into a freed range.
   */
  unreserve(res: Reservation): number {
    if (!res.vcm.reservations.has(res)) return -Errno.EINVAL;
    // A VMM reservation still mapped is refused ("res->mapped is true"), unlike a device one.
    if (res.vmmMapped) return -Errno.EINVAL;
    res.vcm.reservations.delete(res);
    if (res.backing) {
      this.warnings.push(
        `vcm_unreserve of a reservation still backed (${res.len} bytes at device address 0x${res.devAddr.toString(16)}): call vcm_unback first`,
      );
      this.backed.delete(res);
    }
    if (res.vcm.type === 'device') res.vcm.pool!.free(res.poolStart, res.poolSize);
    else if (res.vcm.type !== 'one-to-one') this.extPool.free(res.poolStart, res.poolSize);
    return 0;
  }

  assoc(vcm: Vcm, dev: ContextBank | VcmCpu | null, attr = 0): Avcm | null {
    if (!dev) return null;
    if (vcm.type === 'ext-kernel' && vcm.assocs.size >= 1) return null;
    if (vcm.type === 'device' && dev === VCM_CPU) return null;
    // Until vcm_activate programs it, the context does not translate.
    if (vcm.type === 'device' && !this.activeHw.has(dev as ContextBank)) (dev as ContextBank).disable();
    const a: Avcm = { vcm, dev, attr, active: false };
    vcm.assocs.add(a);
    return a;
  }

  deassoc(avcm: Avcm): number {
    if (avcm.active) return -Errno.EBUSY;
    return avcm.vcm.assocs.delete(avcm) ? 0 : -Errno.EINVAL;
  }

  /** Programs the SMMU context of a device VCM; VMM and one-to-one associations only count as active. */
  activate(avcm: Avcm): number {
    if (!avcm.dev) return -Errno.ENODEV;
    if (avcm.active) return -Errno.EBUSY;
    if (avcm.vcm.type !== 'device') {
      avcm.active = true;
      return 0;
    }
    const ctx = contextOf(avcm);
    if (this.activeHw.has(ctx)) return -Errno.EBUSY;
    if (this.failHw > 0) {
      this.failHw--;
      return -1;
    }
    avcm.active = true;
    this.activeHw.add(ctx);
    ctx.enable();
    return 0;
  }

  deactivate(avcm: Avcm): number {
    if (!avcm.vcm.assocs.has(avcm)) return -Errno.EINVAL;
    if (!avcm.active) return -Errno.ENOENT;
    if (avcm.vcm.type !== 'device') {
      avcm.active = false;
      return 0;
    }
    if (this.failHw > 0) {
      this.failHw--;
      return -1;
    }
    const ctx = contextOf(avcm);
    avcm.active = false;
    this.activeHw.delete(ctx);
    ctx.disable();
    return 0;
  }

  physAlloc(_memtype: number, len: number, attr = 0): PhysMem | null {
    if (!(len > 0)) return null;
    if (attr & VCM_PHYS_CONTIGUOUS) {
      const size = Math.ceil(len / (4 * K)) * 4 * K;
      const pa = this.contigPool.alloc(size);
      if (pa === 0) return null;
      return this.track({ len, blocks: [{ pa: BigInt(pa), size }], contiguous: true });
    }
    const blocks = this.blocks.alloc(len);
    return blocks ? this.track({ len, blocks, contiguous: false }) : null;
  }

  /** Frees the blocks; a physmem still backing a reservation is freed too, with a warning. */
  physFree(pm: PhysMem): number {
    if (!this.physmems.delete(pm)) return -Errno.EINVAL;
    for (const res of this.backed) {
      if (res.backing === pm)
        this.warnings.push(
          `vcm_phys_free of memory still backing a reservation (${pm.len} bytes): the device can still reach the freed blocks`,
        );
    }
    if (pm.contiguous) this.contigPool.free(Number(pm.blocks[0]!.pa), pm.blocks[0]!.size);
    else this.blocks.free(pm.blocks);
    return 0;
  }

  /**
   * Maps each block, in order, at consecutive device addresses on every associated
   * context. Requires equal lengths, >= 1 association (-EINVAL) and all of them active
   * (-EAGAIN).
   */
  back(res: Reservation, pm: PhysMem): number {
    const prot = res.vcm.type === 'device' || res.vcm.type === 'ext-kernel' ? leafProtOf(res.attr) : 0;
    if (prot === undefined) return -Errno.EINVAL; // "Bad SMMU attr"
    if (res.len !== pm.len || pm.blocks.length === 0 || !this.physmems.has(pm)) return -Errno.EINVAL;
    const assocs = [...res.vcm.assocs];
    if (assocs.length === 0) return -Errno.EINVAL;
    if (assocs.some((a) => !a.active)) return -Errno.EAGAIN;
    if (res.vcm.type === 'one-to-one') res.devAddr = Number(pm.blocks[0]!.pa);
    if (res.vcm.type === 'device') {
      for (const a of assocs) {
        const ctx = contextOf(a);
        let addr = res.devAddr;
        ctx.updateStart();
        try {
          for (const b of pm.blocks) {
            const r = ctx.map(BigInt(addr), b.pa, b.size, prot);
            if (r !== 0) {
              res.undefinedState = true; // earlier blocks stay mapped, as in the implementation
              return r;
            }
            addr += b.size;
          }
        } finally {
          ctx.updateDone();
        }
      }
    } else if (res.vcm.type === 'ext-kernel') {
      this.mapVmm(res, pm);
    } else if (res.vcm.type !== 'one-to-one') {
      return -Errno.EINVAL; // vcm_back has no case for a user VMM VCM
    }
    res.backing = pm;
    this.backed.add(res);
    return 0;
  }

  unback(res: Reservation): number {
    if (!res.backing) return -Errno.EINVAL;
    const assocs = [...res.vcm.assocs];
    if (assocs.length === 0) return -Errno.EINVAL;
    if (assocs.some((a) => !a.active)) return -Errno.EAGAIN;
    if (res.vcm.type === 'device') {
      const total = res.backing.blocks.reduce((n, b) => n + b.size, 0);
      for (const a of assocs) {
        const ctx = contextOf(a);
        ctx.updateStart();
        ctx.unmap(BigInt(res.devAddr), total);
        ctx.updateDone();
      }
    } else if (res.vcm.type === 'ext-kernel') {
      if (!res.vmmMapped) return -Errno.EINVAL; // "can't unback an unmapped VCM_EXT_KERNEL VCM"
      this.unmapVmm(res);
    }
    res.backing = undefined;
    this.backed.delete(res);
    return 0;
  }

  /** Device address of a reservation (the PA for one-to-one VCMs); 1 on error. */
  getDevAddr(res: Reservation | null): number {
    if (!res || !res.vcm.reservations.has(res)) return 1;
    return res.devAddr;
  }

  /** vcm_hook: fault handler for a device, called with `data`; 1 = retry, 0 = terminate. */
  hook(dev: ContextBank, handler: VcmHandler | undefined, data?: unknown): number {
    if (dev.convention !== 'msm') return -Errno.EINVAL;
    dev.setFaultHandler(handler ? (fault) => handler(fault, data) : undefined);
    return 0;
  }

  /**
   * The kernel (VMM) reading memory a VMM reservation maps: stage 2 of the walk-through. Throws
   * KernelError(EFAULT) where no backed VMM reservation maps the address.
   */
  vmmRead(va: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.vmmWalk(va, len, (pa, off, n) => out.set(this.phys.view(pa, n), off));
    return out;
  }

  /** The kernel writing through a VMM reservation (see vmmRead). */
  vmmWrite(va: number, data: Uint8Array): void {
    this.vmmWalk(va, data.length, (pa, off, n) => this.phys.view(pa, n).set(data.subarray(off, off + n)));
  }

  private vmmWalk(va: number, len: number, each: (pa: bigint, off: number, n: number) => void): void {
    for (let off = 0; off < len;) {
      const addr = va + off;
      const page = addr - (addr % VMM_PAGE);
      const pa = this.vmmPages.get(page);
      if (pa === undefined) throw new KernelError(Errno.EFAULT, `VMM address 0x${addr.toString(16)} is not mapped`);
      const n = Math.min(VMM_PAGE - (addr - page), len - off);
      each(pa + BigInt(addr - page), off, n);
      off += n;
    }
  }

  /** ioremap_page of every page of the backing at the reservation's address. */
  private mapVmm(res: Reservation, pm: PhysMem): void {
    let va = res.devAddr;
    for (const b of pm.blocks) {
      for (let off = 0; off < b.size; off += VMM_PAGE, va += VMM_PAGE) this.vmmPages.set(va, b.pa + BigInt(off));
    }
    res.vmmMapped = true;
  }

  private unmapVmm(res: Reservation): void {
    const total = res.backing!.blocks.reduce((n, b) => n + b.size, 0);
    for (let off = 0; off < total; off += VMM_PAGE) this.vmmPages.delete(res.devAddr + off);
    res.vmmMapped = false;
  }

  /** Live physmems (for invariant checks). */
  livePhysmems(): PhysMem[] {
    return [...this.physmems];
  }

  private track(pm: PhysMem): PhysMem {
    this.physmems.add(pm);
    return pm;
  }

  private newVcm(type: VcmType, start: number, len: number, pool: GenPool | undefined): Vcm {
    return { id: this.nextId++, type, start, len, pool, reservations: new Set(), assocs: new Set() };
  }
}
