import type { Leaf } from './page-table.ts';

interface TlbEntry {
  readonly ctx: number;
  readonly leaf: Leaf;
}

/**
 * A translation cache. Entries are tagged with the context that filled them; the legacy
 * MSM SMMU shares one instance between all its contexts. Least recently used goes first.
 */
export class Tlb {
  private readonly entries = new Map<string, TlbEntry>();
  hits = 0;
  misses = 0;
  invalidations = 0;

  constructor(readonly capacity = 64) {}

  lookup(ctx: number, iova: number): Leaf | undefined {
    for (const [k, e] of this.entries) {
      if (e.ctx === ctx && iova >= e.leaf.iova && iova < e.leaf.iova + e.leaf.size) {
        this.entries.delete(k);
        this.entries.set(k, e);
        this.hits++;
        return e.leaf;
      }
    }
    this.misses++;
    return undefined;
  }

  fill(ctx: number, leaf: Leaf): void {
    const k = `${ctx}:${leaf.iova}:${leaf.size}`;
    this.entries.delete(k);
    this.entries.set(k, { ctx, leaf });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Drops every entry of `ctx` that overlaps [iova, iova+size). */
  invalidateRange(ctx: number, iova: number, size: number): void {
    this.invalidations++;
    for (const [k, e] of this.entries) {
      if (e.ctx === ctx && e.leaf.iova < iova + size && iova < e.leaf.iova + e.leaf.size) this.entries.delete(k);
    }
  }

  invalidateContext(ctx: number): void {
    this.invalidations++;
    for (const [k, e] of this.entries) if (e.ctx === ctx) this.entries.delete(k);
  }

  invalidateAll(): void {
    this.invalidations++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
