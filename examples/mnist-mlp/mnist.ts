/**
 * MNIST with fit(): the lecture's 784-16-16-10 network (sigmoid hidden units, plain SGD), then a
 * wider 784-128-10 ReLU network (softmax cross-entropy on logits, Adam, lr 1e-3).
 */
import { Generator, Tensor, tensor } from '@memograd/autograd';
import { Linear, ReLU, Sequential, Sigmoid, crossEntropy, summary } from '@memograd/nn';
import type { Module } from '@memograd/nn';
import { Adam, SGD, evaluate, fit } from '@memograd/optim';
import type { CallbackHooks, History, OptimizerLike } from '@memograd/optim';
import { MNIST_PIXELS, loadMnist } from './idx.ts';
import type { Mnist, MnistSplit } from './idx.ts';

export interface MnistOptions {
  /** Epochs of the wide network (default 5). */
  epochs?: number;
  /** Epochs of the lecture network (default: same as `epochs`). */
  lectureEpochs?: number;
  /** Use only the first rows of each split (default: all 60000 / 10000). */
  trainSize?: number;
  testSize?: number;
  /** Batch size of the wide network (default 64). */
  batchSize?: number;
  seed?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch (default 1). */
  verbose?: 0 | 1 | 2;
  /** Print the summaries and results (default true). */
  print?: boolean;
  /** Skip the lecture network. */
  skipLecture?: boolean;
  /** Pre-loaded data (default: loadMnist()). */
  data?: Mnist;
  /** Extra fit() callbacks for each network, by its name (e.g. main.ts's --logdir TensorBoard logs). */
  callbacks?: (name: string) => CallbackHooks[];
}

export interface ModelResult {
  name: string;
  params: number;
  testAccuracy: number;
  testLoss: number;
  trainSeconds: number;
  samplesPerSecond: number;
  history: History['history'];
}

export interface MnistResult {
  lecture: ModelResult | null;
  wide: ModelResult;
}

/** The first `n` rows of a split as tensors: x [n, 784] in [0, 1], y [n] class indices. */
export function toTensors(split: MnistSplit, n = split.count): { x: Tensor; y: Tensor } {
  const count = Math.min(n, split.count);
  const x = tensor(split.images.subarray(0, count * MNIST_PIXELS), { shape: [count, MNIST_PIXELS] });
  const y = tensor(Float32Array.from(split.labels.subarray(0, count)), { shape: [count] });
  return { x, y };
}

/** The lecture's network: 784 inputs, two hidden layers of 16 sigmoid units, 10 outputs (13,002 parameters). */
export function lectureNet(g: Generator): Sequential {
  return new Sequential(
    new Linear(MNIST_PIXELS, 16, { generator: g }), new Sigmoid(),
    new Linear(16, 16, { generator: g }), new Sigmoid(),
    new Linear(16, 10, { generator: g }),
  );
}

/** 784-128-10 with ReLU (101,770 parameters). */
export function wideNet(g: Generator): Sequential {
  return new Sequential(new Linear(MNIST_PIXELS, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }));
}

const loss = (pred: Tensor, target: Tensor): Tensor => crossEntropy(pred, target);

function train(
  name: string, model: Module, optimizer: OptimizerLike, epochs: number, batchSize: number,
  train: { x: Tensor; y: Tensor }, test: { x: Tensor; y: Tensor }, options: MnistOptions, seed: number,
): ModelResult {
  const print = options.print ?? true;
  if (print) {
    console.log(`\n=== ${name} ===`);
    summary(model, [MNIST_PIXELS]);
  }
  const t0 = performance.now();
  const h = fit(model, {
    x: train.x, y: train.y, loss, optimizer, epochs, batchSize, seed, metrics: ['accuracy'],
    validationData: [test.x, test.y], verbose: options.verbose ?? 1, callbacks: options.callbacks?.(name),
  });
  const seconds = (performance.now() - t0) / 1000;
  const ev = evaluate(model, test.x, test.y, { loss, metrics: ['accuracy'], batchSize: 1000 });
  const samples = train.x.shape[0]! * epochs;
  const result: ModelResult = {
    name, params: model.numParameters(), testAccuracy: ev.accuracy!, testLoss: ev.loss!,
    trainSeconds: seconds, samplesPerSecond: samples / seconds, history: h.history,
  };
  if (print) {
    console.log(`${name}: test accuracy ${(100 * result.testAccuracy).toFixed(2)}% (loss ${result.testLoss.toFixed(4)}),` +
      ` ${epochs} epochs in ${seconds.toFixed(1)} s (${Math.round(result.samplesPerSecond)} samples/s, validation included)`);
  }
  return result;
}

/** Trains both networks and returns their test accuracies and timings. */
export function runMnist(options: MnistOptions = {}): MnistResult {
  const epochs = options.epochs ?? 5;
  const seed = options.seed ?? 0;
  const data = options.data ?? loadMnist();
  const trainSet = toTensors(data.train, options.trainSize);
  const testSet = toTensors(data.test, options.testSize);
  if (options.print ?? true) {
    console.log(`MNIST: ${trainSet.x.shape[0]} training and ${testSet.x.shape[0]} test images (the test set is the validation data)`);
  }
  let lecture: ModelResult | null = null;
  if (!options.skipLecture) {
    const g = new Generator(seed);
    const model = lectureNet(g);
    // sigmoid units learn slowly with small steps; the lecture's plain SGD with a large rate and small batches
    lecture = train('784-16-16-10, sigmoid, SGD lr 0.5, batch 32', model, new SGD(model.parameters(), { lr: 0.5 }),
      options.lectureEpochs ?? epochs, 32, trainSet, testSet, options, seed);
  }
  const g = new Generator(seed + 1);
  const model = wideNet(g);
  const batchSize = options.batchSize ?? 64;
  const wide = train(`784-128-10, ReLU, Adam lr 1e-3, batch ${batchSize}`, model, new Adam(model.parameters(), { lr: 1e-3 }),
    epochs, batchSize, trainSet, testSet, options, seed + 1);
  return { lecture, wide };
}
