import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CommonCodes, type CodeInfo } from './diagnostics/codes.ts';

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

/** Why an input or included path was not read (not a regular file, too large). */
export interface InputRefusal {
  readonly refused: CodeInfo;
  readonly message: string;
}

/** A file's text, `undefined` when there is no such file, or why it was refused. */
export type ReadResult = string | undefined | InputRefusal;

/** How the front ends read inputs and includes (tests and `compile({ readFile })` read from memory). */
export type ReadFile = (path: string) => ReadResult;

/** Largest IDL file the generator reads: far above any real interface, far below trouble. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export function isRefusal(r: unknown): r is InputRefusal {
  return typeof r === 'object' && r !== null && 'refused' in r;
}

/**
 * Reads an IDL file from disk. Only regular files are read, and only up to MAX_INPUT_BYTES:
 * `/dev/zero`, a FIFO or a directory is refused before anything is read.
 */
export function readInputFile(path: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const what = st.isDirectory()
        ? 'a directory'
        : st.isFIFO()
          ? 'a pipe'
          : st.isCharacterDevice() || st.isBlockDevice()
            ? 'a device'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file';
      return { refused: CommonCodes.INPUT_NOT_REGULAR, message: `${path} is ${what}, not a regular file` };
    }
    if (st.size > MAX_INPUT_BYTES) {
      return {
        refused: CommonCodes.INPUT_TOO_LARGE,
        message: `${path} is ${st.size} bytes; IDL files are limited to ${MAX_INPUT_BYTES} bytes (16 MiB)`,
      };
    }
    // Read what stat promised, plus one byte to notice a file that grew meanwhile.
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, n);
    if (n > st.size) return { refused: CommonCodes.INPUT_TOO_LARGE, message: `${path} grew while it was being read` };
    return buf.toString('utf8', 0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
