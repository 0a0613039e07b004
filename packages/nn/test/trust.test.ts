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
