import type { QmiMessageCodec } from './codec.ts';
import type { QmiMessageKind } from './descriptor.ts';
import { QmiDecodeError } from './errors.ts';

export interface QmiServiceMessage {
  readonly msgId: number;
  readonly kind: QmiMessageKind;
  /** IDL message name. */
  readonly name: string;
  /** Name given to the id in the service block, e.g. `QMI_RFSA_GET_BUFF_ADDR_REQ_MSG`. */
  readonly idName: string;
  readonly codec: QmiMessageCodec<object>;
}

/** A service's identity and its (message id, kind) -> codec table. */
export interface QmiServiceTable {
  readonly name: string;
  readonly serviceId: number;
  /** IDL major version: the QRTR version byte. */
  readonly version: number;
  /** `revision` of the IDL. */
  readonly minorVersion: number;
  readonly messages: readonly QmiServiceMessage[];
  /** Entry for a message id in one direction; undefined if the service has none. */
  find(msgId: number, kind: QmiMessageKind): QmiServiceMessage | undefined;
  /** Like find, but an unknown id fails as qmi_idl_lib does (MESSAGE_ID_NOT_FOUND). */
  lookup(msgId: number, kind: QmiMessageKind): QmiServiceMessage;
  /** Largest max_msg_len over all messages. */
  readonly maxMessageLength: number;
}

export function createQmiServiceTable(init: {
  name: string;
  serviceId: number;
  version: number;
  minorVersion: number;
  maxMessageLength: number;
  messages: readonly QmiServiceMessage[];
}): QmiServiceTable {
  const index = new Map<string, QmiServiceMessage>();
  for (const m of init.messages) index.set(`${m.kind}:${m.msgId}`, m);
  const find = (msgId: number, kind: QmiMessageKind) => index.get(`${kind}:${msgId}`);
  return {
    ...init,
    find,
    lookup(msgId, kind) {
      const m = find(msgId, kind);
      if (m === undefined) {
        throw new QmiDecodeError('MESSAGE_ID_NOT_FOUND', `service ${init.name} has no ${kind} 0x${msgId.toString(16).padStart(4, '0')}`);
      }
      return m;
    },
  };
}
