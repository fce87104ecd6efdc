/**
 * Long fuzz run of every QMI message decoder (RFSA and the dialect sample):
 * `npx tsx test/fuzz/qmi-decoders.ts --runs N --seed S`. Random, random-TLV and mutated
 * valid payloads must decode to a value or fail with QmiDecodeError; random values must
 * round-trip. Prints the verdict counts; exits 1 on the first other outcome.
 */
import fc from 'fast-check';
import { QmiDecodeError, type QmiServiceMessage } from '../../runtime/qmi/codec/index.ts';
import { RfsaService } from '../../generated/rfsa.qmi.ts';
import { SampleService } from '../qmi/generated/wlfw_sample_v01.ts';
import { decoderInput, messageValues } from '../qmi/arbitraries.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} takes a non-negative integer`);
  return v;
}

const runs = option('--runs', 10_000);
const seed = option('--seed', Date.now() % 2 ** 31);
const messages: QmiServiceMessage[] = [...RfsaService.messages, ...SampleService.messages];
const perMessage = Math.max(1, Math.ceil(runs / messages.length));
const verdicts = new Map<string, number>();

/** Structural equality that ignores prototypes (fast-check builds null-prototype records). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

try {
  messages.forEach((m, i) => {
    fc.assert(
      fc.property(decoderInput(m.codec.descriptor), (bytes) => {
        try {
          m.codec.decode(bytes);
          verdicts.set('OK', (verdicts.get('OK') ?? 0) + 1);
        } catch (e) {
          if (!(e instanceof QmiDecodeError)) throw e;
          verdicts.set(e.kind, (verdicts.get(e.kind) ?? 0) + 1);
        }
      }),
      { numRuns: perMessage, seed: seed + i },
    );
    fc.assert(
      fc.property(messageValues(m.codec.descriptor), (v) => same(m.codec.decode(m.codec.encode(v)), v)),
      { numRuns: Math.max(1, Math.ceil(perMessage / 4)), seed: seed + i },
    );
  });
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
const total = [...verdicts.values()].reduce((a, b) => a + b, 0);
console.log(`qmi-decoders: ${total} decodes over ${messages.length} messages, seed ${seed}`);
for (const [k, n] of [...verdicts].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(22)} ${n}`);
