/**
 * The TensorBoard callback in a real fit(): what TensorBoard reads back (tb-read --strict) must be
 * the History's values (float32), the learning rate of each epoch, the batch logs at the global batch
 * count, and histograms of the weights (and gradients) as they were at the end of those epochs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Tensor, tensor } from '@memograd/autograd';
import { crossEntropy, Linear, ReLU, Sequential } from '@memograd/nn';
import { fit, LambdaCallback, LearningRateScheduler, SGD, StepLR, type History } from '@memograd/optim';
import { TensorBoard } from '@memograd/optim/node';
import { migrateHistogram, referenceHistogram, referenceTfBins, tbRead, tempDir, type TbReadResult } from './tensorboard-helpers.ts';

const N = 48;
const x = tensor(Float32Array.from({ length: N * 4 }, (_, i) => Math.sin(i * 1.7) + ((i % 4) - 1.5) * 0.3), { shape: [N, 4] });
const labels = Array.from({ length: N }, (_, i) => (x.data[i * 4]! + x.data[i * 4 + 1]! > 0 ? 1 : 0) + (x.data[i * 4 + 2]! > 0.5 ? 1 : 0));
const y = tensor(labels, { dtype: 'float32' });

let dir: string;
let history: History;
let res: TbReadResult;
let status: number;
let names: string[];
const snapshots: Array<Record<string, { w: number[]; g: number[] | null }>> = [];
const lrs: number[] = [];
const batchLosses: number[] = [];

beforeAll(() => {
  dir = tempDir();
  const model = new Sequential(new Linear(4, 8, { seed: 1 } as never), new ReLU(), new Linear(8, 3, { seed: 2 } as never));
  names = model.namedParameters().map(([n]) => n);
  const opt = new SGD(model.parameters(), { lr: 0.2 });
  const sched = new LearningRateScheduler(new StepLR(opt, 1, 0.5));
  history = fit(model, {
    x, y, loss: (p: Tensor, t: Tensor) => crossEntropy(p, t), optimizer: opt, epochs: 4, batchSize: 8, validationSplit: 0.25,
    metrics: ['accuracy'], verbose: 0, seed: 3,
    callbacks: [
      new LambdaCallback({
        onEpochBegin: () => { lrs.push(opt.paramGroups[0]!.lr); },
        onBatchEnd: (_b, logs) => { batchLosses.push(logs.loss!); },
        onEpochEnd: () => {
          snapshots.push(Object.fromEntries(model.namedParameters().map(([n, p]) => [n, { w: Array.from(p.data), g: p.grad ? Array.from(p.grad.data) : null }])));
        },
      }),
      // the scheduler first: it adds `lr` to the logs and steps the lr before TensorBoard's onEpochEnd
      sched,
      new TensorBoard({ logDir: join(dir, 'logs'), updateFreq: 2, histogramFreq: 2, writeGrads: true }),
    ],
  });
  const out = tbRead(join(dir, 'logs'));
  status = out.status;
  res = out.json!;
}, 300_000);

describe('TensorBoard callback in fit(), read back by tb-read --strict', () => {
  it('writes the train and validation runs, valid for TensorBoard', () => {
    expect(status).toBe(0);
    expect(res.errors).toEqual([]);
    expect(res.warnings).toEqual([]);
    expect(Object.keys(res.runs).sort()).toEqual(['train', 'validation']);
  });

  it('epoch scalars: train logs in train/, val_ logs in validation/ without the prefix, step = epoch', () => {
    const train = res.runs.train!.scalars;
    const val = res.runs.validation!.scalars;
    const h = history.history;
    const points = (vs: number[]) => vs.map((v, i) => [i, Math.fround(v)]);
    const of = (s: typeof train, tag: string) => s[tag]!.points.map((p) => [p.step, p.value]);
    expect(of(train, 'epoch_loss')).toEqual(points(h.loss!));
    expect(of(train, 'epoch_accuracy')).toEqual(points(h.accuracy!));
    expect(of(val, 'epoch_loss')).toEqual(points(h.val_loss!));
    expect(of(val, 'epoch_accuracy')).toEqual(points(h.val_accuracy!));
    expect(Object.keys(val).sort()).toEqual(['epoch_accuracy', 'epoch_loss']);
  });

  it('the learning rate of each epoch, read from the optimizer', () => {
    // StepLR halves it after each epoch (stepped before TensorBoard's onEpochEnd runs: the callback
    // writes the lr the epoch ran with, noted at the epoch's start)
    expect(lrs).toEqual([0.2, 0.1, 0.05, 0.025]);
    expect(res.runs.train!.scalars.epoch_learning_rate!.points.map((p) => [p.step, p.value])).toEqual(lrs.map((v, i) => [i, Math.fround(v)]));
    // LearningRateScheduler also adds `lr` to the logs, written like any other log
    expect(res.runs.train!.scalars.epoch_lr!.points.map((p) => p.value)).toEqual(lrs.map(Math.fround));
  });

  it('batch logs every updateFreq batches at the global batch count (from 1)', () => {
    // 36 training rows in batches of 8: 5 batches per epoch, 20 in all; every 2nd is written
    expect(batchLosses).toHaveLength(20);
    const pts = res.runs.train!.scalars.batch_loss!.points;
    expect(pts.map((p) => [p.step, p.value])).toEqual(batchLosses.map((v, i) => [i + 1, Math.fround(v)]).filter(([s]) => s! % 2 === 0));
    expect(res.runs.train!.scalars.batch_accuracy!.points).toHaveLength(10);
    expect(res.runs.train!.scalars.batch_learning_rate!.points).toHaveLength(10);
  });

  it('weight and gradient histograms every histogramFreq epochs, named by namedParameters()', () => {
    const hs = res.runs.train!.histograms;
    expect(Object.keys(hs).sort()).toEqual([...names.map((n) => `${n}/histogram`), ...names.map((n) => `${n}_grad`)].sort());
    for (const n of names) {
      for (const [tag, pick] of [[`${n}/histogram`, 'w'], [`${n}_grad`, 'g']] as const) {
        const steps = hs[tag]!.steps;
        expect(steps.map((s) => s.step)).toEqual([0, 2]);
        steps.forEach((s) => {
          const vals = snapshots[s.step]![n]![pick]!;
          expect(s.buckets, `${tag} at epoch ${s.step}`).toEqual(migrateHistogram(referenceHistogram(vals, referenceTfBins())));
        });
      }
    }
  });
});

describe('TensorBoard callback options', () => {
  it('rejects bad options with the class name', () => {
    expect.hasAssertions();
    const bad: unknown[] = [null, 3, { updateFreq: 0 }, { updateFreq: 'step' }, { histogramFreq: -1 }, { histogramFreq: 1.5 }, { writeGrads: 1 }, { logDir: '' }, { logDir: 5 }, { flushSecs: 0 }, { lodDir: 'x' }];
    for (const o of bad) expect(() => new TensorBoard(o as never), JSON.stringify(o)).toThrow(/^TensorBoard: /);
  });
  it('defaults to Keras\' settings', () => {
    const cb = new TensorBoard();
    expect([cb.logDir, cb.updateFreq, cb.histogramFreq, cb.writeGrads]).toEqual(['logs', 'epoch', 0, false]);
    expect(new TensorBoard({ updateFreq: 'batch' }).updateFreq).toBe(1);
  });
});
