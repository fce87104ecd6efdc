import { median, type Comparison } from './measure.ts';

/** One benchmark figure, measured against a baseline run in the same process. */
export interface BenchResult {
  readonly id: string;
  /** Our figure (time per operation, or whatever `unit` says). */
  readonly value: number;
  readonly unit: string;
  /** The baseline's figure in the same unit, measured in the same run. */
  readonly baseline: number;
  /** value / baseline for times per operation (the median of per-round ratios): lower is better. */
  readonly ratio: number;
  /** Lowest and highest per-round ratio, when the figure comes from several rounds. */
  readonly spread?: readonly [number, number];
  readonly rounds?: number;
  /** What was compared, in words. */
  readonly note?: string;
}

export function ratioResult(id: string, oursNs: number, baselineNs: number, note: string): BenchResult {
  return { id, value: round(oursNs), unit: 'ns/op', baseline: round(baselineNs), ratio: round(oursNs / baselineNs, 3), note };
}

/** A figure from `compare` (test/bench/measure.ts). */
export function comparisonResult(id: string, c: Comparison, note: string): BenchResult {
  return {
    id,
    value: round(c.ours),
    unit: 'ns/op',
    baseline: round(c.baseline),
    ratio: round(c.ratio, 3),
    spread: [round(c.spread[0], 3), round(c.spread[1], 3)],
    rounds: c.rounds,
    note: `${note}; harness ${round(c.harnessNs)} ns/op taken out of both`,
  };
}

/**
 * A figure from paired rounds: `ours[r]` and `base[r]` were measured in the same round r; the
 * ratio is the median of per-round ratios, with their spread.
 */
export function pairedResult(id: string, ours: readonly number[], base: readonly number[], note: string): BenchResult {
  const ratios = ours.map((v, r) => v / base[r]!);
  return {
    id,
    value: round(median(ours)),
    unit: 'ns/op',
    baseline: round(median(base)),
    ratio: round(median(ratios), 3),
    spread: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
    rounds: ratios.length,
    note,
  };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
