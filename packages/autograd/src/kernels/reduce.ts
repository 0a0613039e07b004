import type { FloatArray } from '../dtype.ts';
import type { Shape } from '../shape.ts';
import { wasmReduceCols, wasmReduceRuns } from './unary-wasm.ts';

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
  const os = outputStrides(shape, reduced);
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

export type ReduceCode = 'sum' | 'max' | 'min' | 'prod' | 'sumSquares';

/**
 * `reduceInto` with the combine step written out per op (no per-element closure call):
 * sum: acc + v; max: v > acc || v is NaN ? v : acc; min likewise; prod: acc * v; sumSquares: acc + v*v.
 *
 * When every output reduces one contiguous block of k > 1 elements (the reduced axes of size > 1
 * all come after the kept ones: all axes, the last axis, ...), sum, max and min reduce each block
 * in one go, in wasm SIMD from a size threshold (unary-wasm.ts wasmReduceRuns), else in a JS loop;
 * the block is accumulated in double and stored into `out` once. There, max and min give the same
 * values as `reduceInto` (any NaN gives NaN), except that of +0 and -0 either may come out; the
 * sum is rounded differently (in wasm: interleaved partial sums), within the error bound of any
 * summation order, and more accurately in float32 (one rounding to float32 per output, not one
 * per innermost run). Otherwise (and for prod, sumSquares) the traversal, the accumulation order
 * and the points where partial results are stored into `out` (and so rounded to its dtype) are
 * exactly those of `reduceInto`, so results are bit-for-bit equal, except that one reduced group
 * of axes followed by kept axes ([mid, inner], [outer, mid, inner]: sum over axis 0, ...) goes to
 * wasm from the threshold (wasmReduceCols): each output accumulated in double, in order, and
 * stored once (max/min: the same values, either zero sign).
 */
export function reduceFast(
  code: ReduceCode,
  x: FloatArray,
  shape: Shape,
  reduced: readonly boolean[],
  out: FloatArray,
): void {
  const n = x.length;
  if (n === 0) return;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = combineOne(code, out[0]!, x[0]!);
    return;
  }
  if (code === 'sum' || code === 'max' || code === 'min') {
    const k = contiguousRun(shape, reduced);
    if (k > 1) {
      // output o reduces the contiguous block x[o k, (o + 1) k): in wasm, else one JS run per output
      if (wasmReduceRuns(code, x, k, out)) return;
      for (let i = 0, o = 0; i < n; i += k, o++) out[o] = runInto(code, x, i, i + k, out[o]!);
      return;
    }
    // one reduced group of axes between kept ones ([mid, inner] or [outer, mid, inner]): in wasm
    const cl = columnLayout(shape, reduced);
    if (cl !== null && wasmReduceCols(code, x, cl[0], cl[1], cl[2], out)) return;
  }
  const os = outputStrides(shape, reduced);
  const inner = shape[rank - 1]!;
  const oi = os[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  if (oi === 0) {
    for (let i = 0; i < n; i += inner) {
      out[o] = runInto(code, x, i, i + inner, out[o]!);
      o = advance(idx, shape, os, o, rank - 2);
    }
  } else {
    for (let i = 0; i < n; i += inner) {
      rowInto(code, x, i, out, o, inner);
      o = advance(idx, shape, os, o, rank - 2);
    }
  }
}

function combineOne(code: ReduceCode, a: number, v: number): number {
  switch (code) {
    case 'sum': return a + v;
    case 'max': return v > a || v !== v ? v : a;
    case 'min': return v < a || v !== v ? v : a;
    case 'prod': return a * v;
    case 'sumSquares': return a + v * v;
  }
}

/** Folds x[start..end) into acc, in order. */
function runInto(code: ReduceCode, x: FloatArray, start: number, end: number, acc: number): number {
  switch (code) {
    case 'sum':
      for (let i = start; i < end; i++) acc += x[i]!;
      return acc;
    case 'max':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        if (v > acc || v !== v) acc = v;
      }
      return acc;
    case 'min':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        if (v < acc || v !== v) acc = v;
      }
      return acc;
    case 'prod':
      for (let i = start; i < end; i++) acc *= x[i]!;
      return acc;
    case 'sumSquares':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        acc += v * v;
      }
      return acc;
  }
}

/** out[o + j] = combine(out[o + j], x[i + j]) for j < k. */
function rowInto(code: ReduceCode, x: FloatArray, i: number, out: FloatArray, o: number, k: number): void {
  switch (code) {
    case 'sum':
      for (let j = 0; j < k; j++) out[o + j] = out[o + j]! + x[i + j]!;
      return;
    case 'max':
      for (let j = 0; j < k; j++) {
        const v = x[i + j]!;
        const a = out[o + j]!;
        out[o + j] = v > a || v !== v ? v : a;
      }
      return;
    case 'min':
      for (let j = 0; j < k; j++) {
        const v = x[i + j]!;
        const a = out[o + j]!;
        out[o + j] = v < a || v !== v ? v : a;
      }
      return;
    case 'prod':
      for (let j = 0; j < k; j++) out[o + j] = out[o + j]! * x[i + j]!;
      return;
    case 'sumSquares':
      for (let j = 0; j < k; j++) {
        const v = x[i + j]!;
        out[o + j] = out[o + j]! + v * v;
      }
      return;
  }
}

/**
 * k when each output reduces one contiguous block of k input elements (no kept axis of size > 1
 * after a reduced axis of size > 1), else 0.
 */
function contiguousRun(shape: Shape, reduced: readonly boolean[]): number {
  let k = 1;
  let kept = false;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    if (s === 1) continue;
    if (!reduced[d]) kept = true;
    else if (kept) return 0;
    else k *= s;
  }
  return k;
}

/**
 * [outer, mid, inner] when, ignoring axes of size 1, the axes form kept / reduced / kept groups
 * (the first possibly empty, outer = 1) with the last group kept, else null.
 */
function columnLayout(shape: Shape, reduced: readonly boolean[]): [number, number, number] | null {
  const flags: boolean[] = [];
  const sizes: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d]!;
    if (s === 1) continue;
    if (flags.length > 0 && flags[flags.length - 1] === reduced[d]) sizes[sizes.length - 1]! *= s;
    else {
      flags.push(!!reduced[d]);
      sizes.push(s);
    }
  }
  if (flags.length === 2 && flags[0] && !flags[1]) return [1, sizes[0]!, sizes[1]!];
  if (flags.length === 3 && !flags[0] && flags[1] && !flags[2]) return [sizes[0]!, sizes[1]!, sizes[2]!];
  return null;
}

/** Strides into the reduced output: 0 on reduced axes, row-major over the kept axes. */
function outputStrides(shape: Shape, reduced: readonly boolean[]): number[] {
  const os = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (!reduced[d]) {
      os[d] = s;
      s *= shape[d]!;
    }
  }
  return os;
}
