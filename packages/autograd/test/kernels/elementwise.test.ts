import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FloatArray } from '../../src/dtype.ts';
import * as K from '../../src/kernels/unary.ts';
import { logSoftmaxRows, logSumExpRows, softmaxRows } from '../../src/kernels/unary-lanes.ts';
import { stableSigmoid } from '../../src/ops/special.ts';
import { Tensor } from '../../src/tensor.ts';
import { logSumExp } from '../../src/ops/reduce.ts';
import { setWasmBinaryMin, setWasmReduceChunk, setWasmUnaryMin, wasmUnaryAvailable } from '../../src/kernels/unary-wasm.ts';
import { arithmeticFast, binaryMap, type ArithmeticCode } from '../../src/kernels/elementwise.ts';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const CTORS: readonly [string, Ctor][] = [['float32', Float32Array], ['float64', Float64Array]];

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 1e-30, -1e-30, 1e-45, -1e-45, 1e30, -1e30,
  3.4e38, -3.4e38, 88.7, 88.8, 89, -103.5, -104, -105, 20, -20, 9, -9, 1e300, -1e300, 5e-324];

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random values: a mix of specials, small, moderate and huge magnitudes. */
function fill(ctor: Ctor, n: number, seed: number): FloatArray {
  const r = rng(seed);
  const out = new ctor(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.15) out[i] = SPECIAL[Math.floor(r() * SPECIAL.length)]!;
    else if (u < 0.7) out[i] = (r() * 2 - 1) * 8;
    else out[i] = (r() < 0.5 ? -1 : 1) * Math.exp((r() * 2 - 1) * 80);
  }
  return out;
}

function ulp32(exact: number): number {
  const a = Math.abs(exact);
  if (a < 1.1754943508222875e-38) return 1.401298464324817e-45;
  const f = Math.fround(a);
  const e = Math.floor(Math.log2(f));
  return Math.pow(2, e - 23) * (Math.pow(2, e) > a ? 0.5 : 1);
}

/** Distance in float32 ulps of `got` from the exact value; 0 when both are the same special. */
function ulpError(got: number, exact: number): number {
  if (Number.isNaN(exact)) return Number.isNaN(got) ? 0 : Infinity;
  if (!Number.isFinite(exact) || Math.abs(exact) > 3.4028235677973366e38) return got === Math.fround(exact) ? 0 : Infinity;
  if (got === exact) return 0;
  return Math.abs(got - exact) / ulp32(exact);
}

const sizes = fc.oneof(fc.constantFrom(0, 1, 2, 3, 7, 31, 33, 1000), fc.integer({ min: 0, max: 300 }));

// kernel, the element function it must reproduce (bit-for-bit in float64), and whether float32 uses
// the exp approximation (then within 2 ulp of the exact value instead of bit-for-bit)
const UNARY: [string, K.UnaryKernel<unknown>, (v: number) => number, boolean][] = [
  ['exp', K.expKernel, Math.exp, true],
  ['log', K.logKernel, Math.log, false],
  ['sqrt', K.sqrtKernel, Math.sqrt, false],
  ['neg', K.negKernel, (v) => -v, false],
  ['abs', K.absKernel, Math.abs, false],
  ['square', K.squareKernel, (v) => v * v, false],
  ['reciprocal', K.reciprocalKernel, (v) => 1 / v, false],
  ['relu', K.reluKernel, (v) => (v < 0 ? 0 : v), false], // NaN and -0 kept (PyTorch)
  ['sigmoid', K.sigmoidKernel, stableSigmoid, true],
  ['tanh', K.tanhKernel, Math.tanh, true],
  ['log1p', K.log1pKernel, Math.log1p, false],
  ['expm1', K.expm1Kernel, Math.expm1, false],
];

describe('unary kernels agree with their element functions', () => {
  for (const [name, kernel, f, approx] of UNARY) {
    for (const [dtype, ctor] of CTORS) {
      it(`${name} ${dtype}${approx && dtype === 'float32' ? ' (<= 2 ulp, specials exact)' : ' (bit-for-bit)'}, JS and wasm (forced, chunked)`, () => {
        fc.assert(
          fc.property(sizes, fc.integer(), fc.boolean(), fc.constantFrom(3, 8, 100, 1 << 14), (n, seed, wasm, chunk) => {
            const x = fill(ctor, n, seed);
            const out = new ctor(n);
            const oldU = setWasmUnaryMin(wasm ? 0 : Infinity);
            const oldB = setWasmBinaryMin(wasm ? 0 : Infinity);
            const oldC = setWasmReduceChunk(chunk);
            try {
              kernel(x, out, undefined);
            } finally {
              setWasmUnaryMin(oldU);
              setWasmBinaryMin(oldB);
              setWasmReduceChunk(oldC);
            }
            for (let i = 0; i < n; i++) {
              if (approx && dtype === 'float32') {
                const err = ulpError(out[i]!, f(x[i]!));
                if (!(err <= 2)) throw new Error(`${name}(${x[i]}) = ${out[i]}, exact ${f(x[i]!)}: ${err} ulp`);
                if (x[i] === 0 && name !== 'exp') expect(Object.is(out[i], f(x[i]!))).toBe(true); // signed zeros
              } else {
                const expected = ctor === Float32Array ? Math.fround(f(x[i]!)) : f(x[i]!);
                if (!Object.is(out[i], expected)) throw new Error(`${name}(${x[i]}) = ${out[i]}, expected ${expected}`);
              }
            }
          }),
          { numRuns: 100 },
        );
      });
    }
  }

  it('relu works on float32 views that are subarrays', () => {
    const base = new Float32Array([-1, 2, NaN, -0, 3, -Infinity, Infinity, -NaN, -1e-45]);
    const x = base.subarray(1);
    const out = new Float32Array(10).subarray(2);
    K.reluKernel(x, out, undefined);
    expect(Array.from(out)).toEqual([2, NaN, -0, 3, 0, Infinity, NaN, 0]);
    expect(Object.is(out[2], -0)).toBe(true);
    expect(Object.is(out[4], 0)).toBe(true);
    expect(Object.is(out[7], 0)).toBe(true);
  });
});

describe('float32 exp / sigmoid / tanh on a dense grid (<= 2 ulp)', () => {
  const cases: [string, K.UnaryKernel<unknown>, (v: number) => number, number, number][] = [
    ['exp', K.expKernel, Math.exp, -110, 90],
    ['sigmoid', K.sigmoidKernel, stableSigmoid, -110, 110],
    ['tanh', K.tanhKernel, Math.tanh, -12, 12],
  ];
  for (const [name, kernel, f, lo, hi] of cases) {
    it(name, () => {
      const n = 1 << 20;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
      // and every float32 exponent, both signs, with a spread of mantissas
      const y = new Float32Array(2 * 254 * 64);
      let j = 0;
      for (let e = -126; e <= 127; e++) for (let m = 0; m < 64; m++) for (const s of [1, -1]) y[j++] = s * Math.pow(2, e) * (1 + m / 64);
      let worst = 0;
      for (const data of [x, y]) {
        const out = new Float32Array(data.length);
        kernel(data, out, undefined);
        for (let i = 0; i < data.length; i++) worst = Math.max(worst, ulpError(out[i]!, f(data[i]!)));
      }
      expect(worst).toBeLessThanOrEqual(2);
    });
  }
});

describe('float32 exp at the ends of its range', () => {
  // e^x is rounded to float32 once from a double (1 + u) 2^k: Infinity exactly where e^x rounds
  // past the largest float32, 0 and the subnormals from one rounding
  for (const [lo, hi] of [[88.7, 88.75], [-104.2, -103.8], [-87.5, -87.2]] as const) {
    it(`every float32 in [${lo}, ${hi}], wasm and JS`, () => {
      const f = new Float32Array(2);
      const b = new Uint32Array(f.buffer);
      f[0] = lo;
      f[1] = hi;
      const [s, e] = b[0]! < b[1]! ? [b[0]!, b[1]!] : [b[1]!, b[0]!];
      const x = new Float32Array(e - s + 1);
      new Uint32Array(x.buffer).forEach((_, i, a) => (a[i] = s + i));
      for (const wasm of [true, false]) {
        const out = new Float32Array(x.length);
        const old = setWasmUnaryMin(wasm ? 0 : Infinity);
        try {
          K.expKernel(x, out, undefined);
        } finally {
          setWasmUnaryMin(old);
        }
        let worst = 0;
        for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulpError(out[i]!, Math.exp(x[i]!)));
        expect(worst).toBeLessThanOrEqual(1.5);
      }
    });
  }
});

describe('arithmetic loops (JS and wasm)', () => {
  const F: Record<ArithmeticCode, (x: number, y: number) => number> = {
    add: (x, y) => x + y,
    sub: (x, y) => x - y,
    mul: (x, y) => x * y,
    div: (x, y) => x / y,
  };
  // [a shape, b shape] for each layout arithmeticFast takes: equal, scalar b, scalar a, row b,
  // column b, column a, a column over two trailing axes, and blocks of columns: a convolution's
  // bias [C, 1, 1] over [N, C, H, W] (either side, lower rank, unit dims around it)
  const layout = fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(15, 16, 17, 33, 64)), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 4 }))
    .map(([r, k, kind, m]): [number[], number[]] => {
      switch (kind) {
        case 0: return [[r, k], [r, k]];
        case 1: return [[r, k], []];
        case 2: return [[], [r, k]];
        case 3: return [[r, k], k > 1 ? [1, k] : [k]];
        case 4: return [[r, k], [r, 1]];
        case 5: return [[r, 1], [r, k]];
        case 6: return [[r, 2, k], [r, 1, 1]];
        case 7: return [[m, r, 2, k], [r, 1, 1]];
        case 8: return [[r, 1, 1], [m, r, k, 2]];
        case 9: return [[m, 1, r, k], [1, 1, r, 1]];
        default: return [[m, 3, r, k], [1, 3, r, 1]];
      }
    });
  for (const code of ['add', 'sub', 'mul', 'div'] as const) {
    it(`${code}: bit-for-bit binaryMap with the element function, both dtypes, wasm forced or not, any chunk`, () => {
      let wasmRuns = 0;
      fc.assert(
        fc.property(layout, fc.integer(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 3, 8, 64, 1 << 14), ([as, bs], seed, f32, wasm, chunk) => {
          const ctor: Ctor = f32 ? Float32Array : Float64Array;
          const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
          const a = fill(ctor, size(as), seed);
          const b = fill(ctor, size(bs), seed + 1);
          const outShape = size(as) >= size(bs) ? as : bs;
          const got = new ctor(size(outShape));
          const want = new ctor(size(outShape));
          const old = setWasmBinaryMin(wasm ? 0 : Infinity);
          const oldChunk = setWasmReduceChunk(chunk);
          try {
            expect(arithmeticFast(code, a, as, b, bs, got)).toBe(true);
          } finally {
            setWasmBinaryMin(old);
            setWasmReduceChunk(oldChunk);
          }
          if (wasm) wasmRuns++;
          binaryMap(a, as, b, bs, want, outShape, F[code]);
          for (let i = 0; i < want.length; i++) {
            if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
              throw new Error(`[${as}] ${code} [${bs}] at ${i}: ${got[i]} vs ${want[i]}`);
            }
          }
        }),
        { numRuns: 300 },
      );
      expect(wasmRuns).toBeGreaterThan(50);
    });
  }
});

describe('comparison loops', () => {
  const ops: [K.CompareCode, (a: number, b: number) => boolean][] = [
    ['eq', (a, b) => a === b], ['ne', (a, b) => a !== b], ['lt', (a, b) => a < b],
    ['le', (a, b) => a <= b], ['gt', (a, b) => a > b], ['ge', (a, b) => a >= b],
  ];
  for (const [code, f] of ops) {
    it(code, () => {
      fc.assert(
        fc.property(sizes, fc.integer(), fc.boolean(), fc.boolean(), fc.constantFrom(3, 8, 100, 1 << 14), (n, seed, scalar, wasm, chunk) => {
          for (const [, ctor] of CTORS) {
            const a = fill(ctor, n, seed);
            // b shares half of a's values (so that eq/le/ge meet equal pairs, -0 against +0 included)
            const b = scalar ? fill(ctor, 1, seed + 1) : fill(ctor, n, seed + 1).map((v, i) => (i % 2 ? v : i % 4 ? a[i]! : -a[i]!));
            const out = new ctor(n);
            const oldB = setWasmBinaryMin(wasm ? 0 : Infinity);
            const oldC = setWasmReduceChunk(chunk);
            try {
              expect(K.compareFast(code, a, b, out)).toBe(true);
            } finally {
              setWasmBinaryMin(oldB);
              setWasmReduceChunk(oldC);
            }
            for (let i = 0; i < n; i++) {
              if (!Object.is(out[i], f(a[i]!, scalar ? b[0]! : b[i]!) ? 1 : 0)) {
                throw new Error(`${a[i]} ${code} ${scalar ? b[0] : b[i]}: ${out[i]} (wasm ${wasm})`);
              }
            }
          }
        }),
        { numRuns: 100 },
      );
    });
  }
  it('declines other layouts', () => {
    expect(K.compareFast('lt', new Float64Array(3), new Float64Array(2), new Float64Array(6))).toBe(false);
  });
});

// the strided lane functions of ops/activation.ts, copied as the reference
function softmaxRef(src: FloatArray, dst: FloatArray, off: number, n: number): void {
  let m = -Infinity;
  for (let k = 0; k < n; k++) m = Math.max(m, src[off + k]!);
  if (m === -Infinity) m = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(src[off + k]! - m);
    dst[off + k] = e;
    total += e;
  }
  for (let k = 0; k < n; k++) dst[off + k] = dst[off + k]! / total;
}
function logSoftmaxRef(src: FloatArray, dst: FloatArray, off: number, n: number): void {
  let m = -Infinity;
  for (let k = 0; k < n; k++) m = Math.max(m, src[off + k]!);
  if (m === -Infinity) m = 0;
  let total = 0;
  for (let k = 0; k < n; k++) total += Math.exp(src[off + k]! - m);
  const logTotal = Math.log(total);
  for (let k = 0; k < n; k++) dst[off + k] = src[off + k]! - m - logTotal;
}

/** Rows drawn either moderate (softmax-like logits) or with specials mixed in. */
function rows(ctor: Ctor, r: number, n: number, seed: number, wild: boolean): FloatArray {
  if (wild) return fill(ctor, r * n, seed);
  const g = rng(seed);
  return new ctor(r * n).map(() => (g() * 2 - 1) * 30);
}

describe('row kernels (softmax, logSoftmax, logSumExp along the last axis)', () => {
  const shape = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.oneof(fc.constantFrom(1, 2, 3, 17), fc.integer({ min: 1, max: 200 })));
  for (const [name, kernel, ref] of [['softmax', softmaxRows, softmaxRef], ['logSoftmax', logSoftmaxRows, logSoftmaxRef]] as const) {
    it(`${name} float64 is bit-for-bit the strided lane`, () => {
      fc.assert(
        fc.property(shape, fc.integer(), fc.boolean(), ([r, n], seed, wild) => {
          const x = rows(Float64Array, r, n, seed, wild);
          const got = new Float64Array(r * n);
          const want = new Float64Array(r * n);
          kernel(x, got, n);
          for (let o = 0; o < r; o++) ref(x, want, o * n, n);
          for (let i = 0; i < r * n; i++) if (!Object.is(got[i], want[i])) throw new Error(`${i}: ${got[i]} vs ${want[i]}`);
        }),
        { numRuns: 80 },
      );
    });
    it(`${name} float32 is within 2 ulp of the float64 result on the same inputs`, () => {
      fc.assert(
        fc.property(shape, fc.integer(), fc.boolean(), ([r, n], seed, wild) => {
          const x = rows(Float32Array, r, n, seed, wild);
          const got = new Float32Array(r * n);
          const want = new Float64Array(r * n);
          kernel(x, got, n);
          for (let o = 0; o < r; o++) ref(x, want, o * n, n);
          for (let i = 0; i < r * n; i++) {
            // logSoftmax subtracts near-equal values: allow 2 ulp of the larger operand there
            const scale = name === 'logSoftmax' ? Math.max(Math.abs(want[i]!), Math.abs(x[i]!)) : Math.abs(want[i]!);
            const err = Object.is(got[i], Math.fround(want[i]!)) ? 0 : Math.abs(got[i]! - want[i]!) / ulp32(scale);
            if (!(err <= 2) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) throw new Error(`${i}: ${got[i]} vs ${want[i]} (${err} ulp)`);
          }
        }),
        { numRuns: 80 },
      );
    });
  }

  for (const [name, kernel, ref] of [['softmax', softmaxRows, softmaxRef], ['logSoftmax', logSoftmaxRows, logSoftmaxRef]] as const) {
    it(`${name} float32 in wasm (forced, any row length, rows split across chunks) is within 2 ulp`, () => {
      let worst = 0;
      fc.assert(
        fc.property(
          fc.tuple(fc.integer({ min: 1, max: 8 }), fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 17), fc.integer({ min: 1, max: 300 }))),
          fc.integer(),
          fc.boolean(),
          fc.constantFrom(1, 7, 64, 1 << 14),
          ([r, n], seed, wild, chunk) => {
            const x = rows(Float32Array, r, n, seed, wild);
            const got = new Float32Array(r * n);
            const want = new Float64Array(r * n);
            const old = setWasmUnaryMin(0);
            const oldChunk = setWasmReduceChunk(chunk);
            try {
              kernel(x, got, n);
            } finally {
              setWasmUnaryMin(old);
              setWasmReduceChunk(oldChunk);
            }
            for (let o = 0; o < r; o++) ref(x, want, o * n, n);
            for (let i = 0; i < r * n; i++) {
              const scale = name === 'logSoftmax' ? Math.max(Math.abs(want[i]!), Math.abs(x[i]!)) : Math.abs(want[i]!);
              const err = Object.is(got[i], Math.fround(want[i]!)) ? 0 : Math.abs(got[i]! - want[i]!) / ulp32(scale);
              if (Number.isNaN(got[i]) && Number.isNaN(want[i])) continue;
              if (!(err <= 2)) throw new Error(`row length ${n}, ${i}: ${got[i]} vs ${want[i]} (${err} ulp)`);
              worst = Math.max(worst, err);
            }
          },
        ),
        { numRuns: 300 },
      );
      // observed worst case (e^(x - max) in f32x4, kept in double): about 1.2 ulp (softmax), 0.5 ulp
      // (logSoftmax); a bound from the error analysis in scripts/elementwise-wat.ts is below 2
      expect(worst).toBeGreaterThan(0);
    });
  }

  it('logSumExp rows equal the composed computation (x - m).exp().sum() in both dtypes', () => {
    fc.assert(
      fc.property(shape, fc.integer(), fc.boolean(), ([r, n], seed, wild) => {
        for (const [dtype, ctor] of CTORS) {
          const x = rows(ctor, r, n, seed, wild);
          const got = new ctor(r);
          logSumExpRows(x, got, n);
          // the composed path: logSumExp over the first axis of the transposed layout would be
          // strided, so compare with an all-axes reduction row by row (one row each)
          for (let o = 0; o < r; o++) {
            const row = new Tensor(x.slice(o * n, (o + 1) * n), [1, n], dtype as 'float32' | 'float64');
            const want = logSumExp(row, { axis: [0, 1] }).data[0]!;
            if (!Object.is(got[o], want)) throw new Error(`${dtype} row ${o}: ${got[o]} vs ${want}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('wasm SIMD float32 exp / sigmoid / tanh', () => {
  it('is available under Node (WebAssembly SIMD)', () => {
    expect(wasmUnaryAvailable()).toBe(true);
  });
  for (const [name, kernel] of [['exp', K.expKernel], ['sigmoid', K.sigmoidKernel], ['tanh', K.tanhKernel]] as const) {
    it(`${name}: the same float32 values as the JS loop, any size`, () => {
      fc.assert(
        fc.property(fc.oneof(sizes, fc.integer({ min: 1, max: 5000 })), fc.integer(), (n, seed) => {
          const x = fill(Float32Array, n, seed) as Float32Array;
          const js = new Float32Array(n);
          const wasm = new Float32Array(n);
          const old = setWasmUnaryMin(Infinity);
          try {
            kernel(x, js, undefined);
            setWasmUnaryMin(0);
            kernel(x, wasm, undefined);
          } finally {
            setWasmUnaryMin(old);
          }
          for (let i = 0; i < n; i++) if (!Object.is(js[i], wasm[i])) throw new Error(`${name}(${x[i]}): js ${js[i]}, wasm ${wasm[i]}`);
        }),
        { numRuns: 60 },
      );
    });
  }
  it('handles inputs larger than one wasm chunk (1 Mi elements) and subarray views', () => {
    const n = (1 << 20) + 4 * 1000 + 3;
    const base = fill(Float32Array, n + 5, 7) as Float32Array;
    const x = base.subarray(5);
    const js = new Float32Array(n);
    const wasm = new Float32Array(n);
    const old = setWasmUnaryMin(Infinity);
    try {
      K.sigmoidKernel(x, js, undefined);
      setWasmUnaryMin(0);
      K.sigmoidKernel(x, wasm, undefined);
    } finally {
      setWasmUnaryMin(old);
    }
    let same = true;
    for (let i = 0; i < n; i++) if (!Object.is(js[i], wasm[i])) same = false;
    expect(same).toBe(true);
  });
});

describe('wasm float32 softmax / logSoftmax rows', () => {
  it('match the float64 lanes within 2 ulp (wasm forced), special rows included', () => {
    const old = setWasmUnaryMin(0);
    try {
      const specialRows = [
        [-Infinity, -Infinity, -Infinity, -Infinity],
        [NaN, 1, 2, 3],
        [Infinity, 1, 2, 3],
        [-0, 0, -Infinity, 5],
        [1e30, -1e30, 0, 88],
      ];
      for (const row of specialRows) {
        const x = new Float32Array(row);
        for (const [kernel, ref] of [[softmaxRows, softmaxRef], [logSoftmaxRows, logSoftmaxRef]] as const) {
          const got = new Float32Array(4);
          const want = new Float64Array(4);
          kernel(x, got, 4);
          ref(x, want, 0, 4);
          for (let i = 0; i < 4; i++) {
            if (Number.isNaN(want[i])) expect(got[i]).toBeNaN();
            else expect(ulpError(got[i]!, want[i]!)).toBeLessThanOrEqual(2);
          }
        }
      }
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 100 }), fc.integer(), fc.boolean(), (r, q, seed, wild) => {
          const n = 4 * q;
          const x = rows(Float32Array, r, n, seed, wild);
          for (const [kernel, ref] of [[softmaxRows, softmaxRef], [logSoftmaxRows, logSoftmaxRef]] as const) {
            const got = new Float32Array(r * n);
            const want = new Float64Array(r * n);
            kernel(x, got, n);
            for (let o = 0; o < r; o++) ref(x, want, o * n, n);
            for (let i = 0; i < r * n; i++) {
              const scale = kernel === logSoftmaxRows ? Math.max(Math.abs(want[i]!), Math.abs(x[i]!)) : Math.abs(want[i]!);
              const err = Object.is(got[i], Math.fround(want[i]!)) ? 0 : Math.abs(got[i]! - want[i]!) / ulp32(scale);
              if (!(err <= 2) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) throw new Error(`${i}: ${got[i]} vs ${want[i]}`);
            }
          }
        }),
        { numRuns: 80 },
      );
    } finally {
      setWasmUnaryMin(old);
    }
  });
});

describe('wasm float32 softmax rows over the whole exp range', () => {
  // e^(x - max) is computed in f32x4 from x - max rounded to float32 plus its exact error: rows far
  // from 0 (where x - max rounds) and rows spanning every power of two down to underflow
  const gens: [string, (g: () => number) => number][] = [
    ['down to underflow', (g) => -g() * 120],
    ['offset 1000', (g) => 1000 + (g() * 2 - 1) * 60],
    ['offset -3e4', (g) => -3e4 + (g() * 2 - 1) * 100],
    ['mixed magnitudes', (g) => (g() < 0.5 ? -1 : 1) * Math.exp((g() * 2 - 1) * 6)],
  ];
  for (const [label, gen] of gens) {
    it(`${label}: softmax and logSoftmax within 2 ulp of the float64 lanes`, () => {
      const g = rng(label.length * 7919);
      const r = 16;
      const n = 1027;
      const x = new Float32Array(r * n).map(() => gen(g));
      const old = setWasmUnaryMin(0);
      try {
        for (const [kernel, ref] of [[softmaxRows, softmaxRef], [logSoftmaxRows, logSoftmaxRef]] as const) {
          const got = new Float32Array(r * n);
          const want = new Float64Array(r * n);
          kernel(x, got, n);
          for (let o = 0; o < r; o++) ref(x, want, o * n, n);
          let worst = 0;
          for (let i = 0; i < r * n; i++) {
            const scale = kernel === logSoftmaxRows ? Math.max(Math.abs(want[i]!), Math.abs(x[i]!)) : Math.abs(want[i]!);
            const err = Object.is(got[i], Math.fround(want[i]!)) ? 0 : Math.abs(got[i]! - want[i]!) / ulp32(scale);
            worst = Math.max(worst, err);
          }
          expect(worst).toBeLessThanOrEqual(2);
        }
      } finally {
        setWasmUnaryMin(old);
      }
    });
  }
});

describe('wasm float32 logSumExp rows', () => {
  it('are bit-for-bit the JS rows (wasm forced on, then off), any row length and chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constantFrom(1, 2, 3, 5, 7, 8, 9)),
        fc.integer(),
        fc.boolean(),
        fc.constantFrom(1, 7, 64, 1 << 14),
        (r, n, seed, wild, chunk) => {
        const x = rows(Float32Array, r, n, seed, wild);
        // NaN-only and -0/+0 rows now and then
        if (seed % 5 === 0) x.fill(NaN, 0, n);
        if (seed % 7 === 0) for (let i = 0; i < x.length; i += 2) x[i] = i % 4 ? -0 : 0;
        const js = new Float32Array(r);
        const wasm = new Float32Array(r);
        const old = setWasmUnaryMin(0);
        const oldChunk = setWasmReduceChunk(chunk);
        try {
          logSumExpRows(x, wasm, n);
          setWasmUnaryMin(Infinity);
          logSumExpRows(x, js, n);
        } finally {
          setWasmUnaryMin(old);
          setWasmReduceChunk(oldChunk);
        }
        for (let i = 0; i < r; i++) if (!Object.is(js[i], wasm[i])) throw new Error(`row ${i}: js ${js[i]}, wasm ${wasm[i]}`);
        },
      ),
      { numRuns: 200 },
    );
    const special = new Float32Array([-Infinity, -Infinity, -Infinity, -Infinity, NaN, 1, 2, 3, Infinity, 0, 0, 0]);
    const js = new Float32Array(3);
    const wasm = new Float32Array(3);
    const old = setWasmUnaryMin(0);
    try {
      logSumExpRows(special, wasm, 4);
      setWasmUnaryMin(Infinity);
      logSumExpRows(special, js, 4);
    } finally {
      setWasmUnaryMin(old);
    }
    expect(Array.from(wasm)).toEqual(Array.from(js));
  });
});
