/** Reading dumps back: round trip, hand edits detected, malformed files rejected without crashing the checker. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkApiCompat } from '../../generator/api/check.ts';
import { formatApiDump } from '../../generator/api/dump.ts';
import { ApiDumpError, readApiDump } from '../../generator/api/read.ts';
import { dumpIdl } from './load.ts';

const IDL = `#include "remote.idl"
const long long BIG = 0x7fffffffffffffff;
const string NAME = "n";
struct P { short a; long b[3]; };
struct Q { string s; sequence<long, 3> b; };
enum E { X, Y };
typedef P Ps[2];
union U switch (E) { case X: long l; default: octet o; };
interface svc : remote_handle64 {
   long f(in Ps ps, rout E e, inrout string<8> s);
   [oneway] void g(in sequence<Q> q);
};
`;

const valid = dumpIdl(IDL);
const text = formatApiDump(valid);

describe('readApiDump', () => {
  it('reads back what formatApiDump wrote, with a matching hash', () => {
    const { dump, hashMatches } = readApiDump(text);
    expect(hashMatches).toBe(true);
    expect(checkApiCompat(valid, dump)).toEqual([]);
    expect(formatApiDump(dump)).toBe(text);
  });

  it('notices a hand edit through the hash', () => {
    const edited = text.replace('"value": "9223372036854775807"', '"value": "9223372036854775806"');
    expect(edited).not.toBe(text);
    const { dump, hashMatches } = readApiDump(edited);
    expect(hashMatches).toBe(false);
    expect(checkApiCompat(valid, dump).map((c) => c.kind)).toEqual(['constant-changed']);
  });

  it('names the offending place of a malformed dump', () => {
    const broken = JSON.parse(text) as { interfaces: { svc: { methods: { params: { mode: string }[] }[] } } };
    const p = broken.interfaces.svc.methods[2]?.params[1];
    if (p) p.mode = 'out';
    expect(() => readApiDump(JSON.stringify(broken))).toThrow(
      /\$\.interfaces\["svc"\]\.methods\[2\]\.params\[1\]\.mode: expected one of in, rout, inrout/,
    );
    expect(() => readApiDump('{"format": "other"}')).toThrow(ApiDumpError);
    expect(() => readApiDump('[1, 2')).toThrow(/not valid JSON/);
  });

  it('either rejects a randomly damaged dump or yields one the checker handles', () => {
    const original: unknown = JSON.parse(text);
    /** Every path to a value inside the dump. */
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, at: (string | number)[]): void => {
      paths.push(at);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
      else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
    };
    walk(original, []);
    const replacement = fc.constantFrom<unknown>(undefined, null, 0, -1, 1.5, '', 'x', true, [], {}, [1], { kind: 'struct' });
    fc.assert(
      fc.property(fc.nat(paths.length - 1), replacement, (which, value) => {
        const copy = JSON.parse(text) as unknown;
        const path = paths[which] ?? [];
        if (path.length === 0) return;
        let parent = copy as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
        const last = path[path.length - 1] as string | number;
        if (value === undefined) delete parent[last];
        else parent[last] = value;
        let dump;
        try {
          dump = readApiDump(JSON.stringify(copy)).dump;
        } catch (e) {
          expect(e).toBeInstanceOf(ApiDumpError);
          return;
        }
        expect(() => checkApiCompat(valid, dump)).not.toThrow();
        expect(() => checkApiCompat(dump, valid)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
