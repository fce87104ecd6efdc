/**
 * AEE status codes (AEEStdErr.h) as seen on the application processor, where
 * AEE_EOFFSET is 0. Errors raised on the DSP arrive offset by DSP_AEE_EOFFSET.
 */
export const Aee = {
  SUCCESS: 0,
  EUNKNOWN: -1,
  EFAILED: 0x01,
  ENOMEMORY: 0x02,
  ECLASSNOTSUPPORT: 0x03,
  EVERSIONNOTSUPPORT: 0x04,
  EALREADYLOADED: 0x05,
  EUNABLETOLOAD: 0x06,
  EUNABLETOUNLOAD: 0x07,
  EALARMPENDING: 0x08,
  EINVALIDTIME: 0x09,
  EBADCLASS: 0x0a,
  EBADMETRIC: 0x0b,
  EEXPIRED: 0x0c,
  EBADSTATE: 0x0d,
  EBADPARM: 0x0e,
  ESCHEMENOTSUPPORTED: 0x0f,
  EBADITEM: 0x10,
  EINVALIDFORMAT: 0x11,
  EINCOMPLETEITEM: 0x12,
  ENOPERSISTMEMORY: 0x13,
  EUNSUPPORTED: 0x14,
  EPRIVLEVEL: 0x15,
  ERESOURCENOTFOUND: 0x16,
  EREENTERED: 0x17,
  EBADTASK: 0x18,
  EALLOCATED: 0x19,
  EALREADY: 0x1a,
  EADSAUTHBAD: 0x1b,
  ENEEDSERVICEPROG: 0x1c,
  EMEMPTR: 0x1d,
  EHEAP: 0x1e,
  EIDLE: 0x1f,
  EITEMBUSY: 0x20,
  EBADSID: 0x21,
  ENOTYPE: 0x22,
  ENEEDMORE: 0x23,
  EADSCAPS: 0x24,
  EBADSHUTDOWN: 0x25,
  EBUFFERTOOSMALL: 0x26,
  ENOSUCH: 39,
  EACKPENDING: 0x28,
  ENOTOWNER: 0x29,
  EINVALIDITEM: 0x2a,
  ENOTALLOWED: 0x2b,
  EINVHANDLE: 0x2c,
  EOUTOFHANDLES: 0x2d,
  EINTERRUPTED: 46,
  ENOMORE: 0x2f,
  ECPUEXCEPTION: 0x30,
  EREADONLY: 0x31,
  EINVALIDMSG: 0x32,
  EINVALIDTHREAD: 0x33,
  EINVALIDPROCESS: 0x34,
  EINVALIDFILENAME: 0x35,
  EINVALIDDIGESTSIZE: 0x36,
  EINVALIDSEGS: 0x37,
  EINVALIDSIGNATURE: 0x38,
  EINVALIDDOMAIN: 0x39,
  EINVALIDFD: 0x3a,
  EINVALIDDEVICE: 0x3b,
  EINVALIDMODE: 0x3c,
  EINVALIDPROCNAME: 0x3d,
  ENOSUCHMOD: 0x3e,
  ENOSUCHINSTANCE: 0x3f,
  ENOSUCHTHREAD: 0x40,
  ENOSUCHPROCESS: 0x41,
  ENOSUCHSYMBOL: 0x42,
  ENOSUCHDEVICE: 0x43,
  ENOSUCHPROP: 0x44,
  ENOSUCHFILE: 0x45,
  ENOSUCHHANDLE: 0x46,
  ENOSUCHSTREAM: 0x47,
  ENOSUCHMAP: 0x48,
  ENOSUCHREGISTER: 0x49,
  ENOSUCHCLIENT: 0x4a,
  EBADDOMAIN: 0x4b,
  EBADOFFSET: 0x4c,
  EBADSIZE: 0x4d,
  EBADPERMS: 0x4e,
  EBADFD: 0x4f,
  EBADPID: 0x50,
  EBADTID: 0x51,
  EBADELF: 0x52,
  EBADASID: 0x53,
  EBADCONTEXT: 0x54,
  EBADMEMALIGN: 0x55,
  EIOCTL: 0x56,
  EFOPEN: 0x57,
  EFGETS: 0x58,
  EFFLUSH: 0x59,
  EFCLOSE: 0x5a,
  EEOF: 0x5b,
  EFREAD: 0x5c,
  EFWRITE: 0x5d,
  EFGETPOS: 0x5e,
  EFSETPOS: 0x5f,
  EFTELL: 0x60,
  EFSEEK: 0x61,
  EFLEN: 0x62,
  EGETENV: 0x63,
  ESETENV: 0x64,
  EMMAP: 0x65,
  EIONMAP: 0x66,
  EIONALLOC: 0x67,
  ENORPCMEMORY: 0x68,
  ENOROOTOFTRUST: 0x69,
  ENOTLOCKED: 0x6a,
  ENOTINITIALIZED: 0x6b,
  EUNSUPPORTEDAPI: 0x6c,
  EUNPACK: 0x6d,
  EPOLL: 0x6e,
  EEVENTREAD: 0x6f,
  EMAXBUFS: 0x70,
  EINVARGS: 0x71,
  ECONNREFUSED: 0x72,
  EUNSIGNEDMOD: 0x81,
  EINVALIDHASH: 0x82,
  EBADVA: 0x83,
  ENOSUCHJOB: 0x84,
  EBADMAPREFCNT: 0x85,
  EBADPAGECNT: 0x86,
  EMAPALREADYPRESENT: 0x87,
  ENOFREESECTION: 0x88,
  U2GCLIENT_OPEN: 0x89,
  ENOSESSION: 0x8a,
  EGLINK: 0x100,
  EDAL_OFFSET: 0x120,
  EQURT_OFFSET: 0x140,
  EMMPM_OFFSET: 0x170,
  DEFAULT_PROCESS: 0x180,
  ENULLCONTEXT: 0x181,
  EINVALIDJOB: 0x182,
  EBUSY: 0x183,
  E_APPS_BUSY_RETRY_LATER: 0x190,
  E_HLOS_CAP_REACHED: 0x191,
  E_DPOOL_CAP_REACHED: 0x192,
  E_NO_MORE_FREE_SECTIONS: 0x193,
  ESTUBSKELVERMISMATCH: 0x194,
  ERPC: 0x200,
  EFILE: 0x201,
  EWOULDBLOCK: 516,
} as const;
export type AeeName = keyof typeof Aee;

/** Offset the DSP adds to the codes it raises itself (`0x80000400 + code`). */
export const DSP_AEE_EOFFSET = 0x80000400;

/** Aliases that share a number with a name above; the first name wins when formatting. */
export const AEE_ALIASES: Readonly<Record<string, number>> = {
  EBADHANDLE: 0x2c,
  ENOSUCHGROUP: 0x84,
  ECONNRESET: 104,
};

const names = new Map<number, string>();
for (const [name, value] of Object.entries(Aee)) {
  if (!names.has(value)) names.set(value, name === 'SUCCESS' || name.startsWith('E_') ? name : `AEE_${name}`);
}
for (const [name, value] of Object.entries(Aee)) {
  if (name.startsWith('E_')) names.set(value, name);
}

/** Symbolic name of a status code (`AEE_EBADPARM`), with DSP-offset codes shown as `DSP+AEE_x`. */
export function aeeName(code: number): string {
  const direct = names.get(code | 0) ?? names.get(code >>> 0);
  if (direct !== undefined) return direct === 'SUCCESS' ? 'AEE_SUCCESS' : direct;
  const u = code >>> 0;
  if (u > DSP_AEE_EOFFSET && u < DSP_AEE_EOFFSET + 0x400) {
    const inner = names.get(u - DSP_AEE_EOFFSET);
    if (inner !== undefined) return `DSP+${inner}`;
  }
  return `0x${u.toString(16).padStart(8, '0')}`;
}

/** A non-zero AEE status returned by a remote call. */
export class AeeError extends Error {
  readonly code: number;
  readonly aeeName: string;

  constructor(code: number, message?: string) {
    const name = aeeName(code);
    super(message ?? `${name} (${code})`);
    this.name = 'AeeError';
    this.code = code;
    this.aeeName = name;
  }
}
