/** checkApiCompat over dumps written by hand: the rules, independent of the front end. */
import { describe, expect, it } from 'vitest';
import { checkApiCompat, formatApiChange, withoutBounds } from '../../generator/api/check.ts';
import type { ApiChange } from '../../generator/api/check.ts';
import { API_DUMP_FORMAT } from '../../generator/api/dump.ts';
import type { ApiDump, ApiInterface, ApiMethod, ApiParam, ApiType } from '../../generator/api/dump.ts';

const dump = (p: Partial<ApiDump>): ApiDump => ({
  format: API_DUMP_FORMAT,
  hash: '',
  interfaces: {},
  types: {},
  constants: {},
  roots: [],
  ...p,
});
const iface = (methods: ApiMethod[], extra: Partial<ApiInterface> = {}): ApiInterface => ({
  base: null,
  handle64: false,
  staticHandle: null,
  idlVersion: null,
  methods,
  uses: [],
  hash: '',
  ...extra,
});
/** `m(2, 'fill', 'in colors:sequence<uint8>, rout n:int32')` */
function m(index: number, name: string, params = ''): ApiMethod {
  const ps: ApiParam[] =
    params === ''
      ? []
      : params.split(', ').map((s) => {
          const [mode, rest] = s.split(' ', 2) as [ApiParam['mode'], string];
          const [pname, type] = rest.split(':') as [string, string];
          return { name: pname, mode, type };
        });
  return { index, name, declaredIn: 'i', async: false, attributes: [], returnType: 'int32', params: ps };
}

const kinds = (cs: readonly ApiChange[]): string[] => cs.map((c) => `${c.severity} ${c.kind} ${c.path}`);

describe('checkApiCompat rules', () => {
  const v1 = dump({ interfaces: { i: iface([m(0, 'a', 'in x:int32'), m(1, 'b', 'rout y:string'), m(2, 'c')]) } });

  it('reports no change for identical dumps', () => {
    expect(checkApiCompat(v1, v1)).toEqual([]);
  });

  it('a method inserted in the middle re-indexes every later method', () => {
    const v2 = dump({ interfaces: { i: iface([m(0, 'a', 'in x:int32'), m(1, 'z'), m(2, 'b', 'rout y:string'), m(3, 'c')]) } });
    expect(kinds(checkApiCompat(v1, v2))).toEqual([
      'incompatible method-reindexed interfaces/i/methods/b',
      'incompatible method-reindexed interfaces/i/methods/c',
      'incompatible method-inserted interfaces/i/methods/z',
    ]);
  });

  it('removing the last method and appending another is still a removal', () => {
    const v2 = dump({ interfaces: { i: iface([m(0, 'a', 'in x:int32'), m(1, 'b', 'rout y:string'), m(2, 'd', 'in q:int8')]) } });
    expect(kinds(checkApiCompat(v1, v2))).toEqual([
      'incompatible method-removed interfaces/i/methods/c',
      'incompatible method-inserted interfaces/i/methods/d',
    ]);
  });

  it('a rename keeps index and signature; anything else is a removal', () => {
    const renamed = dump({ interfaces: { i: iface([m(0, 'a', 'in x:int32'), m(1, 'bee', 'rout y:string'), m(2, 'c')]) } });
    expect(kinds(checkApiCompat(v1, renamed))).toEqual(['compatible method-renamed interfaces/i/methods/b']);
    const retyped = dump({ interfaces: { i: iface([m(0, 'a', 'in x:int32'), m(1, 'bee', 'rout y:wstring'), m(2, 'c')]) } });
    expect(kinds(checkApiCompat(v1, retyped))).toEqual([
      'incompatible method-removed interfaces/i/methods/b',
      'incompatible method-inserted interfaces/i/methods/bee',
    ]);
  });

  it('a method declared in another interface of the chain at the same index is a compatible move', () => {
    const moved = dump({
      interfaces: { i: iface([m(0, 'a', 'in x:int32'), { ...m(1, 'b', 'rout y:string'), declaredIn: 'base' }, m(2, 'c')]) },
    });
    expect(kinds(checkApiCompat(v1, moved))).toEqual(['compatible method-moved interfaces/i/methods/b']);
  });

  it('bounds are wire-neutral, element types are not', () => {
    expect(withoutBounds('sequence<sequence<int32,4>,8>')).toBe('sequence<sequence<int32>>');
    expect(withoutBounds('wstring<12>')).toBe('wstring');
    expect(withoutBounds('int32[4]')).toBe('int32[4]');
    const bounded = dump({ interfaces: { i: iface([m(0, 'a', 'in x:int32'), m(1, 'b', 'rout y:string<9>'), m(2, 'c')]) } });
    expect(kinds(checkApiCompat(v1, bounded))).toEqual(['compatible param-wire-equivalent interfaces/i/methods/b/params/y']);
  });

  it('struct members: rename is compatible, swap of same-typed members is not', () => {
    const s = (members: [string, string][]): Record<string, ApiType> => ({
      S: { kind: 'struct', members: members.map(([name, type]) => ({ name, type })) },
    });
    const old = dump({
      types: s([
        ['x', 'int32'],
        ['y', 'int32'],
      ]),
    });
    expect(
      kinds(
        checkApiCompat(
          old,
          dump({
            types: s([
              ['x', 'int32'],
              ['row', 'int32'],
            ]),
          }),
        ),
      ),
    ).toEqual(['compatible member-renamed types/S/members/y']);
    expect(
      kinds(
        checkApiCompat(
          old,
          dump({
            types: s([
              ['y', 'int32'],
              ['x', 'int32'],
            ]),
          }),
        ),
      ),
    ).toEqual(['incompatible member-reordered types/S']);
    expect(kinds(checkApiCompat(old, dump({ types: s([['x', 'int32']]) })))).toEqual(['incompatible member-removed types/S/members/y']);
  });

  it('names the interfaces a changed type reaches', () => {
    const old = dump({
      interfaces: { i: iface([], { uses: ['E'] }) },
      types: {
        E: {
          kind: 'enum',
          enumerators: [
            { name: 'A', value: 0 },
            { name: 'B', value: 1 },
          ],
        },
      },
    });
    const v2 = dump({
      interfaces: { i: iface([], { uses: ['E'] }) },
      types: { E: { kind: 'enum', enumerators: [{ name: 'A', value: 0 }] } },
    });
    const [c] = checkApiCompat(old, v2);
    expect(c?.message).toContain('used by i');
    expect(c && formatApiChange(c)).toBe(
      "incompatible: types/E/enumerators/B: enumerator 'B' (value 1) removed (used by i) [enumerator-removed]",
    );
  });

  it('IDL_VERSION: added breaks old clients of a handle64 interface, removed does not', () => {
    const a = dump({ interfaces: { i: iface([], { handle64: true }) } });
    const b = dump({ interfaces: { i: iface([], { handle64: true, idlVersion: '1.0.0' }) } });
    expect(kinds(checkApiCompat(a, b))).toEqual(['incompatible idl-version-changed interfaces/i']);
    expect(kinds(checkApiCompat(b, a))).toEqual(['compatible idl-version-changed interfaces/i']);
    const c = dump({ interfaces: { i: iface([], { handle64: true, idlVersion: '1.0.10' }) } });
    expect(kinds(checkApiCompat(b, c))).toEqual(['compatible idl-version-changed interfaces/i']);
    expect(kinds(checkApiCompat(c, b))).toEqual(['incompatible idl-version-changed interfaces/i']);
  });

  it('IDL_VERSION has no effect on interfaces without remote_handle64 (no open to check it)', () => {
    const a = dump({ interfaces: { i: iface([]) } });
    const b = dump({ interfaces: { i: iface([], { idlVersion: '1.0.0' }) } });
    expect(kinds(checkApiCompat(a, b))).toEqual(['compatible idl-version-changed interfaces/i']);
  });

  it('constants compare by value and type, 64-bit values included', () => {
    const a = dump({ constants: { K: { type: 'uint64', value: '18446744073709551615' }, S: { type: 'string', value: 'v1' } } });
    const b = dump({
      constants: {
        K: { type: 'uint64', value: '18446744073709551614' },
        S: { type: 'string', value: 'v1' },
        T: { type: 'boolean', value: true },
      },
    });
    expect(kinds(checkApiCompat(a, b))).toEqual(['incompatible constant-changed constants/K', 'compatible constant-added constants/T']);
  });
});
