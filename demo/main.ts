/**
 * `npm start`: a simulated DSP in a worker thread makes reverse apps_mem calls; the APPS
 * listener (generated adsp_listener stub) serves them through the handle table and the
 * generated apps_mem skel, backed by the simulated heaps, dma-bufs, FastRPC kernel and SMMU.
 * Every call is traced with its decoded arguments, result, rout values and time.
 *
 *   tsx demo/main.ts [--stress N]   (--stress: N random apps_mem calls instead of the tour)
 */
import { appsMemDescriptor, createAppsMemSkel } from '../generated/apps_mem.ts';
import { aeeName } from '../runtime/wire/aee-codes.ts';
import { PhysicalMemory } from '../runtime/memory/phys.ts';
import {
  DEFAULT_SHAREDMEM_NODES,
  MsmSharedmem,
  RfsaSharedmemService,
  createSharedmemPeripheralLink,
  runSharedmemScenario,
} from '../runtime/memory/sharedmem/index.ts';
import { QrtrRouter } from '../runtime/qmi/messaging/index.ts';
import { formatIovaMap } from '../runtime/memory/smmu/index.ts';
import { createMemorySystem } from '../runtime/memory/system.ts';
import { DspWorker } from '../runtime/transport/dsp-worker.ts';
import { createReverseTable, serveReverse } from '../runtime/transport/reverse-session.ts';
import { formatTracedCall, traceImpl } from '../runtime/transport/trace.ts';
import type { TracedCall } from '../runtime/transport/trace.ts';
import type { StressResult } from './dsp/stress.ts';
import type { TourResult } from './dsp/tour.ts';

const argv = process.argv.slice(2);
const stressAt = argv.indexOf('--stress');
const stressCalls = stressAt >= 0 ? Number(argv[stressAt + 1] ?? 10_000) : 0;

const t0 = performance.now();
const stamp = (): string => (performance.now() - t0).toFixed(1).padStart(8);
let traced = 0;
const print = (c: TracedCall): void => {
  traced++;
  if (stressCalls === 0) console.log(`${stamp()} ms  ${formatTracedCall(c)}`);
};

const memory = createMemorySystem();
const table = createReverseTable({ trace: print }).register(
  'apps_mem',
  createAppsMemSkel(traceImpl(appsMemDescriptor, memory.appsMem, print)),
);

const program = new URL(stressCalls > 0 ? './dsp/stress.ts' : './dsp/tour.ts', import.meta.url);
console.log('dspidl demo: a worker-thread DSP calls apps_mem on the application processor');
console.log('  DSP stub -> adsp_listener.next2 over a SharedArrayBuffer channel -> APPS listener -> handle table -> apps_mem skel\n');

const dsp = new DspWorker({ program, args: { calls: stressCalls, seed: 1 } });
const started = performance.now();
const exit = await serveReverse(dsp.transport, table);
const elapsed = performance.now() - started;
const outcome = await dsp.outcome;
await dsp.close();

let failed = false;
console.log(
  `\nlistener: ${exit.calls} reverse calls in ${elapsed.toFixed(0)} ms (incl. worker start-up), ended with ${aeeName(exit.code)} (${exit.reason})`,
);
if (exit.reason !== 'stopped') {
  failed = true;
  if (dsp.transport.failureReason) console.log(`  transport: ${dsp.transport.failureReason}`);
}

if (!outcome.ok) {
  console.log(`DSP program failed: ${outcome.error}`);
  failed = true;
} else if (stressCalls > 0) {
  const r = outcome.value as StressResult;
  console.log(
    `stress: ${r.calls} apps_mem calls (${r.succeeded} succeeded, ${r.failedAsExpected} failed as expected), ` +
      `${(r.nsPerCall / 1000).toFixed(1)} us per call as the DSP sees it, ${traced} traced on APPS`,
  );
  for (const m of r.mismatches) console.log(`  MISMATCH ${m}`);
  if (r.mismatches.length > 0) failed = true;
} else {
  const r = outcome.value as TourResult;
  console.log(`DSP heap grew by ${r.heap.length} chunks at ${r.heap.join(', ')}; HLOS fd ${r.hlosFd} mapped and released`);
  console.log('error paths:');
  for (const a of r.attempts) {
    const ok = a.code === a.expected;
    if (!ok) failed = true;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${a.what.padEnd(58)} ${aeeName(a.code)}${ok ? '' : ` (expected ${aeeName(a.expected)})`}`);
  }
  console.log(`\napps_mem records still held for the DSP: ${memory.appsMem.list().length}`);
  console.log(formatIovaMap(memory.file.session));
}

if (stressCalls === 0) {
  // QMI: a DSP worker acting as the sharedmem peripheral asks the RFSA service for its buffer.
  console.log('\nmsm_sharedmem over QMI: the DSP asks the RFSA service for its shared buffer');
  const phys = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * 1024 * 1024 });
  const sharedmem = new MsmSharedmem({ memory: phys });
  sharedmem.probeAll(DEFAULT_SHAREDMEM_NODES);
  const apps = new QrtrRouter(1);
  new RfsaSharedmemService(apps, sharedmem).start();
  const link = createSharedmemPeripheralLink(apps, phys, 5, 'shared-buffer');
  const peripheral = new DspWorker({ program: new URL('./dsp/sharedmem-peripheral.ts', import.meta.url), args: { link } });
  try {
    const r = await runSharedmemScenario({ router: apps, sharedmem, clientName: 'rfsa_dsp', message: 'load adsp.mdt', timeoutMs: 10_000 });
    const same = r.peripheralAddress === r.uioAddress;
    if (!same) failed = true;
    console.log(
      `  ${r.uio} (client 0x${r.clientId.toString(16)}): sysfs map0 addr 0x${r.uioAddress.toString(16)}, QMI GET_BUFF_ADDR answered 0x${r.peripheralAddress.toString(16)} ${same ? '(same)' : '(MISMATCH)'}`,
    );
    console.log(`  APPS wrote ${JSON.stringify(r.sent)}; the DSP answered ${JSON.stringify(r.received)} through the buffer`);
    apps.disconnect(5);
    const o = await peripheral.outcome;
    if (!o.ok) failed = true;
  } catch (err) {
    failed = true;
    console.log(`  sharedmem step failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await peripheral.close();
  }
}

process.exitCode = failed ? 1 : 0;
