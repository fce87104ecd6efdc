/**
 * TypeScript names of QMI declarations (the rules are in ../naming.ts) and the check that no
 * two IDL names end up as one TypeScript name. The descriptors' `key` fields, the emitter and
 * the codec CLI all name things through these functions.
 */
import { CommonCodes } from '../diagnostics/codes.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { QmiDecl, QmiFile, QmiMember, QmiProgram, QmiServiceDecl } from '../model/qmi.ts';
import { constantName, findCollisions, keyName, propertyName, typeName, type NamedItem } from '../naming.ts';
import type { SourceSpan } from '../source.ts';

/** Structs, enums, masks and messages: PascalCase (`rfsa_file_content` -> `RfsaFileContent`). */
export const qmiTypeName = (d: { name: string }): string => typeName(d.name);
export const qmiConstName = (d: { name: string }): string => constantName(d.name);
/** Struct members and message elements: camelCase (`client_id` -> `clientId`). */
export const qmiMemberName = (m: QmiMember): string => propertyName(m.name);
export const qmiEnumKey = (m: { name: string }): string => keyName(m.name);

/** Names generated for a service block. */
export function serviceExports(s: QmiServiceDecl): { ids: string; messages: string; table: string } {
  const base = qmiTypeName(s);
  return { ids: `${base}MessageId`, messages: `${base}Messages`, table: `${base}Service` };
}

interface Site {
  readonly what: string;
  readonly span: SourceSpan;
}

const item = (idlName: string, tsName: string, what: string, span: SourceSpan): NamedItem<Site> => ({
  idlName,
  tsName,
  site: { what, span },
});

function report(diagnostics: Diagnostic[], scope: string, items: readonly NamedItem<Site>[]): void {
  for (const { first, second } of findCollisions(items)) {
    diagnostics.push({
      code: CommonCodes.NAME_COLLISION.code,
      severity: 'error',
      message: `${second.site.what} and ${first.site.what} both become the TypeScript name '${second.tsName}' ${scope}; rename one of them in the IDL`,
      span: second.site.span,
      related: [{ span: first.site.span, message: `${first.site.what} is declared here` }],
    });
  }
}

function declItems(d: QmiDecl): NamedItem<Site>[] {
  if (d.kind === 'const') return [item(d.name, qmiConstName(d), `constant ${d.name}`, d.span)];
  return [item(d.name, qmiTypeName(d), `${d.kind} ${d.name}`, d.span)];
}

function fileItems(f: QmiFile): NamedItem<Site>[] {
  const out = f.decls.flatMap(declItems);
  if (f.service) {
    const x = serviceExports(f.service);
    const what = `service ${f.service.name}`;
    out.push(item(f.service.name, x.ids, `the message ids of ${what}`, f.service.span));
    out.push(item(f.service.name, x.messages, `the message types of ${what}`, f.service.span));
    out.push(item(f.service.name, x.table, `the table of ${what}`, f.service.span));
  }
  return out;
}

/** NAME001 for every pair of IDL names that would share a TypeScript name in one scope. */
export function checkQmiNames(program: QmiProgram): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  report(diagnostics, 'at module level', program.files.flatMap(fileItems));
  for (const f of program.files) {
    for (const d of f.decls) {
      if (d.kind === 'struct')
        report(
          diagnostics,
          `in struct ${d.name}`,
          d.members.map((m) => item(m.name, qmiMemberName(m), `member ${m.name}`, m.span)),
        );
      if (d.kind === 'message')
        report(
          diagnostics,
          `in message ${d.name}`,
          d.elements.map((m) => item(m.name, qmiMemberName(m), `element ${m.name}`, m.span)),
        );
      if (d.kind === 'enum' || d.kind === 'mask')
        report(
          diagnostics,
          `in ${d.kind} ${d.name}`,
          d.members.map((m) => item(m.name, qmiEnumKey(m), `member ${m.name}`, m.span)),
        );
    }
  }
  return diagnostics;
}
