/**
 * chevrotain's LL(k) lookahead, built per decision on first use instead of for the whole grammar
 * when the parser is constructed. A `dspidl check` of one file meets a fraction of the grammar's
 * decisions, and precomputing all of them was the largest part of building a parser.
 * The functions are chevrotain's own; only when they are built changes.
 */
import type { ILookaheadStrategy, ILookaheadValidationError, IOrAlt, Rule, TokenType } from 'chevrotain';
import { LLkLookaheadStrategy } from './chevrotain.ts';

type AlternationOptions = Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0];
type OptionalOptions = Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0];
type ChooseAlternative = (this: unknown, orAlts?: IOrAlt<unknown>[]) => number | undefined;
type TakeOptional = (this: unknown) => boolean;

export class LazyLookaheadStrategy implements ILookaheadStrategy {
  private readonly llk: ILookaheadStrategy;

  constructor(maxLookahead: number) {
    this.llk = new LLkLookaheadStrategy({ maxLookahead });
  }

  validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
    return this.llk.validate(options);
  }

  initialize(options: { rules: Rule[] }): void {
    this.llk.initialize?.(options);
  }

  buildLookaheadForAlternation(options: AlternationOptions): ChooseAlternative {
    const llk = this.llk;
    let built: ChooseAlternative | undefined;
    // chevrotain calls lookahead functions with the parser as `this`.
    return function (this: unknown, orAlts?: IOrAlt<unknown>[]): number | undefined {
      built ??= llk.buildLookaheadForAlternation(options) as ChooseAlternative;
      return built.call(this, orAlts);
    };
  }

  buildLookaheadForOptional(options: OptionalOptions): TakeOptional {
    const llk = this.llk;
    let built: TakeOptional | undefined;
    return function (this: unknown): boolean {
      built ??= llk.buildLookaheadForOptional(options) as TakeOptional;
      return built.call(this);
    };
  }
}
