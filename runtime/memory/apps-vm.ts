import { Errno, KernelError } from './errno.ts';
import type { DmaBuf } from './dmabuf.ts';
import { MemoryOwnership, Vmid } from './ownership.ts';
import { PAGE_SIZE, type PhysChunk, type PhysicalMemory } from './phys.ts';

/** A CPU access the memory's stage-2 owner does not allow (the process would get SIGBUS). */
export class CpuAccessFault extends Error {
  constructor(
    readonly va: bigint,
    readonly write: boolean,
    reason: string,
  ) {
    super(`APPS ${write ? 'write' : 'read'} at 0x${va.toString(16)}: ${reason}`);
    this.name = 'CpuAccessFault';
  }
}

interface CpuMapping {
  readonly va: bigint;
  readonly size: number;
  readonly buf: DmaBuf;
}

/** Splits [offset, offset+len) of a chunk list into physical pieces. */
export function physPieces(chunks: readonly PhysChunk[], offset: number, len: number): PhysChunk[] {
  const out: PhysChunk[] = [];
  let skip = offset;
  let left = len;
  for (const c of chunks) {
    if (left <= 0) break;
    if (skip >= c.size) {
      skip -= c.size;
      continue;
    }
    const n = Math.min(c.size - skip, left);
    out.push({ pa: c.pa + BigInt(skip), size: n });
    left -= n;
    skip = 0;
  }
  if (left > 0) throw new RangeError('range runs past the end of the buffer');
  return out;
}

/**
 * The APPS process's view of dma-bufs: mmap gives a CPU virtual address whose bytes are
 * the buffer's physical pages; every access checks that HLOS still owns them.
 */
export class AppsAddressSpace {
  private readonly maps = new Map<bigint, CpuMapping>();
  private next: bigint;

  constructor(
    readonly phys: PhysicalMemory,
    readonly ownership: MemoryOwnership,
    readonly top: bigint = 0x7f_0000_0000n,
  ) {
    this.next = top;
  }

  /** Maps `size` bytes of the buffer (whole buffer by default); takes a reference. */
  mmap(buf: DmaBuf, size: number = buf.size): bigint {
    if (size <= 0 || size > buf.size) throw new KernelError(Errno.EINVAL, `mmap size ${size} of a ${buf.size}-byte buffer`);
    const len = BigInt(Math.ceil(size / PAGE_SIZE) * PAGE_SIZE);
    this.next -= len + BigInt(PAGE_SIZE); // a guard page between mappings
    const va = this.next;
    buf.get();
    buf.mmapCount++;
    this.maps.set(va, { va, size, buf });
    return va;
  }

  munmap(va: bigint): void {
    const m = this.maps.get(va);
    if (!m) throw new KernelError(Errno.EINVAL, `no mapping at 0x${va.toString(16)}`);
    this.maps.delete(va);
    m.buf.put();
  }

  mappingAt(va: bigint): { va: bigint; size: number; buf: DmaBuf } | undefined {
    for (const m of this.maps.values()) if (va >= m.va && va < m.va + BigInt(m.size)) return m;
    return undefined;
  }

  read(va: bigint, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of this.pieces(va, len, false)) {
      out.set(this.phys.view(p.pa, p.size), o);
      o += p.size;
    }
    return out;
  }

  write(va: bigint, data: Uint8Array): void {
    let o = 0;
    for (const p of this.pieces(va, data.length, true)) {
      this.phys.view(p.pa, p.size).set(data.subarray(o, o + p.size));
      o += p.size;
    }
  }

  mappingCount(): number {
    return this.maps.size;
  }

  private pieces(va: bigint, len: number, write: boolean): PhysChunk[] {
    const m = this.mappingAt(va);
    if (!m || va + BigInt(len) > m.va + BigInt(m.size)) throw new CpuAccessFault(va, write, 'not mapped');
    const pieces = physPieces(m.buf.buffer.phys.chunks, Number(va - m.va), len);
    for (const p of pieces) {
      if (this.ownership.check({ path: 'cpu', vmid: Vmid.HLOS, pa: p.pa, len: p.size, write, by: 'APPS process' })) {
        throw new CpuAccessFault(va, write, 'memory is not assigned to HLOS');
      }
    }
    return pieces;
  }
}
