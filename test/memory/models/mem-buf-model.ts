/**
 * Model-based property for mem-buf: random ALLOC / EXPORT / IMPORT / close sequences with
 * valid and invalid arguments. Invalid requests fail with -EINVAL and change nothing,
 * handles stay unique, and closing everything returns memory to HLOS-only ownership.
 */
import fc from 'fast-check';
import { PhysicalMemory } from '../../../runtime/memory/phys.ts';
import { MemoryOwnership } from '../../../runtime/memory/ownership.ts';
import {
  MemBufIoctl,
  createMemBufPair,
  type AclEntry,
  type MemBufAllocArg,
  type MemBufExportArg,
  type MemBufImportArg,
} from '../../../runtime/memory/mem-buf.ts';
import { check } from './check.ts';

const M = 1 << 20;

export function world() {
  const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 32 * M });
  const ownership = new MemoryOwnership();
  return { phys, ownership, ...createMemBufPair(phys, ownership) };
}

export function allocArg(acl: AclEntry[] | null, over: Partial<MemBufAllocArg> = {}): MemBufAllocArg {
  return {
    size: BigInt(M),
    aclList: acl,
    nrAclEntries: acl?.length ?? 0,
    srcMemType: 0,
    srcData: { heapId: 22 },
    dstMemType: 0,
    dstData: { heapId: 22 },
    reserved0: 0n,
    reserved1: 0n,
    reserved2: 0n,
    ...over,
  };
}

export function exportArg(fd: number, acl: AclEntry[], over: Partial<MemBufExportArg> = {}): MemBufExportArg {
  return { dmaBufFd: fd, aclList: acl, nrAclEntries: acl.length, reserved0: 0n, reserved1: 0n, reserved2: 0n, ...over };
}

function importArg(h: number, acl: AclEntry[]): MemBufImportArg {
  return { memparcelHdl: h, aclList: acl, nrAclEntries: acl.length, reserved0: 0, reserved1: 0n, reserved2: 0n, reserved3: 0n };
}

export function memBufModel() {
  return fc.property(
    fc.array(
      fc.record({
        op: fc.constantFrom('alloc', 'export', 'import', 'close-t', 'close-p'),
        perms: fc.integer({ min: 0, max: 9 }),
        vmid: fc.integer({ min: 0, max: 2 }),
        n: fc.integer({ min: 0, max: 17 }),
        reserved: fc.boolean(),
        pick: fc.nat(),
      }),
      { maxLength: 12 },
    ),
    (ops) => {
      const { trusted, primary, phys, ownership, rm } = world();
      const initialFree = phys.freeBytes;
      const sources: number[] = [];
      const handles: { h: number; acl: AclEntry[] }[] = [];
      for (const o of ops) {
        const acl = Array.from({ length: o.n }, (_, i) => ({ vmid: i === 0 ? 1 : o.vmid, perms: o.perms }));
        const valid = o.n >= 1 && o.n <= 16 && !o.reserved && acl.every((e) => e.vmid <= 1 && e.perms <= 7);
        const before = { parcels: rm.parcels.size, msgs: rm.messages, free: phys.freeBytes };
        let r = 0;
        if (o.op === 'alloc') r = trusted.ioctl(MemBufIoctl.ALLOC, allocArg(acl, { reserved0: o.reserved ? 1n : 0n }));
        else if (o.op === 'export') {
          const fd = primary.adopt(phys.allocContiguous(4096));
          sources.push(fd);
          const a = exportArg(fd, acl, { reserved2: o.reserved ? 3n : 0n });
          r = primary.ioctl(MemBufIoctl.EXPORT, a);
          if (r === 0) {
            handles.push({ h: a.memparcelHdl!, acl });
            sources.push(a.exportFd!);
          }
        } else if (o.op === 'import' && handles.length > 0) {
          const { h, acl: hacl } = handles[o.pick % handles.length]!;
          if (rm.parcels.has(h)) r = trusted.ioctl(MemBufIoctl.IMPORT, importArg(h, hacl));
        } else if (o.op === 'close-t') {
          const fds = trusted.fds.openFds();
          if (fds.length) trusted.close(fds[o.pick % fds.length]!);
        } else if (o.op === 'close-p' && sources.length > 0) {
          primary.close(sources.splice(o.pick % sources.length, 1)[0]!);
        }
        if ((o.op === 'alloc' || o.op === 'export') && !valid) {
          check(r === -22, `invalid ${o.op} returned ${r}`);
          check(rm.parcels.size === before.parcels, 'invalid request consumed a handle');
          check(rm.messages === before.msgs, 'invalid request sent a message');
        }
        const live = [...rm.parcels.keys()];
        check(new Set(live).size === live.length, 'memparcel handles not unique');
      }
      for (const fd of trusted.fds.openFds()) trusted.close(fd);
      for (const fd of primary.fds.openFds()) primary.close(fd);
      check(ownership.assignedRanges().length === 0, 'memory not back to HLOS-only');
      check(primary.lent.size === 0, 'supplier still lists lent memory');
      check(phys.freeBytes === initialFree, 'pages leaked');
    },
  );
}
