import { allocate, isDType, type DType } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError } from '../errors.ts';
import { binaryMap } from '../kernels/elementwise.ts';
import { broadcastShapes, formatShape, sizeOf, describe } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import { defineOp } from './define.ts';
import { applyBinary, applyUnary, binaryOp, pair, unaryOp } from './helpers.ts';
import * as K from '../kernels/unary.ts';

// ------------------------------------------------------------------ arithmetic

export const addOp = binaryOp('add', (a, b) => a + b, ({ grad }) => [grad, grad], {}, (s) => {
  s.da = s.g;
  s.db = s.g;
}); // d(a+b) = da + db
export const subOp = binaryOp('sub', (a, b) => a - b, ({ grad }) => [grad, grad.neg()], {}, (s) => {
  s.da = s.g;
  s.db = -s.g;
});
export const mulOp = binaryOp('mul', (a, b) => a * b, ({ grad, inputs: [a, b] }) => [grad.mul(b!), grad.mul(a!)], {}, (s) => {
  s.da = s.g * s.b;
  s.db = s.g * s.a;
});
// d(a/b) = da/b - a db / b^2 = da/b - out db / b
export const divOp = binaryOp(
  'div',
  (a, b) => a / b,
  ({ grad, inputs: [, b], out }) => [grad.div(b!), grad.mul(out).div(b!).neg()],
  { avoid: (v, i) => i === 1 && Math.abs(v) < 0.2 },
  (s) => {
    s.da = s.g / s.b;
    s.db = -((s.g * s.out) / s.b);
  },
);
/**
 * a^b as C's pow (and so PyTorch's): pow(1, y) = 1 and pow(-1, ±Infinity) = 1 for every y, NaN
 * included, where JavaScript's Math.pow gives NaN. Otherwise the same as Math.pow.
 */
export function cpow(a: number, b: number): number {
  return a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b);
}

// d(a^b) = b a^(b-1) da + a^b ln(a) db; sampled with a > 0 so that ln(a) exists. As PyTorch: the
// first is 0 where b = 0 (even for a = 0 or NaN), the second 0 where a = 0 and b >= 0
export const powOp = binaryOp(
  'pow',
  cpow,
  ({ grad, inputs: [a, b], out }) => [
    where(b!.eq(0), 0, grad.mul(b!.mul(a!.pow(b!.sub(1))))),
    where(a!.eq(0).mul(b!.ge(0)), 0, grad.mul(out.mul(a!.log()))),
  ],
  { domain: [[0.3, 2], [-2, 2]] },
  (s) => {
    s.da = s.b === 0 ? 0 : s.g * (s.b * cpow(s.a, s.b - 1));
    s.db = s.a === 0 && s.b >= 0 ? 0 : s.g * (s.out * Math.log(s.a));
  },
);
// maximum/minimum: at ties the gradient is split evenly between the operands; where either is NaN
// (the result is NaN) both receive the whole gradient (PyTorch: where(a == b, g/2, g), zeroed where
// a < b for maximum's a, and so on: NaN compares unequal and neither less nor greater)
export const maximumOp = binaryOp(
  'maximum',
  (a, b) => (a > b || a !== a ? a : b),
  ({ grad, inputs: [a, b] }) => {
    const share = a!.eq(b!).mul(-0.5).add(1); // 0.5 at ties, else 1 (NaN included)
    return [grad.mul(share.sub(a!.lt(b!))), grad.mul(share.sub(a!.gt(b!)))];
  },
  {}, // ties have probability ~1e-6 at eps 1e-6: no filter needed
  (s) => {
    const share = s.a === s.b ? 0.5 : 1;
    s.da = s.g * (share - (s.a < s.b ? 1 : 0));
    s.db = s.g * (share - (s.a > s.b ? 1 : 0));
  },
);
export const minimumOp = binaryOp(
  'minimum',
  (a, b) => (a < b || a !== a ? a : b),
  ({ grad, inputs: [a, b] }) => {
    const share = a!.eq(b!).mul(-0.5).add(1);
    return [grad.mul(share.sub(a!.gt(b!))), grad.mul(share.sub(a!.lt(b!)))];
  },
  {},
  (s) => {
    const share = s.a === s.b ? 0.5 : 1;
    s.da = s.g * (share - (s.a > s.b ? 1 : 0));
    s.db = s.g * (share - (s.a < s.b ? 1 : 0));
  },
);

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

/** a ** b, with a number exponent (any base) or a tensor exponent (positive base for its gradient). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  // the operand is converted here so that its errors say pow (the op is powScalar)
  if (typeof b === 'number') return applyUnary(powScalarOp, a instanceof Tensor ? a : toTensor(a, 'a', 'pow'), { exponent: b });
  return applyBinary(powOp, a, b);
}

/**
 * x^p for a number p as PyTorch computes it: its special cases x*x (2), x*x*x (3), sqrt (0.5),
 * 1/sqrt (-0.5), 1/x (-1) and 1/(x*x) (-2), else C's pow. They differ from pow at signed zeros and
 * -Infinity (sqrt(-Infinity) = NaN, 1/sqrt(-0) = -Infinity, (-0)^3 = -0).
 */
export function powScalar(v: number, p: number): number {
  switch (p) {
    case 2: return v * v;
    case 3: return v * v * v;
    case 0.5: return Math.sqrt(v);
    case -0.5: return 1 / Math.sqrt(v);
    case -1: return 1 / v;
    case -2: return 1 / (v * v);
    default: return cpow(v, p);
  }
}

// x^p for a constant p: d/dx = p x^(p-1) (x^(p-1) by the same rule: PyTorch's), 0 for p = 0
export const powScalarOp = unaryOp<{ exponent: number }>(
  'powScalar',
  (v, { exponent }) => powScalar(v, exponent),
  ({ grad, inputs: [x], params: { exponent } }) =>
    exponent === 0 ? grad.mul(0) : grad.mul(x!.pow(exponent - 1)).mul(exponent),
  {
    params: (_s, pick) => ({ exponent: [2, 3, -1, 0.5, 1.5, -2.5][pick(6)]! }),
    domain: [0.3, 2],
  },
  undefined,
  (s) => {
    const p: number = s.params.exponent;
    s.da = p === 0 ? s.g * 0 : s.g * powScalar(s.a, p - 1) * p;
  },
);

// ------------------------------------------------------------------ unary math

export const negOp = unaryOp('neg', (v) => -v, ({ grad }) => grad.neg(), {}, K.negKernel, (s) => {
  s.da = -s.g;
});
export const expOp = unaryOp('exp', Math.exp, ({ grad, out }) => grad.mul(out), {}, K.expKernel, (s) => {
  s.da = s.g * s.out;
}); // d exp x = exp x
export const logOp = unaryOp('log', Math.log, ({ grad, inputs: [x] }) => grad.div(x!), { domain: [0.1, 4] }, K.logKernel, (s) => {
  s.da = s.g / s.a;
}); // d ln x = 1/x
export const log1pOp = unaryOp('log1p', Math.log1p, ({ grad, inputs: [x] }) => grad.div(x!.add(1)), { domain: [-0.8, 4] }, K.log1pKernel, (s) => {
  s.da = s.g / (s.a + 1);
});
export const expm1Op = unaryOp('expm1', Math.expm1, ({ grad, out }) => grad.mul(out.add(1)), {}, K.expm1Kernel, (s) => {
  s.da = s.g * (s.out + 1);
});
export const sqrtOp = unaryOp('sqrt', Math.sqrt, ({ grad, out }) => grad.div(out.mul(2)), { domain: [0.1, 4] }, K.sqrtKernel, (s) => {
  s.da = s.g / (s.out * 2);
}); // 1/(2 sqrt x)
// |x|: the subgradient at 0 is 0, and at NaN too (PyTorch's sgn(x), 0 for NaN)
export const absOp = unaryOp('abs', Math.abs, ({ grad, inputs: [x] }) => grad.mul(x!.sign()), {
  avoid: (v) => Math.abs(v) < 1e-3,
}, K.absKernel, (s) => {
  s.da = s.g * ((s.a > 0 ? 1 : 0) - (s.a < 0 ? 1 : 0));
});
export const squareOp = unaryOp('square', (v) => v * v, ({ grad, inputs: [x] }) => grad.mul(x!).mul(2), {}, K.squareKernel, (s) => {
  s.da = s.g * s.a * 2;
});
export const reciprocalOp = unaryOp('reciprocal', (v) => 1 / v, ({ grad, out }) => grad.mul(out).mul(out).neg(), {
  avoid: (v) => Math.abs(v) < 0.2,
}, K.reciprocalKernel, (s) => {
  s.da = -(s.g * s.out * s.out);
});
export const sinOp = unaryOp('sin', Math.sin, ({ grad, inputs: [x] }) => grad.mul(x!.cos()), {}, undefined, (s) => {
  s.da = s.g * Math.cos(s.a);
});
export const cosOp = unaryOp('cos', Math.cos, ({ grad, inputs: [x] }) => grad.mul(x!.sin()).neg(), {}, undefined, (s) => {
  s.da = -(s.g * Math.sin(s.a));
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

// clamp: the gradient passes where min <= x <= max (inclusive, as in PyTorch)
export const clampOp = unaryOp<{ min: number; max: number }>(
  'clamp',
  (v, { min, max }) => (v < min ? min : v > max ? max : v),
  ({ grad, inputs: [x], params: { min, max } }) => grad.mul(x!.ge(min).mul(x!.le(max))),
  {
    params: (_s, pick) => [{ min: -1, max: 1 }, { min: -Infinity, max: 0.5 }, { min: -0.5, max: Infinity }][pick(3)]!,
    avoid: (v) => [-1, 1, 0.5, -0.5].some((k) => Math.abs(v - k) < 1e-3),
  },
  undefined,
  (s) => {
    s.da = s.g * ((s.a >= s.params.min ? 1 : 0) * (s.a <= s.params.max ? 1 : 0));
  },
);

/** Limits values to [min, max]; either bound may be omitted. */
export function clamp(x: TensorLike, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number') {
    const which = typeof lo !== 'number' ? `min is ${describe(min)}` : `max is ${describe(max)}`;
    throw new ArgumentError('clamp', `${which}; each bound must be a number, or be left out for no bound on that side`);
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) {
    throw new ArgumentError('clamp', `${Number.isNaN(lo) ? 'min' : 'max'} is NaN; a bound must be a number that is not NaN (leave it out for no bound)`);
  }
  if (lo > hi) throw new ArgumentError('clamp', `min ${lo} is greater than max ${hi}`);
  return applyUnary(clampOp, x, { min: lo, max: hi });
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

export const eqOp = binaryOp('eq', (a, b) => (a === b ? 1 : 0), null, null);
export const neOp = binaryOp('ne', (a, b) => (a !== b ? 1 : 0), null, null);
export const ltOp = binaryOp('lt', (a, b) => (a < b ? 1 : 0), null, null);
export const leOp = binaryOp('le', (a, b) => (a <= b ? 1 : 0), null, null);
export const gtOp = binaryOp('gt', (a, b) => (a > b ? 1 : 0), null, null);
export const geOp = binaryOp('ge', (a, b) => (a >= b ? 1 : 0), null, null);
export const signOp = defineOp({
  name: 'sign',
  inputs: ['x'],
  saves: [],
  differentiable: false,
  shape: ([s]) => s!.slice(),
  // PyTorch's sign: +0 for ±0 and for NaN (torch.sign(nan) = 0, so |x|' = 0 at NaN)
  forward: ([x]) => x!.data.map((v) => (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0)),
  backward: () => [null],
  test: null,
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
  test: { shapes: 'unary', params: () => ({ dtype: 'float64' as DType }) },
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
  test: { shapes: 'unary' },
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
