/**
 * A Keras-style training loop: `fit()`, `evaluate()` and `predict()` over tensors whose rows are
 * samples.
 *
 * Batch size picks the flavour of gradient descent: 1 is stochastic (one update per sample),
 * the dataset size is batch gradient descent (one update per epoch), anything between is
 * mini-batch (the last, partial batch is kept: ceil(N / batchSize) updates per epoch).
 */
import { argumentError, describe } from './util.ts';
import { ArgumentError, Generator, Tensor, cat, noGrad } from '@memograd/autograd';
import { CallbackList, History } from './callbacks.ts';
import type { CallbackHooks, Logs } from './callbacks.ts';
import { ProgressBar } from './progress.ts';
import { UnknownNameError, isLossName, isOptimizerName, lossFromName, optimizerFromName, LOSS_NAMES, OPTIMIZER_NAMES } from './names.ts';
import type { LossName, OptimizerName } from './names.ts';
import type { Verbosity } from './progress.ts';

/** What `fit()` needs of a model; `@memograd/nn`'s `Module` has all of it. */
export interface TrainableModule {
  /** The trainable parameters. */
  parameters(): Tensor[];
  /** Switches to training mode (dropout on, batch statistics). */
  train(mode?: boolean): unknown;
  /** Switches to evaluation mode. */
  eval(): unknown;
  /** Runs the forward pass. */
  call(x: Tensor): Tensor;
  /** The parameters and buffers by name. */
  stateDict(): Record<string, Tensor>;
  /** Restores parameters and buffers from `stateDict()`'s output. */
  loadStateDict(s: Record<string, Tensor>): unknown;
  /**
   * The sum of the model's regularization penalties (e.g. Dense's `kernelRegularizer`), a scalar
   * tensor; `fit` adds it to the training loss and `fit`/`evaluate` to the reported losses, as Keras
   * does with `model.losses`. `@memograd/nn`'s Module has it.
   */
  regularizationLoss?(): Tensor;
}

/**
 * The model's regularization penalty, or null when it has none (no `regularizationLoss`, or a
 * constant zero), so that models without regularizers pay nothing for it.
 */
function penaltyOf(op: string, model: TrainableModule): Tensor | null {
  const f = (model as { regularizationLoss?: unknown }).regularizationLoss;
  if (typeof f !== 'function') return null;
  const r: unknown = f.call(model);
  if (!(r instanceof Tensor) || r.size !== 1) {
    throw argumentError(`${op}: model.regularizationLoss() must return a scalar Tensor, got ${r instanceof Tensor ? `shape [${r.shape.join(', ')}]` : typeof r}`);
  }
  if (!r.requiresGrad && r.item() === 0) return null;
  return r;
}

/** `loss + penalty`, in the loss's dtype. */
function withPenalty(loss: Tensor, penalty: Tensor | null): Tensor {
  if (penalty === null) return loss;
  return loss.add(penalty.dtype === loss.dtype ? penalty.reshape(loss.shape) : penalty.to(loss.dtype).reshape(loss.shape));
}

/** What `fit()` needs of an optimizer. */
export interface OptimizerLike {
  /** Updates the parameters from their gradients. */
  step(): unknown;
  /** Clears the parameters' gradients. */
  zeroGrad(): unknown;
}

/** A scalar loss of predictions and targets, such as `crossEntropy` or `mseLoss`. */
export type LossFn = (pred: Tensor, target: Tensor) => Tensor;
/** A loss function, or a loss object such as `new CrossEntropyLoss()` (anything with `call(pred, target)`). */
export type LossLike = LossFn | {
  /** Computes the loss of predictions against targets. */
  call(pred: Tensor, target: Tensor): Tensor;
};

function lossFunction(loss: unknown, op: string): LossFn {
  let f: LossFn | undefined;
  if (typeof loss === 'string') {
    // a Keras name: the table's functions check their own arguments and return a scalar
    if (!isLossName(loss)) throw new UnknownNameError(op, 'loss', loss, LOSS_NAMES);
    return lossFromName(loss);
  }
  if (typeof loss === 'function') f = loss as LossFn;
  else if (loss !== null && typeof loss === 'object' && typeof (loss as { call?: unknown }).call === 'function') {
    const obj = loss as { call(pred: Tensor, target: Tensor): Tensor };
    f = (pred, target) => obj.call(pred, target);
  }
  if (f !== undefined) {
    const fn = f;
    // a user's loss may return anything: check it here, for fit and evaluate alike
    return (pred, target) => {
      const r: unknown = fn(pred, target);
      if (!(r instanceof Tensor) || r.size !== 1) {
        throw argumentError(`${op}: the loss must return a scalar Tensor, got ${r instanceof Tensor ? `shape [${r.shape.join(', ')}]` : describe(r)}`);
      }
      return r;
    };
  }
  const given = loss === undefined ? ' (the options have no loss)' : `, got ${describe(loss)}`;
  throw argumentError(`${op}: loss must be a loss name ('mse', 'binary_crossentropy', ...), a function (pred, target) => scalar Tensor or a loss object such as new CrossEntropyLoss()${given}`);
}

/** A metric on one batch; `fit()` averages it over samples (weighted by batch size). */
export interface MetricSpec {
  /** The metric's name in the logs. */
  name: string;
  /** Computes the metric on one batch. */
  fn: (pred: Tensor, target: Tensor) => number;
}

/**
 * Named metrics: 'accuracy' (alias 'acc') and every loss name of `LOSS_NAMES` ('mse', 'mae',
 * 'binary_crossentropy', ...: the loss's value, as Keras allows losses as metrics); or your own
 * `MetricSpec`.
 */
export type Metric = 'accuracy' | 'acc' | LossName | MetricSpec;

/** How accuracy reads binary predictions. */
export interface AccuracyOptions {
  /**
   * For binary targets (one output per sample): whether predictions are logits (positive means
   * class 1) rather than probabilities (above 0.5 means class 1). Default false.
   */
  fromLogits?: boolean;
  /** Explicit threshold for binary predictions (overrides `fromLogits`). */
  threshold?: number;
}

/** What callbacks see during `fit()`: the model, the optimizer and the progress. */
export interface TrainingContext {
  /** The model being trained. */
  model: TrainableModule;
  /** The optimizer. */
  optimizer: OptimizerLike;
  /** Number of epochs requested. */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** Training samples (after the validation split). */
  samples: number;
  /**
   * Set to true (from a callback) to stop training: set in an epoch hook, after the current epoch;
   * set in `onBatchEnd`, after the current batch (the epoch's logs still reach `onEpochEnd`).
   */
  stopTraining: boolean;
  /** The epoch being run (0-based). */
  epoch: number;
  /** Optimizer steps taken so far. */
  iteration: number;
}

/** Options of `fit()`: data, loss, optimizer and Keras-style `model.fit` settings. */
export interface FitOptions extends AccuracyOptions {
  /** Training inputs, one sample per row. */
  x: Tensor;
  /** Training targets, one per sample. */
  y: Tensor;
  /**
   * The loss to minimize: a Keras name ('mse', 'binary_crossentropy', ... see `LOSS_NAMES` and
   * `lossFromName`), a function or a loss object.
   */
  loss: LossLike | LossName;
  /**
   * The optimizer that updates the model's parameters, or a Keras name ('adam', 'sgd', ... see
   * `OPTIMIZER_NAMES`): `fit` then builds it over `model.parameters()` with Keras' defaults
   * (`optimizerFromName`), afresh on every call (build it once with `optimizerFromName` to keep its
   * state across calls, as Keras keeps a compiled model's). The built optimizer is
   * `TrainingContext.optimizer`.
   */
  optimizer: OptimizerLike | OptimizerName;
  /** Default 1. */
  epochs?: number;
  /** Default 32 (Keras), capped at the number of samples. */
  batchSize?: number;
  /** Reshuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling generator (ignored when `generator` is given). */
  seed?: number;
  /** The generator for shuffling (default: a new one from `seed`). */
  generator?: Generator;
  /** Fraction in [0, 1) of the rows, taken from the END before shuffling, used for validation. */
  validationSplit?: number;
  /** Validation inputs and targets, evaluated after every epoch (overrides validationSplit). */
  validationData?: [Tensor, Tensor] | {
    /** Validation inputs. */
    x: Tensor;
    /** Validation targets. */
    y: Tensor;
  };
  /** Metrics to report besides the loss (default none), e.g. ['accuracy']. */
  metrics?: readonly Metric[];
  /** Callbacks to run (a History is always added). */
  callbacks?: readonly CallbackHooks[];
  /** 0 silent, 1 progress bar (one line per epoch when not a TTY), 2 one line per epoch. Default 1. */
  verbose?: Verbosity;
  /** Batch size for validation (default: max(batchSize, 256)). */
  validationBatchSize?: number;
  /** Called after backward and before `optimizer.step()`, e.g. for `clipGradNorm`. */
  beforeStep?: (ctx: TrainingContext) => void;
}

/** What `fit()` returns: the per-epoch logs. */
export type FitHistory = History;

function fail(msg: string): never {
  throw argumentError(`fit: ${msg}`);
}

function rows(t: Tensor): number {
  return t.rank === 0 ? 0 : t.shape[0]!;
}

function checkTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw argumentError(`${op}: ${name} must be a Tensor (rows = samples), got ${t === null ? 'null' : typeof t}`);
  if (t.rank === 0) throw argumentError(`${op}: ${name} must have at least one axis (rows = samples), got a 0-d tensor`);
}

function checkXY(op: string, x: unknown, y: unknown, what = 'x and y'): void {
  checkTensor(op, what === 'x and y' ? 'x' : `${what} x`, x);
  checkTensor(op, what === 'x and y' ? 'y' : `${what} y`, y);
  if (rows(x) !== rows(y)) {
    throw argumentError(`${op}: ${what} must have the same number of rows (samples), got ${rows(x)} and ${rows(y)}`);
  }
}

function checkBatchSize(op: string, b: unknown): number {
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 1) throw argumentError(`${op}: batchSize must be an integer >= 1, got ${describe(b)}`);
  return b;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

function take(t: Tensor, idx: readonly number[]): Tensor {
  return t.indexSelect(0, Int32Array.from(idx));
}

/** The rows [start, end) of t (a view-free copy; shares nothing with the graph). */
function rowsOf(t: Tensor, start: number, end: number): Tensor {
  if (start === 0 && end === rows(t)) return t;
  return take(t, range(start, end));
}

// ---------------------------------------------------------------------------------------------
// metrics

/**
 * Fraction of correct predictions in a batch:
 * - class indices [N] against scores [N, C]: argmax of each row equals the label;
 * - one-hot / probabilities [N, C] against scores [N, C] (C > 1): argmaxes agree;
 * - binary targets (one value per sample) against one score per sample: the score above the
 *   threshold (0.5 for probabilities, 0 for logits) equals target > 0.5.
 */
export function accuracy(pred: Tensor, target: Tensor, options: AccuracyOptions = {}): number {
  if (!(pred instanceof Tensor) || !(target instanceof Tensor)) throw argumentError(`accuracy: pred and target must be Tensors, got ${typeof pred} and ${typeof target}`);
  if (options === null || typeof options !== 'object') throw argumentError(`accuracy: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const n = rows(pred);
  if (n === 0) return NaN;
  const p = pred.data;
  const t = target.data;
  const perRowP = p.length / n;
  const perRowT = t.length / n;
  let correct = 0;
  if (perRowP > 1 && (perRowT === 1 || perRowT === perRowP)) {
    for (let i = 0; i < n; i++) {
      const predClass = argmaxRow(p, i * perRowP, perRowP);
      const label = perRowT === 1 ? Math.round(t[i]!) : argmaxRow(t, i * perRowT, perRowT);
      if (predClass === label) correct++;
    }
    return correct / n;
  }
  if (perRowP !== perRowT) {
    throw argumentError(`accuracy: cannot compare predictions of shape [${pred.shape.join(', ')}] with targets of shape [${target.shape.join(', ')}]`);
  }
  const threshold = options.threshold ?? (options.fromLogits ? 0 : 0.5);
  for (let i = 0; i < p.length; i++) {
    if ((p[i]! > threshold) === (t[i]! > 0.5)) correct++;
  }
  return correct / p.length;
}

function argmaxRow(a: ArrayLike<number>, off: number, len: number): number {
  let best = 0;
  let v = a[off]!;
  for (let j = 1; j < len; j++) {
    if (a[off + j]! > v) {
      v = a[off + j]!;
      best = j;
    }
  }
  return best;
}

function resolveMetrics(op: string, metrics: readonly Metric[], acc: AccuracyOptions): MetricSpec[] {
  if (!Array.isArray(metrics)) throw argumentError(`${op}: metrics must be an array`);
  const out = metrics.map((m): MetricSpec => {
    if (m === 'accuracy' || m === 'acc') return { name: m, fn: (p, t) => accuracy(p, t, acc) };
    // every other name is a loss of the one name table, logged under the name given (Keras)
    if (isLossName(m)) {
      const loss = lossFromName(m);
      return { name: m, fn: (p, t) => noGrad(() => loss(p, t).item()) };
    }
    if (m !== null && typeof m === 'object' && typeof m.name === 'string' && typeof m.fn === 'function') return m;
    throw new UnknownNameError(op, 'metric', m, ['accuracy', 'acc', ...LOSS_NAMES, '{ name, fn }']);
  });
  const names = new Set<string>();
  for (const m of out) {
    if (m.name === 'loss' || names.has(m.name)) throw argumentError(`${op}: duplicate metric name '${m.name}'`);
    names.add(m.name);
  }
  return out;
}

/** Sample-weighted running means of the loss and metrics. */
class Accumulator {
  private sums = new Map<string, number>();
  private count = 0;
  constructor(private readonly metrics: readonly MetricSpec[]) {}
  add(loss: number, pred: Tensor, target: Tensor): void {
    const n = rows(pred);
    this.count += n;
    this.sums.set('loss', (this.sums.get('loss') ?? 0) + loss * n);
    for (const m of this.metrics) this.sums.set(m.name, (this.sums.get(m.name) ?? 0) + m.fn(pred, target) * n);
  }
  logs(prefix = ''): Logs {
    const out: Logs = {};
    for (const [k, s] of this.sums) out[prefix + k] = s / this.count;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// evaluate / predict

/** Options of `evaluate()`. */
export interface EvaluateOptions extends AccuracyOptions {
  /** The loss to report: a Keras name ('mse', 'binary_crossentropy', ...), a function or a loss object. */
  loss: LossLike | LossName;
  /** Default 256. */
  batchSize?: number;
  /** Metrics to report besides the loss. */
  metrics?: readonly Metric[];
}

function checkModel(op: string, model: unknown): asserts model is TrainableModule {
  const m = model as Partial<Record<'call' | 'parameters' | 'train' | 'eval', unknown>> | null;
  if (m === null || typeof m !== 'object' || typeof m.call !== 'function' || typeof m.parameters !== 'function' || typeof m.train !== 'function' || typeof m.eval !== 'function') {
    throw argumentError(`${op}: model must have call(x), parameters(), train() and eval() (a @memograd/nn Module)`);
  }
}

function setMode(model: TrainableModule, training: boolean): () => void {
  const was = (model as { training?: unknown }).training;
  if (training) model.train(true);
  else model.eval();
  return () => {
    if (typeof was === 'boolean') {
      if (was) model.train(true);
      else model.eval();
    }
  };
}

function evaluateBatches(op: string, model: TrainableModule, x: Tensor, y: Tensor, loss: LossFn, batchSize: number, metrics: readonly MetricSpec[], prefix: string): Logs {
  const acc = new Accumulator(metrics);
  const n = rows(x);
  noGrad(() => {
    // the weights do not change during evaluation: one penalty for every batch (Keras adds model.losses)
    const penalty = penaltyOf(op, model);
    const extra = penalty === null ? 0 : penalty.item();
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const xb = rowsOf(x, start, end);
      const yb = rowsOf(y, start, end);
      const pred = model.call(xb);
      acc.add(loss(pred, yb).item() + extra, pred, yb);
    }
  });
  return acc.logs(prefix);
}

/**
 * Loss and metrics over (x, y), in eval mode and without recording gradients. The loss includes the
 * model's `regularizationLoss()` (as Keras' `evaluate` includes `model.losses`).
 */
export function evaluate(model: TrainableModule, x: Tensor, y: Tensor, options: EvaluateOptions): Logs {
  checkModel('evaluate', model);
  if (options === null || typeof options !== 'object') throw argumentError(`evaluate: options must be an object with a loss, got ${options === null ? 'null' : typeof options}`);
  checkXY('evaluate', x, y);
  const lossFn = lossFunction(options?.loss, 'evaluate');
  const batchSize = checkBatchSize('evaluate', options.batchSize ?? 256);
  const metrics = resolveMetrics('evaluate', options.metrics ?? [], options);
  if (rows(x) === 0) throw argumentError('evaluate: x has no rows');
  const restore = setMode(model, false);
  try {
    return evaluateBatches('evaluate', model, x, y, lossFn, batchSize, metrics, '');
  } finally {
    restore();
  }
}

/** The model's outputs for every row of x, batch by batch, in eval mode and without gradients. */
export function predict(model: TrainableModule, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  checkModel('predict', model);
  if (options === null || typeof options !== 'object') throw argumentError(`predict: options must be an object, got ${options === null ? 'null' : typeof options}`);
  checkTensor('predict', 'x', x);
  const batchSize = checkBatchSize('predict', options.batchSize ?? 256);
  const n = rows(x);
  if (n === 0) throw argumentError('predict: x has no rows');
  const restore = setMode(model, false);
  try {
    return noGrad(() => {
      const outs: Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) outs.push(model.call(rowsOf(x, start, Math.min(n, start + batchSize))));
      return outs.length === 1 ? outs[0]! : cat(outs, 0);
    });
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------------------------------------
// fit

/**
 * Trains `model` on (x, y) for `epochs` epochs and returns the `History` of per-epoch logs
 * (`loss`, each metric, and `val_` + those when there is validation data).
 *
 * Each step: `optimizer.zeroGrad()`, forward, loss, `backward()`, `optimizer.step()`. The model
 * is in training mode during an epoch and in eval mode, under `noGrad`, for validation; it is
 * left in eval mode.
 *
 * @example
 * const h = fit(model, { x, y, loss: crossEntropy, optimizer: new Adam(model.parameters()),
 *   epochs: 5, batchSize: 128, metrics: ['accuracy'], validationSplit: 0.1, seed: 0 });
 * h.history.val_accuracy;
 */
export function fit(model: TrainableModule, options: FitOptions): History {
  checkModel('fit', model);
  if (options === null || typeof options !== 'object') throw argumentError('fit: options must be an object');
  checkXY('fit', options.x, options.y);
  // the data are constants: rows taken from a tensor that requires grad would chain every batch's
  // graph to one shared row-selection node, which the first backward releases
  const x = options.x.detach();
  const y = options.y.detach();
  const loss = lossFunction(options.loss, 'fit');
  const optimizer = resolveOptimizer(model, options.optimizer);
  const epochs = options.epochs ?? 1;
  // a safe integer: past 2^53 a count of epochs never ends (e + 1 === e)
  if (typeof epochs !== 'number' || !Number.isSafeInteger(epochs) || epochs < 0) fail(`epochs must be an integer from 0 to 2^53 - 1, got ${describe(epochs)}`);
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) fail(`validationSplit must be in [0, 1), got ${describe(split)}`);
  if (split > 0 && options.validationData !== undefined) fail('give either validationSplit or validationData, not both');
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) fail(`verbose must be 0, 1 or 2, got ${describe(verbose)}`);
  const metrics = resolveMetrics('fit', options.metrics ?? [], options);
  if (options.beforeStep !== undefined && typeof options.beforeStep !== 'function') fail(`beforeStep must be a function, got ${options.beforeStep === null ? 'null' : typeof options.beforeStep}`);

  // validation data: the LAST rows, before any shuffling (Keras)
  const total = rows(x);
  let xTrain = x;
  let yTrain = y;
  let xVal: Tensor | null = null;
  let yVal: Tensor | null = null;
  if (split > 0) {
    const nVal = Math.floor(total * split);
    const nTrain = total - nVal;
    if (nVal === 0 || nTrain === 0) {
      fail(`validationSplit ${split} of ${total} rows leaves ${nTrain} for training and ${nVal} for validation; both need at least one`);
    }
    xTrain = rowsOf(x, 0, nTrain);
    yTrain = rowsOf(y, 0, nTrain);
    xVal = rowsOf(x, nTrain, total);
    yVal = rowsOf(y, nTrain, total);
  } else if (options.validationData !== undefined) {
    const vd = options.validationData;
    if (vd === null || typeof vd !== 'object') fail(`validationData must be [x, y] or { x, y }, got ${vd === null ? 'null' : typeof vd}`);
    const [vx, vy] = Array.isArray(vd) ? vd : [(vd as { x: Tensor }).x, (vd as { y: Tensor }).y];
    checkXY('fit', vx, vy, 'validationData');
    if (rows(vx) === 0) fail('validationData has no rows');
    xVal = vx.detach();
    yVal = vy.detach();
  }
  const n = rows(xTrain);
  if (n === 0) fail('x has no rows');
  const batchSize = Math.min(checkBatchSize('fit', options.batchSize ?? 32), n);
  const valBatchSize = checkBatchSize('fit', options.validationBatchSize ?? Math.max(batchSize, 256));
  const steps = Math.ceil(n / batchSize);
  const shuffle = options.shuffle ?? true;
  const gen = options.generator ?? new Generator(options.seed ?? Math.floor(Math.random() * 2 ** 31));

  if (options.callbacks !== undefined && !Array.isArray(options.callbacks)) fail(`callbacks must be an array of callback objects, got ${options.callbacks === null ? 'null' : typeof options.callbacks}`);
  const history = new History();
  const callbacks = new CallbackList([...(options.callbacks ?? []), history], 'fit'); // History last: it sees logs the others add
  // every monitored log key must exist before a single weight changes
  checkMonitors(callbacks.callbacks, expectedLogKeys(metrics, xVal !== null, callbacks.callbacks));
  const ctx: TrainingContext = { model, optimizer, epochs, steps, samples: n, stopTraining: false, epoch: 0, iteration: 0 };
  const progress = new ProgressBar({ epochs, steps, verbose });
  const restoreMode = setMode(model, true);
  let finished = false;
  try {
    callbacks.setContext(ctx);
    callbacks.trainBegin({}, ctx);
    let lastLogs: Logs = {};
    let warnedNonFinite = false;
    for (let epoch = 0; epoch < epochs && !ctx.stopTraining; epoch++) {
      ctx.epoch = epoch;
      callbacks.epochBegin(epoch, {}, ctx);
      progress.epochBegin(epoch);
      model.train(true);
      const order = shuffle ? gen.permutation(n) : null;
      const acc = new Accumulator(metrics);
      for (let b = 0; b < steps && !ctx.stopTraining; b++) {
        const start = b * batchSize;
        const end = Math.min(n, start + batchSize);
        let xb: Tensor;
        let yb: Tensor;
        if (order) {
          const idx = order.slice(start, end);
          xb = take(xTrain, idx);
          yb = take(yTrain, idx);
        } else {
          xb = rowsOf(xTrain, start, end);
          yb = rowsOf(yTrain, start, end);
        }
        callbacks.batchBegin(b, { batch: b, size: end - start }, ctx);
        optimizer.zeroGrad();
        const pred = model.call(xb);
        const dataLoss = loss(pred, yb);
        if (!(dataLoss instanceof Tensor) || dataLoss.size !== 1) {
          throw argumentError(`fit: the loss must return a scalar Tensor, got ${dataLoss instanceof Tensor ? `shape [${dataLoss.shape.join(', ')}]` : describe(dataLoss)}`);
        }
        // Keras: the training loss is the data loss plus every layer's regularization penalty
        const l = withPenalty(dataLoss, penaltyOf('fit', model));
        l.backward();
        options.beforeStep?.(ctx);
        optimizer.step();
        ctx.iteration++;
        const lossValue = l.item();
        if (!Number.isFinite(lossValue) && !warnedNonFinite && verbose >= 1) {
          warnedNonFinite = true;
          console.warn(`fit: the loss became ${lossValue} at epoch ${epoch + 1}, batch ${b + 1}; the weights are probably ${Number.isNaN(lossValue) ? 'NaN' : 'diverging'} (add TerminateOnNaN to stop training there)`);
        }
        noGrad(() => acc.add(lossValue, pred.detach(), yb));
        const running = acc.logs();
        callbacks.batchEnd(b, { batch: b, size: end - start, ...running }, ctx);
        progress.update(b, running);
      }
      const logs: Logs = acc.logs();
      if (xVal !== null && yVal !== null) {
        model.eval();
        Object.assign(logs, evaluateBatches('fit', model, xVal, yVal, loss, valBatchSize, metrics, 'val_'));
        model.train(true);
      }
      callbacks.epochEnd(epoch, logs, ctx);
      progress.epochEnd(logs);
      lastLogs = logs;
    }
    model.eval();
    callbacks.trainEnd(lastLogs, ctx);
    finished = true;
  } finally {
    // on a throw, put the model back in the mode it had before fit (on success it is left in eval mode)
    if (!finished) restoreMode();
  }
  return history;
}

/**
 * The optimizer of `fit`'s options: an optimizer object, or a Keras name built over the model's
 * parameters with Keras' defaults.
 */
function resolveOptimizer(model: TrainableModule, optimizer: unknown, op = 'fit'): OptimizerLike {
  if (typeof optimizer === 'string') {
    if (!isOptimizerName(optimizer)) throw new UnknownNameError(op, 'optimizer', optimizer, OPTIMIZER_NAMES);
    return optimizerFromName(optimizer, model.parameters() as never);
  }
  const o = optimizer as Partial<OptimizerLike> | null;
  if (o === null || typeof o !== 'object' || typeof o.step !== 'function' || typeof o.zeroGrad !== 'function') {
    throw argumentError(`${op}: optimizer must be an optimizer name (${OPTIMIZER_NAMES.slice(0, 8).join(', ')}) or an object with step() and zeroGrad(), got ${describe(optimizer)}`);
  }
  return o as OptimizerLike;
}

/** The keys the epoch logs will have: loss and the metrics, their `val_` twins, and what callbacks add. */
function expectedLogKeys(metrics: readonly MetricSpec[], validation: boolean, callbacks: readonly CallbackHooks[]): string[] {
  const base = ['loss', ...metrics.map((m) => m.name)];
  const keys = validation ? [...base, ...base.map((k) => `val_${k}`)] : base;
  for (const cb of callbacks) {
    const extra = (cb as { logKeys?: unknown }).logKeys;
    if (Array.isArray(extra)) for (const k of extra) if (typeof k === 'string' && !keys.includes(k)) keys.push(k);
  }
  return keys;
}

/** Every callback with a string `monitor` must watch a key the logs will have. */
function checkMonitors(callbacks: readonly CallbackHooks[], keys: readonly string[]): void {
  callbacks.forEach((cb, i) => {
    const monitor = (cb as { monitor?: unknown }).monitor;
    if (typeof monitor !== 'string' || keys.includes(monitor)) return;
    const name = (cb as object).constructor?.name ?? 'callback';
    const hint = monitor.startsWith('val_') && !keys.some((k) => k.startsWith('val_')) ? ' (there is no validation data: give validationData or validationSplit)' : '';
    throw new ArgumentError('fit', `callbacks[${i}] (${name}) monitors '${monitor}', which will not be in the logs; they will have: ${keys.join(', ')}${hint}`);
  });
}

// ---------------------------------------------------------------------------------------------
// compile: Keras' model.compile, as a small object holding what fit and evaluate share

/** Options of `compile()`: what Keras' `model.compile` takes. */
export interface CompileOptions extends AccuracyOptions {
  /** An optimizer, or a Keras name ('adam', ...) built once over the model's parameters. */
  optimizer: OptimizerLike | OptimizerName;
  /** The loss: a Keras name ('binary_crossentropy', ...), a function or a loss object. */
  loss: LossLike | LossName;
  /** Metrics reported by `fit` and `evaluate`, e.g. ['accuracy']. */
  metrics?: readonly Metric[];
}

/** What `CompiledModel.fit` takes besides x and y: `fit()`'s options without the compiled ones. */
export type CompiledFitOptions = Omit<FitOptions, 'x' | 'y' | 'loss' | 'optimizer' | 'metrics' | 'fromLogits' | 'threshold'>;

/**
 * A model with its optimizer, loss and metrics, as Keras' `model.compile(...)` leaves it: `fit`,
 * `evaluate` and `predict` take only the data and the per-call settings. The optimizer is built
 * once (from a name, with Keras' defaults), so repeated `fit` calls continue its state (Adam's
 * moments, step counts), as repeated `model.fit` calls do in Keras.
 *
 * @example
 * const m = compile(model, { optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 * m.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
 * m.evaluate(xTest, yTest).accuracy;
 */
export class CompiledModel<M extends TrainableModule = TrainableModule> {
  /** The model. */
  readonly model: M;
  /** The optimizer, built once. */
  readonly optimizer: OptimizerLike;
  /** The loss, as given. */
  readonly loss: LossLike | LossName;
  /** The metrics, as given. */
  readonly metrics: readonly Metric[];
  /** How accuracy reads binary predictions. */
  readonly accuracyOptions: AccuracyOptions;

  constructor(model: M, options: CompileOptions) {
    checkModel('compile', model);
    if (options === null || typeof options !== 'object') throw argumentError(`compile: options must be an object with an optimizer and a loss, got ${describe(options)}`);
    // checked now, as Keras' compile does, so that a typo fails before any training
    lossFunction(options.loss, 'compile');
    const acc: AccuracyOptions = {};
    if (options.fromLogits !== undefined) acc.fromLogits = options.fromLogits;
    if (options.threshold !== undefined) acc.threshold = options.threshold;
    const metrics = options.metrics ?? [];
    resolveMetrics('compile', metrics, acc);
    this.model = model;
    this.optimizer = resolveOptimizer(model, options.optimizer, 'compile');
    this.loss = options.loss;
    this.metrics = [...metrics];
    this.accuracyOptions = acc;
  }

  /** `fit(model, { x, y, loss, optimizer, metrics, ...options })` with the compiled settings. */
  fit(x: Tensor, y: Tensor, options: CompiledFitOptions = {}): History {
    if (options === null || typeof options !== 'object') throw argumentError(`CompiledModel.fit: options must be an object, got ${describe(options)}`);
    return fit(this.model, { ...options, ...this.accuracyOptions, x, y, loss: this.loss, optimizer: this.optimizer, metrics: this.metrics });
  }

  /** `evaluate(model, x, y, { loss, metrics, ...options })` with the compiled settings. */
  evaluate(x: Tensor, y: Tensor, options: { batchSize?: number } = {}): Logs {
    if (options === null || typeof options !== 'object') throw argumentError(`CompiledModel.evaluate: options must be an object, got ${describe(options)}`);
    return evaluate(this.model, x, y, { ...options, ...this.accuracyOptions, loss: this.loss, metrics: this.metrics });
  }

  /** `predict(model, x, options)`. */
  predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    return predict(this.model, x, options);
  }
}

/** Keras' `model.compile(optimizer, loss, metrics)`: a `CompiledModel` (see there). */
export function compile<M extends TrainableModule>(model: M, options: CompileOptions): CompiledModel<M> {
  return new CompiledModel(model, options);
}
