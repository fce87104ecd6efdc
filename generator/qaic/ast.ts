/**
 * The unresolved syntax tree of one translation unit, as written (names are still
 * strings). The resolver turns it into the model of model/qaic.ts.
 */
import type { PrimKind } from '../model/qaic.ts';
import type { SourceSpan } from '../source.ts';

export type AstExpr =
  | { readonly kind: 'int'; readonly value: bigint; readonly radix: 'dec' | 'hex' | 'oct'; readonly span: SourceSpan }
  | { readonly kind: 'float'; readonly value: number; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'char'; readonly value: number; readonly wide: boolean; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'string'; readonly value: string; readonly wide: boolean; readonly span: SourceSpan }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: SourceSpan }
  | { readonly kind: 'ref'; readonly name: AstName; readonly span: SourceSpan }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | '~'; readonly operand: AstExpr; readonly span: SourceSpan }
  | {
      readonly kind: 'binary';
      readonly op: '|' | '^' | '&' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';
      readonly left: AstExpr;
      readonly right: AstExpr;
      readonly span: SourceSpan;
    };

export interface AstName {
  readonly parts: readonly string[];
  /** Written with a leading `::`. */
  readonly absolute: boolean;
  readonly span: SourceSpan;
}

export type AstType =
  | { readonly kind: 'prim'; readonly prim: PrimKind; readonly spelling: string; readonly span: SourceSpan }
  | { readonly kind: 'string'; readonly wide: boolean; readonly bound: AstExpr | undefined; readonly span: SourceSpan }
  | { readonly kind: 'sequence'; readonly elem: AstType; readonly bound: AstExpr | undefined; readonly span: SourceSpan }
  | { readonly kind: 'dmahandle'; readonly span: SourceSpan }
  | { readonly kind: 'named'; readonly name: AstName; readonly span: SourceSpan }
  /** A struct, union or enum defined where the type is used (`typedef struct S {...} T;`). */
  | { readonly kind: 'inline'; readonly decl: AstStruct | AstUnion | AstEnum; readonly span: SourceSpan };

export interface AstDeclarator {
  readonly name: string;
  readonly dims: readonly AstExpr[];
  readonly span: SourceSpan;
  readonly doc: readonly string[];
  /** The name is a reserved sized built-in (`uint64`): only legal in legacy typedefs. */
  readonly builtinName: boolean;
}

interface AstBase {
  readonly doc: readonly string[];
  /** Span of the declared name (or of the first token when there is none). */
  readonly span: SourceSpan;
  readonly file: string;
}

export interface AstModule extends AstBase {
  readonly kind: 'module';
  readonly name: string;
  readonly members: readonly AstDecl[];
}

export interface AstInterface extends AstBase {
  readonly kind: 'interface';
  readonly name: string;
  readonly prefix: 'local' | 'ext_params' | undefined;
  readonly prefixSpan: SourceSpan | undefined;
  readonly forward: boolean;
  readonly base: AstName | undefined;
  readonly members: readonly AstDecl[];
}

export interface AstStruct extends AstBase {
  readonly kind: 'struct';
  readonly name: string;
  readonly members: readonly { readonly type: AstType; readonly declarators: readonly AstDeclarator[] }[];
}

export interface AstUnion extends AstBase {
  readonly kind: 'union';
  readonly name: string;
  readonly discriminator: AstType;
  readonly cases: readonly {
    readonly labels: readonly (AstExpr | { readonly kind: 'default'; readonly span: SourceSpan })[];
    readonly type: AstType;
    readonly declarator: AstDeclarator;
  }[];
}

export interface AstEnum extends AstBase {
  readonly kind: 'enum';
  readonly name: string;
  readonly enumerators: readonly { readonly name: string; readonly span: SourceSpan; readonly doc: readonly string[] }[];
}

export interface AstTypedef extends AstBase {
  readonly kind: 'typedef';
  readonly type: AstType;
  readonly declarators: readonly AstDeclarator[];
}

export interface AstNative extends AstBase {
  readonly kind: 'native';
  readonly name: string;
}

export interface AstConst extends AstBase {
  readonly kind: 'const';
  readonly type: AstType;
  readonly name: string;
  readonly expr: AstExpr;
}

export interface AstParam {
  readonly mode: 'in' | 'rout' | 'inrout';
  readonly notnil: SourceSpan | undefined;
  readonly type: AstType;
  readonly name: string;
  readonly span: SourceSpan;
}

export interface AstMethod extends AstBase {
  readonly kind: 'method';
  readonly name: string;
  readonly attribute: { readonly name: string; readonly span: SourceSpan } | undefined;
  readonly async: boolean;
  readonly returnType: AstType | 'void';
  readonly returnSpan: SourceSpan;
  readonly params: readonly AstParam[];
}

export interface AstAttribute extends AstBase {
  readonly kind: 'attribute';
  readonly readonly: boolean;
  readonly type: AstType;
  readonly names: readonly { readonly name: string; readonly span: SourceSpan }[];
}

export type AstDecl =
  AstModule | AstInterface | AstStruct | AstUnion | AstEnum | AstTypedef | AstNative | AstConst | AstMethod | AstAttribute;
