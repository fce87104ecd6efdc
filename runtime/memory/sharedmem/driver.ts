import { Errno, KernelError } from '../errno.ts';
import { MemoryOwnership, ScmPerm, Vmid, vmBitmap, type VmPerm } from '../ownership.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../phys.ts';
import { SHAREDMEM_COMPATIBLE, SHAREDMEM_DEFAULT_CLIENT_ID, SharedmemClientId, type SharedmemNode } from './device-tree.ts';
import { UioRegistry } from './uio.ts';

/** Guard memory adds one page below and one above the exposed buffer. */
const GUARD_BYTES = 4096;

/** An entry of the RFSA service's client list. */
export interface SharedmemEntry {
  readonly clientId: number;
  /** First 10 characters of the resource name. */
  readonly name: string;
  readonly address: bigint;
  readonly size: number;
  readonly dynamic: boolean;
  requestCount: number;
}

export interface SharedmemProbeResult {
  readonly name: string;
  /** 0 on success, else the negative errno the probe returned. */
  readonly status: number;
  readonly uio?: string;
  readonly entry?: SharedmemEntry;
}

export interface MsmSharedmemOptions {
  readonly memory: PhysicalMemory;
  readonly ownership?: MemoryOwnership;
  readonly uio?: UioRegistry;
}

/**
 * The msm_sharedmem driver: per DT node, a physically contiguous buffer allocated at boot
 * (never freed), a UIO device exposing it, and an entry in the RFSA service's client list.
 * Only client 1 (MPSS remote storage) is hyp-assigned to the modem; a failed assignment is
 * logged and the probe still succeeds.
 */
export class MsmSharedmem {
  readonly memory: PhysicalMemory;
  readonly ownership: MemoryOwnership;
  readonly uio: UioRegistry;
  readonly entries: SharedmemEntry[] = [];
  readonly log: string[] = [];
  /** debugfs rmt_storage/rfsa and rmts write counters. */
  rfsaServerStarts = 0;
  rmtsServerStarts = 0;
  /** Nodes this driver is bound to: the driver core never probes a bound device again. */
  private readonly bound = new WeakSet<SharedmemNode>();

  constructor(options: MsmSharedmemOptions) {
    this.memory = options.memory;
    this.ownership = options.ownership ?? new MemoryOwnership();
    this.uio = options.uio ?? new UioRegistry(options.memory, this.ownership);
  }

  probeAll(nodes: readonly SharedmemNode[]): SharedmemProbeResult[] {
    return nodes.map((n) => this.probe(n));
  }

  probe(node: SharedmemNode): SharedmemProbeResult {
    const name = node.regNames ?? '';
    if (node.compatible !== undefined && node.compatible !== SHAREDMEM_COMPATIBLE) return { name, status: -Errno.ENODEV };
    if (this.bound.has(node)) return this.fail(name, Errno.EBUSY, 'device already bound (probed twice)');
    const result = this.probeUnbound(node, name);
    if (result.status === 0) this.bound.add(node);
    return result;
  }

  private probeUnbound(node: SharedmemNode, name: string): SharedmemProbeResult {
    if (!node.reg) return this.fail(name, Errno.ENODEV, 'no memory resource');
    const { address, size } = node.reg;
    if (!Number.isSafeInteger(size) || size <= 0) return this.fail(name, Errno.EINVAL, 'size 0');
    let clientId = node.clientId;
    if (clientId === undefined) {
      this.log.push(`${name}: qcom,client-id missing, using 0x${SHAREDMEM_DEFAULT_CLIENT_ID.toString(16)}`);
      clientId = SHAREDMEM_DEFAULT_CLIENT_ID;
    }

    let exposed = address;
    const dynamic = address === 0n;
    if (dynamic) {
      const guard = node.guardMemory === true;
      try {
        const alloc = this.memory.allocContiguous(size + (guard ? 2 * GUARD_BYTES : 0), PAGE_SIZE);
        this.memory.zero(alloc);
        exposed = alloc.pa + (guard ? BigInt(GUARD_BYTES) : 0n);
      } catch (err) {
        if (err instanceof KernelError) return this.fail(name, Errno.ENOMEM, `cannot allocate ${size} bytes`);
        throw err;
      }
    }

    if (clientId === SharedmemClientId.RMTFS) this.assignToModem(name, exposed, size, node.vmNavPath === true);

    const uio = this.uio.register({ name, version: '1.0', maps: [{ addr: exposed, size, name }] });
    const entry: SharedmemEntry = { clientId, name: name.slice(0, 10), address: exposed, size, dynamic, requestCount: 0 };
    this.entries.push(entry);
    this.log.push(`${name}: ${uio} at 0x${exposed.toString(16)} size 0x${size.toString(16)} client 0x${clientId.toString(16)}`);
    return { name, status: 0, uio, entry };
  }

  /**
   * The GET_BUFF_ADDR lookup: the first entry with the id wins. Throws KernelError -ENOMEM
   * (size 0, size larger than the buffer, no address) or -ENOENT (unknown client).
   */
  lookup(clientId: number, size: number): bigint {
    if (size === 0) throw new KernelError(Errno.ENOMEM, 'size 0');
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry) throw new KernelError(Errno.ENOENT, `no client 0x${clientId.toString(16)}`);
    if (size > entry.size) throw new KernelError(Errno.ENOMEM, `${size} > buffer size ${entry.size}`);
    if (entry.address === 0n) throw new KernelError(Errno.ENOMEM, 'buffer has no address');
    entry.requestCount++;
    return entry.address;
  }

  /** debugfs rmt_storage/info. */
  debugfsInfo(): string {
    let out = '';
    for (const e of this.entries) {
      out += `Entry: ${e.name}\nClient ID: 0x${e.clientId.toString(16).toUpperCase().padStart(8, '0')}\n`;
      out += `Size: 0x${e.size.toString(16)} (${e.size})\nAddress: 0x${e.address.toString(16).toUpperCase().padStart(16, '0')}\n`;
      out += `${e.dynamic ? 'Dynamic' : 'Static'}\nRequest count: ${e.requestCount}\n\n`;
    }
    out += `RFSA server start count: ${this.rfsaServerStarts}\nRMTS server start count: ${this.rmtsServerStarts}\n`;
    return out.slice(0, 2048);
  }

  /** A userspace daemon (re)started: any write to debugfs rfsa / rmts. */
  recordServerStart(which: 'rfsa' | 'rmts'): void {
    if (which === 'rfsa') this.rfsaServerStarts = Math.min(this.rfsaServerStarts + 1, 0xffffffff);
    else this.rmtsServerStarts = Math.min(this.rmtsServerStarts + 1, 0xffffffff);
  }

  private assignToModem(name: string, pa: bigint, size: number, nav: boolean): void {
    const dest: VmPerm[] = [
      { vmid: Vmid.HLOS, perm: ScmPerm.RW },
      { vmid: Vmid.MSS_MSA, perm: ScmPerm.RW },
    ];
    if (nav) dest.push({ vmid: Vmid.NAV, perm: ScmPerm.RW });
    try {
      this.ownership.assign([{ pa, size }], vmBitmap(Vmid.HLOS), dest);
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      this.log.push(`${name}: hyp assign ${err.errno === -Errno.EINVAL ? 'not supported' : `failed (${err.message})`}`);
    }
  }

  private fail(name: string, errno: number, why: string): SharedmemProbeResult {
    this.log.push(`${name}: probe failed: ${why}`);
    return { name, status: -errno };
  }
}
