/**
 * The rest of PyTorch's losses: KL divergence, the margin and embedding losses, the Poisson and
 * Gaussian negative log-likelihoods, multilabel soft margin and CTC. Each is a function and a
 * class with PyTorch's formula and defaults (torch.nn.functional, 1.13), written as composites of
 * autograd ops in stable forms (softplus rather than log(1 + e^x), log-sum-exp recursions), so
 * their gradients, and gradients of gradients, come from autograd.
 */
import { ArgumentError, ShapeError, Tensor, cat, formatShape, full, stack, tensor, where } from '@memograd/autograd';
import { Module, checkOptions, describe } from './module.ts';
import { named, text } from './errors.ts';
import {
  as2d, asTensor, checkInput, classIndices, classWeights, reduce, reduceSamples, type ClassIndices, type Reduction, type ReductionOptions, type ReductionLike, type Target,
} from './losses.ts';
import { Loss } from './losses.ts';

// ---------------------------------------------------------------------------------------------
// Checks shared by these losses

function finiteNumber(op: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(op, `${name} must be a finite number, got ${describe(v)}`);
  return v;
}

function positiveNumber(op: string, name: string, v: unknown, fallback: number): number {
  const n = finiteNumber(op, name, v, fallback);
  if (!(n > 0)) throw new ArgumentError(op, `${name} must be positive, got ${n}`);
  return n;
}

function flag(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ArgumentError(op, `${name} must be a boolean, got ${describe(v)}`);
  return v;
}

function sameRank(op: string, tensors: readonly [string, Tensor][]): void {
  const [first] = tensors;
  if (!first) return;
  for (const [name, t] of tensors) {
    if (t.rank !== first[1].rank) {
      const list = tensors.map(([n, x]) => `${n} ${formatShape(x.shape)}`).join(', ');
      throw new ShapeError(op, `${name} has ${t.rank} dimensions but ${first[0]} has ${first[1].rank} (they must have the same number): ${list}`, tensors.map(([, x]) => x.shape));
    }
  }
}

/**
 * t·log t with 0 where t is 0 (PyTorch's xlogy(t, t)). Its gradient at t = 0 is NaN, as PyTorch's:
 * the derivative log t + 1 is −∞ there, which no finite value would represent honestly.
 */
function xlogx(t: Tensor): Tensor {
  return where(t.eq(0), 0, t.mul(t.log()));
}

// ---------------------------------------------------------------------------------------------
// KL divergence

/** How `klDiv` reduces: PyTorch's reductions, plus 'batchmean' (the sum divided by the batch size). */
export type KLDivReduction = Reduction | 'batchmean';

/** Options of `klDiv` / `KLDivLoss`. */
export interface KLDivOptions {
  /**
   * 'mean' (default, as PyTorch: the mean over every element, which is not the KL divergence),
   * 'batchmean' (the sum divided by the batch size: the KL divergence per sample), 'sum' or 'none'.
   */
  reduction?: KLDivReduction;
  /** Whether the target is given as log-probabilities too (default false). */
  logTarget?: boolean;
}

/**
 * The Kullback-Leibler divergence loss, PyTorch's `kl_div`: `input` holds log-probabilities and
 * `target` probabilities (or log-probabilities with `logTarget`); the pointwise loss is
 * target·(log target − input), with 0 where the target is 0, or e^target·(target − input).
 * Use `reduction: 'batchmean'` for the divergence itself.
 */
export function klDiv(input: Tensor, target: Target, options: KLDivOptions = {}): Tensor {
  const op = 'klDiv';
  checkOptions(op, options);
  const x = checkInput(op, input);
  const t = asTensor(op, 'target', target, x);
  const logTarget = flag(op, 'logTarget', options.logTarget, false);
  const loss = named(op, () => (logTarget ? t.exp().mul(t.sub(x)) : xlogx(t).sub(t.mul(x))));
  if (options.reduction === 'batchmean') return x.rank === 0 ? loss.sum() : loss.sum().div(x.shape[0]!);
  return reduce(op, loss, options.reduction);
}

// ---------------------------------------------------------------------------------------------
// Margin and embedding losses

/** Options of the losses with a `margin`. */
export interface MarginOptions extends ReductionOptions {
  /** The margin (default: the loss's PyTorch default). */
  margin?: number;
}

/**
 * PyTorch's `cosine_embedding_loss`: 1 − cos(x1, x2) where the target is 1, max(0, cos(x1, x2) −
 * margin) where it is −1 (margin default 0), with cos computed over the last axis as
 * x1·x2 / √((|x1|² + ε)(|x2|² + ε)), ε = 1e-12. Inputs [N, D] with targets [N], or [D] with a 0-d target.
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Target, options: MarginOptions = {}): Tensor {
  const op = 'cosineEmbeddingLoss';
  checkOptions(op, options);
  const x1 = checkInput(op, input1);
  const x2 = checkInput(op, input2);
  const margin = finiteNumber(op, 'margin', options.margin, 0);
  if (x1.rank !== x2.rank || x1.shape.some((d, i) => d !== x2.shape[i])) {
    throw new ShapeError(op, `input1 ${formatShape(x1.shape)} and input2 ${formatShape(x2.shape)} must have the same shape`, [x1.shape, x2.shape]);
  }
  if (x1.rank !== 1 && x1.rank !== 2) throw new ShapeError(op, `inputs must be [N, D] or [D], got ${formatShape(x1.shape)}`, [x1.shape]);
  const y = asTensor(op, 'target', target, x1);
  const want = x1.rank === 2 ? [x1.shape[0]!] : [];
  if (y.rank !== want.length || (want.length === 1 && y.shape[0] !== want[0])) {
    throw new ShapeError(op, `target must have shape ${formatShape(want)} for inputs ${formatShape(x1.shape)}, got ${formatShape(y.shape)}`, [y.shape]);
  }
  const axis = x1.rank - 1;
  const eps = 1e-12;
  const loss = named(op, () => {
    const dot = x1.mul(x2).sum({ axis });
    const cos = dot.div(x1.mul(x1).sum({ axis }).add(eps).mul(x2.mul(x2).sum({ axis }).add(eps)).sqrt());
    return where(y.eq(1), cos.neg().add(1), 0).add(where(y.eq(-1), cos.sub(margin).clamp(0), 0));
  });
  return reduce(op, loss, options.reduction);
}

/** PyTorch's `margin_ranking_loss`: max(0, −y·(x1 − x2) + margin), margin default 0, with broadcasting. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Target, options: MarginOptions = {}): Tensor {
  const op = 'marginRankingLoss';
  checkOptions(op, options);
  const x1 = checkInput(op, input1);
  const x2 = checkInput(op, input2);
  const margin = finiteNumber(op, 'margin', options.margin, 0);
  const y = asTensor(op, 'target', target, x1);
  sameRank(op, [['input1', x1], ['input2', x2], ['target', y]]);
  return reduce(op, named(op, () => y.neg().mul(x1.sub(x2)).add(margin).clamp(0)), options.reduction);
}

/**
 * PyTorch's `hinge_embedding_loss`: x where the target is 1, max(0, margin − x) where it is −1
 * (margin default 1).
 */
export function hingeEmbeddingLoss(input: Tensor, target: Target, options: MarginOptions = {}): Tensor {
  const op = 'hingeEmbeddingLoss';
  checkOptions(op, options);
  const x = checkInput(op, input);
  const margin = finiteNumber(op, 'margin', options.margin, 1);
  const y = asTensor(op, 'target', target, x);
  const loss = named(op, () => where(y.ne(1), x.neg().add(margin).clamp(0), 0).add(where(y.ne(-1), x, 0)));
  return reduce(op, loss, options.reduction);
}

/** Options of `multiMarginLoss` / `MultiMarginLoss`. */
export interface MultiMarginOptions extends MarginOptions {
  /** The exponent, 1 (default) or 2. */
  p?: 1 | 2;
  /** A weight per class, applied by the target's class. */
  weight?: Target;
}

/**
 * PyTorch's `multi_margin_loss` (the multi-class hinge): for each sample, the sum over classes j
 * other than the target y of max(0, margin − x[y] + x[j])^p · weight[y], divided by the number of
 * classes. Input [N, C] (or [C]) and class indices.
 */
export function multiMarginLoss(input: Tensor, target: ClassIndices, options: MultiMarginOptions = {}): Tensor {
  const op = 'multiMarginLoss';
  checkOptions(op, options);
  const x0 = checkInput(op, input);
  const p = options.p ?? 1;
  if (p !== 1 && p !== 2) throw new ArgumentError(op, `p must be 1 or 2, got ${describe(p)}`);
  const margin = finiteNumber(op, 'margin', options.margin, 1);
  const x = as2d(op, x0);
  const [n, c] = x.shape as [number, number];
  // PyTorch: "Expected non-empty vector or matrix with optional 0-dim batch size"
  if (c === 0) throw new ShapeError(op, `expected at least one class, got input of shape ${formatShape(x0.shape)}`, [x0.shape]);
  const rows = classIndices(op, target, n, c);
  const w = classWeights(op, options.weight, x, c);
  // an empty batch: no rows to pick from (the sum is 0, the mean NaN)
  if (n === 0) return reduceSamples(op, x.sum({ axis: 1 }), options.reduction, false);
  const idx = Array.from(rows.idx, (v) => [v]);
  let z = x.sub(x.gather(1, idx)).add(margin).relu(); // max(0, ·): no gradient at 0, as PyTorch's z > 0
  if (p === 2) z = z.square();
  if (w !== null) z = z.mul(w.indexSelect(0, rows.idx).unsqueeze(1));
  const isTarget = Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, j) => (j === rows.idx[i] ? 1 : 0)));
  const loss = where(isTarget, 0, z).sum({ axis: 1 }).div(c);
  return reduceSamples(op, loss, options.reduction, x0.rank === 1);
}

/** Options of `tripletMarginLoss` / `TripletMarginLoss`. */
export interface TripletMarginOptions extends MarginOptions {
  /** The norm of the distances (default 2). */
  p?: number;
  /** Added to the differences before the norm, as PyTorch's pairwise distance (default 1e-6). */
  eps?: number;
  /** Use the distance positive-negative when it is smaller than anchor-negative (default false). */
  swap?: boolean;
}

/** PyTorch's pairwise distance ‖a − b + eps‖_p over the last axis. */
function pairDistance(a: Tensor, b: Tensor, p: number, eps: number): Tensor {
  return a.sub(b).add(eps).norm({ p, axis: -1 });
}

/**
 * PyTorch's `triplet_margin_loss`: max(0, margin + d(anchor, positive) − d(anchor, negative)) with
 * d(a, b) = ‖a − b + eps‖_p over the last axis (margin 1, p 2, eps 1e-6); with `swap`, the
 * anchor-negative distance is replaced by the positive-negative one where that is smaller.
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginOptions = {}): Tensor {
  const op = 'tripletMarginLoss';
  checkOptions(op, options);
  const a = checkInput(op, anchor);
  const pos = checkInput(op, positive);
  const neg = checkInput(op, negative);
  const margin = finiteNumber(op, 'margin', options.margin, 1);
  const p = positiveNumber(op, 'p', options.p, 2);
  const eps = finiteNumber(op, 'eps', options.eps, 1e-6);
  const swap = flag(op, 'swap', options.swap, false);
  sameRank(op, [['anchor', a], ['positive', pos], ['negative', neg]]);
  if (a.rank === 0) throw new ShapeError(op, 'inputs must have at least one dimension (the embedding axis)', [a.shape]);
  const loss = named(op, () => {
    const dPos = pairDistance(a, pos, p, eps);
    let dNeg = pairDistance(a, neg, p, eps);
    if (swap) dNeg = dNeg.minimum(pairDistance(pos, neg, p, eps));
    return dPos.sub(dNeg).add(margin).clamp(0);
  });
  return reduce(op, loss, options.reduction);
}

/** PyTorch's `soft_margin_loss`: log(1 + e^(−y·x)), computed as softplus(−y·x) (finite for any logit). */
export function softMarginLoss(input: Tensor, target: Target, options: ReductionOptions = {}): Tensor {
  const op = 'softMarginLoss';
  checkOptions(op, options);
  const x = checkInput(op, input);
  const y = asTensor(op, 'target', target, x);
  return reduce(op, named(op, () => y.neg().mul(x).softplus({ threshold: Infinity })), options.reduction);
}

/** Options of `multilabelSoftMarginLoss` / `MultiLabelSoftMarginLoss`. */
export interface MultilabelSoftMarginOptions extends ReductionOptions {
  /** A weight per class (broadcast against the input). */
  weight?: Target;
}

/**
 * PyTorch's `multilabel_soft_margin_loss`: per sample, the mean over classes of the binary
 * cross-entropy with logits, −(y·log σ(x) + (1 − y)·log σ(−x)), computed with softplus. Input and
 * target [N, C] (or [C]) with targets in {0, 1}.
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Target, options: MultilabelSoftMarginOptions = {}): Tensor {
  const op = 'multilabelSoftMarginLoss';
  checkOptions(op, options);
  const x = checkInput(op, input);
  if (x.rank === 0) throw new ShapeError(op, 'input must be [N, C] or [C], got a 0-d tensor', [x.shape]);
  const y = asTensor(op, 'target', target, x);
  let loss = named(op, () => y.mul(x.neg().softplus({ threshold: Infinity })).add(y.neg().add(1).mul(x.softplus({ threshold: Infinity }))));
  if (options.weight !== undefined) {
    const w = asTensor(op, 'weight', options.weight, x);
    loss = named(op, () => loss.mul(w));
  }
  const axis = x.rank - 1;
  return reduce(op, loss.sum({ axis }).div(x.shape[axis]!), options.reduction);
}

// ---------------------------------------------------------------------------------------------
// Negative log-likelihoods

/** Options of `poissonNllLoss` / `PoissonNLLLoss`. */
export interface PoissonNLLOptions extends ReductionOptions {
  /** Whether the input is the log of the rate (default true): loss e^x − y·x; else x − y·log(x + eps). */
  logInput?: boolean;
  /** Add Stirling's approximation of log(y!), y·log y − y + ½ log(2πy), where y > 1 (default false). */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/** PyTorch's `poisson_nll_loss`: the negative log-likelihood of a Poisson target given its rate. */
export function poissonNllLoss(input: Tensor, target: Target, options: PoissonNLLOptions = {}): Tensor {
  const op = 'poissonNllLoss';
  checkOptions(op, options);
  const x = checkInput(op, input);
  const y = asTensor(op, 'target', target, x);
  const logInput = flag(op, 'logInput', options.logInput, true);
  const full = flag(op, 'full', options.full, false);
  const eps = finiteNumber(op, 'eps', options.eps, 1e-8);
  let loss = named(op, () => (logInput ? x.exp().sub(y.mul(x)) : x.sub(y.mul(x.add(eps).log()))));
  if (full) {
    const big = y.gt(1);
    const safe = where(big, y, 2); // keeps log and its gradient finite where the term is masked out
    const stirling = safe.mul(safe.log()).sub(safe).add(safe.mul(2 * Math.PI).log().mul(0.5));
    loss = named(op, () => loss.add(where(big, stirling, 0)));
  }
  return reduce(op, loss, options.reduction);
}

/** Options of `gaussianNllLoss` / `GaussianNLLLoss`. */
export interface GaussianNLLOptions extends ReductionOptions {
  /** Add the constant ½ log(2π) (default false). */
  full?: boolean;
  /** The variance is clamped to at least this, without changing its gradient (default 1e-6). */
  eps?: number;
}

/**
 * PyTorch's `gaussian_nll_loss`: ½ (log var + (input − target)² / var) for a predicted mean and
 * variance. `variance` has the input's shape, or one axis fewer or a last axis of 1 (one variance
 * shared over the last axis). It must not be negative; it is clamped to ≥ eps for the value while
 * its gradient passes unchanged, as PyTorch clamps it under no_grad.
 */
export function gaussianNllLoss(input: Tensor, target: Target, variance: Target, options: GaussianNLLOptions = {}): Tensor {
  const op = 'gaussianNllLoss';
  checkOptions(op, options);
  const x = checkInput(op, input);
  const t = asTensor(op, 'target', target, x);
  let v = asTensor(op, 'variance', variance, x);
  const full = flag(op, 'full', options.full, false);
  const eps = finiteNumber(op, 'eps', options.eps, 1e-6);
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (!same(v.shape, x.shape)) {
    if (same(x.shape.slice(0, -1), v.shape)) v = v.unsqueeze(-1);
    else if (!(x.rank >= 1 && same(x.shape.slice(0, -1), v.shape.slice(0, -1)) && v.shape[v.rank - 1] === 1)) {
      throw new ShapeError(op, `variance has shape ${formatShape(v.shape)}; for input ${formatShape(x.shape)} it must be ${formatShape(x.shape)}, ${formatShape(x.shape.slice(0, -1))} or ${formatShape([...x.shape.slice(0, -1), 1])}`, [x.shape, v.shape]);
    }
  }
  for (let i = 0; i < v.data.length; i++) {
    if (v.data[i]! < 0) throw new ArgumentError(op, `variance must not be negative, got ${v.data[i]} at flat index ${i}`);
  }
  // the clamped value with the unclamped gradient: v + (clamp(v) − v) held constant
  const clamped = v.add(v.detach().clamp(eps).sub(v.detach()));
  let loss = named(op, () => clamped.log().add(x.sub(t).square().div(clamped)).mul(0.5));
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(op, loss, options.reduction);
}

// ---------------------------------------------------------------------------------------------
// CTC

/** Options of `ctcLoss` / `CTCLoss`. */
export interface CTCOptions extends ReductionOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** Replace infinite losses (targets too long for their input) and their gradients by 0 (default false). */
  zeroInfinity?: boolean;
}

/** Lengths as integers: a number, a list, or a 1-D tensor. */
export type Lengths = number | readonly number[] | Int32Array | Tensor;

function lengthsOf(op: string, name: string, v: Lengths, n: number, max: number | null): number[] {
  let values: ArrayLike<number>;
  if (typeof v === 'number') values = [v];
  else if (v instanceof Tensor) {
    if (v.rank > 1) throw new ShapeError(op, `${name} must be 1-D, got shape ${formatShape(v.shape)}`, [v.shape]);
    values = v.data;
  } else if (Array.isArray(v) || v instanceof Int32Array) values = v as ArrayLike<number>;
  else throw new ArgumentError(op, `${name} must be a number, a list of integers or a 1-D tensor, got ${describe(v)}`);
  if (values.length !== n) throw new ShapeError(op, `${name} has ${values.length} entries, expected ${n} (one per sample)`, [[values.length], [n]]);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!Number.isInteger(x) || x < 0 || (max !== null && x > max)) {
      throw new ArgumentError(op, `${name}[${i}] = ${text(x)} must be an integer in [0, ${max ?? 'Infinity'}]`);
    }
    out.push(x);
  }
  return out;
}

/** The targets of each sample, from a padded [N, S] tensor/array or a 1-D concatenation. */
function targetsOf(op: string, targets: Tensor | readonly (readonly number[])[] | readonly number[], lengths: readonly number[], classes: number): number[][] {
  const t = targets instanceof Tensor ? targets : named(op, () => tensor(targets as number[], { dtype: 'float64' }), 'targets ');
  const n = lengths.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let rows: number[][];
  if (t.rank === 2 || (t.rank === 1 && n === 1 && !(targets instanceof Tensor) && Array.isArray((targets as unknown[])[0]))) {
    const [rowsN, s] = t.shape as [number, number];
    if (rowsN !== n) throw new ShapeError(op, `padded targets have ${rowsN} rows, expected ${n} (one per sample)`, [t.shape]);
    rows = lengths.map((len, i) => {
      if (len > s) throw new ArgumentError(op, `targetLengths[${i}] = ${len} exceeds the padded targets' length ${s}`);
      return Array.from(t.data.subarray(i * s, i * s + len));
    });
  } else if (t.rank === 1) {
    if (t.size !== total) throw new ShapeError(op, `concatenated targets have ${t.size} labels but targetLengths sum to ${total}`, [t.shape]);
    let at = 0;
    rows = lengths.map((len) => Array.from(t.data.subarray(at, (at += len))));
  } else throw new ShapeError(op, `targets must be [N, S] (padded) or 1-D (concatenated), got ${formatShape(t.shape)}`, [t.shape]);
  rows.forEach((row, i) => row.forEach((v, j) => {
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw new ArgumentError(op, `target ${j} of sample ${i} is ${v}, not a class index in [0, ${classes})`);
  }));
  return rows;
}

/** A value far below any log-probability that stays finite (so no ∞ − ∞ reaches a gradient). */
const LOG_ZERO = -1e30;

/**
 * Connectionist temporal classification (PyTorch's `ctc_loss`): the negative log-probability of
 * each target sequence summed over all its alignments with the input, by the forward (alpha)
 * recursion in log space. `logProbs` is [T, N, C] (or [T, C]) log-probabilities, e.g. from
 * logSoftmax; `targets` are padded [N, S] or concatenated; 'mean' divides each loss by its target
 * length, then averages. A target that cannot fit its input gives ∞ (0 with `zeroInfinity`).
 *
 * The gradient is the exact derivative with respect to `logProbs`. PyTorch's adds e^logProbs to it,
 * assuming a log-softmax before (the two agree on the logits through logSoftmax).
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor | readonly (readonly number[])[] | readonly number[], inputLengths: Lengths, targetLengths: Lengths, options: CTCOptions = {}): Tensor {
  const op = 'ctcLoss';
  checkOptions(op, options);
  const lp0 = checkInput(op, logProbs);
  if (lp0.rank !== 3 && lp0.rank !== 2) throw new ShapeError(op, `logProbs must be [T, N, C] or [T, C], got ${formatShape(lp0.shape)}`, [lp0.shape]);
  const unbatched = lp0.rank === 2;
  const lp = unbatched ? lp0.unsqueeze(1) : lp0;
  const [T, N, C] = lp.shape as [number, number, number];
  const blank = options.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) throw new ArgumentError(op, `blank must be a class index in [0, ${C}), got ${describe(blank)}`);
  const zeroInfinity = flag(op, 'zeroInfinity', options.zeroInfinity, false);
  const inLen = lengthsOf(op, 'inputLengths', inputLengths, N, T);
  const tgtLen = lengthsOf(op, 'targetLengths', targetLengths, N, null);
  const rows = targetsOf(op, unbatched && !(targets instanceof Tensor && targets.rank === 2) && !Array.isArray((targets as unknown[])[0]) ? [targets as readonly number[]] : targets, tgtLen, C);

  // the extended label sequences: blank, l1, blank, l2, ..., blank (2S + 1 states)
  const L = 2 * Math.max(0, ...tgtLen) + 1;
  const ext: number[][] = rows.map((r) => Array.from({ length: L }, (_, s) => (s % 2 === 1 && (s - 1) / 2 < r.length ? r[(s - 1) / 2]! : blank)));
  const valid = rows.map((r) => Array.from({ length: L }, (_, s) => (s < 2 * r.length + 1 ? 1 : 0)));
  const skip = rows.map((r, n) => Array.from({ length: L }, (_, s) => (s >= 2 && s < 2 * r.length + 1 && ext[n]![s] !== blank && ext[n]![s] !== ext[n]![s - 2] ? 1 : 0)));
  // a target fits when the input has a step for each label plus one blank between repeats
  const feasible = rows.map((r, n) => r.length + r.filter((v, j) => j > 0 && v === r[j - 1]).length <= inLen[n]!);

  const dtype = lp.dtype;
  const emissions = lp.gather(2, Array.from({ length: T }, () => ext)); // [T, N, L]: log p of each state's label
  const emit = (t: number) => emissions.slice([t, 0, 0], [1, N, L]).reshape([N, L]);
  const shift = (a: Tensor, k: number): Tensor => {
    const pad = full([N, Math.min(k, L)], LOG_ZERO, { dtype });
    return k >= L ? pad : cat([pad, a.slice([0, 0], [N, L - k])], 1);
  };
  let alpha = where(valid.map((v) => v.map((ok, s) => (ok && s <= 1 ? 1 : 0))), T > 0 ? emit(0) : full([N, L], LOG_ZERO, { dtype }), LOG_ZERO);
  for (let t = 1; t < T; t++) {
    const prev = stack([alpha, shift(alpha, 1), where(skip, shift(alpha, 2), LOG_ZERO)], 0).logSumExp({ axis: 0 });
    const next = where(valid, prev.add(emit(t)), LOG_ZERO);
    alpha = where(inLen.map((len) => [t < len ? 1 : 0]), next, alpha);
  }
  // log p(target) = logsumexp of the last two states (the last label, the final blank)
  const last = alpha.gather(1, rows.map((r) => [2 * r.length, Math.max(0, 2 * r.length - 1)]));
  const both = rows.map((r) => [1, r.length > 0 ? 1 : 0]);
  const logLik = where(both, last, LOG_ZERO).logSumExp({ axis: 1 });
  const fits = feasible.map((f, n) => f && inLen[n]! > 0 ? 1 : rows[n]!.length === 0 && inLen[n] === 0 ? 2 : 0);
  // an empty target over an empty input has probability 1 (loss 0)
  let loss = where(fits.map((f) => f === 1), logLik.neg(), where(fits.map((f) => f === 2), 0, zeroInfinity ? 0 : Infinity));
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'mean') loss = loss.div(tgtLen.map((l) => Math.max(1, l))).mean();
  else if (reduction === 'sum') loss = loss.sum();
  else if (reduction !== 'none') throw new ArgumentError(op, `reduction must be 'mean', 'sum' or 'none', got ${describe(reduction)}`);
  return reduction === 'none' && unbatched ? loss.reshape([]) : loss;
}

// ---------------------------------------------------------------------------------------------
// Classes

/**
 * Base of the losses that take two inputs and a target (PyTorch's x1, x2, y) or an input, a
 * target and a variance: `loss.call(a, b, c)`.
 */
export abstract class TripleInputLoss<B, C, O extends ReductionLike = ReductionOptions> extends Module {
  /** The options the loss was built with. */
  readonly options: O;

  constructor(options: O = {} as O) {
    super();
    checkOptions(this.typeName, options);
    this.options = options;
  }

  abstract override forward(a: Tensor, b: B, c: C): Tensor;

  override call(a: Tensor, b: B, c: C): Tensor {
    if (b === undefined || c === undefined) throw new ArgumentError(this.typeName, `missing arguments: ${this.typeName} is called as loss.call(a, b, c) with three arguments`);
    if (!(a instanceof Tensor)) throw new ArgumentError(`${this.typeName}.call`, `the first argument must be a Tensor, got ${describe(a)}`);
    return this.forward(a, b, c);
  }

  override extraRepr(): string {
    return `reduction=${text(this.options.reduction ?? 'mean')}`;
  }
}

/** The KL divergence loss as a module (see `klDiv`; use `reduction: 'batchmean'`). */
export class KLDivLoss extends Loss<Target, KLDivOptions> {
  forward(input: Tensor, target: Target): Tensor { return klDiv(input, target, this.options); }
}
/** `cosineEmbeddingLoss` as a module: `call(x1, x2, y)`. */
export class CosineEmbeddingLoss extends TripleInputLoss<Tensor, Target, MarginOptions> {
  forward(input1: Tensor, input2: Tensor, target: Target): Tensor { return cosineEmbeddingLoss(input1, input2, target, this.options); }
}
/** `marginRankingLoss` as a module: `call(x1, x2, y)`. */
export class MarginRankingLoss extends TripleInputLoss<Tensor, Target, MarginOptions> {
  forward(input1: Tensor, input2: Tensor, target: Target): Tensor { return marginRankingLoss(input1, input2, target, this.options); }
}
/** `hingeEmbeddingLoss` as a module. */
export class HingeEmbeddingLoss extends Loss<Target, MarginOptions> {
  forward(input: Tensor, target: Target): Tensor { return hingeEmbeddingLoss(input, target, this.options); }
}
/** `multiMarginLoss` as a module. */
export class MultiMarginLoss extends Loss<ClassIndices, MultiMarginOptions> {
  forward(input: Tensor, target: ClassIndices): Tensor { return multiMarginLoss(input, target, this.options); }
}
/** `tripletMarginLoss` as a module: `call(anchor, positive, negative)`. */
export class TripletMarginLoss extends TripleInputLoss<Tensor, Tensor, TripletMarginOptions> {
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor { return tripletMarginLoss(anchor, positive, negative, this.options); }
}
/** `softMarginLoss` as a module. */
export class SoftMarginLoss extends Loss {
  forward(input: Tensor, target: Target): Tensor { return softMarginLoss(input, target, this.options); }
}
/** `multilabelSoftMarginLoss` as a module. */
export class MultiLabelSoftMarginLoss extends Loss<Target, MultilabelSoftMarginOptions> {
  forward(input: Tensor, target: Target): Tensor { return multilabelSoftMarginLoss(input, target, this.options); }
}
/** `poissonNllLoss` as a module. */
export class PoissonNLLLoss extends Loss<Target, PoissonNLLOptions> {
  forward(input: Tensor, target: Target): Tensor { return poissonNllLoss(input, target, this.options); }
}
/** `gaussianNllLoss` as a module: `call(input, target, variance)`. */
export class GaussianNLLLoss extends TripleInputLoss<Target, Target, GaussianNLLOptions> {
  forward(input: Tensor, target: Target, variance: Target): Tensor { return gaussianNllLoss(input, target, variance, this.options); }
}

/** `ctcLoss` as a module: `call(logProbs, targets, inputLengths, targetLengths)`. */
export class CTCLoss extends Module {
  /** The options the loss was built with. */
  readonly options: CTCOptions;

  constructor(options: CTCOptions = {}) {
    super();
    checkOptions('CTCLoss', options);
    this.options = options;
  }

  forward(logProbs: Tensor, targets: Tensor | readonly (readonly number[])[] | readonly number[], inputLengths: Lengths, targetLengths: Lengths): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, this.options);
  }

  override call(logProbs: Tensor, targets: Tensor | readonly (readonly number[])[] | readonly number[], inputLengths: Lengths, targetLengths: Lengths): Tensor {
    if (targets === undefined || inputLengths === undefined || targetLengths === undefined) {
      throw new ArgumentError('CTCLoss', 'missing arguments: CTCLoss is called as loss.call(logProbs, targets, inputLengths, targetLengths)');
    }
    if (!(logProbs instanceof Tensor)) throw new ArgumentError('CTCLoss.call', `logProbs must be a Tensor, got ${describe(logProbs)}`);
    return this.forward(logProbs, targets, inputLengths, targetLengths);
  }

  override extraRepr(): string {
    return `blank=${text(this.options.blank ?? 0)}, reduction=${text(this.options.reduction ?? 'mean')}`;
  }
}
