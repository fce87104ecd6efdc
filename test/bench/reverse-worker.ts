/**
 * Worker entry of the reverse benchmark: a raw Atomics ping-pong (the baseline), then the
 * ordinary DSP worker entry running the benchmark's DSP program, then the ping-pong again
 * once APPS has closed the channel, all in this one thread.
 */
import { workerData } from 'node:worker_threads';
import { waitChangeBlocking } from '../../runtime/transport/shared-channel.ts';

const { args, spin } = workerData as { args: { raw: SharedArrayBuffer; rounds: number }; spin?: number };
const ctrl = new Int32Array(args.raw);

function echo(from: number, rounds: number): void {
  for (let i = from; i < from + rounds; i++) {
    while (!waitChangeBlocking(ctrl, 0, i, 1000, spin));
    Atomics.store(ctrl, 1, i + 1);
    Atomics.notify(ctrl, 1);
  }
}

echo(0, args.rounds);
await import('../../runtime/transport/dsp-worker-entry.ts');
echo(args.rounds, args.rounds);
