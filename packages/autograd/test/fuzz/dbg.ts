import { runFuzz, summarize } from './runner.ts';
const r = await runFuzz('autograd', new URL('./entries.ts', import.meta.url));
console.log(summarize(r));
