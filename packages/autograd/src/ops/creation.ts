import { allocate, isDType, type DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { checkRandintBounds, defaultGenerator, Generator } from '../random.ts';
import { checkBoolean, checkElementCount, checkFinite, checkInteger, checkOptions, checkShape, describe, MAX_ELEMENTS, sizeOf, formatShape } from '../shape.ts';
import { rawTensor, Tensor } from '../tensor.ts';

/** Options of the tensor-creation functions (`zeros`, `ones`, `full`, ...). */
export interface CreationOptions {
  /** Element type (default float32). */
  dtype?: DType;
  /** Whether the new tensor is a leaf that records gradients. */
  requiresGrad?: boolean;
}
/** Options of the random creation functions (`rand`, `randn`, `randint`). */
export interface RandomOptions extends CreationOptions {
  /** The generator to draw from (default: the global one, seeded by manualSeed). */
  generator?: Generator;
}

const CREATION_OPTIONS = ['dtype', 'requiresGrad'] as const;
const RANDOM_OPTIONS = ['dtype', 'requiresGrad', 'generator'] as const;

/** Validates creation options (a plain object with known keys, a known dtype, a boolean requiresGrad). */
function creationOptions(op: string, options: RandomOptions | undefined, random = false): { dtype: DType; requiresGrad: boolean; generator: Generator } {
  const o = checkOptions<RandomOptions>(op, options, random ? RANDOM_OPTIONS : CREATION_OPTIONS);
  const dtype = o.dtype ?? 'float32';
  if (!isDType(dtype)) throw new ArgumentError(op, `unknown dtype ${describe(dtype)} (expected 'float32' or 'float64')`);
  const requiresGrad = checkBoolean(op, 'requiresGrad', o.requiresGrad, false);
  const generator = o.generator ?? defaultGenerator;
  if (!(generator instanceof Generator)) throw new ArgumentError(op, `generator must be a Generator, got ${describe(generator)}`);
  return { dtype, requiresGrad, generator };
}

/**
 * Validates the shape and options, then allocates and fills. Every check runs before the
 * allocation; an allocation the machine cannot satisfy is an ArgumentError too, not a raw RangeError.
 */
function make(op: string, shape: unknown, options: RandomOptions | undefined, fill: (data: Float32Array | Float64Array, g: Generator) => void, random = false): Tensor {
  const s = checkShape(op, 'shape', shape);
  const { dtype, requiresGrad, generator } = creationOptions(op, options, random);
  let data: Float32Array | Float64Array;
  try {
    data = allocate(dtype, sizeOf(s));
  } catch (e) {
    if (e instanceof RangeError) throw new ArgumentError(op, `cannot allocate ${sizeOf(s)} ${dtype} elements for shape ${formatShape(s)}: ${e.message}`);
    throw e;
  }
  fill(data, generator);
  const t = rawTensor(data, s, dtype);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

/** A tensor of the given shape filled with 0 (like `torch.zeros`). */
export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return make('zeros', shape, options, () => {});
}
/** A tensor of the given shape filled with 1 (like `torch.ones`). */
export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return make('ones', shape, options, (d) => d.fill(1));
}
/** A tensor filled with `value` (any number, NaN and infinities included). */
export function full(shape: readonly number[], value: number, options: CreationOptions = {}): Tensor {
  if (typeof value !== 'number') throw new ArgumentError('full', `value must be a number, got ${describe(value)}`);
  return make('full', shape, options, (d) => d.fill(value));
}
function likeOptions(op: string, t: Tensor, options: CreationOptions | undefined): CreationOptions {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, `argument 't' must be a Tensor, got ${describe(t)}`);
  return { dtype: t.dtype, ...checkOptions(op, options, CREATION_OPTIONS) };
}
/** Zeros with the shape (and by default the dtype) of `t`. */
export function zerosLike(t: Tensor, options?: CreationOptions): Tensor {
  return make('zerosLike', t instanceof Tensor ? t.shape : null, likeOptions('zerosLike', t, options), () => {});
}
/** Ones with the shape (and by default the dtype) of `t`. */
export function onesLike(t: Tensor, options?: CreationOptions): Tensor {
  return make('onesLike', t instanceof Tensor ? t.shape : null, likeOptions('onesLike', t, options), (d) => d.fill(1));
}
/** `value` everywhere, with the shape (and by default the dtype) of `t`. */
export function fullLike(t: Tensor, value: number, options?: CreationOptions): Tensor {
  const o = likeOptions('fullLike', t, options);
  if (typeof value !== 'number') throw new ArgumentError('fullLike', `value must be a number, got ${describe(value)}`);
  return make('fullLike', t.shape, o, (d) => d.fill(value));
}

/** Values start, start+step, ... below end (like NumPy's arange); `arange(n)` is 0..n-1. */
export function arange(start: number, end?: number, step = 1, options?: CreationOptions): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (end === undefined) checkFinite('arange', 'end', start);
  else {
    checkFinite('arange', 'start', start);
    checkFinite('arange', 'end', end);
  }
  checkFinite('arange', 'step', step);
  if (step === 0) throw new ArgumentError('arange', 'step must not be zero');
  const count = Math.max(0, Math.ceil((hi - lo) / step));
  if (!(count <= MAX_ELEMENTS)) {
    throw new ArgumentError('arange', `arange(${lo}, ${hi}, ${step}) would have ${count} elements, above the limit of ${MAX_ELEMENTS} elements (MAX_ELEMENTS)`);
  }
  return make('arange', [count], options, (d) => {
    for (let i = 0; i < count; i++) d[i] = lo + i * step;
  });
}

/** `count` evenly spaced values from start to end, both included. */
export function linspace(start: number, end: number, count: number, options?: CreationOptions): Tensor {
  checkFinite('linspace', 'start', start);
  checkFinite('linspace', 'end', end);
  checkInteger('linspace', 'count', count, 0, MAX_ELEMENTS);
  return make('linspace', [count], options, (d) => {
    const step = count > 1 ? (end - start) / (count - 1) : 0;
    // fill from both ends like NumPy/PyTorch so that the last value is exactly `end`
    for (let i = 0; i < count; i++) d[i] = i < count / 2 ? start + i * step : end - (count - 1 - i) * step;
  });
}

/** The identity matrix (n x m, m defaults to n). */
export function eye(n: number, m = n, options?: CreationOptions): Tensor {
  checkInteger('eye', 'n', n, 0, MAX_ELEMENTS);
  checkInteger('eye', 'm', m, 0, MAX_ELEMENTS);
  checkElementCount('eye', [n, m]);
  return make('eye', [n, m], options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

/** The largest float32 below 1. */
const FLOAT32_BELOW_ONE = 1 - 2 ** -24;

/** Uniform random values in [0, 1). */
export function rand(shape: readonly number[], options?: RandomOptions): Tensor {
  return make('rand', shape, options, (d, g) => {
    for (let i = 0; i < d.length; i++) {
      d[i] = g.random();
      // a draw above 1 - 2^-25 rounds up to 1 in float32: keep [0, 1) half-open
      if (d[i] === 1) d[i] = FLOAT32_BELOW_ONE;
    }
  }, true);
}

/** Standard normal random values. */
export function randn(shape: readonly number[], options?: RandomOptions): Tensor {
  return make('randn', shape, options, (d, g) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  }, true);
}

/** Random integers in [low, high), stored as floats. */
export function randint(low: number, high: number, shape: readonly number[], options?: RandomOptions): Tensor {
  checkRandintBounds('randint', low, high);
  return make('randint', shape, options, (d, g) => {
    for (let i = 0; i < d.length; i++) d[i] = low + Math.floor(g.random() * (high - low));
  }, true);
}
