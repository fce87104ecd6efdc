/**
 * The two byte streams of the reverse (DSP -> APPS) listener protocol, as packed by
 * listener_buf.h. Alignment is relative to the start of the stream, never to memory.
 *
 * In stream (DSP -> APPS, delivered by next2 / get_in_bufs2):
 *   for each in buffer:  u32 len at the current position (possibly unaligned);
 *                        if len > 0: pad to 8, then len bytes
 *   for each out buffer: u32 requested len (no padding, no data)
 * Out stream (APPS -> DSP, sent back as next2's prevbufs):
 *   for each out buffer: u32 len; if len > 0: pad to 8, then len bytes
 */
import { Aee, AeeError } from '../wire/aee-codes.ts';
import { isBuffer } from '../wire/remote-arg.ts';
import type { RemoteArg } from '../wire/remote-arg.ts';
import { getU32, putU32 } from './bytes.ts';
import { scalarsInBufs, scalarsInHandles, scalarsOutBufs, scalarsOutHandles } from '../wire/scalars.ts';

/** Unit in which the listener grows and shrinks its stream areas (listener_android.c MIN_BUF_SIZE). */
export const LISTENER_BUF_UNIT = 0x1000;

const align8 = (n: number): number => (n + 7) & ~7;

/** `roundup(n, 4096)`, with 0 rounding to one unit as the listener's ALIGNB does. */
export function alignListenerBuf(n: number): number {
  return n === 0 ? LISTENER_BUF_UNIT : Math.ceil(n / LISTENER_BUF_UNIT) * LISTENER_BUF_UNIT;
}

function bufferArg(args: readonly RemoteArg[], i: number): Uint8Array {
  const a = args[i];
  if (!isBuffer(a)) throw new AeeError(Aee.EBADPARM, `remote_arg ${i} is not a buffer`);
  return a;
}

function checkNoHandles(sc: number): void {
  // Handles cannot cross the reverse path: the APPS listener answers such calls with EBADPARM.
  if (scalarsInHandles(sc) + scalarsOutHandles(sc) > 0) {
    throw new AeeError(Aee.EBADPARM, 'handles cannot be passed on the reverse path');
  }
}

/** Byte length of the in stream for `sc` and the given `args` (in buffers, then out buffers). */
export function inStreamLength(sc: number, args: readonly RemoteArg[]): number {
  const nIn = scalarsInBufs(sc);
  const nOut = scalarsOutBufs(sc);
  let pos = 0;
  for (let i = 0; i < nIn; i++) {
    const len = bufferArg(args, i).length;
    pos += 4;
    if (len > 0) pos = align8(pos) + len;
  }
  return pos + 4 * nOut;
}

/**
 * Packs the in stream of one reverse call (DSP side). Writes into `dst` when given (it must
 * hold `inStreamLength` bytes) and returns the view of the stream. Padding bytes are zero.
 */
export function packInStream(sc: number, args: readonly RemoteArg[], dst?: Uint8Array): Uint8Array {
  checkNoHandles(sc);
  const total = inStreamLength(sc, args);
  const out = dst ? dst.subarray(0, total) : new Uint8Array(total);
  if (out.length < total) throw new AeeError(Aee.EBADSIZE, `in stream needs ${total} bytes, have ${out.length}`);
  const nIn = scalarsInBufs(sc);
  const nOut = scalarsOutBufs(sc);
  let pos = 0;
  for (let i = 0; i < nIn; i++) {
    const b = bufferArg(args, i);
    putU32(out, pos, b.length);
    pos += 4;
    if (b.length > 0) {
      // Padding is zero: a reused `dst` may hold an earlier stream.
      for (const end = align8(pos); pos < end; pos++) out[pos] = 0;
      out.set(b, pos);
      pos += b.length;
    }
  }
  for (let i = 0; i < nOut; i++) {
    putU32(out, pos, bufferArg(args, nIn + i).length);
    pos += 4;
  }
  return out;
}

/** A decoded in stream: views of the in buffers into the stream, and the requested out lengths. */
export interface UnpackedInStream {
  readonly inBufs: Uint8Array[];
  readonly outLens: number[];
}

/**
 * Decodes an in stream (APPS side). The in buffers are views into `stream` (no copy).
 * A stream shorter than its own length words is malformed: AeeError(AEE_EBADPARM).
 */
export function unpackInStream(sc: number, stream: Uint8Array): UnpackedInStream {
  const inBufs: Uint8Array[] = [];
  const outLens: number[] = [];
  unpackInStreamInto(sc, stream, inBufs, outLens);
  return { inBufs, outLens };
}

/** unpackInStream appending the in buffer views to `inBufs` and the out lengths to `outLens`. */
export function unpackInStreamInto(sc: number, stream: Uint8Array, inBufs: RemoteArg[], outLens: number[]): void {
  checkNoHandles(sc);
  const nIn = scalarsInBufs(sc);
  const nOut = scalarsOutBufs(sc);
  const end = stream.length;
  let pos = 0;
  for (let i = 0; i < nIn; i++) {
    if (pos + 4 > end) throw truncated(pos, `length of in buffer ${i}`);
    const len = getU32(stream, pos);
    pos += 4;
    if (len === 0) {
      inBufs.push(stream.subarray(pos, pos));
      continue;
    }
    pos = align8(pos);
    if (len > end - pos) {
      throw new AeeError(Aee.EBADPARM, `in buffer ${i} of ${len} bytes at offset ${pos} overruns the ${end}-byte stream`);
    }
    inBufs.push(stream.subarray(pos, pos + len));
    pos += len;
  }
  for (let i = 0; i < nOut; i++) {
    if (pos + 4 > end) throw truncated(pos, `length of out buffer ${i}`);
    outLens.push(getU32(stream, pos));
    pos += 4;
  }
}

function truncated(pos: number, what: string): AeeError {
  return new AeeError(Aee.EBADPARM, `in stream truncated at offset ${pos} (${what})`);
}

/** Byte length of the out stream carrying buffers of these lengths. */
export function outStreamLength(outLens: readonly number[]): number {
  let pos = 0;
  for (let i = 0; i < outLens.length; i++) {
    const len = outLens[i]!;
    pos += 4;
    if (len > 0) pos = align8(pos) + len;
  }
  return pos;
}

/**
 * Lays out an out stream in `area` (APPS side): writes the length words, zeroes the padding
 * and returns views of the data areas for the skel to write its results into directly.
 */
export function layoutOutStream(outLens: readonly number[], area: Uint8Array): Uint8Array[] {
  const views: Uint8Array[] = [];
  layoutOutStreamInto(outLens, area, views);
  return views;
}

/** layoutOutStream appending the data views to `views`. */
export function layoutOutStreamInto(outLens: readonly number[], area: Uint8Array, views: RemoteArg[]): void {
  const total = outStreamLength(outLens);
  if (area.length < total) throw new AeeError(Aee.EBADSIZE, `out stream needs ${total} bytes, have ${area.length}`);
  let pos = 0;
  for (let i = 0; i < outLens.length; i++) {
    const len = outLens[i]!;
    putU32(area, pos, len);
    pos += 4;
    if (len > 0) {
      const start = align8(pos);
      for (let j = pos; j < start; j++) area[j] = 0;
      views.push(area.subarray(start, start + len));
      pos = start + len;
    } else {
      views.push(area.subarray(pos, pos));
    }
  }
}

/**
 * Copies an out stream into the caller's out buffers (DSP side, unpack_out_bufs). Each length
 * word must equal the buffer's length; otherwise, or if the stream is short, the result is
 * AEE_EUNKNOWN (-1), which is what the C VERIFY yields. Trailing bytes are ignored (quic may
 * send the grown capacity rather than the exact length). Returns 0 on success.
 */
export function unpackOutStream(stream: Uint8Array, outBufs: readonly Uint8Array[]): number {
  return unpackOutStreamArgs(stream, outBufs, 0, outBufs.length);
}

/**
 * unpackOutStream into the `count` buffers of `args` from index `first` (a call's out
 * buffers in its remote_arg list). A slot that is not a buffer is AEE_EBADPARM.
 */
export function unpackOutStreamArgs(stream: Uint8Array, args: readonly RemoteArg[], first: number, count: number): number {
  for (let i = first; i < first + count; i++) if (!isBuffer(args[i])) return Aee.EBADPARM;
  let pos = 0;
  for (let i = first; i < first + count; i++) {
    const b = args[i] as Uint8Array;
    if (pos + 4 > stream.length) return Aee.EUNKNOWN;
    const len = getU32(stream, pos);
    pos += 4;
    if (len !== b.length) return Aee.EUNKNOWN;
    if (len > 0) {
      pos = align8(pos);
      if (pos + len > stream.length) return Aee.EUNKNOWN;
      b.set(stream.subarray(pos, pos + len));
      pos += len;
    }
  }
  return 0;
}

/** Out buffers of an argument list (the slots after the in buffers). */
export function outBuffersOf(sc: number, args: readonly RemoteArg[]): Uint8Array[] {
  const nIn = scalarsInBufs(sc);
  const nOut = scalarsOutBufs(sc);
  const outs: Uint8Array[] = [];
  for (let i = 0; i < nOut; i++) outs.push(bufferArg(args, nIn + i));
  return outs;
}
