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
import { AeeError } from '../wire/aee-codes.ts';
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
  const next2Args: RemoteArg[] = [new Uint8Array(16), EMPTY, new Uint8Array(16), EMPTY];
  const getArgs: RemoteArg[] = [new Uint8Array(12), new Uint8Array(4), EMPTY];
  const failed = (status: number): Promise<never> => Promise.reject(new AeeError(status));
  const next2Done = (status: number): Next2Result | Promise<Next2Result> =>
    status === 0 ? next2Result(next2Args[2] as Uint8Array) : failed(status);
  const getDone = (status: number): number | Promise<number> => (status === 0 ? i32(getArgs[1] as Uint8Array, 0) : failed(status));
  return {
    init2: generic.init2,
    next2(prevCtx, prevResult, prevbufs, bufs) {
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
