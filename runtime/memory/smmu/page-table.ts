import { Errno } from '../errno.ts';
import { IommuProt, type PageTableFormat } from './formats.ts';

export interface Leaf {
  readonly iova: number;
  readonly pa: number;
  readonly size: number;
  readonly prot: number;
}

export interface PageTableOptions {
  /**
   * Partial unmap of a block: 'whole-block' (mainline since 2024: the block goes, its size
   * is returned) or 'split' (older io-pgtable-arm: the block is split, only the request goes).
   */
  readonly partialUnmap?: 'whole-block' | 'split';
  /** map with neither READ nor WRITE: 'einval' (2024+) or 'noop' (older: success, nothing mapped). */
  readonly noAccessMap?: 'einval' | 'noop';
  /**
   * A block over a table of smaller live leaves: 'eexist' refuses it (strict), 'replace'
   * frees the table first as io-pgtable-arm does (the smaller leaves vanish). A failed
   * map restores them, so the call stays all-or-nothing.
   */
  readonly blockOverTable?: 'eexist' | 'replace';
}

/** Removal record passed to listeners (TLB invalidation). */
export type UnmapListener = (iova: number, size: number) => void;

/**
 * One translation table. Entries are stored per page size (a map from IOVA / size to the
 * leaf), plus, for every size above the minimum, a count of smaller leaves under each
 * slot (the "table" entries of a real walk). A 1 GiB block is one object; a 1 GiB range
 * of 4 KiB pages is 262144 objects, as in hardware.
 */
export class PageTable {
  readonly sizes: readonly number[];
  readonly minPage: number;
  private readonly leaves: Map<number, Leaf>[];
  private readonly tables: Map<number, number>[];
  private readonly iaLimit: number;
  private readonly oaLimit: number;
  readonly opts: Required<PageTableOptions>;
  private listener: UnmapListener | undefined;

  constructor(
    readonly format: PageTableFormat,
    opts: PageTableOptions = {},
  ) {
    this.sizes = format.pageSizes;
    this.minPage = this.sizes[0]!;
    this.leaves = this.sizes.map(() => new Map());
    this.tables = this.sizes.map(() => new Map());
    this.iaLimit = 2 ** format.ias;
    this.oaLimit = 2 ** format.oas;
    this.opts = {
      partialUnmap: opts.partialUnmap ?? 'whole-block',
      noAccessMap: opts.noAccessMap ?? 'einval',
      blockOverTable: opts.blockOverTable ?? 'eexist',
    };
  }

  onUnmap(listener: UnmapListener | undefined): void {
    this.listener = listener;
  }

  /** The leaf translating `iova`, if any. */
  find(iova: number): Leaf | undefined {
    for (let i = this.sizes.length - 1; i >= 0; i--) {
      const l = this.leaves[i]!.get(Math.floor(iova / this.sizes[i]!));
      if (l) return l;
    }
    return undefined;
  }

  /** PA for a mapped IOVA (offset inside the leaf included), 0 when unmapped. */
  iovaToPhys(iova: number): number {
    const l = this.find(iova);
    return l ? l.pa + (iova - l.iova) : 0;
  }

  /**
   * iommu_map: returns 0 or a negative errno. Splits greedily into the largest leaves the
   * IOVA/PA alignment and the remaining length allow. All-or-nothing.
   */
  map(iova: number, pa: number, size: number, prot: number): number {
    if (this.sizes.length === 0) return -Errno.ENODEV;
    if (!isAligned(iova, this.minPage) || !isAligned(pa, this.minPage) || !isAligned(size, this.minPage) || size < 0) return -Errno.EINVAL;
    if (size === 0) return 0;
    if (iova + size > this.iaLimit || pa + size > this.oaLimit || iova < 0 || pa < 0) return -Errno.ERANGE;
    if ((prot & (IommuProt.READ | IommuProt.WRITE)) === 0) return this.opts.noAccessMap === 'noop' ? 0 : -Errno.EINVAL;
    const installed: Leaf[] = [];
    const displaced: Leaf[] = [];
    let done = 0;
    while (done < size) {
      const i = this.pick(iova + done, pa + done, size - done);
      const leaf: Leaf = { iova: iova + done, pa: pa + done, size: this.sizes[i]!, prot };
      const err = this.checkFree(leaf.iova, i, displaced);
      if (err !== 0) {
        for (const l of installed) this.remove(l);
        for (const l of displaced) this.install(l);
        return err;
      }
      this.install(leaf);
      installed.push(leaf);
      done += leaf.size;
    }
    if (displaced.length > 0) for (const l of displaced) this.listener?.(l.iova, l.size);
    return 0;
  }

  /**
   * iommu_unmap: bytes unmapped (0 for misaligned input or an unmapped start). Walks
   * forward in iova-aligned chunks and stops at the first hole.
   */
  unmap(iova: number, size: number): number {
    if (!isAligned(iova, this.minPage) || !isAligned(size, this.minPage) || size <= 0) return 0;
    let unmapped = 0;
    while (unmapped < size) {
      const cur = iova + unmapped;
      const r = this.unmapChunk(cur, this.pickByIova(cur, size - unmapped));
      if (r === 0) break;
      unmapped += r;
    }
    return unmapped;
  }

  /** Number of leaves per page size (index matches `sizes`). */
  leafCounts(): number[] {
    return this.leaves.map((m) => m.size);
  }

  leafCount(): number {
    return this.leaves.reduce((n, m) => n + m.size, 0);
  }

  /** Hardware descriptors the leaves occupy (v7s replicates large pages and supersections). */
  descriptorCount(): number {
    return this.leaves.reduce((n, m, i) => n + m.size * (this.format.descriptorsPerLeaf[i] ?? 1), 0);
  }

  /** Every leaf, sorted by IOVA. */
  entries(): Leaf[] {
    const all: Leaf[] = [];
    for (const m of this.leaves) for (const l of m.values()) all.push(l);
    return all.sort((a, b) => a.iova - b.iova);
  }

  /** Leaves intersecting [iova, iova+size), sorted. */
  entriesIn(iova: number, size: number): Leaf[] {
    const out: Leaf[] = [];
    const end = iova + size;
    for (let i = 0; i < this.sizes.length; i++) {
      const s = this.sizes[i]!;
      const m = this.leaves[i]!;
      const first = Math.floor(iova / s);
      const last = Math.floor((end - 1) / s);
      if (last - first + 1 <= m.size) {
        for (let k = first; k <= last; k++) {
          const l = m.get(k);
          if (l) out.push(l);
        }
      } else {
        for (const l of m.values()) if (l.iova < end && l.iova + l.size > iova) out.push(l);
      }
    }
    return out.sort((a, b) => a.iova - b.iova);
  }

  clear(): void {
    for (const m of this.leaves) m.clear();
    for (const m of this.tables) m.clear();
  }

  /** Largest size <= remaining and allowed by the alignment of (iova | pa). */
  private pick(iova: number, pa: number, remaining: number): number {
    for (let i = this.sizes.length - 1; i > 0; i--) {
      const s = this.sizes[i]!;
      if (s <= remaining && isAligned(iova, s) && isAligned(pa, s)) return i;
    }
    return 0;
  }

  private pickByIova(iova: number, remaining: number): number {
    return this.pick(iova, 0, remaining);
  }

  private checkFree(iova: number, i: number, displaced: Leaf[]): number {
    for (let j = this.sizes.length - 1; j > i; j--) {
      if (this.leaves[j]!.has(Math.floor(iova / this.sizes[j]!))) return -Errno.EEXIST;
    }
    const slot = iova / this.sizes[i]!;
    if (this.leaves[i]!.has(slot)) return -Errno.EEXIST;
    if ((this.tables[i]!.get(slot) ?? 0) > 0) {
      if (this.opts.blockOverTable === 'eexist') return -Errno.EEXIST;
      for (const l of this.entriesIn(iova, this.sizes[i]!)) {
        this.remove(l);
        displaced.push(l);
      }
    }
    return 0;
  }

  private install(l: Leaf): void {
    const i = this.sizes.indexOf(l.size);
    this.leaves[i]!.set(l.iova / l.size, l);
    for (let j = i + 1; j < this.sizes.length; j++) {
      const k = Math.floor(l.iova / this.sizes[j]!);
      this.tables[j]!.set(k, (this.tables[j]!.get(k) ?? 0) + 1);
    }
  }

  private remove(l: Leaf): void {
    const i = this.sizes.indexOf(l.size);
    this.leaves[i]!.delete(l.iova / l.size);
    for (let j = i + 1; j < this.sizes.length; j++) {
      const k = Math.floor(l.iova / this.sizes[j]!);
      const n = (this.tables[j]!.get(k) ?? 0) - 1;
      if (n <= 0) this.tables[j]!.delete(k);
      else this.tables[j]!.set(k, n);
    }
  }

  private unmapChunk(cur: number, i: number): number {
    const s = this.sizes[i]!;
    const leaf = this.find(cur);
    if (leaf && leaf.size === s) {
      this.remove(leaf);
      this.listener?.(leaf.iova, leaf.size);
      return s;
    }
    if (leaf && leaf.size > s) {
      this.remove(leaf);
      if (this.opts.partialUnmap === 'whole-block') {
        this.listener?.(leaf.iova, leaf.size);
        return leaf.size;
      }
      this.splitAround(leaf, cur, s);
      this.listener?.(cur, s);
      return s;
    }
    // A table under this slot: the whole table goes, whatever it held.
    if (i > 0 && (this.tables[i]!.get(cur / s) ?? 0) > 0) {
      for (const l of this.entriesIn(cur, s)) this.remove(l);
      this.listener?.(cur, s);
      return s;
    }
    return 0;
  }

  /** Re-expresses `block` minus [cur, cur+s) as next-level leaves, recursively. */
  private splitAround(block: Leaf, cur: number, s: number): void {
    const i = this.sizes.indexOf(block.size);
    const sub = this.sizes[i - 1]!;
    for (let off = 0; off < block.size; off += sub) {
      const piece: Leaf = { iova: block.iova + off, pa: block.pa + off, size: sub, prot: block.prot };
      const contains = cur >= piece.iova && cur < piece.iova + sub;
      if (!contains) this.install(piece);
      else if (sub > s) this.splitAround(piece, cur, s);
    }
  }
}

export function isAligned(x: number, a: number): boolean {
  return x % a === 0;
}
