/**
 * `smmu.map_unmap`: SMMU map + iova_to_phys + unmap of 4 KiB pages through the public
 * ContextBank API, per page, against a JS Map set + get + delete of the same number of
 * entries measured in the same run (the cheapest possible "page table").
 */
import { ContextBank, IommuProt } from '../../runtime/memory/smmu/index.ts';
import { compare } from './measure.ts';
import { comparisonResult, type BenchResult } from './result.ts';

const PAGES = 512;

export async function runSmmuBench(): Promise<BenchResult[]> {
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

  const c = await compare(
    () => {
      for (let i = 0; i < PAGES; i++) ctx.map(iovas[i]!, pas[i]!, 4096, rw);
      for (let i = 0; i < PAGES; i++) sink += ctx.iovaToPhys(iovas[i]! + 123n);
      for (let i = 0; i < PAGES; i++) ctx.unmap(iovas[i]!, 4096);
    },
    () => {
      for (let i = 0; i < PAGES; i++) table.set(keys[i]!, { pa: Number(pas[i]!), prot: rw });
      for (let i = 0; i < PAGES; i++) sinkN += table.get(keys[i]!)!.pa;
      for (let i = 0; i < PAGES; i++) table.delete(keys[i]!);
    },
  );
  if (ctx.pt.leafCount() !== 0 || sink === 0n || sinkN === 0) throw new Error('benchmark did not exercise the table');
  const perPage = { ...c, ours: c.ours / PAGES, baseline: c.baseline / PAGES, harnessNs: c.harnessNs / PAGES };
  return [comparisonResult('smmu.map_unmap', perPage, `map+iova_to_phys+unmap of one 4K page (batches of ${PAGES}) vs Map set+get+delete`)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runSmmuBench()) console.log(JSON.stringify(r));
}
