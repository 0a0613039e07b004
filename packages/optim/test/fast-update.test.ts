// The fast update path (wasm SIMD, src/kernels/update.ts) against the reference loops
// (src/kernels/reference.ts): the same bits (Object.is per element: NaN equals NaN, -0 is not 0),
// for random sizes across the chunk boundary, every option, float32 and float64, special values.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { test as propTest } from '@fast-check/vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer, type ParamLike } from '../src/index.ts';
import { adagradReference, adamReference, rmspropReference, sgdReference, type AdamStep, type SGDStep } from '../src/kernels/reference.ts';
import { adagradUpdate, adamUpdate, optimWasmAvailable, rmspropUpdate, setOptimWasmMin, sgdUpdate } from '../src/kernels/update.ts';
import { OPTIM_CHUNK } from '../src/kernels/optim-wasm.generated.ts';

type FloatArray = Float32Array | Float64Array;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 1e-30, -1e-30, 1e-45, 5e-324, 1e30, -1e30, 3.4e38, 1e300];

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

/** Random values: mostly ordinary, some specials (NaN, ±Infinity, ±0, subnormals, huge). */
function fill(ctor: Ctor, n: number, r: () => number, nonNegative = false): FloatArray {
  const out = new ctor(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    const v = u < 0.05 ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : u < 0.8 ? (r() * 2 - 1) * 2 : (r() * 2 - 1) * Math.exp((r() * 2 - 1) * 30);
    out[i] = nonNegative ? Math.abs(v) : v;
  }
  return out;
}

/** The first element where a and b differ in bits (Object.is), or -1. */
function firstDifference(a: FloatArray, b: FloatArray): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameBits(got: readonly FloatArray[], want: readonly FloatArray[]): void {
  got.forEach((a, k) => {
    const i = firstDifference(a, want[k]!);
    expect(i === -1 ? 'same' : `array ${k}, element ${i}: ${a[i]} vs ${want[k]![i]}`).toBe('same');
  });
}

const sizes = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 5, 63, 64, 65, 127, OPTIM_CHUNK - 1, OPTIM_CHUNK, OPTIM_CHUNK + 1, 2 * OPTIM_CHUNK + 3),
  fc.integer({ min: 0, max: 300 }),
);
const dtypes = fc.constantFrom<Ctor>(Float32Array, Float64Array);
const maybeZero = (arb: fc.Arbitrary<number>) => fc.oneof(fc.constant(0), arb);

afterEach(() => {
  setOptimWasmMin(64);
});

describe('fast optimizer updates', () => {
  it('run in WebAssembly here (else the comparisons below compare the reference with itself)', () => {
    expect(optimWasmAvailable()).toBe(true);
  });

  propTest.prop(
    {
      ctor: dtypes,
      n: sizes,
      seed: fc.integer(),
      steps: fc.integer({ min: 1, max: 3 }),
      lr: fc.double({ min: 1e-5, max: 1, noNaN: true }),
      beta1: fc.constantFrom(0, 0.3, 0.5, 0.6, 0.9, 0.99),
      beta2: fc.constantFrom(0, 0.5, 0.9, 0.999),
      eps: fc.constantFrom(0, 1e-8, 1e-3),
      weightDecay: maybeZero(fc.double({ min: 1e-4, max: 0.5, noNaN: true })),
      maximize: fc.boolean(),
      decoupled: fc.boolean(),
      amsgrad: fc.boolean(),
    },
    { numRuns: 150 },
  )('Adam / AdamW: the wasm kernel gives the reference loop\'s bits', ({ ctor, n, seed, steps, amsgrad, ...o }) => {
    expect.hasAssertions();
    const r = rng(seed);
    const x = fill(ctor, n, r);
    const arrays = [x, fill(ctor, n, r), fill(ctor, n, r), fill(ctor, n, r, true), amsgrad ? fill(ctor, n, r, true) : undefined];
    const ref = arrays.map((a) => a?.slice());
    for (let t = 1; t <= steps; t++) {
      const h: AdamStep = { ...o, step: t };
      setOptimWasmMin(0);
      adamUpdate(arrays[0]!, arrays[1]!, arrays[2]!, arrays[3]!, arrays[4], h);
      adamReference(ref[0]!, ref[1]!, ref[2]!, ref[3]!, ref[4], h);
    }
    expectSameBits(arrays.filter((a) => a !== undefined), ref.filter((a) => a !== undefined));
  });

  propTest.prop(
    {
      ctor: dtypes,
      n: sizes,
      seed: fc.integer(),
      steps: fc.integer({ min: 1, max: 3 }),
      lr: fc.double({ min: 1e-5, max: 1, noNaN: true }),
      momentum: maybeZero(fc.constantFrom(0.5, 0.9, 1.5)),
      dampening: fc.constantFrom(0, 0.1, -0.5),
      weightDecay: maybeZero(fc.double({ min: 1e-4, max: 0.5, noNaN: true })),
      nesterov: fc.boolean(),
      maximize: fc.boolean(),
    },
    { numRuns: 150 },
  )('SGD (momentum, dampening, Nesterov): the wasm kernel gives the reference loop\'s bits', ({ ctor, n, seed, steps, ...h }) => {
    expect.hasAssertions();
    const r = rng(seed);
    const x = fill(ctor, n, r);
    const g = fill(ctor, n, r);
    const buf = h.momentum === 0 ? undefined : fill(ctor, n, r); // overwritten on the first step
    const ref = [x.slice(), g.slice(), buf?.slice()];
    for (let t = 1; t <= steps; t++) {
      const step: SGDStep = h;
      setOptimWasmMin(0);
      sgdUpdate(x, g, buf, t === 1, step);
      sgdReference(ref[0]!, ref[1]!, ref[2], t === 1, step);
    }
    expectSameBits(buf === undefined ? [x, g] : [x, g, buf], ref.filter((a) => a !== undefined));
  });

  propTest.prop(
    {
      ctor: dtypes,
      n: sizes,
      seed: fc.integer(),
      steps: fc.integer({ min: 1, max: 3 }),
      lr: fc.double({ min: 1e-5, max: 1, noNaN: true }),
      alpha: fc.constantFrom(0, 0.3, 0.5, 0.9, 0.99, 1),
      eps: fc.constantFrom(0, 1e-8, 1e-3),
      weightDecay: maybeZero(fc.double({ min: 1e-4, max: 0.5, noNaN: true })),
      momentum: maybeZero(fc.constantFrom(0.5, 0.9)),
      centered: fc.boolean(),
      maximize: fc.boolean(),
    },
    { numRuns: 100 },
  )('RMSprop (centered, momentum): the wasm kernel gives the reference loop\'s bits', ({ ctor, n, seed, steps, centered, ...h }) => {
    expect.hasAssertions();
    const r = rng(seed);
    const arrays = [fill(ctor, n, r), fill(ctor, n, r), fill(ctor, n, r, true), h.momentum > 0 ? fill(ctor, n, r) : undefined, centered ? fill(ctor, n, r) : undefined];
    const ref = arrays.map((a) => a?.slice());
    for (let t = 1; t <= steps; t++) {
      setOptimWasmMin(0);
      rmspropUpdate(arrays[0]!, arrays[1]!, arrays[2]!, arrays[3], arrays[4], h);
      rmspropReference(ref[0]!, ref[1]!, ref[2]!, ref[3], ref[4], h);
    }
    expectSameBits(arrays.filter((a) => a !== undefined), ref.filter((a) => a !== undefined));
  });

  propTest.prop(
    {
      ctor: dtypes,
      n: sizes,
      seed: fc.integer(),
      steps: fc.integer({ min: 1, max: 3 }),
      lr: fc.double({ min: 1e-5, max: 1, noNaN: true }),
      lrDecay: fc.constantFrom(0, 0.1),
      eps: fc.constantFrom(0, 1e-10, 1e-3),
      weightDecay: maybeZero(fc.double({ min: 1e-4, max: 0.5, noNaN: true })),
      maximize: fc.boolean(),
    },
    { numRuns: 60 },
  )('Adagrad: the wasm kernel gives the reference loop\'s bits', ({ ctor, n, seed, steps, ...o }) => {
    expect.hasAssertions();
    const r = rng(seed);
    const arrays = [fill(ctor, n, r), fill(ctor, n, r), fill(ctor, n, r, true)];
    const ref = arrays.map((a) => a.slice());
    for (let t = 1; t <= steps; t++) {
      setOptimWasmMin(0);
      adagradUpdate(arrays[0]!, arrays[1]!, arrays[2]!, { ...o, step: t });
      adagradReference(ref[0]!, ref[1]!, ref[2]!, { ...o, step: t });
    }
    expectSameBits(arrays, ref);
  });

  it('a gradient of another dtype than the parameter takes the reference loop (and still works)', () => {
    const x = new Float32Array(100).fill(1);
    const g = new Float64Array(100).fill(0.5);
    setOptimWasmMin(0);
    sgdUpdate(x, g, undefined, true, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(Array.from(new Set(x))).toEqual([Math.fround(0.95)]);
  });

  /** Params of the given sizes; the gradients change every step. */
  function trajectory(make: (ps: ParamLike[]) => Optimizer<any, any>, ctor: Ctor, sizes: number[], wasmMin: number, seed: number) {
    setOptimWasmMin(wasmMin);
    const r = rng(seed);
    const ps = sizes.map((n) => ({ data: fill(ctor, n, r), shape: [n], grad: null as { data: FloatArray } | null }));
    const opt = make(ps);
    for (let t = 0; t < 4; t++) {
      for (const p of ps) p.grad = t === 2 && p === ps[0] ? null : { data: fill(ctor, p.data.length, r) };
      opt.step();
    }
    return { params: ps.map((p) => p.data), state: opt.stateDict() };
  }

  propTest.prop(
    {
      ctor: dtypes,
      sizes: fc.array(sizes, { minLength: 1, maxLength: 3 }),
      seed: fc.integer(),
      which: fc.constantFrom('Adam', 'AdamW', 'Adam amsgrad', 'SGD', 'SGD momentum', 'SGD nesterov', 'RMSprop', 'Adagrad'),
    },
    { numRuns: 40 },
  )('the optimizers give the same parameters and state dicts with and without the fast path', ({ ctor, sizes, seed, which }) => {
    expect.hasAssertions();
    const make = (ps: ParamLike[]): Optimizer<any, any> => {
      switch (which) {
        case 'Adam': return new Adam(ps, { weightDecay: 0.01 });
        case 'AdamW': return new AdamW(ps, { maximize: true });
        case 'Adam amsgrad': return new Adam(ps, { amsgrad: true, betas: [0.3, 0.9] });
        case 'SGD': return new SGD(ps, { lr: 0.1, weightDecay: 0.01 });
        case 'SGD momentum': return new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1 });
        case 'RMSprop': return new RMSprop(ps, { momentum: 0.9, centered: true });
        case 'Adagrad': return new Adagrad(ps, { lrDecay: 0.01, initialAccumulatorValue: 0.1 });
        default: return new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true });
      }
    };
    const fast = trajectory(make, ctor, sizes, 0, seed);
    const ref = trajectory(make, ctor, sizes, Infinity, seed);
    expectSameBits(fast.params, ref.params);
    expect(fast.state).toEqual(ref.state);
  });
});
