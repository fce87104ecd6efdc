/**
 * Model-based properties for the SMMU page table and the IOVA allocator: random
 * operation sequences run against the real implementation and a naive reference (a
 * plain array of leaves / a brute-force top-down search), checking the spec's invariants.
 */
import fc from 'fast-check';
import {
  ARM_LPAE_4K,
  ARM_V7S,
  ContextBank,
  IommuProt,
  IovaAllocator,
  SmmuFault,
  type Leaf,
  type PageTableFormat,
} from '../../../runtime/memory/smmu/index.ts';
import { Errno } from '../../../runtime/memory/errno.ts';

const K = 1024;
const M = 1024 * K;

/** The reference: a list of leaves plus a page -> leaf index, every rule written out the slow way. */
class RefTable {
  leaves = new Set<Leaf>();
  private readonly page = new Map<number, Leaf>();
  private readonly min: number;
  constructor(
    readonly sizes: readonly number[],
    readonly ias: number,
    readonly mode: 'whole-block' | 'split',
  ) {
    this.min = sizes[0]!;
  }

  map(iova: number, pa: number, size: number, prot: number): number {
    const min = this.min;
    if (iova % min || pa % min || size % min) return -Errno.EINVAL;
    if (size === 0) return 0;
    if (iova + size > 2 ** this.ias || pa + size > 2 ** this.ias) return -Errno.ERANGE;
    if (!(prot & 3)) return -Errno.EINVAL;
    for (let a = iova; a < iova + size; a += min) if (this.page.has(a / min)) return -Errno.EEXIST;
    for (let off = 0; off < size;) {
      const a = iova + off;
      const p = pa + off;
      const s = [...this.sizes].reverse().find((z) => z <= size - off && a % z === 0 && p % z === 0)!;
      this.add({ iova: a, pa: p, size: s, prot });
      off += s;
    }
    return 0;
  }

  unmap(iova: number, size: number): number {
    const min = this.min;
    if (iova % min || size % min || size <= 0) return 0;
    let done = 0;
    while (done < size) {
      const cur = iova + done;
      const s = [...this.sizes].reverse().find((z) => z <= size - done && cur % z === 0)!;
      const l = this.find(cur);
      let r = 0;
      if (l && l.size === s) {
        this.drop(l);
        r = s;
      } else if (l && l.size > s) {
        this.drop(l);
        if (this.mode === 'whole-block') r = l.size;
        else {
          let piece = l;
          while (piece.size > s) {
            const sub = this.sizes[this.sizes.indexOf(piece.size) - 1]!;
            let next: Leaf | undefined;
            for (let o = 0; o < piece.size; o += sub) {
              const q = { iova: piece.iova + o, pa: piece.pa + o, size: sub, prot: piece.prot };
              if (cur >= q.iova && cur < q.iova + sub) next = q;
              else this.add(q);
            }
            piece = next!;
          }
          r = s;
        }
      } else {
        const inside = new Set<Leaf>();
        for (let a = cur; a < cur + s; a += min) {
          const x = this.page.get(a / min);
          if (x) inside.add(x);
        }
        if (inside.size > 0) {
          for (const x of inside) this.drop(x);
          r = s;
        }
      }
      if (r === 0) break;
      done += r;
    }
    return done;
  }

  find(iova: number): Leaf | undefined {
    return this.page.get(Math.floor(iova / this.min));
  }

  translate(iova: number): number | undefined {
    const l = this.find(iova);
    return l ? l.pa + (iova - l.iova) : undefined;
  }

  sorted(): Leaf[] {
    return [...this.leaves].sort((a, b) => a.iova - b.iova);
  }

  private add(l: Leaf): void {
    this.leaves.add(l);
    for (let a = l.iova; a < l.iova + l.size; a += this.min) this.page.set(a / this.min, l);
  }

  private drop(l: Leaf): void {
    this.leaves.delete(l);
    for (let a = l.iova; a < l.iova + l.size; a += this.min) this.page.delete(a / this.min);
  }
}

type PtOp =
  | { t: 'map'; iova: number; pa: number; size: number; prot: number }
  | { t: 'unmap'; iova: number; size: number }
  | { t: 'access'; iova: number; write: boolean };

function ptOps(fmt: PageTableFormat, space: number): fc.Arbitrary<PtOp[]> {
  const units = fmt.pageSizes.filter((s) => s < space);
  const addr = fc.tuple(fc.constantFrom(...units), fc.nat()).map(([u, k]) => (k * u) % space);
  const len = fc.oneof(
    fc.constantFrom(...units),
    // a few leaves of mixed sizes; the largest unit only once, so sequences stay short
    fc
      .tuple(fc.constantFrom(...units), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }))
      .map(([u, n, extra]) => u * (u === units[units.length - 1] ? 1 : n) + extra * units[0]!),
    fc.constant(units[0]! + 1), // misaligned
  );
  const op: fc.Arbitrary<PtOp> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record({ iova: addr, delta: fc.constantFrom(0, 0, 0, 4 * K, 64 * K, M), size: len, prot: fc.constantFrom(3, 3, 1, 2, 4) })
        .map(({ iova, delta, size, prot }) => ({ t: 'map' as const, iova, pa: iova + 0x1000_0000 + delta, size, prot })),
    },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('unmap' as const), iova: addr, size: len }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('access' as const), iova: fc.nat(space - 1), write: fc.boolean() }) },
  );
  return fc.array(op, { maxLength: 6 });
}

function checkLeaves(ctx: ContextBank, ref: RefTable): void {
  const got = ctx.pt.entries();
  const want = ref.sorted();
  const same =
    got.length === want.length &&
    got.every((g, i) => g.iova === want[i]!.iova && g.pa === want[i]!.pa && g.size === want[i]!.size && g.prot === want[i]!.prot);
  if (!same) throw new Error(`leaves differ:\n got ${JSON.stringify(got.slice(0, 20))}\nwant ${JSON.stringify(want.slice(0, 20))}`);
  for (let i = 0; i < got.length; i++) {
    const l = got[i]!;
    if (!ctx.format.pageSizes.includes(l.size) || l.iova % l.size || l.pa % l.size) throw new Error(`bad leaf ${JSON.stringify(l)}`);
    const next = got[i + 1];
    if (next && next.iova < l.iova + l.size) throw new Error('overlapping leaves');
    for (const off of [0, l.size - 1, Math.floor(l.size / 3)]) {
      if (ctx.iovaToPhys(BigInt(l.iova + off)) !== BigInt(l.pa + off))
        throw new Error(`translation wrong at 0x${(l.iova + off).toString(16)}`);
    }
  }
}

/** Page table (both formats, both partial-unmap modes) against the array reference, with TLB-backed accesses. */
export function pageTableModel(): fc.IPropertyWithHooks<[number, 'whole-block' | 'split', PtOp[]]> {
  const formats = [
    { fmt: ARM_LPAE_4K, space: 16 * M },
    { fmt: ARM_V7S, space: 64 * M },
  ];
  return fc.property(
    fc.integer({ min: 0, max: 1 }),
    fc.constantFrom('whole-block' as const, 'split' as const),
    fc.integer({ min: 0, max: 1 }).chain((i) => ptOps(formats[i]!.fmt, formats[i]!.space)),
    (fi, mode, ops) => {
      const { fmt } = formats[fi]!;
      const ctx = new ContextBank({ name: 'model', format: fmt, pageTable: { partialUnmap: mode }, tlb: undefined });
      const ref = new RefTable(fmt.pageSizes, fmt.ias, mode);
      for (const op of ops) {
        if (op.t === 'map') {
          const before = ctx.pt.leafCounts().join();
          const r = ctx.map(BigInt(op.iova), BigInt(op.pa), op.size, op.prot);
          const w = ref.map(op.iova, op.pa, op.size, op.prot);
          if (r !== w)
            throw new Error(`map(${op.iova.toString(16)}, ${op.pa.toString(16)}, ${op.size.toString(16)}) = ${r}, reference ${w}`);
          // the reference is unchanged on failure, so checkLeaves below proves nothing moved
          if (r !== 0 && ctx.pt.leafCounts().join() !== before) throw new Error('failed map changed the table');
        } else if (op.t === 'unmap') {
          const r = ctx.unmap(BigInt(op.iova), op.size);
          const w = ref.unmap(op.iova, op.size);
          if (r !== w) throw new Error(`unmap(${op.iova.toString(16)}, ${op.size.toString(16)}) = ${r}, reference ${w}`);
          // It can exceed the request only by finishing a block or a table it started in.
          const biggest = fmt.pageSizes[fmt.pageSizes.length - 1]!;
          if (r % fmt.pageSizes[0]! !== 0 || r > op.size + biggest) throw new Error(`unmap returned ${r} for ${op.size}`);
        } else {
          const want = ref.translate(op.iova);
          const leafProt = ref.find(op.iova)?.prot ?? 0;
          const allowed = want !== undefined && (leafProt & (op.write ? IommuProt.WRITE : IommuProt.READ)) !== 0;
          try {
            const pa = ctx.translate(BigInt(op.iova), op.write);
            if (!allowed || pa !== BigInt(want!))
              throw new Error(`access at 0x${op.iova.toString(16)} gave 0x${pa.toString(16)} (stale TLB?)`);
          } catch (e) {
            if (!(e instanceof SmmuFault)) throw e;
            if (allowed) throw new Error(`access at 0x${op.iova.toString(16)} faulted but is mapped`);
          }
        }
        checkLeaves(ctx, ref);
      }
      // unmapping everything returns the table to empty
      for (const l of ctx.pt.entries()) ctx.unmap(BigInt(l.iova), l.size);
      if (ctx.pt.leafCount() !== 0) throw new Error('table not empty after unmapping every leaf');
    },
  );
}

type IovaOp = { t: 'alloc'; size: number } | { t: 'free'; pick: number };

/** Brute-force top-down reference with the same fail-fast rule. */
function refAlloc(ranges: { iova: number; size: number }[], start: number, end: number, len: number, align: number): number | undefined {
  for (let a = Math.floor((end - len) / align) * align; a >= start; a -= align) {
    if (!ranges.some((r) => r.iova < a + len && a < r.iova + r.size)) return a;
  }
  return undefined;
}

export function iovaAllocatorModel(): fc.IPropertyWithHooks<[IovaOp[]]> {
  const op: fc.Arbitrary<IovaOp> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('alloc' as const),
        size: fc.oneof(fc.integer({ min: 1, max: 40 * K }), fc.constantFrom(4 * K, 64 * K, 1 * M, 3 * M, 8 * M)),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('free' as const), pick: fc.nat() }) },
  );
  return fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
    const start = 0x8000_0000;
    const size = 16 * M;
    const a = new IovaAllocator({ start, size });
    const first = new Map<number, number>();
    const ranges: { iova: number; size: number }[] = [];
    let failed = Infinity;
    for (const o of ops) {
      if (o.t === 'alloc') {
        const len = a.roundedSize(o.size);
        const align = a.alignmentFor(len);
        const want = len >= failed ? undefined : refAlloc(ranges, start, start + size, len, align);
        const got = a.alloc(o.size);
        if (got !== want) throw new Error(`alloc(${o.size}) = ${got}, reference ${want}`);
        if (got === undefined) failed = Math.min(failed, len);
        else {
          ranges.push({ iova: got, size: len });
          if (!first.has(len) && ranges.length === 1) first.set(len, got);
          if (got % align || got < start || got + len > start + size) throw new Error('allocation misaligned or outside the window');
        }
      } else if (ranges.length > 0) {
        const [r] = ranges.splice(o.pick % ranges.length, 1);
        if (a.free(r!.iova) !== r!.size) throw new Error('free returned a different size');
        failed = Infinity;
      }
      const sorted = [...a.allocations()];
      for (let i = 1; i < sorted.length; i++)
        if (sorted[i]!.iova < sorted[i - 1]!.iova + sorted[i - 1]!.size) throw new Error('overlapping IOVA ranges');
    }
    for (const r of [...a.allocations()]) a.free(r.iova);
    if (a.freeBytes() !== size) throw new Error('allocator not back to its initial state');
    for (const [len, addr] of first) {
      if (a.alloc(len) !== addr) throw new Error('idle allocator is not deterministic');
      a.free(addr);
    }
  });
}
