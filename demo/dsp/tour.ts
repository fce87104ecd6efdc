/**
 * DSP program of the demo: heap growth, an HLOS fd, then the error paths, on one apps_mem
 * handle. The heap keeps its added pages (as a DSP heap does), so APPS can show them mapped.
 */
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { openAppsMem } from './apps-mem-session.ts';
import { growHeap } from './grow-heap.ts';
import { mapHlosFd } from './map-hlos-fd.ts';
import { misbehave } from './misbehave.ts';
import type { Attempt } from './misbehave.ts';

export interface TourResult {
  /** DSP addresses of the heap chunks added (still mapped). */
  readonly heap: string[];
  readonly hlosFd: number;
  readonly attempts: Attempt[];
}

export default async function tour(env: DspEnv): Promise<TourResult> {
  const { mem, handle } = await openAppsMem(env);
  const added = await growHeap(mem, 3);
  const hlos = await mapHlosFd(mem);
  const attempts = await misbehave(mem);
  await env.close(handle);
  return { heap: added.map((a) => `0x${a.toString(16)}`), hlosFd: hlos.fd, attempts };
}
