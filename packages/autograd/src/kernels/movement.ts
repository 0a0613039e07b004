import type { FloatArray } from '../dtype.ts';
import { stridesOf, type Shape } from '../shape.ts';

/** out = x permuted by `perm` (out's dim i is x's dim perm[i]). */
export function permuteInto(x: FloatArray, shape: Shape, perm: readonly number[], out: FloatArray): void {
  const rank = shape.length;
  const n = x.length;
  if (n === 0) return;
  const xs = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const ps = perm.map((p) => xs[p]!);
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const inner = outShape[rank - 1]!;
  const is = ps[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = x[src + j * is]!;
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      src += ps[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= ps[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * Copies the strided window begin[d] + k*step[d] (k < size[d]) of `x` into `out`; with `scatter`
 * it runs the other way and adds `out` into that window of `x` (the slice's adjoint).
 */
export function sliceInto(
  x: FloatArray,
  shape: Shape,
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
  out: FloatArray,
  scatter: boolean,
): void {
  const rank = shape.length;
  const n = out.length;
  if (n === 0) return;
  const xs = stridesOf(shape);
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d]! * xs[d]!;
  if (rank === 0) {
    if (scatter) x[0] = x[0]! + out[0]!;
    else out[0] = x[0]!;
    return;
  }
  const ss = xs.map((s, d) => s * step[d]!);
  const inner = size[rank - 1]!;
  const is = ss[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let src = base;
  for (let o = 0; o < n; o += inner) {
    if (scatter) for (let j = 0; j < inner; j++) x[src + j * is] = x[src + j * is]! + out[o + j]!;
    else for (let j = 0; j < inner; j++) out[o + j] = x[src + j * is]!;
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      src += ss[d]!;
      if (idx[d]! < size[d]!) break;
      src -= ss[d]! * size[d]!;
      idx[d] = 0;
    }
  }
}
