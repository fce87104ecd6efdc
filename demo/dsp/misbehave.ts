/**
 * DSP program that gets things wrong on purpose, to show the error paths of apps_mem over
 * the reverse transport: each attempt reports the AEE code APPS answered with.
 */
import { apps_mem_ADSP_MMAP_ADD_PAGES } from '../../generated/apps_mem.ts';
import type { AppsMemClient } from '../../generated/apps_mem.ts';
import { AeeError } from '../../runtime/rpc/aee-codes.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { openAppsMem } from './apps-mem-session.ts';

export interface Attempt {
  readonly what: string;
  /** 0 when the call unexpectedly succeeded. */
  readonly code: number;
}

async function attempt(what: string, call: () => Promise<unknown>): Promise<Attempt> {
  try {
    await call();
    return { what, code: 0 };
  } catch (err) {
    if (err instanceof AeeError) return { what, code: err.code };
    throw err;
  }
}

export async function misbehave(mem: AppsMemClient): Promise<Attempt[]> {
  const out: Attempt[] = [];
  out.push(await attempt('unmap an unknown vadsp', () => mem.requestUnmap64(0xdead0000n, 0x1000n)));
  out.push(await attempt('map a negative length', () => mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, -4096n)));
  out.push(await attempt('share_map fd 0', () => mem.shareMap(0, 4096)));
  out.push(await attempt('share_map an fd APPS never opened', () => mem.shareMap(4242, 4096)));
  out.push(await attempt('dma_handle_map with size 0', () => mem.dmaHandleMap(7, 0, 0)));
  const { vadsp } = await mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, 0x10000n);
  out.push(await attempt('unmap with the wrong size', () => mem.requestUnmap64(vadsp, 0x1000n)));
  out.push(await attempt('unmap with the right size (record kept after the failure)', () => mem.requestUnmap64(vadsp, 0x10000n)));
  out.push(await attempt('unmap the same vadsp twice', () => mem.requestUnmap64(vadsp, 0x10000n)));
  out.push(await attempt('32-bit unmap of an unknown vadsp', () => mem.requestUnmap(0x1234, 16)));
  return out;
}

export default async function main(env: DspEnv): Promise<Attempt[]> {
  const { mem, handle } = await openAppsMem(env);
  const r = await misbehave(mem);
  await env.close(handle);
  return r;
}
