/**
 * The decomposition family's own tests: errors (typed, naming the op, with the batch element),
 * reconstructions of every decomposition (batched, tall and wide, float32), edge cases (1x1, 0x0,
 * empty batches, singular matrices), the sign conventions, NaN behaviour of the NaN-exempt ops, and
 * gradients where the generic property tests do not reach (singular det, repeated eigenvalues).
 */
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ArgumentError, ShapeError, Tensor } from '../src/index.ts';

/** A deterministic pseudo-random tensor (float64 unless said). */
function rnd(shape: number[], seed = 1, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const g = new M.Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return M.tensor(Array.from({ length: n }, () => g.random() * 4 - 2), { shape, dtype });
}
const spd = (n: number, batch: number[] = [], seed = 3): Tensor => {
  const m = rnd([...batch, n, n], seed);
  return m.matmul(m.T).add(M.eye(n, n, { dtype: 'float64' }).mul(n));
};
const sym = (a: Tensor): Tensor => a.add(a.T).mul(0.5);
function maxDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let d = 0;
  for (let i = 0; i < a.size; i++) d = Math.max(d, Math.abs(a.data[i]! - b.data[i]!));
  return d;
}
const eyeLike = (n: number) => M.eye(n, n, { dtype: 'float64' });
/** A float64 tensor of any values (NaN and Infinity included). */
const raw = (values: number[], shape: number[]): Tensor => new Tensor(Float64Array.from(values), shape, 'float64');

describe('errors', () => {
  it.each([
    ['det', (a: Tensor) => M.det(a)], ['slogdet', (a: Tensor) => M.slogdet(a)], ['inv', (a: Tensor) => M.inv(a)],
    ['cholesky', (a: Tensor) => M.cholesky(a)], ['eigh', (a: Tensor) => M.eigh(a)], ['matrixPower', (a: Tensor) => M.matrixPower(a, 2)],
  ] as const)('%s refuses non-square and 1-D input with a ShapeError naming it', (name, f) => {
    expect(() => f(rnd([2, 3]))).toThrow(ShapeError);
    expect(() => f(rnd([2, 3]))).toThrow(new RegExp(`^${name}: .*square`));
    expect(() => f(rnd([3]))).toThrow(new RegExp(`^${name}: .*at least 2 dimensions`));
  });
  it.each(['qr', 'svd', 'svdvals', 'pinv', 'matrixNorm'] as const)('%s refuses a vector', (name) => {
    expect(() => (M[name] as (a: Tensor) => unknown)(rnd([3]))).toThrow(new RegExp(`^${name}: `));
  });
  it('inv and solve of an exactly singular matrix are ArgumentErrors naming the batch element', () => {
    const a = M.tensor([[[2, 0], [0, 1]], [[1, 2], [2, 4]]], { dtype: 'float64' });
    expect(() => M.inv(a)).toThrow(ArgumentError);
    expect(() => M.inv(a)).toThrow(/^inv: the matrix \(batch element 1\) is singular/);
    expect(() => M.solve(a, rnd([2, 2]))).toThrow(/^solve: the matrix \(batch element 1\) is singular/);
    expect(() => M.inv(M.zeros([2, 2], { dtype: 'float64' }))).toThrow(/^inv: the matrix is singular/);
  });
  it('cholesky of a non-positive-definite matrix names the batch element and the minor', () => {
    const a = M.tensor([[[1, 0], [0, 1]], [[1, 2], [2, 1]]], { dtype: 'float64' });
    expect(() => M.cholesky(a)).toThrow(ArgumentError);
    expect(() => M.cholesky(a)).toThrow('cholesky: batch element 1: the matrix is not positive-definite (its leading minor of order 2 is not positive-definite)');
    expect(() => M.cholesky(raw([NaN, 0, 0, 1], [2, 2]))).toThrow(/order 1/);
  });
  it('solve checks the right-hand side', () => {
    expect(() => M.solve(spd(3), rnd([4, 2]))).toThrow(/^solve: B must have 3 rows/);
    expect(() => M.solve(spd(3), rnd([2, 3]))).toThrow(ShapeError); // a matrix with 2 rows (PyTorch)
    expect(() => M.solve(spd(3, [2]), rnd([3, 3, 1]))).toThrow(/^solve: /);
  });
  it('checks options and arguments', () => {
    expect(() => M.matrixNorm(rnd([2, 2]), { ord: 'inf' as never })).toThrow(/^matrixNorm: ord must be 'fro' or 'nuc'/);
    expect(() => M.matrixNorm(rnd([2, 2]), { p: 2 } as never)).toThrow(/^matrixNorm: /);
    expect(() => M.matrixPower(rnd([2, 2]), 0.5)).toThrow(/^matrixPower: /);
    expect(() => M.pinv(rnd([2, 2]), { rtol: -1 })).toThrow(/^pinv: rtol must be a finite non-negative number/);
    expect(() => M.cross(rnd([2, 3]), rnd([2, 4]))).toThrow(/^cross: axis -1 must have size 3/);
    expect(() => M.cross(rnd([3]), rnd([2, 3]))).toThrow(/^cross: the operands must have the same number of dimensions/);
    expect(() => M.cross(rnd([3]), rnd([3]), { axis: 1 })).toThrow(/^cross: /);
  });
});

describe('reconstructions', () => {
  it.each([[[3, 3]], [[5, 3]], [[3, 5]], [[2, 4, 2]], [[1, 1]], [[2, 2, 1, 4]]])('qr of %j: Q R = A, Qᵀ Q = I, R upper triangular', (shape) => {
    expect.hasAssertions();
    const a = rnd(shape, 7);
    const { Q, R } = M.qr(a);
    const k = Math.min(shape[shape.length - 2]!, shape[shape.length - 1]!);
    expect(maxDiff(Q.matmul(R), a)).toBeLessThan(1e-13);
    expect(maxDiff(Q.T.matmul(Q), eyeLike(k).expand([...shape.slice(0, -2), k, k]))).toBeLessThan(1e-13);
    const n = shape[shape.length - 1]!;
    R.data.forEach((v, i) => { if (Math.floor(i / n) % k > i % n) expect(v).toBe(0); });
  });
  it.each([[1], [2], [4], [8]])('eigh of a symmetric %i×%i: V diag(λ) Vᵀ = A, Vᵀ V = I, λ ascending', (n) => {
    expect.hasAssertions();
    const a = sym(rnd([2, n, n], 11));
    const { eigenvalues: w, eigenvectors: v } = M.eigh(a);
    expect(maxDiff(v.mul(w.unsqueeze(-2)).matmul(v.T), a)).toBeLessThan(1e-13);
    expect(maxDiff(v.T.matmul(v), eyeLike(n).expand([2, n, n]))).toBeLessThan(1e-13);
    for (let b = 0; b < 2; b++) for (let i = 1; i < n; i++) expect(w.data[b * n + i]!).toBeGreaterThanOrEqual(w.data[b * n + i - 1]!);
  });
  it('eigh reads only the lower triangle', () => {
    const a = sym(rnd([3, 3], 5));
    const b = a.add(M.tensor([[0, 9, -4], [0, 0, 7], [0, 0, 0]], { dtype: 'float64' }));
    expect(maxDiff(M.eigh(b).eigenvalues, M.eigh(a).eigenvalues)).toBe(0);
    expect(maxDiff(M.cholesky(spd(3).add(M.tensor([[0, 5, 5], [0, 0, 5], [0, 0, 0]], { dtype: 'float64' }))), M.cholesky(spd(3)))).toBe(0);
  });
  it.each([[[3, 3]], [[6, 3]], [[3, 6]], [[2, 4, 2]], [[1, 5]]])('svd of %j: U diag(S) Vh = A, orthonormal U and Vh, S descending', (shape) => {
    expect.hasAssertions();
    const a = rnd(shape, 13);
    const { U, S, Vh } = M.svd(a);
    const k = S.shape[S.rank - 1]!;
    expect(maxDiff(U.mul(S.unsqueeze(-2)).matmul(Vh), a)).toBeLessThan(1e-13);
    expect(maxDiff(U.T.matmul(U), eyeLike(k).expand([...shape.slice(0, -2), k, k]))).toBeLessThan(1e-13);
    expect(maxDiff(Vh.matmul(Vh.T), eyeLike(k).expand([...shape.slice(0, -2), k, k]))).toBeLessThan(1e-13);
    expect(maxDiff(M.svdvals(a), S)).toBe(0);
  });
  it('svd of a rank-deficient matrix completes U to orthonormal columns', () => {
    const a = M.tensor([[1, 2, 3], [2, 4, 6], [3, 6, 9], [1, 1, 1]], { dtype: 'float64' });
    const { U, S, Vh } = M.svd(a);
    expect(maxDiff(U.mul(S.unsqueeze(-2)).matmul(Vh), a)).toBeLessThan(1e-13);
    expect(maxDiff(U.T.matmul(U), eyeLike(3))).toBeLessThan(1e-13);
    expect(S.data[2]).toBeLessThan(1e-14);
  });
  it('cholesky: L Lᵀ = A, batched; solve: A X = B; inv: A A⁻¹ = I; pinv: A A⁺ A = A', () => {
    const a = spd(4, [3]);
    const l = M.cholesky(a);
    expect(maxDiff(l.matmul(l.T), a)).toBeLessThan(1e-13);
    const b = rnd([3, 4, 2], 9);
    expect(maxDiff(a.matmul(M.solve(a, b)), b)).toBeLessThan(1e-13);
    expect(maxDiff(a.matmul(M.inv(a)), eyeLike(4).expand([3, 4, 4]))).toBeLessThan(1e-13);
    const w = rnd([2, 3, 5], 4);
    expect(maxDiff(w.matmul(M.pinv(w)).matmul(w), w)).toBeLessThan(1e-13);
  });
  it('det agrees with exp(slogdet) and with the product of eigenvalues', () => {
    const a = rnd([3, 4, 4], 21);
    const { sign, logAbsDet } = M.slogdet(a);
    expect(maxDiff(sign.mul(logAbsDet.exp()), M.det(a))).toBeLessThan(1e-12);
    const s = sym(a);
    expect(maxDiff(M.det(s), M.eigh(s).eigenvalues.prod({ axis: -1 }))).toBeLessThan(1e-12);
  });
});

describe('edge cases', () => {
  it('1x1, 0x0 and empty batches', () => {
    expect(M.det(M.tensor([[-3]], { dtype: 'float64' })).item()).toBe(-3);
    expect(M.det(M.zeros([0, 0], { dtype: 'float64' })).item()).toBe(1);
    expect(M.inv(M.zeros([0, 0])).shape).toEqual([0, 0]);
    expect(M.det(M.zeros([0, 3, 3])).shape).toEqual([0]);
    expect(M.qr(M.zeros([2, 3, 0])).R.shape).toEqual([2, 0, 0]);
    expect(M.svd(M.zeros([0, 2])).S.shape).toEqual([0]);
    expect(M.eigh(M.zeros([4, 0, 0])).eigenvectors.shape).toEqual([4, 0, 0]);
    expect(M.cholesky(M.tensor([[4]], { dtype: 'float64' })).item()).toBe(2);
  });
  it('singular matrices: det 0, slogdet (0, -Infinity), pinv of zeros is zeros', () => {
    const a = M.tensor([[1, 2], [2, 4]], { dtype: 'float64' });
    expect(M.det(a).item()).toBe(0);
    const { sign, logAbsDet } = M.slogdet(a);
    expect([sign.item(), logAbsDet.item()]).toEqual([0, -Infinity]);
    expect([...M.pinv(M.zeros([2, 3], { dtype: 'float64' })).data]).toEqual(new Array(6).fill(0));
  });
  it('matrixPower: 0 gives the identity (no gradient), 1 the matrix, negatives the inverse', () => {
    const a = rnd([2, 3, 3], 2);
    a.requiresGrad = true;
    const p0 = M.matrixPower(a, 0);
    expect(maxDiff(p0, eyeLike(3).expand([2, 3, 3]))).toBe(0);
    expect(p0.requiresGrad).toBe(false);
    expect(maxDiff(M.matrixPower(a, 1), a)).toBe(0);
    expect(maxDiff(M.matrixPower(a, -1), M.inv(a))).toBe(0);
  });
  it('float32 in, float32 out, close to float64', () => {
    const a = spd(3, [2]);
    const a32 = a.to('float32');
    const pairs: [Tensor, Tensor][] = [
      [M.det(a32), M.det(a)], [M.inv(a32), M.inv(a)], [M.cholesky(a32), M.cholesky(a)], [M.eigh(a32).eigenvalues, M.eigh(a).eigenvalues],
      [M.qr(a32).R, M.qr(a).R], [M.svdvals(a32), M.svdvals(a)], [M.pinv(a32), M.pinv(a)], [M.solve(a32, a32), M.solve(a, a)],
    ];
    for (const [x32, x64] of pairs) {
      expect(x32.dtype).toBe('float32');
      x64.data.forEach((v, i) => expect(Math.abs(x32.data[i]! - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    }
  });
  it('sign conventions: eigenvectors and U columns have their largest entry positive; R follows LAPACK', () => {
    const a = sym(rnd([5, 5], 8));
    const check = (m: Tensor) => {
      const [r, c] = [m.shape[0]!, m.shape[1]!];
      for (let j = 0; j < c; j++) {
        let at = 0;
        for (let i = 0; i < r; i++) if (Math.abs(m.data[i * c + j]!) > Math.abs(m.data[at * c + j]!)) at = i;
        expect(m.data[at * c + j]!).toBeGreaterThan(0);
      }
    };
    check(M.eigh(a).eigenvectors);
    check(M.svd(rnd([5, 3], 9)).U);
    // Householder: R[0, 0] = -sign(a00) ‖a[:, 0]‖; an already triangular column is left as it is
    expect(M.qr(M.tensor([[3, 1], [4, 1]], { dtype: 'float64' })).R.data[0]).toBeCloseTo(-5, 14);
    expect(M.qr(M.tensor([[-3, 1], [4, 1]], { dtype: 'float64' })).R.data[0]).toBeCloseTo(5, 14);
    expect([...M.qr(M.tensor([[-1, 2], [0, 3]], { dtype: 'float64' })).R.data]).toEqual([-1, 2, 0, 3]);
  });
});

describe('NaN and ±Infinity', () => {
  const withNaN = raw([NaN, 1, 1, 2, 2, 1, 1, 2], [2, 2, 2]);
  it('det, slogdet, inv: NaN for the batch element that holds it, the others untouched', () => {
    expect([...M.det(withNaN).data].map(Number.isNaN)).toEqual([true, false]);
    expect(M.det(withNaN).data[1]).toBeCloseTo(3, 14);
    const inv = M.inv(withNaN);
    expect([...inv.data].map(Number.isNaN)).toEqual([true, true, true, true, false, false, false, false]);
    expect(Number.isNaN(M.slogdet(withNaN).sign.data[0])).toBe(true);
  });
  it('qr: NaN everywhere but R\'s structural zeros (PyTorch); eigh, svd, svdvals, pinv: NaN (PyTorch returns NaN or raises)', () => {
    const { Q, R } = M.qr(withNaN);
    expect([...Q.data.subarray(0, 4)].every(Number.isNaN)).toBe(true);
    expect([...R.data.subarray(0, 4)].map((v) => (Number.isNaN(v) ? 'nan' : v))).toEqual(['nan', 'nan', 0, 'nan']);
    expect([...R.data.subarray(4)].some(Number.isNaN)).toBe(false);
    for (const out of [M.eigh(withNaN).eigenvectors, M.svd(withNaN).U, M.svdvals(withNaN), M.pinv(withNaN)]) {
      const per = out.size / 2;
      expect([...out.data.subarray(0, per)].every(Number.isNaN)).toBe(true);
      expect([...out.data.subarray(per)].some(Number.isNaN)).toBe(false);
    }
    expect([...M.svdvals(raw([Infinity, 0, 0, 1], [2, 2])).data].every(Number.isNaN)).toBe(true);
  });
  it('eigh ignores a NaN in the upper triangle (it is not read)', () => {
    const a = raw([2, NaN, 1, 2], [2, 2]);
    expect([...M.eigh(a).eigenvalues.data]).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
  });
});

describe('gradients beyond the property tests', () => {
  it('det at a singular matrix: the cofactor matrix (rank n-1), zero (rank n-2), and a second derivative', () => {
    const a = M.tensor([[1, 2, 3], [2, 4, 6], [1, 0, 1]], { dtype: 'float64', requiresGrad: true });
    const [g] = M.grad(M.det(a), [a], { createGraph: true });
    expect([...g!.data].map((v) => v + 0)).toEqual([4, 4, -4, -2, -2, 2, 0, 0, 0]);
    const b = M.tensor([[1, 2, 3], [2, 4, 6], [3, 6, 9]], { dtype: 'float64', requiresGrad: true });
    expect([...M.grad(M.det(b), [b])[0]!.data].every((v) => v === 0)).toBe(true);
    // d/dA of sum(cofactor(A)) exists (the cofactors are dets of minors)
    const [gg] = M.grad(g!.sum(), [a]);
    expect(gg!.data.every(Number.isFinite)).toBe(true);
    M.assertGradcheck((x) => M.det(x), [M.tensor([[1, 2], [2, 4]], { dtype: 'float64', requiresGrad: true })]);
  });
  it('eigenvalues alone and singular values alone have finite gradients at repeated values', () => {
    const a = M.eye(3, 3, { dtype: 'float64', requiresGrad: true });
    const [g] = M.grad(M.eigh(a).eigenvalues.sum(), [a]);
    expect(maxDiff(g!, eyeLike(3))).toBeLessThan(1e-14);
    const [h] = M.grad(M.svd(a).S.sum(), [a]);
    expect(maxDiff(h!, eyeLike(3))).toBeLessThan(1e-14);
    const [k] = M.grad(M.matrixNorm(a, { ord: 'nuc' }), [a]);
    expect(maxDiff(k!, eyeLike(3))).toBeLessThan(1e-14);
  });
  it('pinv has a gradient at repeated singular values (Golub-Pereyra), matching finite differences', () => {
    M.assertGradcheck((x) => M.pinv(x), [M.eye(3, 2, { dtype: 'float64', requiresGrad: true })]);
    M.assertGradgradcheck((x) => M.pinv(x), [rnd([2, 3], 6).requiresGrad_()]);
  });
  it('qr of wide matrices and cholesky have second derivatives', () => {
    const w = rnd([2, 4], 12);
    w.requiresGrad = true;
    M.assertGradgradcheck((x) => { const { Q, R } = M.qr(x); return Q.sum().add(R.square().sum()); }, [w]);
    const s = spd(3);
    s.requiresGrad = true;
    M.assertGradgradcheck((x) => M.cholesky(sym(x)), [s]);
  });
});
