/**
 * DSP program of the reverse size-scaling benchmark: reverse calls carrying one in buffer of
 * each size, in alternating batches (every size once per round), timed here in the DSP thread.
 */
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export interface ReverseSizeArgs {
  readonly sizes: readonly number[];
  readonly rounds: number;
  /** Calls per batch, per size. */
  readonly batches: readonly number[];
}

export default async function reverseSizeBench(env: DspEnv): Promise<{ ns: number[][] }> {
  const { sizes, rounds, batches } = env.args as ReverseSizeArgs;
  const { handle } = await env.open('sink');
  const sc = makeScalars(0, 1, 0);
  const buffers = sizes.map((n) => new Uint8Array(n).fill(0xa5));
  const ns = sizes.map((): number[] => []);
  for (let r = -1; r < rounds; r++) {
    for (let k = 0; k < sizes.length; k++) {
      // Reverse the order every other round so drift hits every size alike.
      const i = r % 2 === 0 ? k : sizes.length - 1 - k;
      const n = batches[i]!;
      const t0 = process.hrtime.bigint();
      for (let c = 0; c < n; c++) {
        const rc = await env.reverse.invoke(handle, sc, [buffers[i]!]);
        if (rc !== 0) throw new AeeError(rc);
      }
      if (r >= 0) ns[i]!.push(Number(process.hrtime.bigint() - t0) / n);
    }
  }
  await env.close(handle);
  return { ns };
}
