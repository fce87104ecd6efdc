/**
 * How a worker thread or child process loads its entry and the DSP program it runs. From the
 * compiled package nothing is needed for JavaScript programs. TypeScript needs a loader: a
 * user's `.ts` program is accepted when tsx is installed in the user's project (found from the
 * program's location), and dspidl running from its own sources uses the tsx of its checkout and
 * resolves its own package name to the sources (the `dspidl-source` condition).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when this module is the TypeScript source, not the compiled package. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

const SOURCE_CONDITION = '--conditions=dspidl-source';

export interface ModuleLoading {
  /** URL of tsx's ESM `register` API, to call before importing TypeScript; undefined for plain JS. */
  readonly tsxApi: string | undefined;
  /** URL of tsx's loader, for `node --import` in a child process. */
  readonly tsxLoader: string | undefined;
  /** Node flags for the worker or child: this process's own, plus the source condition when needed. */
  readonly execArgv: readonly string[];
}

const isTypeScript = (url: string): boolean => /\.[cm]?ts$/.test(url.split('?')[0] ?? url);

/** The ESM file a package export maps to, found from `fromUrl` as Node would find the package. */
function esmExport(pkg: string, subpath: string, fromUrl: string): string | undefined {
  try {
    const pkgJson = createRequire(fromUrl).resolve(`${pkg}/package.json`);
    const exportsMap = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: Record<string, unknown> }).exports ?? {};
    let target: unknown = exportsMap[subpath];
    while (typeof target === 'object' && target !== null) {
      const t = target as Record<string, unknown>;
      target = t['import'] ?? t['default'];
    }
    return typeof target === 'string' ? pathToFileURL(join(dirname(pkgJson), target)).href : undefined;
  } catch {
    return undefined;
  }
}

/** Thrown when a TypeScript program is given but no TypeScript loader can be found for it. */
export class TypeScriptLoaderMissing extends Error {}

/**
 * What a worker or child process needs to load `programs` (module URLs or paths) besides
 * dspidl's own entry. Throws TypeScriptLoaderMissing for a `.ts` program without tsx in reach.
 */
export function moduleLoadingFor(programs: readonly string[]): ModuleLoading {
  const urls = programs.map((p) => (/^[a-z]+:/i.test(p) ? p : pathToFileURL(p).href));
  const needsTs = RUNNING_FROM_SOURCE || urls.some(isTypeScript);
  const execArgv = [...process.execArgv];
  if (RUNNING_FROM_SOURCE && !execArgv.includes(SOURCE_CONDITION)) execArgv.push(SOURCE_CONDITION);
  if (!needsTs) return { tsxApi: undefined, tsxLoader: undefined, execArgv };
  // The user's own project first (their tsx), then dspidl's (a source checkout has it).
  const bases = [...urls.filter((u) => u.startsWith('file:')), import.meta.url];
  for (const base of bases) {
    const tsxApi = esmExport('tsx', './esm/api', base);
    const tsxLoader = esmExport('tsx', '.', base);
    if (tsxApi !== undefined && tsxLoader !== undefined) return { tsxApi, tsxLoader, execArgv };
  }
  const ts = urls.find(isTypeScript) ?? urls[0] ?? '';
  throw new TypeScriptLoaderMissing(
    `${ts} is TypeScript, and no TypeScript loader was found for it: install tsx in the project (npm install --save-dev tsx) or use the compiled .js module`,
  );
}

/**
 * A module next to `base` (an `import.meta.url`), with `base`'s own extension: `.ts` in the
 * sources, `.js` in the compiled package, where a literal `./x.ts` would not exist.
 */
export function siblingModule(base: string, name: string): URL {
  const ext = /\.[cm]?[jt]s$/.exec(new URL(base).pathname)?.[0] ?? '.js';
  return new URL(`./${name}${ext}`, base);
}
