import type { SourceSpan } from '../source.ts';

export type Severity = 'error' | 'warning';

/**
 * One finding of a front end or validator. Diagnostics are data: stages return them
 * and the CLI renders them, so every error of a run can be reported at once.
 */
export interface Diagnostic {
  /** Stable code, e.g. `QAIC012`; every code is listed in diagnostics/codes.ts. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for problems that have no place in a file (a missing input file). */
  readonly span?: SourceSpan;
  /** Where in the model the problem is: `['interface apps_std', 'method fopen', 'param mode']`. */
  readonly context?: readonly string[];
  /** Other places the problem involves (the first of two colliding names), shown as notes. */
  readonly related?: readonly RelatedSpan[];
}

export interface RelatedSpan {
  readonly span: SourceSpan;
  readonly message: string;
}

/** Result of a pipeline stage: a value (possibly partial) and what went wrong producing it. */
export interface StageResult<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
