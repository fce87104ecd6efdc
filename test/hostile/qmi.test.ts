/**
 * QMI messaging facing a hostile or broken peer: bad indications are reported and dropped,
 * handler failures of any kind become QMI error responses, a corrupt shared-memory ring closes
 * its link, spoofed control messages are ignored, and request APIs never throw.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  QmiClient,
  QmiDroppedMessageError,
  QmiErr,
  QmiMessageType,
  QmiResult,
  QmiService,
  QmiTxnExhaustedError,
  QRTR_PORT_CTRL,
  QrtrCtrl,
  QrtrRouter,
  createChannelPair,
  createSharedQrtrBuffer,
  encodeCtrlPacket,
  frameQmiMessage,
  sharedBufferChannel,
  type QrtrAddress,
  type QrtrPacket,
} from '../../runtime/qmi/messaging/index.ts';
import { OK, TEST_SERVICE, add, noticeInd, type Notice } from '../qmi-messaging/fixtures.ts';

async function serviceAndClient(onError?: (e: Error) => void) {
  const router = new QrtrRouter(1);
  const svc = new QmiService(router, TEST_SERVICE);
  svc.handle(add, ({ a, b }) => ({ resp: OK, sum: BigInt(a) + BigInt(b) }));
  svc.start();
  const client = await QmiClient.connect(router, TEST_SERVICE, onError ? { onError } : {});
  return { router, svc, client };
}

describe('QMI client facing a broken service', () => {
  it('reports a malformed indication through onError, drops it and keeps working', async () => {
    const errors: Error[] = [];
    const { svc, client } = await serviceAndClient((e) => errors.push(e));
    const seen: Notice[] = [];
    client.onIndication(noticeInd, (n) => seen.push(n));
    // TLV 0x01 claims 200 bytes and carries 2.
    svc.socket.send(
      client.socket.address,
      frameQmiMessage(QmiMessageType.INDICATION, 0, noticeInd.msgId, Uint8Array.of(0x01, 200, 0, 0x41, 0x42)),
    );
    // Datagrams arrive in order: once this response is in, the indication was handled.
    expect(await client.request(add, { a: 1, b: 2 })).toEqual({ resp: OK, sum: 3n });
    expect(seen).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(QmiDroppedMessageError);
    expect(errors[0]!.message).toMatch(/indication 0x[0-9a-f]+ dropped/);
    client.close();
  });

  it('an indication handler that throws is reported, not a crash', async () => {
    const errors: Error[] = [];
    const { svc, client } = await serviceAndClient((e) => errors.push(e));
    client.onIndication(noticeInd, () => {
      throw new Error('handler bug');
    });
    svc.sendIndication(client.socket.address, noticeInd.msgId, noticeInd.indication, { text: 'x' });
    await client.request(add, { a: 0, b: 0 });
    expect(errors.map((e) => e.message)).toEqual([`indication 0x${noticeInd.msgId.toString(16)} dropped: handler bug`]);
    client.close();
  });

  it('the 65,536th concurrent request is a rejected promise, not a throw', async () => {
    const router = new QrtrRouter(1);
    const silent = router.open();
    const client = QmiClient.forServer(router, { service: TEST_SERVICE.service, instance: 0x0301, node: 1, port: silent.address.port });
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 0xffff; i++)
      pending.push(client.requestRaw(add.msgId, new Uint8Array(0), { timeoutMs: 60_000 }).catch(() => 'closed'));
    let last: Promise<Uint8Array> | undefined;
    expect(() => (last = client.requestRaw(add.msgId, new Uint8Array(0)))).not.toThrow();
    await expect(last).rejects.toBeInstanceOf(QmiTxnExhaustedError);
    client.close();
    expect(new Set(await Promise.all(pending))).toEqual(new Set(['closed']));
  });
});

describe('QMI service facing failing handlers', () => {
  it('a reply over 65,535 bytes becomes FAILURE/INTERNAL, and the service keeps serving in order', async () => {
    const router = new QrtrRouter(1);
    const svc = new QmiService(router, TEST_SERVICE, { serialize: true });
    let calls = 0;
    svc.handleRaw(add.msgId, () => (++calls === 1 ? new Uint8Array(70_000) : add.response.encode({ resp: OK, sum: 5n })));
    svc.start();
    const client = await QmiClient.connect(router, TEST_SERVICE);
    const first = await client.request(add, { a: 1, b: 1 });
    expect(first.resp).toEqual({ result: QmiResult.FAILURE, error: QmiErr.INTERNAL });
    expect(await client.request(add, { a: 2, b: 3 })).toEqual({ resp: OK, sum: 5n });
    client.close();
  });

  it('a handler returning something other than bytes, or rejecting with a non-Error, becomes FAILURE/INTERNAL', async () => {
    const router = new QrtrRouter(1);
    const svc = new QmiService(router, TEST_SERVICE);
    let call = 0;
    svc.handleRaw(add.msgId, () => {
      call++;
      if (call === 1) return 'not bytes' as unknown as Uint8Array;
      return Promise.reject(42 as unknown as Error);
    });
    svc.start();
    const client = await QmiClient.connect(router, TEST_SERVICE);
    for (let i = 0; i < 2; i++)
      expect((await client.request(add, { a: 0, b: 0 })).resp).toEqual({ result: QmiResult.FAILURE, error: QmiErr.INTERNAL });
    client.close();
  });
});

describe('shared-memory QRTR ring facing a corrupt peer', () => {
  /** Writes one record header into ring 0 (side 0 -> side 1) by hand and publishes it. */
  function forge(buffer: SharedArrayBuffer, len: number, w: number): void {
    const ctl = new Int32Array(buffer, 0, 16);
    new DataView(buffer, 64).setInt32(0, len, true);
    Atomics.store(ctl, 0, w);
    Atomics.add(ctl, 3, 1);
    Atomics.notify(ctl, 3);
  }

  for (const [len, w] of [
    [-8, 24],
    [100_000, 24],
    [4, 2000],
  ] as const) {
    it(`a record of length ${len} with the write offset at ${w}: the link closes, nothing is delivered`, async () => {
      const buffer = createSharedQrtrBuffer(1024);
      const reader = sharedBufferChannel(buffer, 1);
      const got: QrtrPacket[] = [];
      const closed = new Promise<void>((resolve) => reader.onClose(resolve));
      reader.onPacket((p) => got.push(p));
      forge(buffer, len, w);
      await closed;
      expect(got).toEqual([]);
      expect(reader.closeReason).toMatch(/record of|ring offsets/);
    });
  }
});

describe('QRTR router facing a spoofing node', () => {
  it("ignores a DEL_CLIENT from a node that names another node's client, and honours one for its own", async () => {
    const apps = new QrtrRouter(1);
    const [appsEnd, peerEnd] = createChannelPair();
    apps.connect(5, appsEnd);
    peerEnd.onPacket(() => {});
    const watcher = apps.open();
    const gone: QrtrAddress[] = [];
    watcher.onClientGone((c) => gone.push(c));
    const local = apps.open();
    const ctrl = (client: QrtrAddress): QrtrPacket => ({
      src: { node: 5, port: QRTR_PORT_CTRL },
      dst: { node: 1, port: QRTR_PORT_CTRL },
      payload: encodeCtrlPacket({ cmd: QrtrCtrl.DEL_CLIENT, client }),
    });
    peerEnd.post(ctrl(local.address));
    peerEnd.post(ctrl({ node: 5, port: 0x4001 }));
    // The genuine one comes second: once it is seen, the spoofed one has been handled.
    await vi.waitFor(() => expect(gone.length).toBeGreaterThan(0));
    expect(gone).toEqual([{ node: 5, port: 0x4001 }]);
  });
});
