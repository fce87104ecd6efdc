import { Errno, KernelError } from '../errno.ts';
import type { MemoryOwnership } from '../ownership.ts';
import type { PhysicalMemory } from '../phys.ts';
import { ARM_LPAE_4K, IommuProt, type PageTableFormat } from './formats.ts';
import { IovaAllocator, type IovaAllocatorOptions } from './iova-allocator.ts';
import { PageTable, type Leaf, type PageTableOptions } from './page-table.ts';
import { Tlb } from './tlb.ts';

/**
 * Fault-handler conventions. 'upstream': return -EAGAIN to retry, anything else
 * terminates (qcom also treats 0 and -EBUSY as handled-terminate). 'msm' (legacy MSM
 * SMMU / VCM hook): return 1 to retry, 0 to terminate.
 */
export type FaultConvention = 'upstream' | 'msm';

export interface FaultInfo {
  readonly context: ContextBank;
  readonly iova: bigint;
  readonly write: boolean;
  /** 'unmapped' (translation fault) or 'permission'. */
  readonly kind: FaultKind;
}

export type FaultHandler = (fault: FaultInfo) => number;

/**
 * `disabled`: a transaction reached a context bank whose translation is off (not activated).
 * `stage2`: the translated address is memory the device's VM may not access (hypervisor
 * stage 2 or XPU); it is never retried.
 */
export type FaultKind = 'unmapped' | 'permission' | 'disabled' | 'stage2';

export interface FaultRecord {
  readonly iova: bigint;
  readonly write: boolean;
  readonly kind: FaultKind;
  /** What the handler returned (-ENOSYS when there was none). */
  readonly handlerResult: number;
  readonly outcome: 'retry' | 'terminate';
}

/** A transaction the SMMU terminated. */
export class SmmuFault extends Error {
  constructor(readonly record: FaultRecord & { context: string }) {
    super(
      `SMMU ${record.kind} fault on ${record.context} at IOVA 0x${record.iova.toString(16)} (${record.write ? 'write' : 'read'}), terminated`,
    );
    this.name = 'SmmuFault';
  }
}

export interface ContextBankOptions {
  readonly name: string;
  /** Context-bank index; also the tag of its TLB entries. */
  readonly index?: number;
  /** Stream/session id the DSP address carries in bits 32+ (upstream fastrpc). */
  readonly sid?: number;
  readonly format?: PageTableFormat;
  readonly pageTable?: PageTableOptions;
  /** IOVA window for the allocator; omitted = no allocator (caller-chosen IOVAs only). */
  readonly window?: IovaAllocatorOptions;
  readonly faultConvention?: FaultConvention;
  /** Stall mode: only then can a handler retry the transaction. */
  readonly stall?: boolean;
  /** Shared TLB (legacy MSM: one per SMMU instance); a private one by default. */
  readonly tlb?: Tlb;
  /** 'on-unmap' (invalidate in unmap, then sync) or 'update-done' (legacy: at smmu_update_done). */
  readonly tlbMaintenance?: 'on-unmap' | 'update-done';
  /** Physical memory the device reaches; needed for read/write. */
  readonly phys?: PhysicalMemory;
  /** Retries allowed before a retried fault is terminated anyway. */
  readonly maxRetries?: number;
  /**
   * The VM whose memory rights the device's transactions carry: each read or write through
   * this context is checked against `ownership` after translation. Without it only the page
   * table's protections apply.
   */
  readonly stage2?: { readonly ownership: MemoryOwnership; readonly vmid: number };
}

let nextIndex = 0;

/**
 * One SMMU context bank: a page table, an optional IOVA allocator, a TLB, a fault
 * handler. Kernel-style calls (`map`, `unmap`) return errno / byte counts as the kernel
 * does; the DSP-side `read`/`write` go through the TLB and the page table and throw
 * SmmuFault when the transaction is terminated.
 */
export class ContextBank {
  readonly name: string;
  readonly index: number;
  readonly sid: number;
  readonly pt: PageTable;
  readonly iova: IovaAllocator | undefined;
  readonly tlb: Tlb;
  readonly faults: FaultRecord[] = [];
  readonly convention: FaultConvention;
  readonly stall: boolean;
  private handler: FaultHandler | undefined;
  private readonly phys: PhysicalMemory | undefined;
  private readonly maintenance: 'on-unmap' | 'update-done';
  private readonly maxRetries: number;
  private gather: { iova: number; size: number }[] = [];
  private updating = false;
  private translating = true;
  private readonly stage2: ContextBankOptions['stage2'];

  constructor(opts: ContextBankOptions) {
    this.name = opts.name;
    this.index = opts.index ?? nextIndex++;
    this.sid = opts.sid ?? 0;
    this.pt = new PageTable(opts.format ?? ARM_LPAE_4K, opts.pageTable);
    this.iova = opts.window ? new IovaAllocator(opts.window) : undefined;
    this.tlb = opts.tlb ?? new Tlb();
    this.convention = opts.faultConvention ?? 'upstream';
    this.stall = opts.stall ?? false;
    this.phys = opts.phys;
    this.maintenance = opts.tlbMaintenance ?? 'on-unmap';
    this.maxRetries = opts.maxRetries ?? 4;
    this.stage2 = opts.stage2;
    this.pt.onUnmap((iova, size) => this.gather.push({ iova, size }));
  }

  get format(): PageTableFormat {
    return this.pt.format;
  }

  /** iommu_map: 0 or a negative errno; nothing is left mapped on failure. */
  map(iova: bigint, pa: bigint, size: number | bigint, prot: number = IommuProt.READ | IommuProt.WRITE): number {
    const r = this.pt.map(Number(iova), Number(pa), Number(size), prot);
    this.syncIfNeeded();
    return r;
  }

  /** iommu_unmap: bytes unmapped; the TLB no longer holds them when this returns. */
  unmap(iova: bigint, size: number | bigint): number {
    const n = this.pt.unmap(Number(iova), Number(size));
    this.syncIfNeeded();
    return n;
  }

  iovaToPhys(iova: bigint): bigint {
    return BigInt(this.pt.iovaToPhys(Number(iova)));
  }

  /**
   * dma_map_sg-like: allocates one IOVA range for the chunks and maps them back to back.
   * -ENOMEM when the window is full; the mapping error otherwise. All-or-nothing.
   */
  mapChunks(chunks: readonly { pa: bigint; size: number }[], prot: number = IommuProt.READ | IommuProt.WRITE): bigint {
    if (!this.iova) throw new KernelError(Errno.ENODEV, `${this.name} has no IOVA allocator`);
    const total = chunks.reduce((n, c) => n + c.size, 0);
    const base = this.iova.alloc(total);
    if (base === undefined) throw new KernelError(Errno.ENOMEM, `${this.name}: no IOVA space for ${total} bytes`);
    let off = 0;
    for (const c of chunks) {
      const r = this.map(BigInt(base + off), c.pa, c.size, prot);
      if (r !== 0) {
        if (off > 0) this.unmap(BigInt(base), off);
        this.iova.free(base);
        throw new KernelError(r, `${this.name}: map failed`);
      }
      off += c.size;
    }
    return BigInt(base);
  }

  /** Undoes mapChunks. */
  unmapChunks(iova: bigint, size: number): number {
    const n = this.unmap(iova, size);
    this.iova?.free(Number(iova));
    return n;
  }

  setFaultHandler(handler: FaultHandler | undefined): void {
    this.handler = handler;
  }

  /** Whether device transactions are translated; a disabled context faults every one. */
  get enabled(): boolean {
    return this.translating;
  }

  enable(): void {
    this.translating = true;
  }

  disable(): void {
    this.translating = false;
  }

  /** Legacy MSM bracket: nothing is invalidated until updateDone in 'update-done' mode. */
  updateStart(): void {
    this.updating = true;
  }

  updateDone(): void {
    this.updating = false;
    if (this.maintenance === 'update-done') {
      this.tlb.invalidateContext(this.index);
      this.gather = [];
    }
  }

  /** Tears the context down: everything unmapped, the whole context invalidated. */
  reset(): void {
    this.pt.clear();
    this.gather = [];
    this.tlb.invalidateContext(this.index);
  }

  /**
   * A device transaction: translates `iova` (TLB first, then the table), raising a fault
   * on a miss or a permission mismatch. Returns the PA.
   */
  translate(iova: bigint, write: boolean): bigint {
    const need = write ? IommuProt.WRITE : IommuProt.READ;
    const io = Number(iova);
    for (let attempt = 0; ; attempt++) {
      if (!this.translating) {
        if (this.reportFault(iova, write, 'disabled', attempt) === 'terminate')
          throw new SmmuFault({ ...this.faults[this.faults.length - 1]!, context: this.name });
        continue;
      }
      let leaf: Leaf | undefined = this.tlb.lookup(this.index, io);
      if (!leaf) {
        leaf = this.pt.find(io);
        if (leaf) this.tlb.fill(this.index, leaf);
      }
      if (leaf && (leaf.prot & need) !== 0) return BigInt(leaf.pa + (io - leaf.iova));
      const kind = leaf ? 'permission' : 'unmapped';
      const outcome = this.reportFault(iova, write, kind, attempt);
      if (outcome === 'terminate') {
        throw new SmmuFault({ ...this.faults[this.faults.length - 1]!, context: this.name });
      }
    }
  }

  /** DSP-side read through this context. */
  read(iova: bigint, len: number): Uint8Array {
    const phys = this.requirePhys();
    const out = new Uint8Array(len);
    this.walk(iova, len, false, (pa, off, n) => out.set(phys.view(pa, n), off));
    return out;
  }

  /** DSP-side write through this context. */
  write(iova: bigint, data: Uint8Array): void {
    const phys = this.requirePhys();
    this.walk(iova, data.length, true, (pa, off, n) => phys.view(pa, n).set(data.subarray(off, off + n)));
  }

  private walk(iova: bigint, len: number, write: boolean, each: (pa: bigint, off: number, n: number) => void): void {
    const page = this.pt.minPage;
    let off = 0;
    while (off < len) {
      const cur = iova + BigInt(off);
      const inPage = page - (Number(cur) % page);
      const n = Math.min(inPage, len - off);
      const pa = this.translate(cur, write);
      this.checkStage2(cur, pa, n, write);
      each(pa, off, n);
      off += n;
    }
  }

  /** The VM's rights on the translated bytes; a violation is a recorded, terminated fault. */
  private checkStage2(iova: bigint, pa: bigint, n: number, write: boolean): void {
    const s2 = this.stage2;
    if (!s2 || !s2.ownership.check({ path: 'device', vmid: s2.vmid, pa, len: n, write, by: `context ${this.name}` })) return;
    this.reportFault(iova, write, 'stage2', this.maxRetries);
    throw new SmmuFault({ ...this.faults[this.faults.length - 1]!, context: this.name });
  }

  private requirePhys(): PhysicalMemory {
    if (!this.phys) throw new Error(`${this.name}: no physical memory attached`);
    return this.phys;
  }

  private reportFault(iova: bigint, write: boolean, kind: FaultKind, attempt: number): 'retry' | 'terminate' {
    let result: number;
    let retry: boolean;
    if (!this.handler) {
      result = this.convention === 'upstream' ? -Errno.ENOSYS : 0;
      retry = false;
    } else {
      result = this.handler({ context: this, iova, write, kind });
      retry = this.convention === 'upstream' ? result === -Errno.EAGAIN : result === 1;
    }
    // Without stall mode the transaction was already aborted; a retry cannot resume it.
    const outcome = retry && this.stall && attempt < this.maxRetries ? 'retry' : 'terminate';
    this.faults.push({ iova, write, kind, handlerResult: result, outcome });
    return outcome;
  }

  private syncIfNeeded(): void {
    if (this.gather.length === 0) return;
    if (this.maintenance === 'update-done' && this.updating) return;
    if (this.maintenance === 'update-done') {
      // Outside a bracket the legacy driver never invalidates: stale entries remain.
      this.gather = [];
      return;
    }
    for (const g of this.gather) this.tlb.invalidateRange(this.index, g.iova, g.size);
    this.gather = [];
  }
}
