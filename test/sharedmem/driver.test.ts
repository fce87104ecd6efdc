import { describe, expect, it } from 'vitest';
import { Errno, KernelError } from '../../runtime/memory/errno.ts';
import { MemoryOwnership, ScmPerm, Vmid } from '../../runtime/memory/ownership.ts';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import {
  APP_IDENTITY,
  DEFAULT_SHAREDMEM_NODES,
  MsmSharedmem,
  SYSTEM_IDENTITY,
  type SharedmemNode,
} from '../../runtime/memory/sharedmem/index.ts';

function boot(nodes: readonly SharedmemNode[], memSize = 8 * 1024 * 1024) {
  const memory = new PhysicalMemory({ base: 0x8000_0000n, size: memSize });
  const ownership = new MemoryOwnership();
  const sharedmem = new MsmSharedmem({ memory, ownership });
  const results = sharedmem.probeAll(nodes);
  return { memory, ownership, sharedmem, results };
}

function errnoOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof KernelError) return err.errno;
    throw err;
  }
  return 0;
}

const rmtfs: SharedmemNode = { reg: { address: 0n, size: 0x180000 }, regNames: 'rmtfs', clientId: 1 };

describe('msm_sharedmem probe', () => {
  it('allocates dynamic buffers at boot, numbers UIO devices in probe order, and never frees them', () => {
    const { memory, sharedmem, results } = boot(DEFAULT_SHAREDMEM_NODES);
    expect(results.map((r) => [r.name, r.status, r.uio])).toEqual([
      ['rmtfs', 0, 'uio0'],
      ['rfsa_dsp', 0, 'uio1'],
      ['rfsa_mdm', 0, 'uio2'],
    ]);
    const spans = sharedmem.entries.map((e) => [e.address, e.address + BigInt(e.size)] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] >= spans[i - 1]![1]).toBe(true);
    for (const e of sharedmem.entries) {
      expect(e.dynamic).toBe(true);
      expect(memory.allocation(e.address)).toBeDefined();
    }
    expect(sharedmem.uio.readSysfs('/sys/class/uio/uio0/name')).toBe('rmtfs\n');
    expect(sharedmem.uio.readSysfs('/sys/class/uio/uio0/version')).toBe('1.0\n');
    expect(sharedmem.uio.readSysfs('/sys/class/uio/uio0/maps/map0/size')).toBe('0x180000\n');
    const addr = sharedmem.uio.readSysfs('/sys/class/uio/uio1/maps/map0/addr');
    expect(addr).toBe(`0x${sharedmem.entries[1]!.address.toString(16).padStart(16, '0')}\n`);
    expect(sharedmem.uio.findByName('rfsa_mdm')).toBe('uio2');
    expect(sharedmem.uio.findByName('rfsa_mdm', '2.0')).toBeUndefined();
    expect(errnoOf(() => sharedmem.uio.readSysfs('/sys/class/uio/uio3/name'))).toBe(-Errno.ENOENT);
  });

  it('uses a static address as is, and rejects bad nodes with the driver errno', () => {
    const { sharedmem, results, memory } = boot([
      { reg: { address: 0x8070_0000n, size: 0x10000 }, regNames: 'static', clientId: 7 },
      { reg: { address: 0n, size: 0 }, regNames: 'empty', clientId: 8 },
      { regNames: 'noreg', clientId: 9 },
      { reg: { address: 0n, size: 0x10000 }, regNames: 'anon' },
      { reg: { address: 0n, size: 64 * 1024 * 1024 }, regNames: 'huge', clientId: 10 },
      { compatible: 'qcom,memshare', reg: { address: 0n, size: 0x1000 }, regNames: 'other', clientId: 11 },
    ]);
    expect(results.map((r) => r.status)).toEqual([0, -Errno.EINVAL, -Errno.ENODEV, 0, -Errno.ENOMEM, -Errno.ENODEV]);
    expect(sharedmem.entries.map((e) => [e.name, e.clientId, e.dynamic])).toEqual([
      ['static', 7, false],
      ['anon', 0xffffffff, true],
    ]);
    expect(sharedmem.entries[0]!.address).toBe(0x8070_0000n);
    expect(memory.allocation(0x8070_0000n)).toBeUndefined();
    expect(sharedmem.uio.list()).toEqual(['uio0', 'uio1']);
    expect(sharedmem.log.some((l) => l.includes('client-id missing'))).toBe(true);
  });

  it('guard memory: one hidden page below and above, exposed size unchanged, guards not assigned', () => {
    const { memory, ownership, sharedmem } = boot([{ ...rmtfs, reg: { address: 0n, size: 0x200000 }, guardMemory: true }]);
    const e = sharedmem.entries[0]!;
    const alloc = memory.allocation(e.address - 4096n)!;
    expect(alloc.size).toBe(0x200000 + 8192);
    expect(e.size).toBe(0x200000);
    expect(ownership.allows(Vmid.MSS_MSA, e.address, e.size, ScmPerm.RW)).toBe(true);
    expect(ownership.allows(Vmid.MSS_MSA, e.address - 4096n, 4096, ScmPerm.READ)).toBe(false);
    expect(ownership.allows(Vmid.MSS_MSA, e.address + BigInt(e.size), 4096, ScmPerm.READ)).toBe(false);
  });

  it('hyp-assigns only client 1, to HLOS + modem (+ NAV), and a refused assignment does not fail the probe', () => {
    const { ownership, sharedmem } = boot([
      { ...rmtfs, vmNavPath: true },
      { reg: { address: 0n, size: 0x20000 }, regNames: 'rfsa_dsp', clientId: 0x011013ec },
    ]);
    const [modem, dsp] = sharedmem.entries;
    expect(ownership.allows(Vmid.HLOS, modem!.address, modem!.size, ScmPerm.RW)).toBe(true);
    expect(ownership.allows(Vmid.MSS_MSA, modem!.address, modem!.size, ScmPerm.RW)).toBe(true);
    expect(ownership.allows(Vmid.NAV, modem!.address, modem!.size, ScmPerm.RW)).toBe(true);
    expect(ownership.allows(Vmid.MSS_MSA, dsp!.address, dsp!.size, ScmPerm.READ)).toBe(false);

    const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 4 * 1024 * 1024 });
    const refusing = new MemoryOwnership();
    refusing.refuse = () => true;
    const driver = new MsmSharedmem({ memory, ownership: refusing });
    expect(driver.probe(rmtfs).status).toBe(0);
    expect(driver.uio.list()).toEqual(['uio0']);
    expect(driver.log.some((l) => l.includes('hyp assign not supported'))).toBe(true);
    expect(refusing.allows(Vmid.MSS_MSA, driver.entries[0]!.address, 4096, ScmPerm.READ)).toBe(false);
  });
});

describe('UIO access', () => {
  it('only system may open, and mmap shows the same bytes with the size checks', () => {
    const { memory, sharedmem } = boot([rmtfs]);
    expect(errnoOf(() => sharedmem.uio.open('/dev/uio0', APP_IDENTITY))).toBe(-13);
    expect(errnoOf(() => sharedmem.uio.open('/dev/uio1', SYSTEM_IDENTITY))).toBe(-Errno.ENOENT);
    expect(errnoOf(() => sharedmem.uio.open('/dev/uio0', { uid: 0, gid: 0 }))).toBe(0);
    expect(errnoOf(() => sharedmem.uio.open('/dev/uio0', { uid: 10001, gid: 10001, groups: [1000] }))).toBe(0);
    const h = sharedmem.uio.open('/dev/uio0', SYSTEM_IDENTITY);
    expect(errnoOf(() => h.mmap(0x180000 + 1))).toBe(-Errno.EINVAL);
    expect(errnoOf(() => h.mmap(4096, 1))).toBe(-Errno.EINVAL);
    expect(errnoOf(() => h.mmap(4096, 5))).toBe(-Errno.EINVAL);
    expect(errnoOf(() => h.mmap(0))).toBe(-Errno.EINVAL);
    const m = h.mmap(0x180000);
    expect(m.cached).toBe(false); // uio_mmap_physical: pgprot_noncached
    const e = sharedmem.entries[0]!;
    expect(m.phys).toBe(e.address);
    expect(m.read(0, m.length).every((b) => b === 0)).toBe(true);
    m.write(0x100, new Uint8Array([0xde, 0xad]));
    expect([...memory.read(e.address + 0x100n, 2)]).toEqual([0xde, 0xad]);
    memory.write(e.address + 0x17ffffn, Uint8Array.of(0x5a));
    expect(m.read(0x17ffff, 1)[0]).toBe(0x5a);
  });

  it('debugfs info lists each entry and the daemon start counters', () => {
    const { sharedmem } = boot([rmtfs]);
    sharedmem.recordServerStart('rfsa');
    sharedmem.recordServerStart('rfsa');
    const info = sharedmem.debugfsInfo();
    expect(info).toContain('Client ID: 0x00000001');
    expect(info).toContain('Dynamic');
    expect(info).toContain('RFSA server start count: 2');
    expect(info).toContain('RMTS server start count: 0');
  });
});

describe('driver binding', () => {
  it('a node the driver is bound to is not probed again: -EBUSY, no second buffer, UIO device or entry', () => {
    const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 4 * 1024 * 1024 });
    const driver = new MsmSharedmem({ memory });
    const node = { reg: { address: 0n, size: 0x20000 }, regNames: 'rfsa_dsp', clientId: 0x011013ec };
    expect(driver.probe(node).status).toBe(0);
    const live = memory.liveAllocations().length;
    expect(driver.probe(node).status).toBe(-Errno.EBUSY);
    expect(driver.uio.list()).toEqual(['uio0']);
    expect(driver.entries).toHaveLength(1);
    expect(memory.liveAllocations()).toHaveLength(live);
    expect(driver.log.at(-1)).toMatch(/already bound/);
  });

  it('a node whose probe failed can be probed again', () => {
    const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 64 * 1024 });
    const driver = new MsmSharedmem({ memory });
    const node = { reg: { address: 0n, size: 0x20000 }, regNames: 'big', clientId: 1 };
    expect(driver.probe(node).status).toBe(-Errno.ENOMEM);
    expect(driver.probe(node).status).toBe(-Errno.ENOMEM);
  });
});
