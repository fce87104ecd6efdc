/**
 * reverse.vs_atomics: a small reverse call (DSP worker -> adsp_listener.next2 over the shared
 * channel -> APPS listener -> handle table -> skel and back; next2 as whole frames)
 * against a raw Atomics.wait/notify ping-pong between the same two threads with the same wait
 * strategy. The two alternate in batches in one run; each figure is the median over batches.
 */
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { SpinBudget, waitChangeBriefly, waitChangeEventLoop } from '../../runtime/transport/shared-channel.ts';
import { median } from './measure.ts';
import { round } from './result.ts';
import type { BenchResult } from './result.ts';

export async function runReverseBench(options: { batches?: number; batch?: number; spin?: number } = {}): Promise<BenchResult[]> {
  const batches = options.batches ?? 21;
  const batch = options.batch ?? 5000;
  const raw = new SharedArrayBuffer(16);
  const ctrl = new Int32Array(raw);
  const rawNs: number[] = [];
  let seq = 0;

  // APPS answers the DSP's raw-batch request by pinging it `n` times once the reply is out.
  // It waits exactly as SharedChannelClient does: briefly (poll, short sleep), then through
  // the event loop; and it keeps a Promise per round trip only when it has to.
  const budget = new SpinBudget(options.spin);
  const pingPong = async (n: number): Promise<void> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++, seq++) {
      Atomics.store(ctrl, 0, seq + 1);
      Atomics.notify(ctrl, 0);
      if (!waitChangeBriefly(ctrl, 1, seq, budget)) await waitChangeEventLoop(ctrl, 1, seq, Number.POSITIVE_INFINITY, () => false);
    }
    rawNs.push(Number(process.hrtime.bigint() - t0) / n);
  };
  let pinging: Promise<void> = Promise.resolve();
  const pingSkel: SkelInvoke = (_h, sc, args) => {
    const a = args[0];
    if (!isBuffer(a)) return 14;
    if (((sc >>> 24) & 31) === 1) {
      const n = new DataView(a.buffer, a.byteOffset).getUint32(0, true);
      pinging = new Promise<void>((resolve) => setImmediate(() => void pingPong(n).then(resolve)));
      return 0;
    }
    const b = args[1];
    if (!isBuffer(b)) return 14;
    b.set(a.subarray(0, b.length));
    return 0;
  };

  const dsp = new DspWorker({
    program: new URL('./reverse-program.ts', import.meta.url),
    args: { raw, batches, batch, spin: options.spin },
    spin: options.spin,
  });
  try {
    const exit = await serveReverse(dsp.transport, createReverseTable().register('ping', pingSkel));
    await pinging;
    const outcome = await dsp.outcome;
    if (!outcome.ok) throw new Error(`reverse bench DSP failed: ${outcome.error} (listener ${exit.reason} ${exit.code})`);
    // The first batch of each kind warms up the JIT.
    const reverseNs = (outcome.value as { reverseNs: number[] }).reverseNs.slice(1);
    const reverse = median(reverseNs);
    const baseline = median(rawNs.slice(1));
    const ratios = reverseNs.map((v, i) => v / rawNs[i + 1]!);
    return [
      {
        id: 'reverse.vs_atomics',
        value: round(reverse),
        unit: 'ns/op',
        baseline: round(baseline),
        ratio: round(median(ratios), 3),
        spread: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
        rounds: ratios.length,
        note:
          `worker DSP reverse call, 16 B in/out, through the listener protocol (next2 as whole frames) and the handle table; ${round(1e9 / reverse, 0)} calls/s; ` +
          `vs raw Atomics ping-pong between the same threads; medians of ${batches - 1} alternating batches of ${batch}`,
      },
    ];
  } finally {
    await dsp.close();
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runReverseBench()) console.log(JSON.stringify(r));
}
