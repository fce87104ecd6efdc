/**
 * `dspidl/codegen/v1`: everything generated FastRPC modules import, and nothing else. It is
 * the versioned contract between generated code and the runtime: runtime internals may move
 * freely as long as this module keeps its exports, so code generated today keeps working
 * with later runtimes of the same major version.
 */
export { t } from '../wire/desc.ts';
export type { InterfaceDesc, MethodDesc, ParamDesc, TypeDesc } from '../wire/desc.ts';
export type { DmaHandle } from '../wire/codec.ts';
export { planAt } from '../wire/plan.ts';
export type { MethodPlan } from '../wire/plan.ts';
export { invokePlan } from '../rpc/invoke.ts';
export { createSkel } from '../rpc/skel.ts';
export type { SkelOptions } from '../rpc/skel.ts';
export type { SkelInvoke, Transport } from '../rpc/transport.ts';
export type { GeneratedInterface, GeneratedInterface32, GeneratedInterface64 } from '../rpc/generated.ts';

/** What implementation methods may return: the value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;
