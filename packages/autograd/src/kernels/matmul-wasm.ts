// Driver for the WebAssembly SIMD matmul micro-kernels: packing (which absorbs transA/transB),
// cache blocking, and the copy of C in and out of wasm memory. Synchronous throughout.
//
// Memory layout inside the module's own linear memory (bytes):
//   [0, aBytes)              packed A block: MC x KC, as MC/MR panels of [KC][MR]
//   [aBytes, aBytes+bBytes)  packed B block: KC x NC, as NC/NR panels of [KC][NR]
//   [aBytes+bBytes, ...)     C, padded to mp x np (multiples of MR and NR), row-major
// The kernels compute C += Apack * Bpack for one (MC, KC, NC) block.

import type { FloatArray } from './matmul-js.ts';

/**
 * The slice of the WebAssembly JS API used here. The workspace compiles against lib ES2022
 * without DOM typings, which do not declare it, so it is typed locally.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

export type MacroKernel = (
  ap: number,
  bp: number,
  cp: number,
  mPanels: number,
  nPanels: number,
  kc: number,
  ldc: number,
) => void;

export interface GemmConfig {
  dtype: 'f32' | 'f64';
  kernel: MacroKernel;
  memory: WasmMemory;
  mr: number;
  nr: number;
  /** k block: a B micro-panel KC x NR stays in L1 */
  kc: number;
  /** m block (multiple of mr): the packed A block MC x KC stays in L2 */
  mc: number;
  /** n block (multiple of nr) */
  nc: number;
}

export class WasmGemm {
  readonly cfg: GemmConfig;
  private view: FloatArray;
  private readonly esz: number;

  constructor(cfg: GemmConfig) {
    if (cfg.mc % cfg.mr !== 0 || cfg.nc % cfg.nr !== 0) throw new Error('mc/nc must be multiples of mr/nr');
    this.cfg = cfg;
    this.esz = cfg.dtype === 'f32' ? 4 : 8;
    this.view = this.makeView();
  }

  private makeView(): FloatArray {
    const buf = this.cfg.memory.buffer;
    return this.cfg.dtype === 'f32' ? new Float32Array(buf) : new Float64Array(buf);
  }

  /** Make sure the memory holds `elems` elements; returns the (possibly new) view. */
  private ensure(elems: number): FloatArray {
    const need = elems * this.esz;
    const mem = this.cfg.memory;
    if (mem.buffer.byteLength < need) {
      const pages = Math.ceil((need - mem.buffer.byteLength) / 65536);
      mem.grow(pages);
    }
    if (this.view.buffer !== mem.buffer || this.view.length === 0) this.view = this.makeView();
    return this.view;
  }

  gemm(
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
    accumulate: boolean,
  ): void {
    const { mr, nr, kernel } = this.cfg;
    const mp = Math.ceil(m / mr) * mr;
    const np = Math.ceil(n / nr) * nr;
    const KC = Math.min(this.cfg.kc, k);
    const MC = Math.min(this.cfg.mc, mp);
    const NC = Math.min(this.cfg.nc, np);
    // element offsets (all multiples of 4 elements = 16 bytes for f32, 2 for f64)
    const aBase = 0;
    const bBase = aBase + MC * KC;
    const cBase = bBase + Math.ceil((KC * NC) / 4) * 4;
    const v = this.ensure(cBase + mp * np);
    const esz = this.esz;

    // C in
    v.fill(0, cBase, cBase + mp * np);
    if (accumulate) {
      if (np === n) v.set(out.subarray(outOff, outOff + m * n), cBase);
      else for (let i = 0; i < m; i++) v.set(out.subarray(outOff + i * n, outOff + i * n + n), cBase + i * np);
    }

    const rsA = transA ? 1 : k;
    const csA = transA ? m : 1;
    const rsB = transB ? 1 : n;
    const csB = transB ? k : 1;

    for (let jc = 0; jc < np; jc += NC) {
      const nc = Math.min(NC, np - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        packB(v, bBase, b, bOff, rsB, csB, transB, pc, kc, jc, nc, n, nr);
        for (let ic = 0; ic < mp; ic += MC) {
          const mc = Math.min(MC, mp - ic);
          packA(v, aBase, a, aOff, rsA, csA, transA, ic, mc, pc, kc, m, mr);
          kernel(aBase * esz, bBase * esz, (cBase + ic * np + jc) * esz, mc / mr, nc / nr, kc, np);
        }
      }
    }

    // C out
    if (np === n) out.set(v.subarray(cBase, cBase + m * n), outOff);
    else for (let i = 0; i < m; i++) out.set(v.subarray(cBase + i * np, cBase + i * np + n), outOff + i * n);
  }
}

/** Pack rows ic..ic+mc (zero-padded past m), columns pc..pc+kc of op(A) into MR-row panels. */
function packA(
  v: FloatArray,
  base: number,
  a: FloatArray,
  aOff: number,
  rsA: number,
  csA: number,
  transA: boolean,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  m: number,
  mr: number,
): void {
  let d = base;
  for (let i0 = ic; i0 < ic + mc; i0 += mr) {
    const rows = Math.min(mr, m - i0);
    if (rows < mr) v.fill(0, d, d + kc * mr);
    if (transA) {
      // op(A) row i is column i of the stored [k, m] matrix: walk stored rows p contiguously
      let s = aOff + pc * csA + i0;
      for (let p = 0; p < kc; p++) {
        const dp = d + p * mr;
        for (let r = 0; r < rows; r++) v[dp + r] = a[s + r];
        s += csA;
      }
    } else {
      for (let r = 0; r < rows; r++) {
        let s = aOff + (i0 + r) * rsA + pc;
        let dp = d + r;
        for (let p = 0; p < kc; p++) {
          v[dp] = a[s + p];
          dp += mr;
        }
      }
    }
    d += kc * mr;
  }
}

/** Pack rows pc..pc+kc, columns jc..jc+nc (zero-padded past n) of op(B) into NR-column panels. */
function packB(
  v: FloatArray,
  base: number,
  b: FloatArray,
  bOff: number,
  rsB: number,
  csB: number,
  transB: boolean,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  n: number,
  nr: number,
): void {
  let d = base;
  for (let j0 = jc; j0 < jc + nc; j0 += nr) {
    const cols = Math.min(nr, n - j0);
    if (cols < nr) v.fill(0, d, d + kc * nr);
    if (transB) {
      // op(B) column j is row j of the stored [n, k] matrix
      for (let c = 0; c < cols; c++) {
        const s = bOff + (j0 + c) * csB + pc;
        let dp = d + c;
        for (let p = 0; p < kc; p++) {
          v[dp] = b[s + p];
          dp += nr;
        }
      }
    } else if (cols === nr) {
      let s = bOff + pc * rsB + j0;
      let dp = d;
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < nr; c++) v[dp + c] = b[s + c];
        s += rsB;
        dp += nr;
      }
    } else {
      let s = bOff + pc * rsB + j0;
      let dp = d;
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < cols; c++) v[dp + c] = b[s + c];
        s += rsB;
        dp += nr;
      }
    }
    d += kc * nr;
  }
}
