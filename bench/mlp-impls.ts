// The MLP 784-128-10 (ReLU, softmax cross-entropy, SGD lr 0.1) of the training benchmarks, in
// every implementation the suites compare: memograd (nn modules + optim SGD, and raw tensors),
// tfjs variableGrads loops, the hand-written backward on tfjs ops (explicit transposes), jax-js
// valueAndGrad + manual SGD (jit-compiled or op by op), and a hand-written Float32Array version. Data and initial weights are the ones of
// /work/shared/perf-reference/mlp.mjs (same generator and seeds), rewritten here.
import { linear, noGrad, tensor, type Tensor } from '@memograd/autograd';
import { crossEntropy, Linear, ReLU, Sequential } from '@memograd/nn';
import { Adam, SGD } from '@memograd/optim';
import type { Jax, JaxArray, Tf } from './harness.ts';

export const IN = 784;
export const HID = 128;
export const OUT = 10;
export const LR = 0.1;
/** Adam's learning rate in the MNIST-epoch workload (Adam, batch 64: PyTorch's MNIST recipe) */
export const ADAM_LR = 1e-3;
/** random dataset size (samples); the steps cycle through it */
export const N_DATA = 4096;
/** dense-layer flop per sample: forward 2(784·128 + 128·10); backward dW1, dW2, dH (no dX) */
export const FLOP_PER_SAMPLE = 2 * (IN * HID + HID * OUT) + 2 * (IN * HID + HID * OUT + OUT * HID);

/** mulberry32 in [0, 1), as the reference's rng */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Data {
  X: Float32Array;
  /** one-hot targets */
  Y: Float32Array;
  labels: Int32Array;
}

export function makeData(seed = 7): Data {
  const r = rng(seed);
  const X = new Float32Array(N_DATA * IN);
  for (let i = 0; i < X.length; i++) X[i] = r();
  const labels = new Int32Array(N_DATA);
  for (let i = 0; i < N_DATA; i++) labels[i] = Math.floor(r() * OUT);
  const Y = new Float32Array(N_DATA * OUT);
  for (let i = 0; i < N_DATA; i++) Y[i * OUT + labels[i]!] = 1;
  return { X, Y, labels };
}

/** W1 [784, 128], W2 [128, 10] (in × out, as tfjs), He-normal; zero biases */
export interface Weights {
  W1: Float32Array;
  b1: Float32Array;
  W2: Float32Array;
  b2: Float32Array;
}

export function initWeights(seed = 3): Weights {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const W1 = new Float32Array(IN * HID).map(() => gauss() * Math.sqrt(2 / IN));
  const W2 = new Float32Array(HID * OUT).map(() => gauss() * Math.sqrt(2 / HID));
  return { W1, b1: new Float32Array(HID), W2, b2: new Float32Array(OUT) };
}

/** [rows, cols] row-major -> [cols, rows] */
export function transposed(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
}

/** One SGD step on the next batch; returns the batch's mean loss. */
export interface Trainer {
  step: () => number;
  dispose: () => void;
}

// ---- memograd ---------------------------------------------------------------------------------

/**
 * A memograd nn training step over `nb` fixed batches of `x` (rows of shape `batchShape`) and class
 * `labels`, cycled: zeroGrad, crossEntropy, backward, step. Shared by the MLP and convnet suites.
 */
export function moduleTrainer(
  model: { call(x: Tensor): Tensor },
  opt: { zeroGrad(): void; step(): void },
  x: Float32Array,
  labels: Int32Array,
  nb: number,
  batchShape: readonly number[],
): Trainer {
  const per = batchShape.reduce((a, b) => a * b, 1);
  const B = batchShape[0]!;
  const xs: Tensor[] = [];
  const ys: Int32Array[] = [];
  for (let b = 0; b < nb; b++) {
    xs.push(tensor(x.subarray(b * per, (b + 1) * per), { shape: [...batchShape] }));
    ys.push(labels.slice(b * B, (b + 1) * B));
  }
  let i = 0;
  return {
    step() {
      const b = i++ % nb;
      opt.zeroGrad();
      const loss = crossEntropy(model.call(xs[b]!), ys[b]!);
      loss.backward();
      opt.step();
      return loss.item();
    },
    dispose() {},
  };
}

/** nn.Sequential(Linear, ReLU, Linear) + crossEntropy + optim.SGD (or optim.Adam), class-index targets */
export function memogradNn(B: number, w: Weights, d: Data, adam = false): Trainer {
  const l1 = new Linear(IN, HID);
  const l2 = new Linear(HID, OUT);
  l1.weight.data.set(transposed(w.W1, IN, HID)); // memograd stores [out, in]
  l1.bias!.data.set(w.b1);
  l2.weight.data.set(transposed(w.W2, HID, OUT));
  l2.bias!.data.set(w.b2);
  const model = new Sequential(l1, new ReLU(), l2);
  const opt = adam ? new Adam(model.parameters(), { lr: ADAM_LR }) : new SGD(model.parameters(), { lr: LR });
  return moduleTrainer(model, opt, d.X, d.labels, Math.floor(N_DATA / B), [B, IN]);
}

/** raw tensors: linear() + relu + logSoftmax, one-hot loss, SGD update as a loop over .data */
export function memogradRaw(B: number, w: Weights, d: Data): Trainer {
  const W1 = tensor(transposed(w.W1, IN, HID), { shape: [HID, IN], requiresGrad: true });
  const b1 = tensor(w.b1, { requiresGrad: true });
  const W2 = tensor(transposed(w.W2, HID, OUT), { shape: [OUT, HID], requiresGrad: true });
  const b2 = tensor(w.b2, { requiresGrad: true });
  const params = [W1, b1, W2, b2];
  const nb = Math.floor(N_DATA / B);
  const xs: Tensor[] = [];
  const ys: Tensor[] = [];
  for (let b = 0; b < nb; b++) {
    xs.push(tensor(d.X.subarray(b * B * IN, (b + 1) * B * IN), { shape: [B, IN] }));
    // -onehot / B, so that loss = sum(logp * yneg)
    ys.push(tensor(d.Y.subarray(b * B * OUT, (b + 1) * B * OUT).map((v) => -v / B), { shape: [B, OUT] }));
  }
  let i = 0;
  return {
    step() {
      const b = i++ % nb;
      const h = linear(xs[b]!, W1, b1).relu();
      const logp = linear(h, W2, b2).logSoftmax(-1);
      const loss = logp.mul(ys[b]!).sum();
      loss.backward();
      noGrad(() => {
        for (const p of params) {
          const pd = p.data;
          const g = p.grad!.data;
          for (let k = 0; k < pd.length; k++) pd[k]! -= LR * g[k]!;
          p.grad = null;
        }
      });
      return loss.item();
    },
    dispose() {},
  };
}

// ---- plain JS ---------------------------------------------------------------------------------

/** hand-written Float32Array forward/backward with i-k-j loops, no framework (the reference's "js") */
export function plainJs(B: number, w0: Weights, d: Data): Trainer {
  const W1 = w0.W1.slice(), b1 = w0.b1.slice(), W2 = w0.W2.slice(), b2 = w0.b2.slice();
  const H = new Float32Array(B * HID), L = new Float32Array(B * OUT), dL = new Float32Array(B * OUT);
  const dH = new Float32Array(B * HID), dW1 = new Float32Array(IN * HID), db1 = new Float32Array(HID);
  const dW2 = new Float32Array(HID * OUT), db2 = new Float32Array(OUT);
  const nb = Math.floor(N_DATA / B);
  let it = 0;
  const step = (X: Float32Array, labels: Int32Array): number => {
    for (let b = 0; b < B; b++) {
      const hb = b * HID, xb = b * IN;
      for (let j = 0; j < HID; j++) H[hb + j] = b1[j]!;
      for (let k = 0; k < IN; k++) {
        const x = X[xb + k]!, wk = k * HID;
        for (let j = 0; j < HID; j++) H[hb + j]! += x * W1[wk + j]!;
      }
      for (let j = 0; j < HID; j++) if (H[hb + j]! < 0) H[hb + j] = 0;
    }
    let loss = 0;
    for (let b = 0; b < B; b++) {
      const hb = b * HID, lb = b * OUT;
      for (let c = 0; c < OUT; c++) L[lb + c] = b2[c]!;
      for (let k = 0; k < HID; k++) {
        const h = H[hb + k]!, wk = k * OUT;
        for (let c = 0; c < OUT; c++) L[lb + c]! += h * W2[wk + c]!;
      }
      let mx = -Infinity;
      for (let c = 0; c < OUT; c++) if (L[lb + c]! > mx) mx = L[lb + c]!;
      let s = 0;
      for (let c = 0; c < OUT; c++) {
        const e = Math.exp(L[lb + c]! - mx);
        dL[lb + c] = e;
        s += e;
      }
      const y = labels[b]!;
      loss -= Math.log(dL[lb + y]! / s);
      const inv = 1 / (s * B);
      for (let c = 0; c < OUT; c++) dL[lb + c]! *= inv;
      dL[lb + y]! -= 1 / B;
    }
    dW2.fill(0);
    db2.fill(0);
    for (let b = 0; b < B; b++) {
      const hb = b * HID, lb = b * OUT;
      for (let c = 0; c < OUT; c++) db2[c]! += dL[lb + c]!;
      for (let k = 0; k < HID; k++) {
        const h = H[hb + k]!, wk = k * OUT;
        let g = 0;
        for (let c = 0; c < OUT; c++) {
          dW2[wk + c]! += h * dL[lb + c]!;
          g += dL[lb + c]! * W2[wk + c]!;
        }
        dH[hb + k] = h > 0 ? g : 0;
      }
    }
    db1.fill(0);
    for (let b = 0; b < B; b++) {
      const hb = b * HID;
      for (let j = 0; j < HID; j++) db1[j]! += dH[hb + j]!;
    }
    for (let i = 0; i < IN; i++) {
      const wi = i * HID;
      for (let j = 0; j < HID; j++) dW1[wi + j] = 0;
      for (let b = 0; b < B; b++) {
        const x = X[b * IN + i]!, hb = b * HID;
        for (let j = 0; j < HID; j++) dW1[wi + j]! += x * dH[hb + j]!;
      }
    }
    for (let i = 0; i < W1.length; i++) W1[i]! -= LR * dW1[i]!;
    for (let i = 0; i < HID; i++) b1[i]! -= LR * db1[i]!;
    for (let i = 0; i < W2.length; i++) W2[i]! -= LR * dW2[i]!;
    for (let i = 0; i < OUT; i++) b2[i]! -= LR * db2[i]!;
    return loss / B;
  };
  return {
    step() {
      const b = it++ % nb;
      return step(d.X.subarray(b * B * IN, (b + 1) * B * IN), d.labels.subarray(b * B, (b + 1) * B));
    },
    dispose() {},
  };
}

// ---- tfjs -------------------------------------------------------------------------------------

/**
 * tfjs-core on the current backend. 'autograd': tf.variableGrads + manual SGD (the reference's
 * "*-loop"); 'manual': the hand-written backward with explicit tf.transpose (its "diagnostic").
 */
export function tfTrainer(tf: Tf, kind: 'autograd' | 'manual', B: number, w: Weights, d: Data): Trainer {
  const W1 = tf.variable(tf.tensor2d(w.W1, [IN, HID]));
  const b1 = tf.variable(tf.tensor1d(w.b1));
  const W2 = tf.variable(tf.tensor2d(w.W2, [HID, OUT]));
  const b2 = tf.variable(tf.tensor1d(w.b2));
  const vars = [W1, b1, W2, b2];
  const nb = Math.floor(N_DATA / B);
  const xb: import('@tensorflow/tfjs-core').Tensor2D[] = [];
  const yb: import('@tensorflow/tfjs-core').Tensor2D[] = [];
  for (let b = 0; b < nb; b++) {
    xb.push(tf.tensor2d(d.X.subarray(b * B * IN, (b + 1) * B * IN), [B, IN]));
    yb.push(tf.tensor2d(d.Y.subarray(b * B * OUT, (b + 1) * B * OUT), [B, OUT]));
  }
  const lr = tf.scalar(LR);
  const invB = tf.scalar(1 / B);
  let i = 0;
  const autogradStep = (b: number) =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.relu(tf.add(tf.matMul(xb[b]!, W1), b1));
        const logits = tf.add(tf.matMul(h, W2), b2);
        return tf.losses.softmaxCrossEntropy(yb[b]!, logits) as import('@tensorflow/tfjs-core').Scalar;
      }, vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(lr, grads[v.name]!)));
      return value;
    });
  const manualStep = (b: number) =>
    tf.tidy(() => {
      const x = xb[b]!, y = yb[b]!;
      const z1 = tf.add(tf.matMul(x, W1), b1);
      const h = tf.relu(z1);
      const logits = tf.add(tf.matMul(h, W2), b2);
      const logp = tf.logSoftmax(logits);
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(y, logp), 1)));
      const dl = tf.mul(tf.sub(tf.exp(logp), y), invB);
      const dW2 = tf.matMul(tf.transpose(h), dl), db2 = tf.sum(dl, 0);
      const dh = tf.mul(tf.matMul(dl, tf.transpose(W2)), tf.step(z1));
      const dW1 = tf.matMul(tf.transpose(x), dh), db1 = tf.sum(dh, 0);
      W1.assign(tf.sub(W1, tf.mul(lr, dW1)));
      b1.assign(tf.sub(b1, tf.mul(lr, db1)));
      W2.assign(tf.sub(W2, tf.mul(lr, dW2)));
      b2.assign(tf.sub(b2, tf.mul(lr, db2)));
      return loss;
    });
  return {
    step() {
      const b = i++ % nb;
      const l = kind === 'autograd' ? autogradStep(b) : manualStep(b);
      const v = l.dataSync()[0]!;
      l.dispose();
      return v;
    },
    dispose() {
      for (const t of [...vars, ...xb, ...yb, lr, invB]) t.dispose();
    },
  };
}

// ---- jax-js -----------------------------------------------------------------------------------

type JaxParams = { W1: JaxArray; b1: JaxArray; W2: JaxArray; b2: JaxArray };

/**
 * jax-js: `valueAndGrad` of the mean softmax cross-entropy (one-hot targets, `nn.logSoftmax`)
 * w.r.t. the parameter tree + manual SGD, the whole step under `jit` (traced and compiled on the
 * first call) or op by op. Reference counting: the trainer holds the current parameter tree and
 * the batches (refcount 1 each); a step passes the parameters themselves (consumed) and `.ref`s
 * of the batch, and gets back the loss and a new parameter tree (`loss.item()` consumes the loss).
 */
export function jaxTrainer(jax: Jax, B: number, w: Weights, d: Data, { jit = true } = {}): Trainer {
  const { numpy: np, nn, tree } = jax;
  let p: JaxParams = {
    W1: np.array(w.W1).reshape([IN, HID]),
    b1: np.array(w.b1),
    W2: np.array(w.W2).reshape([HID, OUT]),
    b2: np.array(w.b2),
  };
  const nb = Math.floor(N_DATA / B);
  const xb: JaxArray[] = [];
  const yb: JaxArray[] = [];
  for (let b = 0; b < nb; b++) {
    xb.push(np.array(d.X.subarray(b * B * IN, (b + 1) * B * IN)).reshape([B, IN]));
    yb.push(np.array(d.Y.subarray(b * B * OUT, (b + 1) * B * OUT)).reshape([B, OUT]));
  }
  // every argument is used exactly once (no .ref needed inside)
  const lossFn = (q: JaxParams, x: JaxArray, y: JaxArray): JaxArray => {
    const h = nn.relu(np.matmul(x, q.W1).add(q.b1));
    const logits = np.matmul(h, q.W2).add(q.b2);
    return np.mean(np.sum(nn.logSoftmax(logits, -1).mul(y), -1)).mul(-1);
  };
  const stepFn = (q: JaxParams, x: JaxArray, y: JaxArray): [JaxArray, JaxParams] => {
    const [loss, g] = jax.valueAndGrad(lossFn)(tree.ref(q), x, y);
    const next = tree.map((v: JaxArray, gv: JaxArray) => v.sub(gv.mul(LR)), q, g as JaxParams) as JaxParams;
    return [loss, next];
  };
  const jitted = jit ? jax.jit(stepFn) : null;
  const step = jitted ?? stepFn;
  let i = 0;
  return {
    step() {
      const b = i++ % nb;
      const [loss, next] = step(p, xb[b]!.ref, yb[b]!.ref);
      p = next;
      return loss.item();
    },
    dispose() {
      tree.dispose(p);
      for (const t of [...xb, ...yb]) t.dispose();
      jitted?.dispose();
    },
  };
}
