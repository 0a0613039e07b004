// A small convnet on MNIST (two conv + pool blocks, dropout, a dense head, Adam): >= 99% test accuracy.
//   node --conditions=source --import tsx examples/mnist-cnn/main.ts [--epochs N] [--quick] [--batch-size B] [--seed S] [--verbose 0|1|2]
import { parseArgs } from 'node:util';
import { runMnistCnn } from './mnist-cnn.ts';
import { int, verbosity } from '../mnist-mlp/args.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    verbose: { type: 'string' },
  },
});


const verbose = verbosity(values.verbose);
runMnistCnn({
  epochs: int('epochs', values.epochs) ?? (values.quick ? 1 : undefined),
  trainSize: values.quick ? 5000 : undefined,
  testSize: values.quick ? 1000 : undefined,
  batchSize: int('batch-size', values['batch-size']),
  seed: int('seed', values.seed),
  verbose,
});
