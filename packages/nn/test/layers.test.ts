import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, ShapeError, Tensor, assertGradcheck, noGrad, randn, tensor, zeros } from '@memograd/autograd';
import {
  BatchNorm1d, Dense, Dropout, ELU, Flatten, GELU, LayerNorm, LeakyReLU, Linear, LogSoftmax, ReLU, Sequential,
  SiLU, Sigmoid, Softmax, Softplus, Tanh, crossEntropy, dropout, linear,
} from '../src/index.ts';

const f64 = { dtype: 'float64' as const };

function rnd(shape: number[], seed: number, requiresGrad = true): Tensor {
  const t = randn(shape, { ...f64, generator: new Generator(seed) });
  t.requiresGrad = requiresGrad;
  return t;
}

describe('Linear', () => {
  it('stores weight [out, in] and computes x Wᵀ + b', () => {
    const lin = new Linear(3, 2, { ...f64, generator: new Generator(1) });
    expect(lin.weight.shape).toEqual([2, 3]);
    expect(lin.bias!.shape).toEqual([2]);
    const x = rnd([4, 3], 2, false);
    const y = lin.call(x);
    expect(y.shape).toEqual([4, 2]);
    for (let i = 0; i < 4; i++) {
      for (let o = 0; o < 2; o++) {
        let s = lin.bias!.data[o]!;
        for (let k = 0; k < 3; k++) s += x.data[i * 3 + k]! * lin.weight.data[o * 3 + k]!;
        expect(y.data[i * 2 + o]).toBeCloseTo(s, 12);
      }
    }
  });

  it('uses PyTorch default init bounds ±1/√in', () => {
    const lin = new Linear(100, 50, { generator: new Generator(3) });
    const bound = 1 / Math.sqrt(100);
    for (const v of lin.weight.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    for (const v of lin.bias!.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    // uniform on ±b has std b/√3
    const w = Array.from(lin.weight.data);
    const m = w.reduce((a, b) => a + b, 0) / w.length;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / w.length);
    expect(sd).toBeGreaterThan(0.9 * bound / Math.sqrt(3));
    expect(sd).toBeLessThan(1.1 * bound / Math.sqrt(3));
  });

  it('is seedable and has no bias when asked', () => {
    const a = new Linear(4, 3, { generator: new Generator(7) });
    const b = new Linear(4, 3, { generator: new Generator(7) });
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    const c = new Linear(4, 3, { bias: false });
    expect(c.bias).toBeNull();
    expect(c.parameters()).toHaveLength(1);
  });

  it('names the layer config in shape errors', () => {
    const lin = new Linear(4, 8);
    expect(() => lin.call(zeros([2, 5]))).toThrow('Linear(4 → 8): expected input with last dimension 4, got [2, 5]');
    expect(() => lin.call(zeros([2, 5]))).toThrow(ShapeError);
  });

  it('names the layer config in dtype errors', () => {
    const lin = new Linear(2, 3);
    expect(() => lin.call(zeros([1, 2], f64))).toThrow(/Linear\(2 → 3\): input is float64 but the layer's weights are float32/);
  });

  it('functional linear matches the module', () => {
    const lin = new Linear(3, 2, { ...f64, generator: new Generator(5) });
    const x = rnd([4, 3], 6);
    expect(Array.from(linear(x, lin.weight, lin.bias).data)).toEqual(Array.from(lin.call(x).data));
    expect(Array.from(linear(x, lin.weight).data)).toEqual(Array.from(x.matmul(lin.weight.T).data));
    expect(() => linear(x, zeros([2, 4], f64))).toThrow(/linear: expected input with last dimension 4, got \[4, 3\]/);
    assertGradcheck((a, w, b) => linear(a, w, b), [x, rnd([2, 3], 7), rnd([2], 8)]);
  });

  it('handles batched [B, L, in] inputs', () => {
    const lin = new Linear(3, 2, f64);
    expect(lin.call(rnd([2, 5, 3], 1, false)).shape).toEqual([2, 5, 2]);
  });

  it('passes gradcheck on input, weight and bias (random shapes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (n, i, o, seed) => {
        const lin = new Linear(i, o, { ...f64, generator: new Generator(seed) });
        const x = rnd([n, i], seed + 1);
        assertGradcheck(() => lin.call(x), [x, lin.weight, lin.bias!]);
      }),
      { numRuns: 8 },
    );
  });

  it('accepts Keras-style initializers', () => {
    const d = new Dense(200, 100, { kernelInitializer: 'he_uniform', biasInitializer: 'zeros', generator: new Generator(2) });
    const bound = Math.sqrt(6 / 200);
    expect(Math.max(...Array.from(d.weight.data, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(d.weight.data, Math.abs))).toBeGreaterThan(0.95 * bound);
    expect(Array.from(d.bias!.data).every((v) => v === 0)).toBe(true);
    const e = new Dense(3, 2, { kernelInitializer: (t) => t.data.fill(0.5), biasInitializer: 'ones' });
    expect(Array.from(e.weight.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(e.bias!.data)).toEqual([1, 1]);
    expect(() => new Dense(3, 2, { kernelInitializer: 'nope' as 'zeros' })).toThrow(/unknown initializer 'nope'/);
  });

  it('Dense is Linear with a Keras activation', () => {
    const d = new Dense(3, 2, { ...f64, activation: 'relu', generator: new Generator(0) });
    expect(d).toBeInstanceOf(Linear);
    const x = rnd([5, 3], 4, false);
    const y = d.call(x);
    for (const v of y.data) expect(v).toBeGreaterThanOrEqual(0);
    const x2 = rnd([3, 3], 9);
    const d2 = new Dense(3, 2, { ...f64, activation: 'tanh', generator: new Generator(1) });
    assertGradcheck(() => d2.call(x2), [x2, d2.weight, d2.bias!]);
  });
});

describe('activation modules', () => {
  const cases: [string, () => { call(x: Tensor): Tensor }, (v: number) => number][] = [
    ['ReLU', () => new ReLU(), (v) => Math.max(0, v)],
    ['LeakyReLU', () => new LeakyReLU(0.1), (v) => (v >= 0 ? v : 0.1 * v)],
    ['ELU', () => new ELU(1.5), (v) => (v > 0 ? v : 1.5 * Math.expm1(v))],
    ['SiLU', () => new SiLU(), (v) => v / (1 + Math.exp(-v))],
    ['Sigmoid', () => new Sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
    ['Tanh', () => new Tanh(), (v) => Math.tanh(v)],
    ['Softplus', () => new Softplus(), (v) => Math.log1p(Math.exp(v))],
    ['GELU', () => new GELU(), null as unknown as (v: number) => number],
  ];
  for (const [name, make, ref] of cases) {
    it(`${name} matches its formula and passes gradcheck`, () => {
      // keep away from the kink at 0
      const x = rnd([3, 4], name.length);
      for (let i = 0; i < x.data.length; i++) if (Math.abs(x.data[i]!) < 0.05) x.data[i] = 0.3;
      const m = make();
      const y = m.call(x);
      if (ref) for (let i = 0; i < x.data.length; i++) expect(y.data[i]).toBeCloseTo(ref(x.data[i]!), 10);
      assertGradcheck((t) => m.call(t), [x]);
    });
  }

  it('Softmax and LogSoftmax along an axis', () => {
    const x = rnd([2, 3], 5);
    const s = new Softmax(0).call(x);
    for (let j = 0; j < 3; j++) expect(s.data[j]! + s.data[3 + j]!).toBeCloseTo(1, 12);
    const ls = new LogSoftmax(-1).call(x);
    for (let i = 0; i < 2; i++) {
      const row = [0, 1, 2].map((j) => x.data[i * 3 + j]!);
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      for (let j = 0; j < 3; j++) expect(ls.data[i * 3 + j]).toBeCloseTo(row[j]! - lse, 12);
    }
    assertGradcheck((t) => new Softmax(1).call(t), [x]);
    assertGradcheck((t) => new LogSoftmax(0).call(t), [x]);
  });
});

describe('Dropout', () => {
  it('zeroes about p of a large tensor and scales the rest by 1/(1-p)', () => {
    for (const p of [0.1, 0.5, 0.8]) {
      const x = tensor(new Float64Array(20000).fill(1));
      const y = new Dropout(p, { generator: new Generator(42) }).call(x);
      let zeros = 0;
      for (const v of y.data) {
        if (v === 0) zeros++;
        else expect(v).toBeCloseTo(1 / (1 - p), 12);
      }
      expect(Math.abs(zeros / 20000 - p)).toBeLessThan(0.015);
    }
  });

  it('is the identity in eval mode and for p = 0', () => {
    const x = rnd([10, 10], 1, false);
    const d = new Dropout(0.5).eval();
    expect(d.call(x)).toBe(x);
    expect(new Dropout(0).call(x)).toBe(x);
    expect(dropout(x, 0.5, { training: false })).toBe(x);
  });

  it('gives the same mask for the same seed', () => {
    const x = rnd([50], 2, false);
    const a = new Dropout(0.3, { generator: new Generator(5) }).call(x);
    const b = new Dropout(0.3, { generator: new Generator(5) }).call(x);
    const c = new Dropout(0.3, { generator: new Generator(6) }).call(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('takes a Keras-style seed', () => {
    const x = rnd([50], 2, false);
    const a = new Dropout(0.3, { seed: 5 }).call(x);
    expect(Array.from(new Dropout(0.3, { seed: 5 }).call(x).data)).toEqual(Array.from(a.data));
    expect(Array.from(dropout(x, 0.3, { seed: 5 }).data)).toEqual(Array.from(a.data));
  });

  it('validates p', () => {
    expect(() => new Dropout(1)).toThrow(/p must be in \[0, 1\)/);
    expect(() => new Dropout(-0.1)).toThrow(/p must be in/);
    expect(() => new Dropout(Number.NaN)).toThrow(/p must be in/);
  });

  it('passes gradcheck with a fixed mask', () => {
    const x = rnd([4, 5], 3);
    assertGradcheck((t) => dropout(t, 0.4, { generator: new Generator(11) }), [x]);
  });
});

function colStats(x: Tensor, n: number, c: number): { mean: number[]; biased: number[]; unbiased: number[] } {
  const mean: number[] = [];
  const biased: number[] = [];
  const unbiased: number[] = [];
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x.data[i * c + j]!;
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x.data[i * c + j]! - m) ** 2;
    mean.push(m);
    biased.push(ss / n);
    unbiased.push(ss / (n - 1));
  }
  return { mean, biased, unbiased };
}

describe('BatchNorm1d', () => {
  it('normalizes with batch stats (biased var) in training', () => {
    const bn = new BatchNorm1d(3, f64);
    bn.weight!.data.set([1, 2, 0.5]);
    bn.bias!.data.set([0, 1, -1]);
    const x = rnd([6, 3], 1, false);
    const y = bn.call(x);
    const { mean, biased } = colStats(x, 6, 3);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 3; j++) {
        const want = ((x.data[i * 3 + j]! - mean[j]!) / Math.sqrt(biased[j]! + 1e-5)) * bn.weight!.data[j]! + bn.bias!.data[j]!;
        expect(y.data[i * 3 + j]).toBeCloseTo(want, 10);
      }
    }
  });

  it('updates running stats with momentum and the unbiased variance', () => {
    const bn = new BatchNorm1d(2, { ...f64, momentum: 0.1 });
    let rm = [0, 0];
    let rv = [1, 1];
    for (let step = 0; step < 3; step++) {
      const x = rnd([5, 2], 10 + step, false);
      bn.call(x);
      const { mean, unbiased } = colStats(x, 5, 2);
      rm = rm.map((r, j) => 0.9 * r + 0.1 * mean[j]!);
      rv = rv.map((r, j) => 0.9 * r + 0.1 * unbiased[j]!);
    }
    for (let j = 0; j < 2; j++) {
      expect(bn.runningMean!.data[j]).toBeCloseTo(rm[j]!, 12);
      expect(bn.runningVar!.data[j]).toBeCloseTo(rv[j]!, 12);
    }
    expect(bn.numBatchesTracked!.item()).toBe(3);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
  });

  it('momentum null gives the cumulative average', () => {
    const bn = new BatchNorm1d(1, { ...f64, momentum: null });
    const xs = [rnd([4, 1], 1, false), rnd([4, 1], 2, false)];
    for (const x of xs) bn.call(x);
    const m = xs.map((x) => colStats(x, 4, 1).mean[0]!);
    expect(bn.runningMean!.data[0]).toBeCloseTo((m[0]! + m[1]!) / 2, 12);
  });

  it('uses running stats in eval mode and does not update them', () => {
    const bn = new BatchNorm1d(2, f64);
    bn.runningMean!.data.set([1, -2]);
    bn.runningVar!.data.set([4, 0.25]);
    bn.eval();
    const x = tensor([[3, 0]], f64);
    const y = bn.call(x);
    expect(y.data[0]).toBeCloseTo((3 - 1) / Math.sqrt(4 + 1e-5), 10);
    expect(y.data[1]).toBeCloseTo((0 + 2) / Math.sqrt(0.25 + 1e-5), 10);
    expect(Array.from(bn.runningMean!.data)).toEqual([1, -2]);
  });

  it('rejects a single value per channel in training and wrong shapes', () => {
    const bn = new BatchNorm1d(3);
    expect(() => bn.call(zeros([1, 3]))).toThrow(/more than 1 value per channel/);
    expect(() => bn.call(zeros([4, 2]))).toThrow(/BatchNorm1d\(3\): expected input of shape \[N, 3\]/);
  });

  it('passes gradcheck through the batch statistics, on input and affine params', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (n, c, seed) => {
        const bn = new BatchNorm1d(c, f64);
        randn([c], { ...f64, generator: new Generator(seed) }).data.forEach((v, i) => { bn.weight!.data[i] = v; });
        const x = rnd([n, c], seed);
        assertGradcheck(() => bn.call(x), [x, bn.weight!, bn.bias!], { atol: 1e-5, rtol: 1e-3 });
      }),
      { numRuns: 6 },
    );
  });

  it('handles [N, C, L] inputs', () => {
    const bn = new BatchNorm1d(2, f64);
    const x = rnd([3, 2, 4], 1);
    const y = bn.call(x);
    expect(y.shape).toEqual([3, 2, 4]);
    // per-channel mean over N and L is ~0
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let n = 0; n < 3; n++) for (let l = 0; l < 4; l++) s += y.data[n * 8 + c * 4 + l]!;
      expect(Math.abs(s)).toBeLessThan(1e-9);
    }
    assertGradcheck(() => new BatchNorm1d(2, f64).call(x), [x]);
  });

  it('[N, C, L] running stats count N·L values per channel', () => {
    const bn = new BatchNorm1d(2, { ...f64, momentum: 0.5 });
    const x = rnd([3, 2, 4], 3, false);
    bn.call(x);
    for (let c = 0; c < 2; c++) {
      const vals: number[] = [];
      for (let n = 0; n < 3; n++) for (let l = 0; l < 4; l++) vals.push(x.data[n * 8 + c * 4 + l]!);
      const m = vals.reduce((a, b) => a + b) / 12;
      const uv = vals.reduce((a, b) => a + (b - m) ** 2, 0) / 11;
      expect(bn.runningMean!.data[c]).toBeCloseTo(0.5 * m, 12);
      expect(bn.runningVar!.data[c]).toBeCloseTo(0.5 + 0.5 * uv, 12);
    }
  });

  it('without running stats it always uses batch statistics', () => {
    const bn = new BatchNorm1d(2, { ...f64, trackRunningStats: false, affine: false });
    expect(bn.buffers()).toHaveLength(0);
    expect(bn.parameters()).toHaveLength(0);
    const x = rnd([4, 2], 9, false);
    const a = bn.call(x);
    const b = bn.eval().call(x);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('eval-mode gradcheck', () => {
    const bn = new BatchNorm1d(3, f64);
    bn.runningMean!.data.set([0.1, 0.2, 0.3]);
    bn.runningVar!.data.set([1.5, 0.5, 2]);
    bn.eval();
    const x = rnd([2, 3], 1);
    assertGradcheck(() => bn.call(x), [x, bn.weight!, bn.bias!]);
  });
});

describe('LayerNorm', () => {
  it('matches the hand computation (biased variance)', () => {
    const ln = new LayerNorm(4, f64);
    ln.weight!.data.set([1, 2, 3, 4]);
    ln.bias!.data.set([0.5, 0, 0, -0.5]);
    const x = rnd([3, 4], 1, false);
    const y = ln.call(x);
    for (let i = 0; i < 3; i++) {
      const row = [0, 1, 2, 3].map((j) => x.data[i * 4 + j]!);
      const m = row.reduce((a, b) => a + b) / 4;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 4;
      row.forEach((r, j) => expect(y.data[i * 4 + j]).toBeCloseTo(((r - m) / Math.sqrt(v + 1e-5)) * ln.weight!.data[j]! + ln.bias!.data[j]!, 10));
    }
  });

  it('normalizes over several trailing axes and validates shapes', () => {
    const ln = new LayerNorm([2, 3], { ...f64, elementwiseAffine: false });
    expect(ln.parameters()).toHaveLength(0);
    const y = ln.call(rnd([4, 2, 3], 2, false));
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += y.data[i * 6 + k]!;
      expect(Math.abs(s)).toBeLessThan(1e-9);
    }
    expect(() => ln.call(zeros([4, 3, 2]))).toThrow(/LayerNorm\(\[2, 3\]\): expected input ending in \[2, 3\], got \[4, 3, 2\]/);
  });

  it('passes gradcheck on input and params', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1000 }), (n, d, seed) => {
        const ln = new LayerNorm(d, f64);
        randn([d], { ...f64, generator: new Generator(seed + 7) }).data.forEach((v, i) => { ln.weight!.data[i] = v; });
        const x = rnd([n, d], seed);
        assertGradcheck(() => ln.call(x), [x, ln.weight!, ln.bias!]);
      }),
      { numRuns: 6 },
    );
  });
});

describe('Sequential and Flatten', () => {
  it('chains modules, names children 0,1,..., and is indexable', () => {
    const seq = new Sequential(new Linear(4, 3, f64), new Tanh(), new Linear(3, 2, f64));
    expect(seq.length).toBe(3);
    expect(seq[0]).toBeInstanceOf(Linear);
    expect(seq.at(-1)).toBe(seq[2]);
    expect([...seq.namedChildren()].map(([n]) => n)).toEqual(['0', '1', '2']);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const x = rnd([2, 4], 1);
    const ps = seq.parameters();
    assertGradcheck(() => seq.call(x), [x, ...ps]);
    seq.append(new Sigmoid());
    expect(seq.length).toBe(4);
    expect(() => seq.at(9)).toThrow(/out of range/);
  });

  it('Flatten keeps the batch axis by default', () => {
    const x = rnd([2, 3, 4], 1);
    expect(new Flatten().call(x).shape).toEqual([2, 12]);
    expect(new Flatten(0).call(x).shape).toEqual([24]);
    assertGradcheck((t) => new Flatten().call(t).mul(2), [x]);
  });

  it('summary-style toString', () => {
    const s = new Sequential(new Linear(2, 3), new ReLU()).toString();
    expect(s).toContain('(0): Linear(inFeatures=2, outFeatures=3, bias=true)');
    expect(s).toContain('(1): ReLU()');
  });

  it('noGrad forward records nothing', () => {
    const lin = new Linear(2, 2);
    const y = noGrad(() => lin.call(zeros([1, 2])));
    expect(y.requiresGrad).toBe(false);
  });
});

describe('whole model', () => {
  it('gradcheck of a loss through Linear, BatchNorm, GELU, LayerNorm, Dropout on every parameter', () => {
    const g = new Generator(21);
    const model = new Sequential(
      new Linear(3, 4, { ...f64, generator: g }), new BatchNorm1d(4, f64), new GELU(),
      new LayerNorm(4, f64), new Dropout(0.3, { seed: 1 }), new Linear(4, 3, { ...f64, generator: g }),
    );
    const x = rnd([5, 3], 22);
    const drop = model.at(4) as Dropout;
    // re-seed the dropout mask on every evaluation so the function is deterministic
    const f = () => {
      const fresh = new Dropout(drop.p, { seed: 1 });
      return crossEntropy(new Sequential(...model.children().map((m) => (m === drop ? fresh : m))).call(x), [0, 2, 1, 1, 0]);
    };
    assertGradcheck(f, [x, ...model.parameters()]);
  });
});

