import { allocate, isDType, type DType } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, renameError } from '../errors.ts';
import { binaryMap, broadcastTo } from '../kernels/elementwise.ts';
import { broadcastShapes, formatShape, sizeOf, describe } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp, type OpDef } from './define.ts';
import { applyBinary, applyUnary, binaryOp, pair, unaryOp } from './helpers.ts';
import { cpow, powScalar } from './special.ts';
import type { Arith, DerivativeFrame, Value } from './derivative.ts';
import * as K from '../kernels/unary.ts';
import { compareKernel, type CompareCode } from '../kernels/unary.ts';
import { arithmeticKernel } from '../kernels/elementwise.ts';
import { COMPARE_REFERENCE, identityReference, signReference, whereOracle } from './core-oracles.ts';

// ------------------------------------------------------------------ arithmetic
// Each definition: the number function, the derivative (one rule for both lanes, see
// derivative.ts) with its math, what the rule reads (`saves`) and the forward kernel.

export const addOp = binaryOp({
  name: 'add',
  scalar: (a, b) => a + b,
  // d(a+b) = da + db
  derivative: (_m, s) => {
    s.da = s.g;
    s.db = s.g;
  },
  saves: [],
  kernel: arithmeticKernel('add'),
  test: {},
});
export const subOp = binaryOp({
  name: 'sub',
  scalar: (a, b) => a - b,
  // d(a-b) = da - db
  derivative: (m, s) => {
    s.da = s.g;
    s.db = m.neg(s.g);
  },
  saves: [],
  kernel: arithmeticKernel('sub'),
  test: {},
});
export const mulOp = binaryOp({
  name: 'mul',
  scalar: (a, b) => a * b,
  // d(ab) = b da + a db
  derivative: (m, s) => {
    s.da = m.mul(s.g, s.b);
    s.db = m.mul(s.g, s.a);
  },
  saves: [0, 1],
  kernel: arithmeticKernel('mul'),
  test: {},
});
export const divOp = binaryOp({
  name: 'div',
  scalar: (a, b) => a / b,
  // d(a/b) = da/b - a db / b^2 = da/b - out db / b
  derivative: (m, s) => {
    s.da = m.div(s.g, s.b);
    s.db = m.neg(m.div(m.mul(s.g, s.out), s.b));
  },
  saves: [1, 'out'],
  kernel: arithmeticKernel('div'),
  test: { avoid: (v, i) => i === 1 && Math.abs(v) < 0.2 },
});
export { cpow };

export const powOp = binaryOp({
  name: 'pow',
  scalar: cpow,
  // d(a^b) = b a^(b-1) da + a^b ln(a) db; sampled with a > 0 so that ln(a) exists. As PyTorch: the
  // first is 0 where b = 0 (even for a = 0 or NaN), the second 0 where a = 0 and b >= 0
  derivative: (m, s) => {
    const zero = m.k(0);
    s.da = m.where(m.eq(s.b, zero), zero, m.mul(s.g, m.mul(s.b, m.pow(s.a, m.sub(s.b, m.k(1))))));
    s.db = m.where(m.mul(m.eq(s.a, zero), m.ge(s.b, zero)), zero, m.mul(s.g, m.mul(s.out, m.log(s.a))));
  },
  test: { domain: [[0.3, 2], [-2, 2]] },
});
// maximum/minimum: at ties the gradient is split evenly between the operands; where either is NaN
// (the result is NaN) both receive the whole gradient (PyTorch: where(a == b, g/2, g), zeroed where
// a < b for maximum's a, and so on: NaN compares unequal and neither less nor greater).
// Ties have probability ~1e-6 at eps 1e-6: the tests need no filter.

/** The share of the gradient each operand of maximum/minimum keeps before its own mask: 0.5 at ties, else 1. */
function tieShare(m: Arith, s: DerivativeFrame): Value {
  return m.add(m.mul(m.eq(s.a, s.b), m.k(-0.5)), m.k(1));
}

export const maximumOp = binaryOp({
  name: 'maximum',
  scalar: (a, b) => (a > b || a !== a ? a : b),
  // d max(a, b) = [a > b] da + [a < b] db, halved at ties
  derivative: (m, s) => {
    const share = tieShare(m, s);
    s.da = m.mul(s.g, m.sub(share, m.lt(s.a, s.b)));
    s.db = m.mul(s.g, m.sub(share, m.gt(s.a, s.b)));
  },
  saves: [0, 1],
  test: {},
});
export const minimumOp = binaryOp({
  name: 'minimum',
  scalar: (a, b) => (a < b || a !== a ? a : b),
  // d min(a, b) = [a < b] da + [a > b] db, halved at ties
  derivative: (m, s) => {
    const share = tieShare(m, s);
    s.da = m.mul(s.g, m.sub(share, m.gt(s.a, s.b)));
    s.db = m.mul(s.g, m.sub(share, m.lt(s.a, s.b)));
  },
  saves: [0, 1],
  test: {},
});

export const atan2Op = binaryOp({
  name: 'atan2',
  scalar: Math.atan2,
  // d atan2(a, b) = (b da - a db) / (a² + b²)
  derivative: (m, s) => {
    const r2 = m.add(m.mul(s.a, s.a), m.mul(s.b, s.b));
    s.da = m.div(m.mul(s.g, s.b), r2);
    s.db = m.neg(m.div(m.mul(s.g, s.a), r2));
  },
  saves: [0, 1],
  // away from the pole at (0, 0) and from the branch cut (a = 0, b < 0), where the angle jumps by 2π
  test: { avoid: (v) => Math.abs(v) < 0.2 },
});

/** Element-wise a + b, with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor { return applyBinary(addOp, a, b); }
/** Element-wise a - b, with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor { return applyBinary(subOp, a, b); }
/** Element-wise a · b, with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor { return applyBinary(mulOp, a, b); }
/** Element-wise a / b, with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor { return applyBinary(divOp, a, b); }
/** Element-wise maximum of a and b, with broadcasting (like `torch.maximum`). */
export function maximum(a: TensorLike, b: TensorLike): Tensor { return applyBinary(maximumOp, a, b); }
/** Element-wise minimum of a and b, with broadcasting (like `torch.minimum`). */
export function minimum(a: TensorLike, b: TensorLike): Tensor { return applyBinary(minimumOp, a, b); }

/** Element-wise angle of the point (b, a), atan2(a, b) in (-π, π], with broadcasting (like `torch.atan2`). */
export function atan2(a: TensorLike, b: TensorLike): Tensor { return applyBinary(atan2Op, a, b); }

/** a ** b, with a number exponent (any base) or a tensor exponent (positive base for its gradient). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  // the operand is converted here so that its errors say pow (the op is powScalar)
  if (typeof b === 'number') return applyUnary(powScalarOp, a instanceof Tensor ? a : toTensor(a, 'a', 'pow'), { exponent: b });
  return applyBinary(powOp, a, b);
}

export { powScalar };

export const powScalarOp = unaryOp<{ exponent: number }>({
  name: 'powScalar',
  scalar: (v, { exponent }) => powScalar(v, exponent),
  // d x^p = p x^(p-1) dx (x^(p-1) by the same rule: PyTorch's), 0 for p = 0
  derivative: (m, s) => {
    const p = s.params.exponent;
    s.da = p === 0 ? m.mul(s.g, m.k(0)) : m.mul(m.mul(s.g, m.powScalar(s.a, p - 1)), m.k(p));
  },
  saves: [0],
  test: {
    params: (_s, pick) => ({ exponent: [2, 3, -1, 0.5, 1.5, -2.5][pick(6)]! }),
    domain: [0.3, 2],
  },
});

// ------------------------------------------------------------------ unary math

export const negOp = unaryOp({
  name: 'neg', scalar: (v) => -v, kernel: K.negKernel, saves: [], test: {},
  // d(-x) = -dx
  derivative: (m, s) => { s.da = m.neg(s.g); },
});
export const expOp = unaryOp({
  name: 'exp', scalar: Math.exp, kernel: K.expKernel, saves: ['out'], test: {},
  // d e^x = e^x dx
  derivative: (m, s) => { s.da = m.mul(s.g, s.out); },
});
export const logOp = unaryOp({
  name: 'log', scalar: Math.log, kernel: K.logKernel, saves: [0], test: { domain: [0.1, 4] },
  // d ln x = dx / x
  derivative: (m, s) => { s.da = m.div(s.g, s.a); },
});
export const log1pOp = unaryOp({
  name: 'log1p', scalar: Math.log1p, kernel: K.log1pKernel, saves: [0], test: { domain: [-0.8, 4] },
  // d ln(1 + x) = dx / (1 + x)
  derivative: (m, s) => { s.da = m.div(s.g, m.add(s.a, m.k(1))); },
});
export const expm1Op = unaryOp({
  name: 'expm1', scalar: Math.expm1, kernel: K.expm1Kernel, saves: ['out'], test: {},
  // d (e^x - 1) = e^x dx = (out + 1) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.add(s.out, m.k(1))); },
});
export const sqrtOp = unaryOp({
  name: 'sqrt', scalar: Math.sqrt, kernel: K.sqrtKernel, saves: ['out'], test: { domain: [0.1, 4] },
  // d √x = dx / (2 √x)
  derivative: (m, s) => { s.da = m.div(s.g, m.mul(s.out, m.k(2))); },
});
export const absOp = unaryOp({
  name: 'abs', scalar: Math.abs, kernel: K.absKernel, saves: [0], test: { avoid: (v) => Math.abs(v) < 1e-3 },
  // d|x| = sign(x) dx: the subgradient at 0 is 0, and at NaN too (PyTorch's sgn(x), 0 for NaN)
  derivative: (m, s) => { s.da = m.mul(s.g, m.sign(s.a)); },
});
export const squareOp = unaryOp({
  name: 'square', scalar: (v) => v * v, kernel: K.squareKernel, saves: [0], test: {},
  // d x² = 2x dx
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, s.a), m.k(2)); },
});
export const reciprocalOp = unaryOp({
  name: 'reciprocal', scalar: (v) => 1 / v, kernel: K.reciprocalKernel, saves: ['out'], test: { avoid: (v) => Math.abs(v) < 0.2 },
  // d(1/x) = -dx / x² = -out² dx
  derivative: (m, s) => { s.da = m.neg(m.mul(m.mul(s.g, s.out), s.out)); },
});
export const sinOp = unaryOp({
  name: 'sin', scalar: Math.sin, saves: [0], test: {},
  // d sin x = cos x dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.cos(s.a)); },
});
export const cosOp = unaryOp({
  name: 'cos', scalar: Math.cos, saves: [0], test: {},
  // d cos x = -sin x dx
  derivative: (m, s) => { s.da = m.neg(m.mul(s.g, m.sin(s.a))); },
});

/** Element-wise -x. */
export function neg(x: TensorLike): Tensor { return applyUnary(negOp, x, undefined); }
/** Element-wise e^x. */
export function exp(x: TensorLike): Tensor { return applyUnary(expOp, x, undefined); }
/** Element-wise natural logarithm. */
export function log(x: TensorLike): Tensor { return applyUnary(logOp, x, undefined); }
/** Element-wise log(1 + x), accurate for small x. */
export function log1p(x: TensorLike): Tensor { return applyUnary(log1pOp, x, undefined); }
/** Element-wise e^x - 1, accurate for small x. */
export function expm1(x: TensorLike): Tensor { return applyUnary(expm1Op, x, undefined); }
/** Element-wise square root. */
export function sqrt(x: TensorLike): Tensor { return applyUnary(sqrtOp, x, undefined); }
/** Element-wise absolute value. */
export function abs(x: TensorLike): Tensor { return applyUnary(absOp, x, undefined); }
/** Element-wise x². */
export function square(x: TensorLike): Tensor { return applyUnary(squareOp, x, undefined); }
/** Element-wise 1 / x. */
export function reciprocal(x: TensorLike): Tensor { return applyUnary(reciprocalOp, x, undefined); }
/** Element-wise sine. */
export function sin(x: TensorLike): Tensor { return applyUnary(sinOp, x, undefined); }
/** Element-wise cosine. */
export function cos(x: TensorLike): Tensor { return applyUnary(cosOp, x, undefined); }

export const clampOp = unaryOp<{ min: number; max: number }>({
  name: 'clamp',
  scalar: (v, { min, max }) => (v < min ? min : v > max ? max : v),
  // d clamp(x) = [min <= x <= max] dx (inclusive, as in PyTorch)
  derivative: (m, s) => { s.da = m.mul(s.g, m.mul(m.ge(s.a, m.k(s.params.min)), m.le(s.a, m.k(s.params.max)))); },
  saves: [0],
  test: {
    params: (_s, pick) => [{ min: -1, max: 1 }, { min: -Infinity, max: 0.5 }, { min: -0.5, max: Infinity }][pick(3)]!,
    avoid: (v) => [-1, 1, 0.5, -0.5].some((k) => Math.abs(v - k) < 1e-3),
  },
});

/** clamp of one element with tensor bounds: min(max(v, lo), hi), NaN if any of the three is NaN. */
function clampScalar(v: number, lo: number, hi: number): number {
  if (v !== v || lo !== lo || hi !== hi) return NaN;
  const r = v < lo ? lo : v;
  return r > hi ? hi : r;
}

/** Which bounds of a tensor clamp were given. */
interface ClampTensorParams { hasMin: boolean; hasMax: boolean }

/** `t` broadcast to `shape` as a contiguous array (the array itself when it already has that size). */
function spread(t: Tensor, shape: readonly number[], n: number) {
  if (t.size === n) return t.data;
  const out = allocate(t.dtype, n);
  broadcastTo(t.data, t.shape, out, shape);
  return out;
}

/**
 * clamp with tensor bounds, torch.clamp(x, min, max) for tensors: min(max(x, min), max) with NaN in
 * any of the three giving NaN, so crossed bounds (min > max) give max. A missing bound is passed as
 * a 0-d ±Infinity tensor and flagged in the params, since PyTorch's gradient rule for the bounds
 * depends on which bounds exist. (The number-bound `clampOp` above stays the fast path.)
 */
export const clampTensorOp = defineOp<ClampTensorParams>({
  name: 'clampTensor',
  inputs: ['x', 'min', 'max'],
  saves: [0, 1, 2],
  shape: ([x, lo, hi]) => broadcastShapes('clamp', broadcastShapes('clamp', x!, lo!), hi!),
  forward: ([x, lo, hi], _p, shape) => {
    const n = sizeOf(shape);
    const out = allocate(x!.dtype, n);
    const xs = spread(x!, shape, n);
    if (lo!.size === 1 && hi!.size === 1) {
      const l = lo!.data[0]!;
      const h = hi!.data[0]!;
      for (let i = 0; i < n; i++) out[i] = clampScalar(xs[i]!, l, h);
      return out;
    }
    const ls = spread(lo!, shape, n);
    const hs = spread(hi!, shape, n);
    for (let i = 0; i < n; i++) out[i] = clampScalar(xs[i]!, ls[i]!, hs[i]!);
    return out;
  },
  // torch 1.13's clamp_backward and clamp_backward_min_max: x gets the gradient where
  // min <= x <= max (so at ties x, not the bound); min where x < min (and, with a max, min < max);
  // max where x > max (and, with a min, also wherever max < min: crossed bounds give max)
  backward: ({ grad, inputs: [x, lo, hi], params: { hasMin, hasMax } }) => {
    const inside = mul(ge(x!, lo!), le(x!, hi!));
    const gx = where(inside, grad, 0);
    const glo = !hasMin ? null : where(hasMax ? mul(lt(x!, lo!), lt(lo!, hi!)) : lt(x!, lo!), grad, 0);
    const ghi = !hasMax ? null : where(hasMin ? maximum(gt(x!, hi!), lt(hi!, lo!)) : gt(x!, hi!), grad, 0);
    return [gx, glo, ghi];
  },
  test: {
    shapes: (pick) => {
      const x = [1 + pick(3), 1 + pick(3)].slice(0, pick(3));
      const bound = () => (pick(3) === 0 ? [] : pick(2) ? x.slice() : x.map((d) => (pick(2) ? 1 : d)));
      return [x, bound(), bound()];
    },
    params: () => ({ hasMin: true, hasMax: true }),
    // bounds in [-1.5, -0.5] and [0.5, 1.5], x away from every bound (the kinks)
    values: (shapes, _p, random) => {
      const lo = Array.from({ length: sizeOf(shapes[1]!) }, () => -1.5 + random());
      const hi = Array.from({ length: sizeOf(shapes[2]!) }, () => 0.5 + random());
      const bounds = [...lo, ...hi];
      const x = Array.from({ length: sizeOf(shapes[0]!) }, () => {
        for (;;) {
          const v = -2 + 4 * random();
          if (bounds.every((b) => Math.abs(v - b) > 1e-2)) return v;
        }
      });
      return [x, lo, hi];
    },
    reference: clampScalar,
  },
});

/** A clamp bound: a number, a tensor (broadcast against x), or null/undefined for none. */
export type ClampBound = number | Tensor | null | undefined;

/**
 * Limits values to [min, max]; either bound may be omitted. Bounds are numbers or tensors that
 * broadcast with x (as torch.clamp; a number beside a tensor bound is taken as a 0-d tensor). With
 * numbers, min > max is an error; with a tensor bound PyTorch's rule applies: the result is
 * min(max(x, min), max), so crossed bounds give max, and a NaN bound gives NaN.
 */
export function clamp(x: TensorLike, min?: ClampBound, max?: ClampBound): Tensor {
  if (min instanceof Tensor || max instanceof Tensor) return clampTensor(x, min, max);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number') {
    const which = typeof lo !== 'number' ? `min is ${describe(min)}` : `max is ${describe(max)}`;
    throw new ArgumentError('clamp', `${which}; each bound must be a number or a Tensor, or be left out for no bound on that side`);
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) {
    throw new ArgumentError('clamp', `${Number.isNaN(lo) ? 'min' : 'max'} is NaN; a bound must be a number that is not NaN (leave it out for no bound)`);
  }
  if (lo > hi) throw new ArgumentError('clamp', `min ${lo} is greater than max ${hi}`);
  return applyUnary(clampOp, x, { min: lo, max: hi });
}

function clampTensor(x: TensorLike, min: ClampBound, max: ClampBound): Tensor {
  const t = toTensor(x, 'x', 'clamp');
  const bound = (b: ClampBound, name: string, none: number): Tensor => {
    if (b === null || b === undefined) return toTensor(none, name, 'clamp', t.dtype);
    if (b instanceof Tensor) return b;
    if (typeof b !== 'number') throw new ArgumentError('clamp', `${name} is ${describe(b)}; each bound must be a number or a Tensor, or be left out for no bound on that side`);
    return toTensor(b, name, 'clamp', t.dtype);
  };
  const lo = bound(min, 'min', -Infinity);
  const hi = bound(max, 'max', Infinity);
  const flags = { hasMin: min !== null && min !== undefined, hasMax: max !== null && max !== undefined };
  try {
    return apply(clampTensorOp, [t, lo, hi], flags);
  } catch (e) {
    throw renameError('clamp', e, ''); // 'clamp: …', not 'clamp: clampTensor: …'
  }
}

// ------------------------------------------------------------------ where

export interface WhereParams {
  cond: Tensor;
}

// where(cond, a, b): the gradient goes to a where cond holds and to b elsewhere
export const whereOp = defineOp<WhereParams>({
  name: 'where',
  inputs: ['a', 'b'],
  saves: [],
  shape: ([a, b], { cond }) => broadcastShapes('where', broadcastShapes('where', cond.shape, a!), b!),
  forward: ([a, b], { cond }, shape) => {
    const n = sizeOf(shape);
    const ab = allocate(a!.dtype, n);
    const c = allocate(a!.dtype, n);
    binaryMap(cond.data, cond.shape, a!.data, a!.shape, c, shape, (k) => k);
    binaryMap(a!.data, a!.shape, b!.data, b!.shape, ab, shape, (x) => x);
    const bb = allocate(a!.dtype, n);
    binaryMap(a!.data, a!.shape, b!.data, b!.shape, bb, shape, (_x, y) => y);
    for (let i = 0; i < n; i++) ab[i] = c[i] !== 0 ? ab[i]! : bb[i]!;
    return ab;
  },
  backward: ({ grad, params: { cond } }) => [where(cond, grad, 0), where(cond, 0, grad)],
  test: {
    shapes: 'binary',
    params: (shapes, pick) => {
      const shape = broadcastShapes('where', shapes[0]!, shapes[1]!);
      const data = new Float64Array(sizeOf(shape)).map(() => pick(2));
      return { cond: new Tensor(data, shape, 'float64') };
    },
    oracle: ([a, b], { cond }) => whereOracle({ shape: cond.shape, data: cond.data }, a!, b!),
  },
});

/** Elementwise choice: a where `cond` is non-zero (true), b elsewhere. All three broadcast. */
export function where(cond: TensorLike | readonly boolean[], a: TensorLike, b: TensorLike): Tensor {
  // with two number branches the result takes the condition's dtype
  const [x, y] = a instanceof Tensor || b instanceof Tensor || !(cond instanceof Tensor)
    ? pair(a, b, 'where')
    : [toTensor(a, 'a', 'where', cond.dtype), toTensor(b, 'b', 'where', cond.dtype)];
  const c = Array.isArray(cond) && typeof cond[0] === 'boolean'
    ? toTensor((cond as boolean[]).map(Number), 'cond', 'where', x.dtype)
    : toTensor(cond as TensorLike, 'cond', 'where', x.dtype);
  return apply(whereOp, [x, y], { cond: c.detach() });
}

// ------------------------------------------------------------------ comparisons (not differentiable)

/** A comparison: 1 where it holds, else 0; no gradient. */
function comparison(name: CompareCode, scalar: (a: number, b: number) => number): OpDef<undefined> {
  return binaryOp({ name, scalar, derivative: null, saves: [], kernel: compareKernel(name), test: { reference: COMPARE_REFERENCE[name] } });
}
export const eqOp = comparison('eq', (a, b) => (a === b ? 1 : 0));
export const neOp = comparison('ne', (a, b) => (a !== b ? 1 : 0));
export const ltOp = comparison('lt', (a, b) => (a < b ? 1 : 0));
export const leOp = comparison('le', (a, b) => (a <= b ? 1 : 0));
export const gtOp = comparison('gt', (a, b) => (a > b ? 1 : 0));
export const geOp = comparison('ge', (a, b) => (a >= b ? 1 : 0));
export const signOp = defineOp({
  name: 'sign',
  inputs: ['x'],
  saves: [],
  differentiable: false,
  shape: ([s]) => s!.slice(),
  // PyTorch's sign: +0 for ±0 and for NaN (torch.sign(nan) = 0, so |x|' = 0 at NaN)
  forward: ([x]) => x!.data.map((v) => (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0)),
  backward: () => [null],
  test: { shapes: 'unary', reference: signReference },
});

/** 1 where a == b, else 0 (in a's dtype). Records no gradient. */
export function eq(a: TensorLike, b: TensorLike): Tensor { return applyBinary(eqOp, a, b); }
/** Element-wise a ≠ b as 1/0 (not differentiable). */
export function ne(a: TensorLike, b: TensorLike): Tensor { return applyBinary(neOp, a, b); }
/** Element-wise a < b as 1/0 (not differentiable). */
export function lt(a: TensorLike, b: TensorLike): Tensor { return applyBinary(ltOp, a, b); }
/** Element-wise a ≤ b as 1/0 (not differentiable). */
export function le(a: TensorLike, b: TensorLike): Tensor { return applyBinary(leOp, a, b); }
/** Element-wise a > b as 1/0 (not differentiable). */
export function gt(a: TensorLike, b: TensorLike): Tensor { return applyBinary(gtOp, a, b); }
/** Element-wise a ≥ b as 1/0 (not differentiable). */
export function ge(a: TensorLike, b: TensorLike): Tensor { return applyBinary(geOp, a, b); }
/** Element-wise sign: -1, 0 or 1 (gradient 0). */
export function sign(x: TensorLike): Tensor { return applyUnary(signOp, x, undefined); }

// ------------------------------------------------------------------ dtype conversion and copies

export const castOp = defineOp<{ dtype: DType }>({
  name: 'cast',
  inputs: ['x'],
  saves: [],
  setsDType: true,
  shape: ([s]) => s!.slice(),
  forward: ([x], { dtype }) => {
    const out = allocate(dtype, x!.size);
    out.set(x!.data);
    return out;
  },
  backward: ({ grad, inputs: [x] }) => [cast(grad, x!.dtype)],
  test: { shapes: 'unary', params: () => ({ dtype: 'float64' as DType }), reference: identityReference },
});

/**
 * Converts to `dtype`; a no-op (the same tensor) when it already has it, except that a weakly typed
 * tensor (see `Tensor.weakType`) becomes a strongly typed copy: an explicit dtype is a commitment.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new ArgumentError('cast', `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`);
  const t = toTensor(x, 'x', 'cast', dtype);
  if (t.dtype === dtype && !t.weakType) return t;
  return apply(castOp, [t], { dtype });
}

export const cloneOp = defineOp({
  name: 'clone',
  inputs: ['x'],
  saves: [],
  shape: ([s]) => s!.slice(),
  forward: ([x]) => x!.data.slice(),
  backward: ({ grad }) => [grad],
  test: { shapes: 'unary', reference: identityReference },
});

/** A differentiable copy of x (like `torch.clone`). */
export function clone(x: TensorLike): Tensor {
  return applyUnary(cloneOp, x, undefined);
}

export function assertSameShape(op: string, a: Tensor, b: Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ArgumentError(op, `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`);
  }
}
