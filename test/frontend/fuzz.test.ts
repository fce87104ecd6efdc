/** Bounded version of test/fuzz/idl-frontend.ts: mutated IDL never crashes the front end. */
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { frontEndSurvives, mutatedIdl, seeds } from '../fuzz/idl-mutations.ts';

it('seeds of the mutation corpus are real IDL', () => {
  expect(seeds.length).toBeGreaterThan(15);
});

it('mutated IDL inputs end in diagnostics or a model, never an exception', () => {
  fc.assert(
    fc.property(mutatedIdl, (t) => frontEndSurvives(t)),
    { numRuns: 400 },
  );
}, 30_000);
