/**
 * FastRPC invocations over a byte stream (a Unix socket or TCP on loopback), so the simulated
 * DSP can run as a separate process. Each message is `u32 length | u32 call id | frame`
 * (frame.ts); calls are matched to replies by id, so several may be in flight.
 */
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { RemoteArg } from '../wire/remote-arg.ts';
import type { RemoteHandle, SkelInvoke, Transport } from '../rpc/transport.ts';
import type { CallOptions } from '../rpc/transport.ts';
import { Aee, AeeError } from '../wire/aee-codes.ts';
import { readRequest, readResponse, replyLength, requestLength, writeRequest, writeResponse } from './frame.ts';
import type { DecodedRequest } from './frame.ts';
import { MESSAGE_HEADER, MessageReader } from './message-reader.ts';
import { AEE_ECONNRESET, AEE_ETIMEDOUT, statusOf } from './status.ts';

const MSG_HEADER = MESSAGE_HEADER;
/** Default largest message either side sends or accepts (64 MiB). */
export const MAX_STREAM_MESSAGE = 64 * 1024 * 1024;
/** Default per-call timeout of a StreamTransport (ms). */
export const DEFAULT_STREAM_TIMEOUT_MS = 30_000;

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
  /**
   * Per-call timeout in ms (default DEFAULT_STREAM_TIMEOUT_MS, 30 s; Infinity for none): the call
   * completes with AEE_EEXPIRED and a late reply is dropped. A call may set its own (CallOptions).
   */
  readonly timeoutMs?: number;
  /** Limit in ms of calls that wait for the peer's initiative (CallOptions.idle; default none). */
  readonly idleTimeoutMs?: number;
  /**
   * Largest message sent or accepted, in bytes (default MAX_STREAM_MESSAGE, 64 MiB). A call
   * whose request or reply would be larger fails alone with AEE_EBADSIZE before anything is
   * sent; a larger message from the peer ends the connection (the stream can no longer be trusted).
   */
  readonly maxMessageBytes?: number;
}

/** The calling side over a connected socket. When the socket closes, calls complete with AEE_ECONNRESET. */
export class StreamTransport implements Transport {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failedCode = 0;
  private failedWhy = '';
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly maxMessage: number;

  constructor(
    readonly socket: Socket,
    options: StreamTransportOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_STREAM_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? Number.POSITIVE_INFINITY;
    this.maxMessage = options.maxMessageBytes ?? MAX_STREAM_MESSAGE;
    socket.setNoDelay(true);
    const reader = new MessageReader(
      this.maxMessage,
      (id, frame) => this.reply(id, frame),
      (why) => {
        this.fail(AEE_ECONNRESET, `the DSP side sent a bad message (${why})`);
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => this.fail(AEE_ECONNRESET, 'the DSP side closed the connection'));
    socket.on('error', (err) => this.fail(AEE_ECONNRESET, `connection error: ${err.message}`));
  }

  get failure(): number {
    return this.failedCode;
  }

  /** Calls waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Why the transport failed, in words ('' while it works). */
  get failureReason(): string {
    return this.failedWhy;
  }

  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[], call?: CallOptions): Promise<number> {
    if (this.failedCode !== 0) return Promise.resolve(this.failedCode);
    let msg: Buffer;
    const id = this.nextId;
    try {
      // Both directions are checked before sending: a call too big fails alone.
      const reqLen = requestLength(sc, args);
      const replyLen = replyLength(sc, args);
      if (MSG_HEADER + Math.max(reqLen, replyLen) > this.maxMessage) {
        throw new AeeError(
          Aee.EBADSIZE,
          `a call of ${reqLen} request and ${replyLen} reply bytes exceeds the ${this.maxMessage}-byte message limit`,
        );
      }
      const m = message(id, reqLen);
      writeRequest(m.frame, handle, sc, args);
      msg = m.msg;
    } catch (err) {
      return Promise.resolve(statusOf(err));
    }
    this.nextId = (this.nextId + 1) >>> 0 || 1;
    return new Promise<number>((resolve) => {
      const t = call?.timeoutMs ?? (call?.idle ? this.idleTimeoutMs : this.timeoutMs);
      const timer = Number.isFinite(t)
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

export interface ServeStreamOptions {
  /** Largest message accepted or sent, in bytes (default MAX_STREAM_MESSAGE). */
  readonly maxMessageBytes?: number;
  /**
   * Bytes of replies being prepared at once (default 4 x maxMessageBytes). A request whose reply
   * would go beyond it is answered AEE_ENOMEMORY without running, so a peer cannot make the
   * server allocate without bound by asking for large out buffers.
   */
  readonly maxPendingBytes?: number;
}

/** Serves invocations arriving on `socket` with `dispatch` (each call may be async; replies go out as they finish). */
export function serveStream(socket: Socket, dispatch: SkelInvoke, options: ServeStreamOptions = {}): Promise<void> {
  const maxMessage = options.maxMessageBytes ?? MAX_STREAM_MESSAGE;
  const maxPending = options.maxPendingBytes ?? 4 * maxMessage;
  let pendingBytes = 0;
  socket.setNoDelay(true);
  /** The reply buffer for a request, refused before allocation when over a limit. */
  const replyBuffer = (id: number, bytes: number): { msg: Buffer; frame: Uint8Array } => {
    const size = MSG_HEADER + Math.max(16, bytes);
    if (size > maxMessage) throw new AeeError(Aee.EBADSIZE, `a reply of ${bytes} bytes exceeds the ${maxMessage}-byte message limit`);
    if (pendingBytes + size > maxPending) throw new AeeError(Aee.ENOMEMORY, 'too many reply bytes pending');
    pendingBytes += size;
    return message(id, Math.max(16, bytes));
  };
  const reader = new MessageReader(
    maxMessage,
    (id, frame) => {
      let req: DecodedRequest | undefined;
      let reply: { msg: Buffer; frame: Uint8Array } | undefined;
      let counted = 0;
      const finish = (result: number) => {
        pendingBytes -= counted;
        // A refused or malformed request still gets an answer: the error with no out data.
        if (result !== 0 || reply === undefined) reply = message(id, 16);
        const len = writeResponse(reply.frame, result, result === 0 ? req : undefined);
        reply.msg.writeUInt32LE(MSG_HEADER + len, 0);
        if (socket.writable) socket.write(reply.msg.subarray(0, MSG_HEADER + len));
      };
      try {
        req = readRequest(frame, (bytes) => {
          reply = replyBuffer(id, bytes);
          counted = reply.msg.length;
          return reply.frame;
        });
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
    socket.on('close', () => {
      reader.stop();
      resolve();
    });
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
  options: ServeStreamOptions = {},
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      const served = serveStream(socket, dispatch, options);
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
