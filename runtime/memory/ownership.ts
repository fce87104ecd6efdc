import { Errno, KernelError } from './errno.ts';

/** TrustZone / hypervisor VMIDs (qcom_scm numbering). */
export const Vmid = {
  TZ: 0x1,
  HLOS: 0x3,
  SSC_Q6: 0x5,
  ADSP_Q6: 0x6,
  CP_PIXEL: 0xa,
  MSS_MSA: 0xf,
  MSS_NONMSA: 0x10,
  LPASS: 0x16,
  WLAN: 0x18,
  WLAN_CE: 0x19,
  CDSP: 0x1e,
  ADSP_HEAP: 0x25,
  NAV: 0x2b,
  TVM: 0x2d,
  OEMVM: 0x31,
} as const;

/** SCM / hyp-assign permission bits. Not the mem-buf encoding (see mem-buf.ts). */
export const ScmPerm = { READ: 0x4, WRITE: 0x2, EXEC: 0x1, RW: 0x6, RWX: 0x7 } as const;

export interface VmPerm {
  readonly vmid: number;
  readonly perm: number;
}

interface OwnedRange {
  start: number;
  end: number;
  owners: readonly VmPerm[];
}

const HLOS_ONLY: readonly VmPerm[] = [{ vmid: Vmid.HLOS, perm: ScmPerm.RWX }];

function bitmapOf(owners: readonly VmPerm[]): bigint {
  let b = 0n;
  for (const o of owners) b |= 1n << BigInt(o.vmid);
  return b;
}

/** The way an access reaches simulated memory. */
export type AccessPath = 'cpu' | 'uio' | 'peripheral' | 'device' | 'vm';

/** One access of simulated memory, as `MemoryOwnership.check` judges it. */
export interface MemoryAccess {
  readonly path: AccessPath;
  /** The VM making the access (Vmid). */
  readonly vmid: number;
  readonly pa: bigint;
  readonly len: number;
  readonly write: boolean;
  /** Who, in words (a process, a context bank, a peripheral), for the record. */
  readonly by?: string;
}

/** An access the stage-2 owners do not allow. */
export interface AccessViolation extends MemoryAccess {
  readonly reason: string;
}

/** A refused access on a path whose hardware raises a fault to the accessor (a UIO mapping, a peripheral). */
export class AccessFault extends Error {
  constructor(readonly violation: AccessViolation) {
    super(`${violation.by ?? violation.path} ${violation.write ? 'write' : 'read'} refused: ${violation.reason}`);
    this.name = 'AccessFault';
  }
}

/** Violations kept by `MemoryOwnership.violations` (the oldest are dropped beyond it). */
export const MAX_RECORDED_VIOLATIONS = 1000;

/**
 * Stage-2 ownership of physical memory, changed by `qcom_scm_assign_mem`. Memory nobody
 * assigned belongs to HLOS with RWX. Every byte has a set of owner VMs with permissions;
 * every access path (APPS CPU mappings, UIO mappings, a peripheral's mapping, devices behind
 * an SMMU, mem-buf VMs) asks `check`, the one place a refusal is decided and recorded.
 */
export class MemoryOwnership {
  private ranges: OwnedRange[] = [];
  /** Refused accesses, oldest first, whichever path they took. */
  readonly violations: AccessViolation[] = [];
  private readonly listeners = new Set<(v: AccessViolation) => void>();
  /** Test hook: when it returns true for a call, the secure world refuses the assignment. */
  refuse: ((pa: bigint, size: number, dest: readonly VmPerm[]) => boolean) | undefined;
  assignCalls = 0;

  /**
   * qcom_scm_assign_mem: `srcVmBitmap` must be exactly the current owners of every byte
   * of every range; on success the returned bitmap names the new owners. Any refusal is
   * -EINVAL, and nothing changes.
   */
  assign(chunks: readonly { pa: bigint; size: number }[], srcVmBitmap: bigint, dest: readonly VmPerm[]): bigint {
    this.assignCalls++;
    if (dest.length === 0) throw new KernelError(Errno.EINVAL, 'no destination VMs');
    for (const c of chunks) {
      if (this.refuse?.(c.pa, c.size, dest)) throw new KernelError(Errno.EINVAL, 'secure world refused the assignment');
      for (const piece of this.ownersOf(c.pa, c.size)) {
        if (bitmapOf(piece.owners) !== srcVmBitmap) {
          throw new KernelError(Errno.EINVAL, `source VMs 0x${srcVmBitmap.toString(16)} do not own 0x${piece.start.toString(16)}`);
        }
      }
    }
    const isHlos = dest.length === 1 && dest[0]!.vmid === Vmid.HLOS && dest[0]!.perm === ScmPerm.RWX;
    for (const c of chunks) this.set(Number(c.pa), Number(c.pa) + c.size, isHlos ? undefined : [...dest]);
    return bitmapOf(dest);
  }

  /** Owners of each piece of [pa, pa+size) (HLOS-only pieces included). */
  ownersOf(pa: bigint, size: number): { start: number; end: number; owners: readonly VmPerm[] }[] {
    const start = Number(pa);
    const end = start + size;
    const out: { start: number; end: number; owners: readonly VmPerm[] }[] = [];
    let cur = start;
    for (const r of this.ranges) {
      if (r.end <= cur) continue;
      if (r.start >= end) break;
      if (r.start > cur) out.push({ start: cur, end: r.start, owners: HLOS_ONLY });
      const s = Math.max(cur, r.start);
      const e = Math.min(end, r.end);
      out.push({ start: s, end: e, owners: r.owners });
      cur = e;
    }
    if (cur < end) out.push({ start: cur, end, owners: HLOS_ONLY });
    return out;
  }

  /**
   * The stage-2 check of one access: undefined when `vmid` may read (or write) every byte, else
   * the violation, recorded and told to every `onViolation` handler. The caller raises the error
   * of its path (CpuAccessFault, an SmmuFault of kind 'stage2', EFAULT).
   */
  check(access: MemoryAccess): AccessViolation | undefined {
    if (this.allows(access.vmid, access.pa, access.len, access.write ? ScmPerm.WRITE : ScmPerm.READ)) return undefined;
    const v: AccessViolation = {
      ...access,
      reason: `VM 0x${access.vmid.toString(16)} may not ${access.write ? 'write' : 'read'} ${access.len} bytes at 0x${access.pa.toString(16)}`,
    };
    this.violations.push(v);
    if (this.violations.length > MAX_RECORDED_VIOLATIONS) this.violations.shift();
    for (const l of this.listeners) l(v);
    return v;
  }

  /** Registers a handler told of every refused access; returns its removal. */
  onViolation(handler: (v: AccessViolation) => void): () => void {
    this.listeners.add(handler);
    return () => this.listeners.delete(handler);
  }

  /** True if `vmid` holds every bit of `perm` on every byte of [pa, pa+size). */
  allows(vmid: number, pa: bigint, size: number, perm: number): boolean {
    return this.ownersOf(pa, size).every((p) => p.owners.some((o) => o.vmid === vmid && (o.perm & perm) === perm));
  }

  /** Ranges not owned by HLOS alone, for dumps and invariant checks. */
  assignedRanges(): readonly { start: number; end: number; owners: readonly VmPerm[] }[] {
    return this.ranges;
  }

  private set(start: number, end: number, owners: readonly VmPerm[] | undefined): void {
    const next: OwnedRange[] = [];
    for (const r of this.ranges) {
      if (r.end <= start || r.start >= end) {
        next.push(r);
        continue;
      }
      if (r.start < start) next.push({ start: r.start, end: start, owners: r.owners });
      if (r.end > end) next.push({ start: end, end: r.end, owners: r.owners });
    }
    if (owners) next.push({ start, end, owners });
    next.sort((a, b) => a.start - b.start);
    this.ranges = next;
  }
}

export function vmBitmap(...vmids: number[]): bigint {
  return vmids.reduce((b, v) => b | (1n << BigInt(v)), 0n);
}
