import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Header,
  HwSpinlockBank,
  KernelError,
  errnoName,
  QCOM_SMEM_HOST_ANY,
  SMEM_MASTER_SBL_VERSION_INDEX,
  Smem,
  SmemHost,
  createSmemRegion,
  formatSmem,
  type SmemFormatOptions,
} from '../../runtime/memory/smem/index.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KernelError) return errnoName(err.errno);
    throw err;
  }
  return 'OK';
}

function boot(options: SmemFormatOptions = {}, size = 64 * 1024, localHost: number = SmemHost.APPS) {
  const region = createSmemRegion(size);
  formatSmem(region, options);
  const hwlocks = new HwSpinlockBank();
  const smem = new Smem({ region, hwlocks, localHost, lockTimeoutMs: 50 });
  smem.probe();
  return { region, hwlocks, smem };
}

describe('probe', () => {
  it('defers every call until probed', () => {
    const region = createSmemRegion(64 * 1024);
    formatSmem(region);
    const smem = new Smem({ region, hwlocks: new HwSpinlockBank() });
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 10, 8))).toBe('EPROBE_DEFER');
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 10))).toBe('EPROBE_DEFER');
    expect(code(() => smem.getFreeSpace(QCOM_SMEM_HOST_ANY))).toBe('EPROBE_DEFER');
    smem.probe();
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 10, 8))).toBe('OK');
  });

  it('rejects a region the boot loader did not initialise or an unknown version', () => {
    const blank = createSmemRegion(64 * 1024);
    expect(code(() => new Smem({ region: blank, hwlocks: new HwSpinlockBank() }).probe())).toBe('EINVAL');
    const region = createSmemRegion(64 * 1024);
    formatSmem(region);
    new DataView(region.buffer).setUint32(Header.version + SMEM_MASTER_SBL_VERSION_INDEX * 4, 13 << 16, true);
    expect(code(() => new Smem({ region, hwlocks: new HwSpinlockBank() }).probe())).toBe('EINVAL');
    const reserved = createSmemRegion(64 * 1024);
    formatSmem(reserved);
    new DataView(reserved.buffer).setUint32(Header.reserved, 1, true);
    expect(code(() => new Smem({ region: reserved, hwlocks: new HwSpinlockBank() }).probe())).toBe('EINVAL');
  });

  it('version 12 without a global partition entry fails', () => {
    const region = createSmemRegion(64 * 1024);
    formatSmem(region, { version: 11, partitions: [{ host0: 0, host1: 1, size: 8192 }] });
    new DataView(region.buffer).setUint32(Header.version + SMEM_MASTER_SBL_VERSION_INDEX * 4, 12 << 16, true);
    expect(code(() => new Smem({ region, hwlocks: new HwSpinlockBank() }).probe())).toBe('EINVAL');
  });
});

describe('legacy global heap (version 11)', () => {
  it('allocates 8-aligned, contiguous, and reports the aligned size', () => {
    const { smem } = boot();
    const free0 = smem.getFreeSpace(QCOM_SMEM_HOST_ANY);
    smem.alloc(QCOM_SMEM_HOST_ANY, 100, 13);
    smem.alloc(QCOM_SMEM_HOST_ANY, 101, 8);
    const a = smem.get(QCOM_SMEM_HOST_ANY, 100);
    const b = smem.get(QCOM_SMEM_HOST_ANY, 101);
    expect(a.offset).toBe(Header.size);
    expect(a.size).toBe(16);
    expect(b.offset).toBe(Header.size + 16);
    expect(a.phys).toBe(0x8600_0000n + BigInt(Header.size));
    expect(smem.getFreeSpace(QCOM_SMEM_HOST_ANY)).toBe(free0 - 24);
    expect(smem.virtToPhys(b.offset)).toBe(b.phys);
    expect(smem.virtToPhys(-1)).toBe(0n);
  });

  it('EEXIST, ENOMEM, ENXIO and the reserved low items', () => {
    const { smem } = boot();
    smem.alloc(QCOM_SMEM_HOST_ANY, 20, 4);
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 20, 4))).toBe('EEXIST');
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 21, smem.getFreeSpace(QCOM_SMEM_HOST_ANY) + 1))).toBe('ENOMEM');
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 21))).toBe('ENXIO');
    for (let item = 0; item < 8; item++) expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, item, 8))).toBe('EINVAL');
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 3))).toBe('ENXIO');
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 512, 8))).toBe('EINVAL');
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 512))).toBe('EINVAL');
    // Filling the heap exactly is allowed.
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 22, smem.getFreeSpace(QCOM_SMEM_HOST_ANY)))).toBe('OK');
    expect(smem.getFreeSpace(QCOM_SMEM_HOST_ANY)).toBe(0);
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 23, 0))).toBe('OK');
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 24, 1))).toBe('ENOMEM');
  });

  it('an entry pointing into another region is ENOENT', () => {
    const { region, smem } = boot();
    smem.alloc(QCOM_SMEM_HOST_ANY, 30, 8);
    new DataView(region.buffer).setUint32(Header.toc + 30 * 16 + 12, 0x9000_0000, true);
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 30))).toBe('ENOENT');
  });

  it('an entry whose aux_base names a second region resolves into that region', () => {
    const region = createSmemRegion(64 * 1024);
    formatSmem(region);
    const rpmMsgRam = createSmemRegion(16 * 1024, 0x0477_8000n);
    const smem = new Smem({ region, auxRegions: [rpmMsgRam], hwlocks: new HwSpinlockBank() });
    smem.probe();
    // The boot loader placed item 12 at offset 0x100 of the RPM message RAM.
    const toc = new DataView(region.buffer);
    toc.setUint32(Header.toc + 12 * 16, 1, true);
    toc.setUint32(Header.toc + 12 * 16 + 4, 0x100, true);
    toc.setUint32(Header.toc + 12 * 16 + 8, 0x40, true);
    toc.setUint32(Header.toc + 12 * 16 + 12, 0x0477_8000, true);
    new Uint8Array(rpmMsgRam.buffer).set([0xca, 0xfe], 0x100);
    const item = smem.get(QCOM_SMEM_HOST_ANY, 12);
    expect(item.phys).toBe(0x0477_8100n);
    expect(item.size).toBe(0x40);
    expect([...item.bytes.subarray(0, 2)]).toEqual([0xca, 0xfe]);
    // It is a view of that region, not a copy.
    item.bytes[2] = 7;
    expect(new Uint8Array(rpmMsgRam.buffer)[0x102]).toBe(7);
    // Past the end of that region: EINVAL, as for the main region.
    toc.setUint32(Header.toc + 12 * 16 + 4, 16 * 1024 - 0x20, true);
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 12))).toBe('EINVAL');
  });

  it('without the hwspinlock the probe defers (-EPROBE_DEFER) and succeeds once the lock driver is there', () => {
    const region = createSmemRegion(64 * 1024);
    formatSmem(region);
    const smem = new Smem({ region });
    expect(code(() => smem.probe())).toBe('EPROBE_DEFER');
    expect(smem.isProbed).toBe(false);
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 30, 8))).toBe('EPROBE_DEFER');
    smem.provideHwlocks(new HwSpinlockBank());
    smem.probe();
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 30, 8))).toBe('OK');
  });

  it('property: allocations never overlap, failed ones change nothing, free_offset + available is constant', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 520 }), fc.integer({ min: 0, max: 9000 })), { maxLength: 60 }), (ops) => {
        const { region, smem } = boot({}, 48 * 1024);
        const dv = new DataView(region.buffer);
        const sum = () => dv.getUint32(Header.freeOffset, true) + dv.getUint32(Header.available, true);
        const total = sum();
        const live = new Map<number, { offset: number; size: number }>();
        for (const [item, size] of ops) {
          const before = new Uint8Array(region.buffer.slice(0, Header.size));
          const c = code(() => smem.alloc(QCOM_SMEM_HOST_ANY, item, size));
          if (c === 'OK') {
            const got = smem.get(QCOM_SMEM_HOST_ANY, item);
            expect(got.size).toBe(Math.ceil(size / 8) * 8);
            live.set(item, got);
          } else {
            expect(new Uint8Array(region.buffer.slice(0, Header.size))).toEqual(before);
            if (item < 8 || item >= 512) expect(c).toBe('EINVAL');
            else if (live.has(item)) expect(c).toBe('EEXIST');
            else expect(c).toBe('ENOMEM');
          }
          expect(sum()).toBe(total);
        }
        const spans = [...live.values()].sort((a, b) => a.offset - b.offset);
        for (let i = 1; i < spans.length; i++) expect(spans[i]!.offset).toBeGreaterThanOrEqual(spans[i - 1]!.offset + spans[i - 1]!.size);
      }),
      { numRuns: 40 },
    );
  });
});

describe('partitions', () => {
  const layout: SmemFormatOptions = { version: 11, partitions: [{ host0: SmemHost.APPS, host1: SmemHost.MODEM, size: 4096 }] };

  it('private partition: requested size back, ENOENT when absent, ENOSPC when full, EEXIST', () => {
    const { smem } = boot(layout);
    expect(smem.hasPartition(SmemHost.MODEM)).toBe(true);
    smem.alloc(SmemHost.MODEM, 40, 13);
    const got = smem.get(SmemHost.MODEM, 40);
    expect(got.size).toBe(13);
    expect(code(() => smem.get(SmemHost.MODEM, 41))).toBe('ENOENT');
    expect(code(() => smem.alloc(SmemHost.MODEM, 40, 1))).toBe('EEXIST');
    const free = smem.getFreeSpace(SmemHost.MODEM);
    expect(free).toBe(4096 - 32 - 16 - 16);
    expect(code(() => smem.alloc(SmemHost.MODEM, 42, free - 16 + 1))).toBe('ENOSPC');
    expect(code(() => smem.alloc(SmemHost.MODEM, 42, free - 16))).toBe('OK');
    expect(smem.getFreeSpace(SmemHost.MODEM)).toBe(0);
    // The legacy heap is separate: the same item is free there, and absent is ENXIO there.
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 40))).toBe('ENXIO');
    expect(code(() => smem.alloc(SmemHost.ADSP, 40, 8))).toBe('OK');
  });

  it('the remote processor sees the same partition from its side', () => {
    const { region, hwlocks, smem } = boot(layout);
    smem.alloc(SmemHost.MODEM, 50, 24);
    smem.get(SmemHost.MODEM, 50).bytes.set([1, 2, 3]);
    const modem = new Smem({ region, hwlocks, localHost: SmemHost.MODEM });
    modem.probe();
    expect(modem.hasPartition(SmemHost.APPS)).toBe(true);
    const seen = modem.get(SmemHost.APPS, 50);
    expect(seen.size).toBe(24);
    expect([...seen.bytes.subarray(0, 3)]).toEqual([1, 2, 3]);
  });

  it('finds items a remote processor put in the cached list (data below a cacheline-aligned header)', () => {
    const { region, smem } = boot({
      version: 11,
      partitions: [{ host0: SmemHost.APPS, host1: SmemHost.MODEM, size: 4096, cacheline: 64 }],
    });
    const dv = new DataView(region.buffer);
    const table = region.byteLength - 4096;
    const part = dv.getUint32(table + 32, true);
    // The modem allocates two cached items, 24 and 5 bytes, from the top of the partition.
    let free = 4096;
    const put = (item: number, size: number, fill: number) => {
      const stored = Math.ceil(size / 8) * 8;
      const hdr = part + free - 64;
      dv.setUint16(hdr, 0xa5a5, true);
      dv.setUint16(hdr + 2, item, true);
      dv.setUint32(hdr + 4, stored, true);
      dv.setUint16(hdr + 8, stored - size, true);
      new Uint8Array(region.buffer, hdr - stored, stored).fill(fill);
      free = hdr - stored - part;
      dv.setUint32(part + 16, free, true);
    };
    put(90, 24, 0x11);
    put(91, 5, 0x22);
    const a = smem.get(SmemHost.MODEM, 90);
    const b = smem.get(SmemHost.MODEM, 91);
    expect([a.size, a.offset]).toEqual([24, part + 4096 - 64 - 24]);
    expect([b.size, b.offset]).toEqual([5, part + 4096 - 64 - 24 - 64 - 8]);
    expect(a.bytes.every((x) => x === 0x11) && b.bytes.every((x) => x === 0x22)).toBe(true);
    expect(smem.getFreeSpace(SmemHost.MODEM)).toBe(free - 32);
    expect(code(() => smem.get(SmemHost.MODEM, 92))).toBe('ENOENT');
    // Uncached allocations stop short of the cached region.
    expect(code(() => smem.alloc(SmemHost.MODEM, 93, free - 32 - 16 + 1))).toBe('ENOSPC');
    expect(code(() => smem.alloc(SmemHost.MODEM, 93, free - 32 - 16))).toBe('OK');
  });

  it('a corrupted canary is EINVAL', () => {
    const { region, smem } = boot(layout);
    smem.alloc(SmemHost.MODEM, 60, 8);
    const item = smem.get(SmemHost.MODEM, 60);
    new DataView(region.buffer).setUint16(item.offset - 16, 0x1234, true);
    const fresh = new Smem({ region, hwlocks: new HwSpinlockBank() });
    fresh.probe();
    expect(code(() => fresh.get(SmemHost.MODEM, 60))).toBe('EINVAL');
  });

  it('version 12 routes hosts without a private partition to the global partition', () => {
    const { smem } = boot({ version: 12, globalPartitionSize: 8192 });
    expect(smem.sblVersion).toBe(12);
    smem.alloc(SmemHost.CDSP, 70, 5);
    expect(smem.get(QCOM_SMEM_HOST_ANY, 70).size).toBe(5);
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 71))).toBe('ENOENT');
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 72, 9000))).toBe('ENOSPC');
  });

  it('version 12 takes its item limit from the SIII block', () => {
    const { smem } = boot({ version: 12, globalPartitionSize: 8192, itemCount: 1000 });
    expect(smem.items).toBe(1000);
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 999, 8))).toBe('OK');
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 1000, 8))).toBe('EINVAL');
  });
});

describe('hardware spinlock', () => {
  it('alloc times out with ETIMEDOUT while another processor holds the lock, then succeeds', () => {
    const { hwlocks, smem } = boot();
    const lock = hwlocks.lock(3);
    expect(lock.tryLock(SmemHost.MODEM + 1)).toBe(true);
    const t0 = performance.now();
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 80, 8))).toBe('ETIMEDOUT');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(code(() => smem.get(QCOM_SMEM_HOST_ANY, 80))).toBe('ENXIO');
    // The modem crashed holding the lock: bust it on its behalf.
    expect(code(() => smem.bustHwspinLockByHost(SmemHost.APPS))).toBe('EINVAL');
    expect(code(() => smem.bustHwspinLockByHost(20))).toBe('EINVAL');
    expect(smem.bustHwspinLockByHost(SmemHost.ADSP)).toBe(false);
    expect(lock.owner()).toBe(SmemHost.MODEM + 1);
    expect(smem.bustHwspinLockByHost(SmemHost.MODEM)).toBe(true);
    expect(code(() => smem.alloc(QCOM_SMEM_HOST_ANY, 80, 8))).toBe('OK');
    expect(lock.owner()).toBe(0);
  });
});
