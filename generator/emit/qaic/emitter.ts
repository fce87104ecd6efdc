/**
 * The built-in QAIC emitter: one TypeScript module per IDL file (`x.ts`), or its two halves for
 * qaic's `-ho`/`-ro` (`x.types.ts` and `x.ts`, which re-exports the types). The view model
 * (view.ts) decides, the templates lay out, the GeneratedFile owns header and imports.
 */
import type { EmittedFile, Emitter, QaicEmitInput } from '../emitter.ts';
import { GeneratedFile } from '../generated-file.ts';
import { headerView } from '../header.ts';
import { fastrpcSymbols } from '../symbols.ts';
import type { QaicFileView } from '../view-types.ts';
import {
  constantViews,
  declaredIn,
  declareExports,
  DescriptorWriter,
  enumViews,
  interfaceView,
  registryView,
  structViews,
  typedefViews,
  TypeSpeller,
  type QaicPart,
  type QaicViewInput,
} from './view.ts';

/** Output path of one part: `x.types.ts` for the types half, `x.ts` otherwise. */
export function qaicOutputPath(baseName: string, part: QaicPart): string {
  return part === 'types' ? `${baseName}.types.ts` : `${baseName}.ts`;
}

export function emitQaicModule(input: QaicEmitInput, part: QaicPart): EmittedFile {
  const { options } = input;
  const path = qaicOutputPath(options.baseName, part);
  const f = new GeneratedFile(path);
  const model = input.program.files.get(input.file);
  if (!model) throw new Error(`${input.file} is not part of the program`);
  const decls = declaredIn(model.decls);
  declareExports(f, decls, part);
  const header = headerView(options, part);
  const typesModule = part === 'remoting' ? `./${options.baseName}.types${options.runtime.importExtension}` : undefined;
  const v: QaicViewInput = { input, file: f, symbols: fastrpcSymbols(options.runtime), part, header, typesModule };
  const types = new TypeSpeller(v);
  const withTypes = part !== 'remoting';
  const withRemoting = part !== 'types';
  const constants = withTypes ? constantViews(decls) : [];
  const enums = withTypes ? enumViews(decls) : [];
  const structs = withTypes ? structViews(decls, types) : [];
  const typedefs = withTypes ? typedefViews(decls, types) : [];
  const layouts = withRemoting ? input.layout.interfaces : [];
  const descriptors = layouts.length > 0 ? new DescriptorWriter(f, v.symbols) : undefined;
  const interfaces = descriptors ? layouts.map((l) => interfaceView(v, types, descriptors, l)) : [];
  const view: QaicFileView = {
    header,
    part,
    reexports: typesModule !== undefined ? [typesModule] : [],
    constants,
    enums,
    structs,
    typedefs,
    typeDescriptors: descriptors?.structs ?? [],
    interfaces,
    registry: registryView(v, layouts),
  };
  f.header(options.templates.render('header', header).trimEnd());
  f.printRaw(options.templates.render('qaic-file', view));
  return { path, content: f.toString() };
}

/** The built-in QAIC emitter. */
export const qaicTypeScriptEmitter: Emitter = {
  name: 'typescript',
  emit(input) {
    if (input.dialect !== 'qaic') return [];
    return input.options.parts.map((part) => emitQaicModule(input, part));
  },
};
