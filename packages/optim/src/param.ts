import { ArgumentError } from '@memograd/autograd';

/** The typed array behind a float32 or float64 parameter. */
export type FloatArray = Float32Array | Float64Array;

/** What an optimizer needs of a parameter: memograd's Tensor satisfies this. */
export interface ParamLike {
  /** The parameter's elements, updated in place. */
  readonly data: FloatArray;
  /** The size of each axis. */
  readonly shape: readonly number[];
  /** The gradient; when it has a `shape`, it must equal the parameter's. */
  grad: {
    /** The gradient's elements. */
    readonly data: FloatArray;
    /** The gradient's shape. */
    readonly shape?: readonly number[];
    /** Records an in-place change of the gradient. */
    bumpVersion?(): unknown;
  } | null;
  /**
   * Records an in-place change of `data` (memograd's Tensor has it): optimizers call it after each
   * update, so a graph that saved the old values can tell they changed.
   */
  bumpVersion?(): unknown;
}

/** Calls `t.bumpVersion()` when `t` has one (memograd tensors do; plain parameter records need not). */
export function bumpVersion(t: { bumpVersion?(): unknown } | null | undefined): void {
  if (t !== null && t !== undefined && typeof t.bumpVersion === 'function') t.bumpVersion();
}

/** A zero-filled typed array of the same dtype and length as `a`. */
export function zerosLike(a: FloatArray): FloatArray {
  if (!(a instanceof Float32Array || a instanceof Float64Array)) {
    throw new ArgumentError('zerosLike', `expected a Float32Array or Float64Array, got ${a === null ? 'null' : typeof a === 'object' ? (a as object).constructor?.name ?? 'object' : typeof a}`);
  }
  return a instanceof Float32Array ? new Float32Array(a.length) : new Float64Array(a.length);
}

/** A typed array of the same dtype as `like`, holding `values`. */
export function arrayLike(like: FloatArray, values: ArrayLike<number>): FloatArray {
  return like instanceof Float32Array ? Float32Array.from(values) : Float64Array.from(values);
}
