/**
 * Both ends of the reverse (DSP -> APPS) RPC path.
 *
 * APPS: `runListener` is the listener thread of listener_android.c. It loops on
 * adsp_listener.next2, handing back the previous call's result and out stream and receiving
 * the next call, fetches oversized in streams with get_in_bufs2, and dispatches each call
 * through the ModTable.
 *
 * DSP: `ReverseCallQueue` is what serves adsp_listener on the DSP. Its `transport` is the
 * Transport DSP-side stubs call: each invoke is packed into an in stream and queued until the
 * APPS listener's next2 picks it up; the reply arrives with the following next2.
 */
import { Aee, AeeError, DSP_AEE_EOFFSET } from '../wire/aee-codes.ts';
import type { RemoteArg } from '../wire/remote-arg.ts';
import { scalarsInBufs, scalarsInHandles, scalarsOutBufs, scalarsOutHandles } from '../wire/scalars.ts';
import type { RemoteHandle, Transport } from '../rpc/transport.ts';
import {
  LISTENER_BUF_UNIT,
  alignListenerBuf,
  layoutOutStreamInto,
  inStreamLength,
  outStreamLength,
  packInStream,
  unpackInStreamInto,
  unpackOutStreamArgs,
} from './listener-stream.ts';
import { AEE_ETIMEDOUT, statusOf } from './status.ts';
import { BufferPool } from './buffer-pool.ts';

/** What next2 hands back to the APPS listener (primROut), plus the in stream bytes written into `bufs`. */
export interface Next2Result {
  readonly ctx: number;
  readonly handle: number;
  readonly sc: number;
  /** Total length of the in stream; more than `bufs.length` means get_in_bufs2 must fetch the rest. */
  readonly bufsLenReq: number;
}

/**
 * The adsp_listener calls the APPS loop makes, in the shape the loop needs: `bufs` is the
 * caller's in-area window, filled in place up to its length. `adaptListenerClient` (in
 * listener-generated.ts) builds one over the generated AdspListenerClient.
 */
/** next2's result on the DSP side, with a view of the in stream as `bufs`. */
export interface Next2View extends Next2Result {
  readonly bufs: Uint8Array;
}

export interface ListenerCalls {
  init2(): Promise<void>;
  /** May answer synchronously (the reply was already there); failures reject with AeeError. */
  next2(prevCtx: number, prevResult: number, prevbufs: Uint8Array, bufs: Uint8Array): Next2Result | Promise<Next2Result>;
  getInBufs2(ctx: number, offset: number, bufs: Uint8Array): Promise<number>;
}

/** Dispatches one reverse call on APPS (a ModTable, or anything shaped like its `invoke`). */
export interface ReverseDispatcher {
  invoke(handle: number, sc: number, args: RemoteArg[]): number | Promise<number>;
}

export interface ListenerOptions {
  /** ADSP_LISTENER_MEM_CACHE_SIZE: areas at or below this size are never shrunk (default 0). */
  readonly cacheSize?: number;
  /** Largest in/out area the listener will allocate; beyond it the call fails with AEE_ENORPCMEMORY. */
  readonly maxArea?: number;
  /** Called after each dispatched call (tracing). */
  readonly onCall?: (call: ListenerCallRecord) => void;
  /** Set to stop after the current call: the listener returns once next2 comes back. */
  readonly signal?: AbortSignal;
}

export interface ListenerCallRecord {
  readonly ctx: number;
  readonly handle: number;
  readonly sc: number;
  readonly result: number;
  readonly inStreamLength: number;
  readonly outStreamLength: number;
  readonly elapsedNs: number;
}

export interface ListenerExit {
  /** 'stopped': the DSP said AEE_EBADSTATE (normal end); 'failed': next2 failed twice; 'aborted': signal. */
  readonly reason: 'stopped' | 'failed' | 'aborted';
  /** The next2 status that ended the loop (0 when aborted). */
  readonly code: number;
  /** Calls dispatched. */
  readonly calls: number;
}

const DSP_EBADSTATE = (DSP_AEE_EOFFSET + Aee.EBADSTATE) >>> 0;
const DEFAULT_MAX_AREA = 256 * 1024 * 1024;
/** The most memory each side of the listener keeps for its streams and areas to reuse (see BufferPool). */
const KEPT_AREA_BYTES = 128 * 1024 * 1024;

function codeOf(err: unknown): number {
  if (err instanceof AeeError) return err.code;
  throw err;
}

/**
 * A growable byte area that keeps its contents on realloc (rpcmem_realloc). Its length is the
 * capacity the C listener would have; the memory under it comes from `pool`, so an area that
 * shrinks and grows back does not fault in fresh pages.
 */
class Area {
  bytes: Uint8Array = new Uint8Array(0);
  constructor(private readonly pool: BufferPool) {}

  realloc(size: number): void {
    const next = this.pool.take(size);
    next.set(this.bytes.subarray(0, Math.min(size, this.bytes.length)));
    this.pool.give(this.bytes);
    this.bytes = next;
  }
}

/**
 * Runs the APPS listener loop until the DSP ends it (next2 -> DSP AEE_EBADSTATE), next2
 * fails twice in a row, or `signal` aborts. init2 is called first; if it fails the loop never starts.
 */
export async function runListener(calls: ListenerCalls, table: ReverseDispatcher, options: ListenerOptions = {}): Promise<ListenerExit> {
  const cacheSize = options.cacheSize ?? 0;
  const maxArea = options.maxArea ?? DEFAULT_MAX_AREA;
  try {
    await calls.init2();
  } catch (err) {
    return { reason: 'failed', code: codeOf(err), calls: 0 };
  }

  const pool = new BufferPool(Math.min(2 * maxArea, KEPT_AREA_BYTES));
  const inArea = new Area(pool);
  const outArea = new Area(pool);
  let outLen = 0;
  let ctx = 0;
  let result = -1;
  let handle = -1;
  let sc = 0;
  let count = 0;
  const outLens: number[] = [];
  // The out stream view handed back with next2, remade only when its extent changes.
  let prevbufs = outArea.bytes.subarray(0, 0);

  for (;;) {
    if (options.signal?.aborted) return { reason: 'aborted', code: 0, calls: count };
    if (result !== 0) outLen = 0;
    let reply: Next2Result;
    try {
      if (prevbufs.length !== outLen || prevbufs.buffer !== outArea.bytes.buffer) prevbufs = outArea.bytes.subarray(0, outLen);
      const next = calls.next2(ctx, result, prevbufs, inArea.bytes);
      // A reply that is already there costs no event-loop turn.
      reply = next instanceof Promise ? await next : next;
    } catch (err) {
      const code = codeOf(err);
      if (code === Aee.EINTERRUPTED) {
        ctx = 0;
        result = -1;
        continue;
      }
      if (code >>> 0 === DSP_EBADSTATE) return { reason: 'stopped', code, calls: count };
      try {
        reply = await calls.next2(ctx, code, new Uint8Array(0), inArea.bytes);
      } catch (err2) {
        return { reason: 'failed', code: codeOf(err2), calls: count };
      }
    }
    ({ ctx, handle, sc } = reply);
    const started = options.onCall ? process.hrtime.bigint() : 0n;
    const req = reply.bufsLenReq | 0;

    // Area management exactly as the C listener: overflow check on 2x, shrink, then grow.
    if (req < 0 || req > 0x3fffffff) {
      result = Aee.EBADSIZE;
      continue;
    }
    const inCap = inArea.bytes.length;
    if (alignListenerBuf(2 * req) < inCap && inCap > cacheSize) inArea.realloc(alignListenerBuf(2 * req));
    if (req > inArea.bytes.length) {
      const oldCap = inArea.bytes.length;
      const size = Math.ceil(req / LISTENER_BUF_UNIT) * LISTENER_BUF_UNIT;
      if (size > maxArea) {
        result = Aee.ENORPCMEMORY;
        continue;
      }
      inArea.realloc(size);
      let more: number;
      try {
        more = await calls.getInBufs2(ctx, oldCap, inArea.bytes.subarray(oldCap, size));
      } catch (err) {
        result = codeOf(err);
        continue;
      }
      if (more > size) {
        result = Aee.EBADPARM;
        continue;
      }
    }
    if (scalarsInHandles(sc) + scalarsOutHandles(sc) > 0) {
      result = Aee.EBADPARM;
      continue;
    }

    // A fresh list per call: a skel may keep it while it runs; the lengths list is only ours.
    const args: RemoteArg[] = [];
    outLens.length = 0;
    try {
      unpackInStreamInto(sc, inArea.bytes.subarray(0, req), args, outLens);
      outLen = outStreamLength(outLens);
      if (outLen > 0x3fffffff) {
        result = Aee.EBADSIZE;
        continue;
      }
      const outCap = outArea.bytes.length;
      if (alignListenerBuf(2 * outLen) < outCap && outCap > cacheSize) outArea.realloc(alignListenerBuf(2 * outLen));
      if (outLen > outArea.bytes.length) {
        const size = alignListenerBuf(outLen);
        if (size > maxArea) {
          result = Aee.ENORPCMEMORY;
          continue;
        }
        outArea.realloc(size);
        // quic sends the grown capacity, not the exact stream length, on this iteration.
        outLen = size;
      }
      layoutOutStreamInto(outLens, outArea.bytes, args);
    } catch (err) {
      result = codeOf(err);
      continue;
    }

    try {
      const r = table.invoke(handle, sc, args);
      result = typeof r === 'number' ? r : await r;
    } catch (err) {
      result = statusOf(err);
    }
    count++;
    options.onCall?.({
      ctx,
      handle,
      sc,
      result,
      inStreamLength: req,
      outStreamLength: outLen,
      elapsedNs: Number(process.hrtime.bigint() - started),
    });
  }
}

/** A call DSP code made; once started it is also the Next2View handed to the skel. */
interface PendingCall extends Next2View {
  readonly handle: number;
  readonly sc: number;
  /** The packed in stream, in memory of the queue's pool (reused once this call completes). */
  readonly stream: Uint8Array;
  /** The caller's remote_arg list: its out buffers follow its in buffers. */
  readonly args: RemoteArg[];
  readonly resolve: (status: number) => void;
  /** performance.now() after which the call expires. */
  readonly deadline: number;
  ctx: number;
  bufs: Uint8Array;
}

interface Waiter {
  readonly cap: number;
  readonly resolve: (call: Next2View) => void;
  readonly reject: (err: unknown) => void;
}

export interface ReverseQueueOptions {
  /** Largest in stream accepted from DSP code (default 64 MiB): beyond it invoke returns AEE_EBADSIZE. */
  readonly maxStream?: number;
  /**
   * How long a reverse call may wait for APPS to answer, in ms (default 30 s; Infinity for none).
   * It then completes with AEE_EEXPIRED and a late answer is dropped.
   */
  readonly timeoutMs?: number;
}

/** Default limit of a reverse call (ms). */
export const DEFAULT_REVERSE_TIMEOUT_MS = 30_000;

/**
 * DSP-side state of the listener protocol: calls DSP code made that APPS has not answered.
 * `next2`, `getInBufs2` and `init2` are the adsp_listener implementation (wrap them with the
 * generated skel); `transport` is what DSP-side stubs invoke.
 */
export class ReverseCallQueue {
  private readonly queued: PendingCall[] = [];
  private readonly inflight = new Map<number, PendingCall>();
  private readonly waiters: Waiter[] = [];
  private nextCtx = 1;
  private closedCode = 0;
  private readonly maxStream: number;

  /** The DSP-side reverse Transport: `new AppsMemClient(queue.transport, handle)`. */
  readonly transport: Transport = { invoke: (h, sc, args) => this.invoke(h, sc, args) };

  private readonly timeoutMs: number;
  /** Memory of completed calls' streams, packed into by later calls. */
  private readonly streams = new BufferPool(KEPT_AREA_BYTES);
  /** Expires overdue calls while any is outstanding (one timer for all, not one per call). */
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: ReverseQueueOptions = {}) {
    this.maxStream = options.maxStream ?? 64 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REVERSE_TIMEOUT_MS;
  }

  /** Calls waiting for APPS plus calls APPS is working on. */
  get outstanding(): number {
    return this.queued.length + this.inflight.size;
  }

  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[]): number | Promise<number> {
    if (this.closedCode !== 0) return this.closedCode;
    // remote_handle64 clients carry the 32-bit reverse handle apps_remotectl.open returned in
    // their 64-bit handle, as the FastRPC library maps one to the other on a device.
    const h = typeof handle === 'bigint' ? (handle >= 0n && handle <= 0xffffffffn ? Number(handle) : -1) : handle;
    if (h < 0 || h > 0xffffffff) return Aee.EINVHANDLE;
    if (scalarsInHandles(sc) + scalarsOutHandles(sc) > 0) return Aee.EBADPARM;
    let stream: Uint8Array;
    try {
      // Validates the out slots too: all of them must be buffers.
      const total = inStreamLength(sc, args);
      if (total > this.maxStream) return Aee.EBADSIZE;
      stream = packInStream(sc, args, this.streams.take(total));
    } catch (err) {
      return statusOf(err);
    }
    return new Promise<number>((resolve) => {
      const deadline = performance.now() + this.timeoutMs;
      const call: PendingCall = {
        handle: h >>> 0,
        sc,
        stream,
        args,
        resolve,
        deadline,
        ctx: 0,
        bufs: stream,
        bufsLenReq: stream.length,
      };
      if (Number.isFinite(deadline)) this.sweeper ??= setInterval(() => this.expire(), Math.max(1, Math.min(1000, this.timeoutMs / 4)));
      const w = this.waiters.shift();
      if (w) w.resolve(this.start(call, w.cap));
      else this.queued.push(call);
    });
  }

  init2(): void {
    if (this.closedCode !== 0) throw new AeeError(DSP_EBADSTATE);
  }

  /** Completes overdue calls with AEE_EEXPIRED; stops the sweeper once nothing is outstanding. */
  private expire(): void {
    const now = performance.now();
    for (let i = this.queued.length - 1; i >= 0; i--) {
      const c = this.queued[i]!;
      if (c.deadline <= now) {
        this.queued.splice(i, 1);
        c.resolve(AEE_ETIMEDOUT);
      }
    }
    for (const [ctx, c] of this.inflight) {
      if (c.deadline <= now) {
        this.inflight.delete(ctx);
        c.resolve(AEE_ETIMEDOUT);
      }
    }
    if (this.outstanding === 0 && this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  /**
   * adsp_listener.next2 on the DSP: completes `prevCtx` with `prevResult` (unpacking
   * `prevbufs` into the caller's out buffers when it is 0), then waits for the next call and
   * copies the first `bufs.length` bytes of its in stream into `bufs`.
   */
  async next2(prevCtx: number, prevResult: number, prevbufs: Uint8Array, bufs: Uint8Array): Promise<Next2Result> {
    const r = await this.next2View(prevCtx, prevResult, prevbufs, bufs.length);
    bufs.set(r.bufs);
    return { ctx: r.ctx, handle: r.handle, sc: r.sc, bufsLenReq: r.bufsLenReq };
  }

  /**
   * next2 without copying: `bufs` is a view of the first `cap` bytes of the call's in stream.
   * Answers synchronously when a call is already queued.
   */
  next2View(prevCtx: number, prevResult: number, prevbufs: Uint8Array, cap: number): Next2View | Promise<Next2View> {
    const prev = this.inflight.get(prevCtx >>> 0);
    if (prev) {
      this.inflight.delete(prev.ctx);
      const nIn = scalarsInBufs(prev.sc);
      const status = prevResult === 0 ? unpackOutStreamArgs(prevbufs, prev.args, nIn, scalarsOutBufs(prev.sc)) : prevResult;
      prev.resolve(status);
      this.recycle(prev);
    }
    const queued = this.queued.shift();
    if (queued) return this.start(queued, cap);
    return this.waitForCall(cap);
  }

  /**
   * Keeps a completed call's stream memory for later calls, so traffic packs into memory already
   * faulted in instead of a fresh allocation per call. Only completed calls give their memory
   * back: APPS has finished reading them.
   */
  private recycle(call: PendingCall): void {
    this.streams.give(call.stream);
  }

  private start(call: PendingCall, cap: number): Next2View {
    call.ctx = this.allocCtx();
    this.inflight.set(call.ctx, call);
    if (cap < call.stream.length) call.bufs = call.stream.subarray(0, cap);
    return call;
  }

  /** adsp_listener.get_in_bufs2: the part of `ctx`'s in stream from `offset`. Returns bufsLenReq. */
  getInBufs2(ctx: number, offset: number, bufs: Uint8Array): number {
    const r = this.getInBufs2View(ctx, offset, bufs.length);
    bufs.set(r.bufs);
    return r.bufsLenReq;
  }

  /** get_in_bufs2 without copying: a view of up to `cap` bytes of the in stream from `offset`. */
  getInBufs2View(ctx: number, offset: number, cap: number): { bufs: Uint8Array; bufsLenReq: number } {
    const call = this.inflight.get(ctx >>> 0);
    if (!call) throw new AeeError(Aee.EBADPARM, `get_in_bufs2: no call with ctx ${ctx}`);
    if (offset < 0 || offset > call.stream.length) throw new AeeError(Aee.EBADPARM, `get_in_bufs2: offset ${offset} out of range`);
    return { bufs: call.stream.subarray(offset, offset + cap), bufsLenReq: call.stream.length };
  }

  /**
   * Ends the protocol: every waiting next2 and every later one fails with DSP
   * AEE_EBADSTATE (the APPS listener stops), and calls not yet answered complete with `code`.
   */
  close(code: number = DSP_EBADSTATE): void {
    if (this.closedCode !== 0) return;
    this.closedCode = code;
    for (const w of this.waiters.splice(0)) w.reject(new AeeError(DSP_EBADSTATE));
    for (const c of this.queued.splice(0)) c.resolve(code);
    for (const c of this.inflight.values()) c.resolve(code);
    this.inflight.clear();
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private waitForCall(cap: number): Promise<Next2View> {
    if (this.closedCode !== 0) return Promise.reject(new AeeError(DSP_EBADSTATE));
    return new Promise<Next2View>((resolve, reject) => this.waiters.push({ cap, resolve, reject }));
  }

  private allocCtx(): number {
    let ctx: number;
    do {
      ctx = this.nextCtx;
      this.nextCtx = (this.nextCtx + 1) >>> 0 || 1;
    } while (this.inflight.has(ctx));
    return ctx;
  }
}
