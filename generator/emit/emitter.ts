/**
 * The extension point of the generator: an Emitter turns one resolved IDL file into output
 * files. The built-in TypeScript emitters are Emitters like any other; `compile({ emitters })`
 * and `dspidl generate --emitter ./x.ts` add more (a JSON descriptor, a C header, docs) without
 * touching the front ends. Emitters read the model and the layout the generator computed;
 * none computes layout again.
 */
import type { InterfaceDecl, QaicProgram } from '../model/qaic.ts';
import type { QmiFile, QmiMessageDecl, QmiProgram } from '../model/qmi.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import type { MethodLayout, MethodSignature } from '../../runtime/wire/method-layout.ts';
import type { QmiMessageDescriptor } from '../../runtime/qmi/codec/descriptor.ts';
import type { RuntimeLocation } from './symbols.ts';
import type { TemplateSet } from './templates.ts';

/** One output file; `path` is relative to the output directory. */
export interface EmittedFile {
  readonly path: string;
  readonly content: string;
}

/** Which part of the TypeScript output to write (qaic's `-ho` / `-ro`). */
export type EmitPart = 'all' | 'types' | 'remoting';

export interface EmitterOptions {
  /** Where generated code imports dspidl from, and the extension of relative imports. */
  readonly runtime: RuntimeLocation;
  /** The IDL path as written in headers (forward slashes). */
  readonly sourceLabel: string;
  /** The IDL file name without directory and `.idl` (`calculator`, `rfsa.qmi`). */
  readonly baseName: string;
  /** Parts to write; `['types', 'remoting']` is qaic's `-ho -ro`. Default: `['all']`. */
  readonly parts: readonly EmitPart[];
  /** The templates of the built-in emitters (the built-in ones, or with `--templates` overrides). */
  readonly templates: TemplateSet;
  /** Options that change the output, for headers: `target=ts,import_extension=.js`. */
  readonly parameters: string;
  /**
   * The import specifier, seen from the file being emitted, of the module generated for
   * another IDL file of the program (`./AEEStdDef.js`, or `dspidl/interfaces/remote` for a
   * standard IDL bundled with dspidl). `part` 'types' names its types module under -ho/-ro.
   */
  moduleOf(idlPath: string, part: 'types' | 'all'): string;
}

/** A QAIC interface with its wire descriptor and per-method layouts and signatures. */
export interface QaicInterfaceLayout {
  readonly decl: InterfaceDecl;
  readonly desc: InterfaceDesc;
  /** One per method, in index order (`methods[k]` is method k). */
  readonly methods: readonly MethodLayout[];
  /** How each method appears to TypeScript, in the same order. */
  readonly signatures: readonly MethodSignature[];
}

export interface QmiMessageLayout {
  readonly decl: QmiMessageDecl;
  readonly descriptor: QmiMessageDescriptor;
  readonly response: boolean;
}

export interface QaicEmitInput {
  readonly dialect: 'qaic';
  readonly program: QaicProgram;
  /** The IDL file being emitted (a key of `program.files`). */
  readonly file: string;
  readonly layout: { readonly interfaces: readonly QaicInterfaceLayout[] };
  readonly options: EmitterOptions;
}

export interface QmiEmitInput {
  readonly dialect: 'qmi';
  readonly program: QmiProgram;
  readonly file: string;
  readonly qmiFile: QmiFile;
  readonly layout: { readonly messages: readonly QmiMessageLayout[] };
  readonly options: EmitterOptions;
}

export type EmitInput = QaicEmitInput | QmiEmitInput;

export interface Emitter {
  /** Short name, shown in messages (`typescript`, `json-descriptor`). */
  readonly name: string;
  /** The files for one IDL file; return `[]` for a dialect or file the emitter does not handle. */
  emit(input: EmitInput): EmittedFile[] | readonly EmittedFile[];
}

/** Whether a loaded module value is an Emitter (for `--emitter` and plugin loaders). */
export function isEmitter(value: unknown): value is Emitter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Emitter).name === 'string' &&
    typeof (value as Emitter).emit === 'function'
  );
}
