/**
 * Linear algebra: det, slogdet, inv, solve, cholesky, qr, eigh, svd, svdvals, matrixNorm, matrixPower,
 * pinv, kron, cross (torch.linalg semantics, batched over leading axes). The primitives live in
 * decomp-ops.ts, their property-test inputs and oracles in decomp-tests.ts.
 */
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { checkInteger, checkOptions, describe, formatShape, normalizeAxis } from '../shape.ts';
import type { Tensor, TensorLike } from '../tensor.ts';
import type { Pick } from './define.ts';
import { composite, one, pair, type OpEntry } from './helpers.ts';
import { add, mul, sign, sqrt, sub } from './elementwise.ts';
import { matmul } from './linalg.ts';
import { sum } from './reduce.ts';
import { cat, expand, indexSelect, reshape, unsqueeze } from './shape-ops.ts';
import {
  checkMatrix, checkSquare, choleskyOp, detOp, detSign, eighOp, identity, inv as invPrimitive, logAbsDetOp, mT, part, pinvOp,
  qrOp, solveMatrix, svdOp, svdvalsOp, sumMatrix,
} from './decomp-ops.ts';
import * as DT from './decomp-tests.ts';

const asMatrix = (x: TensorLike, op: string): Tensor => one(x, op);

/** The determinant of a square matrix or a batch of them (like `torch.linalg.det`); 0 for a singular matrix. */
export function det(A: TensorLike): Tensor {
  return apply(detOp, [asMatrix(A, 'det')], undefined);
}

/** What `slogdet` returns: det = sign · exp(logAbsDet). */
export interface SlogdetResult {
  /** The sign of the determinant (-1, 0 or 1; no gradient). */
  sign: Tensor;
  /** log |det A| (-Infinity for a singular matrix). */
  logAbsDet: Tensor;
}

/** The sign and log-absolute-value of the determinant (like `torch.linalg.slogdet`), stable where det under- or overflows. */
export function slogdet(A: TensorLike): SlogdetResult {
  const a = asMatrix(A, 'slogdet');
  const logAbsDet = apply(logAbsDetOp, [a], undefined);
  return { sign: detSign(a), logAbsDet };
}

/** The inverse of a square matrix or a batch of them (like `torch.linalg.inv`); a singular matrix is an ArgumentError. */
export function inv(A: TensorLike): Tensor {
  return invPrimitive(asMatrix(A, 'inv'));
}

/**
 * Solves A X = B (like `torch.linalg.solve`): B is a batch of vectors when it is 1-D or has A's shape
 * without its last axis, else a batch of matrices; batch axes broadcast.
 */
export function solve(A: TensorLike, B: TensorLike): Tensor {
  const [a, b] = pair(A, B, 'solve');
  checkSquare('solve', a.shape);
  const vector = b.rank === 1 || (b.rank === a.rank - 1 && b.shape.every((d, i) => d === a.shape[i]));
  if (!vector) return solveMatrix(a, b);
  try {
    const x = solveMatrix(a, unsqueeze(b, -1));
    return reshape(x, x.shape.slice(0, -1));
  } catch (e) {
    throw renameError('solve', e);
  }
}

/** The lower Cholesky factor L of a symmetric positive-definite matrix, A = L Lᵀ (like `torch.linalg.cholesky`; reads the lower triangle). */
export function cholesky(A: TensorLike): Tensor {
  return apply(choleskyOp, [asMatrix(A, 'cholesky')], undefined);
}

/** What `qr` returns: A = Q R. */
export interface QRResult {
  /** m×k with orthonormal columns (k = min(m, n)). */
  Q: Tensor;
  /** k×n upper triangular (its diagonal may be negative: LAPACK's Householder signs, as PyTorch). */
  R: Tensor;
}

/** The reduced QR decomposition (like `torch.linalg.qr`, mode 'reduced'), batched. */
export function qr(A: TensorLike): QRResult {
  const a = asMatrix(A, 'qr');
  const packed = apply(qrOp, [a], undefined);
  const [m, n] = [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const k = Math.min(m, n);
  return { Q: part(packed, 0, [m, k]), R: part(packed, m * k, [k, n]) };
}

/** What `eigh` returns: A = V diag(λ) Vᵀ. */
export interface EighResult {
  /** The eigenvalues, ascending. */
  eigenvalues: Tensor;
  /** The eigenvectors as columns, each signed so that its first entry of largest magnitude is positive. */
  eigenvectors: Tensor;
}

/**
 * The eigen-decomposition of a symmetric matrix (like `torch.linalg.eigh`; reads the lower triangle).
 * Gradients are defined for distinct eigenvalues (eigenvectors' gradients divide by their gaps).
 */
export function eigh(A: TensorLike): EighResult {
  const a = asMatrix(A, 'eigh');
  const packed = apply(eighOp, [a], undefined);
  const n = a.shape[a.rank - 1]!;
  return { eigenvalues: part(packed, 0, [n]), eigenvectors: part(packed, n, [n, n]) };
}

/** What `svd` returns: A = U diag(S) Vh. */
export interface SVDResult {
  /** m×k, orthonormal columns (k = min(m, n)), each signed so that its first entry of largest magnitude is positive. */
  U: Tensor;
  /** The singular values, descending. */
  S: Tensor;
  /** k×n, orthonormal rows. */
  Vh: Tensor;
}

/**
 * The reduced singular value decomposition (like `torch.linalg.svd(A, full_matrices=False)`). Gradients
 * through U and Vh are defined for distinct non-zero singular values; use `svdvals` for S alone.
 */
export function svd(A: TensorLike): SVDResult {
  const a = asMatrix(A, 'svd');
  const packed = apply(svdOp, [a], undefined);
  const [m, n] = [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const k = Math.min(m, n);
  return { U: part(packed, 0, [m, k]), S: part(packed, m * k, [k]), Vh: part(packed, m * k + k, [k, n]) };
}

/** The singular values, descending (like `torch.linalg.svdvals`); gradient U Vh. */
export function svdvals(A: TensorLike): Tensor {
  return apply(svdvalsOp, [asMatrix(A, 'svdvals')], undefined);
}

/** Options of `matrixNorm`. */
export interface MatrixNormOptions {
  /** 'fro' (Frobenius, the default) or 'nuc' (nuclear: the sum of singular values). */
  ord?: 'fro' | 'nuc';
}

/** The Frobenius or nuclear norm of a matrix or a batch of them (like `torch.linalg.matrix_norm`). */
export function matrixNorm(A: TensorLike, options?: MatrixNormOptions): Tensor {
  const a = asMatrix(A, 'matrixNorm');
  const o = checkOptions<MatrixNormOptions>('matrixNorm', options, ['ord']);
  const ord = o.ord ?? 'fro';
  if (ord !== 'fro' && ord !== 'nuc') throw new ArgumentError('matrixNorm', `ord must be 'fro' or 'nuc', got ${typeof ord === 'string' ? `'${ord}'` : describe(ord)}`);
  checkMatrix('matrixNorm', a.shape);
  try {
    return ord === 'fro' ? sqrt(sumMatrix(mul(a, a))) : sum(svdvals(a), { axis: -1 });
  } catch (e) {
    throw renameError('matrixNorm', e);
  }
}

/** A square matrix to an integer power (like `torch.linalg.matrix_power`): repeated squaring; a negative power inverts first, 0 gives the identity. */
export function matrixPower(A: TensorLike, n: number): Tensor {
  const a = asMatrix(A, 'matrixPower');
  const size = checkSquare('matrixPower', a.shape);
  checkInteger('matrixPower', 'n', n, -(2 ** 31), 2 ** 31 - 1);
  if (n === 0) return expand(identity(size, a.dtype), a.shape);
  try {
    let base = n < 0 ? inv(a) : a;
    let e = Math.abs(n);
    let result: Tensor | null = null;
    while (e > 0) {
      if (e & 1) result = result === null ? base : matmul(result, base);
      e = Math.floor(e / 2);
      if (e > 0) base = matmul(base, base);
    }
    return result!;
  } catch (e) {
    throw renameError('matrixPower', e);
  }
}

/** Options of `pinv`. */
export interface PinvOptions {
  /** Singular values at most rtol · σ_max are dropped (default eps · max(m, n), or 0 when only atol is given). */
  rtol?: number;
  /** Singular values at most atol are dropped (default 0). */
  atol?: number;
}

/** The Moore-Penrose pseudo-inverse through the SVD (like `torch.linalg.pinv`); gradient where the rank is locally constant. */
export function pinv(A: TensorLike, options?: PinvOptions): Tensor {
  const a = asMatrix(A, 'pinv');
  const o = checkOptions<PinvOptions>('pinv', options, ['rtol', 'atol']);
  const tol = (name: string, v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ArgumentError('pinv', `${name} must be a finite non-negative number, got ${describe(v)}`);
    return v;
  };
  const rtol = tol('rtol', o.rtol);
  const atol = tol('atol', o.atol);
  return apply(pinvOp, [a], { rtol: rtol ?? null, atol: atol ?? 0 });
}

/** The Kronecker product (like `torch.kron`): the lower-rank operand is padded with leading size-1 axes. */
export function kron(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, 'kron');
  const rank = Math.max(x.rank, y.rank);
  const sa = [...new Array<number>(rank - x.rank).fill(1), ...x.shape];
  const sb = [...new Array<number>(rank - y.rank).fill(1), ...y.shape];
  try {
    // a[..., i, 1, ...] · b[..., 1, j, ...] interleaved, then the pairs of axes merged
    const xa = reshape(x, sa.flatMap((d) => [d, 1]));
    const yb = reshape(y, sb.flatMap((d) => [1, d]));
    return reshape(mul(xa, yb), sa.map((d, i) => d * sb[i]!));
  } catch (e) {
    throw renameError('kron', e);
  }
}

/** The cross product of 3-vectors along `axis` (default -1), with broadcasting (like `torch.linalg.cross`). */
export function cross(a: TensorLike, b: TensorLike, options?: { axis?: number }): Tensor {
  const [x, y] = pair(a, b, 'cross');
  const o = checkOptions<{ axis?: number }>('cross', options, ['axis']);
  if (x.rank !== y.rank) {
    throw new ShapeError('cross', `the operands must have the same number of dimensions, got ${formatShape(x.shape)} and ${formatShape(y.shape)}`, [x.shape, y.shape]);
  }
  const axis = normalizeAxis('cross', o.axis ?? -1, x.rank);
  if (x.shape[axis] !== 3 || y.shape[axis] !== 3) {
    throw new ShapeError('cross', `axis ${o.axis ?? -1} must have size 3 in both operands, got ${formatShape(x.shape)} and ${formatShape(y.shape)}`, [x.shape, y.shape]);
  }
  try {
    // c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1}: two cyclic rolls of the axis
    const r1 = [1, 2, 0];
    const r2 = [2, 0, 1];
    const ax1 = indexSelect(x, axis, r1);
    const ax2 = indexSelect(x, axis, r2);
    const by1 = indexSelect(y, axis, r1);
    const by2 = indexSelect(y, axis, r2);
    return sub(mul(ax1, by2), mul(ax2, by1));
  } catch (e) {
    throw renameError('cross', e);
  }
}

// ------------------------------------------------------------------ registry entries and their tests

const FUNCTION_ONLY = { method: null } as const;
/** A random square shape [...batch, n, n], n in 1..4. */
const squareShape = (pick: Pick): number[] => {
  const n = 1 + pick(4);
  return [...DT.sampleBatch(pick), n, n];
};
const matrixShape = (pick: Pick): number[] => [...DT.sampleBatch(pick), 1 + pick(4), 1 + pick(4)];
/** The input symmetrised (the ops that read one triangle are checked as functions of a symmetric matrix). */
const sym = (a: Tensor): Tensor => mul(add(a, mT(a)), 0.5);
const flatCat = (xs: readonly Tensor[]): Tensor => cat(xs.map((x) => reshape(x, [-1])), 0);
const NAN_SVD = 'an iterative decomposition: a NaN or ±Infinity anywhere makes the whole (batch element of the) result NaN (PyTorch raises or returns NaN); pinned in decomp.test.ts';

/** This family's registry entries (spread into `OPS`, ops/registry.ts). */
export const DECOMP_OPS = {
  det: composite('det', ([a]) => det(a!), { shapes: (pick) => [squareShape(pick)], values: ([s], _p, r) => [DT.wellConditioned(s!, r)], oracle: DT.detOracle }),
  slogdet: composite('slogdet', ([a]) => slogdet(a!).logAbsDet, { shapes: (pick) => [squareShape(pick)], values: ([s], _p, r) => [DT.wellConditioned(s!, r)], oracle: DT.logAbsDetOracle }),
  inv: composite('inv', ([a]) => inv(a!), { shapes: (pick) => [squareShape(pick)], values: ([s], _p, r) => [DT.wellConditioned(s!, r)], oracle: DT.invOracle }),
  solve: composite('solve', ([a, b]) => solve(a!, b!), {
    shapes: (pick) => {
      const n = 1 + pick(4);
      const k = 1 + pick(3);
      switch (pick(5)) {
        case 0: return [[n, n], [n]];
        case 1: return [[2, n, n], [2, n]];
        case 2: return [[2, n, n], [n, k]];
        case 3: return [[n, n], [3, n, k]];
        default: return [[2, 1, n, n], [3, n, k]];
      }
    },
    values: ([sa, sb], _p, r) => [DT.wellConditioned(sa!, r), DT.uniform(sb!, r)],
    oracle: DT.solveOracle,
  }, FUNCTION_ONLY),
  cholesky: composite('cholesky', ([a]) => cholesky(sym(a!)), {
    shapes: (pick) => [squareShape(pick)],
    values: ([s], _p, r) => [DT.spd(s!, r)],
    oracle: DT.choleskyOracle,
    nanExempt: 'a NaN makes the matrix not positive-definite: an ArgumentError, as PyTorch (decomp.test.ts)',
  }, FUNCTION_ONLY),
  // Q and R normalised to a positive diagonal of R (a locally constant sign), so that the oracle is the unique such QR
  qr: composite('qr', ([a]) => {
    const { Q, R } = qr(a!);
    const k = R.shape[R.rank - 2]!;
    const n = R.shape[R.rank - 1]!;
    const d = sign(sum(mul(R.slice([...R.shape.slice(0, -2).map(() => 0), 0, 0], [...R.shape.slice(0, -2), k, k]), identity(k, R.dtype)), { axis: -1 }));
    const q = mul(Q, unsqueeze(d, -2));
    const r = mul(R, unsqueeze(d, -1));
    const lead = Q.shape.slice(0, -2);
    return cat([reshape(q, [...lead, -1]), reshape(r, [...lead, k * n])], lead.length);
  }, {
    shapes: (pick) => {
      const [m, n] = [1 + pick(4), 1 + pick(4)];
      return [[...DT.sampleBatch(pick), m, n]];
    },
    values: ([s], _p, r) => [DT.wellConditioned(s!, r)],
    oracle: DT.qrOracle,
    nanExempt: 'R keeps its structural zeros, and a column of A reaches only the later columns of Q and R: NaN as PyTorch (decomp.test.ts)',
  }, FUNCTION_ONLY),
  eigh: composite('eigh', ([a]) => apply(eighOp, [sym(a!)], undefined), {
    shapes: (pick) => [squareShape(pick)],
    values: ([s], _p, r) => [DT.symmetricDistinct(s!, r)],
    oracle: DT.eighOracle,
    nanExempt: NAN_SVD,
  }, FUNCTION_ONLY),
  svd: composite('svd', ([a]) => apply(svdOp, [a!], undefined), {
    shapes: (pick) => [matrixShape(pick)],
    values: ([s], _p, r) => [DT.wellConditioned(s!, r)],
    oracle: DT.svdOracle1,
    nanExempt: NAN_SVD,
  }, FUNCTION_ONLY),
  svdvals: composite('svdvals', ([a]) => svdvals(a!), {
    shapes: (pick) => [matrixShape(pick)],
    values: ([s], _p, r) => [DT.wellConditioned(s!, r)],
    oracle: DT.svdvalsOracle,
    nanExempt: NAN_SVD,
  }, FUNCTION_ONLY),
  matrixNorm: composite('matrixNorm', ([a], p: { ord: 'fro' | 'nuc' }) => matrixNorm(a!, p), {
    shapes: (pick) => [matrixShape(pick)],
    params: (_s, pick) => ({ ord: pick(2) === 0 ? 'fro' as const : 'nuc' as const }),
    values: ([s], _p, r) => [DT.wellConditioned(s!, r)],
    oracle: DT.matrixNormOracle,
    nanExempt: NAN_SVD,
  }, FUNCTION_ONLY),
  matrixPower: composite('matrixPower', ([a], p: { n: number }) => matrixPower(a!, p.n), {
    shapes: (pick) => [squareShape(pick)],
    params: (_s, pick) => ({ n: [-3, -2, -1, 1, 2, 3][pick(6)]! }),
    values: ([s], _p, r) => [DT.wellConditioned(s!, r)],
    oracle: DT.matrixPowerOracle,
  }),
  pinv: composite('pinv', ([a]) => pinv(a!), {
    shapes: (pick) => [matrixShape(pick)],
    values: ([s], _p, r) => [DT.wellConditioned(s!, r)],
    oracle: DT.pinvOracle,
    nanExempt: NAN_SVD,
  }),
  kron: composite('kron', ([a, b]) => kron(a!, b!), {
    shapes: (pick) => {
      const shape = () => Array.from({ length: pick(4) }, () => 1 + pick(3));
      return [shape(), shape()];
    },
    oracle: DT.kronOracle,
  }),
  cross: composite('cross', ([a, b], p: { axis: number }) => cross(a!, b!, p), {
    shapes: 'binary',
    sample: (pick) => {
      const rank = 1 + pick(3);
      const ax = pick(rank);
      const s = Array.from({ length: rank }, (_, i) => (i === ax ? 3 : 1 + pick(3)));
      const t = s.map((d, i) => (i === ax || pick(2) === 0 ? d : 1));
      return { shapes: pick(2) ? [s, t] : [t, s], params: { axis: pick(2) ? ax : ax - rank } };
    },
    oracle: DT.crossOracle,
  }),
} as const satisfies Record<string, OpEntry>;

