/**
 * reverse.loaded_vs_nospin: small reverse calls while every core is busy with other work, with
 * the channel's adaptive wait (poll, then sleep) against the same calls with polling off. On an
 * oversubscribed machine polling only steals time from the other side, so the adaptive wait must
 * stop polling and be no slower than never polling. Runs alternate between the two settings,
 * each in a fresh worker DSP, under the same load; the figure is the median of per-pair ratios.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { echo } from './reverse-inprocess.ts';
import { pairedResult, type BenchResult } from './result.ts';

/** Busy threads, one per core, until `stop` is set. */
function startLoad(threads: number): { stop: () => Promise<void> } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const code = `const { workerData } = require('node:worker_threads');
    const flag = new Int32Array(workerData);
    let x = 0;
    while (Atomics.load(flag, 0) === 0) for (let i = 0; i < 1e5; i++) x = (x * 31 + i) | 0;`;
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true, workerData: flag.buffer }));
  return {
    async stop() {
      Atomics.store(flag, 0, 1);
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
    },
  };
}

async function timedRun(spin: number | undefined, calls: number): Promise<number> {
  const dsp = new DspWorker({
    program: new URL('./reverse-echo-program.ts', import.meta.url),
    args: { warmup: Math.min(2000, calls), calls },
    spin,
  });
  try {
    const exit = await serveReverse(dsp.transport, createReverseTable().register('echo', echo));
    const outcome = await dsp.outcome;
    if (!outcome.ok) throw new Error(`loaded reverse bench DSP failed: ${outcome.error} (listener ${exit.reason} ${exit.code})`);
    return (outcome.value as { ns: number }).ns;
  } finally {
    await dsp.close();
  }
}

export async function runReverseLoadBench(rounds = 9, calls = 3000): Promise<BenchResult[]> {
  const threads = availableParallelism();
  const load = startLoad(threads);
  const adaptive: number[] = [];
  const polling: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternate which setting goes first so drift hits both alike.
      const first = r % 2 === 0;
      const a = first ? await timedRun(undefined, calls) : 0;
      const b = await timedRun(0, calls);
      const a2 = first ? a : await timedRun(undefined, calls);
      adaptive.push(a2);
      polling.push(b);
    }
  } finally {
    await load.stop();
  }
  return [
    pairedResult(
      'reverse.loaded_vs_nospin',
      adaptive,
      polling,
      `worker DSP reverse call, 16 B in/out, with ${threads} busy threads on ${threads} cores: adaptive wait vs polling off (spin 0); medians of ${rounds} alternating runs of ${calls} calls`,
    ),
  ];
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runReverseLoadBench()) console.log(JSON.stringify(r));
}
