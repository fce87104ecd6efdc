import { Errno, KernelError } from '../errno.ts';
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
/** smmu_ctx_init's abstract context: named, and usable once smmu_ctx_bind put it on an SMMU. */
export interface SmmuContextHandle {
  readonly name: string;
  bound: ContextBank | undefined;
  smmu: string | undefined;
}

export class MsmSmmuDriver {
  private readonly instances = new Map<string, { readonly inst: SmmuInstance; readonly base: bigint; readonly irq: number }>();
  private readonly contexts = new Map<string, ContextBank>();
  private readonly handles = new Map<string, SmmuContextHandle>();
  private readonly active = new Set<ContextBank>();

  constructor(private readonly phys?: PhysicalMemory) {}

  /** smmu_drvdata_init + smmu_ctx_init + smmu_ctx_bind, from a tree like {smmu0: [ctx0, ctx1]}. */
  static fromTree(tree: Record<string, readonly string[]>, phys?: PhysicalMemory): MsmSmmuDriver {
    const d = new MsmSmmuDriver(phys);
    let base = 0x0400_0000n;
    for (const [smmu, ctxs] of Object.entries(tree)) {
      d.drvdataInit(smmu, (base += 0x10_0000n), 0);
      for (const c of ctxs) d.ctxBind(d.ctxInit(c), smmu);
    }
    return d;
  }

  /** smmu_drvdata_init: an SMMU instance at register base `base`; 0 or -EINVAL / -EBUSY. */
  drvdataInit(name: string, base: bigint, irq: number): number {
    if (base === 0n || !Number.isInteger(irq) || irq < 0) return -Errno.EINVAL;
    if (this.instances.has(name)) return -Errno.EBUSY;
    this.instances.set(name, { inst: new SmmuInstance(name, { sharedTlb: true }), base, irq });
    return 0;
  }

  /** smmu_ctx_init: an abstract context, not yet on any SMMU; null if the name is taken. */
  ctxInit(name: string): SmmuContextHandle | null {
    if (this.handles.has(name)) return null;
    const h: SmmuContextHandle = { name, bound: undefined, smmu: undefined };
    this.handles.set(name, h);
    return h;
  }

  /** smmu_ctx_bind: puts the context on SMMU `smmuName`; -ENODEV unknown SMMU, -EBUSY already bound. */
  ctxBind(ctx: SmmuContextHandle | null, smmuName: string): number {
    if (!ctx || this.handles.get(ctx.name) !== ctx) return -Errno.EINVAL;
    const entry = this.instances.get(smmuName);
    if (!entry) return -Errno.ENODEV;
    if (ctx.bound) return -Errno.EBUSY;
    ctx.bound = entry.inst.addContext({
      name: ctx.name,
      format: ARM_V7S,
      faultConvention: 'msm',
      stall: true,
      tlbMaintenance: 'update-done',
      ...(this.phys ? { phys: this.phys } : {}),
    });
    ctx.smmu = smmuName;
    this.contexts.set(ctx.name, ctx.bound);
    return 0;
  }

  /** smmu_ctx_deinit: -EBUSY while the context is active; its /dev node goes with it. */
  ctxDeinit(ctx: SmmuContextHandle): number {
    if (this.handles.get(ctx.name) !== ctx) return -Errno.EINVAL;
    if (ctx.bound && this.active.has(ctx.bound)) return -Errno.EBUSY;
    if (ctx.bound && ctx.smmu) this.instances.get(ctx.smmu)?.inst.removeContext(ctx.name);
    this.contexts.delete(ctx.name);
    this.handles.delete(ctx.name);
    ctx.bound = undefined;
    return 0;
  }

  /** smmu_get_base_addr: the register base of the SMMU the context is bound to; 0 if unbound. */
  baseAddr(dev: ContextBank): bigint {
    for (const { inst, base } of this.instances.values()) if (inst.context(dev.name) === dev) return base;
    return 0n;
  }

  /** Names of the /dev nodes: one per bound context. */
  devNodes(): string[] {
    return [...this.contexts.keys()].map((n) => `/dev/${n}`);
  }

  /** open("/dev/<ctx>"): user-space access to what the context maps, as PMEM nodes gave. */
  open(path: string): SmmuDevNode {
    const ctx = path.startsWith('/dev/') ? this.contexts.get(path.slice(5)) : undefined;
    if (!ctx) throw new KernelError(Errno.ENOENT, `${path}: no such device`);
    if (!this.phys) throw new KernelError(Errno.ENODEV, `${path}: the driver has no physical memory`);
    return new SmmuDevNode(ctx, this.phys);
  }

  /** Kept for callers that build a tree by hand: init + bind in one call (throws on failure). */
  addContext(smmuName: string, ctxName: string): ContextBank {
    if (!this.instances.has(smmuName)) this.drvdataInit(smmuName, 0x0400_0000n + BigInt(this.instances.size + 1) * 0x10_0000n, 0);
    const h = this.ctxInit(ctxName);
    const r = this.ctxBind(h, smmuName);
    if (r !== 0 || !h?.bound) throw new KernelError(r || Errno.EBUSY, `cannot add context ${ctxName}`);
    return h.bound;
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

/**
 * An open /dev/<ctx> node. mmap maps a range of device addresses the context translates (a
 * VCM reservation that is backed) into the process; reads and writes go to the physical pages
 * behind each device page, as the CPU would see them through a user mapping.
 */
export class SmmuDevNode {
  private open = true;

  constructor(
    private readonly ctx: ContextBank,
    private readonly phys: PhysicalMemory,
  ) {}

  /** -EINVAL (thrown) when part of the range is not mapped in the context; -EBADF once closed. */
  mmap(devAddr: bigint, length: number): SmmuDevMapping {
    if (!this.open) throw new KernelError(Errno.EBADF, `/dev/${this.ctx.name} is closed`);
    if (!Number.isInteger(length) || length <= 0) throw new KernelError(Errno.EINVAL, `length ${length}`);
    const pages: bigint[] = [];
    const page = BigInt(PAGE);
    for (let a = devAddr - (devAddr % page); a < devAddr + BigInt(length); a += page) {
      const pa = this.ctx.iovaToPhys(a);
      if (pa === 0n) throw new KernelError(Errno.EINVAL, `device address 0x${a.toString(16)} is not mapped in ${this.ctx.name}`);
      pages.push(pa - (pa % page));
    }
    return new SmmuDevMapping(pages, Number(devAddr % BigInt(PAGE)), length, this.phys);
  }

  close(): void {
    this.open = false;
  }
}

const PAGE = 4 * K;

/** A user mapping of device pages: byte access by offset, page by page. */
export class SmmuDevMapping {
  constructor(
    private readonly pages: readonly bigint[],
    private readonly first: number,
    readonly length: number,
    private readonly phys: PhysicalMemory,
  ) {}

  read(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.each(offset, len, (pa, at, n) => out.set(this.phys.view(pa, n), at));
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    this.each(offset, data.length, (pa, at, n) => this.phys.view(pa, n).set(data.subarray(at, at + n)));
  }

  private each(offset: number, len: number, f: (pa: bigint, at: number, n: number) => void): void {
    if (offset < 0 || len < 0 || offset + len > this.length)
      throw new KernelError(Errno.EFAULT, `bytes ${offset}..${offset + len} outside the ${this.length}-byte mapping`);
    let at = 0;
    while (at < len) {
      const pos = this.first + offset + at;
      const page = Math.floor(pos / PAGE);
      const inPage = pos % PAGE;
      const n = Math.min(PAGE - inPage, len - at);
      f(this.pages[page]! + BigInt(inPage), at, n);
      at += n;
    }
  }
}
