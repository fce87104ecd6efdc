// Worker entry: the test service on node 5, linked to its parent through a SharedArrayBuffer.
import { workerData } from 'node:worker_threads';
import { QmiService, QrtrRouter, sharedBufferChannel } from '../../runtime/qmi/messaging/index.ts';
import { OK, TEST_SERVICE, add } from './fixtures.ts';

const { buffer } = workerData as { buffer: SharedArrayBuffer };
const router = new QrtrRouter(5);
const svc = new QmiService(router, TEST_SERVICE);
svc.handle(add, ({ a, b }) => ({ resp: OK, sum: BigInt(a) * BigInt(b) }));
svc.start();
const channel = sharedBufferChannel(buffer, 1);
router.connect(1, channel);
// A waiting Atomics.waitAsync does not keep a worker alive; a real DSP worker has its own loop.
const keepAlive = setInterval(() => {}, 1000);
channel.onClose(() => clearInterval(keepAlive));
