/**
 * The kernels' tuning knobs, in one frozen record: every size threshold that picks a kernel, and
 * the few constants of the chunked and threaded paths. Nothing else in kernels/ or dtype.ts holds
 * a tuning number. Each value is a measured crossover on the benchmark VM; the measurements behind
 * them are in bench/README.md ("Kernel thresholds: the measurements behind them"), the dispatch
 * table that uses them in kernels/README.md.
 *
 * The record is frozen: a threshold is a property of the kernels, not a setting. Tests that must
 * force a path (wasm on 3 elements, JS on a million) go through the explicit test hooks next to
 * each kernel (`setWasmUnaryMin`, `setWasmBinaryMin`, `setWasmReduceMin`, `setWasmReduceChunk`,
 * `setMatmulThreadsMinWork`), which change that module's live copy and return the previous value.
 */
export const KERNEL_CONFIG = Object.freeze({
  /** Float32 exp, sigmoid and tanh run in wasm from this many elements (unary-wasm.ts). */
  wasmUnaryMin: 256,
  /**
   * ... except that their float32 JS loops (which emulate float32 arithmetic with Math.fround, to
   * give the wasm values) are slow enough that wasm wins from wasmUnaryMin / this (8 elements). A
   * divisor rather than a second threshold, so that forcing wasmUnaryMin to 0 or Infinity still forces.
   */
  f32MinDivisor: 32,
  /** + - * / and the comparisons, and the exact unary ops (neg, abs, ...), run in wasm from this many output elements. */
  wasmBinaryMin: 256,
  /** Reductions (sum, max, min) run in wasm from this many input elements... */
  wasmReduceMin: 512,
  /** ... when the reduced runs are at least this long (shorter runs are faster in JS)... */
  wasmReduceMinRun: 8,
  /** ... or, for column layouts, at least this wide. */
  wasmReduceMinCols: 2,
  /** Elements copied into wasm memory at a time: small enough to stay in cache while transformed or reduced. */
  reduceChunk: 1 << 14,
  /** Matmul: below this many multiply-adds (m*k*n) the register-tiled JS kernel runs, not wasm. */
  matmulWasmMinWork: 1024,
  /** Matmul: from this many multiply-adds the rows are split with the helper threads (Node only). */
  matmulThreadsMinWork: 1 << 22,
  /**
   * Matmul cache blocking of the wasm kernels (BLIS's KC, MC, NC), per dtype: KC·NR elements of B
   * stay in L1 (16 KiB float32 with NR = 8, 8 KiB float64 with NR = 4), an MC·KC block of A in L2
   * (128 KiB). Chosen with scripts/tune-matmul.ts (its `--blocks=kc/mc/nc`).
   */
  matmulBlocking: Object.freeze({
    f32: Object.freeze({ kc: 512, mc: 64, nc: 4096 }),
    f64: Object.freeze({ kc: 256, mc: 64, nc: 4096 }),
  }),
  /**
   * Convolution (kernels/conv-gemm.ts): images go through one product together while their im2col
   * column matrix and product hold at most this many elements (at least one image per product).
   */
  convChunkElems: 1 << 20,
  /** Matmul threads: Atomics.load polls before a thread falls back to Atomics.wait. */
  matmulSpin: 5_000,
  /** Matmul threads: a claimed block that does not finish in this many ms throws rather than hangs. */
  matmulJobTimeoutMs: 60_000,
  /** Outputs of at least this many elements skip the zero fill (dtype.ts `allocateForOverwrite`). */
  uninitializedMin: 1 << 14,
});
