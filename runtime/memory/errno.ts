/**
 * Linux errno values used by the simulated kernel paths. Kernel-style calls return or
 * throw the negative value, as the C code does.
 */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
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
  ENOTTY: 25,
  ERANGE: 34,
  ENOSYS: 38,
  ETIMEDOUT: 110,
  EADDRNOTAVAIL: 99,
  EPROBE_DEFER: 517,
  ENOTSUPP: 524,
} as const;
export type ErrnoName = keyof typeof Errno;

const byValue = new Map<number, string>(Object.entries(Errno).map(([k, v]) => [v, k]));

export function errnoName(errno: number): string {
  return byValue.get(Math.abs(errno)) ?? `errno ${errno}`;
}

/** A failed simulated kernel call; `errno` is negative, like the C return value. */
export class KernelError extends Error {
  readonly errno: number;
  constructor(errno: number, message?: string) {
    const e = -Math.abs(errno);
    super(message ? `-${errnoName(e)}: ${message}` : `-${errnoName(e)}`);
    this.name = 'KernelError';
    this.errno = e;
  }
}

export function kfail(errno: number, message?: string): never {
  throw new KernelError(errno, message);
}
