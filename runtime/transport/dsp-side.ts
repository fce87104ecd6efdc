/**
 * The simulated DSP's end of the reverse path: the adsp_listener skel on static handle 3
 * serving a ReverseCallQueue, and the environment DSP programs run with (the reverse
 * Transport their stubs use, open/close of APPS modules through apps_remotectl).
 */
import { Aee } from '../wire/aee-codes.ts';
import type { RemoteHandle, SkelInvoke, Transport } from '../rpc/transport.ts';
import { ReverseCallQueue } from './listener.ts';
import type { ReverseQueueOptions } from './listener.ts';
import { ADSP_LISTENER_HANDLE, RemotectlOverReverse } from './reverse-protocol.ts';
import { createFastListenerSkel, serveNext2Frame } from './listener-codec.ts';
import { handleKey } from './loopback.ts';
import type { OpenedModule } from './reverse-protocol.ts';

/** What a simulated DSP program gets. */
export interface DspEnv {
  /** The reverse Transport: pass it to generated stubs (`new AppsMemClient(env.reverse, handle)`). */
  readonly reverse: Transport;
  /** apps_remotectl.open: a loader failure throws AeeError(nErr) with the dlerror text. */
  open(name: string): Promise<OpenedModule>;
  /** apps_remotectl.close. */
  close(handle: number): Promise<void>;
  /**
   * Serves `skel` on `handle` for calls from APPS (a module loaded on this DSP). Buffers APPS
   * passes from its shared rpcmem arrive as views of that memory. Throws when the handle is
   * taken (3 is adsp_listener).
   */
  serve(handle: RemoteHandle, skel: SkelInvoke): void;
  /** Data the APPS side passed to the program (structured-cloned for workers). */
  readonly args: unknown;
}

/** A simulated DSP program: the default export of a module. */
export type DspProgram = (env: DspEnv) => unknown;

/**
 * The DspProgram a loaded module exports: its default export, also when the module is CommonJS
 * compiled from `export default` (`exports.default`, which import() wraps in another default).
 */
export function programOf(mod: unknown, name: string): DspProgram {
  const d: unknown = (mod as { default?: unknown } | null)?.default;
  if (typeof d === 'function') return d as DspProgram;
  const inner: unknown = (d as { default?: unknown } | null | undefined)?.default;
  if (typeof inner === 'function') return inner as DspProgram;
  throw new Error(`${name} has no default export to run as a DSP program (export default async function (env) { ... })`);
}

export class DspSide {
  readonly queue: ReverseCallQueue;
  /** Serves the DSP's static handles (3 = adsp_listener) for whatever transport carries APPS calls. */
  readonly dispatch: SkelInvoke;
  /** Serves next2 request frames straight from a channel's areas (ServeOptions.frames); other frames are left to `dispatch`. */
  readonly serveFrame: (request: Uint8Array, response: Uint8Array) => number | Promise<number> | undefined;
  readonly env: DspEnv;

  constructor(args: unknown = undefined, options: ReverseQueueOptions = {}) {
    const queue = new ReverseCallQueue(options);
    const listener = createFastListenerSkel(queue);
    const remotectl = new RemotectlOverReverse(queue.transport);
    this.queue = queue;
    this.serveFrame = (request, response) => serveNext2Frame(queue, request, response);
    // Keyed as the loopback keys its skels: 0x42 and 0x42n are one handle, without a BigInt per call.
    const modules = new Map<number | bigint, SkelInvoke>([[handleKey(ADSP_LISTENER_HANDLE), listener]]);
    this.dispatch = (h, sc, pra, ctx) => {
      // The listener's next2 is the hot path of reverse calls: no key conversion for it.
      if (h === ADSP_LISTENER_HANDLE) return listener(h, sc, pra, ctx);
      const skel = modules.get(handleKey(h));
      return skel === undefined ? Aee.ENOSUCHMOD : skel(h, sc, pra, ctx);
    };
    this.env = {
      reverse: queue.transport,
      open: (name) => remotectl.open(name),
      close: (handle) => remotectl.close(handle),
      serve: (handle, skel) => {
        const key = handleKey(handle);
        if (modules.has(key)) throw new Error(`DSP handle 0x${key.toString(16)} is already served`);
        modules.set(key, skel);
      },
      args,
    };
  }

  /** Runs `program`, then ends the protocol so the APPS listener returns. */
  async run(program: DspProgram): Promise<unknown> {
    try {
      return await program(this.env);
    } finally {
      this.queue.close();
    }
  }
}
