/**
 * Front-end inputs at the edges: a byte order mark, deep nesting and long flat expressions in
 * both dialects end in a located diagnostic or a value, never in a stack overflow.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../generator/compile.ts';
import { main } from '../../generator/cli/program.ts';

function compileText(path: string, text: string) {
  return compile({ files: [path], readFile: (p) => (p === path ? text : undefined), parseOnly: true });
}

const QMI_HEAD = 'include "common_v01.idl";\nmessage { mandatory uint32 a; } x_req_msg;\n';

describe('QMI front end', () => {
  it('accepts a file that starts with a UTF-8 byte order mark, as the QAIC front end does', () => {
    const r = compileText('bom.idl', `\uFEFF${QMI_HEAD}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.programs.qmi[0]?.decls.has('x_req_msg')).toBe(true);
  });

  it('600 nested parentheses: QMI029 at the 65th, no stack overflow', () => {
    const r = compileText('deep.idl', `${QMI_HEAD}const X = ${'('.repeat(600)}1${')'.repeat(600)};\n`);
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([['QMI029', 3, 11 + 64]]);
  });

  it('a 20,000-term sum evaluates', () => {
    const r = compileText(
      'sum.idl',
      `${QMI_HEAD}const X = ${Array(20_000).fill('1').join(' + ')};\nmessage { mandatory uint8 b[X]; } y_req_msg;\n`,
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a 3,000-deep struct chain: QMI029 once, at the struct that passes 64 levels', () => {
    const lines = ['include "common_v01.idl";', 'struct { uint32 v; } s0;'];
    for (let i = 1; i < 3000; i++) lines.push(`struct { s${i - 1} a; } s${i};`);
    lines.push('message { mandatory s2999 x; } deep_req_msg;');
    const r = compileText('chain.idl', `${lines.join('\n')}\n`);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['QMI029', "struct 's64' nests 65 structs deep (at most 64)"]]);
  });
});

describe('QAIC front end', () => {
  it('a flat expression of 8,000 terms is not "nested too deeply": it evaluates', () => {
    const r = compile({
      files: ['flat.idl'],
      readFile: (p) =>
        p === 'flat.idl' ? `const long X = ${Array(8000).fill('1').join(' + ')};\ninterface i { long f(in long a); };\n` : undefined,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.files[0]?.content).toMatch(/X = 8000/);
  });
});

describe('dspidl decode batches', () => {
  it('an element with a negative out-buffer length gets result 14; the others are decoded', async () => {
    const req = { sc: '0x02010100', inBufs: ['ffffffff00000000001000000000000000000000000000000000100000000000'] };
    const stdin = JSON.stringify([
      { ...req, outBufLens: [-16] },
      { ...req, outBufLens: [16] },
      { ...req, inBufs: ['zz'], outBufLens: [16] },
    ]);
    let out = '';
    const code = await main(['decode', 'idl/apps_mem.idl', 'apps_mem.request_map64', '-I', 'idl'], {
      out: (t) => void (out += t),
      err: () => undefined,
      color: false,
      readStdin: () => stdin,
    });
    expect(code).toBe(0);
    const results = JSON.parse(out) as { result: number; error?: string }[];
    expect(results.map((r) => r.result)).toEqual([14, 0, 14]);
    expect(results[0]?.error).toMatch(/outBufLens\[0\]: -16/);
  });
});
