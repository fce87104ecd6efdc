/**
 * The client half: encode a call with the method's plan, hand it to a transport, and
 * decode the rout values. Generated client classes call `invokePlan`.
 */
import { AeeError } from '../wire/aee-codes.ts';
import type { CallOptions, RemoteHandle, Transport } from './transport.ts';
import type { MethodDesc } from '../wire/desc.ts';
import { planFor, type CapValues, type MethodPlan, type RoutValues, type StubRequest } from '../wire/plan.ts';

export interface InvokeOptions {
  /**
   * Rout byte sequences (by TS name) to receive into these buffers rather than fresh ones
   * (their length is the capacity; the resolved value is the buffer itself). For loops that
   * call one method repeatedly; the buffer must not be in use by another pending call.
   */
  readonly routInto?: Readonly<Record<string, Uint8Array>>;
  /** Passed to the transport: this call's timeout, or that it waits for the peer (CallOptions). */
  readonly call?: CallOptions;
}

/** Sends one invocation of `plan`'s method; resolves to its rout values, rejects with `AeeError`. */
export function invokePlan<A extends readonly unknown[], R, C>(
  transport: Transport,
  handle: RemoteHandle,
  plan: MethodPlan<A, R, C>,
  args: A,
  caps?: C,
  options?: InvokeOptions,
): Promise<R> {
  let req: StubRequest | number;
  try {
    req = plan.encodeRequest(args, caps, transport.fds, options?.routInto);
  } catch (e) {
    return Promise.reject(e);
  }
  if (typeof req === 'number') return Promise.reject(new AeeError(req));
  let r: number | Promise<number>;
  try {
    r = options?.call === undefined ? transport.invoke(handle, req.sc, req.args) : transport.invoke(handle, req.sc, req.args, options.call);
  } catch (e) {
    return Promise.reject(e);
  }
  const sent = req;
  if (typeof r === 'number') return r === 0 ? Promise.resolve(plan.decodeResponse(sent)) : Promise.reject(new AeeError(r));
  return r.then((code) => done(plan, sent, code));
}

function done<R>(plan: MethodPlan<readonly unknown[], R, unknown>, req: StubRequest, code: number): R {
  if (code !== 0) throw new AeeError(code);
  return plan.decodeResponse(req);
}

/** Calls a method described by `desc`; resolves to its rout/inrout values by TS name. */
export function invokeMethod(
  transport: Transport,
  handle: RemoteHandle,
  desc: MethodDesc,
  args: readonly unknown[],
  caps?: CapValues,
): Promise<RoutValues> {
  return invokePlan(transport, handle, planFor(desc), args, caps);
}
