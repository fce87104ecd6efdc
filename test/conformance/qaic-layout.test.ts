/**
 * qaic conformance: the layout engine (what `dspidl layout --json` prints) against every
 * interface of test/conformance/qaic/layout.json, field by field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programLayoutJson } from '../../generator/model/layout.ts';
import { loadQaicProgram } from '../../generator/qaic/index.ts';

interface IfaceJson {
  idl: string;
  interface: string;
  methods: { name: string }[];
  [k: string]: unknown;
}
const idlDir = 'test/conformance/qaic/idl';
const layout = JSON.parse(readFileSync('test/conformance/qaic/layout.json', 'utf8')) as { interfaces: IfaceJson[] };

const programs = new Map<string, IfaceJson[]>();
function layoutOf(idl: string): IfaceJson[] {
  let got = programs.get(idl);
  if (!got) {
    const r = loadQaicProgram({ files: [`${idlDir}/${idl}`], includeDirs: [idlDir] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    got = programLayoutJson(r.value).interfaces as IfaceJson[];
    programs.set(idl, got);
  }
  return got;
}

describe('layout.json', () => {
  for (const want of layout.interfaces) {
    describe(want.interface, () => {
      it('interface fields and structs', () => {
        const got = layoutOf(want.idl).find((i) => i.interface === want.interface);
        expect(got).toBeDefined();
        const { methods: _gm, ...gotRest } = got!;
        const { methods: _wm, ...wantRest } = want;
        expect(gotRest).toEqual(wantRest);
      });
      it.each(want.methods.map((m, i) => [m.name, i] as const))('method %s', (_n, i) => {
        const got = layoutOf(want.idl).find((x) => x.interface === want.interface)!;
        expect(got.methods[i]).toEqual(want.methods[i]);
      });
    });
  }
});
