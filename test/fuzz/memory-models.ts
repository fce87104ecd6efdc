/**
 * Long runs of the memory model-based properties (the tests run bounded versions):
 *   npx tsx test/fuzz/memory-models.ts --runs 100000 --seed 42 [model...]
 */
import fc from 'fast-check';
import { iovaAllocatorModel, pageTableModel } from '../memory/models/smmu-model.ts';
import { appsMemModel } from '../memory/models/apps-mem-model.ts';
import { blockPoolModel, physModel, rpcmemModel, vcmModel } from '../memory/models/alloc-models.ts';
import { memBufModel } from '../memory/models/mem-buf-model.ts';

interface Outcome {
  readonly failed: boolean;
  readonly numRuns: number;
  readonly report: string | undefined;
}
type Runner = (params: fc.Parameters<unknown>) => Outcome;

function runner<T>(make: () => fc.IProperty<T>): Runner {
  return (params) => {
    const r = fc.check(make(), params as fc.Parameters<T>);
    return { failed: r.failed, numRuns: r.numRuns, report: `${fc.defaultReportMessage(r) ?? ''}\n${String(r.errorInstance)}` };
  };
}

const MODELS: Record<string, Runner> = {
  'page-table': runner(pageTableModel),
  'iova-allocator': runner(iovaAllocatorModel),
  'apps-mem': runner(appsMemModel),
  phys: runner(physModel),
  rpcmem: runner(rpcmemModel),
  'mem-buf': runner(memBufModel),
  'vcm-pools': runner(blockPoolModel),
  vcm: runner(vcmModel),
};

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(option('--runs') ?? '10000');
const seed = Number(option('--seed') ?? String(Date.now() % 2 ** 31));
const named = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !['--runs', '--seed'].includes(all[i - 1] ?? ''));
const chosen = named.length > 0 ? named : Object.keys(MODELS);

let failed = 0;
for (const name of chosen) {
  const run = MODELS[name];
  if (!run) {
    console.error(`unknown model ${name} (known: ${Object.keys(MODELS).join(', ')})`);
    failed++;
    continue;
  }
  const t0 = performance.now();
  const r = run({ numRuns: runs, seed });
  const ms = Math.round(performance.now() - t0);
  if (r.failed) {
    failed++;
    console.error(`${name}: FAILED after ${r.numRuns} runs (seed ${seed}, ${ms} ms)\n${r.report ?? ''}`);
  } else {
    console.log(`${name}: ${r.numRuns} sequences ok (seed ${seed}, ${ms} ms)`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
