/**
 * Mutated-IDL generator and the invariant the QAIC front end must keep on any
 * input: it returns diagnostics or a model and never throws; every diagnostic
 * has a code and, when located, a position inside a file it read, and renders.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadQaicProgram } from '../../generator/qaic/index.ts';
import { renderDiagnostics } from '../../generator/diagnostics/render.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const confDir = `${root}test/conformance/qaic/idl`;

/** Seed corpus: the conformance IDLs and our own idl/ sources. */
export const seeds: readonly string[] = [
  ...readdirSync(confDir)
    .filter((f) => f.endsWith('.idl'))
    .map((f) => readFileSync(`${confDir}/${f}`, 'utf8')),
  ...readdirSync(`${root}idl`)
    .filter((f) => f.endsWith('.idl') && !f.includes('.qmi.'))
    .map((f) => readFileSync(`${root}idl/${f}`, 'utf8')),
];

const includeFiles: Record<string, string> = Object.fromEntries(
  readdirSync(confDir)
    .filter((f) => f.endsWith('.idl'))
    .map((f) => [`inc/${f}`, readFileSync(`${confDir}/${f}`, 'utf8')]),
);

const fragments = [
  '{',
  '}',
  ';',
  '(',
  ')',
  '<',
  '>',
  '[',
  ']',
  ',',
  '::',
  ':',
  '=',
  '#include "remote.idl"\n',
  '#ifdef X\n',
  '#endif\n',
  '#if 1\n',
  '#define X\n',
  'interface ',
  'module ',
  'struct ',
  'union ',
  'switch (long) ',
  'case 1: ',
  'default: ',
  'enum ',
  'typedef ',
  'const ',
  'sequence<',
  'string ',
  'wstring ',
  'in ',
  'rout ',
  'inrout ',
  'async ',
  'attribute ',
  'readonly ',
  'dmahandle ',
  'notnil ',
  'native ',
  'local ',
  'ext_params ',
  'remote_handle64 ',
  'long ',
  'unsigned ',
  'uint64 ',
  'octet ',
  'AEEResult ',
  'x ',
  'a::b ',
  '0x7fffffffffffffff',
  '-1',
  "'q'",
  '"s"',
  'L"w"',
  '1.5e3',
  '/**< doc */',
  '/// doc\n',
  '/* ',
  '*/',
  '"',
  "'",
  '\\',
  '\n',
  ' ',
  '\u00e9',
  '\u0000',
  '1 << 70',
  '(',
  '/ 0',
];

export const mutatedIdl: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...fragments) }),
        fc.record({ op: fc.constant('noise' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
        fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
        fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([seed, ops]) => {
    let s = seed;
    for (const o of ops) {
      const at = s.length === 0 ? 0 : o.at % (s.length + 1);
      switch (o.op) {
        case 'delete':
          s = s.slice(0, at) + s.slice(at + o.len);
          break;
        case 'insert':
        case 'noise':
          s = s.slice(0, at) + o.text + s.slice(at);
          break;
        case 'duplicate':
          s = s.slice(0, at) + s.slice(at, at + o.len) + s.slice(at);
          break;
        case 'truncate':
          s = s.slice(0, at);
          break;
      }
    }
    return s;
  });

/** Runs the front end on one input; throws (a property failure) when an invariant breaks. */
export function frontEndSurvives(text: string): void {
  const files: Record<string, string> = { ...includeFiles, 'fuzz.idl': text };
  const r = loadQaicProgram({ files: ['fuzz.idl'], includeDirs: ['inc'], readFile: (p) => files[p] });
  for (const d of r.diagnostics) {
    if (!/^QAIC\d{3}$/.test(d.code)) throw new Error(`bad code ${d.code}`);
    if (d.span) {
      const src = files[d.span.file];
      if (src === undefined) throw new Error(`diagnostic in unread file ${d.span.file}`);
      if (!(d.span.line >= 1 && d.span.col >= 1 && d.span.offset >= 0 && d.span.offset <= src.length)) {
        throw new Error(`diagnostic outside its file: ${JSON.stringify(d.span)} (${d.message})`);
      }
    }
  }
  if (r.value.dialect !== 'qaic') throw new Error('no model');
  // Rendering (excerpt and caret) must cope with whatever spans came out.
  renderDiagnostics(r.diagnostics, { sources: new Map(Object.entries(files)), color: true });
}
