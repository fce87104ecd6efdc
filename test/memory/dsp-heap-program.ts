/**
 * DSP program for the heap test: `tasks` concurrent tasks each allocate `perTask` blocks of
 * `size` bytes from a DspHeap over apps_mem, then free them all and trim the heap.
 */
import { AppsMemClient } from '../../runtime/interfaces/apps_mem.ts';
import { DspHeap } from '../../runtime/memory/dsp-heap.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export interface HeapProgramArgs {
  readonly tasks: number;
  readonly perTask: number;
  readonly size: number;
}

export default async function heapProgram(env: DspEnv): Promise<{ growths: number; trimmed: number; total: number; addresses: number }> {
  const { tasks, perTask, size } = env.args as HeapProgramArgs;
  const { handle } = await env.open('apps_mem');
  const heap = new DspHeap(new AppsMemClient(env.reverse, handle), {
    initial: { base: 0x1000_0000n, size: 512 * 1024 },
    lowThreshold: 256 * 1024,
    growBytes: 1024 * 1024,
  });
  const got = await Promise.all(
    Array.from({ length: tasks }, async () => {
      const mine: bigint[] = [];
      for (let i = 0; i < perTask; i++) {
        const a = await heap.malloc(size);
        if (a === undefined) throw new Error('malloc failed');
        mine.push(a);
      }
      return mine;
    }),
  );
  const all = got.flat();
  const growths = heap.growths.length;
  const total = heap.totalBytes;
  for (const a of all) heap.free(a);
  const trimmed = await heap.trim();
  await env.close(handle);
  return { growths, trimmed, total, addresses: new Set(all).size };
}
