/** The plan contract: what stubs, skels, the CLI codec and the tests call. */
import type { FdRegistry, RemoteArg } from '../remote-arg.ts';
import type { MethodDesc, ParamDesc } from '../desc.ts';
import type { MethodLayout } from '../method-layout.ts';

/** A request as the stub sends it. */
export interface StubRequest {
  readonly sc: number;
  readonly args: RemoteArg[];
  /** Rout bookkeeping used to decode the reply. */
  readonly state: unknown[];
  readonly primROut: Uint8Array | undefined;
}

/** What a skel hands the implementation. */
export interface SkelRequest {
  /** in/inrout values and dmahandles, positional in IDL order. */
  readonly args: unknown[];
  /** Capacities of rout/inrout strings and sequences (and complex rout values), by TS name. */
  readonly caps: Record<string, unknown>;
  readonly state: unknown[];
  readonly primROut: Uint8Array | undefined;
}

/** Rout/inrout values by TS name, as a client resolves them and an implementation returns them. */
export type RoutValues = Record<string, unknown>;
/** Capacities of rout strings and sequences by TS name, or undefined when a method has none. */
export type CapValues = Readonly<Record<string, unknown>> | undefined;

/**
 * One method compiled for both directions. The type parameters describe the method to
 * TypeScript (generated code fills them in: `A` the positional in values, `R` the rout values,
 * `C` the capacities); the plan itself works from the descriptor alone.
 */
export interface MethodPlan<A extends readonly unknown[] = readonly unknown[], R = RoutValues, C = CapValues> {
  readonly desc: MethodDesc;
  readonly layout: MethodLayout;
  /** TS names of rout/inrout values the client returns. */
  readonly routNames: readonly string[];
  /** Params passed positionally (in, inrout, and every dmahandle). */
  readonly argParams: readonly ParamDesc[];
  /** Params with a capacity entry (rout/inrout strings and sequences, rout complex). */
  readonly capParams: readonly ParamDesc[];
  /**
   * Throws InvalidValueError, before anything is sent, when an argument does not fit its type.
   * `routInto` names rout byte sequences (by TS name) to receive into the given buffers instead
   * of fresh ones: the buffer's length is the capacity sent, and the decoded value is the buffer.
   */
  encodeRequest(args: A, caps: C | undefined, fds?: FdRegistry, routInto?: Readonly<Record<string, Uint8Array>>): StubRequest | number;
  decodeResponse(req: StubRequest): R;
  decodeRequest(sc: number, pra: readonly RemoteArg[], fds?: FdRegistry): SkelRequest | number;
  /** Why the latest decodeRequest that answered a status refused the request, in words. */
  readonly lastReject: string;
  /** Throws InvalidValueError when a rout value is missing or does not fit its type. */
  encodeResponse(req: SkelRequest, routs: Readonly<Record<string, unknown>> | undefined): void;
  /** Names the interface in error messages (`apps_mem.request_map64`). */
  nameInterface(iface: string): void;
}
