/** Assertion helpers for model properties (usable inside and outside vitest). */
export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export function same(a: unknown, b: unknown, message: string): void {
  const s = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
  if (s(a) !== s(b)) throw new Error(`${message}:\n got ${s(a)}\nwant ${s(b)}`);
}
