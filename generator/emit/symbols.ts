/**
 * The runtime symbols generated code may use, by codegen entry point. Emitters import runtime
 * names only through these tables, so a generated module's import list is exactly what it uses.
 */
import { importSymbol, type ImportSymbol } from './generated-file.ts';

/** Where generated code finds dspidl: a package name (`dspidl`) or a directory relative to the output. */
export interface RuntimeLocation {
  /** `dspidl` (the default), another package name, or a relative directory such as `../runtime`. */
  readonly root: string;
  /** Extension added to relative specifiers: `.js` (default), `.ts`, or '' for none. */
  readonly importExtension: string;
}

export const DEFAULT_RUNTIME_ROOT = 'dspidl';

/** The specifier of a codegen entry point (`codegen/v1`) under the runtime root. */
export function codegenSpecifier(loc: RuntimeLocation, entry: 'codegen/v1' | 'codegen/qmi/v1'): string {
  const root = loc.root.replace(/\/+$/, '');
  return root.startsWith('.') ? `${root}/${entry}${loc.importExtension}` : `${root}/${entry}`;
}

function table<const N extends string>(from: string, values: readonly N[], types: readonly N[]): Readonly<Record<N, ImportSymbol>> {
  const out = {} as Record<N, ImportSymbol>;
  for (const n of values) out[n] = importSymbol(n, from);
  for (const n of types) out[n] = importSymbol(n, from, { typeOnly: true });
  return out;
}

/** `dspidl/codegen/v1`: what FastRPC modules use. */
export function fastrpcSymbols(loc: RuntimeLocation) {
  return table(
    codegenSpecifier(loc, 'codegen/v1'),
    ['t', 'planAt', 'invokePlan', 'createSkel'],
    ['InterfaceDesc', 'TypeDesc', 'Transport', 'SkelInvoke', 'SkelOptions', 'GeneratedInterface', 'DmaHandle', 'MaybePromise'],
  );
}

export type FastrpcSymbols = ReturnType<typeof fastrpcSymbols>;

/** `dspidl/codegen/qmi/v1`: what QMI modules use. */
export function qmiSymbols(loc: RuntimeLocation) {
  return table(
    codegenSpecifier(loc, 'codegen/qmi/v1'),
    ['q', 'createQmiCodec', 'createQmiServiceTable'],
    ['QmiMessageCodec', 'QmiValueType', 'QmiServiceTable'],
  );
}

export type QmiSymbols = ReturnType<typeof qmiSymbols>;
