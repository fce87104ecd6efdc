/** One benchmark figure, measured against a baseline run in the same process. */
export interface BenchResult {
  readonly id: string;
  /** Our figure (time per operation, or whatever `unit` says). */
  readonly value: number;
  readonly unit: string;
  /** The baseline's figure in the same unit, measured in the same run. */
  readonly baseline: number;
  /** value / baseline for times per operation: lower is better. */
  readonly ratio: number;
  /** What was compared, in words. */
  readonly note?: string;
}

export function ratioResult(id: string, oursNs: number, baselineNs: number, note: string): BenchResult {
  return { id, value: round(oursNs), unit: 'ns/op', baseline: round(baselineNs), ratio: round(oursNs / baselineNs, 3), note };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
