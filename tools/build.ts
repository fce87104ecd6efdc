/**
 * `npm run build`: the package's dist/ (run by `prepare` and `prepack`).
 * 1. tsc (tsconfig.build.json) compiles generator/ and runtime/ to JavaScript and declarations,
 *    module for module, for users who import the library; relative `.ts` imports become `.js`
 *    (in the declarations too, which tsc leaves as written).
 * 2. Files tsc does not emit are copied: the worker bootstrap, the precompiled templates and the
 *    template sources users start their overrides from.
 * 3. esbuild bundles the command line into dist/cli/: one entry module plus one chunk per command,
 *    loaded when that command runs. A CLI started once per IDL file pays for every module it
 *    resolves and compiles; the bundle (chevrotain included, tree-shaken) loads a fraction.
 *    ts-morph (only for --target js+dts) stays a package import.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

/** `from './x.ts'` -> `from './x.js'` in declaration files (relative specifiers only). */
function fixDeclarationImports(): void {
  for (const f of filesUnder(dist, '.d.ts')) {
    const text = readFileSync(f, 'utf8');
    const fixed = text.replace(/(\bfrom\s+|\bimport\(\s*)(['"])(\.{1,2}\/[^'"]+?)\.ts\2/g, '$1$2$3.js$2');
    if (fixed !== text) writeFileSync(f, fixed);
  }
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(join(dist, to)), { recursive: true });
  copyFileSync(join(root, from), join(dist, to));
}

rmSync(dist, { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
fixDeclarationImports();
copy('runtime/transport/worker-bootstrap.mjs', 'runtime/transport/worker-bootstrap.mjs');
const templates = 'generator/emit/templates';
for (const f of readdirSync(join(root, templates))) if (/\.(hbs|js|d\.ts)$/.test(f)) copy(`${templates}/${f}`, `${templates}/${f}`);

/**
 * The CLI bundle imports chevrotain's ES modules directly: generator/chevrotain.ts picks its
 * single-file build at run time, which a bundler cannot follow.
 */
const chevrotainDirect = {
  name: 'chevrotain-direct',
  setup(b: import('esbuild').PluginBuild): void {
    b.onLoad({ filter: /[\\/]generator[\\/]chevrotain\.ts$/ }, () => ({
      contents:
        "export { createToken, Lexer, CstParser, EOF, EmbeddedActionsParser, LLkLookaheadStrategy, generateCstDts } from 'chevrotain';\n" +
        "export const chevrotainSource = 'bundle';\n",
      loader: 'ts',
      resolveDir: root,
    }));
  },
};

/**
 * commander loads node:child_process for executable subcommands, which dspidl does not have;
 * loading it (with net, dgram and streams) costs a sixth of Node's own start-up. The bundle gets
 * a stand-in that loads the real module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b: import('esbuild').PluginBuild): void {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'dspidl-lazy'
        ? { path: 'node:child_process', external: true }
        : { path: 'child_process', namespace: 'dspidl-lazy' },
    );
    b.onLoad({ filter: /.*/, namespace: 'dspidl-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_target, key) => require('node:child_process')[key] });\n",
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: { program: join(root, 'generator/cli/program.ts') },
  outdir: join(dist, 'cli'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: ['ts-morph', 'typescript'],
  // Bundled CommonJS dependencies (commander, handlebars) call require().
  banner: {
    js: "import { createRequire as __dspidlCreateRequire } from 'node:module'; const require = __dspidlCreateRequire(import.meta.url);",
  },
  plugins: [chevrotainDirect, lazyChildProcess],
  logLevel: 'warning',
});
// Read by test/setup/dist.ts: the sources older than this were built.
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
console.log(`built ${filesUnder(dist, '.js').length} modules into dist/ (the CLI bundled in dist/cli/)`);
