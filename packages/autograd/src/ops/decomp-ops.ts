/**
 * The primitive decomposition ops (det, logAbsDet, inv, solve, cholesky, qr, eigh, svd, svdvals,
 * pinv): shape rules, forward kernels (kernels/decomp-kernels.ts, per matrix of the batch, in
 * float64) and backward rules written with Tensor ops, so that gradients of gradients work.
 *
 * Ops with several differentiable outputs (qr, eigh, svd) are one primitive whose output packs the
 * parts along a last axis ([...batch, P]); the public functions slice the parts out with
 * differentiable views, so the backward rule receives every part's adjoint in one tensor (zeros for
 * the parts the loss does not use; an all-zero part counts as unused, as PyTorch's undefined ones).
 */
import { allocate, type DType } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ArgumentError, ShapeError } from '../errors.ts';
import {
  allFinite, choleskyLower, hasNaN, householderQR, jacobiEigh, jacobiSVD, luFactor, luSolve, readMatrix,
} from '../kernels/decomp-kernels.ts';
import { broadcastShapes, formatShape, sizeOf, type Shape } from '../shape.ts';
import { rawTensor, type Tensor } from '../tensor.ts';
import { defineOp } from './define.ts';
import { add, div, mul, neg, sub } from './elementwise.ts';
import { matmul } from './linalg.ts';
import { cat, reshape, slice, transpose, unsqueeze } from './shape-ops.ts';
import { sum } from './reduce.ts';

// ------------------------------------------------------------------ shapes and small Tensor helpers

/** Throws unless `s` is a (batch of) square matrices; returns n. */
export function checkSquare(op: string, s: Shape, arg = 'A'): number {
  if (s.length < 2) throw new ShapeError(op, `${arg} must be a matrix or a batch of matrices (at least 2 dimensions), got ${formatShape(s)}`, [s]);
  const n = s[s.length - 1]!;
  if (s[s.length - 2] !== n) throw new ShapeError(op, `${arg} must be a batch of square matrices, got ${formatShape(s)}`, [s]);
  return n;
}

/** Throws unless `s` is a (batch of) matrices; returns [m, n]. */
export function checkMatrix(op: string, s: Shape, arg = 'A'): [number, number] {
  if (s.length < 2) throw new ShapeError(op, `${arg} must be a matrix or a batch of matrices (at least 2 dimensions), got ${formatShape(s)}`, [s]);
  return [s[s.length - 2]!, s[s.length - 1]!];
}

const batchCount = (s: Shape): number => sizeOf(s.slice(0, -2));

/** The matrix transpose (last two axes). */
export const mT = (x: Tensor): Tensor => transpose(x, -2, -1);

/** A constant of the given values and shape (no gradient). */
function constant(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const d = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) d[i] = values[i]!;
  return rawTensor(d, shape, dtype);
}

/** The n×n identity (a constant). */
export function identity(n: number, dtype: DType): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return constant(d, [n, n], dtype);
}

/** The lower-triangle mask (1 where j <= i + offset). */
function trilMask(n: number, offset: number, dtype: DType): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j <= i + offset) d[i * n + j] = 1;
  return constant(d, [n, n], dtype);
}

/** tril(X, offset) of a batch of n×n matrices, as a product with a constant mask. */
export const tril = (x: Tensor, offset = 0): Tensor => mul(x, trilMask(x.shape[x.rank - 1]!, offset, x.dtype));

/** [..., k] -> [..., k, k] with the vector on the diagonal. */
export const diagEmbed = (v: Tensor): Tensor => mul(unsqueeze(v, -1), identity(v.shape[v.rank - 1]!, v.dtype));

/** Whether every element is exactly zero (an unused part of a packed adjoint). */
const isZero = (t: Tensor): boolean => t.data.every((v) => v === 0);

/** Part `[start, start + size)` of the packed last axis of `x`, reshaped to `[...batch, ...dims]`. */
export function part(x: Tensor, start: number, dims: readonly number[]): Tensor {
  const lead = x.shape.slice(0, -1);
  const size = dims.reduce((a, b) => a * b, 1);
  const s = slice(x, [...lead.map(() => 0), start], [...lead, size]);
  return reshape(s, [...lead, ...dims]);
}

/** Runs `f` over each matrix of the batch, with the matrix read into a float64 scratch array. */
function eachMatrix(x: Tensor, rows: number, cols: number, f: (a: Float64Array, b: number) => void): void {
  const size = rows * cols;
  const nb = batchCount(x.shape);
  const scratch = new Float64Array(size);
  for (let b = 0; b < nb; b++) f(readMatrix(x.data, b * size, size, scratch), b);
}

// ------------------------------------------------------------------ det, logAbsDet (slogdet), inv

/** det of one matrix, 0 when exactly singular, NaN when it holds a NaN. */
function detOf(a: Float64Array, n: number, piv: Int32Array): number {
  if (hasNaN(a)) return NaN;
  const sign = luFactor(a, n, piv);
  if (sign === 0) return 0;
  let d = sign;
  for (let i = 0; i < n; i++) d *= a[i * n + i]!;
  return d;
}

/** The cofactor matrix (adjugate transposed) as a composite of dets of minors: the gradient of det at a singular matrix. */
function cofactor(a: Tensor): Tensor {
  const n = a.shape[a.rank - 1]!;
  if (n === 1) return add(mul(a, 0), 1);
  const rows: Tensor[] = [];
  const lead = a.shape.slice(0, -2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const keepR = Array.from({ length: n }, (_, r) => r).filter((r) => r !== i);
      const keepC = Array.from({ length: n }, (_, c) => c).filter((c) => c !== j);
      // the minor, assembled from slices (differentiable, so det's gradient is differentiable again)
      const parts = keepR.map((r) => keepC.map((c) => slice(a, [...lead.map(() => 0), r, c], [...lead, 1, 1])));
      const flat = parts.flat().map((t) => reshape(t, [...lead, 1]));
      const minor = reshape(catLast(flat), [...lead, n - 1, n - 1]);
      const d = det(minor);
      rows.push(reshape((i + j) % 2 === 0 ? d : neg(d), [...lead, 1]));
    }
  }
  return reshape(catLast(rows), [...lead, n, n]);
}

/** Concatenation along the last axis. */
const catLast = (xs: readonly Tensor[]): Tensor => cat(xs, xs[0]!.rank - 1);

export const detOp = defineOp({
  name: 'det',
  inputs: ['A'],
  saves: [0, 'out'],
  shape: ([a]) => {
    checkSquare('det', a!);
    return a!.slice(0, -2);
  },
  forward: ([a], _p, shape) => {
    const n = a!.shape[a!.rank - 1]!;
    const out = allocate(a!.dtype, sizeOf(shape));
    const piv = new Int32Array(n);
    eachMatrix(a!, n, n, (m, b) => { out[b] = detOf(m, n, piv); });
    return out;
  },
  // d det = det · tr(A⁻¹ dA): gA = g det A⁻ᵀ; at an exactly singular matrix the cofactor matrix
  // (the adjugate transposed, the limit of det A⁻ᵀ), as PyTorch
  backward: ({ grad, inputs: [a], out }) => {
    const g = unsqueeze(unsqueeze(grad, -1), -1);
    if (out.data.some((v) => v === 0)) return [mul(g, cofactor(a!))];
    return [mul(mul(g, unsqueeze(unsqueeze(out, -1), -1)), mT(inv(a!)))];
  },
  test: null, // set in decomp.ts (the registry entry's test description)
});

/** det of a batch of square matrices. */
export function det(a: Tensor): Tensor {
  return apply(detOp, [a], undefined);
}

export const logAbsDetOp = defineOp({
  name: 'slogdet',
  inputs: ['A'],
  saves: [0],
  shape: ([a]) => {
    checkSquare('slogdet', a!);
    return a!.slice(0, -2);
  },
  forward: ([a], _p, shape) => {
    const n = a!.shape[a!.rank - 1]!;
    const out = allocate(a!.dtype, sizeOf(shape));
    const piv = new Int32Array(n);
    eachMatrix(a!, n, n, (m, b) => { out[b] = slogdetOf(m, n, piv)[1]; });
    return out;
  },
  // d log|det A| = tr(A⁻¹ dA): gA = g A⁻ᵀ
  backward: ({ grad, inputs: [a] }) => [mul(unsqueeze(unsqueeze(grad, -1), -1), mT(inv(a!)))],
  test: null,
});

/** [sign, log|det|] of one matrix: [0, -Infinity] when exactly singular, NaNs when it holds a NaN. */
export function slogdetOf(a: Float64Array, n: number, piv: Int32Array): [number, number] {
  if (hasNaN(a)) return [NaN, NaN];
  let sign = luFactor(a, n, piv);
  if (sign === 0) return [0, -Infinity];
  let log = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i * n + i]!;
    if (d < 0) sign = -sign;
    log += Math.log(Math.abs(d));
  }
  return [sign, log];
}

/** The sign of det (no gradient), computed alongside slogdet. */
export function detSign(a: Tensor): Tensor {
  const n = a.shape[a.rank - 1]!;
  const out = allocate(a.dtype, batchCount(a.shape));
  const piv = new Int32Array(n);
  eachMatrix(a, n, n, (m, b) => { out[b] = slogdetOf(m, n, piv)[0]; });
  return rawTensor(out, a.shape.slice(0, -2), a.dtype);
}

export const invOp = defineOp({
  name: 'inv',
  inputs: ['A'],
  saves: ['out'],
  shape: ([a]) => {
    checkSquare('inv', a!);
    return a!.slice();
  },
  forward: ([a]) => {
    const n = a!.shape[a!.rank - 1]!;
    const out = allocate(a!.dtype, a!.size);
    const piv = new Int32Array(n);
    const x = new Float64Array(n * n);
    eachMatrix(a!, n, n, (m, b) => {
      if (hasNaN(m)) {
        out.fill(NaN, b * n * n, (b + 1) * n * n);
        return;
      }
      if (luFactor(m, n, piv) === 0) throw singular('inv', a!, b);
      x.fill(0);
      for (let i = 0; i < n; i++) x[i * n + i] = 1;
      luSolve(m, n, piv, x, n);
      out.set(x, b * n * n);
    });
    return out;
  },
  // d A⁻¹ = -A⁻¹ dA A⁻¹: gA = -A⁻ᵀ G A⁻ᵀ
  backward: ({ grad, out }) => [neg(matmul(matmul(mT(out), grad), mT(out)))],
  test: null,
});

function singular(op: string, a: Tensor, b: number): ArgumentError {
  const where = a.rank > 2 ? ` (batch element ${b})` : '';
  return new ArgumentError(op, `the matrix${where} is singular (a pivot of its LU factorisation is exactly zero), so it has no inverse`);
}

/** The inverse of a batch of square matrices. */
export function inv(a: Tensor): Tensor {
  return apply(invOp, [a], undefined);
}

// ------------------------------------------------------------------ solve (matrix right-hand sides)

export const solveOp = defineOp({
  name: 'solve',
  inputs: ['A', 'B'],
  saves: [0, 'out'],
  shape: ([a, b]) => {
    const n = checkSquare('solve', a!);
    const [rows, k] = checkMatrix('solve', b!, 'B');
    if (rows !== n) throw new ShapeError('solve', `B must have ${n} rows for A of shape ${formatShape(a!)}, got ${formatShape(b!)}`, [a!, b!]);
    return [...broadcastShapes('solve', a!.slice(0, -2), b!.slice(0, -2)), n, k];
  },
  forward: ([a, bm], _p, shape) => {
    const n = a!.shape[a!.rank - 1]!;
    const k = bm!.shape[bm!.rank - 1]!;
    const out = allocate(a!.dtype, sizeOf(shape));
    const batch = shape.slice(0, -2);
    const nb = sizeOf(batch);
    const aIdx = batchIndex(a!.shape.slice(0, -2), batch);
    const bIdx = batchIndex(bm!.shape.slice(0, -2), batch);
    const piv = new Int32Array(n);
    const lu = new Float64Array(n * n);
    const x = new Float64Array(n * k);
    let factored = -1;
    let ok = true;
    let nan = false;
    for (let i = 0; i < nb; i++) {
      const ai = aIdx[i]!;
      if (ai !== factored) {
        readMatrix(a!.data, ai * n * n, n * n, lu);
        nan = hasNaN(lu);
        ok = nan || luFactor(lu, n, piv) !== 0;
        factored = ai;
      }
      if (!ok) throw singular('solve', a!, ai);
      if (nan) {
        out.fill(NaN, i * n * k, (i + 1) * n * k);
        continue;
      }
      readMatrix(bm!.data, bIdx[i]! * n * k, n * k, x);
      luSolve(lu, n, piv, x, k);
      out.set(x, i * n * k);
    }
    return out;
  },
  // X = A⁻¹B: gB = A⁻ᵀ G (a solve with Aᵀ), gA = -gB Xᵀ (the engine sums broadcast batches down)
  backward: ({ grad, inputs: [a], out }) => {
    const gB = solveMatrix(mT(a!), grad);
    return [neg(matmul(gB, mT(out))), gB];
  },
  test: null,
});

/** For each batch element of `target`, the index of the matrix of a batch of shape `own` broadcast to it. */
function batchIndex(own: readonly number[], target: readonly number[]): Int32Array {
  const nb = sizeOf(target);
  const out = new Int32Array(nb);
  const off = target.length - own.length;
  for (let i = 0; i < nb; i++) {
    let r = i;
    let idx = 0;
    let stride = 1;
    for (let d = target.length - 1; d >= 0; d--) {
      const q = r % target[d]!;
      r = Math.floor(r / target[d]!);
      if (d >= off) {
        const size = own[d - off]!;
        idx += (size === 1 ? 0 : q) * stride;
        stride *= size;
      }
    }
    out[i] = idx;
  }
  return out;
}

/** A X = B for a batch of matrix right-hand sides. */
export function solveMatrix(a: Tensor, b: Tensor): Tensor {
  return apply(solveOp, [a, b], undefined);
}

// ------------------------------------------------------------------ cholesky

export const choleskyOp = defineOp({
  name: 'cholesky',
  inputs: ['A'],
  saves: ['out'],
  shape: ([a]) => {
    checkSquare('cholesky', a!);
    return a!.slice();
  },
  forward: ([a]) => {
    const n = a!.shape[a!.rank - 1]!;
    const out = allocate(a!.dtype, a!.size);
    const l = new Float64Array(n * n);
    eachMatrix(a!, n, n, (m, b) => {
      const bad = choleskyLower(m, n, l);
      if (bad >= 0) {
        const where = a!.rank > 2 ? `batch element ${b}: ` : '';
        throw new ArgumentError('cholesky', `${where}the matrix is not positive-definite (its leading minor of order ${bad} is not positive-definite)`);
      }
      out.set(l, b * n * n);
    });
    return out;
  },
  // Murray 2016 (PyTorch's form): P = tril(Lᵀ Ḡ), Φ = (P + tril(P, -1)ᵀ)/2, gA = L⁻ᵀ Φ L⁻¹ (symmetric)
  backward: ({ grad, out }) => {
    const p = tril(matmul(mT(out), grad));
    const phi = mul(add(p, mT(tril(p, -1))), 0.5);
    const li = inv(out);
    return [matmul(matmul(mT(li), phi), li)];
  },
  test: null,
});

// ------------------------------------------------------------------ qr (reduced)

export const qrOp = defineOp({
  name: 'qr',
  inputs: ['A'],
  saves: ['out'],
  shape: ([a]) => {
    const [m, n] = checkMatrix('qr', a!);
    const k = Math.min(m, n);
    return [...a!.slice(0, -2), m * k + k * n];
  },
  forward: ([a], _p, shape) => {
    const [m, n] = [a!.shape[a!.rank - 2]!, a!.shape[a!.rank - 1]!];
    const k = Math.min(m, n);
    const out = allocate(a!.dtype, sizeOf(shape));
    const q = new Float64Array(m * k);
    const r = new Float64Array(k * n);
    const per = m * k + k * n;
    eachMatrix(a!, m, n, (x, b) => {
      const finite = allFinite(x);
      if (!finite) x.fill(0);
      householderQR(x, m, n, q, r);
      if (!finite) {
        // as PyTorch: NaN everywhere but R's structural zeros
        q.fill(NaN);
        for (let i = 0; i < k; i++) for (let c = i; c < n; c++) r[i * n + c] = NaN;
      }
      out.set(q, b * per);
      out.set(r, b * per + m * k);
    });
    return out;
  },
  // m >= n: M = R gRᵀ - gQᵀ Q, gA = (gQ + Q copyltu(M)) R⁻ᵀ; m < n: A = [X | Y], R = [U | V] with
  // X = QU square: gY = Q gV and gX the square rule for (gQ + Y gVᵀ, gU) (PyTorch's linalg_qr_backward)
  backward: ({ grad, inputs: [a], out }) => {
    const [m, n] = [a!.shape[a!.rank - 2]!, a!.shape[a!.rank - 1]!];
    const k = Math.min(m, n);
    const q = part(out, 0, [m, k]);
    const r = part(out, m * k, [k, n]);
    const gQ = part(grad, 0, [m, k]);
    const gR = part(grad, m * k, [k, n]);
    const lead = a!.shape.slice(0, -2).map(() => 0);
    const tallRule = (gq: Tensor, gr: Tensor, rr: Tensor): Tensor => {
      const mm = sub(matmul(rr, mT(gr)), matmul(mT(gq), q));
      const copyltu = add(tril(mm), mT(tril(mm, -1)));
      return matmul(add(gq, matmul(q, copyltu)), mT(inv(rr)));
    };
    if (m >= n) return [tallRule(gQ, gR, r)];
    const u = slice(r, [...lead, 0, 0], [...a!.shape.slice(0, -2), m, m]);
    const gU = slice(gR, [...lead, 0, 0], [...a!.shape.slice(0, -2), m, m]);
    const gV = slice(gR, [...lead, 0, m], [...a!.shape.slice(0, -2), m, n - m]);
    const y = slice(a!, [...lead, 0, m], [...a!.shape.slice(0, -2), m, n - m]);
    const gX = tallRule(add(gQ, matmul(y, mT(gV))), gU, u);
    const gY = matmul(q, gV);
    return [catLast2(gX, gY)];
  },
  test: null,
});

/** [X | Y] along the last axis. */
const catLast2 = (x: Tensor, y: Tensor): Tensor => catLast([x, y]);

// ------------------------------------------------------------------ eigh

export const eighOp = defineOp({
  name: 'eigh',
  inputs: ['A'],
  saves: ['out'],
  shape: ([a]) => {
    const n = checkSquare('eigh', a!);
    return [...a!.slice(0, -2), n + n * n];
  },
  forward: ([a], _p, shape) => {
    const n = a!.shape[a!.rank - 1]!;
    const out = allocate(a!.dtype, sizeOf(shape));
    const w = new Float64Array(n);
    const v = new Float64Array(n * n);
    const per = n + n * n;
    eachMatrix(a!, n, n, (x, b) => {
      // the lower triangle only is read: the upper may hold anything
      let finite = true;
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) if (!Number.isFinite(x[i * n + j]!)) finite = false;
      if (!finite) {
        out.fill(NaN, b * per, (b + 1) * per);
        return;
      }
      jacobiEigh(x, n, w, v);
      out.set(w, b * per);
      out.set(v, b * per + n);
    });
    return out;
  },
  // gA = V (diag(gλ) + skew(Vᵀ gV)/E) Vᵀ with skew(X) = (X - Xᵀ)/2 and E_ij = λ_j - λ_i (PyTorch's
  // linalg_eig_backward, hermitian); defined for distinct eigenvalues
  backward: ({ grad, inputs: [a], out }) => {
    const n = a!.shape[a!.rank - 1]!;
    const lam = part(out, 0, [n]);
    const v = part(out, n, [n, n]);
    const gL = part(grad, 0, [n]);
    const gV = part(grad, n, [n, n]);
    let inner = diagEmbed(gL);
    if (!isZero(gV)) {
      const vtg = matmul(mT(v), gV);
      const skew = mul(sub(vtg, mT(vtg)), 0.5);
      const e = add(sub(unsqueeze(lam, -2), unsqueeze(lam, -1)), identity(n, a!.dtype));
      inner = add(inner, div(skew, e));
    }
    return [matmul(matmul(v, inner), mT(v))];
  },
  test: null,
});

// ------------------------------------------------------------------ svd, svdvals

/** The float64 SVD of every matrix of a batch into a packed [U | S | Vh] array (NaN for non-finite input). */
function svdPacked(a: Tensor, dtype: DType, withVectors: boolean): Float64Array | Float32Array {
  const [m, n] = [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const k = Math.min(m, n);
  const per = withVectors ? m * k + k + k * n : k;
  const out = allocate(dtype, batchCount(a.shape) * per);
  const u = new Float64Array(m * k);
  const s = new Float64Array(k);
  const vh = new Float64Array(k * n);
  eachMatrix(a, m, n, (x, b) => {
    if (!allFinite(x)) {
      out.fill(NaN, b * per, (b + 1) * per);
      return;
    }
    jacobiSVD(x, m, n, u, s, vh);
    if (!withVectors) {
      out.set(s, b * per);
      return;
    }
    out.set(u, b * per);
    out.set(s, b * per + m * k);
    out.set(vh, b * per + m * k + k);
  });
  return out;
}

export const svdOp = defineOp({
  name: 'svd',
  inputs: ['A'],
  saves: ['out'],
  shape: ([a]) => {
    const [m, n] = checkMatrix('svd', a!);
    const k = Math.min(m, n);
    return [...a!.slice(0, -2), m * k + k + k * n];
  },
  forward: ([a]) => svdPacked(a!, a!.dtype, true),
  // PyTorch's svd_backward (real, reduced), with E_ij = S_j² - S_i² and skew(X) = X - Xᵀ:
  // gA_k = (skew(Uᵀ gU) S_j + S_i skew(Vh gVhᵀ)) / E + diag(gS), then the parts outside span(U), span(V)
  backward: ({ grad, inputs: [a], out }) => {
    const [m, n] = [a!.shape[a!.rank - 2]!, a!.shape[a!.rank - 1]!];
    const k = Math.min(m, n);
    const u = part(out, 0, [m, k]);
    const s = part(out, m * k, [k]);
    const vh = part(out, m * k + k, [k, n]);
    const gU = part(grad, 0, [m, k]);
    const gS = part(grad, m * k, [k]);
    const gVh = part(grad, m * k + k, [k, n]);
    const useU = !isZero(gU);
    const useV = !isZero(gVh);
    if (!useU && !useV) return [matmul(mul(u, unsqueeze(gS, -2)), vh)];
    const s2 = mul(s, s);
    const e = add(sub(unsqueeze(s2, -2), unsqueeze(s2, -1)), identity(k, a!.dtype));
    let num: Tensor | null = null;
    if (useU) {
      const x = matmul(mT(u), gU);
      num = mul(sub(x, mT(x)), unsqueeze(s, -2));
    }
    if (useV) {
      const x = matmul(vh, mT(gVh));
      const t = mul(unsqueeze(s, -1), sub(x, mT(x)));
      num = num === null ? t : add(num, t);
    }
    const gk = add(div(num!, e), diagEmbed(gS));
    if (m > k && useU) {
      const gUSinv = div(gU, unsqueeze(s, -2));
      const inner = sub(add(matmul(u, gk), gUSinv), matmul(u, matmul(mT(u), gUSinv)));
      return [matmul(inner, vh)];
    }
    if (n > k && useV) {
      const sinvgVh = div(gVh, unsqueeze(s, -1));
      const inner = sub(add(matmul(gk, vh), sinvgVh), matmul(matmul(sinvgVh, mT(vh)), vh));
      return [matmul(u, inner)];
    }
    return [matmul(matmul(u, gk), vh)];
  },
  test: null,
});

export const svdvalsOp = defineOp({
  name: 'svdvals',
  inputs: ['A'],
  saves: [0],
  shape: ([a]) => {
    const [m, n] = checkMatrix('svdvals', a!);
    return [...a!.slice(0, -2), Math.min(m, n)];
  },
  forward: ([a]) => svdPacked(a!, a!.dtype, false),
  // dσ_i = u_iᵀ dA v_i: gA = U diag(g) Vh, with U and Vh from a recorded svd (so it differentiates again)
  backward: ({ grad, inputs: [a] }) => {
    const [m, n] = [a!.shape[a!.rank - 2]!, a!.shape[a!.rank - 1]!];
    const k = Math.min(m, n);
    const packed = apply(svdOp, [a!], undefined);
    return [matmul(mul(part(packed, 0, [m, k]), unsqueeze(grad, -2)), part(packed, m * k + k, [k, n]))];
  },
  test: null,
});

// ------------------------------------------------------------------ pinv

export interface PinvParams {
  rtol: number | null;
  atol: number;
}

export const pinvOp = defineOp<PinvParams>({
  name: 'pinv',
  inputs: ['A'],
  saves: [0, 'out'],
  shape: ([a], p) => {
    const [m, n] = checkMatrix('pinv', a!);
    if (p === null || typeof p !== 'object' || !(p.rtol === null || (Number.isFinite(p.rtol) && p.rtol >= 0)) || !(Number.isFinite(p.atol) && p.atol >= 0)) {
      throw new ArgumentError('pinv', `rtol and atol must be finite non-negative numbers`);
    }
    return [...a!.slice(0, -2), n, m];
  },
  forward: ([a], { rtol, atol }, shape) => {
    const [m, n] = [a!.shape[a!.rank - 2]!, a!.shape[a!.rank - 1]!];
    const k = Math.min(m, n);
    const eps = a!.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
    // PyTorch: rtol defaults to eps·max(m, n), or 0 when only atol is given
    const r = rtol ?? (atol > 0 ? 0 : eps * Math.max(m, n));
    const out = allocate(a!.dtype, sizeOf(shape));
    const u = new Float64Array(m * k);
    const s = new Float64Array(k);
    const vh = new Float64Array(k * n);
    eachMatrix(a!, m, n, (x, b) => {
      if (!allFinite(x)) {
        out.fill(NaN, b * n * m, (b + 1) * n * m);
        return;
      }
      jacobiSVD(x, m, n, u, s, vh);
      const tol = Math.max(atol, r * (s[0] ?? 0));
      // A⁺ = V diag(1/s) Uᵀ over the singular values above the cutoff
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let acc = 0;
          for (let c = 0; c < k; c++) if (s[c]! > tol) acc += (vh[c * n + i]! * u[j * k + c]!) / s[c]!;
          out[b * n * m + i * m + j] = acc;
        }
      }
    });
    return out;
  },
  // Golub & Pereyra (PyTorch's pinv_backward), X = A⁺, valid where the rank is locally constant:
  // gA = -Xᵀ G Xᵀ + (I - A X) Gᵀ X Xᵀ + Xᵀ X Gᵀ (I - X A)
  backward: ({ grad, inputs: [a], out }) => {
    const x = out;
    const xt = mT(x);
    const gt = mT(grad);
    const t1 = neg(matmul(matmul(xt, grad), xt));
    const gxx = matmul(matmul(gt, x), xt);
    const t2 = sub(gxx, matmul(matmul(a!, x), gxx));
    const xxg = matmul(matmul(xt, x), gt);
    const t3 = sub(xxg, matmul(matmul(xxg, x), a!));
    return [add(add(t1, t2), t3)];
  },
  test: null,
});

/** The sum of the last two axes (for matrixNorm 'fro'). */
export const sumMatrix = (x: Tensor): Tensor => sum(x, { axis: [-2, -1] });
