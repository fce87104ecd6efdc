/**
 * The generic skel: dispatches an invocation to an implementation by method index,
 * after validating the remote_arg set exactly as a qaic-generated C skel does.
 * Generated `createXxxSkel` functions call `createSkel` with their embedded descriptors.
 */
import { Aee, AeeError } from '../wire/aee-codes.ts';
import type { RemoteArg } from '../wire/remote-arg.ts';
import type { InvokeContext, RemoteHandle, SkelInvoke } from './transport.ts';
import { ESCAPED_METHOD } from '../wire/scalars.ts';
import type { InterfaceDesc } from '../wire/desc.ts';
import { planFor, type MethodPlan, type SkelRequest } from '../wire/plan.ts';

/** What a skel calls: methods by TS name; in values positional, then `caps` when the method has any. */
export type ImplObject = object;

type Routs = Record<string, unknown> | undefined | void;

/** Maps an implementation's failure to the status the skel returns. */
export function errorCode(e: unknown): number {
  if (e instanceof AeeError) return e.code === 0 ? Aee.EFAILED : e.code;
  return Aee.EUNKNOWN;
}

/**
 * Checks a `_idlver=` value in an open URI against the skel's IDL_VERSION
 * (stub version must not be newer; each part 0..999; at most three parts).
 */
export function idlVersionAccepted(uri: string, skelVersion: string): boolean {
  const key = '_idlver=';
  const at = uri.indexOf(key);
  if (at < 0) return false;
  const end = uri.indexOf('&', at + key.length);
  const parse = (v: string): number[] | undefined => {
    const parts = v.split('.');
    if (parts.length > 3) return undefined;
    const out = [0, 0, 0];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (!/^[0-9]*$/.test(p)) return undefined;
      const n = p === '' ? 0 : Number(p);
      if (n > 999) return undefined;
      out[i] = n;
    }
    return out;
  };
  const stub = parse(uri.slice(at + key.length, end < 0 ? undefined : end));
  const skel = parse(skelVersion);
  if (!stub || !skel) return false;
  for (let i = 0; i < 3; i++) {
    if (stub[i]! < skel[i]!) return true;
    if (stub[i]! > skel[i]!) return false;
  }
  return true;
}

export interface SkelOptions {
  /** Handle given to clients by `open` when the implementation has no `open` of its own. */
  readonly firstHandle?: bigint;
  /**
   * Called when the implementation fails in a way FastRPC cannot carry: it threw something other
   * than an AeeError (the caller gets AEE_EUNKNOWN), or returned a rout value that is missing or
   * does not fit its type (InvalidValueError; the caller gets AEE_EUNKNOWN and no out data).
   * Default: a process warning, so the bug is not silent.
   */
  readonly onError?: (error: unknown, method: string) => void;
  /**
   * Called when a request is refused before it reaches the implementation because it does not
   * fit the method (wrong counts, lengths beyond their buffers, a missing buffer), with the AEE
   * code answered and the reason. For logs and for finding out why a peer's calls fail.
   */
  readonly onReject?: (method: string, code: number, reason: string) => void;
}

const warn = (error: unknown, method: string): void => {
  const e = error instanceof Error ? error : new Error(String(error));
  process.emitWarning(e.message, { type: 'DspidlSkelWarning', detail: `in ${method}` });
};

export function createSkel(iface: InterfaceDesc, impl: ImplObject, opts: SkelOptions = {}): SkelInvoke {
  const table: (MethodPlan | undefined)[] = [];
  for (const m of iface.methods) {
    const plan = planFor(m);
    plan.nameInterface(iface.name);
    table[m.index] = plan;
  }
  const onError = opts.onError ?? warn;
  /** The status of an implementation's failure, reported when FastRPC cannot carry it. */
  const failed = (e: unknown, plan: MethodPlan): number => {
    if (!(e instanceof AeeError)) onError(e, `${iface.name}.${plan.desc.name}`);
    return errorCode(e);
  };
  const finish = (plan: MethodPlan, req: SkelRequest, routs: Routs): number => {
    try {
      plan.encodeResponse(req, routs ?? undefined);
    } catch (e) {
      return failed(e, plan);
    }
    return 0;
  };
  const fns = impl as Record<string, unknown>;
  let nextHandle = opts.firstHandle ?? 1n;
  const hasCaps = table.map((p) => (p ? p.capParams.length > 0 : false));
  // Implementation methods are looked up once, not per call.
  const bound = table.map((p) => (p ? fns[p.desc.ts] : undefined));
  // qaic's skel has a `case 31` (read the index from primIn) only when the interface has escaped methods.
  const hasEscaped = table.length > ESCAPED_METHOD;

  return function skel(_handle: RemoteHandle, sc: number, pra: RemoteArg[], ctx?: InvokeContext): number | Promise<number> {
    let idx = (sc >>> 24) & 31;
    if (idx === ESCAPED_METHOD) {
      if (!hasEscaped) return Aee.EUNSUPPORTED;
      const b = pra[0];
      if (((sc >>> 16) & 0xff) < 1 || !(b instanceof Uint8Array) || b.length < 4) return Aee.EBADPARM;
      idx = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
      if (idx >>> 0 < ESCAPED_METHOD) return Aee.EUNSUPPORTED;
    }
    const plan = table[idx];
    if (plan === undefined) return Aee.EUNSUPPORTED;
    const req = plan.decodeRequest(sc, pra, ctx?.fds);
    if (typeof req === 'number') {
      opts.onReject?.(plan.desc.name, req, plan.lastReject);
      return req;
    }
    let result: unknown;
    try {
      if (iface.handle64 && idx === 0) result = openEntry(req);
      else if (iface.handle64 && idx === 1)
        result = (fns['close'] as ((h: bigint) => unknown) | undefined)?.call(impl, req.args[0] as bigint);
      else {
        const fn = bound[idx];
        if (typeof fn !== 'function') return Aee.EUNSUPPORTED;
        result = hasCaps[idx] ? fn.call(impl, ...req.args, req.caps) : fn.apply(impl, req.args);
      }
    } catch (e) {
      return failed(e, plan);
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(result as PromiseLike<Routs>).then(
        (r) => finish(plan, req, r),
        (e: unknown) => failed(e, plan),
      );
    }
    return finish(plan, req, result as Routs);
  };

  function openEntry(req: SkelRequest): unknown {
    const uri = req.args[0] as string;
    if (iface.idlVersion !== undefined && !idlVersionAccepted(uri, iface.idlVersion)) throw new AeeError(Aee.ESTUBSKELVERMISMATCH);
    const open = fns['open'] as ((uri: string) => unknown) | undefined;
    if (open) return open.call(impl, uri);
    return { h: nextHandle++ };
  }
}
