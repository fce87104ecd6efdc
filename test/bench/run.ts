/**
 * `npm run bench [suite...]`: every benchmark, each printed with the baseline it was measured
 * against in this run, written to test/bench/results.json with the machine, its load and the
 * date, and the README's performance table regenerated from that file (test/bench/table.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchResult } from './result.ts';
import { writeReadmeTable, type BenchFile, type Machine } from './table.ts';

type Suite = readonly [name: string, load: () => Promise<BenchResult[]>];

const suites: Suite[] = [
  ['fastrpc', async () => (await import('./fastrpc.ts')).runFastrpcBench()],
  ['reverse', async () => (await import('./reverse.ts')).runReverseBench()],
  ['qmi', async () => (await import('./qmi.ts')).runQmiBench()],
  ['smmu', async () => (await import('./smmu.ts')).runSmmuBench()],
  ['startup', async () => (await import('./startup.ts')).runStartupBench()],
  ['scaling', async () => (await import('./scaling.ts')).runScalingBench()],
  ['bulk', async () => (await import('./bulk.ts')).runBulkBench()],
  ['reverse-size', async () => (await import('./reverse-size.ts')).runReverseSizeBench()],
  ['reverse-load', async () => (await import('./reverse-load.ts')).runReverseLoadBench()],
];

const load = (): number => Math.round((loadavg()[0] ?? 0) * 100) / 100;
const loadBefore = load();

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results: BenchResult[] = [];
let failures = 0;
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  try {
    for (const r of await run()) {
      results.push(r);
      console.log(
        `${r.id.padEnd(26)} ${String(r.value).padStart(12)} ${r.unit.padEnd(8)} baseline ${String(r.baseline).padStart(12)}  ratio ${r.ratio}${r.spread ? ` [${r.spread.join(' .. ')}]` : ''}${r.note ? `  (${r.note})` : ''}`,
      );
    }
  } catch (err) {
    failures++;
    console.error(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

const machine: Machine = {
  cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.versions.node,
  platform: `${process.platform} ${process.arch}`,
  loadAverage: [loadBefore, load()],
  date: new Date().toISOString(),
};
console.log(`machine: ${machine.cores} x ${machine.cpu}, Node ${machine.node}, load average ${machine.loadAverage.join(' -> ')}`);
// A run of some suites keeps the other suites' latest figures (each result carries its own date).
const file = new URL('./results.json', import.meta.url);
const previous = only.length > 0 && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchFile) : undefined;
const stamped = results.map((r) => ({ ...r, machine }));
const ids = new Set(results.map((r) => r.id));
const merged: BenchFile = { results: [...(previous?.results.filter((r) => !ids.has(r.id)) ?? []), ...stamped] };
writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
writeReadmeTable(merged);
if (failures > 0) process.exitCode = 1;
