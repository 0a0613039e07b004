/**
 * Elementwise math: trigonometric and hyperbolic functions, special functions (erf, erfinv, lgamma, digamma), rounding, fmod/remainder, hypot, xlogy, logAddExp, lerp, addcmul, nanToNum.
 *
 * Each op is the number function (the special functions' live in special.ts), its derivative against
 * Arith with its math, what that reads, and how the property tests sample it (away from poles,
 * kinks and discontinuities). Every function follows PyTorch's float64 values, NaN and ±Infinity.
 */
import type { Tensor, TensorLike } from '../tensor.ts';
import { applyBinary, applyUnary, binaryOp, primitive, unaryOp, type OpEntry } from './helpers.ts';
import type { OpTest } from './define.ts';
import type { Derivative } from './derivative.ts';
import {
  digammaNumber, erf as erfNumber, erfc as erfcNumber, erfinvNumber, lgammaNumber, polygammaNumber, roundHalfEven,
} from './special.ts';
import { addcmulOp, lerpOp, nanToNumOp } from './math-ternary.ts';

export { addcmul, lerp, nanToNum, type AddcmulOptions, type NanToNumOptions } from './math-ternary.ts';

const LN2 = Math.LN2;
const LN10 = Math.LN10;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT_PI_OVER_2 = 0.886226925452758;

/** Near an integer (the jumps of floor, ceil, round, trunc, frac and the poles of lgamma and digamma). */
const nearInteger = (v: number, eps = 1e-3) => Math.abs(v - Math.round(v)) < eps;


// ------------------------------------------------------------------ trigonometric and hyperbolic

export const tanOp = unaryOp({
  name: 'tan', scalar: Math.tan, saves: ['out'],
  // d tan x = (1 + tan² x) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.add(m.mul(s.out, s.out), m.k(1))); },
  test: { domain: [-1.3, 1.3] },
});
export const asinOp = unaryOp({
  name: 'asin', scalar: Math.asin, saves: [0],
  // d asin x = dx / √(1 - x²)
  derivative: (m, s) => { s.da = m.div(s.g, m.sqrt(m.sub(m.k(1), m.mul(s.a, s.a)))); },
  test: { domain: [-0.9, 0.9] },
});
export const acosOp = unaryOp({
  name: 'acos', scalar: Math.acos, saves: [0],
  // d acos x = -dx / √(1 - x²)
  derivative: (m, s) => { s.da = m.neg(m.div(s.g, m.sqrt(m.sub(m.k(1), m.mul(s.a, s.a))))); },
  test: { domain: [-0.9, 0.9] },
});
export const atanOp = unaryOp({
  name: 'atan', scalar: Math.atan, saves: [0],
  // d atan x = dx / (1 + x²)
  derivative: (m, s) => { s.da = m.div(s.g, m.add(m.mul(s.a, s.a), m.k(1))); },
  test: {},
});
export const sinhOp = unaryOp({
  name: 'sinh', scalar: Math.sinh, saves: [0],
  // d sinh x = cosh x dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.unary(coshOp, s.a, undefined)); },
  test: {},
});
export const coshOp = unaryOp({
  name: 'cosh', scalar: Math.cosh, saves: [0],
  // d cosh x = sinh x dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.unary(sinhOp, s.a, undefined)); },
  test: {},
});
export const asinhOp = unaryOp({
  name: 'asinh', scalar: Math.asinh, saves: [0],
  // d asinh x = dx / √(x² + 1)
  derivative: (m, s) => { s.da = m.div(s.g, m.sqrt(m.add(m.mul(s.a, s.a), m.k(1)))); },
  test: {},
});
export const acoshOp = unaryOp({
  name: 'acosh', scalar: Math.acosh, saves: [0],
  // d acosh x = dx / √(x² - 1)
  derivative: (m, s) => { s.da = m.div(s.g, m.sqrt(m.sub(m.mul(s.a, s.a), m.k(1)))); },
  test: { domain: [1.1, 4] },
});
export const atanhOp = unaryOp({
  name: 'atanh', scalar: Math.atanh, saves: [0],
  // d atanh x = dx / (1 - x²)
  derivative: (m, s) => { s.da = m.div(s.g, m.sub(m.k(1), m.mul(s.a, s.a))); },
  test: { domain: [-0.9, 0.9] },
});

// ------------------------------------------------------------------ special functions

export const erfOp = unaryOp({
  name: 'erf', scalar: erfNumber, saves: [0],
  // d erf x = 2/√π e^{-x²} dx
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, m.exp(m.neg(m.mul(s.a, s.a)))), m.k(TWO_OVER_SQRT_PI)); },
  // erf switches formula at |x| = 2.5 (series / continued fraction of erfc) and erfc at 1
  test: { domain: [-3, 3], smoothAt: [0, 1, -1, 2.5, -2.5] },
});
export const erfcOp = unaryOp({
  name: 'erfc', scalar: erfcNumber, saves: [0],
  // d erfc x = -2/√π e^{-x²} dx
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, m.exp(m.neg(m.mul(s.a, s.a)))), m.k(-TWO_OVER_SQRT_PI)); },
  test: { domain: [-3, 3], smoothAt: [0, 1, -1] },
});
export const erfinvOp = unaryOp({
  name: 'erfinv', scalar: erfinvNumber, saves: ['out'],
  // d erfinv y = √π/2 e^{erfinv(y)²} dy
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, m.exp(m.mul(s.out, s.out))), m.k(SQRT_PI_OVER_2)); },
  test: { domain: [-0.9, 0.9], smoothAt: [0, 0.5, -0.5] },
});

/**
 * The polygamma function ψ^(n)(x) (n >= 1) as an internal op: the derivative of digamma (n = 1,
 * trigamma) and of itself (n + 1), so that digamma and lgamma have gradients of every order.
 */
export const polygammaOp = unaryOp<{ n: number }>({
  name: 'polygamma',
  scalar: (v, { n }) => polygammaNumber(n, v),
  saves: [0],
  // d ψ^(n)(x) = ψ^(n+1)(x) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.unary(polygammaOp, s.a, { n: s.params.n + 1 })); },
  test: { domain: [0.2, 5], params: (_s, pick) => ({ n: 1 + pick(3) }) },
});
export const digammaOp = unaryOp({
  name: 'digamma', scalar: digammaNumber, saves: [0],
  // d ψ(x) = ψ'(x) dx (the trigamma function)
  derivative: (m, s) => { s.da = m.mul(s.g, m.unary(polygammaOp, s.a, { n: 1 })); },
  // poles at 0, -1, -2, ...; NaN at the negative integers
  test: { domain: [-2.8, 4], avoid: (v) => v < 0.1 && nearInteger(v, 0.1), smoothAt: [10] },
});
export const lgammaOp = unaryOp({
  name: 'lgamma', scalar: lgammaNumber, saves: [0],
  // d ln|Γ(x)| = ψ(x) dx
  derivative: (m, s) => { s.da = m.mul(s.g, m.unary(digammaOp, s.a, undefined)); },
  // poles at 0, -1, -2, ...; the series about 2 hands over at 0.5, 1.5, 2.5 and 15
  test: { domain: [-2.8, 4], avoid: (v) => v < 0.1 && nearInteger(v, 0.1), smoothAt: [1.5, 2.5, 0.5, 1, 2] },
});
export const sincOp = unaryOp({
  name: 'sinc',
  // sin(πx)/(πx), 1 at 0, as PyTorch (which computes it so: sinc(1) is 3.9e-17, not 0)
  scalar: (v) => {
    if (v === 0) return 1;
    const p = Math.PI * v;
    return Math.sin(p) / p;
  },
  saves: [0, 'out'],
  // d sinc x = (cos(πx) - sinc x) / x dx, 0 at 0 (the 0 branch is divided by 1 so that no NaN reaches a second derivative)
  derivative: (m, s) => {
    const zero = m.eq(s.a, m.k(0));
    const x = m.where(zero, m.k(1), s.a);
    const d = m.div(m.sub(m.cos(m.mul(x, m.k(Math.PI))), s.out), x);
    s.da = m.mul(s.g, m.where(zero, m.k(0), d));
  },
  // the second derivative at 0 is -π²/3, but PyTorch's rule (masked to 0 there) gives 0 too
  test: { smoothAt: [0], smoothAtFirstOrderOnly: true },
});

// ------------------------------------------------------------------ powers and logarithms

export const rsqrtOp = unaryOp({
  name: 'rsqrt', scalar: (v) => 1 / Math.sqrt(v), saves: ['out'],
  // d x^{-1/2} = -1/2 x^{-3/2} dx = -out³/2 dx
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, m.mul(m.mul(s.out, s.out), s.out)), m.k(-0.5)); },
  test: { domain: [0.2, 4] },
});
export const log2Op = unaryOp({
  name: 'log2', scalar: Math.log2, saves: [0],
  // d log2 x = dx / (x ln 2)
  derivative: (m, s) => { s.da = m.div(s.g, m.mul(s.a, m.k(LN2))); },
  test: { domain: [0.1, 4] },
});
export const log10Op = unaryOp({
  name: 'log10', scalar: Math.log10, saves: [0],
  // d log10 x = dx / (x ln 10)
  derivative: (m, s) => { s.da = m.div(s.g, m.mul(s.a, m.k(LN10))); },
  test: { domain: [0.1, 4] },
});
export const exp2Op = unaryOp({
  name: 'exp2', scalar: (v) => 2 ** v, saves: ['out'],
  // d 2^x = 2^x ln 2 dx
  derivative: (m, s) => { s.da = m.mul(m.mul(s.g, s.out), m.k(LN2)); },
  test: {},
});

// ------------------------------------------------------------------ rounding
// Piecewise constant: PyTorch's gradient is 0 everywhere (also at the jumps), and so is ours.

/** The derivative of a piecewise constant function: 0 (times g, so that it has g's shape). */
const zeroDerivative: Derivative = (m, s) => { s.da = m.mul(s.g, m.k(0)); };

// the jumps are at the integers (half-integers for round)
const roundingTest = (jumps: (v: number) => boolean): Omit<OpTest<undefined>, 'shapes'> => ({ domain: [-3, 3], avoid: jumps });
const atIntegers = (v: number) => nearInteger(v);
const atHalves = (v: number) => nearInteger(v + 0.5);

export const floorOp = unaryOp({ name: 'floor', scalar: Math.floor, saves: [], derivative: zeroDerivative, test: roundingTest(atIntegers) });
export const ceilOp = unaryOp({ name: 'ceil', scalar: Math.ceil, saves: [], derivative: zeroDerivative, test: roundingTest(atIntegers) });
export const roundOp = unaryOp({ name: 'round', scalar: roundHalfEven, saves: [], derivative: zeroDerivative, test: roundingTest(atHalves) });
export const truncOp = unaryOp({ name: 'trunc', scalar: Math.trunc, saves: [], derivative: zeroDerivative, test: roundingTest(atIntegers) });
export const fracOp = unaryOp({
  name: 'frac', scalar: (v) => v - Math.trunc(v), saves: [],
  // d (x - trunc x) = dx
  derivative: (_m, s) => { s.da = s.g; },
  test: roundingTest(atIntegers),
});

// ------------------------------------------------------------------ binary

/** C's fmod (JavaScript's %): the remainder of a / b truncated, with the sign of a. */
const fmodNumber = (a: number, b: number) => a % b;
/** Python's remainder (PyTorch's remainder): the sign of the divisor b. */
function remainderNumber(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (b < 0) !== (r < 0) ? r + b : r;
}

// fmod and remainder jump where a/b crosses an integer, and b = 0 is their pole: b (drawn after
// a) is redrawn near 0 and where a/b is within 1e-3 of an integer for any a (finite differences
// move a/b by about 1e-5). a itself stays off 0 (remainder jumps there): an a within 2e-3 of 0 would
// put a/b within 1e-3 of 0 for every b in [-2, 2], and no b could be drawn.
const awayFromJumps = (v: number, input: number, all: readonly (readonly number[])[]): boolean =>
  input === 0 ? Math.abs(v) < 0.01 : input === 1 && (Math.abs(v) < 0.3 || all[0]!.some((a) => nearInteger(a / v)));

export const fmodOp = binaryOp({
  name: 'fmod', scalar: fmodNumber, saves: [0, 1],
  // fmod(a, b) = a - trunc(a/b) b: d = da - trunc(a/b) db
  derivative: (m, s) => {
    s.da = s.g;
    s.db = m.neg(m.mul(s.g, m.unary(truncOp, m.div(s.a, s.b), undefined)));
  },
  test: { avoid: awayFromJumps },
});
export const remainderOp = binaryOp({
  name: 'remainder', scalar: remainderNumber, saves: [0, 1, 'out'],
  // remainder(a, b) = a - floor(a/b) b: d = da - floor(a/b) db, with floor(a/b) as PyTorch's floor
  // division: a/b where b = 0, NaN where a is infinite, -1 where a finite a is lost against an
  // infinite b of the other sign (the result is then b)
  derivative: (m, s) => {
    const q = m.div(s.a, s.b);
    const lost = m.mul(m.eq(s.out, s.b), m.eq(q, m.k(0)));
    const floorDiv = m.add(m.where(lost, m.k(-1), m.unary(floorOp, q, undefined)), m.mul(s.a, m.k(0)));
    s.da = s.g;
    s.db = m.neg(m.mul(s.g, m.where(m.eq(s.b, m.k(0)), q, floorDiv)));
  },
  test: { avoid: awayFromJumps },
});
export const hypotOp = binaryOp({
  name: 'hypot', scalar: Math.hypot, saves: [0, 1, 'out'],
  // d √(a² + b²) = (a da + b db) / hypot(a, b)
  derivative: (m, s) => {
    s.da = m.div(m.mul(s.g, s.a), s.out);
    s.db = m.div(m.mul(s.g, s.b), s.out);
  },
  // the cone's tip (0, 0) is a kink
  test: {
    avoid: (v) => Math.abs(v) < 0.1,
    nanExempt: 'hypot(±Infinity, NaN) is +Infinity, as C hypot and PyTorch (an infinite leg makes the length infinite whatever the other)',
  },
});
/** x log y, 0 where x = 0 unless y is NaN (PyTorch's xlogy). */
function xlogyNumber(x: number, y: number): number {
  if (Number.isNaN(y)) return NaN;
  if (x === 0) return 0;
  return x * Math.log(y);
}
export const xlogyOp = binaryOp({
  name: 'xlogy', scalar: xlogyNumber, saves: [0, 1],
  // d (x ln y) = ln y dx + x/y dy. As PyTorch: the first is xlogy(g, y), zeroed where x = 0 and y <= 0
  derivative: (m, s) => {
    const zero = m.k(0);
    const yNaN = m.ne(s.b, s.b);
    const gLogY = m.where(m.eq(s.g, zero), m.where(yNaN, s.b, zero), m.mul(s.g, m.log(s.b)));
    s.da = m.where(m.mul(m.eq(s.a, zero), m.le(s.b, zero)), zero, gLogY);
    s.db = m.div(m.mul(s.g, s.a), s.b);
  },
  test: {
    domain: [[-2, 2], [0.1, 3]],
    nanExempt: 'xlogy(0, y) is 0 for every y but NaN, so a NaN x gives NaN but a NaN y only where y is NaN (PyTorch)',
  },
});
/** log(e^a + e^b) without overflow: max + log1p(e^-|a - b|); ±Infinity when both are that infinity. */
function logAddExpNumber(a: number, b: number): number {
  if (a === b && !Number.isFinite(a)) return a;
  const m = a > b ? a : b;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}
export const logAddExpOp = binaryOp({
  name: 'logAddExp', scalar: logAddExpNumber, saves: [0, 1],
  // d log(e^a + e^b) = σ(a - b) da + σ(b - a) db
  derivative: (m, s) => {
    s.da = m.mul(s.g, m.sigmoid(m.sub(s.a, s.b)));
    s.db = m.mul(s.g, m.sigmoid(m.sub(s.b, s.a)));
  },
  // max(a, b) switches operand at a = b, where the function is smooth
  test: { ties: true },
});

// ------------------------------------------------------------------ public functions

/** Element-wise tangent. */
export function tan(x: TensorLike): Tensor { return applyUnary(tanOp, x, undefined); }
/** Element-wise arcsine (NaN outside [-1, 1]). */
export function asin(x: TensorLike): Tensor { return applyUnary(asinOp, x, undefined); }
/** Element-wise arccosine (NaN outside [-1, 1]). */
export function acos(x: TensorLike): Tensor { return applyUnary(acosOp, x, undefined); }
/** Element-wise arctangent. */
export function atan(x: TensorLike): Tensor { return applyUnary(atanOp, x, undefined); }
/** Element-wise hyperbolic sine. */
export function sinh(x: TensorLike): Tensor { return applyUnary(sinhOp, x, undefined); }
/** Element-wise hyperbolic cosine. */
export function cosh(x: TensorLike): Tensor { return applyUnary(coshOp, x, undefined); }
/** Element-wise inverse hyperbolic sine. */
export function asinh(x: TensorLike): Tensor { return applyUnary(asinhOp, x, undefined); }
/** Element-wise inverse hyperbolic cosine (NaN below 1). */
export function acosh(x: TensorLike): Tensor { return applyUnary(acoshOp, x, undefined); }
/** Element-wise inverse hyperbolic tangent (±Infinity at ±1, NaN outside [-1, 1]). */
export function atanh(x: TensorLike): Tensor { return applyUnary(atanhOp, x, undefined); }
/** Element-wise error function erf(x) = 2/√π ∫₀ˣ e^{-t²} dt (like `torch.erf`). */
export function erf(x: TensorLike): Tensor { return applyUnary(erfOp, x, undefined); }
/** Element-wise complementary error function 1 - erf(x), accurate in both tails (like `torch.erfc`). */
export function erfc(x: TensorLike): Tensor { return applyUnary(erfcOp, x, undefined); }
/** Element-wise inverse error function on (-1, 1); ±1 give ±Infinity (like `torch.erfinv`). */
export function erfinv(x: TensorLike): Tensor { return applyUnary(erfinvOp, x, undefined); }
/** Element-wise log|Γ(x)|; +Infinity at 0 and the negative integers (like `torch.lgamma`). */
export function lgamma(x: TensorLike): Tensor { return applyUnary(lgammaOp, x, undefined); }
/** Element-wise digamma ψ(x) = d/dx ln Γ(x) (like `torch.digamma`: ψ(±0) = ∓Infinity, NaN at the negative integers). */
export function digamma(x: TensorLike): Tensor { return applyUnary(digammaOp, x, undefined); }
/** Element-wise normalized sinc, sin(πx)/(πx), 1 at 0 (like `torch.sinc`). */
export function sinc(x: TensorLike): Tensor { return applyUnary(sincOp, x, undefined); }
/** Element-wise 1/√x (like `torch.rsqrt`). */
export function rsqrt(x: TensorLike): Tensor { return applyUnary(rsqrtOp, x, undefined); }
/** Element-wise base-2 logarithm. */
export function log2(x: TensorLike): Tensor { return applyUnary(log2Op, x, undefined); }
/** Element-wise base-10 logarithm. */
export function log10(x: TensorLike): Tensor { return applyUnary(log10Op, x, undefined); }
/** Element-wise 2^x. */
export function exp2(x: TensorLike): Tensor { return applyUnary(exp2Op, x, undefined); }
/** Element-wise largest integer <= x (gradient 0, as PyTorch). */
export function floor(x: TensorLike): Tensor { return applyUnary(floorOp, x, undefined); }
/** Element-wise smallest integer >= x (gradient 0, as PyTorch). */
export function ceil(x: TensorLike): Tensor { return applyUnary(ceilOp, x, undefined); }
/** Element-wise nearest integer, ties to even as `torch.round` (0.5 → 0, 1.5 → 2, -2.5 → -2; gradient 0). */
export function round(x: TensorLike): Tensor { return applyUnary(roundOp, x, undefined); }
/** Element-wise x rounded toward zero (gradient 0, as PyTorch). */
export function trunc(x: TensorLike): Tensor { return applyUnary(truncOp, x, undefined); }
/** Element-wise fractional part x - trunc(x), with the sign of x (like `torch.frac`). */
export function frac(x: TensorLike): Tensor { return applyUnary(fracOp, x, undefined); }
/** Element-wise C fmod: a - trunc(a/b)·b, with the sign of a (like `torch.fmod`), with broadcasting. */
export function fmod(a: TensorLike, b: TensorLike): Tensor { return applyBinary(fmodOp, a, b); }
/** Element-wise Python-style remainder a - floor(a/b)·b, with the sign of b (like `torch.remainder`), with broadcasting. */
export function remainder(a: TensorLike, b: TensorLike): Tensor { return applyBinary(remainderOp, a, b); }
/** Element-wise √(a² + b²) without overflow (like `torch.hypot`), with broadcasting. */
export function hypot(a: TensorLike, b: TensorLike): Tensor { return applyBinary(hypotOp, a, b); }
/** Element-wise x·log(y), 0 where x = 0 (even for y = 0 or Infinity) unless y is NaN (like `torch.xlogy`), with broadcasting. */
export function xlogy(x: TensorLike, y: TensorLike): Tensor { return applyBinary(xlogyOp, x, y); }
/** Element-wise log(e^a + e^b), computed without overflow (like `torch.logaddexp`), with broadcasting. */
export function logAddExp(a: TensorLike, b: TensorLike): Tensor { return applyBinary(logAddExpOp, a, b); }

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const MATH_OPS = {
  tan: primitive(tanOp), asin: primitive(asinOp), acos: primitive(acosOp), atan: primitive(atanOp),
  sinh: primitive(sinhOp), cosh: primitive(coshOp), asinh: primitive(asinhOp), acosh: primitive(acoshOp), atanh: primitive(atanhOp),
  erf: primitive(erfOp), erfc: primitive(erfcOp), erfinv: primitive(erfinvOp),
  lgamma: primitive(lgammaOp), digamma: primitive(digammaOp),
  polygamma: primitive(polygammaOp, { fn: null }), // the derivative of digamma (and of itself)
  sinc: primitive(sincOp), rsqrt: primitive(rsqrtOp), log2: primitive(log2Op), log10: primitive(log10Op), exp2: primitive(exp2Op),
  floor: primitive(floorOp), ceil: primitive(ceilOp), round: primitive(roundOp), trunc: primitive(truncOp), frac: primitive(fracOp),
  fmod: primitive(fmodOp), remainder: primitive(remainderOp), hypot: primitive(hypotOp), xlogy: primitive(xlogyOp),
  logAddExp: primitive(logAddExpOp),
  nanToNum: primitive(nanToNumOp),
  lerp: primitive(lerpOp),
  addcmul: primitive(addcmulOp),
} as const satisfies Record<string, OpEntry>;
