import { allocate, allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError } from '../errors.ts';
import { normalizeAxis, checkOptions, describe } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp } from './define.ts';
import { where } from './elementwise.ts';
import { applyUnary, unaryOp, type OpEntry } from './helpers.ts';
import { reluKernel, sigmoidKernel, tanhKernel } from '../kernels/unary.ts';
import { logSoftmaxRows, softmaxRows } from '../kernels/unary-lanes.ts';
import { exp, mul, sub } from './elementwise.ts';
import { sum } from './reduce.ts';
import { normalCdf, normalPdf, stableSigmoid } from './special.ts';

/** The public form of stableSigmoid: `v` must be a number (NaN gives NaN). */
export function publicStableSigmoid(v: number): number {
  if (typeof v !== 'number') throw new ArgumentError('stableSigmoid', `v must be a number, got ${describe(v)}`);
  return stableSigmoid(v);
}

export const sigmoidOp = unaryOp({
  name: 'sigmoid', scalar: stableSigmoid, kernel: sigmoidKernel, saves: ['out'],
  // (smooth at 0, where the stable form switches branch)
  test: { domain: [-6, 6], smoothAt: [0] },
  // d sigmoid = s (1 - s) dx
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, s.out), m.sub(m.k(1), s.out)); },
});
export const tanhOp = unaryOp({
  name: 'tanh', scalar: Math.tanh, kernel: tanhKernel, saves: ['out'], test: { smoothAt: [0] },
  // d tanh = (1 - tanh²) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.sub(m.k(1), m.mul(s.out, s.out))); },
});
// relu: x < 0 ? 0 : x, so NaN stays NaN and -0 stays -0 (PyTorch's clamp_min(x, 0)).
export const reluOp = unaryOp({
  name: 'relu', scalar: (v) => (v < 0 ? 0 : v), kernel: reluKernel, saves: ['out'], test: { avoid: (v) => Math.abs(v) < 1e-3 },
  // d relu = [out != 0] dx (PyTorch's threshold_backward: 0 where out <= 0): the subgradient at 0
  // is 0, and at NaN the gradient passes
  derivative: (m, s) => { s.da = m.mul(s.g, m.ne(s.out, m.k(0))); },
});
export const leakyReluOp = unaryOp<{ negativeSlope: number }>({
  name: 'leakyRelu',
  scalar: (v, { negativeSlope }) => (v > 0 ? v : v * negativeSlope),
  // d leakyRelu = (x > 0 ? 1 : slope) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.where(m.gt(s.a, m.k(0)), m.k(1), m.k(s.params.negativeSlope))); },
  saves: [0],
  test: { avoid: (v) => Math.abs(v) < 1e-3, params: (_s, pick) => ({ negativeSlope: [0.01, 0.2, 1.5][pick(3)]! }) },
});
export const eluOp = unaryOp<{ alpha: number }>({
  name: 'elu',
  scalar: (v, { alpha }) => (v > 0 ? v : alpha * Math.expm1(v)),
  // elu = x > 0 ? x : alpha (e^x - 1); below zero d elu = alpha e^x dx = (out + alpha) dx
  derivative: (m, s) => { s.da = m.where(m.gt(s.a, m.k(0)), s.g, m.mul(s.g, m.add(s.out, m.k(s.params.alpha)))); },
  saves: [0, 'out'],
  test: {
    avoid: (v) => Math.abs(v) < 1e-3,
    params: (_s, pick) => ({ alpha: [1, 0.5][pick(2)]! }),
    // with alpha 1 continuously differentiable at 0, where the formula branches (the second
    // derivative jumps from 0 to 1 there, so first order only)
    smoothAt: ({ alpha }) => (alpha === 1 ? [0] : []),
    smoothAtFirstOrderOnly: true,
  },
});
// gelu (exact): x Phi(x)
function geluDerivative(v: number): number {
  return normalCdf(v) + v * normalPdf(v);
}
// erfc (special.ts) switches formula at 0 and 1, so Phi(x) = erfc(-x / sqrt 2) / 2 at x = 0, ±sqrt 2
const GELU_BRANCHES = [0, -Math.SQRT2, Math.SQRT2];
export const geluOp = unaryOp({
  name: 'gelu', scalar: (v) => v * normalCdf(v), saves: [0], test: { domain: [-4, 4], smoothAt: GELU_BRANCHES },
  // d gelu = (Phi(x) + x phi(x)) dx, through the op geluGrad so that gelu has second derivatives
  derivative: (m, s) => { s.da = m.mul(s.g, m.unary(geluGradOp, s.a, undefined)); },
});
// the derivative of gelu as an op of its own
export const geluGradOp = unaryOp({
  name: 'geluGrad', scalar: geluDerivative, saves: [0], test: { domain: [-4, 4], smoothAt: GELU_BRANCHES },
  // d/dx [Phi(x) + x phi(x)] = 2 phi(x) - x^2 phi(x) = phi(x) (2 - x^2)
  derivative: (m, s) => {
    const x2 = m.mul(s.a, s.a);
    s.da = m.mul(m.mul(s.g, m.mul(m.exp(m.mul(x2, m.k(-0.5))), m.k(1 / Math.sqrt(2 * Math.PI)))), m.sub(m.k(2), x2));
  },
});
export const siluOp = unaryOp({
  name: 'silu', scalar: (v) => v * stableSigmoid(v), saves: [0],
  test: { smoothAt: [0] }, // the stable sigmoid's branch point
  // silu = x s(x); d silu = s (1 + x (1 - s)) dx
  derivative: (m, s) => {
    const sig = m.sigmoid(s.a);
    s.da = m.mul(m.mul(s.g, sig), m.add(m.mul(s.a, m.sub(m.k(1), sig)), m.k(1)));
  },
});

/** Options of `softplus` (PyTorch's `beta` and `threshold`). */
export interface SoftplusOptions {
  /** Sharpness: softplus(x) = log(1 + e^(beta·x)) / beta (default 1). */
  beta?: number;
  /** Above beta*x > threshold the function is treated as linear (PyTorch's default 20). */
  threshold?: number;
}
// softplus = log(1 + e^{beta x}) / beta, written as max(z,0) + log1p(e^{-|z|}) so it never overflows
export const softplusOp = unaryOp<{ beta: number; threshold: number }>({
  name: 'softplus',
  scalar: (v, { beta, threshold }) => {
    const z = v * beta;
    if (z > threshold) return v;
    return (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / beta;
  },
  // d softplus = sigmoid(beta x) dx (dx in the linear region beta x > threshold)
  derivative: (m, s) => {
    const z = m.mul(s.a, m.k(s.params.beta));
    s.da = m.where(m.gt(z, m.k(s.params.threshold)), s.g, m.mul(s.g, m.sigmoid(z)));
  },
  saves: [0],
  test: { params: (_s, pick) => [{ beta: 1, threshold: 20 }, { beta: 2, threshold: 20 }, { beta: 0.5, threshold: 1 }][pick(3)]!,
    // smooth at 0, where max(z, 0) and |z| of the stable form have kinks that cancel; the kink at
    // beta x = threshold (x = 2 for beta 0.5) is real (PyTorch switches to x there)
    avoid: (v) => Math.abs(v - 2) < 1e-3, smoothAt: [0] },
});

/** Logistic sigmoid 1 / (1 + e^-x), element-wise. */
export function sigmoid(x: TensorLike): Tensor { return applyUnary(sigmoidOp, x, undefined); }
/** Hyperbolic tangent, element-wise. */
export function tanh(x: TensorLike): Tensor { return applyUnary(tanhOp, x, undefined); }
/** Rectified linear unit max(x, 0), element-wise. */
export function relu(x: TensorLike): Tensor { return applyUnary(reluOp, x, undefined); }
/** Leaky ReLU: x for x > 0, else negativeSlope·x (default 0.01). */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) throw new ArgumentError('leakyRelu', `negativeSlope must be a finite number, got ${describe(negativeSlope)}`);
  return applyUnary(leakyReluOp, x, { negativeSlope });
}
/** ELU: x for x > 0, else alpha·(e^x - 1). */
export function elu(x: TensorLike, alpha = 1): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ArgumentError('elu', `alpha must be a finite number, got ${describe(alpha)}`);
  return applyUnary(eluOp, x, { alpha });
}
/** GELU x·Φ(x) (exact, with erf), element-wise. */
export function gelu(x: TensorLike): Tensor { return applyUnary(geluOp, x, undefined); }
export function geluGrad(x: TensorLike): Tensor { return applyUnary(geluGradOp, x, undefined); }
/** SiLU (swish) x·sigmoid(x), element-wise. */
export function silu(x: TensorLike): Tensor { return applyUnary(siluOp, x, undefined); }
/** Softplus log(1 + e^(beta·x)) / beta, a smooth ReLU. */
export function softplus(x: TensorLike, options?: SoftplusOptions): Tensor {
  const o = checkOptions<SoftplusOptions>('softplus', options, ['beta', 'threshold']);
  const beta = o.beta ?? 1;
  const threshold = o.threshold ?? 20;
  if (typeof beta !== 'number' || !(beta > 0) || !Number.isFinite(beta)) throw new ArgumentError('softplus', `beta must be a positive number, got ${describe(beta)}`);
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new ArgumentError('softplus', `threshold must be a number, got ${describe(threshold)}`);
  return applyUnary(softplusOp, x, { beta, threshold });
}

// ------------------------------------------------------------------ softmax family

interface AxisParams {
  axis: number;
}

/** Runs f over every 1-D lane of `x` along `axis`: f(src, dst, offset, stride, length). */
function lanes(
  x: Tensor,
  axis: number,
  out: Float32Array | Float64Array,
  f: (src: Float32Array | Float64Array, dst: Float32Array | Float64Array, off: number, stride: number, n: number) => void,
): void {
  const shape = x.shape;
  const n = shape[axis] ?? 1;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const outer = n === 0 ? 0 : x.size / (n * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(x.data, out, o * n * inner + i, inner, n);
}

function softmaxLane(src: Float32Array | Float64Array, dst: Float32Array | Float64Array, off: number, s: number, n: number): void {
  let m = -Infinity;
  for (let k = 0; k < n; k++) m = Math.max(m, src[off + k * s]!);
  if (m === -Infinity) m = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(src[off + k * s]! - m);
    dst[off + k * s] = e;
    total += e;
  }
  for (let k = 0; k < n; k++) dst[off + k * s] = dst[off + k * s]! / total;
}

function logSoftmaxLane(src: Float32Array | Float64Array, dst: Float32Array | Float64Array, off: number, s: number, n: number): void {
  let m = -Infinity;
  for (let k = 0; k < n; k++) m = Math.max(m, src[off + k * s]!);
  if (m === -Infinity) m = 0;
  let total = 0;
  for (let k = 0; k < n; k++) total += Math.exp(src[off + k * s]! - m);
  // (x - m) - log(total), not x - (m + log(total)): the latter rounds m + log(total) at m's scale
  const logTotal = Math.log(total);
  for (let k = 0; k < n; k++) dst[off + k * s] = src[off + k * s]! - m - logTotal;
}

const axisParams = (shapes: readonly number[][], pick: (n: number) => number): AxisParams => {
  const rank = shapes[0]!.length;
  return { axis: rank === 0 ? 0 : pick(rank) - (pick(2) ? rank : 0) };
};

// softmax: s = e^{x - max} / sum; d = s (g - sum(g s))
export const softmaxOp = defineOp<AxisParams>({
  name: 'softmax',
  inputs: ['x'],
  saves: ['out'],
  shape: ([s], { axis }) => (normalizeAxis('softmax', axis, s!.length), s!.slice()),
  forward: ([x], { axis }) => {
    const out = allocateForOverwrite(x!.dtype, x!.size);
    const ax = normalizeAxis('softmax', axis, x!.rank);
    if (ax === x!.rank - 1 && x!.size > 0) softmaxRows(x!.data, out, x!.shape[ax]!); // contiguous rows
    else lanes(x!, ax, out, softmaxLane);
    return out;
  },
  backward: ({ grad, out, params: { axis } }) => [out.mul(grad.sub(sum(grad.mul(out), { axis, keepDims: true })))],
  test: { shapes: 'unary', params: axisParams, ties: true }, // smooth at ties (the max shift)
});

// log-softmax: x - logsumexp(x); d = g - softmax * sum(g)
export const logSoftmaxOp = defineOp<AxisParams>({
  name: 'logSoftmax',
  inputs: ['x'],
  saves: ['out'],
  shape: ([s], { axis }) => (normalizeAxis('logSoftmax', axis, s!.length), s!.slice()),
  forward: ([x], { axis }) => {
    const out = allocateForOverwrite(x!.dtype, x!.size);
    const ax = normalizeAxis('logSoftmax', axis, x!.rank);
    if (ax === x!.rank - 1 && x!.size > 0) logSoftmaxRows(x!.data, out, x!.shape[ax]!); // contiguous rows
    else lanes(x!, ax, out, logSoftmaxLane);
    return out;
  },
  backward: ({ grad, out, params: { axis } }) => [grad.sub(mul(exp(out), sum(grad, { axis, keepDims: true })))],
  test: { shapes: 'unary', params: axisParams, ties: true },
});

/** Softmax along `axis` (default the last), shifted by the max so that it never overflows. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return apply(softmaxOp, [toTensor(x, 'x', 'softmax')], { axis });
}

/** log(softmax(x)) computed directly (stable, and exact for very negative entries). */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return apply(logSoftmaxOp, [toTensor(x, 'x', 'logSoftmax')], { axis });
}

/** The activations added after the core set (spread into `OPS`, ops/registry.ts). */
export const ACTIVATION_OPS = {
} as const satisfies Record<string, OpEntry>;
