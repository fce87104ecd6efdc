/**
 * One stage-2 check for every way to reach simulated memory: each path is tried against memory
 * assigned to a VM that is not the one accessing it, and each refusal lands in the same record
 * of the ownership, with its path, and raises that path's error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemorySystem } from '../../runtime/memory/system.ts';
import { CpuAccessFault } from '../../runtime/memory/apps-vm.ts';
import { AccessFault, MemoryOwnership, ScmPerm, Vmid, vmBitmap, type AccessViolation } from '../../runtime/memory/ownership.ts';
import { KernelError } from '../../runtime/memory/errno.ts';
import { ContextBank, SmmuFault } from '../../runtime/memory/smmu/index.ts';
import { createMemBufPair } from '../../runtime/memory/mem-buf.ts';
import { MsmSharedmem, RfsaSharedmemService, SYSTEM_IDENTITY, SharedmemPeripheralClient } from '../../runtime/memory/sharedmem/index.ts';
import { QrtrRouter, createChannelPair } from '../../runtime/qmi/messaging/index.ts';

const MODEM_ONLY = [{ vmid: Vmid.MSS_MSA, perm: ScmPerm.RW }];

describe('every access path goes through MemoryOwnership.check', () => {
  it('APPS CPU, UIO, peripheral, device and mem-buf VM accesses to memory their VM may not touch are refused and recorded', async () => {
    const sys = createMemorySystem();
    const { ownership, phys } = sys;
    const seen: AccessViolation[] = [];
    ownership.onViolation((v) => seen.push(v));
    const giveToModem = (pa: bigint, size: number, from = vmBitmap(Vmid.HLOS)): void => {
      ownership.assign([{ pa, size }], from, MODEM_ONLY);
    };

    // APPS CPU: an rpcmem buffer mapped in the APPS process.
    const rpc = sys.rpcmem.alloc(-1, 0, 0x1000)!;
    sys.vm.write(rpc.va, new Uint8Array([1]));
    for (const c of rpc.buf.buffer.phys.chunks) giveToModem(c.pa, c.size);
    expect(() => sys.vm.read(rpc.va, 1)).toThrow(CpuAccessFault);

    // UIO: a msm_sharedmem buffer mapped by a system service.
    const sharedmem = new MsmSharedmem({ memory: phys, ownership });
    sharedmem.probeAll([
      { reg: { address: 0n, size: 0x2000 }, regNames: 'rmtfs', clientId: 2 },
      { reg: { address: 0n, size: 0x2000 }, regNames: 'rfsa_dsp', clientId: 3 },
    ]);
    const uio = sharedmem.uio.open(`/dev/${sharedmem.uio.findByName('rmtfs')}`, SYSTEM_IDENTITY).mmap(0x2000);
    uio.write(0, new Uint8Array([7]));
    expect(uio.read(0, 1)[0]).toBe(7);
    giveToModem(uio.phys, 0x2000);
    expect(() => uio.write(0x10, new Uint8Array([1]))).toThrow(AccessFault);

    // Peripheral: the ADSP maps its buffer (and locks it to HLOS + ADSP), then loses it.
    const apps = new QrtrRouter(1);
    const adsp = new QrtrRouter(5);
    const [a, b] = createChannelPair();
    apps.connect(5, a);
    adsp.connect(1, b);
    new RfsaSharedmemService(apps, sharedmem).start();
    const peripheral = new SharedmemPeripheralClient(adsp, phys, { clientId: 3, size: 0x2000, vm: { vmid: Vmid.ADSP_Q6, ownership } });
    const buf = await peripheral.acquire();
    buf.write(0, new Uint8Array([9]));
    giveToModem(buf.address, 0x2000, vmBitmap(Vmid.HLOS, Vmid.ADSP_Q6));
    expect(() => buf.read(0, 4)).toThrow(AccessFault);
    peripheral.close();

    // Device: an SMMU context of the ADSP's VM whose page table still maps the page.
    const page = phys.allocContiguous(0x1000);
    const ctx = new ContextBank({ name: 'adsp_cb', phys, stage2: { ownership, vmid: Vmid.ADSP_Q6 } });
    expect(ctx.map(0x1000_0000n, page.pa, 0x1000)).toBe(0);
    expect(() => ctx.read(0x1000_0000n, 4)).toThrow(SmmuFault);

    // mem-buf VM: the primary VM's CPU access to a buffer it holds an fd for.
    const { primary } = createMemBufPair(phys, ownership);
    const alloc = phys.allocContiguous(0x1000);
    const fd = primary.adopt(alloc);
    primary.write(fd, 0, new Uint8Array([3]));
    giveToModem(alloc.pa, 0x1000);
    expect(() => primary.read(fd, 0, 1)).toThrow(KernelError);

    expect(ownership.violations.map((v) => v.path)).toEqual(['cpu', 'uio', 'peripheral', 'device', 'vm']);
    expect(seen).toEqual(ownership.violations);
    expect(ownership.violations.map((v) => [v.vmid, v.write])).toEqual([
      [Vmid.HLOS, false],
      [Vmid.HLOS, true],
      [Vmid.ADSP_Q6, false],
      [Vmid.ADSP_Q6, false],
      [Vmid.HLOS, false],
    ]);
    expect(ctx.faults.at(-1)).toMatchObject({ kind: 'stage2' });
  });

  it('the DSP reaching physical memory (remote heap addresses) as none of its VMs is refused through the same check', () => {
    const sys = createMemorySystem();
    const page = sys.phys.allocContiguous(0x1000);
    expect(sys.channel.deviceAccess(page.pa, 'phys', 4).length).toBe(4); // HLOS memory: reachable
    sys.ownership.assign([{ pa: page.pa, size: 0x1000 }], vmBitmap(Vmid.HLOS), MODEM_ONLY);
    expect(() => sys.channel.deviceAccess(page.pa, 'phys', 4)).toThrow(KernelError);
    expect(sys.ownership.violations).toMatchObject([{ path: 'device', pa: page.pa, len: 4, write: false, by: 'adsp DSP' }]);
  });

  it('keeps the last 1000 violations', () => {
    const sys = createMemorySystem();
    const page = sys.phys.allocContiguous(0x1000);
    sys.ownership.assign([{ pa: page.pa, size: 0x1000 }], vmBitmap(Vmid.HLOS), MODEM_ONLY);
    for (let i = 0; i < 1005; i++) sys.ownership.check({ path: 'cpu', vmid: Vmid.HLOS, pa: page.pa + BigInt(i), len: 1, write: false });
    expect(sys.ownership.violations).toHaveLength(1000);
    expect(sys.ownership.violations[0]!.pa).toBe(page.pa + 5n);
  });
});

describe('MemoryOwnership.check model', () => {
  const VMS = [Vmid.HLOS, Vmid.ADSP_Q6, Vmid.MSS_MSA, Vmid.CDSP];
  const PAGE = 0x1000;
  const BASE = 0x8000_0000n;
  type Op =
    | { kind: 'assign'; page: number; pages: number; to: number[]; write: boolean }
    | { kind: 'access'; vm: number; page: number; len: number; write: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('assign' as const),
      page: fc.nat(15),
      pages: fc.integer({ min: 1, max: 4 }),
      to: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 3 }),
      write: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('access' as const),
      vm: fc.nat(3),
      page: fc.nat(15),
      len: fc.integer({ min: 1, max: 3 * PAGE }),
      write: fc.boolean(),
    }),
  );

  it('refuses exactly what the owners do not allow, records every refusal in order and tells every handler', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const ownership = new MemoryOwnership();
        const told: AccessViolation[] = [];
        ownership.onViolation((v) => told.push(v));
        let refusals = 0;
        for (const o of ops) {
          const pa = BASE + BigInt(o.page * PAGE);
          if (o.kind === 'assign') {
            const size = o.pages * PAGE;
            const current = ownership.ownersOf(pa, size);
            // Assign only ranges with one set of owners, from exactly those owners (the rule assign enforces).
            if (current.some((c) => JSON.stringify(c.owners) !== JSON.stringify(current[0]!.owners))) continue;
            const from = vmBitmap(...current[0]!.owners.map((x) => x.vmid));
            ownership.assign(
              [{ pa, size }],
              from,
              o.to.map((i) => ({ vmid: VMS[i]!, perm: o.write ? ScmPerm.RW : ScmPerm.READ })),
            );
          } else {
            const vmid = VMS[o.vm]!;
            const allowed = ownership.allows(vmid, pa, o.len, o.write ? ScmPerm.WRITE : ScmPerm.READ);
            const v = ownership.check({ path: 'cpu', vmid, pa, len: o.len, write: o.write });
            expect(v === undefined).toBe(allowed);
            if (!allowed) refusals++;
          }
        }
        expect(ownership.violations).toHaveLength(refusals);
        expect(told).toEqual(ownership.violations);
      }),
      { numRuns: 300 },
    );
  });
});
