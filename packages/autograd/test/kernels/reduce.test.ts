import { describe, it } from 'vitest';
import fc from 'fast-check';
import type { FloatArray } from '../../src/dtype.ts';
import { reduceFast, reduceInto, type ReduceCode } from '../../src/kernels/reduce.ts';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 3.4e38, -3.4e38, 1e-45, 1e300];

const COMBINE: Record<ReduceCode, [number, (a: number, v: number) => number]> = {
  sum: [0, (a, v) => a + v],
  max: [-Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a)],
  min: [Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a)],
  prod: [1, (a, v) => a * v],
  sumSquares: [0, (a, v) => a + v * v],
};

const arb = fc.record({
  shape: fc.array(fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 1, max: 9 })), { minLength: 0, maxLength: 4 }),
  flags: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  values: fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 64 }),
  f32: fc.boolean(),
});

describe('reduceFast is bit-for-bit reduceInto with the same combine', () => {
  for (const code of Object.keys(COMBINE) as ReduceCode[]) {
    it(code, () => {
      fc.assert(
        fc.property(arb, ({ shape, flags, values, f32 }) => {
          const ctor: Ctor = f32 ? Float32Array : Float64Array;
          const n = shape.reduce((a, b) => a * b, 1);
          const x: FloatArray = new ctor(n);
          for (let i = 0; i < n; i++) x[i] = values[i % values.length]! * (1 + (i % 7) / 8);
          const reduced = shape.map((_, d) => flags[d]!);
          const outSize = shape.reduce((a, d, i) => (reduced[i] ? a : a * d), 1);
          const [init, combine] = COMBINE[code];
          const got = new ctor(outSize).fill(init);
          const want = new ctor(outSize).fill(init);
          reduceFast(code, x, shape, reduced, got);
          reduceInto(x, shape, reduced, want, combine);
          for (let i = 0; i < outSize; i++) if (!Object.is(got[i], want[i])) throw new Error(`${i}: ${got[i]} vs ${want[i]}`);
        }),
        { numRuns: 300 },
      );
    });
  }
});
