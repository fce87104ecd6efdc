/** One file of a golden set: a path relative to the repository root and its expected content. */
export interface GoldenFile {
  readonly path: string;
  readonly content: string;
}

/** A named golden set: the files it produces, and the directories it owns (stale files there are errors). */
export interface GoldenSet {
  readonly name: string;
  readonly describe: string;
  /** Directories whose every file the set produces (extra files there are reported). */
  readonly owns: readonly string[];
  produce(root: string): GoldenFile[] | Promise<GoldenFile[]>;
}
