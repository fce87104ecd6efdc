/**
 * The other process of `npm run soak`: a FastRPC stream peer that misbehaves at random.
 *   client <port> <seed>: connects to a serving process and sends valid calls, garbage, truncated
 *     frames and out-of-range lengths, and hangs up abruptly, in a loop.
 *   server <seed>: serves a calling process and answers with valid replies, garbage, half replies,
 *     silence or a hang-up; prints `listening <port>` first.
 * Runs until killed.
 */
import { createConnection, createServer, type Socket } from 'node:net';

const [mode, a, b] = process.argv.slice(2);
let seed = Number(mode === 'client' ? b : a) >>> 0 || 1;
/** xorshift32: reproducible from the seed. */
function rnd(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => rnd(256)));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A valid request for method 0 of the soak's xor skel: one in buffer, one out buffer of the same length. */
function validRequest(id: number): Buffer {
  const len = rnd(64);
  const data = bytes(len);
  // In stream: u32 len | pad to 8 | data | u32 out len.
  const at = len > 0 ? 8 : 4;
  const stream = Buffer.alloc(at + len + 4);
  stream.writeUInt32LE(len, 0);
  data.copy(stream, at);
  stream.writeUInt32LE(len, at + len);
  const frame = Buffer.alloc(24 + Math.ceil(stream.length / 8) * 8);
  frame.writeUInt32LE((0 << 24) | (1 << 16) | (1 << 8), 4);
  frame.writeUInt32LE(1, 8);
  frame.writeUInt32LE(stream.length, 16);
  stream.copy(frame, 24);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(8 + frame.length, 0);
  head.writeUInt32LE(id, 4);
  return Buffer.concat([head, frame]);
}

function misbehave(socket: Socket, id: number): boolean {
  switch (rnd(8)) {
    case 0:
      socket.write(bytes(1 + rnd(200)));
      return true;
    case 1: {
      const m = validRequest(id);
      socket.write(m.subarray(0, 1 + rnd(m.length - 1)));
      return false;
    }
    case 2: {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(0xfffffff0 - rnd(16), 0);
      socket.write(head);
      return false;
    }
    case 3:
      socket.destroy();
      return false;
    default:
      socket.write(validRequest(id));
      return true;
  }
}

async function client(port: number): Promise<void> {
  for (;;) {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    socket.on('data', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()).once('error', () => resolve()));
    for (let i = 0; i < 1 + rnd(50) && !socket.destroyed; i++) {
      if (!misbehave(socket, i + 1)) break;
      await sleep(rnd(3));
    }
    socket.destroy();
    await sleep(rnd(5));
  }
}

function answer(socket: Socket, request: Buffer): void {
  const id = request.readUInt32LE(4);
  const reply = Buffer.alloc(8 + 16 + 72);
  reply.writeUInt32LE(reply.length, 0);
  reply.writeUInt32LE(id, 4);
  switch (rnd(6)) {
    case 0:
      socket.write(bytes(1 + rnd(100)));
      break;
    case 1:
      socket.write(reply.subarray(0, 1 + rnd(reply.length - 1)));
      break;
    case 2:
      break; // silence: the caller's timeout ends the call
    case 3:
      socket.destroy();
      break;
    default:
      reply.writeInt32LE(rnd(2) === 0 ? 0 : 14, 8);
      socket.write(reply.subarray(0, 24));
  }
}

function server(): void {
  const srv = createServer((socket) => {
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readUInt32LE(0) && pending.readUInt32LE(0) >= 8) {
        const len = pending.readUInt32LE(0);
        answer(socket, pending.subarray(0, len));
        pending = pending.subarray(len);
      }
    });
  });
  srv.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(srv.address() as { port: number }).port}\n`));
}

if (mode === 'client') void client(Number(a));
else if (mode === 'server') server();
else throw new Error('usage: hostile-peer.ts client <port> <seed> | server <seed>');
