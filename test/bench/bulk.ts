/**
 * Bulk data across threads: calls from APPS into a module of the worker DSP carrying one in
 * buffer of 16 B to 64 MiB. The 16-byte buffer is ordinary memory and is copied through the
 * channel; the bigger ones live in the DSP worker's shared rpcmem and travel by reference
 * (fd, offset, length) as ION buffers do. Each size's time per call is measured against the
 * 16-byte call in the same rounds; `bulk.worker_1MiB_vs_16B` is the figure with a goal.
 */
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import { SINK_HANDLE } from './bulk-program.ts';
import type { BenchResult } from './result.ts';
import { KiB, MiB, sizeLabel, sizeResults } from './sizes.ts';

const SIZES = [16, 4 * KiB, 64 * KiB, MiB, 64 * MiB];
const CALLS_PER_BATCH = 2000;

export async function runBulkBench(rounds = 7): Promise<BenchResult[]> {
  const dsp = new DspWorker({ program: new URL('./bulk-program.ts', import.meta.url) });
  try {
    const outcome = await dsp.outcome;
    if (!outcome.ok) throw new Error(`bulk bench DSP failed: ${outcome.error}`);
    const buffers = SIZES.map((n, i) => {
      const b = i === 0 ? new Uint8Array(n) : dsp.rpcmem.alloc(n);
      return b.fill(0xa5);
    });
    const sc = makeScalars(0, 1, 0);
    const ns = SIZES.map((): number[] => []);
    for (let r = -1; r < rounds; r++) {
      for (let k = 0; k < SIZES.length; k++) {
        // Reverse the order every other round so drift hits every size alike.
        const i = r % 2 === 0 ? k : SIZES.length - 1 - k;
        const args = [buffers[i]!];
        const t0 = process.hrtime.bigint();
        for (let c = 0; c < CALLS_PER_BATCH; c++) {
          const rc = await dsp.transport.invoke(SINK_HANDLE, sc, args);
          if (rc !== 0) throw new AeeError(rc);
        }
        if (r >= 0) ns[i]!.push(Number(process.hrtime.bigint() - t0) / CALLS_PER_BATCH);
      }
    }
    return sizeResults(SIZES, ns, (size) => ({
      id: `bulk.worker_${sizeLabel(size)}_vs_16B`,
      note: `call into the worker DSP with a ${sizeLabel(size)} in buffer in shared rpcmem (by reference) vs 16 B of ordinary memory (copied); medians of ${rounds} alternating rounds`,
    }));
  } finally {
    await dsp.close();
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runBulkBench()) console.log(JSON.stringify(r));
}
