/**
 * The activations added in issue 12/13 and clamp with tensor bounds: errors (typed, naming the op),
 * edge cases (empty, 0-d, negative axes, float32), and stability far out. Values and gradients at
 * kinks are held to PyTorch by torch-act.test.ts; the registry gives gradient checks.
 */
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ArgumentError, DTypeError, ShapeError, tensor } from '../src/index.ts';

const f64 = (v: number[] | number[][], requiresGrad = false) => tensor(v, { dtype: 'float64', requiresGrad });
const arr = (t: M.Tensor) => Array.from(t.data);
/** A float64 tensor that may hold NaN and ±Infinity (tensor() refuses them in arrays). */
const raw = (v: number[], requiresGrad = false) => {
  const t = new M.Tensor(Float64Array.from(v), [v.length], 'float64');
  t.requiresGrad = requiresGrad;
  return t;
};

describe('elementwise activations', () => {
  it('are stable far out (no overflow to NaN or Infinity)', () => {
    const x = f64([-1000, -40, 40, 1000]);
    const ls = arr(M.logSigmoid(x));
    expect(ls[0]).toBe(-1000);
    expect(ls[1]).toBeCloseTo(-40, 12);
    expect(ls[2]).toBeCloseTo(-Math.exp(-40), 30);
    expect(ls[3]).toBeCloseTo(0, 300);
    const m = arr(M.mish(x));
    expect(m[0]).toBe(-0);
    expect(m[3]).toBe(1000);
    expect(m.every(Number.isFinite)).toBe(true);
  });
  it('use PyTorch\'s SELU constants and celu\'s alpha', () => {
    expect(M.selu(f64([1])).item()).toBe(1.0507009873554804934193349852946);
    expect(M.selu(raw([-Infinity])).item()).toBeCloseTo(-1.6732632423543772 * 1.0507009873554805, 15);
    expect(M.celu(raw([-Infinity]), { alpha: 2 }).item()).toBe(-2);
    expect(f64([-1]).celu({ alpha: 0.5 }).item()).toBeCloseTo(0.5 * Math.expm1(-2), 15);
  });
  it('hardtanh\'s gradient is 0 at its bounds, hardswish takes the middle piece at ±3', () => {
    const x = f64([-1, 1, 0.5], true);
    expect(arr(M.grad(M.hardtanh(x).sum(), [x])[0]!)).toEqual([0, 0, 1]);
    const y = f64([-3, 3, -3.5, 3.5], true);
    expect(arr(M.grad(M.hardswish(y).sum(), [y])[0]!)).toEqual([-0.5, 1.5, 0, 1]);
  });
  it('logit: NaN outside [0, 1] without eps, a clamp with it', () => {
    expect(arr(M.logit(f64([0, 1, -0.5, 1.5])))).toEqual([-Infinity, Infinity, NaN, NaN]);
    const e = arr(f64([0, 1, 0.5]).logit({ eps: 0.25 }));
    expect(e[0]).toBeCloseTo(Math.log(1 / 3), 15);
    expect(e[1]).toBeCloseTo(Math.log(3), 15);
    expect(e[2]).toBe(0);
    expect(arr(M.logit(f64([-0.5]), { eps: null }))).toEqual([NaN]);
  });
  it('keep float32 and handle empty and 0-d tensors', () => {
    for (const f of [M.logSigmoid, M.hardsigmoid, M.hardswish, M.mish, M.selu, M.softsign, (t: M.Tensor) => M.hardtanh(t), (t: M.Tensor) => M.celu(t), (t: M.Tensor) => M.logit(t)]) {
      expect(f(tensor([0.25, -0.5])).dtype).toBe('float32');
      expect(f(M.zeros([0, 3])).shape).toEqual([0, 3]);
      expect(f(M.scalar(0.5)).shape).toEqual([]);
    }
  });
  it('reject bad parameters with a typed error naming the op', () => {
    expect(() => M.hardtanh(f64([1]), { minVal: 2, maxVal: 1 })).toThrow(/hardtanh: minVal 2 is greater than maxVal 1/);
    expect(() => M.hardtanh(f64([1]), { minVal: NaN })).toThrow(ArgumentError);
    expect(() => M.hardtanh(f64([1]), { min: 0 } as never)).toThrow(/hardtanh: unknown option "min"/);
    expect(() => M.celu(f64([1]), { alpha: 0 })).toThrow(/celu: alpha must be a finite number other than 0/);
    expect(() => M.logit(f64([1]), { eps: NaN })).toThrow(/logit: eps must be a number/);
  });
});

describe('softmin and glu', () => {
  it('softmin is softmax of -x along the axis (negative axes too)', () => {
    const x = f64([[1, 2, 3], [0, 0, 0]]);
    expect(arr(M.softmin(x, -1))).toEqual(arr(M.softmax(M.neg(x), -1)));
    expect(arr(x.softmin(0))).toEqual(arr(M.softmax(M.neg(x), 0)));
    expect(() => M.softmin(x, 2)).toThrow(/softmin: axis 2 is out of range/);
  });
  it('glu halves the axis: a·sigmoid(b)', () => {
    const x = f64([[1, 2, 0, 100]]);
    expect(arr(M.glu(x))).toEqual([1 * 0.5, 2 * (1 / (1 + Math.exp(-100)))]);
    expect(M.glu(f64([[1], [2], [3], [4]]), 0).shape).toEqual([2, 1]);
    expect(M.glu(M.zeros([0, 4])).shape).toEqual([0, 2]);
  });
  it('glu refuses an odd axis and a 0-d tensor', () => {
    expect(() => M.glu(f64([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => M.glu(f64([[1, 2, 3]]))).toThrow(/glu: axis -1 of \[1, 3\] has odd size 3/);
    expect(() => M.glu(M.scalar(1))).toThrow(/glu: cannot halve a 0-d tensor/);
    expect(() => M.glu(f64([[1, 2]]), 2)).toThrow(/glu: axis 2 is out of range/);
  });
});

describe('clamp with tensor bounds', () => {
  it('broadcasts x and the bounds; crossed bounds give max (PyTorch)', () => {
    const x = f64([[0, 1, 2], [3, -1, 1.5]]);
    expect(arr(M.clamp(x, f64([0.5]), f64([[1], [2]])))).toEqual([0.5, 1, 1, 2, 0.5, 1.5]);
    expect(arr(M.clamp(f64([0, 2, 4]), f64([3, 3, 3]), f64([1, 1, 1])))).toEqual([1, 1, 1]);
    expect(M.clamp(f64([1]), f64([[0], [0]]), null).shape).toEqual([2, 1]);
  });
  it('mixes a number bound with a tensor bound, and keeps the number path strict', () => {
    expect(arr(f64([-2, 0, 2]).clamp(f64([-1, -1, -1]), 1))).toEqual([-1, 0, 1]);
    expect(() => M.clamp(f64([1]), 2, 1)).toThrow(/clamp: min 2 is greater than max 1/);
    expect(() => M.clamp(f64([1]), NaN)).toThrow(ArgumentError);
  });
  it('NaN in x or a bound gives NaN, with no gradient to anyone there', () => {
    const x = raw([NaN, 1, 1], true);
    const lo = raw([0, NaN, 0], true);
    const hi = raw([2, 2, NaN], true);
    const y = M.clamp(x, lo, hi);
    expect(arr(y)).toEqual([NaN, NaN, NaN]);
    const [gx, gl, gh] = M.grad(y.sum(), [x, lo, hi]);
    expect([arr(gx!), arr(gl!), arr(gh!)]).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });
  it('gives each bound the gradient where it is active (summed over broadcasting)', () => {
    const x = f64([[0, 1, 2, 3]], true);
    const lo = f64([1], true);
    const hi = f64([2], true);
    const [gx, gl, gh] = M.grad(M.clamp(x, lo, hi).sum(), [x, lo, hi]);
    expect(arr(gx!)).toEqual([0, 1, 1, 0]); // ties go to x
    expect(arr(gl!)).toEqual([1]);
    expect(arr(gh!)).toEqual([1]);
  });
  it('refuses mixed dtypes, bad bounds and shapes with errors naming clamp', () => {
    expect(() => M.clamp(f64([1]), tensor([0], { dtype: 'float32' }))).toThrow(DTypeError);
    expect(() => M.clamp(f64([1]), tensor([0], { dtype: 'float32' }))).toThrow(/^clamp: cannot mix/);
    expect(() => M.clamp(f64([1, 2]), f64([0, 0, 0]))).toThrow(/^clamp: shapes/);
    expect(() => M.clamp(f64([1]), f64([0]), 'x' as never)).toThrow(/clamp: max is "x"; each bound must be a number or a Tensor/);
  });
});
