/**
 * The resolved QMI model: what the QMI IDL front end produces and the emitters and the
 * codec CLI consume. Names are as written in the IDL; sizes and TLV ids are computed.
 */
import type { SourceSpan } from '../source.ts';

export type QmiPrimitiveName =
  'boolean' | 'int8' | 'uint8' | 'char' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float' | 'double';

/** Documentation gathered from `//!`, `/** … *\/` and trailing `//!<` / `/**< … *\/` comments. */
export interface QmiDoc {
  /** Free text, tag lines removed. */
  readonly text: string;
  /** `@TAG value` lines, e.g. `{ MSG: 'QMI_FOO_REQ', TYPE: 'Request' }` (last one wins). */
  readonly tags: Readonly<Record<string, string>>;
}

interface DeclBase {
  readonly name: string;
  /** Path of the IDL file declaring it. */
  readonly file: string;
  readonly span: SourceSpan;
  readonly doc?: QmiDoc;
}

export interface QmiConstDecl extends DeclBase {
  readonly kind: 'const';
  readonly value: number;
}

export interface QmiEnumMember {
  readonly name: string;
  readonly value: number;
  readonly span: SourceSpan;
  readonly doc?: QmiDoc;
}

export interface QmiEnumDecl extends DeclBase {
  readonly kind: 'enum';
  /** Wire width in bytes: `enum` 4, `enum16` 2, `enum8` 1. Always signed on the wire. */
  readonly width: 1 | 2 | 4;
  readonly members: readonly QmiEnumMember[];
}

export interface QmiMaskDecl extends DeclBase {
  readonly kind: 'mask';
  /** Wire width in bytes: `mask`/`mask64` 8, `mask32` 4, `mask16` 2, `mask8` 1. */
  readonly width: 1 | 2 | 4 | 8;
  /** Values as bigint so 64-bit masks keep all bits. */
  readonly members: readonly { readonly name: string; readonly value: bigint; readonly span: SourceSpan; readonly doc?: QmiDoc }[];
}

export type QmiTypeRef =
  | { readonly kind: 'primitive'; readonly name: QmiPrimitiveName }
  | { readonly kind: 'enum'; readonly decl: QmiEnumDecl }
  | { readonly kind: 'mask'; readonly decl: QmiMaskDecl }
  /** `string name<max>`: max bytes, NUL not counted. */
  | { readonly kind: 'string'; readonly max: number }
  | { readonly kind: 'struct'; readonly decl: QmiStructDecl };

export type QmiArity =
  | { readonly kind: 'single' }
  | { readonly kind: 'fixed'; readonly length: number }
  /** Count prefix of countWidth bytes (1 if max <= 255). */
  | { readonly kind: 'variable'; readonly max: number; readonly countWidth: 1 | 2 };

export interface QmiMember {
  readonly name: string;
  readonly type: QmiTypeRef;
  readonly arity: QmiArity;
  readonly span: SourceSpan;
  readonly doc?: QmiDoc;
}

export interface QmiStructDecl extends DeclBase {
  readonly kind: 'struct';
  readonly members: readonly QmiMember[];
}

export interface QmiElement extends QmiMember {
  readonly presence: 'mandatory' | 'optional';
  readonly tlvType: number;
  /** True when the IDL pinned the TLV id (`… name = 0x15;`, a dspidl extension). */
  readonly explicitTlv: boolean;
}

export interface QmiMessageDecl extends DeclBase {
  readonly kind: 'message';
  readonly elements: readonly QmiElement[];
  /** Largest payload in bytes (sum of 3 + max value size over elements). */
  readonly maxLength: number;
}

export type QmiMessageKind = 'request' | 'response' | 'indication';

export interface QmiServiceBinding {
  readonly msgId: number;
  readonly kind: QmiMessageKind;
  /** Name the service block gives the id, e.g. `QMI_RFSA_FILE_READ_REQ_MSG`. */
  readonly idName: string;
  readonly message: QmiMessageDecl;
  readonly span: SourceSpan;
}

export interface QmiServiceDecl extends DeclBase {
  readonly kind: 'service';
  readonly serviceId: number;
  readonly bindings: readonly QmiServiceBinding[];
  /** Max over all bound messages of their max length. */
  readonly maxLength: number;
}

export type QmiDecl = QmiConstDecl | QmiEnumDecl | QmiMaskDecl | QmiStructDecl | QmiMessageDecl;

export interface QmiFile {
  readonly path: string;
  /** Include names as written, in order. */
  readonly includes: readonly string[];
  /** `revision N;` (IDL minor version); 0 when absent. */
  readonly revision: number;
  /** IDL major version from a `_vNN` file name suffix; 1 otherwise. */
  readonly majorVersion: number;
  /** Declarations of this file in source order. */
  readonly decls: readonly QmiDecl[];
  readonly service?: QmiServiceDecl;
  /** The file's header documentation (`@FILE`, `@BRIEF`, …). */
  readonly doc?: QmiDoc;
}

export interface QmiProgram {
  /** Every loaded file, included ones first (dependency order). */
  readonly files: readonly QmiFile[];
  /** Paths of the files the caller asked for (not those pulled in by include). */
  readonly roots: readonly string[];
  /** Lookup across all files by declared name. */
  readonly decls: ReadonlyMap<string, QmiDecl>;
}
