// Driver for the WebAssembly SIMD matmul micro-kernels: cache blocking, the calls to the wasm
// packing routines (which absorb transA/transB), and the copies of A, B and C in and out of wasm
// memory. Synchronous throughout.
//
// Memory layout inside the module's own linear memory (bytes):
//   [0, aBytes)              packed A block: MC x KC, as MC/MR panels of [KC][MR]
//   [aBytes, aBytes+bBytes)  packed B block: KC x NC, as NC/NR panels of [KC][NR]
//   [aBytes+bBytes, ...)     C, padded to mp x np (multiples of MR and NR), row-major
//   then the raw A (m*k) and raw B (k*n) as the caller stored them
// The kernels compute C += Apack * Bpack for one (MC, KC, NC) block, or C = Apack * Bpack in the
// first k block of a product that does not accumulate (then C is neither zero-filled nor read).
// Rows of C shorter than COPY_LOOP_MAX elements are copied out (and in) by a loop: a subarray and
// a set() per row of 10 (an MLP's logits) cost more than the copy itself.

import type { FloatArray } from './matmul-js.ts';
import type { MatmulPool } from './matmul-threads.ts';
import { KERNEL_CONFIG } from './config.ts';

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
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Rows of C shorter than this are copied element by element (KERNEL_CONFIG.matmulCopyLoopMax). */
const COPY_LOOP_MAX = KERNEL_CONFIG.matmulCopyLoopMax;

/** The most bytes a wasm32 linear memory can hold: 65536 pages of 64 KiB (4 GiB). */
export const WASM_MAX_BYTES = 65536 * 65536;

export type MacroKernel = (
  ap: number,
  bp: number,
  cp: number,
  mPanels: number,
  nPanels: number,
  kc: number,
  ldc: number,
  /** nonzero: C = the product (C is not read), else C += the product */
  store: number,
) => void;

/** wasm packing routine, see scripts/matmul-wat.ts packWat (all addresses/strides in bytes) */
export type PackFn = (src: number, rs: number, cs: number, nValid: number, panels: number, kc: number, dst: number) => void;

export interface GemmConfig {
  dtype: 'f32' | 'f64';
  kernel: MacroKernel;
  /** packs MR-row panels of op(A) */
  packA: PackFn;
  /** packs NR-column panels of op(B) */
  packB: PackFn;
  memory: WasmMemory;
  mr: number;
  nr: number;
  /** k block: a B micro-panel KC x NR stays in L1 */
  kc: number;
  /** m block (multiple of mr): the packed A block MC x KC stays in L2 */
  mc: number;
  /** n block (multiple of nr) */
  nc: number;
  /** helper threads sharing `memory` (Node), or null */
  pool?: MatmulPool | null;
  /** m*k*n from which the helpers are used */
  threadsMinWork?: number;
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

  /**
   * The bytes of wasm memory a product of these sizes needs (operands, padded C and the packing
   * buffers for `slots` threads; the most threads when omitted).
   */
  bytesNeeded(m: number, k: number, n: number, slots = 1 + (this.cfg.pool?.size ?? 0)): number {
    const { mr, nr } = this.cfg;
    const mp = Math.ceil(m / mr) * mr;
    const np = Math.ceil(n / nr) * nr;
    const KC = Math.min(this.cfg.kc, k);
    const MC = Math.min(this.cfg.mc, mp);
    const NC = Math.min(this.cfg.nc, np);
    const cBase = slots * MC * KC + Math.ceil((KC * NC) / 4) * 4;
    return (cBase + mp * np + Math.ceil((m * k) / 4) * 4 + k * n) * this.esz;
  }

  /** Whether a product of these sizes fits in wasm memory at all (else the caller uses the JS kernel). */
  fits(m: number, k: number, n: number): boolean {
    return this.bytesNeeded(m, k, n) <= WASM_MAX_BYTES;
  }

  /**
   * Make sure the memory holds `elems` elements; returns the (possibly new) view, or null when the
   * memory cannot grow that far (the wasm32 limit, or the machine refusing the pages).
   */
  private ensure(elems: number): FloatArray | null {
    const need = elems * this.esz;
    if (need > WASM_MAX_BYTES) return null;
    const mem = this.cfg.memory;
    if (mem.buffer.byteLength < need) {
      const pages = Math.ceil((need - mem.buffer.byteLength) / 65536);
      try {
        mem.grow(pages);
      } catch {
        return null;
      }
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
  ): boolean {
    const copyC = (to: boolean) => (v: FloatArray, at: number, ld: number): void => {
      if (ld === n) {
        if (to) out.set(v.subarray(at, at + m * n), outOff);
        else v.set(out.subarray(outOff, outOff + m * n), at);
      } else if (n < COPY_LOOP_MAX) {
        for (let i = 0; i < m; i++) {
          const o = outOff + i * n;
          const w = at + i * ld;
          if (to) for (let j = 0; j < n; j++) out[o + j] = v[w + j]!;
          else for (let j = 0; j < n; j++) v[w + j] = out[o + j]!;
        }
      } else {
        for (let i = 0; i < m; i++) {
          if (to) out.set(v.subarray(at + i * ld, at + i * ld + n), outOff + i * n);
          else v.set(out.subarray(outOff + i * n, outOff + i * n + n), at + i * ld);
        }
      }
    };
    return this.gemmVia(
      m,
      k,
      n,
      transA,
      transB,
      (v, at) => v.set(a.subarray(aOff, aOff + m * k), at),
      (v, at) => v.set(b.subarray(bOff, bOff + k * n), at),
      copyC(true),
      accumulate ? copyC(false) : null,
    );
  }

  /**
   * The product with its operands written straight into wasm memory by the caller: `fillA(view, at)`
   * writes the m·k elements of A as stored (row-major [m, k], or [k, m] when transA) at element `at`
   * of `view`, `fillB` likewise B; `readC(view, at, ld)` reads the m x n result, rows `ld` elements
   * apart; `initC`, when given, writes the starting C there (accumulate), else C starts at 0. So an
   * operand that is computed anyway (im2col columns) never exists as a JS array. False, with nothing
   * called, when the memory cannot hold the product.
   */
  gemmVia(
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    fillA: (view: FloatArray, at: number) => void,
    fillB: (view: FloatArray, at: number) => void,
    readC: (view: FloatArray, at: number, ld: number) => void,
    initC: ((view: FloatArray, at: number, ld: number) => void) | null,
  ): boolean {
    const { mr, nr, kernel } = this.cfg;
    const mp = Math.ceil(m / mr) * mr;
    const np = Math.ceil(n / nr) * nr;
    const KC = Math.min(this.cfg.kc, k);
    let MC = Math.min(this.cfg.mc, mp);
    const NC = Math.min(this.cfg.nc, np);
    // threads: the caller and the helpers claim row blocks of MC rows dynamically; every thread
    // (slot) packs A into its own buffer
    const pool = this.cfg.pool;
    const threadable = pool != null && m * k * n >= (this.cfg.threadsMinWork ?? Infinity) && pool.readyCount() > 0;
    // a product of few rows and many columns (a convolution's W · cols: Cout rows) would be one
    // block: cut its rows among the threads instead, whole register panels each
    if (threadable && mp <= MC && mp >= 2 * mr) MC = Math.ceil(mp / (1 + pool.size) / mr) * mr;
    const useThreads = threadable && mp > MC && Math.ceil(mp / MC) <= 0xffff;
    const slots = useThreads ? 1 + pool.size : 1;
    // element offsets (all multiples of 4 elements = 16 bytes for f32, 2 for f64)
    const aBase = 0;
    const bBase = aBase + slots * MC * KC;
    const cBase = bBase + Math.ceil((KC * NC) / 4) * 4;
    const esz = this.esz;
    const { packA, packB } = this.cfg;

    // raw operands, written once; the wasm pack routines read them with strides (absorbing
    // the transposes) into the panel buffers
    const aRaw = cBase + mp * np;
    const bRaw = aRaw + Math.ceil((m * k) / 4) * 4;
    const total = bRaw + k * n;
    const v = this.ensure(total);
    // nothing was written yet: the caller computes the product with the JS kernel instead
    if (v === null) return false;
    // C in: without initC the first k block stores C (see the file comment)
    if (initC !== null) {
      v.fill(0, cBase, cBase + mp * np);
      initC(v, cBase, np);
    }
    fillA(v, aRaw);
    fillB(v, bRaw);
    const rsA = (transA ? 1 : k) * esz;
    const csA = (transA ? m : 1) * esz;
    const rsB = (transB ? 1 : n) * esz;
    const csB = (transB ? k : 1) * esz;

    for (let jc = 0; jc < np; jc += NC) {
      const nc = Math.min(NC, np - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        const store = pc === 0 && initC === null ? 1 : 0;
        packB(bRaw * esz + jc * csB + pc * rsB, csB, rsB, n - jc, nc / nr, kc, bBase * esz);
        if (useThreads) {
          const aSrc = aRaw * esz + pc * csA;
          const cBlock = (cBase + jc) * esz;
          const nPanelsB = nc / nr;
          pool.run(
            {
              dtype: this.cfg.dtype,
              aSrc,
              rsA,
              csA,
              m,
              mp,
              nBlocks: Math.ceil(mp / MC),
              mcBlock: MC,
              kc,
              aPack0: aBase * esz,
              aPackStride: MC * KC * esz,
              bPack: bBase * esz,
              cBlock,
              np,
              nc,
              mr,
              nr,
              store,
            },
            (idx) => {
              const ic = idx * MC;
              const mc = Math.min(MC, mp - ic);
              packA(aSrc + ic * rsA, rsA, csA, m - ic, mc / mr, kc, aBase * esz);
              kernel(aBase * esz, bBase * esz, cBlock + ic * np * esz, mc / mr, nPanelsB, kc, np, store);
            },
          );
          continue;
        }
        for (let ic = 0; ic < mp; ic += MC) {
          const mc = Math.min(MC, mp - ic);
          packA(aRaw * esz + ic * rsA + pc * csA, rsA, csA, m - ic, mc / mr, kc, aBase * esz);
          kernel(aBase * esz, bBase * esz, (cBase + ic * np + jc) * esz, mc / mr, nc / nr, kc, np, store);
        }
      }
    }

    // C out
    readC(v, cBase, np);
    return true;
  }
}
