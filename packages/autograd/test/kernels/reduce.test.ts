import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FloatArray } from '../../src/dtype.ts';
import { reduceFast, reduceInto, type ReduceCode } from '../../src/kernels/reduce.ts';
import { setWasmReduceChunk, setWasmReduceMin, wasmReduceCols, wasmReduceRuns, wasmUnaryAvailable } from '../../src/kernels/unary-wasm.ts';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 3.4e38, -3.4e38, 1e-45, 1e300];

const COMBINE: Record<ReduceCode, [number, (a: number, v: number) => number]> = {
  sum: [0, (a, v) => a + v],
  max: [-Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a)],
  min: [Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a)],
  prod: [1, (a, v) => a * v],
  sumSquares: [0, (a, v) => a + v * v],
};

// ------------------------------------------------------------------ exact references

const SCALE = 1074n; // every double is an integer multiple of 2^-1074
const dv = new DataView(new ArrayBuffer(8));

/** v * 2^1074 as an exact BigInt (v finite). */
function toBig(v: number): bigint {
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e !== 0) mant |= 1n << 52n;
  const b = mant << BigInt(Math.max(e - 1, 0));
  return hi >>> 31 ? -b : b;
}

/** The double nearest to b * 2^-1074, within 2 ulp (and 2^-1073 absolute). */
function fromBig(b: bigint): number {
  const neg = b < 0n;
  const a = neg ? -b : b;
  const bits = a.toString(2).length;
  let v: number;
  if (bits <= 1000) v = Number(a) * 2 ** -537 * 2 ** -537;
  else {
    const shift = bits - 64;
    v = Number(a >> BigInt(shift)) * 2 ** (shift - Number(SCALE));
  }
  return neg ? -v : v;
}

/**
 * Checks `got` (stored in an array of `ctor`) against the exact sum of `vals`, allowing the error
 * bound of any summation order in double, gamma_{m-1} sum |x| (u = 2^-53), then the rounding to the
 * output dtype. Non-finite inputs determine the result exactly.
 */
function checkSum(got: number, vals: number[], ctor: Ctor, where: string): void {
  let nan = false, pinf = false, ninf = false;
  for (const v of vals) {
    if (Number.isNaN(v)) nan = true;
    else if (v === Infinity) pinf = true;
    else if (v === -Infinity) ninf = true;
  }
  if (nan || (pinf && ninf)) {
    if (!Number.isNaN(got)) throw new Error(`${where}: sum ${got}, expected NaN`);
    return;
  }
  if (pinf || ninf) {
    if (got !== (pinf ? Infinity : -Infinity)) throw new Error(`${where}: sum ${got}, expected ${pinf ? '' : '-'}Infinity`);
    return;
  }
  let exact = 0n, abs = 0;
  for (const v of vals) {
    exact += toBig(v);
    abs += Math.abs(v);
  }
  const m = vals.length;
  const u = 2 ** -53;
  const gamma = m > 1 ? ((m - 1) * u) / (1 - (m - 1) * u) : 0;
  const s = fromBig(exact);
  const slack = gamma * abs * (1 + 1e-10) + Math.abs(s) * 4 * u + 2 ** -1072;
  const round = ctor === Float32Array ? Math.fround : (v: number) => v;
  const lo = round(s - slack), hi = round(s + slack);
  if (!(lo <= got && got <= hi)) throw new Error(`${where}: sum ${got} outside [${lo}, ${hi}] (exact ${s})`);
}

/** max/min: the same value as the sequential reference; of +0 and -0 either sign is accepted. */
function checkExtreme(got: number, want: number, where: string): void {
  if (Object.is(got, want)) return;
  if (got === 0 && want === 0) return;
  throw new Error(`${where}: ${got} vs ${want}`);
}

/** The contiguous block length per output when the fast path applies (the kernel's rule), else 0. */
function blockLength(shape: number[], reduced: boolean[]): number {
  let k = 1, kept = false;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (!reduced[d]) kept = true;
    else if (kept) return 0;
    else k *= shape[d]!;
  }
  return k > 1 ? k : 0;
}

/** Whether the size > 1 axes form (kept) / reduced / kept groups (the kernel's column layout). */
function isColumnLayout(shape: number[], reduced: boolean[]): boolean {
  const groups: boolean[] = [];
  shape.forEach((s, d) => {
    if (s !== 1 && groups[groups.length - 1] !== reduced[d]) groups.push(reduced[d]!);
  });
  const g = groups.join();
  return g === 'true,false' || g === 'false,true,false';
}

/** The input elements that output o reduces, by brute force over the multi-index. */
function members(x: FloatArray, shape: number[], reduced: boolean[]): number[][] {
  const outSize = shape.reduce((a, d, i) => (reduced[i] ? a : a * d), 1);
  const groups: number[][] = Array.from({ length: outSize }, () => []);
  for (let i = 0; i < x.length; i++) {
    let rem = i, o = 0, stride = 1;
    const idx: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      if (reduced[d]) continue;
      o += idx[d]! * stride;
      stride *= shape[d]!;
    }
    groups[o]!.push(x[i]!);
  }
  return groups;
}

// ------------------------------------------------------------------ properties

const arb = fc.record({
  shape: fc.array(fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 1, max: 9 })), { minLength: 0, maxLength: 4 }),
  flags: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  values: fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 64 }),
  f32: fc.boolean(),
  wasm: fc.boolean(),
  chunk: fc.constantFrom(1, 3, 8, 13, 64, 1 << 14),
});

function build({ shape, flags, values, f32 }: { shape: number[]; flags: boolean[]; values: number[]; f32: boolean }) {
  const ctor: Ctor = f32 ? Float32Array : Float64Array;
  const n = shape.reduce((a, b) => a * b, 1);
  const x: FloatArray = new ctor(n);
  for (let i = 0; i < n; i++) x[i] = values[i % values.length]! * (1 + (i % 7) / 8);
  const reduced = shape.map((_, d) => flags[d]!);
  const outSize = shape.reduce((a, d, i) => (reduced[i] ? a : a * d), 1);
  return { ctor, n, x, reduced, outSize };
}

afterEach(() => {
  setWasmReduceMin(512, 8, 2);
  setWasmReduceChunk(1 << 14);
});

describe('reduceFast', () => {
  it('has the wasm reductions here (so that the wasm cases below run in wasm)', () => {
    expect(wasmUnaryAvailable()).toBe(true);
  });

  for (const code of ['prod', 'sumSquares'] as const) {
    it(`${code}: bit-for-bit reduceInto with the same combine`, () => {
      fc.assert(
        fc.property(arb, (p) => {
          const { ctor, x, reduced, outSize } = build(p);
          const [init, combine] = COMBINE[code];
          const got = new ctor(outSize).fill(init);
          const want = new ctor(outSize).fill(init);
          reduceFast(code, x, p.shape, reduced, got);
          reduceInto(x, p.shape, reduced, want, combine);
          for (let i = 0; i < outSize; i++) if (!Object.is(got[i], want[i])) throw new Error(`${i}: ${got[i]} vs ${want[i]}`);
        }),
        { numRuns: 300 },
      );
    });
  }

  for (const code of ['sum', 'max', 'min'] as const) {
    it(`${code}: contiguous blocks (JS and wasm) and column layouts (wasm), any chunking, within the bounds; other layouts bit-for-bit reduceInto`, () => {
      let blocks = 0, wasmBlocks = 0, colLayouts = 0;
      fc.assert(
        fc.property(arb, (p) => {
          setWasmReduceMin(p.wasm ? 0 : Infinity, p.wasm ? 0 : Infinity);
          setWasmReduceChunk(p.chunk);
          const { ctor, x, reduced, outSize } = build(p);
          const [init, combine] = COMBINE[code];
          const got = new ctor(outSize).fill(init);
          const want = new ctor(outSize).fill(init);
          reduceFast(code, x, p.shape, reduced, got);
          reduceInto(x, p.shape, reduced, want, combine);
          const k = blockLength(p.shape, reduced);
          const cols = p.wasm && k === 0 && isColumnLayout(p.shape, reduced);
          if ((k === 0 && !cols) || x.length === 0) {
            for (let i = 0; i < outSize; i++) if (!Object.is(got[i], want[i])) throw new Error(`${i}: ${got[i]} vs ${want[i]}`);
            return;
          }
          if (cols) colLayouts++;
          else {
            blocks++;
            if (p.wasm) wasmBlocks++;
          }
          const groups = members(x, p.shape, reduced);
          for (let i = 0; i < outSize; i++) {
            const where = `${p.wasm ? 'wasm' : 'JS'} ${ctor.name} shape [${p.shape}] reduced [${reduced}] output ${i}`;
            if (code === 'sum') checkSum(got[i]!, groups[i]!, ctor, where);
            else checkExtreme(got[i]!, want[i]!, where);
          }
        }),
        { numRuns: 600 },
      );
      // the generator must reach the block path, in wasm too, and the column layouts (observed
      // over 600 runs: about 145, 70 and 30, never below 125, 55 and 18; wasmReduceCols has its own
      // property below)
      expect(blocks).toBeGreaterThan(50);
      expect(wasmBlocks).toBeGreaterThan(20);
      expect(colLayouts).toBeGreaterThan(5);
    });
  }
});

describe('wasmReduceRuns', () => {
  const runArb = fc.record({
    k: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(7, 8, 9, 15, 16, 17, 100, 1001)),
    runs: fc.integer({ min: 1, max: 6 }),
    f32: fc.boolean(),
    chunk: fc.constantFrom(1, 5, 8, 16, 33, 1 << 14),
    seed: fc.integer(),
    special: fc.double({ min: 0, max: 0.2, noNaN: true }),
  });

  for (const code of ['sum', 'max', 'min'] as const) {
    it(`${code}: every run of any length, NaN/Infinity included, agrees with the reference`, () => {
      fc.assert(
        fc.property(runArb, ({ k, runs, f32, chunk, seed, special }) => {
          setWasmReduceMin(0, 0);
          setWasmReduceChunk(chunk);
          const ctor: Ctor = f32 ? Float32Array : Float64Array;
          const x = new ctor(k * runs);
          let s = seed >>> 0;
          const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          for (let i = 0; i < x.length; i++) {
            x[i] = r() < special ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : (r() * 2 - 1) * 2 ** Math.floor(r() * 40 - 20);
          }
          const [init, combine] = COMBINE[code];
          const got = new ctor(runs).fill(init);
          expect(wasmReduceRuns(code, x, k, got)).toBe(true);
          for (let o = 0; o < runs; o++) {
            const vals = Array.from(x.subarray(o * k, (o + 1) * k));
            const where = `${ctor.name} k=${k} chunk=${chunk} run ${o}`;
            if (code === 'sum') checkSum(got[o]!, vals, ctor, where);
            else checkExtreme(got[o]!, ctor.of(vals.reduce(combine, init))[0]!, where);
          }
        }),
        { numRuns: 500 },
      );
    });
  }

  const colArb = fc.record({
    outer: fc.integer({ min: 1, max: 3 }),
    mid: fc.integer({ min: 1, max: 12 }),
    inner: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(3, 4, 5, 8, 33)),
    f32: fc.boolean(),
    chunk: fc.constantFrom(1, 4, 6, 16, 50, 1 << 14),
    seed: fc.integer(),
    special: fc.double({ min: 0, max: 0.2, noNaN: true }),
  });
  for (const code of ['sum', 'max', 'min'] as const) {
    it(`${code} over the middle axis (wasmReduceCols): any widths and chunkings agree with the reference`, () => {
      fc.assert(
        fc.property(colArb, ({ outer, mid, inner, f32, chunk, seed, special }) => {
          setWasmReduceMin(0, 0, 0);
          setWasmReduceChunk(chunk);
          const ctor: Ctor = f32 ? Float32Array : Float64Array;
          const x = new ctor(outer * mid * inner);
          let s = seed >>> 0;
          const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          for (let i = 0; i < x.length; i++) {
            x[i] = r() < special ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : (r() * 2 - 1) * 2 ** Math.floor(r() * 40 - 20);
          }
          const [init, combine] = COMBINE[code];
          const got = new ctor(outer * inner).fill(init);
          expect(wasmReduceCols(code, x, outer, mid, inner, got)).toBe(true);
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < inner; j++) {
              const vals = Array.from({ length: mid }, (_, q) => x[(o * mid + q) * inner + j]!);
              const where = `${ctor.name} [${outer},${mid},${inner}] chunk=${chunk} output ${o},${j}`;
              if (code === 'sum') checkSum(got[o * inner + j]!, vals, ctor, where);
              else checkExtreme(got[o * inner + j]!, ctor.of(vals.reduce(combine, init))[0]!, where);
            }
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it('propagates a single NaN anywhere in a long run (max, min, sum), and -Infinity rows stay -Infinity', () => {
    setWasmReduceMin(0, 0);
    for (const ctor of [Float32Array, Float64Array]) {
      const k = 1000;
      for (const at of [0, 1, 7, 8, 500, 991, 992, 999]) {
        const x = new ctor(k).fill(1);
        x[at] = NaN;
        for (const code of ['sum', 'max', 'min'] as const) {
          const out = new ctor(1).fill(COMBINE[code][0]);
          wasmReduceRuns(code, x, k, out);
          expect(out[0], `${ctor.name} ${code} NaN at ${at}`).toBeNaN();
        }
      }
      const neg = new ctor(k).fill(-Infinity);
      const out = new ctor(1).fill(-Infinity);
      wasmReduceRuns('max', neg, k, out);
      expect(out[0]).toBe(-Infinity);
    }
  });

  it('sums 1e6 float32 elements more accurately than float32 accumulation would', () => {
    const n = 1_000_000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.1 + (i % 3) * 1e-3;
    const out = new Float32Array(1);
    expect(wasmReduceRuns('sum', x, n, out)).toBe(true);
    let exact = 0n;
    for (let i = 0; i < n; i++) exact += toBig(x[i]!);
    expect(out[0]).toBe(Math.fround(fromBig(exact)));
  });
});
