import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  QmiClient,
  QmiServiceGoneError,
  QrtrRouter,
  createSharedQrtrBuffer,
  sharedBufferChannel,
  spawnTsWorker,
  type QrtrPacket,
} from '../../runtime/qmi/messaging/index.ts';
import { TEST_SERVICE, add } from './fixtures.ts';

describe('QRTR link over a SharedArrayBuffer', () => {
  it('delivers every packet in order and intact, through ring wrap-around and a full ring', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 900 }), { minLength: 1, maxLength: 40 }), async (payloads) => {
        const buf = createSharedQrtrBuffer(1024);
        const a = sharedBufferChannel(buf, 0);
        const b = sharedBufferChannel(buf, 1);
        const got: QrtrPacket[] = [];
        const done = new Promise<void>((resolve) =>
          b.onPacket((p) => {
            got.push(p);
            if (got.length === payloads.length) resolve();
          }),
        );
        a.onPacket(() => {});
        payloads.forEach((payload, i) => a.post({ src: { node: 1, port: i }, dst: { node: 5, port: 0x4000 }, payload }));
        await done;
        expect(got.map((p) => p.src.port)).toEqual(payloads.map((_, i) => i));
        got.forEach((p, i) => expect(p.payload).toEqual(payloads[i]));
        a.close();
        b.close();
      }),
      { numRuns: 25 },
    );
  });

  it('reports the peer closing', async () => {
    const buf = createSharedQrtrBuffer(1024);
    const a = sharedBufferChannel(buf, 0);
    const b = sharedBufferChannel(buf, 1);
    b.onPacket(() => {});
    const closed = new Promise<void>((resolve) => b.onClose(resolve));
    a.close();
    await closed;
  });

  it('carries QMI to a worker that was handed only the buffer', async () => {
    const buffer = createSharedQrtrBuffer(64 * 1024);
    const apps = new QrtrRouter(1);
    const channel = sharedBufferChannel(buffer, 0);
    apps.connect(5, channel);
    const worker = spawnTsWorker(new URL('./sab-service-worker.ts', import.meta.url), { workerData: { buffer } });
    try {
      const client = await QmiClient.connect(apps, TEST_SERVICE, { lookupTimeoutMs: 10_000 });
      expect(client.server.node).toBe(5);
      const sums = await Promise.all(Array.from({ length: 50 }, (_, i) => client.request(add, { a: i, b: 3 })));
      expect(sums.map((r) => r.sum)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i * 3)));
      // Closing the link withdraws the worker's servers here, and the worker sees the close too
      // (its only reason to stay alive goes away, so it exits on its own).
      const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
      apps.disconnect(5);
      await expect(client.request(add, { a: 1, b: 1 })).rejects.toBeInstanceOf(QmiServiceGoneError);
      expect(await exited).toBe(0);
    } finally {
      await worker.terminate();
    }
  });
});
