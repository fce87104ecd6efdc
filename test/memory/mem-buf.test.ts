import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppsAddressSpace } from '../../runtime/memory/apps-vm.ts';
import { ContextBank, IommuProt, SmmuFault } from '../../runtime/memory/smmu/index.ts';
import { ScmPerm, Vmid } from '../../runtime/memory/ownership.ts';
import {
  MemBufIoctl,
  MemBufPerm,
  MemBufVmid,
  memBufPermsToScm,
  type AclEntry,
  type MemBufAllocArg,
  type MemBufImportArg,
} from '../../runtime/memory/mem-buf.ts';
import { KernelError } from '../../runtime/memory/errno.ts';
import { allocArg, exportArg, memBufModel, world } from './models/mem-buf-model.ts';
import { MODEL_RUNS, MODEL_TIMEOUT_MS } from './models/runs.ts';

const M = 1 << 20;
const RW = MemBufPerm.READ | MemBufPerm.WRITE;

function importArg(h: number, acl: AclEntry[], over: Partial<MemBufImportArg> = {}): MemBufImportArg {
  return { memparcelHdl: h, aclList: acl, nrAclEntries: acl.length, reserved0: 0, reserved1: 0n, reserved2: 0n, reserved3: 0n, ...over };
}

describe('mem-buf', () => {
  it('keeps the two permission encodings apart', () => {
    expect(memBufPermsToScm(MemBufPerm.READ)).toBe(ScmPerm.READ);
    expect(memBufPermsToScm(MemBufPerm.EXEC)).toBe(ScmPerm.EXEC);
    expect(memBufPermsToScm(7)).toBe(ScmPerm.RWX);
    expect(memBufPermsToScm(MemBufPerm.WRITE)).toBe(ScmPerm.WRITE);
  });

  it('ALLOC: 2 MiB granule, lent to the trusted VM only, close gives it back', () => {
    const { trusted, primary, phys, ownership } = world();
    const free = phys.freeBytes;
    const arg = allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }], { size: 5000n });
    expect(trusted.ioctl(MemBufIoctl.ALLOC, arg)).toBe(0);
    const fd = arg.memBufFd!;
    expect(trusted.fds.lookup(fd)!.size).toBe(2 * M);
    trusted.write(fd, 10, new Uint8Array([1, 2]));
    expect([...trusted.read(fd, 10, 2)]).toEqual([1, 2]);
    const pa = trusted.fds.lookup(fd)!.buffer.phys.pa;
    expect(ownership.allows(Vmid.HLOS, pa, 1, ScmPerm.READ)).toBe(false);
    expect(primary.lent.size).toBe(1);
    trusted.close(fd);
    expect(primary.lent.size).toBe(0);
    expect(phys.freeBytes).toBe(free);
    expect(ownership.assignedRanges()).toHaveLength(0);
  });

  it('ALLOC is a request message: a supplier VM that does not run leaves it unanswered, -ETIMEDOUT; its late response is dropped', () => {
    const { trusted, primary, rm, phys, ownership } = world();
    const free = phys.freeBytes;
    const messages = rm.messages;
    primary.paused = true;
    const arg = allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }]);
    expect(trusted.ioctl(MemBufIoctl.ALLOC, arg)).toBe(-110);
    expect(arg.memBufFd).toBeUndefined();
    expect(trusted.fds.openFds()).toEqual([]);
    expect(rm.messages).toBe(messages + 1);
    expect(phys.freeBytes).toBe(free); // nothing allocated while the supplier did not run
    // The supplier runs again and answers the request its requester gave up on.
    expect(primary.resume()).toBe(1);
    expect(trusted.droppedResponses).toHaveLength(1);
    expect(trusted.fds.openFds()).toEqual([]);
    // The memory stays lent to the trusted VM, as with the real driver: nobody will accept it.
    expect(primary.lent.size).toBe(1);
    expect(ownership.assignedRanges()).toHaveLength(1);
    // A running supplier answers the next request.
    const again = allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }]);
    expect(trusted.ioctl(MemBufIoctl.ALLOC, again)).toBe(0);
    expect(trusted.droppedResponses).toHaveLength(1);
    trusted.close(again.memBufFd!);
    expect(primary.lent.size).toBe(1);
  });

  it('close: a failing intermediate step skips the later ones (memory kept, fd freed)', () => {
    const { trusted, primary, rm } = world();
    const arg = allocArg([{ vmid: 1, perms: RW }]);
    expect(trusted.ioctl(MemBufIoctl.ALLOC, arg)).toBe(0);
    rm.failures.push('hot-remove');
    trusted.close(arg.memBufFd!);
    expect(trusted.fds.openFds()).toEqual([]);
    expect(primary.lent.size).toBe(1); // never relinquished
    const again = allocArg([{ vmid: 1, perms: RW }]);
    expect(trusted.ioctl(MemBufIoctl.ALLOC, again)).toBe(0);
    trusted.close(again.memBufFd!);
    expect(primary.lent.size).toBe(1);
  });

  it('ALLOC unwinds when hotplug alignment fails (system heap pieces) and relinquishes', () => {
    const { trusted, primary, phys, rm } = world();
    const free = phys.freeBytes;
    const arg = allocArg([{ vmid: 1, perms: RW }], { srcData: { heapId: 25 } });
    phys.allocContiguous(4096); // force misaligned pieces
    const used = phys.freeBytes;
    expect(trusted.ioctl(MemBufIoctl.ALLOC, arg)).toBe(-22);
    expect(primary.lent.size).toBe(0);
    expect(rm.parcels.size).toBe(0);
    expect(phys.freeBytes).toBe(used);
    expect(free - used).toBe(4096);
  });

  it('validation: count, NULL list, reserved, size, mem type, perms, VMID -> -EINVAL; capability -> -ENOTSUPP; nothing changes', () => {
    const { trusted, primary, rm } = world();
    const good = [{ vmid: 1, perms: RW }];
    const bad: MemBufAllocArg[] = [
      allocArg([]),
      allocArg(null, { nrAclEntries: 1 }),
      allocArg(Array.from({ length: 17 }, () => ({ vmid: 1, perms: 1 }))),
      allocArg(good, { reserved1: 1n }),
      allocArg(good, { size: 0n }),
      allocArg(good, { srcMemType: 1 }),
      allocArg([{ vmid: 1, perms: 8 }]),
      allocArg([{ vmid: 2, perms: 1 }]),
      allocArg([
        { vmid: 1, perms: 1 },
        { vmid: 1, perms: 0x10 },
      ]),
    ];
    for (const a of bad) expect(trusted.ioctl(MemBufIoctl.ALLOC, a)).toBe(-22);
    expect(primary.ioctl(MemBufIoctl.ALLOC, allocArg(good))).toBe(-524);
    expect(primary.ioctl(MemBufIoctl.ALLOC, allocArg(good, { reserved2: 5n }))).toBe(-22);
    expect(trusted.ioctl(7, allocArg(good))).toBe(-22);
    expect(rm.messages).toBe(0);
    expect(rm.parcels.size).toBe(0);
    // perms 0 is accepted
    expect(
      trusted.ioctl(
        MemBufIoctl.ALLOC,
        allocArg([
          { vmid: 1, perms: 0 },
          { vmid: 1, perms: RW },
        ]),
      ),
    ).not.toBe(-22);
  });

  it('EXPORT + IMPORT: shared memory reaches the trusted VM with the ACL perms; close restores HLOS-only', () => {
    const { trusted, primary, phys, ownership } = world();
    const alloc = phys.allocContiguous(2 * M, 2 * M);
    const fd = primary.adopt(alloc);
    primary.write(fd, 0, new Uint8Array([42]));
    const acl = [
      { vmid: MemBufVmid.PRIMARY_VM, perms: RW },
      { vmid: MemBufVmid.TRUSTED_VM, perms: MemBufPerm.READ },
    ];
    const ex = exportArg(fd, acl);
    expect(primary.ioctl(MemBufIoctl.EXPORT, ex)).toBe(0);
    const im = importArg(ex.memparcelHdl!, acl, { reserved3: 9n });
    expect(trusted.ioctl(MemBufIoctl.IMPORT, im)).toBe(0);
    expect(trusted.read(im.dmaBufImportFd!, 0, 1)[0]).toBe(42);
    expect(() => trusted.write(im.dmaBufImportFd!, 0, new Uint8Array([1]))).toThrow(KernelError);
    // ACL mismatch on import
    expect(trusted.ioctl(MemBufIoctl.IMPORT, importArg(ex.memparcelHdl!, [{ vmid: 1, perms: RW }]))).toBe(-22);
    trusted.close(im.dmaBufImportFd!);
    primary.close(ex.exportFd!);
    expect(ownership.allows(Vmid.HLOS, alloc.pa, 2 * M, ScmPerm.RWX)).toBe(true);
    expect(ownership.assignedRanges()).toHaveLength(0);
    primary.close(fd);
    expect(phys.liveAllocations()).toHaveLength(0);
  });

  it('EXPORT refuses uncached or secure buffers and consumers', () => {
    const { trusted, primary, phys } = world();
    const unc = primary.adopt(phys.allocContiguous(4096), { cached: false });
    const sec = primary.adopt(phys.allocContiguous(4096), { secure: true });
    const acl = [{ vmid: 1, perms: 1 }];
    expect(primary.ioctl(MemBufIoctl.EXPORT, exportArg(unc, acl))).toBe(-22);
    expect(primary.ioctl(MemBufIoctl.EXPORT, exportArg(sec, acl))).toBe(-22);
    expect(trusted.ioctl(MemBufIoctl.EXPORT, exportArg(unc, acl))).toBe(-524);
  });

  it('export assign failure: -EADDRNOTAVAIL and the dma-buf is never released', () => {
    const { primary, phys, rm } = world();
    const fd = primary.adopt(phys.allocContiguous(4096));
    rm.failures.push('assign');
    expect(primary.ioctl(MemBufIoctl.EXPORT, exportArg(fd, [{ vmid: 1, perms: 1 }]))).toBe(-99);
    primary.close(fd);
    expect(phys.liveAllocations()).toHaveLength(1);
  });

  it('EXPORT refuses a buffer that was mmap\'ed before (uapi: "must not be mmap\'ed by any process")', () => {
    const { primary, phys, ownership } = world();
    const fd = primary.adopt(phys.allocContiguous(4096));
    new AppsAddressSpace(phys, ownership).mmap(primary.fds.lookup(fd)!);
    expect(primary.ioctl(MemBufIoctl.EXPORT, exportArg(fd, [{ vmid: 1, perms: 1 }]))).toBe(-22);
    expect(ownership.assignedRanges()).toHaveLength(0);
  });

  it('nr_acl_entries larger than the list is -EFAULT (the copy runs off the list), for every command', () => {
    const { trusted, primary, phys } = world();
    const one = [{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }];
    expect(trusted.ioctl(MemBufIoctl.ALLOC, allocArg(one, { nrAclEntries: 3 }))).toBe(-14);
    const fd = primary.adopt(phys.allocContiguous(4096));
    expect(primary.ioctl(MemBufIoctl.EXPORT, exportArg(fd, one, { nrAclEntries: 2 }))).toBe(-14);
    expect(trusted.ioctl(MemBufIoctl.IMPORT, importArg(1, one, { nrAclEntries: 16 }))).toBe(-14);
  });

  it('IMPORT of a memparcel this VM already imported is refused; the first import stays usable', () => {
    const { trusted, primary, phys } = world();
    const fd = primary.adopt(phys.allocContiguous(4096));
    const acl = [{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }];
    const ex = exportArg(fd, acl);
    expect(primary.ioctl(MemBufIoctl.EXPORT, ex)).toBe(0);
    const first = importArg(ex.memparcelHdl!, acl);
    expect(trusted.ioctl(MemBufIoctl.IMPORT, first)).toBe(0);
    const second = importArg(ex.memparcelHdl!, acl);
    expect(trusted.ioctl(MemBufIoctl.IMPORT, second)).toBe(-22);
    expect(second.dmaBufImportFd).toBeUndefined();
    trusted.write(first.dmaBufImportFd!, 0, new Uint8Array([7]));
    expect(trusted.read(first.dmaBufImportFd!, 0, 1)[0]).toBe(7);
  });

  it('closing the export fd while the consumer holds the import defers the reclaim: no fault under the consumer', () => {
    const { trusted, primary, phys, ownership, rm } = world();
    const alloc = phys.allocContiguous(4096);
    const fd = primary.adopt(alloc);
    const acl = [{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }];
    const ex = exportArg(fd, acl);
    expect(primary.ioctl(MemBufIoctl.EXPORT, ex)).toBe(0);
    const im = importArg(ex.memparcelHdl!, acl);
    expect(trusted.ioctl(MemBufIoctl.IMPORT, im)).toBe(0);
    primary.close(ex.exportFd!);
    primary.close(fd);
    // The memory is still the trusted VM's, and nobody else can import the parcel now.
    trusted.write(im.dmaBufImportFd!, 0, new Uint8Array([9]));
    expect(trusted.read(im.dmaBufImportFd!, 0, 1)[0]).toBe(9);
    expect(ownership.allows(Vmid.HLOS, alloc.pa, 4096, ScmPerm.READ)).toBe(false);
    expect(trusted.ioctl(MemBufIoctl.IMPORT, importArg(ex.memparcelHdl!, acl))).toBe(-22);
    expect(phys.liveAllocations()).toHaveLength(1);
    // The consumer lets go: the reclaim runs, HLOS owns the memory again and it is freed.
    trusted.close(im.dmaBufImportFd!);
    expect(rm.parcels.size).toBe(0);
    expect(ownership.assignedRanges()).toHaveLength(0);
    expect(phys.liveAllocations()).toHaveLength(0);
  });

  it(
    'model: random alloc/export/import/close sequences keep handles unique and end HLOS-only',
    () => {
      fc.assert(memBufModel(), { numRuns: MODEL_RUNS });
    },
    MODEL_TIMEOUT_MS,
  );
});

describe('mem-buf device attach', () => {
  it("an imported read-only buffer attaches to the consumer VM's device read-only; the device reads, a write faults", () => {
    const { trusted, primary, phys, ownership } = world();
    const alloc = phys.allocContiguous(8192);
    const fd = primary.adopt(alloc);
    primary.write(fd, 0, new Uint8Array([0x42, 0x43]));
    const acl = [
      { vmid: MemBufVmid.PRIMARY_VM, perms: RW },
      { vmid: MemBufVmid.TRUSTED_VM, perms: MemBufPerm.READ },
    ];
    const ex = exportArg(fd, acl);
    expect(primary.ioctl(MemBufIoctl.EXPORT, ex)).toBe(0);
    const im = importArg(ex.memparcelHdl!, acl);
    expect(trusted.ioctl(MemBufIoctl.IMPORT, im)).toBe(0);
    const dev = new ContextBank({ name: 'tvm-dev', phys, stage2: { ownership, vmid: Vmid.TVM } });
    expect(trusted.attach(im.dmaBufImportFd!, dev, 0x1000_0000n)).toBe(0);
    expect([...dev.read(0x1000_0000n, 2)]).toEqual([0x42, 0x43]);
    expect(() => dev.write(0x1000_0000n, new Uint8Array([1]))).toThrow(SmmuFault);
    expect(dev.faults.at(-1)?.kind).toBe('permission');
    expect(trusted.detach(im.dmaBufImportFd!, dev, 0x1000_0000n)).toBe(0);
    expect(() => dev.read(0x1000_0000n, 1)).toThrow(SmmuFault);
    expect(trusted.attach(99, dev, 0n)).toBe(-9);
  });

  it('a device whose VM has no rights on the memory faults on stage 2, even where its page table maps it', () => {
    const { primary, phys, ownership } = world();
    const alloc = phys.allocContiguous(4096);
    const fd = primary.adopt(alloc);
    const dev = new ContextBank({ name: 'tvm-dev', phys, stage2: { ownership, vmid: Vmid.TVM } });
    // Mapped by hand: the page table allows it, the hypervisor does not (HLOS owns the page).
    expect(dev.map(0x2000_0000n, alloc.pa, 4096, IommuProt.READ | IommuProt.WRITE)).toBe(0);
    const seen: string[] = [];
    dev.setFaultHandler((f) => (seen.push(f.kind), 0));
    expect(() => dev.read(0x2000_0000n, 4)).toThrow(SmmuFault);
    expect(seen).toEqual(['stage2']);
    expect(dev.faults.at(-1)).toMatchObject({ kind: 'stage2', outcome: 'terminate' });
    // The owner's own VM may attach it and read.
    const hlosDev = new ContextBank({ name: 'hlos-dev', phys, stage2: { ownership, vmid: Vmid.HLOS } });
    expect(primary.attach(fd, hlosDev, 0x3000_0000n)).toBe(0);
    expect(hlosDev.read(0x3000_0000n, 4)).toHaveLength(4);
  });
});
