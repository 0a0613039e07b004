/**
 * Kernels of the scan ops (ops/scan.ts): one pass over contiguous typed arrays, lane by lane.
 *
 * A lane is the run of elements along `axis`: element k of lane (o, i) sits at
 * `o * n * inner + k * inner + i`, where n is the axis' size, `inner` the product of the sizes
 * after it and `o` runs over the product of the sizes before it. The loops walk `o`, then `k`, then
 * `i` innermost, so memory is read in order and each step reads the previous step's row.
 */
import type { FloatArray } from '../dtype.ts';

/** The lane geometry of `shape` along `axis` (a 0-d shape is one lane of one element). */
export interface Lanes {
  /** The product of the sizes before the axis. */
  readonly outer: number;
  /** The axis' size. */
  readonly n: number;
  /** The product of the sizes after the axis (the distance between a lane's elements). */
  readonly inner: number;
}

export function lanesOf(shape: readonly number[], axis: number): Lanes {
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1 };
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return { outer, n: shape[axis]!, inner };
}

/** The combining step of a scan: the new running value from the previous one and the element. */
type Step = (prev: number, v: number) => number;

/**
 * out[k] = x[k] for the first element of each lane, then step(out[k - 1], x[k]) (or from the end
 * of the lane when `reverse`). The step reads the previous output back from `out`, so a float32
 * scan rounds at every step as a float32 accumulator does.
 */
function scanInto(x: ArrayLike<number>, out: FloatArray, { outer, n, inner }: Lanes, reverse: boolean, step: Step): void {
  const block = n * inner;
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    const first = reverse ? base + (n - 1) * inner : base;
    for (let i = 0; i < inner; i++) out[first + i] = x[first + i]!;
    const dir = reverse ? -inner : inner;
    let at = first + dir;
    for (let k = 1; k < n; k++, at += dir) {
      const prev = at - dir;
      for (let i = 0; i < inner; i++) out[at + i] = step(out[prev + i]!, x[at + i]!);
    }
  }
}

/** Running sums along the lanes (from the end of each lane when `reverse`). */
export function cumsumKernel(x: ArrayLike<number>, out: FloatArray, lanes: Lanes, reverse: boolean): void {
  scanInto(x, out, lanes, reverse, (p, v) => p + v);
}

/** Running products along the lanes. */
export function cumprodKernel(x: ArrayLike<number>, out: FloatArray, lanes: Lanes): void {
  scanInto(x, out, lanes, false, (p, v) => p * v);
}

/**
 * log(exp(a) + exp(b)) as PyTorch's `_log_add_exp_helper`: log1p(exp(min - max)) + max, which never
 * overflows; when min === max and both are infinite the answer is that infinity (inf - inf would
 * be NaN). A NaN in either gives NaN.
 */
export function logAddExp(a: number, b: number): number {
  const lo = Number.isNaN(b) ? b : Math.min(a, b);
  const hi = Number.isNaN(b) ? b : Math.max(a, b);
  if (lo !== hi || Number.isFinite(lo)) return Math.log1p(Math.exp(lo - hi)) + hi;
  return a;
}

/** Running log-sum-exp along the lanes (stable: see `logAddExp`). */
export function logCumSumExpKernel(x: ArrayLike<number>, out: FloatArray, lanes: Lanes): void {
  scanInto(x, out, lanes, false, logAddExp);
}

/**
 * The first-order linear recurrence along the lanes, with the coefficient a[k] linking elements
 * k - 1 and k in either direction:
 *   forward:  y[0] = b[0],         y[k] = b[k] + a[k] * y[k - 1];
 *   reverse:  y[n - 1] = b[n - 1], y[k] = b[k] + a[k + 1] * y[k + 1].
 * (a[0] is never read.) The adjoint of either direction is the other one (ops/scan.ts).
 */
export function linearScanKernel(b: ArrayLike<number>, a: ArrayLike<number>, out: FloatArray, { outer, n, inner }: Lanes, reverse: boolean): void {
  const block = n * inner;
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    if (!reverse) {
      for (let i = 0; i < inner; i++) out[base + i] = b[base + i]!;
      for (let k = 1; k < n; k++) {
        const at = base + k * inner;
        for (let i = 0; i < inner; i++) out[at + i] = b[at + i]! + a[at + i]! * out[at - inner + i]!;
      }
    } else {
      const last = base + (n - 1) * inner;
      for (let i = 0; i < inner; i++) out[last + i] = b[last + i]!;
      for (let k = n - 2; k >= 0; k--) {
        const at = base + k * inner;
        for (let i = 0; i < inner; i++) out[at + i] = b[at + i]! + a[at + inner + i]! * out[at + inner + i]!;
      }
    }
  }
}

/**
 * Reads x along every axis from a start position in a direction, wrapping around: out at index
 * (j0, j1, ...) is x at ((start[d] + step[d] * j_d) mod n_d)_d. Flip is start n - 1, step -1; roll
 * by s is start (-s mod n), step 1. One pass over the output with an odometer that updates the
 * source offset incrementally.
 */
export function walkAxesKernel(x: ArrayLike<number>, shape: readonly number[], start: readonly number[], step: readonly number[], out: FloatArray): void {
  const rank = shape.length;
  const size = out.length;
  if (size === 0) return;
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const strides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const pos = start.slice(); // the source coordinate of each axis
  const count = new Array<number>(rank).fill(0); // the output coordinate of each axis
  let src = 0;
  for (let d = 0; d < rank; d++) src += pos[d]! * strides[d]!;
  const last = rank - 1;
  const nLast = shape[last]!;
  const stepLast = step[last]!;
  const strideLast = strides[last]!;
  let o = 0;
  while (o < size) {
    // the innermost axis, written out
    let p = pos[last]!;
    let at = src - p * strideLast;
    for (let j = 0; j < nLast; j++) {
      out[o++] = x[at + p * strideLast]!;
      p += stepLast;
      if (p === nLast) p = 0;
      else if (p < 0) p = nLast - 1;
    }
    // carry into the outer axes; the innermost axis is back at its start
    let d = last - 1;
    for (; d >= 0; d--) {
      const n = shape[d]!;
      let q = pos[d]! + step[d]!;
      if (q === n) q = 0;
      else if (q < 0) q = n - 1;
      src += (q - pos[d]!) * strides[d]!;
      pos[d] = q;
      if (++count[d]! < n) break;
      count[d] = 0;
      // after n steps the coordinate is back at its start (q already is)
    }
    if (d < 0) break;
    at = 0;
  }
}
