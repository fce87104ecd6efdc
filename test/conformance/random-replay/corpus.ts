/**
 * Replays one part of the random corpus recorded from the real qaic by tools/qaic-diff
 * (test/conformance/random): every file gets qaic's verdict, every recorded call is
 * byte-identical through dspidl's stub and skel, and every malformed request gets the real skel's
 * answer, outside the tolerances that test/conformance/README.md lists. One test file per part,
 * so the parts run in parallel.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compareFile, type RecordedFile } from '../../../tools/qaic-diff/compare.ts';

export interface Corpus {
  readonly qaic: string;
  readonly seeds: { readonly from: number; readonly to: number; readonly mutated: number; readonly invalid: number };
  readonly files: readonly RecordedFile[];
}

const DIR = new URL('../random/', import.meta.url);
const SUPPORT = [new URL('../qaic/idl', import.meta.url).pathname];

export const corpusParts = (): string[] =>
  readdirSync(DIR)
    .filter((n) => n.endsWith('.json.gz'))
    .sort();

export function loadPart(name: string): Corpus {
  return JSON.parse(gunzipSync(readFileSync(new URL(name, DIR))).toString('utf8')) as Corpus;
}

/** Interfaces qaic accepted, over every part. */
export function acceptedInterfaces(): number {
  let n = 0;
  for (const part of corpusParts())
    for (const f of loadPart(part).files) if (f.qaic.accepted) n += (f.text.match(/^interface /gm) ?? []).length;
  return n;
}

export function describePart(index: number): void {
  const name = corpusParts()[index];
  if (name === undefined) throw new Error(`test/conformance/random has no part ${index}`);
  const corpus = loadPart(name);
  const { from, to, mutated, invalid } = corpus.seeds;
  describe(`${name}: qaic ${corpus.qaic}, seeds ${from}..${to}, ${mutated} mutated, ${invalid} invalid`, () => {
    it.each(corpus.files.map((f) => [f.idl, f] as const))('%s', async (_name, file) => {
      const { mismatches } = await compareFile(file, SUPPORT);
      expect(mismatches.join('\n')).toBe('');
    });
  });
}
