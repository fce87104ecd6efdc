/**
 * chevrotain, loaded from its single-file ESM bundle when it can be found: the package's entry
 * point pulls in about a hundred modules, which costs several times the start-up of the bundle.
 * Loaded synchronously (Node 20.19+ requires ES modules), so this module has no top-level await
 * and the generator can be required too. Falls back to the entry point otherwise. Import
 * chevrotain's runtime values from here (types may come from 'chevrotain').
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Chevrotain from 'chevrotain';

const require = createRequire(import.meta.url);

function load(): { module: typeof Chevrotain; source: 'bundle' | 'entry' } {
  try {
    // The entry point is lib/src/api.js; the bundle is lib/chevrotain.mjs.
    const bundle = join(dirname(require.resolve('chevrotain')), '..', 'chevrotain.mjs');
    if (!existsSync(bundle)) throw new Error('unexpected chevrotain layout');
    return { module: require(bundle) as typeof Chevrotain, source: 'bundle' };
  } catch {
    return { module: require('chevrotain') as typeof Chevrotain, source: 'entry' };
  }
}

const { module: chevrotain, source } = load();
/** Which copy was loaded (for tests and start-up diagnostics). */
export const chevrotainSource = source;

export const { createToken, Lexer, CstParser, EOF, EmbeddedActionsParser, LLkLookaheadStrategy, generateCstDts } = chevrotain;
