/**
 * The math family's own tests: errors, edge cases (empty, 0-d, float32), the NaN behaviour of its
 * NaN-exempt ops, the special functions against mpmath values, and PyTorch's documented choices
 * (round half to even, nanToNum's dtype defaults, sinc(0), gradients of rounding ops).
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, Tensor, addcmul, digamma, erf, erfc, erfinv, floor, frac, grad, hypot, lerp, lgamma, nanToNum,
  remainder, fmod, round, sinc, sinh, cosh, tensor, trunc, xlogy, logAddExp, zeros, ceil,
} from '../src/index.ts';

/** A float64 tensor from flat values (NaN and ±Infinity allowed), of shape [n] or the given one; a number gives 0-d. */
const f64 = (v: number[] | number, requiresGrad = false, shape?: number[]): Tensor =>
  tensor(Float64Array.from(typeof v === 'number' ? [v] : v), { dtype: 'float64', requiresGrad, shape: shape ?? (typeof v === 'number' ? [] : [v.length]) });
const arr = (t: Tensor): number[] => Array.from(t.data);
const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);

describe('erf and erfc are tensor ops', () => {
  it('take tensors, numbers and arrays, give tensors, and have methods', () => {
    expect(erf(0.5)).toBeInstanceOf(Tensor);
    expect(rel(erf(f64([0.5])).item(), 0.5204998778130465)).toBeLessThan(3e-16);
    expect(f64([5]).erfc().item()).toBeCloseTo(1.5374597944280349e-12, 25);
    expect(arr(erf(f64([-Infinity, Infinity])))).toEqual([-1, 1]);
    expect(erf([[0.5]]).shape).toEqual([1, 1]);
    const x = f64([0.3], true);
    // d erf = 2/√π e^{-x²}
    expect(rel(grad(erf(x).sum(), x)[0]!.item(), (2 / Math.sqrt(Math.PI)) * Math.exp(-0.09))).toBeLessThan(1e-15);
  });
  it('refuses non-tensors with a typed error naming the op', () => {
    expect(() => erf('1' as never)).toThrow(ArgumentError);
    expect(() => erfc({} as never)).toThrow(/^erfc: argument 'x'/);
  });
});

describe('special functions', () => {
  it('agree with mpmath (30 digits) where PyTorch loses digits', () => {
    // erfinv near 1: PyTorch's Newton steps on erf(x) - y give 5.04202912791571 here
    expect(rel(erfinv(f64([1 - 1e-12])).item(), 5.042031898572696)).toBeLessThan(1e-15);
    // sinh(710) is finite (PyTorch overflows through e^710 and gives Infinity)
    expect(rel(sinh(f64([710])).item(), 1.1169973830808555e308)).toBeLessThan(1e-15);
    expect(rel(cosh(f64([-710])).item(), 1.1169973830808555e308)).toBeLessThan(1e-15);
  });
  it('lgamma is exactly 0 at 1 and 2, and its gradient is digamma', () => {
    expect(arr(lgamma(f64([1, 2])))).toEqual([0, 0]);
    expect(arr(lgamma(f64([0, -0, -3, -Infinity, Infinity])))).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity]);
    const x = f64([1], true);
    expect(rel(grad(lgamma(x).sum(), x)[0]!.item(), -0.5772156649015329)).toBeLessThan(1e-15);
  });
  it('digamma has derivatives of every order through polygamma: ψ\'(1) = π²/6, ψ\'\'(1) = -2ζ(3)', () => {
    const x = f64([1], true);
    const [g1] = grad(digamma(x).sum(), x, { createGraph: true });
    expect(rel(g1!.item(), Math.PI ** 2 / 6)).toBeLessThan(1e-15);
    const [g2] = grad(g1!.sum(), x);
    expect(rel(g2!.item(), -2.4041138063191885)).toBeLessThan(1e-14);
    expect(arr(digamma(f64([0, -0, -1, -Infinity, Infinity])))).toEqual([-Infinity, Infinity, NaN, NaN, Infinity]);
  });
  it('sinc is 1 with gradient 0 at 0, and sin(πx)/(πx) as PyTorch elsewhere', () => {
    const x = f64([0, 1], true);
    const y = sinc(x);
    expect(y.data[0]).toBe(1);
    expect(y.data[1]).toBe(Math.sin(Math.PI) / Math.PI);
    expect(grad(y.sum(), x)[0]!.data[0]).toBe(0);
  });
});

describe('rounding', () => {
  it('round halves to even as torch.round, keeping -0', () => {
    expect(arr(round(f64([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 4503599627370497])))).toEqual([0, 2, 2, -0, -2, -2, 0, 4503599627370497]);
    expect(Object.is(round(f64([-0.4])).item(), -0)).toBe(true);
  });
  it('floor, ceil, round, trunc have zero gradients; frac passes it', () => {
    const x = f64([-1.5, 0.3, 2.7], true);
    for (const f of [floor, ceil, round, trunc]) expect(arr(grad(f(x).sum(), x)[0]!)).toEqual([0, 0, 0]);
    expect(arr(grad(frac(x).sum(), x)[0]!)).toEqual([1, 1, 1]);
    expect(arr(frac(f64([-2.75, 3, Infinity])))).toEqual([-0.75, 0, NaN]);
  });
  it('keep float32 and empty shapes', () => {
    const x = tensor([1.5, -2.5], { dtype: 'float32' });
    expect(round(x).dtype).toBe('float32');
    expect(floor(zeros([0, 3])).shape).toEqual([0, 3]);
    expect(trunc(f64(-2.5)).shape).toEqual([]);
  });
});

describe('binary ops', () => {
  it('fmod takes the sign of the dividend, remainder that of the divisor', () => {
    expect(arr(fmod(f64([5, -5, 5, -5]), f64([3, 3, -3, -3])))).toEqual([2, -2, 2, -2]);
    expect(arr(remainder(f64([5, -5, 5, -5]), f64([3, 3, -3, -3])))).toEqual([2, 1, -1, -2]);
    expect(arr(remainder(f64([1, -1]), 0))).toEqual([NaN, NaN]);
    expect(() => fmod(f64([1, 2]), f64([1, 2, 3]))).toThrow(ShapeError);
  });
  it('remainder\'s gradient for b is -floor(a/b) as PyTorch\'s floor division (a/b at b = 0)', () => {
    const a = f64([7, -7, 1], true);
    const b = f64([2, 2, 0], true);
    const [ga, gb] = grad(remainder(a, b).sum(), [a, b]);
    expect(arr(ga!)).toEqual([1, 1, 1]);
    expect(arr(gb!)).toEqual([-3, 4, -Infinity]);
  });
  it('hypot of an infinite leg is Infinity even with NaN (nanExempt, as C and PyTorch)', () => {
    expect(arr(hypot(f64([Infinity, NaN, 3]), f64([NaN, -Infinity, 4])))).toEqual([Infinity, Infinity, 5]);
    expect(arr(hypot(f64([NaN]), f64([1])))).toEqual([NaN]);
  });
  it('xlogy is 0 where x = 0 unless y is NaN (nanExempt)', () => {
    expect(arr(xlogy(f64([0, 0, 0, NaN, 2]), f64([0, Infinity, NaN, 1, Math.E])))).toEqual([0, 0, NaN, NaN, 2]);
  });
  it('logAddExp never overflows', () => {
    expect(arr(logAddExp(f64([1000, -1000, -Infinity, Infinity]), f64([1000, -1000, -Infinity, Infinity])))).toEqual([1000 + Math.LN2, -1000 + Math.LN2, -Infinity, Infinity]);
  });
});

describe('nanToNum', () => {
  it('uses the dtype\'s largest finite values by default (nanExempt: NaN becomes a number)', () => {
    expect(arr(nanToNum(f64([NaN, Infinity, -Infinity, 1])))).toEqual([0, Number.MAX_VALUE, -Number.MAX_VALUE, 1]);
    const f = nanToNum(tensor(Float32Array.of(NaN, Infinity, -Infinity), { dtype: 'float32', shape: [3] }));
    expect(arr(f)).toEqual([0, 3.4028234663852886e38, -3.4028234663852886e38]);
    expect(arr(f64([NaN, Infinity]).nanToNum({ nan: 5, posinf: null }))).toEqual([5, Number.MAX_VALUE]);
  });
  it('passes the gradient where x is finite only', () => {
    const x = f64([NaN, Infinity, 2], true);
    expect(arr(grad(nanToNum(x).sum(), x)[0]!)).toEqual([0, 0, 1]);
  });
  it('refuses bad options', () => {
    expect(() => nanToNum(f64([1]), { nan: '0' as never })).toThrow(/^nanToNum: nan must be a number or null, got "0"/);
    expect(() => nanToNum(f64([1]), { inf: 1 } as never)).toThrow(/^nanToNum: unknown option "inf"/);
  });
});

describe('lerp and addcmul', () => {
  it('lerp broadcasts three operands; a number weight has no gradient, a tensor weight does', () => {
    const s = f64([0, 10], true, [2, 1]);
    const e = f64([1, 2, 3], true);
    const y = lerp(s, e, 0.25);
    expect(y.shape).toEqual([2, 3]);
    expect(arr(y)).toEqual([0.25, 0.5, 0.75, 7.75, 8, 8.25]);
    const w = f64([0.5], true);
    const [gs, ge, gw] = grad(lerp(s, e, w).sum(), [s, e, w]);
    expect(arr(gs!)).toEqual([1.5, 1.5]);
    expect(arr(ge!)).toEqual([1, 1, 1]);
    expect(arr(gw!)).toEqual([(1 + 2 + 3) - 0 + (1 + 2 + 3) - 30]);
    // weight 1 gives end exactly (PyTorch's two-sided formula)
    expect(arr(lerp(f64([0.1]), f64([0.3]), 1))).toEqual([0.3]);
  });
  it('lerp and addcmul refuse shapes that do not broadcast, naming the op', () => {
    expect(() => lerp(f64([1, 2]), f64([1, 2, 3]), 0.5)).toThrow(ShapeError);
    expect(() => lerp(f64([1, 2]), f64([1, 2, 3]), 0.5)).toThrow(/^lerp/);
    expect(() => addcmul(f64([1, 2]), f64([1]), f64([1, 2, 3]))).toThrow(/^addcmul/);
    expect(() => lerp(f64([1]), 'x' as never, 0.5)).toThrow(/^lerp: argument 'end'/);
  });
  it('addcmul is input + value·t1·t2 with gradients value·t2, value·t1', () => {
    const x = f64([1, 2], true);
    const a = f64([3, 4], true, [2, 1]);
    const b = f64([5, 6], true);
    const y = addcmul(x, a, b, { value: 0.5 });
    expect(arr(y)).toEqual([8.5, 11, 11, 14]);
    const [gx, ga, gb] = grad(y.sum(), [x, a, b]);
    expect(arr(gx!)).toEqual([2, 2]);
    expect(arr(ga!)).toEqual([5.5, 5.5]);
    expect(arr(gb!)).toEqual([3.5, 3.5]);
    expect(() => addcmul(x, a, b, { value: '2' as never })).toThrow(/^addcmul: value must be a number/);
    expect(x.addcmul(a, b).shape).toEqual([2, 2]);
  });
});
