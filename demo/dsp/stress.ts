/**
 * DSP program: a long random mix of apps_mem calls (heap growth and release, HLOS fds, 32-bit
 * variants, deliberate errors), each result checked against a model of what must be mapped.
 */
import { apps_mem_ADSP_MMAP_ADD_PAGES, apps_mem_FASTRPC_ALLOC_HLOS_FD } from '../../generated/apps_mem.ts';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { openAppsMem } from './apps-mem-session.ts';

export interface StressArgs {
  readonly calls: number;
  readonly seed?: number;
  /** Most mappings alive at once. */
  readonly maxLive?: number;
}

export interface StressResult {
  readonly calls: number;
  readonly succeeded: number;
  readonly failedAsExpected: number;
  readonly mismatches: string[];
  readonly nsPerCall: number;
}

interface Live {
  readonly vadsp: bigint;
  readonly len: bigint;
  readonly kind: 'pages' | 'pages32' | 'hlos';
}

/** xorshift32: deterministic, seedable. */
function rng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

export default async function stress(env: DspEnv): Promise<StressResult> {
  const { calls, seed = 1, maxLive = 48 } = env.args as StressArgs;
  const { mem, handle } = await openAppsMem(env);
  const rand = rng(seed);
  const live: Live[] = [];
  const seen = new Set<bigint>();
  const mismatches: string[] = [];
  let succeeded = 0;
  let failedAsExpected = 0;
  let made = 0;

  const expectOk = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    made++;
    try {
      const v = await call();
      succeeded++;
      return v;
    } catch (err) {
      if (mismatches.length < 10) mismatches.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  const expectCode = async (what: string, code: number, call: () => Promise<unknown>): Promise<void> => {
    made++;
    try {
      await call();
      if (mismatches.length < 10) mismatches.push(`${what}: succeeded, expected ${code}`);
    } catch (err) {
      if (err instanceof AeeError && err.code === code) failedAsExpected++;
      else if (mismatches.length < 10) mismatches.push(`${what}: ${String(err)}, expected ${code}`);
    }
  };
  const addLive = (l: Live, what: string) => {
    if (l.kind !== 'hlos' && (l.vadsp === 0n || seen.has(l.vadsp)) && mismatches.length < 10) {
      mismatches.push(`${what}: DSP address 0x${l.vadsp.toString(16)} is zero or already mapped`);
    }
    seen.add(l.vadsp);
    live.push(l);
  };
  const release = async (l: Live) => {
    seen.delete(l.vadsp);
    if (l.kind === 'pages32') await expectOk('request_unmap', () => mem.requestUnmap(Number(l.vadsp), Number(l.len)));
    else await expectOk('request_unmap64', () => mem.requestUnmap64(l.vadsp, l.len));
  };

  const t0 = process.hrtime.bigint();
  while (made < calls) {
    const r = rand();
    const pages = BigInt(1 + Math.floor(rand() * 16)) * 0x1000n;
    if (r < 0.3 && live.length < maxLive) {
      const v = await expectOk('request_map64 ADD_PAGES', () => mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, pages));
      if (v) {
        if (v.vapps !== 0n && mismatches.length < 10) mismatches.push('ADD_PAGES returned a non-zero vapps');
        addLive({ vadsp: v.vadsp, len: pages, kind: 'pages' }, 'request_map64');
      }
    } else if (r < 0.38 && live.length < maxLive) {
      const v = await expectOk('request_map ADD_PAGES', () => mem.requestMap(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0, Number(pages)));
      if (v) addLive({ vadsp: BigInt(v.vadsp), len: pages, kind: 'pages32' }, 'request_map');
    } else if (r < 0.46 && live.length < maxLive) {
      const v = await expectOk('request_map64 ALLOC_HLOS_FD', () => mem.requestMap64(-1, 0, apps_mem_FASTRPC_ALLOC_HLOS_FD, 0n, pages));
      if (v) {
        if (!(v.vadsp > 0n) && mismatches.length < 10) mismatches.push(`ALLOC_HLOS_FD returned fd ${v.vadsp}`);
        addLive({ vadsp: v.vadsp, len: pages, kind: 'hlos' }, 'request_map64 hlos');
      }
    } else if (r < 0.8 && live.length > 0) {
      const [l] = live.splice(Math.floor(rand() * live.length), 1);
      await release(l!);
    } else if (r < 0.88) {
      let bogus = 0xd0000000n + BigInt(Math.floor(rand() * 0x1000)) * 0x1000n;
      while (seen.has(bogus)) bogus += 0x1000n;
      await expectCode('unmap unknown', Aee.ENOSUCHMAP, () => mem.requestUnmap64(bogus, 0x1000n));
    } else if (r < 0.94) {
      await expectCode('negative length', Aee.EBADPARM, () => mem.requestMap64(-1, 0, apps_mem_ADSP_MMAP_ADD_PAGES, 0n, -pages));
    } else {
      await expectCode('share_map fd 0', Aee.EBADPARM, () => mem.shareMap(0, 4096));
    }
  }
  const ns = Number(process.hrtime.bigint() - t0);
  for (const l of live.splice(0)) await release(l);
  await env.close(handle);
  return { calls: made, succeeded, failedAsExpected, mismatches, nsPerCall: ns / Math.max(1, made) };
}
