/**
 * DSP program that gets things wrong on purpose, to show the error paths of apps_mem over
 * the reverse transport: each attempt reports the AEE code APPS answered with.
 */
import { apps_mem_ADSP_MMAP_ADD_PAGES } from '../../generated/apps_mem.ts';
import type { AppsMemClient } from '../../generated/apps_mem.ts';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { openAppsMem } from './apps-mem-session.ts';

export interface Attempt {
  readonly what: string;
  /** The status APPS answered (0: the call succeeded). */
  readonly code: number;
  /** The status apps_mem_imp.c gives for this mistake. */
  readonly expected: number;
}

async function attempt(what: string, expected: number, call: () => Promise<unknown>): Promise<Attempt> {
  try {
    await call();
    return { what, code: 0, expected };
  } catch (err) {
    if (err instanceof AeeError) return { what, code: err.code, expected };
    throw err;
  }
}

export async function misbehave(mem: AppsMemClient): Promise<Attempt[]> {
  const out: Attempt[] = [];
  out.push(await attempt('unmap an unknown vadsp', Aee.ENOSUCHMAP, () => mem.requestUnmap64(0xdead0000n, 0x1000n)));
  out.push(await attempt('map a negative length', Aee.EBADPARM, () => mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, -4096n)));
  out.push(await attempt('share_map fd 0', Aee.EBADPARM, () => mem.shareMap(0, 4096)));
  out.push(await attempt('share_map an fd APPS never opened', Aee.ERPC, () => mem.shareMap(4242, 4096)));
  out.push(await attempt('dma_handle_map with size 0', Aee.EBADPARM, () => mem.dmaHandleMap(7, 0, 0)));
  const { vadsp } = await mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, 0x10000n);
  out.push(await attempt('unmap with the wrong size', Aee.ERPC, () => mem.requestUnmap64(vadsp, 0x1000n)));
  out.push(await attempt('unmap with the right size (record kept after the failure)', 0, () => mem.requestUnmap64(vadsp, 0x10000n)));
  out.push(await attempt('unmap the same vadsp twice', Aee.ENOSUCHMAP, () => mem.requestUnmap64(vadsp, 0x10000n)));
  out.push(await attempt('32-bit unmap of an unknown vadsp', Aee.ENOSUCHMAP, () => mem.requestUnmap(0x1234, 16)));
  return out;
}

export default async function main(env: DspEnv): Promise<Attempt[]> {
  const { mem, handle } = await openAppsMem(env);
  const r = await misbehave(mem);
  await env.close(handle);
  return r;
}
