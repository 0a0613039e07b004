// Runs every suite in this folder (`*.bench.ts`, default export `(opts) => Promise<Row[]>`) and
// prints one table per suite.   pnpm bench [--quick] [--only=matmul,mlp]
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseOptions, printReport, type Suite } from './harness.ts';

const opts = parseOptions();
const only = typeof opts.args.only === 'string' ? opts.args.only.split(',') : null;
const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  if (only && !only.includes(name)) continue;
  const mod = (await import(pathToFileURL(dir + f).href)) as { default: Suite };
  printReport(name, await mod.default(opts), opts);
}
