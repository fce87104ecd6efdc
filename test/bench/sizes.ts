/** Size-scaling figures: each size's time per call against the smallest size's, round by round. */
import { pairedResult, type BenchResult } from './result.ts';

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
  return sizes.slice(1).map((size, k) => {
    const { id, note } = describe(size);
    return pairedResult(id, ns[k + 1]!, ns[0]!, note);
  });
}
