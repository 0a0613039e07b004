import { defaultClientConditions, defineConfig } from 'vite';

// The workspace packages are read from their TypeScript sources (the `source` export condition),
// so the playground needs no separate build of @memograd/autograd. base './': dist works from any path.
export default defineConfig({
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { port: 5173 },
});
