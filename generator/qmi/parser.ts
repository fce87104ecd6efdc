/**
 * QMI IDL parser: one chevrotain parser instance, reset per input, recovery on so one
 * run reports every syntax error of a file. Builds the AST directly (embedded actions).
 */
import type { IToken, IRecognitionException, TokenType } from 'chevrotain';
import { EmbeddedActionsParser } from '../chevrotain.ts';
import { LazyLookaheadStrategy } from '../lazy-lookahead.ts';
import type { SourceSpan } from '../source.ts';
import type {
  AstArraySpec,
  AstConst,
  AstElement,
  AstEnum,
  AstEnumMember,
  AstInclude,
  AstItem,
  AstMember,
  AstMessage,
  AstRevision,
  AstService,
  AstServiceGroup,
  AstServicePair,
  AstStruct,
  Expr,
} from './ast.ts';
import * as T from './tokens.ts';

/** Token text; tokens seen while chevrotain records the grammar may lack one. */
function img(t: IToken | undefined): string {
  return typeof t?.image === 'string' ? t.image : '';
}

export function tokenSpan(file: string, t: IToken): SourceSpan {
  const len = Number.isFinite(t.endOffset) && t.endOffset !== undefined ? t.endOffset - t.startOffset + 1 : img(t).length;
  return {
    file,
    line: Number.isFinite(t.startLine) ? (t.startLine ?? 1) : 1,
    col: Number.isFinite(t.startColumn) ? (t.startColumn ?? 1) : 1,
    offset: Number.isFinite(t.startOffset) ? t.startOffset : 0,
    length: Math.max(1, len),
  };
}

class QmiParser extends EmbeddedActionsParser {
  file = '<input>';

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, lookaheadStrategy: new LazyLookaheadStrategy(3) });
    this.performSelfAnalysis();
  }

  private span(t: IToken): SourceSpan {
    return tokenSpan(this.file, t);
  }

  readonly idlFile = this.RULE('idlFile', (): AstItem[] => {
    const items: AstItem[] = [];
    this.MANY(() => {
      const item = this.SUBRULE(this.item);
      // Recovery may hand back undefined for a statement it skipped.
      this.ACTION(() => {
        if (item !== undefined) items.push(item);
      });
    });
    return items;
  });

  private readonly item = this.RULE('item', (): AstItem =>
    this.OR([
      { ALT: () => this.SUBRULE(this.include) },
      { ALT: () => this.SUBRULE(this.revision) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.structDecl) },
      { ALT: () => this.SUBRULE(this.messageDecl) },
      { ALT: () => this.SUBRULE(this.serviceDecl) },
    ]),
  );

  private readonly include = this.RULE('include', (): AstInclude => {
    this.CONSUME(T.Include);
    const s = this.CONSUME(T.StringLiteral);
    this.CONSUME(T.Semi);
    return { kind: 'include', path: img(s).slice(1, -1), span: this.span(s) };
  });

  private readonly revision = this.RULE('revision', (): AstRevision => {
    const k = this.CONSUME(T.Revision);
    const value = this.SUBRULE(this.expr);
    this.CONSUME(T.Semi);
    return { kind: 'revision', value, span: this.span(k) };
  });

  private readonly constDecl = this.RULE('constDecl', (): AstConst => {
    const k = this.CONSUME(T.Const);
    const name = this.CONSUME(T.AnyName);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expr);
    this.CONSUME(T.Semi);
    return { kind: 'const', name: img(name), span: this.span(name), value, start: k.startOffset };
  });

  private readonly enumDecl = this.RULE('enumDecl', (): AstEnum => {
    const k = this.OR([{ ALT: () => this.CONSUME(T.EnumKw) }, { ALT: () => this.CONSUME(T.MaskKw) }]);
    this.CONSUME(T.LCurly);
    const members: AstEnumMember[] = [];
    this.OPTION(() => {
      members.push(this.SUBRULE(this.enumMember));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.OPTION2(() => members.push(this.SUBRULE2(this.enumMember)));
      });
    });
    this.CONSUME(T.RCurly);
    const name = this.CONSUME2(T.AnyName);
    this.CONSUME(T.Semi);
    return {
      kind: k.tokenType === T.MaskKw ? 'mask' : 'enum',
      keyword: img(k),
      name: img(name),
      span: this.span(name),
      members: members.filter((m) => m !== undefined),
      start: k.startOffset,
    };
  });

  private readonly enumMember = this.RULE('enumMember', (): AstEnumMember => {
    const name = this.CONSUME(T.AnyName);
    let value: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      value = this.SUBRULE(this.expr);
    });
    return { name: img(name), span: this.span(name), start: name.startOffset, ...(value !== undefined ? { value } : {}) };
  });

  private readonly structDecl = this.RULE('structDecl', (): AstStruct => {
    const k = this.CONSUME(T.Struct);
    this.CONSUME(T.LCurly);
    const members: AstMember[] = [];
    this.MANY(() => {
      const m = this.SUBRULE(this.member);
      this.ACTION(() => {
        if (m !== undefined) members.push(m);
      });
    });
    this.CONSUME(T.RCurly);
    const name = this.CONSUME(T.AnyName);
    this.CONSUME(T.Semi);
    return { kind: 'struct', name: img(name), span: this.span(name), members, start: k.startOffset };
  });

  private readonly member = this.RULE('member', (): AstMember => {
    const type = this.CONSUME(T.AnyName);
    const name = this.CONSUME2(T.AnyName);
    const array = this.OPTION(() => this.SUBRULE(this.arraySpec));
    this.CONSUME(T.Semi);
    return {
      typeName: img(type),
      typeSpan: this.span(type),
      name: img(name),
      span: this.span(name),
      start: type.startOffset,
      ...(array !== undefined ? { array } : {}),
    };
  });

  private readonly arraySpec = this.RULE('arraySpec', (): AstArraySpec =>
    this.OR([
      {
        ALT: () => {
          const o = this.CONSUME(T.LSquare);
          const size = this.SUBRULE(this.expr);
          this.CONSUME(T.RSquare);
          return { kind: 'fixed' as const, size, span: this.span(o) };
        },
      },
      {
        ALT: () => {
          const o = this.CONSUME(T.LAngle);
          const size = this.SUBRULE2(this.expr);
          this.CONSUME(T.RAngle);
          return { kind: 'variable' as const, size, span: this.span(o) };
        },
      },
    ]),
  );

  private readonly messageDecl = this.RULE('messageDecl', (): AstMessage => {
    const k = this.CONSUME(T.Message);
    this.CONSUME(T.LCurly);
    const elements: AstElement[] = [];
    this.MANY(() => {
      const e = this.SUBRULE(this.element);
      this.ACTION(() => {
        if (e !== undefined) elements.push(e);
      });
    });
    this.CONSUME(T.RCurly);
    const name = this.CONSUME(T.AnyName);
    this.CONSUME(T.Semi);
    return { kind: 'message', name: img(name), span: this.span(name), elements, start: k.startOffset };
  });

  private readonly element = this.RULE('element', (): AstElement => {
    const p = this.OR([{ ALT: () => this.CONSUME(T.Mandatory) }, { ALT: () => this.CONSUME(T.Optional) }]);
    const type = this.CONSUME(T.AnyName);
    const name = this.CONSUME2(T.AnyName);
    const array = this.OPTION(() => this.SUBRULE(this.arraySpec));
    const tlv = this.OPTION2(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.expr);
    });
    this.CONSUME(T.Semi);
    return {
      presence: p.tokenType === T.Optional ? 'optional' : 'mandatory',
      typeName: img(type),
      typeSpan: this.span(type),
      name: img(name),
      span: this.span(name),
      start: p.startOffset,
      ...(array !== undefined ? { array } : {}),
      ...(tlv !== undefined ? { tlv } : {}),
    };
  });

  private readonly serviceDecl = this.RULE('serviceDecl', (): AstService => {
    const k = this.CONSUME(T.Service);
    const name = this.CONSUME(T.AnyName);
    this.CONSUME(T.LCurly);
    const groups: AstServiceGroup[] = [];
    this.MANY(() => {
      const g = this.SUBRULE(this.serviceGroup);
      this.ACTION(() => {
        if (g !== undefined) groups.push(g);
      });
    });
    this.CONSUME(T.RCurly);
    const id = this.OPTION(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.expr);
    });
    this.CONSUME(T.Semi);
    return { kind: 'service', name: img(name), span: this.span(name), groups, start: k.startOffset, ...(id !== undefined ? { id } : {}) };
  });

  private readonly serviceGroup = this.RULE('serviceGroup', (): AstServiceGroup => {
    const pairs: AstServicePair[] = [this.SUBRULE(this.servicePair)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      pairs.push(this.SUBRULE2(this.servicePair));
    });
    const id = this.OPTION(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.expr);
    });
    this.CONSUME(T.Semi);
    const first = pairs[0];
    return {
      pairs: pairs.filter((p) => p !== undefined),
      span: first?.typeSpan ?? { file: this.file, line: 1, col: 1, offset: 0, length: 1 },
      ...(id !== undefined ? { id } : {}),
    };
  });

  private readonly servicePair = this.RULE('servicePair', (): AstServicePair => {
    const type = this.CONSUME(T.AnyName);
    const id = this.CONSUME2(T.AnyName);
    return { typeName: img(type), typeSpan: this.span(type), idName: img(id), span: this.span(id), start: type.startOffset };
  });

  private readonly expr = this.RULE('expr', (): Expr => {
    let left = this.SUBRULE(this.term);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.term);
      left = { kind: 'binary', op: img(op) === '-' ? '-' : '+', left, right, span: this.span(op) };
    });
    return left;
  });

  private readonly term = this.RULE('term', (): Expr => {
    let left = this.SUBRULE(this.atom);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      const right = this.SUBRULE2(this.atom);
      left = { kind: 'binary', op: img(op) === '/' ? '/' : '*', left, right, span: this.span(op) };
    });
    return left;
  });

  private readonly atom = this.RULE('atom', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.HexInteger);
          return { kind: 'int' as const, image: img(t), span: this.span(t) };
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.DecInteger);
          return { kind: 'int' as const, image: img(t), span: this.span(t) };
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Identifier);
          return { kind: 'ref' as const, name: img(t), span: this.span(t) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const e = this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
          return e;
        },
      },
    ]),
  );
}

let instance: QmiParser | undefined;

/** Deeper than any real IDL; keeps the recursive-descent parser far from the stack limit. */
export const MAX_NESTING = 64;

/** The token that opens one nesting level too many, if any. */
function nestingTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const ty = t.tokenType;
    if (ty === T.LParen || ty === T.LCurly || ty === T.LAngle) {
      if (++depth > MAX_NESTING) return t;
    } else if (ty === T.RParen || ty === T.RCurly || ty === T.RAngle) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

export interface ParseOutput {
  /** Set when the input nests deeper than MAX_NESTING: nothing was parsed. */
  readonly tooDeep?: IToken;
  readonly items: AstItem[];
  readonly comments: readonly IToken[];
  readonly lexErrors: readonly { offset: number; line: number; column: number; length: number; message: string }[];
  readonly parseErrors: readonly IRecognitionException[];
}

/** Parse one file's text. The parser is created on first use and reused. */
export function parseQmiText(file: string, text: string): ParseOutput {
  instance ??= new QmiParser();
  // A UTF-8 byte order mark is not part of the text; blank it so offsets stay put.
  const lex = T.qmiLexer().tokenize(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  const lexErrors = lex.errors.map((e) => ({
    offset: e.offset,
    line: e.line ?? 1,
    column: e.column ?? 1,
    length: e.length,
    message: e.message,
  }));
  const tooDeep = nestingTooDeep(lex.tokens);
  if (tooDeep) return { tooDeep, items: [], comments: [], lexErrors, parseErrors: [] };
  instance.file = file;
  instance.input = lex.tokens;
  const items = instance.idlFile() ?? [];
  const parseErrors = [...instance.errors];
  // The parser outlives the parse: it should not keep the file's tokens alive.
  instance.input = [];
  const comments = (lex.groups['comments'] ?? []) as IToken[];
  return {
    items: items.filter((i) => i !== undefined),
    comments,
    lexErrors,
    parseErrors,
  };
}

export type { TokenType };
