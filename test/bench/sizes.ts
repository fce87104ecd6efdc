/** Size-scaling figures: each size's time per call against the smallest size's, round by round. */
import { median } from './measure.ts';
import { round, type BenchResult } from './result.ts';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export const sizeLabel = (n: number): string => (n >= MiB ? `${n / MiB}MiB` : n >= KiB ? `${n / KiB}KiB` : `${n}B`);

/**
 * One result per size after the first: `ns[k][r]` is size k's time per call in round r, and
 * the ratio is the median of per-round ratios against size 0 in the same round.
 */
export function sizeResults(
  sizes: readonly number[],
  ns: readonly (readonly number[])[],
  describe: (size: number) => { id: string; note: string },
): BenchResult[] {
  const base = ns[0]!;
  return sizes.slice(1).map((size, k) => {
    const ours = ns[k + 1]!;
    const ratios = ours.map((v, r) => v / base[r]!);
    return {
      ...describe(size),
      value: round(median(ours)),
      unit: 'ns/op',
      baseline: round(median(base)),
      ratio: round(median(ratios), 3),
      spread: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
      rounds: ratios.length,
    };
  });
}
