import { Errno, KernelError } from './errno.ts';

/** 4 KiB: the page size of every allocator in the simulation. */
export const PAGE_SIZE = 4096;

export interface PhysBank {
  readonly base: bigint;
  readonly size: number;
}

export type PhysicalMemoryOptions = { readonly base: bigint; readonly size: number } | { readonly banks: readonly PhysBank[] };

/** One physically contiguous piece of an allocation. */
export interface PhysChunk {
  readonly pa: bigint;
  readonly size: number;
}

/** An allocation: `pa` is the first chunk's address and the key for `free`. */
export interface PhysAllocation {
  readonly pa: bigint;
  readonly size: number;
  readonly chunks: readonly PhysChunk[];
  readonly contiguous: boolean;
}

/** What a worker needs to see the same bytes: the banks and their shared buffers. */
export interface PhysicalMemoryShare {
  readonly banks: readonly { base: bigint; size: number; buffer: SharedArrayBuffer }[];
}

interface Bank {
  readonly base: bigint;
  readonly baseNum: number;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly buffer: SharedArrayBuffer;
  /** Free page runs [start, start+len) in page indices relative to the bank, sorted. */
  free: { start: number; len: number }[];
}

/** Orders (in pages) a scattered allocation tries, largest first, like the ION system heap. */
const SCATTER_ORDERS = [256, 16, 1] as const;

function pageAlign(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * A simulated physical address space backed by real bytes. Each bank is a
 * SharedArrayBuffer, so views handed to workers alias the same memory. Allocation is
 * page granular: contiguous (CMA-like, first fit from the bottom, aligned) or scattered
 * (high-order pieces first, like a system heap). Allocation state lives in this object
 * only; an attached copy in a worker sees the bytes, not the allocator.
 */
export class PhysicalMemory {
  readonly banks: readonly PhysBank[];
  private readonly bankState: Bank[];
  private readonly allocations = new Map<bigint, PhysAllocation>();
  private freePagesCount = 0;

  constructor(opts: PhysicalMemoryOptions, shared?: readonly SharedArrayBuffer[]) {
    const banks = 'banks' in opts ? opts.banks : [{ base: opts.base, size: opts.size }];
    if (banks.length === 0) throw new RangeError('PhysicalMemory needs at least one bank');
    const sorted = [...banks].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    this.bankState = sorted.map((b, i) => {
      if (b.base % BigInt(PAGE_SIZE) !== 0n || b.size <= 0 || b.size % PAGE_SIZE !== 0) {
        throw new RangeError(`bank 0x${b.base.toString(16)}+0x${b.size.toString(16)} is not page aligned`);
      }
      const prev = sorted[i - 1];
      if (prev && prev.base + BigInt(prev.size) > b.base) throw new RangeError('physical banks overlap');
      if (b.base + BigInt(b.size) > 2n ** 52n) throw new RangeError('physical addresses above 2^52 are not supported');
      const buffer = shared?.[i] ?? new SharedArrayBuffer(b.size);
      if (buffer.byteLength !== b.size) throw new RangeError('shared buffer size does not match its bank');
      this.freePagesCount += b.size / PAGE_SIZE;
      return {
        base: b.base,
        baseNum: Number(b.base),
        size: b.size,
        buffer,
        bytes: new Uint8Array(buffer),
        free: [{ start: 0, len: b.size / PAGE_SIZE }],
      };
    });
    this.banks = sorted.map((b) => ({ base: b.base, size: b.size }));
  }

  /** Rebuilds a byte-sharing view (no allocator state) from `share()` in another worker. */
  static attach(share: PhysicalMemoryShare): PhysicalMemory {
    const mem = new PhysicalMemory(
      { banks: share.banks.map((b) => ({ base: b.base, size: b.size })) },
      [...share.banks].sort((a, b) => (a.base < b.base ? -1 : 1)).map((b) => b.buffer),
    );
    // An attached view must not hand out memory the owner also hands out.
    for (const b of mem.bankState) b.free = [];
    mem.freePagesCount = 0;
    return mem;
  }

  share(): PhysicalMemoryShare {
    return { banks: this.bankState.map((b) => ({ base: b.base, size: b.size, buffer: b.buffer })) };
  }

  get totalBytes(): number {
    return this.bankState.reduce((n, b) => n + b.size, 0);
  }

  get freeBytes(): number {
    return this.freePagesCount * PAGE_SIZE;
  }

  /**
   * Physically contiguous allocation of `size` (rounded up to pages) at a PA that is a
   * multiple of `align` (a power of two >= 4 KiB). Throws KernelError(-ENOMEM) when no
   * free run fits, -EINVAL for a bad size or alignment.
   */
  allocContiguous(size: number, align: number = PAGE_SIZE): PhysAllocation {
    const bytes = this.checkSize(size);
    if (align < PAGE_SIZE || (align & (align - 1)) !== 0) throw new KernelError(Errno.EINVAL, `alignment ${align}`);
    const pages = bytes / PAGE_SIZE;
    for (const bank of this.bankState) {
      for (const run of bank.free) {
        const runPa = bank.baseNum + run.start * PAGE_SIZE;
        const alignedPa = Math.ceil(runPa / align) * align;
        const skip = (alignedPa - runPa) / PAGE_SIZE;
        if (skip + pages <= run.len) {
          const start = run.start + skip;
          this.take(bank, start, pages);
          return this.record([{ pa: BigInt(bank.baseNum + start * PAGE_SIZE), size: bytes }], true);
        }
      }
    }
    throw new KernelError(Errno.ENOMEM, `no contiguous ${bytes} bytes aligned to ${align}`);
  }

  /**
   * Allocation made of page runs that need not be contiguous, preferring 1 MiB then
   * 64 KiB naturally aligned pieces, then single pages. All-or-nothing.
   */
  allocScattered(size: number): PhysAllocation {
    const bytes = this.checkSize(size);
    let pages = bytes / PAGE_SIZE;
    if (pages > this.freePagesCount) throw new KernelError(Errno.ENOMEM, `only ${this.freeBytes} bytes free`);
    const taken: { bank: Bank; start: number; len: number }[] = [];
    for (const order of SCATTER_ORDERS) {
      while (pages >= order) {
        const found = this.findAligned(order);
        if (!found) break;
        this.take(found.bank, found.start, order);
        taken.push({ bank: found.bank, start: found.start, len: order });
        pages -= order;
      }
    }
    if (pages !== 0) {
      for (const t of taken) this.give(t.bank, t.start, t.len);
      throw new KernelError(Errno.ENOMEM, `cannot find ${bytes} bytes`);
    }
    taken.sort((a, b) => a.bank.baseNum + a.start * PAGE_SIZE - (b.bank.baseNum + b.start * PAGE_SIZE));
    const chunks: PhysChunk[] = [];
    for (const t of taken) {
      const pa = t.bank.baseNum + t.start * PAGE_SIZE;
      const last = chunks[chunks.length - 1];
      if (last && Number(last.pa) + last.size === pa) chunks[chunks.length - 1] = { pa: last.pa, size: last.size + t.len * PAGE_SIZE };
      else chunks.push({ pa: BigInt(pa), size: t.len * PAGE_SIZE });
    }
    return this.record(chunks, chunks.length === 1);
  }

  /** Frees the allocation whose first chunk starts at `pa`. Unknown pa -> KernelError(-EINVAL). */
  free(pa: bigint): void {
    const a = this.allocations.get(pa);
    if (!a) throw new KernelError(Errno.EINVAL, `no allocation at PA 0x${pa.toString(16)}`);
    this.allocations.delete(pa);
    for (const c of a.chunks) {
      const bank = this.bankOf(c.pa, c.size);
      this.give(bank, (Number(c.pa) - bank.baseNum) / PAGE_SIZE, c.size / PAGE_SIZE);
    }
  }

  allocation(pa: bigint): PhysAllocation | undefined {
    return this.allocations.get(pa);
  }

  liveAllocations(): PhysAllocation[] {
    return [...this.allocations.values()];
  }

  /** True if [pa, pa+size) lies inside one bank. */
  contains(pa: bigint, size = 1): boolean {
    return this.findBank(pa, size) !== undefined;
  }

  /** A live view of the bytes at [pa, pa+size); the range must lie inside one bank. */
  view(pa: bigint, size: number): Uint8Array {
    const bank = this.bankOf(pa, size);
    const off = Number(pa) - bank.baseNum;
    return bank.bytes.subarray(off, off + size);
  }

  read(pa: bigint, size: number): Uint8Array {
    return this.view(pa, size).slice();
  }

  write(pa: bigint, data: Uint8Array): void {
    this.view(pa, data.length).set(data);
  }

  /** Zero-fills, as the kernel does for every page a heap hands out. */
  zero(alloc: PhysAllocation): void {
    for (const c of alloc.chunks) this.view(c.pa, c.size).fill(0);
  }

  private checkSize(size: number): number {
    if (!Number.isSafeInteger(size) || size <= 0) throw new KernelError(Errno.EINVAL, `size ${size}`);
    return pageAlign(size);
  }

  private record(chunks: PhysChunk[], contiguous: boolean): PhysAllocation {
    const first = chunks[0];
    if (!first) throw new Error('empty allocation');
    const a: PhysAllocation = { pa: first.pa, size: chunks.reduce((n, c) => n + c.size, 0), chunks, contiguous };
    this.allocations.set(a.pa, a);
    return a;
  }

  private findBank(pa: bigint, size: number): Bank | undefined {
    const p = Number(pa);
    for (const b of this.bankState) {
      if (p >= b.baseNum && p + size <= b.baseNum + b.size && size >= 0) return b;
    }
    return undefined;
  }

  private bankOf(pa: bigint, size: number): Bank {
    const b = this.findBank(pa, size);
    if (!b) throw new KernelError(Errno.EFAULT, `PA range 0x${pa.toString(16)}+0x${size.toString(16)} is not backed by one bank`);
    return b;
  }

  private findAligned(order: number): { bank: Bank; start: number } | undefined {
    const align = order * PAGE_SIZE;
    for (const bank of this.bankState) {
      for (const run of bank.free) {
        const runPa = bank.baseNum + run.start * PAGE_SIZE;
        const skip = (Math.ceil(runPa / align) * align - runPa) / PAGE_SIZE;
        if (skip + order <= run.len) return { bank, start: run.start + skip };
      }
    }
    return undefined;
  }

  private take(bank: Bank, start: number, len: number): void {
    const i = bank.free.findIndex((r) => r.start <= start && start + len <= r.start + r.len);
    const run = bank.free[i];
    if (!run) throw new Error('internal: taking pages that are not free');
    const pieces: { start: number; len: number }[] = [];
    if (start > run.start) pieces.push({ start: run.start, len: start - run.start });
    const end = start + len;
    if (end < run.start + run.len) pieces.push({ start: end, len: run.start + run.len - end });
    bank.free.splice(i, 1, ...pieces);
    this.freePagesCount -= len;
  }

  private give(bank: Bank, start: number, len: number): void {
    const free = bank.free;
    let i = 0;
    while (i < free.length && free[i]!.start < start) i++;
    free.splice(i, 0, { start, len });
    // Coalesce with the neighbours so that freeing everything restores one run per bank.
    const next = free[i + 1];
    if (next && start + len === next.start) {
      free[i] = { start, len: len + next.len };
      free.splice(i + 1, 1);
    }
    const prev = free[i - 1];
    const cur = free[i]!;
    if (prev && prev.start + prev.len === cur.start) {
      free[i - 1] = { start: prev.start, len: prev.len + cur.len };
      free.splice(i, 1);
    }
    this.freePagesCount += len;
  }

  /** Free runs as [pa, size] pairs, for invariant checks. */
  freeRuns(): PhysChunk[] {
    return this.bankState.flatMap((b) => b.free.map((r) => ({ pa: BigInt(b.baseNum + r.start * PAGE_SIZE), size: r.len * PAGE_SIZE })));
  }
}
