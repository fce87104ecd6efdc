/**
 * Model-based properties for the allocators: physical pages, heaps + dma-buf fds +
 * rpcmem, and VCM's block pools and lifecycle.
 */
import fc from 'fast-check';
import { PhysicalMemory } from '../../../runtime/memory/phys.ts';
import { KernelError } from '../../../runtime/memory/errno.ts';
import { MemoryOwnership } from '../../../runtime/memory/ownership.ts';
import { HeapId, HeapRegistry } from '../../../runtime/memory/heaps.ts';
import { DmaBufTable } from '../../../runtime/memory/dmabuf.ts';
import { AppsAddressSpace } from '../../../runtime/memory/apps-vm.ts';
import { RpcMem } from '../../../runtime/memory/rpcmem.ts';
import {
  BlockPoolAllocator,
  VcmAttr,
  VcmManager,
  type Avcm,
  type PhysMem,
  type Reservation,
  type Vcm,
} from '../../../runtime/memory/vcm/index.ts';
import { IommuProt } from '../../../runtime/memory/smmu/index.ts';
import { MsmSmmuDriver } from '../../../runtime/memory/vcm/msm-smmu.ts';
import type { ContextBank } from '../../../runtime/memory/smmu/context.ts';
import { check, same } from './check.ts';

const M = 1 << 20;

/** Physical pages: allocations disjoint, aligned, accounted; freeing all restores the free list. */
export function physModel() {
  return fc.property(
    fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 300_000 }), fc.constantFrom(4096, 65536, M), fc.nat()), { maxLength: 20 }),
    (ops) => {
      const mem = new PhysicalMemory({
        banks: [
          { base: 0x8000_0000n, size: 2 * M },
          { base: 0x9000_0000n, size: M },
        ],
      });
      const initial = mem.freeRuns();
      const live: bigint[] = [];
      for (const [contig, size, align, pick] of ops) {
        if (live.length > 0 && pick % 3 === 0) {
          mem.free(live.splice(pick % live.length, 1)[0]!);
          continue;
        }
        const before = mem.freeBytes;
        try {
          const a = contig ? mem.allocContiguous(size, align) : mem.allocScattered(size);
          if (contig) check(a.pa % BigInt(align) === 0n, 'contiguous allocation misaligned');
          check(mem.freeBytes === before - a.size, 'free bytes not reduced by the allocation');
          live.push(a.pa);
        } catch (e) {
          check(e instanceof KernelError, `unexpected ${String(e)}`);
          check(mem.freeBytes === before, 'failed allocation changed the free bytes');
        }
        const ranges = mem
          .liveAllocations()
          .flatMap((a) => a.chunks)
          .map((c) => [Number(c.pa), Number(c.pa) + c.size] as const);
        ranges.sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < ranges.length; i++) check(ranges[i]![0] >= ranges[i - 1]![1], 'allocations overlap');
      }
      for (const pa of live) mem.free(pa);
      same(mem.freeRuns(), initial, 'free list not restored');
    },
  );
}

/** rpcmem over heaps and the fd table: no page or fd leaks whatever the order of frees. */
export function rpcmemModel() {
  return fc.property(fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 3 * M }), fc.nat()), { maxLength: 15 }), (ops) => {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 4 * M });
    const own = new MemoryOwnership();
    const heaps = new HeapRegistry(phys, own);
    const fds = new DmaBufTable();
    const rpcmem = new RpcMem(heaps, fds, new AppsAddressSpace(phys, own));
    const initial = phys.freeBytes;
    const live: bigint[] = [];
    const dups: number[] = [];
    for (const [op, size, pick] of ops) {
      if (op === 0 || live.length === 0) {
        const before = phys.freeBytes;
        const r = rpcmem.alloc(pick % 2 ? HeapId.CONTIG : -1, 0, size);
        if (r) live.push(r.va);
        else check(phys.freeBytes === before, 'failed rpcmem_alloc kept pages');
      } else if (op === 1) rpcmem.free(live.splice(pick % live.length, 1)[0]!);
      else if (op === 2) dups.push(fds.dup(rpcmem.lookup(live[pick % live.length]!)!.fd));
      else if (dups.length > 0) fds.close(dups.splice(pick % dups.length, 1)[0]!);
    }
    for (const va of live) rpcmem.free(va);
    for (const fd of dups) fds.close(fd);
    same(fds.openFds(), [], 'fds left open');
    check(phys.freeBytes === initial, 'pages leaked');
  });
}

/** VCM block pools: per pool free + held == initial, sizes cover len, failures take nothing. */
export function blockPoolModel() {
  // a quarter of the RFC layout (4 x 1M, 32 x 64K, 512 x 4K) keeps each run cheap
  const pools = {
    pools: [
      { size: M, count: 4 },
      { size: 64 * 1024, count: 32 },
      { size: 4096, count: 512 },
    ],
  };
  return fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 4 * M }), fc.nat()), { maxLength: 20 }), (ops) => {
    const pool = new BlockPoolAllocator(new PhysicalMemory({ base: 0x1000_0000n, size: 8 * M }), pools);
    const live: { pa: bigint; size: number }[][] = [];
    for (const [alloc, len, pick] of ops) {
      if (!alloc && live.length) pool.free(live.splice(pick % live.length, 1)[0]!);
      else {
        const before = [...pool.freeCounts()];
        const r = pool.alloc(len);
        if (r) {
          check(r.reduce((n, b) => n + b.size, 0) === Math.ceil(len / 4096) * 4096, 'blocks do not cover len rounded to 4K');
          live.push(r);
        } else same([...pool.freeCounts()], before, 'failed alloc took blocks');
      }
      const held = new Map<number, number>();
      for (const l of live) for (const b of l) held.set(b.size, (held.get(b.size) ?? 0) + 1);
      for (const [size, n] of pool.initialCounts())
        check((pool.freeCounts().get(size) ?? 0) + (held.get(size) ?? 0) === n, `pool ${size} lost blocks`);
    }
  });
}

type VcmOp =
  | { t: 'assoc'; ctx: number }
  | { t: 'activate' | 'deactivate' | 'deassoc'; pick: number }
  | { t: 'reserve'; len: number; policy: number }
  | { t: 'unreserve'; pick: number }
  | { t: 'phys'; len: number }
  | { t: 'physfree'; pick: number }
  | { t: 'back'; res: number; pm: number }
  | { t: 'unback'; pick: number };

/**
 * VCM lifecycle: reservations never overlap (slack included); back succeeds only with
 * equal lengths, a cache policy the SMMU knows and every association active, puts that policy
 * on the leaves, and otherwise changes no SMMU state;
 * deassoc/free are refused while active / while reservations exist.
 */
export function vcmModel() {
  const len = fc.constantFrom(4096, 5000, 64 * 1024, 100 * 1024, M, M + 4096, 3 * M);
  const op: fc.Arbitrary<VcmOp> = fc.oneof(
    fc.record({ t: fc.constant('assoc' as const), ctx: fc.nat(2) }),
    fc.record({ t: fc.constantFrom('activate' as const, 'deactivate' as const, 'deassoc' as const), pick: fc.nat() }),
    // Cache policies 0..3 are the SMMU's; 4 and 15 are not, and make back fail.
    fc.record({ t: fc.constant('reserve' as const), len, policy: fc.constantFrom(0, 1, 2, 3, 4, 15) }),
    fc.record({ t: fc.constant('unreserve' as const), pick: fc.nat() }),
    fc.record({ t: fc.constant('phys' as const), len }),
    fc.record({ t: fc.constant('physfree' as const), pick: fc.nat() }),
    fc.record({ t: fc.constant('back' as const), res: fc.nat(), pm: fc.nat() }),
    fc.record({ t: fc.constant('unback' as const), pick: fc.nat() }),
  );
  return fc.property(fc.array(op, { maxLength: 14 }), (ops) => {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 10 * M });
    const mgr = new VcmManager(phys, {
      pools: {
        pools: [
          { size: M, count: 4 },
          { size: 64 * 1024, count: 32 },
          { size: 4096, count: 512 },
        ],
      },
      contiguousSize: 2 * M,
    });
    const smmu = MsmSmmuDriver.fromTree({ smmu0: ['a', 'b', 'c'] }, phys);
    const ctxs = ['a', 'b', 'c'].map((n) => smmu.lookup(n)!);
    const vcm: Vcm = mgr.create(0x1000_0000, 16 * M)!;
    const assocs: Avcm[] = [];
    const res: Reservation[] = [];
    const pms: PhysMem[] = [];
    const leaves = () => ctxs.map((c) => c.pt.leafCount()).join();
    for (const o of ops) {
      const pick = <T>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
      if (o.t === 'assoc') {
        const a = mgr.assoc(vcm, ctxs[o.ctx]!);
        if (a) assocs.push(a);
      } else if (o.t === 'activate' || o.t === 'deactivate' || o.t === 'deassoc') {
        const a = pick(assocs, o.pick);
        if (!a) continue;
        const wasActive = a.active;
        const r = o.t === 'activate' ? mgr.activate(a) : o.t === 'deactivate' ? mgr.deactivate(a) : mgr.deassoc(a);
        if (o.t === 'deassoc') {
          check((r === 0) === !wasActive, 'deassoc must be refused exactly while active');
          if (r === 0) assocs.splice(assocs.indexOf(a), 1);
        }
        if (o.t === 'deactivate') check(r === (wasActive ? 0 : -2), 'deactivate of an inactive association must be -ENOENT');
      } else if (o.t === 'reserve') {
        const r = mgr.reserve(vcm, o.len, o.policy);
        if (r) res.push(r);
      } else if (o.t === 'unreserve') {
        const r = pick(res, o.pick);
        if (r && !r.backing) {
          check(mgr.unreserve(r) === 0, 'unreserve failed');
          res.splice(res.indexOf(r), 1);
        }
      } else if (o.t === 'phys') {
        const p = mgr.physAlloc(0, o.len);
        if (p) pms.push(p);
      } else if (o.t === 'physfree') {
        const p = pick(pms, o.pick);
        if (p && !res.some((r) => r.backing === p)) {
          check(mgr.physFree(p) === 0, 'phys_free failed');
          pms.splice(pms.indexOf(p), 1);
        }
      } else if (o.t === 'back') {
        const r = pick(res, o.res);
        const p = pick(pms, o.pm);
        if (!r || !p || r.backing) continue;
        const before = leaves();
        const rc = mgr.back(r, p);
        const all = [...vcm.assocs];
        const policy = r.attr & VcmAttr.CACHE_POLICY;
        const expected = policy > VcmAttr.WT || r.len !== p.len || all.length === 0 ? -22 : all.some((a) => !a.active) ? -11 : 0;
        if (!(rc !== 0 && r.undefinedState)) check(rc === expected, `back returned ${rc}, expected ${expected}`);
        if (rc !== 0 && !r.undefinedState) check(leaves() === before, 'failed back changed SMMU state');
        if (rc === 0)
          for (const a of all) {
            const ctx = a.dev as ContextBank;
            check(ctx.iovaToPhys(BigInt(r.devAddr)) === p.blocks[0]!.pa, 'backed reservation not translated');
            const cached = (ctx.pt.find(r.devAddr)!.prot & IommuProt.CACHE) !== 0;
            check(cached === (policy !== VcmAttr.NOTCACHED), 'the leaf does not carry the reservation cache policy');
          }
      } else {
        const r = pick(res, o.pick);
        if (r && r.backing) mgr.unback(r);
      }
      // reservations (with their slack) never overlap
      const spans = [...vcm.reservations].map((r) => [r.poolStart, r.poolStart + r.poolSize] as const).sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < spans.length; i++) check(spans[i]![0] >= spans[i - 1]![1], 'reservations overlap');
      for (const r of vcm.reservations)
        check(r.devAddr >= r.poolStart && r.devAddr + r.len <= r.poolStart + r.poolSize, 'device address outside its reservation');
      check(mgr.free(vcm) === (vcm.reservations.size > 0 || vcm.assocs.size > 0 ? -22 : 0), 'vcm_free must be refused while in use');
    }
  });
}
