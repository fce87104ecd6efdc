/**
 * `common_v01.idl`: the types every QMI IDL includes. Built in so `include
 * "common_v01.idl";` resolves without Qualcomm's file; an include path that holds a real
 * common_v01.idl takes precedence.
 */
export const COMMON_IDL_NAME = 'common_v01.idl';

const errors: readonly (readonly [string, number])[] = [
  ['NONE', 0x00], ['MALFORMED_MSG', 0x01], ['NO_MEMORY', 0x02], ['INTERNAL', 0x03], ['ABORTED', 0x04],
  ['CLIENT_IDS_EXHAUSTED', 0x05], ['UNABORTABLE_TRANSACTION', 0x06], ['INVALID_CLIENT_ID', 0x07],
  ['NO_THRESHOLDS', 0x08], ['INVALID_HANDLE', 0x09], ['INVALID_PROFILE', 0x0a], ['INVALID_PINID', 0x0b],
  ['INCORRECT_PIN', 0x0c], ['NO_NETWORK_FOUND', 0x0d], ['CALL_FAILED', 0x0e], ['OUT_OF_CALL', 0x0f],
  ['NOT_PROVISIONED', 0x10], ['MISSING_ARG', 0x11], ['ARG_TOO_LONG', 0x13], ['INVALID_TX_ID', 0x16],
  ['DEVICE_IN_USE', 0x17], ['OP_NETWORK_UNSUPPORTED', 0x18], ['OP_DEVICE_UNSUPPORTED', 0x19], ['NO_EFFECT', 0x1a],
  ['NO_FREE_PROFILE', 0x1b], ['INVALID_PDP_TYPE', 0x1c], ['INVALID_TECH_PREF', 0x1d], ['INVALID_PROFILE_TYPE', 0x1e],
  ['INVALID_SERVICE_TYPE', 0x1f], ['INVALID_REGISTER_ACTION', 0x20], ['INVALID_PS_ATTACH_ACTION', 0x21],
  ['AUTHENTICATION_FAILED', 0x22], ['PIN_BLOCKED', 0x23], ['PIN_PERM_BLOCKED', 0x24], ['SIM_NOT_INITIALIZED', 0x25],
  ['MAX_QOS_REQUESTS_IN_USE', 0x26], ['INCORRECT_FLOW_FILTER', 0x27], ['NETWORK_QOS_UNAWARE', 0x28], ['INVALID_ID', 0x29],
  ['REQUESTED_NUM_UNSUPPORTED', 0x2a], ['INTERFACE_NOT_FOUND', 0x2b], ['FLOW_SUSPENDED', 0x2c],
  ['INVALID_DATA_FORMAT', 0x2d], ['GENERAL', 0x2e], ['UNKNOWN', 0x2f], ['INVALID_ARG', 0x30], ['INVALID_INDEX', 0x31],
  ['NO_ENTRY', 0x32], ['DEVICE_STORAGE_FULL', 0x33], ['DEVICE_NOT_READY', 0x34], ['NETWORK_NOT_READY', 0x35],
  ['CAUSE_CODE', 0x36], ['MESSAGE_NOT_SENT', 0x37], ['MESSAGE_DELIVERY_FAILURE', 0x38], ['INVALID_MESSAGE_ID', 0x39],
  ['ENCODING', 0x3a], ['AUTHENTICATION_LOCK', 0x3b], ['INVALID_TRANSITION', 0x3c], ['NOT_A_MCAST_IFACE', 0x3d],
  ['MAX_MCAST_REQUESTS_IN_USE', 0x3e], ['INVALID_MCAST_HANDLE', 0x3f], ['INVALID_IP_FAMILY_PREF', 0x40],
  ['SESSION_INACTIVE', 0x41], ['SESSION_INVALID', 0x42], ['SESSION_OWNERSHIP', 0x43], ['INSUFFICIENT_RESOURCES', 0x44],
  ['DISABLED', 0x45], ['INVALID_OPERATION', 0x46], ['INVALID_QMI_CMD', 0x47], ['TPDU_TYPE', 0x48], ['SMSC_ADDR', 0x49],
  ['INFO_UNAVAILABLE', 0x4a], ['SEGMENT_TOO_LONG', 0x4b], ['SEGMENT_ORDER', 0x4c], ['BUNDLING_NOT_SUPPORTED', 0x4d],
  ['OP_PARTIAL_FAILURE', 0x4e], ['POLICY_MISMATCH', 0x4f], ['SIM_FILE_NOT_FOUND', 0x50], ['EXTENDED_INTERNAL', 0x51],
  ['ACCESS_DENIED', 0x52], ['HARDWARE_RESTRICTED', 0x53], ['ACK_NOT_SENT', 0x54], ['INJECT_TIMEOUT', 0x55],
  ['INCOMPATIBLE_STATE', 0x5a], ['FDN_RESTRICT', 0x5b], ['SUPS_FAILURE_CAUSE', 0x5c], ['NO_RADIO', 0x5d],
  ['NOT_SUPPORTED', 0x5e], ['NO_SUBSCRIPTION', 0x5f], ['CARD_CALL_CONTROL_FAILED', 0x60], ['NETWORK_ABORTED', 0x61],
  ['MSG_BLOCKED', 0x62], ['INVALID_SESSION_TYPE', 0x64], ['INVALID_PB_TYPE', 0x65], ['NO_SIM', 0x66],
  ['PB_NOT_READY', 0x67], ['PIN_RESTRICTION', 0x68], ['PIN2_RESTRICTION', 0x69], ['PUK_RESTRICTION', 0x6a],
  ['PUK2_RESTRICTION', 0x6b], ['PB_ACCESS_RESTRICTED', 0x6c], ['PB_DELETE_IN_PROG', 0x6d], ['PB_TEXT_TOO_LONG', 0x6e],
  ['PB_NUMBER_TOO_LONG', 0x6f], ['PB_HIDDEN_KEY_RESTRICTION', 0x70], ['PB_NOT_AVAILABLE', 0x71],
  ['DEVICE_MEMORY_ERROR', 0x72], ['NO_PERMISSION', 0x73], ['TOO_SOON', 0x74], ['TIME_NOT_ACQUIRED', 0x75],
  ['OP_IN_PROGRESS', 0x76],
];

const hex = (n: number) => `0x${n.toString(16).padStart(4, '0').toUpperCase().replace('0X', '0x')}`;

export const COMMON_IDL_TEXT = `//! @FILE common_v01.idl (built into dspidl)
//! @BRIEF Types shared by every QMI service: result/error codes and the standard response.
revision 11;

enum16 {
  QMI_RESULT_SUCCESS = 0x0000,
  QMI_RESULT_FAILURE = 0x0001
} qmi_result_type;

enum16 {
${errors.map(([n, v]) => `  QMI_ERR_${n} = ${hex(v)}`).join(',\n')}
} qmi_error_type;

//! The standard response TLV (0x02) of every response message.
struct {
  qmi_result_type result;
  qmi_error_type error;
} qmi_response_type;

message {
} qmi_get_supported_msgs_req;

message {
  mandatory qmi_response_type resp;
  optional uint8 supported_msgs<8192>;
} qmi_get_supported_msgs_resp;
`;
