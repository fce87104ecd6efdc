/**
 * DSP program of the reverse benchmark. It alternates batches: first it asks APPS (reverse
 * method 1) for a raw ping-pong batch and echoes those pings with Atomics.wait/notify in this
 * thread, then it times a batch of small reverse calls (method 0). Alternating keeps both
 * figures under the same machine conditions.
 */
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { SpinBudget, waitChangeBlocking } from '../../runtime/transport/shared-channel.ts';

export interface ReverseBenchArgs {
  readonly raw: SharedArrayBuffer;
  readonly batches: number;
  readonly batch: number;
  readonly spin?: number;
}

export default async function reverseBench(env: DspEnv): Promise<{ reverseNs: number[] }> {
  const { raw, batches, batch, spin } = env.args as ReverseBenchArgs;
  const ctrl = new Int32Array(raw);
  const { handle } = await env.open('ping');
  const call = makeScalars(0, 1, 1);
  const startRaw = makeScalars(1, 1, 0);
  const input = new Uint8Array(16);
  const out = new Uint8Array(16);
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, batch, true);
  const budget = new SpinBudget(spin);
  let seq = 0;
  const reverseNs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const r0 = await env.reverse.invoke(handle, startRaw, [count]);
    if (r0 !== 0) throw new AeeError(r0);
    for (let i = 0; i < batch; i++, seq++) {
      while (!waitChangeBlocking(ctrl, 0, seq, 1000, budget));
      Atomics.store(ctrl, 1, seq + 1);
      Atomics.notify(ctrl, 1);
    }
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      input[0] = i & 0xff;
      const r = await env.reverse.invoke(handle, call, [input, out]);
      if (r !== 0 || out[0] !== (i & 0xff)) throw new AeeError(r || -1);
    }
    reverseNs.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  await env.close(handle);
  return { reverseNs };
}
