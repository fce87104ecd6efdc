/**
 * In-process transport: invocations go straight to skels registered by handle. Buffers
 * are passed as the same views (zero copy), and dmahandle lengths the stub registers are
 * visible to the skel through the shared fd registry.
 */
import { Aee } from '../wire/aee-codes.ts';
import { MapFdRegistry, type FdRegistry, type RemoteArg } from '../wire/remote-arg.ts';
import type { RemoteHandle, SkelInvoke, Transport } from '../rpc/transport.ts';

export class LoopbackTransport implements Transport {
  readonly fds: FdRegistry;
  private readonly skels = new Map<RemoteHandle, SkelInvoke>();
  private readonly ctx: { readonly fds: FdRegistry };

  constructor(fds: FdRegistry = new MapFdRegistry()) {
    this.fds = fds;
    this.ctx = { fds };
  }

  /** Routes invocations on `handle` (a 32-bit number or a 64-bit bigint) to `skel`. */
  register(handle: RemoteHandle, skel: SkelInvoke): this {
    this.skels.set(handle, skel);
    return this;
  }

  unregister(handle: RemoteHandle): void {
    this.skels.delete(handle);
  }

  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[]): number | Promise<number> {
    const skel = this.skels.get(handle);
    if (skel === undefined) return Aee.EINVHANDLE;
    return skel(handle, sc, args, this.ctx);
  }
}
