/**
 * The layout family against PyTorch (fixtures/torch_layout.py writes fixtures/torch-layout.json):
 * values and gradients within 1e-12 in float64. Ops returning several tensors (split, chunk, unbind)
 * are compared as torch_layout.py combines them: piece k scaled by k + 1, joined again.
 */
import * as M from '../src/index.ts';
import type { Tensor } from '../src/index.ts';
import { describeTorchFixture, type TorchSpec } from './support/torch-fixture.ts';

const f = (fn: (...xs: Tensor[]) => Tensor): TorchSpec => ({ fn });
const joined = (ps: Tensor[], axis: number) => M.cat(ps.map((p, k) => p.mul(k + 1)), axis);
const stacked = (ps: Tensor[], axis: number) => M.stack(ps.map((p, k) => p.mul(k + 1)), axis);

const specs: Record<string, TorchSpec> = {
  repeat_2d: f((x) => x.repeat([2, 3])),
  repeat_lead: f((x) => x.repeat([2, 1, 2])),
  repeat_0d: f((x) => M.repeat(x, [3, 2])),
  repeat_zero: f((x) => x.repeat([0, 2])),
  tile_short: f((x) => x.tile([2])),
  tile_long: f((x) => M.tile(x, [2, 1, 2])),
  ri_flat: f((x) => M.repeatInterleave(x, 2)),
  ri_axis0: f((x) => x.repeatInterleave([1, 0, 3], { axis: 0 })),
  ri_axis_neg: f((x) => M.repeatInterleave(x, [2, 1, 1], { axis: -1 })),
  ri_one_count: f((x) => M.repeatInterleave(x, [2], { axis: 1 })),
  ri_0d: f((x) => x.repeatInterleave(3)),
  split_size: f((x) => joined(x.split(2, 1), 1)),
  split_sections: f((x) => joined(M.split(x, [1, 0, 2], 0), 0)),
  split_neg_axis: f((x) => joined(M.split(x, 3, -1), -1)),
  chunk_4_of_6: f((x) => joined(x.chunk(4), 0)),
  chunk_5_of_6: f((x) => joined(M.chunk(x, 5, 1), 1)),
  unbind_0: f((x) => stacked(x.unbind(), 0)),
  unbind_neg: f((x) => stacked(M.unbind(x, -1), -1)),
  ...Object.fromEntries([0, 1, -1, 5, -5].flatMap((k) => [
    [`tril_${k}`, f((x) => x.tril(k))],
    [`triu_${k}`, f((x) => M.triu(x, k))],
  ])),
  tril_batched: f((x) => M.tril(x, -1)),
  triu_batched: f((x) => x.triu(1)),
  tril_nan: f((x) => x.tril()),
  diag_vec: f((x) => x.diag()),
  diag_vec_pos: f((x) => M.diag(x, 2)),
  diag_vec_neg: f((x) => M.diag(x, -1)),
  diag_mat: f((x) => M.diag(x)),
  diag_mat_pos: f((x) => x.diag(1)),
  diag_mat_neg: f((x) => M.diag(x, -2)),
  diagonal_default: f((x) => x.diagonal()),
  diagonal_3d: f((x) => M.diagonal(x, { offset: 1, axis1: 0, axis2: 2 })),
  diagonal_neg_axes: f((x) => x.diagonal({ offset: -1, axis1: -1, axis2: -3 })),
  diagonal_swapped: f((x) => M.diagonal(x, { offset: 1, axis1: 1, axis2: 0 })),
  diagonal_past_edge: f((x) => M.diagonal(x, { offset: 5 })),
  trace_square: f((x) => x.trace()),
  trace_wide: f((x) => M.trace(x)),
  pad_const_1d: f((x) => M.pad(x, [1, 2])),
  pad_const_value: f((x) => M.pad(x, [1, 0, 0, 2], { value: 1.5 })),
  pad_const_all_axes: f((x) => M.pad(x, [1, 1, 2, 0, 0, 1])),
  pad_const_neg: f((x) => M.pad(x, [-1, 2, 1, -1])),
  pad_const_crop_empty: f((x) => M.pad(x, [-2, -1], { mode: 'constant' })),
  ...Object.fromEntries((['reflect', 'replicate', 'circular'] as const).flatMap((mode) => [
    [`pad_${mode}_1d`, f((x) => M.pad(x, [2, 1], { mode }))],
    [`pad_${mode}_2d`, f((x) => M.pad(x, [1, 2, 2, 1], { mode }))],
    [`pad_${mode}_3d`, f((x) => M.pad(x, [1, 0, 0, 1, 1, 1], { mode }))],
    [`pad_${mode}_neg`, f((x) => M.pad(x, [-1, 2], { mode }))],
  ])),
  pad_reflect_unbatched: f((x) => M.pad(x, [2, 2], { mode: 'reflect' })),
  pad_replicate_unbatched_2d: f((x) => M.pad(x, [3, 1, 1, 2], { mode: 'replicate' })),
  einsum_matmul: f((a, b) => M.einsum('ij,jk->ik', a, b)),
  einsum_matmul_implicit: f((a, b) => M.einsum('ij,jk', a, b)),
  einsum_diag: f((x) => M.einsum('ii->i', x)),
  einsum_trace: f((x) => M.einsum('ii', x)),
  einsum_bmm: f((a, b) => M.einsum('bij,bjk->bik', a, b)),
  einsum_ellipsis: f((a, b) => M.einsum('...ij,...jk', a, b)),
  einsum_outer: f((a, b) => M.einsum('i,j->ij', a, b)),
  einsum_transpose3: f((x) => M.einsum('ijk->kji', x)),
  einsum_three: f((a, b, d) => M.einsum('ij,jk,kl->il', a, b, d)),
  einsum_three_shared: f((a, b, d) => M.einsum('bn,anm,bm->ba', a, b, d)),
  einsum_implicit_order: f((x) => M.einsum('ba', x)),
  einsum_implicit_upper: f((a, b) => M.einsum('bA,Zb', a, b)),
  einsum_dot: f((a, b) => M.einsum('i,i->', a, b)),
  einsum_sum_all: f((x) => M.einsum('ij->', x)),
  einsum_broadcast_label: f((a, b) => M.einsum('ij,jk->ik', a, b)),
  einsum_ell_summed: f((x) => M.einsum('...ij->ji', x)),
  einsum_ell_middle: f((x) => M.einsum('i...i->...', x)),
  einsum_hadamard: f((a, b) => M.einsum('ij,ij->ij', a, b)),
  einsum_spaces: f((a, b) => M.einsum('i j , j k -> k i', a, b)),
  einsum_diag_3: f((x) => M.einsum('iij->ji', x)),
  einsum_scalars: f((a, b) => M.einsum(',->', a, b)),
};

describeTorchFixture('layout ops against PyTorch', new URL('./fixtures/torch-layout.json', import.meta.url), specs);
