import type { FloatArray } from '../dtype.ts';
import { wasmCompare, wasmUnaryExact, wasmUnaryF32 } from './unary-wasm.ts';

/**
 * Explicit loops for the common unary ops. The generic `unaryOp` forward calls its element
 * function through one shared call site, which V8 cannot inline once many ops use it; these
 * loops inline the arithmetic. In float64 every kernel computes exactly what the element
 * function computes (the same Math calls in the same order), so results are bit-for-bit equal.
 * In float32 the exp-based kernels (exp, sigmoid, tanh) use `expPoly` (a range-reduced polynomial
 * evaluated in double precision, then rounded to float32: within 0.51 ulp of the exact value on
 * the tests' dense grids; sigmoid a shorter fitted polynomial, within 0.531 ulp), and from WASM_UNARY_MIN elements run the same double operations as
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
 * e^x in double precision for the float32 kernels, branch-free: x = k ln2 + r, |r| <= ln2/2, e^r
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
    for (let i = wasmUnaryF32('exp', x, out as Float32Array); i < n; i++) out[i] = expPoly(x[i]!);
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

export const reluKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (wasmUnaryExact('relu', x, out)) return;
  if (isF32(x) && out instanceof Float32Array && (x.byteOffset & 3) === 0) {
    // on the bits: keep v when 1 <= bits <= bits(+Infinity) (v > 0), else +0 (negatives, -0, NaN)
    const xi = new Int32Array(x.buffer, x.byteOffset, n);
    const oi = new Int32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const b = xi[i]!;
      oi[i] = b & -(+((b - 1) >>> 0 < 0x7f800000));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? v : 0;
  }
};

// e^r for |r| <= ln2/2: degree-6 polynomial fitted to e^r (relative error 2.6e-9, about 0.04 float32
// ulp); the coefficients of EXP6 in scripts/elementwise-wat.ts (the wasm sigmoid)
const E0 = 1.0, E1 = 1.0000000379432992, E2 = 0.5000000047401394, E3 = 0.1666641450716956;
const E4 = 0.04166635163844457, E5 = 0.008375210200870016, E6 = 0.0013941213100006334;

/**
 * The stable sigmoid of `stableSigmoid` (activation.ts). Float32: e^-|v| range-reduced as in
 * `expPoly` with the degree-6 polynomial above (four operations fewer than the series, ~10%
 * faster in wasm; within 0.531 ulp of the exact sigmoid on a dense grid of 4Mi points over
 * [-110, 110] and every exponent, 0.503 with the series), the same values as the wasm kernel.
 */
export const sigmoidKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  // e = e^-|v| in (0, 1]; v >= 0: 1 / (1 + e), else e / (1 + e). The branch is a select: m + (1 - m) e
  // is exactly 1 or e (m is 0 or 1), which keeps the loop free of unpredictable jumps.
  if (isF32(x)) {
    for (let i = wasmUnaryF32('sigmoid', x, out as Float32Array); i < n; i++) {
      const v = x[i]!;
      const a = Math.max(-Math.abs(v), -105); // NaN stays NaN (and k becomes 0)
      const k = (a * LOG2E - 0.5) | 0; // a <= 0: truncation is round-to-nearest of a log2(e)
      const r = a - k * LN2;
      const e = (E0 + r * (E1 + r * (E2 + r * (E3 + r * (E4 + r * (E5 + r * E6)))))) * POW2[k + POW2_BIAS]!;
      const m = +(v >= 0);
      out[i] = (m + (1 - m) * e) / (1 + e);
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
 * tanh. Float32: E / (E + 2) with E = e^{2v} - 1 computed as (2^k - 1) + 2^k (e^r - 1), which is
 * accurate near 0 (k = 0 leaves the polynomial r q(r) alone); 2v is clamped to [-40, 40], where
 * tanh is +-1 in float32. Zeros and NaN are passed through.
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
      const y = Math.min(Math.max(2 * v, -40), 40);
      const k = ((y * LOG2E + 64.5) | 0) - 64;
      const r = y - k * LN2;
      const s = POW2[k + POW2_BIAS]!;
      const e1 =
        s - 1 +
        s * (r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320)))))))));
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
