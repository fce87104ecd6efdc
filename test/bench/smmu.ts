/**
 * `smmu.map_unmap`: SMMU map + iova_to_phys + unmap of 4 KiB pages through the public
 * ContextBank API, per page, against a JS Map set + get + delete of the same number of
 * entries measured in the same run (the cheapest possible "page table").
 */
import { Bench } from 'tinybench';
import { ContextBank, IommuProt } from '../../runtime/memory/smmu/index.ts';
import type { BenchResult } from './result.ts';

const PAGES = 512;

function meanNs(bench: Bench, name: string): number {
  const task = bench.tasks.find((t) => t.name === name);
  const r = task?.result;
  if (!r || !('latency' in r)) throw new Error(`benchmark task ${name} did not complete`);
  return r.latency.mean * 1e6;
}

export async function runSmmuBench(time = 500): Promise<BenchResult[]> {
  // Scattered but deterministic page addresses inside a 1 GiB window.
  const iovas: bigint[] = [];
  const pas: bigint[] = [];
  const keys: number[] = [];
  for (let i = 0; i < PAGES; i++) {
    const page = (i * 7919) % 262_144;
    iovas.push(0x4000_0000n + BigInt(page) * 4096n);
    pas.push(0x8000_0000n + BigInt((i * 104_729) % 262_144) * 4096n);
    keys.push(0x4000_0000 / 4096 + page);
  }
  const ctx = new ContextBank({ name: 'bench' });
  const rw = IommuProt.READ | IommuProt.WRITE;
  const table = new Map<number, { pa: number; prot: number }>();
  let sink = 0n;
  let sinkN = 0;

  const bench = new Bench({ time, warmup: true });
  bench.add('smmu', () => {
    for (let i = 0; i < PAGES; i++) ctx.map(iovas[i]!, pas[i]!, 4096, rw);
    for (let i = 0; i < PAGES; i++) sink += ctx.iovaToPhys(iovas[i]! + 123n);
    for (let i = 0; i < PAGES; i++) ctx.unmap(iovas[i]!, 4096);
  });
  bench.add('map', () => {
    for (let i = 0; i < PAGES; i++) table.set(keys[i]!, { pa: Number(pas[i]!), prot: rw });
    for (let i = 0; i < PAGES; i++) sinkN += table.get(keys[i]!)!.pa;
    for (let i = 0; i < PAGES; i++) table.delete(keys[i]!);
  });
  await bench.run();
  if (ctx.pt.leafCount() !== 0 || sink === 0n || sinkN === 0) throw new Error('benchmark did not exercise the table');
  const ours = meanNs(bench, 'smmu') / PAGES;
  const base = meanNs(bench, 'map') / PAGES;
  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  return [
    {
      id: 'smmu.map_unmap',
      value: round(ours),
      unit: 'ns/op',
      baseline: round(base),
      ratio: round(ours / base, 3),
      note: `map+iova_to_phys+unmap of one 4K page (batches of ${PAGES}) vs Map set+get+delete`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runSmmuBench()) console.log(JSON.stringify(r));
}
