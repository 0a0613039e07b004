import { describe, expect, it } from 'vitest';
import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import {
  matmul,
  matmulReference,
  matmulTiled,
  matmulUsesWasm,
  matmulConfig,
  matmulThreads,
  matmulVia,
  matmulWasm,
  setMatmulThreadsMinWork,
  type FloatArray,
} from '../../src/kernels/matmul.ts';
import { KERNEL_CONFIG } from '../../src/kernels/config.ts';

const { matmulWasmMinWork: WASM_MIN_WORK, matmulThreadsMinWork: THREADS_MIN_WORK } = KERNEL_CONFIG;

type Kernel = typeof matmul;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** mulberry32: deterministic fill so shrinking works on the seed, not on thousands of floats */
function fill(arr: FloatArray, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    arr[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
}

interface Case {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  aOff: number;
  bOff: number;
  outOff: number;
  accumulate: boolean;
  seed: number;
}

/**
 * Runs `kernel` and the reference on the same inputs. Checks every output element to
 * |got - want| <= rtol * (|A| |B| + |C0|)[i,j] (the magnitude of the terms summed, so the
 * bound is relative and still meaningful under cancellation) and that nothing outside the
 * output window was written.
 */
function check(kernel: Kernel, Arr: Ctor, c: Case, rtol: number): void {
  const { m, k, n, transA, transB, aOff, bOff, outOff, accumulate, seed } = c;
  const a = new Arr(aOff + m * k + 3);
  const b = new Arr(bOff + k * n + 3);
  const pad = 5;
  const out = new Arr(outOff + m * n + pad);
  fill(a, seed);
  fill(b, seed + 1);
  fill(out, seed + 2);
  const want = out.slice();
  kernel(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, accumulate);
  matmulReference(a, aOff, b, bOff, want, outOff, m, k, n, transA, transB, accumulate);
  const absA = a.map(Math.abs);
  const absB = b.map(Math.abs);
  const mag = new Float64Array(outOff + m * n);
  matmulReference(absA, aOff, absB, bOff, mag, outOff, m, k, n, transA, transB, false);
  for (let i = 0; i < out.length; i++) {
    const inside = i >= outOff && i < outOff + m * n;
    if (!inside) {
      if (!Object.is(out[i], want[i])) throw new Error(`wrote outside the output window at ${i}`);
      continue;
    }
    const scale = mag[i]! + (accumulate ? Math.abs(want[i]!) : 0) + 1e-30;
    const err = Math.abs(out[i]! - want[i]!);
    if (!(err <= rtol * scale)) {
      throw new Error(
        `mismatch at ${i - outOff} (row ${Math.floor((i - outOff) / n)}): got ${out[i]} want ${want[i]} ` +
          `err ${err} > ${rtol} * ${scale}`,
      );
    }
  }
}

const caseArb = (maxDim: number) =>
  fc.record({
    m: fc.integer({ min: 1, max: maxDim }),
    k: fc.integer({ min: 1, max: maxDim }),
    n: fc.integer({ min: 1, max: maxDim }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    aOff: fc.integer({ min: 0, max: 7 }),
    bOff: fc.integer({ min: 0, max: 7 }),
    outOff: fc.integer({ min: 0, max: 7 }),
    accumulate: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });

const dtypes: [string, Ctor, number][] = [
  ['f32', Float32Array, 1e-5],
  ['f64', Float64Array, 1e-12],
];

/**
 * matmulVia behind matmul's signature: A written by a callback, B given as an array, the result read
 * (and added to out for accumulate) from the kernel's buffer row by row.
 */
const viaKernel: Kernel = (a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, accumulate = false) => {
  const fillA = (buf: FloatArray, at: number): void => buf.set(a.subarray(aOff, aOff + m * k), at);
  matmulVia(out instanceof Float32Array ? 'f32' : 'f64', m, k, n, transA, transB, fillA, { data: b, off: bOff }, (c, at, ld) => {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[outOff + i * n + j] = (accumulate ? out[outOff + i * n + j]! : 0) + c[at + i * ld + j]!;
  });
};

const kernels: [string, Kernel][] = [
  ['matmul (dispatch)', matmul],
  ['matmulVia (operand callbacks)', viaKernel],
  ['matmulWasm (forced)', matmulWasm],
  ['matmulTiled (JS)', matmulTiled],
];

describe('matmul kernels vs matmulReference', () => {
  it('has the WebAssembly SIMD path in Node 20', () => {
    expect(matmulUsesWasm()).toBe(true);
  });

  for (const [kname, kernel] of kernels) {
    for (const [dname, Arr, rtol] of dtypes) {
      it(`${kname} ${dname}: random shapes 1..70, trans combos, offsets, accumulate`, () => {
        fc.assert(
          fc.property(caseArb(70), (c) => check(kernel, Arr, c, rtol)),
          { numRuns: 150 },
        );
      });

      it(`${kname} ${dname}: degenerate shapes (1 x k x 1, m x 1 x n, vectors)`, () => {
        fc.assert(
          fc.property(
            caseArb(70),
            fc.constantFrom('m', 'k', 'n', 'mn', 'mk', 'kn'),
            (c, ones) => {
              const d = { ...c };
              if (ones.includes('m')) d.m = 1;
              if (ones.includes('k')) d.k = 1;
              if (ones.includes('n')) d.n = 1;
              check(kernel, Arr, d, rtol);
            },
          ),
          { numRuns: 60 },
        );
      });

      for (const [m, k, n] of [
        [130, 257, 65],
        [65, 130, 257],
        [257, 65, 130],
        [33, 600, 9],
      ] as const) {
        it(`${kname} ${dname}: ${m}x${k}x${n}, all four trans combos`, () => {
          for (const transA of [false, true])
            for (const transB of [false, true])
              for (const accumulate of [false, true])
                check(kernel, Arr, { m, k, n, transA, transB, aOff: 3, bOff: 1, outOff: 2, accumulate, seed: 7 }, rtol);
        });
      }
    }
  }

  it('crosses the k block (k > 512) and the m/n blocks (f32 and f64)', () => {
    for (const [, Arr, rtol] of dtypes) {
      check(matmulWasm, Arr, { m: 140, k: 1100, n: 37, transA: true, transB: false, aOff: 0, bOff: 0, outOff: 0, accumulate: true, seed: 3 }, rtol);
      check(matmulWasm, Arr, { m: 9, k: 70, n: 4200, transA: false, transB: true, aOff: 1, bOff: 2, outOff: 3, accumulate: false, seed: 4 }, rtol);
    }
  });

  it('k = 0 gives zeros, or leaves out unchanged with accumulate', () => {
    for (const kernel of [matmul, matmulWasm, viaKernel]) {
      const out = new Float32Array([1, 2, 3, 4, 5, 6, 7]);
      kernel(new Float32Array(0), 0, new Float32Array(0), 0, out, 1, 2, 0, 3, false, false, true);
      expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      kernel(new Float32Array(0), 0, new Float32Array(0), 0, out, 1, 2, 0, 3, false, false, false);
      expect(Array.from(out)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    }
  });

  it('m = 0 or n = 0 writes nothing', () => {
    const out = new Float64Array([9, 9]);
    matmul(new Float64Array(4), 0, new Float64Array(4), 0, out, 0, 0, 4, 1, false, false);
    matmul(new Float64Array(4), 0, new Float64Array(4), 0, out, 0, 1, 4, 0, false, false);
    expect(Array.from(out)).toEqual([9, 9]);
  });

  it('stays correct when the wasm memory grows and shrinks between calls', () => {
    for (const [m, k, n] of [
      [8, 8, 8],
      [300, 200, 310],
      [17, 5, 19],
      [600, 64, 600],
      [5, 300, 3],
    ] as const) {
      check(matmulWasm, Float32Array, { m, k, n, transA: false, transB: true, aOff: 0, bOff: 0, outOff: 0, accumulate: false, seed: m }, 1e-5);
      check(matmulWasm, Float64Array, { m, k, n, transA: true, transB: false, aOff: 0, bOff: 0, outOff: 0, accumulate: true, seed: n }, 1e-12);
    }
  });

  it('dispatch threshold is positive and the small path equals the tiled kernel exactly', () => {
    expect(WASM_MIN_WORK).toBeGreaterThan(0);
    const a = new Float32Array(3 * 4);
    const b = new Float32Array(4 * 5);
    fill(a, 1);
    fill(b, 2);
    const o1 = new Float32Array(15);
    const o2 = new Float32Array(15);
    matmul(a, 0, b, 0, o1, 0, 3, 4, 5, false, false);
    matmulTiled(a, 0, b, 0, o2, 0, 3, 4, 5, false, false);
    expect(Array.from(o1)).toEqual(Array.from(o2));
  });

  describe('with helper threads (rows of C split across worker_threads)', () => {
    const threads = matmulThreads(10_000);

    it('starts a helper thread when the machine has more than one CPU', async () => {
      const os = await import('node:os');
      if (os.availableParallelism() > 1 && process.env.MEMOGRAD_MATMUL_THREADS !== '1') expect(threads).toBeGreaterThan(1);
      else expect(threads).toBe(1);
    });

    // small row blocks so that even the small random shapes are cut into several blocks
    const withSmallBlocks = (fn: () => void) => {
      const c32 = matmulConfig('f32')!;
      const c64 = matmulConfig('f64')!;
      const saved = [c32.mc, c64.mc];
      c32.mc = c32.mr * 2;
      c64.mc = c64.mr;
      setMatmulThreadsMinWork(0);
      try {
        fn();
      } finally {
        setMatmulThreadsMinWork(THREADS_MIN_WORK);
        c32.mc = saved[0]!;
        c64.mc = saved[1]!;
      }
    };

    it('matches the reference on random shapes with the split forced at every size', () => {
      withSmallBlocks(() => {
        for (const [, Arr, rtol] of dtypes) {
          fc.assert(
            fc.property(caseArb(70), (c) => check(matmulWasm, Arr, c, rtol)),
            { numRuns: 100 },
          );
          for (const transA of [false, true])
            for (const transB of [false, true])
              check(matmulWasm, Arr, { m: 257, k: 600, n: 130, transA, transB, aOff: 1, bOff: 2, outOff: 3, accumulate: transA, seed: 11 }, rtol);
        }
      });
    });

    it.skipIf(threads < 2)('cuts a product of few rows (at most one row block: a convolution\'s W · cols) among the threads, with the unsplit bits', () => {
      for (const [, Arr] of dtypes) {
        const mc = matmulConfig(Arr === Float32Array ? 'f32' : 'f64')!.mc;
        fc.assert(
          fc.property(fc.integer({ min: 2, max: mc }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 100, max: 400 }), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 1000 }),
            (m, k, n, transA, transB, seed) => {
              const a = new Arr(m * k), b = new Arr(k * n);
              fill(a, seed);
              fill(b, seed + 1);
              const split = new Arr(m * n), whole = new Arr(m * n), want = new Arr(m * n);
              setMatmulThreadsMinWork(0);
              try {
                matmulWasm(a, 0, b, 0, split, 0, m, k, n, transA, transB);
              } finally {
                setMatmulThreadsMinWork(Infinity);
              }
              try {
                matmulWasm(a, 0, b, 0, whole, 0, m, k, n, transA, transB);
              } finally {
                setMatmulThreadsMinWork(THREADS_MIN_WORK);
              }
              // each element's sum runs in the same k order whichever thread computes its row
              expect(Array.from(split)).toEqual(Array.from(whole));
              matmulReference(a, 0, b, 0, want, 0, m, k, n, transA, transB, false);
              let worst = 0;
              for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(split[i]! - want[i]!));
              expect(worst).toBeLessThanOrEqual(1e-4 * k);
            }),
          { numRuns: 40 },
        );
      }
    });

    it('many consecutive threaded calls stay in sync (no lost or stale jobs)', () => {
      withSmallBlocks(() => {
        for (let i = 0; i < 200; i++) {
          const m = 8 + (i % 13), k = 5 + (i % 7), n = 9 + (i % 11);
          check(matmulWasm, i % 2 ? Float32Array : Float64Array, { m, k, n, transA: i % 3 === 0, transB: i % 5 === 0, aOff: 0, bOff: 0, outOff: 0, accumulate: i % 4 === 0, seed: i }, i % 2 ? 1e-5 : 1e-12);
        }
      });
    });
  });

  it('non-finite inputs propagate like the reference (NaN / Infinity)', () => {
    const m = 20, k = 30, n = 24;
    const a = new Float32Array(m * k).fill(1);
    const b = new Float32Array(k * n).fill(1);
    a[5] = NaN; // row 0
    b[3 * n + 7] = Infinity; // column 7
    const out = new Float32Array(m * n);
    const want = new Float32Array(m * n);
    matmulWasm(a, 0, b, 0, out, 0, m, k, n, false, false);
    matmulReference(a, 0, b, 0, want, 0, m, k, n, false, false);
    expect(Array.from(out)).toEqual(Array.from(want));
  });
});

describe("an MLP step's products: the stored first k block and short rows copied by a loop", () => {
  // The 784-128-10 step multiplies [B, 784] by [784, 128] and [B, 128] by [128, 10] (and the transposed
  // variants of the backward): k on both sides of the k block (KC = 512), rows of C shorter than
  // matmulCopyLoopMax and padded (n not a multiple of NR), with accumulate reading C in by the same loop.
  const loopMax = KERNEL_CONFIG.matmulCopyLoopMax;
  const arb = fc.record({
    m: fc.integer({ min: 1, max: 140 }),
    k: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 500, max: 530 })),
    n: fc.oneof(fc.integer({ min: 1, max: loopMax + 4 }), fc.integer({ min: 120, max: 136 })),
    transA: fc.boolean(),
    transB: fc.boolean(),
    aOff: fc.integer({ min: 0, max: 3 }),
    bOff: fc.integer({ min: 0, max: 3 }),
    outOff: fc.integer({ min: 0, max: 3 }),
    accumulate: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
  for (const [dname, Arr, rtol] of dtypes) {
    for (const [kname, kernel] of [['matmul', matmul], ['matmulWasm', matmulWasm]] as const) {
      propTest.prop([arb], { numRuns: 40 })(`${kname} ${dname} matches the reference`, (c) => {
        expect.hasAssertions();
        expect(() => check(kernel, Arr, c, rtol)).not.toThrow();
      });
    }
  }

  it('a sum of signed zeros is +0 as in the reference (the stored tile starts from +0)', () => {
    for (const Arr of [Float32Array, Float64Array]) {
      const m = 9, k = 20, n = 10;
      const a = new Arr(m * k).fill(-0);
      const b = new Arr(k * n).fill(1);
      const out = new Arr(m * n).fill(-1);
      const want = new Arr(m * n);
      matmulWasm(a, 0, b, 0, out, 0, m, k, n, false, false);
      matmulReference(a, 0, b, 0, want, 0, m, k, n, false, false);
      expect(Array.from(out, (v, i) => Object.is(v, want[i]))).toEqual(new Array(m * n).fill(true));
      expect(Object.is(out[0], 0)).toBe(true);
    }
  });
});

describe('the kernel configuration', () => {
  it('is one frozen record; tests change thresholds only through the hooks', () => {
    expect(Object.isFrozen(KERNEL_CONFIG)).toBe(true);
    expect(() => {
      (KERNEL_CONFIG as { wasmUnaryMin: number }).wasmUnaryMin = 0;
    }).toThrow(TypeError);
    expect(KERNEL_CONFIG.wasmUnaryMin).toBe(256);
  });
});
