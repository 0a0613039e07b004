/**
 * The scan family against PyTorch 1.13 (fixtures/torch_scan.py): values and gradients within
 * 1e-12, including cumprod with zeros, ties and NaN in sort/topk/kthValue (indices too), descending
 * and negative axes, roll with several axes and negative shifts, flip of several axes.
 */
import * as M from '../src/index.ts';
import type { Tensor } from '../src/index.ts';
import { describeTorchFixture, type TorchSpec } from './support/torch-fixture.ts';

const f = (fn: (x: Tensor) => Tensor): TorchSpec => ({ fn: (x) => fn(x!) });

const specs: Record<string, TorchSpec> = {
  cumsum_1d: f((x) => M.cumsum(x, 0)),
  cumsum_axis1: f((x) => M.cumsum(x, 1)),
  cumsum_neg_axis: f((x) => x.cumsum(-2)),
  cumsum_scalar: f((x) => M.cumsum(x, 0)),
  cumsum_inf_nan: f((x) => M.cumsum(x, 0)),

  cumprod_1d: f((x) => M.cumprod(x, 0)),
  cumprod_axis0: f((x) => M.cumprod(x, 0)),
  cumprod_neg_axis: f((x) => x.cumprod(-1)),
  cumprod_one_zero: f((x) => M.cumprod(x, 0)),
  cumprod_zero_first: f((x) => M.cumprod(x, 0)),
  cumprod_zero_last: f((x) => M.cumprod(x, 0)),
  cumprod_two_zeros: f((x) => M.cumprod(x, 0)),
  cumprod_all_zeros: f((x) => M.cumprod(x, 0)),
  cumprod_zeros_rows: f((x) => M.cumprod(x, 1)),
  cumprod_scalar: f((x) => M.cumprod(x, -1)),

  logcumsumexp_1d: f((x) => M.logCumSumExp(x, 0)),
  logcumsumexp_axis1: f((x) => M.logCumSumExp(x, 1)),
  logcumsumexp_neg_axis: f((x) => x.logCumSumExp(-3)),
  logcumsumexp_large: f((x) => M.logCumSumExp(x, 0)),
  logcumsumexp_neg_large: f((x) => M.logCumSumExp(x, 0)),
  logcumsumexp_ninf: f((x) => M.logCumSumExp(x, 0)),
  logcumsumexp_inf: f((x) => M.logCumSumExp(x, 0)),

  sort_1d: f((x) => M.sort(x).values),
  sort_desc_axis0: f((x) => M.sort(x, { axis: 0, descending: true }).values),
  sort_neg_axis: f((x) => x.sort({ axis: -2 }).values),
  sort_ties: f((x) => M.sort(x).values),
  sort_ties_indices: f((x) => M.sort(x).indices),
  sort_ties_desc: f((x) => M.sort(x, { descending: true }).values),
  sort_ties_desc_indices: f((x) => M.sort(x, { descending: true }).indices),
  sort_stable_40: f((x) => M.sort(x, { stable: true }).values),
  sort_stable_40_indices: f((x) => M.sort(x, { stable: true }).indices),
  sort_stable_desc_40_indices: f((x) => M.sort(x, { descending: true, stable: true }).indices),
  sort_nan: f((x) => M.sort(x).values),
  sort_nan_indices: f((x) => M.sort(x).indices),
  sort_nan_desc: f((x) => M.sort(x, { descending: true }).values),
  sort_nan_desc_indices: f((x) => M.sort(x, { descending: true }).indices),
  argsort_rows: f((x) => M.argsort(x, { axis: 1 })),
  argsort_desc_axis0: f((x) => x.argsort({ axis: 0, descending: true })),

  topk_1d: f((x) => M.topk(x, 3).values),
  topk_smallest_axis0: f((x) => M.topk(x, 2, { axis: 0, largest: false }).values),
  topk_neg_axis: f((x) => x.topk(2, { axis: -2 }).values),
  topk_ties: f((x) => M.topk(x, 3).values),
  topk_ties_indices: f((x) => M.topk(x, 5).indices),
  topk_ties_grad: f((x) => M.topk(x, 5).values),
  topk_ties_smallest: f((x) => M.topk(x, 4, { largest: false }).values),
  topk_ties_smallest_indices: f((x) => M.topk(x, 4, { largest: false }).indices),
  topk_ties_40: f((x) => M.topk(x, 7).values),
  topk_ties_40_indices: f((x) => M.topk(x, 7).indices),
  topk_ties_40_smallest_indices: f((x) => M.topk(x, 20, { largest: false }).indices),
  topk_partial_sort_300_indices: f((x) => M.topk(x, 4).indices),
  topk_partial_sort_300: f((x) => M.topk(x, 4, { largest: false }).values),
  topk_k20_of_300_indices: f((x) => M.topk(x, 20).indices),
  topk_k5_of_300_indices: f((x) => M.topk(x, 5, { largest: false }).indices),
  topk_nan: f((x) => M.topk(x, 3).values),
  topk_nan_indices: f((x) => M.topk(x, 3).indices),
  topk_nan_smallest_indices: f((x) => M.topk(x, 6, { largest: false }).indices),
  topk_unsorted_indices: f((x) => M.topk(x, 5, { sorted: false }).indices),
  topk_k0: f((x) => M.topk(x, 0, { axis: 1 }).values),

  kthvalue_1d: f((x) => M.kthValue(x, 3).values),
  kthvalue_axis0_keepdim: f((x) => M.kthValue(x, 2, { axis: 0, keepDims: true }).values),
  kthvalue_neg_axis: f((x) => x.kthValue(1, { axis: -2 }).values),
  kthvalue_ties: f((x) => M.kthValue(x, 2).values),
  kthvalue_ties_indices_2: f((x) => M.kthValue(x, 2).indices),
  kthvalue_ties_indices_4: f((x) => M.kthValue(x, 4).indices),
  kthvalue_ties_indices_6: f((x) => M.kthValue(x, 6).indices),
  kthvalue_ties_grad_6: f((x) => M.kthValue(x, 6).values),
  kthvalue_ties_40_indices: f((x) => M.stack(Array.from({ length: 40 }, (_, k) => M.kthValue(x, k + 1).indices))),
  kthvalue_rows_ties: f((x) => M.kthValue(x, 3, { axis: 1 }).values),
  kthvalue_rows_ties_indices: f((x) => M.kthValue(x, 3, { axis: 1 }).indices),
  kthvalue_nan: f((x) => M.kthValue(x, 6).values),
  kthvalue_nan_indices: f((x) => M.kthValue(x, 7).indices),
  kthvalue_scalar: f((x) => M.kthValue(x, 1).values),

  flip_1d: f((x) => M.flip(x, [0])),
  flip_two_axes: f((x) => M.flip(x, [0, 2])),
  flip_neg_axes: f((x) => x.flip([-1, -2])),
  flip_none: f((x) => M.flip(x, [])),

  roll_1d: f((x) => M.roll(x, 2)),
  roll_flat: f((x) => M.roll(x, 4)),
  roll_flat_negative: f((x) => x.roll(-7)),
  roll_axis: f((x) => M.roll(x, 1, 1)),
  roll_two_axes_neg: f((x) => M.roll(x, [-1, 5], [0, -1])),
  roll_repeated_axis: f((x) => M.roll(x, [1, 1], [0, 0])),
  roll_three_axes: f((x) => x.roll([-2, 3, -1], [2, 0, 1])),
};

describeTorchFixture('scan ops against PyTorch', new URL('./fixtures/torch-scan.json', import.meta.url), specs);
