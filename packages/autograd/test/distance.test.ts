/**
 * The distance family: errors (typed, naming the op), edge cases (empty, 0-d, broadcasting,
 * float32), NaN and zero-distance gradients. PyTorch values are in torch-act.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ArgumentError, ShapeError, tensor } from '../src/index.ts';

const f64 = (v: number[] | number[][] | number[][][], requiresGrad = false) => tensor(v, { dtype: 'float64', requiresGrad });
const arr = (t: M.Tensor) => Array.from(t.data);

describe('cosineSimilarity', () => {
  it('is x1·x2 / (‖x1‖‖x2‖) along axis 1 by default, broadcasting', () => {
    expect(arr(M.cosineSimilarity(f64([[1, 0], [1, 1]]), f64([[1, 0], [-1, -1]])))).toEqual([1, -1]);
    expect(M.cosineSimilarity(f64([[1, 2, 3]]), f64([[[1, 2, 3]], [[3, 2, 1]]]), { axis: -1 }).shape).toEqual([2, 1]);
  });
  it('is 0 for a zero vector (the squared norms are floored at eps²), with a finite gradient', () => {
    const x = f64([[0, 0, 0]], true);
    const y = M.cosineSimilarity(x, f64([[1, 1, 1]]));
    expect(y.item()).toBe(0);
    expect(arr(M.grad(y.sum(), [x])[0]!).every(Number.isFinite)).toBe(true);
  });
  it('validates its options and axis', () => {
    expect(() => M.cosineSimilarity(f64([1, 2]), f64([1, 2]))).toThrow(/cosineSimilarity: axis 1 is out of range/);
    expect(() => M.cosineSimilarity(f64([[1]]), f64([[1]]), { eps: -1 })).toThrow(/cosineSimilarity: eps must be a number >= 0/);
    expect(() => M.cosineSimilarity(f64([[1, 2]]), f64([[1, 2, 3]]))).toThrow(ShapeError);
  });
});

describe('pairwiseDistance', () => {
  it('is the p-norm of x1 - x2 + eps over the last axis', () => {
    expect(M.pairwiseDistance(f64([[3, 4]]), f64([[0, 0]]), { eps: 0 }).item()).toBe(5);
    expect(M.pairwiseDistance(f64([[3, -4]]), f64([[0, 0]]), { p: 1, eps: 0, keepDims: true }).shape).toEqual([1, 1]);
    expect(M.pairwiseDistance(f64([[3, -4]]), f64([[0, 0]]), { p: Infinity, eps: 0 }).item()).toBe(4);
    expect(M.pairwiseDistance(M.scalar(1, { dtype: 'float64' }), M.scalar(3, { dtype: 'float64' }), { eps: 0 }).item()).toBe(2);
    expect(M.pairwiseDistance(M.zeros([0, 3]), M.zeros([0, 3])).shape).toEqual([0]);
  });
  it('has a zero gradient at zero distance, also for p < 1 (PyTorch)', () => {
    const x = f64([[1, 2], [3, 4]], true);
    for (const p of [0.5, 1, 2, 3, Infinity]) {
      const y = M.pairwiseDistance(x, f64([[1, 2], [0, 4]]), { p, eps: 0 });
      const g = arr(M.grad(y.sum(), [x])[0]!);
      // row 0 is at distance 0; row 1 differs in its first coordinate only (its second is a zero element)
      expect(g.map((v) => Math.round(v * 1e12) / 1e12), `p = ${p}`).toEqual([0, 0, 1, 0]);
    }
  });
  it('refuses p <= 0, NaN and a bad eps', () => {
    for (const p of [0, -1, NaN]) expect(() => M.pairwiseDistance(f64([[1]]), f64([[1]]), { p })).toThrow(/pairwiseDistance: p must be a positive number or Infinity/);
    expect(() => M.pairwiseDistance(f64([[1]]), f64([[1]]), { eps: NaN })).toThrow(ArgumentError);
  });
});

describe('normalize', () => {
  it('divides by max(‖x‖_p, eps) along axis 1 by default', () => {
    expect(arr(M.normalize(f64([[3, 4], [0, 0]])))).toEqual([0.6, 0.8, 0, 0]);
    expect(arr(M.normalize(f64([3, 4]), { axis: 0, p: 1 }))).toEqual([3 / 7, 4 / 7]);
    expect(arr(M.normalize(f64([[0.1, 0.2]]), { eps: 1 }))).toEqual([0.1, 0.2]);
    expect(M.normalize(tensor([[1, 2]])).dtype).toBe('float32');
  });
  it('validates its options', () => {
    expect(() => M.normalize(f64([3, 4]))).toThrow(/normalize: axis 1 is out of range/);
    expect(() => M.normalize(f64([[3, 4]]), { p: 0 })).toThrow(/normalize: p must be/);
    expect(() => M.normalize(f64([[3, 4]]), { dim: 1 } as never)).toThrow(/normalize: unknown option "dim"/);
  });
});

describe('cdist', () => {
  const a = f64([[0, 0], [1, 1]]);
  const b = f64([[1, 1], [0, 2], [3, 4]]);
  it('computes every p (0, 1, 2, > 0, Infinity) and broadcasts batch axes', () => {
    arr(M.cdist(a, b)).forEach((v, i) => expect(v).toBeCloseTo([Math.SQRT2, 2, 5, 0, Math.SQRT2, Math.hypot(2, 3)][i]!, 15));
    expect(arr(M.cdist(a, b, { p: 1 }))).toEqual([2, 2, 7, 0, 2, 5]);
    expect(arr(M.cdist(a, b, { p: 0 }))).toEqual([2, 1, 2, 0, 2, 2]);
    expect(arr(M.cdist(a, b, { p: Infinity }))).toEqual([1, 2, 4, 0, 1, 3]);
    expect(M.cdist(M.zeros([2, 1, 3, 2]), M.zeros([4, 4, 2])).shape).toEqual([2, 4, 3, 4]);
    expect(M.cdist(M.zeros([0, 2]), M.zeros([3, 2])).shape).toEqual([0, 3]);
    expect(arr(M.cdist(M.zeros([2, 0]), M.zeros([1, 0])))).toEqual([0, 0]);
  });
  it('has gradient 0 where the distance is 0, and second derivatives', () => {
    const x = f64([[1, 1], [5, 5]], true);
    const [g] = M.grad(M.cdist(x, f64([[1, 1]])).sum(), [x]);
    arr(g!).forEach((v, i) => expect(v).toBeCloseTo([0, 0, Math.SQRT1_2, Math.SQRT1_2][i]!, 15));
    const y = f64([[0.3, -0.2], [1.1, 0.7]], true);
    const z = f64([[0.5, 0.25], [-1, 2]], true);
    for (const p of [1.5, 2, 3]) expect(M.gradgradcheck((u, v) => M.cdist(u, v, { p }), [y, z])).toMatchObject({ ok: true });
  });
  it('refuses bad shapes and p with typed errors naming cdist', () => {
    expect(() => M.cdist(f64([1, 2]), f64([[1, 2]]))).toThrow(/cdist: x1 \[2\] and x2 \[1, 2\] must be at least 2-D/);
    expect(() => M.cdist(f64([[1, 2]]), f64([[1, 2, 3]]))).toThrow(/cdist: .* must have the same number of columns \(2 vs 3\)/);
    expect(() => M.cdist(f64([[[1, 2]], [[1, 2]]]), f64([[[1, 2]], [[1, 2]], [[1, 2]]]))).toThrow(ShapeError);
    expect(() => M.cdist(a, b, { p: -1 })).toThrow(/cdist: p must be a positive number or Infinity \(or 0\)/);
  });
});
