/**
 * In-process transport: invocations go straight to skels registered by handle. Buffers
 * are passed as the same views (zero copy), and dmahandle lengths the stub registers are
 * visible to the skel through the shared fd registry.
 */
import { Aee } from '../wire/aee-codes.ts';
import { MapFdRegistry, type FdRegistry, type RemoteArg } from '../wire/remote-arg.ts';
import type { RemoteHandle, SkelInvoke, Transport } from '../rpc/transport.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The handle's value as a map key: 0x42 and 0x42n are the same handle (a remote_handle64 client
 * holds a bigint, a skel is often registered with a number literal). Values that fit are numbers,
 * so the common call does not allocate.
 */
export function handleKey(handle: RemoteHandle): number | bigint {
  if (typeof handle === 'number') {
    if (!Number.isSafeInteger(handle)) throw new TypeError(`a handle is an integer, not ${String(handle)}`);
    if (handle >= 0) return handle;
  }
  const v = BigInt.asUintN(64, BigInt(handle));
  return v <= MAX_SAFE ? Number(v) : v;
}

export class LoopbackTransport implements Transport {
  readonly fds: FdRegistry;
  private readonly skels = new Map<number | bigint, SkelInvoke>();
  private readonly ctx: { readonly fds: FdRegistry };

  constructor(fds: FdRegistry = new MapFdRegistry()) {
    this.fds = fds;
    this.ctx = { fds };
  }

  /** Routes invocations on `handle` (a number or a bigint: 0x42 and 0x42n are one handle) to `skel`. */
  register(handle: RemoteHandle, skel: SkelInvoke): this {
    this.skels.set(handleKey(handle), skel);
    return this;
  }

  unregister(handle: RemoteHandle): void {
    this.skels.delete(handleKey(handle));
  }

  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[]): number | Promise<number> {
    if (typeof handle === 'number' && !Number.isSafeInteger(handle)) return Aee.EINVHANDLE;
    const skel = this.skels.get(handleKey(handle));
    if (skel === undefined) return Aee.EINVHANDLE;
    return skel(handle, sc, args, this.ctx);
  }
}
