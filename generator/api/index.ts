/** Interface versioning: frozen API dumps with hashes, and the compatibility check between two of them. */
export { API_DUMP_FORMAT, canonicalJson, computeDumpHash, computeInterfaceHash, dumpApi, formatApiDump, typeString } from './dump.ts';
export type {
  ApiConstant,
  ApiDump,
  ApiEnum,
  ApiInterface,
  ApiMember,
  ApiMethod,
  ApiParam,
  ApiStruct,
  ApiType,
  ApiTypedef,
  ApiUnion,
  ApiUnionCase,
} from './dump.ts';
export { checkApiCompat, formatApiChange, isIncompatible } from './check.ts';
export type { ApiChange, ApiChangeKind, ApiChangeSeverity } from './check.ts';
export { ApiDumpError, readApiDump } from './read.ts';
