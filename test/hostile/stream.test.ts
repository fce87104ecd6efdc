/**
 * The socket transport facing a hostile or broken peer: lengths it sends are checked before
 * anything is allocated, reading is linear, a call too big fails alone, and a silent peer or a
 * half reply ends in a timeout instead of a call that never completes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { MessageReader } from '../../runtime/transport/message-reader.ts';
import { AEE_ECONNRESET, AEE_ETIMEDOUT } from '../../runtime/transport/status.ts';
import { connectStream, DEFAULT_STREAM_TIMEOUT_MS, listenStream, MAX_STREAM_MESSAGE } from '../../runtime/transport/stream-transport.ts';
import { xorSkel } from '../transport/xor-skel.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  vi.useRealTimers();
});

async function rawServer(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function xorServer(options: { maxMessageBytes?: number; maxPendingBytes?: number } = {}): Promise<number> {
  const server = await listenStream(0, xorSkel, undefined, options);
  servers.push(server);
  return (server.address() as { port: number }).port;
}

/** A request message: u32 length | u32 id | frame (flags, sc, handle, stream length, in stream). */
function requestMessage(id: number, sc: number, stream: Uint8Array): Buffer {
  const frame = Buffer.alloc(24 + Math.ceil(stream.length / 8) * 8);
  frame.writeUInt32LE(sc, 4);
  frame.writeUInt32LE(3, 8);
  frame.writeUInt32LE(stream.length, 16);
  frame.set(stream, 24);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(8 + frame.length, 0);
  head.writeUInt32LE(id, 4);
  return Buffer.concat([head, frame]);
}

/** Reads one reply message from a raw client socket: [id, result]. */
function firstReply(socket: Socket): Promise<[number, number]> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 12 && got.length >= got.readUInt32LE(0)) resolve([got.readUInt32LE(4), got.readInt32LE(8)]);
    });
  });
}

async function rawClient(port: number): Promise<Socket> {
  const { createConnection } = await import('node:net');
  const socket = createConnection({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

describe('serveStream facing a hostile client', () => {
  it('answers a 40-byte request for a 0x7ffffff0-byte out buffer with AEE_EBADSIZE, without allocating it', async () => {
    const port = await xorServer();
    const socket = await rawClient(port);
    // One out buffer of 0x7ffffff0 bytes: the in stream is just its length word.
    const stream = Buffer.alloc(4);
    stream.writeUInt32LE(0x7ffffff0, 0);
    const reply = firstReply(socket);
    socket.write(requestMessage(7, makeScalars(1, 0, 1), stream));
    expect(await reply).toEqual([7, Aee.EBADSIZE]);
    socket.destroy();
  });

  it('answers AEE_ENOMEMORY when the replies being prepared would pass maxPendingBytes, and keeps serving', async () => {
    const slow = new Promise<number>(() => {});
    const server = await listenStream(0, () => slow, undefined, { maxPendingBytes: 3 << 20 });
    servers.push(server);
    const socket = await rawClient((server.address() as { port: number }).port);
    const stream = Buffer.alloc(4);
    stream.writeUInt32LE(1 << 20, 0);
    const replies: [number, number][] = [];
    socket.on('data', (b: Buffer) => {
      for (let at = 0; at + 12 <= b.length; at += b.readUInt32LE(at)) replies.push([b.readUInt32LE(at + 4), b.readInt32LE(at + 8)]);
    });
    for (let id = 1; id <= 4; id++) socket.write(requestMessage(id, makeScalars(1, 0, 1), stream));
    await vi.waitFor(() => expect(replies.length).toBeGreaterThan(0));
    // Two 1 MiB replies fit 3 MiB of pending replies; the third and fourth do not.
    expect(replies).toEqual([
      [3, Aee.ENOMEMORY],
      [4, Aee.ENOMEMORY],
    ]);
    socket.destroy();
  });

  it('drops a connection whose message length is out of range, and the server goes on', async () => {
    const port = await xorServer();
    const bad = await rawClient(port);
    const closed = new Promise<void>((resolve) => bad.on('close', () => resolve()));
    bad.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    await closed;
    const transport = await connectStream(port);
    const data = Uint8Array.from([1, 2, 3, 4]);
    const out = new Uint8Array(4);
    expect(await transport.invoke(1, makeScalars(0, 1, 1), [data, out])).toBe(0);
    transport.close();
  });
});

describe('MessageReader', () => {
  it('copies each byte once, however the peer splits the stream (linear reading)', () => {
    const bodies: number[] = [];
    const reader = new MessageReader(
      MAX_STREAM_MESSAGE,
      (_id, body) => bodies.push(body.length),
      () => {
        throw new Error('unexpected');
      },
    );
    const body = 16 << 20;
    const msg = Buffer.alloc(8 + body, 0x5a);
    msg.writeUInt32LE(8 + body, 0);
    for (let at = 0; at < msg.length; at += 65536) reader.push(msg.subarray(at, at + 65536));
    expect(bodies).toEqual([body]);
    expect(reader.bytesCopied).toBe(body);
    expect(reader.buffered).toBe(0);
  });

  it('reports a length outside [8, max] before buffering for it, then ignores the rest', () => {
    const bad: string[] = [];
    const reader = new MessageReader(
      1024,
      () => bad.push('message'),
      (why) => bad.push(why),
    );
    const head = Buffer.alloc(8);
    head.writeUInt32LE(4096, 0);
    reader.push(head);
    reader.push(Buffer.alloc(4096));
    expect(bad).toEqual(['message length 4096 outside [8, 1024]']);
    expect(reader.buffered).toBe(0);
  });
});

describe('StreamTransport facing a hostile or silent server', () => {
  it('fails a call whose reply would exceed the message limit alone, before sending it; later calls work', async () => {
    const port = await xorServer({ maxMessageBytes: 1 << 20 });
    const transport = await connectStream(port, { maxMessageBytes: 1 << 20 });
    const write = vi.spyOn(transport.socket, 'write');
    const big = new Uint8Array((1 << 20) + 1);
    expect(await transport.invoke(1, makeScalars(0, 1, 1), [new Uint8Array(4), big])).toBe(Aee.EBADSIZE);
    expect(write).not.toHaveBeenCalled();
    const out = new Uint8Array(4);
    expect(await transport.invoke(1, makeScalars(0, 1, 1), [Uint8Array.from([9, 9, 9, 9]), out])).toBe(0);
    expect(transport.failure).toBe(0);
    transport.close();
  });

  it('a silent peer: the call completes with AEE_EEXPIRED after its timeout', async () => {
    const port = await rawServer(() => {});
    const transport = await connectStream(port, { timeoutMs: 50 });
    expect(await transport.invoke(1, makeScalars(1, 0, 0), [])).toBe(AEE_ETIMEDOUT);
    transport.close();
  });

  it('half a reply: the call completes with AEE_EEXPIRED, and the rest arriving later is dropped', async () => {
    let peer: Socket | undefined;
    const port = await rawServer((s) => {
      peer = s;
      s.once('data', (b: Buffer) => {
        const reply = Buffer.alloc(24);
        reply.writeUInt32LE(24, 0);
        reply.writeUInt32LE(b.readUInt32LE(4), 4);
        s.write(reply.subarray(0, 10));
      });
    });
    const transport = await connectStream(port, { timeoutMs: 50 });
    expect(await transport.invoke(1, makeScalars(1, 0, 0), [])).toBe(AEE_ETIMEDOUT);
    peer?.write(Buffer.alloc(14));
    expect(transport.failure).toBe(0);
    transport.close();
  });

  it('has a default timeout of DEFAULT_STREAM_TIMEOUT_MS (30 s)', async () => {
    const port = await rawServer(() => {});
    const transport = await connectStream(port);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const call = transport.invoke(1, makeScalars(1, 0, 0), []);
    vi.advanceTimersByTime(DEFAULT_STREAM_TIMEOUT_MS);
    expect(await call).toBe(AEE_ETIMEDOUT);
    vi.useRealTimers();
    transport.close();
  });

  it('a reply longer than the limit ends the connection with a reason; calls then fail with AEE_ECONNRESET', async () => {
    const port = await rawServer((s) => {
      s.once('data', () => {
        const head = Buffer.alloc(8);
        head.writeUInt32LE(0xfffffff0, 0);
        s.write(head);
      });
    });
    const transport = await connectStream(port);
    const args: RemoteArg[] = [];
    expect(await transport.invoke(1, makeScalars(1, 0, 0), args)).toBe(AEE_ECONNRESET);
    expect(transport.failureReason).toMatch(/bad message \(message length 4294967280 outside/);
    expect(await transport.invoke(1, makeScalars(1, 0, 0), args)).toBe(AEE_ECONNRESET);
  });
});
