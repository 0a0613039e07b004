export type FloatArray = Float32Array | Float64Array;

/** What an optimizer needs of a parameter: memograd's Tensor satisfies this. */
export interface ParamLike {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  grad: { readonly data: FloatArray } | null;
}

/** A zero-filled typed array of the same dtype and length as `a`. */
export function zerosLike(a: FloatArray): FloatArray {
  return a instanceof Float32Array ? new Float32Array(a.length) : new Float64Array(a.length);
}

/** A typed array of the same dtype as `like`, holding `values`. */
export function arrayLike(like: FloatArray, values: ArrayLike<number>): FloatArray {
  return like instanceof Float32Array ? Float32Array.from(values) : Float64Array.from(values);
}
