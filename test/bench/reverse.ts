/**
 * reverse.vs_atomics: a small reverse call (DSP worker -> APPS listener -> handle table -> skel
 * and back) against a raw Atomics.wait/notify ping-pong between the same two threads, measured
 * in the same run with the same wait strategy on both sides.
 */
import { isBuffer } from '../../runtime/rpc/remote-arg.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { waitChangeAsync } from '../../runtime/transport/shared-channel.ts';
import { ratioResult, round } from './result.ts';
import type { BenchResult } from './result.ts';

/** 16 bytes in, the same 16 bytes out. */
const pingSkel: SkelInvoke = (_h, _sc, args) => {
  const a = args[0];
  const b = args[1];
  if (!isBuffer(a) || !isBuffer(b)) return 14;
  b.set(a.subarray(0, b.length));
  return 0;
};

export async function runReverseBench(options: { rounds?: number; calls?: number } = {}): Promise<BenchResult[]> {
  const rounds = options.rounds ?? 100_000;
  const calls = options.calls ?? 100_000;
  const raw = new SharedArrayBuffer(16);
  const ctrl = new Int32Array(raw);
  const dsp = new DspWorker({
    program: new URL('./reverse-program.ts', import.meta.url),
    entry: new URL('./reverse-worker.ts', import.meta.url),
    args: { raw, rounds, calls, warmup: Math.min(5000, calls) },
  });
  // The worker answers each ping with a pong; APPS waits exactly as the transport does.
  const pingPong = async (from: number): Promise<number> => {
    const warm = Math.min(5000, rounds >> 2);
    let t0 = 0n;
    for (let i = from; i < from + rounds; i++) {
      if (i === from + warm) t0 = process.hrtime.bigint();
      Atomics.store(ctrl, 0, i + 1);
      Atomics.notify(ctrl, 0);
      await waitChangeAsync(ctrl, 1, i, Number.POSITIVE_INFINITY, () => false);
    }
    return Number(process.hrtime.bigint() - t0) / (rounds - warm);
  };
  try {
    const rawBefore = await pingPong(0);
    const table = createReverseTable().register('ping', pingSkel);
    const exit = await serveReverse(dsp.transport, table);
    const outcome = await dsp.outcome;
    if (!outcome.ok) throw new Error(`reverse bench DSP failed: ${outcome.error} (listener ${exit.reason} ${exit.code})`);
    dsp.channel.close();
    const rawAfter = await pingPong(rounds);
    // The faster of the two raw runs is the baseline (the conservative choice for the ratio).
    const rawNs = Math.min(rawBefore, rawAfter);
    const { nsPerCall } = outcome.value as { nsPerCall: number };
    return [
      ratioResult(
        'reverse.vs_atomics',
        nsPerCall,
        rawNs,
        `worker DSP reverse call (16 B in/out, generated adsp_listener/apps_remotectl) vs raw Atomics ping-pong between the same threads; ${round(1e9 / nsPerCall, 0)} calls/s; raw runs ${round(rawBefore)} / ${round(rawAfter)} ns`,
      ),
    ];
  } finally {
    await dsp.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runReverseBench()) console.log(JSON.stringify(r));
}
