/**
 * generated/rfsa.qmi.ts (a golden set: `npm run golden -- check`) embeds the descriptors the
 * CLI computes from the model, so both paths run identical tables.
 */
import { describe, expect, it } from 'vitest';
import { qmiMessageDescriptorOf } from '../../generator/qmi/descriptors.ts';
import { loadQmiProgram } from '../../generator/qmi/index.ts';
import type { QmiMessageDecl } from '../../generator/model/qmi.ts';
import { RfsaService, RfsaAccessFlagMask, RFSA_MAX_FILE_PATH, RfsaGetBuffAddrReqMsg } from '../../generated/rfsa.qmi.ts';
import { QmiErrorType } from '../../generated/common_v01.ts';
import { RFSA_IDL } from './helpers.ts';

const program = loadQmiProgram({ files: [RFSA_IDL] });

describe('generated RFSA module', () => {
  it('loads without diagnostics', () => {
    expect(program.diagnostics).toEqual([]);
  });

  it('embeds the same descriptors the model yields', () => {
    for (const m of RfsaService.messages) {
      const decl = program.value.decls.get(m.name) as QmiMessageDecl;
      expect(m.codec.descriptor).toEqual(qmiMessageDescriptorOf(program.value, decl));
    }
  });

  it('exposes the service identity, constants, enums and masks', () => {
    expect(RfsaService.serviceId).toBe(0x1c);
    expect(RfsaService.version).toBe(1);
    expect(RfsaService.minorVersion).toBe(1);
    expect(RfsaService.maxMessageLength).toBe(869);
    expect(RFSA_MAX_FILE_PATH).toBe(255);
    expect(RfsaAccessFlagMask.RFSA_ACCESS_FLAG_TRUNC).toBe(0x10n);
    expect(QmiErrorType.QMI_ERR_NOT_SUPPORTED).toBe(0x5e);
    expect(RfsaService.find(0x23, 'request')?.codec).toBe(RfsaGetBuffAddrReqMsg);
    expect(RfsaGetBuffAddrReqMsg.maxLength).toBe(14);
    expect(RfsaService.lookup(0x25, 'request').codec.maxLength).toBe(869);
    expect(RfsaService.find(0x20, 'indication')).toBeUndefined();
    expect(() => RfsaService.lookup(0x27, 'request')).toThrow(/MESSAGE_ID_NOT_FOUND/);
  });

  it('encodes the spec byte example for GET_BUFF_ADDR', () => {
    expect(Buffer.from(RfsaGetBuffAddrReqMsg.encode({ clientId: 1, size: 0x200000 })).toString('hex')).toBe('0104000100000002040000002000');
  });
});
