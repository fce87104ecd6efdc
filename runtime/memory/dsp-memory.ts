import { DSP_AEE_EOFFSET } from '../wire/aee-codes.ts';

/** An error code the DSP returned for a kernel-issued call (passed through as is). */
export class DspCallError extends Error {
  constructor(readonly code: number) {
    super(`DSP returned 0x${(code >>> 0).toString(16)}`);
    this.name = 'DspCallError';
  }
}

/** The DSP's "unsupported" as the kernel sees it. */
export const DSP_EUNSUPPORTED = (DSP_AEE_EOFFSET + 0x14) >>> 0;

/** How the device address of a mapping reaches memory. */
export type DeviceAddressKind = 'iova' | 'phys';

export interface DspMapRequest {
  readonly clientId: number;
  readonly flags: number;
  readonly vaddrin: bigint;
  /** IOVA (with sid bits) or PA, as the kernel sends it. */
  readonly deviceAddr: bigint;
  readonly kind: DeviceAddressKind;
  readonly size: number;
}

export interface DspMapping extends DspMapRequest {
  readonly vaddr: bigint;
}

/**
 * The DSP side of the kernel's mmap/munmap calls (remote handle 1, methods 4/5 and the
 * fd map methods): keeps its own virtual address space over device addresses. Errors
 * are injected with `failNext`.
 */
export interface DspMemoryService {
  mmap(req: DspMapRequest): bigint;
  munmap(clientId: number, vaddr: bigint, size: number): void;
}

export class SimulatedDspMemory implements DspMemoryService {
  private readonly maps = new Map<bigint, DspMapping>();
  private next: bigint;
  /** Queue of failures: the next matching call throws DspCallError(code). */
  readonly failNext: { op: 'mmap' | 'munmap'; code: number }[] = [];
  calls = { mmap: 0, munmap: 0 };

  constructor(readonly vaBase: bigint = 0xe000_0000n) {
    this.next = vaBase;
  }

  mmap(req: DspMapRequest): bigint {
    this.calls.mmap++;
    this.maybeFail('mmap');
    const len = BigInt(Math.ceil(req.size / 4096) * 4096);
    const vaddr = this.next;
    this.next += len === 0n ? 4096n : len;
    this.maps.set(vaddr, { ...req, vaddr });
    return vaddr;
  }

  munmap(clientId: number, vaddr: bigint, size: number): void {
    this.calls.munmap++;
    this.maybeFail('munmap');
    const m = this.maps.get(vaddr);
    if (!m || m.clientId !== clientId || m.size !== size) {
      // The DSP rejects unknown ranges with its own "bad parameter".
      throw new DspCallError((DSP_AEE_EOFFSET + 0x0e) >>> 0);
    }
    this.maps.delete(vaddr);
  }

  /** The mapping containing a DSP virtual address. */
  resolve(vaddr: bigint): DspMapping | undefined {
    for (const m of this.maps.values()) if (vaddr >= m.vaddr && vaddr < m.vaddr + BigInt(m.size)) return m;
    return undefined;
  }

  /** Forgets everything of a process (PD exit / subsystem restart). */
  dropClient(clientId: number): void {
    for (const [k, m] of this.maps) if (m.clientId === clientId) this.maps.delete(k);
  }

  mappings(): DspMapping[] {
    return [...this.maps.values()];
  }

  private maybeFail(op: 'mmap' | 'munmap'): void {
    const i = this.failNext.findIndex((f) => f.op === op);
    if (i >= 0) {
      const [f] = this.failNext.splice(i, 1);
      throw new DspCallError(f!.code);
    }
  }
}
