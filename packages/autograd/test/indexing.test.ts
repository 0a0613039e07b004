/**
 * The indexing family's own tests: messages of the errors, edge cases (empty results, 0-d, negative
 * steps, float32), where memograd defines what PyTorch leaves open (repeated writes), second order
 * through the adjoints, and that basic indexing is one strided copy.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, Tensor, arange, grad, gradcheck, gradgradcheck, index, indexAdd, indexPut, mask, maskedFill, s,
  scatter, scatterAdd, slice, tensor, zeros,
} from '../src/index.ts';

const x3 = () => arange(0, 24, 1, { dtype: 'float64' }).reshape([2, 3, 4]);
const vals = (t: Tensor) => Array.from(t.data);
const f64 = (v: unknown, requiresGrad = false) => tensor(v as number[], { dtype: 'float64', requiresGrad });

function throwsWith(fn: () => unknown, cls: new (...a: any[]) => Error, re: RegExp): void {
  expect(fn).toThrow(cls);
  expect(fn).toThrow(re);
}

describe('index / at: basic indexing', () => {
  it('negative steps reverse, as NumPy (PyTorch refuses them)', () => {
    expect.hasAssertions();
    const x = arange(0, 6, 1, { dtype: 'float64' });
    expect(vals(x.at('::-1'))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(vals(x.at(s(4, 0, -2)))).toEqual([4, 2]);
    expect(vals(x.at(s(-1, -10, -3)))).toEqual([5, 2]);
    expect(vals(x.at(s(null, 2, -1)))).toEqual([5, 4, 3]);
  });
  it('clamps slice bounds as Python and gives empty results', () => {
    expect.hasAssertions();
    const x = x3();
    expect(x.at('5:', ':').shape).toEqual([0, 3, 4]);
    expect(x.at(s(-100, 100)).shape).toEqual([2, 3, 4]);
    expect(index(x, [':', '3:1:-1']).shape).toEqual([2, 1, 4]); // start 3 clamps to 2
    expect(index(x, [':', '1:3:-1']).shape).toEqual([2, 0, 4]);
  });
  it('null, ellipsis and a single spec', () => {
    expect.hasAssertions();
    const x = x3();
    expect(x.at(null).shape).toEqual([1, 2, 3, 4]);
    expect(x.at('...', null).shape).toEqual([2, 3, 4, 1]);
    expect(index(x, 1).shape).toEqual([3, 4]);
    expect(x.at('...').shape).toEqual([2, 3, 4]);
    expect(tensor(5).at(null, '...').shape).toEqual([1]);
  });
  it('reads a strided block with negative steps', () => {
    expect.hasAssertions();
    const y = x3().at(1, '::2', '::-3');
    expect(vals(y)).toEqual([15, 12, 23, 20]);
    expect(x3().at('...')).toBeInstanceOf(Tensor);
  });
  it('keeps float32', () => {
    expect.hasAssertions();
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.at(':', [1, 0]).dtype).toBe('float32');
    expect(x.at(0).dtype).toBe('float32');
  });
});

describe('index / at: advanced indexing and masks', () => {
  it('places the broadcast block where PyTorch does', () => {
    expect.hasAssertions();
    const x = arange(0, 120, 1, { dtype: 'float64' }).reshape([2, 3, 4, 5]);
    expect(x.at(':', 0, ':', [0, 1]).shape).toEqual([2, 4, 2]); // integers are dropped first (NumPy: [2, 2, 4])
    expect(x.at(':', [0, 1], null, [0, 1]).shape).toEqual([2, 2, 1, 5]); // null separates: the block goes first
    expect(x.at([[0], [1]], ':', ':', [0, 1, 2]).shape).toEqual([2, 3, 3, 4]);
    expect(x.at(':', [0, 1], '...', [2, 3]).shape).toEqual([2, 2, 4]);
  });
  it('a mask selects its non-zero positions; a plain 0/1 array is integer indices', () => {
    expect.hasAssertions();
    const x = tensor([10, 20, 30], { dtype: 'float64' });
    expect(vals(x.at(mask([1, 0, 1])))).toEqual([10, 30]);
    expect(vals(x.at([true, false, true]))).toEqual([10, 30]);
    expect(vals(x.at([1, 0, 1]))).toEqual([20, 10, 20]);
    expect(vals(x.at(mask(x.gt(15))))).toEqual([20, 30]);
  });
  it('a 0-d tensor index is an integer', () => {
    expect.hasAssertions();
    expect(x3().at(tensor(1), ':', [0, 1]).shape).toEqual([3, 2]);
  });
  it('index tensors get no gradient; the input gets the scattered sum', () => {
    expect.hasAssertions();
    const x = f64([1, 2, 3], true);
    const i = f64([0, 0, 2], true);
    const [gx, gi] = grad(x.at(i).sum(), [x, i], { allowUnused: true });
    expect(vals(gx!)).toEqual([2, 0, 1]);
    expect(vals(gi!)).toEqual([0, 0, 0]);
  });
  it('second order through basic and advanced indexing', () => {
    expect.hasAssertions();
    const x = tensor([[0.5, -1, 2], [1.5, 0.3, -0.7]], { dtype: 'float64', requiresGrad: true });
    const f = (t: Tensor) => t.at(':', '::-2').square().sum().add(t.at([1, 0, 1], [2, 2, 0]).pow(3).sum());
    expect(gradcheck(f, [x]).ok).toBe(true);
    expect(gradgradcheck(f, [x]).ok).toBe(true);
  });
});

describe('index / at: errors name the op, axis, value and size', () => {
  const x = x3();
  it('out of range, not an integer, too many indices, two ellipses', () => {
    expect.hasAssertions();
    throwsWith(() => x.at(0, 3), ArgumentError, /^index: index 3 is out of range for axis 1 of size 3/);
    throwsWith(() => x.at(':', ':', [0, -5]), ArgumentError, /index -5 is out of range for axis 2 of size 4/);
    throwsWith(() => x.at(1.5), ArgumentError, /index 1.5 at axis 0 is not an integer/);
    throwsWith(() => x.at(0, 0, 0, 0), ArgumentError, /too many indices: 4 axes indexed but x has shape \[2, 3, 4\]/);
    throwsWith(() => x.at('...', 0, '...'), ArgumentError, /at most one '\.\.\.'/);
    throwsWith(() => x.at(s(0, 2, 0)), ArgumentError, /slice step at axis 0 must not be zero/);
    throwsWith(() => x.at('1:x' as never), ArgumentError, /'1:x' is not a slice/);
    throwsWith(() => x.at({ begin: 1 } as never), ArgumentError, /index 0 must be a number, a slice/);
  });
  it('masks and broadcasting', () => {
    expect.hasAssertions();
    throwsWith(() => x.at(mask([[1, 0]])), ShapeError, /the mask's shape \[1, 2\] does not match x's shape \[2, 3, 4\] at axis 0/);
    throwsWith(() => mask([0, 2]), ArgumentError, /a mask holds 0 or 1, got 2 at position 1/);
    throwsWith(() => x.at([0, 1], [0, 1, 2]), ShapeError, /cannot be broadcast together: shapes \[2\], \[3\]/);
  });
});

describe('indexPut', () => {
  it('assigns with the last write winning, and only it gets a gradient', () => {
    expect.hasAssertions();
    const x = f64([0, 0, 0], true);
    const v = f64([1, 2, 3], true);
    const y = indexPut(x, [[0, 2, 0]], v);
    expect(vals(y)).toEqual([3, 0, 2]);
    const [gx, gv] = grad(y.mul(f64([10, 20, 30])).sum(), [x, v]);
    expect(vals(gx!)).toEqual([0, 20, 0]);
    expect(vals(gv!)).toEqual([0, 30, 10]);
  });
  it('accumulates repeats and checks the values shape', () => {
    expect.hasAssertions();
    expect(vals(indexPut(zeros([2, 2], { dtype: 'float64' }), [[1, 1]], f64([1, 2]), { accumulate: true }))).toEqual([0, 0, 2, 4]);
    throwsWith(() => indexPut(zeros([2, 2]), [[1]], tensor([1, 2, 3])), ShapeError, /^indexPut: values of shape \[3\] do not broadcast to the indexed shape \[1, 2\]/);
    throwsWith(() => indexPut(zeros([2]), [[1]], tensor([1]), { accumulate: 1 as never }), ArgumentError, /accumulate must be a boolean/);
  });
});

describe('maskedFill', () => {
  it('fills, broadcasts the mask, and the 0-d value gets the masked sum', () => {
    expect.hasAssertions();
    const x = f64([[1, 2], [3, 4]], true);
    const v = tensor(7, { dtype: 'float64', requiresGrad: true });
    const y = maskedFill(x, [true, false], v);
    expect(vals(y)).toEqual([7, 2, 7, 4]);
    const [gx, gv] = grad(y.sum(), [x, v]);
    expect(vals(gx!)).toEqual([0, 1, 0, 1]);
    expect(gv!.item()).toBe(2);
    expect(vals(maskedFill(new Tensor(Float64Array.of(NaN, 1), [2], 'float64'), [1, 0], 0))).toEqual([0, 1]); // NaN under the mask is replaced
  });
  it('refuses non-0-d values and non-0/1 masks', () => {
    expect.hasAssertions();
    throwsWith(() => maskedFill(zeros([2]), [1, 0], tensor([1, 2])), ArgumentError, /^maskedFill: value must be a number or a 0-d tensor/);
    throwsWith(() => maskedFill(zeros([2]), [0.5, 0], 1), ArgumentError, /^maskedFill: a mask holds 0 or 1/);
    throwsWith(() => maskedFill(zeros([2]), [1, 0, 1], 1), ShapeError, /maskedFill/);
  });
});

describe('scatter, scatterAdd, indexAdd', () => {
  it('scatter: the last write wins along the axis; x gets no gradient where written', () => {
    expect.hasAssertions();
    const x = f64([0, 0, 0], true);
    const src = f64([1, 2, 3], true);
    const y = scatter(x, 0, [1, 1, 0], src);
    expect(vals(y)).toEqual([3, 2, 0]);
    const [gx, gs] = grad(y.mul(f64([10, 20, 30])).sum(), [x, src]);
    expect(vals(gx!)).toEqual([0, 0, 30]);
    expect(vals(gs!)).toEqual([0, 20, 10]);
    expect(vals(scatter(f64([1, 1, 1]), 0, [0, 0], f64([2, 3]), { reduce: 'multiply' }))).toEqual([6, 1, 1]);
    throwsWith(() => scatter(x, 0, [0], src, { reduce: 'multiply' }), ArgumentError, /reduce 'multiply' has no gradient/);
    throwsWith(() => scatter(x, 0, [0], src, { reduce: 'max' as never }), ArgumentError, /reduce must be 'add' or 'multiply'/);
  });
  it('scatterAdd and indexAdd: repeats add up; errors name the op', () => {
    expect.hasAssertions();
    expect(vals(scatterAdd(f64([0, 0]), 0, [1, 1, 0], f64([1, 2, 3])))).toEqual([3, 3]);
    expect(vals(indexAdd(f64([[0, 0], [0, 0]]), 1, [1, 1], f64([[1, 2], [3, 4]]), { alpha: 2 }))).toEqual([0, 6, 0, 14]);
    expect(indexAdd(tensor(1, { dtype: 'float64' }), 0, [0], tensor(2, { dtype: 'float64' })).item()).toBe(3);
    throwsWith(() => scatterAdd(zeros([2]), 0, [2], tensor([1])), ArgumentError, /^scatterAdd: index 2 at position 0 is out of range: expected an integer from 0 to 1 for axis 0 of size 2/);
    throwsWith(() => scatterAdd(zeros([2, 2]), 0, [[0, 0, 0]], zeros([1, 3])), ShapeError, /index size 3 exceeds x's size 2 at axis 1/);
    throwsWith(() => scatterAdd(zeros([2, 2]), 0, [[0, 0]], zeros([1, 1])), ShapeError, /src of shape \[1, 1\] must have the index's rank and be at least as large/);
    throwsWith(() => indexAdd(zeros([2, 2]), 0, [0], zeros([2, 2])), ShapeError, /^indexAdd: source has shape \[2, 2\]/);
    throwsWith(() => indexAdd(zeros([2, 2]), 0, [-1], zeros([1, 2])), ArgumentError, /negative/);
  });
  it('second order', () => {
    expect.hasAssertions();
    const x = f64([[0.5, -1, 2], [1.5, 0.3, -0.7]], true);
    const src = f64([[0.2, 0.4, -0.3], [1.1, -0.9, 0.6]], true);
    const f = (a: Tensor, b: Tensor) => scatter(a, 1, [[0, 0, 2], [1, 2, 1]], b).square().sum()
      .add(scatterAdd(a, 0, [[1, 0, 1], [1, 1, 0]], b.mul(b)).pow(3).sum())
      .add(indexAdd(a, 0, [1, 1], b, { alpha: -2 }).exp().sum());
    expect(gradcheck(f, [x, src]).ok).toBe(true);
    expect(gradgradcheck(f, [x, src]).ok).toBe(true);
  });
});

describe('slice with a step', () => {
  it('strides forward and backward, keeps the old signature, refuses what does not fit', () => {
    expect.hasAssertions();
    const x = arange(0, 10, 1, { dtype: 'float64' });
    expect(vals(slice(x, [1], [3], [3]))).toEqual([1, 4, 7]);
    expect(vals(slice(x, [-1], [-1], [-4]))).toEqual([9, 5, 1]);
    expect(vals(slice(x, [2], [2]))).toEqual([2, 3]);
    expect(vals(x.slice([8], undefined, [2]))).toEqual([8]);
    throwsWith(() => slice(x, [1], [4], [3]), ArgumentError, /^slice: size 4 from begin 1 by step 3 does not fit axis 0/);
    throwsWith(() => slice(x, [0], [1], [0]), ArgumentError, /step 0 at axis 0 must be a non-zero integer/);
    const y = f64([1, 2, 3, 4, 5], true);
    expect(gradgradcheck((t: Tensor) => slice(t, [4], [3], [-2]).pow(3).sum(), [y]).ok).toBe(true);
  });
});
