import type { PhysicalMemory } from '../phys.ts';

const K = 1024;
const M = 1024 * K;

export interface Block {
  readonly pa: bigint;
  readonly size: number;
}

export interface BlockPoolConfig {
  /** Number of blocks per size, laid out contiguously in this order (largest first). */
  readonly pools: readonly { size: number; count: number }[];
}

/** The RFC default: 32 MiB = 16 x 1M + 128 x 64K + 2048 x 4K. */
export const VCM_DEFAULT_POOLS: BlockPoolConfig = {
  pools: [
    { size: M, count: 16 },
    { size: 64 * K, count: 128 },
    { size: 4 * K, count: 2048 },
  ],
};

interface Pool {
  readonly size: number;
  readonly blocks: { pa: bigint; free: boolean }[];
}

/**
 * VCM's physical allocator: fixed pools of 1M / 64K / 4K blocks that are never split.
 * A request takes as many of the largest blocks as fit ("max munch"); whatever a pool
 * cannot give flows down to the next smaller one. A sub-4K tail takes one more 4K block
 * only if more than one 4K block is free.
 */
export class BlockPoolAllocator {
  private readonly pools: Pool[];
  readonly base: bigint;
  readonly totalSize: number;

  constructor(phys: PhysicalMemory, config: BlockPoolConfig = VCM_DEFAULT_POOLS) {
    this.totalSize = config.pools.reduce((n, p) => n + p.size * p.count, 0);
    this.base = phys.allocContiguous(this.totalSize, M).pa;
    let pa = this.base;
    this.pools = config.pools.map((p) => {
      const blocks = Array.from({ length: p.count }, (_, i) => ({ pa: pa + BigInt(i * p.size), free: true }));
      pa += BigInt(p.size * p.count);
      return { size: p.size, blocks };
    });
  }

  /** Blocks for `len` bytes in allocation order, or undefined (nothing taken). */
  alloc(len: number): Block[] | undefined {
    if (!(len > 0)) return undefined;
    const taken: { pool: Pool; index: number }[] = [];
    let remaining = len;
    for (const pool of this.pools) {
      const want = Math.floor(remaining / pool.size);
      let got = 0;
      for (let i = 0; i < pool.blocks.length && got < want; i++) {
        if (pool.blocks[i]!.free) {
          pool.blocks[i]!.free = false;
          taken.push({ pool, index: i });
          got++;
        }
      }
      remaining -= got * pool.size;
    }
    const smallest = this.pools[this.pools.length - 1]!;
    if (remaining > 0 && remaining < smallest.size) {
      const free = smallest.blocks.filter((b) => b.free).length;
      if (free > 1) {
        const i = smallest.blocks.findIndex((b) => b.free);
        smallest.blocks[i]!.free = false;
        taken.push({ pool: smallest, index: i });
        remaining = 0;
      }
    }
    if (remaining > 0) {
      for (const t of taken) t.pool.blocks[t.index]!.free = true;
      return undefined;
    }
    return taken.map((t) => ({ pa: t.pool.blocks[t.index]!.pa, size: t.pool.size }));
  }

  /** Returns blocks to their own pools. */
  free(blocks: readonly Block[]): void {
    for (const b of blocks) {
      const pool = this.pools.find((p) => p.size === b.size);
      const blk = pool?.blocks.find((x) => x.pa === b.pa);
      if (!blk || blk.free) throw new RangeError(`block 0x${b.pa.toString(16)} (${b.size}) is not allocated`);
      blk.free = true;
    }
  }

  /** Free blocks per pool size. */
  freeCounts(): Map<number, number> {
    return new Map(this.pools.map((p) => [p.size, p.blocks.filter((b) => b.free).length]));
  }

  initialCounts(): Map<number, number> {
    return new Map(this.pools.map((p) => [p.size, p.blocks.length]));
  }
}
