/**
 * The forward loop of the math family's three-input elementwise ops (lerp, addcmul): out[i] =
 * f(a[i], b[i], c[i]) with the three operands broadcast to the output shape. The operands are
 * walked with per-axis strides (0 on a broadcast axis) and an odometer over the output, so no
 * broadcast copy is made.
 */
import type { FloatArray } from '../dtype.ts';

/** Strides of `shape` aligned to the trailing axes of `out`, 0 where an axis is broadcast. */
function alignedStrides(shape: readonly number[], out: readonly number[]): number[] {
  const s = new Array<number>(out.length).fill(0);
  let stride = 1;
  for (let k = shape.length - 1, j = out.length - 1; k >= 0; k--, j--) {
    const d = shape[k]!;
    s[j] = d === 1 ? 0 : stride;
    stride *= d;
  }
  return s;
}

/** out[i] = f(a, b, c) at i, the operands broadcast to `outShape` (their shapes already checked). */
export function ternaryMap(
  a: FloatArray, aShape: readonly number[],
  b: FloatArray, bShape: readonly number[],
  c: FloatArray, cShape: readonly number[],
  out: FloatArray, outShape: readonly number[],
  f: (x: number, y: number, z: number) => number,
): void {
  const n = out.length;
  if (n === 0) return;
  const same = (s: readonly number[]) => s.length === outShape.length && s.every((d, i) => d === outShape[i]);
  if (same(aShape) && same(bShape) && same(cShape)) {
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!, c[i]!);
    return;
  }
  const r = outShape.length;
  const sa = alignedStrides(aShape, outShape);
  const sb = alignedStrides(bShape, outShape);
  const sc = alignedStrides(cShape, outShape);
  const idx = new Array<number>(r).fill(0);
  let ia = 0;
  let ib = 0;
  let ic = 0;
  for (let i = 0; i < n; i++) {
    out[i] = f(a[ia]!, b[ib]!, c[ic]!);
    // advance the odometer: the last axis fastest
    for (let k = r - 1; k >= 0; k--) {
      idx[k]!++;
      ia += sa[k]!;
      ib += sb[k]!;
      ic += sc[k]!;
      if (idx[k]! < outShape[k]!) break;
      ia -= sa[k]! * outShape[k]!;
      ib -= sb[k]! * outShape[k]!;
      ic -= sc[k]! * outShape[k]!;
      idx[k] = 0;
    }
  }
}
