/**
 * Straight-line codecs of adsp_listener's next2 and get_in_bufs2, the calls every reverse call
 * makes twice (its request rides on one next2, its reply on the next). Their layouts are fixed
 * by adsp_listener.idl, so the stub writes its primIn and reads its primROut directly and the
 * skel does the same on the DSP side, without the generic plans, their per-call objects and
 * Promise. The remote_args are byte for byte what the generated stub sends and the generated
 * skel accepts (test/transport/listener-codec.test.ts compares both); a request the fast skel
 * does not recognise goes to the generated skel, so every refusal keeps its code.
 *
 *   next2         sc 0x04020200  primIn: prevCtx u32 | prevResult i32 | prevbufs len | bufs cap
 *                                primROut: ctx | handle | sc | bufsLenReq i32
 *   get_in_bufs2  sc 0x05010200  primIn: ctx | offset i32 | bufs cap    primROut: bufsLenReq i32
 */
import { Aee, AeeError } from '../wire/aee-codes.ts';
import { isBuffer } from '../wire/remote-arg.ts';
import type { RemoteArg } from '../wire/remote-arg.ts';
import { makeScalars } from '../wire/scalars.ts';
import { errorCode } from '../rpc/skel.ts';
import type { CallOptions, SkelInvoke, Transport } from '../rpc/transport.ts';
import { createAdspListenerSkel } from '../interfaces/adsp_listener.ts';
import { getU32, putU32 } from './bytes.ts';
import type { ListenerCalls, Next2Result, Next2View, ReverseCallQueue } from './listener.ts';
import { ADSP_LISTENER_HANDLE, listenerCallsOver, listenerImpl } from './reverse-protocol.ts';

export const NEXT2_SCALARS = makeScalars(4, 2, 2);
export const GET_IN_BUFS2_SCALARS = makeScalars(5, 1, 2);
const EMPTY = new Uint8Array(0);
/** next2 waits for the DSP's next reverse call, which may be long in coming: the idle timeout applies. */
const IDLE: CallOptions = { idle: true };

const i32 = (b: Uint8Array, o: number): number => getU32(b, o) | 0;

function next2Result(pr: Uint8Array): Next2Result {
  return { ctx: getU32(pr, 0), handle: getU32(pr, 4), sc: getU32(pr, 8), bufsLenReq: i32(pr, 12) };
}

/**
 * The APPS listener's adsp_listener calls over `transport`, next2 and get_in_bufs2 encoded in
 * place. The in stream lands in the listener's own area (`bufs`), as with the generated stub.
 * One call at a time, as the listener loop makes them.
 */
export function fastListenerCalls(transport: Transport): ListenerCalls {
  const generic = listenerCallsOver(transport);
  const frames = isFrameInvoker(transport) ? transport : undefined;
  const next2Frame = next2OverFrames();
  const next2Args: RemoteArg[] = [new Uint8Array(16), EMPTY, new Uint8Array(16), EMPTY];
  const getArgs: RemoteArg[] = [new Uint8Array(12), new Uint8Array(4), EMPTY];
  const failed = (status: number): Promise<never> => Promise.reject(new AeeError(status));
  const next2Done = (status: number): Next2Result | Promise<Next2Result> =>
    status === 0 ? next2Result(next2Args[2] as Uint8Array) : failed(status);
  const getDone = (status: number): number | Promise<number> => (status === 0 ? i32(getArgs[1] as Uint8Array, 0) : failed(status));
  return {
    init2: generic.init2,
    next2(prevCtx, prevResult, prevbufs, bufs) {
      if (frames !== undefined) return next2Frame(frames, prevCtx, prevResult, prevbufs, bufs);
      const pi = next2Args[0] as Uint8Array;
      putU32(pi, 0, prevCtx);
      putU32(pi, 4, prevResult);
      putU32(pi, 8, prevbufs.length);
      putU32(pi, 12, bufs.length);
      next2Args[1] = prevbufs;
      next2Args[3] = bufs;
      const r = transport.invoke(ADSP_LISTENER_HANDLE, NEXT2_SCALARS, next2Args, IDLE);
      return typeof r === 'number' ? next2Done(r) : r.then(next2Done);
    },
    getInBufs2(ctx, offset, bufs) {
      const pi = getArgs[0] as Uint8Array;
      putU32(pi, 0, ctx);
      putU32(pi, 4, offset);
      putU32(pi, 8, bufs.length);
      getArgs[2] = bufs;
      const r = transport.invoke(ADSP_LISTENER_HANDLE, GET_IN_BUFS2_SCALARS, getArgs);
      return Promise.resolve(typeof r === 'number' ? getDone(r) : r.then(getDone));
    },
  };
}

/** Failures of the queue are AeeErrors; anything else is reported as the generated skel would. */
function failure(e: unknown): number {
  if (!(e instanceof AeeError)) process.emitWarning(e instanceof Error ? e.message : String(e), { type: 'DspidlSkelWarning' });
  return errorCode(e);
}

function isFrameInvoker(t: Transport): t is Transport & FrameInvoker {
  return typeof (t as Partial<FrameInvoker>).invokeFrame === 'function';
}

/** next2 as whole frames: the request written in place, the reply's in stream copied into `bufs`. */
function next2OverFrames(): (
  t: FrameInvoker,
  prevCtx: number,
  prevResult: number,
  prevbufs: Uint8Array,
  bufs: Uint8Array,
) => Next2Result | Promise<Next2Result> {
  const result = { ctx: 0, handle: 0, sc: 0, bufsLenReq: 0 };
  let ctx = 0;
  let res = 0;
  let prev: Uint8Array = EMPTY;
  let into: Uint8Array = EMPTY;
  const write = (request: Uint8Array): number => writeNext2Frame(request, ctx, res, prev, into.length);
  const read = (reply: Uint8Array): number => readNext2Reply(reply, into, result);
  // A fresh object per call: the listener may hold the previous one.
  const done = (status: number): Next2Result | Promise<Next2Result> =>
    status === 0 ? { ...result } : Promise.reject(new AeeError(status));
  return (t, prevCtx, prevResult, prevbufs, bufs) => {
    ctx = prevCtx;
    res = prevResult;
    prev = prevbufs;
    into = bufs;
    const r = t.invokeFrame(write, read, IDLE);
    return typeof r === 'number' ? done(r) : r.then(done);
  };
}

/** next2's rout values into primROut and the in stream (up to `cap`) into the out buffer. */
function deliver(v: Next2View, pr: Uint8Array, out: Uint8Array, cap: number): number {
  putU32(pr, 0, v.ctx);
  putU32(pr, 4, v.handle);
  putU32(pr, 8, v.sc);
  putU32(pr, 12, v.bufsLenReq);
  out.set(v.bufs.length > cap ? v.bufs.subarray(0, cap) : v.bufs);
  return 0;
}

/**
 * The DSP side's adsp_listener skel (static handle 3) serving `queue`: next2 and get_in_bufs2
 * decoded in place, the in stream copied once from the queued call into the caller's out
 * buffer; every other method, and any request that is not exactly as the layout says, through
 * the generated skel.
 */
export function createFastListenerSkel(queue: ReverseCallQueue): SkelInvoke {
  const generic = createAdspListenerSkel(listenerImpl(queue));
  const next2 = (pra: RemoteArg[]): number | Promise<number> | undefined => {
    const pi = pra[0];
    const prev = pra[1];
    const pr = pra[2];
    const out = pra[3];
    if (!isBuffer(pi) || !isBuffer(prev) || !isBuffer(pr) || !isBuffer(out) || pi.length < 16 || pr.length < 16) return undefined;
    const prevLen = getU32(pi, 8);
    const cap = getU32(pi, 12);
    if (prevLen > prev.length || cap > out.length) return undefined;
    let v: Next2View | Promise<Next2View>;
    try {
      v = queue.next2View(getU32(pi, 0), i32(pi, 4), prevLen === prev.length ? prev : prev.subarray(0, prevLen), cap);
    } catch (e) {
      return failure(e);
    }
    // No closure when the next call is already queued (the busy case).
    if (!(v instanceof Promise)) return deliver(v, pr, out, cap);
    return v.then((w) => deliver(w, pr, out, cap), failure);
  };
  const getInBufs2 = (pra: RemoteArg[]): number | undefined => {
    const pi = pra[0];
    const pr = pra[1];
    const out = pra[2];
    if (!isBuffer(pi) || !isBuffer(pr) || !isBuffer(out) || pi.length < 12 || pr.length < 4) return undefined;
    const cap = getU32(pi, 8);
    if (cap > out.length) return undefined;
    try {
      const r = queue.getInBufs2View(getU32(pi, 0), i32(pi, 4), cap);
      putU32(pr, 0, r.bufsLenReq);
      out.set(r.bufs.length > cap ? r.bufs.subarray(0, cap) : r.bufs);
      return 0;
    } catch (e) {
      return failure(e);
    }
  };
  return (h, sc, pra, ctx) => {
    const fast = sc === NEXT2_SCALARS ? next2(pra) : sc === GET_IN_BUFS2_SCALARS ? getInBufs2(pra) : undefined;
    return fast ?? generic(h, sc, pra, ctx);
  };
}

// ---------------------------------------------------------------------------------------------
// The same two calls one level down, as whole channel frames (frame.ts), for transports that let
// a codec write its request frame and read its reply frame itself: no remote_arg list, no views.
// The frames are byte for byte those writeRequest / writeResponse make for the calls above.
//
// next2 request frame (handle 3, no references):
//   0 flags 0 | 4 sc | 8 handle 3 | 12 0 | 16 stream length | 20 0 | 24 stream:
//   24 u32 16 | 28 pad | 32 primIn (16) | 48 u32 prevbufs length | [56 prevbufs] | u32 16 | u32 cap
// next2 reply frame (status 0):
//   0 status | 4 out stream length | 8 0 | 12 0 | 16 stream:
//   16 u32 16 | 20 pad | 24 primROut (16) | 40 u32 cap | [48 cap bytes of the in stream]

const align8 = (n: number): number => (n + 7) & ~7;
const REQUEST_HEADER = 24;
const RESPONSE_HEADER = 16;

/** A transport whose codecs may write request frames and read reply frames themselves. */
export interface FrameInvoker {
  /**
   * Sends the frame `write` puts in the request area (returning its length) and resolves to what
   * `read` makes of the reply frame: a status, 0 on success. A transport failure is its status.
   */
  invokeFrame(write: (request: Uint8Array) => number, read: (reply: Uint8Array) => number, call?: CallOptions): number | Promise<number>;
}

/** Writes the request frame of next2 into `dst`. Returns its length (AeeError EBADSIZE if it does not fit). */
export function writeNext2Frame(dst: Uint8Array, prevCtx: number, prevResult: number, prevbufs: Uint8Array, cap: number): number {
  const n = prevbufs.length;
  const outLens = n > 0 ? 56 + n : 52;
  const streamLen = outLens + 8 - REQUEST_HEADER;
  const total = REQUEST_HEADER + align8(streamLen);
  if (dst.length < total) throw new AeeError(Aee.EBADSIZE, `request of ${total} bytes exceeds the ${dst.length}-byte channel area`);
  putU32(dst, 0, 0);
  putU32(dst, 4, NEXT2_SCALARS);
  putU32(dst, 8, ADSP_LISTENER_HANDLE);
  putU32(dst, 12, 0);
  putU32(dst, 16, streamLen);
  putU32(dst, 20, 0);
  putU32(dst, 24, 16);
  putU32(dst, 28, 0);
  putU32(dst, 32, prevCtx);
  putU32(dst, 36, prevResult);
  putU32(dst, 40, n);
  putU32(dst, 44, cap);
  putU32(dst, 48, n);
  if (n > 0) {
    putU32(dst, 52, 0);
    dst.set(prevbufs, 56);
  }
  putU32(dst, outLens, 16);
  putU32(dst, outLens + 4, cap);
  return total;
}

/**
 * Reads a next2 reply frame: the rout values into `result` and the in stream, up to the length
 * it declares, into `bufs`. Returns the status (AEE_EUNKNOWN for a malformed reply, as readResponse).
 */
export function readNext2Reply(src: Uint8Array, bufs: Uint8Array, result: { -readonly [K in keyof Next2Result]: Next2Result[K] }): number {
  if (src.length < RESPONSE_HEADER) return Aee.EUNKNOWN;
  const status = getU32(src, 0) | 0;
  if (status !== 0) return status;
  const cap = bufs.length;
  const outLen = getU32(src, 4);
  const expected = cap > 0 ? 32 + cap : 28;
  if (getU32(src, 8) !== 0 || outLen !== expected || RESPONSE_HEADER + outLen > src.length) return Aee.EUNKNOWN;
  if (getU32(src, 16) !== 16 || getU32(src, 40) !== cap) return Aee.EUNKNOWN;
  result.ctx = getU32(src, 24);
  result.handle = getU32(src, 28);
  result.sc = getU32(src, 32);
  result.bufsLenReq = getU32(src, 36) | 0;
  // Only the stream's own bytes matter to the listener; the rest of its area is not read.
  const used = Math.min(cap, Math.max(0, result.bufsLenReq));
  if (used > 0) bufs.set(src.subarray(48, 48 + used));
  return 0;
}

/** The fixed parts of a next2 request frame, or undefined when it is anything else. */
function parseNext2Frame(src: Uint8Array): { prevLen: number; cap: number } | undefined {
  if (src.length < 60 || getU32(src, 0) !== 0 || getU32(src, 4) !== NEXT2_SCALARS || getU32(src, 12) !== 0) return undefined;
  if (getU32(src, 24) !== 16) return undefined;
  const prevLen = getU32(src, 48);
  const outLens = prevLen > 0 ? 56 + prevLen : 52;
  const streamLen = getU32(src, 16);
  if (prevLen > src.length || outLens + 8 - REQUEST_HEADER !== streamLen || outLens + 8 > src.length) return undefined;
  if (getU32(src, outLens) !== 16 || getU32(src, 40) !== prevLen || getU32(src, 44) !== getU32(src, outLens + 4)) return undefined;
  return { prevLen, cap: getU32(src, outLens + 4) };
}

/** Writes the reply frame of a next2 that delivers `v`. Returns its length. */
function writeNext2Reply(dst: Uint8Array, v: Next2View, cap: number): number {
  const outLen = cap > 0 ? 32 + cap : 28;
  putU32(dst, 0, 0);
  putU32(dst, 4, outLen);
  putU32(dst, 8, 0);
  putU32(dst, 12, 0);
  putU32(dst, 16, 16);
  putU32(dst, 20, 0);
  putU32(dst, 24, v.ctx);
  putU32(dst, 28, v.handle);
  putU32(dst, 32, v.sc);
  putU32(dst, 36, v.bufsLenReq);
  putU32(dst, 40, cap);
  if (cap > 0) {
    putU32(dst, 44, 0);
    dst.set(v.bufs.length > cap ? v.bufs.subarray(0, cap) : v.bufs, 48);
  }
  return RESPONSE_HEADER + align8(outLen);
}

/** The reply frame of a failed call. */
function writeStatusReply(dst: Uint8Array, status: number): number {
  putU32(dst, 0, status);
  putU32(dst, 4, 0);
  putU32(dst, 8, 0);
  putU32(dst, 12, 0);
  return RESPONSE_HEADER;
}

/**
 * Serves a next2 request frame straight from the channel area: the previous call completes from
 * the frame's bytes, the next call's in stream goes straight into the reply frame. Returns the
 * reply length, or undefined for any other frame (the caller serves it the general way).
 */
export function serveNext2Frame(queue: ReverseCallQueue, request: Uint8Array, response: Uint8Array): number | Promise<number> | undefined {
  const f = parseNext2Frame(request);
  if (f === undefined || getU32(request, 8) !== ADSP_LISTENER_HANDLE) return undefined;
  const outLen = f.cap > 0 ? 32 + f.cap : 28;
  if (RESPONSE_HEADER + align8(outLen) > response.length) return undefined;
  let v: Next2View | Promise<Next2View>;
  try {
    const prev = request.subarray(56, 56 + f.prevLen);
    v = queue.next2View(getU32(request, 32), getU32(request, 36) | 0, prev, f.cap);
  } catch (e) {
    return writeStatusReply(response, failure(e));
  }
  if (!(v instanceof Promise)) return writeNext2Reply(response, v, f.cap);
  return v.then(
    (w) => writeNext2Reply(response, w, f.cap),
    (e: unknown) => writeStatusReply(response, failure(e)),
  );
}
