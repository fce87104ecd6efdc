/** `dspidl layout --json` prints the conformance layout.json schema (one IDL through the real CLI). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('dspidl layout --json matches layout.json for complex.idl', () => {
  const idl = 'test/conformance/qaic/idl';
  const out = execFileSync('npx', ['tsx', 'generator/cli.ts', 'layout', `${idl}/complex.idl`, `-I=${idl}`, '--json'], { encoding: 'utf8' });
  const got = JSON.parse(out) as { interfaces: unknown[] };
  const want = (
    JSON.parse(readFileSync('test/conformance/qaic/layout.json', 'utf8')) as { interfaces: { idl: string }[] }
  ).interfaces.filter((i) => i.idl === 'complex.idl');
  expect(got.interfaces).toEqual(want);
});
