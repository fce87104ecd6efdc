/**
 * Bulk data across threads: reverse calls from the worker DSP carrying one in buffer of 16 B to
 * 32 MiB through the shared channel, each size's time per call against the 16-byte call in the
 * same rounds. `bulk.worker_1MiB_vs_16B` is the figure with a goal; the others show how the cost
 * grows with the size.
 */
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import { median } from './measure.ts';
import { round, type BenchResult } from './result.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
// 32 MiB is the largest: a 64 MiB buffer plus its stream header exceeds the listener's 64 MiB in-stream limit.
const SIZES = [16, 4 * KiB, 64 * KiB, MiB, 32 * MiB];
const label = (n: number): string => (n >= MiB ? `${n / MiB}MiB` : n >= KiB ? `${n / KiB}KiB` : `${n}B`);

export async function runBulkBench(rounds = 7): Promise<BenchResult[]> {
  let touched = 0;
  const sink: SkelInvoke = (_h, _sc, args) => {
    const a = args[0];
    if (!isBuffer(a)) return 14;
    touched += a[a.length - 1]!;
    return 0;
  };
  // Fewer calls for bigger buffers, so each batch stays near the same wall time.
  const batches = SIZES.map((n) => Math.max(2, Math.min(2000, Math.round((64 * MiB) / n / 4))));
  // The channel areas must hold the largest call: the buffers are copied through them today.
  const dsp = new DspWorker({
    program: new URL('./bulk-program.ts', import.meta.url),
    args: { sizes: SIZES, rounds, batches },
    areaBytes: 33 * MiB,
  });
  try {
    const exit = await serveReverse(dsp.transport, createReverseTable().register('sink', sink));
    const outcome = await dsp.outcome;
    if (!outcome.ok) throw new Error(`bulk bench DSP failed: ${outcome.error} (listener ${exit.reason} ${exit.code})`);
    if (touched === 0) throw new Error('the buffers never reached the skel');
    const ns = (outcome.value as { ns: number[][] }).ns;
    const base = ns[0]!;
    return SIZES.slice(1).map((size, k) => {
      const ours = ns[k + 1]!;
      const ratios = ours.map((v, r) => v / base[r]!);
      return {
        id: size === MiB ? 'bulk.worker_1MiB_vs_16B' : `bulk.worker_${label(size)}_vs_16B`,
        value: round(median(ours)),
        unit: 'ns/op',
        baseline: round(median(base)),
        ratio: round(median(ratios), 3),
        spread: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
        rounds: ratios.length,
        note: `reverse call from the worker DSP with a ${label(size)} in buffer vs 16 B, over the shared channel; medians of ${rounds} alternating rounds`,
      };
    });
  } finally {
    await dsp.close();
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runBulkBench()) console.log(JSON.stringify(r));
}
