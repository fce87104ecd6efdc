/**
 * The 32-bit "scalars" word of every FastRPC invocation:
 * attr(3) | method(5) | in buffers(8) | out buffers(8) | in handles(4) | out handles(4).
 */
export function makeScalars(method: number, nIn: number, nOut: number, nInH = 0, nOutH = 0, attr = 0): number {
  return (
    (((attr & 7) << 29) | ((method & 31) << 24) | ((nIn & 0xff) << 16) | ((nOut & 0xff) << 8) | ((nInH & 0xf) << 4) | (nOutH & 0xf)) >>> 0
  );
}

export const scalarsAttr = (sc: number): number => (sc >>> 29) & 7;
export const scalarsMethod = (sc: number): number => (sc >>> 24) & 31;
export const scalarsInBufs = (sc: number): number => (sc >>> 16) & 0xff;
export const scalarsOutBufs = (sc: number): number => (sc >>> 8) & 0xff;
export const scalarsInHandles = (sc: number): number => (sc >>> 4) & 0xf;
export const scalarsOutHandles = (sc: number): number => sc & 0xf;

/** Total number of `remote_arg` slots the scalars word describes. */
export function scalarsArgCount(sc: number): number {
  return scalarsInBufs(sc) + scalarsOutBufs(sc) + scalarsInHandles(sc) + scalarsOutHandles(sc);
}

/** Method field value that means "the real index is the first word of primIn". */
export const ESCAPED_METHOD = 31;

export function formatScalars(sc: number): string {
  return `0x${(sc >>> 0).toString(16).padStart(8, '0')}`;
}
