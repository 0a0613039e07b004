/**
 * The decomposition family against PyTorch (fixtures/torch_linalg.py -> torch-linalg.json): values
 * and gradients. Eigen- and singular vectors are compared through sign-invariant functions (their
 * signs are a convention: memograd signs each by its largest entry, LAPACK's are arbitrary); QR's
 * factors are compared directly (memograd follows LAPACK's Householder signs).
 */
import * as M from '../src/index.ts';
import type { Tensor } from '../src/index.ts';
import { describeTorchFixture, type TorchSpec } from './support/torch-fixture.ts';

const flat = (xs: Tensor[]): Tensor => M.cat(xs.map((x) => x.reshape([-1])), 0);
const weights = (k: number): Tensor => M.arange(1, k + 1, 1, { dtype: 'float64' });

const specs: Record<string, TorchSpec> = {
  det_3x3: { fn: (a) => M.det(a) },
  det_batch: { fn: (a) => M.det(a) },
  det_1x1: { fn: (a) => M.det(a) },
  det_4x4_negative: { fn: (a) => M.det(a) },
  det_singular_rank2: { fn: (a) => M.det(a) },
  det_zero_2x2: { fn: (a) => M.det(a) },
  slogdet_logabsdet: { fn: (a) => M.slogdet(a).logAbsDet },
  slogdet_sign: { fn: (a) => M.slogdet(a).sign },
  slogdet_singular: { fn: (a) => M.slogdet(a).logAbsDet },
  inv_3x3: { fn: (a) => M.inv(a) },
  inv_batch: { fn: (a) => M.inv(a) },
  inv_1x1: { fn: (a) => M.inv(a) },
  solve_matrix: { fn: (a, b) => M.solve(a, b) },
  solve_vector: { fn: (a, b) => M.solve(a, b) },
  solve_batch_vector: { fn: (a, b) => M.solve(a, b) },
  solve_broadcast: { fn: (a, b) => M.solve(a, b) },
  cholesky_3x3: { fn: (a) => M.cholesky(a) },
  cholesky_batch: { fn: (a) => M.cholesky(a) },
  cholesky_reads_lower: { fn: (a) => M.cholesky(a) },
  qr_triangular_input: { fn: (a) => flat(Object.values(M.qr(a))) },
  qr_1x1: { fn: (a) => flat(Object.values(M.qr(a))) },
  eigh_values_batch: { fn: (a) => M.eigh(a).eigenvalues },
  eigh_reads_lower: { fn: (a) => M.eigh(a).eigenvalues },
  eigh_1x1: { fn: (a) => M.eigh(a).eigenvalues },
  svdvals_rank1: { fn: (a) => M.svdvals(a) },
  matrix_norm_fro: { fn: (a) => M.matrixNorm(a) },
  matrix_norm_nuc: { fn: (a) => M.matrixNorm(a, { ord: 'nuc' }) },
  matrix_power_3: { fn: (a) => M.matrixPower(a, 3) },
  matrix_power_5_batch: { fn: (a) => M.matrixPower(a, 5) },
  matrix_power_neg2: { fn: (a) => M.matrixPower(a, -2) },
  matrix_power_0: { fn: (a) => M.matrixPower(a, 0) },
  pinv_3x2: { fn: (a) => M.pinv(a) },
  pinv_2x3: { fn: (a) => M.pinv(a) },
  pinv_batch_square: { fn: (a) => M.pinv(a) },
  pinv_rank1: { fn: (a) => M.pinv(a) },
  pinv_zero: { fn: (a) => M.pinv(a) },
  kron_2x2_2x3: { fn: (a, b) => M.kron(a, b) },
  kron_vector_matrix: { fn: (a, b) => M.kron(a, b) },
  kron_3d: { fn: (a, b) => M.kron(a, b) },
  cross_last: { fn: (a, b) => M.cross(a, b) },
  cross_axis0: { fn: (a, b) => M.cross(a, b, { axis: 0 }) },
  cross_broadcast: { fn: (a, b) => M.cross(a, b) },
};
for (const name of ['4x3', '3x3', '2x4', 'batch']) {
  specs[`qr_Q_${name}`] = { fn: (a) => M.qr(a).Q };
  specs[`qr_R_${name}`] = { fn: (a) => M.qr(a).R };
  specs[`qr_QR_${name}`] = { fn: (a) => flat([M.qr(a).Q, M.qr(a).R]) };
}
for (const name of ['3x3', '4x4']) {
  specs[`eigh_values_${name}`] = { fn: (a) => M.eigh(a).eigenvalues };
  specs[`eigh_vectors_${name}`] = {
    fn: (a) => {
      const v = M.eigh(a).eigenvectors;
      return v.mul(weights(v.shape[1]!)).matmul(v.T);
    },
    tol: 1e-11,
  };
  specs[`eigh_squares_${name}`] = { fn: (a) => { const r = M.eigh(a); return flat([r.eigenvalues, r.eigenvectors.square()]); }, tol: 1e-11 };
}
for (const name of ['3x3', '4x2', '2x4', 'batch']) {
  specs[`svd_S_${name}`] = { fn: (a) => M.svd(a).S };
  specs[`svd_UwVh_${name}`] = { fn: (a) => { const r = M.svd(a); return r.U.mul(weights(r.S.shape[r.S.rank - 1]!)).matmul(r.Vh); }, tol: 1e-11 };
  specs[`svd_squares_${name}`] = { fn: (a) => { const r = M.svd(a); return flat([r.U.square(), r.S, r.Vh.square()]); }, tol: 1e-11 };
  specs[`svdvals_${name}`] = { fn: (a) => M.svdvals(a) };
}

describeTorchFixture('decompositions', new URL('./fixtures/torch-linalg.json', import.meta.url), specs);
