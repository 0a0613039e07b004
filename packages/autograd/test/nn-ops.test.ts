// The nn-ops family's own tests: argument errors (typed, naming the op and the shapes or values),
// edge cases (empty inputs as PyTorch normalises them, 0-d indices, E = 0 or S = 0 attention),
// float32 against float64, second order through every op, NaN where it is not the plain "NaN reaches
// what depends on it" (fully masked attention rows, interpolation's zero weights), batchNorm and
// instanceNorm's running statistics (in place, momentum, unbiased variance), and attention's dropout
// with a seeded generator.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, assertGradcheck, assertGradgradcheck, batchNorm, DTypeError, embedding, eye, Generator, grad, groupNorm,
  instanceNorm, interpolate, pixelShuffle, pixelUnshuffle, scaledDotProductAttention, ShapeError, sum, Tensor, tensor,
  zeros,
} from '../src/index.ts';

const F64 = { dtype: 'float64' } as const;
const z64 = (shape: number[]): Tensor => zeros(shape, F64);
const t64 = (v: number | readonly unknown[]): Tensor => tensor(v as number[], F64);
/** A float64 tensor of any values (arrays with NaN or infinities are refused by tensor()). */
const raw = (values: number[], shape: number[]): Tensor => new Tensor(Float64Array.from(values), shape, 'float64');
const rand = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64', lo = -1, hi = 1): Tensor => {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = lo + (s / 2147483648) * (hi - lo);
  }
  return new Tensor(data, shape, dtype);
};
const req = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, t.dtype).requiresGrad_();
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('errors name the op, the argument and the shapes', () => {
  const x3 = rand([1, 2, 4], 1);
  const x4 = rand([1, 2, 3, 3], 2);
  it('interpolate', () => {
    expect(() => interpolate(x3, {})).toThrow(/interpolate: give either size or scaleFactor/);
    expect(() => interpolate(x3, { size: 3, scaleFactor: 2 })).toThrow(/interpolate: give only one of size and scaleFactor/);
    expect(() => interpolate(x3, { size: 3, mode: 'bicubic' as never })).toThrow(/interpolate: mode must be 'nearest', 'linear' or 'bilinear', got "bicubic"/);
    expect(() => interpolate(x4, { size: 3, mode: 'linear' })).toThrow(/interpolate: mode 'linear' needs a 3-D input \(N, C, L\), got \[1, 2, 3, 3\]/);
    expect(() => interpolate(x3, { size: 3, mode: 'bilinear' })).toThrow(/interpolate: mode 'bilinear' needs a 4-D input \(N, C, H, W\), got \[1, 2, 4\]/);
    expect(() => interpolate(rand([2, 4], 3), { size: 3 })).toThrow(ShapeError);
    expect(() => interpolate(rand([2, 4], 3), { size: 3 })).toThrow(/interpolate: expects a 3-D \(N, C, L\) or 4-D \(N, C, H, W\) input, got \[2, 4\]/);
    expect(() => interpolate(x3, { size: 3, alignCorners: false })).toThrow(/interpolate: alignCorners can only be set with the interpolating modes/);
    expect(() => interpolate(x3, { size: 3, recomputeScaleFactor: true })).toThrow(/interpolate: recomputeScaleFactor is not meaningful with an explicit size/);
    expect(() => interpolate(x4, { size: [3] })).toThrow(/interpolate: size must be a number or a list of 2 number\(s\)/);
    expect(() => interpolate(x4, { size: [3, 2.5] })).toThrow(/interpolate: size must hold positive integers/);
    expect(() => interpolate(x3, { scaleFactor: 0.2 })).toThrow(ShapeError);
    expect(() => interpolate(x3, { scaleFactor: 0.2 })).toThrow(/interpolate: input and output sizes should be greater than 0, but got input \[1, 2, 4\] and output size \[0\]/);
    expect(() => interpolate(z64([1, 2, 0]), { size: 3 })).toThrow(/interpolate: input and output sizes should be greater than 0/);
    expect(() => interpolate(z64([2, 0, 3]), { size: 3 })).toThrow(/interpolate: expects a non-empty input \(only the batch axis may be 0\), got \[2, 0, 3\]/);
  });
  it('pixelShuffle and pixelUnshuffle', () => {
    expect(() => pixelShuffle(rand([1, 6, 2, 2], 1), 2)).toThrow(/pixelShuffle: the channel axis of \[1, 6, 2, 2\] \(size 6\) is not divisible by upscaleFactor² = 4/);
    expect(() => pixelShuffle(rand([4, 2], 1), 2)).toThrow(/pixelShuffle: expects an input of at least 3 axes \(\*, C, H, W\), got \[4, 2\]/);
    expect(() => pixelShuffle(rand([1, 4, 2, 2], 1), 0)).toThrow(ArgumentError);
    expect(() => pixelShuffle(rand([1, 4, 2, 2], 1), 1.5)).toThrow(/pixelShuffle: upscaleFactor must be a positive integer, got 1.5/);
    expect(() => pixelUnshuffle(rand([1, 1, 4, 3], 1), 2)).toThrow(/pixelUnshuffle: the spatial axes of \[1, 1, 4, 3\] \(4 x 3\) are not divisible by downscaleFactor 2/);
  });
  it('embedding', () => {
    const w = rand([5, 3], 4);
    expect(() => embedding([0], rand([5], 1))).toThrow(/embedding: weight must be 2-D \(numEmbeddings, embeddingDim\), got \[5\]/);
    expect(() => embedding([1, 5], w)).toThrow(ArgumentError);
    expect(() => embedding([1, 5], w)).toThrow(/embedding: index 5 at position 1 is out of range: expected an integer from 0 to 4 \(weight has shape \[5, 3\]\)/);
    expect(() => embedding([[0, -1]], w)).toThrow(/embedding: index -1 at position 1 is negative/);
    expect(() => embedding(t64([0.5]), w)).toThrow(/embedding: index 0.5 at position 0 is not an integer/);
    expect(() => embedding(new Int32Array([1, 7]), w)).toThrow(/embedding: index 7 at position 1 is out of range/);
    expect(() => embedding(raw([NaN], [1]), w)).toThrow(/embedding: index NaN at position 0 is not an integer/);
    expect(() => embedding([0], w, { paddingIdx: -6 })).toThrow(/embedding: paddingIdx must be an integer within the 5 rows of weight \(from -5 to 4\), got -6/);
    expect(() => embedding([0], w, { paddingIdx: 5 })).toThrow(/got 5/);
    expect(() => embedding([0], w, { paddingIdx: 1.5 })).toThrow(ArgumentError);
    expect(() => embedding([0], w, { maxNorm: 1 as never })).toThrow(/embedding: maxNorm is not supported/);
    expect(() => embedding('0' as never, w)).toThrow(/embedding: indices must be a Tensor, an Int32Array or a nested array of integers/);
  });
  it('scaledDotProductAttention', () => {
    const op = scaledDotProductAttention;
    const [q, k, v] = [rand([2, 3, 4], 1), rand([2, 5, 4], 2), rand([2, 5, 2], 3)];
    expect(() => op(rand([4], 1), k, v)).toThrow(/scaledDotProductAttention: q must have at least 2 axes \(\.\.\., length, features\), got \[4\]/);
    expect(() => op(q, rand([2, 5, 3], 2), v)).toThrow(/scaledDotProductAttention: q \[2, 3, 4\] and k \[2, 5, 3\] must have the same feature size/);
    expect(() => op(q, k, rand([2, 4, 2], 3))).toThrow(/scaledDotProductAttention: k \[2, 5, 4\] and v \[2, 4, 2\] must have the same length \(axis -2\)/);
    expect(() => op(q, rand([3, 5, 4], 2), rand([3, 5, 2], 3))).toThrow(ShapeError);
    expect(() => op(q, k, v, { attnMask: rand([3, 4], 4) })).toThrow(/scaledDotProductAttention: attnMask \[3, 4\] does not broadcast to the scores' shape \[2, 3, 5\]/);
    expect(() => op(q, k, v, { attnMask: rand([1, 2, 3, 5], 4) })).toThrow(/does not broadcast to the scores' shape/);
    expect(() => op(q, k, v, { attnMask: rand([3, 5], 4), isCausal: true })).toThrow(/scaledDotProductAttention: give either attnMask or isCausal, not both/);
    expect(() => op(q, k, v, { maskIsBoolean: true })).toThrow(/scaledDotProductAttention: maskIsBoolean is set but no attnMask is given/);
    expect(() => op(q, k, v, { dropoutP: 1.5 })).toThrow(/scaledDotProductAttention: dropoutP must be a number from 0 to 1, got 1.5/);
    expect(() => op(q, k, v, { dropoutP: NaN })).toThrow(ArgumentError);
    expect(() => op(q, k, v, { scale: Infinity })).toThrow(/scaledDotProductAttention: scale must be a finite number, got Infinity/);
    expect(() => op(q, k, v, { generator: {} as never, dropoutP: 0.5 })).toThrow(/scaledDotProductAttention: generator must be a Generator/);
    expect(() => op(q, rand([2, 5, 4], 2, 'float32'), v)).toThrow(DTypeError);
    expect(() => op(q, k, v, { attnMask: rand([3, 5], 4, 'float32') })).toThrow(/scaledDotProductAttention: q is float64 but attnMask is float32/);
    expect(() => op(q, k, v, { isCausal: 1 as never })).toThrow(/scaledDotProductAttention: isCausal must be a boolean, got 1/);
  });
  it('groupNorm, instanceNorm and batchNorm', () => {
    const x = rand([2, 4, 3], 1);
    expect(() => groupNorm(x, 3)).toThrow(/groupNorm: the number of channels of the input \[2, 4, 3\] \(4\) must be divisible by numGroups = 3/);
    expect(() => groupNorm(x, 0)).toThrow(/groupNorm: numGroups must be a positive integer, got 0/);
    expect(() => groupNorm(rand([4], 1), 2)).toThrow(/groupNorm: expects an input of shape \[N, C, \.\.\.\] \(at least 2 axes\), got \[4\]/);
    expect(() => groupNorm(x, 2, rand([3], 2))).toThrow(/groupNorm: weight must have shape \[4\] \(one value per channel of the input \[2, 4, 3\]\), got \[3\]/);
    expect(() => groupNorm(x, 2, rand([4], 2, 'float32'))).toThrow(/groupNorm: x is float64 but weight is float32/);
    expect(() => groupNorm(x, 2, null, null, { eps: -1 })).toThrow(/groupNorm: eps must be a non-negative finite number, got -1/);
    expect(() => batchNorm(x, null, null)).toThrow(/batchNorm: evaluation \(training: false\) needs runningMean and runningVar/);
    expect(() => batchNorm(rand([1, 4], 1), null, null, { training: true })).toThrow(/batchNorm: expected more than 1 value per channel when training, got input size \[1, 4\]/);
    expect(() => batchNorm(x, req(z64([4])), z64([4]), { training: true })).toThrow(/batchNorm: runningMean requires grad, but running statistics are not differentiable/);
    expect(() => batchNorm(x, [0, 0, 0, 0] as never, z64([4]), { training: true })).toThrow(/batchNorm: runningMean must be a Tensor \(it is updated in place\)/);
    expect(() => batchNorm(x, zeros([4], { dtype: 'float32' }), z64([4]), { training: true })).toThrow(DTypeError);
    expect(() => batchNorm(x, z64([4]), z64([3]))).toThrow(/batchNorm: runningVar must have shape \[4\]/);
    expect(() => batchNorm(x, null, null, { training: 'yes' as never })).toThrow(/batchNorm: training must be a boolean/);
    expect(() => batchNorm(x, null, null, { training: true, momentum: NaN })).toThrow(/batchNorm: momentum must be a finite number, got NaN/);
    expect(() => instanceNorm(rand([2, 3, 1], 1))).toThrow(/instanceNorm: expected more than 1 spatial element when training, got input size \[2, 3, 1\]/);
    expect(() => instanceNorm(rand([2, 3], 1))).toThrow(ShapeError);
    expect(() => instanceNorm(x, { useInputStats: false, runningMean: z64([4]) })).toThrow(/instanceNorm: useInputStats: false needs runningMean and runningVar/);
    expect(() => instanceNorm(x, { momentum: 'a' as never })).toThrow(ArgumentError);
  });
});

describe('empty inputs and small edge cases', () => {
  it('norms normalise an empty input to an empty output; weight and bias get zero gradients', () => {
    for (const [f, x] of [
      [(x: Tensor, w: Tensor, b: Tensor) => groupNorm(x, 2, w, b), z64([2, 4, 0])],
      [(x: Tensor, w: Tensor, b: Tensor) => groupNorm(x, 2, w, b), z64([0, 4, 3])],
      [(x: Tensor, w: Tensor, b: Tensor) => instanceNorm(x, { weight: w, bias: b }), z64([0, 4, 3])],
      [(x: Tensor, w: Tensor, b: Tensor) => batchNorm(x, null, null, { weight: w, bias: b, training: true }), z64([0, 4, 3])],
      [(x: Tensor, w: Tensor, b: Tensor) => batchNorm(x, z64([4]), z64([4]).add(1), { weight: w, bias: b }), z64([0, 4])],
    ] as const) {
      const xr = req(x);
      const [w, b] = [req(rand([4], 1)), req(rand([4], 2))];
      const y = f(xr, w, b);
      expect(y.shape).toEqual(x.shape);
      const [gx, gw, gb] = grad(sum(y), [xr, w, b]);
      expect(gx!.shape).toEqual(x.shape);
      // PyTorch's group_norm gives weight NaN here for an empty spatial extent; the empty sum is 0
      expect(Array.from(gw!.data)).toEqual([0, 0, 0, 0]);
      expect(Array.from(gb!.data)).toEqual([0, 0, 0, 0]);
    }
  });
  it('batchNorm on an empty batch keeps the running statistics; instanceNorm with N = 0 makes them NaN (PyTorch)', () => {
    const [rm, rv] = [t64([1, 2]), t64([3, 4])];
    const v0 = rm.version;
    batchNorm(z64([0, 2, 3]), rm, rv, { training: true });
    expect([Array.from(rm.data), Array.from(rv.data), rm.version]).toEqual([[1, 2], [3, 4], v0]);
    instanceNorm(z64([2, 2, 0]), { runningMean: rm, runningVar: rv });
    expect(Array.from(rm.data)).toEqual([1, 2]);
    instanceNorm(z64([0, 2, 3]), { runningMean: rm, runningVar: rv });
    expect(Array.from(rm.data)).toEqual([NaN, NaN]);
    expect(Array.from(rv.data)).toEqual([NaN, NaN]);
  });
  it('attention with no keys gives zeros, with no queries an empty result, with no features the mean of v', () => {
    const noKeys = scaledDotProductAttention(rand([2, 3, 4], 1), z64([2, 0, 4]), z64([2, 0, 2]));
    expect(noKeys.shape).toEqual([2, 3, 2]);
    expect(Array.from(noKeys.data).every((v) => v === 0)).toBe(true);
    expect(scaledDotProductAttention(z64([2, 0, 4]), rand([2, 3, 4], 1), rand([2, 3, 2], 2)).shape).toEqual([2, 0, 2]);
    const v = t64([[1, 10], [2, 20], [6, 60]]);
    expect(Array.from(scaledDotProductAttention(z64([2, 0]), z64([3, 0]), v).data)).toEqual([3, 30, 3, 30]);
  });
  it('embedding: a 0-d index, empty indices, Int32Array indices; the padding row is looked up but gets no gradient', () => {
    const w = req(rand([4, 2], 3));
    expect(embedding(2, w).shape).toEqual([2]);
    expect(embedding(z64([0, 3]), w).shape).toEqual([0, 3, 2]);
    expect(Array.from(embedding(new Int32Array([3, 0]), w).data)).toEqual([...w.data.slice(6, 8), ...w.data.slice(0, 2)]);
    for (const paddingIdx of [1, -3]) {
      const y = embedding([[1, 1], [3, 1]], w, { paddingIdx });
      expect(Array.from(y.data.slice(0, 2))).toEqual(Array.from(w.data.slice(2, 4)));
      const [g] = grad(sum(y), [w]);
      expect(Array.from(g!.data)).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    }
  });
  it('interpolate keeps an empty batch; recomputeScaleFactor interpolates as if the computed size had been given', () => {
    expect(interpolate(z64([0, 2, 3, 3]), { size: [4, 5], mode: 'bilinear' }).shape).toEqual([0, 2, 4, 5]);
    const x = rand([1, 1, 3, 3], 5);
    const given = interpolate(x, { scaleFactor: 1.7, mode: 'bilinear' });
    const recomputed = interpolate(x, { scaleFactor: 1.7, mode: 'bilinear', recomputeScaleFactor: true });
    const sized = interpolate(x, { size: 5, mode: 'bilinear' });
    expect(given.shape).toEqual([1, 1, 5, 5]);
    expect(Array.from(recomputed.data)).toEqual(Array.from(sized.data));
    expect(maxDiff(given.data, sized.data)).toBeGreaterThan(1e-3);
    // alignCorners: the corners are copied exactly; the scale factor is then not used
    const a = interpolate(x, { scaleFactor: 1.7, mode: 'bilinear', alignCorners: true });
    expect(Array.from(a.data)).toEqual(Array.from(interpolate(x, { size: 5, mode: 'bilinear', alignCorners: true }).data));
    expect([a.data[0], a.data[4], a.data[20], a.data[24]]).toEqual([x.data[0], x.data[2], x.data[6], x.data[8]]);
  });
  it('pixelUnshuffle inverts pixelShuffle, with and without leading axes', () => {
    for (const shape of [[8, 2, 3], [2, 1, 8, 1, 2]]) {
      const x = rand(shape, 6);
      expect(Array.from(pixelUnshuffle(pixelShuffle(x, 2), 2).data)).toEqual(Array.from(x.data));
    }
  });
});

describe('batchNorm and instanceNorm running statistics (updated in place, as F.batch_norm)', () => {
  it('training: momentum blend of the batch mean and the UNBIASED variance; the version is bumped', () => {
    const x = rand([3, 2, 2], 7);
    const [rm, rv] = [t64([0.5, -1]), t64([2, 1])];
    const v0 = rv.version;
    batchNorm(x, rm, rv, { training: true, momentum: 0.25 });
    for (let c = 0; c < 2; c++) {
      const vals = [0, 1, 2].flatMap((n) => [x.data[n * 4 + c * 2]!, x.data[n * 4 + c * 2 + 1]!]);
      const m = vals.reduce((a, b) => a + b, 0) / 6;
      const unbiased = vals.reduce((a, b) => a + (b - m) ** 2, 0) / 5;
      expect(rm.data[c]).toBeCloseTo(0.75 * [0.5, -1][c]! + 0.25 * m, 14);
      expect(rv.data[c]).toBeCloseTo(0.75 * [2, 1][c]! + 0.25 * unbiased, 14);
    }
    expect(rv.version).toBeGreaterThan(v0);
  });
  it('evaluation reads them and changes nothing; a later update does not change an earlier graph\'s gradient', () => {
    const x = req(rand([3, 2], 8));
    const [rm, rv] = [t64([0.5, -1]), t64([2, 1])];
    const y = batchNorm(x, rm, rv);
    expect(Array.from(rm.data)).toEqual([0.5, -1]);
    expect(y.data[1]).toBeCloseTo((x.data[1]! + 1) / Math.sqrt(1 + 1e-5), 14);
    // the statistics are constants of the graph: x's gradient is 1/sqrt(var + eps)
    expect(grad(sum(y), [x])[0]!.data[0]).toBeCloseTo(1 / Math.sqrt(2 + 1e-5), 14);
    const y2 = batchNorm(x, rm, rv);
    batchNorm(rand([3, 2], 9), rm, rv, { training: true });
    expect(Array.from(rv.data)).not.toEqual([2, 1]);
    expect(grad(sum(y2), [x])[0]!.data[0]).toBeCloseTo(1 / Math.sqrt(2 + 1e-5), 14);
  });
  it('float32 running statistics stay float32 and are updated', () => {
    const rm = zeros([2], { dtype: 'float32' });
    batchNorm(rand([4, 2], 9, 'float32'), rm, null, { training: true });
    expect(rm.dtype).toBe('float32');
    expect(rm.data[0]).not.toBe(0);
  });
  it('instanceNorm averages the instances\' statistics over the batch', () => {
    const x = rand([2, 1, 3], 10);
    const rm = t64([1]);
    instanceNorm(x, { runningMean: rm, momentum: 0.5 });
    const means = [0, 1].map((n) => (x.data[3 * n]! + x.data[3 * n + 1]! + x.data[3 * n + 2]!) / 3);
    expect(rm.data[0]).toBeCloseTo(0.5 * 1 + 0.5 * (means[0]! + means[1]!) / 2, 14);
  });
});

describe('float32 agrees with float64', () => {
  const cases: [string, (dtype: 'float32' | 'float64') => Tensor][] = [
    ['interpolate bilinear', (d) => interpolate(rand([2, 2, 3, 4], 1, d), { size: [5, 3], mode: 'bilinear' })],
    ['interpolate linear alignCorners', (d) => interpolate(rand([2, 2, 4], 1, d), { scaleFactor: 2.5, mode: 'linear', alignCorners: true })],
    ['interpolate nearest', (d) => interpolate(rand([2, 2, 3, 4], 1, d), { scaleFactor: [1.7, 0.6] })],
    ['pixelShuffle', (d) => pixelShuffle(rand([2, 8, 2, 3], 1, d), 2)],
    ['embedding', (d) => embedding([[0, 3], [2, 2]], rand([4, 3], 1, d))],
    ['scaledDotProductAttention', (d) => scaledDotProductAttention(rand([2, 3, 4], 1, d), rand([2, 5, 4], 2, d), rand([2, 5, 2], 3, d), { attnMask: rand([3, 5], 4, d) })],
    ['groupNorm', (d) => groupNorm(rand([2, 4, 3], 1, d), 2, rand([4], 2, d), rand([4], 3, d))],
    ['instanceNorm', (d) => instanceNorm(rand([2, 3, 4], 1, d))],
    ['batchNorm', (d) => batchNorm(rand([4, 3, 2], 1, d), null, null, { training: true, weight: rand([3], 2, d) })],
  ];
  it.each(cases)('%s', (_name, f) => {
    expect.hasAssertions();
    const [a, b] = [f('float32'), f('float64')];
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual(b.shape);
    expect(maxDiff(a.data, b.data)).toBeLessThan(2e-6);
  });
});

describe('second order through every op', () => {
  const cases: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
    ['interpolate bilinear (scaleFactor)', (x) => interpolate(x!, { scaleFactor: [1.5, 0.7], mode: 'bilinear' }), [req(rand([1, 2, 3, 4], 1))]],
    ['interpolate linear alignCorners', (x) => interpolate(x!, { size: 5, mode: 'linear', alignCorners: true }), [req(rand([2, 1, 3], 2))]],
    ['embedding with a (negative) paddingIdx', (w) => embedding([[0, 2], [2, 1]], w!, { paddingIdx: -2 }), [req(rand([3, 2], 3))]],
    ['attention, additive mask', (q, k, v, m) => scaledDotProductAttention(q!, k!, v!, { attnMask: m! }), [req(rand([2, 2, 3], 4)), req(rand([2, 3, 3], 5)), req(rand([2, 3, 2], 6)), req(rand([2, 3], 7))]],
    ['attention, causal and scale', (q, k, v) => scaledDotProductAttention(q!, k!, v!, { isCausal: true, scale: 0.6 }), [req(rand([3, 3], 4)), req(rand([2, 3], 5)), req(rand([2, 2], 6))]],
    ['groupNorm', (x, w, b) => groupNorm(x!, 2, w, b), [req(rand([2, 4, 2], 8)), req(rand([4], 9)), req(rand([4], 10))]],
    ['instanceNorm', (x, w) => instanceNorm(x!, { weight: w }), [req(rand([2, 2, 3], 11)), req(rand([2], 12))]],
    ['batchNorm training', (x, b) => batchNorm(x!, null, null, { bias: b, training: true, eps: 0.1 }), [req(rand([3, 2, 2], 13)), req(rand([2], 14))]],
  ];
  it.each(cases)('%s', (name, f, inputs) => {
    expect.hasAssertions();
    // with a paddingIdx the first-order gradient is PyTorch's (none for the padding row), not the
    // derivative; the gradient's own derivative (the lookup with the padding positions zeroed) is exact
    if (!name.includes('paddingIdx')) expect(assertGradcheck(f, inputs).ok).toBe(true);
    expect(assertGradgradcheck(f, inputs).ok).toBe(true);
  });
});

describe('NaN', () => {
  it('a query whose keys are all masked out gets NaN (the documented formula\'s softmax of -Infinity)', () => {
    const [q, k, v] = [rand([1, 2, 2], 1), rand([1, 3, 2], 2), rand([1, 3, 2], 3)];
    const y = scaledDotProductAttention(q, k, v, { attnMask: [[1, 0, 1], [0, 0, 0]], maskIsBoolean: true });
    expect(Array.from(y.data).map(Number.isNaN)).toEqual([false, false, true, true]);
    const additive = scaledDotProductAttention(q, k, v, { attnMask: raw([0, -Infinity, 0, -Infinity, -Infinity, -Infinity], [2, 3]) });
    expect(maxDiff(additive.data.slice(0, 2), y.data.slice(0, 2))).toBe(0);
  });
  it('a NaN in a masked-out key still makes the query NaN (NaN · scale + -Infinity is NaN, as the documented formula)', () => {
    const k = rand([1, 3, 2], 2);
    k.data[4] = NaN; // key 2, which queries 0 and 1 do not attend to under the causal mask
    const y = scaledDotProductAttention(rand([1, 3, 2], 1), k, rand([1, 3, 2], 3), { isCausal: true });
    expect(Array.from(y.data).every(Number.isNaN)).toBe(true);
  });
  it('bilinear interpolation multiplies zero weights too (PyTorch\'s order): NaN reaches the zero-weight outputs', () => {
    const x = raw([1, 2, 5, 3, 4, NaN, 1, 1, 1], [1, 1, 3, 3]);
    // PyTorch 1.13 gives exactly this pattern: column 2 reads x[:, 1] and x[:, 2] (the latter weighted
    // 0), rows 0..3 read row 1 (row 0 with weight 0), the last row reads row 2 only
    const y = interpolate(x, { size: [5, 5], mode: 'bilinear', alignCorners: true });
    const F = false;
    const T = true;
    expect(Array.from(y.data).map(Number.isNaN)).toEqual([F, F, T, T, T, F, F, T, T, T, F, F, T, T, T, F, F, T, T, T, F, F, F, F, F]);
    expect(Array.from(y.data.slice(0, 2))).toEqual([1, 1.5]);
    // nearest copies: only the outputs that copy the NaN are NaN
    expect(Array.from(interpolate(x, { size: [3, 6] }).data).map(Number.isNaN)).toEqual([...Array(10).fill(false), T, T, ...Array(6).fill(false)]);
  });
  it('a NaN in batchNorm\'s training input reaches its whole channel, and no other', () => {
    const x = rand([3, 2], 4);
    x.data[2] = NaN; // n = 1, c = 0
    const y = batchNorm(x, null, null, { training: true });
    expect(Array.from(y.data).map(Number.isNaN)).toEqual([true, false, true, false, true, false]);
  });
});

describe('attention dropout', () => {
  const [q, k] = [rand([2, 4, 3], 1), rand([2, 5, 3], 2)];
  const v = eye(5, 5, F64).reshape([1, 5, 5]); // the output is then the attention weights
  const base = scaledDotProductAttention(q, k, v);
  it('is deterministic for a seeded generator; the kept weights are scaled by 1/(1 - p)', () => {
    const a = scaledDotProductAttention(q, k, v, { dropoutP: 0.3, generator: new Generator(7) });
    const b = scaledDotProductAttention(q, k, v, { dropoutP: 0.3, generator: new Generator(7) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    let zeros = 0;
    a.data.forEach((val, i) => {
      if (val === 0) zeros++;
      else expect(val).toBeCloseTo(base.data[i]! / 0.7, 14);
    });
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(a.size);
    expect(Array.from(scaledDotProductAttention(q, k, v, { dropoutP: 0.3, generator: new Generator(8) }).data)).not.toEqual(Array.from(a.data));
  });
  it('drops about p of the weights', () => {
    const big = scaledDotProductAttention(rand([1, 40, 3], 3), rand([1, 50, 3], 4), eye(50, 50, F64), { dropoutP: 0.25, generator: new Generator(1) });
    const frac = Array.from(big.data).filter((x) => x === 0).length / big.size;
    expect(Math.abs(frac - 0.25)).toBeLessThan(0.03);
  });
  it('p = 0 (evaluation) is the plain attention and draws nothing; p = 1 zeroes everything', () => {
    const gen = new Generator(3);
    expect(Array.from(scaledDotProductAttention(q, k, v, { dropoutP: 0, generator: gen }).data)).toEqual(Array.from(base.data));
    expect(gen.random()).toBe(new Generator(3).random());
    expect(Array.from(scaledDotProductAttention(q, k, v, { dropoutP: 1 }).data).every((x) => x === 0)).toBe(true);
  });
  it('the gradient goes through the same mask (gradcheck with a generator reseeded per call)', () => {
    const f = (qq: Tensor, vv: Tensor): Tensor => scaledDotProductAttention(qq, k, vv, { dropoutP: 0.4, generator: new Generator(5) });
    expect(assertGradcheck(f, [req(rand([2, 4, 3], 6)), req(rand([2, 5, 2], 7))]).ok).toBe(true);
  });
});
