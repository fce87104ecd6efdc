import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PAGE_SIZE, PhysicalMemory } from '../../runtime/memory/phys.ts';
import { KernelError } from '../../runtime/memory/errno.ts';

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
    const mem = new PhysicalMemory({ banks: [{ base: 0x8000_0000n, size: MiB }, { base: 0xA000_0000n, size: MiB }] });
    const other = PhysicalMemory.attach(mem.share());
    const a = mem.allocContiguous(PAGE_SIZE);
    mem.write(0xA000_0010n, new Uint8Array([9]));
    expect(other.read(0xA000_0010n, 1)[0]).toBe(9);
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

  it('model: random alloc/free keeps allocations disjoint and freeing all restores the initial state', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 300_000 }), fc.constantFrom(4096, 65536, MiB), fc.nat()), { maxLength: 30 }),
        (ops) => {
          const mem = new PhysicalMemory({ banks: [{ base: 0x8000_0000n, size: 2 * MiB }, { base: 0x9000_0000n, size: 1 * MiB }] });
          const initial = JSON.stringify(mem.freeRuns(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
          const live: bigint[] = [];
          for (const [contig, size, align, pick] of ops) {
            if (live.length > 0 && pick % 3 === 0) {
              const pa = live.splice(pick % live.length, 1)[0]!;
              mem.free(pa);
              continue;
            }
            const before = mem.freeBytes;
            try {
              const a = contig ? mem.allocContiguous(size, align) : mem.allocScattered(size);
              if (contig) expect(a.pa % BigInt(align)).toBe(0n);
              expect(mem.freeBytes).toBe(before - a.size);
              live.push(a.pa);
            } catch (e) {
              expect(e).toBeInstanceOf(KernelError);
              expect(mem.freeBytes).toBe(before);
            }
            const ranges = mem.liveAllocations().flatMap((a) => a.chunks).map((c) => [Number(c.pa), Number(c.pa) + c.size] as const);
            ranges.sort((x, y) => x[0] - y[0]);
            for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
          }
          for (const pa of live) mem.free(pa);
          expect(JSON.stringify(mem.freeRuns(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(initial);
        },
      ),
      { numRuns: 300 },
    );
  });
});
