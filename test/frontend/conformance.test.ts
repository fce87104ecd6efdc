/**
 * Every conformance IDL loads with zero errors, and the model reproduces the
 * interface, method, struct, enum and constant facts recorded from qaic in layout.json.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadQaicProgram } from '../../generator/qaic/index.ts';
import { resolveAlias, type ConstDecl, type EnumDecl, type StructDecl, type TypeRef } from '../../generator/model/qaic.ts';
import { allDecls, conformanceDir, conformanceFiles, findInterface, repoRoot } from './helpers.ts';

interface LayoutIface {
  idl: string;
  interface: string;
  cName: string;
  base: string | null;
  handle64: boolean;
  staticHandle?: number;
  methodCount: number;
  methods: { name: string; index: number; params: { name: string; mode: string }[] }[];
  structs?: { name: string; members: { name: string; resolvedType: string }[] }[];
}
const layout = JSON.parse(readFileSync(`${repoRoot}test/conformance/qaic/layout.json`, 'utf8')) as {
  interfaces: LayoutIface[];
  constants: { idl: string; cName: string; cDefine: string }[];
  enums: { idl: string; name: string; cName: string; enumerators: { name: string; value: number }[] }[];
};

const cwdRel = (f: string) => `${repoRoot}${conformanceDir}/${f}`.replace(/\/+/g, '/');
const load = (f: string) => loadQaicProgram({ files: [cwdRel(f)] });

describe('conformance IDLs', () => {
  const files = conformanceFiles().filter((f) => f !== 'inc_ops.idl');
  it.each(files)('%s loads without diagnostics', (f) => {
    const r = load(f);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.files.get(cwdRel(f))).toBeDefined();
  });

  it('the fragment inc_ops.idl does not compile on its own', () => {
    const r = load('inc_ops.idl');
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.span?.line === 5)).toBe(true);
  });

  describe.each(layout.interfaces.map((i) => [`${i.idl} ${i.interface}`, i] as const))('%s', (_n, li) => {
    const program = load(li.idl).value;
    const iface = findInterface(program, li.interface);
    it('has the interface facts of layout.json', () => {
      expect(iface).toBeDefined();
      if (!iface) return;
      expect(iface.cName).toBe(li.cName);
      expect(iface.base?.name ?? null).toBe(li.base);
      expect(iface.handle64).toBe(li.handle64);
      expect(iface.staticHandle).toBe(li.staticHandle);
      expect(iface.methods.length).toBe(li.methodCount);
    });
    it('has the methods, indices and parameters of layout.json', () => {
      expect(iface?.methods.map((m) => [m.name, m.index])).toEqual(li.methods.map((m) => [m.name, m.index]));
      for (const lm of li.methods) {
        const m = iface?.methods.find((x) => x.name === lm.name);
        expect(m?.params.map((p) => [p.name, p.mode])).toEqual(lm.params.map((p) => [p.name, p.mode]));
      }
    });
    it('has the structs of layout.json', () => {
      const structs = allDecls(program).filter((d): d is StructDecl => d.kind === 'struct');
      for (const ls of li.structs ?? []) {
        const s = structs.find((x) => x.name === ls.name);
        expect(s?.members.map((m) => m.name)).toEqual(ls.members.map((m) => m.name));
        ls.members.forEach((lm, i) => {
          const t = s?.members[i]?.type;
          expect(t && describeResolved(t)).toBe(lm.resolvedType);
        });
      }
    });
  });

  it('folds constants to the #define bodies qaic writes', () => {
    for (const lc of layout.constants) {
      const c = allDecls(load(lc.idl).value).find((d): d is ConstDecl => d.kind === 'const' && d.cName === lc.cName);
      expect(c?.cDefine, lc.cName).toBe(lc.cDefine);
    }
  });

  it('numbers enumerators like qaic', () => {
    for (const le of layout.enums) {
      const e = allDecls(load(le.idl).value).find((d): d is EnumDecl => d.kind === 'enum' && d.cName === le.cName);
      expect(e?.enumerators.map((x) => [x.name, x.value])).toEqual(le.enumerators.map((x) => [x.name, x.value]));
    }
  });

  it('keeps typedef chains and folds constant values', () => {
    const p = load('enums.idl').value;
    const total = allDecls(p).find((d) => d.kind === 'typedef' && d.name === 'Total');
    expect(total?.kind === 'typedef' && total.target.kind === 'typedef' && total.target.decl.name).toBe('Count');
    const big = allDecls(p).find((d): d is ConstDecl => d.kind === 'const' && d.name === 'BIG');
    expect(big?.value).toBe(0x7fffffffffffffffn);
    const slots = allDecls(p).find((d): d is ConstDecl => d.kind === 'const' && d.name === 'SLOTS');
    expect(slots?.value).toBe(4);
  });

  it('records includes per file and IDL_VERSION', () => {
    const p = load('include_chain.idl').value;
    const root = p.files.get(cwdRel('include_chain.idl'));
    expect(root?.includes).toEqual([cwdRel('inc_mid.idl'), cwdRel('inc_base.idl'), cwdRel('inc_ops.idl')]);
    expect(p.files.get(cwdRel('inc_mid.idl'))?.includes).toEqual([cwdRel('inc_base.idl')]);
    const chain = findInterface(p, 'chain');
    expect(chain?.methods.find((m) => m.name === 'spliced_get')?.declaredIn).toBe('chain');
    expect(findInterface(load('version.idl').value, 'ver')?.idlVersion).toBe('1.2.3');
  });
});

/** layout.json's spelling of a resolved member type. */
function describeResolved(t: TypeRef): string {
  const r = resolveAlias(t);
  switch (r.kind) {
    case 'prim':
      return resolveAlias(t) === t ? r.spelling : describeResolved(r);
    case 'struct':
      return `struct ${r.decl.name}`;
    case 'enum':
      return `enum ${r.decl.name}`;
    case 'string':
      return r.wide ? 'wstring' : 'string';
    case 'sequence':
      return `sequence<${describeResolved(r.elem)}>`;
    case 'array': {
      // layout.json writes the outer length last: short[3][2] for Row3 grid[2]
      return `${describeResolved(r.elem)}[${r.length}]`;
    }
    default:
      return r.kind;
  }
}
