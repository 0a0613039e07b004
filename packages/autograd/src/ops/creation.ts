import { allocate, isDType, type DType } from '../dtype.ts';
import { ArgumentError } from '../errors.ts';
import { defaultGenerator, type Generator } from '../random.ts';
import { sizeOf, validateShape } from '../shape.ts';
import { Tensor } from '../tensor.ts';

export interface CreationOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
export interface RandomOptions extends CreationOptions {
  /** The generator to draw from (default: the global one, seeded by manualSeed). */
  generator?: Generator;
}

function make(op: string, shape: readonly number[], options: CreationOptions, fill: (data: Float32Array | Float64Array) => void): Tensor {
  const s = validateShape(op, shape);
  const dtype = options.dtype ?? 'float32';
  if (!isDType(dtype)) throw new ArgumentError(op, `unknown dtype '${String(dtype)}' (expected 'float32' or 'float64')`);
  const data = allocate(dtype, sizeOf(s));
  fill(data);
  const t = new Tensor(data, s, dtype);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return make('zeros', shape, options, () => {});
}
export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return make('ones', shape, options, (d) => d.fill(1));
}
/** A tensor filled with `value` (any number, NaN and infinities included). */
export function full(shape: readonly number[], value: number, options: CreationOptions = {}): Tensor {
  if (typeof value !== 'number') throw new ArgumentError('full', `value must be a number, got ${typeof value}`);
  return make('full', shape, options, (d) => d.fill(value));
}
export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}
export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}
export function fullLike(t: Tensor, value: number, options: CreationOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...options });
}

/** Values start, start+step, ... below end (like NumPy's arange); `arange(n)` is 0..n-1. */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (![lo, hi, step].every(Number.isFinite)) throw new ArgumentError('arange', `start, end and step must be finite, got ${lo}, ${hi}, ${step}`);
  if (step === 0) throw new ArgumentError('arange', 'step must not be zero');
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  return make('arange', [n], options, (d) => {
    for (let i = 0; i < n; i++) d[i] = lo + i * step;
  });
}

/** `count` evenly spaced values from start to end, both included. */
export function linspace(start: number, end: number, count: number, options: CreationOptions = {}): Tensor {
  if (!Number.isInteger(count) || count < 0) throw new ArgumentError('linspace', `count must be an integer >= 0, got ${count}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new ArgumentError('linspace', `start and end must be finite, got ${start}, ${end}`);
  return make('linspace', [count], options, (d) => {
    const step = count > 1 ? (end - start) / (count - 1) : 0;
    // fill from both ends like NumPy/PyTorch so that the last value is exactly `end`
    for (let i = 0; i < count; i++) d[i] = i < count / 2 ? start + i * step : end - (count - 1 - i) * step;
  });
}

/** The identity matrix (n x m, m defaults to n). */
export function eye(n: number, m = n, options: CreationOptions = {}): Tensor {
  return make('eye', [n, m], options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

/** The largest float32 below 1. */
const FLOAT32_BELOW_ONE = 1 - 2 ** -24;

/** Uniform random values in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make('rand', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) {
      d[i] = g.random();
      // a draw above 1 - 2^-25 rounds up to 1 in float32: keep [0, 1) half-open
      if (d[i] === 1) d[i] = FLOAT32_BELOW_ONE;
    }
  });
}

/** Standard normal random values. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make('randn', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  });
}

/** Random integers in [low, high), stored as floats. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ArgumentError('randint', `needs integers low < high, got low=${low}, high=${high}`);
  }
  return make('randint', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.randint(low, high);
  });
}
