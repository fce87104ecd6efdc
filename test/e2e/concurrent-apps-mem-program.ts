/**
 * DSP program: `tasks` concurrent tasks (DSP threads) each map and unmap `rounds` 64 KiB
 * ADD_PAGES chunks through apps_mem; returns the DSP addresses each task was given.
 */
import { AppsMemClient, apps_mem_ADSP_MMAP_ADD_PAGES } from '../../runtime/interfaces/apps_mem.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export default async function concurrentAppsMem(env: DspEnv): Promise<string[][]> {
  const { tasks, rounds } = env.args as { tasks: number; rounds: number };
  const { handle } = await env.open('apps_mem');
  const mem = new AppsMemClient(env.reverse, handle);
  const given = await Promise.all(
    Array.from({ length: tasks }, async () => {
      const mine: string[] = [];
      for (let r = 0; r < rounds; r++) {
        const { vadsp } = await mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, 0x10000n);
        mine.push(vadsp.toString(16));
        await mem.requestUnmap64(vadsp, 0x10000n);
      }
      return mine;
    }),
  );
  await env.close(handle);
  return given;
}
