import { allocate } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { reduceFast, reduceInto, type ReduceCode } from '../kernels/reduce.ts';
import { logSumExpRows } from '../kernels/unary-lanes.ts';
import { checkBoolean, checkInteger, checkOptions, checkShape, describe, formatShape, normalizeAxes, normalizeAxis, reducedShape, sizeOf, type Shape } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef, type Pick } from './define.ts';
import { exp, where } from './elementwise.ts';
import { expand, reshape } from './shape-ops.ts';
import * as O from './core-oracles.ts';
import { productOfOthers } from './scan.ts';

/** Options of the reductions (`sum`, `mean`, `max`, ...): PyTorch's `dim` and `keepdim`. */
export interface ReduceOptions {
  /** The axis or axes to reduce; all when omitted. Negative axes count from the end. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1 (default false). */
  keepDims?: boolean;
}

interface ReduceParams {
  axes: readonly number[];
  keepDims: boolean;
}

const REDUCE_OPTIONS = ['axis', 'keepDims'] as const;

/** Validates reduction options (a plain object with `axis`, `keepDims` and the op's `extra` keys). */
function reduceParams(op: string, x: Tensor, options: ReduceOptions | undefined, extra: readonly string[] = []): ReduceParams {
  const o = checkOptions<ReduceOptions>(op, options, extra.length === 0 ? REDUCE_OPTIONS : [...REDUCE_OPTIONS, ...extra]);
  return { axes: normalizeAxes(op, o.axis, x.rank), keepDims: checkBoolean(op, 'keepDims', o.keepDims, false) };
}

/** The shape rule's check of reduction parameters given directly (sorted distinct axes in range). */
function checkReduceParams(op: string, s: Shape, p: ReduceParams): void {
  const axes: unknown = p?.axes;
  const ok = Array.isArray(axes) && axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < s.length && (i === 0 || a > axes[i - 1]));
  if (!ok) throw new ArgumentError(op, `axes ${describe(axes)} must be distinct sorted axes of ${formatShape(s)}`);
  checkBoolean(op, 'keepDims', p.keepDims, false);
}

/** Random axes for the property tests: all, one (maybe negative) or two, with or without keepDims. */
export const sampleReduceParams = (shapes: readonly number[][], pick: Pick): ReduceParams => {
  const rank = shapes[0]!.length;
  const keepDims = pick(2) === 1;
  const mode = rank === 0 ? 0 : pick(3);
  if (mode === 0) return { axes: Array.from({ length: rank }, (_, i) => i), keepDims };
  const a = pick(rank);
  if (mode === 1 || rank < 2) return { axes: [a], keepDims };
  const b = (a + 1 + pick(rank - 1)) % rank;
  return { axes: [Math.min(a, b), Math.max(a, b)], keepDims };
};

function reduceKernel(
  x: Tensor,
  { axes }: ReduceParams,
  init: number,
  combine: (acc: number, v: number) => number,
  code: ReduceCode | null = null,
): Float32Array | Float64Array {
  const flags = x.shape.map((_, d) => axes.includes(d));
  const out = allocate(x.dtype, sizeOf(reducedShape(x.shape, axes, false)));
  out.fill(init);
  if (code !== null) reduceFast(code, x.data, x.shape, flags, out);
  else reduceInto(x.data, x.shape, flags, out, combine);
  return out;
}

/** The reduced result (or its gradient) reshaped with size-1 axes so that it broadcasts against x. */
function keep(t: Tensor, x: Tensor, { axes }: ReduceParams): Tensor {
  return reshape(t, reducedShape(x.shape, axes, true));
}

/** The definition of a reduction, for `reductionOp`: `OpDef`'s fields plus its fold. */
interface ReductionDef {
  /** The op's name, as in graphs and messages. */
  readonly name: string;
  /** The fold's start value (the identity: 0 for sum). */
  readonly init: number;
  /** The fold: the accumulator with one more element. */
  readonly combine: (acc: number, v: number) => number;
  /** The forward kernel: `reduceFast` with this code, or absent for `reduceInto` over `combine`. */
  readonly kernel?: ReduceCode;
  /** The vector-Jacobian product, written with Tensor ops (see `OpDef.backward`). */
  readonly backward: OpDef<ReduceParams>['backward'];
  /** What the backward reads (see `OpDef.saves`). */
  readonly saves: readonly (number | 'out')[];
  /** True when an empty reduction is an error (max, min: no identity). */
  readonly noIdentity?: boolean;
  /** How the property tests sample it (shapes and axes default to any tensor and any axes). */
  readonly test?: Partial<NonNullable<OpDef<ReduceParams>['test']>>;
}

function reductionOp({ name, init, combine, kernel, backward, saves, noIdentity = false, test = {} }: ReductionDef): OpDef<ReduceParams> {
  const code = kernel ?? null;
  return defineOp<ReduceParams>({
    name,
    inputs: ['x'],
    saves,
    shape: ([s], p) => {
      checkReduceParams(name, s!, p);
      if (noIdentity) {
        for (const a of p.axes) {
          if (s![a] === 0) throw new ShapeError(name, `cannot reduce an empty axis ${a} of ${formatShape(s!)} (no identity)`, [s!]);
        }
        if (s!.length === 0 || p.axes.length === s!.length) {
          if (sizeOf(s!) === 0) throw new ShapeError(name, `cannot reduce an empty tensor ${formatShape(s!)} (no identity)`, [s!]);
        }
      }
      return reducedShape(s!, p.axes, p.keepDims);
    },
    forward: ([x], p) => reduceKernel(x!, p, init, combine, code),
    backward,
    test: { shapes: 'unary', params: sampleReduceParams, ...test },
  });
}

// sum: every input element receives the output's gradient
export const sumOp = reductionOp({
  name: 'sum', init: 0, combine: (a, v) => a + v, kernel: 'sum', saves: [],
  test: { oracle: ([x], p) => O.reduceOracle(x!, p.axes, p.keepDims, O.sumOf) },
  // d sum(x) / dx_i = 1
  backward: ({ grad, inputs: [x], params }) => [expand(keep(grad, x!, params), x!.shape)],
});

// max/min: the gradient is shared evenly among the elements equal to the extreme (PyTorch's amax)
function extremeBackward({ grad, inputs: [x], out, params }: Parameters<OpDef<ReduceParams>['backward']>[0]): Tensor[] {
  const mask = x!.eq(keep(out, x!, params));
  const count = apply(sumOp, [mask], { axes: params.axes, keepDims: true });
  return [keep(grad, x!, params).mul(mask).div(count)];
}
export const maxOp = reductionOp({
  name: 'max', init: -Infinity, combine: (a, v) => (v > a || Number.isNaN(v) ? v : a), kernel: 'max',
  backward: extremeBackward, saves: [0, 'out'], noIdentity: true,
  test: { oracle: ([x], p) => O.reduceOracle(x!, p.axes, p.keepDims, O.maxOf) },
});
export const minOp = reductionOp({
  name: 'min', init: Infinity, combine: (a, v) => (v < a || Number.isNaN(v) ? v : a), kernel: 'min',
  backward: extremeBackward, saves: [0, 'out'], noIdentity: true,
  test: { oracle: ([x], p) => O.reduceOracle(x!, p.axes, p.keepDims, O.minOf) },
});

// prod: d/dx_i = prod_{j != i} x_j, written out/x_i when no element is zero. With zeros, out/x_i
// would be 0/0 = NaN at the zeros: there the derivative is the product of the non-zero elements when
// x_i is the only zero of its reduction, else 0 (and out/x_i = 0 stays right at the non-zeros).
export const prodOp: OpDef<ReduceParams> = reductionOp({
  name: 'prod',
  init: 1,
  combine: (a, v) => a * v,
  kernel: 'prod',
  saves: [0, 'out'],
  // without zeros out / x; with zeros (anywhere in x, as PyTorch) the product of the others, from
  // exclusive running products: exact, and differentiable again (a group with two zeros has first
  // derivatives 0 and second derivatives that are not: a where() on the zeros lost them)
  backward: ({ grad, inputs: [x], out, params }) => {
    if (!x!.data.includes(0)) return [keep(grad.mul(out), x!, params).div(x!)];
    return [keep(grad, x!, params).mul(productOfOthers(x!, params.axes))];
  },
  // a polynomial: smooth at zeros, where the rule switches formula
  test: { domain: [0.5, 1.5], avoid: (v) => Math.abs(v) < 0.3, smoothAt: [0], oracle: ([x], p) => O.reduceOracle(x!, p.axes, p.keepDims, O.prodOf) },
});

// logsumexp: m + log sum e^{x-m}; d/dx = e^{x - out}
export const logSumExpOp = defineOp<ReduceParams>({
  name: 'logSumExp',
  inputs: ['x'],
  shape: ([s], p) => {
    checkReduceParams('logSumExp', s!, p);
    return reducedShape(s!, p.axes, p.keepDims);
  },
  forward: ([x], p) => {
    if (x!.size > 0 && p.axes.length === 1 && p.axes[0] === x!.rank - 1) {
      // one contiguous row per output: fused, the same values as below
      const out = allocate(x!.dtype, x!.size / x!.shape[x!.rank - 1]!);
      logSumExpRows(x!.data, out, x!.shape[x!.rank - 1]!);
      return out;
    }
    const m = reduceKernel(x!, p, -Infinity, (a, v) => (v > a ? v : a));
    const shift = new Tensor(m, reducedShape(x!.shape, p.axes, true), x!.dtype);
    const mk = shift.data.map((v) => (Number.isFinite(v) ? v : 0));
    const shifted = x!.sub(new Tensor(mk, shift.shape, x!.dtype)).exp();
    const s = reduceKernel(shifted, p, 0, (a, v) => a + v);
    for (let i = 0; i < s.length; i++) s[i] = mk[i]! + Math.log(s[i]!);
    return s;
  },
  backward: ({ grad, inputs: [x], out, params }) => [keep(grad, x!, params).mul(exp(x!.sub(keep(out, x!, params))))],
  // smooth at ties (the max shift)
  test: { shapes: 'unary', params: sampleReduceParams, ties: true, oracle: ([x], p) => O.reduceOracle(x!, p.axes, p.keepDims, O.logSumExpOf) },
});

// 2-norm: sqrt(sum x^2); d/dx = x / norm, and 0 where the norm is 0 (PyTorch's subgradient)
export const norm2Op = defineOp<ReduceParams>({
  name: 'norm',
  inputs: ['x'],
  shape: ([s], p) => {
    checkReduceParams('norm', s!, p);
    return reducedShape(s!, p.axes, p.keepDims);
  },
  forward: ([x], p) => reduceKernel(x!, p, 0, (a, v) => a + v * v, 'sumSquares').map(Math.sqrt),
  backward: ({ grad, inputs: [x], out, params }) => {
    const n = keep(out, x!, params);
    const safe = where(n.eq(0), 1, n);
    return [keep(grad, x!, params).mul(x!).div(safe).mul(n.ne(0))];
  },
  test: { shapes: 'unary', params: sampleReduceParams, ties: true, oracle: ([x], p) => O.reduceOracle(x!, p.axes, p.keepDims, (v) => O.pNormOf(v, 2)) },
});

// sumTo: sums a broadcast gradient back down to a shape; its adjoint is the broadcast (expand)
export const sumToOp = defineOp<{ shape: readonly number[] }>({
  name: 'sumTo',
  inputs: ['x'],
  saves: [],
  shape: ([s], { shape: value }) => {
    const shape = checkShape('sumTo', 'shape', value);
    const off = s!.length - shape.length;
    if (off < 0 || shape.some((d, i) => d !== 1 && d !== s![i + off])) {
      throw new ShapeError('sumTo', `cannot sum ${formatShape(s!)} down to ${formatShape(shape)}`, [s!, shape]);
    }
    return shape;
  },
  forward: ([x], { shape }) => {
    const off = x!.rank - shape.length;
    const flags = x!.shape.map((d, i) => i < off || (shape[i - off] === 1 && d !== 1));
    const out = allocate(x!.dtype, sizeOf(shape));
    reduceFast('sum', x!.data, x!.shape, flags, out);
    return out;
  },
  backward: ({ grad, inputs: [x] }) => [expand(grad, x!.shape)],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const big = Array.from({ length: 1 + pick(3) }, () => 1 + pick(3));
      const small = big.slice(pick(big.length)).map((d) => (pick(2) ? d : 1));
      return { shapes: [big], params: { shape: small } };
    },
    oracle: ([x], { shape }) => O.sumToOracle(x!, shape),
  },
});

/** Sums `x` down to `shape` (the reverse of broadcasting `shape` up to x's shape). */
export function sumTo(x: TensorLike, shape: Shape): Tensor {
  const t = toTensor(x, 'x', 'sumTo');
  shape = checkShape('sumTo', 'shape', shape);
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  return apply(sumToOp, [t], { shape: shape.slice() });
}

/** Sum of the elements over the given axes (all by default); like `torch.sum`. */
export function sum(x: TensorLike, options?: ReduceOptions): Tensor {
  const t = toTensor(x, 'x', 'sum');
  return apply(sumOp, [t], reduceParams('sum', t, options));
}
/** Maximum over the given axes (all by default); the gradient goes to the maxima. */
export function max(x: TensorLike, options?: ReduceOptions): Tensor {
  const t = toTensor(x, 'x', 'max');
  return apply(maxOp, [t], reduceParams('max', t, options));
}
/** Minimum over the given axes (all by default); the gradient goes to the minima. */
export function min(x: TensorLike, options?: ReduceOptions): Tensor {
  const t = toTensor(x, 'x', 'min');
  return apply(minOp, [t], reduceParams('min', t, options));
}
/** Product of the elements over the given axes (all by default); like `torch.prod`. */
export function prod(x: TensorLike, options?: ReduceOptions): Tensor {
  const t = toTensor(x, 'x', 'prod');
  return apply(prodOp, [t], reduceParams('prod', t, options));
}
/** log(sum(exp(x))) along the axes, shifted by the max so that it never overflows. */
export function logSumExp(x: TensorLike, options?: ReduceOptions): Tensor {
  const t = toTensor(x, 'x', 'logSumExp');
  return apply(logSumExpOp, [t], reduceParams('logSumExp', t, options));
}

/** The mean over the axes (sum divided by the number of reduced elements). */
export function mean(x: TensorLike, options?: ReduceOptions): Tensor {
  const t = toTensor(x, 'x', 'mean');
  const p = reduceParams('mean', t, options);
  const count = p.axes.reduce((n, a) => n * t.shape[a]!, 1);
  if (count === 0) throw new ShapeError('mean', `cannot average over an empty selection of ${formatShape(t.shape)}`, [t.shape]);
  return apply(sumOp, [t], p).div(count);
}

/** Options of `variance` and `std`. */
export interface VarOptions extends ReduceOptions {
  /** Bessel's correction: divide by N - correction (default 1, the unbiased estimate, as in PyTorch). */
  correction?: number;
}

/** The variance over the axes, sum((x - mean)^2) / (N - correction). */
export function variance(x: TensorLike, options?: VarOptions): Tensor {
  const t = toTensor(x, 'x', 'var');
  options ??= {};
  const p = reduceParams('var', t, options, ['correction']);
  const count = p.axes.reduce((n, a) => n * t.shape[a]!, 1);
  // an integer, as in PyTorch 1.13 (negative values are allowed there: N - correction > N)
  const correction = options.correction === undefined ? 1 : checkInteger('var', 'correction', options.correction);
  const dof = count - correction;
  if (dof <= 0) {
    throw new ArgumentError('var', `needs more than ${correction} element(s) per reduction with correction=${correction}, got ${count}`);
  }
  let m: Tensor;
  try {
    m = mean(t, { axis: p.axes, keepDims: true });
  } catch (e) {
    throw renameError('var', e);
  }
  const centered = t.sub(m);
  return apply(sumOp, [centered.mul(centered)], p).div(dof);
}

/** The standard deviation, sqrt(var). */
export function std(x: TensorLike, options?: VarOptions): Tensor {
  // sqrt has an infinite slope at 0: where the variance is 0 (constant input) the gradient is 0, not
  // inf * 0 = NaN (PyTorch's std_backward masks it the same way)
  let v: Tensor;
  try {
    v = variance(x, options);
  } catch (e) {
    throw renameError('std', e);
  }
  const zero = v.eq(0);
  return where(zero, 0, where(zero, 1, v).sqrt());
}

/** Options of `norm` (the p-norm). */
export interface NormOptions extends ReduceOptions {
  /** The order: 2 (default), 1, Infinity, or any p > 0. */
  p?: number;
}

/** The vector p-norm over the axes (all by default). */
export function norm(x: TensorLike, options?: NormOptions): Tensor {
  const t = toTensor(x, 'x', 'norm');
  const rp = reduceParams('norm', t, options, ['p']);
  const p = options?.p ?? 2;
  if (p === 2) return apply(norm2Op, [t], rp);
  if (p === Infinity) {
    try {
      return apply(maxOp, [t.abs()], rp);
    } catch (e) {
      throw renameError('norm', e); // max over an empty axis has no identity
    }
  }
  if (p === 1) return apply(sumOp, [t.abs()], rp);
  if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p)) throw new ArgumentError('norm', `p must be a positive number or Infinity, got ${describe(p)}`);
  // sum^(1/p) has an infinite slope at 0: mask it so that the gradient at x = 0 is 0, not inf * 0 = NaN
  const s = apply(sumOp, [t.abs().pow(p)], rp);
  const zero = s.eq(0);
  return where(zero, 0, where(zero, 1, s).pow(1 / p));
}

// ------------------------------------------------------------------ argmax / argmin (not differentiable)

function argExtreme(name: string, better: (v: number, best: number) => boolean) {
  return defineOp<{ axis: number | null; keepDims: boolean }>({
    name,
    inputs: ['x'],
    differentiable: false,
    shape: ([s], { axis, keepDims }) => {
      if (axis !== null) checkInteger(name, 'axis', axis, 0, s!.length - 1);
      checkBoolean(name, 'keepDims', keepDims, false);
      if (sizeOf(s!) === 0) throw new ShapeError(name, `cannot take ${name} of an empty tensor ${formatShape(s!)}`, [s!]);
      if (axis === null) return keepDims ? s!.map(() => 1) : [];
      return reducedShape(s!, [axis], keepDims);
    },
    forward: ([x], { axis }) => {
      const data = x!.data;
      if (axis === null) {
        let best = 0;
        for (let i = 1; i < data.length; i++) if (better(data[i]!, data[best]!)) best = i;
        return allocate(x!.dtype, 1).fill(best);
      }
      const n = x!.shape[axis]!;
      let inner = 1;
      for (let d = axis + 1; d < x!.rank; d++) inner *= x!.shape[d]!;
      const outer = x!.size / (n * inner);
      const out = allocate(x!.dtype, outer * inner);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let best = 0;
          for (let k = 1; k < n; k++) if (better(data[base + k * inner]!, data[base + best * inner]!)) best = k;
          out[o * inner + i] = best;
        }
      }
      return out;
    },
    backward: () => [null],
    test: {
      shapes: 'unary',
      params: ([s], pick) => ({ axis: s!.length === 0 || pick(3) === 0 ? null : pick(s!.length), keepDims: pick(2) === 1 }),
      ties: true, // the first of equal extremes
      oracle: ([x], { axis, keepDims }) => O.argOracle(x!, axis, keepDims, name === 'argmax' ? O.argmaxOf : O.argminOf),
    },
  });
}
export const argmaxOp = argExtreme('argmax', (v, best) => v > best || (Number.isNaN(v) && !Number.isNaN(best)));
export const argminOp = argExtreme('argmin', (v, best) => v < best || (Number.isNaN(v) && !Number.isNaN(best)));

function argParams(op: string, t: Tensor, options: { axis?: number; keepDims?: boolean } | undefined): { axis: number | null; keepDims: boolean } {
  const o = checkOptions(op, options, REDUCE_OPTIONS);
  // a 0-d tensor takes axis 0 or -1 (PyTorch), and its only index is 0: the same as no axis
  const axis = o.axis === undefined ? null : normalizeAxis(op, o.axis, t.rank);
  return { axis: t.rank === 0 ? null : axis, keepDims: checkBoolean(op, 'keepDims', o.keepDims, false) };
}

/** Index of the largest value (first on ties), over all elements or along `axis`, as a float tensor. */
export function argmax(x: TensorLike, options?: { axis?: number; keepDims?: boolean }): Tensor {
  const t = toTensor(x, 'x', 'argmax');
  return apply(argmaxOp, [t], argParams('argmax', t, options));
}
/** Indices of the minima along an axis (of the flattened tensor by default); like `torch.argmin`. */
export function argmin(x: TensorLike, options?: { axis?: number; keepDims?: boolean }): Tensor {
  const t = toTensor(x, 'x', 'argmin');
  return apply(argminOp, [t], argParams('argmin', t, options));
}
