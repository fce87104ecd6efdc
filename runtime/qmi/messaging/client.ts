import type { QmiCodec, QmiIndicationDef, QmiMethod } from './codec.ts';
import { QmiDroppedMessageError, QmiServiceGoneError, QmiTimeoutError, QmiTxnExhaustedError } from './errors.ts';
import { QmiMessageType, frameQmiMessage, parseQmiMessage } from './header.ts';
import { instanceWord, type QmiServiceId, type QrtrAddress, type QrtrServer } from './qrtr.ts';
import type { QrtrRouter, QrtrSocket } from './router.ts';

export interface QmiClientOptions {
  /** Default per-request timeout. */
  readonly timeoutMs?: number;
  /** How long `connect` waits for the service to appear. */
  readonly lookupTimeoutMs?: number;
  /**
   * Hears of messages the client drops: an indication its codec rejects, an indication handler
   * that throws, a datagram that is not a QMI message. The client keeps working. Default: none.
   */
  readonly onError?: (error: Error) => void;
}

interface Pending {
  readonly msgId: number;
  readonly resolve: (payload: Uint8Array) => void;
  readonly reject: (err: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * A QMI client bound to one server. Transaction ids run 1..65535 and skip 0 and ids still in
 * flight (as QCCI does); a response completes the request with the same transaction id and
 * message id. If the server disappears, everything in flight fails with QmiServiceGoneError.
 */
export class QmiClient {
  private readonly pending = new Map<number, Pending>();
  private readonly indications = new Map<number, (payload: Uint8Array) => void>();
  private nextTxn = 1;
  private stopWatching: (() => void) | undefined;
  private gone: Error | undefined;

  private constructor(
    readonly socket: QrtrSocket,
    readonly server: QrtrServer,
    private readonly timeoutMs: number,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {
    socket.onMessage((src, datagram) => this.receive(src, datagram));
    this.stopWatching = socket.router.lookup({ service: server.service, instance: server.instance }, (e) => {
      if (e.type === 'del' && e.server.node === server.node && e.server.port === server.port) {
        this.fail(new QmiServiceGoneError(`service 0x${server.service.toString(16)} at ${server.node}:${server.port} went away`));
      }
    });
  }

  /** Looks the service up (waiting for it to appear) and binds a new socket to it. */
  static async connect(router: QrtrRouter, id: QmiServiceId, options: QmiClientOptions = {}): Promise<QmiClient> {
    const server = await router.waitForServer(id, options.lookupTimeoutMs ?? 5000);
    return new QmiClient(router.open(), server, options.timeoutMs ?? 5000, options.onError);
  }

  /** Binds to a server already known (e.g. from a lookup). */
  static forServer(router: QrtrRouter, server: QrtrServer, options: QmiClientOptions = {}): QmiClient {
    return new QmiClient(router.open(), server, options.timeoutMs ?? 5000, options.onError);
  }

  get serviceId(): QmiServiceId {
    return { service: this.server.service, version: this.server.instance & 0xff, instance: this.server.instance >>> 8 };
  }

  /** Sends a request and decodes its response (FAILURE responses included: check `resp`). */
  async request<Req, Resp>(method: QmiMethod<Req, Resp>, values: Req, options: { timeoutMs?: number } = {}): Promise<Resp> {
    const payload = await this.requestRaw(method.msgId, method.request.encode(values), options);
    return method.response.decode(payload);
  }

  /** Sends an already-encoded request payload; resolves with the response payload. Never throws: failures reject. */
  requestRaw(msgId: number, payload: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    if (this.gone) return Promise.reject(this.gone);
    let txnId: number;
    let datagram: Uint8Array;
    try {
      txnId = this.allocTxn();
      datagram = frameQmiMessage(QmiMessageType.REQUEST, txnId, msgId, payload);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(txnId);
        reject(new QmiTimeoutError(`no response to message 0x${msgId.toString(16)} (txn ${txnId}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(txnId, { msgId, resolve, reject, timer });
      try {
        this.socket.send({ node: this.server.node, port: this.server.port }, datagram);
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(txnId);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  onIndication<Ind>(def: QmiIndicationDef<Ind>, handler: (values: Ind) => void): void;
  onIndication(msgId: number, handler: (payload: Uint8Array) => void): void;
  onIndication<Ind>(def: QmiIndicationDef<Ind> | number, handler: ((values: Ind) => void) | ((payload: Uint8Array) => void)): void {
    if (typeof def === 'number') {
      this.indications.set(def, handler as (payload: Uint8Array) => void);
      return;
    }
    const codec: QmiCodec<Ind> = def.indication;
    const typed = handler as (values: Ind) => void;
    this.indications.set(def.msgId, (payload) => typed(codec.decode(payload)));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  close(): void {
    this.fail(new QmiServiceGoneError('client closed'));
    this.socket.close();
  }

  private allocTxn(): number {
    if (this.pending.size >= 0xffff) throw new QmiTxnExhaustedError('all 65535 transaction ids are in flight');
    for (;;) {
      const txn = this.nextTxn;
      this.nextTxn = txn === 0xffff ? 1 : txn + 1;
      if (!this.pending.has(txn)) return txn;
    }
  }

  private receive(src: QrtrAddress, datagram: Uint8Array): void {
    if (src.node !== this.server.node || src.port !== this.server.port) return;
    let message;
    try {
      message = parseQmiMessage(datagram);
    } catch (err) {
      this.dropped(err, `a datagram from the service is not a QMI message`);
      return;
    }
    const { header, payload } = message;
    if (header.type === QmiMessageType.RESPONSE) {
      const p = this.pending.get(header.txnId);
      if (!p || p.msgId !== header.msgId) return;
      this.pending.delete(header.txnId);
      clearTimeout(p.timer);
      p.resolve(payload);
    } else if (header.type === QmiMessageType.INDICATION) {
      const handler = this.indications.get(header.msgId);
      try {
        handler?.(payload);
      } catch (err) {
        this.dropped(err, `indication 0x${header.msgId.toString(16)} dropped`);
      }
    }
  }

  /** Reports a message the client could not use; a faulty error callback cannot stop it either. */
  private dropped(err: unknown, what: string): void {
    const e = err instanceof Error ? err : new Error(String(err));
    try {
      this.onError?.(new QmiDroppedMessageError(`${what}: ${e.message}`, { cause: e }));
    } catch {
      // The callback's own failure is not ours to report.
    }
  }

  private fail(err: Error): void {
    if (this.gone) return;
    this.gone = err;
    this.stopWatching?.();
    this.stopWatching = undefined;
    for (const [txn, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(txn);
      p.reject(err);
    }
  }
}

/** The instance word a client would look up for `id`. */
export function lookupFilterFor(id: QmiServiceId): { service: number; instance: number } {
  return { service: id.service, instance: instanceWord(id.version, id.instance) };
}
