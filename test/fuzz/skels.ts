/**
 * Long fuzz run of every generated skel with malformed remote_arg sets:
 * `npx tsx test/fuzz/skels.ts --runs N --seed S` (also `npm run fuzz -- skels`).
 * Prints progress every 100,000 inputs, the verdict counts at the end, and on failure the
 * seed, the fast-check path and the shrunk counterexample; exits 1 then. A watchdog thread
 * kills the process with the same information when one input hangs the event loop.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { aeeName } from '../../runtime/wire/aee-codes.ts';
import { runChecked, SkelContractError } from '../fuzz-skels/check.ts';
import { describeCall, fuzzInputArb } from '../fuzz-skels/inputs.ts';
import { loadSkelFactories, methodTargets } from '../fuzz-skels/targets.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} takes a non-negative integer`);
  return v;
}

const runs = option('--runs', 100_000);
const seed = option('--seed', Date.now() % 2 ** 31);
const HANG_MS = 10_000;

const { factories, problems } = await loadSkelFactories();
if (problems.length > 0) {
  console.error(`skels: ${problems.join('; ')}`);
  process.exit(1);
}
const targets = methodTargets(factories);
console.log(`skels: ${factories.length} skels, ${targets.length} methods, ${runs} runs, seed ${seed}`);

// Heartbeat: [inputs done, ms timestamp of the last one]. The watchdog reads it from its own thread.
const beat = new Int32Array(new SharedArrayBuffer(8));
const watchdog = new Worker(
  `const { workerData } = require('node:worker_threads');
   const { writeSync } = require('node:fs');
   const beat = new Int32Array(workerData.sab);
   setInterval(() => {
     const idle = (Date.now() % 2 ** 31) - Atomics.load(beat, 1);
     if (idle > workerData.hangMs) {
       writeSync(2, 'skels: input ' + Atomics.load(beat, 0) + ' hung for ' + idle + ' ms (seed ' + workerData.seed + '); rerun with --runs ' + (Atomics.load(beat, 0) + 1) + ' --seed ' + workerData.seed + ' to reproduce\\n');
       process.kill(process.pid, 'SIGKILL');
     }
   }, 1000);`,
  { eval: true, workerData: { sab: beat.buffer, hangMs: HANG_MS, seed } },
);
watchdog.unref();

const verdicts = new Map<string, number>();
let done = 0;
let current = '';
const t0 = performance.now();
Atomics.store(beat, 1, Date.now() % 2 ** 31);

try {
  fc.assert(
    fc.property(fuzzInputArb(targets), (input) => {
      Atomics.store(beat, 1, Date.now() % 2 ** 31);
      current = describeCall(input.call);
      const { code, broken, mustFail } = runChecked(input);
      if (broken !== undefined)
        throw new SkelContractError(
          `${input.call.target.factory.desc.name}.${input.call.target.method.name}: ${broken}\n  input: ${current}\n  impl: ${input.impl}, mutations: ${input.mutations.length}`,
        );
      Atomics.store(beat, 0, ++done);
      const kind = input.mutations.length === 0 ? 'valid' : 'mutated';
      const k = `${kind} ${aeeName(code ?? 0)}`;
      verdicts.set(k, (verdicts.get(k) ?? 0) + 1);
      if (mustFail !== undefined) {
        const why = `  model rejects: ${mustFail.replace(/[0-9]+/g, 'N')}`;
        verdicts.set(why, (verdicts.get(why) ?? 0) + 1);
      }
      if (done % 100_000 === 0) console.log(`skels: ${done} inputs, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }),
    { numRuns: runs, seed },
  );
} catch (e) {
  writeSync(2, `skels: FAILED after ${done} inputs, seed ${seed}\n${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const secs = (performance.now() - t0) / 1000;
console.log(`skels: ${done} inputs in ${secs.toFixed(1)} s (${Math.round(done / secs)}/s), 0 failures, seed ${seed}`);
for (const [k, n] of [...verdicts].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(70)} ${n}`);
process.exit(0);
