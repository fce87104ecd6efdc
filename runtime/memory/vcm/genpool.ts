/**
 * genalloc: a first-fit bitmap over fixed granules. `alloc` returns 0 on failure, so an
 * allocation that lands on address 0 is indistinguishable from a failure (as in C).
 */
export class GenPool {
  private readonly used: Uint8Array;
  readonly granules: number;

  constructor(
    readonly start: number,
    readonly size: number,
    readonly granule = 4096,
  ) {
    this.granules = Math.floor(size / granule);
    this.used = new Uint8Array(this.granules);
  }

  alloc(size: number): number {
    const n = Math.ceil(size / this.granule);
    if (n <= 0 || n > this.granules) return 0;
    let run = 0;
    for (let i = 0; i < this.granules; i++) {
      run = this.used[i] ? 0 : run + 1;
      if (run === n) {
        const first = i - n + 1;
        this.used.fill(1, first, i + 1);
        return this.start + first * this.granule;
      }
    }
    return 0;
  }

  free(addr: number, size: number): void {
    const first = Math.floor((addr - this.start) / this.granule);
    const n = Math.ceil(size / this.granule);
    if (first < 0 || first + n > this.granules) throw new RangeError(`gen_pool_free outside the pool: 0x${addr.toString(16)}`);
    this.used.fill(0, first, first + n);
  }

  availableBytes(): number {
    let free = 0;
    for (let i = 0; i < this.granules; i++) if (!this.used[i]) free++;
    return free * this.granule;
  }
}
