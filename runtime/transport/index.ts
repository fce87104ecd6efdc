/** Public surface of the transports and the reverse (DSP -> APPS) RPC path. */
export { LoopbackTransport } from './loopback.ts';
export { ModTable, MAX_REVERSE_HANDLES, parseModUri } from './mod-table.ts';
export type { ModOpenResult, ModCloseResult, RegisterOptions } from './mod-table.ts';
export { runListener, ReverseCallQueue } from './listener.ts';
export type {
  ListenerCalls,
  ListenerCallRecord,
  ListenerExit,
  ListenerOptions,
  Next2Result,
  Next2View,
  ReverseDispatcher,
} from './listener.ts';
export {
  LISTENER_BUF_UNIT,
  alignListenerBuf,
  inStreamLength,
  layoutOutStream,
  outStreamLength,
  packInStream,
  unpackInStream,
  unpackOutStream,
} from './listener-stream.ts';
export {
  ADSP_LISTENER_HANDLE,
  APPS_REMOTECTL_HANDLE,
  RemotectlOverReverse,
  createListenerSkel,
  installRemotectl,
  listenerCallsOver,
  listenerImpl,
  remotectlImpl,
} from './reverse-protocol.ts';
export type { OpenedModule } from './reverse-protocol.ts';
export { createReverseTable, runInProcess, serveReverse } from './reverse-session.ts';
export { DspSide } from './dsp-side.ts';
export type { DspEnv, DspProgram } from './dsp-side.ts';
export { DspWorker } from './dsp-worker.ts';
export type { DspOutcome, DspWorkerOptions, DspWorkerTransport } from './dsp-worker.ts';
export { SharedChannelClient, createChannelBuffer, serveSharedChannel, waitChangeAsync, waitChangeBlocking } from './shared-channel.ts';
export { SharedRpcMem, SharedMappings, DEFAULT_RPCMEM_LIMIT } from './shared-rpcmem.ts';
export type { BufferRefs, MappedBuffers } from './shared-rpcmem.ts';
export { StreamTransport, connectStream, listenStream, serveStream } from './stream-transport.ts';
export { spawnDspProcess } from './dsp-process.ts';
export type { DspProcess, DspProcessOptions } from './dsp-process.ts';
export { AEE_ECONNRESET, AEE_ETIMEDOUT, statusOf } from './status.ts';
export { formatTracedCall, traceImpl } from './trace.ts';
export type { TracedCall } from './trace.ts';
