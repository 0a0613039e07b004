// Optimizers and losses by Keras name: the right class, Keras 3's defaults (checked through a first
// update step computed by hand with Keras' own update rule), the nn losses, and errors listing names.
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, Tensor, full, tensor } from '@memograd/autograd';
import {
  Linear, Sequential, Sigmoid, binaryCrossEntropy, categoricalCrossEntropy, huberLoss, l1Loss, mseLoss, sparseCategoricalCrossEntropy,
} from '@memograd/nn';
import {
  Adadelta, Adagrad, Adam, AdamW, Adamax, LOSS_NAMES, LambdaCallback, NAdam, OPTIMIZER_NAMES, RMSprop, SGD, UnknownNameError,
  compile, evaluate, fit, isLossName, isOptimizerName, lossFromName, optimizerFromName,
} from '../src/index.ts';
import type { Optimizer, OptimizerName } from '../src/index.ts';

const P0 = [1.0, -2.0, 0.3];
const G = [0.5, -0.25, 1e-3];

/** One step of the named optimizer from P0 with gradient G, in float64. */
function firstStep(name: OptimizerName, overrides?: Record<string, unknown>): { opt: Optimizer; p: number[] } {
  const p = tensor(P0, { dtype: 'float64', requiresGrad: true });
  const opt = optimizerFromName(name, [p], overrides);
  p.grad = tensor(G, { dtype: 'float64' });
  opt.step();
  return { opt, p: Array.from(p.data) };
}

/** Keras 3's first update (keras/src/optimizers/*.py update_step), written out by hand. */
const KERAS_FIRST_STEP: Record<string, (p: number, g: number) => number> = {
  sgd: (p, g) => p - 0.01 * g,
  adam: (p, g) => {
    const m = 0.1 * g;
    const v = 0.001 * g * g;
    const alpha = (0.001 * Math.sqrt(1 - 0.999)) / (1 - 0.9);
    return p - (m * alpha) / (Math.sqrt(v) + 1e-7);
  },
  adamw: (p, g) => KERAS_FIRST_STEP.adam!(p - p * 0.004 * 0.001, g),
  rmsprop: (p, g) => p - (0.001 * g) / Math.sqrt(0.1 * g * g + 1e-7),
  adadelta: (p, g) => {
    const accG = 0.05 * g * g;
    const delta = -(Math.sqrt(0 + 1e-7) * g) / Math.sqrt(accG + 1e-7);
    return p + 0.001 * delta;
  },
  adagrad: (p, g) => p - (0.001 * g) / Math.sqrt(0.1 + g * g + 1e-7),
  nadam: (p, g) => {
    const ut = 0.9 * (1 - 0.5 * 0.96 ** 1);
    const ut1 = 0.9 * (1 - 0.5 * 0.96 ** 2);
    const uprod = ut;
    const uprod1 = uprod * ut1;
    const m = 0.1 * g;
    const v = 0.001 * g * g;
    const mHat = (ut1 * m) / (1 - uprod1) + ((1 - ut) * g) / (1 - uprod);
    const vHat = v / (1 - 0.999);
    return p - (mHat * 0.001) / (Math.sqrt(vHat) + 1e-7);
  },
  adamax: (p, g) => {
    const m = 0.1 * g;
    const u = Math.abs(g);
    return p - (0.001 * m) / ((1 - 0.9) * (u + 1e-7));
  },
};

/** The same first step with memograd's (PyTorch's) update rule and Keras' defaults, by hand: exact. */
const TORCH_FIRST_STEP: Record<string, (p: number, g: number) => number> = {
  adam: (p, g) => p + (-0.001 / 0.1) * (0.1 * g) / (Math.sqrt(0.001 * g * g) / Math.sqrt(1 - 0.999) + 1e-7),
  rmsprop: (p, g) => p + (-0.001 * g) / (Math.sqrt(0.1 * g * g) + 1e-7),
  adagrad: (p, g) => p + (-0.001 * g) / (Math.sqrt(0.1 + g * g) + 1e-7),
};

describe('optimizer names', () => {
  const CLASSES: Record<string, unknown> = { adam: Adam, sgd: SGD, rmsprop: RMSprop, adadelta: Adadelta, adagrad: Adagrad, adamw: AdamW, nadam: NAdam, adamax: Adamax };

  it.each(Object.keys(CLASSES))('%s builds the right class, and its first step is Keras 3\'s', (name) => {
    expect.hasAssertions();
    const { opt, p } = firstStep(name as OptimizerName);
    expect(opt).toBeInstanceOf(CLASSES[name]);
    if (name === 'adamw') expect(opt).not.toBeInstanceOf(Adam);
    const keras = P0.map((p0, i) => KERAS_FIRST_STEP[name]!(p0, G[i]!));
    p.forEach((v, i) => {
      const stepOurs = v - P0[i]!;
      const stepKeras = keras[i]! - P0[i]!;
      // identical rules agree to rounding; the others differ only by where eps sits, which shows
      // for tiny gradients only (see the next test): ordinary ones agree to 1e-4
      const epsPlaced = ['adam', 'adamw', 'rmsprop', 'adagrad'].includes(name);
      if (epsPlaced && Math.abs(G[i]!) < 0.1) return;
      const tol = epsPlaced ? 1e-4 : 1e-12;
      expect(Math.abs(stepOurs - stepKeras)).toBeLessThanOrEqual(tol * Math.abs(stepKeras));
    });
    if (name in TORCH_FIRST_STEP) {
      // memograd's own rule with Keras' defaults, exactly: this pins eps 1e-7 and the other defaults
      p.forEach((v, i) => expect(v).toBe(TORCH_FIRST_STEP[name]!(P0[i]!, G[i]!)));
    }
  });

  it('the documented eps placement shows for tiny gradients: Adam slightly, RMSprop and Adagrad much more', () => {
    // |g| = 1e-3. Adam: Keras' step differs from PyTorch's by about eps·(1/√(1−β₂) − 1)/|g| ≈ 3e-3
    // relative. RMSprop and Adagrad: Keras' eps inside the square root acts like √eps ≈ 3e-4 added
    // to √v, which is no longer small next to √v ≈ 3e-4 (README: the difference is documented)
    const rel = (name: OptimizerName) => {
      const ours = firstStep(name).p[2]! - P0[2]!;
      const keras = KERAS_FIRST_STEP[name]!(P0[2]!, G[2]!) - P0[2]!;
      return Math.abs(ours - keras) / Math.abs(keras);
    };
    expect(rel('adam')).toBeGreaterThan(1e-3);
    expect(rel('adam')).toBeLessThan(5e-3);
    expect(rel('rmsprop')).toBeGreaterThan(0.1);
    expect(rel('adadelta')).toBeLessThan(1e-12);
    expect(rel('nadam')).toBeLessThan(1e-12);
  });

  it('Keras class names work too, overrides replace the defaults, and groups get Keras\' values', () => {
    expect(optimizerFromName('Adam', [tensor([1], { requiresGrad: true })])).toBeInstanceOf(Adam);
    expect(optimizerFromName('Nadam', [tensor([1], { requiresGrad: true })])).toBeInstanceOf(NAdam);
    const o = optimizerFromName('adam', [tensor([1], { requiresGrad: true })], { lr: 0.05 });
    const g = o.paramGroups[0] as unknown as Record<string, unknown>;
    expect(g.lr).toBe(0.05);
    expect(g.eps).toBe(1e-7);
    expect((optimizerFromName('nadam', [tensor([1], { requiresGrad: true })]).paramGroups[0] as unknown as Record<string, unknown>).momentumDecay).toBe(1);
    expect((optimizerFromName('adamw', [tensor([1], { requiresGrad: true })]).paramGroups[0] as unknown as Record<string, unknown>).weightDecay).toBe(0.004);
    expect(isOptimizerName('rmsprop')).toBe(true);
    expect(isOptimizerName('toString')).toBe(false);
    expect(OPTIMIZER_NAMES).toContain('adadelta');
  });

  it('an unknown name throws UnknownNameError listing every valid name', () => {
    let err: unknown;
    try { optimizerFromName('adm' as OptimizerName, []); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UnknownNameError);
    expect(err).toBeInstanceOf(ArgumentError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^optimizerFromName: unknown optimizer 'adm'; valid names: /);
    for (const n of OPTIMIZER_NAMES) expect(msg).toContain(n);
    expect((err as UnknownNameError).validNames).toEqual(OPTIMIZER_NAMES);
    expect(() => optimizerFromName('ADAM' as OptimizerName, [])).toThrow(/did you mean 'adam'\?/);
    expect(() => optimizerFromName('toString' as OptimizerName, [])).toThrow(UnknownNameError);
    expect(() => optimizerFromName('adam', [tensor([1], { requiresGrad: true })], 3 as never)).toThrow(/optimizerFromName: overrides must be an object of Adam options/);
  });
});

describe('loss names', () => {
  const probs = tensor([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]], { dtype: 'float64' });
  const onehot = tensor([[1, 0, 0], [0, 0, 1], [0, 1, 0]], { dtype: 'float64' });
  const pred = tensor([[0.9], [0.2], [0.6], [0.35]], { dtype: 'float64' });
  const target = tensor([[1], [0], [1], [0]], { dtype: 'float64' });
  const reg = tensor([[0.5, -2], [3, 0.25]], { dtype: 'float64' });
  const regT = tensor([[0, 0], [1, 1]], { dtype: 'float64' });

  it.each([
    ['mse', () => [lossFromName('mse')(reg, regT), mseLoss(reg, regT)]],
    ['mean_squared_error', () => [lossFromName('mean_squared_error')(reg, regT), mseLoss(reg, regT)]],
    ['mae', () => [lossFromName('mae')(reg, regT), l1Loss(reg, regT)]],
    ['huber', () => [lossFromName('huber')(reg, regT), huberLoss(reg, regT, { delta: 1 })]],
    ['binary_crossentropy', () => [lossFromName('binary_crossentropy')(pred, target), binaryCrossEntropy(pred, target)]],
    ['categorical_crossentropy', () => [lossFromName('categorical_crossentropy')(probs, onehot), categoricalCrossEntropy(probs, onehot)]],
    ['sparse_categorical_crossentropy', () => [lossFromName('sparse_categorical_crossentropy')(probs, tensor([0, 2, 1])), sparseCategoricalCrossEntropy(probs, [0, 2, 1])]],
  ] as const)('%s equals the @memograd/nn loss', (_n, f) => {
    const [a, b] = f() as unknown as [Tensor, Tensor];
    expect(a.shape).toEqual([]);
    expect(a.item()).toBe(b.item());
  });

  it('hand values: Keras\' numbers on small inputs', () => {
    expect(lossFromName('mse')(reg, regT).item()).toBeCloseTo((0.25 + 4 + 4 + 0.5625) / 4, 14);
    expect(lossFromName('huber')(reg, regT).item()).toBeCloseTo((0.125 + 1.5 + 1.5 + 0.28125) / 4, 14);
    const bce = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.65)) / 4;
    expect(lossFromName('bce')(pred, target).item()).toBeCloseTo(bce, 14);
    expect(lossFromName('categorical_crossentropy')(probs, onehot).item()).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6) + Math.log(0.5)) / 3, 14);
  });

  it('binary cross-entropy clips probabilities to [1e-7, 1 - 1e-7] as Keras (not PyTorch\'s -100 floor)', () => {
    const p = tensor([0, 1], { dtype: 'float64' });
    const t = tensor([1, 0], { dtype: 'float64' });
    // Keras: clip(p) to [1e-7, 1 − 1e-7], then −log(1e-7) and −log(1 − (1 − 1e-7)), averaged
    expect(lossFromName('binary_crossentropy')(p, t).item()).toBeCloseTo((-Math.log(1e-7) - Math.log(1 - (1 - 1e-7))) / 2, 12);
    expect(binaryCrossEntropy(p, t).item()).toBe(100);
    // a logit is refused, a NaN passes through to the loss
    expect(() => lossFromName('binary_crossentropy')(tensor([2.5]), tensor([1]))).toThrow(/binary_crossentropy: predictions must be probabilities in \[0, 1\].*got 2.5 at flat index 0/);
    expect(Number.isNaN(lossFromName('binary_crossentropy')(full([1], NaN), tensor([1])).item())).toBe(true);
  });

  it('targets differing by a trailing axis of size 1 are aligned (Keras squeeze-or-expand)', () => {
    const flat = tensor([1, 0, 1, 0], { dtype: 'float64' });
    for (const n of ['mse', 'mae', 'huber', 'binary_crossentropy'] as const) {
      expect(lossFromName(n)(pred, flat).item()).toBe(lossFromName(n)(pred, target).item());
    }
    expect(lossFromName('sparse_categorical_crossentropy')(probs, tensor([[0], [2], [1]])).item()).toBe(sparseCategoricalCrossEntropy(probs, [0, 2, 1]).item());
    expect(() => lossFromName('mse')(reg, tensor([1, 2, 3]))).toThrow(/^mean_squared_error: mseLoss: input has shape/);
  });

  it('aliases and class names are the same function; unknown names list the valid ones', () => {
    expect(lossFromName('MSE')).toBe(lossFromName('mean_squared_error'));
    expect(lossFromName('MeanSquaredError')).toBe(lossFromName('mse'));
    expect(lossFromName('BinaryCrossentropy')).toBe(lossFromName('bce'));
    expect(lossFromName('SparseCategoricalCrossentropy')).toBe(lossFromName('sparse_categorical_crossentropy'));
    expect(isLossName('huber')).toBe(true);
    expect(isLossName('hasOwnProperty')).toBe(false);
    let msg = '';
    try { lossFromName('cross_entropy' as never); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/^lossFromName: unknown loss 'cross_entropy'; valid names: /);
    for (const n of LOSS_NAMES) expect(msg).toContain(n);
  });
});

describe('fit and evaluate with names', () => {
  function data(): { x: Tensor; y: Tensor } {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 24; i++) {
      const a = Math.sin(i * 1.7);
      const b = Math.cos(i * 0.9);
      xs.push([a, b]);
      ys.push(a + b > 0 ? 1 : 0);
    }
    return { x: tensor(xs), y: tensor(ys) };
  }

  it('fit(optimizer: name) builds that optimizer over model.parameters() with Keras\' defaults', () => {
    const { x, y } = data();
    const model = new Sequential(new Linear(2, 1), new Sigmoid());
    const seen: unknown[] = [];
    const h = fit(model, {
      x, y, loss: 'binary_crossentropy', optimizer: 'rmsprop', epochs: 3, batchSize: 8, verbose: 0, seed: 1, metrics: ['accuracy', 'mse'],
      callbacks: [new LambdaCallback({ onTrainBegin: (_l, ctx) => { seen.push(ctx.optimizer); } })],
    });
    expect(seen[0]).toBeInstanceOf(RMSprop);
    const grp = (seen[0] as RMSprop).paramGroups[0] as unknown as Record<string, unknown>;
    expect([grp.lr, grp.alpha, grp.eps]).toEqual([0.001, 0.9, 1e-7]);
    expect((seen[0] as RMSprop).paramGroups[0]!.params).toEqual(model.parameters());
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'mse']);
    // the logged mse metric is the table's mse of the trained model's predictions (last epoch = evaluate)
    const ev = evaluate(model, x, y, { loss: 'binary_crossentropy', metrics: ['mse', 'mean_squared_error'], batchSize: 24 });
    expect(ev.mse).toBeCloseTo(ev.mean_squared_error!, 12);
    expect(ev.mse).toBeCloseTo(mseLoss(model.call(x).reshape([24]), y).item(), 6);
  });

  it('the same seed and a name give the same run as the optimizer built by hand', () => {
    const { x, y } = data();
    const run = (opt: (m: Sequential) => unknown) => {
      const m = new Sequential(new Linear(2, 1, { generator: new Generator(3) }), new Sigmoid());
      return fit(m, { x, y, loss: 'bce', optimizer: opt(m) as never, epochs: 2, batchSize: 6, verbose: 0, seed: 2 }).history.loss;
    };
    expect(run(() => 'adam')).toEqual(run((m) => new Adam(m.parameters(), { lr: 1e-3, eps: 1e-7 })));
  });

  it('data that require grad are constants to fit (several batches, validation split)', () => {
    const { x, y } = data();
    const xg = x.clone().requiresGrad_(true);
    const model = new Sequential(new Linear(2, 1, { generator: new Generator(4) }), new Sigmoid());
    const h = fit(model, { x: xg, y, loss: 'bce', optimizer: 'sgd', epochs: 2, batchSize: 5, validationSplit: 0.25, verbose: 0, seed: 1 });
    expect(h.history.val_loss).toHaveLength(2);
    expect(xg.grad).toBeNull();
  });

  it('bad names are typed errors naming fit and the valid names', () => {
    const { x, y } = data();
    const model = new Linear(2, 1);
    expect(() => fit(model, { x, y, loss: 'mse', optimizer: 'adamm' as never, verbose: 0 })).toThrow(/^fit: unknown optimizer 'adamm'; valid names: adam, sgd, rmsprop, adadelta, adagrad, adamw, nadam, adamax/);
    expect(() => fit(model, { x, y, loss: 'mse', optimizer: 'sgd', metrics: ['f1' as never], verbose: 0 })).toThrow(/^fit: unknown metric 'f1'; valid names: accuracy, acc, mean_squared_error/);
    expect(() => evaluate(model, x, y, { loss: 'logcosh' as never })).toThrow(UnknownNameError);
    expect(() => fit(model, { x, y, loss: 'mse', optimizer: 3 as never, verbose: 0 })).toThrow(/^fit: optimizer must be an optimizer name \(adam, sgd, .*\) or an object with step\(\) and zeroGrad\(\), got 3/);
  });
});

describe('compile (Keras\' model.compile)', () => {
  function xy(): { x: Tensor; y: Tensor } {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 16; i++) {
      xs.push([Math.sin(i * 1.3), Math.cos(i * 0.7)]);
      ys.push(Math.sin(i * 1.3) > Math.cos(i * 0.7) ? 1 : 0);
    }
    return { x: tensor(xs), y: tensor(ys) };
  }
  const model = (seed: number) => new Sequential(new Linear(2, 3, { generator: new Generator(seed) }), new Sigmoid(), new Linear(3, 1, { generator: new Generator(seed + 1) }), new Sigmoid());

  it('builds the optimizer once: two fit calls continue it, as one fit of both epochs does', () => {
    const { x, y } = xy();
    const m = compile(model(1), { optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    expect(m.optimizer).toBeInstanceOf(Adam);
    const a = m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 }).history.loss;
    const b = m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 }).history.loss;
    const ref = model(1);
    const both = fit(ref, { x, y, loss: 'binary_crossentropy', optimizer: new Adam(ref.parameters(), { eps: 1e-7 }), epochs: 2, batchSize: 4, shuffle: false, verbose: 0 }).history.loss;
    expect([...a, ...b]).toEqual(both);
    // a name given to fit itself builds a fresh optimizer per call: the second call differs
    const fresh = model(1);
    fit(fresh, { x, y, loss: 'binary_crossentropy', optimizer: 'adam', epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const again = fit(fresh, { x, y, loss: 'binary_crossentropy', optimizer: 'adam', epochs: 1, batchSize: 4, shuffle: false, verbose: 0 }).history.loss;
    expect(again).not.toEqual(b);
    const ev = m.evaluate(x, y);
    expect(Object.keys(ev).sort()).toEqual(['accuracy', 'loss']);
    expect(ev.loss).toBeCloseTo(evaluate(m.model, x, y, { loss: 'bce' }).loss!, 12);
    expect(Array.from(m.predict(x).data)).toEqual(Array.from(m.model.call(x).data));
  });

  it('checks the loss, metrics and optimizer at compile time, naming compile', () => {
    expect(() => compile(model(1), { optimizer: 'adam', loss: 'binary_crossentropyy' as never })).toThrow(/^compile: unknown loss 'binary_crossentropyy'/);
    expect(() => compile(model(1), { optimizer: 'adamm' as never, loss: 'mse' })).toThrow(/^compile: unknown optimizer 'adamm'/);
    expect(() => compile(model(1), { optimizer: 'sgd', loss: 'mse', metrics: ['f1' as never] })).toThrow(/^compile: unknown metric 'f1'/);
    expect(() => compile({} as never, { optimizer: 'sgd', loss: 'mse' })).toThrow(/^compile: model must have call/);
    expect(() => compile(model(1), null as never)).toThrow(/^compile: options must be an object/);
    const m = compile(model(1), { optimizer: 'sgd', loss: 'mse' });
    expect(() => m.fit(tensor([[1, 2]]), tensor([1]), null as never)).toThrow(/^CompiledModel.fit: options must be an object/);
  });
});
