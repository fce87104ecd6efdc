/**
 * reverse.in_process: CPU cost of one small reverse call with both ends in this thread
 * (DSP stub -> ReverseCallQueue -> generated adsp_listener skel over the loopback ->
 * generated stub -> APPS listener -> handle table -> skel and back). No thread hand-off, so
 * this is the per-call work the cross-thread figure adds to the raw ping-pong.
 * Run alone with `npx tsx test/bench/reverse-inprocess.ts [calls]` (e.g. under --cpu-prof).
 */
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { createReverseTable, runInProcess } from '../../runtime/transport/reverse-session.ts';

/** APPS module of the reverse benchmarks: copies its in buffer into its out buffer. */
export const echo: SkelInvoke = (_h, _sc, args) => {
  const a = args[0];
  const b = args[1];
  if (!isBuffer(a) || !isBuffer(b)) return 14;
  b.set(a.subarray(0, b.length));
  return 0;
};

/** Median CPU ns per in-process reverse call over `rounds` rounds of `calls` calls (first round warms up). */
export async function runInProcessReverse(calls = 20000, rounds = 9): Promise<{ min: number; median: number }> {
  const program = async (env: DspEnv): Promise<number[]> => {
    const { handle } = await env.open('echo');
    const sc = makeScalars(0, 1, 1);
    const input = new Uint8Array(16);
    const out = new Uint8Array(16);
    const ns: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // CPU time, not wall time: on a shared machine it is the figure that does not depend on load.
      const t0 = process.cpuUsage();
      for (let i = 0; i < calls; i++) {
        input[0] = i & 0xff;
        const st = await env.reverse.invoke(handle, sc, [input, out]);
        if (st !== 0 || out[0] !== (i & 0xff)) throw new AeeError(st || -1);
      }
      const t = process.cpuUsage(t0);
      ns.push(((t.user + t.system) * 1000) / calls);
    }
    await env.close(handle);
    return ns;
  };
  const { value } = await runInProcess(program, createReverseTable().register('echo', echo));
  const ns = (value as number[]).slice(1).sort((a, b) => a - b);
  return { min: ns[0]!, median: ns[ns.length >> 1]! };
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const { min, median } = await runInProcessReverse(Number(process.argv[2] ?? 20000));
  const load = (await import('node:os')).loadavg()[0]!;
  console.log(
    JSON.stringify({ id: 'reverse.in_process', min: Math.round(min), median: Math.round(median), unit: 'cpu ns/call', loadavg: load }),
  );
}
