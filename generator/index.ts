/**
 * `dspidl/generator`: the generator as a library. `compile()` runs both IDL front ends and the
 * emitters in memory; the rest is what emitter plug-ins and tools build on: the model, the
 * layout, the GeneratedFile printer, the templates and their view models, diagnostics.
 */
export { compile } from './compile.ts';
export type { CompileOptions, CompileResult, CompiledFile, ImportExtension, Target } from './compile.ts';
export { loadPrograms } from './frontend.ts';
export type { FrontendOptions, FrontendResult, Programs } from './frontend.ts';
export type { Diagnostic, RelatedSpan, Severity, StageResult } from './diagnostics/diagnostic.ts';
export { hasErrors } from './diagnostics/diagnostic.ts';
export { renderDiagnostic, renderDiagnostics } from './diagnostics/render.ts';
export { ALL_CODES, CommonCodes, QaicCodes, QmiCodes, type CodeInfo } from './diagnostics/codes.ts';
export type { ReadFile, ReadResult, SourceSpan } from './source.ts';
export { isQmiSource } from './dialect.ts';
export { loadQaicProgram } from './qaic/index.ts';
export { loadQmiProgram } from './qmi/index.ts';
export type * from './model/qaic.ts';
export type * from './model/qmi.ts';
export { qaicFileLayout } from './model/layout.ts';
export { qmiFileLayout } from './qmi/descriptors.ts';
export { isEmitter } from './emit/emitter.ts';
export type {
  EmitInput,
  EmitPart,
  EmittedFile,
  Emitter,
  EmitterOptions,
  QaicEmitInput,
  QaicInterfaceLayout,
  QmiEmitInput,
  QmiMessageLayout,
} from './emit/emitter.ts';
export { qaicTypeScriptEmitter } from './emit/qaic/emitter.ts';
export { qmiTypeScriptEmitter } from './emit/qmi/emitter.ts';
export { GeneratedFile, importSymbol, jsDocBlock, literal, stringLiteral, MAX_LINE } from './emit/generated-file.ts';
export type { ImportSymbol, Printable } from './emit/generated-file.ts';
export { fastrpcSymbols, qmiSymbols, codegenSpecifier } from './emit/symbols.ts';
export type { RuntimeLocation } from './emit/symbols.ts';
export { BUILTIN_TEMPLATE_NAMES, builtinTemplates, templatesFrom } from './emit/templates.ts';
export type { TemplateSet } from './emit/templates.ts';
export type * from './emit/view-types.ts';
export { camelCase, pascalCase, safeName, hostileReason, type NameRole } from './naming.ts';
export { idlTypeName } from './emit/spell.ts';
export { bundledIdlDir } from './package-root.ts';
export { dumpApi, formatApiDump } from './api/dump.ts';
export { checkApiCompat, formatApiChange, isIncompatible } from './api/check.ts';
export { VERSION } from './version.ts';
