import { describe, expect, it } from 'vitest';
import { runXor } from '../xor.ts';

describe('xor example', () => {
  it('a seeded 2-8-1 MLP reaches loss < 0.01 within 2000 steps and gets all four right', () => {
    const r = runXor({ seed: 0, maxEpochs: 2000 });
    expect(r.loss).toBeLessThan(0.01);
    expect(r.epochs).toBeLessThan(2000);
    expect(r.accuracy).toBe(1);
    const [p00, p01, p10, p11] = r.probabilities as [number, number, number, number];
    expect(p00).toBeLessThan(0.05);
    expect(p11).toBeLessThan(0.05);
    expect(p01).toBeGreaterThan(0.95);
    expect(p10).toBeGreaterThan(0.95);
  });
});
