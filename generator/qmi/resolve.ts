/**
 * Resolver and validator: turns the parsed files of a program into the QMI model
 * (constants evaluated, types bound, TLV ids and message ids assigned, sizes computed),
 * collecting every problem as a diagnostic.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { QmiCodes, type CodeInfo } from '../diagnostics/codes.ts';
import type {
  QmiArity,
  QmiConstDecl,
  QmiDecl,
  QmiElement,
  QmiEnumDecl,
  QmiFile,
  QmiMaskDecl,
  QmiMember,
  QmiMessageDecl,
  QmiMessageKind,
  QmiPrimitiveName,
  QmiServiceBinding,
  QmiServiceDecl,
  QmiStructDecl,
  QmiTypeRef,
} from '../model/qmi.ts';
import type { SourceSpan } from '../source.ts';
import type { AstConst, AstEnum, AstFile, AstItem, AstMember, AstMessage, AstService, AstStruct, Expr } from './ast.ts';
import { maxMessageLength } from '../../runtime/qmi/codec/descriptor.ts';
import { messageDescriptor } from './descriptors.ts';

const primitives: ReadonlySet<string> = new Set<QmiPrimitiveName>([
  'boolean',
  'int8',
  'uint8',
  'char',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float',
  'double',
]);

const RESPONSE_TYPE = 'qmi_response_type';
const MAX_BOUND = 0xffff;

type Named = { file: string; item: AstConst | AstEnum | AstStruct | AstMessage };

export interface ResolveOutput {
  readonly files: QmiFile[];
  readonly decls: Map<string, QmiDecl>;
}

export function resolveProgram(asts: readonly AstFile[], diagnostics: Diagnostic[]): ResolveOutput {
  const err = (code: CodeInfo, message: string, span?: SourceSpan, context?: string[]) =>
    diagnostics.push({ code: code.code, severity: 'error', message, ...(span ? { span } : {}), ...(context ? { context } : {}) });
  const warn = (code: CodeInfo, message: string, span?: SourceSpan, context?: string[]) =>
    diagnostics.push({ code: code.code, severity: 'warning', message, ...(span ? { span } : {}), ...(context ? { context } : {}) });

  // Symbol table over all files; first declaration wins.
  const named = new Map<string, Named>();
  const enumMembers = new Map<string, { decl: AstEnum; index: number }>();
  for (const ast of asts) {
    for (const item of ast.items) {
      if (item.kind === 'include' || item.kind === 'revision' || item.kind === 'service') continue;
      // A name the parser had to invent during recovery; the syntax error says enough.
      if (item.name === '') continue;
      const prev = named.get(item.name);
      if (prev) {
        err(QmiCodes.DUPLICATE_DECL, `'${item.name}' is already declared at ${prev.item.span.file}:${prev.item.span.line}:${prev.item.span.col}`, item.span);
        continue;
      }
      named.set(item.name, { file: ast.path, item });
      if (item.kind === 'enum') item.members.forEach((m, index) => enumMembers.has(m.name) || enumMembers.set(m.name, { decl: item, index }));
    }
  }

  // ---- expressions -------------------------------------------------------------------
  const constValues = new Map<string, bigint | null>();
  const evaluating = new Set<string>();

  function evalExpr(e: Expr | undefined, ctx: string[]): bigint | null {
    // Parts the parser had to skip are undefined; the syntax error is already reported.
    if (e === undefined) return null;
    switch (e.kind) {
      case 'int':
        if (!/^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(e.image)) return null;
        return BigInt(e.image);
      case 'ref': {
        const n = named.get(e.name);
        if (n?.item.kind === 'const') return constValue(n.item);
        const em = enumMembers.get(e.name);
        if (em) return enumMemberValue(em.decl, em.index);
        err(QmiCodes.UNKNOWN_CONST, `'${e.name}' is not a constant`, e.span, ctx);
        return null;
      }
      case 'binary': {
        const l = evalExpr(e.left, ctx);
        const r = evalExpr(e.right, ctx);
        if (l === null || r === null) return null;
        switch (e.op) {
          case '+':
            return l + r;
          case '-':
            return l - r;
          case '*':
            return l * r;
          case '/':
            if (r === 0n) {
              err(QmiCodes.BAD_EXPRESSION, 'division by zero', e.span, ctx);
              return null;
            }
            return l / r;
        }
      }
    }
  }

  function constValue(c: AstConst): bigint | null {
    const known = constValues.get(c.name);
    if (known !== undefined) return known;
    if (evaluating.has(c.name)) {
      err(QmiCodes.BAD_EXPRESSION, `constant '${c.name}' depends on itself`, c.span);
      constValues.set(c.name, null);
      return null;
    }
    evaluating.add(c.name);
    const v = evalExpr(c.value, [`const ${c.name}`]);
    evaluating.delete(c.name);
    constValues.set(c.name, v);
    return v;
  }

  const enumValueCache = new Map<AstEnum, (bigint | null)[]>();
  function enumMemberValue(decl: AstEnum, index: number): bigint | null {
    let cache = enumValueCache.get(decl);
    if (!cache) {
      cache = [];
      enumValueCache.set(decl, cache);
      let next = 0n;
      for (const m of decl.members) {
        const v = m.value ? evalExpr(m.value, [`${decl.kind} ${decl.name}`, m.name]) : next;
        cache.push(v);
        next = v === null ? next + 1n : v + 1n;
      }
    }
    return cache[index] ?? null;
  }

  /** A number in [min, max], or undefined after reporting. */
  function intIn(e: Expr | undefined, min: bigint, max: bigint, what: string, code: CodeInfo, ctx: string[]): number | undefined {
    const v = evalExpr(e, ctx);
    if (v === null) return undefined;
    if (v < min || v > max) {
      if (e) err(code, `${what} ${v} is outside ${min}..${max}`, e.span, ctx);
      return undefined;
    }
    return Number(v);
  }

  // ---- declarations ------------------------------------------------------------------
  const decls = new Map<string, QmiDecl>();
  const structState = new Map<string, 'resolving' | QmiStructDecl>();

  function resolveEnum(n: AstEnum, file: string): QmiEnumDecl | QmiMaskDecl {
    const existing = decls.get(n.name);
    if (existing && (existing.kind === 'enum' || existing.kind === 'mask')) return existing;
    const ctx = [`${n.kind} ${n.name}`];
    const seen = new Set<string>();
    for (const m of n.members) {
      if (seen.has(m.name)) err(QmiCodes.DUPLICATE_MEMBER, `'${m.name}' appears twice in ${n.name}`, m.span, ctx);
      seen.add(m.name);
    }
    const base = { name: n.name, file, span: n.span, ...(n.doc ? { doc: n.doc } : {}) };
    if (n.kind === 'enum') {
      const width = n.keyword === 'enum8' ? 1 : n.keyword === 'enum16' ? 2 : 4;
      const bits = BigInt(width * 8);
      const members = n.members.map((m, i) => {
        const v = enumMemberValue(n, i) ?? 0n;
        // Signed on the wire, but hex literals for the full unsigned range are common.
        if (v < -(1n << (bits - 1n)) || v >= 1n << bits) {
          err(QmiCodes.VALUE_OUT_OF_RANGE, `value ${v} of '${m.name}' does not fit ${n.keyword} (${width} byte${width > 1 ? 's' : ''})`, m.value?.span ?? m.span, ctx);
        }
        const signed = BigInt.asIntN(Number(bits), v);
        return { name: m.name, value: Number(signed), span: m.span, ...(m.doc ? { doc: m.doc } : {}) };
      });
      const d: QmiEnumDecl = { kind: 'enum', ...base, width, members };
      decls.set(n.name, d);
      return d;
    }
    const width = n.keyword === 'mask8' ? 1 : n.keyword === 'mask16' ? 2 : n.keyword === 'mask32' ? 4 : 8;
    const bits = BigInt(width * 8);
    const members = n.members.map((m) => {
      let v = 0n;
      if (!m.value) err(QmiCodes.MASK_NEEDS_VALUE, `mask member '${m.name}' needs an explicit value`, m.span, ctx);
      else {
        const e = evalExpr(m.value, ctx);
        if (e !== null && (e < 0n || e >= 1n << bits)) {
          err(QmiCodes.VALUE_OUT_OF_RANGE, `value ${e} of '${m.name}' does not fit ${n.keyword} (${width} byte${width > 1 ? 's' : ''})`, m.value.span, ctx);
        } else if (e !== null) v = e;
      }
      return { name: m.name, value: v, span: m.span, ...(m.doc ? { doc: m.doc } : {}) };
    });
    const d: QmiMaskDecl = { kind: 'mask', ...base, width, members };
    decls.set(n.name, d);
    return d;
  }

  function resolveStruct(n: AstStruct, file: string): QmiStructDecl | undefined {
    const state = structState.get(n.name);
    if (state === 'resolving') {
      err(QmiCodes.RECURSIVE_STRUCT, `struct '${n.name}' contains itself`, n.span);
      return undefined;
    }
    if (state) return state;
    structState.set(n.name, 'resolving');
    const ctx = [`struct ${n.name}`];
    const members: QmiMember[] = [];
    const seen = new Set<string>();
    for (const m of n.members) {
      if (seen.has(m.name)) err(QmiCodes.DUPLICATE_MEMBER, `'${m.name}' appears twice in ${n.name}`, m.span, ctx);
      seen.add(m.name);
      const r = resolveMember(m, [...ctx, m.name]);
      if (r) members.push(r);
    }
    const d: QmiStructDecl = { kind: 'struct', name: n.name, file, span: n.span, members, ...(n.doc ? { doc: n.doc } : {}) };
    structState.set(n.name, d);
    decls.set(n.name, d);
    return d;
  }

  function resolveType(name: string, span: SourceSpan, ctx: string[]): QmiTypeRef | undefined {
    if (name === '') return undefined;
    if (primitives.has(name)) return { kind: 'primitive', name: name as QmiPrimitiveName };
    const n = named.get(name);
    if (!n) {
      err(QmiCodes.UNKNOWN_TYPE, `unknown type '${name}'`, span, ctx);
      return undefined;
    }
    switch (n.item.kind) {
      case 'enum':
      case 'mask': {
        const d = resolveEnum(n.item, n.file);
        return d.kind === 'enum' ? { kind: 'enum', decl: d } : { kind: 'mask', decl: d };
      }
      case 'struct': {
        const d = resolveStruct(n.item, n.file);
        return d ? { kind: 'struct', decl: d } : undefined;
      }
      default:
        err(QmiCodes.NOT_A_TYPE, `'${name}' is a ${n.item.kind}, not a type`, span, ctx);
        return undefined;
    }
  }

  function resolveMember(m: AstMember, ctx: string[]): QmiMember | undefined {
    const base = { name: m.name, span: m.span, ...(m.doc ? { doc: m.doc } : {}) };
    if (m.typeName === 'string') {
      if (!m.array || m.array.kind !== 'variable') {
        err(QmiCodes.BAD_STRING, m.array ? `string '${m.name}' takes a bound <N>, not [N]` : `string '${m.name}' needs a bound: string ${m.name}<N>`, m.span, ctx);
        return undefined;
      }
      const max = intIn(m.array.size, 1n, BigInt(MAX_BOUND), 'string bound', QmiCodes.BAD_BOUND, ctx);
      if (max === undefined) return undefined;
      return { ...base, type: { kind: 'string', max }, arity: { kind: 'single' } };
    }
    const type = resolveType(m.typeName, m.typeSpan, ctx);
    if (!type) return undefined;
    let arity: QmiArity = { kind: 'single' };
    if (m.array) {
      const n = intIn(m.array.size, 1n, BigInt(MAX_BOUND), 'array bound', QmiCodes.BAD_BOUND, ctx);
      if (n === undefined) return undefined;
      arity = m.array.kind === 'fixed' ? { kind: 'fixed', length: n } : { kind: 'variable', max: n, countWidth: n <= 255 ? 1 : 2 };
    }
    return { ...base, type, arity };
  }

  function resolveMessage(n: AstMessage, file: string): QmiMessageDecl {
    const existing = decls.get(n.name);
    if (existing?.kind === 'message') return existing;
    const ctx = [`message ${n.name}`];
    const seen = new Set<string>();
    const elements: QmiElement[] = [];
    let nextMandatory = 1;
    let nextOptional = 0x10;
    let sawOptional = false;
    const byTlv = new Map<number, string>();
    for (const e of n.elements) {
      const ectx = [...ctx, e.name];
      if (seen.has(e.name)) err(QmiCodes.DUPLICATE_MEMBER, `'${e.name}' appears twice in ${n.name}`, e.span, ctx);
      seen.add(e.name);
      if (e.presence === 'optional') sawOptional = true;
      else if (sawOptional) warn(QmiCodes.MANDATORY_AFTER_OPTIONAL, `mandatory '${e.name}' follows an optional element`, e.span, ctx);
      const member = resolveMember(e, ectx);
      // Qualcomm's numbering: mandatory 0x01.., the standard response always 0x02,
      // optional 0x10.., all in declaration order.
      let tlv: number;
      const isResp = member?.type.kind === 'struct' && member.type.decl.name === RESPONSE_TYPE;
      if (e.presence === 'mandatory') {
        if (isResp) {
          tlv = 0x02;
          nextMandatory = Math.max(nextMandatory, 0x03);
        } else tlv = nextMandatory++;
      } else tlv = nextOptional++;
      let explicit = false;
      if (e.tlv) {
        const v = intIn(e.tlv, 0n, 0xffn, 'TLV type', QmiCodes.TLV_OUT_OF_RANGE, ectx);
        if (v !== undefined) {
          tlv = v;
          explicit = true;
        }
      }
      if (e.presence === 'mandatory' && (tlv < 0x01 || tlv > 0x0f)) {
        err(QmiCodes.TLV_OUT_OF_RANGE, `mandatory element '${e.name}' gets TLV 0x${hex2(tlv)}; mandatory TLVs are 0x01..0x0F`, e.tlv?.span ?? e.span, ectx);
      }
      if (e.presence === 'optional' && (tlv < 0x10 || tlv > 0xff)) {
        err(QmiCodes.TLV_OUT_OF_RANGE, `optional element '${e.name}' gets TLV 0x${hex2(tlv)}; optional TLVs are 0x10..0xFF`, e.tlv?.span ?? e.span, ectx);
      }
      const clash = byTlv.get(tlv);
      if (clash !== undefined) err(QmiCodes.DUPLICATE_TLV, `'${e.name}' and '${clash}' both use TLV 0x${hex2(tlv)}`, e.tlv?.span ?? e.span, ectx);
      else byTlv.set(tlv, e.name);
      if (member) elements.push({ ...member, presence: e.presence, tlvType: tlv, explicitTlv: explicit });
    }
    const partial: QmiMessageDecl = { kind: 'message', name: n.name, file, span: n.span, elements, maxLength: 0, ...(n.doc ? { doc: n.doc } : {}) };
    const maxLength = maxMessageLength(messageDescriptor(partial, false));
    if (maxLength > 0xffff) err(QmiCodes.MESSAGE_TOO_LARGE, `largest encoding of '${n.name}' is ${maxLength} bytes; QMI payloads stop at 65535`, n.span, ctx);
    const d: QmiMessageDecl = { ...partial, maxLength };
    decls.set(n.name, d);
    return d;
  }

  function resolveService(s: AstService, file: string): QmiServiceDecl {
    const ctx = [`service ${s.name}`];
    let serviceId = 0;
    if (!s.id) err(QmiCodes.ID_OUT_OF_RANGE, `service '${s.name}' has no id: end it with '} = 0x…;'`, s.span, ctx);
    else serviceId = intIn(s.id, 0n, 0xffffffffn, 'service id', QmiCodes.ID_OUT_OF_RANGE, ctx) ?? 0;
    const bindings: QmiServiceBinding[] = [];
    const taken = new Map<string, string>();
    let prevId: number | undefined;
    s.groups.forEach((g, gi) => {
      let id: number;
      if (g.id) id = intIn(g.id, 0n, 0xffffn, 'message id', QmiCodes.ID_OUT_OF_RANGE, ctx) ?? (prevId ?? -1) + 1;
      else if (prevId === undefined) {
        if (gi === 0) warn(QmiCodes.FIRST_ID_MISSING, `the first message group has no '= id'; assuming 0x0000`, g.span, ctx);
        id = 0;
      } else id = prevId + 1;
      prevId = id;
      if (g.pairs.length > 3) err(QmiCodes.GROUP_TOO_LARGE, `a message group binds at most 3 messages (request, response, indication); this one has ${g.pairs.length}`, g.span, ctx);
      g.pairs.forEach((p, pi) => {
        const n = named.get(p.typeName);
        if (!n || n.item.kind !== 'message') {
          err(QmiCodes.UNKNOWN_MESSAGE, n ? `'${p.typeName}' is a ${n.item.kind}, not a message` : `unknown message '${p.typeName}'`, p.typeSpan, ctx);
          return;
        }
        const message = resolveMessage(n.item, n.file);
        const kind =
          directionOf(p.idName) ?? directionOf(p.typeName) ?? directionOfTag(p.doc?.tags['TYPE']) ?? directionOfTag(n.item.doc?.tags['TYPE']) ?? (g.pairs.length > 1 ? positional[pi] : undefined);
        if (!kind) {
          err(QmiCodes.UNKNOWN_DIRECTION, `cannot tell whether '${p.idName}' is a request, response or indication: name it *_REQ/*_RESP/*_IND or tag the message '//! @TYPE Request'`, p.span, ctx);
          return;
        }
        const key = `${kind}:${id}`;
        const prev = taken.get(key);
        if (prev !== undefined) {
          err(QmiCodes.DUPLICATE_MESSAGE_ID, `${kind} 0x${id.toString(16).padStart(4, '0')} is already bound to ${prev}`, p.span, ctx);
          return;
        }
        taken.set(key, p.idName);
        bindings.push({ msgId: id, kind, idName: p.idName, message, span: p.span });
      });
    });
    const maxLength = bindings.reduce((m, b) => Math.max(m, b.message.maxLength), 0);
    return { kind: 'service', name: s.name, file, span: s.span, serviceId, bindings, maxLength, ...(s.doc ? { doc: s.doc } : {}) };
  }

  // ---- files -------------------------------------------------------------------------
  const files: QmiFile[] = [];
  for (const ast of asts) {
    let revision = 0;
    const includes: string[] = [];
    const fileDecls: QmiDecl[] = [];
    let service: QmiServiceDecl | undefined;
    for (const item of ast.items as AstItem[]) {
      switch (item.kind) {
        case 'include':
          includes.push(item.path);
          break;
        case 'revision':
          revision = intIn(item.value, 0n, 0xffffffffn, 'revision', QmiCodes.BAD_EXPRESSION, ['revision']) ?? 0;
          break;
        case 'const': {
          if (named.get(item.name)?.item !== item) break;
          const v = constValue(item);
          let value = 0;
          if (v !== null && (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER))) {
            err(QmiCodes.BAD_EXPRESSION, `constant '${item.name}' = ${v} is too large`, item.span);
          } else if (v !== null) value = Number(v);
          const c: QmiConstDecl = { kind: 'const', name: item.name, file: ast.path, span: item.span, value, ...(item.doc ? { doc: item.doc } : {}) };
          decls.set(item.name, c);
          fileDecls.push(c);
          break;
        }
        case 'enum':
        case 'mask':
          if (named.get(item.name)?.item === item) fileDecls.push(resolveEnum(item, ast.path));
          break;
        case 'struct':
          if (named.get(item.name)?.item === item) {
            const d = resolveStruct(item, ast.path);
            if (d) fileDecls.push(d);
          }
          break;
        case 'message':
          if (named.get(item.name)?.item === item) fileDecls.push(resolveMessage(item, ast.path));
          break;
        case 'service':
          if (service) err(QmiCodes.MULTIPLE_SERVICES, `a QMI IDL file defines one service; '${service.name}' came first`, item.span);
          else service = resolveService(item, ast.path);
          break;
      }
    }
    const major = /_v(\d+)(?:\.[^/]*)?$/.exec(ast.path);
    files.push({ path: ast.path, includes, revision, majorVersion: major ? Number(major[1]) : 1, decls: fileDecls, ...(service ? { service } : {}), ...(ast.doc ? { doc: ast.doc } : {}) });
  }
  return { files, decls };
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();

const positional: readonly QmiMessageKind[] = ['request', 'response', 'indication'];

/** Direction from a name's last word that says one: `…_REQ_MSG`, `…Response`, `…_ind`. */
export function directionOf(name: string): QmiMessageKind | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/_+/)
    .map((w) => w.toLowerCase())
    .reverse();
  for (const w of words) {
    if (w === 'req' || w === 'request') return 'request';
    if (w === 'resp' || w === 'response' || w === 'rsp') return 'response';
    if (w === 'ind' || w === 'indication') return 'indication';
  }
  return undefined;
}

function directionOfTag(tag: string | undefined): QmiMessageKind | undefined {
  if (tag === undefined) return undefined;
  const t = tag.trim().toLowerCase();
  if (t.startsWith('req')) return 'request';
  if (t.startsWith('resp')) return 'response';
  if (t.startsWith('ind')) return 'indication';
  return undefined;
}
