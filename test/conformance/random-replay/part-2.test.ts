import { describePart } from './corpus.ts';

describePart(1);
