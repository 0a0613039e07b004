/**
 * The core ops' independent references for the property tests: whole-tensor oracles
 * (`OpTest.oracle`) of the reductions, softmax family, shape and indexing ops and matmul, and the
 * elementwise references (`OpTest.reference`) of the comparisons, sign, cast, clone and geluGrad.
 *
 * Nothing here uses a memograd op, kernel or shape helper: every reference walks row-major
 * coordinates with the index helpers below over the inputs' plain values, in float64, so that a
 * kernel bug cannot hide in both the op and its oracle.
 */
import type { OracleInput, OracleOutput } from './define.ts';

// ------------------------------------------------------------------ row-major index helpers

/** The number of elements of a shape (1 for 0-d). */
export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = k;
    k *= shape[d]!;
  }
  return s;
}

/** The coordinates of flat index `i` of `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return c;
}

/** The flat index of coordinates `c` in `shape`. */
export function ravel(c: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + c[d]!;
  return i;
}

/** The broadcast of shapes (right-aligned, size 1 stretches); throws when they do not broadcast. */
export function broadcastShapeOf(...shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let d = 0; d < s.length; d++) {
      const o = d + rank - s.length;
      const n = s[d]!;
      if (n === 1) continue;
      if (out[o] !== 1 && out[o] !== n) throw new Error(`oracle: shapes ${JSON.stringify(shapes)} do not broadcast`);
      out[o] = n;
    }
  }
  return out;
}

/** The flat index in `shape` of the element that broadcasting `shape` to the coordinates `c` reads. */
export function broadcastIndex(c: readonly number[], shape: readonly number[]): number {
  const off = c.length - shape.length;
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + (shape[d] === 1 ? 0 : c[d + off]!);
  return i;
}

/** An axis counted from the end when negative (0 for a 0-d shape). */
const axisOf = (axis: number, rank: number): number => (rank === 0 ? 0 : axis < 0 ? axis + rank : axis);

// ------------------------------------------------------------------ reductions

/**
 * Reduces `axes` of x: the elements that share an output position, in row-major order (so along
 * one axis, in increasing coordinate), folded by `fold`. The output keeps the reduced axes as size
 * 1 with `keepDims`, else drops them.
 */
export function reduceOracle(x: OracleInput, axes: readonly number[], keepDims: boolean, fold: (values: number[]) => number): OracleOutput {
  const reduced = x.shape.map((_, d) => axes.includes(d));
  const kept = x.shape.map((n, d) => (reduced[d] ? 1 : n));
  const groups: number[][] = Array.from({ length: numel(kept) }, () => []);
  for (let i = 0; i < x.data.length; i++) {
    const c = unravel(i, x.shape).map((v, d) => (reduced[d] ? 0 : v));
    groups[ravel(c, kept)]!.push(x.data[i]!);
  }
  return { shape: keepDims ? kept : x.shape.filter((_, d) => !reduced[d]), data: groups.map(fold) };
}

/** Every axis of a shape. */
export const allAxes = (shape: readonly number[]): number[] => shape.map((_, d) => d);

export const sumOf = (v: readonly number[]): number => {
  let s = 0;
  for (const x of v) s += x;
  return s;
};
export const prodOf = (v: readonly number[]): number => {
  let p = 1;
  for (const x of v) p *= x;
  return p;
};
/** The largest value; NaN if any is NaN (PyTorch's amax). */
export const maxOf = (v: readonly number[]): number => {
  let m = -Infinity;
  for (const x of v) {
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
};
/** The smallest value; NaN if any is NaN (PyTorch's amin). */
export const minOf = (v: readonly number[]): number => {
  let m = Infinity;
  for (const x of v) {
    if (Number.isNaN(x)) return NaN;
    if (x < m) m = x;
  }
  return m;
};
/** log Σ e^v, shifted by the max (the max itself when it is ±Infinity). */
export const logSumExpOf = (v: readonly number[]): number => {
  const m = maxOf(v);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
};
/** The p-norm (p > 0 or Infinity). */
export const pNormOf = (v: readonly number[], p: number): number => {
  if (p === Infinity) return maxOf(v.map(Math.abs));
  let s = 0;
  for (const x of v) s += Math.abs(x) ** p;
  return p === 2 ? Math.sqrt(s) : p === 1 ? s : s ** (1 / p);
};
export const meanOf = (v: readonly number[]): number => sumOf(v) / v.length;
/** Σ (v - mean)² / (N - correction). */
export const varianceOf = (v: readonly number[], correction = 1): number => {
  const m = meanOf(v);
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return s / (v.length - correction);
};
/** The position of the first extreme (`better`), a NaN counting as the extreme (PyTorch). */
const argExtremeOf = (better: (a: number, b: number) => boolean) => (v: readonly number[]): number => {
  let best = 0;
  for (let k = 0; k < v.length; k++) {
    if (Number.isNaN(v[k]!)) return k;
    if (better(v[k]!, v[best]!)) best = k;
  }
  return best;
};
export const argmaxOf = argExtremeOf((a, b) => a > b);
export const argminOf = argExtremeOf((a, b) => a < b);

/** argmax/argmin's reference: along `axis`, or over the flattened tensor when it is null. */
export function argOracle(x: OracleInput, axis: number | null, keepDims: boolean, fold: (v: readonly number[]) => number): OracleOutput {
  return reduceOracle(x, axis === null ? allAxes(x.shape) : [axis], keepDims, fold);
}

/** sumTo's reference: each element added into the position of `shape` that broadcasts to it. */
export function sumToOracle(x: OracleInput, shape: readonly number[]): OracleOutput {
  const data = new Array<number>(numel(shape)).fill(0);
  for (let i = 0; i < x.data.length; i++) {
    const o = broadcastIndex(unravel(i, x.shape), shape);
    data[o] = data[o]! + x.data[i]!;
  }
  return { shape: shape.slice(), data };
}

// ------------------------------------------------------------------ lanes (softmax family)

/** Each lane of x along `axis` (negative from the end; a 0-d x is one lane) mapped by `f`, in place of the lane. */
export function laneMap(x: OracleInput, axis: number, f: (lane: number[]) => number[]): OracleOutput {
  const rank = x.shape.length;
  const ax = axisOf(axis, rank);
  const n = rank === 0 ? 1 : x.shape[ax]!;
  const stride = rank === 0 ? 1 : rowMajorStrides(x.shape)[ax]!;
  const data = new Array<number>(x.data.length).fill(NaN);
  for (let i = 0; i < x.data.length; i++) {
    if (rank > 0 && unravel(i, x.shape)[ax] !== 0) continue; // a lane starts where the axis coordinate is 0
    const at = Array.from({ length: n }, (_, k) => i + k * stride);
    const out = f(at.map((p) => x.data[p]!));
    at.forEach((p, k) => (data[p] = out[k]!));
  }
  return { shape: x.shape.slice(), data };
}

/** e^(v - max) / Σ e^(v - max). */
export const softmaxLane = (v: number[]): number[] => {
  const m = maxOf(v);
  const e = v.map((x) => Math.exp(x - m));
  const s = sumOf(e);
  return e.map((x) => x / s);
};
/** v - max - log Σ e^(v - max). */
export const logSoftmaxLane = (v: number[]): number[] => {
  const m = maxOf(v);
  const ls = Math.log(sumOf(v.map((x) => Math.exp(x - m))));
  return v.map((x) => x - m - ls);
};

// ------------------------------------------------------------------ shape and movement ops

/** The same values, row-major, in another shape (reshape, flatten, squeeze, unsqueeze). */
export const reshapeOracle = (x: OracleInput, shape: readonly number[]): OracleOutput => ({ shape: shape.slice(), data: Array.from(x.data) });

/** Output axis i is input axis axes[i]. */
export function permuteOracle(x: OracleInput, axes: readonly number[]): OracleOutput {
  const shape = axes.map((a) => x.shape[a]!);
  const data = new Array<number>(x.data.length);
  for (let o = 0; o < data.length; o++) {
    const oc = unravel(o, shape);
    const ic = new Array<number>(axes.length);
    axes.forEach((a, i) => (ic[a] = oc[i]!));
    data[o] = x.data[ravel(ic, x.shape)]!;
  }
  return { shape, data };
}

/** x broadcast to `shape`. */
export function expandOracle(x: OracleInput, shape: readonly number[]): OracleOutput {
  const data = Array.from({ length: numel(shape) }, (_, o) => x.data[broadcastIndex(unravel(o, shape), x.shape)]!);
  return { shape: shape.slice(), data };
}

/** The inputs joined along an existing axis. */
export function catOracle(xs: readonly OracleInput[], axis: number): OracleOutput {
  const shape = xs[0]!.shape.slice();
  shape[axis] = sumOf(xs.map((x) => x.shape[axis]!));
  const data = new Array<number>(numel(shape));
  for (let o = 0; o < data.length; o++) {
    const c = unravel(o, shape);
    let t = 0;
    while (c[axis]! >= xs[t]!.shape[axis]!) c[axis] = c[axis]! - xs[t++]!.shape[axis]!;
    data[o] = xs[t]!.data[ravel(c, xs[t]!.shape)]!;
  }
  return { shape, data };
}

/** The inputs (of one shape) joined along a new axis. */
export function stackOracle(xs: readonly OracleInput[], axis: number): OracleOutput {
  const inner = xs[0]!.shape;
  const shape = [...inner.slice(0, axis), xs.length, ...inner.slice(axis)];
  const data = new Array<number>(numel(shape));
  for (let o = 0; o < data.length; o++) {
    const c = unravel(o, shape);
    const t = c.splice(axis, 1)[0]!;
    data[o] = xs[t]!.data[ravel(c, inner)]!;
  }
  return { shape, data };
}

/** PyTorch's gather: out[c] = x[c with c[axis] = index[c]] (a 0-d shape counts as [1]). */
export function gatherOracle(x: OracleInput, axis: number, index: ArrayLike<number>, indexShape: readonly number[]): OracleOutput {
  const xs = x.shape.length === 0 ? [1] : x.shape;
  const is = indexShape.length === 0 ? [1] : indexShape;
  const data = new Array<number>(index.length);
  for (let o = 0; o < data.length; o++) {
    const c = unravel(o, is);
    c[axis] = index[o]!;
    data[o] = x.data[ravel(c, xs)]!;
  }
  return { shape: indexShape.slice(), data };
}

/** PyTorch's index_select: the slices of x along `axis` at `index`, in order. */
export function indexSelectOracle(x: OracleInput, axis: number, index: ArrayLike<number>): OracleOutput {
  const shape = x.shape.map((d, i) => (i === axis ? index.length : d));
  const data = new Array<number>(numel(shape));
  for (let o = 0; o < data.length; o++) {
    const c = unravel(o, shape);
    c[axis] = index[c[axis]!]!;
    data[o] = x.data[ravel(c, x.shape)]!;
  }
  return { shape, data };
}

/** where(cond, a, b): a where cond is non-zero, b elsewhere, all three broadcast. */
export function whereOracle(cond: OracleInput, a: OracleInput, b: OracleInput): OracleOutput {
  const shape = broadcastShapeOf(cond.shape, a.shape, b.shape);
  const data = Array.from({ length: numel(shape) }, (_, o) => {
    const c = unravel(o, shape);
    return cond.data[broadcastIndex(c, cond.shape)] !== 0 ? a.data[broadcastIndex(c, a.shape)]! : b.data[broadcastIndex(c, b.shape)]!;
  });
  return { shape, data };
}

// ------------------------------------------------------------------ matrix products

/**
 * NumPy/PyTorch matmul by the triple loop: a 1-D left operand is a row, a 1-D right operand a
 * column (the added axis dropped from the result), batch axes broadcast, and an operand of rank
 * >= 2 read transposed with `transA`/`transB`.
 */
export function matmulOracle(a: OracleInput, b: OracleInput, transA = false, transB = false): OracleOutput {
  const ma = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const mb = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const ta = transA && a.shape.length > 1;
  const tb = transB && b.shape.length > 1;
  const [ar, ac] = [ma[ma.length - 2]!, ma[ma.length - 1]!];
  const [br, bc] = [mb[mb.length - 2]!, mb[mb.length - 1]!];
  const [m, k] = ta ? [ac, ar] : [ar, ac];
  const [k2, n] = tb ? [bc, br] : [br, bc];
  if (k !== k2) throw new Error(`oracle: matmul of ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)}`);
  const aBatch = ma.slice(0, -2);
  const bBatch = mb.slice(0, -2);
  const batch = broadcastShapeOf(aBatch, bBatch);
  const shape = [...batch, ...(a.shape.length > 1 ? [m] : []), ...(b.shape.length > 1 ? [n] : [])];
  const data: number[] = [];
  for (let q = 0; q < numel(batch); q++) {
    const bcoord = unravel(q, batch);
    const aBase = broadcastIndex(bcoord, aBatch) * ar * ac;
    const bBase = broadcastIndex(bcoord, bBatch) * br * bc;
    const A = (i: number, j: number): number => a.data[aBase + (ta ? j * ac + i : i * ac + j)]!;
    const B = (i: number, j: number): number => b.data[bBase + (tb ? j * bc + i : i * bc + j)]!;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
        data.push(s);
      }
    }
  }
  return { shape, data };
}

/** out[i, j] = a[i] b[j]. */
export function outerOracle(a: OracleInput, b: OracleInput): OracleOutput {
  const data: number[] = [];
  for (let i = 0; i < a.data.length; i++) for (let j = 0; j < b.data.length; j++) data.push(a.data[i]! * b.data[j]!);
  return { shape: [a.data.length, b.data.length], data };
}

/** F.linear: out[..., o] = Σ_k x[..., k] w[o, k] + bias[o]. */
export function linearOracle(x: OracleInput, w: OracleInput, bias?: OracleInput): OracleOutput {
  const [outF, inF] = [w.shape[0]!, w.shape[1]!];
  const rows = x.data.length / inF;
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = 0;
      for (let k = 0; k < inF; k++) s += x.data[r * inF + k]! * w.data[o * inF + k]!;
      data.push(bias === undefined ? s : s + bias.data[o]!);
    }
  }
  return { shape: [...x.shape.slice(0, -1), outF], data };
}

// ------------------------------------------------------------------ elementwise references

/** The identity (cast to float64, clone). */
export const identityReference = (v: number): number => v;

/** PyTorch's sign: 1, -1, or 0 for ±0 and NaN (torch.sign(nan) = 0 in 1.13). */
export const signReference = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);

/** The comparisons as 1/0 (NaN compares false, so ne(NaN, ·) is 1). */
export const COMPARE_REFERENCE = {
  eq: (a: number, b: number): number => (a === b ? 1 : 0),
  ne: (a: number, b: number): number => (a === b ? 0 : 1),
  lt: (a: number, b: number): number => (a < b ? 1 : 0),
  le: (a: number, b: number): number => (a <= b ? 1 : 0),
  gt: (a: number, b: number): number => (b < a ? 1 : 0),
  ge: (a: number, b: number): number => (b <= a ? 1 : 0),
} as const;

/**
 * erf by Kummer's series erf(z) = 2/√π e^(-z²) Σ (2z²)^n z / (2n+1)!!, whose terms are all of
 * z's sign (no cancellation); ±1 beyond |z| = 6, where erf rounds to ±1 in float64.
 */
function erfSeries(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (Math.abs(z) >= 6) return Math.sign(z);
  const z2 = 2 * z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 1000 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
}

/** d/dx gelu(x) = Φ(x) + x φ(x), Φ from the series above (NaN at ±Infinity, where x φ(x) is ∞·0, as torch). */
export const geluGradReference = (x: number): number =>
  0.5 * (1 + erfSeries(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
