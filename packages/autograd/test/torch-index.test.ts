/**
 * The indexing family against PyTorch 1.13 (fixtures/torch_index.py -> torch-index.json): values and
 * gradients of basic and advanced indexing, index_put, masked_fill, scatter, scatter_add and
 * index_add, repeated indices included. Index tensors are recorded as float inputs and are not
 * differentiated.
 */
import * as M from '../src/index.ts';
import { mask, s, type Tensor } from '../src/index.ts';
import { describeTorchFixture, type TorchSpec } from './support/torch-fixture.ts';

const url = new URL('./fixtures/torch-index.json', import.meta.url);
const ix = (...specs: M.IndexSpec[]): TorchSpec => ({ fn: (x: Tensor) => x.at(...specs) });
// the shared runner differentiates every input (its `differentiable` option makes grad() refuse the others), so index
// inputs require grad here too; they receive no gradient, and the fixture records none to compare
const two = (fn: (a: Tensor, b: Tensor) => Tensor): TorchSpec => ({ fn: (...xs: Tensor[]) => fn(xs[0]!, xs[1]!) });
const m2 = [[true, false, true, false], [false, false, true, true], [true, true, false, false]];
const mf = [[true, false, true], [false, false, true]];

describeTorchFixture('indexing', url, {
  slice_step: ix('1:3', '::2'),
  ellipsis_newaxis_int: ix('...', null, 0),
  negative_int: ix(-1, ':', -2),
  clamped_slice: ix(s(-10, 10), s(1, 100, 3), s(null, -1)),
  empty_slice: ix('2:1'),
  newaxis_front_back: ix(null, 1, ':', null),
  int_only: ix(1, 2, 3),
  adv_separated: ix([0, 2], ':', [1, 1]),
  adv_adjacent: ix(':', [0, 2, 3], [1, 1, 4]),
  adv_broadcast: ix([[0], [2]], ':', [1, 3, 4]),
  adv_dup_negative: ix([0, -1, 0, 2]),
  adv_int_mixed: ix(':', 0, [1, 4, 1]),
  adv_none_separates: ix(':', [0, 1], null, [2, 3]),
  adv_ellipsis_empty: ix(':', [0, 1], '...', [2, 3]),
  adv_then_mask: { fn: (x) => x.at(':', [0, 2]).at(mask([[true, false], [false, true], [true, true]])) },
  mask_2d: ix(m2),
  mask_1d_axis1: ix(':', mask([1, 0, 1, 1])),
  mask_with_array: ix(':', [true, false, true, false], [0, 4]),
  mask_all_false: ix([false, false, false]),
  tensor_index: two((x, i) => x.at(':', i)),
  index_put_accumulate_dups: two((x, v) => M.indexPut(x, [[0, 2, 0, 0]], v, { accumulate: true })),
  index_put_assign: two((x, v) => x.indexPut([[2, 0], [1, 3]], v)),
  index_put_broadcast_value: two((x, v) => M.indexPut(x, [[1, 2]], v)),
  index_put_mask: two((x, v) => M.indexPut(x, [mask([[1, 0], [0, 1]])], v)),
  index_put_2d_accumulate: two((x, v) => M.indexPut(x, [[[0, 1], [1, 1]], [[2, 2], [2, 0]]], v, { accumulate: true })),
  masked_fill_number: { fn: (x) => M.maskedFill(x, mf, 0.5) },
  masked_fill_tensor_value: two((x, v) => x.maskedFill(mf, v)),
  masked_fill_broadcast_mask: two((x, v) => M.maskedFill(x, [true, false, true], v)),
  masked_fill_inf: { fn: (x) => M.maskedFill(x, mask(mf), -Infinity) },
  scatter_axis0: two((x, src) => M.scatter(x, 0, [[1, 0, 2], [0, 2, 1]], src)),
  scatter_axis1_larger_src: two((x, src) => x.scatter(1, [[3], [0]], src)),
  scatter_neg_axis_value: { fn: (x) => M.scatter(x, -1, [[0, 2], [1, 1]], 2.5) },
  scatter_add_dups: two((x, src) => M.scatterAdd(x, 0, [[0, 1, 0], [0, 0, 0]], src)),
  scatter_add_axis1: two((x, src) => x.scatterAdd(1, [[2, 2, 0, 1], [1, 1, 1, 1]], src)),
  scatter_reduce_add: two((x, src) => M.scatter(x, 0, [0, 0, 1], src, { reduce: 'add' })),
  index_add_dups: two((x, src) => M.indexAdd(x, 0, [0, 2, 0], src)),
  index_add_alpha_axis1: two((x, src) => x.indexAdd(1, [1, 1], src, { alpha: -2.5 })),
  index_add_neg_axis: two((x, src) => M.indexAdd(x, -1, [3, 0, 3], src)),
});
