import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PAGE_SIZE, PhysicalMemory } from '../../runtime/memory/phys.ts';
import { KernelError } from '../../runtime/memory/errno.ts';
import { physModel } from './models/alloc-models.ts';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';

const MiB = 1 << 20;

describe('PhysicalMemory', () => {
  it('allocates aligned contiguous memory and reads back what was written', () => {
    const mem = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * MiB });
    const a = mem.allocContiguous(5000, 1 * MiB);
    expect(a.pa % BigInt(MiB)).toBe(0n);
    expect(a.size).toBe(2 * PAGE_SIZE);
    mem.write(a.pa + 10n, new Uint8Array([1, 2, 3]));
    expect([...mem.read(a.pa + 10n, 3)]).toEqual([1, 2, 3]);
    expect(mem.view(a.pa, 16).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('shares bytes with an attached copy (what a worker sees)', () => {
    const mem = new PhysicalMemory({
      banks: [
        { base: 0x8000_0000n, size: MiB },
        { base: 0xa000_0000n, size: MiB },
      ],
    });
    const other = PhysicalMemory.attach(mem.share());
    const a = mem.allocContiguous(PAGE_SIZE);
    mem.write(0xa000_0010n, new Uint8Array([9]));
    expect(other.read(0xa000_0010n, 1)[0]).toBe(9);
    expect(() => other.allocContiguous(PAGE_SIZE)).toThrow(KernelError);
    mem.free(a.pa);
  });

  it('refuses out-of-bank access, unknown frees and exhaustion with errno', () => {
    const mem = new PhysicalMemory({ base: 0x1000_0000n, size: MiB });
    expect(() => mem.view(0x0fff_f000n, 8)).toThrow(/EFAULT/);
    expect(() => mem.free(0x1000_0000n)).toThrow(/EINVAL/);
    expect(() => mem.allocContiguous(2 * MiB)).toThrow(/ENOMEM/);
    expect(() => mem.allocContiguous(0)).toThrow(/EINVAL/);
  });

  it('scattered allocations use 1M/64K pieces first and survive fragmentation', () => {
    const mem = new PhysicalMemory({ base: 0x8000_0000n, size: 4 * MiB });
    const holes = [];
    for (let i = 0; i < 8; i++) holes.push(mem.allocContiguous(PAGE_SIZE * 3));
    const big = mem.allocScattered(MiB + 64 * 1024 + PAGE_SIZE);
    expect(big.size).toBe(MiB + 64 * 1024 + PAGE_SIZE);
    const sizes = big.chunks.map((c) => c.size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(big.size);
    expect(big.chunks.some((c) => c.size >= MiB && c.pa % BigInt(MiB) === 0n)).toBe(true);
  });

  it(
    'model: random alloc/free keeps allocations disjoint and freeing all restores the initial state',
    () => {
      fc.assert(physModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
});
