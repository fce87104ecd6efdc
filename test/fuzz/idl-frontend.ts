/**
 * Long fuzz run of the QAIC front end on mutated IDL inputs:
 *   npx tsx test/fuzz/idl-frontend.ts --runs 100000 --seed 42
 * Exits 1 and prints the shrunk counterexample when an input crashes the front end.
 */
import fc from 'fast-check';
import { frontEndSurvives, mutatedIdl } from './idl-mutations.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) ? v : fallback;
}

const runs = arg('runs', 100_000);
const seed = arg('seed', Date.now() % 2 ** 31);
const started = performance.now();
const result = fc.check(
  fc.property(mutatedIdl, (t) => frontEndSurvives(t)),
  { numRuns: runs, seed },
);
const secs = ((performance.now() - started) / 1000).toFixed(1);
if (result.failed) {
  console.error(`FAILED after ${result.numRuns} runs (seed ${seed}, path ${result.counterexamplePath ?? ''}) in ${secs}s`);
  console.error(JSON.stringify(result.counterexample?.[0]));
  console.error(result.errorInstance);
  process.exit(1);
}
console.log(`${result.numRuns} mutated inputs, no crash (seed ${seed}, ${secs}s)`);
