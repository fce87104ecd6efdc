/**
 * Model-based property for apps_mem over the whole stack (rpcmem, dma-buf fds, FastRPC
 * kernel, SMMU, simulated DSP): random call sequences with injected failures; a reference
 * predicts which AEE codes each call may return, and every call is checked against the
 * spec's invariants (one record per successful map/unmap, failures change nothing,
 * vapps == 0 iff the kernel allocated, HLOS-fd records carry the fd, and unmapping
 * everything returns every allocator to its initial state).
 */
import fc from 'fast-check';
import { createMemorySystem, type MemorySystem } from '../../../runtime/memory/system.ts';
import { Aee, AeeError } from '../../../runtime/wire/aee-codes.ts';
import type { KernelPersonality } from '../../../runtime/memory/fastrpc-kernel.ts';
import type { AppsMemPd } from '../../../runtime/memory/apps-mem.ts';

const DSP_FAIL = 0x8000_0401;
const OK = 0;

type Inject = 'none' | 'rpcmem' | 'dsp' | 'record';
type Op =
  | { t: 'map'; wide: boolean; rflags: number; len: number; inject: Inject }
  | { t: 'unmap'; pick: number; wrongLen: boolean; stray: boolean; inject: Inject }
  | { t: 'share'; fdPick: number; size: number; inject: Inject }
  | { t: 'dma-map'; fdPick: number; offset: number; size: number }
  | { t: 'dma-unmap'; fdPick: number };

const inject = fc.constantFrom<Inject>('none', 'none', 'none', 'rpcmem', 'dsp', 'record');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('map' as const),
      wide: fc.boolean(),
      rflags: fc.constantFrom(4, 8, 0x1000, 0x3000, 0x10000, 0, 6, 0x2000),
      len: fc.constantFrom(-1, 0, 1, 4096, 0x5000, 0x20000, 6 << 20),
      inject,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('unmap' as const), pick: fc.nat(), wrongLen: fc.boolean(), stray: fc.boolean(), inject }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('share' as const),
      fdPick: fc.nat(2),
      size: fc.constantFrom(0, 0x1000, 0x2000, 0x10000, 0x20000),
      inject,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('dma-map' as const),
      fdPick: fc.nat(2),
      offset: fc.constantFrom(0, 0, 4096),
      size: fc.constantFrom(0x1000, 0x10000, 0x40000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('dma-unmap' as const), fdPick: fc.nat(2) }) },
);

function code(f: () => unknown): number {
  try {
    f();
    return OK;
  } catch (e) {
    if (e instanceof AeeError) return e.code;
    throw e;
  }
}

function snapshot(s: MemorySystem, pool: readonly number[]): string {
  return JSON.stringify(
    {
      records: s.appsMem.list(),
      rpcmem: s.rpcmem.liveCount(),
      fds: s.fds.openFds(),
      refs: pool.map((fd) => s.fds.lookup(fd)?.refCount),
      free: s.phys.freeBytes,
      kmaps: [...s.file.maps, ...s.channel.globalMaps].map((m) => `${m.raddr}:${m.size}:${m.refs}`),
      leaves: s.file.session.pt.leafCount(),
      iova: s.file.session.iova?.allocations().length,
      dsp: s.dsp.mappings().length,
      vm: s.vm.mappingCount(),
      owned: s.ownership.assignedRanges().length,
      fdmaps: s.userMem.mapped(0).map((m) => `${m.fd}:${m.refs}`),
    },
    (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v),
  );
}

function fail(msg: string): never {
  throw new Error(msg);
}

export function appsMemModel(): fc.IPropertyWithHooks<[KernelPersonality, AppsMemPd, Op[]]> {
  return fc.property(
    fc.constantFrom<KernelPersonality>('upstream', 'downstream'),
    fc.record({ unsigned: fc.boolean(), userspaceAllocSupported: fc.boolean(), audioStaticPd: fc.boolean() }),
    fc.array(opArb, { maxLength: 8 }),
    (personality, pd, ops) => {
      const s = createMemorySystem({ personality, pd, banks: [{ base: 0x8000_0000n, size: 1 << 20 }] });
      const pool = [0x2000, 0x10000].map((size) => {
        const buf = s.fds.create(s.heaps.alloc(25, 1, size), (b) => s.heaps.free(b.buffer));
        const fd = s.fds.install(buf);
        buf.put();
        return fd;
      });
      const initial = snapshot(s, pool);
      const initialFree = s.phys.freeBytes;
      const up = personality === 'upstream';
      for (const op of ops) {
        const before = snapshot(s, pool);
        const recordsBefore = s.appsMem.list().length;
        const arm = (i: Inject) => {
          if (i === 'rpcmem') s.rpcmem.failNext = 1;
          if (i === 'dsp') s.dsp.failNext.push({ op: 'mmap', code: DSP_FAIL }, { op: 'munmap', code: DSP_FAIL });
          if (i === 'record') s.appsMem.failRecordAlloc = 1;
        };
        const disarm = () => {
          s.rpcmem.failNext = 0;
          s.dsp.failNext.length = 0;
          s.appsMem.failRecordAlloc = 0;
        };
        let got: number;
        let allowed: number[];
        if (op.t === 'map') {
          const kernelHeap = op.rflags === 4 || op.rflags === 8;
          const addPages = op.rflags === 0x1000 || op.rflags === 0x3000;
          const hlosFd = op.rflags === 0x10000;
          const userAlloc = !kernelHeap && !hlosFd && (!addPages || (pd.unsigned && pd.userspaceAllocSupported));
          const rpcAlloc = hlosFd || userAlloc;
          if (op.len < 0) allowed = [Aee.EBADPARM];
          else if (op.inject === 'record') allowed = [Aee.ENOMEMORY];
          else if (rpcAlloc && (op.inject === 'rpcmem' || op.len === 0)) allowed = [Aee.ENORPCMEMORY];
          else if (hlosFd) allowed = [OK, Aee.ENORPCMEMORY, Aee.EFAILED];
          else if (up && (userAlloc || (op.rflags !== 0x1000 && op.rflags !== 8)))
            allowed = userAlloc ? [Aee.EBADPARM, Aee.ENORPCMEMORY] : [Aee.EBADPARM];
          else if (op.len === 0) allowed = [Aee.EBADPARM];
          else if (op.inject === 'dsp') allowed = [DSP_FAIL, Aee.ENOMEMORY, Aee.ENORPCMEMORY];
          else allowed = [OK, Aee.ENOMEMORY, Aee.ENORPCMEMORY];
          arm(op.inject);
          let out: { vapps: bigint; vadsp: bigint } | undefined;
          got = code(() => {
            if (op.wide) out = s.appsMem.requestMap64(25, 1, op.rflags, 0n, BigInt(op.len));
            else {
              const r = s.appsMem.requestMap(25, 1, op.rflags, 0, op.len);
              out = { vapps: BigInt(r.vapps), vadsp: BigInt(r.vadsp) };
            }
          });
          disarm();
          if (got === OK) {
            const recs = s.appsMem.list();
            if (recs.length !== recordsBefore + 1) fail('successful map did not add exactly one record');
            const rec = recs[recs.length - 1]!;
            const kernelAllocated = kernelHeap || (addPages && !userAlloc);
            if ((rec.vapps === 0n) !== kernelAllocated) fail(`vapps ${rec.vapps} for rflags 0x${op.rflags.toString(16)}`);
            if (rec.size !== op.len || rec.rflags !== op.rflags || rec.mapped) fail('record fields wrong');
            if (op.wide && (out!.vapps !== rec.vapps || out!.vadsp !== rec.vadsp)) fail('outputs differ from the record');
            if (!op.wide && (out!.vapps !== (rec.vapps & 0xffff_ffffn) || out!.vadsp !== (rec.vadsp & 0xffff_ffffn)))
              fail('32-bit outputs not truncated');
            if (hlosFd && (rec.vadsp !== BigInt(s.rpcmem.lookup(rec.vapps)!.fd) || rec.vadsp <= 0n || rec.vadsp > 1024n))
              fail('HLOS fd record does not carry the fd');
          }
        } else if (op.t === 'unmap') {
          const recs = s.appsMem.list();
          const target = !op.stray && recs.length > 0 ? recs[op.pick % recs.length]! : undefined;
          const vadsp = target?.vadsp ?? 0xdead_0000n;
          const first = recs.find((r) => r.vadsp === vadsp);
          const len = BigInt((first?.size ?? 4096) + (op.wrongLen ? 4096 : 0));
          if (!first && !pd.audioStaticPd) allowed = [Aee.ENOSUCHMAP];
          else if (!first) allowed = [OK, Aee.ERPC, Aee.EBADPARM];
          else if (first.rflags === 0x10000) allowed = [OK];
          else {
            const dup = recs.filter((r) => r.vadsp === vadsp).length > 1;
            const lenBad = op.wrongLen;
            if (up) allowed = lenBad ? [Aee.EBADPARM] : op.inject === 'dsp' ? [DSP_FAIL] : [OK];
            else allowed = lenBad || dup ? [Aee.ERPC] : op.inject === 'dsp' ? [DSP_FAIL] : [OK];
          }
          arm(op.inject);
          got = code(() => s.appsMem.requestUnmap64(vadsp, len));
          disarm();
          if (got === OK && first) {
            const after = s.appsMem.list();
            if (after.length !== recordsBefore - 1 || after.includes(first))
              fail('successful unmap did not remove exactly the first matching record');
          }
        } else if (op.t === 'share') {
          const fd = op.fdPick === 2 ? 0 : pool[op.fdPick]!;
          const bufSize = op.fdPick === 2 ? 0 : [0x2000, 0x10000][op.fdPick]!;
          if (fd <= 0) allowed = [Aee.EBADPARM];
          else if (op.inject === 'record') allowed = [Aee.ENOMEMORY];
          else if (op.size <= 0 || op.size > bufSize) allowed = [Aee.ERPC];
          else if (up) allowed = [Aee.EBADPARM];
          // every share_map mmaps afresh, so vaddrin differs and the kernel never dedups it
          else if (op.inject === 'dsp') allowed = [DSP_FAIL, Aee.ENOMEMORY];
          else allowed = [OK, Aee.ENOMEMORY];
          arm(op.inject);
          got = code(() => s.appsMem.shareMap(fd, op.size));
          disarm();
          if (got === OK && s.appsMem.list().length !== recordsBefore + 1) fail('share_map did not add one record');
          if (got === OK && !s.appsMem.list()[recordsBefore]!.mapped) fail('share_map record not marked mapped');
        } else if (op.t === 'dma-map') {
          const fd = op.fdPick === 2 ? 0 : pool[op.fdPick]!;
          const bufSize = op.fdPick === 2 ? 0 : [0x2000, 0x10000][op.fdPick]!;
          const mapped = s.userMem.mapped(0).some((m) => m.fd === fd);
          if (fd <= 0 || op.offset !== 0) allowed = [Aee.EBADPARM];
          else if (mapped) allowed = [Aee.EALREADY];
          else if (op.size > bufSize) allowed = [Aee.EFAILED];
          else allowed = [OK, Aee.EFAILED];
          got = code(() => s.appsMem.dmaHandleMap(fd, op.offset, op.size));
        } else {
          const fd = op.fdPick === 2 ? 0 : pool[op.fdPick]!;
          const mapped = s.userMem.mapped(0).some((m) => m.fd === fd);
          allowed = fd <= 0 ? [Aee.EBADPARM] : mapped ? [OK] : [Aee.ENOSUCHMAP];
          got = code(() => s.appsMem.dmaHandleUnmap(fd, 0x1000));
        }
        if (!allowed.includes(got)) fail(`${JSON.stringify(op)} -> ${got}, expected one of ${allowed.join(', ')}`);
        if (got !== OK && snapshot(s, pool) !== before) fail(`failed ${op.t} changed state:\n${before}\n${snapshot(s, pool)}`);
      }
      // tear down: everything back to the initial state
      for (let guard = 0; s.appsMem.list().length > 0 && guard < 64; guard++) {
        const r = s.appsMem.list()[0]!;
        const dups = s.appsMem.list().filter((x) => x.vadsp === r.vadsp).length;
        if (dups > 1 && !up) {
          // downstream refcounted share maps: drop the extra kernel reference first
          const km = s.file.maps.find((m) => m.raddr === r.vadsp)!;
          km.refs = 1;
        }
        if (code(() => s.appsMem.requestUnmap64(r.vadsp, BigInt(r.size))) !== OK)
          fail(`teardown unmap of 0x${r.vadsp.toString(16)} failed`);
      }
      for (const m of [...s.userMem.mapped(0)]) s.appsMem.dmaHandleUnmap(m.fd, 0x1000);
      if (snapshot(s, pool) !== initial) fail(`not back to the initial state:\n${initial}\n${snapshot(s, pool)}`);
      for (const fd of pool) s.fds.close(fd);
      if (s.phys.freeBytes !== initialFree + 0x12000) fail('pages leaked');
    },
  );
}
