/**
 * Little-endian reads and writes on Uint8Array views. Reads are bounds-checked (a short
 * buffer raises RangeError, which skels turn into AEE_EBADPARM); writes go to buffers the
 * stub or skel sized itself. Byte arithmetic avoids creating a DataView per buffer, which
 * costs more than the whole encode of a small call.
 */
const scratch = new ArrayBuffer(8);
const s8 = new Uint8Array(scratch);
const sF32 = new Float32Array(scratch);
const sF64 = new Float64Array(scratch);
const sI64 = new BigInt64Array(scratch);
const sU64 = new BigUint64Array(scratch);

function check(b: Uint8Array, o: number, n: number): void {
  if (o < 0 || o + n > b.length) throw new RangeError(`read of ${n} bytes at ${o} outside a ${b.length}-byte buffer`);
}

export function w8(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
}
export function w16(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
}
export function w32(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
  b[o + 2] = v >>> 16;
  b[o + 3] = v >>> 24;
}
export function wF32(b: Uint8Array, o: number, v: number): void {
  sF32[0] = v;
  b[o] = s8[0]!;
  b[o + 1] = s8[1]!;
  b[o + 2] = s8[2]!;
  b[o + 3] = s8[3]!;
}
function w8bytes(b: Uint8Array, o: number): void {
  for (let i = 0; i < 8; i++) b[o + i] = s8[i]!;
}
export function wF64(b: Uint8Array, o: number, v: number): void {
  sF64[0] = v;
  w8bytes(b, o);
}
export function wI64(b: Uint8Array, o: number, v: bigint): void {
  sI64[0] = v;
  w8bytes(b, o);
}
export function wU64(b: Uint8Array, o: number, v: bigint): void {
  sU64[0] = v;
  w8bytes(b, o);
}

export function rU8(b: Uint8Array, o: number): number {
  check(b, o, 1);
  return b[o]!;
}
export function rI8(b: Uint8Array, o: number): number {
  return (rU8(b, o) << 24) >> 24;
}
export function rU16(b: Uint8Array, o: number): number {
  check(b, o, 2);
  return b[o]! | (b[o + 1]! << 8);
}
export function rI16(b: Uint8Array, o: number): number {
  return (rU16(b, o) << 16) >> 16;
}
export function rI32(b: Uint8Array, o: number): number {
  check(b, o, 4);
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}
export function rU32(b: Uint8Array, o: number): number {
  return rI32(b, o) >>> 0;
}
export function rF32(b: Uint8Array, o: number): number {
  check(b, o, 4);
  s8[0] = b[o]!;
  s8[1] = b[o + 1]!;
  s8[2] = b[o + 2]!;
  s8[3] = b[o + 3]!;
  return sF32[0]!;
}
function r8bytes(b: Uint8Array, o: number): void {
  check(b, o, 8);
  for (let i = 0; i < 8; i++) s8[i] = b[o + i]!;
}
export function rF64(b: Uint8Array, o: number): number {
  r8bytes(b, o);
  return sF64[0]!;
}
export function rI64(b: Uint8Array, o: number): bigint {
  r8bytes(b, o);
  return sI64[0]!;
}
export function rU64(b: Uint8Array, o: number): bigint {
  r8bytes(b, o);
  return sU64[0]!;
}
