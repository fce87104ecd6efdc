import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { QmiClient, QmiServiceGoneError, QrtrRouter, messagePortChannel, spawnTsWorker } from '../../runtime/qmi/messaging/index.ts';
import { TEST_SERVICE, add } from './fixtures.ts';

describe('QMI over a worker thread', () => {
  it('reaches a service in a worker and sees it vanish when the worker is terminated', async () => {
    const apps = new QrtrRouter(1);
    const { port1, port2 } = new MessageChannel();
    apps.connect(5, messagePortChannel(port1));
    const worker = spawnTsWorker(new URL('./service-worker.ts', import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
    try {
      const client = await QmiClient.connect(apps, TEST_SERVICE, { lookupTimeoutMs: 10_000 });
      expect(client.server.node).toBe(5);
      const answers = await Promise.all([3, 4, 5].map((a) => client.request(add, { a, b: 7 })));
      expect(answers.map((r) => r.sum)).toEqual([21n, 28n, 35n]);

      const stuck = expect(client.request(add, { a: 0xdead, b: 0 })).rejects.toBeInstanceOf(QmiServiceGoneError);
      await new Promise((r) => setTimeout(r, 20));
      await worker.terminate();
      await stuck;
      expect(apps.nameService.list()).toEqual([]);
    } finally {
      await worker.terminate();
      port1.close();
    }
  });
});
