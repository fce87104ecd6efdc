/**
 * `npm run bench`: every benchmark, each printed with the baseline it was measured
 * against in this run, and written to test/bench/results.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { BenchResult } from './result.ts';

type Suite = readonly [name: string, load: () => Promise<BenchResult[]>];

const suites: Suite[] = [
  ['fastrpc', async () => (await import('./fastrpc.ts')).runFastrpcBench()],
  ['reverse', async () => (await import('./reverse.ts')).runReverseBench()],
  ['qmi', async () => (await import('./qmi.ts')).runQmiBench()],
  ['smmu', async () => (await import('./smmu.ts')).runSmmuBench()],
  ['startup', async () => (await import('./startup.ts')).runStartupBench()],
];

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results: BenchResult[] = [];
let failures = 0;
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  try {
    for (const r of await run()) {
      results.push(r);
      console.log(
        `${r.id.padEnd(26)} ${String(r.value).padStart(12)} ${r.unit.padEnd(8)} baseline ${String(r.baseline).padStart(12)}  ratio ${r.ratio}${r.note ? `  (${r.note})` : ''}`,
      );
    }
  } catch (err) {
    failures++;
    console.error(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}`;
console.log(`machine: ${machine}`);
// A run of some suites keeps the other suites' latest figures.
const file = new URL('./results.json', import.meta.url);
const kept = only.length > 0 && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult[]) : [];
const ids = new Set(results.map((r) => r.id));
const merged = [...kept.filter((r) => !ids.has(r.id)), ...results];
writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
if (failures > 0) process.exitCode = 1;
