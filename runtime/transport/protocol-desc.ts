/**
 * Descriptors of adsp_listener (next2, get_in_bufs2, init, init2) and apps_remotectl, run by
 * the runtime marshaller. Used by reverse-protocol.ts until the generated modules for
 * idl/adsp_listener.idl and idl/apps_remotectl.idl are in the tree.
 */
import { invokeMethod } from '../rpc/invoke.ts';
import { createSkel } from '../rpc/skel.ts';
import type { SkelInvoke, Transport } from '../rpc/transport.ts';
import type { InterfaceDesc, ParamDesc, TypeDesc } from '../wire/desc.ts';

const u32: TypeDesc = { k: 'p', p: 'u32' };
const i32: TypeDesc = { k: 'p', p: 'i32' };
const octets: TypeDesc = { k: 'q', e: { k: 'p', p: 'u8' } };
const str: TypeDesc = { k: 's', w: false };
const p = (name: string, mode: ParamDesc['mode'], t: TypeDesc): ParamDesc => ({ name, ts: name, mode, t });

export const adspListenerDesc: InterfaceDesc = {
  name: 'adsp_listener',
  cName: 'adsp_listener',
  handle64: false,
  staticHandle: 3,
  methods: [
    { name: 'init', ts: 'init', index: 2, params: [] },
    { name: 'init2', ts: 'init2', index: 3, params: [] },
    {
      name: 'next2',
      ts: 'next2',
      index: 4,
      params: [
        p('prevCtx', 'in', u32),
        p('prevResult', 'in', i32),
        p('prevbufs', 'in', octets),
        p('ctx', 'rout', u32),
        p('handle', 'rout', i32),
        p('sc', 'rout', u32),
        p('bufs', 'rout', octets),
        p('bufsLenReq', 'rout', i32),
      ],
    },
    {
      name: 'get_in_bufs2',
      ts: 'getInBufs2',
      index: 5,
      params: [p('ctx', 'in', u32), p('offset', 'in', i32), p('bufs', 'rout', octets), p('bufsLenReq', 'rout', i32)],
    },
  ],
};

export const appsRemotectlDesc: InterfaceDesc = {
  name: 'apps_remotectl',
  cName: 'apps_remotectl',
  handle64: false,
  methods: [
    {
      name: 'open',
      ts: 'open',
      index: 0,
      params: [p('name', 'in', str), p('handle', 'rout', i32), p('dlerror', 'rout', octets), p('nErr', 'rout', i32)],
    },
    {
      name: 'close',
      ts: 'close',
      index: 1,
      params: [p('handle', 'in', i32), p('errStr', 'rout', octets), p('nErr', 'rout', i32)],
    },
  ],
};

export interface Next2Routs {
  ctx: number;
  handle: number;
  sc: number;
  bufs: Uint8Array;
  bufsLenReq: number;
}

export interface AdspListener {
  init2(): void | Promise<void>;
  next2(prevCtx: number, prevResult: number, prevbufs: Uint8Array, caps: { bufs: number }): Next2Routs | Promise<Next2Routs>;
  getInBufs2(ctx: number, offset: number, caps: { bufs: number }): { bufs: Uint8Array; bufsLenReq: number } | Promise<{ bufs: Uint8Array; bufsLenReq: number }>;
}

export interface AppsRemotectl {
  open(name: string, caps: { dlerror: number }): Promise<{ handle: number; dlerror: Uint8Array; nErr: number }>;
  close(handle: number, caps: { errStr: number }): Promise<{ errStr: Uint8Array; nErr: number }>;
}

const m = (d: InterfaceDesc, ts: string) => {
  const found = d.methods.find((x) => x.ts === ts);
  if (!found) throw new Error(`${d.name} has no method ${ts}`);
  return found;
};

export class AdspListenerClient {
  constructor(private readonly t: Transport, private readonly h: number = 3) {}
  async init2(): Promise<void> {
    await invokeMethod(this.t, this.h, m(adspListenerDesc, 'init2'), []);
  }
  next2(prevCtx: number, prevResult: number, prevbufs: Uint8Array, caps: { bufs: number }): Promise<Next2Routs> {
    return invokeMethod(this.t, this.h, m(adspListenerDesc, 'next2'), [prevCtx, prevResult, prevbufs], caps) as unknown as Promise<Next2Routs>;
  }
  getInBufs2(ctx: number, offset: number, caps: { bufs: number }): Promise<{ bufs: Uint8Array; bufsLenReq: number }> {
    return invokeMethod(this.t, this.h, m(adspListenerDesc, 'getInBufs2'), [ctx, offset], caps) as unknown as Promise<{ bufs: Uint8Array; bufsLenReq: number }>;
  }
}

export class AppsRemotectlClient {
  constructor(private readonly t: Transport, private readonly h: number = 0) {}
  open(name: string, caps: { dlerror: number }): Promise<{ handle: number; dlerror: Uint8Array; nErr: number }> {
    return invokeMethod(this.t, this.h, m(appsRemotectlDesc, 'open'), [name], caps) as unknown as Promise<{ handle: number; dlerror: Uint8Array; nErr: number }>;
  }
  close(handle: number, caps: { errStr: number }): Promise<{ errStr: Uint8Array; nErr: number }> {
    return invokeMethod(this.t, this.h, m(appsRemotectlDesc, 'close'), [handle], caps) as unknown as Promise<{ errStr: Uint8Array; nErr: number }>;
  }
}

export const createAdspListenerSkel = (impl: AdspListener): SkelInvoke => createSkel(adspListenerDesc, impl);
export const createAppsRemotectlSkel = (impl: AppsRemotectl): SkelInvoke => createSkel(appsRemotectlDesc, impl);
