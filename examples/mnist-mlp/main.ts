// MNIST with fit(): the lecture's 784-16-16-10 sigmoid network (SGD), then 784-128-10 ReLU (Adam, batch 64).
//   node --conditions=source --import tsx examples/mnist-mlp/main.ts [--epochs N] [--quick] [--batch-size B] [--seed S] [--skip-lecture] [--verbose 0|1|2]
import { parseArgs } from 'node:util';
import { runMnist } from './mnist.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    'skip-lecture': { type: 'boolean', default: false },
    verbose: { type: 'string' },
  },
});

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${v}'`);
  return n;
}

const quick = values.quick;
const verbose = int('verbose', values.verbose);
if (verbose !== undefined && verbose > 2) throw new Error('--verbose must be 0, 1 or 2');
const r = runMnist({
  epochs: int('epochs', values.epochs) ?? (quick ? 1 : 5),
  trainSize: quick ? 5000 : undefined,
  testSize: quick ? 1000 : undefined,
  batchSize: int('batch-size', values['batch-size']),
  seed: int('seed', values.seed),
  skipLecture: values['skip-lecture'],
  verbose: verbose as 0 | 1 | 2 | undefined,
});

console.log('\nResults');
for (const m of [r.lecture, r.wide]) {
  if (m === null) continue;
  console.log(`  ${m.name.padEnd(48)} ${String(m.params).padStart(7)} params   test accuracy ${(100 * m.testAccuracy).toFixed(2)}%   ${m.trainSeconds.toFixed(1)} s`);
}
