/**
 * `Atomics.waitAsync` (ES2024; always present on the Node versions this package supports),
 * typed here because the project's ES2022 lib typings do not declare it.
 */
export type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

export const waitAsync = (
  Atomics as unknown as { waitAsync: (ta: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult }
).waitAsync;
