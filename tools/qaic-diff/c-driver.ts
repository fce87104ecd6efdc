/**
 * Writes the C driver of one IDL file for the differential runner: for every call case, code
 * that builds the arguments in the C types qaic's header declares, calls the qaic-generated
 * stub (whose transport, c/harness.c, records the request and passes it to the qaic-generated
 * skel), and prints what the stub decoded; and, per method, the implementation the skel calls,
 * which prints what it received and writes the case's rout values. Every value is walked from
 * the resolved dspidl model of the same IDL; the C parameter lists come from qaic's header.
 */
import { resolveAlias, type InterfaceDecl, type MethodDecl, type TypeRef } from '../../generator/model/qaic.ts';
import { isComplex } from '../../generator/qaic/resolve.ts';
import { isByteSequence, type CaseValues, type Json } from './values.ts';

/** Where a value lives in C. */
type Slot =
  /** A scalar, struct or array lvalue. */
  | { readonly k: 'lv'; readonly lv: string }
  /** A pointer and its length (strings: characters incl. the terminator; sequences: elements). */
  | { readonly k: 'pair'; readonly ptr: string; readonly len: string }
  /** A NUL-terminated in string (`const char* s`). */
  | { readonly k: 'zstr'; readonly ptr: string }
  /** A dmahandle parameter: fd, offset and length. */
  | { readonly k: 'dma'; readonly fd: string; readonly offset: string; readonly len: string };

export interface CallCase {
  readonly id: number;
  readonly iface: InterfaceDecl;
  readonly method: MethodDecl;
  readonly values: CaseValues;
}

interface CParam {
  readonly type: string;
  readonly name: string;
}

/** Parameter lists and return types of the functions qaic's header declares, by C name. */
export function headerPrototypes(header: string): Map<string, { ret: string; params: CParam[] }> {
  const out = new Map<string, { ret: string; params: CParam[] }>();
  const re = /__QAIC_HEADER_EXPORT\s+([\w ]+?)\s+__QAIC_HEADER\((\w+)\)\(([^)]*)\)/g;
  for (const m of header.matchAll(re)) {
    const params = (m[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== 'void')
      .map((s) => {
        const name = /(\w+)\s*$/.exec(s)?.[1] ?? '';
        return { type: s.slice(0, s.length - name.length).trim(), name };
      });
    out.set(m[2]!, { ret: m[1]!, params });
  }
  return out;
}

const cstr = (s: string): string => {
  let out = '"';
  for (const b of new TextEncoder().encode(s))
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}""`;
  return `${out}"`;
};

function literal(t: TypeRef, v: Json): string {
  const x = resolveAlias(t);
  if (x.kind === 'prim') {
    switch (x.prim) {
      case 'boolean':
        return v ? '1' : '0';
      case 'int64':
        return BigInt(v as string) === -(1n << 63n) ? '(-9223372036854775807LL - 1)' : `${String(v)}LL`;
      case 'uint64':
        return `${String(v)}ULL`;
      case 'float':
      case 'double':
        return Object.is(v, -0) ? '-0.0' : hexFloat(v as number);
      case 'int32':
        return (v as number) === -2147483648 ? '(-2147483647 - 1)' : String(v);
      case 'uint32':
        return `${String(v)}u`;
      default:
        return String(v);
    }
  }
  return String(v);
}

/** A double as a C hexadecimal floating literal: exact. */
function hexFloat(v: number): string {
  if (v === 0) return '0.0';
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  const bits = b.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) return `${sign}0x0.${mant.toString(16).padStart(13, '0')}p-1022`;
  return `${sign}0x1.${mant.toString(16).padStart(13, '0')}p${exp - 1023}`;
}

/**
 * The slot of member `name` of type `t` inside struct lvalue `lv`. qaic's header flattens a
 * string or sequence member into a pointer and a `Len`, also when its type is a typedef.
 */
function memberSlot(lv: string, name: string, t: TypeRef): Slot {
  const x = resolveAlias(t);
  if (x.kind === 'string' || x.kind === 'sequence') return { k: 'pair', ptr: `${lv}.${name}`, len: `${lv}.${name}Len` };
  return { k: 'lv', lv: `${lv}.${name}` };
}

/** A typedef'd sequence or a string element is a {data, dataLen} object. */
function asPair(t: TypeRef, s: Slot): Slot {
  const x = resolveAlias(t);
  if (s.k === 'lv' && (x.kind === 'sequence' || x.kind === 'string')) return { k: 'pair', ptr: `${s.lv}.data`, len: `${s.lv}.dataLen` };
  return s;
}

const elemSlot = (ptr: string, i: string): Slot => ({ k: 'lv', lv: `(${ptr})[${i}]` });

class Emitter {
  readonly lines: string[] = [];
  private n = 0;
  constructor(private indent = '  ') {}
  line(s: string): void {
    this.lines.push(this.indent + s);
  }
  tmp(prefix: string): string {
    return `${prefix}${this.n++}`;
  }
  nest<T>(f: () => T): T {
    const was = this.indent;
    this.indent += '  ';
    try {
      return f();
    } finally {
      this.indent = was;
    }
  }

  /** Statements that make `s` hold the in value `v` (allocating strings and sequences). */
  setIn(t: TypeRef, s: Slot, v: Json): void {
    const x = resolveAlias(t);
    s = asPair(t, s);
    switch (x.kind) {
      case 'prim':
      case 'enum':
        if (s.k === 'lv') this.line(`${s.lv} = ${literal(x, v)};`);
        return;
      case 'struct':
        if (s.k !== 'lv') throw new Error('struct slot');
        for (const m of x.decl.members) this.setIn(m.type, memberSlot(s.lv, m.name, m.type), (v as Record<string, Json>)[m.name]!);
        return;
      case 'array':
        if (s.k !== 'lv') throw new Error('array slot');
        (v as Json[]).forEach((e, i) => this.setIn(x.elem, elemSlot(s.lv, String(i)), e));
        return;
      case 'string':
        this.setString(x.wide, s, v as string, undefined);
        return;
      case 'sequence':
        this.setSequence(x.elem, s, v, undefined);
        return;
      case 'dmahandle': {
        const d = v as { fd: number; offset: number; len: number };
        if (s.k === 'dma') this.line(`${s.fd} = ${d.fd}; ${s.offset} = ${d.offset}u; ${s.len} = ${d.len}u;`);
        else if (s.k === 'lv') this.line(`${s.lv}.fd = ${d.fd}; ${s.lv}.offset = ${d.offset}u; ${s.lv}.len = ${d.len}u;`);
        return;
      }
      default:
        throw new Error(`cannot set ${x.kind}`);
    }
  }

  /** A string in a fresh buffer of `cap` characters (default: just enough), with its length. */
  private setString(wide: boolean, s: Slot, v: string, cap: number | undefined): void {
    const units = wide ? Array.from({ length: v.length }, (_, i) => v.charCodeAt(i)) : [...new TextEncoder().encode(v)];
    const size = Math.max(cap ?? 0, units.length + 1);
    const ptr = s.k === 'pair' || s.k === 'zstr' ? s.ptr : '';
    const ct = wide ? '_wchar_t' : 'char';
    const tmp = this.tmp('s');
    this.line(`${ct}* ${tmp} = calloc(${size}, sizeof(${ct}));`);
    if (wide) units.forEach((u, i) => this.line(`${tmp}[${i}] = ${u};`));
    else if (units.length > 0) this.line(`memcpy(${tmp}, ${cstr(v)}, ${units.length});`);
    this.line(`${ptr} = ${tmp};`);
    if (s.k === 'pair') this.line(`${s.len} = ${cap ?? units.length + 1};`);
  }

  private setSequence(elem: TypeRef, s: Slot, v: Json, caps: Json | undefined): void {
    if (s.k !== 'pair') throw new Error('sequence slot');
    const bytes = typeof v === 'string';
    const n = bytes ? v.length / 2 : (v as Json[]).length;
    const tmp = this.tmp('q');
    this.line(`${s.ptr} = calloc(${Math.max(n, 1)}, sizeof(*${s.ptr}));`);
    this.line(`${s.len} = ${n};`);
    const ptr = `(${s.ptr})`;
    if (bytes) {
      for (let i = 0; i < n; i++) this.line(`((unsigned char*)${ptr})[${i}] = 0x${v.slice(2 * i, 2 * i + 2)};`);
      return;
    }
    void tmp;
    (v as Json[]).forEach((e, i) => {
      const c = Array.isArray(caps) ? caps[i] : undefined;
      if (c !== undefined && c !== null) this.setCaps(elem, elemSlot(ptr, String(i)), c, e);
      else this.setIn(elem, elemSlot(ptr, String(i)), e);
    });
  }

  /**
   * Allocates the rout buffers of `s` for capacities `caps` (strings and sequences, nested in
   * structs and sequences); `input` is an inrout value to start from.
   */
  setCaps(t: TypeRef, s: Slot, caps: Json, input?: Json): void {
    const x = resolveAlias(t);
    s = asPair(t, s);
    switch (x.kind) {
      case 'string':
        this.setString(x.wide, s, (input as string | undefined) ?? '', caps as number);
        return;
      case 'sequence': {
        if (s.k !== 'pair') throw new Error('sequence slot');
        if (!isComplex(x.elem)) {
          const n = caps as number;
          this.line(`${s.ptr} = calloc(${Math.max(n, 1)}, sizeof(*${s.ptr}));`);
          this.line(`${s.len} = ${n};`);
          return;
        }
        const list = caps as Json[];
        this.line(`${s.ptr} = calloc(${Math.max(list.length, 1)}, sizeof(*${s.ptr}));`);
        this.line(`${s.len} = ${list.length};`);
        list.forEach((c, i) => this.setCaps(x.elem, elemSlot(`(${s.ptr})`, String(i)), c));
        return;
      }
      case 'struct': {
        if (s.k !== 'lv') throw new Error('struct slot');
        const o = caps as Record<string, Json>;
        for (const m of x.decl.members) if (o[m.name] !== undefined) this.setCaps(m.type, memberSlot(s.lv, m.name, m.type), o[m.name]!);
        return;
      }
      default:
        return;
    }
  }

  /** printf statements for the value in `s` as JSON (`max`: a rout string's capacity bound). */
  print(t: TypeRef, s: Slot): void {
    const x = resolveAlias(t);
    s = asPair(t, s);
    switch (x.kind) {
      case 'prim':
        this.printPrim(x.prim, s.k === 'lv' ? s.lv : '0');
        return;
      case 'enum':
        this.line(`printf("%d", (int)${s.k === 'lv' ? s.lv : '0'});`);
        return;
      case 'struct': {
        if (s.k !== 'lv') throw new Error('struct slot');
        this.line("putchar('{');");
        x.decl.members.forEach((m, i) => {
          this.line(`fputs("${i ? ',' : ''}\\"${m.name}\\":", stdout);`);
          this.print(m.type, memberSlot(s.lv, m.name, m.type));
        });
        this.line("putchar('}');");
        return;
      }
      case 'array': {
        if (s.k !== 'lv') throw new Error('array slot');
        const i = this.tmp('i');
        this.line(`putchar('[');`);
        this.line(`for (int ${i} = 0; ${i} < ${x.length}; ${i}++) {`);
        this.nest(() => {
          this.line(`if (${i}) putchar(',');`);
          this.print(x.elem, elemSlot(s.lv, i));
        });
        this.line('}');
        this.line(`putchar(']');`);
        return;
      }
      case 'string':
        if (s.k === 'zstr') this.line(`${x.wide ? 'j_wstr' : 'j_str'}(${s.ptr}, 1LL << 40);`);
        else if (s.k === 'pair') this.line(`${x.wide ? 'j_wstr' : 'j_str'}(${s.ptr}, ${s.len});`);
        return;
      case 'sequence': {
        if (s.k !== 'pair') throw new Error('sequence slot');
        if (isByteSequence(x)) {
          this.line(`j_hex(${s.ptr}, (size_t)${s.len});`);
          return;
        }
        const i = this.tmp('i');
        this.line(`putchar('[');`);
        this.line(`for (int ${i} = 0; ${i} < (int)${s.len}; ${i}++) {`);
        this.nest(() => {
          this.line(`if (${i}) putchar(',');`);
          this.print(x.elem, elemSlot(`(${s.ptr})`, i));
        });
        this.line('}');
        this.line(`putchar(']');`);
        return;
      }
      case 'dmahandle':
        if (s.k === 'dma')
          this.line(`printf("{\\"fd\\":%d,\\"offset\\":%u,\\"len\\":%u}", (int)${s.fd}, (unsigned)${s.offset}, (unsigned)${s.len});`);
        else if (s.k === 'lv')
          this.line(
            `printf("{\\"fd\\":%d,\\"offset\\":%u,\\"len\\":%u}", (int)${s.lv}.fd, (unsigned)${s.lv}.offset, (unsigned)${s.lv}.len);`,
          );
        return;
      default:
        throw new Error(`cannot print ${x.kind}`);
    }
  }

  private printPrim(p: string, lv: string): void {
    switch (p) {
      case 'boolean':
        this.line(`fputs(${lv} ? "true" : "false", stdout);`);
        return;
      case 'octet':
      case 'char':
      case 'uint8':
        this.line(`printf("%u", (unsigned)(unsigned char)${lv});`);
        return;
      case 'int8':
        this.line(`printf("%d", (int)(signed char)${lv});`);
        return;
      case 'int64':
        this.line(`printf("\\"%lld\\"", (long long)${lv});`);
        return;
      case 'uint64':
        this.line(`printf("\\"%llu\\"", (unsigned long long)${lv});`);
        return;
      case 'float':
      case 'double':
        this.line(`j_double((double)${lv});`);
        return;
      case 'uint16':
      case 'wchar':
      case 'uint32':
        this.line(`printf("%u", (unsigned)${lv});`);
        return;
      default:
        this.line(`printf("%d", (int)${lv});`);
    }
  }

  /** The capacities a skel handed to the implementation, as the `caps` JSON convention has them. */
  printCaps(t: TypeRef, s: Slot): void {
    const x = resolveAlias(t);
    s = asPair(t, s);
    if ((x.kind === 'string' || x.kind === 'sequence') && s.k === 'pair') {
      if (x.kind === 'string' || !isComplex(x.elem)) {
        this.line(`printf("%d", (int)${s.len});`);
        return;
      }
      const i = this.tmp('i');
      this.line(`putchar('[');`);
      this.line(`for (int ${i} = 0; ${i} < (int)${s.len}; ${i}++) {`);
      this.nest(() => {
        this.line(`if (${i}) putchar(',');`);
        this.printCaps(x.elem, elemSlot(`(${s.ptr})`, i));
      });
      this.line('}');
      this.line(`putchar(']');`);
      return;
    }
    if (x.kind === 'struct' && s.k === 'lv') {
      this.line("putchar('{');");
      let first = true;
      for (const m of x.decl.members) {
        if (!isComplex(m.type)) continue;
        this.line(`fputs("${first ? '' : ','}\\"${m.name}\\":", stdout);`);
        first = false;
        this.printCaps(m.type, memberSlot(s.lv, m.name, m.type));
      }
      this.line("putchar('}');");
    }
  }

  /** The implementation writes rout value `v` into the buffers the skel gave it in `s`. */
  writeRout(t: TypeRef, s: Slot, v: Json): void {
    const x = resolveAlias(t);
    s = asPair(t, s);
    switch (x.kind) {
      case 'prim':
      case 'enum':
        if (s.k === 'lv') this.line(`${s.lv} = ${literal(x, v)};`);
        return;
      case 'struct':
        if (s.k !== 'lv') throw new Error('struct slot');
        for (const m of x.decl.members) this.writeRout(m.type, memberSlot(s.lv, m.name, m.type), (v as Record<string, Json>)[m.name]!);
        return;
      case 'array':
        if (s.k !== 'lv') throw new Error('array slot');
        (v as Json[]).forEach((e, i) => this.writeRout(x.elem, elemSlot(s.lv, String(i)), e));
        return;
      case 'string': {
        if (s.k !== 'pair') return;
        const str = v as string;
        const units = x.wide ? Array.from({ length: str.length }, (_, i) => str.charCodeAt(i)) : [...new TextEncoder().encode(str)];
        [...units, 0].forEach((u, i) =>
          this.line(`if (${i} < (int)${s.len}) ((${x.wide ? '_wchar_t' : 'unsigned char'}*)${s.ptr})[${i}] = ${u};`),
        );
        return;
      }
      case 'sequence': {
        if (s.k !== 'pair') return;
        if (typeof v === 'string') {
          for (let i = 0; i < v.length / 2; i++)
            this.line(`if (${i} < (int)${s.len}) ((unsigned char*)${s.ptr})[${i}] = 0x${v.slice(2 * i, 2 * i + 2)};`);
          return;
        }
        (v as Json[]).forEach((e, i) => {
          this.line(`if (${i} < (int)${s.len}) {`);
          this.nest(() => this.writeRout(x.elem, elemSlot(`(${s.ptr})`, String(i)), e));
          this.line('}');
        });
        return;
      }
      default:
        return;
    }
  }
}

/** The C slot of IDL parameter `name` among a function's C parameters (or their local copies, `suffix`). */
function paramSlot(t: TypeRef, mode: string, name: string, params: readonly CParam[], deref: (n: string, ptr: boolean) => string): Slot {
  const x = resolveAlias(t);
  const has = (n: string): boolean => params.some((p) => p.name === n);
  const type = params.find((p) => p.name === name)?.type ?? '';
  if (x.kind === 'dmahandle')
    return { k: 'dma', fd: deref(name, false), offset: deref(`${name}Offset`, false), len: deref(`${name}Len`, false) };
  if (x.kind === 'string' && mode === 'in') return { k: 'zstr', ptr: deref(name, false) };
  if (has(`${name}Len`)) return { k: 'pair', ptr: deref(name, false), len: deref(`${name}Len`, false) };
  return { k: 'lv', lv: deref(name, type.endsWith('*')) };
}

export interface DriverInput {
  readonly header: string;
  readonly headerFile: string;
  readonly interfaces: readonly InterfaceDecl[];
  readonly cases: readonly CallCase[];
}

const HANDLE64 = '0x1122334455667788ULL';

/** The driver's C source: implementations, one function per call case, the skel tables and main(). */
export function driverSource(input: DriverInput): string {
  const protos = headerPrototypes(input.header);
  const out: string[] = [
    '/* Generated by tools/qaic-diff (dspidl): calls qaic-generated stubs and implements the skels. */',
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <string.h>',
    '#include "harness.h"',
    `#include "${input.headerFile}"`,
    '',
    'static int g_case = -1;',
    '',
  ];
  for (const iface of input.interfaces) {
    out.push(...skelDecls(iface));
    for (const m of iface.methods) out.push(...implFunction(iface, m, protos, input.cases));
  }
  input.cases.forEach((c) => out.push(...callFunction(c, protos)));
  out.push(...mainFunction(input));
  return `${out.join('\n')}\n`;
}

function skelDecls(iface: InterfaceDecl): string[] {
  return iface.handle64
    ? [`int ${iface.cName}_skel_handle_invoke(remote_handle64 h, uint32_t sc, remote_arg* pra);`]
    : [`int ${iface.cName}_skel_invoke(uint32_t sc, remote_arg* pra);`];
}

function implFunction(
  iface: InterfaceDecl,
  m: MethodDecl,
  protos: ReturnType<typeof headerPrototypes>,
  cases: readonly CallCase[],
): string[] {
  const cname = `${iface.cName}_${m.name}`;
  const proto = protos.get(cname);
  if (!proto) throw new Error(`qaic's header declares no ${cname}`);
  const sig = `${proto.ret} impl_${cname}(${proto.params.map((p) => `${p.type} ${p.name}`).join(', ') || 'void'})`;
  const e = new Emitter();
  e.line('h_mark_impl_called();');
  if (iface.handle64 && m.index <= 1) {
    if (m.index === 0) e.line('*h = 1;');
    e.line('return 0;');
    return [`${sig} {`, ...e.lines, '}', ''];
  }
  e.line('if (h_mode() == MODE_BAD) return 0;');
  const slot = (p: MethodDecl['params'][number]): Slot =>
    paramSlot(p.type, p.mode, p.name, proto.params, (n, ptr) => (ptr ? `(*${n})` : n));
  e.line('fputs("{\\"ev\\":\\"impl\\",\\"args\\":{", stdout);');
  let first = true;
  for (const p of m.params) {
    if (p.mode === 'rout' && resolveAlias(p.type).kind !== 'dmahandle') continue;
    e.line(`fputs("${first ? '' : ','}\\"${p.name}\\":", stdout);`);
    first = false;
    e.print(p.type, slot(p));
  }
  e.line('fputs("},\\"caps\\":{", stdout);');
  first = true;
  for (const p of m.params) {
    const x = resolveAlias(p.type);
    if (p.mode === 'in' || !isComplex(p.type) || (p.mode === 'inrout' && x.kind === 'sequence')) continue;
    e.line(`fputs("${first ? '' : ','}\\"${p.name}\\":", stdout);`);
    first = false;
    e.printCaps(p.type, slot(p));
  }
  e.line('fputs("}}\\n", stdout);');
  e.line('switch (g_case) {');
  for (const c of cases.filter((k) => k.method === m && k.iface === iface)) {
    e.line(`case ${c.id}:`);
    e.nest(() => {
      if (c.values.result === 0) {
        for (const p of m.params) {
          if (p.mode === 'in' || resolveAlias(p.type).kind === 'dmahandle') continue;
          e.writeRout(p.type, slot(p), c.values.routs[p.name]!);
        }
      }
      e.line(`return ${c.values.result};`);
    });
  }
  e.line('}');
  e.line('return 0;');
  return [`${sig} {`, ...e.lines, '}', ''];
}

function callFunction(c: CallCase, protos: ReturnType<typeof headerPrototypes>): string[] {
  const { iface, method: m, values } = c;
  const cname = `${iface.cName}_${m.name}`;
  const proto = protos.get(cname)!;
  const e = new Emitter();
  // One local per C parameter, passed by value or by address as the prototype says.
  const passed: string[] = [];
  for (const p of proto.params) {
    if (p.name === '_h') {
      passed.push(HANDLE64);
      continue;
    }
    if (p.name === 'asyncDesc') {
      passed.push('0');
      continue;
    }
    const base = p.type.replace(/^const\s+/, '');
    const isPtr = base.endsWith('*');
    const pointee = base.replace(/\*\s*$/, '').trim();
    const isPairPtr = proto.params.some((q) => q.name === `${p.name}Len`) || isZstr(m, p.name);
    if (isPtr && !isPairPtr) {
      e.line(`${pointee} ${p.name}_v; memset(&${p.name}_v, 0, sizeof ${p.name}_v);`);
      passed.push(`&${p.name}_v`);
    } else {
      e.line(`${base} ${p.name}_v; memset(&${p.name}_v, 0, sizeof ${p.name}_v);`);
      passed.push(`${p.name}_v`);
    }
  }
  const slot = (p: MethodDecl['params'][number]): Slot => paramSlot(p.type, p.mode, p.name, proto.params, (n) => `${n}_v`);
  for (const p of m.params) {
    const x = resolveAlias(p.type);
    const v = values.args[p.name];
    const cap = values.caps[p.name];
    if (p.mode === 'in' || x.kind === 'dmahandle') e.setIn(p.type, slot(p), v!);
    else if (p.mode === 'inrout' && (x.kind === 'string' || x.kind === 'sequence')) {
      if (x.kind === 'string') e.setCaps(p.type, slot(p), cap!, v);
      else e.setIn(p.type, slot(p), v!);
    } else if (p.mode === 'inrout') e.setIn(p.type, slot(p), v!);
    else if (cap !== undefined) e.setCaps(p.type, slot(p), cap);
  }
  e.line(`g_case = ${c.id};`);
  e.line('h_reset_fds();');
  e.line(`printf("{\\"ev\\":\\"call\\",\\"case\\":${c.id}}\\n");`);
  e.line(`int r = (int)${cname}(${passed.join(', ')});`);
  e.line(`printf("{\\"ev\\":\\"stub\\",\\"case\\":${c.id},\\"result\\":%d,\\"routs\\":", r);`);
  e.line('if (r != 0) fputs("null", stdout);');
  e.line('else {');
  e.nest(() => {
    e.line("putchar('{');");
    let first = true;
    for (const p of m.params) {
      if (p.mode === 'in' || resolveAlias(p.type).kind === 'dmahandle') continue;
      e.line(`fputs("${first ? '' : ','}\\"${p.name}\\":", stdout);`);
      first = false;
      e.print(p.type, slot(p));
    }
    e.line("putchar('}');");
  });
  e.line('}');
  e.line('fputs("}\\n", stdout);');
  e.line('fflush(stdout);');
  return [`static void call_${c.id}(void) {`, ...e.lines, '}', ''];
}

function isZstr(m: MethodDecl, cParam: string): boolean {
  const p = m.params.find((q) => q.name === cParam);
  return p !== undefined && p.mode === 'in' && resolveAlias(p.type).kind === 'string';
}

function mainFunction(input: DriverInput): string[] {
  const skels32 = input.interfaces.map((i) => (i.handle64 ? '0' : `${i.cName}_skel_invoke`));
  const skels64 = input.interfaces.map((i) => (i.handle64 ? `${i.cName}_skel_handle_invoke` : '0'));
  const lines = [
    `static int (*const skels32[])(uint32_t, remote_arg*) = {${skels32.join(', ')}};`,
    `static int (*const skels64[])(remote_handle64, uint32_t, remote_arg*) = {${skels64.join(', ')}};`,
    '',
    'int main(int argc, char** argv) {',
    '  if (argc > 1 && strcmp(argv[1], "bad") == 0) return h_run_bad_inputs(skels32, skels64);',
  ];
  for (const c of input.cases) {
    const i = input.interfaces.indexOf(c.iface);
    lines.push(`  g_skel32 = skels32[${i}]; g_skel64 = skels64[${i}]; h_run_case(${c.id}, call_${c.id});`);
  }
  lines.push('  return 0;', '}');
  return lines;
}
