import type { FloatArray } from '../dtype.ts';

/**
 * Explicit loops for the common unary ops. The generic `unaryOp` forward calls its element
 * function through one shared call site, which V8 cannot inline once many ops use it; these
 * loops inline the arithmetic. In float64 every kernel computes exactly what the element
 * function computes (the same Math calls in the same order), so results are bit-for-bit equal.
 * In float32 the exp-based kernels use `expPoly` (a range-reduced polynomial evaluated in
 * double precision, then rounded to float32: within 1 ulp of the exact value; see the tests).
 */
export type UnaryKernel<P> = (x: FloatArray, out: FloatArray, params: P) => void;

const LOG2E = 1.4426950408889634;
const LN2 = 0.6931471805599453;
// 2^k for k in [-1100, 1100], indexed by k + 1100 (products of subnormals stay exact enough)
const POW2_BIAS = 1100;
const POW2 = new Float64Array(2 * POW2_BIAS + 1);
for (let k = -POW2_BIAS; k <= POW2_BIAS; k++) POW2[k + POW2_BIAS] = Math.pow(2, k);

/**
 * e^x in double precision for x from a float32 (|x| well inside the double range): x = k ln2 + r,
 * |r| <= ln2/2, e^r by its degree-8 Taylor polynomial (relative error < 3e-10, far below a
 * float32 ulp of 6e-8). Not for float64 results: it is not correctly rounded in double.
 */
export function expPoly(x: number): number {
  if (!(x < 89)) return x !== x ? x : Infinity; // e^89 overflows float32
  if (x < -104) return 0; // below float32's smallest subnormal / 2
  const k = Math.floor(x * LOG2E + 0.5);
  const r = x - k * LN2;
  const p =
    1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))));
  return p * POW2[k + POW2_BIAS]!;
}

function isF32(x: FloatArray): x is Float32Array {
  return x instanceof Float32Array;
}

export const expKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (isF32(x)) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (!(v < 89)) out[i] = v !== v ? v : Infinity;
      else if (v < -104) out[i] = 0;
      else {
        const k = Math.floor(v * LOG2E + 0.5);
        const r = v - k * LN2;
        out[i] =
          (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))))) *
          POW2[k + POW2_BIAS]!;
      }
    }
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
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
};

export const negKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = -x[i]!;
};

export const absKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
};

export const squareKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v * v;
  }
};

export const reciprocalKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
};

export const reluKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? v : 0;
  }
};

/** The stable sigmoid of `stableSigmoid` (activation.ts), exp by `expPoly` in float32. */
export const sigmoidKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (isF32(x)) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // e^-|v| is in (0, 1]: only the underflow guard is needed
      const a = v >= 0 ? -v : v;
      let e = 0;
      if (a >= -104) {
        const k = Math.floor(a * LOG2E + 0.5);
        const r = a - k * LN2;
        e =
          (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))))) *
          POW2[k + POW2_BIAS]!;
      } else if (a !== a) e = a;
      out[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
  }
};

/**
 * tanh. Float32: for |v| >= 0.5, sign(v) (1 - 2 / (e^{2|v|} + 1)) with `expPoly` (no
 * cancellation there: tanh(0.5) = 0.46); below, Math.tanh.
 */
export const tanhKernel: UnaryKernel<unknown> = (x, out) => {
  const n = out.length;
  if (isF32(x)) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const a = v >= 0 ? v : -v;
      if (a >= 0.5) {
        let t = 1;
        if (a < 20) {
          const y = 2 * a;
          const k = Math.floor(y * LOG2E + 0.5);
          const r = y - k * LN2;
          const e =
            (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))))) *
            POW2[k + POW2_BIAS]!;
          t = 1 - 2 / (e + 1);
        }
        out[i] = v >= 0 ? t : -t;
      } else out[i] = Math.tanh(v);
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
 * Comparisons (1 or 0) with equal shapes or a scalar right operand, as explicit loops.
 * Returns false for other layouts (the caller falls back to the broadcasting map).
 */
export function compareFast(code: CompareCode, a: FloatArray, b: FloatArray, out: FloatArray): boolean {
  const n = out.length;
  if (a.length === n && b.length === n) {
    switch (code) {
      case 'eq': for (let i = 0; i < n; i++) out[i] = a[i]! === b[i]! ? 1 : 0; return true;
      case 'ne': for (let i = 0; i < n; i++) out[i] = a[i]! !== b[i]! ? 1 : 0; return true;
      case 'lt': for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0; return true;
      case 'le': for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0; return true;
      case 'gt': for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0; return true;
      case 'ge': for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0; return true;
    }
  }
  if (b.length === 1 && a.length === n) {
    const y = b[0]!;
    switch (code) {
      case 'eq': for (let i = 0; i < n; i++) out[i] = a[i]! === y ? 1 : 0; return true;
      case 'ne': for (let i = 0; i < n; i++) out[i] = a[i]! !== y ? 1 : 0; return true;
      case 'lt': for (let i = 0; i < n; i++) out[i] = a[i]! < y ? 1 : 0; return true;
      case 'le': for (let i = 0; i < n; i++) out[i] = a[i]! <= y ? 1 : 0; return true;
      case 'gt': for (let i = 0; i < n; i++) out[i] = a[i]! > y ? 1 : 0; return true;
      case 'ge': for (let i = 0; i < n; i++) out[i] = a[i]! >= y ? 1 : 0; return true;
    }
  }
  return false;
}
