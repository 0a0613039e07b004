/**
 * Weight initializers, following `torch.nn.init`. Each fills a tensor in place (its data is
 * overwritten directly, so nothing is recorded on the tape) and returns it. Random ones draw from
 * `options.generator`, or from the global generator seeded by `manualSeed`.
 */
import { ArgumentError, Generator as RandomGenerator, ShapeError, Tensor, defaultGenerator, formatShape } from '@memograd/autograd';
import type { Generator } from '@memograd/autograd';
import { describe } from './module.ts';
import { text } from './errors.ts';

/** Options of the random initializers. */
export interface InitOptions {
  /** The random generator to draw from (default: the global one). */
  generator?: Generator;
}

/** The nonlinearity names of `calculateGain` (PyTorch's, plus camelCase aliases). */
export type Nonlinearity =
  | 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu'
  | 'leaky_relu' | 'leakyRelu' | 'selu';

/** Which fan the Kaiming initializers scale by: inputs (forward pass) or outputs (backward pass). */
export type FanMode = 'fanIn' | 'fanOut';

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear and
 * sigmoid, 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU (slope 0.01 by default),
 * 3/4 for SELU.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  return gainOf('calculateGain', nonlinearity, param);
}

function gainOf(op: string, nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new ArgumentError(op, `negative slope must be a finite number, got ${describe(slope)}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError(op, `unsupported nonlinearity ${typeof nonlinearity === 'string' ? `'${nonlinearity}'` : describe(nonlinearity)}`);
  }
}

/**
 * Fan-in and fan-out of a weight of shape `[out, in, ...receptive]` (PyTorch's rule):
 * fanIn = in × receptive size, fanOut = out × receptive size. Needs at least 2 dimensions.
 */
export function computeFans(shape: readonly number[] | Tensor): {
  /** Number of inputs per output unit. */
  fanIn: number;
  /** Number of outputs per input unit. */
  fanOut: number;
} {
  return fansOf('computeFans', shape);
}

function fansOf(op: string, shape: readonly number[] | Tensor): { fanIn: number; fanOut: number } {
  const s = Array.isArray(shape) ? (shape as readonly number[]) : shape instanceof Tensor ? shape.shape : null;
  if (s === null || s.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(op, `expected a shape (an array of non-negative integers) or a Tensor, got ${Array.isArray(shape) ? `[${shape.map(text).join(', ')}]` : describe(shape)}`);
  }
  if (s.length < 2) {
    throw new ShapeError(op, `fan in and fan out need a tensor with at least 2 dimensions, got ${formatShape(s)}`, [s]);
  }
  let receptive = 1;
  for (let i = 2; i < s.length; i++) receptive *= s[i]!;
  return { fanIn: s[1]! * receptive, fanOut: s[0]! * receptive };
}

function gen(op: string, options: InitOptions | undefined): Generator {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new ArgumentError(op, `options must be an object, got ${describe(options)}`);
  }
  const g = options?.generator ?? defaultGenerator;
  if (!(g instanceof RandomGenerator)) throw new ArgumentError(op, `options.generator must be a Generator, got ${describe(g)}`);
  return g;
}

function checkTensor(op: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, `expected a Tensor to fill in place, got ${describe(t)}`);
}

function checkNumber(op: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ArgumentError(op, `${name} must be a number, got ${describe(v)}`);
}

/**
 * Every initializer writes the tensor's storage in place, outside the tape: `bumpVersion()` records
 * it, so a backward that needs the old values throws instead of silently using the new ones.
 */
function filled(t: Tensor): Tensor {
  t.bumpVersion();
  return t;
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  checkTensor('zeros_', t);
  t.data.fill(0);
  return filled(t);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  checkTensor('ones_', t);
  t.data.fill(1);
  return filled(t);
}

/** Fills with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensor('constant_', t);
  if (typeof value !== 'number') throw new ArgumentError('constant_', `value must be a number, got ${describe(value)}`);
  t.data.fill(value);
  return filled(t);
}

/** Fills with draws from U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, options?: InitOptions): Tensor {
  checkTensor('uniform_', t);
  checkNumber('uniform_', 'a', a);
  checkNumber('uniform_', 'b', b);
  if (!(a <= b) || !Number.isFinite(b - a)) throw new ArgumentError('uniform_', `needs finite a <= b with a finite b − a, got a=${a}, b=${b}`);
  const g = gen('uniform_', options);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = g.uniform(a, b);
  return filled(t);
}

/** Fills with draws from N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, options?: InitOptions): Tensor {
  checkTensor('normal_', t);
  checkNumber('normal_', 'mean', mean);
  checkNumber('normal_', 'std', std);
  if (!(std >= 0) || !Number.isFinite(std) || !Number.isFinite(mean)) throw new ArgumentError('normal_', `needs a finite mean and a finite non-negative std, got mean=${mean}, std=${std}`);
  const g = gen('normal_', options);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = g.normal(mean, std);
  return filled(t);
}

/** Glorot/Xavier uniform: U(-b, b) with b = gain · √(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1, options?: InitOptions): Tensor {
  return xavierUniform('xavierUniform_', t, gain, options);
}

/** Glorot/Xavier normal: N(0, std²) with std = gain · √(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1, options?: InitOptions): Tensor {
  return xavierNormal('xavierNormal_', t, gain, options);
}

/** Throws unless `gain` is a finite non-negative number (a negative one would give an empty range). */
function checkGain(op: string, gain: unknown): asserts gain is number {
  if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) {
    throw new ArgumentError(op, `gain must be a finite non-negative number, got ${describe(gain)}`);
  }
}

/** A zero-element tensor has nothing to fill (PyTorch: "Initializing zero-element tensors is a no-op"). */
function isEmpty(t: Tensor): boolean {
  return t.size === 0;
}

/** Fills `t` from U(-bound, bound) or N(0, bound²), with a named error if the bound is not finite. */
function fill(op: string, t: Tensor, kind: 'uniform' | 'normal', bound: number, options: InitOptions | undefined): Tensor {
  // the uniform draw computes a + (b − a) u: b − a = 2 · bound must be finite too
  if (!Number.isFinite(kind === 'uniform' ? 2 * bound : bound) || !(bound >= 0)) {
    throw new ArgumentError(op, `the ${kind === 'uniform' ? 'bound' : 'std'} for shape ${formatShape(t.shape)} is ${bound}; it must be finite`);
  }
  const g = gen(op, options);
  const d = t.data;
  if (kind === 'uniform') for (let i = 0; i < d.length; i++) d[i] = g.uniform(-bound, bound);
  else for (let i = 0; i < d.length; i++) d[i] = g.normal(0, bound);
  return filled(t);
}

function xavierUniform(op: string, t: Tensor, gain: number, options: InitOptions | undefined): Tensor {
  checkTensor(op, t);
  checkGain(op, gain);
  const { fanIn, fanOut } = fansOf(op, t.shape);
  if (isEmpty(t)) return t;
  return fill(op, t, 'uniform', gain * Math.sqrt(6 / (fanIn + fanOut)), options);
}

function xavierNormal(op: string, t: Tensor, gain: number, options: InitOptions | undefined): Tensor {
  checkTensor(op, t);
  checkGain(op, gain);
  const { fanIn, fanOut } = fansOf(op, t.shape);
  if (isEmpty(t)) return t;
  return fill(op, t, 'normal', gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** Options of the Kaiming (He) initializers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0; used by 'leaky_relu'). */
  a?: number;
  /** Preserve the variance of the forward pass ('fanIn', default) or of the backward pass ('fanOut'). */
  mode?: FanMode;
  /** The nonlinearity that follows (default 'leaky_relu', as in PyTorch). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  checkTensor(op, t);
  if (options === null || typeof options !== 'object') throw new ArgumentError(op, `options must be an object, got ${describe(options)}`);
  if (options.a !== undefined) checkNumber(op, 'a', options.a);
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ArgumentError(op, `mode must be 'fanIn' or 'fanOut', got ${typeof mode === 'string' ? `'${mode}'` : describe(mode)}`);
  const fans = fansOf(op, t.shape);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  const gain = gainOf(op, options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  return gain / Math.sqrt(fan);
}

function kaimingUniform(op: string, t: Tensor, options: KaimingOptions): Tensor {
  const std = kaimingStd(op, t, options);
  if (isEmpty(t)) return t;
  return fill(op, t, 'uniform', Math.sqrt(3) * std, options);
}

function kaimingNormal(op: string, t: Tensor, options: KaimingOptions): Tensor {
  const std = kaimingStd(op, t, options);
  if (isEmpty(t)) return t;
  return fill(op, t, 'normal', std, options);
}

/** He/Kaiming uniform: U(-b, b) with b = gain · √(3 / fan). */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return kaimingUniform('kaimingUniform_', t, options);
}

/** He/Kaiming normal: N(0, std²) with std = gain / √fan. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return kaimingNormal('kaimingNormal_', t, options);
}

/** Keras' name for `xavierUniform_`. */
export function glorotUniform_(t: Tensor, gain = 1, options?: InitOptions): Tensor {
  return xavierUniform('glorotUniform_', t, gain, options);
}

/** Keras' name for `xavierNormal_`. */
export function glorotNormal_(t: Tensor, gain = 1, options?: InitOptions): Tensor {
  return xavierNormal('glorotNormal_', t, gain, options);
}

/** Keras' `he_uniform`: Kaiming uniform for ReLU (b = √(6 / fanIn)). */
export function heUniform_(t: Tensor, options: InitOptions = {}): Tensor {
  return kaimingUniform('heUniform_', t, { ...heOptions('heUniform_', options), nonlinearity: 'relu' });
}

/** Keras' `he_normal`: Kaiming normal for ReLU (std = √(2 / fanIn)). */
export function heNormal_(t: Tensor, options: InitOptions = {}): Tensor {
  return kaimingNormal('heNormal_', t, { ...heOptions('heNormal_', options), nonlinearity: 'relu' });
}

function heOptions(op: string, options: InitOptions): InitOptions {
  if (options === null || typeof options !== 'object') throw new ArgumentError(op, `options must be an object, got ${describe(options)}`);
  return options;
}

/** Initializer names accepted by `Linear`/`Dense` (`kernelInitializer`, `biasInitializer`), camelCase or Keras' snake_case. */
export type InitializerName =
  | 'zeros' | 'ones'
  | 'glorotUniform' | 'glorot_uniform' | 'glorotNormal' | 'glorot_normal'
  | 'xavierUniform' | 'xavierNormal'
  | 'heUniform' | 'he_uniform' | 'heNormal' | 'he_normal'
  | 'kaimingUniform' | 'kaimingNormal';

/** An initializer: a name, or a function filling the tensor in place. */
export type Initializer = InitializerName | ((t: Tensor, generator: Generator) => void);

/** Applies an initializer given by name (Keras style) or as a function. */
export function initialize_(t: Tensor, initializer: Initializer, options: InitOptions = {}): Tensor {
  checkTensor('initialize_', t);
  const g = gen('initialize_', options);
  if (typeof initializer === 'function') {
    initializer(t, g);
    return filled(t);
  }
  const o = { generator: g };
  switch (initializer) {
    case 'zeros': return zeros_(t);
    case 'ones': return ones_(t);
    case 'glorotUniform': case 'glorot_uniform': case 'xavierUniform': return xavierUniform('initialize_', t, 1, o);
    case 'glorotNormal': case 'glorot_normal': case 'xavierNormal': return xavierNormal('initialize_', t, 1, o);
    case 'heUniform': case 'he_uniform': return kaimingUniform('initialize_', t, { ...o, nonlinearity: 'relu' });
    case 'heNormal': case 'he_normal': return kaimingNormal('initialize_', t, { ...o, nonlinearity: 'relu' });
    case 'kaimingUniform': return kaimingUniform('initialize_', t, o);
    case 'kaimingNormal': return kaimingNormal('initialize_', t, o);
    default: throw new ArgumentError('initialize_', `unknown initializer ${typeof initializer === 'string' ? `'${initializer}'` : describe(initializer)}`);
  }
}
