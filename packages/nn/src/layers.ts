/**
 * Layers: Linear (Dense), activations, Dropout, BatchNorm1d, LayerNorm, Sequential, Flatten.
 * Each is a thin class over tensor ops, so autograd differentiates everything (including the
 * batch statistics of BatchNorm).
 */
import {
  ArgumentError, DTypeError, Generator as RandomGenerator, MemogradError, ShapeError, Tensor, defaultGenerator, formatShape, noGrad, ones, zeros,
} from '@memograd/autograd';
import type { DType, Generator, SoftplusOptions } from '@memograd/autograd';
import { batchNorm as batchNormOp, linear as linearOp } from '@memograd/autograd';
import { Module, Parameter, checkOptions, describe, show } from './module.ts';
import { initialize_, kaimingUniform_, uniform_ } from './init.ts';
import { named, relabel } from './errors.ts';
import { boolOption, checkAxis, checkDType, checkPositiveInt, checkScalar } from './checks.ts';
import type { Initializer } from './init.ts';
import type { Regularizer } from './regularizers.ts';

// ---------------------------------------------------------------------------------------------
// Activations

/** Names accepted by `Dense`'s `activation` option (Keras style). */
export type ActivationName =
  | 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'logSoftmax' | 'gelu' | 'silu' | 'swish' | 'elu'
  | 'leakyRelu' | 'softplus';

const ACTIVATIONS: readonly ActivationName[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'gelu', 'silu', 'swish', 'elu', 'leakyRelu', 'softplus'];

/** The activation function for a name, or the function itself. */
export function getActivation(activation: ActivationName | ((x: Tensor) => Tensor)): (x: Tensor) => Tensor {
  if (typeof activation === 'function') return activation;
  switch (activation) {
    case 'linear': return (x) => x;
    case 'relu': return (x) => x.relu();
    case 'sigmoid': return (x) => x.sigmoid();
    case 'tanh': return (x) => x.tanh();
    case 'softmax': return (x) => x.softmax(-1);
    case 'logSoftmax': return (x) => x.logSoftmax(-1);
    case 'gelu': return (x) => x.gelu();
    case 'silu': case 'swish': return (x) => x.silu();
    case 'elu': return (x) => x.elu();
    case 'leakyRelu': return (x) => x.leakyRelu();
    case 'softplus': return (x) => x.softplus();
    default: throw new ArgumentError('getActivation', `unknown activation ${typeof activation === 'string' ? `'${activation}'` : describe(activation)} (expected a function or one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')})`);
  }
}

/** max(0, x). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor { return x.relu(); }
}
/** x for x ≥ 0, negativeSlope · x otherwise. */
export class LeakyReLU extends Module {
  constructor(
    /** Slope for negative inputs. */
    readonly negativeSlope = 0.01,
  ) { super(); checkScalar('LeakyReLU', 'negativeSlope', negativeSlope); }
  forward(x: Tensor): Tensor { return x.leakyRelu(this.negativeSlope); }
  override extraRepr(): string { return `negativeSlope=${this.negativeSlope}`; }
}
/** x for x > 0, alpha · (eˣ − 1) otherwise. */
export class ELU extends Module {
  constructor(
    /** Scale of the negative saturation value. */
    readonly alpha = 1,
  ) { super(); checkScalar('ELU', 'alpha', alpha); }
  forward(x: Tensor): Tensor { return x.elu(this.alpha); }
  override extraRepr(): string { return `alpha=${this.alpha}`; }
}
/** x · Φ(x) (exact, with erf). */
export class GELU extends Module {
  forward(x: Tensor): Tensor { return x.gelu(); }
}
/** x · σ(x) (swish). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor { return x.silu(); }
}
/** 1 / (1 + e⁻ˣ). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return x.sigmoid(); }
}
/** tanh x. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor { return x.tanh(); }
}
/** log(1 + e^{βx}) / β. */
export class Softplus extends Module {
  constructor(
    /** Softplus's beta and threshold. */
    readonly options: SoftplusOptions = {},
  ) { super(); checkOptions('Softplus', options); }
  forward(x: Tensor): Tensor { return x.softplus(this.options); }
}
/** Softmax along `axis` (default the last). */
export class Softmax extends Module {
  constructor(
    /** The axis the probabilities sum to 1 over. */
    readonly axis = -1,
  ) { super(); checkAxis('Softmax', 'axis', axis); }
  forward(x: Tensor): Tensor { return x.softmax(this.axis); }
  override extraRepr(): string { return `axis=${this.axis}`; }
}
/** Log-softmax along `axis` (default the last). */
export class LogSoftmax extends Module {
  constructor(
    /** The axis normalized over. */
    readonly axis = -1,
  ) { super(); checkAxis('LogSoftmax', 'axis', axis); }
  forward(x: Tensor): Tensor { return x.logSoftmax(this.axis); }
  override extraRepr(): string { return `axis=${this.axis}`; }
}
/** Returns its input. */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}

// ---------------------------------------------------------------------------------------------
// Linear

/** The error of an input whose dtype differs from the layer's weights, saying how to convert. */
function dtypeMismatch(label: string, input: DType, weights: DType): DTypeError {
  return new DTypeError(label, `input is ${input} but the layer's weights are ${weights}; convert the input with .to('${weights}') or create the layer with { dtype: '${input}' }`);
}

/** Options of `Linear` (PyTorch's `bias`, `dtype`, plus Keras-style activation, initializers and regularizers). */
export interface LinearOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
  /** Element type of the weights (default float32). */
  dtype?: DType;
  /** Generator for the default initialization (default: the global one). */
  generator?: Generator;
  /** Keras-style activation applied after the affine map (default none). */
  activation?: ActivationName | ((x: Tensor) => Tensor);
  /** Keras-style initializer of the weight (default: PyTorch's, uniform in ±1/√in), e.g. 'heUniform'. */
  kernelInitializer?: Initializer;
  /** Keras-style initializer of the bias (default: PyTorch's, uniform in ±1/√in), e.g. 'zeros'. */
  biasInitializer?: Initializer;
  /** Keras-style penalty on the weight, summed by `regularizationLoss()`. */
  kernelRegularizer?: Regularizer;
  /** Keras-style penalty on the bias. */
  biasRegularizer?: Regularizer;
}

/**
 * The affine map x Wᵀ + b (PyTorch's `F.linear`), with W of shape [out, in] and b of shape [out].
 *
 * @example
 * linear(x, w, b);   // x [N, in] → [N, out]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError('linear', `input must be a Tensor, got ${describe(x)}`);
  if (!(weight instanceof Tensor)) throw new ArgumentError('linear', `weight must be a Tensor, got ${describe(weight)}`);
  if (bias !== undefined && bias !== null && !(bias instanceof Tensor)) throw new ArgumentError('linear', `bias must be a Tensor or null, got ${describe(bias)}`);
  if (weight.rank !== 2) throw new ShapeError('linear', `weight must be 2-D [out, in], got ${formatShape(weight.shape)}`, [weight.shape]);
  if (x.dtype !== weight.dtype || (bias != null && bias.dtype !== weight.dtype)) {
    const odd = x.dtype !== weight.dtype ? `input is ${x.dtype}` : `bias is ${bias!.dtype}`;
    throw new DTypeError('linear', `${odd} but weight is ${weight.dtype}; convert with .to('${weight.dtype}') so that all are one dtype`);
  }
  if (x.rank === 0 || x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError('linear', `expected input with last dimension ${weight.shape[1]}, got ${formatShape(x.shape)}`, [x.shape, weight.shape]);
  }
  // the core op reads the weight transposed inside the matmul kernel: no transposed copy
  try {
    return linearOp(x, weight, bias ?? null);
  } catch (e) {
    throw relabel('linear', e); // a bias that does not broadcast: 'linear: add: shapes …'
  }
}

/**
 * y = x Wᵀ + b, with W of shape [outFeatures, inFeatures] and PyTorch's default initialization:
 * W and b uniform in ±1/√inFeatures (Kaiming uniform with a = √5).
 *
 * @example
 * const fc = new Linear(4, 8, { generator: new Generator(0) });
 * const y = fc.call(randn([2, 4]));   // [2, 8]
 */
export class Linear extends Module {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The weight matrix, shape [outFeatures, inFeatures] (as in PyTorch). */
  weight: Parameter;
  /** The bias vector, shape [outFeatures], or null without bias. */
  bias: Parameter | null;
  /** The `activation` option as given (a name or a function), or null without one; `modelToJSON` saves a name. */
  readonly activation: ActivationName | ((x: Tensor) => Tensor) | null;
  private readonly activationName: string | null;
  private readonly activationFn: ((x: Tensor) => Tensor) | null;
  /** Penalty on the weight added to the loss by `regularizers`, or null. */
  kernelRegularizer: Regularizer | null;
  /** Penalty on the bias added to the loss by `regularizers`, or null. */
  biasRegularizer: Regularizer | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const op = this.typeName; // 'Linear' or 'Dense'
    checkPositiveInt(op, 'inFeatures', inFeatures);
    checkPositiveInt(op, 'outFeatures', outFeatures);
    checkOptions(op, options);
    options ??= {};
    const dtype = checkDType(op, options.dtype);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const g = options.generator ?? defaultGenerator;
    // errors of the helpers (a size above the element limit, a bad initializer) name this layer
    const w = named(op, () => zeros([outFeatures, inFeatures], { dtype }));
    if (options.kernelInitializer === undefined) kaimingUniform_(w, { a: Math.sqrt(5), generator: g });
    else named(op, () => initialize_(w, options.kernelInitializer!, { generator: g }));
    this.weight = new Parameter(w);
    if (boolOption(op, 'bias', options.bias, true)) {
      const b = zeros([outFeatures], { dtype });
      const bound = 1 / Math.sqrt(inFeatures);
      if (options.biasInitializer === undefined) uniform_(b, -bound, bound, { generator: g });
      else named(op, () => initialize_(b, options.biasInitializer!, { generator: g }));
      this.bias = new Parameter(b);
    } else {
      this.bias = null;
    }
    const act = options.activation;
    this.activation = act ?? null;
    this.activationName = act === undefined ? null : typeof act === 'string' ? act : act.name || 'custom';
    this.activationFn = act === undefined ? null : named(op, () => getActivation(act));
    this.kernelRegularizer = options.kernelRegularizer ?? null;
    this.biasRegularizer = options.biasRegularizer ?? null;
  }

  /** The name used in errors: `Linear(4 → 8)`. */
  get label(): string {
    return `${this.typeName}(${this.inFeatures} → ${this.outFeatures})`;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new ArgumentError(this.label, `expected a Tensor input, got ${describe(x)}`);
    if (x.rank === 0 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError(this.label, `expected input with last dimension ${this.inFeatures}, got ${formatShape(x.shape)}`, [x.shape]);
    }
    if (x.dtype !== this.weight.dtype) throw dtypeMismatch(this.label, x.dtype, this.weight.dtype);
    const y = linear(x, this.weight, this.bias);
    return this.activationFn === null ? y : this.activationFn(y);
  }

  override regularizationTerms(): Tensor[] {
    const out: Tensor[] = [];
    if (this.kernelRegularizer) out.push(this.kernelRegularizer.call(this.weight));
    if (this.biasRegularizer && this.bias) out.push(this.biasRegularizer.call(this.bias));
    return out;
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}` +
      (this.activationName ? `, activation=${this.activationName}` : '');
  }
}

/** Keras' name for `Linear`: `new Dense(784, 128, { activation: 'relu' })`. */
export class Dense extends Linear {}

// ---------------------------------------------------------------------------------------------
// Dropout

/** Options of `Dropout` and `dropout`. */
export interface DropoutOptions {
  /** Generator for the masks (default: the global one). */
  generator?: Generator;
  /** Keras-style seed: the layer gets its own generator seeded with it (ignored when `generator` is given). */
  seed?: number;
}

function checkP(op: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new ArgumentError(op, `p must be in [0, 1), got ${describe(p)}`);
}

/**
 * Inverted dropout: zeroes each element with probability p and scales the rest by 1 / (1 − p),
 * so the expectation is unchanged. Identity when `training` is false or p = 0.
 */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions & { training?: boolean } = {}): Tensor {
  checkP('dropout', p);
  if (!(x instanceof Tensor)) throw new ArgumentError('dropout', `input must be a Tensor, got ${describe(x)}`);
  checkOptions('dropout', options);
  options ??= {};
  if (options.generator !== undefined && !(options.generator instanceof RandomGenerator)) {
    throw new ArgumentError('dropout', `options.generator must be a Generator, got ${describe(options.generator)}`);
  }
  if (options.training === false || p === 0) return x;
  const g = options.generator ?? (options.seed !== undefined ? named('dropout', () => new RandomGenerator(options.seed)) : defaultGenerator);
  const mask = zeros(x.shape, { dtype: x.dtype });
  const scale = 1 / (1 - p);
  const m = mask.data;
  for (let i = 0; i < m.length; i++) m[i] = g.random() < p ? 0 : scale;
  return x.mul(mask);
}

/** Inverted dropout as a module (active only in training mode). */
export class Dropout extends Module {
  /** Probability of zeroing an element during training. */
  readonly p: number;
  /** The `seed` option (Keras's), or undefined; `modelToJSON` saves it so a loaded layer draws the same masks from the start. */
  readonly seed: number | undefined;
  private readonly generator: Generator | undefined;
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    checkP('Dropout', p);
    checkOptions('Dropout', options);
    options ??= {};
    if (options.generator !== undefined && !(options.generator instanceof RandomGenerator)) {
      throw new ArgumentError('Dropout', `options.generator must be a Generator, got ${describe(options.generator)}`);
    }
    this.p = p;
    this.seed = options.generator === undefined ? options.seed : undefined;
    this.generator = options.generator ?? (options.seed !== undefined ? named('Dropout', () => new RandomGenerator(options.seed)) : undefined);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }
  override extraRepr(): string { return `p=${this.p}`; }
}

// ---------------------------------------------------------------------------------------------
// Normalization

/** Options of `BatchNorm1d`. */
export interface BatchNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-feature scale (weight) and shift (bias) (default true). */
  affine?: boolean;
  /** Keep running mean and variance for evaluation (default true). */
  trackRunningStats?: boolean;
  /** Element type of the parameters and running statistics (default float32). */
  dtype?: DType;
}

/** The checked options shared by the normalization layers (internal: BatchNorm1d and norm-layers.ts). */
export interface NormSettings {
  /** Added to the variance. */
  eps: number;
  /** The running averages' update rate, or null (cumulative average). */
  momentum: number | null;
  /** Learned per-channel scale and shift. */
  affine: boolean;
  /** Keep running statistics. */
  trackRunningStats: boolean;
  /** Element type of parameters and buffers. */
  dtype: DType;
}

/**
 * Checks a normalization layer's size and options (eps, momentum, affine, trackRunningStats, dtype),
 * with errors naming `op`; `defaults` gives affine's and trackRunningStats' defaults and whether
 * momentum may be null. Internal (not exported from the package).
 */
export function normOptions(
  op: string, numFeatures: number, options: BatchNormOptions | undefined,
  defaults: { affine: boolean; trackRunningStats: boolean; momentumNull: boolean },
): NormSettings {
  checkPositiveInt(op, 'numFeatures', numFeatures);
  checkOptions(op, options);
  const o = options ?? {};
  const dtype = checkDType(op, o.dtype);
  const eps = o.eps ?? 1e-5;
  const momentum = o.momentum === undefined ? 0.1 : o.momentum;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new ArgumentError(op, `eps must be a finite positive number, got ${describe(eps)}`);
  if (momentum === null) {
    if (!defaults.momentumNull) throw new ArgumentError(op, 'momentum must be a number in [0, 1], got null (PyTorch\'s instance norm has no cumulative average: momentum=None is a TypeError there)');
  } else if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
    throw new ArgumentError(op, `momentum must be in [0, 1]${defaults.momentumNull ? ' or null' : ''}, got ${describe(momentum)}`);
  }
  return {
    eps, momentum, dtype,
    affine: boolOption(op, 'affine', o.affine, defaults.affine),
    trackRunningStats: boolOption(op, 'trackRunningStats', o.trackRunningStats, defaults.trackRunningStats),
  };
}

/** Zeroes a running mean, sets a running variance to one and a batch count to zero (each may be null). */
export function resetStats(mean: Tensor | null, variance: Tensor | null, count: Tensor | null): void {
  noGrad(() => {
    for (const [t, v] of [[mean, 0], [variance, 1], [count, 0]] as const) {
      if (t === null) continue;
      t.data.fill(v);
      t.bumpVersion();
    }
  });
}

/** What `batchNormCore` reads of a batch-normalization layer. */
export interface BatchNormState {
  /** Training mode. */
  readonly training: boolean;
  /** Whether running statistics are kept (PyTorch's track_running_stats). */
  readonly trackRunningStats: boolean;
  /** The running averages' update rate, or null (cumulative average). */
  readonly momentum: number | null;
  /** Added to the variance. */
  readonly eps: number;
  /** Per-channel scale, or null. */
  readonly weight: Tensor | null;
  /** Per-channel shift, or null. */
  readonly bias: Tensor | null;
  /** Running mean buffer, or null. */
  readonly runningMean: Tensor | null;
  /** Running (unbiased) variance buffer, or null. */
  readonly runningVar: Tensor | null;
  /** Number of training batches seen (a scalar buffer), or null. */
  readonly numBatchesTracked: Tensor | null;
}

/**
 * PyTorch's `_BatchNorm.forward` over x [N, C, ...] (shape already checked by the layer) with
 * autograd's `batchNorm`: training (or no running statistics) normalizes with the batch statistics,
 * and training with tracked statistics bumps numBatchesTracked and updates them with momentum (or
 * 1 / numBatchesTracked when momentum is null); otherwise the running statistics normalize.
 * Everything is checked before any buffer changes. Internal.
 */
export function batchNormCore(label: string, s: BatchNormState, x: Tensor): Tensor {
  // checked before anything is computed or any running statistic is updated
  const wd = (s.weight ?? s.runningMean)?.dtype;
  if (wd !== undefined && x.dtype !== wd) throw dtypeMismatch(label, x.dtype, wd);
  // PyTorch: bn_training = training or (running_mean is None and running_var is None)
  const useBatch = s.training || s.runningMean === null;
  const count = x.shape[0]! * x.shape.slice(2).reduce((a, d) => a * d, 1);
  // PyTorch's _verify_batch_size refuses exactly one value per channel; an empty batch passes (an
  // empty output, the running statistics unchanged, numBatchesTracked still counted)
  if (useBatch && count === 1) {
    throw new ShapeError(label, `expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`, [x.shape]);
  }
  const update = s.training && s.trackRunningStats && s.runningMean !== null;
  const nbt = s.numBatchesTracked;
  const factor = !update ? 0 : s.momentum ?? 1 / ((nbt?.data[0] ?? 0) + 1);
  const y = named(label, () => batchNormOp(x, useBatch && !update ? null : s.runningMean, useBatch && !update ? null : s.runningVar, {
    weight: s.weight, bias: s.bias, training: useBatch, momentum: factor, eps: s.eps,
  }));
  if (update && nbt !== null) {
    noGrad(() => {
      nbt.data[0] = nbt.data[0]! + 1;
      nbt.bumpVersion();
    });
  }
  return y;
}

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Learn a per-element scale and shift over the normalized shape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift (default true; only with elementwiseAffine). */
  bias?: boolean;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/**
 * Layer normalization over the trailing `normalizedShape` axes of each sample, with the biased
 * variance: y = (x − mean) / √(var + eps) · weight + bias.
 */
export class LayerNorm extends Module {
  /** The trailing shape normalized over. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether the layer has a learned per-element scale (and shift). */
  readonly elementwiseAffine: boolean;
  /** The learned scale γ, or null without elementwise affine. */
  weight: Parameter | null = null;
  /** The learned shift β, or null. */
  bias: Parameter | null = null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', options);
    options ??= {};
    if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) {
      throw new ArgumentError('LayerNorm', `normalizedShape must be a positive integer or an array of them, got ${describe(normalizedShape)}`);
    }
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new ArgumentError('LayerNorm', 'normalizedShape must have at least one dimension');
    shape.forEach((d) => checkPositiveInt('LayerNorm', 'normalizedShape', d));
    const dtype = checkDType('LayerNorm', options.dtype);
    this.normalizedShape = shape;
    this.eps = options.eps ?? 1e-5;
    if (typeof this.eps !== 'number' || !(this.eps > 0) || !Number.isFinite(this.eps)) throw new ArgumentError('LayerNorm', `eps must be a finite positive number, got ${describe(this.eps)}`);
    this.elementwiseAffine = boolOption('LayerNorm', 'elementwiseAffine', options.elementwiseAffine, true);
    const withBias = boolOption('LayerNorm', 'bias', options.bias, true);
    if (this.elementwiseAffine) {
      // a size above the element limit is reported by the allocation: name this layer
      this.weight = new Parameter(named('LayerNorm', () => ones(shape, { dtype })));
      if (withBias) this.bias = new Parameter(zeros(shape, { dtype }));
    }
  }

  /** The layer's label in summaries, e.g. 'LayerNorm([64])'. */
  get label(): string {
    return `LayerNorm(${formatShape(this.normalizedShape)})`;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new ArgumentError(this.label, `expected a Tensor input, got ${describe(x)}`);
    if (this.weight !== null && x.dtype !== this.weight.dtype) throw dtypeMismatch(this.label, x.dtype, this.weight.dtype);
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(this.label, `expected input ending in ${formatShape(this.normalizedShape)}, got ${formatShape(x.shape)}`, [x.shape]);
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const mean = x.mean({ axis: axes, keepDims: true });
    const centered = x.sub(mean);
    const variance = centered.square().mean({ axis: axes, keepDims: true });
    let y = centered.div(variance.add(this.eps).sqrt());
    if (this.weight) y = y.mul(this.weight);
    if (this.bias) y = y.add(this.bias);
    return y;
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Containers and reshaping

/** Flattens axes startAxis..endAxis into one (default: everything but the batch axis). */
export class Flatten extends Module {
  constructor(
    /** First axis to flatten. */
    readonly startAxis = 1,
    /** Last axis to flatten (inclusive). */
    readonly endAxis = -1,
  ) {
    super();
    checkAxis('Flatten', 'startAxis', startAxis);
    checkAxis('Flatten', 'endAxis', endAxis);
  }
  forward(x: Tensor): Tensor { return x.flatten(this.startAxis, this.endAxis); }
  override extraRepr(): string { return `startAxis=${this.startAxis}, endAxis=${this.endAxis}`; }
}

/**
 * Applies modules in order. Children are named '0', '1', ...; `seq.at(i)` (or `seq[i]`) returns one.
 *
 * @example
 * const model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 1));
 */
export class Sequential extends Module {
  [index: number]: Module;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ArgumentError('Sequential', `argument ${i} is not a Module`);
      this.registerModule(String(i), m);
    });
  }

  /** The number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const kids = this.children();
    if (!Number.isInteger(index)) throw new ArgumentError('Sequential.at', `index must be an integer, got ${describe(index)}`);
    const i = index < 0 ? kids.length + index : index;
    if (i < 0 || i >= kids.length) {
      throw new ArgumentError('Sequential.at', `index ${index} is out of range for ${kids.length} modules`);
    }
    return kids[i]!;
  }

  /** Adds a module at the end. Returns this. */
  append(module: Module): this {
    checkModule('Sequential.append', 'module', module);
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new ArgumentError(`${this.typeName}.forward`, `input must be a Tensor, got ${describe(x)}`);
    let y = x;
    for (const m of this.children()) y = m.call(y);
    return y;
  }
}

/** The error of `forward` on a container that only holds modules (PyTorch has none either). */
function noForward(container: string): never {
  throw new MemogradError(`${container}.forward`, `a ${container} has no forward; call its modules from the parent's forward (or use Sequential)`);
}

function checkModule(op: string, what: string, m: unknown): Module {
  if (!(m instanceof Module)) throw new ArgumentError(op, `${what} must be a Module, got ${describe(m)}`);
  return m;
}

/**
 * A list of registered child modules (PyTorch's `ModuleList`), named '0', '1', ... like the
 * entries of an array property, so a `layers` ModuleList gives state-dict keys `layers.0.weight`
 * as in PyTorch, and `parameters()`, `train()`, `to()` and `summary()` see its modules. It has no
 * forward: loop over it in the parent's.
 *
 * The modules are the list's own properties '0'..'length − 1' (so `list[i]` works), which is how
 * Module discovers children; every method keeps them contiguous.
 *
 * @example
 * class Deep extends Module {
 *   layers = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 *   forward(x: Tensor) { for (const l of this.layers) x = l.call(x).relu(); return x; }
 * }
 */
export class ModuleList extends Module {
  readonly [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    this.addAll('ModuleList', modules);
  }

  /** The number of modules. */
  get length(): number {
    let n = 0;
    while (Object.hasOwn(this, n)) n++;
    return n;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    return this.slot('ModuleList.at', index, this.length)[1];
  }

  /** Replaces the module at `index` (negative counts from the end). Returns this. */
  set(index: number, module: Module): this {
    checkModule('ModuleList.set', 'module', module);
    const [i] = this.slot('ModuleList.set', index, this.length);
    this.put(i, module);
    return this;
  }

  /** Adds a module at the end. Returns this. */
  append(module: Module): this {
    checkModule('ModuleList.append', 'module', module);
    this.put(this.length, module);
    return this;
  }

  /** Adds modules at the end, all or none (each is checked first). Returns this. */
  extend(modules: Iterable<Module>): this {
    return this.addAll('ModuleList.extend', modules);
  }

  private addAll(op: string, modules: Iterable<Module>): this {
    if (modules === null || modules === undefined || typeof (modules as Partial<Iterable<Module>>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError(op, `expected an iterable of Modules, got ${describe(modules)}`);
    }
    // copied first: extending a list with itself must not loop
    const items = Array.from(modules);
    items.forEach((m, k) => checkModule(op, `item ${k}`, m));
    const n = this.length;
    items.forEach((m, k) => this.put(n + k, m));
    return this;
  }

  /**
   * Inserts a module before `index`, which may be `length` (append) or negative (counting from
   * the end, as Python's list.insert). Later modules move up one name ('1' becomes '2').
   */
  insert(index: number, module: Module): this {
    checkModule('ModuleList.insert', 'module', module);
    const n = this.length;
    const i = this.slot('ModuleList.insert', index, n + 1, n)[0];
    for (let k = n; k > i; k--) this.put(k, this.at(k - 1));
    this.put(i, module);
    return this;
  }

  /** Removes and returns the module at `index` (default the last); later ones move down one name. */
  pop(index = -1): Module {
    const n = this.length;
    const [i, removed] = this.slot('ModuleList.pop', index, n);
    for (let k = i; k < n - 1; k++) this.put(k, this.at(k + 1));
    delete (this as unknown as Record<number, Module>)[n - 1];
    return removed;
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return Array.from({ length: this.length }, (_, i) => this.at(i))[Symbol.iterator]();
  }

  forward(_x: Tensor): Tensor {
    return noForward('ModuleList');
  }

  /**
   * Resolves `index` against a range of `size` slots (negative counts back from `base`, by
   * default `size`), returning the position and the module there, or throws naming the range.
   */
  private slot(op: string, index: number, size: number, base = size): [number, Module] {
    if (!Number.isInteger(index)) throw new ArgumentError(op, `index must be an integer, got ${describe(index)}`);
    const i = index < 0 ? base + index : index;
    if (i < 0 || i >= size) {
      throw new ArgumentError(op, `index ${String(index)} is out of range for ${this.length} modules`);
    }
    return [i, (this as unknown as Record<number, Module>)[i]!];
  }

  private put(i: number, module: Module): void {
    this.registerModule(String(i), module);
  }
}

/**
 * A dictionary of registered child modules (PyTorch's `ModuleDict`), in insertion order: a
 * `heads` ModuleDict gives state-dict keys `heads.<key>.weight`, and `parameters()`, `train()`,
 * `to()` and `summary()` see its modules. Map-like: `get`, `set`, `has`, `delete`, `keys()`,
 * `values()`, `entries()`, `size`; iterating gives `[key, module]` pairs. It has no forward.
 *
 * @example
 * const heads = new ModuleDict({ cls: new Linear(8, 10), box: new Linear(8, 4) });
 * heads.get('cls').call(features);
 */
export class ModuleDict extends Module {
  // A Map, not own properties: own properties put integer-like keys ('10', '2') first whatever
  // the insertion order, and keys could collide with Module's members ('training', 'call').
  readonly #modules = new Map<string, Module>();

  constructor(modules: Readonly<Record<string, Module>> | Iterable<readonly [string, Module]> = []) {
    super();
    this.setAll('ModuleDict', modules);
  }

  /** The number of modules. */
  get size(): number {
    return this.#modules.size;
  }

  /** The module under `key`; a missing key is an error (as in PyTorch), see `has`. */
  get(key: string): Module {
    const m = this.#modules.get(key);
    if (m === undefined) {
      const known = [...this.#modules.keys()].map((k) => `'${k}'`).join(', ');
      throw new ArgumentError('ModuleDict.get', `no module under key ${show(key)} (keys: ${known || 'none'})`);
    }
    return m;
  }

  /** Adds or replaces the module under `key` (a replaced key keeps its position). Returns this. */
  set(key: string, module: Module): this {
    this.checkEntry('ModuleDict.set', key, module);
    this.#modules.set(key, module);
    return this;
  }

  /** Whether a module is stored under `key`. */
  has(key: string): boolean {
    return this.#modules.has(key);
  }

  /** Removes the module under `key`; returns whether there was one. */
  delete(key: string): boolean {
    return this.#modules.delete(key);
  }

  /** Removes every module. */
  clear(): void {
    this.#modules.clear();
  }

  /** Adds or replaces several modules, all or none (each entry is checked first). Returns this. */
  update(modules: Readonly<Record<string, Module>> | Iterable<readonly [string, Module]>): this {
    return this.setAll('ModuleDict.update', modules);
  }

  private setAll(op: string, modules: Readonly<Record<string, Module>> | Iterable<readonly [string, Module]>): this {
    if (modules === null || typeof modules !== 'object') {
      throw new ArgumentError(op, `expected a record or [key, module] pairs, got ${describe(modules)}`);
    }
    const isIterable = typeof (modules as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
    const entries = isIterable ? Array.from(modules as Iterable<readonly [string, Module]>) : Object.entries(modules);
    entries.forEach((e, k) => {
      if (!Array.isArray(e) || e.length !== 2) throw new ArgumentError(op, `entry ${k} must be a [key, module] pair, got ${describe(e)}`);
      this.checkEntry(op, e[0], e[1]);
    });
    for (const [key, m] of entries) this.#modules.set(key, m);
    return this;
  }

  /** The keys, in insertion order. */
  keys(): IterableIterator<string> {
    return this.#modules.keys();
  }

  /** The modules, in insertion order. */
  values(): IterableIterator<Module> {
    return this.#modules.values();
  }

  /** The [key, module] pairs, in insertion order. */
  entries(): IterableIterator<[string, Module]> {
    return this.#modules.entries();
  }

  /** Iterates over the [key, module] pairs, in insertion order. */
  [Symbol.iterator](): IterableIterator<[string, Module]> {
    return this.#modules.entries();
  }

  /** Any children set as properties (in a subclass), then the dictionary's, in insertion order. */
  override *namedChildren() {
    yield* super.namedChildren();
    yield* this.#modules;
  }

  forward(_x: Tensor): Tensor {
    return noForward('ModuleDict');
  }

  private checkEntry(op: string, key: unknown, module: unknown): void {
    // the key becomes a segment of dotted names ('heads.cls.weight'), so it cannot contain '.'
    if (typeof key !== 'string' || key === '' || key.includes('.')) {
      throw new ArgumentError(op, `key must be a non-empty string without '.', got ${show(key)}`);
    }
    checkModule(op, `'${key}'`, module);
  }
}
