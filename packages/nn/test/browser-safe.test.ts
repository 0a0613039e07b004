// The main entries of the three packages must import nothing from `node:` (they run in browsers
// and workers; esbuild --platform=browser fails on a `node:` import). Walks the source import graph
// from each index.ts; the Node-only file helpers live in @memograd/nn/node (src/node.ts).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every module reachable from `entry` by static or literal dynamic imports, with the specifiers it imports. */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    // comments dropped; a specifier counts only after import/export (the worker source text in
    // autograd's matmul-threads.ts, a string, is not an import)
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const specs = [...text.matchAll(SPEC)].map((m) => (m[1] ?? m[2] ?? m[3])!);
    seen.set(file, specs);
    for (const s of specs) {
      if (s.startsWith('.')) todo.push(join(dirname(file), s));
      else if (s.startsWith('@memograd/')) {
        const [, pkg, sub] = /^@memograd\/([^/]+)(?:\/(.+))?$/.exec(s)!;
        todo.push(join(PACKAGES, pkg!, 'src', `${sub ?? 'index'}.ts`));
      }
    }
  }
  return seen;
}

describe('main entries are browser-safe', () => {
  for (const pkg of ['autograd', 'nn', 'optim']) {
    it(`@memograd/${pkg}: no node: import in the graph of src/index.ts`, () => {
      const g = graph(join(PACKAGES, pkg, 'src', 'index.ts'));
      expect(g.size).toBeGreaterThan(3);
      const nodeImports = [...g].flatMap(([f, specs]) => specs.filter((s) => s.startsWith('node:') || s === 'fs' || s === 'fs/promises' || s === 'path' || s === 'os').map((s) => `${f}: ${s}`));
      expect(nodeImports).toEqual([]);
    });
  }

  it('@memograd/nn/node holds the file helpers (and imports node:fs/promises)', () => {
    const g = graph(join(PACKAGES, 'nn', 'src', 'node.ts'));
    expect(g.get(join(PACKAGES, 'nn', 'src', 'node.ts'))).toContain('node:fs/promises');
  });
});
