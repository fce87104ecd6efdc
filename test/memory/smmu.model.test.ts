import { describe, it } from 'vitest';
import fc from 'fast-check';
import { iovaAllocatorModel, pageTableModel } from './models/smmu-model.ts';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';

// Bounded for CI: 1,000 page-table sequences (<= 6 operations, some over thousands of
// leaves; a few seconds) and 10,000 allocator sequences (<= 12 operations). Long runs:
// `npx tsx test/fuzz/memory-models.ts --runs N --seed S`.
describe('SMMU model-based properties', () => {
  it(
    'page table vs. reference (LPAE and v7s, both unmap modes, TLB-backed accesses)',
    () => {
      fc.assert(pageTableModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
  it(
    'IOVA allocator vs. brute-force top-down reference',
    () => {
      fc.assert(iovaAllocatorModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
});
