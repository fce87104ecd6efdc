/**
 * Resolver and validator: turns the parsed files of a program into the QMI model (constants
 * evaluated, types bound, TLV ids and message ids assigned, sizes computed), collecting every
 * problem as a diagnostic. One method per construct; the symbol table and the caches are the
 * resolver's state.
 */
import { didYouMean } from '../suggest.ts';
import { MAX_NESTING } from './parser.ts';
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
import type {
  AstConst,
  AstElement,
  AstEnum,
  AstFile,
  AstMember,
  AstMessage,
  AstService,
  AstServiceGroup,
  AstServicePair,
  AstStruct,
  Expr,
} from './ast.ts';
import { maxMessageLength } from '../../runtime/qmi/codec/descriptor.ts';
import { messageDescriptor } from './descriptors.ts';

const PRIMITIVES: ReadonlySet<string> = new Set<QmiPrimitiveName>([
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
  return new QmiResolver(asts, diagnostics).run();
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0').toUpperCase();

/**
 * Kinds by position in a service group, as Qualcomm's compiler assigns them: one message is an
 * indication; two are request and response; three are request, response and indication.
 */
export function kindsOfGroup(size: number): readonly QmiMessageKind[] {
  if (size === 1) return ['indication'];
  if (size === 2) return ['request', 'response'];
  return ['request', 'response', 'indication'];
}

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

class QmiResolver {
  /** Symbol table over all files; the first declaration of a name wins. */
  private readonly named = new Map<string, Named>();
  private readonly enumMembers = new Map<string, { decl: AstEnum; index: number }>();
  private readonly constValues = new Map<string, bigint | null>();
  private readonly evaluating = new Set<string>();
  private readonly enumValueCache = new Map<AstEnum, (bigint | null)[]>();
  private readonly decls = new Map<string, QmiDecl>();
  private readonly structState = new Map<string, 'resolving' | 'failed' | QmiStructDecl>();
  /** How many structs deep each struct type nests (itself included). */
  private readonly structDepth = new Map<QmiStructDecl, number>();

  constructor(
    private readonly asts: readonly AstFile[],
    private readonly diagnostics: Diagnostic[],
  ) {}

  private err(code: CodeInfo, message: string, span?: SourceSpan, context?: string[]): void {
    this.diagnostics.push({ code: code.code, severity: 'error', message, ...(span ? { span } : {}), ...(context ? { context } : {}) });
  }

  private warn(code: CodeInfo, message: string, span?: SourceSpan, context?: string[]): void {
    this.diagnostics.push({ code: code.code, severity: 'warning', message, ...(span ? { span } : {}), ...(context ? { context } : {}) });
  }

  run(): ResolveOutput {
    this.declareAll();
    const files = this.asts.map((ast) => this.file(ast));
    return { files, decls: this.decls };
  }

  private declareAll(): void {
    for (const ast of this.asts) {
      for (const item of ast.items) {
        if (item.kind === 'include' || item.kind === 'revision' || item.kind === 'service') continue;
        // A name the parser had to invent during recovery; the syntax error says enough.
        if (item.name === '') continue;
        const prev = this.named.get(item.name);
        if (prev) {
          this.err(
            QmiCodes.DUPLICATE_DECL,
            `'${item.name}' is already declared at ${prev.item.span.file}:${prev.item.span.line}:${prev.item.span.col}`,
            item.span,
          );
          continue;
        }
        this.named.set(item.name, { file: ast.path, item });
        if (item.kind === 'enum')
          item.members.forEach((m, index) => this.enumMembers.has(m.name) || this.enumMembers.set(m.name, { decl: item, index }));
      }
    }
  }

  // ---- expressions -------------------------------------------------------------------

  /** Evaluates without recursion on the expression tree, so a long flat sum cannot exhaust the stack. */
  private evalExpr(e: Expr | undefined, ctx: string[]): bigint | null {
    // Parts the parser had to skip are undefined; the syntax error is already reported.
    if (e === undefined) return null;
    const values = new Map<Expr, bigint | null>();
    const stack: { e: Expr; visited: boolean }[] = [{ e, visited: false }];
    while (stack.length > 0) {
      const top = stack.pop() as { e: Expr; visited: boolean };
      const x = top.e;
      if (x.kind !== 'binary') {
        values.set(x, this.leafValue(x, ctx));
        continue;
      }
      // After a syntax error an operand may be missing (undefined): it evaluates to nothing.
      const { left, right } = x;
      if (!top.visited) {
        stack.push({ e: x, visited: true });
        if (right) stack.push({ e: right, visited: false });
        if (left) stack.push({ e: left, visited: false });
        continue;
      }
      values.set(x, this.binaryValue(x, left ? (values.get(left) ?? null) : null, right ? (values.get(right) ?? null) : null, ctx));
    }
    return values.get(e) ?? null;
  }

  private leafValue(e: Exclude<Expr, { kind: 'binary' }>, ctx: string[]): bigint | null {
    if (e.kind === 'int') return /^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(e.image) ? BigInt(e.image) : null;
    const n = this.named.get(e.name);
    if (n?.item.kind === 'const') return this.constValue(n.item);
    const em = this.enumMembers.get(e.name);
    if (em) return this.enumMemberValue(em.decl, em.index);
    this.err(QmiCodes.UNKNOWN_CONST, `'${e.name}' is not a constant`, e.span, ctx);
    return null;
  }

  private binaryValue(e: Expr & { kind: 'binary' }, l: bigint | null, r: bigint | null, ctx: string[]): bigint | null {
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
          this.err(QmiCodes.BAD_EXPRESSION, 'division by zero', e.span, ctx);
          return null;
        }
        return l / r;
    }
  }

  private constValue(c: AstConst): bigint | null {
    const known = this.constValues.get(c.name);
    if (known !== undefined) return known;
    if (this.evaluating.has(c.name)) {
      this.err(QmiCodes.BAD_EXPRESSION, `constant '${c.name}' depends on itself`, c.span);
      this.constValues.set(c.name, null);
      return null;
    }
    this.evaluating.add(c.name);
    const v = this.evalExpr(c.value, [`const ${c.name}`]);
    this.evaluating.delete(c.name);
    this.constValues.set(c.name, v);
    return v;
  }

  private enumMemberValue(decl: AstEnum, index: number): bigint | null {
    let cache = this.enumValueCache.get(decl);
    if (!cache) {
      cache = [];
      this.enumValueCache.set(decl, cache);
      let next = 0n;
      for (const m of decl.members) {
        const v = m.value ? this.evalExpr(m.value, [`${decl.kind} ${decl.name}`, m.name]) : next;
        cache.push(v);
        next = v === null ? next + 1n : v + 1n;
      }
    }
    return cache[index] ?? null;
  }

  /** A number in [min, max], or undefined after reporting. */
  private intIn(e: Expr | undefined, min: bigint, max: bigint, what: string, code: CodeInfo, ctx: string[]): number | undefined {
    const v = this.evalExpr(e, ctx);
    if (v === null) return undefined;
    if (v < min || v > max) {
      if (e) this.err(code, `${what} ${v} is outside ${min}..${max}`, e.span, ctx);
      return undefined;
    }
    return Number(v);
  }

  // ---- types -------------------------------------------------------------------------

  private resolveEnum(n: AstEnum, file: string): QmiEnumDecl | QmiMaskDecl {
    const existing = this.decls.get(n.name);
    if (existing && (existing.kind === 'enum' || existing.kind === 'mask')) return existing;
    const ctx = [`${n.kind} ${n.name}`];
    const seen = new Set<string>();
    for (const m of n.members) {
      if (seen.has(m.name)) this.err(QmiCodes.DUPLICATE_MEMBER, `'${m.name}' appears twice in ${n.name}`, m.span, ctx);
      seen.add(m.name);
    }
    const d = n.kind === 'enum' ? this.enumDecl(n, file, ctx) : this.maskDecl(n, file, ctx);
    this.decls.set(n.name, d);
    return d;
  }

  private enumDecl(n: AstEnum, file: string, ctx: string[]): QmiEnumDecl {
    const width = n.keyword === 'enum8' ? 1 : n.keyword === 'enum16' ? 2 : 4;
    const bits = BigInt(width * 8);
    const members = n.members.map((m, i) => {
      const v = this.enumMemberValue(n, i) ?? 0n;
      // Signed on the wire, but hex literals for the full unsigned range are common.
      if (v < -(1n << (bits - 1n)) || v >= 1n << bits) {
        this.err(
          QmiCodes.VALUE_OUT_OF_RANGE,
          `value ${v} of '${m.name}' does not fit ${n.keyword} (${width} byte${width > 1 ? 's' : ''})`,
          m.value?.span ?? m.span,
          ctx,
        );
      }
      return { name: m.name, value: Number(BigInt.asIntN(Number(bits), v)), span: m.span, ...(m.doc ? { doc: m.doc } : {}) };
    });
    return { kind: 'enum', name: n.name, file, span: n.span, ...(n.doc ? { doc: n.doc } : {}), width, members };
  }

  private maskDecl(n: AstEnum, file: string, ctx: string[]): QmiMaskDecl {
    const width = n.keyword === 'mask8' ? 1 : n.keyword === 'mask16' ? 2 : n.keyword === 'mask32' ? 4 : 8;
    const bits = BigInt(width * 8);
    const members = n.members.map((m) => {
      let v = 0n;
      if (!m.value) this.err(QmiCodes.MASK_NEEDS_VALUE, `mask member '${m.name}' needs an explicit value`, m.span, ctx);
      else {
        const e = this.evalExpr(m.value, ctx);
        if (e !== null && (e < 0n || e >= 1n << bits)) {
          this.err(
            QmiCodes.VALUE_OUT_OF_RANGE,
            `value ${e} of '${m.name}' does not fit ${n.keyword} (${width} byte${width > 1 ? 's' : ''})`,
            m.value.span,
            ctx,
          );
        } else if (e !== null) v = e;
      }
      return { name: m.name, value: v, span: m.span, ...(m.doc ? { doc: m.doc } : {}) };
    });
    return { kind: 'mask', name: n.name, file, span: n.span, ...(n.doc ? { doc: n.doc } : {}), width, members };
  }

  private resolveStruct(n: AstStruct, file: string): QmiStructDecl | undefined {
    const state = this.structState.get(n.name);
    if (state === 'resolving') {
      this.err(QmiCodes.RECURSIVE_STRUCT, `struct '${n.name}' contains itself`, n.span);
      return undefined;
    }
    if (state === 'failed') return undefined;
    if (state) return state;
    this.structState.set(n.name, 'resolving');
    const ctx = [`struct ${n.name}`];
    const members: QmiMember[] = [];
    const seen = new Set<string>();
    for (const m of n.members) {
      if (seen.has(m.name)) this.err(QmiCodes.DUPLICATE_MEMBER, `'${m.name}' appears twice in ${n.name}`, m.span, ctx);
      seen.add(m.name);
      const r = this.resolveMember(m, [...ctx, m.name]);
      if (r) members.push(r);
    }
    // A struct built on one that nests too deeply fails with it, without another error.
    if (n.members.some((m) => this.structState.get(m.typeName) === 'failed')) {
      this.structState.set(n.name, 'failed');
      return undefined;
    }
    // Every later stage walks struct types recursively: keep the nesting bounded.
    const depth = 1 + Math.max(0, ...members.map((m) => (m.type.kind === 'struct' ? (this.structDepth.get(m.type.decl) ?? 0) : 0)));
    if (depth > MAX_NESTING) {
      this.err(QmiCodes.NESTING_TOO_DEEP, `struct '${n.name}' nests ${depth} structs deep (at most ${MAX_NESTING})`, n.span);
      this.structState.set(n.name, 'failed');
      return undefined;
    }
    const d: QmiStructDecl = { kind: 'struct', name: n.name, file, span: n.span, members, ...(n.doc ? { doc: n.doc } : {}) };
    this.structDepth.set(d, depth);
    this.structState.set(n.name, d);
    this.decls.set(n.name, d);
    return d;
  }

  private resolveType(name: string, span: SourceSpan, ctx: string[]): QmiTypeRef | undefined {
    if (name === '') return undefined;
    if (PRIMITIVES.has(name)) return { kind: 'primitive', name: name as QmiPrimitiveName };
    const n = this.named.get(name);
    if (!n) {
      this.err(QmiCodes.UNKNOWN_TYPE, `unknown type '${name}'${didYouMean(name, [...PRIMITIVES, ...this.named.keys()])}`, span, ctx);
      return undefined;
    }
    switch (n.item.kind) {
      case 'enum':
      case 'mask': {
        const d = this.resolveEnum(n.item, n.file);
        return d.kind === 'enum' ? { kind: 'enum', decl: d } : { kind: 'mask', decl: d };
      }
      case 'struct': {
        const d = this.resolveStruct(n.item, n.file);
        return d ? { kind: 'struct', decl: d } : undefined;
      }
      default:
        this.err(QmiCodes.NOT_A_TYPE, `'${name}' is a ${n.item.kind}, not a type`, span, ctx);
        return undefined;
    }
  }

  private resolveMember(m: AstMember, ctx: string[]): QmiMember | undefined {
    const base = { name: m.name, span: m.span, ...(m.doc ? { doc: m.doc } : {}) };
    if (m.typeName === 'string') {
      if (!m.array || m.array.kind !== 'variable') {
        this.err(
          QmiCodes.BAD_STRING,
          m.array ? `string '${m.name}' takes a bound <N>, not [N]` : `string '${m.name}' needs a bound: string ${m.name}<N>`,
          m.span,
          ctx,
        );
        return undefined;
      }
      const max = this.intIn(m.array.size, 1n, BigInt(MAX_BOUND), 'string bound', QmiCodes.BAD_BOUND, ctx);
      if (max === undefined) return undefined;
      return { ...base, type: { kind: 'string', max }, arity: { kind: 'single' } };
    }
    const type = this.resolveType(m.typeName, m.typeSpan, ctx);
    if (!type) return undefined;
    let arity: QmiArity = { kind: 'single' };
    if (m.array) {
      const n = this.intIn(m.array.size, 1n, BigInt(MAX_BOUND), 'array bound', QmiCodes.BAD_BOUND, ctx);
      if (n === undefined) return undefined;
      arity = m.array.kind === 'fixed' ? { kind: 'fixed', length: n } : { kind: 'variable', max: n, countWidth: n <= 255 ? 1 : 2 };
    }
    return { ...base, type, arity };
  }

  // ---- messages ----------------------------------------------------------------------

  private resolveMessage(n: AstMessage, file: string): QmiMessageDecl {
    const existing = this.decls.get(n.name);
    if (existing?.kind === 'message') return existing;
    const ctx = [`message ${n.name}`];
    const numbering = { nextMandatory: 1, nextOptional: 0x10, sawOptional: false };
    const seen = new Set<string>();
    const byTlv = new Map<number, string>();
    const elements: QmiElement[] = [];
    for (const e of n.elements) {
      if (seen.has(e.name)) this.err(QmiCodes.DUPLICATE_MEMBER, `'${e.name}' appears twice in ${n.name}`, e.span, ctx);
      seen.add(e.name);
      const element = this.resolveElement(e, numbering, byTlv, ctx);
      if (element) elements.push(element);
    }
    const partial: QmiMessageDecl = {
      kind: 'message',
      name: n.name,
      file,
      span: n.span,
      elements,
      maxLength: 0,
      ...(n.doc ? { doc: n.doc } : {}),
    };
    const maxLength = maxMessageLength(messageDescriptor(partial, false));
    if (maxLength > 0xffff)
      this.err(
        QmiCodes.MESSAGE_TOO_LARGE,
        `largest encoding of '${n.name}' is ${maxLength} bytes; QMI payloads stop at 65535`,
        n.span,
        ctx,
      );
    const d: QmiMessageDecl = { ...partial, maxLength };
    this.decls.set(n.name, d);
    return d;
  }

  /**
   * One element with its TLV type. Qualcomm's numbering: mandatory 0x01.., the standard response
   * always 0x02, optional 0x10.., all in declaration order, unless pinned with `= id`.
   */
  private resolveElement(
    e: AstElement,
    numbering: { nextMandatory: number; nextOptional: number; sawOptional: boolean },
    byTlv: Map<number, string>,
    ctx: string[],
  ): QmiElement | undefined {
    const ectx = [...ctx, e.name];
    if (e.presence === 'optional') numbering.sawOptional = true;
    else if (numbering.sawOptional)
      this.warn(QmiCodes.MANDATORY_AFTER_OPTIONAL, `mandatory '${e.name}' follows an optional element`, e.span, ctx);
    const member = this.resolveMember(e, ectx);
    const isResp = member?.type.kind === 'struct' && member.type.decl.name === RESPONSE_TYPE;
    let tlv: number;
    if (e.presence === 'mandatory') {
      if (isResp) {
        tlv = 0x02;
        numbering.nextMandatory = Math.max(numbering.nextMandatory, 0x03);
      } else tlv = numbering.nextMandatory++;
    } else tlv = numbering.nextOptional++;
    let explicit = false;
    if (e.tlv) {
      const v = this.intIn(e.tlv, 0n, 0xffn, 'TLV type', QmiCodes.TLV_OUT_OF_RANGE, ectx);
      if (v !== undefined) {
        tlv = v;
        explicit = true;
      }
    }
    this.checkTlvRange(e, tlv, ectx);
    const clash = byTlv.get(tlv);
    if (clash !== undefined)
      this.err(QmiCodes.DUPLICATE_TLV, `'${e.name}' and '${clash}' both use TLV 0x${hex2(tlv)}`, e.tlv?.span ?? e.span, ectx);
    else byTlv.set(tlv, e.name);
    return member ? { ...member, presence: e.presence, tlvType: tlv, explicitTlv: explicit } : undefined;
  }

  private checkTlvRange(e: AstElement, tlv: number, ctx: string[]): void {
    if (e.presence === 'mandatory' && (tlv < 0x01 || tlv > 0x0f)) {
      this.err(
        QmiCodes.TLV_OUT_OF_RANGE,
        `mandatory element '${e.name}' gets TLV 0x${hex2(tlv)}; mandatory TLVs are 0x01..0x0F`,
        e.tlv?.span ?? e.span,
        ctx,
      );
    }
    if (e.presence === 'optional' && (tlv < 0x10 || tlv > 0xff)) {
      this.err(
        QmiCodes.TLV_OUT_OF_RANGE,
        `optional element '${e.name}' gets TLV 0x${hex2(tlv)}; optional TLVs are 0x10..0xFF`,
        e.tlv?.span ?? e.span,
        ctx,
      );
    }
  }

  // ---- service -----------------------------------------------------------------------

  private resolveService(s: AstService, file: string): QmiServiceDecl {
    const ctx = [`service ${s.name}`];
    let serviceId = 0;
    if (!s.id) this.err(QmiCodes.ID_OUT_OF_RANGE, `service '${s.name}' has no id: end it with '} = 0x…;'`, s.span, ctx);
    else serviceId = this.intIn(s.id, 0n, 0xffffffffn, 'service id', QmiCodes.ID_OUT_OF_RANGE, ctx) ?? 0;
    const bindings: QmiServiceBinding[] = [];
    const taken = new Map<string, string>();
    let prevId: number | undefined;
    s.groups.forEach((g, gi) => {
      const id = this.groupId(g, gi, prevId, ctx);
      prevId = id;
      if (g.pairs.length > 3)
        this.err(
          QmiCodes.GROUP_TOO_LARGE,
          `a message group binds at most 3 messages (request, response, indication); this one has ${g.pairs.length}`,
          g.span,
          ctx,
        );
      const kinds = kindsOfGroup(g.pairs.length);
      g.pairs.forEach((p, pi) => {
        const b = this.binding(p, id, kinds[pi] ?? 'indication', ctx);
        if (!b) return;
        const key = `${b.kind}:${id}`;
        const prev = taken.get(key);
        if (prev !== undefined) {
          this.err(
            QmiCodes.DUPLICATE_MESSAGE_ID,
            `${b.kind} 0x${id.toString(16).padStart(4, '0')} is already bound to ${prev}`,
            p.span,
            ctx,
          );
          return;
        }
        taken.set(key, p.idName);
        bindings.push(b);
      });
    });
    const maxLength = bindings.reduce((m, b) => Math.max(m, b.message.maxLength), 0);
    return { kind: 'service', name: s.name, file, span: s.span, serviceId, bindings, maxLength, ...(s.doc ? { doc: s.doc } : {}) };
  }

  /** A group's message id: its `= id`, else the previous group's plus one (0 for the first). */
  private groupId(g: AstServiceGroup, index: number, prevId: number | undefined, ctx: string[]): number {
    if (g.id) return this.intIn(g.id, 0n, 0xffffn, 'message id', QmiCodes.ID_OUT_OF_RANGE, ctx) ?? (prevId ?? -1) + 1;
    if (prevId !== undefined) return prevId + 1;
    if (index === 0) this.warn(QmiCodes.FIRST_ID_MISSING, `the first message group has no '= id'; assuming 0x0000`, g.span, ctx);
    return 0;
  }

  /**
   * One message bound in a group. Its kind is its position in the group (kindsOfGroup); a name
   * suffix or `@TYPE` tag that says otherwise is only a convention, reported as a warning.
   */
  private binding(p: AstServicePair, msgId: number, kind: QmiMessageKind, ctx: string[]): QmiServiceBinding | undefined {
    const n = this.named.get(p.typeName);
    if (!n || n.item.kind !== 'message') {
      this.err(
        QmiCodes.UNKNOWN_MESSAGE,
        n ? `'${p.typeName}' is a ${n.item.kind}, not a message` : `unknown message '${p.typeName}'`,
        p.typeSpan,
        ctx,
      );
      return undefined;
    }
    const message = this.resolveMessage(n.item, n.file);
    const named =
      directionOf(p.idName) ?? directionOfTag(p.doc?.tags['TYPE']) ?? directionOfTag(n.item.doc?.tags['TYPE']) ?? directionOf(p.typeName);
    if (named !== undefined && named !== kind) {
      this.warn(
        QmiCodes.KIND_FROM_POSITION,
        `'${p.idName}' reads as a ${named} but is bound as the ${kind} of its group (the position in the group decides; names are only conventions)`,
        p.span,
        ctx,
      );
    }
    return { msgId, kind, idName: p.idName, message, span: p.span };
  }

  // ---- files -------------------------------------------------------------------------

  private file(ast: AstFile): QmiFile {
    let revision = 0;
    const includes: string[] = [];
    const fileDecls: QmiDecl[] = [];
    let service: QmiServiceDecl | undefined;
    for (const item of ast.items) {
      switch (item.kind) {
        case 'include':
          includes.push(item.path);
          break;
        case 'revision':
          revision = this.intIn(item.value, 0n, 0xffffffffn, 'revision', QmiCodes.BAD_EXPRESSION, ['revision']) ?? 0;
          break;
        case 'service':
          if (service) this.err(QmiCodes.MULTIPLE_SERVICES, `a QMI IDL file defines one service; '${service.name}' came first`, item.span);
          else service = this.resolveService(item, ast.path);
          break;
        default: {
          if (this.named.get(item.name)?.item !== item) break;
          const d = this.declaration(item, ast.path);
          if (d) fileDecls.push(d);
        }
      }
    }
    const major = /_v(\d+)(?:\.[^/]*)?$/.exec(ast.path);
    return {
      path: ast.path,
      includes,
      revision,
      majorVersion: major ? Number(major[1]) : 1,
      decls: fileDecls,
      ...(service ? { service } : {}),
      ...(ast.doc ? { doc: ast.doc } : {}),
    };
  }

  private declaration(item: AstConst | AstEnum | AstStruct | AstMessage, file: string): QmiDecl | undefined {
    switch (item.kind) {
      case 'const':
        return this.constDecl(item, file);
      case 'enum':
      case 'mask':
        return this.resolveEnum(item, file);
      case 'struct':
        return this.resolveStruct(item, file);
      case 'message':
        return this.resolveMessage(item, file);
    }
  }

  private constDecl(item: AstConst, file: string): QmiConstDecl {
    const v = this.constValue(item);
    let value = 0;
    if (v !== null && (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER))) {
      this.err(QmiCodes.BAD_EXPRESSION, `constant '${item.name}' = ${v} is too large`, item.span);
    } else if (v !== null) value = Number(v);
    const c: QmiConstDecl = { kind: 'const', name: item.name, file, span: item.span, value, ...(item.doc ? { doc: item.doc } : {}) };
    this.decls.set(item.name, c);
    return c;
  }
}
