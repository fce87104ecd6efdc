import { Errno, KernelError } from './errno.ts';
import { MemoryOwnership, ScmPerm, Vmid, vmBitmap } from './ownership.ts';
import { PAGE_SIZE, type PhysAllocation, type PhysicalMemory } from './phys.ts';

/** Heap ids as rpcmem/ION number them. */
export const HeapId = {
  SECURE: 9,
  CONTIG: 22,
  SYSTEM: 25,
} as const;

/** Heap flags an rpcmem/ION caller passes (lflags / ion_flags). */
export const HeapFlag = {
  /** rpcmem: RPCMEM_FLAG_CACHED (RPCMEM_DEFAULT_FLAGS). */
  CACHED: 0x1,
  /** rpcmem: RPCMEM_HEAP_UNCACHED, wins over CACHED. */
  UNCACHED: 0x2000_0000,
  /** rpcmem: RPCMEM_HEAP_NOREG, the buffer is not registered with the FastRPC driver. */
  NOREG: 0x4000_0000,
} as const;

export type HeapKind = 'system' | 'contiguous' | 'secure';

export interface HeapBuffer {
  readonly id: number;
  readonly heapId: number;
  readonly kind: HeapKind;
  /** Bytes asked for. */
  readonly requested: number;
  /** Whole pages held. */
  readonly size: number;
  readonly cached: boolean;
  readonly secure: boolean;
  readonly phys: PhysAllocation;
  /** Owner bitmap to give back to HLOS on free (secure heap only). */
  owners: bigint;
}

export interface HeapSpec {
  readonly id: number;
  readonly kind: HeapKind;
}

export const DEFAULT_HEAPS: readonly HeapSpec[] = [
  { id: HeapId.SYSTEM, kind: 'system' },
  { id: HeapId.CONTIG, kind: 'contiguous' },
  { id: HeapId.SECURE, kind: 'secure' },
];

/**
 * Heaps by id over one physical memory. Memory handed out is zeroed. Secure-heap memory
 * is assigned to the content-protection VM at allocation, so HLOS cannot read it.
 */
export class HeapRegistry {
  private readonly heaps = new Map<number, HeapSpec>();
  private readonly live = new Map<number, HeapBuffer>();
  private nextId = 1;

  constructor(
    readonly phys: PhysicalMemory,
    readonly ownership: MemoryOwnership = new MemoryOwnership(),
    heaps: readonly HeapSpec[] = DEFAULT_HEAPS,
  ) {
    for (const h of heaps) this.heaps.set(h.id, h);
  }

  has(heapId: number): boolean {
    return this.heaps.has(heapId);
  }

  /** Unknown heap -> -ENODEV; size <= 0 -> -EINVAL; no memory -> -ENOMEM. */
  alloc(heapId: number, flags: number, size: number): HeapBuffer {
    const spec = this.heaps.get(heapId);
    if (!spec) throw new KernelError(Errno.ENODEV, `no heap with id ${heapId}`);
    if (!Number.isSafeInteger(size) || size <= 0) throw new KernelError(Errno.EINVAL, `size ${size}`);
    const phys = spec.kind === 'system' ? this.phys.allocScattered(size) : this.phys.allocContiguous(size);
    this.phys.zero(phys);
    const secure = spec.kind === 'secure';
    let owners = vmBitmap(Vmid.HLOS);
    if (secure) {
      try {
        owners = this.ownership.assign(phys.chunks, owners, [{ vmid: Vmid.CP_PIXEL, perm: ScmPerm.RW }]);
      } catch (e) {
        this.phys.free(phys.pa);
        throw e;
      }
    }
    const cached = (flags & HeapFlag.UNCACHED) === 0 && (flags & HeapFlag.CACHED) !== 0 && !secure;
    const buf: HeapBuffer = {
      id: this.nextId++,
      heapId,
      kind: spec.kind,
      requested: size,
      size: Math.ceil(size / PAGE_SIZE) * PAGE_SIZE,
      cached,
      secure,
      phys,
      owners,
    };
    this.live.set(buf.id, buf);
    return buf;
  }

  /**
   * Returns the pages. If the memory cannot be given back to HLOS it is leaked on
   * purpose (and stays listed in `leaked`), as the kernel does.
   */
  free(buf: HeapBuffer): void {
    if (!this.live.delete(buf.id)) throw new KernelError(Errno.EINVAL, `heap buffer ${buf.id} is not live`);
    if (buf.owners !== vmBitmap(Vmid.HLOS)) {
      try {
        buf.owners = this.ownership.assign(buf.phys.chunks, buf.owners, [{ vmid: Vmid.HLOS, perm: ScmPerm.RWX }]);
      } catch {
        this.leaked.push(buf);
        return;
      }
    }
    this.phys.free(buf.phys.pa);
  }

  readonly leaked: HeapBuffer[] = [];

  liveBuffers(): HeapBuffer[] {
    return [...this.live.values()];
  }
}
