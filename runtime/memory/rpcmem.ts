import type { AppsAddressSpace } from './apps-vm.ts';
import { DmaBufTable, type DmaBuf } from './dmabuf.ts';
import { KernelError } from './errno.ts';
import { HeapFlag, HeapId, type HeapRegistry } from './heaps.ts';

/** rpcmem's "default heap" id. */
export const RPCMEM_DEFAULT_HEAP = -1;

export interface RpcMemBuffer {
  readonly va: bigint;
  readonly fd: number;
  readonly size: number;
  readonly buf: DmaBuf;
}

/**
 * rpcmem: allocate a dma-buf from a heap, give it an fd and map it into the APPS
 * process. Failure returns undefined (rpcmem_alloc returns NULL), never throws.
 */
export class RpcMem {
  private readonly byVa = new Map<bigint, RpcMemBuffer>();
  /** Test hook: the next allocations fail while this is > 0. */
  failNext = 0;

  constructor(
    readonly heaps: HeapRegistry,
    readonly fds: DmaBufTable,
    readonly vm: AppsAddressSpace,
  ) {}

  alloc(heapId: number, flags: number, size: number): RpcMemBuffer | undefined {
    if (this.failNext > 0) {
      this.failNext--;
      return undefined;
    }
    const id = heapId === RPCMEM_DEFAULT_HEAP ? HeapId.SYSTEM : heapId;
    try {
      const heapBuf = this.heaps.alloc(id, flags === 0 ? 0 : flags, size);
      const buf = this.fds.create(heapBuf, (b) => this.heaps.free(b.buffer));
      let fd: number;
      try {
        fd = this.fds.install(buf);
      } catch (e) {
        buf.put();
        throw e;
      }
      buf.put(); // the fd holds the reference now
      let va: bigint;
      try {
        va = this.vm.mmap(buf, size);
      } catch (e) {
        this.fds.close(fd);
        throw e;
      }
      const r: RpcMemBuffer = { va, fd, size, buf };
      this.byVa.set(va, r);
      return r;
    } catch (e) {
      if (e instanceof KernelError) return undefined;
      throw e;
    }
  }

  /** rpcmem_to_fd: the fd of a buffer address, -1 if unknown. */
  toFd(va: bigint): number {
    return this.byVa.get(va)?.fd ?? -1;
  }

  lookup(va: bigint): RpcMemBuffer | undefined {
    return this.byVa.get(va);
  }

  free(va: bigint): void {
    const r = this.byVa.get(va);
    if (!r) return;
    this.byVa.delete(va);
    this.vm.munmap(va);
    this.fds.close(r.fd);
  }

  liveCount(): number {
    return this.byVa.size;
  }
}

export { HeapFlag, HeapId };
