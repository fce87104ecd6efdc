/**
 * Worker entry of the reverse benchmark: first the raw Atomics ping-pong (the baseline), then
 * the ordinary DSP worker entry running the benchmark's DSP program, in the same thread.
 */
import { workerData } from 'node:worker_threads';
import { waitChangeBlocking } from '../../runtime/transport/shared-channel.ts';

const { args, spin } = workerData as { args: { raw: SharedArrayBuffer; rounds: number }; spin?: number };
const ctrl = new Int32Array(args.raw);
for (let i = 0; i < args.rounds; i++) {
  while (!waitChangeBlocking(ctrl, 0, i, 1000, spin));
  Atomics.store(ctrl, 1, i + 1);
  Atomics.notify(ctrl, 1);
}
await import('../../runtime/transport/dsp-worker-entry.ts');
