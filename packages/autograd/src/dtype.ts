/** The two floating-point element types memograd stores. */
export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64';
}
