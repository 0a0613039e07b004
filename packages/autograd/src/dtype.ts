import { KERNEL_CONFIG } from './kernels/config.ts';
/** The two floating-point element types memograd stores. */
export type DType = 'float32' | 'float64';
/** The typed array behind a float32 or float64 tensor. */
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

// Node's uninitialized allocation; absent in browsers (where every array is zero-filled).
const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: (bytes: number) => Uint8Array } }).Buffer?.allocUnsafeSlow;

/** Below this many elements a zero-filled array costs no more (KERNEL_CONFIG.uninitializedMin). */
const UNINITIALIZED_MIN = KERNEL_CONFIG.uninitializedMin;

/**
 * Storage for an output whose every element the caller writes before anyone reads it (the result
 * of an elementwise op), like PyTorch's `torch.empty`. Large arrays skip the zero fill: Node then
 * reuses memory freed earlier instead of mapping fresh zeroed pages, whose first touch costs a
 * sizeable part of an elementwise op (measured: bench/README.md, "Kernel thresholds"). Each array gets its own
 * buffer at offset 0, as `allocate` gives.
 */
export function allocateForOverwrite(dtype: DType, size: number): FloatArray {
  if (size < UNINITIALIZED_MIN || allocUnsafeSlow === undefined) return allocate(dtype, size);
  const bytes = allocUnsafeSlow(size * (dtype === 'float64' ? 8 : 4));
  return dtype === 'float64' ? new Float64Array(bytes.buffer, bytes.byteOffset, size) : new Float32Array(bytes.buffer, bytes.byteOffset, size);
}

export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64';
}
