/**
 * Call tracing for implementations served on the reverse path: wraps an implementation
 * object so that every call is reported with its decoded arguments, its result (0 or the AEE
 * code it failed with), its rout values and the time it took.
 */
import { aeeName } from '../wire/aee-codes.ts';
import type { InterfaceDesc } from '../wire/desc.ts';
import { statusOf } from './status.ts';

export interface TracedCall {
  readonly iface: string;
  readonly method: string;
  readonly args: readonly [name: string, value: unknown][];
  readonly result: number;
  readonly routs: Readonly<Record<string, unknown>> | undefined;
  readonly elapsedNs: number;
}

function formatValue(name: string, v: unknown): string {
  if (typeof v === 'bigint') return `0x${BigInt.asUintN(64, v).toString(16)}`;
  if (typeof v === 'number' && /flags|addr|^handle$/i.test(name)) return `0x${(v >>> 0).toString(16)}`;
  if (v instanceof Uint8Array) {
    // sequence<char> texts (dlerror) read better as text.
    if (/err|str|name/i.test(name)) {
      const nul = v.indexOf(0);
      return JSON.stringify(new TextDecoder().decode(nul < 0 ? v : v.subarray(0, nul)));
    }
    return `<${v.length} bytes>`;
  }
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function formatTime(ns: number): string {
  return ns < 1e6 ? `${(ns / 1e3).toFixed(1)} us` : `${(ns / 1e6).toFixed(2)} ms`;
}

/** One line per call: `apps_mem.requestMap64(heapid=-1, ...) -> 0 {vapps=0x0, vadsp=0x...} 12.3 us`. */
export function formatTracedCall(c: TracedCall): string {
  const args = c.args.map(([n, v]) => `${n}=${formatValue(n, v)}`).join(', ');
  const result = c.result === 0 ? '0' : `${aeeName(c.result)} (0x${(c.result >>> 0).toString(16)})`;
  const routs =
    c.routs && Object.keys(c.routs).length > 0
      ? ` {${Object.entries(c.routs)
          .map(([n, v]) => `${n}=${formatValue(n, v)}`)
          .join(', ')}}`
      : '';
  return `${c.iface}.${c.method}(${args}) -> ${result}${routs}  ${formatTime(c.elapsedNs)}`;
}

/**
 * Returns an object with the same methods as `impl` that reports each call to `sink`.
 * Argument names come from the interface descriptor (in/inrout parameters in IDL order).
 */
export function traceImpl<T extends object>(desc: InterfaceDesc, impl: T, sink: (call: TracedCall) => void): T {
  const traced: Record<string, unknown> = {};
  const fns = impl as Record<string, unknown>;
  for (const m of desc.methods) {
    const fn = fns[m.ts];
    if (typeof fn !== 'function') continue;
    const names = m.params.filter((p) => p.mode !== 'rout').map((p) => p.ts);
    traced[m.ts] = (...args: unknown[]) => {
      const start = process.hrtime.bigint();
      const report = (result: number, routs: unknown) =>
        sink({
          iface: desc.cName,
          method: m.ts,
          args: names.map((n, i) => [n, args[i]] as [string, unknown]),
          result,
          routs: (routs ?? undefined) as Record<string, unknown> | undefined,
          elapsedNs: Number(process.hrtime.bigint() - start),
        });
      let r: unknown;
      try {
        r = (fn as (...a: unknown[]) => unknown).apply(impl, args);
      } catch (err) {
        report(statusOf(err), undefined);
        throw err;
      }
      if (r instanceof Promise) {
        return r.then(
          (v: unknown) => {
            report(0, v);
            return v;
          },
          (err: unknown) => {
            report(statusOf(err), undefined);
            throw err;
          },
        );
      }
      report(0, r);
      return r;
    };
  }
  return traced as T;
}
