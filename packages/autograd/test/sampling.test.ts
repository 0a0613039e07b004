/** The property tests' sampler (support/sampling.ts) refuses to return values its op said to avoid. */
import { describe, expect, it } from 'vitest';
import { drawSample, SPECIAL_VALUES } from './support/sampling.ts';

describe('drawSample', () => {
  it('throws when avoid rejects every redraw, instead of accepting a value to avoid', () => {
    expect(() => drawSample({ shapes: 'unary', avoid: () => true }, 1)).toThrow(/passed 'avoid' in 1000 redraws/);
  });

  it('keeps values inside the domain and outside avoid', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { inputs } = drawSample({ shapes: 'unary', domain: [0.5, 1.5], avoid: (v) => v < 0.7 }, seed);
      for (const v of inputs[0]!.data) expect(v >= 0.7 && v <= 1.5).toBe(true);
    }
  });

  it('puts exact smoothAt values, ties and special values among the samples', () => {
    let atZero = 0;
    let ties = 0;
    let special = 0;
    for (let seed = 0; seed < 50; seed++) {
      const a = drawSample({ shapes: () => [[16]], smoothAt: [0] }, seed).inputs[0]!.data;
      atZero += a.filter((v) => v === 0).length;
      const b = Array.from(drawSample({ shapes: () => [[16]], ties: true }, seed).inputs[0]!.data);
      ties += b.length - new Set(b).size;
      const c = Array.from(drawSample({ shapes: () => [[16]] }, seed, { special: 0.3 }).inputs[0]!.data);
      special += c.filter((v) => SPECIAL_VALUES.some((sv) => Object.is(sv, v))).length;
    }
    expect(atZero).toBeGreaterThan(100);
    expect(ties).toBeGreaterThan(100);
    expect(special).toBeGreaterThan(150);
  });
});
