/**
 * The binary interface of /dev/membuf, as `include/uapi/linux/mem-buf.h` defines it: the
 * `_IOWR('M', n, struct …)` command numbers and the byte layouts of the three argument structs,
 * read from and written back to the caller's memory the way the driver's `copy_from_user` /
 * `copy_to_user` do. Everything is checked by `MemBufDevice`; this module only moves bytes.
 */
import { Errno } from './errno.ts';
import {
  MemBufIoctl,
  type AclEntry,
  type MemBufAllocArg,
  type MemBufDevice,
  type MemBufExportArg,
  type MemBufImportArg,
} from './mem-buf.ts';

/** `_IOC(dir, type, nr, size)` as linux/ioctl.h encodes it (dir: 1 write, 2 read, 3 both). */
export function ioc(dir: number, type: string, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
}

/** Byte sizes of the uapi structs (x86-64 and arm64 agree: natural alignment, no pointers). */
export const MEM_BUF_ARG_SIZE = { alloc: 72, export: 48, import: 48 } as const;
const ACL_ENTRY_SIZE = 8;

export const MEM_BUF_IOC = {
  ALLOC: ioc(3, 'M', MemBufIoctl.ALLOC, MEM_BUF_ARG_SIZE.alloc),
  EXPORT: ioc(3, 'M', MemBufIoctl.EXPORT, MEM_BUF_ARG_SIZE.export),
  IMPORT: ioc(3, 'M', MemBufIoctl.IMPORT, MEM_BUF_ARG_SIZE.import),
} as const;

/** The caller's address space as copy_from_user sees it. */
export interface UserMemory {
  /** `len` bytes at `addr`, or undefined when any of them is not mapped. */
  read(addr: bigint, len: number): Uint8Array | undefined;
  /** Writes `bytes` at `addr`; false when any of them is not mapped. */
  write(addr: bigint, bytes: Uint8Array): boolean;
}

/** A process's memory made of separate mapped regions (tests and examples build one). */
export class UserRegions implements UserMemory {
  private readonly regions: { base: bigint; bytes: Uint8Array }[] = [];

  /** Maps `bytes` at `base` and returns `base`. */
  map(base: bigint, bytes: Uint8Array): bigint {
    this.regions.push({ base, bytes });
    return base;
  }

  private find(addr: bigint, len: number): Uint8Array | undefined {
    for (const r of this.regions) {
      const off = addr - r.base;
      if (off >= 0n && off + BigInt(len) <= BigInt(r.bytes.length)) return r.bytes.subarray(Number(off), Number(off) + len);
    }
    return undefined;
  }

  read(addr: bigint, len: number): Uint8Array | undefined {
    const v = this.find(addr, len);
    return v ? v.slice() : undefined;
  }

  write(addr: bigint, bytes: Uint8Array): boolean {
    const v = this.find(addr, bytes.length);
    if (!v) return false;
    v.set(bytes);
    return true;
  }
}

/** The ACL list the driver would copy: as many whole entries as are readable, up to `n`. */
function readAcl(mem: UserMemory, addr: bigint, n: number): AclEntry[] | null {
  if (addr === 0n) return null;
  const out: AclEntry[] = [];
  // Past 16 the driver refuses before copying; reading more would only cost memory.
  for (let i = 0; i < Math.min(n, 16); i++) {
    const b = mem.read(addr + BigInt(i * ACL_ENTRY_SIZE), ACL_ENTRY_SIZE);
    if (!b) break;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    out.push({ vmid: v.getUint32(0, true), perms: v.getUint32(4, true) });
  }
  return out;
}

function heapData(mem: UserMemory, addr: bigint): { heapId: number } | null | undefined {
  if (addr === 0n) return null;
  const b = mem.read(addr, 4);
  return b ? { heapId: new DataView(b.buffer, b.byteOffset).getUint32(0, true) } : undefined;
}

/**
 * `ioctl(fd, cmd, argAddr)` on `dev` for a caller whose memory is `mem`: returns 0 or a
 * negative errno, and on success writes the output fields back into the caller's struct.
 */
export function memBufIoctl(dev: MemBufDevice, cmd: number, argAddr: bigint, mem: UserMemory): number {
  const size = (cmd >>> 16) & 0x3fff;
  if (size > MEM_BUF_ARG_SIZE.alloc) return -Errno.EINVAL; // larger than the driver's argument union
  const raw = mem.read(argAddr, size);
  if (!raw) return -Errno.EFAULT;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (cmd === MEM_BUF_IOC.ALLOC) return alloc(dev, v, raw, argAddr, mem);
  if (cmd === MEM_BUF_IOC.EXPORT) return exportBuf(dev, v, raw, argAddr, mem);
  if (cmd === MEM_BUF_IOC.IMPORT) return importParcel(dev, v, raw, argAddr, mem);
  return -Errno.EINVAL; // the argument validator knows no other command
}

function alloc(dev: MemBufDevice, v: DataView, raw: Uint8Array, argAddr: bigint, mem: UserMemory): number {
  const nr = v.getUint32(16, true);
  const srcData = heapData(mem, v.getBigUint64(24, true));
  const dstData = heapData(mem, v.getBigUint64(40, true));
  if (srcData === undefined || dstData === undefined) return -Errno.EFAULT;
  const a: MemBufAllocArg = {
    size: v.getBigUint64(0, true),
    aclList: readAcl(mem, v.getBigUint64(8, true), nr),
    nrAclEntries: nr,
    srcMemType: v.getUint32(20, true),
    srcData,
    dstMemType: v.getUint32(32, true),
    dstData,
    reserved0: v.getBigUint64(48, true),
    reserved1: v.getBigUint64(56, true),
    reserved2: v.getBigUint64(64, true),
  };
  const r = dev.ioctl(MemBufIoctl.ALLOC, a);
  if (r !== 0) return r;
  v.setUint32(36, a.memBufFd!, true);
  return mem.write(argAddr, raw) ? 0 : -Errno.EFAULT;
}

function exportBuf(dev: MemBufDevice, v: DataView, raw: Uint8Array, argAddr: bigint, mem: UserMemory): number {
  const nr = v.getUint32(4, true);
  const a: MemBufExportArg = {
    dmaBufFd: v.getUint32(0, true),
    nrAclEntries: nr,
    aclList: readAcl(mem, v.getBigUint64(8, true), nr),
    reserved0: v.getBigUint64(24, true),
    reserved1: v.getBigUint64(32, true),
    reserved2: v.getBigUint64(40, true),
  };
  const r = dev.ioctl(MemBufIoctl.EXPORT, a);
  if (r !== 0) return r;
  v.setUint32(16, a.exportFd!, true);
  v.setUint32(20, a.memparcelHdl!, true);
  return mem.write(argAddr, raw) ? 0 : -Errno.EFAULT;
}

function importParcel(dev: MemBufDevice, v: DataView, raw: Uint8Array, argAddr: bigint, mem: UserMemory): number {
  const nr = v.getUint32(4, true);
  const a: MemBufImportArg = {
    memparcelHdl: v.getUint32(0, true),
    nrAclEntries: nr,
    aclList: readAcl(mem, v.getBigUint64(8, true), nr),
    reserved0: v.getUint32(20, true),
    reserved1: v.getBigUint64(24, true),
    reserved2: v.getBigUint64(32, true),
    reserved3: v.getBigUint64(40, true),
  };
  const r = dev.ioctl(MemBufIoctl.IMPORT, a);
  if (r !== 0) return r;
  v.setUint32(16, a.dmaBufImportFd!, true);
  return mem.write(argAddr, raw) ? 0 : -Errno.EFAULT;
}
