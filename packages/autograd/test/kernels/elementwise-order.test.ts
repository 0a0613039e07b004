// The float32 softmax and logSumExp row kernels in wasm, bit for bit against JS twins of the exact
// operations they are documented to perform (scripts/elementwise-wat.ts: softmaxExpF32, expsum2_f32,
// scale_f32, lse_f32), sums included in their documented order. The kernels handle two vectors per
// step (interleave2); these tests pin down that doing so changed neither a value nor the order of
// an addition (a within-2-ulp bound, as in elementwise.test.ts, would not see a reordered sum).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expF32 } from '../../src/kernels/unary.ts';
import { setWasmReduceChunk, setWasmUnaryMin, wasmLogSumExpRowsF32, wasmSoftmaxRowsF32 } from '../../src/kernels/unary-wasm.ts';
import { wasmApi, type WasmMemory } from '../../src/kernels/matmul-wasm.ts';
import { ELEMENTWISE_WASM_BASE64 } from '../../src/kernels/wasm/elementwise-wasm.generated.ts';
import { EXPQ4, SIGMOID_MAGIC } from '../../scripts/elementwise-wat.ts';

const fr = Math.fround;
const LOG2E_F = fr(Math.LOG2E);
const LN2_HI = 0.693359375;
const LN2_LO = fr(Math.LN2 - LN2_HI);

/** 2^k as a double, from the exponent bits as the kernels build it (0 when masked) */
function pow2(kBiased: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigInt64(0, BigInt(kBiased) << 52n);
  return dv.getFloat64(0);
}

/** softmaxExpF32 for one lane: e^(x - m) in double, negm = f32(-m) */
function softmaxExp(x: number, negm: number): number {
  const s = fr(x + negm);
  const b = fr(s - x);
  const err = fr(fr(x - fr(s - b)) + fr(negm - b));
  const kb = fr(fr(s * LOG2E_F) + SIGMOID_MAGIC);
  const k = fr(kb - SIGMOID_MAGIC);
  const r = fr(fr(s - fr(k * LN2_HI)) + fr(err - fr(k * LN2_LO)));
  if (s < -105) return (1 + 0) * pow2(0);
  let q = fr(EXPQ4[4]!);
  for (let i = 3; i >= 0; i--) q = fr(fr(EXPQ4[i]!) + fr(r * q));
  const u = fr(r + fr(fr(r * r) * q));
  return (1 + u) * pow2(k + 1023);
}

/** the row max as reduce_max_f32 gives it (NaN if any), -Infinity taken as 0 */
function rowMax(x: Float32Array, off: number, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[off + i]!;
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m === -Infinity ? 0 : m;
}

/** expsum2_f32's double sum of e^(x - m) over a row: see softmaxTwin */
function expSumTwin(x: Float32Array, off: number, n: number, m: number): number {
  const negm = fr(-fr(m));
  const lane = [0, 0, 0, 0];
  const n4 = n & ~3;
  for (let i = 0; i < n4; i++) lane[i & 3]! += softmaxExp(x[off + i]!, negm);
  let t = (lane[0]! + lane[2]!) + (lane[1]! + lane[3]!);
  for (let i = n4; i < n; i++) t += softmaxExp(x[off + i]!, negm);
  return t;
}

/** lse_f32's double: the in-order sum of f32(e^f32(x - m)) */
function lseSumTwin(x: Float32Array, off: number, n: number, m: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += fr(expF32(fr(x[off + i]! - m)));
  return acc;
}

/** expsum2_f32 then scale_f32: four lane sums over the whole vectors (lane j adds the elements
 * i = j mod 4 in order), folded as (s0 + s2) + (s1 + s3), then the tail in order */
function softmaxTwin(x: Float32Array, off: number, n: number, out: Float32Array): void {
  const negm = fr(-fr(rowMax(x, off, n)));
  const e = new Float64Array(n);
  const lane = [0, 0, 0, 0];
  const n4 = n & ~3;
  for (let i = 0; i < n; i++) e[i] = softmaxExp(x[off + i]!, negm);
  for (let i = 0; i < n4; i++) lane[i & 3]! += e[i]!;
  let t = (lane[0]! + lane[2]!) + (lane[1]! + lane[3]!);
  for (let i = n4; i < n; i++) t += e[i]!;
  const a = 1 / t;
  for (let i = 0; i < n; i++) out[off + i] = fr(e[i]! * a);
}

/** lse_f32: the in-order double sum of f32(e^f32(x - m)), m the max ignoring NaN (0 if not finite) */
function logSumExpTwin(x: Float32Array, off: number, n: number): number {
  let mx = -Infinity;
  for (let i = 0; i < n; i++) if (x[off + i]! > mx) mx = x[off + i]!;
  const mk = Number.isFinite(mx) ? mx : 0;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += fr(expF32(fr(x[off + i]! - mk)));
  return mk + Math.log(fr(acc));
}

function rowsOf(r: number, n: number, seed: number, wide: boolean): Float32Array {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(r * n);
  for (let i = 0; i < x.length; i++) {
    const u = next();
    x[i] = u < 0.03 ? -Infinity : wide ? (next() * 2 - 1) * 120 : (next() * 2 - 1) * 6;
  }
  return x;
}

const shapes = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 700 })));

/** the module's raw exports, on a memory of its own, for the double sums the drivers round away */
function rawModule(): { mem: () => Float32Array; expsum2: (p: number, n: number, m: number, q: number, store: number) => number; lse: (p: number, n: number, m: number) => number } {
  const bytes = Uint8Array.from(atob(ELEMENTWISE_WASM_BASE64), (ch) => ch.charCodeAt(0));
  const WA = wasmApi()!;
  const ex = new WA.Instance(new WA.Module(bytes), {}).exports;
  const memory = ex.memory as WasmMemory;
  memory.grow(16);
  return {
    mem: () => new Float32Array(memory.buffer),
    expsum2: ex.expsum2_f32 as (p: number, n: number, m: number, q: number, store: number) => number,
    lse: ex.lse_f32 as (p: number, n: number, m: number) => number,
  };
}

describe('wasm row sums in double, in their documented order (bit for bit)', () => {
  const mod = rawModule();
  it('expsum2_f32 and lse_f32 return the twins\' double sums', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer(), fc.boolean(), fc.integer({ min: 0, max: 7 }), (n, seed, wide, at) => {
        const x = rowsOf(1, n, seed, wide);
        const m = rowMax(x, 0, n);
        const mem = mod.mem();
        mem.set(x, at);
        const q = (((at + n) * 4 + 15) & ~15);
        const e = mod.expsum2(at * 4, n, m, q, 1);
        const want = expSumTwin(x, 0, n, m);
        expect(e, `expsum2_f32, n = ${n}`).toBe(want);
        let mk = -Infinity;
        for (const v of x) if (v > mk) mk = v;
        mk = Number.isFinite(mk) ? mk : 0;
        mem.set(x, at);
        const l = mod.lse(at * 4, n, mk);
        const lw = lseSumTwin(x, 0, n, mk);
        expect(l, `lse_f32, n = ${n}`).toBe(lw);
      }),
      { numRuns: 300 },
    );
  });
});

describe('wasm float32 row kernels against JS twins of their operations (bit for bit)', () => {
  it('softmax: expsum2_f32 (two vectors per step) and scale_f32', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(shapes, fc.integer(), fc.boolean(), fc.constantFrom(7, 64, 1 << 14), ([r, n], seed, wide, chunk) => {
        const x = rowsOf(r, n, seed, wide);
        const got = new Float32Array(r * n);
        const want = new Float32Array(r * n);
        const oldMin = setWasmUnaryMin(0);
        const oldChunk = setWasmReduceChunk(chunk);
        try {
          expect(wasmSoftmaxRowsF32(x, got, n, false)).toBe(true);
        } finally {
          setWasmUnaryMin(oldMin);
          setWasmReduceChunk(oldChunk);
        }
        for (let o = 0; o < r; o++) softmaxTwin(x, o * n, n, want);
        for (let i = 0; i < r * n; i++) if (!Object.is(got[i], want[i])) throw new Error(`row length ${n}, element ${i}: wasm ${got[i]}, twin ${want[i]}`);
      }),
      { numRuns: 150 },
    );
  });

  it('logSumExp: lse_f32 (two vectors per step) sums in element order', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(shapes, fc.integer(), fc.boolean(), fc.constantFrom(7, 64, 1 << 14), ([r, n], seed, wide, chunk) => {
        const x = rowsOf(r, n, seed, wide);
        const got = new Float32Array(r);
        const oldMin = setWasmUnaryMin(0);
        const oldChunk = setWasmReduceChunk(chunk);
        try {
          expect(wasmLogSumExpRowsF32(x, got, n)).toBe(true);
        } finally {
          setWasmUnaryMin(oldMin);
          setWasmReduceChunk(oldChunk);
        }
        for (let o = 0; o < r; o++) {
          const want = fr(logSumExpTwin(x, o * n, n));
          if (!Object.is(got[o], want)) throw new Error(`row length ${n}, row ${o}: wasm ${got[o]}, twin ${want}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
