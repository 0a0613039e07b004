/**
 * The scan family's own tests: errors with their messages, edge cases (empty, 0-d, negative axes,
 * float32), the NaN behaviour of the sorting ops (exempt from the generic NaN property), cumprod's
 * gradients with zeros to second order, logCumSumExp's stability, and the index kernels' tie order
 * for sizes the fixtures do not reach.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ArgumentError, ShapeError, Tensor } from '../src/index.ts';

const t64 = (v: number[], shape?: number[]) => new Tensor(Float64Array.from(v), shape ?? [v.length], 'float64');
const leaf = (v: number[], shape?: number[]) => {
  const t = t64(v, shape);
  t.requiresGrad = true;
  return t;
};
const arr = (t: Tensor) => Array.from(t.data);

describe('errors name the op and the problem', () => {
  const x = t64([1, 2, 3, 4, 5, 6], [2, 3]);
  it.each([
    ['cumsum', () => M.cumsum(x, 2), /cumsum: axis 2 is out of range for rank 2/],
    ['cumprod', () => M.cumprod(x, -3), /cumprod: axis -3 is out of range/],
    ['logCumSumExp', () => M.logCumSumExp(x, 0.5), /logCumSumExp: axis must be an integer/],
    ['sort options', () => M.sort(x, { axis: 0, order: 1 } as never), /sort: .*order/],
    ['sort descending', () => M.sort(x, { descending: 'yes' } as never), /sort: descending must be true or false/],
    ['argsort axis', () => M.argsort(x, { axis: 5 }), /argsort: axis 5 is out of range/],
    ['topk k too large', () => M.topk(x, 4), /topk: k must be an integer from 0 to 3 \(the size of axis 1 of \[2, 3\]\), got 4/],
    ['topk k negative', () => M.topk(x, -1), /topk: k must be an integer/],
    ['topk k fractional', () => M.topk(x, 1.5), /topk: k must be an integer/],
    ['kthValue k = 0', () => M.kthValue(x, 0), /kthValue: k must be an integer from 1 to 3/],
    ['kthValue empty axis', () => M.kthValue(new Tensor(new Float64Array(0), [0, 3], 'float64'), 1, { axis: 0 }), /kthValue: k must be an integer from 1 to 0 \(axis 0 of \[0, 3\] is empty\)/],
    ['flip repeated', () => M.flip(x, [0, -2]), /flip: axis \[0, -2\] repeats an axis/],
    ['flip garbage', () => M.flip(x, 'a' as never), /flip: axes must be an integer or an array/],
    ['roll mismatch', () => M.roll(x, [1, 2], [0]), /roll: shifts and axes must have the same length/],
    ['roll flat two shifts', () => M.roll(x, [1, 2]), /roll: without axes, shifts must be one integer/],
    ['roll fractional', () => M.roll(x, 0.5, 0), /roll: shifts must be an integer or an array of integers/],
  ])('%s', (_n, f, message) => {
    expect(f).toThrow(ArgumentError);
    expect(f).toThrow(message);
  });

  it('the shape rules check parameters given directly (registry calls)', () => {
    const op = (name: string) => M.ALL_OPS.find((o) => o.name === name)!;
    expect(() => op('cumsum').call([x], { axis: 3, reverse: false })).toThrow(/cumsum: axis must be an integer from 0 to 1/);
    expect(() => op('linearScan').call([x, t64([1, 2, 3])], { axis: 0, reverse: false })).toThrow(ShapeError);
    expect(() => op('roll').call([x], { axes: [0], shifts: [1, 2] })).toThrow(/roll: shifts must be an array of 1 integers/);
    expect(() => op('flip').call([x], { axes: [0, 0] })).toThrow(/flip: axis \[0, 0\] repeats an axis/);
  });
});

describe('values', () => {
  it('cumsum, cumprod and logCumSumExp along negative axes and in float32', () => {
    const x = t64([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(arr(M.cumsum(x, -1))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(arr(M.cumsum(x, -2))).toEqual([1, 2, 3, 5, 7, 9]);
    expect(arr(x.cumprod(1))).toEqual([1, 2, 6, 4, 20, 120]);
    const f = M.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(f.cumsum(1).dtype).toBe('float32');
    expect(arr(M.logCumSumExp(f, 0))).toEqual(arr(M.tensor([[1, 2, 3], [Math.log(Math.exp(1) + Math.exp(4)), Math.log(Math.exp(2) + Math.exp(5)), Math.log(Math.exp(3) + Math.exp(6))]])));
  });

  it('0-d and empty tensors', () => {
    const s = M.scalar(3, { dtype: 'float64' });
    expect(M.cumsum(s, 0).item()).toBe(3);
    expect(M.cumprod(s, -1).item()).toBe(3);
    expect(M.flip(s, [0]).item()).toBe(3);
    expect(M.roll(s, 5).item()).toBe(3);
    expect(M.sort(s).values.item()).toBe(3);
    expect(M.sort(s).indices.item()).toBe(0);
    expect(M.topk(s, 1).indices.shape).toEqual([]);
    expect(M.kthValue(s, 1).values.item()).toBe(3);
    const e = new Tensor(new Float64Array(0), [0, 3], 'float64');
    expect(M.cumsum(e, 0).shape).toEqual([0, 3]);
    expect(M.logCumSumExp(e, 1).shape).toEqual([0, 3]);
    expect(M.sort(e, { axis: 0 }).values.shape).toEqual([0, 3]);
    expect(M.topk(e, 2).values.shape).toEqual([0, 2]);
    expect(M.topk(t64([1, 2, 3], [1, 3]), 0).values.shape).toEqual([1, 0]);
    expect(M.roll(e, 2).shape).toEqual([0, 3]);
    expect(M.flip(e, [0, 1]).shape).toEqual([0, 3]);
  });

  it('logCumSumExp never overflows and handles infinities as PyTorch', () => {
    expect(arr(M.logCumSumExp(t64([1000, 1000, -1000]), 0))).toEqual([1000, 1000 + Math.LN2, 1000 + Math.LN2]);
    expect(arr(M.logCumSumExp(t64([-1000, -1000]), 0))).toEqual([-1000, -1000 + Math.LN2]);
    expect(arr(M.logCumSumExp(t64([-Infinity, -Infinity, 0, Infinity, 1]), 0))).toEqual([-Infinity, -Infinity, 0, Infinity, Infinity]);
    expect(arr(M.logCumSumExp(t64([1, NaN, 2]), 0)).map(Number.isNaN)).toEqual([false, true, true]);
    const x = leaf([1000, -1000, 999]);
    const [g] = M.grad(M.logCumSumExp(x, 0).sum(), [x]);
    expect(arr(g!).every(Number.isFinite)).toBe(true);
  });

  it('roll: several axes, repeated axes add, shifts beyond the size wrap, the flattened roll', () => {
    const x = M.arange(6, undefined, 1, { dtype: 'float64' }).reshape([2, 3]);
    expect(arr(M.roll(x, [1, -1], [0, 1]))).toEqual([4, 5, 3, 1, 2, 0]);
    expect(arr(M.roll(x, [1, 1], [1, 1]))).toEqual(arr(M.roll(x, 2, 1)));
    expect(arr(M.roll(x, 7, -1))).toEqual(arr(M.roll(x, 1, 1)));
    expect(arr(M.roll(x, -1))).toEqual([1, 2, 3, 4, 5, 0]);
    expect(M.roll(x, -1).shape).toEqual([2, 3]);
  });

  it('flip of several axes, and of none', () => {
    const x = M.arange(6, undefined, 1, { dtype: 'float64' }).reshape([2, 3]);
    expect(arr(M.flip(x, [0, 1]))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(arr(x.flip(-1))).toEqual([2, 1, 0, 5, 4, 3]);
    expect(arr(M.flip(x, []))).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('the sorting ops and NaN (exempt from the generic NaN property)', () => {
  const x = t64([NaN, 1, NaN, 0, 1, -Infinity, Infinity]);
  it('sort puts NaN last (first when descending), ties in their order', () => {
    const asc = M.sort(x);
    expect(arr(asc.values)).toEqual([-Infinity, 0, 1, 1, Infinity, NaN, NaN]);
    expect(arr(asc.indices)).toEqual([5, 3, 1, 4, 6, 0, 2]);
    const desc = M.sort(x, { descending: true });
    expect(arr(desc.values)).toEqual([NaN, NaN, Infinity, 1, 1, 0, -Infinity]);
    expect(arr(desc.indices)).toEqual([0, 2, 6, 1, 4, 3, 5]);
    expect(arr(M.argsort(x))).toEqual([5, 3, 1, 4, 6, 0, 2]);
  });
  it('topk counts NaN as the largest, kthValue too', () => {
    expect(arr(M.topk(x, 2).indices)).toEqual([0, 2]);
    expect(arr(M.topk(x, 2, { largest: false }).values)).toEqual([-Infinity, 0]);
    expect(Number.isNaN(M.kthValue(x, 6).values.item())).toBe(true);
    expect(M.kthValue(x, 5).values.item()).toBe(Infinity);
  });
  it('a NaN moves a whole lane\'s order but not other lanes', () => {
    const m = t64([3, NaN, 1, 3, 2, 1], [2, 3]);
    expect(arr(M.sort(m, { axis: 1 }).values)).toEqual([1, 3, NaN, 1, 2, 3]);
  });
});

describe('gradients', () => {
  it('cumprod with zeros: first and second order match finite differences', () => {
    for (const v of [[2, 0, 3, 0, 4], [0, 0, 0], [0, 2, 3], [1.5, -2, 0], [0.5, 0, 2, 1.5]]) {
      expect(() => M.assertGradcheck((x) => M.cumprod(x, 0), [leaf(v)])).not.toThrow();
      expect(() => M.assertGradgradcheck((x) => M.cumprod(x, 0), [leaf(v)])).not.toThrow();
    }
    expect(() => M.assertGradgradcheck((x) => M.cumprod(x, 1), [leaf([1, 0, 2, 0, 0, 3], [2, 3])])).not.toThrow();
  });

  it('cumprod\'s gradient at a zero is the product of the others', () => {
    const x = leaf([2, 0, 3, 0, 4]);
    const [g] = M.grad(M.cumprod(x, 0), [x], { gradOutputs: [t64([1, -2, 3, 4, 5])] });
    // d/dx1 = -2*2 + 3*2*3 + 4*0 + ... = 14 (PyTorch)
    expect(arr(g!)).toEqual([1, 14, 0, 0, 0]);
  });

  it('sort, topk and kthValue send the gradient back to the source positions, to second order', () => {
    const x = leaf([0.3, -1.2, 2.5, 0.9, -0.4, 1.7], [2, 3]);
    const [g] = M.grad(M.topk(x, 1, { axis: 1 }).values.sum(), [x]);
    expect(arr(g!)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(() => M.assertGradgradcheck((y) => M.sort(y, { axis: 0, descending: true }).values.mul(y.flip([0])), [x])).not.toThrow();
    expect(() => M.assertGradgradcheck((y) => M.kthValue(y, 2, { axis: 1 }).values.square(), [x])).not.toThrow();
  });

  it('logCumSumExp and flip/roll to second order', () => {
    const x = leaf([0.3, -1.2, 2.5, 0.9, -0.4, 1.7], [3, 2]);
    expect(() => M.assertGradgradcheck((y) => M.logCumSumExp(y, 0), [x])).not.toThrow();
    expect(() => M.assertGradgradcheck((y) => M.roll(y, [1, -3], [0, 1]).mul(y), [x])).not.toThrow();
  });
});

describe('the index kernels replay PyTorch\'s tie order', () => {
  // the fixtures pin PyTorch's own indices; here, whatever the order of ties, the selection is a
  // correct one: the values are the sorted values and the indices name them
  it('topk and kthValue on random lanes with many ties', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 200 }), fc.nat(), fc.boolean(), fc.boolean(), (vals, kk, largest, sorted) => {
        const x = t64(vals);
        const k = kk % (vals.length + 1);
        const want = vals.slice().sort((a, b) => (largest ? b - a : a - b)).slice(0, k);
        const r = M.topk(x, k, { largest, sorted });
        const got = arr(r.values);
        expect(sorted ? got : got.slice().sort((a, b) => (largest ? b - a : a - b))).toEqual(want);
        expect(arr(r.indices).map((i) => vals[i])).toEqual(got);
        expect(new Set(arr(r.indices)).size).toBe(k);
        if (k >= 1) {
          const kth = M.kthValue(x, k);
          expect(kth.values.item()).toBe(vals.slice().sort((a, b) => a - b)[k - 1]);
          expect(vals[kth.indices.item()]).toBe(kth.values.item());
        }
      }),
      { numRuns: 200, seed: 20261123 },
    );
  });
});
