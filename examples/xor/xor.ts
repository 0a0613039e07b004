/**
 * XOR, the problem a single neuron cannot solve: a 2-8-1 network (tanh hidden units, one logit out,
 * binary cross-entropy on logits) trained full-batch with Adam until the loss is below 0.01.
 */
import { Generator, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Linear, Sequential, Tanh, binaryCrossEntropyWithLogits } from '@memograd/nn';
import { Adam, LambdaCallback, fit, predict } from '@memograd/optim';

export interface XorOptions {
  hidden?: number;
  /** Upper bound on epochs (= steps: the 4 rows are one batch). Default 2000. */
  maxEpochs?: number;
  /** Stop once the training loss is below this (default 0.01). */
  targetLoss?: number;
  lr?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface XorResult {
  epochs: number;
  loss: number;
  accuracy: number;
  /** sigmoid(logit) for (0,0), (0,1), (1,0), (1,1). */
  probabilities: number[];
  model: Sequential;
}

export const XOR_X = (): Tensor => tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
export const XOR_Y = (): Tensor => tensor([[0], [1], [1], [0]]);

export function runXor(options: XorOptions = {}): XorResult {
  const g = new Generator(options.seed ?? 0);
  const hidden = options.hidden ?? 8;
  const model = new Sequential(new Linear(2, hidden, { generator: g }), new Tanh(), new Linear(hidden, 1, { generator: g }));
  const targetLoss = options.targetLoss ?? 0.01;
  const x = XOR_X();
  const y = XOR_Y();
  const h = fit(model, {
    x, y, loss: (p, t) => binaryCrossEntropyWithLogits(p, t), optimizer: new Adam(model.parameters(), { lr: options.lr ?? 0.05 }),
    epochs: options.maxEpochs ?? 2000, batchSize: 4, shuffle: false, metrics: ['accuracy'], fromLogits: true,
    verbose: options.verbose ?? 0,
    callbacks: [new LambdaCallback({ onEpochEnd: (_e, logs, ctx) => { if (logs.loss! < targetLoss) ctx.stopTraining = true; } })],
  });
  const probabilities = Array.from(predict(model, x).sigmoid().data);
  return { epochs: h.epoch.length, loss: h.history.loss!.at(-1)!, accuracy: h.history.accuracy!.at(-1)!, probabilities, model };
}
