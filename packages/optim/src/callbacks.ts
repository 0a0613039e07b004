/**
 * Callbacks for `fit()`, with Keras' names and semantics: hooks at the start and end of training,
 * of each epoch and of each batch; `EarlyStopping`, `LearningRateScheduler`, `LambdaCallback` and the
 * `History` that `fit()` returns.
 *
 * Epochs and batches are numbered from 0 in the hooks (as in Keras; the progress display prints
 * `Epoch 1/N`). Every hook also receives the `TrainingContext`, whose `stopTraining` flag ends
 * training after the current epoch.
 */
import { argumentError, describe } from './util.ts';
import type { Tensor } from '@memograd/autograd';
import type { TrainingContext } from './fit.ts';
import { LRScheduler, ReduceLROnPlateau } from './scheduler.ts';
import type { SchedulableOptimizer } from './scheduler.ts';
import { writeStdout } from './stdout.ts';

/** Logs passed to the hooks: `loss`, metric names, `val_` + those at epoch end. */
export type Logs = Record<string, number>;

/** The hooks; every one is optional. A plain object with some of them is a callback. */
export interface CallbackHooks {
  /** Called once before the first epoch. */
  onTrainBegin?(logs: Logs, ctx: TrainingContext): void;
  /** Called once after the last epoch. */
  onTrainEnd?(logs: Logs, ctx: TrainingContext): void;
  /** Called at the start of every epoch. */
  onEpochBegin?(epoch: number, logs: Logs, ctx: TrainingContext): void;
  /** Called at the end of every epoch, with the epoch's logs (loss, metrics, val_ ...). */
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainingContext): void;
  /** Called before every batch. */
  onBatchBegin?(batch: number, logs: Logs, ctx: TrainingContext): void;
  /** Called after every batch, with the batch's logs. */
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainingContext): void;
  /**
   * Keys this callback adds to the epoch logs (as `LearningRateScheduler` adds `lr`). `fit()` checks
   * before training that every callback's `monitor` is a key the logs will have; declare here the
   * keys your callback writes so that another callback may monitor them.
   */
  readonly logKeys?: readonly string[];
}

/**
 * Base class: subclass it and override the hooks you need. `fit()` sets `context` before
 * `onTrainBegin`, so a subclass can reach the model, the optimizer and `stopTraining` there.
 */
export class Callback implements CallbackHooks {
  /** The training context, set by `fit()` before `onTrainBegin`; null outside training. */
  context: TrainingContext | null = null;
  /** Sets `context` (called by `fit()`). */
  setContext(ctx: TrainingContext): void {
    this.context = ctx;
  }
  /** Called once before the first epoch. */
  onTrainBegin(_logs: Logs, _ctx: TrainingContext): void {}
  /** Called once after the last epoch. */
  onTrainEnd(_logs: Logs, _ctx: TrainingContext): void {}
  /** Called at the start of every epoch. */
  onEpochBegin(_epoch: number, _logs: Logs, _ctx: TrainingContext): void {}
  /** Called at the end of every epoch, with the epoch's logs (loss, metrics, val_ ...). */
  onEpochEnd(_epoch: number, _logs: Logs, _ctx: TrainingContext): void {}
  /** Called before every batch. */
  onBatchBegin(_batch: number, _logs: Logs, _ctx: TrainingContext): void {}
  /** Called after every batch, with the batch's logs. */
  onBatchEnd(_batch: number, _logs: Logs, _ctx: TrainingContext): void {}
}

/** Runs a list of callbacks in order. */
export class CallbackList {
  /** The callbacks, in the order they run. */
  readonly callbacks: CallbackHooks[];
  /** `owner` names the caller in error messages (`fit` passes 'fit'). */
  constructor(callbacks: readonly CallbackHooks[], owner = 'CallbackList') {
    const op = typeof owner === 'string' && owner !== '' ? owner : 'CallbackList';
    if (!Array.isArray(callbacks)) throw argumentError(`${op}: callbacks must be an array of callback objects, got ${describe(callbacks)}`);
    callbacks.forEach((cb, i) => {
      if (cb === null || typeof cb !== 'object') throw argumentError(`${op}: callbacks[${i}] is not a callback object, got ${describe(cb)}`);
    });
    this.callbacks = [...callbacks];
  }
  /** Sets the context of every callback that has `setContext`. */
  setContext(ctx: TrainingContext): void {
    for (const cb of this.callbacks) {
      const set = (cb as { setContext?: unknown }).setContext;
      if (typeof set === 'function') set.call(cb, ctx);
    }
  }
  /** Runs every callback's `onTrainBegin`. */
  trainBegin(logs: Logs, ctx: TrainingContext): void { for (const cb of this.callbacks) cb.onTrainBegin?.(logs, ctx); }
  /** Runs every callback's `onTrainEnd`. */
  trainEnd(logs: Logs, ctx: TrainingContext): void { for (const cb of this.callbacks) cb.onTrainEnd?.(logs, ctx); }
  /** Runs every callback's `onEpochBegin`. */
  epochBegin(e: number, logs: Logs, ctx: TrainingContext): void { for (const cb of this.callbacks) cb.onEpochBegin?.(e, logs, ctx); }
  /** Runs every callback's `onEpochEnd`. */
  epochEnd(e: number, logs: Logs, ctx: TrainingContext): void { for (const cb of this.callbacks) cb.onEpochEnd?.(e, logs, ctx); }
  /** Runs every callback's `onBatchBegin`. */
  batchBegin(b: number, logs: Logs, ctx: TrainingContext): void { for (const cb of this.callbacks) cb.onBatchBegin?.(b, logs, ctx); }
  /** Runs every callback's `onBatchEnd`. */
  batchEnd(b: number, logs: Logs, ctx: TrainingContext): void { for (const cb of this.callbacks) cb.onBatchEnd?.(b, logs, ctx); }
}

/**
 * A callback from functions: `new LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`; give
 * `logKeys` for the keys it adds to the logs, so that `EarlyStopping` may monitor them.
 */
export class LambdaCallback extends Callback {
  /** Keys this callback adds to the epoch logs. */
  readonly logKeys: readonly string[] = [];
  constructor(hooks: CallbackHooks) {
    super();
    if (hooks === null || typeof hooks !== 'object') throw argumentError(`LambdaCallback: expected an object of hooks, got ${hooks === null ? 'null' : typeof hooks}`);
    for (const name of ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const) {
      const fn = hooks[name];
      if (fn !== undefined) {
        if (typeof fn !== 'function') throw argumentError(`LambdaCallback: ${name} must be a function`);
        (this as Record<string, unknown>)[name] = fn;
      }
    }
    if (hooks.logKeys !== undefined) {
      if (!Array.isArray(hooks.logKeys) || hooks.logKeys.some((k) => typeof k !== 'string')) throw argumentError('LambdaCallback: logKeys must be an array of strings');
      this.logKeys = [...hooks.logKeys];
    }
  }
}

/**
 * Records the logs of every epoch: `history.loss[i]`, `history.val_accuracy[i]`, ... and `epoch`
 * (the epoch numbers, from 0). `fit()` always adds one and returns it.
 */
export class History extends Callback {
  /** Every epoch's value of each log key (Keras's `History.history`). */
  history: Record<string, number[]> = {};
  /** The epoch numbers recorded, from 0. */
  epoch: number[] = [];
  override onTrainBegin(): void {
    this.history = {};
    this.epoch = [];
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      if (typeof v !== 'number') continue;
      (this.history[k] ??= []).push(v);
    }
  }
}

/** Whether the monitored value should decrease ('min') or increase ('max'); 'auto' infers it from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

function resolveMode(op: string, mode: MonitorMode, monitor: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw argumentError(`${op}: mode must be 'auto', 'min' or 'max', got ${describe(mode)}`);
  return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
}

/** The model of a training context, if it has one that can save and load its state. */
function modelOf(ctx: unknown): TrainingContext['model'] | undefined {
  if (ctx === null || typeof ctx !== 'object') return undefined;
  const m = Object.getOwnPropertyDescriptor(ctx, 'model')?.value as TrainingContext['model'] | undefined;
  return m !== null && typeof m === 'object' && typeof m.stateDict === 'function' && typeof m.loadStateDict === 'function' ? m : undefined;
}

function cloneState(state: Record<string, Tensor>): Record<string, Tensor> {
  // stateDict() of @memograd/nn already returns copies; copy again for modules that return live tensors
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(state)) out[k] = t.detach().clone();
  return out;
}

/** Options of `EarlyStopping` (Keras's). */
export interface EarlyStoppingOptions {
  /** The log to watch (default 'val_loss'). */
  monitor?: string;
  /** An improvement must beat the best value by more than this (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names, else 'min'. */
  mode?: MonitorMode;
  /** Put back the weights of the best epoch at the end of training (default false). */
  restoreBestWeights?: boolean;
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
  /** Print a line when stopping (default false). */
  verbose?: boolean;
}

/**
 * Stops training when the monitored value stops improving (Keras `EarlyStopping`).
 *
 * After each epoch: an improvement is a value better than the best so far by more than
 * `minDelta`; it resets the wait counter (unless a `baseline` is set and not beaten). Otherwise the
 * counter grows, and when it reaches `patience` training stops. With `restoreBestWeights` the
 * weights of the best epoch are loaded back when training stops early and also when it runs to
 * the last epoch.
 *
 * A NaN monitored value is never an improvement (as in Keras, where every comparison with NaN is
 * false): it counts as an epoch without improvement, so a loss that turns NaN stops training after
 * `patience` epochs, and a NaN never becomes `best`.
 *
 * `fit()` checks before training that `monitor` is a key the logs will have (`loss`, the metrics,
 * `val_` + those with validation data, and keys that callbacks declare in `logKeys`).
 */
export class EarlyStopping extends Callback {
  /** The log watched. */
  readonly monitor: string;
  /** Minimum change counting as an improvement. */
  readonly minDelta: number;
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Whether lower or higher is better. */
  readonly mode: 'min' | 'max';
  /** Whether the best epoch's weights are restored at the end. */
  readonly restoreBestWeights: boolean;
  /** A value the monitored log must beat, or undefined. */
  readonly baseline: number | undefined;
  /** The epoch from which improvement is watched. */
  readonly startFromEpoch: number;
  /** Whether a line is printed when stopping. */
  readonly verbose: boolean;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which training was stopped; -1 if it was not. */
  stoppedEpoch = -1;
  /** The epoch (0-based) with the best monitored value; -1 before any. */
  bestEpoch = -1;
  /** The best monitored value. */
  best = Infinity;
  /** Whether the best weights were put back at the end of training. */
  restored = false;
  private bestWeights: Record<string, Tensor> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') throw argumentError(`EarlyStopping: options must be an object, got ${options === null ? 'null' : typeof options}`);
    if (options.monitor !== undefined && typeof options.monitor !== 'string') throw argumentError(`EarlyStopping: monitor must be a string, got ${typeof options.monitor}`);
    if (options.baseline !== undefined && (typeof options.baseline !== 'number' || Number.isNaN(options.baseline))) throw argumentError(`EarlyStopping: baseline must be a number, got ${describe(options.baseline)}`);
    if (options.startFromEpoch !== undefined && (!Number.isInteger(options.startFromEpoch) || options.startFromEpoch < 0)) throw argumentError(`EarlyStopping: startFromEpoch must be a non-negative integer, got ${describe(options.startFromEpoch)}`);
    this.monitor = options.monitor ?? 'val_loss';
    const minDelta = options.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) throw argumentError(`EarlyStopping: minDelta must be a finite number, got ${describe(minDelta)}`);
    this.minDelta = Math.abs(minDelta);
    const patience = options.patience ?? 0;
    if (!Number.isInteger(patience) || patience < 0) throw argumentError(`EarlyStopping: patience must be a non-negative integer, got ${describe(patience)}`);
    this.patience = patience;
    this.mode = resolveMode('EarlyStopping', options.mode ?? 'auto', this.monitor);
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.baseline = options.baseline;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    this.verbose = options.verbose ?? false;
  }

  private isImprovement(current: number, reference: number): boolean {
    return this.mode === 'min' ? current < reference - this.minDelta : current > reference + this.minDelta;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestWeights = null;
    this.restored = false;
  }

  override onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    // checked before anything changes (fit always passes these; a hand-driven call may not)
    if (typeof epoch !== 'number' || !Number.isInteger(epoch)) throw argumentError(`EarlyStopping: onEpochEnd: epoch must be an integer, got ${describe(epoch)}`);
    if (logs === null || typeof logs !== 'object') throw argumentError(`EarlyStopping: onEpochEnd: logs must be an object of numbers, got ${describe(logs)}`);
    const context = (ctx ?? this.context) as TrainingContext | null | undefined;
    if (context === null || typeof context !== 'object') {
      const given = ctx === undefined || ctx === null ? 'none was given and setContext() was not called' : `got ${describe(ctx)}`;
      throw argumentError(`EarlyStopping: onEpochEnd needs the training context as its third argument, as fit passes it; ${given}`);
    }
    const model = this.restoreBestWeights ? modelOf(context) : undefined;
    if (this.restoreBestWeights && model === undefined) {
      throw argumentError('EarlyStopping: onEpochEnd: restoreBestWeights needs a training context whose model has stateDict() and loadStateDict()');
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      throw argumentError(`EarlyStopping: the monitored value '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`);
    }
    if (typeof current !== 'number') throw argumentError(`EarlyStopping: the monitored value '${this.monitor}' must be a number, got ${describe(current)}`);
    if (epoch < this.startFromEpoch) return;
    if (model !== undefined && this.bestWeights === null) this.bestWeights = cloneState(model.stateDict());
    this.wait += 1;
    // NaN is explicitly no improvement (isImprovement would say false too; this does not rely on it)
    if (!Number.isNaN(current) && this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (model !== undefined) this.bestWeights = cloneState(model.stateDict());
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      context.stopTraining = true;
    }
  }

  override onTrainEnd(_logs: Logs, ctx: TrainingContext): void {
    const model = this.restoreBestWeights && this.bestWeights !== null ? modelOf(ctx ?? this.context) : undefined;
    if (this.restoreBestWeights && this.bestWeights !== null && model === undefined) {
      throw argumentError('EarlyStopping: onTrainEnd: restoring the best weights needs the training context (with the model) as its second argument, as fit passes it');
    }
    if (this.stoppedEpoch >= 0 && this.verbose) {
      writeStdout(`Epoch ${this.stoppedEpoch + 1}: early stopping (best ${this.monitor} ${this.best} at epoch ${this.bestEpoch + 1})\n`);
    }
    if (model !== undefined && this.bestWeights !== null) {
      model.loadStateDict(this.bestWeights);
      this.restored = true;
    }
  }
}

/** Something with an optimizer's `paramGroups`, whose `lr` a schedule may set. */
interface LrGroups { paramGroups?: Array<{ lr: number }> }

function currentLr(ctx: TrainingContext): number | undefined {
  return (ctx.optimizer as LrGroups).paramGroups?.[0]?.lr;
}

/** Options of `LearningRateScheduler`. */
export interface LearningRateSchedulerOptions {
  /** For `ReduceLROnPlateau`: the log it watches (default 'val_loss', or 'loss' without validation). */
  monitor?: string;
}

/**
 * Drives a learning-rate schedule from `fit()`:
 *
 * - an `LRScheduler` (StepLR, CosineAnnealingLR, ...): `step()` after each epoch;
 * - a `ReduceLROnPlateau`: `step(logs[monitor])` after each epoch;
 * - a function `(epoch, lr) => newLr` (Keras): sets every group's lr before each epoch.
 *
 * The learning rate in use is added to the epoch's logs as `lr`.
 */
export class LearningRateScheduler extends Callback {
  /** The key this callback adds to the epoch logs. */
  readonly logKeys: readonly string[] = ['lr'];
  /** The schedule: an LR scheduler, a ReduceLROnPlateau, or a function (epoch, lr) => newLr. */
  readonly schedule: LRScheduler | ReduceLROnPlateau | ((epoch: number, lr: number) => number);
  /** The log a ReduceLROnPlateau watches, or undefined. */
  readonly monitor: string | undefined;
  private epochLr: number | undefined;

  constructor(schedule: LRScheduler | ReduceLROnPlateau | ((epoch: number, lr: number) => number), options: LearningRateSchedulerOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') throw argumentError(`LearningRateScheduler: options must be an object, got ${describe(options)}`);
    if (options.monitor !== undefined && typeof options.monitor !== 'string') throw argumentError(`LearningRateScheduler: monitor must be a string, got ${describe(options.monitor)}`);
    if (!(schedule instanceof LRScheduler || schedule instanceof ReduceLROnPlateau || typeof schedule === 'function')) {
      throw argumentError('LearningRateScheduler: expected an LRScheduler, a ReduceLROnPlateau or a function (epoch, lr) => lr');
    }
    this.schedule = schedule;
    this.monitor = options.monitor;
  }

  override onEpochBegin(epoch: number, _logs: Logs, ctx: TrainingContext): void {
    if (typeof this.schedule === 'function') {
      const groups = (ctx.optimizer as LrGroups).paramGroups;
      if (!groups) throw argumentError('LearningRateScheduler: the optimizer has no paramGroups to set lr on');
      const lr = this.schedule(epoch, groups[0]?.lr ?? NaN);
      if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
        throw argumentError(`LearningRateScheduler: the schedule returned ${describe(lr)} at epoch ${epoch} (expected a finite lr >= 0)`);
      }
      for (const g of groups) g.lr = lr;
    }
    // the lr this epoch runs with: the schedule's own record when it has one (it may drive another optimizer)
    this.epochLr = typeof this.schedule === 'function' ? currentLr(ctx) : this.schedule.getLastLr()[0];
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.epochLr !== undefined) logs.lr = this.epochLr;
    if (this.schedule instanceof ReduceLROnPlateau) {
      const monitor = this.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
      const value = logs[monitor];
      if (value === undefined) throw argumentError(`LearningRateScheduler: the monitored value '${monitor}' is not in the logs`);
      this.schedule.step(value);
    } else if (this.schedule instanceof LRScheduler) {
      this.schedule.step();
    }
  }
}

/**
 * Stops training as soon as a batch's loss is NaN or ±Infinity (Keras' `TerminateOnNaN`): it sets
 * `stopTraining` at the end of that batch, so no further batch runs; the epoch's logs (with the
 * non-finite loss) still reach `onEpochEnd`. `stoppedAt` records where it stopped.
 */
export class TerminateOnNaN extends Callback {
  /** Where training was stopped (0-based epoch and batch), or null. */
  stoppedAt: {
    /** The epoch, from 0. */
    epoch: number;
    /** The batch, from 0. */
    batch: number;
    /** The non-finite loss. */
    loss: number;
  } | null = null;
  /** Print a line when stopping (default true, as Keras). */
  readonly verbose: boolean;

  constructor(options: { verbose?: boolean } = {}) {
    super();
    if (options === null || typeof options !== 'object') throw argumentError(`TerminateOnNaN: options must be an object, got ${describe(options)}`);
    const verbose = options.verbose ?? true;
    if (typeof verbose !== 'boolean') throw argumentError(`TerminateOnNaN: verbose must be a boolean, got ${describe(verbose)}`);
    this.verbose = verbose;
  }

  override onTrainBegin(): void {
    this.stoppedAt = null;
  }

  override onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext): void {
    if (logs === null || typeof logs !== 'object') throw argumentError(`TerminateOnNaN: onBatchEnd: logs must be an object, got ${describe(logs)}`);
    const loss = logs.loss;
    if (typeof loss !== 'number' || Number.isFinite(loss)) return;
    const context = (ctx ?? this.context) as TrainingContext | null | undefined;
    if (context === null || typeof context !== 'object') {
      const given = ctx === undefined || ctx === null ? 'none was given and setContext() was not called' : `got ${describe(ctx)}`;
      throw argumentError(`TerminateOnNaN: onBatchEnd needs the training context as its third argument, as fit passes it; ${given}`);
    }
    ctx = context;
    this.stoppedAt = { epoch: ctx.epoch, batch, loss };
    ctx.stopTraining = true;
    if (this.verbose) writeStdout(`Batch ${batch}: invalid loss ${loss}, terminating training\n`);
  }
}

/** Options of `ReduceLROnPlateauCallback`: Keras' `ReduceLROnPlateau` arguments, camel-cased. */
export interface ReduceLROnPlateauCallbackOptions {
  /** The log to watch (default 'val_loss'). */
  monitor?: string;
  /** Multiply the learning rate by this on a plateau, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement after which the learning rate is reduced (default 10). */
  patience?: number;
  /** Print a line on each reduction: 1 or true (default 0). */
  verbose?: 0 | 1 | boolean;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names, else 'min'. */
  mode?: MonitorMode;
  /** An improvement must beat the best value by more than this, absolutely (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting epochs without improvement again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate (default 0). */
  minLr?: number;
}

/**
 * Keras' `ReduceLROnPlateau` callback for `fit()`: when `monitor` has not improved for `patience`
 * epochs, every parameter group's learning rate is multiplied by `factor` (not below `minLr`),
 * then `cooldown` epochs pass before epochs without improvement count again. The learning rate
 * each epoch ran with is written into its logs as `lr` (so `history.history.lr` holds it; Keras 3
 * names that key `learning_rate`, Keras 2 and memograd's `LearningRateScheduler` `lr`).
 *
 * The plateau bookkeeping is PyTorch's `ReduceLROnPlateau` scheduler, built over `fit`'s optimizer
 * at the start of training (`scheduler`), with Keras' options translated to PyTorch's: an
 * absolute `minDelta` (`thresholdMode: 'abs'`), Keras' `patience` p reducing after p epochs
 * without improvement (PyTorch's after p + 1: `patience: max(p − 1, 0)`), Keras' cooldown c
 * counting the c-th epoch after a reduction again (PyTorch's only the (c + 1)-th:
 * `cooldown: max(c − 1, 0)`), and no minimum step (`eps: 0`: Keras reduces whenever lr > minLr).
 * The one remaining difference: when the learning rate already sits at `minLr`, Keras leaves its
 * counters running while PyTorch resets them; the learning rates are the same.
 *
 * PyTorch users can keep the scheduler itself: `new LearningRateScheduler(new
 * ReduceLROnPlateau(optimizer, options), { monitor })` steps it with PyTorch's semantics.
 *
 * @example
 * fit(model, { ..., callbacks: [new ReduceLROnPlateauCallback({ monitor: 'val_loss', factor: 0.2, patience: 5, minLr: 0.001 })] });
 */
export class ReduceLROnPlateauCallback extends Callback {
  /** The key this callback adds to the epoch logs. */
  readonly logKeys: readonly string[] = ['lr'];
  /** The log watched. */
  readonly monitor: string;
  /** Factor the learning rate is multiplied by. */
  readonly factor: number;
  /** Epochs without improvement before a reduction (Keras' meaning). */
  readonly patience: number;
  /** Whether a line is printed on each reduction. */
  readonly verbose: boolean;
  /** Whether lower or higher is better. */
  readonly mode: 'min' | 'max';
  /** Minimum absolute change counting as an improvement. */
  readonly minDelta: number;
  /** Epochs of cooldown after a reduction (Keras' meaning). */
  readonly cooldown: number;
  /** Lower bound on the learning rate. */
  readonly minLr: number;
  /** The scheduler doing the bookkeeping, built by `onTrainBegin` over the training's optimizer; null before. */
  scheduler: ReduceLROnPlateau | null = null;

  constructor(options: ReduceLROnPlateauCallbackOptions = {}) {
    super();
    const op = 'ReduceLROnPlateauCallback';
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object, got ${describe(options)}`);
    const { monitor = 'val_loss', factor = 0.1, patience = 10, verbose = 0, mode = 'auto', minDelta = 1e-4, cooldown = 0, minLr = 0 } = options;
    if (typeof monitor !== 'string' || monitor === '') throw argumentError(`${op}: monitor must be a non-empty string, got ${describe(monitor)}`);
    // Keras refuses factor >= 1; a negative factor would flip the learning rate's sign
    if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) throw argumentError(`${op}: factor must be in [0, 1), got ${describe(factor)}`);
    if (typeof patience !== 'number' || !Number.isInteger(patience) || patience < 0) throw argumentError(`${op}: patience must be a non-negative integer, got ${describe(patience)}`);
    if (typeof cooldown !== 'number' || !Number.isInteger(cooldown) || cooldown < 0) throw argumentError(`${op}: cooldown must be a non-negative integer, got ${describe(cooldown)}`);
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) throw argumentError(`${op}: minDelta must be a finite number, got ${describe(minDelta)}`);
    if (typeof minLr !== 'number' || !Number.isFinite(minLr) || minLr < 0) throw argumentError(`${op}: minLr must be a finite number >= 0, got ${describe(minLr)}`);
    if (verbose !== 0 && verbose !== 1 && typeof verbose !== 'boolean') throw argumentError(`${op}: verbose must be 0, 1 or a boolean, got ${describe(verbose)}`);
    this.monitor = monitor;
    this.mode = resolveMode(op, mode, monitor);
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.minDelta = Math.abs(minDelta);
    this.minLr = minLr;
    this.verbose = verbose === 1 || verbose === true;
  }

  /** Epochs since the last improvement (the scheduler's count; 0 before training). */
  get wait(): number {
    return this.scheduler?.numBadEpochs ?? 0;
  }

  /** The best monitored value so far (±Infinity before any). */
  get best(): number {
    return this.scheduler?.best ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  /** Builds the scheduler over the training's optimizer (Keras resets its state here too). */
  override onTrainBegin(_logs: Logs, ctx: TrainingContext): void {
    const context = (ctx ?? this.context) as TrainingContext | null | undefined;
    const groups = (context?.optimizer as LrGroups | undefined)?.paramGroups;
    if (!Array.isArray(groups) || groups.length === 0) {
      throw argumentError(`ReduceLROnPlateauCallback: onTrainBegin needs the training context, whose optimizer has paramGroups with an lr (as fit passes it), got ${describe(ctx)}`);
    }
    this.scheduler = new ReduceLROnPlateau(context!.optimizer as unknown as SchedulableOptimizer, {
      mode: this.mode,
      factor: this.factor,
      patience: Math.max(this.patience - 1, 0),
      threshold: this.minDelta,
      thresholdMode: 'abs',
      cooldown: Math.max(this.cooldown - 1, 0),
      minLr: this.minLr,
      eps: 0,
    });
  }

  /** Writes the epoch's `lr` into the logs, then feeds the monitored value to the scheduler. */
  override onEpochEnd(epoch: number, logs: Logs, _ctx: TrainingContext): void {
    const op = 'ReduceLROnPlateauCallback';
    if (this.scheduler === null) throw argumentError(`${op}: onEpochEnd before onTrainBegin (fit calls them in order)`);
    if (logs === null || typeof logs !== 'object') throw argumentError(`${op}: onEpochEnd: logs must be an object of numbers, got ${describe(logs)}`);
    const current = logs[this.monitor];
    if (typeof current !== 'number') {
      throw argumentError(`${op}: the monitored value '${this.monitor}' is not a number in the logs (available: ${Object.keys(logs).join(', ')})`);
    }
    const before = this.scheduler.optimizer.paramGroups.map((g) => g.lr);
    logs.lr = before[0]!;
    this.scheduler.step(current);
    const after = this.scheduler.getLastLr();
    if (this.verbose && after.some((lr, i) => lr !== before[i])) {
      writeStdout(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${after[0]}.\n`);
    }
  }
}
