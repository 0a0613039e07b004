import { pathToFileURL } from 'node:url';
import { runFuzz, summarize } from './runner.ts';
const r = await runFuzz(process.argv[2]!, pathToFileURL(process.argv[3]!));
console.log(summarize(r));
