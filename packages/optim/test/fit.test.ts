import { afterEach, describe, expect, it, vi } from 'vitest';
import { Generator, Tensor, randn, tensor } from '@memograd/autograd';
import { Linear, MSELoss, Sequential, Tanh, crossEntropy, mseLoss } from '@memograd/nn';
import { SGD, accuracy, evaluate, fit, predict, LambdaCallback } from '../src/index.ts';
import type { OptimizerLike, TrainableModule } from '../src/index.ts';

/** y = 3 x0 - 2 x1 + 0.5, no noise. */
function linearData(n: number, seed = 0): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const x = randn([n, 2], { generator: g });
  const xd = x.data;
  const yd = new Float32Array(n);
  for (let i = 0; i < n; i++) yd[i] = 3 * xd[2 * i]! - 2 * xd[2 * i + 1]! + 0.5;
  return { x, y: tensor(yd, { shape: [n, 1] }) };
}

/** Wraps an optimizer and counts its steps. */
function counting(opt: OptimizerLike): OptimizerLike & { steps: number } {
  const c = { steps: 0, step() { c.steps++; return opt.step(); }, zeroGrad() { return opt.zeroGrad(); } };
  return c;
}

/** A model that records which rows (by the value in column 0) it sees, in order. */
class RecordingModel implements TrainableModule {
  w = tensor([0.5], { requiresGrad: true });
  seen: number[][] = [];
  modes: boolean[] = [];
  training = true;
  parameters(): Tensor[] { return [this.w]; }
  train(mode = true): this { this.training = mode; return this; }
  eval(): this { this.training = false; return this; }
  call(x: Tensor): Tensor {
    this.seen.push(Array.from(x.data));
    this.modes.push(this.training);
    return x.mul(this.w);
  }
  stateDict(): Record<string, Tensor> { return { w: this.w.detach().clone() }; }
  loadStateDict(s: Record<string, Tensor>): void { this.w.data.set(s.w!.data); }
}

const column = (n: number): Tensor => tensor(Float32Array.from({ length: n }, (_, i) => i), { shape: [n, 1] });

afterEach(() => vi.restoreAllMocks());

describe('fit', () => {
  it('converges on a tiny linear regression', () => {
    const { x, y } = linearData(64);
    const model = new Linear(2, 1, { generator: new Generator(1) });
    const h = fit(model, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 60, batchSize: 16, seed: 0, verbose: 0 });
    expect(h.history.loss!.at(-1)!).toBeLessThan(1e-4);
    expect(h.history.loss![0]!).toBeGreaterThan(h.history.loss!.at(-1)!);
    const w = model.weight.data;
    expect(w[0]).toBeCloseTo(3, 2);
    expect(w[1]).toBeCloseTo(-2, 2);
    expect(model.bias!.data[0]).toBeCloseTo(0.5, 2);
  });

  it.each([
    [1, 100],
    [100, 1],
    [32, 4],
    [1000, 1],
  ])('batchSize %i over 100 rows takes %i optimizer steps per epoch', (batchSize, perEpoch) => {
    const { x, y } = linearData(100);
    const model = new Linear(2, 1, { generator: new Generator(1) });
    const opt = counting(new SGD(model.parameters(), { lr: 0.01 }));
    const batches: number[] = [];
    fit(model, {
      x, y, loss: mseLoss, optimizer: opt, epochs: 3, batchSize, seed: 0, verbose: 0,
      callbacks: [new LambdaCallback({ onBatchEnd: (_b, logs) => { if (batches.length < perEpoch) batches.push(logs.size!); } })],
    });
    expect(opt.steps).toBe(3 * perEpoch);
    // every row is used once per epoch; the last batch of 32 is the partial one (4 rows)
    expect(batches.reduce((a, b) => a + b, 0)).toBe(100);
    if (batchSize === 32) expect(batches).toEqual([32, 32, 32, 4]);
  });

  it('shuffles every epoch, reproducibly from the seed', () => {
    const x = column(10);
    const run = (seed: number, shuffle = true): number[][] => {
      const m = new RecordingModel();
      fit(m, { x, y: x, loss: mseLoss, optimizer: new SGD(m.parameters(), { lr: 0 }), epochs: 2, batchSize: 10, seed, shuffle, verbose: 0 });
      return m.seen;
    };
    const a = run(7);
    const b = run(7);
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]); // a fresh permutation each epoch
    expect([...a[0]!].sort((p, q) => p - q)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(run(8)).not.toEqual(a);
    expect(run(7, false)[0]).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('validationSplit takes the LAST rows, before shuffling, in eval mode', () => {
    const x = column(10);
    const m = new RecordingModel();
    const h = fit(m, { x, y: x, loss: mseLoss, optimizer: new SGD(m.parameters(), { lr: 0 }), epochs: 2, batchSize: 4, validationSplit: 0.3, seed: 3, verbose: 0 });
    // per epoch: 2 training batches (4 + 3 rows), then one validation batch
    expect(m.seen).toHaveLength(6);
    const train = [...m.seen[0]!, ...m.seen[1]!].sort((p, q) => p - q);
    expect(train).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(m.seen[2]).toEqual([7, 8, 9]);
    expect(m.modes).toEqual([true, true, false, true, true, false]);
    // w = 0.5, so the validation loss is mean((0.5 v - v)^2) over 7, 8, 9
    expect(h.history.val_loss![0]).toBeCloseTo((3.5 ** 2 + 4 ** 2 + 4.5 ** 2) / 3, 4);
  });

  it('records history keys and lengths for training and validation metrics', () => {
    const g = new Generator(0);
    const x = randn([60, 4], { generator: g });
    const labels = Float32Array.from({ length: 60 }, (_, i) => i % 3);
    const y = tensor(labels);
    const model = new Sequential(new Linear(4, 8, { generator: g }), new Tanh(), new Linear(8, 3, { generator: g }));
    const h = fit(model, {
      x, y, loss: (p, t) => crossEntropy(p, t), optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 4, batchSize: 16, metrics: ['accuracy'], validationData: [x, y], seed: 0, verbose: 0,
    });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    for (const v of Object.values(h.history)) expect(v).toHaveLength(4);
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    for (const a of h.history.accuracy!) expect(a).toBeGreaterThanOrEqual(0);
    // evaluate reproduces the last validation numbers (same weights, eval mode)
    const ev = evaluate(model, x, y, { loss: (p, t) => crossEntropy(p, t), metrics: ['accuracy'], batchSize: 7 });
    expect(ev.loss).toBeCloseTo(h.history.val_loss!.at(-1)!, 5);
    expect(ev.accuracy).toBeCloseTo(h.history.val_accuracy!.at(-1)!, 10);
  });

  it('epochs 0 trains nothing and returns an empty history', () => {
    const { x, y } = linearData(8);
    const model = new Linear(2, 1);
    const opt = counting(new SGD(model.parameters(), { lr: 0.1 }));
    const h = fit(model, { x, y, loss: mseLoss, optimizer: opt, epochs: 0, verbose: 0 });
    expect(h.history).toEqual({});
    expect(opt.steps).toBe(0);
  });

  it('takes a loss object (new MSELoss()) as well as a loss function, with the same result', () => {
    const { x, y } = linearData(16);
    const run = (loss: Parameters<typeof fit>[1]['loss']) => {
      const model = new Linear(2, 1);
      model.weight.data.set([0.3, -0.2]);
      model.bias!.data.set([0.1]);
      const h = fit(model, { x, y, loss, optimizer: new SGD(model.parameters(), { lr: 0.05 }), epochs: 3, batchSize: 4, verbose: 0, shuffle: false });
      return [h.history.loss!, evaluate(model, x, y, { loss }).loss] as const;
    };
    const [withFn, evFn] = run(mseLoss);
    const [withObj, evObj] = run(new MSELoss());
    expect(withObj).toEqual(withFn);
    expect(evObj).toBe(evFn);
    expect(withFn.at(-1)!).toBeLessThan(withFn[0]!);
  });

  it('rejects bad inputs with clear errors', () => {
    const { x, y } = linearData(10);
    const model = new Linear(2, 1);
    const base = { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.1 }), verbose: 0 as const };
    expect(() => fit(model, { ...base, y: linearData(9).y })).toThrow(/same number of rows.*10 and 9/);
    expect(() => fit(model, { ...base, batchSize: 0 })).toThrow(/batchSize must be an integer >= 1, got 0/);
    expect(() => fit(model, { ...base, batchSize: 2.5 })).toThrow(/batchSize/);
    expect(() => fit(model, { ...base, epochs: -1 })).toThrow(/epochs must be an integer from 0 to 2\^53 - 1, got -1/);
    expect(() => fit(model, { ...base, validationSplit: 1 })).toThrow(/validationSplit must be in \[0, 1\), got 1/);
    expect(() => fit(model, { ...base, validationSplit: -0.1 })).toThrow(/validationSplit/);
    expect(() => fit(model, { ...base, validationSplit: 0.01 })).toThrow(/leaves 10 for training and 0 for validation/);
    expect(() => fit(model, { ...base, metrics: ['f1' as 'mae'] })).toThrow(/unknown metric/);
    expect(() => fit(model, { ...base, loss: (p) => p })).toThrow(/scalar Tensor/);
    expect(() => fit(model, { ...base, loss: 'msee' as never })).toThrow(/fit: unknown loss 'msee'; valid names: mean_squared_error, mse/);
    expect(() => fit(model, { ...base, loss: 42 as never })).toThrow(/fit: loss must be a loss name .*, a function .* or a loss object/);
    expect(() => fit(model, { ...base, x: [[1, 2]] as unknown as Tensor })).toThrow(/x must be a Tensor/);
  });

  it('verbose 0 prints nothing; verbose 2 prints one line per epoch', () => {
    const { x, y } = linearData(20);
    const model = new Linear(2, 1);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    fit(model, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 3, batchSize: 5, verbose: 0, validationSplit: 0.2 });
    expect(spy).not.toHaveBeenCalled();
    fit(model, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 3, batchSize: 5, verbose: 2, validationSplit: 0.2, metrics: ['mae'] });
    const out = spy.mock.calls.map((c) => String(c[0])).join('');
    spy.mockRestore();
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Epoch 1\/3 - 4 steps - .* - loss: [\d.e+-]+ - mae: [\d.e+-]+ - val_loss: [\d.e+-]+ - val_mae: [\d.e+-]+$/);
    expect(out).not.toContain('\r');
  });

  it('verbose 1 on a TTY draws a bar with \\r updates and ends each epoch with a newline', () => {
    const { x, y } = linearData(20);
    const model = new Linear(2, 1);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    try {
      fit(model, { x, y, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 5, verbose: 1 });
    } finally {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
    const out = spy.mock.calls.map((c) => String(c[0])).join('');
    spy.mockRestore();
    expect(out).toContain('Epoch 1/2\n');
    expect(out).toContain('Epoch 2/2\n');
    expect(out).toMatch(/\r4\/4 \[=+\] - \S+ \S+\/step - loss: /);
    expect(out).toMatch(/ETA: /);
  });
});

describe('evaluate and predict', () => {
  const g = new Generator(4);
  const model = new Sequential(new Linear(3, 5, { generator: g }), new Tanh(), new Linear(5, 2, { generator: g }));
  const x = randn([23, 3], { generator: g });

  it('predict returns one row per sample whatever the batch size, without a graph', () => {
    const full = predict(model, x, { batchSize: 100 });
    const small = predict(model, x, { batchSize: 4 });
    expect(full.shape).toEqual([23, 2]);
    expect(small.shape).toEqual([23, 2]);
    expect(Array.from(small.data)).toEqual(Array.from(full.data));
    expect(full.requiresGrad).toBe(false);
    expect(() => predict(model, x, { batchSize: 0 })).toThrow(/batchSize/);
  });

  it('evaluate returns the loss and metrics as numbers', () => {
    const y = tensor(Float32Array.from({ length: 23 }, (_, i) => i % 2));
    const r = evaluate(model, x, y, { loss: (p, t) => crossEntropy(p, t), metrics: ['accuracy'], batchSize: 5 });
    expect(Object.keys(r).sort()).toEqual(['accuracy', 'loss']);
    const whole = crossEntropy(predict(model, x), y).item();
    expect(r.loss).toBeCloseTo(whole, 5);
    expect(() => evaluate(model, x, tensor([1, 2]), { loss: mseLoss })).toThrow(/same number of rows/);
  });
});

describe('accuracy', () => {
  it('compares argmax of logits with class indices or one-hot targets', () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [0, 0, 5], [9, 0, 0]]);
    expect(accuracy(logits, tensor([0, 1, 2, 1]))).toBe(0.75);
    expect(accuracy(logits, tensor([[1, 0, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]]))).toBe(0.75);
  });
  it('thresholds binary probabilities at 0.5, logits at 0', () => {
    const t = tensor([[1], [0], [1], [0]]);
    expect(accuracy(tensor([[0.9], [0.4], [0.3], [0.6]]), t)).toBe(0.5);
    expect(accuracy(tensor([[0.2], [-1], [3], [-0.1]]), t, { fromLogits: true })).toBe(1);
    expect(accuracy(tensor([[0.2], [-1], [3], [-0.1]]), t)).toBe(0.75); // 0.2 < 0.5 counts as class 0
    expect(accuracy(tensor([0.9, 0.1]), tensor([1, 0]), { threshold: 0.95 })).toBe(0.5);
  });
});
