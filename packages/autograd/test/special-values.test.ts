/**
 * NaN, ±Infinity, signed zeros, ties and kinks against PyTorch: fixtures/torch-special.json holds
 * PyTorch's outputs and gradients (float64) for every op of the registry that PyTorch has, on the
 * special values and every pair of them (fixtures/torch_special.py writes it). Each case runs here
 * - in the tensor lane (float64): NaN exactly where PyTorch gives NaN, the same infinities, finite
 *   values and gradients within 1e-12;
 * - elementwise ops also in the 0-d scalar lane (op.scalar and op.derivative, one element at a
 *   time), with the same expectations;
 * - in float32 with the wasm kernels forced and then with the JS loops: the two bit for bit equal.
 * The ops' scalar oracles (`test.reference`) are held to the same PyTorch values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ALL_OPS, Tensor } from '../src/index.ts';
import { setWasmBinaryMin, setWasmReduceMin, setWasmUnaryMin } from '../src/kernels/unary-wasm.ts';

type Enc = number | 'nan' | 'inf' | '-inf' | '-0';
interface Case {
  name: string;
  inputs: { shape: number[]; data: Enc[] }[];
  cotangent: number[];
  output: { shape: number[]; data: Enc[] };
  grads: (Enc[] | null)[];
}
const dec = (v: Enc): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-special.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };

type Fn = (...xs: Tensor[]) => Tensor;
/** memograd's op of the same meaning, and (for elementwise cases) the registry entry with its scalar lane and oracle. */
interface Spec {
  fn: Fn;
  /** registry op name and params, for the scalar lane and the oracle (elementwise ops only) */
  op?: string;
  params?: unknown;
}
const un = (op: string, params?: unknown): Spec => ({ fn: (x) => ALL_OPS.find((o) => o.name === op)!.call([x], params), op, params });
const bin = (op: string): Spec => ({ fn: (a, b) => ALL_OPS.find((o) => o.name === op)!.call([a, b], undefined), op });
const ops: Record<string, Spec> = {
  exp: un('exp'), log: un('log'), log1p: un('log1p'), expm1: un('expm1'), sqrt: un('sqrt'), abs: un('abs'), square: un('square'),
  reciprocal: un('reciprocal'), sin: un('sin'), cos: un('cos'), neg: un('neg'), sigmoid: un('sigmoid'), tanh: un('tanh'),
  relu: un('relu'), leakyRelu: un('leakyRelu', { negativeSlope: 0.2 }), elu: un('elu', { alpha: 1 }), elu07: un('elu', { alpha: 0.7 }),
  gelu: un('gelu'), silu: un('silu'), softplus: un('softplus', { beta: 1, threshold: 20 }),
  softplusBeta: un('softplus', { beta: 2, threshold: 1 }),
  clamp: un('clamp', { min: -0.5, max: 0.5 }), clampMin: un('clamp', { min: -1, max: Infinity }),
  clampMax: un('clamp', { min: -Infinity, max: 1 }), clampAtInf: un('clamp', { min: -Infinity, max: Infinity }),
  clampNanMin: { fn: (x) => M.clamp(x, NaN) }, clampNanMax: { fn: (x) => M.clamp(x, null, NaN) },
  clampCrossed: { fn: (x) => M.clamp(x, 1, -1) },
  pow2: un('powScalar', { exponent: 2 }), pow3: un('powScalar', { exponent: 3 }), powHalf: un('powScalar', { exponent: 0.5 }),
  powNeg1: un('powScalar', { exponent: -1 }), pow25: un('powScalar', { exponent: 2.5 }), pow0: un('powScalar', { exponent: 0 }),
  powNeg25: un('powScalar', { exponent: -2.5 }), pow15: un('powScalar', { exponent: 1.5 }),
  powInf: un('powScalar', { exponent: Infinity }), powNegInf: un('powScalar', { exponent: -Infinity }),
  powNan: un('powScalar', { exponent: NaN }), clone: un('clone'), sign: un('sign'),
  add: bin('add'), sub: bin('sub'), mul: bin('mul'), div: bin('div'), pow: bin('pow'), maximum: bin('maximum'), minimum: bin('minimum'),
  where: { fn: (a, b) => M.where(M.tensor(Array.from({ length: a.size }, (_, i) => (i % 3 !== 0 ? 1 : 0)), { dtype: a.dtype }), a, b) },
  eq: bin('eq'), ne: bin('ne'), lt: bin('lt'), le: bin('le'), gt: bin('gt'), ge: bin('ge'),
  sumRows: { fn: (x) => x.sum({ axis: 1 }) }, sumAll: { fn: (x) => x.sum() }, meanRows: { fn: (x) => x.mean({ axis: 1 }) },
  prodRows: { fn: (x) => x.prod({ axis: 1 }) }, maxRows: { fn: (x) => x.max({ axis: 1 }) }, minRows: { fn: (x) => x.min({ axis: 1 }) },
  maxAll: { fn: (x) => x.max() }, logSumExpRows: { fn: (x) => x.logSumExp({ axis: 1 }) },
  softmaxRows: { fn: (x) => x.softmax(1) }, logSoftmaxRows: { fn: (x) => x.logSoftmax(1) },
  norm2Rows: { fn: (x) => x.norm({ axis: 1 }) }, norm1Rows: { fn: (x) => x.norm({ p: 1, axis: 1 }) },
  norm3Rows: { fn: (x) => x.norm({ p: 3, axis: 1 }) }, normInfRows: { fn: (x) => x.norm({ p: Infinity, axis: 1 }) },
  varRows: { fn: (x) => x.var({ axis: 1 }) }, stdRows: { fn: (x) => x.std({ axis: 1 }) },
  sumCols: { fn: (x) => x.sum({ axis: 0 }) }, maxCols: { fn: (x) => x.max({ axis: 0 }) }, minCols: { fn: (x) => x.min({ axis: 0 }) },
  logSumExpCols: { fn: (x) => x.logSumExp({ axis: 0 }) }, softmaxCols: { fn: (x) => x.softmax(0) },
  logSoftmaxCols: { fn: (x) => x.logSoftmax(0) },
  argmaxRows: { fn: (x) => x.argmax({ axis: 1 }) }, argminRows: { fn: (x) => x.argmin({ axis: 1 }) },
  argmaxCols: { fn: (x) => x.argmax({ axis: 0 }) }, argminCols: { fn: (x) => x.argmin({ axis: 0 }) },
  argmaxAll: { fn: (x) => x.argmax() }, argminAll: { fn: (x) => x.argmin() },
};

/** Whether `a` is PyTorch's `e`: NaN for NaN, the same infinity, else within 1e-12 (relative above 1). */
function same(a: number, e: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
}

function mismatches(actual: ArrayLike<number>, expected: Enc[], c: Case, what: string): string[] {
  const bad: string[] = [];
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a0 = c.inputs[0]!.data;
  const a1 = c.inputs[1]?.data;
  for (let i = 0; i < expected.length; i++) {
    const e = dec(expected[i]!);
    if (!same(actual[i]!, e)) {
      const at = a1 !== undefined && a1.length === expected.length ? `(${dec(a0[i]!)}, ${dec(a1[i]!)})` : a0.length === expected.length ? `(${dec(a0[i]!)})` : `[${i}]`;
      bad.push(`${what}${at}: ${actual[i]} vs torch ${e}`);
    }
  }
  return bad;
}

const inputsOf = (c: Case, dtype: 'float32' | 'float64' = 'float64', requiresGrad = true): Tensor[] =>
  c.inputs.map((i) => M.tensor(Float64Array.from(i.data, dec), { shape: i.shape, requiresGrad, dtype }));

/**
 * Where memograd deliberately refuses what PyTorch 1.13 accepts. clamp with a NaN bound: PyTorch
 * ignores a lone NaN bound (clamp(x, min=nan) = x) yet gives NaN everywhere when the other bound is
 * set, with a zero gradient everywhere; crossed bounds give max everywhere. memograd throws an
 * ArgumentError for both instead of guessing (errors.test.ts pins the messages).
 */
const REFUSED = new Set(['clampNanMin', 'clampNanMax', 'clampCrossed']);

/**
 * Gradients that differ from PyTorch's on non-finite input, documented here: memograd gives NaN or an
 * infinity where PyTorch gives another value (never a finite value where PyTorch differs; the
 * forward values agree). Each is a composite or a formula PyTorch evaluates differently:
 * - prod: PyTorch divides result by input when the tensor has no zero anywhere, and otherwise
 *   takes exclusive products (so [nan, 1, 2] gets 2 g at the NaN only if some other row has a 0);
 *   memograd divides (NaN at ±Infinity and NaN entries, Infinity where the product overflows);
 * - norm(p=Infinity): PyTorch routes the gradient to NaN entries (times sgn(NaN) = 0); memograd's
 *   max(|x|) shares it among entries equal to the max (amax's rule), so a NaN row gives NaN;
 * - var with an infinite entry: PyTorch's var_backward gives ±Infinity (x - mean), memograd's
 *   composite (x - mean)^2 gives NaN.
 */
const GRAD_DIFFERS = new Set(['prodRows', 'normInfRows', 'varRows']);

describe(`NaN, infinities, zeros and ties as PyTorch ${fixture.torch}`, () => {
  it.each([...REFUSED])('%s is refused with an ArgumentError', (name) => {
    const c = fixture.cases.find((k) => k.name === name)!;
    expect(() => ops[name]!.fn(...inputsOf(c))).toThrow(M.ArgumentError);
  });

  it('maps every fixture case', () => {
    expect(fixture.cases.filter((c) => !(c.name in ops)).map((c) => c.name)).toEqual([]);
  });

  const accepted = fixture.cases.filter((c) => !REFUSED.has(c.name));

  it.each(accepted.map((c) => [c.name, c] as const))('%s (tensor lane)', (_n, c) => {
    const xs = inputsOf(c);
    const out = ops[c.name]!.fn(...xs);
    expect(out.shape).toEqual(c.output.shape);
    const bad = mismatches(out.data, c.output.data, c, 'out');
    if (out.requiresGrad) {
      const gs = M.grad(out, xs, { gradOutputs: [M.tensor(Float64Array.from(c.cotangent), { shape: c.output.shape })], allowUnused: true });
      gs.forEach((g, k) => {
        const expected = c.grads[k];
        if (expected === null || expected === undefined) return;
        const wrong = mismatches(g.data, expected, c, `grad${k}`);
        // see GRAD_DIFFERS: there only non-finite memograd values may differ
        bad.push(...(GRAD_DIFFERS.has(c.name) ? wrong.filter((w) => !/: (NaN|-?Infinity) vs/.test(w)) : wrong));
      });
    }
    expect(bad.join('\n')).toBe('');
  });

  const elementwise = accepted.filter((c) => ops[c.name]?.op !== undefined);

  it.each(elementwise.map((c) => [c.name, c] as const))('%s (0-d scalar lane, one element at a time)', (_n, c) => {
    const bad: string[] = [];
    const spec = ops[c.name]!;
    const n = c.output.data.length;
    for (let i = 0; i < n; i++) {
      const xs = c.inputs.map((inp) => {
        const t = new Tensor(Float64Array.of(dec(inp.data[i]!)), [], 'float64');
        t.requiresGrad = true;
        return t;
      });
      const out = spec.fn(...xs);
      const sub: Case = { ...c, inputs: c.inputs.map((inp) => ({ shape: [], data: [inp.data[i]!] })) };
      bad.push(...mismatches([out.item()], [c.output.data[i]!], sub, 'out'));
      if (!out.requiresGrad) continue;
      const gs = M.grad(out, xs, { gradOutputs: [M.scalar(c.cotangent[i]!, { dtype: 'float64', requiresGrad: false })], allowUnused: true });
      gs.forEach((g, k) => {
        const expected = c.grads[k];
        if (expected) bad.push(...mismatches([g.item()], [expected[i]!], sub, `grad${k}`));
      });
    }
    expect(bad.join('\n')).toBe('');
  });

  it.each(elementwise.map((c) => [c.name, c] as const))('%s (the scalar oracle test.reference, where the op has one)', (_n, c) => {
    const spec = ops[c.name]!;
    const entry = ALL_OPS.find((o) => o.name === spec.op)!;
    const reference = entry.test?.reference;
    if (reference === undefined) return;
    const bad: string[] = [];
    for (let i = 0; i < c.output.data.length; i++) {
      const args = c.inputs.map((inp) => dec(inp.data[i]!));
      const v = args.length === 1 ? reference(args[0]!, spec.params as never) : reference(...args);
      const sub: Case = { ...c, inputs: c.inputs.map((inp) => ({ shape: [], data: [inp.data[i]!] })) };
      bad.push(...mismatches([v], [c.output.data[i]!], sub, 'reference'));
    }
    expect(bad.join('\n')).toBe('');
  });

  describe('float32: the wasm kernels and the JS loops agree bit for bit, and NaN where float64 has NaN', () => {
    const run = (c: Case, wasm: boolean): Float32Array => {
      const prev = [setWasmUnaryMin(wasm ? 0 : Infinity), setWasmBinaryMin(wasm ? 0 : Infinity), setWasmReduceMin(wasm ? 0 : Infinity)] as const;
      try {
        return Float32Array.from(M.noGrad(() => ops[c.name]!.fn(...inputsOf(c, 'float32', false))).data);
      } finally {
        setWasmUnaryMin(prev[0]);
        setWasmBinaryMin(prev[1]);
        setWasmReduceMin(...prev[2]);
      }
    };
    // float32 overflows 1e308 and 1000-scale exponentials differently from float64: NaN-ness is compared on the rest
    const representable = (c: Case) => c.inputs.every((i) => i.data.every((v) => typeof v !== 'number' || Math.abs(v) < 1e30));
    // documented differences (kernels/unary-wasm.ts): the float32 softmax rows take e^x from a
    // different polynomial in wasm (within 2 ulp), and max/min of +0 and -0 may give either zero
    const approximate = (c: Case) => /^(log)?[sS]oftmax/.test(c.name);
    const agree = (a: number, b: number, c: Case) =>
      Object.is(a, b) || a === b || (approximate(c) && Math.abs(a - b) <= 4e-7 * Math.abs(b));
    it.each(accepted.map((c) => [c.name, c] as const))('%s', (_n, c) => {
      const viaWasm = run(c, true);
      const viaJs = run(c, false);
      const bad: string[] = [];
      for (let i = 0; i < viaJs.length; i++) if (!agree(viaWasm[i]!, viaJs[i]!, c)) bad.push(`[${i}]: wasm ${viaWasm[i]} vs js ${viaJs[i]}`);
      if (representable(c)) {
        c.output.data.forEach((e, i) => {
          if (Number.isNaN(dec(e)) !== Number.isNaN(viaJs[i]!)) bad.push(`[${i}]: float32 ${viaJs[i]} vs torch float64 ${dec(e)}`);
        });
      }
      expect(bad.join('\n')).toBe('');
    });
  });
});
