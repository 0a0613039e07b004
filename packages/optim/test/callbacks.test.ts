import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@memograd/autograd';
import { Linear, mseLoss } from '@memograd/nn';
import {
  Callback, EarlyStopping, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau, SGD, StepLR, fit,
} from '../src/index.ts';
import type { EarlyStoppingOptions, Logs, TrainableModule, TrainingContext } from '../src/index.ts';

/**
 * A fake model whose weight records the epoch that produced it (the weight becomes epoch + 1 at
 * the end of each epoch), and whose validation loss is read from a given curve.
 */
class CurveModel implements TrainableModule {
  w = tensor([0], { requiresGrad: true });
  parameters(): Tensor[] { return [this.w]; }
  train(): this { return this; }
  eval(): this { return this; }
  call(x: Tensor): Tensor { return x.mul(this.w); }
  stateDict(): Record<string, Tensor> { return { w: this.w.detach().clone() }; }
  loadStateDict(s: Record<string, Tensor>): void { this.w.data.set(s.w!.data); }
  get value(): number { return this.w.data[0]!; }
}

const noStep = { step() {}, zeroGrad() {} };
const x = tensor([[1], [2], [3], [4]]);

/** Fits the fake model for `epochs` with `monitor` following `curve`; returns the run's facts. */
function runCurve(curve: number[], options: EarlyStoppingOptions, epochs = curve.length) {
  const model = new CurveModel();
  const monitor = options.monitor ?? 'val_loss';
  // runs before EarlyStopping (callbacks run in list order): write the curve, stamp the weights
  const setCurve = new LambdaCallback({
    onEpochEnd: (epoch, logs) => {
      logs[monitor] = curve[epoch]!;
      model.w.data[0] = epoch + 1;
    },
    logKeys: [monitor], // declared, so fit's up-front monitor check accepts it
  });
  const es = new EarlyStopping(options);
  const h = fit(model, { x, y: x, loss: mseLoss, optimizer: noStep, epochs, batchSize: 4, verbose: 0, callbacks: [setCurve, es] });
  return { es, epochsRun: h.epoch.length, weightEpoch: model.value - 1, h };
}

describe('EarlyStopping', () => {
  it('stops when the monitored value has not improved for `patience` epochs', () => {
    const curve = [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.5, 0.4];
    const p2 = runCurve(curve, { patience: 2 });
    expect(p2.es.bestEpoch).toBe(2);
    expect(p2.es.stoppedEpoch).toBe(4);
    expect(p2.epochsRun).toBe(5);
    const p3 = runCurve(curve, { patience: 3 });
    expect(p3.es.stoppedEpoch).toBe(5);
    const p4 = runCurve(curve, { patience: 4 });
    expect(p4.es.stoppedEpoch).toBe(-1); // epoch 6 improves in time
    expect(p4.epochsRun).toBe(8);
    expect(p4.es.bestEpoch).toBe(7);
  });

  it('patience 0 stops at the first epoch without improvement (never at epoch 0)', () => {
    const r = runCurve([1, 1, 0.5], { patience: 0 });
    expect(r.es.stoppedEpoch).toBe(1);
    expect(r.epochsRun).toBe(2);
  });

  it('an improvement must beat the best by more than minDelta', () => {
    const curve = [1.0, 0.95, 0.91, 0.88, 0.86, 0.5];
    // every step improves by >= 0.02, so with minDelta 0 nothing stops it
    expect(runCurve(curve, { patience: 1 }).es.stoppedEpoch).toBe(-1);
    // with minDelta 0.045: epoch 1 improves (0.05), epoch 2 (0.04 from 0.95) does not: stop at 2
    const r = runCurve(curve, { patience: 1, minDelta: 0.045 });
    expect(r.es.bestEpoch).toBe(1);
    expect(r.es.stoppedEpoch).toBe(2);
    // equal to best is not an improvement
    expect(runCurve([1, 1, 1], { patience: 1 }).es.stoppedEpoch).toBe(1);
    // the sign of minDelta does not matter (Keras takes its absolute value)
    expect(runCurve(curve, { patience: 1, minDelta: -0.045 }).es.stoppedEpoch).toBe(2);
  });

  it('mode max, and auto picks max for accuracy', () => {
    const acc = [0.5, 0.6, 0.65, 0.64, 0.63, 0.9];
    for (const mode of ['max', 'auto'] as const) {
      const r = runCurve(acc, { monitor: 'val_accuracy', patience: 2, mode });
      expect(r.es.mode).toBe('max');
      expect(r.es.bestEpoch).toBe(2);
      expect(r.es.stoppedEpoch).toBe(4);
    }
    // the same curve read as a loss (mode min) stops at once: epoch 1 is worse than epoch 0
    expect(runCurve(acc, { monitor: 'val_accuracy', patience: 0, mode: 'min' }).es.stoppedEpoch).toBe(1);
    expect(new EarlyStopping({ monitor: 'loss' }).mode).toBe('min');
  });

  it('restores the best weights when it stops early', () => {
    const r = runCurve([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.5], { patience: 2, restoreBestWeights: true });
    expect(r.es.stoppedEpoch).toBe(4);
    expect(r.weightEpoch).toBe(2);
    expect(r.es.restored).toBe(true);
  });

  it('restores the best weights also when training ends without stopping early', () => {
    const r = runCurve([1.0, 0.6, 0.9, 0.8], { patience: 5, restoreBestWeights: true });
    expect(r.es.stoppedEpoch).toBe(-1);
    expect(r.epochsRun).toBe(4);
    expect(r.weightEpoch).toBe(1);
    // without the option the last weights stay
    expect(runCurve([1.0, 0.6, 0.9, 0.8], { patience: 5 }).weightEpoch).toBe(3);
  });

  it('with a baseline, stops unless the baseline is beaten within patience', () => {
    // improvements that do not beat the baseline do not reset the wait (Keras 3): stop at epoch 2,
    // where without a baseline the wait restarts at epoch 1 and it stops at epoch 3
    const curve = [0.9, 0.8, 0.85, 0.82, 0.83];
    const r = runCurve(curve, { patience: 2, baseline: 0.5 });
    expect(r.es.stoppedEpoch).toBe(2);
    expect(r.es.bestEpoch).toBe(1);
    expect(runCurve(curve, { patience: 2 }).es.stoppedEpoch).toBe(3);
    expect(runCurve([0.9, 0.4, 0.45, 0.42, 0.41], { patience: 4, baseline: 0.5 }).es.stoppedEpoch).toBe(-1);
  });

  it('works on a real model and real validation loss (restored weights match the best epoch)', () => {
    const xs = tensor(Float32Array.from({ length: 40 }, (_, i) => i / 40), { shape: [40, 1] });
    const ys = xs.mul(2).add(1);
    const model = new Linear(1, 1);
    const snapshots: number[][] = [];
    const es = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    // an lr that makes SGD diverge after a few epochs, so validation loss turns up
    const h = fit(model, {
      x: xs, y: ys, loss: mseLoss, optimizer: new SGD(model.parameters(), { lr: 0.9 }), epochs: 30, batchSize: 40,
      validationSplit: 0.25, shuffle: false, verbose: 0,
      callbacks: [new LambdaCallback({ onEpochEnd: () => snapshots.push([model.weight.data[0]!, model.bias!.data[0]!]) }), es],
    });
    const vl = h.history.val_loss!;
    const best = vl.indexOf(Math.min(...vl));
    expect(es.bestEpoch).toBe(best);
    expect([model.weight.data[0], model.bias!.data[0]]).toEqual(snapshots[best]);
  });

  it('rejects bad options and a missing monitor', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/patience/);
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow(/mode/);
    const model = new CurveModel();
    expect(() => fit(model, { x, y: x, loss: mseLoss, optimizer: noStep, epochs: 1, verbose: 0, callbacks: [new EarlyStopping()] }))
      .toThrow(/EarlyStopping\) monitors 'val_loss', which will not be in the logs; they will have: loss \(there is no validation data/);
  });
});

describe('callbacks', () => {
  it('hooks run in order: train, epoch, batch; in the order given', () => {
    const events: string[] = [];
    class Recorder extends Callback {
      constructor(readonly tag: string) { super(); }
      override onTrainBegin(): void { events.push(`${this.tag}:trainBegin`); }
      override onEpochBegin(e: number): void { events.push(`${this.tag}:epochBegin ${e}`); }
      override onBatchBegin(b: number): void { events.push(`${this.tag}:batchBegin ${b}`); }
      override onBatchEnd(b: number, logs: Logs): void { events.push(`${this.tag}:batchEnd ${b} ${'loss' in logs}`); }
      override onEpochEnd(e: number, logs: Logs): void { events.push(`${this.tag}:epochEnd ${e} ${Object.keys(logs).join(',')}`); }
      override onTrainEnd(): void { events.push(`${this.tag}:trainEnd`); }
    }
    const model = new CurveModel();
    fit(model, { x, y: x, loss: mseLoss, optimizer: noStep, epochs: 2, batchSize: 2, shuffle: false, verbose: 0, validationSplit: 0.25, callbacks: [new Recorder('a'), { onEpochEnd: (e) => events.push(`b:epochEnd ${e}`) }] });
    // 3 training rows, batch 2: batches 0 and 1
    expect(events).toEqual([
      'a:trainBegin',
      'a:epochBegin 0', 'a:batchBegin 0', 'a:batchEnd 0 true', 'a:batchBegin 1', 'a:batchEnd 1 true', 'a:epochEnd 0 loss,val_loss', 'b:epochEnd 0',
      'a:epochBegin 1', 'a:batchBegin 0', 'a:batchEnd 0 true', 'a:batchBegin 1', 'a:batchEnd 1 true', 'a:epochEnd 1 loss,val_loss', 'b:epochEnd 1',
      'a:trainEnd',
    ]);
  });

  it('a callback can stop training through the context', () => {
    const model = new CurveModel();
    let seen: TrainingContext | null = null;
    const h = fit(model, {
      x, y: x, loss: mseLoss, optimizer: noStep, epochs: 10, verbose: 0,
      callbacks: [new LambdaCallback({ onEpochEnd: (e, _l, ctx) => { seen = ctx; if (e === 2) ctx.stopTraining = true; } })],
    });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(seen!.model).toBe(model);
    expect(seen!.iteration).toBe(3);
  });

  it('LearningRateScheduler steps an LRScheduler each epoch and logs lr', () => {
    const model = new Linear(1, 1);
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const h = fit(model, {
      x, y: x, loss: mseLoss, optimizer: opt, epochs: 5, verbose: 0,
      callbacks: [new LearningRateScheduler(new StepLR(opt, 2, 0.5))],
    });
    expect(h.history.lr!.map((v) => +v.toFixed(6))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('LearningRateScheduler with a function (epoch, lr) => lr, as in Keras', () => {
    const model = new Linear(1, 1);
    const opt = new SGD(model.parameters(), { lr: 1 });
    const h = fit(model, {
      x, y: x, loss: mseLoss, optimizer: opt, epochs: 3, verbose: 0,
      callbacks: [new LearningRateScheduler((epoch, lr) => (epoch === 0 ? 0.01 : lr * 0.1))],
    });
    expect(h.history.lr!.map((v) => +v.toPrecision(6))).toEqual([0.01, 0.001, 0.0001]);
  });

  it('LearningRateScheduler feeds ReduceLROnPlateau the monitored value', () => {
    const model = new CurveModel();
    const opt = new SGD([model.w], { lr: 1 });
    const curve = [1, 0.5, 0.5, 0.5, 0.5, 0.5];
    const plateau = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
    const h = fit(model, {
      x, y: x, loss: mseLoss, optimizer: noStep, epochs: curve.length, verbose: 0,
      callbacks: [new LambdaCallback({ onEpochEnd: (e, logs) => { logs.val_loss = curve[e]!; } }), new LearningRateScheduler(plateau)],
    });
    // lr in use per epoch; the plateau starts at epoch 2, patience 1 -> halved after epochs 3 and 5
    expect(h.history.lr).toEqual([1, 1, 1, 1, 0.5, 0.5]);
    expect(opt.paramGroups[0]!.lr).toBe(0.25);
  });
});
