/**
 * `dspidl/qmi`: QMI TLV codecs (descriptor-driven, with qmi_idl_lib's verdicts) and QMI
 * messaging over a QRTR-style router: clients, services, the name service, channels.
 */
export * from './codec/index.ts';
export * from './messaging/index.ts';
