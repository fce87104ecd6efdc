/**
 * qmi.get_buff_addr: RFSA GET_BUFF_ADDR request + response, each encoded to TLV bytes and
 * decoded back through the generated codecs, against @bufbuild/protobuf's BinaryWriter and
 * BinaryReader on equivalent messages (the request's two uint32 fields; the response's result
 * structure as a nested message and its uint64 address), in the same run.
 */
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { RfsaGetBuffAddrReqMsg, RfsaGetBuffAddrRespMsg } from '../../generated/rfsa.qmi.ts';
import { compare } from './measure.ts';
import { comparisonResult, type BenchResult } from './result.ts';

function protobufPair(clientId: number, size: number, address: bigint): number {
  const req = new BinaryWriter().tag(1, 0).uint32(clientId).tag(2, 0).uint32(size).finish();
  const r = new BinaryReader(req);
  let gotSize = 0;
  while (r.pos < r.len) {
    const [no] = r.tag();
    if (no === 2) gotSize = r.uint32();
    else r.uint32();
  }
  const w = new BinaryWriter();
  w.tag(2, 2).fork().tag(1, 0).uint32(0).tag(2, 0).uint32(0).join();
  const resp = w.tag(16, 0).uint64(address).finish();
  const rr = new BinaryReader(resp);
  let got = 0n;
  while (rr.pos < rr.len) {
    const [no] = rr.tag();
    if (no === 2) rr.bytes();
    else got = BigInt(rr.uint64());
  }
  return gotSize + (got === 0n ? 0 : 1);
}

export async function runQmiBench(): Promise<BenchResult[]> {
  const req = { clientId: 1, size: 0x200000 };
  const resp = { resp: { result: 0, error: 0 }, address: 0x8e000000n };
  let sink = 0;
  const c = await compare(
    () => {
      const a = RfsaGetBuffAddrReqMsg.decode(RfsaGetBuffAddrReqMsg.encode(req));
      const b = RfsaGetBuffAddrRespMsg.decode(RfsaGetBuffAddrRespMsg.encode(resp));
      sink += a.size + (b.address === undefined ? 0 : 1);
    },
    () => {
      sink += protobufPair(req.clientId, req.size, resp.address);
    },
  );
  if (sink === 0) throw new Error('benchmark work was optimised away');
  return [
    comparisonResult('qmi.get_buff_addr', c, 'GET_BUFF_ADDR req+resp TLV encode+decode vs @bufbuild/protobuf on equivalent messages'),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runQmiBench());
}
