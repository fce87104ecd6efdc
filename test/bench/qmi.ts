/**
 * qmi.get_buff_addr: RFSA GET_BUFF_ADDR request + response, each encoded to TLV bytes and
 * decoded back, through the generated codecs; reported as time per pair (and pairs/s in
 * the note) so the ratio reads like every other figure: lower is better. Baseline in the same run:
 * JSON.stringify + JSON.parse of the same two value objects (64-bit as strings), i.e. the
 * cheapest general-purpose serialisation the runtime offers.
 */
import { Bench } from 'tinybench';
import { RfsaGetBuffAddrReqMsg, RfsaGetBuffAddrRespMsg } from '../../generated/rfsa.qmi.ts';
import { ratioResult, round, type BenchResult } from './result.ts';

export async function runQmiBench(options: { time?: number } = {}): Promise<BenchResult[]> {
  const req = { clientId: 1, size: 0x200000 };
  const resp = { resp: { result: 0, error: 0 }, address: 0x8e000000n };
  const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  let sink = 0;
  const bench = new Bench({ time: options.time ?? 1000, warmupTime: 200 });
  bench
    .add('tlv', () => {
      const a = RfsaGetBuffAddrReqMsg.decode(RfsaGetBuffAddrReqMsg.encode(req));
      const b = RfsaGetBuffAddrRespMsg.decode(RfsaGetBuffAddrRespMsg.encode(resp));
      sink += a.size + (b.address === undefined ? 0 : 1);
    })
    .add('json', () => {
      const a = JSON.parse(JSON.stringify(req, big)) as { size: number };
      const b = JSON.parse(JSON.stringify(resp, big)) as { address?: string };
      sink += a.size + (b.address === undefined ? 0 : 1);
    });
  await bench.run();
  if (sink === 0) throw new Error('benchmark work was optimised away');
  const hz = (name: string): number => {
    const r = bench.tasks.find((t) => t.name === name)?.result;
    if (!r || !('throughput' in r)) throw new Error(`qmi bench task ${name} did not complete`);
    return r.throughput.mean;
  };
  const ours = hz('tlv');
  const base = hz('json');
  return [
    ratioResult(
      'qmi.get_buff_addr',
      1e9 / ours,
      1e9 / base,
      `GET_BUFF_ADDR req+resp encode+decode (${round(ours, 0)} pairs/s) vs JSON.stringify+parse of the same values`,
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runQmiBench());
}
