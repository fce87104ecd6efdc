/**
 * `--target js+dts`: the emitted TypeScript turned into JavaScript plus declarations with
 * ts-morph (the TypeScript compiler API), so both targets come from the same code and can never
 * drift apart. Generated modules annotate everything they export, so declarations need no type
 * information from other modules (TypeScript's isolatedDeclarations), and nothing is resolved.
 * ts-morph is loaded only when this target is asked for.
 */
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { CommonCodes } from '../diagnostics/codes.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';

type TsMorph = typeof import('ts-morph');

interface OutFile {
  readonly path: string;
  readonly content: string;
}

const require = createRequire(import.meta.url);

/** The in-memory path of an output file (ts-morph's memory file system is rooted at `/`). */
const memPath = (path: string, i: number): string => posix.join('/out', String(i), path.split('\\').join('/'));

export function toJsAndDts(files: readonly OutFile[], diagnostics: Diagnostic[]): { files: OutFile[]; diagnostics: Diagnostic[] } {
  const tsFiles = files.filter((f) => f.path.endsWith('.ts') && !f.path.endsWith('.d.ts'));
  if (tsFiles.length === 0) return { files: [...files], diagnostics };
  let morph: TsMorph;
  try {
    morph = require('ts-morph') as TsMorph;
  } catch (e) {
    diagnostics.push({
      code: CommonCodes.TARGET_FAILED.code,
      severity: 'error',
      message: `--target js+dts needs ts-morph, which could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
    });
    return { files: [], diagnostics };
  }
  const { Project, ts } = morph;
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      declaration: true,
      isolatedDeclarations: true,
      rewriteRelativeImportExtensions: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      noResolve: true,
      noLib: true,
      removeComments: false,
      newLine: ts.NewLineKind.LineFeed,
    },
  });
  const back = new Map<string, string>();
  const headers = new Map<string, string>();
  tsFiles.forEach((f, i) => {
    const p = memPath(f.path, i);
    project.createSourceFile(p, f.content, { overwrite: true });
    back.set(p.replace(/\.ts$/, ''), f.path.replace(/\.ts$/, ''));
    headers.set(f.path.replace(/\.ts$/, ''), generatedHeader(f.content));
  });
  const result = project.emitToMemory();
  const emitted: OutFile[] = [];
  for (const e of result.getFiles()) {
    const stem = e.filePath.replace(/\.d\.ts$|\.js$/, '');
    const ext = e.filePath.endsWith('.d.ts') ? '.d.ts' : '.js';
    const orig = back.get(stem);
    if (orig === undefined) continue;
    // Declarations lose the file's leading comments; the @generated banner belongs there too.
    const header = ext === '.d.ts' ? (headers.get(orig) ?? '') : '';
    emitted.push({ path: `${orig}${ext}`, content: header !== '' && !e.text.startsWith(header) ? `${header}${e.text}` : e.text });
  }
  const expected = tsFiles.length * 2;
  if (result.getEmitSkipped() || emitted.length !== expected) {
    const why = result
      .getDiagnostics()
      .map((d) => morph.ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n'))
      .join('; ');
    diagnostics.push({
      code: CommonCodes.TARGET_FAILED.code,
      severity: 'error',
      message: `TypeScript emitted ${emitted.length} of ${expected} files${why ? `: ${why}` : ''}`,
    });
    return { files: [], diagnostics };
  }
  const others = files.filter((f) => !tsFiles.includes(f));
  return { files: [...others, ...emitted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))], diagnostics };
}

/** The leading `//` comment lines of a generated module (its @generated banner). */
function generatedHeader(content: string): string {
  const lines: string[] = [];
  for (const l of content.split('\n')) {
    if (!l.startsWith('//')) break;
    lines.push(l);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
