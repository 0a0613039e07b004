/**
 * Normalisation network ops: groupNorm, instanceNorm and batchNorm over [N, C, ...] inputs, with
 * torch.nn.functional's semantics. Composites of mean, sub, mul, div and sqrt, so their gradients
 * (w.r.t. x, weight and bias) have every order. Running statistics are plain tensors without
 * gradient: training updates them in place (bumping their `version`), outside the graph.
 */
import { ArgumentError, DTypeError, renameError, ShapeError } from '../errors.ts';
import { noGrad } from '../engine.ts';
import { checkOptions, describe, formatShape, sizeOf } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import type { OracleInput } from './define.ts';
import { mean } from './reduce.ts';
import { reshape, slice } from './shape-ops.ts';

/**
 * (x - mean) / sqrt(var + eps) over `axes` with the biased variance; also the statistics, or null for
 * an empty x: PyTorch normalises an empty input to an empty output (still differentiable: zero
 * gradients), while memograd's mean refuses an empty selection.
 */
function standardize(x: Tensor, axes: number[], eps: number): { y: Tensor; stats: { mean: Tensor; var: Tensor } | null } {
  if (x.size === 0) return { y: x.mul(0), stats: null };
  const m = mean(x, { axis: axes, keepDims: true });
  const c = x.sub(m);
  const v = mean(c.mul(c), { axis: axes, keepDims: true });
  return { y: c.div(v.add(eps).sqrt()), stats: { mean: m, var: v } };
}

/** The per-channel shape [C, 1, ..., 1] that broadcasts against [N, C, ...]. */
function channelShape(x: Tensor): number[] {
  return [x.shape[1]!, ...x.shape.slice(2).map(() => 1)];
}

function affine(y: Tensor, x: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor {
  const cs = channelShape(x);
  // an empty x: weight and bias enter through an empty slice reshaped to x's shape (their gradient is
  // then zeros, as in PyTorch), since the engine refuses a broadcast gradient with fewer elements than
  // its input (engine.ts unbroadcast: add or expand onto an empty shape fails in backward)
  const param = (p: Tensor): Tensor => (x.size === 0 ? reshape(slice(p, [0], [0]), x.shape) : reshape(p, cs));
  let out = y;
  if (weight !== null) out = out.mul(param(weight));
  if (bias !== null) out = out.add(param(bias));
  return out;
}

/** Checks x is [N, C, ...] and returns it. */
function input(op: string, x: TensorLike): Tensor {
  const t = toTensor(x, 'x', op);
  if (t.rank < 2) throw new ShapeError(op, `expects an input of shape [N, C, ...] (at least 2 axes), got ${formatShape(t.shape)}`, [t.shape]);
  return t;
}

/** An optional per-channel tensor (weight, bias, running statistics): null or a [C] tensor of x's dtype. */
function perChannel(op: string, name: string, v: unknown, x: Tensor, stat = false): Tensor | null {
  if (v === undefined || v === null) return null;
  if (stat && !(v instanceof Tensor)) throw new ArgumentError(op, `${name} must be a Tensor (it is updated in place), got ${describe(v)}`);
  const t = toTensor(v as TensorLike, name, op, x.dtype);
  const c = x.shape[1]!;
  if (t.rank !== 1 || t.shape[0] !== c) {
    throw new ShapeError(op, `${name} must have shape [${c}] (one value per channel of the input ${formatShape(x.shape)}), got ${formatShape(t.shape)}`, [x.shape, t.shape]);
  }
  if (t.dtype !== x.dtype) throw new DTypeError(op, `x is ${x.dtype} but ${name} is ${t.dtype}`);
  if (stat && t.requiresGrad) {
    throw new ArgumentError(op, `${name} requires grad, but running statistics are not differentiable (PyTorch: this input cannot have requires_grad True); pass a tensor without requiresGrad`);
  }
  return t;
}

function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new ArgumentError(op, `eps must be a non-negative finite number, got ${describe(eps)}`);
  return eps;
}

function checkMomentum(op: string, momentum: unknown): number {
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new ArgumentError(op, `momentum must be a finite number, got ${describe(momentum)}`);
  return momentum;
}

function checkFlag(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ArgumentError(op, `${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * running = (1 - momentum) · running + momentum · stat, in place (and its version bumped), where
 * stat[c] is the average over `reps` rows of `values` (one row of C values each).
 */
function updateRunning(t: Tensor, values: ArrayLike<number>, reps: number, momentum: number, factor: number): void {
  const c = t.size;
  const d = t.data;
  for (let j = 0; j < c; j++) {
    let acc = 0;
    for (let r = 0; r < reps; r++) acc += (1 - momentum) * d[j]! + momentum * values[r * c + j]! * factor;
    d[j] = acc / reps;
  }
  t.bumpVersion();
}

// ------------------------------------------------------------------ groupNorm

/** Options of `groupNorm`. */
export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Group normalisation (torch.nn.functional.group_norm): the C channels of x [N, C, ...] are split into
 * `numGroups` groups, each normalised over its channels and spatial positions with the biased
 * variance, then scaled by `weight` [C] and shifted by `bias` [C] when given.
 */
export function groupNorm(x: TensorLike, numGroups: number, weight?: TensorLike | null, bias?: TensorLike | null, options?: GroupNormOptions): Tensor {
  const op = 'groupNorm';
  const t = input(op, x);
  const o = checkOptions<GroupNormOptions>(op, options, ['eps']);
  const eps = checkEps(op, o.eps ?? 1e-5);
  const c = t.shape[1]!;
  if (typeof numGroups !== 'number' || !Number.isInteger(numGroups) || numGroups <= 0) {
    throw new ArgumentError(op, `numGroups must be a positive integer, got ${describe(numGroups)}`);
  }
  if (c % numGroups !== 0) {
    throw new ShapeError(op, `the number of channels of the input ${formatShape(t.shape)} (${c}) must be divisible by numGroups = ${numGroups}`, [t.shape]);
  }
  const w = perChannel(op, 'weight', weight, t);
  const b = perChannel(op, 'bias', bias, t);
  const n = t.shape[0]!;
  try {
    // an empty input (N, C or a spatial size 0) gives an empty output, as in PyTorch
    const grouped = reshape(t, [n, numGroups, (c / numGroups) * sizeOf(t.shape.slice(2))]);
    const y = reshape(standardize(grouped, [2], eps).y, t.shape);
    return affine(y, t, w, b);
  } catch (e) {
    throw renameError(op, e);
  }
}

// ------------------------------------------------------------------ instanceNorm

/** Options of `instanceNorm` (torch.nn.functional.instance_norm). */
export interface InstanceNormOptions {
  /** Running means [C], updated in place when using the input's statistics. */
  runningMean?: Tensor | null;
  /** Running variances [C] (unbiased), updated in place when using the input's statistics. */
  runningVar?: Tensor | null;
  /** Per-channel scale [C]. */
  weight?: TensorLike | null;
  /** Per-channel shift [C]. */
  bias?: TensorLike | null;
  /** Normalise with each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** The running statistics' update rate (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Instance normalisation (torch.nn.functional.instance_norm): each (n, c) slice of x [N, C, ...] is
 * normalised over its spatial positions (biased variance). With running statistics and
 * `useInputStats`, they are updated in place by the batch average of the instances' means and
 * unbiased variances; with `useInputStats: false` the running statistics normalise instead. An
 * empty input gives an empty output (with N = 0 the running statistics become NaN, as in PyTorch).
 */
export function instanceNorm(x: TensorLike, options?: InstanceNormOptions): Tensor {
  const op = 'instanceNorm';
  const t = input(op, x);
  const o = checkOptions<InstanceNormOptions>(op, options, ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps']);
  const eps = checkEps(op, o.eps ?? 1e-5);
  const momentum = checkMomentum(op, o.momentum ?? 0.1);
  const useInput = checkFlag(op, 'useInputStats', o.useInputStats, true);
  const rm = perChannel(op, 'runningMean', o.runningMean, t, true);
  const rv = perChannel(op, 'runningVar', o.runningVar, t, true);
  const w = perChannel(op, 'weight', o.weight, t);
  const b = perChannel(op, 'bias', o.bias, t);
  const spatial = sizeOf(t.shape.slice(2));
  // PyTorch refuses exactly one spatial element (an empty input passes and gives an empty output)
  if (useInput && spatial === 1) throw new ShapeError(op, `expected more than 1 spatial element when training, got input size ${formatShape(t.shape)}`, [t.shape]);
  if (!useInput && (rm === null || rv === null)) throw new ArgumentError(op, 'useInputStats: false needs runningMean and runningVar');
  let out: Tensor;
  try {
    if (!useInput) out = affine(t.sub(reshape(rm!, channelShape(t))).div(reshape(rv!.add(eps).sqrt(), channelShape(t))), t, w, b);
    else {
      const axes = t.shape.slice(2).map((_, i) => i + 2);
      const st = standardize(t, axes, eps);
      out = affine(st.y, t, w, b);
      const n = t.shape[0]!;
      // PyTorch runs batch_norm on the N copies of the statistics and averages them: an empty spatial
      // extent leaves the copies as they were, and N = 0 averages no copy (NaN)
      const none = new Float64Array(0);
      if (spatial > 0 || n === 0) {
        noGrad(() => {
          if (rm !== null) updateRunning(rm, st.stats?.mean.data ?? none, n, momentum, 1);
          if (rv !== null) updateRunning(rv, st.stats?.var.data ?? none, n, momentum, spatial / (spatial - 1));
        });
      }
    }
  } catch (e) {
    throw renameError(op, e);
  }
  return out;
}

// ------------------------------------------------------------------ batchNorm

/** Options of `batchNorm` (torch.nn.functional.batch_norm). */
export interface BatchNormOptions {
  /** Per-channel scale [C]. */
  weight?: TensorLike | null;
  /** Per-channel shift [C]. */
  bias?: TensorLike | null;
  /** Use the batch's statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** The running statistics' update rate (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation (torch.nn.functional.batch_norm) over x [N, C, ...]: in training, each channel is
 * normalised with the batch's mean and biased variance (over N and the spatial axes), and the running
 * statistics, when given, are updated in place with momentum and the UNBIASED variance (their
 * `version` is bumped; they must not require grad). In evaluation the running statistics normalise.
 * Gradients flow to x, weight and bias. An empty input gives an empty output and leaves the running
 * statistics as they were (PyTorch).
 */
export function batchNorm(x: TensorLike, runningMean?: Tensor | null, runningVar?: Tensor | null, options?: BatchNormOptions): Tensor {
  const op = 'batchNorm';
  const t = input(op, x);
  const o = checkOptions<BatchNormOptions>(op, options, ['weight', 'bias', 'training', 'momentum', 'eps']);
  const eps = checkEps(op, o.eps ?? 1e-5);
  const momentum = checkMomentum(op, o.momentum ?? 0.1);
  const training = checkFlag(op, 'training', o.training, false);
  const rm = perChannel(op, 'runningMean', runningMean, t, true);
  const rv = perChannel(op, 'runningVar', runningVar, t, true);
  const w = perChannel(op, 'weight', o.weight, t);
  const b = perChannel(op, 'bias', o.bias, t);
  const count = t.shape[0]! * sizeOf(t.shape.slice(2));
  // PyTorch refuses exactly one value per channel; an empty input gives an empty output and leaves
  // the running statistics as they were
  if (training && count === 1) throw new ShapeError(op, `expected more than 1 value per channel when training, got input size ${formatShape(t.shape)}`, [t.shape]);
  if (!training && (rm === null || rv === null)) throw new ArgumentError(op, 'evaluation (training: false) needs runningMean and runningVar');
  try {
    if (!training) {
      const cs = channelShape(t);
      return affine(t.sub(reshape(rm!, cs)).div(reshape(rv!.add(eps).sqrt(), cs)), t, w, b);
    }
    const axes = [0, ...t.shape.slice(2).map((_, i) => i + 2)];
    const st = standardize(t, axes, eps);
    const out = affine(st.y, t, w, b);
    const stats = st.stats; // null for an empty input: the running statistics stay as they were
    if (stats !== null) {
      noGrad(() => {
        if (rm !== null) updateRunning(rm, stats.mean.data, 1, momentum, 1);
        if (rv !== null) updateRunning(rv, stats.var.data, 1, momentum, count / (count - 1));
      });
    }
    return out;
  } catch (e) {
    throw renameError(op, e);
  }
}

// ------------------------------------------------------------------ oracles (plain loops)

/**
 * The plain-loop normalisation of x [N, C, M...] for the registry's oracles: `group(n, c)` names the
 * set of (n, c) rows normalised together; stats, when given, are fixed [mean, var] per channel.
 */
export function normOracle(
  x: OracleInput, w: OracleInput | undefined, b: OracleInput | undefined, eps: number,
  group: (n: number, c: number) => string, stats?: { mean: ArrayLike<number>; var: ArrayLike<number> },
): { shape: number[]; data: number[] } {
  const [n, c] = x.shape as [number, number];
  const m = sizeOf(x.shape.slice(2));
  const sums = new Map<string, { s: number; s2: number; k: number }>();
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) {
    const g = sums.get(group(i, j)) ?? { s: 0, s2: 0, k: 0 };
    for (let p = 0; p < m; p++) g.s += x.data[(i * c + j) * m + p]!;
    g.k += m;
    sums.set(group(i, j), g);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) {
    const g = sums.get(group(i, j))!;
    for (let p = 0; p < m; p++) g.s2 += (x.data[(i * c + j) * m + p]! - g.s / g.k) ** 2;
  }
  const data: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) {
    const g = sums.get(group(i, j))!;
    const mu = stats ? stats.mean[j]! : g.s / g.k;
    const v = stats ? stats.var[j]! : g.s2 / g.k; // the biased variance
    for (let p = 0; p < m; p++) {
      const y = (x.data[(i * c + j) * m + p]! - mu) / Math.sqrt(v + eps);
      data.push(y * (w ? w.data[j]! : 1) + (b ? b.data[j]! : 0));
    }
  }
  return { shape: x.shape.slice(), data };
}
