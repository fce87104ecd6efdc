/**
 * The runtime's public surface (`dspidl/runtime`): what generated code and applications use.
 * Deeper modules stay importable by path (`dspidl/runtime/wire/desc.ts`), which is how
 * generated code reaches them.
 */

// FastRPC calls: the transport contract, arguments, status codes.
export type { InvokeContext, RemoteHandle, SkelInvoke, Transport } from './rpc/transport.ts';
export { MapFdRegistry, isBuffer } from './wire/remote-arg.ts';
export type { FdRegistry, HandleSlot, RemoteArg } from './wire/remote-arg.ts';
export { AEE_ALIASES, Aee, AeeError, DSP_AEE_EOFFSET, aeeName } from './wire/aee-codes.ts';
export type { AeeName } from './wire/aee-codes.ts';
export { formatScalars, makeScalars } from './wire/scalars.ts';
export { createSkel } from './rpc/skel.ts';
export type { SkelOptions } from './rpc/skel.ts';
export { invokeMethod, invokePlan } from './rpc/invoke.ts';
export type { GeneratedInterface } from './rpc/generated.ts';
export type { DmaHandle } from './wire/codec.ts';
export type { InterfaceDesc, MethodDesc, TypeDesc } from './wire/desc.ts';

// Transports: loopback, worker DSP, streams, the reverse (DSP -> APPS) handle table and listener.
export * from './transport/index.ts';

// QMI: TLV codecs and QRTR/QMI messaging.
export * from './qmi/codec/index.ts';
export { QmiClient, QmiService, QrtrRouter, QrtrSocket, NameService, QmiRequestError, QmiTimeoutError, QmiServiceGoneError, QmiErr, QmiResult, createChannelPair } from './qmi/messaging/index.ts';
export type { QmiClientOptions, QmiServiceOptions, QrtrChannel } from './qmi/messaging/index.ts';

// Simulated memory hardware and drivers: the main classes of each backend.
export { createMemorySystem } from './memory/system.ts';
export type { MemorySystem, MemorySystemOptions } from './memory/system.ts';
export { PhysicalMemory } from './memory/phys.ts';
export { MemoryOwnership } from './memory/ownership.ts';
export { HeapRegistry } from './memory/heaps.ts';
export { DmaBuf, DmaBufTable } from './memory/dmabuf.ts';
export { RpcMem } from './memory/rpcmem.ts';
export { FastRpcChannel, FastRpcFile } from './memory/fastrpc-kernel.ts';
export { AppsMem } from './memory/apps-mem.ts';
export { MemBufDevice, ResourceManager, createMemBufPair } from './memory/mem-buf.ts';
export { Errno, KernelError, errnoName } from './memory/errno.ts';
export { ContextBank, IovaAllocator, PageTable, SmmuFault, SmmuInstance } from './memory/smmu/index.ts';
export { VcmManager } from './memory/vcm/index.ts';
export { Smem, createSmemRegion } from './memory/smem/index.ts';
export { MsmSharedmem, RfsaSharedmemService, SharedmemPeripheralClient } from './memory/sharedmem/index.ts';
