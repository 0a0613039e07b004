import type { FloatArray } from '../dtype.ts';
import type { Shape } from '../shape.ts';

/**
 * Reduces `x` over the axes flagged in `reduced` into `out` (which has the kept dims' layout,
 * reduced dims of size 1 or dropped alike). `out` must be pre-filled with the identity.
 * One pass over the input; the output offset moves with the multi-index.
 */
export function reduceInto(
  x: FloatArray,
  shape: Shape,
  reduced: readonly boolean[],
  out: FloatArray,
  combine: (acc: number, v: number) => number,
): void {
  const n = x.length;
  if (n === 0) return;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = combine(out[0]!, x[0]!);
    return;
  }
  // output strides: 0 on reduced axes, row-major over the kept axes
  const os = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (!reduced[d]) {
      os[d] = s;
      s *= shape[d]!;
    }
  }
  const inner = shape[rank - 1]!;
  const oi = os[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  if (oi === 0) {
    // innermost axis reduced: accumulate a run in a local
    for (let i = 0; i < n; i += inner) {
      let acc = out[o]!;
      for (let j = 0; j < inner; j++) acc = combine(acc, x[i + j]!);
      out[o] = acc;
      o = advance(idx, shape, os, o, rank - 2);
    }
  } else {
    for (let i = 0; i < n; i += inner) {
      for (let j = 0; j < inner; j++) out[o + j] = combine(out[o + j]!, x[i + j]!);
      o = advance(idx, shape, os, o, rank - 2);
    }
  }
}

function advance(idx: number[], shape: Shape, os: readonly number[], o: number, from: number): number {
  for (let d = from; d >= 0; d--) {
    idx[d]!++;
    o += os[d]!;
    if (idx[d]! < shape[d]!) return o;
    o -= os[d]! * shape[d]!;
    idx[d] = 0;
  }
  return o;
}
