/**
 * A window of simulated physical memory shared by every processor. The bytes live in a
 * SharedArrayBuffer so workers (processors) can map the same region.
 */
export interface SmemRegion {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
  /** Physical address of the first byte (what `virt_to_phys` reports). */
  readonly physBase: bigint;
}

/** A 2 MiB region at 0x8600_0000, the sdm845-family default. */
export function createSmemRegion(byteLength = 2 * 1024 * 1024, physBase = 0x8600_0000n): SmemRegion {
  return { buffer: new SharedArrayBuffer(byteLength), byteOffset: 0, byteLength, physBase };
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Atomics use host byte order; SMEM is little-endian, so refuse a big-endian host early. */
export function assertLittleEndianHost(): void {
  if (!littleEndianHost) throw new Error('SMEM emulation needs a little-endian host');
}
