/** Property: reformatting an IDL (whitespace, line breaks, comments, declaration order) never moves a hash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkApiCompat } from '../../generator/api/check.ts';
import { dumpIdl } from './load.ts';

const BASE = `#include "remote.idl"
const long LIMIT = 8;
const string IDL_VERSION = "2.0.1";
struct Pair { short a; long long b; };
enum Level { LOW, MID, HIGH };
typedef sequence<Pair, 4> Pairs;
interface store : remote_handle64 {
   long put(in Pairs items, in Level lv, rout long stored);
   long get(in long slot, rout Pair p, inrout string<16> tag);
   [oneway] long ping();
};
interface plain {
   long poke(in unsigned short v, rout wstring name);
};
const long _const_plain_handle = 21;
`;

/** Identifiers, numbers, string literals and single punctuation characters. */
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+|"[^"]*"|\S/g;

const SEPARATORS = [' ', '  ', '\t', '\n', '\n\n', ' /* note */ ', ' // trailing\n', '\n/** doc */\n', '\r\n'] as const;

function reformat(text: string, seps: readonly number[]): string {
  let k = 0;
  const next = (): string => SEPARATORS[(seps[k++ % seps.length] ?? 0) % SEPARATORS.length] as string;
  return text
    .split('\n')
    .map((line) => (line.startsWith('#') ? line : (line.match(TOKEN) ?? []).map((t, i) => (i === 0 ? t : `${next()}${t}`)).join('')))
    .join('\n');
}

describe('hash stability', () => {
  const base = dumpIdl(BASE);

  it('holds for random whitespace, line breaks and comments between tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(SEPARATORS.length - 1), { minLength: 1, maxLength: 64 }), (seps) => {
        const d = dumpIdl(reformat(BASE, seps));
        expect(d.hash).toBe(base.hash);
        for (const [name, i] of Object.entries(base.interfaces)) expect(d.interfaces[name]?.hash).toBe(i.hash);
      }),
      { numRuns: 25 },
    );
  });

  it('holds when independent top-level declarations change order', () => {
    const lines = BASE.split('\n');
    const plain = lines.slice(11, 15).join('\n');
    const rest = [...lines.slice(0, 11), ...lines.slice(15)].join('\n');
    const reordered = rest.replace('struct Pair', `${plain}\nstruct Pair`);
    expect(reordered).not.toBe(BASE);
    const d = dumpIdl(reordered);
    expect(d.hash).toBe(base.hash);
    expect(checkApiCompat(base, d)).toEqual([]);
  });

  it('moves when a single token that matters changes', () => {
    for (const [from, to] of [
      ['short a', 'short z'],
      ['sequence<Pair, 4>', 'sequence<Pair, 5>'],
      ['[oneway] ', ''],
      ['LIMIT = 8', 'LIMIT = 9'],
    ] as const) {
      const d = dumpIdl(BASE.replace(from, to));
      expect(d.hash, `${from} -> ${to}`).not.toBe(base.hash);
    }
  });
});
