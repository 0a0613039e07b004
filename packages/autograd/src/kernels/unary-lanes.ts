import type { FloatArray } from '../dtype.ts';
import { expF32, expPoly } from './unary.ts';
import { wasmLogSumExpRowsF32, wasmSoftmaxRowsF32 } from './unary-wasm.ts';

/**
 * Softmax, log-softmax and log-sum-exp over contiguous rows of length n (the last axis), as
 * explicit loops. Float64 computes exactly what the strided lane functions in ops/activation.ts
 * and the composed logSumExp in ops/reduce.ts compute; float32 takes e^x from `expPoly` (softmax)
 * or `expF32` (logSumExp: the values of the float32 exp kernel, as the composed version).
 */
export function softmaxRows(src: FloatArray, dst: FloatArray, n: number): void {
  const f32 = src instanceof Float32Array;
  if (f32 && wasmSoftmaxRowsF32(src, dst as Float32Array, n, false)) return;
  for (let off = 0; off < src.length; off += n) {
    const end = off + n;
    let m = -Infinity;
    for (let i = off; i < end; i++) m = Math.max(m, src[i]!);
    if (m === -Infinity) m = 0;
    let total = 0;
    if (f32) {
      for (let i = off; i < end; i++) {
        const e = expPoly(src[i]! - m);
        dst[i] = e;
        total += e;
      }
    } else {
      for (let i = off; i < end; i++) {
        const e = Math.exp(src[i]! - m);
        dst[i] = e;
        total += e;
      }
    }
    for (let i = off; i < end; i++) dst[i] = dst[i]! / total;
  }
}

export function logSoftmaxRows(src: FloatArray, dst: FloatArray, n: number): void {
  const f32 = src instanceof Float32Array;
  if (f32 && wasmSoftmaxRowsF32(src, dst as Float32Array, n, true)) return;
  for (let off = 0; off < src.length; off += n) {
    const end = off + n;
    let m = -Infinity;
    for (let i = off; i < end; i++) m = Math.max(m, src[i]!);
    if (m === -Infinity) m = 0;
    let total = 0;
    if (f32) for (let i = off; i < end; i++) total += expPoly(src[i]! - m);
    else for (let i = off; i < end; i++) total += Math.exp(src[i]! - m);
    const logTotal = Math.log(total);
    for (let i = off; i < end; i++) dst[i] = src[i]! - m - logTotal;
  }
}

/**
 * out[r] = m + log(sum e^{x - m}) over row r, m the row's max (NaN ignored, 0 when not finite).
 * In float32 the shifted values and their exponentials are rounded to float32 as the composed
 * version (x.sub(m).exp() then a sum) stores them.
 */
export function logSumExpRows(src: FloatArray, out: FloatArray, n: number): void {
  const f32 = src instanceof Float32Array;
  if (f32 && wasmLogSumExpRowsF32(src, out as Float32Array, n)) return;
  let r = 0;
  for (let off = 0; off < src.length; off += n, r++) {
    const end = off + n;
    let m = -Infinity;
    for (let i = off; i < end; i++) {
      const v = src[i]!;
      if (v > m) m = v;
    }
    const mk = Number.isFinite(m) ? m : 0;
    let acc = 0;
    if (f32) for (let i = off; i < end; i++) acc += Math.fround(expF32(Math.fround(src[i]! - mk)));
    else for (let i = off; i < end; i++) acc += Math.exp(src[i]! - mk);
    out[r] = mk + Math.log(f32 ? Math.fround(acc) : acc);
  }
}
