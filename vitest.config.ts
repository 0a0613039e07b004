import { defineConfig } from 'vitest/config';

// One run over every package and example. Tests import the workspace packages through the
// `source` export condition, so they run against TypeScript sources without a build step.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
