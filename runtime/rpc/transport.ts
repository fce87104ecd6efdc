import type { FdRegistry, RemoteArg } from '../wire/remote-arg.ts';

/** A handle as qaic passes it: 32-bit for plain interfaces, 64-bit for `remote_handle64` ones. */
export type RemoteHandle = number | bigint;

/**
 * Carries one FastRPC invocation to the other side. The callee fills the out buffers of
 * `args` in place and the returned number is the 32-bit AEE status (0 = success).
 * As with FastRPC itself, the buffers are only valid until the invocation completes:
 * stubs may reuse them for their next call.
 */
export interface Transport {
  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[], call?: CallOptions): number | Promise<number>;
  /** Where stubs register dmahandle lengths before an invoke (`remote_register_dma_handle`). */
  readonly fds?: FdRegistry;
}

/** Options of one invocation, for transports that support them. */
export interface CallOptions {
  /** This call's timeout in ms instead of the transport's; Infinity waits without limit. */
  readonly timeoutMs?: number;
  /**
   * The call waits for the peer's initiative rather than for work to be done (the reverse
   * listener's next2 waits for the DSP's next call): the transport's idle timeout applies,
   * which by default is none.
   */
  readonly idle?: boolean;
}

/** Context a skel receives with each invocation. */
export interface InvokeContext {
  /** Resolves dmahandle fds to their registered lengths. */
  readonly fds?: FdRegistry;
}

/** What a generated skel exposes to transports and handle tables. */
export interface SkelInvoke {
  (handle: RemoteHandle, sc: number, args: RemoteArg[], ctx?: InvokeContext): number | Promise<number>;
}
