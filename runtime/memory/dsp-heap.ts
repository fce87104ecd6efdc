/**
 * The heap of a DSP process, on the DSP side of apps_mem: malloc and free over the memory the
 * process owns, growing it from APPS with request_map64(ADD_PAGES) when free space falls below a
 * low threshold, as the apps_mem design document says the DSP heap does. Growth runs under one
 * lock, as the DSP runtime's heap mutex: allocations that arrive while a growth is in flight
 * wait for it instead of asking APPS again. Chunks whose allocations are all freed go back with
 * request_unmap64 on `trim`.
 */
import { AeeError } from '../wire/aee-codes.ts';
import { apps_mem_ADSP_MMAP_ADD_PAGES } from '../interfaces/apps_mem.ts';

/** What the heap needs of apps_mem: the generated AppsMemClient on the reverse transport fits. */
export interface AppsMemCalls {
  requestMap64(heapid: number, ionFlags: number, rflags: number, vin: bigint, len: bigint): Promise<{ vapps: bigint; vadsp: bigint }>;
  requestUnmap64(vadsp: bigint, len: bigint): Promise<void>;
}

export interface DspHeapOptions {
  /** DSP address and size of the memory the process starts with (its static heap). */
  readonly initial: { readonly base: bigint; readonly size: number };
  /** Grow when an allocation would leave less than this many bytes free (default 256 KiB). */
  readonly lowThreshold?: number;
  /** Bytes asked of APPS per growth, at least what the allocation needs (default 1 MiB). */
  readonly growBytes?: number;
  /** request_map64 arguments (defaults: heap -1, flags 0, ADSP_MMAP_ADD_PAGES). */
  readonly heapId?: number;
  readonly ionFlags?: number;
  readonly rflags?: number;
}

/** One piece of memory the heap owns: the initial heap or a chunk APPS mapped. */
interface Region {
  readonly base: bigint;
  readonly size: number;
  /** From APPS (given back by trim), or the initial heap. */
  readonly grown: boolean;
  /** Free ranges as [offset, size], sorted by offset. */
  free: [number, number][];
  used: number;
}

const ALIGN = 8;
const PAGE = 4096;
const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

export class DspHeap {
  private readonly regions: Region[] = [];
  private readonly blocks = new Map<bigint, { region: Region; offset: number; size: number }>();
  private growing: Promise<void> | undefined;
  /** Growths asked of APPS, in order (DSP address and size), and those that failed. */
  readonly growths: { vadsp: bigint; size: number }[] = [];
  readonly failedGrowths: { size: number; code: number }[] = [];
  private readonly lowThreshold: number;
  private readonly growBytes: number;

  constructor(
    private readonly mem: AppsMemCalls,
    readonly options: DspHeapOptions,
  ) {
    this.lowThreshold = options.lowThreshold ?? 256 * 1024;
    this.growBytes = options.growBytes ?? 1024 * 1024;
    this.regions.push({ base: options.initial.base, size: options.initial.size, grown: false, free: [[0, options.initial.size]], used: 0 });
  }

  /** Bytes free in all regions. */
  get freeBytes(): number {
    return this.regions.reduce((n, r) => n + r.size - r.used, 0);
  }

  get totalBytes(): number {
    return this.regions.reduce((n, r) => n + r.size, 0);
  }

  /**
   * Allocates `size` bytes; resolves to their DSP address, or undefined when neither the heap nor
   * a growth can hold them (malloc's NULL). Grows first when the allocation would leave less than
   * the threshold free, and when no free range is large enough although the bytes are.
   */
  async malloc(size: number): Promise<bigint | undefined> {
    if (!Number.isSafeInteger(size) || size <= 0) return undefined;
    const need = roundUp(size, ALIGN);
    while (this.growing) await this.growing;
    if (this.freeBytes - need < this.lowThreshold) {
      await this.grow(need);
      return this.place(need);
    }
    const addr = this.place(need);
    if (addr !== undefined) return addr;
    // Enough bytes free in all, but no free range holds them (fragmentation): a growth, sized for
    // the request, is what lets the allocation succeed.
    await this.grow(need);
    return this.place(need);
  }

  free(addr: bigint): void {
    const b = this.blocks.get(addr);
    if (!b) throw new RangeError(`free of 0x${addr.toString(16)}, which malloc did not return`);
    this.blocks.delete(addr);
    b.region.used -= b.size;
    insertFree(b.region.free, b.offset, b.size);
  }

  /** Gives back to APPS every grown chunk with nothing allocated in it. Returns how many. */
  async trim(): Promise<number> {
    while (this.growing) await this.growing;
    let released = 0;
    for (const r of [...this.regions]) {
      if (!r.grown || r.used !== 0) continue;
      await this.mem.requestUnmap64(r.base, BigInt(r.size));
      this.regions.splice(this.regions.indexOf(r), 1);
      released++;
    }
    return released;
  }

  /** One request to APPS at a time; others wait for it (the heap lock). */
  private grow(need: number): Promise<void> {
    const size = roundUp(Math.max(this.growBytes, need), PAGE);
    const o = this.options;
    this.growing = this.mem
      .requestMap64(o.heapId ?? -1, o.ionFlags ?? 0, o.rflags ?? apps_mem_ADSP_MMAP_ADD_PAGES, 0n, BigInt(size))
      .then(
        ({ vadsp }) => {
          this.regions.push({ base: vadsp, size, grown: true, free: [[0, size]], used: 0 });
          this.growths.push({ vadsp, size });
        },
        (e: unknown) => {
          // A refused growth is not fatal: the allocation still fits, or malloc returns NULL.
          if (!(e instanceof AeeError)) throw e;
          this.failedGrowths.push({ size, code: e.code });
        },
      )
      .finally(() => {
        this.growing = undefined;
      });
    return this.growing;
  }

  /** First fit over the regions, oldest first. */
  private place(need: number): bigint | undefined {
    for (const r of this.regions) {
      const i = r.free.findIndex(([, size]) => size >= need);
      if (i < 0) continue;
      const [offset, size] = r.free[i]!;
      if (size === need) r.free.splice(i, 1);
      else r.free[i] = [offset + need, size - need];
      r.used += need;
      const addr = r.base + BigInt(offset);
      this.blocks.set(addr, { region: r, offset, size: need });
      return addr;
    }
    return undefined;
  }
}

/** Returns a range to a sorted free list, merging it with its neighbours. */
function insertFree(free: [number, number][], offset: number, size: number): void {
  let i = free.findIndex(([o]) => o > offset);
  if (i < 0) i = free.length;
  free.splice(i, 0, [offset, size]);
  const next = free[i + 1];
  if (next && offset + size === next[0]) {
    free[i] = [offset, size + next[1]];
    free.splice(i + 1, 1);
  }
  const prev = free[i - 1];
  if (prev && prev[0] + prev[1] === offset) {
    free[i - 1] = [prev[0], prev[1] + free[i]![1]];
    free.splice(i, 1);
  }
}
