/**
 * `api check` over IDL pairs: one small edit of a base IDL per kind of change, each
 * checked for the kind and severity it must produce.
 */
import { describe, expect, it } from 'vitest';
import { checkApiCompat, isIncompatible } from '../../generator/api/check.ts';
import type { ApiChange, ApiChangeKind } from '../../generator/api/check.ts';
import { dumpIdl, dumpSources } from './load.ts';

const BASE = `#include "remote.idl"
const long MAX_POINTS = 64;
const string IDL_VERSION = "1.2.0";
module shapes {
   interface canvas : remote_handle64 {
      struct Point { long x; long y; };
      enum Kind { CIRCLE, SQUARE };
      typedef sequence<Point> Path;
      long draw(in Path path, in Kind kind, rout long drawn);
      long clear(in long color);
      long label(rout string text);
   };
};
interface beeper {
   long beep(in unsigned long hz);
};
const long _const_beeper_handle = 12;
`;

function edit(from: string, to: string): string {
  expect(BASE.includes(from), `base contains ${JSON.stringify(from)}`).toBe(true);
  return BASE.replace(from, to);
}

const baseDump = dumpIdl(BASE);

function changesFor(newText: string): ApiChange[] {
  return checkApiCompat(baseDump, dumpIdl(newText));
}

interface Case {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly kind: ApiChangeKind;
  readonly path?: string;
}

const incompatible: readonly Case[] = [
  {
    name: 'interface removed',
    from: 'interface beeper {\n   long beep(in unsigned long hz);\n};',
    to: '',
    kind: 'interface-removed',
    path: 'interfaces/beeper',
  },
  {
    name: 'method removed',
    from: '      long label(rout string text);\n',
    to: '',
    kind: 'method-removed',
    path: 'interfaces/shapes::canvas/methods/label',
  },
  {
    name: 'method re-indexed (two methods swapped)',
    from: '      long draw(in Path path, in Kind kind, rout long drawn);\n      long clear(in long color);\n',
    to: '      long clear(in long color);\n      long draw(in Path path, in Kind kind, rout long drawn);\n',
    kind: 'method-reindexed',
    path: 'interfaces/shapes::canvas/methods/draw',
  },
  {
    name: 'method inserted before existing ones',
    from: '      long clear(in long color);\n',
    to: '      long wipe();\n      long clear(in long color);\n',
    kind: 'method-inserted',
  },
  {
    name: 'parameter added',
    from: 'clear(in long color)',
    to: 'clear(in long color, in long alpha)',
    kind: 'param-added',
    path: 'interfaces/shapes::canvas/methods/clear/params/alpha',
  },
  {
    name: 'parameter removed',
    from: 'in Kind kind, rout long drawn',
    to: 'in Kind kind',
    kind: 'param-removed',
    path: 'interfaces/shapes::canvas/methods/draw/params/drawn',
  },
  {
    name: 'parameter mode changed',
    from: 'clear(in long color)',
    to: 'clear(inrout long color)',
    kind: 'param-mode-changed',
    path: 'interfaces/shapes::canvas/methods/clear/params/color',
  },
  { name: 'parameter type changed (width)', from: 'clear(in long color)', to: 'clear(in short color)', kind: 'param-type-changed' },
  {
    name: 'parameter type changed (signedness)',
    from: 'clear(in long color)',
    to: 'clear(in unsigned long color)',
    kind: 'param-type-changed',
  },
  {
    name: 'parameter type changed (string to sequence<char>)',
    from: 'label(rout string text)',
    to: 'label(rout sequence<char> text)',
    kind: 'param-type-changed',
  },
  {
    name: 'parameter type changed through its typedef',
    from: 'typedef sequence<Point> Path;',
    to: 'typedef sequence<long> Path;',
    kind: 'param-type-changed',
    path: 'interfaces/shapes::canvas/methods/draw/params/path',
  },
  {
    name: 'parameters reordered',
    from: 'draw(in Path path, in Kind kind, rout long drawn)',
    to: 'draw(in Kind kind, in Path path, rout long drawn)',
    kind: 'param-reordered',
  },
  {
    name: 'struct member removed',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long x; };',
    kind: 'member-removed',
    path: 'types/shapes::canvas::Point/members/y',
  },
  {
    name: 'struct member reordered',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long y; long x; };',
    kind: 'member-reordered',
    path: 'types/shapes::canvas::Point',
  },
  {
    name: 'struct member type changed',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long x; long long y; };',
    kind: 'member-type-changed',
    path: 'types/shapes::canvas::Point/members/y',
  },
  {
    name: 'struct member added (layout grows)',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long x; long y; long z; };',
    kind: 'member-added',
    path: 'types/shapes::canvas::Point/members/z',
  },
  {
    name: 'struct member array length changed',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long x; long y[2]; };',
    kind: 'member-type-changed',
  },
  {
    name: 'enum value changed (enumerators swapped)',
    from: 'enum Kind { CIRCLE, SQUARE };',
    to: 'enum Kind { SQUARE, CIRCLE };',
    kind: 'enumerator-value-changed',
    path: 'types/shapes::canvas::Kind/enumerators/CIRCLE',
  },
  {
    name: 'enum value changed (enumerator inserted)',
    from: 'enum Kind { CIRCLE, SQUARE };',
    to: 'enum Kind { CIRCLE, OVAL, SQUARE };',
    kind: 'enumerator-value-changed',
    path: 'types/shapes::canvas::Kind/enumerators/SQUARE',
  },
  {
    name: 'enumerator removed',
    from: 'enum Kind { CIRCLE, SQUARE };',
    to: 'enum Kind { CIRCLE };',
    kind: 'enumerator-removed',
    path: 'types/shapes::canvas::Kind/enumerators/SQUARE',
  },
  { name: 'constant changed', from: 'MAX_POINTS = 64', to: 'MAX_POINTS = 128', kind: 'constant-changed', path: 'constants/MAX_POINTS' },
  {
    name: 'constant changed by its expression',
    from: 'MAX_POINTS = 64',
    to: 'MAX_POINTS = 1 << 7',
    kind: 'constant-changed',
    path: 'constants/MAX_POINTS',
  },
  { name: 'constant removed', from: 'const long MAX_POINTS = 64;\n', to: '', kind: 'constant-removed', path: 'constants/MAX_POINTS' },
  {
    name: 'base interface changed',
    from: 'interface canvas : remote_handle64 {',
    to: 'interface canvas {',
    kind: 'base-changed',
    path: 'interfaces/shapes::canvas',
  },
  {
    name: 'static handle changed',
    from: '_const_beeper_handle = 12',
    to: '_const_beeper_handle = 13',
    kind: 'static-handle-changed',
    path: 'interfaces/beeper',
  },
  { name: 'IDL_VERSION lowered', from: '"1.2.0"', to: '"1.1.9"', kind: 'idl-version-changed', path: 'interfaces/shapes::canvas' },
];

const compatible: readonly Case[] = [
  {
    name: 'new interface',
    from: 'interface beeper {',
    to: 'interface blinker {\n   long blink(in long ms);\n};\ninterface beeper {',
    kind: 'interface-added',
    path: 'interfaces/blinker',
  },
  {
    name: 'new method appended',
    from: '      long label(rout string text);\n',
    to: '      long label(rout string text);\n      long fill(in sequence<Point> area);\n',
    kind: 'method-added',
    path: 'interfaces/shapes::canvas/methods/fill',
  },
  {
    name: 'new enumerator appended',
    from: 'enum Kind { CIRCLE, SQUARE };',
    to: 'enum Kind { CIRCLE, SQUARE, TRIANGLE };',
    kind: 'enumerator-added',
  },
  {
    name: 'new constant',
    from: 'const long MAX_POINTS = 64;',
    to: 'const long MAX_POINTS = 64;\nconst long MAX_PATHS = 8;',
    kind: 'constant-added',
  },
  {
    name: 'new struct not used by methods',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long x; long y; };\n      struct Box { Point a; Point b; };',
    kind: 'type-added',
  },
  {
    name: 'new typedef not used by methods',
    from: 'typedef sequence<Point> Path;',
    to: 'typedef sequence<Point> Path;\n      typedef Point Corner;',
    kind: 'type-added',
  },
  {
    name: 'new enum not used by methods',
    from: 'enum Kind { CIRCLE, SQUARE };',
    to: 'enum Kind { CIRCLE, SQUARE };\n      enum Fill { EMPTY, SOLID };',
    kind: 'type-added',
  },
  {
    name: 'parameter renamed',
    from: 'clear(in long color)',
    to: 'clear(in long rgba)',
    kind: 'param-renamed',
    path: 'interfaces/shapes::canvas/methods/clear/params/color',
  },
  {
    name: 'method renamed at the same index',
    from: 'long clear(in long color);',
    to: 'long erase(in long color);',
    kind: 'method-renamed',
    path: 'interfaces/shapes::canvas/methods/clear',
  },
  {
    name: 'struct member renamed',
    from: 'struct Point { long x; long y; };',
    to: 'struct Point { long x; long row; };',
    kind: 'member-renamed',
  },
  { name: 'enumerator renamed', from: 'enum Kind { CIRCLE, SQUARE };', to: 'enum Kind { CIRCLE, BOX };', kind: 'enumerator-renamed' },
  {
    name: 'parameter spelled through a new typedef',
    from: '      long clear(in long color);',
    to: '      typedef long Color;\n      long clear(in Color color);',
    kind: 'param-typedef-changed',
  },
  { name: 'string bound added', from: 'label(rout string text)', to: 'label(rout string<32> text)', kind: 'param-wire-equivalent' },
  {
    name: 'return type changed',
    from: 'long label(rout string text);',
    to: 'void label(rout string text);',
    kind: 'method-return-changed',
  },
  {
    name: 'oneway attribute added',
    from: '      long clear(in long color);',
    to: '      [oneway] long clear(in long color);',
    kind: 'method-attributes-changed',
  },
  { name: 'IDL_VERSION raised', from: '"1.2.0"', to: '"1.3.0"', kind: 'idl-version-changed' },
];

describe('api check catches every incompatible change', () => {
  it.each(incompatible)('$name', (c) => {
    const changes = changesFor(edit(c.from, c.to));
    const hit = changes.find((x) => x.kind === c.kind && (c.path === undefined || x.path === c.path));
    expect(hit, JSON.stringify(changes, null, 2)).toBeDefined();
    expect(hit?.severity).toBe('incompatible');
    expect(isIncompatible(changes)).toBe(true);
  });
});

describe('api check accepts compatible evolution', () => {
  it.each(compatible)('$name', (c) => {
    const changes = changesFor(edit(c.from, c.to));
    const hit = changes.find((x) => x.kind === c.kind && (c.path === undefined || x.path === c.path));
    expect(hit, JSON.stringify(changes, null, 2)).toBeDefined();
    expect(
      changes.filter((x) => x.severity === 'incompatible'),
      JSON.stringify(changes, null, 2),
    ).toEqual([]);
  });

  it('reports nothing, and keeps every hash, for synonymous primitive spellings', () => {
    const respelled = BASE.replace('struct Point { long x; long y; };', 'struct Point { int32_t x; int32 y; };').replace(
      'in unsigned long hz',
      'in uint32_t hz',
    );
    const d = dumpIdl(respelled);
    expect(checkApiCompat(baseDump, d)).toEqual([]);
    expect(d.hash).toBe(baseDump.hash);
  });
});

describe('cosmetic changes keep the hash', () => {
  it('whitespace, comments and doc comments', () => {
    const cosmetic = `// Version two of the canvas, reformatted.
#include "remote.idl"
/** The largest path. */
const long MAX_POINTS   =   0x40 ;
const string IDL_VERSION = "1.2.0";
module shapes
{
  /// A canvas.
  interface canvas : remote_handle64
  {
    struct Point {
      long x;   ///< column
      long y;   /* row */
    };
    enum Kind { CIRCLE,
                SQUARE };
    typedef sequence < Point > Path;
    /** Draws a path. */
    long draw(in Path path,
              in Kind kind,
              rout long drawn);
    long clear(in long color);   // fills
    long label(rout string text);
  };
};

interface beeper { long beep(in unsigned long hz); };
const long _const_beeper_handle = 12;
`;
    const d = dumpIdl(cosmetic);
    expect(d.hash).toBe(baseDump.hash);
    for (const [name, i] of Object.entries(baseDump.interfaces)) expect(d.interfaces[name]?.hash, name).toBe(i.hash);
    expect(checkApiCompat(baseDump, d)).toEqual([]);
  });

  it('moving declarations into an included file', () => {
    const types = `#ifndef CONSTS_IDL
#define CONSTS_IDL
const long MAX_POINTS = 64;
#endif
`;
    const main = BASE.replace('const long MAX_POINTS = 64;\n', '').replace(
      '#include "remote.idl"\n',
      '#include "remote.idl"\n#include "consts.idl"\n',
    );
    const d = dumpSources({ 'main.idl': main, 'consts.idl': types }, 'main.idl');
    expect(d.hash).toBe(baseDump.hash);
    expect(checkApiCompat(baseDump, d)).toEqual([]);
  });

  it('a real change moves the whole hash and only the affected interface hash', () => {
    const d = dumpIdl(edit('clear(in long color)', 'clear(in long color, in long alpha)'));
    expect(d.hash).not.toBe(baseDump.hash);
    expect(d.interfaces['shapes::canvas']?.hash).not.toBe(baseDump.interfaces['shapes::canvas']?.hash);
    expect(d.interfaces['beeper']?.hash).toBe(baseDump.interfaces['beeper']?.hash);
  });
});

describe('dump of a real IDL', () => {
  it('writes methods with indices, modes and resolved types', () => {
    const canvas = baseDump.interfaces['shapes::canvas'];
    expect(canvas?.base).toBe('remote_handle64');
    expect(canvas?.handle64).toBe(true);
    expect(canvas?.idlVersion).toBe('1.2.0');
    expect(canvas?.methods.map((m) => `${m.index} ${m.name}(${m.params.map((p) => `${p.mode} ${p.type}`).join(', ')})`)).toEqual([
      '0 open(in string, rout interface remote_handle64)',
      '1 close(in interface remote_handle64)',
      '2 draw(in sequence<struct shapes::canvas::Point>, in enum shapes::canvas::Kind, rout int32)',
      '3 clear(in int32)',
      '4 label(rout string)',
    ]);
    expect(canvas?.methods[2]?.params[0]?.declared).toBe('shapes::canvas::Path');
    expect(baseDump.interfaces['beeper']?.staticHandle).toBe(12);
    expect(baseDump.types['shapes::canvas::Kind']).toEqual({
      kind: 'enum',
      enumerators: [
        { name: 'CIRCLE', value: 0 },
        { name: 'SQUARE', value: 1 },
      ],
    });
  });
});

describe('unions and inheritance', () => {
  const U = `enum K { A, B };
union U switch (long) { case 1: long x; case 2: case 3: double y; default: octet z; };
interface base { long f(in long q); };
interface derived : base { long g(in K k); };
`;
  const u = dumpIdl(U);

  it('dumps unions with evaluated labels', () => {
    expect(u.types['U']).toEqual({
      kind: 'union',
      discriminator: 'int32',
      cases: [
        { labels: ['1'], default: false, name: 'x', type: 'int32' },
        { labels: ['2', '3'], default: false, name: 'y', type: 'double' },
        { labels: [], default: true, name: 'z', type: 'octet' },
      ],
    });
  });

  it('a changed case label or member type is incompatible, a renamed member is not', () => {
    expect(checkApiCompat(u, dumpIdl(U.replace('case 3:', 'case 4:'))).map((c) => `${c.severity} ${c.kind}`)).toEqual([
      'incompatible union-changed',
    ]);
    expect(checkApiCompat(u, dumpIdl(U.replace('double y', 'float y'))).map((c) => `${c.severity} ${c.kind}`)).toEqual([
      'incompatible union-changed',
    ]);
    expect(checkApiCompat(u, dumpIdl(U.replace('double y', 'double why'))).map((c) => `${c.severity} ${c.kind} ${c.path}`)).toEqual([
      'compatible union-changed types/U/cases/y',
    ]);
  });

  it('a method appended to a base interface re-indexes the derived interface only', () => {
    const changes = checkApiCompat(u, dumpIdl(U.replace('long f(in long q);', 'long f(in long q);\n   long h();')));
    expect(changes.map((c) => `${c.severity} ${c.kind} ${c.path}`)).toEqual([
      'compatible method-added interfaces/base/methods/h',
      'incompatible method-reindexed interfaces/derived/methods/g',
      'incompatible method-inserted interfaces/derived/methods/h',
    ]);
  });
});

describe('wire-equivalent spellings', () => {
  it('octet and uint8 are the same byte: compatible, noted', () => {
    const a = 'interface io { long put(in sequence<octet> data, rout octet last); };\n';
    const changes = checkApiCompat(dumpIdl(a), dumpIdl(a.replace('sequence<octet>', 'sequence<uint8_t>')));
    expect(changes.map((c) => `${c.severity} ${c.kind} ${c.path}`)).toEqual([
      'compatible param-wire-equivalent interfaces/io/methods/put/params/data',
    ]);
    expect(changes[0]?.message).toContain('same bytes on the wire');
    // A signed byte is not the same value.
    expect(isIncompatible(checkApiCompat(dumpIdl(a), dumpIdl(a.replace('rout octet last', 'rout int8 last'))))).toBe(true);
  });
});
