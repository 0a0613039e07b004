import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, Tensor, assertGradcheck, randn, tensor } from '@memograd/autograd';
import {
  CrossEntropyLoss, NLLLoss, SparseCategoricalCrossEntropy, crossEntropy, nllLoss, sparseCategoricalCrossEntropy,
} from '../src/index.ts';
import type { Reduction } from '../src/index.ts';

// Losses and input gradients recorded from PyTorch in float64 (see fixtures/torch_ignore_index.py): cross_entropy
// and nll_loss with ignore_index, class weights, label smoothing, every target ignored, and unbatched inputs.
interface Case {
  name: string;
  fn: 'cross_entropy' | 'nll_loss';
  input: { shape: number[]; data: number[] };
  target: number | number[];
  options: { reduction: Reduction; weight?: number[]; ignore_index?: number; label_smoothing?: number };
  cotangent: number | number[];
  output: (number | 'NaN')[];
  grad: (number | 'NaN')[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-ignore-index.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const f64 = { dtype: 'float64' as const };
const reductions: Reduction[] = ['mean', 'sum', 'none'];

function expectAllClose(got: ArrayLike<number>, want: (number | 'NaN')[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w === 'NaN') {
      expect(g, `${what}[${i}]`).toBeNaN();
    } else {
      expect(Math.abs(g - w), `${what}[${i}]: got ${g}, PyTorch ${w}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    }
  }
}

function run(c: Case): { out: Tensor; grad: Tensor } {
  const x = new Tensor(Float64Array.from(c.input.data), c.input.shape, 'float64');
  x.requiresGrad = true;
  const o = c.options;
  const options = { reduction: o.reduction, weight: o.weight, ignoreIndex: o.ignore_index, labelSmoothing: o.label_smoothing };
  const out = c.fn === 'cross_entropy' ? crossEntropy(x, c.target, options) : nllLoss(x, c.target, options);
  // PyTorch backpropagated 1 from a scalar loss, a random cotangent from 'none'
  (typeof c.cotangent === 'number' ? out : out.mul(tensor(c.cotangent, f64))).sum().backward();
  return { out, grad: x.grad! };
}

describe(`ignoreIndex agrees with PyTorch ${fixture.torch} (float64, within 1e-12)`, () => {
  it('the fixture covers the edge cases', () => {
    const names = fixture.cases.map((c) => c.name).join('\n');
    for (const s of ['all ignored', 'smoothing', 'weight', 'ignore_index=7', 'unbatched ignored']) expect(names).toContain(s);
    expect(fixture.cases.some((c) => c.output.includes('NaN'))).toBe(true);
  });

  it.each(fixture.cases)('$name', (c) => {
    const { out, grad } = run(c);
    expectAllClose(out.data, c.output, 'loss');
    expectAllClose(grad.data, c.grad, 'grad');
  });
});

describe('ignoreIndex semantics', () => {
  const Z = [[2, 0.5, -1], [0.1, 0.2, 0.3], [-3, 4, 1], [1, 1, 0]];
  const z = () => tensor(Z, { ...f64, requiresGrad: true });

  it('defaults to -100 in crossEntropy and nllLoss, like PyTorch; null ignores nothing', () => {
    expect(crossEntropy(tensor(Z.slice(0, 2), f64), [0, -100]).item()).toBeCloseTo(crossEntropy(tensor(Z.slice(0, 1), f64), [0]).item(), 14);
    expect(nllLoss(z(), [-100, -100, 1, -100], { reduction: 'sum' }).item()).toBe(-4);
    expect(() => crossEntropy(z(), [0, -100, 1, 2], { ignoreIndex: null })).toThrow(/crossEntropy: target\[1\] = -100 is not a class index in \[0, 3\)$/);
  });

  it('a target outside [0, C) that is not the ignore index is still an error, naming both', () => {
    expect(() => crossEntropy(z(), [0, -1, 1, 2])).toThrow(/target\[1\] = -1 is not a class index in \[0, 3\) nor the ignore index -100/);
    expect(() => nllLoss(z(), [0, 1, 3, 7], { ignoreIndex: 7 })).toThrow(/nllLoss: target\[2\] = 3 is not a class index in \[0, 3\) nor the ignore index 7/);
    expect(() => crossEntropy(z(), [0, 1, 1, 2], { ignoreIndex: 0.5 })).toThrow(/crossEntropy: ignoreIndex must be an integer or null, got 0.5/);
    expect(() => new CrossEntropyLoss({ ignoreIndex: Number.NaN }).call(z(), [0, 1, 1, 2])).toThrow(/ignoreIndex must be an integer/);
  });

  it("'none' gives 0 at ignored rows; every target ignored gives NaN for 'mean', 0 for 'sum', and zero gradients", () => {
    const none = crossEntropy(z(), [1, -100, 2, -100], { reduction: 'none', labelSmoothing: 0.2 });
    expect(none.data[1]).toBe(0);
    expect(none.data[3]).toBe(0);
    for (const r of reductions) {
      for (const opts of [{}, { weight: [1, 2, 3] }, { labelSmoothing: 0.3 }, { labelSmoothing: 0.3, weight: [1, 2, 3] }]) {
        const x = z();
        const loss = crossEntropy(x, [-100, -100, -100, -100], { reduction: r, ...opts });
        if (r === 'mean') expect(loss.item()).toBeNaN();
        else expect(Array.from(loss.data)).toEqual(r === 'sum' ? [0] : [0, 0, 0, 0]);
        loss.sum().backward();
        expect(Array.from(x.grad!.data, (v) => v + 0)).toEqual(new Array(12).fill(0));
      }
    }
  });

  it('the loss classes pass ignoreIndex through', () => {
    const logp = tensor(Z, f64).logSoftmax(-1);
    expect(new NLLLoss({ ignoreIndex: 1 }).call(logp, [1, 1, 0, 2]).item()).toBeCloseTo(nllLoss(logp, [-100, -100, 0, 2]).item(), 14);
    expect(new CrossEntropyLoss({ ignoreIndex: 5, reduction: 'sum' }).call(tensor(Z, f64), [5, 5, 5, 0]).item())
      .toBeCloseTo(crossEntropy(tensor(Z, f64), [0, 0, 0, 0], { reduction: 'none' }).data[3]!, 14);
  });
});

describe('sparseCategoricalCrossEntropy ignoreIndex (Keras ignore_class)', () => {
  const P = [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.05, 0.9, 0.05]];

  it('ignores nothing by default (Keras), so -100 is an error there', () => {
    expect(() => sparseCategoricalCrossEntropy(tensor(P, f64), [0, -100, 1])).toThrow(/target\[1\] = -100 is not a class index in \[0, 3\)$/);
    expect(() => sparseCategoricalCrossEntropy(tensor(P, f64), [0, -100, 1], { fromLogits: true })).toThrow(/crossEntropy: target\[1\] = -100/);
  });

  it('skips the ignored class: 0 in the rows, the mean over the other rows', () => {
    for (const fromLogits of [false, true]) {
      const x = fromLogits ? tensor(P, f64).log() : tensor(P, f64);
      const none = sparseCategoricalCrossEntropy(x, [0, 2, 2], { ignoreIndex: 2, reduction: 'none', fromLogits });
      expect(none.data[1]).toBe(0);
      expect(none.data[2]).toBe(0);
      expect(none.data[0]).toBeCloseTo(-Math.log(0.7), 6);
      const mean = new SparseCategoricalCrossEntropy({ ignoreIndex: 2, fromLogits }).call(x, [0, 2, 1]);
      expect(mean.item()).toBeCloseTo((-Math.log(0.7) - Math.log(0.9)) / 2, 6);
      expect(sparseCategoricalCrossEntropy(x, [2, 2, 2], { ignoreIndex: 2, fromLogits }).item()).toBeNaN();
    }
  });
});

describe('gradcheck with ignored targets (float64)', () => {
  it('nllLoss, crossEntropy (weights, smoothing) and sparseCategoricalCrossEntropy, all reductions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1000 }), (n, c, seed) => {
        const g = new Generator(seed);
        const z = randn([n, c], { ...f64, generator: g });
        z.requiresGrad = true;
        // each target is ignored with probability 1/3 (sometimes all of them)
        const idx = Array.from({ length: n }, () => (g.randint(0, 3) === 0 ? -100 : g.randint(0, c)));
        const w = randn([c], { ...f64, generator: g }).abs().add(0.5).detach();
        const sparse = idx.map((v) => (v === -100 ? c - 1 : v));
        for (const r of reductions) {
          // with every target ignored the mean is NaN (checked above), and gradcheck needs finite values
          if (r === 'mean' && idx.every((v) => v === -100)) continue;
          assertGradcheck((a) => crossEntropy(a, idx, { reduction: r }), [z]);
          assertGradcheck((a) => crossEntropy(a, idx, { reduction: r, weight: w, labelSmoothing: 0.2 }), [z]);
          assertGradcheck((a) => nllLoss(a.logSoftmax(), idx, { reduction: r, weight: w }), [z]);
          if (!(r === 'mean' && sparse.every((v) => v === c - 1))) {
            assertGradcheck((a) => sparseCategoricalCrossEntropy(a.softmax(), sparse, { reduction: r, ignoreIndex: c - 1 }), [z]);
          }
        }
      }),
      { numRuns: 12 },
    );
  });
});
