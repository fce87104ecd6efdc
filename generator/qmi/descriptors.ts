/**
 * Model -> runtime descriptors. The emitter prints exactly these objects into generated
 * modules and the codec CLI uses them in memory, so both run the same tables.
 */
import type {
  QmiElementDescriptor,
  QmiFieldDescriptor,
  QmiMessageDescriptor,
  QmiScalarType,
  QmiValueType,
} from '../../runtime/qmi/codec/descriptor.ts';
import type { QmiFile, QmiMember, QmiMessageDecl, QmiPrimitiveName, QmiProgram, QmiTypeRef } from '../model/qmi.ts';
import { directionOf } from './resolve.ts';
import { qmiMemberName } from './names.ts';

const primitiveScalar: Readonly<Record<QmiPrimitiveName, QmiScalarType>> = {
  boolean: 'bool',
  int8: 'i8',
  uint8: 'u8',
  char: 'u8',
  int16: 'i16',
  uint16: 'u16',
  int32: 'i32',
  uint32: 'u32',
  int64: 'i64',
  uint64: 'u64',
  float: 'f32',
  double: 'f64',
};

export function scalarOf(t: QmiTypeRef): QmiScalarType | undefined {
  switch (t.kind) {
    case 'primitive':
      return primitiveScalar[t.name];
    case 'enum':
      return t.decl.width === 1 ? 'i8' : t.decl.width === 2 ? 'i16' : 'i32';
    case 'mask':
      return t.decl.width === 1 ? 'u8' : t.decl.width === 2 ? 'u16' : t.decl.width === 4 ? 'u32' : 'u64';
    default:
      return undefined;
  }
}

export function valueType(t: QmiTypeRef): QmiValueType {
  if (t.kind === 'string') return { kind: 'string', max: t.max };
  if (t.kind === 'struct') return { kind: 'struct', name: t.decl.name, fields: t.decl.members.map(fieldDescriptor) };
  return { kind: 'scalar', scalar: scalarOf(t) ?? 'u8' };
}

export function fieldDescriptor(m: QmiMember): QmiFieldDescriptor {
  const a = m.arity;
  return {
    key: qmiMemberName(m),
    name: m.name,
    type: valueType(m.type),
    ...(a.kind === 'fixed' ? { array: { kind: 'fixed', length: a.length } } : {}),
    ...(a.kind === 'variable' ? { array: { kind: 'variable', max: a.max, countWidth: a.countWidth } } : {}),
  };
}

export function messageDescriptor(m: QmiMessageDecl, response: boolean): QmiMessageDescriptor {
  const elements: QmiElementDescriptor[] = m.elements.map((e) => ({
    ...fieldDescriptor(e),
    tlv: e.tlvType,
    optional: e.presence === 'optional',
  }));
  return { name: m.name, response, elements };
}

/** Whether a message is decoded as a response (failure responses may omit mandatory TLVs). */
export function isResponseMessage(program: QmiProgram, m: QmiMessageDecl): boolean {
  const kinds = program.files
    .flatMap((f) => f.service?.bindings ?? [])
    .filter((b) => b.message === m || b.message.name === m.name)
    .map((b) => b.kind);
  if (kinds.length > 0) return kinds.includes('response');
  return directionOf(m.name) === 'response';
}

/** A message's descriptor as generated modules embed it. */
export function qmiMessageDescriptorOf(program: QmiProgram, m: QmiMessageDecl): QmiMessageDescriptor {
  return messageDescriptor(m, isResponseMessage(program, m));
}

/** The model file for a path as given on the command line (`./x.idl`, `idl/x.idl`). */
export function qmiFileOf(program: QmiProgram, path: string): QmiFile | undefined {
  const norm = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return (
    program.files.find((f) => f.path === norm) ?? program.files.find((f) => f.path.endsWith(`/${norm}`) || norm.endsWith(`/${f.path}`))
  );
}

/** The descriptors of the messages one QMI file declares: what emitters receive. */
export function qmiFileLayout(
  program: QmiProgram,
  file: QmiFile,
): { messages: { decl: QmiMessageDecl; descriptor: QmiMessageDescriptor; response: boolean }[] } {
  const messages = file.decls
    .filter((d): d is QmiMessageDecl => d.kind === 'message')
    .map((decl) => {
      const response = isResponseMessage(program, decl);
      return { decl, descriptor: messageDescriptor(decl, response), response };
    });
  return { messages };
}
