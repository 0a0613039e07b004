// Worker bootstrap: registers tsx's loader (so the worker can import the TypeScript sources through
// the `source` export condition, like vitest does), then loads the worker module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
