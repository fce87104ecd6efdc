/**
 * The measuring harness of `npm run bench`: a subject and its baseline run in alternating
 * batches (ABBA order, so drift and warm-up hit both alike), each batch timed as a whole, and
 * the cost of the harness's own loop (the same loop around an empty operation of the same kind,
 * sync or async, timed in the same rounds) taken out of both sides. The figure is the median over
 * rounds, with the spread between the lowest and highest round, so one preempted batch or GC
 * pause cannot move it.
 */

export type Op = () => unknown;

export interface Comparison {
  /** Median ns per operation of the subject and of the baseline, harness cost taken out. */
  readonly ours: number;
  readonly baseline: number;
  /** Median of the per-round ratios ours / baseline. */
  readonly ratio: number;
  /** Lowest and highest per-round ratio. */
  readonly spread: readonly [number, number];
  readonly rounds: number;
  /** ns per iteration of the harness loop around an empty operation. */
  readonly harnessNs: number;
}

export interface MeasureOptions {
  /** Timed rounds (each one batch of each side); at least 3. */
  readonly rounds?: number;
  /** Operations per batch; by default sized so a batch takes about `batchMs`. */
  readonly batch?: number;
  readonly batchMs?: number;
  /** Untimed rounds first, for the JIT. */
  readonly warmupRounds?: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const syncNoop: Op = () => undefined;
const asyncNoop: Op = async () => undefined;

function isPromise(x: unknown): x is Promise<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** Total ns of `n` sequential calls of `op` (awaited when `async`). */
async function timeBatch(op: Op, n: number, async: boolean): Promise<number> {
  const t0 = process.hrtime.bigint();
  if (async) for (let i = 0; i < n; i++) await op();
  else for (let i = 0; i < n; i++) op();
  return Number(process.hrtime.bigint() - t0);
}

/** Operations per batch so that the slower side's batch takes about `ms`. */
async function batchSize(ops: readonly Op[], async: boolean, ms: number): Promise<number> {
  let n = 1;
  for (;;) {
    let worst = 0;
    for (const op of ops) worst = Math.max(worst, await timeBatch(op, n, async));
    if (worst >= ms * 1e6 || n >= 1 << 24) return Math.max(1, Math.round((n * ms * 1e6) / Math.max(worst, 1)));
    n *= 4;
  }
}

/** Subject against baseline, interleaved, with the harness cost taken out. */
export async function compare(subject: Op, baseline: Op, options: MeasureOptions = {}): Promise<Comparison> {
  const rounds = Math.max(3, options.rounds ?? 15);
  const async = isPromise(subject()) || isPromise(baseline());
  const empty = async ? asyncNoop : syncNoop;
  const n = options.batch ?? (await batchSize([subject, baseline], async, options.batchMs ?? 50));
  const ours: number[] = [];
  const base: number[] = [];
  const harness: number[] = [];
  const ratios: number[] = [];
  for (let r = -(options.warmupRounds ?? 2); r < rounds; r++) {
    const order = r % 2 === 0 ? [subject, baseline] : [baseline, subject];
    const t = new Map<Op, number>();
    for (const op of order) t.set(op, await timeBatch(op, n, async));
    const e = (await timeBatch(empty, n, async)) / n;
    if (r < 0) continue;
    const s = t.get(subject)! / n - e;
    const b = t.get(baseline)! / n - e;
    ours.push(s);
    base.push(b);
    harness.push(e);
    ratios.push(s / Math.max(b, 0.01));
  }
  return {
    ours: median(ours),
    baseline: median(base),
    ratio: median(ratios),
    spread: [Math.min(...ratios), Math.max(...ratios)],
    rounds,
    harnessNs: median(harness),
  };
}
