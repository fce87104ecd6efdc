/**
 * The Linux errno values the simulated kernel drivers report. Kernel functions return them
 * negated; here they travel inside {@link KernelError} so callers can match on the name.
 */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ENXIO: 6,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  EBADMSG: 74,
  EOPNOTSUPP: 95,
  ECONNREFUSED: 111,
  ETIMEDOUT: 110,
  EPROBE_DEFER: 517,
  ENOTSUPP: 524,
} as const;

export type ErrnoName = keyof typeof Errno;

/** A failed kernel call: `errno` is the positive value, `-errno` what the C function returns. */
export class KernelError extends Error {
  readonly errno: number;
  constructor(
    readonly code: ErrnoName,
    message?: string,
  ) {
    super(message === undefined ? code : `${code}: ${message}`);
    this.name = 'KernelError';
    this.errno = Errno[code];
  }
}

export function isKernelError(err: unknown, code?: ErrnoName): err is KernelError {
  return err instanceof KernelError && (code === undefined || err.code === code);
}
