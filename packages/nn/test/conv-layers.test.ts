/**
 * Conv1d, Conv2d, ConvTranspose2d and the pooling / resampling layers against PyTorch
 * (fixtures/torch-conv-layers.json: outputs and the gradients of the input and every parameter), the
 * safetensors round trips in both directions, the default initialisation's statistics, gradchecks,
 * reprs, summary() and the errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, ShapeError, Tensor, assertGradcheck, assertGradgradcheck, randn, tensor } from '@memograd/autograd';
import {
  AdaptiveAvgPool2d, AvgPool2d, Conv1d, Conv2d, ConvNd, ConvTranspose2d, Flatten, Linear, MaxPool1d, MaxPool2d, MaxPoolNd, PixelShuffle, PixelUnshuffle,
  ReLU, SERIALIZABLE_LAYERS, Sequential, Upsample, loadWeights, modelFromJSON, modelToJSON, saveWeights, summary,
} from '../src/index.ts';
import type { Module } from '../src/index.ts';
import { describeLayerFixture, fromPlain, type Plain } from './support/layer-fixture.ts';
import { ROUND_TRIP_LAYERS } from './fixtures/roundtrip-layers.ts';

const CLASSES: Record<string, new (...a: never[]) => Module> = {
  Conv1d, Conv2d, ConvTranspose2d, MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Upsample, PixelShuffle, PixelUnshuffle,
};
const WEIGHTED = new Set(['Conv1d', 'Conv2d', 'ConvTranspose2d']);

const build = (c: Record<string, unknown>): Module => {
  const { cls, args, options } = c as { cls: string; args: unknown[]; options: Record<string, unknown> };
  const Cls = CLASSES[cls] as unknown as new (...a: unknown[]) => Module;
  if (cls === 'Upsample') return new Cls(options);
  if (cls === 'AdaptiveAvgPool2d' || cls.startsWith('Pixel')) return new Cls(...args);
  return new Cls(...args, WEIGHTED.has(cls) ? { ...options, dtype: 'float64' } : options);
};

describeLayerFixture('convolution and pooling layers', new URL('./fixtures/torch-conv-layers.json', import.meta.url), build, (m, [x], c) => {
  if (c.withIndices) {
    const r = (m as MaxPoolNd).forwardWithIndices(x!);
    return [r.values, r.indices];
  }
  if (c.outputSize) return [(m as ConvTranspose2d).call(x!, c.outputSize as number[])];
  return [m.call(x!)];
});

describe('safetensors round trips with PyTorch', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-conv-layers.json', import.meta.url), 'utf8')) as { roundtrip: Record<string, { input: Plain; output: Plain } | null> };
  const trip = fixture.roundtrip;
  const close = (a: ArrayLike<number>, e: Plain) => {
    expect(a.length).toBe(e.data.length);
    const worst = Math.max(...Array.from(a, (v, i) => Math.abs(v - (e.data[i] as number))));
    expect(worst).toBeLessThan(1e-12);
  };

  it("loads PyTorch's Conv2d weights (torch-conv2d.safetensors) and gives PyTorch's outputs", () => {
    const conv = new Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2, dtype: 'float64' });
    const result = loadWeights(conv, new Uint8Array(readFileSync(new URL('./fixtures/torch-conv2d.safetensors', import.meta.url))));
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    close(conv.call(fromPlain(trip['conv2d']!.input)).data, trip['conv2d']!.output);
  });

  it.each([['memograd-conv1d.safetensors'], ['memograd-conv-transpose2d.safetensors']])('writes weights that PyTorch loads and computes the same outputs with (%s)', (file) => {
    const layer = ROUND_TRIP_LAYERS[file]!();
    const bytes = new Uint8Array(readFileSync(new URL(`./fixtures/${file}`, import.meta.url)));
    // the file PyTorch read is what saveWeights writes today
    expect(Buffer.from(saveWeights(layer)).equals(Buffer.from(bytes))).toBe(true);
    expect(trip[file]).toBeTruthy();
    close(layer.call(fromPlain(trip[file]!.input)).data, trip[file]!.output);
  });
});

describe('default initialisation (kaiming_uniform_(a=√5): U(±1/√fanIn) for weight and bias)', () => {
  const stats = (t: Tensor) => {
    const d = Array.from(t.data);
    const mean = d.reduce((a, v) => a + v, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / d.length);
    return { min: Math.min(...d), max: Math.max(...d), mean, std };
  };
  it.each([
    ['Conv2d(64, 32, 3)', () => new Conv2d(64, 32, 3, { generator: new Generator(1) }), [32, 64, 3, 3], 64 * 9],
    ['Conv2d(64, 32, [3, 2], groups 4)', () => new Conv2d(64, 32, [3, 2], { groups: 4, generator: new Generator(2) }), [32, 16, 3, 2], 16 * 6],
    ['Conv1d(32, 64, 5, groups 2)', () => new Conv1d(32, 64, 5, { groups: 2, generator: new Generator(3) }), [64, 16, 5], 16 * 5],
    // fan-in from weight dim 1: outChannels/groups · kernel
    ['ConvTranspose2d(48, 32, 3, groups 2)', () => new ConvTranspose2d(48, 32, 3, { groups: 2, generator: new Generator(4) }), [48, 16, 3, 3], 16 * 9],
  ] as const)('%s', (_n, make, shape, fanIn) => {
    const m = make() as ConvNd;
    expect(m.weight.shape).toEqual(shape);
    const bound = 1 / Math.sqrt(fanIn);
    const w = stats(m.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeLessThan(-0.98 * bound);
    expect(w.max).toBeGreaterThan(0.98 * bound);
    expect(Math.abs(w.mean)).toBeLessThan(0.02 * bound);
    expect(Math.abs(w.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.03);
    const b = stats(m.bias!);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeLessThanOrEqual(bound);
    expect(b.max - b.min).toBeGreaterThan(bound); // spread over the interval, not a constant
  });

  it('is reproducible with a seeded generator, and float64 on request', () => {
    const a = new Conv2d(3, 4, 3, { generator: new Generator(9), dtype: 'float64' });
    const b = new Conv2d(3, 4, 3, { generator: new Generator(9), dtype: 'float64' });
    expect(a.weight.dtype).toBe('float64');
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(Array.from(a.bias!.data)).toEqual(Array.from(b.bias!.data));
    expect(new Conv2d(3, 4, 3, { bias: false }).bias).toBeNull();
    expect(new Conv2d(3, 4, 3, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
  });
});

describe('gradients', () => {
  const g = () => new Generator(11);
  const x = (shape: number[]) => randn(shape, { dtype: 'float64', generator: new Generator(5), requiresGrad: true });
  it.each([
    ['Conv1d reflect same groups', () => new Conv1d(4, 2, 3, { groups: 2, padding: 'same', paddingMode: 'reflect', dtype: 'float64', generator: g() }), [2, 4, 5]],
    ['Conv2d strided dilated', () => new Conv2d(2, 3, [2, 3], { stride: [2, 1], padding: 1, dilation: [1, 2], dtype: 'float64', generator: g() }), [1, 2, 5, 5]],
    ['Conv2d circular', () => new Conv2d(2, 2, 2, { padding: 1, paddingMode: 'circular', dtype: 'float64', generator: g() }), [1, 2, 3, 3]],
    ['ConvTranspose2d', () => new ConvTranspose2d(2, 4, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, dtype: 'float64', generator: g() }), [1, 2, 3, 3]],
  ] as const)('%s passes gradcheck (input and parameters) and gradgradcheck (input)', (_n, make, shape) => {
    expect.hasAssertions();
    const m = make() as ConvNd;
    const xi = x([...shape]);
    const f = (t: Tensor) => m.call(t).square().sum();
    expect(() => assertGradcheck(f, [xi, m.weight, m.bias!])).not.toThrow();
    expect(() => assertGradgradcheck(f, [xi])).not.toThrow();
  });

  it.each([
    ['MaxPool1d', () => new MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), [1, 2, 9]],
    ['MaxPool2d', () => new MaxPool2d([2, 3], { stride: 1, padding: 1 }), [1, 2, 4, 4]],
    ['AvgPool2d', () => new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [1, 2, 6, 5]],
    ['AdaptiveAvgPool2d', () => new AdaptiveAvgPool2d([3, null]), [1, 2, 5, 4]],
    ['Upsample', () => new Upsample({ scaleFactor: 2, mode: 'bilinear' }), [1, 1, 3, 3]],
    ['PixelShuffle', () => new PixelShuffle(2), [1, 4, 2, 3]],
    ['PixelUnshuffle', () => new PixelUnshuffle(2), [1, 1, 4, 2]],
  ] as const)('%s passes gradcheck', (_n, make, shape) => {
    expect.hasAssertions();
    const m = make();
    expect(() => assertGradcheck((t) => m.call(t).square().sum(), [x([...shape])])).not.toThrow();
  });
});

describe('shapes, reprs and summary', () => {
  it('takes unbatched inputs', () => {
    expect(new Conv2d(3, 4, 3).call(randn([3, 5, 5])).shape).toEqual([4, 3, 3]);
    expect(new Conv1d(3, 4, 3, { padding: 'same' }).call(randn([3, 5])).shape).toEqual([4, 5]);
    expect(new ConvTranspose2d(3, 4, 2, { stride: 2 }).call(randn([3, 2, 2])).shape).toEqual([4, 4, 4]);
    expect(new MaxPool2d(2).call(randn([3, 4, 4])).shape).toEqual([3, 2, 2]);
    expect(new MaxPool1d(2).call(randn([3, 4])).shape).toEqual([3, 2]);
    expect(new AvgPool2d(2).call(randn([3, 4, 4])).shape).toEqual([3, 2, 2]);
    expect(new AdaptiveAvgPool2d(1).call(randn([3, 4, 4])).shape).toEqual([3, 1, 1]);
  });

  it("ConvTranspose2d's outputSize picks the size among those the stride allows", () => {
    const up = new ConvTranspose2d(2, 2, 3, { stride: 2, padding: 1 });
    const x = randn([1, 2, 4, 4]);
    expect(up.call(x).shape).toEqual([1, 2, 7, 7]);
    expect(up.call(x, [8, 7]).shape).toEqual([1, 2, 8, 7]);
    expect(up.forward(x, [1, 2, 8, 8]).shape).toEqual([1, 2, 8, 8]);
  });

  it("MaxPool's forwardWithIndices returns PyTorch's flat indices; call returns the values", () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 7], [9, 1, 0, 2], [6, 6, 3, 1]]]]);
    const m = new MaxPool2d(2, { returnIndices: true });
    const r = m.forwardWithIndices(x);
    expect(Array.from(r.values.data)).toEqual([5, 8, 9, 3]);
    expect(Array.from(r.indices.data)).toEqual([1, 6, 8, 14]);
    expect(Array.from(m.call(x).data)).toEqual([5, 8, 9, 3]);
  });

  it('prints like PyTorch (camel-cased)', () => {
    expect(String(new Conv2d(3, 8, 3))).toBe('Conv2d(3, 8, kernelSize=[3, 3], stride=[1, 1])');
    expect(String(new Conv1d(4, 8, 3, { padding: 'same', dilation: 2, groups: 2, bias: false, paddingMode: 'reflect' })))
      .toBe("Conv1d(4, 8, kernelSize=[3], stride=[1], padding='same', dilation=[2], groups=2, bias=false, paddingMode='reflect')");
    expect(String(new ConvTranspose2d(4, 2, [3, 2], { stride: 2, padding: 1, outputPadding: [1, 0] })))
      .toBe('ConvTranspose2d(4, 2, kernelSize=[3, 2], stride=[2, 2], padding=[1, 1], outputPadding=[1, 0])');
    expect(String(new MaxPool2d(2))).toBe('MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)');
    expect(String(new MaxPool1d(3, { stride: 1, returnIndices: true }))).toBe('MaxPool1d(kernelSize=3, stride=1, padding=0, dilation=1, ceilMode=false, returnIndices=true)');
    expect(String(new AvgPool2d([3, 2], { padding: 1, countIncludePad: false, divisorOverride: 4 })))
      .toBe('AvgPool2d(kernelSize=[3, 2], stride=[3, 2], padding=1, countIncludePad=false, divisorOverride=4)');
    expect(String(new AdaptiveAvgPool2d([null, 7]))).toBe('AdaptiveAvgPool2d(outputSize=[null, 7])');
    expect(String(new Upsample({ size: [4, 4], mode: 'bilinear', alignCorners: true }))).toBe("Upsample(size=[4, 4], mode='bilinear', alignCorners=true)");
    expect(String(new PixelShuffle(2))).toBe('PixelShuffle(upscaleFactor=2)');
    expect(String(new PixelUnshuffle(3))).toBe('PixelUnshuffle(downscaleFactor=3)');
  });

  it('summary() shows the output shapes and parameter counts of Conv2d → ReLU → MaxPool2d → Flatten → Linear', () => {
    const model = new Sequential(new Conv2d(1, 8, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10));
    const text = summary(model, [1, 28, 28], { print: false });
    const rows = text.split('\n').filter((l) => /^\d \(/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['0 (Conv2d)', '[None, 8, 28, 28]', '80'],
      ['1 (ReLU)', '[None, 8, 28, 28]', '0'],
      ['2 (MaxPool2d)', '[None, 8, 14, 14]', '0'],
      ['3 (Flatten)', '[None, 1568]', '0'],
      ['4 (Linear)', '[None, 10]', '15,690'],
    ]);
    expect(text).toContain('Total params: 15,770');
    expect(model.numParameters()).toBe(8 * 9 + 8 + 1568 * 10 + 10);
  });

  it('names the parameters as PyTorch in the state dict', () => {
    const m = new Sequential(new Conv2d(3, 4, 3), new ConvTranspose2d(4, 2, 2, { bias: false }));
    expect(Object.entries(m.stateDict()).map(([k, v]) => `${k} ${v.shape.join('x')}`)).toEqual(['0.weight 4x3x3x3', '0.bias 4', '1.weight 4x2x2x2']);
  });
});

describe('modelToJSON / modelFromJSON', () => {
  const bits = (t: Tensor) => Buffer.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).toString('hex');
  const models = {
    '2-D': () => new Sequential(
      new Conv2d(2, 8, [3, 2], { padding: 'same', paddingMode: 'reflect', dilation: [1, 2], generator: new Generator(1), dtype: 'float64' }),
      new MaxPool2d(2, { stride: 1, padding: 1, ceilMode: true, returnIndices: true }),
      new AvgPool2d([2, 3], { padding: [1, 1], countIncludePad: false, divisorOverride: 5 }),
      new PixelUnshuffle(2),
      new ConvTranspose2d(32, 4, 3, { stride: 2, padding: 1, outputPadding: [1, 0], groups: 4, bias: false, generator: new Generator(2), dtype: 'float64' }),
      new PixelShuffle(2),
      new Upsample({ size: [9, 8], mode: 'bilinear', alignCorners: true }),
      new AdaptiveAvgPool2d([3, null]),
      new Flatten(),
    ),
    '1-D': () => new Sequential(new Conv1d(2, 4, 3, { stride: 2, padding: 1, groups: 2, generator: new Generator(3), dtype: 'float64' }), new MaxPool1d([2], { dilation: 1 }), new Upsample({ scaleFactor: 1.5, mode: 'linear' })),
  };
  it('registers every conv-layer class', () => {
    for (const c of ['Conv1d', 'Conv2d', 'ConvTranspose2d', 'MaxPool1d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Upsample', 'PixelShuffle', 'PixelUnshuffle']) {
      expect(SERIALIZABLE_LAYERS).toContain(c);
    }
  });
  it.each([['2-D', [2, 2, 10, 9]], ['1-D', [2, 2, 9]]] as const)('round-trips the %s layers with bit-identical outputs', (kind, shape) => {
    const model = models[kind]();
    const json = JSON.parse(JSON.stringify(modelToJSON(model))) as ReturnType<typeof modelToJSON>;
    const loaded = modelFromJSON(json);
    loaded.loadStateDict(model.stateDict());
    expect(loaded.toString()).toBe(model.toString());
    const x = randn([...shape], { dtype: 'float64', generator: new Generator(4) });
    expect(bits(loaded.call(x))).toBe(bits(model.call(x)));
  });
  it('reports a bad conv config as a problem naming the layer', () => {
    const json = modelToJSON(models['1-D']());
    (json.model.config.layers as { config: Record<string, unknown> }[])[0]!.config.groups = 3;
    expect(() => modelFromJSON(json)).toThrow(/layers\[0\] \(Conv1d\): Conv1d: inChannels \(2\) must be divisible by groups \(3\)/);
  });
});

describe('errors name the layer and the argument', () => {
  const f32 = (shape: number[]) => randn(shape);
  it.each([
    ['inChannels', () => new Conv2d(0, 4, 3), ArgumentError, /^Conv2d: inChannels must be a positive integer, got number 0/],
    ['kernelSize', () => new Conv2d(3, 4, [3]), ArgumentError, /^Conv2d: kernelSize must be a positive integer or a list of 2 positive integers, got \[3\]/],
    ['stride', () => new Conv1d(3, 4, 3, { stride: 0 }), ArgumentError, /^Conv1d: stride must be a positive integer or a list of 1 positive integers, got 0/],
    ['padding', () => new Conv2d(3, 4, 3, { padding: -1 }), ArgumentError, /^Conv2d: padding must be a non-negative integer/],
    ['padding string', () => new Conv2d(3, 4, 3, { padding: 'full' as 'same' }), ArgumentError, /^Conv2d: padding must be 'same', 'valid'/],
    ['same strided', () => new Conv2d(3, 4, 3, { padding: 'same', stride: 2 }), ArgumentError, /^Conv2d: padding 'same' is not supported for strided convolutions/],
    ['groups', () => new Conv2d(3, 4, 3, { groups: 2 }), ArgumentError, /^Conv2d: inChannels \(3\) must be divisible by groups \(2\)/],
    ['groups out', () => new Conv1d(4, 3, 3, { groups: 2 }), ArgumentError, /^Conv1d: outChannels \(3\) must be divisible by groups \(2\)/],
    ['paddingMode', () => new Conv2d(3, 4, 3, { paddingMode: 'mirror' as 'zeros' }), ArgumentError, /^Conv2d: paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got 'mirror'/],
    ['transposed paddingMode', () => new ConvTranspose2d(3, 4, 3, { paddingMode: 'reflect' as 'zeros' }), ArgumentError, /^ConvTranspose2d: only paddingMode 'zeros' is supported/],
    ['transposed same', () => new ConvTranspose2d(3, 4, 3, { padding: 'same' as unknown as number }), ArgumentError, /^ConvTranspose2d: padding must be a non-negative integer or a list of 2; 'same' is for convolutions/],
    ['outputPadding', () => new ConvTranspose2d(3, 4, 3, { stride: 2, outputPadding: 2 }), ArgumentError, /^ConvTranspose2d: outputPadding 2 must be smaller than either stride \[2, 2\] or dilation \[1, 1\]/],
    ['outputPadding on Conv2d', () => new Conv2d(3, 4, 3, { outputPadding: 1 } as never), ArgumentError, /^Conv2d: outputPadding is an option of the transposed convolutions/],
    ['bias', () => new Conv2d(3, 4, 3, { bias: 1 as unknown as boolean }), ArgumentError, /^Conv2d: bias must be a boolean, got number 1/],
    ['dtype', () => new Conv2d(3, 4, 3, { dtype: 'int8' as 'float32' }), ArgumentError, /^Conv2d: dtype must be 'float32' or 'float64', got 'int8'/],
    ['too large', () => new Conv2d(2 ** 20, 2 ** 12, 3), ArgumentError, /^Conv2d/],
    ['input channels', () => new Conv2d(3, 4, 3).call(f32([2, 4, 5, 5])), ShapeError, /^Conv2d\(3 → 4, kernelSize=\[3, 3\]\): expected input \[N, 3, H, W\] or unbatched \[3, H, W\], got \[2, 4, 5, 5\]/],
    ['input rank', () => new Conv1d(3, 4, 3).call(f32([2, 3, 5, 5])), ShapeError, /^Conv1d\(3 → 4, kernelSize=\[3\]\): expected input \[N, 3, L\] or unbatched \[3, L\]/],
    ['input too small', () => new Conv2d(3, 4, 3).call(f32([1, 3, 2, 2])), ShapeError, /^Conv2d\(3 → 4, kernelSize=\[3, 3\]\): /],
    ['input dtype', () => new Conv2d(3, 4, 3).call(randn([1, 3, 5, 5], { dtype: 'float64' })), DTypeError, /^Conv2d\(3 → 4, kernelSize=\[3, 3\]\): input is float64 but the layer's weights are float32/],
    ['input not a tensor', () => new ConvTranspose2d(3, 4, 3).forward([1, 2] as never), ArgumentError, /^ConvTranspose2d\(3 → 4, kernelSize=\[3, 3\]\): input must be a Tensor/],
    ['reflect too wide', () => new Conv1d(1, 1, 3, { padding: 4, paddingMode: 'reflect' }).call(f32([1, 1, 3])), ArgumentError, /^Conv1d\(1 → 1, kernelSize=\[3\]\): /],
    ['outputSize range', () => new ConvTranspose2d(2, 2, 3, { stride: 2 }).call(f32([1, 2, 3, 3]), [7, 9]), ShapeError, /^ConvTranspose2d\(2 → 2, kernelSize=\[3, 3\]\): requested an output size of \[7, 9\], but valid sizes range from 7 to 8 along axis 1/],
    ['outputSize length', () => new ConvTranspose2d(2, 2, 3).call(f32([1, 2, 3, 3]), [5]), ArgumentError, /^ConvTranspose2d\(2 → 2, kernelSize=\[3, 3\]\): for input \[1, 2, 3, 3\], outputSize must have 2 or 4 elements/],
    ['pool kernel', () => new MaxPool2d(0), ArgumentError, /^MaxPool2d: kernelSize must be a positive integer or a list of 2 positive integers, got 0/],
    ['pool padding', () => new MaxPool1d(2, { padding: 2 }), ArgumentError, /^MaxPool1d: padding must be at most half the kernel size/],
    ['pool ceilMode', () => new MaxPool2d(2, { ceilMode: 'yes' as unknown as boolean }), ArgumentError, /^MaxPool2d: ceilMode must be a boolean/],
    ['pool input', () => new MaxPool2d(2).call(f32([4, 4])), ShapeError, /^MaxPool2d\(kernelSize=2\): expected input \[N, C, H, W\] or unbatched \[C, H, W\], got \[4, 4\]/],
    ['pool too small', () => new MaxPool2d(3).call(f32([1, 1, 2, 2])), ShapeError, /^MaxPool2d\(kernelSize=3\): /],
    ['avg divisorOverride', () => new AvgPool2d(2, { divisorOverride: 0 }), ArgumentError, /^AvgPool2d: divisorOverride must be a positive integer, got number 0/],
    ['avg countIncludePad', () => new AvgPool2d(2, { countIncludePad: null as unknown as boolean }), ArgumentError, /^AvgPool2d: countIncludePad must be a boolean, got null/],
    ['avg input', () => new AvgPool2d(2).call(f32([1, 1, 1, 4, 4])), ShapeError, /^AvgPool2d\(kernelSize=2\): expected input/],
    ['adaptive outputSize', () => new AdaptiveAvgPool2d([0, 2]), ArgumentError, /^AdaptiveAvgPool2d: outputSize must be a positive integer or a list of 2 positive integers or nulls/],
    ['adaptive input', () => new AdaptiveAvgPool2d(2).call(f32([2])), ShapeError, /^AdaptiveAvgPool2d\(2\): expected input/],
    ['upsample both', () => new Upsample({ size: 4, scaleFactor: 2 }), ArgumentError, /^Upsample: give only one of size and scaleFactor/],
    ['upsample mode', () => new Upsample({ scaleFactor: 2, mode: 'bicubic' as 'nearest' }), ArgumentError, /^Upsample: mode must be 'nearest', 'linear' or 'bilinear', got 'bicubic'/],
    ['upsample unknown option', () => new Upsample({ scale: 2 } as never), ArgumentError, /^Upsample: unknown option 'scale'/],
    ['upsample input', () => new Upsample({ scaleFactor: 2, mode: 'linear' }).call(f32([1, 1, 2, 2])), ShapeError, /^Upsample\(scaleFactor=2, mode='linear'\): /],
    ['pixelShuffle factor', () => new PixelShuffle(0), ArgumentError, /^PixelShuffle: upscaleFactor must be a positive integer, got number 0/],
    ['pixelShuffle channels', () => new PixelShuffle(2).call(f32([1, 3, 2, 2])), ShapeError, /^PixelShuffle\(2\): /],
    ['pixelUnshuffle size', () => new PixelUnshuffle(2).call(f32([1, 1, 3, 2])), ShapeError, /^PixelUnshuffle\(2\): /],
  ] as const)('%s', (_n, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });
});
