/**
 * The resolved QAIC model: what the front end (generator/qaic) produces after
 * preprocessing, parsing, name resolution and validation, and the only thing the
 * layout engine and the emitters read. Every reference is resolved to its
 * declaration; typedef chains are kept (as `typedef` refs) so emitters can name them,
 * and `resolveAlias` strips them for layout.
 */
import type { SourceSpan } from '../source.ts';

/** Canonical primitive kinds, after mapping the IDL spellings (`long` → int32, `uint8_t` → uint8, ...). */
export type PrimKind =
  | 'octet'
  | 'char'
  | 'boolean'
  | 'int8'
  | 'uint8'
  | 'wchar'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'float'
  | 'int64'
  | 'uint64'
  | 'double';

export type TypeRef =
  | { readonly kind: 'prim'; readonly prim: PrimKind; /** as written: `unsigned long long`, `uint64_t` */ readonly spelling: string }
  | { readonly kind: 'enum'; readonly decl: EnumDecl }
  | { readonly kind: 'struct'; readonly decl: StructDecl }
  | { readonly kind: 'union'; readonly decl: UnionDecl }
  | { readonly kind: 'string'; readonly wide: boolean; readonly bound?: number }
  | { readonly kind: 'sequence'; readonly elem: TypeRef; readonly bound?: number }
  /** One dimension; `T x[2][3]` is array(2, array(3, T)). */
  | { readonly kind: 'array'; readonly elem: TypeRef; readonly length: number }
  | { readonly kind: 'dmahandle' }
  /** An interface used as a type (`remote_handle64` parameters). */
  | { readonly kind: 'interface'; readonly decl: InterfaceDecl }
  | { readonly kind: 'typedef'; readonly decl: TypedefDecl };

/** Common fields of every named declaration. */
export interface DeclBase {
  readonly name: string;
  /** Enclosing module/interface/struct names, outermost first. */
  readonly scope: readonly string[];
  /** qaic's C name: scope and name joined with `_`. */
  readonly cName: string;
  /** Doc comments attached to the declaration, comment markers stripped, one entry per comment. */
  readonly doc: readonly string[];
  readonly span: SourceSpan;
  /** Path of the IDL file the declaration textually appears in. */
  readonly file: string;
}

export interface EnumDecl extends DeclBase {
  readonly kind: 'enum';
  readonly enumerators: readonly {
    readonly name: string;
    readonly cName: string;
    readonly value: number;
    readonly doc: readonly string[];
    readonly span: SourceSpan;
  }[];
}

export interface StructMember {
  readonly name: string;
  readonly type: TypeRef;
  readonly doc: readonly string[];
  readonly span: SourceSpan;
}

export interface StructDecl extends DeclBase {
  readonly kind: 'struct';
  readonly members: readonly StructMember[];
}

export interface UnionCase {
  /** Case labels as evaluated values; empty with `isDefault`. */
  readonly labels: readonly (number | bigint | boolean)[];
  readonly isDefault: boolean;
  readonly member: StructMember;
}

export interface UnionDecl extends DeclBase {
  readonly kind: 'union';
  readonly discriminator: TypeRef;
  readonly cases: readonly UnionCase[];
}

export interface TypedefDecl extends DeclBase {
  readonly kind: 'typedef';
  readonly target: TypeRef;
}

export type ConstValue = number | bigint | string | boolean;

export interface ConstDecl extends DeclBase {
  readonly kind: 'const';
  readonly type: TypeRef;
  /** Folded value: integers as number when they fit 53 bits, else bigint; floats as number. */
  readonly value: ConstValue;
  /** The `#define` body qaic writes for it (`255u`, `-1`, `"1.2.3"`). */
  readonly cDefine: string;
}

export type ParamMode = 'in' | 'rout' | 'inrout';

export interface ParamDecl {
  readonly name: string;
  readonly mode: ParamMode;
  readonly type: TypeRef;
  readonly span: SourceSpan;
}

export interface MethodDecl {
  readonly name: string;
  /** Position in the flattened method list (base methods first); 0/1 are open/close for handle64. */
  readonly index: number;
  readonly params: readonly ParamDecl[];
  /** Declared return type; `undefined` for `void`. On the wire the result is always the 32-bit status. */
  readonly returnType: TypeRef | undefined;
  readonly async: boolean;
  /** Bracketed attributes as written: `oneway`, `signal`, `reliable oneway`. No wire effect. */
  readonly attributes: readonly string[];
  /** `Get`/`Set` methods generated from an `attribute` declaration. */
  readonly fromAttribute?: string;
  /** The interface whose body declares the method (a base interface for inherited ones). */
  readonly declaredIn: string;
  readonly doc: readonly string[];
  readonly span: SourceSpan;
}

export interface InterfaceDecl extends DeclBase {
  readonly kind: 'interface';
  /** Scoped name of the direct base (`remote_handle64`), if any. */
  readonly base: InterfaceDecl | undefined;
  /** True when `remote_handle64` is in the base chain (open = 0, close = 1). */
  readonly handle64: boolean;
  /** Flattened methods in index order, base methods first. */
  readonly methods: readonly MethodDecl[];
  /** Value of `const long _const_<name>_handle` when declared. */
  readonly staticHandle: number | undefined;
  /** Value of `const string IDL_VERSION` when declared. */
  readonly idlVersion: string | undefined;
  /** Types and constants declared inside the interface body, in order. */
  readonly members: readonly Decl[];
  /** A forward declaration never completed in this program. */
  readonly forwardOnly: boolean;
}

export interface ModuleDecl extends DeclBase {
  readonly kind: 'module';
  readonly members: readonly Decl[];
}

export type Decl = ModuleDecl | InterfaceDecl | StructDecl | UnionDecl | EnumDecl | TypedefDecl | ConstDecl;

export interface IdlFileModel {
  readonly path: string;
  /** Top-level declarations that textually appear in this file, in order. */
  readonly decls: readonly Decl[];
  /** Paths of the files this file includes (directly), in order. */
  readonly includes: readonly string[];
  /** Doc comments at the top of the file that precede its first directive (file header docs). */
  readonly doc?: readonly string[];
}

export interface QaicProgram {
  readonly dialect: 'qaic';
  /** Every file read, the requested roots first, includes after, keyed by path. */
  readonly files: ReadonlyMap<string, IdlFileModel>;
  /** The files the user asked for (code is generated for these). */
  readonly roots: readonly string[];
  /** `#define` symbols in effect at the end of preprocessing. */
  readonly defines: ReadonlySet<string>;
}

/** Follows typedef chains to the underlying type. */
export function resolveAlias(t: TypeRef): TypeRef {
  let cur = t;
  while (cur.kind === 'typedef') cur = cur.decl.target;
  return cur;
}
