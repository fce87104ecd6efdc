// Worker entry: a processor (node 5) hosting the test service, linked to its parent by a MessagePort.
import { workerData, type MessagePort } from 'node:worker_threads';
import { QmiService, QrtrRouter, messagePortChannel } from '../../runtime/qmi/messaging/index.ts';
import { OK, TEST_SERVICE, add } from './fixtures.ts';

const { port } = workerData as { port: MessagePort };
const router = new QrtrRouter(5);
const svc = new QmiService(router, TEST_SERVICE);
svc.handle(add, async ({ a, b }) => {
  // a = 0xdead: never answer, so the parent can kill us with a request in flight.
  if (a === 0xdead) await new Promise(() => {});
  return { resp: OK, sum: BigInt(a) * BigInt(b) };
});
svc.start();
router.connect(1, messagePortChannel(port));
