import { describe, expect, it } from 'vitest';
import { Errno, KernelError } from '../../runtime/memory/errno.ts';
import {
  QmiClient,
  QmiErr,
  QmiMessageType,
  QmiRequestError,
  QmiService,
  QmiServiceGoneError,
  QmiTimeoutError,
  QrtrRouter,
  createChannelPair,
  frameQmiMessage,
  parseQmiMessage,
  peekResponseTlv,
  type QrtrAddress,
} from '../../runtime/qmi/messaging/index.ts';
import { OK, TEST_SERVICE, add, noticeInd, type Notice } from './fixtures.ts';

function addService(router: QrtrRouter, options = {}) {
  const svc = new QmiService(router, TEST_SERVICE, options);
  svc.handle(add, ({ a, b }) => ({ resp: OK, sum: BigInt(a) + BigInt(b) }));
  svc.start();
  return svc;
}

/** A raw socket that sends one request datagram and resolves with the reply. */
function rawExchange(router: QrtrRouter, server: QrtrAddress, datagram: Uint8Array) {
  const sock = router.open();
  return new Promise<ReturnType<typeof parseQmiMessage>>((resolve) => {
    sock.onMessage((_src, reply) => {
      sock.close();
      resolve(parseQmiMessage(reply));
    });
    sock.send(server, datagram);
  });
}

describe('QMI client and service in one process', () => {
  it('looks the service up by (service, version, instance) and gets typed responses', async () => {
    const router = new QrtrRouter(1);
    addService(router);
    const client = await QmiClient.connect(router, TEST_SERVICE);
    expect(client.server.instance).toBe(0x0301);
    expect(await client.request(add, { a: 2, b: 40 })).toEqual({ resp: OK, sum: 42n });
    // Another instance of the same service is a different server.
    await expect(QmiClient.connect(router, { ...TEST_SERVICE, instance: 4 }, { lookupTimeoutMs: 30 })).rejects.toThrow(/no server/);
  });

  it('matches concurrent responses by transaction id, in any order', async () => {
    const router = new QrtrRouter(1);
    const svc = new QmiService(router, TEST_SERVICE, { serialize: false });
    const seenTxns: number[] = [];
    svc.handle(add, async ({ a, b }, ctx) => {
      seenTxns.push(ctx.txnId);
      await new Promise((r) => setTimeout(r, 40 - a * 4)); // later requests answer first
      return { resp: OK, sum: BigInt(a * b) };
    });
    svc.start();
    const client = await QmiClient.connect(router, TEST_SERVICE);
    const results = await Promise.all([1, 2, 3, 4, 5].map((a) => client.request(add, { a, b: 10 })));
    expect(results.map((r) => r.sum)).toEqual([10n, 20n, 30n, 40n, 50n]);
    expect(seenTxns).toEqual([1, 2, 3, 4, 5]);
  });

  it('transaction ids run 1..65535, then wrap past 0 and skip ids still in flight', async () => {
    const router = new QrtrRouter(1);
    const sock = router.open();
    sock.publish(TEST_SERVICE);
    const txns: number[] = [];
    sock.onMessage((src, datagram) => {
      const { header } = parseQmiMessage(datagram);
      txns.push(header.txnId);
      // Message 2 is never answered, so its transaction id stays in flight.
      if (header.msgId !== 2) sock.send(src, frameQmiMessage(QmiMessageType.RESPONSE, header.txnId, header.msgId, new Uint8Array()));
    });
    const client = await QmiClient.connect(router, TEST_SERVICE, { timeoutMs: 60_000 });
    const parked = client.requestRaw(2, new Uint8Array()).catch((err: unknown) => err);
    for (let i = 0; i < 65535; i++) await client.requestRaw(1, new Uint8Array());
    expect(txns[0]).toBe(1);
    expect(txns[1]).toBe(2);
    expect(txns[65534]).toBe(65535);
    expect(txns[65535]).toBe(2);
    expect(txns.includes(0)).toBe(false);
    client.close();
    expect(await parked).toBeInstanceOf(QmiServiceGoneError);
  });

  it('times out when no response comes, and ignores a response with the wrong message id', async () => {
    const router = new QrtrRouter(1);
    const sock = router.open();
    sock.publish(TEST_SERVICE);
    sock.onMessage((src, datagram) => {
      const { header } = parseQmiMessage(datagram);
      // Right transaction, wrong message id: QCCI does not complete the request with it.
      sock.send(src, frameQmiMessage(QmiMessageType.RESPONSE, header.txnId, header.msgId + 1, new Uint8Array()));
    });
    const client = await QmiClient.connect(router, TEST_SERVICE, { timeoutMs: 50 });
    await expect(client.request(add, { a: 1, b: 1 })).rejects.toBeInstanceOf(QmiTimeoutError);
    expect(client.inFlight).toBe(0);
  });

  it('answers framework failures with TLV 0x02 only', async () => {
    const router = new QrtrRouter(1);
    const svc = addService(router);
    svc.handleRaw(0x40, () => {
      throw new QmiRequestError(QmiErr.INVALID_ID);
    });
    svc.handleRaw(0x41, () => {
      throw new KernelError(Errno.ENOMEM);
    });
    svc.handleRaw(0x42, () => {
      throw new KernelError(Errno.ENOENT);
    });
    svc.handleRaw(0x43, () => {
      throw new Error('bug');
    });
    const at = svc.socket.address;
    const ask = async (type: number, msgId: number, payload = new Uint8Array(), lie = 0) => {
      const d = frameQmiMessage(type, 9, msgId, payload);
      if (lie) d[5] = d[5]! + lie;
      const { header, payload: p } = await rawExchange(router, at, d);
      expect(header).toMatchObject({ type: QmiMessageType.RESPONSE, txnId: 9, msgId });
      expect(p.length).toBe(7);
      return peekResponseTlv(p)!;
    };
    expect(await ask(0, 0x99)).toEqual({ result: 1, error: QmiErr.NOT_SUPPORTED });
    expect(await ask(0, add.msgId, Uint8Array.of(0x01, 0x04, 0x00, 1, 0, 0, 0))).toEqual({ result: 1, error: QmiErr.ENCODING });
    expect(await ask(0, 0x40)).toEqual({ result: 1, error: QmiErr.INVALID_ID });
    expect(await ask(0, 0x41)).toEqual({ result: 1, error: QmiErr.NO_MEMORY });
    expect(await ask(0, 0x42)).toEqual({ result: 1, error: QmiErr.INTERNAL });
    expect(await ask(0, 0x43)).toEqual({ result: 1, error: QmiErr.INTERNAL });
    expect(await ask(0, add.msgId, new Uint8Array(), 3)).toEqual({ result: 1, error: QmiErr.NO_MEMORY });
    expect(await ask(QmiMessageType.INDICATION, add.msgId)).toEqual({ result: 1, error: QmiErr.MALFORMED_MSG });
  });

  it('serializes requests by default and runs them concurrently when asked not to', async () => {
    for (const serialize of [true, false]) {
      const router = new QrtrRouter(1);
      const svc = new QmiService(router, TEST_SERVICE, { serialize });
      let running = 0;
      let peak = 0;
      const order: number[] = [];
      svc.handle(add, async ({ a }) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        order.push(a);
        running--;
        return { resp: OK };
      });
      svc.start();
      const client = await QmiClient.connect(router, TEST_SERVICE);
      await Promise.all([0, 1, 2, 3].map((a) => client.request(add, { a, b: 0 })));
      if (serialize) {
        expect(peak).toBe(1);
        expect(order).toEqual([0, 1, 2, 3]);
      } else {
        expect(peak).toBeGreaterThan(1);
      }
    }
  });

  it('delivers indications to the client', async () => {
    const router = new QrtrRouter(1);
    const svc = addService(router);
    const client = await QmiClient.connect(router, TEST_SERVICE);
    const got = new Promise<Notice>((resolve) => client.onIndication(noticeInd, resolve));
    svc.sendIndication(client.socket.address, noticeInd.msgId, noticeInd.indication, { text: 'hello' });
    expect(await got).toEqual({ text: 'hello' });
  });
});

describe('QMI across two routers (processors)', () => {
  it('finds a server on the other node, and fails in-flight requests when the link drops', async () => {
    const apps = new QrtrRouter(1);
    const dsp = new QrtrRouter(5);
    const [a, d] = createChannelPair();
    apps.connect(5, a);
    dsp.connect(1, d);
    const svc = new QmiService(apps, TEST_SERVICE);
    let release: () => void = () => {};
    svc.handle(add, async ({ a: x, b }) => {
      if (x === 99) await new Promise<void>((r) => (release = r));
      return { resp: OK, sum: BigInt(x + b) };
    });
    svc.start();
    const client = await QmiClient.connect(dsp, TEST_SERVICE);
    expect(client.server.node).toBe(1);
    expect((await client.request(add, { a: 1, b: 2 })).sum).toBe(3n);

    const stuck = client.request(add, { a: 99, b: 0 });
    await new Promise((r) => setTimeout(r, 5));
    apps.disconnect(5);
    await expect(stuck).rejects.toBeInstanceOf(QmiServiceGoneError);
    release();
    expect(dsp.nameService.list()).toEqual([]);

    // The link comes back (the peripheral restarted): the server is announced again.
    const [a2, d2] = createChannelPair();
    apps.connect(5, a2);
    dsp.connect(1, d2);
    const again = await QmiClient.connect(dsp, TEST_SERVICE);
    expect((await again.request(add, { a: 5, b: 5 })).sum).toBe(10n);
  });

  it('tells services on the other node when a client goes away (DEL_CLIENT)', async () => {
    const apps = new QrtrRouter(1);
    const dsp = new QrtrRouter(5);
    const [a, d] = createChannelPair();
    apps.connect(5, a);
    dsp.connect(1, d);
    const svc = addService(apps);
    const gone: QrtrAddress[] = [];
    svc.socket.onClientGone((c) => gone.push(c));
    const client = await QmiClient.connect(dsp, TEST_SERVICE);
    await client.request(add, { a: 1, b: 1 });
    const addr = client.socket.address;
    client.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(gone).toEqual([addr]);
    await expect(client.request(add, { a: 1, b: 1 })).rejects.toBeInstanceOf(QmiServiceGoneError);
  });

  it('a side that attaches its link late still learns the servers announced earlier', async () => {
    const apps = new QrtrRouter(1);
    const dsp = new QrtrRouter(5);
    addService(apps);
    const [a, d] = createChannelPair();
    apps.connect(5, a);
    await new Promise((r) => setTimeout(r, 5));
    dsp.connect(1, d);
    const client = await QmiClient.connect(dsp, TEST_SERVICE, { lookupTimeoutMs: 1000 });
    expect((await client.request(add, { a: 20, b: 22 })).sum).toBe(42n);
  });
});
