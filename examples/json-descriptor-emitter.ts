/**
 * An example Emitter: one JSON file per QAIC interface describing its methods (index, scalars
 * word, parameter modes and wire types, primIn/primROut sizes). Use it with
 *
 *   npx tsx generator/cli.ts generate my.idl -I idl -o out --emitter ./examples/json-descriptor-emitter.ts
 *
 * or `compile({ files, emitters: [jsonDescriptorEmitter] })`.
 */
import type { EmitInput, EmittedFile, Emitter } from 'dspidl/generator';
import type { TypeDesc } from 'dspidl/runtime';

/** A type as one would write it in the IDL (`sequence<int32>`, `struct point`). */
function spell(t: TypeDesc): string {
  switch (t.k) {
    case 'p':
      return {
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
      }[t.p];
    case 's':
      return t.w ? 'wstring' : 'string';
    case 'q':
      return `sequence<${spell(t.e)}>`;
    case 'a':
      return `${spell(t.e)}[${t.n}]`;
    case 'r':
      return `struct ${t.name}`;
    case 'd':
      return 'dmahandle';
    case 'h':
      return 'remote_handle64';
  }
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export const jsonDescriptorEmitter: Emitter = {
  name: 'json-descriptor',
  emit(input: EmitInput): EmittedFile[] {
    if (input.dialect !== 'qaic') return [];
    return input.layout.interfaces.map(({ desc, methods }) => ({
      path: `${desc.cName}.interface.json`,
      content: `${JSON.stringify(
        {
          interface: desc.name,
          source: input.options.sourceLabel,
          handle64: desc.handle64,
          methods: desc.methods.map((m, k) => ({
            name: m.name,
            index: m.index,
            scalars: hex(methods[k]!.scalars),
            primIn: methods[k]!.primIn.size,
            primROut: methods[k]!.primROut.size,
            params: m.params.map((p) => ({ name: p.name, mode: p.mode, type: spell(p.t) })),
          })),
        },
        null,
        2,
      )}\n`,
    }));
  },
};

export default jsonDescriptorEmitter;
