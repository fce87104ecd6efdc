/**
 * TypeScript names of QAIC declarations (the rules are in ../naming.ts) and the check that no
 * two IDL names end up as one TypeScript name. Layout, emitters and tools all name things
 * through these functions, so a descriptor's `ts` field and the generated property always agree.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { CommonCodes } from '../diagnostics/codes.ts';
import type {
  Decl,
  EnumDecl,
  InterfaceDecl,
  MethodDecl,
  ParamDecl,
  QaicProgram,
  StructDecl,
  StructMember,
  TypedefDecl,
} from '../model/qaic.ts';
import {
  camelCase,
  constantName,
  findCollisions,
  keyName,
  methodName,
  parameterName,
  propertyName,
  typeName,
  type NamedItem,
} from '../naming.ts';
import type { SourceSpan } from '../source.ts';

type TypeLike = Exclude<Decl, { kind: 'module' | 'const' }>;

/** A struct, enum, typedef or interface: PascalCase of its qaic C name (`apps_mem` -> `AppsMem`). */
export const tsTypeName = (d: TypeLike): string => typeName(d.cName);
/** A constant keeps its qaic C name. */
export const tsConstName = (d: { cName: string }): string => constantName(d.cName);
export const tsMemberName = (m: StructMember): string => propertyName(m.name);
export const tsMethodName = (m: MethodDecl): string => methodName(m.name);
/** The key of a parameter's value in rout, caps and JSON objects. */
export const tsParamKey = (p: ParamDecl): string => propertyName(p.name);
/** The parameter as a TypeScript identifier. */
export const tsParamName = (p: ParamDecl): string => parameterName(p.name);
export const tsEnumeratorKey = (e: EnumDecl['enumerators'][number]): string => keyName(e.name);

/** Names generated per interface besides the implementation interface itself. */
export function interfaceExports(i: InterfaceDecl): { impl: string; client: string; createSkel: string; descriptor: string } {
  const impl = tsTypeName(i);
  return { impl, client: `${impl}Client`, createSkel: `create${impl}Skel`, descriptor: `${camelCase(impl)}Descriptor` };
}

interface Site {
  readonly what: string;
  readonly span: SourceSpan;
}

function item(idlName: string, tsName: string, what: string, span: SourceSpan): NamedItem<Site> {
  return { idlName, tsName, site: { what, span } };
}

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

/** Module-level names of every declaration of the program, as the emitters will export them. */
function moduleLevelItems(program: QaicProgram): NamedItem<Site>[] {
  const out: NamedItem<Site>[] = [];
  const seen = new Set<Decl>();
  const visit = (decls: readonly Decl[]): void => {
    for (const d of decls) {
      if (seen.has(d)) continue;
      seen.add(d);
      switch (d.kind) {
        case 'module':
          visit(d.members);
          break;
        case 'const':
          out.push(item(d.cName, tsConstName(d), `constant ${d.cName}`, d.span));
          break;
        case 'interface': {
          if (d.forwardOnly || d.name === 'remote_handle64') break;
          const x = interfaceExports(d);
          const what = `interface ${d.cName}`;
          out.push(item(d.cName, x.impl, what, d.span));
          out.push(item(d.cName, x.client, `the client of ${what}`, d.span));
          out.push(item(d.cName, x.createSkel, `the skel factory of ${what}`, d.span));
          out.push(item(d.cName, x.descriptor, `the descriptor of ${what}`, d.span));
          visit(d.members);
          break;
        }
        case 'union':
          break;
        case 'typedef':
          // `typedef struct S_ {...} S;` names the struct twice: one TypeScript type, no alias.
          if (!isSelfAlias(d)) out.push(item(d.cName, tsTypeName(d), `typedef ${d.cName}`, d.span));
          break;
        default:
          out.push(item(d.cName, tsTypeName(d), `${d.kind} ${d.cName}`, d.span));
      }
    }
  };
  for (const f of program.files.values()) visit(f.decls);
  return out;
}

/** A typedef whose TypeScript name is that of the struct or enum it names directly. */
export function isSelfAlias(d: TypedefDecl): boolean {
  const t = d.target;
  return (t.kind === 'struct' || t.kind === 'enum') && tsTypeName(t.decl) === tsTypeName(d);
}

function structItems(s: StructDecl): NamedItem<Site>[] {
  return s.members.map((m) => item(m.name, tsMemberName(m), `member ${m.name}`, m.span));
}

function enumItems(e: EnumDecl): NamedItem<Site>[] {
  return e.enumerators.map((x) => item(x.name, tsEnumeratorKey(x), `enumerator ${x.name}`, x.span));
}

function methodItems(i: InterfaceDecl): NamedItem<Site>[] {
  return i.methods.map((m) => item(m.name, tsMethodName(m), `method ${m.name}`, m.span));
}

function paramItems(m: MethodDecl): { keys: NamedItem<Site>[]; idents: NamedItem<Site>[] } {
  return {
    keys: m.params.map((p) => item(p.name, tsParamKey(p), `parameter ${p.name}`, p.span)),
    idents: m.params.map((p) => item(p.name, tsParamName(p), `parameter ${p.name}`, p.span)),
  };
}

function allDecls(program: QaicProgram): Decl[] {
  const out: Decl[] = [];
  const seen = new Set<Decl>();
  const visit = (decls: readonly Decl[]): void => {
    for (const d of decls) {
      if (seen.has(d)) continue;
      seen.add(d);
      out.push(d);
      if (d.kind === 'module' || d.kind === 'interface') visit(d.members);
    }
  };
  for (const f of program.files.values()) visit(f.decls);
  return out;
}

/** NAME001 for every pair of IDL names that would share a TypeScript name in one scope. */
export function checkQaicNames(program: QaicProgram): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  report(diagnostics, 'at module level', moduleLevelItems(program));
  for (const d of allDecls(program)) {
    if (d.kind === 'struct') report(diagnostics, `in struct ${d.cName}`, structItems(d));
    else if (d.kind === 'enum') report(diagnostics, `in enum ${d.cName}`, enumItems(d));
    else if (d.kind === 'interface' && !d.forwardOnly && d.name !== 'remote_handle64') {
      report(diagnostics, `in interface ${d.cName}`, methodItems(d));
      for (const m of d.methods) {
        if (m.declaredIn !== d.name) continue;
        const { keys, idents } = paramItems(m);
        report(diagnostics, `in method ${m.name}`, keys);
        report(diagnostics, `among the parameters of method ${m.name}`, idents);
      }
    }
  }
  return dedupe(diagnostics);
}

/** A pair found twice (as keys and as identifiers) is reported once. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.span?.file}:${d.span?.offset}:${d.related?.[0]?.span.offset}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
