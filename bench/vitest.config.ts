import { defineConfig } from 'vitest/config';

// bench/ has its own install (see pnpm-workspace.yaml here); `npx pnpm@10.34.9 bench:test` at the root runs this.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, pool: 'forks' },
});
