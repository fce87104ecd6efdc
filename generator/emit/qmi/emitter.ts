/**
 * The built-in QMI emitter: one TypeScript module per QMI IDL file with the message types,
 * enum and mask objects, one codec per message and the service table. Types declared in
 * included files are imported from their modules (common_v01's from dspidl).
 */
import { basename } from 'node:path';
import type { EmittedFile, Emitter, QmiEmitInput } from '../emitter.ts';
import { GeneratedFile } from '../generated-file.ts';
import { headerView } from '../header.ts';
import { qmiSymbols } from '../symbols.ts';
import type { QmiFileView } from '../view-types.ts';
import {
  codecViews,
  declarationViews,
  declareQmiExports,
  fileDocView,
  QmiDescriptorWriter,
  QmiTypeSpeller,
  serviceView,
  type QmiViewInput,
} from './view.ts';

/** Output name for an IDL path: `idl/rfsa.qmi.idl` -> `rfsa.qmi.ts`. */
export function qmiOutputName(idlPath: string): string {
  return `${basename(idlPath).replace(/\.idl$/, '')}.ts`;
}

export function emitQmiModule(input: QmiEmitInput): EmittedFile {
  const path = qmiOutputName(input.qmiFile.path);
  const f = new GeneratedFile(path);
  declareQmiExports(f, input);
  const header = headerView(input.options, 'all');
  const v: QmiViewInput = { input, file: f, symbols: qmiSymbols(input.options.runtime), header };
  const types = new QmiTypeSpeller(v);
  const writer = new QmiDescriptorWriter(f, v.symbols);
  const decls = declarationViews(v, types);
  const codecs = codecViews(v, writer);
  const view: QmiFileView = { header, fileDoc: fileDocView(v), decls, valueTypes: writer.structs, codecs, service: serviceView(v, types) };
  f.header(input.options.templates.render('header', header).trimEnd());
  f.printRaw(input.options.templates.render('qmi-file', view));
  return { path, content: f.toString() };
}

/** The built-in QMI emitter (the -ho/-ro parts do not apply). */
export const qmiTypeScriptEmitter: Emitter = {
  name: 'typescript-qmi',
  emit(input) {
    if (input.dialect !== 'qmi') return [];
    return [emitQmiModule(input)];
  },
};
