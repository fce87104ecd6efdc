/**
 * Plain-data description of a QMI message, enough to encode and decode it. The generator
 * embeds these in generated modules; the CLI computes the same objects from the model.
 */
export type QmiScalarType = 'bool' | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64';

export type QmiValueType =
  | { readonly kind: 'scalar'; readonly scalar: QmiScalarType }
  /** `max` counts bytes of UTF-8, NUL excluded (the IDL bound). */
  | { readonly kind: 'string'; readonly max: number }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly QmiFieldDescriptor[] };

export type QmiArrayShape =
  | { readonly kind: 'fixed'; readonly length: number }
  /** Count prefix of `countWidth` bytes, then 0..max elements. */
  | { readonly kind: 'variable'; readonly max: number; readonly countWidth: 1 | 2 };

export interface QmiFieldDescriptor {
  /** Property name in the TypeScript value object. */
  readonly key: string;
  /** Name as written in the IDL (the C member name). */
  readonly name: string;
  readonly type: QmiValueType;
  readonly array?: QmiArrayShape;
}

export interface QmiElementDescriptor extends QmiFieldDescriptor {
  readonly tlv: number;
  readonly optional: boolean;
}

export type QmiMessageKind = 'request' | 'response' | 'indication';

export interface QmiMessageDescriptor {
  /** IDL message name, e.g. `rfsa_get_buff_addr_req_msg`. */
  readonly name: string;
  /**
   * Responses tolerate missing mandatory TLVs when their TLV 0x02 reports a failure
   * (low byte of `result` non-zero), as qmi_idl_lib does.
   */
  readonly response: boolean;
  readonly elements: readonly QmiElementDescriptor[];
}

export const scalarWidth: Readonly<Record<QmiScalarType, number>> = {
  bool: 1,
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  u64: 8,
  i64: 8,
  f32: 4,
  f64: 8,
};

/** Count/length prefix width Qualcomm's tool picks for a bound: 1 byte up to 255. */
export function prefixWidth(max: number): 1 | 2 {
  return max <= 255 ? 1 : 2;
}

/** Largest encoded size of a value (C.10 of the spec): used for max message lengths. */
export function maxFieldSize(f: QmiFieldDescriptor, topLevel: boolean): number {
  const one = maxTypeSize(f.type, topLevel && f.array === undefined);
  if (f.array === undefined) return one;
  if (f.array.kind === 'fixed') return f.array.length * one;
  return f.array.countWidth + f.array.max * one;
}

function maxTypeSize(t: QmiValueType, topLevelString: boolean): number {
  switch (t.kind) {
    case 'scalar':
      return scalarWidth[t.scalar];
    case 'string':
      return topLevelString ? t.max : prefixWidth(t.max) + t.max;
    case 'struct':
      return t.fields.reduce((n, f) => n + maxFieldSize(f, false), 0);
  }
}

export function maxMessageLength(m: QmiMessageDescriptor): number {
  return m.elements.reduce((n, e) => n + 3 + maxFieldSize(e, true), 0);
}

const scalar = (s: QmiScalarType): QmiValueType => ({ kind: 'scalar', scalar: s });

/**
 * Value-type builders, the vocabulary generated QMI modules spell their descriptors in
 * (`q.u32`, `q.string(255)`). They return the plain `QmiValueType` objects above.
 */
export const q = {
  bool: scalar('bool'),
  u8: scalar('u8'),
  i8: scalar('i8'),
  u16: scalar('u16'),
  i16: scalar('i16'),
  u32: scalar('u32'),
  i32: scalar('i32'),
  u64: scalar('u64'),
  i64: scalar('i64'),
  f32: scalar('f32'),
  f64: scalar('f64'),
  /** A string of at most `max` bytes of UTF-8, NUL excluded. */
  string: (max: number): QmiValueType => ({ kind: 'string', max }),
  struct: (name: string, fields: readonly QmiFieldDescriptor[]): QmiValueType => ({ kind: 'struct', name, fields }),
} as const;
