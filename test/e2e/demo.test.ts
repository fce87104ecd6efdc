import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('demo/main.ts (npm start after generate)', () => {
  it('prints the traced apps_mem calls, the error paths, the IOVA map and the sharedmem exchange, and exits 0', async () => {
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--conditions=dspidl-source', '--import', 'tsx', 'demo/main.ts'],
        { cwd: root, timeout: 60_000 },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
        },
      );
    });
    expect(out).toMatch(/apps_remotectl\.open\(name="apps_mem"\) -> 0 \{handle=0x[0-9a-f]+/);
    expect(out).toMatch(
      /apps_mem\.requestMap64\(heapid=-1, ionFlags=0x0, rflags=0x1000, vin=0x0, len=0x100000\) -> 0 \{vapps=0x0, vadsp=0x[0-9a-f]+\}/,
    );
    expect(out).toMatch(/apps_mem\.requestUnmap64\(vadsp=0xdead0000, len=0x1000\) -> AEE_ENOSUCHMAP \(0x48\)/);
    expect(out).not.toMatch(/FAIL|MISMATCH/);
    expect(out).toMatch(/mapped 3M in 768 leaves/);
    expect(out).toMatch(/QMI GET_BUFF_ADDR answered 0x[0-9a-f]+ \(same\)/);
    expect(code).toBe(0);
  }, 90_000);
});
