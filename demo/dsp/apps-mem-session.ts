/** Opens apps_mem through apps_remotectl and returns the generated stub bound to its handle. */
import { AppsMemClient } from '../../generated/apps_mem.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export async function openAppsMem(env: DspEnv): Promise<{ mem: AppsMemClient; handle: number }> {
  const { handle } = await env.open('apps_mem');
  return { mem: new AppsMemClient(env.reverse, handle), handle };
}
