import { ContextBank, type ContextBankOptions } from './context.ts';
import { Tlb } from './tlb.ts';

/**
 * An SMMU instance holding named context banks. `sharedTlb` models the legacy MSM SMMU,
 * whose contexts all use one TLB.
 */
export class SmmuInstance {
  private readonly contexts = new Map<string, ContextBank>();
  readonly tlb: Tlb | undefined;
  private nextIndex = 0;

  constructor(
    readonly name: string,
    opts: { sharedTlb?: boolean; tlbCapacity?: number } = {},
  ) {
    this.tlb = opts.sharedTlb ? new Tlb(opts.tlbCapacity) : undefined;
  }

  addContext(opts: Omit<ContextBankOptions, 'index' | 'tlb'>): ContextBank {
    if (this.contexts.has(opts.name)) throw new Error(`${this.name}: context ${opts.name} already exists`);
    const ctx = new ContextBank({ ...opts, index: this.nextIndex++, ...(this.tlb ? { tlb: this.tlb } : {}) });
    this.contexts.set(opts.name, ctx);
    return ctx;
  }

  context(name: string): ContextBank | undefined {
    return this.contexts.get(name);
  }

  /** Forgets a context (its TLB entries go with it); false if there was none of that name. */
  removeContext(name: string): boolean {
    const ctx = this.contexts.get(name);
    if (!ctx) return false;
    this.tlb?.invalidateContext(ctx.index);
    return this.contexts.delete(name);
  }

  list(): ContextBank[] {
    return [...this.contexts.values()];
  }
}
