/**
 * Every generated QAIC skel in the repository: the `create<Name>Skel` factories exported by
 * generated/*.ts and test/conformance/generated/qaic/*.ts, each paired with the
 * `<name>Descriptor` and `<Name>Client` of the same module. Found by export name, so a new
 * generated file is fuzzed without touching this list.
 */
import { readdirSync } from 'node:fs';
import type { SkelInvoke, Transport } from '../../runtime/rpc/transport.ts';
import type { InterfaceDesc, MethodDesc } from '../../runtime/wire/desc.ts';

export interface SkelFactory {
  /** Module file, relative to the repository root. */
  readonly file: string;
  /** `createAppsMemSkel`. */
  readonly factoryName: string;
  readonly desc: InterfaceDesc;
  readonly createSkel: (impl: never) => SkelInvoke;
  readonly Client: (new (transport: Transport, handle: never) => object) | undefined;
}

export interface MethodTarget {
  readonly factory: SkelFactory;
  readonly method: MethodDesc;
}

const DIRS = ['../../generated/', '../conformance/generated/qaic/'] as const;

/** Loads every module and pairs its skel factories with their descriptors; `problems` lists factories without one. */
export async function loadSkelFactories(): Promise<{ factories: SkelFactory[]; problems: string[] }> {
  const factories: SkelFactory[] = [];
  const problems: string[] = [];
  for (const dir of DIRS) {
    const url = new URL(dir, import.meta.url);
    for (const f of readdirSync(url)
      .filter((n) => n.endsWith('.ts'))
      .sort()) {
      const mod = (await import(new URL(f, url).href)) as Record<string, unknown>;
      const file = `${dir.replace(/^(\.\.\/)+/, '').replace(/^conformance/, 'test/conformance')}${f}`;
      for (const [key, value] of Object.entries(mod)) {
        const m = /^create(\w+)Skel$/.exec(key);
        if (!m || typeof value !== 'function') continue;
        const name = m[1]!;
        const desc = mod[`${name[0]!.toLowerCase()}${name.slice(1)}Descriptor`] as InterfaceDesc | undefined;
        if (!desc || !Array.isArray(desc.methods)) {
          problems.push(`${file}: ${key} has no ${name}Descriptor`);
          continue;
        }
        const Client = mod[`${name}Client`] as SkelFactory['Client'];
        factories.push({ file, factoryName: key, desc, createSkel: value as SkelFactory['createSkel'], Client });
      }
    }
  }
  return { factories, problems };
}

export function methodTargets(factories: readonly SkelFactory[]): MethodTarget[] {
  return factories.flatMap((factory) => factory.desc.methods.map((method) => ({ factory, method })));
}
