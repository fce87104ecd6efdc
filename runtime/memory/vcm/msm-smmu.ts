import { Errno } from '../errno.ts';
import type { PhysicalMemory } from '../phys.ts';
import type { ContextBank, FaultHandler } from '../smmu/context.ts';
import { ARM_V7S, IommuProt } from '../smmu/formats.ts';
import { SmmuInstance } from '../smmu/smmu.ts';

const K = 1024;
const LEGAL = [4 * K, 64 * K, 1024 * K, 16 * 1024 * K];

/**
 * The legacy MSM SMMU driver API VCM sits on: instances with named contexts sharing one
 * TLB, single-entry maps of exactly 4K/64K/1M/16M at aligned addresses, 1 = retry /
 * 0 = terminate fault hooks, and update_start/update_done brackets.
 */
export class MsmSmmuDriver {
  private readonly instances = new Map<string, SmmuInstance>();
  private readonly contexts = new Map<string, ContextBank>();
  private readonly active = new Set<ContextBank>();

  constructor(private readonly phys?: PhysicalMemory) {}

  /** smmu_drvdata_init + smmu_ctx_init + smmu_ctx_bind, from a tree like {smmu0: [ctx0, ctx1]}. */
  static fromTree(tree: Record<string, readonly string[]>, phys?: PhysicalMemory): MsmSmmuDriver {
    const d = new MsmSmmuDriver(phys);
    for (const [smmu, ctxs] of Object.entries(tree)) for (const c of ctxs) d.addContext(smmu, c);
    return d;
  }

  addContext(smmuName: string, ctxName: string): ContextBank {
    let inst = this.instances.get(smmuName);
    if (!inst) {
      inst = new SmmuInstance(smmuName, { sharedTlb: true });
      this.instances.set(smmuName, inst);
    }
    const ctx = inst.addContext({
      name: ctxName,
      format: ARM_V7S,
      faultConvention: 'msm',
      stall: true,
      tlbMaintenance: 'update-done',
      ...(this.phys ? { phys: this.phys } : {}),
    });
    this.contexts.set(ctxName, ctx);
    return ctx;
  }

  /** smmu_get_ctx_instance. */
  lookup(name: string): ContextBank | undefined {
    return this.contexts.get(name);
  }

  map(dev: ContextBank, pa: bigint, va: bigint, len: number, prot = IommuProt.READ | IommuProt.WRITE): number {
    if (!LEGAL.includes(len) || pa % BigInt(len) !== 0n || va % BigInt(len) !== 0n) return -Errno.EINVAL;
    return dev.map(va, pa, len, prot);
  }

  unmap(dev: ContextBank, va: bigint, len: number): number {
    if (!LEGAL.includes(len) || va % BigInt(len) !== 0n) return -Errno.EINVAL;
    return dev.unmap(va, len) === len ? 0 : -Errno.EINVAL;
  }

  updateStart(dev: ContextBank): number {
    dev.updateStart();
    return 0;
  }

  updateDone(dev: ContextBank): number {
    dev.updateDone();
    return 0;
  }

  /** smmu_translate: the PA, or 0 when unmapped. */
  translate(dev: ContextBank, va: bigint): bigint {
    return dev.iovaToPhys(va);
  }

  hookIrpt(dev: ContextBank, handler: FaultHandler | undefined): number {
    dev.setFaultHandler(handler);
    return 0;
  }

  activate(dev: ContextBank): number {
    this.active.add(dev);
    return 0;
  }

  deactivate(dev: ContextBank): number {
    if (!this.active.delete(dev)) return -Errno.EINVAL;
    return 0;
  }

  isActive(dev: ContextBank): boolean {
    return this.active.has(dev);
  }
}
