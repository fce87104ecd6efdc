/**
 * Hand-marshalled adsp_listener next2 / get_in_bufs2 / init2 (layouts of spec C.8), used by
 * tests to cross-check the generated stub and skel and to exercise the transports on their own.
 */
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import type { RemoteArg } from '../../runtime/wire/remote-arg.ts';
import type { SkelInvoke, Transport } from '../../runtime/rpc/transport.ts';
import type { ListenerCalls, ReverseCallQueue } from '../../runtime/transport/listener.ts';

export const ADSP_LISTENER_HANDLE = 3;
export const SC_INIT2 = 0x03000000;
export const SC_NEXT2 = 0x04020200;
export const SC_GET_IN_BUFS2 = 0x05010200;

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

async function call(t: Transport, sc: number, args: RemoteArg[]): Promise<void> {
  const r = await t.invoke(ADSP_LISTENER_HANDLE, sc, args);
  if (r !== 0) throw new AeeError(r);
}

export function rawListenerCalls(t: Transport): ListenerCalls {
  return {
    init2: () => call(t, SC_INIT2, []),
    async next2(prevCtx, prevResult, prevbufs, bufs) {
      const primIn = new Uint8Array(16);
      const d = dv(primIn);
      d.setUint32(0, prevCtx, true);
      d.setInt32(4, prevResult, true);
      d.setUint32(8, prevbufs.length, true);
      d.setUint32(12, bufs.length, true);
      const primROut = new Uint8Array(16);
      await call(t, SC_NEXT2, [primIn, prevbufs, primROut, bufs]);
      const o = dv(primROut);
      return { ctx: o.getUint32(0, true), handle: o.getUint32(4, true), sc: o.getUint32(8, true), bufsLenReq: o.getInt32(12, true) };
    },
    async getInBufs2(ctx, offset, bufs) {
      const primIn = new Uint8Array(12);
      const d = dv(primIn);
      d.setUint32(0, ctx, true);
      d.setInt32(4, offset, true);
      d.setUint32(8, bufs.length, true);
      const primROut = new Uint8Array(4);
      await call(t, SC_GET_IN_BUFS2, [primIn, primROut, bufs]);
      return dv(primROut).getInt32(0, true);
    },
  };
}

function buf(args: RemoteArg[], i: number, min: number): Uint8Array {
  const a = args[i];
  if (!isBuffer(a) || a.length < min) throw new AeeError(Aee.EBADPARM);
  return a;
}

export function rawListenerSkel(q: ReverseCallQueue): SkelInvoke {
  return (_h, sc, args) => {
    try {
      switch (sc) {
        case SC_INIT2:
          q.init2();
          return 0;
        case SC_NEXT2: {
          const p = dv(buf(args, 0, 16));
          const prevbufs = buf(args, 1, p.getUint32(8, true));
          const out = buf(args, 2, 16);
          const bufs = buf(args, 3, p.getUint32(12, true));
          return q.next2(p.getUint32(0, true), p.getInt32(4, true), prevbufs, bufs).then(
            (r) => {
              const o = dv(out);
              o.setUint32(0, r.ctx, true);
              o.setUint32(4, r.handle, true);
              o.setUint32(8, r.sc, true);
              o.setInt32(12, r.bufsLenReq, true);
              return 0;
            },
            (err: unknown) => (err instanceof AeeError ? err.code : Aee.EUNKNOWN),
          );
        }
        case SC_GET_IN_BUFS2: {
          const p = dv(buf(args, 0, 12));
          const out = buf(args, 1, 4);
          const bufs = buf(args, 2, p.getUint32(8, true));
          dv(out).setInt32(0, q.getInBufs2(p.getUint32(0, true), p.getInt32(4, true), bufs), true);
          return 0;
        }
        default:
          return Aee.EUNSUPPORTED;
      }
    } catch (err) {
      return err instanceof AeeError ? err.code : Aee.EUNKNOWN;
    }
  };
}
