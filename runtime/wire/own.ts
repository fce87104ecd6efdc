/**
 * Values keyed by IDL or TypeScript names are own properties. A member named `__proto__` must
 * neither set nor read an object's prototype, and a missing member must not be found on
 * Object.prototype (`toString`, `constructor`).
 */

/** Sets `o[key]` as an own property, `__proto__` included. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/** `o[key]` if it is an own property, else undefined. */
export function getOwn(o: object, key: string): unknown {
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/**
 * `o[key]` for objects built by the runtime or by user code (class instances with getters
 * included): only `__proto__` is read as an own property, the one key plain access gets wrong.
 */
export function getMember(o: Record<string, unknown>, key: string): unknown {
  return key === '__proto__' ? getOwn(o, key) : o[key];
}
