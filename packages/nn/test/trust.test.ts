/**
 * Regression tests for issue 8 (nn side): no silent wrong gradient, no garbage loaded, typed errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, assertGradcheck, tensor } from '@memograd/autograd';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, huberLoss, smoothL1Loss,
} from '../src/index.ts';
import type { Reduction } from '../src/index.ts';

const f64 = { dtype: 'float64' as const };

// ---------------------------------------------------------------------------------------------
// Losses at the points where the formula has a kink but the function is smooth

interface KinkCase {
  name: string;
  fn: 'binary_cross_entropy_with_logits' | 'huber_loss' | 'smooth_l1_loss' | 'binary_cross_entropy';
  input: number[];
  target: number[];
  options: { reduction: Reduction; pos_weight?: number[]; delta?: number; beta?: number };
  loss: number | number[];
  grad: number[];
}
const kinks = JSON.parse(readFileSync(new URL('./fixtures/torch-kinks.json', import.meta.url), 'utf8')) as { torch: string; cases: KinkCase[] };

function runKink(c: KinkCase, x: Tensor): Tensor {
  const o = c.options;
  const t = tensor(c.target, f64);
  switch (c.fn) {
    case 'binary_cross_entropy_with_logits':
      return binaryCrossEntropyWithLogits(x, t, { reduction: o.reduction, posWeight: o.pos_weight === undefined ? undefined : tensor(o.pos_weight, f64) });
    case 'huber_loss': return huberLoss(x, t, { reduction: o.reduction, delta: o.delta });
    case 'smooth_l1_loss': return smoothL1Loss(x, t, { reduction: o.reduction, beta: o.beta });
    case 'binary_cross_entropy': return binaryCrossEntropy(x, t, { reduction: o.reduction });
  }
}

describe(`losses at their formula's kinks agree with PyTorch ${kinks.torch} (float64)`, () => {
  it('the fixture covers logits of exactly 0, with and without posWeight', () => {
    const names = kinks.cases.map((c) => c.name);
    expect(names).toContain('bce_logits at 0 mean');
    expect(names).toContain('bce_logits at 0 posWeight sum');
    expect(names).toContain('huber at delta none');
    expect(names).toContain('smooth_l1 at beta none');
  });

  it.each(kinks.cases)('$name', (c) => {
    const x = tensor(c.input, { ...f64, requiresGrad: true });
    const out = runKink(c, x);
    out.sum().backward();
    const want = typeof c.loss === 'number' ? [c.loss] : c.loss;
    expect(out.size).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      expect(Math.abs(out.data[i]! - want[i]!), `loss[${i}]: ${out.data[i]} vs PyTorch ${want[i]}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[i]!)));
    }
    // PyTorch's binary_cross_entropy backward divides by max(p (1 − p), 1e-12), an approximation of the
    // derivative below p ≈ 1e-12; memograd differentiates the clamped logs exactly (gradchecked below),
    // so for the near-edge case only the loss values are compared
    if (c.fn === 'binary_cross_entropy') return;
    for (let i = 0; i < c.grad.length; i++) {
      expect(Math.abs(x.grad!.data[i]! - c.grad[i]!), `grad[${i}]: ${x.grad!.data[i]} vs PyTorch ${c.grad[i]}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(c.grad[i]!)));
    }
  });
});

describe('binaryCrossEntropyWithLogits at a logit of exactly 0', () => {
  it('has gradient sigmoid(0) - t = 0.5 - t per element', () => {
    const x = tensor([0, 0, 0], { ...f64, requiresGrad: true });
    binaryCrossEntropyWithLogits(x, [0, 1, 0.25], { reduction: 'sum' }).backward();
    expect(Array.from(x.grad!.data)).toEqual([0.5, -0.5, 0.25]);
  });

  it('with posWeight p: (1 + (p - 1) t) sigmoid(0) - p t', () => {
    const x = tensor([0, 0, 0], { ...f64, requiresGrad: true });
    binaryCrossEntropyWithLogits(x, [0, 1, 0.5], { reduction: 'sum', posWeight: [3, 3, 3] }).backward();
    // t=0: 0.5; t=1: 3·0.5 − 3 = −1.5; t=0.5: 2·0.5 − 1.5 = −0.5
    expect(Array.from(x.grad!.data)).toEqual([0.5, -1.5, -0.5]);
  });

  it('passes gradcheck AT 0 (logits, targets and posWeight), for every reduction', () => {
    for (const r of ['mean', 'sum', 'none'] as Reduction[]) {
      const x = tensor([0, 0, 0, -0], { ...f64, requiresGrad: true });
      const t = tensor([0, 1, 0.3, 0.8], { ...f64, requiresGrad: true });
      const pw = tensor([2, 0.5, 1, 3], { ...f64, requiresGrad: true });
      assertGradcheck((a, b) => binaryCrossEntropyWithLogits(a, b, { reduction: r }), [x, t]);
      assertGradcheck((a, b, c) => binaryCrossEntropyWithLogits(a, b, { posWeight: c, reduction: r }), [x, t, pw]);
    }
  });

  it('stays finite and exact for huge logits, in float32 too', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([1e4, -1e4, 100, -100], { dtype, requiresGrad: true });
      const l = binaryCrossEntropyWithLogits(x, [0, 1, 1, 0], { reduction: 'none' });
      const tail = Math.log1p(Math.exp(-100));
      expect(Array.from(l.data.slice(0, 2))).toEqual([1e4, 1e4]);
      for (const v of l.data.slice(2)) expect(Math.abs(v - tail)).toBeLessThanOrEqual(1e-40); // the 3.7e-44 tail is lost to rounding, as in PyTorch
      l.sum().backward();
      const g = Array.from(x.grad!.data);
      expect(g.slice(0, 2)).toEqual([1, -1]);
      expect(Math.abs(g[2]!)).toBeLessThan(1e-40);
      expect(Math.abs(g[3]!)).toBeLessThan(1e-40);
    }
  });
});

describe('gradcheck AT the kinks of other smooth losses', () => {
  it('huberLoss at |d| = delta and at d = 0', () => {
    for (const delta of [1, 0.5, 2]) {
      const x = tensor([delta, -delta, 1 + delta, 0], { ...f64, requiresGrad: true });
      const t = tensor([0, 0, 1, 0], f64);
      assertGradcheck((a) => huberLoss(a, t, { delta, reduction: 'sum' }), [x]);
    }
  });

  it('smoothL1Loss at |d| = beta and at d = 0', () => {
    for (const beta of [1, 0.5, 2]) {
      const x = tensor([beta, -beta, 1 - beta, 0], { ...f64, requiresGrad: true });
      const t = tensor([0, 0, 1, 0], f64);
      assertGradcheck((a) => smoothL1Loss(a, t, { beta, reduction: 'sum' }), [x]);
    }
  });

  it('binaryCrossEntropy just inside the clamped edges', () => {
    const p = tensor([1e-6, 1 - 1e-6, 0.5], { ...f64, requiresGrad: true });
    const t = tensor([0.2, 0.7, 1], { ...f64, requiresGrad: true });
    assertGradcheck((a, b) => binaryCrossEntropy(a, b, { reduction: 'sum' }), [p, t], { eps: 1e-9, rtol: 1e-4 });
  });
});

// ---------------------------------------------------------------------------------------------
// State: nothing garbage is loaded, every in-place change bumps the tensor's version

import { MemogradError, ones, zeros } from '@memograd/autograd';
import {
  BatchNorm1d, LayerNorm, Linear, ReLU, Sequential, StateDictError, SafetensorsError, constant_, decodeSafetensors,
  encodeSafetensors, initialize_, kaimingNormal_, kaimingUniform_, l2Penalty, normal_, ones_, summary, uniform_,
  xavierNormal_, xavierUniform_, zeros_, dropout, linear, saveWeights,
} from '../src/index.ts';
import { expectMemogradError } from '../../autograd/test/support/thrown.ts';

function lin(): Linear {
  const m = new Linear(3, 1, { dtype: 'float64' });
  m.weight.data.set([1, 2, 3]);
  m.bias!.data.set([4]);
  return m;
}

describe('loadStateDict loads nothing on garbage, and names the key', () => {
  const garbage: [string, unknown][] = [
    ['strings in an array', { data: ['a', 'b', 'c'], shape: [1, 3], dtype: 'float64' }],
    ['a string as data', { data: 'abc', shape: [1, 3], dtype: 'float64' }],
    ['BigInts', { data: new BigInt64Array([1n, 2n, 3n]), shape: [1, 3], dtype: 'float64' }],
    ['nested arrays', { data: [[1], [2], [3]], shape: [1, 3], dtype: 'float64' }],
    ['holes', { data: new Array(3), shape: [1, 3], dtype: 'float64' }],
    ['objects', { data: [{}, null, undefined], shape: [1, 3], dtype: 'float64' }],
    ['a wrong shape', { data: [1, 2, 3], shape: [3, 1], dtype: 'float64' }],
    ['a garbage shape', { data: [1, 2, 3], shape: ['1', 3], dtype: 'float64' }],
    ['a NaN shape', { data: [1, 2, 3], shape: [NaN, 3], dtype: 'float64' }],
    ['a length-only object', { data: { length: 3 }, shape: [1, 3], dtype: 'float64' }],
    ['null data', { data: null, shape: [1, 3], dtype: 'float64' }],
    ['a number', 7],
  ];
  it.each(garbage)('%s', (_what, bad) => {
    const m = lin();
    const versions = [m.weight.version, m.bias!.version];
    let err: unknown;
    try {
      m.loadStateDict({ weight: bad as never, bias: { data: [9], shape: [1], dtype: 'float64' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect((err as Error).message).toContain("key 'weight'");
    // nothing loaded: not even the valid bias
    expect(Array.from(m.weight.data)).toEqual([1, 2, 3]);
    expect(Array.from(m.bias!.data)).toEqual([4]);
    expect([m.weight.version, m.bias!.version]).toEqual(versions);
  });

  it('real numbers load (NaN numbers included, as floats) and bump each version', () => {
    const m = lin();
    const v0 = m.weight.version;
    m.loadStateDict({ weight: { data: [5, NaN, 7], shape: [1, 3], dtype: 'float64' }, bias: { data: Float64Array.of(8), shape: [1], dtype: 'float64' } });
    expect(Array.from(m.weight.data)).toEqual([5, NaN, 7]);
    expect(m.weight.version).toBe(v0 + 1);
    expect(m.bias!.version).toBeGreaterThan(0);
  });
});

describe('safetensors', () => {
  function withHeader(header: string): Uint8Array {
    const h = new TextEncoder().encode(header);
    const out = new Uint8Array(8 + h.length + 8);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    return out;
  }
  it('a header with the same key twice is a SafetensorsError (a MemogradError)', () => {
    const ok = withHeader('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
    expect(decodeSafetensors(ok).tensors.w!.shape).toEqual([2]);
    const dup = withHeader('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    expect(() => decodeSafetensors(dup)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(dup)).toThrow(/the key "w" twice/);
    const escaped = withHeader('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"\\u0077":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
    expect(() => decodeSafetensors(escaped)).toThrow(/the key "w" twice/);
    const inner = withHeader('{"w":{"dtype":"F32","shape":[2],"shape":[2],"data_offsets":[0,8]}}');
    expect(() => decodeSafetensors(inner)).toThrow(/the key "shape" twice inside "w"/);
    try {
      decodeSafetensors(dup);
    } catch (e) {
      expect(e).toBeInstanceOf(MemogradError);
    }
    // keys inside strings do not count
    const tricky = withHeader('{"__metadata__":{"a":"\\"w\\":1","b":"w"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
    expect(decodeSafetensors(tricky).tensors.w).toBeDefined();
    void encodeSafetensors;
  });
});

describe('in-place changes through the nn API bump versions', () => {
  it('every initializer', () => {
    const fills: [string, (t: ReturnType<typeof zeros>) => unknown][] = [
      ['zeros_', zeros_], ['ones_', ones_], ['constant_', (t) => constant_(t, 3)], ['uniform_', (t) => uniform_(t)],
      ['normal_', (t) => normal_(t)], ['xavierUniform_', (t) => xavierUniform_(t)], ['xavierNormal_', (t) => xavierNormal_(t)],
      ['kaimingUniform_', (t) => kaimingUniform_(t)], ['kaimingNormal_', (t) => kaimingNormal_(t)],
      ['initialize_ by name', (t) => initialize_(t, 'heNormal')], ['initialize_ by function', (t) => initialize_(t, (u) => { u.data.fill(2); })],
    ];
    for (const [name, fill] of fills) {
      const t = zeros([2, 3]);
      const v = t.version;
      fill(t);
      expect(t.version, name).toBe(v + 1);
    }
  });

  it('BatchNorm running statistics (training forward and reset)', () => {
    const bn = new BatchNorm1d(2);
    const v = [bn.runningMean!.version, bn.runningVar!.version, bn.numBatchesTracked!.version];
    bn.call(tensor([[1, 2], [3, 5]]));
    expect([bn.runningMean!.version, bn.runningVar!.version, bn.numBatchesTracked!.version]).toEqual(v.map((x) => x + 1));
    bn.resetRunningStats();
    expect(bn.runningMean!.version).toBe(v[0]! + 2);
  });
});

describe('typed errors instead of raw TypeErrors on garbage arguments', () => {
  const cases: [string, () => unknown][] = [
    ['new Linear(-1, 2.5)', () => new Linear(-1, 2.5)],
    ['new Linear(2, 1, null)', () => new Linear(2, 1, null as never)],
    ['ReLU.call(null)', () => new ReLU().call(null as never)],
    ['Sequential.call("x")', () => new Sequential(new ReLU()).call('x' as never)],
    ['LayerNorm(null)', () => new LayerNorm(null as never)],
    ['LayerNorm(2).call(undefined)', () => new LayerNorm(2).call(undefined as never)],
    ["BatchNorm1d(2, { eps: '1' })", () => new BatchNorm1d(2, { eps: '1' as never })],
    ['BatchNorm1d(2, null)', () => new BatchNorm1d(2, null as never)],
    ['binaryCrossEntropyWithLogits(x, y, null)', () => binaryCrossEntropyWithLogits(ones([2]), ones([2]), null as never)],
    ['smoothL1Loss(x, y, null)', () => smoothL1Loss(ones([2]), ones([2]), null as never)],
    ['linear(null, w)', () => linear(null as never, ones([1, 2]))],
    ['dropout(undefined)', () => dropout(undefined as never)],
    ['zeros_(null)', () => zeros_(null as never)],
    ["uniform_(t, 'a')", () => uniform_(zeros([2]), 'a' as never)],
    ['xavierUniform_(null)', () => xavierUniform_(null as never)],
    ['l2Penalty(null, 1)', () => l2Penalty(null as never, 1)],
    ['summary([], [2])', () => summary([] as never, [2])],
    ['summary(model, [1n])', () => summary(new Linear(2, 1), [1n] as never)],
    ['saveWeights(null)', () => saveWeights(null as never)],
    ['registerParameter(1n)', () => new Linear(2, 1).registerParameter(1n as never, null)],
    ['loadStateDict(d, null)', () => new Linear(2, 1).loadStateDict({}, null as never)],
    ['apply(null)', () => new Linear(2, 1).apply(null as never)],
  ];
  it.each(cases)('%s', (_name, fn) => {
    expectMemogradError(fn);
  });
});
