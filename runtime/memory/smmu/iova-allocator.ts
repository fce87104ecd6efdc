export type IovaAllocMode = 'top-down' | 'best-fit' | 'first-fit';

export interface IovaAllocatorOptions {
  /** First usable IOVA and window length (bytes). */
  readonly start: number;
  readonly size: number;
  readonly granule?: number;
  /** 'top-down' (iova.c), 'best-fit' (qcom,iova-best-fit) or 'first-fit' (genalloc). */
  readonly mode?: IovaAllocMode;
  /** Align each allocation to the next power of two >= its size (iova.c size_aligned). */
  readonly sizeAligned?: boolean;
  /** Cap on that alignment, as a shift in granules (qcom,iova-max-align-shift; 9 = 2 MiB). */
  readonly maxAlignShift?: number;
  /** Round requests below 32 granules up to a power of two (dma-iommu rcache sizes). */
  readonly roundSmall?: boolean;
}

export interface IovaRange {
  readonly iova: number;
  readonly size: number;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * IOVA space of one context. Ranges are kept sorted; allocation scans the gaps. The
 * default is iova.c's top-down, size-aligned policy: the highest aligned range that fits
 * below the end of the window. After a failure for some size, requests at least that big
 * fail fast until something is freed (iova.c's max32_alloc_size).
 */
export class IovaAllocator {
  readonly start: number;
  readonly end: number;
  readonly granule: number;
  readonly mode: IovaAllocMode;
  private readonly sizeAligned: boolean;
  private readonly maxAlign: number;
  private readonly roundSmall: boolean;
  private ranges: IovaRange[] = [];
  private failedSize = Infinity;

  constructor(opts: IovaAllocatorOptions) {
    this.granule = opts.granule ?? 4096;
    this.start = opts.start;
    this.end = opts.start + opts.size;
    this.mode = opts.mode ?? 'top-down';
    this.sizeAligned = opts.sizeAligned ?? this.mode !== 'first-fit';
    this.maxAlign = opts.maxAlignShift === undefined ? Infinity : this.granule * 2 ** opts.maxAlignShift;
    this.roundSmall = opts.roundSmall ?? this.mode !== 'first-fit';
    if (this.start % this.granule !== 0 || opts.size % this.granule !== 0) throw new RangeError('IOVA window must be granule aligned');
  }

  /** Bytes actually reserved for a request of `size` (granule and small-size rounding). */
  roundedSize(size: number): number {
    let pages = Math.ceil(size / this.granule);
    if (this.roundSmall && pages < 32) pages = nextPow2(pages);
    return pages * this.granule;
  }

  alignmentFor(size: number): number {
    if (!this.sizeAligned) return this.granule;
    return Math.max(this.granule, Math.min(nextPow2(size), this.maxAlign));
  }

  /** Allocates; returns the IOVA, or undefined when nothing fits. */
  alloc(size: number): number | undefined {
    if (!(size > 0) || !Number.isSafeInteger(size)) return undefined;
    const len = this.roundedSize(size);
    if (this.mode === 'top-down' && len >= this.failedSize) return undefined;
    const align = this.alignmentFor(len);
    const gaps = this.gaps();
    let chosen: number | undefined;
    let chosenWaste = Infinity;
    const order = this.mode === 'top-down' ? [...gaps].reverse() : gaps;
    for (const g of order) {
      if (this.mode === 'top-down') {
        const a = Math.floor((g.end - len) / align) * align;
        if (a >= g.start && a + len <= g.end) {
          chosen = a;
          break;
        }
      } else {
        const a = Math.ceil(g.start / align) * align;
        if (a + len > g.end) continue;
        if (this.mode === 'first-fit') {
          chosen = a;
          break;
        }
        const waste = g.end - g.start - len;
        if (waste < chosenWaste) {
          chosenWaste = waste;
          chosen = a;
        }
      }
    }
    if (chosen === undefined) {
      if (this.mode === 'top-down') this.failedSize = Math.min(this.failedSize, len);
      return undefined;
    }
    this.insert({ iova: chosen, size: len });
    return chosen;
  }

  /** Reserves a fixed range (fails if it overlaps or leaves the window). */
  reserve(iova: number, size: number): boolean {
    const len = Math.ceil(size / this.granule) * this.granule;
    if (iova < this.start || iova + len > this.end || iova % this.granule !== 0) return false;
    if (this.ranges.some((r) => r.iova < iova + len && iova < r.iova + r.size)) return false;
    this.insert({ iova, size: len });
    return true;
  }

  /** Frees the range starting at `iova`; returns its size, or 0 if no such range. */
  free(iova: number): number {
    const i = this.ranges.findIndex((r) => r.iova === iova);
    if (i < 0) return 0;
    const [r] = this.ranges.splice(i, 1);
    this.failedSize = Infinity;
    return r!.size;
  }

  find(iova: number): IovaRange | undefined {
    return this.ranges.find((r) => iova >= r.iova && iova < r.iova + r.size);
  }

  allocations(): readonly IovaRange[] {
    return this.ranges;
  }

  freeBytes(): number {
    return this.end - this.start - this.ranges.reduce((n, r) => n + r.size, 0);
  }

  private gaps(): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    let cur = this.start;
    for (const r of this.ranges) {
      if (r.iova > cur) out.push({ start: cur, end: r.iova });
      cur = r.iova + r.size;
    }
    if (cur < this.end) out.push({ start: cur, end: this.end });
    return out;
  }

  private insert(r: IovaRange): void {
    let i = 0;
    while (i < this.ranges.length && this.ranges[i]!.iova < r.iova) i++;
    this.ranges.splice(i, 0, r);
  }
}

/** Default DSP windows per compute context bank (bytes). */
export const DSP_IOVA_WINDOWS = {
  /** Downstream msm-4.4/4.9 adsprpc and 5.x/6.x ADSP DT (qcom,iommu-dma-addr-pool). */
  downstream: { start: 0x8000_0000, size: 0x7800_0000 },
  /** Same era, secure context bank. */
  downstreamSecure: { start: 0x6000_0000, size: 0x7800_0000 },
  /** Newer CDSP DT. */
  cdsp: { start: 0x1000_0000, size: 0xf000_0000 },
  /** Upstream fastrpc: 32-bit DMA mask. Page 0 is left out so that 0 never means "mapped". */
  upstream: { start: 0x1000, size: 0xffff_f000 },
} as const;
