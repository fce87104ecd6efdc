import { Aee, AEE_ALIASES, AeeError } from '../wire/aee-codes.ts';

/** The other side of a transport went away (the process or worker died): AEE_ECONNRESET. */
export const AEE_ECONNRESET = AEE_ALIASES.ECONNRESET ?? 104;

/** A call did not complete within the transport's timeout. */
export const AEE_ETIMEDOUT = Aee.EEXPIRED;

/** The AEE status a failure stands for: an AeeError's code, anything else AEE_EUNKNOWN (-1). */
export function statusOf(err: unknown): number {
  if (err instanceof AeeError) return err.code;
  return Aee.EUNKNOWN;
}
