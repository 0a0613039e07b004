// Matrix multiplication kernel: out[m,n] (+)= op(A) op(B) on flat row-major typed arrays.
//
// Dispatch:
//   - small products (m*k*n below WASM_MIN_WORK) use the 4x4 register-tiled JS kernel;
//   - larger ones use the WebAssembly SIMD kernels (f32x4 4x8 register tile for float32,
//     f64x2 4x4 for float64) with packing and cache blocking, see matmul-wasm.ts;
//   - without WebAssembly SIMD everything goes to the tiled JS kernel.
// All paths are synchronous. `out` must not overlap `a` or `b`. `matmulVia` is the same product with
// an operand written by a callback straight into the kernel's buffer and the result read from there
// (convolution's im2col columns, kernels/conv-gemm.ts).

import { matmulReference, matmulTiled, type FloatArray } from './matmul-js.ts';
import { KERNEL_CONFIG } from './config.ts';
import { WASM_MAX_BYTES, WasmGemm, wasmApi, type GemmConfig, type MacroKernel, type PackFn, type WasmMemory } from './matmul-wasm.ts';
import { MatmulPool, cpuCount } from './matmul-threads.ts';
import { MATMUL_WASM_BASE64, MATMUL_WASM_SHARED_BASE64 } from './wasm/matmul-wasm.generated.ts';
import { KERNELS } from './wasm/matmul-wasm-spec.ts';

export { matmulReference, matmulTiled, WASM_MAX_BYTES };
export type { FloatArray };

/**
 * Below this many multiply-adds (m*k*n) the JS kernel is used: packing for wasm costs more than it
 * saves (KERNEL_CONFIG.matmulWasmMinWork; the measured crossover is in bench/README.md).
 */
export const WASM_MIN_WORK = KERNEL_CONFIG.matmulWasmMinWork;

/**
 * From this many multiply-adds on, the rows of C are split between the calling thread and the
 * helper worker threads (Node only): below, waking them costs more than they save
 * (KERNEL_CONFIG.matmulThreadsMinWork; measured: see bench/README.md).
 */
export const THREADS_MIN_WORK = KERNEL_CONFIG.matmulThreadsMinWork;

interface Backends {
  f32: WasmGemm;
  f64: WasmGemm;
  pool: MatmulPool | null;
}

/** MEMOGRAD_MATMUL_THREADS=n caps the total threads (1: no helpers); default min(cpus, 4). */
function threadsWanted(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = Number(env?.MEMOGRAD_MATMUL_THREADS);
  if (Number.isInteger(v) && v >= 1) return v;
  return Math.max(1, Math.min(cpuCount(), 4));
}

let backends: Backends | null | undefined;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Instantiate the wasm module (synchronously, once). Returns null when wasm SIMD is unavailable. */
function getBackends(): Backends | null {
  if (backends !== undefined) return backends;
  backends = null;
  try {
    const WA = wasmApi();
    if (WA === undefined) return null;
    const s32 = KERNELS.f32;
    const s64 = KERNELS.f64;
    let inst: { exports: Record<string, unknown> } | null = null;
    let memory: WasmMemory | null = null;
    let pool: MatmulPool | null = null;
    const threads = threadsWanted();
    if (threads > 1 && typeof SharedArrayBuffer === 'function') {
      // shared memory + helper threads; any failure falls back to the single-threaded module
      try {
        const shared = decodeBase64(MATMUL_WASM_SHARED_BASE64);
        if (WA.validate(shared)) {
          const mem = new WA.Memory({ initial: 1, maximum: 65536, shared: true });
          const i = new WA.Instance(new WA.Module(shared), { env: { memory: mem } });
          const names = {
            f32: { kernel: s32.name, packA: `pack_f32_${s32.mr}` },
            f64: { kernel: s64.name, packA: `pack_f64_${s64.mr}` },
          };
          pool = MatmulPool.create(shared, mem, names, threads - 1);
          if (pool !== null) {
            inst = i;
            memory = mem;
          }
        }
      } catch {
        pool = null;
      }
    }
    if (inst === null || memory === null) {
      const bytes = decodeBase64(MATMUL_WASM_BASE64);
      if (!WA.validate(bytes)) return null;
      inst = new WA.Instance(new WA.Module(bytes), {});
      memory = inst.exports.memory as WasmMemory;
    }
    backends = {
      pool,
      // cache blocking: see KERNEL_CONFIG.matmulBlocking
      f32: new WasmGemm({
        dtype: 'f32',
        kernel: inst.exports[s32.name] as MacroKernel,
        packA: inst.exports[`pack_f32_${s32.mr}`] as PackFn,
        packB: inst.exports[`pack_f32_${s32.nr}`] as PackFn,
        memory,
        mr: s32.mr,
        nr: s32.nr,
        ...KERNEL_CONFIG.matmulBlocking.f32,
        pool,
        threadsMinWork: THREADS_MIN_WORK,
      }),
      f64: new WasmGemm({
        dtype: 'f64',
        kernel: inst.exports[s64.name] as MacroKernel,
        packA: inst.exports[`pack_f64_${s64.mr}`] as PackFn,
        packB: inst.exports[`pack_f64_${s64.nr}`] as PackFn,
        memory,
        mr: s64.mr,
        nr: s64.nr,
        ...KERNEL_CONFIG.matmulBlocking.f64,
        pool,
        threadsMinWork: THREADS_MIN_WORK,
      }),
    };
  } catch {
    backends = null;
  }
  return backends;
}

/**
 * Threads matmul can use right now (1 + ready helper threads). Helpers start in the background
 * on the first large matmul; pass waitMs to block until they are ready (tests, benchmarks).
 */
export function matmulThreads(waitMs = 0): number {
  const be = getBackends();
  if (be === null || be.pool === null) return 1;
  if (waitMs > 0) return 1 + be.pool.waitReady(waitMs);
  return 1 + be.pool.readyCount();
}

/** True when the WebAssembly SIMD kernels are in use (false: the JS fallback). */
export function matmulUsesWasm(): boolean {
  return getBackends() !== null;
}

/**
 * out[outOff .. outOff + m*n) (+)= op(A) op(B), all row-major and contiguous.
 * A is stored [m,k] (or [k,m] when transA) at aOff; B is [k,n] (or [n,k] when transB) at bOff.
 * With accumulate the product is added to out. All three arrays must have the same dtype.
 */
export function matmul(
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
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) out.fill(0, outOff, outOff + m * n);
    return;
  }
  if (m * k * n >= WASM_MIN_WORK) {
    const be = getBackends();
    if (be !== null) {
      const g = out instanceof Float32Array ? be.f32 : be.f64;
      // operands beyond the wasm32 memory limit (4 GiB), or memory that cannot grow: the JS kernel
      if (g.fits(m, k, n) && g.gemm(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, accumulate)) return;
    }
  }
  matmulTiled(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, accumulate);
}

/**
 * An operand of `matmulVia`: an array holding it from an offset, or a callback that writes it (row-major
 * as stored: [m, k] or [k, m] for A, [k, n] or [n, k] for B) into `buf` from element `at`.
 */
export type ViaOperand = { readonly data: FloatArray; readonly off: number } | ((buf: FloatArray, at: number) => void);

/**
 * C = op(A) op(B) where an operand may be produced by a callback straight into the kernel's buffer
 * (wasm memory on the wasm path), and the result is handed to `read(buf, at, ld)` (m x n, rows `ld`
 * apart) instead of being copied into an array: for products whose operand is a large temporary
 * (convolution's im2col columns) that should never exist as a JS array. Dispatch as `matmul`; the JS
 * path (small products, no wasm SIMD, memory that cannot grow) writes the operands into scratch arrays.
 */
export function matmulVia(
  dtype: 'f32' | 'f64',
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  a: ViaOperand,
  b: ViaOperand,
  read: (buf: FloatArray, at: number, ld: number) => void,
): void {
  if (m <= 0 || n <= 0) return;
  const Arr = dtype === 'f32' ? Float32Array : Float64Array;
  if (k <= 0) {
    read(new Arr(m * n), 0, n);
    return;
  }
  const into = (op: ViaOperand, size: number) => (buf: FloatArray, at: number): void => {
    if (typeof op === 'function') op(buf, at);
    else buf.set(op.data.subarray(op.off, op.off + size), at);
  };
  if (m * k * n >= WASM_MIN_WORK) {
    const be = getBackends();
    if (be !== null) {
      const g = be[dtype];
      if (g.fits(m, k, n) && g.gemmVia(m, k, n, transA, transB, into(a, m * k), into(b, k * n), read, null)) return;
    }
  }
  const js = (op: ViaOperand, size: number): [FloatArray, number] => {
    if (typeof op !== 'function') return [op.data, op.off];
    const buf = new Arr(size);
    op(buf, 0);
    return [buf, 0];
  };
  const [ad, ao] = js(a, m * k);
  const [bd, bo] = js(b, k * n);
  const c = new Arr(m * n);
  matmulTiled(ad, ao, bd, bo, c, 0, m, k, n, transA, transB, false);
  read(c, 0, n);
}

/**
 * The wasm path regardless of size (for tests and benchmarks). Throws when WebAssembly SIMD is
 * unavailable.
 */
export function matmulWasm(
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
  const be = getBackends();
  if (be === null) throw new Error('WebAssembly SIMD is not available');
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) out.fill(0, outOff, outOff + m * n);
    return;
  }
  const g = out instanceof Float32Array ? be.f32 : be.f64;
  if (!g.gemm(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, accumulate)) {
    throw new Error(`matmulWasm: a ${m}x${k} by ${k}x${n} product needs ${g.bytesNeeded(m, k, n)} bytes of wasm memory, more than it can hold (${WASM_MAX_BYTES})`);
  }
}

/**
 * Whether matmul would use the wasm kernel for a product of these sizes and dtype: false below
 * WASM_MIN_WORK, without WebAssembly SIMD, or when the operands exceed the wasm32 memory limit
 * (then the JS kernel computes it, however large).
 */
export function matmulUsesWasmFor(dtype: 'f32' | 'f64', m: number, k: number, n: number): boolean {
  if (m <= 0 || n <= 0 || k <= 0 || m * k * n < WASM_MIN_WORK) return false;
  const be = getBackends();
  return be !== null && be[dtype].fits(m, k, n);
}

/** Change the m*k*n from which helper threads are used (tests use 0 to force the split). */
export function setMatmulThreadsMinWork(work: number): void {
  const be = getBackends();
  if (be === null) return;
  be.f32.cfg.threadsMinWork = work;
  be.f64.cfg.threadsMinWork = work;
}

/** The live blocking configuration of the wasm path (for tuning scripts), or null without wasm. */
export function matmulConfig(dtype: 'f32' | 'f64'): GemmConfig | null {
  const be = getBackends();
  return be === null ? null : be[dtype].cfg;
}
