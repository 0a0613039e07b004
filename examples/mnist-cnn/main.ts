// A small convnet on MNIST (two conv + pool blocks, dropout, a dense head, Adam): >= 99% test accuracy.
//   node --conditions=source --import tsx examples/mnist-cnn/main.ts [--epochs N] [--quick] [--batch-size B] [--seed S] [--verbose 0|1|2]
import { parseArgs } from 'node:util';
import { runMnistCnn } from './mnist-cnn.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    verbose: { type: 'string' },
  },
});

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${v}'`);
  return n;
}

const verbose = int('verbose', values.verbose);
if (verbose !== undefined && verbose > 2) throw new Error('--verbose must be 0, 1 or 2');
runMnistCnn({
  epochs: int('epochs', values.epochs) ?? (values.quick ? 1 : undefined),
  trainSize: values.quick ? 5000 : undefined,
  testSize: values.quick ? 1000 : undefined,
  batchSize: int('batch-size', values['batch-size']),
  seed: int('seed', values.seed),
  verbose: verbose as 0 | 1 | 2 | undefined,
});
