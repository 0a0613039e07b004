// The conv family's own tests: argument errors (named op, argument and shapes), edge cases (empty
// batches, unbatched inputs, float32, the 1x1 fast path, inputs large enough for the wasm GEMM),
// max pooling's indices, ties and NaN (PyTorch's CPU kernel: a NaN is the maximum, the last NaN's
// index wins), and second order through the composites.
import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d, ArgumentError, assertGradgradcheck, avgPool2d, conv1d, conv2d, convTranspose2d, DTypeError, fold, grad,
  maxPool1d, maxPool2d, ShapeError, sum, Tensor, tensor, unfold,
} from '../src/index.ts';
import { convOracle, convTransposeOracle } from '../src/ops/conv.ts';

const rand = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor => {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = (s / 2147483648) * 2 - 1;
  }
  return new Tensor(data, shape, dtype);
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('conv errors name the op, the argument and the shapes', () => {
  const x = rand([2, 4, 5, 5], 1);
  it('channel mismatch', () => {
    expect(() => conv2d(x, rand([3, 3, 3, 3], 2))).toThrow(ShapeError);
    expect(() => conv2d(x, rand([3, 3, 3, 3], 2))).toThrow(/conv2d: x has 4 channels but weight \[3, 3, 3, 3\] with groups 1 expects 3/);
    expect(() => convTranspose2d(x, rand([3, 2, 2, 2], 2))).toThrow(/convTranspose2d: x has 4 channels but weight \[3, 2, 2, 2\] expects 3/);
  });
  it('groups that do not divide the channels', () => {
    expect(() => conv2d(x, rand([3, 2, 3, 3], 2), null, { groups: 2 })).toThrow(/conv2d: groups \(2\) must divide the input channels \(4\) and the output channels \(3\)/);
    expect(() => conv2d(x, rand([4, 4, 3, 3], 2), null, { groups: 0 })).toThrow(ArgumentError);
  });
  it('a kernel larger than the padded input', () => {
    expect(() => conv2d(x, rand([2, 4, 6, 1], 2))).toThrow(/conv2d: the kernel \(size 6, dilation 1: 6 elements\) is larger than the padded input along the height \(5 \+ padding 0 = 5\)/);
    expect(() => conv2d(x, rand([2, 4, 6, 1], 2), null, { padding: [1, 0] })).not.toThrow();
    expect(() => conv1d(rand([1, 2, 4], 1), rand([1, 2, 3], 2), null, { dilation: 2 })).toThrow(/conv1d: .* along the length/);
    expect(() => unfold(x, 3, { dilation: 3 })).toThrow(/unfold: the kernel \(size 3, dilation 3: 7 elements\)/);
  });
  it('negative or too small output sizes of the transposed convolution', () => {
    expect(() => convTranspose2d(rand([1, 2, 2, 2], 1), rand([2, 1, 2, 2], 2), null, { padding: 2 })).toThrow(/convTranspose2d: the output size \[-1, -1\] is too small/);
    expect(() => convTranspose2d(rand([1, 2, 2, 2], 1), rand([2, 1, 2, 2], 2), null, { outputPadding: 1 })).toThrow(/outputPadding \[1, 1\] must be smaller than either stride/);
  });
  it('weights, biases, options and dtypes', () => {
    expect(() => conv2d(x, rand([2, 4, 3], 2))).toThrow(/conv2d: weight must be 4-D \[Cout, Cin\/groups, kH, kW\], got \[2, 4, 3\]/);
    expect(() => conv2d(x, rand([2, 4, 3, 3], 2), rand([3], 3))).toThrow(/conv2d: bias must be 1-D with one value per output channel \(2/);
    expect(() => conv2d(rand([4, 5], 1), rand([2, 4, 3, 3], 2))).toThrow(/conv2d: x must be 4-D \[N, C, H, W\] or 3-D without the batch, got \[4, 5\]/);
    expect(() => conv2d(x, rand([2, 4, 3, 3], 2), null, { stride: 2, padding: 'same' })).toThrow(/conv2d: padding 'same' needs stride 1/);
    expect(() => conv2d(x, rand([2, 4, 3, 3], 2), null, { stride: [1, 2, 3] })).toThrow(/conv2d: stride must be an integer or an array of 2 integers >= 1/);
    expect(() => conv2d(x, rand([2, 4, 3, 3], 2), null, { padding: -1 })).toThrow(/conv2d: padding must be an integer >= 0/);
    expect(() => conv2d(x, rand([2, 4, 3, 3], 2), null, { pad: 1 } as never)).toThrow(ArgumentError);
    expect(() => conv2d(x, rand([2, 4, 3, 3], 2, 'float32'))).toThrow(DTypeError);
  });
  it('fold checks the columns against the windows', () => {
    expect(() => fold(rand([1, 12, 15], 1), [5, 6], [3, 2], { stride: [1, 2], padding: 1 })).toThrow(/fold: x's last dimension \(15 in \[1, 12, 15\]\) must be the number of windows, 5x4 = 20/);
    expect(() => fold(rand([1, 10, 4], 1), [3, 3], 2)).toThrow(/fold: x's dimension 1 \(10 in \[1, 10, 4\]\) must be divisible by the kernel's 2x2 = 4 elements/);
  });
  it('pooling limits as PyTorch', () => {
    expect(() => maxPool2d(x, 3, { padding: 2 })).toThrow(/maxPool2d: padding must be at most half the kernel size/);
    expect(() => avgPool2d(x, 2, { divisorOverride: 0 })).toThrow(/avgPool2d: divisorOverride must be an integer >= 1/);
    expect(() => maxPool2d(x, 6)).toThrow(/maxPool2d: the kernel \(size 6/);
    expect(() => adaptiveAvgPool2d(x, [0, 2])).toThrow(/adaptiveAvgPool2d: outputSize\[0\] must be an integer >= 1/);
    expect(() => maxPool2d(rand([1, 1, 0, 3], 1), 1)).toThrow(/maxPool2d: x must have non-empty spatial dimensions/);
  });
});

describe('conv values', () => {
  it('matches the direct loop on inputs large enough for the wasm GEMM (float64 and float32), with groups and the 1x1 path', () => {
    for (const [xs, ws, opts] of [
      [[2, 8, 12, 12], [16, 8, 3, 3], { padding: 1 }],
      [[2, 8, 9, 11], [12, 4, 3, 2], { groups: 2, stride: [2, 1], dilation: [1, 2], padding: 'same' as const }],
      [[3, 16, 6, 6], [32, 16, 1, 1], {}],
    ] as const) {
      for (const dtype of ['float64', 'float32'] as const) {
        const x = rand([...xs], 3, dtype);
        const w = rand([...ws], 4, dtype);
        const b = rand([ws[0]], 5, dtype);
        const opt = { ...opts, stride: 'stride' in opts && (opts as { padding?: unknown }).padding === 'same' ? 1 : (opts as { stride?: number[] }).stride };
        const got = conv2d(x, w, b, opt);
        const want = convOracle(2, [x, w, b], opt);
        expect(got.shape).toEqual(want.shape);
        expect(got.dtype).toBe(dtype);
        expect(maxDiff(got.data, want.data)).toBeLessThan(dtype === 'float64' ? 1e-12 : 1e-4);
      }
    }
  });

  it('convTranspose2d is the adjoint of conv2d: <conv2d(x, w), y> = <x, convTranspose2d(y, w)>', () => {
    const x = rand([2, 4, 7, 6], 6);
    const w = rand([6, 2, 3, 2], 7);
    const opts = { stride: 2, padding: 1, groups: 2, dilation: [1, 2] };
    const y = conv2d(x, w, null, opts);
    const z = rand([...y.shape], 8);
    // the output padding restores the input size where the stride dropped a row
    const back = convTranspose2d(z, w, null, { ...opts, outputPadding: [x.shape[2]! - ((y.shape[2]! - 1) * 2 - 2 + 2 + 1), x.shape[3]! - ((y.shape[3]! - 1) * 2 - 2 + 2 + 1)] });
    expect(back.shape).toEqual(x.shape);
    expect(sum(y.mul(z)).item()).toBeCloseTo(sum(x.mul(back)).item(), 10);
    const want = convTransposeOracle([z, w], { ...opts, outputPadding: [x.shape[2]! - ((y.shape[2]! - 1) * 2 + 1), x.shape[3]! - ((y.shape[3]! - 1) * 2 + 1)] });
    expect(maxDiff(back.data, want.data)).toBeLessThan(1e-12);
  });

  it('empty batches give empty outputs, x its empty gradient and the weight zeros (PyTorch)', () => {
    const x = rand([0, 2, 4, 4], 1);
    x.requiresGrad = true;
    const w = rand([3, 2, 3, 3], 2);
    w.requiresGrad = true;
    const y = conv2d(x, w, null, { padding: 1 });
    expect(y.shape).toEqual([0, 3, 4, 4]);
    const [gx, gw] = grad(sum(y), [x, w]);
    expect(gx!.shape).toEqual([0, 2, 4, 4]);
    expect(gw!.shape).toEqual([3, 2, 3, 3]);
    expect(Array.from(gw!.data).every((v) => v === 0)).toBe(true);
    expect(convTranspose2d(x, rand([2, 3, 2, 2], 3), rand([3], 4), { stride: 2 }).shape).toEqual([0, 3, 8, 8]);
    expect(maxPool2d(x, 2).shape).toEqual([0, 2, 2, 2]);
    expect(avgPool2d(x, 2).shape).toEqual([0, 2, 2, 2]);
    expect(adaptiveAvgPool2d(x, 3).shape).toEqual([0, 2, 3, 3]);
  });

  it('unbatched inputs keep their rank', () => {
    expect(conv1d(rand([2, 6], 1), rand([3, 2, 2], 2)).shape).toEqual([3, 5]);
    expect(maxPool1d(rand([2, 6], 1), 2).shape).toEqual([2, 3]);
    expect(unfold(rand([2, 3, 3], 1), 2).shape).toEqual([8, 4]);
    expect(fold(rand([8, 4], 1), 3, 2).shape).toEqual([2, 3, 3]);
  });

  it('second order through conv2d (the composite of unfold, matmul and fold)', () => {
    expect.hasAssertions();
    const x = rand([1, 2, 4, 4], 9);
    const w = rand([2, 1, 2, 3], 10);
    for (const t of [x, w]) t.requiresGrad = true;
    expect(() => assertGradgradcheck((a, b) => conv2d(a, b, null, { groups: 2, padding: 'same', dilation: [2, 1] }), [x, w])).not.toThrow();
    expect(() => assertGradgradcheck((a, b) => convTranspose2d(a, b.reshape([2, 1, 2, 3]), null, { stride: 2, groups: 2 }), [x, w])).not.toThrow();
  });
});

describe('max pooling: indices, ties and NaN as PyTorch', () => {
  it('returns the first maximum on ties, and the gradient goes there only', () => {
    const x = tensor([[[[1, 1, 0], [1, 1, 2], [2, 2, 2]]]], { dtype: 'float64', requiresGrad: true });
    const { values, indices } = maxPool2d(x, 2, { stride: 1, returnIndices: true });
    expect(Array.from(values.data)).toEqual([1, 2, 2, 2]);
    expect(Array.from(indices.data)).toEqual([0, 5, 6, 5]);
    expect(indices.requiresGrad).toBe(false);
    const [g] = grad(sum(values), [x]);
    expect(Array.from(g!.data)).toEqual([1, 0, 0, 0, 0, 2, 1, 0, 0]);
  });
  it('a NaN in a window is its maximum; the last NaN holds the index (torch 1.13 CPU)', () => {
    const x = new Tensor(Float64Array.of(1, NaN, 3, NaN, -Infinity, 5), [1, 1, 6], 'float64');
    x.requiresGrad = true;
    const { values, indices } = maxPool1d(x, 4, { stride: 2, ceilMode: true, returnIndices: true });
    expect(Array.from(values.data)).toEqual([NaN, NaN]);
    expect(Array.from(indices.data)).toEqual([3, 3]);
    const [g] = grad(sum(values), [x]);
    expect(Array.from(g!.data)).toEqual([0, 0, 0, 2, 0, 0]);
  });
  it('-Infinity padding never wins, even against -Infinity values (the first real element is the default)', () => {
    const x = new Tensor(new Float64Array(4).fill(-Infinity), [1, 1, 2, 2], 'float64');
    const { values, indices } = maxPool2d(x, 3, { stride: 1, padding: 1, returnIndices: true });
    expect(Array.from(values.data)).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
    expect(Array.from(indices.data)).toEqual([0, 0, 0, 0]);
  });
  it('float32 pools agree with float64', () => {
    const x = rand([2, 3, 7, 5], 11);
    for (const f of [(t: Tensor) => maxPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true }), (t: Tensor) => avgPool2d(t, 2, { ceilMode: true, padding: 1, countIncludePad: false }), (t: Tensor) => adaptiveAvgPool2d(t, [3, 4])]) {
      const a = f(x);
      const b = f(x.to('float32'));
      expect(b.dtype).toBe('float32');
      expect(maxDiff(a.data, b.data)).toBeLessThan(1e-6);
    }
  });
});
