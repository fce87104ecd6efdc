/**
 * Every diagnostic code of the generator, in one shape: a symbolic name for the code, the
 * stable code itself and a one-line summary. Stages report by symbol (`QaicCodes.UNDECLARED`),
 * never by a raw string. A code, once published, keeps its meaning; new problems get new
 * codes. Each code has an input in an invalid-input corpus (test/frontend/invalid,
 * test/qmi/invalid, test/naming) and a row in the README.
 */

/** One diagnostic code. */
export interface CodeInfo {
  readonly code: string;
  readonly summary: string;
  /** No longer reported; kept so the code is never reused with another meaning. */
  readonly retired?: true;
}

type CodeTable = Readonly<Record<string, CodeInfo>>;

/** The QAIC (FastRPC) IDL front end. */
export const QaicCodes = {
  FILE_NOT_FOUND: { code: 'QAIC001', summary: 'input or included file not found' },
  LEX_ERROR: { code: 'QAIC002', summary: 'lexical error: a character or literal the lexer does not accept' },
  SYNTAX_ERROR: { code: 'QAIC003', summary: 'syntax error' },
  RESERVED_WORD: { code: 'QAIC004', summary: 'reserved word used as a name' },
  UNSUPPORTED_DIRECTIVE: { code: 'QAIC005', summary: 'preprocessor directive not supported by qaic (#if, #else, #elif, #undef, ...)' },
  UNBALANCED_CONDITIONAL: { code: 'QAIC006', summary: 'unbalanced #ifdef/#ifndef/#endif' },
  BAD_DIRECTIVE: { code: 'QAIC007', summary: 'malformed preprocessor directive' },
  INCLUDE_TOO_DEEP: { code: 'QAIC008', summary: 'include nesting too deep (an include cycle without guards)' },
  NESTING_TOO_DEEP: { code: 'QAIC009', summary: 'declarations or expressions nested too deeply' },
  UNDECLARED: { code: 'QAIC010', summary: 'name not declared (or not in scope the way qaic looks it up)' },
  DUPLICATE_DECL: { code: 'QAIC011', summary: 'name declared twice in the same scope' },
  WRONG_KIND: { code: 'QAIC012', summary: 'name refers to the wrong kind of declaration (a type where a constant is needed, ...)' },
  ABSOLUTE_NAME: { code: 'QAIC013', summary: 'fully qualified name (leading ::) is not supported by qaic' },
  UNQUALIFIED_MODULE_CONST: {
    code: 'QAIC014',
    summary: 'module-level constant used unqualified inside its module (qaic does not find it)',
  },
  SCOPED_NAME_AS_TYPE: { code: 'QAIC015', summary: 'scoped name used directly as a parameter or member type (qaic needs a typedef)' },
  MODULE_TYPE_IN_INTERFACE: {
    code: 'QAIC016',
    summary: 'module-level type used by an interface of that module (qaic generates unusable C)',
  },
  DUPLICATE_MEMBER: { code: 'QAIC020', summary: 'duplicate struct or union member name' },
  DUPLICATE_PARAM: { code: 'QAIC021', summary: 'duplicate parameter name' },
  C_KEYWORD: { code: 'QAIC022', summary: 'name is a C keyword: the generated C would not compile' },
  BAD_CONST_EXPR: { code: 'QAIC030', summary: 'invalid constant expression' },
  CONST_OUT_OF_RANGE: { code: 'QAIC031', summary: 'constant value does not fit its type' },
  BAD_BOUND: { code: 'QAIC032', summary: 'array or sequence bound must be a positive integer constant' },
  MULTI_DIM_ARRAY: { code: 'QAIC033', summary: "multi-dimensional array declarator (use an array of a typedef'd array)" },
  ARRAY_OF_COMPLEX: { code: 'QAIC034', summary: 'fixed array of a complex type (string, sequence, complex struct, dmahandle)' },
  SEQUENCE_OF_ANON_SEQUENCE: {
    code: 'QAIC035',
    summary: 'sequence whose element is an anonymous sequence (use a typedef for the inner sequence)',
  },
  UNION_PARAM: { code: 'QAIC036', summary: 'union type used in a parameter (qaic does not support unions on the wire)' },
  NATIVE_TYPE: { code: 'QAIC037', summary: 'native type used in a parameter or member' },
  INTERFACE_PARAM: { code: 'QAIC038', summary: 'interface type used as a parameter (only remote_handle64 is known to qaic)' },
  HANDLE64_PARAM: { code: 'QAIC039', summary: 'remote_handle64 parameter (qaic generates unusable code for it)' },
  DMAHANDLE_IN_STRUCT: { code: 'QAIC040', summary: 'struct holds a dmahandle next to other members (the qaic skel drops those members)' },
  INROUT_UNSUPPORTED: {
    code: 'QAIC041',
    summary: 'inrout not supported for this type (dmahandle, complex struct, sequence of complex elements)',
  },
  ASYNC_ROUT_PRIM: { code: 'QAIC042', summary: 'async method with a rout primitive parameter' },
  BAD_RETURN_TYPE: { code: 'QAIC043', summary: 'return type not supported (the wire carries only the 32-bit status)' },
  NOTNIL: { code: 'QAIC044', summary: "'notnil' used outside an interface type" },
  UNKNOWN_ATTRIBUTE: { code: 'QAIC045', summary: 'unknown method attribute (only [oneway] and [signal])' },
  LOCAL_INTERFACE: { code: 'QAIC046', summary: 'local interface: no code can be generated' },
  EXT_PARAMS_INTERFACE: { code: 'QAIC047', summary: 'ext_params interface: its 64-bit scalars format is not supported' },
  FORWARD_AND_DEFINED: { code: 'QAIC048', summary: 'interface both forward-declared and defined in one file' },
  BAD_BASE: { code: 'QAIC049', summary: 'invalid base interface' },
  ATTRIBUTE_NEEDS_AEERESULT: { code: 'QAIC051', summary: 'attribute needs AEEResult in scope (#include "AEEStdDef.idl")' },
  LEGACY_TYPEDEF_AGREES: { code: 'QAIC052', summary: 'legacy typedef of a built-in sized name that agrees with it (ignored)' },
  LEGACY_TYPEDEF_CONFLICTS: { code: 'QAIC053', summary: 'legacy typedef of a built-in sized name that conflicts with it' },
  BAD_UNION: { code: 'QAIC054', summary: 'invalid union discriminator or case label' },
  BAD_CONST_TYPE: { code: 'QAIC055', summary: 'constant type not allowed' },
  ONEWAY_WITH_ROUT: { code: 'QAIC056', summary: '[oneway] or [signal] method with a rout or inrout parameter' },
  RECURSIVE_TYPE: { code: 'QAIC057', summary: 'recursive struct or union (refers to itself)' },
  ASYNC_ROUT_NOT_SEQUENCE: {
    code: 'QAIC058',
    summary: 'async method with a rout or inrout parameter that is not a sequence (a string, struct, array or dmahandle)',
  },
} as const satisfies CodeTable;

/** The QMI IDL front end. */
export const QmiCodes = {
  LEX_ERROR: { code: 'QMI001', summary: 'a character no token starts with' },
  SYNTAX_ERROR: { code: 'QMI002', summary: 'the token stream does not match the grammar' },
  FILE_NOT_FOUND: { code: 'QMI003', summary: 'an input or included file cannot be read' },
  DUPLICATE_DECL: { code: 'QMI004', summary: 'a name is declared twice (across included files too)' },
  UNKNOWN_TYPE: { code: 'QMI005', summary: 'a type name that is neither built in nor declared' },
  UNKNOWN_CONST: { code: 'QMI006', summary: 'an expression names something that is not a constant' },
  BAD_EXPRESSION: { code: 'QMI007', summary: 'an expression that is not a non-negative integer in range (division by zero, overflow)' },
  BAD_BOUND: { code: 'QMI008', summary: 'an array or string bound outside 1..65535' },
  BAD_STRING: { code: 'QMI009', summary: '`string` without `<N>`, with `[N]`, or another form the wire cannot carry' },
  DUPLICATE_TLV: { code: 'QMI010', summary: 'two elements of a message with the same TLV type' },
  TLV_OUT_OF_RANGE: { code: 'QMI011', summary: 'A TLV type outside its range: mandatory 0x01..0x0F, optional 0x10..0xFF' },
  UNKNOWN_MESSAGE: { code: 'QMI012', summary: 'the service block names something that is not a message' },
  DUPLICATE_MESSAGE_ID: { code: 'QMI013', summary: 'two bindings for the same (message id, direction)' },
  MULTIPLE_SERVICES: { code: 'QMI014', summary: "more than one service block in the program's root files" },
  GROUP_TOO_LARGE: { code: 'QMI015', summary: 'a service group of more than three pairs' },
  UNKNOWN_DIRECTION: {
    code: 'QMI016',
    summary: 'retired: no longer reported, the position of a message in its group gives its kind',
    retired: true,
  },
  VALUE_OUT_OF_RANGE: { code: 'QMI017', summary: 'an enum or mask value that does not fit its wire width' },
  MASK_NEEDS_VALUE: { code: 'QMI018', summary: 'a mask member without an explicit value' },
  DUPLICATE_MEMBER: { code: 'QMI019', summary: 'two members (or elements) with the same name in one declaration' },
  RECURSIVE_STRUCT: { code: 'QMI020', summary: 'a struct that contains itself' },
  MESSAGE_TOO_LARGE: { code: 'QMI021', summary: 'a message whose largest encoding cannot fit a 16-bit length' },
  ID_OUT_OF_RANGE: { code: 'QMI022', summary: 'a message id or service id outside 0..0xFFFF (service: 0..0xFFFFFFFF)' },
  FIRST_ID_MISSING: { code: 'QMI023', summary: 'the first service group has no `= id`; 0 is assumed' },
  MANDATORY_AFTER_OPTIONAL: { code: 'QMI024', summary: 'a mandatory element declared after an optional one (legal, but unusual)' },
  INCLUDE_CYCLE: { code: 'QMI025', summary: 'an include cycle' },
  NOT_A_TYPE: { code: 'QMI026', summary: 'a type used where it cannot be: a message as a member type, a const as a type' },
  WRONG_DIALECT: { code: 'QMI027', summary: 'the file reads as the QAIC (FastRPC) dialect, not QMI' },
  NESTING_TOO_DEEP: { code: 'QMI029', summary: 'expressions or structs nested too deeply (more than 64 levels)' },
  KIND_FROM_POSITION: {
    code: 'QMI028',
    summary: 'a message name or @TYPE tag says another kind than its position in the service group (warning; the position decides)',
  },
} as const satisfies CodeTable;

/** Problems shared by both dialects: reading inputs, TypeScript names, emitters. */
export const CommonCodes = {
  INPUT_NOT_REGULAR: { code: 'INPUT001', summary: 'an input or included path is not a regular file (a directory, a device, a pipe)' },
  INPUT_TOO_LARGE: { code: 'INPUT002', summary: 'an input or included file is larger than the limit (16 MiB)' },
  NAME_COLLISION: { code: 'NAME001', summary: 'two IDL names map to the same TypeScript name in one scope' },
  EMITTER_FAILED: { code: 'EMIT001', summary: 'an emitter threw while generating a file (the message names the emitter and the IDL file)' },
  TEMPLATES_UNUSABLE: { code: 'EMIT002', summary: 'a --templates directory or one of its templates cannot be used' },
  TARGET_FAILED: {
    code: 'EMIT003',
    summary: 'generated TypeScript could not be turned into JavaScript and declarations (--target js+dts)',
  },
  OUTPUT_COLLISION: { code: 'OUTPUT001', summary: 'two inputs would write the same output file' },
} as const satisfies CodeTable;

/** Every code, for documentation and coverage tests. */
export const ALL_CODES: readonly CodeInfo[] = [...Object.values(QaicCodes), ...Object.values(QmiCodes), ...Object.values(CommonCodes)];

/** Codes that can still be reported. */
export const isLive = (c: CodeInfo): boolean => c.retired !== true;
