/**
 * The layout family's own tests (the registry's property tests and torch-layout.test.ts cover the
 * values and gradients): argument errors with their messages, empty and 0-d tensors, negative axes,
 * float32, NaN, what the multi-output ops return, and the internal adjoints' second order.
 */
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ArgumentError, ShapeError, Tensor } from '../src/index.ts';

const f64 = (v: unknown, shape?: number[]) => M.tensor(v as number[], { dtype: 'float64', ...(shape ? { shape } : {}) });
const arange = (n: number, shape: number[]) => M.tensor(Float64Array.from({ length: n }, (_, i) => i), { shape });
const data = (t: Tensor) => Array.from(t.data);

describe('repeat / tile', () => {
  it('adds leading axes and repeats, as Tensor.repeat', () => {
    const x = f64([1, 2]);
    const r = M.repeat(x, [2, 2]);
    expect(r.shape).toEqual([2, 4]);
    expect(data(r)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(M.repeat(M.scalar(3), [2]).shape).toEqual([2]);
    expect(M.repeat(x, [0, 1]).shape).toEqual([0, 2]);
  });
  it('tile pads short reps with leading 1s; repeat refuses them', () => {
    const x = arange(6, [2, 3]);
    expect(M.tile(x, [2]).shape).toEqual([2, 6]);
    expect(M.tile(x, []).shape).toEqual([2, 3]);
    expect(() => M.repeat(x, [2])).toThrow(/^repeat: reps \[2\] has 1 values, fewer than the 2 axes of x \[2, 3\]/);
  });
  it('names the op and the bad value', () => {
    expect(() => M.repeat(f64([1]), [-1])).toThrow(ArgumentError);
    expect(() => M.repeat(f64([1]), [-1])).toThrow(/^repeat: reps/);
    expect(() => M.tile(f64([1]), [1.5])).toThrow(/^tile: reps/);
    expect(() => M.tile(f64([1]), 2 as never)).toThrow(/^tile: reps must be an array/);
  });
  it('sums the tiles in the gradient, also with empty repeats', () => {
    const x = M.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const [g] = M.grad(M.repeat(x, [3, 2]).sum(), [x]);
    expect(data(g!)).toEqual([6, 6]);
    const [g0] = M.grad(M.repeat(x, [0, 2]).sum(), [x]);
    expect(data(g0!)).toEqual([0, 0]);
  });
});

describe('repeatInterleave', () => {
  it('flattens without an axis, as torch', () => {
    expect(data(M.repeatInterleave(arange(4, [2, 2]), 2))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(M.repeatInterleave(M.scalar(5), 3).shape).toEqual([3]);
  });
  it('takes one count per element, one count for all, and a negative axis', () => {
    expect(data(M.repeatInterleave(arange(3, [3]), [0, 2, 1], { axis: -1 }))).toEqual([1, 1, 2]);
    expect(data(M.repeatInterleave(arange(2, [2]), [3], { axis: 0 }))).toEqual([0, 0, 0, 1, 1, 1]);
  });
  it('refuses bad repeats and axes, naming the op', () => {
    const x = arange(3, [3]);
    expect(() => M.repeatInterleave(x, [1, 2], { axis: 0 })).toThrow(/^repeatInterleave: repeats has 2 values but axis 0 of \[3\] has 3 elements/);
    expect(() => M.repeatInterleave(x, -1)).toThrow(/^repeatInterleave: repeats\[0\] must be an integer/);
    expect(() => M.repeatInterleave(x, 2, { axis: 1 })).toThrow(/^repeatInterleave: axis 1 is out of range/);
    expect(() => M.repeatInterleave(M.scalar(1), 2, { axis: 0 })).toThrow(ShapeError);
    expect(() => M.repeatInterleave(x, 2, { dim: 0 } as never)).toThrow(/unknown option/);
  });
  it('its adjoint repeatInterleaveGrad has a second order (gradgradcheck)', () => {
    const x = M.tensor([0.3, -0.7, 1.1], { dtype: 'float64', requiresGrad: true });
    const f = (t: Tensor) => M.repeatInterleave(t, [2, 0, 3]).square();
    expect(M.gradgradcheck(f, [x]).ok).toBe(true);
  });
});

describe('split / chunk / unbind', () => {
  const x = arange(10, [2, 5]);
  it('split by size leaves a smaller last piece; by sections must add up', () => {
    expect(M.split(x, 2, 1).map((p) => p.shape)).toEqual([[2, 2], [2, 2], [2, 1]]);
    expect(M.split(x, [1, 0, 4], -1).map((p) => p.shape)).toEqual([[2, 1], [2, 0], [2, 4]]);
    expect(M.split(x, 9, 1).map((p) => p.shape)).toEqual([[2, 5]]);
    expect(() => M.split(x, [1, 2], 1)).toThrow(/^split: sections \[1, 2\] add up to 3, not to the size 5 of axis 1/);
    expect(() => M.split(x, 0, 1)).toThrow(/^split: size 0 splits only an empty axis/);
    expect(M.split(M.zeros([0]), 0).map((p) => p.shape)).toEqual([[0]]);
    expect(() => M.split(M.scalar(1), 1)).toThrow(/^split: cannot split a 0-d tensor/);
  });
  it('chunk sizes pieces ceil(n / chunks), so there may be fewer pieces', () => {
    expect(M.chunk(arange(6, [6]), 4).map((p) => p.shape)).toEqual([[2], [2], [2]]);
    expect(M.chunk(arange(6, [6]), 5).map((p) => p.shape)).toEqual([[2], [2], [2]]);
    expect(M.chunk(arange(7, [7]), 3).map((p) => data(p))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(M.chunk(M.zeros([0]), 3).map((p) => p.shape)).toEqual([[0], [0], [0]]);
    expect(() => M.chunk(x, 0)).toThrow(/^chunk: chunks must be an integer from 1 to 2147483647, got 0/);
  });
  it('unbind drops the axis', () => {
    const ps = M.unbind(x, -1);
    expect(ps.map((p) => p.shape)).toEqual(Array.from({ length: 5 }, () => [2]));
    expect(data(ps[1]!)).toEqual([1, 6]);
    expect(() => M.unbind(M.scalar(1))).toThrow(/^unbind: cannot unbind a 0-d tensor/);
    expect(() => M.unbind(x, 2)).toThrow(/^unbind: axis 2 is out of range/);
  });
  it('the pieces carry gradients back into their slices', () => {
    const t = M.tensor([1, 2, 3, 4, 5], { dtype: 'float64', requiresGrad: true });
    const [a, b] = M.split(t, [2, 3]);
    const [g] = M.grad(a!.sum().add(b!.mul(3).sum()), [t]);
    expect(data(g!)).toEqual([1, 1, 3, 3, 3]);
  });
});

describe('tril / triu', () => {
  it('mask the last two axes of a batch, NaN included', () => {
    const x = M.tensor(Float64Array.of(1, NaN, 3, 4, 5, 6, 7, 8), { shape: [2, 2, 2] });
    expect(data(M.tril(x))).toEqual([1, 0, 3, 4, 5, 0, 7, 8]);
    expect(data(M.triu(x, 1))).toEqual([0, NaN, 0, 0, 0, 6, 0, 0]);
    expect(data(M.tril(x, -5))).toEqual(new Array(8).fill(0));
  });
  it('keep float32 and empty matrices', () => {
    const x = M.ones([2, 3]);
    expect(M.triu(x).dtype).toBe('float32');
    expect(M.tril(M.zeros([0, 3])).shape).toEqual([0, 3]);
  });
  it('need a matrix and an integer diagonal', () => {
    expect(() => M.tril(f64([1, 2]))).toThrow(/^tril: needs at least 2 axes .*\[2\]/);
    expect(() => M.triu(f64([[1]]), 0.5)).toThrow(/^triu: diagonal must be an integer, got 0.5/);
  });
});

describe('diag / diagonal / trace', () => {
  it('diag embeds a vector on an offset diagonal and reads one from a matrix', () => {
    expect(data(M.diag(f64([1, 2]), 1))).toEqual([0, 1, 0, 0, 0, 2, 0, 0, 0]);
    expect(data(M.diag(arange(6, [2, 3]), -1))).toEqual([3]);
    expect(M.diag(arange(6, [2, 3]), 7).shape).toEqual([0]);
    expect(M.diag(M.zeros([0])).shape).toEqual([0, 0]);
    expect(() => M.diag(M.scalar(1))).toThrow(/^diag: needs a vector or a matrix, got shape \[\]/);
    expect(() => M.diag(M.zeros([2, 2, 2]))).toThrow(ShapeError);
  });
  it('diagonal appends the diagonal last and takes negative axes', () => {
    const x = arange(24, [2, 3, 4]);
    const d = M.diagonal(x, { axis1: -1, axis2: 0, offset: -1 });
    expect(d.shape).toEqual([3, 2]);
    expect(data(d)).toEqual([1, 14, 5, 18, 9, 22]);
    expect(() => M.diagonal(x, { axis1: 1, axis2: -2 })).toThrow(/^diagonal: axis1 and axis2 must differ/);
    expect(() => M.diagonal(f64([1, 2]))).toThrow(/^diagonal: needs at least 2 axes/);
    expect(() => M.diagonal(x, { dim1: 0 } as never)).toThrow(/^diagonal: unknown option/);
  });
  it('trace is 2-D only, any rectangle', () => {
    expect(M.trace(arange(6, [3, 2])).item()).toBe(3);
    expect(M.trace(M.zeros([0, 2])).item()).toBe(0);
    expect(() => M.trace(arange(3, [3]))).toThrow(/^trace: needs a matrix, got shape \[3\]/);
  });
  it('diagonal and its adjoint diagonalGrad have a second order (gradgradcheck)', () => {
    const x = M.tensor(Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)), { shape: [3, 4], requiresGrad: true });
    expect(M.gradgradcheck((t: Tensor) => M.diagonal(t, { offset: 1 }).square(), [x]).ok).toBe(true);
    const v = M.tensor([0.5, -1.5], { dtype: 'float64', requiresGrad: true });
    expect(M.gradgradcheck((t: Tensor) => M.diag(t, -1).square(), [v]).ok).toBe(true);
  });
});

describe('pad', () => {
  it('pads with a value and crops with negative pads (constant mode)', () => {
    const x = f64([[1, 2, 3]]);
    expect(data(M.pad(x, [1, 0], { value: -1 }))).toEqual([-1, 1, 2, 3]);
    expect(data(M.pad(x, [-1, -1]))).toEqual([2]);
    expect(M.pad(x, [-2, -1]).shape).toEqual([1, 0]);
    expect(M.pad(x, [0, 0, 1, 1]).shape).toEqual([3, 3]);
    expect(() => M.pad(x, [-2, -2])).toThrow(/^pad: pads \(-2, -2\) would give axis 1 of size 3 the negative size -1/);
  });
  it('reflects, replicates and wraps the last axes', () => {
    const x = f64([[[0, 1, 2]]]);
    expect(data(M.pad(x, [2, 2], { mode: 'reflect' }))).toEqual([2, 1, 0, 1, 2, 1, 0]);
    expect(data(M.pad(x, [2, 1], { mode: 'replicate' }))).toEqual([0, 0, 0, 1, 2, 2]);
    expect(data(M.pad(x, [3, 1], { mode: 'circular' }))).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });
  it('refuses what PyTorch refuses, with clear messages', () => {
    const x = f64([[[0, 1, 2]]]);
    expect(() => M.pad(x, [3, 0], { mode: 'reflect' })).toThrow(/^pad: mode 'reflect' needs pads smaller than the axis: got \(3, 0\) for axis 2 of size 3/);
    expect(() => M.pad(x, [4, 0], { mode: 'circular' })).toThrow(/^pad: mode 'circular' wraps around at most once/);
    expect(() => M.pad(f64([1, 2, 3]), [1, 1], { mode: 'replicate' })).toThrow(/^pad: mode 'replicate' padding 1 axes needs x of rank 2 or 3/);
    expect(() => M.pad(x, [1, 1, 1, 1, 1, 1, 1, 1], { mode: 'reflect' })).toThrow(/^pad: pad .* pads 4 axes but x has shape \[1, 1, 3\]/);
    expect(() => M.pad(x, [1])).toThrow(/^pad: pad must hold pairs/);
    expect(() => M.pad(x, [1, 1], { mode: 'reflect', value: 2 })).toThrow(/^pad: value applies to mode 'constant' only/);
    expect(() => M.pad(x, [1, 1], { mode: 'wrap' as never })).toThrow(/^pad: mode must be one of constant, reflect, replicate, circular/);
    expect(() => M.pad(M.zeros([1, 0]), [1, 1], { mode: 'replicate' })).toThrow(/^pad: mode 'replicate' cannot pad axis 1 of size 0/);
    expect(() => M.pad(x, [0.5, 1])).toThrow(/^pad: pad must be an array of integers/);
  });
  it.each(['constant', 'reflect', 'replicate', 'circular'] as const)('%s: the adjoint padGrad has a second order (gradgradcheck)', (mode) => {
    expect.hasAssertions();
    const x = M.tensor(Float64Array.from({ length: 12 }, (_, i) => Math.cos(i)), { shape: [1, 3, 4], requiresGrad: true });
    expect(M.gradgradcheck((t: Tensor) => M.pad(t, [2, 1, 1, 2], { mode }).square(), [x]).ok).toBe(true);
  });
  it('keeps float32', () => {
    expect(M.pad(M.ones([1, 2, 2]), [1, 1], { mode: 'reflect' }).dtype).toBe('float32');
  });
});
