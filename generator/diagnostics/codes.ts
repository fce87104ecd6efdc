/**
 * Stable diagnostic codes of the QAIC front end. A code, once published, keeps its
 * meaning; new problems get new codes. Every code is exercised by an input of the
 * invalid-input corpus (test/frontend/invalid).
 */
export const QaicCodes = {
  QAIC001: 'input or included file not found',
  QAIC002: 'lexical error: a character or literal the lexer does not accept',
  QAIC003: 'syntax error',
  QAIC004: 'reserved word used as a name',
  QAIC005: 'preprocessor directive not supported by qaic (#if, #else, #elif, #undef, ...)',
  QAIC006: 'unbalanced #ifdef/#ifndef/#endif',
  QAIC007: 'malformed preprocessor directive',
  QAIC008: 'include nesting too deep (an include cycle without guards)',
  QAIC009: 'declarations or expressions nested too deeply',
  QAIC010: 'name not declared (or not in scope the way qaic looks it up)',
  QAIC011: 'name declared twice in the same scope',
  QAIC012: 'name refers to the wrong kind of declaration (a type where a constant is needed, ...)',
  QAIC013: 'fully qualified name (leading ::) is not supported by qaic',
  QAIC014: 'module-level constant used unqualified inside its module (qaic does not find it)',
  QAIC015: 'scoped name used directly as a parameter or member type (qaic needs a typedef)',
  QAIC016: 'module-level type used by an interface of that module (qaic generates unusable C)',
  QAIC020: 'duplicate struct or union member name',
  QAIC021: 'duplicate parameter name',
  QAIC022: 'name is a C keyword: the generated C would not compile',
  QAIC030: 'invalid constant expression',
  QAIC031: 'constant value does not fit its type',
  QAIC032: 'array or sequence bound must be a positive integer constant',
  QAIC033: 'multi-dimensional array declarator (use an array of a typedef\'d array)',
  QAIC034: 'fixed array of a complex type (string, sequence, complex struct, dmahandle)',
  QAIC035: 'sequence whose element is an anonymous sequence (use a typedef for the inner sequence)',
  QAIC036: 'union type used in a parameter (qaic does not support unions on the wire)',
  QAIC037: 'native type used in a parameter or member',
  QAIC038: 'interface type used as a parameter (only remote_handle64 is known to qaic)',
  QAIC039: 'remote_handle64 parameter (qaic generates unusable code for it)',
  QAIC040: 'struct holds a dmahandle next to other members (the qaic skel drops those members)',
  QAIC041: 'inrout not supported for this type (dmahandle, complex struct, sequence of complex elements)',
  QAIC042: 'async method with a rout primitive parameter',
  QAIC043: 'return type not supported (the wire carries only the 32-bit status)',
  QAIC044: "'notnil' used outside an interface type",
  QAIC045: 'unknown method attribute (only [oneway] and [signal])',
  QAIC046: 'local interface: no code can be generated',
  QAIC047: 'ext_params interface: its 64-bit scalars format is not supported',
  QAIC048: 'interface both forward-declared and defined in one file',
  QAIC049: 'invalid base interface',
  QAIC051: 'attribute needs AEEResult in scope (#include "AEEStdDef.idl")',
  QAIC052: 'legacy typedef of a built-in sized name that agrees with it (ignored)',
  QAIC053: 'legacy typedef of a built-in sized name that conflicts with it',
  QAIC054: 'invalid union discriminator or case label',
  QAIC055: 'constant type not allowed',
  QAIC056: '[oneway] or [signal] method with a rout or inrout parameter',
  QAIC057: 'recursive struct or union (refers to itself)',
} as const satisfies Record<string, string>;

export type QaicCode = keyof typeof QaicCodes;

/** Codes of the emit stage, shared by both dialects. */
export const EmitCodes = {
  EMIT001: 'an emitter threw while generating a file (the message names the emitter and the IDL file)',
} as const satisfies Record<string, string>;

export type EmitCode = keyof typeof EmitCodes;
