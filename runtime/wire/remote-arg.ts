/**
 * A handle slot of a `remote_arg` list. `dmahandle` parameters use `fd`/`offset`;
 * `remote_handle64` parameters use `h64`. Out-handle slots are written by the callee.
 */
export interface HandleSlot {
  fd: number;
  offset: number;
  h64?: bigint;
}

/**
 * One `remote_arg`: a buffer (a view, never copied on the hot path) or a handle slot.
 * The list is ordered as qaic orders it: in buffers, out buffers, in handles, out handles.
 */
export type RemoteArg = Uint8Array | HandleSlot;

export function isBuffer(arg: RemoteArg | undefined): arg is Uint8Array {
  return arg instanceof Uint8Array;
}

/** Resolves a dma-buf fd to the length registered for it (qaic's `adsp_mmap_fd_getinfo`). */
export interface FdRegistry {
  register(fd: number, length: number): void;
  lookup(fd: number): number | undefined;
}

export class MapFdRegistry implements FdRegistry {
  private readonly lengths = new Map<number, number>();
  register(fd: number, length: number): void {
    this.lengths.set(fd, length);
  }
  lookup(fd: number): number | undefined {
    return this.lengths.get(fd);
  }
}
