/**
 * Every golden set is up to date (the same check as `npm run golden -- check`): generated code,
 * the runtime's own interfaces, precompiled templates, and the diagnostics of each
 * invalid-input corpus. A failure names the set to update; review the diff like code.
 */
import { describe, expect, it } from 'vitest';
import { goldenProblems } from '../tools/golden.ts';
import { GOLDEN_SETS } from '../tools/golden/sets.ts';

describe('golden sets', () => {
  it.each(GOLDEN_SETS.map((s) => [s.name, s] as const))('%s is up to date', async (name, set) => {
    const { problems } = await goldenProblems(set);
    expect(problems, `run npm run golden -- update ${name} and review the diff`).toEqual([]);
  });

  it('produces the same output twice (generation is deterministic)', async () => {
    for (const set of GOLDEN_SETS) {
      const a = await set.produce(process.cwd());
      const b = await set.produce(process.cwd());
      expect(b, set.name).toEqual(a);
    }
  });
});
