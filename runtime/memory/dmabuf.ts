import { Errno, KernelError } from './errno.ts';
import type { HeapBuffer } from './heaps.ts';

/** A dma-buf: a heap buffer with a reference count; released when the last reference goes. */
export class DmaBuf {
  private refs = 0;
  private released = false;
  /** Bumped by every CPU mmap (mem-buf export refuses buffers mapped before). */
  mmapCount = 0;
  name = '';

  constructor(
    readonly inode: number,
    readonly buffer: HeapBuffer,
    private readonly onRelease: (buf: DmaBuf) => void,
  ) {}

  get size(): number {
    return this.buffer.size;
  }

  get refCount(): number {
    return this.refs;
  }

  get isReleased(): boolean {
    return this.released;
  }

  get(): this {
    if (this.released) throw new KernelError(Errno.EBADF, `dma-buf ${this.inode} already released`);
    this.refs++;
    return this;
  }

  put(): void {
    if (this.refs <= 0) throw new Error(`dma-buf ${this.inode}: reference count underflow`);
    if (--this.refs === 0) {
      this.released = true;
      this.onRelease(this);
    }
  }
}

export interface DmaBufTableOptions {
  /** Lowest fd handed out (0..2 are the standard streams). */
  readonly firstFd?: number;
  readonly maxFds?: number;
}

/**
 * A process's file-descriptor table for dma-bufs. New fds take the lowest free number,
 * as open(2) does. Each fd holds one reference on its buffer.
 */
export class DmaBufTable {
  private readonly fds = new Map<number, DmaBuf>();
  private readonly firstFd: number;
  private readonly maxFds: number;
  private nextInode = 1;

  constructor(opts: DmaBufTableOptions = {}) {
    this.firstFd = opts.firstFd ?? 3;
    this.maxFds = opts.maxFds ?? 1024;
  }

  /** Wraps a heap buffer in a new dma-buf (the caller's reference) without an fd. */
  create(buffer: HeapBuffer, onRelease: (buf: DmaBuf) => void): DmaBuf {
    return new DmaBuf(this.nextInode++, buffer, onRelease).get();
  }

  /** Installs a new fd holding its own reference. No free fd -> -EMFILE (reported as -ENOSPC). */
  install(buf: DmaBuf): number {
    let fd = this.firstFd;
    while (this.fds.has(fd)) fd++;
    if (fd >= this.firstFd + this.maxFds) throw new KernelError(Errno.ENOSPC, 'fd table full');
    this.fds.set(fd, buf.get());
    return fd;
  }

  /** The buffer behind an fd (no new reference), or undefined. */
  lookup(fd: number): DmaBuf | undefined {
    return this.fds.get(fd);
  }

  /** dma_buf_get: a new reference, or -EBADF. */
  get(fd: number): DmaBuf {
    const b = this.fds.get(fd);
    if (!b) throw new KernelError(Errno.EBADF, `fd ${fd} is not a dma-buf`);
    return b.get();
  }

  dup(fd: number): number {
    const b = this.fds.get(fd);
    if (!b) throw new KernelError(Errno.EBADF, `fd ${fd} is not open`);
    return this.install(b);
  }

  close(fd: number): void {
    const b = this.fds.get(fd);
    if (!b) throw new KernelError(Errno.EBADF, `fd ${fd} is not open`);
    this.fds.delete(fd);
    b.put();
  }

  openFds(): number[] {
    return [...this.fds.keys()].sort((a, b) => a - b);
  }
}
