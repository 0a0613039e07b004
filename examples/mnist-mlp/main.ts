// MNIST with fit(): the lecture's 784-16-16-10 sigmoid network (SGD), then 784-128-10 ReLU (Adam, batch 64).
//   node --conditions=source --import tsx examples/mnist-mlp/main.ts [--epochs N] [--quick] [--batch-size B] [--seed S] [--skip-lecture] [--verbose 0|1|2] [--logdir DIR] [--plot DIR]
// --logdir DIR: TensorBoard logs (`tensorboard --logdir DIR`): DIR/<wide|lecture>/{train,validation}.
// --plot DIR: the training curves of each network as DIR/<wide|lecture>.svg and .html (plotHistory).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Tensor, zeros } from '@memograd/autograd';
import { LambdaCallback, type TrainingContext } from '@memograd/optim';
import { SummaryWriter, TensorBoard, plotHistory } from '@memograd/optim/node';
import { runMnist } from './mnist.ts';
import { int, verbosity } from './args.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    'skip-lecture': { type: 'boolean', default: false },
    verbose: { type: 'string' },
    logdir: { type: 'string' },
    plot: { type: 'string' },
  },
});

/** The first layer's weights [units, 784] as one gray image of 28x28 tiles (each scaled to [0, 1]), 1 px apart. */
function weightTiles(w: Tensor): Tensor {
  const [units, inputs] = w.shape as [number, number];
  const cols = Math.ceil(Math.sqrt(units * 2));
  const rows = Math.ceil(units / cols);
  const grid = zeros([rows * 29 + 1, cols * 29 + 1]);
  for (let u = 0; u < units && inputs === 784; u++) {
    const row = w.data.subarray(u * 784, (u + 1) * 784);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const [top, left] = [Math.floor(u / cols) * 29 + 1, (u % cols) * 29 + 1];
    for (let i = 0; i < 784; i++) grid.data[(top + Math.floor(i / 28)) * grid.shape[1]! + left + (i % 28)] = (row[i]! - lo) / (hi - lo || 1);
  }
  return grid;
}

/** With --logdir: the TensorBoard callback (histograms every epoch), then the first layer's weights as an image. */
function tensorBoardCallbacks(logDir: string) {
  return (name: string) => {
    const dir = join(logDir, name.startsWith('784-128-10') ? 'wide' : 'lecture');
    const images = new LambdaCallback({
      onTrainEnd: (_logs, ctx: TrainingContext) => {
        const w = new SummaryWriter(join(dir, 'train'));
        w.addImage('first_layer_weights', weightTiles(ctx.model.parameters()[0]!), ctx.epoch, { dataformats: 'HW' });
        w.close();
      },
    });
    return [new TensorBoard({ logDir: dir, histogramFreq: 1, writeGrads: true }), images];
  };
}


const quick = values.quick;
const verbose = verbosity(values.verbose);
const r = runMnist({
  epochs: int('epochs', values.epochs) ?? (quick ? 1 : 5),
  trainSize: quick ? 5000 : undefined,
  testSize: quick ? 1000 : undefined,
  batchSize: int('batch-size', values['batch-size']),
  seed: int('seed', values.seed),
  skipLecture: values['skip-lecture'],
  verbose,
  callbacks: values.logdir === undefined ? undefined : tensorBoardCallbacks(values.logdir),
});

console.log('\nResults');
for (const m of [r.lecture, r.wide]) {
  if (m === null) continue;
  console.log(`  ${m.name.padEnd(48)} ${String(m.params).padStart(7)} params   test accuracy ${(100 * m.testAccuracy).toFixed(2)}%   ${m.trainSeconds.toFixed(1)} s`);
}
if (values.logdir !== undefined) console.log(`\nTensorBoard logs in ${values.logdir}: tensorboard --logdir ${values.logdir}`);
if (values.plot !== undefined) {
  for (const [name, m] of [['lecture', r.lecture], ['wide', r.wide]] as const) {
    if (m === null) continue;
    const { files, best } = await plotHistory(m.history, { path: join(values.plot, `${name}.svg`), title: m.name });
    console.log(`  plot: ${files.svg} and ${files.html}${best === null ? '' : ` (best epoch ${best.epoch} by ${best.monitor})`}`);
  }
}
