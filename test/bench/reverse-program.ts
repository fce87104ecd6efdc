/** DSP program of the reverse benchmark: `calls` small reverse calls, timed in the DSP thread. */
import { AeeError } from '../../runtime/rpc/aee-codes.ts';
import { makeScalars } from '../../runtime/rpc/scalars.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export default async function reverseBench(env: DspEnv): Promise<{ nsPerCall: number }> {
  const { calls, warmup } = env.args as { calls: number; warmup: number };
  const { handle } = await env.open('ping');
  const sc = makeScalars(0, 1, 1);
  const input = new Uint8Array(16);
  const out = new Uint8Array(16);
  for (let i = 0; i < warmup; i++) await env.reverse.invoke(handle, sc, [input, out]);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    input[0] = i & 0xff;
    const r = await env.reverse.invoke(handle, sc, [input, out]);
    if (r !== 0 || out[0] !== (i & 0xff)) throw new AeeError(r || -1);
  }
  const ns = Number(process.hrtime.bigint() - t0);
  await env.close(handle);
  return { nsPerCall: ns / calls };
}
