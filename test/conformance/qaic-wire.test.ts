/**
 * qaic conformance: every vector (stub and skel direction) and every bad input of
 * test/conformance/qaic runs through the generated modules in test/conformance/generated/qaic.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import { runBad, runSkel, runStub, type BadInput, type Vector } from '../fastrpc/conformance-harness.ts';

const dir = new URL('./qaic/', import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('vectors.json', dir), 'utf8')) as Vector[];
const badInputs = JSON.parse(readFileSync(new URL('bad_inputs.json', dir), 'utf8')) as BadInput[];

const genDir = new URL('./generated/qaic/', import.meta.url);
const registry = new Map<string, GeneratedInterface>();
for (const f of readdirSync(genDir)
  .filter((n) => n.endsWith('.ts'))
  .sort()) {
  const mod = (await import(new URL(f, genDir).href)) as { interfaces?: readonly GeneratedInterface[] };
  for (const gi of mod.interfaces ?? []) registry.set(gi.name, gi);
}

const iface = (name: string): GeneratedInterface => {
  const gi = registry.get(name);
  if (!gi) throw new Error(`no generated interface ${name}`);
  return gi;
};

const label = (v: { interface: string; method: string }, i: number, extra: string): string => `${i} ${v.interface}.${v.method} ${extra}`;

describe('qaic vectors, stub direction (generated clients)', () => {
  const cases = vectors.map((v, i) => [label(v, i, v.note), v] as const).filter(([, v]) => v.direction !== 'skel');
  it.each(cases)('%s', async (_l, v) => {
    expect(await runStub(iface(v.interface), v)).toEqual([]);
  });
});

describe('qaic vectors, skel direction (generated skels)', () => {
  const cases = vectors.map((v, i) => [label(v, i, v.note), v] as const).filter(([, v]) => v.direction !== 'stub');
  it.each(cases)('%s', async (_l, v) => {
    expect(await runSkel(iface(v.interface), v)).toEqual([]);
  });
});

describe('qaic bad inputs (generated skels)', () => {
  const cases = badInputs.map((b, i) => [label(b, i, b.case), b] as const);
  it.each(cases)('%s', async (_l, b) => {
    const [code, implCalled] = await runBad(iface(b.interface), b);
    if (b.expectedResult === 'crash') {
      // The C skel reads past the slots sc describes; a memory-safe skel must refuse.
      expect(code).not.toBe(0);
      expect(implCalled).toBe(false);
    } else {
      expect(code).toBe(b.expectedResult);
      expect(implCalled).toBe(b.implCalled);
    }
  });
});
