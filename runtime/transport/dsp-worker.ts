/**
 * A simulated DSP in a worker thread. The worker serves the DSP's static handles over a
 * SharedArrayBuffer channel (shared-channel.ts) and runs a DSP program module; the APPS side
 * gets a Transport to it (carrying the listener's next2 / get_in_bufs2). postMessage is used
 * only to report the program's outcome, never per call.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import { siblingModule } from './module-loading.ts';
import { startWorker } from './start-worker.ts';
import { SharedChannelClient, createChannelBuffer } from './shared-channel.ts';
import { SharedRpcMem } from './shared-rpcmem.ts';
import type { Transport } from '../rpc/transport.ts';
import type { FrameInvoker } from './listener-codec.ts';
import { AEE_ECONNRESET } from './status.ts';

export interface DspWorkerOptions {
  /** Module (path or URL) whose default export is the DspProgram to run. */
  readonly program: string | URL;
  /** Structured-clonable data handed to the program as `env.args`. */
  readonly args?: unknown;
  /** Bytes of each channel area (request, response); default 4 MiB. */
  readonly areaBytes?: number;
  /**
   * Calls the channel carries at once (default 1): each slot has its own areas. Several APPS
   * listener loops (serveReverse on the same transport) need one slot each, as each waits in
   * next2; calls beyond the slots queue.
   */
  readonly slots?: number;
  /** Per-call timeout of the channel in ms (default 30 s, DEFAULT_CHANNEL_TIMEOUT_MS; Infinity for none). */
  readonly timeoutMs?: number;
  /**
   * How long the reverse listener's next2 may wait for the DSP's next call, in ms (default none:
   * a DSP may compute for as long as it needs). Set it to detect a DSP that hangs.
   */
  readonly idleTimeoutMs?: number;
  /** Busy-poll time in microseconds before sleeping, both sides (default 50; 0 never spins). */
  readonly spin?: number;
  /** Longest Atomics.wait of the APPS side before it waits through its event loop, in microseconds (default 200; 0: never). */
  readonly block?: number;
  /** Most bytes `rpcmem` may hold at once (default DEFAULT_RPCMEM_LIMIT, 1 GiB). */
  readonly rpcmemLimit?: number;
  /** Worker entry override (tests and benchmarks serve something else than a DSP program). */
  readonly entry?: URL;
}

/** How the DSP program ended. */
export type DspOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string; readonly code?: number };

const DEFAULT_ENTRY = siblingModule(import.meta.url, 'dsp-worker-entry');

/** The APPS side's Transport to a worker DSP: calls wait for the worker to be serving. */
export interface DspWorkerTransport extends Transport, FrameInvoker {
  /** Non-zero once the channel is unusable (AEE_ECONNRESET: the worker died; AEE_EEXPIRED: a call timed out). */
  readonly failure: number;
  /** Why, in words: the worker exited (and its code), a call timed out, the channel was closed. */
  readonly failureReason: string;
  /** Largest payload one call carries (the channel area less headers). */
  readonly maxPayload: number;
}

export class DspWorker {
  /** The channel itself (calls made before the worker serves wait in the channel area). */
  readonly channel: SharedChannelClient;
  readonly transport: DspWorkerTransport;
  /**
   * Shared buffers for calls into this DSP: a buffer argument that lives in one travels by
   * reference and the DSP's skel reads and writes it in place (rpcmem_alloc'ed ION memory).
   */
  readonly rpcmem: SharedRpcMem;
  /** Resolves once the worker's serving loop runs (or the worker died). */
  readonly ready: Promise<void>;
  readonly worker: Worker;
  /** Resolves with the program's outcome (a worker that dies first gives ok: false). */
  readonly outcome: Promise<DspOutcome>;
  /** Resolves with the worker's exit code. */
  readonly exited: Promise<number>;
  private closing = false;

  constructor(options: DspWorkerOptions) {
    const buffer = createChannelBuffer(options.areaBytes, options.slots);
    const ports = new MessageChannel();
    this.rpcmem = new SharedRpcMem(ports.port1, options.rpcmemLimit);
    const channel = new SharedChannelClient(buffer, {
      timeoutMs: options.timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      spin: options.spin,
      block: options.block,
      refs: this.rpcmem,
    });
    this.channel = channel;
    let isReady = false;
    let markReady: () => void = () => {};
    this.ready = new Promise<void>((resolve) => (markReady = resolve)).then(() => {
      isReady = true;
    });
    this.transport = {
      invoke: (h, sc, args, call) =>
        isReady ? channel.invoke(h, sc, args, call) : this.ready.then(() => channel.invoke(h, sc, args, call)),
      invokeFrame: (write, read, call) =>
        isReady ? channel.invokeFrame(write, read, call) : this.ready.then(() => channel.invokeFrame(write, read, call)),
      get failure() {
        return channel.failure;
      },
      get failureReason() {
        return channel.failureReason;
      },
      maxPayload: channel.maxPayload,
    };
    const program = options.program instanceof URL ? options.program.href : options.program;
    this.worker = startWorker(options.entry ?? DEFAULT_ENTRY, [program], {
      workerData: { buffer, program, args: options.args, spin: options.spin, rpcmemPort: ports.port2 },
      transferList: [ports.port2],
    });
    let settle: (o: DspOutcome) => void = () => {};
    this.outcome = new Promise<DspOutcome>((resolve) => (settle = resolve));
    this.worker.on('message', (m: { type?: string; value?: unknown; error?: string; code?: number }) => {
      if (m.type === 'ready') markReady();
      else if (m.type === 'result') settle({ ok: true, value: m.value });
      else if (m.type === 'error') settle({ ok: false, error: m.error ?? 'DSP program failed', code: m.code });
    });
    this.worker.on('error', (err) => {
      settle({ ok: false, error: err.message });
      this.channel.fail(AEE_ECONNRESET, `the DSP worker failed: ${err.message}`);
      markReady();
    });
    this.exited = new Promise<number>((resolve) => {
      this.worker.once('exit', (code) => {
        // Whatever is in flight completes with ECONNRESET rather than hanging.
        this.channel.fail(AEE_ECONNRESET, this.closing ? 'the DSP worker was closed' : `the DSP worker exited (code ${code})`);
        this.rpcmem.close();
        markReady();
        settle({ ok: false, error: this.closing ? 'DSP worker closed' : `DSP worker exited with code ${code}` });
        resolve(code);
      });
    });
  }

  /** Clean shutdown: stop the worker's serving loop and wait for it to exit (terminating after `graceMs`). */
  async close(graceMs = 2000): Promise<number> {
    this.closing = true;
    this.channel.close();
    const timer = setTimeout(() => void this.worker.terminate(), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the worker now (a DSP crash): calls in flight fail with AEE_ECONNRESET. */
  async kill(): Promise<number> {
    await this.worker.terminate();
    return this.exited;
  }
}
