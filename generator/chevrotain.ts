/**
 * chevrotain, loaded from its single-file ESM bundle when it can be found: the
 * package's entry point pulls in about a hundred modules, which costs several
 * times the start-up of the bundle. Falls back to the entry point otherwise.
 * Import chevrotain's runtime values from here (types may come from 'chevrotain').
 */
import type * as Chevrotain from 'chevrotain';

async function load(): Promise<{ module: typeof Chevrotain; source: 'bundle' | 'entry' }> {
  try {
    const entry = import.meta.resolve('chevrotain');
    const bundle = new URL('../chevrotain.mjs', entry).href;
    if (!bundle.endsWith('/lib/chevrotain.mjs')) throw new Error('unexpected chevrotain layout');
    return { module: (await import(bundle)) as typeof Chevrotain, source: 'bundle' };
  } catch {
    return { module: await import('chevrotain'), source: 'entry' };
  }
}

const { module: chevrotain, source } = await load();
/** Which copy was loaded (for tests and start-up diagnostics). */
export const chevrotainSource = source;

export const { createToken, Lexer, CstParser, EOF, EmbeddedActionsParser, generateCstDts } = chevrotain;
