// Worker entry: a peripheral processor (its own QRTR node) running the sharedmem agent.
import { workerData } from 'node:worker_threads';
import { attachSharedmemPeripheral, type SharedmemPeripheralLink } from './scenario.ts';

attachSharedmemPeripheral((workerData as { link: SharedmemPeripheralLink }).link);
