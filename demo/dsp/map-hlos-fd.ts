/**
 * DSP program: asks APPS for an HLOS dma-buf (FASTRPC_ALLOC_HLOS_FD: the fd comes back as
 * vadsp), maps that fd onto the DSP with share_map, then unmaps both.
 */
import { apps_mem_FASTRPC_ALLOC_HLOS_FD } from '../../generated/apps_mem.ts';
import type { AppsMemClient } from '../../generated/apps_mem.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { openAppsMem } from './apps-mem-session.ts';

export interface HlosFdResult {
  readonly fd: number;
  readonly vapps: bigint;
  readonly shared: { vapps: bigint; vadsp: bigint };
}

export async function mapHlosFd(mem: AppsMemClient, bytes = 0x10000): Promise<HlosFdResult> {
  const alloc = await mem.requestMap64(-1, 0, apps_mem_FASTRPC_ALLOC_HLOS_FD, 0n, BigInt(bytes));
  const fd = Number(alloc.vadsp);
  if (!(fd > 0)) throw new Error(`ALLOC_HLOS_FD returned fd ${fd}`);
  const shared = await mem.shareMap(fd, bytes);
  await mem.shareUnmap(shared.vadsp, bytes);
  await mem.requestUnmap64(BigInt(fd), BigInt(bytes));
  return { fd, vapps: alloc.vapps, shared };
}

export default async function main(env: DspEnv): Promise<{ fd: number }> {
  const { mem, handle } = await openAppsMem(env);
  const r = await mapHlosFd(mem);
  await env.close(handle);
  return { fd: r.fd };
}
