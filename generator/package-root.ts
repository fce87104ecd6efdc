/**
 * Files dspidl ships beside its code: the bundled standard IDLs (`idl/`) and the built-in
 * templates. Found by walking up from this module to dspidl's package.json, so the same code
 * works from the sources, from `dist/`, and from a bundled CLI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readInputFile, type ReadFile } from './source.ts';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding dspidl's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'dspidl') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`dspidl's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/**
 * The standard IDLs bundled with dspidl (AEEStdDef.idl, remote.idl, common_v01.idl, ...). They
 * are on the include path after the user's own directories, as protoc's well-known types are,
 * and generated code imports their modules from the package (`dspidl/interfaces/<name>`).
 */
export function bundledIdlDir(): string {
  const dir = join(packageRoot(), 'idl');
  // Shown in diagnostics and headers: relative to the working directory when it is below it.
  const rel = relative(process.cwd(), dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : dir;
}

/**
 * A reader that falls back to the disk for the bundled standard IDLs, so `readFile` hooks that
 * serve only the caller's own files (tests, in-memory compiles) still find `remote.idl`.
 */
export function withBundledIdl(read: ReadFile): ReadFile {
  const dir = bundledIdlDir();
  const prefix = `${dir}/`;
  return (p) => {
    const r = read(p);
    return r === undefined && (p.startsWith(prefix) || p.startsWith(`${resolve(dir)}${sep}`)) ? readInputFile(p) : r;
  };
}
