// Register-tile shapes of the generated wasm kernels (shared by the generator script and the
// runtime driver). Chosen with scripts/tune-matmul.ts; changing them requires regenerating
// matmul-wasm.generated.ts (node --import tsx packages/autograd/scripts/gen-matmul-wasm.ts).

export interface KernelShape {
  name: string;
  dtype: 'f32' | 'f64';
  mr: number;
  nr: number;
  unroll: number;
}

export const KERNELS = {
  f32: { name: 'gemm_f32', dtype: 'f32', mr: 4, nr: 8, unroll: 1 },
  f64: { name: 'gemm_f64', dtype: 'f64', mr: 4, nr: 4, unroll: 1 },
} as const satisfies Record<string, KernelShape>;
