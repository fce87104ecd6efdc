/** Type spelling shared by emitters that describe the wire (the JSON descriptor example, docs). */
import type { TypeDesc } from '../../runtime/wire/desc.ts';
import { PRIM_NAME } from '../../runtime/wire/value-check.ts';

/** A wire type as one would write it in the IDL: `sequence<int32>`, `struct point`, `uint8[4]`. */
export function idlTypeName(t: TypeDesc): string {
  switch (t.k) {
    case 'p':
      return PRIM_NAME[t.p];
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
