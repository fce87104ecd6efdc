import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import {
  APP_IDENTITY,
  DEFAULT_SHAREDMEM_NODES,
  MsmSharedmem,
  createSharedmemPeripheralLink,
  RfsaSharedmemService,
  peripheralReply,
  runSharedmemScenario,
  spawnSharedmemPeripheral,
} from '../../runtime/memory/sharedmem/index.ts';
import { QrtrRouter } from '../../runtime/qmi/messaging/index.ts';
import { DspWorker } from '../../runtime/transport/dsp-worker.ts';

describe('sharedmem scenario with the peripheral in a worker thread', () => {
  it('the peripheral gets its address over QMI and exchanges data with APPS through the UIO mapping, across restarts', async () => {
    const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * 1024 * 1024 });
    const sharedmem = new MsmSharedmem({ memory });
    sharedmem.probeAll(DEFAULT_SHAREDMEM_NODES);
    const apps = new QrtrRouter(1);
    new RfsaSharedmemService(apps, sharedmem).start();

    let dsp = spawnSharedmemPeripheral(apps, memory, 5);
    try {
      const first = await runSharedmemScenario({ router: apps, sharedmem, clientName: 'rfsa_dsp', message: 'load adsp.mdt' });
      expect(first.uio).toBe('uio1');
      expect(first.peripheralAddress).toBe(first.uioAddress);
      expect(first.received).toBe(peripheralReply('load adsp.mdt'));
      expect(first.requestCount).toBe(1);

      // Subsystem restart inside the peripheral: it asks again and gets the same address.
      const ssr = await runSharedmemScenario({ router: apps, sharedmem, clientName: 'rmtfs', restart: true });
      expect(ssr.addressAfterRestart).toBe(ssr.peripheralAddress);
      expect(ssr.requestCount).toBe(2);

      // The whole peripheral dies and boots again: the buffer and its address survive.
      await dsp.stop();
      dsp = spawnSharedmemPeripheral(apps, memory, 5);
      const after = await runSharedmemScenario({ router: apps, sharedmem, clientName: 'rfsa_dsp', message: 'again' });
      expect(after.peripheralAddress).toBe(first.peripheralAddress);
      expect(after.received).toBe(peripheralReply('again'));
      expect(after.requestCount).toBe(2);

      await expect(runSharedmemScenario({ router: apps, sharedmem, identity: APP_IDENTITY })).rejects.toThrow(/system-only/);
    } finally {
      await dsp.stop();
    }
  });

  it('works the same over a SharedArrayBuffer link (what a DSP program gets in its args)', async () => {
    const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * 1024 * 1024 });
    const sharedmem = new MsmSharedmem({ memory });
    sharedmem.probeAll(DEFAULT_SHAREDMEM_NODES);
    const apps = new QrtrRouter(1);
    new RfsaSharedmemService(apps, sharedmem).start();
    const dsp = spawnSharedmemPeripheral(apps, memory, 5, 'shared-buffer');
    try {
      const exited = new Promise<number>((resolve) => dsp.worker.once('exit', resolve));
      const r = await runSharedmemScenario({ router: apps, sharedmem, clientName: 'rfsa_mdm', message: 'mdm', restart: true });
      expect(r.received).toBe(peripheralReply('mdm'));
      expect(r.addressAfterRestart).toBe(r.peripheralAddress);
      expect(r.peripheralAddress).toBe(sharedmem.entries[2]!.address);
      // Closing the link lets the peripheral's worker finish on its own.
      apps.disconnect(5);
      expect(await exited).toBe(0);
    } finally {
      await dsp.stop();
    }
  });

  it('runs as a program of the FastRPC DSP worker, linked through its args', async () => {
    const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * 1024 * 1024 });
    const sharedmem = new MsmSharedmem({ memory });
    sharedmem.probeAll(DEFAULT_SHAREDMEM_NODES);
    const apps = new QrtrRouter(1);
    new RfsaSharedmemService(apps, sharedmem).start();
    const link = createSharedmemPeripheralLink(apps, memory, 5, 'shared-buffer');
    const dsp = new DspWorker({ program: new URL('./dsp-program.ts', import.meta.url), args: { link } });
    try {
      const r = await runSharedmemScenario({ router: apps, sharedmem, message: 'via the DSP worker' });
      expect(r.received).toBe(peripheralReply('via the DSP worker'));
      expect(r.peripheralAddress).toBe(r.uioAddress);
      apps.disconnect(5);
      expect(await dsp.outcome).toEqual({ ok: true, value: { node: 5 } });
    } finally {
      await dsp.close();
    }
  });
});
