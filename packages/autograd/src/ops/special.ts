/**
 * Special functions in double precision, for the exact (erf-based) GELU that PyTorch uses.
 * erfc is computed without cancellation on both tails: a power series for erf near zero and a
 * continued fraction for the tail, so 1 + erf(x) stays accurate for very negative x.
 */
import { ArgumentError } from '../errors.ts';
import { describe } from '../shape.ts';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

function erfSeries(x: number): number {
  // erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)); every term is positive
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

function erfcContinuedFraction(x: number): number {
  // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), x > 0,
  // evaluated by the modified Lentz method
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  // 1 - erf(x) cancels as erf(x) nears 1 (relative error 4e-13 at x = 2.45); the continued fraction
  // converges in under 200 steps from x = 1 on, to ~1e-15
  if (x < 1) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return erfcContinuedFraction(x);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 2.5) return x < 0 ? -erfSeries(-x) : erfSeries(x);
  return x < 0 ? erfc(-x) - 1 : 1 - erfc(x);
}

/** The standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** The standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** The public forms of erf and erfc: `x` must be a number (NaN gives NaN); the kernels call the bare ones. */
export function publicErf(x: number): number {
  if (typeof x !== 'number') throw new ArgumentError('erf', `x must be a number, got ${describe(x)}`);
  return erf(x);
}
/** The complementary error function 1 - erf(x), on numbers. */
export function publicErfc(x: number): number {
  if (typeof x !== 'number') throw new ArgumentError('erfc', `x must be a number, got ${describe(x)}`);
  return erfc(x);
}

// ------------------------------------------------------------------ number functions of the ops
// (here, with no imports of the op modules, so that the scalar lane of the derivatives can use
// them without an import cycle)

/** 1 / (1 + e^-x), evaluated so that neither branch overflows (e^x for x < 0). */
export function stableSigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * a^b as C's pow (and so PyTorch's): pow(1, y) = 1 and pow(-1, ±Infinity) = 1 for every y, NaN
 * included, where JavaScript's Math.pow gives NaN. Otherwise the same as Math.pow.
 */
export function cpow(a: number, b: number): number {
  return a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b);
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
