/**
 * rpcmem for a DSP in another thread: buffers in SharedArrayBuffers both threads map, so a
 * buffer argument that lives in one crosses the shared channel by reference (fd, offset,
 * length), the way FastRPC passes ION buffers, and the callee works on the caller's memory
 * instead of a copy. A buffer is mapped into the peer once, on its first use in a call, by a
 * message on a MessagePort the peer reads synchronously; calls themselves post nothing.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Aee, AeeError } from '../wire/aee-codes.ts';

/** What a frame writer asks of the caller's side: the fd a buffer lives in, or -1. */
export interface BufferRefs {
  refFor(buffer: Uint8Array): number;
}

/** What a frame reader asks of the callee's side: a view of a mapped buffer, or undefined. */
export interface MappedBuffers {
  view(fd: number, offset: number, length: number): Uint8Array | undefined;
}

/** Default cap of the bytes one SharedRpcMem holds at once (1 GiB). */
export const DEFAULT_RPCMEM_LIMIT = 1024 * 1024 * 1024;

type MapMessage = { readonly map: number; readonly memory: SharedArrayBuffer } | { readonly unmap: number };

/**
 * The caller's side: allocates shared buffers and tells the peer about each one the first time
 * a call carries it. Without a port (a peer in the same thread) nothing is announced.
 */
export class SharedRpcMem implements BufferRefs {
  private readonly fdOf = new WeakMap<ArrayBufferLike, number>();
  private readonly byFd = new Map<number, SharedArrayBuffer>();
  private readonly announced = new Set<number>();
  private nextFd = 1;
  private held = 0;

  constructor(
    private readonly port?: MessagePort,
    readonly limitBytes: number = DEFAULT_RPCMEM_LIMIT,
  ) {}

  /** Bytes currently allocated. */
  get allocatedBytes(): number {
    return this.held;
  }

  /**
   * rpcmem_alloc: a zero-filled buffer of `size` bytes in shared memory. Throws
   * AeeError(AEE_EBADPARM) for a size that is not a positive integer and
   * AeeError(AEE_ENOMEMORY) beyond the cap.
   */
  alloc(size: number): Uint8Array {
    if (!Number.isSafeInteger(size) || size <= 0) throw new AeeError(Aee.EBADPARM, `rpcmem size must be a positive integer, not ${size}`);
    if (size > this.limitBytes - this.held) {
      throw new AeeError(Aee.ENOMEMORY, `rpcmem: ${size} bytes more would exceed the ${this.limitBytes}-byte limit (${this.held} held)`);
    }
    const memory = new SharedArrayBuffer(size);
    const fd = this.nextFd++;
    this.fdOf.set(memory, fd);
    this.byFd.set(fd, memory);
    this.held += size;
    return new Uint8Array(memory);
  }

  /** rpcmem_to_fd: the fd of the buffer `buffer` views, -1 when it is not rpcmem. */
  toFd(buffer: Uint8Array): number {
    return this.fdOf.get(buffer.buffer) ?? -1;
  }

  /**
   * rpcmem_free: releases the buffer `buffer` views and unmaps it from the peer. Views kept
   * afterwards still work on this side but travel by copy. Unknown buffers are ignored.
   */
  free(buffer: Uint8Array): void {
    const fd = this.toFd(buffer);
    if (fd < 0) return;
    const memory = this.byFd.get(fd)!;
    this.fdOf.delete(memory);
    this.byFd.delete(fd);
    this.held -= memory.byteLength;
    if (this.announced.delete(fd)) this.post({ unmap: fd });
  }

  refFor(buffer: Uint8Array): number {
    const fd = this.fdOf.get(buffer.buffer);
    if (fd === undefined) return -1;
    if (!this.announced.has(fd)) {
      this.post({ map: fd, memory: this.byFd.get(fd)! });
      this.announced.add(fd);
    }
    return fd;
  }

  /** Stops announcing; buffers stay usable in this thread. */
  close(): void {
    this.port?.close();
  }

  private post(m: MapMessage): void {
    this.port?.postMessage(m);
  }
}

/**
 * The callee's side: the buffers the caller mapped, by fd. Messages are read synchronously when
 * a call names an fd not seen yet (the caller posts before it sends the call) and by `drain`.
 */
export class SharedMappings implements MappedBuffers {
  private readonly byFd = new Map<number, SharedArrayBuffer>();

  constructor(private readonly port?: MessagePort) {}

  /** Number of buffers mapped. */
  get size(): number {
    return this.byFd.size;
  }

  view(fd: number, offset: number, length: number): Uint8Array | undefined {
    let memory = this.byFd.get(fd);
    if (memory === undefined) {
      this.drain();
      memory = this.byFd.get(fd);
      if (memory === undefined) return undefined;
    }
    if (offset > memory.byteLength || length > memory.byteLength - offset) return undefined;
    return new Uint8Array(memory, offset, length);
  }

  /** Applies every map and unmap message waiting on the port. */
  drain(): void {
    if (this.port === undefined) return;
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      this.apply(m.message as MapMessage);
    }
  }

  private apply(m: MapMessage): void {
    if ('unmap' in m) this.byFd.delete(m.unmap);
    else if (m.memory instanceof SharedArrayBuffer && Number.isSafeInteger(m.map)) this.byFd.set(m.map, m.memory);
  }
}
