import { describe, expect, it } from 'vitest';
import { canonicalize, computeDumpHash, computeInterfaceHash, dumpApi, formatApiDump, typeString } from '../../generator/api/dump.ts';
import type { Decl, TypeRef } from '../../generator/model/qaic.ts';
import { arr, constant, enumDecl, iface, method, module, param, prim, program, seq, str, struct, typedef } from './model-builder.ts';

/** A palette module: struct Rgb, enum Mode, typedef Rgbs, interface painter, constants. */
function palette(opts: { split?: boolean; rgbExtra?: boolean; unusedExtra?: boolean; constValue?: number } = {}) {
  const rgbMembers: [string, TypeRef][] = [
    ['r', prim('uint8', 'uint8_t')],
    ['g', prim('uint8', 'octet')],
    ['b', prim('uint8')],
  ];
  if (opts.rgbExtra) rgbMembers.push(['a', prim('uint8')]);
  const rgb = struct('Rgb', ['palette'], rgbMembers, opts.split ? 'types.idl' : 'a.idl');
  const mode = enumDecl('Mode', ['palette'], ['OFF', 'ON'], opts.split ? 'types.idl' : 'a.idl');
  const rgbs = typedef('Rgbs', ['palette'], seq({ kind: 'struct', decl: rgb }), opts.split ? 'types.idl' : 'a.idl');
  const unused = struct(
    'Unused',
    ['palette'],
    opts.unusedExtra
      ? [
          ['x', prim('int32')],
          ['y', prim('int32')],
        ]
      : [['x', prim('int32')]],
  );
  const aeeResult = typedef('AEEResult', [], prim('int32', 'long'));
  const painter = iface(
    'painter',
    ['palette'],
    [
      method(
        'fill',
        0,
        [param('colors', 'in', { kind: 'typedef', decl: rgbs }), param('mode', 'in', { kind: 'enum', decl: mode })],
        'painter',
        { kind: 'typedef', decl: aeeResult },
      ),
      method('peek', 1, [param('grid', 'rout', arr(arr(prim('int16', 'short'), 3), 2)), param('name', 'inrout', str(16))], 'painter'),
    ],
  );
  const consts = [
    constant('MAX', ['palette'], prim('int32', 'long'), opts.constValue ?? 255),
    constant('BIG', [], prim('uint64'), 2n ** 63n),
  ];
  const typeDecls: Decl[] = [rgb, mode, rgbs];
  if (opts.split) {
    return program({
      'a.idl': [aeeResult, consts[1] as Decl, module('palette', [], [unused, painter, consts[0] as Decl])],
      'types.idl': [module('palette', [], typeDecls, 'types.idl')],
    });
  }
  return program({ 'a.idl': [aeeResult, consts[1] as Decl, module('palette', [], [...typeDecls, unused, painter, consts[0] as Decl])] });
}

describe('dumpApi over a hand-built model', () => {
  it('writes types canonically with typedefs resolved and recorded', () => {
    const d = dumpApi(palette());
    const p = d.interfaces['palette::painter'];
    expect(p).toBeDefined();
    expect(p?.methods.map((m) => [m.index, m.name])).toEqual([
      [0, 'fill'],
      [1, 'peek'],
    ]);
    expect(p?.methods[0]?.params).toEqual([
      { name: 'colors', mode: 'in', type: 'sequence<struct palette::Rgb>', declared: 'palette::Rgbs' },
      { name: 'mode', mode: 'in', type: 'enum palette::Mode' },
    ]);
    expect(p?.methods[0]?.returnType).toBe('int32');
    expect(p?.methods[0]?.returnDeclared).toBe('AEEResult');
    expect(p?.methods[1]?.params).toEqual([
      { name: 'grid', mode: 'rout', type: 'int16[2][3]' },
      { name: 'name', mode: 'inrout', type: 'string<16>' },
    ]);
    expect(p?.methods[1]?.returnType).toBe('void');
    expect(p?.uses).toEqual(['AEEResult', 'palette::Mode', 'palette::Rgb', 'palette::Rgbs']);
    expect(d.types['palette::Rgb']).toEqual({
      kind: 'struct',
      members: [
        { name: 'r', type: 'uint8' },
        { name: 'g', type: 'uint8' },
        { name: 'b', type: 'uint8' },
      ],
    });
    expect(d.types['palette::Mode']).toEqual({
      kind: 'enum',
      enumerators: [
        { name: 'OFF', value: 0 },
        { name: 'ON', value: 1 },
      ],
    });
    expect(d.types['palette::Rgbs']).toEqual({ kind: 'typedef', type: 'sequence<struct palette::Rgb>' });
    expect(d.constants['palette::MAX']).toEqual({ type: 'int32', value: 255 });
    expect(d.constants['BIG']).toEqual({ type: 'uint64', value: '9223372036854775808' });
  });

  it('typeString keeps nested typedef names only when asked', () => {
    const inner = typedef('Level', ['x'], prim('uint16', 'unsigned short'));
    const t: TypeRef = seq({ kind: 'typedef', decl: inner }, 4);
    expect(typeString(t, false)).toBe('sequence<uint16,4>');
    expect(typeString(t, true)).toBe('sequence<x::Level,4>');
    const arrT = typedef('Row', [], arr(prim('int32'), 3));
    expect(typeString(arr({ kind: 'typedef', decl: arrT }, 2), false)).toBe('int32[2][3]');
  });

  it('is deterministic, JSON round-trips, and its hashes can be recomputed', () => {
    const a = dumpApi(palette());
    const b = dumpApi(palette());
    expect(formatApiDump(a)).toBe(formatApiDump(b));
    const parsed: unknown = JSON.parse(formatApiDump(a));
    expect(parsed).toEqual(canonicalize(a));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(computeDumpHash(a)).toBe(a.hash);
    const p = a.interfaces['palette::painter'];
    expect(p && computeInterfaceHash(p, a.types)).toBe(p?.hash);
  });

  it('keeps every hash when declarations move to another file and spans/docs change', () => {
    const a = dumpApi(palette());
    const b = dumpApi(palette({ split: true }));
    expect(b.hash).toBe(a.hash);
    expect(b.interfaces['palette::painter']?.hash).toBe(a.interfaces['palette::painter']?.hash);
  });

  it('changes the interface hash only when a type the interface uses changes', () => {
    const a = dumpApi(palette());
    const unrelated = dumpApi(palette({ unusedExtra: true }));
    expect(unrelated.hash).not.toBe(a.hash);
    expect(unrelated.interfaces['palette::painter']?.hash).toBe(a.interfaces['palette::painter']?.hash);
    const used = dumpApi(palette({ rgbExtra: true }));
    expect(used.interfaces['palette::painter']?.hash).not.toBe(a.interfaces['palette::painter']?.hash);
    const constChanged = dumpApi(palette({ constValue: 256 }));
    expect(constChanged.hash).not.toBe(a.hash);
  });
});
