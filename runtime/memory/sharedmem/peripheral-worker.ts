// Worker entry: a peripheral processor (its own QRTR node) running the sharedmem agent.
import { workerData, type MessagePort } from 'node:worker_threads';
import { QrtrRouter, messagePortChannel } from '../../qmi/messaging/index.ts';
import { PhysicalMemory, type PhysicalMemoryShare } from '../phys.ts';
import { startSharedmemAgent } from './agent.ts';

interface PeripheralWorkerData {
  readonly port: MessagePort;
  readonly memory: PhysicalMemoryShare;
  readonly node: number;
  readonly appsNode: number;
}

const data = workerData as PeripheralWorkerData;
const router = new QrtrRouter(data.node);
startSharedmemAgent(router, PhysicalMemory.attach(data.memory));
router.connect(data.appsNode, messagePortChannel(data.port));
