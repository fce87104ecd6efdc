/** Type spelling shared by emitters that describe the wire (the JSON descriptor example, docs). */
import type { PrimCode, TypeDesc } from '../../runtime/wire/desc.ts';

const PRIM_IDL: Readonly<Record<PrimCode, string>> = {
  i8: 'int8',
  u8: 'uint8',
  bool: 'boolean',
  i16: 'int16',
  u16: 'uint16',
  i32: 'int32',
  u32: 'uint32',
  f32: 'float',
  i64: 'int64',
  u64: 'uint64',
  f64: 'double',
};

/** A wire type as one would write it in the IDL: `sequence<int32>`, `struct point`, `uint8[4]`. */
export function idlTypeName(t: TypeDesc): string {
  switch (t.k) {
    case 'p':
      return PRIM_IDL[t.p];
    case 's':
      return t.w ? 'wstring' : 'string';
    case 'q':
      return `sequence<${idlTypeName(t.e)}>`;
    case 'a':
      return `${idlTypeName(t.e)}[${t.n}]`;
    case 'r':
      return `struct ${t.name}`;
    case 'd':
      return 'dmahandle';
    case 'h':
      return 'remote_handle64';
  }
}
