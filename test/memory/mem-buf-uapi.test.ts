/**
 * /dev/membuf through its binary interface: the uapi command numbers, the argument structs as
 * bytes in the caller's memory, ACL lists behind pointers, outputs written back, and the
 * driver's -EFAULT/-EINVAL for unreadable or unknown arguments.
 */
import { describe, expect, it } from 'vitest';
import { MEM_BUF_IOC, UserRegions, ioc, memBufIoctl } from '../../runtime/memory/mem-buf-uapi.ts';
import { MemBufPerm, MemBufVmid } from '../../runtime/memory/mem-buf.ts';
import { ScmPerm, Vmid } from '../../runtime/memory/ownership.ts';
import { world } from './models/mem-buf-model.ts';

const RW = MemBufPerm.READ | MemBufPerm.WRITE;

function acl(entries: readonly [number, number][]): Uint8Array {
  const b = new Uint8Array(entries.length * 8);
  const v = new DataView(b.buffer);
  entries.forEach(([vmid, perms], i) => {
    v.setUint32(i * 8, vmid, true);
    v.setUint32(i * 8 + 4, perms, true);
  });
  return b;
}

function exportStruct(fd: number, nr: number, aclAddr: bigint): Uint8Array {
  const b = new Uint8Array(48);
  const v = new DataView(b.buffer);
  v.setUint32(0, fd, true);
  v.setUint32(4, nr, true);
  v.setBigUint64(8, aclAddr, true);
  return b;
}

function importStruct(hdl: number, nr: number, aclAddr: bigint): Uint8Array {
  const b = new Uint8Array(48);
  const v = new DataView(b.buffer);
  v.setUint32(0, hdl, true);
  v.setUint32(4, nr, true);
  v.setBigUint64(8, aclAddr, true);
  return b;
}

describe('mem-buf binary ioctl interface', () => {
  it('command numbers are _IOWR(MEM_BUF_IOC_MAGIC, n, struct)', () => {
    expect(MEM_BUF_IOC.ALLOC.toString(16)).toBe('c0484d00');
    expect(MEM_BUF_IOC.EXPORT.toString(16)).toBe('c0304d01');
    expect(MEM_BUF_IOC.IMPORT.toString(16)).toBe('c0304d02');
  });

  it("EXPORT then IMPORT with structs and ACLs in the callers' memory; outputs land in the structs", () => {
    const { primary, trusted, phys, ownership } = world();
    const alloc = phys.allocContiguous(4096);
    const fd = primary.adopt(alloc);
    primary.write(fd, 0, new Uint8Array([0x5a]));
    const hlos = new UserRegions();
    const aclAddr = hlos.map(0x1000n, acl([[MemBufVmid.TRUSTED_VM, RW]]));
    const ex = exportStruct(fd, 1, aclAddr);
    const exAddr = hlos.map(0x2000n, ex);
    expect(memBufIoctl(primary, MEM_BUF_IOC.EXPORT, exAddr, hlos)).toBe(0);
    const dv = new DataView(ex.buffer);
    const exportFd = dv.getUint32(16, true);
    const hdl = dv.getUint32(20, true);
    expect(primary.fds.lookup(exportFd)).toBeDefined();
    expect(hdl).toBeGreaterThan(0);
    expect(ownership.allows(Vmid.HLOS, alloc.pa, 4096, ScmPerm.READ)).toBe(false);

    const tvm = new UserRegions();
    const tAcl = tvm.map(0x8000n, acl([[MemBufVmid.TRUSTED_VM, RW]]));
    const im = importStruct(hdl, 1, tAcl);
    expect(memBufIoctl(trusted, MEM_BUF_IOC.IMPORT, tvm.map(0x9000n, im), tvm)).toBe(0);
    const importFd = new DataView(im.buffer).getUint32(16, true);
    expect(trusted.read(importFd, 0, 1)[0]).toBe(0x5a);
  });

  it('ALLOC: size, ACL and heap id from memory; mem_buf_fd written back', () => {
    const { trusted } = world();
    const mem = new UserRegions();
    const aclAddr = mem.map(0x1000n, acl([[MemBufVmid.TRUSTED_VM, RW]]));
    const heap = mem.map(0x1100n, new Uint8Array([22, 0, 0, 0]));
    const a = new Uint8Array(72);
    const v = new DataView(a.buffer);
    v.setBigUint64(0, 4096n, true);
    v.setBigUint64(8, aclAddr, true);
    v.setUint32(16, 1, true);
    v.setBigUint64(24, heap, true);
    v.setBigUint64(40, heap, true);
    expect(memBufIoctl(trusted, MEM_BUF_IOC.ALLOC, mem.map(0x2000n, a), mem)).toBe(0);
    const memBufFd = v.getUint32(36, true);
    expect(trusted.fds.lookup(memBufFd)?.size).toBe(2 << 20);
  });

  it('unreadable struct, ACL or heap data is -EFAULT; a bad count or an unknown command -EINVAL; nothing changes', () => {
    const { primary, trusted, phys, rm } = world();
    const fd = primary.adopt(phys.allocContiguous(4096));
    const mem = new UserRegions();
    const oneEntry = mem.map(0x1000n, acl([[MemBufVmid.TRUSTED_VM, RW]]));
    // the struct itself is not mapped
    expect(memBufIoctl(primary, MEM_BUF_IOC.EXPORT, 0xdead0000n, mem)).toBe(-14);
    // nr_acl_entries 3 with one readable entry: the copy faults
    expect(memBufIoctl(primary, MEM_BUF_IOC.EXPORT, mem.map(0x2000n, exportStruct(fd, 3, oneEntry)), mem)).toBe(-14);
    // a NULL list or a zero count is refused before any copy
    expect(memBufIoctl(primary, MEM_BUF_IOC.EXPORT, mem.map(0x3000n, exportStruct(fd, 1, 0n)), mem)).toBe(-22);
    expect(memBufIoctl(primary, MEM_BUF_IOC.EXPORT, mem.map(0x4000n, exportStruct(fd, 0, oneEntry)), mem)).toBe(-22);
    expect(memBufIoctl(primary, MEM_BUF_IOC.EXPORT, mem.map(0x5000n, exportStruct(fd, 17, oneEntry)), mem)).toBe(-22);
    // unknown command numbers, and a size larger than the driver's argument union
    expect(memBufIoctl(primary, ioc(3, 'M', 3, 48), 0x2000n, mem)).toBe(-22);
    expect(memBufIoctl(primary, ioc(3, 'M', 1, 4096), 0x2000n, mem)).toBe(-22);
    // ALLOC with heap data behind an unmapped pointer
    const a = new Uint8Array(72);
    const v = new DataView(a.buffer);
    v.setBigUint64(0, 4096n, true);
    v.setBigUint64(8, oneEntry, true);
    v.setUint32(16, 1, true);
    v.setBigUint64(24, 0xbad000n, true);
    expect(memBufIoctl(trusted, MEM_BUF_IOC.ALLOC, mem.map(0x6000n, a), mem)).toBe(-14);
    expect(rm.parcels.size).toBe(0);
    expect(rm.messages).toBe(0);
  });
});
