/**
 * The QMI TypeScript view model: names, TS types, imports, descriptor text and line breaks of
 * one generated module; the templates only lay it out.
 */
import type { QmiFieldDescriptor, QmiValueType } from '../../../runtime/qmi/codec/descriptor.ts';
import type {
  QmiConstDecl,
  QmiDecl,
  QmiDoc,
  QmiEnumDecl,
  QmiMaskDecl,
  QmiMember,
  QmiMessageDecl,
  QmiStructDecl,
  QmiTypeRef,
} from '../../model/qmi.ts';
import { qmiConstName, qmiEnumKey, qmiMemberName, qmiTypeName, serviceExports } from '../../qmi/names.ts';
import { camelCase } from '../../naming.ts';
import type { QmiEmitInput } from '../emitter.ts';
import { importSymbol, MAX_LINE, stringLiteral, type GeneratedFile } from '../generated-file.ts';
import { docView } from '../qaic/view.ts';
import type { QmiSymbols } from '../symbols.ts';
import type {
  CodeView,
  DocView,
  HeaderView,
  QaicConstantView,
  QaicStructView,
  QmiCodecView,
  QmiDeclView,
  QmiEnumView,
  QmiMessageView,
  QmiServiceView,
} from '../view-types.ts';

export interface QmiViewInput {
  readonly input: QmiEmitInput;
  readonly file: GeneratedFile;
  readonly symbols: QmiSymbols;
  readonly header: HeaderView;
}

const hex = (n: number, w = 2): string => `0x${n.toString(16).toUpperCase().padStart(w, '0')}`;

function qmiDoc(doc: QmiDoc | undefined, extra: readonly string[], indent: number): DocView {
  return docView(doc?.text ? doc.text.split('\n') : [], extra, indent);
}

/** `uint32 client_id`, `string name<255>`, `foo_type list<50>` as the IDL writes it. */
function idlMember(m: QmiMember): string {
  const t = m.type;
  const base = t.kind === 'primitive' ? t.name : t.kind === 'string' ? 'string' : t.decl.name;
  const arr =
    t.kind === 'string'
      ? `<${t.max}>`
      : m.arity.kind === 'fixed'
        ? `[${m.arity.length}]`
        : m.arity.kind === 'variable'
          ? `<${m.arity.max}>`
          : '';
  return `${base} ${m.name}${arr}`;
}

/** Names this module exports, declared before anything is imported so imports alias around them. */
export function declareQmiExports(f: GeneratedFile, input: QmiEmitInput): void {
  for (const d of input.qmiFile.decls) f.declare(d.kind === 'const' ? qmiConstName(d) : qmiTypeName(d));
  const svc = input.qmiFile.service;
  if (svc) {
    const x = serviceExports(svc);
    f.declare(x.ids, x.messages, x.table);
  }
}

/** Spells model types in TypeScript, importing types declared in other files' modules. */
export class QmiTypeSpeller {
  constructor(private readonly v: QmiViewInput) {}

  /** The local name of a declaration of this program: declared here or imported from its file's module. */
  declName(d: QmiDecl, asValue = false): string {
    const name = d.kind === 'const' ? qmiConstName(d) : qmiTypeName(d);
    if (d.file === this.v.input.qmiFile.path) return name;
    return this.v.file.import(importSymbol(name, this.v.input.options.moduleOf(d.file, 'all'), { typeOnly: !asValue }));
  }

  one(t: QmiTypeRef): string {
    switch (t.kind) {
      case 'primitive':
        if (t.name === 'boolean') return 'boolean';
        return t.name === 'int64' || t.name === 'uint64' ? 'bigint' : 'number';
      case 'string':
        return 'string';
      case 'enum':
        // Decoders pass through values the IDL does not name; the names stay for completion.
        return `${this.declName(t.decl)} | (number & {})`;
      case 'mask':
        return t.decl.width === 8 ? 'bigint' : 'number';
      case 'struct':
        return this.declName(t.decl);
    }
  }

  member(m: QmiMember): string {
    const one = this.one(m.type);
    if (m.arity.kind === 'single') return one;
    return one.includes('|') ? `(${one})[]` : `${one}[]`;
  }
}

function constView(d: QmiConstDecl): QaicConstantView {
  return { doc: qmiDoc(d.doc, [`\`const ${d.name} = ${d.value};\``], 0), name: qmiConstName(d), value: String(d.value) };
}

function enumView(d: QmiEnumDecl): QmiEnumView {
  const kw = d.width === 4 ? 'enum' : `enum${d.width * 8}`;
  return {
    doc: qmiDoc(d.doc, [`\`${kw} ${d.name}\`: ${d.width}-byte signed on the wire.`], 0),
    name: qmiTypeName(d),
    members: d.members.map((m) => ({ doc: qmiDoc(m.doc, [], 2), key: qmiEnumKey(m), value: m.value < 0 ? String(m.value) : hex(m.value) })),
    union: true,
  };
}

function maskView(d: QmiMaskDecl): QmiEnumView {
  const big = d.width === 8;
  const kw = d.width === 8 ? 'mask' : `mask${d.width * 8}`;
  return {
    doc: qmiDoc(d.doc, [`\`${kw} ${d.name}\`: ${d.width}-byte bit mask${big ? ' (bigint)' : ''}.`], 0),
    name: qmiTypeName(d),
    members: d.members.map((m) => ({
      doc: qmiDoc(m.doc, [], 2),
      key: qmiEnumKey(m),
      value: `0x${m.value.toString(16).toUpperCase()}${big ? 'n' : ''}`,
    })),
    union: false,
  };
}

function structView(d: QmiStructDecl, types: QmiTypeSpeller): QaicStructView {
  return {
    doc: qmiDoc(d.doc, [`\`struct { … } ${d.name};\``], 0),
    name: qmiTypeName(d),
    members: d.members.map((m) => ({ doc: qmiDoc(m.doc, [`\`${idlMember(m)};\``], 2), name: qmiMemberName(m), type: types.member(m) })),
  };
}

function messageView(d: QmiMessageDecl, types: QmiTypeSpeller): QmiMessageView {
  return {
    doc: qmiDoc(d.doc, [`\`message { … } ${d.name};\` (max ${d.maxLength} bytes)`], 0),
    name: qmiTypeName(d),
    empty: d.elements.length === 0,
    elements: d.elements.map((e) => ({
      doc: qmiDoc(e.doc, [`TLV ${hex(e.tlvType)}, ${e.presence}: \`${idlMember(e)};\``], 2),
      name: qmiMemberName(e),
      optional: e.presence === 'optional',
      type: types.member(e),
    })),
  };
}

/** The declarations of the file, in declaration order, each as the view of its kind. */
export function declarationViews(v: QmiViewInput, types: QmiTypeSpeller): QmiDeclView[] {
  return v.input.qmiFile.decls.map((d) => ({
    constant: d.kind === 'const' ? constView(d) : false,
    enumeration: d.kind === 'enum' ? enumView(d) : d.kind === 'mask' ? maskView(d) : false,
    struct: d.kind === 'struct' ? structView(d, types) : false,
    message: d.kind === 'message' ? messageView(d, types) : false,
  }));
}

/** Serializes value types with the runtime's `q` builders; struct types become private constants. */
export class QmiDescriptorWriter {
  private readonly structNames = new Map<string, string>();
  readonly structs: CodeView[] = [];

  constructor(
    private readonly f: GeneratedFile,
    private readonly symbols: QmiSymbols,
  ) {}

  private get q(): string {
    return this.f.import(this.symbols.q);
  }

  type(t: QmiValueType): string {
    if (t.kind === 'scalar') return `${this.q}.${t.scalar}`;
    if (t.kind === 'string') return `${this.q}.string(${t.max})`;
    return this.struct(t);
  }

  private struct(t: QmiValueType & { kind: 'struct' }): string {
    const known = this.structNames.get(t.name);
    if (known) return known;
    const fields = t.fields.map((fd) => this.field(fd, [], 2));
    const name = this.f.uniqueLocal(`${camelCase(qmiTypeName(t))}Type`);
    this.structNames.set(t.name, name);
    const type = this.f.import(this.symbols.QmiValueType);
    this.structs.push({ lines: [`const ${name}: ${type} = ${this.q}.struct(${stringLiteral(t.name)}, [`, ...fields, ']);'] });
    return name;
  }

  /** One field or element object, on one line when it fits at `indent`. */
  field(fd: QmiFieldDescriptor, extra: readonly string[], indent: number): string {
    const items = [`key: ${stringLiteral(fd.key)}`, `name: ${stringLiteral(fd.name)}`, `type: ${this.type(fd.type)}`];
    if (fd.array) {
      items.push(
        fd.array.kind === 'fixed'
          ? `array: { kind: 'fixed', length: ${fd.array.length} }`
          : `array: { kind: 'variable', max: ${fd.array.max}, countWidth: ${fd.array.countWidth} }`,
      );
    }
    items.push(...extra);
    return objectLiteral(items, indent);
  }
}

/** `{ a, b },` on one line at `indent` when it fits, else one property per line. */
export function objectLiteral(items: readonly string[], indent: number): string {
  const pad = ' '.repeat(indent);
  const one = `${pad}{ ${items.join(', ')} },`;
  if (one.length <= MAX_LINE) return one;
  return [`${pad}{`, ...items.map((i) => `${pad}  ${i},`), `${pad}},`].join('\n');
}

export function codecViews(v: QmiViewInput, writer: QmiDescriptorWriter): QmiCodecView[] {
  return v.input.layout.messages
    .filter((m) => m.decl.file === v.input.qmiFile.path)
    .map(({ decl, descriptor }) => {
      const name = qmiTypeName(decl);
      const body = [`name: ${stringLiteral(descriptor.name)},`, `response: ${descriptor.response},`];
      if (descriptor.elements.length === 0) body.push('elements: [],');
      else
        body.push(
          'elements: [',
          ...descriptor.elements.map((e) => writer.field(e, [`tlv: ${hex(e.tlv)}`, `optional: ${e.optional}`], 2)),
          '],',
        );
      const type = `${v.file.import(v.symbols.QmiMessageCodec)}<${name}>`;
      const call = `${v.file.import(v.symbols.createQmiCodec)}<${name}>({`;
      return {
        doc: docView([], [`Encoder/decoder of {@link ${name}} (TLV payload, no QMI header).`], 0),
        code: { lines: exportedCall(name, type, call, body) },
      };
    });
}

/**
 * `export const name: Type = call({ body });`, with `call` on its own line (and the body one
 * level deeper) when the declaration would not fit. Exports carry their type so declarations
 * can be emitted without type information (isolatedDeclarations).
 */
function exportedCall(name: string, type: string, call: string, body: readonly string[]): string[] {
  const head = `export const ${name}: ${type} = ${call}`;
  if (head.length <= MAX_LINE) return [head, ...indentLines(body, 2), '});'];
  return [`export const ${name}: ${type} =`, `  ${call}`, ...indentLines(body, 4), '  });'];
}

function indentLines(lines: readonly string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.flatMap((l) => l.split('\n')).map((l) => (l === '' ? l : pad + l));
}

export function serviceView(v: QmiViewInput, types: QmiTypeSpeller): QmiServiceView | false {
  const file = v.input.qmiFile;
  const svc = file.service;
  if (!svc) return false;
  const x = serviceExports(svc);
  const ids = [`export const ${x.ids} = {`, ...svc.bindings.map((b) => `  ${b.idName}: ${hex(b.msgId, 4)},`), '} as const;'];
  const typeLines = [`export interface ${x.messages} {`];
  for (const kind of ['request', 'response', 'indication'] as const) {
    const bs = svc.bindings.filter((b) => b.kind === kind);
    if (bs.length === 0) typeLines.push(`  ${kind}: Record<never, never>;`);
    else typeLines.push(`  ${kind}: {`, ...bs.map((b) => `    ${hex(b.msgId, 4)}: ${types.declName(b.message)};`), '  };');
  }
  typeLines.push('}');
  const tableBody = [
    `name: ${stringLiteral(svc.name)},`,
    `serviceId: ${hex(svc.serviceId, 2)},`,
    `version: ${file.majorVersion},`,
    `minorVersion: ${file.revision},`,
    `maxMessageLength: ${svc.maxLength},`,
    'messages: [',
    ...svc.bindings.map((b) =>
      objectLiteral(
        [
          `msgId: ${hex(b.msgId, 4)}`,
          `kind: '${b.kind}'`,
          `name: ${stringLiteral(b.message.name)}`,
          `idName: ${stringLiteral(b.idName)}`,
          `codec: ${types.declName(b.message, true)}`,
        ],
        2,
      ),
    ),
    '],',
  ];
  const table = exportedCall(
    x.table,
    v.file.import(v.symbols.QmiServiceTable),
    `${v.file.import(v.symbols.createQmiServiceTable)}({`,
    tableBody,
  );
  return {
    idsDoc: docView([], [`Message ids of service \`${svc.name}\`, as named in its service block.`], 0),
    ids: { lines: ids },
    typesDoc: docView([], [`Value types of service \`${svc.name}\` by direction and message id.`], 0),
    types: { lines: typeLines },
    tableDoc: qmiDoc(
      svc.doc,
      [
        `Service \`${svc.name}\`: id ${hex(svc.serviceId, 2)}, version ${file.majorVersion}.${file.revision}, (message id, direction) -> codec.`,
      ],
      0,
    ),
    table: { lines: table },
  };
}

export function fileDocView(v: QmiViewInput): DocView {
  const doc = v.input.qmiFile.doc;
  if (!doc) return docView([], [], 0);
  const brief = doc.tags['BRIEF'];
  return docView([[brief, doc.text].filter((x) => x).join('\n')], [], 0);
}
