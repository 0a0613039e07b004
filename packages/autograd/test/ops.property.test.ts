/**
 * The registry drives these tests: every op listed in ALL_OPS is checked, on random shapes and
 * values drawn from its own `test` description, for
 * - first-order gradients against central finite differences (float64, PyTorch's tolerances);
 * - second-order gradients (gradgradcheck) wherever the op declares they exist;
 * - the output's shape against the shape rule, and the gradients' shapes against the inputs';
 * - the forward values against the op's scalar oracle, when it has one;
 * - inputs that do not require grad receiving no gradient.
 * Adding an op to the registry adds all of this; an op without a `test` must be non-differentiable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_OPS, PRIMITIVES, assertGradcheck, assertGradgradcheck, grad, noGrad, scalar, Tensor } from '../src/index.ts';
import { broadcastValues, drawSample } from './support/sampling.ts';

const FIRST_ORDER_RUNS = Number(process.env.MEMOGRAD_GRAD_RUNS ?? 40);
const SECOND_ORDER_RUNS = Number(process.env.MEMOGRAD_GRADGRAD_RUNS ?? 12);
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const fcOptions = (numRuns: number) => ({ numRuns, seed: 20261123 });

const differentiable = ALL_OPS.filter((op) => op.differentiable);

describe('registry', () => {
  it('gives every differentiable op a test description', () => {
    const missing = differentiable.filter((op) => op.test === null).map((op) => op.name);
    expect(missing).toEqual([]);
  });
  it('has unique names', () => {
    const names = ALL_OPS.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
  });
  it('covers the ops users expect', () => {
    const names = new Set(ALL_OPS.map((op) => op.name));
    for (const expected of [
      'add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'abs', 'square', 'reciprocal',
      'sin', 'cos', 'maximum', 'minimum', 'clamp', 'where', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu',
      'silu', 'softplus', 'softmax', 'logSoftmax', 'sum', 'mean', 'max', 'min', 'prod', 'var', 'logSumExp', 'norm',
      'matmul', 'outer', 'reshape', 'transpose', 'permute', 'expand', 'squeeze', 'unsqueeze', 'slice', 'cat', 'stack',
      'gather', 'indexSelect',
    ]) expect(names.has(expected), expected).toBe(true);
  });
});

describe.each(differentiable.map((op) => [op.name, op] as const))('%s', (_name, op) => {
  const test = op.test!;

  it('matches central finite differences (first order)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { inputs, params } = drawSample(test, s);
        const opts: { atol?: number; rtol?: number } = {};
        if (test.atol !== undefined) opts.atol = test.atol;
        if (test.rtol !== undefined) opts.rtol = test.rtol;
        assertGradcheck((...xs) => op.call(xs, params), inputs, { ...opts, name: op.name });
      }),
      fcOptions(FIRST_ORDER_RUNS),
    );
  });

  if (test.secondOrder !== false) {
    it('matches central finite differences (second order)', () => {
      fc.assert(
        fc.property(seed, (s) => {
          const { inputs, params } = drawSample(test, s);
          assertGradgradcheck((...xs) => op.call(xs, params), inputs, { name: op.name, atol: test.atol ?? 1e-4 });
        }),
        fcOptions(SECOND_ORDER_RUNS),
      );
    });
  }

  it('produces the output its shape rule promises, and gradients of the inputs\' shapes', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { inputs, params } = drawSample(test, s);
        const out = op.call(inputs, params);
        expect(out.data.length).toBe(out.shape.reduce((a, b) => a * b, 1));
        expect(out.dtype).toBe('float64');
        const gs = grad(out, inputs, { gradOutputs: [new Tensor(new Float64Array(out.size).fill(1), out.shape, 'float64')], allowUnused: true });
        gs.forEach((g, i) => expect(g.shape).toEqual(inputs[i]!.shape));
      }),
      fcOptions(FIRST_ORDER_RUNS),
    );
  });

  if (test.reference) {
    it('agrees with its scalar Math oracle', () => {
      const reference = test.reference!;
      fc.assert(
        fc.property(seed, (s) => {
          const { inputs, params } = drawSample(test, s);
          const out = noGrad(() => op.call(inputs, params));
          const cols = inputs.map((t) => broadcastValues(t.data, t.shape, out.shape));
          for (let i = 0; i < out.size; i++) {
            const args = cols.map((c) => c[i]!);
            const expected = inputs.length === 1 ? reference(args[0]!, params as never) : reference(...args);
            expect(out.data[i]).toBeCloseTo(expected, 12);
          }
        }),
        fcOptions(FIRST_ORDER_RUNS),
      );
    });
  }

  if (op.name !== 'where' && test.shapes !== 'unary' || (test.sample !== undefined)) {
    it('gives no gradient to inputs that do not require it', () => {
      const { inputs, params } = drawSample(test, 7);
      if (inputs.length < 2) return;
      inputs[0]!.requiresGrad = false;
      const out = op.call(inputs, params);
      if (!out.requiresGrad) return;
      out.backward(new Tensor(new Float64Array(out.size).fill(1), out.shape, 'float64'));
      expect(inputs[0]!.grad).toBeNull();
      expect(inputs[1]!.grad).not.toBeNull();
    });
  }
});

describe('number rules of the scalar lane (scalarBackward) agree with the tensor rules bit for bit', () => {
  const withVjp = PRIMITIVES.filter((op) => op.scalarBackward !== undefined);

  it('every differentiable op with a scalar function has a number rule', () => {
    for (const op of PRIMITIVES) {
      if (op.scalar === undefined || op.differentiable === false) continue;
      expect(op.scalarBackward, op.name).toBeDefined();
    }
    expect(withVjp.length).toBeGreaterThanOrEqual(28);
  });

  it.each(withVjp.map((op) => [op.name, op] as const))('%s', (_name, op) => {
    const arity = (op.inputs as readonly string[]).length;
    const test = { ...op.test!, sample: undefined, shapes: () => Array.from({ length: arity }, () => [] as number[]) };
    const entry = ALL_OPS.find((e) => e.name === op.name)!;
    fc.assert(
      fc.property(seed, fc.double({ min: -3, max: 3, noNaN: true }), (s, g) => {
        const { inputs, params } = drawSample(test, s);
        const out = entry.call(inputs, params);
        // createGraph keeps the pass on tensors (the tensor rules); without it, adjoints are numbers
        const viaTensors = grad(out, inputs, { gradOutputs: [scalar(g, { requiresGrad: false })], createGraph: true, allowUnused: true });
        const viaNumbers = grad(out, inputs, { gradOutputs: [scalar(g, { requiresGrad: false })], allowUnused: true });
        viaNumbers.forEach((t, i) => expect(Object.is(t.item(), viaTensors[i]!.item()), `${op.name} input ${i}: ${t.item()} vs ${viaTensors[i]!.item()}`).toBe(true));
      }),
      fcOptions(FIRST_ORDER_RUNS),
    );
  });
});

describe('float32 forward agrees with float64', () => {
  it.each(differentiable.filter((op) => op.name !== 'cast').map((op) => [op.name, op] as const))('%s', (_name, op) => {
    const { inputs, params } = drawSample(op.test!, 3);
    const out64 = noGrad(() => op.call(inputs, params));
    const out32 = noGrad(() => op.call(inputs.map((t) => t.to('float32')), params));
    expect(out32.dtype).toBe('float32');
    out64.data.forEach((v, i) => expect(out32.data[i]).toBeCloseTo(v, 4));
  });
});
