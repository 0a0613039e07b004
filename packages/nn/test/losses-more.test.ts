/**
 * The losses of losses-more.ts against PyTorch 1.13 (fixtures/torch-losses-more.json, written by
 * fixtures/torch_losses_more.py): values and the gradients of every differentiated input agree to
 * 1e-12; then their errors, second-order gradients and classes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, Tensor, assertGradcheck, assertGradgradcheck, grad, logSoftmax, tensor } from '@memograd/autograd';
import {
  CTCLoss, CosineEmbeddingLoss, GaussianNLLLoss, KLDivLoss, MarginRankingLoss, TripletMarginLoss, cosineEmbeddingLoss, ctcLoss, gaussianNllLoss,
  hingeEmbeddingLoss, klDiv, marginRankingLoss, multiMarginLoss, multilabelSoftMarginLoss, poissonNllLoss, softMarginLoss, tripletMarginLoss,
} from '../src/index.ts';
import type { Reduction } from '../src/index.ts';

type Enc = number | 'nan' | 'inf' | '-inf';
interface Case {
  name: string;
  inputs: { shape: number[]; data: Enc[] }[];
  cotangent: number[];
  output: { shape: number[]; data: Enc[] };
  grads: (Enc[] | null)[];
}
const dec = (v: Enc): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-losses-more.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };

type Fn = (...xs: Tensor[]) => Tensor;
const R: Reduction[] = ['mean', 'sum', 'none'];
const mmY = [0, 3, 4, 1];
const ctcTargets = [[1, 2, 2], [3, 1, 0], [4, 4, 4]];
const specs: Record<string, Fn> = {
  'cosineEmbedding 1d': (a, b, y) => cosineEmbeddingLoss(a!, b!, y!),
  'multiMargin 1d': (a) => multiMarginLoss(a!, 2, { reduction: 'sum' }),
  'tripletMargin p1 swap': (a, p, n) => tripletMarginLoss(a!, p!, n!, { margin: 2, p: 1, swap: true, reduction: 'none' }),
  'tripletMargin p3 eps': (a, p, n) => tripletMarginLoss(a!, p!, n!, { margin: 0.5, p: 3, eps: 1e-3, reduction: 'sum' }),
  'multilabelSoftMargin weight': (a, t, w) => multilabelSoftMarginLoss(a!, t!, { weight: w!, reduction: 'none' }),
  'poissonNll rate full': (a, t) => poissonNllLoss(a!, t!, { logInput: false, full: true, reduction: 'none' }),
  'poissonNll full target grad': (a, t) => poissonNllLoss(a!, t!, { full: true, reduction: 'sum' }),
  'gaussianNll homoscedastic': (a, t, v) => gaussianNllLoss(a!, t!, v!, { full: true, reduction: 'none' }),
  'gaussianNll last 1': (a, t, v) => gaussianNllLoss(a!, t!, v!, { reduction: 'sum' }),
  'gaussianNll clamped': (a, t, v) => gaussianNllLoss(a!, t!, v!, { eps: 0.5, reduction: 'sum' }),
  'ctc blank 2 concatenated': (z) => ctcLoss(logSoftmax(z!, 2), [1, 3, 0, 4, 4], [6, 4, 5], [2, 1, 2], { blank: 2, reduction: 'none' }),
  'ctc infeasible': (z) => ctcLoss(logSoftmax(z!, 2), [[1, 1, 1], [1, 2, 3]], [4, 2], [3, 3], { reduction: 'none' }),
  'ctc zero infinity': (z) => ctcLoss(logSoftmax(z!, 2), [[1, 1, 1], [1, 2, 3]], [4, 6], [3, 3], { zeroInfinity: true }),
  'ctc empty target': (z) => ctcLoss(logSoftmax(z!, 2), [[1, 2], [0, 0]], [4, 3], [2, 0], { reduction: 'none' }),
  'ctc unbatched': (z) => ctcLoss(logSoftmax(z!, 1), [2, 2, 1], [5], [3], { reduction: 'sum' }),
};
for (const r of [...R, 'batchmean' as const]) {
  specs[`klDiv ${r}`] = (x, t) => klDiv(x!, t!, { reduction: r });
  specs[`klDiv logTarget ${r}`] = (x, t) => klDiv(x!, t!, { reduction: r, logTarget: true });
}
for (const r of R) {
  specs[`cosineEmbedding ${r}`] = (a, b, y) => cosineEmbeddingLoss(a!, b!, y!, { margin: 0.1, reduction: r });
  specs[`marginRanking ${r}`] = (a, b, y) => marginRankingLoss(a!, b!, y!, { margin: 0.3, reduction: r });
  specs[`hingeEmbedding ${r}`] = (a, y) => hingeEmbeddingLoss(a!, y!, { margin: 1.5, reduction: r });
  specs[`multiMargin ${r}`] = (a) => multiMarginLoss(a!, mmY, { reduction: r });
  specs[`multiMargin p2 weight ${r}`] = (a, w) => multiMarginLoss(a!, mmY, { p: 2, margin: 0.7, weight: w!, reduction: r });
  specs[`tripletMargin ${r}`] = (a, p, n) => tripletMarginLoss(a!, p!, n!, { reduction: r });
  specs[`softMargin ${r}`] = (a, t) => softMarginLoss(a!, t!, { reduction: r });
  specs[`multilabelSoftMargin ${r}`] = (a, t) => multilabelSoftMarginLoss(a!, t!, { reduction: r });
  specs[`poissonNll ${r}`] = (a, t) => poissonNllLoss(a!, t!, { reduction: r });
  specs[`gaussianNll ${r}`] = (a, t, v) => gaussianNllLoss(a!, t!, v!, { reduction: r });
  specs[`ctc ${r}`] = (z) => ctcLoss(logSoftmax(z!, 2), ctcTargets, [6, 5, 6], [3, 2, 1], { reduction: r });
}

/**
 * An infinite CTC loss has no gradient: PyTorch's is NaN there (or garbage), memograd's is 0
 * (the sample is replaced by a constant). Only the values are compared for that case.
 */
const VALUES_ONLY = new Set(['ctc infeasible']);

function mismatches(actual: ArrayLike<number>, expected: readonly Enc[], what: string): string[] {
  if (actual.length !== expected.length) return [`${what}: ${actual.length} values, torch ${expected.length}`];
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const e = dec(expected[i]!);
    const a = actual[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
    if (!ok) bad.push(`${what}[${i}]: ${a} vs torch ${e}`);
  }
  return bad;
}

describe(`losses against PyTorch ${fixture.torch}`, () => {
  it('maps every fixture case, and every spec has a case', () => {
    expect(fixture.cases.map((c) => c.name).filter((n) => !(n in specs))).toEqual([]);
    const names = new Set(fixture.cases.map((c) => c.name));
    expect(Object.keys(specs).filter((n) => !names.has(n))).toEqual([]);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect.hasAssertions();
    const xs = c.inputs.map((inp, k) => tensor(Float64Array.from(inp.data, dec), { shape: inp.shape, dtype: 'float64', requiresGrad: c.grads[k] !== null }));
    const out = specs[name]!(...xs);
    expect(out.shape).toEqual(c.output.shape);
    const bad = mismatches(out.data, c.output.data, 'out');
    const wrt = xs.filter((_, k) => c.grads[k] !== null);
    if (!VALUES_ONLY.has(name) && wrt.length > 0) {
      const gs = grad(out, wrt, { gradOutputs: [tensor(Float64Array.from(c.cotangent), { shape: c.output.shape, dtype: 'float64' })], allowUnused: true });
      let j = 0;
      c.grads.forEach((g, k) => {
        if (g !== null) bad.push(...mismatches(gs[j++]!.data, g, `grad${k}`));
      });
    }
    expect(bad.join('\n')).toBe('');
  });
});

describe('second-order gradients (gradgradcheck, float64)', () => {
  const rnd = (shape: number[], lo = -1, hi = 1, seed = 1) => {
    let s = seed;
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float64Array.from({ length: n }, () => {
      s = (s * 16807) % 2147483647;
      return lo + ((hi - lo) * s) / 2147483647;
    });
    return tensor(data, { shape, dtype: 'float64', requiresGrad: true });
  };
  const cases: [string, () => [(...xs: Tensor[]) => Tensor, Tensor[]]][] = [
    ['klDiv', () => [(x) => klDiv(x!, tensor([[0.2, 0.8], [0.5, 0.5]], { dtype: 'float64' }), { reduction: 'batchmean' }), [rnd([2, 2])]]],
    ['cosineEmbeddingLoss', () => [(a, b) => cosineEmbeddingLoss(a!, b!, [1, -1], { margin: -0.9 }), [rnd([2, 3], -1, 1, 3), rnd([2, 3], -1, 1, 5)]]],
    ['tripletMarginLoss', () => [(a, p, n) => tripletMarginLoss(a!, p!, n!, { margin: 5 }), [rnd([2, 3], -1, 1, 7), rnd([2, 3], -1, 1, 9), rnd([2, 3], -1, 1, 11)]]],
    ['softMarginLoss', () => [(a) => softMarginLoss(a!, [[1, -1, 1]]), [rnd([1, 3])]]],
    ['multilabelSoftMarginLoss', () => [(a) => multilabelSoftMarginLoss(a!, [[1, 0, 1]]), [rnd([1, 3])]]],
    ['poissonNllLoss', () => [(a) => poissonNllLoss(a!, [[1, 4, 2]], { full: true }), [rnd([1, 3])]]],
    ['gaussianNllLoss', () => [(a, v) => gaussianNllLoss(a!, [[0.5, -0.5]], v!), [rnd([1, 2]), rnd([1, 2], 0.5, 2)]]],
    ['ctcLoss', () => [(z) => ctcLoss(logSoftmax(z!, 2), [[1, 2]], [4], [2]), [rnd([4, 1, 3])]]],
  ];
  it.each(cases)('%s', (_name, make) => {
    expect.hasAssertions();
    const [f, xs] = make();
    expect(() => assertGradcheck(f, xs)).not.toThrow();
    expect(() => assertGradgradcheck(f, xs)).not.toThrow();
  });
});

describe('errors name the loss and the argument', () => {
  const x = tensor([[0.1, 0.2], [0.3, 0.4]], { dtype: 'float64' });
  it.each([
    ['cosineEmbeddingLoss shapes', () => cosineEmbeddingLoss(x, tensor([1, 2], { dtype: 'float64' }), [1, 1]), ShapeError, /cosineEmbeddingLoss: input1 \[2, 2\] and input2 \[2\]/],
    ['cosineEmbeddingLoss target', () => cosineEmbeddingLoss(x, x, [1, 1, 1]), ShapeError, /cosineEmbeddingLoss: target must have shape \[2\]/],
    ['marginRankingLoss ranks', () => marginRankingLoss(x, x, [1, -1]), ShapeError, /marginRankingLoss: target has 1 dimensions but input1 has 2/],
    ['multiMarginLoss p', () => multiMarginLoss(x, [0, 1], { p: 3 as 1 }), ArgumentError, /multiMarginLoss: p must be 1 or 2/],
    ['multiMarginLoss target', () => multiMarginLoss(x, [0, 2]), ArgumentError, /multiMarginLoss: target\[1\] = 2 is not a class index/],
    ['tripletMarginLoss ranks', () => tripletMarginLoss(x, x, tensor([1, 2], { dtype: 'float64' })), ShapeError, /tripletMarginLoss: negative has 1 dimensions/],
    ['gaussianNllLoss negative', () => gaussianNllLoss(x, x, [[1, -1], [1, 1]]), ArgumentError, /gaussianNllLoss: variance must not be negative, got -1 at flat index 1/],
    ['gaussianNllLoss shape', () => gaussianNllLoss(x, x, [1, 1, 1]), ShapeError, /gaussianNllLoss: variance has shape \[3\]/],
    ['klDiv reduction', () => klDiv(x, x, { reduction: 'avg' as 'sum' }), ArgumentError, /klDiv: reduction must be/],
    ['ctcLoss lengths', () => ctcLoss(tensor([[[0.1, 0.2]]], { dtype: 'float64' }), [[1]], [2], [1]), ArgumentError, /ctcLoss: inputLengths\[0\] = 2 must be an integer in \[0, 1\]/],
    ['ctcLoss class', () => ctcLoss(tensor([[[0.1, 0.2]]], { dtype: 'float64' }), [[5]], [1], [1]), ArgumentError, /ctcLoss: target 0 of sample 0 is 5, not a class index in \[0, 2\)/],
    ['ctcLoss blank', () => ctcLoss(tensor([[[0.1, 0.2]]], { dtype: 'float64' }), [[1]], [1], [1], { blank: 2 }), ArgumentError, /ctcLoss: blank must be a class index in \[0, 2\)/],
    ['ctcLoss rank', () => ctcLoss(x.reshape([4]), [[1]], [1], [1]), ShapeError, /ctcLoss: logProbs must be \[T, N, C\] or \[T, C\]/],
  ] as const)('%s', (_n, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });
});

describe('classes', () => {
  it('call the functions with their options, and take three or four arguments', () => {
    const a = tensor([[0.1, 0.7], [0.3, -0.4]], { dtype: 'float64' });
    const b = tensor([[0.5, 0.2], [-0.3, 0.4]], { dtype: 'float64' });
    expect(new CosineEmbeddingLoss({ margin: 0.2 }).call(a, b, [1, -1]).item()).toBe(cosineEmbeddingLoss(a, b, [1, -1], { margin: 0.2 }).item());
    expect(new MarginRankingLoss({ reduction: 'sum' }).call(a, b, [[1, -1], [1, 1]]).item()).toBe(marginRankingLoss(a, b, [[1, -1], [1, 1]], { reduction: 'sum' }).item());
    expect(new TripletMarginLoss().call(a, b, a.mul(2)).item()).toBe(tripletMarginLoss(a, b, a.mul(2)).item());
    expect(new GaussianNLLLoss().call(a, b, [[1, 2], [3, 4]]).item()).toBe(gaussianNllLoss(a, b, [[1, 2], [3, 4]]).item());
    expect(new KLDivLoss({ reduction: 'batchmean' }).call(a, b).item()).toBe(klDiv(a, b, { reduction: 'batchmean' }).item());
    const lp = logSoftmax(tensor([[[0.1, 0.2, 0.3]], [[0.5, -0.2, 0.1]]], { dtype: 'float64' }), 2);
    expect(new CTCLoss({ blank: 0 }).call(lp, [[1]], [2], [1]).item()).toBe(ctcLoss(lp, [[1]], [2], [1]).item());
    expect(String(new CTCLoss({ blank: 2 }))).toContain('blank=2');
    expect(() => (new CosineEmbeddingLoss() as unknown as { call: (a: Tensor) => Tensor }).call(a)).toThrow(/CosineEmbeddingLoss: missing arguments/);
    expect(() => (new CTCLoss() as unknown as { call: (a: Tensor) => Tensor }).call(lp)).toThrow(/CTCLoss: missing arguments/);
  });
});
