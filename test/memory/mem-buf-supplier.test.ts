/**
 * The mem-buf supplier VM in its own worker thread: ALLOC is a message answered from the
 * supplier's heap in that thread, waited for with the driver's timeout; a stalled supplier
 * leaves the request unanswered (-ETIMEDOUT) and its late answer is dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import { MemoryOwnership, ScmPerm, Vmid } from '../../runtime/memory/ownership.ts';
import { MemBufDevice, MemBufIoctl, MemBufPerm, MemBufVmid, ResourceManager } from '../../runtime/memory/mem-buf.ts';
import { WorkerSupplier } from '../../runtime/memory/mem-buf-supplier/worker-supplier.ts';
import { allocArg } from './models/mem-buf-model.ts';

const M = 1 << 20;
const RW = MemBufPerm.READ | MemBufPerm.WRITE;

describe('mem-buf supplier VM in a worker thread', () => {
  let supplier: WorkerSupplier | undefined;
  afterEach(async () => {
    await supplier?.close();
    supplier = undefined;
  });

  async function setup(timeoutMs = 300) {
    const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 32 * M });
    const ownership = new MemoryOwnership();
    const rm = new ResourceManager(phys, ownership);
    const trusted = new MemBufDevice('trusted', 'consumer', rm);
    supplier = new WorkerSupplier(rm, { heapBytes: 8 * M, timeoutMs });
    trusted.peer = supplier;
    await supplier.ready;
    return { phys, ownership, rm, trusted, supplier };
  }

  it('ALLOC is answered from the supplier heap in its thread, lent to the ACL; close gives it back', async () => {
    const { trusted, supplier, ownership, rm } = await setup(5000);
    const arg = allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }], { size: 5000n });
    expect(trusted.ioctl(MemBufIoctl.ALLOC, arg)).toBe(0);
    const fd = arg.memBufFd!;
    const pa = trusted.fds.lookup(fd)!.buffer.phys.pa;
    expect(pa % BigInt(2 * M)).toBe(0n);
    expect(ownership.allows(Vmid.HLOS, pa, 1, ScmPerm.READ)).toBe(false);
    trusted.write(fd, 0, new Uint8Array([4, 2]));
    expect([...trusted.read(fd, 0, 2)]).toEqual([4, 2]);
    expect(rm.messages).toBeGreaterThan(0);
    trusted.close(fd);
    expect(supplier.lentCount).toBe(0);
    expect(ownership.allows(Vmid.HLOS, pa, 2 * M, ScmPerm.RWX)).toBe(true);
  });

  it('a stalled supplier: -ETIMEDOUT; its late answer is dropped; the next ALLOC is answered', async () => {
    const { trusted, supplier } = await setup(300);
    supplier.stall();
    const first = allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }], { size: BigInt(2 * M) });
    expect(trusted.ioctl(MemBufIoctl.ALLOC, first)).toBe(-110);
    expect(trusted.fds.openFds()).toEqual([]);
    supplier.resume();
    // Give the supplier's thread time to answer the request it was holding.
    await new Promise((r) => setTimeout(r, 100));
    const second = allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }], { size: BigInt(2 * M) });
    expect(trusted.ioctl(MemBufIoctl.ALLOC, second)).toBe(0);
    expect(supplier.droppedResponses).toHaveLength(1);
    expect(supplier.lentCount).toBe(1);
    trusted.close(second.memBufFd!);
  });

  it('a request larger than the supplier heap is refused by the supplier (-ENOMEM)', async () => {
    const { trusted } = await setup(5000);
    expect(trusted.ioctl(MemBufIoctl.ALLOC, allocArg([{ vmid: MemBufVmid.TRUSTED_VM, perms: RW }], { size: BigInt(16 * M) }))).toBe(-12);
  });
});
