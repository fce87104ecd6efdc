/** Syntax tree of one QMI IDL file, as parsed (names unresolved, numbers unevaluated). */
import type { SourceSpan } from '../source.ts';
import type { QmiDoc } from '../model/qmi.ts';

export type Expr =
  | { readonly kind: 'int'; readonly image: string; readonly span: SourceSpan }
  | { readonly kind: 'ref'; readonly name: string; readonly span: SourceSpan }
  /** An operand the parser had to skip after a syntax error is undefined. */
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: Expr | undefined;
      readonly right: Expr | undefined;
      readonly span: SourceSpan;
    };

/** Nodes that can carry documentation; `doc` is filled after parsing from the comments. */
export interface Documented {
  /** Offset of the node's first token (for matching comments). */
  readonly start: number;
  doc?: QmiDoc;
}

export interface AstArraySpec {
  readonly kind: 'fixed' | 'variable';
  readonly size: Expr;
  readonly span: SourceSpan;
}

export interface AstMember extends Documented {
  readonly typeName: string;
  readonly typeSpan: SourceSpan;
  readonly name: string;
  readonly span: SourceSpan;
  readonly array?: AstArraySpec;
}

export interface AstElement extends AstMember {
  readonly presence: 'mandatory' | 'optional';
  /** Explicit TLV type (`… name = 0x15;`), a dspidl extension. */
  readonly tlv?: Expr;
}

export interface AstEnumMember extends Documented {
  readonly name: string;
  readonly span: SourceSpan;
  readonly value?: Expr;
}

export interface AstInclude {
  readonly kind: 'include';
  readonly path: string;
  readonly span: SourceSpan;
}

export interface AstRevision {
  readonly kind: 'revision';
  readonly value: Expr;
  readonly span: SourceSpan;
}

export interface AstConst extends Documented {
  readonly kind: 'const';
  readonly name: string;
  readonly span: SourceSpan;
  readonly value: Expr;
}

export interface AstEnum extends Documented {
  readonly kind: 'enum' | 'mask';
  /** `enum`, `enum8`, `enum16`, `mask`, `mask8`, … */
  readonly keyword: string;
  readonly name: string;
  readonly span: SourceSpan;
  readonly members: readonly AstEnumMember[];
}

export interface AstStruct extends Documented {
  readonly kind: 'struct';
  readonly name: string;
  readonly span: SourceSpan;
  readonly members: readonly AstMember[];
}

export interface AstMessage extends Documented {
  readonly kind: 'message';
  readonly name: string;
  readonly span: SourceSpan;
  readonly elements: readonly AstElement[];
}

export interface AstServicePair extends Documented {
  readonly typeName: string;
  readonly typeSpan: SourceSpan;
  readonly idName: string;
  readonly span: SourceSpan;
}

export interface AstServiceGroup {
  readonly pairs: readonly AstServicePair[];
  readonly id?: Expr;
  readonly span: SourceSpan;
}

export interface AstService extends Documented {
  readonly kind: 'service';
  readonly name: string;
  readonly span: SourceSpan;
  readonly groups: readonly AstServiceGroup[];
  readonly id?: Expr;
}

export type AstItem = AstInclude | AstRevision | AstConst | AstEnum | AstStruct | AstMessage | AstService;

export interface AstFile {
  readonly path: string;
  readonly items: readonly AstItem[];
  /** `@FILE` block or the doc comment before the first include/revision. */
  readonly doc?: QmiDoc;
}
