/** Loads in-memory IDL sources through the QAIC front end and dumps their API. */
import { dumpApi } from '../../generator/api/dump.ts';
import type { ApiDump } from '../../generator/api/dump.ts';
import { hasErrors } from '../../generator/diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../../generator/diagnostics/render.ts';
import { loadQaicProgram } from '../../generator/qaic/index.ts';

export const REMOTE_IDL = `#ifndef REMOTE_IDL
#define REMOTE_IDL
interface remote_handle64 {
   long open(in string uri, rout remote_handle64 h);
   long close(in remote_handle64 h);
};
#endif
`;

/** `files` maps a bare file name to its text; includes are looked up by their last path segment. */
export function dumpSources(files: Readonly<Record<string, string>>, root: string): ApiDump {
  const all: Record<string, string> = { 'remote.idl': REMOTE_IDL, ...files };
  const result = loadQaicProgram({
    files: [root],
    includeDirs: ['inc'],
    readFile: (p) => all[p.split('/').pop() ?? p],
  });
  if (hasErrors(result.diagnostics)) {
    throw new Error(`IDL did not load:\n${renderDiagnostics(result.diagnostics, { sources: new Map(Object.entries(all)) })}`);
  }
  return dumpApi(result.value);
}

export function dumpIdl(text: string): ApiDump {
  return dumpSources({ 'api.idl': text }, 'api.idl');
}
