// Driver for the WebAssembly SIMD float32 exp / sigmoid / tanh kernels
// (scripts/elementwise-wat.ts). They compute the same float32 values as the JS loops in
// unary.ts (same double operations, in the same order), so the size threshold changes speed only.
// Synchronous: the module is instantiated on first use. The input is copied into the module's
// memory, transformed in place and copied out; the copies are part of the measured cost.
import { wasmApi, type WasmMemory } from './matmul-wasm.ts';
import { ELEMENTWISE_WASM_BASE64 } from './wasm/elementwise-wasm.generated.ts';

export type WasmUnaryName = 'exp' | 'sigmoid' | 'tanh';
type InPlace = (p: number, n: number) => void;

/**
 * From this many elements the wasm kernels are used. Measured on the 2-core benchmark VM (Node 20):
 * wasm already ties at 64 elements and is 1.25x (exp) to 1.6x (sigmoid) faster from 256 up,
 * copies included; 1e6 elements: exp 9.6 -> 5.3 ms, sigmoid 9.1 -> 5.0, tanh 9.1 -> 6.0.
 */
export let WASM_UNARY_MIN = 256;

/** For tests: force the threshold (0 = always, Infinity = never). Returns the previous value. */
export function setWasmUnaryMin(n: number): number {
  const old = WASM_UNARY_MIN;
  WASM_UNARY_MIN = n;
  return old;
}

interface Module {
  memory: WasmMemory;
  fns: Record<WasmUnaryName, InPlace>;
  max: (p: number, n: number) => number;
  expsum: (p: number, n: number, m: number, store: number) => number;
  div: (p: number, n: number, d: number) => void;
  shiftexp: (p: number, n: number, m: number) => void;
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
      max: e.max_f32 as Module['max'],
      expsum: e.expsum_f32 as Module['expsum'],
      div: e.div_f32 as Module['div'],
      shiftexp: e.shiftexp_f32 as Module['shiftexp'],
    };
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
  if (n < WASM_UNARY_MIN) return 0;
  const m = getModule();
  if (m === null) return 0;
  // in chunks of at most 1 Mi elements (4 MiB of wasm memory)
  const chunk = Math.min(n - (n % 4), 1 << 20);
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
 * Float32 softmax (or log-softmax) over contiguous rows of length n, a multiple of 4, with the row
 * max and the sum of e^(x - max) in wasm. Returns false (nothing done) below the size threshold,
 * for other row lengths or without wasm. The sum runs in two lanes, so it may round differently
 * from the JS loop's sequential sum in the last bits of a double (float32 results within 2 ulp).
 */
export function wasmSoftmaxRowsF32(src: Float32Array, dst: Float32Array, n: number, log: boolean): boolean {
  const size = src.length;
  if (size < WASM_UNARY_MIN || n % 4 !== 0 || n === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const rowsPerChunk = Math.max(1, Math.floor((1 << 20) / n));
  for (let r0 = 0; r0 * n < size; r0 += rowsPerChunk) {
    const start = r0 * n;
    const count = Math.min(rowsPerChunk * n, size - start);
    const view = viewOf(m, count);
    view.set(src.subarray(start, start + count));
    for (let off = 0; off < count; off += n) {
      let mx = m.max(off * 4, n);
      if (mx === -Infinity) mx = 0;
      const total = m.expsum(off * 4, n, mx, log ? 0 : 1);
      const end = off + n;
      if (log) {
        const logTotal = Math.log(total);
        for (let i = off; i < end; i++) dst[start + i] = view[i]! - mx - logTotal;
      } else m.div(off * 4, n, total);
    }
    if (!log) dst.set(view, start);
  }
  return true;
}

/**
 * Float32 log-sum-exp over contiguous rows of length n (a multiple of 4): the row max (NaN
 * ignored) and the final sum run in JS, in order; f32(e^f32(x - m)) runs in wasm, the same float32
 * values as the JS loop (and as the composed x.sub(m).exp()). Returns false when not applicable.
 */
export function wasmLogSumExpRowsF32(src: Float32Array, out: Float32Array, n: number): boolean {
  const size = src.length;
  if (size < WASM_UNARY_MIN || n % 4 !== 0 || n === 0) return false;
  const m = getModule();
  if (m === null) return false;
  const rowsPerChunk = Math.max(1, Math.floor((1 << 20) / n));
  for (let r0 = 0; r0 * n < size; r0 += rowsPerChunk) {
    const start = r0 * n;
    const count = Math.min(rowsPerChunk * n, size - start);
    const view = viewOf(m, count);
    view.set(src.subarray(start, start + count));
    for (let off = 0, r = r0; off < count; off += n, r++) {
      const end = off + n;
      let mx = -Infinity;
      for (let i = off; i < end; i++) {
        const v = view[i]!;
        if (v > mx) mx = v;
      }
      const mk = Number.isFinite(mx) ? mx : 0;
      m.shiftexp(off * 4, n, mk);
      let acc = 0;
      for (let i = off; i < end; i++) acc += view[i]!;
      out[r] = mk + Math.log(Math.fround(acc));
    }
  }
  return true;
}
