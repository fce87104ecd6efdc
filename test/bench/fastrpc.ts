/**
 * FastRPC runtime benchmarks (not tests; `npx tsx test/bench/fastrpc.ts` or `npm run bench`):
 *
 * - call.vs_direct: apps_mem.request_map64 through generated client -> loopback -> generated
 *   skel -> trivial sync implementation, vs awaiting a direct async call of the same
 *   implementation (goal: ratio <= 2).
 * - call.handwritten_vs_direct: the same call marshalled by hand with nothing else, vs the same
 *   direct call: the floor under call.vs_direct.
 * - call.vs_protobuf_es: encode + decode of the request_map64 request and response (stub
 *   encode, skel decode, skel reply encode, stub reply decode) vs @bufbuild/protobuf's
 *   BinaryWriter/BinaryReader on equivalent messages (goal: ratio <= 1/3).
 * - bulk.1MiB_vs_16B: an `in sequence<octet>` call (seqs.write) with 1 MiB vs 16 bytes
 *   (goal: ratio <= 1.5: the payload travels as a view, never copied).
 */
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { AppsMemClient, appsMemDescriptor, createAppsMemSkel, type AppsMem } from '../../generated/apps_mem.ts';
import { SeqsClient, createSeqsSkel, type Seqs } from '../conformance/generated/qaic/seqs.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import { planFor } from '../../runtime/wire/plan.ts';
import { compare } from './measure.ts';
import { comparisonResult, type BenchResult } from './result.ts';

const trivialAppsMem: AppsMem = {
  requestMap: () => ({ vapps: 0, vadsp: 0 }),
  requestUnmap: () => undefined,
  requestMap64: (_heapid, _ionFlags, _rflags, vin, len) => ({ vapps: vin, vadsp: len }),
  requestUnmap64: () => undefined,
  shareMap: () => ({ vapps: 0n, vadsp: 0n }),
  shareUnmap: () => undefined,
  dmaHandleMap: () => undefined,
  dmaHandleUnmap: () => undefined,
};

async function callVsDirect(): Promise<BenchResult> {
  const loop = new LoopbackTransport().register(3, createAppsMemSkel(trivialAppsMem));
  const client = new AppsMemClient(loop, 3);
  const direct = async (h: number, f: number, r: number, vin: bigint, len: bigint): Promise<{ vapps: bigint; vadsp: bigint }> =>
    trivialAppsMem.requestMap64(h, f, r, vin, len) as { vapps: bigint; vadsp: bigint };
  let sink = 0n;
  const c = await compare(
    async () => {
      const r = await client.requestMap64(25, 0, 0x1000, 0x7f000000n, 0x100000n);
      sink += r.vadsp;
    },
    async () => {
      const r = await direct(25, 0, 0x1000, 0x7f000000n, 0x100000n);
      sink += r.vadsp;
    },
  );
  if (sink === 0n) throw new Error('work optimised away');
  return comparisonResult('call.vs_direct', c, 'request_map64 stub->loopback->skel->sync impl vs await of a direct async call');
}

/**
 * The least a byte-exact call can cost: request_map64's primIn written and read back (BigInts
 * for the 64-bit values), the implementation called, primROut written and read back, and a
 * promise resolved, all inline with no checks, no transport and no skel. What call.vs_direct
 * would be with nothing but the marshalling.
 */
async function handwrittenVsDirect(): Promise<BenchResult> {
  const primIn = new DataView(new ArrayBuffer(32));
  const primROut = new DataView(new ArrayBuffer(16));
  const handwritten = (h: number, f: number, r: number, vin: bigint, len: bigint): Promise<{ vapps: bigint; vadsp: bigint }> => {
    primIn.setInt32(0, h, true);
    primIn.setUint32(4, f, true);
    primIn.setUint32(8, r, true);
    primIn.setBigUint64(16, vin, true);
    primIn.setBigInt64(24, len, true);
    const out = trivialAppsMem.requestMap64(
      primIn.getInt32(0, true),
      primIn.getUint32(4, true),
      primIn.getUint32(8, true),
      primIn.getBigUint64(16, true),
      primIn.getBigInt64(24, true),
    ) as { vapps: bigint; vadsp: bigint };
    primROut.setBigUint64(0, out.vapps, true);
    primROut.setBigUint64(8, out.vadsp, true);
    return Promise.resolve({ vapps: primROut.getBigUint64(0, true), vadsp: primROut.getBigUint64(8, true) });
  };
  const direct = async (h: number, f: number, r: number, vin: bigint, len: bigint): Promise<{ vapps: bigint; vadsp: bigint }> =>
    trivialAppsMem.requestMap64(h, f, r, vin, len) as { vapps: bigint; vadsp: bigint };
  let sink = 0n;
  const c = await compare(
    async () => {
      sink += (await handwritten(25, 0, 0x1000, 0x7f000000n, 0x100000n)).vadsp;
    },
    async () => {
      sink += (await direct(25, 0, 0x1000, 0x7f000000n, 0x100000n)).vadsp;
    },
  );
  if (sink === 0n) throw new Error('work optimised away');
  return comparisonResult(
    'call.handwritten_vs_direct',
    c,
    'request_map64 marshalled by hand (primIn and primROut written and read back, no checks, no transport, no skel) vs await of a direct async call',
  );
}

async function codecVsProtobuf(): Promise<BenchResult> {
  const plan = planFor(appsMemDescriptor.methods[2]!);
  const args = [25, 0, 0x1000, 0x7f000000n, 0x100000n];
  const routs = { vapps: 0x7f000000n, vadsp: 0xc0100000n };
  let sink = 0n;
  const c = await compare(
    () => {
      const req = plan.encodeRequest(args, undefined);
      if (typeof req === 'number') throw new Error('encode failed');
      const srv = plan.decodeRequest(req.sc, req.args);
      if (typeof srv === 'number') throw new Error('decode failed');
      plan.encodeResponse(srv, routs);
      sink += plan.decodeResponse(req)['vadsp'] as bigint;
    },
    () => {
      // request: heapid=1 int32, ion_flags=2 uint32, rflags=3 uint32, vin=4 uint64, len=5 int64
      const w = new BinaryWriter();
      w.tag(1, 0).int32(25).tag(2, 0).uint32(0).tag(3, 0).uint32(0x1000).tag(4, 0).uint64(0x7f000000n).tag(5, 0).int64(0x100000n);
      const reqBytes = w.finish();
      const r = new BinaryReader(reqBytes);
      let heapid = 0;
      let ionFlags = 0;
      let rflags = 0;
      let vin = 0n;
      let len = 0n;
      while (r.pos < r.len) {
        const [no] = r.tag();
        if (no === 1) heapid = r.int32();
        else if (no === 2) ionFlags = r.uint32();
        else if (no === 3) rflags = r.uint32();
        else if (no === 4) vin = BigInt(r.uint64());
        else if (no === 5) len = BigInt(r.int64());
        else r.skip(0);
      }
      // response: vapps=1 uint64, vadsp=2 uint64
      const w2 = new BinaryWriter();
      w2.tag(1, 0)
        .uint64(vin)
        .tag(2, 0)
        .uint64(0xc0000000n + len + BigInt(heapid + ionFlags + rflags - 0x1019));
      const r2 = new BinaryReader(w2.finish());
      let vadsp = 0n;
      while (r2.pos < r2.len) {
        const [no] = r2.tag();
        if (no === 1) r2.uint64();
        else if (no === 2) vadsp = BigInt(r2.uint64());
        else r2.skip(0);
      }
      sink += vadsp;
    },
  );
  if (sink === 0n) throw new Error('work optimised away');
  return comparisonResult(
    'call.vs_protobuf_es',
    c,
    'request_map64 request+response encode+decode vs @bufbuild/protobuf BinaryWriter/BinaryReader',
  );
}

async function bulk(): Promise<BenchResult> {
  const impl: Seqs = {
    in1: () => undefined,
    in2: () => undefined,
    in4: () => undefined,
    in8: () => undefined,
    rout1: () => ({ o: new Uint8Array(0), c: new Uint8Array(0), b: [], i8: new Uint8Array(0), u8: new Uint8Array(0) }),
    rout2: () => ({ s: [], us: [], wc: [], i16: [], u16: [] }),
    rout4: () => ({ l: [], ul: [], i32: [], u32: [], f: [] }),
    rout8: () => ({ ll: [], ull: [], i64: [], u64: [], d: [] }),
    inrout1: () => undefined,
    inrout2: () => undefined,
    inrout4: () => undefined,
    inrout8: () => undefined,
    typed: () => ({ reply: new Uint8Array(0), rq: [] }),
    read: () => ({ buf: new Uint8Array(0), got: 0, eof: false }),
    write: (_fd, buf) => ({ written: buf.length }),
  };
  const client = new SeqsClient(new LoopbackTransport().register(7, createSeqsSkel(impl)), 7);
  const big = new Uint8Array(1 << 20).fill(0xa5);
  const small = new Uint8Array(16).fill(0x5a);
  let sink = 0;
  const c = await compare(
    async () => {
      sink += (await client.write(1, big)).written;
    },
    async () => {
      sink += (await client.write(1, small)).written;
    },
  );
  if (sink === 0) throw new Error('work optimised away');
  return comparisonResult('bulk.1MiB_vs_16B', c, 'in-process in sequence<octet> call with 1 MiB vs 16 B (a view, not a copy)');
}

export async function runFastrpcBench(): Promise<BenchResult[]> {
  return [await callVsDirect(), await handwrittenVsDirect(), await codecVsProtobuf(), await bulk()];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runFastrpcBench()) console.log(r);
}
