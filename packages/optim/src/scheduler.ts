import { argumentError, describe } from './util.ts';
/** What a learning-rate scheduler needs of an optimizer: every memograd optimizer satisfies this. */
export interface SchedulableOptimizer {
  /** The optimizer's parameter groups, whose `lr` the scheduler sets. */
  readonly paramGroups: ReadonlyArray<{
    /** The group's current learning rate. */
    lr: number;
    /** The learning rate before scheduling. */
    initialLr?: number;
  }>;
}

/** Plain JSON-serializable scheduler snapshot. */
export interface SchedulerStateDict {
  /** The scheduler's class name, checked on load. */
  scheduler: string;
  /** Index of the last epoch stepped. */
  lastEpoch: number;
  /** Each group's initial learning rate. */
  baseLrs: number[];
  /** Each group's last computed learning rate. */
  lastLr: number[];
  [key: string]: unknown;
}

function fail(owner: string, message: string): never {
  throw argumentError(`${owner}: ${message}`);
}

function checkPositiveInt(owner: string, label: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(owner, `${label} must be a positive integer, got ${describe(v)}`);
}

function checkPositive(owner: string, label: string, v: unknown): void {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) fail(owner, `${label} must be positive, got ${describe(v)}`);
}

function checkFinite(owner: string, label: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(owner, `${label} must be a finite number, got ${describe(v)}`);
}

function checkNonNegative(owner: string, label: string, v: unknown): void {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) fail(owner, `${label} must be non-negative, got ${describe(v)}`);
}

/**
 * Base class of epoch-based learning-rate schedulers (PyTorch `LRScheduler` semantics).
 *
 * Construction records each group's `initialLr` (if not already set, so chained schedulers share it), takes
 * `baseLrs` from it, and performs the initial step to epoch 0. Each `step()` advances one epoch and writes the new
 * learning rates into the optimizer's groups. Call it after `optimizer.step()`, once per epoch.
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates are scheduled. */
  readonly optimizer: SchedulableOptimizer;
  /** Each group's learning rate at construction (`initialLr`). */
  readonly baseLrs: number[];
  /** The epoch of the last `step()`; 0 right after construction. */
  lastEpoch = -1;
  protected lastLr: number[] = [];
  protected readonly name: string;

  protected constructor(name: string, optimizer: SchedulableOptimizer) {
    // `LRScheduler` is abstract (TypeScript stops `new LRScheduler(...)`, JavaScript does not)
    if (new.target === LRScheduler) {
      throw argumentError('LRScheduler: is abstract; construct a subclass (StepLR, CosineAnnealingLR, ...) or extend it');
    }
    if (typeof name !== 'string' || name === '') {
      throw argumentError(`LRScheduler: a subclass must pass its name (a non-empty string) to super(), got ${describe(name)}`);
    }
    this.name = name;
    if (typeof optimizer !== 'object' || optimizer === null || !Array.isArray(optimizer.paramGroups)) {
      throw argumentError(`${name}: expected an optimizer with paramGroups, got ${describe(optimizer)}`);
    }
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** Subclasses call this at the end of their constructor (after their own fields are set). */
  protected initialStep(): void {
    this.step();
  }

  /** The learning rates for epoch `this.lastEpoch` (may read the groups' current lr, as PyTorch's chainable form does). */
  protected abstract computeLr(): number[];

  /** Advance one epoch and update the optimizer's learning rates. */
  step(): void {
    this.lastEpoch += 1;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLr = lrs.slice();
  }

  /** The learning rates set by the last step, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** A JSON-serializable snapshot (PyTorch's `state_dict()`). */
  stateDict(): SchedulerStateDict {
    return { scheduler: this.name, lastEpoch: this.lastEpoch, baseLrs: this.baseLrs.slice(), lastLr: this.lastLr.slice() };
  }

  /** Restore `lastEpoch`/`lastLr` (the optimizer's lrs are restored by the optimizer's own loadStateDict). */
  loadStateDict(sd: unknown): void {
    const s = sd as Partial<SchedulerStateDict> | null;
    const n = this.optimizer.paramGroups.length;
    const okList = (a: unknown): a is number[] =>
      Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (typeof s !== 'object' || s === null || s.scheduler !== this.name) {
      throw argumentError(`${this.name}: invalid state dict: not saved by ${this.name}`);
    }
    if (typeof s.lastEpoch !== 'number' || !Number.isInteger(s.lastEpoch) || s.lastEpoch < 0) {
      throw argumentError(`${this.name}: invalid state dict: bad lastEpoch ${describe(s.lastEpoch)}`);
    }
    if (!okList(s.baseLrs) || !okList(s.lastLr)) {
      throw argumentError(`${this.name}: invalid state dict: baseLrs/lastLr must be ${n} finite numbers`);
    }
    this.lastEpoch = s.lastEpoch;
    this.baseLrs.splice(0, this.baseLrs.length, ...s.baseLrs);
    this.lastLr = s.lastLr.slice();
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** lr = base · lambda(epoch), one lambda for all groups or one per group (PyTorch `LambdaLR`). */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: Array<(epoch: number) => number>;

  constructor(optimizer: SchedulableOptimizer, lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number>) {
    super('LambdaLR', optimizer);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda)) {
      if (lrLambda.length !== n) fail('LambdaLR', `expected ${n} lr lambdas, got ${lrLambda.length}`);
      lrLambda.forEach((f, i) => {
        if (typeof f !== 'function') fail('LambdaLR', `lrLambda[${i}] must be a function, got ${f === null ? 'null' : typeof f}`);
      });
      this.lambdas = lrLambda.slice();
    } else {
      if (typeof lrLambda !== 'function') throw argumentError('LambdaLR: lrLambda must be a function');
      this.lambdas = Array.from({ length: n }, () => lrLambda);
    }
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lambdas[i](this.lastEpoch));
  }
}

/** Multiply the lr by `gamma` every `stepSize` epochs (PyTorch `StepLR`, chainable form). */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Multiplicative decay factor. */
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, stepSize: number, gamma = 0.1) {
    super('StepLR', optimizer);
    checkPositiveInt('StepLR', 'stepSize', stepSize);
    checkPositive('StepLR', 'gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch;
    if (e === 0 || e % this.stepSize !== 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }
}

/** Multiply the lr by `gamma` at each milestone epoch (PyTorch `MultiStepLR`; a repeated milestone applies twice). */
export class MultiStepLR extends LRScheduler {
  /** Epochs at which the learning rate decays, increasing. */
  readonly milestones: readonly number[];
  /** Multiplicative decay factor. */
  readonly gamma: number;
  private readonly counts = new Map<number, number>();

  constructor(optimizer: SchedulableOptimizer, milestones: readonly number[], gamma = 0.1) {
    super('MultiStepLR', optimizer);
    if (!Array.isArray(milestones)) throw argumentError('MultiStepLR: milestones must be an array of epochs');
    for (const m of milestones) {
      if (typeof m !== 'number' || !Number.isInteger(m) || m < 0) fail('MultiStepLR', `milestones must be non-negative integers, got ${describe(m)}`);
      this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    }
    checkPositive('MultiStepLR', 'gamma', gamma);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const c = this.counts.get(this.lastEpoch);
    if (c === undefined) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma ** c);
  }
}

/** Multiply the lr by `gamma` every epoch (PyTorch `ExponentialLR`, chainable form). */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative decay factor per epoch. */
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, gamma: number) {
    super('ExponentialLR', optimizer);
    checkPositive('ExponentialLR', 'gamma', gamma);
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }
}

/**
 * Cosine annealing (PyTorch `CosineAnnealingLR`, closed form):
 * lr = etaMin + (base − etaMin)(1 + cos(π·epoch/tMax))/2. Past `tMax` it rises again (period 2·tMax), as PyTorch's does.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Number of epochs of the half cosine period. */
  readonly tMax: number;
  /** Minimum learning rate. */
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, tMax: number, etaMin = 0) {
    super('CosineAnnealingLR', optimizer);
    checkPositiveInt('CosineAnnealingLR', 'tMax', tMax);
    checkNonNegative('CosineAnnealingLR', 'etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b) => cosineAt(b, this.lastEpoch, this.tMax, this.etaMin));
  }
}

/**
 * Scale the lr linearly from `startFactor`·base to `endFactor`·base over `totalIters` epochs, then hold
 * (PyTorch `LinearLR`, chainable form).
 */
export class LinearLR extends LRScheduler {
  /** Factor of the initial learning rate at the start. */
  readonly startFactor: number;
  /** Factor of the initial learning rate at the end. */
  readonly endFactor: number;
  /** Number of epochs over which the factor changes. */
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, startFactor = 1 / 3, endFactor = 1.0, totalIters = 5) {
    super('LinearLR', optimizer);
    if (typeof startFactor !== 'number' || !(startFactor > 0 && startFactor <= 1)) {
      fail('LinearLR', `startFactor must be in (0, 1], got ${describe(startFactor)}`);
    }
    if (typeof endFactor !== 'number' || !(endFactor >= 0 && endFactor <= 1)) {
      fail('LinearLR', `endFactor must be in [0, 1], got ${describe(endFactor)}`);
    }
    checkPositiveInt('LinearLR', 'totalIters', totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch;
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return this.currentLrs().map((lr) => lr * s);
    if (e > n) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }
}

/** Options of `ReduceLROnPlateau` (PyTorch's). */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing; 'max': when it stops increasing. */
  mode?: 'min' | 'max';
  /** Multiply the lr by this on a plateau; must be < 1. Default 0.1. */
  factor?: number;
  /** Number of epochs with no improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Minimum change counting as an improvement. Default 1e-4. */
  threshold?: number;
  /** Whether `threshold` is relative ('rel', default) or absolute ('abs'). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, one for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are ignored. Default 1e-8. */
  eps?: number;
}

/** Reduce the learning rate when a metric has stopped improving (PyTorch `ReduceLROnPlateau`). */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates are reduced. */
  readonly optimizer: SchedulableOptimizer;
  /** Whether lower or higher metric values are better. */
  readonly mode: 'min' | 'max';
  /** Factor the learning rate is multiplied by on a plateau. */
  readonly factor: number;
  /** Epochs without improvement tolerated before reducing. */
  readonly patience: number;
  /** Minimum change counting as an improvement. */
  readonly threshold: number;
  /** Whether `threshold` is relative or absolute. */
  readonly thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again. */
  readonly cooldown: number;
  /** Each group's lower bound on the learning rate. */
  readonly minLrs: number[];
  /** Reductions smaller than this are skipped. */
  readonly eps: number;
  /** The best metric value so far. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Epochs left in the current cooldown. */
  cooldownCounter = 0;
  /** Number of `step` calls so far. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const owner = 'ReduceLROnPlateau';
    if (typeof optimizer !== 'object' || optimizer === null || !Array.isArray(optimizer.paramGroups)) fail(owner, 'expected an optimizer with paramGroups');
    if (options === null || typeof options !== 'object') fail(owner, `options must be an object, got ${options === null ? 'null' : typeof options}`);
    const {
      mode = 'min',
      factor = 0.1,
      patience = 10,
      threshold = 1e-4,
      thresholdMode = 'rel',
      cooldown = 0,
      minLr = 0,
      eps = 1e-8,
    } = options;
    if (mode !== 'min' && mode !== 'max') fail(owner, `mode must be 'min' or 'max', got ${describe(mode)}`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      fail(owner, `thresholdMode must be 'rel' or 'abs', got ${describe(thresholdMode)}`);
    }
    if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) fail(owner, `factor must be in [0, 1), got ${describe(factor)}`);
    if (typeof patience !== 'number' || !Number.isInteger(patience) || patience < 0) {
      fail(owner, `patience must be a non-negative integer, got ${describe(patience)}`);
    }
    if (typeof cooldown !== 'number' || !Number.isInteger(cooldown) || cooldown < 0) {
      fail(owner, `cooldown must be a non-negative integer, got ${describe(cooldown)}`);
    }
    checkNonNegative(owner, 'threshold', threshold);
    checkNonNegative(owner, 'eps', eps);
    const n = optimizer.paramGroups.length;
    const mins = Array.isArray(minLr) ? minLr.slice() : Array.from({ length: n }, () => minLr);
    if (mins.length !== n) fail(owner, `expected ${n} minLr values, got ${mins.length}`);
    for (const m of mins) checkNonNegative(owner, 'minLr', m);
    this.optimizer = optimizer;
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = mins;
    this.eps = eps;
    this.best = mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether `a` improves on the best value so far. */
  isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode: tm, threshold: th } = this;
    if (mode === 'min' && tm === 'rel') return a < best * (1 - th);
    if (mode === 'min') return a < best - th;
    if (tm === 'rel') return a > best * (th + 1);
    return a > best + th;
  }

  /** Whether a cooldown is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Record this epoch's metric and reduce the lr if it has plateaued. */
  step(metric: number): void {
    if (typeof metric !== 'number') throw argumentError(`ReduceLROnPlateau: metric must be a number, got ${describe(metric)}`);
    this.lastEpoch += 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const old = g.lr;
      const next = Math.max(old * this.factor, this.minLrs[i]);
      if (old - next > this.eps) g.lr = next;
    });
  }

  /** Each group's current learning rate (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** A JSON-serializable snapshot (PyTorch's `state_dict()`). */
  stateDict(): SchedulerStateDict {
    return {
      scheduler: 'ReduceLROnPlateau',
      lastEpoch: this.lastEpoch,
      baseLrs: [],
      lastLr: this.lastLr.slice(),
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
    };
  }

  /** Restores a snapshot from `stateDict()`. */
  loadStateDict(sd: unknown): void {
    const s = sd as Partial<SchedulerStateDict> | null;
    const bad = (m: string): never => {
      throw argumentError(`ReduceLROnPlateau: invalid state dict: ${m}`);
    };
    if (typeof s !== 'object' || s === null || s.scheduler !== 'ReduceLROnPlateau') bad('not saved by ReduceLROnPlateau');
    const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (!int(s!.lastEpoch) || !int(s!.numBadEpochs) || !int(s!.cooldownCounter)) bad('bad counters');
    // JSON turns ±Infinity into null: accept null as "no best yet".
    const best = s!.best === null ? (this.mode === 'min' ? Infinity : -Infinity) : s!.best;
    if (typeof best !== 'number' || Number.isNaN(best)) bad('bad best');
    const lastLr = s!.lastLr;
    if (!Array.isArray(lastLr) || lastLr.length !== this.optimizer.paramGroups.length) bad('bad lastLr');
    this.lastEpoch = s!.lastEpoch as number;
    this.numBadEpochs = s!.numBadEpochs as number;
    this.cooldownCounter = s!.cooldownCounter as number;
    this.best = best as number;
    this.lastLr = (lastLr as number[]).slice();
  }
}

// ---- Pure schedule functions: (epoch or step) => lr ----
//
// Learning rates are non-negative, so `baseLr`/`etaMin`/`minLr` must be finite numbers >= 0 and every `gamma`
// positive (a negative gamma flips the sign of the lr, a negative base lr makes the optimizer ascend). The
// returned functions check their epoch (a finite number >= 0) and never return NaN or ±Infinity silently:
// an lr that overflows (base · gamma^k with gamma > 1 after many epochs) is an error naming the function.

function checkLr(owner: string, label: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v >= 0)) fail(owner, `${label} must be a finite number >= 0 (a learning rate), got ${describe(v)}`);
}

function checkEpoch(owner: string, label: string, e: unknown): number {
  if (typeof e !== 'number' || !Number.isFinite(e) || !(e >= 0)) fail(owner, `${label} must be a finite number >= 0, got ${describe(e)}`);
  return e;
}

/** base · gamma^k, with 0 · Infinity read as 0 (base 0 stays 0) and an overflow reported. */
function powerLr(owner: string, e: number, baseLr: number, gamma: number, k: number): number {
  if (baseLr === 0) return 0;
  const lr = baseLr * gamma ** k;
  if (!Number.isFinite(lr)) fail(owner, `the learning rate overflows at epoch ${e}: ${baseLr} · ${gamma}^${k} is not finite`);
  return lr;
}

/** base · gamma^floor(epoch / stepSize). */
export function stepSchedule(baseLr: number, stepSize: number, gamma = 0.1): (epoch: number) => number {
  checkLr('stepSchedule', 'baseLr', baseLr);
  checkPositiveInt('stepSchedule', 'stepSize', stepSize);
  checkPositive('stepSchedule', 'gamma', gamma);
  return (e) => {
    checkEpoch('stepSchedule', 'epoch', e);
    return powerLr('stepSchedule', e, baseLr, gamma, Math.floor(e / stepSize));
  };
}

/** base · gamma^(number of milestones <= epoch). */
export function multiStepSchedule(baseLr: number, milestones: readonly number[], gamma = 0.1): (epoch: number) => number {
  checkLr('multiStepSchedule', 'baseLr', baseLr);
  if (!Array.isArray(milestones)) fail('multiStepSchedule', `milestones must be an array of numbers, got ${describe(milestones)}`);
  milestones.forEach((m, i) => checkFinite('multiStepSchedule', `milestones[${i}]`, m));
  checkPositive('multiStepSchedule', 'gamma', gamma);
  const ms = milestones.slice();
  return (e) => {
    checkEpoch('multiStepSchedule', 'epoch', e);
    return powerLr('multiStepSchedule', e, baseLr, gamma, ms.filter((m) => m <= e).length);
  };
}

/** base · gamma^epoch. */
export function exponentialSchedule(baseLr: number, gamma: number): (epoch: number) => number {
  checkLr('exponentialSchedule', 'baseLr', baseLr);
  checkPositive('exponentialSchedule', 'gamma', gamma);
  return (e) => {
    checkEpoch('exponentialSchedule', 'epoch', e);
    return powerLr('exponentialSchedule', e, baseLr, gamma, e);
  };
}

/** The cosine formula, arguments already checked (finite lrs >= 0, finite t, tMax a positive integer). */
function cosineAt(baseLr: number, t: number, tMax: number, etaMin: number): number {
  let angle = (Math.PI * t) / tMax;
  // huge t: reduce the phase first (cos has period 2·tMax in t) so that π·t cannot overflow to Infinity
  if (!Number.isFinite(angle)) angle = Math.PI * ((t / tMax) % 2);
  // (base − etaMin) · ((1 + cos)/2): the same value as ((base − etaMin)(1 + cos))/2 without the overflow of 2·base
  return etaMin + (baseLr - etaMin) * ((1 + Math.cos(angle)) / 2);
}

/**
 * etaMin + (base − etaMin)(1 + cos(π·t/tMax))/2. `tMax` is a positive integer (PyTorch's `T_max`), `t` a finite
 * number, `baseLr` and `etaMin` finite learning rates (>= 0).
 */
export function cosineLr(baseLr: number, t: number, tMax: number, etaMin = 0): number {
  checkLr('cosineLr', 'baseLr', baseLr);
  checkFinite('cosineLr', 't', t);
  checkPositiveInt('cosineLr', 'tMax', tMax);
  checkLr('cosineLr', 'etaMin', etaMin);
  return cosineAt(baseLr, t, tMax, etaMin);
}

/** Cosine annealing as a function of the epoch (see `cosineLr`). */
export function cosineSchedule(baseLr: number, tMax: number, etaMin = 0): (epoch: number) => number {
  checkLr('cosineSchedule', 'baseLr', baseLr);
  checkPositiveInt('cosineSchedule', 'tMax', tMax);
  checkLr('cosineSchedule', 'etaMin', etaMin);
  return (e) => cosineAt(baseLr, checkEpoch('cosineSchedule', 'epoch', e), tMax, etaMin);
}

/**
 * Linear warmup from 0 to `baseLr` over `warmupSteps`, then cosine decay to `minLr` at `totalSteps` (held after).
 * Step counts are integers (`warmupSteps` >= 0, `totalSteps` >= 0; a `totalSteps` <= `warmupSteps` decays over one step).
 */
export function warmupCosineSchedule(baseLr: number, warmupSteps: number, totalSteps: number, minLr = 0): (step: number) => number {
  const owner = 'warmupCosineSchedule';
  checkLr(owner, 'baseLr', baseLr);
  if (typeof warmupSteps !== 'number' || !Number.isInteger(warmupSteps) || warmupSteps < 0) fail(owner, `warmupSteps must be an integer >= 0, got ${describe(warmupSteps)}`);
  if (typeof totalSteps !== 'number' || !Number.isInteger(totalSteps) || totalSteps < 0) fail(owner, `totalSteps must be an integer >= 0, got ${describe(totalSteps)}`);
  checkLr(owner, 'minLr', minLr);
  return (s) => {
    checkEpoch(owner, 'step', s);
    if (s < warmupSteps) return (baseLr * (s + 1)) / warmupSteps;
    const span = Math.max(1, totalSteps - warmupSteps);
    const t = Math.min(s - warmupSteps, span);
    return cosineAt(baseLr, t, span, minLr);
  };
}
