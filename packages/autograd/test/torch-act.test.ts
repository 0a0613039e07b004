/**
 * The activation and distance families (and clamp with tensor bounds) against PyTorch 1.13:
 * fixtures/torch_act.py records values and gradients (kinks, ties, special values, negative axes,
 * broadcasting) in fixtures/torch-act.json.
 */
import * as M from '../src/index.ts';
import type { Tensor } from '../src/index.ts';
import { describeTorchFixture, registryOp, type TorchSpec } from './support/torch-fixture.ts';

const inf = Infinity;
const specs: Record<string, TorchSpec> = {
  logSigmoid: registryOp('logSigmoid'),
  hardtanh: registryOp('hardtanh', { minVal: -1, maxVal: 1 }),
  hardtanh_0_6: registryOp('hardtanh', { minVal: 0, maxVal: 6 }),
  hardsigmoid: registryOp('hardsigmoid'),
  hardswish: registryOp('hardswish'),
  mish: registryOp('mish'),
  selu: registryOp('selu'),
  celu: registryOp('celu', { alpha: 1 }),
  celu_alpha2: registryOp('celu', { alpha: 2 }),
  celu_alpha_neg: registryOp('celu', { alpha: -0.5 }),
  softsign: registryOp('softsign'),
  logit: registryOp('logit', { eps: -1 }),
  logit_eps: registryOp('logit', { eps: 0.1 }),
  logit_eps0: registryOp('logit', { eps: 0 }),
  logit_eps_big: registryOp('logit', { eps: 0.6 }),
  logit_eps_neg: { fn: (x) => M.logit(x, { eps: -0.1 }) },

  softmin_last: { fn: (x) => M.softmin(x) },
  softmin_axis0: { fn: (x) => M.softmin(x, 0) },
  softmin_ties: { fn: (x) => M.softmin(x, 1) },
  softmin_mid: { fn: (x) => M.softmin(x, -2) },
  glu_last: { fn: (x) => M.glu(x) },
  glu_axis0: { fn: (x) => M.glu(x, 0) },
  glu_neg2: { fn: (x) => M.glu(x, -2) },
  glu_special: { fn: (x) => x.glu() },

  clampT_ties: { fn: (x, a, b) => M.clamp(x, a, b) },
  clampT_min_only: { fn: (x, a) => M.clamp(x, a) },
  clampT_max_only: { fn: (x, b) => x.clamp(null, b) },
  clampT_equal: { fn: (x, a, b) => M.clamp(x, a, b) },
  clampT_crossed: { fn: (x, a, b) => M.clamp(x, a, b) },
  clampT_broadcast: { fn: (x, a, b) => x.clamp(a, b) },
  clampT_min_inf: { fn: (x, a) => M.clamp(x, a, undefined) },

  cos_default: { fn: (a, b) => M.cosineSimilarity(a, b) },
  cos_axis_neg: { fn: (a, b) => M.cosineSimilarity(a, b, { axis: -1 }) },
  cos_broadcast: { fn: (a, b) => M.cosineSimilarity(a, b, { axis: -1 }) },
  cos_broadcast_axis: { fn: (a, b) => M.cosineSimilarity(a, b, { axis: 0 }) },
  cos_tiny: { fn: (a, b) => M.cosineSimilarity(a, b, { eps: 1e-3 }) },
  cos_zero: { fn: (a, b) => M.cosineSimilarity(a, b) },
  cos_1d: { fn: (a, b) => M.cosineSimilarity(a, b, { axis: 0 }) },
  cos_nan: { fn: (a, b) => M.cosineSimilarity(a, b) },

  pd_default: { fn: (a, b) => M.pairwiseDistance(a, b) },
  pd_p1: { fn: (a, b) => M.pairwiseDistance(a, b, { p: 1 }) },
  pd_p3_keep: { fn: (a, b) => M.pairwiseDistance(a, b, { p: 3, keepDims: true }) },
  pd_inf_ties: { fn: (a, b) => M.pairwiseDistance(a, b, { p: inf }) },
  pd_p05: { fn: (a, b) => M.pairwiseDistance(a, b, { p: 0.5, eps: 0 }) },
  pd_zero_p2: { fn: (a, b) => M.pairwiseDistance(a, b, { eps: 0 }) },
  pd_zero_p1: { fn: (a, b) => M.pairwiseDistance(a, b, { p: 1, eps: 0 }) },
  pd_zero_p3: { fn: (a, b) => M.pairwiseDistance(a, b, { p: 3, eps: 0 }) },
  pd_zero_inf: { fn: (a, b) => M.pairwiseDistance(a, b, { p: inf, eps: 0 }) },
  pd_1d: { fn: (a, b) => M.pairwiseDistance(a, b) },
  pd_0d: { fn: (a, b) => M.pairwiseDistance(a, b) },
  pd_broadcast_keep: { fn: (a, b) => M.pairwiseDistance(a, b, { keepDims: true }) },

  norm_default: { fn: (x) => M.normalize(x) },
  norm_zero_row: { fn: (x) => M.normalize(x) },
  norm_inf_ties: { fn: (x) => M.normalize(x, { p: inf, axis: 1 }) },
  norm_p1_neg_axis: { fn: (x) => M.normalize(x, { p: 1, axis: -1 }) },
  norm_p3_axis0: { fn: (x) => M.normalize(x, { p: 3, axis: 0 }) },
  norm_p05: { fn: (x) => M.normalize(x, { p: 0.5, axis: -1 }) },
  norm_1d: { fn: (x) => M.normalize(x, { axis: 0 }) },
  norm_eps: { fn: (x) => M.normalize(x, { eps: 0.5 }) },

  cdist_batch: { fn: (a, b) => M.cdist(a, b) },
  cdist_batch_broadcast: { fn: (a, b) => M.cdist(a, b, { p: 1 }) },
  // torch computes p = 2 through a matrix product when P or R > 25 (|x|² + |y|² - 2 x·y, then sqrt);
  // memograd always sums the squared differences: they agree to the rounding of that expansion
  cdist_large_mm: { fn: (a, b) => M.cdist(a, b), tol: 1e-10 },
  cdist_empty_cols: { fn: (a, b) => M.cdist(a, b) },
};
for (const [name, p] of [['0_0', 0], ['0_5', 0.5], ['1_0', 1], ['2_0', 2], ['3_0', 3], ['inf', inf]] as const) {
  specs[`cdist_p${name}`] = { fn: (a: Tensor, b: Tensor) => M.cdist(a, b, { p }) };
  specs[`cdist_rand_p${name}`] = { fn: (a: Tensor, b: Tensor) => M.cdist(a, b, { p }) };
}

describeTorchFixture('activations, distances and tensor-bound clamp match PyTorch', new URL('./fixtures/torch-act.json', import.meta.url), specs);
