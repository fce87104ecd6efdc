/**
 * qaic spells some options its own way (`-I=dir`, `-o=dir`, `-ho`, `-ro`); rewrite them
 * to the long forms the parser knows so users' existing build lines keep working.
 */
const LONG_FOR_SHORT: Readonly<Record<string, string>> = {
  '-I': '--include-path',
  '-o': '--output-path',
  '-D': '--define',
};

const WHOLE: Readonly<Record<string, string>> = {
  '-ho': '--header-only',
  '-ro': '--remoting-only',
  '-s': '--parse-only',
};

export function normalizeQaicArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const whole = WHOLE[arg];
    if (whole !== undefined) {
      out.push(whole);
      continue;
    }
    const m = /^(-[IoD])=(.*)$/.exec(arg);
    if (m && m[1] !== undefined && m[2] !== undefined) {
      out.push(`${LONG_FOR_SHORT[m[1]]}=${m[2]}`);
      continue;
    }
    out.push(arg);
  }
  return out;
}
