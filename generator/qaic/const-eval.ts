/**
 * Constant folding and the `#define` spelling qaic writes for a constant.
 * Integers are folded as bigint so 64-bit constants stay exact.
 */
import type { PrimKind } from '../model/qaic.ts';
import type { AstExpr } from './ast.ts';
import { QaicCodes, type CodeInfo } from '../diagnostics/codes.ts';

export type RawValue =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string; readonly wide: boolean }
  | { readonly kind: 'bool'; readonly value: boolean };

export class ConstError extends Error {
  constructor(
    message: string,
    readonly expr: AstExpr,
    readonly code: CodeInfo = QaicCodes.BAD_CONST_EXPR,
  ) {
    super(message);
  }
}

/**
 * The integer type an expression is folded in. As in qaic (OMG IDL 3.10.2), every
 * literal and every intermediate result must fit it, and a hex literal with the
 * sign bit set stands for the negative value of a signed type.
 */
export interface IntDomain {
  readonly name: string;
  readonly lo: bigint;
  readonly hi: bigint;
}

function checked(v: bigint, e: AstExpr, d: IntDomain | undefined): bigint {
  if (d && (v < d.lo || v > d.hi)) {
    throw new ConstError(
      `${v} is ${v < d.lo ? 'below the lower' : 'above the upper'} bound ${v < d.lo ? d.lo : d.hi} of ${d.name}`,
      e,
      QaicCodes.CONST_OUT_OF_RANGE,
    );
  }
  return v;
}

/** Resolves a name inside an expression; throws ConstError when it cannot. */
export type RefResolver = (e: Extract<AstExpr, { kind: 'ref' }>) => RawValue;

export function evaluate(root: AstExpr, ref: RefResolver, dom?: IntDomain): RawValue {
  // Post-order over an explicit stack: a flat chain of thousands of terms is a left-deep tree,
  // which must not cost a stack frame per term. Left operands are evaluated before right ones.
  const values: RawValue[] = [];
  const work: { readonly e: AstExpr; readonly combine: boolean }[] = [{ e: root, combine: false }];
  while (work.length > 0) {
    const { e, combine } = work.pop()!;
    if (e.kind === 'binary') {
      if (combine) {
        const r = values.pop()!;
        const l = values.pop()!;
        values.push(binaryValue(e, l, r, dom));
      } else work.push({ e, combine: true }, { e: e.right, combine: false }, { e: e.left, combine: false });
    } else if (e.kind === 'unary' && !(e.op === '-' && e.operand.kind === 'int')) {
      if (combine) values.push(unaryValue(e, values.pop()!, dom));
      else work.push({ e, combine: true }, { e: e.operand, combine: false });
    } else values.push(leafValue(e, ref, dom));
  }
  return values[0]!;
}

/** A literal, a reference, or `-literal` (one literal for qaic: only the negated value has to fit). */
function leafValue(e: AstExpr, ref: RefResolver, dom: IntDomain | undefined): RawValue {
  switch (e.kind) {
    case 'int': {
      let v = e.value;
      if (dom && e.radix === 'hex' && dom.lo < 0n && v > dom.hi && v <= dom.hi * 2n + 1n) v -= (dom.hi + 1n) * 2n;
      return { kind: 'int', value: checked(v, e, dom) };
    }
    case 'float':
      return { kind: 'float', value: e.value };
    case 'char':
      return { kind: 'int', value: BigInt(e.value) };
    case 'string':
      return { kind: 'string', value: e.value, wide: e.wide };
    case 'bool':
      return { kind: 'bool', value: e.value };
    case 'ref':
      return ref(e);
    case 'unary':
      if (e.operand.kind === 'int') return { kind: 'int', value: checked(-e.operand.value, e, dom) };
      throw new ConstError('unexpected operand', e);
    case 'binary':
      throw new ConstError('unexpected operand', e);
  }
}

function unaryValue(e: Extract<AstExpr, { kind: 'unary' }>, v: RawValue, dom: IntDomain | undefined): RawValue {
  if (v.kind === 'int') return { kind: 'int', value: checked(e.op === '-' ? -v.value : e.op === '~' ? ~v.value : v.value, e, dom) };
  if (v.kind === 'float' && e.op !== '~') return { kind: 'float', value: e.op === '-' ? -v.value : v.value };
  throw new ConstError(`operator ${e.op} cannot be applied to a ${v.kind} value`, e);
}

function binaryValue(e: Extract<AstExpr, { kind: 'binary' }>, l: RawValue, r: RawValue, dom: IntDomain | undefined): RawValue {
  if (l.kind === 'int' && r.kind === 'int') return { kind: 'int', value: checked(intOp(e, l.value, r.value), e, dom) };
  const num = (v: RawValue): number | undefined => (v.kind === 'int' ? Number(v.value) : v.kind === 'float' ? v.value : undefined);
  const a = num(l);
  const b = num(r);
  if (a !== undefined && b !== undefined && (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/')) {
    const value = e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : a / b;
    if (!Number.isFinite(value)) throw new ConstError('floating point constant expression is not finite', e);
    return { kind: 'float', value };
  }
  throw new ConstError(`operator ${e.op} cannot be applied to ${l.kind} and ${r.kind} values`, e);
}

function intOp(e: Extract<AstExpr, { kind: 'binary' }>, a: bigint, b: bigint): bigint {
  switch (e.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0n) throw new ConstError('division by zero in constant expression', e);
      // qaic folds with Haskell's div/mod, which round toward negative infinity
      return e.op === '/' ? floorDiv(a, b) : a - b * floorDiv(a, b);
    case '<<':
    case '>>':
      if (b < 0n || b > 63n) throw new ConstError(`shift count ${b} out of range 0..63`, e);
      return e.op === '<<' ? a << b : a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

const RANGES: Partial<Record<PrimKind, readonly [bigint, bigint]>> = {
  octet: [0n, 255n],
  uint8: [0n, 255n],
  int8: [-128n, 127n],
  char: [-128n, 255n],
  wchar: [0n, 65535n],
  int16: [-32768n, 32767n],
  uint16: [0n, 65535n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

export function intRange(prim: PrimKind): readonly [bigint, bigint] | undefined {
  return RANGES[prim];
}

/** Radix of the leftmost integer literal: qaic keeps the radix the constant was written in. */
export function leadingRadix(root: AstExpr): 'dec' | 'hex' | 'oct' {
  let e = root;
  for (;;) {
    if (e.kind === 'int') return e.radix;
    if (e.kind === 'unary') e = e.operand;
    else if (e.kind === 'binary') e = e.left;
    else return 'dec';
  }
}

function intSuffix(prim: PrimKind): string {
  switch (prim) {
    case 'uint32':
      return 'u';
    case 'uint64':
      return 'ull';
    case 'int64':
      return 'll';
    default:
      return '';
  }
}

/** Haskell's `show` for a Double, which is what qaic prints for float constants. */
export function haskellDouble(v: number): string {
  if (Object.is(v, -0)) return '-0.0';
  if (v === 0) return '0.0';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  const [mant = '0', expStr = '0'] = a.toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  if (a >= 0.1 && a < 1e7) {
    const pointAt = exp + 1;
    let s: string;
    if (pointAt <= 0) s = `0.${'0'.repeat(-pointAt)}${digits}`;
    else if (pointAt >= digits.length) s = `${digits}${'0'.repeat(pointAt - digits.length)}.0`;
    else s = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
    return sign + s;
  }
  const frac = digits.slice(1) === '' ? '0' : digits.slice(1);
  return `${sign}${digits[0]}.${frac}e${exp}`;
}

function haskellString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\${c}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The body of the `#define` qaic writes for a constant of base type `prim` (or string). */
export function cDefineFor(
  type: { kind: 'prim'; prim: PrimKind } | { kind: 'string'; wide: boolean },
  value: RawValue,
  expr: AstExpr,
): string {
  if (type.kind === 'string') return (type.wide ? 'L' : '') + haskellString(value.kind === 'string' ? value.value : '');
  const prim = type.prim;
  if (prim === 'boolean')
    return value.kind === 'bool' && value.value ? 'TRUE' : value.kind === 'int' && value.value !== 0n ? 'TRUE' : 'FALSE';
  if (prim === 'float' || prim === 'double')
    return haskellDouble(value.kind === 'float' ? value.value : value.kind === 'int' ? Number(value.value) : 0);
  if ((prim === 'char' || prim === 'wchar') && expr.kind === 'char') return expr.text;
  const v = value.kind === 'int' ? value.value : value.kind === 'bool' ? (value.value ? 1n : 0n) : 0n;
  const radix = leadingRadix(expr);
  const neg = v < 0n;
  const mag = neg ? -v : v;
  if (radix === 'hex') return `${neg ? '-' : ''}0x${mag.toString(16)}`;
  if (radix === 'oct') return `${neg ? '-' : ''}0${mag.toString(8)}`;
  return `${neg ? '-' : ''}${mag.toString(10)}${intSuffix(prim)}`;
}
