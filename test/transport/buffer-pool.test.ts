/** The memory pool under listener streams and areas: what it hands out, keeps and refuses. */
import { describe, expect, it } from 'vitest';
import { BufferPool, classBytes } from '../../runtime/transport/buffer-pool.ts';

describe('buffer pool', () => {
  it('size classes are powers of two and 1.5 times them, from 4 KiB', () => {
    expect([1, 4096, 4097, 6144, 6145, 8192, 33_554_440].map(classBytes)).toEqual([4096, 4096, 6144, 6144, 8192, 8192, 50_331_648]);
  });

  it('hands back memory given back, for a size in its class or the class below, and fresh memory otherwise', () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take(100_000); // class 131,072
    expect(a.length).toBe(100_000);
    a[0] = 7;
    pool.give(a);
    expect(pool.heldBytes).toBe(131_072);
    const b = pool.take(90_000); // class 98,304: the next class up is kept
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(90_000);
    expect(pool.heldBytes).toBe(0);
    pool.give(b);
    const c = pool.take(10_000); // two classes below: fresh
    expect(c.buffer).not.toBe(a.buffer);
    const d = pool.take(131_072);
    expect(d.buffer).toBe(a.buffer);
  });

  it('keeps one buffer per class and no more than its limit in all', () => {
    const pool = new BufferPool(200_000);
    const x = pool.take(131_072);
    const y = pool.take(131_072);
    pool.give(x);
    pool.give(y); // the class is taken
    expect(pool.heldBytes).toBe(131_072);
    const big = pool.take(100_000_000);
    pool.give(big); // past the limit
    expect(pool.heldBytes).toBe(131_072);
    expect(pool.take(100_000_000).buffer).not.toBe(big.buffer);
  });

  it("never keeps memory it did not allocate: a caller's buffer, or shared memory", () => {
    const pool = new BufferPool(1 << 30);
    pool.give(new Uint8Array(8192));
    pool.give(new Uint8Array(new SharedArrayBuffer(8192)));
    expect(pool.heldBytes).toBe(0);
  });
});
