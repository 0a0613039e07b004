// Plain TypeScript matmul kernels: the reference triple loop (the test oracle) and a 4x4
// register-tiled kernel used for small products, where the wasm call + packing overhead is
// not worth paying.

export type FloatArray = Float32Array | Float64Array;

/**
 * out[m,n] (+)= op(A) op(B), the plain triple loop, accumulating each dot product in a double.
 * A is row-major [m,k] ([k,m] when transA), B is [k,n] ([n,k] when transB).
 */
export function matmulReference(
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  out: FloatArray,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate = false,
): void {
  const rsA = transA ? 1 : k;
  const csA = transA ? m : 1;
  const rsB = transB ? 1 : n;
  const csB = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[aOff + i * rsA + p * csA]! * b[bOff + p * rsB + j * csB]!;
      const o = outOff + i * n + j;
      out[o] = accumulate ? out[o]! + s : s;
    }
  }
}

/**
 * 4x4 register-tiled kernel with arbitrary operand strides (so all four transpose combinations
 * share one code path). About 4x the naive loop; used below the wasm crossover and as the
 * fallback when WebAssembly SIMD is unavailable.
 */
export function matmulTiled(
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  out: FloatArray,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate = false,
): void {
  const rsA = transA ? 1 : k;
  const csA = transA ? m : 1;
  const rsB = transB ? 1 : n;
  const csB = transB ? k : 1;
  const m4 = m & ~3;
  const n4 = n & ~3;
  for (let i = 0; i < m4; i += 4) {
    const ia = aOff + i * rsA;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pa = ia;
      let pb = bOff + j * csB;
      for (let p = 0; p < k; p++) {
        const a0 = a[pa]!, a1 = a[pa + rsA]!, a2 = a[pa + 2 * rsA]!, a3 = a[pa + 3 * rsA]!;
        const b0 = b[pb]!, b1 = b[pb + csB]!, b2 = b[pb + 2 * csB]!, b3 = b[pb + 3 * csB]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        pa += csA;
        pb += rsB;
      }
      let o = outOff + i * n + j;
      if (accumulate) {
        out[o] = out[o]! + c00; out[o + 1] = out[o + 1]! + c01; out[o + 2] = out[o + 2]! + c02; out[o + 3] = out[o + 3]! + c03; o += n;
        out[o] = out[o]! + c10; out[o + 1] = out[o + 1]! + c11; out[o + 2] = out[o + 2]! + c12; out[o + 3] = out[o + 3]! + c13; o += n;
        out[o] = out[o]! + c20; out[o + 1] = out[o + 1]! + c21; out[o + 2] = out[o + 2]! + c22; out[o + 3] = out[o + 3]! + c23; o += n;
        out[o] = out[o]! + c30; out[o + 1] = out[o + 1]! + c31; out[o + 2] = out[o + 2]! + c32; out[o + 3] = out[o + 3]! + c33;
      } else {
        out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += n;
        out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += n;
        out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += n;
        out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
      }
    }
  }
  // right edge (columns n4..n) for the tiled rows, then the bottom edge (rows m4..m)
  if (n4 < n) edge(a, aOff, b, bOff, out, outOff, 0, m4, n4, n, k, n, rsA, csA, rsB, csB, accumulate);
  if (m4 < m) edge(a, aOff, b, bOff, out, outOff, m4, m, 0, n, k, n, rsA, csA, rsB, csB, accumulate);
}

function edge(
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  out: FloatArray,
  outOff: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  k: number,
  n: number,
  rsA: number,
  csA: number,
  rsB: number,
  csB: number,
  accumulate: boolean,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s = 0;
      let pa = aOff + i * rsA;
      let pb = bOff + j * csB;
      for (let p = 0; p < k; p++) {
        s += a[pa]! * b[pb]!;
        pa += csA;
        pb += rsB;
      }
      const o = outOff + i * n + j;
      out[o] = accumulate ? out[o]! + s : s;
    }
  }
}
