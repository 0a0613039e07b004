import type { FloatArray } from '../dtype.ts';
import type { BinaryKernel } from './elementwise.ts';
import { wasmCompare, wasmUnaryExact, wasmUnaryF32 } from './unary-wasm.ts';

/**
 * Explicit loops for the common unary ops. The generic `unaryOp` forward calls its element
 * function through one shared call site, which V8 cannot inline once many ops use it; these
 * loops inline the arithmetic. In float64 every kernel computes exactly what the element
 * function computes (the same Math calls in the same order), so results are bit-for-bit equal.
 * In float32 exp, sigmoid and tanh take e^x from a range-reduced polynomial in float32 arithmetic
 * (`expF32`: within 1.0 ulp of the exact value on the tests' dense grids), and from WASM_UNARY_MIN elements run the same operations as
 * WebAssembly SIMD (unary-wasm.ts), which gives the same float32 values. neg, abs, square, sqrt,
 * reciprocal and relu (one IEEE operation each, so the same values in both dtypes) run in wasm
 * from WASM_BINARY_MIN elements. The engine's 0-d fast lane still calls the op's element function
 * (Math.exp), which may differ from these by 1 ulp.
 */
export type UnaryKernel<P> = (x: FloatArray, out: FloatArray, params: P) => void;

const LOG2E = 1.4426950408889634;
const LN2 = 0.6931471805599453;
// 2^k for k in [-1500, 1500], indexed by k + 1500 (0 and Infinity at the ends)
const POW2_BIAS = 1500;
const POW2 = new Float64Array(2 * POW2_BIAS + 1);
for (let k = -POW2_BIAS; k <= POW2_BIAS; k++) POW2[k + POW2_BIAS] = Math.pow(2, k);

/**
 * e^x in double precision for the float32 softmax / log-softmax JS rows (unary-lanes.ts), branch-free: x = k ln2 + r, |r| <= ln2/2, e^r
 * by its degree-8 Taylor polynomial (relative error < 3e-10, far below a float32 ulp of 6e-8), so
 * the value rounded to float32 is within 0.51 ulp of the exact one. x is clamped to [-1000, 89]:
 * e^89 rounds to Infinity in float32 and 2^-1443 is 0; NaN stays NaN (k becomes NaN | 0 = 0).
 * Not for float64 results (it is not correctly rounded in double).
 */
export function expPoly(x: number): number {
  const v = Math.min(Math.max(x, -1000), 89);
  const k = ((v * LOG2E + 2048.5) | 0) - 2048;
  const r = v - k * LN2;
  return (
    (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))))) *
    POW2[k + POW2_BIAS]!
  );
}

function isF32(x: FloatArray): x is Float32Array {
  return x instanceof Float32Array;
}

export const expKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (isF32(x)) {
    for (let i = wasmUnaryF32('exp', x, out as Float32Array); i < n; i++) out[i] = expF32(x[i]!);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
};

export const logKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
};

export const sqrtKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('sqrt', x, out)) return;
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
};

export const negKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('neg', x, out)) return;
  for (let i = 0; i < n; i++) out[i] = -x[i]!;
};

export const absKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('abs', x, out)) return;
  for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
};

export const squareKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('square', x, out)) return;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v * v;
  }
};

export const reciprocalKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('reciprocal', x, out)) return;
  for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
};

/** relu: v < 0 ? 0 : v (NaN and -0 kept, as PyTorch's clamp_min(x, 0)). */
export const reluKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('relu', x, out)) return;
  if (isF32(x) && out instanceof Float32Array && (x.byteOffset & 3) === 0) {
    // on the bits: +0 when the sign bit is set and the magnitude bits are 1..bits(+Infinity)
    // (v < 0), else v (positives, zeros, NaN of either sign)
    const xi = new Int32Array(x.buffer, x.byteOffset, n);
    const oi = new Int32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const b = xi[i]!;
      oi[i] = b & ((+(b < 0) & +(((b & 0x7fffffff) - 1) >>> 0 < 0x7f800000)) - 1);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v < 0 ? 0 : v;
  }
};

// Float32 arithmetic for the float32 sigmoid: Math.fround of a double + - * of float32 values is the
// float32 operation (double has more than 2 * 24 + 2 bits), so these loops compute what the wasm
// f32x4 kernels compute. e^r - 1 ~ r + r^2 q(r), q of degree 4 with float32 coefficients (EXPQ4 in
// scripts/elementwise-wat.ts: relative error 4.2e-9 on |r| <= ln2/2); ln2 = LN2_HI + LN2_LO with
// LN2_HI of 9 bits (k LN2_HI exact); k rounded to nearest by adding ROUND_MAGIC = 1.5 2^23.
const fr = Math.fround;
const LOG2E_F = fr(LOG2E);
const LN2_HI = 0.693359375;
const LN2_LO = fr(LN2 - LN2_HI);
const ROUND_MAGIC = 12582912;
const Q0 = 0.4999999403953552, Q1 = 0.1666651964187622, Q2 = 0.041668400168418884;
const Q3 = 0.00836885068565607, Q4 = 0.0013814320554956794;

/**
 * e^x for the float32 exp kernel (and logSumExp's float32 rows), to be rounded to float32 by the
 * caller: a = min(max(x, -105), 89) (NaN kept: e^-105 rounds to float32 0, e^89 to Infinity),
 * k = nearest(a log2e), r = a - k ln2 and u = e^r - 1 (the polynomial of sigmoidKernel) in float32
 * arithmetic, then (1 + u) 2^k in double: rounded to float32, within 1.0 ulp of the exact value on
 * the tests' dense grids. The same operations as the wasm exp_f32 and lse_f32, so the same values.
 */
export function expF32(x: number): number {
  const a = Math.min(Math.max(x, -105), 89);
  const kb = fr(fr(a * LOG2E_F) + ROUND_MAGIC);
  const k = kb - ROUND_MAGIC;
  const r = fr(fr(a - k * LN2_HI) - fr(k * LN2_LO));
  const r2 = fr(r * r);
  const r4 = fr(r2 * r2);
  const u = fr(r + fr(fr(r2 * fr(Q0 + fr(Q1 * r))) + fr(r4 * fr(fr(Q2 + fr(Q3 * r)) + fr(Q4 * r2)))));
  return (1 + u) * POW2[(k | 0) + POW2_BIAS]!; // k NaN: u is NaN
}

/**
 * The stable sigmoid of `stableSigmoid` (activation.ts). Float32: a = max(-|v|, -105), e^a as
 * (1 + u) 2^k with k = nearest(a log2e), r = a - k ln2 and u = r + (r^2 (Q0 + Q1 r) + r^4 ((Q2 +
 * Q3 r) + Q4 r^2)) in float32 arithmetic (fr), 1 + u and the scaling in double; then
 * max(e, v >= 0) / (1 + e) in double (1 / (1 + e) or e / (1 + e)), rounded to float32: within
 * 1.1 ulp of the exact sigmoid on the tests' dense grids (0.531 with e^a in double, which took 1.3x
 * the time in wasm). The same operations as the wasm kernel (sigmoid_f32 in
 * scripts/elementwise-wat.ts), so the same values.
 */
export const sigmoidKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (isF32(x)) {
    for (let i = wasmUnaryF32('sigmoid', x, out as Float32Array); i < n; i++) {
      const v = x[i]!;
      const a = Math.max(-Math.abs(v), -105); // NaN stays NaN (then k, e and the result too)
      const kb = fr(fr(a * LOG2E_F) + ROUND_MAGIC); // an integer: a log2e rounded to nearest, + 1.5 2^23
      const k = kb - ROUND_MAGIC;
      const r = fr(fr(a - k * LN2_HI) - fr(k * LN2_LO)); // a - k LN2_HI is exact
      const r2 = fr(r * r);
      const r4 = fr(r2 * r2);
      const u = fr(r + fr(fr(r2 * fr(Q0 + fr(Q1 * r))) + fr(r4 * fr(fr(Q2 + fr(Q3 * r)) + fr(Q4 * r2)))));
      const e = (1 + u) * POW2[(k | 0) + POW2_BIAS]!; // k NaN: u is NaN
      out[i] = Math.max(e, +(v >= 0)) / (1 + e);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const e = Math.exp(-Math.abs(v));
    const m = +(v >= 0);
    out[i] = (m + (1 - m) * e) / (1 + e);
  }
};

/**
 * tanh. Float32: E / (E + 2) with E = e^y - 1, y = min(max(2v, -40), 40) (tanh is +-1 in float32
 * beyond), computed as (2^k - 1) + 2^k u with u = e^r - 1: k = nearest(y log2e), t = y - k LN2_HI
 * (exact), c = k LN2_LO, the polynomial part p of u from r = t - c in float32 arithmetic, then
 * u = (t - c) + p in double, which keeps E relatively accurate near 0 (k = 0: E = u). Zeros and
 * NaN are passed through. The same operations as the wasm tanh_f32, so the same values.
 */
export const tanhKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (isF32(x)) {
    for (let i = wasmUnaryF32('tanh', x, out as Float32Array); i < n; i++) {
      const v = x[i]!;
      if (v === 0 || v !== v) {
        out[i] = v;
        continue;
      }
      const y = Math.min(Math.max(2 * v, -40), 40); // 2v is exact in float32 below the clamp
      const kb = fr(fr(y * LOG2E_F) + ROUND_MAGIC);
      const k = kb - ROUND_MAGIC;
      const t = y - k * LN2_HI; // exact, a float32
      const c = fr(k * LN2_LO);
      const r = fr(t - c);
      const r2 = fr(r * r);
      const r4 = fr(r2 * r2);
      const p = fr(fr(r2 * fr(Q0 + fr(Q1 * r))) + fr(r4 * fr(fr(Q2 + fr(Q3 * r)) + fr(Q4 * r2))));
      const s = POW2[(k | 0) + POW2_BIAS]!;
      const e1 = s - 1 + s * (t - c + p);
      out[i] = e1 / (e1 + 2);
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
};

export const log1pKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!);
};

export const expm1Kernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]!);
};

export type CompareCode = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** `compareFast` for one comparison, as a binary op definition's `kernel`. */
export function compareKernel(code: CompareCode): BinaryKernel {
  return (a, _aShape, b, _bShape, out) => compareFast(code, a, b, out);
}

/**
 * Comparisons (1 or 0) with equal shapes or a scalar right operand, as explicit loops (`+(a < b)`
 * converts without a branch), in wasm from WASM_BINARY_MIN elements (the same values).
 * Returns false for other layouts (the caller falls back to the broadcasting map).
 */
export function compareFast(code: CompareCode, a: FloatArray, b: FloatArray, out: FloatArray): boolean {
  const n = out.length;
  if (a.length === n && (b.length === n || b.length === 1) && wasmCompare(code, a, b, out)) return true;
  if (a.length === n && b.length === n) {
    switch (code) {
      case 'eq': for (let i = 0; i < n; i++) out[i] = +(a[i]! === b[i]!); return true;
      case 'ne': for (let i = 0; i < n; i++) out[i] = +(a[i]! !== b[i]!); return true;
      case 'lt': for (let i = 0; i < n; i++) out[i] = +(a[i]! < b[i]!); return true;
      case 'le': for (let i = 0; i < n; i++) out[i] = +(a[i]! <= b[i]!); return true;
      case 'gt': for (let i = 0; i < n; i++) out[i] = +(a[i]! > b[i]!); return true;
      case 'ge': for (let i = 0; i < n; i++) out[i] = +(a[i]! >= b[i]!); return true;
    }
  }
  if (b.length === 1 && a.length === n) {
    const y = b[0]!;
    switch (code) {
      case 'eq': for (let i = 0; i < n; i++) out[i] = +(a[i]! === y); return true;
      case 'ne': for (let i = 0; i < n; i++) out[i] = +(a[i]! !== y); return true;
      case 'lt': for (let i = 0; i < n; i++) out[i] = +(a[i]! < y); return true;
      case 'le': for (let i = 0; i < n; i++) out[i] = +(a[i]! <= y); return true;
      case 'gt': for (let i = 0; i < n; i++) out[i] = +(a[i]! > y); return true;
      case 'ge': for (let i = 0; i < n; i++) out[i] = +(a[i]! >= y); return true;
    }
  }
  return false;
}
