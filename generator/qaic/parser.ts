/**
 * Grammar of the qaic IDL dialect as a chevrotain CstParser. One instance serves
 * every parse (its input is reset each time); error recovery is on so one run
 * reports every syntax error of a file.
 */
import type { CstNode, IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from '../chevrotain.ts';
import { LazyLookaheadStrategy } from '../lazy-lookahead.ts';
import { closest } from '../suggest.ts';
import * as T from './tokens.ts';

function describe(tok: IToken): string {
  if (tok.tokenType === EOF) return 'end of input';
  if (T.reservedWords.has(tok.image)) return `reserved word "${tok.image}"`;
  return `"${tok.image}"`;
}

function labelOf(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function reservedMessage(tok: IToken): string {
  return `reserved word "${tok.image}" cannot be used as a name`;
}

function reservedWhereNameExpected(tok: IToken, paths: readonly (readonly TokenType[])[]): boolean {
  return (
    tok.tokenType !== EOF &&
    T.reservedWords.has(tok.image) &&
    paths.some((p) => p[0] === T.Identifier) &&
    !paths.some((p) => p[0] === tok.tokenType)
  );
}

/** How a missing ';' message starts: the diagnostic then points just after the previous token. */
export const MISSING_SEMI = 'expected ";"';

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    if (actual.image === 'out' || actual.image === 'inout') {
      return `"${actual.image}" is not a qaic parameter mode; use ${actual.image === 'out' ? '"rout"' : '"inrout"'} (modes are in, rout and inrout)`;
    }
    if (expected === EOF) return messages.buildNotAllInputParsedMessage({ firstRedundant: actual, ruleName: 'specification' });
    if (expected === T.Identifier && actual.tokenType !== EOF && T.reservedWords.has(actual.image)) {
      return reservedMessage(actual);
    }
    // `sequnce<long>`: a misspelled template type reads as a name followed by '<'.
    if (actual.tokenType === T.LAngle && previous?.tokenType === T.Identifier) {
      const near = closest(previous.image, ['sequence', 'string', 'wstring']);
      if (near !== undefined) return `unexpected "<" after "${previous.image}"; did you mean '${near}'?`;
    }
    // Reported where the ';' belongs, after the previous token (index.ts places it there).
    if (expected === T.Semi && previous !== undefined && previous.tokenType !== EOF && Number.isFinite(previous.startOffset)) {
      return `${MISSING_SEMI} after ${describe(previous)}, found ${describe(actual)}`;
    }
    return `unexpected ${describe(actual)}, expecting ${labelOf(expected)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}: expecting a declaration (typedef, struct, union, enum, native, const, interface or module); methods are only allowed inside an interface`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const first = actual[0];
    if (first && reservedWhereNameExpected(first, expectedPathsPerAlt.flat())) return reservedMessage(first);
    const expected = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) expected.add(labelOf(path[0]));
    const got = first ? describe(first) : 'end of input';
    if (ruleName === 'definition') {
      return `unexpected ${got}: expecting a declaration (typedef, struct, union, enum, native, const, interface or module); methods are only allowed inside an interface`;
    }
    if (ruleName === 'paramMode') return `unexpected ${got}, expecting a parameter mode: "in", "rout" or "inrout"`;
    return `unexpected ${got}, expecting ${[...expected].slice(0, 12).join(', ')}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const first = actual[0];
    if (first && reservedWhereNameExpected(first, expectedIterationPaths)) return reservedMessage(first);
    const expected = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) expected.add(labelOf(path[0]));
    const got = first ? describe(first) : 'end of input';
    if (ruleName === 'structType') return `unexpected ${got}: a struct needs at least one member`;
    return `unexpected ${got}, expecting ${[...expected].slice(0, 12).join(', ')}`;
  },
};

/**
 * Replaces a finished `definition` or `export` subtree before it joins its parent: see
 * `QaicParser.cstPostNonTerminal`.
 */
export type EarlyBuild = (node: CstNode) => CstNode;

/** Chevrotain's own way of attaching a finished subrule's CST to its parent. */
type PostNonTerminal = (this: QaicParser, node: CstNode, ruleName: string) => void;

const basePostNonTerminal = (CstParser.prototype as unknown as { cstPostNonTerminal?: PostNonTerminal }).cstPostNonTerminal;

export class QaicParser extends CstParser {
  /** Set by parseTokens for the length of one parse. */
  private early: EarlyBuild | undefined;

  /**
   * Alternatives and separator options built once: with keepNames (tsx) every
   * inline `{ ALT: () => ... }` would otherwise cost a defineProperty per call.
   */
  private readonly cache: unknown[] = [];

  constructor() {
    // Grammar validation only matters while the grammar changes; the test run keeps it on.
    super(T.allTokens, {
      recoveryEnabled: true,
      errorMessageProvider: messages,
      maxLookahead: 2,
      lookaheadStrategy: new LazyLookaheadStrategy(2),
      skipValidations: process.env['VITEST'] === undefined,
    });
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain calls this with every finished subrule. A complete, error-free `definition` or
   * `export` first goes through `early`, which builds its declarations and hands back a node
   * with no children: a large file's syntax tree then dies young, instead of outliving V8's
   * young generation while the rest of the file is parsed (the generate.* benchmarks).
   */
  cstPostNonTerminal(node: CstNode, ruleName: string): void {
    const early = this.early;
    const replace = (ruleName === 'definition' || ruleName === 'export') && node.recoveredNode !== true && this.errors.length === 0;
    basePostNonTerminal?.call(this, early !== undefined && replace ? early(node) : node, ruleName);
  }

  /** Parses `tokens`, passing each complete definition and export through `early` if given. */
  parse(tokens: IToken[], early: EarlyBuild | undefined): CstNode {
    this.input = tokens;
    this.early = early;
    try {
      return this.specification();
    } finally {
      this.early = undefined;
    }
  }

  public specification = this.RULE('specification', () => {
    this.MANY(() => this.SUBRULE(this.definition));
  });

  public definition = this.RULE('definition', () => {
    this.OR(
      (this.cache[0] ??= [
        { ALT: () => this.SUBRULE(this.typeDcl) },
        { ALT: () => this.SUBRULE(this.constDcl) },
        { ALT: () => this.SUBRULE(this.interfaceDcl) },
        { ALT: () => this.SUBRULE(this.moduleDcl) },
      ]) as never,
    );
    this.CONSUME(T.Semi);
  });

  public moduleDcl = this.RULE('moduleDcl', () => {
    this.CONSUME(T.Module);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.definition));
    this.CONSUME(T.RCurly);
  });

  public interfaceDcl = this.RULE('interfaceDcl', () => {
    this.OPTION(() =>
      this.OR((this.cache[1] ??= [{ ALT: () => this.CONSUME(T.Local) }, { ALT: () => this.CONSUME(T.ExtParams) }]) as never),
    );
    this.CONSUME(T.Interface);
    this.CONSUME(T.Identifier);
    this.OPTION2(() => {
      this.OPTION3(() => {
        this.CONSUME(T.Colon);
        this.SUBRULE(this.scopedName);
      });
      this.CONSUME(T.LCurly);
      this.MANY(() => this.SUBRULE(this.export));
      this.CONSUME(T.RCurly);
    });
  });

  public export = this.RULE('export', () => {
    this.OR(
      (this.cache[2] ??= [
        { ALT: () => this.SUBRULE(this.typeDcl) },
        { ALT: () => this.SUBRULE(this.constDcl) },
        { ALT: () => this.SUBRULE(this.attrDcl) },
        { ALT: () => this.SUBRULE(this.opDcl) },
      ]) as never,
    );
    this.CONSUME(T.Semi);
  });

  public typeDcl = this.RULE('typeDcl', () => {
    this.OR(
      (this.cache[3] ??= [
        { ALT: () => this.SUBRULE(this.typedefDcl) },
        { ALT: () => this.SUBRULE(this.structType) },
        { ALT: () => this.SUBRULE(this.unionType) },
        { ALT: () => this.SUBRULE(this.enumType) },
        { ALT: () => this.SUBRULE(this.nativeDcl) },
      ]) as never,
    );
  });

  public typedefDcl = this.RULE('typedefDcl', () => {
    this.CONSUME(T.Typedef);
    this.SUBRULE(this.declTypeSpec);
    this.AT_LEAST_ONE_SEP((this.cache[4] ??= { SEP: T.Comma, DEF: () => this.SUBRULE(this.typedefDeclarator) }) as never);
  });

  /** Like a declarator, but the sized built-in names are allowed (legacy AEEStdDef.idl). */
  public typedefDeclarator = this.RULE('typedefDeclarator', () => {
    this.OR((this.cache[5] ??= [{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.SizedName) }]) as never);
    this.MANY(() => this.SUBRULE(this.arraySuffix));
  });

  public nativeDcl = this.RULE('nativeDcl', () => {
    this.CONSUME(T.Native);
    this.CONSUME(T.Identifier);
  });

  public structType = this.RULE('structType', () => {
    this.CONSUME(T.Struct);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.member));
    this.CONSUME(T.RCurly);
  });

  public member = this.RULE('member', () => {
    this.SUBRULE(this.declTypeSpec);
    this.AT_LEAST_ONE_SEP((this.cache[6] ??= { SEP: T.Comma, DEF: () => this.SUBRULE(this.declarator) }) as never);
    this.CONSUME(T.Semi);
  });

  public declarator = this.RULE('declarator', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.arraySuffix));
  });

  public arraySuffix = this.RULE('arraySuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.constExpr);
    this.CONSUME(T.RBracket);
  });

  public unionType = this.RULE('unionType', () => {
    this.CONSUME(T.Union);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Switch);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeSpec);
    this.CONSUME(T.RParen);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.unionCase));
    // qaic: the default case, if any, comes last and has no other labels
    this.OPTION(() => this.SUBRULE(this.defaultCase));
    this.CONSUME(T.RCurly);
  });

  public unionCase = this.RULE('unionCase', () => {
    this.AT_LEAST_ONE(() => this.SUBRULE(this.caseLabel));
    this.SUBRULE(this.declTypeSpec);
    this.SUBRULE(this.declarator);
    this.CONSUME(T.Semi);
  });

  public defaultCase = this.RULE('defaultCase', () => {
    this.CONSUME(T.Default);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.declTypeSpec);
    this.SUBRULE(this.declarator);
    this.CONSUME(T.Semi);
  });

  public caseLabel = this.RULE('caseLabel', () => {
    this.CONSUME(T.Case);
    this.SUBRULE(this.constExpr);
    this.CONSUME(T.Colon);
  });

  public enumType = this.RULE('enumType', () => {
    this.CONSUME(T.Enum);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.AT_LEAST_ONE_SEP((this.cache[8] ??= { SEP: T.Comma, DEF: () => this.CONSUME2(T.Identifier) }) as never);
    this.CONSUME(T.RCurly);
  });

  public constDcl = this.RULE('constDcl', () => {
    this.CONSUME(T.Const);
    this.SUBRULE(this.typeSpec);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.constExpr);
  });

  public attrDcl = this.RULE('attrDcl', () => {
    this.OPTION(() => this.CONSUME(T.Readonly));
    this.CONSUME(T.Attribute);
    this.SUBRULE(this.typeSpec);
    this.AT_LEAST_ONE_SEP((this.cache[9] ??= { SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) }) as never);
  });

  public opDcl = this.RULE('opDcl', () => {
    // qaic writes `async [oneway] T f()`; the other order is accepted too
    this.OPTION3(() => this.CONSUME2(T.Async));
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.RBracket);
    });
    this.OPTION2(() => this.CONSUME(T.Async));
    this.OR((this.cache[10] ??= [{ ALT: () => this.CONSUME(T.Void) }, { ALT: () => this.SUBRULE(this.typeSpec) }]) as never);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY_SEP((this.cache[11] ??= { SEP: T.Comma, DEF: () => this.SUBRULE(this.param) }) as never);
    this.CONSUME(T.RParen);
  });

  public param = this.RULE('param', () => {
    this.SUBRULE(this.paramMode);
    this.OPTION(() => this.CONSUME(T.Notnil));
    this.SUBRULE(this.typeSpec);
    this.CONSUME(T.Identifier);
  });

  public paramMode = this.RULE('paramMode', () => {
    this.OR(
      (this.cache[12] ??= [
        { ALT: () => this.CONSUME(T.In) },
        { ALT: () => this.CONSUME(T.Rout) },
        { ALT: () => this.CONSUME(T.Inrout) },
      ]) as never,
    );
  });

  /** A type, or a struct/union/enum defined in place (typedefs, members, return types). */
  public declTypeSpec = this.RULE('declTypeSpec', () => {
    this.OR(
      (this.cache[7] ??= [
        { ALT: () => this.SUBRULE(this.structType) },
        { ALT: () => this.SUBRULE(this.unionType) },
        { ALT: () => this.SUBRULE(this.enumType) },
        { ALT: () => this.SUBRULE(this.typeSpec) },
      ]) as never,
    );
  });

  public typeSpec = this.RULE('typeSpec', () => {
    this.OR(
      (this.cache[13] ??= [
        { ALT: () => this.SUBRULE(this.primType) },
        { ALT: () => this.SUBRULE(this.sequenceType) },
        { ALT: () => this.SUBRULE(this.stringType) },
        {
          ALT: () => {
            this.CONSUME(T.Dmahandle);
            this.OPTION(() => {
              this.CONSUME(T.LAngle);
              this.SUBRULE(this.constExpr);
              this.CONSUME(T.RAngle);
            });
          },
        },
        { ALT: () => this.SUBRULE(this.scopedName) },
      ]) as never,
    );
  });

  public primType = this.RULE('primType', () => {
    this.OR(
      (this.cache[14] ??= [
        {
          ALT: () => {
            this.CONSUME(T.Unsigned);
            this.OR2(
              (this.cache[100] ??= [
                { ALT: () => this.CONSUME(T.Short) },
                {
                  ALT: () => {
                    this.CONSUME(T.Long);
                    this.OPTION(() => this.CONSUME2(T.Long));
                  },
                },
              ]) as never,
            );
          },
        },
        {
          ALT: () => {
            this.CONSUME3(T.Long);
            this.OPTION2(() => this.CONSUME4(T.Long));
          },
        },
        { ALT: () => this.CONSUME2(T.Short) },
        { ALT: () => this.CONSUME(T.Float) },
        { ALT: () => this.CONSUME2(T.Double) },
        { ALT: () => this.CONSUME2(T.Char) },
        { ALT: () => this.CONSUME(T.Wchar) },
        { ALT: () => this.CONSUME(T.Boolean) },
        { ALT: () => this.CONSUME(T.Octet) },
        { ALT: () => this.CONSUME(T.SizedName) },
      ]) as never,
    );
  });

  public sequenceType = this.RULE('sequenceType', () => {
    this.CONSUME(T.Sequence);
    this.CONSUME(T.LAngle);
    this.SUBRULE(this.typeSpec);
    this.OPTION(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE(this.constExpr);
    });
    this.CONSUME(T.RAngle);
  });

  public stringType = this.RULE('stringType', () => {
    this.OR((this.cache[15] ??= [{ ALT: () => this.CONSUME(T.StringKw) }, { ALT: () => this.CONSUME(T.Wstring) }]) as never);
    this.OPTION(() => {
      this.CONSUME(T.LAngle);
      this.SUBRULE(this.constExpr);
      this.CONSUME(T.RAngle);
    });
  });

  public scopedName = this.RULE('scopedName', () => {
    this.OPTION(() => this.CONSUME(T.DoubleColon));
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME2(T.DoubleColon);
      this.CONSUME2(T.Identifier);
    });
  });

  // Constant expressions, lowest precedence first: | ^ & shift additive multiplicative unary.
  public constExpr = this.RULE('constExpr', () => {
    this.SUBRULE(this.xorExpr);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE2(this.xorExpr);
    });
  });

  public xorExpr = this.RULE('xorExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE2(this.andExpr);
    });
  });

  public andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.shiftExpr);
    this.MANY(() => {
      this.CONSUME(T.Amp);
      this.SUBRULE2(this.shiftExpr);
    });
  });

  public shiftExpr = this.RULE('shiftExpr', () => {
    this.SUBRULE(this.addExpr);
    this.MANY(() => {
      this.OR((this.cache[16] ??= [{ ALT: () => this.CONSUME(T.ShiftLeft) }, { ALT: () => this.CONSUME(T.ShiftRight) }]) as never);
      this.SUBRULE2(this.addExpr);
    });
  });

  public addExpr = this.RULE('addExpr', () => {
    this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      this.OR((this.cache[17] ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]) as never);
      this.SUBRULE2(this.mulExpr);
    });
  });

  public mulExpr = this.RULE('mulExpr', () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.OR(
        (this.cache[18] ??= [
          { ALT: () => this.CONSUME(T.Star) },
          { ALT: () => this.CONSUME(T.Slash) },
          { ALT: () => this.CONSUME(T.Percent) },
        ]) as never,
      );
      this.SUBRULE2(this.unaryExpr);
    });
  });

  public unaryExpr = this.RULE('unaryExpr', () => {
    this.OPTION(() =>
      this.OR(
        (this.cache[19] ??= [
          { ALT: () => this.CONSUME(T.Minus) },
          { ALT: () => this.CONSUME(T.Plus) },
          { ALT: () => this.CONSUME(T.Tilde) },
        ]) as never,
      ),
    );
    this.SUBRULE(this.primaryExpr);
  });

  public primaryExpr = this.RULE('primaryExpr', () => {
    this.OR(
      (this.cache[20] ??= [
        { ALT: () => this.CONSUME(T.IntLiteral) },
        { ALT: () => this.CONSUME(T.HexLiteral) },
        { ALT: () => this.CONSUME(T.FloatLiteral) },
        { ALT: () => this.CONSUME(T.CharLiteral) },
        { ALT: () => this.CONSUME(T.WCharLiteral) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.WStringLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.SUBRULE(this.scopedName) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.constExpr);
            this.CONSUME(T.RParen);
          },
        },
      ]) as never,
    );
  });
}

let instance: QaicParser | undefined;

/** The one parser instance, built on first use (grammar analysis costs a few milliseconds). */
export function qaicParser(): QaicParser {
  instance ??= new QaicParser();
  return instance;
}

export interface ParseOutput {
  readonly cst: CstNode;
  readonly errors: readonly { readonly message: string; readonly token: IToken; readonly previous?: IToken }[];
}

/**
 * Parses a preprocessed token stream (no comments, no directives). With `early`, each complete
 * definition and export is replaced in the CST by what `early` returns as soon as it is parsed.
 */
export function parseTokens(tokens: IToken[], early?: EarlyBuild): ParseOutput {
  const parser = qaicParser();
  const cst = parser.parse(tokens, early);
  const errors = parser.errors.map((e) => ({
    message: e.message,
    token: e.token,
    previous: (e as { previousToken?: IToken }).previousToken,
  }));
  // The parser outlives the parse: it should not keep the file's tokens alive.
  parser.input = [];
  return { cst, errors };
}
