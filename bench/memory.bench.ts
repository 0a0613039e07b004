// Memory suite: does a long training run leak? 10,000 SGD steps (--quick: 1,500) of the MLP
// 784-128-10 at batch 32 through memograd's nn + optim (the mlp suite's `memogradNn`), with
// `process.memoryUsage().heapUsed` read after a full GC before training, at step 1000 (--quick:
// 500) and at the end. If the heap grows by more than --limit-mb (default 20) MB between the
// checkpoint and the end, the suite prints MEMORY CHECK FAILED and the process exits with code 1.
//
//   pnpm --filter @memograd/bench run bench:memory [--quick] [--steps=10000] [--limit-mb=20]
//
// The scripts run node with --expose-gc; without it the suite enables gc itself through
// v8.setFlagsFromString. The row's ops/s is training steps per second over the whole run.
import v8 from 'node:v8';
import vm from 'node:vm';
import { initWeights, makeData, memogradNn } from './mlp-impls.ts';
import { runIfMain, type BenchOptions, type Row } from './harness.ts';

function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const MB = 1024 * 1024;

export default async function memorySuite(opts: BenchOptions): Promise<Row[]> {
  const steps = Number(opts.args.steps ?? (opts.quick ? 1500 : 10_000));
  const checkpoint = Math.min(Number(opts.args.checkpoint ?? (opts.quick ? 500 : 1000)), steps);
  const limitMb = Number(opts.args['limit-mb'] ?? 20);
  const B = 32;
  const gc = getGc();
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const t = memogradNn(B, initWeights(), makeData());
  const before = heap();
  const t0 = performance.now();
  let atCheckpoint = 0;
  let first = 0, last = 0;
  for (let s = 1; s <= steps; s++) {
    last = t.step();
    if (s === 1) first = last;
    if (s === checkpoint) atCheckpoint = heap();
  }
  const end = heap();
  const secs = (performance.now() - t0) / 1000;
  const growth = (end - atCheckpoint) / MB;
  const line =
    `heapUsed after GC: before ${(before / MB).toFixed(2)} MB, step ${checkpoint} ${(atCheckpoint / MB).toFixed(2)} MB, ` +
    `step ${steps} ${(end / MB).toFixed(2)} MB; growth ${checkpoint}→${steps}: ${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB (limit ${limitMb} MB)`;
  process.stderr.write(`  memory: ${line}; loss ${first.toFixed(3)} → ${last.toFixed(3)}\n`);
  if (!Number.isFinite(last)) throw new Error('memory: training diverged');
  if (growth > limitMb) {
    console.error(`\nMEMORY CHECK FAILED: the heap grew by ${growth.toFixed(2)} MB between step ${checkpoint} and step ${steps} (limit ${limitMb} MB)\n`);
    process.exitCode = 1;
  }
  return [
    {
      group: `MLP B=${B}, ${steps} steps`,
      impl: 'memograd nn.Linear + crossEntropy + optim.SGD',
      ours: true,
      hz: steps / secs,
      rme: 0,
      samples: 1,
      flop: 0,
      note: `${growth > limitMb ? 'FAILED: ' : ''}${line}`,
    },
  ];
}

runIfMain(import.meta.url, 'memory', memorySuite);
