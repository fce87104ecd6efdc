/**
 * Reverse-call size scaling: calls from the worker DSP to an APPS skel carrying one in buffer
 * of 16 B to 32 MiB, each size's time per call against the 16-byte call in the same rounds.
 * The listener protocol copies reverse-call buffers (the DSP's memory is not the caller's on
 * this path), so these show how that copy grows with the size.
 */
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import { KiB, MiB, sizeLabel, sizeResults } from './sizes.ts';

// 32 MiB is the largest: a 64 MiB buffer plus its stream header exceeds the listener's 64 MiB in-stream limit.
const SIZES = [16, 4 * KiB, 64 * KiB, MiB, 32 * MiB];

export async function runReverseSizeBench(rounds = 7): Promise<ReturnType<typeof sizeResults>> {
  let touched = 0;
  const sink: SkelInvoke = (_h, _sc, args) => {
    const a = args[0];
    if (!isBuffer(a)) return 14;
    touched += a[a.length - 1]!;
    return 0;
  };
  // Fewer calls for bigger buffers, so each batch stays near the same wall time.
  const batches = SIZES.map((n) => Math.max(2, Math.min(2000, Math.round((64 * MiB) / n / 4))));
  // The channel areas must hold the largest call: next2 carries the in stream through them.
  const dsp = new DspWorker({
    program: new URL('./reverse-size-program.ts', import.meta.url),
    args: { sizes: SIZES, rounds, batches },
    areaBytes: 33 * MiB,
  });
  try {
    const exit = await serveReverse(dsp.transport, createReverseTable().register('sink', sink));
    const outcome = await dsp.outcome;
    if (!outcome.ok) throw new Error(`reverse size bench DSP failed: ${outcome.error} (listener ${exit.reason} ${exit.code})`);
    if (touched === 0) throw new Error('the buffers never reached the skel');
    const ns = (outcome.value as { ns: number[][] }).ns;
    return sizeResults(SIZES, ns, (size) => ({
      id: `reverse.size_${sizeLabel(size)}_vs_16B`,
      note: `reverse call from the worker DSP with a ${sizeLabel(size)} in buffer vs 16 B (copied by the listener protocol); medians of ${rounds} alternating rounds`,
    }));
  } finally {
    await dsp.close();
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runReverseSizeBench()) console.log(JSON.stringify(r));
}
