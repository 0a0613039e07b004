import { allocate, allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameErrors, ShapeError } from '../errors.ts';
import { normalizeAxis, checkOptions, describe, formatShape } from '../shape.ts';
import { toTensor, type Tensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OracleInput, type OracleOutput } from './define.ts';
import { neg, where } from './elementwise.ts';
export type { ClampBound } from './elementwise.ts';
import { applyUnary, composite, primitive, unaryOp, type OpEntry } from './helpers.ts';
import { slice } from './shape-ops.ts';
import { reluKernel, sigmoidKernel, tanhKernel } from '../kernels/unary.ts';
import { logSoftmaxRows, softmaxRows } from '../kernels/unary-lanes.ts';
import { exp, mul, sub } from './elementwise.ts';
import { sum } from './reduce.ts';
import { normalCdf, normalPdf, stableSigmoid } from './special.ts';
import * as O from './core-oracles.ts';

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
  name: 'geluGrad', scalar: geluDerivative, saves: [0], test: { domain: [-4, 4], smoothAt: GELU_BRANCHES, reference: O.geluGradReference },
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
  // smooth at ties (the max shift)
  test: { shapes: 'unary', params: axisParams, ties: true, oracle: ([x], { axis }) => O.laneMap(x!, axis, O.softmaxLane) },
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
  test: { shapes: 'unary', params: axisParams, ties: true, oracle: ([x], { axis }) => O.laneMap(x!, axis, O.logSoftmaxLane) },
});

/** Softmax along `axis` (default the last), shifted by the max so that it never overflows. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return apply(softmaxOp, [toTensor(x, 'x', 'softmax')], { axis });
}

/** log(softmax(x)) computed directly (stable, and exact for very negative entries). */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return apply(logSoftmaxOp, [toTensor(x, 'x', 'logSoftmax')], { axis });
}

// ------------------------------------------------------------------ more activations (PyTorch's torch.nn.functional)
// Each matches torch 1.13 at its kinks (which side's derivative it takes) and on NaN/±Infinity;
// the comments name the torch kernel's rule where it is not the obvious one. Where torch 1.13's CPU
// kernels disagree with themselves (the vectorized body of the loop against its scalar tail, at NaN
// and at some kinks), memograd follows the scalar rule, which is also the CUDA kernels'.

// log sigmoid = -softplus(-x) = min(x, 0) - log1p(e^-|x|) (torch's form: never overflows)
export const logSigmoidOp = unaryOp({
  name: 'logSigmoid',
  scalar: (v) => Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))),
  saves: [0],
  test: { domain: [-6, 6], smoothAt: [0] }, // min and |x| have kinks at 0 that cancel
  // d logSigmoid = sigmoid(-x) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.sigmoid(m.neg(s.a))); },
});

/** Parameters of hardtanh: the clamp interval. */
interface HardtanhParams { minVal: number; maxVal: number }
export const hardtanhOp = unaryOp<HardtanhParams>({
  name: 'hardtanh',
  // clamp(x, minVal, maxVal); NaN stays NaN
  scalar: (v, { minVal, maxVal }) => (v < minVal ? minVal : v > maxVal ? maxVal : v),
  saves: [0],
  test: {
    params: (_s, pick) => [{ minVal: -1, maxVal: 1 }, { minVal: 0, maxVal: 6 }, { minVal: -0.5, maxVal: 0.25 }][pick(3)]!,
    avoid: (v) => [-1, 1, 0, 6, -0.5, 0.25].some((k) => Math.abs(v - k) < 1e-3),
  },
  // d hardtanh = [minVal < x < maxVal] dx: torch's hardtanh_backward zeroes x <= minVal or x >= maxVal
  // (so 0 AT the bounds, unlike clamp), and lets the gradient through at NaN
  derivative: (m, s) => {
    const outside = m.add(m.le(s.a, m.k(s.params.minVal)), m.ge(s.a, m.k(s.params.maxVal)));
    s.da = m.where(outside, m.k(0), s.g);
  },
});

// torch's hardsigmoid_backward multiplies by the float32 constant 1.0f / 6.0f even in float64;
// memograd uses the same constant so that gradients agree with PyTorch's bit for bit
const ONE_SIXTH_F32 = Math.fround(1 / 6);
export const hardsigmoidOp = unaryOp({
  name: 'hardsigmoid',
  scalar: (v) => Math.min(Math.max(v + 3, 0), 6) / 6,
  saves: [0],
  test: { domain: [-4, 4], avoid: (v) => Math.abs(Math.abs(v) - 3) < 1e-3, rtol: 1e-6 },
  // d hardsigmoid = [-3 < x < 3] dx / 6 (0 at ±3 and at NaN, as torch)
  derivative: (m, s) => {
    const inside = m.mul(m.gt(s.a, m.k(-3)), m.lt(s.a, m.k(3)));
    s.da = m.where(inside, m.mul(s.g, m.k(ONE_SIXTH_F32)), m.k(0));
  },
});

export const hardswishOp = unaryOp({
  name: 'hardswish',
  scalar: (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6,
  saves: [0],
  test: { domain: [-4, 4], avoid: (v) => Math.abs(Math.abs(v) - 3) < 1e-3 },
  // d hardswish = (x < -3 ? 0 : x <= 3 ? x/3 + 1/2 : 1) dx: torch's scalar rule (its CUDA kernel and
  // the tail of its CPU loop) takes the middle piece at both -3 and 3 and passes the gradient at NaN
  // (torch 1.13's vectorized CPU body gives 1 at 3 and NaN at NaN instead)
  derivative: (m, s) => {
    const mid = m.mul(s.g, m.add(m.div(s.a, m.k(3)), m.k(0.5)));
    s.da = m.where(m.lt(s.a, m.k(-3)), m.k(0), m.where(m.le(s.a, m.k(3)), mid, s.g));
  },
});

const SOFTPLUS_1 = { beta: 1, threshold: 20 };
/** softplus without a threshold, written so that it never overflows. */
const stableSoftplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
export const mishOp = unaryOp({
  name: 'mish',
  scalar: (v) => v * Math.tanh(stableSoftplus(v)),
  saves: [0],
  test: { domain: [-5, 5], smoothAt: [0] }, // the stable softplus's branch point
  // mish = x t, t = tanh(softplus(x)); d mish = (t + x sigmoid(x) (1 - t²)) dx (torch's mish_backward)
  derivative: (m, s) => {
    const t = m.unary(tanhOp, m.unary(softplusOp, s.a, SOFTPLUS_1), undefined);
    s.da = m.mul(s.g, m.add(t, m.mul(m.mul(s.a, m.sigmoid(s.a)), m.sub(m.k(1), m.mul(t, t)))));
  },
});

// torch's SELU constants (torch/csrc/api, aten Activation.cpp)
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
export const seluOp = unaryOp({
  name: 'selu',
  scalar: (v) => (v <= 0 ? SELU_ALPHA * SELU_SCALE * Math.expm1(v) : SELU_SCALE * v),
  saves: [0],
  test: { avoid: (v) => Math.abs(v) < 1e-3 },
  // d selu = (x <= 0 ? alpha scale e^x : scale) dx (torch's elu_backward takes the left piece at 0)
  derivative: (m, s) => {
    s.da = m.where(m.le(s.a, m.k(0)), m.mul(m.mul(s.g, m.k(SELU_ALPHA * SELU_SCALE)), m.exp(s.a)), m.mul(s.g, m.k(SELU_SCALE)));
  },
});

export const celuOp = unaryOp<{ alpha: number }>({
  name: 'celu',
  scalar: (v, { alpha }) => (v <= 0 ? alpha * Math.expm1(v / alpha) : v),
  saves: [0],
  test: {
    params: (_s, pick) => ({ alpha: [1, 0.5, 2][pick(3)]! }),
    // continuously differentiable at 0 for every alpha; the second derivative jumps there
    smoothAt: [0],
    smoothAtFirstOrderOnly: true,
  },
  // d celu = (x <= 0 ? e^(x/alpha) : 1) dx
  derivative: (m, s) => {
    s.da = m.where(m.le(s.a, m.k(0)), m.mul(s.g, m.exp(m.div(s.a, m.k(s.params.alpha)))), s.g);
  },
});

export const softsignOp = unaryOp({
  name: 'softsign',
  scalar: (v) => v / (1 + Math.abs(v)),
  saves: [0],
  test: { smoothAt: [0], smoothAtFirstOrderOnly: true }, // C¹ at 0, the second derivative jumps
  // d softsign = dx / (1 + |x|)², written as torch's autograd of x / (1 + |x|) computes it,
  // g/d - g x sign(x)/d², so that ±Infinity gives NaN as there
  derivative: (m, s) => {
    const d = m.add(m.k(1), m.mul(s.a, m.sign(s.a)));
    s.da = m.add(m.div(s.g, d), m.mul(m.neg(m.div(m.mul(s.g, s.a), m.mul(d, d))), m.sign(s.a)));
  },
});

/** logit's parameter: eps < 0 means none (torch's own encoding of `eps=None`). */
interface LogitParams { eps: number }
export const logitOp = unaryOp<LogitParams>({
  name: 'logit',
  scalar: (v, { eps }) => {
    // with eps, x is first clamped into [eps, 1 - eps] exactly as torch writes it (x < lo ? lo :
    // x > hi ? hi : x, so eps > 0.5 gives a constant); NaN stays NaN
    const z = eps < 0 ? v : v < eps ? eps : v > 1 - eps ? 1 - eps : v;
    return Math.log(z / (1 - z));
  },
  saves: [0],
  test: {
    domain: [0.03, 0.97],
    params: (_s, pick) => [{ eps: -1 }, { eps: 0.2 }, { eps: 0 }][pick(3)]!,
    avoid: (v) => Math.abs(v - 0.2) < 1e-3 || Math.abs(v - 0.8) < 1e-3,
  },
  // d logit = dx / (x (1 - x)); with eps, 0 outside [eps, 1 - eps]; without, NaN outside [0, 1]
  // (torch's scalar logit_backward, so NaN gives NaN in both cases)
  derivative: (m, s) => {
    const eps = s.params.eps;
    const d = m.div(s.g, m.mul(s.a, m.sub(m.k(1), s.a)));
    if (eps < 0) s.da = m.where(m.add(m.lt(s.a, m.k(0)), m.gt(s.a, m.k(1))), m.k(NaN), d);
    else s.da = m.where(m.add(m.lt(s.a, m.k(eps)), m.gt(s.a, m.k(1 - eps))), m.k(0), d);
  },
});

/** log(sigmoid(x)) = -softplus(-x), element-wise, computed without overflow. */
export function logSigmoid(x: TensorLike): Tensor { return applyUnary(logSigmoidOp, x, undefined); }

/** Options of `hardtanh` (PyTorch's `min_val` and `max_val`). */
export interface HardtanhOptions {
  /** The lower end of the linear region (default -1). */
  minVal?: number;
  /** The upper end of the linear region (default 1). */
  maxVal?: number;
}
/** Hard tanh: x clamped into [minVal, maxVal] (default [-1, 1]); the gradient is 0 at the bounds, as in PyTorch. */
export function hardtanh(x: TensorLike, options?: HardtanhOptions): Tensor {
  const o = checkOptions<HardtanhOptions>('hardtanh', options, ['minVal', 'maxVal']);
  const minVal = o.minVal ?? -1;
  const maxVal = o.maxVal ?? 1;
  for (const [k, v] of [['minVal', minVal], ['maxVal', maxVal]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new ArgumentError('hardtanh', `${k} must be a number, got ${describe(v)}`);
  }
  if (minVal > maxVal) throw new ArgumentError('hardtanh', `minVal ${minVal} is greater than maxVal ${maxVal}`);
  return applyUnary(hardtanhOp, x, { minVal, maxVal });
}
/** Hard sigmoid min(max(x + 3, 0), 6) / 6, element-wise. */
export function hardsigmoid(x: TensorLike): Tensor { return applyUnary(hardsigmoidOp, x, undefined); }
/** Hard swish x·hardsigmoid(x), element-wise. */
export function hardswish(x: TensorLike): Tensor { return applyUnary(hardswishOp, x, undefined); }
/** Mish x·tanh(softplus(x)), element-wise (stable for large |x|). */
export function mish(x: TensorLike): Tensor { return applyUnary(mishOp, x, undefined); }
/** SELU scale·(x > 0 ? x : alpha·(e^x - 1)) with PyTorch's constants alpha ≈ 1.6733, scale ≈ 1.0507. */
export function selu(x: TensorLike): Tensor { return applyUnary(seluOp, x, undefined); }
/** Options of `celu`. */
export interface CeluOptions {
  /** The negative saturation value -alpha (default 1; not 0). */
  alpha?: number;
}
/** CELU: x for x > 0, else alpha·(e^(x/alpha) - 1). */
export function celu(x: TensorLike, options?: CeluOptions): Tensor {
  const o = checkOptions<CeluOptions>('celu', options, ['alpha']);
  const alpha = o.alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha === 0) throw new ArgumentError('celu', `alpha must be a finite number other than 0, got ${describe(alpha)}`);
  return applyUnary(celuOp, x, { alpha });
}
/** Softsign x / (1 + |x|), element-wise. */
export function softsign(x: TensorLike): Tensor { return applyUnary(softsignOp, x, undefined); }
/** Options of `logit`. */
export interface LogitOptions {
  /**
   * Clamps x into [eps, 1 - eps] first (the gradient is then 0 outside). Left out (or negative, as
   * PyTorch), no clamping: NaN outside [0, 1], ±Infinity at 1 and 0.
   */
  eps?: number | null;
}
/** The log-odds log(x / (1 - x)), element-wise: the inverse of sigmoid. */
export function logit(x: TensorLike, options?: LogitOptions): Tensor {
  const o = checkOptions<LogitOptions>('logit', options, ['eps']);
  const eps = o.eps ?? -1;
  if (typeof eps !== 'number' || Number.isNaN(eps)) throw new ArgumentError('logit', `eps must be a number (or null for none), got ${describe(eps)}`);
  return applyUnary(logitOp, x, { eps: eps < 0 ? -1 : eps });
}

// ------------------------------------------------------------------ softmin and glu (composites)

/** Softmin along `axis` (default the last): softmax(-x), the weights of the smallest entries. */
export function softmin(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x, 'x', 'softmin');
  normalizeAxis('softmin', axis, t.rank);
  return renameErrors('softmin', () => apply(softmaxOp, [neg(t)], { axis }));
}

/** The halves of `x` along `axis` for glu, after checking that it can be halved. */
function gluHalves(t: Tensor, axis: number): { ax: number; half: number } {
  if (t.rank === 0) throw new ShapeError('glu', 'cannot halve a 0-d tensor (glu needs at least one axis)', [t.shape]);
  const ax = normalizeAxis('glu', axis, t.rank);
  const n = t.shape[ax]!;
  if (n % 2 !== 0) throw new ShapeError('glu', `axis ${axis} of ${formatShape(t.shape)} has odd size ${n}; glu halves it, so it must be even`, [t.shape]);
  return { ax, half: n / 2 };
}

/** Gated linear unit: a·sigmoid(b), where a and b are the two halves of `x` along `axis` (default the last). */
export function glu(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x, 'x', 'glu');
  const { ax, half } = gluHalves(t, axis);
  const begin = t.shape.map(() => 0);
  const size = t.shape.slice();
  size[ax] = half;
  return renameErrors('glu', () => {
    const a = slice(t, begin, size);
    begin[ax] = half;
    return mul(a, sigmoid(slice(t, begin, size)));
  });
}

// ------------------------------------------------------------------ oracles of the composites

/** Plain-loop lanes of a row-major tensor along `axis`: f(lane values) -> output lane values. */
function laneOracle(x: OracleInput, axis: number, outLen: (n: number) => number, f: (lane: number[]) => number[]): OracleOutput {
  const shape = x.shape;
  const ax = axis < 0 ? axis + Math.max(shape.length, 1) : axis;
  const n = shape.length === 0 ? 1 : shape[ax]!;
  const m = outLen(n);
  let inner = 1;
  for (let d = ax + 1; d < shape.length; d++) inner *= shape[d]!;
  const outer = n === 0 ? 0 : x.data.length / (n * inner);
  const outShape = shape.slice();
  if (shape.length > 0) outShape[ax] = m;
  const data = new Array<number>(outer * m * inner).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const lane: number[] = [];
      for (let k = 0; k < n; k++) lane.push(x.data[o * n * inner + k * inner + i]!);
      f(lane).forEach((v, k) => { data[o * m * inner + k * inner + i] = v; });
    }
  }
  return { shape: outShape, data };
}

const softminOracle = (lane: number[]): number[] => {
  const lo = Math.min(...lane);
  const e = lane.map((v) => Math.exp(-(v - (lo === Infinity ? 0 : lo))));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
};
const gluOracle = (lane: number[]): number[] => {
  const h = lane.length / 2;
  return lane.slice(0, h).map((a, k) => a / (1 + Math.exp(-lane[h + k]!)));
};

/** The activations added after the core set (spread into `OPS`, ops/registry.ts). */
export const ACTIVATION_OPS = {
  logSigmoid: primitive(logSigmoidOp),
  hardtanh: primitive(hardtanhOp),
  hardsigmoid: primitive(hardsigmoidOp),
  hardswish: primitive(hardswishOp),
  mish: primitive(mishOp),
  selu: primitive(seluOp),
  celu: primitive(celuOp),
  softsign: primitive(softsignOp),
  logit: primitive(logitOp),
  softmin: composite('softmin', ([x], p: AxisParams) => softmin(x!, p.axis), {
    shapes: 'unary', params: axisParams, ties: true,
    oracle: ([x], p) => laneOracle(x!, p.axis, (n) => n, softminOracle),
  }),
  glu: composite('glu', ([x], p: AxisParams) => glu(x!, p.axis), {
    shapes: (pick) => {
      const s = [1 + pick(3), 2 * (1 + pick(2)), 1 + pick(2)].slice(0, 1 + pick(3));
      return [s.map((d) => (d % 2 === 0 ? d : d + 1))];
    },
    params: (shapes, pick) => {
      const rank = shapes[0]!.length;
      const axis = pick(rank);
      return { axis: pick(2) ? axis - rank : axis };
    },
    domain: [-4, 4],
    oracle: ([x], p) => laneOracle(x!, p.axis, (n) => n / 2, gluOracle),
  }),
} as const satisfies Record<string, OpEntry>;

