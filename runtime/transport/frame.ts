/**
 * Framing of one FastRPC invocation between two processes or threads (worker channel, socket).
 * Buffers travel in the reverse-listener stream formats (listener-stream.ts); handle slots
 * follow them. Frames start 8-aligned so the stream's 8-byte alignment is also memory alignment.
 *
 * Request:  0 u32 flags (bit 0: handle is a remote_handle64; bit 1: buffer references follow) |
 *           4 u32 sc | 8 u64 handle | 16 u32 stream length | 20 u32 0 | 24 in stream |
 *           slots (in handles, then out handles) | references (bit 1 only)
 * Response: 0 i32 result | 4 u32 out stream length (0 unless result is 0) | 8 u32 out-handle count |
 *           12 u32 0 | 16 out stream | out-handle slots
 * Slot:     i32 fd | u32 offset | u64 h64 (16 bytes)
 * Reference: i32 fd (-1: the buffer travels in the stream) | u32 offset | u32 length | u32 0
 *           (16 bytes), one per buffer (in, then out). A buffer that lives in shared rpcmem
 *           (shared-rpcmem.ts) travels by reference: the stream carries it with length 0 and the
 *           callee gets a view of the mapped memory, which it reads and writes in place.
 */
import { Aee, AeeError } from '../wire/aee-codes.ts';
import { isBuffer } from '../wire/remote-arg.ts';
import type { HandleSlot, RemoteArg } from '../wire/remote-arg.ts';
import { scalarsInBufs, scalarsInHandles, scalarsOutBufs, scalarsOutHandles } from '../wire/scalars.ts';
import type { RemoteHandle } from '../rpc/transport.ts';
import { getU32, putU32 } from './bytes.ts';
import type { BufferRefs, MappedBuffers } from './shared-rpcmem.ts';
import {
  inStreamLength,
  layoutOutStreamInto,
  outStreamLength,
  packInStream,
  unpackInStreamInto,
  unpackOutStreamArgs,
} from './listener-stream.ts';

export const REQUEST_HEADER = 24;
export const RESPONSE_HEADER = 16;
const SLOT = 16;
const REF = 16;
const FLAG_H64 = 1;
const FLAG_REFS = 2;
const EMPTY = new Uint8Array(0);
/** Buffers up to this size always travel by copy (V8 keeps typed arrays up to 64 bytes on its heap). */
export const BY_COPY_MAX = 64;
const align8 = (n: number): number => (n + 7) & ~7;
const bufferScalars = (sc: number): number => sc & ~0xff;

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function slotAt(args: readonly RemoteArg[], i: number): HandleSlot {
  const a = args[i];
  if (a === undefined || isBuffer(a)) throw new AeeError(Aee.EBADPARM, `remote_arg ${i} is not a handle slot`);
  return a;
}

function writeSlot(d: DataView, pos: number, s: HandleSlot): void {
  d.setInt32(pos, s.fd, true);
  d.setUint32(pos + 4, s.offset >>> 0, true);
  d.setBigUint64(pos + 8, BigInt.asUintN(64, s.h64 ?? 0n), true);
}

function readSlot(d: DataView, pos: number, into: HandleSlot): void {
  into.fd = d.getInt32(pos, true);
  into.offset = d.getUint32(pos + 4, true);
  into.h64 = d.getBigUint64(pos + 8, true);
}

function handleCount(sc: number): number {
  return scalarsInHandles(sc) + scalarsOutHandles(sc);
}

/** Bytes a request frame for this invocation takes (every buffer in the stream). */
export function requestLength(sc: number, args: readonly RemoteArg[]): number {
  if (args.length < scalarsInBufs(sc) + scalarsOutBufs(sc) + handleCount(sc)) {
    throw new AeeError(Aee.EBADPARM, `scalars ${sc.toString(16)} describe more remote_args than the ${args.length} given`);
  }
  return REQUEST_HEADER + align8(inStreamLength(bufferScalars(sc), args)) + SLOT * handleCount(sc);
}

/** Bytes the response frame of this invocation takes when it succeeds (known before sending). */
export function replyLength(sc: number, args: readonly RemoteArg[]): number {
  const first = scalarsInBufs(sc);
  const lens: number[] = [];
  for (let i = 0; i < scalarsOutBufs(sc); i++) {
    const a = args[first + i];
    if (a === undefined || !isBuffer(a)) throw new AeeError(Aee.EBADPARM, `remote_arg ${first + i} is not a buffer`);
    lens.push(a.length);
  }
  return RESPONSE_HEADER + align8(outStreamLength(lens)) + SLOT * scalarsOutHandles(sc);
}

/** The buffers of a call that travel by reference: their fds, and the arguments with those buffers emptied. */
interface ByReference {
  readonly fds: Int32Array;
  readonly args: RemoteArg[];
}

/** Which buffers of `args`, from index `from` on, live in shared rpcmem; undefined when none does (the usual call). */
function buffersByReference(sc: number, args: readonly RemoteArg[], refs: BufferRefs | undefined, from = 0): ByReference | undefined {
  if (refs === undefined) return undefined;
  const n = scalarsInBufs(sc) + scalarsOutBufs(sc);
  let fds: Int32Array | undefined;
  for (let i = from; i < n; i++) {
    const a = args[i];
    // Only shared memory can be mapped by the peer; everything else is copied. Small buffers are
    // copied too: that costs less than the reference, and reading `.buffer` of a small typed
    // array (kept inside the JS heap) would allocate its ArrayBuffer.
    if (!isBuffer(a) || a.length <= BY_COPY_MAX || !(a.buffer instanceof SharedArrayBuffer)) continue;
    const fd = refs.refFor(a);
    if (fd < 0) continue;
    fds ??= new Int32Array(n).fill(-1);
    fds[i] = fd;
  }
  if (fds === undefined) return undefined;
  const emptied = args.slice();
  for (let i = from; i < n; i++) if (fds[i]! >= 0) emptied[i] = EMPTY;
  return { fds, args: emptied };
}

/**
 * Writes a request frame into `dst`. Returns its length. With `refs`, buffers that live in
 * shared rpcmem travel by reference instead of in the stream.
 */
export function writeRequest(dst: Uint8Array, handle: RemoteHandle, sc: number, args: readonly RemoteArg[], refs?: BufferRefs): number {
  const byRef = buffersByReference(sc, args, refs);
  const streamArgs = byRef?.args ?? args;
  const base = requestLength(sc, streamArgs);
  const total = byRef === undefined ? base : base + REF * byRef.fds.length;
  if (dst.length < total) throw new AeeError(Aee.EBADSIZE, `request of ${total} bytes exceeds the ${dst.length}-byte channel area`);
  const flags = (typeof handle === 'bigint' ? FLAG_H64 : 0) | (byRef === undefined ? 0 : FLAG_REFS);
  putU32(dst, 0, flags);
  if (typeof handle === 'bigint') {
    dv(dst).setBigUint64(8, BigInt.asUintN(64, handle), true);
  } else {
    putU32(dst, 8, handle >>> 0);
    putU32(dst, 12, 0);
  }
  putU32(dst, 4, sc >>> 0);
  const stream = packInStream(bufferScalars(sc), streamArgs, dst.subarray(REQUEST_HEADER));
  putU32(dst, 16, stream.length);
  putU32(dst, 20, 0);
  const nh = handleCount(sc);
  if (nh > 0) {
    const d = dv(dst);
    let pos = REQUEST_HEADER + align8(stream.length);
    const first = scalarsInBufs(sc) + scalarsOutBufs(sc);
    for (let i = 0; i < nh; i++, pos += SLOT) writeSlot(d, pos, slotAt(args, first + i));
  }
  if (byRef !== undefined) writeReferences(dst, base, byRef.fds, args);
  return total;
}

function writeReferences(dst: Uint8Array, at: number, fds: Int32Array, args: readonly RemoteArg[]): void {
  for (let i = 0, pos = at; i < fds.length; i++, pos += REF) {
    const fd = fds[i]!;
    const b = args[i] as Uint8Array;
    putU32(dst, pos, fd >>> 0);
    putU32(dst, pos + 4, fd < 0 ? 0 : b.byteOffset);
    putU32(dst, pos + 8, fd < 0 ? 0 : b.length);
    putU32(dst, pos + 12, 0);
  }
}

export interface DecodedRequest {
  readonly handle: RemoteHandle;
  readonly sc: number;
  /** In buffers view the request; out buffers view `response`'s out stream; handle slots are fresh objects. */
  readonly args: RemoteArg[];
  readonly outLens: number[];
  readonly outHandles: HandleSlot[];
  /** Where the reply is being built (the out buffers view it). */
  readonly response: Uint8Array;
}

/**
 * Decodes a request frame for the callee, laying its out buffers directly in `response` so the
 * skel writes results where they will travel. Throws AeeError(EBADPARM) on a malformed frame
 * and AeeError(EBADSIZE) when the reply cannot fit `response`.
 */
export function readRequest(
  src: Uint8Array,
  response: Uint8Array | ((bytes: number) => Uint8Array),
  mapped?: MappedBuffers,
): DecodedRequest {
  if (src.length < REQUEST_HEADER) throw new AeeError(Aee.EBADPARM, 'request frame shorter than its header');
  const flags = getU32(src, 0);
  const sc = getU32(src, 4);
  const handle: RemoteHandle = flags & FLAG_H64 ? dv(src).getBigUint64(8, true) : getU32(src, 8);
  const streamLen = getU32(src, 16);
  const slotsAt = REQUEST_HEADER + align8(streamLen);
  const nh = handleCount(sc);
  const refsAt = slotsAt + SLOT * nh;
  const nRefs = flags & FLAG_REFS ? scalarsInBufs(sc) + scalarsOutBufs(sc) : 0;
  if (refsAt + REF * nRefs > src.length) throw new AeeError(Aee.EBADPARM, 'request frame truncated');
  const args: RemoteArg[] = [];
  const outLens: number[] = [];
  unpackInStreamInto(bufferScalars(sc), src.subarray(REQUEST_HEADER, REQUEST_HEADER + streamLen), args, outLens);
  const outLen = outStreamLength(outLens);
  const nOutH = scalarsOutHandles(sc);
  const need = RESPONSE_HEADER + align8(outLen) + SLOT * nOutH;
  const area = typeof response === 'function' ? response(need) : response;
  if (need > area.length) {
    throw new AeeError(Aee.EBADSIZE, `reply of ${outLen} bytes exceeds the channel area`);
  }
  layoutOutStreamInto(outLens, area.subarray(RESPONSE_HEADER), args);
  if (nRefs > 0) readReferences(src, refsAt, nRefs, args, mapped);
  if (nh === 0) return { handle, sc, args, outLens, outHandles: noSlots, response: area };
  const d = dv(src);
  const outHandles: HandleSlot[] = [];
  const nInH = scalarsInHandles(sc);
  for (let i = 0; i < nh; i++) {
    const s: HandleSlot = { fd: -1, offset: 0 };
    readSlot(d, slotsAt + SLOT * i, s);
    args.push(s);
    if (i >= nInH) outHandles.push(s);
  }
  return { handle, sc, args, outLens, outHandles, response: area };
}

const noSlots: HandleSlot[] = [];

/** Replaces the buffers sent by reference with views of the caller's mapped memory. */
function readReferences(src: Uint8Array, at: number, n: number, args: RemoteArg[], mapped: MappedBuffers | undefined): void {
  for (let i = 0, pos = at; i < n; i++, pos += REF) {
    const fd = getU32(src, pos) | 0;
    if (fd < 0) continue;
    if ((args[i] as Uint8Array).length !== 0) throw new AeeError(Aee.EBADPARM, `buffer ${i} travels both in the stream and by reference`);
    const offset = getU32(src, pos + 4);
    const length = getU32(src, pos + 8);
    const view = mapped?.view(fd, offset, length);
    if (view === undefined) {
      throw new AeeError(Aee.EBADPARM, `buffer ${i}: ${length} bytes at offset ${offset} of fd ${fd} are not mapped memory`);
    }
    args[i] = view;
  }
}

/** Completes the response frame in `response` after the skel ran. Returns its length. */
export function writeResponse(response: Uint8Array, result: number, req: DecodedRequest | undefined): number {
  putU32(response, 0, result >>> 0);
  const ok = result === 0 && req !== undefined;
  const outLen = ok ? outStreamLength(req.outLens) : 0;
  const slots = ok ? req.outHandles : [];
  putU32(response, 4, outLen);
  putU32(response, 8, slots.length);
  putU32(response, 12, 0);
  let pos = RESPONSE_HEADER + align8(outLen);
  if (slots.length > 0) {
    const d = dv(response);
    for (const s of slots) {
      writeSlot(d, pos, s);
      pos += SLOT;
    }
  }
  return pos;
}

/**
 * Applies a response frame to the caller's arguments: copies out buffers and out-handle
 * slots back. Returns the call's status (a malformed reply is AEE_EUNKNOWN, as unpack_out_bufs).
 */
export function readResponse(src: Uint8Array, sc: number, callArgs: readonly RemoteArg[], refs?: BufferRefs): number {
  if (src.length < RESPONSE_HEADER) return Aee.EUNKNOWN;
  // Out buffers sent by reference were written in place: the stream carries them empty. In
  // buffers do not matter here, so they are not looked up again.
  const args = buffersByReference(sc, callArgs, refs, scalarsInBufs(sc))?.args ?? callArgs;
  const result = getU32(src, 0) | 0;
  if (result !== 0) return result;
  const outLen = getU32(src, 4);
  const nOutH = getU32(src, 8);
  const slotsAt = RESPONSE_HEADER + align8(outLen);
  if (slotsAt + SLOT * nOutH > src.length || nOutH !== scalarsOutHandles(sc)) return Aee.EUNKNOWN;
  const nIn = scalarsInBufs(sc);
  const r = unpackOutStreamArgs(src.subarray(RESPONSE_HEADER, RESPONSE_HEADER + outLen), args, nIn, scalarsOutBufs(sc));
  if (r !== 0) return r;
  const first = nIn + scalarsOutBufs(sc) + scalarsInHandles(sc);
  for (let i = 0; i < nOutH; i++) {
    const a = args[first + i];
    if (a === undefined || isBuffer(a)) return Aee.EBADPARM;
    readSlot(dv(src), slotsAt + SLOT * i, a);
  }
  return 0;
}
