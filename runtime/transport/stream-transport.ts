/**
 * FastRPC invocations over a byte stream (a Unix socket or TCP on loopback), so the simulated
 * DSP can run as a separate process. Each message is `u32 length | u32 call id | frame`
 * (frame.ts); calls are matched to replies by id, so several may be in flight.
 */
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { RemoteArg } from '../wire/remote-arg.ts';
import type { RemoteHandle, SkelInvoke, Transport } from '../rpc/transport.ts';
import { readRequest, readResponse, requestLength, writeRequest, writeResponse } from './frame.ts';
import type { DecodedRequest } from './frame.ts';
import { AEE_ECONNRESET, AEE_ETIMEDOUT, statusOf } from './status.ts';

const MSG_HEADER = 8;
/** Largest message accepted from the other side (64 MiB). */
export const MAX_STREAM_MESSAGE = 64 * 1024 * 1024;

/** Splits a byte stream into messages; calls `onMessage(id, frame)` for each. */
class MessageReader {
  private pending: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly onMessage: (id: number, frame: Uint8Array) => void,
    private readonly onBad: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.size += chunk.length;
    while (this.size >= MSG_HEADER) {
      const head = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
      this.pending = [head];
      const len = head.readUInt32LE(0);
      if (len < MSG_HEADER || len > MAX_STREAM_MESSAGE) {
        this.onBad();
        return;
      }
      if (head.length < len) return;
      // Copy into an 8-aligned buffer of its own so the stream's alignment holds in memory too.
      const frame = new Uint8Array(len - MSG_HEADER);
      frame.set(head.subarray(MSG_HEADER, len));
      const id = head.readUInt32LE(4);
      const rest = head.subarray(len);
      this.pending = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
      this.onMessage(id, frame);
    }
  }
}

function message(id: number, frameLen: number): { msg: Buffer; frame: Uint8Array } {
  const msg = Buffer.alloc(MSG_HEADER + frameLen);
  msg.writeUInt32LE(MSG_HEADER + frameLen, 0);
  msg.writeUInt32LE(id, 4);
  return { msg, frame: new Uint8Array(msg.buffer, msg.byteOffset + MSG_HEADER, frameLen) };
}

interface Pending {
  readonly sc: number;
  readonly args: RemoteArg[];
  readonly resolve: (status: number) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

export interface StreamTransportOptions {
  /** Per-call timeout in ms (default none): the call completes with AEE_EEXPIRED. */
  readonly timeoutMs?: number;
}

/** The calling side over a connected socket. When the socket closes, calls complete with AEE_ECONNRESET. */
export class StreamTransport implements Transport {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failedCode = 0;
  private failedWhy = '';

  constructor(
    readonly socket: Socket,
    private readonly options: StreamTransportOptions = {},
  ) {
    socket.setNoDelay(true);
    const reader = new MessageReader(
      (id, frame) => this.reply(id, frame),
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => this.fail(AEE_ECONNRESET, 'the DSP side closed the connection'));
    socket.on('error', (err) => this.fail(AEE_ECONNRESET, `connection error: ${err.message}`));
  }

  get failure(): number {
    return this.failedCode;
  }

  /** Why the transport failed, in words ('' while it works). */
  get failureReason(): string {
    return this.failedWhy;
  }

  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[]): Promise<number> {
    if (this.failedCode !== 0) return Promise.resolve(this.failedCode);
    let msg: Buffer;
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0 || 1;
    try {
      const m = message(id, requestLength(sc, args));
      writeRequest(m.frame, handle, sc, args);
      msg = m.msg;
    } catch (err) {
      return Promise.resolve(statusOf(err));
    }
    return new Promise<number>((resolve) => {
      const t = this.options.timeoutMs;
      const timer =
        t !== undefined && Number.isFinite(t)
          ? setTimeout(() => {
              this.pending.delete(id);
              resolve(AEE_ETIMEDOUT);
            }, t)
          : undefined;
      this.pending.set(id, { sc, args, resolve, timer });
      this.socket.write(msg);
    });
  }

  close(): void {
    this.socket.end();
    this.fail(AEE_ECONNRESET, 'the connection was closed');
  }

  private reply(id: number, frame: Uint8Array): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    p.resolve(readResponse(frame, p.sc, p.args));
  }

  private fail(code: number, reason: string): void {
    if (this.failedCode === 0) {
      this.failedCode = code;
      this.failedWhy = reason;
    }
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.resolve(code);
    }
    this.pending.clear();
  }
}

/** Serves invocations arriving on `socket` with `dispatch` (each call may be async; replies go out as they finish). */
export function serveStream(socket: Socket, dispatch: SkelInvoke): Promise<void> {
  socket.setNoDelay(true);
  const reader = new MessageReader(
    (id, frame) => {
      let req: DecodedRequest | undefined;
      let reply: { msg: Buffer; frame: Uint8Array } | undefined;
      const finish = (result: number) => {
        // A malformed request still gets an answer: the error with no out data.
        reply ??= message(id, 16);
        const len = writeResponse(reply.frame, result, result === 0 ? req : undefined);
        reply.msg.writeUInt32LE(MSG_HEADER + len, 0);
        if (socket.writable) socket.write(reply.msg.subarray(0, MSG_HEADER + len));
      };
      try {
        req = readRequest(frame, (bytes) => (reply = message(id, Math.max(16, bytes))).frame);
        const r = dispatch(req.handle, req.sc, req.args);
        if (typeof r === 'number') finish(r);
        else r.then(finish, (err: unknown) => finish(statusOf(err)));
      } catch (err) {
        finish(statusOf(err));
      }
    },
    () => socket.destroy(),
  );
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  return new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

/** Connects to a DSP simulator listening on a Unix socket path or a TCP port on loopback. */
export function connectStream(where: string | number, options: StreamTransportOptions = {}): Promise<StreamTransport> {
  return new Promise((resolve, reject) => {
    const socket = typeof where === 'number' ? createConnection({ port: where, host: '127.0.0.1' }) : createConnection({ path: where });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new StreamTransport(socket, options));
    });
    socket.once('error', reject);
  });
}

/**
 * Listens on a Unix socket path, or a TCP port on loopback (0 picks one), serving each
 * connection with `dispatch`. `onConnection` runs for each accepted socket.
 */
export function listenStream(
  where: string | number,
  dispatch: SkelInvoke,
  onConnection?: (socket: Socket, served: Promise<void>) => void,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      const served = serveStream(socket, dispatch);
      onConnection?.(socket, served);
    });
    server.once('error', reject);
    const ready = () => {
      server.off('error', reject);
      resolve(server);
    };
    if (typeof where === 'number') server.listen(where, '127.0.0.1', ready);
    else server.listen(where, ready);
  });
}
