/**
 * Separable gathers: the forward loops of the layout ops whose output index maps to the input index
 * one axis at a time (repeat, repeatInterleave, pad in every mode). Each axis d has a table
 * `maps[d][o_d]`, the input offset (index times stride) that output index o_d reads, or -1 where the
 * output takes the fill value (constant padding). The output element at (o_0, ..., o_{r-1}) is
 * x[sum_d maps[d][o_d]]; the adjoint adds each gradient element back into that offset.
 */
import type { FloatArray } from '../dtype.ts';

/**
 * Calls `visit(base, o)` for each output row (the last axis) in row-major order: `o` is the row's
 * first output offset and `base` the input offset of its outer axes, or -1 when any outer table holds
 * -1 (the whole row is the fill value). Needs rank >= 1.
 */
function forEachRow(maps: readonly Int32Array[], visit: (base: number, o: number) => void): void {
  const rank = maps.length;
  const n = maps[rank - 1]!.length;
  const idx = new Int32Array(rank - 1);
  for (let o = 0; ; o += n) {
    let base = 0;
    let filled = false;
    for (let d = 0; d < rank - 1; d++) {
      const m = maps[d]![idx[d]!]!;
      if (m < 0) filled = true;
      base += m;
    }
    visit(filled ? -1 : base, o);
    let d = rank - 2;
    for (; d >= 0; d--) {
      if (++idx[d]! < maps[d]!.length) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** out[o] = x[sum_d maps[d][o_d]], or `fill` where any table holds -1; `out` has the tables' sizes. */
export function gatherSeparable(x: FloatArray, maps: readonly Int32Array[], fill: number, out: FloatArray): void {
  if (maps.length === 0) {
    out[0] = x[0]!;
    return;
  }
  if (out.length === 0) return;
  const last = maps[maps.length - 1]!;
  const n = last.length;
  forEachRow(maps, (base, o) => {
    if (base < 0) out.fill(fill, o, o + n);
    else {
      for (let j = 0; j < n; j++) {
        const m = last[j]!;
        out[o + j] = m < 0 ? fill : x[base + m]!;
      }
    }
  });
}

/** The adjoint of gatherSeparable: out[sum_d maps[d][o_d]] += g[o] (skipping filled positions); `out` is zeroed. */
export function scatterSeparable(g: FloatArray, maps: readonly Int32Array[], out: FloatArray): void {
  if (maps.length === 0) {
    out[0] = out[0]! + g[0]!;
    return;
  }
  if (g.length === 0) return;
  const last = maps[maps.length - 1]!;
  const n = last.length;
  forEachRow(maps, (base, o) => {
    if (base < 0) return;
    for (let j = 0; j < n; j++) {
      const m = last[j]!;
      if (m >= 0) out[base + m] = out[base + m]! + g[o + j]!;
    }
  });
}

/** Multiplies each table by its axis's stride in `shape` (row-major), leaving -1 as is. */
export function strideMaps(maps: Int32Array[], shape: readonly number[]): Int32Array[] {
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const m = maps[d]!;
    if (stride !== 1) for (let i = 0; i < m.length; i++) if (m[i]! >= 0) m[i] = m[i]! * stride;
    stride *= shape[d]!;
  }
  return maps;
}
