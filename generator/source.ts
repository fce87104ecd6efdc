/** A source file as the front ends see it: text plus a line index for spans. */
export interface SourceFile {
  /** Path as given by the user or resolved through include paths (forward slashes). */
  readonly path: string;
  readonly text: string;
}

/** A location in a source file. Lines and columns start at 1. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Character offset from the start of the file and length of the spanned text. */
  readonly offset: number;
  readonly length: number;
}

/** Maps character offsets to 1-based line/column pairs. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.starts[lo] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}
