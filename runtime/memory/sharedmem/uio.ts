import { Errno, KernelError } from '../errno.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../phys.ts';
import { AccessFault, Vmid, type MemoryOwnership } from '../ownership.ts';

/** The kernel's MAX_UIO_MAPS: page offsets 0..4 name a map. */
export const MAX_UIO_MAPS = 5;

const EACCES = 13;

/** Who is opening a device node. */
export interface Identity {
  readonly uid: number;
  readonly gid: number;
  readonly groups?: readonly number[];
}

export const AID_ROOT = 0;
export const AID_SYSTEM = 1000;
export const SYSTEM_IDENTITY: Identity = { uid: AID_SYSTEM, gid: AID_SYSTEM };
export const APP_IDENTITY: Identity = { uid: 10057, gid: 10057 };

export interface UioMap {
  readonly addr: bigint;
  readonly size: number;
  readonly name: string;
}

export interface UioDeviceInfo {
  readonly name: string;
  readonly version: string;
  readonly maps: readonly UioMap[];
}

/** A mapping of a UIO map: a live view of the same physical bytes the peripheral sees. */
export interface UioMapping {
  readonly device: string;
  readonly phys: bigint;
  /** Bytes mapped. */
  readonly length: number;
  /**
   * Always false: UIO maps physical memory with pgprot_noncached, so APPS and the peripheral
   * see each other's writes without cache maintenance (msm_sharedmem relies on it).
   */
  readonly cached: false;
  /**
   * Reads through the mapping as the APPS CPU does: refused (AccessFault, recorded by the
   * memory's ownership) when the buffer is no longer HLOS's to read. There is no unchecked view.
   */
  read(offset: number, len: number): Uint8Array;
  /** Writes through the mapping; refused like `read` when HLOS may not write. */
  write(offset: number, data: Uint8Array): void;
}

/**
 * /dev/uioN nodes and /sys/class/uio. Devices are numbered in registration order from 0.
 * The nodes are owned by system (0660), so only root and the system user/group may open them.
 */
export class UioRegistry {
  private readonly devices: UioDeviceInfo[] = [];

  constructor(
    private readonly memory: PhysicalMemory,
    /** Stage-2 ownership the mappings' read/write check (none: nothing is assigned away). */
    private readonly ownership?: MemoryOwnership,
  ) {}

  register(info: UioDeviceInfo): string {
    if (info.maps.length === 0 || info.maps.length > MAX_UIO_MAPS) throw new KernelError(Errno.EINVAL, 'a UIO device needs 1..5 maps');
    this.devices.push(info);
    return `uio${this.devices.length - 1}`;
  }

  list(): string[] {
    return this.devices.map((_, i) => `uio${i}`);
  }

  /** Reads a sysfs attribute, e.g. `/sys/class/uio/uio0/maps/map0/addr` (text ends with "\n"). */
  readSysfs(path: string): string {
    const m = /^\/sys\/class\/uio\/uio(\d+)\/(name|version|maps\/map(\d+)\/(addr|size|name|offset))$/.exec(path);
    const dev = m ? this.devices[Number(m[1])] : undefined;
    if (!m || !dev) throw new KernelError(Errno.ENOENT, path);
    if (m[2] === 'name') return `${dev.name}\n`;
    if (m[2] === 'version') return `${dev.version}\n`;
    const map = dev.maps[Number(m[3])];
    if (!map) throw new KernelError(Errno.ENOENT, path);
    switch (m[4]) {
      case 'addr':
        return `0x${map.addr.toString(16).padStart(16, '0')}\n`;
      case 'size':
        return `0x${map.size.toString(16)}\n`;
      case 'offset':
        return '0x0\n';
      default:
        return `${map.name}\n`;
    }
  }

  /** What a client does to find its buffer: match name and version in sysfs. */
  findByName(name: string, version = '1.0'): string | undefined {
    return this.list().find(
      (d) => this.readSysfs(`/sys/class/uio/${d}/name`) === `${name}\n` && this.readSysfs(`/sys/class/uio/${d}/version`) === `${version}\n`,
    );
  }

  open(path: string, who: Identity): UioHandle {
    const m = /^\/dev\/uio(\d+)$/.exec(path);
    const dev = m ? this.devices[Number(m[1])] : undefined;
    if (!m || !dev) throw new KernelError(Errno.ENOENT, path);
    const privileged = who.uid === AID_ROOT || who.uid === AID_SYSTEM || who.gid === AID_SYSTEM || (who.groups ?? []).includes(AID_SYSTEM);
    if (!privileged) throw new KernelError(EACCES, `${path} is system-only (uid ${who.uid})`);
    return new UioHandle(`uio${m[1]}`, dev, this.memory, this.ownership);
  }
}

export class UioHandle {
  constructor(
    readonly device: string,
    private readonly info: UioDeviceInfo,
    private readonly memory: PhysicalMemory,
    private readonly ownership?: MemoryOwnership,
  ) {}

  /**
   * mmap(length, pgoff): the page offset selects the map; a length larger than the map, an
   * empty map or a map index >= 5 is -EINVAL.
   */
  mmap(length: number, pageOffset = 0): UioMapping {
    if (!Number.isInteger(pageOffset) || pageOffset < 0 || pageOffset >= MAX_UIO_MAPS)
      throw new KernelError(Errno.EINVAL, `map index ${pageOffset}`);
    const map = this.info.maps[pageOffset];
    if (!map || map.size === 0) throw new KernelError(Errno.EINVAL, `map${pageOffset} does not exist`);
    if (!Number.isInteger(length) || length <= 0) throw new KernelError(Errno.EINVAL, `length ${length}`);
    const pages = Math.ceil(length / PAGE_SIZE) * PAGE_SIZE;
    if (pages > Math.ceil(map.size / PAGE_SIZE) * PAGE_SIZE) throw new KernelError(Errno.EINVAL, `length ${length} > map size ${map.size}`);
    const bytes = this.memory.view(map.addr, length);
    const checked = (offset: number, len: number, write: boolean): Uint8Array => {
      if (!Number.isInteger(offset) || !Number.isInteger(len) || offset < 0 || len < 0 || offset + len > length)
        throw new KernelError(Errno.EFAULT, `${len} bytes at offset ${offset} outside the ${length}-byte mapping`);
      const v = this.ownership?.check({
        path: 'uio',
        vmid: Vmid.HLOS,
        pa: map.addr + BigInt(offset),
        len,
        write,
        by: `/dev/${this.device}`,
      });
      if (v) throw new AccessFault(v);
      return bytes.subarray(offset, offset + len);
    };
    return {
      device: this.device,
      phys: map.addr,
      length,
      cached: false,
      read: (offset, len) => checked(offset, len, false).slice(),
      write: (offset, data) => checked(offset, data.length, true).set(data),
    };
  }
}
