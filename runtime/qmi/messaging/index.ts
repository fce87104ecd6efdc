export {
  QMI_HEADER_SIZE,
  QmiFramingError,
  QmiMessageType,
  decodeQmiHeader,
  encodeQmiHeader,
  frameQmiMessage,
  parseQmiMessage,
  type QmiHeader,
} from './header.ts';
export {
  QmiErr,
  QmiRequestError,
  QmiResult,
  QmiServiceGoneError,
  QmiDroppedMessageError,
  QmiTxnExhaustedError,
  QmiTimeoutError,
  errnoToQmiError,
  peekResponseTlv,
  qmiErrName,
  standardResponsePayload,
  type QmiErrName,
} from './errors.ts';
export {
  NameService,
  QRTR_NODE_BCAST,
  QRTR_PORT_CTRL,
  QrtrCtrl,
  decodeCtrlPacket,
  encodeCtrlPacket,
  instanceWord,
  serverMatches,
  splitInstanceWord,
  type NameServiceEvent,
  type QmiServiceId,
  type QrtrAddress,
  type QrtrCtrlPacket,
  type QrtrLookupFilter,
  type QrtrServer,
} from './qrtr.ts';
export { createChannelPair, messagePortChannel, type QrtrChannel, type QrtrPacket } from './channel.ts';
export { createSharedQrtrBuffer, sharedBufferChannel, type SharedChannelSide } from './sab-channel.ts';
export { QrtrRouter, QrtrSocket, type DatagramHandler } from './router.ts';
export { defineQmiMethod, type QmiCodec, type QmiIndicationDef, type QmiMethod } from './codec.ts';
export { QmiClient, lookupFilterFor, type QmiClientOptions } from './client.ts';
export { QmiService, type QmiHandler, type QmiRawHandler, type QmiRequestContext, type QmiServiceOptions } from './service.ts';
export { spawnTsWorker } from './ts-worker.ts';
