/**
 * DSP program of the loaded reverse benchmark: `warmup` then `calls` small reverse calls to
 * APPS's echo module; returns the time per call of the timed ones, measured in this thread.
 */
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export interface ReverseEchoArgs {
  readonly warmup: number;
  readonly calls: number;
}

export default async function reverseEcho(env: DspEnv): Promise<{ ns: number }> {
  const { warmup, calls } = env.args as ReverseEchoArgs;
  const { handle } = await env.open('echo');
  const sc = makeScalars(0, 1, 1);
  const input = new Uint8Array(16);
  const out = new Uint8Array(16);
  let t0 = 0n;
  for (let i = -warmup; i < calls; i++) {
    if (i === 0) t0 = process.hrtime.bigint();
    input[0] = i & 0xff;
    const r = await env.reverse.invoke(handle, sc, [input, out]);
    if (r !== 0 || out[0] !== (i & 0xff)) throw new AeeError(r || -1);
  }
  const ns = Number(process.hrtime.bigint() - t0) / calls;
  await env.close(handle);
  return { ns };
}
