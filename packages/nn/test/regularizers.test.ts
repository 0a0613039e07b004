import { describe, expect, it } from 'vitest';
import { Generator, assertGradcheck, randn, tensor } from '@memograd/autograd';
import { Dense, Linear, Module, Sequential, l1Penalty, l2Penalty, regularizers } from '../src/index.ts';

const f64 = { dtype: 'float64' as const };

describe('L1 / L2 penalties', () => {
  it('match hand computation', () => {
    const a = tensor([1, -2, 3], f64);
    const b = tensor([[-0.5, 0.5]], f64);
    expect(l1Penalty([a, b], 0.1).item()).toBeCloseTo(0.1 * (1 + 2 + 3 + 0.5 + 0.5), 12);
    expect(l2Penalty([a, b], 0.1).item()).toBeCloseTo(0.1 * (1 + 4 + 9 + 0.25 + 0.25), 12);
    expect(l2Penalty([], 0.1).item()).toBe(0);
    expect(() => l1Penalty([a], -1)).toThrow(/lambda must be/);
  });

  it('accept a module and pass gradcheck', () => {
    const m = new Linear(3, 2, { ...f64, generator: new Generator(1) });
    const ps = m.parameters();
    assertGradcheck(() => l2Penalty(m, 0.3), ps);
    assertGradcheck(() => l1Penalty(m, 0.3), ps);
  });

  it('l2 with lambda = wd/2 gives the gradient of PyTorch weight_decay (wd · w)', () => {
    const w = randn([4], { ...f64, generator: new Generator(2), requiresGrad: true });
    l2Penalty([w], 0.01 / 2).backward();
    for (let i = 0; i < 4; i++) expect(w.grad!.data[i]).toBeCloseTo(0.01 * w.data[i]!, 14);
  });
});

describe('Keras-style regularizers', () => {
  it('kernelRegularizer terms are summed by regularizationLoss()', () => {
    const d1 = new Dense(3, 4, { ...f64, kernelRegularizer: regularizers.l2(0.01), generator: new Generator(1) });
    const d2 = new Dense(4, 2, { ...f64, kernelRegularizer: regularizers.l1(0.02), biasRegularizer: regularizers.l2(0.5), generator: new Generator(2) });
    const model = new Sequential(d1, d2);
    const want = 0.01 * Array.from(d1.weight.data).reduce((s, v) => s + v * v, 0)
      + 0.02 * Array.from(d2.weight.data).reduce((s, v) => s + Math.abs(v), 0)
      + 0.5 * Array.from(d2.bias!.data).reduce((s, v) => s + v * v, 0);
    expect(model.regularizationLoss().item()).toBeCloseTo(want, 12);
    const both = regularizers.l1l2({ l1: 0.1, l2: 0.2 });
    const t = tensor([1, -2], f64);
    expect(both.call(t).item()).toBeCloseTo(0.1 * 3 + 0.2 * 5, 12);
    expect(String(both)).toBe('L1L2(l1=0.1, l2=0.2)');
    assertGradcheck(() => model.regularizationLoss(), model.parameters());
  });

  it('is zero without regularizers', () => {
    class M extends Module {
      fc = new Linear(2, 2);
      forward(x: import('@memograd/autograd').Tensor) { return this.fc.call(x); }
    }
    expect(new M().regularizationLoss().item()).toBe(0);
  });
});
