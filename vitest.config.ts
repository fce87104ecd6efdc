import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve dspidl's own package name to its sources (generated/ imports dspidl/codegen/v1).
  resolve: { conditions: ['dspidl-source'] },
  ssr: { resolve: { conditions: ['dspidl-source'], externalConditions: ['dspidl-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/dist.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
