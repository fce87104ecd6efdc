/**
 * Operation sequences per model in `npm test`: enough to exercise every operation and
 * refusal of each component on every run while keeping each test file well under 30 s of
 * CPU on a 2-core machine. The 10,000-sequence runs live in `npm run fuzz -- memory-models`
 * (test/fuzz/memory-models.ts); MODEL_RUNS overrides the count here for a longer local run.
 */
export const MODEL_RUNS = Number(process.env['MODEL_RUNS'] ?? 400);

/** A hang guard only: no assertion depends on how fast the sequences run. */
export const MODEL_TIMEOUT_MS = 300_000;
