/**
 * Operation sequences per component in the test run: 10,000 each, so every model's
 * invariants hold over that many random sequences on every CI run. MODEL_RUNS overrides it
 * for a quick local run; long runs use test/fuzz/memory-models.ts.
 */
export const MODEL_RUNS = Number(process.env['MODEL_RUNS'] ?? 10_000);

/** Room for the largest model (rpcmem) on a loaded 2-core machine. */
export const MODEL_TIMEOUT_MS = 300_000;
