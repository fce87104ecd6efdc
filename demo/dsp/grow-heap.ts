/**
 * DSP program: grows the PD's heap the way the DSP runtime does when it runs out of memory,
 * with request_map64(ADD_PAGES), then gives the pages back.
 */
import { apps_mem_ADSP_MMAP_ADD_PAGES } from '../../generated/apps_mem.ts';
import type { AppsMemClient } from '../../generated/apps_mem.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { openAppsMem } from './apps-mem-session.ts';

/** Adds `chunks` chunks of `chunkBytes` to the heap; returns their DSP addresses. */
export async function growHeap(mem: AppsMemClient, chunks = 3, chunkBytes = 0x100000n): Promise<bigint[]> {
  const added: bigint[] = [];
  for (let i = 0; i < chunks; i++) {
    const { vapps, vadsp } = await mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, chunkBytes);
    if (vadsp === 0n) throw new Error('ADD_PAGES returned DSP address 0');
    if (vapps !== 0n) throw new Error('ADD_PAGES memory is allocated by the kernel: vapps must be 0');
    added.push(vadsp);
  }
  return added;
}

export async function shrinkHeap(mem: AppsMemClient, added: readonly bigint[], chunkBytes = 0x100000n): Promise<void> {
  for (const vadsp of added) await mem.requestUnmap64(vadsp, chunkBytes);
}

export default async function main(env: DspEnv): Promise<{ added: string[] }> {
  const { mem, handle } = await openAppsMem(env);
  const added = await growHeap(mem);
  await shrinkHeap(mem, added);
  await env.close(handle);
  return { added: added.map((a) => `0x${a.toString(16)}`) };
}
