/**
 * The extension point of the generator: an Emitter turns one resolved IDL file into output
 * files. The built-in TypeScript emitters are Emitters like any other; `compile({ emitters })`
 * and `dspidl generate --emitter ./x.ts` add more (a JSON descriptor, a C header, docs) without
 * touching the front ends.
 */
import { basename } from 'node:path';
import type { InterfaceDecl, QaicProgram } from '../model/qaic.ts';
import type { QmiFile, QmiMessageDecl, QmiProgram } from '../model/qmi.ts';
import { interfaceDesc, interfacesOf } from '../model/layout.ts';
import { messageDescriptor } from '../qmi/descriptors.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import { layoutMethod, type MethodLayout } from '../../runtime/wire/method-layout.ts';
import type { QmiMessageDescriptor } from '../../runtime/qmi/codec/descriptor.ts';
import { emitQaicFile } from './qaic-ts.ts';
import { emitQmiFile, isResponseMessage } from './qmi/index.ts';

/** One output file; `path` is relative to the output directory. */
export interface EmittedFile {
  readonly path: string;
  readonly content: string;
}

/** Which part of the TypeScript output to write (qaic's `-ho` / `-ro`). */
export type EmitPart = 'all' | 'types' | 'remoting';

export interface EmitterOptions {
  /** Import specifier of the runtime directory as seen from the output directory (`../runtime`, `dspidl/runtime`). */
  readonly runtime: string;
  /** The IDL path as written in headers (forward slashes). */
  readonly sourceLabel: string;
  /** The IDL file name without directory and `.idl` (`calculator`, `rfsa.qmi`). */
  readonly baseName: string;
  /** Parts to write; `['types', 'remoting']` is qaic's `-ho -ro`. Default: `['all']`. */
  readonly parts: readonly EmitPart[];
}

/** A QAIC interface with its wire descriptor and per-method buffer layouts. */
export interface QaicInterfaceLayout {
  readonly decl: InterfaceDecl;
  readonly desc: InterfaceDesc;
  /** One per method, in index order (`methods[k]` is method k). */
  readonly methods: readonly MethodLayout[];
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

export function idlBaseName(path: string): string {
  return basename(path).replace(/\.idl$/, '');
}

/** Layout descriptors of the interfaces declared in one QAIC file. */
export function qaicLayout(program: QaicProgram, file: string): QaicEmitInput['layout'] {
  const model = program.files.get(file);
  const interfaces = interfacesOf(model?.decls ?? [])
    .filter((i) => !i.forwardOnly && i.name !== 'remote_handle64')
    .map((decl) => {
      const desc = interfaceDesc(decl);
      return { decl, desc, methods: desc.methods.map(layoutMethod) };
    });
  return { interfaces };
}

export function qmiFileOf(program: QmiProgram, path: string): QmiFile | undefined {
  const norm = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return program.files.find((f) => f.path === norm) ?? program.files.find((f) => f.path.endsWith(`/${norm}`) || norm.endsWith(`/${f.path}`));
}

/** Descriptors of the messages declared in one QMI file. */
export function qmiLayout(program: QmiProgram, file: string): QmiEmitInput['layout'] {
  const f = qmiFileOf(program, file);
  const messages = (f?.decls ?? [])
    .filter((d): d is QmiMessageDecl => d.kind === 'message')
    .map((decl) => {
      const response = isResponseMessage(program, decl);
      return { decl, descriptor: messageDescriptor(decl, response), response };
    });
  return { messages };
}

/** The built-in QAIC emitter: `<name>.ts`, or `<name>.types.ts` / remoting `<name>.ts` for `-ho` / `-ro`. */
export const qaicTypeScriptEmitter: Emitter = {
  name: 'typescript',
  emit(input) {
    if (input.dialect !== 'qaic') return [];
    const { baseName, parts, runtime, sourceLabel } = input.options;
    const out: EmittedFile[] = [];
    const typesName = `${baseName}.types.ts`;
    for (const part of parts) {
      if (part === 'types') {
        out.push({ path: typesName, content: emitQaicFile(input.program, input.file, { runtime, sourceLabel, part }) });
      } else if (part === 'remoting') {
        out.push({ path: `${baseName}.ts`, content: emitQaicFile(input.program, input.file, { runtime, sourceLabel, part, typesModule: `./${typesName}` }) });
      } else {
        out.push({ path: `${baseName}.ts`, content: emitQaicFile(input.program, input.file, { runtime, sourceLabel }) });
      }
    }
    return out;
  },
};

/** The built-in QMI emitter: message types, codecs and the service table in one module (parts do not apply). */
export const qmiTypeScriptEmitter: Emitter = {
  name: 'typescript-qmi',
  emit(input) {
    if (input.dialect !== 'qmi') return [];
    return emitQmiFile(input.program, input.file, { runtimeImport: `${input.options.runtime}/qmi/codec/index.ts` });
  },
};

export const builtinEmitters: readonly Emitter[] = [qaicTypeScriptEmitter, qmiTypeScriptEmitter];

/** Whether a loaded module value is an Emitter (for `--emitter` and plugin loaders). */
export function isEmitter(value: unknown): value is Emitter {
  return typeof value === 'object' && value !== null && typeof (value as Emitter).name === 'string' && typeof (value as Emitter).emit === 'function';
}
