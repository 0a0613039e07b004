import { describe, expect, it } from 'vitest';
import { Generator, zeros } from '@memograd/autograd';
import type { Tensor } from '@memograd/autograd';
import {
  calculateGain, computeFans, constant_, glorotUniform_, heNormal_, heUniform_, init, kaimingNormal_, kaimingUniform_,
  normal_, ones_, uniform_, xavierNormal_, xavierUniform_, zeros_,
} from '../src/index.ts';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = Array.from(t.data);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  return { mean, std, min: Math.min(...d), max: Math.max(...d) };
}

const big = (shape: number[]) => zeros(shape, { dtype: 'float64' });
const gen = () => ({ generator: new Generator(123) });

describe('fans and gains', () => {
  it('computeFans follows PyTorch for [out, in, ...receptive]', () => {
    expect(computeFans([8, 4])).toEqual({ fanIn: 4, fanOut: 8 });
    expect(computeFans([16, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 400 });
    expect(computeFans(zeros([2, 3, 7]))).toEqual({ fanIn: 21, fanOut: 14 });
    expect(() => computeFans([5])).toThrow(/at least 2 dimensions/);
  });

  it('calculateGain matches torch.nn.init.calculate_gain', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain('selu')).toBe(0.75);
  });
});

describe('initializers', () => {
  it('constants', () => {
    const t = big([3, 3]);
    expect(Array.from(ones_(t).data).every((v) => v === 1)).toBe(true);
    expect(Array.from(zeros_(t).data).every((v) => v === 0)).toBe(true);
    expect(Array.from(constant_(t, 2.5).data).every((v) => v === 2.5)).toBe(true);
  });

  it('uniform_ and normal_', () => {
    const u = stats(uniform_(big([200, 100]), -2, 3, gen()));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(0.5, 1);
    expect(u.std).toBeCloseTo(5 / Math.sqrt(12), 1);
    const n = stats(normal_(big([200, 100]), 1, 0.5, gen()));
    expect(n.mean).toBeCloseTo(1, 1);
    expect(Math.abs(n.std - 0.5)).toBeLessThan(0.01);
  });

  it('Xavier/Glorot', () => {
    const fanIn = 300;
    const fanOut = 100;
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    const u = stats(xavierUniform_(big([fanOut, fanIn]), 1, gen()));
    expect(u.max).toBeLessThanOrEqual(bound);
    expect(u.min).toBeGreaterThanOrEqual(-bound);
    expect(Math.abs(u.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    const g = stats(xavierUniform_(big([fanOut, fanIn]), 2, gen()));
    expect(g.max).toBeLessThanOrEqual(2 * bound);
    expect(g.max).toBeGreaterThan(1.9 * bound);
    const n = stats(xavierNormal_(big([fanOut, fanIn]), 1, gen()));
    expect(Math.abs(n.std / Math.sqrt(2 / (fanIn + fanOut)) - 1)).toBeLessThan(0.02);
    // the Keras names are the same initializers (same draws), with errors that name them
    expect(Array.from(glorotUniform_(big([3, 4]), 1, gen()).data)).toEqual(Array.from(xavierUniform_(big([3, 4]), 1, gen()).data));
  });

  it('Kaiming/He', () => {
    const shape = [200, 150];
    const ku = stats(kaimingUniform_(big(shape), { ...gen(), nonlinearity: 'relu' }));
    const b = Math.SQRT2 * Math.sqrt(3 / 150);
    expect(ku.max).toBeLessThanOrEqual(b);
    expect(ku.min).toBeGreaterThanOrEqual(-b);
    expect(Math.abs(ku.std / (b / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    // default: leaky_relu with a = 0 → gain √2
    expect(stats(kaimingUniform_(big(shape), gen())).std).toBeCloseTo(ku.std, 10);
    // a = √5 (PyTorch's Linear) → bound 1/√fanIn
    const lin = stats(kaimingUniform_(big(shape), { ...gen(), a: Math.sqrt(5) }));
    expect(lin.max).toBeLessThanOrEqual(1 / Math.sqrt(150));
    const fo = stats(kaimingNormal_(big(shape), { ...gen(), mode: 'fanOut', nonlinearity: 'relu' }));
    expect(Math.abs(fo.std / (Math.SQRT2 / Math.sqrt(200)) - 1)).toBeLessThan(0.02);
    const he = stats(heNormal_(big(shape), gen()));
    expect(Math.abs(he.std / Math.sqrt(2 / 150) - 1)).toBeLessThan(0.02);
    const heu = stats(heUniform_(big(shape), gen()));
    expect(heu.max).toBeLessThanOrEqual(Math.sqrt(6 / 150));
    expect(() => kaimingNormal_(big(shape), { mode: 'fan_avg' as 'fanIn' })).toThrow(/mode must be/);
  });

  it('is reproducible with a seeded generator and exposed as the init namespace', () => {
    const a = init.normal_(big([10]), 0, 1, { generator: new Generator(9) });
    const b = init.normal_(big([10]), 0, 1, { generator: new Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});
