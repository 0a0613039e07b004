/**
 * Batch, mini-batch and stochastic gradient descent side by side (lecture 002): the same linear
 * model, initial weights, learning rate and epochs; only the batch size differs.
 *
 * - batch GD (batchSize = N): one update per epoch, on the exact gradient;
 * - mini-batch GD (batchSize = 32): ceil(N / 32) updates per epoch;
 * - stochastic GD (batchSize = 1): N noisy updates per epoch.
 */
import { Generator, randn, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Linear, mseLoss } from '@memograd/nn';
import { LambdaCallback, SGD, evaluate, fit } from '@memograd/optim';

export interface Flavour {
  name: string;
  batchSize: number;
  /** Loss on the whole training set after each epoch (evaluated, not the running mean). */
  loss: number[];
  updates: number;
  updatesPerEpoch: number;
  ms: number;
}

export interface BatchVsSgdOptions {
  samples?: number;
  epochs?: number;
  lr?: number;
  miniBatch?: number;
  seed?: number;
}

/** y = 2 x1 - 3 x2 + 1 + N(0, 0.1²), x ~ N(0, 1). */
export function makeData(n: number, seed = 0): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const x = randn([n, 2], { generator: g });
  const d = x.data;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 2 * d[2 * i]! - 3 * d[2 * i + 1]! + 1 + g.normal(0, 0.1);
  return { x, y: tensor(y, { shape: [n, 1] }) };
}

export function runBatchVsSgd(options: BatchVsSgdOptions = {}): Flavour[] {
  const n = options.samples ?? 500;
  const epochs = options.epochs ?? 10;
  const lr = options.lr ?? 0.01;
  const seed = options.seed ?? 0;
  const { x, y } = makeData(n, seed);
  const loss = (p: Tensor, t: Tensor): Tensor => mseLoss(p, t);
  const flavours: [string, number][] = [
    ['batch GD', n],
    [`mini-batch GD (${options.miniBatch ?? 32})`, options.miniBatch ?? 32],
    ['stochastic GD', 1],
  ];
  return flavours.map(([name, batchSize]) => {
    const model = new Linear(2, 1, { generator: new Generator(seed + 1) }); // the same start for all three
    const lossPerEpoch: number[] = [];
    let updates = 0;
    const t0 = performance.now();
    fit(model, {
      x, y, loss, optimizer: new SGD(model.parameters(), { lr }), epochs, batchSize, seed, verbose: 0,
      callbacks: [new LambdaCallback({
        onEpochEnd: (_e, _logs, ctx) => {
          updates = ctx.iteration;
          lossPerEpoch.push(evaluate(model, x, y, { loss, batchSize: n }).loss!);
        },
      })],
    });
    const ms = performance.now() - t0;
    return { name, batchSize, loss: lossPerEpoch, updates, updatesPerEpoch: Math.ceil(n / batchSize), ms };
  });
}
