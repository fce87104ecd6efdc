import { expect, it } from 'vitest';
import { acceptedInterfaces, corpusParts, describePart } from './corpus.ts';

it('the random corpus has two parts and at least 1,000 interfaces that qaic accepts', () => {
  expect(corpusParts()).toHaveLength(2);
  expect(acceptedInterfaces()).toBeGreaterThanOrEqual(1000);
});

describePart(0);
