/**
 * Overfitting and five ways to fight it (lecture 002/004): a wide 1-32-32-1 tanh network on 16 noisy
 * samples of y = sin(πx), trained full-batch with Adam far past the point of overfitting.
 *
 * - none: the net threads the noise, weights grow, validation loss climbs back up;
 * - L1 (λ Σ|w|) and L2 (λ Σw²) penalties added to the training loss: smaller weights, smoother fit;
 * - dropout after each hidden layer (inverted, training only);
 * - early stopping on the validation loss, restoring the best epoch's weights.
 *
 * Train and validation losses below are plain MSE (without the penalty), so the rows compare.
 */
import { Generator, tensor } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import { Dropout, Linear, Sequential, Tanh, l1Penalty, l2Penalty, mseLoss } from '@memograd/nn';
import type { Module } from '@memograd/nn';
import { Adam, EarlyStopping, evaluate, fit } from '@memograd/optim';
import type { CallbackHooks } from '@memograd/optim';

export type Technique = 'none' | 'l1' | 'l2' | 'dropout' | 'early stopping';
export const TECHNIQUES: readonly Technique[] = ['none', 'l1', 'l2', 'dropout', 'early stopping'];

export interface RegularizationOptions {
  epochs?: number;
  trainSamples?: number;
  noise?: number;
  hidden?: number;
  lr?: number;
  l1?: number;
  l2?: number;
  dropout?: number;
  patience?: number;
  seed?: number;
  techniques?: readonly Technique[];
}

export interface TechniqueResult {
  technique: Technique;
  epochsRun: number;
  trainLoss: number;
  valLoss: number;
  /** Lowest validation loss seen during training, and its epoch (0-based). */
  bestValLoss: number;
  bestEpoch: number;
  /** √Σw² and Σ|w| over the weight matrices (biases excluded). */
  l2Norm: number;
  l1Norm: number;
  valCurve: number[];
}

/** n points x uniform in [-1, 1], y = sin(πx) + N(0, noise²). */
export function makeData(n: number, noise: number, g: Generator): { x: Tensor; y: Tensor } {
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = g.uniform(-1, 1);
    ys[i] = Math.sin(Math.PI * xs[i]!) + g.normal(0, noise);
  }
  return { x: tensor(xs, { shape: [n, 1] }), y: tensor(ys, { shape: [n, 1] }) };
}

function weightNorms(model: Module): { l2Norm: number; l1Norm: number } {
  let sq = 0;
  let abs = 0;
  for (const [name, p] of model.namedParameters()) {
    if (!name.endsWith('weight')) continue;
    for (const v of p.data) {
      sq += v * v;
      abs += Math.abs(v);
    }
  }
  return { l2Norm: Math.sqrt(sq), l1Norm: abs };
}

export function runRegularization(options: RegularizationOptions = {}): TechniqueResult[] {
  const seed = options.seed ?? 0;
  const noise = options.noise ?? 0.3;
  const data = new Generator(seed);
  const train = makeData(options.trainSamples ?? 16, noise, data);
  const val = makeData(200, noise, data);
  const hidden = options.hidden ?? 32;
  const epochs = options.epochs ?? 2000;
  const mse = (p: Tensor, t: Tensor): Tensor => mseLoss(p, t);
  return (options.techniques ?? TECHNIQUES).map((technique) => {
    const g = new Generator(seed + 1); // the same initial weights for every technique
    const p = technique === 'dropout' ? options.dropout ?? 0.2 : 0;
    const layers: Module[] = [new Linear(1, hidden, { generator: g }), new Tanh()];
    if (p > 0) layers.push(new Dropout(p, { generator: new Generator(seed + 2) }));
    layers.push(new Linear(hidden, hidden, { generator: g }), new Tanh());
    if (p > 0) layers.push(new Dropout(p, { generator: new Generator(seed + 3) }));
    layers.push(new Linear(hidden, 1, { generator: g }));
    const model = new Sequential(...layers);
    const weights = model.namedParameters().filter(([n]) => n.endsWith('weight')).map(([, w]) => w);
    let loss = mse;
    if (technique === 'l1') loss = (pr, t) => mseLoss(pr, t).add(l1Penalty(weights, options.l1 ?? 1e-3));
    if (technique === 'l2') loss = (pr, t) => mseLoss(pr, t).add(l2Penalty(weights, options.l2 ?? 3e-3));
    const callbacks: CallbackHooks[] = [];
    const es = new EarlyStopping({ monitor: 'val_loss', patience: options.patience ?? 200, restoreBestWeights: true });
    if (technique === 'early stopping') callbacks.push(es);
    const valCurve: number[] = [];
    callbacks.unshift({ onEpochEnd: () => { valCurve.push(evaluate(model, val.x, val.y, { loss: mse }).loss!); } });
    const h = fit(model, {
      x: train.x, y: train.y, loss, optimizer: new Adam(model.parameters(), { lr: options.lr ?? 0.01 }),
      epochs, batchSize: train.x.shape[0]!, shuffle: false, validationData: [val.x, val.y], verbose: 0, callbacks,
    });
    const best = valCurve.indexOf(Math.min(...valCurve));
    return {
      technique,
      epochsRun: h.epoch.length,
      trainLoss: evaluate(model, train.x, train.y, { loss: mse }).loss!,
      valLoss: evaluate(model, val.x, val.y, { loss: mse }).loss!,
      bestValLoss: valCurve[best]!,
      bestEpoch: best,
      ...weightNorms(model),
      valCurve,
    };
  });
}
