// The reference update loops: plain scalar JS, one element at a time, arithmetic in double and each
// stored value rounded to the parameter's dtype by its typed array. The fast paths (wasm.ts) must give
// the same bits; the property tests in test/fast-update.test.ts compare them. Not exported from the
// package: the optimizers run them when the fast path does not apply (no WebAssembly, small
// parameters, mixed dtypes).
import type { FloatArray } from '../param.ts';
import { lerp } from '../util.ts';

/** Adam's / AdamW's hyperparameters for one step of one parameter. */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
  /** AdamW: θ ← θ(1 − γλ) instead of g ← g + λθ */
  decoupled: boolean;
  /** the step number t (1 on the first step) */
  step: number;
}

/** Adam's derived per-step constants, computed once per parameter by the reference and the fast paths alike. */
export function adamConstants(h: AdamStep): { stepSize: number; bc2Sqrt: number; decay: number; w1: number; w2: number } {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  return { stepSize: h.lr / bc1, bc2Sqrt: Math.sqrt(bc2), decay: 1 - h.lr * h.weightDecay, w1: 1 - h.beta1, w2: 1 - h.beta2 };
}

/** One Adam / AdamW step (PyTorch's `_single_tensor_adam` order of operations); `vmax` for AMSGrad. */
export function adamReference(x: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vmax: FloatArray | undefined, h: AdamStep): void {
  const { eps, weightDecay: wd, maximize, decoupled, beta2 } = h;
  const { stepSize, bc2Sqrt, decay, w1, w2 } = adamConstants(h);
  for (let i = 0, n = x.length; i < n; i++) {
    let gi = maximize ? -g[i] : g[i];
    if (wd !== 0) {
      if (decoupled) x[i] = x[i] * decay;
      else gi = gi + wd * x[i];
    }
    m[i] = lerp(m[i], gi, w1);
    v[i] = v[i] * beta2 + w2 * gi * gi;
    let denom: number;
    if (vmax !== undefined) {
      vmax[i] = Math.max(vmax[i], v[i]);
      denom = Math.sqrt(vmax[i]) / bc2Sqrt + eps;
    } else {
      denom = Math.sqrt(v[i]) / bc2Sqrt + eps;
    }
    x[i] = x[i] + (-stepSize * m[i]) / denom;
  }
}

/** SGD's hyperparameters. */
export interface SGDStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * One SGD step. With momentum > 0, `buf` is the momentum buffer and `first` says it is new (it is
 * then set to the gradient, as PyTorch's `momentum_buffer = clone(grad)`).
 */
export function sgdReference(x: FloatArray, g: FloatArray, buf: FloatArray | undefined, first: boolean, h: SGDStep): void {
  const { lr, momentum, dampening, weightDecay: wd, nesterov, maximize } = h;
  const n = x.length;
  if (buf === undefined) {
    // the plain step is most of a small model's optimizer time: one tight loop per case rather
    // than two tests per element (same arithmetic as the general form below)
    const step = maximize ? lr : -lr;
    if (wd === 0) {
      for (let i = 0; i < n; i++) x[i] = x[i] + step * g[i];
    } else {
      for (let i = 0; i < n; i++) {
        const gi = (maximize ? -g[i] : g[i]) + wd * x[i];
        x[i] = x[i] + -lr * gi;
      }
    }
    return;
  }
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    let gi = maximize ? -g[i] : g[i];
    if (wd !== 0) gi = gi + wd * x[i];
    buf[i] = first ? gi : buf[i] * momentum + keep * gi;
    const d = nesterov ? gi + momentum * buf[i] : buf[i];
    x[i] = x[i] + -lr * d;
  }
}

/** RMSprop's hyperparameters. */
export interface RMSpropStep {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  maximize: boolean;
}

/** One RMSprop step; `buf` with momentum > 0, `gradAvg` when centered. */
export function rmspropReference(x: FloatArray, g: FloatArray, sq: FloatArray, buf: FloatArray | undefined, ga: FloatArray | undefined, h: RMSpropStep): void {
  const { lr, alpha, eps, weightDecay: wd, momentum, maximize } = h;
  const oneMinusAlpha = 1 - alpha;
  for (let i = 0, n = x.length; i < n; i++) {
    let gi = maximize ? -g[i] : g[i];
    if (wd !== 0) gi = gi + wd * x[i];
    sq[i] = sq[i] * alpha + oneMinusAlpha * gi * gi;
    let avg: number;
    if (ga !== undefined) {
      ga[i] = lerp(ga[i], gi, oneMinusAlpha);
      avg = Math.sqrt(sq[i] + -1 * ga[i] * ga[i]) + eps;
    } else {
      avg = Math.sqrt(sq[i]) + eps;
    }
    if (buf !== undefined) {
      buf[i] = buf[i] * momentum + gi / avg;
      x[i] = x[i] + -lr * buf[i];
    } else {
      x[i] = x[i] + (-lr * gi) / avg;
    }
  }
}

/** Adagrad's hyperparameters for one step. */
export interface AdagradStep {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
  /** the step number t (1 on the first step) */
  step: number;
}

/** Adagrad's learning rate at step t: γ / (1 + (t − 1)η). */
export function adagradLr(h: AdagradStep): number {
  return h.lr / (1 + (h.step - 1) * h.lrDecay);
}

/** One Adagrad step over the accumulator `sum`. */
export function adagradReference(x: FloatArray, g: FloatArray, sum: FloatArray, h: AdagradStep): void {
  const { weightDecay: wd, eps, maximize } = h;
  const clr = adagradLr(h);
  for (let i = 0, n = x.length; i < n; i++) {
    let gi = maximize ? -g[i] : g[i];
    if (wd !== 0) gi = gi + wd * x[i];
    sum[i] = sum[i] + gi * gi;
    const std = Math.sqrt(sum[i]) + eps;
    x[i] = x[i] + (-clr * gi) / std;
  }
}
