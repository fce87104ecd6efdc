import type { QmiCodec, QmiMethod } from './codec.ts';
import { QmiErr, QmiRequestError, QmiResult, errnoToQmiError, standardResponsePayload } from './errors.ts';
import { QmiFramingError, QmiMessageType, frameQmiMessage, parseQmiMessage, type QmiHeader } from './header.ts';
import type { QmiServiceId, QrtrAddress, QrtrServer } from './qrtr.ts';
import type { QrtrRouter, QrtrSocket } from './router.ts';

export interface QmiRequestContext {
  readonly client: QrtrAddress;
  readonly txnId: number;
  readonly msgId: number;
}

export type QmiHandler<Req, Resp> = (request: Req, ctx: QmiRequestContext) => Resp | Promise<Resp>;

/** A handler working on raw payloads; returns the response payload. */
export type QmiRawHandler = (payload: Uint8Array, ctx: QmiRequestContext) => Uint8Array | Promise<Uint8Array>;

export interface QmiServiceOptions {
  /**
   * Handle one request at a time, in arrival order (the kernel service runs on a
   * single-threaded workqueue). Default true.
   */
  readonly serialize?: boolean;
}

/**
 * A QMI service on a QRTR socket. Requests go to the handler registered for their message id.
 * Failures are answered the way the MSM kernel framework answers them, with a response that
 * holds only TLV 0x02 (result FAILURE):
 * - unknown message id: NOT_SUPPORTED;
 * - request payload the codec rejects: ENCODING;
 * - handler throws QmiRequestError(e): e; throws an errno-carrying error: the errno's
 *   translation (ENOMEM -> NO_MEMORY, ...); throws anything else: INTERNAL;
 * - a datagram whose header length disagrees with its size: NO_MEMORY (as QCSI does);
 * - a response or indication sent to the service: MALFORMED_MSG.
 */
export class QmiService {
  readonly socket: QrtrSocket;
  private readonly handlers = new Map<number, QmiRawHandler>();
  private server: QrtrServer | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly serialize: boolean;
  /** Requests handled so far (including those answered with a failure). */
  handled = 0;

  constructor(
    router: QrtrRouter,
    readonly id: QmiServiceId,
    options: QmiServiceOptions = {},
  ) {
    this.socket = router.open();
    this.serialize = options.serialize ?? true;
    this.socket.onMessage((src, datagram) => this.receive(src, datagram));
  }

  /** Registers a typed handler for a request/response pair. */
  handle<Req, Resp>(method: QmiMethod<Req, Resp>, handler: QmiHandler<Req, Resp>): this {
    const { request, response } = method;
    return this.handleRaw(method.msgId, async (payload, ctx) => {
      let decoded: Req;
      try {
        decoded = request.decode(payload);
      } catch (err) {
        throw new QmiRequestError(QmiErr.ENCODING, err instanceof Error ? err.message : String(err));
      }
      return response.encode(await handler(decoded, ctx));
    });
  }

  handleRaw(msgId: number, handler: QmiRawHandler): this {
    this.handlers.set(msgId, handler);
    return this;
  }

  /** Announces the service to the name service (NEW_SERVER). */
  start(): QrtrServer {
    this.server ??= this.socket.publish(this.id);
    return this.server;
  }

  /** Withdraws the service and closes its socket. */
  stop(): void {
    this.socket.close();
    this.server = undefined;
  }

  sendIndication<Ind>(client: QrtrAddress, msgId: number, codec: QmiCodec<Ind>, values: Ind, txnId = 0): void {
    this.socket.send(client, frameQmiMessage(QmiMessageType.INDICATION, txnId, msgId, codec.encode(values)));
  }

  /** Resolves when every request received so far has been answered. */
  idle(): Promise<void> {
    return this.queue;
  }

  private receive(src: QrtrAddress, datagram: Uint8Array): void {
    let header: QmiHeader;
    let payload: Uint8Array;
    try {
      ({ header, payload } = parseQmiMessage(datagram));
    } catch (err) {
      if (err instanceof QmiFramingError && err.reason === 'LENGTH_MISMATCH') {
        const h = (err as QmiFramingError & { header: QmiHeader }).header;
        this.reply(src, h, standardResponsePayload(QmiResult.FAILURE, QmiErr.NO_MEMORY));
      }
      return;
    }
    if (header.type !== QmiMessageType.REQUEST) {
      if (header.type !== QmiMessageType.RESPONSE)
        this.reply(src, header, standardResponsePayload(QmiResult.FAILURE, QmiErr.MALFORMED_MSG));
      return;
    }
    const run = () => this.dispatch(src, header, payload);
    // dispatch never rejects, so one request cannot stop the queue.
    if (this.serialize) this.queue = this.queue.then(run);
    else void run();
  }

  /** Answers one request. Any failure of the handler, its reply included, becomes a FAILURE response. */
  private async dispatch(src: QrtrAddress, header: QmiHeader, payload: Uint8Array): Promise<void> {
    this.handled++;
    const ctx: QmiRequestContext = { client: src, txnId: header.txnId, msgId: header.msgId };
    const handler = this.handlers.get(header.msgId);
    let response: Uint8Array;
    if (!handler) {
      response = standardResponsePayload(QmiResult.FAILURE, QmiErr.NOT_SUPPORTED);
    } else {
      try {
        response = await handler(payload, ctx);
        if (!(response instanceof Uint8Array)) throw new TypeError('a QMI handler must return the response payload bytes');
      } catch (err) {
        response = standardResponsePayload(QmiResult.FAILURE, errorToQmiError(err));
      }
    }
    try {
      this.reply(src, header, response);
    } catch {
      // The reply cannot be framed (over 65,535 bytes) or sent: answer INTERNAL instead.
      try {
        this.reply(src, header, standardResponsePayload(QmiResult.FAILURE, QmiErr.INTERNAL));
      } catch {
        // The socket is gone: nobody to answer.
      }
    }
  }

  private reply(dst: QrtrAddress, request: QmiHeader, payload: Uint8Array): void {
    if (this.socket.closed) return;
    this.socket.send(dst, frameQmiMessage(QmiMessageType.RESPONSE, request.txnId, request.msgId, payload));
  }
}

function errorToQmiError(err: unknown): number {
  if (err instanceof QmiRequestError) return err.error;
  if (typeof err === 'object' && err !== null && typeof (err as { errno?: unknown }).errno === 'number') {
    return errnoToQmiError((err as { errno: number }).errno);
  }
  return QmiErr.INTERNAL;
}
