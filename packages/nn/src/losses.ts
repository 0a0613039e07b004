/**
 * Loss functions with PyTorch's formulas (and Keras' categorical cross-entropies from
 * probabilities), as functions and as classes. Every one takes `reduction`: 'mean' (default),
 * 'sum' or 'none'. They are composites of tensor ops, written in stable forms (log-softmax,
 * softplus), so autograd differentiates them.
 */
import { ArgumentError, ShapeError, Tensor, formatShape, tensor, where } from '@memograd/autograd';
import type { NestedArray } from '@memograd/autograd';
import { Module, checkOptions, describe } from './module.ts';
import { named, relabel, text } from './errors.ts';

/** How a loss reduces over the batch: mean (default), sum, or none (per-sample values). */
export type Reduction = 'mean' | 'sum' | 'none';

/** The `reduction` option shared by every loss. */
export interface ReductionOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** The options every loss takes: at least a reduction, whose allowed names the loss defines. */
export interface ReductionLike {
  /** How the per-element losses are combined. */
  reduction?: string;
}

/** A target: a tensor, or nested arrays of numbers (converted to the input's dtype). */
export type Target = Tensor | number | readonly NestedArray[];

/** Class indices: a 1-D list of integers. */
export type ClassIndices = readonly number[] | Int32Array | Tensor | number;

/** @internal */
export function asTensor(op: string, name: string, v: Target, like: Tensor): Tensor {
  if (v instanceof Tensor) return v.dtype === like.dtype ? v : v.to(like.dtype);
  if (typeof v === 'number' || Array.isArray(v)) {
    try {
      return tensor(v as NestedArray, { dtype: like.dtype });
    } catch (e) {
      // 'tensor: element [1] is "a"' → 'mseLoss: target element [1] is "a"'
      throw relabel(op, e, `${name} `);
    }
  }
  throw new ArgumentError(op, `${name} must be a Tensor or nested arrays of numbers, got ${describe(v)}`);
}

/** @internal */
export function checkInput(op: string, input: unknown): Tensor {
  if (!(input instanceof Tensor)) throw new ArgumentError(op, `input must be a Tensor, got ${describe(input)}`);
  return input;
}

/** @internal */
export function sameShape(op: string, a: Tensor, b: Tensor, what = 'target'): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(op, `input has shape ${formatShape(a.shape)} but ${what} has shape ${formatShape(b.shape)} (they must match)`, [a.shape, b.shape]);
  }
}

/** @internal */
export function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    // an empty loss (e.g. a posWeight that broadcasts to no elements) has no mean: the error names the loss
    case 'mean': return named(op, () => loss.mean());
    case 'sum': return loss.sum();
    case 'none': return loss;
    default: throw new ArgumentError(op, `reduction must be 'mean', 'sum' or 'none', got ${typeof reduction === 'string' ? `'${reduction}'` : describe(reduction)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Regression

/** Mean squared error: (input − target)². */
export function mseLoss(input: Tensor, target: Target, options: ReductionOptions = {}): Tensor {
  checkOptions('mseLoss', options);
  const x = checkInput('mseLoss', input);
  const t = asTensor('mseLoss', 'target', target, x);
  sameShape('mseLoss', x, t);
  return reduce('mseLoss', x.sub(t).square(), options.reduction);
}

/** Mean absolute error: |input − target|. */
export function l1Loss(input: Tensor, target: Target, options: ReductionOptions = {}): Tensor {
  checkOptions('l1Loss', options);
  const x = checkInput('l1Loss', input);
  const t = asTensor('l1Loss', 'target', target, x);
  sameShape('l1Loss', x, t);
  return reduce('l1Loss', x.sub(t).abs(), options.reduction);
}

/** Keras' name for `l1Loss`. */
export const maeLoss = l1Loss;

/** Options of `huberLoss` / `HuberLoss`. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * Huber loss: ½ d² for |d| ≤ δ, δ (|d| − ½ δ) beyond, with d = input − target. Computed as
 * ½ q² + δ (|d| − q) with q = min(|d|, δ).
 */
export function huberLoss(input: Tensor, target: Target, options: HuberOptions = {}): Tensor {
  checkOptions('huberLoss', options);
  const x = checkInput('huberLoss', input);
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new ArgumentError('huberLoss', `delta must be a finite positive number, got ${describe(delta)}`);
  const t = asTensor('huberLoss', 'target', target, x);
  sameShape('huberLoss', x, t);
  return reduce('huberLoss', huber(x, t, delta), options.reduction);
}

/** The elementwise Huber loss of checked, same-shaped tensors: ½ q² + δ (|d| − q), q = min(|d|, δ). */
function huber(x: Tensor, t: Tensor, delta: number): Tensor {
  const a = x.sub(t).abs();
  const q = a.clamp(null, delta);
  return q.square().mul(0.5).add(a.sub(q).mul(delta));
}

/** Options of `smoothL1Loss` / `SmoothL1Loss`. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  beta?: number;
}

/** Smooth L1: ½ d² / β for |d| < β, |d| − ½ β beyond (Huber with δ = β, divided by β). */
export function smoothL1Loss(input: Tensor, target: Target, options: SmoothL1Options = {}): Tensor {
  checkOptions('smoothL1Loss', options);
  const beta = options.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0) || !Number.isFinite(beta)) throw new ArgumentError('smoothL1Loss', `beta must be a finite non-negative number, got ${describe(beta)}`);
  const x = checkInput('smoothL1Loss', input);
  const t = asTensor('smoothL1Loss', 'target', target, x);
  sameShape('smoothL1Loss', x, t);
  const loss = beta === 0 ? x.sub(t).abs() : huber(x, t, beta).div(beta);
  return reduce('smoothL1Loss', loss, options.reduction);
}

// ---------------------------------------------------------------------------------------------
// Binary classification

/** max(log x, −100), with gradients that stay finite where x is (almost) 0. */
function clampedLog(x: Tensor): Tensor {
  const floor = Math.exp(-100);
  const ok = x.gt(floor);
  // the inner where keeps log's backward away from 1/0; the outer one selects the -100 floor
  return where(ok, where(ok, x, 1).log(), -100);
}

/** Options of `binaryCrossEntropy` / `BCELoss`. */
export interface BCEOptions extends ReductionOptions {
  /** A rescaling weight for each element (broadcast against the input). */
  weight?: Target;
}

/**
 * Binary cross-entropy on probabilities: −w (t log p + (1 − t) log(1 − p)), each log clamped to
 * ≥ −100 as in PyTorch (so p = 0 or 1 gives a finite loss).
 */
export function binaryCrossEntropy(probs: Tensor, target: Target, options: BCEOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy', options);
  const p = checkInput('binaryCrossEntropy', probs);
  const t = asTensor('binaryCrossEntropy', 'target', target, p);
  sameShape('binaryCrossEntropy', p, t);
  for (let i = 0; i < p.data.length; i++) {
    const v = p.data[i]!;
    if (!(v >= 0 && v <= 1)) throw new ArgumentError('binaryCrossEntropy', `input must hold probabilities in [0, 1], got ${v} at flat index ${i} (use binaryCrossEntropyWithLogits for logits)`);
  }
  let loss = t.mul(clampedLog(p)).add(t.neg().add(1).mul(clampedLog(p.neg().add(1)))).neg();
  if (options.weight !== undefined) {
    const w = asTensor('binaryCrossEntropy', 'weight', options.weight, p);
    loss = named('binaryCrossEntropy', () => loss.mul(w)); // broadcasting errors name this function
  }
  return reduce('binaryCrossEntropy', loss, options.reduction);
}

/** Options of `binaryCrossEntropyWithLogits` / `BCEWithLogitsLoss`. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive examples, per class (broadcast against the last axis). */
  posWeight?: Target;
}

/**
 * Binary cross-entropy on logits, PyTorch's formula: (1 − t) x + (1 + (p − 1) t) softplus(−x), with
 * p = `posWeight` (1 when absent, giving (1 − t) x + softplus(−x)). softplus is the stable primitive
 * max(z, 0) + log1p(e^{−|z|}) whose derivative is sigmoid(z) everywhere, so the gradient is exactly
 * sigmoid(x) − t (with posWeight: (1 + (p − 1) t) sigmoid(x) − p t) at every logit, 0 included, and
 * the loss stays finite for logits of any size.
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Target, options: BCEWithLogitsOptions = {}): Tensor {
  checkOptions('binaryCrossEntropyWithLogits', options);
  const x = checkInput('binaryCrossEntropyWithLogits', logits);
  const t = asTensor('binaryCrossEntropyWithLogits', 'target', target, x);
  sameShape('binaryCrossEntropyWithLogits', x, t);
  // threshold Infinity: never switch to the linear approximation, so values match PyTorch exactly
  const softTerm = x.neg().softplus({ threshold: Infinity });
  let loss: Tensor;
  if (options.posWeight === undefined) {
    loss = t.neg().add(1).mul(x).add(softTerm);
  } else {
    const pw = asTensor('binaryCrossEntropyWithLogits', 'posWeight', options.posWeight, x);
    // broadcasting errors name this function
    loss = named('binaryCrossEntropyWithLogits', () => t.neg().add(1).mul(x).add(pw.sub(1).mul(t).add(1).mul(softTerm)));
  }
  if (options.weight !== undefined) {
    const w = asTensor('binaryCrossEntropyWithLogits', 'weight', options.weight, x);
    loss = named('binaryCrossEntropyWithLogits', () => loss.mul(w));
  }
  return reduce('binaryCrossEntropyWithLogits', loss, options.reduction);
}

// ---------------------------------------------------------------------------------------------
// Multi-class classification

/** PyTorch's default `ignore_index`: targets equal to it are skipped. */
const DEFAULT_IGNORE_INDEX = -100;

/**
 * Class-index targets, checked. Rows whose target is the ignore index are skipped: `keep[i]` is
 * false there and `idx[i]` holds 0, a valid class, so gather and indexSelect stay in range (the
 * row's loss is masked out afterwards).
 */
/** @internal Checked class-index targets. */
export interface IndexTargets {
  idx: Int32Array;
  keep: boolean[];
  /** The number of rows kept. */
  kept: number;
}

function checkIgnoreIndex(op: string, ignoreIndex: number | null | undefined, fallback: number | null): number | null {
  if (ignoreIndex === undefined) return fallback;
  if (ignoreIndex !== null && !Number.isInteger(ignoreIndex)) {
    throw new ArgumentError(op, `ignoreIndex must be an integer or null, got ${typeof ignoreIndex === 'number' ? String(ignoreIndex) : describe(ignoreIndex)}`);
  }
  return ignoreIndex;
}

/** @internal */
export function classIndices(op: string, target: ClassIndices, n: number, c: number, ignoreIndex: number | null = null): IndexTargets {
  let values: ArrayLike<number>;
  if (typeof target === 'number') {
    values = [target];
  } else if (target instanceof Tensor) {
    if (target.rank > 1) throw new ShapeError(op, `class-index target must be 1-D, got shape ${formatShape(target.shape)}`, [target.shape]);
    values = target.data;
  } else if (target instanceof Int32Array || Array.isArray(target)) {
    values = target as ArrayLike<number>;
  } else {
    throw new ArgumentError(op, 'target must be class indices (number[], Int32Array, 1-D Tensor) or class probabilities (a Tensor shaped like the input)');
  }
  if (values.length !== n) throw new ShapeError(op, `expected ${n} class indices (one per row of the input), got ${values.length}`, [[n], [values.length]]);
  const idx = new Int32Array(n);
  const keep = new Array<boolean>(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // as in PyTorch, the ignore index is tested first, so it may lie outside [0, C); with no ignore
    // index (null) every target is kept (a null target is then refused, not ignored)
    keep[i] = ignoreIndex === null || v !== ignoreIndex;
    if (!keep[i]) continue;
    if (!Number.isInteger(v) || v < 0 || v >= c) {
      const also = ignoreIndex === null ? '' : ` nor the ignore index ${ignoreIndex}`;
      // a number is printed as it is; anything else is described (a nested array's own toString
      // recurses, and a deep one overflows the stack)
      throw new ArgumentError(op, `target[${i}] = ${typeof v === 'number' ? v : describe(v)} is not a class index in [0, ${c})${also}`);
    }
    idx[i] = v;
    kept++;
  }
  return { idx, keep, kept };
}

/** Zeroes the ignored rows with `where`, so their gradient is exactly 0 even when the mean divides by 0. */
function maskIgnored(loss: Tensor, rows: IndexTargets): Tensor {
  return rows.kept === rows.keep.length ? loss : where(rows.keep, loss, 0);
}

/**
 * Reduces per-row losses of class-index targets as PyTorch does: the mean divides by the number
 * of kept rows, or with class weights by the sum of their targets' weights. When every row is
 * ignored that is 0 / 0 = NaN (as in PyTorch), with zero gradients.
 */
function reduceRows(op: string, loss: Tensor, rows: IndexTargets, rowWeights: Tensor | null, reduction: Reduction | undefined, unbatched: boolean): Tensor {
  const r = reduction ?? 'mean';
  if (r === 'mean') return loss.sum().div(rowWeights === null ? rows.kept : rowWeights.sum());
  return reduceSamples(op, loss, r, unbatched);
}

/** The weight of each row's target, 0 for ignored rows (they leave the weighted mean's denominator). */
function targetWeights(w: Tensor | null, rows: IndexTargets): Tensor | null {
  return w === null ? null : maskIgnored(w.indexSelect(0, rows.idx), rows);
}

function pickTargets(logp: Tensor, rows: IndexTargets): Tensor {
  const n = rows.idx.length;
  // nothing to pick: no rows (an empty batch), or no classes, where every target is the ignore
  // index (checked before); the empty sums keep the shape [n] and the graph (PyTorch's mean is then
  // 0 / 0 = NaN)
  if (n === 0 || logp.shape[1] === 0) return logp.sum({ axis: 1 });
  return logp.gather(1, Array.from(rows.idx, (v) => [v])).reshape([n]);
}

/** @internal */
export function as2d(op: string, x: Tensor): Tensor {
  if (x.rank === 1) return x.unsqueeze(0);
  if (x.rank !== 2) throw new ShapeError(op, `expected input of shape [N, C] or [C], got ${formatShape(x.shape)}`, [x.shape]);
  return x;
}

/** @internal */
export function classWeights(op: string, weight: Target | undefined, like: Tensor, c: number): Tensor | null {
  if (weight === undefined) return null;
  const w = asTensor(op, 'weight', weight, like);
  if (w.rank !== 1 || w.shape[0] !== c) throw new ShapeError(op, `weight must have shape [${c}] (one per class), got ${formatShape(w.shape)}`, [w.shape]);
  return w;
}

/** Reduces per-sample losses; 'none' on an unbatched [C] input gives a scalar, as in PyTorch. */
/** @internal */
export function reduceSamples(op: string, loss: Tensor, reduction: Reduction | undefined, unbatched: boolean): Tensor {
  const out = reduce(op, loss, reduction);
  return (reduction ?? 'mean') === 'none' && unbatched ? out.reshape([]) : out;
}

/** Options of `nllLoss` / `NLLLoss`. */
export interface NLLOptions extends ReductionOptions {
  /** A weight per class; the mean then divides by the sum of the targets' weights. */
  weight?: Target;
  /**
   * Targets equal to this are skipped: they add 0 and leave the mean's denominator (default
   * -100, PyTorch's `ignore_index`; `null` ignores nothing).
   */
  ignoreIndex?: number | null;
}

/** Negative log-likelihood of class indices given log-probabilities [N, C]: −logProbs[i, yᵢ]. */
export function nllLoss(logProbs: Tensor, target: ClassIndices, options: NLLOptions = {}): Tensor {
  checkOptions('nllLoss', options);
  const x0 = checkInput('nllLoss', logProbs);
  const x = as2d('nllLoss', x0);
  const [n, c] = x.shape as [number, number];
  const ignoreIndex = checkIgnoreIndex('nllLoss', options.ignoreIndex, DEFAULT_IGNORE_INDEX);
  const rows = classIndices('nllLoss', target, n, c, ignoreIndex);
  const w = targetWeights(classWeights('nllLoss', options.weight, x, c), rows);
  let loss = pickTargets(x, rows).neg();
  if (w !== null) loss = loss.mul(w);
  return reduceRows('nllLoss', maskIgnored(loss, rows), rows, w, options.reduction, x0.rank === 1);
}

/** Options of `crossEntropy` / `CrossEntropyLoss`. */
export interface CrossEntropyOptions extends ReductionOptions {
  /** Mix the target with the uniform distribution: (1 − ε) target + ε / C (default 0). */
  labelSmoothing?: number;
  /** A weight per class (as in PyTorch). */
  weight?: Target;
  /**
   * With class-index targets, targets equal to this are skipped: they add 0 (to the smoothing
   * term too) and leave the mean's denominator (default -100, PyTorch's `ignore_index`; `null`
   * ignores nothing). Unused with class probabilities, as in PyTorch.
   */
  ignoreIndex?: number | null;
}

function isIndexTarget(target: unknown, logits: Tensor): boolean {
  if (target instanceof Int32Array || typeof target === 'number') return true;
  if (target instanceof Tensor) return target.rank === logits.rank - 1;
  if (Array.isArray(target)) return logits.rank === 2 && (target.length === 0 || typeof target[0] === 'number');
  return false;
}

/**
 * Cross-entropy of logits [N, C] (or [C]) against class indices (sparse: number[], Int32Array or
 * a 1-D Tensor of integers) or class probabilities (a tensor of the logits' shape: one-hot or
 * soft). Computed with log-softmax, so logits of any size give finite losses and gradients.
 *
 * @example
 * crossEntropy(tensor([[2, 0.5, -1]]), [0]);
 */
export function crossEntropy(logits: Tensor, target: ClassIndices | Target, options: CrossEntropyOptions = {}): Tensor {
  checkOptions('crossEntropy', options);
  const x0 = checkInput('crossEntropy', logits);
  const eps = options.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) throw new ArgumentError('crossEntropy', `labelSmoothing must be in [0, 1], got ${describe(eps)}`);
  const x = as2d('crossEntropy', x0);
  const [n, c] = x.shape as [number, number];
  const logp = x.logSoftmax(-1);
  const w = classWeights('crossEntropy', options.weight, x, c);
  const ignoreIndex = checkIgnoreIndex('crossEntropy', options.ignoreIndex, DEFAULT_IGNORE_INDEX);
  if (isIndexTarget(target, x0)) {
    const rows = classIndices('crossEntropy', target as ClassIndices, n, c, ignoreIndex);
    const tw = targetWeights(w, rows);
    let loss = pickTargets(logp, rows).neg();
    if (tw !== null) loss = loss.mul(tw);
    if (eps > 0) {
      // PyTorch: (1 − ε) nll + ε/C · Σ_c −w_c logp_c, the second term also zero on ignored rows
      const weighted = w === null ? logp : logp.mul(w);
      const smooth = weighted.sum({ axis: 1 }).neg().div(c);
      loss = loss.mul(1 - eps).add(smooth.mul(eps));
    }
    return reduceRows('crossEntropy', maskIgnored(loss, rows), rows, tw, options.reduction, x0.rank === 1);
  }
  let t = asTensor('crossEntropy', 'target', target as Target, x0);
  if (x0.rank === 1) t = as2d('crossEntropy', t);
  sameShape('crossEntropy', x, t, 'target probabilities');
  if (eps > 0) t = t.mul(1 - eps).add(eps / c);
  let prod = t.mul(logp);
  if (w !== null) prod = prod.mul(w);
  const loss = prod.sum({ axis: 1 }).neg();
  return reduceSamples('crossEntropy', loss, options.reduction, x0.rank === 1);
}

/** Options of the Keras-style `categoricalCrossEntropy`. */
export interface CategoricalOptions extends ReductionOptions {
  /** Whether the input holds logits rather than probabilities (default false, as in Keras). */
  fromLogits?: boolean;
  /** The clipping epsilon for probabilities (default 1e-7, Keras' epsilon). */
  epsilon?: number;
}

function clippedLogProbs(op: string, probs: Tensor, epsilon: number): Tensor {
  // Keras: scale rows to sum to one, clip to [eps, 1 - eps], then log
  const normalized = probs.div(probs.sum({ axis: -1, keepDims: true }));
  return normalized.clamp(epsilon, 1 - epsilon).log();
}

/**
 * Keras' categorical cross-entropy: −Σ t log p over the last axis, with `probs` rescaled to sum
 * to one and clipped to [1e-7, 1 − 1e-7]; with `fromLogits: true` it is `crossEntropy`.
 */
export function categoricalCrossEntropy(probs: Tensor, target: Target, options: CategoricalOptions = {}): Tensor {
  checkOptions('categoricalCrossEntropy', options);
  const p = checkInput('categoricalCrossEntropy', probs);
  if (options.fromLogits) {
    const t = asTensor('categoricalCrossEntropy', 'target', target, p);
    return named('categoricalCrossEntropy', () => crossEntropy(p, t, { reduction: options.reduction }));
  }
  const t = asTensor('categoricalCrossEntropy', 'target', target, p);
  sameShape('categoricalCrossEntropy', p, t);
  const loss = t.mul(clippedLogProbs('categoricalCrossEntropy', p, options.epsilon ?? 1e-7)).sum({ axis: -1 }).neg();
  return reduce('categoricalCrossEntropy', loss, options.reduction);
}

/** Options of the Keras-style `sparseCategoricalCrossEntropy`. */
export interface SparseCategoricalOptions extends CategoricalOptions {
  /**
   * Targets equal to this class are skipped (Keras' `ignore_class`): they add 0 and the mean is
   * over the other rows. Default `null`: nothing is ignored, as in Keras.
   */
  ignoreIndex?: number | null;
}

/**
 * Keras' sparse categorical cross-entropy: class indices against probabilities [N, C] (clipped as
 * in `categoricalCrossEntropy`), or against logits with `fromLogits: true`.
 */
export function sparseCategoricalCrossEntropy(probs: Tensor, target: ClassIndices, options: SparseCategoricalOptions = {}): Tensor {
  checkOptions('sparseCategoricalCrossEntropy', options);
  const p = checkInput('sparseCategoricalCrossEntropy', probs);
  // Keras ignores nothing by default, unlike crossEntropy (PyTorch's -100)
  const ignoreIndex = checkIgnoreIndex('sparseCategoricalCrossEntropy', options.ignoreIndex, null);
  if (options.fromLogits) return named('sparseCategoricalCrossEntropy', () => crossEntropy(p, target, { reduction: options.reduction, ignoreIndex }));
  const x = as2d('sparseCategoricalCrossEntropy', p);
  const [n, c] = x.shape as [number, number];
  const logp = clippedLogProbs('sparseCategoricalCrossEntropy', x, options.epsilon ?? 1e-7);
  const rows = classIndices('sparseCategoricalCrossEntropy', target, n, c, ignoreIndex);
  const loss = maskIgnored(pickTargets(logp, rows).neg(), rows);
  return reduceRows('sparseCategoricalCrossEntropy', loss, rows, null, options.reduction, p.rank === 1);
}

// ---------------------------------------------------------------------------------------------
// Classes

/**
 * Base of the loss classes: `new MSELoss().call(input, target)`. Losses are Modules, as in
 * PyTorch, so a model can hold its criterion as a child (it has no parameters; `toString()` shows
 * the reduction). `forward` takes the target as its second argument.
 */
export abstract class Loss<T = Target, O extends ReductionLike = ReductionOptions> extends Module {
  /** The options the loss was built with. */
  readonly options: O;

  constructor(options: O = {} as O) {
    super();
    // abstract in TypeScript, but JavaScript can still construct it (PyTorch's _Loss has no forward either)
    if (new.target === Loss) throw new ArgumentError('Loss', 'Loss is an abstract base class: use a loss such as MSELoss, or extend Loss and implement forward(input, target)');
    checkOptions(this.typeName, options);
    this.options = options;
  }

  abstract override forward(input: Tensor, target: T): Tensor;

  override call(input: Tensor, target: T): Tensor {
    // reached through the Module type (e.g. inside a Sequential), a loss gets no target
    if (target === undefined) throw new ArgumentError(this.typeName, 'missing the target: a loss is called as loss.call(input, target)');
    if (typeof this.forward !== 'function') throw new ArgumentError(this.typeName, `${this.typeName} has no forward(input, target): a Loss subclass must implement it`);
    return this.forward(input, target);
  }

  override extraRepr(): string {
    return `reduction=${text(this.options.reduction ?? 'mean')}`;
  }
}

export class MSELoss extends Loss {
  forward(input: Tensor, target: Target): Tensor { return mseLoss(input, target, this.options); }
}
export class L1Loss extends Loss {
  forward(input: Tensor, target: Target): Tensor { return l1Loss(input, target, this.options); }
}
export class HuberLoss extends Loss<Target, HuberOptions> {
  forward(input: Tensor, target: Target): Tensor { return huberLoss(input, target, this.options); }
}
export class SmoothL1Loss extends Loss<Target, SmoothL1Options> {
  forward(input: Tensor, target: Target): Tensor { return smoothL1Loss(input, target, this.options); }
}
export class BCELoss extends Loss<Target, BCEOptions> {
  forward(input: Tensor, target: Target): Tensor { return binaryCrossEntropy(input, target, this.options); }
}
export class BCEWithLogitsLoss extends Loss<Target, BCEWithLogitsOptions> {
  forward(input: Tensor, target: Target): Tensor { return binaryCrossEntropyWithLogits(input, target, this.options); }
}
export class CrossEntropyLoss extends Loss<ClassIndices | Target, CrossEntropyOptions> {
  forward(input: Tensor, target: ClassIndices | Target): Tensor { return crossEntropy(input, target, this.options); }
}
export class NLLLoss extends Loss<ClassIndices, NLLOptions> {
  forward(input: Tensor, target: ClassIndices): Tensor { return nllLoss(input, target, this.options); }
}
export class CategoricalCrossEntropy extends Loss<Target, CategoricalOptions> {
  forward(input: Tensor, target: Target): Tensor { return categoricalCrossEntropy(input, target, this.options); }
}
export class SparseCategoricalCrossEntropy extends Loss<ClassIndices, SparseCategoricalOptions> {
  forward(input: Tensor, target: ClassIndices): Tensor { return sparseCategoricalCrossEntropy(input, target, this.options); }
}
