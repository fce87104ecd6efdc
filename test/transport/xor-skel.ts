import { Aee } from '../../runtime/wire/aee-codes.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';

/** A module whose method 0 (1 in, 1 out) writes in[i] ^ 0x5a into out[i]; method 1 fails with EBADPARM. */
export const xorSkel: SkelInvoke = (_h, sc, args) => {
  const method = (sc >>> 24) & 31;
  if (method === 1) return Aee.EBADPARM;
  const src = args[0];
  const dst = args[1];
  if (!isBuffer(src) || !isBuffer(dst)) return Aee.EBADPARM;
  for (let i = 0; i < dst.length; i++) dst[i] = (src[i] ?? 0) ^ 0x5a;
  return 0;
};
