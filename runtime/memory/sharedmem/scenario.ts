import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import {
  QmiClient,
  QmiResult,
  QrtrRouter,
  createSharedQrtrBuffer,
  messagePortChannel,
  qmiErrName,
  sharedBufferChannel,
  spawnTsWorker,
  type QmiService,
} from '../../qmi/messaging/index.ts';
import { PhysicalMemory, type PhysicalMemoryShare } from '../phys.ts';
import { siblingModule } from '../../transport/module-loading.ts';
import { SHAREDMEM_AGENT_SERVICE, agentExchange, startSharedmemAgent } from './agent.ts';
import type { MsmSharedmem } from './driver.ts';
import { SYSTEM_IDENTITY, type Identity } from './uio.ts';

export interface SharedmemScenarioOptions {
  /** The APPS router; the RFSA service must be running on it and the peripheral linked to it. */
  readonly router: QrtrRouter;
  readonly sharedmem: MsmSharedmem;
  /** UIO name of the buffer to use. Default "rmtfs". */
  readonly clientName?: string;
  readonly identity?: Identity;
  readonly message?: string;
  /** Have the peripheral go through a subsystem restart and ask for its address again. */
  readonly restart?: boolean;
  readonly timeoutMs?: number;
}

export interface SharedmemScenarioResult {
  readonly uio: string;
  readonly clientId: number;
  /** Address from sysfs map0/addr. */
  readonly uioAddress: bigint;
  /** Address the peripheral got over QMI. */
  readonly peripheralAddress: bigint;
  readonly addressAfterRestart?: bigint;
  readonly sent: string;
  /** What the peripheral wrote into the buffer, read back through the UIO mapping. */
  readonly received: string;
  /** The entry's GET_BUFF_ADDR success count after the run. */
  readonly requestCount: number;
}

const IN_OFFSET = 0;
const OUT_OFFSET = 0x1000;

/**
 * APPS side of the sharedmem demo: finds the UIO device by name, maps it as a system
 * process, writes a message into the buffer, asks the peripheral (over QMI) to fetch its
 * buffer address from the RFSA service and answer through the buffer, and reads the answer
 * back through the UIO mapping.
 */
export async function runSharedmemScenario(options: SharedmemScenarioOptions): Promise<SharedmemScenarioResult> {
  const { router, sharedmem } = options;
  const name = options.clientName ?? 'rmtfs';
  const uio = sharedmem.uio.findByName(name, '1.0');
  if (!uio) throw new Error(`no UIO device named ${name}`);
  const entry = sharedmem.entries.find((e) => e.name === name.slice(0, 10));
  if (!entry) throw new Error(`no sharedmem entry for ${name}`);
  const uioAddress = BigInt(sharedmem.uio.readSysfs(`/sys/class/uio/${uio}/maps/map0/addr`).trim());
  const size = Number(BigInt(sharedmem.uio.readSysfs(`/sys/class/uio/${uio}/maps/map0/size`).trim()));
  const mapping = sharedmem.uio.open(`/dev/${uio}`, options.identity ?? SYSTEM_IDENTITY).mmap(size);

  const sent = options.message ?? 'hello from APPS through rmtfs';
  const bytes = new TextEncoder().encode(sent);
  mapping.write(IN_OFFSET, bytes);

  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = await QmiClient.connect(router, SHAREDMEM_AGENT_SERVICE, { timeoutMs, lookupTimeoutMs: timeoutMs });
  try {
    const resp = await agent.request(agentExchange, {
      clientId: entry.clientId,
      size,
      inOffset: IN_OFFSET,
      inLength: bytes.length,
      outOffset: OUT_OFFSET,
      restart: options.restart ?? false,
    });
    if (resp.resp.result !== QmiResult.SUCCESS || resp.address === undefined || resp.outLength === undefined) {
      throw new Error(`peripheral failed: ${qmiErrName(resp.resp.error)}`);
    }
    const received = new TextDecoder().decode(mapping.read(OUT_OFFSET, resp.outLength));
    return {
      uio,
      clientId: entry.clientId,
      uioAddress,
      peripheralAddress: resp.address,
      ...(resp.addressAfterRestart !== undefined ? { addressAfterRestart: resp.addressAfterRestart } : {}),
      sent,
      received,
      requestCount: entry.requestCount,
    };
  } finally {
    agent.close();
  }
}

export interface PeripheralWorkerHandle {
  readonly worker: Worker;
  readonly node: number;
  /** Terminates the worker; the APPS router sees the link go down. */
  stop(): Promise<void>;
}

/**
 * What a worker needs to become a sharedmem peripheral. Exactly one of `port` (transfer it)
 * or `buffer` (a SharedArrayBuffer link: fits anything structured-cloned, e.g. DSP program args).
 */
export interface SharedmemPeripheralLink {
  readonly port?: MessagePort;
  readonly buffer?: SharedArrayBuffer;
  readonly memory: PhysicalMemoryShare;
  readonly node: number;
  readonly appsNode: number;
}

/**
 * APPS side of a peripheral link: connects `router` to QRTR node `node` and returns the data
 * the peripheral's worker needs. Call `router.disconnect(node)` when the worker is gone.
 */
export function createSharedmemPeripheralLink(
  router: QrtrRouter,
  memory: PhysicalMemory,
  node = 5,
  via: 'port' | 'shared-buffer' = 'port',
): SharedmemPeripheralLink {
  const base = { memory: memory.share(), node, appsNode: router.node };
  if (via === 'shared-buffer') {
    const buffer = createSharedQrtrBuffer();
    router.connect(node, sharedBufferChannel(buffer, 0));
    return { ...base, buffer };
  }
  const { port1, port2 } = new MessageChannel();
  router.connect(node, messagePortChannel(port1));
  return { ...base, port: port2 };
}

export interface AttachedPeripheral {
  readonly router: QrtrRouter;
  readonly agent: QmiService;
  /** Resolves when the APPS side closes the link (a DSP program can await it before returning). */
  readonly closed: Promise<void>;
}

/**
 * Peripheral side, to call inside a worker (e.g. from a demo DSP program) with the link from
 * createSharedmemPeripheralLink: a router for the node, the agent, and the link up. Keeps
 * the worker alive until the link closes.
 */
export function attachSharedmemPeripheral(link: SharedmemPeripheralLink): AttachedPeripheral {
  const channel = link.buffer ? sharedBufferChannel(link.buffer, 1) : link.port ? messagePortChannel(link.port) : undefined;
  if (!channel) throw new TypeError('sharedmem peripheral link has neither a port nor a buffer');
  const router = new QrtrRouter(link.node);
  const agent = startSharedmemAgent(router, PhysicalMemory.attach(link.memory));
  const keepAlive = setInterval(() => {}, 1 << 30);
  const closed = new Promise<void>((resolve) =>
    channel.onClose(() => {
      clearInterval(keepAlive);
      resolve();
    }),
  );
  router.connect(link.appsNode, channel);
  return { router, agent, closed };
}

/**
 * Starts a peripheral processor in a worker thread, linked to `router` as QRTR node `node`,
 * running the sharedmem agent over the same physical memory.
 */
export function spawnSharedmemPeripheral(
  router: QrtrRouter,
  memory: PhysicalMemory,
  node = 5,
  via: 'port' | 'shared-buffer' = 'port',
): PeripheralWorkerHandle {
  const link = createSharedmemPeripheralLink(router, memory, node, via);
  const worker = spawnTsWorker(siblingModule(import.meta.url, 'peripheral-worker'), {
    workerData: { link },
    transferList: link.port ? [link.port] : [],
  });
  return {
    worker,
    node,
    async stop() {
      await worker.terminate();
      router.disconnect(node);
    },
  };
}
