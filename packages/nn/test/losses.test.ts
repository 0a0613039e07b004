import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, Tensor, assertGradcheck, rand, randn, tensor } from '@memograd/autograd';
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, binaryCrossEntropy,
  binaryCrossEntropyWithLogits, categoricalCrossEntropy, crossEntropy, huberLoss, l1Loss, maeLoss, mseLoss, nllLoss,
  smoothL1Loss, sparseCategoricalCrossEntropy, CategoricalCrossEntropy, SparseCategoricalCrossEntropy, SmoothL1Loss,
} from '../src/index.ts';
import type { Reduction } from '../src/index.ts';

const f64 = { dtype: 'float64' as const };
const reductions: Reduction[] = ['mean', 'sum', 'none'];

function rnd(shape: number[], seed: number, requiresGrad = true): Tensor {
  const t = randn(shape, { ...f64, generator: new Generator(seed) });
  t.requiresGrad = requiresGrad;
  return t;
}

function reduceRef(vals: number[], r: Reduction): number | number[] {
  if (r === 'none') return vals;
  const s = vals.reduce((a, b) => a + b, 0);
  return r === 'sum' ? s : s / vals.length;
}

function expectLoss(t: Tensor, want: number | number[], digits = 10): void {
  if (Array.isArray(want)) {
    expect(t.data.length).toBe(want.length);
    want.forEach((w, i) => expect(t.data[i]).toBeCloseTo(w, digits));
  } else {
    expect(t.shape).toEqual([]);
    expect(t.item()).toBeCloseTo(want, digits);
  }
}

const X = [0.5, -1.2, 2.0, 0.1];
const Y = [1.0, -1.0, -0.5, 0.1];

describe('regression losses against hand computation', () => {
  for (const r of reductions) {
    it(`mse / l1 / huber / smoothL1, reduction=${r}`, () => {
      const x = tensor(X, f64);
      const y = tensor(Y, f64);
      const d = X.map((v, i) => v - Y[i]!);
      expectLoss(mseLoss(x, y, { reduction: r }), reduceRef(d.map((v) => v * v), r));
      expectLoss(l1Loss(x, y, { reduction: r }), reduceRef(d.map((v) => Math.abs(v)), r));
      expectLoss(maeLoss(x, Y, { reduction: r }), reduceRef(d.map((v) => Math.abs(v)), r));
      const hub = (v: number, delta: number) => (Math.abs(v) <= delta ? 0.5 * v * v : delta * (Math.abs(v) - 0.5 * delta));
      expectLoss(huberLoss(x, y, { reduction: r }), reduceRef(d.map((v) => hub(v, 1)), r));
      expectLoss(huberLoss(x, y, { reduction: r, delta: 0.3 }), reduceRef(d.map((v) => hub(v, 0.3)), r));
      const sl1 = (v: number, b: number) => (Math.abs(v) < b ? (0.5 * v * v) / b : Math.abs(v) - 0.5 * b);
      expectLoss(smoothL1Loss(x, y, { reduction: r, beta: 0.5 }), reduceRef(d.map((v) => sl1(v, 0.5)), r));
      expectLoss(new MSELoss({ reduction: r }).call(x, y), reduceRef(d.map((v) => v * v), r));
      expectLoss(new L1Loss({ reduction: r }).call(x, y), reduceRef(d.map((v) => Math.abs(v)), r));
      expectLoss(new HuberLoss({ reduction: r, delta: 2 }).call(x, y), reduceRef(d.map((v) => hub(v, 2)), r));
    });
  }

  it('rejects mismatched shapes and bad reductions', () => {
    expect(() => mseLoss(tensor([[1], [2]]), tensor([1, 2]))).toThrow(/mseLoss: input has shape \[2, 1\] but target has shape \[2\]/);
    expect(() => mseLoss(tensor([1]), tensor([1]), { reduction: 'avg' as Reduction })).toThrow(/reduction must be/);
    expect(() => huberLoss(tensor([1]), tensor([1]), { delta: 0 })).toThrow(/delta must be/);
  });

  it('gradcheck (random shapes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (n, m, seed) => {
        const x = rnd([n, m], seed);
        const y = rnd([n, m], seed + 1, false);
        for (const r of reductions) {
          assertGradcheck((a) => mseLoss(a, y, { reduction: r }), [x]);
          assertGradcheck((a) => l1Loss(a, y, { reduction: r }), [x]);
          assertGradcheck((a) => huberLoss(a, y, { reduction: r, delta: 0.7 }), [x]);
          assertGradcheck((a) => smoothL1Loss(a, y, { reduction: r, beta: 0.7 }), [x]);
        }
      }),
      { numRuns: 5 },
    );
  });
});

const bceRef = (p: number, t: number) => -(t * Math.max(Math.log(p), -100) + (1 - t) * Math.max(Math.log(1 - p), -100));
const bceLogitRef = (x: number, t: number, pw = 1) => {
  const s = 1 / (1 + Math.exp(-x));
  return -(pw * t * Math.log(s) + (1 - t) * Math.log(1 - s));
};

describe('binary cross-entropy', () => {
  const P = [0.9, 0.2, 0.5, 0.01];
  const T = [1, 0, 1, 0.3];
  for (const r of reductions) {
    it(`BCE and BCE with logits, reduction=${r}`, () => {
      const p = tensor(P, f64);
      expectLoss(binaryCrossEntropy(p, T, { reduction: r }), reduceRef(P.map((v, i) => bceRef(v, T[i]!)), r));
      const W = [1, 2, 0.5, 3];
      expectLoss(new BCELoss({ reduction: r, weight: W }).call(p, T), reduceRef(P.map((v, i) => W[i]! * bceRef(v, T[i]!)), r));
      const L = [2.0, -1.0, 0.0, 3.5];
      const l = tensor(L, f64);
      expectLoss(binaryCrossEntropyWithLogits(l, T, { reduction: r }), reduceRef(L.map((v, i) => bceLogitRef(v, T[i]!)), r));
      expectLoss(new BCEWithLogitsLoss({ reduction: r, posWeight: 3 }).call(l, T), reduceRef(L.map((v, i) => bceLogitRef(v, T[i]!, 3)), r));
    });
  }

  it('clamps log at -100 like PyTorch (p = 0 or 1 is finite, with finite gradients)', () => {
    const p = tensor([0, 1, 0, 1], { ...f64, requiresGrad: true });
    const loss = binaryCrossEntropy(p, [1, 0, 0, 1], { reduction: 'none' });
    expect(Array.from(loss.data, (v) => v + 0)).toEqual([100, 100, 0, 0]);
    loss.sum().backward();
    for (const g of p.grad!.data) expect(Number.isFinite(g)).toBe(true);
    expect(() => binaryCrossEntropy(tensor([1.5]), [1])).toThrow(/probabilities in \[0, 1\]/);
  });

  it('BCE with logits is stable for logits ±1e4', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([1e4, -1e4, 1e4, -1e4], { dtype, requiresGrad: true });
      const loss = binaryCrossEntropyWithLogits(x, [1, 0, 0, 1], { reduction: 'sum' });
      expect(loss.item()).toBeCloseTo(2e4, 0);
      loss.backward();
      expect(Array.from(x.grad!.data)).toEqual([0, 0, 1, -1]);
    }
  });

  it('gradcheck on inputs, targets and weights', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const g = new Generator(seed);
        const p = rand([n], { ...f64, generator: g });
        p.data.forEach((v, i) => { p.data[i] = 0.05 + 0.9 * v; });
        p.requiresGrad = true;
        const t = rand([n], { ...f64, generator: g, requiresGrad: true });
        const w = rand([n], { ...f64, generator: g, requiresGrad: true });
        const x = rnd([n], seed + 3);
        const pw = rand([n], { ...f64, generator: g, requiresGrad: true });
        for (const r of reductions) {
          assertGradcheck((a, b, c) => binaryCrossEntropy(a, b, { weight: c, reduction: r }), [p, t, w]);
          assertGradcheck((a, b) => binaryCrossEntropyWithLogits(a, b, { reduction: r }), [x, t]);
          assertGradcheck((a, b, c) => binaryCrossEntropyWithLogits(a, b, { posWeight: c, reduction: r }), [x, t, pw]);
        }
      }),
      { numRuns: 5 },
    );
  });
});

function logSoftmaxRows(rows: number[][]): number[][] {
  return rows.map((row) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    return row.map((v) => v - lse);
  });
}

describe('cross-entropy family', () => {
  const Z = [[2, 0.5, -1], [0.1, 0.2, 0.3], [-3, 4, 1]];
  const Yi = [0, 2, 1];
  const lsm = logSoftmaxRows(Z);

  for (const r of reductions) {
    it(`crossEntropy with indices and with probabilities, reduction=${r}`, () => {
      const z = tensor(Z, f64);
      const nll = Yi.map((c, i) => -lsm[i]![c]!);
      expectLoss(crossEntropy(z, Yi, { reduction: r }), reduceRef(nll, r));
      expectLoss(crossEntropy(z, new Int32Array(Yi), { reduction: r }), reduceRef(nll, r));
      expectLoss(crossEntropy(z, tensor(Yi), { reduction: r }), reduceRef(nll, r));
      expectLoss(new CrossEntropyLoss({ reduction: r }).call(z, Yi), reduceRef(nll, r));
      const oneHot: number[][] = Yi.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
      expectLoss(crossEntropy(z, tensor(oneHot, f64), { reduction: r }), reduceRef(nll, r));
      const soft = [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0, 0.5, 0.5]];
      expectLoss(crossEntropy(z, soft, { reduction: r }), reduceRef(soft.map((t, i) => -t.reduce((a, v, k) => a + v * lsm[i]![k]!, 0)), r));
      // label smoothing: target (1 - eps) onehot + eps / C
      const eps = 0.1;
      const smoothed = oneHot.map((t, i) => -t.reduce((a, v, k) => a + ((1 - eps) * v + eps / 3) * lsm[i]![k]!, 0));
      expectLoss(crossEntropy(z, Yi, { reduction: r, labelSmoothing: eps }), reduceRef(smoothed, r));
      expectLoss(crossEntropy(z, oneHot, { reduction: r, labelSmoothing: eps }), reduceRef(smoothed, r));
      // nll on log-probabilities
      expectLoss(nllLoss(tensor(lsm, f64), Yi, { reduction: r }), reduceRef(nll, r));
      expectLoss(new NLLLoss({ reduction: r }).call(tensor(lsm, f64), Yi), reduceRef(nll, r));
      // Keras-style: from probabilities
      const probs = lsm.map((row) => row.map(Math.exp));
      expectLoss(sparseCategoricalCrossEntropy(tensor(probs, f64), Yi, { reduction: r }), reduceRef(nll, r), 6);
      expectLoss(categoricalCrossEntropy(tensor(probs, f64), oneHot, { reduction: r }), reduceRef(nll, r), 6);
      expectLoss(categoricalCrossEntropy(z, oneHot, { reduction: r, fromLogits: true }), reduceRef(nll, r));
      expectLoss(sparseCategoricalCrossEntropy(z, Yi, { reduction: r, fromLogits: true }), reduceRef(nll, r));
    });
  }

  it('class weights give the PyTorch weighted mean', () => {
    const w = [1, 2, 0.5];
    const z = tensor(Z, f64);
    const num = Yi.reduce((a, c, i) => a - w[c]! * lsm[i]![c]!, 0);
    const den = Yi.reduce((a, c) => a + w[c]!, 0);
    expect(crossEntropy(z, Yi, { weight: w }).item()).toBeCloseTo(num / den, 10);
    expect(nllLoss(tensor(lsm, f64), Yi, { weight: w }).item()).toBeCloseTo(num / den, 10);
    expect(crossEntropy(z, Yi, { weight: w, reduction: 'sum' }).item()).toBeCloseTo(num, 10);
  });

  it('clips probabilities to [1e-7, 1 - 1e-7] (Keras)', () => {
    const loss = categoricalCrossEntropy(tensor([[0, 1]], f64), [[1, 0]]);
    expect(loss.item()).toBeCloseTo(-Math.log(1e-7), 6);
    expect(sparseCategoricalCrossEntropy(tensor([[0, 1]], f64), [0]).item()).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('handles an unbatched [C] input with a scalar target', () => {
    const z = tensor(Z[0]!, f64);
    expect(crossEntropy(z, 0).item()).toBeCloseTo(-lsm[0]![0]!, 12);
    expect(crossEntropy(z, 0, { reduction: 'none' }).shape).toEqual([]);
  });

  it('is stable for logits of ±1e4 (finite loss and gradient)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const z = tensor([[1e4, -1e4, 0], [-1e4, 1e4, 1e4]], { dtype, requiresGrad: true });
      const loss = crossEntropy(z, [1, 0]);
      expect(Number.isFinite(loss.item())).toBe(true);
      expect(loss.item()).toBeCloseTo((2e4 + (2e4 + Math.log(2))) / 2, 0);
      loss.backward();
      for (const g of z.grad!.data) expect(Number.isFinite(g)).toBe(true);
      const z2 = tensor([[1e4, -1e4]], { dtype, requiresGrad: true });
      const l2 = crossEntropy(z2, tensor([[0.5, 0.5]], { dtype }));
      expect(Number.isFinite(l2.item())).toBe(true);
      l2.backward();
      for (const g of z2.grad!.data) expect(Number.isFinite(g)).toBe(true);
    }
  });

  it('validates class indices', () => {
    const z = tensor(Z, f64);
    expect(() => crossEntropy(z, [0, 3, 1])).toThrow(/target\[1\] = 3 is not a class index in \[0, 3\)/);
    expect(() => crossEntropy(z, [0, 1])).toThrow(/expected 3 class indices/);
    expect(() => crossEntropy(z, [0.5, 1, 1])).toThrow(/not a class index/);
    expect(() => crossEntropy(z, [[1, 0, 0]])).toThrow(/target probabilities has shape \[1, 3\]/);
  });

  it('gradcheck on logits (and soft targets), all reductions, smoothing and weights', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1000 }), (n, c, seed) => {
        const g = new Generator(seed);
        const z = rnd([n, c], seed);
        const idx = Array.from({ length: n }, () => g.randint(0, c));
        const t = rand([n, c], { ...f64, generator: g });
        const tn = t.div(t.sum({ axis: 1, keepDims: true })).detach();
        tn.requiresGrad = true;
        const w = rand([c], { ...f64, generator: g }).add(0.5).detach();
        for (const r of reductions) {
          assertGradcheck((a) => crossEntropy(a, idx, { reduction: r }), [z]);
          assertGradcheck((a) => crossEntropy(a, idx, { reduction: r, labelSmoothing: 0.2, weight: w }), [z]);
          assertGradcheck((a, b) => crossEntropy(a, b, { reduction: r, labelSmoothing: 0.1 }), [z, tn]);
          assertGradcheck((a) => nllLoss(a.logSoftmax(), idx, { reduction: r, weight: w }), [z]);
          assertGradcheck((a) => sparseCategoricalCrossEntropy(a.softmax(), idx, { reduction: r }), [z]);
          assertGradcheck((a, b) => categoricalCrossEntropy(a.softmax(), b, { reduction: r }), [z, tn]);
        }
      }),
      { numRuns: 5 },
    );
  });
});

describe('loss classes', () => {
  it('carry their options and print them', () => {
    const z = tensor([[1, 2, 3]], f64);
    expect(new CategoricalCrossEntropy({ fromLogits: true }).call(z, [[0, 0, 1]]).item()).toBeCloseTo(crossEntropy(z, [2]).item(), 12);
    expect(new SparseCategoricalCrossEntropy({ fromLogits: true, reduction: 'sum' }).call(z, [2]).item()).toBeCloseTo(crossEntropy(z, [2]).item(), 12);
    expect(new SmoothL1Loss({ beta: 0.5 }).call(tensor([1], f64), [0]).item()).toBeCloseTo(0.75, 12);
    expect(String(new MSELoss({ reduction: 'sum' }))).toBe('MSELoss(reduction=sum)');
    expect(String(new CrossEntropyLoss())).toBe('CrossEntropyLoss(reduction=mean)');
  });
});

