/**
 * Values a stub sends and an implementation returns are checked against their IDL types before
 * anything is written: a uint32 of -1, 2**32+5, 1.5 or NaN, a string given `undefined`, a rout
 * struct left out would otherwise reach the wire silently converted. The checks run inside the
 * writers (one typeof and one integer comparison per primitive); when one fails, the writer
 * throws the BAD_VALUE signal and the plan, which knows the method and the parameter, walks the
 * value again with `describeInvalid` to say where and why.
 */
import type { PrimCode, TypeDesc } from './desc.ts';
import { getMember } from './own.ts';

/** Thrown by the writers on a value of the wrong type or range; the plan turns it into InvalidValueError. */
export class BadValueSignal extends Error {}
export const BAD_VALUE = new BadValueSignal('invalid value');

/** Does `v` fit the primitive? 64-bit values are bigints, or safe integers (converted exactly). */
export const PRIM_OK: Readonly<Record<PrimCode, (v: unknown) => boolean>> = {
  i8: (v) => typeof v === 'number' && (v << 24) >> 24 === v,
  u8: (v) => typeof v === 'number' && (v & 0xff) === v,
  bool: (v) => typeof v === 'boolean',
  i16: (v) => typeof v === 'number' && (v << 16) >> 16 === v,
  u16: (v) => typeof v === 'number' && (v & 0xffff) === v,
  i32: (v) => typeof v === 'number' && (v | 0) === v,
  u32: (v) => typeof v === 'number' && v >>> 0 === v,
  f32: (v) => typeof v === 'number',
  f64: (v) => typeof v === 'number',
  // asIntN/asUintN leave a value that fits unchanged (cheaper than two BigInt comparisons).
  i64: (v) => (typeof v === 'bigint' ? BigInt.asIntN(64, v) === v : typeof v === 'number' && Number.isSafeInteger(v)),
  u64: (v) => (typeof v === 'bigint' ? BigInt.asUintN(64, v) === v : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0),
};

/** IDL spelling of each primitive, for messages. */
export const PRIM_NAME: Readonly<Record<PrimCode, string>> = {
  i8: 'int8',
  u8: 'uint8',
  bool: 'boolean',
  i16: 'int16',
  u16: 'uint16',
  i32: 'int32',
  u32: 'uint32',
  f32: 'float',
  f64: 'double',
  i64: 'int64',
  u64: 'uint64',
};

/** A value as a message shows it. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return `a Uint8Array of ${v.length}`;
  return typeof v === 'function' ? 'a function' : 'an object';
}

const isByteSeq = (t: TypeDesc): boolean => t.k === 'q' && t.e.k === 'p' && (t.e.p === 'u8' || t.e.p === 'i8');

/** Elements of a sequence or array value, or undefined when it is not one. */
function elementsOf(v: unknown): ArrayLike<unknown> | undefined {
  return Array.isArray(v) || v instanceof Uint8Array ? (v as ArrayLike<unknown>) : undefined;
}

function describeElements(t: TypeDesc & { k: 'q' | 'a' }, v: unknown, path: string, rout: boolean): string | undefined {
  const items = elementsOf(v);
  const what = t.k === 'a' ? `an array of ${t.n}` : isByteSeq(t) ? 'a Uint8Array (or an array of bytes)' : 'an array';
  if (items === undefined || (v instanceof Uint8Array && !isByteSeq(t))) return `${path}: expected ${what}, got ${showValue(v)}`;
  if (t.k === 'a' && items.length !== t.n) return `${path}: expected ${what}, got ${items.length} elements`;
  if (v instanceof Uint8Array) return undefined;
  for (let i = 0; i < items.length; i++) {
    const r = describeInvalid(t.e, items[i], `${path}[${i}]`, rout);
    if (r !== undefined) return r;
  }
  return undefined;
}

function describeStruct(t: TypeDesc & { k: 'r' }, v: unknown, path: string, rout: boolean): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `${path}: expected a ${t.name} object, got ${showValue(v)}`;
  for (const [, ts, mt] of t.f) {
    const r = describeInvalid(mt, getMember(v as Record<string, unknown>, ts), `${path}.${ts}`, rout);
    if (r !== undefined) return r;
  }
  return undefined;
}

function describeDma(v: unknown, path: string): string | undefined {
  if (v === null || typeof v !== 'object') return `${path}: expected a dmahandle { fd, offset, len }, got ${showValue(v)}`;
  const h = v as Record<string, unknown>;
  if (!PRIM_OK.i32(h['fd'])) return `${path}.fd: invalid int32: ${showValue(h['fd'])}`;
  if (!PRIM_OK.u32(h['offset'])) return `${path}.offset: invalid uint32: ${showValue(h['offset'])}`;
  if (!PRIM_OK.u32(h['len'])) return `${path}.len: invalid uint32: ${showValue(h['len'])}`;
  return undefined;
}

/**
 * Where and why `v` is not a value of `t` ("vec[2]: invalid int32: 2147483648"), or undefined
 * when it is one. `rout`: an implementation's value, where a string may also be the raw bytes a
 * C implementation would write (a Uint8Array).
 */
export function describeInvalid(t: TypeDesc, v: unknown, path: string, rout = false): string | undefined {
  switch (t.k) {
    case 'p':
      return PRIM_OK[t.p](v) ? undefined : `${path}: invalid ${PRIM_NAME[t.p]}: ${showValue(v)}`;
    case 's':
      return typeof v === 'string' || (rout && v instanceof Uint8Array) ? undefined : `${path}: expected a string, got ${showValue(v)}`;
    case 'q':
    case 'a':
      return describeElements(t, v, path, rout);
    case 'r':
      return describeStruct(t, v, path, rout);
    case 'd':
      return describeDma(v, path);
    case 'h':
      return PRIM_OK.u64(v) ? undefined : `${path}: invalid remote_handle64: ${showValue(v)}`;
  }
}

/**
 * A value that does not fit its IDL type: thrown by a client method before anything is sent
 * (the promise rejects), or reported by a skel whose implementation returned one.
 */
export class InvalidValueError extends TypeError {
  override readonly name = 'InvalidValueError';
  constructor(
    /** `interface.method` (or the method alone when the interface is not known). */
    readonly method: string,
    /** The parameter and the path inside it, with the reason: `vec[2]: invalid int32: 2147483648`. */
    readonly detail: string,
    /** 'argument': a client's input; 'rout': an implementation's return value. */
    readonly side: 'argument' | 'rout',
  ) {
    super(`${method}: ${side === 'rout' ? 'the implementation returned ' : ''}${detail}`);
  }
}
