/**
 * BatchNorm2d/3d, InstanceNorm1d/2d/3d, GroupNorm, Embedding (and BatchNorm1d, LayerNorm) against
 * PyTorch (fixtures/torch-norm-layers.json: train and eval mode, outputs, gradients of the input and
 * every parameter, running statistics after one and two training steps), the safetensors round
 * trips both ways, gradchecks, initialization, train/eval behaviour and the errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, Generator, ShapeError, Tensor, assertGradcheck, randn, tensor, zeros,
} from '@memograd/autograd';
import {
  BatchNorm1d, BatchNorm2d, BatchNorm3d, Embedding, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm,
  Flatten, Linear, NormBase, SERIALIZABLE_LAYERS, Sequential, loadWeights, modelFromJSON, modelToJSON, saveWeights, summary,
} from '../src/index.ts';
import type { Module } from '../src/index.ts';
import { describeLayerFixture, fromPlain, type Plain } from './support/layer-fixture.ts';
import { ROUND_TRIP_LAYERS } from './fixtures/roundtrip-layers.ts';

const f64 = { dtype: 'float64' } as const;
const CLASSES = { BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, GroupNorm, LayerNorm, Embedding } as const;

const build = (c: Record<string, unknown>): Module => {
  const { kind, args, options } = c as { kind: keyof typeof CLASSES; args: unknown[]; options: Record<string, unknown> };
  if (kind === 'Embedding' && options['pretrained'] === true) {
    const { pretrained: _p, ...rest } = options;
    return Embedding.fromPretrained(zeros(args as number[], f64), rest);
  }
  const Cls = CLASSES[kind] as unknown as new (...a: unknown[]) => Module;
  return new Cls(...args, { ...options, dtype: 'float64' });
};

describeLayerFixture('normalization layers and embeddings', new URL('./fixtures/torch-norm-layers.json', import.meta.url), build, (m, xs, c) => {
  m.train(c['mode'] === 'train');
  let y: Tensor | null = null;
  for (const x of xs) y = m.call(x);
  if (m instanceof Embedding) return [y!, m.weight.detach()];
  const stats = m instanceof NormBase ? [m.runningMean, m.runningVar, m.numBatchesTracked] : [];
  return [y!, ...stats.filter((s): s is Tensor => s !== null)];
});

describe('safetensors round trips with PyTorch', () => {
  const trip = JSON.parse(readFileSync(new URL('./fixtures/torch-norm-layers-roundtrip.json', import.meta.url), 'utf8')) as Record<string, { input: Plain; output: Plain; state?: Record<string, Plain>; num_batches_tracked?: number }>;
  const close = (a: ArrayLike<number>, e: Plain) => {
    expect(a.length).toBe(e.data.length);
    const worst = Math.max(...Array.from(a, (v, i) => Math.abs(v - (e.data[i] as number))));
    expect(worst).toBeLessThan(1e-12);
  };
  const file = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

  it("loads PyTorch's BatchNorm2d weights and buffers (num_batches_tracked as I64) and gives PyTorch's eval outputs", () => {
    const bn = new BatchNorm2d(3, { ...f64, momentum: null });
    expect(loadWeights(bn, file('torch-batchnorm2d.safetensors'))).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(bn.num_batches_tracked!.item()).toBe(trip['bn']!.num_batches_tracked);
    expect(bn.running_var!.data.some((v) => v !== 1)).toBe(true);
    close(bn.eval().call(fromPlain(trip['bn']!.input)).data, trip['bn']!.output);
  });

  it("loads a float32 PyTorch BatchNorm2d (F32 weights, I64 num_batches_tracked) into a float32 layer", () => {
    const bn = new BatchNorm2d(3);
    expect(loadWeights(bn, file('torch-batchnorm2d-f32.safetensors'))).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect([bn.num_batches_tracked!.dtype, bn.num_batches_tracked!.item()]).toEqual(['float32', trip['bn32']!.num_batches_tracked]);
    const y = bn.eval().call(fromPlain(trip['bn32']!.input).to('float32'));
    const e = trip['bn32']!.output.data as number[];
    expect(Math.max(...Array.from(y.data, (v, i) => Math.abs(v - e[i]!)))).toBeLessThan(1e-5);
  });

  it('refuses an integer in the file that float32 cannot hold exactly, changing nothing', () => {
    const header = new TextEncoder().encode(JSON.stringify({ num_batches_tracked: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }).padEnd(64, ' '));
    const bytes = new Uint8Array(8 + header.length + 8);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    view.setBigInt64(8 + header.length, 2n ** 24n + 1n, true);
    const bn = new BatchNorm2d(3, { affine: false });
    expect(() => loadWeights(bn, bytes, { strict: false })).toThrow(/key 'num_batches_tracked': the file's I64 element 0 = 16777217 cannot be represented exactly in float32/);
    expect(bn.num_batches_tracked!.item()).toBe(0);
    view.setBigInt64(8 + header.length, 2n ** 24n, true);
    loadWeights(bn, bytes, { strict: false });
    expect(bn.num_batches_tracked!.item()).toBe(2 ** 24);
  });

  it("loads PyTorch's Embedding weights and gives PyTorch's outputs", () => {
    const emb = new Embedding(7, 3, { ...f64, paddingIdx: -1 });
    expect(loadWeights(emb, file('torch-embedding.safetensors'))).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(Array.from(emb.weight.data.slice(18))).toEqual([0, 0, 0]); // PyTorch zeroed the padding row
    close(emb.call(fromPlain(trip['emb']!.input)).data, trip['emb']!.output);
  });

  it.each([
    ['memograd-batchnorm2d.safetensors', 'memograd_bn'],
    ['memograd-embedding.safetensors', 'memograd_emb'],
  ])('writes %s, which PyTorch loads (buffers included) and computes the same outputs with', (name, key) => {
    const m = ROUND_TRIP_LAYERS[name]!();
    // the file PyTorch read is what saveWeights writes today
    expect(Buffer.from(saveWeights(m)).equals(Buffer.from(file(name)))).toBe(true);
    const t = trip[key]!;
    // PyTorch's state after loading is memograd's (num_batches_tracked = 2 in the BatchNorm2d)
    const state = m.stateDict();
    expect(Object.keys(t.state!)).toEqual(Object.keys(state));
    for (const [k, v] of Object.entries(t.state!)) close(state[k]!.data, v);
    close(m.call(fromPlain(t.input)).data, t.output);
  });
});

describe('gradcheck (float64) with respect to the input and the parameters', () => {
  const g = new Generator(3);
  const rand = (shape: number[]) => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
  const perturb = (m: Module) => {
    for (const p of m.parameters()) p.data.set(randn(p.shape, { dtype: 'float64', generator: g }).add(1).data);
    return m;
  };
  const cases: [string, () => Module, number[], 'train' | 'eval'][] = [
    ['BatchNorm2d train', () => new BatchNorm2d(2, f64), [3, 2, 2, 2], 'train'],
    ['BatchNorm2d eval', () => new BatchNorm2d(2, f64), [3, 2, 2, 2], 'eval'],
    ['BatchNorm3d train', () => new BatchNorm3d(2, f64), [2, 2, 2, 1, 2], 'train'],
    ['InstanceNorm2d affine train', () => new InstanceNorm2d(2, { ...f64, affine: true }), [2, 2, 2, 3], 'train'],
    ['InstanceNorm2d tracked eval', () => new InstanceNorm2d(2, { ...f64, affine: true, trackRunningStats: true }), [2, 2, 2, 3], 'eval'],
    ['InstanceNorm1d unbatched', () => new InstanceNorm1d(2, { ...f64, affine: true }), [2, 4], 'train'],
    ['GroupNorm', () => new GroupNorm(2, 4, f64), [2, 4, 3], 'train'],
    ['LayerNorm over two axes', () => new LayerNorm([2, 3], f64), [2, 2, 3], 'train'],
  ];
  it.each(cases)('%s', (_n, make, shape, mode) => {
    expect.hasAssertions();
    const m = perturb(make()).train(mode === 'train');
    const x = rand(shape);
    const cot = randn(shape, { dtype: 'float64', generator: g });
    // the layer's own parameters are gradcheck's inputs too: it perturbs them in place
    expect(m.parameters().length).toBeGreaterThan(0);
    expect(() => assertGradcheck((xi) => m.call(xi).mul(cot).sum(), [x, ...m.parameters()])).not.toThrow();
  });

  it('Embedding: gradcheck with respect to the weight; the padding row gets zero gradient', () => {
    const emb = new Embedding(5, 3, { ...f64, paddingIdx: 1, generator: g });
    const idx = tensor([[0, 1, 3], [3, 3, 1]]);
    const w = emb.weight;
    emb.call(idx).mul(randn([2, 3, 3], { dtype: 'float64', generator: g })).sum().backward();
    expect(Array.from(w.grad!.data.slice(3, 6))).toEqual([0, 0, 0]);
    expect(Array.from(w.grad!.data.slice(6, 9))).toEqual([0, 0, 0]); // row 2 not looked up
    expect(w.grad!.data.slice(9, 12).every((v) => v !== 0)).toBe(true);
    const noPad = new Embedding(5, 3, { ...f64, generator: g });
    const cot = randn([2, 3, 3], { dtype: 'float64', generator: g });
    expect(() => assertGradcheck(() => noPad.call(idx).square().mul(cot).sum(), [noPad.weight])).not.toThrow();
  });
});

describe('parameters, buffers and initialization', () => {
  it("names parameters and buffers as PyTorch's state dict, with camelCase aliases", () => {
    const bn = new BatchNorm2d(4);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(bn.runningMean).toBe(bn.running_mean);
    expect(bn.runningVar).toBe(bn.running_var);
    expect(bn.numBatchesTracked).toBe(bn.num_batches_tracked);
    expect(Array.from(bn.weight!.data)).toEqual([1, 1, 1, 1]);
    expect(Array.from(bn.bias!.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(bn.running_mean!.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(bn.running_var!.data)).toEqual([1, 1, 1, 1]);
    expect(bn.num_batches_tracked!.shape).toEqual([]);
    expect(Object.keys(new BatchNorm2d(4, { affine: false, trackRunningStats: false }).stateDict())).toEqual([]);
    // InstanceNorm2d: PyTorch's defaults affine false, trackRunningStats false
    const inorm = new InstanceNorm2d(3);
    expect([inorm.affine, inorm.trackRunningStats, Object.keys(inorm.stateDict())]).toEqual([false, false, []]);
    expect(Object.keys(new InstanceNorm2d(3, { affine: true, trackRunningStats: true }).stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new GroupNorm(2, 4).stateDict())).toEqual(['weight', 'bias']);
    expect(Object.keys(new Embedding(3, 2).stateDict())).toEqual(['weight']);
  });

  it('converts buffers with to(), and the aliases follow', () => {
    const bn = new BatchNorm2d(2).to('float64');
    expect([bn.running_mean!.dtype, bn.runningVar!.dtype, bn.numBatchesTracked!.dtype]).toEqual(['float64', 'float64', 'float64']);
  });

  it('initializes Embedding N(0, 1) from the generator, with the padding row zeroed (negative paddingIdx counts from the end)', () => {
    const emb = new Embedding(2000, 50, { paddingIdx: -3, generator: new Generator(1) });
    expect(emb.paddingIdx).toBe(1997);
    const d = emb.weight.data;
    expect(Array.from(d.slice(1997 * 50, 1998 * 50)).every((v) => v === 0)).toBe(true);
    let s = 0;
    let s2 = 0;
    for (const v of d) {
      s += v;
      s2 += v * v;
    }
    const mean = s / d.length;
    const std = Math.sqrt(s2 / d.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
    // seeded: the same generator seed gives the same table
    expect(Array.from(new Embedding(4, 2, { generator: new Generator(7) }).weight.data)).toEqual(Array.from(new Embedding(4, 2, { generator: new Generator(7) }).weight.data));
  });

  it('fromPretrained shares the data, freezes by default and does not zero the padding row', () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = Embedding.fromPretrained(w, { paddingIdx: 1 });
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.weight.data).toBe(w.data);
    expect(Array.from(frozen.call(tensor([1, 2])).data)).toEqual([3, 4, 5, 6]);
    expect(frozen.numParameters({ onlyTrainable: true })).toBe(0);
    const open = Embedding.fromPretrained(w, { freeze: false });
    expect(open.weight.requiresGrad).toBe(true);
    expect([open.numEmbeddings, open.embeddingDim, open.paddingIdx]).toEqual([3, 2, null]);
  });

  it('resetRunningStats and resetParameters restore the initial values', () => {
    const bn = new BatchNorm2d(2, f64);
    bn.call(randn([2, 2, 2, 2], { dtype: 'float64', generator: new Generator(1) }));
    bn.weight!.data.fill(3);
    bn.resetRunningStats();
    expect([Array.from(bn.running_mean!.data), Array.from(bn.running_var!.data), bn.num_batches_tracked!.item(), bn.weight!.data[0]]).toEqual([[0, 0], [1, 1], 0, 3]);
    bn.resetParameters();
    expect(bn.weight!.data[0]).toBe(1);
    const gn = new GroupNorm(1, 2);
    gn.bias!.data.fill(2);
    gn.resetParameters();
    expect(Array.from(gn.bias!.data)).toEqual([0, 0]);
  });
});

describe('training and eval behaviour', () => {
  const g = new Generator(5);
  const x = () => randn([4, 3, 2, 2], { dtype: 'float64', generator: g }).mul(3).add(2);

  it('BatchNorm2d: training normalizes with the batch statistics and updates the running ones; eval uses them', () => {
    const bn = new BatchNorm2d(3, f64);
    const xb = x();
    const y = bn.call(xb);
    // each channel of the output has mean 0 and biased variance ~1
    const m = y.mean({ axis: [0, 2, 3] });
    const v = y.square().mean({ axis: [0, 2, 3] });
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(m.data[c]!)).toBeLessThan(1e-12);
      expect(v.data[c]!).toBeCloseTo(1, 4);
    }
    const bm = xb.mean({ axis: [0, 2, 3] });
    const uv = xb.sub(xb.mean({ axis: [0, 2, 3], keepDims: true })).square().sum({ axis: [0, 2, 3] }).div(15);
    for (let c = 0; c < 3; c++) {
      expect(bn.running_mean!.data[c]).toBeCloseTo(0.1 * bm.data[c]!, 12);
      expect(bn.running_var!.data[c]).toBeCloseTo(0.9 + 0.1 * uv.data[c]!, 12); // the unbiased variance
    }
    expect(bn.num_batches_tracked!.item()).toBe(1);
    bn.eval();
    const before = Array.from(bn.running_mean!.data);
    const ye = bn.call(xb);
    expect(Array.from(bn.running_mean!.data)).toEqual(before);
    expect(bn.num_batches_tracked!.item()).toBe(1);
    const rm = bn.running_mean!.data;
    const rv = bn.running_var!.data;
    expect(ye.data[0]).toBeCloseTo((xb.data[0]! - rm[0]!) / Math.sqrt(rv[0]! + 1e-5), 12);
  });

  it('momentum null gives the cumulative average of the batch statistics', () => {
    const bn = new BatchNorm2d(3, { ...f64, momentum: null });
    const xs = [x(), x(), x()];
    for (const xi of xs) bn.call(xi);
    const means = xs.map((xi) => xi.mean({ axis: [0, 2, 3] }).data);
    for (let c = 0; c < 3; c++) expect(bn.running_mean!.data[c]).toBeCloseTo((means[0]![c]! + means[1]![c]! + means[2]![c]!) / 3, 12);
    expect(bn.num_batches_tracked!.item()).toBe(3);
  });

  it('an empty batch in training gives an empty output, keeps the running statistics and counts the batch (PyTorch)', () => {
    const bn = new BatchNorm2d(3, f64);
    bn.call(x());
    const mean = Array.from(bn.running_mean!.data), variance = Array.from(bn.running_var!.data);
    const y = bn.call(zeros([0, 3, 2, 2], f64));
    expect(y.shape).toEqual([0, 3, 2, 2]);
    expect(Array.from(bn.running_mean!.data)).toEqual(mean);
    expect(Array.from(bn.running_var!.data)).toEqual(variance);
    expect(bn.num_batches_tracked!.item()).toBe(2);
    const b1 = new BatchNorm1d(3);
    expect(b1.call(zeros([2, 3, 0])).shape).toEqual([2, 3, 0]);
    expect(b1.call(zeros([0, 3])).shape).toEqual([0, 3]);
    expect(b1.num_batches_tracked!.item()).toBe(2);
  });

  it('without running statistics, eval mode normalizes with the batch statistics', () => {
    const bn = new BatchNorm2d(3, { ...f64, trackRunningStats: false });
    const xb = x();
    expect(Array.from(bn.eval().call(xb).data)).toEqual(Array.from(bn.train().call(xb).data));
  });

  it('InstanceNorm2d: instance statistics in both modes unless tracking; tracking updates running stats but not num_batches_tracked', () => {
    const inorm = new InstanceNorm2d(3, f64);
    const xb = x();
    expect(Array.from(inorm.eval().call(xb).data)).toEqual(Array.from(inorm.train().call(xb).data));
    const tracked = new InstanceNorm2d(3, { ...f64, trackRunningStats: true });
    tracked.call(xb);
    expect(tracked.running_mean!.data[0]).not.toBe(0);
    expect(tracked.num_batches_tracked!.item()).toBe(0);
    const ye = tracked.eval().call(xb);
    expect(ye.data[0]).toBeCloseTo((xb.data[0]! - tracked.running_mean!.data[0]!) / Math.sqrt(tracked.running_var!.data[0]! + 1e-5), 12);
  });

  it('Embedding maxNorm renormalizes the looked-up rows in place (others untouched)', () => {
    const emb = Embedding.fromPretrained(tensor([[3, 4], [0.3, 0.4], [6, 8]], f64), { maxNorm: 1 });
    const v = emb.weight.version;
    const y = emb.call(tensor([0, 1, 0]));
    expect(y.data[0]).toBeCloseTo(0.6, 6);
    expect(Array.from(emb.weight.data.slice(2, 6))).toEqual([0.3, 0.4, 6, 8]);
    expect(emb.weight.version).toBeGreaterThan(v);
  });
});

describe('summary, repr and errors', () => {
  it('shows the layers with their parameter counts in summary()', () => {
    const model = new Sequential(new BatchNorm2d(3), new InstanceNorm2d(3, { affine: true }), new GroupNorm(1, 3));
    const s = summary(model, [3, 4, 4]);
    expect(s).toMatch(/0 \(BatchNorm2d\)\s+\[None, 3, 4, 4\]\s+6/);
    expect(s).toMatch(/1 \(InstanceNorm2d\)\s+\[None, 3, 4, 4\]\s+6/);
    expect(s).toMatch(/2 \(GroupNorm\)\s+\[None, 3, 4, 4\]\s+6/);
    const e = summary(new Sequential(new Embedding(100, 8), new Linear(8, 2)), [5]);
    expect(e).toMatch(/0 \(Embedding\)\s+\[None, 5, 8\]\s+800/);
  });

  it('prints like PyTorch', () => {
    expect(String(new BatchNorm2d(3, { momentum: null }))).toBe('BatchNorm2d(3, eps=0.00001, momentum=null, affine=true, trackRunningStats=true)');
    expect(String(new InstanceNorm2d(3))).toBe('InstanceNorm2d(3, eps=0.00001, momentum=0.1, affine=false, trackRunningStats=false)');
    expect(String(new GroupNorm(2, 4))).toBe('GroupNorm(2, 4, eps=0.00001, affine=true)');
    expect(String(new Embedding(5, 2, { paddingIdx: -2, maxNorm: 1 }))).toBe('Embedding(5, 2, paddingIdx=3, maxNorm=1)');
  });

  it('checks the options, naming the layer and the argument', () => {
    expect(() => new BatchNorm2d(0)).toThrow(new ArgumentError('BatchNorm2d', 'numFeatures must be a positive integer, got number 0'));
    expect(() => new BatchNorm2d(3, { momentum: 2 })).toThrow(/^BatchNorm2d: momentum must be in \[0, 1\] or null/);
    expect(() => new BatchNorm3d(3, { eps: -1 })).toThrow(/^BatchNorm3d: eps must be a finite positive number/);
    expect(() => new InstanceNorm2d(3, { momentum: null })).toThrow(/^InstanceNorm2d: momentum must be a number in \[0, 1\], got null/);
    expect(() => new InstanceNorm1d(3, { affine: 1 as never })).toThrow(/^InstanceNorm1d: affine must be a boolean/);
    expect(() => new GroupNorm(3, 4)).toThrow(new ArgumentError('GroupNorm', 'numChannels (4) must be divisible by numGroups (3)'));
    expect(() => new GroupNorm(0, 4)).toThrow(/^GroupNorm: numGroups must be a positive integer/);
    expect(() => new Embedding(5, 2, { paddingIdx: 5 })).toThrow(/^Embedding: paddingIdx must be an integer within numEmbeddings \(from -5 to 4\), got number 5/);
    expect(() => new Embedding(5, 2, { paddingIdx: -6 })).toThrow(/^Embedding: paddingIdx/);
    expect(() => new Embedding(5, 0)).toThrow(/^Embedding: embeddingDim must be a positive integer/);
    expect(() => new Embedding(5, 2, { maxNorm: -1 })).toThrow(/^Embedding: maxNorm must be/);
    expect(() => new Embedding(5, 2, { normType: 0 })).toThrow(/^Embedding: normType must be a positive number/);
    expect(() => new Embedding(5, 2, { scaleGradByFreq: true })).toThrow(/^Embedding: scaleGradByFreq: true is not supported/);
    expect(() => new Embedding(5, 2, { sparse: true })).toThrow(/^Embedding: sparse: true is not supported/);
    expect(() => Embedding.fromPretrained(tensor([1, 2]))).toThrow(/^Embedding\.fromPretrained: embeddings must be a non-empty 2-D tensor/);
    expect(() => Embedding.fromPretrained(tensor([[1, 2]]), { paddingIdx: 1 })).toThrow(/^Embedding\.fromPretrained: paddingIdx must be an integer within numEmbeddings \(from -1 to 0\)/);
  });

  it("checks the input's shape and dtype in forward, naming the layer", () => {
    const bn = new BatchNorm2d(3);
    expect(() => bn.call(zeros([3, 4, 4]))).toThrow(ShapeError);
    expect(() => bn.call(zeros([3, 4, 4]))).toThrow(/^BatchNorm2d\(3\): expected a 4-D input of shape \[N, 3, H, W\], got \[3, 4, 4\]$/);
    expect(() => bn.call(zeros([2, 4, 4, 4]))).toThrow(/^BatchNorm2d\(3\): expected 3 channels on axis 1/);
    expect(() => bn.call(zeros([2, 3, 2, 2], f64))).toThrow(DTypeError);
    expect(() => bn.call(zeros([1, 3, 1, 1]))).toThrow(/^BatchNorm2d\(3\): expected more than 1 value per channel when training/);
    expect(bn.num_batches_tracked!.item()).toBe(0); // nothing changed by the failed call
    expect(() => bn.eval().call(zeros([1, 3, 1, 1]))).not.toThrow();
    expect(() => new BatchNorm2d(3, { trackRunningStats: false }).eval().call(zeros([1, 3, 1, 1]))).toThrow(/more than 1 value per channel/);
    expect(() => new BatchNorm3d(2).call(zeros([2, 2, 2, 2]))).toThrow(/^BatchNorm3d\(2\): expected a 5-D input of shape \[N, 2, D, H, W\]/);
    expect(() => new InstanceNorm2d(3).call(zeros([3, 1, 1]))).toThrow(/^InstanceNorm2d\(3\): expected more than 1 spatial element when training/);
    expect(() => new InstanceNorm2d(3).call(zeros([3, 4]))).toThrow(/^InstanceNorm2d\(3\): expected a 4-D input of shape \[N, 3, H, W\] or unbatched \[3, H, W\]/);
    expect(() => new InstanceNorm2d(3, { affine: true }).call(zeros([1, 4, 2, 2]))).toThrow(/^InstanceNorm2d\(3\): expected 3 channels on axis 1/);
    // without affine or running statistics numFeatures is unused (PyTorch only warns)
    expect(new InstanceNorm2d(3).call(zeros([1, 4, 2, 2])).shape).toEqual([1, 4, 2, 2]);
    expect(() => new GroupNorm(2, 4).call(zeros([4]))).toThrow(/^GroupNorm\(2, 4\): expected input of shape \[N, 4, \.\.\.\], got \[4\]/);
    expect(() => new GroupNorm(2, 2).call(zeros([1, 2]))).toThrow(/^GroupNorm\(2, 2\): expected more than 1 value per channel/);
    expect(() => new GroupNorm(2, 4).call('x' as never)).toThrow(ArgumentError);
    const emb = new Embedding(3, 2);
    expect(() => emb.call(tensor([0, 3]))).toThrow(/^Embedding\(3, 2\): /);
    expect(() => emb.call(tensor([0.5]))).toThrow(/^Embedding\(3, 2\): /);
    const renorm = new Embedding(3, 2, { maxNorm: 0.1 });
    const before = Array.from(renorm.weight.data);
    expect(() => renorm.call(tensor([0, 7]))).toThrow(/^Embedding\(3, 2\): /);
    expect(Array.from(renorm.weight.data)).toEqual(before); // a bad index renormalizes nothing
  });
});

describe('BatchNorm1d shares the batch-norm code', () => {
  it("has PyTorch's buffer names and matches BatchNorm2d on [N, C, L] viewed as [N, C, L, 1]", () => {
    const b1 = new BatchNorm1d(3, { ...f64, momentum: null });
    const b2 = new BatchNorm2d(3, { ...f64, momentum: null });
    expect(b1.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(b1.runningMean).toBe(b1.running_mean);
    const g = new Generator(9);
    for (let i = 0; i < 2; i++) {
      const xb = randn([2, 3, 4], { dtype: 'float64', generator: g });
      expect(Array.from(b1.call(xb).data)).toEqual(Array.from(b2.call(xb.reshape([2, 3, 4, 1])).data));
    }
    expect(Array.from(b1.runningVar!.data)).toEqual(Array.from(b2.running_var!.data));
    expect(b1.numBatchesTracked!.item()).toBe(2);
  });
});

describe('modelToJSON / modelFromJSON', () => {
  const bits = (t: Tensor) => Buffer.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).toString('hex');
  const NORMS = ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', 'GroupNorm', 'Embedding'];
  it('registers every normalization layer and Embedding', () => {
    expect.hasAssertions();
    for (const c of NORMS) expect(SERIALIZABLE_LAYERS).toContain(c);
  });
  const images = () => new Sequential(
    new BatchNorm2d(4, { momentum: null, dtype: 'float64' }),
    new GroupNorm(2, 4, { eps: 1e-3, dtype: 'float64' }),
    new InstanceNorm2d(4, { affine: true, trackRunningStats: true, momentum: 0.2, dtype: 'float64' }),
    new Flatten(2),
    new BatchNorm1d(4, { eps: 1e-4, affine: false, dtype: 'float64' }),
    new InstanceNorm1d(4, { dtype: 'float64' }),
  );
  it('round-trips the norms with their running statistics and bit-identical outputs in eval mode', () => {
    expect.hasAssertions();
    const model = images();
    const g = new Generator(3);
    for (let i = 0; i < 2; i++) model.call(randn([3, 4, 5, 2], { dtype: 'float64', generator: g }).mul(3).add(1));
    model.eval();
    const json = JSON.parse(JSON.stringify(modelToJSON(model))) as ReturnType<typeof modelToJSON>;
    const loaded = modelFromJSON(json);
    loaded.loadStateDict(model.stateDict());
    loaded.eval();
    expect(loaded.toString()).toBe(model.toString());
    const x = randn([2, 4, 5, 2], { dtype: 'float64', generator: g });
    expect(bits(loaded.call(x))).toBe(bits(model.call(x)));
    expect(Object.keys(loaded.stateDict())).toEqual(Object.keys(model.stateDict()));
  });
  it('round-trips Embedding and BatchNorm3d / InstanceNorm3d configs', () => {
    expect.hasAssertions();
    for (const m of [
      new Embedding(7, 3, { paddingIdx: -2, maxNorm: 1.5, normType: 1, dtype: 'float64' }),
      new BatchNorm3d(2, { eps: 1e-3, trackRunningStats: false }),
      new InstanceNorm3d(2, { affine: true }),
    ] as Module[]) {
      const model = new Sequential(m);
      const loaded = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))) as ReturnType<typeof modelToJSON>);
      expect(loaded.toString()).toBe(model.toString());
      expect(Object.keys(loaded.stateDict())).toEqual(Object.keys(model.stateDict()));
    }
  });
});
