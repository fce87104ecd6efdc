import { describe, it } from 'vitest';
import fc from 'fast-check';
import { appsMemModel } from './models/apps-mem-model.ts';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';

// Bounded for CI (sequences of <= 8 calls over a fresh 1 MiB system); long runs:
// `npx tsx test/fuzz/memory-models.ts apps-mem --runs N --seed S`.
describe('apps_mem model-based property', () => {
  it(
    'every call returns an allowed AEE code and keeps the invariants',
    () => {
      fc.assert(appsMemModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
});
