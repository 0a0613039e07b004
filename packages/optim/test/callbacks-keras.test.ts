// ReduceLROnPlateauCallback: Keras' schedule (a hand-worked sequence, and Keras' algorithm
// transcribed as an oracle over many sequences), the lr in the logs, and the fit integration.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Generator, tensor } from '@memograd/autograd';
import { Linear } from '@memograd/nn';
import { EarlyStopping, LambdaCallback, ReduceLROnPlateau, ReduceLROnPlateauCallback, SGD, TerminateOnNaN, fit } from '../src/index.ts';
import type { ReduceLROnPlateauCallbackOptions, TrainingContext } from '../src/index.ts';

afterEach(() => vi.restoreAllMocks());

/** Drives the callback by hand over a sequence of monitored values; returns the lr logged each epoch and the lr after. */
function drive(values: readonly number[], options: ReduceLROnPlateauCallbackOptions, lr0 = 1): { logged: number[]; after: number[] } {
  const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: lr0 });
  const cb = new ReduceLROnPlateauCallback({ monitor: 'val_loss', ...options });
  const ctx = { optimizer: opt } as unknown as TrainingContext;
  cb.onTrainBegin({}, ctx);
  const logged: number[] = [];
  const after: number[] = [];
  values.forEach((v, epoch) => {
    const logs: Record<string, number> = { val_loss: v };
    cb.onEpochEnd(epoch, logs, ctx);
    logged.push(logs.lr!);
    after.push(opt.paramGroups[0]!.lr);
  });
  return { logged, after };
}

/** keras/src/callbacks/reduce_lr_on_plateau.py, transcribed line by line ('min' mode). */
function kerasOracle(values: readonly number[], o: { factor: number; patience: number; minDelta: number; cooldown: number; minLr: number }, lr0 = 1): number[] {
  let lr = lr0;
  let best = Infinity;
  let wait = 0;
  let cooldownCounter = 0;
  const out: number[] = [];
  for (const current of values) {
    if (cooldownCounter > 0) {
      cooldownCounter -= 1;
      wait = 0;
    }
    if (current < best - o.minDelta) {
      best = current;
      wait = 0;
    } else if (!(cooldownCounter > 0)) {
      wait += 1;
      if (wait >= o.patience) {
        if (lr > Math.fround(o.minLr)) {
          lr = Math.max(lr * o.factor, o.minLr);
          cooldownCounter = o.cooldown;
          wait = 0;
        }
      }
    }
    out.push(lr);
  }
  return out;
}

describe('ReduceLROnPlateauCallback', () => {
  it('reduces on the Keras schedule: a hand-worked sequence', () => {
    // patience 2, factor 0.5, cooldown 1, minDelta 0.01, minLr 0.1, lr 1 (worked through in the comments)
    const values = [1.0, 0.9, 0.95, 0.895, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
    //  e0 best 1 | e1 best .9 | e2 wait 1 | e3 wait 2 → lr .5, cooldown 1 | e4 cooldown ends, wait 1 |
    //  e5 wait 2 → .25 | e6 wait 1 | e7 best .5 | e8 wait 1 | e9 wait 2 → .125 | e10 wait 1 |
    //  e11 wait 2 → max(.0625, .1) = .1 | e12 wait 1 | e13, e14: lr = minLr, nothing to reduce
    const { logged, after } = drive(values, { patience: 2, factor: 0.5, cooldown: 1, minDelta: 0.01, minLr: 0.1 });
    expect(after).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1, 0.1, 0.1]);
    // the logged lr is the one the epoch ran with (before this epoch's reduction), as Keras logs it
    expect(logged).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1, 0.1]);
  });

  it('patience p reduces after p epochs without improvement (PyTorch would wait p + 1)', () => {
    const flat = [1, 1, 1, 1, 1, 1];
    expect(drive(flat, { patience: 3, factor: 0.5 }).after).toEqual([1, 1, 1, 0.5, 0.5, 0.5]);
    expect(drive(flat, { patience: 1, factor: 0.5 }).after).toEqual([1, 0.5, 0.25, 0.125, 0.0625, 0.03125]);
    expect(drive(flat, { patience: 0, factor: 0.5 }).after).toEqual([1, 0.5, 0.25, 0.125, 0.0625, 0.03125]);
    // cooldown 2: the epoch right after a reduction is skipped, the second counts again
    expect(drive(flat, { patience: 1, factor: 0.5, cooldown: 2 }).after).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('matches Keras\' algorithm, transcribed, over random sequences and settings', () => {
    expect.hasAssertions();
    const g = new Generator(7);
    for (let trial = 0; trial < 300; trial++) {
      const u = () => g.random();
      const o = {
        factor: [0.1, 0.5, 0.8][Math.floor(u() * 3)]!,
        patience: Math.floor(u() * 4),
        minDelta: [0, 1e-4, 0.05][Math.floor(u() * 3)]!,
        cooldown: Math.floor(u() * 4),
        minLr: [0, 0.01, 0.3][Math.floor(u() * 3)]!,
      };
      let v = 1;
      const values = Array.from({ length: 25 }, () => (v += (u() - 0.6) * 0.1));
      expect(drive(values, o).after, JSON.stringify({ o, values })).toEqual(kerasOracle(values, o));
    }
  });

  it('max mode (auto for accuracy), NaN is no improvement', () => {
    const cb = new ReduceLROnPlateauCallback({ monitor: 'val_accuracy' });
    expect(cb.mode).toBe('max');
    expect(new ReduceLROnPlateauCallback().mode).toBe('min');
    const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: 1 });
    const ctx = { optimizer: opt } as unknown as TrainingContext;
    const c = new ReduceLROnPlateauCallback({ monitor: 'acc', patience: 1, factor: 0.5, minDelta: 0 });
    c.onTrainBegin({}, ctx);
    c.onEpochEnd(0, { acc: 0.5 }, ctx);
    c.onEpochEnd(1, { acc: 0.6 }, ctx);
    expect(opt.paramGroups[0]!.lr).toBe(1);
    expect(c.best).toBe(0.6);
    c.onEpochEnd(2, { acc: NaN }, ctx);
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
    expect(c.best).toBe(0.6);
  });

  it('in fit: writes lr into the logs and History, prints the reduction with verbose, resets per fit', () => {
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[2], [4], [6], [8]]);
    const model = new Linear(1, 1);
    const opt = new SGD(model.parameters(), { lr: 0.01 });
    // a scripted monitored value: never improves after the first epoch
    const script = new LambdaCallback({ onEpochEnd: (_e, logs) => { logs.score = 1; }, logKeys: ['score'] });
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    const cb = new ReduceLROnPlateauCallback({ monitor: 'score', patience: 2, factor: 0.1, verbose: 1 });
    const h = fit(model, { x, y, loss: 'mse', optimizer: opt, epochs: 5, verbose: 0, callbacks: [script, cb] });
    expect(h.history.lr!.map((v) => Number(v.toPrecision(12)))).toEqual([0.01, 0.01, 0.01, 0.001, 0.001]);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.0001, 15);
    expect(out.join('')).toContain('Epoch 3: ReduceLROnPlateau reducing learning rate to 0.001');
    expect(out.join('')).toContain('Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0001');
    // a second fit starts counting afresh (Keras resets on train begin)
    fit(model, { x, y, loss: 'mse', optimizer: opt, epochs: 1, verbose: 0, callbacks: [script, cb] });
    expect(cb.wait).toBe(0);
    // EarlyStopping may monitor the lr it writes
    expect(() => fit(model, { x, y, loss: 'mse', optimizer: opt, epochs: 1, verbose: 0, callbacks: [new ReduceLROnPlateauCallback({ monitor: 'loss' }), new EarlyStopping({ monitor: 'lr' })] })).not.toThrow();
  });

  it('fit refuses a monitor the logs will not have, before training', () => {
    const model = new Linear(1, 1);
    const before = Array.from(model.parameters()[0]!.data);
    expect(() => fit(model, { x: tensor([[1], [2]]), y: tensor([[1], [2]]), loss: 'mse', optimizer: 'sgd', verbose: 0, callbacks: [new ReduceLROnPlateauCallback()] }))
      .toThrow(/fit: callbacks\[0\] \(ReduceLROnPlateauCallback\) monitors 'val_loss'.*no validation data/);
    expect(Array.from(model.parameters()[0]!.data)).toEqual(before);
  });

  it('bad options are typed errors naming the class', () => {
    expect(() => new ReduceLROnPlateauCallback({ factor: 1 })).toThrow(/ReduceLROnPlateauCallback: factor must be in \[0, 1\), got 1/);
    expect(() => new ReduceLROnPlateauCallback({ patience: -1 })).toThrow(/patience must be a non-negative integer/);
    expect(() => new ReduceLROnPlateauCallback({ cooldown: 0.5 })).toThrow(/cooldown/);
    expect(() => new ReduceLROnPlateauCallback({ minLr: -1 })).toThrow(/minLr must be a finite number >= 0/);
    expect(() => new ReduceLROnPlateauCallback({ mode: 'up' as never })).toThrow(/mode must be 'auto', 'min' or 'max'/);
    expect(() => new ReduceLROnPlateauCallback({ monitor: '' })).toThrow(/monitor must be a non-empty string/);
    expect(() => new ReduceLROnPlateauCallback(null as never)).toThrow(/options must be an object/);
    const cb = new ReduceLROnPlateauCallback();
    expect(() => cb.onEpochEnd(0, { val_loss: 1 }, undefined as never)).toThrow(/onEpochEnd before onTrainBegin/);
    expect(() => cb.onTrainBegin({}, { optimizer: {} } as never)).toThrow(/optimizer has paramGroups/);
  });

  it('the PyTorch scheduler is left as it was: PyTorch\'s patience through LearningRateScheduler', () => {
    const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: 1 });
    const s = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
    for (const v of [1, 1, 1]) s.step(v);
    // PyTorch reduces after patience + 1 = 2 bad epochs
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
  });
});

describe('TerminateOnNaN (already there): Keras\' semantics', () => {
  it('stops at the end of the first batch whose loss is NaN or infinite, and the epoch\'s logs still arrive', () => {
    const model = new Linear(1, 1);
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[1], [Infinity], [3], [4]].map((r) => r.map((v) => (Number.isFinite(v) ? v : 1e30))));
    const t = new TerminateOnNaN({ verbose: false });
    const epochs: number[] = [];
    const opt = new SGD(model.parameters(), { lr: 1e10 });
    fit(model, { x, y, loss: 'mse', optimizer: opt, epochs: 5, batchSize: 1, shuffle: false, verbose: 0, callbacks: [t, new LambdaCallback({ onEpochEnd: (e) => { epochs.push(e); } })] });
    expect(t.stoppedAt).not.toBeNull();
    expect(epochs).toEqual([t.stoppedAt!.epoch]);
    expect(Number.isFinite(t.stoppedAt!.loss)).toBe(false);
  });
});
