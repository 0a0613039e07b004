/**
 * Normalization layers and embeddings: BatchNorm2d, BatchNorm3d, InstanceNorm1d/2d/3d, GroupNorm
 * and Embedding, with PyTorch 1.13's constructor arguments (camelCase), parameter and buffer names
 * (`weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`, so that PyTorch's state
 * dicts and safetensors files load as they are), default initialization, and training / eval
 * behaviour. Thin classes over autograd's `batchNorm`, `instanceNorm`, `groupNorm` and `embedding`.
 */
import {
  ArgumentError, DTypeError, ShapeError, Tensor, defaultGenerator, embedding as embeddingOp, formatShape,
  groupNorm as groupNormOp, instanceNorm as instanceNormOp, noGrad, ones, tensor, zeros,
} from '@memograd/autograd';
import type { DType, EmbeddingIndex, Generator } from '@memograd/autograd';
import { Module, Parameter, checkOptions, describe } from './module.ts';
import { batchNormCore, normOptions, resetStats } from './layers.ts';
import type { BatchNormOptions } from './layers.ts';
import { named } from './errors.ts';
import { boolOption, checkDType, checkGenerator, checkPositiveInt } from './checks.ts';
import { normal_ } from './init.ts';

function dtypeMismatch(label: string, input: DType, weights: DType): DTypeError {
  return new DTypeError(label, `input is ${input} but the layer's weights are ${weights}; convert the input with .to('${weights}') or create the layer with { dtype: '${input}' }`);
}

// ---------------------------------------------------------------------------------------------
// The shared base of the batch and instance norms

/**
 * The state shared by BatchNorm2d, BatchNorm3d and InstanceNorm1d/2d/3d (PyTorch's `_NormBase`):
 * the per-channel `weight` (ones) and `bias` (zeros) when affine, and the buffers `running_mean`
 * (zeros), `running_var` (ones) and `num_batches_tracked` (a scalar zero, in the layer's dtype)
 * when tracking running statistics. The buffers are also readable as `runningMean`, `runningVar`
 * and `numBatchesTracked` (BatchNorm1d's names).
 */
export abstract class NormBase extends Module {
  /** Number of channels C of the [N, C, ...] input. */
  readonly numFeatures: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Weight of the new batch in the running averages; null (batch norms only) for a cumulative average. */
  readonly momentum: number | null;
  /** Whether the layer has a learned per-channel scale and shift. */
  readonly affine: boolean;
  /** Whether running mean and variance are kept (and used in eval mode). */
  readonly trackRunningStats: boolean;
  /** The learned per-channel scale γ [C] (initialized to ones), or null when not affine. */
  weight: Parameter | null = null;
  /** The learned per-channel shift β [C] (initialized to zeros), or null when not affine. */
  bias: Parameter | null = null;
  /** Running mean of each channel (a buffer, PyTorch's name), or null when not tracked. */
  declare running_mean: Tensor | null;
  /** Running unbiased variance of each channel (a buffer), or null when not tracked. */
  declare running_var: Tensor | null;
  /** Number of training batches seen (a scalar buffer in the layer's dtype), or null when not tracked. */
  declare num_batches_tracked: Tensor | null;

  /**
   * @param numFeatures the number of channels C.
   * @param options eps, momentum, affine, trackRunningStats, dtype.
   * @param defaults affine's and trackRunningStats' defaults, and whether momentum may be null.
   */
  protected constructor(numFeatures: number, options: BatchNormOptions | undefined, defaults: { affine: boolean; trackRunningStats: boolean; momentumNull: boolean }) {
    super();
    const op = this.typeName;
    const o = normOptions(op, numFeatures, options, defaults);
    this.numFeatures = numFeatures;
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.affine = o.affine;
    this.trackRunningStats = o.trackRunningStats;
    // a size above the element limit is reported by the allocation: name this layer
    const filled = (v: 0 | 1): Tensor => named(op, () => (v === 0 ? zeros : ones)([numFeatures], { dtype: o.dtype }));
    if (this.affine) {
      this.weight = new Parameter(filled(1));
      this.bias = new Parameter(filled(0));
    }
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? filled(0) : null);
    this.registerBuffer('running_var', track ? filled(1) : null);
    this.registerBuffer('num_batches_tracked', track ? zeros([], { dtype: o.dtype }) : null);
  }

  /** `running_mean` under BatchNorm1d's name. */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }

  /** `running_var` under BatchNorm1d's name. */
  get runningVar(): Tensor | null {
    return this.running_var;
  }

  /** `num_batches_tracked` under BatchNorm1d's name. */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  /** The layer's label in errors and summaries, e.g. 'BatchNorm2d(64)'. */
  get label(): string {
    return `${this.typeName}(${this.numFeatures})`;
  }

  /** Zeroes the running mean, sets the running variance to one and the batch count to zero. */
  resetRunningStats(): void {
    resetStats(this.running_mean, this.running_var, this.num_batches_tracked);
  }

  /** Resets the running statistics, and the weight to ones and the bias to zeros (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      for (const [p, v] of [[this.weight, 1], [this.bias, 0]] as const) {
        if (p === null) continue;
        p.data.fill(v);
        p.bumpVersion();
      }
    });
  }

  /** Throws unless x is a tensor of rank `rank` (or `unbatched`, when given) with C channels on axis 1 (0 unbatched). */
  protected checkInput(x: unknown, rank: number, unbatched: number | null, channelsStrict = true): Tensor {
    const sp = [['L'], ['H', 'W'], ['D', 'H', 'W']][rank - 3]!;
    const expected = `[N, ${this.numFeatures}, ${sp.join(', ')}]${unbatched !== null ? ` or unbatched [${this.numFeatures}, ${sp.join(', ')}]` : ''}`;
    if (!(x instanceof Tensor)) throw new ArgumentError(this.label, `expected a Tensor input of shape ${expected}, got ${describe(x)}`);
    const batched = x.rank === rank;
    if (!batched && x.rank !== unbatched) {
      throw new ShapeError(this.label, `expected a ${rank}-D input of shape ${expected}, got ${formatShape(x.shape)}`, [x.shape]);
    }
    const c = x.shape[batched ? 1 : 0];
    if (c !== this.numFeatures && channelsStrict) {
      throw new ShapeError(this.label, `expected ${this.numFeatures} channels on axis ${batched ? 1 : 0} (input of shape ${expected}), got ${formatShape(x.shape)}`, [x.shape]);
    }
    const wd = (this.weight ?? this.running_mean)?.dtype;
    if (wd !== undefined && x.dtype !== wd) throw dtypeMismatch(this.label, x.dtype, wd);
    return x;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Batch norms

/**
 * Batch normalization over [N, C] or [N, C, L] inputs (PyTorch's BatchNorm1d). In training it
 * normalizes with the batch mean and biased batch variance, and updates
 * runningMean ← (1 − momentum) runningMean + momentum · mean and runningVar likewise with the
 * unbiased batch variance; in eval mode it uses the running statistics.
 */
export class BatchNorm1d extends NormBase {
  /**
   * @param numFeatures the number of features C.
   * @param options eps (1e-5), momentum (0.1; null for a cumulative average), affine (true), trackRunningStats (true), dtype.
   */
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true, momentumNull: true });
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || (x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        this.label,
        `expected input of shape [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`,
        x instanceof Tensor ? [x.shape] : [],
      );
    }
    const wd = (this.weight ?? this.running_mean)?.dtype;
    if (wd !== undefined && x.dtype !== wd) throw dtypeMismatch(this.label, x.dtype, wd);
    return batchNormCore(this.label, this, x);
  }
}

/**
 * Batch normalization over [N, C, H, W] inputs (PyTorch's BatchNorm2d): each channel normalized
 * over N, H and W. Training: the batch mean and **biased** variance normalize (gradients flow
 * through them); `running_mean ← (1 − momentum)·running_mean + momentum·mean`, `running_var`
 * likewise with the **unbiased** variance, and `num_batches_tracked` counts the batches
 * (`momentum: null`: the cumulative average, factor 1 / num_batches_tracked). Eval: the running
 * statistics normalize (the batch ones when `trackRunningStats` is false).
 *
 * @example
 * const bn = new BatchNorm2d(16);
 * const y = bn.call(x);   // x [N, 16, H, W]
 */
export class BatchNorm2d extends NormBase {
  /**
   * @param numFeatures the number of channels C.
   * @param options eps (1e-5), momentum (0.1; null for a cumulative average), affine (true), trackRunningStats (true), dtype.
   */
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true, momentumNull: true });
  }

  forward(x: Tensor): Tensor {
    return batchNormCore(this.label, this, this.checkInput(x, 4, null));
  }
}

/** Batch normalization over [N, C, D, H, W] inputs (PyTorch's BatchNorm3d); as BatchNorm2d otherwise. */
export class BatchNorm3d extends NormBase {
  /**
   * @param numFeatures the number of channels C.
   * @param options eps (1e-5), momentum (0.1; null for a cumulative average), affine (true), trackRunningStats (true), dtype.
   */
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true, momentumNull: true });
  }

  forward(x: Tensor): Tensor {
    return batchNormCore(this.label, this, this.checkInput(x, 5, null));
  }
}

// ---------------------------------------------------------------------------------------------
// Instance norms

/** Options of the instance norms: as BatchNorm's, but affine and trackRunningStats default to false and momentum cannot be null. */
export type InstanceNormLayerOptions = BatchNormOptions;

/**
 * PyTorch's `_InstanceNorm.forward`: each (sample, channel) slice normalized over its spatial
 * positions with the biased variance; unbatched inputs get a batch axis of one.
 */
abstract class InstanceNormBase extends NormBase {
  /** The number of spatial axes (1, 2 or 3). */
  protected abstract readonly spatialAxes: number;

  protected constructor(numFeatures: number, options: InstanceNormLayerOptions | undefined) {
    super(numFeatures, options, { affine: false, trackRunningStats: false, momentumNull: false });
  }

  forward(x: Tensor): Tensor {
    const rank = this.spatialAxes + 2;
    // PyTorch only warns when the channels differ from numFeatures without affine: they are unused then
    const t = this.checkInput(x, rank, rank - 1, this.affine || this.trackRunningStats);
    const batched = t.rank === rank;
    const input = batched ? t : t.unsqueeze(0);
    const useInput = this.training || !this.trackRunningStats;
    const spatial = input.shape.slice(2).reduce((a, d) => a * d, 1);
    if (useInput && spatial <= 1) {
      throw new ShapeError(this.label, `expected more than 1 spatial element when training, got input of shape ${formatShape(t.shape)}`, [t.shape]);
    }
    const y = named(this.label, () => instanceNormOp(input, {
      runningMean: this.running_mean, runningVar: this.running_var, weight: this.weight, bias: this.bias,
      useInputStats: useInput, momentum: this.momentum ?? 0.1, eps: this.eps,
    }));
    return batched ? y : y.squeeze(0);
  }
}

/**
 * Instance normalization over [N, C, L] or unbatched [C, L] inputs (PyTorch's InstanceNorm1d):
 * each (sample, channel) row normalized over L with the biased variance. Defaults as PyTorch:
 * `affine: false`, `trackRunningStats: false` (with it, training updates `running_mean` /
 * `running_var` with the batch average of the instances' means and unbiased variances, and eval
 * mode normalizes with them; `num_batches_tracked` stays 0, as in PyTorch).
 */
export class InstanceNorm1d extends InstanceNormBase {
  protected readonly spatialAxes = 1;
  /**
   * @param numFeatures the number of channels C.
   * @param options eps (1e-5), momentum (0.1), affine (false), trackRunningStats (false), dtype.
   */
  constructor(numFeatures: number, options: InstanceNormLayerOptions = {}) {
    super(numFeatures, options);
  }
}

/**
 * Instance normalization over [N, C, H, W] or unbatched [C, H, W] inputs (PyTorch's
 * InstanceNorm2d): each (sample, channel) plane normalized over H and W; see InstanceNorm1d.
 *
 * @example
 * const inorm = new InstanceNorm2d(3, { affine: true });
 * inorm.call(x);   // x [N, 3, H, W]
 */
export class InstanceNorm2d extends InstanceNormBase {
  protected readonly spatialAxes = 2;
  /**
   * @param numFeatures the number of channels C.
   * @param options eps (1e-5), momentum (0.1), affine (false), trackRunningStats (false), dtype.
   */
  constructor(numFeatures: number, options: InstanceNormLayerOptions = {}) {
    super(numFeatures, options);
  }
}

/** Instance normalization over [N, C, D, H, W] or unbatched [C, D, H, W] inputs (PyTorch's InstanceNorm3d); see InstanceNorm1d. */
export class InstanceNorm3d extends InstanceNormBase {
  protected readonly spatialAxes = 3;
  /**
   * @param numFeatures the number of channels C.
   * @param options eps (1e-5), momentum (0.1), affine (false), trackRunningStats (false), dtype.
   */
  constructor(numFeatures: number, options: InstanceNormLayerOptions = {}) {
    super(numFeatures, options);
  }
}

// ---------------------------------------------------------------------------------------------
// GroupNorm

/** Options of `GroupNorm`. */
export interface GroupNormLayerOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale (weight, ones) and shift (bias, zeros) (default true). */
  affine?: boolean;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/**
 * Group normalization (PyTorch's GroupNorm): the C channels of an [N, C, ...] input are split into
 * `numGroups` groups, each normalized over its channels and positions with the biased variance,
 * then scaled and shifted per channel. The same in training and eval mode (no running statistics).
 *
 * @example
 * const gn = new GroupNorm(4, 32);
 * gn.call(x);   // x [N, 32, ...]
 */
export class GroupNorm extends Module {
  /** The number of channel groups. */
  readonly numGroups: number;
  /** The number of channels C (a multiple of numGroups). */
  readonly numChannels: number;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether the layer has a learned per-channel scale and shift. */
  readonly affine: boolean;
  /** The learned per-channel scale [C] (ones), or null when not affine. */
  weight: Parameter | null = null;
  /** The learned per-channel shift [C] (zeros), or null when not affine. */
  bias: Parameter | null = null;

  /**
   * @param numGroups the number of groups; it must divide numChannels.
   * @param numChannels the number of channels C.
   * @param options eps (1e-5), affine (true), dtype.
   */
  constructor(numGroups: number, numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    checkPositiveInt('GroupNorm', 'numGroups', numGroups);
    checkPositiveInt('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) throw new ArgumentError('GroupNorm', `numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    checkOptions('GroupNorm', options);
    options ??= {};
    const dtype = checkDType('GroupNorm', options.dtype);
    const eps = options.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new ArgumentError('GroupNorm', `eps must be a finite positive number, got ${describe(eps)}`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.affine = boolOption('GroupNorm', 'affine', options.affine, true);
    if (this.affine) {
      this.weight = new Parameter(named('GroupNorm', () => ones([numChannels], { dtype })));
      this.bias = new Parameter(zeros([numChannels], { dtype }));
    }
  }

  /** The layer's label in errors and summaries, e.g. 'GroupNorm(4, 32)'. */
  get label(): string {
    return `GroupNorm(${this.numGroups}, ${this.numChannels})`;
  }

  /** Sets the weight to ones and the bias to zeros (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    noGrad(() => {
      for (const [p, v] of [[this.weight, 1], [this.bias, 0]] as const) {
        if (p === null) continue;
        p.data.fill(v);
        p.bumpVersion();
      }
    });
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new ArgumentError(this.label, `expected a Tensor input of shape [N, ${this.numChannels}, ...], got ${describe(x)}`);
    if (x.rank < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(this.label, `expected input of shape [N, ${this.numChannels}, ...], got ${formatShape(x.shape)}`, [x.shape]);
    }
    if (this.weight !== null && x.dtype !== this.weight.dtype) throw dtypeMismatch(this.label, x.dtype, this.weight.dtype);
    // PyTorch's F.group_norm checks _verify_batch_size([N·C/G, G, ...]): N·(C/G)·positions > 1
    const positions = x.shape.slice(2).reduce((a, d) => a * d, 1);
    if ((x.shape[0]! * this.numChannels / this.numGroups) * positions === 1) {
      throw new ShapeError(this.label, `expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)} (PyTorch's check on [N·C/G, G, ...])`, [x.shape]);
    }
    return named(this.label, () => groupNormOp(x, this.numGroups, this.weight, this.bias, { eps: this.eps }));
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Embedding

/** Options of `Embedding` (and `Embedding.fromPretrained`). */
export interface EmbeddingLayerOptions {
  /** A row that is initialized to zeros and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds it are rescaled to it in place before the lookup (no gradient through the rescaling). */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2; Infinity for the largest magnitude). */
  normType?: number;
  /** PyTorch's scale_grad_by_freq: only false is supported (true is an error). */
  scaleGradByFreq?: boolean;
  /** PyTorch's sparse gradients: only false is supported (true is an error). */
  sparse?: boolean;
  /** Element type of the weight (default float32). */
  dtype?: DType;
  /** Generator for the N(0, 1) initialization (default: the global one). */
  generator?: Generator;
}

/** Options of `Embedding.fromPretrained`. */
export interface EmbeddingPretrainedOptions extends Omit<EmbeddingLayerOptions, 'dtype' | 'generator'> {
  /** Freeze the weight (requiresGrad false; default true), as PyTorch's `freeze`. */
  freeze?: boolean;
}

/** The weight `Embedding.fromPretrained` hands to the constructor (null otherwise). */
let pretrained: Parameter | null = null;

/** Checks Embedding's options other than the sizes; returns the resolved padding row (or null), maxNorm and normType. */
function embeddingOptions(op: string, numEmbeddings: number, o: EmbeddingLayerOptions): { paddingIdx: number | null; maxNorm: number | null; normType: number } {
  let paddingIdx: number | null = null;
  if (o.paddingIdx !== undefined && o.paddingIdx !== null) {
    const v: unknown = o.paddingIdx;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -numEmbeddings || v >= numEmbeddings) {
      throw new ArgumentError(op, `paddingIdx must be an integer within numEmbeddings (from ${-numEmbeddings} to ${numEmbeddings - 1}), got ${describe(v)}`);
    }
    paddingIdx = v < 0 ? v + numEmbeddings : v;
  }
  let maxNorm: number | null = null;
  if (o.maxNorm !== undefined && o.maxNorm !== null) {
    const v: unknown = o.maxNorm;
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ArgumentError(op, `maxNorm must be a finite non-negative number or null, got ${describe(v)}`);
    maxNorm = v;
  }
  const normType = o.normType ?? 2;
  if (typeof normType !== 'number' || !(normType > 0)) throw new ArgumentError(op, `normType must be a positive number (or Infinity), got ${describe(normType)}`);
  if (boolOption(op, 'scaleGradByFreq', o.scaleGradByFreq, false)) throw new ArgumentError(op, 'scaleGradByFreq: true is not supported (the gradient is the plain sum of the looked-up rows\' gradients)');
  if (boolOption(op, 'sparse', o.sparse, false)) throw new ArgumentError(op, 'sparse: true is not supported (memograd has dense gradients only)');
  return { paddingIdx, maxNorm, normType };
}

/**
 * A lookup table (PyTorch's Embedding): `call(indices)` returns the rows of `weight`
 * [numEmbeddings, embeddingDim] at integer `indices` of any shape, giving indices.shape +
 * [embeddingDim]. The weight is initialized N(0, 1) with the `paddingIdx` row zeroed; that row gets
 * no gradient. With `maxNorm`, the looked-up rows are renormalized in place first (as PyTorch).
 *
 * @example
 * const emb = new Embedding(1000, 64, { paddingIdx: 0 });
 * emb.call(tensor([[1, 2, 0]]));   // [1, 3, 64]
 */
export class Embedding extends Module {
  /** The number of rows (the vocabulary size). */
  readonly numEmbeddings: number;
  /** The size of each row. */
  readonly embeddingDim: number;
  /** The row that gets no gradient (non-negative: a negative option is resolved), or null. */
  readonly paddingIdx: number | null;
  /** The largest norm of a looked-up row (rows above it are rescaled in place), or null. */
  readonly maxNorm: number | null;
  /** The p of the norm for maxNorm. */
  readonly normType: number;
  /** The table [numEmbeddings, embeddingDim]. */
  weight: Parameter;

  /**
   * @param numEmbeddings the number of rows.
   * @param embeddingDim the size of each row.
   * @param options paddingIdx, maxNorm, normType (2), dtype, generator; scaleGradByFreq and sparse only false.
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    checkPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    checkPositiveInt('Embedding', 'embeddingDim', embeddingDim);
    checkOptions('Embedding', options);
    options ??= {};
    const dtype = checkDType('Embedding', options.dtype);
    const g = checkGenerator('Embedding', options.generator) ?? defaultGenerator;
    const o = embeddingOptions('Embedding', numEmbeddings, options);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = o.paddingIdx;
    this.maxNorm = o.maxNorm;
    this.normType = o.normType;
    if (pretrained !== null) {
      this.weight = pretrained;
      return;
    }
    const w = named('Embedding', () => zeros([numEmbeddings, embeddingDim], { dtype }));
    normal_(w, 0, 1, { generator: g });
    if (this.paddingIdx !== null) w.data.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    this.weight = new Parameter(w);
  }

  /**
   * An Embedding whose weight is `embeddings` [numEmbeddings, embeddingDim] (PyTorch's
   * `Embedding.from_pretrained`): the parameter shares its data; frozen (requiresGrad false) unless
   * `freeze: false`. The paddingIdx row is not zeroed, as in PyTorch.
   */
  static fromPretrained(embeddings: Tensor, options: EmbeddingPretrainedOptions = {}): Embedding {
    const op = 'Embedding.fromPretrained';
    if (!(embeddings instanceof Tensor)) throw new ArgumentError(op, `embeddings must be a Tensor, got ${describe(embeddings)}`);
    if (embeddings.rank !== 2 || embeddings.size === 0) throw new ShapeError(op, `embeddings must be a non-empty 2-D tensor [numEmbeddings, embeddingDim], got ${formatShape(embeddings.shape)}`, [embeddings.shape]);
    checkOptions(op, options);
    const { freeze, ...rest } = options ?? {};
    const frozen = boolOption(op, 'freeze', freeze, true);
    for (const key of ['dtype', 'generator']) {
      if (key in rest) throw new ArgumentError(op, `unknown option '${key}' (the weight is the given tensor)`);
    }
    named(op, () => embeddingOptions(op, embeddings.shape[0]!, rest));
    const [n, d] = embeddings.shape as [number, number];
    // the constructor takes this weight instead of drawing one (no draw from the global generator)
    pretrained = new Parameter(embeddings.detach(), { requiresGrad: !frozen });
    try {
      return new Embedding(n, d, { ...rest, dtype: embeddings.dtype });
    } finally {
      pretrained = null;
    }
  }

  /** The layer's label in errors and summaries, e.g. 'Embedding(1000, 64)'. */
  get label(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }

  /** Looks up `indices` (a tensor of integer values, an Int32Array or nested arrays); the result is indices.shape + [embeddingDim]. */
  forward(indices: Tensor | EmbeddingIndex): Tensor {
    const w = this.weight;
    if (this.maxNorm !== null) this.renorm(indices);
    return named(this.label, () => embeddingOp(indices, w, this.paddingIdx === null ? {} : { paddingIdx: this.paddingIdx }));
  }

  /** PyTorch's embedding_renorm_: the distinct rows looked up whose norm exceeds maxNorm are scaled by maxNorm / (norm + 1e-7), in place. */
  private renorm(indices: Tensor | EmbeddingIndex): void {
    // the lookup checks the indices (their type and range) first, so a bad index changes nothing
    named(this.label, () => noGrad(() => embeddingOp(indices, this.weight)));
    const data: ArrayLike<number> = indices instanceof Tensor ? indices.data : indices instanceof Int32Array ? indices : tensor(indices as number[], { dtype: 'float64' }).data;
    const w = this.weight.data;
    const d = this.embeddingDim;
    const p = this.normType;
    const seen = new Set<number>();
    let changed = false;
    for (let i = 0; i < data.length; i++) {
      const row = data[i]!;
      if (seen.has(row)) continue;
      seen.add(row);
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const a = Math.abs(w[row * d + j]!);
        norm = p === Infinity ? Math.max(norm, a) : norm + (p === 1 ? a : p === 2 ? a * a : a ** p);
      }
      if (p !== Infinity) norm = p === 1 ? norm : p === 2 ? Math.sqrt(norm) : norm ** (1 / p);
      if (norm > this.maxNorm!) {
        const scale = this.maxNorm! / (norm + 1e-7);
        for (let j = 0; j < d; j++) w[row * d + j] = w[row * d + j]! * scale;
        changed = true;
      }
    }
    if (changed) this.weight.bumpVersion();
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, paddingIdx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, maxNorm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, normType=${this.normType}`;
    return s;
  }
}
