/**
 * Optimizers and losses by name, as Keras' `compile(optimizer='adam', loss='binary_crossentropy')`
 * takes them: one table for each, used by `fit`, `evaluate` and the metrics of both.
 *
 * A name gives Keras 3's defaults, not PyTorch's (Keras' Adam has eps 1e-7, its SGD lr 0.01, its
 * RMSprop lr 0.001 and rho 0.9, ...). memograd's optimizers follow PyTorch's update rules, which
 * match Keras' exactly for SGD, Adadelta and Nadam (with `momentumDecay: 1`, Keras' momentum
 * schedule); for Adam, AdamW, RMSprop, Adagrad and Adamax the epsilon sits elsewhere in the update
 * (see `KERAS_OPTIMIZER_DEFAULTS`), a difference of the order of epsilon (1e-7) relative to the
 * step where gradients are not tiny.
 */
import { Tensor } from '@memograd/autograd';
import {
  categoricalCrossEntropy, huberLoss, l1Loss, mseLoss, sparseCategoricalCrossEntropy,
} from '@memograd/nn';
import { ArgumentError, renameError } from '@memograd/autograd';
import { Adadelta } from './adadelta.ts';
import { Adagrad } from './adagrad.ts';
import { Adam, AdamW } from './adam.ts';
import { Adamax } from './adamax.ts';
import { NAdam } from './nadam.ts';
import type { Optimizer, Params } from './optimizer.ts';
import { RMSprop } from './rmsprop.ts';
import { SGD } from './sgd.ts';
import { describe } from './util.ts';

// ---------------------------------------------------------------------------------------------
// optimizers

/** The canonical (Keras lower-case) optimizer names. */
export type OptimizerKey = 'adam' | 'sgd' | 'rmsprop' | 'adadelta' | 'adagrad' | 'adamw' | 'nadam' | 'adamax';

/**
 * An optimizer name as Keras' `optimizers.get` accepts it: the lower-case name (`'adam'`) or the
 * class name (`'Adam'`, `'SGD'`, `'RMSprop'`, `'Nadam'`, ...).
 */
export type OptimizerName = OptimizerKey | 'Adam' | 'SGD' | 'RMSprop' | 'Adadelta' | 'Adagrad' | 'AdamW' | 'Nadam' | 'Adamax';

type AnyOptimizerClass = new (params: Params<never>, options: Record<string, unknown>) => Optimizer;

interface OptimizerEntry {
  readonly cls: AnyOptimizerClass;
  /** Keras' defaults in memograd's option names. */
  readonly defaults: Readonly<Record<string, unknown>>;
}

const BETAS = [0.9, 0.999] as const;

/**
 * Keras 3's default hyper-parameters for each optimizer name, in memograd's option names (checked
 * against keras/src/optimizers/*.py). Where memograd's update rule (PyTorch's) differs from
 * Keras', the difference is:
 *
 * - `sgd`: lr 0.01, momentum 0 — identical.
 * - `adam`: lr 0.001, betas (0.9, 0.999), eps 1e-7. Keras adds eps to √v (not bias-corrected) and
 *   scales the step by √(1−β₂ᵗ)/(1−β₁ᵗ); PyTorch adds eps to √v/√(1−β₂ᵗ). Keras' step is PyTorch's
 *   with eps·√(1−β₂ᵗ) in place of eps: equal once gradients are much larger than eps.
 * - `adamw`: as adam, weight decay 0.004, decoupled (θ ← θ(1 − lr·wd), as in Keras).
 * - `rmsprop`: lr 0.001, rho (memograd `alpha`) 0.9, eps 1e-7. Keras divides by √(v + eps),
 *   PyTorch by √v + eps.
 * - `adadelta`: lr 0.001, rho 0.95, eps 1e-7 — identical (eps inside both square roots).
 * - `adagrad`: lr 0.001, initial accumulator 0.1, eps 1e-7. Keras divides by √(s + eps), PyTorch
 *   by √s + eps.
 * - `nadam`: lr 0.001, betas (0.9, 0.999), eps 1e-7, `momentumDecay: 1`. Keras' momentum
 *   schedule is μₜ = β₁(1 − ½·0.96ᵗ), PyTorch's β₁(1 − ½·0.96^(0.004·t)): `momentumDecay` 1 gives
 *   Keras' exactly, and the rest of the update (eps on √v̂) is the same.
 * - `adamax`: lr 0.001, betas (0.9, 0.999), eps 1e-7. Keras keeps u = max(β₂u, |g|) and divides
 *   by u + eps; PyTorch keeps u = max(β₂u, |g| + eps) and divides by u.
 */
export const KERAS_OPTIMIZER_DEFAULTS: Readonly<Record<OptimizerKey, Readonly<Record<string, unknown>>>> = Object.freeze({
  adam: Object.freeze({ lr: 1e-3, betas: BETAS, eps: 1e-7 }),
  sgd: Object.freeze({ lr: 1e-2, momentum: 0 }),
  rmsprop: Object.freeze({ lr: 1e-3, alpha: 0.9, eps: 1e-7, momentum: 0, centered: false }),
  adadelta: Object.freeze({ lr: 1e-3, rho: 0.95, eps: 1e-7 }),
  adagrad: Object.freeze({ lr: 1e-3, initialAccumulatorValue: 0.1, eps: 1e-7 }),
  adamw: Object.freeze({ lr: 1e-3, betas: BETAS, eps: 1e-7, weightDecay: 0.004 }),
  nadam: Object.freeze({ lr: 1e-3, betas: BETAS, eps: 1e-7, momentumDecay: 1 }),
  adamax: Object.freeze({ lr: 1e-3, betas: BETAS, eps: 1e-7 }),
});

const OPTIMIZER_CLASSES: Record<OptimizerKey, AnyOptimizerClass> = {
  adam: Adam as unknown as AnyOptimizerClass,
  sgd: SGD as unknown as AnyOptimizerClass,
  rmsprop: RMSprop as unknown as AnyOptimizerClass,
  adadelta: Adadelta as unknown as AnyOptimizerClass,
  adagrad: Adagrad as unknown as AnyOptimizerClass,
  adamw: AdamW as unknown as AnyOptimizerClass,
  nadam: NAdam as unknown as AnyOptimizerClass,
  adamax: Adamax as unknown as AnyOptimizerClass,
};

/** Keras' class names, which `optimizers.get` accepts too. */
const OPTIMIZER_CLASS_NAMES: Record<string, OptimizerKey> = {
  Adam: 'adam', SGD: 'sgd', RMSprop: 'rmsprop', Adadelta: 'adadelta', Adagrad: 'adagrad', AdamW: 'adamw', Nadam: 'nadam', Adamax: 'adamax',
};

function optimizerEntry(op: string, name: unknown): OptimizerEntry & { key: OptimizerKey } {
  const key = typeof name === 'string'
    ? (Object.hasOwn(OPTIMIZER_CLASSES, name) ? name as OptimizerKey : Object.hasOwn(OPTIMIZER_CLASS_NAMES, name) ? OPTIMIZER_CLASS_NAMES[name] : undefined)
    : undefined;
  if (key === undefined) throw new UnknownNameError(op, 'optimizer', name, OPTIMIZER_NAMES);
  return { key, cls: OPTIMIZER_CLASSES[key], defaults: KERAS_OPTIMIZER_DEFAULTS[key] };
}

/** Every optimizer name `optimizerFromName` and `fit` accept, lower-case names first. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze([
  ...(Object.keys(OPTIMIZER_CLASSES) as OptimizerKey[]),
  ...(Object.keys(OPTIMIZER_CLASS_NAMES) as OptimizerName[]),
]);

/** Whether `name` is an optimizer name `optimizerFromName` accepts. */
export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === 'string' && (Object.hasOwn(OPTIMIZER_CLASSES, name) || Object.hasOwn(OPTIMIZER_CLASS_NAMES, name));
}

/**
 * The optimizer a Keras name stands for, over `params`, with Keras' default hyper-parameters
 * (`KERAS_OPTIMIZER_DEFAULTS`) and then `overrides` (memograd's option names: `lr`, `eps`,
 * `weightDecay`, ...). Keras' `optimizers.get(name)`, bound to parameters.
 *
 * @example
 * const opt = optimizerFromName('adam', model.parameters(), { lr: 0.01 });
 *
 * @throws UnknownNameError (an ArgumentError) for a name not in `OPTIMIZER_NAMES`, listing them.
 */
export function optimizerFromName(name: OptimizerName, params: Params<never>, overrides: Record<string, unknown> = {}): Optimizer {
  const e = optimizerEntry('optimizerFromName', name);
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ArgumentError('optimizerFromName', `overrides must be an object of ${e.cls.name} options (lr, eps, ...), got ${describe(overrides)}`);
  }
  return new e.cls(params, { ...e.defaults, ...overrides });
}

// ---------------------------------------------------------------------------------------------
// losses

/** The canonical (Keras function) loss names. */
export type LossKey = 'mean_squared_error' | 'mean_absolute_error' | 'huber' | 'binary_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy';

/**
 * A loss name as Keras' `losses.get` accepts it: the function name (`'mean_squared_error'`), its
 * alias (`'mse'`, `'mae'`, `'bce'`, upper-case too) or the class name (`'MeanSquaredError'`).
 */
export type LossName =
  | LossKey
  | 'mse' | 'MSE' | 'MeanSquaredError'
  | 'mae' | 'MAE' | 'MeanAbsoluteError'
  | 'Huber'
  | 'bce' | 'BCE' | 'BinaryCrossentropy'
  | 'CategoricalCrossentropy'
  | 'SparseCategoricalCrossentropy';

/** A scalar loss of predictions and targets. */
type LossFunction = (pred: Tensor, target: Tensor) => Tensor;

/** Keras' `backend.epsilon()`: probabilities are clipped to [eps, 1 − eps] before the log. */
const KERAS_EPSILON = 1e-7;

/**
 * Keras' `squeeze_or_expand_to_same_rank`: a target whose rank differs from the predictions' by
 * one trailing axis of size 1 (`y` of shape [N] against outputs [N, 1], or the reverse) takes the
 * predictions' shape, so that `loss: 'mse'` on a one-output model and a 1-D `y` compares sample
 * with sample instead of failing.
 */
function alignTarget(pred: Tensor, target: Tensor): Tensor {
  if (!(pred instanceof Tensor) || !(target instanceof Tensor)) return target;
  const pr = pred.rank;
  const tr = target.rank;
  if (Math.abs(pr - tr) !== 1 || pred.size !== target.size) return target;
  const longer = pr > tr ? pred.shape : target.shape;
  return longer[longer.length - 1] === 1 ? target.reshape(pred.shape as number[]) : target;
}

function checkTensors(op: string, pred: unknown, target: unknown): void {
  if (!(pred instanceof Tensor)) throw new ArgumentError(op, `predictions must be a Tensor, got ${describe(pred)}`);
  if (!(target instanceof Tensor)) throw new ArgumentError(op, `targets must be a Tensor, got ${describe(target)}`);
}

/**
 * Keras' binary cross-entropy on probabilities (`from_logits=False`): p clipped to
 * [1e-7, 1 − 1e-7], then −(t log p + (1 − t) log(1 − p)), averaged over every element (Keras
 * averages over the last axis, then over the batch: the same for equal-length rows). This is the
 * JAX, PyTorch and NumPy backends' formula; the TensorFlow backend also adds 1e-7 inside each log.
 * A finite prediction outside [0, 1] is an error (it is a logit: end the model with a sigmoid);
 * NaN passes through, so a diverging run shows a NaN loss (for `TerminateOnNaN`) instead of a throw.
 */
function kerasBinaryCrossentropy(pred: Tensor, target: Tensor): Tensor {
  const op = 'binary_crossentropy';
  checkTensors(op, pred, target);
  let t = alignTarget(pred, target);
  if (t.dtype !== pred.dtype) t = t.to(pred.dtype);
  if (t.shape.length !== pred.shape.length || t.shape.some((d, i) => d !== pred.shape[i])) {
    throw new ArgumentError(op, `predictions of shape [${pred.shape.join(', ')}] and targets of shape [${t.shape.join(', ')}] differ`);
  }
  const d = pred.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < 0 || v > 1) {
      throw new ArgumentError(op, `predictions must be probabilities in [0, 1] (Keras' default from_logits=false), got ${v} at flat index ${i}: end the model with a sigmoid, or pass binaryCrossEntropyWithLogits from @memograd/nn as the loss`);
    }
  }
  const p = pred.clamp(KERAS_EPSILON, 1 - KERAS_EPSILON);
  return t.mul(p.log()).add(t.neg().add(1).mul(p.neg().add(1).log())).neg().mean();
}

/** Class indices for the sparse loss: Keras takes [N] or [N, 1]. */
function sparseTargets(pred: Tensor, target: Tensor): Tensor {
  return target.rank === pred.rank && target.rank > 1 && target.shape[target.rank - 1] === 1
    ? target.reshape(target.shape.slice(0, -1) as number[])
    : target;
}

interface LossEntry {
  readonly key: LossKey;
  readonly fn: LossFunction;
}

function entry(key: LossKey, body: LossFunction): LossEntry {
  // errors of the nn loss underneath name the function the user picked ('mean_squared_error: mseLoss: …')
  const fn: LossFunction = (pred, target) => {
    try {
      return body(pred, target);
    } catch (e) {
      throw renameError(key, e);
    }
  };
  Object.defineProperty(fn, 'name', { value: key });
  return Object.freeze({ key, fn });
}

const MSE = entry('mean_squared_error', (p, t) => { checkTensors('mean_squared_error', p, t); return mseLoss(p, alignTarget(p, t)); });
const MAE = entry('mean_absolute_error', (p, t) => { checkTensors('mean_absolute_error', p, t); return l1Loss(p, alignTarget(p, t)); });
const HUBER = entry('huber', (p, t) => { checkTensors('huber', p, t); return huberLoss(p, alignTarget(p, t), { delta: 1 }); });
const BCE = entry('binary_crossentropy', kerasBinaryCrossentropy);
const CCE = entry('categorical_crossentropy', (p, t) => { checkTensors('categorical_crossentropy', p, t); return categoricalCrossEntropy(p, t, { epsilon: KERAS_EPSILON }); });
const SCCE = entry('sparse_categorical_crossentropy', (p, t) => { checkTensors('sparse_categorical_crossentropy', p, t); return sparseCategoricalCrossEntropy(p, sparseTargets(p, t), { epsilon: KERAS_EPSILON }); });

/** Keras' loss table: function names, aliases and class names (keras/src/losses/__init__.py). */
const LOSSES: Readonly<Record<LossName, LossEntry>> = Object.freeze({
  mean_squared_error: MSE, mse: MSE, MSE, MeanSquaredError: MSE,
  mean_absolute_error: MAE, mae: MAE, MAE, MeanAbsoluteError: MAE,
  huber: HUBER, Huber: HUBER,
  binary_crossentropy: BCE, bce: BCE, BCE, BinaryCrossentropy: BCE,
  categorical_crossentropy: CCE, CategoricalCrossentropy: CCE,
  sparse_categorical_crossentropy: SCCE, SparseCategoricalCrossentropy: SCCE,
});

/** Every loss name `lossFromName`, `fit` and `evaluate` accept. */
export const LOSS_NAMES: readonly LossName[] = Object.freeze(Object.keys(LOSSES) as LossName[]);

/** Whether `name` is a loss name `lossFromName` accepts. */
export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && Object.hasOwn(LOSSES, name);
}

/**
 * The loss function a Keras name stands for, with Keras' semantics: predictions are
 * probabilities (not logits) for the cross-entropies, clipped to [1e-7, 1 − 1e-7]; the
 * categorical ones rescale each row to sum to one first (`categoricalCrossEntropy` of
 * @memograd/nn); huber has delta 1; every loss is the mean over samples, and a target that differs
 * from the predictions only by a trailing axis of size 1 is reshaped to them (Keras'
 * squeeze-or-expand). `sparse_categorical_crossentropy` takes class indices of shape [N] or [N, 1].
 *
 * @example
 * const loss = lossFromName('binary_crossentropy');
 * loss(model.call(x), y);
 *
 * @throws UnknownNameError (an ArgumentError) for a name not in `LOSS_NAMES`, listing them.
 */
export function lossFromName(name: LossName): (pred: Tensor, target: Tensor) => Tensor {
  if (!isLossName(name)) throw new UnknownNameError('lossFromName', 'loss', name, LOSS_NAMES);
  return LOSSES[name].fn;
}

// ---------------------------------------------------------------------------------------------
// the error

/**
 * An unknown optimizer, loss or metric name: an ArgumentError whose message lists the valid
 * names (`fit: unknown optimizer 'adm'; valid names: adam, sgd, ...`). `kind` and `validNames`
 * say which table was searched.
 */
export class UnknownNameError extends ArgumentError {
  /** Which table the name was looked up in. */
  readonly kind: 'optimizer' | 'loss' | 'metric';
  /** The names that would have been accepted. */
  readonly validNames: readonly string[];
  constructor(op: string, kind: 'optimizer' | 'loss' | 'metric', name: unknown, validNames: readonly string[]) {
    // an error constructor must not throw: anything that is not a string is described, never converted
    const text = (v: unknown): string => (typeof v === 'string' ? v : describe(v));
    const names = Array.isArray(validNames) ? validNames.map(text) : [];
    const given = typeof name === 'string' ? `'${name}'` : describe(name);
    super(text(op), `unknown ${text(kind)} ${given}${suggestion(name, names)}; valid names: ${names.join(', ')}`);
    this.kind = kind;
    this.validNames = Object.freeze(names);
  }
}

/** " (did you mean 'adam'?)" when the name matches one up to case, '_' and '-'. */
function suggestion(name: unknown, valid: readonly string[]): string {
  if (typeof name !== 'string') return '';
  const norm = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const hit = valid.find((v) => norm(v) === norm(name));
  return hit === undefined ? '' : ` (did you mean '${hit}'?)`;
}
