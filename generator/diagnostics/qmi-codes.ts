/**
 * Stable codes of the QMI IDL front end. A code never changes meaning once released;
 * each one has an invalid input in test/qmi/invalid/.
 */
export const QmiCodes = {
  /** A character no token starts with. */
  LEX_ERROR: 'QMI001',
  /** The token stream does not match the grammar. */
  SYNTAX_ERROR: 'QMI002',
  /** An input or included file cannot be read. */
  FILE_NOT_FOUND: 'QMI003',
  /** A name is declared twice (across included files too). */
  DUPLICATE_DECL: 'QMI004',
  /** A type name that is neither built in nor declared. */
  UNKNOWN_TYPE: 'QMI005',
  /** An expression names something that is not a constant. */
  UNKNOWN_CONST: 'QMI006',
  /** An expression that is not a non-negative integer in range (division by zero, overflow). */
  BAD_EXPRESSION: 'QMI007',
  /** An array or string bound outside 1..65535. */
  BAD_BOUND: 'QMI008',
  /** `string` without `<N>`, with `[N]`, or another form the wire cannot carry. */
  BAD_STRING: 'QMI009',
  /** Two elements of a message with the same TLV type. */
  DUPLICATE_TLV: 'QMI010',
  /** A TLV type outside its range: mandatory 0x01..0x0F, optional 0x10..0xFF. */
  TLV_OUT_OF_RANGE: 'QMI011',
  /** The service block names something that is not a message. */
  UNKNOWN_MESSAGE: 'QMI012',
  /** Two bindings for the same (message id, direction). */
  DUPLICATE_MESSAGE_ID: 'QMI013',
  /** More than one service block in the program's root files. */
  MULTIPLE_SERVICES: 'QMI014',
  /** A service group of more than three pairs. */
  GROUP_TOO_LARGE: 'QMI015',
  /** The direction (request/response/indication) of a binding cannot be told. */
  UNKNOWN_DIRECTION: 'QMI016',
  /** An enum or mask value that does not fit its wire width. */
  VALUE_OUT_OF_RANGE: 'QMI017',
  /** A mask member without an explicit value. */
  MASK_NEEDS_VALUE: 'QMI018',
  /** Two members (or elements) with the same name in one declaration. */
  DUPLICATE_MEMBER: 'QMI019',
  /** A struct that contains itself. */
  RECURSIVE_STRUCT: 'QMI020',
  /** A message whose largest encoding cannot fit a 16-bit length. */
  MESSAGE_TOO_LARGE: 'QMI021',
  /** A message id or service id outside 0..0xFFFF (service: 0..0xFFFFFFFF). */
  ID_OUT_OF_RANGE: 'QMI022',
  /** The first service group has no `= id`; 0 is assumed. */
  FIRST_ID_MISSING: 'QMI023',
  /** A mandatory element declared after an optional one (legal, but unusual). */
  MANDATORY_AFTER_OPTIONAL: 'QMI024',
  /** An include cycle. */
  INCLUDE_CYCLE: 'QMI025',
  /** A type used where it cannot be: a message as a member type, a const as a type. */
  NOT_A_TYPE: 'QMI026',
  /** The file reads as the QAIC (FastRPC) dialect, not QMI. */
  WRONG_DIALECT: 'QMI027',
} as const;

export type QmiCode = (typeof QmiCodes)[keyof typeof QmiCodes];
