// Driver for the WebAssembly SIMD elementwise module (scripts/elementwise-wat.ts): float32 exp /
// sigmoid / tanh (the same float32 values as the JS loops in unary.ts: the same float32 and double
// operations, in the same order, so the size threshold changes speed only), softmax / log-softmax / log-sum-exp
// rows, sum / max / min reductions and + - * / (float32 and float64).
// Synchronous: the module is instantiated on first use. Inputs are copied into the module's
// memory by chunks that stay in cache, transformed or reduced there and copied out; the copies
// are part of the measured cost.
import { KERNEL_CONFIG } from './config.ts';
import { wasmApi, type WasmMemory } from './matmul-wasm.ts';
import { ELEMENTWISE_WASM_BASE64 } from './wasm/elementwise-wasm.generated.ts';

export type WasmUnaryName = 'exp' | 'sigmoid' | 'tanh';
type InPlace = (p: number, n: number) => void;

/**
 * From this many elements the wasm kernels are used (KERNEL_CONFIG.wasmUnaryMin: wasm wins from a
 * few hundred elements, copies included; measurements in bench/README.md, "Kernel thresholds").
 * Float32 exp, sigmoid and tanh from a 32nd of it (KERNEL_CONFIG.f32MinDivisor: their JS loops
 * emulate float32 with Math.fround and are slower).
 */
let WASM_UNARY_MIN: number = KERNEL_CONFIG.wasmUnaryMin;
const F32_MIN_DIVISOR = KERNEL_CONFIG.f32MinDivisor;

/** For tests: force the threshold (0 = always, Infinity = never). Returns the previous value. */
export function setWasmUnaryMin(n: number): number {
  const old = WASM_UNARY_MIN;
  WASM_UNARY_MIN = n;
  return old;
}

/** Elements copied into wasm memory at a time (KERNEL_CONFIG.reduceChunk): small enough to stay in cache. */
let REDUCE_CHUNK: number = KERNEL_CONFIG.reduceChunk;

/** For tests: a smaller chunk exercises the chunked paths on small inputs. Returns the previous value. */
export function setWasmReduceChunk(n: number): number {
  const old = REDUCE_CHUNK;
  REDUCE_CHUNK = Math.max(1, Math.floor(n));
  return old;
}

interface Module {
  memory: WasmMemory;
  fns: Record<WasmUnaryName, InPlace>;
  lse: (p: number, n: number, m: number) => number;
  maxign: (p: number, n: number) => number;
  expsum2: (p: number, n: number, m: number, q: number, store: number) => number;
  scale: (q: number, n: number, a: number, p: number) => void;
  sublog: (p: number, n: number, m: number, l: number) => void;
  /** rows_<op>_<dtype>(p, k, rows, q): the double results of `rows` runs of k elements at q */
  rows: Record<`${WasmReduceCode}_${'f32' | 'f64'}`, (p: number, k: number, rows: number, q: number) => void>;
  /** cols_<op>_<dtype>(p, w, rows, q): the w doubles at q folded with `rows` rows of w elements */
  cols: Record<`${WasmReduceCode}_${'f32' | 'f64'}`, (p: number, w: number, rows: number, q: number) => void>;
  /** bin_<op>_<dtype>(p, q, n): p = p op q; rbin: p = q op p */
  bin: Record<`${WasmArithCode}_${'f32' | 'f64'}`, (p: number, q: number, n: number) => void>;
  rbin: Record<`${WasmArithCode}_${'f32' | 'f64'}`, (p: number, q: number, n: number) => void>;
  /** bins_<op>_<dtype>(p, n, s): p = p op s; rbins: p = s op p */
  bins: Record<`${WasmArithCode}_${'f32' | 'f64'}`, (p: number, n: number, s: number) => void>;
  rbins: Record<`${WasmArithCode}_${'f32' | 'f64'}`, (p: number, n: number, s: number) => void>;
  /** cmp_<op>_<dtype>(p, q, n): p = +(p op q) */
  cmp: Record<`${WasmCompareCode}_${'f32' | 'f64'}`, (p: number, q: number, n: number) => void>;
  /** un_<op>_<dtype>(p, n): in place */
  un: Record<`${WasmExactUnary}_${'f32' | 'f64'}`, InPlace>;
  /** maxpool2_f32(p, h, w, oh, ow, planes, q, qi, withIndex) */
  maxpool2: (p: number, h: number, w: number, oh: number, ow: number, planes: number, q: number, qi: number, withIndex: number) => void;
  /** reduce_<op>_<dtype>(p, n): one run */
  run: Record<`${WasmReduceCode}_${'f32' | 'f64'}`, (p: number, n: number) => number>;
}
let mod: Module | null | undefined;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function getModule(): Module | null {
  if (mod !== undefined) return mod;
  mod = null;
  try {
    const WA = wasmApi();
    if (WA === undefined) return null;
    const bytes = decodeBase64(ELEMENTWISE_WASM_BASE64);
    if (!WA.validate(bytes)) return null;
    const inst = new WA.Instance(new WA.Module(bytes), {});
    const e = inst.exports;
    mod = {
      memory: e.memory as WasmMemory,
      fns: { exp: e.exp_f32 as InPlace, sigmoid: e.sigmoid_f32 as InPlace, tanh: e.tanh_f32 as InPlace },
      lse: e.lse_f32 as Module['lse'],
      maxign: e.maxign_f32 as Module['maxign'],
      expsum2: e.expsum2_f32 as Module['expsum2'],
      scale: e.scale_f32 as Module['scale'],
      sublog: e.sublog_f32 as Module['sublog'],
      maxpool2: e.maxpool2_f32 as Module['maxpool2'],
      rows: {} as Module['rows'],
      run: {} as Module['run'],
      cols: {} as Module['cols'],
      bin: {} as Module['bin'],
      rbin: {} as Module['rbin'],
      un: {} as Module['un'],
      cmp: {} as Module['cmp'],
      bins: {} as Module['bins'],
      rbins: {} as Module['rbins'],
    };
    for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
      for (const dt of ['f32', 'f64'] as const) mod.cmp[`${op}_${dt}`] = e[`cmp_${op}_${dt}`] as Module['cmp']['eq_f32'];
    }
    for (const op of ['neg', 'abs', 'square', 'sqrt', 'reciprocal', 'relu'] as const) {
      for (const dt of ['f32', 'f64'] as const) mod.un[`${op}_${dt}`] = e[`un_${op}_${dt}`] as InPlace;
    }
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      for (const dt of ['f32', 'f64'] as const) {
        mod.bin[`${op}_${dt}`] = e[`bin_${op}_${dt}`] as Module['bin']['add_f32'];
        mod.rbin[`${op}_${dt}`] = e[`rbin_${op}_${dt}`] as Module['bin']['add_f32'];
        mod.bins[`${op}_${dt}`] = e[`bins_${op}_${dt}`] as Module['bins']['add_f32'];
        mod.rbins[`${op}_${dt}`] = e[`rbins_${op}_${dt}`] as Module['bins']['add_f32'];
      }
    }
    for (const op of ['sum', 'max', 'min'] as const) {
      for (const dt of ['f32', 'f64'] as const) {
        mod.rows[`${op}_${dt}`] = e[`rows_${op}_${dt}`] as Module['rows']['sum_f32'];
        mod.run[`${op}_${dt}`] = e[`reduce_${op}_${dt}`] as Module['run']['sum_f32'];
        mod.cols[`${op}_${dt}`] = e[`cols_${op}_${dt}`] as Module['cols']['sum_f32'];
      }
    }
  } catch {
    mod = null;
  }
  return mod;
}

/** Whether the wasm kernels can run here (WebAssembly with SIMD). */
export function wasmUnaryAvailable(): boolean {
  return getModule() !== null;
}

/**
 * Computes the first n - n % 4 elements of out = f(x) in wasm; returns how many were done
 * (0 when below the threshold or without wasm: the caller's JS loop does the rest).
 */
export function wasmUnaryF32(name: WasmUnaryName, x: Float32Array, out: Float32Array): number {
  const n = out.length;
  if (n < WASM_UNARY_MIN / F32_MIN_DIVISOR) return 0;
  const m = getModule();
  if (m === null) return 0;
  // in chunks of REDUCE_CHUNK elements (rounded down to a multiple of 4), copied in and out while in cache
  const chunk = Math.min(n - (n % 4), Math.max(4, REDUCE_CHUNK & ~3));
  if (chunk === 0) return 0;
  const need = chunk * 4;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const view = new Float32Array(m.memory.buffer, 0, chunk);
  const f = m.fns[name];
  let done = 0;
  while (n - done >= chunk) {
    view.set(x.subarray(done, done + chunk));
    f(0, chunk);
    out.set(view, done);
    done += chunk;
  }
  const rest = (n - done) & ~3;
  if (rest > 0) {
    const v = view.subarray(0, rest);
    v.set(x.subarray(done, done + rest));
    f(0, rest);
    out.set(v, done);
    done += rest;
  }
  return done;
}

function viewOf(m: Module, count: number): Float32Array {
  const need = count * 4;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  return new Float32Array(m.memory.buffer, 0, count);
}

/**
 * Float32 softmax (or log-softmax) over contiguous rows of length n (any n >= 1) in wasm, the rows
 * copied in by chunks of about REDUCE_CHUNK elements: the row max (NaN-propagating, -Infinity
 * taken as 0), e^(x - max) computed in f32x4 (x - max with its exact error, Cody-Waite reduction, a
 * degree-6 polynomial; see expsum2_f32 in scripts/elementwise-wat.ts: relative error about 1e-7)
 * and kept in double, their sum in double (two f64x2 partial sums), then softmax =
 * f32(e * (1 / sum)), log-softmax = f32(x - max - log(sum)). The float32 results are within 2 ulp
 * of the float64 computation (observed 1.2 ulp for softmax, 0.51 for log-softmax; 0.55 and 0.5
 * with e^ in double, which took 1.25x the time). Returns false (nothing done) below the size
 * threshold or without wasm.
 */
export function wasmSoftmaxRowsF32(src: Float32Array, dst: Float32Array, n: number, log: boolean): boolean {
  const size = src.length;
  if (size < WASM_UNARY_MIN || n === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const per = Math.max(1, Math.floor(REDUCE_CHUNK / n));
  const q = (per * n * 4 + 15) & ~15;
  const need = q + n * 8;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const view = new Float32Array(m.memory.buffer, 0, per * n);
  const { expsum2, scale, sublog } = m;
  const rowMax = m.run.max_f32;
  for (let start = 0; start < size; start += per * n) {
    const count = Math.min(per * n, size - start);
    view.set(src.subarray(start, start + count));
    for (let off = 0; off < count; off += n) {
      let mx = rowMax(off * 4, n);
      if (mx === -Infinity) mx = 0;
      if (log) sublog(off * 4, n, mx, Math.log(expsum2(off * 4, n, mx, q, 0)));
      else scale(q, n, 1 / expsum2(off * 4, n, mx, q, 1), off * 4);
    }
    dst.set(count === view.length ? view : view.subarray(0, count), start);
  }
  return true;
}

/**
 * Float32 log-sum-exp over contiguous rows of length n (any n >= 1), rows copied in by chunks: the
 * row max ignoring NaN (0 when not finite) and the in-order double sum of f32(e^f32(x - m)) in wasm
 * (lse_f32: the values and the order of the composed x.sub(m).exp() and sequential sum, so the
 * same result), then m + log(f32(sum)). Returns false below the threshold or without wasm.
 */
export function wasmLogSumExpRowsF32(src: Float32Array, out: Float32Array, n: number): boolean {
  const size = src.length;
  if (size < WASM_UNARY_MIN || n === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const per = Math.max(1, Math.floor(REDUCE_CHUNK / n));
  const view = viewOf(m, per * n);
  const { lse, maxign } = m;
  for (let start = 0, r = 0; start < size; start += per * n) {
    const count = Math.min(per * n, size - start);
    view.set(src.subarray(start, start + count));
    for (let off = 0; off < count; off += n, r++) {
      const mx = maxign(off * 4, n);
      const mk = Number.isFinite(mx) ? mx : 0;
      out[r] = mk + Math.log(Math.fround(lse(off * 4, n, mk)));
    }
  }
  return true;
}

/**
 * maxPool2d's 2x2 stride-2 window over float32 planes in wasm (maxpool2_f32: branch-free, the
 * values and arg-max indices of the JS loop), planes copied in by chunks of about REDUCE_CHUNK
 * elements (at least one plane). `out` and `index` as maxPool2x2's; returns false (nothing done)
 * below the size threshold or without wasm.
 */
export function wasmMaxPool2x2F32(src: Float32Array, planes: number, h: number, w: number, oh: number, ow: number, out: Float32Array | null, index: Int32Array | null): boolean {
  if (src.length < WASM_UNARY_MIN || planes === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const hw = h * w, ohw = oh * ow;
  const per = Math.max(1, Math.floor(REDUCE_CHUNK / hw));
  const q = per * hw * 4;
  const qi = q + per * ohw * 4;
  const need = qi + per * ohw * 4;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const buf = m.memory.buffer;
  const input = new Float32Array(buf, 0, per * hw);
  const values = new Float32Array(buf, q, per * ohw);
  const indices = new Int32Array(buf, qi, per * ohw);
  for (let p0 = 0; p0 < planes; p0 += per) {
    const count = Math.min(per, planes - p0);
    input.set(src.subarray(p0 * hw, (p0 + count) * hw));
    m.maxpool2(0, h, w, oh, ow, count, q, qi, index === null ? 0 : 1);
    const len = count * ohw;
    if (out !== null) out.set(len === values.length ? values : values.subarray(0, len), p0 * ohw);
    if (index !== null) index.set(len === indices.length ? indices : indices.subarray(0, len), p0 * ohw);
  }
  return true;
}

export type WasmReduceCode = 'sum' | 'max' | 'min';

/**
 * From this many input elements (and runs of at least WASM_REDUCE_MIN_RUN, or columns at least
 * WASM_REDUCE_MIN_COLS wide) the reductions run in wasm: below, the copies in and out cost more
 * than the loop saves (KERNEL_CONFIG; measurements in bench/README.md, "Kernel thresholds").
 */
let WASM_REDUCE_MIN: number = KERNEL_CONFIG.wasmReduceMin;
let WASM_REDUCE_MIN_RUN: number = KERNEL_CONFIG.wasmReduceMinRun;
let WASM_REDUCE_MIN_COLS: number = KERNEL_CONFIG.wasmReduceMinCols;

/** For tests: force the thresholds (0 = always, Infinity = never). Returns the previous values. */
export function setWasmReduceMin(n: number, run = n, cols = run): [number, number, number] {
  const old: [number, number, number] = [WASM_REDUCE_MIN, WASM_REDUCE_MIN_RUN, WASM_REDUCE_MIN_COLS];
  WASM_REDUCE_MIN = n;
  WASM_REDUCE_MIN_RUN = run;
  WASM_REDUCE_MIN_COLS = cols;
  return old;
}


/**
 * out[r] = combine(out[r], reduction of x[r k, (r + 1) k)) for every run r of k consecutive
 * elements, in wasm (see scripts/elementwise-wat.ts): the sum in double with eight interleaved
 * partial sums per chunk of REDUCE_CHUNK elements, chunks added in order (a different rounding from
 * the sequential loop, within the same error bound); max/min propagate NaN. Returns false (nothing
 * done) below the thresholds or without wasm.
 */
export function wasmReduceRuns(code: WasmReduceCode, x: Float32Array | Float64Array, k: number, out: Float32Array | Float64Array): boolean {
  const n = x.length;
  if (n < WASM_REDUCE_MIN || k < WASM_REDUCE_MIN_RUN || k === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const f64 = x instanceof Float64Array;
  const key = `${code}_${f64 ? 'f64' : 'f32'}` as const;
  const bytes = f64 ? 8 : 4;
  const runs = n / k;
  if (k <= REDUCE_CHUNK) {
    const per = Math.floor(REDUCE_CHUNK / k);
    const q = (per * k * bytes + 15) & ~15; // the results, 8-byte aligned
    const need = q + per * 8;
    if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
    const view = f64 ? new Float64Array(m.memory.buffer, 0, per * k) : new Float32Array(m.memory.buffer, 0, per * k);
    const res = new Float64Array(m.memory.buffer, q, per);
    const rows = m.rows[key];
    for (let r0 = 0; r0 < runs; r0 += per) {
      const count = Math.min(per, runs - r0);
      view.set(x.subarray(r0 * k, (r0 + count) * k));
      rows(0, k, count, q);
      combineInto(code, out, r0, res, count);
    }
    return true;
  }
  const need = REDUCE_CHUNK * bytes;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const view = f64 ? new Float64Array(m.memory.buffer, 0, REDUCE_CHUNK) : new Float32Array(m.memory.buffer, 0, REDUCE_CHUNK);
  const run = m.run[key];
  for (let r = 0; r < runs; r++) {
    let acc = out[r]!;
    const end = (r + 1) * k;
    for (let i = r * k; i < end; i += REDUCE_CHUNK) {
      const len = Math.min(REDUCE_CHUNK, end - i);
      view.set(x.subarray(i, i + len));
      const v = run(0, len);
      acc = code === 'sum' ? acc + v : code === 'max' ? (v > acc || v !== v ? v : acc) : v < acc || v !== v ? v : acc;
    }
    out[r] = acc;
  }
  return true;
}

/**
 * The [outer, mid, inner] layout with the mid axis reduced and the inner one kept:
 * out[o inner + j] = combine(out[o inner + j], reduction over r < mid of x[(o mid + r) inner + j]), in
 * wasm: each output accumulated in double over r in order (cols_<op>_<dtype>), rows copied in by
 * chunks of about REDUCE_CHUNK elements, columns in slices of at most REDUCE_CHUNK. Returns false
 * (nothing done) below the thresholds or without wasm.
 */
export function wasmReduceCols(
  code: WasmReduceCode,
  x: Float32Array | Float64Array,
  outer: number,
  mid: number,
  inner: number,
  out: Float32Array | Float64Array,
): boolean {
  if (x.length < WASM_REDUCE_MIN || inner < WASM_REDUCE_MIN_COLS || mid === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const f64 = x instanceof Float64Array;
  const key = `${code}_${f64 ? 'f64' : 'f32'}` as const;
  const bytes = f64 ? 8 : 4;
  const w = Math.min(inner, REDUCE_CHUNK);
  const per = Math.max(1, Math.floor(REDUCE_CHUNK / w));
  const q = (per * w * bytes + 15) & ~15;
  const need = q + w * 8;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const view = f64 ? new Float64Array(m.memory.buffer, 0, per * w) : new Float32Array(m.memory.buffer, 0, per * w);
  const acc = new Float64Array(m.memory.buffer, q, w);
  const init = code === 'sum' ? 0 : code === 'max' ? -Infinity : Infinity;
  const cols = m.cols[key];
  for (let o = 0; o < outer; o++) {
    for (let j0 = 0; j0 < inner; j0 += w) {
      const wj = Math.min(w, inner - j0);
      acc.fill(init, 0, wj);
      for (let r0 = 0; r0 < mid; r0 += per) {
        const count = Math.min(per, mid - r0);
        const base = (o * mid + r0) * inner + j0;
        // whole rows, or (inner > REDUCE_CHUNK, so per = 1) a slice of one row
        view.set(x.subarray(base, base + (wj === inner ? count * inner : wj)));
        cols(0, wj, count, q);
      }
      combineInto(code, out, o * inner + j0, acc, wj);
    }
  }
  return true;
}

function combineInto(code: WasmReduceCode, out: Float32Array | Float64Array, o: number, res: Float64Array, count: number): void {
  switch (code) {
    case 'sum':
      for (let i = 0; i < count; i++) out[o + i] = out[o + i]! + res[i]!;
      return;
    case 'max':
      for (let i = 0; i < count; i++) {
        const v = res[i]!;
        const a = out[o + i]!;
        out[o + i] = v > a || v !== v ? v : a;
      }
      return;
    case 'min':
      for (let i = 0; i < count; i++) {
        const v = res[i]!;
        const a = out[o + i]!;
        out[o + i] = v < a || v !== v ? v : a;
      }
      return;
  }
}

export type WasmArithCode = 'add' | 'sub' | 'mul' | 'div';

/**
 * From this many output elements + - * /, the comparisons and the exact unary ops run in wasm
 * (KERNEL_CONFIG.wasmBinaryMin; measurements in bench/README.md, "Kernel thresholds").
 */
let WASM_BINARY_MIN: number = KERNEL_CONFIG.wasmBinaryMin;

/** For tests: force the threshold (0 = always, Infinity = never). Returns the previous value. */
export function setWasmBinaryMin(n: number): number {
  const old = WASM_BINARY_MIN;
  WASM_BINARY_MIN = n;
  return old;
}

/**
 * out = big op small (small op big when `smallLeft`), all three float32 or all float64, where
 * small.length divides big.length = out.length and small repeats along big: the same length
 * (elementwise), 1 (a scalar) or a trailing row. In wasm, by chunks of about REDUCE_CHUNK
 * elements (whole rows); the values are those of the JS loops (see scripts/elementwise-wat.ts).
 * Returns false (nothing done) below the threshold, for other dtypes or without wasm.
 */
export function wasmArithmetic(
  code: WasmArithCode,
  big: FloatArrayLike,
  small: FloatArrayLike,
  out: FloatArrayLike,
  smallLeft: boolean,
): boolean {
  return binaryChunks(big, small, out, (m, f64) => (smallLeft ? m.rbin : m.bin)[`${code}_${f64 ? 'f64' : 'f32'}`]);
}

/**
 * out[r c + j] = big[r c + j] op col[r] (col[r] op big[...] when `colLeft`) for the rows r of c
 * elements (a column operand broadcast along the trailing axes: [R, C] - [R, 1], ...), all float32
 * or all float64, in wasm from WASM_BINARY_MIN elements and rows of at least 16 (one call per
 * row). The values of the JS loops. Returns false (nothing done) otherwise.
 */
export function wasmArithmeticColumn(
  code: WasmArithCode,
  big: FloatArrayLike,
  col: FloatArrayLike,
  out: FloatArrayLike,
  colLeft: boolean,
): boolean {
  const n = out.length;
  const rows = col.length;
  if (n < WASM_BINARY_MIN || big.length !== n || rows === 0 || n % rows !== 0) return false;
  const c = n / rows;
  if (c < 16) return false;
  const f64 = big instanceof Float64Array;
  if (f64 ? !(col instanceof Float64Array && out instanceof Float64Array)
    : !(big instanceof Float32Array && col instanceof Float32Array && out instanceof Float32Array)) return false;
  const m = getModule();
  if (m === null) return false;
  const bytes = f64 ? 8 : 4;
  const f = (colLeft ? m.rbins : m.bins)[`${code}_${f64 ? 'f64' : 'f32'}`];
  if (c > REDUCE_CHUNK) {
    // one row at a time, in slices
    const need = REDUCE_CHUNK * bytes;
    if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
    const P = f64 ? new Float64Array(m.memory.buffer, 0, REDUCE_CHUNK) : new Float32Array(m.memory.buffer, 0, REDUCE_CHUNK);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j += REDUCE_CHUNK) {
        const len = Math.min(REDUCE_CHUNK, c - j);
        const s = r * c + j;
        P.set(big.subarray(s, s + len));
        f(0, len, col[r]!);
        out.set(len === REDUCE_CHUNK ? P : P.subarray(0, len), s);
      }
    }
    return true;
  }
  const per = Math.floor(REDUCE_CHUNK / c);
  const len = per * c;
  const need = len * bytes;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const P = f64 ? new Float64Array(m.memory.buffer, 0, len) : new Float32Array(m.memory.buffer, 0, len);
  for (let r0 = 0; r0 < rows; r0 += per) {
    const count = Math.min(per, rows - r0);
    const s = r0 * c;
    P.set(big.subarray(s, s + count * c));
    for (let r = 0; r < count; r++) f(r * c * bytes, c, col[r0 + r]!);
    out.set(count === per ? P : P.subarray(0, count * c), s);
  }
  return true;
}

export type WasmCompareCode = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * out = +(a op b) (1 or 0), b of a's length or a scalar, all three float32 or all float64, in
 * wasm from WASM_BINARY_MIN elements (IEEE comparisons: the values of the JS loops). Returns false
 * (nothing done) below the threshold, for other dtypes or without wasm.
 */
export function wasmCompare(code: WasmCompareCode, a: FloatArrayLike, b: FloatArrayLike, out: FloatArrayLike): boolean {
  if (b.length !== 1 && b.length !== out.length) return false;
  return binaryChunks(a, b, out, (m, f64) => m.cmp[`${code}_${f64 ? 'f64' : 'f32'}`]);
}

/** The chunked driver of wasmArithmetic and wasmCompare: p = big chunk, q = small chunk or repeats. */
function binaryChunks(
  big: FloatArrayLike,
  small: FloatArrayLike,
  out: FloatArrayLike,
  pick: (m: Module, f64: boolean) => (p: number, q: number, n: number) => void,
): boolean {
  const n = out.length;
  const k = small.length;
  if (n < WASM_BINARY_MIN || big.length !== n || k === 0 || n % k !== 0) return false;
  const f64 = big instanceof Float64Array;
  if (f64 ? !(small instanceof Float64Array && out instanceof Float64Array)
    : !(big instanceof Float32Array && small instanceof Float32Array && out instanceof Float32Array)) return false;
  const m = getModule();
  if (m === null) return false;
  const bytes = f64 ? 8 : 4;
  const same = k === n;
  const len = Math.min(n, same ? REDUCE_CHUNK : k * Math.max(1, Math.floor(REDUCE_CHUNK / k)));
  const q = (len * bytes + 15) & ~15;
  const need = q + len * bytes;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const P = f64 ? new Float64Array(m.memory.buffer, 0, len) : new Float32Array(m.memory.buffer, 0, len);
  const Q = f64 ? new Float64Array(m.memory.buffer, q, len) : new Float32Array(m.memory.buffer, q, len);
  if (!same) {
    if (k === 1) Q.fill(small[0]!);
    else for (let o = 0; o < len; o += k) Q.set(small, o);
  }
  const f = pick(m, f64);
  for (let s = 0; s < n; s += len) {
    const c = Math.min(len, n - s);
    P.set(big.subarray(s, s + c));
    if (same) Q.set(small.subarray(s, s + c));
    f(0, q, c);
    out.set(c === len ? P : P.subarray(0, c), s);
  }
  return true;
}

type FloatArrayLike = Float32Array | Float64Array;

export type WasmExactUnary = 'neg' | 'abs' | 'square' | 'sqrt' | 'reciprocal' | 'relu';

/**
 * out = f(x) for the exact unary maps (one IEEE operation each: the values of the JS loops), x and
 * out both float32 or both float64, in wasm by chunks, from WASM_BINARY_MIN elements. Returns false
 * (nothing done) below the threshold, for other dtypes or without wasm.
 */
export function wasmUnaryExact(op: WasmExactUnary, x: FloatArrayLike, out: FloatArrayLike): boolean {
  const n = out.length;
  if (n < WASM_BINARY_MIN || x.length !== n) return false;
  const f64 = x instanceof Float64Array;
  if (f64 ? !(out instanceof Float64Array) : !(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const m = getModule();
  if (m === null) return false;
  const len = Math.min(n, REDUCE_CHUNK);
  const need = len * (f64 ? 8 : 4);
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const P = f64 ? new Float64Array(m.memory.buffer, 0, len) : new Float32Array(m.memory.buffer, 0, len);
  const f = m.un[`${op}_${f64 ? 'f64' : 'f32'}`];
  for (let s = 0; s < n; s += len) {
    const c = Math.min(len, n - s);
    P.set(x.subarray(s, s + c));
    f(0, c);
    out.set(c === len ? P : P.subarray(0, c), s);
  }
  return true;
}
