/**
 * The shape every generated QAIC module exports per interface (in its `interfaces`
 * table), so tools and tests can drive any generated interface by name.
 */
import type { InterfaceDesc } from '../wire/desc.ts';
import type { SkelInvoke, Transport } from './transport.ts';
import type { SkelOptions } from './skel.ts';

interface GeneratedInterfaceBase<Impl extends object> {
  /** Scoped IDL name (`palette::paint`). */
  readonly name: string;
  readonly desc: InterfaceDesc;
  /** Wraps an implementation into a skel entry point. */
  createSkel(impl: Impl, options?: SkelOptions): SkelInvoke;
}

/** An interface whose clients take the 32-bit handle of `remote_handle_open` (or a static one). */
export interface GeneratedInterface32<Impl extends object = object, Client extends object = object> extends GeneratedInterfaceBase<Impl> {
  readonly handle64: false;
  /** Client class: `new Client(transport, handle)`; methods take in values positionally, then caps. */
  readonly Client: new (transport: Transport, handle: number) => Client;
}

/** A `remote_handle64` interface: clients take the 64-bit handle of its session. */
export interface GeneratedInterface64<Impl extends object = object, Client extends object = object> extends GeneratedInterfaceBase<Impl> {
  readonly handle64: true;
  readonly Client: new (transport: Transport, handle: bigint) => Client;
}

/** Either kind; `handle64` tells which handle the client takes. */
export type GeneratedInterface<Impl extends object = object, Client extends object = object> =
  GeneratedInterface32<Impl, Client> | GeneratedInterface64<Impl, Client>;
