/**
 * `dspidl/runtime` (also `dspidl`): FastRPC calls and their transports. It loads neither QMI
 * (`dspidl/qmi`) nor the simulated hardware (`dspidl/sim`); generated code imports
 * `dspidl/codegen/v1` instead.
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
export type { InvokeOptions } from './rpc/invoke.ts';
export type { GeneratedInterface, GeneratedInterface32, GeneratedInterface64 } from './rpc/generated.ts';
export type { DmaHandle } from './wire/codec.ts';
export { t } from './wire/desc.ts';
export type { InterfaceDesc, MethodDesc, ParamDesc, TypeDesc } from './wire/desc.ts';
export { planAt, planFor } from './wire/plan.ts';
export type { MethodPlan } from './wire/plan.ts';
export { layoutMethod, signatureOf } from './wire/method-layout.ts';
export type { MethodLayout, MethodSignature } from './wire/method-layout.ts';

// Transports: loopback, worker DSP, streams, the reverse (DSP -> APPS) handle table and listener.
export * from './transport/index.ts';
