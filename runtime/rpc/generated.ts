/**
 * The shape every generated QAIC module exports per interface (in its `interfaces`
 * table), so tools and tests can drive any generated interface by name.
 */
import type { InterfaceDesc } from '../wire/desc.ts';
import type { SkelInvoke, Transport } from './transport.ts';

export interface GeneratedInterface {
  /** Scoped IDL name (`palette::paint`). */
  readonly name: string;
  readonly desc: InterfaceDesc;
  /** Client class: `new Client(transport, handle)`; methods take in values positionally, then caps. */
  readonly Client: new (transport: Transport, handle: never) => object;
  /** Wraps an implementation into a skel entry point. */
  readonly createSkel: (impl: never) => SkelInvoke;
}
