/** The header view shared by the built-in emitters. */
import { VERSION } from '../version.ts';
import type { EmitterOptions } from './emitter.ts';
import type { HeaderView } from './view-types.ts';

export function headerView(options: EmitterOptions, part: 'all' | 'types' | 'remoting'): HeaderView {
  return {
    generator: 'dspidl',
    version: VERSION,
    source: options.sourceLabel,
    parameters: options.parameters,
    part: part === 'all' ? '' : part,
  };
}
