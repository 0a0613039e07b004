/**
 * Special functions in double precision, for the exact (erf-based) GELU that PyTorch uses.
 * erfc is computed without cancellation on both tails: a power series for erf near zero and a
 * continued fraction for the tail, so 1 + erf(x) stays accurate for very negative x.
 */

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

/** The complementary error function 1 - erf(x) on numbers (the kernel of the erfc op). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  // 1 - erf(x) cancels as erf(x) nears 1 (relative error 4e-13 at x = 2.45); the continued fraction
  // converges in under 200 steps from x = 1 on, to ~1e-15
  if (x < 1) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return erfcContinuedFraction(x);
}

/** The error function on numbers (the kernel of the erf op). */
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

// ------------------------------------------------------------------ the math family's number functions
// (erfinv, lgamma, digamma, polygamma, sinpi, round half to even), used by ops/math.ts

const SQRT_PI_OVER_2 = 0.886226925452758;

/**
 * The inverse error function on (-1, 1): ±1 give ±Infinity, |y| > 1 and NaN give NaN. A starting
 * point (Winitzki's closed form, or the series for small |y|) refined by Halley's method on
 * erf(x) = y; for |y| > 0.5 the residual is taken as erfc(x) - (1 - y), exact in 1 - y, so that the
 * tails keep their relative accuracy.
 */
export function erfinvNumber(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y; // keeps -0
  const ay = Math.abs(y);
  let x: number;
  if (ay < 1e-3) x = SQRT_PI_OVER_2 * ay * (1 + (Math.PI / 12) * ay * ay);
  else {
    const a = 0.147;
    const ln = Math.log1p(-ay) + Math.log1p(ay); // log(1 - y²) without cancellation
    const t = 2 / (Math.PI * a) + ln / 2;
    x = Math.sqrt(Math.sqrt(t * t - ln / a) - t);
  }
  for (let i = 0; i < 4; i++) {
    // f = erf(x) - |y|, f' = 2/√π e^{-x²}, f'' = -2x f': Halley's step f / (f' (1 + x f / f'))
    const f = ay > 0.5 ? (1 - ay) - erfc(x) : erf(x) - ay;
    const d = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    if (d === 0) break;
    const r = f / d;
    const step = r / (1 + x * r);
    x -= step;
    if (Math.abs(step) <= 1e-17 * x) break;
  }
  return y < 0 ? -x : x;
}

/** sin(πx), exact at integers and half-integers (the argument is reduced mod 2 exactly first). */
export function sinpi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 0.25) return Math.sin(Math.PI * x); // tiny |x| would be lost in the reduction
  const r = x - 2 * Math.floor(x / 2); // in [0, 2), exact
  if (r <= 0.25) return Math.sin(Math.PI * r);
  if (r <= 0.75) return Math.cos(Math.PI * (r - 0.5));
  if (r <= 1.25) return Math.sin(Math.PI * (1 - r));
  if (r <= 1.75) return -Math.cos(Math.PI * (r - 1.5));
  return Math.sin(Math.PI * (r - 2));
}

/** cos(πx) = sin(π(x + 1/2)) (x + 1/2 rounds only where cos(πx) is near ±1, which keeps it accurate). */
function cospi(x: number): number {
  return sinpi(x + 0.5);
}

/** B_2, B_4, ..., B_20: the Bernoulli numbers of the asymptotic series below. */
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];
const HALF_LOG_2PI = 0.9189385332046728;

/** ζ(k) - 1 for k = 2, 3, ..., 40 (for the series of lgamma about 2). */
const ZETA_MINUS_1 = [0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914, 0.008349277381922827, 0.00407735619794434, 0.0020083928260822143, 0.0009945751278180853, 0.0004941886041194645, 0.0002460865533080483, 0.00012271334757848915, 6.124813505870483e-05, 3.058823630702049e-05, 1.528225940865187e-05, 7.637197637899763e-06, 3.81729326499984e-06, 1.908212716553939e-06, 9.539620338727962e-07, 4.769329867878064e-07, 2.38450502727733e-07, 1.1921992596531106e-07, 5.960818905125948e-08, 2.980350351465228e-08, 1.4901554828365043e-08, 7.45071178983543e-09, 3.725334024788457e-09, 1.862659723513049e-09, 9.313274324196682e-10, 4.656629065033784e-10, 2.3283118336765053e-10, 1.164155017270052e-10, 5.820772087902701e-11, 2.9103850444971e-11, 1.4551921891041985e-11, 7.275959835057482e-12, 3.637979547378651e-12, 1.818989650307066e-12, 9.094947840263888e-13];
const EULER_GAMMA = 0.5772156649015329;

/** lgamma(2 + e) for |e| <= 0.5: (1 - γ) e + Σ_k>=2 (-1)^k (ζ(k) - 1) e^k / k, exact 0 at e = 0. */
function lgammaAbout2(e: number): number {
  let sum = 0;
  for (let k = ZETA_MINUS_1.length + 1; k >= 2; k--) sum = sum * -e + ZETA_MINUS_1[k - 2]! / k;
  return e * (1 - EULER_GAMMA + e * sum);
}

/**
 * log|Γ(x)| (PyTorch's lgamma, C's lgamma): a power series about 2 on [0.5, 2.5] (so that the roots
 * at 1 and 2 keep their relative accuracy), the recurrence Γ(x + 1) = x Γ(x) down to it below 15,
 * Stirling's series from 15, the reflection formula below 0.5. +Infinity at 0, the negative
 * integers and ±Infinity.
 */
export function lgammaNumber(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && x === Math.floor(x)) return Infinity;
  if (x < 0.5) {
    // Γ(x) Γ(1 - x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(sinpi(x))) - lgammaNumber(1 - x);
  }
  if (x < 1.5) return lgammaAbout2(x - 1) - Math.log1p(x - 1);
  if (x <= 2.5) return lgammaAbout2(x - 2);
  if (x < 15) {
    let prod = 1;
    let z = x;
    while (z > 2.5) {
      z -= 1;
      prod *= z;
    }
    return lgammaAbout2(z - 2) + Math.log(prod);
  }
  // (x - 1/2) ln x - x + ln √(2π) + Σ B_2k / (2k (2k - 1) x^(2k - 1))
  const t = 1 / (x * x);
  let series = 0;
  for (let k = 8; k >= 1; k--) series = series * t + BERNOULLI[k - 1]! / (2 * k * (2 * k - 1));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series / x;
}

const PSI_10 = 2.25175258906672110764;
const DIGAMMA_A = [8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2];

/**
 * ψ(x) = Γ'(x)/Γ(x) as PyTorch (Cephes): ψ(±0) = ∓Infinity, NaN at the negative integers and at
 * -Infinity; the recurrence ψ(x + 1) = ψ(x) + 1/x up to x >= 10, then the asymptotic series; the
 * reflection ψ(1 - x) - ψ(x) = π cot(πx) below 0.
 */
export function digammaNumber(x: number): number {
  if (x === 0) return 1 / x < 0 ? Infinity : -Infinity;
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digammaNumber(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = 0;
    for (const a of DIGAMMA_A) p = p * z + a;
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * The coefficients of P_n with d^n/dz^n cot z = P_n(cot z): P_0(c) = c, P_(k+1)(c) = -(1 + c²) P_k'(c)
 * (lowest power first), for the reflection formula of the polygamma functions.
 */
function cotDerivativePoly(n: number): number[] {
  let p = [0, 1];
  for (let k = 0; k < n; k++) {
    const d = p.slice(1).map((c, i) => c * (i + 1)); // P'
    const next = new Array<number>(d.length + 2).fill(0);
    d.forEach((c, i) => {
      next[i] = next[i]! - c;
      next[i + 2] = next[i + 2]! - c;
    });
    p = next;
  }
  return p;
}

/**
 * The polygamma function ψ^(n)(x) for an integer n >= 1 (ψ^(1) is the trigamma function):
 * (-1)^(n+1) n! Σ_k 1/(x + k)^(n+1). The recurrence up to x >= 15 + n, then the asymptotic series;
 * the reflection formula (derivatives of π cot πx) for x < 0.5. At 0 and the negative integers
 * (-1)^(n+1)·Infinity (the pole, as PyTorch), 0 at +Infinity, NaN at -Infinity.
 */
export function polygammaNumber(n: number, x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  const sign = n % 2 === 1 ? 1 : -1; // (-1)^(n+1)
  if (x === Infinity) return 0;
  if (x <= 0 && x === Math.floor(x)) return sign * Infinity;
  if (x < 0.5) {
    // ψ^(n)(1 - x) + (-1)^(n+1) ψ^(n)(x) = (-1)^n π d^n/dx^n cot(πx) = (-1)^n π^(n+1) P_n(cot πx)
    const c = cospi(x) / sinpi(x);
    const poly = cotDerivativePoly(n);
    let pc = 0;
    for (let i = poly.length - 1; i >= 0; i--) pc = pc * c + poly[i]!;
    const rhs = (n % 2 === 0 ? 1 : -1) * Math.PI ** (n + 1) * pc;
    return sign * (rhs - polygammaNumber(n, 1 - x));
  }
  const nFact = factorial(n);
  let shift = 0;
  let z = x;
  while (z < 15 + n) {
    shift += 1 / z ** (n + 1);
    z += 1;
  }
  // (n-1)!/z^n + n!/(2 z^(n+1)) + Σ B_2k (2k+n-1)!/(2k)! / z^(2k+n)
  const t = 1 / z;
  const t2 = t * t;
  let coef = factorial(n + 1) / 2; // (2k+n-1)!/(2k)! at k = 1
  let tp = t ** (n + 2);
  let series = 0;
  for (let k = 1; k <= BERNOULLI.length; k++) {
    const term = BERNOULLI[k - 1]! * coef * tp;
    series += term;
    if (Math.abs(term) < 1e-18 * Math.abs(series)) break;
    coef *= ((2 * k + n) * (2 * k + n + 1)) / ((2 * k + 1) * (2 * k + 2));
    tp *= t2;
  }
  const asym = (nFact / n) * t ** n + (nFact / 2) * t ** (n + 1) + series;
  return sign * (asym + nFact * shift);
}

/** x rounded to the nearest integer, ties to even (PyTorch's round, IEEE roundeven); keeps -0. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
