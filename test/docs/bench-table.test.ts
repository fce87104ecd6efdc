/**
 * The README's performance table is rendered from test/bench/results.json, never typed by hand,
 * and each figure says where and when it was measured.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, RESULTS, goalMet, withTable, type BenchFile } from '../bench/table.ts';

const file = JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchFile;

describe('benchmark results', () => {
  it('README.md shows exactly the table results.json renders to', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withTable(readme, file)).toBe(readme);
  });

  it('every figure records its machine, load and date, and a ratio over at least 3 rounds', () => {
    for (const r of file.results) {
      expect(r.machine.cpu.length, r.id).toBeGreaterThan(0);
      expect(r.machine.cores, r.id).toBeGreaterThan(0);
      expect(r.machine.loadAverage, r.id).toHaveLength(2);
      expect(Number.isNaN(Date.parse(r.machine.date)), r.id).toBe(false);
      expect(r.rounds ?? 0, r.id).toBeGreaterThanOrEqual(3);
      expect(r.spread?.[0] ?? Number.NaN, r.id).toBeLessThanOrEqual(r.ratio);
      expect(r.spread?.[1] ?? Number.NaN, r.id).toBeGreaterThanOrEqual(r.ratio);
    }
  });

  it('judges a goal from the ratio and the rate', () => {
    const base = { unit: 'ns/op', baseline: 1000 } as const;
    expect(goalMet({ ...base, id: 'reverse.vs_atomics', value: 3000, ratio: 2 })).toBe(true);
    expect(goalMet({ ...base, id: 'reverse.vs_atomics', value: 4000, ratio: 2 })).toBe(false);
    expect(goalMet({ ...base, id: 'call.vs_direct', value: 1, ratio: 2.5 })).toBe(false);
    expect(goalMet({ ...base, id: 'qmi.get_buff_addr', value: 1, ratio: 9 })).toBeUndefined();
  });
});
