import type { Comparison } from './measure.ts';

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

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
