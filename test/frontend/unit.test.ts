/** Focused behaviours of the QAIC front end that users and the emitters rely on. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ConstDecl, StructDecl, UnionDecl } from '../../generator/model/qaic.ts';
import { runCheck } from '../../generator/cli/check.ts';
import { allDecls, conformanceText, errors, findInterface, loadMemory, repoRoot } from './helpers.ts';

const consts = (src: string) =>
  Object.fromEntries(
    allDecls(loadMemory({ 'a.idl': src }).value)
      .filter((d): d is ConstDecl => d.kind === 'const')
      .map((c) => [c.name, c]),
  );

describe('doc comments', () => {
  it('attaches leading and trailing doc comments and drops plain ones', () => {
    const p = loadMemory({
      'a.idl': [
        '// plain comment, not documentation',
        '/** A point. */',
        'struct P {',
        '   long x; ///< horizontal',
        '   /** vertical */',
        '   long y;',
        '};',
        '/// Colours.',
        'enum C { RED, ///< red',
        '   GREEN };',
        'interface i {',
        '   /**',
        '    * Moves.',
        '    * Twice.',
        '    */',
        '   long move(in P p);',
        '};',
      ].join('\n'),
    }).value;
    const s = allDecls(p).find((d): d is StructDecl => d.kind === 'struct');
    expect(s?.doc).toEqual(['A point.']);
    expect(s?.members.map((m) => m.doc)).toEqual([['horizontal'], ['vertical']]);
    const e = allDecls(p).find((d) => d.kind === 'enum');
    expect(e?.doc).toEqual(['Colours.']);
    expect(e?.kind === 'enum' && e.enumerators.map((x) => x.doc)).toEqual([['red'], []]);
    expect(findInterface(p, 'i')?.methods[0]?.doc).toEqual(['Moves.\nTwice.']);
  });
});

describe('preprocessor', () => {
  const src = '#ifdef FEATURE\ninterface extra { long f(); };\n#endif\n#ifndef FEATURE\ninterface basic { long g(); };\n#endif\n';
  it('honours -D symbols in #ifdef/#ifndef', () => {
    const without = loadMemory({ 'a.idl': src }).value;
    expect(findInterface(without, 'extra')).toBeUndefined();
    expect(findInterface(without, 'basic')).toBeDefined();
    const withDef = loadMemory({ 'a.idl': src }, ['a.idl'], ['FEATURE=1']).value;
    expect(findInterface(withDef, 'extra')).toBeDefined();
    expect(findInterface(withDef, 'basic')).toBeUndefined();
    expect(withDef.defines.has('FEATURE')).toBe(true);
  });

  it('splices an #include inside an interface body into that interface', () => {
    const p = loadMemory({
      'a.idl': '#include "AEEStdDef.idl"\ninterface i {\n   AEEResult first();\n#include "ops.idl"\n   AEEResult last();\n};\n',
      'ops.idl': 'AEEResult middle(in long x);\n',
    });
    expect(p.diagnostics).toEqual([]);
    const i = findInterface(p.value, 'i');
    expect(i?.methods.map((m) => [m.name, m.index])).toEqual([
      ['first', 0],
      ['middle', 1],
      ['last', 2],
    ]);
    expect(i?.methods[1]?.span.file).toBe('ops.idl');
    expect(p.value.files.get('a.idl')?.includes).toEqual(['inc/AEEStdDef.idl', 'ops.idl']);
  });

  it('searches the including file directory before -I paths', () => {
    const p = loadMemory({ 'a.idl': '#include "AEEStdDef.idl"\ninterface i { X f(); };\n', 'AEEStdDef.idl': 'typedef long X;\n' });
    expect(p.diagnostics).toEqual([]);
    expect(p.value.files.get('a.idl')?.includes).toEqual(['AEEStdDef.idl']);
  });
});

describe('legacy AEEStdDef.idl', () => {
  it('accepts agreeing typedefs of built-in sized names with warnings and keeps the built-in meaning', () => {
    const legacy = [
      '#ifndef AEESTDDEF_IDL',
      '#define AEESTDDEF_IDL',
      'typedef unsigned long long uint64;',
      'typedef unsigned long uint32;',
      'typedef unsigned short uint16;',
      'typedef octet uint8;',
      'typedef long long int64;',
      'typedef long int32;',
      'typedef short int16;',
      'typedef octet byte;',
      'typedef long AEEResult;',
      '#endif',
    ].join('\n');
    const r = loadMemory({
      'a.idl': '#include "legacy/AEEStdDef.idl"\ninterface i { AEEResult f(in uint64 a, rout uint8 b); };\n',
      'legacy/AEEStdDef.idl': legacy,
    });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(Array(7).fill('QAIC052'));
    const params = findInterface(r.value, 'i')?.methods[0]?.params;
    expect(params?.map((p) => p.type)).toEqual([
      { kind: 'prim', prim: 'uint64', spelling: 'uint64' },
      { kind: 'prim', prim: 'uint8', spelling: 'uint8' },
    ]);
  });
});

describe('constants', () => {
  it('writes #define bodies the way qaic does', () => {
    const c = consts(
      [
        'const unsigned long U = 7;',
        'const unsigned long long UU = 1 << 40;',
        'const long long LL = -5;',
        'const long H = 0x10 + 1;',
        'const long O = 010;',
        "const char C = 'x';",
        'const boolean F = FALSE;',
        'const double D = 1.0 / 100;',
        'const float G = 10000000.0;',
        'const wstring W = L"w";',
        'const uint16 S = 3;',
        'const uint64 MAX = 0xffffffffffffffff;',
      ].join('\n'),
    );
    expect(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.cDefine]))).toEqual({
      U: '7u',
      UU: '1099511627776ull',
      LL: '-5ll',
      H: '0x11',
      O: '010',
      C: "'x'",
      F: 'FALSE',
      D: '1.0e-2',
      G: '1.0e7',
      W: 'L"w"',
      S: '3',
      MAX: '0xffffffffffffffff',
    });
    expect(c['MAX']?.value).toBe(0xffffffffffffffffn);
    expect(c['UU']?.value).toBe(1099511627776);
    expect(c['C']?.value).toBe(120);
  });

  it('folds like qaic: floor division, hex literals with the sign bit in signed types', () => {
    const c = consts('const long D = -7 / 2;\nconst long M = -7 % 2;\nconst long X = 0xFFFFFFFF;\nconst short S = 0x8000;\n');
    expect([c['D']?.value, c['M']?.value, c['X']?.value, c['S']?.value]).toEqual([-4, 1, -1, -32768]);
    expect(c['X']?.cDefine).toBe('-0x1');
  });

  it('checks every literal and intermediate value against the constant type (OMG IDL 3.10.2)', () => {
    const r = loadMemory({ 'a.idl': 'const unsigned long A = -1 + 1;\nconst octet B = 200 + 100 - 100;\nconst long long C = 1 << 62;\n' });
    expect(r.diagnostics.map((d) => [d.code, d.span?.line])).toEqual([
      ['QAIC031', 1],
      ['QAIC031', 2],
    ]);
  });

  it('accepts enum-typed constants set to one of the enumerators', () => {
    const c = consts('enum Mode { OFF, ON };\nconst Mode M = ON;\n');
    expect([c['M']?.value, c['M']?.cDefine]).toEqual([1, '1']);
  });

  it('resolves qualified constants in bounds and enumerators in expressions', () => {
    const p = loadMemory({ 'a.idl': 'module m { const long N = 3; };\nenum E { A, B, C };\ntypedef long Arr[m::N + C];\n' });
    expect(p.diagnostics).toEqual([]);
    const arr = allDecls(p.value).find((d) => d.kind === 'typedef');
    expect(arr?.kind === 'typedef' && arr.target).toMatchObject({ kind: 'array', length: 5 });
  });
});

describe('interfaces', () => {
  it('expands attributes in place, Get before Set, returning AEEResult', () => {
    const p = loadMemory({
      'a.idl': '#include "AEEStdDef.idl"\ninterface i { long a(); attribute short lvl; readonly attribute long ro; long b(); };\n',
    });
    const i = findInterface(p.value, 'i');
    expect(i?.methods.map((m) => [m.name, m.index, m.fromAttribute, m.params.map((x) => x.mode)])).toEqual([
      ['a', 0, undefined, []],
      ['Getlvl', 1, 'lvl', ['rout']],
      ['Setlvl', 2, 'lvl', ['in']],
      ['Getro', 3, 'ro', ['rout']],
      ['b', 4, undefined, []],
    ]);
    expect(i?.methods[1]?.returnType).toMatchObject({ kind: 'typedef', decl: { name: 'AEEResult' } });
  });

  it('numbers a handle64 interface after open/close and continues numbering in derived interfaces', () => {
    const p = loadMemory({
      'a.idl': '#include "remote.idl"\ninterface b : remote_handle64 { long x(); };\ninterface d : b { long y(); };\n',
    });
    expect(p.diagnostics).toEqual([]);
    const d = findInterface(p.value, 'd');
    expect(d?.handle64).toBe(true);
    expect(d?.base?.name).toBe('b');
    expect(d?.methods.map((m) => [m.name, m.index, m.declaredIn])).toEqual([
      ['open', 0, 'remote_handle64'],
      ['close', 1, 'remote_handle64'],
      ['x', 2, 'b'],
      ['y', 3, 'd'],
    ]);
  });

  it('requires remote.idl for a remote_handle64 base', () => {
    const r = loadMemory({ 'a.idl': 'interface a : remote_handle64 { long f(); };\n' });
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([['QAIC010', 1, 15]]);
  });

  it('parses unions with labels and default (they are only refused as parameters)', () => {
    const p = loadMemory({
      'a.idl': 'enum K { A, B, C };\nunion U switch (K) { case A: long a; case B: case C: octet c; default: short b; };\n',
    });
    expect(p.diagnostics).toEqual([]);
    const u = allDecls(p.value).find((d): d is UnionDecl => d.kind === 'union');
    expect(u?.cases.map((c) => [c.labels, c.isDefault, c.member.name])).toEqual([
      [[0], false, 'a'],
      [[1, 2], false, 'c'],
      [[], true, 'b'],
    ]);
    // as in qaic, the default case must come last
    expect(
      loadMemory({ 'a.idl': 'union V switch (long) { default: long a; case 1: short b; };\n' }).diagnostics.map((d) => d.code),
    ).toEqual(['QAIC003']);
  });

  it('declares structs, unions and enums defined in place in typedefs and members', () => {
    const p = loadMemory({ 'a.idl': 'typedef struct S_ { long a; enum Kind { K0, K1 } kind; } S;\ninterface i { long f(in S s); };\n' });
    expect(p.diagnostics).toEqual([]);
    const names = allDecls(p.value).map((d) => `${d.kind} ${d.name}`);
    expect(names.slice(0, 3)).toEqual(['enum Kind', 'struct S_', 'typedef S']);
    const s = allDecls(p.value).find((d): d is StructDecl => d.kind === 'struct');
    expect(s?.members[1]?.type).toMatchObject({ kind: 'enum', decl: { name: 'Kind' } });
    expect(loadMemory({ 'a.idl': 'typedef struct S { long a; } S;\n' }).diagnostics.map((d) => d.code)).toEqual(['QAIC011']);
  });

  it('accepts dmahandle<N> and async before the method attribute', () => {
    const p = loadMemory({
      'a.idl': '#include "remote.idl"\ninterface i : remote_handle64 { async [oneway] long f(in dmahandle<4> d); };\n',
    });
    expect(p.diagnostics).toEqual([]);
    const m = findInterface(p.value, 'i')?.methods[2];
    expect([m?.async, m?.attributes, m?.params[0]?.type]).toEqual([true, ['oneway'], { kind: 'dmahandle' }]);
  });

  it('gives scoped C names to nested declarations and enumerators', () => {
    const p = loadMemory({ 'a.idl': 'module m { interface i { enum Mode { OFF, ON }; struct S { Mode m; }; long f(in S s); }; };\n' });
    expect(p.diagnostics).toEqual([]);
    const e = allDecls(p.value).find((d) => d.kind === 'enum');
    expect(e?.cName).toBe('m_i_Mode');
    expect(e?.kind === 'enum' && e.enumerators.map((x) => x.cName)).toEqual(['M_I_OFF', 'M_I_ON']);
  });
});

describe('source text', () => {
  it('reads CRLF line endings and a byte order mark like plain LF text', () => {
    const text = conformanceText('prims.idl').replace(/\n/g, '\r\n');
    const r = loadMemory({ 'a.idl': `\uFEFF${text}` });
    expect(r.diagnostics).toEqual([]);
    expect(findInterface(r.value, 'prims')?.methods.length).toBe(13);
    const bad = loadMemory({ 'a.idl': '\uFEFFinterface a {\r\n  long f(in long x) @;\r\n};\r\n' });
    expect(bad.diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([['QAIC002', 2, 21]]);
  });
});

describe('pathological input', () => {
  it('reports absurd nesting instead of exhausting the stack', () => {
    for (const src of [
      `const long X = ${'('.repeat(20000)}1${')'.repeat(20000)};\n`,
      `${'module m { '.repeat(5000)}const long X = 1;${' };'.repeat(5000)}\n`,
      `typedef ${'sequence<'.repeat(5000)}long${'>'.repeat(5000)} T;\n`,
    ]) {
      expect(loadMemory({ 'a.idl': src }).diagnostics.map((d) => d.code)).toEqual(['QAIC009']);
    }
  });

  it('handles the deepest nesting it accepts', () => {
    const r = loadMemory({ 'a.idl': `const long X = ${'('.repeat(63)}1${')'.repeat(63)};\n` });
    expect(r.diagnostics).toEqual([]);
  });
});

describe('whole runs', () => {
  it('reports the errors of every file, not just the first', () => {
    const r = loadMemory({ 'a.idl': 'interface a { long f(in X x); };\n', 'b.idl': 'interface b { long g(in long y, in long y); };\n' }, [
      'a.idl',
      'b.idl',
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.span?.file])).toEqual([
      ['QAIC010', 'a.idl'],
      ['QAIC021', 'b.idl'],
    ]);
    expect([...r.value.files.keys()]).toEqual(['a.idl', 'b.idl']);
  });

  it('reports a missing input file without a location', () => {
    const r = loadMemory({}, ['nope.idl']);
    expect(r.diagnostics).toMatchObject([{ code: 'QAIC001', severity: 'error' }]);
    expect(r.diagnostics[0]?.span).toBeUndefined();
  });
});

describe('dspidl check', () => {
  const run = (files: string[], opts: Parameters<typeof runCheck>[1] = {}) => {
    let out = '';
    let err = '';
    const readFile = (p: string): string | undefined => {
      try {
        return readFileSync(p.startsWith('/') ? p : `${repoRoot}${p}`, 'utf8');
      } catch {
        return undefined;
      }
    };
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), color: false, readStdin: () => '' };
    const code = runCheck(files, { ...opts, readFile }, io);
    return { code, out, err };
  };

  it('exits 0 on clean QAIC and QMI files', () => {
    const r = run(['idl/apps_mem.idl', 'idl/rfsa.qmi.idl'], { includePath: ['idl'] });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('exits 1 and renders located diagnostics with a caret', () => {
    const r = run(['test/frontend/invalid/qaic021-duplicate-param.idl']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('test/frontend/invalid/qaic021-duplicate-param.idl:1:43: error[QAIC021]');
    expect(r.err).toMatch(/\n\s+\|\s+\^\n/);
    expect(r.err).toContain('= in interface a -> method f -> param x');
  });

  it('prints the resolved model as JSON with declaration references by name', () => {
    const r = run(['idl/adsp_listener.idl'], { includePath: ['idl'], astJson: true });
    expect(r.code).toBe(0);
    const model = JSON.parse(r.out) as {
      files: Record<
        string,
        { decls: { kind: string; staticHandle?: number; methods?: { name: string; params: { type: unknown }[] }[] }[] }
      >;
    };
    const iface = model.files['idl/adsp_listener.idl']?.decls.find((d) => d.kind === 'interface');
    expect(iface?.staticHandle).toBe(3);
    expect(iface?.methods?.[0]?.params[0]?.type).toEqual({ kind: 'typedef', ref: 'adsp_listener::invoke_ctx' });
  });
});
