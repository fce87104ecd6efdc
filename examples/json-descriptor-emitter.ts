/**
 * An example Emitter: one JSON file per QAIC interface describing its methods (index, scalars
 * word, parameter modes and wire types, primIn/primROut sizes). Use it with
 *
 *   npx dspidl generate my.idl -o out --emitter ./examples/json-descriptor-emitter.ts
 *
 * or `compile({ files, emitters: [jsonDescriptorEmitter] })`. It prints through the same
 * GeneratedFile the built-in emitters use, and spells types with the generator's idlTypeName.
 */
import { GeneratedFile, idlTypeName, type EmitInput, type EmittedFile, type Emitter } from 'dspidl/generator';

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export const jsonDescriptorEmitter: Emitter = {
  name: 'json-descriptor',
  emit(input: EmitInput): EmittedFile[] {
    if (input.dialect !== 'qaic') return [];
    return input.layout.interfaces.map(({ desc, methods }) => {
      const f = new GeneratedFile(`${desc.cName}.interface.json`);
      const description = {
        interface: desc.name,
        source: input.options.sourceLabel,
        handle64: desc.handle64,
        methods: desc.methods.map((m, k) => ({
          name: m.name,
          index: m.index,
          scalars: hex(methods[k]?.scalars ?? 0),
          primIn: methods[k]?.primIn.size ?? 0,
          primROut: methods[k]?.primROut.size ?? 0,
          params: m.params.map((p) => ({ name: p.name, mode: p.mode, type: idlTypeName(p.t) })),
        })),
      };
      f.print(JSON.stringify(description, null, 2));
      return { path: f.path, content: f.toString() };
    });
  },
};

export default jsonDescriptorEmitter;
