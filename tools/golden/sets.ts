/** Every golden set of the repository, in the order `npm run golden` processes them. */
import { conformanceModules, generatedDir, hostileModules, qmiSampleModules, runtimeInterfaces } from './generated.ts';
import type { GoldenSet } from './golden-set.ts';
import { invalidCorpus } from './invalid.ts';
import { readmeSections } from './readme.ts';
import { precompiledTemplates } from './templates.ts';
import { qaicCstTypes } from './cst.ts';

export const GOLDEN_SETS: readonly GoldenSet[] = [
  { name: 'templates', describe: 'built-in handlebars templates precompiled', owns: [], produce: precompiledTemplates },
  { name: 'cst', describe: 'types of the QAIC parser CST', owns: [], produce: qaicCstTypes },
  { name: 'interfaces', describe: "the runtime's own generated interfaces", owns: ['runtime/interfaces'], produce: runtimeInterfaces },
  { name: 'generated', describe: 'generated/ (npm run generate)', owns: ['generated'], produce: generatedDir },
  {
    name: 'conformance',
    describe: 'modules of the qaic conformance IDLs',
    owns: ['test/conformance/generated/qaic'],
    produce: conformanceModules,
  },
  { name: 'qmi-sample', describe: 'modules of the QMI sample IDLs', owns: ['test/qmi/generated'], produce: qmiSampleModules },
  {
    name: 'hostile-names',
    describe: 'modules of the IDLs with names hostile to TypeScript',
    owns: ['test/naming/generated'],
    produce: hostileModules,
  },
  {
    name: 'qaic-invalid',
    describe: 'diagnostics of the QAIC invalid-input corpus',
    owns: [],
    produce: invalidCorpus('test/frontend/invalid', ['idl']),
  },
  {
    name: 'qmi-invalid',
    describe: 'diagnostics of the QMI invalid-input corpus',
    owns: [],
    produce: invalidCorpus('test/qmi/invalid', [], 'qmi'),
  },
  { name: 'readme', describe: 'README sections generated from code', owns: [], produce: readmeSections },
  {
    name: 'names-invalid',
    describe: 'diagnostics of the TypeScript naming corpus',
    owns: [],
    produce: invalidCorpus('test/naming/invalid', []),
  },
];
