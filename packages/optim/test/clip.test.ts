import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../src/index.ts';
import { expectClose, param } from './helpers.ts';

describe('clipGradNorm', () => {
  it('scales all gradients by maxNorm / (total + 1e-6) and returns the total 2-norm', () => {
    const a = param([0, 0], [3, 4]);
    const b = param([0], [12]);
    const total = clipGradNorm([a, b], 6.5);
    expect(total).toBe(13);
    const c = 6.5 / (13 + 1e-6);
    expectClose(a.grad!.data, [3 * c, 4 * c], 1e-15);
    expectClose(b.grad!.data, [12 * c], 1e-15);
  });

  it('leaves gradients untouched when the coefficient is >= 1', () => {
    const a = param([0, 0], [3, 4]);
    expect(clipGradNorm([a], 20)).toBe(5);
    expect(Array.from(a.grad!.data)).toEqual([3, 4]);
  });

  it('still scales slightly when maxNorm equals the norm (the 1e-6 guard), as PyTorch does', () => {
    const a = param([0, 0], [3, 4]);
    clipGradNorm([a], 5);
    expectClose(a.grad!.data, [(3 * 5) / (5 + 1e-6), (4 * 5) / (5 + 1e-6)], 1e-15);
  });

  it('supports the infinity norm, the 1-norm and general p', () => {
    const mk = () => [param([0, 0], [-5, 2]), param([0], [3])];
    let ps = mk();
    expect(clipGradNorm(ps, 1, Infinity)).toBe(5);
    expectClose(ps[0].grad!.data, [-5 / (5 + 1e-6), 2 / (5 + 1e-6)], 1e-15);
    ps = mk();
    expect(clipGradNorm(ps, 100, 1)).toBe(10);
    ps = mk();
    expect(clipGradNorm(ps, 100, 3)).toBeCloseTo((125 + 8 + 27) ** (1 / 3), 13);
  });

  it('ignores null grads; with no grads returns 0', () => {
    const a = param([0], [10]);
    const b = param([0], null);
    expect(clipGradNorm([a, b], 1)).toBe(10);
    expect(clipGradNorm([b], 1)).toBe(0);
  });

  it('accepts a single parameter and any iterable', () => {
    const a = param([0], [10]);
    expect(clipGradNorm(a, 100)).toBe(10);
    expect(clipGradNorm(new Set([a]), 100)).toBe(10);
  });

  it('non-finite total: NaN gradients result (like PyTorch), or an error with errorIfNonfinite', () => {
    const a = param([0, 0], [NaN, 1]);
    expect(() => clipGradNorm([a], 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm: the total norm of order 2 for gradients is non-finite \(NaN\)/);
    expect(Number.isNaN(a.grad!.data[0])).toBe(true);
    expect(a.grad!.data[1]).toBe(1);
    const b = param([0, 0], [Infinity, 1]);
    expect(() => clipGradNorm([b], 1, 2, { errorIfNonfinite: true })).toThrow(/non-finite \(Infinity\)/);
    expect(Number.isNaN(clipGradNorm([a], 1))).toBe(true);
    expect(Number.isNaN(a.grad!.data[1])).toBe(true);
    expect(clipGradNorm([b], 1)).toBe(Infinity);
    expect(b.grad!.data[1]).toBe(0);
  });

  it('validates maxNorm and normType', () => {
    expect(() => clipGradNorm([], -1)).toThrow(/^clipGradNorm: maxNorm must be non-negative, got -1$/);
    expect(() => clipGradNorm([], 1, 0)).toThrow(/^clipGradNorm: normType must be a positive number or Infinity, got 0$/);
  });

  it('property: after clipping the norm is <= maxNorm and directions are kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.constantFrom(1, 2, 3, Infinity),
        (grads, maxNorm, p) => {
          const ps = grads.map((g) => param(g.map(() => 0), g));
          const before = grads.flat();
          const total = clipGradNorm(ps, maxNorm, p);
          const after = ps.flatMap((q) => Array.from(q.grad!.data));
          const norm = (v: number[]) => (p === Infinity ? Math.max(0, ...v.map(Math.abs)) : v.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p));
          expect(total).toBeCloseTo(norm(before), 8);
          expect(norm(after)).toBeLessThanOrEqual(maxNorm * (1 + 1e-12) + 1e-12);
          const k = Math.min(1, maxNorm / (total + 1e-6));
          after.forEach((x, i) => expect(x).toBeCloseTo(before[i] * k, 10));
        },
      ),
    );
  });
});

describe('clipGradValue', () => {
  it('clamps every element into [-c, c] and skips null grads', () => {
    const a = param([0, 0, 0, 0], [-3, -0.5, 0.5, 3]);
    const b = param([0], null);
    clipGradValue([a, b], 1);
    expect(Array.from(a.grad!.data)).toEqual([-1, -0.5, 0.5, 1]);
    expect(b.grad).toBeNull();
  });

  it('keeps NaN and validates clipValue', () => {
    const a = param([0], [NaN]);
    clipGradValue(a, 1);
    expect(Number.isNaN(a.grad!.data[0])).toBe(true);
    expect(() => clipGradValue([a], -1)).toThrow(/^clipGradValue: clipValue must be non-negative, got -1$/);
  });
});
