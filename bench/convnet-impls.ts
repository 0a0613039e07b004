// The MNIST convnet of examples/mnist-cnn (conv 1→32, ReLU, pool, conv 32→64, ReLU, pool, dropout
// 0.25, dense 3136→128, ReLU, dropout 0.5, dense 128→10; softmax cross-entropy, Adam lr 1e-3,
// batch 64) as the conv suite trains it: memograd (the example's own `convNet`, @memograd/optim's
// Adam) and tfjs-layers (the same network in NHWC, with memograd's initial weights converted). The
// PyTorch version is in torch/tasks.py (task_convnet). Data: random images in [0, 1) and labels.
import { Generator, tensor, type Tensor } from '@memograd/autograd';
import { crossEntropy } from '@memograd/nn';
import { Adam } from '@memograd/optim';
import { convNet } from '../examples/mnist-cnn/mnist-cnn.ts';
import type { Tf } from './harness.ts';
import { denseAfterFlattenToTf, oihwToHwio } from './layout.ts';
import { moduleTrainer, rng, transposed, type Trainer } from './mlp-impls.ts';

export const CNN_BATCH = 64;
export const CNN_LR = 1e-3;
/** flop of one training step per sample: forward 2·(conv1 + conv2 + fc1 + fc2) multiply-adds, backward twice that minus conv1's unneeded input gradient */
export const CNN_FLOP_PER_SAMPLE = (() => {
  const conv1 = 32 * 28 * 28 * 9;
  const conv2 = 64 * 14 * 14 * 32 * 9;
  const dense = 3136 * 128 + 128 * 10;
  return 2 * (conv1 + conv2 + dense) * 3 - 2 * conv1;
})();

export interface Images {
  /** [n, 1, 28, 28] in [0, 1) (for one channel NCHW and NHWC are the same memory) */
  X: Float32Array;
  labels: Int32Array;
  n: number;
}

export function makeImages(n: number, seed = 11): Images {
  const r = rng(seed);
  const X = new Float32Array(n * 784);
  for (let i = 0; i < X.length; i++) X[i] = r();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor(r() * 10);
  return { X, labels, n };
}

/** A parameter's values and shape, in memograd's (= PyTorch's) layout. */
export interface Param {
  data: Float32Array;
  shape: number[];
}

/** The example's initial parameters (its PyTorch-style init from Generator(seed)), in parameters() order. */
export function convnetInit(seed = 0): Param[] {
  return convNet(new Generator(seed))
    .parameters()
    .map((p) => ({ data: Float32Array.from(p.data), shape: [...p.shape] }));
}

/** memograd: the example's network from `params`; `train` false turns dropout off (eval mode). */
export function memogradConvnet(B: number, params: Param[], d: Images, train: boolean): Trainer {
  const model = convNet(new Generator(1));
  model.parameters().forEach((p, i) => p.data.set(params[i]!.data));
  model.train(train);
  const opt = new Adam(model.parameters(), { lr: CNN_LR });
  return moduleTrainer(model, opt, d.X, d.labels, Math.floor(d.n / B), [B, 1, 28, 28]);
}

/** An async training step (tfjs-layers' trainOnBatch returns a promise). */
export interface AsyncTrainer {
  step: () => Promise<number>;
  dispose: () => void;
}

/**
 * tfjs-layers on the current backend: the same network in NHWC (softmax output with
 * categoricalCrossentropy, tfjs-layers' usual form), Adam with PyTorch's epsilon 1e-8, trained by
 * trainOnBatch. `dropout` false sets both rates to 0 (for the verification).
 */
export async function tfLayersConvnet(tf: Tf, B: number, params: Param[], d: Images, dropout: boolean): Promise<AsyncTrainer> {
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: dropout ? 0.25 : 0 }),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dropout({ rate: dropout ? 0.5 : 0 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(CNN_LR, 0.9, 0.999, 1e-8), loss: 'categoricalCrossentropy' });
  const [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b] = params as [Param, Param, Param, Param, Param, Param, Param, Param];
  const set = (layer: number, kernel: Float32Array, kshape: number[], bias: Param) =>
    model.layers[layer]!.setWeights([tf.tensor(kernel, kshape), tf.tensor1d(bias.data)]);
  set(0, oihwToHwio(c1w.data, c1w.shape), [3, 3, 1, 32], c1b);
  set(2, oihwToHwio(c2w.data, c2w.shape), [3, 3, 32, 64], c2b);
  set(6, denseAfterFlattenToTf(f1w.data, 128, [64, 7, 7]), [3136, 128], f1b);
  set(8, transposed(f2w.data, 10, 128), [128, 10], f2b);
  const nb = Math.floor(d.n / B);
  const xs: import('@tensorflow/tfjs-core').Tensor[] = [];
  const ys: import('@tensorflow/tfjs-core').Tensor[] = [];
  for (let b = 0; b < nb; b++) {
    xs.push(tf.tensor4d(d.X.subarray(b * B * 784, (b + 1) * B * 784), [B, 28, 28, 1]));
    ys.push(tf.tidy(() => tf.oneHot(tf.tensor1d(d.labels.subarray(b * B, (b + 1) * B), 'int32'), 10)));
  }
  let i = 0;
  return {
    async step() {
      const b = i++ % nb;
      return (await model.trainOnBatch(xs[b]!, ys[b]!)) as number;
    },
    dispose() {
      for (const t of [...xs, ...ys]) t.dispose();
      model.dispose();
    },
  };
}
