/**
 * Hand-built QAIC models for the API dump tests: enough of the resolved model to
 * exercise dumpApi without the front end.
 */
import type {
  ConstDecl,
  Decl,
  EnumDecl,
  InterfaceDecl,
  MethodDecl,
  ParamDecl,
  ParamMode,
  PrimKind,
  QaicProgram,
  StructDecl,
  TypeRef,
  TypedefDecl,
} from '../../generator/model/qaic.ts';
import type { SourceSpan } from '../../generator/source.ts';

let offset = 0;
/** A fresh span each call, so tests can prove positions do not reach the hash. */
export function span(file = 'a.idl'): SourceSpan {
  offset += 7;
  return { file, line: 1 + (offset % 13), col: 1 + (offset % 5), offset, length: 3 };
}

function base(name: string, scope: readonly string[], file: string) {
  return { name, scope, cName: [...scope, name].join('_'), doc: [`doc of ${name} ${offset}`], span: span(file), file };
}

export const prim = (p: PrimKind, spelling: string = p): TypeRef => ({ kind: 'prim', prim: p, spelling });
export const seq = (elem: TypeRef, bound?: number): TypeRef =>
  bound === undefined ? { kind: 'sequence', elem } : { kind: 'sequence', elem, bound };
export const arr = (elem: TypeRef, length: number): TypeRef => ({ kind: 'array', elem, length });
export const str = (bound?: number): TypeRef =>
  bound === undefined ? { kind: 'string', wide: false } : { kind: 'string', wide: false, bound };

export function struct(name: string, scope: readonly string[], members: readonly [string, TypeRef][], file = 'a.idl'): StructDecl {
  return {
    kind: 'struct',
    ...base(name, scope, file),
    members: members.map(([n, type]) => ({ name: n, type, doc: [], span: span(file) })),
  };
}

export function enumDecl(name: string, scope: readonly string[], names: readonly string[], file = 'a.idl'): EnumDecl {
  return {
    kind: 'enum',
    ...base(name, scope, file),
    enumerators: names.map((n, i) => ({ name: n, cName: n, value: i, doc: [], span: span(file) })),
  };
}

export function typedef(name: string, scope: readonly string[], target: TypeRef, file = 'a.idl'): TypedefDecl {
  return { kind: 'typedef', ...base(name, scope, file), target };
}

export function constant(name: string, scope: readonly string[], type: TypeRef, value: ConstDecl['value'], file = 'a.idl'): ConstDecl {
  return { kind: 'const', ...base(name, scope, file), type, value, cDefine: String(value) };
}

export function param(name: string, mode: ParamMode, type: TypeRef): ParamDecl {
  return { name, mode, type, span: span() };
}

export function method(name: string, index: number, params: readonly ParamDecl[], declaredIn: string, returnType?: TypeRef): MethodDecl {
  return { name, index, params, returnType, async: false, attributes: [], declaredIn, doc: [], span: span() };
}

export function iface(
  name: string,
  scope: readonly string[],
  methods: readonly MethodDecl[],
  opts: { base?: InterfaceDecl; handle64?: boolean; members?: readonly Decl[]; file?: string } = {},
): InterfaceDecl {
  return {
    kind: 'interface',
    ...base(name, scope, opts.file ?? 'a.idl'),
    base: opts.base,
    handle64: opts.handle64 ?? false,
    methods,
    staticHandle: undefined,
    idlVersion: undefined,
    members: opts.members ?? [],
    forwardOnly: false,
  };
}

export function module(name: string, scope: readonly string[], members: readonly Decl[], file = 'a.idl'): Decl {
  return { kind: 'module', ...base(name, scope, file), members };
}

export function program(files: Record<string, readonly Decl[]>, roots: readonly string[] = Object.keys(files).slice(0, 1)): QaicProgram {
  return {
    dialect: 'qaic',
    files: new Map(Object.entries(files).map(([path, decls]) => [path, { path, decls, includes: [] }])),
    roots,
    defines: new Set(),
  };
}
